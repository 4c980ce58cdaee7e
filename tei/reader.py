"""Reading TEI P5 witnesses: the text a critic collates, with every token traced back to its source.

Offers:
    read_witnesses(data, *, path, normalizer, options)   the ``Witness``es of one TEI file
    extract(data, *, path, options)                      the same witnesses before tokenising: ``Extract``s

What is collated, and how each token is traced, is ``tei.text``'s part; this module finds the witnesses
of a file and hands each to it (or, for an apparatus, to ``tei.importer``).

Witnesses per file. A ``TEI`` is one witness; a ``teiCorpus`` holds one per ``TEI``; a ``TEI`` whose
``text`` is a ``group`` of ``text``s, or whose ``listWit`` witnesses are each pointed at by body parts
(``@corresp``/``@decls``/``@source``), holds one per witness; an apparatus (any encoding) holds one per
witness it cites (read through ``tei.importer``, the edition's lemma text as ``ed.``), and so do CollateX's
``cx:apparatus`` and XML output. A siglum is ``@n``, else ``@xml:id``, else the file
name (with ``-1``, ``-2``, … when one file holds several).
"""

from __future__ import annotations

from dataclasses import replace

from lxml import etree

from collate.errors import InputError
from collate.engine.model import Witness
from collate.engine.normalize import DEFAULT, Normalizer
from witnesses.files import siglum_for

from .importer import is_bare_apparatus, witness_extracts
from .safe import parse
from .text import (
    _XML_ID,
    TEI_NS,
    Extract,
    TeiOptions,
    _children,
    _combine,
    _siglum,
    extract_text,
    header_meta,
    local_name,
    tokens_of,
    witness_meta,
)

__all__ = ["read_witnesses", "extract"]


def _list_wit(tei: etree._Element) -> dict[str, etree._Element]:
    """``listWit`` witnesses by ``xml:id`` (also by ``@n``, so either may be pointed at)."""
    found: dict[str, etree._Element] = {}
    for w in tei.iter(f"{{{TEI_NS}}}witness", "witness"):
        if local_name(w) != "witness":
            continue
        for key in (w.get(_XML_ID), w.get("n")):
            if key:
                found.setdefault(key, w)
    return found


def _is_apparatus(text: etree._Element, witnesses: dict[str, etree._Element]) -> bool:
    """A ``listWit`` and readings that cite witnesses (any siglum: ``01*`` or an unlisted one is read too)."""
    if not witnesses:
        return False
    return any(e.get("wit") for e in text.iter(f"{{{TEI_NS}}}rdg", f"{{{TEI_NS}}}lem", "rdg", "lem"))


def _tei_extracts(tei: etree._Element, *, fallback: str, path: str, options: TeiOptions) -> list[Extract]:
    """The witnesses of one ``TEI`` element."""
    texts = _children(tei, "text")
    if not texts:
        raise InputError("TEI document has no <text> element", path=path, line=tei.sourceline)
    text = texts[0]
    witnesses = _list_wit(tei)

    groups = [g for g in text.iter(f"{{{TEI_NS}}}group", "group") if local_name(g) == "group"]
    if groups:
        inner = [t for t in groups[0] if local_name(t) == "text"]
        if not inner:
            # Returning no witness would drop the file from the collation without a word.
            raise InputError("<group> holds no <text> element", path=path, line=groups[0].sourceline)
        out = []
        for k, t in enumerate(inner, start=1):
            pointer = _pointer(t)
            target = witnesses.get(pointer) if pointer else None
            siglum = _siglum(target, pointer) if target is not None else _siglum(t, f"{fallback}-{k}")
            meta = witness_meta(target, path) if target is not None else header_meta(tei, path)
            out.append(extract_text(t, siglum=siglum, meta=meta, options=options, path=path))
        return out

    if _is_apparatus(text, witnesses):
        return witness_extracts(tei, path=path, options=options)

    bodies = _children(text, "body")
    if witnesses and bodies:
        parts: dict[str, list[etree._Element]] = {}
        for child in bodies[0]:
            pointer = _pointer(child) if local_name(child) else None
            if pointer and pointer in witnesses:
                parts.setdefault(pointer, []).append(child)
        if parts:
            out = []
            for pointer, elements in parts.items():
                target = witnesses[pointer]
                siglum = _siglum(target, pointer)
                meta = witness_meta(target, path)
                pieces = [extract_text(e, siglum=siglum, meta=meta, options=options, path=path) for e in elements]
                out.append(_combine(pieces, siglum=siglum, meta=meta))
            return out

    meta = header_meta(tei, path)
    return [extract_text(text, siglum=_siglum(tei, fallback), meta=meta, options=options, path=path)]


def _pointer(element: etree._Element) -> str | None:
    for attribute in ("corresp", "decls", "source"):
        value = element.get(attribute)
        if value:
            return value.split()[0].lstrip("#")
    return element.get(_XML_ID)


def extract(data: bytes, *, path: str, options: TeiOptions) -> list[Extract]:
    """The witnesses of a TEI file, as collated text with source maps (nothing tokenised yet)."""
    root = parse(data, path).getroot()
    name = local_name(root)
    fallback = siglum_for(path)
    if name == "TEI":
        return _tei_extracts(root, fallback=fallback, path=path, options=options)
    if name == "teiCorpus":
        members = [e for e in root.iter(f"{{{TEI_NS}}}TEI", "TEI") if local_name(e) == "TEI"]
        if not members:
            raise InputError("teiCorpus holds no TEI document", path=path, line=root.sourceline)
        out: list[Extract] = []
        corpus_meta = header_meta(root, path)
        for k, tei in enumerate(members, start=1):
            found = _tei_extracts(tei, fallback=f"{fallback}-{k}", path=path, options=options)
            for e in found:
                meta = e.meta
                if meta.title is None and meta.date is None and meta.source is None:
                    meta = corpus_meta
                out.append(replace(e, meta=meta))
        return out
    if is_bare_apparatus(root):
        return witness_extracts(root, path=path, options=options)
    qname = etree.QName(root)
    where = f" in namespace {qname.namespace}" if qname.namespace and qname.namespace != TEI_NS else ""
    raise InputError(
        f"not a TEI document: root element is <{qname.localname}>{where}; expected <TEI> or <teiCorpus>",
        path=path,
        line=root.sourceline,
    )


def read_witnesses(
    data: bytes,
    *,
    path: str,
    normalizer: Normalizer = DEFAULT,
    options: TeiOptions | None = None,
) -> list[Witness]:
    """The ``Witness``es of a TEI file; a witness with no words raises ``InputError``."""
    if options is None:
        options = TeiOptions()
    out = []
    for item in extract(data, path=path, options=options):
        tokens = tokens_of(item, normalizer=normalizer)
        if not tokens:
            raise InputError(f"witness {item.siglum!r} has no text to collate", path=path, line=item.file_line)
        out.append(Witness(item.siglum, tokens, item.meta))
    return out
