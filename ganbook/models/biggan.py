"""BigGAN's ideas at small scale (Brock et al., 2019): residual G and D for 32-pixel class-conditional scenes.

- **Class-conditional batch norm with a shared embedding**: one class
  embedding, shared by every layer, is concatenated with ``z``; each of G's
  batch norms maps that vector linearly to its own per-channel gain ``1 + g``
  and bias ``b`` (:class:`SharedConditionalBatchNorm2d`).
- **Self-attention** (Zhang et al., 2019) at 16x16 in G and D (:class:`SelfAttention`):
  every position is a weighted sum of all positions, so the far side of a
  shape can agree with the near side; its output starts switched off (``gamma = 0``).
- **Spectral norm in G and D** and a **projection** discriminator (chapter 7's
  class embedding dotted with D's pooled features).

- **Standing statistics** (:func:`standing_statistics`, BigGAN-PyTorch's
  ``accumulate_standing_stats``): the moving average of G has averaged
  weights but G's batch-norm statistics; before sampling, its batch norms
  measure their own over many batches of its own samples.

Shapes: G ``(n, latent_dim), (n,) -> (n, 3, 32, 32)``; D ``(n, 3, 32, 32), (n,) -> (n, 1)``.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor, nn


class SelfAttention(nn.Module):
    """``x + gamma * o(softmax(f(x)^T g(x)) h(x))`` over all ``H W`` positions; ``(n, C, H, W)`` in and out."""

    def __init__(self, channels: int) -> None:
        super().__init__()
        k = max(1, channels // 8)
        self.f, self.g = nn.Conv2d(channels, k, 1, bias=False), nn.Conv2d(channels, k, 1, bias=False)
        self.h = nn.Conv2d(channels, channels // 2, 1, bias=False)
        self.o = nn.Conv2d(channels // 2, channels, 1, bias=False)
        self.gamma = nn.Parameter(torch.zeros(()))

    def attention(self, x: Tensor) -> Tensor:
        """The ``(n, HW, HW)`` weights: row ``i`` says how much position ``i`` reads from each position."""
        q, k = self.f(x).flatten(2), self.g(x).flatten(2)  # (n, k, HW)
        return torch.softmax(q.transpose(1, 2) @ k, dim=-1)

    def forward(self, x: Tensor) -> Tensor:
        n, c, hgt, wid = x.shape
        v = self.h(x).flatten(2)  # (n, C/2, HW)
        read = (v @ self.attention(x).transpose(1, 2)).view(n, c // 2, hgt, wid)
        return x + self.gamma * self.o(read)


class SharedConditionalBatchNorm2d(nn.Module):
    """Batch norm without its own affine; gain ``1 + W_g s`` and bias ``W_b s`` from the shared vector ``s``."""

    def __init__(self, channels: int, shared_dim: int) -> None:
        super().__init__()
        self.bn = nn.BatchNorm2d(channels, affine=False)
        self.gain, self.bias = nn.Linear(shared_dim, channels, bias=False), nn.Linear(shared_dim, channels, bias=False)

    def forward(self, x: Tensor, s: Tensor) -> Tensor:  # (n, C, H, W), (n, shared_dim)
        return self.bn(x) * (1 + self.gain(s))[:, :, None, None] + self.bias(s)[:, :, None, None]


class GBlock(nn.Module):
    """Up-sampling residual block: ``CBN, ReLU, up, conv, CBN, ReLU, conv`` plus ``conv1x1(up(x))``."""

    def __init__(self, c_in: int, c_out: int, shared_dim: int) -> None:
        super().__init__()
        self.bn1, self.bn2 = SharedConditionalBatchNorm2d(c_in, shared_dim), SharedConditionalBatchNorm2d(c_out, shared_dim)
        self.conv1, self.conv2 = nn.Conv2d(c_in, c_out, 3, padding=1), nn.Conv2d(c_out, c_out, 3, padding=1)
        self.skip = nn.Conv2d(c_in, c_out, 1)

    def forward(self, x: Tensor, s: Tensor) -> Tensor:
        h = F.interpolate(F.relu(self.bn1(x, s)), scale_factor=2)
        h = self.conv2(F.relu(self.bn2(self.conv1(h), s)))
        return h + self.skip(F.interpolate(x, scale_factor=2))


class DBlock(nn.Module):
    """Down-sampling residual block: ``ReLU, conv, ReLU, conv, pool`` plus ``pool(conv1x1(x))``."""

    def __init__(self, c_in: int, c_out: int, first: bool = False) -> None:
        super().__init__()
        self.first = first
        self.conv1, self.conv2 = nn.Conv2d(c_in, c_out, 3, padding=1), nn.Conv2d(c_out, c_out, 3, padding=1)
        self.skip = nn.Conv2d(c_in, c_out, 1)

    def forward(self, x: Tensor) -> Tensor:
        h = x if self.first else F.relu(x)  # the image itself is not rectified
        h = F.avg_pool2d(self.conv2(F.relu(self.conv1(h))), 2)
        return h + F.avg_pool2d(self.skip(x), 2)


class BigGenerator(nn.Module):
    """``z, y -> (n, 3, 32, 32)``: 4 -> 8 -> 16 (attention) -> 32 with conditional batch norm."""

    def __init__(self, latent_dim: int = 64, n_classes: int = 4, width: int = 16, embed_dim: int = 32) -> None:
        super().__init__()
        self.latent_dim, self.n_classes, self.width = latent_dim, n_classes, width
        self.embed = nn.Embedding(n_classes, embed_dim)  # the shared class embedding
        shared = latent_dim + embed_dim
        self.dense = nn.Linear(latent_dim, 4 * width * 16)
        self.blocks = nn.ModuleList([GBlock(4 * width, 4 * width, shared), GBlock(4 * width, 2 * width, shared),
                                     GBlock(2 * width, width, shared)])
        self.attention = SelfAttention(2 * width)  # at 16x16, after the second block
        self.out_bn = nn.BatchNorm2d(width)
        self.out = nn.Conv2d(width, 3, 3, padding=1)

    def forward(self, z: Tensor, y: Tensor) -> Tensor:
        s = torch.cat([z, self.embed(y)], 1)
        h = self.dense(z).view(-1, 4 * self.width, 4, 4)
        for i, block in enumerate(self.blocks):
            h = block(h, s)
            if i == 1:
                h = self.attention(h)
        return torch.tanh(self.out(F.relu(self.out_bn(h))))


class BigDiscriminator(nn.Module):
    """``x, y -> (n, 1)``: 32 -> 16 (attention) -> 8 -> 4, ReLU, sum-pool, linear + projection of ``y``."""

    def __init__(self, n_classes: int = 4, width: int = 16) -> None:
        super().__init__()
        self.blocks = nn.ModuleList([DBlock(3, width, first=True), DBlock(width, 2 * width),
                                     DBlock(2 * width, 4 * width)])
        self.attention = SelfAttention(width)  # at 16x16, after the first block
        self.linear = nn.Linear(4 * width, 1)
        self.embed = nn.Embedding(n_classes, 4 * width)

    def forward(self, x: Tensor, y: Tensor) -> Tensor:
        h = self.attention(self.blocks[0](x))
        for block in self.blocks[1:]:
            h = block(h)
        h = F.relu(h).sum((2, 3))  # (n, 4 width)
        return self.linear(h) + (self.embed(y) * h).sum(1, keepdim=True)


@torch.no_grad()
def standing_statistics(G: BigGenerator, batches: int = 16, batch_size: int = 64, seed: int = 0) -> None:
    """Set every batch norm's running mean and variance in ``G`` to its average over ``batches`` batches of
    ``G``'s own samples (random latents and classes from ``seed``); nothing else in ``G`` changes.

    Only the batch norms run in training mode (the spectral norms' power iterations do not move), so
    the result depends on ``G``'s weights and ``seed`` alone: calling it twice gives the same statistics.
    """
    norms = [m for m in G.modules() if isinstance(m, nn.BatchNorm2d)]
    was_training = G.training
    G.eval()
    saved = [m.momentum for m in norms]
    for m in norms:
        m.reset_running_stats()
        m.momentum = None  # a cumulative average over the batches
        m.train()
    device = next(G.parameters()).device
    gen = torch.Generator().manual_seed(seed)
    for _ in range(batches):
        z = torch.randn(batch_size, G.latent_dim, generator=gen)
        y = torch.randint(G.n_classes, (batch_size,), generator=gen)
        G(z.to(device), y.to(device))
    for m, momentum in zip(norms, saved):
        m.momentum = momentum
    G.train(was_training)
