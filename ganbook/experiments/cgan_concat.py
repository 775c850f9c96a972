"""Chapter 7: a class-conditional DCGAN on mnist5k; this module's D sees the label as input planes.

:mod:`.cgan_projection` is the same run with a projection discriminator.

Measured by how often the shipped classifier reads the requested digit in what
G draws for that label (class accuracy), plus chapter 6's metrics.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import torch

from ..data import mnist5k
from ..games import StandardGame
from ..models.conditional import ConcatDiscriminator, ConditionalGenerator, ProjectionDiscriminator
from ..train import Trainer
from . import digits
from .base import ExperimentConfig, make_trainer

NAME = "cgan-concat"
CHAPTER = 7


@dataclass(frozen=True)
class CGANConfig(ExperimentConfig):
    steps: int = 2500
    batch_size: int = 64
    # 2e-3, ten times DCGAN's: on a 2,500-step budget 2e-4 left the label mostly unused
    lr_g: float = 2e-3
    lr_d: float = 2e-3
    betas: tuple[float, float] = (0.5, 0.999)
    latent_dim: int = 100
    width: int = 16
    projection: bool = False  # True: a projection D (see :mod:`.cgan_projection`)
    per_class: int = 100  # generated digits per label when measuring

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=40, width=8, per_class=20),
        "cpu": {},
        "gpu": dict(steps=10000, width=64, per_class=400),
    }


def build(config: CGANConfig, device: torch.device | str = "cpu") -> Trainer:
    torch.manual_seed(config.seed)
    G = ConditionalGenerator(config.latent_dim, 10, config.width)
    D = (ProjectionDiscriminator if config.projection else ConcatDiscriminator)(config.width, 10)
    labelled = mnist5k("train", device).labelled  # Batch(images, c=labels)
    return make_trainer(StandardGame(G, D), labelled, config, device)


def labels(per_class: int) -> torch.Tensor:
    """``0, 0, ..., 1, 1, ..., 9``: ``per_class`` of each digit, ``(10 * per_class,)``."""
    return torch.arange(10).repeat_interleave(per_class)


def evaluate(trainer: Trainer, config: CGANConfig) -> dict[str, float]:
    """Class accuracy (classifier's label == requested label) and the chapter 6 metrics."""
    y = labels(config.per_class)
    images = trainer.generate(len(y), condition=y)
    accuracy = float((digits.predict(images) == y).float().mean())
    return {"class_accuracy": accuracy, **digits.measure(images)}


Config = CGANConfig
