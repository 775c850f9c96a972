"""AnimalGAN: DCGAN on CIFAR-10's six animal classes, chapter 24's full-size worked example.

The introductory tutorials end with a GAN that draws animals; this is that
idea at the book's standard: Radford et al.'s 32-pixel networks
(:class:`~ganbook.models.dcgan.DCGAN32Generator`), Adam 2e-4 with beta1 0.5,
the non-saturating loss, a moving average of G, on CIFAR-10's bird, cat,
deer, dog, frog and horse images (:func:`ganbook.data.cifar.cifar10_animals`,
downloaded by torchvision, so it needs a network once). It is meant for the
``gpu`` profile (``python -m ganbook train animalgan --profile gpu``, or
several GPUs under ``torchrun``); ``smoke`` and ``cpu`` exist so the same
command can be tried anywhere with a network.

Measured by FID against the 6,000 held-out animal images when Inception-v3
loads (``pip install "ganbook[fid]"``; its weights are downloaded on first
use); without it, by the Frechet distance of 8x8 thumbnails, which is not FID and is
named differently so the two are never mixed up.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import torch
import torch.nn.functional as F

from .. import distributed
from ..data.cifar import cifar10_animals
from ..games import StandardGame
from ..metrics import frechet_distance
from ..metrics.features import inception_space
from ..models.dcgan import DCGAN32Discriminator, DCGAN32Generator
from ..train import Trainer
from .base import ExperimentConfig, make_trainer

NAME = "animalgan"
CHAPTER = 24


@dataclass(frozen=True)
class AnimalGANConfig(ExperimentConfig):
    """Sizes and rates per profile; ``data_root`` is where torchvision keeps CIFAR-10."""

    steps: int = 2000
    batch_size: int = 64
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    latent_dim: int = 100
    width: int = 64  # D's first layer and G's last; the widest layers have 4x this
    ema_decay: float = 0.999
    eval_samples: int = 2000
    data_root: str = "~/.cache/ganbook"

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=10, batch_size=16, width=8, eval_samples=64),
        "cpu": {},
        "gpu": dict(steps=100000, batch_size=128, width=128, eval_samples=10000),
    }


def networks(config: AnimalGANConfig) -> tuple[DCGAN32Generator, DCGAN32Discriminator]:
    """G and D as ``build`` makes them (chapter 24 times them on the CPU without the data)."""
    torch.manual_seed(config.seed)
    return DCGAN32Generator(config.latent_dim, config.width), DCGAN32Discriminator(config.width)


def build(config: AnimalGANConfig, device: torch.device | str = "cpu") -> Trainer:
    """The standard game on CIFAR-10's animal training images, downloaded on first
    use (under ``torchrun`` by the main process alone while the others wait)."""
    if distributed.is_main():
        cifar10_animals("train", root=config.data_root)
    distributed.barrier()
    data = cifar10_animals("train", root=config.data_root, device=device)
    G, D = networks(config)
    return make_trainer(StandardGame(G, D), data.sample, config, device)


def thumbnails(images: torch.Tensor) -> torch.Tensor:
    """``(n, 3, 32, 32)`` -> ``(n, 192)``: 8x8 averages of each colour, the fallback measure's features."""
    return F.avg_pool2d(images.float(), 4).flatten(1)


def evaluate(trainer: Trainer, config: AnimalGANConfig) -> dict[str, float]:
    """FID of ``eval_samples`` samples against the held-out animals, or the thumbnails' Frechet distance."""
    real = cifar10_animals("test", root=config.data_root).images
    fake = trainer.generate(config.eval_samples)
    try:
        space = inception_space()
    except RuntimeError:
        return {"fd_thumbnails": frechet_distance(thumbnails(fake), thumbnails(real))}
    return {"fid": frechet_distance(space(fake), space(real))}


Config = AnimalGANConfig
