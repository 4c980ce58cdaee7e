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

In every encoding: the lemma is the base witness's reading (``lem``, the base first in ``@wit``); readings
equal after normalisation share an ``rdgGrp`` (typed with the class of the editor's regularisation that made
them equal, ``abbreviation``, ``numeral``…, else ``orthographic``); ``app/@type`` and ``rdg/@type`` come from the variant typing;
``witStart``/``witEnd`` mark where a witness's text begins after or ends before the others', and
``lacunaStart``/``lacunaEnd`` where a witness has a ``gap``; transpositions are ``listTranspose/transpose``
with a ``ptr`` to each of their two ``app``s. What TEI cannot say (which column of a location each token
stands in, when that is not the obvious one, and the word-by-word links of a transposition) is kept in
``teiHeader/xenoData`` under ``LAYOUT_NS``, so that ``tei.importer`` reads back the very same table.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache
from typing import Iterable, Sequence

from lxml import etree

from collate.errors import UsageError
from collate.engine.model import Apparatus, Reading, Segment, Token, VariantLocation, Witness
from collate.engine.tokens import join

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
_BREAK = re.compile(r"\s*\n\s*")


# ------------------------------------------------------------------------------------------------- xml:ids


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


def _spacing(texts: Sequence[str]) -> list[bool]:
    """For each token after the first, whether a space precedes it when printed (``collate.engine.tokens.join``)."""
    joined = join(list(texts))
    out = []
    pos = len(texts[0]) if texts else 0
    for text in texts[1:]:
        spaced = not joined.startswith(text, pos)
        pos += len(text) + (1 if spaced else 0)
        out.append(spaced)
    return out


def _write_tokens(
    mixed: _Mixed,
    texts: Sequence[str],
    markers: dict[int, list[str]] | None = None,
) -> None:
    """Write tokens as printed; ``markers[k]`` are empty elements (``witStart``, …) placed before token ``k``."""
    markers = markers or {}
    spaces = _spacing(texts)
    for k, text in enumerate(texts):
        if k and spaces[k - 1]:
            mixed.space()
        for name in markers.get(k, ()):
            mixed.child(f"{_T}{name}")
        mixed.token(text)
    for name in markers.get(len(texts), ()):
        mixed.child(f"{_T}{name}")


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


def _events(apparatus: Apparatus) -> list[_Event]:
    alignment = apparatus.alignment
    width = len(alignment.columns)
    events: list[_Event] = []
    for w, witness in enumerate(alignment.witnesses):
        cols = [c for c in range(width) if alignment.columns[c][w] is not None]
        if not cols:
            continue
        if cols[0] > 0:
            events.append(_Event(witness.siglum, cols[0], "witStart"))
        if cols[-1] < width - 1:
            events.append(_Event(witness.siglum, cols[-1] + 1, "witEnd"))
        tokens = witness.tokens
        for i in range(len(tokens) - 1):
            if "gap" in tokens[i + 1].source.flags or "gap-after" in tokens[i].source.flags:
                events.append(_Event(witness.siglum, cols[i] + 1, "lacunaStart"))
                events.append(_Event(witness.siglum, cols[i + 1], "lacunaEnd"))
    return events


def _place(
    apparatus: Apparatus, locations: tuple[VariantLocation, ...]
) -> dict[tuple[int, str], dict[int, list[str]]]:
    """Markers per (location number, siglum): token position in the witness's reading → marker names."""
    by_start = {loc.start: loc for loc in locations}
    by_end = {loc.end: loc for loc in locations}
    found: dict[tuple[int, str], dict[int, list[_Event]]] = {}
    columns = apparatus.alignment.columns
    sigla = apparatus.alignment.sigla
    for event in _events(apparatus):
        w = sigla.index(event.siglum)
        inside = next((loc for loc in locations if loc.start < event.boundary < loc.end), None)
        if inside is None:
            after, before = by_start.get(event.boundary), by_end.get(event.boundary)
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
    def __init__(self, apparatus: Apparatus, encoding: str) -> None:
        self.apparatus = apparatus
        self.encoding = encoding
        self.sigla = apparatus.alignment.sigla
        self.ids = witness_ids(self.sigla)
        self.locations = apparatus.locations  # a property that rebuilds its tuple on each call
        self.markers = _place(apparatus, self.locations)
        self.app_ids: dict[int, str] = {loc.number: f"app-{loc.number}" for loc in self.locations}
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
            groups.setdefault(key, []).append(siglum)
        texts = [t.text for t in reading.tokens[0]] if reading.tokens else []
        for n, (key, members) in enumerate(groups.items()):
            tag = "lem" if lemma and n == 0 else "rdg"
            element = etree.SubElement(parent, f"{_T}{tag}")
            element.set("wit", self.wit(members))
            if reading.type is not None:
                element.set("type", reading.type.value)
            mixed = _Mixed(element)
            _write_tokens(mixed, texts, {k: list(v) for k, v in key})
            mixed.close()

    def app(self, app: etree._Element, loc: VariantLocation) -> etree._Element:
        app.set(_XML_ID, self.app_ids[loc.number])
        app.set("n", str(loc.number))
        app.set("type", loc.type.value)
        readings = loc.all_readings
        groups: dict[str, list[int]] = {}
        for i, r in enumerate(readings):
            groups.setdefault(r.norm, []).append(i)
        done: set[int] = set()
        for i, r in enumerate(readings):
            if i in done:
                continue
            members = groups[r.norm]
            if len(members) > 1:
                group = etree.SubElement(app, f"{_T}rdgGrp")
                group.set("type", _group_type(readings[m] for m in members))
                for m in members:
                    self.reading_elements(group, loc, readings[m], lemma=m == 0)
                done.update(members)
            else:
                self.reading_elements(app, loc, r, lemma=i == 0)
                done.add(i)
        return app

    # -- header ------------------------------------------------------------------------------------------

    def header(self, tei: etree._Element) -> None:
        header = etree.SubElement(tei, f"{_T}teiHeader")
        file_desc = etree.SubElement(header, f"{_T}fileDesc")
        title_stmt = etree.SubElement(file_desc, f"{_T}titleStmt")
        base = next(w for w in self.apparatus.witnesses if w.siglum == self.apparatus.base)
        title = etree.SubElement(title_stmt, f"{_T}title")
        title.text = f"Collation of {', '.join(self.sigla)}" + (f": {base.meta.title}" if base.meta.title else "")
        publication = etree.SubElement(file_desc, f"{_T}publicationStmt")
        etree.SubElement(publication, f"{_T}p").text = "Critical apparatus generated by collate-toolkit."
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
            f"The lemma is the reading of the base witness {base.siglum}. "
            + {
                "parallel-segmentation": "Each app stands where its variation occurs in the text.",
                "location-referenced": "Each app/@loc gives page.line of the base witness where it has them "
                "(start and end when they differ), else wN, its Nth token.",
                "double-end-point": "Each app/@from and @to point at the anchors around the base witness's "
                "reading.",
            }[self.encoding]
        )
        self.transpositions(header)
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

    def halves(self) -> list[tuple[int, VariantLocation, VariantLocation]]:
        """Each transposition with the location of its source half and of its target half."""
        out = []
        for t_index, t in enumerate(self.apparatus.alignment.transpositions):
            mine = [loc for loc in self.locations if loc.transposition == t_index]
            source = next((loc for loc in mine if t.source[0] <= loc.start < t.source[1]), None)
            target = next((loc for loc in mine if t.target[0] <= loc.start < t.target[1]), None)
            if source is not None and target is not None:
                out.append((t_index, source, target))
        return out

    def transpositions(self, header: etree._Element) -> None:
        halves = self.halves()
        if not halves:
            return
        profile = etree.SubElement(header, f"{_T}profileDesc")
        listing = etree.SubElement(profile, f"{_T}listTranspose")
        for _, source, target in halves:
            transpose = etree.SubElement(listing, f"{_T}transpose")
            for loc in (source, target):
                etree.SubElement(transpose, f"{_T}ptr").set("target", f"#{self.app_ids[loc.number]}")

    def layout(self, header: etree._Element) -> None:
        """Column layout where the default (each reading's tokens in the first columns) is not the table's."""
        alignment = self.apparatus.alignment
        root = etree.Element(f"{_L}alignment", nsmap={"ct": LAYOUT_NS})
        for loc in self.locations:
            width = loc.end - loc.start
            widest = max(len(r.tokens[0]) if r.tokens else 0 for r in loc.all_readings)
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
        p = etree.SubElement(body, f"{_T}p")
        mixed = _Mixed(p)
        previous: Segment | VariantLocation | None = None
        for part in self.apparatus.parts:
            if previous is not None and _spaced(previous, part):
                mixed.space()
            if isinstance(part, Segment):
                _write_tokens(mixed, [t.text for t in part.tokens])
            else:
                self.app(mixed.child(f"{_T}app", width=40), part)
            previous = part
        mixed.close()

    def base_text(self, body: etree._Element, *, anchors: bool) -> None:
        """The base witness's text with its page and line breaks (and, for double end-point, the anchors)."""
        p = etree.SubElement(body, f"{_T}p")
        mixed = _Mixed(p)
        page: str | None = None
        line: str | None = None
        previous = ""  # the last token written; empty at the start
        glued = False  # just after an opening anchor: the next token follows without a space
        for part in self.apparatus.parts:
            if isinstance(part, Segment):
                tokens: tuple[Token, ...] = part.tokens
            else:
                tokens = part.lemma.tokens[0] if part.lemma.tokens else ()
                if anchors:
                    if previous and (not tokens or _needs_space(previous, tokens[0].text)):
                        mixed.space()
                    mixed.child(f"{_T}anchor", **{_XML_ID: f"{self.app_ids[part.number]}-from"})
                    glued = True
            for token in tokens:
                src = token.source
                breaks = []
                if src.page is not None and src.page != page:
                    breaks.append(("pb", src.page))
                    page, line = src.page, None
                if src.line is not None and src.line != line:
                    breaks.append(("lb", src.line))
                    line = src.line
                if previous and not glued and (breaks or _needs_space(previous, token.text)):
                    mixed.space()
                for name, n in breaks:
                    mixed.child(f"{_T}{name}", n=n)
                mixed.token(token.text)
                previous = token.text
                glued = False
            if anchors and isinstance(part, VariantLocation):
                mixed.child(f"{_T}anchor", **{_XML_ID: f"{self.app_ids[part.number]}-to"})
                glued = False
        mixed.close()

    def external(self, text: etree._Element) -> None:
        if not self.locations:
            return  # witnesses that agree throughout: no apparatus (an empty listApp would not be valid)
        back = etree.SubElement(text, f"{_T}back")
        div = etree.SubElement(back, f"{_T}div")
        div.set("type", "apparatus")
        listing = etree.SubElement(div, f"{_T}listApp")
        for loc in self.locations:
            app = self.app(etree.SubElement(listing, f"{_T}app"), loc)
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
            self.base_text(body, anchors=self.encoding == "double-end-point")
            self.external(text)
        return tei


def _needs_space(previous: str, text: str) -> bool:
    return join([previous, text]) != previous + text


def _edge_texts(part: Segment | VariantLocation, last: bool) -> list[str]:
    if isinstance(part, Segment):
        return [part.tokens[-1 if last else 0].text] if part.tokens else []
    return [r.tokens[0][-1 if last else 0].text for r in part.all_readings if r.tokens and r.tokens[0]]


def _spaced(previous: Segment | VariantLocation, part: Segment | VariantLocation) -> bool:
    """Whether a space separates two parts: always, unless every pair of edge tokens joins without one
    (``word`` + ``,``) and no two edge marks would merge into one token (``.`` + ``.``)."""
    lefts, rights = _edge_texts(previous, last=True), _edge_texts(part, last=False)
    if not lefts or not rights:
        return True
    for a in lefts:
        for b in rights:
            if _needs_space(a, b) or a[-1:] == b[:1]:
                return True
    return False


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
    tei = _Writer(apparatus, encoding).document()
    _indent(tei)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + etree.tostring(tei, encoding="unicode") + "\n"


# Elements whose content is text: their whitespace is the text's, so indentation must not touch it.
_MIXED = frozenset(f"{_T}{name}" for name in ("p", "lem", "rdg", "title", "label", "bibl", "note", "date"))


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
