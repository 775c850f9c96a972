"""Chapter 9: LAPGAN on mnist5k, three levels (7x7 -> 14x14 -> 28x28), each its own GAN.

As in the paper, the levels are trained independently on the Laplacian
pyramids of real digits: level k learns the band ``h_k`` given the real coarser
image. Sampling chains them: ``I_2 = G_2(z)``, then ``I_k = up(I_{k+1}) + G_k(z_k, up(I_{k+1}))``.
The three levels are one multi-stage run (:class:`ganbook.stages.Stages`),
trained coarsest first, checkpointed and cached as one.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import Tensor, nn

from ..batch import Batch
from ..data import mnist5k
from ..games import StandardGame
from ..models import MLPDiscriminator, MLPGenerator
from ..models.lapgan import BandDiscriminator, BandGenerator
from ..pyramid import laplacian_pyramid, up
from ..stages import Stages
from ..train import Trainer
from . import digits
from .base import ExperimentConfig, make_trainer

NAME = "lapgan"
CHAPTER = 9
LEVELS = 3  # 28 -> 14 -> 7
STAGES = ["coarse 7x7", "band 14x14", "band 28x28"]  # in training order


@dataclass(frozen=True)
class LAPGANConfig(ExperimentConfig):
    coarse_steps: int = 2000
    band_steps: int = 1500
    batch_size: int = 64
    coarse_latent: int = 32
    width: int = 32
    lr_g: float = 5e-4
    lr_d: float = 5e-4
    betas: tuple[float, float] = (0.5, 0.999)
    eval_samples: int = 1000

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(coarse_steps=60, band_steps=30, width=8, eval_samples=300),
        "cpu": {},
        "gpu": dict(coarse_steps=10000, band_steps=10000, width=64, lr_g=2e-4, lr_d=2e-4),
    }

    @property
    def steps(self) -> int:
        """All three levels' steps together: what the run's ``step`` reaches when it is done."""
        return self.coarse_steps + 2 * self.band_steps


@dataclass(frozen=True)
class BandSet:
    """Pairs ``(band h_k, condition up(I_{k+1}))`` of real digits, drawn by index."""

    bands: Tensor  # (N, 1, s, s)
    conditions: Tensor  # (N, 1, s, s)

    def sample(self, n: int, rng: torch.Generator) -> Batch:
        idx = torch.randint(len(self.bands), (n,), generator=rng)
        return Batch(self.bands[idx], c=self.conditions[idx])


def level_data(images: Tensor) -> list[Any]:
    """Per level, what its GAN learns: ``[BandSet at 28, BandSet at 14, coarse 7x7 images]``."""
    pyramid = laplacian_pyramid(images, LEVELS)
    coarse = pyramid[-1]
    middle = up(coarse) + pyramid[1]  # the real 14x14 image I_1
    return [BandSet(pyramid[0], up(middle)), BandSet(pyramid[1], up(coarse)), coarse]


def _trainer(G: nn.Module, D: nn.Module, source: Any, config: LAPGANConfig, level: int,
             device: torch.device | str) -> Trainer:
    return make_trainer(StandardGame(G, D), source, config, device, seed=config.seed + level)


def build(config: LAPGANConfig, device: torch.device | str = "cpu", images: Tensor | None = None) -> Stages:
    """The three levels as stages in training order: ``coarse 7x7``, ``band 14x14``, ``band 28x28``.

    ``images`` ``(N, 1, 28, 28)`` in [-1, 1] replaces mnist5k's training digits
    (chapter 9's exercise 4 trains on faces).
    """
    torch.manual_seed(config.seed)
    if images is None:
        images = mnist5k("train").images
    elif images.dim() != 4 or tuple(images.shape[1:]) != (1, 28, 28):
        raise ValueError(f"LAPGAN's three levels need images of shape (N, 1, 28, 28), got {tuple(images.shape)}: "
                         "resize them first (torch.nn.functional.interpolate(x, size=28))")
    data = level_data(images.cpu())
    coarse = data[2].to(device)
    bands = [_trainer(BandGenerator(s, config.width), BandDiscriminator(s, config.width),
                      BandSet(d.bands.to(device), d.conditions.to(device)).sample, config, k, device)
             for k, (s, d) in enumerate(zip((28, 14), data[:2]))]
    G = MLPGenerator(config.coarse_latent, 49, (256, 256), out_activation=nn.Tanh, out_shape=(1, 7, 7))
    D = MLPDiscriminator(49, (256, 256))
    sample = lambda n, rng: coarse[torch.randint(len(coarse), (n,), generator=rng)]  # noqa: E731
    top = _trainer(G, D, sample, config, 2, device)
    return Stages([top, bands[1], bands[0]], [config.coarse_steps, config.band_steps, config.band_steps], STAGES)


def train(config: LAPGANConfig, progress: bool = True, device: torch.device | str = "cpu") -> Stages:
    """Build and train the three levels, coarsest first (each independently, on real pyramids)."""
    return build(config, device).fit(progress=progress)


@torch.no_grad()
def sample(run: Stages, n: int, seed: int = 1234) -> list[Tensor]:
    """Generate coarse to fine; returns ``[7x7, 14x14, 28x28]`` images (the last clamped to [-1, 1])."""
    return refine(run, run[STAGES[0]].generate(n, seed=seed), seed)


@torch.no_grad()
def refine(run: Stages, coarse: Tensor, seed: int = 1234) -> list[Tensor]:
    """The two band levels on given 7x7 images ``coarse (n, 1, 7, 7)``, generated or real: ``[7x7, 14x14, 28x28]``."""
    images = [coarse.float().cpu()]  # generate takes its condition to the device and returns CPU tensors
    for k, name in zip((1, 0), STAGES[1:]):
        c = up(images[-1])
        images.append(c + run[name].generate(len(coarse), seed=seed + 10 + k, condition=c))
    images[-1] = images[-1].clamp(-1, 1)
    return images


def evaluate(run: Stages, config: LAPGANConfig) -> dict[str, float]:
    """Chapter 6's measures of the final 28x28 samples."""
    return digits.measure(sample(run, config.eval_samples)[-1])


Config = LAPGANConfig
