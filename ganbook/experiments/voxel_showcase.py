"""Chapter 20's showcase: :mod:`.voxel_gan`'s networks asked for a class, in WGAN-GP's game, trained for longer.

The chapter trains 3D-GAN's own recipe on the page for a few CPU minutes.
This one keeps the networks and changes the game: the Wasserstein game with a gradient penalty, D a critic without
batch norm, five critic updates for each update of G, G and D given the
class (one-hot into G, a projection term in D), and samples drawn from a
moving average of G's weights. It is trained once, by
``python -m ganbook train voxel-showcase --profile cpu --ship``, and shipped in
``ganbook/assets`` in half precision (:mod:`ganbook.shipped`); chapter 20
loads it and measures it on the page. Its table states every size and rate
that differs from :mod:`.voxel_gan`'s defaults; :func:`bars` states what it
must reach.
"""

from __future__ import annotations

from typing import Any

from ..train import Trainer
from . import voxel_gan
from .showcase import showcase_config

NAME = "voxel-showcase"
CHAPTER = 20
SHIP_PROFILE = "cpu"

Config = showcase_config(voxel_gan.VoxelGANConfig, __name__, {
    "smoke": dict(steps=6, batch_size=4, z_dim=16, width=2, d_width=2, eval_samples=50, conditional=True,
                  game="wgan-gp", n_critic=2, ema_decay=0.999),
    "cpu": dict(steps=3000, conditional=True, game="wgan-gp", ema_decay=0.999),
    "gpu": dict(steps=40000, batch_size=64, width=64, d_width=64, eval_samples=2000, conditional=True,
                game="wgan-gp", ema_decay=0.9995),
})
build, samples = voxel_gan.build, voxel_gan.samples


def evaluate(trainer: Trainer, config: Any) -> dict[str, Any]:
    """:func:`.voxel_gan.shape_scores` of :func:`.voxel_gan.samples`. Not D's features: a shipped showcase
    holds G alone."""
    return voxel_gan.shape_scores(*samples(trainer, config))


BARS = {"accuracy": 0.9, "nearest_iou_ratio": 0.75}
"""What the showcase must reach: the shipped classifier reads the asked class in at least 90% of samples
(the bar Part III holds a class-conditional generator to), and its shapes' mean IoU with their nearest
training shape is at least 0.75 of held-out real shapes' (:func:`.voxel_gan.reference`)."""


def bars(measured: dict[str, Any]) -> list[tuple[str, bool]]:
    """Each bar of :data:`BARS`, as ``(sentence, met)``."""
    real = voxel_gan.reference()["nearest_iou"]
    limit = BARS["nearest_iou_ratio"] * real
    return [(f"asked class read {measured['accuracy']:.3f} >= {BARS['accuracy']:g}",
             measured["accuracy"] >= BARS["accuracy"]),
            (f"nearest IoU {measured['nearest_iou']:.3f} >= {limit:.3f} ({BARS['nearest_iou_ratio']:g} x "
             f"{real:.3f}, held-out real shapes)", measured["nearest_iou"] >= limit)]
