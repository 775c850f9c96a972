"""Progressive growing, BigGAN's blocks and the style-based generator (chapters 14-16)."""

import math

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from sklearn.svm import LinearSVC

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


def test_standing_statistics_average_the_batch_norms_inputs_and_leave_the_rest_alone():
    torch.manual_seed(0)
    G = spectral_normalised_big_generator()
    with torch.no_grad():  # a G whose batch-norm inputs are far from zero-mean, unit-variance
        G.dense.parametrizations.weight.original.mul_(3.0)
    state = {k: v.clone() for k, v in G.state_dict().items() if "running" not in k and "num_batches" not in k}
    seen: dict[str, list[torch.Tensor]] = {}
    norms = {name: m for name, m in G.named_modules() if isinstance(m, torch.nn.BatchNorm2d)}
    hooks = [m.register_forward_hook(lambda m, inp, out, name=name: seen.setdefault(name, []).append(inp[0]))
             for name, m in norms.items()]
    biggan.standing_statistics(G, batches=3, batch_size=8, seed=7)
    for h in hooks:
        h.remove()
    for name, m in norms.items():  # naive: the mean over batches of each batch's mean and unbiased variance
        xs = seen[name]
        assert len(xs) == 3
        mean = torch.stack([x.mean((0, 2, 3)) for x in xs]).mean(0)
        var = torch.stack([x.var((0, 2, 3), unbiased=True) for x in xs]).mean(0)
        torch.testing.assert_close(m.running_mean, mean, rtol=1e-4, atol=1e-5)
        torch.testing.assert_close(m.running_var, var, rtol=1e-4, atol=1e-5)
        assert m.momentum == 0.1 and m.training == G.training  # as before the call
    after = G.state_dict()
    for k, v in state.items():  # weights and the spectral norms' vectors untouched
        torch.testing.assert_close(after[k], v, rtol=0, atol=0)
    first = {k: v.clone() for k, v in after.items()}
    biggan.standing_statistics(G, batches=3, batch_size=8, seed=7)  # the same again: it depends on weights and seed
    for k, v in G.state_dict().items():
        torch.testing.assert_close(v, first[k], rtol=0, atol=0)


def spectral_normalised_big_generator() -> biggan.BigGenerator:
    from ganbook import spectral
    return spectral.spectrally_normalise(biggan.BigGenerator(latent_dim=8, n_classes=4, width=4, embed_dim=4))


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


def test_modulated_conv_forward_is_the_per_sample_convolution_with_its_modulated_weight():
    torch.manual_seed(1)
    conv = stylegan.ModulatedConv2d(6, 5, 3, w_dim=4).requires_grad_(False)
    x, w = torch.randn(3, 6, 7, 7), torch.randn(3, 4)
    weight = conv.modulated_weight(w)  # (n, c_out, c_in, k, k), demodulated
    naive = torch.stack([F.conv2d(x[i:i + 1], weight[i], padding=1)[0] for i in range(3)])
    torch.testing.assert_close(conv(x, w), naive, rtol=1e-4, atol=1e-5)


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


# StyleGAN's metrics/linear_separability.py, written again: their pruning, their SVM call, their entropy loops.
def their_conditional_entropy(p) -> float:
    p = np.asarray(p, dtype=np.float32)
    p = p / p.sum()
    px, py = p.sum(1), p.sum(0)
    mutual, h_y = 0.0, 0.0
    for x in range(2):
        for y in range(2):
            if p[x][y] > 0:
                mutual += p[x][y] * np.log2(p[x][y] / (px[x] * py[y]))
    for y in range(2):
        if py[y] > 0:
            h_y -= py[y] * np.log2(py[y])
    return max(0.0, h_y - mutual)


def their_separability(latents: np.ndarray, predictions: dict, num_keep: int, seed: int) -> tuple:
    entropies = {}
    for name, pred in predictions.items():  # pred (n, 2): the classifier's two class probabilities
        kept = sorted(range(len(pred)), key=lambda i: -np.max(pred[i]))[:num_keep]
        targets = np.argmax(pred[kept], axis=1)
        try:
            svm = LinearSVC(penalty="l2", loss="squared_hinge", dual=True, tol=1e-4, C=1.0, max_iter=1000,
                            random_state=seed)
            svm.fit(latents[kept], targets)
            outputs = svm.predict(latents[kept])
        except ValueError:  # one class only
            outputs = targets
        p = [[np.mean([case == (row, col) for case in zip(outputs, targets)]) for col in (0, 1)] for row in (0, 1)]
        entropies[name] = their_conditional_entropy(p)
    return 2 ** np.sum(list(entropies.values())), entropies


def ours(latents: torch.Tensor, p: dict, keep: float = 0.5) -> tuple:
    """Our separability from attribute probabilities ``p``: label p > 0.5, confidence max(p, 1 - p)."""
    return separability(latents, {k: v > 0.5 for k, v in p.items()},
                        {k: torch.maximum(v, 1 - v) for k, v in p.items()}, keep=keep)


@pytest.mark.filterwarnings("ignore::sklearn.exceptions.ConvergenceWarning")
def test_separability_is_stylegans_formula():
    gen = torch.Generator().manual_seed(0)
    latents = torch.randn(600, 6, generator=gen)
    x = latents.double()
    p = {"linear": torch.sigmoid(3 * x[:, 0]), "noisy": torch.sigmoid(2 * (x[:, 1] + torch.randn(600, generator=gen))),
         "ring": torch.sigmoid(x.pow(2).sum(1) - 6), "constant": torch.full((600,), 0.9, dtype=torch.float64)}
    score, parts = ours(latents, p)
    predictions = {k: torch.stack([v, 1 - v], 1).numpy() for k, v in p.items()}
    their_score, their_parts = their_separability(latents.numpy(), predictions, num_keep=300, seed=0)
    assert parts == pytest.approx(their_parts, abs=1e-6) and score == pytest.approx(their_score, rel=1e-6)
    assert parts["constant"] == 0.0 and parts["linear"] < 0.05 < parts["noisy"] and parts["ring"] > 0.5
    assert score == pytest.approx(2 ** sum(parts.values()))  # measured: 0, 0.51, 0.87 and 0 bits, 2.60


def test_separability_known_answers():
    gen = torch.Generator().manual_seed(1)
    latents = torch.randn(4000, 6, generator=gen)
    margin = latents @ torch.randn(6, 3, generator=gen)  # three half-spaces, sure far from their boundary
    labels = {f"a{j}": margin[:, j] > 0 for j in range(3)}
    assert separability(latents, labels, {k: margin[:, j].abs() for j, k in enumerate(labels)})[0] == 1.0
    coins = {f"a{j}": torch.rand(4000, generator=gen) < 0.5 for j in range(3)}  # nothing to do with the latents
    score, parts = separability(latents, coins, {k: torch.rand(4000, generator=gen) for k in coins})
    assert all(0.98 < h <= 1.0 for h in parts.values()) and 7.6 < score <= 8.0  # 2 ** (3 x 1 bit)
    noisy = latents[:, 0] > 0  # the least sure half of the labels are coin flips: pruned away, a half-space again
    sure = latents[:, 0].abs()
    noisy = torch.where(sure < sure.median(), torch.rand(4000, generator=gen) < 0.5, noisy)
    assert separability(latents, {"x": noisy}, {"x": sure})[1]["x"] == 0.0
    assert separability(latents, {"x": noisy}, {"x": sure}, keep=1.0)[1]["x"] > 0.3


def test_conditional_entropy_and_stylegans_outlier_rejection():
    y = torch.tensor([0, 0, 1, 1] * 50)
    assert conditional_entropy(y.numpy(), y.numpy()) == 0.0
    assert conditional_entropy(y.numpy(), torch.zeros(200, dtype=torch.long).numpy()) == pytest.approx(1.0)
    x = (torch.arange(200) % 3 == 0).numpy()
    assert conditional_entropy(y.numpy(), x) == pytest.approx(their_conditional_entropy(
        [[np.mean((x == i) & (y.numpy() == j)) for j in (0, 1)] for i in (0, 1)]), abs=1e-6)
    values = torch.randn(1001, dtype=torch.float64, generator=torch.Generator().manual_seed(2)).exp()
    lo, hi = np.percentile(values.numpy(), 1, method="lower"), np.percentile(values.numpy(), 99, method="higher")
    kept = values.numpy()[(values.numpy() >= lo) & (values.numpy() <= hi)]
    assert len(kept) == 981 and trimmed_mean(values) == pytest.approx(float(kept.mean()), rel=1e-12)
    assert trimmed_mean(torch.tensor([-1e6] * 5 + [1.0] * 990 + [1e6] * 5)) == 1.0


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


def test_broadcast_gives_every_layer_the_same_w():
    G = stylegan.StyleGenerator(8, 8, 8)
    w, z = torch.randn(3, 8), torch.randn(3, 8)
    ws = G.broadcast(w)
    assert ws.shape == (3, G.num_ws, 8) and all(torch.equal(ws[:, i], w) for i in range(G.num_ws))
    assert torch.equal(G.styles(z), G.broadcast(G.mapping(z)))
    assert [G.resolution(i) for i in range(G.num_ws)] == [4, 8, 8, 16, 16, 32, 32]
    assert [G.resolution(i) for i in G.COARSE] == [4, 8, 8] and {G.resolution(i) for i in G.FINE} == {32}


def test_crossover_shares_say_which_source_the_reader_sees():
    from ganbook.experiments import stylegan_analysis as ss

    a, b = torch.tensor([0, 1, 2, 3]), torch.tensor([0, 2, 2, 1])
    mix = torch.tensor([0, 1, 2, 0])  # pairs 1 and 3 differ: one read as A's, the other as neither
    assert ss._sides(a, b, mix) == {"A": 0.5, "B": 0.0}
    assert ss._sides(torch.zeros(2, 2), torch.ones(2, 2), torch.tensor([[0.1, 0.2], [0.9, 0.6]])) == {"A": 0.5, "B": 0.5}
    assert [ss.from_a(c, 7) for c in (0, 1, 3, 7)] == ["all from B", "layer 0 from A", "layers 0-2 from A",
                                                       "all from A"]
    torch.manual_seed(0)
    G = stylegan.StyleGenerator(8, 8, 8).eval()
    wa, wb = ss.style_pairs(G, 2)
    ends = ss.mixing_rows(G, wa, wb, 0), ss.mixing_rows(G, wa, wb, G.num_ws)
    assert ends[0].shape == (6, 3, 32, 32)
    assert torch.allclose(ends[0][2::3], ends[0][1::3]) and torch.allclose(ends[1][2::3], ends[1][0::3])
    shares = ss.crossover_shares(G, 8)
    assert list(shares) == list(range(1, G.num_ws))
    for factors in shares.values():
        assert list(factors) == list(ss.CROSSOVER_FACTORS)
        for name in ("size", "position"):  # always nearer one source
            assert factors[name]["A"] + factors[name]["B"] == pytest.approx(1.0)
    table = ss.crossover_table(shares)
    assert set(table) == {f"{f}, as {s}'s" for f in ss.CROSSOVER_FACTORS for s in "AB"}
    assert list(table["size, as A's"]) == ["0", "0-1", "0-2", "0-3", "0-4", "0-5"]


def test_edit_and_its_report():
    from ganbook.data import shapes
    from ganbook.experiments import stylegan_analysis as ss

    torch.manual_seed(0)
    G = stylegan.StyleGenerator(8, 8, 8).eval()
    w = G.mapping(torch.randn(2, 8)).detach()
    amount, before, after = ss.edit(G, w, torch.ones(8) / 8 ** 0.5, "size", change=10.0, largest=2.0, tries=4)
    assert amount == 2.0 and before.shape == after.shape == (2, 3, 32, 32)  # never reached: the largest step
    with stylegan.without_noise(G), torch.no_grad():
        assert torch.allclose(after, G.synthesis(G.broadcast(w + 2.0 * torch.ones(8) / 8 ** 0.5)))
    report = ss.edit_report(shapes.world("test"), before, after)
    assert report["PSNR (dB, range 2)"] == pytest.approx(10 * math.log10(4 / report["pixel MSE (images in [-1, 1])"]))
    assert all(0 <= report[k] <= 1 for k in report if k.endswith("unchanged") or "read as" in k)
    z, w, images = ss.latent_samples(G, 5, chunk=2)
    assert z.shape == (5, 8) and w.shape == (5, 8) and images.shape == (5, 3, 32, 32)
    assert ss.AnalysisConfig.for_profile("smoke").project_steps < ss.AnalysisConfig.for_profile("cpu").project_steps


def test_table3_sets_ours_beside_the_papers_rows():
    from ganbook.experiments import stylegan_analysis as ss

    path = {(s, k): 1.0 for s in "ZW" for k in ("full", "end")}
    rows = ss.table3(path, {"Z": 2.0, "W": 3.0})
    assert rows["ours, in W"] == {"path length, full": 1.0, "path length, end": 1.0, "separability": 3.0}
    plain, z = rows["StyleGAN Table 3: style-based G, in W"], rows["StyleGAN Table 3: traditional G, in Z"]
    # the paper's plain style-based generator has the longer full path, the shorter end one
    assert plain["path length, full"] > z["path length, full"] and plain["path length, end"] < z["path length, end"]
    assert len(rows) == 2 + len(ss.TABLE3_ROWS)
    from ganbook.experiments import stylegan_shapes

    runs = {0.0: {"variant": "mixing 0%", "fd_1": 1.0, "fd_2": 2.0}}
    assert list(stylegan_shapes.table2(runs)) == ["mixing 0%", "StyleGAN Table 2 (FID): no mixing", "StyleGAN Table 2 (FID): mixing 90%"]


def test_progan_table_means_and_standard_errors_per_budget():
    from ganbook.experiments import progan_shapes

    def run(grow, seed, swd, fd, step, seconds, equal=None):
        return {"grow": grow, "seed": seed, "swd": swd, "metrics": {"fd": fd, "recall": 0.5}, "step": step,
                "seconds": seconds, "equal_time": equal}

    results = [run(True, 0, [1.0, 3.0], 10.0, 100, 5.0), run(True, 1, [3.0, 5.0], 20.0, 100, 7.0),
               run(False, 0, [5.0, 5.0], 30.0, 100, 9.0, {"swd": [7.0, 9.0], "metrics": {"fd": 50.0, "recall": 0.1},
                                                          "step": 60, "seconds": 5.0}),
               run(False, 1, [5.0, 7.0], 40.0, 100, 11.0, {"swd": [9.0, 9.0], "metrics": {"fd": 70.0, "recall": 0.2},
                                                           "step": 70, "seconds": 7.0})]
    rows = progan_shapes.table(results)
    se = lambda a, b: abs(a - b) / 2  # two values: sample std / sqrt(2) = |a - b| / 2
    assert rows["grown"]["SWD x1e3, average"] == pytest.approx((3.0, se(2.0, 4.0)))
    assert rows["grown"]["SWD x1e3, 32 px"] == pytest.approx((2.0, se(1.0, 3.0)))
    assert rows["full size, same steps"]["reader FD"] == pytest.approx((35.0, se(30.0, 40.0)))
    assert rows["full size, same time"]["steps"] == pytest.approx((65.0, 5.0))
    assert rows["full size, same time"]["SWD x1e3, average"] == pytest.approx((8.5, se(8.0, 9.0)))
    assert rows["full size, same time"]["training seconds"] == pytest.approx((6.0, 1.0))


def test_biggan_samples_with_standing_or_copied_statistics():
    from ganbook.experiments import biggan_shapes

    trainer = biggan_shapes.build(biggan_shapes.Config.for_profile("smoke")).fit(3, progress=False)
    copied = biggan_shapes.sample(trainer, 8, math.inf, standing=False)
    means = lambda G: [m.running_mean.clone() for m in G.modules() if isinstance(m, torch.nn.BatchNorm2d)]
    assert all(torch.equal(a, b) for a, b in zip(means(trainer.G_ema), means(trainer.G)))
    first = biggan_shapes.sample(trainer, 8, math.inf)
    assert not all(torch.equal(a, b) for a, b in zip(means(trainer.G_ema), means(trainer.G)))
    assert not torch.allclose(first, copied) and torch.equal(biggan_shapes.sample(trainer, 8, math.inf), first)


def test_widths_double_towards_the_coarse_layers_up_to_the_cap():
    assert progan.widths(16) == (16, 16, 16, 16)
    assert progan.widths(16, 128) == (128, 64, 32, 16)
    assert progan.widths(32, 64) == (64, 64, 64, 32)
    with pytest.raises(ValueError, match="max_width 8 is below width 16"):
        progan.widths(16, 8)
    G = stylegan.StyleGenerator(latent_dim=8, w_dim=8, width=4, mapping_layers=1, max_width=16)
    assert [layer.conv.weight.shape[:2] for layer in G.layers] == [
        (16, 16), (16, 16), (16, 16), (8, 16), (8, 8), (4, 8), (4, 4)]  # (out, in) at 4, 8, 8, 16, 16, 32, 32 px
    assert G(torch.randn(2, 8)).shape == (2, 3, 32, 32)
    D = progan.ProDiscriminator(4, max_width=16)
    x = torch.randn(4, 3, 32, 32)
    for level in range(4):  # every stage and fade reads the image through matching widths
        D.set_stage(level, 0.5)
        assert D(x).shape == (4, 1)
    assert D.final_dense.weight.shape == (16, 16 * 16)
