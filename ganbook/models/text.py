"""Chapter 21's encoders: captions to word and sentence features, scenes to region and global features.

AttnGAN's DAMSM (Xu et al. 2018) trains a text encoder and an image encoder so
that a caption's words land near the image regions they describe. The
authors' text encoder is a bidirectional LSTM over word embeddings and their
image encoder a pretrained Inception-v3 (regions from its 17x17 Mixed_6e
layer); here both are small and trained from scratch on the shape world:

- :class:`TextEncoder`: embedding -> bidirectional GRU; ``words`` ``(n, D, L)``
  (each word's forward and backward states) and ``sentence`` ``(n, D)`` (the
  two directions' last states).
- :class:`ImageEncoder`: three conv blocks on 64-pixel scenes (32-pixel ones
  are upsampled first); ``regions`` ``(n, D, 8 * 8)`` and ``global`` ``(n, D)``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class TextEncoder(nn.Module):
    """Word indices ``(n, L)`` (0 = padding) -> ``(words (n, D, L), sentence (n, D))``, ``D = 2 * hidden``."""

    def __init__(self, vocabulary: int, embed_dim: int = 32, hidden: int = 32) -> None:
        super().__init__()
        self.dim = 2 * hidden
        self.embed = nn.Embedding(vocabulary, embed_dim, padding_idx=0)
        self.rnn = nn.GRU(embed_dim, hidden, batch_first=True, bidirectional=True)

    def forward(self, tokens: Tensor) -> tuple[Tensor, Tensor]:
        lengths = (tokens != 0).sum(1).clamp(min=1).cpu()
        packed = nn.utils.rnn.pack_padded_sequence(self.embed(tokens), lengths, batch_first=True,
                                                   enforce_sorted=False)
        out, last = self.rnn(packed)
        words, _ = nn.utils.rnn.pad_packed_sequence(out, batch_first=True, total_length=tokens.shape[1])
        sentence = torch.cat([last[0], last[1]], 1)  # the forward pass's last word, the backward pass's first
        return words.transpose(1, 2), sentence


def _block(c_in: int, c_out: int) -> nn.Sequential:
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(),
                         nn.Conv2d(c_out, c_out, 3, padding=1), nn.BatchNorm2d(c_out), nn.ReLU(), nn.MaxPool2d(2))


class ImageEncoder(nn.Module):
    """Scenes ``(n, 3, 64, 64)`` (or 32, upsampled) -> ``(regions (n, D, 64), global (n, D))``: an 8x8 grid
    of region features and the image's own."""

    def __init__(self, dim: int = 64, width: int = 16) -> None:
        super().__init__()
        self.dim = dim
        self.convs = nn.Sequential(_block(3, width), _block(width, 2 * width), _block(2 * width, 4 * width))
        self.regions = nn.Conv2d(4 * width, dim, 1)
        self.whole = nn.Linear(4 * width, dim)

    def forward(self, images: Tensor) -> tuple[Tensor, Tensor]:
        if images.shape[-1] == 32:
            images = F.interpolate(images, scale_factor=2, mode="bilinear", align_corners=False)
        if images.dim() != 4 or images.shape[-1] != 64:
            raise ValueError(f"ImageEncoder expects scenes (n, 3, 64, 64) or (n, 3, 32, 32), got {tuple(images.shape)}")
        h = self.convs(images)  # (n, 4w, 8, 8)
        return self.regions(h).flatten(2), self.whole(h.mean((2, 3)))


class MatchingEncoders(nn.Module):
    """The two DAMSM encoders as one module, trained together: ``(images, tokens)`` -> their features
    ``{"words", "sentence", "regions", "image"}``."""

    def __init__(self, vocabulary: int, dim: int = 64, width: int = 16, embed_dim: int = 32) -> None:
        super().__init__()
        self.text = TextEncoder(vocabulary, embed_dim, dim // 2)
        self.image = ImageEncoder(dim, width)

    def forward(self, batch: tuple[Tensor, Tensor]) -> dict[str, Tensor]:
        images, tokens = batch
        words, sentence = self.text(tokens)
        regions, whole = self.image(images)
        return {"words": words, "sentence": sentence, "regions": regions, "image": whole, "tokens": tokens}


class ConditioningAugmentation(nn.Module):
    """StackGAN's conditioning augmentation: a sentence feature ``(n, D)`` -> a Gaussian ``N(mu, sigma^2)`` over
    ``c_dim`` numbers, and a draw from it, ``c = mu + sigma * eps``, so that nearby captions share conditions
    and G sees a smooth neighbourhood of each one. Returns ``(c, mu, logvar)``; the KL term that keeps the
    Gaussian near ``N(0, I)`` is :func:`ganbook.losses.kl_conditioning`."""

    def __init__(self, sentence_dim: int, c_dim: int = 16) -> None:
        super().__init__()
        self.c_dim = c_dim
        self.fc = nn.Linear(sentence_dim, 2 * c_dim)

    def forward(self, sentence: Tensor,
                eps: Tensor | None = None) -> tuple[Tensor, Tensor, Tensor]:
        mu, logvar = self.fc(sentence).chunk(2, dim=1)
        eps = torch.randn_like(mu) if eps is None else eps
        return mu + (0.5 * logvar).exp() * eps, mu, logvar
