"""Progressive growing, BigGAN's blocks and the style-based generator (chapters 14-16)."""

import math

import pytest
import torch
import torch.nn.functional as F

from ganbook.games.biggan import orthogonal_penalty
from ganbook.games.progressive import Growth
from ganbook.latent import truncated_normal
from ganbook.metrics.latents import conditional_entropy, separability, trimmed_mean
from ganbook.models import biggan, progan, stylegan


def test_equalized_layers_scale_by_he_constant_at_run_time():
    conv = progan.EqualizedConv2d(8, 4, 3)
    x = torch.randn(2, 8, 5, 5)
    expected = F.conv2d(x, conv.weight * math.sqrt(2 / 72), conv.bias, padding=1)
    assert torch.allclose(conv(x), expected, atol=1e-6)
    assert float(conv.weight.detach().std()) == pytest.approx(1.0, abs=0.15)  # stored at unit scale


def test_pixel_norm_and_minibatch_std_against_naive_formulas():
    x = torch.randn(8, 5, 3, 3)
    y = progan.PixelNorm()(x)
    assert torch.allclose(y.pow(2).mean(1), torch.ones(8, 3, 3), atol=1e-5)
    out = progan.MinibatchStd(group=4)(x)
    assert out.shape == (8, 6, 3, 3)
    for j in range(2):  # samples j, j + 2, j + 4, j + 6 form group j
        members = x[j::2]
        naive = (members.var(0, unbiased=False) + 1e-8).sqrt().mean()
        assert torch.allclose(out[j::2, -1], naive.expand(4, 3, 3), atol=1e-6)


def test_growth_schedule_phases():
    g = Growth(80)  # 8 phases of 10 steps
    assert g.stage(0) == (0, 1.0) and g.stage(9) == (0, 1.0)
    assert g.stage(10) == (1, 0.0) and g.stage(15) == (1, 0.5) and g.stage(20) == (1, 1.0)
    assert g.stage(55) == (3, 0.5) and g.stage(79) == (3, 1.0) and g.stage(80) == (3, 1.0)
    assert g.changes() == [10, 30, 50]
    assert Growth(80, grow=False).stage(0) == (3, 1.0)


def test_fade_in_starts_where_the_smaller_network_left_off():
    torch.manual_seed(0)
    G, D = progan.ProGenerator(16, 8), progan.ProDiscriminator(8)
    z = torch.randn(4, 16)
    for level in (1, 2, 3):
        G.set_stage(level - 1, 1.0)
        old = G.native(z)
        G.set_stage(level, 0.0)
        assert torch.allclose(F.interpolate(old, scale_factor=2), G.native(z), atol=1e-6)
    # D at a low level reads exactly what G drew there, whatever G's upsampling to 32 pixels
    G.set_stage(1, 1.0); D.set_stage(1, 1.0)
    small = G.native(z)
    assert G(z).shape == (4, 3, 32, 32)
    x8 = F.interpolate(small, scale_factor=4)
    assert torch.allclose(D(x8), D(F.interpolate(small, size=32)), atol=1e-6)


def test_orthogonal_penalty_is_the_papers_formula():
    net = torch.nn.Sequential(torch.nn.Conv2d(3, 4, 3), torch.nn.Linear(5, 6), torch.nn.Embedding(3, 7))
    naive = 0.0
    for w in (net[0].weight.detach().flatten(1), net[1].weight.detach()):
        gram = w @ w.T
        naive += sum(float(gram[i, j]) ** 2 for i in range(len(w)) for j in range(len(w)) if i != j)
    assert float(orthogonal_penalty(net, beta=1e-4).detach()) == pytest.approx(1e-4 * naive, rel=1e-5)
    q, _ = torch.linalg.qr(torch.randn(6, 6))
    square = torch.nn.Linear(6, 5)
    with torch.no_grad():
        square.weight.copy_(q[:5] * 3)  # orthogonal rows of norm 3: not penalised, whatever their norm
    assert float(orthogonal_penalty(square).detach()) == pytest.approx(0.0, abs=1e-9)


def test_truncated_normal_stays_inside_and_is_the_prior_without_a_threshold():
    rng = torch.Generator().manual_seed(0)
    z = truncated_normal(2000, 8, 0.5, rng)
    assert float(z.abs().max()) <= 0.5 and float(z.std()) == pytest.approx(0.28, abs=0.02)  # std of N(0,1) cut at 0.5
    a = truncated_normal(5, 3, math.inf, torch.Generator().manual_seed(1))
    assert torch.equal(a, torch.randn(5, 3, generator=torch.Generator().manual_seed(1)))
    with pytest.raises(ValueError, match="positive"):
        truncated_normal(1, 1, 0.0, rng)


def test_self_attention_starts_off_and_rows_sum_to_one():
    att = biggan.SelfAttention(16)
    x = torch.randn(2, 16, 4, 4)
    assert torch.equal(att(x), x)  # gamma = 0
    weights = att.attention(x)
    assert weights.shape == (2, 16, 16) and torch.allclose(weights.sum(-1), torch.ones(2, 16), atol=1e-6)


def test_big_networks_shapes_and_class_dependence():
    G, D = biggan.BigGenerator(16, 4, 4, 8), biggan.BigDiscriminator(4, 4)
    z = torch.randn(4, 16)
    a, b = G(z, torch.zeros(4, dtype=torch.long)), G(z, torch.ones(4, dtype=torch.long))
    assert a.shape == (4, 3, 32, 32) and not torch.allclose(a, b)
    assert D(a, torch.zeros(4, dtype=torch.long)).shape == (4, 1)


def test_demodulation_gives_unit_output_variance_whatever_the_style():
    torch.manual_seed(0)
    conv = stylegan.ModulatedConv2d(64, 64, 3, w_dim=8).requires_grad_(False)
    x = torch.randn(4, 64, 16, 16)
    for scale in (0.1, 1.0, 10.0):
        w = scale * torch.randn(4, 8)
        std = conv(x, w)[..., 1:-1, 1:-1].std()  # away from the zero padding
        assert float(std) == pytest.approx(1.0, abs=0.1)
    conv.demodulate = False
    assert float(conv(x, 10 * torch.randn(4, 8)).std()) > 3


def test_modulated_conv_equals_a_plain_conv_with_scaled_inputs():
    conv = stylegan.ModulatedConv2d(5, 3, 3, w_dim=4, demodulate=False)
    x, w = torch.randn(2, 5, 6, 6), torch.randn(2, 4)
    s = conv.affine(w)
    plain = torch.stack([F.conv2d((x[i] * s[i][:, None, None])[None], conv.weight * conv.scale, padding=1)[0]
                         for i in range(2)])
    assert torch.allclose(conv(x, w), plain, atol=1e-5)


def test_adain_normalises_then_applies_the_style():
    ada = stylegan.AdaIN(4, 6)
    x, w = 3 + 2 * torch.randn(2, 4, 8, 8), torch.randn(2, 6)
    scale, shift = ada.style(w).chunk(2, 1)
    y = ada(x, w)
    assert torch.allclose(y.mean((2, 3)), shift, atol=1e-5)
    assert torch.allclose(y.std((2, 3), unbiased=False), (1 + scale).abs(), atol=1e-4)


def test_style_mixing_and_truncation_choose_layers():
    w1, w2 = torch.zeros(3, 2), torch.ones(3, 2)
    ws = stylegan.mix_styles(w1, w2, torch.tensor([0, 2, 7]), 7)
    assert ws[0].eq(1).all() and ws[1, :2].eq(0).all() and ws[1, 2:].eq(1).all() and ws[2].eq(0).all()
    t = stylegan.truncate(torch.ones(1, 7, 2), torch.zeros(2), 0.5, range(0, 3))
    assert t[0, :3].eq(0.5).all() and t[0, 3:].eq(1).all()
    G = stylegan.StyleGenerator(8, 8, 8)
    with stylegan.without_noise(G):
        z = torch.randn(2, 8)
        assert torch.equal(G(z), G(z))
    assert all(m.enabled for m in G.modules() if isinstance(m, stylegan.NoiseInput))


def test_separability_and_entropy():
    y = torch.tensor([0, 0, 1, 1] * 50)
    assert conditional_entropy(y.numpy(), y.numpy()) == 0.0
    assert conditional_entropy(y.numpy(), torch.zeros(200, dtype=torch.long).numpy()) == pytest.approx(1.0)
    gen = torch.Generator().manual_seed(0)
    latents = torch.randn(400, 5, generator=gen)
    score, parts = separability(latents, {"linear": latents[:, 0] > 0, "ring": latents.norm(dim=1) > 2.1,
                                          "constant": torch.zeros(400, dtype=torch.bool)})
    assert parts["linear"] < 0.05 and parts["ring"] > 0.5 and "constant" not in parts
    assert score == pytest.approx(math.exp(parts["linear"] + parts["ring"]))
    assert trimmed_mean(torch.cat([torch.ones(98), torch.tensor([1e6, -1e6])])) == pytest.approx(1.0)


@pytest.mark.parametrize("name", ["progan-shapes", "biggan-shapes", "stylegan-shapes"])
def test_part3_runs_resume_exactly(name, tmp_path):
    """Growth stage, spectral-norm vectors, w's running mean and mixing draws all survive a checkpoint."""
    from ganbook.experiments.registry import registry

    exp = registry()[name]
    config = exp.Config.for_profile("smoke", steps=8)
    torch.set_num_threads(1)
    straight = exp.build(config).fit(8, progress=False)
    exp.build(config).fit(5, progress=False, checkpoint=tmp_path / "half.pt")
    resumed = exp.build(config)
    resumed.resume(tmp_path / "half.pt")
    resumed.fit(8, progress=False)
    assert resumed.history["loss_d"] == straight.history["loss_d"]
    assert resumed.history["loss_g"] == straight.history["loss_g"]
    for a, b in zip(straight.G.state_dict().values(), resumed.G.state_dict().values()):
        assert torch.equal(a, b)
