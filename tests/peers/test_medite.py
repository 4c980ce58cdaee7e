"""CollateX ``medite/MediteTest`` (Java core): seven witnesses of a line of Chaucer's *Miller's Tale*.

Ported from ``collatex-core/src/test/java/eu/interedition/collatex/medite/MediteTest.java``. The peer
prints the table and the graph (dot, GraphML) and asserts nothing; ported as the collation of all seven
succeeding, every witness reading back, and the words all seven share standing in one column each.
"""

from __future__ import annotations

import pytest

from .helpers import Case, aligned, check, params, reads_back, witnesses

_W = witnesses(
    "This Carpenter hadde wedded newe a wyf",
    "This Carpenter hadde wedded a newe wyf",
    "This Carpenter hadde newe wedded a wyf",
    "This Carpenter hadde wedded newly a wyf",
    "This Carpenter hadde E wedded newe a wyf",
    "This Carpenter hadde newli wedded a wyf",
    "This Carpenter hadde wedded a wyf",
)

CASES = [Case("MediteTest.medite", _W, (reads_back(_W), aligned("this", "carpenter", "hadde", "wyf")))]


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)
