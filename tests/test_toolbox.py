"""Chapter 13's regularisers as engine options: R2, gradient clipping, experience replay (and their resume)."""

import pytest
import torch
from torch import nn

from ganbook import penalties
from ganbook.experiments import toy2d
from ganbook.experiments.base import adam_pair
from ganbook.games import StandardGame
from ganbook.models import MLPDiscriminator, MLPGenerator
from ganbook.replay import ReplayBuffer
from ganbook.train import Trainer
from helpers import assert_resumes_exactly

TOY = toy2d.Config.for_profile("smoke", steps=6)


def trainer(optimizers=None, **game_kwargs):
    torch.manual_seed(0)
    G, D = MLPGenerator(2, 2, (16,)), MLPDiscriminator(2, (16,))
    opts = optimizers(G, D) if optimizers else adam_pair(G, D, 1e-3, 2e-3)
    return Trainer(StandardGame(G, D, **game_kwargs), toy2d.dataset(TOY).sample, opts, batch_size=32)


def test_r2_is_the_squared_input_gradient_on_fakes_only():
    torch.manual_seed(1)
    D = nn.Sequential(nn.Linear(3, 8), nn.Tanh(), nn.Linear(8, 1))
    real, fake = torch.randn(5, 3), torch.randn(5, 3)
    naive = []
    for x in fake:  # one sample at a time, by the definition
        x = x.clone().requires_grad_(True)
        (g,) = torch.autograd.grad(D(x[None]).sum(), x)
        naive.append((g**2).sum())
    got = penalties.r2_penalty(D, real, fake, torch.Generator())
    assert got.item() == pytest.approx(torch.stack(naive).mean().item(), rel=1e-6)
    assert penalties.r2_penalty(D, real + 5, fake, torch.Generator()).item() == pytest.approx(got.item())
    assert penalties.r1_penalty(D, real, fake, torch.Generator()).item() != pytest.approx(got.item())


def test_clip_norm_caps_the_size_of_each_update():
    sgd = lambda G, D: {"g": torch.optim.SGD(G.parameters(), lr=1.0), "d": torch.optim.SGD(D.parameters(), lr=1.0)}  # noqa: E731
    for clip in (1e-3, None):
        t = trainer(optimizers=sgd, clip_norm=clip)
        before = torch.cat([p.detach().flatten().clone() for p in t.D.parameters()])
        t.train_step()
        moved = (torch.cat([p.detach().flatten() for p in t.D.parameters()]) - before).norm().item()
        if clip is not None:  # lr 1: the step is the clipped gradient, norm exactly the cap
            assert moved == pytest.approx(clip, rel=1e-4)
        else:
            assert moved > 10 * 1e-3


def test_replay_fills_then_swaps_each_row_with_the_stated_probability():
    buffer, rng = ReplayBuffer(capacity=8, share=0.5), torch.Generator().manual_seed(0)
    first = torch.arange(8.0)[:, None]
    assert torch.equal(buffer.mix(first, rng), first) and len(buffer) == 8  # filling: unchanged
    fresh = 100 + torch.arange(8.0)[:, None]
    mixed = buffer.mix(fresh, rng)
    from_pool = mixed[mixed < 100]
    assert set(from_pool.tolist()) <= set(range(8)) and len(buffer) == 8
    assert len(from_pool) >= 1 and (buffer.pool >= 100).sum() >= 1  # fresh fakes took the swapped slots
    assert ((mixed >= 100) == (mixed == fresh)).all()  # a row D sees is either its own fresh fake or a pooled one
    with pytest.raises(ValueError, match="share"):
        ReplayBuffer(share=1.5)


def test_replay_swaps_at_batch_size_one():
    """A coin per row: a batch of one is replayed about ``share`` of the time (it never was with a rounded count)."""
    buffer, rng = ReplayBuffer(capacity=50, share=0.5), torch.Generator().manual_seed(1)
    replayed = 0
    for step in range(250):
        out = buffer.mix(torch.full((1, 1), 1000.0 + step), rng)
        replayed += step >= 50 and float(out) != 1000.0 + step
    assert 70 <= replayed <= 130  # 200 coins of one half: 100 +- 7 (s.d.)
    always, never = ReplayBuffer(4, share=1.0), ReplayBuffer(4, share=0.0)
    for b in (always, never):
        b.mix(torch.zeros(4, 1), rng)
    assert (always.mix(torch.ones(3, 1), rng) == 0).all() and (never.mix(torch.ones(3, 1), rng) == 1).all()


def test_replay_changes_what_d_sees_and_resumes_exactly(tmp_path):
    plain = trainer().fit(6, progress=False)
    replayed = trainer(replay=ReplayBuffer(capacity=64, share=0.5)).fit(6, progress=False)
    assert plain.history["loss_d"][:2] == replayed.history["loss_d"][:2]  # the pool is still filling
    assert plain.history["loss_d"][2:] != replayed.history["loss_d"][2:]
    whole, resumed = assert_resumes_exactly(lambda: trainer(replay=ReplayBuffer(capacity=64)), 8,
                                            tmp_path / "replay.pt")
    assert torch.equal(whole.game.replay.pool, resumed.game.replay.pool)


def test_each_ablation_row_switches_on_one_tool_and_keeps_the_budget():
    from dataclasses import asdict

    from ganbook.experiments import toolbox_digits

    config = toolbox_digits.Config.for_profile("cpu")
    rows = toolbox_digits.rows(config)
    assert len(rows) >= 7 and rows["plain"] == config
    tool_fields = {"penalty", "gamma", "instance_noise", "replay", "replay_share", "clip_norm", "ema_decay", "lr_g", "lr_d"}
    base = asdict(config)
    for name, row in rows.items():
        changed = {k for k, v in asdict(row).items() if v != base[k]}
        assert changed <= tool_fields, name  # steps, batch, sizes, seeds: the same budget
        assert bool(changed) == (name != "plain"), name
    ttur = rows["two time-scales (D 4x G)"]
    assert ttur.lr_d == 4 * ttur.lr_g and ttur.lr_g * ttur.lr_d == pytest.approx(config.lr_g * config.lr_d)


def test_a_run_that_learns_nothing_is_counted_as_diverged():
    from dataclasses import replace

    from ganbook.experiments import toolbox_digits

    config = toolbox_digits.Config.for_profile("smoke", steps=4)
    broken = toolbox_digits.run_one(replace(config, lr_g=1e3, lr_d=1e3))
    assert broken["metrics"]["diverged"] == 1.0
    with pytest.raises(ValueError, match="unknown penalty 'r3'"):
        replace(config, penalty="r3")


def test_the_untrained_threshold_is_the_same_fd_as_the_full_measurement():
    from ganbook.experiments import toolbox_digits

    config = toolbox_digits.Config.for_profile("smoke")
    trainer = toolbox_digits.build(config)
    assert toolbox_digits.frechet_distance(trainer, config) == pytest.approx(
        toolbox_digits.evaluate(trainer, config)["fd"], rel=1e-9)
