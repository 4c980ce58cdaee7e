"""CollateX-Python 2.3 ``tests/test_suffix_edit_graph_aligner.py``: independence of the witnesses' order.

Ported from ``collatex-pythonport/tests/test_suffix_edit_graph_aligner.py`` (the 2.3 sdist); segmented
rows compared word by word.
"""

from __future__ import annotations

import pytest

from .helpers import Case, Segments, check, params

_HERMANS = (("A", "a b c d F g h i ! K ! q r s t"), ("B", "a b c d F g h i ! q r s t"))

CASES = [
    Case(
        "test_suffix_edit_graph_aligner.test_hermans_witness_order_independence_case_two_witnesses",
        _HERMANS,
        (Segments({"A": ["a b c d F g h i ", "! K ", "! q r s t"], "B": ["a b c d F g h i ", None, "! q r s t"]}),),
        origin="python",
    ),
    Case(
        "test_suffix_edit_graph_aligner.test_hermans_witness_order_independence_case_three_witnesses",
        (*_HERMANS, ("C", "a b c d E g h i ! q r s t")),
        (
            Segments(
                {
                    "A": ["a b c d ", "F ", "g h i ", "! K ", "! q r s t"],
                    "B": ["a b c d ", "F ", "g h i ", None, "! q r s t"],
                    "C": ["a b c d ", "E ", "g h i ", None, "! q r s t"],
                }
            ),
        ),
        origin="python",
    ),
    Case(
        "test_suffix_edit_graph_aligner.test_witness_order",
        (("A", "x a y"), ("B", "x b y"), ("C", "x a b y")),
        (Segments({"A": ["x ", "a ", None, "y"], "B": ["x ", None, "b ", "y"], "C": ["x ", "a ", "b ", "y"]}),),
        origin="python",
    ),
]


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)
