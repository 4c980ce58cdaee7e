"""A plain-text alignment table for the terminal: one row per witness, columns padded to line up.

Offers:
    render(apparatus, width=100)   the table, wrapped into blocks no wider than ``width``
"""

from __future__ import annotations

import unicodedata

from collate.engine.model import Apparatus

__all__ = ["render"]


def _width(text: str) -> int:
    return sum(0 if unicodedata.combining(c) else 2 if unicodedata.east_asian_width(c) in "WF" else 1 for c in text)


def render(apparatus: Apparatus, *, width: int = 100) -> str:
    alignment = apparatus.alignment
    sigla = alignment.sigla
    label = max(len(s) for s in sigla) + 1
    lacks: list[dict[int, str]] = [{} for _ in sigla]
    for lack in alignment.lacking:  # an imported apparatus's lacunae: "lac.", not an empty cell (an omission)
        for c in range(lack.start, lack.end):
            lacks[sigla.index(lack.witness)].setdefault(c, lack.kind.label)
    cells = []
    for c in range(len(alignment.columns)):
        texts = [
            # A gap is an empty cell: a "-" would read as the witness's own hyphen or dash.
            lacks[w].get(c, "") if t is None else " ".join(t.text.split())
            for w, t in enumerate(alignment.column_tokens(c))
        ]
        cells.append((texts, max(1, max(_width(t) for t in texts))))
    blocks: list[list[int]] = [[]]
    used = label
    for c, (_, w) in enumerate(cells):
        if blocks[-1] and used + w + 3 > width:
            blocks.append([])
            used = label
        blocks[-1].append(c)
        used += w + 3
    variant = set()
    for loc in apparatus.entries:
        variant.update(range(loc.start, loc.end))
    out = []
    for block in blocks:
        for row, siglum in enumerate(sigla):
            parts = []
            for c in block:
                text, w = cells[c][0][row], cells[c][1]
                parts.append(text + " " * (w - _width(text)))
            out.append(siglum.ljust(label) + "| " + " | ".join(parts).rstrip())
        marks = []
        for c in block:
            w = cells[c][1]
            marks.append(("^" * w) if c in variant else " " * w)
        out.append(" " * label + "  " + "   ".join(marks).rstrip())
        out.append("")
    return "\n".join(out).rstrip("\n") + "\n"
