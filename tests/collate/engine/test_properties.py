"""Properties of every collation, checked on random witnesses."""

import itertools

from hypothesis import given, settings
from hypothesis import strategies as st

from collate.engine.graph import align_witnesses
from collate.engine.variants import build_apparatus

from .helpers import witness

WORDS = ["the", "cat", "black", "sat", "on", "mat", "a", "The", "tbe", ",", ".", ";", "Ἐν", "naïve"]

texts = st.lists(st.sampled_from(WORDS), min_size=0, max_size=25).map(" ".join)
witness_sets = st.lists(texts, min_size=2, max_size=5)


def signature(apparatus):
    """Variant locations as sets of readings with their sigla: independent of witness order."""
    return [
        (loc.start, loc.end, loc.lemma.text, frozenset((r.text, frozenset(r.sigla)) for r in loc.readings))
        for loc in apparatus.locations
    ]


@settings(max_examples=150, deadline=None)
@given(witness_sets)
def test_every_token_of_every_witness_appears_once_in_order(raw):
    ws = [witness(f"W{k}", t) for k, t in enumerate(raw)]
    alignment = align_witnesses(ws)
    for k, w in enumerate(ws):
        seen = [c[k] for c in alignment.columns if c[k] is not None]
        assert seen == list(range(len(w.tokens)))
    assert all(any(i is not None for i in c) for c in alignment.columns)


@settings(max_examples=100, deadline=None)
@given(texts.filter(str.strip))
def test_a_witness_against_itself_has_no_variants(text):
    apparatus = build_apparatus(align_witnesses([witness("A", text), witness("B", text)]))
    assert apparatus.locations == ()
    assert not apparatus.alignment.transpositions


@settings(max_examples=60, deadline=None)
@given(st.lists(texts, min_size=3, max_size=4))
def test_the_result_does_not_depend_on_the_order_of_the_witnesses(raw):
    ws = [witness(f"W{k}", t) for k, t in enumerate(raw)]
    reference = signature(build_apparatus(align_witnesses(ws), "W0"))
    for order in itertools.permutations(ws):
        assert signature(build_apparatus(align_witnesses(list(order)), "W0")) == reference


@settings(max_examples=60, deadline=None)
@given(witness_sets)
def test_locations_cover_exactly_the_disagreeing_columns(raw):
    ws = [witness(f"W{k}", t) for k, t in enumerate(raw)]
    apparatus = build_apparatus(align_witnesses(ws))
    covered = [0] * len(apparatus.alignment.columns)
    for part in apparatus.parts:
        for c in range(part.start, part.end):
            covered[c] += 1
    assert covered == [1] * len(covered)
    # Every entry accounts for every witness once: by a reading, or (inside a span, an outer entry over a
    # long absence) as absent, the span itself citing it.
    for loc in apparatus.entries:
        sigla = [s for r in loc.all_readings for s in r.sigla] + list(loc.absent)
        assert sorted(sigla) == sorted(w.siglum for w in ws)
    for span in apparatus.spans:
        inside = [e for e in apparatus.entries if e is not span and span.start <= e.start and e.end <= span.end]
        assert inside, "a span holds the entries of the variation inside it"
        absent = {s for r in span.all_readings if r.empty for s in r.sigla}
        assert all(absent <= set(e.absent) for e in inside)
