"""Real photographs that ship inside installed packages, for chapter 19's super-resolution.

scikit-image bundles a handful of photographs in its wheel (``skimage.data``)
and scikit-learn two more (``load_sample_images``); none needs a network. They
are split by photograph, never by patch, so the held-out photographs' content
is never seen in training:

- :data:`TEST`: three colour photographs the chapter measures on (a cat, a cup
  of coffee, a rocket on its pad);
- :data:`TRAIN`: the other colour photographs and six grey ones (their one channel
  repeated three times), which add edges and texture.

Images are float tensors ``(3, H, W)`` in ``[-1, 1]``, as everywhere in the book,
cropped so that height and width are multiples of the scale factor.
:class:`PatchSource` cuts random high-resolution patches from the training
photographs with the trainer's random stream and makes their low-resolution
partners by bicubic down-sampling with anti-aliasing, as the SRGAN paper did
with MATLAB's ``imresize``.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache

import numpy as np
import torch
from torch import Tensor
from torch.nn import functional as F

from ..batch import Batch
from ..errors import DataError

TEST = ("chelsea", "coffee", "rocket")
"""Held-out colour photographs (``skimage.data``)."""
TRAIN = ("astronaut", "motorcycle", "hubble_deep_field", "immunohistochemistry", "retina",
         "china", "flower", "camera", "brick", "grass", "gravel", "coins", "moon")
"""Training photographs: the rest of the colour ones (``china`` and ``flower`` from scikit-learn, the others
from scikit-image; ``motorcycle`` is the left view of its stereo pair, the right one is left out) and six grey ones."""
SCALE = 4


def _read(name: str) -> np.ndarray:
    """One photograph as a ``(H, W, 3)`` uint8 array, from the package that ships it."""
    if name in ("china", "flower"):
        from sklearn.datasets import load_sample_image

        return load_sample_image(f"{name}.jpg")
    import skimage.data

    if name == "motorcycle":
        return skimage.data.stereo_motorcycle()[0]
    if not hasattr(skimage.data, name):
        raise DataError(f"unknown photograph {name!r}: choose one of {', '.join(TRAIN + TEST)}")
    image = getattr(skimage.data, name)()
    if image.ndim == 2:
        image = np.repeat(image[:, :, None], 3, axis=2)
    return image[:, :, :3]


@lru_cache(maxsize=32)
def photo(name: str, scale: int = SCALE) -> Tensor:
    """Photograph ``name`` as ``(3, H, W)`` in ``[-1, 1]``, H and W cut down to multiples of ``scale``."""
    image = torch.from_numpy(np.array(_read(name), copy=True)).permute(2, 0, 1).float() / 127.5 - 1
    h, w = image.shape[1] - image.shape[1] % scale, image.shape[2] - image.shape[2] % scale
    return image[:, :h, :w].contiguous()


def downscale(images: Tensor, scale: int = SCALE) -> Tensor:
    """Bicubic down-sampling by ``scale`` with anti-aliasing (the low-resolution input), ``(N, 3, H, W)`` to
    ``(N, 3, H/scale, W/scale)``, clamped to ``[-1, 1]``."""
    h, w = images.shape[-2:]
    if h % scale or w % scale:
        raise ValueError(f"image size {h}x{w} is not a multiple of the scale {scale}: crop it first")
    small = F.interpolate(images, size=(h // scale, w // scale), mode="bicubic", antialias=True,
                          align_corners=False)
    return small.clamp(-1, 1)


def bicubic(small: Tensor, scale: int = SCALE) -> Tensor:
    """Bicubic up-sampling by ``scale``: the baseline every method is compared with, clamped to ``[-1, 1]``."""
    return F.interpolate(small, scale_factor=scale, mode="bicubic", align_corners=False).clamp(-1, 1)


def held_out(names: tuple[str, ...] = TEST, scale: int = SCALE) -> dict[str, tuple[Tensor, Tensor]]:
    """Each held-out photograph's ``(low resolution (1, 3, h, w), high resolution (1, 3, H, W))`` pair."""
    out = {}
    for name in names:
        high = photo(name, scale)[None]
        out[name] = (downscale(high, scale), high)
    return out


@dataclass(frozen=True)
class PatchSource:
    """Random ``size`` x ``size`` patches of the :data:`TRAIN` photographs (a photograph chosen uniformly, then
    a place, and a horizontal flip half the time) with their down-sampled partners: ``Batch(x=high, low=low)``.
    Drawn from the trainer's random stream, so a run is reproducible and no patch set sits in memory."""

    size: int = 96
    scale: int = SCALE
    names: tuple[str, ...] = TRAIN

    def __post_init__(self) -> None:
        if self.size % self.scale:
            raise DataError(f"patch size {self.size} must be a multiple of the scale {self.scale}")
        small = [n for n in self.names if min(photo(n, self.scale).shape[1:]) < self.size]
        if small:
            raise DataError(f"photographs {', '.join(small)} are smaller than a {self.size}-pixel patch: "
                            "use a smaller patch size")

    def __call__(self, n: int, rng: torch.Generator) -> Batch:
        which = torch.randint(len(self.names), (n,), generator=rng)
        corner = torch.rand(n, 2, generator=rng)
        flip = torch.rand(n, generator=rng) < 0.5
        patches = []
        for i in range(n):
            image = photo(self.names[int(which[i])], self.scale)
            top = int(corner[i, 0] * (image.shape[1] - self.size + 1))
            left = int(corner[i, 1] * (image.shape[2] - self.size + 1))
            patch = image[:, top:top + self.size, left:left + self.size]
            patches.append(patch.flip(-1) if flip[i] else patch)
        high = torch.stack(patches)
        return Batch(high, low=downscale(high, self.scale))
