"""The safety net of the engine redesign: every experiment's smoke history, bit for bit.

``golden/histories.json`` was recorded (one thread) with the training loop as it
was before games owned their losses (commit 7cfd252). The same runs through
today's Trainer and games must give the same losses at every step and the same
final weights.

The arithmetic is not portable across processors: oneDNN and the matrix
kernels pick their code by the instruction set, so the same layer rounds
differently on another CPU (by about 1e-7 relative: recorded on an AMD EPYC, the
MLP histories differ from an Intel Xeon's in the 7th digit), and a GAN amplifies
that over the steps. The small 2-D and 1-D experiments stay within :data:`REL` of
the record at every step; the image experiments (the digit MLP GAN, whose 784-wide
layers drift by 3% in 60 steps, and the convolutional ones) are compared over their
first steps, to float32 rounding.
"""

import json
from pathlib import Path

import pytest
import torch

from ganbook import ganlab
from ganbook.experiments import (cgan_concat, cgan_projection, dcgan, dirac, fixed_g, gaussian1d,
                                 infogan, lapgan, mlp_gan, remedies, runs, strong_d, toy2d)
from ganbook.metrics.instruments import digit_classifier
from ganbook.train import Every

GOLDEN = json.loads((Path(__file__).parent / "golden" / "histories.json").read_text())
REL = 1e-3  # float32 rounding of another processor's kernels, amplified over a smoke run


def assert_close(got, golden, where="", rel=REL):
    """``got`` equals ``golden`` in structure (dicts, lists) and in every number to ``rel`` (1e-9 absolute)."""
    if isinstance(golden, dict):
        assert set(got) == set(golden), where
        for key in golden:
            assert_close(got[key], golden[key], f"{where}/{key}", rel)
    elif isinstance(golden, (list, tuple)):
        assert len(got) == len(golden), where
        for i, (a, b) in enumerate(zip(got, golden)):
            assert_close(a, b, f"{where}[{i}]", rel)
    elif isinstance(golden, float):
        assert got == pytest.approx(golden, rel=rel, abs=1e-9), where
    else:
        assert got == golden, where


@pytest.fixture(autouse=True)
def one_thread():
    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


def total(module):
    return float(sum(p.detach().double().sum() for p in module.parameters()))


def history(trainer):
    return {"loss_d": trainer.history["loss_d"], "loss_g": trainer.history["loss_g"],
            "g_sum": total(trainer.G), "d_sum": total(trainer.D)}


def smoke(exp):
    config = exp.Config.for_profile("smoke")
    return exp.build(config).fit(config.steps, progress=False)


@pytest.mark.parametrize("exp", [gaussian1d, fixed_g, toy2d], ids=lambda m: m.NAME)
def test_experiment_history_is_unchanged(exp):
    assert_close(history(smoke(exp)), GOLDEN[exp.NAME], exp.NAME)


@pytest.mark.parametrize("exp", [mlp_gan, dcgan, cgan_concat, cgan_projection, infogan], ids=lambda m: m.NAME)
def test_image_experiment_starts_as_recorded(exp):
    got, golden = history(smoke(exp)), GOLDEN[exp.NAME]
    for key in ("loss_d", "loss_g"):
        assert got[key][:3] == pytest.approx(golden[key][:3], rel=1e-4), key


def test_toy2d_variants_are_unchanged():
    config = toy2d.Config.for_profile("smoke")
    for variant in remedies.remedies() + remedies.objectives(config):
        result = runs.run_one(variant, config, 0)
        golden = GOLDEN["toy2d/" + variant.name]
        assert_close(result["history"]["loss_d"], golden["loss_d"], variant.name)
        assert_close(result["history"]["loss_g"], golden["loss_g"], variant.name)
        assert_close(result["metrics"], golden["metrics"], variant.name)


def test_strong_d_dirac_and_ganlab_are_unchanged():
    config = toy2d.Config.for_profile("smoke")
    records = strong_d.train_d_only(config, d_steps=60, probe_every=20, progress=False)
    assert_close(records, GOLDEN["strong-d"]["records"], "strong-d")
    assert_close(dirac.simulate(200, 0.1, alternating=True).tolist(), GOLDEN["dirac"]["path"], "dirac")
    ring = toy2d.Config.for_profile("smoke", data="ring", steps=90)
    recorder = ganlab.GanLabRecorder(extent=(-3, 3, -3, 3), resolution=8)
    trainer = toy2d.train(ring, callbacks=[Every(30, recorder)], progress=False)
    assert_close({**history(trainer), "grad_scale": [r["grad_scale"] for r in recorder.records]}, GOLDEN["ganlab"],
                 "ganlab")


def test_lapgan_levels_are_unchanged():
    run = lapgan.train(lapgan.Config.for_profile("smoke"), progress=False)
    finest_first = [run[name] for name in reversed(lapgan.STAGES)]
    for k, t in enumerate(finest_first):  # convolutions: the first steps, to float32 rounding
        got, golden = history(t), GOLDEN["lapgan"][f"level{k}"]
        for key in ("loss_d", "loss_g"):
            assert got[key][:3] == pytest.approx(golden[key][:3], rel=1e-4), (k, key)


def test_digit_classifier_is_unchanged():
    model, result = digit_classifier.train(digit_classifier.Config.for_profile("smoke"), progress=False)
    golden = GOLDEN["digit-classifier"]
    for k in result:  # accuracies: one digit in a few thousand may go the other way on another CPU
        assert result[k] == pytest.approx(golden[k], abs=1e-3), k
    assert total(model) == pytest.approx(golden["sum"], rel=1e-3)  # convolutions round by the CPU's kernels
