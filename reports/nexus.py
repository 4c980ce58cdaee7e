"""NEXUS for phylogenetic tools (PAUP*, MrBayes, SplitsTree, PHYLIP converters): witnesses as taxa,
variant locations as characters, readings as states.

Offers:
    render(apparatus)   the NEXUS text: a TAXA block and a CHARACTERS block with state labels
    SYMBOLS             the state symbols, in order (32, the most standard-data programs accept)

Character ``k`` is variant location ``k`` (labelled ``app_k``, as the TEI ``app`` of the same number); its
states are the location's readings (``reports.characters``), labelled with their text (``om.`` for an empty
reading); a witness with no text there (a lacuna, before it begins, after it ends) is ``?``. The matrix is
what teiphy makes of the TEI apparatus of the same collation (checked in the tests), with lacunae as missing
data rather than as a reading.
"""

from __future__ import annotations

import re

from collate.engine.model import Apparatus
from collate.errors import UsageError

from .characters import characters

__all__ = ["render", "SYMBOLS"]

SYMBOLS = "0123456789ABCDEFGHIJKLMNOPQRSTUV"
_PLAIN = re.compile(r"[A-Za-z_][A-Za-z0-9_.]*")


def _word(text: str) -> str:
    """A NEXUS word: plain when it can be, else single-quoted (quotes doubled). Sigla like ``1859`` are
    quoted: some programs would read a bare number as a taxon's position."""
    if _PLAIN.fullmatch(text):
        return text
    return "'" + text.replace("'", "''") + "'"


def _label(text: str) -> str:
    flat = " ".join(text.split())
    return _word(flat) if flat else "'om.'"


def render(apparatus: Apparatus) -> str:
    sigla = apparatus.alignment.sigla
    chars = characters(apparatus)
    for ch in chars:
        if len(ch.states) > len(SYMBOLS):
            raise UsageError(
                f"variant location {ch.location.number} has {len(ch.states)} readings; NEXUS standard data "
                f"allows {len(SYMBOLS)} states"
            )
    used = max((len(ch.states) for ch in chars), default=1)
    taxa = [_word(s) for s in sigla]
    width = max(len(t) for t in taxa)
    lines = [
        "#NEXUS",
        f"[Collation of {len(sigla)} witnesses; base {apparatus.base}; {len(chars)} variant locations.]",
        "",
        "BEGIN TAXA;",
        f"\tDIMENSIONS NTAX={len(sigla)};",
        "\tTAXLABELS " + " ".join(taxa) + ";",
        "END;",
        "",
        "BEGIN CHARACTERS;",
        f"\tDIMENSIONS NCHAR={len(chars)};",
        f'\tFORMAT DATATYPE=STANDARD MISSING=? GAP=- SYMBOLS="{" ".join(SYMBOLS[:max(used, 2)])}";',
    ]
    if chars:
        lines.append("\tCHARSTATELABELS")
        labels = [
            f"\t\t{k} app_{ch.location.number} / " + " ".join(_label(r.text) for r in ch.states)
            for k, ch in enumerate(chars, 1)
        ]
        lines.append(",\n".join(labels) + ";")
    lines.append("\tMATRIX")
    for w, taxon in enumerate(taxa):
        row = "".join("?" if ch.codes[w] is None else SYMBOLS[ch.codes[w]] for ch in chars)
        lines.append(f"\t\t{taxon.ljust(width)}  {row}")
    lines += ["\t;", "END;", ""]
    return "\n".join(lines)
