"""The HTML report as a file: golden output, structure, embedded data, escaping and the CSP."""

from __future__ import annotations

import base64
import hashlib
import json
import os
import re

from lxml import html as lxml_html

import collate
from collate.engine.tokens import join
from collate.engine.variants import build_apparatus
from reports.html import page_ref, render, static_text, view_data
from reports.json import to_data

from .conftest import SMALL, witness


def _doc(text: str):
    return lxml_html.document_fromstring(text)


def _text(el) -> str:
    return el.text_content()


def test_golden_small(small):
    """The whole page for three short witnesses, compared exactly (UPDATE_GOLDEN=1 rewrites it on purpose)."""
    out = render(small)
    expected = SMALL / "expected.html"
    if os.environ.get("UPDATE_GOLDEN") == "1":
        expected.write_text(out, encoding="utf-8")
    assert out == expected.read_text(encoding="utf-8")


def test_one_entry_per_variant_location(small):
    doc = _doc(render(small))
    locations = to_data(small)["apparatus"]
    entries = doc.xpath('//*[@id="apparatus"]//*[contains(concat(" ", @class, " "), " entry ")]')
    assert [e.get("id") for e in entries] == [f"a{loc['n']}" for loc in locations]
    # Every entry has its place in the text: a variant its lemma, an outer entry (a span, here the moved
    # passage in which b also differs) a half bracket before its first part and one after its last.
    assert any(loc.get("span") for loc in locations)
    marks = doc.xpath('//*[@id="text"]//a[contains(concat(" ", @class, " "), " v ")][not(contains(@class, "close"))]')
    assert [m.get("id") for m in marks] == [f"v{loc['n']}" for loc in locations]
    # Both directions: text → entry and entry → text.
    assert [m.get("href") for m in marks] == [f"#a{loc['n']}" for loc in locations]
    assert [e.xpath('./a[@class="num"]')[0].get("href") for e in entries] == [f"#v{loc['n']}" for loc in locations]
    spans = [loc["n"] for loc in locations if loc.get("span")]
    ends = doc.xpath('//*[@id="text"]//a[contains(concat(" ", @class, " "), " close ")]')
    assert [m.get("id") for m in ends] == [f"ve{n}" for n in spans]
    text = "".join(doc.xpath('//*[@id="text"]//text()'))
    assert "mat, and the dog slept by the door." in text  # the marks add no text and take no space
    for n in spans:
        opening, closing = doc.get_element_by_id(f"v{n}"), doc.get_element_by_id(f"ve{n}")
        inside = opening.xpath("following::a")
        assert closing in inside and opening.text is None and closing.text is None


def test_entries_read_like_a_printed_apparatus(small):
    doc = _doc(render(small))
    entries = {e.get("id"): " ".join(_text(e).split()) for e in doc.xpath('//*[@class="group"]/span[@id]')}
    assert entries["a1"] == "1 look to] compare b"
    assert entries["a3"] == "3 much] om. b"
    # Independent neighbouring variants are two entries, each typed for itself (not "very good] good b;
    # very fine c"): b's omission of "very", c's "fine" for "good".
    assert entries["a8"] == "8 very] om. b"
    assert entries["a9"] == "9 good] fine c"
    assert entries["a10"] == "10 shone ⁁] add. brightly b"
    # A transposition names its other half.
    assert entries["a5"].endswith("transp. 6")
    # The moved passage, in which b also lacks the comma: the move is an outer entry, and the comma an
    # entry inside it, typed for itself (not ", and the dog slept by the door] and the dog slept by the
    # door b", a punctuation variant of the whole passage in one entry with the move).
    assert entries["a6"] == "6 , and the dog slept by the door] om. c transp. 5"
    assert entries["a7"] == "7 ,] om. b"
    # Entries are grouped by the base's line, as a printed apparatus cites them.
    groups = [(g.get("data-ref"), [int(e.get("data-n")) for e in g.xpath("./span[@id]")]) for g in doc.xpath('//*[@class="group"]')]
    assert [ref for ref, _ in groups] == ["l. 1", "l. 2", "l. 3"]
    assert [n for _, ns in groups for n in ns] == [loc.number for loc in small.entries]
    assert [ns for _, ns in groups][-1] == [8, 9, 10]


def test_reading_text_is_the_base_witness(small):
    doc = _doc(render(small))
    lines = doc.xpath('//*[@id="text"]/div[@class="line"]/span[@class="lt"]')
    base = small.witnesses[0]
    by_line: dict[str, list[str]] = {}
    for t in base.tokens:
        by_line.setdefault(t.source.line, []).append(t.text)
    # A variant location stays whole on the line where it starts; otherwise lines are the witness's lines.
    assert " ".join(_text(lt) for lt in lines) == join([t.text for t in base.tokens])
    assert _text(lines[-1]) == join(by_line["3"])
    assert [m.text_content() for m in doc.xpath('//*[@id="text"]/div/span[@class="margin"]')] == [f"l. {n}" for n in by_line]


def test_types_for_every_base_come_from_the_engine(small):
    data = view_data(small)["data"]
    for w, siglum in enumerate(small.alignment.sigla):
        other = build_apparatus(small.alignment, siglum)
        assert len(other.entries) == len(data["locs"])
        for loc, entry in zip(other.entries, data["locs"]):
            readings = {tuple(sorted(r[1])): i for i, r in enumerate(entry["r"])}
            sigla = small.alignment.sigla
            lemma = readings[tuple(sorted(sigla.index(s) for s in loc.lemma.sigla))]
            assert entry["ty"][w][lemma] is None
            for r in loc.readings:
                code = entry["ty"][w][readings[tuple(sorted(sigla.index(s) for s in r.sigla))]]
                assert data["types"][code] == r.type.value


def test_embedded_data_round_trips_and_cannot_break_out(small):
    hostile = [
        witness("A", ["plain words here </script><script>alert(1)</script> and more"]),
        witness("B", ["plain words here <!-- & \u2028 \u2029 --> and more"]),
    ]
    apparatus = collate.collate(hostile)
    out = render(apparatus)
    raw = re.search(r'<script type="application/json" id="collation-data">(.*?)</script>', out, re.S).group(1)
    assert not set(raw) & {"<", ">", "&", "\u2028", "\u2029"}
    assert json.loads(raw) == json.loads(json.dumps(view_data(apparatus)["data"]))
    # The correction controls' keys quote the witness's words too: the same escaping holds for them.
    raw = re.search(r'<script type="application/json" id="correction-data">(.*?)</script>', out, re.S).group(1)
    assert not set(raw) & {"<", ">", "&", "\u2028", "\u2029"}
    keys = json.loads(raw)["keys"]
    assert any("<" in " ".join(map(str, key)) for key in keys.values())  # there, escaped in the page
    assert json.loads(raw) == json.loads(json.dumps(view_data(apparatus)["corrections"]))
    # the collation's data, the correction keys, the page's script, the search
    assert out.count("<script") == 4 and out.count("</script>") == 4


def test_witness_text_is_always_escaped():
    evil = '<script>window.pwned=1</script> <img src=x onerror="window.pwned=1"> & "quoted" \'single\''
    apparatus = collate.collate(
        [
            witness("A", ["Before " + evil + " after."], title='<b onmouseover="x()">title</b>'),
            witness("B", ["Before the plain text after."], title="B"),
        ]
    )
    doc = _doc(render(apparatus))
    scripts = doc.xpath("//script")
    assert [(s.get("type"), s.get("id")) for s in scripts] == [
        ("application/json", "collation-data"), ("application/json", "correction-data"), (None, None), (None, None)]
    page_js = static_text("apparatus.js") + "\n" + static_text("corrections.js")
    assert [s.text for s in scripts[2:]] == [page_js, static_text("search.js")]  # no witness text
    assert doc.xpath("//img") == []
    assert [a for el in doc.iter() for a in el.attrib if a.lower().startswith("on")] == []
    shown = " ".join(_text(doc.get_element_by_id("text")).split())
    assert "Before " + evil + " after." in shown  # as written, spacing included
    # The long lemma is cited by its first and last words; the whole of it is in the title, as text.
    assert " ".join(_text(doc.get_element_by_id("a1")).split()) == "1 script window … quoted single] the plain text B"
    assert 'onerror="window.pwned=1">' in doc.xpath('//*[@id="a1"]/span[@class="lem"]/@title')[0]  # as written
    assert '<b onmouseover="x()">title</b>' in [_text(td) for td in doc.xpath('//table[@class="witnesses"]//td')]


def test_content_security_policy_allows_only_the_inlined_assets(small):
    out = render(small)
    doc = _doc(out)
    csp = doc.xpath('//meta[@http-equiv="Content-Security-Policy"]')[0].get("content")
    scripts = [s.text for s in doc.xpath("//script[not(@type)]")]
    style = doc.xpath("//style")[0].text

    def digest(text: str) -> str:
        return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode()).digest()).decode() + "'"

    assert "default-src 'none'" in csp
    # Exactly the inlined scripts (the views and the search) are allowed, each by its hash.
    allowed = re.search(r"script-src ([^;]*)", csp).group(1).split()
    assert allowed == [digest(s) for s in scripts] and len(scripts) == 2
    assert f"style-src {digest(style)}" in csp
    # Self-contained: nothing is fetched; every link stays inside the page.
    assert doc.xpath("//@src") == []
    assert all(h.startswith("#") for h in doc.xpath("//@href"))
    assert "http://" not in out and "https://" not in out


def test_page_and_line_are_cited():
    a = witness("A", ["alpha beta gamma", "delta epsilon zeta"], pages=["12", "13"])
    b = witness("B", ["alpha beta", "gamma delta epsilon eta"], pages=["7", "7"])
    doc = _doc(render(collate.collate([a, b])))
    groups = {g.get("data-ref"): " ".join(_text(g).split()) for g in doc.xpath('//*[@class="group"]')}
    # The entry is headed by the base's page and line; the witness's own is cited where it differs.
    assert groups == {"p. 13, l. 2": "p. 13, l. 2 1 zeta] eta B (p. 7, l. 2)"}
    margins = [m.text_content() for m in doc.xpath('//*[@id="text"]//span[@class="margin"]')]
    assert margins == ["p. 12, l. 1", "p. 13, l. 2"]


def test_paragraphs_are_cited_when_a_witness_has_no_pages_or_lines():
    a = witness("A", ["alpha beta gamma", "delta epsilon zeta", "eta theta"], paragraphs=True)
    b = witness("B", ["alpha beta gamma", "delta epsilon", "eta iota"], paragraphs=True)
    doc = _doc(render(collate.collate([a, b])))
    assert [m.text_content() for m in doc.xpath('//*[@id="text"]//span[@class="margin"]')] == ["¶ 1", "¶ 2", "¶ 3"]
    groups = [" ".join(_text(g).split()) for g in doc.xpath('//*[@class="group"]')]
    assert groups == ["¶ 2 1 zeta] om. B", "¶ 3 2 theta] iota B"]


def test_page_ref():
    assert page_ref("12", "3") == "p. 12, l. 3"
    assert page_ref("12", None) == "p. 12"
    assert page_ref(None, "3") == "l. 3"
    assert page_ref(None, None) == ""
    assert page_ref(None, None, "4") == "¶ 4"
    assert page_ref(None, "3", "4") == "l. 3"


def test_written_through_the_api(small, tmp_path):
    path = collate.write(small, tmp_path / "out.html")
    assert path.read_text(encoding="utf-8") == render(small)


def _tei(siglum: str, body: str, stage: str = "after"):
    from tei.reader import read_witnesses
    from tei.text import TeiOptions

    data = f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>{body}</body></text></TEI>'.encode()
    (w,) = read_witnesses(data, path=f"{siglum}.xml", options=TeiOptions(stage=stage))
    return w


def test_transcription_markup_is_shown_on_its_words_and_explained():
    apparatus = collate.collate(
        [
            _tei("A", "<p>one <unclear>two</unclear> three <supplied>four</supplied> five</p>"),
            _tei("B", "<p>one zwei <add>drei vier</add> five</p>"),
            _tei("C", "<p>one two <del>tres</del> four five</p>", stage="before"),
        ]
    )
    doc = _doc(render(apparatus))
    marks = [(s.get("class"), s.text_content()) for s in doc.xpath('//*[@id="text"]//span[contains(@class, "mk")]')]
    assert ("mk m-unclear", "two") in marks and ("mk m-supplied", "four") in marks
    readings = {
        r.xpath('.//span[@class="sig"]')[0].text: [(s.get("class"), s.text) for s in r.xpath('.//span[contains(@class, "mk")]')]
        for r in doc.xpath('//*[@id="apparatus"]//span[contains(@class, "rdg")]')
    }
    assert readings["B"] == [("mk m-add", "drei vier")]
    assert ("mk m-del", "tres") in readings["C"]
    legend = doc.xpath('//p[@class="marks-legend"]')[0]
    assert [s.get("class") for s in legend.xpath('.//span[contains(@class, "mk")]')] == [
        "mk m-add",
        "mk m-del",
        "mk m-supplied",
        "mk m-unclear",
    ]
    assert "lac." in legend.text_content() and "om." in legend.text_content()
    # The words themselves are untouched: the reading text still reads as the base witness.
    text = " ".join(line.text_content() for line in doc.xpath('//*[@id="text"]//span[@class="lt"]'))
    assert text == join([t.text for t in apparatus.witnesses[0].tokens])



def test_damage_surplus_and_secl_are_shown_and_explained_where_a_witness_has_them():
    apparatus = collate.collate(
        [
            _tei("A", "<p>one two three four five six</p>"),
            _tei("B", "<p>one <damage>zwei</damage> three <surplus>vier</surplus> five <secl>sechs</secl></p>"),
        ]
    )
    doc = _doc(render(apparatus))
    readings = [(s.get("class"), s.text) for s in doc.xpath('//*[@id="apparatus"]//span[contains(@class, "mk")]')]
    assert readings == [("mk m-damage", "zwei"), ("mk m-surplus", "vier"), ("mk m-secl", "sechs")]
    legend = doc.xpath('//p[@class="marks-legend"]')[0]
    assert [s.get("class") for s in legend.xpath('.//span[contains(@class, "mk")]')][4:] == [
        "mk m-damage", "mk m-surplus", "mk m-secl",
    ]
    # Where no witness has them, the legend does not explain them.
    plain = _doc(render(collate.collate([_tei("A", "<p>one two</p>"), _tei("B", "<p>one <unclear>zwei</unclear></p>")])))
    legend = plain.xpath('//p[@class="marks-legend"]')[0]
    assert len(legend.xpath('.//span[contains(@class, "mk")]')) == 4

def test_the_hand_a_transcription_names_is_shown_with_the_words_and_explained():
    apparatus = collate.collate(
        [
            _tei("A", "<p>we follow the quiet road home</p>"),
            _tei("B", '<p>we follow<add hand="#pbs">s</add> the <add hand="hands.xml#m2">very</add> quiet road home</p>'),
        ]
    )
    doc = _doc(render(apparatus))
    marked = [(s.get("class"), s.get("data-hand"), s.text) for s in doc.xpath('//*[@id="apparatus"]//span[contains(@class, "mk")]')]
    assert marked == [("mk m-add", "pbs", "follows"), ("mk m-add", "m2", "very")]
    legend = doc.xpath('//p[@class="marks-legend"]')[0]
    assert "by the hand its transcription names (m2, pbs)" in legend.text_content()
    # The words themselves are untouched: the label is the stylesheet's, after them.
    assert [s.text_content() for s in doc.xpath('//*[@id="apparatus"]//span[@data-hand]')] == ["follows", "very"]
    # Without hands, the legend says nothing of them.
    plain = _doc(render(collate.collate([_tei("A", "<p>one two</p>"), _tei("B", "<p>one <add>zwei</add></p>")])))
    assert "hand" not in plain.xpath('//p[@class="marks-legend"]')[0].text_content()


def test_a_gap_is_cited_as_a_lacuna_never_as_an_omission():
    apparatus = collate.collate(
        [
            _tei("A", "<p>the night was very long and dark</p>"),
            _tei("B", '<p>the night was <gap reason="damage"/> and dark</p>'),
            _tei("C", "<p>the night was and dark</p>"),
        ]
    )
    doc = _doc(render(apparatus))
    (entry,) = doc.xpath('//*[@id="apparatus"]//span[contains(@class, "entry")]')
    rdgs = [(r.get("data-type"), r.xpath('.//span[@class="rt"]')[0].text_content()) for r in entry.xpath('.//span[contains(@class, "rdg")]')]
    assert rdgs == [("omission", "om."), ("lacuna", "lac.")]
    assert doc.xpath('//label[contains(@class, "t-lacuna")]//small[@class="count"]')[0].text == "1"
    # With the lacunose witness as the base, the others' words are no addition: the lemma says lac.
    based = _doc(render(build_apparatus(apparatus.alignment, "B")))
    (entry,) = based.xpath('//*[@id="apparatus"]//span[contains(@class, "entry")]')
    assert entry.xpath('.//span[@class="lem"]')[0].text_content() == "was ⁁ lac."
    assert "add." not in entry.text_content()
    data = view_data(apparatus)["data"]
    lacuna = data["types"].index("lacuna")
    assert lacuna in data["locs"][0]["ty"][0]


def test_verse_is_cited_by_its_line_numbers_and_prose_by_paragraph():
    base = _tei(
        "A",
        '<p>He said, <quote><lg><l n="3">The sounding cataract</l><l n="4">Haunted him like a passion</l></lg>'
        "</quote> and went.</p><p>Next day came.</p>",
    )
    other = _tei("B", "<p>He said, The sounding cataract Haunted me like a passion and went. Next day come.</p>")
    doc = _doc(render(collate.collate([base, other])))
    margins = [m.text_content() for m in doc.xpath('//*[@id="text"]//span[@class="margin"]')]
    assert margins == ["¶ 1", "l. 3", "l. 4", "¶ 1", "¶ 2"]
    groups = [g.get("data-ref") for g in doc.xpath('//*[@id="apparatus"]/p[@class="group"]')]
    assert groups == ["l. 4", "¶ 2"]


def test_the_reading_text_breaks_where_the_base_has_blocks_within_a_page(tmp_path):
    """A printed edition's page holds a heading, paragraphs and verse lines: each starts a line of the
    reading text, as the base has it (Frankenstein's 1818 text ran a whole page together, the poem as
    prose); the page is cited once, at its first line."""
    tei = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><pb n="{page}"/><head>CHAPTER II.</head>'
        "<p>The next day we rode on.</p><p>{said} he asked.</p>"
        "<lg><l>We rest; a dream has power to poison sleep.</l><l>We rise; one wandering thought pollutes the day.</l></lg>"
        "<p>So it ended.</p></body></text></TEI>"
    )
    (tmp_path / "A.xml").write_text(tei.format(page="12", said="Why do you weep?"), encoding="utf-8")
    (tmp_path / "B.xml").write_text(tei.format(page="30", said="Why weep?"), encoding="utf-8")
    doc = _doc(render(collate.collate(collate.load([tmp_path / "A.xml", tmp_path / "B.xml"]))))
    lines = [" ".join(_text(lt).split()) for lt in doc.xpath('//*[@id="text"]/div[@class="line"]/span[@class="lt"]')]
    assert lines == [
        "CHAPTER II.",
        "The next day we rode on.",
        "Why do you weep? he asked.",
        "We rest; a dream has power to poison sleep.",
        "We rise; one wandering thought pollutes the day.",
        "So it ended.",
    ]
    assert [m.text_content() for m in doc.xpath('//*[@id="text"]/div/span[@class="margin"]')] == ["p. 12"] + [""] * 5


def test_an_imported_apparatus_without_paragraphs_cites_none():
    """The words of an apparatus's ``app``s stand in no paragraph: no entry is cited "¶ 3" (each app was
    taken for a paragraph of its own)."""
    from pathlib import Path

    from tei.importer import import_apparatus

    path = Path(__file__).resolve().parents[1] / "data" / "tei_apparatus" / "teiphy-ubs.xml"
    doc = _doc(render(import_apparatus(path.read_bytes(), path=path.name, notes=lambda _: None)))
    cited = doc.xpath('//*[@class="group"]/@data-ref') + [_text(c) for c in doc.xpath('//*[@class="group"]//*[contains(@class, "cite")]')]
    assert doc.xpath('//*[@class="group"]') and not [c for c in cited if "¶" in c]
