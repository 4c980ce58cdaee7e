"""Regularisation rules: data applied before alignment, recorded per token; the text itself never changes."""

from __future__ import annotations

import pytest

from collate.engine.graph import align_witnesses
from collate.engine.normalize import DEFAULT, compose, nfc
from collate.engine.regularize import Rule, regularize
from collate.engine.variants import build_apparatus
from collate.errors import UsageError

from .helpers import witness


def _apply(rules, *texts, normalizer=DEFAULT):
    ws = [witness(s, t) for s, t in zip("ABC", texts)]
    return regularize(ws, rules, normalizer)


def test_word_rule_changes_the_compared_form_and_records_the_change():
    (a, b), counts = _apply([Rule("ye", "the", "abbreviation")], "Ye olde shop", "the old shop")
    assert counts == (1,)
    token = a.tokens[0]
    assert (token.text, token.norm) == ("Ye", "the")
    assert (token.reg.source, token.reg.target, token.reg.cls, token.reg.rule) == ("Ye", "the", "abbreviation", 0)
    assert all(t.reg is None for t in b.tokens) and a.tokens[1].reg is None
    # Before the rule "Ye"/"the" is a substantive variant; after it, only the spelling differs.
    apparatus = build_apparatus(align_witnesses([a, b]))
    first = apparatus.locations[0]
    assert (first.lemma.text, first.readings[0].text, first.type.value) == ("Ye", "the", "orthographic")


def test_part_rules_replace_inside_words_and_the_first_matching_rule_wins():
    rules = [Rule("ſ", "s", part=True), Rule("ſhop", "store")]
    (a,), counts = _apply(rules, "ſhop and ſun")
    assert [(t.text, t.norm) for t in a.tokens] == [("ſhop", "shop"), ("and", "and"), ("ſun", "sun")]
    assert counts == (2, 0)
    assert a.tokens[0].reg.source == "ſ"


def test_scope_witness_and_place():
    rules = [
        Rule("1st", "first", "numeral", witnesses=("B",)),
        Rule("olde", "old", witnesses=("A",), at=(1,)),
        Rule("shop", "store", witnesses=("A",), at=(0,)),  # position 0 holds "Ye", not "shop": nothing
    ]
    (a, b), counts = _apply(rules, "Ye olde shop 1st", "the olde shop 1st")
    assert counts == (1, 1, 0)
    assert [t.norm for t in a.tokens] == ["ye", "old", "shop", "1st"]
    assert [t.norm for t in b.tokens] == ["the", "olde", "shop", "first"]


def test_line_scope_reads_the_token_source():
    text = "one two\nthree two\n"
    (a,), counts = _apply([Rule("two", "2", "numeral", witnesses=("A",), line="2")], text)
    assert counts == (0,)  # helper witnesses carry offsets only, no lines
    from collate.engine.model import Witness
    from collate.engine.tokens import make_tokens

    lined = Witness("A", make_tokens(text, "A", lines=True))
    (a,), counts = regularize([lined], [Rule("two", "2", "numeral", witnesses=("A",), line="2")], DEFAULT)
    assert counts == (1,) and [t.norm for t in a.tokens] == ["one", "two", "three", "2"]


def test_the_normaliser_given_makes_the_compared_form():
    (a,), _ = _apply([Rule("ye", "The")], "ye", normalizer=compose(nfc))
    assert a.tokens[0].norm == "The"


def test_empty_target_never_makes_a_word_vanish():
    (a,), counts = _apply([Rule("olde", "")], "olde")
    assert counts == (1,) and a.tokens[0].norm == "olde"


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"source": "", "target": "x"}, "non-empty"),
        ({"source": "to day", "target": "today"}, "one word"),
        ({"source": "a", "target": "b", "at": (3,)}, "in one witness"),
        ({"source": "a", "target": "b", "witnesses": ("A",), "page": "4"}, "a page needs a line"),
    ],
)
def test_bad_rules_are_refused(kwargs, message):
    with pytest.raises(UsageError, match=message):
        Rule(**kwargs)


def test_unknown_witness_is_refused():
    with pytest.raises(UsageError, match="unknown witness 'Z'"):
        _apply([Rule("a", "b", witnesses=("Z",))], "a b")


def test_no_rules_leave_the_witnesses_as_they_are():
    ws = [witness("A", "a b")]
    out, counts = regularize(ws, [], DEFAULT)
    assert out == ws and counts == ()
