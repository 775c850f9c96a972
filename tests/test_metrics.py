"""Distances with known answers."""

import math

import numpy as np
import pytest

from ganbook import metrics


@pytest.mark.parametrize("m1,m2,s", [(0.0, 3.0, 1.0), (4.0, 4.5, 1.25), (-2.0, 2.0, 0.1)])
def test_w1_of_equal_scale_gaussians_is_mean_gap(m1, m2, s):
    assert metrics.wasserstein1_normals(m1, s, m2, s) == pytest.approx(abs(m1 - m2))
    rng = np.random.default_rng(0)
    a, b = rng.normal(m1, s, 200_000), rng.normal(m2, s, 200_000)
    assert metrics.wasserstein1_samples(a, b) == pytest.approx(abs(m1 - m2), abs=0.02 * s)
    assert metrics.wasserstein1_to_normal(a, m2, s) == pytest.approx(abs(m1 - m2), abs=0.02 * s)


def test_w1_of_same_mean_gaussians_is_scale_gap_times_sqrt_2_over_pi():
    # E|(s1 - s2) Z| = |s1 - s2| sqrt(2/pi)
    assert metrics.wasserstein1_normals(1.0, 2.0, 1.0, 0.5) == pytest.approx(1.5 * math.sqrt(2 / math.pi))


def test_w1_to_normal_of_a_single_point_is_mean_absolute_deviation():
    # W1(delta_mu, N(mu, s^2)) = E|s Z| = s sqrt(2/pi)
    assert metrics.wasserstein1_to_normal([4.0], 4.0, 1.25) == pytest.approx(1.25 * math.sqrt(2 / math.pi))


def test_w1_to_normal_agrees_with_scipy_on_a_mismatched_sample():
    rng = np.random.default_rng(1)
    x = rng.normal(3.0, 2.0, 5000)
    exact = metrics.wasserstein1_to_normal(x, 4.0, 1.25)
    approx = metrics.wasserstein1_samples(x, rng.normal(4.0, 1.25, 2_000_000))
    assert exact == pytest.approx(approx, abs=5e-3)
    assert exact == pytest.approx(metrics.wasserstein1_normals(3, 2, 4, 1.25), abs=0.05)


def test_w1_of_point_clouds_assignment_equals_linear_program():
    from scipy import stats
    rng = np.random.default_rng(5)
    a, b = rng.normal(size=(120, 2)), rng.normal(size=(120, 2)) + [1.5, 0.0]
    assert metrics.wasserstein1_points(a, b) == pytest.approx(stats.wasserstein_distance_nd(a, b), rel=1e-9)
    # a cloud against itself shifted by (3, 4): every point moves 5
    assert metrics.wasserstein1_points(a, a + [3.0, 4.0]) == pytest.approx(5.0)
    # unequal sizes take the linear program: two points at 0 and 2 against one at 1
    assert metrics.wasserstein1_points(np.array([[0.0], [2.0]]), np.array([[1.0]])) == pytest.approx(1.0)


def test_ks():
    rng = np.random.default_rng(2)
    assert metrics.ks_to_normal(rng.normal(0, 1, 20000), 0, 1) < 0.015
    # a unit shift: sup |Phi(x) - Phi(x - 1)| = 2 Phi(1/2) - 1 = 0.3829
    assert metrics.ks_to_normal(rng.normal(1, 1, 200000), 0, 1) == pytest.approx(0.3829, abs=0.01)
    assert metrics.ks_samples([0, 1, 2], [10, 11, 12]) == 1.0


def test_metrics_reject_nan():
    with pytest.raises(ValueError, match="NaN"):
        metrics.wasserstein1_to_normal([0.0, float("nan")], 0, 1)
