"""Variant locations as characters for stemmatic work: one state per reading, one code per witness.

Offers:
    Character          a variant location as a character: its states (readings) and each witness's state
    characters(apparatus)   one ``Character`` per apparatus entry (spans over long absences included), in
                            reading order
    missing_at(apparatus)   per location, the witnesses that have no text there (lacuna, or before or after
                            their extent): missing data, not an omission

States come from the engine's readings (``VariantLocation.all_readings``) and are ordered as the TEI
apparatus orders its ``lem``/``rdg`` (the lemma first; readings that differ only in spelling kept together).
A witness whose reading is empty because its text is not there (inside a ``gap``, before it begins, after it
ends) is coded as missing: a stemma cannot learn from a lost page. (The TEI keeps such a witness in a
``rdg`` of its own, with ``lacunaStart``/``witStart``/``witEnd`` in it; a reading held only by missing
witnesses is not a state here.)
"""

from __future__ import annotations

from dataclasses import dataclass

from collate.engine.model import Apparatus, Reading, VariantLocation

__all__ = ["Character", "characters", "missing_at"]


@dataclass(frozen=True, slots=True)
class Character:
    location: VariantLocation
    states: tuple[Reading, ...]
    codes: tuple[int | None, ...]  # per witness (alignment order): index into ``states``, None for missing


def _ordered(location: VariantLocation) -> tuple[Reading, ...]:
    readings = location.all_readings
    done: set[int] = set()
    out: list[Reading] = []
    for i, r in enumerate(readings):
        if i in done:
            continue
        for j in range(i, len(readings)):
            if j not in done and readings[j].norm == r.norm:
                out.append(readings[j])
                done.add(j)
    return tuple(out)


def missing_at(apparatus: Apparatus) -> dict[int, frozenset[str]]:
    """Location number → the witnesses with no text there (as opposed to witnesses that omit the words)."""
    alignment = apparatus.alignment
    width = len(alignment.columns)
    found: dict[int, set[str]] = {}
    for w, witness in enumerate(alignment.witnesses):
        # For each column, the witness's last token before it and its first token from it on.
        before: list[int | None] = [None] * (width + 1)
        last = None
        for c in range(width):
            before[c] = last
            i = alignment.columns[c][w]
            if i is not None:
                last = i
        before[width] = last
        after: list[int | None] = [None] * (width + 1)
        following = None
        for c in range(width - 1, -1, -1):
            i = alignment.columns[c][w]
            if i is not None:
                following = i
            after[c] = following
        tokens = witness.tokens
        for loc in apparatus.entries:
            if any(alignment.columns[c][w] is not None for c in range(loc.start, loc.end)):
                continue
            prev, nxt = before[loc.start], after[loc.end] if loc.end < width else None
            lost = (
                prev is None
                or nxt is None
                or "gap" in tokens[nxt].source.flags
                or "gap-after" in tokens[prev].source.flags
            )
            if lost:
                found.setdefault(loc.number, set()).add(witness.siglum)
    return {n: frozenset(s) for n, s in found.items()}


def characters(apparatus: Apparatus) -> list[Character]:
    sigla = apparatus.alignment.sigla
    missing = missing_at(apparatus)
    out = []
    for loc in apparatus.entries:
        lost = missing.get(loc.number, frozenset())
        # A reading only missing witnesses "have" is no reading: it is not a state.
        states = tuple(r for r in _ordered(loc) if any(s not in lost for s in r.sigla))
        state_of = {s: k for k, r in enumerate(states) for s in r.sigla}
        # A witness no reading cites (a span it is absent from says so, or it lacks the text) is missing data
        # here: the span is the character that records its absence.
        codes = tuple(None if s in lost or s not in state_of else state_of[s] for s in sigla)
        out.append(Character(loc, states, codes))
    return out
