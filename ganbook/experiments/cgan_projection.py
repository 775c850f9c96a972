"""Chapter 7: the conditional DCGAN of :mod:`.cgan` with a projection discriminator (Miyato & Koyama, 2018)."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from .cgan import CGANConfig, build, config_dict, evaluate, labels

NAME = "cgan-projection"


@dataclass(frozen=True)
class ProjectionConfig(CGANConfig):
    projection: bool = True

    @classmethod
    def for_profile(cls, profile: str | None = None, **changes: Any) -> "ProjectionConfig":
        return replace(cls(**vars(CGANConfig.for_profile(profile))), projection=True, **changes)


Config = ProjectionConfig
__all__ = ["NAME", "Config", "build", "evaluate", "config_dict", "labels"]
