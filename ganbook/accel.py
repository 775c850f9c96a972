"""Speed on a GPU: mixed precision, TF32, channels-last; nothing changes on the CPU.

:class:`Precision` is what the trainer asks for each phase: a context that
runs the forward pass under autocast, and a backward/step that goes through a
gradient scaler when the precision is fp16. ``precision="auto"`` picks bf16 on a
GPU that supports it, else fp16, and fp32 on the CPU, so the ``smoke`` and
``cpu`` profiles (always on the CPU) stay bit-for-bit what they were.
"""

from __future__ import annotations

import contextlib
from typing import Iterator

import torch
from torch import nn

PRECISIONS = ("auto", "fp32", "bf16", "fp16")


def resolve_precision(precision: str, device: torch.device) -> str:
    """``auto`` -> bf16 (or fp16) on CUDA, fp32 elsewhere; other names are checked and kept."""
    if precision not in PRECISIONS:
        raise ValueError(f"unknown precision {precision!r}: use one of {', '.join(PRECISIONS)}")
    if precision != "auto":
        return precision
    if device.type != "cuda":
        return "fp32"
    return "bf16" if torch.cuda.is_bf16_supported(including_emulation=False) else "fp16"  # emulated bf16 is slow


class Precision:
    """Autocast and (for fp16) loss scaling for one trainer."""

    def __init__(self, precision: str, device: torch.device) -> None:
        self.name = resolve_precision(precision, device)
        self.device = device
        self.dtype = {"bf16": torch.bfloat16, "fp16": torch.float16}.get(self.name)
        self.scaler = torch.amp.GradScaler(device.type) if self.name == "fp16" else None

    @contextlib.contextmanager
    def autocast(self) -> Iterator[None]:
        if self.dtype is None:
            yield
        else:
            with torch.autocast(self.device.type, dtype=self.dtype):
                yield

    def backward(self, loss: torch.Tensor) -> None:
        (self.scaler.scale(loss) if self.scaler else loss).backward()

    def unscale(self, opt: torch.optim.Optimizer) -> None:
        """Bring gradients back to their true scale before they are averaged or clipped."""
        if self.scaler:
            self.scaler.unscale_(opt)

    def step(self, opt: torch.optim.Optimizer) -> None:
        if self.scaler:
            self.scaler.step(opt)
        else:
            opt.step()

    def update(self) -> None:
        """Once per training step, after every phase (the scaler's schedule)."""
        if self.scaler:
            self.scaler.update()


def tune_for_gpu(modules: list[nn.Module], device: torch.device) -> None:
    """On CUDA: TF32 matrix products and channels-last layout for convolutional networks."""
    if device.type != "cuda":
        return
    torch.backends.cuda.matmul.allow_tf32 = True
    torch.backends.cudnn.allow_tf32 = True
    torch.backends.cudnn.benchmark = True
    for m in modules:
        if any(isinstance(layer, (nn.Conv2d, nn.ConvTranspose2d)) for layer in m.modules()):
            m.to(memory_format=torch.channels_last)
