"""The scoreboard: each chapter's headline measurement beside its paper's, recorded by the chapter itself.

A chapter ends by calling :func:`record` with an :class:`Entry`: the metric,
our values per method and the anchor's, which way is better, and the budgets.
``make book`` sets ``GANBOOK_BUILD`` to its build folder; there the entry is
written to ``scoreboard/NN.json`` (atomically), beside the execution cache
that keeps the chapter's outputs, so a cached chapter's entry stays with its
cached run. Anywhere else (a learner's kernel, ``pytest --nbval``) nothing is
written. The scoreboard page (``book/scoreboard.md``) is executed after every
chapter in each build (``book/_ext/ganbook_site.py``) and builds its tables
from these files, :mod:`ganbook.anchors` and the execution times that
jupyter-cache stored: nothing on it is typed.
"""

from __future__ import annotations

import json
import os
from dataclasses import asdict, dataclass, field
from itertools import combinations
from pathlib import Path
from typing import Any

from .checkpoints import atomic_write_text
from .experiments.runs import separated
from .profiles import resolve

ENV = "GANBOOK_BUILD"
FOLDER = "scoreboard"


@dataclass(frozen=True)
class Entry:
    """One chapter's headline: ``ours[headline]`` against ``theirs[headline]`` from anchor ``anchor``.

    ``ours`` and ``theirs`` map a method's name to its value, under the same names, so the two orderings can
    be compared wherever two or more methods were measured by both. A value of ours may be ``(mean, standard
    error)``, as :func:`ganbook.experiments.runs.summary` gives it; the error is kept in ``ours_se``. ``budget`` is what a run consumed
    (``{"ours": ..., "paper": ...}`` in ``budget_unit``, e.g. images seen); leave it empty where the paper does
    not state its own. ``section`` is the MyST target of the section that printed the comparison.
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
    budget: dict[str, float] = field(default_factory=dict)
    budget_unit: str = ""
    note: str = ""
    profile: str = ""

    def __post_init__(self) -> None:
        means, errors = {}, dict(self.ours_se)
        for name, value in self.ours.items():
            if isinstance(value, (tuple, list)):
                means[name], errors[name] = float(value[0]), float(value[1])
            else:
                means[name] = float(value)
        object.__setattr__(self, "ours", means)
        object.__setattr__(self, "ours_se", errors)
        object.__setattr__(self, "theirs", {k: float(v) for k, v in self.theirs.items()})
        for side, values in (("ours", self.ours), ("theirs", self.theirs)):
            if self.headline not in values:
                raise ValueError(f"chapter {self.chapter}: {side} has no value for the headline {self.headline!r}")
        if self.budget and set(self.budget) != {"ours", "paper"}:
            raise ValueError(f"chapter {self.chapter}: budget needs exactly 'ours' and 'paper', got {sorted(self.budget)}")

    def budget_ratio(self) -> float | None:
        """Our budget over the paper's (``None`` where the paper's is not known)."""
        return self.budget["ours"] / self.budget["paper"] if self.budget else None

    def agreement(self) -> dict[str, int]:
        """Pairs of methods both sides measured: ``agree`` (ours in the paper's order by more than two
        standard errors of the difference, :func:`~ganbook.experiments.runs.separated`), ``disagree`` (the
        opposite order by as much) and ``unclear`` (closer than that). Pairs the paper ties are left out."""
        both = [m for m in self.ours if m in self.theirs]
        sign = 1 if self.higher_is_better else -1
        counts = {"agree": 0, "disagree": 0, "unclear": 0}
        for a, b in combinations(both, 2):
            if self.theirs[a] == self.theirs[b]:
                continue
            better, worse = (a, b) if sign * (self.theirs[a] - self.theirs[b]) > 0 else (b, a)
            ours = separated((self.ours[better], self.ours_se.get(better, 0.0)),
                             (self.ours[worse], self.ours_se.get(worse, 0.0))) * sign
            counts[{1: "agree", -1: "disagree", 0: "unclear"}[ours]] += 1
        return counts


def verdict(counts: dict[str, int]) -> str:
    """``yes`` when no pair disagrees and one agrees, ``no`` when any disagrees, else ``unclear`` (or ``-``:
    nothing to order)."""
    if not sum(counts.values()):
        return "-"
    return "no" if counts["disagree"] else "yes" if counts["agree"] else "unclear"


def folder(build: str | Path | None = None) -> Path | None:
    """Where entries go: ``<build>/scoreboard``, the build folder from ``GANBOOK_BUILD`` unless given."""
    build = build if build is not None else os.environ.get(ENV)
    return Path(build).expanduser() / FOLDER if build else None


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


def load(build: str | Path | None = None) -> list[Entry]:
    """Every recorded entry, by chapter (none outside a book build)."""
    where = folder(build)
    if where is None or not where.is_dir():
        return []
    return [Entry(**json.loads(p.read_text())) for p in sorted(where.glob("[0-9][0-9].json"))]


def execution_seconds(build: str | Path | None = None) -> dict[str, float]:
    """``{notebook file stem: seconds}`` of each chapter's last execution, as jupyter-cache recorded it."""
    build = build if build is not None else os.environ.get(ENV)
    cache_dir = Path(build).expanduser() / ".jupyter_cache" if build else None
    if cache_dir is None or not cache_dir.is_dir():
        return {}
    from jupyter_cache import get_cache

    times: dict[str, float] = {}
    for rec in get_cache(str(cache_dir)).list_cache_records():
        seconds = (rec.data or {}).get("execution_seconds")
        if seconds is not None:
            times[Path(rec.uri).stem] = float(seconds)
    return times


def _ratio(r: float) -> str:
    """``1/1,300`` for a small share, ``2.5x`` for a large one."""
    return f"1/{1 / r:,.0f}" if r < 1 else f"{r:.2g}x"


def rows(entries: list[Entry], anchors: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per entry: metric, ours, theirs, which is better, budget ratio, ordering agreement, source."""
    out = []
    for e in entries:
        counts = e.agreement()
        ratio = e.budget_ratio()
        pairs = sum(counts.values())
        out.append({
            "chapter": e.chapter, "section": e.section, "metric": e.metric, "method": e.headline,
            "ours": e.ours[e.headline], "theirs": e.theirs[e.headline],
            "better": "higher" if e.higher_is_better else "lower",
            "budget": "not stated" if ratio is None else f"{_ratio(ratio)} ({e.budget_unit})",
            "ordering": "one method" if not pairs else ", ".join(f"{n} {k}" for k, n in counts.items() if n)
                        + f" (of {pairs} pairs)",
            "agrees": verdict(counts), "status": anchors[e.anchor].status, "profile": e.profile, "note": e.note,
        })
    return out


def chapters(toc: str | Path) -> list[tuple[str, str]]:
    """``(file stem, title)`` of each numbered chapter in the table of contents ``toc``, in its order."""
    import yaml

    root = Path(toc).parent
    found = []
    for part in yaml.safe_load(Path(toc).read_text()).get("parts", []):
        for item in part.get("chapters", []):
            md = root / f"{item['file']}.md"
            if md.exists() and md.name[:2].isdigit():
                title = next((line[2:].strip() for line in md.read_text().splitlines() if line.startswith("# ")), md.stem)
                found.append((md.stem, title))
    return found


def _number(x: float) -> str:
    return f"{x:.3g}" if abs(x) < 1000 else f"{x:,.0f}"


def headline_table(rows: list[dict[str, Any]]) -> str:
    """The scoreboard as a MyST table, each chapter linking to the section that measured it."""
    head = ("| chapter | metric | method | ours | paper | better | our budget / paper's | ordering of methods "
            "| agrees | paper number |\n|---|---|---|---|---|---|---|---|---|---|\n")
    body = "".join(
        f"| {{ref}}`{r['chapter']} <{r['section']}>` | {r['metric']} | {r['method']} | {_number(r['ours'])} "
        f"| {_number(r['theirs'])} | {r['better']} | {r['budget']} | {r['ordering']} | {r['agrees']} "
        f"| {r['status']} |\n" for r in rows)
    return head + body


def times_table(pages: list[tuple[str, str]], seconds: dict[str, float]) -> str:
    """Each chapter's execution time in this build's cache, as a MyST table (``not run`` where none)."""
    head = "| chapter | executed in (s) |\n|---|---|\n"
    return head + "".join(f"| {{doc}}`{title} <{stem}>` | "
                          f"{seconds[stem]:.0f} |\n" if stem in seconds else
                          f"| {{doc}}`{title} <{stem}>` | not run |\n" for stem, title in pages)
