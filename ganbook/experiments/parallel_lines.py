"""Chapter 4: the two parallel lines of Arjovsky et al. (2017, Example 1), computed exactly.

P_0 is uniform on the segment {0} x [0, 1], P_theta uniform on {theta} x [0, 1].
Both are discretised into ``n`` equally spaced atoms, so every divergence below
is an exact computation on the discretised measures, not a picture drawn from
the formula: JS from the two histograms over the union of atoms (log 2 as soon
as the lines differ), KL (infinite then), W1 from the optimal transport linear
program (|theta|).
"""

from __future__ import annotations

import numpy as np

from .. import metrics


def line(theta: float, n: int = 64) -> np.ndarray:
    """``n`` equally spaced points on the segment {theta} x [0, 1], shape ``(n, 2)``."""
    return np.stack([np.full(n, float(theta)), np.linspace(0.0, 1.0, n)], axis=1)


def _histograms(a: np.ndarray, b: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Counts of ``a`` and ``b`` over the union of their atoms (rounded to 1e-9)."""
    atoms, inverse = np.unique(np.round(np.vstack([a, b]), 9), axis=0, return_inverse=True)
    inverse = inverse.reshape(-1)
    p = np.bincount(inverse[: len(a)], minlength=len(atoms))
    q = np.bincount(inverse[len(a):], minlength=len(atoms))
    return p, q


def sweep(thetas: np.ndarray, n: int = 64) -> dict[str, np.ndarray]:
    """JS, KL(P_0 || P_theta) and W1 between the two lines for every ``theta``."""
    base = line(0.0, n)
    js, kl, w1 = [], [], []
    for t in thetas:
        other = line(t, n)
        p, q = _histograms(base, other)
        js.append(metrics.js_discrete(p, q))
        kl.append(metrics.kl_discrete(p, q))
        w1.append(metrics.wasserstein1_points(base, other))
    return {"theta": np.asarray(thetas, dtype=float), "js": np.asarray(js), "kl": np.asarray(kl), "w1": np.asarray(w1)}
