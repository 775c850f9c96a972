"""Chapter 5's showcase: :mod:`.dcgan`'s networks and game, wider and trained for longer, for the latent-space pictures.

Chapter 5 compares the tutorial MLP with DCGAN on one small budget; what a
reader should *look at* when walking through latent space is a generator that
has learned digits. This one is trained once, by
``python -m ganbook train dcgan-showcase --profile cpu --ship`` (38 minutes on this
book's 2-core build machine), and shipped in ``ganbook/assets`` in half precision
(:mod:`ganbook.shipped`); the chapter loads it and measures it on the page.
Its table states every size and rate that differs from :mod:`.dcgan`'s defaults:
wider networks, ten times the steps, a five times higher rate that falls
linearly to 0 over the second half, and a moving average of G for the pictures.
"""

from __future__ import annotations

from . import dcgan
from .showcase import showcase_config

NAME = "dcgan-showcase"
CHAPTER = 5
SHIP_PROFILE = "cpu"

Config = showcase_config(dcgan.DCGANConfig, __name__, {
    "smoke": dict(steps=20, lr_g=1e-3, lr_d=1e-3, width=8, ema_decay=0.999, decay_from=0.5, eval_samples=300),
    "cpu": dict(steps=20000, lr_g=1e-3, lr_d=1e-3, width=32, ema_decay=0.999, decay_from=0.5, eval_samples=2000),
    "gpu": dict(steps=40000, lr_g=1e-3, lr_d=1e-3, width=64, ema_decay=0.9995, decay_from=0.5, eval_samples=4000),
})
build, evaluate = dcgan.build, dcgan.evaluate
