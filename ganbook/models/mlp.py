"""Fully connected generator and discriminator.

Chapter 1 uses them on the real line; chapter 5 uses the same classes at the
sizes of the classic MNIST tutorials.
"""

from __future__ import annotations

from typing import Callable, Sequence

from torch import Tensor, nn


def mlp_layers(
    sizes: Sequence[int],
    activation: Callable[[], nn.Module] = nn.ReLU,
    out_activation: Callable[[], nn.Module] | None = None,
) -> nn.Sequential:
    """Linear layers of widths ``sizes[0] -> sizes[1] -> ... -> sizes[-1]``.

    ``activation`` follows every hidden layer; ``out_activation`` (if any) the last.
    """
    if len(sizes) < 2:
        raise ValueError(f"an MLP needs at least an input and an output size, got {list(sizes)}")
    layers: list[nn.Module] = []
    for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:])):
        layers.append(nn.Linear(n_in, n_out))
        last = i == len(sizes) - 2
        if not last:
            layers.append(activation())
        elif out_activation is not None:
            layers.append(out_activation())
    return nn.Sequential(*layers)


class MLPGenerator(nn.Module):
    """G: latent ``z`` of shape ``(N, latent_dim)`` -> sample of shape ``(N, out_dim)``."""

    def __init__(
        self,
        latent_dim: int,
        out_dim: int,
        hidden: Sequence[int] = (32, 32),
        activation: Callable[[], nn.Module] = nn.ReLU,
        out_activation: Callable[[], nn.Module] | None = None,
        out_shape: Sequence[int] | None = None,
    ) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        self.out_dim = out_dim
        self.out_shape = tuple(out_shape) if out_shape is not None else None  # e.g. (1, 28, 28) for images
        self.net = mlp_layers([latent_dim, *hidden, out_dim], activation, out_activation)

    def forward(self, z: Tensor) -> Tensor:
        if z.dim() != 2 or z.shape[1] != self.latent_dim:
            raise ValueError(
                f"generator expects z of shape (N, {self.latent_dim}), got {tuple(z.shape)}"
            )
        x = self.net(z)
        return x if self.out_shape is None else x.reshape(x.shape[0], *self.out_shape)


class MLPDiscriminator(nn.Module):
    """D: sample ``x`` of shape ``(N, in_dim)`` -> one logit per sample, shape ``(N,)``."""

    def __init__(
        self,
        in_dim: int,
        hidden: Sequence[int] = (32, 32),
        activation: Callable[[], nn.Module] = lambda: nn.LeakyReLU(0.2),
    ) -> None:
        super().__init__()
        self.in_dim = in_dim
        self.net = mlp_layers([in_dim, *hidden, 1], activation)

    def _flat(self, x: Tensor) -> Tensor:
        x = x.reshape(x.shape[0], -1)
        if x.shape[1] != self.in_dim:
            raise ValueError(
                f"discriminator expects inputs with {self.in_dim} features, got {x.shape[1]}"
            )
        return x

    def features(self, x: Tensor) -> Tensor:
        """The last hidden layer's activations, shape ``(N, hidden[-1])`` (for feature matching)."""
        return self.net[:-1](self._flat(x))

    def forward(self, x: Tensor) -> Tensor:
        return self.net(self._flat(x)).squeeze(1)

