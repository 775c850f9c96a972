"""The small fully convolutional network that labels every pixel of a shape-world scene (chapters 17-18).

A U-Net of three levels: two 3x3 conv blocks at 32, 16 and 8 pixels on the
way down, transposed convolutions back up with the encoder's maps
concatenated at each level, and a 1x1 convolution to :data:`CLASSES` logits per
pixel (background and the four shapes, the values of the world's class maps).
``features(x)`` is the bottleneck averaged over its 8x8 positions, the space
of the segmenter's Frechet distance in its robustness table.

Shapes, for width ``w`` (16 in the shipped segmenter):
``(n, 3, 32, 32) -> (n, w, 32, 32) -> (n, 2w, 16, 16) -> (n, 4w, 8, 8)``, then back up to
``(n, 5, 32, 32)`` logits.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

CLASSES = ("background", "circle", "square", "triangle", "star")  # the class maps' values 0-4


def _block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(),
                         nn.Conv2d(c_out, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU())


class Segmenter(nn.Module):
    """``(n, 3, 32, 32)`` scenes in [-1, 1] -> ``(n, 5, 32, 32)`` class logits per pixel."""

    def __init__(self, width: int = 16) -> None:
        super().__init__()
        w = width
        self.down = nn.ModuleList([_block(3, w), _block(w, 2 * w), _block(2 * w, 4 * w)])
        self.pool = nn.MaxPool2d(2)
        self.up = nn.ModuleList([nn.ConvTranspose2d(4 * w, 2 * w, 2, stride=2), nn.ConvTranspose2d(2 * w, w, 2, stride=2)])
        self.merge = nn.ModuleList([_block(4 * w, 2 * w), _block(2 * w, w)])
        self.head = nn.Conv2d(w, len(CLASSES), 1)

    def _check(self, x: Tensor) -> None:
        if x.dim() != 4 or x.shape[1] != 3 or x.shape[-1] % 4 or x.shape[-2] % 4:
            raise ValueError(f"Segmenter expects images of shape (n, 3, H, W) with H and W multiples of 4, "
                             f"got {tuple(x.shape)}")

    def _encode(self, x: Tensor) -> list[Tensor]:
        self._check(x)
        skips = [self.down[0](x)]
        for block in self.down[1:]:
            skips.append(block(self.pool(skips[-1])))
        return skips

    def features(self, x: Tensor) -> Tensor:
        """The ``(n, 4 * width)`` bottleneck, averaged over positions."""
        return self._encode(x)[-1].mean((2, 3))

    def forward(self, x: Tensor) -> Tensor:
        skips = self._encode(x)
        h = skips[-1]
        for up, merge, skip in zip(self.up, self.merge, reversed(skips[:-1])):
            h = merge(torch.cat([up(h), skip], 1))
        return self.head(h)
