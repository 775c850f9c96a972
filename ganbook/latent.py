"""Paths through latent space: straight lines and great circles (chapter 5's interpolation slider).

A Gaussian latent ``z ~ N(0, I)`` in d dimensions has norm close to sqrt(d);
the midpoint of a straight line between two such points is shorter (by about
1/sqrt(2) for independent endpoints), so G sees an unusually short z there.
Spherical interpolation (slerp; Shoemake, 1985, as suggested for GANs by
White, 2016) follows the great circle and keeps the norm in between.
"""

from __future__ import annotations

import torch
from torch import Tensor


def lerp(a: Tensor, b: Tensor, t: float | Tensor) -> Tensor:
    """Straight-line point ``(1 - t) a + t b`` for rows ``a, b (n, d)`` (``t`` a number or one per row ``(n, 1)``)."""
    return (1 - t) * a + t * b


def slerp(a: Tensor, b: Tensor, t: float | Tensor, eps: float = 1e-7) -> Tensor:
    """Great-circle point between rows ``a`` and ``b`` ``(n, d)``:

    .. math:: \\frac{\\sin((1-t)\\Omega)}{\\sin\\Omega} a + \\frac{\\sin(t\\Omega)}{\\sin\\Omega} b,
              \\quad \\cos\\Omega = \\frac{a \\cdot b}{\\lVert a\\rVert \\lVert b\\rVert}

    Falls back to :func:`lerp` for (nearly) parallel rows, where Omega is 0. ``t`` is a number or one
    per row ``(n, 1)``.
    """
    cos = ((a * b).sum(1) / (a.norm(dim=1) * b.norm(dim=1))).clamp(-1 + eps, 1 - eps)
    omega = torch.acos(cos)[:, None]
    so = torch.sin(omega)
    out = torch.sin((1 - t) * omega) / so * a + torch.sin(t * omega) / so * b
    parallel = (so.abs() < 1e-4).squeeze(1)
    out[parallel] = lerp(a[parallel], b[parallel], t[parallel] if isinstance(t, Tensor) else t)
    return out


def path(a: Tensor, b: Tensor, steps: int, spherical: bool) -> Tensor:
    """``steps`` points from ``a`` to ``b`` (rows ``(n, d)``): ``(steps, n, d)``."""
    f = slerp if spherical else lerp
    return torch.stack([f(a, b, float(t)) for t in torch.linspace(0, 1, steps)])


def truncated_normal(n: int, dim: int, threshold: float, rng: torch.Generator) -> Tensor:
    """``(n, dim)`` draws of N(0, 1) with every entry of magnitude above ``threshold`` redrawn until it is
    not: BigGAN's truncation trick (Brock et al., 2019). ``threshold = inf`` is the plain prior."""
    if threshold <= 0:
        raise ValueError(f"a truncation threshold must be positive, got {threshold}")
    z = torch.randn(n, dim, generator=rng)
    while True:
        outside = z.abs() > threshold
        if not outside.any():
            return z
        z[outside] = torch.randn(int(outside.sum()), generator=rng)
