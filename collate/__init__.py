"""A collation toolkit: TEI and plain-text witnesses in, critical apparatus out (HTML, TEI P5, JSON, CSV).

Typical use::

    import collate
    witnesses = collate.load(["a.xml", "b.xml", "c.txt"])
    apparatus = collate.collate(witnesses, base="a")
    collate.write(apparatus, "apparatus.html")
    for location in apparatus.locations:
        print(location.number, location.lemma.text, [(r.text, r.sigla) for r in location.readings])
"""

from __future__ import annotations

from .api import ENCODINGS, FORMATS, collate, format_for, load, render, write
from .errors import CollateError, InputError, UsageError
from .graph import Options, align_witnesses
from .model import (
    Alignment,
    Apparatus,
    Reading,
    Segment,
    Source,
    Token,
    Transposition,
    VariantLocation,
    VariantType,
    Witness,
    WitnessMeta,
)
from .normalize import DEFAULT as DEFAULT_NORMALIZER
from .tokens import make_tokens
from .variants import build_apparatus

__all__ = [
    "load",
    "collate",
    "render",
    "write",
    "format_for",
    "FORMATS",
    "ENCODINGS",
    "Options",
    "align_witnesses",
    "build_apparatus",
    "make_tokens",
    "DEFAULT_NORMALIZER",
    "CollateError",
    "InputError",
    "UsageError",
    "Alignment",
    "Apparatus",
    "Reading",
    "Segment",
    "Source",
    "Token",
    "Transposition",
    "VariantLocation",
    "VariantType",
    "Witness",
    "WitnessMeta",
]
