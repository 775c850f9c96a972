"""Chapter 19's measurements of a super-resolved photograph against the real one.

PSNR and SSIM are computed the way the super-resolution literature computes them
(SRGAN's paper: "on the y-channel of center-cropped, removal of a 4-pixel wide
strip from each border"; its authors released no evaluation code, so we follow
the convention of the public SR code bases such as BasicSR's ``calculate_psnr``):

1. both images are rounded to 8 bits, as a saved photograph is;
2. each is converted to luminance with ITU-R BT.601's studio-range formula,
   ``Y = 16 + 65.481 R + 128.553 G + 24.966 B`` for RGB in ``[0, 1]``
   (MATLAB's and scikit-image's ``rgb2ycbcr``), so ``Y`` lies in ``[16, 235]``;
3. ``border`` pixels (the scale factor) are cut from every edge;
4. PSNR is ``10 log10(255^2 / MSE)`` and SSIM is Wang et al.'s (2004): an 11x11
   Gaussian window of sigma 1.5, population statistics, ``K1 = 0.01``, ``K2 = 0.03``,
   data range 255 (scikit-image's ``structural_similarity`` with those settings).

SRGAN's SSIM came from the daala package, whose window differs: compare orderings,
not values. :func:`high_frequency_share` is what PSNR misses: how much of a
photograph's power lies above the low-resolution input's Nyquist frequency, the
detail a 4x method has to invent.
"""

from __future__ import annotations

import numpy as np
from skimage.color import rgb2ycbcr
from skimage.metrics import peak_signal_noise_ratio, structural_similarity
from torch import Tensor

from ..images import levels


def luminance(image: Tensor, border: int = 0) -> np.ndarray:
    """One RGB image ``(3, H, W)`` in ``[-1, 1]`` as 8-bit-rounded BT.601 luminance ``(H - 2b, W - 2b)`` in
    ``[16, 235]``, ``border`` pixels cut from each edge."""
    if image.ndim != 3 or image.shape[0] != 3:
        raise ValueError(f"luminance takes one RGB image (3, H, W), got shape {tuple(image.shape)}")
    rgb = levels(image.detach().cpu().double()).permute(1, 2, 0).numpy() / 255.0
    y = rgb2ycbcr(rgb)[:, :, 0]
    return y[border:y.shape[0] - border, border:y.shape[1] - border] if border else y


def psnr(made: Tensor, real: Tensor, border: int = 4) -> float:
    """PSNR in dB between two RGB images ``(3, H, W)``, on luminance with ``border`` cut (see the module)."""
    return float(peak_signal_noise_ratio(luminance(real, border), luminance(made, border), data_range=255))


def ssim(made: Tensor, real: Tensor, border: int = 4) -> float:
    """SSIM between two RGB images ``(3, H, W)``, on luminance with ``border`` cut: Wang et al.'s settings."""
    return float(structural_similarity(luminance(real, border), luminance(made, border), data_range=255,
                                       gaussian_weights=True, sigma=1.5, use_sample_covariance=False))


def power_spectrum(y: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """The power spectrum of a luminance image after removing its mean and applying a Hann window (so the
    image's edges add no false detail), and each frequency's radius in cycles per pixel (0 to about 0.71)."""
    h, w = y.shape
    window = np.outer(np.hanning(h), np.hanning(w))
    power = np.abs(np.fft.fft2((y - y.mean()) * window)) ** 2
    fy, fx = np.meshgrid(np.fft.fftfreq(h), np.fft.fftfreq(w), indexing="ij")
    return power, np.sqrt(fx ** 2 + fy ** 2)


def high_frequency_share(image: Tensor, scale: int = 4, border: int = 4) -> float:
    """The share of an RGB image's luminance power (:func:`power_spectrum`) at radial frequencies above
    ``1 / (2 scale)`` cycles per pixel: the low-resolution input's Nyquist frequency, above which a
    ``scale``-times up-sampling has nothing to go on and must invent."""
    power, radius = power_spectrum(luminance(image, border))
    return float(power[radius > 1 / (2 * scale)].sum() / power.sum())


def radial_profile(image: Tensor, bins: int = 40, border: int = 4) -> tuple[np.ndarray, np.ndarray]:
    """The luminance power averaged over rings of radial frequency: ``(centres in cycles per pixel, mean
    power)``, ``bins`` rings up to 0.5. For a figure of which frequencies a method restores."""
    power, radius = power_spectrum(luminance(image, border))
    edges = np.linspace(0, 0.5, bins + 1)
    which = np.digitize(radius.ravel(), edges) - 1
    keep = (which >= 0) & (which < bins)
    total = np.bincount(which[keep], power.ravel()[keep], bins)
    count = np.maximum(np.bincount(which[keep], minlength=bins), 1)
    return (edges[:-1] + edges[1:]) / 2, total / count


def scores(made: Tensor, real: Tensor, scale: int = 4) -> dict[str, float]:
    """PSNR, SSIM, and the high-frequency share of ``made`` as a ratio to ``real``'s (1 when it has as much
    fine detail as the photograph; bicubic's is far below 1), for one RGB image pair."""
    return {"psnr": psnr(made, real, scale), "ssim": ssim(made, real, scale),
            "detail": high_frequency_share(made, scale, scale) / high_frequency_share(real, scale, scale)}


def per_photo(images: dict[str, dict[str, Tensor]], real: dict[str, Tensor],
              scale: int = 4) -> dict[str, dict[str, dict[str, float]]]:
    """:func:`scores` per method and photograph: ``images[method][photo]`` ``(1, 3, H, W)`` against
    ``real[photo]`` (the same shape)."""
    return {method: {name: scores(made[name][0], real[name][0], scale) for name in real}
            for method, made in images.items()}


def table(images: dict[str, dict[str, Tensor]], real: dict[str, Tensor], scale: int = 4) -> dict[str, dict[str, float]]:
    """Mean :func:`scores` over the photographs, per method (see :func:`per_photo`)."""
    return average(per_photo(images, real, scale))


def average(per: dict[str, dict[str, dict[str, float]]]) -> dict[str, dict[str, float]]:
    """:func:`per_photo`'s scores averaged over the photographs, per method."""
    return {method: {k: float(np.mean([row[k] for row in rows.values()])) for k in ("psnr", "ssim", "detail")}
            for method, rows in per.items()}
