"""CollateX ``needlemanwunsch/NeedlemanWunschTest`` (Java core).

Ported from ``collatex-core/src/test/java/eu/interedition/collatex/needlemanwunsch/NeedlemanWunschTest.java``.
The peer only logs the table of ``a b a b a`` against ``a b a``; what any global alignment of the two
must show is ported: every token of B stands with an equal token of A.
"""

from __future__ import annotations

import pytest

from .helpers import Case, Holds, check, params, reads_back, witnesses

_W = witnesses("a b a b a", "a b a")

CASES = [
    Case(
        "NeedlemanWunschTest.simple",
        _W,
        (
            reads_back(_W),
            Holds(
                "each of B's tokens stands with an equal token of A",
                lambda r: all(column[0] and column[0][1] == column[1][1] for column in r.columns if column[1]),
            ),
        ),
    ),
]


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)
