"""Chapter 9: LAPGAN on mnist5k, three levels (7x7 -> 14x14 -> 28x28), each its own GAN.

As in the paper, the levels are trained independently on the Laplacian
pyramids of real digits: level k learns the band ``h_k`` given the real coarser
image. Sampling chains them: ``I_2 = G_2(z)``, then ``I_k = up(I_{k+1}) + G_k(z_k, up(I_{k+1}))``.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import torch
from torch import Tensor, nn

from .. import profiles
from ..data import mnist5k
from ..models import MLPDiscriminator, MLPGenerator
from ..models.lapgan import BandDiscriminator, BandGenerator
from ..pyramid import laplacian_pyramid, up
from ..train import Trainer
from . import digits

LEVELS = 3  # 28 -> 14 -> 7


@dataclass(frozen=True)
class LAPGANConfig:
    coarse_steps: int = 2000
    band_steps: int = 1500
    batch_size: int = 64
    coarse_latent: int = 32
    width: int = 32
    lr: float = 5e-4
    betas: tuple[float, float] = (0.5, 0.999)
    seed: int = 0
    eval_samples: int = 1000

    @classmethod
    def for_profile(cls, profile: str | None = None, **changes: Any) -> "LAPGANConfig":
        base = profiles.choose(profile, smoke=cls(coarse_steps=60, band_steps=30, width=8, eval_samples=300),
                               cpu=cls(), gpu=cls(coarse_steps=10000, band_steps=10000, width=64, lr=2e-4))
        return replace(base, **changes)


@dataclass(frozen=True)
class BandSet:
    """Pairs ``(band h_k, condition up(I_{k+1}))`` of real digits, drawn by index."""

    bands: Tensor  # (N, 1, s, s)
    conditions: Tensor  # (N, 1, s, s)

    def sample(self, n: int, rng: torch.Generator) -> tuple[Tensor, Tensor]:
        idx = torch.randint(len(self.bands), (n,), generator=rng)
        return self.bands[idx], self.conditions[idx]


def level_data(images: Tensor) -> list[Any]:
    """Per level, what its GAN learns: ``[BandSet at 28, BandSet at 14, coarse 7x7 images]``."""
    pyramid = laplacian_pyramid(images, LEVELS)
    coarse = pyramid[-1]
    middle = up(coarse) + pyramid[1]  # the real 14x14 image I_1
    return [BandSet(pyramid[0], up(middle)), BandSet(pyramid[1], up(coarse)), coarse]


def _trainer(G: nn.Module, D: nn.Module, source: Any, config: LAPGANConfig, level: int,
             device: torch.device | str) -> Trainer:
    return Trainer(G, D, sample_real=source,
                   opt_g=torch.optim.Adam(G.parameters(), lr=config.lr, betas=config.betas),
                   opt_d=torch.optim.Adam(D.parameters(), lr=config.lr, betas=config.betas),
                   batch_size=config.batch_size, seed=config.seed + level, device=device)


def build(config: LAPGANConfig, device: torch.device | str = "cpu") -> list[Trainer]:
    """One trainer per level, finest first: ``[28x28 band, 14x14 band, 7x7 coarse]``."""
    torch.manual_seed(config.seed)
    data = level_data(mnist5k("train").images)
    coarse = data[2].to(device)
    trainers = [_trainer(BandGenerator(s, config.width), BandDiscriminator(s, config.width),
                         BandSet(d.bands.to(device), d.conditions.to(device)).sample, config, k, device)
                for k, (s, d) in enumerate(zip((28, 14), data[:2]))]
    G = MLPGenerator(config.coarse_latent, 49, (256, 256), out_activation=nn.Tanh, out_shape=(1, 7, 7))
    D = MLPDiscriminator(49, (256, 256))
    sample = lambda n, rng: coarse[torch.randint(len(coarse), (n,), generator=rng)]  # noqa: E731
    return trainers + [_trainer(G, D, sample, config, 2, device)]


def train(config: LAPGANConfig, progress: bool = True, device: torch.device | str = "cpu") -> list[Trainer]:
    """Build and train the three levels, coarsest first (each independently, on real pyramids)."""
    trainers = build(config, device)
    for trainer, steps in zip(reversed(trainers), (config.coarse_steps, config.band_steps, config.band_steps)):
        trainer.fit(steps, progress=progress)
    return trainers


@torch.no_grad()
def sample(trainers: list[Trainer], n: int, seed: int = 1234) -> list[Tensor]:
    """Generate coarse to fine; returns ``[7x7, 14x14, 28x28]`` images (the last clamped to [-1, 1])."""
    images = [trainers[2].generate(n, seed=seed)]
    for k, trainer in zip((1, 0), (trainers[1], trainers[0])):
        c = up(images[-1])
        images.append(c + trainer.generate(n, seed=seed + 10 + k, condition=c))
    images[-1] = images[-1].clamp(-1, 1)
    return images


def evaluate(trainers: list[Trainer], config: LAPGANConfig) -> dict[str, float]:
    """Chapter 6's measures of the final 28x28 samples."""
    return digits.measure(sample(trainers, config.eval_samples)[-1])


Config = LAPGANConfig
