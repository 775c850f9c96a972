"""Voxel grids drawn as surfaces: marching cubes (scikit-image) and matplotlib's 3-D axes, for chapter 20.

A grid of occupancies is a poor picture: slices hide the shape and a cloud of
cubes hides its surface. :func:`mesh` extracts the 0.5 level set as triangles
(the grid padded with one empty voxel so that every surface closes), and
:func:`shapes_figure` draws a grid of them, lit by their normals' direction.
"""

from __future__ import annotations

from typing import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from mpl_toolkits.mplot3d.art3d import Poly3DCollection
from skimage.measure import marching_cubes
from torch import Tensor


def mesh(grid: Tensor, level: float = 0.5) -> tuple[np.ndarray, np.ndarray]:
    """The surface where ``grid`` ``(1, S, S, S)`` or ``(S, S, S)`` crosses ``level``: vertices ``(v, 3)`` in voxel
    coordinates ``[0, S]`` and triangles ``(f, 3)``. An empty grid gives no triangles."""
    volume = np.pad(grid.detach().cpu().float().reshape(grid.shape[-3:]).numpy(), 1)
    if volume.max() < level or volume.min() > level:
        return np.zeros((0, 3)), np.zeros((0, 3), dtype=np.int64)
    verts, faces, _, _ = marching_cubes(volume, level)
    return verts - 1, faces


def draw(ax, grid: Tensor, colour: str = "tab:blue", level: float = 0.5) -> None:
    """Draw ``grid``'s surface on a 3-D matplotlib axis, each face shaded by how squarely it faces one light,
    in a box of the grid's size."""
    verts, faces = mesh(grid, level)
    size = grid.shape[-1]
    if len(faces):
        triangles = verts[faces]
        normals = np.cross(triangles[:, 1] - triangles[:, 0], triangles[:, 2] - triangles[:, 0])
        normals /= np.linalg.norm(normals, axis=1, keepdims=True) + 1e-9
        light = np.abs(normals @ np.array([0.42, -0.52, 0.74])) * 0.65 + 0.35  # either side of a face is lit
        base = np.array(plt.matplotlib.colors.to_rgb(colour))
        ax.add_collection3d(Poly3DCollection(triangles, facecolors=light[:, None] * base, linewidths=0))
    ax.set_xlim(0, size), ax.set_ylim(0, size), ax.set_zlim(0, size)
    ax.set_box_aspect((1, 1, 1), zoom=1.3)
    ax.set_axis_off()


def shapes_figure(grids: Tensor, titles: Sequence[str] | None = None, size: float = 1.6,
                  colour: str = "tab:blue", ncols: int | None = None) -> Figure:
    """Voxel grids ``(n, 1, S, S, S)`` as surfaces, ``ncols`` to a row (all in one row by default), each with
    its title (if given)."""
    n = len(grids)
    ncols = n if ncols is None else max(1, min(ncols, n))
    nrows = -(-n // ncols)
    title_room = 0.25 if titles else 0
    fig = plt.figure(figsize=(size * ncols, (size + title_room) * nrows))
    for i in range(n):
        ax = fig.add_subplot(nrows, ncols, i + 1, projection="3d")
        draw(ax, grids[i], colour)
        if titles:
            ax.set_title(titles[i], fontsize=8, pad=0)
    fig.subplots_adjust(left=0, right=1, bottom=0, top=1 - title_room / (size + title_room) if titles else 1,
                        wspace=0, hspace=0.05)
    return fig
