"""SRGAN's networks (Ledig et al., 2017), at a width a CPU can train: chapter 19.

- :class:`SRResNet`: the paper's generator. A 9x9 convolution and PReLU, ``blocks``
  residual blocks (3x3 convolution, batch norm, PReLU, 3x3 convolution, batch norm,
  plus the input) at the low resolution, a long skip around them, then one
  sub-pixel up-sampling (a 3x3 convolution to four times the channels,
  ``PixelShuffle(2)``, PReLU) per factor of two, and a 9x9 convolution to RGB.
  The paper has 16 blocks of 64 channels; the config says ours.
  With ``bicubic_skip`` the network's output is added to the bicubic up-sampling
  of its input, so that it starts from bicubic and learns only what bicubic
  misses (a global residual, as in VDSR): our change, to learn within CPU minutes.
- :class:`SRDiscriminator`: the paper's D: strided 3x3 convolutions, leaky ReLU
  (0.2) and batch norm, doubling the channels every second layer, then a dense
  layer and a logit. We pool the last feature map to one vector before the
  dense layers, so D takes any patch size.
"""

from __future__ import annotations

from torch import Tensor, nn
from torch.nn import functional as F

from ..players import inference


class ResidualBlock(nn.Module):
    """``x + BN(conv(PReLU(BN(conv(x)))))``, 3x3 convolutions with ``channels`` channels."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(channels, channels, 3, padding=1), nn.BatchNorm2d(channels),
                                  nn.PReLU(channels), nn.Conv2d(channels, channels, 3, padding=1),
                                  nn.BatchNorm2d(channels))

    def forward(self, x: Tensor) -> Tensor:
        return x + self.body(x)


def upsample(channels: int) -> nn.Sequential:
    """Sub-pixel convolution: ``(n, C, h, w) -> (n, C, 2h, 2w)`` through ``4C`` channels and ``PixelShuffle(2)``."""
    return nn.Sequential(nn.Conv2d(channels, 4 * channels, 3, padding=1), nn.PixelShuffle(2), nn.PReLU(channels))


class SRResNet(nn.Module):
    """``(n, 3, h, w)`` in ``[-1, 1]`` -> ``(n, 3, scale h, scale w)``; ``scale`` a power of two."""

    def __init__(self, width: int = 64, blocks: int = 16, scale: int = 4, bicubic_skip: bool = False) -> None:
        super().__init__()
        if scale < 2 or scale & (scale - 1):
            raise ValueError(f"SRResNet scales by powers of two, got {scale}")
        self.scale, self.bicubic_skip = scale, bicubic_skip
        self.head = nn.Sequential(nn.Conv2d(3, width, 9, padding=4), nn.PReLU(width))
        self.body = nn.Sequential(*[ResidualBlock(width) for _ in range(blocks)],
                                  nn.Conv2d(width, width, 3, padding=1), nn.BatchNorm2d(width))
        self.up = nn.Sequential(*[upsample(width) for _ in range(scale.bit_length() - 1)])
        self.tail = nn.Conv2d(width, 3, 9, padding=4)

    def forward(self, low: Tensor) -> Tensor:
        h = self.head(low)
        out = self.tail(self.up(h + self.body(h)))
        if self.bicubic_skip:
            out = out + F.interpolate(low, scale_factor=self.scale, mode="bicubic", align_corners=False)
        return out


class SRDiscriminator(nn.Module):
    """``(n, 3, H, W) -> (n,)`` logits. ``depth`` pairs of 3x3 convolutions (stride 1, then 2), the channels
    doubling from ``width`` every pair; the paper's D is ``width=64, depth=4`` (64 to 512 channels)."""

    def __init__(self, width: int = 64, depth: int = 4, dense: int = 1024) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        c_in = 3
        for i in range(depth):
            c = width * 2 ** i
            for stride in (1, 2):
                layers.append(nn.Conv2d(c_in, c, 3, stride, 1))
                if c_in != 3:  # no batch norm on the first layer
                    layers.append(nn.BatchNorm2d(c))
                layers.append(nn.LeakyReLU(0.2, True))
                c_in = c
        self.features = nn.Sequential(*layers)
        self.head = nn.Sequential(nn.Linear(c_in, dense), nn.LeakyReLU(0.2, True), nn.Linear(dense, 1))

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.features(x).mean((2, 3))).squeeze(1)


def upscale(G: nn.Module, low: Tensor) -> Tensor:
    """``G``'s super-resolution of ``low`` in eval mode, clamped to ``[-1, 1]`` (the caller's mode is kept)."""
    with inference(G):
        return G(low).clamp(-1, 1)
