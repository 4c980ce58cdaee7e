"""CollateX-Python 2.3 ``tests/test_tokenized_json.py``, ``tests/test_witness_tokens.py`` (its collation)
and ``tests/test_suffix_based_scorer.py``: pretokenized witnesses, whose tokens carry their own normalised
form (``"n"``) and other properties.

Ported from the 2.3 sdist. Pretokenized witnesses become our ``Token``s with the peer's ``t`` and ``n`` (our
default normaliser where ``n`` is absent); ``"kitten."`` normalised ``"cat"`` must align with ``"cat"``.
Extra properties (``ref``, ``adj``, ``id``) and CollateX's ``_token_array_position`` are not part of an
alignment and are not compared. The JSON, plain-table and HTML renderings are ported as the table they
show; JSON output is segmented by default in CollateX-Python, so those are ``Segments`` with one token
per cell.

Partly ported (1):
    test_scoring_with_properties_filter  its first collation only; the second and third pass a
        ``properties_filter`` (a user function deciding which tokens may match), which our API does not have.
"""

from __future__ import annotations

import pytest

from .helpers import Case, Holds, Segments, TextRows, check, params


def _tokens(*pairs):
    return tuple(p if isinstance(p, tuple) else (p, None) for p in pairs)


_CAT = (("A", _tokens("A", "black", "cat")), ("B", _tokens("A", "white", ("kitten.", "cat"))))
_CAT_TABLE = Segments({"A": [("A",), ("black",), ("cat",)], "B": [("A",), ("white",), ("kitten.",)]})

CASES = [
    Case("test_tokenized_json.testJSONOutputPretokenizedJSON", _CAT, (_CAT_TABLE,), origin="python"),
    Case(
        "test_tokenized_json.testJSONOutput_empty_cells_in_output",
        (("A", _tokens("A", "black", "cat")), ("B", _tokens("A", ("kitten.", "cat")))),
        (Segments({"A": [("A",), ("black",), ("cat",)], "B": [("A",), None, ("kitten.",)]}),),
        origin="python",
    ),
    Case("test_tokenized_json.testHTMLOutputPretokenizedJSON", _CAT, (_CAT_TABLE,), origin="python"),
    Case("test_tokenized_json.testHTMLOutputVerticalLayoutPretokenizedJSON", _CAT, (_CAT_TABLE,), origin="python"),
    Case(
        "test_tokenized_json.testSegmentationPretokenizedJSON",
        (("A", _tokens("A", "black", "cat")), ("B", _tokens("A", "white", "stripy", ("kitten.", "cat")))),
        (Segments({"A": [("A",), ("black",), ("cat",)], "B": [("A",), ("white", "stripy"), ("kitten.",)]}),),
        origin="python",
    ),
    Case(
        "test_witness_tokens.testPretokenizedWitness",
        (("A", _tokens("A", "black", "cat", "bird")), ("B", _tokens("A", "white", "mousedog bird"))),
        (
            Holds("each row has 4 cells", lambda r: len(r.columns) == 4),
            Holds("B has the token 'mousedog bird'", lambda r: any(c and c[0] == "mousedog bird" for c in r.row("B"))),
        ),
        origin="python",
    ),
    Case(
        "test_suffix_based_scorer.test_scoring_with_properties_filter",
        (("A", _tokens("filler1", "token")), ("B", _tokens("token", "filler2"))),
        (TextRows({"A": "|filler1|token| |", "B": "| |token|filler2|"}),),
        origin="python",
    ),
    Case(
        "test_variant_graph.test_storage_of_tokens_on_variant_graph",
        (("A", "a b c"), ("B", "a d c")),
        (TextRows({"A": "|a|b|c|", "B": "|a|d|c|"}),),
        origin="python",
    ),
]


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)
