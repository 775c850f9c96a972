"""Measures with known answers: 1-D distances, divergences, and mode metrics.

- :mod:`.distances`: Wasserstein-1 and Kolmogorov-Smirnov in 1-D (chapter 1);
- :mod:`.divergences`: KL and JS for normals, densities and histograms, the
  optimal discriminator, W1 between point clouds (chapters 2 and 4);
- :mod:`.modes`: modes captured, high-quality share and reverse KL on the
  ring and grid mixtures (chapters 3 and 4);
- :mod:`.images`: Frechet distance, KID, precision/recall, class coverage and
  nearest-neighbour distance of generated images (chapters 5-9), on features
  from :mod:`.features` (the digit classifier offline, Inception-v3 if available).
"""

from .distances import (ks_samples, ks_to_cdf, ks_to_normal, wasserstein1_normals, wasserstein1_samples,
                        wasserstein1_to_cdf, wasserstein1_to_normal)
from .divergences import (
    js_discrete,
    js_divergence,
    js_normals,
    kl_discrete,
    kl_divergence,
    kl_normal,
    optimal_discriminator,
    value_at_optimum,
    wasserstein1_points,
)
from .modes import ModeReport, assign_modes, mode_report

__all__ = [
    "ks_samples", "ks_to_cdf", "ks_to_normal", "wasserstein1_normals", "wasserstein1_samples", "wasserstein1_to_cdf",
    "wasserstein1_to_normal",
    "js_discrete", "js_divergence", "js_normals", "kl_discrete", "kl_divergence", "kl_normal",
    "optimal_discriminator", "value_at_optimum", "wasserstein1_points",
    "ModeReport", "assign_modes", "mode_report",
]

from .images import ClassReport, class_report, frechet_distance, kid, nearest_neighbour_distance, precision_recall

__all__ += ["ClassReport", "class_report", "frechet_distance", "kid", "nearest_neighbour_distance", "precision_recall"]
from .clusters import cluster_accuracy, confusion

__all__ += ["cluster_accuracy", "confusion"]
from .gradients import grad_norm  # noqa: E402

__all__ += ["grad_norm"]
