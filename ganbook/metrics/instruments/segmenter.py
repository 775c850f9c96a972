"""The segmenter that scores translated shape-world scenes: per-pixel classes, the FCN-score's instrument.

pix2pix and CycleGAN judge a generated photograph by handing it to a
segmentation network trained on real photographs and comparing its output with
the label map the generator was given (:mod:`ganbook.metrics.fcn`). This is
that network for the shape world: a small U-Net (:mod:`ganbook.models.segmenter`)
labelling every pixel background or one of the four shapes, the values of the
world's class maps. One fixed network for every profile but ``smoke``,
trained on freshly rendered one-shape scenes each epoch, each batch degraded at
random as the shape reader's are (so that it reads what generators draw), and
tested on the world's 2,000 test scenes, clean and degraded (:func:`robustness`).
Its score on real held-out scenes is the "ground truth" row of chapters 17 and
18. The weights ship as package data (``ganbook/assets/segmenter.pt`` and its
manifest); ``python -m ganbook train segmenter --out ganbook/assets`` rebuilds them.
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

from ...data import shapes
from ...models.segmenter import CLASSES, Segmenter
from .. import fcn
from .. import robustness as robust
from ..spaces import FeatureSpace
from . import training

NAME = "segmenter"
CHAPTER = 17
INSTRUMENT = True  # trained and shipped as package data, not a GAN
SHIPPED = Path(__file__).resolve().parents[2] / "assets" / "segmenter.pt"
COMMAND = "python -m ganbook train segmenter --out ganbook/assets"


@dataclass(frozen=True)
class SegmenterConfig(training.SceneTrainingConfig):
    """Training sizes over :class:`.training.SceneTrainingConfig`'s; every profile but ``smoke`` trains the
    shipped instrument."""

    epochs: int = 12

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(epochs=1, scenes_per_epoch=400, width=4),
        "cpu": {},
        "gpu": {},
    }


@torch.no_grad()
def segment(model: Segmenter, images: Tensor, batch: int = 500) -> Tensor:
    """The class of every pixel of ``images`` ``(n, 3, 32, 32)``: ``(n, 32, 32)`` int64, values as the
    world's class maps (0 background, then :data:`~ganbook.data.shapes.SHAPES` from 1)."""
    model.eval()
    return torch.cat([model(images[i:i + batch].cpu().float()).argmax(1) for i in range(0, len(images), batch)])


def score(model: Segmenter, images: Tensor, maps: Tensor) -> dict[str, float]:
    """The FCN-score (:func:`ganbook.metrics.fcn.fcn_score`) of ``model`` on ``images`` against ``maps``."""
    model.eval()
    return fcn.fcn_score(lambda x: model(x.cpu().float()), images, maps, len(CLASSES))


def _scores(got: dict[str, Tensor], want: dict[str, Tensor]) -> dict[str, float]:
    s = fcn.scores(fcn.confusion(want["map"], got["map"], len(CLASSES)))
    return fcn.summary(s)


def robustness(model: Segmenter, data: shapes.SceneSet, reference: Tensor | None = None
               ) -> list[dict[str, float | str]]:
    """The segmenter's robustness table on ``data`` (:func:`ganbook.metrics.robustness.table`): for the clean
    scenes and each degradation, the FD of its pooled bottleneck features to ``reference`` (those of the
    world's clean training scenes by default) and the FCN-score's three numbers against the true maps."""
    features = FeatureSpace("segmenter bottleneck", model.features)
    if reference is None:
        reference = features(shapes.world("train", data.images.shape[-1]).images)
    return robust.table(lambda x: {"map": segment(model, x)}, features, data.images, {"map": data.maps.long()},
                        reference, score=_scores)


def train(config: SegmenterConfig, progress: bool = True) -> tuple[Segmenter, dict[str, Any]]:
    """Train a fresh segmenter (:func:`.training.fit`: per-pixel cross-entropy); return it (in eval mode)
    and its held-out report: the FCN-score on the world's test scenes and the robustness table."""
    torch.manual_seed(config.seed)
    rng = torch.Generator().manual_seed(config.seed)
    model = Segmenter(config.width)

    def batches(epoch: int) -> Iterator[tuple[Tensor, Tensor]]:
        data = shapes.scenes(config.scenes_per_epoch, seed=20_000 * (config.seed + 1) + epoch)
        order = torch.randperm(len(data), generator=rng)
        for i in range(0, len(order), config.batch_size):
            idx = order[i:i + config.batch_size]
            yield robust.random_degradation(data.images[idx], rng, config.max_noise), data.maps[idx].long()

    training.fit(model, config, batches, F.cross_entropy, math.ceil(config.scenes_per_epoch / config.batch_size),
                 "segmenter epochs", progress)
    return model, evaluate_model(model)


def evaluate_model(model: Segmenter) -> dict[str, Any]:
    """The held-out FCN-score on the world's 2,000 test scenes (with each class's IoU) and the robustness table."""
    test = shapes.world("test")
    result = score(model, test.images, test.maps)
    named = {f"iou_{CLASSES[int(k.split('/')[1])]}": v for k, v in result.items() if k.startswith("iou/")}
    return {**fcn.summary(result), **named, "robustness": robustness(model, test)}


def save(model: Segmenter, result: dict[str, Any], config: SegmenterConfig, path: str | Path,
         seconds: float) -> dict[str, Any]:
    """Write the segmenter and its manifest (:func:`.training.save`: held-out FCN-score and robustness table)."""
    return training.save(sys.modules[__name__], model, result, config, path, seconds,
                         "fresh one-shape scenes each epoch, degraded at random; tested on the world's 2,000 "
                         "test scenes, clean and degraded")


def load(path: str | Path = SHIPPED) -> Segmenter:
    """Load a segmenter written by :func:`save` (sha256-checked, ``weights_only``), in eval mode."""
    return training.load(sys.modules[__name__], path,
                         lambda config: Segmenter(config.get("width", SegmenterConfig.width)))


@lru_cache(maxsize=1)
def shipped() -> Segmenter:
    """The segmenter shipped with ganbook (loaded once per process)."""
    return load(SHIPPED)


def train_and_save(profile: str, out: str | Path, progress: bool = True,
                   changes: dict[str, Any] | None = None) -> tuple[Path, dict[str, Any], float]:
    """What ``python -m ganbook train segmenter`` does (:func:`.training.train_and_save`)."""
    return training.train_and_save(sys.modules[__name__], profile, out, progress, changes)


def evaluate_file(path: str | Path) -> dict[str, Any]:
    """The held-out FCN-score of the segmenter at ``path`` and its robustness table (``python -m ganbook
    evaluate``)."""
    return evaluate_model(load(path))


Config = SegmenterConfig
