"""The exercises of chapters 17-18 and 21-24, as the chapters write them, on a few steps of the smoke profile."""

import dataclasses

from ganbook.experiments import animalgan, ctgan_adult, cyclegan, pix2pix_shapes, text2image, video_gans
from ganbook.models.video import PretrainedFrames

profile = "smoke"


def test_chapter17_paper_rate_l1_weight_and_no_dropout():
    config = pix2pix_shapes.Config.for_profile(profile, steps=2, eval_scenes=16)
    for changed in (dataclasses.replace(config, lr_g=2e-4, lr_d=2e-4), dataclasses.replace(config, l1_weight=10.0),
                    dataclasses.replace(config, l1_weight=1000.0)):
        result = pix2pix_shapes.run_one(changed)
        assert {"class_iou", "pixel_accuracy", "class_accuracy"} <= set(result["metrics"])
        assert result["samples"].shape == (8, 3, 32, 32)
    quiet = pix2pix_shapes.run_one(dataclasses.replace(config, dropout=0.0))
    assert quiet["metrics"]["noise_spread"] == 0.0  # "0 by construction", as the exercise says


def test_chapter18_longer_without_identity_weaker_cycle_and_no_pool():
    config = cyclegan.Config.for_profile(profile, steps=2, eval_scenes=16)
    [longer] = cyclegan.run([dataclasses.replace(config, identity_share=0.0, steps=4 * config.steps)], 1,
                            progress=False)
    assert longer["variant"] == "CycleGAN, no identity term" and "class_iou" in longer["metrics"]
    for changed in (dataclasses.replace(config, cycle_weight=1.0), dataclasses.replace(config, pool=0)):
        [row] = cyclegan.run([changed], 1, progress=False)
        assert set(row["trips"]) == {"ab", "aba", "ba", "bab"} and "cycle_a" in row["metrics"]


def test_chapter21_damsm_at_cocos_weight_two_shapes_for_the_projection_row_and_one_critic_step():
    [heavy] = text2image.run([text2image.Config.for_profile(profile, row="attention", damsm_weight=50.0)], 1,
                             progress=False)
    assert {"r_precision", "one_shape_and_colour"} <= set(heavy["metrics"])
    config = text2image.Config.for_profile(profile, row="projection", two_share=1.0)
    [two] = text2image.run([config], 1, progress=False)
    assert {"two_shape_and_colour", "two_relation"} <= set(two["metrics"]) and "one_shape" not in two["metrics"]
    trainer = text2image.build(dataclasses.replace(config, n_critic=1)).fit(2, progress=False)
    assert trainer.step == 2 and trainer.game.phases[0].repeat == 1  # one critic step per step of G


def test_chapter22_without_the_image_d_frames_from_scratch_and_longer_clips():
    config = video_gans.Config.for_profile(profile, steps=2, eval_clips=8)
    [plain] = video_gans.run([dataclasses.replace(config, image_d=False)], 1, progress=False)
    assert plain["variant"] == "MoCoGAN without the image D" and "both_kept" in plain["metrics"]
    assert "D_image" not in video_gans.build(dataclasses.replace(config, image_d=False)).game.networks()
    [longer] = video_gans.run([dataclasses.replace(config, frames=16)], 1, progress=False)
    assert longer["clips"].shape[1] == 16 and "speed_w1" in longer["metrics"]
    [scratch] = video_gans.run([dataclasses.replace(config, frames_from="scratch")], 1, progress=False)
    assert set(scratch["content_motion"]) == {"content", "motion"}
    assert not any(isinstance(m, PretrainedFrames)
                   for m in video_gans.build(dataclasses.replace(config, frames_from="scratch")).game.G.modules())


def test_chapter23_longer_no_packing_and_the_whole_table():
    config = ctgan_adult.Config.for_profile(profile)
    longer = ctgan_adult.run_one(dataclasses.replace(config, steps=4 * config.steps))
    assert {"f1_mean", "ks", "missing_categories"} <= set(longer["metrics"])
    single = ctgan_adult.run_one(dataclasses.replace(config, pac=1))
    assert len(single["fake"]) == config.train_rows
    whole = dataclasses.replace(config, train_rows=30162, steps=300 * 30162 // 500).validated()
    assert len(ctgan_adult.table(whole).train) == 30162  # every complete training row; too long to train here


def test_chapter24_budget_half_width_and_fp16():
    from dataclasses import replace

    from ganbook import fullsize
    from ganbook.experiments.base import make_trainer
    from ganbook.games import StandardGame

    table = fullsize.profile_table()
    assert table["x images"].idxmax() == "pacgan-toys"  # the largest step up: 500 times the samples
    full = animalgan.Config.for_profile("gpu")
    seconds = fullsize.step_seconds(make_trainer(StandardGame(*animalgan.networks(replace(full, width=64))),
                                                 fullsize.stand_in((3, 32, 32)), replace(full, width=64)), 2)
    assert seconds > 0
    from ganbook import shipped
    from ganbook.experiments import dcgan_showcase

    showcase, _ = shipped.load(dcgan_showcase)
    gap = fullsize.precision_gap(fullsize.generate_in(showcase, 500, "fp32"), fullsize.generate_in(showcase, 500, "fp16"))
    assert 0 < gap["mean_abs"] <= gap["max_abs"] < 0.1
