"""The training loop: exact resume, NaN detection, checkpoint integrity."""

import dataclasses

import pytest
import torch

from ganbook import checkpoints
from ganbook.errors import CheckpointError, TrainingDiverged
from ganbook.experiments import gaussian1d
from ganbook.train import Every, linear_decay

CONFIG = dataclasses.replace(gaussian1d.Config.for_profile("smoke"), steps=60, batch_size=32)


def params(trainer):
    return [p.detach().clone() for m in (trainer.G, trainer.D, trainer.G_ema) for p in m.parameters()]


def test_resumed_run_equals_uninterrupted_run_bit_for_bit(tmp_path):
    straight = gaussian1d.build(CONFIG).fit(CONFIG.steps, progress=False)

    first = gaussian1d.build(CONFIG).fit(25, progress=False, checkpoint=tmp_path / "half.pt")
    del first
    resumed = gaussian1d.build(CONFIG)
    manifest = resumed.resume(tmp_path / "half.pt")
    assert manifest["step"] == 25 and resumed.step == 25
    resumed.fit(CONFIG.steps, progress=False)

    assert resumed.history == straight.history
    for a, b in zip(params(straight), params(resumed)):
        assert torch.equal(a, b)
    # and the run actually learned something: the loss history is not constant
    assert len(set(straight.history["loss_d"])) > 10


def test_nan_in_data_stops_training_with_clear_message():
    trainer = gaussian1d.build(CONFIG)
    trainer.data = lambda n, rng: torch.full((n, 1), float("nan"))
    with pytest.raises(TrainingDiverged, match=r"training diverged at step 1: loss_d is nan; lower the learning rates"):
        trainer.fit(10, progress=False)


def test_every_callback_runs_on_schedule():
    seen = []
    gaussian1d.build(CONFIG).fit(20, callbacks=[Every(5, lambda t: seen.append(t.step))], progress=False)
    assert seen == [0, 5, 10, 15, 20]


def test_linear_decay():
    f = linear_decay(100, start=0.5)
    assert [f(0), f(49), f(50), f(75), f(100)] == [1.0, 1.0, 1.0, 0.5, 0.0]


def test_checkpoint_with_wrong_sha256_is_refused(tmp_path):
    path = tmp_path / "g.pt"
    gaussian1d.build(CONFIG).fit(3, progress=False, checkpoint=path, manifest={"command": "python -m ganbook train gaussian1d --profile smoke"})
    data = bytearray(path.read_bytes())
    data[-20] ^= 0xFF
    path.write_bytes(bytes(data))
    with pytest.raises(CheckpointError) as err:
        gaussian1d.build(CONFIG).resume(path)
    msg = str(err.value)
    assert "does not match its manifest" in msg and "python -m ganbook train gaussian1d --profile smoke" in msg
    assert "\n" not in msg


def test_checkpoint_that_is_not_a_torch_file_is_refused(tmp_path):
    path = tmp_path / "junk.pt"
    path.write_bytes(b"not a checkpoint")
    (tmp_path / "junk.json").write_text('{"sha256": "%s"}' % checkpoints.sha256(path))
    with pytest.raises(CheckpointError, match="could not be read"):
        checkpoints.load(path)


def test_checkpoint_of_another_model_is_refused(tmp_path):
    path = tmp_path / "g.pt"
    gaussian1d.build(CONFIG).fit(2, progress=False, checkpoint=path)
    wider = gaussian1d.build(dataclasses.replace(CONFIG, hidden=(16,)))
    with pytest.raises(CheckpointError, match="does not fit this model"):
        wider.resume(path)


def test_save_is_atomic_no_temporary_files_left(tmp_path):
    gaussian1d.build(CONFIG).fit(2, progress=False, checkpoint=tmp_path / "g.pt")
    assert sorted(p.name for p in tmp_path.iterdir()) == ["g.json", "g.pt"]


def test_checkpoint_loads_with_weights_only(tmp_path):
    path = tmp_path / "g.pt"
    gaussian1d.build(CONFIG).fit(2, progress=False, checkpoint=path)
    state = torch.load(path, weights_only=True)
    assert state["step"] == 2


def test_inference_reads_a_network_without_disturbing_its_training_state():
    from ganbook import players

    net = torch.nn.Sequential(torch.nn.Linear(3, 4), torch.nn.BatchNorm1d(4), torch.nn.Dropout(0.5)).train()
    before = net[1].running_mean.clone()
    x = torch.randn(8, 3)
    with players.inference(net):
        out = net(x)
        assert not net.training and not out.requires_grad
    assert net.training and torch.equal(net[1].running_mean, before)  # eval mode kept the statistics
    with pytest.raises(RuntimeError), players.inference(net.eval()):
        raise RuntimeError("an error inside the block")
    assert not net.training  # it had been in eval mode: it stays there
