"""``python -m ganbook bench {data,loop}``: what the book's machinery costs or saves, measured.

``bench data``: the tutorials' data path against ganbook's, on one GAN.

The classic MNIST GAN tutorials feed the model through a torchvision-style
``Dataset`` that turns each image into a PIL image and applies ``ToTensor`` and
``Normalize`` one sample at a time, batched by a ``DataLoader``. ganbook keeps the
whole set as one tensor in [-1, 1] and draws a batch by indexing. Both paths feed
the same fully connected GAN (the tutorials' sizes) for the same number of steps
in the book's one training loop; we time the whole steps and, separately, the
time spent fetching batches.

``bench loop``: the :class:`~ganbook.train.Trainer` running the standard game
against a bare loop written by hand (chapter 5's DCGAN, the same data, batch
and steps, the same random draws); the difference is what the loop's
bookkeeping costs.
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
from .experiments.base import adam_pair
from .games import StandardGame
from .losses import d_loss_bce, g_loss_nonsaturating
from .models import MLPDiscriminator, MLPGenerator
from .models.dcgan import DCGANDiscriminator, DCGANGenerator
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
    trainer = Trainer(StandardGame(G, D), timed, adam_pair(G, D, 2e-4, 2e-4), batch_size=batch_size, seed=seed)
    start = time.perf_counter()
    trainer.fit(steps, progress=False)
    return {"total": time.perf_counter() - start, "data": timed.seconds}


def bench_data(steps: int = 300, batch_size: int = 64) -> dict[str, dict[str, float]]:
    """Both paths, same GAN, same steps; returns seconds per path."""
    return {
        "per-sample DataLoader (tutorials)": time_path(_loader_source(batch_size, 0), steps, batch_size),
        "in-memory tensor (ganbook)": time_path(mnist5k("train").sample, steps, batch_size),
    }


def report_data(steps: int, batch_size: int) -> int:
    """Print :func:`bench_data`'s table (what ``python -m ganbook bench data`` shows)."""
    print(f"the tutorials' MLP GAN on mnist5k, {steps} steps of batch {batch_size}, one process")
    result = bench_data(steps, batch_size)
    print(f"{'data path':36}{'steps/s':>10}{'s fetching':>12}{'s total':>10}")
    for name, r in result.items():
        print(f"{name:36}{steps / r['total']:10.1f}{r['data']:12.2f}{r['total']:10.2f}")
    slow, fast = result.values()
    print(f"ganbook's data path is {slow['data'] / fast['data']:.0f}x faster at fetching batches; "
          f"whole training steps are {slow['total'] / fast['total']:.2f}x faster")
    return 0


def _dcgan(width: int, seed: int) -> tuple[nn.Module, nn.Module, dict[str, torch.optim.Optimizer]]:
    torch.manual_seed(seed)
    G, D = DCGANGenerator(100, width), DCGANDiscriminator(width)
    return G, D, adam_pair(G, D, 2e-4, 2e-4)


def bare_loop(steps: int, batch_size: int, width: int = 16, seed: int = 0) -> tuple[float, nn.Module]:
    """Chapter 5's DCGAN trained by a loop written out by hand; returns (seconds, G).

    One step is a function, as a careful hand-written loop has it, so each
    step's tensors and graphs are freed when it returns, and D is frozen during
    G's update, as the Trainer freezes it.
    """
    G, D, opt = _dcgan(width, seed)
    data, rng = mnist5k("train"), torch.Generator().manual_seed(seed)

    def step() -> None:
        real = data.sample(batch_size, rng)
        z = torch.randn(batch_size, 100, generator=rng)
        with torch.no_grad():
            fake = G(z)
        loss_d = d_loss_bce(D(real).reshape(-1), D(fake).reshape(-1))
        opt["d"].zero_grad(set_to_none=True)
        loss_d.backward()
        opt["d"].step()
        D.requires_grad_(False)  # D's weights collect nothing in G's update
        loss_g = g_loss_nonsaturating(D(G(torch.randn(batch_size, 100, generator=rng))).reshape(-1))
        opt["g"].zero_grad(set_to_none=True)
        loss_g.backward()
        opt["g"].step()
        D.requires_grad_(True)

    start = time.perf_counter()
    for _ in range(steps):
        step()
    return time.perf_counter() - start, G


def trainer_loop(steps: int, batch_size: int, width: int = 16, seed: int = 0) -> tuple[float, nn.Module]:
    """The same DCGAN, data and draws through :class:`~ganbook.train.Trainer`; returns (seconds, G)."""
    G, D, opt = _dcgan(width, seed)
    trainer = Trainer(StandardGame(G, D), mnist5k("train").sample, opt, batch_size=batch_size, seed=seed)
    start = time.perf_counter()
    trainer.fit(steps, progress=False)
    return time.perf_counter() - start, G


def report_loop(steps: int, batch_size: int, repeats: int = 4) -> int:
    """Time both loops ``repeats`` times, interleaved, and print the best of each and the overhead."""
    print(f"chapter 5's DCGAN (width 16) on mnist5k, {steps} steps of batch {batch_size}, "
          f"best of {repeats} interleaved timings, {torch.get_num_threads()} threads")
    times: dict[Callable, list[float]] = {bare_loop: [], trainer_loop: []}
    final: dict[Callable, nn.Module] = {}
    for i in range(repeats):  # alternate which goes first, so neither always runs on a warmer machine
        for loop in ((bare_loop, trainer_loop) if i % 2 == 0 else (trainer_loop, bare_loop)):
            seconds, final[loop] = loop(steps, batch_size)
            times[loop].append(seconds)
    same = all(torch.equal(a, b) for a, b in zip(final[bare_loop].parameters(), final[trainer_loop].parameters()))
    b, t = min(times[bare_loop]), min(times[trainer_loop])
    print(f"{'loop':28}{'steps/s':>10}{'s total':>10}")
    print(f"{'bare hand-written loop':28}{steps / b:10.2f}{b:10.2f}")
    print(f"{'ganbook Trainer':28}{steps / t:10.2f}{t:10.2f}")
    print(f"overhead of the Trainer: {100 * (t / b - 1):+.1f}% "
          f"(same weights at the end: {'yes' if same else 'no'})")
    return 0
