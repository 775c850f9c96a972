"""Chapter 5, part 1: the tutorials' fully connected GAN on mnist5k, exactly as they write it.

G 100-256-512-1024-784 (ReLU, Tanh), D 784-512-256-1 (LeakyReLU 0.2), BCE with
the non-saturating G loss, Adam lr 2e-4, betas (0.5, 0.999), batch 64.
"""

from __future__ import annotations

import json
from dataclasses import asdict, dataclass, replace
from typing import Any

import torch
from torch import nn

from .. import profiles
from ..data import mnist5k
from ..models import MLPDiscriminator, MLPGenerator
from ..train import Trainer
from . import digits

NAME = "mlp-gan"


@dataclass(frozen=True)
class DigitsGANConfig:
    """One budget for both chapter 5 models, so they are compared fairly."""

    steps: int = 2000
    batch_size: int = 64
    lr: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    seed: int = 0
    eval_samples: int = 1000

    @classmethod
    def for_profile(cls, profile: str | None = None, **changes: Any) -> "DigitsGANConfig":
        base = profiles.choose(profile, smoke=cls(steps=60, eval_samples=300), cpu=cls(steps=2000),
                               gpu=cls(steps=20000, eval_samples=4000))
        return replace(base, **changes)


def make_trainer(G: nn.Module, D: nn.Module, config: DigitsGANConfig, device: torch.device | str) -> Trainer:
    """The tutorials' optimisation (Adam 2e-4, betas (0.5, 0.999), BCE) on mnist5k's training digits."""
    return Trainer(G, D, sample_real=mnist5k("train", device).sample,
                   opt_g=torch.optim.Adam(G.parameters(), lr=config.lr, betas=config.betas),
                   opt_d=torch.optim.Adam(D.parameters(), lr=config.lr, betas=config.betas),
                   batch_size=config.batch_size, seed=config.seed, device=device)


def build(config: DigitsGANConfig, device: torch.device | str = "cpu") -> Trainer:
    torch.manual_seed(config.seed)
    G = MLPGenerator(100, 784, (256, 512, 1024), out_activation=nn.Tanh, out_shape=(1, 28, 28))
    D = MLPDiscriminator(784, (512, 256))
    return make_trainer(G, D, config, device)


def evaluate(trainer: Trainer, config: DigitsGANConfig) -> dict[str, float]:
    """:func:`ganbook.experiments.digits.measure` on ``eval_samples`` digits from a fixed seed."""
    return digits.measure(trainer.generate(config.eval_samples))


def config_dict(config: DigitsGANConfig) -> dict[str, Any]:
    return json.loads(json.dumps(asdict(config)))


Config = DigitsGANConfig
