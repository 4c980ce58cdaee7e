"""JSON: the alignment table in CollateX's layout (``t``/``n``/``i``), plus transpositions and apparatus.

Offers:
    to_data(apparatus)                the JSON-ready dict
    to_data_without_table(apparatus)  the same without the (large) table
    render(apparatus)                 the JSON text

``table`` is a list of columns in reading order; each column has one cell per witness, ``null`` for a gap
or a list of tokens ``{"t": text as in the witness, "n": normalised form, "i": position in the witness}``,
with ``"f"`` when the witness's markup said something of the token: its flags, sorted (``add``, ``del``,
``subst``, ``unclear``, ``supplied``, ``damage``; ``add@#pbs`` beside ``add`` for the hand its transcription
names, and so for ``del``; ``gap`` when a gap stands before it, ``gap-after`` when one stands after it; the ``choice`` member read, ``corr``, ``expan``…; ``note``/``fw`` when one was left out
after it). An apparatus reading whose witnesses have a gap there is typed ``"lacuna"``, never ``"omission"``.
From an imported apparatus, ``lacking`` lists the column ranges where a witness's ``null`` is not an omission
(``lacunose``, ``not-present``, ``not-cited``, ``ambiguous``), and each apparatus entry lists such witnesses in ``lacking``.
The editor's corrections (``collate.engine.corrections``) show as they are: a lemma the editor chose has
``"chosen": true``, an entry with notes ``"notes"``, and ``"corrections"`` lists every correction given
(``"given"``, in the file's own keys) and each one that no longer applies (``"refused"``, with the reason).
A token an editor's rule regularised adds ``"r": {"from": …, "to": …, "class": …}`` (its ``t`` is unchanged).
"""

from __future__ import annotations

import json
from typing import Any

from collate.engine.corrections import correction_fields
from collate.engine.lacunae import with_lacunae
from collate.engine.model import Apparatus, Token

__all__ = ["to_data", "to_data_without_table", "render"]


def _token(t: Token) -> dict[str, Any]:
    data: dict[str, Any] = {"t": t.text, "n": t.norm, "i": t.index}
    if t.source.flags:
        data["f"] = sorted(t.source.flags)
    if t.reg is not None:
        data["r"] = _reg(t)
    return data


def _reg(t: Token) -> dict[str, str]:
    return {"from": t.reg.source, "to": t.reg.target, "class": t.reg.cls}


def to_data(apparatus: Apparatus) -> dict[str, Any]:
    apparatus = with_lacunae(apparatus)
    alignment = apparatus.alignment
    table = [
        [None if t is None else [_token(t)] for t in alignment.column_tokens(c)]
        for c in range(len(alignment.columns))
    ]
    data = to_data_without_table(apparatus)
    return {"witnesses": data.pop("witnesses"), "table": table, **data}


def to_data_without_table(apparatus: Apparatus) -> dict[str, Any]:
    apparatus = with_lacunae(apparatus)
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
    locations = []
    for loc in apparatus.entries:
        entry: dict[str, Any] = {
            "n": loc.number,
            "columns": [loc.start, loc.end],
            "type": loc.type.value if loc.readings else None,  # None: only lacking witnesses (lac., n.c.)
            "lemma": {"text": loc.lemma.text, "wit": list(loc.lemma.sigla)},
            "readings": [
                {"text": r.text, "wit": list(r.sigla), "type": r.type.value if r.type else None}
                for r in loc.readings
            ],
        }
        if loc.chosen:
            entry["lemma"]["chosen"] = True  # the editor chose it (corrections.toml); the base's is a reading
        if loc.notes:
            entry["notes"] = list(loc.notes)
        if loc.transposition is not None:
            entry["transposition"] = loc.transposition  # its index in "transpositions": a half of that move
        if loc.span:
            entry["span"] = True  # an outer entry: a long absence or a moved passage; the entries inside follow
        if loc.absent:
            entry["absent"] = list(loc.absent)  # witnesses an enclosing span accounts for
        if loc.lacking:  # witnesses in no reading because they lack the text (lac., def., n.c.): never "om."
            kinds: dict[str, list[str]] = {}
            for siglum, kind in loc.lacking:
                kinds.setdefault(kind.value, []).append(siglum)
            entry["lacking"] = [{"wit": sigla, "kind": kind} for kind, sigla in kinds.items()]
        locations.append(entry)
    data: dict[str, Any] = {
        "witnesses": list(alignment.sigla),
        "transpositions": transpositions,
        "base": apparatus.base,
        "apparatus": locations,
    }
    if apparatus.corrections:  # the editor's corrections: each one given, and those that no longer apply
        data["corrections"] = {
            "given": [correction_fields(c) for c in apparatus.corrections],
            "refused": [
                {"correction": r.correction.number, "kind": r.correction.kind, "words": r.correction.words,
                 "reason": r.reason, "message": r.message}
                for r in apparatus.refused
            ],
        }
    if alignment.lacking:  # columns where a null cell is not an omission (an imported apparatus said so)
        data["lacking"] = [
            {"witness": lack.witness, "columns": [lack.start, lack.end], "kind": lack.kind.value}
            for lack in alignment.lacking
        ]
    return data


def render(apparatus: Apparatus) -> str:
    """The same document as ``json.dumps(to_data(apparatus))``, written faster.

    The table is most of the output (one object per token of every witness), so it is assembled from
    fragments, each distinct string encoded once; the small remainder goes through ``json.dumps``.
    """
    apparatus = with_lacunae(apparatus)
    alignment = apparatus.alignment
    encoded: dict[str, str] = {}

    def enc(text: str) -> str:
        e = encoded.get(text)
        if e is None:
            e = encoded[text] = json.dumps(text, ensure_ascii=False)
        return e

    flags: dict[frozenset[str], str] = {frozenset(): ""}

    def flag(f: frozenset[str]) -> str:
        e = flags.get(f)
        if e is None:
            e = flags[f] = ',"f":' + json.dumps(sorted(f), ensure_ascii=False, separators=(",", ":"))
        return e

    rows = []
    for w, witness in enumerate(alignment.witnesses):
        rows.append(
            [
                f'[{{"t":{enc(t.text)},"n":{enc(t.norm)},"i":{t.index}{flag(t.source.flags)}}}]' if t.reg is None
                else "[" + json.dumps(_token(t), ensure_ascii=False, separators=(",", ":")) + "]"
                for t in witness.tokens
            ]
        )
    columns = []
    for column in alignment.columns:
        columns.append("[" + ",".join("null" if i is None else rows[w][i] for w, i in enumerate(column)) + "]")
    rest = to_data_without_table(apparatus)
    head = json.dumps({"witnesses": rest.pop("witnesses")}, ensure_ascii=False, separators=(",", ":"))[:-1]
    tail = json.dumps(rest, ensure_ascii=False, separators=(",", ":"))[1:]
    return head + ',"table":[' + ",".join(columns) + "]," + tail + "\n"
