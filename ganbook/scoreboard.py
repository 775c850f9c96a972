"""What a chapter records for the scoreboard: its headline measurement beside its paper's.

A chapter ends by calling :func:`record` with an :class:`Entry`: the metric,
our values per method and the paper's, which way is better, and the budgets.
``make book`` sets ``GANBOOK_BUILD`` to its build folder; there the entry is
written to ``scoreboard/NN.json`` (atomically), beside the execution cache
that keeps the chapter's outputs, so a cached chapter's entry stays with its
cached run. Anywhere else (a learner's kernel, ``pytest --nbval``) nothing is
written. The page that reads the entries lives in
:mod:`ganbook.scoreboard_page`, apart from this module, so that changing how
the page lays them out does not count as a change to every recording chapter
(:mod:`ganbook.deps`).
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .anchors import anchor
from .checkpoints import atomic_write_text
from .profiles import resolve

ENV = "GANBOOK_BUILD"
FOLDER = "scoreboard"
RECORDS = "scoreboard.record("  # what a chapter that records an entry calls (ganbook.bookcache looks for it)


def _split(values: dict[str, float | tuple[float, float]]) -> tuple[dict[str, float], dict[str, float]]:
    """``{name: value or (mean, standard error)}`` -> means and errors (only where one was given)."""
    means, errors = {}, {}
    for name, value in values.items():
        if isinstance(value, (tuple, list)):
            means[name], errors[name] = float(value[0]), float(value[1])
        else:
            means[name] = float(value)
    return means, errors


@dataclass(frozen=True)
class Entry:
    """One chapter's headline: ``ours[headline]`` against ``theirs[headline]`` from anchor ``anchor``.

    ``ours`` and ``theirs`` map a method's name to its value, under the same names, so the two orderings can
    be compared wherever two or more methods were measured by both. A value may be ``(mean, standard
    error)``, as :func:`ganbook.experiments.runs.summary` gives ours and an anchor gives a paper's; the
    errors are kept in ``ours_se`` and ``theirs_se``. ``budget`` is what a run consumed (``{"ours": ...,
    "paper": ...}`` in ``budget_unit``, e.g. images seen); leave it empty where the paper does not state its
    own. ``section`` is the MyST target of the section that printed the comparison.
    """

    chapter: int
    section: str
    metric: str
    headline: str
    ours: dict[str, float]
    theirs: dict[str, float]
    anchor: str
    higher_is_better: bool
    ours_se: dict[str, float] = field(default_factory=dict)
    theirs_se: dict[str, float] = field(default_factory=dict)
    budget: dict[str, float] = field(default_factory=dict)
    budget_unit: str = ""
    note: str = ""
    profile: str = ""

    def __post_init__(self) -> None:
        for side in ("ours", "theirs"):
            means, errors = _split(getattr(self, side))
            object.__setattr__(self, side, means)
            object.__setattr__(self, f"{side}_se", {**getattr(self, f"{side}_se"), **errors})
            if self.headline not in means:
                raise ValueError(f"chapter {self.chapter}: {side} has no value for the headline {self.headline!r}")
        if self.budget and (set(self.budget) != {"ours", "paper"} or min(self.budget.values()) <= 0):
            raise ValueError(f"chapter {self.chapter}: budget needs positive 'ours' and 'paper', got {self.budget}")
        anchor(self.anchor).cite()  # an unknown or unchecked anchor fails here, with its own message

    def budget_ratio(self) -> float | None:
        """Our budget over the paper's (``None`` where the paper's is not known)."""
        return self.budget["ours"] / self.budget["paper"] if self.budget else None


def build_folder(build: str | Path | None = None) -> Path | None:
    """``build``, else the folder ``GANBOOK_BUILD`` names (``make book``'s ``_build``), else ``None``."""
    build = build if build is not None else os.environ.get(ENV)
    return Path(build).expanduser() if build else None


def folder(build: str | Path | None = None) -> Path | None:
    """Where entries go: ``<build>/scoreboard`` (:func:`build_folder`)."""
    where = build_folder(build)
    return where / FOLDER if where else None


def record(entry: Entry, build: str | Path | None = None) -> Path | None:
    """Write ``entry`` (stamped with the active profile) for the scoreboard; ``None`` outside a book build."""
    where = folder(build)
    if where is None:
        return None
    where.mkdir(parents=True, exist_ok=True)
    stamped = {**asdict(entry), "profile": entry.profile or resolve(None)}
    path = where / f"{entry.chapter:02d}.json"
    atomic_write_text(path, json.dumps(stamped, indent=1, sort_keys=True) + "\n")
    return path
