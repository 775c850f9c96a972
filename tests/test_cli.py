"""`python -m ganbook`: train writes a checkpoint and manifest that reproduce the printed metrics."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
import torch


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "ganbook", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture()
def inproc(monkeypatch, capsys):
    """``python -m ganbook ARGS`` in this process (``ganbook.cli.main``), from folder ``cwd``: the same code
    path as :func:`run` without a new interpreter and a new parse of the digits for every call (the
    subprocess tests above keep the real entry point covered)."""
    from ganbook.cli import main

    def call(*args, cwd):
        monkeypatch.chdir(cwd)
        capsys.readouterr()
        code = main([str(a) for a in args])
        out, err = capsys.readouterr()
        return subprocess.CompletedProcess(args, code, out, err)

    return call


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    where = tmp_path_factory.mktemp("cli")
    result = run("train", "gaussian1d", "--profile", "smoke", "--quiet", cwd=where)
    assert result.returncode == 0, result.stderr
    return where, result.stdout


def metrics_line(stdout):
    return re.search(r"^metrics: (.*)$", stdout, re.M).group(1)


def written(stdout):
    """The checkpoint path `train` reports."""
    return re.search(r"^wrote (\S+\.pt) and", stdout, re.M).group(1)


def test_train_writes_checkpoint_and_manifest(trained):
    where, out = trained
    ckpt = where / written(out)
    manifest = ckpt.with_suffix(".json")
    assert re.fullmatch(r"checkpoints/gaussian1d-smoke-[0-9a-f]{8}\.pt", written(out))
    assert ckpt.exists() and manifest.exists()
    info = json.loads(manifest.read_text())
    assert info["command"] == "python -m ganbook train gaussian1d --profile smoke"
    assert info["step"] == 600 and len(info["sha256"]) == 64
    assert f"w1={info['metrics']['w1']:.4f}" in out


def test_evaluate_reproduces_printed_metrics(trained):
    where, out = trained
    again = run("evaluate", written(out), cwd=where)
    assert again.returncode == 0, again.stderr
    assert metrics_line(again.stdout) == metrics_line(out)


def test_resume_of_finished_run_changes_nothing(trained):
    where, out = trained
    again = run("train", "gaussian1d", "--profile", "smoke", "--quiet", "--resume", cwd=where)
    assert "resumed" in again.stdout and metrics_line(again.stdout) == metrics_line(out)


@pytest.mark.parametrize(
    "args,message",
    [
        (["train", "gaussian1d", "--profile", "huge"], "error: unknown profile 'huge': use one of smoke, cpu, gpu"),
        (["train", "stylegan9"], "error: unknown model 'stylegan9': choose one of gaussian1d"),
        (["evaluate", "nowhere.pt"], "error: checkpoint nowhere.pt does not exist: make it with `python -m ganbook train NAME`"),
    ],
)
def test_cli_errors_are_one_line(tmp_path, args, message):
    result = run(*args, cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


def test_data_lists_offline_sets(tmp_path):
    result = run("data", cwd=tmp_path)
    assert result.returncode == 0 and re.search(r"^gaussian1d\s+yes", result.stdout, re.M)


def test_data_documents_the_shape_worlds_factors(tmp_path, inproc):
    out = inproc("data", "shapes", cwd=tmp_path)
    assert out.returncode == 0 and out.stdout.startswith("shapes: ")
    for factor in ("``shape``", "``hue``", "``size``", "``x``", "``rotation``", "``background``", "caption"):
        assert factor in out.stdout, factor
    bad = inproc("data", "shape", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.strip().startswith("error: unknown data set 'shape': choose one of")


def test_help():
    result = run("--help", cwd=Path.cwd())
    assert result.returncode == 0 and "train" in result.stdout and "evaluate" in result.stdout


def test_train_help_lists_every_experiment():
    from ganbook.experiments.registry import registry

    result = run("train", "--help", cwd=Path.cwd())
    assert result.returncode == 0
    text = " ".join(result.stdout.split())
    for name in registry():
        assert name in text, name
    assert "lapgan" in text and "--set" in text


def test_set_writes_a_variant_beside_the_books_run(trained, inproc):
    where, out = trained
    variant = inproc("train", "gaussian1d", "--profile", "smoke", "--quiet", "--set", "steps=40", "--set", "seed=3",
                  cwd=where)
    assert variant.returncode == 0, variant.stderr
    assert written(variant.stdout) != written(out) and (where / written(out)).exists()
    manifest = json.loads((where / written(variant.stdout)).with_suffix(".json").read_text())
    assert manifest["step"] == 40 and manifest["config"]["seed"] == 3
    assert manifest["command"] == "python -m ganbook train gaussian1d --profile smoke --set steps=40 --set seed=3"
    again = inproc("evaluate", written(variant.stdout), cwd=where)  # a variant evaluates like the book's run
    assert again.returncode == 0 and metrics_line(again.stdout) == metrics_line(variant.stdout)


def test_out_and_the_environment_variable_agree(tmp_path, inproc, monkeypatch):
    monkeypatch.setenv("GANBOOK_CHECKPOINTS", str(tmp_path / "from-env"))
    result = inproc("train", "gaussian1d", "--profile", "smoke", "--quiet", "--set", "steps=5", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert Path(written(result.stdout)).parent == tmp_path / "from-env"  # no --out: the variable decides
    explicit = inproc("train", "gaussian1d", "--profile", "smoke", "--quiet", "--set", "steps=5",
                      "--out", tmp_path / "given", cwd=tmp_path)
    assert Path(written(explicit.stdout)).parent == tmp_path / "given"  # --out wins over the variable


@pytest.mark.parametrize("args,message", [
    (["--set", "stepz=4"], "error: --set stepz: Gaussian1DConfig has no such field; choose from"),
    (["--set", "steps"], "error: --set needs key=value, got 'steps'"),
])
def test_bad_set_is_one_line(tmp_path, args, message):
    result = run("train", "gaussian1d", "--profile", "smoke", *args, cwd=tmp_path)
    assert result.returncode == 2 and result.stderr.strip().startswith(message)
    assert len(result.stderr.strip().splitlines()) == 1


@pytest.mark.parametrize("name,change,message", [
    ("stylegan-shapes", "mixing=abc", "mixing must be a number in [0, 1]"),
    ("dcgan", "width=0", "width must be a positive integer"),
    ("dcgan", "seed=1.5", "seed must be a non-negative integer"),
    ("dcgan", "betas=0.5", "betas must be a pair of numbers in [0, 1), e.g. (0.5, 0.999)"),
    ("dcgan", "lr_g=-1", "lr_g must be a positive number"),
    ("dcgan", "steps=-5", "steps must be a positive integer"),
    ("dcgan", "batch_size=0", "batch_size must be a positive integer"),
])
def test_bad_set_value_is_one_line_and_writes_nothing(tmp_path, inproc, name, change, message):
    result = inproc("train", name, "--profile", "smoke", "--quiet", "--set", change, "--out", "out", cwd=tmp_path)
    assert (result.returncode, result.stdout, result.stderr) == (2, "", f"error: --set {change}: {message}\n")
    assert not any(tmp_path.iterdir())  # checked before anything is built: no checkpoint, no folder


def test_every_profile_of_every_experiment_is_in_range():
    from ganbook.experiments.registry import registry

    for name, exp in registry().items():
        for profile in ("smoke", "cpu", "gpu"):
            assert exp.Config.for_profile(profile).validated(), (name, profile)


def test_config_values_are_checked_from_python_and_a_config_can_narrow_a_range():
    from ganbook.experiments import dcgan, gaussian1d
    from ganbook.experiments.base import Bound, parse_changes

    with pytest.raises(ValueError, match=r"^DCGANConfig width=0: width must be a positive integer$"):
        dcgan.Config.for_profile("smoke", width=0)
    config = gaussian1d.Config.for_profile("smoke", ema_decay=None, lr_g=1, hidden=[8])
    assert (config.ema_decay, config.lr_g, config.hidden) == (None, 1.0, (8,))

    class Narrow(dcgan.Config):
        BOUNDS = {"width": Bound(8, 64)}

    assert parse_changes(Narrow, ["width=8"]) == {"width": 8}
    with pytest.raises(ValueError, match=r"^--set width=4: width must be an integer in \[8, 64\]$"):
        parse_changes(Narrow, ["width=4"])


@pytest.mark.parametrize("name", ["toy2d", "fixed-g", "mlp-gan", "dcgan", "dcgan-showcase", "dcgan-shapes",
                                  "cgan-concat", "cgan-projection", "infogan", "lapgan", "wgan-digits", "sn-digits",
                                  "pacgan-toys", "stacked-dcgan", "toolbox-digits"])
def test_models_train_and_evaluate_identically(tmp_path, name, inproc):
    first = inproc("train", name, "--profile", "smoke", "--quiet", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    again = inproc("evaluate", written(first.stdout), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert metrics_line(again.stdout) == metrics_line(first.stdout)


def test_bench_data_prints_both_paths_and_a_ratio(tmp_path):
    out = run("bench", "data", "--steps", "20", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    assert re.search(r"data path is \d+x faster", out.stdout)  # a timing: printed, never asserted
    assert "per-sample DataLoader" in out.stdout and "in-memory tensor" in out.stdout


def test_both_data_paths_give_the_same_pixels():
    from ganbook.bench import PerSampleDigits
    from ganbook.data import mnist5k

    s = mnist5k("train")
    pixels = ((s.images.squeeze(1).numpy() + 1) * 127.5).round().astype("uint8")
    tutorial = PerSampleDigits(pixels, s.labels.numpy())
    for i in (0, 17, 3999):
        image, label = tutorial[i]
        assert label == int(s.labels[i]) and float((image - s.images[i]).abs().max()) < 1e-6


def test_bench_loop_trains_the_same_weights_as_a_bare_loop():
    from ganbook.bench import bare_loop, trainer_loop

    _, g_bare = bare_loop(3, 16, width=4)
    _, g_ours = trainer_loop(3, 16, width=4)
    for a, b in zip(g_bare.parameters(), g_ours.parameters()):
        assert torch.equal(a, b)  # the overhead it prints is for exactly the same work


def test_digit_classifier_trains_and_evaluates(tmp_path, inproc):
    out = inproc("train", "digit-classifier", "--profile", "smoke", "--quiet", "--out", str(tmp_path), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    accuracy = float(re.search(r"test_accuracy=([0-9.]+)", out.stdout).group(1))
    assert 0.5 < accuracy <= 1.0  # one epoch already learns most digits
    again = inproc("evaluate", written(out.stdout), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"test_accuracy={accuracy:.4f}" in again.stdout
    manifest = json.loads(Path(written(out.stdout)).with_suffix(".json").read_text())
    assert manifest["command"].startswith("python -m ganbook train digit-classifier")


def test_wgan_digits_picks_its_game_with_set(tmp_path, inproc):
    bad = inproc("train", "wgan-digits", "--profile", "smoke", "--quiet", "--set", "game=lsgan", cwd=tmp_path)
    assert bad.returncode == 2 and bad.stderr.strip() == "error: unknown game 'lsgan': choose one of gan, clip, gp"
    clip = inproc("train", "wgan-digits", "--profile", "smoke", "--quiet", "--set", "game=clip", "--set", "steps=3",
                  cwd=tmp_path)
    assert clip.returncode == 0, clip.stderr
    manifest = json.loads((tmp_path / written(clip.stdout)).with_suffix(".json").read_text())
    assert manifest["config"]["game"] == "clip"


def test_config_prints_every_field_and_where_its_value_comes_from(tmp_path, inproc):
    out = inproc("config", "dcgan", "--profile", "smoke", "--set", "seed=2", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    rows = {line.split()[0]: line.split()[1:] for line in out.stdout.splitlines()[1:]}
    assert rows["seed"] == ["2", "--set"] and rows["steps"] == ["60", "smoke", "row"]
    assert rows["lr_g"] == ["0.0002", "default"] and set(rows) == {f for f in dataclasses_fields("dcgan")}
    bad = inproc("config", "dcgan", "--profile", "smoke", "--set", "stepz=2", cwd=tmp_path)
    assert bad.returncode == 2 and "has no such field" in bad.stderr and len(bad.stderr.splitlines()) == 1


def dataclasses_fields(name):
    import dataclasses

    from ganbook.experiments.registry import registry

    return [f.name for f in dataclasses.fields(registry()[name].Config)]
