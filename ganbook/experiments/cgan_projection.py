"""Chapter 7: the conditional DCGAN of :mod:`.cgan_concat` with a projection discriminator (Miyato & Koyama, 2018).

Same chapter, same table of sizes per profile; only the discriminator differs.
"""

from __future__ import annotations

from dataclasses import dataclass

from .cgan_concat import CGANConfig, build, evaluate, labels

NAME = "cgan-projection"
CHAPTER = 7


@dataclass(frozen=True)
class ProjectionConfig(CGANConfig):
    projection: bool = True


Config = ProjectionConfig
__all__ = ["NAME", "Config", "build", "evaluate", "labels"]
