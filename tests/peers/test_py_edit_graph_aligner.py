"""CollateX-Python 2.3 ``tests/test_edit_graph_aligner.py``: the edit-graph aligner on short witnesses,
repeated tokens and the Hermans case.

Ported from ``collatex-pythonport/tests/test_edit_graph_aligner.py`` (the 2.3 sdist). Segmented rows are
compared word by word. ``test_duplicated_tokens_in_witness2`` expects a TEI apparatus; it is ported as
the segmented table that apparatus spells out (one ``app`` per column). The tests marked
``@unit_disabled`` by the peer (testOmission, testOmission2GlobalScore, test_align_with_longest_match)
are not counted.
"""

from __future__ import annotations

import pytest

from .helpers import Case, Segments, check, judged, params, reads_back

_SHORT = (("A", "a"), ("B", "b"), ("C", "c"))
_HERMANS = (("W1", "a b c d F g h i ! K ! q r s t"), ("W2", "a b c d F g h i ! q r s t"))

_CASES = [
    Case(
        # The peer collates and asserts nothing (its superbase assertion is commented out).
        "test_edit_graph_aligner.test_superbase_generation_multiple_short_witnesses",
        _SHORT,
        (reads_back(_SHORT),),
        origin="python",
    ),
    Case(
        "test_edit_graph_aligner.test_duplicated_tokens_in_witness",
        (*_SHORT, ("D", "a a")),
        (Segments({"A": [None, "a"], "B": ["b", None], "C": ["c", None], "D": ["a ", "a"]}),),
        origin="python",
    ),
    Case(
        "test_edit_graph_aligner.test_duplicated_tokens_in_witness2",
        (*_SHORT, ("D", "a b c a b c")),
        (
            Segments(
                {
                    "A": [None, "a", None, None],
                    "B": [None, None, "b", None],
                    "C": [None, None, None, "c"],
                    "D": ["a b c", "a", "b", "c"],
                }
            ),
        ),
        origin="python",
    ),
    Case(
        "test_edit_graph_aligner.test_1",
        (("A", "a"), ("B", "b"), ("C", "a b")),
        (Segments({"A": ["a", None], "B": [None, "b"], "C": ["a ", "b"]}),),
        origin="python",
    ),
    Case(
        "test_edit_graph_aligner.test_2",
        (("W1", "in the in the bleach"), ("W2", "in the in the bleach in the"), ("W3", "in the in the bleach in the")),
        (
            Segments(
                {
                    "W1": ["in the in the bleach", None],
                    "W2": ["in the in the bleach ", "in the"],
                    "W3": ["in the in the bleach ", "in the"],
                }
            ),
        ),
        origin="python",
    ),
    Case(
        "test_edit_graph_aligner.test_rank_adjustment",
        (
            ("A", "aa bb cc dd ee ff"),
            ("B", "aa bb ex ff"),
            ("C", "aa bb cc ee ff"),
            ("D", "aa bb ex dd ff"),
            ("E", "aaa aaa aaa aaa aaa"),
        ),
        (
            Segments(
                {
                    "A": ["aa bb ", "cc ", "dd ", "ee ", "ff"],
                    "B": ["aa bb ", "ex ", None, None, "ff"],
                    "C": ["aa bb ", "cc ", None, "ee ", "ff"],
                    "D": ["aa bb ", "ex ", "dd ", None, "ff"],
                    "E": ["aaa aaa aaa aaa aaa", None, None, None, None],
                }
            ),
        ),
        origin="python",
    ),
    Case(
        "test_edit_graph_aligner.test_non_overlapping_blocks_Hermans",
        _HERMANS,
        (Segments({"W1": ["a b c d F g h i ", "! K ", "! q r s t"], "W2": ["a b c d F g h i ", None, "! q r s t"]}),),
        origin="python",
    ),
    Case(
        "test_edit_graph_aligner.test_blocks_Hermans_case_three_witnesses",
        (*_HERMANS, ("W3", "a b c d E g h i ! q r s t")),
        (
            Segments(
                {
                    "W1": ["a b c d ", "F ", "g h i ", "! K ", "! q r s t"],
                    "W2": ["a b c d ", "F ", "g h i ", None, "! q r s t"],
                    "W3": ["a b c d ", "E ", "g h i ", None, "! q r s t"],
                }
            ),
        ),
        origin="python",
    ),
]


CASES = judged(
    _CASES,
    {
        "test_duplicated_tokens_in_witness2": "debatable: a tie: each of a, b, c can stand with either copy in D; the peer puts all three with the second copy, we put a with the first",
    },
)


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)
