"""Reading every shape of one- and two-shape scenes with the shipped reader (chapter 21's caption check)."""

from __future__ import annotations

import pytest
import torch

from ganbook.data import shapes
from ganbook.metrics import objects
from ganbook.metrics import robustness as robust


def _pairs(n: int = 120):
    test = shapes.world("test", size=64, objects=2)
    return test.images[:n], {k: v[:n] for k, v in test.factors.items()}


def test_two_shape_scenes_never_overlap_and_stay_inside():
    f = shapes.sample_factors(3000, torch.Generator().manual_seed(3), objects=2)
    reach = shapes._extent(f["size"], 2)
    gap = torch.hypot(f["x"][:, 0] - f["x"][:, 1], f["y"][:, 0] - f["y"][:, 1])
    assert bool((gap >= reach.sum(1) - 1e-6).all())
    for axis in ("x", "y"):
        assert bool(((f[axis] >= reach - 1e-6) & (f[axis] <= 1 - reach + 1e-6)).all())


def test_every_shape_of_degraded_two_shape_scenes_is_found_and_read():
    images, factors = _pairs()
    for name in robust.DEGRADATIONS:
        got = objects.accuracy(robust.degrade(images, name, torch.Generator().manual_seed(0)), factors)
        assert min(got.values()) >= 0.95, (name, got)


def test_noise_alone_is_no_shape():
    background = torch.full((2, 3, 64, 64), -0.1) + 0.1 * torch.randn(2, 3, 64, 64, generator=torch.Generator().manual_seed(0))
    assert objects.regions(background, 2) == [[], []]
    assert objects.read_objects(background, 2) == [[], []]


def test_relations_hold_on_their_axis_and_either_way_on_the_diagonal():
    assert objects.holds("above", 0.1, -0.3) and not objects.holds("above", 0.1, 0.3)
    assert objects.holds("right of", 0.3, 0.05) and not objects.holds("right of", 0.3, 0.5)
    assert objects.holds("above", -0.3, -0.28) and objects.holds("left of", -0.3, -0.28)  # the diagonal


def test_agreement_reads_what_was_asked_attribute_by_attribute():
    images, factors = _pairs()
    right = objects.agreement(images, factors)
    assert min(right.values()) >= 0.95 and set(right) == {"shape", "colour", "size", "shape_and_colour", "relation"}
    other = dict(factors, hue=(factors["hue"] + 1) % 6)  # captions asking for the next colour
    wrong = objects.agreement(images, other)
    assert wrong["colour"] <= 0.05 and wrong["shape"] >= 0.95
    moved = dict(factors, x=factors["x"].flip(1), y=factors["y"].flip(1))  # each shape asked where the other is
    assert objects.agreement(images, moved)["relation"] < 0.6
    one = shapes.world("test", size=64)
    single = objects.agreement(one.images[:80], {k: v[:80] for k, v in one.factors.items()})
    assert set(single) == {"shape", "colour", "size", "shape_and_colour", "place"} and single["place"] >= 0.95
    with pytest.raises(ValueError, match="1 or 2 shapes"):
        objects.read_objects(images, 3)
