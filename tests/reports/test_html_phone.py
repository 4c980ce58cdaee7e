"""The HTML reports on a phone (390×844 and 360×780, in Chromium): nothing wider than the screen, the
apparatus's toolbar folded into a menu, no word cut in two, every control a finger wide.

Pages run offline and fail on any console error (``conftest.phone_page``).
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

import collate
from reports.html import render

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data"

# Words (between spaces and hyphens) of the text inside the elements `selector` matches that stand on two
# lines: a word cut in two. Only the first `limit` elements that are displayed are read.
SPLIT_WORDS = """([selector, limit]) => {
  const split = [];
  const els = [...document.querySelectorAll(selector)].filter(e => e.getClientRects().length).slice(0, limit);
  for (const el of els) {
    const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode, words = /[^\\s\\-\\u2010-\\u2014\\/]+/g;
      let m;
      while ((m = words.exec(node.data)) !== null) {
        const r = document.createRange();
        r.setStart(node, m.index);
        r.setEnd(node, m.index + m[0].length);
        const tops = new Set([...r.getClientRects()].filter(x => x.width > 0).map(x => Math.round(x.top)));
        if (tops.size > 1) split.push(m[0]);
      }
    }
  }
  return [els.length, split];
}"""
FITS = "() => [document.documentElement.scrollWidth, innerWidth]"
# Visible controls smaller than a fingertip (40 CSS pixels), as [what, width, height].
SMALL_TARGETS = """(selector) => [...document.querySelectorAll(selector)]
  .filter(e => e.getClientRects().length && getComputedStyle(e).visibility !== 'hidden')
  .map(e => [e.id || e.className || e.tagName, Math.round(e.getBoundingClientRect().width), Math.round(e.getBoundingClientRect().height)])
  .filter(([, w, h]) => w < 40 || h < 40)"""
CONTROLS = "button, select, input[type=search], label.chip, .opts label, #permalink, .search-opts label"


def words_whole(page, selector: str, limit: int = 200) -> int:
    """Asserts that no word in those elements is cut in two; returns how many elements were read."""
    read, split = page.evaluate(SPLIT_WORDS, [selector, limit])
    assert split == [], f"{selector}: words cut in two: {split[:10]}"
    return read


def fits(page) -> None:
    width, viewport = page.evaluate(FITS)
    assert width <= viewport, f"the page is {width}px wide on a {viewport}px screen"


@pytest.fixture(scope="module")
def darwin_report(tmp_path_factory) -> Path:
    """The bundled Darwin chapter in six editions, rendered once for the module."""
    from witnesses import sample_paths

    path = tmp_path_factory.mktemp("phone") / "darwin.html"
    path.write_text(render(collate.collate(collate.load(sample_paths()))), encoding="utf-8")
    return path


def test_the_apparatus_fits_a_phone(phone_page, darwin_report, artifacts):
    page, _ = phone_page
    page.goto(darwin_report.as_uri())
    page.wait_for_selector("html[data-ready='1']")
    width, height = page.viewport_size["width"], page.viewport_size["height"]
    header = "() => document.querySelector('header.top').getBoundingClientRect().height"
    # The toolbar is folded away: the header is one row of a menu button, the views and a search button.
    assert page.is_visible("#menu-button") and not page.is_visible("#base") and not page.is_visible("#search-input")
    assert page.evaluate(header) <= 0.15 * height
    fits(page)
    page.screenshot(path=str(artifacts / f"phone_{width}_text.png"))
    assert words_whole(page, "#text .lt", 30) > 0
    assert words_whole(page, "#apparatus .group", 30) > 0
    # The search opens in a row of its own, and the header stays small.
    page.click("#search-button")
    assert page.evaluate("document.activeElement.id") == "search-input"
    assert page.evaluate(header) <= 0.15 * height
    page.keyboard.type("variability")
    page.keyboard.press("Enter")
    assert page.text_content("#search-count").startswith("1 of ")
    fits(page)
    assert page.evaluate(SMALL_TARGETS, "#search-panel button, .search button, .search input, .search-opts label") == []
    page.screenshot(path=str(artifacts / f"phone_{width}_search.png"))
    page.keyboard.press("Escape")
    page.keyboard.press("Escape")
    # The menu holds every control of the toolbar, each a finger wide.
    page.click("#menu-button")
    assert page.is_visible("#base") and page.is_visible("#type-filters") and page.is_visible("#wit-toggles")
    assert page.get_attribute("#menu-button", "aria-expanded") == "true"
    assert page.evaluate(SMALL_TARGETS, CONTROLS) == []
    fits(page)
    page.screenshot(path=str(artifacts / f"phone_{width}_menu.png"))
    page.click("#menu-button")
    assert not page.is_visible("#base") and page.evaluate(header) <= 0.15 * height
    # Every view: nothing wider than the screen; the alignment table scrolls sideways in its own box, and
    # its words ("Causes", "Variability") are never cut, as they were when its columns shrank to the screen.
    for view in ("synopsis", "table", "heat", "witnesses"):
        page.click(f".tabs button[data-view={view}]")
        fits(page)
        page.screenshot(path=str(artifacts / f"phone_{width}_{view}.png"))
        if view == "table":
            box = page.evaluate("() => { const p = document.getElementById('table-pane'); return [p.scrollWidth, p.clientWidth]; }")
            assert box[0] > box[1]  # six editions are wider than a phone: the pane scrolls, not the page
            assert words_whole(page, "#table-pane td", 400) >= 400
            assert "Causes" in page.text_content("#t1")
        if view == "synopsis":
            assert words_whole(page, ".syn-text .lt", 40) > 0
        if view == "witnesses":
            assert words_whole(page, "table.witnesses td, table.witnesses th", 100) > 0
    assert page.evaluate(SMALL_TARGETS, ".tabs button, #menu-button, #search-button") == []


def test_a_variant_chosen_in_the_text_and_its_entry_both_stay_in_sight(phone_page, darwin_report, artifacts):
    """On a phone the text and the apparatus stand one above the other, and the detail panel opens below
    them: the variant clicked stays where it is in the text, and its entry shows in what is left of the
    apparatus pane above the panel (before, the whole view slid up and took the text away)."""
    page, _ = phone_page
    page.goto(darwin_report.as_uri())
    page.wait_for_selector("html[data-ready='1']")
    n = page.evaluate("""() => {
        const vs = document.querySelectorAll('#text .v'), v = vs[Math.floor(vs.length / 2)];
        v.scrollIntoView({block: 'center'});
        return Number(v.id.slice(1));
    }""")
    page.evaluate(f"document.getElementById('v{n}').click()")
    # Two frames: what came into sight is laid out (content-visibility), and the panes settle.
    page.evaluate("() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(done)))")
    boxes = page.evaluate(f"""() => Object.fromEntries(['text', 'v{n}', 'apparatus', 'a{n}', 'detail'].map(id => {{
        const r = document.getElementById(id).getBoundingClientRect(); return [id, [r.top, r.bottom]];
    }}))""")
    page.screenshot(path=str(artifacts / f"phone_{page.viewport_size['width']}_selected.png"))
    text, v, pane, a, detail = (boxes[k] for k in ("text", f"v{n}", "apparatus", f"a{n}", "detail"))
    assert page.is_visible("#detail")
    assert text[0] <= v[0] and v[1] <= text[1], boxes  # the variant clicked, still in the text pane
    assert pane[1] <= detail[0] + 1, boxes  # the apparatus pane ends where the panel begins
    assert pane[0] <= a[0] < pane[1] - 20, boxes  # its entry begins in sight


def test_desktop_keeps_its_toolbar(browser_page, darwin_report):
    page, _ = browser_page
    page.goto(darwin_report.as_uri())
    page.wait_for_selector("html[data-ready='1']")
    assert not page.is_visible("#menu-button") and not page.is_visible("#search-button")
    for selector in ("#base", "#type-filters", "#search-input", ".tabs", "h1"):
        assert page.is_visible(selector), selector
    page.click(".tabs button[data-view=table]")
    assert words_whole(page, "#table-pane td", 300) >= 300


def test_the_translation_report_fits_a_phone(phone_page, tmp_path, artifacts):
    from collate.translate.align import translate
    from collate.translate.run import load_texts
    from reports.translation import render_html

    page, _ = phone_page
    texts = load_texts([DATA / "translate_en" / "A.txt", DATA / "translate_en" / "B.txt"])
    path = tmp_path / "translation.html"
    path.write_text(render_html(translate(texts)), encoding="utf-8")
    page.goto(path.as_uri())
    fits(page)
    assert words_whole(page, "td", 200) > 0
    page.keyboard.press("/")
    page.keyboard.type("farms")
    page.keyboard.press("Enter")
    assert page.text_content("#search-count").startswith("1 of ")
    fits(page)
    assert page.evaluate(SMALL_TARGETS, ".search button, .search input, #search-panel button") == []
    page.screenshot(path=str(artifacts / f"phone_{page.viewport_size['width']}_translation.png"))


def test_the_batch_reports_fit_a_phone(phone_page, tmp_path, monkeypatch, artifacts):
    from collate.batch.run import run_batch

    for name in ("ref", "scans"):
        shutil.copytree(DATA / "batch_week1" / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    run_batch("ref", "scans", "out", workers=1, max_cer=0.1)
    page, _ = phone_page
    width = page.viewport_size["width"]
    page.goto((tmp_path / "out" / "index.html").as_uri())
    fits(page)
    assert words_whole(page, "td", 100) > 0
    # The table of documents is wider than a phone: it scrolls in its own box.
    box = page.evaluate("() => { const b = document.querySelector('.table-box'); return [b.scrollWidth, b.clientWidth, b.getBoundingClientRect().right]; }")
    assert box[0] > box[1] and box[2] <= width
    assert page.evaluate(SMALL_TARGETS, "td:first-child a") == []
    page.screenshot(path=str(artifacts / f"phone_{width}_batch_index.png"), full_page=True)
    page.goto((tmp_path / "out" / "documents" / "a.html").as_uri())
    fits(page)
    assert words_whole(page, ".text, td", 100) > 0
    # The differences table stays inside the screen.
    right = page.evaluate("() => document.querySelector('.table-box').getBoundingClientRect().right")
    assert right <= width
    assert page.evaluate(SMALL_TARGETS, "a.back, td:first-child a") == []
    page.screenshot(path=str(artifacts / f"phone_{width}_batch_document.png"), full_page=True)
