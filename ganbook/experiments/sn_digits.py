"""Chapter 11: three objectives, with and without spectral normalisation, over several seeds on digits.

Chapter 5's DCGAN G and D (D without its batch norm, for every variant) on mnist5k. ``objective`` picks the losses of
:mod:`ganbook.losses` (BCE with the non-saturating G loss, least squares
(Mao et al., 2017), hinge (Lim & Ye, 2017; Miyato et al., 2018));
``spectral_norm`` puts :func:`ganbook.spectral.spectrally_normalise` on D.
Everything else (sizes, optimiser, steps) is the same for every variant, so a
table over seeds compares objectives and normalisation and nothing else.
:func:`operator_norms` measures what each of D's layers can stretch an input by.
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any, ClassVar

import torch
from .. import losses, spectral
from ..data import mnist5k
from ..games import Objective, StandardGame
from ..models.dcgan import DCGANDiscriminator, DCGANGenerator
from ..train import Every, Trainer
from . import digits
from .base import ExperimentConfig, make_trainer
from .runs import sweep

NAME = "sn-digits"
CHAPTER = 11
OBJECTIVES = {
    "bce": Objective(),
    "least-squares": Objective(losses.d_loss_least_squares, losses.g_loss_least_squares),
    "hinge": Objective(losses.d_loss_hinge, losses.g_loss_hinge),
}


@dataclass(frozen=True)
class SNDigitsConfig(ExperimentConfig):
    """Sizes and the one optimiser of every variant, per profile; ``objective`` and ``spectral_norm`` pick it."""

    objective: str = "bce"
    spectral_norm: bool = False
    steps: int = 400
    batch_size: int = 32
    latent_dim: int = 64
    width: int = 16  # DCGAN channels (D's first layer; G's widest has 4x)
    lr_g: float = 2e-4
    lr_d: float = 2e-4
    betas: tuple[float, float] = (0.5, 0.999)
    seeds: int = 5  # runs per variant in the chapter's table
    frames: int = 6  # sample grids recorded over training (the slider)
    eval_samples: int = 500

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=10, width=4, seeds=2, frames=2, eval_samples=200),
        "cpu": dict(frames=5),
        "gpu": dict(steps=10000, batch_size=64, width=64, seeds=10, frames=10, eval_samples=4000),
    }

    def __post_init__(self) -> None:
        if self.objective not in OBJECTIVES:
            raise ValueError(f"unknown objective {self.objective!r}: choose one of {', '.join(OBJECTIVES)}")

    @property
    def label(self) -> str:
        return self.objective + (" + SN" if self.spectral_norm else "")


def build(config: SNDigitsConfig, device: torch.device | str = "cpu") -> Trainer:
    """G and D (spectrally normalised if ``config.spectral_norm``) in the standard game with ``config.objective``."""
    torch.manual_seed(config.seed)
    G = DCGANGenerator(config.latent_dim, config.width)
    D = DCGANDiscriminator(config.width, batch_norm=False)
    if config.spectral_norm:
        spectral.spectrally_normalise(D)
    return make_trainer(StandardGame(G, D, OBJECTIVES[config.objective]), mnist5k("train", device).sample, config,
                        device)


def operator_norms(D: torch.nn.Module, shape: tuple[int, ...] = (1, 1, 28, 28), iterations: int = 100,
                   seed: int = 0) -> list[float]:
    """Per layer of :func:`ganbook.spectral.layers` ``(D)``: the operator norm of the linear map it applies.

    For a dense layer this is its weight's largest singular value, what spectral
    norm divides by. A convolution applies its kernel at every position of its
    input, and that map's largest singular value is not the reshaped kernel
    matrix's: here it is found by power iteration on the layer as it acts on
    the input size a ``shape`` batch gives it, with the bias left out and the
    weight the layer uses (evaluation mode: no spectral-norm update). The result
    is a lower estimate that ``iterations`` steps bring close.
    """
    found = spectral.layers(D)
    inputs: dict[str, tuple[int, ...]] = {}

    def record(name: str) -> Any:
        def hook(module: torch.nn.Module, args: tuple[torch.Tensor, ...], output: torch.Tensor) -> None:
            inputs.setdefault(name, tuple(args[0].shape))
        return hook

    hooks = [m.register_forward_hook(record(name)) for name, m in found]
    was_training = D.training
    D.eval()
    try:
        device = next(D.parameters()).device
        with torch.no_grad():
            D(torch.zeros(shape, device=device))
        norms = []
        g = torch.Generator().manual_seed(seed)
        for name, layer in found:
            x = torch.randn(inputs[name], generator=g).to(device)
            with torch.no_grad():
                offset = layer(torch.zeros_like(x))  # the bias: the layer's linear part is layer(x) - offset
            sigma = 0.0
            for _ in range(iterations):
                x = (x / x.norm()).requires_grad_(True)
                y = layer(x) - offset
                sigma = float(y.detach().norm())
                (x,) = torch.autograd.grad(y, x, grad_outputs=y)  # A^T A x
            norms.append(sigma)
    finally:
        for h in hooks:
            h.remove()
        D.train(was_training)
    return norms


def run_one(config: SNDigitsConfig) -> dict[str, Any]:
    """Train one variant with one seed; its metrics, D's singular values and a few sample grids over training.

    The result has ``metrics`` as :func:`.runs.summary` reads them (:func:`.runs.sweep` adds ``variant``).
    """
    frames: list[tuple[int, torch.Tensor]] = []
    every = max(1, config.steps // config.frames)
    record = Every(every, lambda t: frames.append((t.step, t.generate(36, seed=0, ema=False))), at_start=False)
    trainer = build(config).fit(config.steps, callbacks=[record], progress=False)
    fake = trainer.generate(config.eval_samples, ema=False)
    if torch.isfinite(fake).all():
        measured = digits.measure(fake)
    else:  # a diverged run: no metric means anything
        measured = digits.failed()
    return {"objective": config.objective, "spectral_norm": config.spectral_norm, "metrics": measured, "singular_values": spectral.singular_values(trainer.D),
            "operator_norms": operator_norms(trainer.D),
            "frames": frames, "history": {k: trainer.history[k] for k in ("loss_d", "loss_g")}}


def variants(config: SNDigitsConfig) -> list[SNDigitsConfig]:
    """Every objective without and with spectral norm: six configs, in table order."""
    return [replace(config, objective=o, spectral_norm=sn) for sn in (False, True) for o in OBJECTIVES]


def run(config: SNDigitsConfig, seeds: range | list[int], configs: list[SNDigitsConfig] | None = None,
        progress: bool = True) -> list[dict[str, Any]]:
    """:func:`run_one` for every config (default :func:`variants`) and seed (:func:`.runs.sweep`)."""
    return sweep(run_one, configs or variants(config), seeds, progress)


def evaluate(trainer: Trainer, config: SNDigitsConfig) -> dict[str, float]:
    """:func:`ganbook.experiments.digits.measure` on ``eval_samples`` digits from a fixed seed."""
    return digits.measure(trainer.generate(config.eval_samples))


Config = SNDigitsConfig
