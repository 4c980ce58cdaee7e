"""JSON: the alignment table in CollateX's layout (``t``/``n``/``i``), plus transpositions and apparatus.

Offers:
    to_data(apparatus)   the JSON-ready dict
    render(apparatus)    the JSON text

``table`` is a list of columns in reading order; each column has one cell per witness, ``null`` for a gap
or a list of tokens ``{"t": text as in the witness, "n": normalised form, "i": position in the witness}``.
"""

from __future__ import annotations

import json
from typing import Any

from collate.model import Apparatus, Token

__all__ = ["to_data", "render"]


def _token(t: Token) -> dict[str, Any]:
    return {"t": t.text, "n": t.norm, "i": t.index}


def to_data(apparatus: Apparatus) -> dict[str, Any]:
    alignment = apparatus.alignment
    table = [
        [None if t is None else [_token(t)] for t in alignment.column_tokens(c)]
        for c in range(len(alignment.columns))
    ]
    transpositions = [
        {
            "source": list(t.source),
            "target": list(t.target),
            "source_witnesses": list(t.source_witnesses),
            "target_witnesses": list(t.target_witnesses),
            "links": [list(link) for link in t.links],
        }
        for t in alignment.transpositions
    ]
    locations = [
        {
            "n": loc.number,
            "columns": [loc.start, loc.end],
            "type": loc.type.value,
            "lemma": {"text": loc.lemma.text, "wit": list(loc.lemma.sigla)},
            "readings": [
                {"text": r.text, "wit": list(r.sigla), "type": r.type.value if r.type else None}
                for r in loc.readings
            ],
        }
        for loc in apparatus.locations
    ]
    return {
        "witnesses": list(alignment.sigla),
        "table": table,
        "transpositions": transpositions,
        "base": apparatus.base,
        "apparatus": locations,
    }


def render(apparatus: Apparatus) -> str:
    return json.dumps(to_data(apparatus), ensure_ascii=False, indent=None, separators=(",", ":")) + "\n"
