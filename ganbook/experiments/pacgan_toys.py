"""Chapter 12: PacGAN Table 1 on its own geometry, and the unrolled GAN, with PacGAN's 2-D networks.

One config trains one model on one data set: ``packing`` m (1 is the plain
GAN) and ``unroll`` k (0 is the standard G step) pick the model; ``data`` is
``ring-pacgan`` (8 modes, radius 1, std 0.01) or ``grid`` (25 modes, spacing 2,
std 0.05). The networks are PacGAN's (:mod:`ganbook.models.pacgan`), the
evaluation is theirs (2,500 samples, 3 standard deviations, a mode counts with
one sample: :func:`ganbook.metrics.mode_report`), and a batch holds
``batch_size`` packs, so a packed D sees m times as many samples per step.
Their runs were 400 epochs of 100,000 points (400,000 steps at lr 1e-4);
the ``cpu`` profile is far shorter, with a larger learning rate and narrower
layers, and says so in the chapter.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

import torch

from .. import metrics
from ..data import load
from ..games import StandardGame
from ..games.unrolled import UnrolledGame
from ..models.pacgan import BatchNormMLPGenerator, MaxoutDiscriminator, Packed
from ..train import Trainer, linear_decay
from .base import ExperimentConfig, adam_pair, make_trainer
from .runs import sweep

NAME = "pacgan-toys"
CHAPTER = 12
DATA = ("ring-pacgan", "grid")


@dataclass(frozen=True)
class PacGANToyConfig(ExperimentConfig):
    """One model on one 2-D mixture; every size and rate per profile in ``PROFILES``."""

    data: str = "grid"
    packing: int = 1  # samples per pack: 1 is the plain GAN, 2-4 PacGAN2-4
    unroll: int = 0  # D updates G looks ahead (Metz et al., 2017); 0 is the standard G step
    unroll_steps: int = 5  # the k of the chapter's unrolled runs (VEEGAN's row unrolls 5)
    steps: int = 400000
    batch_size: int = 100  # packs per batch
    latent_dim: int = 2
    g_hidden: int = 400
    g_layers: int = 4
    d_hidden: int = 200
    d_pieces: int = 5
    lr: float = 1e-4
    betas: tuple[float, float] = (0.8, 0.999)
    decay_from: float = 1.0  # the learning rate falls linearly to 0 from this fraction of the steps (1: constant)
    trials: int = 10  # seeds per row in the chapter's tables
    unrolled_trials: int = 10
    eval_samples: int = 2500

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=40, batch_size=20, g_hidden=32, d_hidden=16, lr=1e-3, decay_from=0.5, trials=2, unrolled_trials=2,
                      eval_samples=500),
        "cpu": dict(steps=800, g_hidden=128, d_hidden=64, lr=3e-3, decay_from=0.5, trials=3, unrolled_trials=2),
        "gpu": {},
    }

    def __post_init__(self) -> None:
        if self.data not in DATA:
            raise ValueError(f"unknown data {self.data!r} for {NAME}: choose one of {', '.join(DATA)}")
        if self.packing < 1 or self.unroll < 0:
            raise ValueError(f"packing must be >= 1 and unroll >= 0, got {self.packing} and {self.unroll}")

    @property
    def label(self) -> str:
        if self.unroll:
            return f"unrolled GAN ({self.unroll} steps)" + (f", packed {self.packing}" if self.packing > 1 else "")
        return "GAN" if self.packing == 1 else f"PacGAN{self.packing}"


def build(config: PacGANToyConfig, device: torch.device | str = "cpu") -> Trainer:
    """PacGAN's G and a packed maxout D; the unrolled game when ``config.unroll`` > 0."""
    torch.manual_seed(config.seed)
    G = BatchNormMLPGenerator(config.latent_dim, 2, config.g_hidden, config.g_layers)
    D = Packed(MaxoutDiscriminator(2 * config.packing, config.d_hidden, config.d_pieces), config.packing)
    game = UnrolledGame(G, D, unroll=config.unroll) if config.unroll else StandardGame(G, D)
    return make_trainer(game, load(config.data).sample, config, device,
                        optimizers=adam_pair(G, D, config.lr, config.lr, config.betas),
                        batch_size=config.batch_size * config.packing,
                        lr_schedule=linear_decay(config.steps, config.decay_from) if config.decay_from < 1 else None)


def evaluate(trainer: Trainer, config: PacGANToyConfig) -> dict[str, float]:
    """Modes captured, high-quality share and reverse KL of ``eval_samples`` points (PacGAN's rule)."""
    target = load(config.data)
    x = trainer.generate(config.eval_samples).numpy()
    return metrics.mode_report(x, target.centers(), target.std).as_dict()


def run_one(config: PacGANToyConfig) -> dict[str, Any]:
    """Train one model with one seed: its data, metrics and 1,000 of its samples."""
    trainer = build(config).fit(config.steps, progress=False)
    return {"data": config.data, "packing": config.packing, "unroll": config.unroll, "metrics": evaluate(trainer, config),
            "samples": trainer.generate(1000).numpy()}


def table1(config: PacGANToyConfig) -> list[PacGANToyConfig]:
    """PacGAN Table 1's rows we reproduce: GAN and PacGAN2-4 on the ring, then on the grid."""
    return [replace(config, data=d, packing=m, unroll=0) for d in DATA for m in (1, 2, 3, 4)]


def unrolled(config: PacGANToyConfig) -> PacGANToyConfig:
    """The unrolled GAN (``unroll_steps`` steps, no packing) on PacGAN's ring."""
    return replace(config, data="ring-pacgan", packing=1, unroll=config.unroll_steps)


def chapter_jobs(config: PacGANToyConfig) -> list[PacGANToyConfig]:
    """Every run of the chapter, seeds set: the unrolled runs (slowest, so first), then Table 1's rows x trials."""
    return ([replace(unrolled(config), seed=s) for s in range(config.unrolled_trials)]
            + [replace(c, seed=s) for c in table1(config) for s in range(config.trials)])


def run(configs: list[PacGANToyConfig], seeds: range | list[int] | None = None,
        progress: bool = True) -> list[dict[str, Any]]:
    """:func:`run_one` for every config (with every seed of ``seeds``, or with its own seed if None):
    :func:`.runs.sweep`."""
    return sweep(run_one, configs, seeds, progress)


Config = PacGANToyConfig
