"""CollateX-Python 2.3's tokeniser tests, and the list of its tests that check its internals only.

Ported from ``tests/test_collatex_simple.py`` and ``tests/test_witness_tokens.py`` (the 2.3 sdist).
CollateX-Python's ``WordPunctuationTokenizer`` keeps trailing whitespace on each token (``"a "``); ours
does not, so the words are compared.

Skipped (15), each a check of CollateX-Python's internals with no alignment to compare:
    test_witness_tokens.testPretokenizedWitnessAdd        a witness built from a dict has 4 tokens
    test_astar_edit_graph_aligner.test_heuristic_function_everything_equals   the A* heuristic table
    test_collatex.TestCollateX.test_something             an empty test
    test_collatex_linsuffarr.testLinearSuffixArray        prints a suffix array, asserts nothing
    test_collatex_linsuffarr.testSA2                      prints a suffix array, asserts nothing
    test_tokenindex.test_token_array_hermans_case         the token array with witness markers
    test_tokenindex.testTokenArrayMarkersWithThreeWitnesses   the same, three witnesses
    test_tokenindex.test_witness_ranges_hermans_case      token-array ranges per witness
    test_tokenindex.testCaseDanielStoekl                  an LCP array
    test_tokenindex.testCaseDanielStoeklLCPIntervals      LCP intervals
    test_tokenindex.test_split_lcp_intervals_ascending_descending_ascending   LCP intervals of a made-up array
    test_tokenindex.test_split_lcp_intervals_ascending_then_descending_LCP     the same
    test_tokenindex.test_split_lcp_intervals_descending_LCP                    the same
    test_tokenindex.test_lcp_intervals_number_of_witnesses_Hermans_case        an interval's depth
    test_tokenindex.test_filter_potential_blocks          an interval's depth, length and instances
(test_near_matching.test_near_matching is skipped in test_py_near_matching.py.)
"""

from __future__ import annotations

import collate


def test_tokenize() -> None:
    """test_collatex_simple.Test.test_tokenize: "a b c" → ["a ", "b ", "c"]."""
    assert [t.text for t in collate.make_tokens("a b c", "A")] == ["a", "b", "c"]


def test_plain_witness() -> None:
    """test_witness_tokens.Test.testPlainWitness: nine words and the full stop are 10 tokens."""
    tokens = collate.make_tokens("The quick brown fox jumped over the lazy dogs.", "A")
    assert len(tokens) == 10
    assert tokens[-1].text == "." and tokens[-1].punct
