"""The published rows of chapters 17 and 18 (pix2pix, CycleGAN): FCN-scores on Cityscapes labels -> photo, and
CycleGAN's settings. :func:`ganbook.anchors.anchors` lists them with the rest; kept here so that each file of
paper numbers stays short."""

from __future__ import annotations

from .anchors import NONE, Anchor

PIX2PIX_TEXT = "the full text of the paper (CVPR 2017 / arXiv v2)"
CYCLEGAN_NOTE = "a third-party note of the paper's PDF"
CYCLEGAN_CODE = ("junyanz/pytorch-CycleGAN-and-pix2pix: models/cycle_gan_model.py (lambda_A = lambda_B = 10, "
                 "lambda_identity 0.5, GANLoss('lsgan'), ImagePool(pool_size)), options/train_options.py "
                 "(pool_size 50, lr 0.0002, beta1 0.5, n_epochs 100, n_epochs_decay 100), options/base_options.py "
                 "(batch_size 1, netG resnet_9blocks, netD basic: the 70x70 PatchGAN, norm instance)")
CITYSCAPES = ("Cityscapes labels -> photo at 256x256, FCN-8s trained on real photos reads the generated ones; "
              "per-pixel accuracy, mean per-class accuracy, mean class IoU")


PHOTO_TO_LABELS = ("Cityscapes photo -> labels at 256x256: the generated label image's colours read as classes and "
                   "compared with the true labels; per-pixel accuracy, mean per-class accuracy, mean class IoU")
CYCLEGAN_ISSUE = ("junyanz/pytorch-CycleGAN-and-pix2pix issue #150, which quotes the paper's photo -> labels "
                  "CycleGAN row as (0.58, 0.22, 0.16), and a third-party note of the paper's PDF")


def _fcn(key: str, label: str, source: str, scores: tuple[float, float, float], status: str, read_at: str,
         direction: str = "labels -> photo") -> Anchor:
    nan = float("nan")
    values = dict(zip(("pixel_accuracy", "class_accuracy", "class_iou"), ((v, nan) for v in scores)))
    setting = CITYSCAPES if direction == "labels -> photo" else PHOTO_TO_LABELS
    return Anchor(key=key, description=f"{label}: {'FCN-score' if setting is CITYSCAPES else 'scores'}, "
                  f"{direction}", values=values, spread="none published", source=source, setting=setting,
                  status=status, read_at=read_at)


def translation() -> list[Anchor]:
    """pix2pix's Tables 1 and 2 (checked); CycleGAN's Tables 2, 3 and 4 (quoted, where found) and settings (checked)."""
    table1 = {"l1": ("L1", (0.42, 0.15, 0.11)), "gan": ("GAN", (0.22, 0.05, 0.01)),
              "cgan": ("cGAN", (0.57, 0.22, 0.16)), "l1-gan": ("L1+GAN", (0.64, 0.20, 0.15)),
              "l1-cgan": ("L1+cGAN", (0.66, 0.23, 0.17)), "ground-truth": ("ground truth", (0.80, 0.26, 0.21))}
    table2 = {"1": ("1x1 (PixelGAN)", (0.39, 0.15, 0.10)), "16": ("16x16", (0.65, 0.21, 0.17)),
              "70": ("70x70", (0.66, 0.23, 0.17)), "286": ("286x286 (ImageGAN)", (0.42, 0.16, 0.11))}
    cyclegan = {"cyclegan": ("CycleGAN", (0.52, 0.17, 0.11), "Table 2"),
                "pix2pix": ("pix2pix (paired)", (0.71, 0.25, 0.18), "Table 2"),
                "cycle-alone": ("cycle alone", (0.22, 0.07, 0.02), "Table 4"),
                "gan-alone": ("GAN alone", (0.51, 0.11, 0.08), "Table 4"),
                "gan-forward-cycle": ("GAN + forward cycle", (0.55, 0.18, 0.12), "Table 4")}
    nan = float("nan")
    return [
        *(_fcn(f"pix2pix-table1-{k}", label, f"Isola et al. 2017 (pix2pix), Table 1, row {label}", s, "checked",
               PIX2PIX_TEXT) for k, (label, s) in table1.items()),
        *(_fcn(f"pix2pix-table2-{k}", f"L1+cGAN, D's receptive field {label}",
               f"Isola et al. 2017 (pix2pix), Table 2 (Table 3 in arXiv v3), row {label}", s, "checked", PIX2PIX_TEXT)
          for k, (label, s) in table2.items()),
        *(_fcn(f"cyclegan-{k}", label, f"Zhu et al. 2017 (CycleGAN), {table}, row {label}", s, "quoted",
               CYCLEGAN_NOTE) for k, (label, s, table) in cyclegan.items()),
        _fcn("cyclegan-table3-cyclegan", "CycleGAN", "Zhu et al. 2017 (CycleGAN), Table 3, row CycleGAN",
             (0.58, 0.22, 0.16), "quoted", CYCLEGAN_ISSUE, "photo -> labels"),
        _fcn("cyclegan-table3-pix2pix", "pix2pix (paired)", "Zhu et al. 2017 (CycleGAN), Table 3, row pix2pix",
             (0.85, 0.40, 0.32), "quoted", CYCLEGAN_NOTE, "photo -> labels"),
        Anchor(key="pix2pix-settings", description="pix2pix: the paper's objective and optimiser",
               values={"l1_weight": (100.0, nan), "lr": (2e-4, nan), "beta1": (0.5, nan)}, spread=NONE,
               source="Isola et al. 2017 (pix2pix), sections 3 and 4: lambda = 100, Adam lr 0.0002, beta1 0.5",
               setting="U-Net G with dropout as its noise; 70x70 PatchGAN D; batch 1 to 10", status="checked",
               read_at=PIX2PIX_TEXT),
        Anchor(key="cyclegan-settings", description="CycleGAN: the authors' code's default settings",
               values={"cycle_weight": (10.0, nan), "identity_share": (0.5, nan), "pool": (50, nan),
                       "lr": (2e-4, nan), "beta1": (0.5, nan), "epochs_constant": (100, nan),
                       "epochs_decay": (100, nan), "batch_size": (1, nan)}, spread=NONE,
               source="Zhu et al. 2017 (CycleGAN), the authors' PyTorch code's defaults",
               setting="least-squares GAN loss; identity weight = identity_share x cycle weight", status="checked",
               read_at=CYCLEGAN_CODE),
    ]
