"""Each chapter's MyST source and its paired .ipynb hold the same cells, and the .ipynb has no outputs."""

import re
from pathlib import Path

import jupytext
import nbformat
import pytest

BOOK = Path(__file__).resolve().parent.parent / "book"
SOURCES = sorted(BOOK.glob("[0-9]*.md"))


def cells(nb):
    return [(c.cell_type, c.source.strip()) for c in nb.cells]


def test_there_are_chapters():
    assert SOURCES, "no chapter sources in book/"


@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.name)
def test_pair_in_sync(md):
    ipynb = md.with_suffix(".ipynb")
    assert ipynb.exists(), f"{ipynb.name} missing: run `make notebooks`"
    assert cells(jupytext.read(md)) == cells(nbformat.read(ipynb, as_version=4)), (
        f"{md.name} and {ipynb.name} differ: edit the .md and run `make notebooks`"
    )


@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.name)
def test_ipynb_committed_clean(md):
    nb = nbformat.read(md.with_suffix(".ipynb"), as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code":
            assert cell.outputs == [] and cell.execution_count is None, f"{md.name}: clear outputs"


WIDGETS = ("frame_slider", "figure_slider", "frame_picker", "grid_slider", "menu_picker", "gan_lab_view")


def split(md):
    """A chapter's code cells and markdown cells, as jupytext reads them."""
    nb = jupytext.read(md)
    return ([c.source for c in nb.cells if c.cell_type == "code"],
            [c.source for c in nb.cells if c.cell_type == "markdown"])


def imported_from_ganbook(code):
    """Names that the chapter's code cells import from ganbook."""
    names = set()
    for src in code:
        for module, items in re.findall(r"^from (ganbook[\w.]*) import (.+)$", src, re.M):
            names.update(n.split(" as ")[-1].strip() for n in items.replace("(", "").replace(")", "").split(","))
        names.update(re.findall(r"^import (ganbook\w*)", src, re.M))
    return names


@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.name)
def test_chapter_has_the_six_part_skeleton(md):
    code, markdown = split(md)
    shown = [m for src in code for m in re.findall(r"(?<![\w.])show\(([\w.]+)\)", src)]  # not plt.show()
    ours = imported_from_ganbook(code)
    assert any(name.split(".")[0] in ours for name in shown), \
        f"{md.name}: show() a ganbook object in a code cell ({shown})"
    calls = "\n".join(code)
    assert any(re.search(rf"(?<![\w]){w}\(", calls) and w in calls for w in WIDGETS), \
        f"{md.name}: a widget ({', '.join(WIDGETS)}) that moves without a kernel, called in a code cell"
    headings = [line.strip() for src in markdown for line in src.splitlines() if line.startswith("## ")]
    assert "## Exercises" in headings and "## References" in headings, f"{md.name}: exercises and references"
    exercises = "\n".join(markdown).split("## Exercises", 1)[1].split("## References", 1)[0]
    assert len(re.findall(r"^\d+\. ", exercises, re.M)) >= 2, f"{md.name}: at least two exercises"
    assert any("footbibliography" in src or "bibliography" in src for src in markdown + code), \
        f"{md.name}: the references list"


@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.name)
def test_computed_prose_needs_no_glue(md):
    """`make site-check` builds with execution off, where a {glue} role finds no value and warns;
    a chapter's computed sentences are Markdown outputs instead."""
    _, markdown = split(md)
    assert not any("{glue" in src for src in markdown), \
        f"{md.name}: build the sentence in a remove-input cell returning Markdown(...) instead of {{glue}}"
