"""Stacked MNIST (Metz et al., 2017; Srivastava et al., 2017; Lin et al., 2018): 1,000 modes from three digits.

Each image stacks three digits drawn independently from a digit set as its
three channels, so there are 10^3 = 1,000 equally likely classes (the
*modes*): class ``100 a + 10 b + c`` for digits ``a, b, c`` in channels 0, 1, 2.
A generator that covers the data makes all 1,000; a collapsed one makes a few.
Built here from mnist5k's 4,000 training digits, offline.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch
from torch import Tensor

from ..batch import Batch
from .digits import ImageSet, mnist5k

CHANNELS = 3
MODES = 10**CHANNELS


@dataclass(frozen=True)
class StackedDigits:
    """Three-channel images ``(n, 3, H, W)`` in [-1, 1] from an :class:`ImageSet` of one-channel digits."""

    digits: ImageSet

    def _draw(self, n: int, generator: torch.Generator | None) -> tuple[Tensor, Tensor]:
        idx = torch.randint(len(self.digits), (n, CHANNELS), generator=generator).to(self.digits.images.device)
        images = self.digits.images[idx].squeeze(2)  # (n, 3, 1, H, W) -> (n, 3, H, W)
        digits = self.digits.labels[idx]  # (n, 3)
        return images, digits[:, 0] * 100 + digits[:, 1] * 10 + digits[:, 2]

    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor:
        """``n`` stacked images ``(n, 3, H, W)``, each channel an independently drawn digit."""
        return self._draw(n, generator)[0]

    def labelled(self, n: int, generator: torch.Generator | None = None) -> Batch:
        """``n`` stacked images and their mode ``100 a + 10 b + c`` in ``Batch(x, c)``."""
        images, modes = self._draw(n, generator)
        return Batch(images, c=modes)

    def __str__(self) -> str:
        _, _, h, w = self.digits.images.shape
        return f"stacked {self.digits.name}: {CHANNELS}x{h}x{w} images, {MODES} modes"


def stacked_mnist(split: str = "train", device: torch.device | str = "cpu") -> StackedDigits:
    """Stacked MNIST built from mnist5k's ``split`` (4,000 training digits: 4,000^3 possible images)."""
    return StackedDigits(mnist5k(split, device))
