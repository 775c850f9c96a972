"""Image metrics on cases with a known answer (chapter 6), and the shipped classifier."""

import json
import math

import numpy as np
import pytest
import torch
from scipy import linalg

from ganbook import metrics
from ganbook.experiments import digits
from ganbook.metrics.instruments import digit_classifier as classifier
from ganbook.metrics.features import digit_space, feature_space


def gaussian(n, d, shift=0.0, scale=1.0, seed=0):
    g = torch.Generator().manual_seed(seed)
    return torch.randn(n, d, generator=g, dtype=torch.float64) * scale + shift


def test_frechet_matches_the_textbook_formula_with_scipy_sqrtm():
    a, b = gaussian(400, 6, seed=1) @ gaussian(6, 6, seed=2), gaussian(300, 6, 1.0, 2.0, seed=3)
    xa, xb = a.numpy(), b.numpy()
    ca, cb = np.cov(xa, rowvar=False), np.cov(xb, rowvar=False)
    naive = ((xa.mean(0) - xb.mean(0)) ** 2).sum() + np.trace(ca + cb - 2 * linalg.sqrtm(ca @ cb).real)
    assert metrics.frechet_distance(a, b) == pytest.approx(naive, rel=1e-9)


def test_frechet_of_two_known_gaussians():
    # N(0, I) vs N(m, 4I) in d dims: |m|^2 + d (1 + 4 - 2*2) = d m^2 + d
    d, m = 4, 1.5
    a, b = gaussian(200_000, d, seed=4), gaussian(200_000, d, m, 2.0, seed=5)
    assert metrics.frechet_distance(a, b) == pytest.approx(d * m**2 + d, rel=0.01)


def test_set_against_itself_scores_zero():
    f = gaussian(500, 8)
    assert metrics.frechet_distance(f, f) == pytest.approx(0.0, abs=1e-8)
    shifted, _ = metrics.kid(f, f + 0.5, subsets=5, subset_size=500)
    assert abs(metrics.kid(f, f, subsets=5, subset_size=500)[0]) < 0.05 * shifted
    assert metrics.precision_recall(f, f) == (1.0, 1.0)


def test_frechet_stays_finite_with_singular_covariance():
    f = gaussian(300, 5)
    f[:, 0] = 0  # a dead feature
    g = gaussian(300, 5, 0.3, seed=9)
    g[:, 0] = 0
    value = metrics.frechet_distance(f, g)
    assert math.isfinite(value) and value > 0


def test_kid_is_unbiased_and_grows_with_a_shift():
    a, b = gaussian(1000, 16, seed=1), gaussian(1000, 16, seed=2)
    same, _ = metrics.kid(a, b, subsets=20, subset_size=500)
    shifted, _ = metrics.kid(a, gaussian(1000, 16, 0.5, seed=3), subsets=20, subset_size=500)
    assert abs(same) < 0.01 < shifted


def test_kid_matches_a_direct_double_loop():
    a, b = gaussian(12, 3, seed=1), gaussian(12, 3, 0.5, seed=2)
    k = lambda x, y: (float(x @ y) / 3 + 1) ** 3
    m = 12
    kaa = sum(k(a[i], a[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    kbb = sum(k(b[i], b[j]) for i in range(m) for j in range(m) if i != j) / (m * (m - 1))
    kab = sum(k(a[i], b[j]) for i in range(m) for j in range(m)) / m**2
    mean, std = metrics.kid(a, b, subsets=3, subset_size=12)  # full sets, just permuted
    assert mean == pytest.approx(kaa + kbb - 2 * kab, rel=1e-9) and std == pytest.approx(0, abs=1e-9)


def test_precision_recall_of_a_collapsed_set():
    real = gaussian(1000, 2)
    collapsed = gaussian(1000, 2, scale=0.05, seed=7)  # all near one point of the real cloud
    precision, recall = metrics.precision_recall(real, collapsed)
    assert precision > 0.95 and recall < 0.1


def test_precision_recall_with_the_real_radii_given_and_the_naive_kth_neighbour():
    from ganbook.metrics.images import kth_neighbour_radius

    real, fake = gaussian(300, 3), gaussian(200, 3, 0.5, seed=4)
    radii = kth_neighbour_radius(real, 3)
    naive = torch.tensor([sorted(float((real[i] - real[j]).norm()) for j in range(300) if j != i)[2] for i in range(300)],
                         dtype=torch.float64)
    torch.testing.assert_close(radii, naive, rtol=1e-4, atol=1e-5)
    assert metrics.precision_recall(real, fake, 3, radii) == metrics.precision_recall(real, fake, 3)


def test_precision_of_a_shifted_set_drops():
    real = gaussian(1000, 2)
    precision, _ = metrics.precision_recall(real, gaussian(1000, 2, 6.0, seed=3))
    assert precision == 0.0


def test_class_report_and_cluster_accuracy():
    report = metrics.class_report(torch.tensor([3] * 98 + [1, 2]))
    assert report.covered == 1 and report.counts[3] == 98
    uniform = metrics.class_report(torch.arange(10).repeat(10))
    assert uniform.covered == 10 and uniform.kl_to_uniform == pytest.approx(0.0, abs=1e-12)
    one = metrics.class_report(torch.zeros(50, dtype=torch.long))
    assert one.kl_to_uniform == pytest.approx(math.log(10))
    labels = torch.arange(10).repeat(5)
    renamed = (labels + 3) % 10
    accuracy, mapping = metrics.cluster_accuracy(renamed, labels)
    assert accuracy == 1.0 and mapping[3] == 0
    half = renamed.clone()
    half[:25] = 0  # the first half all in cluster 0 (which is digit 7's): 22 right in the second half
    assert metrics.cluster_accuracy(half, labels)[0] == pytest.approx((22 + 5) / 50)  # + five 7s in cluster 0


def test_nearest_neighbour_distance():
    ref = torch.zeros(3, 1, 2, 2)
    ref[1] += 1
    q = torch.zeros(2, 1, 2, 2)
    q[1] += 3
    assert metrics.nearest_neighbour_distance(q, ref).tolist() == pytest.approx([0.0, 4.0])
    with pytest.raises(ValueError, match="pixels"):
        metrics.nearest_neighbour_distance(q, torch.zeros(3, 5))


def test_shapes_are_checked():
    with pytest.raises(ValueError, match="same d"):
        metrics.frechet_distance(torch.zeros(5, 3), torch.zeros(5, 4))
    with pytest.raises(ValueError, match=r"\(n, 1, 28, 28\)"):
        digits.measure(torch.zeros(4, 784))


def test_shipped_classifier_is_accurate_and_matches_its_manifest():
    manifest = json.loads(classifier.SHIPPED.with_suffix(".json").read_text())
    test = digits.reference().test
    accuracy = classifier.accuracy(classifier.shipped(), test.images, test.labels)
    assert accuracy >= 0.97
    assert accuracy == pytest.approx(manifest["metrics"]["test_accuracy"])
    assert classifier.SHIPPED.stat().st_size < 1_000_000


def test_digit_measures_on_known_cases():
    ref = digits.reference()
    held_out = digits.measure(ref.test.images[::2], kid_subsets=5)  # every class (the files are sorted by class)
    shifted = digits.measure(torch.roll(ref.test.images[::2], 3, dims=3), kid_subsets=5)
    ones = ref.train.images[ref.train.labels == 1][:400]
    collapsed = digits.measure(ones, kid_subsets=5)
    copies = digits.measure(ref.train.images[::8], kid_subsets=5)
    assert held_out["fd"] < 20 < shifted["fd"] and held_out["kid"] < shifted["kid"]
    assert held_out["classes"] == 10 and collapsed["classes"] == 1
    assert collapsed["recall"] < 0.2 < held_out["recall"]
    assert copies["nn_median"] < 1e-4 < 1 < held_out["nn_median"]


def test_feature_space_falls_back_to_digits_with_a_note(monkeypatch):
    import ganbook.metrics.features as features

    def unavailable():
        raise RuntimeError("torchmetrics not installed; pytorch-fid not installed")

    monkeypatch.setattr(features, "inception_space", unavailable)
    space = feature_space("auto")
    assert "digit-classifier" in space.name and "not FID" in space.note
    with pytest.raises(RuntimeError, match="kind='digits'"):
        feature_space("inception")
    with pytest.raises(ValueError, match="unknown feature space"):
        feature_space("pixels")
    assert digit_space()(digits.reference().test.images[:3]).shape == (3, 64)


def test_cluster_accuracy_with_more_clusters_than_classes_is_many_to_one():
    labels = torch.arange(10).repeat(4)  # 40 items
    clusters = labels * 2 + torch.arange(40) // 10 % 2  # every digit split over two of 20 clusters
    accuracy, mapping = metrics.cluster_accuracy(clusters, labels, n_clusters=20)
    assert accuracy == 1.0 and mapping[6] == 3 and mapping[7] == 3
    merged = clusters.clone()
    merged[labels == 9] = 0  # the four 9s join the two 0s of cluster 0
    accuracy, mapping = metrics.cluster_accuracy(merged, labels, n_clusters=20)
    assert mapping[0] == 9 and mapping[1] == 0 and accuracy == pytest.approx(38 / 40)  # those two 0s are lost
    with pytest.raises(ValueError, match="at least as many clusters as classes"):
        metrics.cluster_accuracy(labels, labels, n_clusters=5)
