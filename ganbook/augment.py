"""Small random changes to images that keep what they show: a digit rotated by
a few degrees, shifted by a pixel or scaled by a tenth is still the same digit.

Chapter 8 uses them to tell InfoGAN's Q which changes must not change the
categorical code. The transformation is differentiable, so a generator can be
trained through it.
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor


def random_affine(x: Tensor, rng: torch.Generator, degrees: float = 20.0, shift: float = 0.1,
                  scale: float = 0.1, background: float = -1.0) -> Tensor:
    """Rotate, shift and scale each image of ``x (n, c, h, w)`` by its own random amount.

    Per image: an angle uniform in ``[-degrees, degrees]``, a shift uniform in
    ``[-shift, shift]`` of the half-width along each axis (0.1 is 1.4 pixels on
    28x28), and a scale uniform in ``[1 - scale, 1 + scale]``; bilinear
    sampling, with ``background`` (the value of a blank pixel, -1 for images in
    [-1, 1]) filling what comes in from outside. Returns ``(n, c, h, w)``;
    gradients flow back to ``x``. Draws from ``rng`` only (CPU generator).
    """
    if x.dim() != 4:
        raise ValueError(f"random_affine expects images (n, c, h, w), got shape {tuple(x.shape)}")
    n = x.shape[0]
    angle = (torch.rand(n, generator=rng) * 2 - 1) * math.radians(degrees)
    size = 1 + (torch.rand(n, generator=rng) * 2 - 1) * scale
    offset = (torch.rand(n, 2, generator=rng) * 2 - 1) * shift
    cos, sin = size * torch.cos(angle), size * torch.sin(angle)
    theta = torch.stack([torch.stack([cos, -sin, offset[:, 0]], 1),
                         torch.stack([sin, cos, offset[:, 1]], 1)], 1).to(x)  # (n, 2, 3): output -> input coords
    grid = F.affine_grid(theta, list(x.shape), align_corners=False)
    # sample x - background so that pixels from outside (zeros) become the background
    return F.grid_sample(x - background, grid, align_corners=False, padding_mode="zeros") + background
