"""Each chapter's MyST source and its paired .ipynb hold the same cells, and the .ipynb has no outputs."""

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


@pytest.mark.parametrize("md", SOURCES, ids=lambda p: p.name)
def test_chapter_has_the_six_part_skeleton(md):
    text = md.read_text()
    assert "ganbook" in text and "show(" in text, "core code shown with ganbook.show"
    assert "## Exercises" in text and "## References" in text
    assert any(w in text for w in ("frame_slider", "figure_slider", "gan_lab_view", "frame_picker", "grid_slider")), \
        "an interactive part"
