"""Spectral normalisation (Miyato et al., 2018) through PyTorch's own parametrisation, and its measurement.

:func:`spectrally_normalise` registers
:func:`torch.nn.utils.parametrizations.spectral_norm` on every linear and
convolutional layer of a network: each forward pass in training mode runs one
power iteration and divides the weight by its estimated largest singular value.
:func:`singular_values` measures, exactly by SVD, each layer's largest singular
value before (the raw weight) and after (the weight the layer uses);
:func:`lipschitz_bound` multiplies them, a bound on the slope of a network of
such layers and 1-Lipschitz activations (ReLU, LeakyReLU with slope <= 1).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn.utils import parametrize
from torch.nn.utils.parametrizations import spectral_norm

LAYERS = (nn.Linear, nn.Conv2d, nn.ConvTranspose2d)


def layers(module: nn.Module) -> list[tuple[str, nn.Module]]:
    """The ``(name, layer)`` pairs of every linear or convolutional layer in ``module``, in order."""
    return [(name, m) for name, m in module.named_modules() if isinstance(m, LAYERS)]


def spectrally_normalise(module: nn.Module, n_power_iterations: int = 1) -> nn.Module:
    """Put PyTorch's spectral norm on every linear and convolutional layer of ``module`` (in place); return it."""
    found = layers(module)
    if not found:
        raise ValueError(f"{type(module).__name__} has no linear or convolutional layer to normalise")
    for _, layer in found:
        if not parametrize.is_parametrized(layer, "weight"):
            spectral_norm(layer, n_power_iterations=n_power_iterations)
    return module


def _sigma(weight: torch.Tensor) -> float:
    """The largest singular value of ``weight`` as a matrix ``(out, in * kernel)``, by SVD.

    This is the quantity spectral norm divides by; for a convolution it is not the
    operator norm of the convolution itself (that needs the layer's input size).
    """
    return float(torch.linalg.matrix_norm(weight.detach().reshape(weight.shape[0], -1).double(), ord=2))


def singular_values(module: nn.Module) -> list[dict[str, float | str]]:
    """Per layer: its name, the raw weight's largest singular value and the used weight's.

    Without spectral norm both are the same number. With it, "after" is that of
    ``weight / sigma_estimate``, which is 1 once the power iteration has converged.
    """
    rows = []
    with torch.no_grad():
        for name, layer in layers(module):
            if parametrize.is_parametrized(layer, "weight"):
                raw = layer.parametrizations.weight.original
                was_training = layer.training
                layer.eval()  # read the weight without running another power iteration
                used = layer.weight
                layer.train(was_training)
            else:
                raw = used = layer.weight
            rows.append({"layer": name, "before": _sigma(raw), "after": _sigma(used)})
    return rows


def lipschitz_bound(module: nn.Module) -> float:
    """The product of every layer's used largest singular value (see the module docstring for when it bounds)."""
    bound = 1.0
    for row in singular_values(module):
        bound *= float(row["after"])
    return bound
