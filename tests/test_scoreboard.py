"""The scoreboard: entries recorded by the chapters, their orderings against the papers', and execution times."""

import json
import re
from itertools import combinations
from pathlib import Path

import nbformat
import pytest

from ganbook import bookcache, scoreboard, scoreboard_page as page
from ganbook.anchors import anchors
from ganbook.errors import GanbookError

ROOT = Path(__file__).resolve().parents[1]
BOOK = ROOT / "book"


def entry(**changes):
    base = dict(chapter=12, section="ch12-scoreboard", metric="modes", headline="PacGAN2",
                ours={"GAN": (18.0, 0.5), "PacGAN2": (23.0, 0.4), "PacGAN3": (23.2, 0.3), "PacGAN4": 19.0},
                theirs={"GAN": 17.3, "PacGAN2": 23.8, "PacGAN3": 24.6, "PacGAN4": 24.8},
                anchor="pacgan-grid-pacgan2", higher_is_better=True, budget={"ours": 80_000, "paper": 40_000_000},
                budget_unit="samples seen")
    return scoreboard.Entry(**{**base, **changes})


def naive_agreement(ours, se, theirs, higher):
    """Every pair in the paper's order, judged by two standard errors of the difference, written out."""
    counts = {"agree": 0, "disagree": 0, "unclear": 0}
    names = [m for m in ours if m in theirs]
    for a, b in combinations(names, 2):
        if theirs[a] == theirs[b]:
            counts["unclear"] += 1
            continue
        paper_a_better = theirs[a] > theirs[b] if higher else theirs[a] < theirs[b]
        diff = ours[a] - ours[b] if higher else ours[b] - ours[a]  # > 0: ours has a better than b
        noise = 2 * (se.get(a, 0) ** 2 + se.get(b, 0) ** 2) ** 0.5
        if abs(diff) <= noise:
            counts["unclear"] += 1
        elif (diff > 0) == paper_a_better:
            counts["agree"] += 1
        else:
            counts["disagree"] += 1
    return counts


@pytest.mark.parametrize("higher", [True, False])
def test_agreement_matches_a_pair_by_pair_count(higher):
    e = entry(higher_is_better=higher)
    assert e.ours_se == {"GAN": 0.5, "PacGAN2": 0.4, "PacGAN3": 0.3}
    expected = naive_agreement(e.ours, e.ours_se, e.theirs, higher)
    counts = {k: len(v) for k, v in page.orders(e).items()}
    assert counts == expected
    # higher is better: PacGAN2/3 above the GAN agree, PacGAN4 below PacGAN2/3 disagrees, and PacGAN4 against
    # the GAN (1 apart, two errors 1.0) and PacGAN2 against PacGAN3 are within two standard errors
    if higher:
        assert expected == {"agree": 2, "disagree": 2, "unclear": 2}
    assert page.verdict(expected) == "no"


def counts(e):
    return {k: len(v) for k, v in page.orders(e).items()}


def test_ties_in_the_paper_and_single_methods_say_nothing():
    tie = entry(theirs={"GAN": 20.0, "PacGAN2": 20.0, "PacGAN3": 21.0, "PacGAN4": 22.0},
                ours={"GAN": 1.0, "PacGAN2": 2.0, "PacGAN3": 30.0, "PacGAN4": 40.0})
    assert counts(tie) == {"agree": 5, "disagree": 0, "unclear": 1} and page.verdict(counts(tie)) == "yes"
    one = entry(ours={"PacGAN2": 1.0}, theirs={"PacGAN2": 2.0})
    assert counts(one) == {"agree": 0, "disagree": 0, "unclear": 0} and page.verdict(counts(one)) == "-"
    close = entry(ours={"GAN": (10.0, 1.0), "PacGAN2": (11.0, 1.0)}, theirs={"GAN": 1.0, "PacGAN2": 2.0})
    assert page.verdict(counts(close)) == "unclear"
    # the paper's own errors: PacGAN3 and 4 within two of theirs is a tie, whatever our order
    published = entry(theirs={"PacGAN3": (24.6, 0.4), "PacGAN4": (24.8, 0.2)},
                      ours={"PacGAN3": (23.2, 0.3), "PacGAN4": (19.0, 0.1)}, headline="PacGAN3")
    assert published.theirs_se == {"PacGAN3": 0.4, "PacGAN4": 0.2}
    assert page.orders(published) == {"agree": [], "disagree": [], "unclear": [("PacGAN3", "PacGAN4")]}


def test_an_entry_refuses_a_headline_or_budget_it_cannot_show():
    with pytest.raises(ValueError, match="no value for the headline"):
        entry(headline="VEEGAN")
    with pytest.raises(ValueError, match="budget needs positive"):
        entry(budget={"ours": 1})
    with pytest.raises(ValueError, match="budget needs positive"):
        entry(budget={"ours": 1, "paper": 0})
    with pytest.raises(KeyError, match="no anchor 'pacgan-grid-pacgan9'"):
        entry(anchor="pacgan-grid-pacgan9")


def test_record_writes_only_in_a_book_build_and_loads_back(tmp_path, monkeypatch):
    monkeypatch.delenv(scoreboard.ENV, raising=False)
    assert scoreboard.record(entry()) is None and page.load() == []
    monkeypatch.setenv(scoreboard.ENV, str(tmp_path))
    monkeypatch.setenv("GANBOOK_PROFILE", "smoke")
    path = scoreboard.record(entry())
    assert path == tmp_path / "scoreboard" / "12.json"
    assert [p.name for p in path.parent.iterdir()] == ["12.json"]  # written in one step, no temporary left
    (back,) = page.load()
    assert back.profile == "smoke" and back.ours == entry().ours and back.ours_se == entry().ours_se
    assert page.orders(back) == page.orders(entry())
    (tmp_path / "scoreboard" / "08.json").write_text('{"chapter": 8, "an_old_field": 1}')
    with pytest.raises(GanbookError, match=r"08.json is not an entry .*delete it"):
        page.load()


def test_rows_show_the_budget_as_a_share_and_the_anchor_status():
    (row,) = page.rows([entry()], anchors())
    assert row["budget"] == "1/500 (samples seen)" and row["ours"] == 23.0 and row["theirs"] == 23.8
    assert row["ordering"] == "2 agree, 2 disagree, 2 unclear (of 6 pairs)" and row["agrees"] == "no"
    assert row["status"] == "checked"
    (bigger,) = page.rows([entry(budget={"ours": 5, "paper": 2}, ours={"PacGAN2": 1.0, "GAN": 0.5})], anchors())
    assert bigger["budget"] == "2.5x (samples seen)"
    assert bigger["ordering"] == "1 agree (of 1 pairs; ours one run each)"
    table = page.headline_table([row])
    assert "{ref}`12 <ch12-scoreboard>`" in table and len(table.strip().splitlines()) == 3


def test_execution_seconds_come_from_the_jupyter_cache(tmp_path):
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("1 + 1", execution_count=1)])
    get_cache(str(tmp_path / ".jupyter_cache")).cache_notebook_bundle(
        CacheBundleIn(nb, str(tmp_path / "book" / "05_mlp_to_dcgan.ipynb"), data={"execution_seconds": 123.4}))
    assert page.execution_seconds(tmp_path) == {"05_mlp_to_dcgan": 123.4}
    assert page.execution_seconds(tmp_path / "nowhere") == {}


def test_chapters_are_the_numbered_pages_of_the_toc_in_order():
    pages = page.chapters(ROOT / "_toc.yml")
    stems = [s for s, _, _ in pages]
    assert stems == sorted(stems) and stems[0] == "01_gaussian_gan" and stems[-1] == "24_where_next"
    assert {s: t for s, t, _ in pages}["23_tables"] == "23. GANs for tables: CTGAN"
    assert [s[:2] for s, _, records in pages if records] == ["03", "08", "12", "14", "16", "17", "18", "19", "20", "22", "23"]
    assert page.chapters(ROOT / "no_toc.yml") == []  # on Colab: no table of contents beside the notebook
    times = page.times_table(pages, {"23_tables": 217.4})
    assert "| {doc}`23. GANs for tables: CTGAN <23_tables>` | 217 |" in times and times.count("not run") == len(pages) - 1


def test_every_recording_chapter_links_to_a_label_it_has_and_an_anchor_that_exists():
    recorded = []
    for md in sorted(BOOK.glob("[0-9]*.md")):
        text = md.read_text()
        for section in re.findall(r'section="([^"]+)"', text):
            assert f"({section})=\n## " in text, f"{md.name}: no label {section} above a section heading"
            recorded.append(md.name[:2])
        for key in re.findall(r'anchor="([^"]+)", higher_is_better', text):
            assert anchors()[key].status != "open"
    assert recorded == ["03", "08", "12", "14", "16", "17", "18", "19", "20", "22", "23"]


def test_a_missing_entry_reexecutes_its_chapter(tmp_path):
    book, build = tmp_path / "book", tmp_path / "_build"
    book.mkdir()
    for name in ("12_mode_collapse.md", "01_gaussian_gan.md"):
        (book / name).write_text((BOOK / name).read_text())
    assert bookcache.invalidate(book, build) == ["01_gaussian_gan.md", "12_mode_collapse.md"]  # never built
    (build / "scoreboard").mkdir(parents=True)
    (build / "scoreboard" / "12.json").write_text(json.dumps({}))
    bookcache.record(book, build)
    assert bookcache.invalidate(book, build) == []
    (build / "scoreboard" / "12.json").unlink()  # an entry deleted after a build: its chapter runs again
    assert bookcache.invalidate(book, build) == ["12_mode_collapse.md"]


def test_the_site_reads_the_scoreboard_again_and_last():
    import sys

    sys.path.insert(0, str(BOOK / "_ext"))
    try:
        import ganbook_site
    finally:
        sys.path.remove(str(BOOK / "_ext"))

    class Env:
        found_docs = {"book/intro", "book/scoreboard", "book/01_gaussian_gan"}

    assert ganbook_site._scoreboard_again(None, Env(), set(), {"book/01_gaussian_gan"}, set()) == ["book/scoreboard"]
    assert ganbook_site._scoreboard_again(None, Env(), {"book/scoreboard"}, set(), set()) == []
    docs = ["book/01_gaussian_gan", "book/scoreboard", "book/zz_later"]
    ganbook_site._scoreboard_last(None, None, docs)
    assert docs[-1] == "book/scoreboard"
    header = (BOOK / "scoreboard.md").read_text().split("---")[1]
    assert "execution_mode: force" in header
