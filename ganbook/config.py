"""An experiment's config: its sizes and rates per profile, each value checked, ``--set`` and manifests.

:class:`ExperimentConfig` is the base of every experiment's and every
instrument's config (:mod:`ganbook.experiments`, :mod:`ganbook.metrics.instruments`).
Its ``PROFILES`` table states, for ``smoke``, ``cpu`` and ``gpu``, only what differs
from the class's defaults (usually the ``cpu`` run, whose row is then empty;
``python -m ganbook config NAME --profile P`` prints the whole config); :func:`check_value` holds every value to its
field's type and the range :data:`FIELD_BOUNDS` gives its name;
:func:`parse_changes` reads ``--set KEY=VALUE``; :func:`from_manifest` rebuilds
the config a checkpoint's manifest stored.
"""

from __future__ import annotations

import ast
import dataclasses
import functools
import hashlib
import json
import math
import types
import typing
from dataclasses import dataclass
from typing import Any, ClassVar

from . import profiles


@dataclass(frozen=True)
class Bound:
    """The numbers a field (or each number of a tuple field) accepts: from ``low`` to ``high``, each end
    included unless open; None is no bound. ``inf``: +infinity is accepted too."""

    low: float | None = None
    high: float | None = None
    open_low: bool = False
    open_high: bool = False
    inf: bool = False

    def __contains__(self, x: float) -> bool:
        if isinstance(x, float) and (math.isnan(x) or (math.isinf(x) and not (self.inf and x > 0))):
            return False
        below = self.low is not None and (x <= self.low if self.open_low else x < self.low)
        above = self.high is not None and (x >= self.high if self.open_high else x > self.high)
        return not (below or above)

    def words(self, kind: str) -> str:
        """``kind`` ("integer", "numbers", ...) with this range: "positive integer", "numbers in [0, 1)"."""
        if self.low == 0 and self.high is None:
            text = f"{'positive' if self.open_low else 'non-negative'} {kind}"
        elif self.low is None and self.high is None:
            text = kind
        else:
            low, high = ("-inf" if self.low is None else f"{self.low:g}"), ("inf" if self.high is None else f"{self.high:g}")
            text = f"{kind} in {'(' if self.open_low else '['}{low}, {high}{')' if self.open_high else ']'}"
        return text + (" (or inf)" if self.inf else "")


POSITIVE, NON_NEGATIVE = Bound(0, open_low=True), Bound(0)
UNIT, DECAY = Bound(0, 1), Bound(0, 1, open_high=True)

#: The range of each field by name, for every config. A field not named here takes
#: its type's: an ``int`` is a count or a size (a positive integer), a ``float`` any finite number.
FIELD_BOUNDS: dict[str, Bound] = {
    **dict.fromkeys(["seed", "unroll", "replay"], NON_NEGATIVE),  # 0: the first seed, no unrolling, no pool
    **dict.fromkeys(["lr", "lr_g", "lr_d", "lr_gan", "lr_clip", "lr_gp", "clip", "data_std", "g_std",
                     "mapping_lr_mult"], POSITIVE),
    "thresholds": Bound(0, open_low=True, inf=True),  # truncation thresholds; inf keeps every latent
    **dict.fromkeys(["mixing", "replay_share", "decay_from"], UNIT),  # probabilities and fractions
    **dict.fromkeys(["betas", "ema_decay"], DECAY),
    **dict.fromkeys(["gp_weight", "info_weight", "cont_weight", "view_weight", "weight_decay", "gamma", "r1_gamma",
                     "ortho", "clip_norm", "instance_noise", "noise_std", "max_shift", "max_degrees", "view_degrees",
                     "view_shift", "view_scale", "max_noise"], NON_NEGATIVE),  # weights and strengths: 0 turns them off
}


@functools.cache
def _fields(config_type: type) -> dict[str, tuple[Any, Any]]:
    """``{name: (type, default)}`` of a config's fields, the types resolved from their annotations."""
    hints = typing.get_type_hints(config_type)
    return {f.name: (hints[f.name], f.default) for f in dataclasses.fields(config_type)}


def _number(value: Any, integer: bool) -> bool:
    return isinstance(value, int if integer else (int, float)) and not isinstance(value, bool)


def check_value(config_type: type, name: str, value: Any) -> Any:
    """``value`` for field ``name`` of ``config_type``, or ValueError("NAME must be ...") if its type or range is wrong.

    An int given for a float becomes a float and a list a tuple; a field of another type (a data set)
    must be an instance of it.
    """
    kind, default = _fields(config_type)[name]
    bound = {**FIELD_BOUNDS, **config_type.BOUNDS}.get(name)
    optional = typing.get_origin(kind) in (typing.Union, types.UnionType) and type(None) in typing.get_args(kind)
    if optional:
        if value is None:
            return value
        kind = typing.Union[tuple(a for a in typing.get_args(kind) if a is not type(None))]
    if kind is bool:
        if not isinstance(value, bool):
            raise ValueError(f"{name} must be True or False")
    elif kind in (int, float):
        bound = bound or (POSITIVE if kind is int else Bound())
        if not (_number(value, kind is int) and value in bound):
            words = bound.words("integer" if kind is int else "number")
            raise ValueError(f"{name} must be {'None or ' if optional else ''}{'an' if words[0] in 'aeiou' else 'a'} {words}")
        return float(value) if kind is float else value
    elif typing.get_origin(kind) is tuple:
        items = typing.get_args(kind)
        size = None if items[-1] is Ellipsis else len(items)
        integer = items[0] is int
        bound = bound or (POSITIVE if integer else Bound())
        if isinstance(value, list):
            value = tuple(value)
        if not (isinstance(value, tuple) and size in (None, len(value))
                and all(_number(v, integer) and v in bound for v in value)):
            what = "a pair" if size == 2 else "a tuple"
            example = f", e.g. {default}" if isinstance(default, tuple) else ""
            raise ValueError(f"{name} must be {what} of {bound.words('integers' if integer else 'numbers')}{example}")
        return value if integer else tuple(map(float, value))
    elif kind is str:
        if not isinstance(value, str):
            raise ValueError(f"{name} must be a string")
    elif isinstance(kind, (type, types.UnionType)) and not isinstance(value, kind):
        raise ValueError(f"{name} must be {' or '.join(t.__name__ for t in typing.get_args(kind) or (kind,))}")
    return value


@dataclass(frozen=True)
class ExperimentConfig:
    """Base of every experiment's config. Subclasses add fields and fill ``PROFILES``."""

    seed: int = 0
    PROFILES: ClassVar[dict[str, dict[str, Any]]] = {"smoke": {}, "cpu": {}, "gpu": {}}
    BOUNDS: ClassVar[dict[str, Bound]] = {}  # this config's own ranges, over :data:`FIELD_BOUNDS`

    @classmethod
    def for_profile(cls, profile: str | None = None, **changes: Any) -> Any:
        """The config of ``profile`` (``$GANBOOK_PROFILE`` if None), with ``changes`` on top."""
        sizes = profiles.choose(profile, **cls.PROFILES)
        return cls.checked(**{**sizes, **changes})

    @classmethod
    def checked(cls, **values: Any) -> Any:
        """``cls(**values)`` once every value has the type and range of its field (ValueError otherwise)."""
        names = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(values) - names)
        if unknown:
            raise ValueError(f"{cls.__name__} has no field {', '.join(map(repr, unknown))}: "
                             f"choose from {', '.join(sorted(names))}")
        for key, value in values.items():
            try:
                values[key] = check_value(cls, key, value)
            except ValueError as err:
                raise ValueError(f"{cls.__name__} {key}={value!r}: {err}") from None
        return cls(**values).validated()

    def validated(self) -> Any:
        """This config, once every field (defaults too) has its field's type and range (ValueError otherwise)."""
        for f in dataclasses.fields(self):
            try:
                check_value(type(self), f.name, getattr(self, f.name))
            except ValueError as err:
                raise ValueError(f"{type(self).__name__} {f.name}={getattr(self, f.name)!r}: {err}") from None
        return self

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

    Values are Python literals (numbers, tuples, strings, None); a bare word is a string, and so is
    any value of a string field. Each is checked against its field (:func:`check_value`), so a bad
    one is refused in one line, ``--set width=0: width must be a positive integer``, before anything is built.
    """
    names = {f.name for f in dataclasses.fields(config_type)}
    changes: dict[str, Any] = {}
    for item in assignments:
        key, sep, text = item.partition("=")
        key, text = key.strip(), text.strip()
        if not sep or not key:
            raise ValueError(f"--set needs key=value, got {item!r}")
        if key not in names:
            raise ValueError(f"--set {key}: {config_type.__name__} has no such field; choose from {', '.join(sorted(names))}")
        try:
            value = ast.literal_eval(text)
        except (ValueError, SyntaxError, MemoryError, RecursionError):
            value = text
        if _fields(config_type)[key][0] is str and not isinstance(value, str):
            value = text
        try:
            changes[key] = check_value(config_type, key, value)
        except ValueError as err:
            raise ValueError(f"--set {key}={text}: {err}") from None
    return changes
