"""One draw of training data, as a small explicit type instead of a tuple.

A data source is any ``source(n, rng) -> Tensor | Batch``: a plain tensor means
real samples and nothing else; a :class:`Batch` also carries what goes with
them, by name. The trainer moves the whole batch to its device at once and
hands it to the game.
"""

from __future__ import annotations

from typing import Callable

import torch
from torch import Tensor


class Batch:
    """Real samples ``x`` ``(N, ...)`` and, by name, whatever goes with each of them.

    ``c`` is a condition shared by the real sample and the fake made for it (class
    labels ``(N,)``, LAPGAN's coarse image, a class map). Any other field is a
    keyword, read as an attribute: ``Batch(x, c=maps, other=images).other``.
    Every field has ``N`` rows, and :meth:`to` moves them all together.
    """

    __slots__ = ("x", "c", "fields")

    def __init__(self, x: Tensor, c: Tensor | None = None, **fields: Tensor) -> None:
        for name, value in {"c": c, **fields}.items():
            if value is not None and len(value) != len(x):
                raise ValueError(f"batch field {name!r} has {len(value)} rows, x has {len(x)}")
        self.x, self.c, self.fields = x, c, fields

    def __getattr__(self, name: str) -> Tensor:
        fields = object.__getattribute__(self, "fields")
        if name in fields:
            return fields[name]
        raise AttributeError(f"this batch has no field {name!r}; it has x, c and {sorted(fields) or 'nothing else'}")

    def to(self, device: torch.device | str) -> "Batch":
        """The same batch with every field on ``device``."""
        return Batch(self.x.to(device), None if self.c is None else self.c.to(device),
                     **{k: v.to(device) for k, v in self.fields.items()})

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


def unpaired(a: DataSource, b: DataSource) -> DataSource:
    """A source that draws ``n`` of domain B and, independently, ``n`` of domain A: ``Batch(x=b, a=a)``, for a
    translation GAN without pairs (CycleGAN). Both draws come from the trainer's stream, B first."""
    def draw(n: int, rng: torch.Generator) -> Batch:
        x = as_batch(b(n, rng)).x
        return Batch(x, a=as_batch(a(n, rng)).x)
    return draw
