"""Showcase generators shipped with the book: written in half precision, loaded only when they still match.

Where a chapter's pictures need more training than a chapter may spend, the
chapter keeps its equal-budget run and also loads a longer-trained generator
from ``ganbook/assets``. ``python -m ganbook train NAME --profile P --ship``
trains it like any experiment (its full checkpoint goes to the usual folder)
and then writes ``ganbook/assets/NAME.pt``: the averaged weights of each of the
game's generators (:meth:`~ganbook.game.Game.generators`, by name) in float16 (half the bytes; the images differ by far less than a grey level), and
a manifest with the command, the config, the metrics and a *fingerprint*, a few
numbers computed from the shipped weights on fixed inputs (:func:`fixed_inputs`).

:func:`load` refuses a shipped generator that no longer matches, with a
one-line error naming the command that rebuilds it: when the experiment's
config for that profile has changed, when the weights no longer fit the
network, or when the current code makes different images from them (the
fingerprint). Edits that change nothing the network computes (a comment, the
training loop, the metrics) leave it valid, so an hour's training is not thrown
away for a docstring.
"""

from __future__ import annotations

import copy
from pathlib import Path
from types import ModuleType
from typing import Any

import torch
from torch import nn

from . import checkpoints
from .errors import CheckpointError
from .game import Game
from .train import Trainer

FOLDER = Path(__file__).resolve().parent / "assets"
TOLERANCE = 1e-3  # fingerprint agreement: far below fp16's rounding of the weights' effect on a pixel


def path_for(exp: ModuleType, folder: str | Path = FOLDER) -> Path:
    """``folder/NAME.pt``: where ``exp``'s showcase generator is shipped."""
    return Path(folder) / f"{exp.NAME}.pt"


def command(exp: ModuleType, profile: str) -> str:
    """The shell command that (re)builds ``exp``'s shipped generator."""
    return f"python -m ganbook train {exp.NAME} --profile {profile} --ship"


@torch.no_grad()
def fingerprint(game: Game, nets: dict[str, nn.Module], inputs: dict[str, torch.Tensor]) -> list[float]:
    """Each image's mean and standard deviation when ``nets`` (a game's generators) make ``k`` samples from
    ``inputs``: ``2k`` numbers.

    A generator that draws random noise of its own (StyleGAN's noise inputs)
    draws it from torch's stream seeded with 0, without touching the caller's stream.
    """
    modes = {k: g.training for k, g in nets.items()}
    for g in nets.values():
        g.eval()
    with torch.random.fork_rng():
        torch.manual_seed(0)
        x = game.generate(nets, inputs).float().flatten(1)
    for k, g in nets.items():
        g.train(modes[k])
    return [round(float(v), 6) for v in torch.stack([x.mean(1), x.std(1)], 1).flatten()]


def fixed_inputs(trainer: Trainer, k: int = 8) -> dict[str, torch.Tensor]:
    """The inputs of ``k`` samples, drawn with a seed of their own (the same on every machine), with the
    conditions the game asks for by default (:meth:`~ganbook.game.Game.conditions`)."""
    game = trainer.game
    return game.inputs(k, torch.Generator().manual_seed(2024), game.conditions(k))


def _generators(trainer: Trainer) -> dict[str, nn.Module]:
    """The game's generators, averaged when the run kept a moving average."""
    return trainer.averaged or trainer.game.generators()


def _cast(state: dict[str, torch.Tensor], dtype: torch.dtype) -> dict[str, torch.Tensor]:
    """``state`` with every floating-point tensor in ``dtype`` (integer buffers such as counters unchanged)."""
    return {k: (v.to(dtype) if v.is_floating_point() else v).cpu() for k, v in state.items()}


def ship(exp: ModuleType, trainer: Trainer, manifest: dict[str, Any], folder: str | Path = FOLDER) -> dict[str, Any]:
    """Write ``trainer``'s (averaged) generator to ``folder/NAME.pt`` in float16 with its manifest; return it.

    ``manifest`` is the manifest of the full checkpoint the run wrote (profile,
    config, metrics, training time).
    """
    nets = _generators(trainer)
    half = {k: _cast(g.state_dict(), torch.float16) for k, g in nets.items()}
    rounded = {k: copy.deepcopy(g) for k, g in nets.items()}  # fingerprint what the rounded weights compute, as load will
    for k, g in rounded.items():
        g.load_state_dict(_cast(half[k], torch.float32))
    shipped = {
        "name": exp.NAME, "profile": manifest["profile"], "command": command(exp, manifest["profile"]),
        "config": manifest["config"], "metrics": manifest.get("metrics", {}),
        "train_seconds": manifest.get("train_seconds"), "steps": trainer.step, "precision": "float16",
        "fingerprint": fingerprint(trainer.game, rounded, fixed_inputs(trainer)),
    }
    return checkpoints.save(path_for(exp, folder), half, shipped)


def load(exp: ModuleType, folder: str | Path = FOLDER) -> tuple[Trainer, dict[str, Any]]:
    """The shipped generators of ``exp`` in a fresh trainer (each generator and its average), and its manifest.

    Raises a one-line :class:`~ganbook.errors.CheckpointError` naming the rebuild
    command when the file is missing, corrupted or stale.
    """
    path = path_for(exp, folder)
    if not path.exists():
        profile = getattr(exp, "SHIP_PROFILE", "cpu")
        raise CheckpointError(f"no shipped {exp.NAME} generator at {path}: build it with `{command(exp, profile)}`")
    state, manifest = checkpoints.load(path)  # sha256-checked, weights_only
    profile, rebuild = manifest["profile"], command(exp, manifest["profile"])
    config = exp.Config.for_profile(profile)
    current = config.as_dict()
    changed = sorted(k for k in set(current) | set(manifest["config"]) if current.get(k) != manifest["config"].get(k))
    if changed:
        raise CheckpointError(f"{path.name} is stale: {exp.NAME}'s {profile} config has changed "
                              f"({', '.join(changed)}); rebuild it with `{rebuild}`")
    trainer = exp.build(config)
    live, averaged = trainer.game.generators(), _generators(trainer)
    for name in sorted(set(live) | set(state)):
        for G in {id(m): m for m in (live.get(name), averaged.get(name))}.values():
            try:
                if G is None or name not in state:
                    raise RuntimeError(f"the shipped generators are {sorted(state)}, the game's {sorted(live)}")
                G.load_state_dict(_cast(state[name], torch.float32))
            except RuntimeError as err:
                first = str(err).strip().splitlines()[0]
                raise CheckpointError(f"{path.name} is stale: its weights no longer fit the game's {name} "
                                      f"({first}); rebuild it with `{rebuild}`") from None
    now = fingerprint(trainer.game, averaged, fixed_inputs(trainer))
    drift = max(abs(a - b) for a, b in zip(now, manifest["fingerprint"]))
    if len(now) != len(manifest["fingerprint"]) or drift > TOLERANCE:
        raise CheckpointError(f"{path.name} is stale: the current code makes different images from its weights "
                              f"(fingerprint off by {drift:.2g}); rebuild it with `{rebuild}`")
    trainer.step = manifest["steps"]
    return trainer, manifest


def shipped_names(folder: str | Path = FOLDER) -> list[str]:
    """Names of the generators shipped in ``folder`` (every manifest there that says ``--ship``)."""
    names = []
    for m in sorted(Path(folder).glob("*.json")):
        manifest = checkpoints.read_manifest(m.with_suffix(".pt"))
        if manifest.get("command", "").endswith("--ship"):
            names.append(manifest["name"])
    return names
