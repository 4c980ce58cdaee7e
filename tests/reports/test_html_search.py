"""The full-text search of the HTML reports (``reports/static/search.js``) in Chromium: it finds words in every
witness, ignores case and diacritics unless asked, counts and steps through the hits, jumps to each one and
draws it, works from the keyboard alone, and says so when nothing matches.

Pages run offline and fail on any console error (``conftest.browser_page``).
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import expect

import collate
from reports.html import render

from .conftest import witness

pytestmark = pytest.mark.browser

DATA = Path(__file__).resolve().parents[1] / "data"

# The text of the hit drawn now (the CSS Custom Highlight "search-hit"), one string per range.
DRAWN = "() => [...(CSS.highlights.get('search-hit') || [])].map(r => r.toString())"
# Where the drawn hit stands, and whether it is inside the visible part of every box that scrolls around it.
IN_VIEW = """() => {
  const r = [...CSS.highlights.get('search-hit')][0];
  const rect = r.getBoundingClientRect();
  let el = r.startContainer.parentElement, inside = rect.width > 0;
  const where = el.closest('#text') ? 'text' : el.closest('#apparatus') ? 'apparatus' : el.closest('#table-pane') ? 'table'
    : el.closest('.syn-text') ? 'synopsis' : el.closest('td') ? 'cell' : 'elsewhere';
  for (; el; el = el.parentElement) {
    const style = getComputedStyle(el);
    if (el === document.documentElement) { inside = inside && rect.top >= 0 && rect.bottom <= innerHeight; break; }
    if (/auto|scroll|hidden/.test(style.overflowY) && el.scrollHeight > el.clientHeight) {
      const box = el.getBoundingClientRect();
      inside = inside && rect.top >= box.top - 1 && rect.bottom <= box.bottom + 1;
    }
  }
  return [where, inside];
}"""


def open_page(page, html: str, folder: Path, name: str = "report.html") -> Path:
    path = folder / name
    path.write_text(html, encoding="utf-8")
    page.goto(path.as_uri())
    page.wait_for_selector("#search-input", state="attached")
    return path


def search(page, query: str) -> None:
    """Types a query into the box the way a reader does: "/" to get there, then the words."""
    page.locator("body").press("/")
    page.keyboard.press("Control+A")
    page.keyboard.type(query)


def count(page) -> str:
    return page.text_content("#search-count")


def long_witnesses() -> list:
    """Three witnesses of 80 lines; only B reads "Zebedee", once, in line 70 (far down the page)."""
    words = "the quick brown fox jumps over a lazy dog while seven tall trees sway in the evening wind".split()
    a, b, c = [], [], []
    for n in range(80):
        line = [words[(n + k) % len(words)] for k in range(20)]
        b_line = list(line)
        if n == 70:
            b_line[10] = "Zebedee"
        a.append(" ".join(line) + ".")
        b.append(" ".join(b_line) + ".")
        c.append(" ".join(line) + ".")
    return [witness("A", a), witness("B", b), witness("C", c)]


def test_a_word_only_a_non_base_witness_reads_is_found_and_shown(browser_page, tmp_path, artifacts):
    page, _ = browser_page
    apparatus = collate.collate(long_witnesses())
    open_page(page, render(apparatus), tmp_path)
    search(page, "zebedee")
    page.keyboard.press("Enter")
    assert count(page) == "1 of 1"
    # Drawn where B's words are shown: its reading in the apparatus entry, scrolled into view …
    assert page.evaluate(DRAWN) == ["Zebedee"]
    assert page.evaluate(IN_VIEW) == ["apparatus", True]
    # … and the variant is selected, so the reader sees it in every witness.
    (loc,) = [loc for loc in apparatus.locations if any("Zebedee" in r.text for r in loc.readings)]
    assert page.evaluate("location.hash") == f"#v{loc.number}"
    assert "sel" in page.get_attribute(f"#a{loc.number}", "class").split()
    # The list gives the witness and its place as the page cites it (B's line 71).
    hits = page.eval_on_selector_all("#search-hits .hit", "hs => hs.map(h => [...h.children].map(c => c.textContent))")
    assert hits == [["l. 71", "B", hits[0][2]]] and "Zebedee" in hits[0][2]
    page.screenshot(path=str(artifacts / "search_non_base.png"))
    # In the alignment table, the same hit is B's cell in that variant's rows.
    page.click(".tabs button[data-view=table]")
    page.click("#search-next")
    assert page.evaluate(DRAWN) == ["Zebedee"]
    assert page.evaluate(IN_VIEW) == ["table", True]
    assert page.evaluate(
        "() => [...CSS.highlights.get('search-hit')][0].startContainer.parentElement.closest('tbody').id"
    ) == f"t{loc.number}"
    # Words all three read are found in the table's folded rows of agreeing text, unfolded.
    search(page, "lazy dog")
    page.keyboard.press("Enter")
    assert page.evaluate(DRAWN) == ["lazy dog"]
    assert page.evaluate(IN_VIEW) == ["table", True]
    assert page.evaluate("[...CSS.highlights.get('search-hit')][0].startContainer.parentElement.className") == "clamp open"
    assert page.eval_on_selector_all("#search-hits .hit-sigla", "s => s.map(x => x.textContent)")[0] == "A B C"
    search(page, "zebedee")
    # In the synopsis, in B's own column (opened if it was not shown).
    page.click(".tabs button[data-view=synopsis]")
    page.uncheck("#syn-pick input[data-w='1']")
    page.click("#search-next")
    assert page.evaluate(DRAWN) == ["Zebedee"]
    assert page.evaluate(IN_VIEW) == ["synopsis", True]
    assert page.evaluate("[...CSS.highlights.get('search-hit')][0].startContainer.parentElement.closest('.syn-text').dataset.w") == "1"


def test_greek_is_found_whatever_its_accents_breathings_and_case(browser_page, tmp_path):
    page, _ = browser_page
    apparatus = collate.collate(
        [
            witness("A", ["Ἐν ἀρχῇ ἦν ὁ λόγος, καὶ ὁ λόγος ἦν πρὸς τὸν θεόν."]),
            witness("B", ["ΕΝ ΑΡΧΗ ΗΝ Ο ΛΟΓΟΣ, ΚΑΙ Ο ΛΟΓΟΣ ΗΝ ΠΡΟΣ ΤΟΝ ΘΕΟΝ."]),
            witness("C", ["ἐν ἀρχη ἠν ὁ λογος και ὁ λογος ἠν προς τον θεον."]),
        ]
    )
    open_page(page, render(apparatus), tmp_path)
    search(page, "αρχη")
    page.keyboard.press("Enter")
    # ἀρχῇ (breathing, circumflex, iota subscript), ΑΡΧΗ and ἀρχη: one place, read by all three.
    assert count(page) == "1 of 1"
    assert page.eval_on_selector_all("#search-hits .hit-sigla", "s => s.map(x => x.textContent)") == ["A B C"]
    assert page.evaluate(DRAWN) == ["ἀρχῇ"]  # in the reading text, the base's own spelling
    search(page, "ΛΌΓΟΣ ἦν")  # accents in the query do not count either; nor does the final sigma
    page.keyboard.press("Enter")
    assert count(page) == "1 of 1"
    assert page.evaluate(DRAWN) == ["λόγος ἦν"]
    # Asked to, accents count: only A writes ἀρχῇ so.
    page.check("#search-accents")
    search(page, "ἀρχῇ")
    page.keyboard.press("Enter")
    assert page.eval_on_selector_all("#search-hits .hit-sigla", "s => s.map(x => x.textContent)") == ["A"]
    search(page, "αρχη")
    page.keyboard.press("Enter")
    assert page.eval_on_selector_all("#search-hits .hit-sigla", "s => s.map(x => x.textContent)") == ["B"]  # ΑΡΧΗ, case aside
    page.check("#search-case")
    page.keyboard.press("Enter")
    assert count(page) == "No match"


def test_count_next_and_previous(browser_page, small, tmp_path):
    page, _ = browser_page
    open_page(page, render(small), tmp_path)
    search(page, "the")
    expect(page.locator("#search-count")).to_have_text(re.compile(r"^\d+ hits$"))  # typing searches after a pause
    total = int(count(page).split()[0])
    # "the" as a word or inside one ("other"), in every witness: each place once, whatever reads it there.
    assert total >= 10
    seen = []
    for n in range(1, 4):
        page.keyboard.press("Enter")
        assert count(page) == f"{n} of {total}"
        assert [t.lower() for t in page.evaluate(DRAWN)] == ["the"]
        seen.append(page.evaluate("() => { const r = [...CSS.highlights.get('search-hit')][0]; const b = r.getBoundingClientRect(); return [Math.round(b.top), Math.round(b.left)]; }"))
    assert len(set(map(tuple, seen))) == 3  # three different places
    page.keyboard.press("Shift+Enter")
    assert count(page) == f"2 of {total}"
    assert page.get_attribute('#search-hits [data-hit="1"]', "aria-current") == "true"
    page.click("#search-prev")
    page.click("#search-prev")  # before the first comes the last
    assert count(page) == f"{total} of {total}"
    page.click("#search-next")
    assert count(page) == f"1 of {total}"
    # A phrase across a variant: "differ much more" is read by a and c only.
    search(page, "differ much more")
    page.keyboard.press("Enter")
    assert count(page) == "1 of 1"
    assert page.eval_on_selector_all("#search-hits .hit-sigla", "s => s.map(x => x.textContent)") == ["a c"]
    # Hiding a witness takes it out of the search.
    page.uncheck("#wit-toggles input[data-w='2']")
    assert page.eval_on_selector_all("#search-hits .hit-sigla", "s => s.map(x => x.textContent)") == ["a"]


def test_the_search_works_from_the_keyboard_alone(browser_page, small, tmp_path):
    page, _ = browser_page
    open_page(page, render(small), tmp_path)
    # Labelled, and the count is announced.
    assert page.get_attribute("#search-count", "aria-live") == "polite"
    assert page.text_content("label[for=search-input]").strip() == "Search the witnesses"
    page.locator("body").press("/")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.type("compare")  # j, n, k, p typed here are letters, not the page's keys
    assert page.evaluate("location.hash") == ""
    page.keyboard.press("Enter")
    assert count(page) == "1 of 1" and page.evaluate(DRAWN) == ["compare"]
    # Down into the list of hits, Enter on one to go there, Escape back to the box.
    page.keyboard.press("ArrowDown")
    assert page.evaluate("document.activeElement.dataset.hit") == "0"
    page.keyboard.press("Enter")
    assert page.evaluate(DRAWN) == ["compare"]
    page.keyboard.press("Escape")
    assert page.evaluate("document.activeElement.id") == "search-input"
    page.keyboard.press("Escape")  # closes the list
    assert page.is_hidden("#search-panel")
    page.keyboard.press("Escape")  # clears the search
    assert page.input_value("#search-input") == "" and page.evaluate(DRAWN) == []
    # The page's own keys still work once out of the box: the hit selected variant 1, j goes on from there.
    assert page.evaluate("location.hash") == "#v1"
    page.keyboard.press("Tab")
    page.keyboard.press("j")
    assert page.evaluate("location.hash") == "#v2"


def test_no_hit_says_so(browser_page, small, tmp_path, artifacts):
    page, _ = browser_page
    open_page(page, render(small), tmp_path)
    search(page, "xylophone")
    page.keyboard.press("Enter")
    assert count(page) == "No match"
    assert page.is_visible("#search-panel")
    assert page.text_content("#search-summary") == "No witness reads \u201cxylophone\u201d."
    assert page.eval_on_selector_all("#search-hits li", "ls => ls.length") == 0
    assert page.evaluate(DRAWN) == []
    page.screenshot(path=str(artifacts / "search_no_hit.png"))


def test_the_translation_report_is_searched_too(browser_page, tmp_path):
    from collate.translate.align import translate
    from collate.translate.run import load_texts
    from reports.translation import render_html

    page, _ = browser_page
    texts = load_texts([DATA / "translate_en" / "A.txt", DATA / "translate_en" / "B.txt"])
    open_page(page, render_html(translate(texts)), tmp_path, "translation.html")
    word = texts["B"].sentences[-1].split()[-1].strip(".,;:!?")
    search(page, word.upper())
    page.keyboard.press("Enter")
    assert count(page).endswith(" of " + count(page).split(" of ")[-1]) and count(page).startswith("1 of ")
    assert [t.lower() for t in page.evaluate(DRAWN)] == [word.lower()]
    assert page.evaluate(IN_VIEW)[1]
    sigla = page.eval_on_selector_all("#search-hits .hit-sigla", "s => s.map(x => x.textContent)")
    assert "B" in sigla
    where = page.eval_on_selector_all("#search-hits .hit-where", "s => s.map(x => x.textContent)")
    assert all(w.startswith("row ") for w in where)
    # On paper, neither the box nor the list.
    page.emulate_media(media="print")
    assert not page.is_visible(".search") and not page.is_visible("#search-panel")
    assert page.is_visible("table")
