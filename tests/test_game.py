"""Chapter 2-4 machinery: divergences, D*, penalties, the Dirac-GAN, trainer options."""

import math
from dataclasses import replace

import numpy as np
import pytest
import torch
from scipy import stats

from ganbook import metrics, penalties
from ganbook.anchors import anchor
from ganbook.experiments import dirac, fixed_g, parallel_lines, runs, toy2d
from ganbook.models import MinibatchMLPDiscriminator, MLPDiscriminator
from ganbook.games import FeatureMatchingGame, Objective
from ganbook import losses
from helpers import assert_resumes_exactly


def test_kl_normal_closed_form_matches_quadrature():
    p, q = stats.norm(4, 1.25), stats.norm(1.5, 0.75)
    closed = metrics.kl_normal(4, 1.25, 1.5, 0.75)
    assert closed == pytest.approx(metrics.kl_divergence(p.logpdf, q.logpdf, -20, 25, [1.5, 4]), rel=1e-8)
    assert metrics.kl_normal(0, 1, 0, 1) == 0.0
    assert metrics.kl_normal(1, 1, 0, 1) == pytest.approx(0.5)


def test_value_at_optimum_is_two_jsd_minus_log4():
    p, q = stats.norm(0, 1), stats.norm(2, 0.5)
    v = metrics.value_at_optimum(p.logpdf, q.logpdf, -15, 15, [0, 2])
    assert v == pytest.approx(2 * metrics.js_normals(0, 1, 2, 0.5) - math.log(4), abs=1e-9)
    assert metrics.value_at_optimum(p.logpdf, p.logpdf, -15, 15) == pytest.approx(-math.log(4), abs=1e-9)
    assert metrics.js_normals(0, 0.01, 5, 0.01) == pytest.approx(math.log(2), abs=1e-9)  # disjoint


def test_discrete_divergences():
    assert metrics.js_discrete([1, 1], [1, 1]) == 0.0
    assert metrics.js_discrete([1, 0], [0, 1]) == pytest.approx(math.log(2))
    assert math.isinf(metrics.kl_discrete([1, 1], [1, 0]))
    assert metrics.kl_discrete([3, 1], [1, 1]) == pytest.approx(0.75 * math.log(1.5) + 0.25 * math.log(0.5))
    with pytest.raises(ValueError, match="different numbers of bins"):
        metrics.kl_discrete([1, 2], [1, 2, 3])


def test_optimal_discriminator_is_half_where_densities_agree_and_exact_in_tails():
    p, q = stats.norm(0, 1), stats.norm(0, 2)
    d = metrics.optimal_discriminator(p.logpdf, q.logpdf)
    x = np.array([0.0, 60.0])
    assert d(x)[0] == pytest.approx(p.pdf(0) / (p.pdf(0) + q.pdf(0)))
    assert d(x)[1] == 0.0  # far tail: p/(p+q) -> 0, no 0/0
    assert metrics.optimal_discriminator(p.logpdf, p.logpdf)(x).tolist() == [0.5, 0.5]


def test_parallel_lines_js_flat_w1_linear():
    r = parallel_lines.sweep(np.array([-0.5, 0.0, 0.25, 1.0]), n=16)
    assert r["js"].tolist() == pytest.approx([math.log(2), 0.0, math.log(2), math.log(2)])
    assert np.abs(r["w1"]).tolist() == pytest.approx([0.5, 0.0, 0.25, 1.0], abs=1e-9)
    assert math.isinf(r["kl"][0]) and r["kl"][1] == 0.0


def test_gradient_penalty_of_a_linear_critic():
    D = torch.nn.Linear(2, 1, bias=False)
    with torch.no_grad():
        D.weight.copy_(torch.tensor([[3.0, 4.0]]))  # |grad| = 5 everywhere
    real, fake = torch.randn(8, 2), torch.randn(8, 2)
    rng = torch.Generator().manual_seed(0)
    assert penalties.gradient_penalty(D, real, fake, rng).item() == pytest.approx(16.0)  # (5 - 1)^2
    assert penalties.r1_penalty(D, real, fake, rng).item() == pytest.approx(25.0)


def test_two_and_one_sided_penalties_against_a_naive_formula():
    """f(x) = x^2 has slope 2|x|: the penalties at the same random points, by hand."""
    D = lambda x: (x**2).sum(1)  # noqa: E731
    real, fake = torch.linspace(-1.5, 1.5, 16)[:, None], torch.linspace(2.0, -0.2, 16)[:, None]
    eps = torch.rand(16, 1, generator=torch.Generator().manual_seed(3))
    slope = 2 * (eps * real + (1 - eps) * fake).abs().flatten()
    two = penalties.gradient_penalty(D, real, fake, torch.Generator().manual_seed(3))
    one = penalties.one_sided_gradient_penalty(D, real, fake, torch.Generator().manual_seed(3))
    assert two.item() == pytest.approx(((slope - 1) ** 2).mean().item(), rel=1e-6)
    assert one.item() == pytest.approx((torch.clamp(slope - 1, min=0) ** 2).mean().item(), rel=1e-6)
    assert 0 < one.item() < two.item()  # some slopes are below 1 and cost only in the two-sided form


def test_dirac_gan_simultaneous_diverges_alternating_circles_r1_converges():
    out = dirac.distance_to_equilibrium(dirac.simulate(1000, 0.1))[-1]
    circle = dirac.distance_to_equilibrium(dirac.simulate(1000, 0.1, alternating=True))
    damped = dirac.distance_to_equilibrium(dirac.simulate(1000, 0.1, r1_weight=1.0))[-1]
    assert out > 2.5  # starts at sqrt(2) = 1.414
    assert 1.2 < circle.min() and circle.max() < 1.6
    assert damped < 1e-3


def test_trainer_options_run_and_resume_bit_for_bit(tmp_path):
    base = toy2d.Config.for_profile("smoke", steps=6)
    variants = [runs.Variant("fm", game=FeatureMatchingGame),
                runs.Variant("noise", noise_start=0.3),
                runs.Variant("gp", Objective(losses.d_loss_wasserstein, losses.g_loss_wasserstein,
                                             penalties.gradient_penalty, 10.0))]
    for v in variants:
        noise = runs.LinearNoise(v.noise_start, base.steps) if v.noise_start else None
        parts = dict(objective=v.objective, instance_noise=noise, game=v.game)
        assert_resumes_exactly(lambda: toy2d.build(base, **parts), 6, tmp_path / f"{v.name}.pt")


def test_minibatch_discriminator_sees_the_batch():
    D = MinibatchMLPDiscriminator(2, (16, 16))
    x = torch.randn(5, 2)
    alone = D(x[:1])
    together = D(x)
    assert together.shape == (5,)
    assert not torch.allclose(alone, together[:1])  # same sample, other batch-mates
    assert D.features(x).shape == (5, 16) and MLPDiscriminator(2, (8, 4)).features(x).shape == (5, 4)


def test_run_all_is_the_same_in_one_process_and_two():
    base = toy2d.Config.for_profile("smoke", steps=20, eval_samples=200)
    vs = [runs.Variant("vanilla GAN"), runs.Variant("ls", Objective(d_loss=losses.d_loss_least_squares, g_loss=losses.g_loss_least_squares))]
    one = runs.run_all(vs, base, range(2), workers=1, progress=False)
    two = runs.run_all(vs, base, range(2), workers=2, progress=False)
    assert [r["metrics"] for r in one] == [r["metrics"] for r in two]
    assert np.array_equal(one[3]["samples"], two[3]["samples"])
    table = runs.summary(one)
    assert list(table) == ["vanilla GAN", "ls"] and set(table["ls"]) == {"modes", "high_quality", "reverse_kl"}


def test_fixed_g_short_run_learns_d_star_roughly():
    config = replace(fixed_g.Config.for_profile("smoke"), steps=300, mc_samples=20000)
    trainer = fixed_g.train(config, progress=False)
    result = fixed_g.evaluate(trainer, config)
    assert result["max_gap"] < 0.1
    assert abs(result["v_star"] - result["two_jsd_minus_log4"]) < 1e-9
    assert result["v_trained"] < result["v_star"] + 0.01  # nothing beats D* (up to sampling noise)
    assert trainer.G.mean.item() == config.g_mean  # G never moved


def test_anchor_table_cites_checked_rows_and_refuses_open_ones():
    from ganbook.anchors import Anchor, anchors

    for a in anchors().values():
        assert a.status in ("checked", "quoted") and a.read_at and a.spread  # every printed row says where it was read
        assert a.source in a.cite()
    assert "as quoted by" in anchor("infogan-mnist-categorical").cite()
    assert "standard error" in anchor("pacgan-grid-gan").spread
    unread = Anchor("x", "a row nobody checked", {"modes": (1.0, 0.0)}, "?", "Someone 2020", "?", "open", "")
    with pytest.raises(ValueError, match="not checked against its paper"):
        unread.cite()
    with pytest.raises(ValueError, match="status must be one of"):
        Anchor("y", "", {}, "", "", "", "recalled", "")
    with pytest.raises(KeyError, match="choose one of"):
        anchor("nope")


def test_summary_gives_standard_errors_for_rows_beside_pacgan():
    results = [{"variant": "a", "metrics": {"modes": m, "high_quality": 0.5, "reverse_kl": 0.1}} for m in (20, 22, 24)]
    std = runs.summary(results)["a"]["modes"]
    se = runs.summary(results, spread="se")["a"]["modes"]
    assert std == pytest.approx((22.0, (8 / 3) ** 0.5))  # population std of 20, 22, 24
    assert se == pytest.approx((22.0, 2.0 / 3 ** 0.5))  # sample std 2, over sqrt(3) trials
    with pytest.raises(ValueError, match="'std' or 'se'"):
        runs.summary(results, spread="iqr")


def test_saturating_gradient_vanishes_against_a_trained_discriminator():
    from ganbook.experiments import strong_d

    config = toy2d.Config.for_profile("smoke", g_hidden=(32, 32), d_hidden=(32, 32))
    records = strong_d.train_d_only(config, d_steps=150, probe_every=150, progress=False)
    first, last = records[0], records[-1]
    assert last["accuracy"] > 0.9 and last["mean_d_fake"] < first["mean_d_fake"]
    assert last["non-saturating"] > 10 * last["saturating"]


def test_format_summary_prints_percent_and_marks_runs_without_hq_samples():
    text = runs.format_summary({"a": {"modes": (20.0, 2.8), "high_quality": (0.151, 0.074), "reverse_kl": (0.83, 0.16)},
                                "b": {"modes": (1.0, 0.0), "high_quality": (0.0, 0.0), "reverse_kl": (math.inf, math.nan)}})
    assert "15.1 +- 7.4" in text and "20.0 +- 2.8" in text and "no HQ sample" in text
