"""Chapter 12: DCGAN and PacDCGAN on stacked MNIST, counted as PacGAN Table 2 counts them.

G makes three-channel 28x28 images; the shipped digit classifier reads each
channel, and the triple of digits is the sample's mode (of 1,000). The numbers
are PacGAN's (after VEEGAN): how many modes at least one of ``eval_samples``
(26,000) samples falls in, and the KL divergence of the mode histogram to the
uniform one. ``packing`` 2 is PacDCGAN2: D scores two images stacked along
channels (six channels in). PacGAN trained 50 epochs of 128,000 images with
DCGAN's Adam (2e-4, beta1 0.5), batch 64, z of 100; the ``cpu`` profile trains
a few hundred steps of narrow networks, and the chapter says so.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import numpy as np
import torch
from torch import Tensor

from .. import metrics
from ..data.stacked import CHANNELS, MODES, stacked_mnist
from ..games import StandardGame
from ..models.dcgan import DCGANDiscriminator, DCGANGenerator
from ..models.pacgan import Packed
from ..train import Trainer
from . import digits
from .base import ExperimentConfig, make_trainer
from .runs import sweep

NAME = "stacked-dcgan"
CHAPTER = 12


@dataclass(frozen=True)
class StackedDCGANConfig(ExperimentConfig):
    """DCGAN (``packing`` 1) or PacDCGAN (``packing`` m) on stacked MNIST; sizes per profile."""

    packing: int = 1
    steps: int = 100000
    batch_size: int = 64  # packs per batch
    latent_dim: int = 100
    width: int = 64
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    trials: int = 10  # seeds per model in the chapter's table
    eval_samples: int = 26000

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=10, batch_size=16, latent_dim=16, width=4, trials=1, eval_samples=2000),
        "cpu": dict(steps=400, latent_dim=64, width=16, lr_g=5e-4, lr_d=5e-4, trials=2),
        "gpu": {},
    }

    def __post_init__(self) -> None:
        if self.packing < 1:
            raise ValueError(f"packing must be at least 1, got {self.packing}")

    @property
    def label(self) -> str:
        return "DCGAN" if self.packing == 1 else f"PacDCGAN{self.packing}"


def build(config: StackedDCGANConfig, device: torch.device | str = "cpu") -> Trainer:
    """A three-channel DCGAN G and a packed DCGAN D (``3 * packing`` channels in) in the standard game."""
    torch.manual_seed(config.seed)
    G = DCGANGenerator(config.latent_dim, config.width, channels=CHANNELS)
    D = Packed(DCGANDiscriminator(config.width, channels=CHANNELS * config.packing), config.packing)
    return make_trainer(StandardGame(G, D), stacked_mnist("train", device).sample, config, device,
                        batch_size=config.batch_size * config.packing)


def modes_of(images: Tensor) -> Tensor:
    """The mode ``100 a + 10 b + c`` of each stacked image ``(n, 3, 28, 28)``, channels read by the shipped classifier."""
    if images.dim() != 4 or images.shape[1] != CHANNELS:
        raise ValueError(f"expected stacked images (n, {CHANNELS}, H, W), got {tuple(images.shape)}")
    per_channel = digits.predict(images.reshape(-1, 1, *images.shape[2:])).reshape(-1, CHANNELS)  # (n, 3) digits
    return per_channel[:, 0] * 100 + per_channel[:, 1] * 10 + per_channel[:, 2]


def mode_counts(modes: Tensor) -> np.ndarray:
    """How many samples fall in each of the 1,000 modes: ``(1000,)``."""
    return np.bincount(modes.cpu().numpy(), minlength=MODES)


def stacked_report(modes: Tensor) -> dict[str, float]:
    """Modes with at least one sample, and KL of the mode histogram to uniform (PacGAN Table 2's columns)."""
    counts = mode_counts(modes)
    return {"modes": float((counts >= 1).sum()), "kl": metrics.kl_discrete(counts, np.full(MODES, 1.0 / MODES))}


def evaluate(trainer: Trainer, config: StackedDCGANConfig) -> dict[str, float]:
    """:func:`stacked_report` of ``eval_samples`` generated images, made in chunks from a fixed seed."""
    chunks = [trainer.generate(min(2000, config.eval_samples - i), seed=1234 + i)
              for i in range(0, config.eval_samples, 2000)]
    return stacked_report(torch.cat([modes_of(c) for c in chunks]))


def run_one(config: StackedDCGANConfig) -> dict[str, Any]:
    """Train one model with one seed: its metrics (with the mode histogram) and 16 samples."""
    trainer = build(config).fit(config.steps, progress=False)
    return {"packing": config.packing, "metrics": evaluate(trainer, config), "samples": trainer.generate(16, seed=0)}


def run(configs: list[StackedDCGANConfig], seeds: range | list[int], progress: bool = True) -> list[dict[str, Any]]:
    """:func:`run_one` for every config and seed (:func:`.runs.sweep`)."""
    return sweep(run_one, configs, seeds, progress)


Config = StackedDCGANConfig
