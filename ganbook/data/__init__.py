"""Every data set the book uses, offline first.

``catalog()`` lists what exists and whether it can be had on this machine;
``load(name)`` returns a data set by name, with a one-line error naming the
choices when the name is unknown. The toys are also importable directly.
"""

from .catalog import DataSpec, catalog, load
from .digits import ImageSet, mnist5k, torchvision_set, uci_digits
from .mixtures import GaussianMixture2D, Spiral, grid, ring
from .toys import Gaussian1D, GaussianMixture1D

__all__ = [
    "DataSpec", "catalog", "load", "Gaussian1D", "GaussianMixture1D", "GaussianMixture2D", "Spiral", "grid", "ring",
    "ImageSet", "mnist5k", "uci_digits", "torchvision_set",
]
