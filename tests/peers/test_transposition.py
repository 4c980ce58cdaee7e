"""CollateX ``dekker/TranspositionTest`` (Java core): how many transpositions, and the tables around them.

Ported from ``collatex-core/src/test/java/eu/interedition/collatex/dekker/TranspositionTest.java``. A peer
method with several collations becomes one case per collation (``name#1``, ``name#2``); the method passes
when all its cases do. Rows compare normalised forms.
"""

from __future__ import annotations

import pytest

from .helpers import Case, Rows, Transpositions, check, judged, params, witnesses

_CASES = [
    Case(
        "TranspositionTest.noTransposition#1", witnesses("no transposition", "no transposition"), (Transpositions(0),)
    ),
    Case("TranspositionTest.noTransposition#2", witnesses("a b", "c a"), (Transpositions(0),)),
    Case("TranspositionTest.oneTransposition", witnesses("a b", "b a"), (Transpositions(1),)),
    Case("TranspositionTest.multipleTranspositions", witnesses("a b c", "b c a"), (Transpositions(1),)),
    Case(
        "TranspositionTest.transposition1",
        witnesses("the white and black cat", "The black cat", "the black and white cat", "the black and green cat"),
        (
            Rows(
                {
                    "A": "|the|white|and|black|cat|",
                    "B": "|the| | |black|cat|",
                    "C": "|the|black|and|white|cat|",
                    "D": "|the|black|and|green|cat|",
                }
            ),
        ),
    ),
    Case(
        "TranspositionTest.transposition2",
        witnesses("He was agast, so", "He was agast", "So he was agast"),
        (Rows({"A": "| |he|was|agast|,|so|", "B": "| |he|was|agast| | |", "C": "|so|he|was|agast| | |"}),),
    ),
    Case(
        "TranspositionTest.transposition2Reordered",
        witnesses("So he was agast", "He was agast", "He was agast, so"),
        (Rows({"A": "|so|he|was|agast| | |", "B": "| |he|was|agast| | |", "C": "| |he|was|agast|,|so|"}),),
    ),
]


CASES = judged(
    _CASES,
    {
        "transposition1": "debatable: we link the swapped white/black as two transpositions (and stays aligned); the peer lays them out as substitutions in shared columns",
    },
)


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)
