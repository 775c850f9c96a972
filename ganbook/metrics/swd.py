"""ProGAN's sliced Wasserstein distance between Laplacian-pyramid patches (Karras et al., 2018, section 5).

For each level of the Laplacian pyramid (:mod:`ganbook.pyramid`, chapter 9) of
the real and of the generated images, take ``patches_per_image`` random 7x7
patches per image as descriptors (``3 * 49`` numbers), normalise each set's
descriptors per colour channel to mean 0 and standard deviation 1 (as ProGAN's
code does, each set by its own statistics), and compare the two sets with the
sliced Wasserstein distance: the mean, over random unit directions, of the 1-D
Wasserstein-1 distance between the two sets projected on each direction,

    SWD(A, B) = E_u [ W_1(<A, u>, <B, u>) ],   W_1 of equal-size samples = mean |sort(a) - sort(b)|.

Small at a level when the generated images' structure at that scale matches
the real images'. ProGAN reports it x 10^3 per level, finest level first.
"""

from __future__ import annotations

import torch
from torch import Tensor

from ..pyramid import laplacian_pyramid


def random_patches(images: Tensor, per_image: int, rng: torch.Generator, size: int = 7) -> Tensor:
    """``per_image`` random ``size x size`` patches of each image ``(n, C, H, W)`` -> ``(n * per_image, C * size^2)``."""
    n, c, h, w = images.shape
    if h < size or w < size:
        raise ValueError(f"patches of {size}x{size} need images at least that large, got {h}x{w}")
    rows = torch.randint(h - size + 1, (n, per_image), generator=rng)
    cols = torch.randint(w - size + 1, (n, per_image), generator=rng)
    offsets = torch.arange(size)
    r = (rows[..., None] + offsets)[..., :, None].expand(n, per_image, size, size)
    q = (cols[..., None] + offsets)[..., None, :].expand(n, per_image, size, size)
    index = torch.arange(n)[:, None, None, None].expand_as(r)
    patches = images.permute(0, 2, 3, 1)[index, r, q]  # (n, per_image, size, size, C)
    return patches.permute(0, 1, 4, 2, 3).reshape(n * per_image, c * size * size)


def normalise(descriptors: Tensor, channels: int) -> Tensor:
    """Each colour channel's descriptor entries to mean 0, std 1 over the whole set ``(m, C * k)``."""
    d = descriptors.reshape(len(descriptors), channels, -1)
    mean = d.mean((0, 2), keepdim=True)
    std = d.std((0, 2), keepdim=True).clamp_min(1e-8)
    return ((d - mean) / std).reshape(len(descriptors), -1)


def sliced_wasserstein(a: Tensor, b: Tensor, directions: int, rng: torch.Generator) -> float:
    """Mean 1-D Wasserstein-1 distance between ``a`` and ``b`` ``(m, d)`` projected on random unit directions."""
    if a.shape != b.shape:
        raise ValueError(f"sliced_wasserstein needs two sets of the same shape, got {tuple(a.shape)} and {tuple(b.shape)}")
    u = torch.randn(directions, a.shape[1], generator=rng, dtype=a.dtype)
    u = u / u.norm(dim=1, keepdim=True)
    pa, pb = (u @ a.T).sort(1).values, (u @ b.T).sort(1).values  # (directions, m): sorting along rows is fast
    return float((pa - pb).abs().mean())


def swd_per_level(real: Tensor, fake: Tensor, levels: int = 3, patches_per_image: int = 64, directions: int = 512,
                  repeats: int = 4, seed: int = 0) -> list[float]:
    """SWD x 10^3 at each pyramid level of ``real`` and ``fake`` ``(n, C, H, W)`` (same n), finest level first."""
    if real.shape != fake.shape:
        raise ValueError(f"real and fake must have the same shape, got {tuple(real.shape)} and {tuple(fake.shape)}")
    rng = torch.Generator().manual_seed(seed)
    c = real.shape[1]
    result = []
    for real_level, fake_level in zip(laplacian_pyramid(real.double(), levels), laplacian_pyramid(fake.double(), levels)):
        a = normalise(random_patches(real_level, patches_per_image, rng), c).float()
        b = normalise(random_patches(fake_level, patches_per_image, rng), c).float()
        result.append(1e3 * sum(sliced_wasserstein(a, b, directions, rng) for _ in range(repeats)) / repeats)
    return result
