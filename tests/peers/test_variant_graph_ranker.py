"""CollateX ``dekker/VariantGraphRankerTest`` (Java core): the ranks of the graph's vertices, i.e. the
columns of the table.

Ported from ``collatex-core/src/test/java/eu/interedition/collatex/dekker/VariantGraphRankerTest.java``.
A vertex's rank is its column: the ranks asserted are written as the rows they imply.
"""

from __future__ import annotations

import pytest

from .helpers import Case, Rows, check, params, witnesses

CASES = [
    Case(
        # the=1, black=2, and=3, white and green=4, cat=5
        "VariantGraphRankerTest.ranking",
        witnesses("The black cat", "The black and white cat", "The black and green cat"),
        (Rows({"A": "|the|black| | |cat|", "B": "|the|black|and|white|cat|", "C": "|the|black|and|green|cat|"}),),
    ),
    Case(
        # so=1, he=2, was=3, agast=4, ","=5, so=6
        "VariantGraphRankerTest.agastTranspositionHandling",
        witnesses("He was agast, so", "He was agast", "So he was agast"),
        (Rows({"A": "| |he|was|agast|,|so|", "B": "| |he|was|agast| | |", "C": "|so|he|was|agast| | |"}),),
    ),
]


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)
