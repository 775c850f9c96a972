"""Chapter 10's machinery: the Wasserstein games, the critic's W1 estimate, the rank correlation."""

import dataclasses

import pytest
import torch

from ganbook.data import Gaussian1D
from ganbook.experiments import critic_w1, wgan_digits
from ganbook.experiments.fixed_g import AffineGenerator
from ganbook.games.wasserstein import ClippedGame, wasserstein_game
from ganbook.models import MLPDiscriminator
from ganbook.train import Trainer


def critic_trainer(D, constraint, lr, gp_weight=10.0, clip=0.01, steps=600):
    """Only the critic learns: N(0, 1) (real) against a frozen N(2, 1), so W1 = 2."""
    G = AffineGenerator(2.0, 1.0)
    game = wasserstein_game(G, D, constraint, clip=clip, gp_weight=gp_weight, n_critic=1)
    opt = torch.optim.RMSprop(D.parameters(), lr=lr) if constraint == "clip" else torch.optim.Adam(D.parameters(), lr=lr)
    trainer = Trainer(game, Gaussian1D(0.0, 1.0).sample, {"d": opt, "g": torch.optim.SGD(G.parameters(), lr=0.0)},
                      batch_size=256, seed=0)
    return trainer.fit(steps, progress=False)


def straight_critic(slope):
    D = torch.nn.Linear(1, 1)
    with torch.no_grad():
        D.weight.fill_(slope), D.bias.zero_()
    return D


def test_the_two_sided_penalty_traps_a_critic_that_starts_on_the_wrong_side():
    """f(x) = a x scores a * (0 - 2) = -2a and pays 10 (|a| - 1)^2: from a > 0 the two-sided penalty's
    local optimum is a = 1 - 1/10, an estimate of -1.8; the one-sided one turns to a = -(1 + 1/10), 2.2."""
    p = torch.randn(20000, 1, generator=torch.Generator().manual_seed(1))
    q = 2.0 + torch.randn(20000, 1, generator=torch.Generator().manual_seed(2))
    two = critic_trainer(straight_critic(0.3), "gp", lr=1e-2)
    one = critic_trainer(straight_critic(0.3), "gp-one-sided", lr=1e-2)
    assert two.D.weight.item() == pytest.approx(0.9, abs=0.03)
    assert one.D.weight.item() == pytest.approx(-1.1, abs=0.03)
    assert critic_w1.estimate(two.D, p, q)["estimate"] == pytest.approx(-1.8, abs=0.1)
    assert critic_w1.estimate(one.D, p, q)["estimate"] == pytest.approx(2.2, abs=0.1)


def test_clipping_keeps_every_weight_inside_c_after_each_critic_update():
    trainer = critic_trainer(MLPDiscriminator(1, (16, 16)), "clip", lr=1e-2, clip=0.05, steps=30)
    weights = torch.cat([p.flatten() for p in trainer.D.parameters()])
    assert weights.abs().max().item() == pytest.approx(0.05)  # a step of 1e-2 reaches the wall
    assert isinstance(trainer.game, ClippedGame)
    with pytest.raises(ValueError, match="clip > 0"):
        ClippedGame(AffineGenerator(0, 1), MLPDiscriminator(1, (4,)), clip=0.0)
    with pytest.raises(ValueError, match="unknown constraint 'lipschitz'"):
        wasserstein_game(AffineGenerator(0, 1), MLPDiscriminator(1, (4,)), "lipschitz")


def test_estimate_of_known_optimal_critics():
    g = torch.Generator().manual_seed(0)
    p, q = torch.randn(40000, 1, generator=g), 0.5 * torch.randn(40000, 1, generator=g)
    v = critic_w1.estimate(lambda x: x.abs().sum(1), p, q)  # |x| is optimal for a change of scale
    assert v["estimate"] == pytest.approx(0.5 * (2 / torch.pi) ** 0.5, abs=0.01)
    assert v["max_slope"] == pytest.approx(1.0) and v["mean_slope"] == pytest.approx(1.0)
    shift = critic_w1.estimate(lambda x: -3.0 * x.sum(1), p, p + 2.0)
    assert shift["estimate"] == pytest.approx(6.0, rel=1e-5) and shift["max_slope"] == pytest.approx(3.0)


def test_problems_have_their_exact_w1():
    config = critic_w1.Config.for_profile("smoke")
    exact = [p.exact for p in critic_w1.problems(config)]
    assert exact[0] == pytest.approx(2.0) and exact[1] == pytest.approx(0.5 * (2 / torch.pi) ** 0.5)
    assert len(exact) >= 4 and all(e > 0 for e in exact)
    row = critic_w1.run_one(1, "gp-one-sided", dataclasses.replace(config, steps=3))
    assert row["exact"] == exact[1] and row["surface"][1].shape == (81,)


def test_rank_correlation_reads_the_negated_loss_against_fd():
    falling = [{"step": s, "fd": 100.0 - s, "d_loss": -(10.0 - s / 10)} for s in range(1, 9)]  # W1 estimate falls with FD
    assert wgan_digits.rank_correlation(falling) == pytest.approx(1.0)
    noisy = [{"step": s, "fd": 100.0 - s, "d_loss": d} for s, d in enumerate([0.3, -1.0, 0.2, 0.1, 0.5, -0.2], 1)]
    assert abs(wgan_digits.rank_correlation(noisy)) < 0.5
    assert wgan_digits.rank_correlation(falling, after=4) == pytest.approx(1.0)
    with pytest.raises(ValueError, match="at least 3 records after step 7"):
        wgan_digits.rank_correlation(falling, after=7)


def test_wgan_digits_rejects_an_unknown_game():
    with pytest.raises(ValueError, match="unknown game 'lsgan': choose one of gan, clip, gp"):
        wgan_digits.Config.for_profile("smoke", game="lsgan")
