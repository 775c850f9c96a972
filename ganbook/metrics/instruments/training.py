"""What the measuring instruments (digit classifier, shape reader, segmenter) share: how one is trained,
written, loaded and rebuilt from the command line.

An instrument is a module of this package with ``INSTRUMENT = True``, ``NAME``,
``SHIPPED`` (the path of the shipped weights), ``COMMAND`` (the command that
rebuilds them), ``Config``, ``train(config, progress) -> (model, report)`` and
``save(model, report, config, path, seconds)``. Each trains with :func:`fit`
(AdamW and a one-cycle schedule over its epochs), writes with :func:`save` and
reads back with :func:`load`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from pathlib import Path
from types import ModuleType
from typing import Any, Callable, Iterator

import torch
from torch import Tensor, nn
from tqdm.auto import tqdm

from ... import checkpoints
from ...config import ExperimentConfig
from ...errors import CheckpointError


@dataclass(frozen=True)
class SceneTrainingConfig(ExperimentConfig):
    """How an instrument of the shape world trains (the reader, the segmenter): ``epochs`` of
    ``scenes_per_epoch`` freshly rendered scenes, each batch degraded at random (noise std up to ``max_noise``,
    a 3x3 blur on 40% of scenes), AdamW. Each instrument states its own sizes over these."""

    epochs: int = 16
    scenes_per_epoch: int = 10000
    batch_size: int = 100
    lr: float = 3e-3
    weight_decay: float = 1e-4
    width: int = 16
    max_noise: float = 0.2


def fit(model: nn.Module, config: Any, batches: Callable[[int], Iterator[tuple[Tensor, Any]]],
        loss: Callable[[Any, Any], Tensor], steps_per_epoch: int, desc: str, progress: bool = True) -> nn.Module:
    """Train ``model`` for ``config.epochs``: AdamW at ``config.lr`` with ``config.weight_decay`` and a one-cycle
    schedule; epoch ``e`` minimises ``loss(model(x), target)`` over ``batches(e)`` (``steps_per_epoch`` of
    them). Returns the model in eval mode."""
    opt = torch.optim.AdamW(model.parameters(), lr=config.lr, weight_decay=config.weight_decay)
    sched = torch.optim.lr_scheduler.OneCycleLR(opt, config.lr, total_steps=config.epochs * steps_per_epoch)
    for epoch in tqdm(range(config.epochs), desc=desc, disable=not progress):
        model.train()
        for x, target in batches(epoch):
            value = loss(model(x), target)
            opt.zero_grad(set_to_none=True)
            value.backward()
            opt.step()
            sched.step()
    return model.eval()


def save(exp: ModuleType, model: nn.Module, result: dict[str, Any], config: Any, path: str | Path, seconds: float,
         data: str) -> dict[str, Any]:
    """Write ``model`` and its manifest (name, rebuild command, config, held-out report, robustness table if
    any, training time, a line on its ``data``, sha256) atomically."""
    metrics = {k: v for k, v in result.items() if k != "robustness"}
    manifest = {"name": exp.NAME, "command": exp.COMMAND, "config": config.as_dict(), "metrics": metrics,
                "train_seconds": round(seconds, 2), "data": data}
    if "robustness" in result:
        manifest["robustness"] = result["robustness"]
    return checkpoints.save(path, {"model": model.state_dict()}, manifest)


def load(exp: ModuleType, path: str | Path, make: Callable[[dict[str, Any]], nn.Module]) -> nn.Module:
    """The instrument at ``path`` (sha256-checked, ``weights_only``) in eval mode without gradients:
    ``make(config)`` builds the network from the manifest's config; a file that no longer fits it is a
    one-line error naming the rebuild command."""
    state, manifest = checkpoints.load(path)
    model = make(manifest.get("config", {}))
    try:
        model.load_state_dict(state["model"])
    except (RuntimeError, KeyError) as err:
        first = str(err).strip().splitlines()[0]
        raise CheckpointError(f"{Path(path).name} no longer fits {type(model).__name__} ({first}): rebuild it with "
                              f"`{exp.COMMAND}`") from None
    return model.eval().requires_grad_(False)


def train_and_save(exp: ModuleType, profile: str, out: str | Path, progress: bool = True,
                   changes: dict[str, Any] | None = None) -> tuple[Path, dict[str, float], float]:
    """What ``python -m ganbook train NAME`` does for an instrument; returns (path, report, seconds).

    The instrument itself (any profile but ``smoke``, no changes) is written under its shipped file
    name; anything else as ``NAME-PROFILE-HASH.pt``, beside it rather than over it.
    """
    config = exp.Config.for_profile(profile, **(changes or {}))
    start = time.perf_counter()
    model, result = exp.train(config, progress)
    seconds = time.perf_counter() - start
    shipped_config = profile != "smoke" and not changes
    path = Path(out) / (exp.SHIPPED.name if shipped_config else f"{exp.NAME}-{profile}-{config.short_hash()}.pt")
    exp.save(model, result, config, path, seconds)
    return path, result, seconds
