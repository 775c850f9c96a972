"""Bad input gets one line that names the fix."""

import os

import pytest
import torch

from ganbook import data, profiles
from ganbook.errors import DataError, ProfileError
from ganbook.models import MLPDiscriminator, MLPGenerator


def test_unknown_profile(monkeypatch):
    monkeypatch.setenv("GANBOOK_PROFILE", "laptop")
    with pytest.raises(ProfileError) as err:
        profiles.resolve()
    assert str(err.value) == "unknown profile 'laptop': use one of smoke, cpu, gpu (set GANBOOK_PROFILE or pass --profile)"


def test_profile_from_environment_and_auto(monkeypatch):
    monkeypatch.setenv("GANBOOK_PROFILE", "Smoke")
    assert profiles.resolve() == "smoke"
    monkeypatch.delenv("GANBOOK_PROFILE")
    assert profiles.resolve() == ("gpu" if torch.cuda.is_available() else "cpu")
    assert profiles.choose("cpu", smoke=1, cpu=2, gpu=3) == 2


def test_workers_count_the_cores_this_process_may_use(monkeypatch):
    monkeypatch.setattr(profiles.os, "sched_getaffinity", lambda pid: {3}, raising=False)
    assert profiles.workers("cpu") == 1  # under `taskset -c 3`, one worker, not one per core of the machine
    monkeypatch.setattr(profiles.os, "sched_getaffinity", lambda pid: set(range(8)), raising=False)
    assert profiles.workers("cpu") == 2 and profiles.workers("smoke") == 1


def test_unknown_data_set():
    with pytest.raises(DataError) as err:
        data.load("cifar11")
    msg = str(err.value)
    assert msg.startswith("unknown data set 'cifar11': choose one of gaussian1d")
    assert "python -m ganbook data" in msg and "\n" not in msg


def test_known_data_set_samples_the_right_distribution():
    target = data.load("gaussian1d")
    x = target.sample(100_000, torch.Generator().manual_seed(0))
    assert x.shape == (100_000, 1)
    assert x.mean().item() == pytest.approx(4.0, abs=0.02)
    assert x.std().item() == pytest.approx(1.25, abs=0.02)


def test_wrong_tensor_shapes():
    with pytest.raises(ValueError, match=r"generator expects z of shape \(N, 4\), got \(8, 3\)"):
        MLPGenerator(4, 1)(torch.zeros(8, 3))
    with pytest.raises(ValueError, match="discriminator expects inputs with 1 features, got 2"):
        MLPDiscriminator(1)(torch.zeros(8, 2))


def test_bare_pytest_runs_the_smoke_profile():
    """``pytest --nbval`` typed bare (no GANBOOK_PROFILE) must not execute the book on ``cpu``: the root
    conftest makes ``smoke`` the default, which the chapter kernels inherit."""
    import subprocess
    import sys
    from pathlib import Path

    root = Path(__file__).resolve().parents[1]
    env = {k: v for k, v in os.environ.items() if k != "GANBOOK_PROFILE"}
    env["GANBOOK_REPORT_PROFILE"] = "1"
    out = subprocess.run([sys.executable, "-m", "pytest", "-q", "-s", f"{__file__}::test_report_profile"],
                         cwd=root, env=env, capture_output=True, text=True, timeout=120)
    assert "profile under pytest: smoke" in out.stdout, out.stdout + out.stderr


def test_report_profile():
    """Prints the profile this pytest process resolves (run by the test above)."""
    if os.environ.get("GANBOOK_REPORT_PROFILE"):
        print(f"profile under pytest: {profiles.resolve()}")
