"""LAPGAN's per-level networks (Denton et al., 2015) for 28x28 digits.

The coarsest level (7x7) is an ordinary unconditional GAN (chapter 1's MLPs).
Every finer level k is a *conditional* GAN: its generator receives the
upsampled coarser image ``c = up(I_{k+1})`` and a plane of noise and returns the
band ``h_k`` (the detail that upsampling lost); its discriminator judges a band
together with the image it is meant to sharpen.

Shapes at side s (14 or 28): G ``z (n, s*s), c (n, 1, s, s) -> h (n, 1, s, s)``;
D ``h, c (n, 1, s, s) -> (n, 1)``.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from .dcgan import dcgan_init


def _check(c: Tensor, side: int) -> None:
    if c.dim() != 4 or tuple(c.shape[1:]) != (1, side, side):
        raise ValueError(f"expected conditioning images (n, 1, {side}, {side}), got {tuple(c.shape)}")


class BandGenerator(nn.Module):
    """Three 3x3 convolutions on [noise plane, coarse image]; linear output (bands are signed)."""

    def __init__(self, side: int, width: int = 32) -> None:
        super().__init__()
        self.side, self.latent_dim = side, side * side
        self.net = nn.Sequential(
            nn.Conv2d(2, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(True),
            nn.Conv2d(width, width, 3, padding=1, bias=False), nn.BatchNorm2d(width), nn.ReLU(True),
            nn.Conv2d(width, 1, 3, padding=1),
        )
        dcgan_init(self)

    def forward(self, z: Tensor, c: Tensor) -> Tensor:
        _check(c, self.side)
        return self.net(torch.cat([z.reshape(-1, 1, self.side, self.side), c], 1))


class BandDiscriminator(nn.Module):
    """Two stride-2 convolutions on [band, coarse image], then one linear layer to a logit."""

    def __init__(self, side: int, width: int = 32) -> None:
        super().__init__()
        self.side = side
        self.net = nn.Sequential(
            nn.Conv2d(2, width, 4, 2, 1), nn.LeakyReLU(0.2, True),  # -> side/2; no batch norm at the input, as in DCGAN
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2, True),
            nn.Flatten(), nn.Linear(2 * width * (side // 4) ** 2, 1),
        )
        dcgan_init(self)

    def forward(self, h: Tensor, c: Tensor) -> Tensor:
        _check(c, self.side)
        return self.net(torch.cat([h, c], 1))
