"""Real digits offline: fixed, balanced, disjoint splits in [-1, 1]; a clear error for downloads."""

import pytest
import torch

from ganbook.data import load, mnist5k, torchvision_set, uci_digits
from ganbook.errors import DataError


def test_mnist5k_split_is_fixed_balanced_and_disjoint():
    train, test = mnist5k("train"), mnist5k("test")
    assert train.images.shape == (4000, 1, 28, 28) and test.images.shape == (1000, 1, 28, 28)
    assert torch.bincount(train.labels).tolist() == [400] * 10
    assert torch.bincount(test.labels).tolist() == [100] * 10
    assert train.images.min().item() == -1.0 and train.images.max().item() == 1.0
    # no test image appears in the training split
    flat_train = {tuple(x.flatten().tolist()) for x in train.images[:: 1]}
    assert not any(tuple(x.flatten().tolist()) in flat_train for x in test.images[:200])
    assert torch.equal(mnist5k("train").images[:5], train.images[:5])


def test_uci_digits_domain():
    train, test = uci_digits("train"), uci_digits("test")
    assert train.images.shape[1:] == (1, 8, 8) and len(train) + len(test) == 1797
    assert -1.0 <= train.images.min().item() and train.images.max().item() <= 1.0


def test_batches_by_index_are_seeded_and_paired():
    s = mnist5k("test")
    (a, la), (b, lb) = [(d.x, d.c) for d in (s.labelled(16, torch.Generator().manual_seed(1)) for _ in range(2))]
    assert torch.equal(a, b) and torch.equal(la, lb) and a.shape == (16, 1, 28, 28)
    assert torch.equal(s.sample(16, torch.Generator().manual_seed(1)), a)


def test_unknown_split_and_failed_download_are_one_line_errors(monkeypatch):
    with pytest.raises(DataError, match="use one of train, test, all"):
        mnist5k("val")
    from torchvision import datasets

    def offline(*args, **kwargs):
        raise RuntimeError("Error downloading train-images-idx3-ubyte.gz")

    monkeypatch.setattr(datasets, "MNIST", offline)
    with pytest.raises(DataError) as err:
        torchvision_set("mnist")
    assert "mnist5k" in str(err.value) and "\n" not in str(err.value)


def test_catalog_loads_offline_digits():
    assert len(load("mnist5k")) == 4000 and len(load("uci-digits")) == 1438
