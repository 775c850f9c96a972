"""Chapter 1: a GAN that learns the 1-D Gaussian N(4, 1.25^2).

G and D are small MLPs, the objective is the original GAN's BCE loss with the
non-saturating generator loss, and the result is measured by the exact
Wasserstein-1 distance and the Kolmogorov-Smirnov statistic to the target.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, ClassVar

import numpy as np
import torch

from .. import metrics, plot
from ..data import Gaussian1D, GaussianMixture1D
from ..games import Objective, StandardGame
from ..models import MLPDiscriminator, MLPGenerator
from ..train import Every, Trainer, linear_decay
from .base import ExperimentConfig, make_trainer

NAME = "gaussian1d"
CHAPTER = 1


@dataclass(frozen=True)
class Gaussian1DConfig(ExperimentConfig):
    """Sizes of the chapter 1 run, per profile in ``PROFILES``."""

    steps: int = 20000
    batch_size: int = 256
    latent_dim: int = 4
    hidden: tuple[int, ...] = (32, 32)
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    decay_from: float = 0.5  # learning rates fall linearly to 0 over the last half
    ema_decay: float | None = 0.999  # measure an exponential moving average of G
    snapshot_every: int = 100
    eval_samples: int = 20000
    target: Gaussian1D | GaussianMixture1D = field(default_factory=Gaussian1D)

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        # smoke: a quick, rough run (bigger steps, fewer of them) for CI
        "smoke": dict(steps=600, batch_size=128, lr_g=1e-3, lr_d=1e-3, snapshot_every=50, eval_samples=5000),
        "cpu": dict(snapshot_every=1000),
        "gpu": dict(steps=40000, snapshot_every=2000, eval_samples=100000),
    }


def build(config: Gaussian1DConfig, device: torch.device | str = "cpu", objective: Objective = Objective()) -> Trainer:
    """A fresh, seeded trainer for ``config``; ``objective`` changes the losses (chapter 1's exercise)."""
    torch.manual_seed(config.seed)
    G = MLPGenerator(config.latent_dim, 1, config.hidden)
    D = MLPDiscriminator(1, config.hidden)
    return make_trainer(StandardGame(G, D, objective), config.target.sample, config, device,
                        lr_schedule=linear_decay(config.steps, config.decay_from))


def evaluate(trainer: Trainer, config: Gaussian1DConfig) -> dict[str, float]:
    """W1 and KS between ``eval_samples`` draws of G (fixed seed) and the exact target."""
    x = trainer.generate(config.eval_samples).squeeze(1).numpy()
    return {**_distances(x, config.target), "mean": float(x.mean()), "std": float(x.std())}


def _distances(x: np.ndarray, t: Gaussian1D | GaussianMixture1D) -> dict[str, float]:
    """W1 and KS between the sample ``x`` and the target ``t``: closed-form for a normal, by quadrature otherwise."""
    if isinstance(t, Gaussian1D):
        return {"w1": metrics.wasserstein1_to_normal(x, t.mean, t.std), "ks": metrics.ks_to_normal(x, t.mean, t.std)}
    return {"w1": metrics.wasserstein1_to_cdf(x, t.cdf, t.support(8.0)), "ks": metrics.ks_to_cdf(x, t.cdf)}


@dataclass
class Snapshots:
    """Callback that records, every few steps, what chapter 1's step-through shows.

    Each snapshot holds the step, a histogram of G's samples (fixed latents, so
    frames are comparable) and D's probability D(x) = sigmoid(logit) on a grid.
    """

    grid: np.ndarray
    bins: np.ndarray
    n_samples: int = 4000
    records: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, trainer: Trainer) -> None:
        x = trainer.generate(self.n_samples, seed=99, ema=False).squeeze(1).numpy()  # the G that D sees
        hist, _ = np.histogram(x, bins=self.bins, density=True)
        with torch.no_grad():
            g = torch.as_tensor(self.grid, dtype=torch.float32).reshape(-1, 1).to(trainer.device)
            d = torch.sigmoid(trainer.D(g)).cpu().numpy()
        self.records.append({"step": trainer.step, "hist": hist, "d": d})


def snapshot_callback(config: Gaussian1DConfig) -> tuple[Snapshots, Every]:
    """A :class:`Snapshots` recorder and the callback that runs it every ``snapshot_every`` steps."""
    lo, hi = config.target.support(4.0)
    snaps = Snapshots(grid=np.linspace(lo - 2, hi + 2, 241), bins=np.linspace(lo - 2, hi + 2, 61))
    return snaps, Every(config.snapshot_every, snaps)


def frames(snaps: Snapshots, config: Gaussian1DConfig, dpi: int = 72) -> tuple[list[bytes], list[str]]:
    """One PNG per snapshot (target density, G's histogram, D(x)) and its slider label."""
    target_pdf = config.target.pdf(snaps.grid)
    ylim = 1.4 * max(float(target_pdf.max()), max(float(r["hist"].max()) for r in snaps.records[1:] or snaps.records))
    pngs, labels = [], []
    for r in snaps.records:
        fig = plot.density_frame(
            snaps.grid, target_pdf, snaps.bins, r["hist"], r["d"],
            title=f"step {r['step']}", ylim=min(ylim, 3 * float(target_pdf.max())),
        )
        pngs.append(plot.to_png(fig, dpi=dpi))
        labels.append(str(r["step"]))
    return pngs, labels


def noise_floor(config: Gaussian1DConfig, seed: int = 4321) -> dict[str, float]:
    """W1 and KS of ``eval_samples`` draws from the target itself: the best a perfect G can score."""
    x = config.target.sample(config.eval_samples, torch.Generator().manual_seed(seed)).squeeze(1).numpy()
    return _distances(x, config.target)


def train(config: Gaussian1DConfig, callbacks: list | tuple = (), progress: bool = True,
          objective: Objective = Objective(), **fit_kwargs: Any) -> Trainer:
    """Build and train chapter 1's GAN."""
    return build(config, objective=objective).fit(config.steps, callbacks=callbacks, progress=progress, **fit_kwargs)


Config = Gaussian1DConfig
