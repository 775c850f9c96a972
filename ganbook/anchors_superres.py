"""The published rows of chapter 19 (SRGAN): Table 2's PSNR, SSIM and MOS at 4x on Set5, Set14 and BSD100,
and the paper's training settings. :func:`ganbook.anchors.anchors` lists them with the rest."""

from __future__ import annotations

from .anchors import NONE, Anchor

SRGAN_TEXT = ("a full-text copy of arXiv:1609.04802v5 (25 May 2017): Table 2 and its caption, sections 3.1-3.2; "
              "Table 1 repeats the SRResNet and SRGAN rows for Set5 and Set14")
BENCHMARK = ("4x upscaling of {data} (bicubic down-sampling); PSNR in dB and SSIM on the y-channel with a 4-pixel "
             "border removed, SSIM from the daala package; MOS from 26 raters on a 1-5 scale")
TABLE2 = {
    "set5": ("Set5", {"bicubic": (28.43, 0.8211, 1.97), "srresnet": (32.05, 0.9019, 3.37),
                      "srgan": (29.40, 0.8472, 3.58), "hr": (float("inf"), 1.0, 4.32)}),
    "set14": ("Set14", {"bicubic": (25.99, 0.7486, 1.80), "srresnet": (28.49, 0.8184, 2.98),
                        "srgan": (26.02, 0.7397, 3.72), "hr": (float("inf"), 1.0, 4.32)}),
    "bsd100": ("BSD100", {"bicubic": (25.94, 0.6935, 1.47), "srresnet": (27.58, 0.7620, 2.29),
                          "srgan": (25.16, 0.6688, 3.56), "hr": (float("inf"), 1.0, 4.46)}),
}
METHODS = {"bicubic": "bicubic", "srresnet": "SRResNet", "srgan": "SRGAN (VGG54)", "hr": "original HR"}


def superres() -> list[Anchor]:
    """SRGAN's Table 2 (checked, one anchor per data set and method) and its settings (checked)."""
    nan = float("nan")
    rows = [Anchor(key=f"srgan-table2-{data}-{method}", description=f"{METHODS[method]} on {name}, 4x",
                   values={"psnr": (v[0], nan), "ssim": (v[1], nan), "mos": (v[2], nan)}, spread="none published",
                   source=f"Ledig et al. 2017 (SRGAN), Table 2, {name}, column {METHODS[method]}",
                   setting=BENCHMARK.format(data=name), status="checked", read_at=SRGAN_TEXT)
            for data, (name, methods) in TABLE2.items() for method, v in methods.items()]
    rows.append(Anchor(
        key="srgan-settings", description="SRGAN: the paper's networks, losses and optimiser",
        values={"blocks": (16, nan), "patch": (96, nan), "batch_size": (16, nan), "lr": (1e-4, nan),
                "beta1": (0.9, nan), "adversarial_weight": (1e-3, nan), "vgg_rescale": (1 / 12.75, nan),
                "srresnet_steps": (1e6, nan), "srgan_steps": (2e5, nan)}, spread=NONE,
        source="Ledig et al. 2017 (SRGAN), sections 2.2 (equation 3) and 3.2",
        setting="SRGAN starts from SRResNet's weights; 10^5 updates at 1e-4, then 10^5 at 1e-5; VGG54 features "
                "rescaled by 1/12.75; 350k ImageNet images", status="checked", read_at=SRGAN_TEXT))
    return rows
