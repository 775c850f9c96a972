"""What the digits chapters (5-9) share: the real reference set and one way to measure generated digits.

:func:`measure` gives every number chapter 6 explains, for any batch of
``(n, 1, 28, 28)`` images in [-1, 1]: Frechet distance and KID in the shipped
classifier's feature space (against mnist5k's 4,000 training digits),
precision and recall (k = 3), classes covered, KL of the class histogram to
uniform, and the median pixel distance to the nearest training digit.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import torch
from torch import Tensor

from .. import metrics
from ..data import ImageSet, mnist5k
from ..metrics.features import FeatureSpace, digit_space
from ..metrics.instruments.digit_classifier import shipped


@dataclass(frozen=True)
class Reference:
    """mnist5k's train and test digits with their features in the digit space."""

    train: ImageSet
    test: ImageSet
    train_features: Tensor  # (4000, 64)


METRICS = ("fd", "kid", "precision", "recall", "classes", "class_kl", "nn_median")
"""The keys of :func:`measure`, in its order."""


def failed() -> dict[str, float]:
    """:func:`measure`'s keys, each NaN: the numbers of a run that diverged, where no metric means anything."""
    return dict.fromkeys(METRICS, float("nan"))


@lru_cache(maxsize=1)
def reference() -> Reference:
    train = mnist5k("train")
    return Reference(train, mnist5k("test"), digit_space()(train.images))


@torch.no_grad()
def predict(images: Tensor) -> Tensor:
    """The shipped classifier's label for each image ``(n, 1, 28, 28)``: ``(n,)``."""
    model = shipped()
    return torch.cat([model(images[i:i + 500].cpu()).argmax(1) for i in range(0, len(images), 500)])


def measure(images: Tensor, space: FeatureSpace | None = None, kid_subsets: int = 10) -> dict[str, float]:
    """All digit metrics of ``images`` ``(n, 1, 28, 28)``; lower fd/kid/class_kl and higher precision/recall are better."""
    if images.dim() != 4 or tuple(images.shape[1:]) != (1, 28, 28):
        raise ValueError(f"measure expects digits of shape (n, 1, 28, 28), got {tuple(images.shape)}")
    ref = reference()
    if space is None:
        space, real = digit_space(), ref.train_features
    else:
        real = space(ref.train.images)
    fake = space(images)
    precision, recall = metrics.precision_recall(real, fake)
    classes = metrics.class_report(predict(images))
    nn_dist = metrics.nearest_neighbour_distance(images, ref.train.images)
    return {
        "fd": metrics.frechet_distance(real, fake),
        "kid": metrics.kid(real, fake, subsets=kid_subsets)[0],
        "precision": precision,
        "recall": recall,
        "classes": float(classes.covered),
        "class_kl": classes.kl_to_uniform,
        "nn_median": float(nn_dist.median()),
    }
