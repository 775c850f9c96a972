"""Regularisers of the discriminator that need D itself, not just its outputs.

Each takes the discriminator, a real batch and a generated batch (and the
trainer's random stream, for determinism) and returns a scalar to *add* to D's
loss, before the weight that :class:`ganbook.train.Objective` applies.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn


def _input_gradients(D: nn.Module, x: Tensor) -> Tensor:
    """Gradient of sum_i D(x_i) with respect to each input, flattened to ``(N, features)``."""
    x = x.detach().requires_grad_(True)
    out = D(x).sum()
    (grad,) = torch.autograd.grad(out, x, create_graph=True)
    return grad.reshape(grad.shape[0], -1)


def _between(real: Tensor, fake: Tensor, rng: torch.Generator, pack: int = 1) -> Tensor:
    """Random points on the segments between paired real and generated samples (both ``(N, ...)``), one
    position per ``pack`` consecutive samples (one per sample by default)."""
    if real.shape != fake.shape:
        raise ValueError(f"real and fake batches differ in shape: {tuple(real.shape)} and {tuple(fake.shape)}")
    eps = torch.rand(real.shape[0] // pack, *([1] * (real.dim() - 1)), generator=rng)
    eps = eps.repeat_interleave(pack, 0).to(real.device)
    mixed = eps * real.detach() + (1 - eps) * fake.detach()
    return mixed


def gradient_penalty(D: nn.Module, real: Tensor, fake: Tensor, rng: torch.Generator, pack: int = 1) -> Tensor:
    r"""WGAN-GP penalty (Gulrajani et al., 2017), used with weight :math:`\lambda = 10`.

    .. math:: \mathbb{E}_{\hat x}\big[(\lVert \nabla_{\hat x} f(\hat x) \rVert_2 - 1)^2\big],
              \quad \hat x = \epsilon x + (1 - \epsilon)\tilde x,\; \epsilon \sim U[0, 1]

    on random points between real ``x`` and generated :math:`\tilde x` (both ``(N, ...)``). For a critic
    that scores packs of ``pack`` consecutive samples (PacGAN's, CTGAN's), :math:`\hat x` is a whole pack:
    one :math:`\epsilon` per pack and the gradient's norm over the pack, as CTGAN's code computes it.
    """
    grad = _input_gradients(D, _between(real, fake, rng, pack))
    return ((grad.reshape(len(grad) // pack, -1).norm(dim=1) - 1.0) ** 2).mean()


def one_sided_gradient_penalty(D: nn.Module, real: Tensor, fake: Tensor, rng: torch.Generator) -> Tensor:
    r"""The one-sided variant Gulrajani et al. (2017, section 4) mention: only slopes above 1 cost.

    .. math:: \mathbb{E}_{\hat x}\big[\max(0, \lVert \nabla_{\hat x} f(\hat x) \rVert_2 - 1)^2\big]

    on the same random points between real ``x`` and generated :math:`\tilde x` as
    :func:`gradient_penalty`. A slope may fall to 0 at no cost, so the critic can
    turn round (change the sign of its slope) without crossing a penalised region.
    """
    return (torch.relu(_input_gradients(D, _between(real, fake, rng)).norm(dim=1) - 1.0) ** 2).mean()


def r1_penalty(D: nn.Module, real: Tensor, fake: Tensor, rng: torch.Generator) -> Tensor:
    r"""R1 penalty (Mescheder et al., 2018) on real data, used with weight :math:`\gamma / 2`.

    .. math:: \mathbb{E}_x\big[\lVert \nabla_x D(x) \rVert_2^2\big]

    ``fake`` and ``rng`` are unused; they keep the signature of every penalty.
    """
    return (_input_gradients(D, real) ** 2).sum(dim=1).mean()


def r2_penalty(D: nn.Module, real: Tensor, fake: Tensor, rng: torch.Generator) -> Tensor:
    r"""R2 penalty (Mescheder et al., 2018) on generated data, used with weight :math:`\gamma / 2`.

    .. math:: \mathbb{E}_{\tilde x}\big[\lVert \nabla_{\tilde x} D(\tilde x) \rVert_2^2\big]

    ``real`` and ``rng`` are unused; they keep the signature of every penalty.
    """
    return (_input_gradients(D, fake) ** 2).sum(dim=1).mean()
