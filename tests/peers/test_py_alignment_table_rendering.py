"""CollateX-Python 2.3 ``tests/test_alignment_table_rendering.py``: one collation rendered as plain text
(horizontal and vertical, segmented or not), as JSON, and the variant status of the segmented columns.

Ported from ``collatex-pythonport/tests/test_alignment_table_rendering.py`` (the version shipped in the
``collatex`` 2.3 sdist). The renderings differ in layout only: each is ported as the table it shows,
segmented (``Segments``, compared word by word) or not (``TextRows``). The JSON's ``_token_array_position``
is CollateX's index into its token array, not a property of the alignment, and is not compared.
``testColumnStatusInAlignmentTable`` collates twice (two, then three witnesses): one case each.
CollateX-Python's tokens keep their trailing space (``"very "``) and are compared case-sensitively; ours
lower-case for comparison, which changes nothing here.
"""

from __future__ import annotations

import pytest

from .helpers import Case, Segments, TextRows, VariantFlags, check, params

_W = (
    ("A", "This very quick very quick brown wombat"),
    ("B", "That very quick brown koala"),
    ("C", "That very quick brown kangaroo"),
)
_SEGMENTS = Segments(
    {
        "A": ["This very quick", "very quick brown", "wombat"],
        "B": ["That", "very quick brown", "koala"],
        "C": ["That", "very quick brown", "kangaroo"],
    }
)
_ROWS = TextRows(
    {
        "A": "|This|very|quick|very|quick|brown|wombat|",
        "B": "|That| | |very|quick|brown|koala|",
        "C": "|That| | |very|quick|brown|kangaroo|",
    }
)
_FOX = (("A", "The quick brown fox jumps over the dog."), ("B", "The brown fox jumps over the lazy dog."))

CASES = [
    Case("test_alignment_table_rendering.testPlainTableRendering", _W, (_SEGMENTS,), origin="python"),
    Case("test_alignment_table_rendering.testPlainTableRenderingNoParallelSegmentation", _W, (_ROWS,), origin="python"),
    Case("test_alignment_table_rendering.testPlainTableRenderingVertical", _W, (_SEGMENTS,), origin="python"),
    Case("test_alignment_table_rendering.testPlainTableRenderingVerticalNoSegmentation", _W, (_ROWS,), origin="python"),
    Case("test_alignment_table_rendering.testJSONAlignmentTableRendering", _W, (_SEGMENTS,), origin="python"),
    Case("test_alignment_table_rendering.testJSONAlignmentTableRenderingNoSegmentation", _W, (_ROWS,), origin="python"),
    Case(
        "test_alignment_table_rendering.testColumnStatusInAlignmentTable#1",
        _FOX,
        (VariantFlags((False, True, False, True, False)),),
        origin="python",
    ),
    Case(
        "test_alignment_table_rendering.testColumnStatusInAlignmentTable#2",
        (*_FOX, ("C", "The brown fox walks around the lazy dog.")),
        (VariantFlags((False, True, False, True, False, True, False)),),
        origin="python",
    ),
]


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)
