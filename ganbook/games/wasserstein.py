"""The Wasserstein game (chapter 10): a critic held near slope 1 by weight clipping or by a gradient penalty.

The critic ``f`` maximises :math:`\\mathbb E_{x \\sim p}[f(x)] - \\mathbb E_z[f(G(z))]`; by the
Kantorovich-Rubinstein duality the maximum over 1-Lipschitz ``f`` is
:math:`W_1(p, p_g)`. Two ways to keep ``f`` near that class:

- weight clipping (Arjovsky et al., 2017), :class:`ClippedGame`: after every
  critic update each weight is clamped to ``[-clip, clip]``. That bounds the
  slope by *some* constant K, so the critic estimates about ``K * W1`` with K
  unknown;
- the gradient penalty (Gulrajani et al., 2017), :func:`gp_objective`:
  ``weight`` times :func:`ganbook.penalties.gradient_penalty` pulls the slope
  towards 1 on points between real and generated samples; its one-sided form
  (``"gp-one-sided"``) charges only slopes above 1.

Both use :func:`ganbook.losses.d_loss_wasserstein` and
:func:`ganbook.losses.g_loss_wasserstein`; :func:`wasserstein_game` builds
either from a constraint's name.
"""

from __future__ import annotations

import dataclasses
from typing import Callable

import torch
from torch import Tensor, nn

from .. import losses, penalties
from .standard import Objective, StandardGame

CONSTRAINTS = ("clip", "gp", "gp-one-sided")

WASSERSTEIN = Objective(losses.d_loss_wasserstein, losses.g_loss_wasserstein)
"""The critic's and the generator's Wasserstein losses, with no penalty (pair it with clipping)."""


def gp_objective(weight: float = 10.0, one_sided: bool = False) -> Objective:
    """The Wasserstein losses plus ``weight`` times the gradient penalty (WGAN-GP), or its one-sided form."""
    penalty = penalties.one_sided_gradient_penalty if one_sided else penalties.gradient_penalty
    return Objective(losses.d_loss_wasserstein, losses.g_loss_wasserstein, penalty=penalty, penalty_weight=weight)


class ClippedGame(StandardGame):
    """The standard game whose critic's parameters are clamped to ``[-clip, clip]`` after each critic update."""

    def __init__(self, G: nn.Module, D: nn.Module, objective: Objective = WASSERSTEIN, n_critic: int = 5,
                 instance_noise: Callable[[int], float] | None = None,
                 latent: Callable[[int, torch.Generator], Tensor] | None = None, clip: float = 0.01) -> None:
        if not clip > 0:
            raise ValueError(f"weight clipping needs clip > 0, got {clip}")
        super().__init__(G, D, objective, n_critic=n_critic, instance_noise=instance_noise, latent=latent)
        self.clip = clip
        d, *rest = self.phases
        self.phases = [dataclasses.replace(d, after=self.clip_weights), *rest]

    @torch.no_grad()
    def clip_weights(self) -> None:
        """Clamp every critic parameter to ``[-clip, clip]``."""
        for p in self.D.parameters():
            p.clamp_(-self.clip, self.clip)


def wasserstein_game(G: nn.Module, D: nn.Module, constraint: str = "gp", clip: float = 0.01,
                     gp_weight: float = 10.0, n_critic: int = 5,
                     latent: Callable[[int, torch.Generator], Tensor] | None = None) -> StandardGame:
    """WGAN (``constraint="clip"``), WGAN-GP (``"gp"``) or its one-sided form (``"gp-one-sided"``) as a game."""
    if constraint == "clip":
        return ClippedGame(G, D, n_critic=n_critic, latent=latent, clip=clip)
    if constraint in ("gp", "gp-one-sided"):
        return StandardGame(G, D, gp_objective(gp_weight, constraint == "gp-one-sided"), n_critic=n_critic,
                            latent=latent)
    raise ValueError(f"unknown constraint {constraint!r}: choose one of {', '.join(CONSTRAINTS)}")
