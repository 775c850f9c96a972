"""Chapter 16: a small StyleGAN2-like generator on the shape world, with and without mixing regularisation.

:class:`~ganbook.models.stylegan.StyleGenerator` (mapping network, modulated
and demodulated convolutions, noise inputs, skip outputs) against chapter 14's
ProGAN discriminator at full size (minibatch standard deviation included), in
:class:`~ganbook.games.style.StyleGame`: the non-saturating loss with R1 on
real scenes (gamma ``r1_gamma``), Adam(0, 0.99), a moving average of G for
sampling. ``mixing`` is the share of fakes drawn from two latents.
The analysis functions (:func:`ppl`, :func:`attributes`, :func:`project`,
:func:`edit_direction`) are what the chapter measures.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import torch
import torch.nn.functional as F
from torch import Tensor

from ..data import shapes
from ..games import Objective
from ..games.style import StyleGame
from ..metrics.features import shape_space
from ..metrics.latents import path_lengths, trimmed_mean
from ..models.progan import ProDiscriminator
from ..models.stylegan import StyleGenerator, mix_styles, without_noise
from ..penalties import r1_penalty
from ..train import Trainer
from . import world
from .base import ExperimentConfig, adam_pair
from .runs import parallel_map

NAME = "stylegan-shapes"


@dataclass(frozen=True)
class StyleGANConfig(ExperimentConfig):
    """Sizes and optimisers per profile; ``mixing`` is the mixing-regularisation probability."""

    mixing: float = 0.9
    steps: int = 500
    batch_size: int = 32
    latent_dim: int = 32
    w_dim: int = 32
    mapping_layers: int = 4
    width: int = 32  # channels of every synthesis layer
    d_width: int = 16
    lr_g: float = 2e-3
    lr_d: float = 2e-3
    betas: tuple[float, float] = (0.0, 0.99)
    r1_gamma: float = 1.0
    ema_decay: float = 0.99
    eval_samples: int = 1000
    ppl_samples: int = 400
    separability_samples: int = 2000

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=10, batch_size=16, width=8, d_width=8, lr_g=2e-3, lr_d=2e-3, eval_samples=64,
                      ppl_samples=32, separability_samples=128),
        "cpu": dict(steps=500, batch_size=32, width=32, d_width=16, lr_g=2e-3, lr_d=2e-3, eval_samples=1000,
                    ppl_samples=400, separability_samples=2000),
        "gpu": dict(steps=40000, batch_size=64, width=128, d_width=128, latent_dim=128, w_dim=128, mapping_layers=8,
                    lr_g=2e-3, lr_d=2e-3, ema_decay=0.999, eval_samples=4000, ppl_samples=4000,
                    separability_samples=10000),
    }

    @property
    def label(self) -> str:
        return f"mixing {self.mixing:.0%}"


def build(config: StyleGANConfig, device: torch.device | str = "cpu") -> Trainer:
    """The style-based G and ProGAN's full-size D in the style game, with R1 and a moving average of G."""
    torch.manual_seed(config.seed)
    G = StyleGenerator(config.latent_dim, config.w_dim, config.width, config.mapping_layers)
    D = ProDiscriminator(config.d_width)
    objective = Objective(penalty=r1_penalty, penalty_weight=config.r1_gamma / 2)
    return Trainer(StyleGame(G, D, objective, config.mixing), shapes.world("train", device=device).sample,
                   adam_pair(G, D, config.lr_g, config.lr_d, config.betas), batch_size=config.batch_size,
                   seed=config.seed, device=device, ema_decay=config.ema_decay)


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
        return G.synthesis(w1[:, None].expand(-1, G.num_ws, -1))
    w2 = G.mapping(torch.randn(n, G.latent_dim, generator=gen))
    cut = torch.randint(1, G.num_ws, (n,), generator=gen)
    return G.synthesis(mix_styles(w1, w2, cut, G.num_ws))


@torch.no_grad()
def ppl(G: StyleGenerator, space: str, sampling: str, n: int, epsilon: float = 1e-4, seed: int = 0) -> float:
    """Perceptual path length of ``G`` in ``space`` ("z": slerp of z, "w": lerp of w) with ``sampling``
    ("full": t ~ U(0, 1), "end": t in {0, 1}), in the factor reader's feature space; noise inputs off."""
    gen = torch.Generator().manual_seed(seed)
    a, b = torch.randn(2, n, G.latent_dim, generator=gen)
    t = torch.rand(n, generator=gen) if sampling == "full" else (torch.rand(n, generator=gen) < 0.5).float()

    def render(points: Tensor) -> Tensor:
        ws = (G.mapping(points) if space == "z" else points)[:, None].expand(-1, G.num_ws, -1)
        return G.synthesis(ws)

    if space == "w":
        a, b = G.mapping(a), G.mapping(b)
    with without_noise(G):
        return trimmed_mean(path_lengths(render, shape_space(), a, b, t, epsilon, spherical=space == "z"))


ATTRIBUTES = ("large", "right half", "lower half", "dark background", "circle", "star", "warm colour")


def attributes(images: Tensor) -> dict[str, Tensor]:
    """Seven binary attributes of each image, as the factor reader reads them."""
    got = world.factors(images)
    return {"large": got["size"] > 0.5, "right half": got["x"] > 0.5, "lower half": got["y"] > 0.5,
            "dark background": got["background"] == 0, "circle": got["shape"] == 0, "star": got["shape"] == 3,
            "warm colour": (got["hue"] == 0) | (got["hue"] == 1) | (got["hue"] == 5)}


def project(G: StyleGenerator, targets: Tensor, steps: int = 300, lr: float = 0.05,
            feature_weight: float = 0.05) -> tuple[Tensor, list[float]]:
    """Find ``w`` ``(n, w_dim)`` whose image matches each target ``(n, 3, 32, 32)``: Adam on pixel MSE plus
    ``feature_weight`` times the reader-feature distance, from the mean ``w``, noise off; returns ``w`` and
    the loss after each step."""
    space = shape_space()
    with torch.no_grad():
        goal = space.extract(targets)
    w = G.w_avg.detach().clone()[None].repeat(len(targets), 1).requires_grad_(True)
    opt = torch.optim.Adam([w], lr=lr)
    curve = []
    with without_noise(G):
        for _ in range(steps):
            image = G.synthesis(w[:, None].expand(-1, G.num_ws, -1))
            loss = F.mse_loss(image, targets) + feature_weight * (space.extract(image) - goal).pow(2).sum(1).mean()
            opt.zero_grad()
            loss.backward()
            opt.step()
            curve.append(float(loss.detach()))
    return w.detach(), curve


@torch.no_grad()
def edit_direction(G: StyleGenerator, factor: str, n: int = 2000, seed: int = 0) -> Tensor:
    """The unit direction in W along which the reader's ``factor`` (a continuous one) grows fastest:
    the least-squares fit of the factor on ``w`` over ``n`` samples. ``(w_dim,)``."""
    w = G.mapping(torch.randn(n, G.latent_dim, generator=torch.Generator().manual_seed(seed)))
    value = world.factors(G.synthesis(w[:, None].expand(-1, G.num_ws, -1)))[factor]
    x = torch.cat([w, torch.ones(n, 1)], 1)
    coef = torch.linalg.lstsq(x, value[:, None]).solution[:-1, 0]
    return coef / coef.norm()


def run_one(config: StyleGANConfig) -> dict[str, Any]:
    """Train one run; return its trainer state, time, and FD with 1 and 2 latents mixed at test time."""
    torch.set_num_threads(1)
    start = time.perf_counter()
    trainer = build(config).fit(config.steps, progress=False)
    seconds = time.perf_counter() - start
    torch.manual_seed(0)
    G = averaged(trainer)
    fd = {k: world.measure(mixed_samples(G, config.eval_samples, k))["fd"] for k in (1, 2)}
    return {"variant": config.label, "mixing": config.mixing, "seconds": seconds, "fd_1": fd[1], "fd_2": fd[2],
            "state": trainer.state_dict()}


def run(config: StyleGANConfig, progress: bool = True) -> dict[float, Any]:
    """:func:`run_one` with no mixing and with ``config.mixing``, on two worker processes; ``{mixing: result}``."""
    jobs = [(replace(config, mixing=m),) for m in (0.0, config.mixing)]
    return {r["mixing"]: r for r in parallel_map(run_one, jobs, progress=progress, desc="runs")}


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


Config = StyleGANConfig
