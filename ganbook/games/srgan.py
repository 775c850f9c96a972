"""SRGAN's game (Ledig et al., 2017): a generator that up-samples photographs 4x, judged by a content loss
and, for SRGAN, a discriminator.

Batches carry high-resolution patches ``x`` and their bicubic down-samplings
``low`` (:class:`~ganbook.data.photos.PatchSource`). G's loss is the paper's
perceptual loss, equation 3,

.. math:: l^{SR} = l^{SR}_X + 10^{-3}\\, l^{SR}_{Gen},\\qquad
   l^{SR}_{Gen} = -\\log D(G(I^{LR}))

where the content loss :math:`l^{SR}_X` is the pixel-wise MSE (``content="pixels"``:
SRResNet, or SRGAN-MSE) or the MSE between the feature maps ``features`` gives
for the generated and the real patch, divided by ``feature_scale`` (the paper used
VGG's maps rescaled by 1/12.75). With ``adversarial_weight`` 0 there is no D and
no D phase: that is SRResNet. D minimises the binary cross-entropy of real
patches against G's (:func:`ganbook.losses.d_loss_bce`).
"""

from __future__ import annotations

from typing import Any, Callable

import torch
from torch import Tensor, nn

from ..game import Game, Phase
from ..losses import d_loss_bce, g_loss_nonsaturating
from ..train import Trainer


class SuperResolutionGame(Game):
    """G (low resolution -> high) with a content loss; and, if ``adversarial_weight`` > 0, against D."""

    def __init__(self, G: nn.Module, D: nn.Module | None, adversarial_weight: float = 1e-3,
                 features: Callable[[Tensor], Tensor] | None = None, feature_scale: float = 1.0) -> None:
        if adversarial_weight < 0:
            raise ValueError(f"adversarial_weight must be at least 0, got {adversarial_weight}")
        if adversarial_weight > 0 and D is None:
            raise ValueError("an adversarial weight above 0 needs a discriminator D")
        self.G, self.D, self.adversarial_weight = G, D, adversarial_weight
        self.features, self.feature_scale = features, feature_scale
        self._batch: Any = None  # D's phase's batch, which G's phase up-samples too
        self.phases = ([Phase("d", "d", self.d_losses)] if adversarial_weight > 0 else []) + [
            Phase("g", "g", self.g_losses)]

    def networks(self) -> dict[str, nn.Module]:
        return {"G": self.G} if self.D is None else {"G": self.G, "D": self.D}

    # -- how samples are made: from low-resolution images -----------------------------
    def inputs(self, n: int, rng: torch.Generator, condition: Tensor | None = None,
               z: Tensor | None = None) -> dict[str, Tensor]:
        if condition is None:
            raise ValueError("a super-resolution game up-samples images: pass the low-resolution ones as condition")
        return {"low": condition}

    def generate(self, nets: dict[str, nn.Module], inputs: dict[str, Tensor]) -> Tensor:
        return nets["G"](inputs["low"]).clamp(-1, 1)

    # -- the phases -----------------------------------------------------------------
    def content(self, made: Tensor, real: Tensor) -> Tensor:
        """:math:`l^{SR}_X`: the MSE in pixels, or between feature maps divided by ``feature_scale``."""
        if self.features is None:
            return (made - real).pow(2).mean()
        return (self.features(made) - self.features(real)).pow(2).mean() / self.feature_scale

    def d_losses(self, t: Trainer) -> dict[str, Tensor]:
        """D's BCE on real high-resolution patches against G's up-samplings of their low-resolution partners."""
        self._batch = batch = t.real()
        with torch.no_grad():
            fake = self.G(batch.low)
        return {"adv": d_loss_bce(self.D(batch.x), self.D(fake))}

    def g_losses(self, t: Trainer) -> dict[str, Tensor]:
        """The content term, and ``adversarial_weight`` times the non-saturating GAN term."""
        batch = self._batch if self.adversarial_weight > 0 else t.real()
        made = self.G(batch.low)
        terms = {"content": self.content(made, batch.x)}
        if self.adversarial_weight > 0:
            terms["adv"] = self.adversarial_weight * g_loss_nonsaturating(self.D(made))
        return terms
