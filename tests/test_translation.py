"""Chapters 17-18's tables and the label maps they paint: real values on hand-made results."""

import dataclasses

import numpy as np
import pytest
import torch

from ganbook.anchors import anchor
from ganbook.data import shapes
from ganbook.experiments import cyclegan, translation


def result(variant, iou, seed=0, **more):
    return {"variant": variant, "seed": seed,
            "metrics": {"pixel_accuracy": 0.9, "class_accuracy": 0.8, "class_iou": iou, **more}}


ROWS = {"L1": "pix2pix-table1-l1", "GAN": "pix2pix-table1-gan", "L1+cGAN": "pix2pix-table1-l1-cgan"}


def test_beside_puts_mean_and_standard_error_next_to_the_papers_row():
    results = [result("L1", 0.30), result("L1", 0.40, 1), result("L1+cGAN", 0.5), result("L1+cGAN", 0.7, 1)]
    table = translation.beside(results, ROWS, extra={"GAN": {"pixel_accuracy": 1, "class_accuracy": 1,
                                                              "class_iou": 0.25}})
    assert list(table.index) == ["L1", "GAN", "L1+cGAN"]
    # two seeds: mean 0.35, sample std 0.0707, s.e. 0.05
    assert table.loc["L1", "ours: class IoU"] == "0.350 ± 0.050 (2)"
    assert table.loc["GAN", "ours: class IoU"] == "0.250"
    assert table.loc["L1+cGAN", "paper: class IoU"] == f"{anchor(ROWS['L1+cGAN']).values['class_iou'][0]:.2f}"
    assert "pix2pix" in table.loc["L1", "paper's row"].lower() or "table 1" in table.loc["L1", "paper's row"].lower()


def test_orderings_calls_a_pair_only_when_it_is_two_standard_errors_apart():
    paper = {k: anchor(v).values["class_iou"][0] for k, v in ROWS.items()}
    assert paper["L1+cGAN"] > paper["L1"] > paper["GAN"]  # the paper's order, which the rows below test
    results = [result("L1", 0.30), result("L1", 0.32, 1),  # L1 well below L1+cGAN: agrees with the paper
               result("GAN", 0.50), result("GAN", 0.52, 1),  # GAN well above L1: the opposite order
               result("L1+cGAN", 0.50), result("L1+cGAN", 0.60, 1)]  # above L1 clearly, too close to GAN to call
    found = translation.orderings(results, ROWS)
    assert found == {"agree": [("L1+cGAN", "L1")], "disagree": [("L1", "GAN")], "unclear": [("L1+cGAN", "GAN")]}
    said = translation.say_orderings(found)
    assert said.startswith("Of the 3 pairs of rows that both tables score, 1 come out in the paper's order")
    assert "(the paper has L1 above GAN)" in said


def test_painted_maps_read_back_exactly_and_degraded_ones_nearly():
    maps = shapes.world("test").maps[:50]
    painted = shapes.paint_maps(maps)
    assert painted.shape == (50, 3, 32, 32) and torch.equal(shapes.read_maps(painted), maps.long())
    noisy = painted + 0.3 * torch.randn(painted.shape, generator=torch.Generator().manual_seed(0))
    assert (shapes.read_maps(noisy) == maps).float().mean() > 0.99


def test_cyclegan_domains_never_pair_a_scene_with_its_own_map():
    a, b = cyclegan.domains("shapes", "train")
    world = shapes.world("train")
    assert len(a.images) + len(b.images) == len(world.images)
    assert torch.equal(shapes.read_maps(a.images), world.maps[:len(a.images)].long())
    assert torch.equal(b.images, world.images[len(a.images):])
    da, db = cyclegan.domains("digits", "test")
    assert da.images.shape[1:] == db.images.shape[1:] == (1, 32, 32)
    assert set(da.labels[:100].tolist()) == set(range(10))  # the fixed shuffle mixes the sorted classes


def test_cyclegan_references_read_each_domain_with_its_own_reader():
    refs = cyclegan.references("digits", 300)
    own, resized = refs["each reader on its own domain"], refs["resized, not translated"]
    assert own["kept_ab"] > 0.9 and own["kept_ba"] > 0.95
    assert resized["kept_ab"] < own["kept_ab"] and resized["kept_ba"] < own["kept_ba"]
    truth = cyclegan.references("shapes", 200)["real scenes (the segmenter)"]
    assert truth["class_iou"] == truth["reverse_class_iou"] > 0.9


def test_cyclegan_config_rejects_what_it_cannot_train():
    with pytest.raises(ValueError, match="unknown pair 'horses'; use one of shapes, digits"):
        cyclegan.Config.for_profile("smoke", pair="horses")
    with pytest.raises(ValueError, match="switch on at least one"):
        cyclegan.Config.for_profile("smoke", gan=False, forward=False, backward=False)
    labels = [c.label for c in cyclegan.ablation_rows(cyclegan.Config.for_profile("smoke"))]
    assert labels == ["CycleGAN", "cycle alone", "GAN alone", "GAN + forward cycle", "GAN + backward cycle",
                      "CycleGAN, no identity term"]


@pytest.mark.parametrize("pair, keys", [
    ("shapes", {"pixel_accuracy", "class_accuracy", "class_iou", "reverse_pixel_accuracy",
                "reverse_class_accuracy", "reverse_class_iou", "cycle_a", "cycle_b"}),
    ("digits", {"kept_ab", "kept_ba", "kept_aba", "kept_bab", "cycle_a", "cycle_b"})])
def test_a_smoke_cyclegan_is_scored_and_seeded(pair, keys):
    config = cyclegan.Config.for_profile("smoke", pair=pair)
    first, again = cyclegan.run_one(config), cyclegan.run_one(dataclasses.replace(config))
    assert set(first["metrics"]) == keys and first["metrics"] == again["metrics"]
    assert all(np.isfinite(v) for v in first["metrics"].values())
    assert first["trips"]["aba"].shape == (8, 3 if pair == "shapes" else 1, 32, 32)


def test_chroma_and_copied_map_colours_tell_a_copied_map_from_a_real_scene():
    test = shapes.world("test")
    maps, scenes = test.maps[:200], test.images[:200]
    painted = shapes.paint_maps(maps)
    assert translation.map_colour_kept(painted, maps) == 1.0
    # real scenes draw each shape in a random one of six hues: about one shape pixel in six (or fewer, for
    # the hues no palette colour is nearest to) lands on its class's own map colour
    assert 0.05 < translation.map_colour_kept(scenes, maps) < 0.3
    assert translation.chroma(painted, maps) == 2.0  # the palette's colours are pure
    grey = torch.zeros_like(scenes)
    assert translation.chroma(grey, maps) == 0.0
    assert 0.8 < translation.chroma(scenes, maps) < 2.0
