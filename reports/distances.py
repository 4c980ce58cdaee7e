"""Witness × witness disagreement matrices (CSV), the first step of a distance-based stemma.

Offers:
    matrices(apparatus)   ``{"substantive": M, "all": M, "compared": M}``, each ``M[a][b]`` a count
    render(apparatus)     the CSV: ``measure,witness,<sigla…>``, one block of rows per measure
    MEASURES              the measures, in the order written

For two witnesses and every variant location where both have text (``reports.characters``: a lacuna is not
a disagreement), ``all`` counts the locations where they read differently, ``substantive`` those where their
readings differ by more than spelling and punctuation (the engine's own typing, ``classify``, of one
reading against the other), and ``compared`` the locations counted at all; ``all / compared`` is the
proportion of disagreement. The matrices are symmetric with a zero diagonal (``compared`` has each
witness's number of locations with text there).
"""

from __future__ import annotations

import csv
import io

from collate.engine.model import Apparatus, VariantType
from collate.engine.variants import classify

from .characters import characters
from .csv import cell

__all__ = ["matrices", "render", "MEASURES"]

MEASURES = ("substantive", "all", "compared")
_MINOR = (VariantType.ORTHOGRAPHIC, VariantType.PUNCTUATION)


def matrices(apparatus: Apparatus) -> dict[str, list[list[int]]]:
    n = len(apparatus.alignment.sigla)
    out = {m: [[0] * n for _ in range(n)] for m in MEASURES}
    for ch in characters(apparatus):
        minor: dict[tuple[int, int], bool] = {}
        for a in range(n):
            sa = ch.codes[a]
            if sa is None:
                continue
            out["compared"][a][a] += 1
            for b in range(a + 1, n):
                sb = ch.codes[b]
                if sb is None:
                    continue
                out["compared"][a][b] += 1
                out["compared"][b][a] += 1
                if sa == sb:
                    continue
                out["all"][a][b] += 1
                out["all"][b][a] += 1
                key = (min(sa, sb), max(sa, sb))
                if key not in minor:
                    minor[key] = classify(ch.states[key[0]], ch.states[key[1]]) in _MINOR
                if not minor[key]:
                    out["substantive"][a][b] += 1
                    out["substantive"][b][a] += 1
    return out


def render(apparatus: Apparatus) -> str:
    sigla = apparatus.alignment.sigla
    found = matrices(apparatus)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["measure", "witness", *map(cell, sigla)])
    for measure in MEASURES:
        for a, siglum in enumerate(sigla):
            writer.writerow([measure, cell(siglum), *found[measure][a]])
    return buffer.getvalue()
