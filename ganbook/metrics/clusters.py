"""Cluster accuracy: how well unsupervised clusters match true classes (InfoGAN, chapter 8)."""

from __future__ import annotations

import numpy as np
import torch
from scipy.optimize import linear_sum_assignment
from torch import Tensor


def confusion(clusters: Tensor, labels: Tensor, n_clusters: int, n_classes: int) -> np.ndarray:
    """Counts ``(n_clusters, n_classes)``: how many items of each class fall in each cluster."""
    flat = clusters.cpu().long() * n_classes + labels.cpu().long()
    return torch.bincount(flat, minlength=n_clusters * n_classes).reshape(n_clusters, n_classes).numpy()


def cluster_accuracy(clusters: Tensor, labels: Tensor, n_classes: int = 10,
                     n_clusters: int | None = None) -> tuple[float, dict[int, int]]:
    """How well ``clusters`` ``(n,)`` name the classes ``labels`` ``(n,)``; returns (accuracy, cluster -> class).

    With as many clusters as classes (``n_clusters`` defaults to ``n_classes``) the
    matching is one-to-one and the best one (Hungarian algorithm). With more
    clusters than classes, each cluster is matched to its most frequent class
    (many-to-one), so a class may own several clusters. The accuracy is the
    share of items whose cluster is matched to their class: a labelling that is
    right up to a renaming of the clusters scores 1.
    """
    if clusters.shape != labels.shape:
        raise ValueError(f"clusters {tuple(clusters.shape)} and labels {tuple(labels.shape)} differ in shape")
    n_clusters = n_classes if n_clusters is None else n_clusters
    if n_clusters < n_classes:
        raise ValueError(f"cluster_accuracy needs at least as many clusters as classes, got {n_clusters} < {n_classes}")
    if int(clusters.max()) >= n_clusters or int(labels.max()) >= n_classes:
        raise ValueError(f"cluster ids must be below n_clusters={n_clusters} and labels below n_classes={n_classes}")
    counts = confusion(clusters, labels, n_clusters, n_classes)
    if n_clusters == n_classes:
        rows, cols = linear_sum_assignment(counts, maximize=True)
    else:
        rows, cols = np.arange(n_clusters), counts.argmax(1)
    return float(counts[rows, cols].sum() / len(labels)), {int(r): int(c) for r, c in zip(rows, cols)}
