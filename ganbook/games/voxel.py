"""3D-GAN's game (Wu et al., 2016): the standard game, with a discriminator that learns only while it is
not already winning.

The paper's D updates "only if its accuracy in the last batch is not higher
than 80%": a D that tells every real shape from every fake one gives G a
gradient that says little more than "not this", and D on voxel grids gets
there within a few dozen steps (binary reals against a sigmoid's soft
fakes). :class:`CappedGame` plays the standard game and skips D's update on a
batch it already sorts better than ``cap``; G updates every step.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any

import torch
from torch import Tensor

from .standard import StandardGame


def d_accuracy(real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    """The share of a batch D sorts right: reals with a positive logit and fakes with a negative one,
    ``(sum(real > 0) + sum(fake < 0)) / (n_real + n_fake)``."""
    right = (real_logits > 0).sum() + (fake_logits < 0).sum()
    return right.float() / (real_logits.numel() + fake_logits.numel())


class CappedGame(StandardGame):
    """The standard game whose D steps only on batches it sorts with accuracy at most ``cap``
    (``cap`` 1: always, the standard game). :attr:`last_accuracy` is that batch's accuracy."""

    def __init__(self, *args: Any, cap: float = 0.8, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        if not 0 < cap <= 1:
            raise ValueError(f"the accuracy cap is a share in (0, 1], got {cap}")
        self.cap, self.last_accuracy = cap, float("nan")
        self.phases[0] = replace(self.phases[0], step_if=self.d_may_step)

    def d_may_step(self) -> bool:
        """Whether D's update goes ahead: its accuracy on this batch is at most the cap."""
        return self.last_accuracy <= self.cap

    def logits_pair(self, real: Tensor, fake: Tensor, c: Tensor | None) -> tuple[Tensor, Tensor]:
        real_logits, fake_logits = super().logits_pair(real, fake, c)
        with torch.no_grad():
            self.last_accuracy = float(d_accuracy(real_logits, fake_logits))
        return real_logits, fake_logits
