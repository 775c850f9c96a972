"""Measures with known answers: 1-D distances, divergences, and mode metrics.

- :mod:`.distances`: Wasserstein-1 and Kolmogorov-Smirnov in 1-D (chapter 1);
- :mod:`.divergences`: KL and JS for normals, densities and histograms, the
  optimal discriminator, W1 between point clouds (chapters 2 and 4);
- :mod:`.modes`: modes captured, high-quality share and reverse KL on the
  ring and grid mixtures (chapters 3 and 4).
"""

from .distances import ks_samples, ks_to_normal, wasserstein1_normals, wasserstein1_samples, wasserstein1_to_normal
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
    "ks_samples", "ks_to_normal", "wasserstein1_normals", "wasserstein1_samples", "wasserstein1_to_normal",
    "js_discrete", "js_divergence", "js_normals", "kl_discrete", "kl_divergence", "kl_normal",
    "optimal_discriminator", "value_at_optimum", "wasserstein1_points",
    "ModeReport", "assign_modes", "mode_report",
]
