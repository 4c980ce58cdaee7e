"""Lacunae: readings empty because their witness's source has a gap are typed ``lacuna``, not omission."""

from __future__ import annotations

from collate.engine.graph import align_witnesses
from collate.engine.lacunae import gap_columns, with_lacunae
from collate.engine.model import VariantType, Witness
from collate.engine.tokens import make_tokens
from collate.engine.variants import build_apparatus


def witness(siglum: str, text: str, *, gap_after: str | None = None) -> Witness:
    """A witness whose token ``gap_after`` is followed by a gap (its flags as a TEI reader sets them)."""
    tokens = list(make_tokens(text, siglum))
    if gap_after is not None:
        k = [t.text for t in tokens].index(gap_after)
        tokens[k] = tokens[k]._replace(source=tokens[k].source._replace(flags=frozenset({"gap-after"})))
        tokens[k + 1] = tokens[k + 1]._replace(source=tokens[k + 1].source._replace(flags=frozenset({"gap"})))
    return Witness(siglum, tuple(tokens))


def test_an_empty_reading_at_a_gap_is_a_lacuna_and_shared_omissions_are_split():
    alignment = align_witnesses(
        [witness("A", "one two three four"), witness("B", "one four", gap_after="one"), witness("C", "one four")]
    )
    before = build_apparatus(alignment)
    (loc,) = before.locations
    assert [(r.sigla, r.type) for r in loc.readings] == [(("B", "C"), VariantType.OMISSION)]
    (loc,) = with_lacunae(before).locations
    assert [(r.sigla, r.type) for r in loc.readings] == [(("C",), VariantType.OMISSION), (("B",), VariantType.LACUNA)]
    assert loc.type is VariantType.OMISSION
    assert gap_columns(alignment)[1] == frozenset({1, 2})


def test_a_mark_missing_at_a_gap_is_a_lacuna_too():
    # Severianus: MsGa has a gap where the edition prints a comma; it was typed an omitted mark ("om.").
    alignment = align_witnesses(
        [witness("A", "one two , three"), witness("B", "one two three", gap_after="two"), witness("C", "one two three")]
    )
    (loc,) = with_lacunae(build_apparatus(alignment)).locations
    assert [(r.sigla, r.type) for r in loc.readings] == [(("C",), VariantType.PUNCTUATION), (("B",), VariantType.LACUNA)]


def test_a_location_where_only_a_lacuna_differs_is_a_lacuna():
    apparatus = with_lacunae(
        build_apparatus(align_witnesses([witness("A", "one two three four"), witness("B", "one four", gap_after="one")]))
    )
    (loc,) = apparatus.locations
    assert loc.type is VariantType.LACUNA and loc.readings[0].type is VariantType.LACUNA


def test_words_against_a_lacunose_lemma_are_not_additions():
    apparatus = with_lacunae(
        build_apparatus(
            align_witnesses([witness("A", "one four", gap_after="one"), witness("B", "one two three four")])
        )
    )
    (loc,) = apparatus.locations
    assert loc.lemma.empty and [r.type for r in loc.readings] == [VariantType.LACUNA]


def test_witnesses_without_gaps_are_left_as_they_are():
    apparatus = build_apparatus(align_witnesses([witness("A", "one two"), witness("B", "one")]))
    assert with_lacunae(apparatus) is apparatus
    assert with_lacunae(with_lacunae(apparatus)) == apparatus


def test_a_fragment_lacks_its_missing_beginning_and_end_but_omits_a_short_one():
    """A witness whose text begins or ends a long way (``MIN_SPAN`` columns or more) from the others' is a
    fragment there: every entry in that stretch, not only the span over it, types its absence a lacuna.
    A witness that merely lacks the first or last word omits it."""
    words = "one two three four five six seven eight nine ten"
    fragment = with_lacunae(build_apparatus(align_witnesses([witness("A", words), witness("B", "eight nine")])))
    assert gap_columns(fragment.alignment)[1] == frozenset(range(7))  # not column 9: "ten" is one word
    empty = {(e.start, r.type) for e in fragment.entries for r in e.all_readings if r.empty and "B" in r.sigla}
    assert {kind for start, kind in empty if start < 7} == {VariantType.LACUNA}
    assert {kind for start, kind in empty if start == 9} == {VariantType.OMISSION}
    short = build_apparatus(align_witnesses([witness("A", "one two three"), witness("B", "two three")]))
    assert gap_columns(short.alignment)[1] == frozenset()
    (loc,) = with_lacunae(short).locations
    assert [r.type for r in loc.readings] == [VariantType.OMISSION]
