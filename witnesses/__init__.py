"""Witnesses: the witness model, importers (TEI, plain text) and the bundled sample witnesses.

Offers:
    Witness, Token, WitnessMeta      the model (defined in ``collate.model``)
    TeiOptions, load_witnesses       importers
    sample_paths()                   the bundled sample witnesses (Darwin, *Origin* ch. 1, six editions)
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

from collate.model import Token, Witness, WitnessMeta

from .load import TeiOptions, load_witnesses, siglum_for

__all__ = ["Witness", "Token", "WitnessMeta", "TeiOptions", "load_witnesses", "siglum_for", "sample_paths"]


def sample_paths() -> list[Path]:
    """Darwin's *Origin* ch. 1 in six editions (1859–1872), as TEI witnesses, in edition order."""
    folder = resources.files("witnesses") / "data"
    return sorted(Path(str(p)) for p in folder.iterdir() if p.name.startswith("darwin_") and p.name.endswith(".xml"))
