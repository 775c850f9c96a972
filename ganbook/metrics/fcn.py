"""The FCN-score of pix2pix and CycleGAN: how well a segmenter reads generated scenes as their label maps.

Isola et al. (2017, section 4.2) and Zhu et al. (2017, section 5.1.1) run a
segmentation network trained on real photographs over the generated ones and
score its output against the label map the generator was given, with the
Cityscapes benchmark's three numbers. As their evaluation code does
(``scripts/eval_cityscapes`` in the pix2pix repository: ``fast_hist`` and
``get_scores``), one confusion matrix is summed over every pixel of every
image (rows: the true class, columns: the predicted one), and then

- per-pixel accuracy = trace / total;
- per-class accuracy = the mean over classes of diagonal / row sum;
- class IoU = the mean over classes of diagonal / (row sum + column sum - diagonal);

a class that never occurs in the labels nor the predictions is left out of the
means (their ``nanmean``).
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch
from torch import Tensor


def confusion(labels: Tensor, predicted: Tensor, n_classes: int) -> Tensor:
    """``(n_classes, n_classes)`` int64 counts: entry ``[i, j]`` is the number of pixels of true class ``i``
    predicted as ``j``. Pixels whose label is outside ``[0, n_classes)`` are ignored."""
    labels, predicted = labels.reshape(-1).long(), predicted.reshape(-1).long()
    if labels.shape != predicted.shape:
        raise ValueError(f"labels and predictions must have the same number of pixels, got {labels.numel()} "
                         f"and {predicted.numel()}")
    keep = (labels >= 0) & (labels < n_classes)
    return torch.bincount(n_classes * labels[keep] + predicted[keep], minlength=n_classes ** 2).reshape(
        n_classes, n_classes)


def scores(matrix: Tensor) -> dict[str, float]:
    """``pixel_accuracy``, ``class_accuracy`` and ``class_iou`` of a confusion matrix (see the module's text),
    with each class's accuracy and IoU as ``accuracy/<i>`` and ``iou/<i>`` (NaN for a class never seen)."""
    m = matrix.double().numpy()
    diag, rows, cols = np.diag(m), m.sum(1), m.sum(0)
    with np.errstate(divide="ignore", invalid="ignore"):
        per_class = diag / rows
        iou = diag / (rows + cols - diag)
    out = {"pixel_accuracy": float(diag.sum() / m.sum()), "class_accuracy": float(np.nanmean(per_class)),
           "class_iou": float(np.nanmean(iou))}
    out.update({f"accuracy/{i}": float(a) for i, a in enumerate(per_class)})
    out.update({f"iou/{i}": float(u) for i, u in enumerate(iou)})
    return out


SUMMARY = ("pixel_accuracy", "class_accuracy", "class_iou")
"""The three numbers the papers' tables print."""


def summary(result: dict[str, float]) -> dict[str, float]:
    """The :data:`SUMMARY` numbers of a :func:`scores` result, without the per-class ones."""
    return {k: result[k] for k in SUMMARY}


def fcn_score(segment: Callable[[Tensor], Tensor], images: Tensor, labels: Tensor, n_classes: int, batch: int = 500) -> dict[str, float]:
    """The FCN-score of ``images`` ``(n, 3, H, W)`` against their label maps ``labels`` ``(n, H, W)``:
    ``segment(x)`` gives ``(n, n_classes, H, W)`` logits; one confusion matrix over all pixels (:func:`scores`)."""
    total = torch.zeros(n_classes, n_classes, dtype=torch.int64)
    with torch.no_grad():
        for i in range(0, len(images), batch):
            predicted = segment(images[i:i + batch]).argmax(1).cpu()
            total += confusion(labels[i:i + batch].cpu(), predicted, n_classes)
    return scores(total)
