"""CollateX ``dekker/VariantGraphTest`` (Java core): the variant graph after a collation.

Ported from ``collatex-core/src/test/java/eu/interedition/collatex/dekker/VariantGraphTest.java``. The
edges the peer asserts (which witnesses pass from one vertex to the next) are written as the rows they
imply. The graph sizes (``assetGraphSize``, ``assertGraphVertices``) count the Java graph's start and end
vertices; where they say more than the edges (two copies of a transposed word), that is ported as
"stands in two columns".
"""

from __future__ import annotations

import pytest

from .helpers import Case, Holds, Rows, aligned, apart, check, params, witnesses

CASES = [
    Case(
        "dekker.VariantGraphTest.twoWitnesses",
        witnesses("the black cat", "the black cat"),
        (Rows({"A": "|the|black|cat|", "B": "|the|black|cat|"}),),
    ),
    Case(
        "dekker.VariantGraphTest.addition1",
        witnesses("the black cat", "the white and black cat"),
        (Rows({"A": "|the| | |black|cat|", "B": "|the|white|and|black|cat|"}),),
    ),
    Case(
        "dekker.VariantGraphTest.variant",
        witnesses("the black cat", "the white cat", "the green cat", "the red cat", "the yellow cat"),
        (
            Rows(
                {
                    "A": "|the|black|cat|",
                    "B": "|the|white|cat|",
                    "C": "|the|green|cat|",
                    "D": "|the|red|cat|",
                    "E": "|the|yellow|cat|",
                }
            ),
        ),
    ),
    Case(
        # 5 vertices: start, end and three words, so one of a and b is shared and the other is not;
        # B goes from b to a, A from a to b.
        "dekker.VariantGraphTest.doubleTransposition2",
        witnesses("a b", "b a"),
        (
            Holds(
                "exactly one of a and b shares a column",
                lambda r: sum(1 for column in r.columns if column[0] and column[1] and column[0][1] == column[1][1])
                == 1,
            ),
        ),
    ),
    Case(
        # 9 vertices: start, end, the shared "the", "and", "cat", and two each of "black" and "white".
        "dekker.VariantGraphTest.mirroredTranspositionsWithMatchInBetween",
        witnesses("the black and white cat", "the white and black cat"),
        (aligned("the", "and", "cat"), apart("black", "white")),
    ),
]


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)
