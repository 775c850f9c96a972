"""Shipped generators: every one loads with the current code, and a stale one is refused in one line."""

import json

import pytest
import torch

from ganbook import checkpoints, shipped
from ganbook.errors import CheckpointError
from ganbook.experiments import dcgan_showcase, digits
from ganbook.metrics.instruments import digit_classifier
from ganbook.experiments.registry import registry


@pytest.mark.parametrize("name", shipped.shipped_names())
def test_every_shipped_generator_loads_with_the_current_code(name):
    exp = registry()[name]
    trainer, manifest = shipped.load(exp)  # config, weights and fingerprint all checked
    assert manifest["precision"] == "float16" and trainer.step == manifest["steps"]
    images = trainer.generate(300)  # a class-conditional G draws the classes in turn
    assert images.shape[0] == 300 and images.shape[1] in (1, 3) and float(images.std()) > 0.1


def test_the_shipped_digit_classifier_scores_its_manifest():
    manifest = checkpoints.read_manifest(digit_classifier.SHIPPED)
    test = digits.reference().test
    assert digit_classifier.accuracy(digit_classifier.shipped(), test.images, test.labels) == pytest.approx(
        manifest["metrics"]["test_accuracy"])


def test_shipped_assets_stay_small():
    total = sum(p.stat().st_size for p in shipped.FOLDER.glob("*.pt"))
    assert total < 40e6 and all(p.stat().st_size < 10e6 for p in shipped.FOLDER.glob("*.pt"))


@pytest.fixture()
def shipped_smoke(tmp_path, monkeypatch):
    """A 2-step showcase shipped into a temporary folder, as if its profile were ``smoke``."""
    config = dcgan_showcase.Config.for_profile("smoke")
    trainer = dcgan_showcase.build(config).fit(2, progress=False)  # 2 of the profile's steps are enough here
    manifest = {"profile": "smoke", "config": config.as_dict(), "metrics": {}, "train_seconds": 0.0}
    written = shipped.ship(dcgan_showcase, trainer, manifest, folder=tmp_path)
    return tmp_path, trainer, written


def test_ship_then_load_gives_the_same_images_in_half_precision(shipped_smoke):
    folder, trainer, written = shipped_smoke
    assert written["command"] == "python -m ganbook train dcgan-showcase --profile smoke --ship"
    loaded, manifest = shipped.load(dcgan_showcase, folder)
    assert all(v.dtype == torch.float16 for v in checkpoints.load(folder / "dcgan-showcase.pt")[0]["G"].values()
               if v.is_floating_point())
    z = shipped.fixed_inputs(trainer)["z"]
    assert (loaded.generate(8, z=z) - trainer.generate(8, z=z)).abs().max() < 0.05  # fp16 weights, same images


def test_a_changed_config_is_refused_naming_the_rebuild(shipped_smoke, monkeypatch):
    folder, _, _ = shipped_smoke
    changed = {**dcgan_showcase.Config.PROFILES, "smoke": {**dcgan_showcase.Config.PROFILES["smoke"], "width": 4}}
    monkeypatch.setattr(dcgan_showcase.Config, "PROFILES", changed)
    with pytest.raises(CheckpointError) as err:
        shipped.load(dcgan_showcase, folder)
    message = str(err.value)
    assert "\n" not in message and "stale" in message and "(width)" in message
    assert message.endswith("`python -m ganbook train dcgan-showcase --profile smoke --ship`")


def test_changed_code_is_refused_by_the_fingerprint(shipped_smoke):
    folder, _, _ = shipped_smoke
    mpath = checkpoints.manifest_path(folder / "dcgan-showcase.pt")
    manifest = json.loads(mpath.read_text())
    manifest["fingerprint"][0] += 0.01  # as if the network now computed other images from the same weights
    mpath.write_text(json.dumps(manifest))
    with pytest.raises(CheckpointError, match=r"makes different images .* rebuild it with `python -m ganbook train"):
        shipped.load(dcgan_showcase, folder)


def test_a_missing_asset_names_the_command(tmp_path):
    with pytest.raises(CheckpointError, match=r"build it with `python -m ganbook train dcgan-showcase --profile cpu --ship`"):
        shipped.load(dcgan_showcase, tmp_path)


class TwoGenerators:
    """A stand-in experiment whose game has two generators, F applied after G (as a translation game would)."""

    NAME = "two-generators"

    class Config(dcgan_showcase.Config):
        pass

    @staticmethod
    def build(config, device="cpu"):
        from ganbook.games import StandardGame
        from ganbook.models import MLPDiscriminator, MLPGenerator
        from ganbook.train import Trainer

        class Game(StandardGame):
            def __init__(self):
                torch.manual_seed(0)
                super().__init__(MLPGenerator(2, 2), MLPDiscriminator(2))
                self.F = MLPGenerator(2, 2)

            def networks(self):
                return {"G": self.G, "F": self.F, "D": self.D}

            def generators(self):
                return {"G": self.G, "F": self.F}

            def fake(self, z, c):  # what D judges: F after G
                return self.F(self.G(z))

            def generate(self, nets, inputs):
                return nets["F"](nets["G"](inputs["z"]))

        game = Game()
        opts = {"g": torch.optim.Adam([*game.G.parameters(), *game.F.parameters()], 1e-2),
                "d": torch.optim.Adam(game.D.parameters(), 1e-2)}
        return Trainer(game, lambda n, rng: torch.randn(n, 2, generator=rng), opts, batch_size=8, ema_decay=0.9)


def test_a_game_with_two_generators_averages_ships_and_loads_both(tmp_path):
    config = TwoGenerators.Config.for_profile("smoke")
    trainer = TwoGenerators.build(config).fit(5, progress=False)
    assert sorted(trainer.averaged) == ["F", "G"]
    assert not torch.equal(trainer.averaged["F"].net[0].weight, trainer.game.F.net[0].weight)  # F is averaged too
    manifest = {"profile": "smoke", "config": config.as_dict(), "metrics": {}, "train_seconds": 0.0}
    shipped.ship(TwoGenerators, trainer, manifest, folder=tmp_path)
    assert sorted(checkpoints.load(tmp_path / "two-generators.pt")[0]) == ["F", "G"]
    loaded, _ = shipped.load(TwoGenerators, tmp_path)
    assert (loaded.generate(16) - trainer.generate(16)).abs().max() < 1e-2
    state, meta = checkpoints.load(tmp_path / "two-generators.pt")
    checkpoints.save(tmp_path / "two-generators.pt", {"G": state["G"]}, meta)  # F left out
    with pytest.raises(CheckpointError, match=r"weights no longer fit the game's F .*rebuild it with"):
        shipped.load(TwoGenerators, tmp_path)
