"""Chapter 19: SRGAN, 4x super-resolution of real photographs, measured by PSNR, SSIM and what they miss.

Patches of the training photographs that ship with scikit-image and
scikit-learn (:mod:`ganbook.data.photos`) are down-sampled 4x with a bicubic
kernel; G learns to undo it. Two stages, as in the paper:

1. **SRResNet**: :class:`~ganbook.models.srgan.SRResNet` trained on the pixel
   MSE alone (:func:`pretrain`);
2. **SRGAN**: the same generator, from where SRResNet left it, trained on a
   content loss plus ``adversarial_weight`` times the GAN loss against
   :class:`~ganbook.models.srgan.SRDiscriminator` (:func:`finetune`).

:func:`build` chains them as :class:`~ganbook.stages.Stages` (the command line's
run); :func:`run` also up-samples the held-out photographs after each stage.

The content loss is the pixel MSE (``content="pixels"``: the paper's SRGAN-MSE) or
an MSE between feature maps (``content="features"``). The paper's feature network
is VGG19, trained on ImageNet, which cannot be loaded offline; ours is
:func:`feature_network`: the convolutional layers of a VGG-style network with
random weights, fixed by a seed. Random convolutional features still respond to
edges and textures at many orientations, which is what a content loss needs to
stop rewarding blur; they measure nothing here (PSNR, SSIM and the detail ratio
need no network), so no network grades its own work.

:func:`evaluate` up-samples the held-out photographs and scores them
(:mod:`ganbook.metrics.superres`).
"""

from __future__ import annotations

import time
from dataclasses import dataclass, replace
from typing import Any, ClassVar

import torch
from torch import Tensor, nn

from ..data import photos
from ..games.srgan import SuperResolutionGame
from ..metrics import superres
from ..models.srgan import SRDiscriminator, SRResNet, upscale
from ..stages import Stages
from ..train import Trainer
from .base import Bound, ExperimentConfig, adam_pair, make_trainer

NAME = "srgan"
CHAPTER = 19
CONTENT = ("pixels", "features")
PAPER_ROWS = {"bicubic": "bicubic", "SRResNet": "srresnet", "SRGAN": "srgan", "SRGAN-MSE": "srgan"}
"""Each of our methods' row of Table 2 (:mod:`ganbook.anchors_superres`); SRGAN-MSE is read beside SRGAN's."""


@dataclass(frozen=True)
class SRGANConfig(ExperimentConfig):
    """SRResNet's pre-training and SRGAN's fine-tuning: sizes, rates and the loss's weights."""

    width: int = 32  # G's channels (the paper: 64)
    blocks: int = 6  # G's residual blocks (the paper: 16)
    bicubic_skip: bool = True  # G adds its output to the bicubic up-sampling (our change; see the models module)
    patch: int = 64  # high-resolution training patches (the paper: 96)
    batch_size: int = 16
    steps: int = 600  # SRResNet's MSE steps (the paper: 10^6)
    gan_steps: int = 250  # SRGAN's steps from where SRResNet left G (the paper: 2 x 10^5)
    # four times the paper's 1e-4, for both networks: after 800 + 300 steps at 1e-4 SRResNet was 0.31 dB above
    # bicubic on the held-out photographs, at 4e-4 0.47 dB, and visibly sharper (the gpu profile keeps 1e-4)
    lr: float = 4e-4
    betas: tuple[float, float] = (0.9, 0.999)  # the paper's Adam beta1 is 0.9
    adversarial_weight: float = 1e-3  # the paper's 10^-3
    content: str = "features"  # "pixels": SRGAN-MSE; "features": MSE between feature_network's maps
    feature_scale: float = 1.0  # the content loss's divisor for feature maps (the paper: 12.75 for VGG's)
    d_width: int = 16  # D's first layer (the paper: 64); doubling every second layer
    d_depth: int = 3  # pairs of D's convolutions (the paper: 4)

    BOUNDS: ClassVar[dict[str, Bound]] = {"adversarial_weight": Bound(0), "feature_scale": Bound(0, open_low=True),
                                          "gan_steps": Bound(0)}
    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(width=8, blocks=1, patch=32, batch_size=4, steps=3, gan_steps=3, d_width=4, d_depth=2),
        "cpu": {},
        "gpu": dict(width=64, blocks=16, patch=96, steps=100000, gan_steps=50000, lr=1e-4, d_width=64, d_depth=4),
    }

    def validated(self) -> "SRGANConfig":
        super().validated()
        if self.content not in CONTENT:
            raise ValueError(f"SRGANConfig: content must be one of {', '.join(CONTENT)}, got {self.content!r}")
        if self.patch % photos.SCALE:
            raise ValueError(f"SRGANConfig: patch must be a multiple of {photos.SCALE}, got {self.patch}")
        return self

    @property
    def label(self) -> str:
        return "SRGAN" if self.content == "features" else "SRGAN-MSE"


def feature_network(seed: int = 0, width: int = 32) -> nn.Module:
    """A VGG-style stack with random, frozen weights: two 3x3 convolutions with ReLU, a 2x2 max-pool, two more
    at twice the width, ``(n, 3, H, W) -> (n, 2 width, H/2, W/2)``. Weights are He-initialised from ``seed``."""
    generator = torch.Generator().manual_seed(seed)
    net = nn.Sequential(nn.Conv2d(3, width, 3, padding=1), nn.ReLU(), nn.Conv2d(width, width, 3, padding=1),
                        nn.ReLU(), nn.MaxPool2d(2), nn.Conv2d(width, 2 * width, 3, padding=1), nn.ReLU(),
                        nn.Conv2d(2 * width, 2 * width, 3, padding=1))
    with torch.no_grad():
        for layer in net:
            if isinstance(layer, nn.Conv2d):
                fan_in = layer.in_channels * 9
                layer.weight.copy_(torch.randn(layer.weight.shape, generator=generator) * (2 / fan_in) ** 0.5)
                layer.bias.zero_()
    return net.requires_grad_(False).eval()


def _generator(config: SRGANConfig) -> SRResNet:
    return SRResNet(config.width, config.blocks, photos.SCALE, config.bicubic_skip)


def pretrain(config: SRGANConfig, device: torch.device | str = "cpu") -> Trainer:
    """SRResNet: G alone on the pixel MSE, fresh and seeded (not yet trained)."""
    config = config.validated()
    torch.manual_seed(config.seed)
    G = _generator(config)
    game = SuperResolutionGame(G, None, adversarial_weight=0.0)
    optimizers = {"g": torch.optim.Adam(G.parameters(), lr=config.lr, betas=config.betas)}
    return make_trainer(game, photos.PatchSource(config.patch), config, device, optimizers=optimizers)


def finetune(config: SRGANConfig, G: nn.Module, device: torch.device | str = "cpu") -> Trainer:
    """SRGAN: ``G`` itself (SRResNet's generator, trained or not) against a fresh D, on the content loss and the
    GAN loss, with a fresh optimiser. ``G`` keeps training in place."""
    config = config.validated()
    torch.manual_seed(config.seed + 1)
    D = SRDiscriminator(config.d_width, config.d_depth)
    features = feature_network(config.seed) if config.content == "features" else None
    game = SuperResolutionGame(G, D, config.adversarial_weight, features, config.feature_scale)
    return make_trainer(game, photos.PatchSource(config.patch), replace(config, seed=config.seed + 1), device,
                        optimizers=adam_pair(G, D, config.lr, config.lr, config.betas))


def build(config: SRGANConfig, device: torch.device | str = "cpu") -> Stages:
    """Both stages on one generator: SRResNet's ``steps`` on the MSE, then SRGAN's ``gan_steps``
    (``python -m ganbook train srgan`` trains both and checkpoints after each)."""
    first = pretrain(config, device)
    return Stages([first, finetune(config, first.game.G, device)], [config.steps, config.gan_steps],
                  ["SRResNet", config.label])


def upscaled(G: nn.Module | None, names: tuple[str, ...] = photos.TEST) -> dict[str, Tensor]:
    """Each held-out photograph up-sampled by ``G`` (bicubic when ``G`` is None): ``(1, 3, H, W)`` each."""
    return {name: photos.bicubic(low) if G is None else upscale(G, low)
            for name, (low, _) in photos.held_out(names).items()}


def evaluate(run: Stages, config: SRGANConfig) -> dict[str, float]:
    """PSNR, SSIM and the detail ratio of the run's generator (after its last stage), averaged over the held-out
    photographs."""
    real = {name: high for name, (_, high) in photos.held_out().items()}
    return superres.table({"G": upscaled(run.trainers[-1].game.G)}, real)["G"]


def run(config: SRGANConfig, progress: bool = True) -> dict[str, Any]:
    """Both stages, then every method on the held-out photographs: ``{"images": {method: {photo: image}},
    "real": {photo: image}, "table": {method: scores}, "per_photo": {method: {photo: scores}},
    "seconds": {stage: s}, "history": {stage: loss history}}``."""
    stages = build(config)
    images, seconds = {"bicubic": upscaled(None)}, {}
    for name, trainer, steps in zip(stages.names, stages.trainers, stages.steps):
        start = time.perf_counter()
        trainer.fit(steps, progress=progress)
        seconds[name] = time.perf_counter() - start
        images[name] = upscaled(trainer.game.G)
    real = {name: high for name, (_, high) in photos.held_out().items()}
    per = superres.per_photo(images, real)
    return {"images": images, "real": real, "table": superres.average(per), "per_photo": per, "seconds": seconds,
            "history": stages.history}


def detail_window(real: Tensor, size: int = 96, stride: int = 16) -> tuple[int, int]:
    """The top-left corner of the ``size`` x ``size`` window of photograph ``real`` ``(1, 3, H, W)`` with the
    largest share of fine detail (:func:`~ganbook.metrics.superres.high_frequency_share`): where the methods
    differ most, chosen by the photograph, not by us."""
    _, _, h, w = real.shape
    corners = [(top, left) for top in range(0, h - size + 1, stride) for left in range(0, w - size + 1, stride)]
    shares = [superres.high_frequency_share(real[0, :, t:t + size, l:l + size], border=0) for t, l in corners]
    return corners[max(range(len(shares)), key=shares.__getitem__)]


def crops(result: dict[str, Any], name: str, size: int = 96) -> dict[str, Tensor]:
    """For a figure: the same :func:`detail_window` of photograph ``name`` as the low-resolution input
    (enlarged 4x by copying pixels), each method's up-sampling and the real photograph, ``(1, 3, size, size)``."""
    real = result["real"][name]
    top, left = detail_window(real, size)
    cut = lambda image: image[:, :, top:top + size, left:left + size]  # noqa: E731
    low = photos.held_out((name,))[name][0]
    s = photos.SCALE
    nearest = low[:, :, top // s:(top + size) // s, left // s:(left + size) // s].repeat_interleave(s, 2)
    return {"input": nearest.repeat_interleave(s, 3), **{m: cut(images[name]) for m, images in
                                                         result["images"].items()}, "real": cut(real)}


def spectra(result: dict[str, Any], name: str) -> dict[str, tuple[Any, Any]]:
    """Each method's and the real photograph's radial power profile (:func:`~ganbook.metrics.superres.radial_profile`)
    for photograph ``name``."""
    images = {**{m: made[name] for m, made in result["images"].items()}, "real": result["real"][name]}
    return {m: superres.radial_profile(image[0]) for m, image in images.items()}


def beside_paper(table: dict[str, dict[str, float]]) -> "pd.DataFrame":
    """Our PSNR and SSIM on the held-out photographs beside Table 2's on Set5, Set14 and BSD100 (one column pair
    per data set), a row per method; the paper's SRGAN is its VGG54 model."""
    import pandas as pd

    from ..anchors import anchor
    from ..anchors_superres import TABLE2

    rows = {}
    for method, scores in table.items():
        row = {("ours: held-out photos", "PSNR"): scores["psnr"], ("ours: held-out photos", "SSIM"): scores["ssim"]}
        for data, (label, _) in TABLE2.items():
            paper = anchor(f"srgan-table2-{data}-{PAPER_ROWS[method]}").values
            row[(label, "PSNR")], row[(label, "SSIM")] = paper["psnr"][0], paper["ssim"][0]
        rows[method] = row
    return pd.DataFrame(rows).T.round(3)


def paper_psnr(method: str) -> dict[str, float]:
    """Table 2's PSNR (dB) of ``method`` (``"bicubic"``, ``"SRResNet"`` or ``"SRGAN"``) by data set."""
    from ..anchors import anchor
    from ..anchors_superres import TABLE2

    return {name: anchor(f"srgan-table2-{data}-{PAPER_ROWS[method]}").values["psnr"][0]
            for data, (name, _) in TABLE2.items()}


def paper_gaps(a: str, b: str) -> dict[str, float]:
    """Table 2's PSNR of method ``a`` minus method ``b``, in dB, by data set."""
    first, second = paper_psnr(a), paper_psnr(b)
    return {name: first[name] - second[name] for name in first}


def per_photo_table(per_photo: dict[str, dict[str, dict[str, float]]]) -> "pd.DataFrame":
    """PSNR and the detail ratio per photograph (rows) and method (columns)."""
    import pandas as pd

    return pd.concat({title: pd.DataFrame({m: {n: s[key] for n, s in rows.items()} for m, rows in per_photo.items()})
                      for key, title in (("psnr", "PSNR (dB)"), ("detail", "detail ratio"))}, axis=1).round(3)


def orderings(table: dict[str, dict[str, float]], label: str = "SRGAN") -> dict[str, dict[str, bool]]:
    """For our held-out photographs (``"ours"``) and each of Table 2's data sets, whether SRResNet beats bicubic
    and SRGAN (``label`` in ``table``) on PSNR, and whether SRGAN beats bicubic: ``{data: {comparison: bool}}``."""
    def order(psnr: dict[str, float]) -> dict[str, bool]:
        return {"SRResNet > bicubic": psnr["SRResNet"] > psnr["bicubic"],
                "SRResNet > SRGAN": psnr["SRResNet"] > psnr["SRGAN"], "SRGAN > bicubic": psnr["SRGAN"] > psnr["bicubic"]}

    paper = {m: paper_psnr(m) for m in ("bicubic", "SRResNet", "SRGAN")}
    out = {"ours": order({"bicubic": table["bicubic"]["psnr"], "SRResNet": table["SRResNet"]["psnr"],
                          "SRGAN": table[label]["psnr"]})}
    out.update({name: order({m: paper[m][name] for m in paper}) for name in paper["bicubic"]})
    return out


def say_orderings(table: dict[str, dict[str, float]], label: str = "SRGAN") -> str:
    """Our PSNR and SSIM in words, the gaps between the methods, which of Table 2's data sets share our order
    (:func:`orderings`), and how Table 2's own gaps behave across its data sets."""
    psnr = {m: row["psnr"] for m, row in table.items()}
    orders = orderings(table, label)
    agree = [name for name, o in orders.items() if name != "ours" and o == orders["ours"]]

    def versus(a: str, b: str) -> str:
        gap = psnr[a] - psnr[b]
        return f"{a} is {abs(gap):.2f} dB {'above' if gap > 0 else 'below'} {b}"

    def steady(gaps: dict[str, float]) -> str:
        return "flips between data sets" if len({g > 0 for g in gaps.values()}) > 1 else "holds on all three"

    first, second = paper_gaps("SRGAN", "bicubic"), paper_gaps("SRResNet", "SRGAN")
    return (f"PSNR: bicubic {psnr['bicubic']:.2f} dB, SRResNet {psnr['SRResNet']:.2f}, {label} {psnr[label]:.2f}; "
            f"SSIM {table['bicubic']['ssim']:.3f}, {table['SRResNet']['ssim']:.3f}, {table[label]['ssim']:.3f}. "
            f"{versus('SRResNet', 'bicubic')}, {versus('SRResNet', label)} and {versus(label, 'bicubic')}: "
            + (f"the same order as Table 2 on {' and '.join(agree)}" if agree
               else "an order Table 2 has on none of its three data sets")
            + ". In Table 2, SRGAN minus bicubic is " + ", ".join(f"{g:+.2f} dB on {n}" for n, g in first.items())
            + f" (that order {steady(first)}), and SRResNet minus SRGAN "
            + ", ".join(f"{g:+.2f}" for g in second.values()) + f" (that order {steady(second)}).")


Config = SRGANConfig
