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
    n_classes = getattr(trainer.G, "n_classes", None)
    images = trainer.generate(300, condition=None if n_classes is None else torch.arange(300) % n_classes)
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
    z = shipped.fixed_latents(trainer)
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
