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


@pytest.mark.parametrize("row", ["one stage", "two stages", "attention", "no augmentation"])
def test_every_row_trains_on_smoke_and_reports_what_the_chapter_prints(row):
    from ganbook.experiments import text2image

    config = text2image.Config.for_profile("smoke", row=row)
    trainer = text2image.build(config).fit(2, progress=False)
    assert trainer.step == 2
    assert ("g.damsm" in trainer.history) == (row == "attention")
    assert ("g.kl" in trainer.history) == (row != "no augmentation")
    assert ("d.match32" in trainer.history) == (row != "one stage")
    scores = text2image.evaluate(trainer, config)
    assert {"one_shape_and_colour", "one_place", "two_relation", "r_precision", "reader_fd"} <= set(scores)
