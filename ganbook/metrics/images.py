"""Measures of generated images, computed on feature vectors (chapters 5-9).

All functions take feature tensors ``(n, d)`` (see :mod:`.features` for the
spaces: the shipped digit classifier offline, Inception-v3 when available) or,
for the memorisation check, the images themselves.

- :func:`frechet_distance`: the distance between two Gaussians fitted to the
  features; with Inception-v3 features this is FID (Heusel et al., 2017).
- :func:`kid`: the kernel inception distance (Binkowski et al., 2018), an
  unbiased MMD^2 with a cubic polynomial kernel, averaged over subsets.
- :func:`precision_recall`: k-nearest-neighbour manifolds (Kynkaanniemi et al., 2019).
- :func:`class_report`: which classes a classifier sees in the generated images.
- :func:`nearest_neighbour_distance`: pixel distance from each image to its
  nearest training image, to spot copies.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import Tensor


def _check_features(a: Tensor, b: Tensor) -> None:
    if a.dim() != 2 or b.dim() != 2 or a.shape[1] != b.shape[1]:
        raise ValueError(f"expected two feature tensors (n, d) with the same d, got {tuple(a.shape)} and {tuple(b.shape)}")
    if min(a.shape[0], b.shape[0]) < 2:
        raise ValueError("need at least two samples in each set")


def _psd_sqrt(m: np.ndarray) -> np.ndarray:
    """Square root of a symmetric positive semi-definite matrix (round-off negatives clipped to 0)."""
    w, v = np.linalg.eigh(m)
    return (v * np.sqrt(np.clip(w, 0, None))) @ v.T


def _trace_sqrt_product(cov_a: np.ndarray, cov_b: np.ndarray) -> float:
    """``Tr((cov_a cov_b)^(1/2))``, as the sum of square roots of the eigenvalues of
    ``S cov_b S`` with ``S = cov_a^(1/2)``: that matrix is similar to ``cov_a cov_b``,
    symmetric and PSD, so the eigenvalues are real and non-negative."""
    s = _psd_sqrt(cov_a)
    w = np.linalg.eigvalsh(s @ cov_b @ s)
    return float(np.sqrt(np.clip(w, 0, None)).sum())


def frechet_distance(a: Tensor, b: Tensor) -> float:
    """Frechet distance between Gaussians fitted to features ``a (n, d)`` and ``b (m, d)``.

    .. math:: d^2 = \\lVert \\mu_a - \\mu_b \\rVert^2 + \\operatorname{Tr}\\big(\\Sigma_a + \\Sigma_b - 2 (\\Sigma_a \\Sigma_b)^{1/2}\\big)

    Computed in float64. The trace term uses :func:`_trace_sqrt_product`, which
    stays real and exact when a covariance is singular (dead ReLU features).
    """
    _check_features(a, b)
    xa, xb = a.double().cpu().numpy(), b.double().cpu().numpy()
    mu_a, mu_b = xa.mean(0), xb.mean(0)
    cov_a, cov_b = np.cov(xa, rowvar=False), np.cov(xb, rowvar=False)
    value = ((mu_a - mu_b) ** 2).sum() + np.trace(cov_a) + np.trace(cov_b) - 2 * _trace_sqrt_product(cov_a, cov_b)
    return float(max(value, 0.0))


def _poly_kernel(x: Tensor, y: Tensor) -> Tensor:
    """``k(x, y) = (x . y / d + 1)^3`` for every pair: ``(n, d), (m, d) -> (n, m)``."""
    return (x @ y.T / x.shape[1] + 1.0) ** 3


def kid(a: Tensor, b: Tensor, subsets: int = 50, subset_size: int = 500, seed: int = 0) -> tuple[float, float]:
    """Kernel distance (unbiased MMD^2, cubic kernel) between ``a`` and ``b``: (mean, std) over subsets.

    .. math:: \\widehat{\\mathrm{MMD}}^2 = \\frac{1}{m(m-1)}\\sum_{i\\ne j} k(a_i,a_j)
              + \\frac{1}{m(m-1)}\\sum_{i\\ne j} k(b_i,b_j) - \\frac{2}{m^2}\\sum_{i,j} k(a_i,b_j)

    Unbiased: two samples of one distribution score 0 on average (and can score below 0).
    """
    _check_features(a, b)
    m = min(subset_size, a.shape[0], b.shape[0])
    rng = torch.Generator().manual_seed(seed)
    xa, xb = a.double().cpu(), b.double().cpu()
    values = []
    for _ in range(subsets):
        sa = xa[torch.randperm(xa.shape[0], generator=rng)[:m]]
        sb = xb[torch.randperm(xb.shape[0], generator=rng)[:m]]
        kaa, kbb, kab = _poly_kernel(sa, sa), _poly_kernel(sb, sb), _poly_kernel(sa, sb)
        off = m * (m - 1)
        mmd = (kaa.sum() - kaa.diagonal().sum()) / off + (kbb.sum() - kbb.diagonal().sum()) / off - 2 * kab.mean()
        values.append(float(mmd))
    return float(np.mean(values)), float(np.std(values))


def kth_neighbour_radius(x: Tensor, k: int = 3) -> Tensor:
    """Distance from each row of ``x`` to its ``k``-th nearest other row: ``(n,)`` (a set's radii in
    :func:`precision_recall`; worth keeping for a reference set measured many times)."""
    d = torch.cdist(x, x)
    return d.kthvalue(k + 1, dim=1).values  # +1: the nearest "neighbour" is the point itself


def _inside(points: Tensor, centres: Tensor, radii: Tensor, chunk: int = 1024) -> Tensor:
    """For each point, whether it lies in at least one ball ``(centre, radius)``: ``(n,)`` bool."""
    out = [(torch.cdist(points[i:i + chunk], centres) <= radii[None, :]).any(1) for i in range(0, len(points), chunk)]
    return torch.cat(out)


def precision_recall(real: Tensor, fake: Tensor, k: int = 3, real_radii: Tensor | None = None) -> tuple[float, float]:
    """Improved precision and recall (Kynkaanniemi et al., 2019) of ``fake`` against ``real`` features.

    Each set's manifold is the union of balls around its points, each ball reaching
    the point's ``k``-th nearest neighbour in the same set. Precision: the share of
    fake points inside the real manifold (quality). Recall: the share of real points
    inside the fake manifold (coverage; a collapsed generator has low recall).
    ``real_radii``: :func:`kth_neighbour_radius` of ``real`` with this ``k``, if already computed.
    """
    _check_features(real, fake)
    r, f = real.float().cpu(), fake.float().cpu()
    radii = kth_neighbour_radius(r, k) if real_radii is None else real_radii.float().cpu()
    precision = _inside(f, r, radii).float().mean()
    recall = _inside(r, f, kth_neighbour_radius(f, k)).float().mean()
    return float(precision), float(recall)


@dataclass(frozen=True)
class ClassReport:
    """The classes a classifier assigns to generated images."""

    counts: tuple[int, ...]
    min_share: float

    @property
    def shares(self) -> np.ndarray:
        c = np.asarray(self.counts, dtype=float)
        return c / c.sum()

    @property
    def covered(self) -> int:
        """Classes that get at least ``min_share`` of the images."""
        return int((self.shares >= self.min_share).sum())

    @property
    def kl_to_uniform(self) -> float:
        """KL(class histogram || uniform): 0 for balanced classes, log K for one class."""
        s = self.shares[self.shares > 0]
        return float((s * np.log(s * len(self.counts))).sum())


def class_report(predicted: Tensor, n_classes: int = 10, min_share: float = 0.02) -> ClassReport:
    """Histogram of predicted class labels ``(n,)``; a class is covered with at least ``min_share``."""
    counts = torch.bincount(predicted.cpu().long(), minlength=n_classes)
    return ClassReport(tuple(int(c) for c in counts), min_share)


def nearest_neighbour_distance(images: Tensor, reference: Tensor, chunk: int = 512) -> Tensor:
    """Euclidean pixel distance from each of ``images (n, ...)`` to its nearest in ``reference (m, ...)``: ``(n,)``.

    A generator that copies its training set has distances near 0; compare with
    the same distance from held-out real images to the training set.
    """
    # float64, so the fast |a|^2 + |b|^2 - 2ab form leaves a copy within 1e-6 of distance 0
    q, r = images.flatten(1).double().cpu(), reference.flatten(1).double().cpu()
    if q.shape[1] != r.shape[1]:
        raise ValueError(f"images of {q.shape[1]} pixels cannot be compared with references of {r.shape[1]}")
    mode = "use_mm_for_euclid_dist"
    return torch.cat([torch.cdist(q[i:i + chunk], r, compute_mode=mode).min(1).values for i in range(0, len(q), chunk)]).float()
