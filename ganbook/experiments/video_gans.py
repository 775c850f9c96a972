"""Chapter 22: TGAN and MoCoGAN on clips of moving shapes, measured by the shape reader frame by frame.

Real clips are rendered on the fly from the trainer's random stream
(:class:`~ganbook.data.shapes.ClipSource`): one shape that drifts at a steady
velocity, bounces off the walls and turns. Both models draw every frame with
the same 32-pixel DCGAN image generator and are judged by the same 3-D
convolutional video discriminator (:mod:`ganbook.models.video`); MoCoGAN adds an
image discriminator on single frames and splits its latent into content and
motion (:class:`~ganbook.games.video.VideoGame`). :func:`evaluate` reads
generated and real clips with :mod:`ganbook.metrics.video`;
:func:`content_motion` fixes one of MoCoGAN's two codes and redraws the other.
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np
import pandas as pd
import torch
from torch import Tensor

from ..anchors import anchor
from ..config import Bound
from ..data import shapes
from ..games.video import VideoGame
from ..metrics import video
from ..models.dcgan import DCGAN32Discriminator
from ..models.video import (MotionContentGenerator, PretrainedFrames, ScratchFrames, TemporalGenerator,
                             VideoDiscriminator)
from ..train import Trainer
from .base import ExperimentConfig, make_trainer
from .runs import mean_se_cell, seed_counts, separated, summary, sweep

NAME = "video-gans"
CHAPTER = 22
MODELS = ("tgan", "mocogan")
FRAMES_FROM = ("biggan", "scratch")
REAL_SEED = 2207  # the real clips every run is compared with
SCORES = {"shape_kept": "shape kept", "hue_kept": "hue kept", "both_kept": "both kept", "speed": "speed (px/frame)",
          "change": "change of step (px)", "speed_w1": "speed W1 to real", "direction_tv": "direction TV to real",
          "acd": "ACD, reader features", "colour_acd": "ACD, shape colour"}
"""What :func:`evaluate` gives, with the chapter's names for them."""
PAPER_ACD = {"TGAN": "mocogan-acd-tgan", "MoCoGAN": "mocogan-acd-mocogan", "real clips": "mocogan-acd-reference"}


@dataclass(frozen=True)
class VideoConfig(ExperimentConfig):
    """One video GAN run: which generator, the clips, the networks' sizes and the optimiser."""

    model: str = "mocogan"  # "tgan" or "mocogan"
    # "biggan": frames drawn by chapter 15's shipped BigGAN generator, frozen (a fresh DCGAN generator learns no
    # crisp shapes in a chapter's CPU minutes: after 1,000 steps of 8-frame clips it drew colour blobs);
    # "scratch": a fresh DCGAN image generator trained with the rest, as the papers train theirs
    frames_from: str = "biggan"
    # 2 models x 2 seeds in a chapter's five CPU minutes: 4 runs of 400 steps of 8 clips of 8 frames trained in
    # 284 s, two at a time; both papers' clips are 16 frames long (the gpu profile's)
    frames: int = 8
    steps: int = 300
    batch_size: int = 8
    lr_g: float = 1e-3
    lr_d: float = 1e-3
    betas: tuple[float, float] = (0.5, 0.999)
    width: int = 32  # the image generator's
    d_width: int = 16  # both discriminators'
    latent_dim: int = 100  # TGAN's z0 and z1, as its released configs
    content_dim: int = 50  # MoCoGAN's z_C, z_M and eps, as the authors' code's defaults
    motion_dim: int = 10
    noise_dim: int = 10
    image_d: bool = True  # MoCoGAN's image discriminator (False: the video D alone, as TGAN)
    image_frames: int = 1  # frames per clip the image discriminator judges
    eval_clips: int = 200
    seeds: int = 2

    BOUNDS: ClassVar[dict[str, Bound]] = {"frames": Bound(8)}
    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=3, batch_size=4, width=8, d_width=4, eval_clips=16, seeds=1),
        "cpu": {},
        # the papers' 16-frame clips and a fresh image generator, at MoCoGAN's rate (not run here: no GPU was lent)
        "gpu": dict(frames=16, frames_from="scratch", steps=20000, batch_size=32, lr_g=2e-4, lr_d=2e-4, width=64,
                    d_width=64, eval_clips=1000, seeds=3),
    }

    def validated(self) -> "VideoConfig":
        super().validated()
        if self.model not in MODELS:
            raise ValueError(f"VideoConfig: unknown model {self.model!r}; use one of {', '.join(MODELS)}")
        if self.frames_from not in FRAMES_FROM:
            raise ValueError(f"VideoConfig: unknown frames_from {self.frames_from!r}; use one of "
                             f"{', '.join(FRAMES_FROM)}")
        if self.frames % 8:
            raise ValueError(f"VideoConfig: frames must be a multiple of 8 (the video D halves time 3 times), "
                             f"got {self.frames}")
        return self

    @property
    def label(self) -> str:
        name = {"tgan": "TGAN", "mocogan": "MoCoGAN"}[self.model]
        return name if self.image_d or self.model == "tgan" else f"{name} without the image D"


@lru_cache(maxsize=1)
def _shipped_biggan() -> torch.nn.Module:
    """Chapter 15's shipped BigGAN generator (its moving average), loaded once per process. Loading builds
    BigGAN's trainer, which seeds torch: the caller's random state is put back, so that a run's own seed
    decides every weight it trains."""
    from .. import shipped
    from . import biggan_showcase

    with torch.random.fork_rng(devices=[]):
        trainer, _ = shipped.load(biggan_showcase)
    return trainer.averaged.get("G", trainer.game.G)


def image_generator(config: VideoConfig, code_dim: int) -> torch.nn.Module:
    """What draws the frames from ``code_dim``-number frame codes (``frames_from``): a fresh DCGAN
    generator, or a copy of the shipped BigGAN generator, frozen."""
    if config.frames_from == "scratch":
        return ScratchFrames(code_dim, config.width)
    return PretrainedFrames(copy.deepcopy(_shipped_biggan()), code_dim)


def generator(config: VideoConfig) -> torch.nn.Module:
    """The config's clip generator, fresh (but for a pretrained image generator)."""
    if config.model == "tgan":
        image = image_generator(config, 2 * config.latent_dim)
        return TemporalGenerator(config.latent_dim, config.latent_dim, config.frames, config.width, image=image)
    image = image_generator(config, config.content_dim + config.motion_dim)
    return MotionContentGenerator(config.content_dim, config.motion_dim, config.noise_dim, config.frames,
                                  config.width, image=image)


def build(config: VideoConfig, device: torch.device | str = "cpu") -> Trainer:
    """G, the video D (and MoCoGAN's image D), the video game on clips rendered from the trainer's stream;
    Adam on every trainable weight (a pretrained image generator has none)."""
    config = config.validated()
    torch.manual_seed(config.seed)
    G = generator(config)
    D_image = DCGAN32Discriminator(config.d_width) if config.model == "mocogan" and config.image_d else None
    game = VideoGame(G, VideoDiscriminator(config.frames, config.d_width), D_image, config.image_frames)
    trainable = [p for p in G.parameters() if p.requires_grad]
    optimizers = {"g": torch.optim.Adam(trainable, lr=config.lr_g, betas=config.betas),
                  "d": torch.optim.Adam(game.discriminators().parameters(), lr=config.lr_d, betas=config.betas)}
    return make_trainer(game, shapes.ClipSource(config.frames), config, device, optimizers=optimizers)


@lru_cache(maxsize=4)
def real_clips(n: int, frames: int) -> Tensor:
    """``n`` real clips from a fixed seed: what every run is compared with."""
    return shapes.clips(n, frames, REAL_SEED)[0]


@lru_cache(maxsize=4)
def real_read(n: int, frames: int) -> dict[str, Tensor]:
    return video.read_clips(real_clips(n, frames))


def evaluate(trainer: Trainer, config: VideoConfig) -> dict[str, float]:
    """:func:`ganbook.metrics.video.summary` of ``eval_clips`` generated clips against as many real ones."""
    made = trainer.generate(config.eval_clips, seed=config.seed + 99, ema=False)
    return video.summary(made, video.read_clips(made), real_read(config.eval_clips, config.frames))


def reference(config: VideoConfig) -> dict[str, float]:
    """The same numbers for a second set of real clips (another seed) against the first: the floor."""
    other = shapes.clips(config.eval_clips, config.frames, REAL_SEED + 1)[0]
    return video.summary(other, video.read_clips(other), real_read(config.eval_clips, config.frames))


def fixed_codes(G: MotionContentGenerator, groups: int, per_group: int, keep: str, seed: int) -> Tensor:
    """``groups * per_group`` latents for MoCoGAN's G, group by group, that share their content code
    (``keep="content"``) or their motion (``keep="motion"``: ``h0`` and every ``eps``) within a group and
    draw the other part afresh."""
    rng = torch.Generator().manual_seed(seed)
    z = torch.randn(groups * per_group, G.latent_dim, generator=rng)
    shared = torch.randn(groups, G.latent_dim, generator=rng).repeat_interleave(per_group, 0)
    part = slice(0, G.content_dim) if keep == "content" else slice(G.content_dim, None)
    z[:, part] = shared[:, part]
    return z


def content_motion(trainer: Trainer, groups: int = 20, per_group: int = 5, seed: int = 7
                   ) -> dict[str, dict[str, float]]:
    """MoCoGAN with one code fixed and the other redrawn, read by the reader (:func:`ganbook.metrics.video.agreement`):
    for each of ``keep="content"`` and ``keep="motion"``, how often two clips of a group share shape, hue
    and motion, against two clips of different groups."""
    G = trainer.game.G
    if not isinstance(G, MotionContentGenerator):
        raise ValueError("content_motion needs MoCoGAN's generator: TGAN has one code, not two")
    out = {}
    for keep in ("content", "motion"):
        z = fixed_codes(G, groups, per_group, keep, seed)
        clips = trainer.generate(len(z), ema=False, z=z)
        out[keep] = video.agreement(video.read_clips(clips), groups, per_group)
    return out


def run_one(config: VideoConfig) -> dict[str, Any]:
    """Train one model with one seed: its scores, 6 clips, and MoCoGAN's fixed-code measurements."""
    trainer = build(config).fit(config.steps, progress=False)
    out: dict[str, Any] = {"metrics": evaluate(trainer, config), "clips": trainer.generate(6, seed=5, ema=False)}
    if config.model == "mocogan":
        out["content_motion"] = content_motion(trainer)
        G = trainer.game.G
        out["fixed"] = {keep: trainer.generate(8, ema=False, z=fixed_codes(G, 2, 4, keep, 11))
                        for keep in ("content", "motion")}
    return out


def means(results: list[dict[str, Any]]) -> dict[str, dict[str, tuple[float, float]]]:
    """Mean and standard error over seeds of each of :data:`SCORES`, per model (:func:`.runs.summary`)."""
    return summary(results, tuple(SCORES), spread="se")


def table(results: list[dict[str, Any]], real: dict[str, float]) -> pd.DataFrame:
    """One row per model, "mean +- s.e. (seeds)" of each of :data:`SCORES`, then the ``real`` clips' row and
    MoCoGAN's Table 1 ACD on its shape-motion data (quoted) beside each row it has."""
    seeds = seed_counts(results)
    rows = {name: {SCORES[k]: mean_se_cell(m, se, seeds[name]) for k, (m, se) in row.items()}
            for name, row in means(results).items()}
    rows["real clips"] = {SCORES[k]: f"{v:.3f}" for k, v in real.items() if k in SCORES}
    for name, row in rows.items():
        key = PAPER_ACD.get(name)
        row["paper: ACD, shape motion"] = f"{anchor(key).values['acd_shape_motion'][0]:.2f}" if key else ""
    return pd.DataFrame(rows).T


AGREEMENT = {"same_shape": "same shape", "same_hue": "same hue", "motion_cosine": "steps' cosine"}


def agreement_means(results: list[dict[str, Any]]) -> dict[str, dict[str, float]]:
    """MoCoGAN's :func:`content_motion` measurements averaged over its seeds, per handle kept."""
    runs = [r["content_motion"] for r in results if "content_motion" in r and r["variant"] == "MoCoGAN"]
    if not runs:
        raise ValueError("no MoCoGAN run in these results: train one with model='mocogan'")
    return {keep: {k: float(np.mean([run[keep][k] for run in runs])) for k in runs[0][keep]}
            for keep in ("content", "motion")}


def agreement_table(results: list[dict[str, Any]]) -> pd.DataFrame:
    """:func:`agreement_means` as a table: a row per code kept, "within / across" groups per measurement."""
    means = agreement_means(results)
    return pd.DataFrame({f"{keep} fixed": {name: f"{row[k]:.2f} / {row[k + '_across']:.2f}"
                                          for k, name in AGREEMENT.items()} for keep, row in means.items()}).T \
        .rename_axis("within / across groups", axis=1)


def compare(results: list[dict[str, Any]], key: str, a: str, b: str) -> int:
    """+1 if ``a``'s mean ``key`` is above ``b``'s by more than two standard errors of the difference, -1 if
    below, 0 if closer than that (one seed each: by the sign alone)."""
    table = summary(results, (key,), spread="se")
    return separated(table[a][key], table[b][key])


def run(configs: list[VideoConfig], seeds: int, progress: bool = True) -> list[dict[str, Any]]:
    """Every config with ``seeds`` seeds from its own (:func:`.runs.sweep`)."""
    first = configs[0].seed
    return sweep(run_one, configs, range(first, first + seeds), progress)


Config = VideoConfig
