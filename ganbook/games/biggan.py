"""BigGAN's game: the hinge loss with class-conditional G and D, plus orthogonal regularisation of G.

Orthogonal regularisation (Brock et al., 2019, section 3.1) pushes the rows of
each of G's weight matrices ``W`` (a convolution's kernel flattened to one row
per output channel) towards orthogonality without fixing their norms:

    R_beta(W) = beta * || W W^T (.) (1 - I) ||_F^2,

summed over G's convolutions and linear layers (the shared class embedding and
the batch-norm projections excluded). BigGAN uses beta = 1e-4; G's loss in
this game is ``adv + ortho``. Without it, G's sample quality can degrade when
its latents are truncated; with it, more of G's weight space responds smoothly.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from .. import losses
from ..train import Trainer
from .standard import Objective, StandardGame

HINGE = Objective(losses.d_loss_hinge, losses.g_loss_hinge)


def orthogonal_penalty(module: nn.Module, beta: float = 1e-4, skip: tuple[type, ...] = (nn.Embedding,)) -> Tensor:
    """``beta * sum_W || W W^T (.) (1 - I) ||_F^2`` over every conv and linear weight of ``module``
    (not inside a ``skip`` module, and not a conditional norm's projection)."""
    total = torch.zeros(())
    for name, sub in module.named_modules():
        if isinstance(sub, skip) or not isinstance(sub, (nn.Conv2d, nn.Linear)) or name.rsplit(".", 1)[-1] in ("gain", "bias"):
            continue
        w = sub.weight.flatten(1)
        gram = w @ w.T
        total = total + (gram * (1 - torch.eye(len(w), device=w.device))).pow(2).sum()
    return beta * total


class BigGANGame(StandardGame):
    """:class:`StandardGame` with the hinge loss whose G phase adds :func:`orthogonal_penalty`."""

    def __init__(self, G: nn.Module, D: nn.Module, ortho: float = 1e-4, n_critic: int = 1) -> None:
        super().__init__(G, D, HINGE, n_critic=n_critic)
        self.ortho = ortho

    def g_losses(self, t: Trainer) -> dict[str, Tensor]:
        terms = super().g_losses(t)
        if self.ortho > 0:
            terms["ortho"] = orthogonal_penalty(self.G, self.ortho)
        return terms
