"""HTML apparatus report: one self-contained file (no network, works from ``file://``) to read a collation.

Offers:
    render(apparatus)      the HTML page as text
    view_data(apparatus)   the structured data the template and the page's script receive (for tests)
    page_ref(page, line)   how a page/line reference is printed ("p. 12, l. 3", "p. 12", "l. 3")
    static_text(name)      a stylesheet or script of ``static/``, safe to inline (the translation page uses the search)
    csp_hash(text)         the CSP source that allows one inline script or stylesheet

The page shows the reading text of the base witness with a numbered apparatus grouped by page/line (as a
printed apparatus is), a synopsis of chosen witnesses side by side, the alignment table, a heat map of
variance and the list of witnesses. The base witness, the visible witnesses and the variant types shown can
be changed in the page.

Python passes structured data only; all markup lives in ``templates/apparatus.html.j2`` (autoescaped), and
the stylesheets and scripts in ``static/`` are inlined (``apparatus.js`` for the views, ``search.js`` for the
full-text search across witnesses). Grouping and typing come from the engine: the variant
locations of ``apparatus`` are used as they are (grouping does not depend on the base), and the reading
types for every other choice of base come from ``collate.engine.variants.type_against``, the rule
``build_apparatus`` applies (``build_apparatus`` with that base gives the same types; the tests check it),
so the page never decides what a variant is.

Markup and lacunae: words keep the transcription markup their witness gave them (``add``, ``del``,
``supplied``, ``unclear``: ``mk m-add`` spans, explained by the legend), and readings empty because of a
witness's gap are typed ``lacuna`` (``collate.engine.lacunae``) and printed "lac.", never "om.".

The editor's corrections: a chosen lemma is printed in the reading text and marked in its entry (with its
witnesses), notes follow their entry, and corrections that no longer apply are listed at the top. Each entry
gets controls (``static/corrections.js`` and ``.css``, inlined after the apparatus's own) to merge, split,
move a reading, choose the lemma and write a note; the page exports them as a ``corrections.toml``. The key
data they need (per entry the base's words and context) comes in its own JSON block, ``#correction-data``.

Safety: witness text reaches the page only as escaped text or inside the JSON data block, where ``<``, ``>``,
``&`` and U+2028/U+2029 are written as ``\\u`` escapes; a Content-Security-Policy with the hashes of the
inlined script and stylesheet forbids any other script, style, image or request.
"""

from __future__ import annotations

import base64
import hashlib
import json
from bisect import bisect_right
from dataclasses import dataclass
from functools import lru_cache
from importlib import resources
from pathlib import PurePath
from typing import Any

from markupsafe import Markup

from collate.engine.corrections import correction_fields, key_text
from collate.engine.lacunae import gap_columns, lacuna_type, lacunose, with_lacunae
from collate.engine.model import TYPE_ORDER, Alignment, Apparatus, Reading, Segment, Token, VariantLocation, VariantType
from collate.engine.tokens import join, spacing, written
from collate.engine.variants import movers, type_against

from .jinja import environment
from .marks import MARKS

__all__ = ["render", "view_data", "page_ref", "static_text", "csp_hash", "TYPE_LABELS"]

# Order of the type filters and of the type codes in the JSON data: most significant first, as the engine ranks.
TYPES: tuple[VariantType, ...] = TYPE_ORDER
TYPE_LABELS: dict[VariantType, str] = {
    VariantType.TRANSPOSITION: "transposition",
    VariantType.SUBSTANTIVE: "substantive",
    VariantType.OMISSION: "omission",
    VariantType.LACUNA: "lacuna",
    VariantType.ADDITION: "addition",
    VariantType.PUNCTUATION: "punctuation",
    VariantType.ORTHOGRAPHIC: "orthographic",
}
# Transcription markup shown on the words that carry it (``Source.flags``), as the legend explains: ``MARKS``.
# The marks the legend always explains; the others only where a witness has them.
LEGEND_ALWAYS = frozenset(("add", "del", "supplied", "unclear"))
# A lemma longer than this is cited by its first and last words ("first two … last two"), as printers do.
LEMMA_WORDS = 8
# A reading longer than this (characters) is shown folded on screen, whole in print and on a click.
LONG_READING = 240
# Words of context on each side of a place in the keys the page writes for the editor's corrections.
KEY_WORDS = 3


def page_ref(page: str | None, line: str | None, paragraph: str | None = None) -> str:
    """A reference as printed; the paragraph (``¶ 3``) only stands in for a witness without pages/lines."""
    if page and line:
        return f"p. {page}, l. {line}"
    if page:
        return f"p. {page}"
    if line:
        return f"l. {line}"
    if paragraph:
        return f"¶ {paragraph}"
    return ""


# Elements that make a block of text (a paragraph, a verse line, a heading …): a witness without page/line
# references is cited by its blocks, counted in reading order.
_BLOCKS = frozenset({"p", "ab", "l", "head", "item", "note", "cell", "sp", "lg", "list"})


def _block(element: str | None) -> str | None:
    """The path of the innermost block containing ``element`` (a path like ``/TEI/text[1]/body[1]/p[3]/hi[1]``),
    or None where no block contains it (the words of an imported apparatus's ``app``s: no paragraph to cite)."""
    if not element:
        return None
    steps = element.split("/")
    for k in range(len(steps) - 1, -1, -1):
        if steps[k].split("[")[0].rpartition(":")[2] in _BLOCKS:
            return "/".join(steps[: k + 1])
    return None


# ---------------------------------------------------------------------------------------------- view model


@dataclass(frozen=True, slots=True)
class Cite:
    """One siglum in an apparatus entry with the witness's own page/line where the reading stands."""

    witness: int
    siglum: str
    ref: str


@dataclass(frozen=True, slots=True)
class ReadingView:
    text: str
    type: str  # "" for the lemma
    cites: tuple[Cite, ...]
    segments: tuple[tuple[str, str], ...] = ()  # (text, marks) when its words carry transcription markup
    reg: str = ""  # the editor's regularisations in this reading ("ye → the (abbreviation)"), "" for none


@dataclass(frozen=True, slots=True)
class EntryView:
    number: int
    lemma: str  # as cited (long lemmas shortened)
    lemma_full: str
    context: str  # the base word before an empty lemma, so that an addition can be placed
    types: tuple[str, ...]
    readings: tuple[ReadingView, ...]
    partners: tuple[int, ...]  # the other half of a transposition
    lacking: tuple[tuple[str, tuple[Cite, ...]], ...] = ()  # ("lac.", witnesses): no text here, not "om."
    chosen: tuple[Cite, ...] = ()  # the lemma is the editor's choice: the witnesses that read it
    notes: tuple[str, ...] = ()  # the editor's notes on the entry


@dataclass(frozen=True, slots=True)
class GroupView:
    ref: str
    entries: tuple[EntryView, ...]


@dataclass(frozen=True, slots=True)
class Piece:
    """A run of the reading text: plain ``text`` (number 0) or the lemma of variant location ``number``."""

    text: str
    number: int = 0
    types: tuple[str, ...] = ()
    mark: str = ""  # a plain piece: the transcription markup of its word ("add", "del unclear" …)
    segments: tuple[tuple[str, str], ...] = ()  # a variant's text as (text, marks) runs, when marked
    edge: str = ""  # the edge of an outer entry (a span): "open" before its first part, "close" after its last


@dataclass(frozen=True, slots=True)
class LineView:
    margin: str  # printed in the margin: the page when it changes, and the line
    ref: str
    pieces: tuple[Piece, ...]


@dataclass(frozen=True, slots=True)
class WitnessView:
    index: int
    siglum: str
    title: str
    date: str
    source: str
    path: str
    file: str  # the file's name; the whole path is kept in ``path`` (shown on hover)
    tokens: int
    differs: int  # variant locations where this witness does not read with the base


# ------------------------------------------------------------------------------------------- shared helpers


def _spaced(tokens: tuple[Token, ...]) -> list[str]:
    """Each token's text with the space that precedes it, so that any run of tokens prints as the
    concatenation of its entries (minus the first entry's leading space). The spacing is the engine's
    (``collate.engine.tokens.spacing``): the witness's own where its sources give offsets."""
    if not tokens:
        return []
    return [tokens[0].text] + [(" " if s else "") + t.text for s, t in zip(spacing(tokens), tokens[1:])]


Ref = tuple[str | None, str | None, str | None]  # page, line, paragraph


def _innermost(token: Token) -> int | None:
    """The serial of the innermost block (paragraph, heading, verse line …) a token stands in, if known."""
    blocks = token.source.blocks
    return blocks[-1].serial if blocks else None


def _ref_runs(tokens: tuple[Token, ...]) -> list[tuple[int, str | None, str | None, str | None]]:
    """Run-length encoded references: (first token index, page, line, paragraph) at every change.

    Page and line are the witness's own. Verse (an ``l`` with ``@n``) in a witness without line breaks of
    its own is cited by its verse line ("l. 3", with the page when it has pages); the rest of a witness
    with neither pages nor lines by paragraph, counted without the verse lines."""
    runs: list[tuple[int, str | None, str | None, str | None]] = []
    located = any(t.source.page or t.source.line for t in tokens)
    lined = any(t.source.line for t in tokens)
    count = 0
    previous: object = object()
    blocks: dict[str | None, str | None] = {}  # tokens of one element share the path: parse it once
    for i, t in enumerate(tokens):
        verse = None if lined else t.source.verse
        if located or verse is not None:
            key: Ref = (t.source.page, t.source.line or verse, None)
        else:
            if t.source.blocks:
                # The reader's structure: the innermost block, whatever its element is called or labelled.
                block: object = _innermost(t)
            else:
                element = t.source.element
                block = blocks[element] if element in blocks else blocks.setdefault(element, _block(element))
            if block != previous:
                count += 1
                previous = block
            key = (None, None, str(count) if block else None)
        if not runs or runs[-1][1:] != key:
            runs.append((i, *key))
    return runs


class _Refs:
    """Page/line (or paragraph) of a witness's token by index, from the run-length encoding."""

    __slots__ = ("starts", "runs")

    def __init__(self, runs: list[tuple[int, str | None, str | None, str | None]]) -> None:
        self.runs = runs
        self.starts = [r[0] for r in runs]

    def at(self, index: int) -> Ref:
        k = bisect_right(self.starts, index) - 1
        if k < 0:
            return (None, None, None)
        return self.runs[k][1:]


def _offsets(apparatus: Apparatus) -> list[list[int]]:
    """``off[p][w]``: index of witness ``w``'s first token at or after the start of part ``p`` (P+1 rows).

    Tokens of a witness read in column order (the alignment's invariant), so each part holds one contiguous
    run of every witness's tokens: ``off[p][w]:off[p + 1][w]``."""
    columns = apparatus.alignment.columns
    width = len(apparatus.witnesses)
    counts = [0] * width
    off = [counts.copy()]
    for part in apparatus.parts:
        if isinstance(part, Segment) and all(i is not None for i in columns[part.start]):
            # An agreement has a token of every witness in every column (inside a span, of the witnesses
            # present: those are counted column by column below).
            n = part.end - part.start
            counts = [c + n for c in counts]
        else:
            for c in range(part.start, part.end):
                for w, i in enumerate(columns[c]):
                    if i is not None:
                        counts[w] += 1
        off.append(counts.copy())
    return off


def _shorten(text: str, tokens: tuple[Token, ...]) -> str:
    words = [t for t in tokens if not t.punct]
    if len(words) <= LEMMA_WORDS:
        return text
    return f"{join([t.text for t in words[:2]])} … {join([t.text for t in words[-2:]])}"


def _own_texts(span: VariantLocation, index_of: dict[str, int]) -> dict[int, list[str]]:
    """For an outer entry, the passage as each witness of a reading has it where that differs from the
    reading's text (the others vary inside it): the lemma is the base's own text, whichever the base."""
    out: dict[int, list[str]] = {}
    for reading in span.all_readings:
        for siglum, tokens in zip(reading.sigla, reading.tokens):
            text = written(tokens)
            if text != reading.text:
                out[index_of[siglum]] = [text, _shorten(text, tokens)]
    return out


def _unless(ref: str, same: str) -> str:
    """A witness's own page/line is cited where it differs from the base's (the entry's heading)."""
    return "" if ref == same else ref


def _types_against(
    alignment: Alignment,
    location: VariantLocation,
    readings: list[Reading],
    base: str,
    lacunose_sigla: frozenset[str] = frozenset(),
) -> list[VariantType | None]:
    """Each reading's type when ``base``'s reading is the lemma (None for the lemma itself).

    The engine's own rules (``collate.engine.variants.type_against``, then ``collate.engine.lacunae``), as
    ``build_apparatus`` and ``with_lacunae`` apply them. Where ``base`` is not cited (a span says it lacks
    the passage, or an imported lacuna), the entry's own first reading is the lemma, as the engine chose it;
    a span over a lacuna is a lacuna whichever witness is the base."""
    lemma = next((r for r in readings if base in r.sigla), readings[0])
    if location.span and location.type is VariantType.LACUNA:
        return [None if r is lemma else VariantType.LACUNA for r in readings]
    moved_by = movers(alignment, location.transposition)
    return [
        None if r is lemma else lacuna_type(type_against(lemma, r, moved_by), r, lacunose_sigla, base)
        for r in readings
    ]


def _mark(token: Token) -> str:
    """The transcription markup of a token, as the page names it ("add", "del unclear"; "" for none), and the
    hands its transcription names for it ("add @pbs": ``<add hand="#pbs">``), shown after the words."""
    flags = token.source.flags
    if not flags:
        return ""
    names = [m for m in MARKS if m in flags]
    if len(flags) > len(names):
        names.extend(sorted({"@" + _hand_label(f.partition("@")[2]) for f in flags if "@" in f}))
    return " ".join(names)


def _hand_label(hand: str) -> str:
    """A hand as the page shows it: the pointer's fragment (``#pbs``, ``hands.xml#pbs``: pbs), else the
    pointer, one word."""
    return "".join((hand.rpartition("#")[2] or hand).split())


def _mark_runs(tokens: tuple[Token, ...]) -> list[list[Any]]:
    """``[first token, marks]`` at every change of markup (none before the first run)."""
    runs: list[list[Any]] = []
    previous = ""
    for i, t in enumerate(tokens):
        mark = _mark(t)
        if mark != previous:
            runs.append([i, mark])
            previous = mark
    return runs


def _segments(texts: list[str], marks: list[str]) -> tuple[tuple[str, str], ...]:
    """Token texts (each with the space before it) as runs of one markup, the whole's leading whitespace
    dropped; a space between two words stays inside a run only when both words carry its markup. Empty
    when no word is marked. ``static/apparatus.js`` (``segmentsOf``) cuts the same runs."""
    if not any(marks):
        return ()
    out: list[list[str]] = []

    def put(text: str, mark: str) -> None:
        if not text:
            return
        if out and out[-1][1] == mark:
            out[-1][0] += text
        else:
            out.append([text, mark])

    for k, (text, mark) in enumerate(zip(texts, marks)):
        body = text.lstrip()
        lead = "" if not out else text[: len(text) - len(body)]
        if lead:
            put(lead, mark if out and out[-1][1] == mark else "")
        put(body, mark)
    return tuple((text, mark) for text, mark in out)


def _joined(tokens: tuple[Token, ...]) -> list[str]:
    """Each token's text with the space ``join`` prints before it: their concatenation is ``join``'s."""
    out = []
    previous: str | None = None
    for t in tokens:
        out.append(t.text if previous is None else join([previous, t.text])[len(previous) :])
        previous = t.text
    return out


def _reading_segments(reading: Reading) -> tuple[tuple[str, str], ...]:
    """A reading's text as marked runs, when all its witnesses mark its words alike (else plain)."""
    if not reading.tokens or not reading.tokens[0]:
        return ()
    marks = [_mark(t) for t in reading.tokens[0]]
    if not any(marks) or any([_mark(t) for t in tokens] != marks for tokens in reading.tokens[1:]):
        return ()
    return _segments(_joined(reading.tokens[0]), marks)


def _lacking_groups(loc: VariantLocation) -> list[tuple[str, list[str]]]:
    """The witnesses that lack the text at ``loc``, by label (``lac.``, ``def.``, ``n.c.``), in order met."""
    groups: dict[str, list[str]] = {}
    for siglum, kind in loc.lacking:
        groups.setdefault(kind.label, []).append(siglum)
    return list(groups.items())


def regularisations(reading: Reading) -> str:
    """The editor's regularisations behind a reading, as the apparatus marks them: ``ye → the (abbreviation)``;
    sigla follow a change that not every witness of the reading had."""
    found: dict[tuple[str, str, str], list[str]] = {}
    for siglum, tokens in zip(reading.sigla, reading.tokens):
        for token in tokens:
            if token.reg is not None:
                key = (token.reg.source, token.reg.target, token.reg.cls)
                if siglum not in found.setdefault(key, []):
                    found[key].append(siglum)
    notes = []
    for (source, target, cls), sigla in found.items():
        who = "" if len(sigla) == len(reading.sigla) else " " + " ".join(sigla)
        notes.append(f"{source} → {target} ({cls}){who}")
    return "; ".join(notes)


def _reading_data(reading: Reading, index_of: dict[str, int]) -> list[Any]:
    """``[text, [witness indices], cited form]``: the cited form is the shortened text used when this
    reading is the lemma (the same for every member: they read alike); then ``[[text, marks], …]`` when
    its words carry transcription markup (else null), and the editor's regularisations when there are any."""
    data = [reading.text, [index_of[s] for s in reading.sigla], _shorten(reading.text, reading.tokens[0])]
    segments = _reading_segments(reading)
    reg = regularisations(reading)
    if segments or reg:
        data.append([list(segment) for segment in segments] if segments else None)
    if reg:
        data.append(reg)
    return data


# ------------------------------------------------------------------------------------------------ view data


def view_data(apparatus: Apparatus) -> dict[str, Any]:
    """Everything the template needs: witnesses, reading text lines, apparatus groups, counts, and the
    JSON-ready ``data`` the page's script uses to switch base, hide witnesses and draw the other views."""
    gaps = gap_columns(apparatus.alignment)  # once: the lacunae's types and each base's types read them
    apparatus = with_lacunae(apparatus, gaps)
    witnesses = apparatus.witnesses
    sigla = apparatus.alignment.sigla
    index_of = {s: w for w, s in enumerate(sigla)}
    base = index_of[apparatus.base]
    # Every entry, the outer ones (spans: a long absence) included, in reading order. A span is cited where
    # its first part begins and reaches to the end of its last part; it has no piece of its own in the text.
    locations = apparatus.entries
    off = _offsets(apparatus)
    spaced = [_spaced(w.tokens) for w in witnesses]
    marks = [[_mark(t) for t in w.tokens] for w in witnesses]
    used_marks = {m for row in marks for k in set(row) if k for m in k.split()}
    runs = [_ref_runs(w.tokens) for w in witnesses]
    refs = [_Refs(r) for r in runs]

    # Reading types for every choice of base. The readings themselves (grouped by text as printed) do not
    # depend on the base; only which one is the lemma, and each other reading's type against it.
    readings_of: list[list[Reading]] = [list(loc.all_readings) for loc in locations]
    type_code = {t: k for k, t in enumerate(TYPES)}
    types_by_base: list[list[list[int | None]]] = []
    for k, loc in enumerate(locations):
        per_base = []
        lacunose_sigla = lacunose(apparatus.alignment, loc, gaps)
        for siglum in sigla:
            types = _types_against(apparatus.alignment, loc, readings_of[k], siglum, lacunose_sigla)
            per_base.append([None if t is None else type_code[t] for t in types])
        types_by_base.append(per_base)

    part_of: dict[int, int] = {}
    part_end: dict[int, int] = {}  # the part after an entry's last part
    starting = {part.start: p for p, part in enumerate(apparatus.parts)}
    ending = {part.end: p + 1 for p, part in enumerate(apparatus.parts)}
    for p, part in enumerate(apparatus.parts):
        if isinstance(part, VariantLocation):
            part_of[part.number] = p
            part_end[part.number] = p + 1
    for span in apparatus.spans:
        part_of[span.number] = starting[span.start]
        part_end[span.number] = ending[span.end]

    def cite_ref(w: int, p: int) -> str:
        first = off[p][w]
        if off[p + 1][w] == first:  # an empty reading is placed after the witness's previous token
            first = max(first - 1, 0)
        return page_ref(*refs[w].at(first))

    partners: dict[int, list[int]] = {}
    for loc in locations:
        if loc.transposition is not None:
            partners.setdefault(loc.transposition, []).append(loc.number)

    # --- the reading text of the base, cut into lines where the base's page/line changes
    lines: list[LineView] = []
    current: list[Piece] = []
    line_key: tuple[Ref, int | None] | None = None
    has_text = False
    last_page: str | None = None
    base_tokens = witnesses[base].tokens
    base_spaced = spaced[base]

    def open_line(at: int) -> None:
        """Start a new line of the reading text when token ``at`` stands on another page/line, or in another
        block of the base (a paragraph, a heading, a verse line: a page holds several)."""
        nonlocal current, line_key, last_page, has_text
        ref = refs[base].at(at)
        key = (ref, _innermost(base_tokens[at]) if at < len(base_tokens) else None)
        if key == line_key and lines:
            return
        has_text = False
        if current:
            lines[-1] = LineView(lines[-1].margin, lines[-1].ref, tuple(current))
        page, line, paragraph = ref
        if line_key is not None and ref == line_key[0]:
            margin = ""  # a new block on the same page and line: nothing new to cite
        elif line:
            margin = page_ref(page if page != last_page else None, line)
        else:
            margin = page_ref(page, None, paragraph)
        last_page = page
        line_key = key
        lines.append(LineView(margin, page_ref(page, line, paragraph), ()))
        current = []

    def add_text(text: str, mark: str = "") -> None:
        nonlocal has_text
        if mark:
            if current and current[-1].mark == mark and current[-1].number == 0:
                current[-1] = Piece(current[-1].text + text, mark=mark)  # words marked alike share one span
                return
            # A marked word starts a piece of its own; the space before it is not marked.
            body = text.lstrip()
            add_text(text[: len(text) - len(body)])
            current.append(Piece(body, mark=mark))
            has_text = True
            return
        if not has_text:
            text = text.lstrip()  # a line starts with its first letter, even after an empty variant
        has_text = has_text or bool(text)
        if current and current[-1].number == 0 and not current[-1].mark:
            current[-1] = Piece(current[-1].text + text)
        else:
            current.append(Piece(text))

    loc_types = {loc.number: tuple(str(t) for t in loc.types) for loc in locations}
    # A span has no piece of its own: a mark before its first part and one after its last stand for it
    # (the outer span's first and last), so that it can be found in the text and reached from the apparatus.
    opening: dict[int, list[VariantLocation]] = {}
    closing: dict[int, list[VariantLocation]] = {}
    for span in sorted(apparatus.spans, key=lambda x: x.number):
        opening.setdefault(part_of[span.number], []).append(span)
        closing.setdefault(part_end[span.number] - 1, []).insert(0, span)
    for p, part in enumerate(apparatus.parts):
        start, end = off[p][base], off[p + 1][base]
        lead = ""  # the space before the part's first word, printed before the marks of spans opening here
        if p in opening:
            open_line(start if end > start else max(start - 1, 0))
            if end > start:
                first = base_spaced[start]
                lead = first[: len(first) - len(first.lstrip())]
                add_text(lead)
            for span in opening[p]:
                current.append(Piece("", span.number, loc_types[span.number], edge="open"))
        if isinstance(part, Segment):
            for i in range(start, end):
                open_line(i)
                add_text(base_spaced[i][len(lead):] if i == start else base_spaced[i], marks[base][i])
        else:
            open_line(start if end > start else max(start - 1, 0))
            text = "".join(base_spaced[start:end])[len(lead):]
            segments = _segments(base_spaced[start:end], marks[base][start:end])
            if part.chosen:
                # The edition's text: the reading the editor chose, in place of the base's.
                chosen = part.lemma.text
                text = ((text[: len(text) - len(text.lstrip())] or (" " if has_text else "")) + chosen) if chosen else ""
                segments = ()
            stripped = text.lstrip()
            if stripped != text:  # the space before a variant is not part of it (nor of its underline)
                add_text(text[: len(text) - len(stripped)])
            current.append(Piece(stripped, part.number, loc_types[part.number], segments=segments))
            has_text = has_text or bool(stripped)
        for span in closing.get(p, ()):
            current.append(Piece("", span.number, loc_types[span.number], edge="close"))
    if lines:
        lines[-1] = LineView(lines[-1].margin, lines[-1].ref, tuple(current))

    # --- apparatus entries, grouped by the base's page/line as a printed apparatus is
    groups: list[GroupView] = []
    group_entries: list[EntryView] = []
    group_ref: str | None = None
    for loc in locations:
        p = part_of[loc.number]
        ref = cite_ref(base, p)
        if group_ref is None or ref != group_ref:
            if group_entries:
                groups.append(GroupView(group_ref or "", tuple(group_entries)))
            group_entries = []
            group_ref = ref
        lemma_tokens = (
            loc.lemma.tokens_of(apparatus.base)
            if apparatus.base in loc.lemma.sigla
            else (loc.lemma.tokens[0] if loc.lemma.tokens else ())
        )
        context = ""
        if loc.lemma.empty and off[p][base] > 0:
            context = base_tokens[off[p][base] - 1].text
        readings = tuple(
            ReadingView(
                r.text,
                str(r.type) if r.type else "",
                tuple(Cite(index_of[s], s, _unless(cite_ref(index_of[s], p), ref)) for s in r.sigla),
                _reading_segments(r),
                regularisations(r),
            )
            for r in loc.readings
        )
        group_entries.append(
            EntryView(
                loc.number,
                _shorten(loc.lemma.text, lemma_tokens),
                loc.lemma.text,
                context,
                loc_types[loc.number],
                readings,
                tuple(n for n in partners.get(loc.transposition, ()) if n != loc.number)
                if loc.transposition is not None
                else (),
                tuple(
                    (label, tuple(Cite(index_of[s], s, "") for s in sigla_))
                    for label, sigla_ in _lacking_groups(loc)
                ),
                tuple(Cite(index_of[s], s, "") for s in loc.lemma.sigla) if loc.chosen else (),
                loc.notes,
            )
        )
    if group_entries:
        groups.append(GroupView(group_ref or "", tuple(group_entries)))

    differs = [0] * len(sigla)
    for loc in locations:
        for r in loc.readings:
            for s in r.sigla:
                differs[index_of[s]] += 1
    witness_views = tuple(
        WitnessView(
            w,
            wit.siglum,
            wit.meta.title or "",
            wit.meta.date or "",
            wit.meta.source or "",
            wit.meta.path or "",
            PurePath(wit.meta.path).name if wit.meta.path else "",
            len(wit.tokens),
            differs[w],
        )
        for w, wit in enumerate(witnesses)
    )
    counts = {str(t): sum(1 for loc in locations if t in loc.types) for t in TYPES}

    columns = apparatus.alignment.columns
    data = {
        "base": base,
        "sigla": list(sigla),
        "types": [str(t) for t in TYPES],
        "meta": [
            {"title": v.title, "date": v.date, "source": v.source, "path": v.path, "tokens": v.tokens}
            for v in witness_views
        ],
        "tok": spaced,
        "mk": [_mark_runs(w.tokens) for w in witnesses],
        "refs": [[list(r) for r in wr] for wr in runs],
        "off": off,
        "locs": [
            {
                "n": loc.number,
                "p": part_of[loc.number],
                "r": [_reading_data(r, index_of) for r in readings_of[k]],
                "ty": types_by_base[k],
                "tr": loc.transposition,
                # A span's columns are those of the entries inside it: the table shows them there.
                "cols": [] if loc.span else [list(columns[c]) for c in range(loc.start, loc.end)],
                "q": part_end[loc.number],
                "sp": loc.span,
                "lk": [[label, [index_of[s] for s in sigla_]] for label, sigla_ in _lacking_groups(loc)],
                **({"own": _own_texts(loc, index_of)} if loc.span else {}),
            }
            for k, loc in enumerate(locations)
        ],
        "transpositions": [
            {"source": list(t.source), "target": list(t.target)} for t in apparatus.alignment.transpositions
        ],
        "columns": len(columns),
        "long": LONG_READING,
    }
    return {
        "base": apparatus.base,
        "refused": tuple(r.message for r in apparatus.refused),
        "corrections": _correction_data(apparatus, locations, part_of, part_end, off),
        "witnesses": witness_views,
        "lines": tuple(lines),
        "groups": tuple(groups),
        "types": tuple(str(t) for t in TYPES),
        "counts": counts,
        "locations": len(locations),
        "long": LONG_READING,
        "columns": len(columns),
        "data": data,
        # Marks beyond the usual four that some witness's words carry, for the legend.
        "rare_marks": tuple(m for m in MARKS if m not in LEGEND_ALWAYS and m in used_marks),
        "hands": sorted(m[1:] for m in used_marks if m.startswith("@")),
    }


def _context(tokens: tuple[Token, ...], start: int, step: int) -> str:
    """Up to ``KEY_WORDS`` words (and the punctuation among them) of ``tokens`` from ``start`` on, going
    ``step`` (-1: backwards, the words before a place; 1: the words after it), as a key writes them."""
    picked: list[Token] = []
    words = 0
    i = start
    while 0 <= i < len(tokens) and words < KEY_WORDS:
        picked.append(tokens[i])
        words += not tokens[i].punct
        i += step
    if step < 0:
        picked.reverse()
    return key_text(picked)


def _correction_data(
    apparatus: Apparatus,
    locations: tuple[VariantLocation, ...],
    part_of: dict[int, int],
    part_end: dict[int, int],
    off: list[list[int]],
) -> dict[str, Any]:
    """What the page's correction controls (``static/corrections.js``) need: per entry the base witness's
    key (words before, its words, words after, and its token range), every correction given (in the
    file's keys, so that the page exports them again), which were refused, and an id for the document
    under which the page keeps the editor's unsaved corrections."""
    sigla = apparatus.alignment.sigla
    base = sigla.index(apparatus.base)
    tokens = apparatus.witnesses[base].tokens
    keys = {}
    # Passages the base reads in a text of its own, given whole: no lemma can be chosen inside them
    # (``corrections._lemma`` refuses it), since their entries compare the other witnesses only.
    whole = [s for s in apparatus.spans if s.gives_base_whole(apparatus.base)]
    for loc in locations:
        if loc.span:
            continue  # an outer entry: the entries inside it are corrected instead
        i0, i1 = off[part_of[loc.number]][base], off[part_end[loc.number]][base]
        keys[str(loc.number)] = [_context(tokens, i0 - 1, -1), key_text(tokens[i0:i1]), _context(tokens, i1, 1),
                                 i0, i1, loc.chosen, list(loc.notes),
                                 any(s.start <= loc.start and loc.end <= s.end for s in whole)]
    given = [correction_fields(c) for c in apparatus.corrections]
    digest = hashlib.sha256()
    for w in apparatus.witnesses:
        digest.update(w.siglum.encode("utf-8", "surrogateescape") + b"\0")
        digest.update("\x1f".join(t.text for t in w.tokens).encode("utf-8", "surrogateescape") + b"\0")
    digest.update(json.dumps(given, sort_keys=True).encode("utf-8"))
    return {
        "doc": digest.hexdigest()[:24],
        "base": apparatus.base,
        "words": KEY_WORDS,
        "keys": keys,
        "given": given,
        "refused": {str(r.correction.number): r.reason for r in apparatus.refused},
    }


# ---------------------------------------------------------------------------------------------- rendering


def _script_json(data: Any) -> str:
    """JSON safe inside ``<script type="application/json">``: no ``</script>``, ``<!--`` or ``&`` can
    appear, and U+2028/U+2029 (line terminators in older JavaScript) are escaped too."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return (
        text.replace("<", "\\u003c")
        .replace(">", "\\u003e")
        .replace("&", "\\u0026")
        .replace("\u2028", "\\u2028")
        .replace("\u2029", "\\u2029")
    )


def csp_hash(text: str) -> str:
    """The Content-Security-Policy source (``sha256-…``, to be quoted) that allows one inline script or style."""
    return "sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode("ascii")


@lru_cache(maxsize=None)
def static_text(name: str) -> str:
    """A stylesheet or script of ``reports/static``, checked so that inlined verbatim it cannot close its own
    element."""
    text = (resources.files("reports") / "static" / name).read_text(encoding="utf-8")
    tag = "</style" if name.endswith(".css") else "</script"
    if tag in text.lower():
        raise AssertionError(f"{name} contains {tag}")
    return text


def _assets() -> tuple[str, str, str]:
    """The page's stylesheet (the apparatus's, the correction controls' and the search's), its script (the
    apparatus's, then the correction controls'), and the search script."""
    css = "\n".join(static_text(n) for n in ("apparatus.css", "corrections.css", "search.css"))
    js = "\n".join(static_text(n) for n in ("apparatus.js", "corrections.js"))
    return css, js, static_text("search.js")


def render(apparatus: Apparatus) -> str:
    view = view_data(apparatus)
    css, js, search_js = _assets()
    template = environment().get_template("apparatus.html.j2")
    return template.render(
        **{k: v for k, v in view.items() if k not in ("data", "corrections")},
        data_json=Markup(_script_json(view["data"])),
        corrections_json=Markup(_script_json(view["corrections"])),
        css=Markup(css),
        js=Markup(js),
        search_js=Markup(search_js),
        csp_script=csp_hash(js),
        csp_search=csp_hash(search_js),
        csp_style=csp_hash(css),
    )
