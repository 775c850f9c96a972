"""The published rows of chapter 21 (StackGAN, AttnGAN): AttnGAN's Inception scores, quoted, and the settings
of the authors' code, checked. :func:`ganbook.anchors.anchors` lists them with the rest."""

from __future__ import annotations

from .anchors import NONE, Anchor

PWC = "paperswithcode's AttnGAN entry (Inception scores without their spread)"
CUB = "CUB birds at 256x256, Inception-v3 fine-tuned on CUB (higher is better)"
COCO = "MS-COCO at 256x256, Inception-v3 (higher is better)"
STACKGAN_CODE = ("hanzhanggit/StackGAN misc/config.py and stageI/cfg/birds.yml (TRAIN.COEFF.KL 2.0, "
                 "GAN.EMBEDDING_DIM 128, Z_DIM 100); StackGAN-Pytorch code/cfg/coco_s1.yml, coco_s2.yml (KL 2.0)")
ATTNGAN_CODE = ("taoxugit/AttnGAN code/cfg/bird_attn2.yml and coco_attn2.yml (GAMMA1 4.0, GAMMA2 5.0, GAMMA3 10.0, "
                "LAMBDA 5 for birds and 50 for COCO), code/miscc/losses.py (words_loss, sent_loss)")


def text_to_image() -> list[Anchor]:
    """AttnGAN's Inception scores (quoted) and both authors' settings (checked in their code). StackGAN's
    Inception scores and AttnGAN's R-precision join when someone has read them in the papers or a named
    source."""
    nan = float("nan")
    rows = [
        Anchor(key="attngan-inception", description="AttnGAN: Inception score",
               values={"inception_cub": (4.36, nan), "inception_coco": (25.89, nan)}, spread="none quoted",
               source="Xu et al. 2018 (AttnGAN), Inception scores", setting=f"{CUB}; {COCO}", status="quoted",
               read_at=PWC),
        Anchor(key="stackgan-settings", description="StackGAN: the authors' code's conditioning augmentation",
               values={"kl_weight": (2.0, nan), "c_dim": (128, nan), "z_dim": (100, nan)}, spread=NONE,
               source="Zhang et al. 2017 (StackGAN), the authors' code's configs",
               setting="matching-aware D: real + (wrong + fake) / 2", status="checked", read_at=STACKGAN_CODE),
        Anchor(key="attngan-settings", description="AttnGAN: the authors' code's DAMSM settings",
               values={"gamma1": (4.0, nan), "gamma2": (5.0, nan), "gamma3": (10.0, nan), "lambda_birds": (5.0, nan),
                       "lambda_coco": (50.0, nan)}, spread=NONE,
               source="Xu et al. 2018 (AttnGAN), the authors' code's configs",
               setting="DAMSM loss on the last stage's images, weighted by lambda", status="checked",
               read_at=ATTNGAN_CODE),
    ]
    return rows
