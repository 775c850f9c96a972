"""Chapter 15: BigGAN's ideas at small scale on the shape world, conditioned on the shape, and truncation.

:mod:`ganbook.models.biggan`'s residual G (shared class embedding, conditional
batch norm, self-attention) and projection D, both spectrally normalised, in
:class:`~ganbook.games.biggan.BigGANGame` (hinge loss, orthogonal
regularisation 1e-4 on G, ``n_critic`` D steps per G step), Adam(0, 0.999)
with D's rate above G's, and a moving average of G for sampling, as BigGAN,
whose batch norms are given standing statistics before it samples.
:func:`truncation_curve` measures the fidelity/diversity trade-off of the
truncation trick.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import Tensor

from .. import spectral
from ..data import shapes
from ..games.biggan import BigGANGame
from ..latent import truncated_normal
from ..models.biggan import BigDiscriminator, BigGenerator, standing_statistics
from ..train import Trainer
from . import world
from .base import ExperimentConfig, make_trainer

NAME = "biggan-shapes"
CHAPTER = 15


@dataclass(frozen=True)
class BigGANConfig(ExperimentConfig):
    """Sizes per profile, the optimisers and the thresholds of the truncation curve."""

    steps: int = 600
    batch_size: int = 32
    latent_dim: int = 32
    width: int = 16  # G's last block has this many channels; its widest 4x
    d_width: int = 16  # D's first block has this many; its widest 4x
    embed_dim: int = 16
    lr_g: float = 2e-4
    lr_d: float = 8e-4
    betas: tuple[float, float] = (0.0, 0.999)
    n_critic: int = 1
    ortho: float = 1e-4
    ema_decay: float = 0.999
    thresholds: tuple[float, ...] = (math.inf, 2.0, 1.5, 1.0, 0.7, 0.4, 0.2)
    eval_samples: int = 1000

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=12, batch_size=16, width=4, d_width=4, embed_dim=8, eval_samples=64),
        "cpu": {},
        "gpu": dict(steps=30000, batch_size=64, width=64, d_width=64, embed_dim=64, lr_g=1e-4, lr_d=4e-4, n_critic=2,
                    eval_samples=4000),
    }


def build(config: BigGANConfig, device: torch.device | str = "cpu") -> Trainer:
    """Spectrally normalised G and D, conditioned on the first shape's class, in BigGAN's game."""
    torch.manual_seed(config.seed)
    n_classes = len(shapes.SHAPES)
    G = spectral.spectrally_normalise(BigGenerator(config.latent_dim, n_classes, config.width, config.embed_dim))
    D = spectral.spectrally_normalise(BigDiscriminator(n_classes, config.d_width))
    game = BigGANGame(G, D, config.ortho, config.n_critic)
    return make_trainer(game, shapes.world("train", device=device).labelled, config, device)


def classes(n: int) -> torch.Tensor:
    """``n`` class labels, the shapes in turn: ``(n,)``."""
    return torch.arange(n) % len(shapes.SHAPES)


def sample(trainer: Trainer, n: int, threshold: float, seed: int = 0, standing: bool = True) -> torch.Tensor:
    """``n`` images ``(n, 3, 32, 32)`` from the averaged G with latents truncated at ``threshold``
    (the same seed gives the same draws before truncation moves any), classes in turn.

    With ``standing``, the averaged G's batch norms first get
    :func:`~ganbook.models.biggan.standing_statistics` (the same whatever was sampled before), so the
    shipped weights carry them; without, they hold G's running statistics, as a training step leaves them.
    """
    G = trainer.G_ema
    if G is not None and standing and getattr(G, "standing_at_step", None) != trainer.step:
        standing_statistics(G)  # once per trained state: the result depends on the weights alone
        G.standing_at_step = trainer.step
    elif G is not None and not standing:  # G's statistics, as the trainer's moving-average step copies them
        with torch.no_grad():
            for mine, trained in zip(G.buffers(), trainer.G.buffers()):
                mine.copy_(trained)
        G.standing_at_step = None
    z = truncated_normal(n, trainer.G.latent_dim, threshold, torch.Generator().manual_seed(seed))
    return trainer.generate(n, z=z, condition=classes(n))


def class_accuracy(images: Tensor, read: Tensor) -> dict[str, float]:
    """How often the reader's shape ``read`` ``(n,)`` is the one :func:`classes` asked of ``images``:
    overall (``class_accuracy``) and per shape (``acc_<shape>``)."""
    wanted = classes(len(images))
    return {"class_accuracy": float((read == wanted).float().mean()),
            **{f"acc_{name}": float((read[wanted == k] == k).float().mean()) for k, name in enumerate(shapes.SHAPES)}}


def truncation_curve(trainer: Trainer, config: BigGANConfig) -> list[dict[str, float]]:
    """For each threshold: FD, precision, recall and the reader's agreement with the requested shape
    (overall and per class) of ``eval_samples`` samples."""
    rows = []
    for threshold in config.thresholds:
        images = sample(trainer, config.eval_samples, threshold)
        measured, read = world.measure_and_read(images)
        rows.append({"threshold": threshold, **{k: measured[k] for k in ("fd", "precision", "recall")},
                     **class_accuracy(images, read["shape"])})
    return rows


def evaluate(trainer: Trainer, config: BigGANConfig, standing: bool = True) -> dict[str, float]:
    """The untruncated samples' reader metrics and how often the reader sees the requested shape
    (``standing``: as :func:`sample`)."""
    images = sample(trainer, config.eval_samples, math.inf, standing=standing)
    measured, read = world.measure_and_read(images)
    agreement = float("nan") if read is None else class_accuracy(images, read["shape"])["class_accuracy"]
    return {**measured, "class_accuracy": agreement}


Config = BigGANConfig
