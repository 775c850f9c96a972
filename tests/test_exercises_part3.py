"""The exercises of chapters 14-16, as the chapters write them, on a few steps of the smoke profile."""

import dataclasses

import torch

from ganbook import shipped
from ganbook.data import shapes
from ganbook.experiments import (biggan_shapes, biggan_showcase, progan_shapes, store, stylegan_analysis, stylegan_shapes,
                                 stylegan_showcase)
from ganbook.models import stylegan

profile = "smoke"


def test_chapter14_more_seeds_wgan_gp_and_a_longer_budget():
    config = progan_shapes.Config.for_profile(profile, steps=4)
    results = progan_shapes.run(dataclasses.replace(config, seeds=5), progress=False)
    assert [r["seed"] for r in results] == [0, 1, 2, 3, 4] * 2 and all(len(r["swd"]) == 2 for r in results)
    rows = progan_shapes.table(results)
    assert list(rows) == ["grown", "full size, same steps", "full size, same time"]
    assert rows["grown"]["steps"] == (4.0, 0.0) and all(se > 0 for _, se in (rows[k]["reader FD"] for k in rows))
    for changed in (dataclasses.replace(config, objective="wgan-gp"), dataclasses.replace(config, steps=2 * config.steps)):
        trainer = progan_shapes.build(changed).fit(2, progress=False)  # the fields exist and the runs start
        assert trainer.step == 2


def test_chapter15_without_ortho_and_more_thresholds(tmp_path):
    config = biggan_shapes.Config.for_profile(profile, steps=3, eval_samples=32)
    without, _ = store.load_or_train(biggan_shapes, profile, folder=tmp_path, progress=False,
                                     changes={"ortho": 0.0, "steps": 3, "eval_samples": 32})
    assert without.game.ortho == 0.0 and len(biggan_shapes.truncation_curve(without, config)) == len(config.thresholds)
    showcase, _ = shipped.load(biggan_showcase)
    rows = biggan_shapes.truncation_curve(showcase, dataclasses.replace(config, thresholds=(0.3, 0.25, 0.15, 0.1)))
    assert [r["threshold"] for r in rows] == [0.3, 0.25, 0.15, 0.1]


def test_chapter16_other_direction_fine_truncation_and_pixel_projection():
    showcase, _ = shipped.load(stylegan_showcase)
    G = stylegan_shapes.averaged(showcase)
    assert stylegan_analysis.edit_direction(G, "x", n=64).shape == (G.w_dim,)
    ws = G.styles(torch.randn(4, G.latent_dim))
    fine = stylegan.truncate(ws, G.w_avg, 0.0, G.FINE)
    assert torch.equal(fine[:, :5], ws[:, :5]) and torch.allclose(fine[:, 5:], G.w_avg.expand(4, 2, -1))
    w, curve = stylegan_analysis.project(G, shapes.world("test").images[:2], steps=3, feature_weight=0.0)
    assert w.shape == (2, G.w_dim) and len(curve) == 3
