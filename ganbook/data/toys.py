"""Toy distributions sampled on the fly from a seed.

Each toy knows its exact density, so chapters can compare a generator with
the truth instead of with another sample.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from scipy import stats
from torch import Tensor


@dataclass(frozen=True)
class Gaussian1D:
    """The normal distribution N(mean, std^2) on the real line (chapter 1's target)."""

    mean: float = 4.0
    std: float = 1.25

    def __post_init__(self) -> None:
        if not self.std > 0:
            raise ValueError(f"Gaussian1D needs std > 0, got {self.std}")

    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor:
        """Draw ``n`` samples as a float32 tensor of shape ``(n, 1)`` on the CPU."""
        z = torch.randn(n, 1, generator=generator)
        return self.mean + self.std * z

    def pdf(self, x: np.ndarray) -> np.ndarray:
        """Exact density at the points ``x``."""
        return stats.norm.pdf(x, loc=self.mean, scale=self.std)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Exact cumulative distribution function at ``x``."""
        return stats.norm.cdf(x, loc=self.mean, scale=self.std)

    def support(self, width: float = 4.0) -> tuple[float, float]:
        """An interval holding all but a negligible part of the mass: mean +- width*std."""
        return (self.mean - width * self.std, self.mean + width * self.std)

    def __str__(self) -> str:
        return f"N({self.mean:g}, {self.std:g}^2)"


@dataclass(frozen=True)
class GaussianMixture1D:
    """A mixture of normals on the real line: ``sum_k w_k N(means[k], stds[k]^2)`` (chapter 1's exercise 4).

    The default is two equal modes at -3 and +3 with unit spread; ``weights`` are
    normalised, so ``(1, 1)`` and ``(0.5, 0.5)`` mean the same mixture.
    """

    means: tuple[float, ...] = (-3.0, 3.0)
    stds: tuple[float, ...] = (1.0, 1.0)
    weights: tuple[float, ...] = (1.0, 1.0)

    def __post_init__(self) -> None:
        if not len(self.means) == len(self.stds) == len(self.weights) >= 1:
            raise ValueError(f"GaussianMixture1D needs as many means, stds and weights, got "
                             f"{len(self.means)}, {len(self.stds)} and {len(self.weights)}")
        if min(self.stds) <= 0 or min(self.weights) <= 0:
            raise ValueError("GaussianMixture1D needs every std and every weight > 0")

    @property
    def probs(self) -> np.ndarray:
        """The normalised weights, ``(k,)``."""
        w = np.asarray(self.weights, dtype=np.float64)
        return w / w.sum()

    @property
    def mean(self) -> float:
        """The mixture's mean."""
        return float(self.probs @ np.asarray(self.means))

    @property
    def std(self) -> float:
        """The mixture's standard deviation (within-mode variance plus the spread of the means)."""
        m, s = np.asarray(self.means), np.asarray(self.stds)
        return float(np.sqrt(self.probs @ (s**2 + m**2) - self.mean**2))

    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor:
        """Draw ``n`` samples as a float32 tensor of shape ``(n, 1)``: a mode for each, then its normal."""
        k = torch.multinomial(torch.as_tensor(self.probs), n, replacement=True, generator=generator)
        z = torch.randn(n, generator=generator)
        means = torch.tensor(self.means, dtype=torch.float32)
        stds = torch.tensor(self.stds, dtype=torch.float32)
        return (means[k] + stds[k] * z).unsqueeze(1)

    def pdf(self, x: np.ndarray) -> np.ndarray:
        """Exact density at the points ``x``."""
        x = np.asarray(x, dtype=np.float64)[..., None]
        return (self.probs * stats.norm.pdf(x, loc=self.means, scale=self.stds)).sum(-1)

    def cdf(self, x: np.ndarray) -> np.ndarray:
        """Exact cumulative distribution function at ``x``."""
        x = np.asarray(x, dtype=np.float64)[..., None]
        return (self.probs * stats.norm.cdf(x, loc=self.means, scale=self.stds)).sum(-1)

    def support(self, width: float = 4.0) -> tuple[float, float]:
        """From ``width`` stds below the lowest mode to ``width`` above the highest."""
        m, s = np.asarray(self.means), np.asarray(self.stds)
        return (float((m - width * s).min()), float((m + width * s).max()))

    def __str__(self) -> str:
        return " + ".join(f"{p:.2g} N({m:g}, {s:g}^2)" for p, m, s in zip(self.probs, self.means, self.stds))
