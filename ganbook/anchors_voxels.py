"""The published rows of chapter 20 (3D-GAN): ModelNet accuracy of a linear classifier on the
discriminator's features, and the paper's training settings. :func:`ganbook.anchors.anchors` lists them.

Both are quoted: the accuracies were read in a transcription of the Princeton ModelNet leaderboard's table
(the row cites the paper) and in a README's comparison table that gives the ModelNet40 figure alone; the
settings in a re-implementation whose comments quote the paper's sentences. Neither was read in the paper."""

from __future__ import annotations

from .anchors import NONE, Anchor

LEADERBOARD = ("a transcription of the Princeton ModelNet leaderboard (modelnet.cs.princeton.edu), row '3D-GAN', "
               "columns ModelNet40 and ModelNet10 classification; antao97/UnsupervisedPointCloudReconstruction's "
               "README gives the same ModelNet40 figure for a linear SVM")
SETTINGS_READ = ("a public PyTorch re-implementation of 3D-GAN whose comments quote the paper's sentences on "
                 "learning rates, batch size and Adam; a reader's notes on the paper for the 80% rule and z of 200")
MODELNET = ("a linear SVM on D's features (D trained without labels on ShapeNet), "
            "trained and tested on ModelNet's voxelised CAD models; ModelNet40: 40 classes, ModelNet10: 10")


def voxels() -> list[Anchor]:
    """3D-GAN's ModelNet classification accuracies (quoted) and its training settings (quoted)."""
    nan = float("nan")
    return [
        Anchor(key="3dgan-modelnet", description="3D-GAN: linear classifier on D's features, ModelNet accuracy",
               values={"modelnet40": (0.833, nan), "modelnet10": (0.910, nan)}, spread="none published",
               source="Wu et al. 2016 (3D-GAN), Table 1, row 3D-GAN", setting=MODELNET, status="quoted",
               read_at=LEADERBOARD),
        Anchor(key="3dgan-settings", description="3D-GAN: the paper's sizes and optimiser",
               values={"voxels": (64, nan), "z_dim": (200, nan), "lr_g": (2.5e-3, nan), "lr_d": (1e-5, nan),
                       "batch_size": (100, nan), "beta1": (0.5, nan), "d_update_below_accuracy": (0.8, nan)},
               spread=NONE, source="Wu et al. 2016 (3D-GAN), section 3 (training details)",
               setting="G and D of 3-D (transposed) convolutions, 64^3 occupancy grids; D is updated only when "
                       "its accuracy on the last batch is at most 80%", status="quoted", read_at=SETTINGS_READ),
    ]
