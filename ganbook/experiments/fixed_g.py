"""Chapter 2: the optimal discriminator, checked against a trained one.

The generator is frozen at ``G(z) = g_mean + g_std * z`` (so ``p_g`` is a known
normal), the data are chapter 1's N(4, 1.25^2), and only D learns. Theory says
the best D is ``D* = p_data / (p_data + p_g)`` and that, at D*, the value
function equals ``2 JSD(p_data || p_g) - log 4``. This module trains D with the
book's one training loop (G's optimiser has learning rate 0) and measures both.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import torch
from scipy import stats
from torch import Tensor, nn

from .. import metrics
from ..data import Gaussian1D
from ..games import StandardGame
from ..losses import value_function
from ..models import MLPDiscriminator
from ..train import Trainer, linear_decay
from .base import ExperimentConfig, make_trainer

NAME = "fixed-g"
CHAPTER = 2


class AffineGenerator(nn.Module):
    """G(z) = mean + std * z for ``z`` of shape ``(N, 1)``: its samples are N(mean, std^2)."""

    def __init__(self, mean: float, std: float) -> None:
        super().__init__()
        self.latent_dim = 1
        self.mean = nn.Parameter(torch.tensor(float(mean)))
        self.std = nn.Parameter(torch.tensor(float(std)))

    def forward(self, z: Tensor) -> Tensor:
        return self.mean + self.std * z


@dataclass(frozen=True)
class FixedGConfig(ExperimentConfig):
    """Sizes of the D-only run, per profile in ``PROFILES``."""

    steps: int = 4000
    batch_size: int = 2048
    hidden: tuple[int, ...] = (64, 64)
    lr_d: float = 2e-3  # G's learning rate is 0: it never moves
    data_mean: float = 4.0
    data_std: float = 1.25
    g_mean: float = 1.5
    g_std: float = 0.75
    mc_samples: int = 1_000_000  # Monte Carlo estimate of V(G, D) for the trained D

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=600, batch_size=1024, mc_samples=200_000),
        "cpu": {},
        "gpu": dict(steps=10000),
    }

    def logp_data(self, x: np.ndarray) -> np.ndarray:
        return stats.norm(self.data_mean, self.data_std).logpdf(x)

    def logp_g(self, x: np.ndarray) -> np.ndarray:
        return stats.norm(self.g_mean, self.g_std).logpdf(x)

    def bounds(self) -> tuple[float, float]:
        """An interval outside which both densities are below 1e-30: the integration range."""
        return (min(self.data_mean - 12 * self.data_std, self.g_mean - 12 * self.g_std),
                max(self.data_mean + 12 * self.data_std, self.g_mean + 12 * self.g_std))


def build(config: FixedGConfig, device: torch.device | str = "cpu") -> Trainer:
    """A trainer whose G is frozen (learning rate 0): only D learns."""
    torch.manual_seed(config.seed)
    G = AffineGenerator(config.g_mean, config.g_std)
    D = MLPDiscriminator(1, config.hidden)
    optimizers = {"g": torch.optim.SGD(G.parameters(), lr=0.0),  # G never moves
                  "d": torch.optim.Adam(D.parameters(), lr=config.lr_d, betas=(0.9, 0.999))}
    return make_trainer(StandardGame(G, D), Gaussian1D(config.data_mean, config.data_std).sample, config, device,
                        optimizers=optimizers, lr_schedule=linear_decay(config.steps, 0.3))


def train(config: FixedGConfig, callbacks: list | tuple = (), progress: bool = True, **fit_kwargs: Any) -> Trainer:
    """Train D against the frozen G for ``config.steps`` steps."""
    return build(config).fit(config.steps, callbacks=callbacks, progress=progress, **fit_kwargs)


def compare_with_optimum(trainer: Trainer, config: FixedGConfig, threshold: float = 0.01) -> dict[str, Any]:
    """D and D* on a grid covering where ``p_data + p_g`` exceeds ``threshold`` (elsewhere D never sees data).

    Returns the grid, both curves, and the largest absolute gap on it.
    """
    wide = np.linspace(*config.bounds(), 20001)
    mix = np.exp(config.logp_data(wide)) + np.exp(config.logp_g(wide))
    inside = wide[mix > threshold]
    grid = np.linspace(inside.min(), inside.max(), 1001)
    d_star = metrics.optimal_discriminator(config.logp_data, config.logp_g)(grid)
    with torch.no_grad():
        d = torch.sigmoid(trainer.D(torch.as_tensor(grid, dtype=torch.float32).reshape(-1, 1))).numpy()
    return {"grid": grid, "d": d, "d_star": d_star, "max_gap": float(np.abs(d - d_star).max())}


def value_check(trainer: Trainer, config: FixedGConfig) -> dict[str, float]:
    """V(G, D*) by quadrature, 2 JSD - log 4 by quadrature, and V(G, D) of the trained D by Monte Carlo."""
    lo, hi = config.bounds()
    pts = [config.g_mean, config.data_mean]
    v_star = metrics.value_at_optimum(config.logp_data, config.logp_g, lo, hi, points=pts)
    jsd = metrics.js_divergence(config.logp_data, config.logp_g, lo, hi, points=pts)
    rng = torch.Generator().manual_seed(config.seed + 1)
    n = config.mc_samples
    real = config.data_mean + config.data_std * torch.randn(n, 1, generator=rng)
    fake = config.g_mean + config.g_std * torch.randn(n, 1, generator=rng)
    with torch.no_grad():
        v_d = float(value_function(trainer.D(real), trainer.D(fake)))
    return {"v_star": v_star, "jsd": jsd, "two_jsd_minus_log4": 2 * jsd - math.log(4), "v_trained": v_d}


def evaluate(trainer: Trainer, config: FixedGConfig) -> dict[str, float]:
    """The numbers chapter 2 prints: the largest gap to D* and the value-function check."""
    return {"max_gap": compare_with_optimum(trainer, config)["max_gap"], **value_check(trainer, config)}


Config = FixedGConfig
