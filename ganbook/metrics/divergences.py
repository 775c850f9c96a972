"""Exact divergences and the optimal discriminator for known distributions.

Densities are passed as *log*-density callables (``scipy.stats.norm(4, 1.25).logpdf``
is one), so nothing here takes the log of a density that has rounded to zero.
Integrals over the real line use adaptive quadrature (``scipy.integrate.quad``);
discrete distributions (histograms) are summed exactly.
"""

from __future__ import annotations

import math
from typing import Callable, Sequence

import numpy as np
from scipy import integrate, optimize, stats
from scipy.special import expit, log_expit

LogDensity = Callable[[np.ndarray], np.ndarray]


def _quad(f: Callable[[float], float], lo: float, hi: float, points: Sequence[float] | None) -> float:
    value, _ = integrate.quad(f, lo, hi, points=points, limit=400, epsabs=1e-12, epsrel=1e-10)
    return float(value)


def kl_normal(mean1: float, std1: float, mean2: float, std2: float) -> float:
    r"""Closed-form :math:`KL(N(\mu_1, \sigma_1^2) \,\|\, N(\mu_2, \sigma_2^2))`.

    .. math:: \log\frac{\sigma_2}{\sigma_1} + \frac{\sigma_1^2 + (\mu_1 - \mu_2)^2}{2\sigma_2^2} - \frac12
    """
    return math.log(std2 / std1) + (std1**2 + (mean1 - mean2) ** 2) / (2 * std2**2) - 0.5


def _normalise(p: np.ndarray | Sequence[float], name: str) -> np.ndarray:
    a = np.asarray(p, dtype=np.float64).reshape(-1)
    if np.any(a < 0) or not np.all(np.isfinite(a)) or a.sum() <= 0:
        raise ValueError(f"{name} must be non-negative counts or probabilities with a positive sum")
    return a / a.sum()


def kl_discrete(p: np.ndarray | Sequence[float], q: np.ndarray | Sequence[float]) -> float:
    r""":math:`KL(p \| q) = \sum_i p_i \log(p_i / q_i)` for two histograms over the same bins.

    Counts are normalised first. Terms with :math:`p_i = 0` are 0; a bin with
    :math:`p_i > 0 = q_i` makes the divergence infinite.
    """
    p, q = _normalise(p, "p"), _normalise(q, "q")
    if p.shape != q.shape:
        raise ValueError(f"histograms have different numbers of bins: {p.size} and {q.size}")
    on = p > 0
    if np.any(q[on] == 0):
        return math.inf
    return float(np.sum(p[on] * np.log(p[on] / q[on])))


def js_discrete(p: np.ndarray | Sequence[float], q: np.ndarray | Sequence[float]) -> float:
    r"""Jensen-Shannon divergence :math:`\tfrac12 KL(p\|m) + \tfrac12 KL(q\|m)`, :math:`m = (p+q)/2`.

    In nats; it lies in :math:`[0, \log 2]` and equals :math:`\log 2` exactly when
    the two histograms share no bin.
    """
    p, q = _normalise(p, "p"), _normalise(q, "q")
    m = 0.5 * (p + q)
    return 0.5 * kl_discrete(p, m) + 0.5 * kl_discrete(q, m)


def kl_divergence(logp: LogDensity, logq: LogDensity, lo: float, hi: float,
                  points: Sequence[float] | None = None) -> float:
    r""":math:`KL(p\|q) = \int_{lo}^{hi} p(x) (\log p(x) - \log q(x))\,dx` by quadrature."""
    def f(x: float) -> float:
        lp = float(logp(np.asarray(x)))
        return math.exp(lp) * (lp - float(logq(np.asarray(x)))) if lp > -700 else 0.0

    return _quad(f, lo, hi, points)


def js_divergence(logp: LogDensity, logq: LogDensity, lo: float, hi: float,
                  points: Sequence[float] | None = None) -> float:
    r"""Jensen-Shannon divergence of two densities on :math:`[lo, hi]` by quadrature (nats)."""
    def f(x: float) -> float:
        lp, lq = float(logp(np.asarray(x))), float(logq(np.asarray(x)))
        lm = np.logaddexp(lp, lq) - math.log(2)
        return 0.5 * (math.exp(lp) * (lp - lm) + math.exp(lq) * (lq - lm))

    return _quad(f, lo, hi, points)


def optimal_discriminator(logp_data: LogDensity, logp_g: LogDensity) -> Callable[[np.ndarray], np.ndarray]:
    r"""The best discriminator against a fixed generator (Goodfellow et al. 2014, Prop. 1):

    .. math:: D^*(x) = \frac{p_{data}(x)}{p_{data}(x) + p_g(x)} = \sigma(\log p_{data}(x) - \log p_g(x)).

    Returned as a function of ``x``; written as a sigmoid of the log-density ratio,
    it is exact even where both densities underflow.
    """
    def d_star(x: np.ndarray) -> np.ndarray:
        x = np.asarray(x, dtype=np.float64)
        return expit(logp_data(x) - logp_g(x))

    return d_star


def value_at_optimum(logp_data: LogDensity, logp_g: LogDensity, lo: float, hi: float,
                     points: Sequence[float] | None = None) -> float:
    r""":math:`V(G, D^*) = \int p_{data} \log D^* + p_g \log(1 - D^*)\,dx` by quadrature.

    :math:`\log D^*` and :math:`\log(1 - D^*)` are evaluated as log-sigmoids of the
    log-density ratio, the form in which :func:`optimal_discriminator` defines
    :math:`D^*`. Goodfellow et al. (2014, Thm. 1) show the result equals
    :math:`2\,JSD(p_{data}\|p_g) - \log 4`; chapter 2 checks that numerically
    against :func:`js_divergence`, which integrates the divergence's own formula.
    """
    def f(x: float) -> float:
        ld, lg = float(logp_data(np.asarray(x))), float(logp_g(np.asarray(x)))
        return math.exp(ld) * float(log_expit(ld - lg)) + math.exp(lg) * float(log_expit(lg - ld))

    return _quad(f, lo, hi, points)


def js_normals(mean1: float, std1: float, mean2: float, std2: float) -> float:
    """JS divergence between two normal distributions (no closed form: quadrature over +-12 std)."""
    p, q = stats.norm(mean1, std1), stats.norm(mean2, std2)
    lo = min(mean1 - 12 * std1, mean2 - 12 * std2)
    hi = max(mean1 + 12 * std1, mean2 + 12 * std2)
    return js_divergence(p.logpdf, q.logpdf, lo, hi, points=[mean1, mean2])


def wasserstein1_points(a: np.ndarray, b: np.ndarray) -> float:
    """Exact W1 between two equally weighted point clouds of any dimension.

    ``a`` and ``b`` have shapes ``(N, d)`` and ``(M, d)``. With N = M an optimal
    plan moves each point whole (Birkhoff: the transport polytope's corners are
    permutations), so scipy's assignment solver finds it in well under a second
    for thousands of points; otherwise scipy's linear program (keep N, M in the hundreds).
    """
    a, b = np.asarray(a, dtype=np.float64), np.asarray(b, dtype=np.float64)
    if a.ndim != 2 or b.ndim != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"expected point clouds of shape (N, d) and (M, d), got {a.shape} and {b.shape}")
    if len(a) != len(b):
        return float(stats.wasserstein_distance_nd(a, b))
    cost = np.linalg.norm(a[:, None, :] - b[None, :, :], axis=2)
    rows, cols = optimize.linear_sum_assignment(cost)
    return float(cost[rows, cols].mean())
