"""Safe XML parsing for every reader (TEI, ALTO, PAGE, hOCR): nothing fetched, nothing expanded.

Offers:
    parse(data, path)   an lxml element tree, or ``InputError`` with ``FILE:LINE:COL``
    MAX_DEPTH           the deepest element nesting accepted

The parser resolves no entities (so no external file or URL is ever read, and no "billion laughs"
expansion happens), loads no DTD, touches no network, and refuses documents nested deeper than
``MAX_DEPTH``. A DOCTYPE that declares entities is refused outright: a witness has no need of one, and
refusing is clearer than silently dropping the text the entities would have produced. libxml2's size
limits (entity amplification, text node and name lengths) stay on, and their errors are reworded for a
user. An XML declaration that contradicts the bytes (UTF-8 declared as Latin-1, 8-bit text declared as
UTF-16) is refused rather than read as mojibake. A DOCTYPE that is accepted (element and attribute declarations only)
is removed from the tree once parsed: nothing it declares is applied, attribute defaults included. SECURITY.md at the top of the project says what is
refused and why.
"""

from __future__ import annotations

import codecs
import re

from lxml import etree

from collate.errors import InputError
from witnesses.plaintext import decode, utf16_refusal

__all__ = ["parse", "MAX_DEPTH"]

# libxml2's own nesting limit (without XML_PARSE_HUGE, which this parser never sets); checked again below so
# that a libxml2 built with another limit changes nothing.
MAX_DEPTH = 256
# libxml2's resource limits, and what each means to someone holding the file. libxml2's own messages name
# C-level options ("use XML_PARSE_HUGE option") that a user of this toolkit cannot set and should not want.
_LIMITS = (
    ("Text node too long", "a run of text longer than 10,000,000 bytes is refused; split it into paragraphs"),
    ("Buffer size limit exceeded", "a name or attribute value longer than the parser's limit is refused"),
    ("Resource limit exceeded", "the document exceeds one of the parser's size limits"),
)
_EXCESSIVE_DEPTH = re.compile(r"Excessive depth in document: (\d+)")
_DECLARATION = re.compile(rb"""\s*<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._:-]*)["']""")
# Declared single-byte encodings whose bytes, when they also read as UTF-8, are almost surely UTF-8.
_SINGLE_BYTE = frozenset({"ascii", "latin-1", "iso8859-1", "iso8859-15", "cp1252"})


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        attribute_defaults=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
    )


def parse(data: bytes, path: str) -> etree._ElementTree:
    if not data.strip():
        raise InputError("empty file", path=path)
    _check_declared_encoding(data, path)
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        raise _syntax_error(exc, data, path) from None
    docinfo = tree.docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and (list(dtd.iterentities()) or docinfo.system_url):
        line, column = _doctype_position(data, docinfo.encoding)
        raise InputError(
            "DOCTYPE with entity declarations or an external DTD is refused (see SECURITY.md)",
            path=path,
            line=line,
            column=column,
        )
    if docinfo.system_url:
        line, column = _doctype_position(data, docinfo.encoding)
        raise InputError("external DTD reference is refused (see SECURITY.md)", path=path, line=line, column=column)
    _check_depth(tree.getroot(), path)
    if dtd is not None:
        # The parser applies no attribute default, but libxml2 still consults the internal subset when an
        # attribute is asked for (``element.get("n")`` would find ``<!ATTLIST TEI n CDATA "SPOOF">``, and
        # ``<!ATTLIST lb break CDATA "no">`` would join words): the DOCTYPE is removed from the tree, so that
        # nothing it declares is ever applied.
        docinfo.clear()
    return tree


def _syntax_error(exc: etree.XMLSyntaxError, data: bytes, path: str) -> InputError:
    line, column = exc.position if exc.position else (None, None)
    message = str(exc.msg or exc).split(", line ")[0]
    if "amplification" in message:
        # libxml2 stops an entity bomb wherever the expansion happens to cross its limit; the declarations
        # in the DOCTYPE are what the user has to remove, so point there.
        line, column = _doctype_position(data, None)
        return InputError(
            "entity expansion beyond the parser's limit (an entity bomb); DOCTYPE entity declarations are "
            "refused (see SECURITY.md)",
            path=path,
            line=line,
            column=column,
        )
    depth = _EXCESSIVE_DEPTH.search(message)
    if depth is not None:
        return InputError(
            f"elements nested deeper than {depth.group(1)} levels are refused (see SECURITY.md)",
            path=path,
            line=line,
            column=column,
        )
    for marker, refusal in _LIMITS:
        if marker in message:
            return InputError(f"{refusal} (see SECURITY.md)", path=path, line=line, column=column)
    if message.startswith("Invalid bytes in character encoding") and _utf8_expected(data):
        # Say which byte, and whether UTF-8 text came before it (two encodings in one file), as for plain
        # text; "malformed XML" stays in front, since that is what it is.
        try:
            decode(data, path)
        except InputError as precise:
            return InputError(f"malformed XML: {precise.message}", path=path, line=precise.line, column=precise.column)
    if message.startswith(("Invalid character: Char 0x0", "Document is empty", "Start tag expected")):
        refusal = utf16_refusal(data, path)
        if refusal is not None:
            return refusal
    return InputError(f"malformed XML: {message}", path=path, line=line, column=column)


def _utf8_expected(data: bytes) -> bool:
    """Whether the parser read ``data`` as UTF-8: no UTF-16 BOM, and no other encoding declared."""
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return False
    match = _DECLARATION.match(data.removeprefix(codecs.BOM_UTF8))
    if match is None:
        return True
    try:
        return codecs.lookup(match.group(1).decode("ascii")).name == "utf-8"
    except LookupError:
        return False


def _doctype_position(data: bytes, encoding: str | None) -> tuple[int | None, int | None]:
    """Line and column of ``<!DOCTYPE`` in ``data`` (read as ``encoding``, else as its BOM says)."""
    if encoding is None:
        encoding = "utf-16" if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)) else "utf-8"
    try:
        text = data.decode(encoding, errors="replace").lstrip("\ufeff")
    except LookupError:
        text = data.decode("utf-8", errors="replace").lstrip("\ufeff")
    at = text.find("<!DOCTYPE")
    if at < 0:
        return None, None
    return text.count("\n", 0, at) + 1, at - (text.rfind("\n", 0, at) + 1) + 1


def _check_declared_encoding(data: bytes, path: str) -> None:
    """Refuse an XML declaration that contradicts the bytes: text that is UTF-8 but declared Latin-1 (it
    would come out as mojibake, ``é`` as ``Ã©``), or 8-bit text declared UTF-16 (libxml2's error for that
    is a puzzling "Blank needed here"). A byte order mark settles the encoding, so files with one pass."""
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return
    match = _DECLARATION.match(data)
    if match is None:
        return
    declared = match.group(1).decode("ascii")
    try:
        name = codecs.lookup(declared).name
    except LookupError:
        return  # libxml2 reports the unknown encoding itself
    column = match.start(1) + 1
    if name.startswith(("utf-16", "utf-32")):
        raise InputError(
            f'the XML declaration says encoding="{declared}" but the file is 8-bit text (UTF-8?); '
            "correct the declaration",
            path=path,
            line=data.count(b"\n", 0, match.start(1)) + 1,
            column=column,
        )
    if name in _SINGLE_BYTE and not data.isascii():
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            return  # not UTF-8: the declared single-byte encoding is plausible
        at = next(k for k, ch in enumerate(text) if ord(ch) > 127)
        line = text.count("\n", 0, at) + 1
        raise InputError(
            f'the XML declaration says encoding="{declared}" but the text is UTF-8 ({text[at]!r} would read as '
            f"{text[at].encode('utf-8').decode(name, errors='replace')!r}); correct the declaration to UTF-8",
            path=path,
            line=line,
            column=at - (text.rfind("\n", 0, at) + 1) + 1,
        )


def _check_depth(root: etree._Element, path: str) -> None:
    # Iterative, so that depth itself cannot exhaust Python's stack.
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(
                f"elements nested deeper than {MAX_DEPTH} levels are refused (see SECURITY.md)",
                path=path,
                line=element.sourceline,
            )
        stack.extend((child, depth + 1) for child in element)
