"""Command line: ``python -m ganbook {train,config,evaluate,data,bench,book-cache} ...``.

``train NAME --profile P [--set key=value ...]`` trains a model, prints its
metrics and writes ``NAME-P-HASH.pt`` with its manifest ``NAME-P-HASH.json``
(``HASH`` names the config, so variants sit side by side); ``config NAME
--profile P`` prints every field a run would use; ``evaluate PATH``
loads such a checkpoint (sha256-checked) and prints the same metrics again.
Under ``torchrun --nproc-per-node N -m ganbook train ...`` the N processes
train together (:mod:`ganbook.distributed`) and rank 0 writes.
"""

from __future__ import annotations

import argparse
import textwrap
import inspect
import sys
from pathlib import Path
from types import ModuleType
from typing import Any, Sequence

from . import __version__, checkpoints, distributed, profiles, shipped
from .accel import PRECISIONS
from .data import catalog
from .errors import CheckpointError, GanbookError
from .experiments import store
from .experiments.base import from_manifest, parse_changes
from .experiments.registry import registry
from .metrics.robustness import format_table


def _experiment(name: str) -> ModuleType:
    known = registry()
    if name not in known:
        raise GanbookError(f"unknown model {name!r}: choose one of {', '.join(known)}")
    return known[name]


def _format(metrics: dict[str, Any]) -> str:
    """``key=value`` for every number; an instrument's robustness table (a list of rows) follows as a table."""
    line = "  ".join(f"{k}={v:.4f}" for k, v in metrics.items() if k != "robustness")
    rows = metrics.get("robustness")
    if rows:
        fd = "; FD of the features to the clean training set" if "fd" in rows[0] else ""
        line += f"\nrobustness (held-out real data, degraded{fd}):\n" + format_table(rows)
    return line


def cmd_train(args: argparse.Namespace) -> int:
    exp = _experiment(args.name)
    profile = profiles.resolve(args.profile)
    config, changes = _config(exp, profile, args.set)
    instrument = getattr(exp, "INSTRUMENT", False)
    if args.ship and (instrument or changes or profile == "smoke"):
        raise GanbookError("--ship ships a generator's own cpu or gpu run: drop --set, use --profile cpu or gpu "
                           "(an instrument such as the digit classifier ships with --out ganbook/assets)")
    if instrument:  # not a GAN: a plain supervised run, shipped as package data
        out, result, seconds = exp.train_and_save(profile, args.out or store.default_folder(),
                                                  progress=not args.quiet, changes=changes)
        print(f"{exp.NAME} ({profile}): trained in {seconds:.1f} s")
    else:
        distributed.init_from_env(profiles.device(profile))  # gloo for a cpu profile even on a GPU machine
        out = store.checkpoint_path(exp, config, profile, args.out)
        if args.resume and out.exists() and distributed.is_main():
            print(f"resumed {out} (continuing to the profile's step count)")
        run, written = store.train_and_save(exp, profile, args.out, resume=args.resume, progress=not args.quiet,
                                            checkpoint_every=args.checkpoint_every, changes=changes,
                                            compile=args.compile, precision=args.precision)
        if not distributed.is_main():
            return 0
        result, seconds = written["metrics"], written["train_seconds"]
        procs = f" on {distributed.world_size()} processes" if distributed.active() else ""
        print(f"{exp.NAME} ({profile}): {run.step} steps in {seconds:.1f} s{procs}")
    print(f"metrics: {_format(result)}")
    print(f"wrote {out} and {checkpoints.manifest_path(out)} (sha256 {checkpoints.sha256(out)[:12]}...)")
    if args.ship and distributed.is_main():
        asset, where = shipped.ship(exp, run, written), shipped.path_for(exp)
        print(f"shipped {where} ({where.stat().st_size / 1e6:.2f} MB, {asset['precision']})")
    return 0


def cmd_evaluate(args: argparse.Namespace) -> int:
    path = Path(args.checkpoint)
    manifest = checkpoints.read_manifest(path) if path.exists() else {}
    exp = _experiment(manifest.get("name", "?")) if manifest else None
    if exp is not None and getattr(exp, "INSTRUMENT", False):
        print(f"{exp.NAME}: metrics: {_format(exp.evaluate_file(path))}")
        return 0
    if exp is None:
        checkpoints.load(path)  # raises the right one-line error
        raise CheckpointError(f"{path} names no known model in its manifest: rebuild it with `python -m ganbook train NAME`")
    if "fingerprint" in manifest:  # a shipped generator: G alone, in half precision
        run, _ = shipped.load(exp, path.parent)
        config = exp.Config.for_profile(manifest["profile"])
    else:
        try:
            config = from_manifest(exp.Config, manifest["profile"], manifest.get("config", {}))
        except (ValueError, TypeError):
            config = None
        if config is None or config.as_dict() != manifest.get("config"):
            raise CheckpointError(f"{path} was made with a {exp.NAME} config this ganbook cannot rebuild: "
                                  f"rebuild it with `{manifest.get('command')}`")
        run = exp.build(config)
        run.resume(path)
    result = exp.evaluate(run, config)
    print(f"{exp.NAME} ({manifest['profile']}) at step {run.step}")
    print(f"metrics: {_format(result)}")
    for sentence, met in getattr(exp, "bars", lambda _: [])(result):
        print(f"bar: {sentence}: {'met' if met else 'NOT met'}")
    return 0


def cmd_data(args: argparse.Namespace) -> int:
    specs = catalog()
    if args.name:  # one data set: where it comes from and, documented with it, what it holds
        spec = {s.name: s for s in specs}.get(args.name)
        if spec is None:
            raise GanbookError(f"unknown data set {args.name!r}: choose one of {', '.join(s.name for s in specs)}")
        make = getattr(spec.make, "func", spec.make)
        print(f"{spec.name}: {spec.description}\nsource: {spec.source}; offline: {'yes' if spec.offline else 'no'}\n")
        print(inspect.getdoc(sys.modules[make.__module__]))
        return 0
    width = max(len(s.name) for s in specs)
    print(f"{'name'.ljust(width)}  offline  source / description")
    for s in specs:
        print(f"{s.name.ljust(width)}  {'yes' if s.offline else 'no ':7}  {s.source}: {s.description}")
    return 0


def _config(exp: ModuleType, profile: str, settings: list[str]) -> tuple[Any, dict[str, Any]]:
    """The config of ``exp`` for ``profile`` with the ``--set`` changes, and the changes (one-line errors)."""
    try:
        changes = parse_changes(exp.Config, settings)
        return exp.Config.for_profile(profile, **changes), changes
    except (ValueError, TypeError) as err:
        raise GanbookError(str(err)) from None


def cmd_config(args: argparse.Namespace) -> int:
    """Every field of the run ``train`` would make, and where its value comes from."""
    exp = _experiment(args.name)
    profile = profiles.resolve(args.profile)
    config, changes = _config(exp, profile, args.set)
    row = exp.Config.PROFILES.get(profile, {})
    print(f"{exp.NAME} ({profile}), {type(config).__name__} in {exp.__name__}:")
    for key, value in config.as_dict().items():
        source = "--set" if key in changes else (f"{profile} row" if key in row else "default")
        print(f"  {key:24} {value!s:40} {source}")
    return 0


def cmd_bench(args: argparse.Namespace) -> int:
    from . import bench  # imports torchvision and PIL only when asked

    if args.what == "loop":
        return bench.report_loop(args.steps, args.batch_size)
    return bench.report_data(args.steps, args.batch_size)


def cmd_book_cache(args: argparse.Namespace) -> int:
    from . import bookcache

    if args.action == "invalidate":
        for name in bookcache.invalidate(Path(args.book), Path(args.build)):
            print(f"{name}: its code changed, it will be executed again")
    else:
        bookcache.record(Path(args.book), Path(args.build))
    return 0


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="python -m ganbook", description="Train, evaluate and inspect the GAN book's models.")
    p.add_argument("--version", action="version", version=f"ganbook {__version__}")
    sub = p.add_subparsers(dest="command", required=True)

    names = ", ".join(registry())
    listing = textwrap.fill(f"Train one of the book's models: {names}.", 79, break_on_hyphens=False)
    t = sub.add_parser("train", help="train a model and write its checkpoint and manifest", description=listing,
                       formatter_class=argparse.RawDescriptionHelpFormatter)  # names whole, not split at "-"
    t.add_argument("name", help=f"model to train: {names}")
    t.add_argument("--profile", default=None, help=f"run size: {', '.join(profiles.PROFILES)} (default: $GANBOOK_PROFILE, else auto)")
    t.add_argument("--set", action="append", default=[], metavar="KEY=VALUE",
                   help="change one config field, e.g. --set steps=40 --set seed=3 (repeatable)")
    t.add_argument("--out", default=None, help=f"folder for the checkpoint (default: ${store.FOLDER_VAR}, else checkpoints)")
    t.add_argument("--resume", action="store_true", help="continue from the checkpoint in --out if there is one")
    t.add_argument("--checkpoint-every", type=int, default=1000, help="also save every N steps (0: only at the end)")
    t.add_argument("--compile", action="store_true", help="compile the networks with torch.compile (pays on a GPU)")
    t.add_argument("--precision", default="auto", choices=PRECISIONS,
                   help="arithmetic of training: auto (bf16 or fp16 on a GPU, fp32 on the CPU), fp32, bf16, fp16")
    t.add_argument("--quiet", action="store_true", help="no progress bar")
    t.add_argument("--ship", action="store_true",
                   help="also write the averaged generator to ganbook/assets in half precision (a chapter's showcase)")
    t.set_defaults(func=cmd_train)

    c = sub.add_parser("config", help="print every field a training run would use, and where each comes from",
                       description="A config's profile row states only what differs from its defaults; this prints "
                                   "the whole config a `train` with the same arguments would use.")
    c.add_argument("name", help=f"model: {names}")
    c.add_argument("--profile", default=None, help=f"run size: {', '.join(profiles.PROFILES)} (default: $GANBOOK_PROFILE, else auto)")
    c.add_argument("--set", action="append", default=[], metavar="KEY=VALUE", help="as for train")
    c.set_defaults(func=cmd_config)

    e = sub.add_parser("evaluate", help="load a checkpoint and print its metrics")
    e.add_argument("checkpoint", help="path to a .pt file written by `train`")
    e.set_defaults(func=cmd_evaluate)

    d = sub.add_parser("data", help="list the data sets and whether they are available offline")
    d.add_argument("name", nargs="?", help="one data set: print its documentation (the shape world: every factor)")
    d.set_defaults(func=cmd_data)

    b = sub.add_parser("bench", help="time the data path (data) or the training loop's overhead (loop)")
    b.add_argument("what", choices=["data", "loop"],
                   help="data: the tutorials' per-sample input pipeline against ganbook's; "
                        "loop: the Trainer against a bare hand-written loop")
    b.add_argument("--steps", type=int, default=300, help="training steps per timing (default: 300)")
    b.add_argument("--batch-size", type=int, default=64, help="batch size, as in the tutorials (default: 64)")
    b.set_defaults(func=cmd_bench)

    c = sub.add_parser("book-cache", help="(make book) re-execute only the chapters whose ganbook code changed")
    c.add_argument("action", choices=["invalidate", "record"])
    c.add_argument("--book", default="book", help="folder of the chapter sources (default: book)")
    c.add_argument("--build", default="_build", help="Jupyter Book's build folder (default: _build)")
    c.set_defaults(func=cmd_book_cache)
    return p


def main(argv: Sequence[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        return args.func(args)
    except GanbookError as err:
        print(f"error: {err}", file=sys.stderr)
        return 2
