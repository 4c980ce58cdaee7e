"""Lacunae: where a witness has no text because its source has none (a ``gap``), not because it omits it.

Offers:
    gap_columns(alignment)              per witness, the columns it lacks because a gap stands there
    lacunose(alignment, location, gaps) the sigla whose missing text in ``location`` falls in a gap of theirs
    lacuna_type(type, reading, lacunose, base)    a reading's type, ``lacuna`` where its emptiness is a gap
    with_lacunae(apparatus)             the apparatus with such readings typed ``lacuna`` (every output uses it)

A witness's importer flags the token after a gap ``gap`` and the token before it ``gap-after`` (plain
strings on ``Source.flags``; the engine knows no markup). The columns between those two tokens, where the
witness stands empty, are its lacuna; before its first token or after its last when the gap stands there,
or when the absence there is long (``MIN_SPAN`` columns or more: a fragment, whose span is a lacuna too).

Typing. An empty reading whose every witness is lacunose there is a lacuna, never an omission: a reading
that an omission and a lacuna share is split into two readings (the omission first, as it was), so that
"om. B; lac. C" is said of the right witnesses. Where the lemma is empty because the base witness has a
gap, the others' words are not additions either: they are typed ``lacuna`` (of the lemma). A location's
type is then the most significant of its readings' types again (``lacuna`` is the least).
"""

from __future__ import annotations

from dataclasses import replace

from .model import TYPE_ORDER, Alignment, Apparatus, Reading, VariantLocation, VariantType
from .variants import MIN_SPAN

__all__ = ["gap_columns", "lacunose", "lacuna_type", "with_lacunae"]


def gap_columns(alignment: Alignment) -> tuple[frozenset[int], ...]:
    """For each witness, the columns where it is empty because one of its gaps stands there, or because its
    text begins later or ends earlier than the others' by a long absence (a fragment: the span over such an
    absence is a lacuna too, ``variants._lacunose``)."""
    width = len(alignment.columns)
    columns = alignment.columns
    out = []
    for w, witness in enumerate(alignment.witnesses):
        tokens = witness.tokens
        empty: set[int] = set()
        if tokens:
            first = next(c for c in range(width) if columns[c][w] is not None)
            last = next(c for c in range(width - 1, -1, -1) if columns[c][w] is not None)
            if first >= MIN_SPAN:
                empty.update(range(0, first))
            if width - 1 - last >= MIN_SPAN:
                empty.update(range(last + 1, width))
        if not tokens or not any(f and ("gap" in f or "gap-after" in f) for f in (t[4][7] for t in tokens)):
            out.append(frozenset(empty))
            continue
        cols = [0] * len(tokens)
        for c, column in enumerate(columns):
            i = column[w]
            if i is not None:
                cols[i] = c
        if "gap" in tokens[0].source.flags:
            empty.update(range(0, cols[0]))
        if "gap-after" in tokens[-1].source.flags:
            empty.update(range(cols[-1] + 1, width))
        for i in range(len(tokens) - 1):
            if "gap-after" in tokens[i].source.flags or "gap" in tokens[i + 1].source.flags:
                empty.update(range(cols[i] + 1, cols[i + 1]))
        out.append(frozenset(empty))
    return tuple(out)


def lacunose(alignment: Alignment, location: VariantLocation, gaps: tuple[frozenset[int], ...]) -> frozenset[str]:
    """The sigla that stand empty in some column of ``location`` because of a gap of theirs."""
    found = set()
    for w, witness in enumerate(alignment.witnesses):
        if gaps[w] and any(c in gaps[w] for c in range(location.start, location.end)):
            found.add(witness.siglum)
    return frozenset(found)


def lacuna_type(
    kind: VariantType | None, reading: Reading, lacunose_sigla: frozenset[str], base: str
) -> VariantType | None:
    """``kind`` (a reading's type against the lemma, ``base``'s reading), or ``lacuna`` where the emptiness
    is a gap's: the reading's (every witness of it lacunose) or the base's (an "addition" to its gap)."""
    # (An empty reading typed punctuation leaves out a mark alone: where its witnesses are lacunose, so is it.)
    empty = kind is VariantType.OMISSION or kind is VariantType.PUNCTUATION and reading.empty
    if empty and reading.sigla and set(reading.sigla) <= lacunose_sigla:
        return VariantType.LACUNA
    if kind is VariantType.ADDITION and base in lacunose_sigla:
        return VariantType.LACUNA
    return kind


def _split(reading: Reading, lacunose_sigla: frozenset[str]) -> list[Reading]:
    """An empty reading shared by lacunose and other witnesses, as two readings."""
    inside = [k for k, s in enumerate(reading.sigla) if s in lacunose_sigla]
    if not reading.empty or not inside or len(inside) == len(reading.sigla):
        return [reading]
    outside = [k for k in range(len(reading.sigla)) if k not in inside]

    def part(members: list[int]) -> Reading:
        return replace(
            reading,
            sigla=tuple(reading.sigla[k] for k in members),
            tokens=tuple(reading.tokens[k] for k in members),
        )

    return [part(outside), part(inside)]


def with_lacunae(apparatus: Apparatus, gaps: tuple[frozenset[int], ...] | None = None) -> Apparatus:
    """``apparatus`` with every reading whose emptiness is a gap typed ``lacuna`` (idempotent). A long
    absence's span is typed when it is built; the span of a moved passage is typed here, as entries are.
    ``gaps``: ``gap_columns`` of its alignment, when the caller has them already."""
    alignment = apparatus.alignment
    if gaps is None:
        gaps = gap_columns(alignment)
    if not any(gaps):
        return apparatus
    parts = tuple(_typed(part, alignment, gaps, apparatus.base) if isinstance(part, VariantLocation) else part
                  for part in apparatus.parts)
    spans = tuple(_typed(span, alignment, gaps, apparatus.base) if span.transposition is not None else span
                  for span in apparatus.spans)
    if all(a is b for a, b in zip(parts, apparatus.parts)) and all(a is b for a, b in zip(spans, apparatus.spans)):
        return apparatus
    return replace(apparatus, parts=parts, spans=spans)


def _typed(part: VariantLocation, alignment: Alignment, gaps: tuple[frozenset[int], ...], base: str) -> VariantLocation:
    found = lacunose(alignment, part, gaps)
    if not found:
        return part
    readings = []
    for reading in part.readings:
        for piece in _split(reading, found):
            kind = lacuna_type(piece.type, piece, found, base)
            readings.append(piece if kind is piece.type else replace(piece, type=kind))
    present = {r.type for r in readings if r.type is not None}
    kind = next((t for t in TYPE_ORDER if t in present), part.type)
    if tuple(readings) != part.readings or kind is not part.type:
        return replace(part, readings=tuple(readings), type=kind)
    return part
