"""A small Sphinx extension for the book's pages: each script once.

sphinx-thebe adds its inline configuration (``const THEBE_JS_URL = ...``) every
time Sphinx fires ``env-before-read-docs``; Sphinx's own check for a repeated
script misses the second copy (its file name is ``''`` where the first has
``None``), so pages carried the declaration twice and the second one threw a
SyntaxError in every reader's console. Here each page's script list keeps the
first of any identical scripts.

The scoreboard page (``book/scoreboard``) reads what the chapters recorded in
this build (:mod:`ganbook.scoreboard`), so it is read again in every build and
always after every other page: Sphinx reads pages in sorted order, and this
extension moves the scoreboard to the end rather than trusting its name to
sort last. Its notebook metadata sets ``execution_mode: force``, so its
execution is never taken from the cache. Parallel reading (``-j``) would run
pages in any order, so the extension declares it unsafe and Sphinx reads
serially (``make book`` does anyway).
"""

from __future__ import annotations

from typing import Any


def _unique_scripts(app: Any, pagename: str, templatename: str, context: dict[str, Any], doctree: Any) -> None:
    seen, kept = set(), []
    for js in context.get("script_files", []):
        # Sphinx re-adds scripts registered after its start with filename '' where the first copy has None
        key = (str(getattr(js, "filename", js) or ""), tuple(sorted(getattr(js, "attributes", {}).items())))
        if key not in seen:
            seen.add(key)
            kept.append(js)
    if "script_files" in context:
        context["script_files"] = kept


SCOREBOARD = "book/scoreboard"


def _scoreboard_again(app: Any, env: Any, added: set[str], changed: set[str], removed: set[str]) -> list[str]:
    return [SCOREBOARD] if SCOREBOARD in env.found_docs and SCOREBOARD not in added | changed else []


def _scoreboard_last(app: Any, env: Any, docnames: list[str]) -> None:
    if SCOREBOARD in docnames:
        docnames.remove(SCOREBOARD)
        docnames.append(SCOREBOARD)


def setup(app: Any) -> dict[str, Any]:
    app.connect("env-get-outdated", _scoreboard_again)
    app.connect("env-before-read-docs", _scoreboard_last, priority=900)
    app.connect("html-page-context", _unique_scripts, priority=900)  # after every other extension added its scripts
    return {"parallel_read_safe": False, "parallel_write_safe": True}
