"""A small style-based generator (Karras et al., 2019; 2020) for 32-pixel scenes.

- :class:`MappingNetwork`: an MLP from ``z`` to the intermediate latent ``w``.
- :class:`AdaIN` (StyleGAN): normalise each feature map of each sample, then
  scale and shift it by the style ``A(w)``.
- :class:`ModulatedConv2d` (StyleGAN2): scale the convolution's input channels
  by the style instead (``w'_ijk = s_i w_ijk``), then *demodulate*: divide each
  output channel's weights by ``sqrt(sum_ik w'^2_ijk)``, so unit-variance inputs
  give unit-variance outputs whatever the style's size, without normalising
  the activations themselves.
- :class:`NoiseInput`: a per-channel learned multiple of fresh Gaussian noise
  after each convolution, for detail that no style should have to encode.

:class:`StyleGenerator` runs a constant 4x4 input through one modulated
convolution at 4 pixels and two at each of 8, 16 and 32, each with its own
``w`` (``num_ws = 7``: 0-2 coarse (4-8 px), 3-4 middle (16 px), 5-6 fine (32 px)),
and sums each resolution's RGB (StyleGAN2's skip generator).
Shapes: ``z (n, latent_dim) -> w (n, w_dim) -> ws (n, num_ws, w_dim) -> (n, 3, 32, 32)``.
"""

from __future__ import annotations

import math
from contextlib import contextmanager
from typing import Iterator

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .progan import EqualizedLinear, PixelNorm, widths


class MappingNetwork(nn.Module):
    """``z (n, latent_dim) -> w (n, w_dim)``: pixel norm, then ``layers`` leaky-ReLU linear layers."""

    def __init__(self, latent_dim: int = 64, w_dim: int = 64, layers: int = 4) -> None:
        super().__init__()
        dims = [latent_dim] + [w_dim] * layers
        self.norm = PixelNorm()
        self.layers = nn.ModuleList(EqualizedLinear(a, b) for a, b in zip(dims, dims[1:]))

    def forward(self, z: Tensor) -> Tensor:
        h = self.norm(z)
        for layer in self.layers:
            h = F.leaky_relu(layer(h), 0.2)
        return h


class AdaIN(nn.Module):
    """StyleGAN's adaptive instance norm: ``(1 + scale(w)) * (x - mean) / std + shift(w)``, per sample and channel."""

    def __init__(self, channels: int, w_dim: int) -> None:
        super().__init__()
        self.style = EqualizedLinear(w_dim, 2 * channels, gain=1.0)

    def forward(self, x: Tensor, w: Tensor) -> Tensor:  # (n, C, H, W), (n, w_dim)
        scale, shift = self.style(w)[:, :, None, None].chunk(2, 1)
        return (1 + scale) * F.instance_norm(x, eps=1e-8) + shift


class ModulatedConv2d(nn.Module):
    """StyleGAN2's convolution whose weights are modulated by the style ``s = A(w)`` (bias 1) per sample,
    then demodulated (unless ``demodulate=False``). ``(n, c_in, H, W), (n, w_dim) -> (n, c_out, H, W)``."""

    def __init__(self, c_in: int, c_out: int, kernel: int, w_dim: int, demodulate: bool = True) -> None:
        super().__init__()
        self.weight = nn.Parameter(torch.randn(c_out, c_in, kernel, kernel))
        self.scale = 1 / math.sqrt(c_in * kernel * kernel)
        self.affine = EqualizedLinear(w_dim, c_in, gain=1.0)
        nn.init.ones_(self.affine.bias)  # styles start at 1: the plain convolution
        self.demodulate = demodulate

    def modulated_weight(self, w: Tensor) -> Tensor:
        """The per-sample weights ``(n, c_out, c_in, k, k)``."""
        s = self.affine(w)  # (n, c_in)
        weight = self.weight[None] * self.scale * s[:, None, :, None, None]
        if self.demodulate:  # each output channel's sum over inputs and kernel
            norm = weight.pow(2).sum((2, 3, 4), keepdim=True)
            weight = weight * torch.rsqrt(norm + 1e-8)
        return weight

    def forward(self, x: Tensor, w: Tensor) -> Tensor:
        """The convolution with :meth:`modulated_weight`, as StyleGAN2 computes it
        unfused: scale the inputs by ``s``, convolve with the shared weights, scale
        each output channel by its demodulation factor (one batched convolution)."""
        s = self.affine(w)  # (n, c_in)
        weight = self.weight * self.scale
        out = F.conv2d(x * s[:, :, None, None], weight, padding=weight.shape[-1] // 2)
        if self.demodulate:  # 1 / sqrt(sum_ik (s_i w_ijk)^2), per sample and channel j
            energy = s.pow(2) @ weight.pow(2).sum((2, 3)).T  # (n, c_out)
            out = out * torch.rsqrt(energy + 1e-8)[:, :, None, None]
        return out


class NoiseInput(nn.Module):
    """Add ``strength * N(0, 1)`` noise, one map per sample shared by the channels, each channel its strength."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.strength = nn.Parameter(torch.zeros(channels))
        self.enabled = True

    def forward(self, x: Tensor) -> Tensor:
        if not self.enabled:
            return x
        noise = torch.randn(x.shape[0], 1, *x.shape[2:], device=x.device, dtype=x.dtype)
        return x + self.strength[None, :, None, None] * noise


class StyleLayer(nn.Module):
    """Modulated 3x3 convolution, noise, bias and leaky ReLU."""

    def __init__(self, c_in: int, c_out: int, w_dim: int) -> None:
        super().__init__()
        self.conv = ModulatedConv2d(c_in, c_out, 3, w_dim)
        self.noise = NoiseInput(c_out)
        self.bias = nn.Parameter(torch.zeros(c_out))

    def forward(self, x: Tensor, w: Tensor) -> Tensor:
        return F.leaky_relu(self.noise(self.conv(x, w)) + self.bias[None, :, None, None], 0.2)


def upsample(x: Tensor) -> Tensor:
    """Double the height and width of ``x`` ``(n, C, H, W)``, bilinearly."""
    return F.interpolate(x, scale_factor=2, mode="bilinear", align_corners=False)


class StyleGenerator(nn.Module):
    """Mapping network and synthesis network; ``forward(z)`` uses one ``w`` for every layer.

    ``width`` channels at 32 pixels, more at coarser resolutions up to ``max_width`` (chapter 14's
    :func:`~ganbook.models.progan.widths`; without it, ``width`` everywhere)."""

    RESOLUTIONS = (4, 8, 16, 32)
    COARSE, MIDDLE, FINE = range(0, 3), range(3, 5), range(5, 7)

    def __init__(self, latent_dim: int = 64, w_dim: int = 64, width: int = 32, mapping_layers: int = 4,
                 max_width: int | None = None) -> None:
        super().__init__()
        self.latent_dim, self.w_dim = latent_dim, w_dim
        self.mapping = MappingNetwork(latent_dim, w_dim, mapping_layers)
        c = widths(width, max_width)  # c[r]: channels at RESOLUTIONS[r]
        self.const = nn.Parameter(torch.randn(1, c[0], 4, 4))
        self.layers = nn.ModuleList([StyleLayer(c[0], c[0], w_dim)] + [
            StyleLayer(c[r - 1] if second == 0 else c[r], c[r], w_dim)
            for r in range(1, len(self.RESOLUTIONS)) for second in (0, 1)])
        self.to_rgb = nn.ModuleList(ModulatedConv2d(c[r], 3, 1, w_dim, demodulate=False)
                                    for r in range(len(self.RESOLUTIONS)))
        self.num_ws = len(self.layers)
        self.register_buffer("w_avg", torch.zeros(w_dim))  # running mean of w, for truncation

    def synthesis(self, ws: Tensor) -> Tensor:
        """``ws (n, num_ws, w_dim) -> (n, 3, 32, 32)``: layer ``i`` reads ``ws[:, i]``,
        each toRGB the ``w`` of its resolution's last layer."""
        if ws.dim() != 3 or ws.shape[1] != self.num_ws:
            raise ValueError(f"synthesis expects ws of shape (n, {self.num_ws}, "
                             f"{self.w_dim}), got {tuple(ws.shape)}")
        h = self.layers[0](self.const.expand(len(ws), -1, -1, -1), ws[:, 0])
        rgb = self.to_rgb[0](h, ws[:, 0])
        for r in range(1, len(self.RESOLUTIONS)):
            first, last = 2 * r - 1, 2 * r  # the two layers at this resolution
            h = self.layers[first](upsample(h), ws[:, first])
            h = self.layers[last](h, ws[:, last])
            rgb = upsample(rgb) + self.to_rgb[r](h, ws[:, last])
        return rgb

    def broadcast(self, w: Tensor) -> Tensor:
        """``w (n, w_dim)`` -> the same ``w`` for every layer, ``ws (n, num_ws, w_dim)``."""
        return w[:, None].expand(-1, self.num_ws, -1)

    def styles(self, z: Tensor) -> Tensor:
        """``z (n, latent_dim)`` -> the same ``w`` for every layer ``(n, num_ws, w_dim)``."""
        return self.broadcast(self.mapping(z))

    def resolution(self, layer: int) -> int:
        """The pixel size layer ``layer`` works at (one layer at 4 pixels, then two per size)."""
        return self.RESOLUTIONS[(layer + 1) // 2]

    def forward(self, z: Tensor) -> Tensor:
        return self.synthesis(self.styles(z))


def mix_styles(w1: Tensor, w2: Tensor, cut: Tensor, num_ws: int) -> Tensor:
    """Style mixing: layers below ``cut[i]`` read ``w1[i]``, the rest ``w2[i]``.
    ``w1``, ``w2`` ``(n, w_dim)``, ``cut`` ``(n,)`` ints in [0, num_ws] -> ``(n, num_ws, w_dim)``."""
    second = torch.arange(num_ws, device=w1.device)[None, :] >= cut[:, None]
    return torch.where(second[..., None], w2[:, None], w1[:, None])


def truncate(ws: Tensor, w_avg: Tensor, psi: float, layers: range | None = None) -> Tensor:
    """``w_avg + psi (w - w_avg)`` on the given layers of ``ws`` ``(n, num_ws, w_dim)`` (all if None)."""
    out = ws.clone()
    chosen = slice(None) if layers is None else slice(layers.start, layers.stop)
    out[:, chosen] = w_avg + psi * (ws[:, chosen] - w_avg)
    return out


@contextmanager
def without_noise(G: StyleGenerator) -> Iterator[StyleGenerator]:
    """Switch G's noise inputs off inside the block (deterministic images: path lengths, projection)."""
    inputs = [m for m in G.modules() if isinstance(m, NoiseInput)]
    before = [m.enabled for m in inputs]
    for m in inputs:
        m.enabled = False
    try:
        yield G
    finally:
        for m, was in zip(inputs, before):
            m.enabled = was
