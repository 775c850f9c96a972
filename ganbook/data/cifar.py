"""CIFAR-10's animals, for the tutorials' AnimalGAN (chapter 24): needs a network the first time.

torchvision downloads CIFAR-10 (170 MB) into ``root`` once; offline the call
fails with one line that names the offline stand-in, the shape world. The
six animal classes (bird, cat, deer, dog, frog, horse: 30,000 training
images, 6,000 test) are kept, relabelled 0-5 in that order, as one tensor
``(N, 3, 32, 32)`` in [-1, 1] like every other image set of the book.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import torch

from .digits import ImageSet, fetch

CLASSES = ("airplane", "automobile", "bird", "cat", "deer", "dog", "frog", "horse", "ship", "truck")
ANIMALS = ("bird", "cat", "deer", "dog", "frog", "horse")
OFFLINE = "offline, train on the shape world instead (python -m ganbook train dcgan-shapes)"


def animals_only(pixels: np.ndarray, labels: np.ndarray, name: str,
                 device: torch.device | str = "cpu") -> ImageSet:
    """Keep CIFAR-10's animal images (``pixels`` ``(N, 32, 32, 3)`` uint8, ``labels`` 0-9), labelled 0-5 in
    :data:`ANIMALS` order, as ``(n, 3, 32, 32)`` floats in [-1, 1]."""
    order = np.array([CLASSES.index(a) for a in ANIMALS])
    keep = np.isin(labels, order)
    x = torch.as_tensor(pixels[keep]).permute(0, 3, 1, 2).float() / 127.5 - 1.0
    relabel = np.full(len(CLASSES), -1)
    relabel[order] = np.arange(len(ANIMALS))
    y = torch.as_tensor(relabel[labels[keep]], dtype=torch.int64)
    return ImageSet(x.contiguous().to(device), y.to(device), name)


def cifar10_animals(split: str = "train", root: str | Path = "~/.cache/ganbook", download: bool = True,
                    device: torch.device | str = "cpu") -> ImageSet:
    """CIFAR-10's six animal classes through torchvision (downloaded into ``root`` the first time)."""
    from torchvision import datasets

    parts = fetch(datasets.CIFAR10, "cifar10", split, root, download, OFFLINE)
    pixels = np.concatenate([p.data for p in parts])
    labels = np.concatenate([np.asarray(p.targets) for p in parts])
    return animals_only(pixels, labels, f"cifar10-animals ({split})", device)
