"""The FCN-score (pix2pix's Cityscapes evaluation) and the shipped segmenter that it reads with."""

import numpy as np
import pytest
import torch
from sklearn.metrics import accuracy_score, balanced_accuracy_score, confusion_matrix, jaccard_score

from ganbook.data import shapes
from ganbook.metrics import fcn, robustness
from ganbook.metrics.instruments import segmenter
from ganbook.models.segmenter import CLASSES, Segmenter


def pix2pix_scores(labels, predicted, n):
    """The authors' evaluation written out naively: fast_hist per image, summed; then get_scores' three numbers."""
    hist = np.zeros((n, n))
    for a, b in zip(labels, predicted):
        a, b = a.ravel(), b.ravel()
        k = (a >= 0) & (a < n)
        hist += np.bincount(n * a[k].astype(int) + b[k], minlength=n ** 2).reshape(n, n)
    with np.errstate(divide="ignore", invalid="ignore"):
        acc = np.diag(hist).sum() / hist.sum()
        cl_acc = np.diag(hist) / hist.sum(1)
        iu = np.diag(hist) / (hist.sum(1) + hist.sum(0) - np.diag(hist))
    return acc, np.nanmean(cl_acc), np.nanmean(iu)


@pytest.fixture
def pair():
    rng = np.random.default_rng(0)
    labels = rng.choice(4, size=(20, 8, 8), p=[0.6, 0.2, 0.15, 0.05])  # class 4 never occurs
    predicted = np.where(rng.random(labels.shape) < 0.7, labels, rng.integers(0, 4, labels.shape))
    return labels, predicted


def test_fcn_scores_match_the_authors_formula_and_scikit_learn(pair):
    labels, predicted = pair
    got = fcn.scores(fcn.confusion(torch.from_numpy(labels), torch.from_numpy(predicted), 5))
    acc, cl_acc, iu = pix2pix_scores(labels, predicted, 5)
    assert got["pixel_accuracy"] == pytest.approx(acc) and got["class_accuracy"] == pytest.approx(cl_acc)
    assert got["class_iou"] == pytest.approx(iu)
    y, p = labels.ravel(), predicted.ravel()
    assert (fcn.confusion(torch.from_numpy(labels), torch.from_numpy(predicted), 5).numpy()
            == confusion_matrix(y, p, labels=range(5))).all()
    assert got["pixel_accuracy"] == pytest.approx(accuracy_score(y, p))
    assert got["class_accuracy"] == pytest.approx(balanced_accuracy_score(y, p))
    assert got["class_iou"] == pytest.approx(jaccard_score(y, p, labels=range(4), average="macro"))
    assert np.isnan(got["iou/4"]) and 0.5 < got["pixel_accuracy"] < 0.9  # an absent class is left out


def test_fcn_score_counts_every_pixel_once_whatever_the_batch(pair):
    labels, predicted = (torch.from_numpy(a) for a in pair)
    logits = torch.nn.functional.one_hot(predicted, 5).permute(0, 3, 1, 2).float()
    images = torch.arange(len(labels)).float()[:, None, None, None].expand(-1, 3, 8, 8)
    segment = lambda x: logits[x[:, 0, 0, 0].long()]  # noqa: E731  (looks its image up by index)
    whole, batched = fcn.fcn_score(segment, images, labels, 5), fcn.fcn_score(segment, images, labels, 5, batch=3)
    assert whole == pytest.approx(batched, nan_ok=True)
    assert whole["pixel_accuracy"] == pytest.approx(pix2pix_scores(pair[0], pair[1], 5)[0])
    with pytest.raises(ValueError, match="same number of pixels"):
        fcn.confusion(labels, predicted[:2], 5)


def test_segmenter_labels_every_pixel_and_says_what_it_expects():
    model = Segmenter(4)
    assert model(torch.zeros(2, 3, 32, 32)).shape == (2, len(CLASSES), 32, 32)
    assert model.features(torch.zeros(2, 3, 32, 32)).shape == (2, 16)
    with pytest.raises(ValueError, match=r"\(n, 3, H, W\)"):
        model(torch.zeros(2, 1, 32, 32))


def test_the_robustness_table_takes_an_instruments_own_score():
    images = torch.zeros(6, 3, 8, 8)
    truth = {"map": torch.zeros(6, 8, 8, dtype=torch.long)}
    rows = robustness.table(lambda x: {"map": (x[:, 0] > 0.05).long()}, lambda x: x.flatten(1)[:, :4], images,
                            truth, torch.randn(50, 4), score=lambda got, want: {"zeros": float((got["map"] == 0).float().mean())})
    by = {r["condition"]: r for r in rows}
    assert by["clean"]["zeros"] == 1.0 and by["blur 3x3"]["zeros"] == 1.0
    assert 0.5 < by["noise 0.1"]["zeros"] < 0.8  # about 69% of N(0, 0.1) draws fall below 0.05


def test_the_shipped_segmenter_reads_held_out_scenes_clean_and_degraded():
    from ganbook import checkpoints

    model = segmenter.shipped()
    manifest = checkpoints.read_manifest(segmenter.SHIPPED)
    assert manifest["metrics"]["pixel_accuracy"] >= 0.98 and manifest["metrics"]["class_iou"] >= 0.90
    assert robustness.worst(manifest["robustness"], "pixel_accuracy") >= 0.95
    test = shapes.world("test")
    images, maps = test.images[:500], test.maps[:500]
    clean = segmenter.score(model, images, maps)
    assert clean["pixel_accuracy"] >= 0.98 and clean["class_iou"] >= 0.90
    rng = torch.Generator().manual_seed(0)
    for name in ("noise 0.1", "blur 3x3"):
        assert segmenter.score(model, robustness.degrade(images, name, rng), maps)["pixel_accuracy"] >= 0.95, name
    assert SIZE_LIMIT > segmenter.SHIPPED.stat().st_size


SIZE_LIMIT = 1_000_000  # bytes: an instrument ships under 1 MB
