"""The small CNN that measures generated digits (chapters 5-9).

Two conv blocks and two linear layers; ``features(x)`` is the 64-d layer before
the class logits, the space where :mod:`ganbook.metrics.images` computes the
Frechet distance, KID and precision/recall of generated digits.

Shapes: ``(n, 1, 28, 28) -> (n, 16, 14, 14) -> (n, 32, 7, 7) -> (n, 64) -> (n, 10)``.
"""

from __future__ import annotations

from torch import Tensor, nn


class DigitClassifier(nn.Module):
    """``(n, 1, 28, 28)`` images in [-1, 1] -> ``(n, n_classes)`` logits."""

    def __init__(self, n_classes: int = 10, feature_dim: int = 64) -> None:
        super().__init__()
        self.convs = nn.Sequential(
            nn.Conv2d(1, 16, 3, padding=1), nn.BatchNorm2d(16), nn.ReLU(), nn.MaxPool2d(2),
            nn.Conv2d(16, 32, 3, padding=1), nn.BatchNorm2d(32), nn.ReLU(), nn.MaxPool2d(2),
        )
        self.embed = nn.Sequential(nn.Flatten(), nn.Dropout(0.3), nn.Linear(32 * 7 * 7, feature_dim), nn.ReLU())
        self.out = nn.Linear(feature_dim, n_classes)

    def features(self, x: Tensor) -> Tensor:
        """The ``(n, feature_dim)`` penultimate activations."""
        if x.dim() != 4 or tuple(x.shape[1:]) != (1, 28, 28):
            raise ValueError(f"DigitClassifier expects images of shape (n, 1, 28, 28), got {tuple(x.shape)}")
        return self.embed(self.convs(x))

    def forward(self, x: Tensor) -> Tensor:
        return self.out(self.features(x))
