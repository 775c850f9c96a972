"""What every experiment module has in common: its config's shape and the optimiser pair.

An experiment is a module with

- ``NAME``: its name on the command line (the module's name, dashes for underscores);
- ``Config``: a frozen :class:`ExperimentConfig` whose ``PROFILES`` table
  states, for ``smoke``, ``cpu`` and ``gpu``, every size and learning rate
  that differs from the class's defaults (no config inherits another
  chapter's table);
- ``build(config, device) -> Trainer | Stages``: fresh, seeded networks, game and trainer;
- ``evaluate(run, config) -> dict[str, float]``: the numbers its chapter prints.

:func:`ganbook.experiments.registry` lists them; :mod:`.store` trains and caches them.
"""

from __future__ import annotations

import ast
import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any, ClassVar

import torch
from torch import nn

from .. import profiles


@dataclass(frozen=True)
class ExperimentConfig:
    """Base of every experiment's config. Subclasses add fields and fill ``PROFILES``."""

    seed: int = 0
    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {"smoke": {}, "cpu": {}, "gpu": {}}

    @classmethod
    def for_profile(cls, profile: str | None = None, **changes: Any) -> Any:
        """The config of ``profile`` (``$GANBOOK_PROFILE`` if None), with ``changes`` on top."""
        sizes = profiles.choose(profile, **cls.PROFILES)
        return cls.checked(**{**sizes, **changes})

    @classmethod
    def checked(cls, **values: Any) -> Any:
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ValueError(f"{cls.__name__} has no field {', '.join(map(repr, unknown))}: "
                             f"choose from {', '.join(sorted(names))}")
        return cls(**values)

    def as_dict(self) -> dict[str, Any]:
        """The config as plain JSON values (tuples become lists), as stored in manifests."""
        return json.loads(json.dumps(dataclasses.asdict(self)))

    def short_hash(self) -> str:
        """8 hex digits that change whenever any field does: part of a checkpoint's file name."""
        return hashlib.sha256(json.dumps(self.as_dict(), sort_keys=True).encode()).hexdigest()[:8]


def from_manifest(config_type: type, profile: str, stored: dict[str, Any]) -> Any:
    """Rebuild the config a manifest stored: the profile's config with the stored values that differ.

    JSON turned tuples into lists and nested dataclasses into dicts; each value
    takes back the type of the profile's own value.
    """
    base = config_type.for_profile(profile)
    as_stored = base.as_dict()  # the profile's values in the manifest's JSON form
    changes: dict[str, Any] = {}
    for key, value in stored.items():
        if key not in as_stored or as_stored[key] == value:
            continue
        current = getattr(base, key)
        if isinstance(current, tuple):
            value = tuple(value)
        elif dataclasses.is_dataclass(current):
            value = type(current)(**value)
        changes[key] = value
    return config_type.for_profile(profile, **changes)


def parse_changes(config_type: type, assignments: list[str]) -> dict[str, Any]:
    """``["steps=40", "betas=(0.5, 0.9)"]`` -> ``{"steps": 40, "betas": (0.5, 0.9)}`` for ``--set``.

    Values are Python literals (numbers, tuples, strings, None); a bare word is a string.
    """
    names = {f.name for f in dataclasses.fields(config_type)}
    changes: dict[str, Any] = {}
    for item in assignments:
        key, sep, text = item.partition("=")
        key = key.strip()
        if not sep or not key:
            raise ValueError(f"--set needs key=value, got {item!r}")
        if key not in names:
            raise ValueError(f"--set {key}: {config_type.__name__} has no such field; choose from {', '.join(sorted(names))}")
        try:
            value = ast.literal_eval(text.strip())
        except (ValueError, SyntaxError):
            value = text.strip()
        changes[key] = tuple(value) if isinstance(value, list) else value
    return changes


def adam_pair(G: nn.Module, D: nn.Module, lr_g: float, lr_d: float,
              betas: tuple[float, float] = (0.5, 0.999)) -> dict[str, torch.optim.Optimizer]:
    """The optimisers of the standard game: ``{"g": Adam(G), "d": Adam(D)}``."""
    return {"g": torch.optim.Adam(G.parameters(), lr=lr_g, betas=betas),
            "d": torch.optim.Adam(D.parameters(), lr=lr_d, betas=betas)}
