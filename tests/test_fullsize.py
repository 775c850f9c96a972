"""Chapter 24: the profile table, CPU timings of a full-size step, bf16 against fp32, CIFAR-10's animals, AnimalGAN."""

import json
import re

import numpy as np
import pytest
import torch

from ganbook import fullsize
from ganbook.data import cifar, load
from ganbook.data.digits import ImageSet
from ganbook.errors import DataError
from ganbook.experiments import animalgan, registry
from ganbook.experiments.base import make_trainer
from ganbook.games import StandardGame


def test_profile_table_reads_every_gan_experiments_sizes():
    table = fullsize.profile_table()
    known = registry.registry()
    assert "animalgan" in table.index and "digit-classifier" not in table.index
    assert set(table.index) <= set(known)
    for name, row in table.iterrows():
        cpu, gpu = (known[name].Config.for_profile(p) for p in ("cpu", "gpu"))
        assert row["x images"] == pytest.approx(gpu.steps * gpu.batch_size / (cpu.steps * cpu.batch_size))
        assert row["chapter"] == known[name].CHAPTER
    assert (table["x images"] > 1).all()  # the full size always sees more than the cpu profile


def test_stand_in_images_and_step_timing():
    images = fullsize.stand_in((3, 32, 32))(5, torch.Generator().manual_seed(0))
    assert images.shape == (5, 3, 32, 32) and images.min() >= -1 and images.max() <= 1
    config = animalgan.Config.for_profile("smoke")
    trainer = make_trainer(StandardGame(*animalgan.networks(config)), fullsize.stand_in((3, 32, 32)), config)
    assert fullsize.step_seconds(trainer, 2) > 0 and trainer.step == 3  # one untimed step, then two
    with pytest.raises(ValueError, match="at least 1"):
        fullsize.step_seconds(trainer, 0)


def test_bf16_and_fp16_move_the_shipped_showcase_a_little_and_fp32_not_at_all():
    from ganbook import shipped
    from ganbook.experiments import dcgan_showcase

    showcase, _ = shipped.load(dcgan_showcase)
    exact = fullsize.generate_in(showcase, 16, "fp32")
    assert torch.equal(exact, showcase.generate(16, seed=0))  # fp32 is the trainer's own output
    assert fullsize.precision_gap(exact, fullsize.generate_in(showcase, 16, "fp32")) == {
        "max_abs": 0.0, "mean_abs": 0.0, "levels_changed": 0.0}
    for p in ("bf16", "fp16"):
        low = fullsize.generate_in(showcase, 16, p)
        gap = fullsize.precision_gap(exact, low)
        saved = [((x.clamp(-1, 1) + 1) / 2 * 255).round() for x in (exact, low)]  # what a PNG stores
        assert gap == {"max_abs": float((exact - low).abs().max()), "mean_abs": float((exact - low).abs().mean()),
                       "levels_changed": float((saved[0] != saved[1]).float().mean())}
        assert 0 < gap["mean_abs"] < gap["max_abs"] < 0.1
    with pytest.raises(ValueError, match="same samples"):
        fullsize.precision_gap(exact, exact[:3])
    frames = fullsize.precision_frames(showcase, 8)
    assert list(frames) == ["fp32", "bf16", "fp16", "bf16 - fp32 (x50)", "fp16 - fp32 (x50)"]
    assert all(f.startswith(b"\x89PNG") for f in frames.values())


def test_torchrun_failure_is_an_error_with_the_reason():
    with pytest.raises(RuntimeError, match="unknown model 'no-such-model'"):
        fullsize.torchrun(["train", "no-such-model", "--profile", "smoke"], processes=1, timeout=120)


def fake_cifar(n=40, seed=0):
    rng = np.random.default_rng(seed)
    return rng.integers(0, 256, (n, 32, 32, 3), dtype=np.uint8), np.arange(n) % 10


def test_animals_keep_six_classes_relabelled_in_order():
    pixels, labels = fake_cifar()
    animals = cifar.animals_only(pixels, labels, "fake")
    assert len(animals) == 24 and animals.images.shape == (24, 3, 32, 32)
    assert animals.labels.tolist() == [i % 6 for i in range(24)]  # bird..horse, CIFAR classes 2-7
    first_bird = np.flatnonzero(labels == 2)[0]
    assert torch.allclose(animals.images[0], torch.as_tensor(pixels[first_bird]).permute(2, 0, 1).float() / 127.5 - 1)
    assert animals.images.min() >= -1 and animals.images.max() <= 1


def test_cifar_offline_is_one_line_naming_the_stand_in(monkeypatch):
    from torchvision import datasets

    def offline(*args, **kwargs):
        raise RuntimeError("Error downloading cifar-10-python.tar.gz")

    monkeypatch.setattr(datasets, "CIFAR10", offline)
    with pytest.raises(DataError) as err:
        load("cifar10-animals")
    assert "dcgan-shapes" in str(err.value) and "\n" not in str(err.value)


@pytest.fixture
def fake_animals(monkeypatch):
    def make(split="train", root=None, download=True, device="cpu"):
        return cifar.animals_only(*fake_cifar(60 if split == "train" else 30, seed=split == "test"), split, device)

    monkeypatch.setattr(animalgan, "cifar10_animals", make)


def test_animalgan_trains_and_falls_back_to_thumbnails_without_inception(fake_animals, monkeypatch):
    def unavailable():
        raise RuntimeError("pytorch-fid not installed")

    monkeypatch.setattr(animalgan, "inception_space", unavailable)
    config = animalgan.Config.for_profile("smoke")
    trainer = animalgan.build(config)
    trainer.fit(2, progress=False)
    result = animalgan.evaluate(trainer, config)
    assert set(result) == {"fd_thumbnails"} and np.isfinite(result["fd_thumbnails"]) and result["fd_thumbnails"] > 0
    assert animalgan.thumbnails(torch.zeros(2, 3, 32, 32)).shape == (2, 192)


def test_train_records_the_precision_it_used(tmp_path, monkeypatch, capsys):
    from ganbook.cli import main

    monkeypatch.chdir(tmp_path)
    assert main(["train", "mlp-gan", "--profile", "smoke", "--quiet", "--set", "steps=3", "--precision", "bf16"]) == 0
    out = capsys.readouterr().out
    manifest = json.loads(open(re.search(r"and (\S+\.json)", out).group(1)).read())
    assert manifest["precision"] == "bf16"
    assert main(["train", "mlp-gan", "--profile", "smoke", "--quiet", "--set", "steps=3", "--precision", "fp32",
                 "--resume"]) == 2  # a bf16 checkpoint is not resumed in fp32
    err = capsys.readouterr().err.strip()
    assert "was trained in bf16, not fp32: resume it with --precision bf16" in err and "\n" not in err
    with pytest.raises(SystemExit):
        main(["train", "mlp-gan", "--profile", "smoke", "--precision", "fp8"])
    assert "invalid choice: 'fp8'" in capsys.readouterr().err


def test_fp16_keeps_its_loss_scale_in_the_checkpoint(tmp_path):
    from ganbook.data import grid
    from ganbook.experiments.base import adam_pair
    from ganbook.models import MLPDiscriminator, MLPGenerator
    from ganbook.train import Trainer

    def trainer():
        torch.manual_seed(0)
        G, D = MLPGenerator(2, 2, (16,)), MLPDiscriminator(2, (16,))
        return Trainer(StandardGame(G, D), grid().sample, adam_pair(G, D, 1e-3, 1e-3), batch_size=32, precision="fp16")

    first = trainer().fit(3, progress=False, checkpoint=tmp_path / "fp16.pt")
    scale = first.precision.scaler.get_scale()
    again = trainer()
    assert again.precision.scaler.get_scale() == 65536.0  # a fresh scaler's start
    again.resume(tmp_path / "fp16.pt")
    assert again.precision.scaler.get_scale() == scale and scale < 65536.0  # fp16 overflowed and backed off

