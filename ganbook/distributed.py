"""Data-parallel training under ``torchrun``: who am I, and averaging gradients.

``torchrun --nproc-per-node N -m ganbook train NAME`` starts N processes with
``RANK`` and ``WORLD_SIZE`` set. Each one builds the same networks from the
same seed, draws its own real and latent batches from a rank-aware random
stream (:func:`rank_seed`), and after every backward pass the gradients of the
parameters a phase updates are averaged over all processes
(:func:`average_gradients`), so every process takes the same optimiser step.

Why not wrap the networks in ``DistributedDataParallel``: a game calls its
networks in ways that wrapper does not see or support: several forward passes
per backward (D on real and on fake), ``torch.autograd.grad`` for gradient
penalties (DDP's documentation rules it out), and submodules called directly
(``D.heads``, ``D.features``). One all-reduce of the flattened gradients per
phase is what DDP's reducer does, without those restrictions.
"""

from __future__ import annotations

import os
from typing import Callable, TypeVar

import numpy as np
import torch
import torch.distributed as dist
from torch import nn

T = TypeVar("T")


def active() -> bool:
    """True inside a process group of more than one process."""
    return dist.is_available() and dist.is_initialized() and dist.get_world_size() > 1


def rank() -> int:
    return dist.get_rank() if active() else 0


def world_size() -> int:
    return dist.get_world_size() if active() else 1


def is_main() -> bool:
    """The process that shows progress and writes files (rank 0, or the only one)."""
    return rank() == 0


def init_from_env(device: torch.device | str | None = None) -> bool:
    """Join the process group ``torchrun`` describes, for a run on ``device`` (gloo for the CPU, NCCL for
    CUDA; unset: CUDA when there is one); False when not under torchrun."""
    if int(os.environ.get("WORLD_SIZE", "1")) <= 1:
        return False
    if not dist.is_initialized():
        cuda = torch.device(device).type == "cuda" if device is not None else torch.cuda.is_available()
        backend = "nccl" if cuda else "gloo"
        if backend == "nccl":
            torch.cuda.set_device(int(os.environ.get("LOCAL_RANK", "0")))
        dist.init_process_group(backend)
    return True


def rank_seed(seed: int, rank: int) -> int:
    """The seed of ``rank``'s random stream: ``seed`` itself for rank 0, an independent stream for the others."""
    if rank == 0:
        return seed
    return int(np.random.SeedSequence([seed, rank]).generate_state(1)[0])


def average_gradients(params: list[nn.Parameter]) -> None:
    """Replace each parameter's gradient by its mean over all processes (one all-reduce)."""
    grads = [p.grad for p in params if p.grad is not None]
    if not grads or not active():
        return
    flat = torch.cat([g.reshape(-1) for g in grads])
    dist.all_reduce(flat)
    flat /= dist.get_world_size()
    offset = 0
    for g in grads:
        g.copy_(flat[offset:offset + g.numel()].view_as(g))
        offset += g.numel()


def broadcast_parameters(modules: list[nn.Module]) -> None:
    """Copy rank 0's parameters and buffers to every process (they start equal anyway; this makes sure)."""
    if not active():
        return
    for m in modules:
        for t in list(m.parameters()) + list(m.buffers()):
            dist.broadcast(t.data, 0)


def gather(obj: object) -> list[object]:
    """Every process's ``obj``, in rank order (a one-element list outside a process group)."""
    if not active():
        return [obj]
    out: list[object] = [None] * dist.get_world_size()
    dist.all_gather_object(out, obj)
    return out


def barrier() -> None:
    if active():
        dist.barrier()


def on_main(write: Callable[[], T], otherwise: T) -> T:
    """``write()`` on the main process (a file only one process may write), ``otherwise`` on the
    others; every process then waits for it, so none reads the file before it exists."""
    result = write() if is_main() else otherwise
    barrier()
    return result
