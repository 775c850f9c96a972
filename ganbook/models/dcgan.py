"""DCGAN's generator and discriminator for 28x28 digits (Radford et al., 2016).

The paper's architecture rules, each visible below:

- no pooling: D halves the resolution with stride-2 convolutions, G doubles it
  with stride-2 transposed convolutions;
- batch normalisation in both nets, except at G's output and D's input;
- no fully connected hidden layers: G's first layer projects z to a 7x7 map
  (a transposed convolution on a 1x1 input), D's last layer is one 7x7 convolution;
- ReLU in G with Tanh at the output, LeakyReLU(0.2) in D;
- weights drawn from N(0, 0.02) (:func:`dcgan_init`).

Shapes for ``width = w``: G ``(n, latent_dim) -> (n, 4w, 7, 7) -> (n, 2w, 14, 14)
-> (n, channels, 28, 28)``; D mirrors it, ``(n, channels, 28, 28) -> (n, w, 14, 14)
-> (n, 2w, 7, 7) -> (n, 1)``.
"""

from __future__ import annotations

from torch import Tensor, nn


def dcgan_init(module: nn.Module) -> None:
    """DCGAN's initialisation: conv weights ~ N(0, 0.02), batch-norm scales ~ N(1, 0.02), biases 0."""
    for m in module.modules():
        if isinstance(m, (nn.Conv1d, nn.Conv2d, nn.Conv3d, nn.ConvTranspose1d, nn.ConvTranspose2d, nn.Linear,
                          nn.Embedding)):
            nn.init.normal_(m.weight, 0.0, 0.02)
            if getattr(m, "bias", None) is not None:
                nn.init.zeros_(m.bias)
        elif isinstance(m, (nn.BatchNorm1d, nn.BatchNorm2d, nn.BatchNorm3d)) and m.affine:
            nn.init.normal_(m.weight, 1.0, 0.02)
            nn.init.zeros_(m.bias)


def up_block(c_in: int, c_out: int) -> nn.Sequential:
    """Double the resolution: stride-2 transposed conv, batch norm, ReLU. ``(n, c_in, s, s) -> (n, c_out, 2s, 2s)``."""
    return nn.Sequential(nn.ConvTranspose2d(c_in, c_out, 4, 2, 1, bias=False), nn.BatchNorm2d(c_out), nn.ReLU(True))


def down_block(c_in: int, c_out: int, norm: bool = True) -> nn.Sequential:
    """Halve the resolution: stride-2 conv, batch norm (unless ``norm`` is false), LeakyReLU(0.2)."""
    layers: list[nn.Module] = [nn.Conv2d(c_in, c_out, 4, 2, 1, bias=not norm)]
    if norm:
        layers.append(nn.BatchNorm2d(c_out))
    layers.append(nn.LeakyReLU(0.2, True))
    return nn.Sequential(*layers)


class DCGANGenerator(nn.Module):
    """``G(z)``: ``(n, latent_dim) -> (n, channels, 28, 28)`` in [-1, 1]."""

    def __init__(self, latent_dim: int = 64, width: int = 32, channels: int = 1) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        self.project = nn.Sequential(  # (n, latent_dim, 1, 1) -> (n, 4w, 7, 7)
            nn.ConvTranspose2d(latent_dim, 4 * width, 7, 1, 0, bias=False), nn.BatchNorm2d(4 * width), nn.ReLU(True)
        )
        self.body = nn.Sequential(
            up_block(4 * width, 2 * width),  # -> (n, 2w, 14, 14)
            nn.ConvTranspose2d(2 * width, channels, 4, 2, 1),  # -> (n, channels, 28, 28)
            nn.Tanh(),
        )
        dcgan_init(self)

    def forward(self, z: Tensor) -> Tensor:
        return self.body(self.project(z[:, :, None, None]))


class DCGANDiscriminator(nn.Module):
    """``D(x)``: ``(n, channels, 28, 28) -> (n, 1)`` logits; ``features(x)`` is ``(n, 2w*7*7)``.

    ``batch_norm=False`` drops the one batch norm, so that every sample's score
    depends on that sample alone (as a critic or a spectrally normalised D needs).
    """

    def __init__(self, width: int = 32, channels: int = 1, batch_norm: bool = True) -> None:
        super().__init__()
        self.body = nn.Sequential(
            down_block(channels, width, norm=False),  # no batch norm at D's input
            down_block(width, 2 * width, norm=batch_norm),  # -> (n, 2w, 7, 7)
        )
        self.head = nn.Conv2d(2 * width, 1, 7, 1, 0)  # one 7x7 conv instead of a linear layer
        dcgan_init(self)

    def features(self, x: Tensor) -> Tensor:
        """The last hidden layer, flattened: ``(n, 2w*49)``."""
        return self.body(x).flatten(1)

    def forward(self, x: Tensor) -> Tensor:
        return self.head(self.body(x)).flatten(1)


class DCGAN32Generator(nn.Module):
    """DCGAN's generator for 32-pixel colour scenes: ``(n, latent_dim) -> (n, 4w, 4, 4) -> (n, 2w, 8, 8)
    -> (n, w, 16, 16) -> (n, channels, 32, 32)``, by the same rules as :class:`DCGANGenerator`."""

    def __init__(self, latent_dim: int = 64, width: int = 32, channels: int = 3) -> None:
        super().__init__()
        self.latent_dim = latent_dim
        self.net = nn.Sequential(
            nn.ConvTranspose2d(latent_dim, 4 * width, 4, 1, 0, bias=False), nn.BatchNorm2d(4 * width), nn.ReLU(True),
            up_block(4 * width, 2 * width), up_block(2 * width, width),
            nn.ConvTranspose2d(width, channels, 4, 2, 1), nn.Tanh(),
        )
        dcgan_init(self)

    def forward(self, z: Tensor) -> Tensor:
        return self.net(z[:, :, None, None])


class DCGAN32Discriminator(nn.Module):
    """DCGAN's discriminator for 32-pixel scenes: ``(n, channels, 32, 32) -> (n, w, 16, 16) -> (n, 2w, 8, 8)
    -> (n, 4w, 4, 4) -> (n, 1)`` logits, the last layer one 4x4 convolution."""

    def __init__(self, width: int = 32, channels: int = 3) -> None:
        super().__init__()
        self.net = nn.Sequential(down_block(channels, width, norm=False), down_block(width, 2 * width),
                                 down_block(2 * width, 4 * width), nn.Conv2d(4 * width, 1, 4, 1, 0))
        dcgan_init(self)

    def forward(self, x: Tensor) -> Tensor:
        return self.net(x).flatten(1)
