"""The anchors of settings agree with the experiments that say they use them.

A chapter prints a paper's setting from :mod:`ganbook.anchors` and trains with
an experiment's config; where the chapter calls the two the same ("the paper's
c", "its paper's optimiser"), these tests hold them to it.
"""

import inspect
import math

import pytest

from ganbook import spectral
from ganbook.anchors import NONE, anchor, anchors
from ganbook.experiments import critic_w1, pacgan_toys, wgan_digits

SETTINGS = ("wgan-clipping", "wgan-gp-algorithm1", "wgan-gp-toy-script", "sngan-power-iterations",
            "pacgan-2d-setup", "pacgan-stacked-setup")


def setting(key):
    return {k: m for k, (m, _) in anchor(key).values.items()}


@pytest.mark.parametrize("key", SETTINGS)
def test_setting_rows_say_where_they_were_read_and_have_no_spread(key):
    row = anchor(key)
    assert row.status == "checked" and row.spread == NONE and row.read_at
    assert all(math.isnan(spread) for _, spread in row.values.values())
    assert row.source in row.cite()


def test_no_row_cites_the_projects_own_notes_as_its_source():
    for row in anchors().values():
        assert "ANCHORS.md" not in row.read_at and "ANCHORS.md" not in row.cite()


def test_chapter10_critics_use_the_papers_settings():
    clip, gp = setting("wgan-clipping"), setting("wgan-gp-algorithm1")
    for config in (critic_w1.Config.for_profile("smoke"), wgan_digits.Config.for_profile("smoke")):
        assert (config.clip, config.lr_clip) == (clip["clip"], clip["lr"])
        assert (config.gp_weight, config.lr_gp) == (gp["gp_weight"], gp["lr"])
    assert wgan_digits.Config.for_profile("smoke").n_critic == clip["n_critic"] == gp["n_critic"]


def test_chapter11_power_iterations_default_to_sngan():
    default = inspect.signature(spectral.spectrally_normalise).parameters["n_power_iterations"].default
    assert default == setting("sngan-power-iterations")["power_iterations"]


def test_chapter12_gpu_profile_has_pacgan_networks_and_budget():
    paper, config = setting("pacgan-2d-setup"), pacgan_toys.Config.for_profile("gpu")
    assert (config.g_layers, config.g_hidden, config.d_hidden, config.d_pieces, config.latent_dim) == (
        paper["g_layers"], paper["g_hidden"], paper["d_hidden"], paper["d_pieces"], paper["z_dim"])
    assert (config.lr, config.betas[0], config.batch_size) == (paper["lr"], paper["beta1"], paper["batch_size"])
    assert config.steps == paper["epochs"] * paper["training_points"] // paper["batch_size"]
