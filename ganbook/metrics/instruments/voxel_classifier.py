"""The 3-D classifier that names generated voxel shapes: chapter 20's instrument.

A small 3-D CNN (:class:`~ganbook.models.voxel.VoxelClassifier`) trained on
freshly rendered primitives (:mod:`ganbook.data.voxels`) each epoch, with a
random share (up to ``max_flips``) of voxels flipped in each grid, so that it
still reads a generator's ragged shapes. Grids are read binarised at 0.5, as a
generated shape is shown. It is tested on the world's 500 held-out shapes,
clean and with 1% and 3% of voxels flipped; each class's accuracy is in the
manifest. The weights ship as package data (``ganbook/assets/voxel_classifier.pt``
and its manifest); ``python -m ganbook train voxel-classifier --out ganbook/assets``
rebuilds them.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Iterator

import torch
import torch.nn.functional as F
from torch import Tensor

from ...config import ExperimentConfig
from ...data import voxels
from ...models.voxel import VoxelClassifier
from . import training

NAME = "voxel-classifier"
CHAPTER = 20
INSTRUMENT = True  # trained and shipped as package data, not a GAN
SHIPPED = Path(__file__).resolve().parents[2] / "assets" / "voxel_classifier.pt"
COMMAND = "python -m ganbook train voxel-classifier --out ganbook/assets"
FLIPS = (0.0, 0.01, 0.03)  # the held-out conditions: share of voxels flipped


@dataclass(frozen=True)
class VoxelClassifierConfig(ExperimentConfig):
    """``epochs`` of ``shapes_per_epoch`` fresh shapes, AdamW with a one-cycle schedule (:func:`.training.fit`)."""

    epochs: int = 12
    shapes_per_epoch: int = 2000
    batch_size: int = 50
    lr: float = 3e-3
    weight_decay: float = 1e-4
    width: int = 8
    max_flips: float = 0.03

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(epochs=1, shapes_per_epoch=100, width=2),
        "cpu": {},
        "gpu": {},
    }


def flip(grids: Tensor, share: Tensor | float, rng: torch.Generator) -> Tensor:
    """``grids`` ``(n, 1, S, S, S)`` in {0, 1} with each voxel flipped with probability ``share`` (a number, or
    one per grid ``(n,)``)."""
    share = torch.as_tensor(share, dtype=grids.dtype).reshape(-1, 1, 1, 1, 1)
    flips = torch.rand(grids.shape, generator=rng) < share
    return torch.where(flips, 1 - grids, grids)


@torch.no_grad()
def classify(model: VoxelClassifier, grids: Tensor, batch: int = 250) -> Tensor:
    """The class of each grid ``(n, 1, 32, 32, 32)`` (occupancy, binarised at 0.5): ``(n,)`` int64."""
    model.eval()
    return torch.cat([model((grids[i:i + batch].cpu().float() > 0.5).float()).argmax(1)
                      for i in range(0, len(grids), batch)])


def accuracy(model: VoxelClassifier, grids: Tensor, labels: Tensor) -> dict[str, float]:
    """Overall and per-class accuracy (``accuracy_<class>``) on ``grids`` with true ``labels``."""
    return agreement(classify(model, grids), labels)


def agreement(got: Tensor, labels: Tensor) -> dict[str, float]:
    """How often the classes ``got`` are ``labels``: overall (``accuracy``) and per class (``accuracy_<class>``)."""
    out = {"accuracy": float((got == labels).float().mean())}
    for k, name in enumerate(voxels.CLASSES):
        out[f"accuracy_{name}"] = float((got[labels == k] == k).float().mean())
    return out


def train(config: VoxelClassifierConfig, progress: bool = True) -> tuple[VoxelClassifier, dict[str, Any]]:
    """Train a fresh classifier on fresh shapes each epoch, voxels flipped at random; return it (in eval mode)
    and its held-out report."""
    torch.manual_seed(config.seed)
    rng = torch.Generator().manual_seed(config.seed)
    model = VoxelClassifier(len(voxels.CLASSES), config.width)

    def batches(epoch: int) -> Iterator[tuple[Tensor, Tensor]]:
        data = voxels.shapes(config.shapes_per_epoch, seed=30_000 * (config.seed + 1) + epoch)
        order = torch.randperm(len(data), generator=rng)
        for i in range(0, len(order), config.batch_size):
            idx = order[i:i + config.batch_size]
            share = torch.rand(len(idx), generator=rng) * config.max_flips
            yield flip(data.occupancy[idx], share, rng), data.labels[idx]

    training.fit(model, config, batches, F.cross_entropy, math.ceil(config.shapes_per_epoch / config.batch_size),
                 "voxel classifier epochs", progress)
    return model, evaluate_model(model)


def evaluate_model(model: VoxelClassifier) -> dict[str, Any]:
    """Accuracy on the world's 500 held-out shapes (overall and per class), and the robustness table: the same
    with 1% and 3% of voxels flipped (a fixed seed)."""
    test = voxels.world("test")
    table = []
    for share in FLIPS:
        grids = flip(test.occupancy, share, torch.Generator().manual_seed(7)) if share else test.occupancy
        table.append({"condition": f"{share:.0%} voxels flipped" if share else "clean",
                      **accuracy(model, grids, test.labels)})
    return {**{k: v for k, v in table[0].items() if k != "condition"}, "robustness": table}


def save(model: VoxelClassifier, result: dict[str, Any], config: VoxelClassifierConfig, path: str | Path,
         seconds: float) -> dict[str, Any]:
    """Write the classifier and its manifest (:func:`.training.save`)."""
    return training.save(sys.modules[__name__], model, result, config, path, seconds,
                         "fresh voxel primitives each epoch, voxels flipped at random; tested on the world's 500 "
                         "held-out shapes, clean and with voxels flipped")


def load(path: str | Path = SHIPPED) -> VoxelClassifier:
    """Load a classifier written by :func:`save` (sha256-checked, ``weights_only``), in eval mode."""
    return training.load(sys.modules[__name__], path, lambda config: VoxelClassifier(
        len(voxels.CLASSES), config.get("width", VoxelClassifierConfig.width)))


@lru_cache(maxsize=1)
def shipped() -> VoxelClassifier:
    """The classifier shipped with ganbook (loaded once per process)."""
    return load(SHIPPED)


def train_and_save(profile: str, out: str | Path, progress: bool = True,
                   changes: dict[str, Any] | None = None) -> tuple[Path, dict[str, Any], float]:
    """What ``python -m ganbook train voxel-classifier`` does (:func:`.training.train_and_save`)."""
    return training.train_and_save(sys.modules[__name__], profile, out, progress, changes)


def evaluate_file(path: str | Path) -> dict[str, Any]:
    """The held-out accuracy of the classifier at ``path`` and its robustness table (``python -m ganbook evaluate``)."""
    return evaluate_model(load(path))


Config = VoxelClassifierConfig
