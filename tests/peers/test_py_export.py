"""CollateX-Python 2.3 ``tests/test_export_alignment_table_as_xml.py`` and
``tests/test_export_alignment_table_as_tei.py``: the table written as pseudo-TEI XML and as TEI parallel
segmentation.

Ported from the 2.3 sdist. The XML and TEI strings are the segmented table spelt out: one ``app`` per
column (TEI: the columns every witness agrees on stand as plain text between the ``app``s). They are
ported as that segmented table, compared word by word; the markup itself (CollateX's ``cx:apparatus``
wrapper, its indentation) is CollateX's own output format, not an alignment. CollateX-Python 2.3 fails
both TEI tests itself, on the markup (its minidom output no longer matches the expected string).
"""

from __future__ import annotations

import pytest

from .helpers import Case, Segments, check, params

_FOX = (("A", "The quick brown fox jumps over the dog."), ("B", "The brown fox jumps over the lazy dog."))
_WOMBAT = (
    ("A", "The quick brown wombat jumps over the industrious brown dog."),
    ("B", "The brown koala jumps over the lazy yellow dog."),
    ("C", "The brown koala jumps over the industrious yellow dog."),
)
_WOMBAT_TABLE = Segments(
    {
        "A": ["The ", "quick", "brown ", "wombat", "jumps over the ", "industrious", "brown", "dog."],
        "B": ["The ", None, "brown ", "koala", "jumps over the ", "lazy", "yellow", "dog."],
        "C": ["The ", None, "brown ", "koala", "jumps over the ", "industrious", "yellow", "dog."],
    }
)

CASES = [
    Case(
        "test_export_alignment_table_as_xml.test_export_alignment_table_as_xml",
        _FOX,
        (
            Segments(
                {
                    "A": ["The ", "quick ", "brown fox jumps over the ", None, "dog."],
                    "B": ["The ", None, "brown fox jumps over the ", "lazy ", "dog."],
                }
            ),
        ),
        origin="python",
    ),
    Case(
        "test_export_alignment_table_as_tei.test_export_alignment_table_as_tei",
        _WOMBAT,
        (_WOMBAT_TABLE,),
        origin="python",
    ),
    Case(
        "test_export_alignment_table_as_tei.test_export_alignment_table_as_tei_prettyprint",
        _WOMBAT,
        (_WOMBAT_TABLE,),
        origin="python",
    ),
]


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)
