"""Chapter 10, part 2: does the critic's loss track sample quality on digits, and does D's?

Three runs of the same fully connected networks on mnist5k, each with its
paper's optimiser and the same number of generator steps:

- ``"gan"``: the standard game (BCE, non-saturating G loss), Adam 2e-4, betas (0.5, 0.999);
- ``"clip"``: WGAN, RMSProp 5e-5, weights clipped to +-0.01, 5 critic updates per G update
  (Arjovsky et al., 2017);
- ``"gp"``: WGAN-GP, Adam 1e-4, betas (0, 0.9), lambda 10, 5 critic updates (Gulrajani et al., 2017).

A :class:`QualityTracker` callback records, every ``track_every`` generator steps,
the Frechet distance of ``track_samples`` fresh digits (in the shipped
classifier's feature space) and the mean D loss over the steps since the last
record; :func:`rank_correlation` says how well one follows the other.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Any, ClassVar

import numpy as np
import torch
from scipy import stats
from torch import nn

from .. import metrics
from ..data import mnist5k
from ..games import Objective, StandardGame
from ..games.wasserstein import wasserstein_game
from ..metrics.features import digit_space
from ..models import MLPDiscriminator, MLPGenerator
from ..train import Every, Trainer
from . import digits
from .base import ExperimentConfig, make_trainer
from .critic_w1 import estimate
from .runs import sweep

NAME = "wgan-digits"
CHAPTER = 10
GAMES = ("gan", "clip", "gp")
LABELS = {"gan": "standard GAN", "clip": "WGAN (clipping)", "gp": "WGAN-GP"}


@dataclass(frozen=True)
class WGANDigitsConfig(ExperimentConfig):
    """Sizes and each game's optimiser, per profile; ``game`` picks one of :data:`GAMES`."""

    game: str = "gp"
    steps: int = 1000  # generator steps, the same for every game
    batch_size: int = 64
    latent_dim: int = 64
    g_hidden: tuple[int, ...] = (256, 512)
    d_hidden: tuple[int, ...] = (256, 128)
    lr_gan: float = 2e-4  # Adam, betas (0.5, 0.999), both players
    lr_clip: float = 5e-5  # RMSProp, both players
    clip: float = 0.01
    lr_gp: float = 1e-4  # Adam, betas (0, 0.9), both players
    gp_weight: float = 10.0
    n_critic: int = 5  # critic updates per G update for "clip" and "gp"
    track_every: int = 50
    track_samples: int = 500
    eval_samples: int = 1000  # digits measured at the end

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=30, batch_size=32, g_hidden=(64,), d_hidden=(64,), track_every=5, track_samples=200,
                      eval_samples=200),
        "cpu": {},
        "gpu": dict(steps=20000, g_hidden=(256, 512, 1024), d_hidden=(512, 256), track_every=1000, track_samples=2000,
                    eval_samples=4000),
    }

    def __post_init__(self) -> None:
        if self.game not in GAMES:
            raise ValueError(f"unknown game {self.game!r}: choose one of {', '.join(GAMES)}")


def build(config: WGANDigitsConfig, device: torch.device | str = "cpu") -> Trainer:
    """G and D for ``config.game``, with that game's optimiser, on mnist5k's training digits."""
    torch.manual_seed(config.seed)
    G = MLPGenerator(config.latent_dim, 784, config.g_hidden, out_activation=nn.Tanh, out_shape=(1, 28, 28))
    D = MLPDiscriminator(784, config.d_hidden)
    params = {"g": G.parameters(), "d": D.parameters()}
    if config.game == "gan":
        game: StandardGame = StandardGame(G, D, Objective())
        opts = {k: torch.optim.Adam(p, lr=config.lr_gan, betas=(0.5, 0.999)) for k, p in params.items()}
    elif config.game == "clip":
        game = wasserstein_game(G, D, "clip", clip=config.clip, n_critic=config.n_critic)
        opts = {k: torch.optim.RMSprop(p, lr=config.lr_clip) for k, p in params.items()}
    else:
        game = wasserstein_game(G, D, "gp", gp_weight=config.gp_weight, n_critic=config.n_critic)
        opts = {k: torch.optim.Adam(p, lr=config.lr_gp, betas=(0.0, 0.9)) for k, p in params.items()}
    return make_trainer(game, mnist5k("train", device).sample, config, device, optimizers=opts)


@dataclass
class QualityTracker:
    """Callback: the Frechet distance of fresh samples and D's mean loss (``d.adv``: the penalty left out)
    over the steps since the last call."""

    samples: int
    records: list[dict[str, float]] = field(default_factory=list)

    def __call__(self, trainer: Trainer) -> None:
        if trainer.step == 0:
            return
        since = self.records[-1]["step"] if self.records else 0
        d_loss = [v for v in trainer.history["d.adv"][int(since):] if np.isfinite(v)]
        fake = trainer.generate(self.samples, seed=trainer.step, ema=False)
        fd = metrics.frechet_distance(digits.reference().train_features, digit_space()(fake))
        self.records.append({"step": trainer.step, "fd": fd, "d_loss": float(np.mean(d_loss))})


def run_one(config: WGANDigitsConfig) -> dict[str, Any]:
    """Train one game; its quality track, final metrics, critic slopes on interpolates and weights."""
    tracker = QualityTracker(config.track_samples)
    trainer = build(config).fit(config.steps, callbacks=[Every(config.track_every, tracker)], progress=False)
    real = digits.reference().train.images[:config.track_samples]
    fake = trainer.generate(config.track_samples, ema=False)
    return {"game": config.game, "track": tracker.records, "history": trainer.history,
            "final": digits.measure(trainer.generate(config.eval_samples, ema=False)),
            "slopes": estimate(trainer.D, real, fake, seed=config.seed),
            "weights": torch.cat([p.detach().flatten() for n, p in trainer.D.named_parameters()
                                  if n.endswith("weight")]).numpy(),
            "samples": trainer.generate(64, ema=False)}


def run(config: WGANDigitsConfig, games: tuple[str, ...] = GAMES, progress: bool = True) -> list[dict[str, Any]]:
    """:func:`run_one` for each game (:func:`.runs.sweep`)."""
    return sweep(run_one, [replace(config, game=g) for g in games], progress=progress, desc="games")


def rank_correlation(track: list[dict[str, float]], after: int = 0) -> float:
    """Spearman's rank correlation between D's negated loss and the Frechet distance over a run's records.

    A critic's negated loss is its estimate of W1 (``E f(x) - E f(G(z))``): near
    +1 it falls as the samples get better, so it can be read as a measure of
    quality; near 0 it says nothing about quality. Only records after step ``after`` count.
    """
    kept = [r for r in track if r["step"] > after]
    if len(kept) < 3:
        raise ValueError(f"a rank correlation needs at least 3 records after step {after}, got {len(kept)}")
    d = [-r["d_loss"] for r in kept]
    f = [r["fd"] for r in kept]
    return float(stats.spearmanr(d, f).statistic)


def evaluate(trainer: Trainer, config: WGANDigitsConfig) -> dict[str, float]:
    """:func:`ganbook.experiments.digits.measure` on ``eval_samples`` digits from a fixed seed."""
    return digits.measure(trainer.generate(config.eval_samples))


Config = WGANDigitsConfig
