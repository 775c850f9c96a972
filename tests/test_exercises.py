"""The exercises' calls, as the chapters write them, on a few steps of the smoke profile.

Each test spells out the call an exercise names (same function, same
arguments), so renaming an argument or a config field fails here and not in a
reader's notebook. The runs are cut to a few steps: what is checked is that the
call exists and returns what the exercise goes on to read, not the result.
"""

import dataclasses

import numpy as np
import pytest
import torch

from ganbook import losses, metrics
from ganbook.data import GaussianMixture1D
from ganbook.experiments import cgan_concat, dcgan, digits, dirac, gaussian1d, infogan, mlp_gan, remedies, runs, toy2d
from ganbook.games import Objective
from ganbook.train import Every

profile = "smoke"


def test_chapter1_saturating_loss_and_two_mode_target():
    config = gaussian1d.Config.for_profile(profile, steps=30, eval_samples=500)
    t = gaussian1d.train(config, objective=Objective(g_loss=losses.g_loss_saturating), progress=False)
    assert np.isfinite(t.history["g.adv"]).all()
    two = dataclasses.replace(config, target=GaussianMixture1D(means=(-3.0, 3.0), stds=(1.0, 1.0)))
    snaps, every = gaussian1d.snapshot_callback(two)
    trainer = gaussian1d.train(two, callbacks=[every], progress=False)
    result = gaussian1d.evaluate(trainer, two)
    pngs, labels = gaussian1d.frames(snaps, two)
    assert result["w1"] > 0 and len(pngs) == len(labels) == len(snaps.records)
    assert min(snaps.grid) < -3 and max(snaps.grid) > 3  # the slider's window holds both modes


def test_chapter2_non_saturating_dirac_gan_shrinks():
    path = dirac.simulate(400, lr=0.05, g_loss=losses.g_loss_nonsaturating)
    radius = dirac.distance_to_equilibrium(path)
    assert radius[-1] < radius[0]  # (the saturating default keeps circling: chapter 2)


def test_chapter4_wgan_gp_with_one_critic_update():
    base = toy2d.Config.for_profile(profile, data="grid", steps=10)
    one = runs.Variant("WGAN-GP, n_critic 1", remedies.objectives(base)[1].objective,
                       config_changes={"betas": (0.0, 0.9)})
    (result,) = runs.run_all([one], base, range(1), workers=1, progress=False)
    assert result["variant"] == "WGAN-GP, n_critic 1"


def test_chapter4_wasserstein_without_constraint():
    base = toy2d.Config.for_profile(profile, data="grid", steps=10)
    gp = remedies.objectives(base)[1]
    free = dataclasses.replace(gp, name="Wasserstein, no constraint",
                               objective=dataclasses.replace(gp.objective, penalty=None, penalty_weight=0.0))
    (r,) = runs.run_all([free], base, range(1), workers=1, progress=False)
    assert r["variant"] == "Wasserstein, no constraint" and free.objective.penalty is None
    assert len(r["history"]["loss_d"]) == len(r["history"]["loss_g"]) > 0


def test_chapter5_longer_mlp_and_faster_dcgan():
    long = mlp_gan.Config.for_profile(profile, steps=5 * mlp_gan.Config.for_profile(profile).steps)
    assert long.steps == 5 * mlp_gan.Config.for_profile(profile).steps
    long = dataclasses.replace(long, steps=4)  # the call as written, on 4 steps
    seen = []

    def check(t):
        seen.append(digits.measure(t.generate(500))["classes"])

    mlp_gan.build(long).fit(long.steps, callbacks=[Every(2, check)], progress=False)
    assert len(seen) == 3
    fast = dcgan.Config.for_profile(profile, lr_g=2e-3, lr_d=2e-3, steps=2)
    assert dcgan.evaluate(dcgan.build(fast).fit(fast.steps, progress=False), fast)["fd"] > 0


def test_chapter7_learning_rate_curve_with_every():
    slow = cgan_concat.Config.for_profile(profile, lr_g=2e-4, lr_d=2e-4, steps=4, per_class=5)
    curve = []

    def record(t):
        curve.append(cgan_concat.evaluate(t, slow)["class_accuracy"])

    cgan_concat.build(slow).fit(slow.steps, callbacks=[Every(2, record)], progress=False)
    assert len(curve) == 3 and all(0 <= a <= 1 for a in curve)


def test_chapter8_loud_noise_and_twenty_categories():
    loud = infogan.Config.for_profile(profile, noise_std=1.0, steps=2, eval_samples=100)
    assert set(infogan.evaluate(infogan.build(loud).fit(loud.steps, progress=False), loud)) >= {"cluster_accuracy"}
    wide = infogan.Config.for_profile(profile, n_cat=20, steps=2)
    t = infogan.build(wide).fit(wide.steps, progress=False)
    test = digits.reference().test
    codes = infogan.q_classes(t, test.images)
    assert codes.shape == test.labels.shape and int(codes.max()) < 20
    accuracy, mapping = metrics.cluster_accuracy(codes, test.labels, n_clusters=20)
    assert 0 < accuracy <= 1 and len(mapping) == 20
    assert infogan.code_accuracy(t, wide, per_code=5) >= 0


@pytest.mark.parametrize("n_cat", [10, 20])
def test_infogan_latent_width_follows_n_cat(n_cat):
    config = infogan.Config.for_profile(profile, n_cat=n_cat)
    t = infogan.build(config)
    assert t.latent(3).shape == (3, config.noise_dim + n_cat + config.n_cont)
    assert t.D.heads(torch.zeros(2, 1, 28, 28))[1].shape == (2, n_cat + config.n_cont)


def test_chapter7_mixed_labels_and_one_hot_rows_match_integer_labels():
    import torch.nn.functional as F
    config = cgan_concat.Config.for_profile(profile, steps=2, per_class=5)
    concat = cgan_concat.build(config).fit(config.steps, progress=False)
    mix = 0.5 * F.one_hot(torch.full((8,), 3), 10).float() + 0.5 * F.one_hot(torch.full((8,), 8), 10).float()
    assert concat.generate(8, condition=mix).shape == (8, 1, 28, 28)
    ints = torch.arange(8)
    assert torch.equal(concat.generate(8, condition=ints), concat.generate(8, condition=F.one_hot(ints, 10).float()))
    with pytest.raises(ValueError, match="sum to 1"):
        concat.generate(8, condition=mix * 2)


def test_chapter9_lapgan_on_faces():
    from skimage.data import lfw_subset

    from ganbook.experiments import lapgan
    faces = torch.nn.functional.interpolate(torch.from_numpy(lfw_subset()[:100]).float()[:, None] * 2 - 1, size=28,
                                            mode="bilinear")
    config = lapgan.Config.for_profile(profile, coarse_steps=3, band_steps=2)
    faces_run = lapgan.build(config, images=faces).fit(progress=False)
    assert [tuple(s.shape) for s in lapgan.sample(faces_run, 16)] == [(16, 1, 7, 7), (16, 1, 14, 14), (16, 1, 28, 28)]
    with pytest.raises(ValueError, match="resize them first"):
        lapgan.build(config, images=faces[:, :, :25, :25])


def test_chapter10_optimal_critic_weak_penalty_and_warm_critic():
    from ganbook.experiments import critic_w1, wgan_digits
    p, q = torch.randn(20000, 1), 0.5 * torch.randn(20000, 1)
    by_hand = critic_w1.estimate(lambda x: x.abs().sum(1), p, q)
    assert by_hand["estimate"] == pytest.approx(metrics.wasserstein1_normals(0, 1, 0, 0.5), abs=0.02)
    w1_config = critic_w1.Config.for_profile(profile, steps=3)
    weak = dataclasses.replace(w1_config, gp_weight=1.0)
    (row,) = critic_w1.run(weak, [(0, "gp-one-sided", weak)])
    assert row["gp_weight"] == 1.0 and row["exact"] == pytest.approx(2.0)
    digits_config = wgan_digits.Config.for_profile(profile, steps=15)
    (gp,) = wgan_digits.run(dataclasses.replace(digits_config, n_critic=20), games=("gp",))
    assert gp["game"] == "gp" and np.isfinite(wgan_digits.rank_correlation(gp["track"]))


def test_chapter11_power_iterations_fast_learning_rate_and_bound():
    from ganbook import spectral
    from ganbook.experiments import critic_w1, sn_digits
    from ganbook.models.dcgan import DCGANDiscriminator
    D = spectral.spectrally_normalise(DCGANDiscriminator(16, batch_norm=False), n_power_iterations=5)
    D.train()
    D(torch.randn(8, 1, 28, 28))
    assert len(spectral.singular_values(D)) == 3
    config = sn_digits.Config.for_profile(profile, steps=2, eval_samples=100)
    fast = [dataclasses.replace(c, lr_g=1e-3, lr_d=1e-3) for c in sn_digits.variants(config)[2::3]]
    assert [c.label for c in fast] == ["hinge", "hinge + SN"]
    assert len(sn_digits.run(config, range(1), fast)) == 2
    t = sn_digits.build(dataclasses.replace(config, objective="hinge", spectral_norm=True)).fit(3, progress=False)
    slopes = critic_w1.estimate(t.D, t.real(256).x, t.generate(256, ema=False))
    assert spectral.lipschitz_bound(t.D) > 0 and slopes["max_slope"] > 0
    norms, after = sn_digits.operator_norms(t.D), [row["after"] for row in spectral.singular_values(t.D)]
    assert norms[-1] == pytest.approx(after[-1], rel=1e-3)  # a 7x7 kernel on a 7x7 map is a dense layer
    assert all(n >= a - 1e-3 for n, a in zip(norms, after))  # a convolution stretches at least as much as its kernel

