"""Spectral normalisation through PyTorch's parametrisation, measured by SVD."""

import numpy as np
import pytest
import torch
from torch import nn

from ganbook import spectral
from ganbook.models import MLPDiscriminator


def test_before_is_the_raw_weights_svd_and_after_reaches_one():
    torch.manual_seed(0)
    D = MLPDiscriminator(20, (32, 16))
    raw = [np.linalg.svd(layer.weight.detach().numpy(), compute_uv=False)[0] for _, layer in spectral.layers(D)]
    spectral.spectrally_normalise(D)
    D.train()
    for _ in range(30):  # one power iteration per training-mode forward pass
        D(torch.randn(8, 20))
    rows = spectral.singular_values(D)
    assert [r["layer"] for r in rows] == ["net.0", "net.2", "net.4"]
    assert [r["before"] for r in rows] == pytest.approx(raw, rel=1e-5)
    assert all(r["before"] != pytest.approx(1.0, abs=0.05) for r in rows)  # the raw weights are not normalised
    assert [r["after"] for r in rows] == pytest.approx([1.0, 1.0, 1.0], abs=0.01)


def test_measuring_runs_no_power_iteration():
    D = spectral.spectrally_normalise(MLPDiscriminator(10, (8,)))
    D.train()
    u = D.net[0].parametrizations.weight[0]._u.clone()
    spectral.singular_values(D)
    assert torch.equal(u, D.net[0].parametrizations.weight[0]._u) and D.training


def test_the_lipschitz_bound_bounds_the_slope():
    torch.manual_seed(1)
    D = MLPDiscriminator(5, (64, 64))
    x = torch.randn(2000, 5, requires_grad=True)
    (grad,) = torch.autograd.grad(D(x).sum(), x)
    bound = spectral.lipschitz_bound(D)
    assert grad.norm(dim=1).max().item() <= bound
    expected = np.prod([np.linalg.norm(layer.weight.detach().numpy(), 2) for _, layer in spectral.layers(D)])
    assert bound == pytest.approx(expected, rel=1e-5)


def test_convolutions_are_normalised_as_reshaped_matrices():
    torch.manual_seed(2)
    net = spectral.spectrally_normalise(nn.Sequential(nn.Conv2d(3, 8, 3), nn.LeakyReLU(0.2), nn.Conv2d(8, 4, 3)))
    net.train()
    for _ in range(30):
        net(torch.randn(2, 3, 9, 9))
    assert [r["after"] for r in spectral.singular_values(net)] == pytest.approx([1.0, 1.0], abs=0.01)
    with pytest.raises(ValueError, match="ReLU has no linear or convolutional layer"):
        spectral.spectrally_normalise(nn.ReLU())


def test_sn_digits_normalises_only_the_variants_that_ask():
    from ganbook.experiments import sn_digits
    from torch.nn.utils import parametrize

    config = sn_digits.Config.for_profile("smoke")
    table = sn_digits.variants(config)
    assert [c.label for c in table] == ["bce", "least-squares", "hinge", "bce + SN", "least-squares + SN", "hinge + SN"]
    for c in (table[0], table[3]):
        D = sn_digits.build(c).D
        assert all(parametrize.is_parametrized(m, "weight") == c.spectral_norm for _, m in spectral.layers(D))
        assert not any(isinstance(m, nn.BatchNorm2d) for m in D.modules())  # no variant's D has batch norm
    with pytest.raises(ValueError, match="unknown objective 'wgan': choose one of bce, least-squares, hinge"):
        sn_digits.Config.for_profile("smoke", objective="wgan")
