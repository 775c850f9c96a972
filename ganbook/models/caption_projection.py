"""Chapter 21's fifth row: a caption-conditioned generator and a projection critic, class conditioning's
recipe (chapters 7 and 15) with a sentence feature in place of a class.

Both networks hold the shipped text encoder (frozen) and read captions' word
rows themselves, so that any game that passes a batch's condition to G and D
(:class:`~ganbook.games.standard.StandardGame`) can train them on captions:

- :class:`CaptionGenerator`: ``G(z, tokens)``: the sentence feature ``s`` through a
  small MLP to ``c``; ``[z, c]`` to a 4x4 grid, then four up-samplings to 64
  pixels, every batch norm's gain and bias made from ``c``
  (:class:`~ganbook.models.biggan.SharedConditionalBatchNorm2d`), so the caption
  reaches every layer rather than only the first. It draws in layers, as
  LR-GAN does: the object and its mask in a window of its own, pasted where a
  small head says, over a background colour from another;
- :class:`ProjectionCritic`: ``D(x, tokens) = w^T phi(x) + (V s)^T phi(x)``,
  ``phi`` the sum-pooled features of strided convolutions without batch norm
  (a gradient penalty needs each sample's score to depend on it alone), the
  second term the projection of Miyato & Koyama (2018) with a linear map of
  the sentence feature where they look up a class embedding.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn

from ..data import captions
from .biggan import SharedConditionalBatchNorm2d
from .dcgan import dcgan_init
from .text import TextEncoder


def sentence_features(text: TextEncoder, tokens: Tensor) -> Tensor:
    """The frozen encoder's sentence features ``(n, D)`` of word rows ``tokens`` ``(n, L)``."""
    if tokens.dtype != torch.long or tokens.dim() != 2:
        raise ValueError(f"captions are word rows (n, L) of torch.long (ganbook.data.captions.Tokenizer), "
                         f"got {tuple(tokens.shape)} {tokens.dtype}")
    with torch.no_grad():
        text.eval()
        return text(tokens)[1]


class CaptionGenerator(nn.Module):
    """``G(z, tokens)``: ``(n, z_dim), (n, L) -> (n, 3, 64, 64)`` in [-1, 1], drawn in layers.

    The sentence feature goes through a small MLP to ``c``. A DCGAN stack (channels ``8w, 4w, 2w, w``, every
    batch norm's gain and bias made from ``c``) draws a 64-pixel *foreground*, colour and a mask, in a
    window of side :attr:`WINDOW` (a share of the image) centred on the object; two small heads turn
    ``[z, c]`` into the window's centre and a flat background colour. The window is pasted at its centre
    (``grid_sample``, so the centre learns by gradient) and the picture is
    ``mask * foreground + (1 - mask) * background``: LR-GAN's layers (Yang et al., 2017), with one object
    and a plain background, as the shape world's scenes have.
    """

    WINDOW = 0.8  # the foreground window's side, as a share of the image's (the largest shape reaches 0.76)
    REACH = 0.3  # how far from the image's centre the window's centre may go, as a share of the side

    def __init__(self, text: TextEncoder, z_dim: int = 32, c_dim: int = 32, width: int = 16) -> None:
        super().__init__()
        self.latent_dim = z_dim
        self.condition = nn.Sequential(nn.Linear(text.dim, c_dim), nn.ReLU(True), nn.Linear(c_dim, c_dim))
        channels = [8 * width, 4 * width, 2 * width, width]
        self.first = nn.Linear(z_dim + c_dim, channels[0] * 16)
        self.norms = nn.ModuleList(SharedConditionalBatchNorm2d(ch, c_dim) for ch in channels)
        self.ups = nn.ModuleList(nn.ConvTranspose2d(a, b, 4, 2, 1, bias=False) for a, b in zip(channels, channels[1:]))
        self.out = nn.ConvTranspose2d(width, 4, 4, 2, 1)  # colour and mask
        self.place = nn.Sequential(nn.Linear(z_dim + c_dim, c_dim), nn.ReLU(True), nn.Linear(c_dim, 2))
        self.background = nn.Sequential(nn.Linear(z_dim + c_dim, c_dim), nn.ReLU(True), nn.Linear(c_dim, 3))
        dcgan_init(self)
        for norm in self.norms:  # start as plain batch norm: gain 1, bias 0 for every caption
            nn.init.zeros_(norm.gain.weight)
            nn.init.zeros_(norm.bias.weight)
        self.text = text.requires_grad_(False)  # after the initialisation, which must not touch its weights

    example_conditions = staticmethod(captions.examples)  # what pictures and fingerprints ask for by default

    def layers(self, z: Tensor, tokens: Tensor) -> dict[str, Tensor]:
        """The picture's parts: ``foreground`` ``(n, 3, 64, 64)`` and ``mask`` ``(n, 1, 64, 64)`` in the
        window's frame, the window's ``centre`` ``(n, 2)`` as (x, y) shares of the side, and the
        ``background`` colour ``(n, 3)``."""
        c = self.condition(sentence_features(self.text, tokens))
        zc = torch.cat([z, c], 1)
        h = torch.relu(self.norms[0](self.first(zc).view(len(z), -1, 4, 4), c))
        for up, norm in zip(self.ups, self.norms[1:]):
            h = torch.relu(norm(up(h), c))
        drawn = self.out(h)
        return {"foreground": torch.tanh(drawn[:, :3]), "mask": torch.sigmoid(drawn[:, 3:]),
                "centre": 0.5 + self.REACH * torch.tanh(self.place(zc)), "background": torch.tanh(self.background(zc))}

    def forward(self, z: Tensor, tokens: Tensor) -> Tensor:
        parts = self.layers(z, tokens)
        n, side = len(z), self.WINDOW
        shift = (2 * parts["centre"] - 1) / side  # image -> window coordinates
        theta = torch.zeros(n, 2, 3, device=z.device)
        theta[:, 0, 0] = theta[:, 1, 1] = 1 / side
        theta[:, :, 2] = -shift
        grid = F.affine_grid(theta, [n, 4, 64, 64], align_corners=False)
        layers = torch.cat([parts["foreground"], parts["mask"]], 1)
        pasted = F.grid_sample(layers, grid, align_corners=False)
        mask = pasted[:, 3:]  # zero outside the window
        return mask * pasted[:, :3] + (1 - mask) * parts["background"][:, :, None, None]


class ProjectionCritic(nn.Module):
    """``D(x, tokens)``: ``(n, 3, 64, 64), (n, L) -> (n, 1)`` scores; channels ``w, 2w, 4w, 8w``."""

    def __init__(self, text: TextEncoder, width: int = 16) -> None:
        super().__init__()
        channels = [3, width, 2 * width, 4 * width, 8 * width]
        layers: list[nn.Module] = []
        for a, b in zip(channels, channels[1:]):
            layers += [nn.Conv2d(a, b, 4, 2, 1), nn.LeakyReLU(0.2, True)]
        self.body = nn.Sequential(*layers)
        self.linear = nn.Linear(8 * width, 1)
        self.embed = nn.Linear(text.dim, 8 * width, bias=False)
        dcgan_init(self)
        self.text = text.requires_grad_(False)  # after the initialisation, which must not touch its weights

    def forward(self, x: Tensor, tokens: Tensor) -> Tensor:
        if x.dim() != 4 or x.shape[1:] != (3, 64, 64):
            raise ValueError(f"ProjectionCritic reads 64-pixel scenes (n, 3, 64, 64), "
                             f"got {tuple(x.shape)}")
        phi = self.body(x).sum((2, 3))  # (n, 8w)
        projection = self.embed(sentence_features(self.text, tokens)) * phi
        return self.linear(phi) + projection.sum(1, keepdim=True)
