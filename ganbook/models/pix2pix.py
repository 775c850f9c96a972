"""pix2pix's networks at 32 pixels: a U-Net generator and a PatchGAN discriminator (Isola et al., 2017).

:class:`UNetGenerator` maps a one-hot label map ``(n, 5, 32, 32)`` to a scene
``(n, 3, 32, 32)``: five 4x4 stride-2 convolutions down to 1x1, five transposed
ones back up, and (with ``skips``) each encoder map concatenated onto the decoder
map of the same size, so detail that the bottleneck cannot carry crosses over
directly. ``skips=False`` is the paper's encoder-decoder. ``stem=True`` adds a
level at full resolution (a 3x3 convolution before the encoder, and one after
the decoder that also reads the stem's features), so that a 32-pixel map's
edges reach the output without passing through a stride-2 layer. Its only noise is
dropout on the three innermost decoder layers, kept on when translating (the
paper's test-time dropout; :func:`translate` seeds it).

:class:`PatchDiscriminator` scores every patch of its input: ``downs`` 4x4
stride-2 convolutions then a 1x1 convolution to one logit per position, so
each logit sees a ``receptive_field`` of ``1 + 3 (2^downs - 1)`` pixels square
(1 with ``downs=0``: the paper's PixelGAN of 1x1 convolutions); ``whole=True``
adds a 4x4 convolution over the last 4x4 map, one logit that sees the whole
image (the paper's ImageGAN).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn


def _down(c_in: int, c_out: int, norm: bool) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, 4, 2, 1, bias=not norm),
                         nn.BatchNorm2d(c_out) if norm else nn.Identity())


def _up(c_in: int, c_out: int, norm: bool) -> nn.Sequential:
    return nn.Sequential(nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=not norm),
                         nn.BatchNorm2d(c_out) if norm else nn.Identity())


class UNetGenerator(nn.Module):
    """``(n, in_channels, 32, 32)`` -> ``(n, out_channels, 32, 32)`` in [-1, 1]."""

    def __init__(self, in_channels: int = 5, out_channels: int = 3, width: int = 32, depth: int = 5,
                 skips: bool = True, dropout: float = 0.5, max_width: int | None = None, stem: bool = False) -> None:
        super().__init__()
        # the encoder's outputs, outermost first
        chans = [min(width * 2 ** i, max_width or 8 * width) for i in range(depth)]
        self.depth, self.skips, self.dropout = depth, skips, dropout
        self.stem = nn.Conv2d(in_channels, width, 3, 1, 1) if stem else None
        # no batch norm on the outermost and innermost layers, as the paper's code
        self.down = nn.ModuleList(_down(chans[i - 1] if i else (width if stem else in_channels), c, 0 < i < depth - 1)
                                  for i, c in enumerate(chans))
        self.up = nn.ModuleList(  # innermost first; each doubles the size, reading the encoder's map of its size
            _up(chans[i] * (2 if skips and i < depth - 1 else 1),
                chans[i - 1] if i else (width if stem else out_channels), i > 0) for i in reversed(range(depth)))
        self.head = nn.Conv2d(2 * width if skips else width, out_channels, 3, 1, 1) if stem else None

    def forward(self, maps: Tensor) -> Tensor:
        if maps.dim() != 4 or maps.shape[-1] != 2 ** self.depth or maps.shape[-2] != maps.shape[-1]:
            raise ValueError(f"UNetGenerator({self.depth} levels) expects (n, C, {2 ** self.depth}, "
                             f"{2 ** self.depth}) maps, got {tuple(maps.shape)}")
        h = outer = self.stem(maps) if self.stem is not None else maps
        skips = []
        for i, block in enumerate(self.down):
            h = block(h if i == 0 and self.stem is None else F.leaky_relu(h, 0.2))
            skips.append(h)
        for k, block in enumerate(self.up):
            if k > 0 and self.skips:
                h = torch.cat([h, skips[-1 - k]], 1)
            h = block(F.relu(h))
            if k < min(3, self.depth - 1) and self.dropout:
                h = F.dropout(h, self.dropout, training=True)  # noise at training and translating time
        if self.head is not None:
            h = self.head(F.relu(torch.cat([h, outer], 1) if self.skips else h))
        return torch.tanh(h)


class PatchDiscriminator(nn.Module):
    """One logit per patch: ``(n, in_channels, 32, 32)`` -> ``(n, 1, h, w)``."""

    def __init__(self, in_channels: int, width: int = 32, downs: int = 2, whole: bool = False) -> None:
        super().__init__()
        if whole and downs != 3:
            raise ValueError("whole=True needs downs=3: an ImageGAN's last 4x4 convolution reads a 4x4 map")
        layers: list[nn.Module] = []
        c_in = in_channels
        if downs == 0:  # PixelGAN: 1x1 convolutions only
            layers += [nn.Conv2d(c_in, width, 1), nn.LeakyReLU(0.2),
                       nn.Conv2d(width, 2 * width, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2)]
            c_in = 2 * width
        for i in range(downs):
            c = width * 2 ** i
            layers += [nn.Conv2d(c_in, c, 4, 2, 1, bias=i == 0)]
            layers += [nn.BatchNorm2d(c)] if i > 0 else []
            layers += [nn.LeakyReLU(0.2)]
            c_in = c
        layers.append(nn.Conv2d(c_in, 1, 4 if whole else 1))
        self.net = nn.Sequential(*layers)
        self.receptive_field = receptive_field(self.net)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x)


def receptive_field(net: nn.Module) -> int:
    """The side in pixels of the input square one output of ``net``'s convolutions sees:
    ``1 + sum_i (k_i - 1) * prod_{j < i} s_j`` over its convolutions in order."""
    side, jump = 1, 1
    for m in net.modules():
        if isinstance(m, nn.Conv2d):
            side += (m.kernel_size[0] - 1) * jump
            jump *= m.stride[0]
    return side


def translate(G: nn.Module, maps: Tensor, seed: int = 0) -> Tensor:
    """``G`` on the one-hot of class ``maps`` ``(n, 32, 32)``, its test-time dropout drawn from ``seed``
    (without touching the caller's random stream)."""
    with torch.random.fork_rng(devices=[]):
        torch.manual_seed(seed)
        return G(one_hot(maps))


def one_hot(maps: Tensor, classes: int = 5) -> Tensor:
    """Class maps ``(n, H, W)`` (any integer type) as ``(n, classes, H, W)`` float planes of 0 and 1."""
    return F.one_hot(maps.long(), classes).permute(0, 3, 1, 2).float()
