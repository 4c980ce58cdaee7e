"""Writing the TEI apparatus: golden outputs, validity against tei_all, and each construct in place."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from lxml import etree

import collate
from collate.engine.graph import align_witnesses
from collate.engine.model import Witness
from collate.engine.tokens import make_tokens
from collate.engine.variants import build_apparatus
from tei.importer import import_alignment
from tei.validate import errors
from tei.writer import ENCODINGS, render, witness_ids

from .helpers import write_tei

DATA = Path(__file__).resolve().parent.parent / "data"
NS = {"t": "http://www.tei-c.org/ns/1.0"}
FRAGMENTS = DATA / "tei_fragments"
GOLDEN = {
    "parallel-segmentation": "expected-parallel-segmentation.xml",
    "location-referenced": "expected-location-referenced.xml",
    "double-end-point": "expected-double-end-point.xml",
}


def fragments():
    return collate.collate(collate.load([FRAGMENTS / f"{s}.xml" for s in "ABC"]))


def apparatus_of(texts: dict[str, str], base: str | None = None):
    witnesses = [Witness(s, make_tokens(t, s)) for s, t in texts.items()]
    return build_apparatus(align_witnesses(witnesses), base)


def xml(text: str) -> etree._Element:
    return etree.fromstring(text.encode())


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_golden(encoding):
    """Witnesses in TEI with choice, subst, lb break="no", note, fw, gap, unclear; compared exactly.

    Regenerate on purpose with ``UPDATE_GOLDEN=1`` and review the difference before committing it.
    """
    produced = render(fragments(), encoding=encoding)
    expected = FRAGMENTS / GOLDEN[encoding]
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(produced, encoding="utf-8")
    assert produced == expected.read_text(encoding="utf-8")


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_every_encoding_validates(encoding, tei_all):
    document = xml(render(fragments(), encoding=encoding))
    assert tei_all.validate(document), tei_all.error_log
    assert document.xpath("//t:variantEncoding/@method", namespaces=NS) == [encoding]


def test_header_lists_every_witness_with_its_metadata():
    document = xml(render(fragments()))
    witnesses = document.xpath("//t:listWit/t:witness", namespaces=NS)
    assert [w.get("n") for w in witnesses] == ["A", "B", "C"]
    assert [w.get("{http://www.w3.org/XML/1998/namespace}id") for w in witnesses] == ["wit-A", "wit-B", "wit-C"]
    assert [w.findtext("t:label", namespaces=NS) for w in witnesses] == ["A", "B", "C"]
    first = witnesses[0]
    assert first.findtext("t:bibl/t:title", namespaces=NS) == "The Cat, first printing"
    assert first.find("t:bibl/t:date", namespaces=NS).get("when") == "1901"
    assert first.findtext("t:bibl/t:note[@type='source']", namespaces=NS) == "London, 1901, pp. 61–62."


def test_sigla_that_are_not_names_get_valid_ids():
    ids = witness_ids(["1859", "MS A", "é", "wit-x", "wit_x"])
    assert ids == {"1859": "wit-1859", "MS A": "wit-MS_A", "é": "wit-é", "wit-x": "wit-wit-x", "wit_x": "wit-wit_x"}
    assert witness_ids(["a b", "a_b"]) == {"a b": "wit-a_b", "a_b": "wit-a_b-2"}


def test_apps_follow_the_apparatus():
    apparatus = fragments()
    document = xml(render(apparatus))
    apps = document.xpath("//t:body//t:app", namespaces=NS)
    assert len(apps) == len(apparatus.locations)
    for app, loc in zip(apps, apparatus.locations):
        assert app.get("type") == loc.type.value
        lem = app.find(".//t:lem", namespaces=NS)
        assert lem.get("wit").split()[0] == "#wit-A"  # the base witness first
        wits = [w for r in app.xpath(".//t:lem|.//t:rdg", namespaces=NS) for w in r.get("wit").split()]
        assert sorted(wits) == ["#wit-A", "#wit-B", "#wit-C"]


def test_orthographic_readings_share_a_reading_group():
    document = xml(render(apparatus_of({"A": "the colour red", "B": "the Colour red", "C": "the hue red"})))
    (group,) = document.xpath("//t:rdgGrp", namespaces=NS)
    assert [(r.tag.split("}")[1], r.text) for r in group] == [("lem", "colour"), ("rdg", "Colour")]
    assert group.getparent().xpath("t:rdg/text()", namespaces=NS) == ["hue"]


def test_fragmentary_witness_starts_late_and_ends_early():
    words = " ".join(f"w{k}" for k in range(30))
    apparatus = apparatus_of({"A": words, "B": " ".join(words.split()[10:20])})
    document = xml(render(apparatus))
    markers = [c.tag.split("}")[1] for r in document.xpath("//t:rdg[@wit='#wit-B']", namespaces=NS) for c in r]
    assert markers == ["witStart", "witEnd"]


def test_a_witness_that_lacks_the_first_and_last_words_omits_them():
    """Not a fragment: the same "om." every other output gives, never a text that starts late (``witStart``)
    or ends early (``witEnd``) for the witness that lacks the words, nor for the base beside an addition."""
    apparatus = apparatus_of({"A": "in the beginning was the word", "B": "the beginning was the word and"})
    document = xml(render(apparatus))
    assert not document.xpath("//t:witStart|//t:witEnd", namespaces=NS)
    types = [(app.get("type"), [r.get("type") for r in app.xpath("t:rdg", namespaces=NS)])
             for app in document.xpath("//t:app", namespaces=NS)]
    assert types == [("omission", ["omission"]), ("addition", ["addition"])]


def test_lacuna_in_a_witness(tmp_path):
    (tmp_path / "A.txt").write_text("the night was very long and dark")
    (tmp_path / "B.xml").write_bytes(
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>the night was <gap/> and dark</p></body></text></TEI>'
    )
    document = xml(render(collate.collate(collate.load([tmp_path / "A.txt", tmp_path / "B.xml"]))))
    (rdg,) = document.xpath("//t:rdg[@wit='#wit-B']", namespaces=NS)
    assert [c.tag.split("}")[1] for c in rdg] == ["lacunaStart", "lacunaEnd"]


def test_transposition_points_at_both_apps(tei_all):
    apparatus = fragments()
    assert apparatus.alignment.transpositions
    document = xml(render(apparatus))
    pointers = document.xpath("//t:listTranspose/t:transpose/t:ptr/@target", namespaces=NS)
    assert len(pointers) == 2
    for target in pointers:
        (app,) = document.xpath(f"//t:app[@xml:id='{target[1:]}']", namespaces=NS)
        assert app.get("type") == "transposition"


def test_location_referenced_cites_page_and_line():
    document = xml(render(fragments(), encoding="location-referenced"))
    locs = document.xpath("//t:back//t:app/@loc", namespaces=NS)
    assert locs == ["61.1", "61.1", "61.1", "61.3", "61.3", "62.1"]
    body = document.find(".//t:body", namespaces=NS)
    assert [e.get("n") for e in body.iter("{*}pb")] == ["61", "62"]


def test_location_referenced_without_pages_cites_token_numbers():
    document = xml(render(apparatus_of({"A": "a b c d", "B": "a x c y"}), encoding="location-referenced"))
    assert document.xpath("//t:app/@loc", namespaces=NS) == ["w2", "w4"]


def test_double_end_point_anchors_exist():
    document = xml(render(fragments(), encoding="double-end-point"))
    anchors = set(document.xpath("//t:body//t:anchor/@xml:id", namespaces=NS))
    apps = document.xpath("//t:back//t:app", namespaces=NS)
    assert apps and all(a.get("from")[1:] in anchors and a.get("to")[1:] in anchors for a in apps)
    # The base text reads as the base witness does.
    body_text = " ".join("".join(document.find(".//t:body", namespaces=NS).itertext()).split())
    assert body_text.startswith("The black cat sat on the mat, and the dog slept")


def test_line_break_inside_a_token_is_written_as_lb():
    document = xml(render(apparatus_of({"A": "a vari-\nation here", "B": "a variation there"})))
    assert document.xpath("//t:lb/@break", namespaces=NS) == ["no"]


def test_unknown_encoding_is_a_usage_error():
    with pytest.raises(collate.UsageError):
        render(fragments(), encoding="inline")


_WORDS = st.sampled_from(["the", "The", "cat", "sat", "on", "mat", ",", ".", "a", "dog", "(", ")", "1859", "ſ"])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(st.lists(st.lists(_WORDS, min_size=1, max_size=12), min_size=2, max_size=4), st.sampled_from(ENCODINGS))
def test_output_always_validates(tei_all, texts, encoding):
    apparatus = apparatus_of({f"W{i}": " ".join(t) for i, t in enumerate(texts)})
    document = xml(render(apparatus, encoding=encoding))
    assert tei_all.validate(document), tei_all.error_log


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_witnesses_that_agree_have_no_apps(encoding, tei_all):
    document = xml(render(apparatus_of({"A": "the same words", "B": "the same words"}), encoding=encoding))
    assert tei_all.validate(document), tei_all.error_log
    assert document.xpath("//t:app", namespaces=NS) == []


def test_validate_reports_errors_with_positions(tei_all):
    from tei.validate import errors

    assert errors(render(fragments()), tei_all) == []
    found = errors('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text><body><app/></body></text></TEI>', tei_all)
    assert found and found[0].split(":")[0].isdigit()


# --- long absences nest; words never glue (parallel segmentation read back word for word)

PASSAGE = "the dead calmness of inaction and certainty which follows deprived the soul of hope and fear"
SPAN_TEXTS = {
    "A": f"Begin here. {PASSAGE}. End there.",
    "B": f"Begin here. {PASSAGE.replace('calmness', 'calmnesse')}. End there.",
    "C": f"Begin here. {PASSAGE.replace('certainty', 'certitude')}. End there.",
    "M": "Begin here. End there.",
}


def _round_trip_table(apparatus):
    from tei.importer import import_alignment

    back = import_alignment(render(apparatus).encode(), path="x.xml")
    return [[t.text for t in w.tokens] for w in back.witnesses], back.columns


@pytest.mark.parametrize("base", ["A", "M"])
def test_a_long_absence_nests_the_entries_inside_it(base, tei_all):
    apparatus = apparatus_of(SPAN_TEXTS, base)
    (span,) = apparatus.spans
    for encoding in ENCODINGS:
        doc = xml(render(apparatus, encoding=encoding))
        assert tei_all.validate(doc), (encoding, tei_all.error_log)
        outer = doc.xpath(f'//t:app[@xml:id="app-{span.number}"]', namespaces=NS)[0]
        empty = outer.xpath("./t:rdg[not(node())] | ./t:lem[not(node())]", namespaces=NS)
        assert [e.get("wit") for e in empty] == ["#wit-M"]
        if encoding == "parallel-segmentation":
            # The variation among the others is still an entry at each place, inside the outer one.
            inner = outer.xpath(".//t:app", namespaces=NS)
            assert [a.get("n") for a in inner] == [str(loc.number) for loc in apparatus.locations if loc.absent]
            assert all("#wit-M" not in a.xpath("string(.//@wit)", namespaces=NS) for a in inner)
        else:
            assert len(doc.xpath("//t:listApp/t:app", namespaces=NS)) == len(apparatus.entries)
    tokens, columns = _round_trip_table(apparatus)
    assert tokens == [[t.text for t in w.tokens] for w in apparatus.witnesses]
    assert columns == apparatus.alignment.columns


def test_an_omitted_quote_does_not_glue_the_words_around_it():
    # A witness without ``, "`` must read "Victor You", never "VictorYou".
    apparatus = apparatus_of({"A": 'said Victor, "You are', "B": "said Victor You are"})
    tokens, columns = _round_trip_table(apparatus)
    assert tokens[1] == ["said", "Victor", "You", "are"]
    assert columns == apparatus.alignment.columns


glued = st.lists(
    st.sampled_from(["Victor", "You", "said", ',"', ", ", ". ", '"', "(", ")", "-", "cat", "the"]), min_size=1, max_size=12
).map(lambda parts: " ".join(parts).replace(" ,", ",").replace('" ', '"').replace("( ", "("))


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(glued, min_size=2, max_size=4))
def test_parallel_segmentation_reads_back_word_for_word(texts):
    texts = [t for t in texts if make_tokens(t, "x")]
    if len(texts) < 2:
        return
    apparatus = apparatus_of({f"W{k}": t for k, t in enumerate(texts)})
    tokens, columns = _round_trip_table(apparatus)
    assert tokens == [[t.text for t in w.tokens] for w in apparatus.witnesses]
    assert columns == apparatus.alignment.columns


def _tei_witnesses(tmp_path, bodies: dict[str, str], stage: str = "after"):
    return collate.collate(collate.load(write_tei(tmp_path, bodies), stage=stage))


def _inner(element: etree._Element) -> str:
    """An element's content as markup without namespaces, for comparing readings."""
    text = etree.tostring(element, encoding="unicode", with_tail=False)
    text = text.replace(' xmlns="http://www.tei-c.org/ns/1.0"', "")
    return text[text.index(">") + 1 : text.rindex("<")]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("stage", ["after", "before"])
def test_readings_keep_their_transcription_markup(tmp_path, tei_all, encoding, stage):
    apparatus = _tei_witnesses(
        tmp_path,
        {
            "A": "<p>the cat sat on the old mat by the door</p>",
            "B": "<p>the cat <subst><del>sate</del><add>lay</add></subst> on the <unclear>olde</unclear> "
            "<supplied>mat</supplied> <add>near</add> the door</p>",
        },
        stage,
    )
    document = xml(render(apparatus, encoding=encoding))
    assert tei_all.validate(document), tei_all.error_log
    rdgs = [_inner(r) for r in document.xpath("//t:rdg[@wit='#wit-B']", namespaces=NS)]
    changed = "<add>lay</add>" if stage == "after" else "<del>sate</del>"
    assert changed in rdgs
    assert "<unclear>olde</unclear>" in rdgs
    if stage == "after":
        assert "<add>near</add>" in rdgs
    else:
        assert any(r == "" or "by" in r for r in rdgs)  # "near" is not B's text before correction


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_base_s_markup_reads_back_and_what_no_reading_holds_is_said(tmp_path, tei_all, encoding):
    """B is the base. Its "lay" (added) differs from A's "sat": an entry, whose lem carries the markup, and
    in the external encodings the base text between the entry's anchors too (it is the lem on import). Its
    "near" (added) is read alike by A, outside any app: written once for both, without markup, and the
    header says so, with the count of such tokens per witness."""
    from tei.importer import import_apparatus

    paths = write_tei(tmp_path, {"A": "<p>the cat sat on the mat near the door</p>",
                                 "B": "<p>the cat <add>lay</add> on the mat <add>near</add> the door</p>"})
    apparatus = collate.collate(collate.load(paths), base="B")
    data = render(apparatus, encoding=encoding)
    document = xml(data)
    assert tei_all.validate(document), tei_all.error_log
    (said,) = document.xpath("//t:encodingDesc/t:p[@n='markup']", namespaces=NS)
    assert said.text.endswith("Tokens whose markup is not written here: B 1.")
    back = import_apparatus(data.encode(), path="a.xml")
    flags = {t.text: "add" in t.source.flags for t in back.alignment.witnesses[1].tokens}
    assert flags["lay"] and not flags["near"]  # "near": the one token the header counts


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_damage_surplus_and_secl_are_kept_in_readings_and_read_back(tmp_path, tei_all, encoding):
    """The reader marks words in ``damage``, ``surplus`` and ``secl`` as it does ``unclear``: the readings keep
    them, and they come back on import."""
    from tei.importer import import_apparatus

    apparatus = _tei_witnesses(
        tmp_path,
        {
            "A": "<p>one two three four five six seven</p>",
            "B": "<p>one <damage>zwei</damage> three <surplus>vier</surplus> five <secl>sechs</secl> seven</p>",
        },
    )
    data = render(apparatus, encoding=encoding)
    document = xml(data)
    assert tei_all.validate(document), tei_all.error_log
    rdgs = [_inner(r) for r in document.xpath("//t:rdg[@wit='#wit-B']", namespaces=NS)]
    assert rdgs == ["<damage>zwei</damage>", "<surplus>vier</surplus>", "<secl>sechs</secl>"]
    back = import_apparatus(data.encode(), path="a.xml")
    flags = {t.text: sorted(t.source.flags & {"damage", "surplus", "secl"}) for t in back.alignment.witnesses[1].tokens}
    assert (flags["zwei"], flags["vier"], flags["sechs"], flags["seven"]) == (["damage"], ["surplus"], ["secl"], [])


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_hand_of_an_addition_is_kept_declared_and_read_back(tmp_path, tei_all, encoding):
    """C15's manuscript: ``<add hand="#pbs">`` (Percy Shelley's additions). The readings keep the hand, the
    header declares it (a ``handNote`` the pointer reaches), and it comes back on import."""
    from tei.importer import import_apparatus

    apparatus = _tei_witnesses(
        tmp_path,
        {
            "A": "<p>we follow the quiet road home</p>",
            "B": '<p>we follow<add hand="#pbs">s</add> the <add hand="#pbs" place="superlinear">very</add> '
                 "<add>quiet</add> road home</p>",
        },
    )
    data = render(apparatus, encoding=encoding)
    document = xml(data)
    assert tei_all.validate(document), tei_all.error_log
    rdgs = [_inner(r) for r in document.xpath("//t:rdg[@wit='#wit-B']", namespaces=NS)]
    assert rdgs == ['<add hand="#pbs">follows</add>', '<add hand="#pbs">very</add>']
    (note,) = document.xpath("//t:profileDesc/t:handNotes/t:handNote", namespaces=NS)
    assert note.get("{http://www.w3.org/XML/1998/namespace}id") == "pbs" and "B" in note.text
    back = import_apparatus(data.encode(), path="a.xml")
    flags = {t.text: sorted(t.source.flags) for t in back.alignment.witnesses[1].tokens}
    assert flags["follows"] == flags["very"] == ["add", "add@#pbs"]


def test_a_hand_named_elsewhere_is_kept_as_written_and_not_declared(tmp_path, tei_all):
    apparatus = _tei_witnesses(
        tmp_path,
        {"A": "<p>one two three</p>", "B": '<p>one <add hand="hands.xml#m2">zwei</add> three</p>'},
    )
    document = xml(render(apparatus))
    assert tei_all.validate(document), tei_all.error_log
    (rdg,) = document.xpath("//t:rdg[@wit='#wit-B']", namespaces=NS)
    assert _inner(rdg) == '<add hand="hands.xml#m2">zwei</add>'
    assert not document.xpath("//t:handNote", namespaces=NS)


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_word_joined_across_an_indented_line_end_reads_back_word_for_word(encoding):
    """A plain-text witness whose line after a hyphen is indented (``vari-⏎    ation``): the TEI reading
    writes ``vari-<lb break="no"/>ation``, and it reads back as the same token."""
    from tei.importer import import_apparatus

    witnesses = [Witness(s, make_tokens(t, s)) for s, t in
                 {"A": "the vari-\n    ation is great", "B": "the variation is small"}.items()]
    apparatus = build_apparatus(align_witnesses(witnesses))
    back = import_apparatus(render(apparatus, encoding=encoding).encode(), path="a.xml")
    assert [[t.text for t in w.tokens] for w in back.alignment.witnesses] == [
        [t.text for t in w.tokens] for w in apparatus.alignment.witnesses
    ]
    assert back.alignment.witnesses[0].tokens[1].text == "vari-\nation"


def test_consecutive_words_with_one_markup_share_one_element_and_nest(tmp_path, tei_all):
    apparatus = _tei_witnesses(
        tmp_path,
        {
            "A": "<p>one two three four five</p>",
            "B": "<p>one <add>zwei drei <unclear>vier</unclear></add> five</p>",
        },
    )
    document = xml(render(apparatus))
    assert tei_all.validate(document), tei_all.error_log
    (rdg,) = document.xpath("//t:rdg[@wit='#wit-B']", namespaces=NS)
    assert _inner(rdg) == "<add>zwei drei <unclear>vier</unclear></add>"


def test_witnesses_reading_alike_but_marked_differently_get_a_reading_each(tmp_path, tei_all):
    apparatus = _tei_witnesses(
        tmp_path,
        {"A": "<p>one two three</p>", "B": "<p>one four three</p>", "C": "<p>one <supplied>four</supplied> three</p>"},
    )
    document = xml(render(apparatus))
    assert tei_all.validate(document), tei_all.error_log
    rdgs = {r.get("wit"): _inner(r) for r in document.xpath("//t:rdg", namespaces=NS)}
    assert rdgs == {"#wit-B": "four", "#wit-C": "<supplied>four</supplied>"}


def test_a_gap_is_a_lacuna_never_an_omission(tmp_path, tei_all):
    apparatus = _tei_witnesses(
        tmp_path,
        {
            "A": "<p>the night was very long and dark</p>",
            "B": '<p>the night was <gap reason="damage"/> and dark</p>',
            "C": "<p>the night was and dark</p>",
        },
    )
    for encoding in ENCODINGS:
        document = xml(render(apparatus, encoding=encoding))
        assert tei_all.validate(document), tei_all.error_log
        rdgs = {r.get("wit"): (r.get("type"), [c.tag.split("}")[1] for c in r]) for r in document.xpath("//t:rdg", namespaces=NS)}
        assert rdgs == {"#wit-B": ("lacuna", ["lacunaStart", "lacunaEnd"]), "#wit-C": ("omission", [])}
        assert not document.xpath("//t:rdgGrp", namespaces=NS)  # an omission and a lacuna are no spellings of one another


VERSE_BASE = (
    '<div n="1"><head>Letter</head><p>He said, <quote><lg type="stanza"><l n="1">The sounding cataract</l>'
    '<l n="2">Haunted him like a passion</l></lg></quote> and went.</p><p>Next day.</p></div>'
    '<div n="2"><p>Second part.</p><lg><l n="7">A verse</l></lg></div>'
)
VERSE_OTHER = "<p>He said, The sounding cataract Haunted me like a passion and went. Next day. Second part. A verse</p>"


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_the_base_keeps_its_divisions_paragraphs_headings_and_verse(tmp_path, tei_all, encoding):
    apparatus = _tei_witnesses(tmp_path, {"A": VERSE_BASE, "B": VERSE_OTHER})
    document = xml(render(apparatus, encoding=encoding))
    assert tei_all.validate(document), tei_all.error_log
    body = document.xpath("//t:body", namespaces=NS)[0]
    divs = body.xpath("t:div", namespaces=NS)
    assert [d.get("n") for d in divs] == ["1", "2"]
    assert [etree.QName(c).localname for c in divs[0]] == ["head", "p", "p"]
    assert [etree.QName(c).localname for c in divs[1]] == ["p", "lg"]
    lines = body.xpath(".//t:l", namespaces=NS)
    assert [line.get("n") for line in lines] == ["1", "2", "7"]
    assert [" ".join("".join(line.xpath(".//text()[not(ancestor::t:rdg)]", namespaces=NS)).split()) for line in lines] == [
        "The sounding cataract",
        "Haunted him like a passion",
        "A verse",
    ]
    first_p = divs[0].xpath("t:p", namespaces=NS)[0]
    assert first_p.xpath("t:lg/t:l/@n", namespaces=NS) == ["1", "2"]  # the verse stays inside its paragraph
    if encoding == "parallel-segmentation":
        (app,) = lines[1].xpath("t:app[t:lem='him']", namespaces=NS)
        assert app.xpath("t:rdg/text()", namespaces=NS) == ["me"]


def test_the_apparatus_with_structure_reads_back_to_the_same_table(tmp_path):
    from tei.importer import import_apparatus

    apparatus = _tei_witnesses(tmp_path, {"A": VERSE_BASE, "B": VERSE_OTHER})
    back = import_apparatus(render(apparatus).encode(), path="apparatus.xml")
    assert back.alignment.columns == apparatus.alignment.columns
    assert [[t.text for t in w.tokens] for w in back.witnesses] == [[t.text for t in w.tokens] for w in apparatus.witnesses]


_NAMES = ["div", "div2", "p", "ab", "head", "lg", "l"]


@st.composite
def structured(draw):
    """Base tokens in random (often invalid) nestings of divisions, paragraphs, headings and verse."""
    from collate.engine.model import Block

    chains = []
    serial = 0
    for _ in range(draw(st.integers(1, 6))):
        depth = draw(st.integers(0, 4))
        chain = []
        for _ in range(depth):
            serial += 1
            chain.append(Block(draw(st.sampled_from(_NAMES)), serial, draw(st.sampled_from([None, "1", "2a"]))))
        chains.append(tuple(chain))
    words = draw(st.lists(st.sampled_from("alpha beta gamma delta , .".split()), min_size=1, max_size=30))
    picks = draw(st.lists(st.integers(0, len(chains) - 1), min_size=len(words), max_size=len(words)))
    # A chain may recur after another (text back in a block after a nested one) and share prefixes.
    tokens = []
    for k, (word, pick) in enumerate(zip(words, picks)):
        base = chains[pick]
        if k and draw(st.booleans()):
            base = tokens[-1][1][: draw(st.integers(0, len(tokens[-1][1])))] + base
        tokens.append((word, base))
    other = draw(st.lists(st.sampled_from("alpha beta gamma epsilon , .".split()), min_size=1, max_size=30))
    return tokens, other


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(structured())
def test_any_base_structure_gives_valid_tei(tei_all, case):
    tokens, other = case
    text = " ".join(word for word, _ in tokens)
    made = list(make_tokens(text, "A"))
    assert len(made) == len(tokens)
    made = [t._replace(source=t.source._replace(blocks=blocks)) for t, (_, blocks) in zip(made, tokens)]
    witnesses = [Witness("A", tuple(made)), Witness("B", make_tokens(" ".join(other), "B"))]
    apparatus = build_apparatus(align_witnesses(witnesses))
    for encoding in ENCODINGS:
        document = xml(render(apparatus, encoding=encoding))
        assert tei_all.validate(document), (encoding, str(tei_all.error_log))


def _two_paragraphs():
    """A base in two paragraphs; B lacks the end of the first and the start of the second (a long
    absence across the break), C varies inside it; D adds a passage the others lack, varying with E."""
    from tests.tei.helpers import read, tei

    first = "One two three four five six seven eight nine ten."
    second = "Eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen."
    texts = {
        "A": f"<p>{first}</p><p>{second}</p>",
        "B": "<p>One two three</p><p>eighteen nineteen.</p>",
        "C": f"<p>{first.replace('six', 'sixe')}</p><p>{second.replace('twelve', 'xii')}</p>",
    }
    witnesses = []
    for siglum, body in texts.items():
        (witness,) = read(tei(body), path=f"{siglum}.xml")
        witnesses.append(Witness(siglum, witness.tokens, witness.meta))
    return build_apparatus(align_witnesses(witnesses), "A")


def test_no_entry_straddles_a_paragraph_of_the_base():
    """B's absence runs across the base's paragraph break: it is two spans, one per paragraph, so that the
    parallel segmentation keeps the break where the base has it and no anchor pair spans two paragraphs."""
    apparatus = _two_paragraphs()
    base = apparatus.alignment.witnesses[0]
    for entry in apparatus.entries:
        blocks = {
            base.tokens[i].source.blocks
            for i in (apparatus.alignment.columns[c][0] for c in range(entry.start, entry.end))
            if i is not None
        }
        assert len(blocks) <= 1, entry
    assert len([s for s in apparatus.spans if "B" in s.readings[0].sigla]) == 2
    paragraphs = xml(render(apparatus)).findall(".//{http://www.tei-c.org/ns/1.0}body//{http://www.tei-c.org/ns/1.0}p")
    assert ["".join(p.itertext()).split()[0] for p in paragraphs] == ["One", "Eleven"]


@pytest.mark.parametrize("encoding", ["double-end-point", "location-referenced"])
def test_external_encodings_anchor_in_one_paragraph_and_read_back(encoding):
    from tei.importer import import_apparatus

    apparatus = _two_paragraphs()
    text = render(apparatus, encoding=encoding)
    root = xml(text)
    anchors = {a.get("{http://www.w3.org/XML/1998/namespace}id"): a for a in root.iter("{*}anchor")}
    for app in root.iter("{http://www.tei-c.org/ns/1.0}app"):
        ident = app.get("{http://www.w3.org/XML/1998/namespace}id")
        assert anchors[f"{ident}-from"].getparent() is anchors[f"{ident}-to"].getparent()
    back = import_apparatus(text.encode(), path="x.xml", notes=[].append)
    assert back.alignment.columns == apparatus.alignment.columns
    assert [[t.text for t in w.tokens] for w in back.witnesses] == [[t.text for t in w.tokens] for w in apparatus.witnesses]


def test_a_passage_the_base_lacks_holds_the_anchors_of_its_entries():
    """Double end-point: where the base lacks a passage that two witnesses read with a difference, the
    passage is in the span's reading with the inner entry's anchors around its lemma, so a reader of the
    file sees each witness's words (not the first witness's words given for both)."""
    texts = {
        "A": "a b c",
        "B": "a one two three four five six seven eight b c",
        "C": "a one two three quatre five six seven eight b c",
    }
    apparatus = apparatus_of(texts, "A")
    (span,) = apparatus.spans
    root = xml(render(apparatus, encoding="double-end-point"))
    app = next(a for a in root.iter("{*}app") if a.get("subtype") == "span")
    reading = next(r for r in app if r.get("wit") == "#wit-B #wit-C")
    inner = next(a for a in root.iter("{http://www.tei-c.org/ns/1.0}app") if a.get("subtype") is None and "quatre" in "".join(a.itertext()))
    assert reading.xpath("string()").split() == ["one", "two", "three", "four", "five", "six", "seven", "eight"]
    ident = inner.get("{http://www.w3.org/XML/1998/namespace}id")
    assert [a.get("{http://www.w3.org/XML/1998/namespace}id") for a in reading.iter("{*}anchor")] == [f"{ident}-from", f"{ident}-to"]
    body = root.find(".//{*}body")
    assert not [a for a in body.iter("{*}anchor") if a.get("{http://www.w3.org/XML/1998/namespace}id").startswith(ident)]


def test_verse_lines_survive_a_long_absence_in_parallel_segmentation():
    """A witness lacking several verse lines (as a manuscript lacks a poem in Frankenstein C24): each line
    of the base is still an ``l`` with its number, since no span crosses a line."""
    from tests.tei.helpers import read, tei

    lines = [
        "We rest a dream has power to poison sleep",
        "We rise one wandering thought pollutes the day",
        "We feel conceive or reason laugh or weep",
        "Embrace fond woe or cast our cares away",
    ]
    texts = {
        "A": "<p>Before the poem.</p><lg>" + "".join(f'<l n="{k}">{t}</l>' for k, t in enumerate(lines, 1)) + "</lg><p>After it.</p>",
        "B": "<p>Before the poem.</p><p>After it.</p>",
        "C": "<p>Before the poem.</p><lg>" + "".join(f'<l n="{k}">{t.replace("We", "Wee")}</l>' for k, t in enumerate(lines, 1)) + "</lg><p>After it.</p>",
    }
    witnesses = []
    for siglum, body in texts.items():
        (witness,) = read(tei(body), path=f"{siglum}.xml")
        witnesses.append(Witness(siglum, witness.tokens, witness.meta))
    apparatus = build_apparatus(align_witnesses(witnesses), "A")
    assert apparatus.spans
    root = xml(render(apparatus))
    verse = root.findall(".//{http://www.tei-c.org/ns/1.0}l")
    assert [l.get("n") for l in verse] == ["1", "2", "3", "4"]
    for line in verse:  # the base's words: every reading but the lemma taken out
        for rdg in line.findall(".//{http://www.tei-c.org/ns/1.0}rdg"):
            rdg.getparent().remove(rdg)
    assert [" ".join(line.xpath("string()").split()) for line in verse] == lines


@pytest.mark.parametrize("stage", ["after", "before"])
def test_the_stage_of_correction_read_is_recorded_and_read_back(stage, tei_all):
    """A manuscript with a correction read at one stage: the TEI says which, in the witness's ``listWit``
    entry, and an import of the file gives it back; a witness without corrections says nothing."""
    from tei.importer import import_apparatus
    from tests.tei.helpers import read, tei

    witnesses = []
    for siglum, body in {
        "A": "<p>the black cat sat on the mat</p>",
        "M": "<p>the <del>red</del><add>black</add> cat sat on the mat</p>",
    }.items():
        (witness,) = read(tei(body), path=f"{siglum}.xml", stage=stage)
        witnesses.append(Witness(siglum, witness.tokens, witness.meta))
    assert [w.meta.stage for w in witnesses] == [None, stage]
    text = render(build_apparatus(align_witnesses(witnesses)))
    document = xml(text)
    assert tei_all.validate(document), tei_all.error_log
    notes = document.xpath("//t:witness/t:note[@type='stage']", namespaces=NS)
    assert [(n.getparent().get("n"), n.get("subtype")) for n in notes] == [("M", stage)]
    back = import_apparatus(text.encode(), path="x.xml")
    assert [w.meta.stage for w in back.witnesses] == [None, stage]


MOVED = {
    "a": "The black cat sat quietly on the old mat, and the dog slept by the door. It was a good day.",
    "b": "The black cat sat quietly on the old mat and the dog lay by the door. It was a good day.",
    "c": "And the dog slept by the door; the black cat sat quietly on the old mat. It was a good day.",
    "d": "The black cat sat quietly on the old mat. It was a good day.",
}


@pytest.mark.parametrize("encoding", ENCODINGS)
def test_a_moved_passage_with_variants_inside_is_an_outer_app_listed_as_transposed(encoding, tei_all):
    """The move is one ``app`` (typed transposition, a span), the word b reads otherwise inside it another;
    ``listTranspose`` points at the outer one, and the file reads back to the same table and entries."""
    from tei.importer import import_apparatus

    apparatus = apparatus_of(MOVED, "a")
    (span,) = apparatus.spans
    text = render(apparatus, encoding=encoding)
    root = xml(text)
    assert tei_all.validate(root), tei_all.error_log
    ids = {a.get("n"): a.get("{http://www.w3.org/XML/1998/namespace}id") for a in root.iter("{*}app")}
    outer = next(a for a in root.iter("{*}app") if a.get("n") == str(span.number))
    assert (outer.get("type"), outer.get("subtype")) == ("transposition", "span")
    pointers = root.xpath("//t:listTranspose/t:transpose/t:ptr/@target", namespaces=NS)
    assert f"#{ids[str(span.number)]}" in pointers and len(pointers) == 2
    inner = next(loc for loc in apparatus.locations if loc.lemma.text == "slept")
    if encoding == "parallel-segmentation":
        assert outer.xpath(f".//t:app[@n='{inner.number}']", namespaces=NS)  # nested in the lemma
    back = import_apparatus(text.encode(), path="x.xml", notes=[].append)
    assert back.alignment.columns == apparatus.alignment.columns
    assert back.alignment.transpositions == apparatus.alignment.transpositions
    assert [[t.text for t in w.tokens] for w in back.witnesses] == [[t.text for t in w.tokens] for w in apparatus.witnesses]


@pytest.mark.parametrize(
    "texts",
    [
        {"A": "Victor Victor", "B": "Victor Victor Victor", "C": "said You Victor", "D": 'You,"Victor You said'},
        {"A": "Victor Victor", "B": "said You Victor", "C": "Victor Victor Victor Victor", "D": "You You Victor Victor You said"},
    ],
)
def test_a_remnant_of_a_moved_passage_is_its_own_reading(texts, tei_all):
    """A witness with a remnant of a moved passage there (a word of it) has that remnant as its reading of the
    span, whole; only the reading of the witnesses that have the passage holds the entries inside it (once:
    ids stay unique, and no witness is given words it lacks)."""
    apparatus = apparatus_of(texts)
    text = render(apparatus)
    document = xml(text)
    ids = document.xpath("//@xml:id")
    assert len(ids) == len(set(ids))
    for span in document.xpath("//t:app[@subtype='span']", namespaces=NS):
        assert len(span.xpath("t:lem[.//t:app]|t:rdg[.//t:app]", namespaces=NS)) <= 1
    assert errors(text.encode(), tei_all) == []
    back = import_alignment(text.encode(), path="x.xml")
    assert [[t.text for t in w.tokens] for w in back.witnesses] == [
        [t.text for t in make_tokens(texts[s], s)] for s in "ABCD"
    ]


def test_a_passage_the_base_lacks_gives_each_witness_its_own_text(tei_all):
    """Frankenstein C16: where the base lacks a passage that two witnesses fill with different words, the
    entry says what each adds ("add. the assemblance of grand shapes which 1831; The affectionate smile with
    which Th"), not one witness's text for both. Nothing inside it compares the two texts word by word, in
    TEI either: each is a reading of its own."""
    one = "the assemblance of grand shapes which I had contemplated during the day"
    other = "The affectionate smile with which Elizabeth welcomed my altered mood"
    apparatus = apparatus_of(
        {
            "A": "My father was pleased and Elizabeth overjoyed",
            "B": f"My father was pleased and {one} Elizabeth overjoyed",
            "C": f"My father was pleased and {other} Elizabeth overjoyed",
        }
    )
    assert apparatus.spans == ()
    (entry,) = [loc for loc in apparatus.locations if loc.lemma.empty]
    assert [(r.text, r.sigla, r.type.value) for r in entry.readings] == [
        (one, ("B",), "addition"),
        (other, ("C",), "addition"),
    ]
    text = render(apparatus)
    assert errors(text.encode(), tei_all) == []
    document = xml(text)
    (app,) = document.xpath(f"//t:app[@xml:id='app-{entry.number}']", namespaces=NS)
    assert [(r.get("wit"), "".join(r.itertext())) for r in app.xpath("t:rdg", namespaces=NS)] == [
        ("#wit-B", one), ("#wit-C", other),
    ]
    assert app.xpath(".//t:app", namespaces=NS) == []
    back = import_alignment(text.encode(), path="x.xml")
    assert [[t.text for t in w.tokens] for w in back.witnesses] == [[t.text for t in w.tokens] for w in apparatus.witnesses]


def test_near_copies_of_a_passage_the_base_lacks_are_one_reading():
    """Severianus: where the edition lacks a sentence that two manuscripts add, each with a word or two of
    its own, the two are one reading (their differences are entries inside the span), not two long
    near-copies side by side."""
    added = "that the three evangelists began their preaching from the dispensation of the saviour and John from"
    apparatus = apparatus_of(
        {
            "A": "he said so. and then went home",
            "B": "he said so; and then went home",
            "C": f"he said so. {added} the godhead and then went home",
            "D": f"he said so. {added.replace('saviour', 'lord')} godhead and then went home",
        }
    )
    (span,) = [s for s in apparatus.spans if s.lemma.empty]
    texts = [(r.text, r.sigla) for r in span.readings]
    assert texts == [(f"{added} the godhead", ("C", "D"))]


def test_an_addition_before_the_base_s_first_word_stands_in_its_block(tmp_path, tei_all):
    """ITSEE's John 6:23: the first entry adds a word before the base's first one. It stands in the base's
    first verse (``div``/``ab``), not in a paragraph of its own before the divisions."""
    for siglum, words in (("A", "the boats came"), ("B", "and the boats came")):
        (tmp_path / f"{siglum}.xml").write_text(
            '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div n="B04"><ab n="B04K6V23">'
            f"{words}</ab></div></body></text></TEI>",
            encoding="utf-8",
        )
    text = render(collate.collate(collate.load([tmp_path / "A.xml", tmp_path / "B.xml"])))
    document = xml(text)
    (app,) = document.xpath("//t:app", namespaces=NS)
    assert [etree.QName(a).localname for a in app.iterancestors()][:3] == ["ab", "div", "body"]
    assert errors(text.encode(), tei_all) == []


def test_a_passage_only_other_witnesses_read_stands_in_the_base_s_paragraph():
    """B and D add a paragraph inside the base's first one (the base lacks it: a span, as they vary). Its
    ``app`` stands in the base's paragraph, which goes on after it: the body has the base's two paragraphs,
    not a third one for theirs and a second copy of the base's first after it."""
    from tests.tei.helpers import read, tei

    first = "One two three four five six seven eight nine ten."
    added = " ".join(f"added{i}" for i in range(12)) + "."
    texts = {
        "A": f"<p>{first}</p><p>Eleven twelve.</p>",
        "B": f"<p>One two three four five</p><p>{added}</p><p>six seven eight nine ten.</p><p>Eleven twelve.</p>",
        "C": f"<p>{first}</p><p>Eleven twelve.</p>",
        "D": f"<p>One two three four five</p><p>{added.replace('added5', 'other5')}</p>"
             "<p>six seven eight nine ten.</p><p>Eleven twelve.</p>",
    }
    witnesses = []
    for siglum, body in texts.items():
        (witness,) = read(tei(body), path=f"{siglum}.xml")
        witnesses.append(Witness(siglum, witness.tokens, witness.meta))
    apparatus = build_apparatus(align_witnesses(witnesses), "A")
    assert any("B" in r.sigla for s in apparatus.spans for r in s.readings)
    paragraphs = xml(render(apparatus)).findall(".//{http://www.tei-c.org/ns/1.0}body//{http://www.tei-c.org/ns/1.0}p")
    assert ["".join(p.itertext()).split()[0] for p in paragraphs] == ["One", "Eleven"]
