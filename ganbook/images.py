"""Pictures of image batches: tiles, grid figures and PNG frames for sliders.

Images are tensors ``(n, C, H, W)`` in [-1, 1] (C = 1 or 3), as G makes them.
"""

from __future__ import annotations

import io
from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.axes import Axes
from matplotlib.figure import Figure
from torch import Tensor


def levels(images: Tensor) -> Tensor:
    """Images in [-1, 1] as the 256 levels an 8-bit picture stores (0-255, rounded; same dtype)."""
    return ((images.clamp(-1, 1) + 1) * 127.5).round()


def tile(images: Tensor, nrow: int, pad: int = 1, pad_value: float = 1.0) -> np.ndarray:
    """Arrange ``images (n, C, H, W)`` in rows of ``nrow`` with ``pad`` pixels between: ``(rows*(H+pad)-pad, ..., C)`` in [0, 1]."""
    if images.dim() != 4:
        raise ValueError(f"tile expects images (n, C, H, W), got {tuple(images.shape)}")
    x = ((images.detach().cpu().float().clamp(-1, 1) + 1) / 2).numpy()
    n, c, h, w = x.shape
    rows = -(-n // nrow)
    out = np.full((rows * (h + pad) - pad, nrow * (w + pad) - pad, c), pad_value, dtype=np.float32)
    for i in range(n):
        r, k = divmod(i, nrow)
        out[r * (h + pad): r * (h + pad) + h, k * (w + pad): k * (w + pad) + w] = x[i].transpose(1, 2, 0)
    return out


def show_grid(images: Tensor, nrow: int = 10, title: str = "", ax: Axes | None = None,
              size: float = 0.45) -> Figure:
    """A figure (or a panel ``ax``) with ``images`` tiled ``nrow`` to a row; grey for one channel."""
    picture = tile(images, nrow)
    if ax is None:
        fig, ax = plt.subplots(figsize=(size * nrow, size * picture.shape[0] / picture.shape[1] * nrow + 0.3))
    else:
        fig = ax.figure
    ax.imshow(picture[..., 0] if picture.shape[2] == 1 else picture, cmap="gray", vmin=0, vmax=1,
              interpolation="nearest")
    ax.set_title(title, fontsize=9)
    ax.axis("off")
    return fig


def grid_png(images: Tensor, nrow: int, scale: int = 2) -> bytes:
    """``images`` tiled as one PNG, each pixel ``scale`` x ``scale`` (no axes): a cheap slider frame."""
    picture = tile(images, nrow, pad_value=1.0)
    if scale > 1:
        picture = picture.repeat(scale, 0).repeat(scale, 1)
    buf = io.BytesIO()
    plt.imsave(buf, picture[..., 0] if picture.shape[2] == 1 else picture, cmap="gray", vmin=0, vmax=1, format="png")
    return buf.getvalue()


def side_by_side(batches: Sequence[Tensor], titles: Sequence[str], nrow: int = 10) -> Figure:
    """One panel per batch, in a row, each titled."""
    fig, axes = plt.subplots(1, len(batches), figsize=(4.6 * len(batches), 4.9))
    for ax, images, title in zip(np.atleast_1d(axes), batches, titles):
        show_grid(images, nrow, title, ax=ax)
    fig.tight_layout()
    return fig


def labelled_rows(rows: dict[str, Tensor], size: float = 0.55) -> Figure:
    """One row of images per entry of ``rows`` (each ``(n, C, H, W)``, the same ``n``), its key written to
    its left: a translation's input, each model's output and the real image, column by column."""
    n = max(len(images) for images in rows.values())
    fig, axes = plt.subplots(len(rows), 1, figsize=(size * n + 1.8, size * len(rows) + 0.2), squeeze=False)
    for ax, (label, images) in zip(axes[:, 0], rows.items()):
        show_grid(images, n, ax=ax)
        ax.axis("on")
        ax.set_xticks([]); ax.set_yticks([])
        for side in ax.spines.values():
            side.set_visible(False)
        ax.set_ylabel(label, rotation=0, ha="right", va="center", fontsize=9)
    fig.subplots_adjust(left=0.22, hspace=0.08)
    return fig


def clip_frames(rows: dict[str, Tensor], size: float = 0.55, dpi: int = 80) -> list[bytes]:
    """One PNG per time step of clips ``(n, T, C, H, W)``: frame ``t`` of every clip, one row per entry of
    ``rows`` (:func:`labelled_rows`), for a player (:func:`ganbook.widgets.frame_slider`)."""
    from .plot import to_png

    frames = {clips.shape[1] for clips in rows.values()}
    if len(frames) != 1:
        raise ValueError(f"every row needs clips of the same length, got lengths {sorted(frames)}")
    return [to_png(labelled_rows({k: v[:, t] for k, v in rows.items()}, size), dpi=dpi)
            for t in range(frames.pop())]
