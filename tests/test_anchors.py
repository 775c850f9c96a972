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
            "pacgan-2d-setup", "pacgan-stacked-setup", "pix2pix-settings", "cyclegan-settings")


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


def test_chapter17_trains_with_pix2pixs_settings_and_prints_its_tables():
    from ganbook.experiments import pix2pix_shapes

    paper = setting("pix2pix-settings")
    for profile in ("smoke", "cpu", "gpu"):
        config = pix2pix_shapes.Config.for_profile(profile)
        assert (config.l1_weight, config.betas[0]) == (paper["l1_weight"], paper["beta1"])
        # the config says why the CPU profiles run at ten times the paper's rate; the gpu profile runs at it
        assert config.lr_g == config.lr_d == (1 if profile == "gpu" else 10) * paper["lr"]
    rows = [anchor(f"pix2pix-table1-{k}") for k in ("l1", "gan", "cgan", "l1-gan", "l1-cgan", "ground-truth")]
    assert [r.values["pixel_accuracy"][0] for r in rows] == [0.42, 0.22, 0.57, 0.64, 0.66, 0.80]
    means = lambda key: {k: m for k, (m, _) in anchor(key).values.items()}  # noqa: E731
    assert means("pix2pix-table2-70") == means("pix2pix-table1-l1-cgan")  # the same model
    assert all(r.status == "checked" and "as quoted" not in r.cite() for r in rows)
    quoted = [r for k, r in anchors().items() if k.startswith("cyclegan-") and k != "cyclegan-settings"]
    assert len(quoted) == 7 and all(r.status == "quoted" and "as quoted by" in r.cite() for r in quoted)
