"""Tokenisation: words and punctuation marks as separate tokens, for letters of any script.

Offers:
    Span                   a token's place in a text: ``start``, ``end``, ``text``, ``punct``
    split(text)            the spans of ``text`` in order
    make_tokens(...)       spans → ``Token``s with normalised forms and sources
    join(texts)            token texts joined as printed (no space before ``,`` or after ``(``)

A word is a run of letters, marks and digits, joined by inner apostrophes or hyphens (``sub-variety``,
``don't``) and by a hyphen at a line end (``vari-⏎ation`` is one word, as printed). Every other visible
character is punctuation; a run of the same mark (``...``, ``--``) is one token.
"""

from __future__ import annotations

from typing import Callable, NamedTuple

import regex

from .model import Source, Token
from .normalize import DEFAULT, Normalizer

__all__ = ["Span", "split", "make_tokens", "join"]

_WORD = r"[\p{L}\p{M}\p{N}]+"
_JOIN = r"(?:['’\-\u2010]|[-\u00ad\u00ac\u2010]\s*\n\s*)"
_TOKEN = regex.compile(rf"(?P<w>{_WORD}(?:{_JOIN}{_WORD})*)|(?P<p>([^\s\p{{L}}\p{{M}}\p{{N}}])\3*)")


class Span(NamedTuple):
    start: int
    end: int
    text: str
    punct: bool


def split(text: str) -> list[Span]:
    return [Span(m.start(), m.end(), m.group(), m.group("w") is None) for m in _TOKEN.finditer(text)]


def make_tokens(
    text: str,
    siglum: str,
    *,
    normalizer: Normalizer = DEFAULT,
    locate: Callable[[int, int], Source] | None = None,
) -> tuple[Token, ...]:
    """Tokenise ``text``; ``locate(start, end)`` gives each token's source (default: offsets only)."""
    tokens = []
    for index, span in enumerate(split(text)):
        source = locate(span.start, span.end) if locate else Source(start=span.start, end=span.end)
        tokens.append(Token(span.text, normalizer(span.text), siglum, index, source, span.punct))
    return tuple(tokens)


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
