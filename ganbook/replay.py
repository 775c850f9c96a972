"""Experience replay for the discriminator: a pool of past fakes mixed into each of D's fake batches.

Shrivastava et al. (2017) keep a buffer of earlier generated images and build
half of every fake batch D sees from it, so D cannot forget what G produced a
few hundred steps ago, and G cannot escape D by cycling back to an old mode.
The pool is part of the game's state, so a resumed run sees the same pool.
"""

from __future__ import annotations

import torch
from torch import Tensor


class ReplayBuffer:
    """Up to ``capacity`` past fakes; :meth:`mix` swaps each row of a fresh batch for a pooled one with
    probability ``share``.

    Until the pool is full, fresh fakes only fill it. Afterwards each row of the
    batch ``(N, ...)`` is, with probability ``share``, exchanged with a random
    pool slot: D sees the old fake and the slot keeps the fresh one (CycleGAN's
    image pool of 50 swaps this way with probability one half). A coin per row
    works at any batch size, 1 included; every draw comes from the trainer's
    seeded stream.
    """

    def __init__(self, capacity: int = 1000, share: float = 0.5) -> None:
        if capacity < 1:
            raise ValueError(f"a replay buffer needs capacity >= 1, got {capacity}")
        if not 0.0 <= share <= 1.0:
            raise ValueError(f"the replayed share must lie in [0, 1], got {share}")
        self.capacity, self.share = capacity, share
        self.pool: Tensor | None = None  # (size, ...) on the fakes' device

    def __len__(self) -> int:
        return 0 if self.pool is None else len(self.pool)

    @torch.no_grad()
    def mix(self, fake: Tensor, rng: torch.Generator) -> Tensor:
        """``fake`` ``(N, ...)`` with some rows exchanged for pooled fakes, which take the fresh ones' place."""
        fake = fake.detach()
        if len(self) < self.capacity:  # filling up: keep the batch as it is
            room = self.capacity - len(self)
            self.pool = fake[:room].clone() if self.pool is None else torch.cat([self.pool, fake[:room]])
            return fake
        swap = torch.rand(len(fake), generator=rng) < self.share
        slots = torch.randint(self.capacity, (len(fake),), generator=rng)[swap].to(fake.device)
        rows = swap.nonzero().squeeze(1).to(fake.device)
        mixed = fake.clone()
        mixed[rows] = self.pool[slots]
        self.pool[slots] = fake[rows]
        return mixed

    def state_dict(self) -> dict[str, Tensor]:
        return {} if self.pool is None else {"pool": self.pool.clone()}

    def load_state_dict(self, state: dict[str, Tensor]) -> None:
        self.pool = state["pool"].clone() if "pool" in state else None
