"""Chapter 14: the same ProGAN networks grown 4 -> 32 pixels, or trained at 32 pixels from the first step.

Both runs use :mod:`ganbook.models.progan`'s G and D and Adam(0, 0.99) on the
shape world's 10,000 training scenes, and differ only in
:class:`~ganbook.games.progressive.Growth`. ``objective`` is ProGAN's WGAN-GP
(penalty 10, one critic step per G step) on the gpu profile; the smaller
profiles use the non-saturating loss, which at 800 grown steps here reached a
reader FD of 305 where WGAN-GP was still at 1012.
:func:`run` compares them over ``seeds`` seeds at two budgets: the same number
of steps of the same batch, and the same wall-clock time (the grown run's early
steps are cheaper, so the full-size run is measured again at the moment it has
trained as long as the grown run of its seed took in all).
``evaluate`` measures ProGAN's SWD per pyramid level (32 and 16 pixels, as their
code keeps for 32-pixel images) against the world's test scenes, and the
reader's Frechet distance; :func:`table` gives each variant's mean and standard error.
"""

from __future__ import annotations

import time
from functools import partial
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
from .base import ExperimentConfig, make_trainer
from .runs import mean_se, sweep

NAME = "progan-shapes"
CHAPTER = 14
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
    seeds: int = 3  # runs of each variant in :func:`run`

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=16, batch_size=16, width=8, eval_samples=64, patches_per_image=8),
        "cpu": dict(steps=600),
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
    return make_trainer(game, shapes.world("train", device=device).sample, config, device)


def swd(images: torch.Tensor, config: ProGANConfig) -> list[float]:
    """SWD x 1e3 per pyramid level (:data:`SWD_RESOLUTIONS`) of ``images`` against as many test scenes."""
    real = shapes.world("test").images[:len(images)]
    return swd_per_level(real, images[:len(real)].cpu(), patches_per_image=config.patches_per_image,
                         repeats=config.swd_repeats)


def _measured(trainer: Trainer, config: ProGANConfig) -> dict[str, Any]:
    """SWD per level, reader metrics and a few samples of ``eval_samples`` images from G (ProGAN has no average)."""
    fake = trainer.generate(config.eval_samples, ema=False)
    return {"step": trainer.step, "swd": swd(fake, config), "metrics": world.measure(fake), "samples": fake[:36]}


def run_one(config: ProGANConfig, record_every: int = 0) -> dict[str, Any]:
    """Train one run; its SWD per level, reader metrics, time, and samples at each resolution it reached.

    With ``record_every``, a full-size run also keeps G's weights every ``record_every`` steps with the
    training time so far (``"records"``: ``(seconds, step, state)``), so it can be measured later at any time.
    """
    record_every = 0 if config.grow else record_every
    growth = Growth(config.steps, config.grow)
    snapshots: dict[int, torch.Tensor] = {}
    records: list[tuple[float, int, dict[str, torch.Tensor]]] = []
    trainer = build(config)  # renders the world once per process: not timed
    start = time.perf_counter()

    def snapshot(t: Trainer) -> None:  # native samples at the last step of each resolution
        if growth.stage(t.step)[0] != t.G.level or t.step == config.steps:
            with torch.no_grad():
                t.G.eval()
                snapshots[RESOLUTIONS[t.G.level]] = t.G.native(t.latent(16, torch.Generator().manual_seed(7)))
                t.G.train()

    def record(t: Trainer) -> None:
        records.append((time.perf_counter() - start, t.step, {k: v.clone() for k, v in t.G.state_dict().items()}))

    callbacks = [Every(1, snapshot, at_start=False)] + ([Every(record_every, record, at_start=False)]
                                                          if record_every else [])
    trainer.fit(config.steps, callbacks=callbacks, progress=False)
    seconds = time.perf_counter() - start
    final = _measured(trainer, config)
    return {"fade": fade_frames(trainer) if config.grow else [], "grow": config.grow, "step": final["step"], "seconds": seconds, "swd": final["swd"],
            "metrics": final["metrics"], "snapshots": snapshots, "samples": final["samples"], "records": records,
            "history": {k: trainer.history[k] for k in ("loss_d", "loss_g")}}


def at_time(result: dict[str, Any], config: ProGANConfig, seconds: float) -> dict[str, Any]:
    """A full-size run (from :func:`run_one` with ``record_every``) measured as it was when it had trained for
    ``seconds``: its last record at or before then (its first if none), or its end if it finished sooner
    (or kept no record)."""
    earlier = [r for r in result["records"] if r[0] <= seconds] or result["records"][:1]
    if seconds >= result["seconds"] or not earlier:  # finished sooner, or too short to have a record
        return {k: result[k] for k in ("step", "swd", "metrics", "samples", "seconds")}
    took, _, state = earlier[-1]
    trainer = build(replace(config, grow=False, seed=result["seed"]))
    trainer.G.load_state_dict(state)
    trainer.step = earlier[-1][1]
    return {**_measured(trainer, config), "seconds": took}


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


def run(config: ProGANConfig, progress: bool = True, record_every: int = 10) -> list[dict[str, Any]]:
    """:func:`run_one` grown and full size for seeds ``config.seed`` ... ``+ seeds - 1``, on two worker
    processes (grown runs first); each full-size run also gets ``"equal_time"``: :func:`at_time` at the
    training time of the grown run of its seed."""
    seeds = [config.seed + k for k in range(config.seeds)]
    configs = [replace(config, grow=g, seed=s) for g in (True, False) for s in seeds]
    results = sweep(partial(run_one, record_every=record_every), configs, progress=progress)
    grown, flat = results[:len(seeds)], results[len(seeds):]
    for g, f in zip(grown, flat):
        f["equal_time"] = at_time(f, config, g["seconds"])
        del f["records"]
    for g in grown:
        del g["records"]
    return results


def table(results: list[dict[str, Any]]) -> dict[str, dict[str, tuple[float, float]]]:
    """Mean and standard error over seeds of SWD per level (x 1e3), its average, the reader's FD and
    recall, the steps and the training seconds: for the grown runs, the full-size runs after as many
    steps, and the full-size runs after as much time (rows in that order)."""
    def row(measured: list[dict[str, Any]], seconds: list[float]) -> dict[str, tuple[float, float]]:
        values = {**{f"SWD x1e3, {r} px": [m["swd"][i] for m in measured] for i, r in enumerate(SWD_RESOLUTIONS)},
                  "SWD x1e3, average": [sum(m["swd"]) / len(m["swd"]) for m in measured],
                  "reader FD": [m["metrics"]["fd"] for m in measured],
                  "recall": [m["metrics"]["recall"] for m in measured],
                  "steps": [m["step"] for m in measured], "training seconds": seconds}
        return {k: mean_se(v) for k, v in values.items()}

    grown = [r for r in results if r["grow"]]
    flat = [r for r in results if not r["grow"]]
    return {"grown": row(grown, [r["seconds"] for r in grown]),
            "full size, same steps": row(flat, [r["seconds"] for r in flat]),
            "full size, same time": row([r["equal_time"] for r in flat], [r["equal_time"]["seconds"] for r in flat])}


def evaluate(trainer: Trainer, config: ProGANConfig) -> dict[str, float]:
    """SWD per level and the reader's metrics of ``eval_samples`` generated scenes."""
    fake = trainer.generate(config.eval_samples)
    levels = swd(fake, config)
    return {**{f"swd_{r}px": v for r, v in zip(SWD_RESOLUTIONS, levels)}, "swd_mean": sum(levels) / len(levels),
            **world.measure(fake)}


Config = ProGANConfig
