"""The digit classifier that measures generated digits: training, shipping and loading.

One fixed network for every profile (a measuring instrument must not change
with the run size), trained on mnist5k's 4,000 training images with small random
affine jitter and tested on its 1,000 held-out images. The trained weights ship
as package data (``ganbook/assets/digit_classifier.pt`` and its manifest);
``python -m ganbook train digit-classifier --out ganbook/assets`` rebuilds them.
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
from ...data import mnist5k
from ...models.classifier import DigitClassifier
from .. import robustness as robust
from ..spaces import FeatureSpace
from . import training

NAME = "digit-classifier"
CHAPTER = 5
INSTRUMENT = True  # trained and shipped as package data, not a GAN
SHIPPED = Path(__file__).resolve().parents[2] / "assets" / "digit_classifier.pt"
COMMAND = "python -m ganbook train digit-classifier --out ganbook/assets"


@dataclass(frozen=True)
class ClassifierConfig(ExperimentConfig):
    """Training sizes; every profile but ``smoke`` trains the shipped instrument."""

    epochs: int = 30
    batch_size: int = 64
    lr: float = 2e-3
    weight_decay: float = 1e-4
    max_shift: float = 2.0  # pixels of random translation
    max_degrees: float = 10.0  # random rotation

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(epochs=1),
        "cpu": {},
        "gpu": {},
    }


def jitter(x: Tensor, rng: torch.Generator, max_shift: float, max_degrees: float) -> Tensor:
    """Random rotation and translation of each image in ``x`` ``(n, 1, 28, 28)``, drawn from ``rng``."""
    n = x.shape[0]
    angle = (torch.rand(n, generator=rng) * 2 - 1) * math.radians(max_degrees)
    shift = (torch.rand(n, 2, generator=rng) * 2 - 1) * (2 * max_shift / x.shape[-1])  # in [-1, 1] grid units
    cos, sin = torch.cos(angle), torch.sin(angle)
    theta = torch.stack([torch.stack([cos, -sin, shift[:, 0]], 1), torch.stack([sin, cos, shift[:, 1]], 1)], 1)
    grid = F.affine_grid(theta.to(x), list(x.shape), align_corners=False)
    return F.grid_sample(x + 1, grid, align_corners=False, padding_mode="zeros") - 1  # background stays -1


@torch.no_grad()
def accuracy(model: DigitClassifier, images: Tensor, labels: Tensor, batch: int = 500) -> float:
    """Share of ``images`` whose predicted class equals ``labels``."""
    model.eval()
    hits = sum(int((model(images[i:i + batch]).argmax(1) == labels[i:i + batch]).sum())
               for i in range(0, len(images), batch))
    return hits / len(images)


def train(config: ClassifierConfig, progress: bool = True) -> tuple[DigitClassifier, dict[str, float]]:
    """Train a fresh classifier (:func:`.training.fit`); return it (in eval mode) and its train/test accuracy."""
    torch.manual_seed(config.seed)
    rng = torch.Generator().manual_seed(config.seed)
    train_set, test_set = mnist5k("train"), mnist5k("test")
    model = DigitClassifier()

    def batches(epoch: int) -> Iterator[tuple[Tensor, Tensor]]:
        order = torch.randperm(len(train_set), generator=rng)
        for i in range(0, len(order), config.batch_size):
            idx = order[i:i + config.batch_size]
            yield jitter(train_set.images[idx], rng, config.max_shift, config.max_degrees), train_set.labels[idx]

    training.fit(model, config, batches, F.cross_entropy, math.ceil(len(train_set) / config.batch_size),
                 "classifier epochs", progress)
    result = {"train_accuracy": accuracy(model, train_set.images, train_set.labels),
              "test_accuracy": accuracy(model, test_set.images, test_set.labels)}
    return model, result


def save(model: DigitClassifier, result: dict[str, float], config: ClassifierConfig, path: str | Path,
         seconds: float) -> dict[str, Any]:
    """Write the classifier and its manifest (:func:`.training.save`)."""
    return training.save(sys.modules[__name__], model, result, config, path, seconds,
                         "mnist5k: 4,000 train / 1,000 test")


def load(path: str | Path = SHIPPED) -> DigitClassifier:
    """Load a classifier written by :func:`save` (sha256-checked, ``weights_only``), in eval mode."""
    return training.load(sys.modules[__name__], path, lambda config: DigitClassifier())


@lru_cache(maxsize=1)
def shipped() -> DigitClassifier:
    """The classifier shipped with ganbook (loaded once per process)."""
    return load(SHIPPED)


def train_and_save(profile: str, out: str | Path, progress: bool = True,
                   changes: dict[str, Any] | None = None) -> tuple[Path, dict[str, float], float]:
    """What ``python -m ganbook train digit-classifier`` does (:func:`.training.train_and_save`)."""
    return training.train_and_save(sys.modules[__name__], profile, out, progress, changes)


def robustness(model: DigitClassifier) -> list[dict[str, float | str]]:
    """The classifier's robustness table (:func:`ganbook.metrics.robustness.table`) on mnist5k's 1,000 test
    digits: for the clean digits and each degradation, the digit accuracy and the Frechet distance of its
    features to those of the 4,000 clean training digits."""
    classes = FeatureSpace("digit-classifier logits", model)  # both batched, without gradients
    features = FeatureSpace("digit-classifier features", model.features)

    def read_all(x: Tensor) -> dict[str, Tensor]:
        return {"digit": classes(x).argmax(1)}

    test = mnist5k("test")
    return robust.table(read_all, features, test.images, {"digit": test.labels}, features(mnist5k("train").images))


def evaluate_file(path: str | Path) -> dict[str, Any]:
    """The held-out accuracy of the classifier at ``path`` and its robustness table (``python -m ganbook
    evaluate``)."""
    test, model = mnist5k("test"), load(path)
    return {"test_accuracy": accuracy(model, test.images, test.labels), "robustness": robustness(model)}


Config = ClassifierConfig
