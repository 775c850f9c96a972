"""The bars Part III's showcases are held to, and the plain DCGAN they must beat."""

import pytest
import torch

from ganbook import checkpoints
from ganbook.experiments import dcgan_shapes, stylegan_shapes, world
from ganbook.metrics.instruments.shape_reader import SHIPPED


def test_the_fd_yardstick_is_the_readers_blurred_row():
    blurred = [r for r in checkpoints.read_manifest(SHIPPED)["robustness"] if r["condition"] == "blur 3x3"][0]
    assert world.blurred_real_fd() == pytest.approx(blurred["fd"], rel=1e-3)


def test_bars_say_which_are_met():
    limit = world.BARS["fd_ratio"] * world.blurred_real_fd()
    good = {"fd": 0.5 * limit, "precision": 0.6, "recall": 0.7, "shape_kl": 0.01, "hue_kl": 0.02,
            "class_accuracy": 0.95}
    assert all(met for _, met in world.bars(good))
    assert len(world.bars(good)) == 6
    bad = {**good, "fd": 1.01 * limit, "recall": 0.49, "hue_kl": 0.051}
    missed = [sentence.split()[0] for sentence, met in world.bars(bad) if not met]
    assert missed == ["fd", "recall", "hue_kl"]
    unconditional = {k: v for k, v in good.items() if k != "class_accuracy"}
    assert len(world.bars(unconditional)) == 5


def test_the_mapping_network_learns_at_its_own_rate():
    config = stylegan_shapes.Config.for_profile("smoke", mapping_lr_mult=0.01)
    trainer = stylegan_shapes.build(config)
    groups = trainer.optimizers["g"].param_groups
    assert groups[0]["lr"] == pytest.approx(config.lr_g * 0.01) and groups[1]["lr"] == config.lr_g
    mapping = {id(p) for p in trainer.G.mapping.parameters()}
    assert {id(p) for p in groups[0]["params"]} == mapping
    assert sum(len(g["params"]) for g in groups) == len(list(trainer.G.parameters()))


def test_the_dcgan_floor_draws_32_pixel_colour_scenes():
    config = dcgan_shapes.Config.for_profile("smoke")
    trainer = dcgan_shapes.build(config)
    assert trainer.generate(4).shape == (4, 3, 32, 32)
    assert trainer.G_ema is None  # the floor has no moving average
    assert trainer.D(torch.zeros(4, 3, 32, 32)).shape == (4, 1)
