"""One draw of training data, as a small explicit type instead of a tuple.

A data source is any ``source(n, rng) -> Tensor | Batch``: a plain tensor means
real samples and nothing else; a :class:`Batch` also carries what goes with
them. The trainer moves the batch to its device and hands it to the game.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
from torch import Tensor


@dataclass(frozen=True)
class Batch:
    """Real samples ``x`` ``(N, ...)`` and, where the game needs them, what goes with each one.

    ``c``: a condition shared by the real sample and the fake made for it
    (class labels ``(N,)``, LAPGAN's coarse image ``(N, 1, s, s)``, a caption).
    ``target``: a paired target that G must reproduce from ``c`` (pix2pix, SRGAN).
    """

    x: Tensor
    c: Tensor | None = None
    target: Tensor | None = None

    def to(self, device: torch.device | str) -> "Batch":
        move = (lambda t: None if t is None else t.to(device))
        return Batch(move(self.x), move(self.c), move(self.target))

    def __len__(self) -> int:
        return self.x.shape[0]


DataSource = Callable[[int, torch.Generator], "Tensor | Batch"]
"""``source(n, rng)``: ``n`` real samples drawn with ``rng``, as a tensor or a :class:`Batch`."""


def as_batch(out: Tensor | Batch) -> Batch:
    """A source's draw as a :class:`Batch` (a tensor holds only the real samples)."""
    if isinstance(out, Batch):
        return out
    if isinstance(out, Tensor):
        return Batch(out)
    raise TypeError(f"a data source must return a Tensor or a ganbook.batch.Batch, got {type(out).__name__}")
