"""JSON: the alignment table in CollateX's layout (``t``/``n``/``i``), plus transpositions and apparatus.

Offers:
    to_data(apparatus)                the JSON-ready dict
    to_data_without_table(apparatus)  the same without the (large) table
    render(apparatus)                 the JSON text

``table`` is a list of columns in reading order; each column has one cell per witness, ``null`` for a gap
or a list of tokens ``{"t": text as in the witness, "n": normalised form, "i": position in the witness}``;
a token an editor's rule regularised adds ``"r": {"from": …, "to": …, "class": …}`` (its ``t`` is unchanged).
"""

from __future__ import annotations

import json
from typing import Any

from collate.engine.model import Apparatus, Token

__all__ = ["to_data", "to_data_without_table", "render"]


def _token(t: Token) -> dict[str, Any]:
    if t.reg is not None:
        return {"t": t.text, "n": t.norm, "i": t.index, "r": _reg(t)}
    return {"t": t.text, "n": t.norm, "i": t.index}


def _reg(t: Token) -> dict[str, str]:
    return {"from": t.reg.source, "to": t.reg.target, "class": t.reg.cls}


def to_data(apparatus: Apparatus) -> dict[str, Any]:
    alignment = apparatus.alignment
    table = [
        [None if t is None else [_token(t)] for t in alignment.column_tokens(c)]
        for c in range(len(alignment.columns))
    ]
    data = to_data_without_table(apparatus)
    return {"witnesses": data.pop("witnesses"), "table": table, **data}


def to_data_without_table(apparatus: Apparatus) -> dict[str, Any]:
    alignment = apparatus.alignment
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
        "transpositions": transpositions,
        "base": apparatus.base,
        "apparatus": locations,
    }


def render(apparatus: Apparatus) -> str:
    """The same document as ``json.dumps(to_data(apparatus))``, written faster.

    The table is most of the output (one object per token of every witness), so it is assembled from
    fragments, each distinct string encoded once; the small remainder goes through ``json.dumps``.
    """
    alignment = apparatus.alignment
    encoded: dict[str, str] = {}

    def enc(text: str) -> str:
        e = encoded.get(text)
        if e is None:
            e = encoded[text] = json.dumps(text, ensure_ascii=False)
        return e

    rows = []
    for w, witness in enumerate(alignment.witnesses):
        rows.append([
            f'[{{"t":{enc(t.text)},"n":{enc(t.norm)},"i":{t.index}}}]' if t.reg is None
            else "[" + json.dumps(_token(t), ensure_ascii=False, separators=(",", ":")) + "]"
            for t in witness.tokens
        ])
    columns = []
    for column in alignment.columns:
        columns.append("[" + ",".join("null" if i is None else rows[w][i] for w, i in enumerate(column)) + "]")
    rest = to_data_without_table(apparatus)
    head = json.dumps({"witnesses": rest.pop("witnesses")}, ensure_ascii=False, separators=(",", ":"))[:-1]
    tail = json.dumps(rest, ensure_ascii=False, separators=(",", ":"))[1:]
    return head + ',"table":[' + ",".join(columns) + "]," + tail + "\n"
