"""Run profiles: one place decides how big a run is.

``smoke``  seconds: CI and ``pytest --nbval``.
``cpu``    minutes on a two-core laptop: the rendered book.
``gpu``    full size: a local GPU or Colab.

The active profile comes from the ``GANBOOK_PROFILE`` environment variable.
Unset, it is ``gpu`` when CUDA is available and ``cpu`` otherwise. Chapters
never hard-code step counts: each has a small config dataclass whose
``for_profile`` calls :func:`choose` with one size per profile.
"""

from __future__ import annotations

import os
from typing import TypeVar

import torch

from .errors import ProfileError

PROFILES: tuple[str, ...] = ("smoke", "cpu", "gpu")
ENV_VAR = "GANBOOK_PROFILE"

T = TypeVar("T")


def resolve(name: str | None = None) -> str:
    """Return the profile to use: ``name`` if given, else ``$GANBOOK_PROFILE``, else auto."""
    if name is None:
        name = os.environ.get(ENV_VAR, "").strip() or None
    if name is None:
        return "gpu" if torch.cuda.is_available() else "cpu"
    name = name.strip().lower()
    if name not in PROFILES:
        raise ProfileError(
            f"unknown profile {name!r}: use one of {', '.join(PROFILES)} "
            f"(set {ENV_VAR} or pass --profile)"
        )
    return name


def choose(profile: str | None = None, **by_profile: T) -> T:
    """Pick the value for the active profile: ``choose(smoke=a, cpu=b, gpu=c)``."""
    name = resolve(profile)
    missing = [p for p in PROFILES if p not in by_profile]
    if missing:
        raise TypeError(f"choose() needs a value for every profile; missing {missing}")
    return by_profile[name]


def device(profile: str | None = None) -> torch.device:
    """CUDA when the profile is ``gpu`` and a GPU is present, else the CPU.

    ``smoke`` and ``cpu`` runs stay on the CPU so that their printed numbers are
    the same on every machine.
    """
    if resolve(profile) == "gpu" and torch.cuda.is_available():
        return torch.device("cuda")
    return torch.device("cpu")


def workers(profile: str | None = None) -> int:
    """Worker processes for independent runs: 1 on ``smoke`` (starting a process costs more than
    a smoke run), else one per CPU core this process may use (``taskset`` counts), at most 2 (the
    book's runs are sized for two cores)."""
    cores = len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else os.cpu_count() or 1
    return 1 if resolve(profile) == "smoke" else min(2, cores)
