"""The engine: phases (every, repeat, after), named terms, game state, precision, profiles, dependencies."""

import dataclasses
import math

import numpy as np
import pytest
import torch

from ganbook import deps, losses, penalties
from ganbook.batch import Batch
from ganbook.experiments import (cgan_concat, cgan_projection, dcgan, gaussian1d, infogan, lapgan, mlp_gan, remedies,
                                 toy2d)
from ganbook.experiments.base import ExperimentConfig, adam_pair, from_manifest, parse_changes
from ganbook.experiments import srgan
from ganbook.experiments.registry import registry
from ganbook.games import Objective, StandardGame
from ganbook.models import MLPDiscriminator, MLPGenerator
from ganbook.stages import Stages
from ganbook.train import Phase, Trainer
from helpers import assert_resumes_exactly

TOY = toy2d.Config.for_profile("smoke", steps=8)


class ClippedGame(StandardGame):
    """WGAN's game with a clipped critic, a lazy regulariser every 2 steps, and a counter to checkpoint."""

    def __init__(self, G, D, n_critic=3, clip=0.01):
        super().__init__(G, D, Objective(losses.d_loss_wasserstein, losses.g_loss_wasserstein), n_critic=n_critic)
        self.clip, self.d_updates = clip, 0
        d, g = self.phases
        self.phases = [Phase("r1", "d", self.r1_losses, every=2), dataclasses.replace(d, after=self.clip_weights), g]

    def clip_weights(self):
        self.d_updates += 1
        with torch.no_grad():
            for p in self.D.parameters():
                p.clamp_(-self.clip, self.clip)

    def r1_losses(self, t):
        return {"r1": penalties.r1_penalty(self.D, t.real().x, None, t.rng)}

    def state_dict(self):
        return {"d_updates": self.d_updates}

    def load_state_dict(self, state):
        self.d_updates = state["d_updates"]


def clipped_trainer(n_critic=3):
    torch.manual_seed(0)
    G, D = MLPGenerator(2, 2, (16,)), MLPDiscriminator(2, (16,))
    return Trainer(ClippedGame(G, D, n_critic), toy2d.dataset(TOY).sample, adam_pair(G, D, 1e-3, 1e-3),
                   batch_size=32)


def test_phases_repeat_run_every_k_steps_clip_after_and_log_terms():
    t = clipped_trainer(n_critic=3).fit(5, progress=False)
    assert t.game.d_updates == 3 * 5  # repeat: n_critic D updates per step, each followed by `after`
    assert max(float(p.detach().abs().max()) for p in t.D.parameters()) <= 0.01 + 1e-7
    r1 = t.history["loss_r1"]
    assert [math.isnan(v) for v in r1] == [False, True, False, True, False]  # every 2 steps, NaN between
    assert list(t.history) == ["step", "loss_r1", "r1.r1", "loss_d", "d.adv", "loss_g", "g.adv"]
    assert t.history["loss_d"] == t.history["d.adv"]  # one term: the sum is the term


def test_game_state_resumes_with_the_run(tmp_path):
    whole, resumed = assert_resumes_exactly(clipped_trainer, 6, tmp_path / "c.pt")
    assert resumed.game.d_updates == whole.game.d_updates == 18  # the counter came back with the checkpoint


def test_penalty_of_the_standard_game_sees_the_condition():
    seen = []

    def spy(D, real, fake, rng):
        seen.append(D(real).shape)
        return real.new_zeros(())

    config = cgan_concat.Config.for_profile("smoke", steps=1)
    t = cgan_concat.build(config)
    t.game.objective = Objective(penalty=spy, penalty_weight=1.0)
    t.fit(1, progress=False)  # the conditional D needs its labels: a bare D(x) would fail here
    assert seen == [torch.Size([64, 1])] and "d.penalty" in t.history


def test_a_data_source_must_return_a_tensor_or_a_batch():
    t = toy2d.build(TOY)
    t.data = lambda n, rng: (torch.zeros(n, 2), None)
    with pytest.raises(TypeError, match="must return a Tensor or a ganbook.batch.Batch"):
        t.fit(1, progress=False)


def test_a_phase_leaves_the_other_players_weights_without_gradients():
    t = toy2d.build(TOY)
    seen = {}

    def spy(phase):
        def losses(trainer):
            seen[phase.name] = ([p.requires_grad for p in t.G.parameters()], [p.requires_grad for p in t.D.parameters()])
            return phase.losses(trainer)
        return dataclasses.replace(phase, losses=losses)

    t.game.phases = [spy(p) for p in t.game.phases]
    t.fit(1, progress=False)
    g_flags, d_flags = seen["d"]
    assert not any(g_flags) and all(d_flags)  # D's phase: G frozen
    g_flags, d_flags = seen["g"]
    assert all(g_flags) and not any(d_flags)  # G's phase: D frozen
    assert all(p.requires_grad for p in [*t.G.parameters(), *t.D.parameters()])  # given back afterwards


def test_a_batch_moves_every_named_field_together():
    b = Batch(torch.zeros(4, 3), c=torch.arange(4), other=torch.ones(4, 2), maps=torch.zeros(4, 5, 5, dtype=torch.uint8))
    moved = b.to("meta")
    assert [t.device.type for t in (moved.x, moved.c, moved.other, moved.maps)] == ["meta"] * 4
    assert moved.maps.dtype == torch.uint8 and len(moved) == 4
    with pytest.raises(AttributeError, match="this batch has no field 'target'; it has x, c and \\['maps', 'other'\\]"):
        b.target
    with pytest.raises(ValueError, match="batch field 'other' has 3 rows, x has 4"):
        Batch(torch.zeros(4, 3), other=torch.zeros(3))


def test_scenes_move_with_their_maps_and_factors():
    from ganbook.data import shapes
    scenes = shapes.scenes(6, seed=0)
    assert scenes.maps.dtype == torch.uint8 and int(scenes.maps.max()) <= len(shapes.SHAPES)
    moved = scenes.to("meta")
    assert moved.maps.device.type == "meta"
    assert {v.device.type for v in moved.factors.values()} == {"meta"}
    assert moved.captions == scenes.captions


@pytest.mark.parametrize("precision", ["bf16", "fp16"])
def test_mixed_precision_runs_and_changes_the_numbers(precision):
    def run(p):
        torch.manual_seed(0)
        G, D = MLPGenerator(2, 2, (32,)), MLPDiscriminator(2, (32,))
        return Trainer(StandardGame(G, D), toy2d.dataset(TOY).sample, adam_pair(G, D, 1e-3, 1e-3), batch_size=64,
                       precision=p).fit(4, progress=False)

    mixed, full = run(precision), run("auto")
    assert full.precision.name == "fp32" and mixed.precision.name == precision  # auto is fp32 on the CPU
    assert all(math.isfinite(v) for v in mixed.history["loss_d"])
    assert mixed.history["loss_d"] != full.history["loss_d"]
    with pytest.raises(ValueError, match="unknown precision 'fp8'"):
        run("fp8")


@pytest.mark.parametrize("name", [n for n, exp in registry().items() if not getattr(exp, "INSTRUMENT", False)])
def test_every_gpu_config_runs_a_few_steps_on_the_cpu(name, monkeypatch):
    exp = registry()[name]
    if name == "animalgan":  # CIFAR-10 needs a network: its animals' shape, from noise
        from ganbook.data.cifar import animals_only

        noise = np.random.default_rng(0).integers(0, 256, (40, 32, 32, 3), dtype=np.uint8)
        monkeypatch.setattr(exp, "cifar10_animals", lambda *a, **k: animals_only(noise, np.arange(40) % 10, "noise"))
    changes = ({"coarse_steps": 2, "band_steps": 1} if exp is lapgan else
               {"steps": 2, "gan_steps": 1} if exp is srgan else {"steps": 2})
    fields = {f.name for f in dataclasses.fields(exp.Config)}
    if "batch_size" in fields:  # the gpu widths and depths, at a batch the CPU runs in seconds
        changes["batch_size"] = 10 if "pac" in fields else 8  # CTGAN's critic scores packs of 10
    config = exp.Config.for_profile("gpu", **changes)
    run = exp.build(config, device="cpu")
    total = sum(run.steps) if isinstance(run, Stages) else config.steps
    run.fit(total, progress=False)
    assert run.step == total


def test_every_profile_row_states_only_what_differs_from_its_configs_defaults():
    from ganbook.experiments import stylegan_analysis

    configs = {exp.Config for exp in registry().values()} | {stylegan_analysis.AnalysisConfig}
    for name, exp in registry().items():
        assert exp.NAME == exp.__name__.rsplit(".", 1)[1].replace("_", "-"), name
    for config in configs:
        defaults = {f.name: f.default for f in dataclasses.fields(config)}
        for profile, row in config.PROFILES.items():
            assert set(row) <= set(defaults), (config.__name__, profile)
            assert not [k for k, v in row.items() if defaults[k] == v], (config.__name__, profile)
            config.for_profile(profile)  # every row makes a valid config


PROFILES = ["smoke", "cpu", "gpu"]


@pytest.mark.parametrize("profile", PROFILES)
def test_hyperparameters_the_chapters_state(profile):
    # chapter 1: linear decay over the second half, an averaged G
    g1 = gaussian1d.Config.for_profile(profile)
    assert g1.decay_from == 0.5 and g1.ema_decay and g1.betas == (0.5, 0.999)
    # chapter 4: WGAN-GP with five critic steps, betas (0, 0.9), penalty 10
    wgan = [v for v in remedies.objectives(toy2d.Config.for_profile(profile)) if "Wasserstein" in v.name][0]
    assert wgan.config_changes["n_critic"] == 5 and wgan.config_changes["betas"] == (0.0, 0.9)
    assert wgan.objective.penalty_weight == 10.0
    # chapter 5: the tutorials' Adam 2e-4, betas (0.5, 0.999), batch 64; DCGAN on the same budget
    mlp, dc = mlp_gan.Config.for_profile(profile), dcgan.Config.for_profile(profile)
    for c in (mlp, dc):
        assert (c.lr_g, c.lr_d, c.betas, c.batch_size) == (2e-4, 2e-4, (0.5, 0.999), 64)
    assert mlp.steps == dc.steps
    # chapter 7: chapter 5's DCGAN sizes, betas (0.5, 0.999), learning rate 2e-3
    for exp in (cgan_concat, cgan_projection):
        c = exp.Config.for_profile(profile)
        assert (c.lr_g, c.lr_d, c.betas, c.width) == (2e-3, 2e-3, (0.5, 0.999), dc.width)
    # chapter 8: G 1e-3, D 5e-4; 62 noise values, 10 categories, 2 continuous codes
    info = infogan.Config.for_profile(profile)
    assert (info.lr_g, info.lr_d, info.noise_dim, info.codes.n_cat, info.n_cont) == (1e-3, 5e-4, 62, 10, 2)


def test_config_changes_are_checked_and_parsed():
    assert parse_changes(toy2d.Config, ["steps=40", "betas=(0.0, 0.9)", "data=ring"]) == \
        {"steps": 40, "betas": (0.0, 0.9), "data": "ring"}
    with pytest.raises(ValueError, match="has no field 'stepz'"):
        toy2d.Config.for_profile("smoke", stepz=3)
    a, b = toy2d.Config.for_profile("smoke"), toy2d.Config.for_profile("smoke", seed=1)
    assert a.short_hash() != b.short_hash() and a.short_hash() == toy2d.Config.for_profile("smoke").short_hash()
    g = gaussian1d.Config.for_profile("smoke", steps=7, hidden=(8,))
    assert from_manifest(gaussian1d.Config, "smoke", g.as_dict()) == g  # lists and nested dataclasses come back


def test_dependencies_follow_imports_not_the_whole_package():
    lap, dc = deps.closure({"ganbook.experiments.lapgan"}), deps.closure({"ganbook.experiments.dcgan"})
    assert "ganbook.models.lapgan" in lap and "ganbook.models.lapgan" not in dc
    assert "ganbook.train" in lap and "ganbook.train" in dc and "ganbook.metrics.instruments.digit_classifier" in dc
    chapter9 = deps.notebook_modules((deps.ROOT.parent / "book" / "09_lapgan.md").read_text())
    chapter5 = deps.notebook_modules((deps.ROOT.parent / "book" / "05_mlp_to_dcgan.md").read_text())
    assert "ganbook.models.lapgan" in deps.closure(chapter9)
    assert "ganbook.models.lapgan" not in deps.closure(chapter5)
    assert "ganbook.experiments.registry" not in deps.closure(chapter5 | chapter9)


def test_editing_a_module_changes_only_the_hashes_that_depend_on_it(tmp_path, monkeypatch):
    import shutil

    copy = tmp_path / "ganbook"
    shutil.copytree(deps.ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(deps, "ROOT", copy)
    deps._direct.cache_clear()
    before = {m: deps.code_version(m) for m in ("ganbook.experiments.lapgan", "ganbook.experiments.dcgan")}
    with open(copy / "models" / "lapgan.py", "a") as f:
        f.write("# a comment\n")
    assert deps.code_version("ganbook.experiments.lapgan") != before["ganbook.experiments.lapgan"]
    assert deps.code_version("ganbook.experiments.dcgan") == before["ganbook.experiments.dcgan"]
    with open(copy / "train.py", "a") as f:
        f.write("# a comment\n")
    assert deps.code_version("ganbook.experiments.dcgan") != before["ganbook.experiments.dcgan"]
    deps._direct.cache_clear()


def test_the_registry_finds_every_module_that_names_an_experiment():
    import re

    named = {}
    for path in list((deps.ROOT / "experiments").glob("*.py")) + list((deps.ROOT / "metrics" / "instruments").glob("*.py")):
        match = re.search(r'^NAME = "([^"]+)"', path.read_text(), re.M)
        if match:
            named[match.group(1)] = path.stem
    found = registry()
    assert len(named) >= 23 and {n: m.__name__.rsplit(".", 1)[1] for n, m in found.items()} == named
    chapters = [m.CHAPTER for m in found.values()]
    assert chapters == sorted(chapters) and list(found)[:3] == ["gaussian1d", "fixed-g", "toy2d"]
    for exp in found.values():
        assert exp.Config.PROFILES and (callable(getattr(exp, "train_and_save", None)) if getattr(exp, "INSTRUMENT", False)
                                        else callable(exp.build) and callable(exp.evaluate))


def test_experiment_config_base_has_every_profile():
    assert set(ExperimentConfig.PROFILES) == set(PROFILES)
    for exp in registry().values():
        assert set(exp.Config.PROFILES) == set(PROFILES)


def test_metrics_and_their_instruments_import_nothing_that_trains_gans():
    metrics = [f"ganbook.metrics.{p.stem}" for p in (deps.ROOT / "metrics").glob("*.py") if p.stem != "__init__"]
    instruments = [f"ganbook.metrics.instruments.{p.stem}" for p in (deps.ROOT / "metrics" / "instruments").glob("*.py")]
    reached = deps.closure(set(metrics + instruments))
    assert not [m for m in reached if m.startswith(("ganbook.experiments", "ganbook.train", "ganbook.games"))]


def _measure_seed(config):
    return {"metrics": {"seed_twice": 2 * config.seed}, "threads": torch.get_num_threads()}


def test_a_sweep_gives_every_run_one_shape_in_order():
    from ganbook.experiments import pacgan_toys
    from ganbook.experiments.runs import sweep

    base = pacgan_toys.Config.for_profile("smoke")
    threads = torch.get_num_threads()
    named = sweep(_measure_seed, {"a": base, "b": base}, seeds=[3, 5], progress=False, workers=1)
    assert [(r["variant"], r["seed"], r["config"].seed) for r in named] == [("a", 3, 3), ("a", 5, 5), ("b", 3, 3),
                                                                            ("b", 5, 5)]
    assert [r["metrics"]["seed_twice"] for r in named] == [6, 10, 6, 10] and named[0]["threads"] == 1
    assert torch.get_num_threads() == threads
    labelled = sweep(_measure_seed, [dataclasses.replace(base, packing=2, seed=7)], progress=False, workers=1)
    assert labelled[0]["variant"] == "PacGAN2" and labelled[0]["seed"] == 7  # its own label and seed
