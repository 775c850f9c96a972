"""Mode metrics for mixtures of Gaussians: modes captured, high-quality share, reverse KL.

The rule (as in the evaluation code of PacGAN, Lin et al. 2018, which follows
VEEGAN, Srivastava et al. 2017): each generated point is assigned to the nearest
mode mean; it is *high quality* when it lies within ``threshold`` standard
deviations of that mean (3 by default); a mode is *captured* when at least
``min_count`` high-quality points are assigned to it (1 by default, as in PacGAN's
code; Metz et al. 2017 use the same idea). The *reverse KL* is
``KL(q || uniform)`` where ``q`` is the histogram of the high-quality points over
the modes: 0 when they are spread evenly, ``log K`` when they all sit on one mode.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from .divergences import kl_discrete


@dataclass(frozen=True)
class ModeReport:
    """What :func:`mode_report` measured on one set of samples."""

    n_modes: int
    captured: int
    high_quality: float  # share of all samples, in [0, 1]
    reverse_kl: float  # nats; inf when no sample is high quality
    counts: tuple[int, ...]  # high-quality points per mode

    def as_dict(self) -> dict[str, float]:
        """The three headline numbers, as plain floats."""
        return {"modes": float(self.captured), "high_quality": self.high_quality, "reverse_kl": self.reverse_kl}


def assign_modes(samples: np.ndarray, centers: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Nearest mode of each point: indices ``(N,)`` and Euclidean distances ``(N,)``."""
    x = np.asarray(samples, dtype=np.float64)
    c = np.asarray(centers, dtype=np.float64)
    if x.ndim != 2 or c.ndim != 2 or x.shape[1] != c.shape[1]:
        raise ValueError(f"expected samples (N, d) and centers (K, d), got {x.shape} and {c.shape}")
    if not np.all(np.isfinite(x)):
        raise ValueError("samples contain NaN or infinite values")
    d2 = ((x[:, None, :] - c[None, :, :]) ** 2).sum(-1)  # (N, K)
    idx = d2.argmin(1)
    return idx, np.sqrt(d2[np.arange(len(x)), idx])


def mode_report(samples: np.ndarray, centers: np.ndarray, std: float,
                threshold: float = 3.0, min_count: int = 1) -> ModeReport:
    """Modes captured, share of high-quality samples and reverse KL of ``samples`` (N, d)."""
    if hasattr(samples, "detach"):  # a torch tensor
        samples = samples.detach().cpu().double().numpy()
    k = len(centers)
    idx, dist = assign_modes(samples, centers)
    good = dist <= threshold * std
    counts = np.bincount(idx[good], minlength=k)
    rkl = kl_discrete(counts, np.full(k, 1.0 / k)) if good.any() else math.inf
    return ModeReport(
        n_modes=k,
        captured=int((counts >= min_count).sum()),
        high_quality=float(good.mean()),
        reverse_kl=rkl,
        counts=tuple(int(c) for c in counts),
    )
