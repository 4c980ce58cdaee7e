"""CollateX ``dekker/TranspositionGraphTest`` (Java core): transpositions counted on the variant graph.

Ported from ``collatex-core/src/test/java/eu/interedition/collatex/dekker/TranspositionGraphTest.java``.
The peer adds witnesses to one graph step by step; each step becomes one case (``name#1``, ``name#2``)
with the witnesses collated so far. The Greek cases were supplied to CollateX by a user (Troy); their
tokens differ slightly here: ``ο(υ μη α)φεθη`` becomes ``ο ( υ μη α ) φεθη`` (the brackets are separate
tokens), and ``ι̅σ̅`` (letters with combining overlines) stays one word.
"""

from __future__ import annotations

import pytest

from .helpers import Case, Holds, Transpositions, check, judged, params, witnesses

_GREEK_A = "και αποκριθεισ ειπεν αυτω ου βλεπεισ ταυτασ μεγαλασ οικοδομασ αμην λεγω σοι ο(υ μη α)φεθη ωδε λιθοσ επι λιθω (οσ ου) μη καταλυθη"
_GREEK_B = "και αποκριθεισ ο ι̅σ̅ ειπεν αυτω βλεπεισ Ταυτασ τασ μεγαλασ οικοδομασ λεγω υμιν ου μη αφεθη λιθοσ επι λιθου οσ ου μη καταλυθη"
_GREEK_C = "και ο ι̅σ̅ αποκριθεισ ειπεν αυτω βλεπεισ ταυτασ τασ μεγαλασ οικοδομασ ου μη αφεθη λιθοσ επι λιθον οσ ου μη καταλυθη"


def _moves(*tokens: tuple[str, str]) -> Holds:
    return Holds(
        f"the one transposition moves {tokens}",
        lambda r: len(r.moved) == 1 and all(t in r.moved[0] for t in tokens),
    )


_CASES = [
    Case(
        "TranspositionGraphTest.transpositions#1",
        witnesses("the black and white cat", "the white and black cat"),
        (Transpositions(2),),
    ),
    Case(
        "TranspositionGraphTest.transpositions#2",
        witnesses("the black and white cat", "the white and black cat", "the black and black cat"),
        (Transpositions(2),),
    ),
    Case(
        "TranspositionGraphTest.noTransposition#1",
        witnesses("no transposition", "no transposition"),
        (Transpositions(0),),
    ),
    Case("TranspositionGraphTest.noTransposition#2", witnesses("a b", "c a"), (Transpositions(0),)),
    Case("TranspositionGraphTest.oneTransposition", witnesses("a b", "b a"), (Transpositions(1),)),
    Case("TranspositionGraphTest.multipleTranspositions", witnesses("a b c", "b c a"), (Transpositions(1),)),
    Case("TranspositionGraphTest.testTranspositionLimiter1", witnesses("X a b", "a b X"), (Transpositions(1),)),
    Case("TranspositionGraphTest.testGreekTwoWitnesses", witnesses(_GREEK_A, _GREEK_B), (Transpositions(0),)),
    Case(
        "TranspositionGraphTest.testGreekThreeWitnesses",
        witnesses(_GREEK_A, _GREEK_B, _GREEK_C),
        (Transpositions(1), _moves(("B", "ο"), ("C", "ι̅σ̅"))),
    ),
]


CASES = judged(
    _CASES,
    {
        "testGreekThreeWitnesses": "debatable: a tie on which side of the swap moved; we move the one word αποκριθεισ of one witness (A and B agree on its place), the peer moves ο ι̅σ̅",
    },
)


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)
