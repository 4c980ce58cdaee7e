"""Tokenisation: words and punctuation marks as separate tokens, for letters of any script.

Offers:
    Span                   a token's place in a text: ``start``, ``end``, ``text``, ``punct``
    split(text)            the spans of ``text`` in order
    make_tokens(...)       spans → ``Token``s with normalised forms and sources
    join(texts)            token texts joined as printed (no space before ``,`` or after ``(``)
    spacing(tokens)        whether a space precedes each token after the first: the witness's own spacing
                           where its sources give offsets (``con- tinues`` stays so), else ``join``'s rule
    written(tokens)        tokens joined with ``spacing``: a reading as its witness has it
    would_merge(a, b)      whether two token texts written together would read back as one token
    printed_apart(a, b)    whether a text writes two token texts with a space between (``join``'s rule, or
                           ``would_merge``)
    gc_paused()            a context in which the cyclic garbage collector does not run
    INTS                   the ints below 65,536 as one set of objects, for indices kept by the million

A word is a run of letters, marks and digits, joined by inner apostrophes or hyphens (``sub-variety``,
``don't``) and by a hyphen at a line end (``vari-⏎ation`` is one word, as printed). Every other visible
character is punctuation; a run of the same mark (``...``, ``--``) is one token.
"""

from __future__ import annotations

import gc
import re
import unicodedata
from contextlib import contextmanager
from itertools import chain, count
from weakref import WeakKeyDictionary
from typing import Callable, Iterator, NamedTuple

import regex

from .model import Source, Token
from .normalize import DEFAULT, Normalizer

__all__ = ["Span", "split", "make_tokens", "join", "spacing", "written", "would_merge", "printed_apart", "gc_paused", "INTS"]

_LETTER = r"[\p{L}\p{M}\p{N}]"
_WORD = _LETTER + "+"
# A hyphen at a line end joins the word across one line break, never across a blank line (a new paragraph).
_JOIN = r"(?:['’\-\u2010]|[-\u00ad\u00ac\u2010][ \t]*\r?\n[ \t]*)"
_TOKEN = regex.compile(rf"(?P<w>{_WORD}(?:{_JOIN}{_WORD})*)|(?P<p>([^\s\p{{L}}\p{{M}}\p{{N}}])\3*)")
# The spaces and tabs around the line break inside a word joined across a line end, and a carriage return.
_LAYOUT_AT_BREAK = re.compile(r"[ \t]*\r?\n[ \t]*")
# A punctuation mark's match ends with this group closing: its number is the match's ``lastindex``.
_MARK = _TOKEN.groupindex["p"]


def _finditer(text: str) -> Iterator["regex.Match[str] | re.Match[str]"]:
    """``_TOKEN.finditer(text)``, or the same matches from the standard library's engine.

    ``regex`` spends about a microsecond a token (it lets go of the interpreter lock at every match); the
    standard engine takes under half that. It has no Unicode properties, so its pattern spells the classes
    out, as ``regex`` itself classifies each character of the Basic Multilingual Plane: it serves a text
    with no character beyond that plane (any other goes to ``regex``). Building the pattern costs some
    40 ms, so a process turns to it once it has read ``_FAST_AFTER`` characters (this text's included)."""
    global _seen
    if _fast is None:
        _seen += len(text)
        if _seen < _FAST_AFTER:
            return _TOKEN.finditer(text)
        _build_fast()
        assert _fast is not None
    if _ASTRAL.search(text):
        return _TOKEN.finditer(text)
    return _fast.finditer(text)


# Past where the pattern's cost is won back (some 0.1 µs a character: 400,000 characters), so that a
# collation of a few chapters (Darwin's six editions of chapter 1, 417,000 characters) does not pay for it.
_FAST_AFTER = 600_000
_seen = 0
_fast: "re.Pattern[str] | None" = None
_ASTRAL = re.compile("[\U00010000-\U0010ffff]")


def _bmp_class(pattern: str, plane: str) -> str:
    """The characters of ``plane`` (the Basic Multilingual Plane, in order) that ``regex`` matches with
    ``pattern`` (one character class), as the ranges of a standard-library class."""
    return "".join(
        f"\\u{m.start():04x}" + (f"-\\u{m.end() - 1:04x}" if m.end() - m.start() > 1 else "")
        for m in regex.finditer(pattern + "+", plane)
    )


def _build_fast() -> None:
    global _fast
    plane = "".join(map(chr, range(0x10000)))
    letters, spaces = _bmp_class(_LETTER, plane), _bmp_class(r"\s", plane)
    _fast = re.compile(rf"(?P<w>[{letters}]+(?:{_JOIN}[{letters}]+)*)|(?P<p>([^{spaces}{letters}])\3*)")


class Span(NamedTuple):
    start: int
    end: int
    text: str
    punct: bool


def split(text: str) -> list[Span]:
    return [Span(m.start(), m.end(), m.group(), m.group("w") is None or _marks_only(m.group())) for m in _TOKEN.finditer(text)]


def _marks_only(text: str) -> bool:
    """Whether a token is combining marks alone: a mark standing free (``ἀλλ ̓``, the apostrophe of an
    elision written as a free-standing comma above) is punctuation, not a word."""
    return unicodedata.combining(text[0]) != 0 and all(map(unicodedata.combining, text))


def make_tokens(
    text: str,
    siglum: str,
    *,
    normalizer: Normalizer = DEFAULT,
    locate: Callable[[int, int], Source] | None = None,
    lines: bool = False,
) -> tuple[Token, ...]:
    """Tokenise ``text``. Each token's source: ``locate(start, end)`` when given; with ``lines``, the line
    and column in ``text`` itself (a plain-text file); otherwise the character offsets alone."""
    with gc_paused():
        return _make_tokens(text, siglum, normalizer, locate, lines)


@contextmanager
def gc_paused() -> Iterator[None]:
    """Pause the cyclic garbage collector while building many small objects that form no cycles.

    A book is hundreds of thousands of tokens: the collector would otherwise scan the growing heap again
    and again while they are made, for nothing (a fifth of the tokeniser's time).

    What was made meanwhile is long-lived (a text's tokens, a table, an apparatus), so on leaving it goes
    straight to the collector's oldest generation (``gc.freeze`` and ``gc.unfreeze``: moved, not scanned).
    Left young, it would all be scanned at the next allocation, and again when promoted: a twentieth of a
    collation's time. Nothing escapes collection by this: the oldest generation is scanned as ever. A
    program that keeps objects frozen itself is left alone (its frozen objects must stay frozen)."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            if not gc.get_freeze_count():
                gc.freeze()
                gc.unfreeze()
            gc.enable()


# Offsets and indices below 65,536 are the same int objects in every token of every witness (and in the
# aligner's table): Python keeps only the smallest ints shared, and a thousand witnesses of a few thousand
# words would otherwise hold a few hundred megabytes of equal numbers (a quarter of what a token costs).
INTS = tuple(range(1 << 16))
_SHARED_INTS = len(INTS)


def _make_tokens(
    text: str,
    siglum: str,
    normalizer: Normalizer,
    locate: Callable[[int, int], Source] | None,
    lines: bool,
) -> tuple[Token, ...]:
    tokens = []
    append = tokens.append
    # Texts repeat (``the``, ``,``): normalise each distinct form once and share the strings, within a
    # witness and across the witnesses of a collation, which also keeps their tokens small in memory.
    forms = _forms(normalizer)
    # Lines are counted while walking forward with the tokens: no search per token.
    line, line_start, next_break = 1, 0, text.find("\n") if lines else -1
    label = "1"
    # Names the loop uses for every token, as locals.
    ints, shared, new, no_flags, source_type, token_type = INTS, _SHARED_INTS, _new, _NO_FLAGS, Source, Token
    mark = _MARK
    for index, m in zip(chain(ints, count(shared)), _finditer(text)):
        start, end = m.span()
        if end < shared:
            start, end = ints[start], ints[end]
        raw = m.group()
        found = forms.get(raw)
        if found is None:
            # Whether it is punctuation depends on its text alone: decided once per form. A word joined across
            # a line end keeps the hyphen and the line break, not the spaces around the break (the next line's
            # indent is layout): ``vari-⏎ation``, as a TEI witness reads ``vari-<lb break="no"/>ation``, so that
            # every output, and a TEI file read back, has the word alike.
            shown = _LAYOUT_AT_BREAK.sub("\n", raw) if "\n" in raw else raw
            norm = normalizer(shown)
            found = forms[raw] = (shown, shown if norm == shown else norm, m.lastindex == mark or _marks_only(raw))
        token_text, norm, punct = found
        if locate is not None:
            source = locate(start, end)
        elif lines:
            if 0 <= next_break < start:
                while 0 <= next_break < start:
                    line += 1
                    line_start = next_break + 1
                    next_break = text.find("\n", line_start)
                label = str(line)
            column = start - line_start + 1
            column = ints[column] if column < shared else column
            source = new(source_type, (None, None, label, start, end, line, column, no_flags, ()))
        else:
            source = new(source_type, (None, None, None, start, end, None, None, no_flags, ()))
        append(new(token_type, (token_text, norm, siglum, index, source, punct, None)))
    return tuple(tokens)


# Named tuples made by ``tuple.__new__`` with every field given: the same tuples as ``Token(...)`` and
# ``Source(...)``, without a Python call for the keyword defaults (a tenth of the tokeniser's time).
_new = tuple.__new__
_NO_FLAGS: frozenset[str] = frozenset()
# Forms seen, per normaliser: the text as shared, its normalised form, and whether it is punctuation. Cleared
# when this large.
_FORMS: "WeakKeyDictionary[Normalizer, dict[str, tuple[str, str, bool]]]" = WeakKeyDictionary()
_MAX_FORMS = 500_000


def _forms(normalizer: Normalizer) -> dict[str, tuple[str, str]]:
    try:
        forms = _FORMS.get(normalizer)
        if forms is None or len(forms) > _MAX_FORMS:
            forms = _FORMS[normalizer] = {}
        return forms
    except TypeError:  # a normaliser that cannot be weakly referenced: its forms are kept for this text only
        return {}


_NO_SPACE_BEFORE = frozenset(",.;:!?)]}’”»…%")
_NO_SPACE_AFTER = frozenset("([{‘“«¿¡")


def join(texts: "list[str] | tuple[str, ...]") -> str:
    """Join token texts as printed: no space before closing punctuation or after opening punctuation."""
    out: list[str] = []
    previous = ""
    for text in texts:
        if out and not (text[:1] in _NO_SPACE_BEFORE or previous[-1:] in _NO_SPACE_AFTER):
            out.append(" ")
        out.append(text)
        previous = text
    return "".join(out)


def spacing(tokens: "tuple[Token, ...] | list[Token]") -> list[bool]:
    """For each token after the first, whether a space precedes it.

    The witness's own spacing where the two tokens are neighbours in it and their sources give offsets into
    its text (any gap is one space); otherwise ``join``'s rule for punctuation."""
    out: list[bool] = []
    append = out.append
    previous = None
    for t in tokens:
        if previous is None:
            previous = t
            continue
        # Named-tuple fields by position: this runs for every token of every witness a report prints.
        before, now = previous[4], t[4]
        end = before[4]
        if end > 0 and t[3] == previous[3] + 1 and t[2] == previous[2] and now[3] >= end:
            # Tokens that touch in the witness only because markup stood between them (``de<pb/>lighted``
            # read as two words) would read back as one: they keep a space.
            append(now[3] > end or would_merge(previous[0], t[0]))
        else:
            a, b = previous[0], t[0]
            append(not (b[:1] in _NO_SPACE_BEFORE or a[-1:] in _NO_SPACE_AFTER))
        previous = t
    return out


_MERGES: dict[tuple[str, str], bool] = {}


def would_merge(a: str, b: str) -> bool:
    key = (a, b)
    found = _MERGES.get(key)
    if found is None:
        if len(_MERGES) > 100_000:
            _MERGES.clear()
        found = _MERGES[key] = [m.group() for m in _TOKEN.finditer(a + b)] != [a, b]
    return found


def printed_apart(previous: str, text: str) -> bool:
    """Whether two tokens written one after the other stand apart: as printed (no space before ``,``), unless
    written together they would read back as one token (``;`` and ``;``, a run of one mark)."""
    return join([previous, text]) != previous + text or would_merge(previous, text)


def written(tokens: "tuple[Token, ...] | list[Token]") -> str:
    """The tokens as their witness has them: ``con- tinues``, not ``con - tinues``."""
    if not tokens:
        return ""
    out = [tokens[0].text]
    for space, t in zip(spacing(tokens), tokens[1:]):
        out.append(" " + t.text if space else t.text)
    return "".join(out)
