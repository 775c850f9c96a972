"""Every data set the book uses, offline first.

``catalog()`` lists what exists and whether it can be had on this machine;
``load(name)`` returns a data set by name, with a one-line error naming the
choices when the name is unknown. The toys are also importable directly.
"""

from .catalog import DataSpec, catalog, load
from .mixtures import GaussianMixture2D, Spiral, grid, ring
from .toys import Gaussian1D

__all__ = ["DataSpec", "catalog", "load", "Gaussian1D", "GaussianMixture2D", "Spiral", "grid", "ring"]
