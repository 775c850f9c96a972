"""Chapter 21: text to image on the shape world's captions, measured attribute by attribute.

Captioned 64-pixel scenes, half with one shape and half with two, are rendered
on the fly from the trainer's stream (:class:`~ganbook.data.captions.CaptionSource`);
the shipped DAMSM encoders (:mod:`ganbook.metrics.instruments.text_encoder`)
encode the captions. Four rows of the chapter, one config each:

- ``one stage``: :class:`~ganbook.models.stackgan.OneStageGenerator`, 64 pixels at once;
- ``two stages``: StackGAN's stage I (32 pixels) and stage II (64), trained together;
- ``attention``: two stages whose second attends over the caption's words (AttnGAN), with the DAMSM term;
- ``no augmentation``: two stages with a plain linear map from sentence to condition, no KL term.

:func:`evaluate` generates images for held-out captions (the world's test
scenes' captions) and reads them (:func:`ganbook.metrics.objects.agreement`),
ranks their captions (R-precision with the shipped encoders) and measures the
reader FD of the one-shape half against real test scenes.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import torch
from torch import Tensor, nn

from ..data import captions
from ..games.text2image import TextGenerator, TextToImageGame
from ..metrics import damsm, objects
from ..metrics.images import frechet_distance
from ..metrics.instruments import shape_reader, text_encoder
from ..models.stackgan import ImageTextDiscriminator, OneStageGenerator, StageIGenerator, StageIIGenerator
from ..train import Trainer
from .base import ExperimentConfig, make_trainer
from .runs import sweep

NAME = "text2image"
CHAPTER = 21
ROWS = ("one stage", "two stages", "attention", "no augmentation")


@dataclass(frozen=True)
class TextToImageConfig(ExperimentConfig):
    """One text-to-image run: which row, the networks' sizes, the objective's weights and the optimiser."""

    row: str = "two stages"
    steps: int = 400
    batch_size: int = 16
    lr_g: float = 1e-3
    lr_d: float = 1e-3
    betas: tuple[float, float] = (0.5, 0.999)
    z_dim: int = 32
    c_dim: int = 16  # conditioning augmentation's size (StackGAN: 128)
    width: int = 16
    d_width: int = 16
    kl_weight: float = 2.0  # StackGAN's code (TRAIN.COEFF.KL)
    damsm_weight: float = 5.0  # AttnGAN's birds config (lambda), for the attention row
    two_share: float = 0.5  # the share of training and held-out captions with two shapes
    eval_captions: int = 200
    seeds: int = 2

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=3, batch_size=4, width=4, d_width=4, eval_captions=100, seeds=1),
        "cpu": {},
        "gpu": dict(steps=20000, batch_size=64, lr_g=2e-4, lr_d=2e-4, width=64, d_width=64, c_dim=128,
                    eval_captions=2000, seeds=3),
    }

    def validated(self) -> "TextToImageConfig":
        super().validated()
        if self.row not in ROWS:
            raise ValueError(f"TextToImageConfig: unknown row {self.row!r}; use one of {', '.join(ROWS)}")
        if self.eval_captions < 100:
            raise ValueError("TextToImageConfig: eval_captions must be at least 100 (R-precision ranks each "
                             "caption among 100)")
        return self

    @property
    def label(self) -> str:
        return self.row


def generator(config: TextToImageConfig, sentence_dim: int, word_dim: int) -> TextGenerator:
    """The row's generator, fresh."""
    if config.row == "one stage":
        stages: dict[int, nn.Module] = {64: OneStageGenerator(config.z_dim, config.c_dim, config.width)}
    else:
        stages = {32: StageIGenerator(config.z_dim, config.c_dim, config.width),
                  64: StageIIGenerator(config.c_dim, config.width, attention=config.row == "attention",
                                       word_dim=word_dim)}
    return TextGenerator(stages, sentence_dim, config.c_dim, config.z_dim, augment=config.row != "no augmentation")


def build(config: TextToImageConfig, device: torch.device | str = "cpu") -> Trainer:
    """G, one matching-aware D per stage, the game with the shipped (frozen) encoders, on captioned scenes."""
    config = config.validated()
    torch.manual_seed(config.seed)
    encoders = text_encoder.load()
    dim = encoders.text.dim
    G = generator(config, dim, dim)
    sizes = [int(k) for k in G.stages]
    D = nn.ModuleDict({str(s): ImageTextDiscriminator(s, dim, config.d_width) for s in sizes})
    damsm_weight = config.damsm_weight if config.row == "attention" else 0.0
    game = TextToImageGame(G, D, encoders, config.kl_weight, damsm_weight)
    optimizers = {"g": torch.optim.Adam(G.parameters(), lr=config.lr_g, betas=config.betas),
                  "d": torch.optim.Adam(D.parameters(), lr=config.lr_d, betas=config.betas)}
    return make_trainer(game, captions.CaptionSource(64, config.two_share), config, device, optimizers=optimizers)


@lru_cache(maxsize=2)
def held_out(n: int, two_share: float) -> tuple[Tensor, Tensor, dict[str, Tensor], int]:
    """``n`` held-out captioned scenes (a seed no training draw uses): images, word rows, factors, one-shape count."""
    return captions.captioned_scenes(n, torch.Generator().manual_seed(2102), 64, two_share)


def _scores(images: Tensor, encoders: nn.Module, config: TextToImageConfig) -> dict[str, float]:
    """Caption agreement of ``images`` made for the held-out captions, attribute by attribute (``one_*`` and
    ``two_*``), and their R-precision with ``encoders``."""
    _, tokens, factors, ones = held_out(config.eval_captions, config.two_share)
    out: dict[str, float] = {}
    for name, part, f in zip(("one", "two"), (slice(0, ones), slice(ones, None)), captions.split(factors)):
        if f:
            out.update({f"{name}_{k}": v for k, v in objects.agreement(images[part], f).items()})
    features = text_encoder.encode(encoders, images, tokens)
    out["r_precision"] = damsm.r_precision(features["image"], features["sentence"], tokens,
                                           generator=torch.Generator().manual_seed(0))
    return out


def evaluate(trainer: Trainer, config: TextToImageConfig) -> dict[str, float]:
    """Caption agreement attribute by attribute on one- and two-shape held-out captions (keys ``one_*`` and
    ``two_*``), R-precision with the shipped encoders, and the reader FD of the one-shape images."""
    real, tokens, _, ones = held_out(config.eval_captions, config.two_share)
    made = trainer.generate(len(tokens), seed=config.seed + 77, ema=False, condition=tokens)
    space = shape_reader.space()
    return {**_scores(made, trainer.game.encoders, config),
            "reader_fd": frechet_distance(space(made[:ones]), space(real[:ones]))}


def references(config: TextToImageConfig) -> dict[str, float]:
    """The same numbers for the held-out real scenes themselves: the ceiling row."""
    return _scores(held_out(config.eval_captions, config.two_share)[0], text_encoder.shipped(), config)


def run_one(config: TextToImageConfig) -> dict[str, Any]:
    """Train one row with one seed: its scores and its images for the first 8 held-out captions."""
    trainer = build(config).fit(config.steps, progress=False)
    tokens = held_out(config.eval_captions, config.two_share)[1][:8]
    return {"metrics": evaluate(trainer, config),
            "samples": trainer.generate(8, seed=5, ema=False, condition=tokens)}


def run(configs: list[TextToImageConfig], seeds: int, progress: bool = True) -> list[dict[str, Any]]:
    """Every config with ``seeds`` seeds from its own (:func:`.runs.sweep`)."""
    first = configs[0].seed
    return sweep(run_one, configs, range(first, first + seeds), progress)


Config = TextToImageConfig
