"""Command line: ``python -m ganbook {train,evaluate,data,bench} ...``.

``train NAME --profile P`` trains a model, prints its metrics and writes
``checkpoints/NAME-P.pt`` with its manifest ``NAME-P.json``; ``evaluate PATH``
loads such a checkpoint (sha256-checked) and prints the same metrics again.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from types import ModuleType
from typing import Sequence

from . import __version__, checkpoints, profiles
from .data import catalog, mnist5k
from .errors import CheckpointError, GanbookError
from .experiments import (cgan, cgan_projection, classifier, dcgan_digits, fixed_g, gaussian1d, infogan, mlp_digits,
                          store, toy2d)


def experiments() -> dict[str, ModuleType]:
    """The models ``train`` knows, by name. Each module has NAME, Config, build, train, evaluate."""
    return {m.NAME: m for m in (gaussian1d, fixed_g, toy2d, classifier, mlp_digits, dcgan_digits, cgan, cgan_projection,
                                infogan)}


def _experiment(name: str) -> ModuleType:
    known = experiments()
    if name not in known:
        raise GanbookError(f"unknown model {name!r}: choose one of {', '.join(known)}")
    return known[name]


def _format(metrics: dict[str, float]) -> str:
    return "  ".join(f"{k}={v:.4f}" for k, v in metrics.items())


def cmd_train(args: argparse.Namespace) -> int:
    exp = _experiment(args.name)
    profile = profiles.resolve(args.profile)
    if exp is classifier:  # not a GAN: a plain supervised run, shipped as package data
        out, result, seconds = classifier.train_and_save(profile, args.out, progress=not args.quiet)
        print(f"{exp.NAME} ({profile}): trained in {seconds:.1f} s")
    else:
        out = store.checkpoint_path(exp, profile, args.out)
        if args.resume and out.exists():
            print(f"resumed {out} (continuing to the profile's step count)")
        trainer, written = store.train_and_save(exp, profile, args.out, resume=args.resume, progress=not args.quiet,
                                                checkpoint_every=args.checkpoint_every)
        result, seconds = written["metrics"], written["train_seconds"]
        print(f"{exp.NAME} ({profile}): {trainer.step} steps in {seconds:.1f} s")
    print(f"metrics: {_format(result)}")
    print(f"wrote {out} and {checkpoints.manifest_path(out)} (sha256 {checkpoints.sha256(out)[:12]}...)")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    path = Path(args.checkpoint)
    manifest = checkpoints.read_manifest(path) if path.exists() else {}
    exp = _experiment(manifest.get("name", "?")) if manifest else None
    if exp is classifier:
        model = classifier.load(path)
        test = mnist5k("test")
        print(f"{exp.NAME}: metrics: test_accuracy={classifier.accuracy(model, test.images, test.labels):.4f}")
        return 0
    if exp is None:
        checkpoints.load(path)  # raises the right one-line error
        raise CheckpointError(f"{path} names no known model in its manifest: rebuild it with `python -m ganbook train NAME`")
    config = exp.Config.for_profile(manifest["profile"])
    if exp.config_dict(config) != manifest.get("config"):
        raise CheckpointError(
            f"{path} was made with another {exp.NAME} config than this ganbook's "
            f"{manifest['profile']} profile: rebuild it with `{manifest.get('command')}`"
        )
    trainer = exp.build(config)
    trainer.resume(path)
    result = exp.evaluate(trainer, config)
    print(f"{exp.NAME} ({manifest['profile']}) at step {trainer.step}")
    print(f"metrics: {_format(result)}")
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    specs = catalog()
    width = max(len(s.name) for s in specs)
    print(f"{'name'.ljust(width)}  offline  source / description")
    for s in specs:
        print(f"{s.name.ljust(width)}  {'yes' if s.offline else 'no ':7}  {s.source}: {s.description}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from .bench import bench_data  # imports torchvision and PIL only when asked

    print(f"the tutorials' MLP GAN on mnist5k, {args.steps} steps of batch {args.batch_size}, one process")
    result = bench_data(args.steps, args.batch_size)
    print(f"{'data path':36}{'steps/s':>10}{'s fetching':>12}{'s total':>10}")
    for name, r in result.items():
        print(f"{name:36}{args.steps / r['total']:10.1f}{r['data']:12.2f}{r['total']:10.2f}")
    slow, fast = result.values()
    print(f"ganbook's data path is {slow['data'] / fast['data']:.0f}x faster at fetching batches; "
          f"whole training steps are {slow['total'] / fast['total']:.2f}x faster")
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ganbook", description="Train, evaluate and inspect the GAN book's models.")
    p.add_argument("--version", action="version", version=f"ganbook {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    t = sub.add_parser("train", help="train a model and write its checkpoint and manifest")
    t.add_argument("name", help=f"model to train: {', '.join(experiments())}")
    t.add_argument("--profile", default=None, help=f"run size: {', '.join(profiles.PROFILES)} (default: $GANBOOK_PROFILE, else auto)")
    t.add_argument("--out", default="checkpoints", help="folder for NAME-PROFILE.pt and .json (default: checkpoints)")
    t.add_argument("--resume", action="store_true", help="continue from the checkpoint in --out if there is one")
    t.add_argument("--checkpoint-every", type=int, default=1000, help="also save every N steps (0: only at the end)")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    t.set_defaults(func=cmd_train)

    e = sub.add_parser("evaluate", help="load a checkpoint and print its metrics")
    e.add_argument("checkpoint", help="path to NAME-PROFILE.pt written by `train`")
    e.set_defaults(func=cmd_evaluate)

    d = sub.add_parser("data", help="list the data sets and whether they are available offline")
    d.set_defaults(func=cmd_data)

    b = sub.add_parser("bench", help="time the tutorials' per-sample data path against ganbook's in-memory one")
    b.add_argument("what", choices=["data"], help="what to benchmark (data: the input pipeline)")
    b.add_argument("--steps", type=int, default=300, help="training steps per path (default: 300)")
    b.add_argument("--batch-size", type=int, default=64, help="batch size, as in the tutorials (default: 64)")
    b.set_defaults(func=cmd_bench)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except GanbookError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2


