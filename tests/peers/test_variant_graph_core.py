"""CollateX ``VariantGraphTest`` (Java core, package ``eu.interedition.collatex``): building, reading and
joining the variant graph.

Ported from ``collatex-core/src/test/java/eu/interedition/collatex/VariantGraphTest.java``. Edges become
the rows they imply; ``VariantGraph.JOIN`` (vertices merged along unbranching edges) becomes the segmented
table (``helpers.segment``), compared word by word on the original text. Edge counts are ported as the
alignment they force (``transpositions1``: 12 edges only if ``the``, ``and``, ``cat`` are shared and each
of ``black`` and ``white`` has two vertices).

Skipped (1):
    reconnectingVerticesYieldsSameEdge  Java API only: ``graph.connect`` twice returns the same edge object.
"""

from __future__ import annotations

import pytest

from .helpers import (
    Case,
    Holds,
    Rows,
    Segments,
    ONE_WITNESS,
    aligned,
    apart,
    check,
    check_links,
    judged,
    link_params,
    params,
    reads_back,
    segment,
    witnesses,
)

_PATH = witnesses("a b c d e f ", "x y z d e", "a b x y z")


def _segments_begin(expected: dict[str, list[str]]) -> Holds:
    def predicate(result) -> bool:
        rows = segment(result)
        for siglum, cells in expected.items():
            got = [None if c is None else " ".join(c).lower() for c in rows[siglum][: len(cells)]]
            if got != cells:
                return False
        return True

    return Holds(f"segmented rows begin {expected}", predicate)


def _red_cat(result) -> bool:
    """A's "red cat" is its own pair of vertices; B's and C's "red cat" are shared."""
    a, b, c = (result.sigla.index(s) for s in "ABC")

    def col(k, norm):
        return next(i for i, column in enumerate(result.columns) if column[k] and column[k][1] == norm)

    return (
        col(b, "red") == col(c, "red")
        and col(b, "cat") == col(c, "cat")
        and col(a, "red") != col(b, "red")
        and col(a, "cat") != col(b, "cat")
    )


_CASES = [
    Case(
        "VariantGraphTest.emptyGraph",
        (),
        (Holds("an empty table", lambda r: len(r.columns) == 0),),
    ),
    Case(
        "VariantGraphTest.getTokens",
        witnesses("a b c d"),
        (Rows({"A": "|a|b|c|d|"}),),
    ),
    Case(
        "VariantGraphTest.oneWitness",
        witnesses("only one witness"),
        (Rows({"A": "|only|one|witness|"}),),
    ),
    Case(
        # The path of witness A through the graph is a b c d e f.
        "VariantGraphTest.getPathForWitness",
        _PATH,
        (reads_back(_PATH),),
    ),
    Case(
        "VariantGraphTest.transpositions1",
        witnesses("the nice black and white cat", "the friendly white and black cat"),
        (aligned("the", "and", "cat"), apart("black", "white")),
    ),
    Case(
        "VariantGraphTest.transpositions2",
        witnesses(
            "The black dog chases a red cat.", "A red cat chases the black dog.", "A red cat chases the yellow dog"
        ),
        (Holds("A's 'red cat' stands apart from the 'red cat' B and C share", _red_cat),),
    ),
    Case(
        "VariantGraphTest.joinTwoIdenticalWitnesses",
        witnesses("the black cat", "the black cat"),
        (Segments({"A": ["the black cat"], "B": ["the black cat"]}),),
    ),
    Case(
        "VariantGraphTest.joinTwoDifferentWitnesses",
        witnesses("the nice black cat shared his food", "the bad white cat spilled his food again"),
        (
            Segments(
                {
                    "A": ["the", "nice black", "cat", "shared", "his food", None],
                    "B": ["the", "bad white", "cat", "spilled", "his food", "again"],
                }
            ),
        ),
    ),
    Case(
        "VariantGraphTest.joinTwoDifferentWitnesses2",
        witnesses("Blackie, the black cat", "Whitney, the white cat"),
        (Segments({"A": ["Blackie", ", the", "black", "cat"], "B": ["Whitney", ", the", "white", "cat"]}),),
    ),
    Case(
        # Asserted edges: start→voor (both), voor→zo→"nu en dan" (A), voor→zin2→"nu en dan" (B).
        "VariantGraphTest.joinTwoDifferentWitnessesWithTranspositions",
        witnesses("voor Zo nu en dan zin2 na voor", "voor zin2 Nu en dan voor"),
        (_segments_begin({"A": ["voor", "zo", "nu en dan"], "B": ["voor", "zin2", "nu en dan"]}),),
    ),
]


CASES = judged(
    _CASES,
    {
        "emptyGraph": ONE_WITNESS,
        "getTokens": ONE_WITNESS,
        "oneWitness": ONE_WITNESS,
    },
    links={"transpositions2": ("the", "black", "dog", "chases", "a", "red", "cat")},
    link_verdicts={
    },
)


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", link_params(CASES))
def test_links(case: Case) -> None:
    """Our addition to the peer's test: the words A shares with B are aligned or linked as transposed."""
    check_links(case)
