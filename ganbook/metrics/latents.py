"""How a generator's latent space behaves: perceptual path length and linear separability (StyleGAN, Table 3).

**Perceptual path length** (Karras et al., 2019, section 4.1): cut a path
between two latents into steps of ``epsilon`` and add up how far the image moves
at each step, in a perceptual feature space ``phi``:

    PPL = E[ || phi(g(interp(a, b, t))) - phi(g(interp(a, b, t + epsilon))) ||^2 / epsilon^2 ],

with ``t ~ U(0, 1)`` ("full") or ``t`` in {0, 1} ("end"), slerp in Z and lerp
in W. The paper's ``phi`` is LPIPS (VGG features), a download; offline the book
uses the factor reader's features, so values compare between Z and W of one
model here, never with the paper's numbers. As in the paper, the 1% of
largest and smallest distances are dropped before averaging.

**Linear separability** (section 4.2): label generated images with binary
attributes, fit a linear SVM from the latent that made each image to its
label, and measure how much the label stays uncertain given the SVM's side,
the conditional entropy ``H(Y | X)`` in bits. The score is ``exp(sum over
attributes of H(Y | X))``: 1 when every attribute is a half-space of the latent space.
"""

from __future__ import annotations

from typing import Callable

import numpy as np
import scipy.stats
import torch
from sklearn.svm import LinearSVC
from torch import Tensor

from ..latent import lerp, slerp


def path_lengths(render: Callable[[Tensor], Tensor], features: Callable[[Tensor], Tensor], a: Tensor, b: Tensor,
                 t: Tensor, epsilon: float = 1e-4, spherical: bool = False) -> Tensor:
    """Each pair's ``||phi(render(p(t))) - phi(render(p(t + eps)))||^2 / eps^2`` ``(n,)`` for latents ``a``, ``b``
    ``(n, d)`` and positions ``t`` ``(n,)`` on the path ``p`` (slerp if ``spherical``, else lerp)."""
    step = slerp if spherical else lerp
    here, there = step(a, b, t[:, None]), step(a, b, t[:, None] + epsilon)
    f0, f1 = features(render(here)), features(render(there))
    return (f0 - f1).pow(2).sum(1) / epsilon ** 2


def trimmed_mean(values: Tensor, cut: float = 0.01) -> float:
    """The mean of ``values`` without the lowest and the highest ``cut`` share."""
    lo, hi = torch.quantile(values.double(), torch.tensor([cut, 1 - cut], dtype=torch.float64))
    return float(values[(values >= lo) & (values <= hi)].mean())


def conditional_entropy(y: np.ndarray, x: np.ndarray) -> float:
    """``H(Y | X)`` in bits for two binary arrays of the same length."""
    total = 0.0
    for side in (0, 1):
        mask = x == side
        if not mask.any():
            continue
        p = y[mask].mean()
        total += mask.mean() * scipy.stats.entropy([p, 1 - p], base=2)
    return float(total)


def separability(latents: Tensor, attributes: dict[str, Tensor], seed: int = 0) -> tuple[float, dict[str, float]]:
    """``exp(sum H(Y|X))`` over ``attributes`` (name -> binary labels ``(n,)``) of ``latents`` ``(n, d)``,
    and each attribute's ``H(Y|X)``. Attributes with a single label (nothing to separate) are skipped."""
    x = latents.detach().cpu().double().numpy()
    entropies = {}
    for name, labels in attributes.items():
        y = labels.cpu().numpy().astype(int)
        if y.min() == y.max():
            continue
        svm = LinearSVC(C=1.0, max_iter=5000, random_state=seed).fit(x, y)
        entropies[name] = conditional_entropy(y, svm.predict(x))
    return float(np.exp(sum(entropies.values()))), entropies
