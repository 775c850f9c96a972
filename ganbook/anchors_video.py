"""The published rows of chapter 22 (TGAN, MoCoGAN): UCF-101 Inception scores, MoCoGAN's average content
distance, and the settings of the authors' code. :func:`ganbook.anchors.anchors` lists them with the rest.

The scores are quoted: they were read in third-party transcriptions of the papers' tables, not in the
papers; the settings were read in the authors' repositories."""

from __future__ import annotations

from .anchors import NONE, Anchor

NOTES = "third-party notes transcribing the papers' tables (arXiv 1707.04993 and 1611.06624)"
UCF = ("UCF-101, 16-frame clips at 64x64; Inception score from a C3D network trained on UCF-101's "
       "action classes (higher is better)")
ACD = ("average content distance over 256 generated 16-frame clips (lower is better): shape motion on the "
       "shape's mean colour, faces on OpenFace features; L2 over pairs of frames")
MOCOGAN_CODE = ("sergeytulyakov/mocogan: src/train.py (dim_z_content 50, dim_z_motion 10, Adam lr 0.0002, "
                "betas (0.5, 0.999), weight decay 1e-5), src/models.py (GRUCell over Gaussian noise; image D "
                "on single frames, video D on 16 frames)")
TGAN_CODE = ("pfnet-research/tgan: models (G0 of 1-D deconvolutions 1 -> 16 frames, z0 and z1 of 100), "
             "updaters (WGAN with singular value clipping every 5 iterations), configs/ucf101 (RMSprop lr 5e-5, "
             "batch 32, 16 frames at 64x64)")


def video() -> list[Anchor]:
    """TGAN's and MoCoGAN's Inception scores (quoted), MoCoGAN's Table 1 ACD (quoted), and the settings
    of both authors' code (checked)."""
    nan = float("nan")
    inception = {"tgan": ("TGAN (SVC)", 11.85, 0.07, "TGAN Table 4; MoCoGAN Table 2"),
                 "mocogan": ("MoCoGAN", 12.42, 0.03, "MoCoGAN Table 2"),
                 "real": ("real UCF-101 clips", 34.49, 0.03, "TGAN Table 4")}
    acd = {"tgan": ("TGAN", 2.08, 0.305), "mocogan": ("MoCoGAN", 1.79, 0.201), "vgan": ("VGAN", 5.02, 0.322),
           "reference": ("reference (real clips)", 0.0, 0.116)}
    rows = [Anchor(key=f"ucf101-inception-{k}", description=f"{label}: Inception score on UCF-101",
                   values={"inception_score": (v, s)}, spread="as published (+-)",
                   source=f"{where}, row {label}", setting=UCF, status="quoted", read_at=NOTES)
            for k, (label, v, s, where) in inception.items()]
    rows += [Anchor(key=f"mocogan-acd-{k}", description=f"{label}: average content distance",
                    values={"acd_shape_motion": (shape, nan), "acd_faces": (faces, nan)}, spread=NONE,
                    source=f"Tulyakov et al. 2018 (MoCoGAN), Table 1, row {label}", setting=ACD, status="quoted",
                    read_at=NOTES) for k, (label, shape, faces) in acd.items()]
    rows += [
        Anchor(key="mocogan-settings", description="MoCoGAN: the authors' code's sizes and optimiser",
               values={"content_dim": (50, nan), "motion_dim": (10, nan), "noise_dim": (10, nan),
                       "frames": (16, nan), "lr": (2e-4, nan), "beta1": (0.5, nan)}, spread=NONE,
               source="Tulyakov et al. 2018 (MoCoGAN), the authors' code's defaults",
               setting="non-saturating loss for both discriminators", status="checked", read_at=MOCOGAN_CODE),
        Anchor(key="tgan-settings", description="TGAN: the authors' code's sizes and optimiser",
               values={"latent_dim": (100, nan), "frames": (16, nan), "lr": (5e-5, nan), "batch_size": (32, nan),
                       "clip_every": (5, nan)}, spread=NONE,
               source="Saito et al. 2017 (TGAN), the authors' code's UCF-101 configs",
               setting="Wasserstein critic with singular value clipping; RMSprop", status="checked",
               read_at=TGAN_CODE),
    ]
    return rows
