"""A showcase: a chapter's own experiment trained once for longer and shipped, declared in a few lines.

A chapter trains its models on the page, a few CPU minutes each. Where what it
shows needs a model that has learned more (chapter 5's latent walk, chapter
15's truncation curve, chapter 16's mixing and editing), it loads a
*showcase* instead: the same networks, game and measures as the chapter's
experiment (its parent), with a profile table of its own, trained once with
``python -m ganbook train NAME --profile cpu --ship`` and shipped in
``ganbook/assets`` (:mod:`ganbook.shipped`). A showcase module is::

    NAME = "biggan-showcase"
    CHAPTER = 15
    SHIP_PROFILE = "cpu"
    Config = showcase_config(biggan_shapes.BigGANConfig, __name__, {"smoke": ..., "cpu": ..., "gpu": ...})
    build, evaluate = biggan_shapes.build, biggan_shapes.evaluate
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


def showcase_config(parent: type, module: str, profiles: dict[str, dict[str, Any]]) -> type:
    """The config of a showcase of the experiment whose config is ``parent``, defined in ``module``: the
    parent's fields and defaults, with ``profiles`` stating what the longer run changes (each row checked
    like any profile row; no other chapter's table is inherited)."""
    name = parent.__name__.replace("Config", "") + "ShowcaseConfig"
    namespace = {"PROFILES": profiles, "__module__": module, "__qualname__": name,
                 "__doc__": f"A showcase of the experiment configured by {parent.__name__}: its fields, these profiles."}
    return dataclass(frozen=True)(type(name, (parent,), namespace))
