"""Multi-witness alignment: witnesses merged one by one into a table of columns, moves linked back.

Offers:
    Options                      the knobs of a collation (near matching, how far a move may reach)
    align_witnesses(ws, options) the ``Alignment`` of any number of witnesses

How it works. Every normalised form gets an integer id. The witnesses are merged into one table in an
order taken from their content alone (the witness most like all others first, then always the one most
like a witness already merged, ties broken by a hash of the text), so the result does not depend on the
order the user listed them in. Each merge aligns the new witness's ids with the table's columns, where a
column matches any form it already holds: words that two witnesses share and the others lack still land
in one column. After each merge, runs of the new witness that found no column and runs of columns the new
witness lacks are compared within ``max_move`` tokens of each other; a pair that reads alike is a
transposition, and its words are linked column to column.
"""

from __future__ import annotations

import hashlib
from bisect import bisect_left
from collections import Counter
from dataclasses import dataclass
from typing import Sequence

from .align import NEVER, Scorer, align
from .errors import UsageError
from .model import Alignment, Transposition, Witness
from .tokens import gc_paused

__all__ = ["Options", "align_witnesses"]


@dataclass(frozen=True, slots=True)
class Options:
    """``near``: Levenshtein similarity at which two words count as one misspelt (None: exact only).
    ``max_move``: how many tokens away a moved passage may be found (0: no transpositions).
    ``min_move_words``: the fewest words a passage needs to be a transposition beyond ``local_swap`` tokens.
    """

    near: float | None = 0.6
    max_move: int = 100
    min_move_words: int = 3
    local_swap: int = 3


class _Column:
    """A column under construction: one cell per witness slot, and how often each id occurs in it.

    ``counts`` stays None while every token in the column has the same id (the common case), so a column
    costs one small list and three references.
    """

    __slots__ = ("cells", "counts", "key", "forms")

    def __init__(self, width: int, slot: int, index: int, ident: int) -> None:
        self.cells: list[int | None] = [None] * width
        self.cells[slot] = index
        self.counts: dict[int, int] | None = None
        self.key = ident
        self.forms: tuple[int, ...] = (ident,)

    def add(self, slot: int, index: int, ident: int) -> None:
        self.cells[slot] = index
        counts = self.counts
        if counts is None:
            if ident == self.key:
                return
            # First disagreement: every earlier token had the key's id.
            counts = self.counts = {self.key: sum(c is not None for c in self.cells) - 1}
        counts[ident] = counts.get(ident, 0) + 1
        if ident not in self.forms:
            self.forms = (*self.forms, ident)
        if counts[ident] > counts[self.key]:
            self.key = ident


def align_witnesses(witnesses: Sequence[Witness], options: Options = Options()) -> Alignment:
    # The table is one small object per column and ops per token: nothing for the cyclic collector to do.
    with gc_paused():
        return _align_witnesses(witnesses, options)


def _align_witnesses(witnesses: Sequence[Witness], options: Options) -> Alignment:
    if len(witnesses) < 2:
        raise UsageError(f"collation needs at least two witnesses, got {len(witnesses)}")
    sigla = [w.siglum for w in witnesses]
    if len(set(sigla)) != len(sigla):
        duplicate = next(s for s in sigla if sigla.count(s) > 1)
        raise UsageError(f"duplicate siglum {duplicate!r}; give each witness its own siglum")

    vocabulary: dict[str, int] = {}
    norms: list[str] = []
    punct: list[bool] = []
    ids: list[list[int]] = []
    for w in witnesses:
        row = []
        for t in w.tokens:
            ident = vocabulary.get(t.norm)
            if ident is None:
                ident = vocabulary[t.norm] = len(norms)
                norms.append(t.norm)
                punct.append(t.punct)
            row.append(ident)
        ids.append(row)
    scorer = Scorer(norms, punct, near=options.near)

    order = _merge_order(ids, punct, norms)
    width = len(witnesses)
    first = order[0]
    table = [_Column(width, first, j, ident) for j, ident in enumerate(ids[first])]
    moves: list[tuple[list[_Column], list[_Column], list[tuple[_Column, _Column]]]] = []
    for slot in order[1:]:
        b = ids[slot]
        ops = align([c.forms for c in table], [c.key for c in table], b, scorer, max_move=options.max_move)
        if options.max_move > 0:
            ops = _split_swaps(ops, table, b, options.local_swap)
        merged: list[_Column] = []
        for i, j in ops:
            if i is None:
                assert j is not None
                merged.append(_Column(width, slot, j, b[j]))
            else:
                column = table[i]
                if j is not None:
                    column.add(slot, j, b[j])
                merged.append(column)
        if options.max_move > 0:
            moves.extend(_find_moves(table, merged, ops, b, scorer, options))
        table = merged

    position = {id(c): n for n, c in enumerate(table)}
    columns = tuple(tuple(c.cells) for c in table)
    transpositions = []
    for source, target, links in moves:
        src = sorted(position[id(c)] for c in source)
        tgt = sorted(position[id(c)] for c in target)
        transpositions.append(
            Transposition(
                source=(src[0], src[-1] + 1),
                target=(tgt[0], tgt[-1] + 1),
                source_witnesses=_present(columns, src, sigla),
                target_witnesses=_present(columns, tgt, sigla),
                links=tuple(sorted((position[id(x)], position[id(y)]) for x, y in links)),
            )
        )
    transpositions.sort(key=lambda t: (min(t.source[0], t.target[0]), t.source, t.target))
    return Alignment(tuple(witnesses), columns, tuple(transpositions))


def _present(columns: Sequence[tuple[int | None, ...]], cols: list[int], sigla: list[str]) -> tuple[str, ...]:
    return tuple(s for w, s in enumerate(sigla) if any(columns[c][w] is not None for c in cols))


def _merge_order(ids: list[list[int]], punct: list[bool], norms: list[str]) -> list[int]:
    """Witness indices in merge order, determined by content alone (see the module docstring)."""
    bags = [Counter(i for i in row if not punct[i]) for row in ids]
    sizes = [max(1, sum(bag.values())) for bag in bags]
    # Ids are numbered in the order witnesses were given, so the tie-break hashes the forms themselves.
    digests = [hashlib.blake2b("\x1f".join(norms[i] for i in row).encode(), digest_size=16).hexdigest() for row in ids]
    n = len(ids)

    def similarity(x: int, y: int) -> float:
        small, large = (bags[x], bags[y]) if len(bags[x]) < len(bags[y]) else (bags[y], bags[x])
        shared = sum(min(c, large[k]) for k, c in small.items() if k in large)
        return shared / max(sizes[x], sizes[y])

    sim = [[0.0] * n for _ in range(n)]
    for x in range(n):
        for y in range(x + 1, n):
            sim[x][y] = sim[y][x] = similarity(x, y)
    # Ties fall to the content digest, then (only for identical texts, where it cannot matter) the index.
    # Rounded: a sum of floats depends on the order of its terms, and that order is the user's.
    first = max(range(n), key=lambda x: (round(sum(sim[x]), 9), digests[x], -x))
    order = [first]
    rest = set(range(n)) - {first}
    while rest:
        nxt = max(rest, key=lambda y: (max(sim[y][x] for x in order), digests[y], -y))
        order.append(nxt)
        rest.remove(nxt)
    return order


def _split_swaps(ops: list, table: list[_Column], b: Sequence[int], reach: int) -> list:
    """Undo crossed substitutions (``black and white`` / ``white and black``): each word found a column,
    but each is the other's word. Both pairs become gaps, so that the move search links them as a swap
    instead of the table pairing ``black`` with ``white``."""
    pair_at = [n for n, (i, j) in enumerate(ops) if i is not None and j is not None and b[j] not in table[i].forms]
    split: set[int] = set()
    for k, n in enumerate(pair_at):
        if n in split:
            continue
        i, j = ops[n]
        for m in pair_at[k + 1 :]:
            if m - n > 2 * reach:
                break
            i2, j2 = ops[m]
            if m not in split and b[j] in table[i2].forms and b[j2] in table[i].forms:
                split.update((n, m))
                break
    if not split:
        return ops
    out = []
    for n, op in enumerate(ops):
        if n in split:
            out.append((op[0], None))
            out.append((None, op[1]))
        else:
            out.append(op)
    return out


def _runs(ops: list, side: int) -> list[tuple[int, int]]:
    """Maximal runs of ops (as half-open ranges of op positions) where only ``side`` (0 or 1) is present."""
    runs = []
    start = None
    for n, op in enumerate(ops):
        alone = op[side] is not None and op[1 - side] is None
        if alone and start is None:
            start = n
        elif not alone and start is not None:
            runs.append((start, n))
            start = None
    if start is not None:
        runs.append((start, len(ops)))
    return runs


def _find_moves(
    old: list[_Column],
    merged: list[_Column],
    ops: list,
    b: Sequence[int],
    scorer: Scorer,
    options: Options,
) -> list[tuple[list[_Column], list[_Column], list[tuple[_Column, _Column]]]]:
    """Link runs of the new witness that found no column with runs of columns it lacks, nearby."""
    punct = scorer.punct
    added = _runs(ops, 1)  # the new witness alone: ops (None, j)
    dropped = _runs(ops, 0)  # the table alone: ops (i, None)
    if not added or not dropped:
        return []
    found = []
    # Columns already linked to a move. Several passages may come out of one run the witness lacks (two
    # moves side by side), so a run stays available for what is left of it.
    used: set[int] = set()
    dropped_starts = [d[0] for d in dropped]
    dropped_cols: dict[int, tuple[list[int], int, set[int]]] = {}  # filled on first use
    new_columns: dict[int, _Column] | None = None
    for a_start, a_end in added:
        tokens = [ops[n][1] for n in range(a_start, a_end)]
        token_ids = [b[j] for j in tokens]
        words = sum(1 for t in token_ids if not punct[t])
        if words == 0:
            continue
        token_set = set(token_ids)
        # A single word may only swap with a neighbour; a passage may reach max_move tokens.
        reach = options.max_move if words >= options.min_move_words else options.local_swap
        best = None
        lo = bisect_left(dropped_starts, a_start - reach - (a_end - a_start) - 1)
        for d_index in range(max(0, lo - 1), len(dropped)):
            d_start, d_end = dropped[d_index]
            if d_start > a_end + reach:
                break
            distance = d_start - a_end if d_start >= a_end else max(0, a_start - d_end)
            if distance > reach:
                continue
            info = dropped_cols.get(d_index)
            if info is None:
                cols = [ops[n][0] for n in range(d_start, d_end) if ops[n][0] not in used]
                word_cols = [i for i in cols if not punct[old[i].key]]
                info = dropped_cols[d_index] = (cols, len(word_cols), {f for i in word_cols for f in old[i].forms})
            cols, d_words, d_forms = info
            if d_words == 0 or (d_words < options.min_move_words and distance > options.local_swap):
                continue
            need = max(1, (min(words, d_words) + 1) // 2)
            # Cheap test first: a move shares at least one exact word (near matches only add to it).
            shared = len(token_set & d_forms)
            if shared == 0 or (scorer.near is None and shared < need):
                continue
            pairs = []
            hits = []  # indices into ``pairs`` of word pairs that agree (exactly or nearly)
            exact = 0
            for i, j in align([old[i].forms for i in cols], [old[i].key for i in cols], token_ids, scorer):
                if i is None or j is None:
                    continue
                score = scorer.column(old[cols[i]].forms, token_ids[j])
                if score == NEVER:
                    continue
                if score > 0 and not punct[token_ids[j]]:
                    hits.append(len(pairs))
                    exact += token_ids[j] in old[cols[i]].forms
                pairs.append((i, j))
            matched = len(hits)
            if matched < need or (matched < options.min_move_words and distance > options.local_swap):
                continue
            # The moved passage is the stretch between the first and the last agreeing pair, on both sides;
            # within it most words must agree, or two unrelated runs that share an "of" would be linked;
            # and most agreements must be exact, since near matches between unrelated words are cheap.
            first, last = pairs[hits[0]], pairs[hits[-1]]
            span_d = sum(1 for i in cols[first[0] : last[0] + 1] if not punct[old[i].key])
            span_r = sum(1 for t in token_ids[first[1] : last[1] + 1] if not punct[t])
            if matched * 2 < max(span_d, span_r) or exact * 3 < matched * 2:
                continue
            rank = (matched, exact, -distance)
            if best is None or rank > best[0]:
                best = (rank, d_index, cols, pairs[hits[0] : hits[-1] + 1])
        if best is None:
            continue
        _, d_index, cols, pairs = best
        used.update(cols[pairs[0][0] : pairs[-1][0] + 1])
        dropped_cols.pop(d_index)
        if new_columns is None:
            new_columns = {j: merged[n] for n, (_, j) in enumerate(ops) if j is not None}
        (i_first, j_first), (i_last, j_last) = pairs[0], pairs[-1]
        links = [(old[cols[i]], new_columns[tokens[j]]) for i, j in pairs]
        found.append(
            (
                [old[i] for i in cols[i_first : i_last + 1]],
                [new_columns[j] for j in tokens[j_first : j_last + 1]],
                links,
            )
        )
    return found
