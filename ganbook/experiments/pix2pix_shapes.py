"""Chapter 17: pix2pix on the shape world, class map -> scene, scored with the FCN-score.

The map fixes each pixel's class (background or one of four shapes), so it
fixes shape, size, place and turn; the colours, the background's grey and the
anti-aliased edges are G's to invent, as texture is in the paper's labels ->
photo task. :mod:`ganbook.models.pix2pix`'s U-Net G (with a full-resolution
first and last level, ``stem``, at this small size) and PatchGAN D in
:class:`~ganbook.games.pix2pix.Pix2PixGame`, Adam with beta1 0.5 and L1
weight 100 (the paper's settings) at ten times the paper's rate, 2e-3. :func:`evaluate` translates the maps of the
world's held-out scenes and lets the shipped segmenter
(:mod:`ganbook.metrics.instruments.segmenter`) read the results (the
FCN-score); :func:`objective_rows` and :func:`patch_rows` are the paper's
Tables 1 and 2 as configs, :func:`run` trains them over seeds.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

import torch

from .. import players
from ..config import Bound
from ..data import shapes
from ..games.pix2pix import Pix2PixGame, check_objective
from ..metrics import fcn
from ..metrics.instruments import segmenter
from ..models.pix2pix import PatchDiscriminator, UNetGenerator, translate
from ..train import Trainer
from .base import ExperimentConfig, make_trainer
from .runs import sweep

NAME = "pix2pix-shapes"
CHAPTER = 17


@dataclass(frozen=True)
class Pix2PixConfig(ExperimentConfig):
    """One pix2pix run: networks, objective, optimiser, and how many held-out maps score it."""

    # 9 rows x 3 seeds in a chapter's five CPU minutes (24 runs of 400 steps took 230 s on two cores)
    steps: int = 360
    batch_size: int = 8
    # ten times the paper's 2e-4, to learn within that budget: L1+cGAN reached class IoU 0.39 after 1,500
    # steps of batch 16 at 2e-4; 0.40 and 0.42 after 500 steps of batch 8 at 2e-3 (two seeds)
    lr_g: float = 2e-3
    lr_d: float = 2e-3
    betas: tuple[float, float] = (0.5, 0.999)
    width: int = 8  # G's outermost encoder layer; doubling inwards up to max_width
    max_width: int = 32
    skips: bool = True  # False: the paper's encoder-decoder without skips
    dropout: float = 0.5  # G's only noise, on its three innermost decoder layers
    # a full-resolution first and last level (3x3 convolutions at 32 pixels): our adaptation to images 8 times
    # smaller than the paper's; without it G drew colour blobs in 1,500 steps (class IoU 0.23-0.31 against 0.39)
    stem: bool = True
    d_width: int = 8
    downs: int = 2  # D's stride-2 convolutions: receptive field 1 + 3 (2^downs - 1) pixels (0: PixelGAN)
    whole: bool = False  # True (with downs=3): one logit that sees the whole image (ImageGAN)
    adversarial: str = "cgan"  # "cgan", "gan" or "none"
    l1_weight: float = 100.0
    eval_scenes: int = 300  # held-out maps translated for the FCN-score
    seeds: int = 3  # seeds per row in the chapter's tables

    BOUNDS: ClassVar[dict[str, Bound]] = {"downs": Bound(0, 3), "dropout": Bound(0, 1, open_high=True),
                                          "l1_weight": Bound(0)}
    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=6, batch_size=4, width=4, max_width=8, d_width=4, eval_scenes=40, seeds=2),
        "cpu": {},
        "gpu": dict(steps=20000, batch_size=16, lr_g=2e-4, lr_d=2e-4, width=64, max_width=512, d_width=64,
                    eval_scenes=2000, seeds=5),
    }

    def validated(self) -> "Pix2PixConfig":
        """Every field in range; a known adversarial loss; an ImageGAN only on top of three downs."""
        super().validated()
        try:  # the game's and the discriminator's own checks, before anything is built
            check_objective(self.adversarial, self.l1_weight)
            self.receptive_field
        except ValueError as err:
            raise ValueError(f"Pix2PixConfig: {err}") from None
        return self

    @property
    def receptive_field(self) -> int:
        return PatchDiscriminator(3, 1, self.downs, self.whole).receptive_field

    @property
    def label(self) -> str:
        loss = {"cgan": "cGAN", "gan": "GAN", "none": ""}[self.adversarial]
        name = "+".join(p for p in ("L1" if self.l1_weight > 0 else "", loss) if p)
        if not self.skips:
            name += ", encoder-decoder"
        if self.whole:
            return f"{name}, D sees the whole image"
        return name if self.downs == 2 else f"{name}, D sees {self.receptive_field}x{self.receptive_field}"


def build(config: Pix2PixConfig, device: torch.device | str = "cpu") -> Trainer:
    """A U-Net G (or encoder-decoder) and a PatchGAN D in pix2pix's game, on the world's paired training scenes."""
    torch.manual_seed(config.seed)
    G = UNetGenerator(5, 3, config.width, skips=config.skips, dropout=config.dropout, max_width=config.max_width,
                      stem=config.stem)
    D = PatchDiscriminator(8 if config.adversarial == "cgan" else 3, config.d_width, config.downs, config.whole)
    game = Pix2PixGame(G, D, config.l1_weight, config.adversarial)
    return make_trainer(game, shapes.world("train", device=device).paired, config, device)


def noise_spread(G: torch.nn.Module, maps: torch.Tensor, draws: int = 4) -> float:
    """How much G's output moves with its noise: the per-pixel standard deviation over ``draws`` dropout
    draws for the same maps, averaged over pixels (in [-1, 1] units)."""
    with players.inference(G):
        outs = torch.stack([translate(G, maps, seed=s) for s in range(draws)])
    return float(outs.std(0).mean())


APPEARANCE = ("hue", "background", "hue_jitter", "saturation", "value", "grey_jitter")
"""The factors a class map leaves open: what G is free to invent."""


def appearance_spread(n: int = 100, draws: int = 4) -> float:
    """:func:`noise_spread`'s statistic for real scenes: the first ``n`` held-out scenes rendered ``draws``
    times with their shape, size, place and turn kept and every :data:`APPEARANCE` factor drawn afresh. What
    the spread would be if G's noise chose the colours as the world does."""
    kept = {k: v[:n] for k, v in shapes.world("test").factors.items()}
    renders = []
    for draw in range(draws):
        fresh = shapes.sample_factors(n, torch.Generator().manual_seed(draw))
        renders.append(shapes.render({**kept, **{k: fresh[k] for k in APPEARANCE}})[0])
    return float(torch.stack(renders).std(0).mean())


def evaluate(trainer: Trainer, config: Pix2PixConfig) -> dict[str, float]:
    """The FCN-score of G's translations of ``eval_scenes`` held-out maps (per-pixel accuracy, mean class
    accuracy, mean class IoU, read by the shipped segmenter), their L1 distance to the real scenes, and
    :func:`noise_spread`."""
    test = shapes.world("test")
    maps, real = test.maps[:config.eval_scenes], test.images[:config.eval_scenes]
    fake = trainer.generate(len(maps), condition=maps)
    out = fcn.summary(segmenter.score(segmenter.shipped(), fake, maps))
    out["l1"] = float((fake - real).abs().mean())
    out["noise_spread"] = noise_spread(trainer.G, maps[:100])
    return out


def ground_truth(config: Pix2PixConfig) -> dict[str, float]:
    """The segmenter on the real held-out scenes of those maps: the tables' "ground truth" row."""
    test = shapes.world("test")
    return fcn.summary(segmenter.score(segmenter.shipped(), test.images[:config.eval_scenes],
                                       test.maps[:config.eval_scenes]))


def objective_rows(config: Pix2PixConfig) -> list[Pix2PixConfig]:
    """The paper's Table 1: L1, GAN, cGAN, L1+GAN, L1+cGAN (the last is ``config`` itself)."""
    return [replace(config, adversarial="none", l1_weight=config.l1_weight),
            replace(config, adversarial="gan", l1_weight=0.0), replace(config, adversarial="cgan", l1_weight=0.0),
            replace(config, adversarial="gan"), replace(config, adversarial="cgan")]


def patch_rows(config: Pix2PixConfig, downs: tuple[int, ...] = (0, 1, 2, 3)) -> list[Pix2PixConfig]:
    """The paper's Table 2 at 32 pixels, L1+cGAN, one row per entry of ``downs``: 0 gives D a 1x1 receptive
    field (PixelGAN), 1 4x4 (the paper's 16x16), 2 10x10 (``config``'s own, about the share of the image that
    70x70 is of 256) and 3 the whole image (ImageGAN)."""
    base = replace(config, adversarial="cgan")
    return [replace(base, downs=d, whole=d == 3) for d in downs]


def generator_rows(config: Pix2PixConfig) -> list[Pix2PixConfig]:
    """L1+cGAN with the U-Net (``config``'s) and with the paper's encoder-decoder (no skips)."""
    return [replace(config, adversarial="cgan", skips=True), replace(config, adversarial="cgan", skips=False)]


def run_one(config: Pix2PixConfig) -> dict[str, Any]:
    """Train one row with one seed: its FCN-score and translations of 8 held-out maps."""
    trainer = build(config).fit(config.steps, progress=False)
    maps = shapes.world("test").maps[:8]
    return {"metrics": evaluate(trainer, config), "samples": trainer.generate(8, condition=maps),
            "receptive_field": config.receptive_field}


def picture_rows(results: list[dict[str, Any]], seed: int) -> dict[str, torch.Tensor]:
    """For a figure: the 8 held-out maps (painted), each row's translations by its run of ``seed``, and the
    real scenes, keyed by what each row is."""
    test = shapes.world("test")
    made = {r["variant"]: r["samples"] for r in results if r["seed"] == seed}
    return {"label map": shapes.paint_maps(test.maps[:8]), **made, "real scene": test.images[:8]}


def run(config: Pix2PixConfig, progress: bool = True) -> list[dict[str, Any]]:
    """Every row of both tables and the encoder-decoder (L1+cGAN once), ``config.seeds`` seeds each (:func:`.runs.sweep`)."""
    rows = objective_rows(config)
    rows += [c for c in patch_rows(config) + generator_rows(config) if c not in rows]
    return sweep(run_one, rows, range(config.seed, config.seed + config.seeds), progress)


Config = Pix2PixConfig
