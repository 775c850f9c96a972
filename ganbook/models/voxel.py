"""3D-GAN's networks (Wu et al., 2016) at 32 voxels a side, and chapter 20's 3-D classifier.

- :class:`VoxelGenerator`: ``z (n, z_dim) -> (n, 1, 32, 32, 32)`` occupancy in
  ``[0, 1]``: volumetric transposed convolutions of kernel 4 and stride 2
  (the first maps ``z`` to a ``4^3`` grid), batch norm and ReLU between them,
  a sigmoid at the end. The paper's has five layers, 512-256-128-64-1
  channels, to 64 voxels; ours has four, ``4w-2w-w-1``, to 32.
- :class:`VoxelDiscriminator`: the mirror image, strided 3-D convolutions with
  batch norm and leaky ReLU (0.2), to one logit. :meth:`~VoxelDiscriminator.features`
  concatenates its hidden layers' responses, each max-pooled to ``2^3``
  cells, as the paper does before training a linear classifier on them.
- :class:`VoxelClassifier`: a small 3-D CNN that names a grid's primitive
  (the instrument that reads generated shapes; :mod:`ganbook.metrics.instruments.voxel_classifier`).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from .conditional import check_labels


def _check(x: Tensor, size: int = 32) -> None:
    if x.dim() != 5 or x.shape[1] != 1 or tuple(x.shape[2:]) != (size,) * 3:
        raise ValueError(f"expected voxel grids of shape (n, 1, {size}, {size}, {size}), got {tuple(x.shape)}")


class VoxelGenerator(nn.Module):
    """``(n, z_dim) -> (n, 1, 32, 32, 32)`` in ``[0, 1]``; channels ``4 width, 2 width, width, 1``.

    With ``n_classes`` it is class-conditional, ``G(z, c)``: the class, one-hot, joins ``z`` at the input
    (one network for the classes the paper gave a network each)."""

    def __init__(self, z_dim: int = 200, width: int = 32, n_classes: int = 0) -> None:
        super().__init__()
        self.latent_dim, self.n_classes = z_dim, n_classes
        layers: list[nn.Module] = []
        channels = [z_dim + n_classes, 4 * width, 2 * width, width]
        for i, (c_in, c_out) in enumerate(zip(channels, channels[1:])):
            layers += [nn.ConvTranspose3d(c_in, c_out, 4, 1 if i == 0 else 2, 0 if i == 0 else 1, bias=False),
                       nn.BatchNorm3d(c_out), nn.ReLU(True)]
        layers += [nn.ConvTranspose3d(width, 1, 4, 2, 1), nn.Sigmoid()]
        self.net = nn.Sequential(*layers)

    def forward(self, z: Tensor, c: Tensor | None = None) -> Tensor:
        if self.n_classes:
            check_labels(c, self.n_classes, len(z))
            z = torch.cat([z, F.one_hot(c, self.n_classes).to(z)], 1)
        return self.net(z[:, :, None, None, None])


class VoxelDiscriminator(nn.Module):
    """``(n, 1, 32, 32, 32) -> (n,)`` logits: 32 -> 16 -> 8 -> 4 voxels with ``width, 2 width, 4 width``
    channels, then a 4x4x4 convolution to one logit.

    With ``n_classes``, ``D(x, c)`` adds a projection term (Miyato and Koyama's): the class's embedding
    dotted with the last block's summed features. ``batch_norm=False`` drops its batch norms (a critic
    under a gradient penalty must score each shape on its own, not against the rest of its batch)."""

    def __init__(self, width: int = 32, n_classes: int = 0, batch_norm: bool = True) -> None:
        super().__init__()
        self.n_classes = n_classes
        self.embed = nn.Embedding(n_classes, 4 * width) if n_classes else None

        def norm(c: int) -> nn.Module:
            return nn.BatchNorm3d(c) if batch_norm else nn.Identity()

        self.blocks = nn.ModuleList([
            nn.Sequential(nn.Conv3d(1, width, 4, 2, 1), nn.LeakyReLU(0.2, True)),
            nn.Sequential(nn.Conv3d(width, 2 * width, 4, 2, 1, bias=not batch_norm), norm(2 * width),
                          nn.LeakyReLU(0.2, True)),
            nn.Sequential(nn.Conv3d(2 * width, 4 * width, 4, 2, 1, bias=not batch_norm), norm(4 * width),
                          nn.LeakyReLU(0.2, True)),
        ])
        self.head = nn.Conv3d(4 * width, 1, 4, 1, 0)

    def forward(self, x: Tensor, c: Tensor | None = None) -> Tensor:
        _check(x)
        for block in self.blocks:
            x = block(x)
        out = self.head(x).flatten()
        if self.embed is not None:
            check_labels(c, self.n_classes, len(x))
            out = out + (self.embed(c) * x.sum((2, 3, 4))).sum(1)
        return out

    @torch.no_grad()
    def features(self, x: Tensor) -> Tensor:
        """Every hidden layer's response max-pooled to ``2 x 2 x 2`` cells and concatenated:
        ``(n, 8 (width + 2 width + 4 width))``, the paper's representation for a linear classifier."""
        _check(x)
        out = []
        for block in self.blocks:
            x = block(x)
            out.append(F.adaptive_max_pool3d(x, 2).flatten(1))
        return torch.cat(out, 1)


class VoxelClassifier(nn.Module):
    """``(n, 1, 32, 32, 32)`` occupancy -> ``(n, n_classes)`` logits: three blocks of a 3x3x3 convolution,
    batch norm, ReLU and 2x max-pooling (``width, 2 width, 4 width`` channels) down to ``4^3`` cells, then one
    linear layer on all of them (where the edges and corners are, which a global average would lose)."""

    def __init__(self, n_classes: int = 5, width: int = 8) -> None:
        super().__init__()
        layers: list[nn.Module] = []
        c_in = 1
        for c in (width, 2 * width, 4 * width):
            layers += [nn.Conv3d(c_in, c, 3, padding=1, bias=False), nn.BatchNorm3d(c), nn.ReLU(True),
                       nn.MaxPool3d(2)]
            c_in = c
        self.features = nn.Sequential(*layers)
        self.head = nn.Linear(c_in * 4 ** 3, n_classes)

    def forward(self, x: Tensor) -> Tensor:
        _check(x)
        return self.head(self.features(x).flatten(1))
