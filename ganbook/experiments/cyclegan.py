"""Chapter 18: CycleGAN without pairs, on two pairs of domains.

``shapes``: the shape world's label maps <-> its scenes. A map is painted as a
colour image (one colour per class, :func:`~ganbook.data.shapes.paint_maps`), as Cityscapes' label
images are, so both domains are 3-channel images and the identity term
applies. The maps come from the first half of the training scenes and the
scenes from the second half, so no scene's own map is ever in training.
Scored as the paper did: the FCN-score of maps -> scenes (the shipped
segmenter reads the translations) and the per-pixel accuracy of scenes -> maps
(each pixel's nearest palette colour is its class).

``digits``: mnist5k's 28x28 digits (padded to 32) <-> scikit-learn's 8x8 UCI
digits (each pixel a 4x4 block), unpaired. Scored by the share of digits
whose class survives the translation, read by a classifier of the target
domain (the shipped digit classifier; a logistic regression on the UCI
training digits), and by the round-trip error.

Both use :class:`~ganbook.games.cyclegan.CycleGANGame` with chapter 17's U-Net
(no dropout, as the authors' CycleGAN) and PatchGAN, Adam constant for the
first half of the steps and then falling linearly to 0 (the paper: 100 epochs
constant, 100 decaying).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np
import torch
import torch.nn.functional as F
from torch import Tensor, nn

from .. import players
from ..batch import unpaired
from ..config import Bound
from ..data import shapes
from ..data.digits import ImageSet, mnist5k, uci_digits
from ..games.cyclegan import CycleGANGame
from ..metrics import fcn
from ..metrics.instruments import digit_classifier, segmenter
from ..models.pix2pix import PatchDiscriminator, UNetGenerator
from ..train import Trainer, linear_decay
from .base import ExperimentConfig, adam_pair, make_trainer
from .runs import sweep

NAME = "cyclegan"
CHAPTER = 18

PAIRS = ("shapes", "digits")
DIGIT_SCORES = ("kept_ab", "kept_ba", "kept_aba", "kept_bab", "cycle_a", "cycle_b")
"""What :func:`evaluate` gives for the digits pair."""


@dataclass(frozen=True)
class CycleGANConfig(ExperimentConfig):
    """One CycleGAN run: the pair of domains, the networks, which terms the objective keeps, the optimiser."""

    pair: str = "shapes"  # "shapes" (label maps <-> scenes) or "digits" (mnist5k <-> UCI 8x8)
    # 6 rows x 2 seeds of maps <-> scenes, 2 of digits and 2 pix2pix runs in a chapter's five CPU minutes
    # (10 rows of 250 steps and 2 pix2pix runs took 190 s on two cores)
    steps: int = 200
    batch_size: int = 4  # the paper's is 1; the pool swaps row by row, so it works at any size
    # ten times the paper's 2e-4, as chapter 17's pix2pix, to learn within a chapter's CPU budget
    lr_g: float = 2e-3
    lr_d: float = 2e-3
    betas: tuple[float, float] = (0.5, 0.999)
    decay_from: float = 0.5  # both rates constant for this share of the steps, then linearly to 0
    width: int = 8
    max_width: int = 32
    d_width: int = 8
    downs: int = 2  # D's receptive field 10x10, chapter 17's stand-in for 70x70
    cycle_weight: float = 10.0
    # identity weight = identity_share x cycle_weight: the authors' code's default; the paper brings the term in
    # for paintings -> photos (its Section 5.2)
    identity_share: float = 0.5
    pool: int = 50
    gan: bool = True
    forward: bool = True  # the cycle a -> b -> a
    backward: bool = True  # the cycle b -> a -> b
    eval_scenes: int = 300  # held-out images translated for each score
    seeds: int = 2

    BOUNDS: ClassVar[dict[str, Bound]] = {"downs": Bound(0, 3), "cycle_weight": Bound(0), "identity_share": Bound(0),
                                          "pool": Bound(0)}
    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=4, batch_size=2, width=4, max_width=8, d_width=4, eval_scenes=40),
        "cpu": {},
        "gpu": dict(steps=40000, batch_size=1, lr_g=2e-4, lr_d=2e-4, width=64, max_width=256, d_width=64,
                    eval_scenes=2000, seeds=3),
    }

    def validated(self) -> "CycleGANConfig":
        super().validated()
        if self.pair not in PAIRS:
            raise ValueError(f"CycleGANConfig: unknown pair {self.pair!r}; use one of {', '.join(PAIRS)}")
        if not (self.gan or self.forward or self.backward):
            raise ValueError("CycleGANConfig: switch on at least one of gan, forward and backward")
        return self

    @property
    def label(self) -> str:
        terms = (self.gan, self.forward, self.backward)
        names = {(True, True, True): "CycleGAN", (True, False, False): "GAN alone",
                 (False, True, True): "cycle alone", (True, True, False): "GAN + forward cycle",
                 (True, False, True): "GAN + backward cycle"}
        name = names.get(terms, " + ".join(n for n, on in zip(("GAN", "forward", "backward"), terms) if on))
        return name if self.identity_share > 0 else f"{name}, no identity term"


@lru_cache(maxsize=2)
def domains(pair: str, split: str) -> tuple[ImageSet, ImageSet]:
    """The two domains' images of ``split`` (A, B), both ``(n, C, 32, 32)`` in [-1, 1], labelled (a shape's or
    a digit's class). For ``shapes`` in training, A is painted from the first half's maps and B is the
    second half's scenes."""
    if pair == "shapes":
        world = shapes.world(split)
        half = len(world.images) // 2 if split == "train" else len(world.images)
        rest = slice(half, None) if split == "train" else slice(None)
        return (ImageSet(shapes.paint_maps(world.maps[:half]), world.labels[:half], f"label maps ({split})"),
                ImageSet(world.images[rest], world.labels[rest], f"scenes ({split})"))
    a, b = mnist5k(split), uci_digits(split)
    # mnist5k's file is sorted by class: a fixed shuffle, so that the first n test digits hold every class
    order = torch.randperm(len(a), generator=torch.Generator().manual_seed(0))
    return (ImageSet(F.pad(a.images[order], (2, 2, 2, 2), value=-1.0), a.labels[order], a.name),
            ImageSet(F.interpolate(b.images, scale_factor=4, mode="nearest"), b.labels, b.name))


def build(config: CycleGANConfig, device: torch.device | str = "cpu") -> Trainer:
    """Two U-Nets, two PatchGANs, CycleGAN's game on the pair's unpaired training images."""
    torch.manual_seed(config.seed)
    a, b = domains(config.pair, "train")
    ca, cb = a.images.shape[1], b.images.shape[1]

    def unet(c_in: int, c_out: int) -> nn.Module:
        return UNetGenerator(c_in, c_out, config.width, dropout=0.0, max_width=config.max_width, stem=True)

    G_ab, G_ba = unet(ca, cb), unet(cb, ca)
    D_a, D_b = (PatchDiscriminator(c, config.d_width, config.downs) for c in (ca, cb))
    a_set, b_set = a.to(device), b.to(device)
    game = CycleGANGame(G_ab, G_ba, D_a, D_b, a_set.sample, config.cycle_weight, config.identity_share,
                        config.pool, config.gan, config.forward, config.backward)
    optimizers = adam_pair(nn.ModuleList([G_ab, G_ba]), nn.ModuleList([D_a, D_b]), config.lr_g, config.lr_d,
                           config.betas)
    schedule = linear_decay(config.steps, config.decay_from) if config.decay_from < 1 else None
    return make_trainer(game, unpaired(a_set.sample, b_set.sample), config, device, optimizers=optimizers,
                        lr_schedule=schedule)


def apply(net: nn.Module, x: Tensor, batch: int = 500) -> Tensor:
    """``net(x)`` in eval mode without gradients, in batches, leaving ``net`` in the mode it was in."""
    with players.inference(net):
        return torch.cat([net(x[i:i + batch]) for i in range(0, len(x), batch)])


def round_trips(trainer: Trainer, a: Tensor, b: Tensor) -> dict[str, Tensor]:
    """Each held-out image's translation and its way back: ``ab``, ``aba``, ``ba``, ``bab``."""
    G_ab, G_ba = trainer.game.G_ab, trainer.game.G_ba
    ab, ba = apply(G_ab, a), apply(G_ba, b)
    return {"ab": ab, "aba": apply(G_ba, ab), "ba": ba, "bab": apply(G_ab, ba)}


@lru_cache(maxsize=1)
def uci_reader() -> Any:
    """A logistic regression on the UCI training digits (pixels 0-16): domain B's class reader."""
    from sklearn.linear_model import LogisticRegression

    train = uci_digits("train")
    model = LogisticRegression(max_iter=2000)
    return model.fit(_uci_pixels(train.images), train.labels.numpy())


def _uci_pixels(images: Tensor) -> np.ndarray:
    """``(n, 1, 8, 8)`` in [-1, 1], or ``(n, 1, 32, 32)`` averaged over 4x4 blocks, as UCI's 0-16 pixel rows."""
    small = F.avg_pool2d(images, 4) if images.shape[-1] == 32 else images
    return ((small + 1) * 8).reshape(len(small), -1).numpy()


def read_digits(images: Tensor, domain: str) -> np.ndarray:
    """The classes of 32x32 digit images as domain ``"a"`` (the shipped MNIST classifier on the centre 28x28)
    or ``"b"`` (:func:`uci_reader` on the 4x4-block averages) reads them."""
    if domain == "a":
        with torch.no_grad():
            return digit_classifier.shipped()(images[..., 2:30, 2:30]).argmax(1).numpy()
    return uci_reader().predict(_uci_pixels(images))


def evaluate(trainer: Trainer, config: CycleGANConfig) -> dict[str, float]:
    """``shapes``: the FCN-score of maps -> scenes, and scenes -> maps' per-pixel accuracy, class accuracy
    and IoU (``reverse_*``); ``digits``: the share of digits whose class is read back in the other domain
    (``kept_ab``, ``kept_ba``), and read back in its own domain after the round trip (``kept_aba``,
    ``kept_bab``). Both: the mean absolute round-trip errors ``cycle_a`` (a -> b -> a) and
    ``cycle_b``."""
    a, b = (d.images[:config.eval_scenes] for d in domains(config.pair, "test"))
    made = round_trips(trainer, a, b)
    out: dict[str, float] = {}
    if config.pair == "shapes":
        maps = shapes.world("test").maps[:config.eval_scenes]
        out.update(fcn.summary(segmenter.score(segmenter.shipped(), made["ab"], maps)))
        reverse = fcn.summary(fcn.scores(fcn.confusion(maps, shapes.read_maps(made["ba"]), len(shapes.MAP_PALETTE))))
        out.update({f"reverse_{k}": v for k, v in reverse.items()})
    else:
        la, lb = (d.labels[:config.eval_scenes].numpy() for d in domains(config.pair, "test"))
        out["kept_ab"] = float((read_digits(made["ab"], "b") == la).mean())
        out["kept_ba"] = float((read_digits(made["ba"], "a") == lb).mean())
        out["kept_aba"] = float((read_digits(made["aba"], "a") == la).mean())
        out["kept_bab"] = float((read_digits(made["bab"], "b") == lb).mean())
    out["cycle_a"] = float((made["aba"] - a).abs().mean())
    out["cycle_b"] = float((made["bab"] - b).abs().mean())
    return out


def references(pair: str, n: int) -> dict[str, dict[str, float]]:
    """What no learning gives, for the tables' bottom rows. ``shapes``: the paired ceilings (the segmenter,
    itself a paired scenes -> maps model, on real scenes). ``digits``: each reader on its own domain's
    held-out digits, and on the other domain's digits merely resized (block averages, or 4x4 blocks)."""
    a, b = domains(pair, "test")
    a, b = replace(a, images=a.images[:n], labels=a.labels[:n]), replace(b, images=b.images[:n], labels=b.labels[:n])
    if pair == "shapes":
        maps = shapes.world("test").maps[:n]
        truth = fcn.summary(segmenter.score(segmenter.shipped(), b.images, maps))
        return {"real scenes (the segmenter)": {**truth, **{f"reverse_{k}": v for k, v in truth.items()}}}
    la, lb = a.labels.numpy(), b.labels.numpy()
    return {"each reader on its own domain": {"kept_ab": float((read_digits(b.images, "b") == lb).mean()),
                                              "kept_ba": float((read_digits(a.images, "a") == la).mean())},
            "resized, not translated": {"kept_ab": float((read_digits(a.images, "b") == la).mean()),
                                        "kept_ba": float((read_digits(b.images, "a") == lb).mean())}}


def ablation_rows(config: CycleGANConfig) -> list[CycleGANConfig]:
    """The paper's Table 4 rows: CycleGAN (``config``), cycle alone, GAN alone, GAN + forward, GAN + backward;
    then CycleGAN without the identity term."""
    return [replace(config, gan=g, forward=f, backward=b)
            for g, f, b in ((True, True, True), (False, True, True), (True, False, False), (True, True, False),
                            (True, False, True))] + [replace(config, identity_share=0.0)]


def run_one(config: CycleGANConfig) -> dict[str, Any]:
    """Train one row with one seed: its scores and the round trips of 8 held-out images each way."""
    trainer = build(config).fit(config.steps, progress=False)
    a, b = (d.images[:8] for d in domains(config.pair, "test"))
    return {"metrics": evaluate(trainer, config), "trips": round_trips(trainer, a, b)}


def run(configs: list[CycleGANConfig], seeds: int, progress: bool = True) -> list[dict[str, Any]]:
    """Every config with ``seeds`` seeds from its own (:func:`.runs.sweep`)."""
    first = configs[0].seed
    return sweep(run_one, configs, range(first, first + seeds), progress)


Config = CycleGANConfig
