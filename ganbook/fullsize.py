"""Chapter 24's measurements: what the ``gpu`` profile asks for, and what a CPU can say about it.

- :func:`profile_table`: every GAN experiment's steps and batch on the ``cpu``
  and ``gpu`` profiles, and how many more images the full size sees;
- :func:`step_seconds`: the seconds one training step takes, timed on this
  machine with stand-in images of the right shape (:func:`stand_in`), so a
  network's cost can be measured without its data set;
- :func:`generate_in` and :func:`precision_gap`: a trained generator's samples
  under bf16 or fp16 autocast (the trainer's, :mod:`ganbook.accel`) and how
  far they are from fp32; :func:`precision_frames` pictures them;
- :func:`torchrun`: run the command line under ``torchrun`` with several
  processes (gloo on a CPU, NCCL on GPUs) and return what it printed.
"""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from typing import Callable

import pandas as pd
import torch
from torch import Tensor

from .accel import Precision
from .experiments.registry import registry
from .images import grid_png, levels
from .train import Trainer


def profile_table() -> pd.DataFrame:
    """One row per GAN experiment with ``steps`` and ``batch_size``: both profiles' values and the ratio of
    images (or rows, or clips) seen at full size to those seen on the ``cpu`` profile."""
    rows = []
    for name, module in registry().items():
        if getattr(module, "INSTRUMENT", False):
            continue
        cpu, gpu = (module.Config.for_profile(p) for p in ("cpu", "gpu"))
        if not all(hasattr(c, f) for c in (cpu, gpu) for f in ("steps", "batch_size")):
            continue
        rows.append({"experiment": name, "chapter": module.CHAPTER, "cpu steps": cpu.steps, "cpu batch": cpu.batch_size,
                     "gpu steps": gpu.steps, "gpu batch": gpu.batch_size,
                     "x images": gpu.steps * gpu.batch_size / (cpu.steps * cpu.batch_size)})
    return pd.DataFrame(rows).set_index("experiment")


def stand_in(shape: tuple[int, ...]) -> Callable[[int, torch.Generator], Tensor]:
    """A data source of uniform noise in [-1, 1] of ``shape`` per sample: a step costs the same on any pixels."""
    return lambda n, generator=None: torch.rand(n, *shape, generator=generator) * 2 - 1


def step_seconds(trainer: Trainer, steps: int) -> float:
    """Seconds per training step over ``steps`` steps, after one untimed step (first-call costs)."""
    if steps < 1:
        raise ValueError(f"steps must be at least 1, got {steps}")
    trainer.fit(trainer.step + 1, progress=False)
    start = time.perf_counter()
    trainer.fit(trainer.step + steps, progress=False)
    return (time.perf_counter() - start) / steps


def generate_in(trainer: Trainer, n: int, precision: str, seed: int = 0) -> Tensor:
    """``n`` samples of ``trainer`` (from ``seed``), its generators run under
    ``precision``'s autocast; returned in fp32."""
    with Precision(precision, trainer.device).autocast():
        return trainer.generate(n, seed=seed).float()


def precision_gap(exact: Tensor, low: Tensor) -> dict[str, float]:
    """The largest and the mean absolute difference between two batches of the same samples in [-1, 1], and
    the share of pixels whose 8-bit level (:func:`ganbook.images.levels`) differs."""
    if exact.shape != low.shape:
        raise ValueError(f"compare the same samples: got shapes {tuple(exact.shape)} and {tuple(low.shape)}")
    gap = (exact.float() - low.float()).abs()
    return {"max_abs": float(gap.max()), "mean_abs": float(gap.mean()),
            "levels_changed": float((levels(exact.float()) != levels(low.float())).float().mean())}


def precision_frames(trainer: Trainer, n: int, precisions: tuple[str, ...] = ("fp32", "bf16", "fp16"),
                     amplify: float = 50.0, nrow: int = 8) -> dict[str, bytes]:
    """PNG grids of the same ``n`` samples in each precision, then each 16-bit one's difference from fp32
    times ``amplify`` (mid-grey: no difference), for chapter 24's picker."""
    made = {p: generate_in(trainer, n, p) for p in precisions}
    frames = {p: grid_png(x, nrow) for p, x in made.items()}
    for p in precisions[1:]:
        frames[f"{p} - fp32 (x{amplify:g})"] = grid_png(((made[p] - made[precisions[0]]) * amplify).clamp(-1, 1), nrow)
    return frames


def torchrun(args: list[str], processes: int = 2, timeout: float = 600) -> tuple[str, float]:
    """``torchrun --nproc-per-node processes -m ganbook ARGS`` in a fresh folder; its output and seconds
    (``torch.distributed.run`` is what the ``torchrun`` script runs, reached through this Python).

    Raises ``RuntimeError`` with the end of its error output when it fails."""
    command = [sys.executable, "-m", "torch.distributed.run", "--nproc-per-node", str(processes), "-m", "ganbook",
               *args]
    with tempfile.TemporaryDirectory() as folder:
        start = time.perf_counter()
        out = subprocess.run(command, cwd=folder, capture_output=True, text=True, timeout=timeout)
        seconds = time.perf_counter() - start
    if out.returncode != 0:  # the command's own one-line errors, not the launcher's report that a child failed
        said = [line for line in out.stderr.splitlines() if line.startswith("error:")]
        raise RuntimeError(f"torchrun failed ({out.returncode}): " + ("; ".join(dict.fromkeys(said)) or out.stderr[-1000:]))
    return out.stdout, seconds
