"""CollateX ``dekker/BeckettTest`` (Java core) and the Python port's ``test_beckett.py``: Samuel Beckett's
drafts (Dirk Van Hulle's examples), with repeated words, punctuation and a moved name.

Ported from ``collatex-core/src/test/java/eu/interedition/collatex/dekker/BeckettTest.java`` and
``collatex-pythonport/tests/test_beckett.py`` (CollateX-Python 2.3).

The Java tests inspect the aligner's match candidates (``Matches.between``), its phrase matches and the
vertices of the graph. They are ported as what those imply in a table: a matched word stands in one
column with its match; the phrase matches are runs of shared columns; an unmatched word stands with no
equal word. ``dirkVincent8`` also asserts which of witness C's tokens had several candidates
("ambiguous"); that is a property of the peer's matcher, not of its result, and is not ported. The
tokeniser differs: CollateX's Java tokeniser splits ``I'm`` into three tokens, ours keeps one word.
"""

from __future__ import annotations

import pytest

from .helpers import (
    Case,
    Holds,
    Segments,
    Transpositions,
    ONE_WITNESS,
    aligned,
    check,
    judged,
    params,
    phrases,
    reads_back,
    starts,
    witnesses,
)

_PEOPLE = (
    "People with things, people without things, things without people, what does it matter. I'm confident I can soon scatter them.",
    "People with things, people without things, things without people, what does it matter, it will not take me long to scatter them.",
    "People with things, people without things, things without people, what does it matter, I flatter myself it will not take me long to scatter them, whenever I choose, to the winds.",
)
_DIRK_A = "Its soft light neither daylight nor moonlight nor starlight nor any light he could remember from the days & nights when day followed night & vice versa."
_DIRK_B = "Its soft changeless light unlike any light he could remember from the days and nights when day followed hard on night and vice versa."
_DIRK_C = "Its faint unchanging light unlike any light he could remember from the days & nights when day followed on night & night on day."
_SENTENCE_42 = (
    "The same clock as when for example Magee once died.",
    "The same as when for example Magee once died.",
    "The same as when for example McKee once died .",
    "The same as when among others Darly once died & left him.",
    "The same as when Darly among others once died and left him.",
)


def _alone(siglum: str, *norms: str) -> Holds:
    """The words of one witness that the peer found unmatched: no other witness reads them in their column."""

    def predicate(result) -> bool:
        k = result.sigla.index(siglum)
        for norm in norms:
            for column in result.columns:
                if column[k] and column[k][1] == norm:
                    if any(cell and cell[1] == norm for j, cell in enumerate(column) if j != k):
                        return False
        return True

    return Holds(f"{norms} of {siglum} stand with no equal word", predicate)


def _moved_between(*tokens) -> Holds:
    return Holds(f"a transposition moves {tokens}", lambda r: any(all(t in m for t in tokens) for m in r.moved))


_CASES = [
    Case(
        "BeckettTest.testBeckettStrangeTransposition",
        witnesses(*_PEOPLE),
        (Transpositions(0),),
    ),
    Case(
        # Matches.between(...).allMatches: B's "its" matches A's "its"; "light" has two candidates.
        "BeckettTest.dirkVincent",
        witnesses(_DIRK_A, _DIRK_B),
        (aligned("its"),),
    ),
    Case(
        "BeckettTest.dirkVincentWithMatchMatrixLinker",
        witnesses(_DIRK_A, _DIRK_B),
        (aligned("its"),),
    ),
    Case(
        # One witness alone: the peer builds a graph of it and finds its words there.
        "BeckettTest.dirkVincent5",
        witnesses(_DIRK_A),
        (reads_back(witnesses(_DIRK_A)),),
    ),
    Case(
        # Edges: start→its→soft shared; soft→light in A; soft→changeless→light in B.
        "BeckettTest.dirkVincent6",
        witnesses(_DIRK_A, _DIRK_B),
        (starts({"A": "|its|soft| |light|", "B": "|its|soft|changeless|light|"}),),
    ),
    Case(
        "BeckettTest.testDirkVincent7",
        witnesses(_DIRK_A, _DIRK_B),
        (
            phrases(
                "Its soft",
                "light",
                "any light he could remember from the days",
                "nights when day followed",
                "night",
                "vice versa.",
            ),
            Transpositions(0),
        ),
    ),
    Case(
        # C's tokens 1 and 2 ("faint", "unchanging") match nothing in the graph of A and B.
        "BeckettTest.dirkVincent8",
        witnesses(_DIRK_A, _DIRK_B, _DIRK_C),
        (_alone("C", "faint", "unchanging"),),
    ),
    Case(
        # The graph of all three holds a vertex for each word listed (in the witness named).
        "BeckettTest.dirkVincent10",
        witnesses(_DIRK_A, _DIRK_B, _DIRK_C),
        (reads_back(witnesses(_DIRK_A, _DIRK_B, _DIRK_C)),),
    ),
    Case(
        # Witness by witness the graph gains the new words; with E, the phrase matches are "The same", "as when",
        # "Darly", "among others", "once died", "left him", and "Darly" is the one transposition.
        "BeckettTest.sentence42Transposition",
        witnesses(*_SENTENCE_42),
        (
            reads_back(witnesses(*_SENTENCE_42)),
            aligned("among", "others", "left", "him", sigla=("D", "E")),
            Transpositions(1),
            _moved_between(("D", "darly"), ("E", "darly")),
        ),
    ),
    Case(
        "test_beckett.Test.testBeckett",
        (
            ("1", "The same clock as when for example Magee once died."),
            ("2", "The same as when for example Magee once died."),
        ),
        (
            Segments(
                {
                    "1": ["The same ", "clock ", "as when for example Magee once died."],
                    "2": ["The same ", None, "as when for example Magee once died."],
                }
            ),
        ),
        origin="python",
    ),
]


CASES = judged(
    _CASES,
    {
        "dirkVincent5": ONE_WITNESS,
    },
)


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)
