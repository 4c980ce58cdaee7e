"""Reading a TEI apparatus back: collate → TEI → import gives the same table; other tools' TEI reads too."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

import collate
from collate.errors import InputError
from reports.json import render as render_json
from tei.importer import import_alignment, import_apparatus
from tei.writer import render
from witnesses import sample_paths

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


def test_darwin_round_trips_exactly():
    """Six editions: every column, token, transposition and apparatus entry comes back."""
    apparatus = collate.collate(collate.load(sample_paths()), base="1860")
    back = round_trip(apparatus)
    assert back.base == "1860"
    assert len(back.alignment.transpositions) == len(apparatus.alignment.transpositions) > 0
    assert unflagged(back) == unflagged(apparatus)
    assert reading_markup(back) == reading_markup(apparatus)


def test_layout_is_needed_and_kept():
    """A short reading aligned with the end of a longer one comes back in its own column, not the first."""
    from collate.engine.graph import align_witnesses
    from collate.engine.model import Witness
    from collate.engine.tokens import make_tokens
    from collate.engine.variants import build_apparatus

    texts = {"A": "x one two y", "B": "x one y", "C": "x two y"}
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
def test_only_parallel_segmentation_is_imported(encoding):
    apparatus = collate.collate(collate.load([DATA / "tei_fragments" / f"{s}.xml" for s in "ABC"]))
    with pytest.raises(InputError, match="only parallel-segmentation"):
        import_apparatus(render(apparatus, encoding=encoding).encode(), path="x.xml")


def test_unknown_witness_in_wit_is_an_input_error():
    data = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>t</title></titleStmt>'
        "<publicationStmt><p>p</p></publicationStmt><sourceDesc><listWit><witness xml:id='A'/></listWit>"
        "</sourceDesc></fileDesc></teiHeader><text><body><p>a <app><rdg wit='#A'>b</rdg>\n"
        "<rdg wit='#Z'>c</rdg></app></p></body></text></TEI>"
    ).encode()
    with pytest.raises(InputError) as caught:
        import_alignment(data, path="x.xml")
    assert "'Z'" in str(caught.value) and caught.value.line == 2
