"""CTGAN's networks (Xu et al., 2019): a residual MLP generator with one output per column kind, and a packed
critic.

- :class:`TableGenerator`: ``(z, c)`` through residual layers (each a linear
  layer, batch norm and ReLU whose output is *concatenated* with its input,
  so later layers still see ``z`` and ``c``), then one linear layer to an
  encoded row. :meth:`~TableGenerator.activate` squashes each slice as its
  :class:`~ganbook.data.table_encoding.Span` says: tanh for a scalar, the
  Gumbel softmax (temperature 0.2) for a one-hot, so a category is drawn, not
  averaged, and gradients still flow.
- :class:`TableCritic`: PacGAN's packing (chapter 12): ``pac`` rows, each with
  its condition, are concatenated and scored together; linear layers with
  leaky ReLU (0.2) and dropout (0.5), no normalisation (the gradient penalty
  is taken per pack).
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.nn import functional as F

from ..data.table_encoding import Span


class Residual(nn.Module):
    """``x -> [ReLU(BN(W x + b)), x]``: ``(n, i) -> (n, o + i)``."""

    def __init__(self, i: int, o: int) -> None:
        super().__init__()
        self.fc, self.bn = nn.Linear(i, o), nn.BatchNorm1d(o)

    def forward(self, x: Tensor) -> Tensor:
        return torch.cat([F.relu(self.bn(self.fc(x))), x], 1)


def _condition(x: Tensor, c: Tensor | None, cond_dim: int) -> Tensor:
    if cond_dim == 0:
        return x
    if c is None or c.shape != (len(x), cond_dim):
        got = None if c is None else tuple(c.shape)
        raise ValueError(f"this network is conditional: pass a condition of shape ({len(x)}, {cond_dim}), got {got}")
    return torch.cat([x, c.to(x)], 1)


class TableGenerator(nn.Module):
    """``(n, z_dim)`` latents and ``(n, cond_dim)`` conditions -> ``(n, width)`` encoded rows, activated."""

    def __init__(self, z_dim: int, cond_dim: int, spans: tuple[Span, ...], hidden: tuple[int, ...] = (256, 256),
                 tau: float = 0.2) -> None:
        super().__init__()
        self.latent_dim, self.cond_dim, self.spans, self.tau = z_dim, cond_dim, spans, tau
        layers, size = [], z_dim + cond_dim
        for h in hidden:
            layers.append(Residual(size, h))
            size += h
        self.body = nn.Sequential(*layers)
        self.out = nn.Linear(size, spans[-1].end)

    def raw(self, z: Tensor, c: Tensor | None = None) -> Tensor:
        """The output layer's numbers before any squashing (the logits the conditional loss reads)."""
        return self.out(self.body(_condition(z, c, self.cond_dim)))

    def activate(self, raw: Tensor, uniform: Tensor | None = None) -> Tensor:
        """Each span squashed: tanh for a scalar, a Gumbel softmax sample at temperature ``tau`` for a one-hot,
        ``softmax((logits - log(-log u)) / tau)``. The uniforms ``u`` ``(n, width)`` are drawn from torch's
        stream unless given (a seeded sample gives them, so the same seed gives the same rows)."""
        if uniform is None:
            uniform = torch.rand_like(raw)
        gumbel = -torch.log(-torch.log(uniform.to(raw).clamp(1e-10, 1 - 1e-7)))
        parts = [torch.tanh(raw[:, s.start:s.end]) if s.activation == "tanh"
                 else torch.softmax((raw[:, s.start:s.end] + gumbel[:, s.start:s.end]) / self.tau, 1)
                 for s in self.spans]
        return torch.cat(parts, 1)

    def forward(self, z: Tensor, c: Tensor | None = None, uniform: Tensor | None = None) -> Tensor:
        return self.activate(self.raw(z, c), uniform)


class TableCritic(nn.Module):
    """``(n, width)`` rows and their ``(n, cond_dim)`` conditions -> ``(n / pac,)`` scores, one per pack of
    ``pac`` consecutive rows."""

    def __init__(self, width: int, cond_dim: int, pac: int = 10, hidden: tuple[int, ...] = (256, 256),
                 dropout: float = 0.5) -> None:
        super().__init__()
        if pac < 1:
            raise ValueError(f"packing degree must be at least 1, got {pac}")
        self.cond_dim, self.pac = cond_dim, pac
        layers, size = [], (width + cond_dim) * pac
        for h in hidden:
            layers += [nn.Linear(size, h), nn.LeakyReLU(0.2), nn.Dropout(dropout)]
            size = h
        self.net = nn.Sequential(*layers, nn.Linear(size, 1))

    def forward(self, x: Tensor, c: Tensor | None = None) -> Tensor:
        x = _condition(x, c, self.cond_dim)
        if len(x) % self.pac:
            raise ValueError(f"a batch of {len(x)} rows does not split into packs of {self.pac}: "
                             f"use a batch size that is a multiple of {self.pac}")
        return self.net(x.reshape(len(x) // self.pac, -1)).flatten()
