"""Chapter 21's text-to-image networks: StackGAN's two stages, one stage for comparison, AttnGAN's word attention.

Every generator is conditioned on a caption through ``c``, a draw of
conditioning augmentation (:class:`~ganbook.models.text.ConditioningAugmentation`)
from the caption's sentence feature; every discriminator is matching-aware and
sees the sentence feature itself (:func:`ganbook.losses.d_loss_matching_aware`).

- :class:`StageIGenerator`: ``[z, c] -> (n, 3, 32, 32)``, chapter 14's DCGAN generator;
- :class:`StageIIGenerator`: the stage-I image and ``c`` again -> ``(n, 3, 64, 64)``:
  an encoder to 8x8, ``c`` tiled onto it, residual blocks, and up to 64; with
  ``attention`` (AttnGAN) the 16x16 features also attend over the caption's
  words (:class:`WordAttention`) before the last two up-samplings;
- :class:`OneStageGenerator`: ``[z, c] -> (n, 3, 64, 64)`` directly, the same budget
  in one network;
- :class:`ImageTextDiscriminator`: a 32- or 64-pixel image and a sentence feature -> a logit.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn

from .dcgan import DCGAN32Generator, dcgan_init, down_block, up_block


def tile(c: Tensor, size: int) -> Tensor:
    """A vector per image ``(n, d)`` repeated over a ``size x size`` grid: ``(n, d, size, size)``."""
    return c[:, :, None, None].expand(-1, -1, size, size)


class StageIGenerator(nn.Module):
    """``G_0(z, c)``: ``(n, z_dim), (n, c_dim) -> (n, 3, 32, 32)``."""

    def __init__(self, z_dim: int = 32, c_dim: int = 16, width: int = 32) -> None:
        super().__init__()
        self.net = DCGAN32Generator(z_dim + c_dim, width)

    def forward(self, z: Tensor, c: Tensor) -> Tensor:
        return self.net(torch.cat([z, c], 1))


class OneStageGenerator(nn.Module):
    """``G(z, c)``: ``(n, z_dim + c_dim) -> (n, 4w, 4, 4) -> ... -> (n, 3, 64, 64)``, DCGAN's rules."""

    def __init__(self, z_dim: int = 32, c_dim: int = 16, width: int = 32) -> None:
        super().__init__()
        self.net = nn.Sequential(
            nn.ConvTranspose2d(z_dim + c_dim, 4 * width, 4, 1, 0, bias=False), nn.BatchNorm2d(4 * width),
            nn.ReLU(True), up_block(4 * width, 4 * width), up_block(4 * width, 2 * width), up_block(2 * width, width),
            nn.ConvTranspose2d(width, 3, 4, 2, 1), nn.Tanh())
        dcgan_init(self)

    def forward(self, z: Tensor, c: Tensor) -> Tensor:
        return self.net(torch.cat([z, c], 1)[:, :, None, None])


class Residual(nn.Module):
    """``x + F(x)``, ``F`` two 3x3 convolutions with batch norm."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        self.body = nn.Sequential(nn.Conv2d(channels, channels, 3, padding=1, bias=False), nn.BatchNorm2d(channels),
                                  nn.ReLU(True), nn.Conv2d(channels, channels, 3, padding=1, bias=False),
                                  nn.BatchNorm2d(channels))

    def forward(self, x: Tensor) -> Tensor:
        return torch.relu(x + self.body(x))


class WordAttention(nn.Module):
    """AttnGAN's ``F^attn``: each position of image features ``h`` ``(n, C, H, W)`` attends over the caption's
    words ``(n, D, L)`` (projected to ``C`` by a 1x1 convolution; padding masked). Returns the word-context
    features ``(n, C, H, W)`` and the attention ``(n, L, H, W)`` (each position's weights over words)."""

    def __init__(self, channels: int, word_dim: int) -> None:
        super().__init__()
        self.project = nn.Conv1d(word_dim, channels, 1)

    def forward(self, h: Tensor, words: Tensor, mask: Tensor) -> tuple[Tensor, Tensor]:
        n, c, height, width = h.shape
        w = self.project(words)  # (n, C, L)
        scores = torch.bmm(h.flatten(2).transpose(1, 2), w)  # (n, HW, L)
        weights = scores.masked_fill(~mask[:, None, :], float("-inf")).softmax(2)
        context = torch.bmm(w, weights.transpose(1, 2)).reshape(n, c, height, width)
        return context, weights.transpose(1, 2).reshape(n, -1, height, width)


class StageIIGenerator(nn.Module):
    """``G_1(s_0, c)``: the stage-I image ``(n, 3, 32, 32)`` and ``c`` -> ``(n, 3, 64, 64)``; with
    ``attention`` it also takes the caption's words and mask (``forward(s0, c, words, mask)``)."""

    def __init__(self, c_dim: int = 16, width: int = 32, residuals: int = 2, attention: bool = False,
                 word_dim: int = 64) -> None:
        super().__init__()
        w = width
        self.encode = nn.Sequential(nn.Conv2d(3, w, 3, padding=1), nn.ReLU(True), down_block(w, 2 * w),
                                    down_block(2 * w, 4 * w))  # 32 -> 8
        self.join = nn.Sequential(nn.Conv2d(4 * w + c_dim, 4 * w, 3, padding=1, bias=False), nn.BatchNorm2d(4 * w),
                                  nn.ReLU(True), *[Residual(4 * w) for _ in range(residuals)])
        self.up16 = up_block(4 * w, 2 * w)
        self.attention = WordAttention(2 * w, word_dim) if attention else None
        self.up = nn.Sequential(up_block(4 * w if attention else 2 * w, w), up_block(w, w),
                                nn.Conv2d(w, 3, 3, padding=1), nn.Tanh())  # 16 -> 64
        self.last_attention: Tensor | None = None  # (n, L, 16, 16) of the last call, for the chapter's maps
        dcgan_init(self)

    def forward(self, s0: Tensor, c: Tensor, words: Tensor | None = None, mask: Tensor | None = None) -> Tensor:
        h = self.encode(s0)
        h = self.up16(self.join(torch.cat([h, tile(c, h.shape[-1])], 1)))
        if self.attention is not None:
            if words is None or mask is None:
                raise ValueError("a stage-II generator with attention needs the caption's words and mask")
            context, self.last_attention = self.attention(h, words, mask)
            h = torch.cat([h, context], 1)
        return self.up(h)


class ImageTextDiscriminator(nn.Module):
    """``D(x, s)``: a 32- or 64-pixel image and a sentence feature ``(n, sentence_dim)`` -> ``(n, 1)`` logits.
    The image goes down to 4x4 (stride-2 convolutions, DCGAN's rules); the sentence, compressed to
    ``cond_dim`` numbers, is tiled onto it; a 3x3 and a 4x4 convolution give the logit."""

    def __init__(self, size: int = 64, sentence_dim: int = 64, width: int = 32, cond_dim: int = 16) -> None:
        super().__init__()
        if size not in (32, 64):
            raise ValueError(f"ImageTextDiscriminator reads 32- or 64-pixel images, got size={size}")
        w = width
        layers = [down_block(3, w, norm=False), down_block(w, 2 * w), down_block(2 * w, 4 * w)]
        if size == 64:
            layers.append(down_block(4 * w, 4 * w))
        self.image = nn.Sequential(*layers)
        self.compress = nn.Sequential(nn.Linear(sentence_dim, cond_dim), nn.LeakyReLU(0.2, True))
        self.joint = nn.Sequential(nn.Conv2d(4 * w + cond_dim, 4 * w, 3, padding=1, bias=False),
                                   nn.BatchNorm2d(4 * w), nn.LeakyReLU(0.2, True), nn.Conv2d(4 * w, 1, 4))
        dcgan_init(self)

    def forward(self, x: Tensor, sentence: Tensor) -> Tensor:
        h = self.image(x)
        return self.joint(torch.cat([h, tile(self.compress(sentence), h.shape[-1])], 1)).flatten(1)
