"""Spans and milestones whose end cannot be found: read with a bounded effect and a warning, never cut off.

Each case in ``tests/data/tei_reading`` has a repaired twin (the end written as the Guidelines describe it);
the reading of the file as published must give every witness the same tokens as the repaired one.
"""

from __future__ import annotations

import warnings

import pytest

from collate.errors import InputWarning
from tei.reader import read_witnesses
from witnesses.load import TeiOptions

CASES = ["span-anchor", "span-dangling"]


def _read(path, stage: str = "after") -> tuple[list[list[str]], list[InputWarning]]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        witnesses = read_witnesses(path.read_bytes(), path=str(path), options=TeiOptions(stage=stage))
    found = [w.message for w in caught]
    assert all(isinstance(m, InputWarning) for m in found), found
    return [[t.text for t in w.tokens] for w in witnesses], found


@pytest.mark.parametrize("stage", ["after", "before"])
@pytest.mark.parametrize("case", CASES)
def test_every_witness_reads_as_its_repaired_twin(data_dir, case, stage):
    folder = data_dir / "tei_reading"
    published, warned = _read(folder / f"{case}.xml", stage)
    repaired, clean = _read(folder / f"{case}-repaired.xml", stage)
    assert clean == []
    assert [len(w) for w in published] == [len(w) for w in repaired]
    assert published == repaired
    assert warned, "an assumption was made without a word"


def test_a_span_closed_by_anchor_attribute_is_not_cut_off(data_dir):
    path = data_dir / "tei_reading" / "span-anchor.xml"
    (after,), warned = _read(path)
    # Read as running to the end of the file, the deletion left 22 of these 73 tokens.
    assert len(after) == 73
    assert after[-6:] == ["heart", "which", "nothing", "could", "remove", "."]
    assert "inaction" in after and "Justine" in after
    assert after[after.index("events") + 1 : after.index("events") + 3] == [",", "of"]
    (before,), _ = _read(path, "before")
    assert before[before.index("events") + 2 : before.index("events") + 5] == ["for", "a", "dead"]
    assert "Justine" not in before


def test_the_warning_names_file_line_and_what_was_assumed(data_dir):
    path = data_dir / "tei_reading" / "span-anchor.xml"
    _, warned = _read(path)
    first, second = warned
    assert (first.path, first.line) == (str(path), 33)
    assert str(first).startswith(f"{path}:33: ")
    assert 'spanTo="#p1.01"' in str(first) and '<delSpan anchor="p1.01"> on line 41' in str(first)
    assert '<addSpan anchor="p1.02"> on line 49' in str(second)
    assert "\n" not in str(first)


def test_a_dangling_span_ends_with_its_paragraph(data_dir):
    path = data_dir / "tei_reading" / "span-dangling.xml"
    (tokens,), warned = _read(path)
    assert tokens[tokens.index("second") : tokens.index("third")] == ["second", "a", "passage", "The"]
    assert tokens[-7:] == [",", "and", "the", "last", "paragraph", "is", "read", "whole", "."][-7:]
    assert [w.line for w in warned] == [14, 19]
    assert "enclosing <p>" in str(warned[0]) and 'no element after it has xml:id="nowhere"' in str(warned[0])
    assert 'sID="d1"' in str(warned[1]) and 'eID="d1"' in str(warned[1])


def test_a_span_pointing_backwards_is_bounded_too(data_dir):
    path = data_dir / "tei_reading" / "span-backwards.xml"
    (after,), warned = _read(path)
    assert after[after.index("and") :] == "and an addition after it . The next paragraph is plain .".split()
    (before,), _ = _read(path, "before")
    assert "addition" not in before and before[-6:] == ["The", "next", "paragraph", "is", "plain", "."]
    assert len(warned) == 1 and 'xml:id="back"' in str(warned[0])


def test_warnings_are_errors_under_the_suite_and_visible_to_callers(data_dir):
    path = data_dir / "tei_reading" / "span-dangling.xml"
    with pytest.warns(InputWarning, match="enclosing <p>"):
        read_witnesses(path.read_bytes(), path=str(path))
