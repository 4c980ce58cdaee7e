"""Properties of every collation, checked on random witnesses."""

import itertools

from hypothesis import example, given, settings
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
# Found by this test: W1 and W2 lack what W0 alone reads and differ beside it. Their absence is an entry of
# its own, which once came out as a span with nothing inside it.
@example(["the the the the the the black", "the", "cat"])
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


# A tradition of more witnesses than FIXED_FROM: noisy copies of one text, so that the table is fixed and
# the later witnesses' additions, omissions and moves go through the place-by-place alignment.
def _tradition(base: list[str], edits: list[list[tuple[int, int, str]]]) -> list[str]:
    out = []
    for changes in edits:
        words = list(base)
        for kind, at, word in changes:
            at %= max(1, len(words))
            if kind == 0:
                words.insert(at, word)  # an addition
            elif kind == 1 and words:
                del words[at]  # an omission
            elif kind == 2 and words:
                words[at] = word  # a substitution
            elif words:
                words.insert((at + 7) % len(words), words.pop(at))  # a word moved on
        out.append(" ".join(words))
    return out


edit = st.tuples(st.integers(0, 3), st.integers(0, 40), st.sampled_from(WORDS))
traditions = st.tuples(
    st.lists(st.sampled_from(WORDS), min_size=10, max_size=30),
    st.lists(st.lists(edit, max_size=3), min_size=52, max_size=60),
)


@settings(max_examples=12, deadline=None)
@given(traditions, st.randoms(use_true_random=False))
def test_a_fixed_table_keeps_every_token_once_in_order_and_does_not_depend_on_the_order(tradition, rng):
    from collate.engine.graph import FIXED_FROM

    texts = _tradition(*tradition)
    assert len(texts) > FIXED_FROM
    ws = [witness(f"W{k:02d}", t) for k, t in enumerate(texts)]
    alignment = align_witnesses(ws)
    for k, w in enumerate(ws):
        assert [c[k] for c in alignment.columns if c[k] is not None] == list(range(len(w.tokens)))
    assert all(any(i is not None for i in c) for c in alignment.columns)
    shuffled = list(ws)
    rng.shuffle(shuffled)
    again = align_witnesses(shuffled)
    place = [shuffled.index(w) for w in ws]
    assert [tuple(c[p] for p in place) for c in again.columns] == list(alignment.columns)
    assert {(t.source, t.target, t.links) for t in again.transpositions} == {
        (t.source, t.target, t.links) for t in alignment.transpositions
    }
