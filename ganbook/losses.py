"""GAN objectives as pure functions of discriminator logits.

Notation: ``l = D(x)`` is the discriminator's raw output (a logit), so the
probability that ``x`` is real is ``sigmoid(l)``. Every function takes logits of
shape ``(N,)`` or ``(N, 1)`` (or a patch discriminator's ``(N, 1, h, w)``, one
logit per patch, flattened by :func:`as_logits`) and returns a scalar: the mean
of the quantity that the named player *minimises*. Nothing here calls ``backward``.

We use ``log sigmoid(l) = -softplus(-l)`` and ``log(1 - sigmoid(l)) = -softplus(l)``,
which are exact and never take the log of a rounded-off zero (the reason not to
write ``sigmoid`` followed by ``BCELoss``).
"""

from __future__ import annotations

import torch.nn.functional as F
from torch import Tensor


def d_loss_bce(real_logits: Tensor, fake_logits: Tensor, real_label: float = 1.0) -> Tensor:
    r"""Discriminator loss of the original GAN (Goodfellow et al., 2014).

    .. math:: L_D = -\mathbb{E}_x[\log D(x)] - \mathbb{E}_z[\log(1 - D(G(z)))]
              = \mathbb{E}[\operatorname{softplus}(-l_{real})]
              + \mathbb{E}[\operatorname{softplus}(l_{fake})]

    Minimising it is maximising the value function :math:`V(G, D)`.

    With ``real_label`` :math:`a < 1` this is *one-sided label smoothing*
    (Salimans et al., 2016): real samples get the soft target :math:`a`,

    .. math:: L_D = \mathbb{E}_x[a\,\operatorname{softplus}(-l_{real}) + (1-a)\operatorname{softplus}(l_{real})]
              + \mathbb{E}[\operatorname{softplus}(l_{fake})],

    which stops D from growing ever more confident on the real data.
    """
    real_term = F.softplus(-real_logits)
    if real_label != 1.0:
        real_term = real_label * real_term + (1.0 - real_label) * F.softplus(real_logits)
    return real_term.mean() + F.softplus(fake_logits).mean()


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


def d_loss_wasserstein(real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    r"""Critic loss of the Wasserstein GAN (Arjovsky et al., 2017).

    .. math:: L_D = \mathbb{E}_z[f(G(z))] - \mathbb{E}_x[f(x)]

    Here the "logit" is the critic's unbounded score :math:`f`. Minimising
    :math:`L_D` over 1-Lipschitz :math:`f` gives :math:`-W_1(p_{data}, p_g)`
    (Kantorovich-Rubinstein duality), so it needs a Lipschitz constraint: weight
    clipping or a gradient penalty (:mod:`ganbook.penalties`).
    """
    return fake_logits.mean() - real_logits.mean()


def g_loss_wasserstein(fake_logits: Tensor) -> Tensor:
    r"""Generator loss of the Wasserstein GAN: :math:`L_G = -\mathbb{E}_z[f(G(z))]`."""
    return -fake_logits.mean()


def d_loss_hinge(real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    r"""Hinge discriminator loss (Lim & Ye, 2017; Miyato et al., 2018).

    .. math:: L_D = \mathbb{E}_x[\max(0, 1 - l_{real})] + \mathbb{E}_z[\max(0, 1 + l_{fake})]

    Unlike the Wasserstein critic, D stops pushing once a sample is beyond the
    margin (score above 1 for real, below -1 for fake), so no Lipschitz
    constraint is needed to keep the scores finite. The generator uses
    :func:`g_loss_hinge`.
    """
    return F.relu(1.0 - real_logits).mean() + F.relu(1.0 + fake_logits).mean()


def g_loss_hinge(fake_logits: Tensor) -> Tensor:
    r"""Generator loss paired with the hinge discriminator: :math:`L_G = -\mathbb{E}_z[l_{fake}]`."""
    return -fake_logits.mean()


def d_loss_least_squares(real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    r"""Least-squares GAN discriminator loss (Mao et al., 2017) with targets 1 (real) and 0 (fake).

    .. math:: L_D = \tfrac12\mathbb{E}_x[(l_{real} - 1)^2] + \tfrac12\mathbb{E}_z[l_{fake}^2]
    """
    return 0.5 * ((real_logits - 1.0) ** 2).mean() + 0.5 * (fake_logits**2).mean()


def g_loss_least_squares(fake_logits: Tensor) -> Tensor:
    r"""Least-squares GAN generator loss: :math:`L_G = \tfrac12\mathbb{E}_z[(l_{fake} - 1)^2]`."""
    return 0.5 * ((fake_logits - 1.0) ** 2).mean()


def g_loss_feature_matching(real_features: Tensor, fake_features: Tensor) -> Tensor:
    r"""Feature matching (Salimans et al., 2016): G matches the mean of D's hidden features.

    .. math:: L_G = \lVert \mathbb{E}_x[h(x)] - \mathbb{E}_z[h(G(z))] \rVert_2^2

    ``h`` is D's last hidden layer, features of shape ``(N, F)``. G no longer
    chases D's current verdict, only statistics of the real data.
    """
    if real_features.dim() != 2 or real_features.shape[1:] != fake_features.shape[1:]:
        raise ValueError(
            f"feature matching needs features of shape (N, F) for both sets, got "
            f"{tuple(real_features.shape)} and {tuple(fake_features.shape)}"
        )
    return ((real_features.mean(0) - fake_features.mean(0)) ** 2).sum()


def info_nll(code_class: Tensor, code_cont: Tensor, q_class_logits: Tensor, q_cont_mean: Tensor,
             cont_weight: float = 1.0) -> Tensor:
    r"""InfoGAN's information loss (Chen et al., 2016): minus a lower bound on :math:`I(c; G(z, c))`, up to a constant.

    Q sees ``G(z, c)`` and predicts the codes: a categorical code as class logits
    ``(N, K)`` against its index ``code_class (N,)``, and continuous codes as the
    means ``(N, M)`` of unit-variance Gaussians against ``code_cont (N, M)``:

    .. math:: L_I = \mathbb{E}\big[-\log Q(c_{cat} \mid x)\big]
              + w \, \mathbb{E}\big[\tfrac12 \lVert c_{cont} - \mu_Q(x) \rVert^2\big]

    (the Gaussian's :math:`\tfrac{M}{2}\log 2\pi` is left out: it has no gradient).
    """
    nll = F.cross_entropy(q_class_logits, code_class)
    if code_cont.shape[1]:
        nll = nll + cont_weight * 0.5 * ((code_cont - q_cont_mean) ** 2).sum(1).mean()
    return nll


def d_loss_matching_aware(real_logits: Tensor, wrong_logits: Tensor, fake_logits: Tensor) -> Tensor:
    r"""The matching-aware discriminator of text-to-image GANs (Reed et al., 2016; StackGAN's code): D scores
    an image *with* a caption, and a real image with another image's caption counts as fake.

    .. math:: L_D = \mathbb{E}[\operatorname{softplus}(-l_{real,\,right})]
              + \tfrac12 \big(\mathbb{E}[\operatorname{softplus}(l_{real,\,wrong})]
              + \mathbb{E}[\operatorname{softplus}(l_{fake,\,right})]\big)

    (StackGAN's weights: the wrong pairs and the fakes share the fake half).
    """
    return F.softplus(-real_logits).mean() + 0.5 * (F.softplus(wrong_logits).mean() + F.softplus(fake_logits).mean())


def kl_conditioning(mu: Tensor, logvar: Tensor) -> Tensor:
    r"""StackGAN's conditioning-augmentation term: the KL divergence of
    :math:`N(\mu, \operatorname{diag}\sigma^2)` from :math:`N(0, I)`, averaged
    over the batch and the dimensions as the authors' PyTorch code does.

    .. math::
       L_{KL} = -\tfrac12\, \operatorname{mean}\big(1 + \log\sigma^2
                - \mu^2 - \sigma^2\big)
    """
    return -0.5 * (1 + logvar - mu ** 2 - logvar.exp()).mean()


def value_function(real_logits: Tensor, fake_logits: Tensor) -> Tensor:
    r"""The GAN value :math:`V(G, D) = \mathbb{E}[\log D(x)] + \mathbb{E}[\log(1 - D(G(z)))]`."""
    return -d_loss_bce(real_logits, fake_logits)


def as_logits(t: Tensor) -> Tensor:
    """Check that ``t`` holds one logit per sample, ``(N,)`` or ``(N, 1)``, or one per patch of each
    sample, ``(N, 1, h, w)`` (pix2pix's PatchGAN), and flatten it to ``(N,)`` or ``(N * h * w,)``.

    Every loss above is a mean over its logits, so a patch map is scored as the
    average over all patches of all samples.
    """
    if not (t.dim() == 1 or (t.dim() in (2, 4) and t.shape[1] == 1)):
        raise ValueError(
            f"expected logits of shape (N,), (N, 1) or (N, 1, h, w), got {tuple(t.shape)}; "
            "the discriminator must output one number per sample (or one channel of per-patch numbers)"
        )
    return t.reshape(-1)

