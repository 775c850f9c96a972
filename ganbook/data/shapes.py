"""A procedural world of coloured shapes whose every factor is known (chapters 14-16, and later 17-22).

Each scene is one or two shapes on a plain grey background, rendered in torch
with anti-aliased edges. Its factors, one value per shape:

- ``shape``: 0 circle, 1 square, 2 triangle, 3 star (:data:`SHAPES`).
- ``hue``: one of six colour classes, red, yellow, green, cyan, blue, magenta
  (:data:`HUES`); the drawn hue is the class centre +- 8 degrees, saturation
  0.75-1 and value 0.8-1, so a colour is a class, not a single RGB value.
- ``size``: in [0, 1]; the shape's radius is ``(0.14 + 0.14 size) * S`` for an
  ``S``-pixel image, 0.7 of that in a two-shape scene (a square's half-side is 0.85 of that, a triangle's
  circumradius 1.2, a star's outer radius 1.25, so the areas are comparable).
- ``x``, ``y``: the centre in [0, 1] of the image, ``y`` = 0 at the top, kept far
  enough from the border that the shape is whole.
- ``rotation``: in [0, 1) of the shape's own symmetry turn (a quarter turn for a
  square, a third for a triangle, a fifth for a star); 0 for a circle, which
  has none. One value per distinct picture.

and one per scene:

- ``background``: 0 dark, 1 mid or 2 light grey (:data:`BACKGROUNDS`), +- 0.04.

A scene also has a per-pixel class map (0 background, 1 + shape class where a
shape covers at least half the pixel; a later shape covers an earlier one) and a
caption built from its factors ("a small red circle above a large blue
square"). :func:`clips` moves the shapes across short clips.

Images are ``(n, 3, S, S)`` in [-1, 1]. :func:`world` renders a fixed, seeded
split once per process (10,000 images at 32 pixels take under a second).
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from functools import lru_cache

import torch
from torch import Tensor

from ..batch import Batch
from ..errors import DataError
from .digits import ImageSet

SHAPES = ("circle", "square", "triangle", "star")
HUES = ("red", "yellow", "green", "cyan", "blue", "magenta")
BACKGROUNDS = ("dark", "mid", "light")
SYMMETRY = (1, 4, 3, 5)  # rotations that map each shape onto itself; a circle's turn is ignored
CATEGORICAL = {"shape": len(SHAPES), "hue": len(HUES), "background": len(BACKGROUNDS)}
CONTINUOUS = ("size", "x", "y", "rotation")
GREYS = (0.12, 0.45, 0.85)
SPLIT_SEEDS = {"train": 1401, "test": 1402}
SIZES = {"train": 10000, "test": 2000}


MAP_PALETTE = torch.tensor([[-1.0, -1.0, -1.0], [1.0, -1.0, -1.0], [-1.0, 1.0, -1.0], [-1.0, -1.0, 1.0],
                            [1.0, 1.0, -1.0]])
"""A label map's colours in [-1, 1]: background black, circle red, square green, triangle blue, star yellow."""


def paint_maps(maps: Tensor) -> Tensor:
    """Class maps ``(n, H, W)`` as colour label images ``(n, 3, H, W)`` (:data:`MAP_PALETTE`), as Cityscapes'
    label images are: how chapter 18 feeds maps to CycleGAN and how the chapters draw them."""
    return MAP_PALETTE[maps.long()].permute(0, 3, 1, 2).contiguous()


def read_maps(images: Tensor) -> Tensor:
    """Colour label images ``(n, 3, H, W)`` back to class maps ``(n, H, W)``: each pixel's nearest palette colour."""
    distance = ((images[:, None] - MAP_PALETTE[None, :, :, None, None]) ** 2).sum(2)
    return distance.argmin(1)


def radius(size: Tensor, objects: int) -> Tensor:
    """A shape's radius as a share of the image side: ``0.14 + 0.14 size``, times 0.7 in a two-shape scene."""
    return (0.14 + 0.14 * size) * (1.0 if objects == 1 else 0.7)


def _extent(size: Tensor, objects: int) -> Tensor:
    """The largest reach of a shape of ``size`` from its centre, with a one-pixel margin at 32 pixels,
    as a share of the image side."""
    return radius(size, objects) * 1.25 + 0.03


def sample_factors(n: int, rng: torch.Generator, objects: int = 1) -> dict[str, Tensor]:
    """Random factors for ``n`` scenes of ``objects`` shapes: each ``(n, objects)``, background ``(n,)``.

    Two shapes never overlap: their centres are at least the sum of their
    reaches apart (up to 20 redraws of the second one's place; then pairs of
    large shapes that still do not fit go to opposite walls, or corners).
    """
    if objects not in (1, 2):
        raise DataError(f"a scene holds 1 or 2 shapes, got objects={objects}")
    shape = torch.randint(len(SHAPES), (n, objects), generator=rng)
    hue = torch.randint(len(HUES), (n, objects), generator=rng)
    size = torch.rand(n, objects, generator=rng)
    reach = _extent(size, objects)

    def place() -> tuple[Tensor, Tensor]:
        u = torch.rand(2, n, objects, generator=rng)
        return reach + u[0] * (1 - 2 * reach), reach + u[1] * (1 - 2 * reach)

    x, y = place()
    if objects == 2:
        for _ in range(20):
            close = torch.hypot(x[:, 0] - x[:, 1], y[:, 0] - y[:, 1]) < reach.sum(1)
            if not close.any():
                break
            nx, ny = place()
            x[close, 1], y[close, 1] = nx[close, 1], ny[close, 1]
        # pairs of large shapes that still overlap go side by side on a random axis, at opposite walls (the
        # first shape's wall at random), their other coordinate free; if even that cannot part them, corner to
        # corner
        close = torch.hypot(x[:, 0] - x[:, 1], y[:, 0] - y[:, 1]) < reach.sum(1)
        flip = torch.rand(2, n, generator=rng) < 0.5  # which wall the first shape takes, on each axis
        along_x = torch.rand(n, generator=rng) < 0.5
        diagonal = 1 - reach.sum(1) < reach.sum(1)
        for axis, coord in enumerate((x, y)):
            first = torch.where(flip[axis], 1 - reach[:, 0], reach[:, 0])
            second = torch.where(flip[axis], reach[:, 1], 1 - reach[:, 1])
            walls = close & (diagonal | (along_x if axis == 0 else ~along_x))
            coord[walls, 0], coord[walls, 1] = first[walls], second[walls]
    rotation = torch.rand(n, objects, generator=rng) * (shape != 0)
    return {"shape": shape, "hue": hue, "size": size, "x": x, "y": y, "rotation": rotation,
            "background": torch.randint(len(BACKGROUNDS), (n,), generator=rng),
            "hue_jitter": (torch.rand(n, objects, generator=rng) * 2 - 1) * 8.0,
            "saturation": 0.75 + 0.25 * torch.rand(n, objects, generator=rng),
            "value": 0.8 + 0.2 * torch.rand(n, objects, generator=rng),
            "grey_jitter": (torch.rand(n, generator=rng) * 2 - 1) * 0.04}


def hsv_to_rgb(h: Tensor, s: Tensor, v: Tensor) -> Tensor:
    """Hue in degrees, saturation and value in [0, 1], each ``(n,)`` -> RGB ``(n, 3)`` in [0, 1]."""
    k = torch.stack([(5 + h / 60) % 6, (3 + h / 60) % 6, (1 + h / 60) % 6], 1)
    return v[:, None] - v[:, None] * s[:, None] * torch.clamp(torch.minimum(k, 4 - k), 0, 1)


def signed_distance(kind: Tensor, px: Tensor, py: Tensor, radius: Tensor, turn: Tensor) -> Tensor:
    """Approximate signed distance in pixels (negative inside) from each pixel to each shape's edge.

    ``px``, ``py``: ``(n, S, S)`` pixel coordinates relative to each shape's
    centre; ``kind``, ``radius`` (pixels), ``turn`` (radians): ``(n,)``.
    """
    r, t = radius[:, None, None], turn[:, None, None]
    u = torch.cos(t) * px + torch.sin(t) * py  # the point in the shape's own frame
    v = -torch.sin(t) * px + torch.cos(t) * py
    rho, phi = torch.hypot(u, v), torch.atan2(v, u)
    circle = rho - r
    square = torch.maximum(u.abs(), v.abs()) - 0.85 * r
    triangle = torch.stack([torch.cos(phi - a) for a in (0.0, 2 * math.pi / 3, 4 * math.pi / 3)]).amax(0) * rho
    triangle = triangle - 0.6 * r  # inradius of a triangle whose circumradius is 1.2 r
    # a five-pointed star, folded into one half-sector: the edge from the outer tip P to the inner corner Q
    sector = 2 * math.pi / 5
    folded = ((phi - math.pi / 2) % sector - sector / 2).abs()
    fu, fv = rho * torch.cos(folded), rho * torch.sin(folded)
    outer, inner = 1.25 * r, 0.5 * r
    qu, qv = inner * math.cos(math.pi / 5), inner * math.sin(math.pi / 5)
    eu, ev = qu - outer, qv
    length = torch.hypot(eu, ev)
    star = ((fu - outer) * ev - fv * eu) / length  # > 0 beyond the edge line
    kinds = kind[:, None, None]
    return torch.where(kinds == 0, circle, torch.where(kinds == 1, square, torch.where(kinds == 2, triangle, star)))


def render(factors: dict[str, Tensor], size: int = 32) -> tuple[Tensor, Tensor]:
    """Images ``(n, 3, size, size)`` in [-1, 1] and class maps ``(n, size, size)`` for ``factors``, stored as
    uint8 (five classes; an eighth of int64's bytes): ``.long()`` them for a loss or an index."""
    n, objects = factors["shape"].shape
    grey = torch.tensor(GREYS)[factors["background"]] + factors["grey_jitter"]
    image = grey[:, None, None, None].expand(n, 3, size, size).clone()
    labels = torch.zeros(n, size, size, dtype=torch.uint8)
    coords = torch.arange(size, dtype=torch.float32) + 0.5
    for k in range(objects):
        kind = factors["shape"][:, k]
        pixels = radius(factors["size"][:, k], objects) * size
        turn = factors["rotation"][:, k] * 2 * math.pi / torch.tensor(SYMMETRY, dtype=torch.float32)[kind]
        px = coords[None, None, :] - factors["x"][:, k, None, None] * size
        py = coords[None, :, None] - factors["y"][:, k, None, None] * size
        cover = (0.5 - signed_distance(kind, px.expand(n, size, size), py.expand(n, size, size), pixels, turn))
        cover = cover.clamp(0, 1)[:, None]  # anti-aliased: a one-pixel ramp across the edge
        hue = factors["hue"][:, k] * 60.0 + factors["hue_jitter"][:, k]
        colour = hsv_to_rgb(hue % 360, factors["saturation"][:, k], factors["value"][:, k])
        image = (1 - cover) * image + cover * colour[:, :, None, None]
        labels = torch.where(cover[:, 0] >= 0.5, (kind[:, None, None] + 1).to(torch.uint8), labels)
    return image * 2 - 1, labels


def _phrase(factors: dict[str, Tensor], i: int, k: int) -> str:
    word = "small" if float(factors["size"][i, k]) < 0.5 else "large"
    return f"{word} {HUES[int(factors['hue'][i, k])]} {SHAPES[int(factors['shape'][i, k])]}"


def caption(factors: dict[str, Tensor], i: int) -> str:
    """The caption of scene ``i``: "a small red circle", or "... above / left of / ... a large blue square"."""
    first = f"a {_phrase(factors, i, 0)}"
    if factors["shape"].shape[1] == 1:
        return first
    where = relation(float(factors["x"][i, 0] - factors["x"][i, 1]), float(factors["y"][i, 0] - factors["y"][i, 1]))
    return f"{first} {where} a {_phrase(factors, i, 1)}"


def relation(dx: float, dy: float) -> str:
    """How a shape displaced by ``(dx, dy)`` from another (``y`` down) stands to it: "above", "below",
    "left of" or "right of", along whichever axis it is farther (vertical on a tie)."""
    if abs(dy) >= abs(dx):
        return "above" if dy < 0 else "below"
    return "left of" if dx < 0 else "right of"


@dataclass(frozen=True)
class SceneSet(ImageSet):
    """Rendered scenes: ``images`` ``(N, 3, S, S)``; ``labels`` the first shape's class ``(N,)``;
    ``factors`` (each ``(N, objects)``, background ``(N,)``); ``maps`` ``(N, S, S)`` uint8; ``captions``."""

    factors: dict[str, Tensor] = field(default_factory=dict)
    maps: Tensor | None = None
    captions: tuple[str, ...] = ()

    def factor(self, name: str) -> Tensor:
        """The first shape's value of factor ``name`` ``(N,)`` (or the background's)."""
        value = self.factors[name]
        return value if value.dim() == 1 else value[:, 0]

    def paired(self, n: int, generator: torch.Generator | None = None) -> Batch:
        """``n`` scenes and their class maps, drawn together: ``Batch(x=scenes, maps=maps)`` for a translation
        GAN (pix2pix)."""
        idx = self._index(n, generator)
        return Batch(self.images[idx], maps=self.maps[idx])

    def to(self, device: torch.device | str) -> "SceneSet":
        """The same scenes with images, labels, factors and maps on ``device``."""
        return SceneSet(self.images.to(device), self.labels.to(device), self.name,
                        {k: v.to(device) for k, v in self.factors.items()},
                        None if self.maps is None else self.maps.to(device), self.captions)


def scenes(n: int, seed: int, size: int = 32, objects: int = 1, name: str = "shapes") -> SceneSet:
    """``n`` scenes from ``seed``, rendered in batches of 2,000."""
    if size not in (16, 32, 64):
        raise DataError(f"the shape world renders 16, 32 or 64 pixels, got size={size}")
    rng = torch.Generator().manual_seed(seed)
    factors = sample_factors(n, rng, objects)
    parts = [render({k: v[i:i + 2000] for k, v in factors.items()}, size) for i in range(0, n, 2000)]
    images, maps = torch.cat([p[0] for p in parts]), torch.cat([p[1] for p in parts])
    captions = tuple(caption(factors, i) for i in range(n))
    return SceneSet(images, factors["shape"][:, 0].clone(), name, factors, maps, captions)


@lru_cache(maxsize=8)
def _cached(split: str, size: int, objects: int) -> SceneSet:
    return scenes(SIZES[split], SPLIT_SEEDS[split] + 10 * objects + size, size, objects,
                  name=f"shapes{size}-{split}" + ("-pairs" if objects == 2 else ""))


def world(split: str = "train", size: int = 32, objects: int = 1, device: torch.device | str = "cpu") -> SceneSet:
    """The fixed world: 10,000 training or 2,000 test scenes, the same on every machine."""
    if split not in SPLIT_SEEDS:
        raise DataError(f"unknown split {split!r}: use one of {', '.join(SPLIT_SEEDS)}")
    data = _cached(split, size, objects)
    return data if str(device) == "cpu" else data.to(device)


def moving_clips(n: int, frames: int, rng: torch.Generator, size: int = 32, objects: int = 1
                 ) -> tuple[Tensor, dict[str, Tensor]]:
    """``n`` clips ``(n, frames, 3, size, size)`` drawn with ``rng``, in which every shape drifts and turns at a
    steady speed (up to 0.06 of the image side per frame), bouncing off the borders; and the factors of every
    frame (each ``(n, frames, objects)``)."""
    start = sample_factors(n, rng, objects)
    velocity = (torch.rand(2, n, objects, generator=rng) * 2 - 1) * 0.06  # image sides per frame
    spin = (torch.rand(n, objects, generator=rng) * 2 - 1) * 0.08 * (start["shape"] != 0)
    low, high = _extent(start["size"], objects), 1 - _extent(start["size"], objects)
    out, per_frame = [], []
    for t in range(frames):
        f = dict(start)
        for axis, v in (("x", velocity[0]), ("y", velocity[1])):
            span = high - low
            travelled = (start[axis] - low + v * t) % (2 * span)
            f[axis] = low + torch.where(travelled > span, 2 * span - travelled, travelled)  # reflect at the walls
        f["rotation"] = (start["rotation"] + spin * t) % 1.0
        out.append(render(f, size)[0])
        per_frame.append(f)
    factors = {k: torch.stack([f[k] for f in per_frame], 1) for k in ("shape", "hue", "size", "x", "y", "rotation")}
    return torch.stack(out, 1), factors


def clips(n: int, frames: int, seed: int, size: int = 32, objects: int = 1) -> tuple[Tensor, dict[str, Tensor]]:
    """:func:`moving_clips` from ``seed``: the same clips on every machine."""
    return moving_clips(n, frames, torch.Generator().manual_seed(seed), size, objects)


@dataclass(frozen=True)
class ClipSource:
    """A data source of clips ``(n, frames, 3, size, size)`` rendered on the fly from the trainer's random
    stream (:func:`moving_clips`), so that no clip data set ever sits in memory: chapter 22's real videos."""

    frames: int = 16
    size: int = 32
    objects: int = 1

    def __call__(self, n: int, rng: torch.Generator) -> Tensor:
        return moving_clips(n, self.frames, rng, self.size, self.objects)[0]
