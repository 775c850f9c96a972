"""Solid primitives in a voxel grid, every factor known (chapter 20's 3-D world).

Each shape is one solid in an ``S x S x S`` occupancy grid (``S`` = 32 for
the world). Its factors:

- ``kind``: 0 sphere, 1 cube, 2 cylinder, 3 cone, 4 torus (:data:`CLASSES`).
- ``size``: in [0, 1]. It sets the volume: every class at size ``s`` holds the
  volume of a sphere of radius ``r = 0.18 + 0.10 s`` of the grid side
  (:func:`radius`; 5.8 to 9.0 voxels at 32, about 800 to 3,000 voxels). So a
  cube's half-side is ``0.81 r``; a cylinder's radius and half-height ``0.87 r``;
  a cone's height ``2 r`` and base radius ``1.41 r``, apex up, its centroid at
  the centre; a torus' major radius ``1.20 r`` and tube radius 0.35 of that.
  The shape's reach, the radius of the smallest ball about its centre that
  holds it, is ``REACH[kind] * r``: 0.18 to 0.45 of the side, 0.24 to 0.38 on
  average over the classes.
- ``centre``: ``(3,)`` in [0, 1] of the grid, ``x, y, z``, uniform in the box
  that keeps the whole reach at least one voxel of 32 from every wall.
- ``rotation``: ``(3, 3)``, its columns the shape's own axes in the grid. The
  cylinder's and cone's axis is the shape's own z; the torus lies in its own
  xy plane. The world's shapes are *aligned* (the identity): every cube's
  faces face the grid's axes, every cone points up, as the objects of
  ShapeNet, 3D-GAN's data, are all aligned to one frame. ``orientation``
  ``"upright"`` turns each shape about the grid's z axis by a uniform angle
  (:func:`turns`; of our solids only the cube shows it), and ``"random"``
  draws uniformly random rotations (:func:`rotations`).

A grid ``(n, 1, S, S, S)`` is indexed ``[.., x, y, z]``; a voxel is occupied
when its centre is inside the solid. :func:`world` renders a fixed, seeded
split once per process; :class:`VoxelSource` draws from its finite training
set, so that a memorisation check means something. Aligned solids are few
enough grids that two nearby sizes and centres can fill the same voxels (a
few cubes do), so the held-out split skips any grid the training split holds:
a held-out shape is one G cannot have seen. Rendering the 2,000
training shapes takes about 3 s on two busy CPU cores.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from functools import lru_cache

import torch
from torch import Tensor

from ..batch import Batch
from ..errors import DataError

CLASSES = ("sphere", "cube", "cylinder", "cone", "torus")
SPLIT_SEEDS = {"train": 2001, "test": 2002}
SIZES = {"train": 2000, "test": 500}
SPARE = 50  # test shapes drawn beyond SIZES["test"], to replace any whose grid a training shape already has
ORIENTATIONS = ("aligned", "upright", "random")  # the world's identity, a turn about z, or any rotation
MARGIN = 1 / 32  # the least gap between a shape and a wall, as a share of the side
CUBE_HALF = (math.pi / 6) ** (1 / 3)  # a cube's half-side over r
CYLINDER_HALF = (2 / 3) ** (1 / 3)  # a cylinder's radius, and half-height, over r
CONE_HEIGHT, CONE_BASE = 2.0, math.sqrt(2)  # a cone's height and base radius over r; its base 0.5 r below the centre
TUBE = 0.35  # a torus' tube radius over its major radius
TORUS_MAJOR = (2 / (3 * math.pi * TUBE ** 2)) ** (1 / 3)  # a torus' major radius over r
REACH = (1.0, math.sqrt(3) * CUBE_HALF, math.sqrt(2) * CYLINDER_HALF, 1.5, (1 + TUBE) * TORUS_MAJOR)
"""Each class's reach over ``r``: the farthest point of the solid from its centre."""


def radius(size: Tensor) -> Tensor:
    """The radius of the sphere of equal volume, as a share of the side: ``0.18 + 0.10 size``."""
    return 0.18 + 0.10 * size


def rotations(n: int, rng: torch.Generator) -> Tensor:
    """``n`` uniformly random rotation matrices ``(n, 3, 3)`` (orthonormal, determinant 1), from ``rng``."""
    q = torch.randn(n, 4, generator=rng)
    w, x, y, z = (q / q.norm(dim=1, keepdim=True)).unbind(1)
    return torch.stack([
        1 - 2 * (y * y + z * z), 2 * (x * y - w * z), 2 * (x * z + w * y),
        2 * (x * y + w * z), 1 - 2 * (x * x + z * z), 2 * (y * z - w * x),
        2 * (x * z - w * y), 2 * (y * z + w * x), 1 - 2 * (x * x + y * y),
    ], 1).reshape(n, 3, 3)


def turns(n: int, rng: torch.Generator) -> Tensor:
    """``n`` rotations ``(n, 3, 3)`` about the grid's z axis by angles uniform in [0, 2 pi), from ``rng``."""
    angle = torch.rand(n, generator=rng) * 2 * math.pi
    cos, sin, zero, one = angle.cos(), angle.sin(), torch.zeros(n), torch.ones(n)
    return torch.stack([cos, -sin, zero, sin, cos, zero, zero, zero, one], 1).reshape(n, 3, 3)


def sample_factors(n: int, rng: torch.Generator, orientation: str = "aligned") -> dict[str, Tensor]:
    """Random factors for ``n`` shapes, drawn only from ``rng``: ``kind`` ``(n,)`` int64, ``size`` ``(n,)`` in
    [0, 1], ``centre`` ``(n, 3)`` in [0, 1], ``rotation`` ``(n, 3, 3)`` (``orientation``: ``"aligned"``, the
    identity; ``"upright"``, a turn about z; or ``"random"``, any rotation)."""
    if orientation not in ORIENTATIONS:
        raise DataError(f"unknown orientation {orientation!r}: use one of {', '.join(ORIENTATIONS)}")
    kind = torch.randint(len(CLASSES), (n,), generator=rng)
    size = torch.rand(n, generator=rng)
    if orientation == "aligned":
        rotation = torch.eye(3).expand(n, 3, 3).clone()
    else:
        rotation = turns(n, rng) if orientation == "upright" else rotations(n, rng)
    slack = 0.5 - MARGIN - torch.tensor(REACH)[kind] * radius(size)  # how far the centre may stray from the middle
    centre = 0.5 + (torch.rand(n, 3, generator=rng) * 2 - 1) * slack[:, None]
    return {"kind": kind, "size": size, "centre": centre, "rotation": rotation}


def inside(kind: int, p: Tensor, r: Tensor) -> Tensor:
    """Whether each point is in a solid of class ``kind``: ``p`` ``(m, P, 3)`` in the shape's own frame and
    ``r`` ``(m,)`` (both in grid sides) -> bool ``(m, P)``."""
    u, v, w = p.unbind(-1)
    r = r[:, None]
    if kind == 0:
        return u * u + v * v + w * w <= r * r
    if kind == 1:
        return p.abs().amax(-1) <= CUBE_HALF * r
    rho = torch.hypot(u, v)
    if kind == 2:
        return (rho <= CYLINDER_HALF * r) & (w.abs() <= CYLINDER_HALF * r)
    if kind == 3:
        apex = (CONE_HEIGHT - 0.5) * r
        return (w >= -0.5 * r) & (rho <= CONE_BASE / CONE_HEIGHT * (apex - w))
    major = TORUS_MAJOR * r
    return (rho - major) ** 2 + w * w <= (TUBE * major) ** 2


def occupied(factors: dict[str, Tensor], size: int = 32, chunk: int = 64) -> Tensor:
    """Occupancy ``(n, 1, size, size, size)`` bool for ``factors``: a voxel is full when its centre, taken into
    the shape's own frame (``R^T (p - centre)``), is inside. One class at a time, ``chunk`` shapes at a time."""
    coords = (torch.arange(size, dtype=torch.float32) + 0.5) / size
    points = torch.stack(torch.meshgrid(coords, coords, coords, indexing="ij"), -1).reshape(-1, 3)
    n, r = factors["kind"].shape[0], radius(factors["size"].float())
    out = torch.zeros(n, size ** 3, dtype=torch.bool)
    for k in range(len(CLASSES)):
        members = (factors["kind"] == k).nonzero()[:, 0]
        for start in range(0, len(members), chunk):
            i = members[start:start + chunk]
            local = (points[None] - factors["centre"][i, None, :].float()) @ factors["rotation"][i].float()
            out[i] = inside(k, local, r[i])
    return out.reshape(n, 1, size, size, size)


def render(factors: dict[str, Tensor], size: int = 32) -> Tensor:
    """Occupancy grids ``(n, 1, size, size, size)`` float32 in {0, 1} for ``factors`` (:func:`occupied`)."""
    return occupied(factors, size).float()


@dataclass(frozen=True)
class VoxelSet:
    """Rendered shapes: ``voxels`` ``(N, 1, S, S, S)`` bool (an eighth of float32's bytes) and their ``factors``."""

    voxels: Tensor
    factors: dict[str, Tensor]
    name: str = "voxels"

    def __post_init__(self) -> None:
        if self.voxels.dim() != 5 or self.voxels.dtype != torch.bool:
            raise ValueError(f"{self.name}: expected bool voxels (N, 1, S, S, S), got {self.voxels.dtype} "
                             f"{tuple(self.voxels.shape)}")

    def __len__(self) -> int:
        return self.voxels.shape[0]

    @property
    def occupancy(self) -> Tensor:
        """The grids as float32 ``(N, 1, S, S, S)`` in {0, 1}: what a network reads."""
        return self.voxels.float()

    @property
    def labels(self) -> Tensor:
        """Each shape's class ``(N,)`` int64 (:data:`CLASSES`)."""
        return self.factors["kind"]


def shapes(n: int, seed: int, size: int = 32, name: str = "voxels", orientation: str = "aligned") -> VoxelSet:
    """``n`` shapes from ``seed``, the same on every machine, rendered at ``size`` (32 or 64) voxels a side,
    in ``orientation`` (:func:`sample_factors`)."""
    if size not in (32, 64):
        raise DataError(f"the voxel world renders 32 or 64 voxels a side, got size={size}")
    factors = sample_factors(n, torch.Generator().manual_seed(seed), orientation)
    return VoxelSet(occupied(factors, size), factors, name)


@lru_cache(maxsize=2)
def _cached(split: str) -> VoxelSet:
    if split == "train":
        return shapes(SIZES[split], SPLIT_SEEDS[split], name=f"voxels-{split}")
    drawn = shapes(SIZES[split] + SPARE, SPLIT_SEEDS[split], name=f"voxels-{split}")
    seen = set(_keys(_cached("train")))
    keep = torch.tensor([i for i, key in enumerate(_keys(drawn)) if key not in seen][:SIZES[split]])
    return VoxelSet(drawn.voxels[keep], {k: v[keep] for k, v in drawn.factors.items()}, drawn.name)


def _keys(data: VoxelSet) -> list[bytes]:
    """Each grid's voxels as bytes: equal keys, equal grids."""
    return [bytes(row) for row in data.voxels.flatten(1).to(torch.uint8).numpy()]


def world(split: str = "train") -> VoxelSet:
    """The fixed world at 32 voxels: 2,000 training or 500 test aligned shapes, rendered once per process."""
    if split not in SPLIT_SEEDS:
        raise DataError(f"unknown split {split!r}: use one of {', '.join(SPLIT_SEEDS)}")
    return _cached(split)


@dataclass(frozen=True)
class VoxelSource:
    """A data source that draws ``n`` shapes with replacement from the fixed ``split`` of :func:`world` (the
    finite training set by default): ``Batch(x=occupancy (n, 1, 32, 32, 32) in {0, 1}, kind=class (n,))``.
    The class is a named field, not a condition, so an unconditional game ignores it; with ``conditional``
    it is also the batch's condition ``c``, which a class-conditional game hands to G and D."""

    split: str = "train"
    conditional: bool = False

    def __call__(self, n: int, rng: torch.Generator) -> Batch:
        data = world(self.split)
        idx = torch.randint(len(data), (n,), generator=rng)
        kind = data.factors["kind"][idx]
        return Batch(data.voxels[idx].float(), c=kind if self.conditional else None, kind=kind)
