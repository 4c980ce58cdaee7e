"""Safe XML parsing for every reader (TEI, ALTO, PAGE, hOCR): nothing fetched, nothing expanded.

Offers:
    parse(data, path)   an lxml element tree, or ``InputError`` with ``FILE:LINE:COL``
    MAX_DEPTH           the deepest element nesting accepted

The parser resolves no entities (so no external file or URL is ever read, and no "billion laughs"
expansion happens), loads no DTD, touches no network, and refuses documents nested deeper than
``MAX_DEPTH``. A DOCTYPE that declares entities is refused outright: a witness has no need of one, and
refusing is clearer than silently dropping the text the entities would have produced.
"""

from __future__ import annotations

from lxml import etree

from collate.errors import InputError

__all__ = ["parse", "MAX_DEPTH"]

MAX_DEPTH = 1000


def _parser() -> etree.XMLParser:
    return etree.XMLParser(
        resolve_entities=False,
        no_network=True,
        load_dtd=False,
        dtd_validation=False,
        huge_tree=False,
        remove_comments=False,
        remove_pis=False,
    )


def parse(data: bytes, path: str) -> etree._ElementTree:
    if not data.strip():
        raise InputError("empty file", path=path)
    try:
        tree = etree.ElementTree(etree.fromstring(data, _parser()))
    except etree.XMLSyntaxError as exc:
        line, column = exc.position if exc.position else (None, None)
        message = str(exc.msg or exc).split(", line ")[0]
        raise InputError(f"malformed XML: {message}", path=path, line=line, column=column) from None
    docinfo = tree.docinfo
    dtd = docinfo.internalDTD
    if dtd is not None and (list(dtd.iterentities()) or docinfo.system_url):
        raise InputError(
            "DOCTYPE with entity declarations or an external DTD is refused (see SECURITY.md)", path=path, line=1
        )
    if docinfo.system_url:
        raise InputError("external DTD reference is refused (see SECURITY.md)", path=path, line=1)
    _check_depth(tree.getroot(), path)
    return tree


def _check_depth(root: etree._Element, path: str) -> None:
    # Iterative, so that depth itself cannot exhaust Python's stack.
    stack = [(root, 1)]
    while stack:
        element, depth = stack.pop()
        if depth > MAX_DEPTH:
            raise InputError(f"elements nested deeper than {MAX_DEPTH}", path=path, line=element.sourceline)
        stack.extend((child, depth + 1) for child in element)
