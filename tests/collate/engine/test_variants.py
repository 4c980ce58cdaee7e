"""Grouping the alignment into variant locations, and typing each reading against the lemma."""

import pytest

from collate.errors import UsageError
from collate.engine.model import Segment, VariantLocation, VariantType
from collate.engine.variants import build_apparatus

from .helpers import table


def locations(texts, base=None):
    return build_apparatus(table(texts), base).locations


def assert_types(cases):
    """Each pair of witnesses ``(A, B)`` makes one entry, typed as given, its one reading too."""
    for (a, b), expected in cases.items():
        (loc,) = locations({"A": a, "B": b})
        assert loc.type is expected, (a, b)
        assert loc.readings[0].type is expected, (a, b)


def test_every_type_of_variant():
    cases = {
        ("the black cat", "the white cat"): VariantType.SUBSTANTIVE,
        ("the black cat", "the cat"): VariantType.OMISSION,
        ("the cat", "the black cat"): VariantType.ADDITION,
        ("The cat", "the cat"): VariantType.ORTHOGRAPHIC,
        ("the cat, sat", "the cat sat"): VariantType.PUNCTUATION,
        ("the cat. sat", "the cat; sat"): VariantType.PUNCTUATION,
    }
    assert_types(cases)


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


def test_greek_accents_breathings_and_iota_subscripts_are_orthographic():
    cases = {
        ("καὶ πρὸς αὐτόν", "καὶ προς αὐτόν"): VariantType.ORTHOGRAPHIC,  # accent
        ("ἐν τῷ λόγῳ", "ἐν τῶ λόγῳ"): VariantType.ORTHOGRAPHIC,  # iota subscript left out
        ("ἐν τῷ λόγῳ", "ἐν τῶι λόγῳ"): VariantType.ORTHOGRAPHIC,  # written beside the vowel
        ("ἐν τῇ ἄρτῳ μόνῳ ζήσεται", "ἐν τῆ ἄρτωι μόνωι ζήσεται"): VariantType.ORTHOGRAPHIC,  # each word its way
        ("ἐν τῷ λόγῳ", "ἐν τὸ λόγῳ"): VariantType.SUBSTANTIVE,  # another vowel
        ("ὅτι ἦν", "οτι ἦν"): VariantType.ORTHOGRAPHIC,  # breathing and accent
        ("ὁ μέν λόγος", "ὁ μὲν λόγος"): VariantType.ORTHOGRAPHIC,  # acute and grave
        ("ἀτροφίᾳ τῆς", "ἀφία τῆς"): VariantType.SUBSTANTIVE,  # another word
        ("ἐκτείνασα", "ἐκτείνουσα"): VariantType.SUBSTANTIVE,
        # Marks that make another letter or word elsewhere still count.
        ("el año pasado", "el ano pasado"): VariantType.SUBSTANTIVE,
        ("sehr schön", "sehr schon"): VariantType.SUBSTANTIVE,
    }
    assert_types(cases)


def test_word_division_hyphenation_and_the_apostrophe_s_shape_are_orthographic():
    cases = {
        ("I said to myself that", "I said to my self that"): VariantType.ORTHOGRAPHIC,
        ("our fellow-beings are", "our fellow beings are"): VariantType.ORTHOGRAPHIC,
        ("a death-like sleep", "a deathlike sleep"): VariantType.ORTHOGRAPHIC,
        ("it generally continues to", "it generally con- tinues to"): VariantType.ORTHOGRAPHIC,
        ("my father’s house", "my father's house"): VariantType.ORTHOGRAPHIC,
        ("ἀλλὰ κἂν ὀλίγον", "ἀλλὰ κ’ἂν ὀλίγον"): VariantType.ORTHOGRAPHIC,  # crasis marked by an apostrophe
        ("I said to myself, that", "I said to my self that"): VariantType.PUNCTUATION,
        # An apostrophe that makes another word, and other letters, still count.
        ("and we'll go", "and well go"): VariantType.SUBSTANTIVE,
        ("a death-like sleep", "a deadlike sleep"): VariantType.SUBSTANTIVE,
    }
    assert_types(cases)


def test_a_greek_reading_that_differs_in_punctuation_and_accents_only_is_a_punctuation_variant():
    (loc,) = locations({"A": "ὡς, φησίν, ὁ", "B": "ὡς φησὶν ὁ", "C": "ὡς φησὶ ὁ"})
    assert loc.lemma.text == ", φησίν,"
    assert [(r.text, r.type) for r in loc.readings] == [
        ("φησὶν", VariantType.PUNCTUATION),
        ("φησὶ", VariantType.SUBSTANTIVE),
    ]


def test_a_column_that_differs_only_in_greek_accents_stands_apart_from_a_substantive_one():
    app = build_apparatus(table({"A": "καὶ πρὸς αὐτόν λέγει", "B": "καὶ προς ἑαυτόν λέγει"}))
    assert [(loc.lemma.text, loc.readings[0].text, loc.type) for loc in app.locations] == [
        ("πρὸς", "προς", VariantType.ORTHOGRAPHIC),
        ("αὐτόν", "ἑαυτόν", VariantType.SUBSTANTIVE),
    ]


def test_a_column_that_differs_only_in_hyphenation_stands_apart_from_a_substantive_one():
    app = build_apparatus(table({"A": "a death-like black sleep", "B": "a deathlike white sleep"}))
    assert [(loc.lemma.text, loc.readings[0].text, loc.type) for loc in app.locations] == [
        ("death-like", "deathlike", VariantType.ORTHOGRAPHIC),
        ("black", "white", VariantType.SUBSTANTIVE),
    ]


def test_readings_are_shown_as_the_witness_writes_them():
    (loc,) = locations({"A": "yes ( he said ) , no", "B": "yes no"})
    assert loc.lemma.text == "( he said ) ,"
    (loc,) = locations({"A": "it continues to vary", "B": "it con- tinues to vary"})
    assert loc.readings[0].text == "con- tinues"  # not "con - tinues"


def test_an_unknown_base_is_refused():
    with pytest.raises(UsageError, match="unknown base witness 'Z'"):
        build_apparatus(table({"A": "a", "B": "b"}), "Z")


def test_identical_witnesses_have_no_variant_location():
    app = build_apparatus(table({"A": "It was the best of times.", "B": "It was the best of times."}))
    assert app.locations == ()
    assert [t.text for p in app.parts for t in p.tokens] == ["It", "was", "the", "best", "of", "times", "."]


# --- independent neighbouring variants and long absences (Frankenstein, Severianus: fragmentary witnesses)

PASSAGE = "the dead calmness of inaction and certainty which follows deprived the soul of hope and fear"


def test_independent_neighbouring_variants_are_separate_entries():
    locs = locations({"A": "I wandered lonely as a cloud", "B": "I wander'd lonely as a cloud", "C": "I wandered as a cloud"})
    assert [(loc.lemma.text, [(r.text, r.sigla, r.type) for r in loc.readings]) for loc in locs] == [
        ("wandered", [("wander'd", ("B",), VariantType.SUBSTANTIVE)]),
        ("lonely", [("", ("C",), VariantType.OMISSION)]),
    ]


def test_an_addition_that_varies_stays_one_entry():
    (loc,) = locations({"A": "the cat sat", "B": "the cat and dog sat", "C": "the cat and mouse sat"})
    assert [(r.text, r.sigla) for r in loc.readings] == [("and dog", ("B",)), ("and mouse", ("C",))]


def test_a_long_absence_is_one_entry_and_the_variation_inside_stays_visible():
    texts = {
        "A": f"Begin here. {PASSAGE}. End there.",
        "B": f"Begin here. {PASSAGE.replace('calmness', 'calmnesse').replace('hope', 'hopes')}. End there.",
        "C": f"Begin here. {PASSAGE.replace('certainty', 'certitude')}. End there.",
        "M": "Begin here. End there.",  # a fragmentary manuscript that lacks the passage
    }
    app = build_apparatus(table(texts), "A")
    (span,) = app.spans
    assert span.span and span.type is VariantType.OMISSION
    assert span.lemma.text == PASSAGE + "." and span.lemma.sigla == ("A", "B", "C")
    assert [(r.text, r.sigla, r.type) for r in span.readings] == [("", ("M",), VariantType.OMISSION)]
    inner = [loc for loc in app.locations if span.start <= loc.start and loc.end <= span.end]
    assert [(loc.lemma.text, [(r.text, r.sigla) for r in loc.readings]) for loc in inner] == [
        ("calmness", [("calmnesse", ("B",))]),
        ("certainty", [("certitude", ("C",))]),
        ("hope", [("hopes", ("B",))]),
    ]
    assert all(loc.absent == ("M",) for loc in inner)
    # In reading order, the outer entry comes first; numbers are unique.
    assert [e.number for e in app.entries] == list(range(1, len(app.entries) + 1))
    assert app.entries[0] is span


def test_a_witness_that_begins_late_is_a_lacuna_not_an_omission():
    texts = {
        "A": f"{PASSAGE} and then the end of it all",
        "B": f"{PASSAGE.replace('soul', 'spirit')} and then the end of it all",
        "F": "and then the end of it all",  # the fragment begins here
    }
    app = build_apparatus(table(texts), "A")
    (span,) = app.spans
    assert span.type is VariantType.LACUNA
    assert [(r.sigla, r.type) for r in span.readings] == [(("F",), VariantType.LACUNA)]
    (inner,) = [loc for loc in app.locations if loc.absent]
    assert (inner.lemma.text, inner.readings[0].text) == ("soul", "spirit")


def test_a_span_the_base_lacks_is_an_addition_with_the_others_grouped_inside():
    texts = {"M": "Begin. End.", "A": f"Begin. {PASSAGE}. End.", "B": f"Begin. {PASSAGE.replace('fear', 'dread')}. End."}
    app = build_apparatus(table(texts), "M")
    (span,) = app.spans
    assert span.type is VariantType.ADDITION and span.lemma.empty and span.lemma.sigla == ("M",)
    (inner,) = [loc for loc in app.locations if loc.absent == ("M",)]
    # The base has nothing there: the reading most witnesses share (ties: first siglum) is the lemma.
    assert (inner.lemma.text, inner.lemma.sigla, inner.readings[0].text) == ("fear", ("A",), "dread")
