"""pix2pix's game (Isola et al., 2017): a generator that translates label maps into scenes, paired.

G sees a one-hot class map ``x`` and must produce the scene ``y`` it was
rendered with. Its objective is the paper's equation 4,

.. math:: G^* = \\arg\\min_G \\max_D\\; \\mathcal L_{cGAN}(G, D) + \\lambda\\,
          \\mathbb E_{x, y}\\big[\\lVert y - G(x) \\rVert_1\\big],

with the non-saturating G loss and D's binary cross-entropy averaged over its
patches (:mod:`ganbook.losses`). ``adversarial`` picks the rows of the paper's
Table 1: ``"cgan"`` (D sees the map beside the scene), ``"gan"`` (D sees the
scene only) or ``"none"`` (no D: L1 alone); ``l1_weight`` 0 drops the L1 term.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor, nn

from ..data import shapes
from ..game import Game, Phase
from ..losses import as_logits, d_loss_bce, g_loss_nonsaturating
from ..models.pix2pix import one_hot, translate
from ..train import Trainer

ADVERSARIAL = ("cgan", "gan", "none")


def check_objective(adversarial: str, l1_weight: float) -> None:
    """ValueError unless ``adversarial`` is one of :data:`ADVERSARIAL` and the objective trains G at all."""
    if adversarial not in ADVERSARIAL:
        raise ValueError(f"adversarial must be one of {', '.join(ADVERSARIAL)}, got {adversarial!r}; "
                         "choose one of those")
    if adversarial == "none" and l1_weight <= 0:
        raise ValueError("with no adversarial loss the L1 weight must be positive: G would learn nothing")


class Pix2PixGame(Game):
    """Label map -> scene, paired: D's phase (unless ``adversarial="none"``), then G's; batches carry
    ``x`` (the scenes) and ``maps`` (their class maps)."""

    def __init__(self, G: nn.Module, D: nn.Module, l1_weight: float = 100.0, adversarial: str = "cgan") -> None:
        check_objective(adversarial, l1_weight)
        self.G, self.D, self.l1_weight, self.adversarial = G, D, l1_weight, adversarial
        self._batch: Any = None  # D's phase's batch, which G's phase translates too
        self.phases = ([Phase("d", "d", self.d_losses)] if adversarial != "none" else []) + [
            Phase("g", "g", self.g_losses)]

    # -- how samples are made: from label maps --------------------------------------
    def inputs(self, n: int, rng: torch.Generator, condition: Tensor | None = None,
               z: Tensor | None = None) -> dict[str, Tensor]:
        """The class maps to translate: ``condition`` ``(n, 32, 32)`` if given, else the maps of ``n`` fresh
        scenes of the world drawn from ``rng``."""
        if condition is None:
            _, condition = shapes.render(shapes.sample_factors(n, rng))
        return {"map": condition}

    def generate(self, nets: dict[str, nn.Module], inputs: dict[str, Tensor]) -> Tensor:
        return translate(nets["G"], inputs["map"])

    # -- the phases -----------------------------------------------------------------
    def logits(self, maps: Tensor, scenes: Tensor) -> Tensor:
        """D's logits, one per patch: of the scene beside its map (cGAN) or of the scene alone (GAN)."""
        return as_logits(self.D(torch.cat([maps, scenes], 1) if self.adversarial == "cgan" else scenes))

    def d_losses(self, t: Trainer) -> dict[str, Tensor]:
        """D's BCE on real pairs against G's translations of the same maps."""
        self._batch = batch = t.real()
        maps = one_hot(batch.maps)
        with torch.no_grad():
            fake = self.G(maps)
        return {"adv": d_loss_bce(self.logits(maps, batch.x), self.logits(maps, fake))}

    def g_losses(self, t: Trainer) -> dict[str, Tensor]:
        """G's terms: ``l1_weight`` times the mean absolute error to the paired scene, and its GAN loss."""
        batch = self._batch if self.adversarial != "none" else t.real()
        maps = one_hot(batch.maps)
        fake = self.G(maps)
        terms = {}
        if self.l1_weight > 0:
            terms["l1"] = self.l1_weight * (fake - batch.x).abs().mean()
        if self.adversarial != "none":
            terms["adv"] = g_loss_nonsaturating(self.logits(maps, fake))
        return terms
