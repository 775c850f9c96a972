"""`python -m ganbook`: train writes a checkpoint and manifest that reproduce the printed metrics."""

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest


def run(*args, cwd):
    return subprocess.run([sys.executable, "-m", "ganbook", *args], cwd=cwd, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def trained(tmp_path_factory):
    where = tmp_path_factory.mktemp("cli")
    result = run("train", "gaussian1d", "--profile", "smoke", "--quiet", cwd=where)
    assert result.returncode == 0, result.stderr
    return where, result.stdout


def metrics_line(stdout):
    return re.search(r"^metrics: (.*)$", stdout, re.M).group(1)


def test_train_writes_checkpoint_and_manifest(trained):
    where, out = trained
    ckpt, manifest = where / "checkpoints/gaussian1d-smoke.pt", where / "checkpoints/gaussian1d-smoke.json"
    assert ckpt.exists() and manifest.exists()
    info = json.loads(manifest.read_text())
    assert info["command"] == "python -m ganbook train gaussian1d --profile smoke"
    assert info["step"] == 600 and len(info["sha256"]) == 64
    assert f"w1={info['metrics']['w1']:.4f}" in out


def test_evaluate_reproduces_printed_metrics(trained):
    where, out = trained
    again = run("evaluate", "checkpoints/gaussian1d-smoke.pt", cwd=where)
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


def test_help():
    result = run("--help", cwd=Path.cwd())
    assert result.returncode == 0 and "train" in result.stdout and "evaluate" in result.stdout


@pytest.mark.parametrize("name", ["toy2d", "fixed-g", "mlp-gan", "dcgan", "cgan-concat", "cgan-projection", "infogan"])
def test_models_train_and_evaluate_identically(tmp_path, name):
    first = run("train", name, "--profile", "smoke", "--quiet", cwd=tmp_path)
    assert first.returncode == 0, first.stderr
    again = run("evaluate", f"checkpoints/{name}-smoke.pt", cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert metrics_line(again.stdout) == metrics_line(first.stdout)


def test_bench_data_prints_both_paths_and_a_ratio(tmp_path):
    out = run("bench", "data", "--steps", "40", cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    ratio = float(re.search(r"data path is (\d+)x faster", out.stdout).group(1))
    assert ratio >= 3
    assert "per-sample DataLoader" in out.stdout and "in-memory tensor" in out.stdout


def test_digit_classifier_trains_and_evaluates(tmp_path):
    out = run("train", "digit-classifier", "--profile", "smoke", "--quiet", "--out", str(tmp_path), cwd=tmp_path)
    assert out.returncode == 0, out.stderr
    accuracy = float(re.search(r"test_accuracy=([0-9.]+)", out.stdout).group(1))
    assert 0.5 < accuracy <= 1.0  # one epoch already learns most digits
    again = run("evaluate", str(tmp_path / "digit-classifier-smoke.pt"), cwd=tmp_path)
    assert again.returncode == 0, again.stderr
    assert f"test_accuracy={accuracy:.4f}" in again.stdout
    manifest = json.loads((tmp_path / "digit-classifier-smoke.json").read_text())
    assert manifest["command"].startswith("python -m ganbook train digit-classifier")
