"""Chapter 13: the regularisation toolbox, one option at a time, on digits at one budget.

Every row is the same DCGAN (D without batch norm, so that gradient penalties
see one sample at a time) on mnist5k with the same steps, batch and seeds; a
row switches on one option of the engine and changes nothing else:

- ``penalty="r1"`` / ``"r2"``: :func:`ganbook.penalties.r1_penalty` on real or
  :func:`~ganbook.penalties.r2_penalty` on generated digits, weight gamma / 2
  (Mescheder et al., 2018);
- ``instance_noise``: Gaussian noise on everything D sees, std falling linearly
  to 0 (Sonderby et al., 2017);
- ``replay``: a pool of past fakes, each of D's fakes swapped for one with probability one half
  (:class:`ganbook.replay.ReplayBuffer`; Shrivastava et al., 2017);
- ``clip_norm``: each player's gradient rescaled to at most this norm;
- ``lr_g`` / ``lr_d``: two time-scales (Heusel et al., 2017);
- ``ema_decay``: G's weights averaged by PyTorch's EMA (Yazici et al., 2019),
  the samples drawn from the average.

A run *diverges* when a loss becomes non-finite or when it ends with a Frechet
distance at least half that of its own untrained generator.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

import torch

from .. import metrics, penalties
from ..data import mnist5k
from ..errors import TrainingDiverged
from ..games import Objective, StandardGame
from ..metrics.features import digit_space
from ..models.dcgan import DCGANDiscriminator, DCGANGenerator
from ..replay import ReplayBuffer
from ..train import Trainer
from . import digits
from .base import ExperimentConfig, make_trainer
from .runs import LinearNoise, sweep

NAME = "toolbox-digits"
CHAPTER = 13
PENALTIES = {"none": None, "r1": penalties.r1_penalty, "r2": penalties.r2_penalty}


@dataclass(frozen=True)
class ToolboxConfig(ExperimentConfig):
    """The shared budget and every option (all off by default); sizes and rates per profile."""

    steps: int = 600
    batch_size: int = 64
    latent_dim: int = 64
    width: int = 16
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    penalty: str = "none"  # "r1" or "r2"
    gamma: float = 10.0  # penalty weight is gamma / 2
    instance_noise: float = 0.0  # std at step 0, falling linearly to 0
    replay: int = 0  # pool size (0: no replay)
    replay_share: float = 0.5
    clip_norm: float = 0.0  # 0: no clipping
    ema_decay: float = 0.0  # 0: samples from G itself
    seeds: int = 3  # runs per row in the chapter's table
    eval_samples: int = 1000

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=8, batch_size=16, latent_dim=16, width=4, seeds=2, eval_samples=200),
        "cpu": dict(steps=400),
        "gpu": dict(steps=10000, latent_dim=100, width=64, seeds=10, eval_samples=4000),
    }

    def __post_init__(self) -> None:
        if self.penalty not in PENALTIES:
            raise ValueError(f"unknown penalty {self.penalty!r}: choose one of {', '.join(PENALTIES)}")


def rows(config: ToolboxConfig) -> dict[str, ToolboxConfig]:
    """The chapter's ablation: the plain run and one option switched on per row, at the same budget."""
    return {
        "plain": config,
        "R1 (gamma 10)": replace(config, penalty="r1", gamma=10.0),
        "R2 (gamma 10)": replace(config, penalty="r2", gamma=10.0),
        "instance noise (0.2 -> 0)": replace(config, instance_noise=0.2),
        "experience replay (pool 1,000, half)": replace(config, replay=1000, replay_share=0.5),
        "gradient clipping (norm 1)": replace(config, clip_norm=1.0),
        "two time-scales (D 4x G)": replace(config, lr_g=config.lr_g / 2, lr_d=config.lr_d * 2),
        "EMA of G (0.999)": replace(config, ema_decay=0.999),
    }


def build(config: ToolboxConfig, device: torch.device | str = "cpu") -> Trainer:
    """G, D (no batch norm) and the standard game with the options ``config`` switches on."""
    torch.manual_seed(config.seed)
    G, D = DCGANGenerator(config.latent_dim, config.width), DCGANDiscriminator(config.width, batch_norm=False)
    penalty = PENALTIES[config.penalty]
    objective = Objective(penalty=penalty, penalty_weight=config.gamma / 2 if penalty else 0.0)
    game = StandardGame(G, D, objective,
                        instance_noise=LinearNoise(config.instance_noise, config.steps) if config.instance_noise else None,
                        clip_norm=config.clip_norm or None,
                        replay=ReplayBuffer(config.replay, config.replay_share) if config.replay else None)
    return make_trainer(game, mnist5k("train", device).sample, config, device)


def evaluate(trainer: Trainer, config: ToolboxConfig) -> dict[str, float]:
    """:func:`ganbook.experiments.digits.measure` on ``eval_samples`` digits (from the average when there is one)."""
    return digits.measure(trainer.generate(config.eval_samples))


def frechet_distance(trainer: Trainer, config: ToolboxConfig) -> float:
    """The Frechet distance alone of ``eval_samples`` digits (what :func:`evaluate` reports as ``fd``)."""
    ref = digits.reference()
    return metrics.frechet_distance(ref.train_features, digit_space()(trainer.generate(config.eval_samples)))


def run_one(config: ToolboxConfig) -> dict[str, Any]:
    """Train one row with one seed: its metrics, whether it diverged, its losses and 36 samples."""
    trainer = build(config)
    untrained_fd = frechet_distance(trainer, config)
    try:
        trainer.fit(config.steps, progress=False)
        measured = evaluate(trainer, config)
        diverged = not measured["fd"] < untrained_fd / 2
    except TrainingDiverged:
        measured, diverged = digits.failed(), True
    return {"metrics": {**measured, "diverged": float(diverged)},
            "untrained_fd": untrained_fd, "history": {k: trainer.history.get(k, []) for k in ("loss_d", "loss_g")},
            "samples": trainer.generate(36, seed=0)}


def run(config: ToolboxConfig, seeds: range | list[int], chosen: dict[str, ToolboxConfig] | None = None,
        progress: bool = True) -> list[dict[str, Any]]:
    """Every row of ``chosen`` (default :func:`rows`) with every seed (:func:`.runs.sweep`)."""
    return sweep(run_one, chosen or rows(config), seeds, progress)


Config = ToolboxConfig
