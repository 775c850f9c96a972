"""The instruments' robustness tables: degradations checked against naive versions, and the shipped bars."""

import numpy as np
import pytest
import scipy.ndimage
import torch

from ganbook import checkpoints
from ganbook.data import shapes
from ganbook.metrics.instruments import digit_classifier, shape_reader
from ganbook.metrics import robustness


def test_box_blur_is_scipys_uniform_filter_with_mirrored_borders():
    x = torch.randn(2, 3, 9, 7)
    naive = scipy.ndimage.uniform_filter(x.numpy(), size=(1, 1, 3, 3), mode="mirror")
    assert np.allclose(robustness.box_blur(x).numpy(), naive, atol=1e-6)


def test_noise_has_its_std_and_stays_in_range():
    x = torch.zeros(4, 3, 32, 32)
    noisy = robustness.degrade(x, "noise 0.1", torch.Generator().manual_seed(0))
    assert noisy.std().item() == pytest.approx(0.1, rel=0.03)
    assert robustness.degrade(torch.ones(2, 3, 8, 8), "noise 0.1", torch.Generator()).max() <= 1.0
    with pytest.raises(ValueError, match="choose one of clean"):
        robustness.degrade(x, "jpeg", torch.Generator())


def test_random_degradation_is_seeded_and_leaves_some_images_untouched():
    x = shapes.scenes(64, seed=3).images
    a = robustness.random_degradation(x, torch.Generator().manual_seed(1))
    b = robustness.random_degradation(x, torch.Generator().manual_seed(1))
    assert torch.equal(a, b)
    unchanged = (a == x).flatten(1).all(1).float().mean().item()
    assert 0.05 < unchanged < 0.5  # (1 - 0.4) * (1 - 0.6) = 0.24 expected


def test_table_reads_each_condition_with_a_known_reader():
    x = torch.zeros(10, 1, 4, 4)
    x[5:] = 0.5
    truth = {"bright": (torch.arange(10) >= 5).long()}

    def read(images):  # a thresholding "instrument": right on every condition that keeps means apart
        return {"bright": (images.mean((1, 2, 3)) > 0.25).long()}

    rows = robustness.table(read, lambda im: im.flatten(1)[:, :2], x, truth, x.flatten(1)[:, :2],
                            extra={"flipped": (x.flip(0), truth)})
    assert [r["condition"] for r in rows] == list(robustness.DEGRADATIONS) + ["flipped"]
    assert rows[0]["bright_accuracy"] == 1.0 and rows[0]["fd"] == pytest.approx(0.0, abs=1e-6)
    assert rows[-1]["bright_accuracy"] == 0.0
    assert robustness.worst(rows, "bright_accuracy") == 1.0


def test_the_shipped_reader_reads_degraded_scenes_as_its_manifest_says():
    manifest = checkpoints.read_manifest(shape_reader.SHIPPED)
    rows = shape_reader.robustness(shape_reader.shipped(), shapes.world("test"))
    assert [r["condition"] for r in rows] == [r["condition"] for r in manifest["robustness"]]
    for got, want in zip(rows, manifest["robustness"]):
        for key in ("shape_accuracy", "hue_accuracy", "background_accuracy"):
            assert got[key] == pytest.approx(want[key], abs=2e-3), (got["condition"], key)
        assert got["fd"] == pytest.approx(want["fd"], rel=0.02, abs=0.05), got["condition"]
    for key in ("shape_accuracy", "hue_accuracy"):
        assert robustness.worst(rows, key) >= 0.95, key  # the bar: every degradation read at 0.95 or better
    fd = {r["condition"]: r["fd"] for r in rows}
    assert 10 * max(fd[k] for k in robustness.DEGRADATIONS) < fd["circles only"]  # content moves FD, noise little
    assert [r["shape_accuracy"] for r in rows if r["condition"] == "wrong shape"][0] >= 0.95


def test_the_digit_classifier_reads_degraded_digits():
    rows = digit_classifier.robustness(digit_classifier.shipped())
    assert rows[0]["condition"] == "clean" and rows[0]["digit_accuracy"] == pytest.approx(0.987, abs=1e-3)
    assert robustness.worst(rows, "digit_accuracy") >= 0.95
