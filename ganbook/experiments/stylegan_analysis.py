"""Chapter 16's measurements of a trained style-based G: style mixing read by the reader, path length,
attributes for separability, projection and editing, and StyleGAN's Table 3 beside ours.

Everything here takes a trained :class:`~ganbook.models.stylegan.StyleGenerator`
(see :mod:`.stylegan_shapes` for how one is trained) and works at the sizes of
:class:`AnalysisConfig`.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any, ClassVar

import torch
import torch.nn.functional as F
from torch import Tensor

from ..anchors import anchor
from ..data import shapes
from ..metrics.latents import path_lengths, trimmed_mean
from ..models.stylegan import AdaIN, ModulatedConv2d, StyleGenerator, mix_styles, without_noise
from . import world
from .base import ExperimentConfig
from ..metrics.instruments.shape_reader import shipped, space as shape_space


@dataclass(frozen=True)
class AnalysisConfig(ExperimentConfig):
    """Sizes of chapter 16's measurements of a trained G, per profile: Adam steps of
    :func:`project` and samples of :func:`edit_direction`. Kept out of
    :class:`~.stylegan_shapes.StyleGANConfig`, so a shipped generator's manifest does not depend on them."""

    project_steps: int = 300
    edit_samples: int = 2000

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(project_steps=5, edit_samples=200),
        "cpu": {},
        "gpu": dict(project_steps=1000, edit_samples=10000),
    }


@torch.no_grad()
def style_pairs(G: StyleGenerator, n: int, seed: int = 0) -> tuple[Tensor, Tensor]:
    """The ``w`` of ``n`` sources A and of ``n`` sources B, each ``(n, w_dim)``."""
    z = torch.randn(2 * n, G.latent_dim, generator=torch.Generator().manual_seed(seed))
    wa, wb = G.mapping(z).chunk(2)
    return wa, wb


def from_a(cut: int, num_ws: int) -> str:
    """A crossover's name: layers below ``cut`` read A's ``w``, the rest B's."""
    if cut == 0:
        return "all from B"
    if cut == num_ws:
        return "all from A"
    return "layer 0 from A" if cut == 1 else f"layers 0-{cut - 1} from A"


@torch.no_grad()
def mixing_rows(G: StyleGenerator, wa: Tensor, wb: Tensor, cut: int) -> Tensor:
    """For each pair of :func:`style_pairs`, a row of three: A's image, B's, and the
    mix whose layers below ``cut`` read A's ``w`` and the rest B's. Noise off;
    ``(3n, 3, 32, 32)``, row after row."""
    with without_noise(G):
        a, b = G.synthesis(G.broadcast(wa)), G.synthesis(G.broadcast(wb))
        mix = G.synthesis(mix_styles(wa, wb, torch.full((len(wa),), cut), G.num_ws))
    return torch.stack([a, b, mix], 1).flatten(0, 1)


CROSSOVER_FACTORS = ("shape", "hue", "background", "size", "position")
"""The factors :func:`crossover_shares` follows; position is x and y together."""


def _crossover_readings(images: Tensor) -> dict[str, Tensor]:
    got = world.factors(images)
    return {"shape": got["shape"], "hue": got["hue"], "background": got["background"],
            "size": got["size"][:, None], "position": torch.stack([got["x"], got["y"]], 1)}


def _sides(a: Tensor, b: Tensor, mix: Tensor) -> dict[str, float]:
    """The share of mixes read as A's and as B's (see :func:`crossover_shares`)."""
    if a.is_floating_point():  # size, position: whichever source is nearer
        nearer_a = (mix - a).norm(dim=1) < (mix - b).norm(dim=1)
        return {"A": float(nearer_a.float().mean()), "B": float((~nearer_a).float().mean())}
    differ = a != b
    if not differ.any():
        return {"A": math.nan, "B": math.nan}
    return {"A": float((mix == a)[differ].float().mean()), "B": float((mix == b)[differ].float().mean())}


@torch.no_grad()
def crossover_shares(G: StyleGenerator, n: int, seed: int = 0) -> dict[int, dict[str, dict[str, float]]]:
    """Which source the reader sees in a style mix: for each crossover ``cut`` from 1
    to ``num_ws - 1`` (layers below ``cut`` read A's ``w``, the rest B's) and each of
    :data:`CROSSOVER_FACTORS`, the share of ``n`` mixes read as A's and as B's.

    A class factor (shape, hue, background) counts only the pairs whose A and B the
    reader reads differently, and a mix read as neither counts for neither; size and
    position go to whichever source's reading is nearer. Noise off.
    Returns ``{cut: {factor: {"A": share, "B": share}}}``."""
    wa, wb = style_pairs(G, n, seed)
    out = {}
    with without_noise(G):
        a, b = (_crossover_readings(G.synthesis(G.broadcast(w))) for w in (wa, wb))
        for cut in range(1, G.num_ws):
            mixed = G.synthesis(mix_styles(wa, wb, torch.full((n,), cut), G.num_ws))
            read = _crossover_readings(mixed)
            out[cut] = {f: _sides(a[f], b[f], read[f]) for f in CROSSOVER_FACTORS}
    return out


def crossover_table(shares: dict[int, dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """:func:`crossover_shares` as rows ``"<factor>, as A's"`` and ``"<factor>, as B's"``,
    one column per crossover, named by the layers that read A's ``w``."""
    rows: dict[str, dict[str, float]] = {}
    for cut, factors in shares.items():
        for factor, sides in factors.items():
            for side, share in sides.items():
                rows.setdefault(f"{factor}, as {side}'s", {})["0" if cut == 1 else f"0-{cut - 1}"] = share
    return rows


@torch.no_grad()
def latent_samples(G: StyleGenerator, n: int, seed: int = 0, chunk: int = 500) -> tuple[Tensor, Tensor, Tensor]:
    """``n`` latents ``z`` ``(n, latent_dim)``, their ``w`` ``(n, w_dim)`` and images
    ``(n, 3, 32, 32)`` (one ``w`` for every layer), drawn ``chunk`` images at a time."""
    z = torch.randn(n, G.latent_dim, generator=torch.Generator().manual_seed(seed))
    w = G.mapping(z)
    return z, w, torch.cat([G.synthesis(G.broadcast(part)) for part in w.split(chunk)])


@torch.no_grad()
def style_size_table(sizes: tuple[float, ...] = (0.1, 0.3, 1.0, 3.0, 10.0), channels: int = 64,
                     w_dim: int = 16, seed: int = 0) -> dict[float, dict[str, float]]:
    """The output standard deviation of a random ``channels``-channel 3x3
    :class:`ModulatedConv2d`, modulated only and demodulated (away from the zero
    padding), and of :class:`AdaIN`, for unit-variance inputs ``(8, channels, 16, 16)``
    and styles ``size * N(0, I)``: ``{size: {column: std}}``."""
    torch.manual_seed(seed)
    layer, ada = ModulatedConv2d(channels, channels, 3, w_dim), AdaIN(channels, w_dim)
    x = torch.randn(8, channels, 16, 16)
    rows = {}
    for size in sizes:
        w = size * torch.randn(8, w_dim)
        std = {}
        for demodulate in (False, True):
            layer.demodulate = demodulate
            std[demodulate] = float(layer(x, w)[..., 1:-1, 1:-1].std())
        rows[size] = {"output std, modulated only": std[False], "output std, demodulated": std[True],
                      "output std, AdaIN": float(ada(x, w).std())}
    return rows


@torch.no_grad()
def ppl(G: StyleGenerator, space: str, sampling: str, n: int, epsilon: float = 1e-4, seed: int = 0) -> float:
    """Perceptual path length of ``G`` in ``space`` ("z": slerp of z, "w": lerp of w) with ``sampling``
    ("full": t ~ U(0, 1), "end": t in {0, 1}), in the factor reader's feature space; noise inputs off."""
    gen = torch.Generator().manual_seed(seed)
    a, b = torch.randn(2, n, G.latent_dim, generator=gen)
    t = torch.rand(n, generator=gen) if sampling == "full" else (torch.rand(n, generator=gen) < 0.5).float()

    def render(points: Tensor) -> Tensor:
        return G.synthesis(G.broadcast(G.mapping(points) if space == "z" else points))

    if space == "w":
        a, b = G.mapping(a), G.mapping(b)
    with without_noise(G):
        return trimmed_mean(path_lengths(render, shape_space(), a, b, t, epsilon, spherical=space == "z"))


ATTRIBUTES = ("large", "right half", "lower half", "dark background", "circle", "star", "warm colour")
_CLASSES = {"dark background": ("background", (0,)), "circle": ("shape", (0,)), "star": ("shape", (3,)),
            "warm colour": ("hue", (0, 1, 5))}  # attribute -> the reader's class head and the classes it covers
_CONTINUOUS = {"large": 0, "right half": 1, "lower half": 2}  # attribute -> column of size, x, y


@torch.no_grad()
def attributes(images: Tensor, batch: int = 500) -> tuple[dict[str, Tensor], dict[str, Tensor]]:
    """Seven binary attributes of each image ``(n, 3, 32, 32)`` as the factor reader reads them, and how sure
    it is of each: ``(labels, confidence)``, two dicts of ``(n,)`` tensors keyed by :data:`ATTRIBUTES`.

    StyleGAN's attribute classifiers are binary: label = the likelier class, confidence = its probability.
    Here, for a class attribute with reader probability ``p`` (the softmax summed over its classes), label
    ``p > 0.5`` and confidence ``max(p, 1 - p)``; for size, x and y (read as numbers ``v`` in [0, 1]), label
    ``v > 0.5`` and confidence ``|v - 0.5|``, the distance from the threshold."""
    reader = shipped().eval()
    parts = [reader(images[i:i + batch].cpu().float()) for i in range(0, len(images), batch)]
    out = {k: torch.cat([part[k] for part in parts]) for k in parts[0]}
    labels, confidence = {}, {}
    for name in ATTRIBUTES:
        if name in _CONTINUOUS:
            value = out["continuous"][:, _CONTINUOUS[name]]
            labels[name], confidence[name] = value > 0.5, (value - 0.5).abs()
        else:
            head, classes = _CLASSES[name]
            p = out[head].softmax(1)[:, list(classes)].sum(1)
            labels[name], confidence[name] = p > 0.5, torch.maximum(p, 1 - p)
    return labels, confidence


def project(G: StyleGenerator, targets: Tensor, steps: int = 300, lr: float = 0.05,
            feature_weight: float = 0.05) -> tuple[Tensor, list[float]]:
    """Find ``w`` ``(n, w_dim)`` whose image matches each target ``(n, 3, 32, 32)``:
    Adam on pixel MSE plus ``feature_weight`` times the reader-feature distance,
    from the mean ``w``, noise off; returns ``w`` and the loss after each step."""
    space = shape_space()
    with torch.no_grad():
        goal = space.extract(targets)
    w = G.w_avg.detach().clone()[None].repeat(len(targets), 1).requires_grad_(True)
    opt = torch.optim.Adam([w], lr=lr)
    curve = []
    with without_noise(G):
        for _ in range(steps):
            image = G.synthesis(G.broadcast(w))
            features = (space.extract(image) - goal).pow(2).sum(1).mean()
            loss = F.mse_loss(image, targets) + feature_weight * features
            opt.zero_grad()
            loss.backward()
            opt.step()
            curve.append(float(loss.detach()))
    return w.detach(), curve


@torch.no_grad()
def edit_direction(G: StyleGenerator, factor: str, n: int = 2000, seed: int = 0) -> Tensor:
    """The unit direction in W along which the reader's ``factor`` (a continuous one) grows fastest:
    the least-squares fit of the factor on ``w`` over ``n`` samples. ``(w_dim,)``."""
    w = G.mapping(torch.randn(n, G.latent_dim, generator=torch.Generator().manual_seed(seed)))
    value = world.factors(G.synthesis(G.broadcast(w)))[factor]
    x = torch.cat([w, torch.ones(n, 1)], 1)
    coef = torch.linalg.lstsq(x, value[:, None]).solution[:-1, 0]
    return coef / coef.norm()


@torch.no_grad()
def edit(G: StyleGenerator, w: Tensor, direction: Tensor, factor: str = "size", change: float = 0.3,
         largest: float = 8.0, tries: int = 16) -> tuple[float, Tensor, Tensor]:
    """Step each ``w`` ``(n, w_dim)`` along ``direction``, by the smallest of ``tries``
    even amounts up to ``largest`` that moves the reader's mean ``factor`` by ``change``
    (``largest`` if none does). Noise off. Returns the amount, and the images before
    and after the edit, each ``(n, 3, 32, 32)``."""
    with without_noise(G):
        before = G.synthesis(G.broadcast(w))
        start = world.factors(before)[factor]
        for amount in torch.linspace(largest / tries, largest, tries).tolist():
            after = G.synthesis(G.broadcast(w + amount * direction))
            if float((world.factors(after)[factor] - start).mean()) >= change:
                break
    return amount, before, after


def edit_report(scenes: shapes.SceneSet, fitted: Tensor, edited: Tensor) -> dict[str, float]:
    """How well :func:`project` matched the first ``len(fitted)`` of ``scenes`` (pixel
    error, and the reader's shape and colour of the projection against the truth),
    and what :func:`edit` changed, as the reader reads the images before and after."""
    n = len(fitted)
    targets = scenes.images[:n]
    before, after = world.factors(fitted), world.factors(edited)
    mse = float(((fitted - targets) ** 2).mean())

    def share(a: Tensor, b: Tensor) -> float:
        return float((a == b).float().mean())

    return {
        "pixel MSE (images in [-1, 1])": mse,
        "PSNR (dB, range 2)": 10 * math.log10(4 / mse),
        "projection: shape read as the target's": share(before["shape"], scenes.factor("shape")[:n]),
        "projection: colour read as the target's": share(before["hue"], scenes.factor("hue")[:n]),
        "edit: mean change of size": float((after["size"] - before["size"]).mean()),
        "edit: shape unchanged": share(after["shape"], before["shape"]),
        "edit: colour unchanged": share(after["hue"], before["hue"]),
        "edit: background unchanged": share(after["background"], before["background"]),
        "edit: mean |change of x|": float((after["x"] - before["x"]).abs().mean()),
        "edit: mean |change of y|": float((after["y"] - before["y"]).abs().mean()),
    }


TABLE3_ROWS = (("z", "traditional G, in Z"), ("w", "style-based G, in W"),
               ("w-noise", "+ noise inputs, in W"), ("w-mixing", "+ mixing 90%, in W"))
"""StyleGAN Table 3's rows in :mod:`ganbook.anchors` (``stylegan-ppl-<key>``), with their labels."""


def table3(path: dict[tuple[str, str], float], sep: dict[str, float]) -> dict[str, dict[str, float]]:
    """StyleGAN's Table 3 beside ours: path lengths ``path[(space, sampling)]`` and
    separability scores ``sep[space]`` in Z and W, then the paper's rows
    (:data:`TABLE3_ROWS`; separability where :mod:`ganbook.anchors` has it, NaN elsewhere)."""
    columns = ("path length, full", "path length, end", "separability")
    rows = {f"ours, in {s}": dict(zip(columns, (path[(s, "full")], path[(s, "end")], sep[s])))
            for s in ("Z", "W")}
    paper_sep = anchor("stylegan-separability").values
    scores = {"z": paper_sep["z"][0], "w-mixing": paper_sep["w"][0]}
    for key, label in TABLE3_ROWS:
        ppl_row = anchor(f"stylegan-ppl-{key}").values
        values = (ppl_row["full"][0], ppl_row["end"][0], scores.get(key, math.nan))
        rows[f"StyleGAN Table 3: {label}"] = dict(zip(columns, values))
    return rows
