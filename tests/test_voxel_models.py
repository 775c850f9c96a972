"""Chapter 20's networks and its shipped 3-D classifier."""

import pytest
import torch

from ganbook.data import voxels
from ganbook.metrics.instruments import voxel_classifier
from ganbook.models.voxel import VoxelClassifier, VoxelDiscriminator, VoxelGenerator


def test_the_generator_makes_occupancy_grids_and_d_scores_them():
    G, D = VoxelGenerator(z_dim=8, width=4), VoxelDiscriminator(width=4)
    x = G(torch.randn(3, 8))
    assert x.shape == (3, 1, 32, 32, 32) and 0 <= x.min() and x.max() <= 1
    assert D(x).shape == (3,)
    assert D.features(x).shape == (3, 8 * (4 + 8 + 16))  # three layers, each max-pooled to 2x2x2 cells
    with pytest.raises(ValueError, match=r"\(n, 1, 32, 32, 32\)"):
        D(torch.zeros(2, 1, 16, 16, 16))


def test_flip_flips_the_share_it_is_given():
    grids = voxels.world("test").occupancy[:4]
    rng = torch.Generator().manual_seed(0)
    assert torch.equal(voxel_classifier.flip(grids, 0.0, rng), grids)
    assert torch.equal(voxel_classifier.flip(grids, 1.0, rng), 1 - grids)
    changed = (voxel_classifier.flip(grids, torch.tensor([0.0, 0.1, 0.2, 0.3]), rng) != grids).float()
    assert changed.mean((1, 2, 3, 4)).tolist() == pytest.approx([0.0, 0.1, 0.2, 0.3], abs=0.01)


def test_the_classifier_reads_grids_binarised_at_one_half():
    model = VoxelClassifier(5, width=2).eval()
    grids = voxels.world("test").occupancy[:6]
    assert torch.equal(voxel_classifier.classify(model, grids * 0.6), voxel_classifier.classify(model, grids))


def test_the_shipped_classifier_names_every_held_out_primitive_even_with_flipped_voxels():
    manifest_metrics = voxel_classifier.evaluate_model(voxel_classifier.shipped())
    for row in manifest_metrics["robustness"]:
        assert row["accuracy"] >= 0.95, row
        assert min(row[f"accuracy_{c}"] for c in voxels.CLASSES) >= 0.9, row
    assert sum(p.numel() for p in voxel_classifier.shipped().parameters()) * 4 < 1_000_000  # under 1 MB


def test_a_spheres_mesh_lies_on_its_radius():
    from ganbook.meshes import mesh

    centre = torch.full((1, 3), 0.5)
    factors = {"kind": torch.tensor([0]), "size": torch.tensor([1.0]), "centre": centre,
               "rotation": torch.eye(3)[None]}
    grid = voxels.render(factors)[0]
    verts, faces = mesh(grid)
    r = float(voxels.radius(torch.tensor(1.0))) * 32
    distances = ((torch.from_numpy(verts) - 16.0) ** 2).sum(1).sqrt()  # voxel i's centre is at i + 0.5
    assert len(faces) > 500 and abs(float(distances.mean()) + 0.5 - r) < 0.6
    assert len(mesh(torch.zeros(1, 8, 8, 8))[1]) == 0


def test_the_3d_gan_experiment_trains_measures_and_interpolates():
    from ganbook.experiments import voxel_gan

    config = voxel_gan.Config.for_profile("smoke")
    trainer = voxel_gan.build(config).fit(config.steps, progress=False)
    scores = voxel_gan.evaluate(trainer, config)
    assert 1 <= scores["classes_present"] <= 5 and 0 <= scores["nearest_iou"] <= scores["nearest_iou_max"] <= 1
    assert 0 <= scores["d_feature_accuracy"] <= 1
    path = voxel_gan.interpolate(trainer, 4)
    assert path.shape == (4, 1, 32, 32, 32)
    ends = torch.randn(2, config.z_dim, generator=torch.Generator().manual_seed(3))
    assert torch.allclose(path[0], trainer.generate(1, z=ends[:1]), atol=1e-6)


def test_held_out_real_shapes_cover_every_class_and_are_not_copies_of_training_shapes():
    from ganbook.experiments import voxel_gan

    real = voxel_gan.reference()
    assert real["classes_present"] == 5 and real["class_tv"] < 0.1
    assert 0.5 < real["nearest_iou"] < 0.8 and real["nearest_iou_max"] < 1


def test_a_class_conditional_pair_takes_classes_and_names_the_fix_without_them():
    G, D = VoxelGenerator(z_dim=8, width=2, n_classes=5), VoxelDiscriminator(width=2, n_classes=5)
    z, c = torch.randn(4, 8), torch.tensor([0, 1, 4, 4])
    x = G(z, c)
    assert x.shape == (4, 1, 32, 32, 32) and D(x, c).shape == (4,)
    assert not torch.allclose(G(z, torch.tensor([1, 1, 1, 1])), x)  # the class changes the shape
    with torch.no_grad():
        D.embed.weight.zero_()  # no projection left: the logit is the unconditional head's
        assert torch.allclose(D(x, c), D(x, torch.tensor([2, 2, 2, 2])))
    for bad in (None, torch.tensor([0, 1, 5, 2]), torch.tensor([0.0, 1, 2, 3])):
        with pytest.raises(ValueError, match="classes"):
            G(z, bad)


def test_d_accuracy_counts_reals_above_and_fakes_below_zero():
    from ganbook.games.voxel import d_accuracy

    real, fake = torch.tensor([2.0, -1.0, 0.5, 3.0]), torch.tensor([-2.0, 0.1, -0.3])
    naive = (sum(float(r) > 0 for r in real) + sum(float(f) < 0 for f in fake)) / 7
    assert float(d_accuracy(real, fake)) == pytest.approx(naive) == pytest.approx(5 / 7)


def test_the_capped_game_leaves_d_alone_on_batches_it_already_sorts_and_trains_g_every_step():
    from ganbook.experiments import voxel_gan

    for cap in (1.0, 1e-6):
        trainer = voxel_gan.build(voxel_gan.Config.for_profile("smoke", d_accuracy_cap=cap))
        d0 = [p.detach().clone() for p in trainer.game.D.parameters()]
        g0 = [p.detach().clone() for p in trainer.game.G.parameters()]
        seen = []
        trainer.fit(3, callbacks=[lambda t: seen.append(t.game.last_accuracy)], progress=False)
        accuracies = seen[1:]  # the first call comes before any step
        assert len(accuracies) == 3 and all(0 <= a <= 1 for a in accuracies)
        d_moved = not all(torch.equal(a, b) for a, b in zip(d0, trainer.game.D.parameters()))
        g_moved = not all(torch.equal(a, b) for a, b in zip(g0, trainer.game.G.parameters()))
        assert g_moved and d_moved == any(a <= cap for a in accuracies), (cap, accuracies)
    assert not all(a <= 1e-6 for a in accuracies)  # so the small cap did hold D back on some step


def test_the_gpu_profile_and_the_d_rule_are_the_papers_as_quoted():
    from ganbook.anchors import anchor
    from ganbook.experiments import voxel_gan

    paper = {k: m for k, (m, _) in anchor("3dgan-settings").values.items()}
    gpu = voxel_gan.Config.for_profile("gpu")
    assert (gpu.lr_g, gpu.lr_d, gpu.batch_size, gpu.z_dim, gpu.betas[0]) == (
        paper["lr_g"], paper["lr_d"], paper["batch_size"], paper["z_dim"], paper["beta1"])
    assert voxel_gan.Config.for_profile("cpu").d_accuracy_cap == paper["d_update_below_accuracy"]
    assert anchor("3dgan-modelnet").status == "quoted" and "as quoted by" in anchor("3dgan-modelnet").cite()


def test_per_class_nearest_iou_averages_over_the_shapes_named_as_each_class():
    from ganbook.experiments import voxel_gan
    from ganbook.metrics import voxels as measures

    test = voxels.world("test")
    made = test.occupancy[:40]
    scores = voxel_gan.shape_scores(made)
    named = voxel_classifier.classify(voxel_classifier.shipped(), made)
    nearest = measures.nearest_iou(made, voxels.world("train").occupancy)
    for k, name in enumerate(voxels.CLASSES):
        picked = [float(v) for v, c in zip(nearest, named) if int(c) == k]
        if picked:
            assert scores[f"nearest_iou_{name}"] == pytest.approx(sum(picked) / len(picked), abs=1e-6)
        else:
            assert scores[f"nearest_iou_{name}"] != scores[f"nearest_iou_{name}"]  # nan: none named so
    frame = voxel_gan.table({"some real": scores})
    assert frame.loc["some real", "nearest IoU"] == round(scores["nearest_iou"], 3)
    assert frame.loc["some real", "classes"] == scores["classes_present"]
    assert frame["D-feature accuracy"].isna().all()  # shape_scores does not measure D


def test_the_wgan_gp_game_uses_a_critic_without_batch_norm_and_a_gradient_penalty():
    from ganbook.experiments import voxel_gan

    config = voxel_gan.Config.for_profile("smoke", game="wgan-gp", n_critic=2)
    trainer = voxel_gan.build(config)
    D = trainer.game.D
    assert config.game == "wgan-gp" and not any(isinstance(m, torch.nn.BatchNorm3d) for m in D.modules())
    assert trainer.game.objective.penalty_weight == config.gp_weight and trainer.game.phases[0].repeat == 2
    assert any(isinstance(m, torch.nn.BatchNorm3d) for m in voxel_gan.build(voxel_gan.Config.for_profile("smoke")).game.D.modules())
    with pytest.raises(ValueError, match="unknown game 'wgan'; use one of 3dgan, wgan-gp"):
        voxel_gan.Config.for_profile("smoke", game="wgan").validated()


def test_interpolations_regroup_each_paths_shapes_by_step():
    from ganbook.experiments import voxel_gan

    trainer = voxel_gan.build(voxel_gan.Config.for_profile("smoke"))
    frames = voxel_gan.interpolations(trainer, seeds=(3, 4), steps=3)
    assert len(frames) == 3 and frames[0].shape == (2, 1, 32, 32, 32)
    assert torch.allclose(frames[2][1], voxel_gan.interpolate(trainer, 3, seed=4)[2], atol=1e-6)


def test_the_experiment_trains_without_the_rule_with_classes_and_as_wgan_gp(tmp_path):
    from ganbook.experiments import store, voxel_gan

    profile = "smoke"
    free, _ = store.load_or_train(voxel_gan, profile, tmp_path, progress=False, changes={"d_accuracy_cap": 1.0})
    assert len(free.history["loss_d"]) == len(free.history["loss_g"]) == free.step
    config = voxel_gan.Config.for_profile(profile, conditional=True)
    asked, _ = store.load_or_train(voxel_gan, profile, tmp_path, progress=False, changes={"conditional": True})
    scores = voxel_gan.evaluate(asked, config)
    assert {f"accuracy_{c}" for c in ("sphere", "cube", "cylinder", "cone", "torus")} <= set(scores)
    changes = {"game": "wgan-gp", "conditional": True, "ema_decay": 0.999}  # exercise 3: the showcase's recipe
    critic, _ = store.load_or_train(voxel_gan, profile, tmp_path, progress=False, changes=changes)
    assert critic.G_ema is not None
    gp = voxel_gan.evaluate(critic, voxel_gan.Config.for_profile(profile, **changes))
    for orientation in ("upright", "random"):  # exercise 4: the shipped classifier reads turned solids
        data = voxels.shapes(20, seed=5, orientation=orientation)
        read = voxel_classifier.accuracy(voxel_classifier.shipped(), data.occupancy, data.labels)
        assert set(read) == {"accuracy", *(f"accuracy_{c}" for c in voxels.CLASSES)}
    columns = 2 + 5 + 2 + 5 + 1 + 6 + 1  # classes and TV, shares, IoU and max, IoU per class, occupancy, asked, D
    assert len(voxels.CLASSES) == 5 and "nearest_iou_cube" in gp
    assert voxel_gan.table({"on the page": gp}).shape == (1, columns)


def test_the_showcase_bars_say_which_are_met():
    from ganbook.experiments import voxel_gan, voxel_showcase

    limit = voxel_showcase.BARS["nearest_iou_ratio"] * voxel_gan.reference()["nearest_iou"]
    good = {"accuracy": 0.93, "nearest_iou": 1.01 * limit}
    assert [met for _, met in voxel_showcase.bars(good)] == [True, True]
    bad = voxel_showcase.bars({"accuracy": 0.89, "nearest_iou": 0.99 * limit})
    assert [met for _, met in bad] == [False, False] and bad[0][0].startswith("asked class read 0.890 >= 0.9")
    from ganbook.experiments import world

    assert voxel_showcase.BARS["accuracy"] == world.BARS["class_accuracy"]  # Part III's bar, stated twice


def test_a_conditional_path_keeps_its_class_while_z_moves():
    from ganbook.experiments import voxel_gan

    config = voxel_gan.Config.for_profile("smoke", conditional=True)
    trainer = voxel_gan.build(config).fit(1, progress=False)
    frames = voxel_gan.interpolations(trainer, seeds=(3, 4), steps=5, kinds=(1, 4))
    assert len(frames) == 5 and frames[0].shape == (2, 1, 32, 32, 32)
    ends = torch.randn(2, config.z_dim, generator=torch.Generator().manual_seed(4))
    t = torch.linspace(0, 1, 5)[:, None]
    line = (1 - t) * ends[0] + t * ends[1]
    torus_path = trainer.generate(5, z=line, condition=torch.full((5,), 4))
    assert torch.allclose(torch.stack(frames)[:, 1], torus_path, atol=1e-6)
    assert not torch.allclose(torus_path, trainer.generate(5, z=line, condition=torch.full((5,), 1)))
    with pytest.raises(ValueError, match="one class per path"):
        voxel_gan.interpolations(trainer, seeds=(3, 4), kinds=(1,))


def test_the_shipped_showcase_draws_the_asked_solids_to_its_bars():
    from ganbook import shipped
    from ganbook.experiments import voxel_gan, voxel_showcase

    showcase, manifest = shipped.load(voxel_showcase)
    config = voxel_showcase.Config.for_profile(manifest["profile"])
    asked = showcase.game.conditions(config.eval_samples)
    classes = len(voxels.CLASSES)
    assert torch.equal(torch.bincount(asked), torch.full((classes,), config.eval_samples // classes))
    made, asked_again = voxel_showcase.samples(showcase, config)
    assert torch.equal(asked_again, asked)
    assert torch.equal(made, showcase.generate(config.eval_samples, seed=config.seed + 20, condition=asked))
    scores = voxel_showcase.evaluate(showcase, config)
    assert scores == voxel_gan.shape_scores(made, asked) and "d_feature_accuracy" not in scores
    assert scores["accuracy"] == pytest.approx(manifest["metrics"]["accuracy"], abs=0.01)  # fp16 weights: a few flips
    assert all(met for _, met in voxel_showcase.bars(scores)), voxel_showcase.bars(scores)


def test_asked_and_read_counts_what_was_drawn_for_each_asked_class():
    from ganbook.experiments import voxel_gan

    made = voxels.world("test").occupancy[:60]
    asked = torch.randint(len(voxels.CLASSES), (60,), generator=torch.Generator().manual_seed(3))
    asked[asked == 2] = 1  # nothing asked of the cylinder: its row is all zeros
    read = voxel_classifier.classify(voxel_classifier.shipped(), made).tolist()
    table = voxel_gan.asked_and_read(made, asked)
    for i in range(len(voxels.CLASSES)):
        rows = [r for a, r in zip(asked.tolist(), read) if a == i]
        for j in range(len(voxels.CLASSES)):
            naive = sum(r == j for r in rows) / len(rows) if rows else 0.0
            assert table.iloc[i, j] == pytest.approx(naive, abs=1e-3)
    assert table.loc["asked cylinder"].sum() == 0 and table.loc["asked cube"].sum() == pytest.approx(1.0)
