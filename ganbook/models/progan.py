"""Progressive growing (Karras et al., 2018): G and D that grow 4 -> 8 -> 16 -> 32 pixels with a fade-in.

The four small blocks of the paper, each its own module:

- :class:`EqualizedConv2d` / :class:`EqualizedLinear`: weights drawn from
  N(0, 1) and scaled by He's constant ``gain / sqrt(fan_in)`` at every call, so
  Adam's step is the same size for every layer (equalised learning rate).
- :class:`PixelNorm`: each pixel's feature vector divided by its RMS over channels.
- :class:`MinibatchStd`: D's last block sees one extra feature map, the
  standard deviation of its features across a group of samples, so a
  collapsed batch (all samples alike) is easy to spot.
- the fade-in: while a new block grows in, the output is
  ``(1 - alpha) * up(old RGB) + alpha * new RGB`` in G, and the mirror image in D.

Both networks always speak 32-pixel images: G upsamples its current output
(nearest neighbour) to 32, D first averages its input down to the current size.
Because the mean of a nearest-neighbour upsampled block is the block itself,
D sees exactly what G made, and the training loop does not change as they grow.
:meth:`ProGenerator.set_stage` and :meth:`ProDiscriminator.set_stage` choose the
current resolution and alpha (:class:`ganbook.games.progressive.Growth` does it by step).
"""

from __future__ import annotations

import math

import torch
import torch.nn.functional as F
from torch import Tensor, nn

RESOLUTIONS = (4, 8, 16, 32)


class EqualizedLinear(nn.Module):
    """``y = x (c W)^T + b`` with ``W ~ N(0, 1)`` and ``c = gain / sqrt(in_features)`` applied at run time."""

    def __init__(self, in_features: int, out_features: int, gain: float = math.sqrt(2)) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(out_features, in_features))
        self.bias = nn.Parameter(torch.zeros(out_features))
        self.scale = gain / math.sqrt(in_features)

    def forward(self, x: Tensor) -> Tensor:
        return F.linear(x, self.weight * self.scale, self.bias)


class EqualizedConv2d(nn.Module):
    """A same-padded convolution with the run-time He scale ``gain / sqrt(c_in k^2)``."""

    def __init__(self, c_in: int, c_out: int, kernel: int, gain: float = math.sqrt(2)) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(c_out, c_in, kernel, kernel))
        self.bias = nn.Parameter(torch.zeros(c_out))
        self.scale = gain / math.sqrt(c_in * kernel * kernel)

    def forward(self, x: Tensor) -> Tensor:
        return F.conv2d(x, self.weight * self.scale, self.bias, padding=self.weight.shape[-1] // 2)


class PixelNorm(nn.Module):
    """``x / sqrt(mean_c x^2 + eps)``: every pixel's feature vector to unit RMS. ``(n, C, H, W)`` or ``(n, C)``."""

    def forward(self, x: Tensor) -> Tensor:
        return x * torch.rsqrt(x.pow(2).mean(1, keepdim=True) + 1e-8)


class MinibatchStd(nn.Module):
    """Append one feature map: the std of each feature over groups of ``group`` samples, averaged to one number.

    ``(n, C, H, W) -> (n, C + 1, H, W)``; ``n`` must be divisible by the group
    size (a smaller batch uses itself as one group).
    """

    def __init__(self, group: int = 4) -> None:
        super().__init__()
        self.group = group

    def forward(self, x: Tensor) -> Tensor:
        n, c, h, w = x.shape
        g = self.group if n % self.group == 0 else n
        grouped = x.reshape(g, n // g, c, h, w)
        std = (grouped.var(0, unbiased=False) + 1e-8).sqrt().mean((1, 2, 3))  # (n // g,)
        feature = std.repeat(g)[:, None, None, None].expand(n, 1, h, w)
        return torch.cat([x, feature], 1)


def _act(x: Tensor) -> Tensor:
    return F.leaky_relu(x, 0.2)


def widths(width: int, max_width: int | None = None) -> tuple[int, ...]:
    """Channels at each of :data:`RESOLUTIONS`: ``width`` at 32 pixels, doubling at each halving up to
    ``max_width`` (ProGAN's and StyleGAN's rule: coarse layers, which decide what is drawn, are widest).
    Without ``max_width``, every resolution has ``width``."""
    top = width if max_width is None else max_width
    if top < width:
        raise ValueError(f"max_width {top} is below width {width}: it caps the coarse layers' channels")
    return tuple(min(width * (RESOLUTIONS[-1] // r), top) for r in RESOLUTIONS)


class ProGenerator(nn.Module):
    """``z (n, latent_dim) -> (n, 3, 32, 32)`` in [-1, 1], drawn at the current stage's resolution."""

    def __init__(self, latent_dim: int = 64, width: int = 64, channels: int = 3) -> None:
        super().__init__()
        self.latent_dim, self.width = latent_dim, width
        self.norm = PixelNorm()
        self.dense = EqualizedLinear(latent_dim, width * 16, gain=math.sqrt(2) / 4)
        self.base = EqualizedConv2d(width, width, 3)
        self.blocks = nn.ModuleList(
            nn.ModuleList([EqualizedConv2d(width, width, 3), EqualizedConv2d(width, width, 3)])
            for _ in RESOLUTIONS[1:])
        self.to_rgb = nn.ModuleList(EqualizedConv2d(width, channels, 1, gain=1.0) for _ in RESOLUTIONS)
        self.level, self.alpha = len(RESOLUTIONS) - 1, 1.0

    def set_stage(self, level: int, alpha: float) -> None:
        """Draw at ``RESOLUTIONS[level]``, the newest block faded in by ``alpha`` in [0, 1]."""
        self.level, self.alpha = level, alpha

    def native(self, z: Tensor) -> Tensor:
        """The image at the current resolution ``(n, 3, r, r)``, before upsampling to 32."""
        h = self.norm(_act(self.dense(self.norm(z)).view(-1, self.width, 4, 4)))
        h = self.norm(_act(self.base(h)))
        previous = h
        for level in range(1, self.level + 1):
            previous = h
            h = F.interpolate(h, scale_factor=2, mode="nearest")
            for conv in self.blocks[level - 1]:
                h = self.norm(_act(conv(h)))
        rgb = self.to_rgb[self.level](h)
        if self.level > 0 and self.alpha < 1:
            old = F.interpolate(self.to_rgb[self.level - 1](previous), scale_factor=2, mode="nearest")
            rgb = (1 - self.alpha) * old + self.alpha * rgb
        return rgb

    def forward(self, z: Tensor) -> Tensor:
        x = self.native(z)
        return F.interpolate(x, size=RESOLUTIONS[-1], mode="nearest") if x.shape[-1] != RESOLUTIONS[-1] else x


class ProDiscriminator(nn.Module):
    """``(n, 3, 32, 32) -> (n, 1)`` scores, reading the input at the current stage's resolution;
    ``width`` channels at 32 pixels, more at coarser ones up to ``max_width`` (:func:`widths`)."""

    def __init__(self, width: int = 64, channels: int = 3, group: int = 4, max_width: int | None = None) -> None:
        super().__init__()
        c = widths(width, max_width)  # c[level]: channels at RESOLUTIONS[level]
        self.from_rgb = nn.ModuleList(EqualizedConv2d(channels, c[level], 1) for level in range(len(RESOLUTIONS)))
        self.blocks = nn.ModuleList(  # blocks[level - 1]: from RESOLUTIONS[level] down to the one below
            nn.ModuleList([EqualizedConv2d(c[level], c[level], 3), EqualizedConv2d(c[level], c[level - 1], 3)])
            for level in range(1, len(RESOLUTIONS)))
        self.mbstd = MinibatchStd(group)
        self.final_conv = EqualizedConv2d(c[0] + 1, c[0], 3)
        self.final_dense = EqualizedLinear(c[0] * 16, c[0])
        self.out = EqualizedLinear(c[0], 1, gain=1.0)
        self.level, self.alpha = len(RESOLUTIONS) - 1, 1.0

    def set_stage(self, level: int, alpha: float) -> None:
        """Read at ``RESOLUTIONS[level]``, the newest block faded in by ``alpha`` in [0, 1]."""
        self.level, self.alpha = level, alpha

    def forward(self, x: Tensor) -> Tensor:
        x = F.avg_pool2d(x, x.shape[-1] // RESOLUTIONS[self.level]) if x.shape[-1] != RESOLUTIONS[self.level] else x
        h = _act(self.from_rgb[self.level](x))
        for level in range(self.level, 0, -1):
            for conv in self.blocks[level - 1]:
                h = _act(conv(h))
            h = F.avg_pool2d(h, 2)
            if level == self.level and self.alpha < 1:
                old = _act(self.from_rgb[level - 1](F.avg_pool2d(x, 2)))
                h = (1 - self.alpha) * old + self.alpha * h
        h = _act(self.final_conv(self.mbstd(h)))
        return self.out(_act(self.final_dense(h.flatten(1))))
