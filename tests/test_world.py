"""The shape world, its reader and ProGAN's sliced Wasserstein distance (chapters 14-16)."""

import colorsys
import math

import numpy as np
import pytest
import scipy.ndimage
import scipy.stats
import torch

from ganbook import checkpoints
from ganbook.data import catalog, shapes
from ganbook.errors import DataError
from ganbook.experiments import world
from ganbook.metrics.instruments import shape_reader
from ganbook.metrics import swd


def one(shape: int, hue: int = 0, size: float = 1.0, x: float = 0.5, y: float = 0.5, rotation: float = 0.0,
        background: int = 1) -> dict[str, torch.Tensor]:
    """The factors of one one-shape scene, with no colour jitter."""
    t = lambda v, dtype=torch.float32: torch.tensor([[v]], dtype=dtype)  # noqa: E731
    return {"shape": t(shape, torch.long), "hue": t(hue, torch.long), "size": t(size), "x": t(x), "y": t(y),
            "rotation": t(rotation), "background": torch.tensor([background]), "hue_jitter": t(0.0),
            "saturation": t(1.0), "value": t(1.0), "grey_jitter": torch.zeros(1)}


@pytest.mark.parametrize("shape, area", [
    (0, lambda r: math.pi * r ** 2),
    (1, lambda r: (1.7 * r) ** 2),
    (2, lambda r: 3 * math.sqrt(3) / 4 * (1.2 * r) ** 2),
    (3, lambda r: 5 * (1.25 * r) * (0.5 * r) * math.sin(math.pi / 5)),  # ten triangles tip-centre-inner corner
])
def test_each_shape_covers_its_geometric_area(shape, area):
    image, maps = shapes.render(one(shape, rotation=0.3), size=64)
    r = 0.28 * 64  # size 1: radius 0.28 of the side
    assert float((maps == shape + 1).sum()) == pytest.approx(area(r), rel=0.03)


def test_colours_background_and_class_map_are_the_stated_factors():
    for hue in range(6):
        image, maps = shapes.render(one(2, hue=hue, background=0), size=32)
        centre = (image[0, :, 16, 16] + 1) / 2
        expected = colorsys.hsv_to_rgb(hue / 6, 1.0, 1.0)
        assert torch.allclose(centre, torch.tensor(expected), atol=1e-5)
        assert float((image[0, :, 0, 0] + 1) / 2 @ torch.ones(3)) == pytest.approx(3 * shapes.GREYS[0], abs=1e-5)
        assert int(maps[0, 16, 16]) == 3 and int(maps[0, 0, 0]) == 0


def test_hsv_matches_colorsys():
    h, s, v = torch.rand(3, 50, generator=torch.Generator().manual_seed(0))
    ours = shapes.hsv_to_rgb(h * 360, s, v)
    theirs = torch.tensor([colorsys.hsv_to_rgb(*map(float, t)) for t in zip(h, s, v)])
    assert torch.allclose(ours, theirs, atol=1e-6)


def test_scenes_are_seeded_whole_and_captioned():
    a, b = shapes.scenes(300, seed=3), shapes.scenes(300, seed=3)
    assert torch.equal(a.images, b.images) and a.captions == b.captions
    assert a.images.shape == (300, 3, 32, 32) and -1 <= float(a.images.min()) and float(a.images.max()) <= 1
    # every shape lies wholly inside the picture: its class never touches the border
    border = torch.cat([a.maps[:, 0], a.maps[:, -1], a.maps[:, :, 0], a.maps[:, :, -1]], 1)
    assert int(border.max()) == 0
    assert torch.equal(a.labels, a.factor("shape"))
    pair = shapes.scenes(4, seed=1, size=64, objects=2)
    assert pair.images.shape == (4, 3, 64, 64) and pair.factors["shape"].shape == (4, 2)


def test_captions_read_the_factors():
    f = {k: torch.cat([v, v], 1) if v.dim() == 2 else v for k, v in one(0, hue=0, size=0.2, x=0.3, y=0.2).items()}
    f["shape"][0, 1], f["hue"][0, 1], f["size"][0, 1], f["y"][0, 1] = 1, 4, 0.9, 0.8
    assert shapes.caption(f, 0) == "a small red circle above a large blue square"
    f["x"][0, 1], f["y"][0, 1] = 0.1, 0.25
    assert shapes.caption(f, 0) == "a small red circle right of a large blue square"
    assert shapes.caption(one(3, hue=5, size=0.7), 0) == "a large magenta star"


def test_clips_move_inside_the_frame_and_start_from_the_scene():
    video, f = shapes.clips(6, frames=10, seed=2)
    assert video.shape == (6, 10, 3, 32, 32)
    reach, x = shapes._extent(f["size"][:, :, 0], 1), f["x"][:, :, 0]
    assert bool(((x >= reach - 1e-6) & (x <= 1 - reach + 1e-6)).all())
    assert float((video[:, 1:] - video[:, :-1]).abs().amax((2, 3, 4)).min()) > 0  # every clip moves


def test_world_is_in_the_catalog_and_bad_requests_name_the_fix():
    assert "shapes" in {s.name for s in catalog()}
    with pytest.raises(DataError, match="unknown split 'val'"):
        shapes.world("val")
    with pytest.raises(DataError, match="16, 32 or 64"):
        shapes.scenes(2, 0, size=48)


def test_the_shipped_reader_scores_its_manifest_and_reads_shape_and_colour():
    manifest = checkpoints.read_manifest(shape_reader.SHIPPED)
    report = shape_reader.report(shape_reader.shipped(), shapes.world("test"))
    for key, value in manifest["metrics"].items():
        assert report[key] == pytest.approx(value, abs=1e-4), key
    assert report["shape_accuracy"] >= 0.95 and report["hue_accuracy"] >= 0.95
    assert shape_reader.SHIPPED.stat().st_size < 1_000_000


def test_world_metrics_rank_real_scenes_above_noise():
    real = shapes.world("test").images[:500]
    good, bad = world.measure(real), world.measure(torch.rand(500, 3, 32, 32) * 2 - 1)
    assert good["fd"] < 0.1 * bad["fd"] and good["recall"] > 0.5 > bad["recall"]
    assert good["shape_kl"] < 0.05 and good["hue_kl"] < 0.05


def test_sliced_wasserstein_in_one_dimension_is_scipys_w1():
    a, b = torch.randn(400, 1, dtype=torch.float64), 0.5 + 2 * torch.randn(400, 1, dtype=torch.float64)
    ours = swd.sliced_wasserstein(a, b, directions=3, rng=torch.Generator().manual_seed(0))
    assert ours == pytest.approx(scipy.stats.wasserstein_distance(a[:, 0].numpy(), b[:, 0].numpy()), rel=1e-9)


def test_random_patches_are_windows_of_their_image():
    image = torch.arange(2 * 3 * 10 * 12, dtype=torch.float64).reshape(2, 3, 10, 12)
    patches = swd.random_patches(image, 5, torch.Generator().manual_seed(0)).reshape(2, 5, 3, 7, 7)
    for i in range(2):
        for p in patches[i]:
            r, c = divmod(int(p[0, 0, 0] - image[i, 0, 0, 0]), 12)
            assert torch.equal(p, image[i, :, r:r + 7, c:c + 7])


def test_swd_tells_real_from_blurred_at_the_fine_level():
    real, other = shapes.world("train").images[:300], shapes.world("test").images[:300]
    blurred = torch.nn.functional.interpolate(torch.nn.functional.avg_pool2d(other, 4), scale_factor=4,
                                              mode="bilinear")
    same, blur = swd.swd_per_level(real, other, patches_per_image=16), swd.swd_per_level(real, blurred, patches_per_image=16)
    assert len(same) == 2 and blur[0] > 2 * same[0]  # measured: 89.0 against 36.4 (16 patches per image)


# ProGAN's metrics/sliced_wasserstein.py, written again with loops and explicit numpy indexing.
ROW = np.array([1.0, 4.0, 6.0, 4.0, 1.0])


def naive_blur(images: np.ndarray, gain: float = 1.0) -> np.ndarray:
    """The 5x5 binomial filter with mirrored (reflect-101) borders, tap by tap."""
    n, c, h, w = images.shape

    def mirror(i: int, size: int) -> int:
        while i < 0 or i >= size:
            i = -i if i < 0 else 2 * (size - 1) - i
        return i

    out = np.zeros_like(images)
    for dy in range(-2, 3):
        rows = [mirror(y + dy, h) for y in range(h)]
        for dx in range(-2, 3):
            cols = [mirror(x + dx, w) for x in range(w)]
            out += gain * ROW[dy + 2] * ROW[dx + 2] / 256 * images[:, :, rows][:, :, :, cols]
    return out


def naive_swd(real: np.ndarray, fake: np.ndarray, per_image: int, directions: int, repeats: int, seed: int) -> list:
    rng = torch.Generator().manual_seed(seed)
    n, c, size, _ = real.shape
    levels = sum(1 for r in (size, size // 2, size // 4, size // 8) if r >= 16)

    def pyramid(images):
        out = [images]
        for _ in range(levels - 1):
            coarse = naive_blur(out[-1])[:, :, ::2, ::2]
            stuffed = np.zeros_like(out[-1])
            stuffed[:, :, ::2, ::2] = coarse
            out[-1] = out[-1] - naive_blur(stuffed, gain=4.0)
            out.append(coarse)
        return out

    def descriptors(images):
        result = []
        for level in pyramid(images):
            h, w = level.shape[-2:]
            cols = torch.randint(w - 6, (n, per_image), generator=rng).numpy()
            rows = torch.randint(h - 6, (n, per_image), generator=rng).numpy()
            d = np.array([level[i, :, rows[i, k]:rows[i, k] + 7, cols[i, k]:cols[i, k] + 7]
                          for i in range(n) for k in range(per_image)])  # (n * per_image, c, 7, 7)
            for ch in range(c):
                d[:, ch] = (d[:, ch] - d[:, ch].mean()) / d[:, ch].std()
            result.append(d.reshape(len(d), -1))
        return result

    reals, fakes = descriptors(real), descriptors(fake)
    out = []
    for a, b in zip(reals, fakes):
        per_repeat = []
        for _ in range(repeats):
            u = torch.randn(a.shape[1], directions, generator=rng, dtype=torch.float64).numpy()
            u = u / np.sqrt((u ** 2).sum(0, keepdims=True))
            per_repeat.append(np.mean(np.abs(np.sort(a @ u, axis=0) - np.sort(b @ u, axis=0))))
        out.append(1e3 * np.mean(per_repeat))
    return out


def test_binomial_pyramid_is_progans_with_mirrored_borders():
    x = torch.randn(2, 3, 32, 32, dtype=torch.float64, generator=torch.Generator().manual_seed(0))
    kernel = np.outer(ROW, ROW)[None, None] / 256  # their call, as cv2.pyrDown: scipy's "mirror" is reflect-101
    assert np.allclose(scipy.ndimage.convolve(x.numpy(), kernel, mode="mirror"), naive_blur(x.numpy()), atol=1e-12)
    assert np.allclose(swd.binomial_blur(x).numpy(), naive_blur(x.numpy()), atol=1e-12)
    h0, coarse = swd.binomial_pyramid(x, 2)
    assert coarse.shape == (2, 3, 16, 16) and torch.allclose(swd.pyr_up(coarse) + h0, x, atol=1e-12)
    assert [swd.pyramid_levels(s) for s in (8, 16, 32, 128)] == [0, 1, 2, 4]


def test_swd_is_progans_formula_given_the_same_draws():
    real, fake = shapes.world("train").images[:5].double(), shapes.world("test").images[:5].double()
    ours = swd.swd_per_level(real, fake, patches_per_image=12, directions=16, repeats=3, seed=4)
    theirs = naive_swd(real.numpy(), fake.numpy(), per_image=12, directions=16, repeats=3, seed=4)
    assert len(ours) == 2 and ours == pytest.approx(theirs, rel=1e-5)  # float32 projections, as theirs


def test_a_reader_that_no_longer_fits_is_refused_naming_the_rebuild(tmp_path):
    from ganbook.errors import CheckpointError
    from ganbook.models.reader import ShapeReader

    config = shape_reader.Config.for_profile("smoke")
    stale = tmp_path / "shape_reader.pt"
    checkpoints.save(stale, {"model": ShapeReader(width=4).state_dict()}, {"name": "shape-reader", "config": config.as_dict()})
    with pytest.raises(CheckpointError) as err:
        shape_reader.load(stale)
    message = str(err.value)
    assert "\n" not in message and message.endswith("`python -m ganbook train shape-reader --out ganbook/assets`")
