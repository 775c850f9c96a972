"""Chapter 5, part 2: DCGAN on mnist5k, on the same budget as the tutorials' MLP GAN.

Same optimiser, loss, batch and steps as :mod:`.mlp_gan` (stated again in this
module's own table); only the two networks change (:mod:`ganbook.models.dcgan`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import torch

from ..data import mnist5k
from ..games import StandardGame
from ..models.dcgan import DCGANDiscriminator, DCGANGenerator
from ..train import Trainer, linear_decay
from . import digits
from .base import ExperimentConfig, make_trainer

NAME = "dcgan"
CHAPTER = 5


@dataclass(frozen=True)
class DCGANConfig(ExperimentConfig):
    steps: int = 2000
    batch_size: int = 64
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    eval_samples: int = 1000
    latent_dim: int = 100
    width: int = 16  # channels of D's first layer; G's widest layer has 4x this
    ema_decay: float = 0.0  # a moving average of G's weights (0: none; the showcase's pictures use one)
    decay_from: float = 1.0  # both learning rates fall linearly to 0 from this share of the steps (1: constant)

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=60, width=8, eval_samples=300),
        "cpu": {},
        "gpu": dict(steps=20000, width=64, eval_samples=4000),
    }


def build(config: DCGANConfig, device: torch.device | str = "cpu") -> Trainer:
    torch.manual_seed(config.seed)
    G = DCGANGenerator(config.latent_dim, config.width)
    D = DCGANDiscriminator(config.width)
    schedule = linear_decay(config.steps, config.decay_from) if config.decay_from < 1 else None
    return make_trainer(StandardGame(G, D), mnist5k("train", device).sample, config, device, lr_schedule=schedule)


def evaluate(trainer: Trainer, config: DCGANConfig) -> dict[str, float]:
    """:func:`ganbook.experiments.digits.measure` on ``eval_samples`` digits from a fixed seed."""
    return digits.measure(trainer.generate(config.eval_samples))


Config = DCGANConfig
