"""Chapter 5, part 1: the tutorials' fully connected GAN on mnist5k, exactly as they write it.

G 100-256-512-1024-784 (ReLU, Tanh), D 784-512-256-1 (LeakyReLU 0.2), BCE with
the non-saturating G loss, Adam lr 2e-4, betas (0.5, 0.999), batch 64.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import nn

from ..data import mnist5k
from ..games import StandardGame
from ..models import MLPDiscriminator, MLPGenerator
from ..train import Trainer
from . import digits
from .base import ExperimentConfig, make_trainer

NAME = "mlp-gan"
CHAPTER = 5


@dataclass(frozen=True)
class MLPGANConfig(ExperimentConfig):
    """The tutorials' optimisation; chapter 5's DCGAN (:mod:`.dcgan`) states the same budget in its own table."""

    steps: int = 2000
    batch_size: int = 64
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    eval_samples: int = 1000

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=60, eval_samples=300),
        "cpu": {},
        "gpu": dict(steps=20000, eval_samples=4000),
    }


def build(config: MLPGANConfig, device: torch.device | str = "cpu") -> Trainer:
    """The tutorials' networks in the standard game (BCE, non-saturating G loss) on mnist5k's training digits."""
    torch.manual_seed(config.seed)
    G = MLPGenerator(100, 784, (256, 512, 1024), out_activation=nn.Tanh, out_shape=(1, 28, 28))
    D = MLPDiscriminator(784, (512, 256))
    return make_trainer(StandardGame(G, D), mnist5k("train", device).sample, config, device)


def evaluate(trainer: Trainer, config: MLPGANConfig) -> dict[str, float]:
    """:func:`ganbook.experiments.digits.measure` on ``eval_samples`` digits from a fixed seed."""
    return digits.measure(trainer.generate(config.eval_samples))


Config = MLPGANConfig
