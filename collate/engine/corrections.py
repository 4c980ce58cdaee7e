"""The editor's corrections to an apparatus: merge, split, move, choose the lemma, note. Pure: records in,
an ``Apparatus`` out.

Offers:
    apply_corrections(apparatus, corrections)   the corrected ``Apparatus``; ``refused`` lists, with the
                                                reason, every correction that could not be applied
    find(witness_tokens, before, words, after)  the places (token ranges) where a key's words stand
    key_text(tokens)                            the text a key gives for a run of tokens (as printed)
    correction_fields(correction)               a correction as its ``[[correction]]`` table (a dict of its
                                                TOML keys): what outputs record and the HTML page exports
    PHASES                                      the order the kinds are applied in

Keys. A correction names its place by a witness's words (``Correction``: ``before``, ``words``, ``after``),
never by column numbers, so that it still applies when a witness changes elsewhere, and is refused when its
own words changed (nothing matches) or when they stand in more than one place (ambiguous; more context
words make them unique). Words are compared as written, token boundaries respected, whitespace ignored
("plants, and" is the three tokens ``plants`` ``,`` ``and``).

Phases. Moves change the alignment, so they come first (in file order), and the entries are regrouped from
the moved alignment (``build_apparatus``); then merges and splits (in file order), each keyed to the entries
as they stand after the ones before it; then lemmas and notes, keyed to the entries after every merge and
split. A correction that cannot be applied is never dropped silently: it is a ``Refusal`` on the result
(``Apparatus.refused``), which every output reports, and the others still apply.
"""

from __future__ import annotations

from dataclasses import replace
from typing import Any, Sequence

from .lacunae import with_lacunae
from .model import (
    TYPE_ORDER,
    Alignment,
    Apparatus,
    Correction,
    Refusal,
    Segment,
    Token,
    Transposition,
    VariantLocation,
    VariantType,
)
from .tokens import join
from .variants import build_apparatus, location, movers, reading_order, type_against

__all__ = ["apply_corrections", "find", "key_text", "correction_fields", "PHASES"]

PHASES: tuple[tuple[str, ...], ...] = (("move",), ("merge", "split"), ("lemma", "note"))


class _Refused(Exception):
    """Raised inside one correction's application; becomes a ``Refusal``."""


def _squeeze(text: str) -> str:
    return "".join(text.split())


def key_text(tokens: Sequence[Token]) -> str:
    """A run of tokens as a key writes it: their texts joined as printed."""
    return join([t.text for t in tokens])


def _quote(text: str) -> str:
    text = " ".join(text.split())
    return f'"{text}"' if text else "nothing"


# ------------------------------------------------------------------------------------------- finding keys


class _Index:
    """One witness's tokens as one string without whitespace, with the offsets where tokens begin."""

    __slots__ = ("text", "boundary")

    def __init__(self, tokens: Sequence[Token]) -> None:
        pieces = [_squeeze(t.text) for t in tokens]
        self.boundary: dict[int, int] = {}  # offset → index of the token that begins there (len at the end)
        offset = 0
        for k, piece in enumerate(pieces):
            self.boundary[offset] = k
            offset += len(piece)
        self.boundary[offset] = len(pieces)
        self.text = "".join(pieces)

    def find(self, before: str, words: str, after: str) -> list[tuple[int, int]]:
        b, w, a = _squeeze(before), _squeeze(words), _squeeze(after)
        key = b + w + a
        if not key:
            return []
        found: list[tuple[int, int]] = []
        at = self.text.find(key)
        while at != -1:
            edges = (at, at + len(b), at + len(b) + len(w), at + len(key))
            if all(e in self.boundary for e in edges):
                found.append((self.boundary[edges[1]], self.boundary[edges[2]]))
            at = self.text.find(key, at + 1)
        return found


def find(tokens: Sequence[Token], before: str, words: str, after: str) -> list[tuple[int, int]]:
    """Every place ``before words after`` stands in ``tokens``: the half-open token range of ``words``."""
    return _Index(tokens).find(before, words, after)


# ------------------------------------------------------------------------------------------- the state


class _State:
    """The apparatus being corrected, with the lookups the keys need (rebuilt when the alignment changes)."""

    def __init__(self, apparatus: Apparatus) -> None:
        self.apparatus = apparatus
        self.alignment = apparatus.alignment
        self.sigla = self.alignment.sigla
        self.base_index = self.sigla.index(apparatus.base)
        self.parts: list[Segment | VariantLocation] = list(apparatus.parts)
        self._indexes: dict[int, _Index] = {}
        self._cols: dict[int, list[int]] = {}

    def witness(self, correction: Correction) -> int:
        siglum = correction.witness or self.apparatus.base
        if siglum not in self.sigla:
            raise _Refused(f"there is no witness {siglum!r} (the sigla are {', '.join(self.sigla)})")
        return self.sigla.index(siglum)

    def cols(self, w: int) -> list[int]:
        """The column of each of witness ``w``'s tokens."""
        if w not in self._cols:
            out = [0] * len(self.alignment.witnesses[w].tokens)
            for c, column in enumerate(self.alignment.columns):
                i = column[w]
                if i is not None:
                    out[i] = c
            self._cols[w] = out
        return self._cols[w]

    def place(self, correction: Correction, w: int) -> tuple[int, int]:
        """The token range of the key's ``words`` in witness ``w``: exactly one place, or refused."""
        if w not in self._indexes:
            self._indexes[w] = _Index(self.alignment.witnesses[w].tokens)
        found = self._indexes[w].find(correction.before, correction.words, correction.after)
        siglum = self.sigla[w]
        context = " ".join(x for x in (correction.before, f"[{correction.words}]", correction.after) if x)
        if not found:
            raise _Refused(f"its words no longer stand in {siglum} ({_quote(context)}): "
                           "was the witness changed at this place?")
        if len(found) > 1:
            raise _Refused(f"ambiguous: {_quote(context)} stands {len(found)} times in {siglum}; "
                           "give more words of context (before, after)")
        return found[0]

    def between(self, w: int, i: int, j: int) -> tuple[int, int]:
        """The columns from just after witness ``w``'s token ``i - 1`` to just before its token ``j``."""
        cols = self.cols(w)
        lo = cols[i - 1] + 1 if i > 0 else 0
        hi = cols[j] if j < len(cols) else len(self.alignment.columns)
        return lo, hi

    def tokens_in(self, w: int, start: int, end: int) -> tuple[Token, ...]:
        return tuple(t for t in (self.alignment.cell(c, w) for c in range(start, end)) if t is not None)

    def entry(self, correction: Correction) -> tuple[int, VariantLocation]:
        """The one entry (index into ``parts``) whose key witness reads exactly the key's words."""
        w = self.witness(correction)
        i, j = self.place(correction, w)
        lo, hi = self.between(w, i, j)
        siglum = self.sigla[w]
        if i < j:
            c = self.cols(w)[i]
            p = next(k for k, part in enumerate(self.parts) if part.start <= c < part.end)
            part = self.parts[p]
            if not isinstance(part, VariantLocation):
                raise _Refused(f"the witnesses now read {_quote(correction.words)} alike: there is no entry there")
            got = self.tokens_in(w, part.start, part.end)
            if not got or got[0].index != i or got[-1].index != j - 1:
                raise _Refused(f"the entry there now holds other words of {siglum} "
                               f"({_quote(key_text(got))}): the place was regrouped")
            return p, part
        inside = [(k, part) for k, part in enumerate(self.parts)
                  if isinstance(part, VariantLocation) and lo <= part.start and part.end <= hi]
        if not inside:
            raise _Refused(f"no entry stands where {siglum} reads nothing between "
                           f"{_quote(correction.before)} and {_quote(correction.after)} any more")
        if len(inside) > 1:
            raise _Refused(f"ambiguous: {len(inside)} entries stand where {siglum} reads nothing between "
                           f"{_quote(correction.before)} and {_quote(correction.after)}")
        return inside[0]

    def piece(self, start: int, end: int, like: VariantLocation) -> Segment | VariantLocation:
        """Columns ``start:end`` of entry ``like`` as an entry of their own, or an agreement where every
        witness it cites reads them alike."""
        ignored = frozenset(self.sigla.index(s) for s in like.absent)
        texts = set()
        full = True
        for c in range(start, end):
            for w, t in enumerate(self.alignment.column_tokens(c)):
                if w in ignored:
                    continue
                if t is None:
                    full = False
                else:
                    texts.add((c, t.text))
        if full and len(texts) == end - start and not like.span and like.transposition is None:
            voice = self.base_index if self.base_index not in ignored else min(
                (w for w in range(len(self.sigla)) if w not in ignored), key=lambda w: self.sigla[w])
            return Segment(start, end, self.tokens_in(voice, start, end))
        return location(self.alignment, 0, start, end, self.base_index,
                        transposition=like.transposition, ignored=ignored)


# ----------------------------------------------------------------------------------------------- kinds


def _merge(state: _State, correction: Correction) -> None:
    w = state.witness(correction)
    i, j = state.place(correction, w)
    lo, hi = state.between(w, i, j)
    siglum = state.sigla[w]
    inside = [k for k, part in enumerate(state.parts)
              if isinstance(part, VariantLocation) and lo <= part.start and part.end <= hi]
    want = [_squeeze(e) for e in correction.entries]
    runs = []
    for a in range(len(inside) - len(want) + 1):
        run = inside[a : a + len(want)]
        parts = [state.parts[k] for k in run]
        if [_squeeze(key_text(state.tokens_in(w, p.start, p.end))) for p in parts] != want:
            continue
        got = state.tokens_in(w, parts[0].start, parts[-1].end)
        reach = (got[0].index, got[-1].index + 1) if got else (i, i)
        if reach == (i, j):
            runs.append(run)
    if not runs:
        now = "; ".join(_quote(key_text(state.tokens_in(w, state.parts[k].start, state.parts[k].end)))
                        for k in inside) or "no entry"
        raise _Refused(f"the entries there no longer read {' | '.join(_quote(e) for e in correction.entries)} "
                       f"in {siglum} (now: {now})")
    if len(runs) > 1:
        raise _Refused(f"ambiguous: {len(runs)} runs of entries there read so in {siglum}")
    run = runs[0]
    first, last = state.parts[run[0]], state.parts[run[-1]]
    members = [state.parts[k] for k in run]
    assert isinstance(first, VariantLocation) and isinstance(last, VariantLocation)
    if len({m.absent for m in members if isinstance(m, VariantLocation)}) > 1:
        raise _Refused("the entries stand on both sides of the edge of a long absence (a span): "
                       "they cannot be one entry")
    moved = {m.transposition for m in members if isinstance(m, VariantLocation)}
    if len(moved) > 1:
        raise _Refused("a transposed passage is an entry of its own: it cannot be merged with its neighbours")
    merged = location(state.alignment, 0, first.start, last.end, state.base_index,
                      transposition=first.transposition,
                      ignored=frozenset(state.sigla.index(s) for s in first.absent))
    notes = tuple(n for m in members if isinstance(m, VariantLocation) for n in m.notes)
    state.parts[run[0] : run[-1] + 1] = [replace(merged, notes=notes)]


def _split(state: _State, correction: Correction) -> None:
    p, entry = state.entry(correction)
    w = state.witness(correction)
    if entry.end - entry.start < 2:
        raise _Refused("the entry is one column: there is nothing to split")
    if correction.at:
        tokens = state.tokens_in(w, entry.start, entry.end)
        index = _Index(tokens)
        cuts = set()
        for word in correction.at:
            starts = [a for a, _ in index.find("", word, "")]
            if not starts:
                raise _Refused(f"{_quote(word)} is not among {state.sigla[w]}'s words in the entry "
                               f"({_quote(key_text(tokens))})")
            if len(starts) > 1:
                raise _Refused(f"ambiguous: {_quote(word)} stands {len(starts)} times in the entry")
            if starts[0] == 0:
                raise _Refused(f"the entry begins with {_quote(word)}: split before a later word")
            cuts.add(state.cols(w)[tokens[starts[0]].index])
    else:
        cuts = set(range(entry.start + 1, entry.end))
    edges = [entry.start, *sorted(cuts), entry.end]
    pieces = [state.piece(a, b, entry) for a, b in zip(edges, edges[1:])]
    pieces = [replace(x, notes=entry.notes) if isinstance(x, VariantLocation) and k == 0 else x
              for k, x in enumerate(pieces)]
    state.parts[p : p + 1] = pieces


def _lemma(state: _State, correction: Correction) -> None:
    p, entry = state.entry(correction)
    base = state.apparatus.base
    whole = next((s for s in state.apparatus.spans if s.start <= entry.start and entry.end <= s.end
                  and s.gives_base_whole(base)), None)
    if whole is not None:
        # Its readings are the others' only: chosen, the edition would print another witness's words inside
        # the base's own text of the passage, which every output gives whole.
        raise _Refused(f"the entry stands inside a passage that {base} reads in a text of its own "
                       f"({_quote(whole.lemma.text)}, given whole); its readings compare the other witnesses "
                       f"only, and the edition prints {base}'s text there")
    readings = entry.all_readings
    chosen = list(readings)
    if correction.lemma is not None:
        chosen = [r for r in chosen if _squeeze(r.text) == _squeeze(correction.lemma)]
        if not chosen:
            raise _Refused(f"no reading {_quote(correction.lemma)} in the entry; its readings: "
                           + "; ".join(_quote(r.text) for r in readings))
    if correction.lemma_witness is not None:
        chosen = [r for r in chosen if correction.lemma_witness in r.sigla]
        if not chosen:
            raise _Refused(f"{correction.lemma_witness} does not read "
                           + (_quote(correction.lemma) if correction.lemma is not None else "in the entry"))
    lemma = replace(chosen[0], type=None)
    moved_by = movers(state.alignment, entry.transposition)
    index = {s: k for k, s in enumerate(state.sigla)}
    others = [r for r in readings if r is not chosen[0]]
    others.sort(key=lambda r: (-len(r.sigla), min(index[s] for s in r.sigla) if r.sigla else 0))
    typed = tuple(replace(r, type=type_against(lemma, r, moved_by)) for r in others)
    kinds = {r.type for r in typed}
    kind = next((t for t in TYPE_ORDER if t in kinds), VariantType.ORTHOGRAPHIC)
    state.parts[p] = replace(entry, lemma=lemma, readings=typed, type=kind, chosen=True)


def _note(state: _State, correction: Correction) -> None:
    p, entry = state.entry(correction)
    state.parts[p] = replace(entry, notes=(*entry.notes, correction.note))


# ----------------------------------------------------------------------------------------------- moves


def _move(alignment: Alignment, correction: Correction) -> Alignment:
    sigla = alignment.sigla
    siglum = correction.witness
    if siglum not in sigla:
        raise _Refused(f"there is no witness {siglum!r} (the sigla are {', '.join(sigla)})")
    w = sigla.index(siglum)
    state = _State(Apparatus(alignment, sigla[0], ()))
    i, j = state.place(correction, w)
    if i == j:
        raise _Refused("a move names the words that move; these are none")
    cols = state.cols(w)
    columns = [list(c) for c in alignment.columns]
    width = len(columns)
    moved_columns = {c for t in alignment.transpositions for a, b in (t.source, t.target) for c in range(a, b)}
    step = -1 if correction.to == "left" else 1
    order = list(range(i, j)) if step < 0 else list(range(j - 1, i - 1, -1))
    for _ in range(correction.by):
        for k in order:
            c = cols[k]
            target = c + step
            if not 0 <= target < width:
                raise _Refused(f"there is no column to the {correction.to} of "
                               f"{_quote(alignment.witnesses[w].tokens[k].text)}")
            if c in moved_columns or target in moved_columns:
                raise _Refused("the words stand in or beside a transposed passage, whose columns a move may not change")
            held = columns[target][w]
            if held is not None and not i <= held < j:
                raise _Refused(f"{siglum}'s word {_quote(alignment.witnesses[w].tokens[held].text)} already stands "
                               f"in the column to the {correction.to}: was this already corrected?")
            columns[target][w] = k
            columns[c][w] = None
            cols[k] = target
    return _without_empty(alignment, columns)


def _without_empty(alignment: Alignment, columns: list[list[int | None]]) -> Alignment:
    """The table without the columns a move emptied, transpositions renumbered to match."""
    keep = [c for c, column in enumerate(columns) if any(i is not None for i in column)]
    new = {c: k for k, c in enumerate(keep)}

    def span(r: tuple[int, int]) -> tuple[int, int]:
        return (new[r[0]], new[r[1] - 1] + 1) if r[1] > r[0] else (r[0], r[1])

    transpositions = tuple(
        Transposition(span(t.source), span(t.target), t.source_witnesses, t.target_witnesses,
                      tuple((new[a], new[b]) for a, b in t.links))
        for t in alignment.transpositions
    )
    return replace(alignment, columns=tuple(tuple(columns[c]) for c in keep), transpositions=transpositions)


# ----------------------------------------------------------------------------------------------- apply


def _renumbered(apparatus: Apparatus, parts: list[Segment | VariantLocation]) -> Apparatus:
    """Every entry numbered in reading order again (a span before the entries inside it, as
    ``build_apparatus`` numbers them). Agreements a split made stay parts of their own: a span's edges are
    part edges, and joining two agreements could erase one."""
    numbers = reading_order(
        {k: (p.start, p.end) for k, p in enumerate(parts) if isinstance(p, VariantLocation)},
        [(s.start, s.end) for s in apparatus.spans],
    )
    new_parts = tuple(replace(p, number=numbers[(1, k)]) if isinstance(p, VariantLocation) else p
                      for k, p in enumerate(parts))
    spans = tuple(replace(s, number=numbers[(0, k)]) for k, s in enumerate(apparatus.spans))
    return replace(apparatus, parts=new_parts, spans=spans)


_APPLY = {"merge": _merge, "split": _split, "lemma": _lemma, "note": _note}


def apply_corrections(apparatus: Apparatus, corrections: Sequence[Correction]) -> Apparatus:
    """``apparatus`` with ``corrections`` applied, phase by phase (``PHASES``), each phase in file order.

    The result records every correction (``Apparatus.corrections``) and every one refused, with the reason
    (``Apparatus.refused``), in file order. An apparatus with no corrections comes back as it was."""
    if not corrections:
        return apparatus
    refused: list[Refusal] = []
    alignment = apparatus.alignment
    moves = [c for c in corrections if c.kind == "move"]
    for correction in moves:
        try:
            alignment = _move(alignment, correction)
        except _Refused as exc:
            refused.append(Refusal(correction, str(exc)))
    if alignment is not apparatus.alignment:
        apparatus = with_lacunae(build_apparatus(alignment, apparatus.base))
    state = _State(apparatus)
    for phase in PHASES[1:]:
        for correction in corrections:
            if correction.kind not in phase:
                continue
            try:
                _APPLY[correction.kind](state, correction)
            except _Refused as exc:
                refused.append(Refusal(correction, str(exc)))
    result = with_lacunae(_renumbered(apparatus, state.parts))
    refused.sort(key=lambda r: r.correction.number)
    return replace(result, corrections=tuple(corrections), refused=tuple(refused))


def correction_fields(correction: Correction) -> dict[str, Any]:
    """The correction as its ``[[correction]]`` table: only the keys its kind takes, defaults left out."""
    out: dict[str, Any] = {"kind": correction.kind}
    if correction.witness is not None:
        out["witness"] = correction.witness
    out["before"] = correction.before
    out["words"] = correction.words
    out["after"] = correction.after
    if correction.kind == "merge":
        out["entries"] = list(correction.entries)
    elif correction.kind == "split" and correction.at:
        out["at"] = list(correction.at)
    elif correction.kind == "move":
        out["to"] = correction.to
        if correction.by != 1:
            out["by"] = correction.by
    elif correction.kind == "lemma":
        if correction.lemma is not None:
            out["lemma"] = correction.lemma
        if correction.lemma_witness is not None:
            out["lemma-witness"] = correction.lemma_witness
    elif correction.kind == "note":
        out["note"] = correction.note
    return out
