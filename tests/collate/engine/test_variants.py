"""Grouping the alignment into variant locations, and typing each reading against the lemma."""

import pytest

from collate.errors import UsageError
from collate.engine.model import Segment, VariantLocation, VariantType
from collate.engine.variants import build_apparatus

from collate.engine.graph import align_witnesses

from .helpers import table, witness


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
    (loc,) = locations({"A": "ὡς, φησίν, ὁ", "B": "ὡς φησὶν ὁ", "C": "ὡς φασὶ ὁ"})
    assert loc.lemma.text == ", φησίν,"
    assert [(r.text, r.type) for r in loc.readings] == [
        ("φησὶν", VariantType.PUNCTUATION),
        ("φασὶ", VariantType.SUBSTANTIVE),
    ]


def test_greek_euphonic_letters_are_orthographic_and_a_final_nu_that_makes_another_form_is_not():
    cases = {
        ("καὶ ἔλεγεν αὐτοῖς", "καὶ ἔλεγε αὐτοῖς"): VariantType.ORTHOGRAPHIC,  # a verb's movable nu
        ("οἱ λέγουσιν ὅτι", "οἱ λέγουσι ὅτι"): VariantType.ORTHOGRAPHIC,
        ("ὁ θεὸς δείκνυσιν ἡμῖν", "ὁ θεὸς δείκνυσι ἡμῖν"): VariantType.ORTHOGRAPHIC,
        ("τοῦτο ἐστὶν ὃ", "τοῦτο ἐστὶ ὃ"): VariantType.ORTHOGRAPHIC,
        ("καὶ φησὶν ὁ", "καὶ φησί ὁ"): VariantType.ORTHOGRAPHIC,
        ("τοῖς πᾶσιν ἀνθρώποις", "τοῖς πᾶσι ἀνθρώποις"): VariantType.ORTHOGRAPHIC,
        ("καὶ οὕτως ἔσται", "καὶ οὕτω ἔσται"): VariantType.ORTHOGRAPHIC,  # movable sigma
        ("ἦλθεν ἐξ αὐτοῦ", "ἦλθεν ἐκ αὐτοῦ"): VariantType.ORTHOGRAPHIC,
        # A final nu that makes another form still counts.
        ("ἡ σοφία λέγει", "ἡ σοφίαν λέγει"): VariantType.SUBSTANTIVE,  # the accusative
        ("τὴν γνῶσιν ἔχει", "τὴν γνῶσι ἔχει"): VariantType.SUBSTANTIVE,
        ("ὁ μὲν λόγος", "ὁ με λόγος"): VariantType.SUBSTANTIVE,
        ("καὶ οὐδὲν ἦν", "καὶ οὐδὲ ἦν"): VariantType.SUBSTANTIVE,
        ("οὐ γὰρ ἦν", "οὖν γὰρ ἦν"): VariantType.SUBSTANTIVE,
        ("ἐν τῷ λόγῳ", "ἐ τῷ λόγῳ"): VariantType.SUBSTANTIVE,
    }
    assert_types(cases)


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


MOVED = {
    "a": "The black cat sat quietly on the old mat, and the dog slept by the door. It was a good day.",
    "b": "The black cat sat quietly on the old mat and the dog lay by the door. It was a good day.",
    "c": "And the dog slept by the door; the black cat sat quietly on the old mat. It was a good day.",
    "d": "The black cat sat quietly on the old mat. It was a good day.",  # leaves the clause out
}


def test_a_moved_passage_the_others_vary_in_is_an_outer_entry_with_the_variants_inside():
    app = build_apparatus(table(MOVED), "a")
    (t,) = app.alignment.transpositions
    (span,) = app.spans
    # The move is one decision: the passage as a and b have it here, c has it elsewhere, d not at all.
    assert span.transposition == 0 and span.type is VariantType.TRANSPOSITION
    assert (span.start, span.end) == t.source
    assert (span.lemma.text, span.lemma.sigla) == ("and the dog slept by the door", ("a", "b"))
    assert [(r.text, r.sigla, r.type) for r in span.readings] == [
        ("", ("c",), VariantType.TRANSPOSITION),
        ("", ("d",), VariantType.OMISSION),
    ]
    # b's word inside it is another: typed for itself, not "and the dog slept …] and the dog lay … b".
    inner = [loc for loc in app.locations if span.start <= loc.start and loc.end <= span.end]
    assert [(loc.lemma.text, [(r.text, r.sigla, r.type) for r in loc.readings], loc.absent) for loc in inner] == [
        ("slept", [("lay", ("b",), VariantType.SUBSTANTIVE)], ("c", "d")),
    ]
    assert inner[0].transposition is None
    # The other half is still linked to it.
    (other,) = [e for e in app.entries if e.transposition == 0 and e is not span]
    assert (other.start, other.end) == t.target and not other.span
    assert [(r.text, r.sigla, r.type) for r in other.readings] == [
        ("And the dog slept by the door", ("c",), VariantType.TRANSPOSITION)
    ]
    assert [e.number for e in app.entries] == list(range(1, len(app.entries) + 1))


def test_a_moved_passage_read_alike_stays_one_entry_and_a_mere_omission_is_not_a_move():
    texts = dict(MOVED, b=MOVED["a"])
    app = build_apparatus(table(texts), "a")
    assert not app.spans
    (loc,) = [loc for loc in app.locations if loc.transposition is not None and loc.lemma.text]
    assert [(r.text, r.sigla, r.type) for r in loc.readings] == [
        ("", ("c",), VariantType.TRANSPOSITION),
        ("", ("d",), VariantType.OMISSION),
    ]


def test_what_a_witness_keeps_of_a_moved_passage_is_given_whole_in_the_outer_entry():
    # A fifth witness e with two of the passage's seven words where a and b have it ("mat the dog."),
    # placed in the table by hand: the aligner would rather cut the move in two.
    from dataclasses import replace

    from collate.engine.model import Alignment

    aligned = table(MOVED)
    d = aligned.sigla.index("d")
    e = witness("e", "The black cat sat quietly on the old mat the dog. It was a good day.")
    (t,) = aligned.transpositions
    words = [aligned.cell(c, 0).text if aligned.cell(c, 0) else None for c in range(*t.source)]
    assert words == ["and", "the", "dog", "slept", "by", "the", "door"]
    kept = {t.source[0] + 1: 9, t.source[0] + 2: 10}  # e's "the" and "dog"
    columns = tuple(
        (*column, kept.get(c, None if column[d] is None else column[d] + (2 if column[d] > 8 else 0)))
        for c, column in enumerate(aligned.columns)
    )
    t = replace(t, source_witnesses=(*t.source_witnesses, "e"))
    app = build_apparatus(Alignment((*aligned.witnesses, e), columns, (t,)), "a")
    (span,) = app.spans
    # The outer entry cites e's remnant whole, typed against the passage; the entries inside leave e
    # out, as they do the witnesses with nothing here.
    assert [(r.text, r.sigla, r.type) for r in span.readings] == [
        ("", ("c",), VariantType.TRANSPOSITION),
        ("", ("d",), VariantType.OMISSION),
        ("the dog", ("e",), VariantType.SUBSTANTIVE),
    ]
    inner = [loc for loc in app.locations if span.start <= loc.start and loc.end <= span.end]
    assert [(loc.lemma.text, loc.absent) for loc in inner] == [("slept", ("c", "d", "e"))]


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


def test_an_ampersand_is_typed_as_the_word_it_stands_for():
    # "&" is "and": where another witness has a comma, or "or", it is the same kind of variant as "and".
    locs = locations({
        "a": "every enjoyment which virtue, refinement of intellect, or taste could afford.",
        "b": "every enjoyment which virtue & refinement of intellect & taste could afford.",
        "c": "every enjoyment which virtue and refinement of intellect and taste could afford.",
    })
    assert [(loc.lemma.text, [(r.text, r.type) for r in loc.readings]) for loc in locs] == [
        (",", [("&", VariantType.ADDITION), ("and", VariantType.ADDITION)]),
        (", or", [("&", VariantType.SUBSTANTIVE), ("and", VariantType.SUBSTANTIVE)]),
    ]


def test_words_left_out_and_read_a_few_words_on_are_one_entry_in_another_order():
    # "with him" is too common to link as a move over eight words, but it is neither omitted nor added.
    before = "Safie was not to marry him, but to prepare to return "
    after = ". The generous nature of Safie was outraged by this command."
    locs = locations({
        "a": before + "with him to her own dear native country at last" + after,
        "b": before + "to her own dear native country at last with him" + after,
    })
    assert [(loc.lemma.text, [(r.text, r.type) for r in loc.readings]) for loc in locs] == [
        (
            "with him to her own dear native country at last",
            [("to her own dear native country at last with him", VariantType.TRANSPOSITION)],
        ),
    ]
    # Over four words it is a move: a passage of two words may move six, as CollateX's own
    # ``TranspositionFilter`` has it (three words for each word moved).
    locs = locations({
        "a": before + "with him to her native country" + after,
        "b": before + "to her native country with him" + after,
    })
    assert [(loc.lemma.text, [(r.text, r.type) for r in loc.readings], loc.transposition) for loc in locs] == [
        ("with him", [("", VariantType.TRANSPOSITION)], 0),
        ("", [("with him", VariantType.TRANSPOSITION)], 0),
    ]


def test_words_read_elsewhere_are_not_joined_over_other_variants():
    # Between the two places the witnesses differ again: one entry over them all would hide that.
    texts = {
        "a": "he would return with him to her own native country and then at once",
        "b": "he would return to her old native country and then at once with him",
    }
    locs = locations(texts)
    assert [loc.lemma.text for loc in locs] == ["with him", "own", ""]
    assert [r.type for loc in locs for r in loc.readings] == [
        VariantType.OMISSION, VariantType.SUBSTANTIVE, VariantType.ADDITION,
    ]
    # Nearer, the two words are linked as moved, and the substitution between stays an entry of its own.
    locs = locations({
        "a": "he would return with him to her own native country at once",
        "b": "he would return to her old native country with him at once",
    })
    assert [(loc.lemma.text, [r.type for r in loc.readings], loc.transposition) for loc in locs] == [
        ("with him", [VariantType.TRANSPOSITION], 0),
        ("own", [VariantType.SUBSTANTIVE], None),
        ("", [VariantType.TRANSPOSITION], 0),
    ]


@pytest.mark.parametrize(
    "a, b, lemma, reading",
    [
        # The passage moved four words on and one of its words changed: "whisper" is not omitted here and
        # added there.
        (
            "stone silver he in whisper and wagon river letter window it saddle",
            "whisper basket stone silver he in wagon river letter window it saddle",
            "stone silver he in whisper and",
            "whisper basket stone silver he in",
        ),
        # C15: the manuscript's rewording, "particular" for "particularly" (spelt otherwise) two words on.
        (
            "I found it particularly agreeable to me that summer",
            "I found it very agreable to me in particular that summer",
            "particularly agreeable to me",
            "very agreable to me in particular",
        ),
    ],
)
def test_a_word_replaced_here_and_read_a_few_words_on_is_one_entry(a, b, lemma, reading):
    locs = locations({"a": a, "b": b})
    assert [(loc.lemma.text, [(r.text, r.type) for r in loc.readings]) for loc in locs] == [
        (lemma, [(reading, VariantType.SUBSTANTIVE)]),
    ]


def test_two_substitutions_that_trade_a_common_word_stay_apart():
    # Darwin 1872: "with plants" / "of plants" and, a sentence on, "In" / "With". "with" stands in every
    # sentence of the chapter: two changes, not one word moved.
    filler = " ".join(f"word{k} with more{k}." for k in range(110))
    locs = locations({
        "a": filler + " It is so with plants when moved to another land. In time they change.",
        "b": filler + " It is so of plants when moved to another land. With time they change.",
    })
    assert [(loc.lemma.text, [r.text for r in loc.readings]) for loc in locs] == [("with", ["of"]), ("In", ["With"])]
    # The same word left out at one place and put in place of another at the other is one entry, however
    # common it is (Darwin 1869: "could they have" / "have they").
    filler = " ".join(f"word{k} have more{k}." for k in range(110))
    locs = locations({"a": filler + " How could they have known it?", "b": filler + " How have they known it?"})
    assert [(loc.lemma.text, [r.text for r in loc.readings]) for loc in locs] == [("could they have", ["have they"])]


def test_additions_of_their_own_at_one_place_are_one_entry_with_nothing_inside():
    # Two witnesses add two unrelated texts where the base has nothing: one entry, each text a reading of
    # its own, and no entry inside compares "orders" with "Thomas copy: … paragraphs".
    app = build_apparatus(table({
        "a": "reiterating his tyrannical mandate. A few days after, the Turk entered.",
        "c": "reiterating his tyrannical mandate. Thomas copy: pencil mark joins paragraphs. A few days after, the Turk entered.",
        "d": "reiterating his tyrannical mandate. orders. A few days after, the Turk entered.",
    }), "a")
    assert app.spans == ()
    (loc,) = app.locations
    assert [(r.text, r.sigla, r.type) for r in loc.readings] == [
        ("Thomas copy: pencil mark joins paragraphs.", ("c",), VariantType.ADDITION),
        ("orders.", ("d",), VariantType.ADDITION),
    ]


def test_inside_a_passage_the_base_lacks_only_near_copies_are_compared():
    # b and c add one sentence, c with a variant in it; d adds a text of its own at the same place.
    sentence = "and the old man walked slowly along the river bank until evening came"
    app = build_apparatus(table({
        "a": "Then it was over. The end.",
        "b": f"Then it was over. {sentence}. The end.",
        "c": f"Then it was over. {sentence.replace('slowly', 'quickly')}. The end.",
        "d": "Then it was over. Nothing more is written in this copy at all here. The end.",
    }), "a")
    (span,) = app.spans
    assert [(r.sigla, r.type) for r in span.readings] == [(("b", "c"), VariantType.ADDITION), (("d",), VariantType.ADDITION)]
    assert span.inner == ("b", "c")
    inside = [loc for loc in app.locations if span.start <= loc.start and loc.end <= span.end]
    assert [(loc.lemma.text, [(r.text, r.sigla) for r in loc.readings]) for loc in inside] == [
        ("slowly", [("quickly", ("c",))]),
    ]


def test_a_word_read_a_word_on_and_spelt_otherwise_is_one_entry_in_another_order():
    locs = locations({"a": "he saw the honourable man there", "b": "he saw the man honorable there"})
    assert [(loc.lemma.text, [(r.text, r.type) for r in loc.readings]) for loc in locs] == [
        ("honourable man", [("man honorable", VariantType.TRANSPOSITION)]),
    ]


def test_a_word_moved_into_another_words_column_types_only_the_move_as_a_transposition():
    # c moved "God" after "worth", where a reads "and" and b has nothing: b left "and" out (an omission),
    # c's "God" there is its move; neither is a transposition of "and".
    app = build_apparatus(table({
        "a": "he lessens the God the worth and Gideon lying near",
        "b": "he lessens the God the worth Gideon lying near",
        "c": "he lessens the worth the God Gideon lying near",
    }), "a")
    (entry,) = [loc for loc in app.locations if loc.lemma.text == "and"]
    assert [(r.text, r.sigla, r.type) for r in entry.readings] == [
        ("", ("b",), VariantType.OMISSION),
        ("God", ("c",), VariantType.TRANSPOSITION),
    ]


def test_a_variant_beside_a_passage_only_one_witness_reads_is_not_hidden_in_its_entry():
    # Frankenstein C15: 1831 rewrote the end of the sentence as a long passage of its own, the others read
    # "ran below my window", the manuscript "ran before my window". That variant is an entry of its own, not
    # a near-copy inside one long entry with 1831's passage.
    long = ("pursued its noisy way beneath. The same lulling sounds acted as a lullaby to my too keen "
            "sensations: when I placed my head upon my pillow, sleep crept over me")
    app = build_apparatus(table({
        "A": "the rushing of the Arve, which ran below my window. Then day came.",
        "B": "the rushing of the Arve, which ran below my window. Then day came.",
        "C": "the rushing of the Arve which ran before my window. Then day came.",
        "D": f"the rushing of the Arve, which {long}. Then day came.",
    }), "A")
    for entry in app.entries:
        texts = [r.text for r in entry.all_readings]
        assert not ("ran below my window" in texts and "ran before my window" in texts and entry.end - entry.start > 20)
    assert any(r.text.endswith("before my window") and "C" in r.sigla for e in app.entries for r in e.readings)


def test_a_passage_every_witness_lacks_or_is_given_whole_in_is_no_span():
    # Found by random witnesses: a long absence nested in a passage the base lacks, where the one witness
    # left is given whole, once made a span with no witness to read it, and building the apparatus failed.
    app = build_apparatus(table({
        "A": "; he in they for",
        "B": "are x41 x158 x117 x18 x18 x103 x144 x17 x131 x162 x32 x186 x10 x138 x109 x158 one x147 x89 x16 x33 "
             "x31 x23 x44 with at one x19 x148 x56 x197 x108 x143 x114",
        "C": "are at w16 w6 and ;",
        "D": "are . at w16 w6 x58 . for was x114 x96 x90 x8 x15 be x132 x41 that x182 x8 x69 x44 x156 x81 x20 "
             "x25 x104 x171 x153 x179 x167 x39 x139 x128 x28 x193 x67 x106 x81 x7 , x181 x144 x156",
        "E": "are x19 x183 x23 x176 . that x31 was x74 x7 x118 x153 at w16 w6 and",
    }), "A")
    for span in app.spans:
        assert any(not r.empty for r in span.all_readings)


def test_a_span_types_each_absent_witness_by_its_own_absence():
    # Severianus: a fragment with a gap where seven manuscripts omit a passage was typed lacuna for all eight.
    from ...tei.helpers import read, tei

    (b,) = read(tei("<p>In the beginning <gap reason='lost'/> there was light</p>"), path="B.xml")
    assert b.siglum == "B"
    others = [
        witness("A", "In the beginning God created the heaven and the earth and there was light"),
        witness("C", "In the beginning there was light"),
        witness("D", "In the beginning God made the heavens and the earth and there was light"),
    ]
    app = build_apparatus(align_witnesses([others[0], b, *others[1:]]), "A")
    (span,) = app.spans
    assert {(r.sigla, r.type) for r in span.readings} == {
        (("C",), VariantType.OMISSION),
        (("B",), VariantType.LACUNA),
    }
    assert span.type is VariantType.OMISSION


def test_a_span_whose_base_reads_a_mark_alone_is_a_punctuation_variant():
    # Frankenstein C15: the manuscript lacks a comma of the base and the passage two editions add after it;
    # the span ",] om. MS" is typed as an entry omitting a comma is (it was typed omission).
    base, added = "the cat , sat on the mat", "and then it went away into the garden behind the house"
    texts = {"A": base, "B": base.replace(", ", f", {added} "), "MS": base.replace(" ,", "")}
    texts["C"] = texts["B"]
    (span,) = build_apparatus(table(texts), "A").spans
    assert span.lemma.text == "," and span.type is VariantType.PUNCTUATION
    assert [(r.sigla, r.type) for r in span.readings] == [(("MS",), VariantType.PUNCTUATION)]
