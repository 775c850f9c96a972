"""The built site in a real browser: no console error and no failed request, with no network.

Runs where Chromium is installed and a site has been built (`make book`, or
`make site-check`, which `.ci/run` runs before the tests); skipped with a message
otherwise. `python tests/sitecheck.py _build/html` checks every page.
"""

from pathlib import Path

import pytest

import sitecheck

ROOT = Path(__file__).resolve().parent.parent
SITES = [ROOT / "_build" / "html", ROOT / "_build" / "check" / "_build" / "html"]
PAGES = ["index.html", "book/intro.html", "book/05_mlp_to_dcgan.html", "book/08_infogan.html"]


def test_built_pages_have_no_console_errors_or_failed_requests():
    if sitecheck.browser() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium): the browser check did not run")
    site = next((s for s in SITES if (s / "index.html").exists()), None)
    if site is None:
        pytest.skip("no built site: run `make book` or `make site-check` first; the browser check did not run")
    pages = [p for p in PAGES if (site / p).exists()]
    problems = sitecheck.check(site, pages)
    assert problems == {p: [] for p in pages}


def test_every_slider_and_picker_moves_its_picture_without_a_kernel():
    if sitecheck.browser() is None:
        pytest.skip("Chromium is not installed (apt-get install chromium): the slider check did not run")
    site = SITES[0]  # only `make book` executes the chapters, and so saves their widgets
    pages = sorted(str(p.relative_to(site)) for p in (site / "book").glob("[0-9]*.html")
                   if "widget-state+json" in p.read_text(encoding="utf-8"))
    if not pages:
        pytest.skip("no executed site with widgets: run `make book` first; the slider check did not run")
    results = sitecheck.check(site, pages, sliders=True)
    assert all(lines for lines in results.values()), results  # every page with widgets has a slider or picker
    assert not [line for lines in results.values() for line in lines if "CHANGED NOTHING" in line], results
