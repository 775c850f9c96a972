"""The standard GAN game, and feature matching as a game of its own.

:class:`StandardGame` plays any discriminator loss against any generator loss
from :mod:`ganbook.losses`, with an optional penalty on D (from
:mod:`ganbook.penalties`), instance noise and ``n_critic`` D updates per G update.
When the data carry a condition (a class label, a coarse image) G and D both
receive it, and the fakes of a step get the conditions of that step's real batch.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import partial
from typing import Any, Callable

import torch
from torch import Tensor, nn

from ..game import Game, Phase
from ..losses import as_logits, d_loss_bce, g_loss_feature_matching, g_loss_nonsaturating
from ..replay import ReplayBuffer
from ..train import Trainer

Penalty = Callable[[Callable[[Tensor], Tensor], Tensor, Tensor, torch.Generator], Tensor]
"""``penalty(D, real, fake, rng)``: a scalar added to D's loss; ``D`` maps inputs to scores (conditions bound)."""


@dataclass(frozen=True)
class Objective:
    """What the standard game minimises: D ``d_loss`` + ``penalty_weight`` * ``penalty``, G ``g_loss``."""

    d_loss: Callable[[Tensor, Tensor], Tensor] = d_loss_bce
    g_loss: Callable[[Tensor], Tensor] = g_loss_nonsaturating
    penalty: Penalty | None = None
    penalty_weight: float = 0.0


class StandardGame(Game):
    """G against D: ``n_critic`` D phases, then one G phase, each a sum of named terms.

    ``instance_noise(step)`` is the std of Gaussian noise added to everything D
    sees (Sonderby et al., 2017; Arjovsky & Bottou, 2017); ``latent(n, rng)``
    replaces the ``N(0, I)`` prior; ``clip_norm`` caps the total gradient norm of
    each player's update; ``replay`` mixes past fakes into D's fake batches.
    """

    def __init__(self, G: nn.Module, D: nn.Module, objective: Objective = Objective(), n_critic: int = 1,
                 instance_noise: Callable[[int], float] | None = None,
                 latent: Callable[[int, torch.Generator], Tensor] | None = None,
                 clip_norm: float | None = None, replay: ReplayBuffer | None = None) -> None:
        self.G, self.D, self.objective = G, D, objective
        self.instance_noise, self._latent, self.replay = instance_noise, latent, replay
        self.condition: Tensor | None = None  # the last real batch's, for G's phase
        self.phases = [Phase("d", "d", self.d_losses, repeat=n_critic, clip_norm=clip_norm),
                       Phase("g", "g", self.g_losses, clip_norm=clip_norm)]

    def state_dict(self) -> dict[str, Any]:
        return {"replay": self.replay.state_dict()} if self.replay is not None else {}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        if self.replay is not None:
            self.replay.load_state_dict(state.get("replay", {}))

    def latent(self, n: int, rng: torch.Generator) -> Tensor:
        return self._latent(n, rng) if self._latent is not None else super().latent(n, rng)

    # -- the pieces -------------------------------------------------------
    def fake(self, z: Tensor, c: Tensor | None) -> Tensor:
        """``G(z)``, or ``G(z, c)`` when there is a condition."""
        return self.G(z) if c is None else self.G(z, c)

    def score(self, x: Tensor, c: Tensor | None = None) -> Tensor:
        """D's raw output on ``x`` (given ``c``)."""
        return self.D(x) if c is None else self.D(x, c)

    def logits(self, x: Tensor, c: Tensor | None) -> Tensor:
        """D's logits ``(N,)`` (or one per patch) on ``x`` given ``c``."""
        return as_logits(self.score(x, c))

    def logits_pair(self, real: Tensor, fake: Tensor, c: Tensor | None) -> tuple[Tensor, Tensor]:
        """D's logits on a real batch and on fakes, in D's phase."""
        return self.logits(real, c), self.logits(fake, c)

    def seen_by_d(self, x: Tensor, trainer: Trainer) -> Tensor:
        """``x`` plus instance noise of the current step's std (``x`` itself without noise)."""
        sigma = self.instance_noise(trainer.step) if self.instance_noise is not None else 0.0
        if sigma <= 0:
            return x
        return x + sigma * torch.randn(x.shape, generator=trainer.rng).to(x.device)

    # -- the two phases ---------------------------------------------------
    def d_losses(self, t: Trainer) -> dict[str, Tensor]:
        """D's terms: its loss on a real batch and on fakes made for the same conditions, and the penalty."""
        real = t.real()
        x, c = self.seen_by_d(real.x, t), real.c
        self.condition = c
        z = t.latent()
        with torch.no_grad():
            fake = self.fake(z, c)
            if self.replay is not None:
                fake = self.replay.mix(fake, t.rng)
            fake = self.seen_by_d(fake, t)
        obj = self.objective
        terms = {"adv": obj.d_loss(*self.logits_pair(x, fake, c))}
        if obj.penalty is not None:
            terms["penalty"] = obj.penalty_weight * obj.penalty(partial(self.score, c=c), x, fake, t.rng)
        return terms

    def g_losses(self, t: Trainer) -> dict[str, Tensor]:
        """G's term: its loss on D's verdict about fresh fakes (for the last real batch's conditions)."""
        fake = self.seen_by_d(self.fake(t.latent(), self.condition), t)
        return {"adv": self.objective.g_loss(self.logits(fake, self.condition))}


class FeatureMatchingGame(StandardGame):
    """Feature matching (Salimans et al., 2016): G matches the mean of D's hidden features ``D.features``
    on a real batch instead of chasing D's verdict; D plays as in the standard game."""

    def g_losses(self, t: Trainer) -> dict[str, Tensor]:
        fake = self.seen_by_d(self.fake(t.latent(), self.condition), t)
        real = self.seen_by_d(t.real().x, t)
        with torch.no_grad():
            real_features = self.D.features(real)
        return {"features": g_loss_feature_matching(real_features, self.D.features(fake))}
