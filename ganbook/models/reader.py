"""The small CNN that reads every factor of a shape-world image (chapters 14-16, and later 17-22).

Three conv blocks and a 64-d feature layer shared by one head per factor:
class logits for shape (4), hue (6) and background (3), and five numbers for
size, x, y and the rotation as the cosine and sine of its turn. ``features(x)``
is the space where the shape world's Frechet distance and precision/recall are
measured, as the digit classifier's is for digits.

Shapes, for width ``w`` (16 in the shipped reader):
``(n, 3, 32, 32) -> (n, w, 16, 16) -> (n, 2w, 8, 8) -> (n, 2w, 4, 4) -> (n, 64)``;
64-pixel images are averaged down to 32 first.
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor, nn

HEADS = {"shape": 4, "hue": 6, "background": 3, "continuous": 5}  # continuous: size, x, y, cos, sin


def _block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(),
                         nn.Conv2d(c_out, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(), nn.MaxPool2d(2))


class ShapeReader(nn.Module):
    """``(n, 3, S, S)`` images in [-1, 1], S = 32 or 64 -> ``{head: (n, k)}`` outputs."""

    def __init__(self, width: int = 16, feature_dim: int = 64) -> None:
        super().__init__()
        self.convs = nn.Sequential(_block(3, width), _block(width, 2 * width), _block(2 * width, 2 * width))
        self.embed = nn.Sequential(nn.Flatten(), nn.Linear(2 * width * 16, feature_dim), nn.ReLU())
        self.heads = nn.ModuleDict({name: nn.Linear(feature_dim, k) for name, k in HEADS.items()})

    def features(self, x: Tensor) -> Tensor:
        """The ``(n, feature_dim)`` shared features."""
        if x.dim() != 4 or x.shape[1] != 3 or x.shape[-1] not in (32, 64) or x.shape[-2] != x.shape[-1]:
            raise ValueError(f"ShapeReader expects images of shape (n, 3, 32, 32) or (n, 3, 64, 64), "
                             f"got {tuple(x.shape)}")
        if x.shape[-1] == 64:
            x = F.avg_pool2d(x, 2)
        return self.embed(self.convs(x))

    def forward(self, x: Tensor) -> dict[str, Tensor]:
        h = self.features(x)
        return {name: head(h) for name, head in self.heads.items()}
