from hypothesis import given, settings, strategies as st

from collate.engine.normalize import DEFAULT, by_name, compose, dehyphenate, rules, strip_diacritics, strip_punctuation
from collate.engine.tokens import join, make_tokens, split


def test_words_and_punctuation_are_separate_tokens():
    assert [s.text for s in split("The cat, (a black one) sat.")] == [
        "The", "cat", ",", "(", "a", "black", "one", ")", "sat", ".",
    ]


def test_inner_hyphens_and_apostrophes_stay_in_the_word():
    assert [s.text for s in split("sub-variety don't l’homme")] == ["sub-variety", "don't", "l’homme"]


def test_a_word_broken_at_a_line_end_is_one_token_and_normalises_whole():
    tokens = make_tokens("organ-\nisation varies", "A")
    assert [t.text for t in tokens] == ["organ-\nisation", "varies"]
    # The next line's indent (and a carriage return) is layout, not part of the word: the word reads as a TEI
    # witness's ``organ-<lb break="no"/>isation`` does, and its offsets still cover it as written.
    tokens = make_tokens("organ- \r\n    isation varies", "A")
    assert [(t.text, t.norm, t.source.start, t.source.end) for t in tokens] == [
        ("organ-\nisation", "organisation", 0, 20), ("varies", "varies", 21, 27),
    ]
    assert tokens[0].norm == "organisation"


def test_letters_of_any_script():
    assert [s.text for s in split("Ἐν ἀρχῇ ἦν ὁ λόγος· 道可道，非常道。")] == [
        "Ἐν", "ἀρχῇ", "ἦν", "ὁ", "λόγος", "·", "道可道", "，", "非常道", "。",
    ]


def test_a_combining_mark_standing_alone_is_punctuation():
    # Greek transcriptions write the apostrophe of an elision as a free-standing comma above (U+0313).
    spans = split("ἀλλ \u0313 ὅρα ἀλλ’ ὅρα")
    assert [(s.text, s.punct) for s in spans] == [
        ("ἀλλ", False), ("\u0313", True), ("ὅρα", False), ("ἀλλ", False), ("’", True), ("ὅρα", False),
    ]


def test_nfc_makes_composed_and_decomposed_forms_equal():
    composed, decomposed = make_tokens("café", "A")[0], make_tokens("cafe\u0301", "B")[0]
    assert composed.text != decomposed.text
    assert composed.norm == decomposed.norm == "café"


def test_repeated_marks_are_one_token():
    assert [s.text for s in split("wait... what?!")] == ["wait", "...", "what", "?", "!"]


def test_offsets_point_back_into_the_text():
    text = "  The   cat"
    for t in make_tokens(text, "A"):
        assert text[t.source.start : t.source.end] == t.text


def test_normalisers_compose_left_to_right_and_keep_the_original():
    long_s = compose(rules({"ſ": "s"}), str.lower)
    tokens = make_tokens("Paſſage", "A", normalizer=long_s)
    assert tokens[0].text == "Paſſage"
    assert tokens[0].norm == "passage"


def test_named_normalisers():
    norm = by_name("nfc,lowercase,punctuation,diacritics")
    assert norm("Don't") == "dont"
    assert norm("Élan") == "elan"
    assert strip_punctuation(",") == ","  # a mark alone stays comparable with other marks
    assert strip_diacritics("naïve") == "naive"
    assert dehyphenate("vari-\n  ation") == "variation"
    assert DEFAULT("The") == "the"


def test_rules_prefer_the_longest_key():
    assert rules({"ſ": "s", "ſſ": "ss-long"})("ſſ ſ") == "ss-long s"


def test_join_prints_punctuation_as_set():
    assert join(["The", "cat", ",", "(", "a", "black", "one", ")", "sat", "."]) == "The cat, (a black one) sat."


def test_a_hyphen_before_a_blank_line_does_not_join_two_paragraphs():
    assert [s.text for s in split("pp. 317-\n\n18")] == ["pp", ".", "317", "-", "18"]


def test_gc_paused_keeps_the_collector_working_and_a_program_s_frozen_objects_frozen():
    import gc

    from collate.engine.tokens import gc_paused

    class Node:
        def __init__(self) -> None:
            self.other = self

    gc.collect()
    was_enabled = gc.isenabled()
    gc.enable()
    try:
        with gc_paused():
            assert not gc.isenabled()
            tokens = make_tokens("a text made while the collector rests", "A")
            cycle = Node()  # garbage with a cycle, made while paused
            probe = __import__("weakref").ref(cycle)
            del cycle
        assert gc.isenabled()
        gc.collect()
        assert probe() is None  # a full collection still finds it
        assert [t.text for t in tokens][:2] == ["a", "text"]

        # A program that froze objects of its own keeps them frozen.
        gc.freeze()
        frozen = gc.get_freeze_count()
        try:
            with gc_paused():
                make_tokens("more text", "B")
            assert gc.get_freeze_count() >= frozen > 0
        finally:
            gc.unfreeze()
    finally:
        if not was_enabled:
            gc.disable()


# The standard library's engine serves long texts within the Basic Multilingual Plane (``tokens._finditer``):
# it must find exactly the tokens the ``regex`` pattern finds.

def _matches(found):
    return [(m.span(), m.lastindex) for m in found]


def _fast_pattern():
    from collate.engine import tokens

    if tokens._fast is None:
        tokens._build_fast()
    return tokens._fast


def test_the_fast_pattern_classifies_every_character_of_the_plane_as_regex_does():
    from collate.engine import tokens

    plane = "".join(map(chr, range(0x10000)))
    # Each character alone, and each after a letter (where a joining mark counts).
    for text in (plane, " ".join(plane), "a".join(plane) + "a"):
        assert _matches(_fast_pattern().finditer(text)) == _matches(tokens._TOKEN.finditer(text))


_TRICKY = "aZé1ⅫÅ\u0301\u0483 \t\r\n\u00a0\u2028\u3000'’-\u2010\u00ad\u00ac.,!…—\u00b7\ud800\u0660\u1680"


@given(st.text(alphabet=_TRICKY, max_size=60))
@settings(max_examples=400, deadline=None)
def test_the_fast_pattern_finds_the_same_tokens_as_regex(text):
    from collate.engine import tokens

    assert _matches(_fast_pattern().finditer(text)) == _matches(tokens._TOKEN.finditer(text))


def test_a_long_text_gets_the_same_tokens_from_either_engine(monkeypatch):
    from collate.engine import tokens

    line = "It was on a dreary night of Novem-\nber, that I beheld the accomplishment of my toils… ‘Ἐν ἀρχῇ’ 道可道.\n"
    astral = "a 𝔄𝔅 b\n"  # beyond the plane: such a text goes to regex
    for text in (line * 50, astral * 50):
        monkeypatch.setattr(tokens, "_fast", None)
        monkeypatch.setattr(tokens, "_seen", 0)
        monkeypatch.setattr(tokens, "_FAST_AFTER", 10**9)
        slow = make_tokens(text, "A", lines=True)
        monkeypatch.setattr(tokens, "_FAST_AFTER", 0)
        fast = make_tokens(text, "A", lines=True)
        assert tokens._fast is not None
        assert fast == slow
        assert "".join(t.text for t in fast).replace("\n", "") == "".join(text.split())
