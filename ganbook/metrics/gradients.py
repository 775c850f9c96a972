"""Diagnostics of a training step: how large the gradients it left behind are."""

from __future__ import annotations

import torch
from torch import nn


def grad_norm(module: nn.Module) -> float:
    """Euclidean norm of all of ``module``'s current parameter gradients (NaN if it has none)."""
    grads = [p.grad for p in module.parameters() if p.grad is not None]
    return float(torch.sqrt(sum((g**2).sum() for g in grads))) if grads else float("nan")
