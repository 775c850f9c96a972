"""Which parameters belong to which player, keeping one player's out of the other's update, and using
networks for inference without disturbing their training state.

A game's phases each step one optimiser. While one runs, the parameters that
only other optimisers step are frozen (``requires_grad`` off): the gradient still
flows through the discriminator to the generator's fakes, but D's weights
collect nothing during G's phase, which saves their weight gradients (and G's
during D's, where a game keeps G's graph).
"""

from __future__ import annotations

import contextlib
from typing import Iterator

import torch
from torch import nn


def outside(optimizers: dict[str, torch.optim.Optimizer], key: str) -> list[nn.Parameter]:
    """The parameters that other optimisers step and ``optimizers[key]`` does not."""
    own = {id(p) for g in optimizers[key].param_groups for p in g["params"]}
    seen, out = set(own), []
    for k, opt in optimizers.items():
        for p in (p for g in opt.param_groups for p in g["params"]):
            if id(p) not in seen:
                seen.add(id(p))
                out.append(p)
    return out


@contextlib.contextmanager
def frozen(params: list[nn.Parameter]) -> Iterator[None]:
    """While a phase runs, the other players' parameters collect no gradients (the gradient still flows
    through them to this phase's inputs); each gets back the flag it had."""
    was = [p.requires_grad for p in params]
    for p in params:
        p.requires_grad_(False)
    try:
        yield
    finally:
        for p, flag in zip(params, was):
            p.requires_grad_(flag)


@contextlib.contextmanager
def inference(*nets: nn.Module) -> Iterator[None]:
    """Eval mode (batch norm on its running statistics, no dropout) and no gradients for ``nets`` while the
    block runs; each gets back the mode it had, so a network can be read in the middle of training."""
    modes = [net.training for net in nets]
    for net in nets:
        net.eval()
    try:
        with torch.no_grad():
            yield
    finally:
        for net, mode in zip(nets, modes):
            net.train(mode)
