"""Chapter 20: 3D-GAN on voxel primitives, measured by class, by memorisation and by its discriminator's features.

3D-GAN's generator and discriminator (:mod:`ganbook.models.voxel`) in the
standard game (non-saturating loss, binary cross-entropy for D) with the
paper's rule that D learns only on batches it sorts at most 80% right
(:class:`ganbook.games.voxel.CappedGame`), on the 2,000 training shapes of
:mod:`ganbook.data.voxels`; or (``game="wgan-gp"``) in WGAN-GP's game, D a
critic without batch norm. Unconditional by default: the class of a shape is
never shown to either network; ``conditional`` gives G and D the class (one
network for the five, where the paper trained one per class), and then
the classifier's agreement with the asked class is measured too. :func:`evaluate` measures

- **classes**: the shipped 3-D classifier names each generated shape; the share of
  each class, how many classes appear, and the total variation to the uniform
  mix of the training set (:func:`ganbook.metrics.voxels.coverage`);
- **memorisation and quality**: each generated shape's IoU with its nearest training shape,
  beside the same for held-out real shapes (:func:`ganbook.metrics.voxels.nearest_iou`),
  overall and per class named;
- **D's features**: a linear classifier (scikit-learn's logistic regression) trained
  on D's features of real training shapes and tested on the held-out ones, as the
  paper did on ModelNet (:meth:`~ganbook.models.voxel.VoxelDiscriminator.features`);
- **occupancy**: the mean share of filled voxels, against the training shapes'.

``ema_decay`` samples from a moving average of G's weights; :mod:`.voxel_showcase`
is the chapter's longer run (class-conditional, WGAN-GP, averaged), shipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import Any, ClassVar

import numpy as np
import torch
from torch import Tensor

from .. import players
from ..config import Bound
from ..data import voxels
from ..games.voxel import CappedGame
from ..games.wasserstein import wasserstein_game
from ..metrics import voxels as measures
from ..metrics.instruments import voxel_classifier
from ..models.voxel import VoxelDiscriminator, VoxelGenerator
from ..train import Trainer
from .base import ExperimentConfig, make_trainer

NAME = "voxel-gan"
CHAPTER = 20
GAMES = ("3dgan", "wgan-gp")  # the paper's capped standard game; the Wasserstein game with a gradient penalty


@dataclass(frozen=True)
class VoxelGANConfig(ExperimentConfig):
    """Sizes and rates per profile. The paper: z 200, 64^3 voxels, G 512-256-128-64 channels, batch 100,
    Adam (beta1 0.5) at 0.0025 for G and 1e-5 for D."""

    steps: int = 400
    batch_size: int = 32
    lr_g: float = 2.5e-3  # the paper's G rate
    lr_d: float = 1e-4  # ten times the paper's 1e-5
    betas: tuple[float, float] = (0.5, 0.999)
    z_dim: int = 200
    width: int = 16  # G's last hidden and D's first layer; 4x this at the widest
    d_width: int = 16
    eval_samples: int = 500
    conditional: bool = False  # one G for the five classes, G(z, c) and a projection D
    d_accuracy_cap: float = 0.8  # D updates only on batches it sorts at most this well (the paper's rule)
    game: str = "3dgan"  # or "wgan-gp": a critic without batch norm, the gradient penalty, n_critic updates
    n_critic: int = 5  # critic updates per G update (wgan-gp only)
    gp_weight: float = 10.0  # (wgan-gp only)
    ema_decay: float = 0.0  # 0: samples from G itself; else from a moving average of its weights

    BOUNDS: ClassVar[dict[str, Bound]] = {"d_accuracy_cap": Bound(0, 1, open_low=True)}

    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {
        "smoke": dict(steps=3, batch_size=4, z_dim=16, width=2, d_width=2, eval_samples=50),
        "cpu": {},
        "gpu": dict(steps=20000, batch_size=100, lr_d=1e-5, width=64, d_width=64, eval_samples=2000),
    }

    def validated(self) -> "VoxelGANConfig":
        super().validated()
        if self.game not in GAMES:
            raise ValueError(f"VoxelGANConfig: unknown game {self.game!r}; use one of {', '.join(GAMES)}")
        return self


def networks(config: VoxelGANConfig) -> tuple[VoxelGenerator, VoxelDiscriminator]:
    """G and D as ``config`` sizes them (class-conditional if it says so), G's weights drawn first."""
    n_classes = len(voxels.CLASSES) if config.conditional else 0
    G = VoxelGenerator(config.z_dim, config.width, n_classes)
    return G, VoxelDiscriminator(config.d_width, n_classes, batch_norm=config.game == "3dgan")


def build(config: VoxelGANConfig, device: torch.device | str = "cpu") -> Trainer:
    """3D-GAN's G and D on the training shapes, in the paper's capped game or in WGAN-GP's."""
    config = config.validated()
    torch.manual_seed(config.seed)
    G, D = networks(config)
    if config.game == "wgan-gp":
        game = wasserstein_game(G, D, "gp", gp_weight=config.gp_weight, n_critic=config.n_critic)
    else:
        game = CappedGame(G, D, cap=config.d_accuracy_cap)
    return make_trainer(game, voxels.VoxelSource("train", config.conditional), config, device)


def feature_accuracy(D: VoxelDiscriminator, train: voxels.VoxelSet, test: voxels.VoxelSet) -> float:
    """Held-out accuracy of a linear classifier (logistic regression on standardised features) trained on
    ``D``'s features of the ``train`` shapes and their classes: what D has learned about shape without labels."""
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    with players.inference(D):
        x_train, x_test = (torch.cat([D.features(grids[i:i + 250]) for i in range(0, len(grids), 250)]).numpy()
                           for grids in (train.occupancy, test.occupancy))
    model = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000))
    model.fit(x_train, train.labels.numpy())
    return float(np.mean(model.predict(x_test) == test.labels.numpy()))


def shape_scores(made: Tensor, asked: Tensor | None = None) -> dict[str, Any]:
    """Classes, nearest-training-shape IoU and occupancy of shapes ``made`` ``(n, 1, 32, 32, 32)``, read
    binarised at 0.5:

    - ``classes_present``, ``class_tv`` and ``share_<class>``: what the classifier names them;
    - ``nearest_iou`` (mean) and ``nearest_iou_max`` against the training shapes, and ``nearest_iou_<class>``,
      the mean among the shapes named as each class (nan where none): how near a real solid of its kind
      each kind comes; ``occupancy``;
    - with the classes ``asked`` of them, how often the classifier reads the asked class (``accuracy``,
      ``accuracy_<class>``)."""
    train = voxels.world("train")
    classes = voxel_classifier.classify(voxel_classifier.shipped(), made)
    asked_for = {} if asked is None else voxel_classifier.agreement(classes, asked)
    cover = measures.coverage(classes, len(voxels.CLASSES))
    nearest = measures.nearest_iou(made, train.occupancy)
    return {"classes_present": cover["present"], "class_tv": cover["tv"],
            **{f"share_{c}": s for c, s in zip(voxels.CLASSES, cover["shares"])},
            "nearest_iou": float(nearest.mean()), "nearest_iou_max": float(nearest.max()),
            **{f"nearest_iou_{c}": float(nearest[classes == k].mean()) for k, c in enumerate(voxels.CLASSES)},
            "occupancy": float((made > 0.5).float().mean()), **asked_for}


def table(rows: dict[str, dict[str, Any]]) -> "pd.DataFrame":
    """The chapter's table: one row per model (``{label: scores}``, as :func:`shape_scores` or
    :func:`evaluate` give them), a column per measure, shares per class in the class's columns; a measure a
    model has no number for (the asked class of an unconditional G) is NaN."""
    import pandas as pd

    columns = {"classes_present": "classes", "class_tv": "class TV",
               **{f"share_{c}": f"share {c}" for c in voxels.CLASSES},
               "nearest_iou": "nearest IoU", "nearest_iou_max": "nearest IoU max",
               **{f"nearest_iou_{c}": f"nearest IoU {c}" for c in voxels.CLASSES}, "occupancy": "occupancy",
               "accuracy": "asked class read", **{f"accuracy_{c}": f"asked {c} read" for c in voxels.CLASSES},
               "d_feature_accuracy": "D-feature accuracy"}
    frame = pd.DataFrame({label: {name: scores.get(key, float("nan")) for key, name in columns.items()}
                          for label, scores in rows.items()}).T
    return frame.astype(float).round(3)


def asked_and_read(made: Tensor, asked: Tensor) -> "pd.DataFrame":
    """For each class asked of a generator (rows), the share of its shapes ``made`` that the classifier reads
    as each class (columns): the diagonal is the per-class accuracy, the rest says what G drew instead."""
    import pandas as pd

    from ..metrics.clusters import confusion

    k = len(voxels.CLASSES)
    counts = confusion(asked, voxel_classifier.classify(voxel_classifier.shipped(), made), k, k)
    shares = counts / np.maximum(counts.sum(1, keepdims=True), 1)
    return pd.DataFrame(shares, index=[f"asked {c}" for c in voxels.CLASSES],
                        columns=[f"read {c}" for c in voxels.CLASSES]).round(3)


def samples(trainer: Trainer, config: VoxelGANConfig) -> tuple[Tensor, Tensor | None]:
    """The ``eval_samples`` shapes every measurement reads, and the classes they were asked for (in turn, for
    a class-conditional G; None otherwise): ``(made, asked)``."""
    asked = trainer.game.conditions(config.eval_samples)
    return trainer.generate(config.eval_samples, seed=config.seed + 20, condition=asked), asked


def evaluate(trainer: Trainer, config: VoxelGANConfig) -> dict[str, Any]:
    """:func:`shape_scores` of :func:`samples`, and D's feature accuracy."""
    return {**shape_scores(*samples(trainer, config)),
            "d_feature_accuracy": feature_accuracy(trainer.game.D, voxels.world("train"), voxels.world("test"))}


def reference() -> dict[str, Any]:
    """:func:`shape_scores` of the held-out real shapes (asked for their own classes): the row every model is
    read beside (computed once per process; a fresh dict each call)."""
    return dict(_reference())


@lru_cache(maxsize=1)
def _reference() -> dict[str, Any]:
    test = voxels.world("test")
    return shape_scores(test.occupancy, test.labels)


def untrained_feature_accuracy(config: VoxelGANConfig) -> float:
    """The linear classifier on the features of a D with the run's seed but no training: the floor that
    shows what training added."""
    torch.manual_seed(config.seed)
    return feature_accuracy(networks(config)[1], voxels.world("train"), voxels.world("test"))


def interpolate(trainer: Trainer, steps: int = 9, seed: int = 3, kind: int = 0) -> Tensor:
    """``steps`` shapes on the straight line between two latents drawn from ``seed`` (a class-conditional G
    is asked for class ``kind`` all along): ``(steps, 1, 32, 32, 32)``."""
    ends = torch.randn(2, trainer.game.G.latent_dim, generator=torch.Generator().manual_seed(seed))
    t = torch.linspace(0, 1, steps)[:, None]
    asked = torch.full((steps,), kind) if trainer.game.G.n_classes else None
    return trainer.generate(steps, z=(1 - t) * ends[0] + t * ends[1], condition=asked)


def interpolations(trainer: Trainer, seeds: tuple[int, ...] = (3, 4, 5), steps: int = 9,
                   kinds: tuple[int, ...] | None = None) -> list[Tensor]:
    """:func:`interpolate` for each of ``seeds`` (and, for a conditional G, the matching class of ``kinds``),
    regrouped by step: ``steps`` tensors, the ``i``-th holding every path's ``i``-th shape
    ``(len(seeds), 1, 32, 32, 32)`` (a slider's frames)."""
    kinds = (0,) * len(seeds) if kinds is None else kinds
    if len(kinds) != len(seeds):
        raise ValueError(f"interpolations: {len(seeds)} seeds but {len(kinds)} kinds; give one class per path")
    paths = torch.stack([interpolate(trainer, steps, seed, kind) for seed, kind in zip(seeds, kinds)], 1)
    return list(paths)


Config = VoxelGANConfig
