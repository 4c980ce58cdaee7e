"""CollateX-Python 2.3 ``tests/test_near_matching.py`` and ``tests/test_near_matching_pretokenized.py``:
near matches (similar words aligned) and the exact alignment they refine.

Ported from ``collatex-pythonport/tests/test_near_matching.py`` and ``test_near_matching_pretokenized.py``
(the 2.3 sdist). The peer's calls pass ``near_match=True``; our engine always scores near matches
(``Options().near``). ``test_near_matching_clash`` is nested inside another method in the peer's file and
never runs; it is not counted, nor are the commented-out or ``@unit_disabled`` methods.

Skipped (1):
    test_near_matching  CollateX-Python API only: ``collate(near_match=True)`` with segmentation raises
                        ``SegmentationError``; our API has no such combination of options.
"""

from __future__ import annotations

import pytest

from .helpers import Case, Segments, TextRows, check, judged, params

_GLASS = (("A", "I bought this glass , because it matches those dinner plates"), ("B", "I bought those glasses"))


def _tokens(*texts: str):
    return tuple((t, None) for t in texts)


_CASES = [
    Case(
        "test_near_matching.test_exact_matching",
        _GLASS,
        (
            Segments(
                {
                    "A": ["I bought ", "this glass , because it matches ", "those ", "dinner plates"],
                    "B": ["I bought ", None, "those ", "glasses"],
                }
            ),
        ),
        origin="python",
    ),
    Case(
        "test_near_matching.test_near_matching_accidentally_correct_short",
        (("A", "over this dog"), ("B", "over that there dog")),
        (TextRows({"A": "|over|this| |dog|", "B": "|over|that|there|dog|"}),),
        near=True,
        origin="python",
    ),
    Case(
        "test_near_matching.test_near_matching_accidentally_incorrect_short",
        (("A", "over this dog"), ("B", "over there that dog")),
        (TextRows({"A": "|over| |this|dog|", "B": "|over|there|that|dog|"}),),
        near=True,
        origin="python",
    ),
    Case(
        "test_near_matching.test_near_matching_accidentally_correct_long",
        (("A", "The brown fox jumps over this dog."), ("B", "The brown fox jumps over that there dog.")),
        (
            TextRows(
                {
                    "A": "|The|brown|fox|jumps|over|this| |dog|.|",
                    "B": "|The|brown|fox|jumps|over|that|there|dog|.|",
                }
            ),
        ),
        near=True,
        origin="python",
    ),
    Case(
        "test_near_matching.test_near_matching_rank_0",
        (("A", "this"), ("B", "there thin")),
        (TextRows({"A": "| |this|", "B": "|there|thin|"}),),
        near=True,
        origin="python",
    ),
    Case(
        "test_near_matching.test_near_matching_nonclash",
        (("A", "aaa bbb ccc ddd"), ("B", "aaa cce ddd"), ("C", "aaa cce ddd")),
        (TextRows({"A": "|aaa|bbb|ccc|ddd|", "B": "|aaa| |cce|ddd|", "C": "|aaa| |cce|ddd|"}),),
        near=True,
        origin="python",
    ),
    Case(
        "test_near_matching_pretokenized.test_exact_matching",
        (
            (
                "A",
                _tokens(
                    "I", "bought", "this", "glass", ",", "because", "it", "matches", "those", "dinner", "plates", "."
                ),
            ),
            ("B", _tokens("I", "bought", "those", "glasses", ".")),
        ),
        (
            TextRows(
                {
                    "A": "|I|bought|this|glass|,|because|it|matches|those|dinner|plates|.|",
                    "B": "|I|bought| | | | | | |those|glasses| |.|",
                }
            ),
        ),
        origin="python",
    ),
    Case(
        "test_near_matching_pretokenized.test_near_matching",
        (
            (
                "A",
                _tokens(
                    "I", "bought", "this", "glass", ",", "because", "it", "matches", "those", "dinner", "plates", "."
                ),
            ),
            ("B", _tokens("I", "bought", "those", "glasses", ".")),
        ),
        (
            TextRows(
                {
                    "A": "|I|bought|this|glass|,|because|it|matches|those|dinner|plates|.|",
                    "B": "|I|bought| | | | | | |those| |glasses|.|",
                }
            ),
        ),
        near=True,
        origin="python",
    ),
]


CASES = judged(
    _CASES,
    {
        "test_near_matching_accidentally_incorrect_short": "debatable: neither that (0.5) nor there (0.4) is within our near-match threshold (0.6) of this, so its place is a tie we break leftwards; the peer picks the more similar that, the better guess",
        "test_near_matching": "debatable: glasses is within our near-match threshold of no word in reach (its counterpart glass stands before those); beside dinner or beside plates is a tie we break leftwards; the peer picks plates, the better guess",
    },
)


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)
