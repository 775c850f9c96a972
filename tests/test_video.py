"""Chapter 22's clips, networks, game and measurements."""

from __future__ import annotations

import math

import numpy as np
import pytest
import torch

from ganbook.anchors import anchors
from ganbook.data import shapes
from ganbook.experiments import video_gans
from ganbook.games.video import pick_frames
from ganbook.images import clip_frames
from ganbook.metrics import video
from ganbook.models.video import MotionContentGenerator, PretrainedFrames, TemporalGenerator, VideoDiscriminator


def test_the_clip_source_draws_from_the_given_stream_as_clips_does_from_a_seed():
    source = shapes.ClipSource(frames=8)
    a = source(3, torch.Generator().manual_seed(4))
    assert a.shape == (3, 8, 3, 32, 32)
    assert torch.equal(a, shapes.clips(3, 8, seed=4)[0])
    assert not torch.equal(a, source(3, torch.Generator().manual_seed(5)))


def test_mocogan_keeps_content_and_motion_in_their_own_parts_of_the_latent():
    torch.manual_seed(0)
    G = MotionContentGenerator(content_dim=6, motion_dim=4, noise_dim=3, frames=8, width=4).eval()
    assert G.latent_dim == 6 + 4 + 8 * 3
    z = torch.randn(2, G.latent_dim)
    other_content = z.clone()
    other_content[:, :6] = torch.randn(2, 6)
    assert torch.equal(G.trajectory(z), G.trajectory(other_content))  # the motion ignores z_C
    other_motion = z.clone()
    other_motion[:, 6:] = torch.randn(2, G.latent_dim - 6)
    assert not torch.allclose(G.trajectory(z), G.trajectory(other_motion))
    content, h0, eps = G.split(z)
    assert torch.equal(eps[1, 2], z[1, 10 + 6:10 + 9]) and torch.equal(h0, z[:, 6:10])
    assert G(z).shape == (2, 8, 3, 32, 32)


def test_tgan_turns_one_code_into_a_trajectory_and_the_video_d_scores_whole_clips():
    G = TemporalGenerator(latent_dim=5, motion_dim=3, frames=16, width=4)
    z = torch.randn(4, 5)
    assert G.trajectory(z).shape == (4, 16, 3) and float(G.trajectory(z).detach().abs().max()) <= 1
    clips = G(z)
    assert clips.shape == (4, 16, 3, 32, 32)
    assert VideoDiscriminator(frames=16, width=4)(clips).shape == (4, 1)
    with pytest.raises(ValueError, match="multiple of 8"):
        VideoDiscriminator(frames=12)
    with pytest.raises(ValueError, match=r"clips \(n, T, 3, 32, 32\)"):
        VideoDiscriminator(frames=8, width=4)(torch.zeros(2, 3, 8, 32, 32))


def test_pretrained_frames_stay_frozen_in_eval_mode_and_read_the_class_from_the_code():
    config = video_gans.Config.for_profile("smoke")
    trainer = video_gans.build(config)
    G = trainer.game.G.train()
    frames = G.image
    assert isinstance(frames, PretrainedFrames) and not frames.G.training
    assert not any(p.requires_grad for p in frames.G.parameters())
    trained = {id(p) for group in trainer.optimizers["g"].param_groups for p in group["params"]}
    assert trained.isdisjoint(id(p) for p in frames.G.parameters()) and id(frames.into.weight) in trained
    codes = torch.zeros(3, 8, G.content_dim + G.motion_dim)
    codes[:, 0, 0] = torch.tensor([-10.0, 10.0, 0.0])
    assert frames.classes(codes).tolist() == [0, 3, 2]  # Phi(u) = 0, 1, 0.5 of four classes
    before = {k: v.clone() for k, v in frames.G.state_dict().items()}
    trainer.fit(2, progress=False)
    assert all(torch.equal(before[k], v) for k, v in frames.G.state_dict().items())  # batch-norm stats too


def test_each_seed_starts_from_its_own_weights_around_the_same_frozen_frames():
    def fresh(seed):  # as the first run of a worker process builds it: the shipped BigGAN not loaded yet
        video_gans._shipped_biggan.cache_clear()
        return video_gans.build(video_gans.Config.for_profile("smoke", seed=seed)).game

    a, b = fresh(0), fresh(1)
    assert torch.equal(a.G.recurrent.weight_ih, fresh(0).G.recurrent.weight_ih)
    assert not torch.equal(a.G.recurrent.weight_ih, b.G.recurrent.weight_ih)
    assert not torch.equal(a.G.image.into.weight, b.G.image.into.weight)
    assert all(torch.equal(p, q) for p, q in zip(a.G.image.G.parameters(), b.G.image.G.parameters()))


def test_pick_frames_takes_each_clip_s_own_frames():
    clips = torch.arange(3 * 5, dtype=torch.float32).reshape(3, 5, 1, 1, 1).expand(3, 5, 3, 2, 2)
    picked = pick_frames(clips, 4, torch.Generator().manual_seed(0))
    assert picked.shape == (12, 3, 2, 2)
    values = picked[:, 0, 0, 0].reshape(3, 4)
    for i in range(3):  # clip i holds values 5i .. 5i + 4
        assert bool(((values[i] >= 5 * i) & (values[i] < 5 * i + 5)).all())


def _read(shape, hue, x, y):
    t = lambda v: torch.tensor(v, dtype=torch.float32)  # noqa: E731
    return {"shape": torch.tensor(shape), "hue": torch.tensor(hue), "x": t(x), "y": t(y)}


def test_content_kept_counts_clips_whose_every_frame_reads_alike():
    read = _read([[1, 1, 1], [2, 2, 0], [3, 3, 3]], [[0, 0, 0], [4, 4, 4], [5, 1, 5]], [[0] * 3] * 3, [[0] * 3] * 3)
    assert video.content_kept(read) == pytest.approx({"shape_kept": 2 / 3, "hue_kept": 2 / 3, "both_kept": 1 / 3})


def test_motion_measures_steps_in_pixels_and_compares_them_as_the_formulas_say():
    # clip 0 moves 1 px right and 0.3 px down a frame; clip 1 0.3 px right and 2 px down, then 2 px up
    px = lambda *v: [0.5 + a / 32 for a in v]  # noqa: E731
    read = _read([[0] * 3] * 2, [[0] * 3] * 2, [px(0, 1, 2), px(0, 0.3, 0.6)], [px(0, 0.3, 0.6), px(0, 2, 0)])
    m = video.motion(read)
    speeds = [math.hypot(1, 0.3)] * 2 + [math.hypot(0.3, 2)] * 2
    assert m["speed"] == pytest.approx(speeds)
    assert m["change"] == pytest.approx((0 + 4) / 2)
    hist = video.direction_histogram(m["direction"], m["speed"])

    def naive_histogram(directions):
        counts = np.zeros(8)
        for d in directions:
            counts[int((d + math.pi) // (math.pi / 4)) % 8] += 1
        return counts / counts.sum()

    assert hist == pytest.approx(naive_histogram(m["direction"]))
    still = _read([[0] * 3], [[0] * 3], [px(0, 0.4, 0.8)], [px(0, 3, 6)])  # 3 px a frame, steady
    distance = video.motion_distance(read, still)
    naive_w1 = np.mean([abs(a - math.hypot(0.4, 3)) for a in speeds])  # W1 to a point mass: the mean gap
    assert distance["speed_w1"] == pytest.approx(naive_w1, rel=1e-5)
    other = naive_histogram(video.motion(still)["direction"])
    assert distance["direction_tv"] == pytest.approx(0.5 * np.abs(hist - other).sum())


def test_the_average_content_distances_are_the_mean_gaps_between_frames():
    f = torch.randn(2, 4, 5)
    naive = np.mean([float((f[i, t + 1] - f[i, t]).norm()) for i in range(2) for t in range(3)])
    assert video.average_content_distance({"features": f}) == pytest.approx(naive, rel=1e-5)
    factors = {k: v[:1] for k, v in shapes.sample_factors(1, torch.Generator().manual_seed(0)).items()}
    factors.update(hue=torch.tensor([[0]]), size=torch.tensor([[1.0]]), saturation=torch.ones(1, 1),
                   value=torch.ones(1, 1), hue_jitter=torch.zeros(1, 1))
    red = shapes.render(factors)[0]
    factors["hue"] = torch.tensor([[4]])
    blue = shapes.render(factors)[0]
    clip = torch.stack([red, blue], 1)  # one clip whose shape turns from red to blue
    colours = (video.shape_colour(clip) + 1) / 2
    assert colours[0, 0] == pytest.approx(torch.tensor([1.0, 0, 0]), abs=0.05)
    assert video.colour_acd(clip) == pytest.approx(float((colours[0, 0] - colours[0, 1]).norm()), rel=1e-5)
    real = shapes.clips(20, 8, seed=0)[0]
    assert video.colour_acd(real) < 0.03 < video.colour_acd(clip)  # real clips keep their colour


def test_agreement_compares_pairs_within_and_across_groups():
    # two groups of two clips: the first group shares shape and motion, the second neither
    x = [[0, 1 / 32, 2 / 32], [0.5, 0.5 + 1 / 32, 0.5 + 2 / 32], [0.5] * 3, [0.5] * 3]
    y = [[0.5] * 3, [0.2] * 3, [0, 1 / 32, 2 / 32], [0.9, 0.9 - 1 / 32, 0.9 - 2 / 32]]
    read = _read([[1] * 3, [1] * 3, [2] * 3, [3] * 3], [[0] * 3] * 4, x, y)
    got = video.agreement(read, groups=2, per_group=2)
    assert got["same_shape"] == pytest.approx(0.5) and got["same_hue"] == 1.0
    assert got["motion_cosine"] == pytest.approx((1 + -1) / 2, abs=1e-5)
    assert got["same_shape_across"] == 0.0 and got["motion_cosine_across"] == pytest.approx(0.0, abs=1e-5)


def test_real_clips_keep_their_content_and_their_centres_follow_the_shapes():
    clips, factors = shapes.clips(40, 8, seed=3)
    read = video.read_clips(clips)
    kept = video.content_kept(read)
    assert kept["shape_kept"] >= 0.9 and kept["hue_kept"] >= 0.95
    assert float((read["x"] - factors["x"][..., 0]).abs().max()) < 0.01  # under a third of a pixel
    assert float((read["y"] - factors["y"][..., 0]).abs().mean()) < 0.003


def test_the_smoke_runs_are_seeded_and_measure_what_the_chapter_prints():
    config = video_gans.VideoConfig.for_profile("smoke", model="mocogan")
    a, b = video_gans.run_one(config), video_gans.run_one(config)
    assert a["metrics"] == b["metrics"] and torch.equal(a["clips"], b["clips"])
    assert set(a["metrics"]) >= {"both_kept", "speed_w1", "direction_tv", "acd", "colour_acd"}
    assert set(a["content_motion"]) == {"content", "motion"} and a["fixed"]["content"].shape[:2] == (8, 8)
    tgan = video_gans.build(video_gans.VideoConfig.for_profile("smoke", model="tgan")).fit(1, progress=False)
    with pytest.raises(ValueError, match="TGAN has one code"):
        video_gans.content_motion(tgan)


def test_clip_frames_make_one_picture_per_time_step():
    clips = shapes.clips(3, 8, seed=0)[0]
    frames = clip_frames({"real": clips, "again": clips})
    assert len(frames) == 8 and all(f[:4] == b"\x89PNG" for f in frames)
    assert frames[0] != frames[1]  # the shapes moved
    with pytest.raises(ValueError, match="same length"):
        clip_frames({"a": clips, "b": clips[:, :4]})


def test_fixed_codes_share_exactly_the_part_they_keep():
    G = MotionContentGenerator(content_dim=3, motion_dim=2, noise_dim=2, frames=8, width=4)
    z = video_gans.fixed_codes(G, groups=2, per_group=3, keep="content", seed=0)
    assert torch.equal(z[0, :3], z[2, :3]) and not torch.equal(z[0, 3:], z[1, 3:])
    assert not torch.equal(z[0, :3], z[3, :3])
    z = video_gans.fixed_codes(G, groups=2, per_group=3, keep="motion", seed=0)
    assert torch.equal(z[0, 3:], z[2, 3:]) and not torch.equal(z[0, :3], z[1, :3])


def test_bad_video_configs_name_the_fix():
    with pytest.raises(ValueError, match="unknown model 'vgan'"):
        video_gans.VideoConfig(model="vgan").validated()
    with pytest.raises(ValueError, match="multiple of 8"):
        video_gans.VideoConfig(frames=12).validated()


def test_the_video_anchors_are_quoted_and_say_so():
    rows = anchors()
    assert rows["ucf101-inception-mocogan"].values["inception_score"] == (12.42, 0.03)
    assert "as quoted by" in rows["mocogan-acd-tgan"].cite()
    assert rows["mocogan-settings"].values["content_dim"][0] == video_gans.VideoConfig.content_dim
