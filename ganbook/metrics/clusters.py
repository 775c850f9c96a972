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


def cluster_accuracy(clusters: Tensor, labels: Tensor, n_classes: int = 10) -> tuple[float, dict[int, int]]:
    """Best one-to-one matching of clusters to classes (Hungarian algorithm); returns (accuracy, cluster -> class).

    The accuracy is the share of items whose cluster is matched to their class:
    a labelling that is right up to a renaming of the clusters scores 1.
    """
    if clusters.shape != labels.shape:
        raise ValueError(f"clusters {tuple(clusters.shape)} and labels {tuple(labels.shape)} differ in shape")
    counts = confusion(clusters, labels, n_classes, n_classes)
    rows, cols = linear_sum_assignment(counts, maximize=True)
    return float(counts[rows, cols].sum() / len(labels)), {int(r): int(c) for r, c in zip(rows, cols)}
