"""Chapters 5-9: the digit models' shapes and formulas, the pyramid, latent paths, widgets and caching."""

import math

import ipywidgets as w
import pytest
import torch

from ganbook import augment, latent, losses, pyramid, widgets
from ganbook.experiments import cgan_concat as cgan, infogan, lapgan, mlp_gan, store
from ganbook.models.classifier import DigitClassifier
from ganbook.models.conditional import ConcatDiscriminator, ConditionalGenerator, ProjectionDiscriminator
from ganbook.models.dcgan import DCGANDiscriminator, DCGANGenerator
from ganbook.models.infogan import InfoCodes, InfoGANDiscriminator, InfoGANGenerator
from ganbook.models.lapgan import BandDiscriminator, BandGenerator
from helpers import assert_resumes_exactly


def test_shapes():
    z, y = torch.randn(5, 100), torch.arange(5)
    assert DCGANGenerator(100, 8)(z).shape == (5, 1, 28, 28)
    assert DCGANDiscriminator(8)(torch.randn(5, 1, 28, 28)).shape == (5, 1)
    x = ConditionalGenerator(100, 10, 8)(z, y).detach()
    assert x.shape == (5, 1, 28, 28) and float(x.abs().max()) <= 1
    assert ConcatDiscriminator(8)(x, y).shape == ProjectionDiscriminator(8)(x, y).shape == (5, 1)
    codes = InfoCodes(noise_dim=6)
    logits, q = InfoGANDiscriminator(8, 32).heads(InfoGANGenerator(codes.dim, 8, 32)(codes.sample(5, torch.Generator())))
    assert logits.shape == (5, 1) and q.shape == (5, 12)
    assert BandGenerator(14, 4)(torch.randn(5, 196), torch.randn(5, 1, 14, 14)).shape == (5, 1, 14, 14)
    assert BandDiscriminator(28, 4)(torch.randn(5, 1, 28, 28), torch.randn(5, 1, 28, 28)).shape == (5, 1)
    assert DigitClassifier()(torch.randn(5, 1, 28, 28)).shape == (5, 10)


def test_bad_shapes_and_labels_say_what_was_expected():
    with pytest.raises(ValueError, match=r"labels must lie in 0\.\.9"):
        ConditionalGenerator(100, 10, 8)(torch.randn(2, 100), torch.tensor([3, 10]))
    with pytest.raises(ValueError, match=r"\(n, 1, 28, 28\)"):
        DigitClassifier()(torch.randn(2, 1, 32, 32))
    with pytest.raises(ValueError, match=r"\(n, 1, 14, 14\)"):
        BandGenerator(14, 4)(torch.randn(2, 196), torch.randn(2, 1, 28, 28))
    with pytest.raises(ValueError, match="InfoGAN latents"):
        InfoCodes().split(torch.zeros(2, 5))


def test_projection_discriminator_is_psi_plus_inner_product():
    torch.manual_seed(0)
    D = ProjectionDiscriminator(4).eval()
    x, y = torch.randn(3, 1, 28, 28), torch.tensor([0, 4, 9])
    h = D.body(x)
    expected = D.head(h).flatten(1)[:, 0] + torch.stack([D.embed.weight[k] @ h[i].sum((1, 2)) for i, k in enumerate(y)])
    assert torch.allclose(D(x, y)[:, 0], expected, atol=1e-5)


def test_info_nll_matches_a_naive_formula():
    g = torch.Generator().manual_seed(0)
    logits, mean = torch.randn(4, 10, generator=g), torch.randn(4, 2, generator=g)
    cat, cont = torch.tensor([1, 0, 7, 9]), torch.rand(4, 2, generator=g)
    naive = 0.0
    for i in range(4):
        naive += -math.log(math.exp(logits[i, cat[i]]) / sum(math.exp(v) for v in logits[i])) / 4
        naive += 0.1 * 0.5 * sum((float(cont[i, j]) - float(mean[i, j])) ** 2 for j in range(2)) / 4
    assert float(losses.info_nll(cat, cont, logits, mean, cont_weight=0.1)) == pytest.approx(naive, rel=1e-6)


def test_info_codes_round_trip():
    codes = InfoCodes(noise_dim=3, n_cat=4, n_cont=2)
    z = codes.sample(500, torch.Generator().manual_seed(1))
    noise, cat, cont = codes.split(z)
    assert torch.equal(codes.make(noise, cat, cont), z)
    assert set(cat.tolist()) == {0, 1, 2, 3} and float(cont.abs().max()) <= 1
    assert float(noise.std()) == pytest.approx(1.0, abs=0.05)
    quiet = InfoCodes(noise_dim=3, n_cat=4, n_cont=2, noise_std=0.2)
    quiet_noise, quiet_cat, _ = quiet.split(quiet.sample(500, torch.Generator().manual_seed(1)))
    assert torch.allclose(quiet_noise, 0.2 * noise) and torch.equal(quiet_cat, cat)  # same draws, scaled


def test_pyramid_inverts_exactly_and_bands_are_differences():
    x = torch.rand(2, 1, 32, 32) * 2 - 1
    levels = pyramid.laplacian_pyramid(x, 4)
    assert [t.shape[-1] for t in levels] == [32, 16, 8, 4]
    assert float((pyramid.reconstruct(levels) - x).abs().max()) < 1e-6
    assert torch.allclose(levels[0], x - pyramid.up(pyramid.down(x)))
    flat = torch.full((1, 1, 8, 8), 0.3)  # a constant image has empty bands
    assert float(pyramid.laplacian_pyramid(flat, 3)[0].abs().max()) < 1e-6
    with pytest.raises(ValueError, match="divisible by 4"):
        pyramid.laplacian_pyramid(torch.zeros(1, 1, 10, 10), 3)


def test_slerp_keeps_the_norm_and_lerp_does_not():
    g = torch.Generator().manual_seed(0)
    a, b = torch.randn(200, 100, generator=g), torch.randn(200, 100, generator=g)
    mid_lerp, mid_slerp = latent.lerp(a, b, 0.5).norm(dim=1), latent.slerp(a, b, 0.5).norm(dim=1)
    ends = (a.norm(dim=1) + b.norm(dim=1)) / 2
    assert float((mid_lerp / ends).mean()) == pytest.approx(1 / math.sqrt(2), abs=0.02)
    assert float((mid_slerp / ends).mean()) == pytest.approx(1.0, abs=0.01)
    assert torch.allclose(latent.slerp(a, b, 0.0), a, atol=1e-5) and torch.allclose(latent.slerp(a, b, 1.0), b, atol=1e-4)
    assert torch.allclose(latent.slerp(a, a, 0.3), a, atol=1e-5)  # parallel rows fall back to lerp
    assert latent.path(a[:2], b[:2], 5, spherical=True).shape == (5, 2, 100)


def test_picker_and_grid_slider_are_linked_in_the_browser():
    picker = widgets.frame_picker([b"a", b"b", b"c"], ["0", "1", "2"], start=1)
    buttons, stack = picker.children
    assert stack.selected_index == 1 and len(picker.links) == 1
    frames = [[bytes([i, j]) for j in range(3)] for i in range(2)]
    box = widgets.grid_slider(frames, ["a0", "a1"], ["b0", "b1", "b2"])
    (sa, sb), outer = box.children[0].children, box.children[1]
    assert isinstance(outer, w.Stack) and len(outer.children) == 2
    assert outer.children[1].children[2].value == bytes([1, 2])
    assert len(box.links) == 1 + 2  # a -> outer, b -> each inner stack
    with pytest.raises(ValueError, match="one frame per option"):
        widgets.frame_picker([b"a"], ["0", "1"])


def test_cat_loss_is_the_categorical_term_of_the_info_loss():
    codes = InfoCodes(noise_dim=3, n_cat=4, n_cont=2, cont_weight=0.0)
    z = codes.sample(8, torch.Generator().manual_seed(2))
    q = torch.randn(8, 6, generator=torch.Generator().manual_seed(3))
    _, cat, _ = codes.split(z)
    naive = sum(-math.log(math.exp(q[i, cat[i]]) / sum(math.exp(v) for v in q[i, :4])) for i in range(8)) / 8
    assert float(codes.cat_loss(z, q)) == pytest.approx(naive, rel=1e-6)
    assert float(codes.cat_loss(z, q)) == pytest.approx(float(codes.loss(z, q)), rel=1e-6)  # cont_weight 0


def test_random_affine_keeps_blank_pixels_and_is_the_identity_at_zero():
    x = torch.rand(6, 1, 28, 28, generator=torch.Generator().manual_seed(0)) * 2 - 1
    same = augment.random_affine(x, torch.Generator().manual_seed(1), degrees=0, shift=0, scale=0)
    assert torch.allclose(same, x, atol=1e-5)
    blank = augment.random_affine(-torch.ones(6, 1, 28, 28), torch.Generator().manual_seed(1))
    assert torch.allclose(blank, -torch.ones(6, 1, 28, 28), atol=1e-6)  # what comes in from outside is background
    a = augment.random_affine(x, torch.Generator().manual_seed(1))
    assert torch.equal(a, augment.random_affine(x, torch.Generator().manual_seed(1)))  # seeded
    assert float((a - x).abs().mean()) > 0.1  # and it does move the pixels
    bar = -torch.ones(1, 1, 28, 28)
    bar[..., 13:15, :] = 1  # a horizontal bar: rotating it puts ink above and below the middle rows
    turned = augment.random_affine(bar.repeat(64, 1, 1, 1), torch.Generator().manual_seed(4), shift=0, scale=0)
    assert float((turned[..., :12, :] > 0).float().mean()) > 0.005
    leaf = x.clone().requires_grad_(True)
    augment.random_affine(leaf, torch.Generator()).sum().backward()
    assert leaf.grad is not None and float(leaf.grad.abs().sum()) > 0  # G can be trained through it
    with pytest.raises(ValueError, match=r"\(n, c, h, w\)"):
        augment.random_affine(torch.zeros(28, 28), torch.Generator())


def test_conditional_training_resumes_bit_for_bit(tmp_path):
    config = cgan.Config.for_profile("smoke", steps=6)
    assert_resumes_exactly(lambda: cgan.build(config), 6, tmp_path / "c.pt")


def test_infogan_objective_trains_q():
    config = infogan.Config.for_profile("smoke", steps=30)
    trainer = infogan.build(config)
    codes = config.codes
    z = codes.sample(256, torch.Generator().manual_seed(0))
    with torch.no_grad():
        before = float(codes.loss(z, trainer.D.heads(trainer.G(z))[1]))
    trainer.fit(30, progress=False)
    with torch.no_grad():
        after = float(codes.loss(z, trainer.D.heads(trainer.G(z))[1]))
    assert after < before - 0.3  # Q learns to read the codes back
    assert trainer.game.view is not None  # with the rotated-copy term (config.view_weight)


def test_infogan_with_views_resumes_bit_for_bit(tmp_path):
    config = infogan.Config.for_profile("smoke", steps=6)
    whole, _ = assert_resumes_exactly(lambda: infogan.build(config), 6, tmp_path / "i.pt")
    plain = infogan.build(infogan.Config.for_profile("smoke", steps=6, view_weight=0.0)).fit(6, progress=False)
    assert plain.game.view is None and plain.history != whole.history


def test_load_or_train_reuses_a_matching_checkpoint_and_retrains_a_stale_one(tmp_path):
    assert store.cached(mlp_gan, "smoke", tmp_path) is None  # nothing trained yet, and cached() trains nothing
    first, manifest = store.load_or_train(mlp_gan, "smoke", tmp_path, progress=False)
    again, manifest2 = store.load_or_train(mlp_gan, "smoke", tmp_path, progress=False)
    assert manifest2["sha256"] == manifest["sha256"] and again.step == first.step
    assert store.cached(mlp_gan, "smoke", tmp_path)[1]["sha256"] == manifest["sha256"]
    path = store.checkpoint_path(mlp_gan, mlp_gan.Config.for_profile("smoke"), "smoke", tmp_path)
    path.write_bytes(b"broken")  # damaged: trained again, and written again
    assert store.cached(mlp_gan, "smoke", tmp_path) is None
    _, manifest3 = store.load_or_train(mlp_gan, "smoke", tmp_path, progress=False)
    assert manifest3["metrics"] == manifest["metrics"]


def test_lapgan_samples_every_level():
    config = lapgan.Config.for_profile("smoke", coarse_steps=3, band_steps=2)
    stages = lapgan.sample(lapgan.train(config, progress=False), 4)
    assert [tuple(s.shape) for s in stages] == [(4, 1, 7, 7), (4, 1, 14, 14), (4, 1, 28, 28)]
