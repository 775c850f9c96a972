"""GAN objectives as pure functions of discriminator logits.

Notation: ``l = D(x)`` is the discriminator's raw output (a logit), so the
probability that ``x`` is real is ``sigmoid(l)``. Every function takes logits of
shape ``(N,)`` or ``(N, 1)`` and returns a scalar: the batch mean of the quantity
that the named player *minimises*. Nothing here calls ``backward``.

We use ``log sigmoid(l) = -softplus(-l)`` and ``log(1 - sigmoid(l)) = -softplus(l)``,
which are exact and never take the log of a rounded-off zero (the reason not to
write ``sigmoid`` followed by ``BCELoss``).
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor


def d_loss_bce(real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    r"""Discriminator loss of the original GAN (Goodfellow et al., 2014).

    .. math:: L_D = -\mathbb{E}_x[\log D(x)] - \mathbb{E}_z[\log(1 - D(G(z)))]
              = \mathbb{E}[\operatorname{softplus}(-l_{real})]
              + \mathbb{E}[\operatorname{softplus}(l_{fake})]

    Minimising it is maximising the value function :math:`V(G, D)`.
    """
    return F.softplus(-real_logits).mean() + F.softplus(fake_logits).mean()


def g_loss_saturating(fake_logits: Tensor) -> Tensor:
    r"""Generator loss of the minimax game: the generator minimises :math:`V`.

    .. math:: L_G = \mathbb{E}_z[\log(1 - D(G(z)))] = -\mathbb{E}[\operatorname{softplus}(l_{fake})]

    Its gradient vanishes when D confidently rejects the fakes (``l_fake -> -inf``),
    which is what happens early in training: hence "saturating".
    """
    return -F.softplus(fake_logits).mean()


def g_loss_nonsaturating(fake_logits: Tensor) -> Tensor:
    r"""The non-saturating generator loss that GANs use in practice.

    .. math:: L_G = -\mathbb{E}_z[\log D(G(z))] = \mathbb{E}[\operatorname{softplus}(-l_{fake})]

    Same fixed point as the minimax loss, but a strong gradient exactly when D
    rejects the fakes.
    """
    return F.softplus(-fake_logits).mean()


def value_function(real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    r"""The GAN value :math:`V(G, D) = \mathbb{E}[\log D(x)] + \mathbb{E}[\log(1 - D(G(z)))]`."""
    return -d_loss_bce(real_logits, fake_logits)


def as_logits(t: Tensor) -> Tensor:
    """Check that ``t`` holds one logit per sample and flatten it to ``(N,)``."""
    if t.dim() > 2 or (t.dim() == 2 and t.shape[1] != 1):
        raise ValueError(
            f"expected logits of shape (N,) or (N, 1), got {tuple(t.shape)}; "
            "the discriminator must output one number per sample"
        )
    return t.reshape(-1)

