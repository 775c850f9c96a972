"""The caption and scene encoders of chapter 21, trained with AttnGAN's DAMSM on real scenes, and shipped.

AttnGAN pretrains its text and image encoders with the DAMSM loss
(:mod:`ganbook.metrics.damsm`) before any GAN sees them, and then uses them
twice: the text encoder's word and sentence features condition the generator,
and R-precision reads generated images with both. This instrument is that
pair for the shape world (:class:`~ganbook.models.text.MatchingEncoders`),
trained on freshly rendered 64-pixel scenes, half with one shape and half with
two, each captioned from its factors (:func:`ganbook.data.captions.describe`)
and degraded at random as the other instruments' scenes are. Its R-precision
on the world's held-out scenes is chapter 21's ceiling row. The weights ship
as ``ganbook/assets/text_encoder.pt``; ``python -m ganbook train text-encoder
--out ganbook/assets`` rebuilds them.
"""

from __future__ import annotations

import math
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Iterator

import torch
from torch import Tensor

from ...data import captions, shapes
from ...models.text import MatchingEncoders
from .. import damsm
from .. import robustness as robust
from . import training

NAME = "text-encoder"
CHAPTER = 21
INSTRUMENT = True
SHIPPED = Path(__file__).resolve().parents[2] / "assets" / "text_encoder.pt"
COMMAND = "python -m ganbook train text-encoder --out ganbook/assets"
TEST_SEED = 2101  # the held-out scenes of the report


@dataclass(frozen=True)
class TextEncoderConfig(training.SceneTrainingConfig):
    """Training sizes over :class:`.training.SceneTrainingConfig`'s: ``dim``-number features, batches of
    ``batch_size`` captioned scenes (AttnGAN's DAMSM batch is 48)."""

    epochs: int = 8
    batch_size: int = 50
    lr: float = 2e-3
    dim: int = 64

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(epochs=1, scenes_per_epoch=200, width=4, dim=16),
        "cpu": {},
        "gpu": {},
    }


def captioned(n: int, seed: int) -> tuple[Tensor, Tensor]:
    """``n`` 64-pixel scenes, the first half with one shape and the rest with two, and their captions'
    word rows."""
    images, rows = [], []
    for objects, count in ((1, n // 2), (2, n - n // 2)):
        data = shapes.scenes(count, seed + objects, size=64, objects=objects)
        images.append(data.images)
        rows.append(captions.caption_rows(data.factors))
    return torch.cat(images), torch.cat(rows)


def loss(out: dict[str, Tensor], _: Any = None) -> Tensor:
    """DAMSM: the word-level and the sentence-level matching losses, summed (as AttnGAN pretrains it)."""
    return damsm.loss(out["words"], out["sentence"], out["regions"], out["image"], out["tokens"])


@torch.no_grad()
def encode(model: MatchingEncoders, images: Tensor, tokens: Tensor, batch: int = 500) -> dict[str, Tensor]:
    """Global image and sentence features of ``images`` and their captions' ``tokens``, in batches."""
    model.eval()
    parts = [model((images[i:i + batch], tokens[i:i + batch])) for i in range(0, len(images), batch)]
    return {k: torch.cat([p[k] for p in parts]) for k in ("image", "sentence")}


def report(model: MatchingEncoders, images: Tensor, tokens: Tensor) -> dict[str, Any]:
    """R-precision (100 candidates) on the one-shape and the two-shape half of held-out scenes, clean
    (``r_precision_one``, ``r_precision_two``) and under each of :data:`~ganbook.metrics.robustness.DEGRADATIONS`
    (``robustness``: one row per condition)."""
    half = len(images) // 2
    rows = []
    for condition in robust.DEGRADATIONS:
        f = encode(model, robust.degrade(images, condition, torch.Generator().manual_seed(1)), tokens)
        row: dict[str, Any] = {"condition": condition}
        for name, part in (("one", slice(0, half)), ("two", slice(half, None))):
            rng = torch.Generator().manual_seed(0)
            row[f"r_precision_{name}"] = damsm.r_precision(f["image"][part], f["sentence"][part], tokens[part],
                                                           generator=rng)
        rows.append(row)
    return {"r_precision_one": rows[0]["r_precision_one"], "r_precision_two": rows[0]["r_precision_two"],
            "robustness": rows}


def train(config: TextEncoderConfig, progress: bool = True) -> tuple[MatchingEncoders, dict[str, float]]:
    """Train fresh encoders with DAMSM (:func:`.training.fit`); return them (eval mode) and the report."""
    torch.manual_seed(config.seed)
    rng = torch.Generator().manual_seed(config.seed)
    model = MatchingEncoders(len(captions.VOCABULARY), config.dim, config.width)

    def batches(epoch: int) -> Iterator[tuple[tuple[Tensor, Tensor], None]]:
        images, tokens = captioned(config.scenes_per_epoch, seed=10_000 * (config.seed + 1) + 10 * epoch)
        order = torch.randperm(len(images), generator=rng)
        for i in range(0, len(order), config.batch_size):
            idx = order[i:i + config.batch_size]
            yield (robust.random_degradation(images[idx], rng, config.max_noise), tokens[idx]), None

    training.fit(model, config, batches, loss, math.ceil(config.scenes_per_epoch / config.batch_size),
                 "DAMSM epochs", progress)
    return model, report(model, *captioned(1000 if config.scenes_per_epoch >= 1000 else 200, TEST_SEED))


def save(model: MatchingEncoders, result: dict[str, float], config: TextEncoderConfig, path: str | Path,
         seconds: float) -> dict[str, Any]:
    """Write the encoders and their manifest (:func:`.training.save`)."""
    return training.save(sys.modules[__name__], model, result, config, path, seconds,
                         "fresh 64-pixel scenes each epoch, half one shape and half two, captioned from their "
                         "factors, degraded at random; R-precision on held-out scenes, clean and degraded")


def load(path: str | Path = SHIPPED) -> MatchingEncoders:
    """Load encoders written by :func:`save` (sha256-checked, ``weights_only``), in eval mode."""
    def make(config: dict[str, Any]) -> MatchingEncoders:
        return MatchingEncoders(len(captions.VOCABULARY), config.get("dim", TextEncoderConfig.dim),
                                config.get("width", TextEncoderConfig.width))
    return training.load(sys.modules[__name__], path, make)


@lru_cache(maxsize=1)
def shipped() -> MatchingEncoders:
    """The encoders shipped with ganbook (loaded once per process)."""
    return load(SHIPPED)


def train_and_save(profile: str, out: str | Path, progress: bool = True,
                   changes: dict[str, Any] | None = None) -> tuple[Path, dict[str, float], float]:
    """What ``python -m ganbook train text-encoder`` does (:func:`.training.train_and_save`)."""
    return training.train_and_save(sys.modules[__name__], profile, out, progress, changes)


def evaluate_file(path: str | Path) -> dict[str, Any]:
    """The held-out report of the encoders at ``path`` (``python -m ganbook evaluate``)."""
    return report(load(path), *captioned(1000, TEST_SEED))


Config = TextEncoderConfig
