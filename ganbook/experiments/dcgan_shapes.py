"""The floor for Part III's generators: a plain DCGAN on the shape world.

Radford et al.'s recipe as chapter 5 teaches it (batch norm, Adam 2e-4 with
beta1 0.5, the non-saturating loss, no moving average), at 32 pixels and
width 32. The showcases of chapters 15 and 16 must beat it at the same
wall-clock time (``python -m ganbook train dcgan-shapes --profile cpu``),
measured by the shape reader as they are (:func:`ganbook.experiments.world.measure`).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import torch

from ..data import shapes
from ..games import StandardGame
from ..models.dcgan import DCGAN32Discriminator, DCGAN32Generator
from ..train import Trainer
from . import world
from .base import ExperimentConfig, make_trainer

NAME = "dcgan-shapes"
CHAPTER = 14


@dataclass(frozen=True)
class DCGANShapesConfig(ExperimentConfig):
    """Sizes and rates per profile."""

    steps: int = 6000
    batch_size: int = 64
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    latent_dim: int = 64
    width: int = 32  # channels of D's first layer and G's last; the widest layers have 4x this
    eval_samples: int = 1000

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=10, batch_size=16, width=8, eval_samples=64),
        "cpu": {},
        "gpu": dict(steps=50000, width=64, eval_samples=4000),
    }


def build(config: DCGANShapesConfig, device: torch.device | str = "cpu") -> Trainer:
    """DCGAN's G and D at 32 pixels in the standard game on the world's training scenes."""
    torch.manual_seed(config.seed)
    G = DCGAN32Generator(config.latent_dim, config.width)
    D = DCGAN32Discriminator(config.width)
    return make_trainer(StandardGame(G, D), shapes.world("train", device=device).sample, config, device)


def evaluate(trainer: Trainer, config: DCGANShapesConfig) -> dict[str, float]:
    """The reader's metrics (:func:`.world.measure`) of ``eval_samples`` scenes from a fixed seed."""
    return world.measure(trainer.generate(config.eval_samples))


Config = DCGANShapesConfig
