"""2-D toys have the papers' geometry, and the mode metrics give known answers on them."""

import math

import numpy as np
import pytest
import torch

from ganbook import metrics
from ganbook.data import Spiral, grid, load, ring
from ganbook.errors import DataError


def test_ring_and_grid_geometry():
    r, g = ring(), grid()
    assert r.n_modes == 8 and r.std == 0.02
    assert np.allclose(np.linalg.norm(r.centers(), axis=1), 2.0)
    assert g.n_modes == 25 and g.std == 0.05
    assert sorted(set(g.centers()[:, 0])) == [-4.0, -2.0, 0.0, 2.0, 4.0]


def test_sampling_is_seeded_and_shaped():
    a = grid().sample(100, torch.Generator().manual_seed(3))
    b = grid().sample(100, torch.Generator().manual_seed(3))
    assert a.shape == (100, 2) and a.dtype == torch.float32 and torch.equal(a, b)
    assert Spiral().sample(10, torch.Generator().manual_seed(0)).shape == (10, 2)


def test_mixture_density_integrates_to_one():
    r = ring(std=0.3)  # wide enough for a coarse grid
    xs = np.linspace(-4, 4, 401)
    xx, yy = np.meshgrid(xs, xs)
    total = r.pdf(np.stack([xx.ravel(), yy.ravel()], 1)).sum() * (xs[1] - xs[0]) ** 2
    assert total == pytest.approx(1.0, abs=1e-3)


def test_true_distribution_scores_all_modes_and_chi2_share_of_high_quality():
    g = grid()
    report = metrics.mode_report(g.sample(50000, torch.Generator().manual_seed(0)), g.centers(), g.std)
    assert report.captured == 25
    # within 3 std of the mean in 2-D: P(chi2_2 <= 9) = 1 - exp(-4.5) = 0.98889
    assert report.high_quality == pytest.approx(1 - math.exp(-4.5), abs=0.002)
    assert report.reverse_kl < 0.002


def test_generator_on_one_mode_scores_one_mode_and_log_k():
    r = ring()
    one = r.centers()[3] + 0.01 * np.random.default_rng(0).standard_normal((1000, 2))
    report = metrics.mode_report(one, r.centers(), r.std)
    assert report.captured == 1 and report.high_quality == 1.0
    assert report.reverse_kl == pytest.approx(math.log(8))
    assert report.counts[3] == 1000


def test_samples_between_modes_are_not_high_quality():
    g = grid()
    between = np.full((10, 2), 1.0)  # equidistant from four modes
    report = metrics.mode_report(between, g.centers(), g.std)
    assert report.captured == 0 and report.high_quality == 0.0 and math.isinf(report.reverse_kl)


def test_unknown_data_set_names_the_choices():
    with pytest.raises(DataError, match="ring, grid, ring-pacgan, spiral"):
        load("moons")


def test_1d_mixture_moments_density_and_sampling():
    from ganbook.data import Gaussian1D, GaussianMixture1D
    m = GaussianMixture1D(means=(-3.0, 3.0), stds=(1.0, 0.5), weights=(3.0, 1.0))
    assert m.mean == pytest.approx(-1.5) and m.std == pytest.approx(math.sqrt(0.75 * 10 + 0.25 * 9.25 - 2.25))
    x = np.linspace(*m.support(8.0), 20001)
    assert np.trapezoid(m.pdf(x), x) == pytest.approx(1.0, abs=1e-6)
    assert m.cdf(np.array([-3.0]))[0] == pytest.approx(0.75 * 0.5 + 0.25 * 0.0, abs=1e-6)
    s = m.sample(40000, torch.Generator().manual_seed(0))
    assert s.shape == (40000, 1) and float((s < 0).float().mean()) == pytest.approx(0.75, abs=0.01)
    assert torch.equal(s, m.sample(40000, torch.Generator().manual_seed(0)))
    one, g = GaussianMixture1D((4.0,), (1.25,), (1.0,)), Gaussian1D()
    assert np.allclose(one.cdf(x), g.cdf(x)) and np.allclose(one.pdf(x), g.pdf(x))
    with pytest.raises(ValueError, match="as many means, stds and weights"):
        GaussianMixture1D(means=(0.0, 1.0), stds=(1.0,), weights=(1.0, 1.0))


def test_w1_by_quadrature_matches_the_closed_form_and_a_known_shift():
    from ganbook.data import Gaussian1D, GaussianMixture1D
    g = Gaussian1D()
    x = g.sample(5000, torch.Generator().manual_seed(0))
    assert metrics.wasserstein1_to_cdf(x, g.cdf, g.support(8.0)) == pytest.approx(
        metrics.wasserstein1_to_normal(x, g.mean, g.std), abs=1e-5)
    m = GaussianMixture1D()
    y = m.sample(40000, torch.Generator().manual_seed(1))
    near, shifted = (metrics.wasserstein1_to_cdf(v, m.cdf, m.support(8.0)) for v in (y, y + 0.5))
    assert near < 0.03 and shifted == pytest.approx(0.5, abs=0.03)
    assert metrics.ks_to_cdf(x, g.cdf) == pytest.approx(metrics.ks_to_normal(x, g.mean, g.std), abs=1e-9)
