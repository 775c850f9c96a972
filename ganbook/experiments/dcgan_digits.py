"""Chapter 5, part 2: DCGAN on mnist5k, on the same budget as the tutorials' MLP GAN.

Same optimiser, loss, batch and steps as :mod:`.mlp_digits`; only the two
networks change (:mod:`ganbook.models.dcgan`).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

import torch

from .. import profiles
from ..models.dcgan import DCGANDiscriminator, DCGANGenerator
from ..train import Trainer
from .mlp_digits import DigitsGANConfig, config_dict, evaluate, make_trainer

NAME = "dcgan"


@dataclass(frozen=True)
class DCGANConfig(DigitsGANConfig):
    latent_dim: int = 100
    width: int = 16  # channels of D's first layer; G's widest layer has 4x this

    @classmethod
    def for_profile(cls, profile: str | None = None, **changes: Any) -> "DCGANConfig":
        base = DigitsGANConfig.for_profile(profile)
        width = profiles.choose(profile, smoke=8, cpu=16, gpu=64)
        return replace(cls(**vars(base)), width=width, **changes)


def build(config: DCGANConfig, device: torch.device | str = "cpu") -> Trainer:
    torch.manual_seed(config.seed)
    G = DCGANGenerator(config.latent_dim, config.width)
    D = DCGANDiscriminator(config.width)
    return make_trainer(G, D, config, device)


Config = DCGANConfig
__all__ = ["NAME", "Config", "build", "evaluate", "config_dict"]
