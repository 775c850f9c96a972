"""What chapter 22 measures on clips ``(n, T, 3, 32, 32)``, real or generated, through the shipped shape reader.

The reader (:mod:`ganbook.metrics.instruments.shape_reader`) reads every frame
on its own: its shape, hue and 64-d features. The shape's place is the
centroid of the pixels that stand out from the background (:func:`centres`),
which follows a moving shape to a tenth of a pixel where the reader's own
``x, y`` heads err by half a pixel. From those:

- **content kept** (:func:`content_kept`): the share of clips in which the
  reader reads the same shape (the same hue; both) in every frame. Real
  clips keep both by construction, so they score what the reader's own
  mistakes allow.
- **motion** (:func:`motion`): each frame-to-frame step ``(dx, dy)`` of the
  centre, in pixels: its speed, its direction, and how much it changes
  from one step to the next (a real shape moves at a steady velocity, except
  where it bounces off a wall). :func:`motion_distance` compares two sets of
  clips: the 1-D Wasserstein distance between their speed distributions
  (scipy's ``wasserstein_distance``, pixels per frame) and the total variation
  distance between their histograms of direction in 8 sectors of 45 degrees
  (steps slower than ``min_speed`` pixels have no direction to read).
- **average content distance** (:func:`average_content_distance`, MoCoGAN's
  ACD): the mean L2 distance between the reader features of consecutive frames
  of a clip, averaged over clips. MoCoGAN computed it with a face-identity
  network (faces) or on the shape's colour (its shape-motion data, all pairs of
  frames): :func:`colour_acd` is that one, the reader-feature ACD ours.
- **content and motion apart** (:func:`agreement`): with one of MoCoGAN's codes
  shared by a group of clips, how often two clips of a group share shape, hue
  and direction of motion, against two clips of different groups.
"""

from __future__ import annotations

import math

import numpy as np
import torch
from scipy.stats import wasserstein_distance
from torch import Tensor

from .instruments import shape_reader
from .objects import shape_mask

SECTORS = 8


def read_clips(clips: Tensor, reader: torch.nn.Module | None = None) -> dict[str, Tensor]:
    """Every frame read by the shipped reader (or ``reader``): ``shape``, ``hue`` and ``features`` (64-d);
    and the shape's centre ``x``, ``y`` (shares of the side, :func:`centres`); each ``(n, T, ...)``."""
    if clips.dim() != 5:
        raise ValueError(f"clips must be (n, T, 3, S, S), got {tuple(clips.shape)}")
    reader = reader or shape_reader.shipped()
    n, frames = clips.shape[:2]
    flat = clips.flatten(0, 1).cpu().float()
    got = shape_reader.read(reader, flat)
    with torch.no_grad():
        features = torch.cat([reader.features(flat[i:i + 500]) for i in range(0, len(flat), 500)])
    out = {k: got[k].reshape(n, frames) for k in ("shape", "hue")}
    centre = centres(clips.cpu().float())
    out["x"], out["y"] = centre[..., 0], centre[..., 1]
    out["features"] = features.reshape(n, frames, -1)
    return out


def content_kept(read: dict[str, Tensor]) -> dict[str, float]:
    """Shares of clips whose every frame is read as the first frame's shape (``shape_kept``), hue
    (``hue_kept``) and both (``both_kept``)."""
    same = {k: (read[k] == read[k][:, :1]).all(1) for k in ("shape", "hue")}
    return {"shape_kept": float(same["shape"].float().mean()), "hue_kept": float(same["hue"].float().mean()),
            "both_kept": float((same["shape"] & same["hue"]).float().mean())}


def steps(read: dict[str, Tensor], size: int = 32) -> Tensor:
    """Each clip's frame-to-frame steps of the read centre, ``(n, T - 1, 2)`` in pixels."""
    centre = torch.stack([read["x"], read["y"]], -1) * size
    return centre[:, 1:] - centre[:, :-1]


def motion(read: dict[str, Tensor], size: int = 32) -> dict[str, np.ndarray | float]:
    """``speed`` (every step's length, pixels per frame), ``direction`` (radians, every step) and
    ``change``: the mean length of the change of step between consecutive steps (0 for steady motion)."""
    v = steps(read, size)
    change = (v[:, 1:] - v[:, :-1]).norm(dim=-1).mean() if v.shape[1] > 1 else torch.tensor(float("nan"))
    return {"speed": v.norm(dim=-1).flatten().numpy(), "direction": torch.atan2(v[..., 1], v[..., 0]).flatten().numpy(),
            "change": float(change)}


def direction_histogram(direction: np.ndarray, speed: np.ndarray, min_speed: float = 0.5) -> np.ndarray:
    """The shares of steps faster than ``min_speed`` in each of :data:`SECTORS` sectors of direction."""
    moving = direction[speed > min_speed]
    sector = np.floor((moving + math.pi) / (2 * math.pi) * SECTORS).astype(int) % SECTORS
    counts = np.bincount(sector, minlength=SECTORS).astype(float)
    return counts / max(1.0, counts.sum())


def motion_distance(a: dict[str, Tensor], b: dict[str, Tensor], min_speed: float = 0.5) -> dict[str, float]:
    """How differently two sets of read clips move: ``speed_w1`` (pixels per frame) and ``direction_tv``
    (total variation between the direction histograms, 0 to 1)."""
    ma, mb = motion(a), motion(b)
    ha = direction_histogram(ma["direction"], ma["speed"], min_speed)
    hb = direction_histogram(mb["direction"], mb["speed"], min_speed)
    return {"speed_w1": float(wasserstein_distance(ma["speed"], mb["speed"])),
            "direction_tv": float(0.5 * np.abs(ha - hb).sum())}


def average_content_distance(read: dict[str, Tensor]) -> float:
    """MoCoGAN's ACD in reader features: the L2 distance between consecutive frames' features, averaged over
    the steps of a clip and over clips."""
    f = read["features"]
    return float((f[:, 1:] - f[:, :-1]).norm(dim=-1).mean())


def shape_colour(frames: Tensor, threshold: float = 0.3) -> Tensor:
    """Each frame's shape colour ``(..., 3)``: the mean colour of its :func:`shape_mask`."""
    shape = shape_mask(frames, threshold)
    return (frames.flatten(-2) * shape[..., None, :]).sum(-1) / shape.sum(-1, keepdim=True).clamp(min=1.0)


def centres(frames: Tensor, threshold: float = 0.3) -> Tensor:
    """Each frame's shape centre ``(..., 2)`` as ``(x, y)`` shares of the side: the centroid of its
    :func:`shape_mask` (the frame's centre when nothing stands out)."""
    size = frames.shape[-1]
    mask = shape_mask(frames, threshold)
    coords = (torch.arange(size, dtype=torch.float32) + 0.5) / size
    x, y = coords.repeat(size), coords.repeat_interleave(size)
    total = mask.sum(-1)
    centre = torch.stack([(mask * x).sum(-1), (mask * y).sum(-1)], -1) / total[..., None].clamp(min=1.0)
    return torch.where(total[..., None] > 0, centre, torch.full_like(centre, 0.5))


def colour_acd(clips: Tensor) -> float:
    """MoCoGAN's ACD for its shape-motion data: the L2 distance between the shape's colours
    (:func:`shape_colour`, in [0, 1] RGB) of every pair of frames of a clip, averaged over pairs and clips."""
    colour = (shape_colour(clips) + 1) / 2  # (n, T, 3)
    gaps = torch.cdist(colour, colour)  # (n, T, T)
    frames = clips.shape[1]
    return float(gaps.sum((1, 2)).mean() / (frames * (frames - 1)))


def _mode(values: Tensor) -> Tensor:
    return values.mode(1).values


def agreement(read: dict[str, Tensor], groups: int, per_group: int) -> dict[str, float]:
    """For clips made group by group (``groups * per_group`` rows, one code shared within a group): the share
    of pairs of clips of the same group whose most-read shape (hue) is the same, and the mean cosine between
    their frame-to-frame steps (1: they move alike); and each of these for pairs of clips of different groups,
    ``*_across``."""
    shape, hue, v = _mode(read["shape"]), _mode(read["hue"]), steps(read)
    group = torch.arange(groups).repeat_interleave(per_group)
    i, j = torch.triu_indices(len(group), len(group), 1)
    within = group[i] == group[j]
    unit = v / v.norm(dim=-1, keepdim=True).clamp(min=1e-6)
    cosine = (unit[i] * unit[j]).sum(-1).mean(1)
    out = {}
    for name, pairs in (("", within), ("_across", ~within)):
        out[f"same_shape{name}"] = float((shape[i] == shape[j])[pairs].float().mean())
        out[f"same_hue{name}"] = float((hue[i] == hue[j])[pairs].float().mean())
        out[f"motion_cosine{name}"] = float(cosine[pairs].mean())
    return out


def summary(clips: Tensor, read: dict[str, Tensor], real: dict[str, Tensor]) -> dict[str, float]:
    """Every number chapter 22 prints for one set of ``clips`` (read as ``read``) against real clips: content
    kept, mean speed, change of step, the motion distance to ``real``, the ACD in reader features (``acd``)
    and in the shape's colour (``colour_acd``)."""
    m = motion(read)
    return {**content_kept(read), "speed": float(np.mean(m["speed"])), "change": m["change"],
            **motion_distance(read, real), "acd": average_content_distance(read), "colour_acd": colour_acd(clips)}
