"""Chapter 16's showcase: :mod:`.stylegan_shapes`'s networks and game (mixing 90%) trained for longer.

Style mixing, truncation in W, projection and editing are about a generator
that has learned the world's factors; the chapter's own runs are a few
minutes long and show the process. This one is trained once, by
``python -m ganbook train stylegan-showcase --profile cpu --ship``, and shipped
in ``ganbook/assets`` in half precision (:mod:`ganbook.shipped`); chapter 16
loads it and measures it on the page. Its sizes are stated here.
"""

from __future__ import annotations

from . import stylegan_shapes, world
from .showcase import showcase_config

NAME = "stylegan-showcase"
CHAPTER = 16
SHIP_PROFILE = "cpu"

Config = showcase_config(stylegan_shapes.StyleGANConfig, __name__, {
    "smoke": dict(steps=10, batch_size=16, width=8, max_width=8, d_width=8, d_max_width=8, eval_samples=64,
                  ppl_samples=32, separability_samples=128),
    "cpu": dict(steps=7000, d_width=32, d_max_width=32, mapping_layers=2, lr_g=2.5e-3, lr_d=2.5e-3, r1_gamma=0.1,
                ema_decay=0.995),
    "gpu": dict(steps=80000, batch_size=64, width=128, max_width=128, d_width=128, d_max_width=128,
                latent_dim=128, w_dim=128, mapping_layers=8, ema_decay=0.999, eval_samples=4000, ppl_samples=4000,
                separability_samples=10000),
})
build, evaluate, bars = stylegan_shapes.build, stylegan_shapes.evaluate, world.bars
