"""Variant locations: the alignment grouped once into agreements and apparatus entries, and typed.

Offers:
    build_apparatus(alignment, base=None)   the ``Apparatus`` every renderer consumes
    classify(lemma, reading)                the ``VariantType`` of a reading against the lemma
    movers(alignment, transposition)        the witnesses that read a transposed passage in one place only
    type_against(lemma, reading, movers)    ``classify``, and a transposition where a mover's reading is empty

Grouping. A column where every witness has a token and all tokens read alike (exactly, as printed) is an
agreement. Consecutive columns that disagree form one variant location, with three exceptions that keep
entries as a reader expects them: columns that differ only after normalisation (orthographic) stand apart
from substantive ones, and each half of a transposition is a location of its own.

Readings of a location are grouped by their text as printed; the base witness's reading is the lemma.
"""

from __future__ import annotations

from collate.errors import UsageError
from .model import (
    TYPE_ORDER,
    Alignment,
    Apparatus,
    Reading,
    Segment,
    Token,
    VariantLocation,
    VariantType,
)
from .tokens import join

__all__ = ["build_apparatus", "classify", "movers", "type_against"]

_AGREE = ("agree",)
_ORTHO = ("ortho",)
_VARIANT = ("variant",)


def build_apparatus(alignment: Alignment, base: str | None = None) -> Apparatus:
    sigla = alignment.sigla
    if base is None:
        base = sigla[0]
    if base not in sigla:
        raise UsageError(f"unknown base witness {base!r}; the sigla are {', '.join(sigla)}")
    base_index = sigla.index(base)

    moved: dict[int, tuple[str, int]] = {}  # column → (side, transposition index)
    for t_index, t in enumerate(alignment.transpositions):
        for c in range(*t.source):
            moved.setdefault(c, ("source", t_index))
        for c in range(*t.target):
            moved.setdefault(c, ("target", t_index))

    kinds = [_column_kind(alignment, c, moved) for c in range(len(alignment.columns))]
    parts: list[Segment | VariantLocation] = []
    start = 0
    number = 0
    for c in range(1, len(kinds) + 1):
        if c < len(kinds) and kinds[c] == kinds[start]:
            continue
        kind = kinds[start]
        if kind is _AGREE:
            tokens = tuple(t for t in (alignment.cell(k, base_index) for k in range(start, c)) if t is not None)
            parts.append(Segment(start, c, tokens))
        else:
            number += 1
            t_index = kind[1] if kind[0] in ("source", "target") else None
            parts.append(_location(alignment, number, start, c, base_index, t_index))
        start = c
    return Apparatus(alignment, base, tuple(parts))


def _column_kind(alignment: Alignment, c: int, moved: dict[int, tuple[str, int]]) -> tuple:
    if c in moved:
        return moved[c]
    tokens = alignment.column_tokens(c)
    first = tokens[0]
    if first is None or any(t is None for t in tokens):
        return _VARIANT
    if all(t.text == first.text for t in tokens):  # type: ignore[union-attr]
        return _AGREE
    if all(t.norm == first.norm for t in tokens):  # type: ignore[union-attr]
        return _ORTHO
    return _VARIANT


def _location(
    alignment: Alignment, number: int, start: int, end: int, base_index: int, t_index: int | None
) -> VariantLocation:
    sigla = alignment.sigla
    per_witness: list[tuple[Token, ...]] = []
    for w in range(len(sigla)):
        per_witness.append(tuple(t for t in (alignment.cell(c, w) for c in range(start, end)) if t is not None))
    groups: dict[str, list[int]] = {}
    for w, tokens in enumerate(per_witness):
        groups.setdefault(join([t.text for t in tokens]), []).append(w)
    lemma_text = join([t.text for t in per_witness[base_index]])
    moved_by = movers(alignment, t_index)

    def reading(text: str, members: list[int], lemma: Reading | None) -> Reading:
        tokens = tuple(per_witness[w] for w in members)
        norm = " ".join(t.norm for t in tokens[0])
        r = Reading(text, norm, tuple(sigla[w] for w in members), tokens)
        if lemma is None:
            return r
        return Reading(r.text, r.norm, r.sigla, r.tokens, type_against(lemma, r, moved_by))

    lemma = reading(lemma_text, groups.pop(lemma_text), None)
    others = sorted(groups.items(), key=lambda item: (-len(item[1]), item[1][0]))
    readings = tuple(reading(text, members, lemma) for text, members in others)
    present = {r.type for r in readings}
    kind = next((t for t in TYPE_ORDER if t in present), VariantType.ORTHOGRAPHIC)
    return VariantLocation(number, start, end, lemma, readings, kind, t_index)


def movers(alignment: Alignment, transposition: int | None) -> frozenset[str]:
    """Witnesses that have a transposed passage on one side only (those that read it in both places, or
    in neither, did not move it)."""
    if transposition is None:
        return frozenset()
    t = alignment.transpositions[transposition]
    return frozenset(set(t.source_witnesses) ^ set(t.target_witnesses))


def type_against(lemma: Reading, reading: Reading, moved_by: frozenset[str] = frozenset()) -> VariantType:
    """The type of ``reading`` against ``lemma``: where one of them is empty in a transposed passage and
    the reading's witnesses moved it, the emptiness is the move, not an omission or addition."""
    if moved_by and (reading.empty or lemma.empty) and any(s in moved_by for s in reading.sigla):
        return VariantType.TRANSPOSITION
    return classify(lemma, reading)


def classify(lemma: Reading, reading: Reading) -> VariantType:
    """The type of ``reading`` against ``lemma`` (which differ as printed)."""
    if reading.norm == lemma.norm:
        return VariantType.ORTHOGRAPHIC
    words = [t.norm for t in reading.tokens[0] if not t.punct] if reading.tokens else []
    lemma_words = [t.norm for t in lemma.tokens[0] if not t.punct] if lemma.tokens else []
    if words == lemma_words:
        return VariantType.PUNCTUATION
    if not lemma_words:
        return VariantType.ADDITION
    if not words:
        return VariantType.OMISSION
    return VariantType.SUBSTANTIVE
