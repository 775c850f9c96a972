"""Chapter 20: the voxel world's solids, its fixed splits, and the IoU / nearest-IoU / coverage measurements."""

import math

import numpy as np
import pytest
import torch

from ganbook.data import voxels
from ganbook.errors import DataError
from ganbook.metrics.voxels import coverage, iou, nearest_iou

TURN_Z_TO_X = torch.tensor([[0.0, 0.0, 1.0], [0.0, 1.0, 0.0], [-1.0, 0.0, 0.0]])  # a quarter turn about y


def posed(kind, size, rotation=None, centre=0.5):
    """Factors for one shape of each ``kind`` at ``size``, centred, unrotated unless told."""
    n = len(kind)
    rotation = torch.eye(3) if rotation is None else rotation
    return {"kind": torch.tensor(kind), "size": torch.full((n,), float(size)),
            "centre": torch.full((n, 3), float(centre)), "rotation": rotation.expand(n, 3, 3).clone()}


def formula_volume(kind, r):
    """Each class's volume from its own dimensions, in the units of ``r``."""
    if kind == 0:
        return 4 / 3 * math.pi * r ** 3
    if kind == 1:
        return (2 * voxels.CUBE_HALF * r) ** 3
    if kind == 2:
        return math.pi * (voxels.CYLINDER_HALF * r) ** 2 * 2 * voxels.CYLINDER_HALF * r
    if kind == 3:
        return math.pi * (voxels.CONE_BASE * r) ** 2 * voxels.CONE_HEIGHT * r / 3
    major = voxels.TORUS_MAJOR * r
    return 2 * math.pi ** 2 * major * (voxels.TUBE * major) ** 2


@pytest.fixture(scope="module")
def train():
    return voxels.world("train")


@pytest.fixture(scope="module")
def held_out_set():
    return voxels.world("test")


def test_the_same_rng_gives_the_same_shapes_and_other_seeds_differ():
    a = voxels.sample_factors(16, torch.Generator().manual_seed(5))
    b = voxels.sample_factors(16, torch.Generator().manual_seed(5))
    assert set(a) == {"kind", "size", "centre", "rotation"}
    assert all(torch.equal(a[k], b[k]) for k in a)
    assert torch.equal(voxels.shapes(6, seed=1).voxels, voxels.shapes(6, seed=1).voxels)
    assert not torch.equal(voxels.shapes(6, seed=1).voxels, voxels.shapes(6, seed=2).voxels)
    assert a["kind"].dtype == torch.int64 and a["size"].min() >= 0 and a["size"].max() <= 1


def test_render_gives_float_occupancy_of_the_asked_size():
    factors = voxels.sample_factors(3, torch.Generator().manual_seed(0))
    for side in (32, 64):
        grids = voxels.render(factors, side)
        assert grids.shape == (3, 1, side, side, side) and grids.dtype == torch.float32
        assert set(grids.unique().tolist()) == {0.0, 1.0}
    data = voxels.shapes(3, seed=0)
    assert data.voxels.dtype == torch.bool and data.occupancy.dtype == torch.float32
    assert torch.equal(data.occupancy, voxels.render(factors)) and len(data) == 3
    with pytest.raises(DataError, match="32 or 64"):
        voxels.shapes(3, seed=0, size=16)


def test_rotations_are_orthonormal_with_determinant_one_and_spread_evenly():
    rotation = voxels.rotations(20000, torch.Generator().manual_seed(3))
    eye = torch.eye(3).expand(20000, 3, 3)
    assert torch.allclose(rotation @ rotation.transpose(1, 2), eye, atol=1e-5)
    assert torch.allclose(torch.linalg.det(rotation), torch.ones(20000), atol=1e-5)
    # a uniform rotation has every entry of mean 0 and variance 1/3
    assert rotation.mean(0).abs().max() < 0.02
    assert torch.allclose(rotation.var(0), torch.full((3, 3), 1 / 3), atol=0.02)


def test_the_world_is_aligned_and_upright_shapes_turn_only_about_z():
    rng = torch.Generator().manual_seed(4)
    turn = voxels.turns(20000, rng)
    assert torch.allclose(turn @ turn.transpose(1, 2), torch.eye(3).expand(20000, 3, 3), atol=1e-5)
    assert torch.equal(turn[:, :, 2], torch.tensor([0.0, 0.0, 1.0]).expand(20000, 3))  # z stays up
    angle = torch.atan2(turn[:, 1, 0], turn[:, 0, 0])
    assert (angle.histc(8, -math.pi, math.pi) / 20000 - 1 / 8).abs().max() < 0.01  # every heading alike
    assert torch.equal(voxels.world("test").factors["rotation"], torch.eye(3).expand(500, 3, 3))
    factors = voxels.sample_factors(400, torch.Generator().manual_seed(9), orientation="upright")
    assert torch.equal(factors["rotation"][:, :, 2], torch.tensor([0.0, 0.0, 1.0]).expand(400, 3))
    assert factors["rotation"][:, 0, 0].std() > 0.5  # turned every which way about z
    yaw = torch.tensor([[math.cos(0.4), -math.sin(0.4), 0.0], [math.sin(0.4), math.cos(0.4), 0.0],
                        [0.0, 0.0, 1.0]])
    straight, turned = voxels.render(posed(range(5), 1.0)), voxels.render(posed(range(5), 1.0, yaw))
    for kind in (0, 2, 3, 4):  # round about z: the same voxels however they are turned
        assert torch.equal(straight[kind], turned[kind]), voxels.CLASSES[kind]
    assert not torch.equal(straight[1], turned[1])
    tumbling = voxels.sample_factors(400, torch.Generator().manual_seed(9), orientation="random")
    assert abs(tumbling["rotation"][:, 2, 2].abs().mean() - 0.5) < 0.05  # |cos| of a uniform tilt: 1/2 on average
    with pytest.raises(DataError, match="use one of aligned, upright, random"):
        voxels.sample_factors(2, rng, orientation="sideways")


@pytest.mark.parametrize("size", [0.5, 1.0])
def test_each_solid_has_the_volume_its_formula_gives(size):
    side = 64
    r = float(voxels.radius(torch.tensor(size))) * side
    counts = voxels.render(posed(range(5), size), side).flatten(1).sum(1)
    for kind in range(5):
        expected = formula_volume(kind, r)
        assert expected == pytest.approx(4 / 3 * math.pi * r ** 3, rel=1e-9)  # equal size, equal volume
        assert counts[kind].item() == pytest.approx(expected, rel=0.10), voxels.CLASSES[kind]


def test_in_random_poses_the_mean_volume_matches_the_formula_closely():
    rng = torch.Generator().manual_seed(11)
    factors = voxels.sample_factors(200, rng, orientation="random")
    factors["size"] = torch.full((200,), 0.5)
    counts = voxels.render(factors).flatten(1).sum(1)
    sphere = 4 / 3 * math.pi * (float(voxels.radius(torch.tensor(0.5))) * 32) ** 3
    for kind in range(5):
        assert counts[factors["kind"] == kind].mean().item() == pytest.approx(sphere, rel=0.04)


def test_the_cone_points_up_the_cylinder_and_torus_stand_on_their_own_z():
    upright = voxels.render(posed([2, 3, 4], 1.0))[:, 0]
    turned = voxels.render(posed([2, 3, 4], 1.0, TURN_Z_TO_X))[:, 0]
    cylinder, cone, torus = upright
    along_z = cylinder.sum((0, 1))
    assert len(set(along_z[along_z > 0].tolist())) == 1  # every cross-section across the axis is the same disc
    along_x = turned[0].sum((1, 2))
    assert len(set(along_x[along_x > 0].tolist())) == 1
    layers = cone.sum((0, 1))[cone.sum((0, 1)) > 0]
    assert torch.all(layers[1:] <= layers[:-1]) and layers[0] > 10 * layers[-1]  # wide base, apex up
    layers = turned[1].sum((1, 2))[turned[1].sum((1, 2)) > 0]
    assert torch.all(layers[1:] <= layers[:-1]) and layers[0] > 10 * layers[-1]  # apex along +x once turned
    thick = (torus.sum((0, 1)) > 0).sum().item()
    wide = (torus.sum((1, 2)) > 0).sum().item()
    assert thick < wide / 3 and torus[15:17, 15:17, :].sum() == 0  # flat in xy, with a hole through the middle
    assert (turned[2].sum((1, 2)) > 0).sum().item() == thick


@pytest.mark.parametrize("split", ["train", "test"])
def test_no_shape_is_empty_or_touches_the_border_and_the_classes_are_balanced(split):
    data = voxels.world(split)
    assert len(data) == voxels.SIZES[split] and data.voxels.shape[1:] == (1, 32, 32, 32)
    grids = data.voxels[:, 0]
    assert grids.flatten(1).sum(1).min() > 700
    for axis in (1, 2, 3):
        assert not grids.narrow(axis, 0, 1).any() and not grids.narrow(axis, 31, 1).any()
    share = torch.bincount(data.labels, minlength=5).double() / len(data)
    assert (share - 0.2).abs().max() < 0.05


def test_the_held_out_set_skips_every_grid_the_training_set_has(train, held_out_set):
    def keys(data):
        return {row.tobytes() for row in np.packbits(data.voxels.flatten(1).numpy(), axis=1)}

    assert len(keys(train)) >= 0.995 * len(train)  # aligned cubes of nearby sizes and places can coincide
    assert not keys(train) & keys(held_out_set) and len(keys(held_out_set)) == len(held_out_set)
    drawn = voxels.shapes(voxels.SIZES["test"] + voxels.SPARE, voxels.SPLIT_SEEDS["test"])
    seen = keys(train)
    skipped = [i for i, key in enumerate(np.packbits(drawn.voxels.flatten(1).numpy(), axis=1))
               if key.tobytes() in seen]
    assert 0 < len(skipped) <= voxels.SPARE  # the seeded draw does meet training grids, and they were skipped
    kept = [i for i in range(len(drawn)) if i not in skipped][:len(held_out_set)]
    assert torch.equal(held_out_set.voxels, drawn.voxels[kept])


def test_the_source_draws_from_the_fixed_training_set(train):
    source = voxels.VoxelSource()
    a, b = source(8, torch.Generator().manual_seed(4)), source(8, torch.Generator().manual_seed(4))
    idx = torch.randint(len(train), (8,), generator=torch.Generator().manual_seed(4))
    assert a.x.shape == (8, 1, 32, 32, 32) and a.x.dtype == torch.float32 and torch.equal(a.x, b.x)
    assert torch.equal(a.x, train.occupancy[idx]) and torch.equal(a.kind, train.labels[idx]) and a.c is None
    with pytest.raises(DataError, match="use one of train, test"):
        voxels.world("valid")


def naive_iou(a, b):
    """IoU of two grids, voxel by voxel in Python."""
    inter = union = 0
    for x, y in zip(a.ravel().tolist(), b.ravel().tolist()):
        inter += (x > 0.5) and (y > 0.5)
        union += (x > 0.5) or (y > 0.5)
    return 1.0 if union == 0 else inter / union


def test_iou_matches_a_voxel_by_voxel_loop():
    rng = torch.Generator().manual_seed(7)
    a, b = torch.rand(6, 1, 5, 5, 5, generator=rng), torch.rand(6, 1, 5, 5, 5, generator=rng) * 0.9
    a[0], b[0] = 0.2, 0.4  # both empty after the threshold
    a[1] = b[1]
    got = iou(a, b)
    assert got.shape == (6,)
    assert np.allclose(got.numpy(), [naive_iou(a[i].numpy(), b[i].numpy()) for i in range(6)], atol=1e-6)
    assert got[0] == 1.0 and got[1] == 1.0 and 0 < got[2:].min() < got[2:].max() < 1


def test_nearest_iou_matches_brute_force_over_every_pair():
    rng = torch.Generator().manual_seed(8)
    made = (torch.rand(7, 1, 6, 6, 6, generator=rng) < torch.rand(7, 1, 1, 1, 1, generator=rng)).float()
    reference = (torch.rand(11, 1, 6, 6, 6, generator=rng) < 0.4).float()
    made[0], reference[3] = 0, 0  # an empty grid meets an empty grid: IoU 1
    made[1] = reference[9]
    brute = torch.tensor([max(float(iou(made[i:i + 1], reference[j:j + 1])) for j in range(11)) for i in range(7)])
    for chunk in (3, 256):
        assert torch.allclose(nearest_iou(made, reference, chunk=chunk), brute, atol=1e-6)
    assert brute[0] == 1.0 and brute[1] == 1.0 and brute[2:].max() < 1


def test_training_shapes_find_themselves_and_held_out_ones_do_not(train, held_out_set):
    assert torch.equal(nearest_iou(train.voxels[:6], train.voxels), torch.ones(6))
    held_out = nearest_iou(held_out_set.voxels[:32], train.voxels)
    assert 0.2 < held_out.mean() < 0.95 and held_out.max() < 1


def test_coverage_counts_shares_classes_and_distance_to_uniform():
    report = coverage(torch.tensor([0, 0, 0, 1, 1, 3]), 5)
    assert report["shares"] == pytest.approx([1 / 2, 1 / 3, 0, 1 / 6, 0])
    assert report["present"] == 3
    assert report["tv"] == pytest.approx(0.5 * (0.3 + 2 / 15 + 0.2 + 1 / 30 + 0.2))
    assert coverage(torch.arange(10) % 5, 5)["tv"] == pytest.approx(0.0)
    assert coverage(torch.zeros(4, dtype=torch.long), 5)["tv"] == pytest.approx(0.8)
    with pytest.raises(ValueError, match="number of classes"):
        coverage(torch.tensor([0, 5]), 5)
