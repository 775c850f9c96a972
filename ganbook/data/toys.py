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
