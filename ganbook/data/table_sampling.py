"""CTGAN's conditional vector and training-by-sampling (chapter 23).

A rare category (Adult's workclass "Without-pay", 14 of 30,162 rows) seldom
turns up in a random batch, so neither network learns much about it, and G is
never asked for it. CTGAN fixes both at once. For each row of a batch:

1. pick one discrete column, uniformly;
2. pick one of its categories with probability proportional to the log of its
   count plus one (:attr:`ConditionalRows.log_probs`), which lifts rare
   categories without letting them swamp the batch;
3. the *conditional vector* ``c`` is zero except for a one at that category
   (one slot per category of every discrete column); the *mask* marks the
   column;
4. draw the real row uniformly from the rows that hold that category.

G is given ``c`` and is charged a cross-entropy term unless its row has the
asked category (:func:`ganbook.games.ctgan.conditional_loss`); D sees each
real row with the ``c`` it was drawn for. To generate, the category is drawn
with its real frequency instead (:meth:`ConditionalRows.conditions` with
``original=True``), so the table's proportions come back.

:class:`ConditionalRows` is a data source for the trainer: ``source(n, rng)``
returns a :class:`~ganbook.batch.Batch` with ``x`` the encoded rows, ``c`` their
conditions and ``mask``; with ``conditional=False`` it draws rows uniformly and
carries no condition (the ablation).
"""

from __future__ import annotations

import torch
from torch import Tensor

from ..batch import Batch
from .table_encoding import Span


class ConditionalRows:
    """Encoded real rows ``(N, width)`` and the discrete ``spans`` of their encoding, drawn CTGAN's way."""

    def __init__(self, rows: Tensor, spans: list[Span], conditional: bool = True) -> None:
        if not spans and conditional:
            raise ValueError("training-by-sampling needs at least one discrete column; pass conditional=False")
        self.rows, self.spans, self.conditional = rows, spans, conditional
        self.cond_dim = sum(s.size for s in spans) if conditional else 0
        self.offsets = torch.tensor([0] + [s.size for s in spans]).cumsum(0)  # each column's first slot in c
        self.categories = [rows[:, s.start:s.end].argmax(1) for s in spans]  # each row's category, per column
        self.counts = [torch.bincount(k, minlength=s.size).double() for k, s in zip(self.categories, spans)]
        self.log_probs = [torch.log(n + 1) / torch.log(n + 1).sum() for n in self.counts]
        self.probs = [n / n.sum() for n in self.counts]
        self.order = [torch.argsort(k, stable=True) for k in self.categories]  # rows sorted by category
        self.starts = [torch.cat([torch.zeros(1, dtype=torch.long), n.long().cumsum(0)[:-1]]) for n in self.counts]

    def conditions(self, n: int, rng: torch.Generator, original: bool = False) -> tuple[Tensor, Tensor, Tensor]:
        """``(c, mask, chosen)``: ``n`` conditional vectors ``(n, cond_dim)``, masks ``(n, n_columns)`` and
        the category asked of each row ``(n,)``; categories by log-frequency, or by real frequency with
        ``original``."""
        column = torch.randint(len(self.spans), (n,), generator=rng)
        u = torch.rand(n, generator=rng, dtype=torch.float64)
        chosen = torch.zeros(n, dtype=torch.long)
        for j, p in enumerate(self.probs if original else self.log_probs):
            pick = column == j
            chosen[pick] = torch.searchsorted(p.cumsum(0), u[pick]).clamp(max=len(p) - 1)
        c = torch.zeros(n, self.cond_dim)
        c[torch.arange(n), self.offsets[column] + chosen] = 1
        mask = torch.zeros(n, len(self.spans))
        mask[torch.arange(n), column] = 1
        return c, mask, chosen

    def __call__(self, n: int, rng: torch.Generator) -> Batch | Tensor:
        if not self.conditional:
            return self.rows[torch.randint(len(self.rows), (n,), generator=rng)]
        c, mask, chosen = self.conditions(n, rng)
        column = mask.argmax(1)
        u = torch.rand(n, generator=rng, dtype=torch.float64)
        index = torch.empty(n, dtype=torch.long)
        for j in range(len(self.spans)):
            pick = column == j
            k = chosen[pick]
            within = (u[pick] * self.counts[j][k]).long()  # uniform among the rows of category k
            index[pick] = self.order[j][self.starts[j][k] + within]
        return Batch(self.rows[index], c=c, mask=mask)
