"""Writing a TEI P5 critical apparatus from an ``Apparatus``, in the three encodings of the Guidelines (§12.2).

Offers:
    render(apparatus, *, encoding="parallel-segmentation")   a full TEI document, XML declaration included
    witness_ids(sigla)                                        siglum → a valid ``xml:id`` (``1859`` → ``wit-1859``)
    ENCODINGS                                                 the accepted encoding names
    LAYOUT_NS                                                 namespace of the column layout kept in ``xenoData``

The document has a ``teiHeader`` with ``listWit`` (one ``witness`` per siglum, the siglum in ``@n`` and in a
``label``, the witness's title, date and source in a ``bibl``) and ``variantEncoding``; the apparatus comes from
the ``Apparatus`` exactly as ``collate.engine.variants.build_apparatus`` grouped it (nothing is regrouped here):
- ``parallel-segmentation``: the text in ``body``, each variant location an ``app`` in place;
- ``location-referenced``: the base witness's text in ``body`` with its ``pb``/``lb``, and the ``app``s in
  ``back``, each citing the base's page and line in ``@loc`` (``61.3``; ``61.3 61.5`` over several lines);
- ``double-end-point``: the base text with an ``anchor`` before and after each location, and the ``app``s in
  ``back`` pointing at them with ``@from``/``@to``.

The text (``body``) keeps the base witness's structure as its reader recorded it (``Source.blocks``):
divisions, headings, paragraphs, verse groups and lines with their ``@n`` (``_Layout`` keeps it valid);
an ``app`` stands in the block where its lemma begins. Inside ``lem`` and ``rdg`` the words keep the
transcription markup they came with (``add``, ``del``, ``supplied``, ``unclear``).

In every encoding: the lemma is the base witness's reading (``lem``, the base first in ``@wit``); readings
equal after normalisation share an ``rdgGrp`` (typed with the class of the editor's regularisation that made
them equal, ``abbreviation``, ``numeral``…, else ``orthographic``); ``app/@type`` and ``rdg/@type`` come from the variant typing;
``witStart``/``witEnd`` mark where a fragment's text begins after or ends before the others' (a gap, or an
absence long enough to be one, ``collate.engine.lacunae.gap_columns``; a few words lacking there are an
omission), and
``lacunaStart``/``lacunaEnd`` where a witness has a ``gap``; a witness an imported apparatus gives as
lacking in a location (``VariantLocation.lacking``) has a ``witDetail`` with ``@type`` ``lacunose``,
``not-present``, ``not-cited`` or ``ambiguous`` (text ``lac.``, ``def.``, ``n.c.``, ``amb.``) instead of a reading; transpositions are ``listTranspose/transpose``
with a ``ptr`` to each of their two ``app``s. What TEI cannot say (which column of a location each token
stands in, when that is not the obvious one, and the word-by-word links of a transposition) is kept in
``teiHeader/xenoData`` under ``LAYOUT_NS``, so that ``tei.importer`` reads back the very same table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from operator import itemgetter
from typing import Iterable, Sequence

from lxml import etree

from collate.errors import UsageError
from collate.engine.lacunae import gap_columns, with_lacunae
from collate.engine.model import Apparatus, Block, Reading, Segment, Token, VariantLocation, Witness
from collate.engine.tokens import printed_apart, spacing, would_merge

__all__ = ["render", "witness_ids", "ENCODINGS", "LAYOUT_NS"]

ENCODINGS = ("parallel-segmentation", "location-referenced", "double-end-point")
TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
LAYOUT_NS = "urn:x-collate-toolkit:alignment"
_T = f"{{{TEI_NS}}}"
_L = f"{{{LAYOUT_NS}}}"
_XML_ID = f"{{{XML_NS}}}id"
_LINE = 100  # wrap running text near this many characters: TEI readers treat the newline as a space
_ISO_DATE = re.compile(r"-?\d{4}(-\d{2}(-\d{2})?)?")
# An xml:id (an NCName: no colon, not beginning with a digit, a hyphen or a full stop).
_NCNAME = re.compile(r"[^\W\d][\w.\-]*")
_BREAK = re.compile(r"\s*\n\s*")


# ------------------------------------------------------------------------------------------------- xml:ids


_STAGES = {
    "after": "Collated as corrected: added text kept, deleted text left out.",
    "before": "Collated as first written: deleted text kept, added text left out.",
}
_EDITOR = "editor"  # the xml:id of the respStmt that lem/@resp and note/@resp point at


def _ncname(text: str) -> str:
    """``text`` with every character an NCName cannot hold replaced by ``_``."""
    return "".join(ch if _id_char(ch) else "_" for ch in text) or "_"


@lru_cache(maxsize=None)
def _id_char(ch: str) -> bool:
    """Whether libxml2 accepts ``ch`` inside an ``xml:id``. It checks NCNames against the XML 1.0 (4th
    edition) tables, which are narrower than Unicode's letter and number categories: ``A¹``, ``ſ``, ``ȝ``,
    ``ꝑ`` would make a document lxml refuses to parse. So libxml2 itself is asked, once per character."""
    if ch in "-_." or (ch.isascii() and ch.isalnum()):
        return True
    try:
        # Between two letters: a space at either end would be trimmed by xml:id normalisation and pass.
        etree.fromstring(f'<a xml:id="a{ch}a"/>')
    except (etree.XMLSyntaxError, ValueError):
        return False
    return True


def witness_ids(sigla: Sequence[str]) -> dict[str, str]:
    """A distinct valid ``xml:id`` per siglum: ``wit-`` and the siglum, odd characters as ``_``."""
    ids: dict[str, str] = {}
    used: set[str] = set()
    for siglum in sigla:
        base = f"wit-{_ncname(siglum)}"
        candidate, k = base, 1
        while candidate in used:
            k += 1
            candidate = f"{base}-{k}"
        used.add(candidate)
        ids[siglum] = candidate
    return ids


# ---------------------------------------------------------------------------------------------- mixed text


class _Mixed:
    """Appends text and elements to an element's mixed content, wrapping long lines at spaces.

    Text is buffered and attached (as ``text`` or the last child's ``tail``) only when a child follows or at
    ``close``: lxml finds an element's last child by walking its children, which is slow for a long ``p``.
    """

    __slots__ = ("element", "width", "last", "pending")

    def __init__(self, element: etree._Element) -> None:
        self.element = element
        self.width = 0
        self.last: etree._Element | None = None
        self.pending: list[str] = []

    def text(self, text: str) -> None:
        if not text:
            return
        self.pending.append(text)
        newline = text.rfind("\n")
        self.width = len(text) - newline - 1 if newline >= 0 else self.width + len(text)

    def close(self) -> None:
        if self.pending:
            text = "".join(self.pending)
            self.pending.clear()
            if self.last is None:
                self.element.text = (self.element.text or "") + text
            else:
                self.last.tail = (self.last.tail or "") + text

    def space(self) -> None:
        """A word separator: a newline once the line is long, else a space."""
        self.text("\n" if self.width >= _LINE else " ")

    def child(self, tag: str, width: int = 8, **attributes: str) -> etree._Element:
        self.close()
        child = etree.SubElement(self.element, tag)
        for key, value in attributes.items():
            child.set(key, value)
        self.last = child
        self.width += width
        return child

    def token(self, text: str) -> None:
        """A token's text; a line break inside it (``vari-⏎ation``) becomes ``<lb break="no"/>``."""
        pieces = _BREAK.split(text)
        for i, piece in enumerate(pieces):
            if i:
                self.child(f"{_T}lb", **{"break": "no"})
            self.text(piece)


# Transcription markup a token carries (``Source.flags``) written back around its words, outermost first.
MARKUP = ("del", "add", "damage", "supplied", "unclear", "surplus", "secl")


def _markup(flags: frozenset[str]) -> tuple[str, ...]:
    """The markup names a token carries, outermost first, each with the hand that made it where its witness
    named one (``add@#pbs``: written ``<add hand="#pbs">``)."""
    if not flags:
        return ()
    return tuple(_handed(name, flags) for name in MARKUP if name in flags)


def _handed(name: str, flags: frozenset[str]) -> str:
    prefix = name + "@"
    return next((f for f in flags if f.startswith(prefix)), name) if len(flags) > 1 else name


class _Wrapped:
    """Writes tokens into ``mixed`` inside nested ``add``/``del``/``supplied``/``unclear`` elements, opening
    and closing them as the tokens' markup changes (a run of tokens with the same markup shares one)."""

    __slots__ = ("outer", "stack")

    def __init__(self, outer: _Mixed) -> None:
        self.outer = outer
        self.stack: list[tuple[str, _Mixed]] = []

    @property
    def mixed(self) -> _Mixed:
        return self.stack[-1][1] if self.stack else self.outer

    def close(self, keep: int = 0) -> None:
        while len(self.stack) > keep:
            _, inner = self.stack.pop()
            inner.close()
            self.mixed.width = inner.width

    def wrap(self, names: tuple[str, ...]) -> None:
        """Close wrappers down to the common prefix with ``names``; the caller then opens the rest."""
        keep = 0
        while keep < len(self.stack) and keep < len(names) and self.stack[keep][0] == names[keep]:
            keep += 1
        self.close(keep)

    def open(self, names: tuple[str, ...]) -> None:
        for name in names[len(self.stack) :]:
            element, _, hand = name.partition("@")
            attributes = {"hand": hand} if hand else {}
            child = self.mixed.child(f"{_T}{element}", width=len(name) + 2 + 7 * bool(hand), **attributes)
            inner = _Mixed(child)
            inner.width = self.mixed.width
            self.stack.append((name, inner))


def _unwritten_markup(apparatus: Apparatus) -> dict[str, int]:
    """Per witness (in the apparatus's order), how many of its tokens carry transcription markup (``MARKUP``)
    that no reading holds: those in the text the witnesses read alike, which is written once for all, and
    those in the readings of spans that give a witness's passage whole."""
    alignment = apparatus.alignment
    tokens = [w.tokens for w in alignment.witnesses]
    marked = frozenset(MARKUP)
    found: set[tuple[int, int]] = set()
    for part in apparatus.parts:
        if not isinstance(part, VariantLocation):
            for column in alignment.columns[part.start:part.end]:
                for w, i in enumerate(column):
                    if i is not None and not marked.isdisjoint(tokens[w][i].source.flags):
                        found.add((w, i))
    for span in apparatus.spans:
        for reading in span.all_readings:
            for siglum, run in zip(reading.sigla, reading.tokens):
                if siglum not in span.inner:  # given whole (the reading of the others holds their entries)
                    w = alignment.sigla.index(siglum)
                    found.update((w, t.index) for t in run if not marked.isdisjoint(t.source.flags))
    counts = [0] * len(tokens)
    for w, _ in found:
        counts[w] += 1
    return {alignment.sigla[w]: n for w, n in enumerate(counts) if n}


def _write_tokens(
    mixed: _Mixed,
    tokens: Sequence[Token],
    markers: dict[int, list[str]] | None = None,
    marks: Sequence[tuple[str, ...]] | None = None,
) -> None:
    """Write tokens as their witness has them (``collate.engine.tokens.spacing``); ``markers[k]`` are empty
    elements (``witStart``, …) placed before token ``k``; ``marks[k]``, token ``k``'s markup (``_markup``),
    wraps it in the transcription markup it came with."""
    markers = markers or {}
    spaces = spacing(tokens)
    wrapped = _Wrapped(mixed)
    for k, token in enumerate(tokens):
        names = marks[k] if marks else ()
        if k in markers:
            wrapped.close()
        else:
            wrapped.wrap(names)
        if k and spaces[k - 1]:
            wrapped.mixed.space()
        for name in markers.get(k, ()):
            mixed.child(f"{_T}{name}")
        wrapped.open(names)
        wrapped.mixed.token(token.text)
    wrapped.close()
    for name in markers.get(len(tokens), ()):
        mixed.child(f"{_T}{name}")


# ----------------------------------------------------------------------------------------------- structure

# Elements that hold text; ``lg``, ``div`` and ``body`` hold only elements.
_TEXT_BLOCKS = frozenset({"p", "ab", "head", "l"})


@dataclass(slots=True)
class _Open:
    key: object  # the base's ``Block.serial`` (or a made-up key for a block the text needs)
    name: str
    element: etree._Element
    mixed: _Mixed
    had: set[str]  # names of the children opened in it so far


class _Layout:
    """The base witness's divisions, paragraphs, headings, verse groups and lines (``Source.blocks``) rebuilt
    around the text as it is written, always valid against ``tei_all``:

    - ``div1``…``div7`` are written ``div``; ``@n`` is kept on every block (``l n="3"``);
    - text never stands bare in ``body``, ``div`` or ``lg``: a ``p`` (or, in ``lg``, an ``l``) is supplied;
    - nothing is nested inside an ``l``, only verse inside ``p``/``ab``/``head``, no ``p`` inside ``lg``;
    - a ``head`` that does not open its division, or has nothing after it, is written ``ab type="head"`` (in
      ``lg``, ``l rend="head"``), and a
      block that follows a division inside the same container gets a ``div`` of its own, as TEI requires.
    Witnesses without structure (plain text) come out as one ``p``, as before.
    """

    def __init__(self, body: etree._Element) -> None:
        self.root = _Open("body", "body", body, _Mixed(body), set())
        self.stack: list[_Open] = []

    @property
    def mixed(self) -> _Mixed:
        return (self.stack[-1] if self.stack else self.root).mixed

    @staticmethod
    def _target(blocks: tuple[Block, ...]) -> list[tuple[object, str, str | None]]:
        out: list[tuple[object, str, str | None]] = []
        where = "division"  # what the last kept block is: division, verse (lg), text, line (l)
        for block in blocks:
            name = "div" if block.name.startswith("div") else block.name
            if where == "line":
                break
            if where == "text" and name not in ("lg", "l"):
                continue
            if where == "verse" and name not in ("lg", "l", "head"):
                continue
            out.append((block.serial, name, block.n))
            if name == "lg":
                where = "verse"
            elif name == "l" or (where == "verse" and name == "head"):
                where = "line"  # a verse heading may be written as a line: nothing nests in it either
            elif name in _TEXT_BLOCKS:
                where = "text"
        if not out or out[-1][1] not in _TEXT_BLOCKS:
            parent = out[-1][0] if out else "body"
            out.append((("text", parent), "l" if out and out[-1][1] == "lg" else "p", None))
        return out

    def move(self, blocks: tuple[Block, ...]) -> bool:
        """Make the innermost open element the one ``blocks`` asks for; True when it changed."""
        target = self._target(blocks)
        keep = 0
        while keep < len(self.stack) and keep < len(target) and self.stack[keep].key == target[keep][0]:
            keep += 1
        if keep == len(self.stack) == len(target):
            return False
        while len(self.stack) > keep:
            self._close(self.stack.pop())
        for key, name, n in target[keep:]:
            self._open(key, name, n)
        return True

    def _open(self, key: object, name: str, n: str | None) -> None:
        parent = self.stack[-1] if self.stack else self.root
        tag, kind = name, None
        if parent.name in ("body", "div"):
            wrapped = name != "div" and "div" in parent.had
            if wrapped:
                # Blocks after a division in one container: TEI wants them in a division of their own.
                wrapper = parent.mixed.child(f"{_T}div")
                parent = _Open(("div", key), "div", wrapper, _Mixed(wrapper), set())
            if name == "head" and (parent.had or wrapped):
                tag, kind = "ab", "head"
        elif parent.name == "lg" and name == "head" and parent.had:
            tag, kind = "l", "head"  # written l rend="head": TEI gives l no @type
        parent.had.add(tag)
        element = parent.mixed.child(f"{_T}{tag}")
        if n is not None:
            element.set("n", n)
        if kind is not None:
            element.set("rend" if tag == "l" else "type", kind)
        if parent.element is not (self.stack[-1] if self.stack else self.root).element:
            parent.mixed.close()  # a made-up wrapper holds this one block only
        self.stack.append(_Open(key, tag, element, _Mixed(element), set()))

    @staticmethod
    def _close(block: _Open) -> None:
        block.mixed.close()
        if block.name in ("body", "div", "lg") and block.had == {"head"}:
            # A heading with nothing after it in its container is not a TEI heading: written as the text
            # block it is (``ab``, in verse ``l``), typed "head".
            for child in block.element:
                if child.tag == f"{_T}head":
                    verse = block.name == "lg"
                    child.tag = f"{_T}{'l' if verse else 'ab'}"
                    child.set("rend" if verse else "type", "head")

    def close(self) -> None:
        while self.stack:
            self._close(self.stack.pop())
        self._close(self.root)


def _runs(tokens: Sequence[Token]) -> list[list[Token]]:
    """Consecutive tokens that stand in the same blocks."""
    out: list[list[Token]] = []
    for token in tokens:
        if out and out[-1][-1].source.blocks == token.source.blocks:
            out[-1].append(token)
        else:
            out.append([token])
    return out


# ------------------------------------------------------------------------------------------------- markers


@dataclass(frozen=True, slots=True)
class _Event:
    """A marker for one witness at a column boundary (before column ``boundary``)."""

    siglum: str
    boundary: int
    name: str  # witStart, witEnd, lacunaStart, lacunaEnd

    @property
    def opens(self) -> bool:
        """Markers after which the witness has text: they sit best in the location that follows them."""
        return self.name in ("witStart", "lacunaEnd")


def _events(apparatus: Apparatus, gaps: tuple[frozenset[int], ...]) -> list[_Event]:
    """The witnesses' markers. A witness's text starts late or ends early (``witStart``, ``witEnd``) only
    where the engine takes its absence there for a fragment's or a gap's (``gap_columns``): a witness that
    merely lacks the first or last words omits them, as every other output says, and a reader of the TEI
    must not take it for a fragment. ``gaps``: ``gap_columns`` of the alignment."""
    alignment = apparatus.alignment
    width = len(alignment.columns)
    events: list[_Event] = []
    for w, witness in enumerate(alignment.witnesses):
        cols = [c for c in range(width) if alignment.columns[c][w] is not None]
        if not cols:
            continue
        if cols[0] > 0 and cols[0] - 1 in gaps[w]:
            events.append(_Event(witness.siglum, cols[0], "witStart"))
        if cols[-1] < width - 1 and cols[-1] + 1 in gaps[w]:
            events.append(_Event(witness.siglum, cols[-1] + 1, "witEnd"))
        tokens = witness.tokens
        for i in range(len(tokens) - 1):
            if "gap" in tokens[i + 1].source.flags or "gap-after" in tokens[i].source.flags:
                events.append(_Event(witness.siglum, cols[i] + 1, "lacunaStart"))
                events.append(_Event(witness.siglum, cols[i + 1], "lacunaEnd"))
    return events


def _place(
    apparatus: Apparatus, locations: tuple[VariantLocation, ...], gaps: tuple[frozenset[int], ...]
) -> dict[tuple[int, str], dict[int, list[str]]]:
    """Markers per (location number, siglum): token position in the witness's reading → marker names.

    A marker goes into an entry that cites its witness: inside a span, the entries there do not cite the
    witnesses the span accounts for, whose markers go into the span itself. A span cites only those: the
    words of the witnesses present are in the entries inside it, where their markers go."""
    cited: dict[str, list[VariantLocation]] = {}
    for loc in locations:
        for r in loc.all_readings:
            if loc.span and not r.empty:
                continue
            for s in r.sigla:
                cited.setdefault(s, []).append(loc)
    found: dict[tuple[int, str], dict[int, list[_Event]]] = {}
    columns = apparatus.alignment.columns
    sigla = apparatus.alignment.sigla
    for event in _events(apparatus, gaps):
        w = sigla.index(event.siglum)
        mine = cited.get(event.siglum, [])
        inside = next((loc for loc in mine if loc.start < event.boundary < loc.end), None)
        if inside is None:
            after = next((loc for loc in mine if loc.start == event.boundary), None)
            before = next((loc for loc in mine if loc.end == event.boundary), None)
            inside = (after or before) if event.opens else (before or after)
        if inside is None:
            continue  # a gap between words every witness shares: no lacuna in the collation
        k = sum(1 for c in range(inside.start, min(event.boundary, inside.end)) if columns[c][w] is not None)
        found.setdefault((inside.number, event.siglum), {}).setdefault(k, []).append(event)
    placed: dict[tuple[int, str], dict[int, list[str]]] = {}
    for key, spots in found.items():
        # At one point, markers follow their columns; at the same column, a lacuna closes before the next
        # opens, and a witness ends after its last lacuna.
        order = ("lacunaEnd", "witStart", "witEnd", "lacunaStart")
        placed[key] = {
            k: [e.name for e in sorted(events, key=lambda e: (e.boundary, order.index(e.name)))]
            for k, events in spots.items()
        }
    return placed


# ------------------------------------------------------------------------------------------------ readings


class _Writer:
    def __init__(self, apparatus: Apparatus, encoding: str, gaps: tuple[frozenset[int], ...]) -> None:
        self.apparatus = apparatus
        self.encoding = encoding
        self.sigla = apparatus.alignment.sigla
        self.ids = witness_ids(self.sigla)
        self.locations = apparatus.locations  # a property that rebuilds its tuple on each call
        # Every entry, spans (outer entries over a long absence) included, in reading order.
        self.entries = apparatus.entries
        self.markers = _place(apparatus, self.entries, gaps)
        self.app_ids: dict[int, str] = {loc.number: f"app-{loc.number}" for loc in self.entries}
        # The outermost entries: what a reader of the parallel segmentation sees as its top-level ``app``s;
        # and those inside a span the base lacks, whose anchors (in the external encodings) stand in the
        # span's reading, where their words are, the base text having only the span's own two anchors.
        covered: set[int] = set()
        self.in_lacking: set[int] = set()
        self.apart: set[int] = set()  # the spans whose entries inside are in ``in_lacking``
        for span in sorted(apparatus.spans, key=lambda s: (s.start, -s.end)):
            # The base lacks the span (an empty lemma), or is given whole by it (it reads a text of its own
            # there, which the entries inside do not compare): those entries stand in the others' reading.
            apart = span.lemma.empty or apparatus.base not in span.inner
            if span.number not in covered or apart:
                inside = {e.number for e in self.entries if e is not span and span.start <= e.start and e.end <= span.end}
                covered |= inside
                if apart:
                    self.in_lacking |= inside
                    self.apart.add(span.number)
        self.top = tuple(e for e in self.entries if e.number not in covered)
        # Every encoding writes spans' readings part by part: the space before each part, and the part
        # where a span starts and the one after it ends.
        parts = apparatus.parts
        self.spaces = _spaces(apparatus)
        self.first_part = {part.start: k for k, part in enumerate(parts)}
        self.last_part = {part.end: k for k, part in enumerate(parts)}
        base = self.sigla.index(apparatus.base)
        # The base's token at or before each column, for citing where an addition stands.
        self.base_before: list[int | None] = []
        last: int | None = None
        for column in apparatus.alignment.columns:
            if column[base] is not None:
                last = column[base]
            self.base_before.append(last)

    def wit(self, sigla: Iterable[str]) -> str:
        return " ".join(f"#{self.ids[s]}" for s in sigla)

    def reading_elements(self, parent: etree._Element, loc: VariantLocation, reading: Reading, lemma: bool) -> None:
        """One ``lem``/``rdg`` per set of witnesses that share the reading's markers (usually just one)."""
        order = list(reading.sigla)
        if lemma and self.apparatus.base in order:
            order.remove(self.apparatus.base)
            order.insert(0, self.apparatus.base)
        groups: dict[tuple, list[str]] = {}
        for siglum in order:
            key = tuple(sorted((k, tuple(v)) for k, v in self.markers.get((loc.number, siglum), {}).items()))
            # Witnesses that read alike but whose transcriptions mark the words differently (one added
            # them, one did not) are given separate readings, each with its own markup.
            # A span's reading holds other entries: its witnesses' words differ inside it, so it carries none.
            marks = () if loc.span else tuple(_markup(t.source.flags) for t in reading.tokens[reading.sigla.index(siglum)])
            groups.setdefault((key, marks), []).append(siglum)
        tokens = reading.tokens[0] if reading.tokens else ()
        for n, ((key, marks), members) in enumerate(groups.items()):
            tag = "lem" if lemma and n == 0 else "rdg"
            element = etree.SubElement(parent, f"{_T}{tag}")
            element.set("wit", self.wit(members))
            if tag == "lem" and loc.chosen:  # the editor chose this reading for the edition's text
                element.set("resp", f"#{_EDITOR}")
            if reading.type is not None:
                element.set("type", reading.type.value)
            mixed = _Mixed(element)
            _write_tokens(mixed, tokens, {k: list(v) for k, v in key}, marks or None)
            mixed.close()

    def app(self, app: etree._Element, loc: VariantLocation) -> etree._Element:
        app.set(_XML_ID, self.app_ids[loc.number])
        app.set("n", str(loc.number))
        if loc.readings:  # an entry that only says who lacks the text has no variant type
            app.set("type", loc.type.value)
        readings = loc.all_readings
        groups: dict[object, list[int]] = {}
        for i, r in enumerate(readings):
            # Empty readings (an omission, a lacuna) are no spellings of one another: never one rdgGrp.
            groups.setdefault(r.norm if r.norm else ("", i), []).append(i)
        done: set[int] = set()
        for i, r in enumerate(readings):
            if i in done:
                continue
            members = groups[r.norm if r.norm else ("", i)]
            if len(members) > 1:
                group = etree.SubElement(app, f"{_T}rdgGrp")
                group.set("type", _group_type(readings[m] for m in members))
                for m in members:
                    self.reading_elements(group, loc, readings[m], lemma=m == 0)
                done.update(members)
            else:
                self.reading_elements(app, loc, r, lemma=i == 0)
                done.add(i)
        for text in loc.notes:  # the editor's notes on the entry (corrections.toml)
            note = etree.SubElement(app, f"{_T}note")
            note.set("type", "editorial")
            note.set("resp", f"#{_EDITOR}")
            note.text = text
        kinds: dict[str, list[str]] = {}
        for siglum, kind in loc.lacking:
            kinds.setdefault(kind.value, []).append(siglum)
        for kind, sigla in kinds.items():
            # A witness that lacks the text here (an imported apparatus said so) reads nothing: not "om.".
            detail = etree.SubElement(app, f"{_T}witDetail")
            detail.set("wit", self.wit(sigla))
            detail.set("type", kind)
            detail.text = next(k for _, k in loc.lacking if k.value == kind).label
        return app

    # -- header ------------------------------------------------------------------------------------------

    def header(self, tei: etree._Element) -> None:
        header = etree.SubElement(tei, f"{_T}teiHeader")
        file_desc = etree.SubElement(header, f"{_T}fileDesc")
        title_stmt = etree.SubElement(file_desc, f"{_T}titleStmt")
        base = next(w for w in self.apparatus.witnesses if w.siglum == self.apparatus.base)
        title = etree.SubElement(title_stmt, f"{_T}title")
        title.text = f"Collation of {', '.join(self.sigla)}" + (f": {base.meta.title}" if base.meta.title else "")
        corrected = any(loc.chosen or loc.notes for loc in self.apparatus.entries)
        if corrected:
            resp_stmt = etree.SubElement(title_stmt, f"{_T}respStmt")
            resp_stmt.set(_XML_ID, _EDITOR)
            etree.SubElement(resp_stmt, f"{_T}resp").text = (
                "lemmata chosen (lem/@resp) and notes on the apparatus (note/@resp)")
            etree.SubElement(resp_stmt, f"{_T}name").text = "the editor"
        publication = etree.SubElement(file_desc, f"{_T}publicationStmt")
        etree.SubElement(publication, f"{_T}p").text = "Critical apparatus generated by collate-toolkit."
        if self.apparatus.corrections:
            # Every correction given is accounted for: how many applied, and each one refused, by name.
            notes = etree.SubElement(file_desc, f"{_T}notesStmt")
            applied = len(self.apparatus.corrections) - len(self.apparatus.refused)
            summary = etree.SubElement(notes, f"{_T}note")
            summary.set("type", "corrections")
            summary.text = (f"{applied} of {len(self.apparatus.corrections)} editorial corrections applied"
                            + (f"; {len(self.apparatus.refused)} no longer appl{'y' if len(self.apparatus.refused) > 1 else 'ies'}:"
                               if self.apparatus.refused else "."))
            for refusal in self.apparatus.refused:
                note = etree.SubElement(notes, f"{_T}note")
                note.set("type", "correction-refused")
                note.text = refusal.message
        source_desc = etree.SubElement(file_desc, f"{_T}sourceDesc")
        list_wit = etree.SubElement(source_desc, f"{_T}listWit")
        for witness in self.apparatus.witnesses:
            self.witness(list_wit, witness)

        encoding_desc = etree.SubElement(header, f"{_T}encodingDesc")
        variant = etree.SubElement(encoding_desc, f"{_T}variantEncoding")
        variant.set("method", self.encoding)
        variant.set("location", "internal" if self.encoding == "parallel-segmentation" else "external")
        note = etree.SubElement(encoding_desc, f"{_T}p")
        note.text = (
            f"The lemma is the reading of the base witness {base.siglum}"
            + (", or the reading the editor chose where lem/@resp says so. "
               if any(loc.chosen for loc in self.apparatus.entries) else ". ")
            + {
                "parallel-segmentation": "Each app stands where its variation occurs in the text.",
                "location-referenced": "Each app/@loc gives page.line of the base witness where it has them "
                "(start and end when they differ), else wN, its Nth token.",
                "double-end-point": "Each app/@from and @to point at the anchors around the base witness's "
                "reading.",
            }[self.encoding]
        )
        unwritten = _unwritten_markup(self.apparatus)
        if unwritten:
            # Said, not dropped silently: a witness's add/del/supplied/unclear where the others read the same
            # words (outside any app) or in a passage a span gives whole has no reading of its own to hold it.
            said = etree.SubElement(encoding_desc, f"{_T}p")
            said.set("n", "markup")
            said.text = (
                "Transcription markup (" + ", ".join(MARKUP) + ", with the @hand of an add or del) is written in "
                "the readings of each app. It is "
                "not written where the witnesses read the same words outside any app, nor in a reading that gives "
                "one witness's text of a long passage whole; the JSON output keeps it. Tokens whose markup is not "
                "written here: "
                + "; ".join(f"{siglum} {count}" for siglum, count in unwritten.items()) + "."
            )
        profile = etree.Element(f"{_T}profileDesc")
        self.hands(profile)
        self.transpositions(profile)
        if len(profile):
            header.append(profile)
        self.layout(header)

    def witness(self, parent: etree._Element, witness: Witness) -> None:
        element = etree.SubElement(parent, f"{_T}witness")
        element.set(_XML_ID, self.ids[witness.siglum])
        element.set("n", witness.siglum)
        label = etree.SubElement(element, f"{_T}label")
        label.text = witness.siglum
        meta = witness.meta
        if meta.title or meta.date or meta.source:
            label.tail = " "
            bibl = etree.SubElement(element, f"{_T}bibl")
            last: etree._Element | None = None
            if meta.title:
                last = etree.SubElement(bibl, f"{_T}title")
                last.text = meta.title
            if meta.date:
                if last is not None:
                    last.tail = ", "
                last = etree.SubElement(bibl, f"{_T}date")
                last.text = meta.date
                if _ISO_DATE.fullmatch(meta.date):
                    last.set("when", meta.date)
            if meta.source:
                if last is not None:
                    last.tail = ". "
                last = etree.SubElement(bibl, f"{_T}note")
                last.set("type", "source")
                last.text = meta.source
        if meta.stage in _STAGES:
            # Which stage of the witness's corrections was collated: a reading of it is one of two texts.
            element[-1].tail = " "
            note = etree.SubElement(element, f"{_T}note", type="stage", subtype=meta.stage)
            note.text = _STAGES[meta.stage]

    def halves(self) -> list[tuple[int, VariantLocation, VariantLocation]]:
        """Each transposition with the location of its source half and of its target half."""
        out = []
        for t_index, t in enumerate(self.apparatus.alignment.transpositions):
            mine = [loc for loc in self.apparatus.entries if loc.transposition == t_index]
            source = next((loc for loc in mine if t.source[0] <= loc.start < t.source[1]), None)
            target = next((loc for loc in mine if t.target[0] <= loc.start < t.target[1]), None)
            if source is not None and target is not None:
                out.append((t_index, source, target))
        return out

    def hands(self, profile: etree._Element) -> None:
        """A ``handNote`` for each hand that a witness's ``add``/``del`` named by a pointer into its own file
        (``hand="#pbs"``), so that ``@hand`` in the readings points at a hand declared here."""
        named: dict[str, list[str]] = {}
        for witness in self.apparatus.alignment.witnesses:
            hands = {f.partition("@")[2] for t in witness.tokens if len(t.source.flags) > 1 for f in t.source.flags if "@" in f}
            for hand in sorted(hands):
                named.setdefault(hand, []).append(witness.siglum)
        taken = set(self.ids.values()) | set(self.app_ids.values()) | {_EDITOR}
        notes = None
        for hand, sigla in named.items():
            ident = hand[1:]
            if not hand.startswith("#") or not _NCNAME.fullmatch(ident) or ident in taken or ident.startswith("app-"):
                continue  # a pointer elsewhere (another file's hand) is kept as it is, and not declared here
            if notes is None:
                notes = etree.SubElement(profile, f"{_T}handNotes")
            note = etree.SubElement(notes, f"{_T}handNote")
            note.set(_XML_ID, ident)
            note.text = "The hand that the transcription of " + ", ".join(sigla) + f" names {hand}."

    def transpositions(self, profile: etree._Element) -> None:
        halves = self.halves()
        if not halves:
            return
        listing = etree.SubElement(profile, f"{_T}listTranspose")
        for _, source, target in halves:
            transpose = etree.SubElement(listing, f"{_T}transpose")
            for loc in (source, target):
                etree.SubElement(transpose, f"{_T}ptr").set("target", f"#{self.app_ids[loc.number]}")

    def layout(self, header: etree._Element) -> None:
        """Column layout where the default (each reading's tokens in the first columns) is not the table's."""
        alignment = self.apparatus.alignment
        root = etree.Element(f"{_L}alignment", nsmap={"ct": LAYOUT_NS})
        for loc in self.top:
            width = loc.end - loc.start
            widest = max((len(tokens) for r in loc.all_readings for tokens in r.tokens[:1]), default=0)
            if loc.span:
                widest = -1  # a span's readings hold other entries: its columns are always given
            odd = []
            for w, siglum in enumerate(self.sigla):
                cols = [c - loc.start for c in range(loc.start, loc.end) if alignment.columns[c][w] is not None]
                if cols != list(range(len(cols))):
                    odd.append((siglum, cols))
            if odd or width != widest:
                app = etree.SubElement(root, f"{_L}app")
                app.set("ref", self.app_ids[loc.number])
                if width != widest:
                    app.set("width", str(width))
                for siglum, cols in odd:
                    entry = etree.SubElement(app, f"{_L}cols")
                    entry.set("wit", self.ids[siglum])
                    entry.set("n", " ".join(map(str, cols)))
        # Columns are those of the table the importer rebuilds, so they are given as they are. Every
        # transposition is listed, also those overlapping another, which have no app of their own.
        for t in alignment.transpositions:
            entry = etree.SubElement(root, f"{_L}transposition")
            entry.set("source", f"{t.source[0]} {t.source[1]}")
            entry.set("target", f"{t.target[0]} {t.target[1]}")
            entry.set("source-wit", " ".join(self.ids[s] for s in t.source_witnesses))
            entry.set("target-wit", " ".join(self.ids[s] for s in t.target_witnesses))
            entry.set("links", " ".join(f"{a}:{b}" for a, b in t.links))
        if len(root):
            etree.SubElement(header, f"{_T}xenoData").append(root)

    # -- text --------------------------------------------------------------------------------------------

    def parallel(self, body: etree._Element) -> None:
        """The text with each location's ``app`` in place, in the base's structure (divisions, paragraphs,
        verse lines). An ``app`` stands in the block of its lemma's first word (an empty lemma: where the text
        before it stands). A span (an outer entry over a long absence) is an ``app`` whose present witnesses'
        reading holds the entries inside it; inside it the text runs on in the block where it began, since
        a reading cannot hold paragraphs."""
        layout = _Layout(body)
        parts = self.apparatus.parts
        spans = sorted(self.apparatus.spans, key=lambda s: (s.start, -s.end))
        k = 0
        while k < len(parts):
            part = parts[k]
            span = next((s for s in spans if s.start == part.start), None)
            if span is not None:
                # In the block of the base's first word in it; where the base has none, where the text before
                # it stands (the others' words there are in blocks of their own witnesses, not the base's).
                moved = _enter(layout, self.opening(layout, span, _base_tokens(span, self.apparatus.base)))
                if k and self.spaces[k] and not moved:
                    layout.mixed.space()
                k, spans = self.nest(layout.mixed, span, k, spans)
                continue
            if isinstance(part, Segment):
                previous_token: Token | None = None
                for run in _runs(part.tokens):
                    moved = layout.move(run[0].source.blocks)
                    wanted = self.spaces[k] if previous_token is None else spacing([previous_token, run[0]])[0]
                    if not moved and wanted and (k or previous_token is not None):
                        layout.mixed.space()
                    _write_tokens(layout.mixed, run)
                    previous_token = run[-1]
            else:
                tokens = _base_tokens(part, self.apparatus.base) or (part.lemma.tokens[0] if part.lemma.tokens else ())
                moved = _enter(layout, self.opening(layout, part, tokens))
                if k and self.spaces[k] and not moved:
                    layout.mixed.space()
                self.app(layout.mixed.child(f"{_T}app", width=40), part)
            k += 1
        layout.close()

    def emit(self, mixed: _Mixed, first: int, end: int, spans: list[VariantLocation], *, anchored: bool = False) -> None:
        """Parts ``first:end`` (inside a span's reading) into ``mixed``. Nested (parallel segmentation): a
        span starting there becomes an ``app`` in it, whose present witnesses' reading holds its parts and
        whose absent ones' is empty, and an entry its ``app``. ``anchored`` (the external encodings): an
        entry is its lemma's words between its two anchors, a span its parts between its own."""
        parts = self.apparatus.parts
        k = first
        while k < end:
            if k > first and self.spaces[k]:
                mixed.space()
            span = next((s for s in spans if s.start == parts[k].start), None)
            if span is not None:
                if anchored:
                    last, inner, rest = self.inside(span, spans)
                    mixed.child(f"{_T}anchor", **{_XML_ID: f"{self.app_ids[span.number]}-from"})
                    self.emit(mixed, k, last, inner, anchored=True)
                    mixed.child(f"{_T}anchor", **{_XML_ID: f"{self.app_ids[span.number]}-to"})
                    k, spans = last, rest
                else:
                    k, spans = self.nest(mixed, span, k, spans)
                continue
            part = parts[k]
            if isinstance(part, Segment):
                _write_tokens(mixed, part.tokens)
            elif anchored:
                mixed.child(f"{_T}anchor", **{_XML_ID: f"{self.app_ids[part.number]}-from"})
                _write_tokens(mixed, part.lemma.tokens[0] if part.lemma.tokens else ())
                mixed.child(f"{_T}anchor", **{_XML_ID: f"{self.app_ids[part.number]}-to"})
            else:
                self.app(mixed.child(f"{_T}app", width=40), part)
            k += 1

    def inside(
        self, span: VariantLocation, spans: list[VariantLocation]
    ) -> tuple[int, list[VariantLocation], list[VariantLocation]]:
        """The part after ``span``, the spans of ``spans`` inside it, and the others."""
        inner = [s for s in spans if s is not span and span.start <= s.start and s.end <= span.end]
        return self.last_part[span.end] + 1, inner, [s for s in spans if s is not span and s not in inner]

    def nest(
        self, mixed: _Mixed, span: VariantLocation, first: int, spans: list[VariantLocation]
    ) -> tuple[int, list[VariantLocation]]:
        """``span`` (its first part is ``first``) as an ``app`` in ``mixed``, the spans inside it nested in
        its reading; the part after it, and the spans still to come."""
        last, inner, rest = self.inside(span, spans)
        self.span_app(mixed.child(f"{_T}app", width=40), span, first, last, inner)
        return last, rest

    def span_app(
        self, app: etree._Element, span: VariantLocation, first: int, end: int, inner: list[VariantLocation],
        *, anchored: bool = False,
    ) -> etree._Element:
        """``span`` as ``app``: its present witnesses' reading holds parts ``first:end`` (``emit``), the
        spans ``inner`` among them."""
        app.set(_XML_ID, self.app_ids[span.number])
        app.set("n", str(span.number))
        app.set("type", span.type.value)
        app.set("subtype", "span")
        # The readings that hold the entries inside (``VariantLocation.inner``); the others are given whole.
        holding = [r for r in span.all_readings if any(r.tokens) and set(r.sigla) & set(span.inner)]
        for reading in span.all_readings:
            tag = "lem" if reading is span.lemma else "rdg"
            if not any(reading is r for r in holding):
                # Nothing, or a remnant of the passage: given whole, as an entry's reading is.
                self.reading_elements(app, span, reading, lemma=reading is span.lemma)
                continue
            if reading is not holding[0]:
                continue  # the witnesses that read the passage are one reading here: the entries inside differ
            element = etree.SubElement(app, f"{_T}{tag}")
            sigla = tuple(s for r in holding for s in r.sigla)
            element.set("wit", self.wit(_base_first(sigla, self.apparatus.base)))
            if reading.type is not None:
                element.set("type", reading.type.value)
            mixed = _Mixed(element)
            self.emit(mixed, first, end, inner, anchored=anchored)
            mixed.close()
        return app

    def base_text(self, body: etree._Element) -> None:
        """The base witness's text with its page and line breaks, and the anchors of the entries."""
        layout = _Layout(body)
        base = self.sigla.index(self.apparatus.base)
        base_tokens = self.apparatus.alignment.witnesses[base].tokens
        columns = self.apparatus.alignment.columns
        page: str | None = None
        line: str | None = None
        previous = ""  # the last token written; empty at the start
        glued = False  # just after an opening anchor: the next token follows without a space
        opening: dict[int, list[VariantLocation]] = {}
        closing: dict[int, list[VariantLocation]] = {}
        for span in sorted(self.apparatus.spans, key=lambda s: (s.start, -s.end)):
            if span.number not in self.in_lacking:
                opening.setdefault(span.start, []).append(span)
                closing.setdefault(span.end, []).insert(0, span)
        for part in self.apparatus.parts:
            # The base's own tokens in the part's columns: inside a span that accounts for the base, a segment
            # holds the first other witness's tokens and an entry does not cite the base. Where the editor chose
            # another reading for the edition, the text is that lemma (the base's reading is among the others).
            tokens: tuple[Token, ...]
            if isinstance(part, VariantLocation) and part.chosen:
                tokens = part.lemma.tokens[0] if part.lemma.tokens else ()
            else:
                tokens = tuple(
                    base_tokens[i] for i in map(itemgetter(base), columns[part.start:part.end]) if i is not None
                )
            ids = [s.number for s in opening.get(part.start, ())]
            own = isinstance(part, VariantLocation) and part.number not in self.in_lacking
            if own:
                ids.append(part.number)
            if ids:
                if (tokens and layout.move(tokens[0].source.blocks)) or not layout.stack:
                    # Anchors before the base's first word stand in the block of that word.
                    ahead = tokens[0] if tokens else self.base_from(part.start)
                    layout.move(ahead.source.blocks if ahead is not None else ())
                    previous = ""
                if previous and (not tokens or printed_apart(previous, tokens[0].text)):
                    layout.mixed.space()
                for number in ids:
                    layout.mixed.child(f"{_T}anchor", **{_XML_ID: f"{self.app_ids[number]}-from"})
                glued = True
            # An entry's words carry their transcription markup, as its lem has them (the text read alike
            # outside the entries is written once for all witnesses, without any).
            wrapped: _Wrapped | None = None
            for token in tokens:
                if layout.move(token.source.blocks):
                    if wrapped is not None:
                        wrapped.close()
                        wrapped = None
                    previous, glued = "", False
                names = _markup(token.source.flags) if own else ()
                if wrapped is None and names:
                    wrapped = _Wrapped(layout.mixed)
                if wrapped is not None:
                    wrapped.wrap(names)
                mixed = wrapped.mixed if wrapped is not None else layout.mixed
                src = token.source
                breaks = []
                if src.page is not None and src.page != page:
                    breaks.append(("pb", src.page))
                    page, line = src.page, None
                if src.line is not None and src.line != line:
                    breaks.append(("lb", src.line))
                    line = src.line
                if previous and not glued and (breaks or printed_apart(previous, token.text)):
                    mixed.space()
                for name, n in breaks:
                    mixed.child(f"{_T}{name}", n=n)
                if wrapped is not None:
                    wrapped.open(names)
                    mixed = wrapped.mixed
                mixed.token(token.text)
                previous = token.text
                glued = False
            if wrapped is not None:
                wrapped.close()
            if own:
                layout.mixed.child(f"{_T}anchor", **{_XML_ID: f"{self.app_ids[part.number]}-to"})
                glued = False
            for span in closing.get(part.end, ()):
                layout.mixed.child(f"{_T}anchor", **{_XML_ID: f"{self.app_ids[span.number]}-to"})
                glued = False
        layout.close()

    def opening(self, layout: _Layout, part: VariantLocation, tokens: tuple[Token, ...]) -> tuple[Token, ...]:
        """The tokens whose block ``part`` stands in: ``tokens``, or where it has none before the base's first
        word, that word (in its block, not a block of its own before the base's divisions)."""
        if tokens or layout.stack:
            return tokens
        ahead = self.base_from(part.start)
        return (ahead,) if ahead is not None else ()

    def base_from(self, column: int) -> Token | None:
        """The base's first token at or after ``column``, if it has one."""
        base = self.sigla.index(self.apparatus.base)
        columns = self.apparatus.alignment.columns
        index = next((col[base] for col in columns[column:] if col[base] is not None), None)
        return None if index is None else self.apparatus.alignment.witnesses[base].tokens[index]

    def external(self, text: etree._Element) -> None:
        if not self.entries:
            return  # witnesses that agree throughout: no apparatus (an empty listApp would not be valid)
        back = etree.SubElement(text, f"{_T}back")
        div = etree.SubElement(back, f"{_T}div")
        div.set("type", "apparatus")
        listing = etree.SubElement(div, f"{_T}listApp")
        spans = sorted(self.apparatus.spans, key=lambda s: (s.start, -s.end))
        for loc in self.entries:
            element = etree.SubElement(listing, f"{_T}app")
            if loc.span and loc.number in self.apart and loc.number not in self.in_lacking:
                # A span the base lacks or is given whole by: the base text has only its own words between the
                # span's two anchors, so the reading of the witnesses the entries inside compare holds their
                # words, with the anchors of those entries.
                last, inner, _ = self.inside(loc, spans)
                app = self.span_app(element, loc, self.first_part[loc.start], last, inner, anchored=True)
            else:
                app = self.app(element, loc)
            if loc.span:
                app.set("subtype", "span")  # an outer entry over a long absence; the entries inside overlap it
            if self.encoding == "location-referenced":
                app.set("loc", self.loc(loc))
            else:
                app.set("from", f"#{self.app_ids[loc.number]}-from")
                app.set("to", f"#{self.app_ids[loc.number]}-to")

    def loc(self, loc: VariantLocation) -> str:
        """``page.line`` of the base's reading (start and end when they differ), or ``wN`` without them."""
        base = self.sigla.index(self.apparatus.base)
        witness = self.apparatus.alignment.witnesses[base]
        columns = self.apparatus.alignment.columns
        inside = [columns[c][base] for c in range(loc.start, loc.end) if columns[c][base] is not None]
        if inside:
            tokens = [witness.tokens[inside[0]], witness.tokens[inside[-1]]]
        else:
            # An addition: cite where it stands, after the base's preceding token (or before its first).
            index = self.base_before[loc.start - 1] if loc.start else None
            if index is None:
                index = 0
            tokens = [witness.tokens[index]] if witness.tokens else []
        refs = []
        for token in tokens:
            src = token.source
            if src.page is not None and src.line is not None:
                ref = f"{src.page}.{src.line}"
            elif src.page is not None or src.line is not None:
                ref = str(src.page if src.page is not None else src.line)
            else:
                ref = f"w{token.index + 1}"
            ref = "_".join(ref.split())  # teidata.word: no spaces
            if ref not in refs:
                refs.append(ref)
        return " ".join(refs) or "w1"

    def document(self) -> etree._Element:
        tei = etree.Element(f"{_T}TEI", nsmap={None: TEI_NS})
        self.header(tei)
        text = etree.SubElement(tei, f"{_T}text")
        body = etree.SubElement(text, f"{_T}body")
        if self.encoding == "parallel-segmentation":
            self.parallel(body)
        else:
            # Location-referenced entries are cited by ``@loc``; the anchors beside them (which a reader of
            # ``@loc`` ignores) let the file be read back exactly, where a line alone would leave an
            # addition's place in it, or an entry inside a passage the base lacks, to a guess.
            self.base_text(body)
            self.external(text)
        return tei


def _enter(layout: "_Layout", tokens: Sequence[Token]) -> bool:
    """Open the block of ``tokens``' first word (or, for none, a text block if nothing is open yet); True
    when that started a new block, so that no space is wanted before what follows."""
    if tokens:
        return layout.move(tokens[0].source.blocks)
    return not layout.stack and layout.move(())


def _base_first(sigla: Sequence[str], base: str) -> list[str]:
    order = list(sigla)
    if base in order:
        order.remove(base)
        order.insert(0, base)
    return order


def _base_tokens(part: VariantLocation, base: str) -> tuple[Token, ...]:
    """The base's tokens in a location: the lemma's, unless a span accounts for the base there (then none:
    the base text has nothing at that place)."""
    if base in part.absent or not part.lemma.tokens or base not in part.lemma.sigla:
        return ()
    return part.lemma.tokens[part.lemma.sigla.index(base)]


def _spaces(apparatus: Apparatus) -> list[bool]:
    """Whether a space precedes each part in the parallel segmentation.

    One space at a boundary serves every witness whose text runs through it, so it is there when any of
    them has a space between its two tokens there (its own spacing, ``collate.engine.tokens.spacing``). A
    witness whose reading is empty in between (an omission, a span it is absent from) sees the part
    before the entry joined to the part after it: where its two tokens would otherwise glue into one word
    (``Victor`` and ``You`` around an omitted ``, "``), the space goes after the entry, between entries,
    never inside a reading."""
    alignment = apparatus.alignment
    parts = apparatus.parts
    part_at = [0] * len(alignment.columns)
    for k, part in enumerate(parts):
        for c in range(part.start, part.end):
            part_at[c] = k
    spaces = [False] * len(parts)
    pending: list[tuple[int, int, int]] = []  # (part before, part after, witness)
    for w, witness in enumerate(alignment.witnesses):
        tokens = witness.tokens
        previous_part = -1
        for c, column in enumerate(alignment.columns):
            i = column[w]
            if i is None:
                continue
            k = part_at[c]
            if i and k != previous_part and previous_part >= 0 and spacing(tokens[i - 1 : i + 1])[0]:
                if k == previous_part + 1:
                    spaces[k] = True
                elif would_merge(tokens[i - 1].text, tokens[i].text):
                    # Across an entry it reads nothing of, only a space that keeps two words apart is
                    # forced on the others; a lost space before a comma is not worth an added one.
                    pending.append((previous_part, k, w))
            previous_part = k
    # A space at a boundary in between may stand inside an entry this witness does not read: only the one
    # after the entries is sure to be in its text.
    # …or, where a span gives the witness whole (its reading of the span stands where the span begins, not in
    # the part of its next token), the one before that span.
    for i, j, w in pending:
        spaces[j] = True
        siglum = alignment.sigla[w]
        for span in apparatus.spans:
            if parts[i].start < span.start <= parts[j].start < span.end and siglum not in span.inner:
                spaces[part_at[span.start]] = True  # a span starts where a part does
    return spaces


def _group_type(readings: Iterable[Reading]) -> str:
    """An ``rdgGrp``'s type: the class of the editor's regularisation that made its readings one (abbreviation,
    numeral, …) when one did, else ``orthographic`` (equal after normalisation)."""
    for reading in readings:
        for tokens in reading.tokens:
            for token in tokens:
                if token.reg is not None:
                    return token.reg.cls
    return "orthographic"


def render(apparatus: Apparatus, *, encoding: str = "parallel-segmentation") -> str:
    """The apparatus as a TEI P5 document (``tei_all``-valid), with an XML declaration."""
    if encoding not in ENCODINGS:
        raise UsageError(f"unknown encoding {encoding!r}; choose one of {', '.join(ENCODINGS)}")
    gaps = gap_columns(apparatus.alignment)  # once: the lacunae's types and the witnesses' markers read them
    tei = _Writer(with_lacunae(apparatus, gaps), encoding, gaps).document()
    _indent(tei)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(tei, encoding="unicode") + "\n"


# Elements whose content is text: their whitespace is the text's, so indentation must not touch it.
_MIXED = frozenset(
    f"{_T}{name}"
    for name in ("p", "ab", "head", "l", "lem", "rdg", "title", "label", "bibl", "note", "date")
    + ("add", "del", "supplied", "unclear")
)


def _indent(element: etree._Element, level: int = 0) -> None:
    """Indent element-only content; mixed content (``p``, ``lem``, ``rdg``, ``title``…) is left as written."""
    children = list(element)
    if not children or element.tag in _MIXED:
        return
    inner = "\n" + "  " * (level + 1)
    element.text = inner
    for child in children:
        child.tail = inner
        _indent(child, level + 1)
    children[-1].tail = "\n" + "  " * level
