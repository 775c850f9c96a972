"""Chapter 21's showcase: the projection row of :mod:`.text2image`, trained for longer on one-shape captions.

On the page's budget no row draws the asked shape reliably. AttnGAN's DAMSM
term, weighted up, taught G to satisfy the book's own text-image encoder
rather than the caption (chapter 21's first exercise asks the reader to see
it). This run keeps the
encoder as a measuring instrument only: G reads the caption's sentence feature
in every batch norm and draws in layers, a projection critic scores image and
caption together and must rank each real scene's caption above the same
caption with one word changed, and the game is WGAN-GP's; samples come from a
moving average of G's weights.
It is trained once, by ``python -m ganbook train text2image-showcase --profile
cpu --ship``, and shipped in ``ganbook/assets`` in half precision
(:mod:`ganbook.shipped`); chapter 21 loads it and reads its scenes for
held-out captions. :data:`BARS` states what it must reach.
"""

from __future__ import annotations

from typing import Any

from ..train import Trainer
from . import text2image
from .showcase import showcase_config

NAME = "text2image-showcase"
CHAPTER = 21
SHIP_PROFILE = "cpu"

_SHOWCASE = dict(row="projection", two_share=0.0, batch_size=32, c_dim=32, lr_d=2e-4,
                 betas=(0.5, 0.9), ema_decay=0.999)
Config = showcase_config(text2image.TextToImageConfig, __name__, {
    "smoke": {**_SHOWCASE, "steps": 4, "batch_size": 4, "width": 4, "d_width": 4, "n_critic": 2,
              "eval_captions": 100, "seeds": 1},
    "cpu": {**_SHOWCASE, "steps": 9000, "eval_captions": 500, "seeds": 1},
    "gpu": {**_SHOWCASE, "steps": 40000, "batch_size": 64, "width": 64, "d_width": 64, "c_dim": 64,
            "lr_g": 2e-4, "lr_d": 2e-4, "ema_decay": 0.9995, "eval_captions": 2000, "seeds": 1},
})
build = text2image.build


def evaluate(trainer: Trainer, config: Any) -> dict[str, float]:
    """:func:`.text2image.evaluate` on the showcase's held-out captions (one shape each)."""
    return text2image.evaluate(trainer, config)


BARS = {"shape_and_colour": 0.8}
"""What the showcase must reach: the reader reads both the asked shape and the asked colour in at least 80% of
its scenes for held-out captions (issue 22's bar)."""


def bars(measured: dict[str, Any]) -> list[tuple[str, bool]]:
    """Each bar of :data:`BARS`, as ``(sentence, met)``."""
    got = measured["one_shape_and_colour"]
    return [(f"shape and colour both read as asked {got:.3f} >= {BARS['shape_and_colour']:g}",
             got >= BARS["shape_and_colour"])]
