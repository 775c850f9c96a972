"""``python -m ganbook bench data``: the tutorials' data path against ganbook's, on one GAN.

The classic MNIST GAN tutorials feed the model through a torchvision-style
``Dataset`` that turns each image into a PIL image and applies ``ToTensor`` and
``Normalize`` one sample at a time, batched by a ``DataLoader``. ganbook keeps the
whole set as one tensor in [-1, 1] and draws a batch by indexing. Both paths feed
the same fully connected GAN (the tutorials' sizes) for the same number of steps
in the book's one training loop; we time the whole steps and, separately, the
time spent fetching batches.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch
from PIL import Image
from torch import Tensor, nn
from torch.utils.data import DataLoader, Dataset
from torchvision import transforms

from .data import mnist5k
from .models import MLPDiscriminator, MLPGenerator
from .train import Trainer


class PerSampleDigits(Dataset):
    """The tutorials' way: uint8 images, converted and normalised one sample at a time."""

    def __init__(self, pixels: np.ndarray, labels: np.ndarray) -> None:
        self.pixels, self.labels = pixels, labels  # (N, 28, 28) uint8, (N,)
        self.transform = transforms.Compose([transforms.ToTensor(), transforms.Normalize((0.5,), (0.5,))])

    def __len__(self) -> int:
        return len(self.labels)

    def __getitem__(self, i: int) -> tuple[Tensor, int]:
        return self.transform(Image.fromarray(self.pixels[i])), int(self.labels[i])


@dataclass
class TimedSource:
    """Wraps a batch source so that the time spent fetching batches is measured."""

    fetch: Callable[[int, torch.Generator], Tensor]
    seconds: float = 0.0

    def __call__(self, n: int, rng: torch.Generator) -> Tensor:
        start = time.perf_counter()
        batch = self.fetch(n, rng)
        self.seconds += time.perf_counter() - start
        return batch


def tutorial_gan(seed: int = 0) -> tuple[nn.Module, nn.Module]:
    """G 100-256-512-1024-784 (ReLU, Tanh) and D 784-512-256-1 (LeakyReLU 0.2), as the tutorials write them."""
    torch.manual_seed(seed)
    return MLPGenerator(100, 784, (256, 512, 1024), out_activation=nn.Tanh), MLPDiscriminator(784, (512, 256))


def _loader_source(batch_size: int, seed: int) -> Callable[[int, torch.Generator], Tensor]:
    s = mnist5k("train")
    pixels = ((s.images.squeeze(1).numpy() + 1) * 127.5).round().astype(np.uint8)
    loader = DataLoader(PerSampleDigits(pixels, s.labels.numpy()), batch_size=batch_size, shuffle=True,
                        drop_last=True, generator=torch.Generator().manual_seed(seed))
    batches = iter(loader)

    def fetch(n: int, rng: torch.Generator) -> Tensor:
        nonlocal batches
        try:
            images, _ = next(batches)
        except StopIteration:  # a new epoch
            batches = iter(loader)
            images, _ = next(batches)
        return images

    return fetch


def time_path(source: Callable[[int, torch.Generator], Tensor], steps: int, batch_size: int = 64,
              seed: int = 0) -> dict[str, float]:
    """Train the tutorial GAN for ``steps`` on batches from ``source``; seconds in total and fetching."""
    G, D = tutorial_gan(seed)
    timed = TimedSource(source)
    trainer = Trainer(G, D, timed, torch.optim.Adam(G.parameters(), 2e-4, betas=(0.5, 0.999)),
                      torch.optim.Adam(D.parameters(), 2e-4, betas=(0.5, 0.999)), batch_size=batch_size, seed=seed)
    start = time.perf_counter()
    trainer.fit(steps, progress=False)
    return {"total": time.perf_counter() - start, "data": timed.seconds}


def bench_data(steps: int = 300, batch_size: int = 64) -> dict[str, dict[str, float]]:
    """Both paths, same GAN, same steps; returns seconds per path."""
    return {
        "per-sample DataLoader (tutorials)": time_path(_loader_source(batch_size, 0), steps, batch_size),
        "in-memory tensor (ganbook)": time_path(mnist5k("train").sample, steps, batch_size),
    }
