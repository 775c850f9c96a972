"""CycleGAN's game (Zhu et al., 2017): two domains, two generators, two discriminators, no pairs.

``G_ab`` translates domain A into B and ``G_ba`` B into A; ``D_b`` judges
B-images (real against ``G_ab``'s) and ``D_a`` A-images. Each step draws an
A-batch and a B-batch independently (:func:`ganbook.batch.unpaired`): nothing
tells G which B belongs to which A. The authors' objective (their code's
defaults, :mod:`ganbook.anchors`):

.. math:: \\mathcal L_G = \\underbrace{\\mathbb E[(D_b(G_{ab}(a)) - 1)^2] + \\mathbb E[(D_a(G_{ba}(b)) - 1)^2]}_{GAN}
   + \\lambda \\big(\\underbrace{\\lVert G_{ba}(G_{ab}(a)) - a \\rVert_1}_{forward\\ cycle}
   + \\underbrace{\\lVert G_{ab}(G_{ba}(b)) - b \\rVert_1}_{backward\\ cycle}\\big)
   + \\lambda_{id} \\lambda \\big(\\lVert G_{ab}(b) - b \\rVert_1 + \\lVert G_{ba}(a) - a \\rVert_1\\big)

and each D minimises the least-squares loss (Mao et al.) on real images
against a pool of 50 earlier translations (:class:`~ganbook.replay.ReplayBuffer`).
G's phase runs first; D's phase judges the translations that G's phase made.
``gan``, ``forward`` and ``backward`` switch the terms off, for the ablations of
the paper's Table 4; the identity term needs the two domains to have images of
the same shape.
"""

from __future__ import annotations

from typing import Any

import torch
from torch import Tensor, nn

from ..batch import DataSource, as_batch
from ..game import Game, Phase
from ..losses import as_logits, d_loss_least_squares, g_loss_least_squares
from ..replay import ReplayBuffer
from ..train import Trainer


class CycleGANGame(Game):
    """A <-> B without pairs; batches carry ``x`` (B-images) and ``a`` (A-images)."""

    def __init__(self, G_ab: nn.Module, G_ba: nn.Module, D_a: nn.Module, D_b: nn.Module, source_a: DataSource,
                 cycle_weight: float = 10.0, identity_share: float = 0.5, pool: int = 50, gan: bool = True,
                 forward: bool = True, backward: bool = True) -> None:
        if not (gan or forward or backward):
            raise ValueError("a CycleGAN game needs at least one of gan, forward and backward")
        self.G_ab, self.G_ba, self.D_a, self.D_b = G_ab, G_ba, D_a, D_b
        self.source_a = source_a  # where :meth:`inputs` draws A-images to translate
        self.cycle_weight, self.identity_share = cycle_weight, identity_share
        self.gan, self.forward, self.backward = gan, forward, backward
        self.pools = {"a": ReplayBuffer(pool, 0.5), "b": ReplayBuffer(pool, 0.5)} if pool else {}  # 0: no pool
        self._made: dict[str, Tensor] = {}  # this step's real images and translations, for D's phase
        self.phases = [Phase("g", "g", self.g_losses)] + ([Phase("d", "d", self.d_losses)] if gan else [])

    def networks(self) -> dict[str, nn.Module]:
        return {"G_ab": self.G_ab, "G_ba": self.G_ba, "D_a": self.D_a, "D_b": self.D_b}

    def generators(self) -> dict[str, nn.Module]:
        return {"G_ab": self.G_ab, "G_ba": self.G_ba}

    def state_dict(self) -> dict[str, Any]:
        return {k: pool.state_dict() for k, pool in self.pools.items()}

    def load_state_dict(self, state: dict[str, Any]) -> None:
        for k, pool in self.pools.items():
            pool.load_state_dict(state.get(k, {}))

    # -- how samples are made: A-images translated to B ---------------------------------
    def conditions(self, n: int) -> Tensor | None:
        return None

    def inputs(self, n: int, rng: torch.Generator, condition: Tensor | None = None,
               z: Tensor | None = None) -> dict[str, Tensor]:
        """The A-images to translate: ``condition`` if given, else ``n`` drawn from the A-source with ``rng``."""
        return {"a": as_batch(self.source_a(n, rng)).x if condition is None else condition}

    def generate(self, nets: dict[str, nn.Module], inputs: dict[str, Tensor]) -> Tensor:
        return nets["G_ab"](inputs["a"])

    # -- the phases -------------------------------------------------------------------
    def g_losses(self, t: Trainer) -> dict[str, Tensor]:
        """Both generators' terms on one unpaired draw (see the module's equation)."""
        batch = t.real()
        a, b = batch.a, batch.x
        fake_b, fake_a = self.G_ab(a), self.G_ba(b)
        self._made = {"a": a, "b": b, "fake_a": fake_a.detach(), "fake_b": fake_b.detach()}
        terms: dict[str, Tensor] = {}
        if self.gan:  # the authors' code: squared distance to 1, twice Mao et al.'s 1/2-weighted G loss
            terms["adv"] = 2 * (g_loss_least_squares(as_logits(self.D_b(fake_b)))
                                + g_loss_least_squares(as_logits(self.D_a(fake_a))))
        if self.forward:
            terms["cycle_a"] = self.cycle_weight * (self.G_ba(fake_b) - a).abs().mean()
        if self.backward:
            terms["cycle_b"] = self.cycle_weight * (self.G_ab(fake_a) - b).abs().mean()
        if self.identity_share > 0 and a.shape[1:] == b.shape[1:]:
            terms["identity"] = self.identity_share * self.cycle_weight * (
                (self.G_ab(b) - b).abs().mean() + (self.G_ba(a) - a).abs().mean())
        return terms

    def d_losses(self, t: Trainer) -> dict[str, Tensor]:
        """Each D's least-squares loss: its domain's real images against pooled translations."""
        made = self._made
        fake_a, fake_b = ((self.pools[k].mix(made[f"fake_{k}"], t.rng) if self.pools else made[f"fake_{k}"])
                          for k in ("a", "b"))
        return {"a": d_loss_least_squares(as_logits(self.D_a(made["a"])), as_logits(self.D_a(fake_a))),
                "b": d_loss_least_squares(as_logits(self.D_b(made["b"])), as_logits(self.D_b(fake_b)))}
