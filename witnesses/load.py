"""Loading witnesses from files: TEI, CollateX JSON or plain text, with sigla.

Offers:
    TeiOptions                            which member of ``choice`` and of ``add``/``del`` a TEI reader keeps
                                          (defined in ``tei.text``)
    load_witnesses(paths, …)              ``Witness``es from files, sigla checked for duplicates
    check_siglum(siglum)                  ``UsageError`` for a siglum that is empty or cannot be shown or written
    siglum_for(path)                      the default siglum: the file name without its suffix

A file is CollateX JSON input when it is named ``.json`` or when it is not named ``.txt`` and its text is
an object naming ``"witnesses"`` (``witnesses.collatex``); TEI when its name ends in ``.xml``/``.tei``, or
when it is not named ``.txt`` and its text begins with ``<``; anything else is plain text. A TEI or JSON file
may hold several witnesses (``teiCorpus``, CollateX's list), so one path can give more than one.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from collate.errors import InputError, UsageError, printable
from collate.engine.model import Witness, WitnessMeta
from collate.engine.normalize import DEFAULT, Normalizer
from tei.reader import read_witnesses

from tei.text import TeiOptions

from .collatex import looks_like_collatex, read_collatex
from .files import MAX_BYTES, display_name, read_bytes, siglum_for
from .plaintext import decode, read_text

__all__ = ["TeiOptions", "load_witnesses", "check_siglum", "siglum_for", "read_bytes", "MAX_BYTES"]

def _is_xml(path: str, data: bytes) -> bool:
    if path.lower().endswith((".xml", ".tei")):
        return True
    # A transcription may well begin with "<" (Leiden brackets, "<illegible>", a quoted tag): a file named
    # as plain text is read as plain text.
    if path.lower().endswith(".txt"):
        return False
    head = data[:64].lstrip(b"\xef\xbb\xbf").lstrip()
    return head.startswith(b"<") or head.startswith(b"\xff\xfe<") or head.startswith(b"\xfe\xff\x00<")


def load_witnesses(
    paths: Sequence[str | os.PathLike[str]],
    *,
    sigla: Sequence[str] | None = None,
    normalizer: Normalizer = DEFAULT,
    tei: TeiOptions = TeiOptions(),
) -> list[Witness]:
    """Read every path; ``sigla`` (one per resulting witness) overrides the sigla found in the files."""
    witnesses: list[Witness] = []
    for path in paths:
        name = display_name(path)  # what messages, reports and the TEI header show; ``path`` is what is read
        data = read_bytes(path)
        if looks_like_collatex(name, data):
            found = read_collatex(data, path=name, normalizer=normalizer)
        elif _is_xml(name, data):
            found = read_witnesses(data, path=name, normalizer=normalizer, options=tei)
        else:
            text = decode(data, name)
            meta = WitnessMeta(title=Path(name).name, path=name)
            found = [read_text(text, siglum_for(name), normalizer=normalizer, meta=meta)]
        for w in found:
            if not w.tokens:
                raise InputError("witness has no text to collate", path=name)
        witnesses.extend(found)
    if sigla:
        for siglum in sigla:
            check_siglum(siglum)
        if len(sigla) != len(witnesses):
            raise UsageError(f"{len(sigla)} sigla given for {len(witnesses)} witnesses")
        witnesses = [_with_siglum(w, s) for w, s in zip(witnesses, sigla)]
    seen: dict[str, str] = {}
    for w in witnesses:
        if w.siglum in seen:
            raise UsageError(
                f"duplicate siglum {w.siglum!r} ({seen[w.siglum]} and {w.meta.path}); set sigla with --siglum",
                path=w.meta.path,
            )
        seen[w.siglum] = w.meta.path or w.siglum
    return witnesses


def check_siglum(siglum: str) -> None:
    """A siglum given on the command line must be printable text: it is shown in every output, and XML
    (the TEI apparatus) cannot hold control characters at all."""
    if not siglum.strip():
        raise UsageError("an empty siglum was given; every --siglum needs a name")
    if printable(siglum) != siglum or siglum != siglum.strip():
        raise UsageError(
            f"siglum '{printable(siglum)}' holds control characters or surrounding spaces, which cannot be shown "
            "or written to XML; choose another --siglum"
        )


def _with_siglum(w: Witness, siglum: str) -> Witness:
    return Witness(siglum, tuple(t._replace(siglum=siglum) for t in w.tokens), w.meta)
