"""PacGAN (Lin et al., 2018): a discriminator that judges m samples at once, and the paper's 2-D networks.

Packing changes nothing in D but its input: m samples, all real or all
generated, are concatenated (along features, or along channels for images) and
D gives the *pack* one score. A generator that puts all its mass on a few modes
makes packs whose samples are too often alike, which a packed D learns to see.
The 2-D networks are those of PacGAN's toy experiments (their code's
``pacgan_task.py``): G has four hidden layers of 400 units with batch norm and
ReLU and no biases before its output; D has three maxout layers (200 units, 5
pieces each) and a linear output; every weight starts from N(0, 0.02).
"""

from __future__ import annotations

from torch import Tensor, nn


class Packed(nn.Module):
    """Score packs of ``m`` samples: ``(N, C, ...)`` -> ``D((N/m, m*C, ...))``, one score per pack ``(N/m,)``.

    Consecutive samples form a pack, so a batch of N real (or N generated)
    samples gives N/m packs; N must be a multiple of m.
    """

    def __init__(self, D: nn.Module, m: int) -> None:
        super().__init__()
        if m < 1:
            raise ValueError(f"packing degree must be at least 1, got {m}")
        self.D, self.m = D, m

    def forward(self, x: Tensor) -> Tensor:
        n = x.shape[0]
        if n % self.m:
            raise ValueError(f"a batch of {n} samples does not split into packs of {self.m}: "
                             f"use a batch size that is a multiple of {self.m}")
        return self.D(x.reshape(n // self.m, self.m * x.shape[1], *x.shape[2:]))


class Maxout(nn.Module):
    """Linear map to ``out_features * pieces`` units, then the maximum over each unit's ``pieces``: ``(N, out)``."""

    def __init__(self, in_features: int, out_features: int, pieces: int = 5) -> None:
        super().__init__()
        self.out_features, self.pieces = out_features, pieces
        self.linear = nn.Linear(in_features, out_features * pieces)

    def forward(self, x: Tensor) -> Tensor:
        return self.linear(x).reshape(x.shape[0], self.out_features, self.pieces).amax(-1)


class MaxoutDiscriminator(nn.Module):
    """PacGAN's toy D: ``(N, in_dim)`` -> three maxout layers of ``hidden`` -> one logit per sample ``(N,)``."""

    def __init__(self, in_dim: int = 2, hidden: int = 200, pieces: int = 5, layers: int = 3) -> None:
        super().__init__()
        self.in_dim = in_dim
        sizes = [in_dim] + [hidden] * layers
        self.body = nn.Sequential(*(Maxout(a, b, pieces) for a, b in zip(sizes[:-1], sizes[1:])))
        self.out = nn.Linear(hidden, 1)
        normal_init(self)

    def forward(self, x: Tensor) -> Tensor:
        if x.dim() != 2 or x.shape[1] != self.in_dim:
            raise ValueError(f"discriminator expects (N, {self.in_dim}), got {tuple(x.shape)}")
        return self.out(self.body(x)).squeeze(1)


class BatchNormMLPGenerator(nn.Module):
    """PacGAN's toy G: ``z`` ``(N, latent_dim)`` -> ``layers`` x (linear without bias, batch norm, ReLU) -> ``(N, out_dim)``."""

    def __init__(self, latent_dim: int = 2, out_dim: int = 2, hidden: int = 400, layers: int = 4) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        blocks: list[nn.Module] = []
        for n_in in [latent_dim] + [hidden] * (layers - 1):
            blocks += [nn.Linear(n_in, hidden, bias=False), nn.BatchNorm1d(hidden), nn.ReLU()]
        self.net = nn.Sequential(*blocks, nn.Linear(hidden, out_dim))
        normal_init(self)

    def forward(self, z: Tensor) -> Tensor:
        if z.dim() != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"generator expects z of shape (N, {self.latent_dim}), got {tuple(z.shape)}")
        return self.net(z)


def normal_init(module: nn.Module, std: float = 0.02) -> None:
    """Every linear weight from N(0, ``std``), every bias 0 (batch norm keeps scale 1 and shift 0)."""
    for m in module.modules():
        if isinstance(m, nn.Linear):
            nn.init.normal_(m.weight, 0.0, std)
            if m.bias is not None:
                nn.init.zeros_(m.bias)
