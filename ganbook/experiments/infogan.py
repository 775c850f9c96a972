"""Chapter 8: InfoGAN on mnist5k, with no labels in training, and how well its class code clusters digits."""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, ClassVar

import torch

from .. import metrics
from ..augment import random_affine
from ..data import mnist5k
from ..games.infogan import InfoGANGame
from ..models.infogan import InfoCodes, InfoGANDiscriminator, InfoGANGenerator
from ..train import Trainer, linear_decay
from . import digits
from .base import ExperimentConfig, make_trainer

NAME = "infogan"
CHAPTER = 8


@dataclass(frozen=True)
class InfoGANConfig(ExperimentConfig):
    steps: int = 1800
    batch_size: int = 64
    lr_g: float = 1e-3  # the paper: G 1e-3, D 2e-4; D here 5e-4
    lr_d: float = 5e-4
    betas: tuple[float, float] = (0.5, 0.999)
    eval_samples: int = 1000
    noise_dim: int = 62  # as in the paper's MNIST model: 62 noise + 10 categorical + 2 continuous
    n_cat: int = 10  # categories of the class code (chapter 8's exercise 4 tries 20)
    n_cont: int = 2
    width: int = 32
    info_weight: float = 1.0
    cont_weight: float = 0.1
    fc: int = 512  # the paper: 1024 (and width 64)
    noise_std: float = 0.2  # the paper: 1; see InfoCodes and chapter 8
    # Q must also read the class code from a randomly rotated, shifted and scaled copy of
    # each fake (Elastic-InfoGAN's idea; not in the paper, 0 turns it off); see chapter 8
    view_weight: float = 1.0
    view_degrees: float = 20.0
    view_shift: float = 0.1
    view_scale: float = 0.1

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=40, width=8, fc=64, eval_samples=300),
        "cpu": {},
        "gpu": dict(steps=20000, batch_size=128, width=64, fc=1024, eval_samples=4000),
    }

    @property
    def codes(self) -> InfoCodes:
        return InfoCodes(self.noise_dim, self.n_cat, self.n_cont, self.cont_weight, self.noise_std)


def build(config: InfoGANConfig, device: torch.device | str = "cpu") -> Trainer:
    torch.manual_seed(config.seed)
    codes = config.codes
    G = InfoGANGenerator(codes.dim, config.width, config.fc)
    D = InfoGANDiscriminator(config.width, config.fc, config.n_cat, config.n_cont)
    view = None
    if config.view_weight:  # Q reads the class code from a changed copy of each fake too
        view = partial(random_affine, degrees=config.view_degrees, shift=config.view_shift, scale=config.view_scale)
    game = InfoGANGame(G, D, codes, config.info_weight, view=view, view_weight=config.view_weight)
    return make_trainer(game, mnist5k("train", device).sample, config, device,  # images only: no labels
                        lr_schedule=linear_decay(config.steps, 0.5))  # both rates fall to 0 over the second half


@torch.no_grad()
def q_classes(trainer: Trainer, images: torch.Tensor) -> torch.Tensor:
    """Q's most likely categorical code for each image ``(n, 1, 28, 28)``: ``(n,)``."""
    D = trainer.D.eval()
    n_cat = trainer.game.codes.n_cat
    out = torch.cat([D.heads(images[i:i + 500].to(trainer.device))[1][:, :n_cat].argmax(1).cpu()
                     for i in range(0, len(images), 500)])
    D.train()
    return out


def code_accuracy(trainer: Trainer, config: InfoGANConfig, per_code: int = 100, seed: int = 1) -> float:
    """Generate ``per_code`` digits for each categorical code (random noise and continuous codes),
    classify them with the shipped classifier, match codes to digits (one-to-one for 10 codes, each code
    to its most frequent digit for more); the share that matches."""
    codes = config.codes
    g = torch.Generator().manual_seed(seed)
    cat = torch.arange(codes.n_cat).repeat_interleave(per_code)
    n = len(cat)
    z = codes.make(codes.noise(n, g), cat, codes.cont(n, g))
    accuracy, _ = metrics.cluster_accuracy(cat, digits.predict(trainer.generate(n, z=z)), n_clusters=codes.n_cat)
    return accuracy


def evaluate(trainer: Trainer, config: InfoGANConfig) -> dict[str, float]:
    """Cluster accuracy of Q's code on the 1,000 held-out real digits, the same seen from G
    (:func:`code_accuracy`), and chapter 6's metrics of G's samples."""
    test = digits.reference().test
    accuracy, _ = metrics.cluster_accuracy(q_classes(trainer, test.images), test.labels, n_clusters=config.n_cat)
    return {"cluster_accuracy": accuracy, "code_accuracy": code_accuracy(trainer, config),
            **digits.measure(trainer.generate(config.eval_samples))}


Config = InfoGANConfig
