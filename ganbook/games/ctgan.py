"""CTGAN's game (Xu et al., 2019): WGAN-GP on packs of rows, and a loss that makes G honour its condition.

- D (the critic) plays the Wasserstein loss (chapter 10) on packs of ``pac``
  rows (chapter 12's PacGAN), each real row with the conditional vector it was
  drawn for and each fake made for the same vector, plus
  :func:`packed_gradient_penalty`;
- G plays the Wasserstein loss on fresh fakes for freshly drawn conditions,
  plus :func:`conditional_loss`, which is zero only when every fake has the
  category its condition asked for. Without a condition (the ablation), G
  plays the Wasserstein loss alone.

:meth:`CTGANGame.inputs` draws the conditions of generated rows with the real
frequencies of the categories, so a generated table keeps the real table's
proportions (as the paper's code did; the ``ctgan`` package 0.12 draws them
by log-frequency, as in training).

Two details differ from the authors' code: the fakes of a critic step get the
real batch's conditions in the same order (theirs shuffles them), so the
penalty's points between real and fake packs share their conditions and the
gradient is taken with respect to the rows alone; and G generates in eval
mode, its batch norms using their running statistics (theirs uses each
generated batch's own).
"""

from __future__ import annotations

from functools import partial
from typing import Callable

import torch
from torch import Tensor
from torch.nn import functional as F

from .. import losses, penalties
from ..data.table_sampling import ConditionalRows
from ..models.tabular import TableCritic, TableGenerator
from ..train import Trainer
from .standard import Objective, StandardGame


def packed_gradient_penalty(pac: int) -> Callable[[Callable[[Tensor], Tensor], Tensor, Tensor, torch.Generator], Tensor]:
    """WGAN-GP's penalty for a critic that scores packs of ``pac`` rows: one point between real and fake per
    pack, the gradient's norm over the whole pack (:func:`ganbook.penalties.gradient_penalty` with ``pack``)."""
    return partial(penalties.gradient_penalty, pack=pac)


def conditional_loss(raw: Tensor, c: Tensor, mask: Tensor, spans: list, offsets: Tensor) -> Tensor:
    r"""G's penalty for not giving a row the category its condition asked for:

    .. math:: \frac{1}{n} \sum_{i=1}^{n} \sum_j m_{ij}\, \mathrm{CE}\big(\hat d_{i,j},\ \arg\max c_{i,j}\big)

    with :math:`\hat d_{i,j}` G's raw outputs (logits) for discrete column ``j`` of row ``i``,
    :math:`c_{i,j}` that column's part of the conditional vector and :math:`m_{ij}` the mask (1 for the
    one column asked about). ``spans`` are the discrete spans of the encoding, ``offsets`` each column's
    first slot in ``c``."""
    terms = [F.cross_entropy(raw[:, s.start:s.end], c[:, offsets[j]:offsets[j] + s.size].argmax(1), reduction="none")
             for j, s in enumerate(spans)]
    return (torch.stack(terms, 1) * mask).sum() / len(raw)


class CTGANGame(StandardGame):
    """CTGAN's G and packed critic on ``sampler``'s rows: WGAN-GP with the packed penalty (weight ``gp_weight``)
    and, when the sampler is conditional, :func:`conditional_loss` for G."""

    def __init__(self, G: TableGenerator, D: TableCritic, sampler: ConditionalRows, gp_weight: float = 10.0,
                 n_critic: int = 1) -> None:
        objective = Objective(losses.d_loss_wasserstein, losses.g_loss_wasserstein,
                              penalty=packed_gradient_penalty(D.pac), penalty_weight=gp_weight)
        super().__init__(G, D, objective, n_critic=n_critic)
        self.sampler = sampler

    def inputs(self, n: int, rng: torch.Generator, condition: Tensor | None = None,
               z: Tensor | None = None) -> dict[str, Tensor]:
        """Latents, (for a conditional sampler) conditions drawn with the categories' real frequencies, and
        the uniforms of G's Gumbel draws, all from ``rng``."""
        out = {"z": self.latent(n, rng) if z is None else z}
        if condition is None and self.sampler.conditional:
            condition = self.sampler.conditions(n, rng, original=True)[0]
        if condition is not None:
            out["c"] = condition
        out["uniform"] = torch.rand(n, self.G.spans[-1].end, generator=rng)
        return out

    def generate(self, nets: dict[str, torch.nn.Module], inputs: dict[str, Tensor]) -> Tensor:
        return nets["G"](inputs["z"], inputs.get("c"), inputs["uniform"])

    def g_losses(self, t: Trainer) -> dict[str, Tensor]:
        if not self.sampler.conditional:
            return super().g_losses(t)
        c, mask, _ = self.sampler.conditions(t.batch_size, t.rng)
        c, mask = c.to(t.device), mask.to(t.device)
        raw = self.G.raw(t.latent(), c)
        fake = self.G.activate(raw)
        return {"adv": self.objective.g_loss(self.logits(fake, c)),
                "cond": conditional_loss(raw, c, mask, self.sampler.spans, self.sampler.offsets)}
