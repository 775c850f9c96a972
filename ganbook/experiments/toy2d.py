"""Chapters 2-4: a GAN on a 2-D toy (ring, grid or spiral), measured with the mode metrics.

``Toy2DConfig`` fixes the sizes; ``build`` takes the parts a chapter varies
(objective, discriminator, instance noise, game) as explicit arguments, so chapter 3's
remedies and chapter 4's objectives are all the same ``build`` with other parts.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Callable, ClassVar

import torch
from torch import nn

from .. import metrics
from ..data import GaussianMixture2D, load
from ..games import Objective, StandardGame
from ..models import MLPDiscriminator, MLPGenerator
from ..train import Trainer, linear_decay
from .base import ExperimentConfig, make_trainer

NAME = "toy2d"
CHAPTER = 3


@dataclass(frozen=True)
class Toy2DConfig(ExperimentConfig):
    """Sizes of a 2-D toy run, per profile in ``PROFILES``."""

    data: str = "grid"  # a name from ``python -m ganbook data``: ring, grid or spiral
    steps: int = 3000
    batch_size: int = 256
    latent_dim: int = 2
    g_hidden: tuple[int, ...] = (128, 128, 128)
    d_hidden: tuple[int, ...] = (128, 128, 128)
    lr_g: float = 1e-3
    lr_d: float = 1e-3
    betas: tuple[float, float] = (0.5, 0.999)
    n_critic: int = 1
    decay_from: float = 0.5
    eval_samples: int = 2500  # as in PacGAN's evaluation

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=120, g_hidden=(32, 32), d_hidden=(32, 32), eval_samples=1000),
        "cpu": dict(steps=2000),
        "gpu": dict(steps=20000, g_hidden=(256, 256, 256), d_hidden=(256, 256, 256), lr_g=2e-4, lr_d=2e-4),
    }


def dataset(config: Toy2DConfig) -> Any:
    """The toy distribution named by ``config.data``."""
    return load(config.data)


def build(
    config: Toy2DConfig,
    device: torch.device | str = "cpu",
    objective: Objective = Objective(),
    discriminator: Callable[[Toy2DConfig], nn.Module] | None = None,
    instance_noise: Callable[[int], float] | None = None,
    game: type[StandardGame] = StandardGame,
) -> Trainer:
    """A fresh, seeded trainer; ``discriminator(config)`` replaces the plain MLP D if given,
    ``game`` the standard game (e.g. :class:`~ganbook.games.FeatureMatchingGame`)."""
    torch.manual_seed(config.seed)
    G = MLPGenerator(config.latent_dim, 2, config.g_hidden)
    D = discriminator(config) if discriminator is not None else MLPDiscriminator(2, config.d_hidden)
    play = game(G, D, objective, n_critic=config.n_critic, instance_noise=instance_noise)
    return make_trainer(play, dataset(config).sample, config, device,
                        lr_schedule=linear_decay(config.steps, config.decay_from))


def evaluate(trainer: Trainer, config: Toy2DConfig) -> dict[str, float]:
    """Mode metrics of ``eval_samples`` generated points (fixed seed); W1 for the spiral."""
    x = trainer.generate(config.eval_samples).numpy()
    target = dataset(config)
    if isinstance(target, GaussianMixture2D):
        return metrics.mode_report(x, target.centers(), target.std).as_dict()
    real = target.sample(500, torch.Generator().manual_seed(4321)).numpy()
    return {"w1": metrics.wasserstein1_points(x[:500], real)}


def train(config: Toy2DConfig, callbacks: list | tuple = (), progress: bool = True,
          **build_kwargs: Any) -> Trainer:
    """Build and train a 2-D toy GAN (``build_kwargs`` go to :func:`build`)."""
    return build(config, **build_kwargs).fit(config.steps, callbacks=callbacks, progress=progress)


Config = Toy2DConfig
