"""The HTML report in Chromium: loads offline with no errors, and every view and control does what it says.

Each page runs with the network cut off and fails at teardown on a console error, an uncaught exception or
an attempted request (see ``conftest.browser_page``). Screenshots are kept in ``tests/artifacts/``.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import collate
from collate.engine.tokens import join
from collate.engine.variants import build_apparatus
from reports.html import render
from reports.json import to_data
from tei.text import TeiOptions

from .conftest import witness

pytestmark = pytest.mark.browser

# The page's DOM as nested [tag, sorted attributes, children], text whitespace collapsed and the server's
# indentation (whitespace-only text with a newline) dropped: two renderings compare equal when they show
# the same thing.
STRUCTURE = """(root) => {
  const copy = root.cloneNode(true);
  copy.normalize();
  function walk(n) {
    if (n.nodeType === 3) return /^\\s*$/.test(n.data) && n.data.includes("\\n") ? null : n.data.replace(/\\s+/g, " ");
    if (n.nodeType !== 1) return null;
    const attrs = [...n.attributes].map(a => a.name + "=" + a.value).sort();
    return [n.tagName, attrs, [...n.childNodes].map(walk).filter(x => x !== null)];
  }
  return walk(copy);
}"""


def open_report(page, apparatus: collate.Apparatus, folder: Path, *, name: str = "report.html", fragment: str = ""):
    path = folder / name
    path.write_text(render(apparatus), encoding="utf-8")
    page.goto(path.as_uri() + fragment)
    page.wait_for_selector("html[data-ready='1']")
    return path


def visible_entries(page) -> list[int]:
    return page.eval_on_selector_all("#apparatus .entry:not(.off)", "es => es.map(e => Number(e.dataset.n))")


def long_witnesses() -> list:
    """Three witnesses of 80 lines with a variant every few words, long enough to scroll."""
    words = "the quick brown fox jumps over a lazy dog while seven tall trees sway in the evening wind".split()
    a, b, c = [], [], []
    for n in range(80):
        line = [words[(n + k) % len(words)] for k in range(24)]
        b_line, c_line = list(line), list(line)
        b_line[n % 7] = "changed"
        c_line[(n + 3) % 11] = c_line[(n + 3) % 11].upper() if n % 2 else "other"
        if n % 5 == 0:
            del c_line[12]
        a.append(" ".join(line) + ".")
        b.append(" ".join(b_line) + ".")
        c.append(" ".join(c_line) + ",")
    return [witness("A", a), witness("B", b), witness("C", c)]


def test_loads_offline_without_errors(browser_page, small, tmp_path, artifacts):
    page, log = browser_page
    path = open_report(page, small, tmp_path)
    assert page.title().startswith("Collation of 3 witnesses")
    assert set(log.requests) == {path.as_uri()}  # the file itself, nothing else
    page.screenshot(path=str(artifacts / "html_small_text.png"))
    for view in ("synopsis", "table", "heat", "witnesses"):
        page.click(f".tabs button[data-view={view}]")
        assert page.is_visible(f"#view-{view}")
        assert not page.is_visible("#view-text")
        page.screenshot(path=str(artifacts / f"html_small_{view}.png"))
    assert set(log.requests) == {path.as_uri()}


def test_apparatus_has_one_entry_per_variant_location(browser_page, small, tmp_path):
    page, _ = browser_page
    open_report(page, small, tmp_path)
    numbers = [loc["n"] for loc in to_data(small)["apparatus"]]
    assert visible_entries(page) == numbers
    assert page.eval_on_selector_all("#text a.v:not(.close)", "vs => vs.map(v => Number(v.dataset.n))") == numbers
    # An outer entry (the moved passage 6) stands between half brackets.
    assert page.eval_on_selector_all("#text a.v.sp", "vs => vs.map(v => [v.id, getComputedStyle(v, '::before').content])") == [
        ["v6", '"⸢"'], ["ve6", '"⸣"']]
    assert page.text_content("#loc-count") == str(len(numbers))


def test_type_filters_change_what_is_shown(browser_page, small, tmp_path):
    page, _ = browser_page
    open_report(page, small, tmp_path)
    page.uncheck("#type-filters input[data-type=substantive]")
    expected = [loc.number for loc in small.entries if any(r.type.value != "substantive" for r in loc.readings)]
    assert visible_entries(page) == expected and len(expected) < len(small.entries)
    off = page.eval_on_selector_all("#text a.v.off", "vs => vs.map(v => Number(v.dataset.n))")
    assert off == [loc.number for loc in small.entries if loc.number not in expected]
    # Readings of a hidden type disappear from entries that stay.
    assert not page.is_visible("#a9") and page.is_visible("#a5")
    page.uncheck("#type-filters input[data-type=transposition]")
    assert not page.is_visible('#a5 .rdg[data-type="transposition"]')
    assert page.is_visible('#a5 .rdg[data-type="addition"]')
    page.check("#type-filters input[data-type=substantive]")
    assert not page.is_visible("#a6") and "off" in page.get_attribute("#ve6", "class").split()  # the span
    page.check("#type-filters input[data-type=transposition]")
    assert visible_entries(page) == [loc.number for loc in small.entries]


def paged_witnesses() -> list:
    return [
        witness("a", ["one two three four", "five six seven", "eight nine ten"], pages=["1", "1", "2"]),
        witness("b", ["one two 3 four five", "six seven eight", "nine ten eleven"], pages=["5", "6", "6"]),
        witness("c", ["one too three four", "five six seven", "eight ten"], pages=["9", "9", "9"]),
    ]


def paragraph_witnesses() -> list:
    return [
        witness("a", ["one two three four", "five six seven", "eight nine ten"], paragraphs=True),
        witness("b", ["one two 3 four five", "six seven eight", "nine ten eleven"], paragraphs=True),
        witness("c", ["one too three four five six", "seven", "eight ten"], paragraphs=True),
    ]


def markup_witnesses() -> list:
    """TEI witnesses whose words carry transcription markup (an addition in a named hand among it), one with
    a gap (a lacuna) and one with verse."""
    from tei.reader import read_witnesses

    bodies = {
        "a": "<p>one two three four five six seven eight</p>",
        "b": "<p>one <add>two</add> <unclear>drei</unclear> four <gap/> seven <del>eight</del></p>",
        "c": '<p>one <del>x</del>two three <supplied>four five</supplied> six <add hand="#pbs">seven eight</add></p>',
    }
    out = []
    for siglum, body in bodies.items():
        data = f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>{body}</body></text></TEI>'.encode()
        out.extend(read_witnesses(data, path=f"{siglum}.xml", options=TeiOptions(stage="after" if siglum != "b" else "before")))
    return out


def regularised_witnesses() -> list:
    """Witnesses with an editor's regularisations: the page marks them whichever witness is the base."""
    from collate.engine.normalize import DEFAULT
    from collate.engine.regularize import Rule, regularize

    plain = [witness("a", ["Ye olde shop 1st opened."]), witness("b", ["The old shop first opened."]),
             witness("c", ["The olde shop first closed."])]
    rules = [Rule("ye", "the", "abbreviation"), Rule("1st", "first", "numeral", witnesses=("a",))]
    return regularize(plain, rules, DEFAULT)[0]


@pytest.mark.parametrize("case", ["small", "pages", "paragraphs", "markup", "regularised"])
def test_switching_the_base_rebuilds_text_and_apparatus_as_the_server_would(
    chromium, browser_page, small, tmp_path, case
):
    page, _ = browser_page
    apparatus = {
        "small": small,
        "pages": collate.collate(paged_witnesses()),
        "paragraphs": collate.collate(paragraph_witnesses()),
        "markup": collate.collate(markup_witnesses()),
        "regularised": collate.collate(regularised_witnesses()),
    }[case]
    open_report(page, apparatus, tmp_path)
    server_default = (page.eval_on_selector("#text", STRUCTURE), page.eval_on_selector("#apparatus", STRUCTURE))
    assert page.is_hidden("#base-note")
    page.select_option("#base", label="b")
    assert page.text_content("#base-name") == "b"
    # The page says whose entries these are: cut as collated against a, typed against b.
    assert page.is_visible("#base-note")
    assert page.text_content("#base-note") == " · entries cut as collated against a, readings typed against b"
    # The reading text is now witness b's text …
    lines = page.eval_on_selector_all("#text .lt", "ls => ls.map(l => l.textContent)")
    assert " ".join(lines) == join([t.text for t in apparatus.witnesses[1].tokens])
    # … and page and apparatus are what rendering with --base b gives.
    other = chromium.new_page()
    try:
        open_report(other, build_apparatus(apparatus.alignment, "b"), tmp_path, name="base_b.html")
        for selector in ("#text", "#apparatus"):
            assert page.eval_on_selector(selector, STRUCTURE) == other.eval_on_selector(selector, STRUCTURE)
    finally:
        other.close()
    assert page.evaluate("location.hash") == "#base=b"
    page.select_option("#base", label="a")
    assert (page.eval_on_selector("#text", STRUCTURE), page.eval_on_selector("#apparatus", STRUCTURE)) == server_default
    assert page.is_hidden("#base-note")
    if case == "regularised":
        marks = page.eval_on_selector_all("#apparatus .reg", "es => es.map(e => e.textContent)")
        assert marks == []  # with a as the base, a's regularised words are the lemma, b and c read plainly
        page.select_option("#base", label="b")
        marks = page.eval_on_selector_all("#apparatus .reg", "es => es.map(e => e.textContent)")
        assert marks == ["reg. Ye → the (abbreviation)", "reg. 1st → first (numeral)"]


def test_hiding_a_witness(browser_page, small, tmp_path):
    page, _ = browser_page
    open_report(page, small, tmp_path)
    page.uncheck("#wit-toggles input[data-w='2']")
    sigla = page.eval_on_selector_all("#apparatus .sig", "ss => ss.map(s => s.textContent)")
    assert set(sigla) == {"b"}
    expected = [loc.number for loc in small.entries if any("b" in r.sigla for r in loc.readings)]
    assert visible_entries(page) == expected and len(expected) < len(small.entries)
    assert page.is_disabled("#wit-toggles input[data-w='0']")  # the base cannot be hidden
    page.check("#wit-toggles input[data-w='2']")
    assert visible_entries(page) == [loc.number for loc in small.entries]


def test_a_variant_in_every_witness(browser_page, small, tmp_path, artifacts):
    page, _ = browser_page
    open_report(page, small, tmp_path)
    page.click("#v7")
    assert page.evaluate("location.hash") == "#v7"
    assert page.is_visible("#detail")
    assert page.get_attribute("#a7", "class").split()[-1] == "sel"
    rows = page.eval_on_selector_all(
        "#detail-body tr", "rs => rs.map(r => [r.querySelector('th').textContent, r.querySelector('mark').textContent])"
    )
    # Inside the moved passage: c, which has it elsewhere (the span accounts for it), reads nothing here.
    loc = next(x for x in small.locations if x.number == 7)
    expected = [(s, r.text) for r in loc.all_readings for s in r.sigla] + [(s, "") for s in loc.absent]
    assert loc.absent == ("c",)
    assert sorted(map(tuple, rows)) == sorted(expected)
    page.screenshot(path=str(artifacts / "html_small_detail.png"))
    # From the apparatus back to the text.
    page.click("#a3 .lem")
    assert page.evaluate("location.hash") == "#v3"
    assert "sel" in page.get_attribute("#v3", "class").split()


def test_keyboard_navigation_and_permalink(browser_page, small, tmp_path):
    page, _ = browser_page
    path = open_report(page, small, tmp_path)
    page.keyboard.press("j")
    assert page.evaluate("location.hash") == "#v1"
    page.keyboard.press("j")
    page.keyboard.press("n")
    assert page.evaluate("location.hash") == "#v3"
    page.keyboard.press("k")
    assert page.evaluate("location.hash") == "#v2"
    # Navigation skips what the filters hide.
    page.uncheck("#type-filters input[data-type=omission]")
    page.keyboard.press("j")
    hidden = {loc.number for loc in small.locations if all(r.type.value == "omission" for r in loc.readings)}
    assert 3 in hidden and page.evaluate("location.hash") == f"#v{min(set(range(3, 9)) - hidden)}"
    page.keyboard.press("Escape")
    assert not page.is_visible("#detail")
    # A permalink opens the page on its variant, with its base.
    page.goto(path.as_uri() + "#v6&base=c")
    page.wait_for_selector("html[data-ready='1']")
    page.reload()
    page.wait_for_selector("html[data-ready='1']")
    assert page.input_value("#base") == "2"
    assert "sel" in page.get_attribute("#a6", "class").split()
    assert page.text_content("#detail-title").startswith("Variant 6")


def test_a_variant_chosen_in_the_text_is_shown_clear_of_the_apparatus_edge(browser_page, tmp_path):
    """Its entry, out of sight below, comes a third of the way down the apparatus pane (not against its
    lower edge, just above the detail panel); the variant clicked stays where it was on the screen."""
    page, _ = browser_page
    page.set_viewport_size({"width": 1200, "height": 800})
    open_report(page, collate.collate(long_witnesses()), tmp_path)
    far = page.eval_on_selector_all("#text .v", "vs => vs.length") * 2 // 3
    before = page.evaluate(f"""() => {{
        const v = document.querySelectorAll('#text .v')[{far}];
        v.scrollIntoView({{block: 'center'}});
        return [Math.round(v.getBoundingClientRect().top), window.scrollY, Number(v.id.slice(1))];
    }}""")
    n = before[2]
    # Lines out of sight are laid out late (content-visibility): let the text settle before clicking.
    page.wait_for_function(f"""() => new Promise(done => requestAnimationFrame(() => requestAnimationFrame(() =>
        done(Math.abs(document.getElementById('v{n}').getBoundingClientRect().top - {before[0]}) < 1))))""")
    page.evaluate(f"document.getElementById('v{n}').click()")  # where it stands: no scrolling to it first
    where = page.evaluate(f"""() => {{
        const pane = document.getElementById('apparatus'), box = pane.getBoundingClientRect();
        const r = document.getElementById('a{n}').getBoundingClientRect();
        return [(r.top - box.top) / box.height, (r.bottom - box.top) / box.height,
                Math.round(document.getElementById('v{n}').getBoundingClientRect().top), window.scrollY];
    }}""")
    assert page.is_visible("#detail") and "sel" in page.get_attribute(f"#a{n}", "class").split()
    assert 0.2 < where[0] and where[1] < 0.6, where
    assert abs(where[2] - before[0]) <= 2 and where[3] == before[1]


def test_alignment_table_and_heat_map(browser_page, small, tmp_path):
    page, _ = browser_page
    open_report(page, small, tmp_path)
    page.click(".tabs button[data-view=table]")
    numbers = page.eval_on_selector_all("#table-pane tbody[data-n]", "bs => bs.map(b => Number(b.dataset.n))")
    assert numbers == [loc.number for loc in small.locations]
    rows = page.eval_on_selector_all("#t7 tr", "rs => rs.map(r => [...r.cells].slice(1).map(c => c.textContent))")
    loc = next(x for x in small.locations if x.number == 7)
    columns = [small.alignment.column_tokens(c) for c in range(loc.start, loc.end)]
    assert rows == [["–" if t is None else t.text for t in col] for col in columns]
    # The sticky header's columns stand over the body's.
    header = page.eval_on_selector_all(".align-head th", "hs => hs.map(h => Math.round(h.getBoundingClientRect().left))")
    body = page.eval_on_selector_all("#t7 tr:first-child td", "ds => ds.map(d => Math.round(d.getBoundingClientRect().left))")
    assert header == body and len(header) == 4
    page.click(".tabs button[data-view=heat]")
    labels = page.eval_on_selector_all("#heat .hl", "ls => ls.map(l => l.textContent)")
    assert labels == ["all (mean)", "b", "c"]
    page.click("#heat .hc:not([style*='hsl(45, 85%, 97%)'])")
    assert page.is_visible("#view-text") and page.evaluate("location.hash").startswith("#v")


def test_synopsis_scrolls_in_step(browser_page, tmp_path, artifacts):
    page, _ = browser_page
    apparatus = collate.collate(long_witnesses())
    open_report(page, apparatus, tmp_path, name="long.html")
    page.click(".tabs button[data-view=synopsis]")
    assert page.eval_on_selector_all(".syn-col h3", "hs => hs.map(h => h.textContent)") == ["A (base)", "B", "C"]
    n = apparatus.locations[len(apparatus.locations) // 2].number
    offsets = page.evaluate(
        """async (n) => {
            const boxes = [...document.querySelectorAll('.syn-text')];
            const anchor = b => b.querySelector(`.sv[data-n="${n}"]`);
            boxes[1].scrollTop = anchor(boxes[1]).offsetTop;
            await new Promise(r => setTimeout(r, 200));
            return boxes.map(b => anchor(b).offsetTop - b.scrollTop);
        }""",
        n,
    )
    assert offsets[1] == 0 and max(abs(o) for o in offsets) <= 2, offsets
    page.screenshot(path=str(artifacts / "html_long_synopsis.png"))


def test_witness_markup_runs_nothing(browser_page, tmp_path, artifacts):
    page, log = browser_page
    page.add_init_script(
        "window.__violations = [];"
        "document.addEventListener('securitypolicyviolation', e => window.__violations.push(e.violatedDirective));"
    )
    evil = [
        "A line with <script>window.__pwned = 1</script> inside it.",
        'Then <img src=x onerror="window.__pwned = 2"> and <svg onload=window.__pwned=3> here.',
        "javascript:window.__pwned=4 and a </textarea> and a \u2028 separator.",
    ]
    plain = ["A line with nothing inside it.", "Then some text here.", "A quiet ending and a plain separator."]
    apparatus = collate.collate(
        [witness("evil", evil, title="<script>window.__pwned = 5</script>"), witness("plain", plain)]
    )
    path = open_report(page, apparatus, tmp_path, name="xss.html")
    page.click("#text a.v")
    for view in ("synopsis", "table", "heat", "witnesses"):
        page.click(f".tabs button[data-view={view}]")
    page.click(".tabs button[data-view=text]")
    page.select_option("#base", label="plain")
    page.click("#text a.v")
    assert page.evaluate("window.__pwned") is None
    assert page.evaluate("window.__violations") == []
    assert page.evaluate("document.querySelectorAll('img, svg, textarea').length") == 0
    assert page.evaluate("[...document.querySelectorAll('*')].flatMap(e => e.getAttributeNames()).filter(a => a.startsWith('on'))") == []
    # the collation's data, the correction keys, the page's script, the search
    assert page.evaluate("document.scripts.length") == 4
    # The markup shows as the witness wrote it, as text.
    assert "with <script>window.__pwned = 1</script> inside" in page.text_content("#detail-body")
    page.select_option("#base", label="evil")
    assert page.text_content("#text .line:nth-child(2) .lt").startswith('Then <img src=x onerror="window.__pwned = 2">')
    assert page.evaluate("window.__pwned") is None
    assert set(log.requests) == {path.as_uri()}
    page.screenshot(path=str(artifacts / "html_xss.png"))


def test_prints_as_text_then_apparatus(browser_page, small, tmp_path, artifacts):
    page, _ = browser_page
    open_report(page, small, tmp_path)
    page.click("#v1")
    page.emulate_media(media="print")
    assert not page.is_visible(".toolbar") and not page.is_visible("#detail")
    assert page.is_visible("#text") and page.is_visible("#apparatus")
    text_box, apparatus_box = page.locator("#text").bounding_box(), page.locator("#apparatus").bounding_box()
    assert apparatus_box["y"] >= text_box["y"] + text_box["height"] - 1  # below the text, as on paper
    page.screenshot(path=str(artifacts / "html_small_print.png"), full_page=True)


def test_display_options(browser_page, tmp_path):
    page, _ = browser_page
    open_report(page, collate.collate(paged_witnesses()), tmp_path)
    cites = "#apparatus .cite"
    assert page.locator(cites).count() > 0 and page.is_visible(cites)
    page.uncheck("#opt-cites")
    assert not page.is_visible(cites)
    after = "() => getComputedStyle(document.querySelector('#text a.v'), '::after').content"
    assert page.evaluate(after) == '"1"'
    page.uncheck("#opt-numbers")
    assert page.evaluate(after) == "none"
    page.keyboard.press("?")
    assert page.is_visible("#help")


def test_lacking_witnesses_on_every_base(chromium, browser_page, tmp_path):
    """An imported apparatus with a lacuna: the page prints "lac. B", never "om. B", on its own base and on
    another, exactly as the server renders that base."""
    from collate.engine.entries import build_entries
    from tei.importer import import_apparatus

    data = (Path(__file__).resolve().parents[1] / "data" / "tei_apparatus" / "negative-lacunae.xml").read_bytes()
    apparatus = import_apparatus(data, path="negative-lacunae.xml", notes=[].append)
    page, _ = browser_page
    open_report(page, apparatus, tmp_path)
    server_default = page.eval_on_selector("#apparatus", STRUCTURE)
    texts = page.eval_on_selector_all("#apparatus .entry", "es => es.map(e => e.textContent.replace(/\\s+/g, ' '))")
    assert texts[1] == "2 soote] lac. B" and "om." not in " ".join(texts)
    for base in ("A", "B"):
        page.select_option("#base", label=base)
        other = chromium.new_page()
        try:
            open_report(other, build_entries(apparatus.alignment, base), tmp_path, name=f"base_{base}.html")
            assert page.eval_on_selector("#apparatus", STRUCTURE) == other.eval_on_selector("#apparatus", STRUCTURE)
        finally:
            other.close()
    page.select_option("#base", label="ed.")
    assert page.eval_on_selector("#apparatus", STRUCTURE) == server_default


def test_markup_is_shown_in_the_synopsis_and_a_lacunose_base_says_lac(browser_page, tmp_path, artifacts):
    page, _ = browser_page
    apparatus = collate.collate(markup_witnesses())
    open_report(page, apparatus, tmp_path, name="markup.html")
    page.click(".tabs button[data-view=synopsis]")
    marks = page.eval_on_selector_all(
        ".syn-text .mk", "ms => ms.map(m => [m.closest('.syn-text').dataset.w, m.className, m.textContent])"
    )
    assert ["1", "mk m-unclear", "drei"] in marks and ["1", "mk m-del", "eight"] in marks
    # "four" agrees with the others, "five" stands in a variant location (b's lacuna): one span each.
    assert ["2", "mk m-supplied", "four"] in marks and ["2", "mk m-supplied", "five"] in marks
    assert ["2", "mk m-add", "seven eight"] in marks  # words marked alike share one span
    page.screenshot(path=str(artifacts / "markup-synopsis.png"))
    page.click(".tabs button[data-view=text]")
    page.select_option("#base", label="b")
    lemmas = page.eval_on_selector_all("#apparatus .entry.t-lacuna .lem", "ls => ls.map(l => l.textContent)")
    assert lemmas == ["four ⁁ lac."]
    assert "add." not in page.text_content("#apparatus")


PRINTED_LINES = """() => {
  const out = [];
  const markers = [...document.querySelectorAll('#text .pl')];
  markers.forEach((m, i) => {
    const range = document.createRange();
    range.setStartAfter(m);
    const lt = m.closest('.lt');
    const next = markers[i + 1];
    if (next && lt.contains(next)) range.setEndBefore(next); else range.setEnd(lt, lt.childNodes.length);
    const tops = new Set([...range.getClientRects()].filter(r => r.width > 0).map(r => Math.round(r.top)));
    out.push([Number(m.dataset.n), range.toString(), tops.size]);
  });
  return out;
}"""

ENTRY_LINES = """() => {
  const lineOf = {};
  let current = 0;
  document.querySelectorAll('#text .pl, #text a.v:not(.close)').forEach(x => {
    if (x.classList.contains('pl')) current = Number(x.dataset.n); else lineOf[x.dataset.n] = current;
  });
  let shown = '';
  const entries = [...document.querySelectorAll('#apparatus .entry')];
  return entries.map((e, i) => {
    const pln = e.querySelector('.pln');
    if (!pln.classList.contains('same')) shown = pln.textContent;
    // A span is keyed by the line of its opening half bracket (hidden in print).
    let line = lineOf[e.dataset.n];
    for (let j = i + 1; line === undefined && j < entries.length; j++) line = lineOf[entries[j].dataset.n];
    return [Number(e.dataset.n), line, shown];
  });
}"""


def test_print_sets_a_line_numbered_text_and_an_apparatus_keyed_by_line(browser_page, tmp_path):
    import shutil
    import subprocess

    from witnesses import sample_paths

    page, _ = browser_page
    apparatus = collate.collate(collate.load(sample_paths()))
    page.set_viewport_size({"width": 640, "height": 900})  # the A4 print column
    open_report(page, apparatus, tmp_path)
    page.emulate_media(media="print")
    lines = page.evaluate(PRINTED_LINES)
    # Numbered 1, 2, 3 … through the whole text, none longer than a print line, each one printed line.
    assert [n for n, _, _ in lines] == list(range(1, len(lines) + 1))
    assert len(lines) > 500
    assert max(len(text.strip()) for _, text, _ in lines) <= 76
    assert [n for n, _, rows in lines if rows > 1] == []
    # Splitting into lines changed no character of the text the server wrote.
    from lxml import html as lxml_html

    served = lxml_html.fromstring((tmp_path / "report.html").read_bytes())
    texts = page.eval_on_selector_all("#text .lt", "ls => ls.map(l => l.textContent)")
    assert texts == [lt.text_content() for lt in served.find_class("lt") if lt.getparent().get("class") == "line"]
    assert page.eval_on_selector('.pl[data-n="5"]', "m => getComputedStyle(m, '::before').content") == '"5"'
    assert page.eval_on_selector('.pl[data-n="6"]', "m => getComputedStyle(m, '::before').content") == "none"
    # Each apparatus entry is keyed by the printed line its variant begins on.
    for number, line, shown in page.evaluate(ENTRY_LINES):
        assert shown.split("–")[0] == str(line), number
    # The witnesses' paragraph references after each siglum are left out of print; other references stay.
    assert page.eval_on_selector_all(".cite.para", "cs => cs.every(c => getComputedStyle(c).display === 'none')")
    assert page.eval_on_selector_all(".cite.para", "cs => cs.length") > 0
    if shutil.which("pdftotext"):
        pdf = tmp_path / "print.pdf"
        page.pdf(path=str(pdf), format="A4")
        text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
        assert "Apparatus" in text and "(¶" not in text
        assert "look to] compare 1869 1872" in " ".join(text.split())


def test_a_long_line_label_is_cut_at_its_start_not_run_into_the_text(browser_page, tmp_path):
    """The Frankenstein Variorum numbers its lines with ids (``<lb n="c57-0074__main__12"/>``): wider than the
    margin, such a label ran into the reading text. It is cut at its start, keeping the line, and a short label
    (``¶ 3``, ``p. 5, l. 3``) still reads left to right."""
    from collate.engine.model import Source

    lines = ["one two three four", "five six seven", "eight nine ten"]
    starts = [0, len(lines[0]) + 1, len(lines[0]) + len(lines[1]) + 2]

    def make(siglum: str, text_lines: list[str]):
        text = "\n".join(text_lines)
        def locate(start: int, end: int) -> Source:
            n = max(i for i, s in enumerate(starts) if s <= start)
            return Source(line=f"c57-0074__main__{n + 10}", start=start, end=end)
        return collate.Witness(siglum, collate.make_tokens(text, siglum, locate=locate))

    apparatus = collate.collate([make("a", lines), make("b", ["one two three four", "five six eleven", "eight nine ten"])])
    page, _ = browser_page
    open_report(page, apparatus, tmp_path)
    boxes = page.eval_on_selector_all(
        "#text .line",
        """ls => ls.map(l => {
            const m = l.querySelector('.margin'), t = l.querySelector('.lt');
            // The label's own box: where its text ends, cut or not.
            return [m.textContent, m.firstElementChild.getBoundingClientRect().right, t.getBoundingClientRect().left,
                    m.scrollWidth > m.clientWidth];
        })""",
    )
    assert [label for label, *_ in boxes] == ["l. c57-0074__main__10", "l. c57-0074__main__11", "l. c57-0074__main__12"]
    assert all(right <= left for _, right, left, _ in boxes), boxes
    assert all(cut for *_, cut in boxes)  # wider than the margin: cut, with an ellipsis where it starts


def test_the_hand_of_an_addition_stands_after_its_words(browser_page, tmp_path):
    """The hand a transcription names for an addition (C15: ``<add hand="#pbs">s</add>``) is shown after the
    added words, clear of them, in the apparatus and, on its witness's base, in the reading text (the page's
    script marks the text as the server does); it is no part of the witness's text."""
    from tei.reader import read_witnesses

    witnesses = []
    for siglum, body in {"a": "<p>one two three four</p>", "c": '<p>one <add hand="#pbs">zwei drei</add> four</p>'}.items():
        data = f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>{body}</body></text></TEI>'.encode()
        witnesses.extend(read_witnesses(data, path=f"{siglum}.xml", options=TeiOptions()))
    page, _ = browser_page
    open_report(page, collate.collate(witnesses), tmp_path)
    for base, where in (("a", "#apparatus"), ("c", "#text")):
        page.select_option("#base", base)
        boxes = page.eval_on_selector_all(
            f"{where} [data-hand]",
            """ss => ss.map(s => {
                const r = document.createRange(); r.selectNodeContents(s);
                const words = r.getBoundingClientRect(), whole = s.getBoundingClientRect();
                return [s.textContent, s.dataset.hand, getComputedStyle(s, '::after').content,
                        Math.round(whole.right - words.right), Math.round(words.left - whole.left)];
            })""",
        )
        assert [b[:3] for b in boxes] == [["zwei drei", "pbs", '"pbs"']], (base, boxes)
        ((*_, after, before),) = boxes
        assert after > 4 and before <= 1, (base, boxes)  # the label's width stands after the words, none before
