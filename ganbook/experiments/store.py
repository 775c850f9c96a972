"""Train an experiment and keep its checkpoint, or reuse the one already made.

``python -m ganbook train NAME --profile P`` and the chapters call the same
:func:`train_and_save`; a chapter calls :func:`load_or_train`, which reuses
``NAME-P-HASH.pt`` when its manifest names the same config and the same code
(so chapter 6 measures the models chapter 5 trained). ``HASH`` is the config's
:meth:`~.base.ExperimentConfig.short_hash`, so a variant (another seed, an
exercise's setting) gets a file of its own and never overwrites the book's run.
"The same code" is :func:`ganbook.deps.code_version` of the experiment's module:
the module and every ganbook module it imports, not the whole package.
"""

from __future__ import annotations

import importlib
import multiprocessing
import os
import time
from pathlib import Path
from types import ModuleType
from typing import Any

import torch

from .. import checkpoints, deps, distributed, profiles
from ..accel import resolve_precision
from ..errors import CheckpointError, GanbookError

FOLDER_VAR = "GANBOOK_CHECKPOINTS"


def default_folder() -> Path:
    """``$GANBOOK_CHECKPOINTS`` if set, else ``checkpoints`` under the current directory."""
    return Path(os.environ.get(FOLDER_VAR, "checkpoints"))


def checkpoint_path(exp: ModuleType, config: Any, profile: str, folder: str | os.PathLike | None = None) -> Path:
    """``FOLDER/NAME-PROFILE-HASH.pt`` (``...-HASH-xN.pt`` for a run of N processes under torchrun);
    the folder defaults to :func:`default_folder`."""
    procs = f"-x{distributed.world_size()}" if distributed.active() else ""
    name = f"{exp.NAME}-{profile}-{config.short_hash()}{procs}.pt"
    return Path(folder if folder is not None else default_folder()) / name


def manifest_for(exp: ModuleType, config: Any, profile: str, changes: dict[str, Any] | None = None) -> dict[str, Any]:
    """What a checkpoint's manifest says of how it was made (the command that rebuilds it included)."""
    sets = "".join(f" --set {k}={v!r}".replace("'", "") for k, v in (changes or {}).items())
    return {"name": exp.NAME, "profile": profile, "command": f"python -m ganbook train {exp.NAME} --profile {profile}{sets}",
            "config": config.as_dict(), "code": deps.code_version(exp)}


def train_and_save(exp: ModuleType, profile: str | None = None, folder: str | os.PathLike | None = None,
                   resume: bool = False, progress: bool = True, checkpoint_every: int = 0,
                   changes: dict[str, Any] | None = None, compile: bool = False,
                   precision: str = "auto") -> tuple[Any, dict[str, Any]]:
    """Train ``exp`` on ``profile`` (with config ``changes``), measure it, write its checkpoint; return (run, manifest).
    ``precision`` is the arithmetic of training (``auto``: mixed on a GPU, fp32 on the CPU; :mod:`ganbook.accel`).

    Under ``torchrun`` every process trains; rank 0 alone measures and writes.
    """
    profile = profiles.resolve(profile)
    config = exp.Config.for_profile(profile, **(changes or {}))
    out = checkpoint_path(exp, config, profile, folder)
    manifest = manifest_for(exp, config, profile, changes)
    run = exp.build(config, device=profiles.device(profile)).use_precision(precision)
    manifest["precision"] = run.precision.name
    if compile:
        run.compile()
    if resume and out.exists():
        before = checkpoints.read_manifest(out).get("precision", "fp32")
        if before != run.precision.name:
            raise GanbookError(f"{out} was trained in {before}, not {run.precision.name}: resume it with "
                               f"--precision {before}, or train from scratch without --resume")
        run.resume(out)
    start = time.perf_counter()
    run.fit(config.steps, progress=progress, checkpoint=out, checkpoint_every=checkpoint_every, manifest=manifest)
    seconds = time.perf_counter() - start
    result = exp.evaluate(run, config) if distributed.is_main() else {}
    written = run.save(out, {**manifest, "metrics": result, "train_seconds": round(seconds, 2)})
    return run, written


def cached(exp: ModuleType, profile: str | None = None, folder: str | os.PathLike | None = None,
           changes: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]] | None:
    """The checkpointed run if its manifest names this config, this code and a finished run; else None
    (nothing is trained: a chapter can show another chapter's result only when it exists)."""
    profile = profiles.resolve(profile)
    config = exp.Config.for_profile(profile, **(changes or {}))
    path = checkpoint_path(exp, config, profile, folder)
    if not path.exists():
        return None
    try:
        manifest = checkpoints.read_manifest(path)
        if (manifest.get("config") != config.as_dict() or manifest.get("code") != deps.code_version(exp)
                or manifest.get("step") != config.steps or "metrics" not in manifest
                or manifest.get("processes", 1) != distributed.world_size()
                or manifest.get("precision", "fp32") != resolve_precision("auto", profiles.device(profile))):
            return None
        run = exp.build(config, device=profiles.device(profile))
        run.resume(path)
        return run, manifest
    except CheckpointError:
        return None  # a damaged or foreign file: train again and overwrite it


def load_or_train(exp: ModuleType, profile: str | None = None, folder: str | os.PathLike | None = None,
                  progress: bool = True, changes: dict[str, Any] | None = None) -> tuple[Any, dict[str, Any]]:
    """The trained ``exp`` from its checkpoint if that matches this config and code, else a fresh training run."""
    profile = profiles.resolve(profile)
    return (cached(exp, profile, folder, changes)
            or train_and_save(exp, profile, folder, progress=progress, changes=changes))


def _train_in_worker(module_name: str, profile: str, folder: str | None) -> None:
    torch.set_num_threads(1)  # two workers on two cores: one thread each
    train_and_save(importlib.import_module(module_name), profile, folder, progress=False)


def load_or_train_all(exps: list[ModuleType], profile: str | None = None, folder: str | os.PathLike | None = None,
                      workers: int = 2) -> list[tuple[Any, dict[str, Any]]]:
    """:func:`load_or_train` for several independent experiments, training the missing ones in parallel processes.

    Each worker runs one experiment with one thread, so a worker's run is
    bit-for-bit the same as ``train_and_save`` under ``torch.set_num_threads(1)``.
    """
    profile = profiles.resolve(profile)
    missing = [exp for exp in exps if cached(exp, profile, folder) is None]
    if len(missing) == 1 or (missing and workers == 1):
        for exp in missing:
            train_and_save(exp, profile, folder, progress=False)
    elif missing:
        ctx = multiprocessing.get_context("spawn")  # a clean interpreter: safe with torch's threads
        with ctx.Pool(min(workers, len(missing))) as pool:
            pool.starmap(_train_in_worker, [(exp.__name__, profile, None if folder is None else str(folder))
                                            for exp in missing])
    return [load_or_train(exp, profile, folder) for exp in exps]
