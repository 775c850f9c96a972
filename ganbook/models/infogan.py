"""InfoGAN (Chen et al., 2016) for digits: latent codes, and a D with a Q head.

The networks follow the paper's MNIST model (fully connected layers, then
convolutions), at a width that fits a laptop. G's latent is
``z = [noise (noise_dim), one_hot(c_cat) (n_cat), c_cont (n_cont)]`` with
``noise ~ N(0, noise_std^2 I)``, ``c_cat`` uniform over ``n_cat`` classes and ``c_cont ~ U(-1, 1)``.
:class:`InfoCodes` draws such latents and splits them again; Q (a head on D's
features) predicts the codes back from the image.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ..losses import info_nll
from .dcgan import dcgan_init


@dataclass(frozen=True)
class InfoCodes:
    """The layout of an InfoGAN latent: ``noise_dim`` noise, ``n_cat`` one-hot, ``n_cont`` uniform codes.

    ``noise_std`` scales the noise (the paper: 1). A smaller scale leaves the
    one-hot code most of the latent's spread, so G's first layers separate the
    categories from the start (see chapter 8).
    """

    noise_dim: int = 62
    n_cat: int = 10
    n_cont: int = 2
    cont_weight: float = 1.0
    noise_std: float = 1.0

    @property
    def dim(self) -> int:
        return self.noise_dim + self.n_cat + self.n_cont

    def make(self, noise: Tensor, cat: Tensor, cont: Tensor) -> Tensor:
        """Assemble latents ``(n, dim)`` from noise ``(n, noise_dim)``, class indices ``(n,)`` and codes ``(n, n_cont)``."""
        return torch.cat([noise, F.one_hot(cat, self.n_cat).to(noise), cont.to(noise)], 1)

    def noise(self, n: int, rng: torch.Generator | None = None) -> Tensor:
        """``n`` noise vectors ``(n, noise_dim)`` from ``N(0, noise_std^2 I)``."""
        return torch.randn(n, self.noise_dim, generator=rng) * self.noise_std

    def cont(self, n: int, rng: torch.Generator | None = None) -> Tensor:
        """``n`` continuous codes ``(n, n_cont)`` from ``U(-1, 1)``."""
        return torch.rand(n, self.n_cont, generator=rng) * 2 - 1

    def sample(self, n: int, rng: torch.Generator) -> Tensor:
        """``n`` latents from the prior (a trainer's ``sample_latent``)."""
        noise = self.noise(n, rng)
        cat = torch.randint(self.n_cat, (n,), generator=rng)
        return self.make(noise, cat, self.cont(n, rng))

    def split(self, z: Tensor) -> tuple[Tensor, Tensor, Tensor]:
        """``z (n, dim) -> (noise (n, noise_dim), class index (n,), codes (n, n_cont))``."""
        if z.dim() != 2 or z.shape[1] != self.dim:
            raise ValueError(f"expected InfoGAN latents of shape (n, {self.dim}), got {tuple(z.shape)}")
        a, b = self.noise_dim, self.noise_dim + self.n_cat
        return z[:, :a], z[:, a:b].argmax(1), z[:, b:]

    def loss(self, z: Tensor, q: Tensor) -> Tensor:
        """:func:`ganbook.losses.info_nll` of the codes in ``z`` under Q's output ``q (n, n_cat + n_cont)``."""
        _, cat, cont = self.split(z)
        return info_nll(cat, cont, q[:, :self.n_cat], q[:, self.n_cat:], self.cont_weight)

    def cat_loss(self, z: Tensor, q: Tensor) -> Tensor:
        """The categorical term of :meth:`loss` alone: cross-entropy of the class in ``z`` under ``q``'s logits."""
        _, cat, _ = self.split(z)
        return F.cross_entropy(q[:, :self.n_cat], cat)


class InfoGANGenerator(nn.Module):
    """The paper's MNIST generator (Chen et al., 2016, appendix) at a chosen width.

    ``(n, latent_dim) -> FC fc -> FC 2w*7*7 -> (n, 2w, 7, 7) -> (n, w, 14, 14) -> (n, 1, 28, 28)``;
    batch norm and ReLU after every hidden layer, Tanh at the output. (The paper:
    fc = 1024, w = 64.)
    """

    def __init__(self, latent_dim: int, width: int = 32, fc: int = 512) -> None:
        super().__init__()
        self.latent_dim, self.width = latent_dim, width
        self.fc = nn.Sequential(
            nn.Linear(latent_dim, fc, bias=False), nn.BatchNorm1d(fc), nn.ReLU(True),
            nn.Linear(fc, 2 * width * 49, bias=False), nn.BatchNorm1d(2 * width * 49), nn.ReLU(True),
        )
        self.conv = nn.Sequential(
            nn.ConvTranspose2d(2 * width, width, 4, 2, 1, bias=False), nn.BatchNorm2d(width), nn.ReLU(True),
            nn.ConvTranspose2d(width, 1, 4, 2, 1), nn.Tanh(),
        )
        dcgan_init(self)

    def forward(self, z: Tensor) -> Tensor:
        if z.dim() != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(f"generator expects z of shape (n, {self.latent_dim}), got {tuple(z.shape)}")
        return self.conv(self.fc(z).reshape(-1, 2 * self.width, 7, 7))


class InfoGANDiscriminator(nn.Module):
    """The paper's MNIST discriminator with its Q head, at a chosen width.

    Shared body ``(n, 1, 28, 28) -> (n, w, 14, 14) -> (n, 2w, 7, 7) -> FC fc``;
    D's head is one linear layer to a logit, Q's head ``FC 128 -> n_cat + n_cont``.
    ``heads(x) -> (logits (n, 1), q (n, n_cat + n_cont))``; ``forward`` gives the logits.
    """

    def __init__(self, width: int = 32, fc: int = 512, n_cat: int = 10, n_cont: int = 2) -> None:
        super().__init__()
        self.body = nn.Sequential(
            nn.Conv2d(1, width, 4, 2, 1), nn.LeakyReLU(0.2, True),  # no batch norm at D's input
            nn.Conv2d(width, 2 * width, 4, 2, 1, bias=False), nn.BatchNorm2d(2 * width), nn.LeakyReLU(0.2, True),
            nn.Flatten(), nn.Linear(2 * width * 49, fc, bias=False), nn.BatchNorm1d(fc), nn.LeakyReLU(0.2, True),
        )
        self.head = nn.Linear(fc, 1)
        self.q = nn.Sequential(nn.Linear(fc, 128, bias=False), nn.BatchNorm1d(128), nn.LeakyReLU(0.2, True),
                               nn.Linear(128, n_cat + n_cont))
        dcgan_init(self)

    def heads(self, x: Tensor) -> tuple[Tensor, Tensor]:
        h = self.body(x)  # (n, fc), shared by both heads
        return self.head(h), self.q(h)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.body(x))
