"""Chapter 14: the same ProGAN networks grown 4 -> 32 pixels, or trained at 32 pixels from the first step.

Both runs use :mod:`ganbook.models.progan`'s G and D and Adam(0, 0.99) on the
shape world's 10,000 training scenes, and differ only in
:class:`~ganbook.games.progressive.Growth`. ``objective`` is ProGAN's WGAN-GP
(penalty 10, one critic step per G step) on the gpu profile; the smaller
profiles use the non-saturating loss, which at 800 grown steps here reached a
reader FD of 305 where WGAN-GP was still at 1012.
The budget is the same number of steps of the same batch (the grown run's early
steps are cheaper, so it also takes less time: the chapter prints both).
``evaluate`` measures ProGAN's SWD per pyramid level (32 and 16 pixels, as their
code keeps for 32-pixel images) against the world's test scenes, and the
reader's Frechet distance.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import torch

from ..data import shapes
from ..games import Objective
from ..games.progressive import Growth, ProgressiveGame
from ..games.wasserstein import gp_objective
from ..metrics.swd import pyramid_levels, swd_per_level
from ..models.progan import RESOLUTIONS, ProDiscriminator, ProGenerator
from ..train import Every, Trainer
from . import world
from .base import ExperimentConfig, adam_pair
from .runs import parallel_map

NAME = "progan-shapes"
SWD_RESOLUTIONS = tuple(32 >> k for k in range(pyramid_levels(32)))
"""The pyramid levels SWD reads on 32-pixel scenes: 32 and 16 pixels (ProGAN keeps levels down to 16)."""


@dataclass(frozen=True)
class ProGANConfig(ExperimentConfig):
    """Sizes per profile; ``grow`` picks the grown run or the full-size baseline."""

    grow: bool = True
    steps: int = 1000
    batch_size: int = 32
    latent_dim: int = 64
    width: int = 16  # channels of every block
    lr_g: float = 2e-3
    lr_d: float = 2e-3
    betas: tuple[float, float] = (0.0, 0.99)
    objective: str = "bce"  # the non-saturating loss with no penalty, or "wgan-gp"
    gp_weight: float = 10.0
    eval_samples: int = 1000  # images per SWD and FD measurement
    patches_per_image: int = 32
    swd_repeats: int = 4  # sets of 128 random directions, as ProGAN

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=16, batch_size=16, width=8, lr_g=2e-3, lr_d=2e-3, objective="bce", eval_samples=64,
                      patches_per_image=8),
        "cpu": dict(steps=1000, batch_size=32, width=16, lr_g=2e-3, lr_d=2e-3, objective="bce", eval_samples=1000,
                    patches_per_image=32),
        "gpu": dict(steps=40000, batch_size=64, width=128, lr_g=1e-3, lr_d=1e-3, objective="wgan-gp",
                    eval_samples=2000, patches_per_image=128),
    }

    def __post_init__(self) -> None:
        if self.objective not in ("bce", "wgan-gp"):
            raise ValueError(f"unknown objective {self.objective!r}: choose one of bce, wgan-gp")

    @property
    def label(self) -> str:
        return "grown" if self.grow else "full size from the start"


def build(config: ProGANConfig, device: torch.device | str = "cpu") -> Trainer:
    """ProGAN's G and D in the progressive game (WGAN-GP), growing or not."""
    torch.manual_seed(config.seed)
    G, D = ProGenerator(config.latent_dim, config.width), ProDiscriminator(config.width)
    objective = gp_objective(config.gp_weight) if config.objective == "wgan-gp" else Objective()
    game = ProgressiveGame(G, D, Growth(config.steps, config.grow), objective)
    return Trainer(game, shapes.world("train", device=device).sample,
                   adam_pair(G, D, config.lr_g, config.lr_d, config.betas), batch_size=config.batch_size,
                   seed=config.seed, device=device)


def swd(images: torch.Tensor, config: ProGANConfig) -> list[float]:
    """SWD x 1e3 per pyramid level (:data:`SWD_RESOLUTIONS`) of ``images`` against as many test scenes."""
    real = shapes.world("test").images[:len(images)]
    return swd_per_level(real, images[:len(real)].cpu(), patches_per_image=config.patches_per_image,
                         repeats=config.swd_repeats)


def run_one(config: ProGANConfig) -> dict[str, Any]:
    """Train one run; its SWD per level, reader metrics, time, and samples at each resolution it reached."""
    torch.set_num_threads(1)
    growth = Growth(config.steps, config.grow)
    snapshots: dict[int, torch.Tensor] = {}

    def snapshot(t: Trainer) -> None:  # native samples at the last step of each resolution
        if growth.stage(t.step)[0] != t.G.level or t.step == config.steps:
            with torch.no_grad():
                t.G.eval()
                snapshots[RESOLUTIONS[t.G.level]] = t.G.native(t.latent(16, torch.Generator().manual_seed(7)))
                t.G.train()

    start = time.perf_counter()
    trainer = build(config).fit(config.steps, callbacks=[Every(1, snapshot, at_start=False)], progress=False)
    seconds = time.perf_counter() - start
    fake = trainer.generate(config.eval_samples, ema=False)
    return {"fade": fade_frames(trainer) if config.grow else [], "variant": config.label, "grow": config.grow, "seed": config.seed, "seconds": seconds,
            "swd": swd(fake, config), "metrics": world.measure(fake), "snapshots": snapshots,
            "samples": fake[:36], "history": {k: trainer.history[k] for k in ("loss_d", "loss_g")}}


@torch.no_grad()
def fade_frames(trainer: Trainer, alphas: int = 6, n: int = 8) -> list[tuple[float, torch.Tensor]]:
    """The last fade-in replayed with the trained G: ``(alpha, images (n, 3, 32, 32))`` for alpha from 0 to 1."""
    G, last = trainer.G, len(RESOLUTIONS) - 1
    G.eval()
    z = trainer.latent(n, torch.Generator().manual_seed(7))
    frames = []
    for alpha in torch.linspace(0, 1, alphas).tolist():
        G.set_stage(last, alpha)
        frames.append((alpha, G(z)))
    G.set_stage(last, 1.0)
    G.train()
    return frames


def run(config: ProGANConfig, progress: bool = True) -> list[dict[str, Any]]:
    """:func:`run_one` grown and not grown, on two worker processes."""
    return parallel_map(run_one, [(replace(config, grow=g),) for g in (True, False)], progress=progress, desc="runs")


def evaluate(trainer: Trainer, config: ProGANConfig) -> dict[str, float]:
    """SWD per level and the reader's metrics of ``eval_samples`` generated scenes."""
    fake = trainer.generate(config.eval_samples)
    levels = swd(fake, config)
    return {**{f"swd_{r}px": v for r, v in zip(SWD_RESOLUTIONS, levels)}, "swd_mean": sum(levels) / len(levels),
            **world.measure(fake)}


Config = ProGANConfig
