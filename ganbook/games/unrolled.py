r"""Unrolled GAN (Metz et al., 2017): G plays against the discriminator D will be ``k`` updates from now.

The standard G step follows the gradient of D as it is. A collapsed G can then
jump to whichever mode D currently likes, and D chases it round the modes. The
unrolled G instead takes the gradient of its loss against :math:`D_{\theta_k}`,

.. math:: \theta_0 = \theta_D, \qquad \theta_{i+1} = \theta_i - \eta\,\mathrm{Adam}\big(\nabla_\theta L_D(\theta_i, G)\big),

computed with ``create_graph=True`` so the gradient flows back through all
``k`` updates into G: G sees how D would react to what it is about to do.
The updates are D's own Adam steps (its optimiser's moments, learning rate and
betas), run functionally on a copy of D's parameters with
``torch.func.functional_call``; D itself is still updated once per step, as
in the standard game.
"""

from __future__ import annotations

import torch
from torch import Tensor, nn
from torch.func import functional_call

from ..losses import as_logits
from ..train import Trainer
from .standard import Objective, StandardGame

Params = dict[str, Tensor]


class UnrolledGame(StandardGame):
    """The standard game whose G phase looks ``unroll`` D updates ahead (``unroll=0``: the standard game)."""

    def __init__(self, G: nn.Module, D: nn.Module, objective: Objective = Objective(), unroll: int = 5) -> None:
        if unroll < 0:
            raise ValueError(f"unroll must be 0 or more D steps, got {unroll}")
        super().__init__(G, D, objective)
        self.unroll = unroll

    def d_logits(self, params: Params, x: Tensor) -> Tensor:
        """D's logits on ``x`` with ``params`` in place of its own weights."""
        return as_logits(functional_call(self.D, params, (x,)))

    def unrolled(self, t: Trainer) -> Params:
        """D's parameters after ``unroll`` differentiable Adam steps on fresh batches, from its optimiser's state."""
        opt = t.optimizers["d"]
        group = opt.param_groups[0]
        (beta1, beta2), lr, eps = group["betas"], group["lr"], group["eps"]
        names = [name for name, _ in self.D.named_parameters()]
        # leaves of their own: the trainer freezes D's own parameters while G's phase runs
        params = {name: p.detach().requires_grad_() for name, p in self.D.named_parameters()}
        moments = {}
        for (name, p), live in zip(params.items(), self.D.parameters()):
            state = opt.state.get(live, {})
            moments[name] = (state.get("exp_avg", torch.zeros_like(p)), state.get("exp_avg_sq", torch.zeros_like(p)),
                             float(state.get("step", 0)))
        for _ in range(self.unroll):
            real, fake = t.real().x, self.fake(t.latent(), None)  # fake keeps its graph into G
            loss = self.objective.d_loss(self.d_logits(params, real), self.d_logits(params, fake))
            grads = torch.autograd.grad(loss, [params[n] for n in names], create_graph=True)
            new_params, new_moments = {}, {}
            for name, g in zip(names, grads):
                m, v, step = moments[name]
                m, v, step = beta1 * m + (1 - beta1) * g, beta2 * v + (1 - beta2) * g * g, step + 1
                m_hat, v_hat = m / (1 - beta1**step), v / (1 - beta2**step)
                # v is floored at 1e-24 (sqrt 1e-12, nothing beside eps): sqrt's slope at 0 is infinite
                new_params[name] = params[name] - lr * m_hat / (v_hat.clamp_min(1e-24).sqrt() + eps)
                new_moments[name] = (m, v, step)
            params, moments = new_params, new_moments
        return params

    def g_losses(self, t: Trainer) -> dict[str, Tensor]:
        """G's loss against D after ``unroll`` updates (the gradient flows through them)."""
        if self.unroll == 0:
            return super().g_losses(t)
        params = self.unrolled(t)
        fake = self.fake(t.latent(), None)
        return {"adv": self.objective.g_loss(self.d_logits(params, fake))}
