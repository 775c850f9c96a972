"""A small Sphinx extension for the book's pages: each script once.

sphinx-thebe adds its inline configuration (``const THEBE_JS_URL = ...``) every
time Sphinx fires ``env-before-read-docs``; Sphinx's own check for a repeated
script misses the second copy (its file name is ``''`` where the first has
``None``), so pages carried the declaration twice and the second one threw a
SyntaxError in every reader's console. Here each page's script list keeps the
first of any identical scripts.
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


def setup(app: Any) -> dict[str, Any]:
    app.connect("html-page-context", _unique_scripts, priority=900)  # after every other extension added its scripts
    return {"parallel_read_safe": True, "parallel_write_safe": True}
