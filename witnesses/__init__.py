"""Witnesses: the witness model, importers (TEI, plain text) and the bundled sample witnesses.

Offers:
    Witness, Token, WitnessMeta      the model (defined in ``collate.engine.model``)
    TeiOptions, load_witnesses       importers
    sample_paths()                   the bundled sample witnesses (Darwin, *Origin* ch. 1, six editions)
"""

from __future__ import annotations

from importlib import import_module, resources
from pathlib import Path
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from collate.engine.model import Token, Witness, WitnessMeta

    from .load import TeiOptions, load_witnesses, siglum_for

__all__ = ["Witness", "Token", "WitnessMeta", "TeiOptions", "load_witnesses", "siglum_for", "sample_paths"]

# Loaded on first use: ``collate batch`` reads its files through ``witnesses.files`` and ``witnesses.ocr``
# and needs neither the witness model nor the TEI reader.
_LAZY = {
    "Witness": "collate.engine.model",
    "Token": "collate.engine.model",
    "WitnessMeta": "collate.engine.model",
    "TeiOptions": "witnesses.load",
    "load_witnesses": "witnesses.load",
    "siglum_for": "witnesses.load",
}


def __getattr__(name: str) -> Any:
    if name not in _LAZY:
        raise AttributeError(f"module 'witnesses' has no attribute {name!r}")
    value = getattr(import_module(_LAZY[name]), name)
    globals()[name] = value
    return value


def sample_paths() -> list[Path]:
    """Darwin's *Origin* ch. 1 in six editions (1859–1872), as TEI witnesses, in edition order."""
    folder = resources.files("witnesses") / "data"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.startswith("darwin_") and p.name.endswith(".xml"))
