"""Train an experiment and keep its checkpoint, or reuse the one already made.

``python -m ganbook train NAME --profile P`` and the chapters call the same
:func:`train_and_save`; a chapter calls :func:`load_or_train`, which reuses
``checkpoints/NAME-P.pt`` when its manifest names the same config and the same
ganbook code (so chapter 6 measures the models chapter 5 trained, and a change
to the library retrains them).
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

from .. import checkpoints, profiles
from ..errors import CheckpointError
from ..train import Trainer

FOLDER_VAR = "GANBOOK_CHECKPOINTS"


def default_folder() -> Path:
    """``$GANBOOK_CHECKPOINTS`` if set, else ``checkpoints`` under the current directory."""
    return Path(os.environ.get(FOLDER_VAR, "checkpoints"))


def checkpoint_path(exp: ModuleType, profile: str, folder: str | os.PathLike | None = None) -> Path:
    return Path(folder if folder is not None else default_folder()) / f"{exp.NAME}-{profile}.pt"


def train_and_save(exp: ModuleType, profile: str | None = None, folder: str | os.PathLike | None = None,
                   resume: bool = False, progress: bool = True, checkpoint_every: int = 0,
                   ) -> tuple[Trainer, dict[str, Any]]:
    """Train ``exp`` on ``profile``, measure it, write its checkpoint; return (trainer, manifest)."""
    profile = profiles.resolve(profile)
    config = exp.Config.for_profile(profile)
    out = checkpoint_path(exp, profile, folder)
    manifest = {"name": exp.NAME, "profile": profile, "command": f"python -m ganbook train {exp.NAME} --profile {profile}",
                "config": exp.config_dict(config), "code": checkpoints.code_version()}
    trainer = exp.build(config, device=profiles.device(profile))
    if resume and out.exists():
        trainer.resume(out)
    start = time.perf_counter()
    trainer.fit(config.steps, progress=progress, checkpoint=out, checkpoint_every=checkpoint_every, manifest=manifest)
    seconds = time.perf_counter() - start
    result = exp.evaluate(trainer, config)
    written = trainer.save(out, {**manifest, "metrics": result, "train_seconds": round(seconds, 2)})
    return trainer, written


def cached(exp: ModuleType, profile: str | None = None, folder: str | os.PathLike | None = None
           ) -> tuple[Trainer, dict[str, Any]] | None:
    """The checkpointed run if its manifest names this config, this code and a finished run; else None
    (nothing is trained: a chapter can show another chapter's result only when it exists)."""
    profile = profiles.resolve(profile)
    config = exp.Config.for_profile(profile)
    path = checkpoint_path(exp, profile, folder)
    if not path.exists():
        return None
    try:
        manifest = checkpoints.read_manifest(path)
        if (manifest.get("config") != exp.config_dict(config) or manifest.get("code") != checkpoints.code_version()
                or manifest.get("step") != config.steps or "metrics" not in manifest):
            return None
        trainer = exp.build(config, device=profiles.device(profile))
        trainer.resume(path)
        return trainer, manifest
    except CheckpointError:
        return None  # a damaged or foreign file: train again and overwrite it


def load_or_train(exp: ModuleType, profile: str | None = None, folder: str | os.PathLike | None = None,
                  progress: bool = True) -> tuple[Trainer, dict[str, Any]]:
    """The trained ``exp`` from its checkpoint if that matches this config and code, else a fresh training run."""
    profile = profiles.resolve(profile)
    return cached(exp, profile, folder) or train_and_save(exp, profile, folder, progress=progress)


def _train_in_worker(module_name: str, profile: str, folder: str | None) -> None:
    torch.set_num_threads(1)  # two workers on two cores: one thread each
    train_and_save(importlib.import_module(module_name), profile, folder, progress=False)


def load_or_train_all(exps: list[ModuleType], profile: str | None = None, folder: str | os.PathLike | None = None,
                      workers: int = 2) -> list[tuple[Trainer, dict[str, Any]]]:
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
