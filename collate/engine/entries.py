"""Apparatus entries as an imported apparatus grouped them, and witnesses that lack the text (never "om.").

Offers:
    build_entries(alignment, base=None)   the ``Apparatus`` of an alignment that carries ``entries``/``lacking``

``build_apparatus`` groups a collation: consecutive disagreeing columns form one entry. An imported
apparatus has its own grouping (each source ``app`` one entry), kept in ``Alignment.entries``, and says where
a witness has no text without omitting it (``Alignment.lacking``). Here:
- each range of ``entries`` is one variant location (a range inside another, from an ``app`` nested in a
  reading, belongs to the outer one), unless every witness reads it alike (CollateX's XML
  gives an ``app`` to agreeing columns too): then it is agreement;
- outside them, a column is agreement when every witness that is not lacking there reads it alike; a run
  of other columns (text a lacunose or fragmentary witness does not have) is one entry per set of lacking
  witnesses, so that the extent of a lacuna is printed;
- in a location, a witness that lacks every column it has no token in is left out of the readings and
  listed in ``VariantLocation.lacking`` (printed ``lac.``, ``def.``, ``n.c.``); the lemma is the base's
  reading, or the most attested one when the base itself is lacking there.
Readings are grouped and typed as ``build_apparatus`` types them (``type_against``).
"""

from __future__ import annotations

from collate.errors import UsageError

from .model import TYPE_ORDER, Alignment, Apparatus, Lacking, Reading, Segment, Token, VariantLocation, VariantType
from .tokens import join
from .variants import base_of, by_mover, movers, type_against

__all__ = ["build_entries"]


def _lack_map(alignment: Alignment) -> list[dict[int, Lacking]]:
    """Per witness: column → why it lacks the text there."""
    index = {s: w for w, s in enumerate(alignment.sigla)}
    out: list[dict[int, Lacking]] = [{} for _ in alignment.sigla]
    for lack in alignment.lacking:
        w = index.get(lack.witness)
        if w is None:
            raise UsageError(f"lacking range names {lack.witness!r}, which is not a witness")
        for c in range(lack.start, lack.end):
            if alignment.columns[c][w] is None:
                out[w].setdefault(c, lack.kind)
    return out


def build_entries(alignment: Alignment, base: str | None = None) -> Apparatus:
    sigla = alignment.sigla
    base, base_index = base_of(alignment, base)
    lacks = _lack_map(alignment)
    width = len(alignment.columns)

    def agrees(c: int) -> bool:
        texts = set()
        for w, t in enumerate(alignment.column_tokens(c)):
            if t is None:
                if c in lacks[w]:
                    continue
                return False
            texts.add(t.text)
        return len(texts) <= 1

    def lacking_at(c: int) -> frozenset[int]:
        return frozenset(w for w in range(len(sigla)) if c in lacks[w])

    # Ranges in reading order: ("entry", s, e) for explicit entries, else runs of text between them. A
    # range inside another (a source app nested in a reading) is part of the outer entry here.
    explicit: list[tuple[int, int]] = []
    for s, e in sorted((r for r in alignment.entries if r[0] < r[1]), key=lambda r: (r[0], -r[1])):
        if explicit and e <= explicit[-1][1]:
            continue
        explicit.append((s, e))
    spans: list[tuple[str, int, int]] = []
    c = 0
    for s, e in explicit:
        if s < c:
            raise UsageError(f"entries overlap at column {s} (neither holds the other)")
        if c < s:
            spans.append(("text", c, s))
        spans.append(("entry", s, e))
        c = e
    if c < width:
        spans.append(("text", c, width))

    parts: list[Segment | VariantLocation] = []
    number = 0

    def segment(s: int, e: int) -> None:
        tokens = tuple(t for t in (alignment.cell(k, base_index) for k in range(s, e)) if t is not None)
        if parts and isinstance(parts[-1], Segment) and parts[-1].end == s:
            previous = parts.pop()
            assert isinstance(previous, Segment)
            s, tokens = previous.start, previous.tokens + tokens
        parts.append(Segment(s, e, tokens))

    def location(s: int, e: int) -> None:
        nonlocal number
        number += 1
        parts.append(_location(alignment, number, s, e, base_index, lacks, _transposition(alignment, s, e)))

    for kind, s, e in spans:
        if kind == "entry":
            if all(agrees(k) for k in range(s, e)) and not any(lacking_at(k) for k in range(s, e)):
                segment(s, e)
            else:
                location(s, e)
            continue
        k = s
        while k < e:
            if agrees(k) and not lacking_at(k):
                j = k + 1
                while j < e and agrees(j) and not lacking_at(j):
                    j += 1
                segment(k, j)
            else:
                key = (agrees(k), lacking_at(k))
                j = k + 1
                while j < e and not (agrees(j) and not lacking_at(j)) and (agrees(j), lacking_at(j)) == key:
                    j += 1
                location(k, j)
            k = j
    return Apparatus(alignment, base, tuple(parts))


def _transposition(alignment: Alignment, s: int, e: int) -> int | None:
    for t_index, t in enumerate(alignment.transpositions):
        if t.source[0] <= s < t.source[1] or t.target[0] <= s < t.target[1]:
            return t_index
    return None


def _location(
    alignment: Alignment,
    number: int,
    start: int,
    end: int,
    base_index: int,
    lacks: list[dict[int, Lacking]],
    t_index: int | None,
) -> VariantLocation:
    sigla = alignment.sigla
    per_witness: list[tuple[Token, ...]] = []
    lacking: list[tuple[str, Lacking]] = []
    present: list[int] = []
    for w in range(len(sigla)):
        tokens = tuple(t for t in (alignment.cell(c, w) for c in range(start, end)) if t is not None)
        per_witness.append(tokens)
        why = next((lacks[w][c] for c in range(start, end) if c in lacks[w]), None)
        if why is not None and not tokens:
            lacking.append((sigla[w], why))
        else:
            present.append(w)
    groups: dict[str, list[int]] = {}
    for w in present:
        groups.setdefault(join([t.text for t in per_witness[w]]), []).append(w)
    moved_by = movers(alignment, t_index)

    def reading(text: str, members: list[int], lemma: Reading | None) -> Reading:
        tokens = tuple(per_witness[w] for w in members)
        norm = " ".join(t.norm for t in tokens[0])
        r = Reading(text, norm, tuple(sigla[w] for w in members), tokens)
        if lemma is None:
            return r
        return Reading(r.text, r.norm, r.sigla, r.tokens, type_against(lemma, r, moved_by))

    ordered = sorted(groups.items(), key=lambda item: (-len(item[1]), item[1][0]))
    if base_index in present:
        lemma_text = join([t.text for t in per_witness[base_index]])
    elif ordered:
        lemma_text = ordered[0][0]  # the base lacks the text here: the best-attested reading stands as lemma
    else:
        lemma_text = None
    if lemma_text is None:
        lemma = Reading("", "", (), ())
        readings: tuple[Reading, ...] = ()
    else:
        lemma = reading(lemma_text, groups.pop(lemma_text), None)
        # Those that moved the passage and those that did not are two readings even where they read alike
        # here ("transp. B; om. C"), as in a collation's entries.
        parts = [
            (text, part)
            for text, members in ordered
            if text in groups
            for part in by_mover(members, sigla, moved_by)
        ]
        readings = tuple(reading(text, members, lemma) for text, members in parts)
    kinds = {r.type for r in readings}
    # An entry that only the witnesses lacking the text make (all the others read alike) is a lacuna's.
    gap = any(why in (Lacking.LACUNOSE, Lacking.NOT_PRESENT) for _, why in lacking)
    kind = next((t for t in TYPE_ORDER if t in kinds), VariantType.LACUNA if gap else VariantType.ORTHOGRAPHIC)
    return VariantLocation(number, start, end, lemma, readings, kind, t_index, lacking=tuple(lacking))
