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

from importlib import import_module
from typing import TYPE_CHECKING, Any

from .errors import CollateError, InputError, UsageError

if TYPE_CHECKING:
    from .api import ENCODINGS, FORMATS, collate, format_for, load, load_corrections, render, write
    from .engine.corrections import apply_corrections
    from .engine.graph import Options, align_witnesses
    from .engine.model import (
        Alignment,
        Apparatus,
        Correction,
        Reading,
        Refusal,
        Segment,
        Source,
        Token,
        Transposition,
        VariantLocation,
        VariantType,
        Witness,
        WitnessMeta,
    )
    from .engine.normalize import DEFAULT as DEFAULT_NORMALIZER
    from .engine.tokens import make_tokens
    from .engine.variants import build_apparatus

# The model, the engine and the layers it wires load on first use, so that a command that needs none of
# them (``collate batch``) does not pay for importing them.
_LAZY = {
    "load": ("api", "load"),
    "load_corrections": ("api", "load_corrections"),
    "apply_corrections": ("engine.corrections", "apply_corrections"),
    "collate": ("api", "collate"),
    "render": ("api", "render"),
    "write": ("api", "write"),
    "format_for": ("api", "format_for"),
    "FORMATS": ("api", "FORMATS"),
    "ENCODINGS": ("api", "ENCODINGS"),
    "Options": ("engine.graph", "Options"),
    "align_witnesses": ("engine.graph", "align_witnesses"),
    "build_apparatus": ("engine.variants", "build_apparatus"),
    "make_tokens": ("engine.tokens", "make_tokens"),
    "DEFAULT_NORMALIZER": ("engine.normalize", "DEFAULT"),
    **{
        name: ("engine.model", name)
        for name in (
            "Alignment",
            "Apparatus",
            "Correction",
            "Reading",
            "Refusal",
            "Segment",
            "Source",
            "Token",
            "Transposition",
            "VariantLocation",
            "VariantType",
            "Witness",
            "WitnessMeta",
        )
    },
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'collate' has no attribute {name!r}")
    module, attribute = _LAZY[name]
    value = getattr(import_module(f".{module}", __name__), attribute)
    globals()[name] = value
    return value


__all__ = [
    "load",
    "load_corrections",
    "collate",
    "render",
    "write",
    "format_for",
    "FORMATS",
    "ENCODINGS",
    "Options",
    "align_witnesses",
    "build_apparatus",
    "apply_corrections",
    "make_tokens",
    "DEFAULT_NORMALIZER",
    "CollateError",
    "InputError",
    "UsageError",
    "Alignment",
    "Apparatus",
    "Correction",
    "Reading",
    "Refusal",
    "Segment",
    "Source",
    "Token",
    "Transposition",
    "VariantLocation",
    "VariantType",
    "Witness",
    "WitnessMeta",
]
