"""CSV: the alignment table with one row per column (``column``, one cell per witness, ``variant``, ``type``).

Offers:
    render(apparatus)
"""

from __future__ import annotations

import csv
import io

from collate.model import Apparatus

__all__ = ["render"]


def render(apparatus: Apparatus) -> str:
    alignment = apparatus.alignment
    where: dict[int, tuple[int, str]] = {}
    for loc in apparatus.locations:
        for c in range(loc.start, loc.end):
            where[c] = (loc.number, loc.type.value)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["column", *alignment.sigla, "variant", "type"])
    for c in range(len(alignment.columns)):
        number, kind = where.get(c, ("", ""))
        texts = ["" if t is None else t.text for t in alignment.column_tokens(c)]
        writer.writerow([c, *texts, number, kind])
    return buffer.getvalue()
