"""Data-parallel training: gradients really are averaged, resume works per process, torchrun writes once."""

import json
import re
import subprocess
import sys
from pathlib import Path

import torch
import torch.distributed as dist
import torch.multiprocessing as mp

from ganbook import distributed
from ganbook.data import grid
from ganbook.experiments.base import adam_pair
from ganbook.games import StandardGame
from ganbook.models import MLPDiscriminator, MLPGenerator
from ganbook.train import Trainer

BATCH, STEPS, SEED = 64, 12, 5


def networks():
    torch.manual_seed(0)  # no batch norm: per-process batches change nothing but the gradient
    return MLPGenerator(2, 2, (32, 32)), MLPDiscriminator(2, (32, 32))


def trainer(data=None, latent=None):
    G, D = networks()
    return Trainer(StandardGame(G, D, latent=latent), data or grid().sample, adam_pair(G, D, 1e-3, 1e-3),
                   batch_size=BATCH, seed=SEED)


def weights(t):
    return [p.detach().clone() for m in (t.G, t.D) for p in m.parameters()]


def _worker(rank: int, world: int, init_file: str, out: str) -> None:
    torch.set_num_threads(1)
    dist.init_process_group("gloo", init_method=f"file://{init_file}", rank=rank, world_size=world)
    try:
        straight = trainer().fit(STEPS, progress=False)
        half = trainer().fit(STEPS // 2, progress=False, checkpoint=Path(out) / "half.pt")
        resumed = trainer()
        resumed.resume(Path(out) / "half.pt")
        resumed.fit(STEPS, progress=False)
        assert half.batch_size == BATCH // world
        if rank == 0:
            torch.save({"straight": weights(straight), "resumed": weights(resumed),
                        "manifest": json.loads((Path(out) / "half.json").read_text())}, Path(out) / "rank0.pt")
    finally:
        dist.destroy_process_group()


class TwoStreams:
    """In one process, draw what ranks 0 and 1 would draw, half a batch each, from the ranks' streams
    (one pair of streams shared by the data and the latents, as each rank has one stream for both)."""

    def __init__(self):
        self.rngs = [torch.Generator().manual_seed(distributed.rank_seed(SEED, r)) for r in (0, 1)]

    def source(self, draw):
        return lambda n, rng: torch.cat([draw(n // 2, g) for g in self.rngs])


def test_two_processes_average_gradients_like_one_process_with_the_whole_batch(tmp_path):
    mp.spawn(_worker, args=(2, str(tmp_path / "init"), str(tmp_path)), nprocs=2, join=True)
    ranks = torch.load(tmp_path / "rank0.pt", weights_only=True)
    # the one process draws exactly the samples the two ranks drew, as one batch of BATCH
    streams = TwoStreams()
    one = trainer(data=streams.source(grid().sample), latent=streams.source(lambda n, g: torch.randn(n, 2, generator=g)))
    one.fit(STEPS, progress=False)
    for a, b in zip(weights(one), ranks["straight"]):
        assert torch.allclose(a, b, atol=1e-5), float((a - b).abs().max())
    alone = trainer().fit(STEPS, progress=False)  # and it is not what a single stream of BATCH gives
    assert not all(torch.allclose(a, b, atol=1e-5) for a, b in zip(weights(alone), ranks["straight"]))
    for a, b in zip(ranks["straight"], ranks["resumed"]):  # every rank's own stream resumes exactly
        assert torch.equal(a, b)
    assert ranks["manifest"]["processes"] == 2


def test_rank_seeds_keep_rank_zero_and_differ_for_others():
    assert distributed.rank_seed(7, 0) == 7
    assert len({distributed.rank_seed(7, r) for r in range(4)}) == 4


def test_torchrun_two_processes_write_one_checkpoint(tmp_path):
    torchrun = Path(sys.executable).with_name("torchrun")
    out = subprocess.run([str(torchrun), "--nproc-per-node", "2", "-m", "ganbook", "train", "mlp-gan", "--profile",
                          "smoke", "--quiet", "--set", "steps=20"], cwd=tmp_path, capture_output=True, text=True,
                         timeout=300)
    assert out.returncode == 0, out.stderr[-2000:]
    assert out.stdout.count("wrote ") == 1 and "on 2 processes" in out.stdout
    files = sorted(p.name for p in (tmp_path / "checkpoints").iterdir())
    assert len(files) == 2 and all(re.fullmatch(r"mlp-gan-smoke-[0-9a-f]{8}-x2\.(pt|json)", f) for f in files)
    manifest = json.loads((tmp_path / "checkpoints" / files[0]).read_text())
    assert manifest["processes"] == 2 and manifest["step"] == 20 and "fd" in manifest["metrics"]
