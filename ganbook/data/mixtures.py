"""Two-dimensional toy distributions: the ring, the grid and the spiral.

The ring and the grid are the mixtures of Gaussians that the mode-collapse
papers use (Metz et al. 2017, Srivastava et al. 2017, Lin et al. 2018):

- ring: 8 equal-weight Gaussians with means evenly spaced on a circle of
  radius 2 and standard deviation 0.02 per coordinate;
- grid: 25 equal-weight Gaussians with means at {-4, -2, 0, 2, 4}^2 and
  standard deviation 0.05 per coordinate.

Because each mixture knows its means and its spread, chapters can assign
generated points to modes and count what was captured (``ganbook.metrics.modes``).
The spiral has no modes; it is the connected, curved shape of the GAN-Lab view.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np
import torch
from scipy import special
from torch import Tensor


@dataclass(frozen=True)
class GaussianMixture2D:
    """Equal-weight mixture of isotropic 2-D Gaussians.

    ``means`` has shape ``(K, 2)``; every component has standard deviation ``std``
    in each coordinate.
    """

    means: tuple[tuple[float, float], ...]
    std: float
    name: str = "mixture"

    def __post_init__(self) -> None:
        if not self.std > 0:
            raise ValueError(f"{self.name} needs std > 0, got {self.std}")
        if not self.means or any(len(m) != 2 for m in self.means):
            raise ValueError(f"{self.name} needs a non-empty list of 2-D means")

    @property
    def n_modes(self) -> int:
        return len(self.means)

    def centers(self) -> np.ndarray:
        """The component means as an array of shape ``(K, 2)``."""
        return np.asarray(self.means, dtype=np.float64)

    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor:
        """``n`` float32 samples of shape ``(n, 2)``: a uniformly chosen mode plus noise."""
        idx = torch.randint(self.n_modes, (n,), generator=generator)
        noise = torch.randn(n, 2, generator=generator)
        centers = torch.as_tensor(self.centers(), dtype=torch.float32)
        return centers[idx] + self.std * noise

    def log_pdf(self, x: np.ndarray) -> np.ndarray:
        """Exact log density at the points ``x`` of shape ``(N, 2)``."""
        x = np.asarray(x, dtype=np.float64).reshape(-1, 2)
        d2 = ((x[:, None, :] - self.centers()[None]) ** 2).sum(-1)  # (N, K)
        log_comp = -d2 / (2 * self.std**2) - math.log(2 * math.pi * self.std**2)
        return special.logsumexp(log_comp, axis=1) - math.log(self.n_modes)

    def pdf(self, x: np.ndarray) -> np.ndarray:
        """Exact density at the points ``x`` of shape ``(N, 2)``."""
        return np.exp(self.log_pdf(x))

    def extent(self, margin: float = 1.0) -> tuple[float, float, float, float]:
        """A box ``(xmin, xmax, ymin, ymax)`` around all modes, for plots."""
        c = self.centers()
        lo, hi = c.min(0) - margin, c.max(0) + margin
        return (float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1]))

    def __str__(self) -> str:
        return f"{self.name}: {self.n_modes} Gaussians, std {self.std:g}"


def ring(n_modes: int = 8, radius: float = 2.0, std: float = 0.02) -> GaussianMixture2D:
    """``n_modes`` Gaussians evenly spaced on a circle (default: the papers' ring of 8)."""
    angles = [2 * math.pi * k / n_modes for k in range(n_modes)]
    means = tuple((radius * math.cos(a), radius * math.sin(a)) for a in angles)
    return GaussianMixture2D(means, std, name=f"ring of {n_modes}")


def grid(side: int = 5, spacing: float = 2.0, std: float = 0.05) -> GaussianMixture2D:
    """A ``side`` x ``side`` grid of Gaussians centred on 0 (default: the papers' 5x5 grid)."""
    coords = [spacing * (i - (side - 1) / 2) for i in range(side)]
    means = tuple((x, y) for x in coords for y in coords)
    return GaussianMixture2D(means, std, name=f"{side}x{side} grid")


@dataclass(frozen=True)
class Spiral:
    """A noisy two-turn spiral: a connected, curved 2-D distribution without modes."""

    turns: float = 1.5
    noise: float = 0.05
    scale: float = 2.0
    name: str = "spiral"

    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor:
        """``n`` float32 samples of shape ``(n, 2)``; the radius grows with the angle."""
        t = torch.sqrt(torch.rand(n, generator=generator))  # uniform along the arm's length
        angle = 2 * math.pi * self.turns * t
        r = self.scale * (0.15 + 0.85 * t)
        x = torch.stack([r * torch.cos(angle), r * torch.sin(angle)], dim=1)
        return x + self.noise * torch.randn(n, 2, generator=generator)

    def extent(self, margin: float = 0.5) -> tuple[float, float, float, float]:
        s = self.scale + margin
        return (-s, s, -s, s)

    def __str__(self) -> str:
        return f"spiral ({self.turns:g} turns, noise {self.noise:g})"
