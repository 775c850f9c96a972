"""Chapter 23's pictures: columns of real and synthetic tables side by side, and a column's fitted modes."""

from __future__ import annotations

from typing import Sequence

import numpy as np
import pandas as pd
from matplotlib import pyplot as plt
from matplotlib.figure import Figure

from .data.table_encoding import TableEncoder


def marginals(frames: dict[str, pd.DataFrame], continuous: Sequence[str], discrete: Sequence[str],
              top: int = 8, size: float = 2.6) -> Figure:
    """One panel per column: for a continuous one the histograms of every table in ``frames`` over the
    first table's range (50 bins), for a discrete one the shares of the first table's ``top`` categories,
    bars side by side."""
    columns = list(continuous) + list(discrete)
    fig, axes = plt.subplots(1, len(columns), figsize=(size * len(columns), size), squeeze=False)
    first = next(iter(frames.values()))
    for ax, c in zip(axes[0], columns):
        if c in continuous:
            edges = np.linspace(first[c].min(), first[c].max(), 51)
            for name, frame in frames.items():
                ax.hist(np.clip(frame[c], edges[0], edges[-1]), edges, histtype="step", density=True, label=name)
            ax.set_yticks([])
        else:
            cats = first[c].value_counts().index[:top]
            width = 0.8 / len(frames)
            for i, (name, frame) in enumerate(frames.items()):
                share = frame[c].value_counts(normalize=True).reindex(cats, fill_value=0)
                ax.bar(np.arange(len(cats)) + i * width, share.to_numpy(), width, label=name)
            ax.set_xticks(np.arange(len(cats)) + 0.4 - width / 2, [str(k)[:10] for k in cats], rotation=70, fontsize=7)
        ax.set_title(c, fontsize=9)
    axes[0][0].legend(fontsize=7)
    fig.tight_layout()
    return fig


def modes(encoder: TableEncoder, table: pd.DataFrame, column: str, size: tuple[float, float] = (5.0, 2.6)) -> Figure:
    """The column's histogram with each mode the encoder kept drawn as its Gaussian (scaled by its weight)."""
    fig, ax = plt.subplots(figsize=size)
    x = table[column].to_numpy(float)
    heights, _, _ = ax.hist(x, 60, density=True, color="0.8")
    bgm, keep = encoder.mixtures[column]
    means, stds = encoder.modes[column]
    weights = bgm.weights_[keep]
    grid = np.linspace(x.min(), x.max(), 400)
    for m, s, w in zip(means, stds, weights):
        ax.plot(grid, w * np.exp(-0.5 * ((grid - m) / s) ** 2) / (s * np.sqrt(2 * np.pi)), lw=1.2)
    ax.set_title(f"{column}: {len(means)} modes kept", fontsize=9)
    ax.set_yscale("log")
    ax.set_ylim(heights.max() * 1e-4, heights.max() * 3)  # a narrow mode's peak would dwarf the histogram
    fig.tight_layout()
    return fig
