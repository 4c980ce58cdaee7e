"""The text of one TEI witness: what is collated, with every stretch traced back to its source.

Offers:
    TeiOptions    which member of ``choice`` and which stage of ``add``/``del`` the reader keeps
    Extract       one witness's collated text, its source map (``Run``s), and what was left out
    Run           a stretch of the collated text and where it came from (element, page, line, file line, flags)
    Omission      text kept out of the collation (``note``, ``fw``, ``figDesc``) and where it stood
    extract_text(root, …)                                one element's text as an ``Extract``
    tokens_of(extract, normalizer)                       an ``Extract`` tokenised into ``Token``s
    header_meta(tei, path)                               a ``WitnessMeta`` from a ``teiHeader``
    witness_meta(witness, path)                          a ``WitnessMeta`` from a ``listWit/witness``
    local_name, text_of, TEI_NS, XML_NS, BLOCKS          helpers the reader, the importer and the OCR reader share
    STRUCTURE, SPAN_BOUNDS                               the elements kept in ``Source.blocks``; where an unended span ends

What is collated. Only ``<text>`` is read (the ``teiHeader`` is metadata). Inside it:
- ``choice`` keeps one member: the first of ``options.prefer`` found (default ``corr``, ``expan``, ``reg``),
  else the editorial member of its pair, else the first member;
- ``add``/``del`` (also inside ``subst`` or ``mod``) follow ``options.stage``: ``"after"`` keeps the added text
  and drops the deleted, ``"before"`` the reverse; ``addSpan``/``delSpan`` up to their ``@spanTo`` anchor
  likewise, and ``mdel`` (letters struck out within a word, as the Frankenstein Variorum's ODD writes them)
  and ``del-INNER`` (its deletion inside a revision) as ``del``; any other element TEI does not define is
  read as a container, its text the witness's, with a warning (``elements.TEI_ELEMENTS``);
- a span or milestone whose end cannot be found is never left to run to the end of the witness: a
  ``@spanTo`` with no ``xml:id`` after it ends at a later element whose ``@anchor`` names that id (the
  ``<delSpan anchor="X"/>`` some transcriptions write), else with the innermost division or paragraph-level
  block around it (``SPAN_BOUNDS``), as does an ``@sID`` with no ``@eID`` after it; each such assumption is
  an ``InputWarning`` (file, line, what was assumed);
- ``lb``, ``pb``, ``cb`` with ``break="yes"`` separate words and with ``break="no"`` join the two halves (a
  hyphen printed before the break stays in the token's text, as in plain text, and the normaliser removes
  it); without ``@break``, whitespace decides: ``de<pb/>lighted`` is one word, ``de <pb/>lighted`` two;
- ``note``, ``fw`` and ``figDesc`` stay out of the text but are kept as ``Omission``s, and the token before
  each carries the element's name as a flag;
- ``gap`` (and an apparatus's ``lacunaStart``/``lacunaEnd``): the tokens on either side are flagged
  ``gap-after`` and ``gap``; tokens inside ``unclear``,
  ``supplied``, ``damage`` are flagged so; kept ``add``/``del`` and the chosen ``choice`` member flag theirs;
- milestone markup (an empty element with ``@sID`` up to its partner with the same ``@eID``) acts as the
  element it stands for, and so do the Frankenstein Variorum's flattened elements (``<del ana="start"/>`` up
  to ``<del ana="end"/>``; ``<milestone unit="tei:p-START"/>`` up to ``unit="tei:p-END"``, and
  ``<milestone unit="tei:head" spanTo="#x"/>``), a heading or paragraph so marked being a block;
  ``hi``, ``quote``, ``q``, ``name``, ``foreign`` and any other phrase-level markup is
  transparent; only block elements (``BLOCKS``) separate words. Whitespace holding a line break of the file
  right before punctuation printed with no space before it (``ἐκλογῆς⏎   </quote>,``) is layout: dropped.

Structure. Each token's ``Source.blocks`` lists the divisions, paragraphs, headings, verse groups and verse
lines around it (``STRUCTURE``, with their ``@n``), so that an apparatus can rebuild them around the base text
and cite a verse by its line number (``Source.verse``).

Page and line. ``pb/@n`` sets the page and restarts the line count; ``lb/@n`` sets the line, or, when absent,
the line is counted from the last ``pb`` (on a page that marks its lines, text before its first ``lb`` is
line 1). Every token knows both, so an apparatus can cite "p. 61, l. 3".

"""

from __future__ import annotations

import re
import warnings
from bisect import bisect_left, bisect_right
from dataclasses import dataclass, replace
from typing import Callable

from lxml import etree

from .elements import TEI_ELEMENTS
from collate.engine.model import Block, Source, Token, WitnessMeta
from collate.errors import InputWarning
from collate.engine.normalize import DEFAULT, Normalizer
from collate.engine.tokens import make_tokens

__all__ = [
    "TeiOptions",
    "TEI_NS",
    "XML_NS",
    "BLOCKS",
    "STRUCTURE",
    "SPAN_BOUNDS",
    "Run",
    "Omission",
    "Extract",
    "tokens_of",
    "header_meta",
    "witness_meta",
    "extract_text",
    "local_name",
    "text_of",
]


@dataclass(frozen=True, slots=True)
class TeiOptions:
    """``choice`` members preferred, first found wins; ``stage``: ``"after"`` (add kept, del dropped) or
    ``"before"`` (del kept, add dropped)."""

    prefer: tuple[str, ...] = ("corr", "expan", "reg")
    stage: str = "after"


TEI_NS = "http://www.tei-c.org/ns/1.0"
XML_NS = "http://www.w3.org/XML/1998/namespace"
_XML_ID = f"{{{XML_NS}}}id"

# Words on either side of these are separate words even when no space separates them in the file. Only
# block-level elements (and ``w``, which is a word): phrase-level ones (``quote``, ``q``, ``cit``, ``bibl``,
# ``hi``, ``name``, ``foreign``, ``title`` …) are inline, so "ἀληθείας</quote>." stays one word and its stop.
BLOCKS = frozenset(
    "TEI text front body back group div div1 div2 div3 div4 div5 div6 div7 p ab head l lg item list label "
    "table row cell sp speaker stage trailer byline dateline opener closer salute signed argument epigraph "
    "docTitle titlePart titlePage docImprint docAuthor docDate figure floatingText postscript w "
    "listBibl".split()
)
# The structure a token's ``Source.blocks`` records, so that an apparatus can rebuild it around the base text.
STRUCTURE = frozenset("div div1 div2 div3 div4 div5 div6 div7 p ab head lg l".split())
# Where a span whose end cannot be found is taken to end: the innermost of these around it.
SPAN_BOUNDS = frozenset(
    "text front body back group div div1 div2 div3 div4 div5 div6 div7 p ab head l lg item cell sp "
    "note".split()
)
# Elements whose own text is only layout: whitespace between their children is not a word separator.
ELEMENT_ONLY = frozenset({"choice", "subst", "app", "rdgGrp"})
# Elements of mixed content whose whitespace that holds a line break of the file, alone after one of their
# children, is layout: ``<mod>⏎ <del>t</del>⏎ <add>T</add>⏎</mod>urkish`` is one word, "Turkish". (Before
# the first child it still parts the element from a word before it: ``me<mod>⏎ <add>G</add>⏎</mod>od``.)
LAYOUT_INSIDE = frozenset({"mod"})
# Left out of the collated text, but kept as ``Omission``s in the source map.
OMITTED = frozenset({"note", "fw", "figDesc"})
# Never witness text.
IGNORED = frozenset(
    "interp interpGrp span spanGrp link linkGrp listTranspose listWit certainty respons index fs fLib metamark "
    "witDetail wit desc alt altGrp join joinGrp timeline substJoin".split()
)
FLAGGED = frozenset({"unclear", "supplied", "damage", "surplus", "secl", "subst"})
# Marks whose ``@hand`` is kept, as a flag of its own beside the mark (``add@#pbs``): who added or deleted.
HANDED = frozenset({"add", "del"})
# Page, column and line breaks: milestones of the layout, read for the places they give.
BREAKS = frozenset(("lb", "pb", "cb"))
# The editorial member of each ``choice`` pair: what a reading text normally shows.
EDITORIAL = ("corr", "expan", "reg")
_HYPHENS = frozenset("-\u00ad\u00ac\u2010\u2e17")
# Punctuation printed with no space before it (as ``collate.engine.tokens.join`` prints it), and the Greek
# ano teleia and question mark.
_CLOSING = frozenset(",.;:!?)]}’”»…%\u00b7\u0387\u037e")
# Elements of projects' own customisations that the reader knows: the Frankenstein Variorum's and the
# Shelley-Godwin Archive's ``mdel`` (letters struck out within a word), ``del-INNER`` (a deletion inside a
# revision), ``sga-add`` (an addition, as ``add``) and ``shi`` (a styled stretch, as ``hi``).
_CUSTOMISED = frozenset({"mdel", "shi", "del-INNER", "sga-add"})
_SPACE = re.compile(r"\s+")
_LAYOUT = re.compile(r"[ \t\r]*\n\s*")  # whitespace that holds a line break


_LOCAL_NAMES: dict[object, str | None] = {}  # tag → local name: a walk asks for the same few tags again and again


def local_name(element: etree._Element) -> str | None:
    """The TEI local name of ``element``; None for comments, processing instructions and foreign elements."""
    tag = element.tag
    try:
        return _LOCAL_NAMES[tag]
    except KeyError:
        pass
    name: str | None
    if not isinstance(tag, str):
        name = None
    elif tag.startswith("{"):
        namespace, _, local = tag[1:].partition("}")
        name = local if namespace == TEI_NS else None
    else:
        name = tag
    if len(_LOCAL_NAMES) < 4096:  # a file of endless made-up element names must not grow it without bound
        _LOCAL_NAMES[tag] = name
    return name


def text_of(element: etree._Element) -> str:
    """All text inside ``element``, whitespace collapsed (for metadata, not for collation)."""
    return " ".join("".join(element.itertext()).split())


@dataclass(frozen=True, slots=True)
class Run:
    """Collated text from ``start`` up to the next run's start came from here."""

    start: int
    element: str
    page: str | None
    line: str | None
    file_line: int | None
    flags: frozenset[str]
    blocks: tuple[Block, ...] = ()


@dataclass(frozen=True, slots=True)
class Omission:
    """Text left out of the collation (a ``note``, ``fw`` or ``figDesc``): it stood at ``offset``."""

    kind: str
    element: str
    text: str
    offset: int
    page: str | None
    line: str | None
    file_line: int | None


@dataclass(frozen=True, slots=True)
class Extract:
    """One witness's collated text and its source map, before tokenising."""

    siglum: str
    meta: WitnessMeta
    text: str
    runs: tuple[Run, ...]
    omissions: tuple[Omission, ...]
    gaps: tuple[int, ...]  # offsets in ``text`` where a ``gap`` stood
    file_line: int | None  # where the witness's text begins in the file


# --------------------------------------------------------------------------------------------------- walking


@dataclass(slots=True)
class _Ctx:
    """What holds inside one open element."""

    name: str | None
    label: str
    skip: bool
    physical: bool  # False inside a choice member not taken: its lb/pb are not the witness's lines
    flags: frozenset[str]
    collector: list[str] | None  # where skipped text goes (an open Omission)
    counts: dict[str, int]
    in_app: bool = False
    app_start: int | None = None  # set on an outermost ``app``: where its reading begins in the text
    nested_start: int | None = None  # the same for an ``app`` inside a read ``lem``/``rdg``
    blocks: tuple[Block, ...] = ()
    closes: list["_Effect"] | None = None  # spans with no end of their own, closed with this element


@dataclass(slots=True)
class _Effect:
    """What a milestone (``@sID``, ``@spanTo``, or a pair of empty elements marked ``@ana="start"`` and
    ``"end"``) switches on until its end: text skipped, a flag, a block of the structure (``block``), and
    for a note so marked, where its text is collected to become an ``Omission`` (``omission``)."""

    skip: bool
    flag: str | None
    block: Block | None = None
    omission: tuple[str, str, list[str], int, str | None, str | None, int | None] | None = None
    # The hand that made it (``@hand`` of an ``add``/``del``, ``#pbs``): the flag ``add@#pbs`` beside ``add``.
    hand: str | None = None

    def flags(self) -> tuple[str, ...]:
        if self.flag is None:
            return ()
        return (self.flag, f"{self.flag}@{self.hand}") if self.hand else (self.flag,)


@dataclass(slots=True)
class _Places:
    """Positions in document order (``root.iter()``) of what the walk looks ahead for: each ``xml:id``; each
    ``@anchor`` (with its line and element); each ``@eID``; each flattened end marker, by the name it pairs
    by (``_flat_name``); each ``lb`` and ``pb``."""

    ids: dict[str, int]
    anchors: dict[str, list[tuple[int, int | None, str]]]
    ends: dict[str, list[int]]
    flat_ends: dict[str, list[int]]
    lbs: list[int]
    pbs: list[int]


class _Walker:
    """Walks one witness's ``text`` element (iteratively: depth is bounded by ``safe``, not by Python's stack)."""

    def __init__(
        self,
        options: "TeiOptions",
        path: str,
        select: Callable[[etree._Element], etree._Element | None] | None = None,
    ) -> None:
        # ``select(app)``: the member of an ``app`` (or ``rdgGrp``) holding the reading of the witness being
        # read out of an apparatus; None reads an ``app`` inside a witness as its ``lem``.
        self.select = select
        self.apps: list[tuple[etree._Element, int, int]] = []  # outermost apps: element, start, end offsets
        self.nested: list[tuple[etree._Element, int, int]] = []  # apps inside the readings read, likewise
        self.markers: list[tuple[etree._Element, int]] = []  # witStart, lacunaEnd, …: element, offset
        self.prefer = tuple(options.prefer)
        self.stage = options.stage
        self.corrected = False  # whether an add or del was met: the stage read is then worth recording
        self.path = path
        self.buf: list[str] = []
        self.length = 0
        self.last_ws = True  # at the start, leading whitespace is dropped
        self.join_pending = False
        self.runs: list[Run] = []
        self.omissions: list[Omission] = []
        self.gaps: list[int] = []
        self.page: str | None = None
        self.line: str | None = None
        self.line_count = 0
        self.page_begun = True  # False from a pb with lines marked until the page's first text or line break
        self.file_line = 1
        self.virtual: dict[str, _Effect] = {}  # open @sID milestones
        self.spans: dict[str, list[_Effect]] = {}  # open @spanTo spans, by target id
        self.anchored: dict[str, list[_Effect]] = {}  # open @spanTo spans closed by an element's @anchor
        self.open_effects: list[_Effect] = []
        self.stack: list[_Ctx] = []
        self.pending: list[tuple[str, str, list[str], int, str | None, str | None, int | None]] = []
        # An lb/pb/cb without @break met right after a letter: one word if no whitespace follows it either.
        self.soft = False
        self.indent = False  # the text so far ends in whitespace that holds a line break (layout)
        # Between ``<w ana="start"/>`` and ``<w ana="end"/>`` (a word the Frankenstein Variorum marks across
        # its markup: ``<w ana="start"/>inters<lb/></seg><mod>…<add>ected<w ana="end"/></add>``), the
        # file's whitespace is layout, not a word division.
        self.glued = False
        self.flat: dict[str, list[_Effect]] = {}  # open ``<X ana="start"/>`` markers, by element name
        self.editions: frozenset[str] | None = None  # see ``extract_text``
        self.unknown: set[str] = set()  # names met that TEI does not define, said once each
        self.serial = 0  # structural elements met so far (``Block.serial``)
        self.last_choice: tuple[etree._Element | None, etree._Element | None] = (None, None)
        self.position = -1  # of the element being started, in document order (as ``root.iter()`` counts)
        self.root: etree._Element | None = None
        # Built on the first span or milestone met: where each xml:id, @anchor and @eID stands.
        self.places: _Places | None = None

    # -- output ------------------------------------------------------------------------------------------

    def _skipping(self, ctx: _Ctx) -> bool:
        return ctx.skip or any(e.skip for e in self.open_effects)

    def _flags(self, ctx: _Ctx) -> frozenset[str]:
        extra = [f for e in self.open_effects if e.flag for f in e.flags()]
        return ctx.flags.union(extra) if extra else ctx.flags

    def _append(self, text: str, ctx: _Ctx, file_line: int) -> None:
        if not self.page_begun and not text.isspace():
            # Text after a page break and before any line break stands on the page's first line: the line
            # breaks that follow begin the second, third … (``<pb/>alpha<lb/>delta``: delta is on line 2).
            self.page_begun = True
            if self.line is None:
                self.line_count = 1
                self.line = "1"
        if (
            self.indent and self.last_ws and text[0] in _CLOSING and self.select is None and not ctx.in_app
            and self._before_space() != text[0]
        ):
            # "ἐκλογῆς<ref/>⏎   </quote>, ὁ": a line break of the file's layout before punctuation that takes
            # no space before it is no space of the text. (Not in an apparatus, whose readings' offsets are
            # taken where each begins. Nor after the same mark: ".⏎." is two stops, which ".." would make one.)
            self._trim()
        blocks = ctx.blocks
        if self.open_effects:
            opened = tuple([e.block for e in self.open_effects if e.block is not None])
            if opened:
                blocks = blocks + opened
        run = Run(self.length, ctx.label, self.page, self.line, file_line, self._flags(ctx), blocks)
        previous = self.runs[-1] if self.runs else None
        if previous is None or (
            previous.element,
            previous.page,
            previous.line,
            previous.file_line,
            previous.flags,
            previous.blocks,
        ) != (run.element, run.page, run.line, run.file_line, run.flags, run.blocks):
            if previous is not None and previous.start == self.length:
                self.runs[-1] = run
            else:
                self.runs.append(run)
        self.buf.append(text)
        self.length += len(text)
        self.last_ws = text[-1].isspace()
        self.indent = False

    def text(self, raw: str | None, ctx: _Ctx) -> None:
        """Emit ``raw`` (a text node) in ``ctx``: whitespace collapsed, lines of the file tracked."""
        if not raw:
            return
        skipping = self._skipping(ctx)
        if skipping:
            if ctx.collector is not None:
                ctx.collector.append(raw)
            for effect in self.open_effects:
                if effect.omission is not None:
                    effect.omission[2].append(raw)
            self.file_line += raw.count("\n")
            return
        if self.glued and "\n" in raw:
            # Inside a marked word, whitespace that holds a line break is the file's layout: dropped. A
            # space within a line is still a space (``<w ana="start"/>my devo<lb/>ted<w ana="end"/>``).
            self.file_line += raw.count("\n")
            raw = _LAYOUT.sub("", raw)
            if not raw:
                return
            self.soft = False
        if self.soft:
            self.soft = False
            if raw[0].isspace():
                self._break()
            elif self.buf and self.buf[-1][-1] in _HYPHENS:
                # Joined as across ``break="no"``: "vari-⏎ation" is one token whose normal form drops the hyphen.
                self.buf.append("\n")
                self.length += 1
        pieces = raw.split("\n")
        for i, piece in enumerate(pieces):
            if i:
                self.space()
                self.indent = self.indent or self.last_ws
            chunk = _SPACE.sub(" ", piece)
            if self.join_pending:
                chunk = chunk.lstrip()
                if chunk:
                    self.join_pending = False
            elif self.last_ws and chunk.startswith(" "):
                chunk = chunk[1:]
            if chunk:
                self._append(chunk, ctx, self.file_line + i)
        self.file_line += len(pieces) - 1

    def _break(self) -> None:
        self._trim()
        self.buf.append("\n")
        self.length += 1
        self.last_ws = True

    def space(self) -> None:
        self.soft = False
        if not self.last_ws and not self.join_pending:
            self.buf.append(" ")
            self.length += 1
            self.last_ws = True

    def _before_space(self) -> str:
        """The character before the text's trailing space (empty if none)."""
        tail = "".join(self.buf[-2:])
        return tail[-2:-1]

    def _trim(self) -> None:
        if self.buf and self.last_ws:
            last = self.buf[-1]
            self.buf[-1] = last[:-1]
            if not self.buf[-1]:
                self.buf.pop()
            self.length -= 1
            while self.runs and self.runs[-1].start >= self.length:
                self.runs.pop()
            self.last_ws = bool(self.buf) and self.buf[-1][-1].isspace()

    def line_break(self, element: etree._Element, ctx: _Ctx, name: str) -> None:
        if ctx.physical:
            n = element.get("n")
            if name == "pb":
                self.page = n
                self.line = None
                self.line_count = 0
                # A page whose lines are marked: its text before the first ``lb`` is its first line.
                self.page_begun = not self._lines_follow()
            elif name == "lb":
                self.line_count += 1
                self.line = n if n else str(self.line_count)
                self.page_begun = True
        if self._skipping(ctx) or not self.buf:
            return
        # ``@break`` as written: an absent one is not "yes" (a schema's or DTD's default is not applied).
        declared = element.get("break")
        if declared == "no":
            self.soft = False
            self._trim()
            if self.buf and self.buf[-1][-1] in _HYPHENS:
                # Kept as in plain text: "vari-\nation" is one token whose normal form drops the hyphen.
                self.buf.append("\n")
                self.length += 1
            self.last_ws = False
            self.join_pending = True
        elif declared is None and not self.last_ws and not self.join_pending:
            # No space before it: "de<pb/>lighted" is one word, "de<pb/> lighted" two (decided on the next text).
            self.soft = True
        elif not self.join_pending:
            self.soft = False
            self._break()

    def _lines_follow(self) -> bool:
        """Whether an ``lb`` stands after the element being read and before the next ``pb``."""
        places = self._places()
        lbs, pbs = places.lbs, places.pbs
        at = bisect_right(lbs, self.position)
        if at == len(lbs):
            return False
        following = bisect_right(pbs, self.position)
        return following == len(pbs) or lbs[at] < pbs[following]

    # -- elements ----------------------------------------------------------------------------------------

    def _chosen(self, parent: etree._Element, parent_name: str | None) -> etree._Element | None:
        """The member of a ``choice`` (or of an ``app`` inside a witness) that the witness text keeps."""
        members = [c for c in parent if local_name(c) is not None]
        if not members:
            return None
        if parent_name in ("app", "rdgGrp"):
            if self.select is not None:
                return self.select(parent)
            for c in members:
                if local_name(c) == "lem":
                    return c
            return next((c for c in members if local_name(c) in ("rdg", "rdgGrp")), members[0])
        ranked = list(self.prefer) + [e for e in EDITORIAL if e not in self.prefer]
        best = None
        best_rank = len(ranked)
        for c in members:
            name = local_name(c)
            rank = ranked.index(name) if name in ranked else len(ranked)
            if rank < best_rank:
                best, best_rank = c, rank
        return best if best is not None else members[0]

    def _effect(self, name: str, element: etree._Element | None = None) -> _Effect | None:
        effect = self._effect_of(name)
        if effect is not None and effect.flag in HANDED and element is not None:
            hand = (element.get("hand") or "").split()  # one pointer (TEI's teidata.pointer), as written
            if hand:
                effect.hand = hand[0]
        return effect

    def _effect_of(self, name: str) -> _Effect | None:
        # mdel: letters struck out within a word; del-INNER: a deletion inside a revision (Frankenstein Variorum)
        if name in ("del", "delSpan", "mdel", "del-INNER"):
            self.corrected = True
            return _Effect(skip=self.stage == "after", flag="del")
        if name in ("add", "addSpan", "sga-add"):
            self.corrected = True
            return _Effect(skip=self.stage == "before", flag="add")
        if name in OMITTED or name in IGNORED:
            return _Effect(skip=True, flag=None)
        if name in FLAGGED:
            return _Effect(skip=False, flag=name)
        if name == "damageSpan":
            return _Effect(skip=False, flag="damage")
        return None

    def _label(self, element: etree._Element, name: str, parent: _Ctx) -> str:
        ident = element.get(_XML_ID)
        count = parent.counts.get(name, 0) + 1
        parent.counts[name] = count
        return ident if ident else f"{parent.label}/{name}[{count}]"

    # -- spans and milestones -----------------------------------------------------------------------------

    def _places(self) -> "_Places":
        """Where the elements that spans, milestones, markers and line counts look ahead for stand, in
        document order (as ``root.iter()`` counts them): built in one walk, the first time one is needed."""
        if self.places is None:
            assert self.root is not None
            places = self.places = _Places({}, {}, {}, {}, [], [])
            for k, element in enumerate(self.root.iter()):
                if not isinstance(element.tag, str):
                    continue
                ident = element.get(_XML_ID)
                if ident:
                    places.ids.setdefault(ident, k)
                anchor = element.get("anchor")
                if anchor:
                    where = (k, element.sourceline, etree.QName(element).localname)
                    places.anchors.setdefault(anchor.lstrip("#"), []).append(where)
                end = element.get("eID")
                if end:
                    places.ends.setdefault(end, []).append(k)
                name = local_name(element)
                if name == "lb":
                    places.lbs.append(k)
                elif name == "pb":
                    places.pbs.append(k)
                elif name is not None and _flat_marker(element, name) == "end":
                    places.flat_ends.setdefault(_flat_name(element, name), []).append(k)
        return self.places

    def _warn(self, message: str, line: int | None) -> None:
        warnings.warn(InputWarning(message, path=self.path, line=line), stacklevel=2)

    def _bound(self, effect: _Effect, element: etree._Element, what: str) -> None:
        """An unended span or milestone: it ends with the innermost division or paragraph-level block around
        it, not at the end of the witness (which would drop or flag everything after it)."""
        holder = next((c for c in reversed(self.stack[:-1]) if c.name in SPAN_BOUNDS), None)
        if holder is None:
            self._warn(f"{what}; taken to run to the end of the witness", element.sourceline)
            return
        if holder.closes is None:
            holder.closes = []
        holder.closes.append(effect)
        self._warn(f"{what}; taken to end with the enclosing <{holder.name}> ({holder.label})", element.sourceline)

    def _open_span(self, element: etree._Element, name: str, span_to: str, effect: _Effect) -> None:
        target = span_to.strip().lstrip("#")
        places = self._places()
        ids, anchors = places.ids, places.anchors
        self.open_effects.append(effect)
        if ids.get(target, -1) > self.position:
            self.spans.setdefault(target, []).append(effect)
            return
        written = f'<{name} spanTo="{span_to}">: no element after it has xml:id="{target}"'
        later = [a for a in anchors.get(target, ()) if a[0] > self.position]
        if later:
            # The convention of some transcriptions (the Frankenstein Variorum's): the span is closed by an
            # element whose @anchor names the target, <delSpan anchor="X"/>, instead of an xml:id="X".
            _, line, closer = later[0]
            self.anchored.setdefault(target, []).append(effect)
            self._warn(f'{written}; taken to end at the <{closer} anchor="{target}"> on line {line}', element.sourceline)
            return
        self._bound(effect, element, written)

    def _open_milestone(self, element: etree._Element, name: str, start_id: str, effect: _Effect) -> None:
        ends = self._places().ends
        self.open_effects.append(effect)
        if any(k > self.position for k in ends.get(start_id, ())):
            self.virtual[start_id] = effect
            return
        self._bound(effect, element, f'<{name} sID="{start_id}">: no element after it has eID="{start_id}"')

    def _close(self, effect: _Effect) -> None:
        for k, open_effect in enumerate(self.open_effects):
            if open_effect is effect:
                del self.open_effects[k]
                if effect.omission is not None:
                    kind, label, parts, offset, page, line, file_line = effect.omission
                    text = " ".join("".join(parts).split())
                    self.omissions.append(Omission(kind, label, text, offset, page, line, file_line))
                if effect.block is not None:
                    self.space()
                return

    def _flat(self, element: etree._Element, name: str, marker: str, ctx: _Ctx, label: str) -> None:
        """``<del ana="start"/>…<del ana="end"/>`` (the Frankenstein Variorum's flattened markup, where an
        element that crossed its collation units is written as two empty ones): what stands between acts as
        the element's content would. So does ``<milestone unit="tei:p-START"/>…<milestone unit="tei:p-END"/>``.
        Markers of the same name pair as they nest; elements with no effect of their own (``hi``, ``seg``,
        ``mod``) mark nothing here."""
        if marker == "end":
            stack = self.flat.get(name)
            if stack:
                self._close(stack.pop())
            return
        effect = self._effect(name, element)
        if effect is None and name in STRUCTURE:
            self.serial += 1
            effect = _Effect(False, None, Block(name, self.serial, element.get("n")))
        if effect is None:
            return
        skipping = self._skipping(ctx)
        if name in OMITTED and not skipping:
            effect.omission = (name, label, [], self.length, self.page, self.line, self.file_line)
        if effect.block is not None and not skipping:
            self.space()
            self.join_pending = False
        self.flat.setdefault(name, []).append(effect)
        self.open_effects.append(effect)
        if not any(k > self.position for k in self._places().flat_ends.get(name, ())):
            written = " ".join(f'{k}="{v}"' for k, v in element.attrib.items() if k in ("ana", "unit"))
            self._bound(effect, element, f"<{etree.QName(element).localname} {written}>: no end marker after it")

    def start(self, element: etree._Element) -> None:
        self.position += 1
        parent = self.stack[-1]
        name = local_name(element)
        if name is None and len(self.stack) == 1 and isinstance(element.tag, str):
            # A foreign root holding TEI (CollateX's cx:apparatus) is read as a plain container.
            name = etree.QName(element).localname
        if isinstance(element.tag, str):
            self.file_line = element.sourceline or self.file_line
        ident = element.get(_XML_ID)
        if ident and ident in self.spans:
            for effect in self.spans.pop(ident):
                self._close(effect)
        anchor = element.get("anchor") if isinstance(element.tag, str) else None
        if anchor and anchor.lstrip("#") in self.anchored:
            for effect in self.anchored.pop(anchor.lstrip("#")):
                self._close(effect)
        if name is None:
            # Comments, processing instructions and foreign elements hold no witness text.
            self.stack.append(replace(parent, name=None, skip=True, collector=None, counts={}, closes=None))
            return
        if name == "w" and len(element) == 0 and not (element.text or "").strip():
            marker = (element.get("ana") or "").strip().lstrip("#")
            if marker in ("start", "end"):
                self.glued = marker == "start" and not self._skipping(parent)
        elif name in STRUCTURE:
            self.glued = False  # a word never runs across a block, whatever its markers say
        if name not in TEI_ELEMENTS and name not in _CUSTOMISED and name not in self.unknown and len(self.stack) > 1:
            # Read as any element is (its text is the witness's), but said: a transcription's own element
            # (``<del-INNER>``) may mean its text is not the witness's text at all.
            self.unknown.add(name)
            self._warn(f"<{name}> is not a TEI element: its text is read as the witness's text", element.sourceline)
        label = self._label(element, name, parent)
        ctx = _Ctx(
            name, label, parent.skip, parent.physical, parent.flags, parent.collector, {}, parent.in_app,
            blocks=parent.blocks,
        )
        if name in STRUCTURE:
            self.serial += 1
            ctx.blocks = parent.blocks + (Block(name, self.serial, element.get("n")),)
        parent_element = element.getparent()
        parent_name = parent.name
        if parent_name in ("choice", "app", "rdgGrp") and parent_element is not None:
            # The members of one parent come one after another: its choice is made once for all of them.
            if self.last_choice[0] is not parent_element:
                self.last_choice = (parent_element, self._chosen(parent_element, parent_name))
            chosen = self.last_choice[1]
            if element is not chosen:
                ctx.skip, ctx.physical, ctx.collector = True, False, None
            elif parent_name == "choice":
                ctx.flags = ctx.flags | {name}
        self.stack.append(ctx)
        if name == "app":
            if not self._skipping(ctx):
                if ctx.in_app:
                    ctx.nested_start = self.length
                else:
                    ctx.app_start = self.length
            ctx.in_app = True

        flat = _flat_marker(element, name)
        if flat is not None:
            self._flat(element, _flat_name(element, name), flat, ctx, label)
            return
        if element.get("sID"):
            effect = self._effect(name, element)
            if effect is not None:
                self._open_milestone(element, name, element.get("sID"), effect)
            return
        if element.get("eID"):
            effect = self.virtual.pop(element.get("eID"), None)
            if effect is not None:
                self._close(effect)
            return
        if name in BREAKS:
            ed = (element.get("ed") or "").split()
            if self.editions is not None and ed and not any(e.lstrip("#") in self.editions for e in ed):
                return  # another witness's page or line
            self.line_break(element, ctx, name)
            return
        if name in ("witStart", "witEnd", "lacunaStart", "lacunaEnd"):
            if not self._skipping(ctx):
                self.markers.append((element, self.length))
                if name.startswith("lacuna"):
                    self.gaps.append(self.length)  # the words on either side border a lacuna, as at a gap
            return
        if name in ("gap", "space"):
            if not self._skipping(ctx):
                self.gaps.append(self.length)
            ctx.skip, ctx.collector = True, None
            return
        span_to = element.get("spanTo")
        if span_to and name == "milestone" and _unit(element) in STRUCTURE:
            # ``<milestone unit="tei:head" spanTo="#x"/>``: a heading (or paragraph …) up to ``x``.
            target = span_to.strip().lstrip("#")
            places = self._places()
            ids, anchors = places.ids, places.anchors
            if ids.get(target, -1) <= self.position and not any(a[0] > self.position for a in anchors.get(target, ())):
                # A block taken to run on to some later end would put the text after it in the wrong block.
                self._warn(
                    f'<milestone unit="{element.get("unit")}" spanTo="{span_to}">: no element after it has '
                    f'xml:id="{target}"; no {_unit(element)} is marked here', element.sourceline,
                )
                return
            if not self._skipping(ctx):
                self.space()
            self.serial += 1
            self._open_span(element, name, span_to, _Effect(False, None, Block(_unit(element), self.serial, None)))
            return
        if span_to and name.endswith("Span"):
            effect = self._effect(name, element)
            if effect is not None:
                self._open_span(element, name, span_to, effect)
            return
        effect = self._effect(name, element)
        if effect is not None:
            if name in OMITTED and not self._skipping(ctx):
                ctx.collector = []
                self.pending.append((name, label, ctx.collector, self.length, self.page, self.line, self.file_line))
            elif effect.skip:
                ctx.collector = None
            ctx.skip = ctx.skip or effect.skip
            if effect.flag and not effect.skip:
                ctx.flags = ctx.flags.union(effect.flags())
        if name in BLOCKS and not self._skipping(ctx):
            self.space()
            self.join_pending = False
        if name not in ELEMENT_ONLY:
            self.text(element.text, ctx)
        elif element.text:
            self.file_line += element.text.count("\n")

    def end(self, element: etree._Element) -> None:
        ctx = self.stack.pop()
        name = ctx.name
        if name in OMITTED and self.pending and ctx.collector is not None and self.pending[-1][2] is ctx.collector:
            kind, label, parts, offset, page, line, file_line = self.pending.pop()
            self.omissions.append(Omission(kind, label, " ".join("".join(parts).split()), offset, page, line, file_line))
        if ctx.app_start is not None:
            self.apps.append((element, ctx.app_start, self.length))
        elif ctx.nested_start is not None:
            self.nested.append((element, ctx.nested_start, self.length))
        if ctx.closes:
            for effect in ctx.closes:
                self._close(effect)
        if name in BLOCKS and not self._skipping(ctx):
            self.space()
        parent = self.stack[-1]
        if parent.name in ELEMENT_ONLY:
            if element.tail:
                self.file_line += element.tail.count("\n")
        elif parent.name in LAYOUT_INSIDE and _layout(element.tail):
            self.file_line += element.tail.count("\n")  # type: ignore[union-attr]
            # Still layout for what follows: ``<add>es </add>⏎</mod> ,`` prints "es,".
            self.indent = self.indent or self.last_ws
        else:
            self.text(element.tail, parent)

    def walk(self, root: etree._Element, path: str) -> None:
        # The root's own label comes out of ``_label`` as for any element: seed its parent's count so that
        # the last step of ``path`` (``text[2]``) is reproduced.
        parent_path, _, last = path.rpartition("/")
        match = re.fullmatch(r"(.+)\[(\d+)\]", last)
        counts = {match.group(1): int(match.group(2)) - 1} if match else {}
        self.stack = [_Ctx(None, parent_path, False, True, frozenset(), None, counts)]
        self.file_line = root.sourceline or 1
        self.root = root
        todo: list[tuple[etree._Element, bool]] = [(root, False)]
        while todo:
            element, done = todo.pop()
            if done:
                self.end(element)
                continue
            self.start(element)
            todo.append((element, True))
            todo.extend((child, False) for child in reversed(element))
        # The root's tail is not part of the witness.

    def result(self) -> tuple[str, tuple[Run, ...]]:
        text = "".join(self.buf)
        # Trailing whitespace carries no token; runs that start there would point nowhere.
        stripped = text.rstrip()
        runs = tuple(r for r in self.runs if r.start < len(stripped))
        return stripped, runs


# ------------------------------------------------------------------------------------------------ witnesses


def _layout(text: str | None) -> bool:
    """Whether ``text`` is whitespace that holds a line break (the file's indentation)."""
    return bool(text) and "\n" in text and not text.strip()  # type: ignore[operator]


def _unit(element: etree._Element) -> str | None:
    """The TEI element a ``milestone`` stands for, when its ``@unit`` names one (``tei:head``, ``tei:p-START``)."""
    unit = element.get("unit") or ""
    if not unit.startswith("tei:"):
        return None
    return unit[4:].removesuffix("-START").removesuffix("-END")


def _flat_name(element: etree._Element, name: str) -> str:
    """The name a flattened marker pairs by: the element's, or the one a ``milestone``'s ``@unit`` names."""
    return (_unit(element) or name) if name == "milestone" else name


def _flat_marker(element: etree._Element, name: str) -> str | None:
    """``"start"`` or ``"end"`` for an empty element that marks where an element began or ended
    (``<del ana="start"/>``, ``<milestone unit="tei:p-END"/>``), else None. ``w`` markers are read apart
    (a word's whitespace), and a ``milestone`` with ``@spanTo`` is a span."""
    if name == "w" or len(element) or (element.text or "").strip():
        return None
    if name == "milestone":
        unit = element.get("unit") or ""
        if unit.startswith("tei:") and not element.get("spanTo"):
            if unit.endswith("-START"):
                return "start"
            if unit.endswith("-END"):
                return "end"
        return None
    marker = (element.get("ana") or "").strip().lstrip("#")
    return marker if marker in ("start", "end") else None


def _path_of(element: etree._Element) -> str:
    """``/TEI/text[1]``-style path of ``element`` from the document root, by TEI local names."""
    parts = []
    node: etree._Element | None = element
    while node is not None:
        name = local_name(node) or "*"
        parent = node.getparent()
        if parent is None:
            parts.append(f"/{name}")
        else:
            same = [c for c in parent if (local_name(c) or "*") == name]
            parts.append(f"/{name}[{same.index(node) + 1}]")
        node = parent
    return "".join(reversed(parts))


def extract_text(
    root: etree._Element,
    *,
    siglum: str,
    meta: WitnessMeta,
    options: "TeiOptions",
    path: str,
    select: Callable[[etree._Element], etree._Element | None] | None = None,
    apps: list[tuple[etree._Element, int, int]] | None = None,
    markers: list[tuple[etree._Element, int]] | None = None,
    nested: list[tuple[etree._Element, int, int]] | None = None,
    editions: frozenset[str] | None = None,
) -> Extract:
    """Walk ``root`` (a ``text`` or any element holding a witness's text) into an ``Extract``.

    ``editions``: the names by which ``@ed`` may name the witness read (an apparatus's witness ids and
    sigla): a ``pb``/``lb``/``cb`` whose ``@ed`` names only others is another witness's break, and is
    passed over. None (a witness's own file): every break counts.

    ``select`` picks each ``app``'s reading for one witness of an apparatus; ``apps``, when given, receives
    the outermost ``app``s met and the stretch of the text each one gave; ``markers``, the ``witStart``,
    ``witEnd``, ``lacunaStart`` and ``lacunaEnd`` in the text read, with the offset where each stands;
    ``nested``, the ``app``s inside the readings read, with their stretch of the text.
    """
    walker = _Walker(options, path, select)
    walker.editions = editions
    walker.walk(root, _path_of(root))
    text, runs = walker.result()
    if apps is not None:
        apps.extend(walker.apps)
    if markers is not None:
        markers.extend(walker.markers)
    if nested is not None:
        nested.extend(walker.nested)
    if walker.corrected and meta.stage is None and select is None:
        # A witness's own file (an apparatus says the stage of each witness in its listWit).
        meta = replace(meta, stage=options.stage)
    return Extract(
        siglum,
        meta,
        text,
        runs,
        tuple(sorted(walker.omissions, key=lambda o: o.offset)),
        tuple(walker.gaps),
        root.sourceline,
    )


def _combine(parts: list[Extract], *, siglum: str, meta: WitnessMeta) -> Extract:
    """Several body parts of one witness, in document order, as one text."""
    if len(parts) == 1:
        return replace(parts[0], siglum=siglum, meta=meta)
    text: list[str] = []
    runs: list[Run] = []
    omissions: list[Omission] = []
    gaps: list[int] = []
    offset = 0
    for part in parts:
        if text:
            text.append("\n")
            offset += 1
        text.append(part.text)
        runs.extend(replace(r, start=r.start + offset) for r in part.runs)
        omissions.extend(replace(o, offset=o.offset + offset) for o in part.omissions)
        gaps.extend(g + offset for g in part.gaps)
        offset += len(part.text)
    return Extract(siglum, meta, "".join(text), tuple(runs), tuple(omissions), tuple(gaps), parts[0].file_line)


def header_meta(tei: etree._Element | None, path: str) -> WitnessMeta:
    """Title (``titleStmt/title``), date and source (``sourceDesc``) from the ``teiHeader`` under ``tei``."""
    if tei is None:
        return WitnessMeta(path=path)
    ns = {"t": TEI_NS}
    prefix = "t:" if tei.tag.startswith("{") else ""

    def first(xpath: str) -> etree._Element | None:
        found = tei.xpath(xpath.replace("t:", prefix), namespaces=ns)
        return found[0] if found else None

    title = first("./t:teiHeader/t:fileDesc/t:titleStmt/t:title")
    date = first("./t:teiHeader/t:fileDesc/t:sourceDesc//t:date")
    if date is None:
        date = first("./t:teiHeader/t:fileDesc/t:publicationStmt/t:date")
    source = first("./t:teiHeader/t:fileDesc/t:sourceDesc/*[1]")
    return WitnessMeta(
        title=(text_of(title) or None) if title is not None else None,
        date=(date.get("when") or text_of(date) or None) if date is not None else None,
        source=(text_of(source) or None) if source is not None else None,
        path=path,
    )


def witness_meta(witness: etree._Element, path: str) -> WitnessMeta:
    """Metadata of a ``listWit/witness``: its text as the title (bibl's title when present), its date."""
    ns = {"t": TEI_NS}
    title = witness.xpath(".//t:title|.//title", namespaces=ns)
    date = witness.xpath(".//t:date|.//date", namespaces=ns)
    source = witness.xpath(".//t:note[@type='source']|.//note[@type='source']", namespaces=ns)
    stage = witness.xpath(".//t:note[@type='stage']/@subtype|.//note[@type='stage']/@subtype", namespaces=ns)
    return WitnessMeta(
        title=(text_of(title[0]) if title else text_of(witness)) or None,
        date=(date[0].get("when") or text_of(date[0]) or None) if date else None,
        source=(text_of(source[0]) or None) if source else None,
        path=path,
        stage=str(stage[0]) if stage and stage[0] in ("after", "before") else None,
    )


def _children(element: etree._Element, name: str) -> list[etree._Element]:
    return [c for c in element if local_name(c) == name]


def _siglum(element: etree._Element, fallback: str) -> str:
    n = (element.get("n") or "").strip()
    return n or element.get(_XML_ID) or fallback



def tokens_of(
    item: Extract, *, normalizer: Normalizer = DEFAULT
) -> tuple[Token, ...]:
    """Tokenise an ``Extract``; each token's ``Source`` comes from the runs it overlaps."""
    runs = item.runs
    starts = [r.start for r in runs]
    count = len(runs)

    def locate(start: int, end: int) -> Source:
        if not runs:
            return Source(start=start, end=end)
        i = bisect_right(starts, start) - 1
        if i < 0:
            i = 0
        run = runs[i]
        flags = run.flags
        j = i + 1
        # A token may run on into the next stretch (``<hi>un</hi>clear``): it carries the flags of both.
        while j < count and starts[j] < end:
            flags = flags | runs[j].flags
            j += 1
        return Source(run.element, run.page, run.line, start, end, run.file_line, None, flags, run.blocks)

    tokens = list(make_tokens(item.text, item.siglum, normalizer=normalizer, locate=locate))
    if tokens and (item.gaps or item.omissions):
        ends = [t.source.end for t in tokens]
        token_starts = [t.source.start for t in tokens]

        def flag(i: int, name: str) -> None:
            t = tokens[i]
            tokens[i] = t._replace(source=t.source._replace(flags=t.source.flags | {name}))

        for offset in item.gaps:
            after = bisect_left(token_starts, offset)
            if after < len(tokens):
                flag(after, "gap")
            if after > 0:
                flag(after - 1, "gap-after")
        for o in item.omissions:
            before = bisect_right(ends, o.offset) - 1
            flag(max(before, 0), o.kind)
    return tuple(tokens)


