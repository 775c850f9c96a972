"""Each training behaviour is there, and removing it would fail a test: EMA, schedules, n_critic,
labels paired with their fakes, instance noise, feature matching, the store's refusals."""

import json

import pytest
import torch
from torch import nn

from ganbook import deps
from ganbook.batch import Batch
from ganbook.experiments import gaussian1d, mlp_gan, runs, store, toy2d
from ganbook.experiments.base import adam_pair
from ganbook.games import FeatureMatchingGame, StandardGame
from ganbook.models import MLPDiscriminator, MLPGenerator
from ganbook.train import Trainer
from helpers import assert_resumes_exactly

TOY = toy2d.Config.for_profile("smoke", steps=6)


def toy_trainer(**kwargs):
    torch.manual_seed(0)
    G, D = MLPGenerator(2, 2, (16,)), MLPDiscriminator(2, (16,))
    game = kwargs.pop("game", StandardGame)(G, D, n_critic=kwargs.pop("n_critic", 1))
    return Trainer(game, toy2d.dataset(TOY).sample, adam_pair(G, D, 1e-3, 2e-3), batch_size=32, **kwargs)


def test_ema_is_the_warmed_up_average_of_the_generator():
    trainer = toy_trainer(ema_decay=0.9)
    expected = [p.detach().clone() for p in trainer.G_ema.parameters()]  # starts as G
    for step in range(5):
        trainer.train_step()
        decay = min(0.9, (1 + step) / (10 + step))  # the stated warm-up
        expected = [decay * e + (1 - decay) * p.detach() for e, p in zip(expected, trainer.G.parameters())]
    for e, got in zip(expected, trainer.G_ema.parameters()):
        assert torch.allclose(e, got, atol=1e-6)
    assert not all(torch.allclose(p, q) for p, q in zip(trainer.G.parameters(), trainer.G_ema.parameters()))


def test_learning_rate_schedule_reaches_both_optimisers():
    trainer = toy_trainer(lr_schedule=lambda step: 0.5 ** step)
    trainer.fit(3, progress=False)  # the factor of step 2 was applied last
    assert trainer.optimizers["g"].param_groups[0]["lr"] == pytest.approx(1e-3 * 0.25)
    assert trainer.optimizers["d"].param_groups[0]["lr"] == pytest.approx(2e-3 * 0.25)


def test_n_critic_discriminator_steps_per_generator_step():
    trainer = toy_trainer(n_critic=4).fit(3, progress=False)
    adam_steps = lambda opt: int(next(iter(opt.state.values()))["step"])  # noqa: E731
    assert adam_steps(trainer.optimizers["d"]) == 12 and adam_steps(trainer.optimizers["g"]) == 3


class Spy(nn.Module):
    """A conditional net that records the condition of every call and otherwise ignores it."""

    def __init__(self, net, calls):
        super().__init__()
        self.net, self.calls, self.latent_dim = net, calls, getattr(net, "latent_dim", None)

    def forward(self, x, c):
        self.calls.append(c.clone())
        return self.net(x)


def test_fakes_get_the_labels_of_their_real_batch():
    calls = {"G": [], "D": []}
    torch.manual_seed(0)
    G, D = Spy(MLPGenerator(2, 2, (8,)), calls["G"]), Spy(MLPDiscriminator(2, (8,)), calls["D"])
    source = lambda n, rng: Batch(torch.randn(n, 2, generator=rng), c=torch.randint(10, (n,), generator=rng))  # noqa
    Trainer(StandardGame(G, D), source, adam_pair(G, D, 1e-3, 1e-3), batch_size=16).fit(2, progress=False)
    for step in range(2):
        d_real, d_fake, d_g = calls["D"][3 * step: 3 * step + 3]  # D phase: real, fake; G phase: fake
        g_d, g_g = calls["G"][2 * step: 2 * step + 2]  # G makes the D phase's fakes, then the G phase's
        for c in (d_fake, d_g, g_d, g_g):
            assert torch.equal(c, d_real)
    assert not torch.equal(calls["D"][0], calls["D"][3])  # and each step has its own labels


def test_instance_noise_changes_the_run_and_zero_noise_does_not():
    plain = toy2d.build(TOY).fit(TOY.steps, progress=False)
    noisy = toy2d.build(TOY, instance_noise=runs.LinearNoise(0.3, TOY.steps)).fit(TOY.steps, progress=False)
    silent = toy2d.build(TOY, instance_noise=lambda step: 0.0).fit(TOY.steps, progress=False)
    assert noisy.history["loss_d"] != plain.history["loss_d"]
    assert silent.history == plain.history


def test_feature_matching_is_what_g_minimises():
    trainer = toy2d.build(TOY, game=FeatureMatchingGame).fit(2, progress=False)
    state = trainer.rng.get_state()
    term = trainer.game.g_losses(trainer)["features"]
    trainer.rng.set_state(state)  # the same draws again, by hand: fakes first, then a real batch
    fake = trainer.G(trainer.latent())
    real = trainer.real().x
    D = trainer.D
    expected = ((D.features(real).mean(0) - D.features(fake).mean(0)) ** 2).sum()
    assert float(term.detach()) == pytest.approx(float(expected.detach()), rel=1e-6)
    assert "g.features" in trainer.history and "g.adv" not in trainer.history


def test_store_refuses_a_changed_config_or_changed_code(tmp_path, monkeypatch):
    changes = {"steps": 3}
    store.train_and_save(mlp_gan, "smoke", tmp_path, progress=False, changes=changes)
    assert store.cached(mlp_gan, "smoke", tmp_path, changes) is not None
    assert store.cached(mlp_gan, "smoke", tmp_path, {"steps": 3, "lr_d": 1e-4}) is None  # another config
    path = store.checkpoint_path(mlp_gan, mlp_gan.Config.for_profile("smoke", **changes), "smoke", tmp_path)
    manifest = json.loads(path.with_suffix(".json").read_text())
    path.with_suffix(".json").write_text(json.dumps({**manifest, "config": {**manifest["config"], "lr_d": 1.0}}))
    assert store.cached(mlp_gan, "smoke", tmp_path, changes) is None  # a file whose manifest names another config
    path.with_suffix(".json").write_text(json.dumps(manifest))
    real = deps.code_version
    monkeypatch.setattr(deps, "code_version", lambda m: "0" * 16 if m is mlp_gan else real(m))
    assert store.cached(mlp_gan, "smoke", tmp_path, changes) is None  # the same config, other code


def test_resumed_gaussian_run_keeps_its_moving_average(tmp_path):
    config = gaussian1d.Config.for_profile("smoke", steps=8)
    whole, _ = assert_resumes_exactly(lambda: gaussian1d.build(config), 8, tmp_path / "g.pt")
    assert whole.G_ema is not None  # so the average was among what resumed exactly
