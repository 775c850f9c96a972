"""The factor reader that measures generated shape-world images: training, shipping, loading, reading.

One fixed network for every profile but ``smoke`` (an instrument must not
change with the run size), trained on freshly rendered one-shape scenes (a new
seeded draw of ``scenes_per_epoch`` every epoch), each batch degraded at random
(:func:`ganbook.metrics.robustness.random_degradation`: pixel noise up to std
0.2, 3x3 blur) so that it reads what generators draw, not only perfect
renders, and tested on the world's fixed 2,000 test scenes
(:func:`ganbook.data.shapes.world`), clean and degraded (:func:`robustness`). The weights ship
as package data (``ganbook/assets/shape_reader.pt`` and its manifest);
``python -m ganbook train shape-reader --out ganbook/assets`` rebuilds them.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from functools import lru_cache, partial
from pathlib import Path
from typing import Any, ClassVar, Iterator

import torch
import torch.nn.functional as F
from torch import Tensor

from ...data import shapes
from ...models.reader import ShapeReader
from .. import robustness as robust
from ..spaces import FeatureSpace
from . import training

NAME = "shape-reader"
CHAPTER = 14
INSTRUMENT = True  # trained and shipped as package data, not a GAN
SHIPPED = Path(__file__).resolve().parents[2] / "assets" / "shape_reader.pt"
COMMAND = "python -m ganbook train shape-reader --out ganbook/assets"


@dataclass(frozen=True)
class ReaderConfig(training.SceneTrainingConfig):
    """Training sizes (:class:`.training.SceneTrainingConfig`'s defaults); every profile but ``smoke`` trains the
    shipped instrument."""

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(epochs=1, scenes_per_epoch=400, width=8),
        "cpu": {},
        "gpu": {},
    }


def targets(factors: dict[str, Tensor]) -> dict[str, Tensor]:
    """The first shape's factors as the reader's targets: class indices and ``(n, 5)`` continuous values."""
    turn = 2 * math.pi * factors["rotation"][:, 0]
    continuous = torch.stack([factors["size"][:, 0], factors["x"][:, 0], factors["y"][:, 0],
                              torch.cos(turn), torch.sin(turn)], 1)
    return {"shape": factors["shape"][:, 0], "hue": factors["hue"][:, 0], "background": factors["background"],
            "continuous": continuous}


def loss(out: dict[str, Tensor], target: dict[str, Tensor]) -> Tensor:
    """Cross-entropy for each class factor plus the squared error of the continuous ones
    (the rotation's only for shapes that have one)."""
    ce = sum(F.cross_entropy(out[k], target[k]) for k in shapes.CATEGORICAL)
    err = (out["continuous"] - target["continuous"]) ** 2
    has_turn = (target["shape"] != 0).float()
    return ce + 10 * err[:, :3].mean() + (err[:, 3:].mean(1) * has_turn).mean()


@torch.no_grad()
def read(model: ShapeReader, images: Tensor, batch: int = 500) -> dict[str, Tensor]:
    """Each image's factors as read by ``model``: ``shape``, ``hue``, ``background`` (int64) and
    ``size``, ``x``, ``y``, ``rotation`` (float, rotation in [0, 1) of the shape's symmetry turn), each ``(n,)``."""
    model.eval()
    parts = [model(images[i:i + batch].cpu().float()) for i in range(0, len(images), batch)]
    out = {k: torch.cat([p[k] for p in parts]) for k in parts[0]}
    c = out["continuous"]
    return {"shape": out["shape"].argmax(1), "hue": out["hue"].argmax(1), "background": out["background"].argmax(1),
            "size": c[:, 0], "x": c[:, 1], "y": c[:, 2],
            "rotation": (torch.atan2(c[:, 4], c[:, 3]) / (2 * math.pi)) % 1.0}


def report(model: ShapeReader, data: shapes.SceneSet) -> dict[str, float]:
    """Held-out quality per factor: accuracy of each class factor, mean absolute error of size, x and y
    (shares of their [0, 1] range), and the median rotation error in degrees (shapes other than circles)."""
    got = read(model, data.images)
    result = {f"{k}_accuracy": float((got[k] == data.factor(k)).float().mean()) for k in shapes.CATEGORICAL}
    result.update({f"{k}_mae": float((got[k] - data.factor(k)).abs().mean()) for k in ("size", "x", "y")})
    kind = data.factor("shape")
    turned = kind != 0
    gap = (got["rotation"] - data.factor("rotation")).abs()[turned]
    gap = torch.minimum(gap, 1 - gap)  # on the circle of turns
    symmetry = torch.tensor(shapes.SYMMETRY, dtype=torch.float32)[kind[turned]]
    result["rotation_median_degrees"] = float((gap * 360 / symmetry).median())
    return result


def rerendered(data: shapes.SceneSet, shape: str) -> tuple[Tensor, dict[str, Tensor]]:
    """``data``'s scenes re-rendered with other shapes (same colours, sizes, places and backgrounds) and
    their true class factors. ``shape="next"``: each scene's next shape in
    :data:`~ganbook.data.shapes.SHAPES` (every scene wrong, the shape histogram unchanged); a shape's name:
    every scene that shape (a generator that dropped the other three)."""
    factors = dict(data.factors)
    factors["shape"] = ((factors["shape"] + 1) % len(shapes.SHAPES) if shape == "next"
                        else torch.full_like(factors["shape"], shapes.SHAPES.index(shape)))
    images, _ = shapes.render(factors, data.images.shape[-1])
    return images, {"shape": factors["shape"][:, 0], "hue": factors["hue"][:, 0], "background": factors["background"]}


def robustness(model: ShapeReader, data: shapes.SceneSet, reference: Tensor | None = None
               ) -> list[dict[str, float | str]]:
    """The reader's robustness table on ``data`` (:func:`ganbook.metrics.robustness.table`): for the clean
    scenes, each degradation and two re-renderings with other shapes (:func:`rerendered`: each scene's
    next shape; circles only), the reader-feature FD to ``reference`` (the features of the world's clean
    training scenes by default) and the shape, hue and background accuracy against what was drawn."""
    features = FeatureSpace("shape-reader features", model.features)  # batched, without gradients
    if reference is None:
        reference = features(shapes.world("train", data.images.shape[-1]).images)
    truth = {k: data.factor(k) for k in shapes.CATEGORICAL}
    return robust.table(partial(read, model), features, data.images, truth, reference,
                        extra={"wrong shape": rerendered(data, "next"), "circles only": rerendered(data, "circle")})


def train(config: ReaderConfig, progress: bool = True) -> tuple[ShapeReader, dict[str, float]]:
    """Train a fresh reader (:func:`.training.fit`); return it (in eval mode) and its held-out report."""
    torch.manual_seed(config.seed)
    rng = torch.Generator().manual_seed(config.seed)
    model = ShapeReader(config.width)

    def batches(epoch: int) -> Iterator[tuple[Tensor, dict[str, Tensor]]]:
        data = shapes.scenes(config.scenes_per_epoch, seed=10_000 * (config.seed + 1) + epoch)
        order = torch.randperm(len(data), generator=rng)
        for i in range(0, len(order), config.batch_size):
            idx = order[i:i + config.batch_size]
            yield (robust.random_degradation(data.images[idx], rng, config.max_noise),
                   targets({k: v[idx] for k, v in data.factors.items()}))

    training.fit(model, config, batches, loss, math.ceil(config.scenes_per_epoch / config.batch_size),
                 "reader epochs", progress)
    test = shapes.world("test")
    return model, {**report(model, test), "robustness": robustness(model, test)}


def save(model: ShapeReader, result: dict[str, float], config: ReaderConfig, path: str | Path,
         seconds: float) -> dict[str, Any]:
    """Write the reader and its manifest (:func:`.training.save`: held-out report and robustness table)."""
    return training.save(sys.modules[__name__], model, result, config, path, seconds,
                         "fresh one-shape scenes each epoch, degraded at random; tested on the world's 2,000 "
                         "test scenes, clean and degraded")


def load(path: str | Path = SHIPPED) -> ShapeReader:
    """Load a reader written by :func:`save` (sha256-checked, ``weights_only``), in eval mode."""
    return training.load(sys.modules[__name__], path, lambda config: ShapeReader(config.get("width", ReaderConfig.width)))


@lru_cache(maxsize=1)
def shipped() -> ShapeReader:
    """The reader shipped with ganbook (loaded once per process)."""
    return load(SHIPPED)


def space() -> FeatureSpace:
    """The 64-d shared layer of the shipped reader (``(n, 3, 32, 32)`` or 64-pixel scenes): the feature space of
    every shape-world FD, precision and recall."""
    model = shipped()
    return FeatureSpace("shape-reader features (64-d)", lambda x: model.features(x.cpu().float()))


def train_and_save(profile: str, out: str | Path, progress: bool = True,
                   changes: dict[str, Any] | None = None) -> tuple[Path, dict[str, float], float]:
    """What ``python -m ganbook train shape-reader`` does (:func:`.training.train_and_save`)."""
    return training.train_and_save(sys.modules[__name__], profile, out, progress, changes)


def evaluate_file(path: str | Path) -> dict[str, Any]:
    """The held-out report of the reader at ``path`` and its robustness table (``python -m ganbook evaluate``)."""
    model, test = load(path), shapes.world("test")
    return {**report(model, test), "robustness": robustness(model, test)}


Config = ReaderConfig
