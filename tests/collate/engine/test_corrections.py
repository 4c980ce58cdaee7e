"""The editor's corrections: keys that find their place by words, and each kind applied to the apparatus."""

from __future__ import annotations

import pytest

from collate.engine.corrections import apply_corrections, correction_fields, find
from collate.engine.model import Alignment, Correction, Segment, VariantLocation, VariantType
from collate.engine.tokens import make_tokens
from collate.engine.variants import build_apparatus

from .helpers import BASE_GIVEN_WHOLE, rows, table, witness

TEXTS = {
    "A": "the quick brown fox jumps over the lazy dog today and the cat sleeps",
    "B": "the quick red fox leaps over the lazy cat today and the cat sleeps",
    "C": "the slow brown fox jumps over a lazy dog today and the cat sleeps",
}


def apparatus(texts=TEXTS, base="A"):
    return build_apparatus(table(texts), base)


def entry(app, lemma_text):
    (found,) = [loc for loc in app.locations if loc.lemma.text == lemma_text]
    return found


def summary(app):
    return [(loc.lemma.text, sorted((r.text, r.sigla) for r in loc.readings)) for loc in app.locations]


def note(words, before="", after="", text="a note", **more):
    return Correction(1, "note", words=words, before=before, after=after, note=text, **more)


# ------------------------------------------------------------------------------------------------ keys


def test_a_key_is_matched_token_by_token_with_whitespace_ignored():
    tokens = make_tokens("plants, and animals; plants and animals", "A")
    assert find(tokens, "", "plants , and", "") == [(0, 3)]
    assert find(tokens, "", "plants,and", "animals;") == [(0, 3)]
    assert find(tokens, "", "plants and", "") == [(5, 7)]
    assert find(tokens, "", "lants", "") == []  # inside a word: no token boundary
    assert find(tokens, "", "animals", "") == [(3, 4), (7, 8)]


def test_a_note_lands_on_its_entry_and_the_others_are_untouched():
    app = apparatus()
    out = apply_corrections(app, [note("dog", "the lazy", "today", "B reads cat")])
    assert out.refused == ()
    assert entry(out, "dog").notes == ("B reads cat",)
    assert summary(out) == summary(app)
    assert [loc.number for loc in out.locations] == [loc.number for loc in app.locations]


def test_a_correction_still_applies_after_an_unrelated_edit_elsewhere_in_a_witness():
    fix = note("dog", "the lazy", "today", "B reads cat")
    changed = dict(TEXTS, A="the quick brown fox jumps far over the lazy dog today and the cat sleeps soundly")
    before = apply_corrections(apparatus(), [fix])
    after = apply_corrections(apparatus(changed), [fix])
    assert after.refused == ()
    assert entry(after, "dog").notes == entry(before, "dog").notes == ("B reads cat",)
    assert entry(after, "dog").number != entry(before, "dog").number  # the numbers moved; the key did not care


def test_a_correction_whose_own_words_changed_is_refused_by_name():
    fix = Correction(4, "note", words="dog", before="the lazy", after="today", note="x", source="corrections.toml", line=12)
    changed = dict(TEXTS, A="the quick brown fox jumps over the lazy hound today and the cat sleeps")
    out = apply_corrections(apparatus(changed), [fix])
    (refusal,) = out.refused
    assert refusal.correction is fix
    assert refusal.message.startswith('corrections.toml:12: correction 4 (note "dog"): its words no longer stand in A')
    assert all(not loc.notes for loc in out.locations)
    assert summary(out) == summary(apparatus(changed))  # nothing else moved


def test_an_ambiguous_key_is_refused_and_more_context_resolves_it():
    out = apply_corrections(apparatus(), [note("the", text="x")])
    (refusal,) = out.refused
    assert "ambiguous" in refusal.reason and "3 times" in refusal.reason
    out = apply_corrections(apparatus(), [note("the", "over", "lazy", text="x")])
    assert out.refused == ()
    assert entry(out, "the").notes == ("x",)


def test_a_key_on_agreeing_words_is_refused():
    out = apply_corrections(apparatus(), [note("sleeps", "the cat", "")])
    assert "alike" in out.refused[0].reason


def test_an_unknown_witness_is_refused():
    out = apply_corrections(apparatus(), [note("dog", witness="Z")])
    assert "no witness 'Z'" in out.refused[0].reason


def test_an_empty_base_reading_is_keyed_by_its_context():
    app = apparatus({"A": "the cat sat on the mat", "B": "the black cat sat on the mat"})
    out = apply_corrections(app, [note("", "the", "cat", text="B adds")])
    assert out.refused == ()
    (loc,) = out.locations
    assert loc.lemma.text == "" and loc.notes == ("B adds",)


# --------------------------------------------------------------------------------------------- kinds


def test_merge_joins_neighbouring_entries_with_the_agreement_between():
    app = apparatus()
    fix = Correction(1, "merge", words="quick brown", before="the", after="fox", entries=("quick", "brown"))
    out = apply_corrections(app, [fix])
    assert out.refused == ()
    merged = entry(out, "quick brown")
    assert sorted((r.text, r.sigla) for r in merged.readings) == [("quick red", ("B",)), ("slow brown", ("C",))]
    assert len(out.locations) == len(app.locations) - 1
    assert [loc.number for loc in out.locations] == list(range(1, len(out.locations) + 1))
    wider = Correction(2, "merge", words="jumps over the", before="fox", after="lazy", entries=("jumps", "the"))
    out = apply_corrections(app, [wider])
    assert entry(out, "jumps over the").readings[0].text in ("leaps over the", "jumps over a")


def test_merge_refuses_when_the_entries_there_changed():
    fix = Correction(1, "merge", words="quick brown", before="the", after="fox", entries=("quick", "brown"))
    changed = dict(TEXTS, C="the quick brown fox jumps over a lazy dog today and the cat sleeps")
    out = apply_corrections(apparatus(changed), [fix])
    assert "no longer read" in out.refused[0].reason


def test_split_per_column_and_at_a_word_undo_a_merge():
    app = apparatus()
    merged = apply_corrections(app, [Correction(1, "merge", words="quick brown", before="the", after="fox",
                                                entries=("quick", "brown"))])
    for fix in (Correction(2, "split", words="quick brown", before="the", after="fox"),
                Correction(2, "split", words="quick brown", before="the", after="fox", at=("brown",))):
        out = apply_corrections(merged, [fix])
        assert out.refused == ()
        assert summary(out) == summary(app)


def test_split_refuses_a_word_that_is_not_in_the_entry():
    merged = apply_corrections(apparatus(), [Correction(1, "merge", words="quick brown", before="the", after="fox",
                                                        entries=("quick", "brown"))])
    out = apply_corrections(merged, [Correction(2, "split", words="quick brown", before="the", after="fox", at=("fox",))])
    assert "not among" in out.refused[0].reason


def test_split_per_column_gives_agreeing_columns_back_to_the_text():
    app = apparatus()
    merged = apply_corrections(app, [Correction(1, "merge", words="jumps over the", before="fox", after="lazy",
                                                entries=("jumps", "the"))])
    assert len(merged.locations) == len(app.locations) - 1
    out = apply_corrections(merged, [Correction(2, "split", words="jumps over the", before="fox", after="lazy")])
    assert out.refused == ()
    assert summary(out) == summary(app)
    over = [p for p in out.parts if p.start <= 5 < p.end]
    assert isinstance(over[0], Segment) and [t.text for t in over[0].tokens] == ["over"]


def test_lemma_chooses_a_reading_and_retypes_the_others_against_it():
    out = apply_corrections(apparatus(), [Correction(1, "lemma", words="jumps", before="fox", after="over",
                                                     lemma="leaps", lemma_witness="B")])
    assert out.refused == ()
    loc = entry(out, "leaps")
    assert loc.chosen and loc.lemma.sigla == ("B",) and loc.lemma.type is None
    assert [(r.text, r.sigla, r.type) for r in loc.readings] == [("jumps", ("A", "C"), VariantType.SUBSTANTIVE)]


def test_lemma_may_choose_an_omission():
    app = apparatus({"A": "the black cat sat", "B": "the cat sat", "C": "the cat sat"})
    out = apply_corrections(app, [Correction(1, "lemma", words="black", before="the", after="cat", lemma="")])
    (loc,) = out.locations
    assert loc.chosen and loc.lemma.text == "" and loc.readings[0].type is VariantType.ADDITION


def test_lemma_refuses_a_reading_that_is_not_there():
    out = apply_corrections(apparatus(), [Correction(1, "lemma", words="jumps", before="fox", after="over", lemma="hops")])
    assert 'no reading "hops"' in out.refused[0].reason
    out = apply_corrections(apparatus(), [Correction(1, "lemma", words="jumps", before="fox", after="over",
                                                     lemma="leaps", lemma_witness="C")])
    assert "C does not read" in out.refused[0].reason


def test_lemma_refuses_an_entry_inside_a_passage_the_base_gives_whole():
    """W0 reads "tbe tbe" where W1 and W2 have nothing and W3 and W4 differ from each other: the entries
    inside compare W3 and W4 only, and every output gives W0's own text of the passage whole. A lemma
    chosen there would have put W4's "mat" into W0's text in the external encodings (read back as W0's)."""
    from tei.importer import import_apparatus
    from tei.writer import render

    app = build_apparatus(table(BASE_GIVEN_WHOLE), "W0")
    (whole,) = [s for s in app.spans if s.gives_base_whole("W0")]
    inner = [loc for loc in app.locations if whole.start <= loc.start and loc.end <= whole.end and not loc.span]
    assert [(loc.lemma.text, loc.readings[0].text) for loc in inner][:1] == [("sat", "mat")]
    out = apply_corrections(app, [Correction(1, "lemma", witness="W4", words="mat", lemma="mat", lemma_witness="W4")])
    (refusal,) = out.refused
    assert "inside a passage that W0 reads in a text of its own" in refusal.reason
    assert not any(loc.chosen for loc in out.locations)
    for encoding in ("parallel-segmentation", "double-end-point", "location-referenced"):
        back = import_apparatus(render(out, encoding=encoding).encode(), path="a.xml")
        for original, read in zip(out.alignment.witnesses, back.alignment.witnesses):
            assert [t.text for t in read.tokens] == [t.text for t in original.tokens], (encoding, original.siglum)


def misaligned():
    """B's "grey" stands under A's "great" instead of under A's "grey"."""
    a, b = witness("A", "the great grey cat sat"), witness("B", "the grey cat sat")
    return Alignment((a, b), ((0, 0), (1, 1), (2, None), (3, 2), (4, 3)))


def test_move_shifts_a_witness_reading_and_the_entries_are_regrouped():
    app = build_apparatus(misaligned(), "A")
    assert summary(app) == [("great grey", [("grey", ("B",))])]
    out = apply_corrections(app, [Correction(1, "move", witness="B", words="grey", before="the", after="cat", to="right")])
    assert out.refused == ()
    assert rows(out.alignment)["B"] == ["the", None, "grey", "cat", "sat"]
    assert summary(out) == [("great", [("", ("B",))])]
    assert entry(out, "great").type is VariantType.OMISSION


def test_move_into_an_occupied_column_is_refused_and_a_move_removes_emptied_columns():
    app = build_apparatus(misaligned(), "A")
    once = apply_corrections(app, [Correction(1, "move", witness="B", words="grey", before="the", after="cat", to="right")])
    again = apply_corrections(once, [Correction(1, "move", witness="B", words="grey", before="the", after="cat", to="right")])
    assert "already stands" in again.refused[0].reason
    a, b = witness("A", "x y"), witness("B", "x y")
    split = Alignment((a, b), ((0, 0), (1, None), (None, 1)))
    out = apply_corrections(build_apparatus(split, "A"), [Correction(1, "move", witness="B", words="y", before="x", to="left")])
    assert len(out.alignment.columns) == 2 and out.locations == ()


def test_phases_apply_moves_first_then_merges_then_notes_keyed_to_the_merged_entry():
    fixes = [
        Correction(1, "note", words="quick brown", before="the", after="fox", note="one entry now"),
        Correction(2, "merge", words="quick brown", before="the", after="fox", entries=("quick", "brown")),
    ]
    out = apply_corrections(apparatus(), fixes)
    assert out.refused == ()
    assert entry(out, "quick brown").notes == ("one entry now",)
    assert out.corrections == tuple(fixes)


def test_fields_round_trip_what_the_file_says():
    fix = Correction(1, "lemma", witness="A", words="jumps", before="fox", after="over", lemma="leaps")
    assert correction_fields(fix) == {"kind": "lemma", "witness": "A", "before": "fox", "words": "jumps",
                                      "after": "over", "lemma": "leaps"}


@pytest.mark.parametrize("kind", ["merge", "split", "lemma", "note"])
def test_no_correction_changes_nothing_else(kind):
    app = apparatus()
    out = apply_corrections(app, [Correction(1, kind, words="zzz", entries=("a", "b"), note="n", lemma="x")])
    assert len(out.refused) == 1
    assert summary(out) == summary(app)
