"""Figures the chapters share: loss curves, 1-D density frames, and PNG export.

Every function draws on an ``Axes`` it is given (or a new figure) and returns
the figure, so a chapter can place it, and widgets can turn it into a frame.
"""

from __future__ import annotations

import io
from typing import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure


def _axes(ax: Axes | None, figsize: tuple[float, float]) -> tuple[Figure, Axes]:
    if ax is not None:
        return ax.figure, ax  # type: ignore[return-value]
    fig, ax = plt.subplots(figsize=figsize)
    return fig, ax


def loss_curves(
    history: Mapping[str, Sequence[float]],
    keys: Sequence[str] = ("loss_d", "loss_g"),
    smooth: int = 25,
    ax: Axes | None = None,
    reference: Mapping[str, float] | None = None,
) -> Figure:
    """Plot training losses against step, smoothed by a running mean over ``smooth`` steps.

    ``reference`` draws horizontal lines, e.g. ``{"log 4 (D at equilibrium)": np.log(4)}``.
    """
    fig, ax = _axes(ax, (6, 3))
    steps = np.asarray(history["step"])
    for key in keys:
        y = np.asarray(history[key], dtype=float)
        if smooth > 1 and y.size >= smooth:
            y = np.convolve(y, np.ones(smooth) / smooth, mode="valid")
            x = steps[smooth - 1 :]
        else:
            x = steps
        ax.plot(x, y, label=key.replace("_", " "))
    for label, value in (reference or {}).items():
        ax.axhline(value, color="grey", ls="--", lw=1, label=label)
    ax.set_xlabel("step")
    ax.set_ylabel("loss")
    ax.legend(frameon=False)
    fig.tight_layout()
    return fig


def density_frame(
    grid: np.ndarray,
    target_pdf: np.ndarray,
    bins: np.ndarray,
    hist: np.ndarray,
    d_prob: np.ndarray | None = None,
    title: str = "",
    ax: Axes | None = None,
    ylim: float | None = None,
) -> Figure:
    """One frame of a 1-D GAN: the target density, a histogram of G's samples and D(x).

    ``hist`` is a density histogram over ``bins`` (len(bins) - 1 values);
    ``d_prob`` is D's probability of "real" on ``grid``, drawn on a right-hand axis
    in [0, 1] with the 1/2 line where an optimal D of a perfect G sits.
    """
    fig, ax = _axes(ax, (6, 3.2))
    ax.stairs(hist, bins, fill=True, alpha=0.45, color="tab:orange", label="generated G(z)")
    ax.plot(grid, target_pdf, color="tab:blue", lw=2, label="target density")
    ax.set_xlim(grid[0], grid[-1])
    ax.set_ylim(0, ylim or 1.3 * max(float(target_pdf.max()), float(np.max(hist))))
    ax.set_xlabel("x")
    ax.set_ylabel("density")
    handles, labels = ax.get_legend_handles_labels()
    if d_prob is not None:
        ax2 = ax.twinx()
        (line,) = ax2.plot(grid, d_prob, color="tab:green", lw=1.5, label="D(x)")
        ax2.axhline(0.5, color="tab:green", ls=":", lw=1)
        ax2.set_ylim(0, 1)
        ax2.set_ylabel("D(x)", color="tab:green")
        handles.append(line)
        labels.append("D(x)")
    ax.legend(handles, labels, loc="upper left", frameon=False, fontsize=8)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig


def to_png(fig: Figure, dpi: int = 80, close: bool = True) -> bytes:
    """Render a figure to PNG bytes (and close it, so notebooks do not show it twice)."""
    buf = io.BytesIO()
    fig.savefig(buf, format="png", dpi=dpi)
    if close:
        plt.close(fig)
    return buf.getvalue()


def figure_frames(figures: Sequence[Figure], dpi: int = 80) -> list[bytes]:
    """PNG bytes of each figure, closing them as it goes."""
    return [to_png(f, dpi=dpi) for f in figures]




class LiveLosses:
    """Training callback: redraw the loss curves in place every ``every`` steps.

    In a notebook the figure updates under the progress bar; outside one
    (a script, the CLI) it does nothing.
    """

    def __init__(self, every: int = 500, smooth: int = 50) -> None:
        self.every, self.smooth = every, smooth
        self._handle = None

    def __call__(self, trainer) -> None:  # noqa: ANN001 - a ganbook.train.Trainer
        if trainer.step == 0 or trainer.step % self.every:
            return
        try:
            from IPython import get_ipython
            from IPython.display import display
        except ImportError:
            return
        if get_ipython() is None:
            return
        fig = loss_curves(trainer.history, smooth=self.smooth)
        fig.axes[0].set_title(f"losses up to step {trainer.step}")
        if self._handle is None:
            self._handle = display(fig, display_id=True)
        else:
            self._handle.update(fig)
        plt.close(fig)


def gan_lab_frame(
    real: np.ndarray,
    fake: np.ndarray,
    arrows: np.ndarray,
    d_map: np.ndarray,
    extent: tuple[float, float, float, float],
    title: str = "",
    ax: Axes | None = None,
) -> Figure:
    """A GAN-Lab style picture of a 2-D GAN at one moment (after Kahng et al., 2019).

    ``d_map`` (H, W) is D's probability of "real" on a regular grid over
    ``extent`` = (xmin, xmax, ymin, ymax), drawn as a heat map; ``real`` and
    ``fake`` are point sets (N, 2); ``arrows`` (M, 2) is the direction in which the
    generator's loss pushes each of the first M fake points.
    """
    fig, ax = _axes(ax, (4.6, 4.2))
    im = ax.imshow(d_map, origin="lower", extent=extent, cmap="PiYG", vmin=0, vmax=1, alpha=0.75, aspect="equal")
    ax.scatter(real[:, 0], real[:, 1], s=4, c="tab:green", edgecolors="none", label="real")
    ax.scatter(fake[:, 0], fake[:, 1], s=4, c="tab:purple", edgecolors="none", label="generated")
    m = len(arrows)
    ax.quiver(fake[:m, 0], fake[:m, 1], arrows[:, 0], arrows[:, 1], color="black", width=0.004,
              angles="xy", scale_units="xy", scale=1.0, alpha=0.7)
    ax.set_xlim(extent[0], extent[1])
    ax.set_ylim(extent[2], extent[3])
    fig.colorbar(im, ax=ax, fraction=0.046, pad=0.04, label="D(x) = P(real)")
    ax.legend(loc="upper right", fontsize=7, markerscale=3, framealpha=0.8)
    if title:
        ax.set_title(title)
    fig.tight_layout()
    return fig
