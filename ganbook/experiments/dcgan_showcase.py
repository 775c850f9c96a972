"""Chapter 5's showcase: the same DCGAN networks, wider and trained for longer, for the latent-space pictures.

Chapter 5 compares the tutorial MLP with DCGAN on one small budget; what a
reader should *look at* when walking through latent space is a generator that
has learned digits. This one is trained once, by
``python -m ganbook train dcgan-showcase --profile cpu --ship`` (38 minutes on this
book's 2-core build machine), and shipped in ``ganbook/assets`` in half precision
(:mod:`ganbook.shipped`); the chapter loads it and measures it on the page.
Its sizes are its own: nothing is inherited from :mod:`.dcgan`.
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

NAME = "dcgan-showcase"
CHAPTER = 5
SHIP_PROFILE = "cpu"  # the profile whose run is shipped


@dataclass(frozen=True)
class DCGANShowcaseConfig(ExperimentConfig):
    steps: int = 20000
    batch_size: int = 64
    lr_g: float = 1e-3
    lr_d: float = 1e-3
    betas: tuple[float, float] = (0.5, 0.999)
    latent_dim: int = 100
    width: int = 32  # channels of D's first layer; G's widest layer has 4x this
    ema_decay: float = 0.999  # the pictures come from the moving average of G
    decay_from: float = 0.5  # both learning rates fall linearly to 0 over the last half
    eval_samples: int = 2000

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=20, width=8, eval_samples=300),
        "cpu": {},
        "gpu": dict(steps=40000, width=64, ema_decay=0.9995, eval_samples=4000),
    }


def build(config: DCGANShowcaseConfig, device: torch.device | str = "cpu") -> Trainer:
    """DCGAN's networks (:mod:`ganbook.models.dcgan`) in the standard game, with a moving average of G."""
    torch.manual_seed(config.seed)
    G = DCGANGenerator(config.latent_dim, config.width)
    D = DCGANDiscriminator(config.width)
    return make_trainer(StandardGame(G, D), mnist5k("train", device).sample, config, device,
                        lr_schedule=linear_decay(config.steps, config.decay_from))


def evaluate(trainer: Trainer, config: DCGANShowcaseConfig) -> dict[str, float]:
    """:func:`ganbook.experiments.digits.measure` on ``eval_samples`` digits of the averaged G from a fixed seed."""
    return digits.measure(trainer.generate(config.eval_samples))


Config = DCGANShowcaseConfig
