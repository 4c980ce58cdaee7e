"""Reading a TEI apparatus back: collate → TEI → import gives the same table; other tools' TEI reads too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from hypothesis import assume, example, given, settings
from hypothesis import strategies as st

import collate
from collate.errors import InputError
from reports.json import render as render_json

from collate.engine.model import VariantType
from tei.importer import import_alignment, import_apparatus
from tei.text import TeiOptions
from tei.writer import render
from witnesses import sample_paths
from witnesses.plaintext import read_text

DATA = Path(__file__).resolve().parent.parent / "data"


def rows(alignment):
    return {
        w.siglum: [None if c[k] is None else w.tokens[c[k]].text for c in alignment.columns]
        for k, w in enumerate(alignment.witnesses)
    }


def round_trip(apparatus):
    return import_apparatus(render(apparatus).encode(), path="apparatus.xml")


def unflagged(apparatus):
    """The JSON without token flags: the TEI apparatus writes markup in the readings, while its agreed text
    is one text for all witnesses, so the flags of agreeing words do not travel (checked apart, below)."""
    data = json.loads(render_json(apparatus))
    for column in data["table"]:
        for cell in column:
            for token in cell or ():
                token.pop("f", None)
    return data


def reading_markup(apparatus):
    """(siglum, token index) → the transcription markup of every token that stands in a variant reading."""
    out = {}
    for loc in apparatus.locations:
        for reading in loc.all_readings:
            for siglum, tokens in zip(reading.sigla, reading.tokens):
                for t in tokens:
                    out[siglum, t.index] = sorted(t.source.flags & {"add", "del", "unclear", "supplied"})
    return out


def test_fragments_round_trip_exactly():
    apparatus = collate.collate(collate.load([DATA / "tei_fragments" / f"{s}.xml" for s in "ABC"]))
    back = round_trip(apparatus)
    assert back.base == "A"
    assert back.alignment.columns == apparatus.alignment.columns
    assert back.alignment.transpositions == apparatus.alignment.transpositions
    assert unflagged(back) == unflagged(apparatus)
    assert reading_markup(back) == reading_markup(apparatus)
    assert ["add"] in reading_markup(apparatus).values()
    assert [w.meta.title for w in back.witnesses] == [w.meta.title for w in apparatus.witnesses]


@pytest.mark.parametrize("encoding", ["parallel-segmentation", "double-end-point", "location-referenced"])
def test_darwin_round_trips_exactly(encoding):
    """Six editions: every column, token, transposition and apparatus entry comes back (double end-point:
    readings spliced in between anchors where the base text runs on, ``some`` + ``aid`` kept apart)."""
    apparatus = collate.collate(collate.load(sample_paths()), base="1860")
    back = import_apparatus(render(apparatus, encoding=encoding).encode(), path="apparatus.xml", notes=[].append)
    assert back.base == "1860"
    assert len(back.alignment.transpositions) == len(apparatus.alignment.transpositions) > 0
    assert back.alignment.columns == apparatus.alignment.columns
    assert _word_for_word(render_json(back)) == _word_for_word(render_json(apparatus))
    assert reading_markup(back) == reading_markup(apparatus)


def _word_for_word(text: str) -> object:
    """The JSON with each reading's text as its tokens. Parallel segmentation has one run of whitespace
    between two entries for all witnesses: where one witness has a space there and another none, one of
    them reads back with its spacing changed (``mingled , flows``), never with its words changed."""
    import json

    from collate.engine.tokens import split

    data = json.loads(text)
    for entry in data["apparatus"]:
        for reading in [entry["lemma"], *entry["readings"]]:
            reading["text"] = [s.text for s in split(reading["text"])]
    return data


def test_layout_is_needed_and_kept():
    """A short reading aligned with the end of a longer one comes back in its own column, not the first."""
    from collate.engine.graph import align_witnesses
    from collate.engine.model import Witness
    from collate.engine.tokens import make_tokens
    from collate.engine.variants import build_apparatus

    # C's "two" stands in the second column of a two-column entry (B's "uno dos" varies in both columns,
    # so both are one entry): the default, a reading's tokens in the first columns, would be wrong.
    texts = {"A": "x one two y", "B": "x uno dos y", "C": "x two y"}
    apparatus = build_apparatus(align_witnesses([Witness(s, make_tokens(t, s)) for s, t in texts.items()]))
    assert rows(apparatus.alignment)["C"] == ["x", None, "two", "y"]
    text = render(apparatus)
    assert "<ct:cols " in text  # the layout is spelt out only where the default would be wrong
    assert rows(import_apparatus(text.encode(), path="a.xml").alignment) == rows(apparatus.alignment)


def test_collatex_apparatus_is_read():
    """CollateX writes a cx:apparatus root with TEI app/rdg inside and no listWit."""
    data = (DATA / "tei_collatex" / "apparatus.xml").read_bytes()
    alignment = import_alignment(data, path="cx.xml")
    texts = {w.siglum: " ".join(t.text for t in w.tokens) for w in alignment.witnesses}
    assert texts == {
        "A": "The black cat sat on the mat .",
        "C": "The black cat sat on a red mat .",
        "B": "The cat lay on the mat .",
    }
    assert rows(alignment)["B"] == ["The", None, "cat", "lay", "on", "the", None, "mat", "."]
    apparatus = import_apparatus(data, path="cx.xml")
    assert [loc.lemma.text for loc in apparatus.locations] == ["black", "sat", "the"]


def test_foreign_lemma_without_wit_reads_for_the_rest():
    data = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        "<publicationStmt><p>p</p></publicationStmt><sourceDesc><listWit><witness xml:id='A'/>"
        "<witness xml:id='B'/><witness xml:id='C'/></listWit></sourceDesc></fileDesc></teiHeader>"
        "<text><body><p>Whan that <app><lem>Aprill</lem><rdg wit='#C'>Averylle</rdg></app> with his"
        "</p></body></text></TEI>"
    ).encode()
    alignment = import_alignment(data, path="x.xml")
    assert rows(alignment) == {
        "ed.": ["Whan", "that", "Aprill", "with", "his"],
        "A": ["Whan", "that", "Aprill", "with", "his"],
        "B": ["Whan", "that", "Aprill", "with", "his"],
        "C": ["Whan", "that", "Averylle", "with", "his"],
    }


def test_an_apparatus_file_is_a_set_of_witnesses(tmp_path):
    apparatus = collate.collate(collate.load([DATA / "tei_fragments" / f"{s}.xml" for s in "ABC"]))
    path = tmp_path / "apparatus.xml"
    path.write_text(render(apparatus))
    again = collate.load([path])
    assert [(w.siglum, [t.text for t in w.tokens]) for w in again] == [
        (w.siglum, [t.text for t in w.tokens]) for w in apparatus.witnesses
    ]


@pytest.mark.parametrize("encoding", ["location-referenced", "double-end-point"])
def test_external_encodings_round_trip(encoding):
    apparatus = collate.collate(collate.load([DATA / "tei_fragments" / f"{s}.xml" for s in "ABC"]))
    back = import_apparatus(render(apparatus, encoding=encoding).encode(), path="x.xml", notes=[].append)
    assert rows(back.alignment) == rows(apparatus.alignment)
    assert entries(back) == entries(apparatus)


def test_unknown_witness_in_wit_is_added_with_a_warning():
    data = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        "<publicationStmt><p>p</p></publicationStmt><sourceDesc><listWit><witness xml:id='A'/></listWit>"
        "</sourceDesc></fileDesc></teiHeader><text><body><p>a <app><rdg wit='#A'>b</rdg>\n"
        "<rdg wit='#Z'>c</rdg></app></p></body></text></TEI>"
    ).encode()
    said = []
    alignment = import_alignment(data, path="x.xml", notes=said.append)
    assert rows(alignment) == {"A": ["a", "b"], "Z": ["a", "c"]}
    assert said == ["warning: line 2: @wit names 'Z', which is not in listWit; added as witness 'Z'"]


# ------------------------------------------------------------------------------ third-party apparatus


def entries(apparatus):
    """Each entry as an editor reads it: lemma] readings with sigla and types; lacking witnesses."""
    return [
        (
            loc.lemma.text,
            loc.lemma.sigla,
            [(r.text, r.sigla, r.type.value) for r in loc.readings],
            [(s, k.label) for s, k in loc.lacking],
        )
        for loc in apparatus.locations
    ]


def imported(name, **kwargs):
    said = []
    apparatus = import_apparatus((DATA / "tei_apparatus" / name).read_bytes(), path=name, notes=said.append, **kwargs)
    return apparatus, said


def test_negative_apparatus_with_lacunae():
    """The lemma is the edition's text (its own witness, the base); uncited witnesses read it; B is lacunose
    from lacunaStart to lacunaEnd (text between apps too), C where a witDetail says so: never "om."."""
    apparatus, said = imported("negative-lacunae.xml")
    assert apparatus.base == "ed." and apparatus.alignment.sigla == ("ed.", "A", "B", "C")
    assert entries(apparatus) == [
        ("Aprill", ("ed.", "A", "B"), [("Averylle", ("C",), "substantive")], []),
        ("soote", ("ed.", "A", "C"), [], [("B", "lac.")]),
        ("the droghte of", ("ed.", "A", "C"), [], [("B", "lac.")]),
        ("March", ("ed.", "A"), [("Marche", ("C",), "substantive")], [("B", "lac.")]),
        ("hath", ("ed.", "A", "C"), [], [("B", "lac.")]),
        ("perced", ("ed.", "A", "B"), [], [("C", "lac.")]),
    ]
    assert said == []
    assert all(r.type is not VariantType.OMISSION for loc in apparatus.locations for r in loc.readings)


def test_positive_apparatus_uncited_is_not_cited():
    apparatus, _ = imported("positive.xml")
    assert apparatus.base == "A"
    assert entries(apparatus) == [
        ("beginning", ("A", "B"), [("begynnyng", ("C",), "substantive")], []),
        ("word", ("A",), [("worde", ("B",), "substantive")], [("C", "n.c.")]),
        ("with", ("A", "C"), [("", ("B",), "omission")], []),  # an empty rdg the source gives is an omission
    ]


def test_location_referenced_without_variant_encoding():
    apparatus, _ = imported("located.xml")
    assert entries(apparatus) == [
        ("cano", ("ed.", "A", "C"), [("canto", ("B",), "substantive")], []),
        ("Laviniaque", ("ed.", "A"), [("Lavina", ("B",), "substantive"), ("Lavinaque", ("C",), "substantive")], []),
    ]
    ed = apparatus.witnesses[0]
    assert [(t.text, t.source.page, t.source.line) for t in ed.tokens][7:9] == [("oris", "12", "1"), ("Italiam", "12", "2")]


def test_double_end_point_without_variant_encoding():
    """The lemma is the base text between the anchors (the lem abbreviates it); B ends with witEnd."""
    apparatus, _ = imported("anchored.xml")
    assert entries(apparatus) == [
        ("cano", ("ed.", "A", "C"), [("canto", ("B",), "substantive")], []),
        ("Laviniaque venit", ("ed.", "A"), [("Lavinaque venit", ("C",), "substantive")], [("B", "def.")]),
        ("litora", ("ed.", "A", "C"), [], [("B", "def.")]),
    ]


def test_corrector_sigla_map_to_their_witness():
    """A correction is read as its witness (the text after correction); a first hand cited apart is a witness
    of its own beside it, so that its reading is not lost."""
    apparatus, said = imported("correctors.xml")
    assert apparatus.alignment.sigla == ("01", "01*", "03", "044", "424")
    assert [w.meta.title for w in apparatus.alignment.witnesses][:2] == [None, "01, first hand"]
    assert entries(apparatus) == [
        (
            "λογος",
            ("01", "03"),
            [("λογοϲ", ("01*",), "substantive"), ("λογοι", ("044",), "substantive"), ("λογω", ("424",), "substantive")],
            [],
        ),
    ]
    assert said == [
        "line 3: siglum '01C' is read as witness '01' (a correction)",
        "line 3: siglum '01*', the first hand of '01', is a witness of its own: it reads what '01' reads wherever "
        "the apparatus does not cite it apart, and '01' is the text after correction",
        "line 3: siglum '044C' is read as witness '044' (a correction)",
        "warning: line 3: @wit names '424C2', which is not in listWit; added as witness '424'",
    ]
    before, _ = imported("correctors.xml", options=TeiOptions(stage="before"))
    assert entries(before)[0][2][0] == ("λογοϲ", ("01",), "orthographic") or entries(before)[0][1] == ("01",)


def test_unnamespaced_tei():
    apparatus, _ = imported("unnamespaced.xml")
    assert entries(apparatus) == [("quick", ("A",), [("quicke", ("B",), "substantive")], [])]


def test_collatex_xml_each_varying_app_is_one_entry():
    """CollateX's XML gives every column an app; the 3 that vary are the 3 entries, uncited B omits."""
    apparatus, _ = imported("collatex.xml")
    assert entries(apparatus) == [
        ("black", ("A", "C"), [("", ("B",), "omission")], []),
        ("sat", ("A", "C"), [("lay", ("B",), "substantive")], []),
        ("the", ("A", "B"), [("a red", ("C",), "substantive")], []),
    ]


def test_adjacent_apps_stay_apart():
    """Two source apps with no text between them are two entries (build_apparatus would merge them)."""
    data = (DATA / "tei_collatex" / "apparatus.xml").read_bytes().replace(b"a red", b"a").replace(
        b"mat.", b"<app><rdg wit='#C'>red</rdg></app> mat."
    )
    apparatus = import_apparatus(data, path="cx.xml")
    assert [loc.lemma.text for loc in apparatus.locations] == ["black", "sat", "the", ""]


def test_nested_app_is_read():
    apparatus, _ = imported("nested.xml")
    assert rows(apparatus.alignment)["B"] == ["one", "two", "thre", "four", "five"]
    assert entries(apparatus) == [
        ("two three four", ("A",), [("two thre four", ("B",), "substantive"), ("", ("C",), "omission")], [])
    ]
    # The inner app's columns are kept inside the outer one's, for grouping that nests entries.
    assert apparatus.alignment.entries == ((1, 4), (2, 3))


def test_app_nested_in_a_reading():
    data = (DATA / "tei_apparatus" / "positive.xml").read_bytes().replace(
        b'<rdg wit="#B"/>', b'<rdg wit="#B #C">along <app><rdg wit="#B">beside</rdg><rdg wit="#C">by</rdg></app></rdg>'
    ).replace(b'<lem wit="#A #C">with</lem>', b'<lem wit="#A">with</lem>')
    apparatus = import_apparatus(data, path="x.xml", notes=[].append)
    assert rows(apparatus.alignment)["C"][-3:] == ["along", "by", "God"]
    assert entries(apparatus)[-1] == (
        "with", ("A",), [("along beside", ("B",), "substantive"), ("along by", ("C",), "substantive")], []
    )
    assert apparatus.alignment.entries[-1] == (apparatus.locations[-1].start + 1, apparatus.locations[-1].end)


def test_imported_lacunae_render_as_valid_tei_and_json(tei_all):
    from lxml import etree

    apparatus, _ = imported("negative-lacunae.xml")
    for encoding in ("parallel-segmentation", "location-referenced", "double-end-point"):
        assert tei_all.validate(etree.fromstring(render(apparatus, encoding=encoding).encode())), encoding
    data = json.loads(render_json(apparatus))
    assert data["apparatus"][1]["lacking"] == [{"wit": ["B"], "kind": "lacunose"}]


def test_lacking_witnesses_survive_a_round_trip():
    """Imported lacunae → TEI (witDetail) → import: the same entries, in every encoding."""
    apparatus, _ = imported("negative-lacunae.xml")
    for encoding in ("parallel-segmentation", "double-end-point"):
        back = import_apparatus(render(apparatus, encoding=encoding).encode(), path="x.xml", notes=[].append)
        assert back.base == "ed."
        assert entries(back) == entries(apparatus), encoding


@pytest.mark.parametrize(
    ("name", "texts"),
    [
        ("anchored.xml", {"B": "Arma virumque canto Troiae qui primus ab oris Italiam fato profugus"}),
        ("correctors.xml", {"01": "εν αρχη ην ο λογος και", "424": "εν αρχη ην ο λογω και"}),
        ("collatex.xml", {"C": "The black cat sat on a red mat."}),
        ("negative-lacunae.xml", {"B": "Whan that Aprill with his shoures perced to the roote"}),
    ],
)
def test_an_apparatus_of_any_kind_is_read_as_witnesses(name, texts, capsys):
    """``collate align apparatus.xml …`` reads each witness's text out of it (lacunose stretches left out)."""
    found = {w.siglum: w for w in collate.load([DATA / "tei_apparatus" / name])}
    for siglum, text in texts.items():
        assert " ".join(t.text for t in found[siglum].tokens).replace(" .", ".") == text


def test_every_format_says_lac_not_om():
    from reports.csv import render as render_csv
    from reports.text import render as render_text

    apparatus, _ = imported("negative-lacunae.xml")
    table = render_text(apparatus).splitlines()
    b_row = next(line for line in table if line.startswith("B "))
    assert "soote" not in b_row and "lac." in b_row
    rows_ = [line.split(",") for line in render_csv(apparatus).splitlines()]
    assert rows_[0] == ["column", "ed.", "A", "B", "C", "variant", "type"]
    soote = next(r for r in rows_ if r[1] == "soote")
    assert soote[3] == "[lac.]" and soote[6] == "lacking"
    data = json.loads(render_json(apparatus))
    assert data["apparatus"][1]["type"] is None and data["apparatus"][0]["type"] == "substantive"
    assert 'type="omission"' not in render(apparatus)


def test_declared_encodings_and_markers_beside_readings():
    """A declared location-referenced apparatus is read (it was refused); a declared positive apparatus
    keeps uncited witnesses not cited even beside a lem without @wit; a lacunaStart beside the readings
    (not in one) opens the lacuna at that app; a reading that names the witness still counts in it."""
    text = (DATA / "tei_apparatus" / "located.xml").read_text(encoding="utf-8")
    declared = text.replace(
        "</teiHeader>",
        '<encodingDesc><variantEncoding method="location-referenced" location="external"/>'
        "<p>A positive apparatus.</p></encodingDesc></teiHeader>",
    ).replace('<rdg wit="#B">canto</rdg>', '<rdg wit="#B">canto</rdg><rdg wit="#A">cano</rdg><lacunaStart wit="#C"/>')
    apparatus = import_apparatus(declared.encode(), path="x.xml", notes=[].append)
    assert entries(apparatus) == [
        ("cano", ("ed.", "A"), [("canto", ("B",), "substantive")], [("C", "lac.")]),
        ("Troiae qui primus ab oris Italiam fato profugus", ("ed.", "A", "B"), [], [("C", "lac.")]),
        ("Laviniaque", ("ed.",), [("Lavina", ("B",), "substantive"), ("Lavinaque", ("C",), "substantive")], [("A", "n.c.")]),
        ("venit", ("ed.", "A", "B"), [], [("C", "lac.")]),
    ]


def test_double_end_point_reading_not_glued_to_the_word_before():
    """The base runs on across the anchor (``mind<anchor/>, than``); a reading ``has`` must not fuse with
    ``mind``; an anchor inside a word of the base keeps the word whole."""
    text = (DATA / "tei_apparatus" / "anchored.xml").read_text(encoding="utf-8")
    text = text.replace('Arma virumque <anchor xml:id="a1"/>cano', 'Arma virumque<anchor xml:id="a1"/>, cano').replace(
        "<lem>cano</lem><rdg wit=\"#B\">canto</rdg>", "<lem>, cano</lem><rdg wit=\"#B\">canto</rdg>"
    ).replace('profugus <anchor xml:id="a3"/>Laviniaque', 'profugus Lavin<anchor xml:id="a3"/>iaque')
    text = text.replace("<lem>Laviniaque … venit</lem><rdg wit=\"#C\">Lavinaque venit</rdg>", "<lem/><rdg wit=\"#C\">aque venit</rdg>")
    apparatus = import_apparatus(text.encode(), path="x.xml", notes=[].append)
    b = next(w for w in apparatus.witnesses if w.siglum == "B")
    assert [t.text for t in b.tokens][:4] == ["Arma", "virumque", "canto", "Troiae"]
    c = next(w for w in apparatus.witnesses if w.siglum == "C")
    assert [t.text for t in c.tokens][-3:] == ["Lavinaque", "venit", "litora"]


def test_a_reading_that_is_only_a_gap_is_lacunose():
    data = (DATA / "tei_apparatus" / "positive.xml").read_bytes().replace(
        b'<rdg wit="#C">begynnyng</rdg>', b'<rdg wit="#C"><gap reason="lacuna"/></rdg>'
    ).replace(b'<rdg wit="#B"/>', b'<rdg wit="#B" type="lac"/>')
    apparatus = import_apparatus(data, path="x.xml", notes=[].append)
    assert entries(apparatus)[0] == ("beginning", ("A", "B"), [], [("C", "lac.")])
    assert entries(apparatus)[2] == ("with", ("A", "C"), [], [("B", "lac.")])
    table = json.loads(render_json(apparatus))
    assert {"witness": "C", "columns": [2, 3], "kind": "lacunose"} in table["lacking"]
    assert table["table"][2][2] is None


def test_unplaceable_external_apps_are_input_errors():
    anchored = (DATA / "tei_apparatus" / "anchored.xml").read_text(encoding="utf-8")
    split = anchored.replace('oris\nItaliam', 'oris</p><p>Italiam').replace('from="#a3"', 'from="#a1"')
    with pytest.raises(InputError, match="not in one paragraph") as caught:
        import_apparatus(split.encode(), path="x.xml", notes=[].append)
    assert caught.value.line == 5
    located = (DATA / "tei_apparatus" / "located.xml").read_text(encoding="utf-8")
    with pytest.raises(InputError, match="lemma 'cantus' not found in the base text at @loc '12.1'"):
        import_apparatus(located.replace("<lem>cano</lem>", "<lem>cantus</lem>").encode(), path="x.xml")


def _cited(apparatus, lemma):
    """Per siglum, what the entry with ``lemma`` (the first, for an empty one) gives it: its reading's text,
    or the label of its lack."""
    loc = [loc for loc in apparatus.locations if loc.lemma.text == lemma][0]
    out = {s: r.text for r in loc.all_readings for s in r.sigla}
    out.update({s: k.label for s, k in loc.lacking})
    return out


def test_a_published_positive_apparatus_gives_each_witness_what_it_says():
    """teiphy's UBS Ephesians: a positive apparatus whose ``lem`` has no ``@wit`` but whose first reading
    repeats it with its witnesses. A witness an app does not name is not cited there (never given the lemma,
    never an omission); ambiguous and overlapping witnesses are said to be so; a first hand cited apart is a
    witness of its own; the app that orders other apps by ``ref`` gives no words to anyone, but a
    transposition: the moved entry stands where the witnesses that moved it have it."""
    apparatus, said = imported("teiphy-ubs.xml")
    sigla = apparatus.alignment.sigla
    assert {"01*", "03*", "06*", "424*"} <= set(sigla) and "01C2" not in sigla
    # Every word comes from a reading: none from the references of the ordering app.
    words = {t.text for w in apparatus.alignment.witnesses for t in w.tokens}
    assert not {w for w in words if "B10K" in w or w in "[]"}
    assert len(apparatus.locations) == 7  # the six entries, and the moved one where its movers have it
    mystery = _cited(apparatus, "το μυστηριον του ευαγγελιου")
    assert mystery["P46"] == "amb."  # weighted 0.985 towards reading 2: not the lemma
    assert mystery["06*"] == "το μυστηριον" and mystery["06"] == "το μυστηριον του αγγελιου"  # both hands kept
    assert mystery["1910/2"] == "n.c."
    beloved = _cited(apparatus, "εν τω ηγαπημενω")
    assert beloved["1910"] == "n.c." and beloved["1910/2"] == "δια του ηγαπημενου" and beloved["vg"] == "amb."
    hands = _cited(apparatus, "ταις ιδιαις χερσιν")
    # The ordering app's third reading lacks this entry: its witnesses omit it (the source's "overlap").
    assert [hands[s] for s in ("33", "424C", "1739", "1881")] == [""] * 4
    assert hands["01*"] == "ταις ιδιαις χερσιν" and hands["01"] == "ταις χερσιν"
    (t,) = apparatus.alignment.transpositions
    moved = {s: r for s, r in _moved_readings(apparatus, t)}
    assert moved["18"] == "ταις χερσιν" and moved["606"] == "ταις ιδιαις χερσιν" and "UBS" not in moved
    (old,) = [loc for loc in apparatus.locations if loc.lemma.text == "ταις ιδιαις χερσιν"]
    (new,) = [loc for loc in apparatus.locations if loc.transposition is not None and loc is not old]
    assert old.transposition == new.transposition and new.start == old.end + 2  # after "το αγαθον"
    types = {s: r.type.value for r in old.readings for s in r.sigla}
    assert types["18"] == "transposition" and types["33"] == "omission"
    assert _cited(apparatus, "το αγαθον")["copsa"] == ""  # its reading has only the other entry
    ephesus = _cited(apparatus, "")
    assert ephesus["01*"] == "" and ephesus["01"] == "εν εφεσω" and ephesus["424"] == "n.c."
    assert ephesus["04"] == "lac."
    assert (
        "line 179: app B10K4V28U18-26 orders other entries: read as transpositions of B10K4V28U18-22 (18 35 88 "
        "424* 606 915 1505 1611 1910 2495 syrh Chrysostom TheodoreOfMopsuestia)"
    ) in said
    assert any('witDetail type="ambiguous" (5×)' in s for s in said)
    assert any('witDetail type="overlap" (2×)' in s for s in said)
    assert any("read as a positive apparatus" in s for s in said)
    assert "warning: witness '424C' has no words anywhere in the apparatus; it is kept, without text" in said


def _moved_readings(apparatus, t):
    """(siglum, text) of the witnesses that read transposition ``t``'s passage at its target."""
    alignment = apparatus.alignment
    out = []
    for w, witness in enumerate(alignment.witnesses):
        words = [alignment.cell(c, w) for c in range(*t.target)]
        if any(words):
            out.append((witness.siglum, " ".join(x.text for x in words if x)))
    return out


def test_what_an_imported_apparatus_says_of_its_witnesses_survives_our_tei(tei_all):
    from tei.validate import errors

    apparatus, _ = imported("teiphy-ubs.xml")
    document = render(apparatus)
    assert errors(document.encode(), tei_all) == []
    again = import_apparatus(document.encode(), path="ours.xml", notes=lambda _: None)
    assert entries(again) == entries(apparatus)


def test_the_words_of_a_long_entry_stand_under_the_words_they_vary_from():
    """Another tool's entry gives whole readings: in the table (CSV, text, JSON) each word stands in the
    column of the word it varies from, not packed to the left (``παν`` under ``εις``, and an omission of
    ``θεου`` that no witness has)."""
    data = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        "<publicationStmt><p>t</p></publicationStmt><sourceDesc><listWit><witness n='A'/><witness n='B'/>"
        "<witness n='C'/></listWit></sourceDesc></fileDesc></teiHeader><text><body><p>"
        "<app><lem wit='#A'>ινα πληρωθητε εις παν το πληρωμα του θεου</lem>"
        "<rdg wit='#B'>ινα πληρωθη παν το πληρωμα του θεου</rdg>"
        "<rdg wit='#C'>ινα πληρωθητε εις παν το πληρωμα του θεου εις υμας</rdg></app></p></body></text></TEI>"
    ).encode()
    alignment = import_alignment(data, path="t.xml", notes=lambda _: None)

    def row(w):
        return [None if c[w] is None else alignment.witnesses[w].tokens[c[w]].text for c in alignment.columns]

    assert row(0) == ["ινα", "πληρωθητε", "εις", "παν", "το", "πληρωμα", "του", "θεου", None, None]
    assert row(1) == ["ινα", "πληρωθη", None, "παν", "το", "πληρωμα", "του", "θεου", None, None]
    assert row(2) == ["ινα", "πληρωθητε", "εις", "παν", "το", "πληρωμα", "του", "θεου", "εις", "υμας"]


def test_what_an_edition_says_around_its_readings_is_read_or_said():
    """EVT's and ITSEE's habits: a ``listWit`` in ``front`` is no text; a group of witnesses named in
    ``@wit`` stands for its members; ``<rdg type="lac">lac</rdg>`` is a lacuna, not the word "lac"; a
    reading that names no witness is said on stderr, not dropped silently; an app's note is its entry's."""
    data = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        "<publicationStmt><p>t</p></publicationStmt><sourceDesc><p>t</p></sourceDesc></fileDesc></teiHeader>"
        "<text><front><listWit><witness xml:id='A'>Manuscript A</witness><listWit xml:id='group'>"
        "<witness xml:id='B'>Manuscript B</witness><witness xml:id='C'>Manuscript C</witness></listWit>"
        "<witness xml:id='D'>Manuscript D</witness></listWit></front><body><p>Magnus es "
        "<app><lem wit='#A #D'>domine</lem><rdg wit='#group'>deus</rdg><note>a note on the lord</note></app> et "
        "<app><lem wit='#A #B #C'>laudabilis</lem><rdg type='lac' wit='#D'>lac</rdg><rdg>laudabilia</rdg></app>"
        " valde</p></body></text></TEI>"
    ).encode()
    said: list[str] = []
    apparatus = import_apparatus(data, path="evt.xml", notes=said.append)
    assert apparatus.alignment.sigla == ("A", "B", "C", "D")
    assert entries(apparatus) == [
        ("domine", ("A", "D"), [("deus", ("B", "C"), "substantive")], []),
        ("laudabilis", ("A", "B", "C"), [], [("D", "lac.")]),
    ]
    assert [" ".join(t.text for t in w.tokens) for w in apparatus.alignment.witnesses][3] == "Magnus es domine et valde"
    assert said == [
        "witness groups named in @wit (1×) read as their members: group = B C",
        '1 reading(s) typed lacuna hold a label ("lac"): read as the witness\'s lacuna, not as words',
        "warning: line 1: a reading names no witness ('laudabilia'); left out",
    ]
    assert [loc.notes for loc in apparatus.locations] == [("a note on the lord",), ()]


def test_a_page_break_of_one_witness_is_not_another_s():
    """EVT writes every manuscript's page breaks into one text, each ``pb`` naming its witness in ``@ed``:
    a witness is cited by its own pages only (the edition's text, by none)."""
    data = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        "<publicationStmt><p>t</p></publicationStmt><sourceDesc><listWit><witness xml:id='A'/>"
        "<witness xml:id='B'/></listWit></sourceDesc></fileDesc></teiHeader><text><body><p>"
        "<pb ed='#A' n='1r'/><pb ed='#B' n='254v'/>Magnus es <app><lem>domine</lem><rdg wit='#B'>deus</rdg></app>"
        " et <pb ed='#B' n='255r'/>laudabilis</p></body></text></TEI>"
    ).encode()
    alignment = import_alignment(data, path="evt.xml", notes=lambda _: None)
    pages = {w.siglum: [t.source.page for t in w.tokens] for w in alignment.witnesses}
    assert pages == {
        "ed.": [None] * 5,
        "A": ["1r"] * 5,
        "B": ["254v", "254v", "254v", "254v", "255r"],
    }


def test_the_source_s_own_reading_types_are_kept():
    """An edition's classification is its editor's: ``rdg/@type`` or ``rdgGrp/@type`` that every output
    knows (orthographic, substantive …) types the reading, where the toolkit's own typing would say
    "substantive" for "magma" against "magna"; a type it does not know ("lessicographic") leaves its own."""
    data = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        "<publicationStmt><p>t</p></publicationStmt><sourceDesc><listWit><witness xml:id='A'/><witness xml:id='B'/>"
        "<witness xml:id='C'/><witness xml:id='D'/></listWit></sourceDesc></fileDesc></teiHeader><text><body><p>"
        "et <app><lem wit='#A'>magna</lem><rdgGrp type='orthographic'><rdg wit='#B'>magma</rdg></rdgGrp>"
        "<rdgGrp type='lessicographic'><rdg wit='#C'>laudabilis</rdg></rdgGrp><rdg wit='#D' type='orthographic'>maga</rdg>"
        "</app> virtus</p></body></text></TEI>"
    ).encode()
    apparatus = import_apparatus(data, path="evt.xml", notes=lambda _: None)
    assert entries(apparatus) == [
        (
            "magna",
            ("A",),
            [("magma", ("B",), "orthographic"), ("laudabilis", ("C",), "substantive"), ("maga", ("D",), "orthographic")],
            [],
        )
    ]
    assert apparatus.locations[0].type.value == "substantive"


_WORDS = ["the", "cat", "black", "sat", "on", "mat", "a", "The", "tbe", ",", ".", ";", "Ἐν", "naïve"]
_random_witnesses = st.lists(
    st.lists(st.sampled_from(_WORDS), min_size=0, max_size=60).map(" ".join), min_size=2, max_size=8
)


@pytest.mark.parametrize("encoding", ["parallel-segmentation", "double-end-point", "location-referenced"])
@settings(max_examples=40, deadline=None)
@given(raw=_random_witnesses)
# Found by random witnesses, each read back wrong before:
# an addition before the base's first word, glued to it across the line break after its anchor;
@example(raw=["tbe black mat , The . , cat , the", "naïve tbe The a . naïve black sat . black", "black Ἐν"])
# an addition beside a span, glued to the span's first word;
@example(raw=["a black sat ; the cat black sat", ". the The The The a The , sat naïve a cat", "sat Ἐν the ; on tbe"])
# the base's "; ;" written ";;" (one token read back);
@example(raw=["on mat on black Ἐν ; ; tbe . on cat", "a black tbe the black naïve Ἐν sat black ; tbe", "tbe naïve"])
# a span the base is given whole by: its words and the others' entries inside;
@example(raw=["tbe tbe a The naïve the black black The .", "naïve , the mat on ; mat sat on . black , cat sat tbe Ἐν on",
              "a Ἐν sat . naïve", "sat ; The the tbe ; ; naïve a mat on mat ; naïve", ", mat ; Ἐν cat black the a"])
# an addition before the first word, with no transposition (so no layout in the header).
@example(raw=["black on ; sat The the", "the cat mat tbe mat naïve the tbe ; The mat , the tbe Ἐν Ἐν black tbe the The"])
# an addition at the end of nested spans, glued to the next entry's reading (the base's own reading ends in a
# space there: the lemma read with every reading of the entries inside, and their indentation, said so);
@example(raw=["cat , naïve naïve", "naïve mat sat cat The",
              "naïve black on on on The cat naïve black mat black the the sat the naïve cat The on on naïve naïve the "
              "sat Ἐν on tbe tbe cat cat the The .",
              "the a cat on cat Ἐν naïve a Ἐν the black a a a ; tbe . . sat Ἐν on mat . , mat The , ; cat tbe"])
# an addition right before a span that gives its witness whole, glued to that witness's reading of the span;
@example(raw=["black the sat a", "on naïve a on a", "black sat The Ἐν", "naïve . the a on on naïve"])
# Witnesses that agree throughout: no entry, the base text alone (once refused as parallel segmentation).
@example(raw=["the cat", "the cat"])
# …and with two commas in a row, which once came back as one token ",," (location-referenced).
@example(raw=[", the the , , the", ", the the , , the"])
def test_random_witnesses_read_back_exactly_in_every_encoding(encoding, raw):
    assume(any(raw))  # (a collation of empty witnesses alone is refused when they are read: nothing to read back)
    witnesses = [read_text(t, f"W{k}") for k, t in enumerate(raw)]
    apparatus = collate.collate(witnesses)
    back = import_apparatus(render(apparatus, encoding=encoding).encode(), path="apparatus.xml", notes=[].append)
    assert [[t.text for t in w.tokens] for w in back.alignment.witnesses] == [
        [t.text for t in w.tokens] for w in apparatus.alignment.witnesses
    ]
    assert back.alignment.columns == apparatus.alignment.columns
    # The same entries, at the same places (a witness that has not begun or has ended there may come back
    # as lacking the text, def., where the collation gave it an empty reading typed lacuna).
    assert [(e.start, e.end, e.span) for e in back.entries] == [(e.start, e.end, e.span) for e in apparatus.entries]


@pytest.mark.parametrize("encoding", ["parallel-segmentation", "double-end-point", "location-referenced"])
def test_a_lemma_the_editor_chose_reads_back_with_every_witness_exactly(encoding):
    """Where the edition prints another reading than the base's, the external encodings' base text is that
    lemma (the base's reading is among the others'): the base's words stood there, and the importer gave them
    to the witnesses of the chosen reading too (or, for an omission chosen, left the text with nothing)."""
    from collate.engine.corrections import apply_corrections
    from collate.engine.model import Correction

    witnesses = [read_text(t, s) for s, t in (("A", "the black cat jumps over the dog"),
                                              ("B", "the cat leaps over the dog"),
                                              ("C", "the cat jumps over the dog"))]
    apparatus = apply_corrections(collate.collate(witnesses), [
        Correction(1, "lemma", words="black", before="the", after="cat", lemma=""),
        Correction(2, "lemma", words="jumps", before="cat", after="over", lemma="leaps", lemma_witness="B"),
    ])
    assert apparatus.refused == () and sum(e.chosen for e in apparatus.entries) == 2
    back = import_apparatus(render(apparatus, encoding=encoding).encode(), path="apparatus.xml", notes=[].append)
    assert {w.siglum: [t.text for t in w.tokens] for w in back.alignment.witnesses} == {
        w.siglum: [t.text for t in w.tokens] for w in witnesses
    }


def _random_corrections(apparatus, rng):
    """A few corrections of each kind, keyed by a witness's words in a random entry (some are refused:
    ambiguous or no longer there, as an editor's would be after the witnesses changed)."""
    from collate.engine.corrections import key_text
    from collate.engine.model import Correction

    columns = apparatus.alignment.columns
    out = []
    for number in range(1, rng.randrange(2, 6)):
        entry = rng.choice(apparatus.entries)
        w = rng.randrange(len(apparatus.witnesses))
        witness = apparatus.witnesses[w]
        tokens = witness.tokens
        inside = [columns[c][w] for c in range(entry.start, entry.end) if columns[c][w] is not None]
        before_it = [columns[c][w] for c in range(entry.start) if columns[c][w] is not None]
        i = inside[0] if inside else (before_it[-1] + 1 if before_it else 0)
        j = inside[-1] + 1 if inside else i
        key = dict(witness=witness.siglum, words=key_text(tokens[i:j]),
                   before=key_text(tokens[max(0, i - rng.randrange(3)):i]), after=key_text(tokens[j:j + rng.randrange(3)]))
        kind = rng.choice(["lemma", "note", "split", "move"])
        if kind == "lemma":
            reading = rng.choice(entry.all_readings)
            key.update(lemma=reading.text, lemma_witness=reading.sigla[0])
        elif kind == "note":
            key.update(note="a note <with> & markup")
        elif kind == "move":
            key.update(to=rng.choice(["left", "right"]))
        out.append(Correction(number, kind, **key))
    return out


def test_random_corrections_read_back_word_for_word_in_every_encoding():
    import random

    from collate.engine.corrections import apply_corrections

    applied = 0
    for seed in range(30):
        rng = random.Random(seed)
        texts = [" ".join(rng.choice(_WORDS) for _ in range(rng.randrange(3, 40))) for _ in range(rng.randrange(2, 6))]
        witnesses = [read_text(t, f"W{k}") for k, t in enumerate(texts)]
        apparatus = collate.collate(witnesses)
        if not apparatus.entries:
            continue
        corrections = _random_corrections(apparatus, rng)
        corrected = apply_corrections(apparatus, corrections)
        applied += len(corrections) - len(corrected.refused)
        for encoding in ("parallel-segmentation", "double-end-point", "location-referenced"):
            back = import_apparatus(render(corrected, encoding=encoding).encode(), path="a.xml", notes=[].append)
            assert [[t.text for t in w.tokens] for w in back.alignment.witnesses] == [
                [t.text for t in w.tokens] for w in witnesses
            ], (seed, encoding, corrections)
    assert applied > 20  # most of them apply: the test exercises corrected apparatuses, not refusals


@pytest.mark.parametrize("encoding", ["parallel-segmentation", "double-end-point", "location-referenced"])
def test_a_witness_collated_before_its_corrections_reads_back_so(encoding):
    """Collated at the stage before correction, a witness's deleted words are its text (written in ``del`` in
    its readings); the listWit records the stage, and the import reads that witness at it (it dropped them)."""
    from .helpers import read, tei

    (a,) = read(tei("<p>the black cat <del>sat</del><add>lay</add> on the mat</p>"), path="A.xml", stage="before")
    (b,) = read(tei("<p>the white cat lay on the mat</p>"), path="B.xml", stage="before")
    assert [t.text for t in a.tokens] == ["the", "black", "cat", "sat", "on", "the", "mat"]
    apparatus = collate.collate([a, b])
    back = import_apparatus(render(apparatus, encoding=encoding).encode(), path="apparatus.xml", notes=[].append)
    assert [[t.text for t in w.tokens] for w in back.alignment.witnesses] == [[t.text for t in w.tokens] for w in (a, b)]
    if encoding == "parallel-segmentation":  # (the external encodings' base text carries no markup)
        assert "del" in back.witnesses[0].tokens[3].source.flags


def test_an_entry_made_only_by_a_witness_not_yet_begun_is_typed_lacuna():
    # W1 begins at the last word: on reading back, the entry before has the lemma alone and W1 lacking (def.);
    # it was typed orthographic, the type of an entry with no reading to type it.
    apparatus = collate.collate([read_text("the the the the the the the", "W0"), read_text("the", "W1")])
    back = import_apparatus(render(apparatus, encoding="double-end-point").encode(), path="a.xml", notes=[].append)
    (entry,) = back.entries
    assert entry.readings == () and [s for s, _ in entry.lacking] == ["W1"]
    assert entry.type is VariantType.LACUNA
