"""The book's execution cache: a chapter re-executes exactly when the code or shipped files it reads change."""

import shutil
from pathlib import Path

import nbformat
import pytest

from ganbook import bookcache, deps, scoreboard

BOOK = deps.ROOT.parent / "book"


@pytest.fixture
def package_copy(tmp_path, monkeypatch):
    """A copy of the ganbook package that the hashes read instead of the real one."""
    copy = tmp_path / "ganbook"
    shutil.copytree(deps.ROOT, copy, ignore=shutil.ignore_patterns("__pycache__"))
    monkeypatch.setattr(deps, "ROOT", copy)
    deps._direct.cache_clear()
    yield copy
    deps._direct.cache_clear()


def test_a_listed_file_not_yet_written_counts_as_absent(monkeypatch):
    name = "ganbook.experiments.voxel_showcase"
    shipped = deps.code_version(name)
    monkeypatch.setitem(deps.DATA_FILES, name, ["assets/voxel-showcase.json", "assets/not-yet-trained.pt"])
    assert deps.code_version(name) != shipped  # training a showcase before its asset exists does not fail


def test_every_shipped_file_is_read_by_a_named_module():
    listed = {f for files in deps.DATA_FILES.values() for f in files}
    shipped = {f"assets/{p.name}" for p in (deps.ROOT / "assets").iterdir() if p.suffix in (".pt", ".json")}
    assert shipped == listed
    assert all(deps.module_path(m) is not None for m in deps.DATA_FILES)


def test_a_retrained_instrument_changes_exactly_the_chapters_that_read_it(package_copy):
    before = {md.name: deps.chapter_version(md) for md in bookcache.chapters(BOOK)}
    with open(package_copy / "assets" / "shape_reader.pt", "ab") as f:
        f.write(b"\0")  # stands for a retrained reader
    after = {md.name: deps.chapter_version(md) for md in bookcache.chapters(BOOK)}
    assert sorted(k for k in before if before[k] != after[k]) == ["14_progressive.md", "15_biggan.md", "16_stylegan.md",
                                                                 "21_text_to_image.md", "22_video.md"]


def test_a_moved_checkout_reexecutes_only_the_chapter_whose_code_changed(tmp_path, package_copy):
    old = tmp_path / "checkout"
    (old / "book").mkdir(parents=True)
    build = old / "_build"
    from jupyter_cache import get_cache

    cache = get_cache(str(build / ".jupyter_cache"))
    for md in bookcache.chapters(BOOK):
        shutil.copy(md, old / "book" / md.name)
        nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(f"print({md.name!r})")])
        path = tmp_path / f"{md.stem}.ipynb"
        nbformat.write(nb, path)
        cache.cache_notebook_file(str(path), uri=str(old / "book" / md.name), check_validity=False)
        if scoreboard.RECORDS in md.read_text():  # as make book leaves it: the chapter's scoreboard entry
            (build / scoreboard.FOLDER).mkdir(exist_ok=True)
            (build / scoreboard.FOLDER / f"{md.name[:2]}.json").write_text("{}")
    bookcache.record(old / "book", build)
    assert bookcache.invalidate(old / "book", build) == []  # nothing changed yet

    moved = tmp_path / "renamed"
    old.rename(moved)
    with open(package_copy / "models" / "lapgan.py", "a") as f:
        f.write("# an edit\n")
    assert bookcache.invalidate(moved / "book", moved / "_build") == ["09_lapgan.md"]
    left = {Path(r.uri).name for r in get_cache(str(moved / "_build" / ".jupyter_cache")).list_cache_records()}
    assert left == {md.name for md in bookcache.chapters(BOOK)} - {"09_lapgan.md"}
