"""Keep a chapter's executed output until the code it runs changes (``make book`` calls this).

Jupyter Book's execution cache is keyed on a notebook's own text, so on its
own it would show outputs of older ganbook code. Before each build,
:func:`invalidate` compares every chapter's :func:`ganbook.deps.chapter_version`
(its text and the ganbook modules its cells import, transitively) with the one
recorded after the last successful build; for a chapter whose hash moved (or
whose scoreboard entry, :mod:`ganbook.scoreboard`, is missing) it
drops the chapter's cached execution (matched by its folder and file name, so
a checkout copied elsewhere still finds it) and touches its source, so Sphinx
reads it again and myst-nb executes it. :func:`record` writes the hashes after
a build. The shipped files a chapter's modules read (an instrument, a showcase)
are part of its hash: see :data:`ganbook.deps.DATA_FILES`.
"""

from __future__ import annotations

import json
import os
from pathlib import Path

from .deps import chapter_version
from .scoreboard import FOLDER, RECORDS

RECORD = ".chapter-code.json"


def chapters(book: Path) -> list[Path]:
    return sorted(book.glob("[0-9]*.md"))


def _place(path: Path) -> tuple[str, str]:
    """A chapter's folder and file name: how a cache record is matched to a chapter. jupyter-cache keeps
    the absolute path it was built from, which a copied or renamed checkout no longer has."""
    return path.parent.name, path.name


def _entry_missing(md: Path, build: Path) -> bool:
    """A chapter that records a scoreboard entry (:mod:`ganbook.scoreboard`) whose file is gone from a folder
    ``make book`` has built before: its cached run would not write the entry again."""
    return ((build / RECORD).exists() and RECORDS in md.read_text()
            and not (build / FOLDER / f"{md.name[:2]}.json").exists())


def invalidate(book: Path, build: Path) -> list[str]:
    """Drop the cached execution of every chapter whose code changed; return their file names."""
    record_file = build / RECORD
    stored = json.loads(record_file.read_text()) if record_file.exists() else {}
    cache_dir = build / ".jupyter_cache"
    changed = [md for md in chapters(book) if stored.get(md.name) != chapter_version(md) or _entry_missing(md, build)]
    if changed and cache_dir.exists():
        from jupyter_cache import get_cache

        cache = get_cache(str(cache_dir))
        targets = {_place(md.resolve()) for md in changed}
        for rec in cache.list_cache_records():
            if _place(Path(rec.uri)) in targets:
                cache.remove_cache(rec.pk)
        for md in changed:
            os.utime(md)  # newer than Sphinx's record of it: read (and so executed) again
    return [md.name for md in changed]


def record(book: Path, build: Path) -> None:
    """Remember each chapter's code hash after a successful build."""
    build.mkdir(parents=True, exist_ok=True)
    hashes = {md.name: chapter_version(md) for md in chapters(book)}
    (build / RECORD).write_text(json.dumps(hashes, indent=1, sort_keys=True) + "\n")
