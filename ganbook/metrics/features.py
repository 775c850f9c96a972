"""Feature spaces for image metrics: the shipped digit classifier, or Inception-v3.

FID proper is the Frechet distance in Inception-v3's 2,048-d pool features
(Heusel et al., 2017). Those weights are a download, so offline the book
measures digits in the 64-d feature layer of its own digit classifier
(:mod:`ganbook.metrics.instruments.digit_classifier`; the shape world's reader
has its own, :func:`ganbook.metrics.instruments.shape_reader.space`). :func:`feature_space` picks Inception
when torchmetrics (or pytorch-fid) can load its weights and says so when it
cannot; numbers from the two spaces are not comparable.
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import Tensor

from .spaces import Extract, FeatureSpace

__all__ = ["Extract", "FeatureSpace", "digit_space", "feature_space", "inception_space"]


def digit_space() -> FeatureSpace:
    """The 64-d penultimate layer of the shipped digit classifier (28x28 one-channel digits)."""
    from .instruments.digit_classifier import shipped

    model = shipped()
    return FeatureSpace("digit-classifier features (64-d)", lambda x: model.features(x.cpu().float()))


def _to_unit_rgb(x: Tensor) -> Tensor:
    """``(n, C, H, W)`` in [-1, 1] -> ``(n, 3, H, W)`` in [0, 1] (grey images repeated)."""
    x = (x.float().clamp(-1, 1) + 1) / 2
    return x.expand(-1, 3, -1, -1) if x.shape[1] == 1 else x


def _torchmetrics_inception() -> Extract:
    from torchmetrics.image.fid import NoTrainInceptionV3  # needs torch-fidelity's weights

    net = NoTrainInceptionV3(name="inception-v3-compat", features_list=["2048"]).eval()
    return lambda x: net((_to_unit_rgb(x) * 255).to(torch.uint8)).reshape(len(x), -1).double()


def _pytorch_fid_inception() -> Extract:
    from pytorch_fid.inception import InceptionV3

    net = InceptionV3([InceptionV3.BLOCK_INDEX_BY_DIM[2048]]).eval()
    return lambda x: net(F.interpolate(_to_unit_rgb(x), size=(299, 299), mode="bilinear"))[0].flatten(1)


def inception_space() -> FeatureSpace:
    """Inception-v3 pool features (2,048-d): true FID. Raises ``RuntimeError`` when unavailable."""
    reasons = []
    for name, make in (("torchmetrics", _torchmetrics_inception), ("pytorch-fid", _pytorch_fid_inception)):
        try:
            return FeatureSpace(f"Inception-v3 pool features (2048-d, via {name}): FID", make())
        except ImportError:
            reasons.append(f"{name} not installed")
        except Exception as err:  # noqa: BLE001 - a failed weight download can raise many types
            reasons.append(f"{name} could not load its weights ({type(err).__name__})")
    raise RuntimeError("; ".join(reasons))


def feature_space(kind: str = "auto") -> FeatureSpace:
    """``"digits"``, ``"inception"``, or ``"auto"``: Inception when it loads, else digits, with a note why."""
    if kind == "digits":
        return digit_space()
    if kind == "inception":
        try:
            return inception_space()
        except RuntimeError as err:
            raise RuntimeError(f"Inception-v3 features unavailable ({err}): "
                               "pip install torchmetrics[image] with a network once, or use kind='digits'") from None
    if kind != "auto":
        raise ValueError(f"unknown feature space {kind!r}: use 'auto', 'digits' or 'inception'")
    try:
        return inception_space()
    except RuntimeError as err:
        space = digit_space()
        note = f"Inception-v3 unavailable ({err}): using the {space.name}, so this is not FID"
        return FeatureSpace(space.name, space.extract, note)
