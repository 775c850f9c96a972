"""Chapter 21: text to image on the shape world's captions, measured attribute by attribute.

Captioned 64-pixel scenes, half with one shape and half with two, are rendered
on the fly from the trainer's stream (:class:`~ganbook.data.captions.CaptionSource`);
the shipped DAMSM encoders (:mod:`ganbook.metrics.instruments.text_encoder`)
encode the captions. Four rows of the chapter, one config each:

- ``one stage``: :class:`~ganbook.models.stackgan.OneStageGenerator`, 64 pixels at once;
- ``two stages``: StackGAN's stage I (32 pixels) and stage II (64), trained together;
- ``attention``: two stages whose second attends over the caption's words (AttnGAN), with the DAMSM term;
- ``no augmentation``: two stages with a plain linear map from sentence to condition, no KL term;
- ``projection``: class conditioning's recipe with a sentence in place of a class
  (:mod:`ganbook.models.caption_projection`): the caption in every batch norm of
  one layered 64-pixel G, a projection critic that must also rank each real
  scene's caption above the same caption with one word changed
  (:class:`~ganbook.games.text2image.MismatchCriticGame`), WGAN-GP's game; no
  DAMSM, no KL term.

:func:`evaluate` generates images for held-out captions (the world's test
scenes' captions) and reads them (:func:`ganbook.metrics.objects.agreement`),
ranks their captions (R-precision with the shipped encoders) and measures the
reader FD of the one-shape half against real test scenes.
"""

from __future__ import annotations

import textwrap
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import matplotlib.pyplot as plt
import pandas as pd
import torch
from matplotlib.figure import Figure
from torch import Tensor, nn

from ..data import captions, shapes
from ..games.text2image import MismatchCriticGame, TextGenerator, TextToImageGame
from ..games.wasserstein import gp_objective
from ..images import grid_png, show_grid
from ..metrics import damsm, objects
from ..metrics.images import frechet_distance
from ..metrics.instruments import shape_reader, text_encoder
from ..models.caption_projection import CaptionGenerator, ProjectionCritic
from ..models.stackgan import ImageTextDiscriminator, OneStageGenerator, StageIGenerator, StageIIGenerator
from ..train import Trainer
from .base import ExperimentConfig, make_trainer
from .runs import mean_se_cell, seed_counts, summary, sweep

NAME = "text2image"
CHAPTER = 21
ROWS = ("one stage", "two stages", "attention", "no augmentation", "projection")


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
    n_critic: int = 5  # critic updates per G update, for the projection row (WGAN-GP's)
    gp_weight: float = 10.0  # WGAN-GP's lambda, for the projection row
    mismatch_weight: float = 1.0  # the projection critic's term for real scenes with a changed word
    ema_decay: float = 0.0  # 0: samples from G itself; else from a moving average of its weights
    two_share: float = 0.5  # the share of training and held-out captions with two shapes
    eval_captions: int = 200
    seeds: int = 2

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=3, batch_size=4, width=4, d_width=4, eval_captions=100, seeds=1),
        "cpu": dict(steps=150),
        "gpu": dict(steps=9000, batch_size=64, lr_g=2e-4, lr_d=2e-4, width=64, d_width=64, c_dim=128,
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
    """G, one matching-aware D per stage, the game with the shipped (frozen) encoders, on captioned scenes;
    for the projection row, G and a projection critic in WGAN-GP's game, each caption the batch's condition."""
    config = config.validated()
    torch.manual_seed(config.seed)
    encoders = text_encoder.load()
    dim = encoders.text.dim
    if config.row == "projection":
        text = encoders.text
        critic = MismatchCriticGame(CaptionGenerator(text, config.z_dim, config.c_dim, config.width),
                                    ProjectionCritic(text, config.d_width), gp_objective(config.gp_weight),
                                    n_critic=config.n_critic, mismatch_weight=config.mismatch_weight)
        return make_trainer(critic, captions.CaptionSource(64, config.two_share, as_condition=True), config, device)
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


def made_for_held_out(trainer: Trainer, config: TextToImageConfig) -> Tensor:
    """The images every measurement reads: one for each held-out caption (:func:`held_out`), seeded, from
    the moving average of G when the run kept one."""
    tokens = held_out(config.eval_captions, config.two_share)[1]
    return trainer.generate(len(tokens), seed=config.seed + 77, ema=bool(config.ema_decay), condition=tokens)


def evaluate(trainer: Trainer, config: TextToImageConfig) -> dict[str, float]:
    """Caption agreement attribute by attribute on one- and two-shape held-out captions (keys ``one_*`` and
    ``two_*``), R-precision with the shipped encoders, and the reader FD of the one-shape images (if any)."""
    real, _, _, ones = held_out(config.eval_captions, config.two_share)
    made = made_for_held_out(trainer, config)
    out = _scores(made, text_encoder.shipped(), config)
    if ones:
        space = shape_reader.space()
        out["reader_fd"] = frechet_distance(space(made[:ones]), space(real[:ones]))
    return out


def references(config: TextToImageConfig) -> dict[str, float]:
    """The same numbers for the held-out real scenes themselves: the ceiling row."""
    return _scores(held_out(config.eval_captions, config.two_share)[0], text_encoder.shipped(), config)


def run_one(config: TextToImageConfig) -> dict[str, Any]:
    """Train one row with one seed: its scores, its images for the first 8 held-out captions, and for the
    attention row the maps its stage II drew them with (``(8, L, 16, 16)``, :func:`attention_figure`)."""
    trainer = build(config).fit(config.steps, progress=False)
    tokens = held_out(config.eval_captions, config.two_share)[1][:8]
    out = {"metrics": evaluate(trainer, config), "tokens": tokens,
           "samples": trainer.generate(8, seed=5, ema=bool(config.ema_decay), condition=tokens)}
    if config.row == "attention":
        out["attention"] = trainer.game.G.stages["64"].last_attention.detach().cpu()
    return out


def run(configs: list[TextToImageConfig], seeds: int, progress: bool = True) -> list[dict[str, Any]]:
    """Every config with ``seeds`` seeds from its own (:func:`.runs.sweep`)."""
    first = configs[0].seed
    return sweep(run_one, configs, range(first, first + seeds), progress)


Config = TextToImageConfig


SCORES = {"one_shape": "shape", "one_colour": "colour", "one_size": "size", "one_place": "place",
          "one_shape_and_colour": "shape and colour", "two_shape_and_colour": "two: shape and colour",
          "two_relation": "two: relation", "r_precision": "R-precision", "reader_fd": "reader FD"}
"""The chapter's columns: one-shape captions' agreement attribute by attribute, two-shape captions' (both
shapes' kind and colour; the relation), R-precision with the shipped encoders, reader FD (one-shape scenes)."""


def means(results: list[dict[str, Any]]) -> dict[str, dict[str, tuple[float, float]]]:
    """Mean and standard error over seeds of each of :data:`SCORES` the runs measured, per row."""
    return summary(results, tuple(k for k in SCORES if k in results[0]["metrics"]), spread="se")


def table(results: list[dict[str, Any]], real: dict[str, float]) -> pd.DataFrame:
    """One line per row, "mean ± s.e. (seeds)" of each score, then the held-out real scenes' line
    (:func:`references`; no FD, which compares a model with them)."""
    seeds = seed_counts(results)
    rows = {name: {SCORES[k]: mean_se_cell(m, se, seeds[name]) for k, (m, se) in row.items()}
            for name, row in means(results).items()}
    rows["real scenes"] = {SCORES[k]: f"{v:.3f}" for k, v in real.items() if k in SCORES}
    return pd.DataFrame(rows).T.fillna("")


def attention_figure(result: dict[str, Any], i: int) -> Figure:
    """Held-out caption ``i``'s image from the attention row and, word by word, where its stage II looked
    for that word (the 16x16 attention weights, brighter = more)."""
    words = captions.Tokenizer().decode(result["tokens"][i:i + 1])[0].split()
    maps = result["attention"][i, :len(words)]
    fig, axes = plt.subplots(1, len(words) + 1, figsize=(1.1 * (len(words) + 1), 1.4))
    show_grid(result["samples"][i:i + 1], 1, ax=axes[0])
    for ax, word, m in zip(axes[1:], words, maps):
        ax.imshow(m.numpy(), cmap="magma", vmin=0, vmax=float(maps.max()))
        ax.set_title(word, fontsize=8)
    for ax in axes:
        ax.axis("off")
    return fig


def composer_frames(trainer: Trainer, per_caption: int = 4, seed: int = 0, ema: bool = True
                    ) -> tuple[dict[tuple[str, ...], bytes], dict[str, list[str]]]:
    """``per_caption`` scenes for every one-shape caption of the grammar (:func:`captions.grammar`), each
    caption's as one PNG strip, keyed by its (size, colour, shape, place) menu choices; and the menus."""
    entries = captions.grammar()
    tokens = captions.Tokenizer().encode([e["text"] for e in entries]).repeat_interleave(per_caption, 0)
    made = trainer.generate(len(tokens), seed=seed, ema=ema, condition=tokens)
    frames = {(e["size"], e["colour"], e["shape"], captions.PLACES[(e["row"], e["column"])]):
              grid_png(made[k * per_caption:(k + 1) * per_caption], per_caption, scale=1)
              for k, e in enumerate(entries)}
    menus = {"size": list(captions.SIZES), "colour": list(shapes.HUES), "shape": list(shapes.SHAPES),
             "place": list(captions.PLACES.values())}
    return frames, menus


def captioned_figure(images: Tensor, tokens: Tensor, ncol: int = 4) -> Figure:
    """``images`` in rows of ``ncol``, each under its caption (word rows ``tokens``, wrapped)."""
    texts = captions.Tokenizer().decode(tokens)
    nrow = -(-len(images) // ncol)
    fig, axes = plt.subplots(nrow, ncol, figsize=(2.1 * ncol, 2.5 * nrow), squeeze=False)
    for ax in axes.flat:
        ax.axis("off")
    for ax, image, text in zip(axes.flat, images, texts):
        show_grid(image[None], 1, title=textwrap.fill(text, 24), ax=ax)
    fig.tight_layout()
    return fig


def asked_and_read(images: Tensor, factors: dict[str, Tensor]) -> pd.DataFrame:
    """For one-shape scenes made for captions with ``factors``: for each shape asked (rows), the share read
    as each shape, or none found (columns). The diagonal is the per-shape agreement; the rest says what G
    drew instead."""
    from ..metrics.clusters import confusion

    found = objects.read_objects(images, 1)
    k = len(shapes.SHAPES)
    read = torch.tensor([objs[0]["shape"] if objs else k for objs in found])  # k: nothing found
    counts = confusion(factors["shape"][:, 0], read, k, k + 1)
    shares = counts / counts.sum(1, keepdims=True).clip(min=1)
    return pd.DataFrame(shares, index=[f"asked {s}" for s in shapes.SHAPES],
                        columns=[f"read {s}" for s in shapes.SHAPES] + ["none found"]).round(3)
