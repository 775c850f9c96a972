"""Many small 2-D runs at once: variants x seeds, on both CPU cores.

Chapters 3 and 4 compare several ways of training the same toy GAN over several
seeds. Each run is a :class:`Variant` (what differs from the plain GAN) applied
to one :class:`~ganbook.experiments.toy2d.Toy2DConfig` and one seed. The runs
are independent and tiny, so :func:`run_all` spreads them over worker processes
with one thread each (two workers are about twice as fast as one process on a
two-core machine). Every run is seeded, so the results do not depend on which
worker ran what.
"""

from __future__ import annotations

from itertools import combinations

import concurrent.futures as cf
import multiprocessing
from dataclasses import dataclass, field, replace
from typing import Any, Callable

import numpy as np
import torch
from torch import nn
from tqdm.auto import tqdm

from .. import metrics, profiles
from ..data import GaussianMixture2D
from ..games import Objective, StandardGame
from ..train import Every, Trainer
from . import toy2d


@dataclass(frozen=True)
class LinearNoise:
    """Instance-noise schedule: std ``start`` at step 0, falling linearly to 0 at ``steps``."""

    start: float
    steps: int

    def __call__(self, step: int) -> float:
        return self.start * max(0.0, 1.0 - step / self.steps)


@dataclass(frozen=True)
class Variant:
    """One way of training: its name and what it changes from the plain GAN.

    Everything here must pickle (module-level functions, partials, dataclasses),
    because the runs go to worker processes.
    """

    name: str
    objective: Objective = Objective()
    game: type[StandardGame] = StandardGame  # e.g. FeatureMatchingGame
    discriminator: Callable[[toy2d.Toy2DConfig], nn.Module] | None = None
    noise_start: float = 0.0  # instance noise std at step 0 (falls linearly to 0)
    config_changes: dict[str, Any] = field(default_factory=dict)

    def config(self, base: toy2d.Toy2DConfig, seed: int) -> toy2d.Toy2DConfig:
        return replace(base, seed=seed, **self.config_changes)


@dataclass
class ModeTracker:
    """Callback: each time it is called, record the mode histogram, some samples and G's gradient norm."""

    target: GaussianMixture2D
    n_samples: int = 1000
    records: list[dict[str, Any]] = field(default_factory=list)

    def __call__(self, trainer: Trainer) -> None:
        gnorm = metrics.grad_norm(trainer.G)  # left over from the step that just ran
        x = trainer.generate(self.n_samples, seed=7, ema=False).numpy()
        report = metrics.mode_report(x, self.target.centers(), self.target.std)
        self.records.append({"step": trainer.step, "counts": np.asarray(report.counts), "samples": x[:500],
                             "high_quality": report.high_quality, "g_grad_norm": gnorm})


def run_one(variant: Variant, base: toy2d.Toy2DConfig, seed: int, track_every: int = 0) -> dict[str, Any]:
    """Train one variant with one seed; return its metrics, final samples, losses and tracks."""
    torch.set_num_threads(1)
    config = variant.config(base, seed)
    noise = LinearNoise(variant.noise_start, config.steps) if variant.noise_start > 0 else None
    callbacks, tracker = [], None
    target = toy2d.dataset(config)
    if track_every and isinstance(target, GaussianMixture2D):
        tracker = ModeTracker(target)
        callbacks.append(Every(track_every, tracker, at_start=False))
    trainer = toy2d.train(config, callbacks=callbacks, progress=False, objective=variant.objective,
                          discriminator=variant.discriminator, instance_noise=noise, game=variant.game)
    return {
        "variant": variant.name,
        "seed": seed,
        "metrics": toy2d.evaluate(trainer, config),
        "samples": trainer.generate(config.eval_samples).numpy(),
        "history": trainer.history,
        "tracks": tracker.records if tracker else [],
    }


def run_all(variants: list[Variant], base: toy2d.Toy2DConfig, seeds: list[int] | range,
            track_every: int = 0, workers: int | None = None, progress: bool = True) -> list[dict[str, Any]]:
    """Every variant with every seed, in that order, on ``workers`` processes (default: :func:`ganbook.profiles.workers`)."""
    jobs = [(v, base, s, track_every) for v in variants for s in seeds]
    return parallel_map(run_one, jobs, workers, progress)


def sweep(run_one: Callable[[Any], dict[str, Any]], configs: list[Any] | dict[str, Any],
          seeds: range | list[int] | None = None, progress: bool = True, desc: str = "runs",
          workers: int | None = None) -> list[dict[str, Any]]:
    """``run_one(config)`` for every config (with every seed of ``seeds``, or with its own seed if None), on
    the profile's worker processes, in that order, one thread each.

    Every result has one shape: ``variant`` (the config's ``label``, or its key when ``configs`` is a
    dict ``{label: config}``), ``seed``, ``config``, then what ``run_one`` returns (``metrics`` and
    whatever else its chapter plots). ``run_one`` must be a module-level function (or a partial of one).
    """
    pairs = list(configs.items()) if isinstance(configs, dict) else [(getattr(c, "label", None), c) for c in configs]
    if seeds is not None:
        pairs = [(label, replace(c, seed=s)) for label, c in pairs for s in seeds]
    return parallel_map(_sweep_job, [(run_one, label, c) for label, c in pairs], workers, progress, desc)


def _sweep_job(run_one: Callable[[Any], dict[str, Any]], label: str | None, config: Any) -> dict[str, Any]:
    torch.set_num_threads(1)
    return {"variant": label, "seed": config.seed, "config": config, **run_one(config)}


def parallel_map(fn: Callable[..., Any], jobs: list[tuple], workers: int | None = None,
                 progress: bool = True, desc: str = "runs") -> list[Any]:
    """``[fn(*job) for job in jobs]`` on ``workers`` processes (default: :func:`ganbook.profiles.workers`), in order.

    ``fn`` must be a module-level function and the jobs must pickle; each job
    should set one thread (as :func:`run_one` does), so two workers share two
    cores. With one worker the jobs run here, and this process's thread count is
    restored afterwards.
    """
    workers = workers or profiles.workers()
    bar = tqdm(total=len(jobs), disable=not progress, desc=desc)
    threads = torch.get_num_threads()
    try:
        if workers <= 1:
            results = []
            for job in jobs:
                results.append(fn(*job))
                bar.update(1)
            return results
        ctx = multiprocessing.get_context("spawn")  # a clean interpreter: safe with torch's threads
        with cf.ProcessPoolExecutor(max_workers=workers, mp_context=ctx) as pool:
            futures = [pool.submit(fn, *job) for job in jobs]
            for _ in cf.as_completed(futures):
                bar.update(1)
            return [f.result() for f in futures]
    finally:
        torch.set_num_threads(threads)
        bar.close()


def summary(results: list[dict[str, Any]], keys: tuple[str, ...] = ("modes", "high_quality", "reverse_kl"),
            spread: str = "std") -> dict[str, dict[str, tuple[float, float]]]:
    """Mean and spread over seeds of each metric, per variant (in order of appearance).

    ``spread="std"``: the standard deviation over seeds; ``"se"``: the standard
    error of the mean (sample standard deviation / sqrt(seeds)), as PacGAN and
    VEEGAN report their rows.
    """
    if spread not in ("std", "se"):
        raise ValueError(f"spread must be 'std' or 'se', got {spread!r}")
    table: dict[str, dict[str, tuple[float, float]]] = {}
    for name in dict.fromkeys(r["variant"] for r in results):
        rows = [r["metrics"] for r in results if r["variant"] == name]
        table[name] = {k: _mean_spread([m[k] for m in rows], spread) for k in keys}
    return table


def format_summary(table: dict[str, dict[str, tuple[float, float]]]) -> str:
    """The rows of :func:`summary` (or published rows of the same shape) as a text table."""
    def cell(mean: float, std: float, scale: float = 1.0, digits: int = 2) -> str:
        if not np.isfinite(mean):
            return "no HQ sample"
        return f"{scale * mean:.{digits}f} +- {scale * std:.{digits}f}"

    lines = [f"{'':32}{'modes captured':>16}{'high quality %':>18}{'reverse KL':>16}"]
    for name, row in table.items():
        lines.append(f"{name:32}{cell(*row['modes'], digits=1):>16}"
                     f"{cell(*row['high_quality'], scale=100, digits=1):>18}{cell(*row['reverse_kl']):>16}")
    return "\n".join(lines)


def mean_se(values: list[float]) -> tuple[float, float]:
    """The mean of ``values`` and its standard error (sample standard deviation / sqrt(n); NaN for one value)."""
    return _mean_spread(values, "se")


def _mean_spread(values: list[float], spread: str) -> tuple[float, float]:
    """Mean and std (or standard error); ``(inf, nan)`` if any value is infinite (a run with no high-quality sample)."""
    a = np.asarray(values, dtype=np.float64)
    if not np.all(np.isfinite(a)):
        return float("inf"), float("nan")
    if spread == "se":
        return float(a.mean()), float(a.std(ddof=1) / np.sqrt(len(a))) if len(a) > 1 else float("nan")
    return float(a.mean()), float(a.std())


def seed_counts(results: list[dict[str, Any]]) -> dict[str, int]:
    """How many seeds each variant of ``results`` ran (in order of appearance)."""
    return {name: sum(r["variant"] == name for r in results) for name in dict.fromkeys(r["variant"] for r in results)}


def mean_se_cell(mean: float, se: float, seeds: int) -> str:
    """A table cell "mean ± s.e. (seeds)", or "mean (1)" for a single seed (no standard error)."""
    return f"{mean:.3f} ± {se:.3f} ({seeds})" if np.isfinite(se) else f"{mean:.3f} (1)"


def separated(a: tuple[float, float], b: tuple[float, float]) -> int:
    """+1 if mean ``a[0]`` is above ``b[0]`` by more than two standard errors of the difference
    (``a[1]``, ``b[1]``; a missing one counts as 0), -1 if below by as much, 0 if closer."""
    noise = 2 * np.sqrt(np.nan_to_num(a[1]) ** 2 + np.nan_to_num(b[1]) ** 2)
    return 1 if a[0] - b[0] > noise else -1 if b[0] - a[0] > noise else 0


def pair_orders(ours: dict[str, tuple[float, float]], theirs: dict[str, tuple[float, float]],
                higher_is_better: bool = True) -> dict[str, list[tuple[str, str]]]:
    """Every pair of methods both sides scored (``(mean, standard error)`` each; a missing error counts as 0),
    sorted by how ours compare: ``agree`` (ours in the paper's order by more than two standard errors of the
    difference, :func:`separated`), ``disagree`` (the opposite order, likewise) and ``unclear`` (ours closer
    than that, or the paper's two within its own two standard errors). Each pair is ``(better, worse)`` by
    the paper's numbers, in the order of ``theirs``."""
    sign = 1 if higher_is_better else -1
    names = [m for m in theirs if m in ours]
    out: dict[str, list[tuple[str, str]]] = {"agree": [], "disagree": [], "unclear": []}
    for x, y in combinations(names, 2):
        paper = sign * separated(theirs[x], theirs[y])
        if paper == 0:
            out["unclear"].append((x, y))
            continue
        better, worse = (x, y) if paper > 0 else (y, x)
        out[{1: "agree", -1: "disagree", 0: "unclear"}[sign * separated(ours[better], ours[worse])]].append(
            (better, worse))
    return out
