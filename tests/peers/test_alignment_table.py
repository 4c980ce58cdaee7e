"""CollateX ``output/AlignmentTableTest`` (Java core): alignment tables of small collations.

Ported from ``collatex-core/src/test/java/eu/interedition/collatex/output/AlignmentTableTest.java``.
Rows compare normalised forms. ``variation`` is ``@Ignore``d by the peer ("by default we align to the
left; right alignment would be nicer") and is not counted.
"""

from __future__ import annotations

import pytest

from .helpers import Case, Holds, Rows, ONE_WITNESS, check, check_links, judged, link_params, params, witnesses

_CASES = [
    Case(
        "AlignmentTableTest.emptyTable",
        (),
        (Holds("an empty table", lambda r: len(r.columns) == 0),),
    ),
    Case(
        "AlignmentTableTest.firstWitness",
        witnesses("the black cat"),
        (Rows({"A": "|the|black|cat|"}),),
    ),
    Case(
        "AlignmentTableTest.everythingMatches",
        witnesses("the black cat", "the black cat", "the black cat"),
        (Rows({"A": "|the|black|cat|", "B": "|the|black|cat|", "C": "|the|black|cat|"}),),
    ),
    Case(
        "AlignmentTableTest.variant",
        witnesses("the black cat", "the white cat", "the green cat", "the red cat", "the yellow cat"),
        (
            Rows(
                {
                    "A": "|the|black|cat|",
                    "B": "|the|white|cat|",
                    "C": "|the|green|cat|",
                    "D": "|the|red|cat|",
                    "E": "|the|yellow|cat|",
                }
            ),
        ),
    ),
    Case(
        "AlignmentTableTest.omission",
        witnesses("the black cat", "the cat", "the black cat"),
        (Rows({"A": "|the|black|cat|", "B": "|the| |cat|", "C": "|the|black|cat|"}),),
    ),
    Case(
        "AlignmentTableTest.addition1",
        witnesses("the black cat", "the white and black cat"),
        (Rows({"A": "|the| | |black|cat|", "B": "|the|white|and|black|cat|"}),),
    ),
    Case(
        "AlignmentTableTest.addition2",
        witnesses("the cat", "before the cat", "the black cat", "the cat walks"),
        (
            Rows(
                {
                    "A": "| |the| |cat| |",
                    "B": "|before|the| |cat| |",
                    "C": "| |the|black|cat| |",
                    "D": "| |the| |cat|walks|",
                }
            ),
        ),
    ),
    Case(
        "AlignmentTableTest.addition3",
        witnesses("the cat", "before the cat", "the black cat", "just before midnight the cat walks"),
        (
            Rows(
                {
                    "A": "| | | |the| |cat| |",
                    "B": "| |before| |the| |cat| |",
                    "C": "| | | |the|black|cat| |",
                    "D": "|just|before|midnight|the| |cat|walks|",
                }
            ),
        ),
    ),
    Case(
        "AlignmentTableTest.transpositionAndReplacement",
        witnesses(
            "the black dog chases a red cat", "a red cat chases the black dog", "a red cat chases the yellow dog"
        ),
        (
            Rows(
                {
                    "A": "|the|black|dog|chases|a|red|cat|",
                    "B": "|a|red|cat|chases|the|black|dog|",
                    "C": "|a|red|cat|chases|the|yellow|dog|",
                }
            ),
        ),
    ),
    Case(
        "AlignmentTableTest.witnessReorder",
        witnesses(
            "the black cat", "the black and white cat", "the black not very special cat", "the black very special cat"
        ),
        (
            Rows(
                {
                    "A": "|the|black| | | |cat|",
                    "B": "|the|black|and|white| |cat|",
                    "C": "|the|black|not|very|special|cat|",
                    "D": "|the|black| |very|special|cat|",
                }
            ),
        ),
    ),
    Case(
        "AlignmentTableTest.testSimpleSpencerHowe",
        witnesses("a", "b", "a b"),
        (Rows({"A": "|a| |", "B": "| |b|", "C": "|a|b|"}),),
    ),
    Case(
        "AlignmentTableTest.stringOutputOneWitness",
        witnesses("the black cat"),
        (Rows({"A": "|the|black|cat|"}),),
    ),
    Case(
        "AlignmentTableTest.stringOutputTwoWitnesses",
        witnesses("the black cat", "the black cat"),
        (Rows({"A": "|the|black|cat|", "B": "|the|black|cat|"}),),
    ),
    Case(
        "AlignmentTableTest.stringOutputEmptyCells",
        witnesses("the black cat", "the"),
        (Rows({"A": "|the|black|cat|", "B": "|the| | |"}),),
    ),
]


CASES = judged(
    _CASES,
    {
        "transpositionAndReplacement": "debatable: a tie on which words count as moved: we keep the longer phrase in place and link the others as transposed on both sides (every shared word is aligned or linked; see test_links), the peer keeps the other phrase in place",
        "emptyTable": ONE_WITNESS,
        "firstWitness": ONE_WITNESS,
        "stringOutputOneWitness": ONE_WITNESS,
    },
    links={
        "transpositionAndReplacement": ("the", "black", "dog", "chases", "a", "red", "cat"),
    },
)


@pytest.mark.parametrize("case", params(CASES))
def test_case(case: Case) -> None:
    check(case)


@pytest.mark.parametrize("case", link_params(CASES))
def test_links(case: Case) -> None:
    check_links(case)
