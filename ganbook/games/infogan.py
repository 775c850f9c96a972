"""InfoGAN (Chen et al., 2016) as a game: the standard game plus Q reading the codes back.

D has two heads, ``D.heads(x) -> (logits, q)``; both players add
``info_weight`` times the information loss of the codes in ``z`` (``codes.loss``)
to their own loss. With a ``view`` (a random, identity-preserving change of an
image such as :func:`ganbook.augment.random_affine`), Q must also read the class
code from a changed copy of each fake (``codes.cat_loss``), weighted by
``view_weight`` inside the information term: chapter 8 says why.
"""

from __future__ import annotations

from typing import Callable

import torch
from torch import Tensor, nn

from ..losses import as_logits
from ..models.infogan import InfoCodes
from ..train import Trainer
from .standard import Objective, StandardGame


class InfoGANGame(StandardGame):
    """The standard game whose D and G also minimise ``info_weight * L_I`` (chapter 8)."""

    def __init__(self, G: nn.Module, D: nn.Module, codes: InfoCodes, info_weight: float = 1.0,
                 view: Callable[[Tensor, torch.Generator], Tensor] | None = None, view_weight: float = 1.0,
                 objective: Objective = Objective()) -> None:
        super().__init__(G, D, objective, latent=codes.sample)
        self.codes, self.info_weight = codes, info_weight
        self.view, self.view_weight = view, view_weight

    def info(self, fake: Tensor, z: Tensor, t: Trainer) -> tuple[Tensor, Tensor]:
        """D's logits on ``fake`` and the information loss of the codes ``z`` that made it."""
        logits, q = self.D.heads(fake)
        info = self.codes.loss(z, q)
        if self.view is not None:
            _, q_view = self.D.heads(self.view(fake, t.rng))
            info = info + self.view_weight * self.codes.cat_loss(z, q_view)
        return as_logits(logits), info

    def d_losses(self, t: Trainer) -> dict[str, Tensor]:
        real = self.seen_by_d(t.real().x, t)
        z = t.latent()
        with torch.no_grad():
            fake = self.seen_by_d(self.G(z), t)
        real_logits = as_logits(self.D.heads(real)[0])
        fake_logits, info = self.info(fake, z, t)
        return {"adv": self.objective.d_loss(real_logits, fake_logits), "info": self.info_weight * info}

    def g_losses(self, t: Trainer) -> dict[str, Tensor]:
        z = t.latent()
        fake_logits, info = self.info(self.seen_by_d(self.G(z), t), z, t)
        return {"adv": self.objective.g_loss(fake_logits), "info": self.info_weight * info}
