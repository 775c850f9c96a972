"""What the shape-world chapters (14-16) share: the real reference set and one way to measure generated scenes.

:func:`measure` gives, for any batch of ``(n, 3, 32, 32)`` images in [-1, 1],
the Frechet distance and precision and recall (k = 3) in the shipped factor
reader's feature space against the world's 10,000 training scenes, and how
evenly the generated scenes cover the shapes and the hues as the reader reads
them (KL of each histogram to uniform, 0 for perfectly even).
"""

from __future__ import annotations

from functools import lru_cache

import torch
from torch import Tensor

from .. import metrics
from ..data import shapes
from ..metrics.images import kth_neighbour_radius
from ..metrics.robustness import box_blur
from ..metrics.instruments.shape_reader import read, shipped, space

METRICS = ("fd", "precision", "recall", "shape_kl", "hue_kl")
"""The keys of :func:`measure`, in its order."""


def failed() -> dict[str, float]:
    """:func:`measure`'s keys, each NaN: the numbers of a run that diverged."""
    return dict.fromkeys(METRICS, float("nan"))


@lru_cache(maxsize=2)
def reference(size: int = 32) -> Tensor:
    """The reader's features ``(10000, 64)`` of the world's training scenes."""
    return space()(shapes.world("train", size).images)


@lru_cache(maxsize=2)
def reference_radii(size: int = 32) -> Tensor:
    """Each training scene's distance to its 3rd nearest neighbour in :func:`reference`: the real manifold
    of precision (computed once; it needs every pair of the 10,000 scenes)."""
    return kth_neighbour_radius(reference(size), 3)


def factors(images: Tensor) -> dict[str, Tensor]:
    """The shipped reader's reading of each image's factors (see :func:`ganbook.metrics.instruments.shape_reader.read`)."""
    return read(shipped(), images)


def measure(images: Tensor) -> dict[str, float]:
    """All shape-world metrics of ``images`` ``(n, 3, S, S)``, S = 32 or 64; lower fd and KLs and higher
    precision/recall are better."""
    return measure_and_read(images)[0]


def measure_and_read(images: Tensor) -> tuple[dict[str, float], dict[str, Tensor] | None]:
    """:func:`measure`'s metrics and the reader's reading of each image (:func:`factors`), read once
    (None for images that are not all finite)."""
    if images.dim() != 4 or images.shape[1] != 3 or images.shape[-1] not in (32, 64):
        raise ValueError(f"measure expects scenes of shape (n, 3, 32, 32) or (n, 3, 64, 64), got {tuple(images.shape)}")
    if not torch.isfinite(images).all():
        return failed(), None
    real, fake = reference(images.shape[-1]), space()(images)
    precision, recall = metrics.precision_recall(real, fake, 3, reference_radii(images.shape[-1]))
    got = factors(images)
    return {"fd": metrics.frechet_distance(real, fake), "precision": precision, "recall": recall,
            "shape_kl": metrics.class_report(got["shape"], len(shapes.SHAPES)).kl_to_uniform,
            "hue_kl": metrics.class_report(got["hue"], len(shapes.HUES)).kl_to_uniform}, got


@lru_cache(maxsize=1)
def blurred_real_fd() -> float:
    """The reader-feature FD of the world's 2,000 held-out real scenes after one 3x3 box blur: the
    yardstick of the showcases' bar (:func:`bars`)."""
    return metrics.frechet_distance(reference(), space()(box_blur(shapes.world("test").images)))


BARS = {"fd_ratio": 4.0, "precision": 0.5, "recall": 0.5, "shape_kl": 0.05, "hue_kl": 0.05, "class_accuracy": 0.9}
"""What a Part III showcase must reach, read by the shipped reader: FD at most ``fd_ratio`` times
:func:`blurred_real_fd`, precision and recall at least 0.5, shape and hue KL to uniform at most 0.05, and
(for a class-conditional G) the requested shape read in at least 90% of samples."""


def bars(measured: dict[str, float]) -> list[tuple[str, bool]]:
    """Each bar of :data:`BARS` that ``measured`` has a number for: ``(sentence, met)``."""
    yardstick = blurred_real_fd()
    limit = BARS["fd_ratio"] * yardstick
    out = [(f"fd {measured['fd']:.2f} <= {limit:.2f} ({BARS['fd_ratio']:g} x {yardstick:.2f}, held-out real scenes "
            f"after a 3x3 blur)", measured["fd"] <= limit)]
    for key in ("precision", "recall", "class_accuracy"):
        if key in measured:
            out.append((f"{key} {measured[key]:.3f} >= {BARS[key]:g}", measured[key] >= BARS[key]))
    for key in ("shape_kl", "hue_kl"):
        out.append((f"{key} {measured[key]:.3f} <= {BARS[key]:g}", measured[key] <= BARS[key]))
    return out
