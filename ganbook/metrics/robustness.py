"""Does an instrument read what generators draw? Its readings of real images, degraded.

A network the book measures with (the digit classifier, the shape reader) is
trained on clean data, but generated images are never clean: they carry pixel
noise and soft edges. An instrument that reads only perfect renders mixes its
own faults into every number it gives about a generator. :func:`degrade`
applies the named degradations of :data:`DEGRADATIONS` to real images, and
:func:`table` reads the instrument's accuracy and the Frechet distance of its
features (against the clean training set) on each, so an instrument's
manifest, ``python -m ganbook evaluate`` and the chapters can show how it
holds up. :func:`random_degradation` is what instruments train on.

Every degradation keeps pixels in [-1, 1] (noise is clipped as a generator's
``tanh`` output would be); the blur is a 3x3 box filter with mirrored borders.
"""

from __future__ import annotations

from typing import Callable

import torch
import torch.nn.functional as F
from torch import Tensor

from .images import frechet_distance

DEGRADATIONS = {"clean": None, "noise 0.05": ("noise", 0.05), "noise 0.1": ("noise", 0.1),
                "blur 3x3": ("blur", 3)}
"""Name -> (kind, strength) of every degradation the robustness table reports (``None``: unchanged)."""


def gaussian_noise(images: Tensor, std: float, rng: torch.Generator) -> Tensor:
    """``images`` plus i.i.d. N(0, std^2) per pixel (drawn from ``rng``, a CPU generator), clipped to [-1, 1]."""
    noise = torch.randn(images.shape, generator=rng) * std
    return (images + noise.to(images.device)).clamp(-1, 1)


def box_blur(images: Tensor, size: int = 3) -> Tensor:
    """Each pixel replaced by the mean of its ``size x size`` neighbourhood (mirrored borders)."""
    pad = size // 2
    padded = F.pad(images, (pad, pad, pad, pad), mode="reflect")
    return F.avg_pool2d(padded, size, stride=1)


def degrade(images: Tensor, name: str, rng: torch.Generator) -> Tensor:
    """``images`` ``(n, c, h, w)`` in [-1, 1] under the degradation called ``name`` (a key of
    :data:`DEGRADATIONS`)."""
    if name not in DEGRADATIONS:
        raise ValueError(f"unknown degradation {name!r}: choose one of {', '.join(DEGRADATIONS)}")
    how = DEGRADATIONS[name]
    if how is None:
        return images
    kind, strength = how
    return gaussian_noise(images, strength, rng) if kind == "noise" else box_blur(images, int(strength))


def random_degradation(images: Tensor, rng: torch.Generator, max_noise: float = 0.2,
                       blur_share: float = 0.4, noise_share: float = 0.6) -> Tensor:
    """The training-time augmentation of an instrument: each image independently is blurred (3x3 box)
    with probability ``blur_share``, then gets Gaussian noise of a std uniform in [0, ``max_noise``] with
    probability ``noise_share`` (clipped to [-1, 1]). Draws from ``rng`` only."""
    n = len(images)
    blurred = torch.rand(n, generator=rng) < blur_share
    noisy = torch.rand(n, generator=rng) < noise_share
    std = torch.rand(n, generator=rng) * max_noise * noisy
    shape = (n,) + (1,) * (images.dim() - 1)
    out = torch.where(blurred.view(shape).to(images.device), box_blur(images), images)
    noise = torch.randn(images.shape, generator=rng) * std.view(shape)
    return (out + noise.to(images.device)).clamp(-1, 1)


Reader = Callable[[Tensor], dict[str, Tensor]]
"""``images -> {factor: (n,) reading}``: what an instrument says about each image."""


def accuracies(got: dict[str, Tensor], want: dict[str, Tensor]) -> dict[str, float]:
    """``<factor>_accuracy``: the share of readings equal to the truth, for every factor of ``want``."""
    return {f"{k}_accuracy": float((got[k] == v).float().mean()) for k, v in want.items()}


def table(read: Reader, features: Callable[[Tensor], Tensor], images: Tensor, truth: dict[str, Tensor],
          reference: Tensor, extra: dict[str, tuple[Tensor, dict[str, Tensor]]] | None = None,
          seed: int = 0, score: Callable[[dict[str, Tensor], dict[str, Tensor]], dict[str, float]] = accuracies
          ) -> list[dict[str, float | str]]:
    """One row per degradation of :data:`DEGRADATIONS` (then one per ``extra`` set: name -> (images,
    truth)): ``condition``, ``fd`` (Frechet distance of the instrument's features to ``reference``, the
    features of its clean training set) and what ``score(readings, truth)`` makes of ``read``'s readings
    (by default :func:`accuracies`: ``<factor>_accuracy`` for every factor of ``truth``)."""
    rng = torch.Generator().manual_seed(seed)
    sets = {name: (degrade(images, name, rng), truth) for name in DEGRADATIONS}
    sets.update(extra or {})
    rows: list[dict[str, float | str]] = []
    for name, (x, want) in sets.items():
        got = read(x)
        row: dict[str, float | str] = {"condition": name, "fd": frechet_distance(reference, features(x))}
        row.update(score(got, want))
        rows.append(row)
    return rows


def worst(rows: list[dict[str, float | str]], key: str, conditions: tuple[str, ...] = tuple(DEGRADATIONS)) -> float:
    """The lowest ``key`` over the rows whose condition is in ``conditions`` (the bar an instrument must clear)."""
    return min(float(r[key]) for r in rows if r["condition"] in conditions)


def format_table(rows: list[dict[str, float | str]]) -> str:
    """``rows`` of :func:`table` as aligned text: one line per condition, FD (if the rows have one) then each
    other number."""
    keys = (["fd"] if "fd" in rows[0] else []) + [k for k in rows[0] if k not in ("condition", "fd")]
    width = max(len(str(r["condition"])) for r in rows)
    head = f"{'condition':<{width}}  " + "  ".join(f"{k.replace('_accuracy', ' acc'):>14}" for k in keys)
    lines = [head] + [f"{str(r['condition']):<{width}}  " + "  ".join(f"{float(r[k]):>14.3f}" for k in keys)
                      for r in rows]
    return "\n".join(lines)
