"""ProGAN's sliced Wasserstein distance between Laplacian-pyramid patches.

Karras et al. (2018), section 5, computed as ``metrics/sliced_wasserstein.py``
of ProGAN's code (github.com/tkarras/progressive_growing_of_gans) computes it:

1. **Pyramid** (their ``generate_laplacian_pyramid``; :func:`binomial_pyramid`).
   The filter is the 5x5 binomial ``g = b b^T / 256``, ``b = (1, 4, 6, 4, 1)``,
   with mirrored borders (reflect-101: ``... c b | a b c d | c b a ...``), as
   OpenCV's ``pyrDown``/``pyrUp``; this is not chapter 9's pyramid
   (:mod:`ganbook.pyramid`: 2x2 averages and bilinear upsampling)::

       down(I) = (g * I)[::2, ::2]      blur, keep every other pixel
       up(I)   = (4 g) * stuff(I)       I's pixels at even places, zeros between
       I_0 = I,  I_{k+1} = down(I_k),  h_k = I_k - up(I_{k+1}),
       the last level is I_{K-1} itself.

   One level per resolution from the images' own down to 16 pixels: 32 and 16
   for 32-pixel scenes (:func:`pyramid_levels`).
2. **Descriptors** (``get_descriptors_for_minibatch``; :func:`random_patches`):
   at each level, ``patches_per_image`` (theirs: 128) 7x7 neighbourhoods of
   each image at uniformly random places, each ``3 * 49`` numbers,
   channel-major.
3. **Normalisation** (``finalize_descriptors``; :func:`normalise`): each set
   by its own statistics, real and generated apart: per colour channel c, over
   all the set's neighbourhoods i and their 49 pixels p,
   ``d[i, c, p] <- (d[i, c, p] - mean_c) / std_c`` (population std).
4. **Distance** (``sliced_wasserstein``; :func:`sliced_wasserstein`):
   ``repeats`` (4) times, draw ``directions`` (128) directions ``u ~ N(0, I)``
   scaled to unit length; project both sets of ``m`` descriptors on each and
   take the 1-D Wasserstein-1 distance of equal-size samples, the mean gap
   between sorted projections::

       SWD(A, B) = 1/R sum_r 1/(D m) sum_{u in draw r} sum_i |sort(A u)_i - sort(B u)_i|

   reported x 10^3 per level, finest first (their ``SWDx1e3_32``,
   ``SWDx1e3_16``); ProGAN's summary is the mean over levels.

Small at a level when the generated images' structure at that scale matches
the real images'. The random draws come from one ``torch.Generator`` in this
order: the real set's places level by level (columns, then rows, as they draw
x then y), the generated set's, then each level's ``repeats`` direction
matrices ``(147, directions)``. Where this differs from their code: torch's
random stream rather than numpy's; the pyramid and the normalisation run in
float64 (theirs float32; the projections are float32 in both); images come as
floats in [-1, 1], not rounded to 8 bits (the normalisation removes any scale
and offset); a channel with no variation is divided by 1e-8, not by 0.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

BINOMIAL = (1.0, 4.0, 6.0, 4.0, 1.0)
"""One row of the 5x5 filter; the filter is its outer product with itself / 256."""


def binomial_blur(images: Tensor, gain: float = 1.0) -> Tensor:
    """``gain`` times the 5x5 binomial filter on each channel of ``(n, C, H, W)``,
    mirrored borders."""
    b = torch.tensor(BINOMIAL, dtype=images.dtype, device=images.device)
    kernel = (b[:, None] * b[None, :]) * (gain / 256.0)
    c = images.shape[1]
    # torch's "reflect" is reflect-101: the edge pixel is not repeated
    padded = F.pad(images, (2, 2, 2, 2), mode="reflect")
    return F.conv2d(padded, kernel.expand(c, 1, 5, 5), groups=c)


def pyr_down(images: Tensor) -> Tensor:
    """``(n, C, H, W) -> (n, C, H/2, W/2)``: blur, keep the even rows and
    columns (OpenCV's ``pyrDown``)."""
    return binomial_blur(images)[..., ::2, ::2]


def pyr_up(images: Tensor) -> Tensor:
    """``(n, C, H, W) -> (n, C, 2H, 2W)``: the pixels at even places, zeros
    between, blurred with 4 g (OpenCV's ``pyrUp``; as in their code, the
    borders mirror the zero-stuffed image)."""
    n, c, h, w = images.shape
    stuffed = images.new_zeros(n, c, 2 * h, 2 * w)
    stuffed[..., ::2, ::2] = images
    return binomial_blur(stuffed, gain=4.0)


def pyramid_levels(size: int, smallest: int = 16) -> int:
    """How many levels ProGAN keeps for ``size``-pixel images: one per
    resolution ``size, size/2, ...`` of at least ``smallest``."""
    levels = 0
    while size >= smallest:
        levels, size = levels + 1, size // 2
    return levels


def binomial_pyramid(images: Tensor, levels: int) -> list[Tensor]:
    """``[h_0 (finest band), ..., h_{levels-2}, I_{levels-1} (coarse image)]``
    of ``(n, C, H, W)`` with :func:`pyr_down` and :func:`pyr_up`."""
    if images.dim() != 4:
        raise ValueError(f"expected images (n, C, H, W), got {tuple(images.shape)}")
    if levels < 1:
        raise ValueError(f"a pyramid needs at least one level, got {levels}")
    size = 2 ** (levels - 1)
    if images.shape[-1] % size or images.shape[-2] % size:
        raise ValueError(f"{levels} levels need H and W divisible by {size}, "
                         f"got {tuple(images.shape[-2:])}")
    bands, current = [], images
    for _ in range(levels - 1):
        coarse = pyr_down(current)
        bands.append(current - pyr_up(coarse))
        current = coarse
    return bands + [current]


def random_patches(images: Tensor, per_image: int, rng: torch.Generator,
                   size: int = 7) -> Tensor:
    """``per_image`` random ``size x size`` patches of each image ``(n, C, H, W)``
    -> ``(n * per_image, C * size^2)``, image by image; top-left corners uniform
    over the ``(H - size + 1) x (W - size + 1)`` places that fit."""
    n, c, h, w = images.shape
    if h < size or w < size:
        raise ValueError(f"patches of {size}x{size} need images at least that large, "
                         f"got {h}x{w}")
    cols = torch.randint(w - size + 1, (n, per_image), generator=rng)
    rows = torch.randint(h - size + 1, (n, per_image), generator=rng)
    offsets = torch.arange(size)
    r = (rows[..., None] + offsets)[..., :, None].expand(n, per_image, size, size)
    q = (cols[..., None] + offsets)[..., None, :].expand(n, per_image, size, size)
    index = torch.arange(n)[:, None, None, None].expand_as(r)
    patches = images.permute(0, 2, 3, 1)[index, r, q]  # (n, per_image, size, size, C)
    return patches.permute(0, 1, 4, 2, 3).reshape(n * per_image, c * size * size)


def normalise(descriptors: Tensor, channels: int) -> Tensor:
    """Each colour channel's entries of ``(m, C * k)`` descriptors to mean 0 and
    population std 1 over the whole set."""
    d = descriptors.reshape(len(descriptors), channels, -1)
    mean = d.mean((0, 2), keepdim=True)
    std = d.std((0, 2), correction=0, keepdim=True).clamp_min(1e-8)
    return ((d - mean) / std).reshape(len(descriptors), -1)


def sliced_wasserstein(a: Tensor, b: Tensor, directions: int = 128, repeats: int = 4,
                       rng: torch.Generator | None = None) -> float:
    """The mean, over ``repeats`` draws of ``directions`` random unit directions,
    of the 1-D Wasserstein-1 distance between ``a`` and ``b`` ``(m, d)``
    projected on each (their ``dir_repeats`` and ``dirs_per_repeat``)."""
    if a.shape != b.shape or a.dim() != 2:
        raise ValueError(f"sliced_wasserstein needs two sets (m, d) of one shape, "
                         f"got {tuple(a.shape)} and {tuple(b.shape)}")
    results = []
    for _ in range(repeats):
        u = torch.randn(a.shape[1], directions, generator=rng, dtype=torch.float64)
        u = (u / u.norm(dim=0, keepdim=True)).to(a.dtype)
        # (directions, m): sorting along rows is fast
        pa, pb = (u.T @ a.T).sort(1).values, (u.T @ b.T).sort(1).values
        results.append(float((pa - pb).abs().mean()))
    return sum(results) / repeats


def swd_per_level(real: Tensor, fake: Tensor, levels: int | None = None,
                  patches_per_image: int = 128, directions: int = 128, repeats: int = 4,
                  seed: int = 0) -> list[float]:
    """SWD x 10^3 at each level of the binomial pyramid of ``real`` and ``fake``
    ``(n, C, H, W)`` (one shape), finest level first; ``levels`` defaults to
    ProGAN's (:func:`pyramid_levels`)."""
    if real.shape != fake.shape:
        raise ValueError(f"real and fake must have the same shape, "
                         f"got {tuple(real.shape)} and {tuple(fake.shape)}")
    levels = pyramid_levels(min(real.shape[-2:])) if levels is None else levels
    rng = torch.Generator().manual_seed(seed)
    c = real.shape[1]
    sets = [[normalise(random_patches(level, patches_per_image, rng), c).float()
             for level in binomial_pyramid(images.double(), levels)]
            for images in (real, fake)]
    return [1e3 * sliced_wasserstein(a, b, directions, repeats, rng)
            for a, b in zip(*sets)]
