"""CycleGAN's game (chapter 18): its terms against the equation, its ablations, its pool, an exact resume."""

import pytest
import torch
from torch import nn

from ganbook.batch import Batch, unpaired
from ganbook.games.cyclegan import CycleGANGame
from ganbook.train import Trainer


def net(c_in, c_out, squash=True):
    return nn.Sequential(nn.Conv2d(c_in, c_out, 3, padding=1), *([nn.Tanh()] if squash else []))


def game(**options):
    torch.manual_seed(0)
    a_source = lambda n, rng: torch.rand(n, 2, 8, 8, generator=rng) * 2 - 1  # noqa: E731
    return CycleGANGame(net(2, 1), net(1, 2), net(2, 1, False), net(1, 1, False), a_source, **options)


class _Stub:
    def __init__(self, batch, seed=0):
        self.batch, self.step, self.rng = batch, 0, torch.Generator().manual_seed(seed)

    def real(self):
        return self.batch


def draw(n=4, seed=1, same_shape=False):
    g = torch.Generator().manual_seed(seed)
    a = torch.rand(n, 1 if same_shape else 2, 8, 8, generator=g) * 2 - 1
    return Batch(torch.rand(n, 1, 8, 8, generator=g) * 2 - 1, a=a)


def test_the_generators_terms_are_the_papers_equation():
    g, batch = game(), draw()
    terms = g.g_losses(_Stub(batch))
    a, b = batch.a, batch.x
    fake_b, fake_a = g.G_ab(a), g.G_ba(b)
    adv = ((g.D_b(fake_b) - 1) ** 2).mean() + ((g.D_a(fake_a) - 1) ** 2).mean()  # the authors' MSE to 1
    assert terms["adv"].item() == pytest.approx(adv.item(), rel=1e-5)
    assert terms["cycle_a"].item() == pytest.approx(10 * (g.G_ba(fake_b) - a).abs().mean().item(), rel=1e-5)
    assert terms["cycle_b"].item() == pytest.approx(10 * (g.G_ab(fake_a) - b).abs().mean().item(), rel=1e-5)
    assert "identity" not in terms  # A has two channels, B one: no identity term
    d = g.d_losses(_Stub(batch))
    want = 0.5 * ((g.D_a(a) - 1) ** 2).mean() + 0.5 * (g.D_a(fake_a) ** 2).mean()  # the pool is still filling
    assert d["a"].item() == pytest.approx(want.item(), rel=1e-5)


def test_the_identity_term_and_the_ablations():
    torch.manual_seed(0)
    same = CycleGANGame(net(1, 1), net(1, 1), net(1, 1, False), net(1, 1, False), lambda n, rng: torch.zeros(n, 1, 8, 8))
    batch = draw(same_shape=True)
    terms = same.g_losses(_Stub(batch))
    want = 0.5 * 10 * ((same.G_ab(batch.x) - batch.x).abs().mean() + (same.G_ba(batch.a) - batch.a).abs().mean())
    assert terms["identity"].item() == pytest.approx(want.item(), rel=1e-5)
    assert [p.name for p in game().phases] == ["g", "d"]
    assert [p.name for p in game(gan=False).phases] == ["g"]
    assert set(game(gan=False).g_losses(_Stub(draw()))) == {"cycle_a", "cycle_b"}
    assert set(game(forward=False, backward=False).g_losses(_Stub(draw()))) == {"adv"}
    assert set(game(backward=False).g_losses(_Stub(draw()))) == {"adv", "cycle_a"}
    with pytest.raises(ValueError, match="at least one"):
        game(gan=False, forward=False, backward=False)


def trainer(g):
    opts = {"g": torch.optim.Adam([*g.G_ab.parameters(), *g.G_ba.parameters()], 2e-3, betas=(0.5, 0.999)),
            "d": torch.optim.Adam([*g.D_a.parameters(), *g.D_b.parameters()], 2e-3, betas=(0.5, 0.999))}
    b_source = lambda n, rng: torch.rand(n, 1, 8, 8, generator=rng) * 2 - 1  # noqa: E731
    return Trainer(g, unpaired(g.source_a, b_source), opts, batch_size=1, seed=3)


def test_the_pool_replays_at_batch_size_one_and_a_resumed_run_is_exact(tmp_path):
    straight = trainer(game(pool=3)).fit(12, progress=False)
    assert len(straight.game.pools["a"]) == 3 and len(straight.game.pools["b"]) == 3
    trainer(game(pool=3)).fit(6, progress=False, checkpoint=tmp_path / "half.pt")
    resumed = trainer(game(pool=3))
    resumed.resume(tmp_path / "half.pt")
    resumed.fit(12, progress=False)
    assert resumed.history == straight.history
    assert torch.equal(resumed.game.pools["b"].pool, straight.game.pools["b"].pool)
    out = straight.generate(5)
    assert out.shape == (5, 1, 8, 8) and sorted(straight.averaged) == []  # no moving average asked for


def test_an_unpaired_draw_takes_its_two_domains_independently():
    rng = torch.Generator().manual_seed(0)
    batch = unpaired(lambda n, r: torch.randint(0, 9, (n, 1), generator=r), lambda n, r: torch.randn(n, 3, generator=r))(4, rng)
    again = torch.Generator().manual_seed(0)
    b = torch.randn(4, 3, generator=again)
    assert torch.equal(batch.x, b) and torch.equal(batch.a, torch.randint(0, 9, (4, 1), generator=again))
