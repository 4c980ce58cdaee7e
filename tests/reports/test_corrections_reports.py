"""The editor's corrections in the renderers that print a reading text: HTML and LaTeX print the chosen
lemma in the text and the notes with their entry."""

from __future__ import annotations

import collate
from collate.engine.model import Correction
from reports.html import view_data
from reports.latex import render as render_latex

from tests.collate.engine.helpers import BASE_GIVEN_WHOLE

from .conftest import witness

FIXES = [
    Correction(1, "lemma", words="jumps", before="brown fox", after="over the", lemma="leaps"),
    Correction(2, "note", words="dog", before="the lazy", after=".", note="C's cat & dog: 50% sure"),
]


def corrected():
    witnesses = [
        witness("A", ["The quick brown fox jumps over the lazy dog."]),
        witness("B", ["The quick brown fox leaps over the lazy dog."]),
        witness("C", ["The quick brown fox jumps over the lazy cat."]),
    ]
    apparatus = collate.collate(witnesses, corrections=FIXES)
    assert apparatus.refused == ()
    return apparatus


def test_html_prints_the_chosen_lemma_in_the_text_and_the_note_in_its_entry():
    view = view_data(corrected())
    text = "".join(p.text for line in view["lines"] for p in line.pieces)
    assert text == "The quick brown fox leaps over the lazy dog."
    entries = {e.lemma: e for g in view["groups"] for e in g.entries}
    assert [c.siglum for c in entries["leaps"].chosen] == ["B"]
    assert [(r.text, [c.siglum for c in r.cites]) for r in entries["leaps"].readings] == [("jumps", ["A", "C"])]
    assert entries["dog"].notes == ("C's cat & dog: 50% sure",) and entries["dog"].chosen == ()
    keys = view["corrections"]["keys"]
    assert keys[str(entries["leaps"].number)][:3] == ["quick brown fox", "jumps", "over the lazy"]
    assert keys[str(entries["dog"].number)][5:] == [False, ["C's cat & dog: 50% sure"], False]
    assert [g["kind"] for g in view["corrections"]["given"]] == ["lemma", "note"]


def test_latex_prints_the_chosen_lemma_and_the_note_escaped():
    tex = render_latex(corrected())
    assert "\\edtext{leaps}{\\Afootnote{jumps \\sig{A} \\sig{C}}}" in tex
    assert "\\Afootnote{\\textit{Note:} C's cat \\& dog: 50\\% sure}" in tex
    assert "jumps over" not in tex


def test_html_offers_no_lemma_inside_a_passage_the_base_gives_whole():
    """The page's controls mark the entries inside a passage the base reads in a text of its own: a lemma
    chosen there is refused (``corrections._lemma``), so the panel says why instead of offering one."""
    apparatus = collate.collate([witness(s, [t]) for s, t in BASE_GIVEN_WHOLE.items()], base="W0")
    (whole,) = [s for s in apparatus.spans if s.gives_base_whole("W0")]
    keys = view_data(apparatus)["corrections"]["keys"]
    inside = {str(loc.number) for loc in apparatus.locations
              if not loc.span and whole.start <= loc.start and loc.end <= whole.end}
    assert inside and all(keys[n][7] for n in inside)
    assert not any(keys[n][7] for n in keys if n not in inside)
