"""Reading every shape of a scene, one or two, with the shipped one-shape reader (chapter 21's caption check).

The shape reader (:mod:`ganbook.metrics.instruments.shape_reader`) reads one
shape per image. A two-shape scene is read in three steps, none of them
trained:

1. **find** the shapes: the pixels whose colour is farther than ``threshold``
   from the scene's median colour (its background, :func:`shape_mask`), split into connected
   regions (scipy's ``ndimage.label``); regions smaller than ``min_area`` pixels
   (specks of noise) are dropped and the ``objects`` largest kept;
2. **cut each out**: every other region is painted over with the background
   colour, and a window centred on the region is resampled to 32 pixels, its
   side chosen so that a shape of a two-shape scene (0.7 times the radius of
   a one-shape scene's) comes out at the size the reader was trained on;
3. **read** each window with the reader: shape, hue and size; the place is the
   region's centroid.

:func:`robustness` is the reader's rule applied to this pipeline: on held-out
two-shape scenes, clean and degraded, the share of scenes in which the right
number of shapes is found and each true shape's kind and hue are read.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import torch
import torch.nn.functional as F
from scipy import ndimage
from torch import Tensor

from ..data import shapes
from . import robustness as robust
from .instruments import shape_reader

SCALE = {1: 1.0, 2: 0.7}
"""A shape's radius in a scene of 1 or 2 shapes, as a share of a one-shape scene's (:func:`shapes.radius`)."""


def shape_mask(frames: Tensor, threshold: float = 0.3) -> Tensor:
    """Which pixels of each image ``(..., 3, S, S)`` stand out from its background, ``(..., S*S)`` of 0/1:
    those whose colour is farther than ``threshold`` (in [-1, 1] units) from the image's median colour, the
    background that fills most of it."""
    flat = frames.flatten(-2)  # (..., 3, P)
    background = flat.median(-1).values
    return ((flat - background[..., None]).norm(dim=-2) > threshold).float()


def regions(images: Tensor, objects: int, threshold: float = 0.3, min_area: int = 6
            ) -> list[list[np.ndarray]]:
    """For each image ``(n, 3, S, S)``, the boolean masks ``(S, S)`` of its ``objects`` largest regions that
    stand out from the background, largest first (fewer where fewer are found)."""
    standout = shape_mask(images, threshold).bool().reshape(len(images), *images.shape[-2:])
    out = []
    for mask in standout.numpy():
        labels, count = ndimage.label(mask)
        areas = ndimage.sum_labels(mask, labels, range(1, count + 1)) if count else np.zeros(0)
        keep = [k + 1 for k in np.argsort(-areas, kind="stable")[:objects] if areas[k] >= min_area]
        out.append([labels == k for k in keep])
    return out


def cut_out(image: Tensor, masks: list[np.ndarray], objects: int) -> tuple[Tensor, Tensor]:
    """Each region of ``masks`` alone on the background, in a window centred on it and resampled to 32
    pixels: ``(k, 3, 32, 32)``, and the regions' centroids ``(k, 2)`` as ``(x, y)`` shares of the side."""
    size = image.shape[-1]
    background = image.flatten(1).median(-1).values
    coords = (torch.arange(size, dtype=torch.float32) + 0.5) / size
    crops, centres = [], []
    for k, mask in enumerate(masks):
        alone = image.clone()
        for j, other in enumerate(masks):
            if j != k:
                alone[:, torch.from_numpy(other)] = background[:, None]
        m = torch.from_numpy(mask).float()
        cx, cy = float((m.sum(0) * coords).sum() / m.sum()), float((m.sum(1) * coords).sum() / m.sum())
        side = SCALE[objects]  # the window's side as a share of the image's
        theta = torch.tensor([[side, 0.0, 2 * cx - 1], [0.0, side, 2 * cy - 1]])
        grid = F.affine_grid(theta[None], [1, 3, 32, 32], align_corners=False)
        crops.append(F.grid_sample(alone[None], grid, mode="bilinear", padding_mode="border", align_corners=False))
        centres.append((cx, cy))
    if not crops:
        return torch.zeros(0, 3, 32, 32), torch.zeros(0, 2)
    return torch.cat(crops), torch.tensor(centres)


def read_objects(images: Tensor, objects: int, threshold: float = 0.3) -> list[list[dict[str, float | int]]]:
    """Every image's shapes, largest first: ``shape``, ``hue`` (class indices), ``size`` (the reader's,
    on a one-shape scale), ``x``, ``y`` (centroid) and ``area`` (pixels)."""
    if objects not in SCALE:
        raise ValueError(f"a scene holds 1 or 2 shapes, got objects={objects}")
    found = regions(images, objects, threshold)
    windows, owners, places, areas = [], [], [], []
    for i, masks in enumerate(found):
        crops, centres = cut_out(images[i].cpu().float(), masks, objects)
        windows.append(crops)
        owners += [i] * len(masks)
        places.append(centres)
        areas += [int(m.sum()) for m in masks]
    out: list[list[dict[str, float | int]]] = [[] for _ in found]
    if not owners:
        return out
    got = shape_reader.read(shape_reader.shipped(), torch.cat(windows))
    centres = torch.cat(places)
    for k, i in enumerate(owners):
        out[i].append({"shape": int(got["shape"][k]), "hue": int(got["hue"][k]), "size": float(got["size"][k]),
                       "x": float(centres[k, 0]), "y": float(centres[k, 1]), "area": areas[k]})
    return out


def match(found: list[dict[str, float | int]], factors: dict[str, Tensor], i: int) -> list[dict | None]:
    """Scene ``i``'s true shapes, each paired with the found shape nearest its centre (None if none is left)."""
    left = list(found)
    out: list[dict | None] = []
    for k in range(factors["shape"].shape[1]):
        x, y = float(factors["x"][i, k]), float(factors["y"][i, k])
        if not left:
            out.append(None)
            continue
        best = min(left, key=lambda o: (o["x"] - x) ** 2 + (o["y"] - y) ** 2)
        left.remove(best)
        out.append(best)
    return out


def accuracy(images: Tensor, factors: dict[str, Tensor]) -> dict[str, float]:
    """On scenes with known ``factors``: the share of scenes where as many shapes are found as were drawn
    (``count``), and of true shapes whose kind (``shape``) and hue (``hue``) are read right."""
    objects = factors["shape"].shape[1]
    found = read_objects(images, objects)
    counted, kinds, hues, total = 0, 0, 0, 0
    for i, objs in enumerate(found):
        counted += len(objs) == objects
        for k, o in enumerate(match(objs, factors, i)):
            total += 1
            kinds += o is not None and o["shape"] == int(factors["shape"][i, k])
            hues += o is not None and o["hue"] == int(factors["hue"][i, k])
    return {"count": counted / len(found), "shape": kinds / total, "hue": hues / total}


def robustness(n: int = 500, objects: int = 2, size: int = 64) -> list[dict[str, float | str]]:
    """:func:`accuracy` on the first ``n`` of the world's held-out scenes of ``objects`` shapes, clean and
    under each of :data:`~ganbook.metrics.robustness.DEGRADATIONS`."""
    test = shapes.world("test", size=size, objects=objects)
    factors = {k: v[:n] for k, v in test.factors.items()}
    return [{"condition": name, **accuracy(robust.degrade(test.images[:n], name, torch.Generator().manual_seed(0)),
                                           factors)} for name in robust.DEGRADATIONS]


def holds(relation: str, dx: float, dy: float, tolerance: float = 0.05) -> bool:
    """Whether a shape displaced by ``(dx, dy)`` from another stands in ``relation`` to it: on the right side
    along the relation's axis, and at least as far along it as across it, less ``tolerance`` (so that a
    pair on the diagonal reads as either)."""
    along, across = (dy, dx) if relation in ("above", "below") else (dx, dy)
    sign = -1 if relation in ("above", "left of") else 1
    return sign * along > 0 and abs(along) >= abs(across) - tolerance


def _asked(factors: dict[str, Tensor], i: int, k: int) -> dict[str, Any]:
    return {"shape": int(factors["shape"][i, k]), "hue": int(factors["hue"][i, k]),
            "size": float(factors["size"][i, k]) >= 0.5, "x": float(factors["x"][i, k]),
            "y": float(factors["y"][i, k])}


def _agreeing(found: dict | None, asked: dict[str, Any]) -> int:
    """How many of kind, colour and size word a found shape (None: not found) reads as asked."""
    if found is None:
        return 0
    return ((found["shape"] == asked["shape"]) + (found["hue"] == asked["hue"])
            + ((found["size"] >= 0.5) == asked["size"]))


def agreement(images: Tensor, factors: dict[str, Tensor]) -> dict[str, float]:
    """How often generated ``images`` show what their captions asked for (the captions made from
    ``factors``, :func:`ganbook.data.captions.describe`), attribute by attribute: the share of asked shapes
    read with the right kind (``shape``), colour (``colour``), size word (``size``), both kind and colour
    (``shape_and_colour``); for one-shape captions the share of scenes whose shape sits in the asked cell of
    the 3x3 grid (``place``), for two-shape ones the share whose two shapes stand in the asked relation
    (``relation``, :func:`holds`). Found shapes are paired with asked ones in the way that agrees on most
    attributes (on a tie, the way that keeps the relation)."""
    from ..data.captions import cell

    objects = factors["shape"].shape[1]
    found = read_objects(images, objects)
    counts = {k: 0 for k in ("shape", "colour", "size", "shape_and_colour", "where")}
    for i, objs in enumerate(found):
        asked = [_asked(factors, i, k) for k in range(objects)]
        options = [objs, objs[::-1]] if len(objs) == 2 else [objs + [None] * (objects - len(objs))]
        def score(pair: list) -> int:
            return sum(_agreeing(o, a) for o, a in zip(pair, asked))

        if objects == 2:
            asked_rel = shapes.relation(asked[0]["x"] - asked[1]["x"], asked[0]["y"] - asked[1]["y"])

            def stands(pair: list) -> bool:
                return None not in pair and holds(asked_rel, pair[0]["x"] - pair[1]["x"], pair[0]["y"] - pair[1]["y"])

            pair = max(options, key=lambda p: (score(p), stands(p)))  # a tie in attributes: either reading
        else:
            pair = max(options, key=score)
        for o, a in zip(pair, asked):
            if o is None:
                continue
            counts["shape"] += o["shape"] == a["shape"]
            counts["colour"] += o["hue"] == a["hue"]
            counts["size"] += (o["size"] >= 0.5) == a["size"]
            counts["shape_and_colour"] += o["shape"] == a["shape"] and o["hue"] == a["hue"]
        if objects == 1 and pair[0] is not None:
            counts["where"] += cell(pair[0]["x"], pair[0]["y"]) == cell(asked[0]["x"], asked[0]["y"])
        elif objects == 2:
            counts["where"] += stands(pair)
    n = len(found)
    out = {k: counts[k] / (n * objects) for k in ("shape", "colour", "size", "shape_and_colour")}
    out["place" if objects == 1 else "relation"] = counts["where"] / n
    return out
