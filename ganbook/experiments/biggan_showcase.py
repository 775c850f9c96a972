"""Chapter 15's showcase: :mod:`.biggan_shapes`'s networks and game trained for longer, for the truncation curve.

A few CPU minutes teach BigGAN's generator colours and blobs but not yet
which shape it was asked for, and the truncation trade-off is about a model
that has learned its classes. This run is trained once, by
``python -m ganbook train biggan-showcase --profile cpu --ship``, and shipped in
``ganbook/assets`` in half precision (:mod:`ganbook.shipped`); chapter 15
loads it and measures it on the page. Its sizes are stated here.
"""

from __future__ import annotations

from . import biggan_shapes, world
from .showcase import showcase_config

NAME = "biggan-showcase"
CHAPTER = 15
SHIP_PROFILE = "cpu"

Config = showcase_config(biggan_shapes.BigGANConfig, __name__, {
    "smoke": dict(steps=12, batch_size=16, width=4, d_width=4, embed_dim=8, eval_samples=64),
    "cpu": dict(steps=8000, lr_g=5e-4, lr_d=1e-3, eval_samples=2000),
    "gpu": dict(steps=60000, batch_size=64, width=64, d_width=64, embed_dim=64, lr_g=1e-4, lr_d=4e-4, n_critic=2,
                ema_decay=0.9999, eval_samples=4000),
})
build, evaluate, bars = biggan_shapes.build, biggan_shapes.evaluate, world.bars
