"""Chapter 21's generators and discriminator: shapes, conditioning, and AttnGAN's word attention."""

from __future__ import annotations

import pytest
import torch

from ganbook.models.stackgan import (ImageTextDiscriminator, OneStageGenerator, StageIGenerator, StageIIGenerator,
                                     WordAttention)


def test_the_stages_make_32_then_64_pixel_images_from_noise_and_condition():
    torch.manual_seed(0)
    z, c = torch.randn(3, 8), torch.randn(3, 4)
    s0 = StageIGenerator(z_dim=8, c_dim=4, width=8)(z, c)
    assert s0.shape == (3, 3, 32, 32) and float(s0.detach().abs().max()) <= 1
    s1 = StageIIGenerator(c_dim=4, width=8)(s0, c)
    assert s1.shape == (3, 3, 64, 64)
    assert OneStageGenerator(z_dim=8, c_dim=4, width=8)(z, c).shape == (3, 3, 64, 64)
    for size, image in ((32, s0), (64, s1)):
        assert ImageTextDiscriminator(size, sentence_dim=6, width=8)(image, torch.randn(3, 6)).shape == (3, 1)
    with pytest.raises(ValueError, match="32- or 64-pixel"):
        ImageTextDiscriminator(48)


def test_word_attention_weighs_only_real_words_and_follows_the_formula():
    torch.manual_seed(0)
    attend = WordAttention(channels=5, word_dim=4)
    h, words = torch.randn(2, 5, 3, 3), torch.randn(2, 4, 6)
    mask = torch.tensor([[1, 1, 1, 0, 0, 0], [1, 1, 1, 1, 1, 1]], dtype=torch.bool)
    context, weights = attend(h, words, mask)
    assert context.shape == (2, 5, 3, 3) and weights.shape == (2, 6, 3, 3)
    assert torch.allclose(weights.sum(1), torch.ones(2, 3, 3)) and float(weights[0, 3:].detach().abs().max()) == 0
    w = attend.project(words)  # naive: position (1, 2) of image 0
    e = torch.stack([h[0, :, 1, 2] @ w[0, :, k] for k in range(3)]).softmax(0)
    assert torch.allclose(context[0, :, 1, 2], sum(e[k] * w[0, :, k] for k in range(3)), atol=1e-6)


def test_stage_two_with_attention_needs_the_words_and_keeps_its_maps():
    G = StageIIGenerator(c_dim=4, width=8, attention=True, word_dim=6)
    s0, c = torch.randn(2, 3, 32, 32), torch.randn(2, 4)
    with pytest.raises(ValueError, match="words and mask"):
        G(s0, c)
    out = G(s0, c, torch.randn(2, 6, 5), torch.ones(2, 5, dtype=torch.bool))
    assert out.shape == (2, 3, 64, 64) and G.last_attention.shape == (2, 5, 16, 16)


def test_caption_sources_draw_one_and_two_shape_scenes_from_the_stream():
    from ganbook.data import captions

    images, tokens, factors, ones = captions.captioned_scenes(10, torch.Generator().manual_seed(0), two_share=0.3)
    assert images.shape == (10, 3, 64, 64) and ones == 7 and factors["shape2"].shape == (3, 2)
    words = captions.Tokenizer().decode(tokens)
    assert all(" at the " in w or " on the " in w or " in the middle" in w for w in words[:7])
    batch = captions.CaptionSource()(4, torch.Generator().manual_seed(1))
    again = captions.CaptionSource()(4, torch.Generator().manual_seed(1))
    assert torch.equal(batch.x, again.x) and torch.equal(batch.tokens, again.tokens)


@pytest.mark.parametrize("row", ["one stage", "two stages", "attention", "no augmentation", "projection"])
def test_every_row_trains_on_smoke_and_reports_what_the_chapter_prints(row):
    from ganbook.experiments import text2image

    config = text2image.Config.for_profile("smoke", row=row)
    trainer = text2image.build(config).fit(2, progress=False)
    assert trainer.step == 2
    assert ("g.damsm" in trainer.history) == (row == "attention")
    assert ("g.kl" in trainer.history) == (row not in ("no augmentation", "projection"))
    assert ("d.match32" in trainer.history) == (row not in ("one stage", "projection"))
    assert ("d.penalty" in trainer.history) == (row == "projection")  # WGAN-GP's game
    scores = text2image.evaluate(trainer, config)
    assert {"one_shape_and_colour", "one_place", "two_relation", "r_precision", "reader_fd"} <= set(scores)


def _encoder():
    from ganbook.metrics.instruments import text_encoder

    return text_encoder.load().text


def test_the_caption_networks_leave_the_shipped_encoder_as_it_was():
    from ganbook.models.caption_projection import CaptionGenerator, ProjectionCritic

    text = _encoder()
    before = {k: v.clone() for k, v in text.state_dict().items()}
    G, D = CaptionGenerator(text, z_dim=8, c_dim=6, width=4), ProjectionCritic(text, width=4)
    assert all(torch.equal(before[k], v) for k, v in text.state_dict().items())  # the initialisation skips it
    assert not any(p.requires_grad for p in text.parameters())
    tokens = captions_examples(3)
    images = G(torch.randn(3, 8), tokens)
    assert images.shape == (3, 3, 64, 64) and float(images.detach().abs().max()) <= 1
    with pytest.raises(ValueError, match="word rows"):
        G(torch.randn(3, 8), tokens.float())
    with pytest.raises(ValueError, match="64-pixel scenes"):
        D(torch.randn(3, 3, 32, 32), tokens)


def captions_examples(n):
    from ganbook.data import captions

    return captions.examples(n)


def test_the_projection_critic_adds_the_sentences_inner_product_with_the_pooled_features():
    from ganbook.models.caption_projection import ProjectionCritic, sentence_features

    torch.manual_seed(0)
    text = _encoder()
    D = ProjectionCritic(text, width=4)
    with torch.no_grad():
        D.embed.weight.normal_()  # a projection that matters
    x, tokens = torch.randn(2, 3, 64, 64), captions_examples(2)
    phi = D.body(x).sum((2, 3))  # naive: w.phi + b + (V s).phi, image by image
    s = sentence_features(text, tokens)
    naive = torch.stack([D.linear.weight[0] @ phi[i] + D.linear.bias[0] + (D.embed.weight @ s[i]) @ phi[i]
                         for i in range(2)])
    assert torch.allclose(D(x, tokens).flatten(), naive, atol=1e-4)
    other = captions_examples(4)[2:]  # another caption changes only the projection term
    assert not torch.allclose(D(x, tokens), D(x, other))


def test_example_captions_vary_every_part_and_a_caption_game_asks_for_them():
    from ganbook.data import captions
    from ganbook.experiments import text2image

    texts = captions.Tokenizer().decode(captions.examples(12))
    assert texts[:3] == ["a small red circle at the top left", "a small yellow square at the top",
                         "a large green triangle at the top right"]
    assert len(set(texts)) == 12
    for row in ("projection", "two stages"):
        trainer = text2image.build(text2image.Config.for_profile("smoke", row=row))
        assert torch.equal(trainer.game.conditions(5), captions.examples(5))
        assert trainer.generate(3).shape == (3, 3, 64, 64)  # no caption given: the examples


def test_the_table_has_a_line_per_row_and_the_real_scenes_and_the_composer_every_caption():
    from ganbook.data import captions
    from ganbook.experiments import text2image

    metrics = {k: 0.5 for k in text2image.SCORES}
    results = [{"variant": "a", "seed": s, "metrics": {**metrics, "one_shape": v}} for s, v in ((0, 0.2), (1, 0.4))]
    frame = text2image.table(results, {"one_shape": 1.0, "r_precision": 0.97})
    assert list(frame.index) == ["a", "real scenes"]
    assert frame.loc["a", "shape"] == "0.300 ± 0.100 (2)" and frame.loc["real scenes", "R-precision"] == "0.970"
    assert frame.loc["real scenes", "reader FD"] == ""
    trainer = text2image.build(text2image.Config.for_profile("smoke", row="projection"))
    frames, menus = text2image.composer_frames(trainer, per_caption=2)
    assert len(frames) == len(captions.grammar()) == 432
    assert ("large", "cyan", "star", "at the bottom right") in frames and list(menus) == ["size", "colour", "shape",
                                                                                          "place"]
    assert all(v.startswith(b"\x89PNG") for v in frames.values())


def test_the_showcase_bar_says_whether_it_is_met():
    from ganbook.experiments import text2image_showcase

    assert text2image_showcase.bars({"one_shape_and_colour": 0.81}) == [
        ("shape and colour both read as asked 0.810 >= 0.8", True)]
    assert not text2image_showcase.bars({"one_shape_and_colour": 0.79})[0][1]
    config = text2image_showcase.Config.for_profile("cpu")
    assert (config.row, config.two_share, config.ema_decay) == ("projection", 0.0, 0.999)


def test_asked_and_read_puts_real_scenes_on_the_diagonal_and_blank_ones_in_none_found():
    from ganbook.data import captions
    from ganbook.experiments import text2image

    images, _, factors, _ = captions.captioned_scenes(40, torch.Generator().manual_seed(4), 64, 0.0)
    table = text2image.asked_and_read(images, factors)
    assert list(table.columns)[-1] == "none found" and table.shape == (4, 5)
    assert all(table.iloc[k, k] >= 0.9 for k in range(4) if (factors["shape"][:, 0] == k).any())
    blank = text2image.asked_and_read(torch.zeros(40, 3, 64, 64), factors)
    asked = [k for k in range(4) if (factors["shape"][:, 0] == k).any()]
    assert all(blank.iloc[k]["none found"] == 1.0 for k in asked)


def test_a_mismatched_caption_changes_exactly_one_size_colour_or_shape_word():
    from ganbook.data import captions

    rng = torch.Generator().manual_seed(0)
    _, tokens, _, _ = captions.captioned_scenes(60, rng, 64, 0.5)
    wrong = captions.mismatch(tokens, torch.Generator().manual_seed(1))
    changed = (wrong != tokens).sum(1)
    assert torch.equal(changed, torch.ones(60, dtype=torch.long))
    words = {w for kind in captions.KINDS.values() for w in kind}
    kinds = set()
    for a, b in zip(captions.Tokenizer().decode(tokens), captions.Tokenizer().decode(wrong)):
        [(old, new)] = [(x, y) for x, y in zip(a.split(), b.split()) if x != y]
        kind = [k for k, ws in captions.KINDS.items() if old in ws]
        assert old in words and new in captions.KINDS[kind[0]]  # the same kind of word
        assert a.split().index(old) < 4  # the first shape's words
        kinds.add(kind[0])
    assert kinds == {"size", "colour", "shape"}
    again = captions.mismatch(tokens, torch.Generator().manual_seed(1))
    assert torch.equal(wrong, again)


def test_the_mismatch_term_is_the_mean_softplus_of_wrong_minus_right_scores():
    from ganbook.data import captions
    from ganbook.experiments import text2image

    config = text2image.Config.for_profile("smoke", row="projection", mismatch_weight=0.5)
    trainer = text2image.build(config)
    game = trainer.game
    images, tokens, _, _ = captions.captioned_scenes(4, torch.Generator().manual_seed(2), 64, 0.5)
    game._rng = torch.Generator().manual_seed(3)
    right, _ = game.logits_pair(images, images, tokens)
    wrong = captions.mismatch(tokens, torch.Generator().manual_seed(3))
    naive = torch.log1p(torch.exp(game.logits(images, wrong) - right)).mean()  # softplus by its formula
    assert torch.allclose(game._mismatch, naive, atol=1e-5)
    trainer.fit(1, progress=False)
    assert "d.mismatch" in trainer.history
    plain = text2image.build(text2image.Config.for_profile("smoke", row="projection", mismatch_weight=0.0))
    assert "d.mismatch" not in plain.fit(1, progress=False).history


def test_the_shipped_showcase_reads_as_its_manifest_says_and_its_bar_is_judged_on_that():
    from ganbook import shipped
    from ganbook.experiments import text2image, text2image_showcase

    showcase, manifest = shipped.load(text2image_showcase)
    config = text2image_showcase.Config.for_profile(manifest["profile"])
    scores = text2image_showcase.evaluate(showcase, config)
    for key in ("one_shape", "one_colour", "one_shape_and_colour", "one_place"):
        assert scores[key] == pytest.approx(manifest["metrics"][key], abs=0.02), key  # fp16 weights
    assert scores["one_colour"] >= 0.95 and scores["one_place"] >= 0.75  # what it has learnt
    [(sentence, met)] = text2image_showcase.bars(scores)
    assert met == (scores["one_shape_and_colour"] >= 0.8) and sentence.startswith("shape and colour")
    made = text2image.made_for_held_out(showcase, config)
    assert made.shape == (config.eval_captions, 3, 64, 64)
