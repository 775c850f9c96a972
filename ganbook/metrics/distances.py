"""One-dimensional distances between a sample and a distribution, or two samples.

1-D: the Wasserstein-1 distance and the Kolmogorov-Smirnov statistic, both
between a sample and an exact distribution, or between two samples.
"""

from __future__ import annotations

import math
from collections.abc import Callable

import numpy as np
from scipy import special, stats

ArrayLike = np.ndarray | list[float]


def _as_1d(x: ArrayLike) -> np.ndarray:
    if hasattr(x, "detach"):  # a torch tensor
        x = x.detach().cpu().double().numpy()  # type: ignore[union-attr]
    a = np.asarray(x, dtype=np.float64)
    a = a.reshape(-1) if a.ndim == 2 and 1 in a.shape else a
    if a.ndim != 1:
        raise ValueError(f"expected 1-D samples of shape (N,) or (N, 1), got {a.shape}")
    if not np.all(np.isfinite(a)):
        raise ValueError("samples contain NaN or infinite values")
    return a


def wasserstein1_samples(a: ArrayLike, b: ArrayLike) -> float:
    """W1 between the empirical distributions of two 1-D samples (scipy)."""
    return float(stats.wasserstein_distance(_as_1d(a), _as_1d(b)))


def wasserstein1_normals(mean1: float, std1: float, mean2: float, std2: float) -> float:
    r"""Exact W1 between N(mean1, std1^2) and N(mean2, std2^2).

    In 1-D, :math:`W_1 = \int_0^1 |F_1^{-1}(u) - F_2^{-1}(u)|\,du = \mathbb{E}|a + bZ|`
    with :math:`a = \mu_1 - \mu_2`, :math:`b = \sigma_1 - \sigma_2`, :math:`Z \sim N(0,1)`:
    the mean of a folded normal. With equal scales it is :math:`|\mu_1 - \mu_2|`.
    """
    a, b = mean1 - mean2, abs(std1 - std2)
    if b == 0.0:
        return abs(a)
    return b * math.sqrt(2 / math.pi) * math.exp(-(a**2) / (2 * b**2)) + a * (
        1 - 2 * stats.norm.cdf(-a / b)
    )


def wasserstein1_to_normal(samples: ArrayLike, mean: float, std: float) -> float:
    r"""Exact W1 between the empirical distribution of ``samples`` and N(mean, std^2).

    No second sample is drawn: with :math:`x_{(1)} \le \dots \le x_{(n)}` sorted and
    :math:`q` the normal quantile function,

    .. math:: W_1 = \sum_i \int_{(i-1)/n}^{i/n} |x_{(i)} - q(u)|\,du,

    and each integral is closed-form because
    :math:`\int_{u_1}^{u_2} q(u)\,du = \mu (u_2 - u_1) - \sigma(\varphi(q_0(u_2)) - \varphi(q_0(u_1)))`
    with :math:`q_0` the standard normal quantile and :math:`\varphi` its density.
    """
    x = np.sort(_as_1d(samples))
    n = x.size
    u_lo = np.arange(n) / n
    u_hi = np.arange(1, n + 1) / n
    # where q(u) crosses x_(i), clipped into the slice [u_lo, u_hi]
    u_c = np.clip(stats.norm.cdf(x, loc=mean, scale=std), u_lo, u_hi)

    def phi_q(u: np.ndarray) -> np.ndarray:  # phi(q0(u)), with phi(q0(0)) = phi(q0(1)) = 0
        z = special.ndtri(np.clip(u, 0.0, 1.0))
        return np.where(np.isfinite(z), stats.norm.pdf(z), 0.0)

    def q_integral(u1: np.ndarray, u2: np.ndarray) -> np.ndarray:
        return mean * (u2 - u1) - std * (phi_q(u2) - phi_q(u1))

    below = x * (u_c - u_lo) - q_integral(u_lo, u_c)  # q(u) <= x here
    above = q_integral(u_c, u_hi) - x * (u_hi - u_c)  # q(u) >= x here
    return float(np.sum(below + above))


def ks_to_normal(samples: ArrayLike, mean: float, std: float) -> float:
    """Kolmogorov-Smirnov statistic sup |F_n - F| against N(mean, std^2) (scipy)."""
    return ks_to_cdf(samples, stats.norm(loc=mean, scale=std).cdf)


def wasserstein1_to_cdf(samples: ArrayLike, cdf: Callable[[np.ndarray], np.ndarray],
                        support: tuple[float, float], points: int = 20001) -> float:
    r"""W1 between the empirical distribution of ``samples`` and any distribution with the exact ``cdf``.

    :math:`W_1 = \int |F_n(x) - F(x)|\,dx`, by the trapezoid rule on a grid of
    ``points`` over ``support`` (widened to cover the sample) merged with the sorted
    sample itself, so that :math:`F_n` is constant inside every interval. Outside
    ``support`` the target must hold negligible mass. For a normal target use
    :func:`wasserstein1_to_normal`, which is closed-form.
    """
    x = np.sort(_as_1d(samples))
    lo, hi = min(support[0], x[0]), max(support[1], x[-1])
    grid = np.union1d(np.linspace(lo, hi, points), x)
    mid = (grid[:-1] + grid[1:]) / 2  # F_n is constant between grid points; evaluate F at both ends
    f_n = np.searchsorted(x, mid, side="right") / x.size
    gap_lo, gap_hi = np.abs(f_n - cdf(grid[:-1])), np.abs(f_n - cdf(grid[1:]))
    return float(np.sum((gap_lo + gap_hi) / 2 * np.diff(grid)))


def ks_to_cdf(samples: ArrayLike, cdf: Callable[[np.ndarray], np.ndarray]) -> float:
    """Kolmogorov-Smirnov statistic sup |F_n - F| against any exact, continuous ``cdf`` (scipy)."""
    return float(stats.kstest(_as_1d(samples), cdf).statistic)


def ks_samples(a: ArrayLike, b: ArrayLike) -> float:
    """Two-sample Kolmogorov-Smirnov statistic (scipy)."""
    return float(stats.ks_2samp(_as_1d(a), _as_1d(b)).statistic)
