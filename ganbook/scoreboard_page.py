"""The scoreboard page (``book/scoreboard.md``): the chapters' entries, judged and laid out, with their times.

:func:`load` reads the entries :func:`ganbook.scoreboard.record` wrote in
this build folder; :func:`orders` sorts each entry's pairs of methods by
whether ours come out in the paper's order (:func:`~ganbook.experiments.runs.pair_orders`,
the rule chapters 17-18 use in their text); :func:`rows` and
:func:`headline_table` make the table; :func:`execution_seconds` reads each
chapter's execution time from the build's jupyter-cache, and
:func:`chapters` the book's chapters from its table of contents.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from .errors import GanbookError
from .experiments.runs import pair_orders
from .scoreboard import RECORDS, Entry, build_folder, folder


def load(build: str | Path | None = None) -> list[Entry]:
    """Every entry recorded in the build folder, by chapter (none outside a book build)."""
    where = folder(build)
    if where is None or not where.is_dir():
        return []
    entries = []
    for path in sorted(where.glob("[0-9][0-9].json")):
        try:
            entries.append(Entry(**json.loads(path.read_text())))
        except (TypeError, ValueError, KeyError) as err:
            raise GanbookError(f"{path} is not an entry this ganbook can read ({type(err).__name__}): delete it "
                               "and its chapter is executed again by the next `make book`") from None
    return entries


def orders(entry: Entry) -> dict[str, list[tuple[str, str]]]:
    """``entry``'s pairs of methods by :func:`~ganbook.experiments.runs.pair_orders`: agree, disagree, unclear."""
    def paired(means: dict[str, float], errors: dict[str, float]) -> dict[str, tuple[float, float]]:
        return {k: (v, errors.get(k, 0.0)) for k, v in means.items()}

    return pair_orders(paired(entry.ours, entry.ours_se), paired(entry.theirs, entry.theirs_se),
                       entry.higher_is_better)


def verdict(counts: dict[str, int]) -> str:
    """``yes`` when no pair disagrees and one agrees, ``no`` when any disagrees, ``unclear`` otherwise, and
    ``-`` when there is no pair to order."""
    if not sum(counts.values()):
        return "-"
    return "no" if counts["disagree"] else "yes" if counts["agree"] else "unclear"


def _ratio(r: float) -> str:
    """``1/1,300`` for a small share, ``2.5x`` for a large one."""
    return f"1/{1 / r:,.0f}" if r < 1 else f"{r:.2g}x"


def rows(entries: list[Entry], anchors: dict[str, Any]) -> list[dict[str, Any]]:
    """One row per entry: metric, ours, theirs, which is better, budget ratio, ordering agreement, source."""
    out = []
    for e in entries:
        counts = {k: len(v) for k, v in orders(e).items()}
        pairs = sum(counts.values())
        ratio = e.budget_ratio()
        single = pairs and not e.ours_se
        out.append({
            "chapter": e.chapter, "section": e.section, "metric": e.metric, "method": e.headline,
            "ours": e.ours[e.headline], "theirs": e.theirs[e.headline],
            "better": "higher" if e.higher_is_better else "lower",
            "budget": "not stated" if ratio is None else f"{_ratio(ratio)} ({e.budget_unit})",
            "ordering": "one method" if not pairs else ", ".join(f"{n} {k}" for k, n in counts.items() if n)
                        + f" (of {pairs} pairs{'; ours one run each' if single else ''})",
            "agrees": verdict(counts), "status": anchors[e.anchor].status, "profile": e.profile, "note": e.note,
        })
    return out


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


def chapters(toc: str | Path) -> list[tuple[str, str, bool]]:
    """``(file stem, title, records an entry)`` of each numbered chapter in the table of contents ``toc``
    (``[]`` where there is none, as on Colab)."""
    import yaml

    toc = Path(toc)
    if not toc.is_file():
        return []
    found = []
    for part in yaml.safe_load(toc.read_text()).get("parts", []):
        for item in part.get("chapters", []):
            md = toc.parent / f"{item['file']}.md"
            if md.exists() and md.name[:2].isdigit():
                text = md.read_text()
                title = next((line[2:].strip() for line in text.splitlines() if line.startswith("# ")), md.stem)
                found.append((md.stem, title, RECORDS in text))
    return found


def execution_seconds(build: str | Path | None = None) -> dict[str, float]:
    """``{notebook file stem: seconds}`` of each chapter's last execution, as jupyter-cache recorded it."""
    where = build_folder(build)
    cache_dir = where / ".jupyter_cache" if where else None
    if cache_dir is None or not cache_dir.is_dir():
        return {}
    from jupyter_cache import get_cache

    times: dict[str, float] = {}
    for rec in get_cache(str(cache_dir)).list_cache_records():
        seconds = (rec.data or {}).get("execution_seconds")
        if seconds is not None:
            times[Path(rec.uri).stem] = float(seconds)
    return times


def times_table(pages: list[tuple[str, str, bool]], seconds: dict[str, float]) -> str:
    """Each chapter's execution time in this build's cache, as a MyST table (``not run`` where none)."""
    def cell(stem: str) -> str:
        return f"{seconds[stem]:.0f}" if stem in seconds else "not run"

    return ("| chapter | executed in (s) |\n|---|---|\n"
            + "".join(f"| {{doc}}`{title} <{stem}>` | {cell(stem)} |\n" for stem, title, _ in pages))
