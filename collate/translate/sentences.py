"""Sentence segmentation: rule-based, for many languages, aware of abbreviations; paragraphs kept.

Offers:
    Sentence               one sentence: its text (whitespace collapsed), where it stands, its paragraph
    segment(text, …)       the sentences of a running text; a blank line separates paragraphs
    presegmented(text)     one sentence a line, as aligners' test sets come; a blank line separates paragraphs
    paragraph_starts(ss)   the indices of the sentences that begin a paragraph
    ABBREVIATIONS          the abbreviations (without their final dot, case-folded) that never end a sentence
    MONTHS                 month names after which a number with a dot is a date, not a sentence end

A sentence ends at ``.``, ``!``, ``?``, ``…``, ``;``-free CJK stops (``。！？``), after any closing quotes
or brackets, when what follows begins a sentence: an upper-case letter, a digit, an opening quote or bracket,
or a letter of a script without case. Quotes of
every convention count as openers: typewriter and curly quotes, guillemets either way round (``« »`` and
``» «``), backticks (``` ``this'' ```). An interjection that opens a quotation (``“What! You a teacher…”``)
does not end the sentence. A dot does not end a sentence after a known abbreviation (``Dr.``,
``z.B.``, ``Mme.``, ``vol.``), after a capital letter (the initials of ``G. O. Dyhrenfurth``), after a word
with dots inside (``U.S.``), or after a day number before a month (German ``am 11. Mai``).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

import regex

__all__ = ["Sentence", "segment", "presegmented", "paragraph_starts", "ABBREVIATIONS", "MONTHS"]


@dataclass(frozen=True, slots=True)
class Sentence:
    """``start``/``end`` are offsets into the text given; ``paragraph`` counts from 0."""

    text: str
    start: int
    end: int
    paragraph: int


# Case-folded, without the final dot. English, German, French, Italian, Spanish, Dutch, Latin and the
# titles every European language borrows. "etc" is left out on purpose: it ends sentences as often as not.
ABBREVIATIONS: frozenset[str] = frozenset(
    """
    mr mrs ms dr prof rev gen col capt cpt lt sgt st sr jr hon messrs mt ft no nos vol vols ch chap fig figs
    ed eds pp p s v f approx dept est inc ltd co corp jan feb mar apr jun jul aug sep sept oct nov dec vs cf ibid
    op cit viz al e.g i.e a.m p.m
    hr hrn fr frl bd bde bzw ca vgl nr nrn ggf usw u.a z.b d.h s.o s.u sog str jh jhd abs anm bzgl evtl
    inkl max min mio mrd tel u.s.w z.t o.ä
    mm mme mmes mlle mlles mgr me pr vve env ex av apr j.-c
    sig sigg dott ing avv pag sra sr sres srta ud uds
    blz dhr mevr nl bv
    """.split()
)

MONTHS: frozenset[str] = frozenset(
    """
    januar jänner februar märz april mai juni juli august september oktober november dezember
    janvier février mars avril juin juillet août septembre octobre novembre décembre
    january february march may june july october december
    gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre
    enero febrero abril mayo junio julio agosto septiembre octubre noviembre diciembre
    """.split()
)

_PARAGRAPH = regex.compile(r"\n[ \t\r\f\v]*\n\s*")
_BREAK_HYPHEN = regex.compile(r"(?<=\p{L})[-\u00ad\u00ac]\s*\n\s*(?=\p{Ll})")
_SPACE = regex.compile(r"\s+")
# A terminator, then closing quotes or brackets (a French closing guillemet after its space, not followed by a
# letter: ``» Puis`` closes, ``»Wohin`` opens), then either whitespace or (after a CJK stop) nothing.
_END = regex.compile(r"(?:[.!?…]+|[。！？]+)(?:[\"'”’»«›‹)\]]|[ \u00a0\u202f][»›](?!\p{L}))*")
_WORD_BEFORE = regex.compile(r"(\S+)$")
# What may open a sentence besides a capital or a digit: quotes of every convention (typewriter, curly,
# low-9, guillemets either way round, backticks as in ``this'' or `this'), brackets, dashes.
_OPENERS = "\"'`“‘«»‹›„‚([¿¡—–-"
_QUOTE_OPEN = "\"`“‘«»‹›„‚"
_QUOTE_CLOSE = "\"'”’»«›‹"
_WORDS = regex.compile(r"\p{L}+")


def _interjection(piece: str) -> bool:
    """Whether ``piece`` (up to an ``!`` or ``?``) is an interjection that opens a quotation still open:
    the ``“What!`` of ``“What! You a teacher of Israel,” exclaimed Jesus``. It does not end the sentence."""
    piece = piece.strip()
    if not piece or piece[0] not in _QUOTE_OPEN:
        return False
    inner = piece[1:]
    if any(c in _QUOTE_CLOSE for c in inner.rstrip("!?")):
        return False
    return len(_WORDS.findall(inner)) <= 2 and inner.rstrip()[-1:] in "!?"


def _clean(text: str) -> str:
    return _SPACE.sub(" ", _BREAK_HYPHEN.sub("", text)).strip()


def _starts_sentence(rest: str) -> bool:
    """Whether ``rest`` (what follows a terminator, whitespace stripped) begins a sentence."""
    if not rest:
        return True
    c = rest[0]
    if c.isupper() or c.isdigit() or c in _OPENERS:
        return True
    # Letters without case (CJK, Arabic, Hebrew, …) give no signal; trust the terminator.
    return c.isalpha() and not c.islower()


def _is_abbreviation(before: str, rest: str) -> bool:
    """Whether the word ``before`` (ending in the dot) is an abbreviation that does not end the sentence."""
    word = before.rstrip(".").lstrip("\"'“‘«„‚([")
    folded = word.casefold()
    if not word:
        return False
    if folded in ABBREVIATIONS:
        return True
    if len(word) == 1 and word.isupper():
        return True  # an initial; a lower-case letter is more often a unit ("8848 m.") than an abbreviation
    if "." in word and all(len(part) <= 3 for part in word.split(".")):
        return True  # U.S., z.B., e.g.
    if word.isdigit() and len(word) <= 2:
        following = regex.match(r"\p{L}+", rest)
        if following and following.group().casefold() in MONTHS:
            return True  # 11. Mai: a German day number
    return False


def _split_paragraph(text: str, offset: int, paragraph: int) -> list[Sentence]:
    out: list[Sentence] = []
    start = 0
    for match in _END.finditer(text):
        end = match.end()
        after = text[end:]
        rest = after.lstrip()
        cjk = match.group()[0] in "。！？"
        if not cjk and after and not after[0].isspace():
            continue  # 3.5, a.m.: no space after the dot
        if not _starts_sentence(rest):
            continue
        if match.group()[0] in "!?" and _interjection(text[start:end]):
            continue
        if match.group().startswith(".") and not match.group().startswith(".."):
            word = _WORD_BEFORE.search(text, start, match.start() + 1)
            if word and _is_abbreviation(word.group(1), rest):
                continue
        piece = text[start:end]
        if piece.strip():
            lead = len(piece) - len(piece.lstrip())
            out.append(Sentence(_clean(piece), offset + start + lead, offset + end, paragraph))
        start = end
    piece = text[start:]
    if piece.strip():
        lead = len(piece) - len(piece.lstrip())
        trail = len(piece.rstrip())
        out.append(Sentence(_clean(piece), offset + start + lead, offset + start + trail, paragraph))
    return out


def segment(text: str) -> list[Sentence]:
    """Split ``text`` into sentences; a blank line (only whitespace on it) separates paragraphs."""
    sentences: list[Sentence] = []
    paragraph = 0
    position = 0
    for match in [*_PARAGRAPH.finditer(text), None]:
        end = match.start() if match else len(text)
        found = _split_paragraph(text[position:end], position, paragraph)
        if found:
            sentences.extend(found)
            paragraph += 1
        position = match.end() if match else len(text)
    return sentences


def presegmented(text: str) -> list[Sentence]:
    """One sentence a line; a blank line separates paragraphs (several blank lines count as one)."""
    sentences: list[Sentence] = []
    paragraph = 0
    gap = False
    position = 0
    for line in text.splitlines(keepends=True):
        stripped = line.strip()
        if stripped:
            if gap and sentences:
                paragraph += 1
            gap = False
            lead = len(line) - len(line.lstrip())
            end = position + lead + len(stripped)
            sentences.append(Sentence(_SPACE.sub(" ", stripped), position + lead, end, paragraph))
        else:
            gap = True
        position += len(line)
    return sentences


def paragraph_starts(sentences: Sequence[Sentence]) -> frozenset[int]:
    return frozenset(k for k, s in enumerate(sentences) if k == 0 or s.paragraph != sentences[k - 1].paragraph)
