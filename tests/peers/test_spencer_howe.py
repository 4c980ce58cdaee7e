"""CollateX ``dekker/SpencerHoweTest`` (Java core): the dependence of progressive alignment on witness order
(Spencer and Howe, "Collating Texts Using Progressive Multiple Alignment").

Ported from ``collatex-core/src/test/java/eu/interedition/collatex/dekker/SpencerHoweTest.java``. The
``graph`` test's edges imply the table: ``a`` shared by A and C, ``b`` by B and C, C reading ``a b``.
Its vertex and edge counts (4 and 5) are not ported: they count the Java graph's start and end vertices.
"""

from __future__ import annotations

import pytest

from .helpers import Case, Rows, check, params, witnesses

CASES = [
    Case(
        "SpencerHoweTest.alignmentTable",
        witnesses("a b c d e f", "x y z d e", "a b x y z"),
        (Rows({"A": "|a|b|c| | |d|e|f|", "B": "| | |x|y|z|d|e| |", "C": "|a|b|x|y|z| | | |"}),),
    ),
    Case(
        "SpencerHoweTest.graph",
        witnesses("a", "b", "a b"),
        (Rows({"A": "|a| |", "B": "| |b|", "C": "|a|b|"}),),
    ),
]


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)
