"""Losses equal hand computations and the naive probability formulas."""

import math

import pytest
import torch

from ganbook import losses

REAL = torch.tensor([2.0, -1.0, 0.0])
FAKE = torch.tensor([-3.0, 0.5])


def sig(x: float) -> float:
    return 1 / (1 + math.exp(-x))


def test_d_loss_bce_by_hand():
    # -mean(log D(real)) - mean(log(1 - D(fake))), written out term by term
    real = -(math.log(sig(2.0)) + math.log(sig(-1.0)) + math.log(sig(0.0))) / 3
    fake = -(math.log(1 - sig(-3.0)) + math.log(1 - sig(0.5))) / 2
    assert losses.d_loss_bce(REAL, FAKE).item() == pytest.approx(real + fake, rel=1e-6)


def test_generator_losses_by_hand():
    sat = (math.log(1 - sig(-3.0)) + math.log(1 - sig(0.5))) / 2
    nonsat = -(math.log(sig(-3.0)) + math.log(sig(0.5))) / 2
    assert losses.g_loss_saturating(FAKE).item() == pytest.approx(sat, rel=1e-6)
    assert losses.g_loss_nonsaturating(FAKE).item() == pytest.approx(nonsat, rel=1e-6)


def test_losses_match_naive_formula_on_random_logits():
    g = torch.Generator().manual_seed(0)
    r, f = torch.randn(1000, generator=g, dtype=torch.float64) * 3, torch.randn(1000, generator=g, dtype=torch.float64) * 3
    naive_d = -(torch.log(torch.sigmoid(r)).mean() + torch.log(1 - torch.sigmoid(f)).mean())
    assert torch.allclose(losses.d_loss_bce(r, f), naive_d)
    assert torch.allclose(losses.g_loss_nonsaturating(f), -torch.log(torch.sigmoid(f)).mean())
    assert torch.allclose(losses.g_loss_saturating(f), torch.log(1 - torch.sigmoid(f)).mean())
    assert torch.allclose(losses.value_function(r, f), -naive_d)


def test_losses_stay_finite_where_naive_formula_breaks():
    fake = torch.tensor([-200.0])  # sigmoid rounds to 0 in float32: log(0) = -inf
    assert torch.isinf(torch.log(torch.sigmoid(fake))).all()
    assert losses.g_loss_nonsaturating(fake).item() == pytest.approx(200.0)


def test_saturating_gradient_vanishes_nonsaturating_does_not():
    fake = torch.tensor([-8.0], requires_grad=True)
    (g_sat,) = torch.autograd.grad(losses.g_loss_saturating(fake), fake)
    (g_non,) = torch.autograd.grad(losses.g_loss_nonsaturating(fake), fake)
    assert abs(g_sat.item()) < 1e-3  # -sigmoid(-8) = -0.000335
    assert g_non.item() == pytest.approx(-1.0, abs=1e-3)


def test_as_logits_rejects_wrong_shape():
    for shape in [(4, 3), (4, 1, 5), (4, 2, 3, 3)]:
        with pytest.raises(ValueError, match=r"one number per sample"):
            losses.as_logits(torch.zeros(shape))


def test_patch_logits_score_every_patch_of_every_sample():
    patches = torch.tensor([[[[2.0, -1.0], [0.0, 3.0]]], [[[-2.0, 1.0], [0.5, -0.5]]]])  # (2, 1, 2, 2)
    flat = losses.as_logits(patches)
    assert flat.shape == (8,)
    naive = sum(math.log(1 + math.exp(-v)) for v in patches.flatten().tolist()) / 8  # -log sigmoid per patch
    assert float(losses.g_loss_nonsaturating(flat)) == pytest.approx(naive, rel=1e-6)


def test_label_smoothing_by_hand_and_default_unchanged():
    a = 0.9
    real = -sum(a * math.log(sig(l)) + (1 - a) * math.log(1 - sig(l)) for l in (2.0, -1.0, 0.0)) / 3
    fake = -(math.log(1 - sig(-3.0)) + math.log(1 - sig(0.5))) / 2
    assert losses.d_loss_bce(REAL, FAKE, real_label=a).item() == pytest.approx(real + fake, rel=1e-6)
    assert losses.d_loss_bce(REAL, FAKE, real_label=1.0).item() == pytest.approx(losses.d_loss_bce(REAL, FAKE).item())


def test_wasserstein_hinge_least_squares_by_hand():
    # real scores 2, -1, 0 (mean 1/3); fake scores -3, 0.5 (mean -1.25)
    assert losses.d_loss_wasserstein(REAL, FAKE).item() == pytest.approx(-1.25 - 1 / 3)
    assert losses.g_loss_wasserstein(FAKE).item() == pytest.approx(1.25)
    # hinge: max(0, 1 - r) = 0, 2, 1 -> 1; max(0, 1 + f) = 0, 1.5 -> 0.75
    assert losses.d_loss_hinge(REAL, FAKE).item() == pytest.approx(1.0 + 0.75)
    assert losses.g_loss_hinge(FAKE).item() == pytest.approx(1.25)
    # least squares: (r - 1)^2 = 1, 4, 1 -> 2; f^2 = 9, 0.25 -> 4.625
    assert losses.d_loss_least_squares(REAL, FAKE).item() == pytest.approx(0.5 * 2 + 0.5 * 4.625)
    assert losses.g_loss_least_squares(FAKE).item() == pytest.approx(0.5 * (16 + 0.25) / 2)


def test_hinge_is_not_wasserstein_beyond_the_margin():
    far = torch.tensor([5.0]), torch.tensor([-5.0])  # both beyond the margin: hinge is satisfied
    assert losses.d_loss_hinge(*far).item() == 0.0
    assert losses.d_loss_wasserstein(*far).item() == pytest.approx(-10.0)  # keeps pushing


def test_feature_matching_by_hand_and_shape_check():
    real = torch.tensor([[1.0, 2.0], [3.0, 4.0]])  # mean (2, 3)
    fake = torch.tensor([[0.0, 0.0], [2.0, 2.0], [1.0, 1.0]])  # mean (1, 1)
    assert losses.g_loss_feature_matching(real, fake).item() == pytest.approx(1.0 + 4.0)
    with pytest.raises(ValueError, match="feature matching"):
        losses.g_loss_feature_matching(real, torch.zeros(3, 5))


def test_matching_aware_and_conditioning_terms_match_their_formulas():
    real, wrong, fake = torch.tensor([2.0, -1.0]), torch.tensor([0.5, 1.5]), torch.tensor([-3.0, 0.0])
    log_d = lambda v: math.log(1 / (1 + math.exp(-v)))  # noqa: E731
    naive = (-(log_d(2.0) + log_d(-1.0)) / 2
             - 0.5 * ((math.log(1 - 1 / (1 + math.exp(-0.5))) + math.log(1 - 1 / (1 + math.exp(-1.5)))) / 2
                      + (math.log(1 - 1 / (1 + math.exp(3.0))) + math.log(0.5)) / 2))
    assert float(losses.d_loss_matching_aware(real, wrong, fake)) == pytest.approx(naive, rel=1e-6)
    mu, logvar = torch.tensor([[0.5, -1.0]]), torch.tensor([[0.2, -0.4]])
    # KL(N(m, s^2) || N(0, 1)) = log(1/s) + (s^2 + m^2) / 2 - 1/2 per dimension, averaged here
    kl = [math.log(1 / math.exp(lv / 2)) + (math.exp(lv) + m ** 2) / 2 - 0.5 for m, lv in ((0.5, 0.2), (-1.0, -0.4))]
    assert float(losses.kl_conditioning(mu, logvar)) == pytest.approx(sum(kl) / 2, rel=1e-6)
    assert float(losses.kl_conditioning(torch.zeros(3, 4), torch.zeros(3, 4))) == 0.0
