"""How a generator's latent space behaves: path length and separability.

StyleGAN's Table 3 (Karras et al., 2019), both computed as StyleGAN's code
computes them (github.com/NVlabs/stylegan, ``metrics/``).

**Perceptual path length** (section 4.1; ``perceptual_path_length.py``): for
random latent pairs ``(a, b)`` and a random position ``t`` on the path between
them, take one step of ``epsilon = 1e-4`` and measure how far the image moves
in a perceptual feature space ``phi``, divided by ``epsilon^2``; the metric is
the mean of that over the pairs, not a sum along the path::

    d(a, b, t) = ||phi(g(p(t))) - phi(g(p(t + epsilon)))||^2 / epsilon^2,
    PPL = mean of d over the pairs whose d lies in [P_1, P_99],

with ``p`` the path from ``a`` to ``b`` (slerp in Z, lerp in W), ``P_1`` the
1st percentile rounded down to a sample and ``P_99`` the 99th rounded up
(numpy's ``lower``/``higher`` interpolation, :func:`trimmed_mean`).
``t ~ U(0, 1)`` ("full") or an end point ("end": their code takes ``t = 0``,
the paper says ``t`` in {0, 1}, the same to first order in ``epsilon``). The
paper's ``phi`` is LPIPS (VGG features), a download; offline the book uses the
factor reader's features, so values compare between Z and W of one model
here, never with the paper's numbers.

**Linear separability** (section 4.2; ``linear_separability.py``): an
attribute classifier labels each generated image and says how sure it is
(theirs: the larger of its two class probabilities). Per attribute, keep the
most confident half of the samples; on them, fit a linear SVM from the latent
to the label (scikit-learn's ``LinearSVC()`` with the defaults of their time:
squared hinge, C = 1, dual, tol 1e-4, 1000 iterations) and measure what the
label keeps uncertain given the SVM's prediction ``X`` on those same samples,
from the 2x2 joint table ``p(x, y)``, in bits::

    H(Y | X) = H(Y) - I(X; Y) = - sum_{x, y} p(x, y) log2(p(x, y) / p(x)),
    separability = 2 ** (sum over attributes of H(Y | X)),

1 when every attribute is a half-space of the latent space, ``2^k`` for ``k``
balanced attributes the latent says nothing about. An attribute whose kept
samples all carry one label counts ``H = 0`` (their code then assumes a
perfect SVM).
"""

from __future__ import annotations

import warnings
from typing import Callable

import numpy as np
import torch
from sklearn.exceptions import ConvergenceWarning
from sklearn.svm import LinearSVC
from torch import Tensor

from ..latent import lerp, slerp


def path_lengths(render: Callable[[Tensor], Tensor],
                 features: Callable[[Tensor], Tensor], a: Tensor, b: Tensor,
                 t: Tensor, epsilon: float = 1e-4, spherical: bool = False) -> Tensor:
    """Each pair's one-step ``||phi(g(p(t))) - phi(g(p(t + eps)))||^2 / eps^2``
    ``(n,)`` for latents ``a``, ``b`` ``(n, d)`` and positions ``t`` ``(n,)``
    on the path ``p`` (slerp if ``spherical``, else lerp); ``g`` is ``render``,
    ``phi`` is ``features``. PPL is the :func:`trimmed_mean` of these."""
    step = slerp if spherical else lerp
    here, there = step(a, b, t[:, None]), step(a, b, t[:, None] + epsilon)
    f0, f1 = features(render(here)), features(render(there))
    return (f0 - f1).pow(2).sum(1) / epsilon ** 2


def trimmed_mean(values: Tensor, cut: float = 0.01) -> float:
    """The mean of the ``values`` from their ``cut`` quantile (rounded down to a
    sample) to their ``1 - cut`` quantile (rounded up), both ends kept:
    StyleGAN's outlier rejection."""
    v = values.double().flatten()
    lo = torch.quantile(v, cut, interpolation="lower")
    hi = torch.quantile(v, 1 - cut, interpolation="higher")
    return float(v[(v >= lo) & (v <= hi)].mean())


def conditional_entropy(y: np.ndarray, x: np.ndarray) -> float:
    """``H(Y | X)`` in bits of two binary arrays of one length, from their
    joint 2x2 table."""
    y, x = np.asarray(y).astype(int), np.asarray(x).astype(int)
    joint = np.array([[np.mean((x == i) & (y == j)) for j in (0, 1)] for i in (0, 1)])
    px = np.broadcast_to(joint.sum(1, keepdims=True), joint.shape)
    nz = joint > 0
    return float(max(0.0, -(joint[nz] * np.log2(joint[nz] / px[nz])).sum()))


def most_confident(confidence: Tensor, share: float = 0.5) -> np.ndarray:
    """Indices of the ``share`` most confident samples, most confident first
    (ties in index order)."""
    c = confidence.detach().cpu().double().numpy()
    return np.argsort(-c, kind="stable")[:int(len(c) * share)]


def separability(latents: Tensor, labels: dict[str, Tensor],
                 confidence: dict[str, Tensor], keep: float = 0.5,
                 seed: int = 0) -> tuple[float, dict[str, float]]:
    """``2 ** sum H(Y|X)`` over the attributes of ``latents`` ``(n, d)``, and
    each attribute's ``H(Y|X)`` in bits.

    ``labels`` maps each attribute to binary labels ``(n,)``, ``confidence``
    to how sure the classifier is of each ``(n,)`` (any score that grows with
    certainty); each attribute keeps its ``keep`` most confident samples.
    ``seed`` fixes the SVM's coordinate order (theirs was unseeded)."""
    if set(labels) != set(confidence):
        raise ValueError(f"labels and confidence must name the same attributes, "
                         f"got {sorted(labels)} and {sorted(confidence)}")
    x = latents.detach().cpu().double().numpy()
    entropies = {}
    for name, label in labels.items():
        kept = most_confident(confidence[name], keep)
        y = label.detach().cpu().numpy().astype(int)[kept]
        if y.min() == y.max():
            entropies[name] = 0.0
            continue
        svm = LinearSVC(penalty="l2", loss="squared_hinge", dual=True, tol=1e-4,
                        C=1.0, max_iter=1000, random_state=seed)
        with warnings.catch_warnings():  # theirs also stopped at 1000 iterations
            warnings.simplefilter("ignore", ConvergenceWarning)
            svm.fit(x[kept], y)
        entropies[name] = conditional_entropy(y, svm.predict(x[kept]))
    return float(2.0 ** sum(entropies.values())), entropies
