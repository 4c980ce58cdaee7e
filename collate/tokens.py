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
# A hyphen at a line end joins the word across one line break, never across a blank line (a new paragraph).
_JOIN = r"(?:['’\-\u2010]|[-\u00ad\u00ac\u2010][ \t]*\r?\n[ \t]*)"
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
    # Texts repeat (``the``, ``,``): normalise each distinct form once and share the strings, which also
    # keeps a book's worth of tokens small in memory.
    norms: dict[str, str] = {}
    texts: dict[str, str] = {}
    for index, m in enumerate(_TOKEN.finditer(text)):
        start, end = m.span()
        token_text = texts.setdefault(m.group(), m.group())
        norm = norms.get(token_text)
        if norm is None:
            norm = normalizer(token_text)
            norm = norms[token_text] = token_text if norm == token_text else norm
        source = locate(start, end) if locate else Source(start=start, end=end)
        tokens.append(Token(token_text, norm, siglum, index, source, m.group("w") is None))
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
