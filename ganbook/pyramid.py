"""Laplacian pyramids (Burt & Adelson, 1983), as LAPGAN uses them (Denton et al., 2015).

``down`` halves an image (2x2 average), ``up`` doubles it (bilinear). Level k
of the pyramid of ``I`` keeps what ``up`` cannot restore:

    I_0 = I,  I_{k+1} = down(I_k),  h_k = I_k - up(I_{k+1}),  the last level is I_K itself.

Rebuilding runs the other way, ``I_k = up(I_{k+1}) + h_k``, and is exact (up to
float round-off) whatever ``down`` and ``up`` are, because each h_k was defined
as exactly the difference. Images are ``(n, C, H, W)`` with H, W divisible by 2^K.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor


def down(x: Tensor) -> Tensor:
    """``(n, C, H, W) -> (n, C, H/2, W/2)``: the mean of each 2x2 block."""
    return F.avg_pool2d(x, 2)


def up(x: Tensor) -> Tensor:
    """``(n, C, H, W) -> (n, C, 2H, 2W)``: bilinear upsampling."""
    return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)


def laplacian_pyramid(image: Tensor, levels: int) -> list[Tensor]:
    """``[h_0 (finest band), ..., h_{levels-2}, I_{levels-1} (coarse image)]``: ``levels`` tensors."""
    if image.dim() != 4:
        raise ValueError(f"expected images (n, C, H, W), got {tuple(image.shape)}")
    size = 2 ** (levels - 1)
    if image.shape[-1] % size or image.shape[-2] % size:
        raise ValueError(f"{levels} levels need H and W divisible by {size}, got {tuple(image.shape[-2:])}")
    bands, current = [], image
    for _ in range(levels - 1):
        coarse = down(current)
        bands.append(current - up(coarse))
        current = coarse
    return bands + [current]


def reconstruct(pyramid: list[Tensor]) -> Tensor:
    """Invert :func:`laplacian_pyramid`: start at the coarse image, upsample and add each band."""
    image = pyramid[-1]
    for band in reversed(pyramid[:-1]):
        image = up(image) + band
    return image
