"""The text of OCR output and of reference transcriptions, for comparing them: plain text, TEI, ALTO, PAGE, hOCR.

Offers:
    OcrText                   ``format`` (one of FORMATS) and ``text``: lines joined by ``\\n``, each stripped
    FORMATS                   ``text``, ``tei``, ``alto``, ``page``, ``hocr``
    extract(data, path)       the ``OcrText`` of a file's bytes; the format is recognised from the content
    plain_text(text)          plain text as compared: lines stripped, as dinglehopper reads it
    alto_text(root)           ALTO: ``String/@CONTENT`` joined by spaces (plus ``HYP``), one line per ``TextLine``
    page_text(root)           PAGE: text regions in reading order, each its ``TextEquiv`` or its lines'
    hocr_text(root)           hOCR: one line per ``ocr_line`` (and its kin), words joined by spaces
    tei_text(data, path)      TEI: ``tei.reader``'s reading text, one line per ``lb`` and per block element

Every XML format goes through ``tei.safe.parse`` (no entities, no DTD, no network). hOCR is usually XHTML
with a DOCTYPE naming the XHTML DTD; that declaration is dropped before parsing (it is never loaded either
way, and the safe parser refuses any external DTD reference). hOCR that is HTML but not XML is read with
lxml's HTML parser, which resolves no external entities and touches no network either.

Lines are stripped of surrounding whitespace and joined by ``\\n``, with no final newline, whatever the
format: that is how dinglehopper extracts text, so the error rates can be compared with its figures.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING

import regex

from collate.errors import InputError

from .plaintext import decode

if TYPE_CHECKING:
    from lxml import etree

# lxml is imported only when a file is XML: plain-text batches then start faster.

__all__ = ["OcrText", "FORMATS", "extract", "plain_text", "alto_text", "page_text", "hocr_text", "tei_text"]

FORMATS = ("text", "tei", "alto", "page", "hocr")

_XHTML_NS = "http://www.w3.org/1999/xhtml"
# A DOCTYPE without an internal subset (no "[" … "]"): only such a declaration is dropped before parsing.
_DOCTYPE = regex.compile(rb"<!DOCTYPE[^\[>]*>", flags=regex.IGNORECASE)
_HOCR_LINES = frozenset(("ocr_line", "ocrx_line", "ocr_header", "ocr_caption", "ocr_textfloat"))
_SPACE = regex.compile(r"\s+")


@dataclass(frozen=True, slots=True)
class OcrText:
    format: str
    text: str


def _lines(lines) -> str:
    return "\n".join(line.strip() for line in lines)


def plain_text(text: str) -> str:
    # Universal newlines and one line per "\n", with no empty last line for a final newline: as Python's
    # readlines() splits a file, which is how dinglehopper reads plain text.
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    lines = text.split("\n")
    if lines and lines[-1] == "":
        lines.pop()
    return _lines(lines)


def _local(element: etree._Element) -> str:
    tag = element.tag
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _namespace(element: etree._Element) -> str | None:
    tag = element.tag
    return tag[1:].partition("}")[0] if isinstance(tag, str) and tag.startswith("{") else None


def _ns(root: etree._Element) -> dict[str, str]:
    namespace = _namespace(root)
    return {"n": namespace} if namespace else {}


def _q(root: etree._Element, path: str) -> str:
    # The same XPath with or without a namespace: ALTO and PAGE come in several namespace versions.
    return path if _namespace(root) else path.replace("n:", "")


def alto_text(root: etree._Element) -> str:
    ns = _ns(root)
    lines = []
    for line in root.iterfind(_q(root, ".//n:TextLine"), ns):
        words = []
        hyphen = ""
        for child in line:
            name = _local(child)
            if name == "String":
                words.append(child.get("CONTENT", ""))
            elif name == "HYP":
                hyphen = child.get("CONTENT", "")
        lines.append(" ".join(words) + hyphen)
    return _lines(lines)


def _text_equiv(element: etree._Element, root: etree._Element) -> str | None:
    """The ``TextEquiv/Unicode`` of ``element``: the one with the lowest ``@index``, else the first."""
    ns = _ns(root)
    equivs = element.findall(_q(root, "n:TextEquiv"), ns)
    if not equivs:
        return None

    def index(te: etree._Element) -> int:
        try:
            return int(te.get("index", ""))
        except ValueError:
            return 1 << 30

    best = min(equivs, key=index) if any(te.get("index") is not None for te in equivs) else equivs[0]
    unicode = best.find(_q(root, "n:Unicode"), ns)
    return "" if unicode is None else "".join(unicode.itertext())


def _region_text(region: etree._Element, root: etree._Element) -> str:
    own = _text_equiv(region, root)
    if own is not None:
        return own
    parts = []
    for child in region:
        name = _local(child)
        if name == "TextRegion":
            parts.append(_region_text(child, root))
        elif name == "TextLine":
            line = _text_equiv(child, root)
            if line is None:
                ns = _ns(root)
                line = " ".join(_text_equiv(w, root) or "" for w in child.iterfind(_q(root, "n:Word"), ns))
            parts.append(line)
    return "\n".join(parts)


def _reading_order(page: etree._Element, root: etree._Element) -> list[str] | None:
    ns = _ns(root)
    order = page.find(_q(root, "n:ReadingOrder"), ns)
    if order is None:
        return None
    ids: list[str] = []
    stack = list(reversed(list(order)))
    while stack:
        element = stack.pop()
        name = _local(element)
        if name in ("RegionRef", "RegionRefIndexed") and element.get("regionRef"):
            ids.append(element.get("regionRef", ""))
        children = list(element)
        if name.startswith("OrderedGroup"):
            children.sort(key=lambda c: int(c.get("index", "0")) if c.get("index", "0").isdigit() else 0)
        if name.endswith(("Group", "GroupIndexed")):
            # A group that is itself a region reference (``@regionRef``) was recorded above.
            stack.extend(reversed(children))
    return ids


def page_text(root: etree._Element) -> str:
    ns = _ns(root)
    texts = []
    for page in root.iterfind(_q(root, "n:Page"), ns):
        regions = {r.get("id"): r for r in page.iter(f"{{{ns['n']}}}TextRegion" if ns else "TextRegion")}
        order = _reading_order(page, root)
        if order:
            chosen = [regions[i] for i in order if i in regions]
        else:
            chosen = [r for r in page if _local(r) == "TextRegion"]
        texts.extend(_region_text(r, root) for r in chosen)
    return _lines("\n".join(texts).split("\n"))


def _classes(element: etree._Element) -> set[str]:
    return set((element.get("class") or "").split())


def _is_line(element: etree._Element) -> bool:
    return isinstance(element.tag, str) and bool(_classes(element) & _HOCR_LINES)


def hocr_text(root: etree._Element) -> str:
    lines = []
    stack = [root]
    while stack:
        element = stack.pop()
        # A line-like container of other lines (an ocr_textfloat holding ocr_lines) is not a line itself.
        if _is_line(element) and not any(_is_line(d) for d in element.iterdescendants()):
            words = [w for w in element.iter() if isinstance(w.tag, str) and "ocrx_word" in _classes(w)]
            if words:
                lines.append(" ".join(_SPACE.sub(" ", "".join(w.itertext())).strip() for w in words))
            else:
                lines.append(_SPACE.sub(" ", "".join(element.itertext())))
            continue
        stack.extend(reversed([c for c in element if isinstance(c.tag, str)]))
    return _lines(lines)


def _block(path: str, blocks: frozenset[str]) -> str:
    """The innermost block element on an element path such as ``/TEI/text[1]/body[1]/p[2]/hi[1]``."""
    steps = path.split("/")
    for i in range(len(steps) - 1, 0, -1):
        if steps[i].partition("[")[0] in blocks:
            return "/".join(steps[: i + 1])
    return ""


def tei_text(data: bytes, path: str) -> str:
    """The reading text of a TEI file as ``tei.reader`` extracts it for collation (``choice``, ``add``/``del``,
    ``note``, ``lb``/``pb`` handled there), with one difference: the space the reader puts between two block
    elements (``p``, ``head``, ``l``, …) becomes a line break, because OCR output has one there and the
    CER counts a space for a line break as an edit."""
    from tei.reader import extract as read_tei
    from tei.text import BLOCKS

    from tei.text import TeiOptions

    found = read_tei(data, path=path, options=TeiOptions())
    if len(found) != 1:
        raise InputError(f"holds {len(found)} witnesses; a batch document must hold one", path=path)
    text, runs = found[0].text, found[0].runs
    chars = list(text)
    previous = None
    for run in runs:
        block = _block(run.element, BLOCKS)
        if previous is not None and block != previous and 0 < run.start <= len(chars) and chars[run.start - 1] == " ":
            chars[run.start - 1] = "\n"
        previous = block
    return _lines("".join(chars).split("\n"))


def _is_xml(data: bytes) -> bool:
    head = data[:256].lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<")


def _parse_html(data: bytes, path: str) -> etree._Element:
    from lxml import etree, html

    try:
        root = html.document_fromstring(data, parser=html.HTMLParser(no_network=True, remove_comments=True))
    except (etree.ParserError, ValueError) as exc:
        raise InputError(f"malformed hOCR: {exc}", path=path) from None
    return root


def extract(data: bytes, path: str) -> OcrText:
    """Read ``data`` (the bytes of ``path``) as TEI, ALTO, PAGE, hOCR or, when it is not XML, plain text."""
    if not _is_xml(data):
        return OcrText("text", plain_text(decode(data, path)))
    from tei.safe import parse
    head = data[:2048].lower()
    htmlish = b"<html" in head or path.lower().endswith((".hocr", ".html", ".htm"))
    if htmlish:
        cleaned = _DOCTYPE.sub(b"", data, count=1)
        try:
            root = parse(cleaned, path).getroot()
        except InputError as exc:
            if not exc.message.startswith("malformed XML"):
                raise
            root = _parse_html(cleaned, path)
    else:
        root = parse(data, path).getroot()
    name = _local(root)
    if name in ("TEI", "teiCorpus"):
        return OcrText("tei", tei_text(data, path))
    if name == "alto":
        return OcrText("alto", alto_text(root))
    if name == "PcGts":
        return OcrText("page", page_text(root))
    if name == "html":
        return OcrText("hocr", hocr_text(root))
    raise InputError(
        f"unknown XML document <{name}>; expected TEI, ALTO, PAGE or hOCR", path=path, line=root.sourceline
    )
