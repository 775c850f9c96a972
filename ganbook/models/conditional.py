"""Label-conditioned DCGANs (chapter 7): G(z, y), and two ways for D to see the label.

- :class:`ConditionalGenerator`: the label's one-hot vector joins z (Mirza &
  Osindero, 2014) and sets the scale and shift of every batch norm
  (conditional batch norm), ``(n, latent_dim), (n,) -> (n, 1, 28, 28)``.
- :class:`ConcatDiscriminator`: the one-hot label as 10 constant input planes
  beside the image, ``(n, 1 + 10, 28, 28)`` into chapter 5's D.
- :class:`ProjectionDiscriminator` (Miyato & Koyama, 2018): the label enters
  only at the end, as an inner product with D's pooled features,
  ``logit = psi(phi(x)) + embed(y) . sum_hw phi(x)``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .dcgan import DCGANDiscriminator, dcgan_init


def check_labels(y: Tensor | None, n_classes: int, n: int, soft: bool = False) -> None:
    """A one-line error unless ``y`` holds ``n`` class indices below ``n_classes`` (or, with ``soft``, ``n`` rows
    of class weights)."""
    if y is None:
        raise ValueError(f"this network is class-conditional: give it the classes, {n} labels of shape ({n},)")
    if soft and y.dim() == 2:  # (n, n_classes) class weights, e.g. 0.5 e_3 + 0.5 e_8 (chapter 7, exercise 4)
        if tuple(y.shape) != (n, n_classes) or not y.is_floating_point():
            raise ValueError(f"soft labels must be floats of shape ({n}, {n_classes}), got {tuple(y.shape)} {y.dtype}")
        if bool((y < 0).any()) or not torch.allclose(y.sum(1), torch.ones(n, device=y.device)):
            raise ValueError("soft labels must be non-negative and sum to 1 in every row")
        return
    if y.dim() != 1 or y.shape[0] != n:
        raise ValueError(f"expected {n} labels of shape ({n},), got {tuple(y.shape)}")
    if y.dtype != torch.long:
        raise ValueError(f"labels index the classes, so they are torch.long, got {y.dtype}")
    if y.numel() and (int(y.min()) < 0 or int(y.max()) >= n_classes):
        raise ValueError(f"labels must lie in 0..{n_classes - 1} ({n_classes} classes), got {int(y.min())}..{int(y.max())}")


class ConditionalBatchNorm2d(nn.Module):
    """Batch norm whose scale and shift are looked up per class (de Vries et al., 2017; Miyato & Koyama, 2018)."""

    def __init__(self, channels: int, n_classes: int) -> None:
        super().__init__()
        self.norm = nn.BatchNorm2d(channels, affine=False)
        self.gain = nn.Embedding(n_classes, channels)
        self.bias = nn.Embedding(n_classes, channels)
        nn.init.ones_(self.gain.weight)
        nn.init.zeros_(self.bias.weight)

    def scale_shift(self, y: Tensor) -> tuple[Tensor, Tensor]:
        """Per-sample scale and shift ``(n, channels)`` for labels ``(n,)`` or class weights ``(n, n_classes)``."""
        if y.dim() == 2:  # a mixture of classes mixes their scales and shifts
            return y @ self.gain.weight, y @ self.bias.weight
        return self.gain(y), self.bias(y)

    def forward(self, x: Tensor, y: Tensor) -> Tensor:  # (n, c, h, w), (n,) -> (n, c, h, w)
        gain, bias = self.scale_shift(y)
        return self.norm(x) * gain[:, :, None, None] + bias[:, :, None, None]


class ConditionalGenerator(nn.Module):
    """Chapter 5's DCGAN generator with the label in two places: ``[z, one_hot(y)]`` as input,
    and class-conditional batch norm after each hidden layer.

    ``(n, latent_dim), (n,) -> (n, 1, 28, 28)``; the layers match :class:`DCGANGenerator`.
    ``y`` may also be class weights ``(n, n_classes)`` (rows summing to 1): they
    replace the one-hot vector and mix the classes' batch-norm scales and shifts.
    """

    def __init__(self, latent_dim: int = 100, n_classes: int = 10, width: int = 16) -> None:
        super().__init__()
        self.latent_dim, self.n_classes = latent_dim, n_classes
        self.project = nn.ConvTranspose2d(latent_dim + n_classes, 4 * width, 7, 1, 0, bias=False)  # -> 7x7
        self.norm1 = ConditionalBatchNorm2d(4 * width, n_classes)
        self.up = nn.ConvTranspose2d(4 * width, 2 * width, 4, 2, 1, bias=False)  # -> 14x14
        self.norm2 = ConditionalBatchNorm2d(2 * width, n_classes)
        self.out = nn.ConvTranspose2d(2 * width, 1, 4, 2, 1)  # -> 28x28
        dcgan_init(self)
        for m in (self.norm1, self.norm2):
            nn.init.ones_(m.gain.weight)
            nn.init.zeros_(m.bias.weight)

    def forward(self, z: Tensor, y: Tensor) -> Tensor:
        check_labels(y, self.n_classes, z.shape[0], soft=True)
        code = y.to(z) if y.dim() == 2 else F.one_hot(y, self.n_classes).to(z)
        h = self.project(torch.cat([z, code], 1)[:, :, None, None])
        h = F.relu(self.norm1(h, y))
        h = F.relu(self.norm2(self.up(h), y))
        return torch.tanh(self.out(h))


class ConcatDiscriminator(DCGANDiscriminator):
    """Chapter 5's D on the image stacked with ``n_classes`` planes holding the one-hot label."""

    def __init__(self, width: int = 16, n_classes: int = 10) -> None:
        super().__init__(width, channels=1 + n_classes)
        self.n_classes = n_classes

    def forward(self, x: Tensor, y: Tensor) -> Tensor:  # (n, 1, 28, 28), (n,) -> (n, 1)
        check_labels(y, self.n_classes, x.shape[0])
        planes = F.one_hot(y, self.n_classes).to(x)[:, :, None, None].expand(-1, -1, *x.shape[2:])
        return super().forward(torch.cat([x, planes], 1))


class ProjectionDiscriminator(DCGANDiscriminator):
    """Chapter 5's D plus a class embedding projected onto its pooled last features."""

    def __init__(self, width: int = 16, n_classes: int = 10) -> None:
        super().__init__(width)
        self.n_classes = n_classes
        self.embed = nn.Embedding(n_classes, 2 * width)  # one 2w-vector per class
        dcgan_init(self.embed)

    def forward(self, x: Tensor, y: Tensor) -> Tensor:  # (n, 1, 28, 28), (n,) -> (n, 1)
        check_labels(y, self.n_classes, x.shape[0])
        h = self.body(x)  # (n, 2w, 7, 7)
        pooled = h.sum((2, 3))  # (n, 2w)
        return self.head(h).flatten(1) + (self.embed(y) * pooled).sum(1, keepdim=True)
