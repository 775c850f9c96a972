"""Chapter 7: a class-conditional DCGAN on mnist5k; this module's D sees the label as input planes.

:mod:`.cgan_projection` is the same run with a projection discriminator.

Measured by how often the shipped classifier reads the requested digit in what
G draws for that label (class accuracy), plus chapter 6's metrics.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import torch

from .. import profiles
from ..data import mnist5k
from ..models.conditional import ConcatDiscriminator, ConditionalGenerator, ProjectionDiscriminator
from ..train import Trainer
from . import digits
from .mlp_digits import DigitsGANConfig, config_dict

NAME = "cgan-concat"


@dataclass(frozen=True)
class CGANConfig(DigitsGANConfig):
    latent_dim: int = 100
    width: int = 16
    projection: bool = False  # True: a projection D (see :mod:`.cgan_projection`)
    per_class: int = 100  # generated digits per label when measuring

    @classmethod
    def for_profile(cls, profile: str | None = None, **changes: Any) -> "CGANConfig":
        base = DigitsGANConfig.for_profile(profile)
        # lr 2e-3, ten times DCGAN's: on a 2,500-step budget 2e-4 left the label mostly unused
        sizes = profiles.choose(profile, smoke=dict(width=8, steps=40, per_class=20, lr=2e-3),
                                cpu=dict(steps=2500, lr=2e-3), gpu=dict(width=64, steps=10000, per_class=400))
        return replace(cls(**vars(base)), **{**sizes, **changes})


def build(config: CGANConfig, device: torch.device | str = "cpu") -> Trainer:
    torch.manual_seed(config.seed)
    G = ConditionalGenerator(config.latent_dim, 10, config.width)
    D = (ProjectionDiscriminator if config.projection else ConcatDiscriminator)(config.width, 10)
    return Trainer(G, D, sample_real=mnist5k("train", device).sample_with_labels,
                   opt_g=torch.optim.Adam(G.parameters(), lr=config.lr, betas=config.betas),
                   opt_d=torch.optim.Adam(D.parameters(), lr=config.lr, betas=config.betas),
                   batch_size=config.batch_size, seed=config.seed, device=device)


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
__all__ = ["NAME", "Config", "build", "evaluate", "config_dict", "labels"]
