"""Grouping the alignment into variant locations, and typing each reading against the lemma."""

import pytest

from collate.errors import UsageError
from collate.engine.model import Segment, VariantLocation, VariantType
from collate.engine.variants import build_apparatus

from .helpers import table


def locations(texts, base=None):
    return build_apparatus(table(texts), base).locations


def test_every_type_of_variant():
    cases = {
        ("the black cat", "the white cat"): VariantType.SUBSTANTIVE,
        ("the black cat", "the cat"): VariantType.OMISSION,
        ("the cat", "the black cat"): VariantType.ADDITION,
        ("The cat", "the cat"): VariantType.ORTHOGRAPHIC,
        ("the cat, sat", "the cat sat"): VariantType.PUNCTUATION,
        ("the cat. sat", "the cat; sat"): VariantType.PUNCTUATION,
    }
    for (a, b), expected in cases.items():
        (loc,) = locations({"A": a, "B": b})
        assert loc.type is expected, (a, b)
        assert loc.readings[0].type is expected


def test_transposition_is_typed_on_both_halves():
    a = "one two three four five six seven eight nine ten eleven twelve"
    b = "one two six seven eight three four five nine ten eleven twelve"
    locs = locations({"A": a, "B": b})
    moved = [loc for loc in locs if loc.type is VariantType.TRANSPOSITION]
    assert len(moved) == 2
    assert {loc.transposition for loc in moved} == {0}


def test_lemma_comes_from_the_base_witness_and_readings_carry_sigla():
    texts = {"A": "the black cat", "B": "the white cat", "C": "the white cat"}
    (loc,) = locations(texts)
    assert (loc.lemma.text, loc.lemma.sigla) == ("black", ("A",))
    assert [(r.text, r.sigla) for r in loc.readings] == [("white", ("B", "C"))]
    (loc,) = locations(texts, base="C")
    assert (loc.lemma.text, loc.lemma.sigla) == ("white", ("B", "C"))
    assert [(r.text, r.sigla) for r in loc.readings] == [("black", ("A",))]


def test_an_empty_lemma_is_an_addition_in_the_other_witnesses():
    (loc,) = locations({"A": "the cat", "B": "the black cat", "C": "the cat"}, base="A")
    assert loc.lemma.empty and loc.lemma.sigla == ("A", "C")
    assert loc.readings[0].text == "black" and loc.type is VariantType.ADDITION


def test_consecutive_disagreeing_columns_form_one_location_and_agreements_separate_them():
    app = build_apparatus(table({"A": "a b c d e f", "B": "a x y d e z"}))
    kinds = [type(p) for p in app.parts]
    assert kinds == [Segment, VariantLocation, Segment, VariantLocation]
    first = app.locations[0]
    assert (first.lemma.text, first.readings[0].text) == ("b c", "x y")
    assert [loc.number for loc in app.locations] == [1, 2]


def test_orthographic_columns_stand_apart_from_substantive_ones():
    app = build_apparatus(table({"A": "The black cat", "B": "the white cat"}))
    assert [loc.type for loc in app.locations] == [VariantType.ORTHOGRAPHIC, VariantType.SUBSTANTIVE]


def test_readings_are_printed_with_punctuation_set_as_in_print():
    (loc,) = locations({"A": "yes ( he said ) , no", "B": "yes no"})
    assert loc.lemma.text == "(he said),"


def test_an_unknown_base_is_refused():
    with pytest.raises(UsageError, match="unknown base witness 'Z'"):
        build_apparatus(table({"A": "a", "B": "b"}), "Z")


def test_identical_witnesses_have_no_variant_location():
    app = build_apparatus(table({"A": "It was the best of times.", "B": "It was the best of times."}))
    assert app.locations == ()
    assert [t.text for p in app.parts for t in p.tokens] == ["It", "was", "the", "best", "of", "times", "."]
