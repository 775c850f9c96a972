"""Chapter 2: the Dirac-GAN, the smallest GAN that does not converge (Mescheder et al., 2018).

The data are a single point at 0, the generator is a single point ``theta``,
and the discriminator is linear: ``D(x) = sigmoid(psi * x)``. The only
equilibrium is ``theta = psi = 0``. With the minimax losses of
:mod:`ganbook.losses` (G minimises V itself, as in the paper) the continuous
gradient flow circles the equilibrium forever; simultaneous gradient steps
spiral away from it, alternating steps keep circling, and a gradient penalty on
D (R1, which here is ``psi^2``) makes them converge.
"""

from __future__ import annotations

from collections.abc import Callable

import numpy as np
import torch

from ..losses import d_loss_bce, g_loss_saturating


def simulate(steps: int, lr: float, alternating: bool = False, r1_weight: float = 0.0,
             theta0: float = 1.0, psi0: float = 1.0,
             g_loss: Callable[[torch.Tensor], torch.Tensor] = g_loss_saturating) -> np.ndarray:
    """Plain gradient descent on the Dirac-GAN; returns the path ``(steps + 1, 2)`` of (theta, psi).

    ``alternating``: D steps first and G answers the *new* D (as the book's
    training loop does); otherwise both step from the same point (simultaneous).
    ``r1_weight`` adds ``r1_weight / 2 * |grad_x D|^2 = r1_weight / 2 * psi^2`` to D's loss;
    ``g_loss`` is G's loss as a function of the fake's logit (the saturating loss of the paper's game).
    """
    theta = torch.tensor(theta0, dtype=torch.float64, requires_grad=True)
    psi = torch.tensor(psi0, dtype=torch.float64, requires_grad=True)
    zero = torch.zeros(1, dtype=torch.float64)

    def d_loss() -> torch.Tensor:  # real sample x = 0, fake sample x = theta
        return d_loss_bce(psi * zero, (psi * theta).reshape(1)) + 0.5 * r1_weight * psi**2

    def g_objective() -> torch.Tensor:
        return g_loss((psi * theta).reshape(1))

    path = [(theta0, psi0)]
    for _ in range(steps):
        (g_psi,) = torch.autograd.grad(d_loss(), psi)
        if alternating:
            with torch.no_grad():
                psi -= lr * g_psi
        (g_theta,) = torch.autograd.grad(g_objective(), theta)
        with torch.no_grad():
            if not alternating:
                psi -= lr * g_psi
            theta -= lr * g_theta
        path.append((theta.item(), psi.item()))
    return np.asarray(path)


def distance_to_equilibrium(path: np.ndarray) -> np.ndarray:
    """Euclidean distance of each point of a path from the equilibrium (0, 0)."""
    return np.sqrt((np.asarray(path) ** 2).sum(axis=1))
