"""Chapter 21's grammar, tokenizer, encoders and DAMSM, against naive versions of the authors' formulas."""

from __future__ import annotations

import math

import pytest
import torch
import torch.nn.functional as F

from ganbook.data import captions, shapes
from ganbook.errors import DataError
from ganbook.metrics import damsm
from ganbook.models.text import ImageEncoder, TextEncoder


def test_one_shape_captions_name_the_grid_cell_and_two_shape_ones_the_relation():
    factors = shapes.sample_factors(4, torch.Generator().manual_seed(0))
    factors.update(shape=torch.tensor([[0], [1], [2], [3]]), hue=torch.tensor([[0], [4], [1], [5]]),
                   size=torch.tensor([[0.2], [0.8], [0.3], [0.9]]), x=torch.tensor([[0.1], [0.5], [0.9], [0.5]]),
                   y=torch.tensor([[0.1], [0.5], [0.5], [0.9]]))
    assert [captions.describe(factors, i) for i in range(4)] == [
        "a small red circle at the top left", "a large blue square in the middle",
        "a small yellow triangle on the right", "a large magenta star at the bottom"]
    pair = shapes.scenes(3, seed=1, objects=2)
    assert captions.describe(pair.factors, 0) == pair.captions[0]
    assert captions.cell(0.34, 0.99) == ("bottom", "centre")


def test_the_grammar_lists_every_one_shape_caption_once():
    every = captions.grammar()
    assert len(every) == 2 * 6 * 4 * 9 == len({c["text"] for c in every})
    assert every[0]["text"] == "a small red circle at the top left"


def test_the_tokenizer_round_trips_and_names_words_outside_the_grammar():
    tok = captions.Tokenizer()
    texts = ["a small red circle at the top left", "a large blue square above a small green star"]
    rows = tok.encode(texts)
    assert rows.shape == (2, 10) and tok.lengths(rows).tolist() == [8, 9]
    assert tok.decode(rows) == texts
    assert captions.VOCABULARY[0] == captions.PAD and len(set(captions.VOCABULARY)) == len(captions.VOCABULARY)
    with pytest.raises(DataError, match="'purple'.*VOCABULARY"):
        tok.encode(["a small purple circle"])


def test_the_encoders_give_word_region_sentence_and_global_features():
    tok = captions.Tokenizer()
    text = TextEncoder(len(captions.VOCABULARY), embed_dim=8, hidden=6)
    rows = tok.encode(["a small red circle at the top left", "a large blue star in the middle"])
    words, sentence = text(rows)
    assert words.shape == (2, 12, 10) and sentence.shape == (2, 12)
    assert float(words[0, :, 8:].detach().abs().max()) == 0  # padding has no features
    regions, whole = ImageEncoder(dim=12, width=4)(shapes.scenes(2, 0, size=64).images)
    assert regions.shape == (2, 12, 64) and whole.shape == (2, 12)
    assert ImageEncoder(dim=12, width=4)(shapes.scenes(2, 0).images)[0].shape == (2, 12, 64)


def _naive_score(e, v, length, g1, g2):
    """R(Q, D) word by word and region by region, as AttnGAN's equations 7-10 (without the 1/gamma2 power)."""
    e = e[:, :length]
    s = [[float(e[:, i] @ v[:, j]) for j in range(v.shape[1])] for i in range(length)]
    total = 0.0
    for i in range(length):
        bar = [math.exp(s[i][j]) / sum(math.exp(s[k][j]) for k in range(length)) for j in range(v.shape[1])]
        alpha = [math.exp(g1 * b) for b in bar]
        alpha = [a / sum(alpha) for a in alpha]
        c = sum(a * v[:, j] for j, a in enumerate(alpha))
        total += math.exp(g2 * float(F.cosine_similarity(c, e[:, i], dim=0)))
    return math.log(total)


def test_word_scores_follow_the_authors_attention_and_matching_formulas():
    torch.manual_seed(0)
    words, regions = torch.randn(3, 4, 5), torch.randn(3, 4, 6)
    mask = torch.tensor([[1, 1, 1, 0, 0], [1, 1, 1, 1, 1], [1, 1, 0, 0, 0]], dtype=torch.bool)
    got = damsm.word_scores(words, regions, mask, gamma1=4.0, gamma2=5.0)
    for i in range(3):
        for j in range(3):
            want = _naive_score(words[i], regions[j], int(mask[i].sum()), 4.0, 5.0)
            assert float(got[i, j]) == pytest.approx(want, rel=1e-4)
    _, alpha = damsm.attend(words, regions, mask)
    assert alpha[0, :3].sum(1).tolist() == pytest.approx([1, 1, 1]) and float(alpha[0, 3:].abs().max()) == 0


def test_the_matching_loss_is_cross_entropy_both_ways_without_same_text_negatives():
    scores = torch.tensor([[0.9, 0.1, 0.5], [0.2, 0.8, 0.4], [0.3, 0.6, 0.7]])
    same = torch.eye(3, dtype=torch.bool)
    naive = 0.0
    for m in (scores, scores.T):
        for i in range(3):
            naive += -math.log(math.exp(10 * m[i, i]) / sum(math.exp(10 * m[i, k]) for k in range(3))) / 3
    assert float(damsm.matching_loss(scores, same)) == pytest.approx(naive, rel=1e-5)
    same[0, 1] = same[1, 0] = True  # captions 0 and 1 read alike: neither is the other's negative
    kept = float(damsm.matching_loss(scores, same))
    assert kept < naive
    tokens = torch.tensor([[1, 2, 0], [1, 2, 0], [3, 2, 0]])
    assert damsm.same_text(tokens).tolist() == [[True, True, False], [True, True, False], [False, False, True]]


def test_r_precision_ranks_each_image_s_own_caption_against_99_others():
    torch.manual_seed(0)
    n = 120
    sentence = torch.randn(n, 8)
    tokens = torch.arange(n)[:, None].repeat(1, 3)  # every caption different
    assert damsm.r_precision(sentence.clone(), sentence, tokens) == 1.0  # each image is its caption
    noise = damsm.r_precision(torch.randn(n, 8), sentence, tokens, generator=torch.Generator().manual_seed(0))
    assert noise < 0.1  # chance is 1 in 100
    with pytest.raises(ValueError, match="at least 100"):
        damsm.r_precision(sentence[:50], sentence[:50], tokens[:50])


def test_the_text_encoder_instrument_trains_saves_and_loads(tmp_path):
    from ganbook.metrics.instruments import text_encoder

    images, tokens = text_encoder.captioned(6, seed=0)
    assert images.shape == (6, 3, 64, 64) and tokens.shape == (6, 10)
    lengths = captions.Tokenizer().lengths(tokens).tolist()
    assert max(lengths[:3]) <= 8 < 9 <= min(lengths[3:])  # one shape and its place; two and a relation
    path, result, _ = text_encoder.train_and_save("smoke", tmp_path)
    assert [r["condition"] for r in result["robustness"]] == ["clean", "noise 0.05", "noise 0.1", "blur 3x3"]
    model = text_encoder.load(path)
    again = text_encoder.report(model, *text_encoder.captioned(200, text_encoder.TEST_SEED))
    assert again == result
    assert float(text_encoder.loss(model((images, tokens)))) > 0


def test_conditioning_augmentation_draws_around_its_mean():
    from ganbook.models.text import ConditioningAugmentation

    torch.manual_seed(0)
    ca = ConditioningAugmentation(sentence_dim=6, c_dim=3)
    sentence = torch.randn(4, 6)
    c, mu, logvar = ca(sentence, eps=torch.zeros(4, 3))
    assert torch.equal(c, mu) and mu.shape == logvar.shape == (4, 3)
    c1, _, _ = ca(sentence, eps=torch.ones(4, 3))
    assert torch.allclose(c1 - mu, (0.5 * logvar).exp())


def test_the_text_to_image_anchors_match_what_the_code_uses():
    from ganbook.anchors import anchors
    from ganbook.experiments import text2image

    rows = anchors()
    settings = rows["attngan-settings"].values
    assert (damsm.GAMMA1, damsm.GAMMA2, damsm.GAMMA3) == tuple(settings[k][0] for k in ("gamma1", "gamma2", "gamma3"))
    assert text2image.Config.damsm_weight == settings["lambda_birds"][0]
    assert text2image.Config.kl_weight == rows["stackgan-settings"].values["kl_weight"][0]
    assert "as quoted by" in rows["attngan-inception"].cite()
