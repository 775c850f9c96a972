"""Chapter 16: a small StyleGAN2-like generator on the shape world, with and without mixing regularisation.

:class:`~ganbook.models.stylegan.StyleGenerator` (mapping network, modulated
and demodulated convolutions, noise inputs, skip outputs) against chapter 14's
ProGAN discriminator at full size (minibatch standard deviation included), in
:class:`~ganbook.games.style.StyleGame`: the non-saturating loss with R1 on
real scenes (gamma ``r1_gamma``), Adam(0, 0.99), a moving average of G for
sampling. ``mixing`` is the share of fakes drawn from two latents.
:func:`run` trains it with and without mixing and :func:`table2` sets their FDs
beside the paper's; what the chapter measures of a trained G (path length,
separability, projection, editing) is in :mod:`.stylegan_analysis`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import torch
from torch import Tensor

from ..anchors import anchor
from ..data import shapes
from ..games import Objective
from ..games.style import StyleGame
from ..models.progan import ProDiscriminator
from ..models.stylegan import StyleGenerator, mix_styles
from ..penalties import r1_penalty
from ..train import Trainer
from . import world
from .base import ExperimentConfig, make_trainer
from .runs import sweep
from .stylegan_analysis import ppl

NAME = "stylegan-shapes"
CHAPTER = 16


@dataclass(frozen=True)
class StyleGANConfig(ExperimentConfig):
    """Sizes and optimisers per profile; ``mixing`` is the mixing-regularisation probability."""

    mixing: float = 0.9
    steps: int = 500
    batch_size: int = 32
    latent_dim: int = 32
    w_dim: int = 32
    mapping_layers: int = 4
    width: int = 32  # channels of G's layers at 32 pixels, doubling at each coarser resolution ...
    max_width: int = 32  # ... up to this many (models.progan.widths; equal to width: the same everywhere)
    d_width: int = 16  # the same two for D
    d_max_width: int = 16
    lr_g: float = 2e-3
    lr_d: float = 2e-3
    mapping_lr_mult: float = 0.01  # the mapping network learns 100x slower (StyleGAN, appendix C)
    betas: tuple[float, float] = (0.0, 0.99)
    r1_gamma: float = 1.0
    ema_decay: float = 0.99
    eval_samples: int = 1000
    ppl_samples: int = 400
    separability_samples: int = 2000

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=10, batch_size=16, width=8, max_width=8, d_width=8, d_max_width=8, eval_samples=64,
                      ppl_samples=32, separability_samples=128),
        "cpu": {},
        "gpu": dict(steps=40000, batch_size=64, width=128, max_width=128, d_width=128, d_max_width=128,
                    latent_dim=128, w_dim=128, mapping_layers=8, ema_decay=0.999, eval_samples=4000, ppl_samples=4000,
                    separability_samples=10000),
    }

    @property
    def label(self) -> str:
        return f"mixing {self.mixing:.0%}"

    def validated(self) -> "StyleGANConfig":
        """Every field in its range, and each network's ``max_width`` at least its ``width``."""
        for top, base in (("max_width", "width"), ("d_max_width", "d_width")):
            if getattr(self, top) < getattr(self, base):
                raise ValueError(f"{type(self).__name__} {top}={getattr(self, top)} is below {base}="
                                 f"{getattr(self, base)}: it caps the coarse layers, so set it to {base} or more")
        return super().validated()


def build(config: StyleGANConfig, device: torch.device | str = "cpu") -> Trainer:
    """The style-based G and ProGAN's full-size D in the style game, with R1 and a moving average of G."""
    torch.manual_seed(config.seed)
    G = StyleGenerator(config.latent_dim, config.w_dim, config.width, config.mapping_layers, config.max_width)
    D = ProDiscriminator(config.d_width, max_width=config.d_max_width)
    objective = Objective(penalty=r1_penalty, penalty_weight=config.r1_gamma / 2)
    mapping = {id(p) for p in G.mapping.parameters()}
    optimizers = {"g": torch.optim.Adam([  # the mapping network's rate scaled, as StyleGAN's
        {"params": list(G.mapping.parameters()), "lr": config.lr_g * config.mapping_lr_mult},
        {"params": [p for p in G.parameters() if id(p) not in mapping], "lr": config.lr_g}], betas=config.betas),
        "d": torch.optim.Adam(D.parameters(), lr=config.lr_d, betas=config.betas)}
    return make_trainer(StyleGame(G, D, objective, config.mixing), shapes.world("train", device=device).sample,
                        config, device, optimizers=optimizers)


def averaged(trainer: Trainer) -> StyleGenerator:
    """The moving average of G (G itself without one), in eval mode; the trainer copies G's buffers, its
    mean ``w`` included, into the average after every step."""
    G = trainer.G_ema if trainer.G_ema is not None else trainer.G
    return G.eval()


@torch.no_grad()
def mixed_samples(G: StyleGenerator, n: int, latents: int, seed: int = 0) -> Tensor:
    """``n`` images each made from ``latents`` (1 or 2) latents with a random crossover (StyleGAN Table 2)."""
    gen = torch.Generator().manual_seed(seed)
    w1 = G.mapping(torch.randn(n, G.latent_dim, generator=gen))
    if latents == 1:
        return G.synthesis(G.broadcast(w1))
    w2 = G.mapping(torch.randn(n, G.latent_dim, generator=gen))
    cut = torch.randint(1, G.num_ws, (n,), generator=gen)
    return G.synthesis(mix_styles(w1, w2, cut, G.num_ws))


def run_one(config: StyleGANConfig) -> dict[str, Any]:
    """Train one run; return its trainer state, time, and FD with 1 and 2 latents mixed at test time."""
    start = time.perf_counter()
    trainer = build(config).fit(config.steps, progress=False)
    seconds = time.perf_counter() - start
    torch.manual_seed(0)
    G = averaged(trainer)
    fd = {k: world.measure(mixed_samples(G, config.eval_samples, k))["fd"] for k in (1, 2)}
    return {"mixing": config.mixing, "seconds": seconds, "fd_1": fd[1], "fd_2": fd[2],
            "state": trainer.state_dict()}


def run(config: StyleGANConfig, progress: bool = True) -> dict[float, Any]:
    """:func:`run_one` with no mixing and with ``config.mixing`` (:func:`.runs.sweep`); ``{mixing: result}``."""
    return {r["mixing"]: r for r in sweep(run_one, [replace(config, mixing=m) for m in (0.0, config.mixing)],
                                          progress=progress)}


def restore(config: StyleGANConfig, result: dict[str, Any]) -> Trainer:
    """A trainer holding a finished run's state (from :func:`run`)."""
    trainer = build(replace(config, mixing=result["mixing"]))
    trainer.load_state_dict(result["state"])
    return trainer


def evaluate(trainer: Trainer, config: StyleGANConfig) -> dict[str, float]:
    """Reader metrics of the averaged G, FD with two mixed latents, and PPL in Z and W (full sampling)."""
    torch.manual_seed(0)
    G = averaged(trainer)
    out = world.measure(mixed_samples(G, config.eval_samples, 1))
    out["fd_2_latents"] = world.measure(mixed_samples(G, config.eval_samples, 2))["fd"]
    out.update({f"ppl_{s}": ppl(G, s, "full", config.ppl_samples) for s in ("z", "w")})
    return out


def table2(runs: dict[float, Any]) -> dict[str, dict[str, float]]:
    """StyleGAN's Table 2 beside :func:`run`'s runs: FD with 1 and 2 latents mixed at
    test time for each run, then the paper's FIDs without and with 90% mixing
    (:mod:`ganbook.anchors`). ``{row: {column: value}}``."""
    rows = {r["variant"]: {"FD, 1 latent": r["fd_1"], "FD, 2 latents": r["fd_2"]} for r in runs.values()}
    for key, label in (("none", "no mixing"), ("90", "mixing 90%")):
        paper = anchor(f"stylegan-mixing-{key}").values
        rows[f"StyleGAN Table 2 (FID): {label}"] = {"FD, 1 latent": paper["latents_1"][0],
                                                     "FD, 2 latents": paper["latents_2"][0]}
    return rows


Config = StyleGANConfig
