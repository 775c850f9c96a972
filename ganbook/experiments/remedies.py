"""Chapter 3's remedies and chapter 4's objectives, each as a :class:`~.runs.Variant`.

The remedies are the classic tricks of Salimans et al. (2016), Sonderby et al.
(2017) and Heusel et al. (2017); the objectives are the losses of
:mod:`ganbook.losses`. Every variant keeps the same network sizes, steps and
batch size, so a table of them compares like with like.
"""

from __future__ import annotations

from functools import partial

from torch import nn

from .. import losses, penalties
from ..games import FeatureMatchingGame, Objective
from ..models import MinibatchMLPDiscriminator
from .runs import Variant
from .toy2d import Toy2DConfig


def minibatch_discriminator(config: Toy2DConfig) -> nn.Module:
    """The chapter's MLP discriminator with a minibatch-discrimination layer before its output."""
    return MinibatchMLPDiscriminator(2, config.d_hidden, n_kernels=4, kernel_dim=4)


def remedies() -> list[Variant]:
    """The plain GAN and five remedies for mode collapse and instability (chapter 3)."""
    return [
        Variant("vanilla GAN"),
        Variant("label smoothing (0.9)", Objective(d_loss=partial(losses.d_loss_bce, real_label=0.9))),
        Variant("instance noise (0.3 -> 0)", noise_start=0.3),
        Variant("feature matching", game=FeatureMatchingGame),
        Variant("minibatch discrimination", discriminator=minibatch_discriminator),
        # two time-scale update rule: D learns 4x faster than G (Heusel et al., 2017)
        Variant("two learning rates (D 4x G)", config_changes={"lr_g": 5e-4, "lr_d": 2e-3}),
    ]


def objectives(config: Toy2DConfig) -> list[Variant]:
    """The four objectives of chapter 4 on the same networks and the same number of D updates.

    WGAN-GP runs as in its paper (Gulrajani et al., 2017): five critic updates per
    generator step and Adam betas (0, 0.9); to keep the number of discriminator
    updates equal it gets a fifth of ``config.steps`` generator steps.
    """
    return [
        Variant("BCE (non-saturating)", Objective()),
        Variant("Wasserstein + gradient penalty",
                Objective(losses.d_loss_wasserstein, losses.g_loss_wasserstein,
                          penalty=penalties.gradient_penalty, penalty_weight=10.0),
                config_changes={"betas": (0.0, 0.9), "n_critic": 5, "steps": max(1, config.steps // 5)}),
        Variant("hinge", Objective(losses.d_loss_hinge, losses.g_loss_hinge)),
        Variant("least squares", Objective(losses.d_loss_least_squares, losses.g_loss_least_squares)),
    ]
