"""Code on a page fits the page.

A code block of the built site shows about 88 characters at typical widths;
longer lines used to run off the right edge. ``book/css/code-wrap.css`` now
wraps them, and the chapters listed here keep every line of their visible code
cells, and of the ganbook sources those cells show with ``show(...)``, within
:data:`LIMIT`, so a reader sees each line whole without a wrap. Add a chapter
to :data:`CHAPTERS` once its cells are shortened.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

from ganbook.show import Source

LIMIT = 88
BOOK = Path(__file__).resolve().parent.parent / "book"
CHAPTERS = ("15_biggan.md", "16_stylegan.md", "21_text_to_image.md", "24_where_next.md")
# Sources these chapters show that are still wider (their modules are maintained
# elsewhere); the CSS wraps them meanwhile. Remove an entry once it is shortened.
WIDE = {"ganbook/models/biggan.py", "ganbook/games/biggan.py", "ganbook/latent.py",
        "ganbook/profiles.py", "ganbook/distributed.py", "ganbook/accel.py"}

CELL = re.compile(r"^```\{code-cell\}[^\n]*\n(.*?)^```", re.S | re.M)


def visible_cells(chapter: str) -> list[str]:
    """The code of each cell of ``chapter`` whose input the built page shows."""
    cells = []
    for body in CELL.findall((BOOK / chapter).read_text()):
        lines = body.splitlines()
        options = [l for l in lines if l.startswith(":")]
        if any("remove-input" in o or "remove-cell" in o for o in options):
            continue
        cells.append("\n".join(l for l in lines if not l.startswith(":")))
    return cells


def shown(chapter: str) -> list[tuple[str, Source]]:
    """``(expression, source)`` of each ``show(...)`` in ``chapter``'s cells, resolved with
    the chapter's own imports."""
    trees = [ast.parse("\n".join(l for l in c.splitlines() if not l.startswith("%")))
             for c in visible_cells(chapter)]
    namespace: dict = {}
    for tree in trees:
        for node in tree.body:
            if isinstance(node, (ast.Import, ast.ImportFrom)):
                exec(compile(ast.Module([node], []), chapter, "exec"), namespace)
    found = []
    for tree in trees:
        for node in ast.walk(tree):
            if isinstance(node, ast.Call) and getattr(node.func, "id", None) == "show":
                expression = ast.unparse(node.args[0])
                found.append((expression, Source(eval(expression, namespace))))
    return found


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_visible_code_cells_fit_the_page(chapter):
    wide = [f"{len(l)}: {l.strip()}" for c in visible_cells(chapter) for l in c.splitlines()
            if len(l) > LIMIT]
    assert not wide, f"{chapter}: code lines over {LIMIT} characters:\n" + "\n".join(wide)


@pytest.mark.parametrize("chapter", CHAPTERS)
def test_shown_sources_fit_the_page(chapter):
    sources = shown(chapter)
    assert sources, f"{chapter} shows no source"
    wide = [f"{s.caption} ({expression}): {len(l)}: {l.strip()}"
            for expression, s in sources if s.where not in WIDE
            for l in s.code.splitlines() if len(l) > LIMIT]
    assert not wide, f"shown lines over {LIMIT} characters:\n" + "\n".join(wide)
