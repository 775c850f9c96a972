"""Chapters 17 and 18's tables: our FCN-scores over seeds beside the papers' rows, and where the orders agree.

:func:`beside` lays out mean +- standard error per row with the published
row of :mod:`ganbook.anchors` next to it; :func:`orderings` compares every
pair of rows that both tables have, on one metric, and says which pairs come
out in the paper's order, which in the opposite order, and which are too
close to call on our seeds.
"""

from __future__ import annotations

from typing import Any

import numpy as np
import pandas as pd
import torch

from ..anchors import anchor
from ..data import shapes
from .runs import mean_se_cell, pair_orders, seed_counts, summary

SHORT = {"pixel_accuracy": "per-pixel acc.", "class_accuracy": "per-class acc.", "class_iou": "class IoU"}


def means(results: list[dict[str, Any]], keys: tuple[str, ...]) -> dict[str, dict[str, tuple[float, float]]]:
    """Mean and standard error over seeds of each of ``keys``, per variant (:func:`.runs.summary`)."""
    return summary(results, keys, spread="se")


def beside(results: list[dict[str, Any]], paper: dict[str, str | None], keys: tuple[str, ...] = tuple(SHORT),
           extra: dict[str, dict[str, float]] | None = None, prefix: str = "") -> pd.DataFrame:
    """One row per variant in ``paper``'s order: ours as "mean +- s.e. (seeds)" for each of ``keys`` (read
    from each result's metrics as ``prefix + key``), then the paper's numbers from the anchor
    ``paper[variant]`` (blank when the paper has no such row) and where they were read. ``extra`` rows
    (one value each, e.g. a ground-truth row) come last, beside the anchor of the same name in ``paper``."""
    table = means(results, tuple(prefix + k for k in keys))
    seeds = seed_counts(results)
    rows = []
    for name, key in paper.items():
        row: dict[str, Any] = {"row": name}
        if name in table:
            for k in keys:
                row[f"ours: {SHORT.get(k, k)}"] = mean_se_cell(*table[name][prefix + k], seeds[name])
        elif extra and name in extra:
            for k in keys:
                row[f"ours: {SHORT.get(k, k)}"] = f"{extra[name][prefix + k]:.3f}"
        else:
            continue
        published = anchor(key) if key else None
        for k in keys:
            value = published.values.get(k, (np.nan,))[0] if published else np.nan
            row[f"paper: {SHORT.get(k, k)}"] = "" if np.isnan(value) else f"{value:.2f}"
        row["paper's row"] = "" if published is None else f"{published.source} ({published.status})"
        rows.append(row)
    return pd.DataFrame(rows).set_index("row")


def orderings(results: list[dict[str, Any]], paper: dict[str, str | None], key: str = "class_iou",
              prefix: str = "") -> dict[str, list[tuple[str, str]]]:
    """Every pair of variants that both we and the paper score, on ``key`` (higher is better), sorted by
    :func:`.runs.pair_orders` into ``agree``, ``disagree`` and ``unclear`` (ours within two standard errors
    of the difference, or a tie in the paper). Each pair is ``(better, worse)`` by the paper's numbers."""
    table = means(results, (prefix + key,))
    theirs = {v: (anchor(k).values[key][0], 0.0) for v, k in paper.items() if k and v in table}
    return pair_orders({v: table[v][prefix + key] for v in theirs}, theirs)


def say_orderings(found: dict[str, list[tuple[str, str]]], metric: str = "class IoU") -> str:
    """:func:`orderings` as sentences for the chapter's text."""
    def pairs(items: list[tuple[str, str]], word: str) -> str:
        return "; ".join(f"{a} {word} {b}" for a, b in items)

    total = sum(len(v) for v in found.values())
    parts = [f"Of the {total} pairs of rows that both tables score, {len(found['agree'])} come out in the "
             f"paper's order on {metric} by more than two standard errors"]
    if found["agree"]:
        parts[-1] += f" ({pairs(found['agree'], 'above')})"
    parts.append(f"{len(found['disagree'])} in the opposite order"
                 + (f" (the paper has {pairs(found['disagree'], 'above')})" if found["disagree"] else ""))
    parts.append(f"and {len(found['unclear'])} are too close to call on our seeds"
                 + (f" ({pairs(found['unclear'], 'against')})" if found["unclear"] else ""))
    return ", ".join(parts) + "."


def map_colour_kept(images: torch.Tensor, maps: torch.Tensor) -> float:
    """The share of shape pixels (class > 0 in ``maps``) that ``images`` draw nearest to their own class's
    colour in a painted map (:data:`~ganbook.data.shapes.MAP_PALETTE`): 1 when a translation copies the
    map's colours, about one in six for real scenes, whose hues are drawn at random."""
    shape = maps > 0
    return float((shapes.read_maps(images)[shape] == maps[shape]).float().mean())


def chroma(images: torch.Tensor, maps: torch.Tensor) -> float:
    """How vivid the shape pixels (class > 0 in ``maps``) of ``images`` are: their mean chroma, the largest
    minus the smallest of the three channels (pixels in [-1, 1]: 0 for a grey, 2 for a pure colour)."""
    spread = images.amax(1) - images.amin(1)
    return float(spread[maps > 0].mean())
