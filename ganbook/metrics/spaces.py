"""A feature space: a named function from images to feature vectors, applied in batches without gradients.

Kept apart from :mod:`.features` (which picks the digit classifier or
Inception-v3) so that an instrument can build one without depending on the
other instruments.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Callable

import torch
from torch import Tensor

Extract = Callable[[Tensor], Tensor]


@dataclass(frozen=True)
class FeatureSpace:
    """``extract(images (n, C, H, W) in [-1, 1]) -> (n, d)`` and a name for printing."""

    name: str
    extract: Extract
    note: str = ""

    @torch.no_grad()
    def __call__(self, images: Tensor, batch: int = 500) -> Tensor:
        return torch.cat([self.extract(images[i:i + batch]) for i in range(0, len(images), batch)])
