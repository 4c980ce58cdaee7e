"""CSV: the alignment table with one row per column (``column``, one cell per witness, ``variant``, ``type``).

An empty cell is a gap (an omission); where an imported apparatus says a witness lacks the text, the cell
reads ``[lac.]``, ``[def.]`` or ``[n.c.]``, and a row in an entry that only says so is typed ``lacking``. A row
inside an outer entry (a long absence, a moved passage in which the others vary) and in no entry of its own
gives the outer entry's number and type.

Offers:
    render(apparatus)
    cell(text)          a value as a spreadsheet may safely open it

A value that a spreadsheet program would run as a formula (``=HYPERLINK(…)`` as a siglum, ``+1`` or ``@x`` as a
siglum) is written with a leading apostrophe, which spreadsheets hide and take as "this is text". A single
character cannot be a formula, so punctuation tokens (``-``, ``+``, ``@``) are written exactly as they are.
"""

from __future__ import annotations

import csv
import io
from typing import TYPE_CHECKING

from collate.engine.lacunae import with_lacunae

if TYPE_CHECKING:
    from collate.engine.model import Apparatus

__all__ = ["render", "cell"]

_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    if len(text) > 1 and text.startswith(_FORMULA_START):
        return "'" + text
    return text


def _lacks(apparatus: Apparatus) -> list[dict[int, str]]:
    """Per witness: column → label (``lac.``, ``def.``, ``n.c.``) where an imported apparatus says it lacks
    the text; its cell reads ``[lac.]`` rather than an empty one, which would be an omission."""
    index = {s: w for w, s in enumerate(apparatus.alignment.sigla)}
    out: list[dict[int, str]] = [{} for _ in index]
    for lack in apparatus.alignment.lacking:
        for c in range(lack.start, lack.end):
            out[index[lack.witness]].setdefault(c, lack.kind.label)
    return out


def render(apparatus: Apparatus) -> str:
    apparatus = with_lacunae(apparatus)
    alignment = apparatus.alignment
    where: dict[int, tuple[int, str]] = {}
    # A column inside an outer entry (a span) and no other entry is cited by the span, the longest first;
    # an entry inside it is cited by its own number.
    for loc in (*sorted(apparatus.spans, key=lambda x: x.start - x.end), *apparatus.locations):
        for c in range(loc.start, loc.end):
            where[c] = (loc.number, loc.type.value if loc.readings else "lacking")
    lacks = _lacks(apparatus)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["column", *map(cell, alignment.sigla), "variant", "type"])
    for c in range(len(alignment.columns)):
        number, kind = where.get(c, ("", ""))
        texts = [
            (f"[{lacks[w][c]}]" if c in lacks[w] else "") if t is None else cell(t.text)
            for w, t in enumerate(alignment.column_tokens(c))
        ]
        writer.writerow([c, *texts, number, kind])
    return buffer.getvalue()
