"""Multi-witness alignment: witnesses merged one by one into a table of columns, moves linked back.

Offers:
    Options                      the knobs of a collation (near matching, how far a move may reach)
    align_witnesses(ws, options) the ``Alignment`` of any number of witnesses

How it works. Every normalised form gets an integer id. The witnesses are merged into one table in an
order taken from their content alone (the witness most like all others first, then always the one most
like a witness already merged, ties broken by a hash of the text; beyond 50 witnesses, the most typical
first), so the result does not depend on the order the user listed them in. Each merge aligns the new
witness's ids with the table's columns, where a column matches any form it already holds: words that two
witnesses share and the others lack still land in one column. Once 16 witnesses are merged, a witness is
aligned first with the backbone (the columns most witnesses merged so far stand in), then, between the
backbone columns it agrees with, with every column there: with many witnesses the table holds each word
in several columns (copies others moved or added), which would otherwise pull a witness apart. In a
tradition of more than 50 witnesses the table is fixed once 50 are merged (``_fix``): later witnesses join
its columns, and what they add between them is aligned place by place at the end (``_additions``). Where two
neighbouring columns would serve a token equally (a word one witness doubled, or one witness's added word
beside the word the others read), it joins the one more witnesses stand in.
After each merge, runs of the new witness that found no column and runs of columns the new witness lacks
are compared within ``max_move`` tokens of each other; a pair that reads alike is a transposition, and its
words are linked column to column. One run may hold several passages (a witness's own move beside the
place another witness's passage left), and a passage keeps its misread first and last words.
Merging one witness at a time can fix a pairing before the witnesses that would contradict it are seen; at
the end, each word that disagrees with its column moves to a neighbouring column it fits better, where its
witness has nothing.
"""

from __future__ import annotations

import hashlib
import math
from array import array
from bisect import bisect_left
from collections import Counter
from itertools import accumulate, compress, count, islice, repeat
from dataclasses import dataclass, replace
from operator import attrgetter, contains, ge, gt, is_, is_not, itemgetter, not_, sub
from typing import Callable, Iterable, Sequence

from .align import NEVER, Scorer, align, spelt_otherwise, with_gaps
from collate.errors import UsageError
from .model import Alignment, Transposition, Witness
from .tokens import INTS, gc_paused

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

    __slots__ = ("cells", "counts", "key", "forms", "size")

    def __init__(
        self, width: int, slot: int, index: int, ident: int, forms: tuple[int, ...], sparse: bool = False
    ) -> None:
        # ``forms`` is ``(ident,)``, one tuple shared by every column that starts with that id.
        self.cells: list[int | None] | _Sparse = _Sparse() if sparse else [None] * width
        self.cells[slot] = index
        self.counts: dict[int, int] | None = None
        self.key = ident
        self.forms: tuple[int, ...] = forms
        self.size = 1  # how many witnesses stand in the column

    def add(self, slot: int, index: int, ident: int) -> None:
        self.cells[slot] = index
        self.size += 1
        counts = self.counts
        if counts is None:
            if ident == self.key:
                return
            # First disagreement: every earlier token had the key's id.
            counts = self.counts = {self.key: self.size - 1}
        counts[ident] = counts.get(ident, 0) + 1
        if ident not in self.forms:
            self.forms = (*self.forms, ident)
        if counts[ident] > counts[self.key]:
            self.key = ident

    def remove(self, slot: int, ident: int) -> None:
        if type(self.cells) is list:
            self.cells[slot] = None
        else:
            del self.cells[slot]
        self.size -= 1
        counts = self.counts
        if counts is None:
            return
        counts[ident] -= 1
        if counts[ident] == 0:
            del counts[ident]
            self.forms = tuple(f for f in self.forms if f != ident)
        if ident == self.key and counts:
            self.key = max(self.forms, key=counts.__getitem__)  # the first of the most frequent
        if len(counts) == 1:
            self.counts = None


class _Sparse(dict):
    """The cells of a column few of many witnesses stand in, by witness slot: a thousand witnesses'
    additions would otherwise hold a list of a thousand cells each, nearly all of them empty."""

    __slots__ = ()

    def __missing__(self, slot: int) -> None:
        return None


def _slots(column: _Column) -> set[int]:
    """The witness slots that stand in ``column``, picked out at C speed."""
    cells = column.cells
    if type(cells) is list:
        return set(compress(count(), map(is_not, cells, repeat(None))))
    return set(cells)


def _cells(column: _Column) -> Iterable[tuple[int, int | None]]:
    """``(slot, token index)`` for the witnesses in ``column`` (a dense column gives its empty cells too), as
    they stand now: a cell may be emptied while the caller walks them."""
    cells = column.cells
    return enumerate(cells) if type(cells) is list else list(cells.items())


def align_witnesses(witnesses: Sequence[Witness], options: Options = Options()) -> Alignment:
    # The table is one small object per column and ops per token: nothing for the cyclic collector to do.
    with gc_paused():
        return _align_witnesses(witnesses, options)


_NORM, _PUNCT = itemgetter(1), itemgetter(5)


def _align_witnesses(given: Sequence[Witness], options: Options) -> Alignment:
    # Witnesses are aligned in the order of their sigla and the columns are then put back in the order
    # given, so that the order the files came in never changes the result (ties in the merge order and in
    # the move search are broken by siglum, not by position).
    by_siglum = sorted(range(len(given)), key=lambda k: given[k].siglum)
    witnesses = [given[k] for k in by_siglum]
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
        # Each form's id, looked up at C speed; a form met for the first time takes the next id.
        forms = list(map(_NORM, w.tokens))
        row = list(map(vocabulary.get, forms))
        if None in row:
            for k in compress(range(len(row)), map(is_, row, repeat(None))):
                norm = forms[k]
                ident = vocabulary.get(norm)
                if ident is None:
                    ident = vocabulary[norm] = len(norms)
                    norms.append(norm)
                    punct.append(True)
                row[k] = ident
        # A form is punctuation only where every token of it is: "&" and "and" are one form, a word, which the
        # mark stands for.
        for ident in set(compress(row, map(not_, map(_PUNCT, w.tokens)))):
            punct[ident] = False
        ids.append(row)
    scorer = Scorer(norms, punct, near=options.near)

    order = _merge_order(ids, punct, norms)
    width = len(witnesses)
    first = order[0]
    single = [(ident,) for ident in range(len(norms))]
    positions = INTS if len(ids[first]) <= len(INTS) else range(len(ids[first]))  # shared ints, as below
    table = [_Column(width, first, j, ident, single[ident]) for j, ident in zip(positions, ids[first])]
    moves: list[tuple[list, list, list[tuple]]] = []
    # Beyond FIXED_FROM witnesses the table's columns are fixed: a witness joins the columns it agrees with,
    # and what it adds waits, by the place it stands at, for ``_additions``.
    added: dict[int, list[list]] = {}
    fixed = False
    for done, slot in enumerate(order[1:], start=1):
        if not fixed and width > FIXED_FROM and done >= FIXED_FROM:
            fixed = True
            table = _fix(table, added)
        b = ids[slot]
        # Token indices as shared ints: the table keeps one per token of every witness.
        index_of = INTS if len(b) <= len(INTS) else range(len(b))
        ops = _merge_ops(table, b, scorer, options, done)
        if options.max_move > 0:
            pairs = _substitutions(ops, table, b, scorer)
            split = _split_swaps(ops, table, b, options.local_swap, pairs)
            if split is not ops:
                ops, pairs = split, _substitutions(split, table, b, scorer)
            ops = _release_moved(ops, table, b, options.local_swap, scorer, pairs)
        _prefer_support(ops, table, b, scorer)
        at = _positions(ops, table, done) if options.max_move > 0 else None
        merged: list = []
        gap, run = 0, None
        for i, j in ops:
            if i is None:
                assert j is not None
                if fixed:
                    token = _Added(slot, index_of[j], b[j])
                    if run is None:
                        run = []
                        added.setdefault(gap, []).append(run)
                    run.append(token)
                    merged.append(token)
                else:
                    merged.append(_Column(width, slot, index_of[j], b[j], single[b[j]]))
            else:
                column = table[i]
                if j is not None:
                    column.add(slot, index_of[j], b[j])
                merged.append(column)
                gap, run = i + 1, None
        if options.max_move > 0:
            moves.extend(_find_moves(table, merged, ops, b, scorer, options, at))
        if not fixed:
            table = merged

    if added:
        table, moves = _additions(table, added, moves, width, scorer, single)
    table = _tidy(table, ids, scorer)
    moving = {id(c) for s, g, links in moves for c in (*s, *g)}
    # Each witness's columns, kept up to date by both passes over the marks (which leave emptied columns).
    rows = _rows([c.cells for c in table], len(ids))
    if width <= FIXED_FROM:  # (beyond, its cost grows with witnesses × columns: a tradition's pieces are many)
        table, rows = _scattered(table, witnesses, ids, scorer, moving, rows, single)
    _punctuation_left(table, witnesses, ids, scorer.punct, moving, rows)
    _punctuation_attached(table, witnesses, ids, scorer.punct, moving, rows)
    del rows  # an int object per token: tens of megabytes for a book, not to be held to the end
    table = [c for c in table if c.size]
    # Positions of the columns the moves name only: a dict over every column of a long text is large.
    named = {id(c) for s, t, links in moves for c in (*s, *t, *(x for pair in links for x in pair))}
    position = {id(c): n for n, c in enumerate(table) if id(c) in named} if named else {}
    moves = [(s, t, [(x, y) for x, y in links if id(x) in position and id(y) in position]) for s, t, links in moves]
    moves = [(s, t, links) for s, t, links in moves if links]
    columns = _freeze(table, by_siglum)
    # From here on, witnesses stand in the order given.
    witnesses, sigla = list(given), [w.siglum for w in given]
    transpositions = []
    masks: dict[int, int] = {}
    for source, target, links in moves:
        src = sorted(position[id(c)] for c in source)
        tgt = sorted(position[id(c)] for c in target)
        transpositions.append(
            Transposition(
                source=(src[0], src[-1] + 1),
                target=(tgt[0], tgt[-1] + 1),
                source_witnesses=_present(columns, src, sigla, masks),
                target_witnesses=_present(columns, tgt, sigla, masks),
                links=tuple(sorted((position[id(x)], position[id(y)]) for x, y in links)),
            )
        )
    slots = {w.siglum: k for k, w in enumerate(witnesses)}
    if options.max_move > 0:
        frequencies: dict[int, Counter[str]] = {}
        transpositions = [t for t in transpositions if _justified(t, columns, witnesses, options, frequencies, slots)]
        transpositions.extend(_swaps(columns, witnesses, transpositions, options, frequencies))
    transpositions = [_readers(t, columns, witnesses, vocabulary, scorer, slots) for t in transpositions]
    transpositions.sort(key=lambda t: (min(t.source[0], t.target[0]), t.source, t.target))
    return Alignment(tuple(witnesses), columns, tuple(transpositions))


def _readers(
    t: Transposition,
    columns: tuple[tuple[int | None, ...], ...],
    witnesses: Sequence[Witness],
    vocabulary: dict[str, int],
    scorer: Scorer,
    slots: dict[str, int],
) -> Transposition:
    """``t`` with, on each side, only the witnesses that read the moved words there: a witness that stands in
    those columns with other words (``uno dos tres`` where one witness has ``one two three`` moved and
    another has it in place) reads a substitution, not the passage. A witness reads the moved words where it
    agrees (exactly or nearly) with the other side in most of the linked columns it stands in; a side where
    none would is kept as it was. ``slots``: each siglum's place in ``witnesses``."""
    sides = ([slots[s] for s in t.source_witnesses], [slots[s] for s in t.target_witnesses])
    if len(sides[0]) == 1 and len(sides[1]) == 1 or len(sides[0]) + len(sides[1]) > FIXED_FROM:
        return t  # (in a tradition of hundreds, checking every witness of every move costs more than the merge)
    # Per side and witness: in how many linked columns it stands, and its words the other side lacks exactly.
    stands: dict[tuple[int, int], int] = {}
    missed: dict[tuple[int, int], list[tuple[int, set[int]]]] = {}
    for x, y in t.links:
        cx, cy = columns[x], columns[y]
        ids = (
            {w: vocabulary[witnesses[w].tokens[i].norm] for w in sides[0] if (i := cx[w]) is not None},
            {w: vocabulary[witnesses[w].tokens[i].norm] for w in sides[1] if (i := cy[w]) is not None},
        )
        uniform = len({*ids[0].values(), *ids[1].values()}) == 1  # the common case: all read one word
        for side in (0, 1):
            theirs = ids[1 - side]
            if uniform:
                for w in ids[side]:
                    stands[side, w] = stands.get((side, w), 0) + 1
                continue
            counts: dict[int, int] = {}
            for b in theirs.values():
                counts[b] = counts.get(b, 0) + 1
            for w, a in ids[side].items():
                key = (side, w)
                stands[key] = stands.get(key, 0) + 1
                own = theirs.get(w)  # the witness's own word on the other side (where it stands on both) is no witness
                if counts.get(a, 0) - (own == a) <= 0:
                    other = {b for b, k in counts.items() if k - (own == b) > 0}
                    missed.setdefault(key, []).append((a, other))
    # Most witnesses miss nothing, or too little to matter: only the others are compared word by word.
    drop: tuple[set[int], set[int]] = (set(), set())
    for (side, w), misses in missed.items():
        if 2 * len(misses) >= stands[side, w]:
            near = sum(1 for a, other in misses if other and scorer.column(tuple(other), a) > 0)
            if 2 * (stands[side, w] - len(misses) + near) <= stands[side, w]:
                drop[side].add(w)
    if not drop[0] and not drop[1]:
        return t
    source = tuple(s for s in t.source_witnesses if slots[s] not in drop[0])
    target = tuple(s for s in t.target_witnesses if slots[s] not in drop[1])
    if source and source != t.source_witnesses:
        t = replace(t, source_witnesses=source)
    if target and target != t.target_witnesses:
        t = replace(t, target_witnesses=target)
    return t


# Columns that more than this share of the witnesses merged so far stand in make the backbone a new
# witness is aligned with first (``_merge_ops``), once this many witnesses are merged: below, a table
# of a few witnesses has few copies of its words, and is aligned with as a whole, as before (chosen on
# synthetic traditions of 40-60 witnesses; the editions of 5 and 13 witnesses read as before).
BACKBONE_SHARE = 0.5
BACKBONE_FROM = 16
# A backbone column that at least this share of them stand in keeps a new witness's substitution.
SUBSTITUTION_SHARE = 0.75


# Once this many witnesses are merged (in a tradition of more), the table's columns are fixed: each further
# witness joins the columns it agrees with, and the tokens it adds between them are aligned at the end with
# those other witnesses added at the same place (``_additions``). Every merge then costs the same, however
# many witnesses came before: in a tradition of hundreds, each one's additions and moves would otherwise
# add some thirty columns that every later merge walks.
FIXED_FROM = 50


class _Added:
    """A token that a witness merged after the table was fixed has where no column of the table agrees: its
    witness slot, its index there and its id."""

    __slots__ = ("slot", "index", "ident")

    def __init__(self, slot: int, index: int, ident: int) -> None:
        self.slot = slot
        self.index = index
        self.ident = ident


def _fix(table: list[_Column], added: dict[int, list[list]]) -> list[_Column]:
    """The columns of the table that two witnesses or more stand in; each run of columns of a single
    witness (its additions, its moved passages) waits in ``added`` with those the later witnesses add at
    the same place. A later witness that shares one of those words still joins its column there."""
    kept: list[_Column] = []
    for column in table:
        if column.size > 1:
            kept.append(column)
        else:
            runs = added.setdefault(len(kept), [])
            if not runs:
                runs.append([])
            runs[0].append(column)
    return kept


def _additions(
    table: list[_Column],
    added: dict[int, list[list[_Added]]],
    moves: list[tuple[list, list, list[tuple]]],
    width: int,
    scorer: Scorer,
    single: list[tuple[int, ...]],
) -> tuple[list[_Column], list[tuple[list, list, list[tuple]]]]:
    """The fixed table with the tokens the later witnesses added put in columns of their own, and the moves
    rewritten in those columns.

    ``added[g]`` holds, in merge order, the runs of tokens witnesses added before column ``g`` (at the end
    for ``g == len(table)``). The runs of one place are merged one by one, as witnesses are: a word two
    witnesses added there shares a column. A passage several witnesses moved to one place is found moved in
    each; once their tokens share columns, those moves are one."""
    alias: dict[int, _Column] = {}
    out: list[_Column] = []
    # Where each token moved here came from: the column it is linked to, else its passage.
    moved: dict[int, int] = {}
    for k, (_, target, links) in enumerate(moves):
        for c in target:
            moved[id(c)] = -1 - k
        for x, y in links:
            moved[id(y)] = id(x)
    for g in range(len(table) + 1):
        runs = added.get(g)
        if runs:
            out.extend(_place(runs, width, scorer, single, alias, moved))
        if g < len(table):
            out.append(table[g])

    def real(c):
        return alias.get(id(c), c)

    joined: list[tuple[list, list, list[tuple]]] = []
    by_target: dict[int, list[int]] = {}
    for source, target, links in moves:
        source = _distinct(map(real, source))
        target = _distinct(map(real, target))
        links = [(real(x), real(y)) for x, y in links]
        sources = {id(c) for c in source}
        same = next(
            (k for c in target for k in by_target.get(id(c), ()) if any(id(x) in sources for x in joined[k][0])),
            None,
        )
        if same is None:
            same = len(joined)
            joined.append((source, target, links))
        else:
            s, t, l = joined[same]
            pairs = {(id(x), id(y)) for x, y in l}
            new_links = [p for p in links if (id(p[0]), id(p[1])) not in pairs]
            joined[same] = (_distinct([*s, *source]), _distinct([*t, *target]), [*l, *new_links])
        for c in target:
            by_target.setdefault(id(c), []).append(same)
    return out, joined


def _distinct(columns: Iterable) -> list:
    seen: set[int] = set()
    return [c for c in columns if not (id(c) in seen or seen.add(id(c)))]


def _place(
    runs: list[list[_Added]],
    width: int,
    scorer: Scorer,
    single: list[tuple[int, ...]],
    alias: dict[int, _Column],
    moved: dict[int, int],
) -> list[_Column]:
    """The columns of the tokens several witnesses added at one place of the fixed table (``moved``: for
    the ids of those found moved here, where from). The runs are aligned as a merge aligns a witness, so
    two witnesses' different words added at one place share a column as a substitution, as they would
    have in the table. A moved token joins only a column of tokens moved from the same place, and only
    one it agrees with (exactly or nearly): one witness's added ``the`` beside another's moved passage is
    an addition, not the passage's ``the``, which is linked to where the passage came from (and a column
    linked to two places would make those places one)."""
    local: list[_Column] = []
    from_elsewhere: list[int | None] = []  # per column of ``local``: where its tokens were moved from
    if runs and isinstance(runs[0][0], _Column):  # the columns of one witness the fixed table set aside
        local = runs[0]
        from_elsewhere = [moved.get(id(c)) for c in local]
        runs = runs[1:]

    def apart(i: int, x: _Added) -> bool:
        """Whether the token ``x``, paired with column ``local[i]``, must stand in a column of its own."""
        origin = from_elsewhere[i]
        return origin != moved.get(id(x)) or (origin is not None and scorer.column(local[i].forms, x.ident) <= 0)

    for run in runs:
        b = [x.ident for x in run]
        ops = align([c.forms for c in local], [c.key for c in local], b, scorer) if local else [(None, j) for j in range(len(b))]
        merged, flags = [], []
        for i, j in ops:
            if i is not None and j is not None and apart(i, run[j]):
                merged.append(local[i])
                flags.append(from_elsewhere[i])
                i = None
            if i is None:
                x = run[j]
                column = alias[id(x)] = _Column(width, x.slot, x.index, x.ident, single[x.ident], sparse=True)
                flags.append(moved.get(id(x)))
            else:
                column = local[i]
                flags.append(from_elsewhere[i])
                if j is not None:
                    x = run[j]
                    column.add(x.slot, x.index, x.ident)
                    alias[id(x)] = column
            merged.append(column)
        local, from_elsewhere = merged, flags
    return local


def _freeze(table: list[_Column], order: list[int]) -> tuple[tuple[int | None, ...], ...]:
    """The table's columns as tuples, the witnesses put back in the order given (``order[k]``: the witness
    in slot ``k``). Each column's list is let go once copied: with a thousand witnesses, two copies of the
    table would not fit in memory beside each other."""
    out = []
    width = len(order)
    slot = [0] * width  # the slot of each witness as given
    for n, k in enumerate(order):
        slot[k] = n
    pick = None if slot == list(range(width)) else itemgetter(*slot)
    for column in table:
        cells = column.cells
        if type(cells) is not list:
            dense: list[int | None] = [None] * width
            for w, index in cells.items():
                dense[w] = index
            cells = dense
        out.append(tuple(cells) if pick is None else pick(cells))
        column.cells = []
    return tuple(out)


def _merge_ops(table: list[_Column], b: Sequence[int], scorer: Scorer, options: Options, done: int) -> list:
    """The alignment of a new witness's ids ``b`` with the table, ``done`` witnesses being merged already.

    With many witnesses the table holds, beside the columns most of them read, the words each one added
    and the passages each one moved: every word stands in several columns. Aligned with all of them at
    once, a witness can pair a stretch with a copy one earlier witness moved instead of the text all the
    others read there; the witnesses after it then split between the two, and the table frays. So the
    witness is aligned first with the backbone, the columns most witnesses read, and then, between each
    two backbone columns it agrees with (exactly or nearly), with every column of the table there (another
    witness's added word that it shares, a passage its family moved). Anchors then seed at the column
    that outweighs the other copies of their word (``align``'s ``support``).
    """
    forms = [c.forms for c in table]
    keys = [c.key for c in table]
    if done < BACKBONE_FROM:
        return align(forms, keys, b, scorer, max_move=options.max_move)
    support = [c.size for c in table]
    least = BACKBONE_SHARE * done
    major = [i for i, s in enumerate(support) if s > least]
    if len(major) == len(table):
        return align(forms, keys, b, scorer, max_move=options.max_move, support=support)
    ops = align(
        [forms[i] for i in major], [keys[i] for i in major], b, scorer, max_move=options.max_move,
        support=[support[i] for i in major],
    )
    pairs: list[tuple[int, int]] = []
    prev_i = prev_j = -1
    # The backbone's agreements are kept, and its substitutions in columns nearly every witness reads: a
    # substitution elsewhere may belong with a column of the few.
    sure = SUBSTITUTION_SHARE * done
    agreed = [
        (major[i], j)
        for i, j in ops
        if i is not None and j is not None and (support[major[i]] >= sure or scorer.column(forms[major[i]], b[j]) > 0)
    ]
    if done >= FIXED_FROM:
        # In a fixed table few columns stand outside the backbone: where none stands between two agreements,
        # the backbone's own pairs there (its substitutions) are kept, not looked for again.
        outside = list(accumulate((s <= least for s in support), initial=0))
        backbone = {j: major[i] for i, j in ops if i is not None and j is not None}
    for i, j in [*agreed, (len(table), len(b))]:
        if i - prev_i > 1 and j - prev_j > 1:
            lo_i, lo_j = prev_i + 1, prev_j + 1
            if done >= FIXED_FROM and outside[i] == outside[lo_i]:
                pairs.extend((backbone[y], y) for y in range(lo_j, j) if y in backbone)
                ops_here: list = []
            else:
                ops_here = align(forms[lo_i:i], keys[lo_i:i], b[lo_j:j], scorer, support=support[lo_i:i])
            for x, y in ops_here:
                if x is not None and y is not None:
                    pairs.append((lo_i + x, lo_j + y))
        if i < len(table):
            pairs.append((i, j))
        prev_i, prev_j = i, j
    return with_gaps(pairs, len(table), len(b))


def _positions(ops: list, table: list[_Column], done: int) -> list[int] | None:
    """Where each op stands, counting only the new witness's tokens and the backbone's columns (None when
    every column counts): how far a moved passage went, measured in the text, not in the columns other
    witnesses' additions and moves put in between (with hundreds of witnesses, most of the table)."""
    if done < BACKBONE_FROM:
        return None
    least = BACKBONE_SHARE * done
    if all(c.size > least for c in table):
        return None
    return [0, *accumulate(1 if j is not None or table[i].size > least else 0 for i, j in ops)]


def _fit(column: _Column, t: int, scorer: Scorer) -> tuple[int, int]:
    """How well token id ``t`` fits ``column``: 3 exact, 2 near, 1 a substitution, 0 never (a word and a
    punctuation mark); then how many witnesses stand in the column."""
    if t in column.forms:
        grade = 3
    else:
        score = scorer.column(column.forms, t)
        grade = 2 if score > 0 else (1 if score != NEVER else 0)
    return grade, column.size


def _tidy(table: list[_Column], ids: list[list[int]], scorer: Scorer, reach: int = 3) -> list[_Column]:
    """The finished table with each word that disagrees with its column moved to a neighbouring column it
    fits better, where its witness has nothing; columns left empty are dropped.

    Witnesses are merged one at a time, so an early pairing can stand although later witnesses showed it
    wrong: two witnesses that each lack a different word (``relation Marx and`` / ``relation to and``) pair
    ``Marx`` with ``to`` as a substitution; the witnesses merged after them read ``to Marx`` and open a
    column of ``to`` beside it, which is where the second witness's ``to`` belongs."""
    punct = scorer.punct
    emptied = False
    for c, column in enumerate(table):
        if column.counts is None:
            continue
        for w, index in _cells(column):
            if index is None:
                continue
            counts = column.counts
            if counts is None:  # every word that disagreed has moved away: one form is left
                break
            t = ids[w][index]
            if t == column.key:
                continue
            # Only a neighbour where this witness has nothing can take the word.
            if not ((c > 0 and table[c - 1].cells[w] is None) or (c + 1 < len(table) and table[c + 1].cells[w] is None)):
                continue
            others = column.size - 1
            if counts.get(t, 0) > 1:  # another witness reads the same word here
                best = (3, others)
            else:
                here = scorer.column(tuple(f for f in column.forms if f != t), t)
                best = (2 if here > 0 else 1, others)
            target = None
            for step in (-1, 1):
                d = c + step
                while 0 <= d < len(table) and abs(d - c) <= reach and table[d].cells[w] is None:
                    candidate = _fit(table[d], t, scorer)
                    # A punctuation mark moves only to a column with its own mark (or a near one).
                    if candidate[0] and (candidate[0] > 1 or not punct[t]) and candidate > best:
                        best, target = candidate, table[d]
                    d += step
            if target is not None:
                column.remove(w, t)
                target.add(w, index, t)
                emptied = emptied or column.size == 0
    return [c for c in table if c.size] if emptied else table


# How many of the following one-sided runs each run is compared with.
_NEAREST_RUNS = 24


def _local(
    first: int,
    second: int,
    first_side: Iterable[int],
    second_side: Iterable[int],
    columns: tuple[tuple[int | None, ...], ...],
    options: Options,
    readers: tuple[int, int] | None = None,
    words: int = 1,
) -> bool:
    """Whether a move of one word (or of ``words`` words, at most ``_SHORT_SWAP``) between columns ``first``
    (read by ``first_side``) and ``second`` (read by ``second_side``) is local: an adjacent swap. At most
    ``local_swap`` words for each word moved (as CollateX's own ``TranspositionFilter`` lets a phrase of n
    tokens move 3n) that all concerned witnesses read stand between its two places, and at each place the
    word stands in a short one-sided stretch (at most ``local_swap`` + 1 columns that one side reads and the
    other does not): a word of a rewritten passage that happens to recur in the rewriting (``of``, ``the``)
    is no move. A single word further away (``this`` two sentences on, or CollateX's transposition limiter:
    ``X a … p`` / ``a … p X``) is an omission here and an addition there, as the peer has it. With
    ``readers`` (one witness of each side), the move must also be ``_undisturbed`` read through those two."""
    one, other = list(first_side), list(second_side)
    sides = one + other
    low, high = sorted((first, second))
    # Counted are the words every concerned witness reads in between: the word it swaps with, or another
    # witness's addition, does not make a swap far.
    shared = sum(1 for c in range(low + 1, high) if all(columns[c][w] is not None for w in sides))
    if shared > options.local_swap * words:
        return False
    reach = options.local_swap + 1
    if _stretch(columns, first, one, other) > reach or _stretch(columns, second, other, one) > reach:
        return False
    return readers is None or _undisturbed(first, second, readers, columns, options, words)


def _undisturbed(
    first: int,
    second: int,
    readers: tuple[int, int],
    columns: tuple[tuple[int | None, ...], ...],
    options: Options,
    words: int = 1,
) -> bool:
    """Whether, read through one witness of each side (``readers``), a move between columns ``first`` and
    ``second`` is the words moved and nothing else: each stands in a short stretch the other witness lacks
    (at most ``local_swap`` + 1 columns), and at most ``local_swap`` other words (× ``words``, the words
    moved) that only one of the two has stand between. Where one of them rewrote the passage between, a word
    that recurs in the rewriting is the same word used again, not the word moved."""
    a, b = readers
    reach = options.local_swap + 1
    here, there = _pair_stretch(columns, first, a, b), _pair_stretch(columns, second, b, a)
    if len(here) > reach or len(there) > reach:
        return False
    near = {*here, *there}
    low, high = sorted((first, second))
    apart = sum(1 for c in range(low + 1, high) if c not in near and (columns[c][a] is None) != (columns[c][b] is None))
    return apart <= options.local_swap * words


def _pair_stretch(columns: tuple[tuple[int | None, ...], ...], c: int, present: int, absent: int) -> range:
    """The neighbouring columns around ``c`` (``c`` among them) that witness ``present`` reads and witness
    ``absent`` does not."""
    low = c
    while low > 0 and columns[low - 1][present] is not None and columns[low - 1][absent] is None:
        low -= 1
    high = c + 1
    while high < len(columns) and columns[high][present] is not None and columns[high][absent] is None:
        high += 1
    return range(low, high)


def _stretch(columns: tuple[tuple[int | None, ...], ...], c: int, present: list[int], absent: list[int]) -> int:
    """How many neighbouring columns around ``c`` all of ``present`` read and none of ``absent`` do (one
    witness's own addition beside the word does not lengthen the stretch)."""

    def one_sided(k: int) -> bool:
        column = columns[k]
        return all(column[w] is None for w in absent) and all(column[w] is not None for w in present)

    low = c
    while low > 0 and one_sided(low - 1):
        low -= 1
    high = c + 1
    while high < len(columns) and one_sided(high):
        high += 1
    return high - low


def _justified(
    t: Transposition,
    columns: tuple[tuple[int | None, ...], ...],
    witnesses: Sequence[Witness],
    options: Options,
    frequencies: dict[int, Counter[str]],
    slot: dict[str, int],
) -> bool:
    """Whether a move the merge found is one an editor would call a transposition: it moves words (of several,
    ``_bridged``), and a single common word only locally (``_local``). ``frequencies`` keeps each witness's
    word counts, made when first needed; ``slot``: each siglum's place in ``witnesses``."""
    sigla = [w.siglum for w in witnesses]
    w = slot[min(t.source_witnesses)] if t.source_witnesses else 0
    tokens = [witnesses[w].tokens[i] for i in (columns[c][w] for c in range(*t.source)) if i is not None]
    words = [x for x in tokens if not x.punct]
    if not words:
        return False
    source = [slot[s] for s in t.source_witnesses]
    target = [slot[s] for s in t.target_witnesses]
    if len(words) > 1:
        return _bridged(list(range(*t.source)), list(range(*t.target)), (source, target), columns)
    if w not in frequencies:
        frequencies[w] = Counter(map(_NORM, witnesses[w].tokens))  # the tokens' ``norm``, at C speed
    if not _common(words[0].norm, witnesses[w], frequencies[w]):
        return True  # a word rare in its witness, found moved by the merge's own search: the same word
    readers = (min(source, key=sigla.__getitem__), min(target, key=sigla.__getitem__))
    return _local(t.source[0], t.target[0], source, target, columns, options, readers)


# The swap pass links a stretch of at most this many words only where it is local (``_local``).
_SHORT_SWAP = 2
# A word at least this frequent in its witness (per token) is a common word (``the``, ``of``, ``this``):
# found once elsewhere, it is the same word used again, not the word moved.
_COMMON = 0.004


def _bridged(
    a: list[int], b: list[int], sides: tuple[Iterable[int], Iterable[int]], columns: tuple[tuple[int | None, ...], ...]
) -> bool:
    """Whether a witness of each side (``sides``: the witnesses reading the stretch of columns ``a``, those
    reading ``b``) stand in one column between the two stretches. Where none do, the stretches are the two
    sides of one rewritten passage, and words both use in another order there (``they may be``) are part
    of the rewriting, not a passage moved."""
    one, other = sorted((list(sides[0]), list(sides[1])), key=len)
    low, high = min(a[-1], b[-1]), max(a[0], b[0])
    between = columns[low + 1:high]
    # The columns a witness of the fewer side stands in, picked out at C speed: the others are checked there.
    for x in one:
        for k in compress(count(), map(is_not, map(itemgetter(x), between), repeat(None))):
            column = between[k]
            if any(column[y] is not None for y in other):
                return True
    return False


# A witness shorter than this many tokens is too short to tell a function word from a content word.
_LONG = 250


def _common(norm: str, witness: Witness, frequency: Counter[str]) -> bool:
    if len(witness.tokens) < _LONG:
        return True  # too short to tell a function word from a content word: every single word must be local
    return chance_word(norm, len(witness.tokens), frequency)


def chance_word(norm: str, size: int, frequency: Counter[str]) -> bool:
    """Whether a word is so common in its witness (``_COMMON`` of its ``size`` tokens: ``the``, ``of``,
    ``this``) that it recurs nearby by chance; never in a witness too short to tell (under ``_LONG``
    tokens). ``frequency``: the witness's tokens counted by normalised form."""
    return size >= _LONG and frequency[norm] >= _COMMON * size


def _swaps(
    columns: tuple[tuple[int | None, ...], ...],
    witnesses: Sequence[Witness],
    found: Sequence[Transposition],
    options: Options,
    frequencies: dict[int, Counter[str]] | None = None,
) -> list[Transposition]:
    """Moves the merge left half-linked: the same words standing on one side only in one place (some
    witnesses have them, the others nothing) and on the other side only in another place nearby.

    Without this pass a swap (``the red and the black cat`` / ``the black and the red cat``) had one word
    linked as moved and the other reported as an omission and an addition of the same word in the same
    witness. One-sided runs (consecutive columns read by the same witnesses, the rest having nothing)
    are paired when their witnesses do not overlap and they are at most ``max_move`` columns apart; their
    longest common stretch of forms is linked, and what is left of both is searched again. Punctuation
    never blocks a pair and is never a move by itself. A single word is a move only when it is local
    (``_local``): a single ``the`` or ``of`` far away is the same common word, not the same word moved.
    ``frequencies`` keeps each witness's word counts, by its place in ``witnesses``, made when first needed
    (shared with ``_justified``).
    """
    moved = {c for t in found for c in (*range(*t.source), *range(*t.target))}
    sigla = [w.siglum for w in witnesses]
    tokens = [w.tokens for w in witnesses]
    # One-sided runs: (start, end, present witnesses), each at most ``max_move`` columns long (a longer
    # passage is the merge's own move search's to find).
    runs: list[tuple[int, int, frozenset[int]]] = []
    slots = range(len(witnesses))

    def run(start: int, end: int, present: bytes) -> tuple[int, int, frozenset[int]]:
        return start, end, frozenset(compress(slots, present))

    # Only columns some witness lacks can be in a run, picked out at C speed; each one's witnesses as bytes
    # (1: present), cheap to build and compare. A column every witness reads, or a moved one, ends a run.
    start = last = -1
    present = b""
    lacking = compress(range(len(columns)), map(contains, columns, repeat(None)))
    for c in lacking:
        if c in moved:
            continue
        here = bytes(map(is_not, columns[c], repeat(None)))
        if c == last + 1 and here == present and c - start < options.max_move:
            last = c
            continue
        if present:
            runs.append(run(start, last + 1, present))
        start = last = c
        present = here
    if present:
        runs.append(run(start, last + 1, present))
    if len(runs) < 2:
        return []

    def form(c: int, w: int) -> str:
        return tokens[w][columns[c][w]].norm  # type: ignore[index]

    # Each run read through one of its witnesses, the first by siglum, not by position (the result must not
    # depend on the order they came in), and the forms it reads: two runs with none in common are not a swap.
    readers = [min(p, key=sigla.__getitem__) for _, _, p in runs]
    run_forms: list[set[str] | None] = [None] * len(runs)

    def forms_of(k: int) -> set[str]:
        found = run_forms[k]
        if found is None:
            s, e, _ = runs[k]
            found = run_forms[k] = {form(c, readers[k]) for c in range(s, e)}
        return found

    if frequencies is None:
        frequencies = {}

    def rare(cs: list[int], w: int) -> bool:
        """Whether the words of columns ``cs``, as witness ``w`` reads them, are all rare in it."""
        if w not in frequencies:
            frequencies[w] = Counter(map(_NORM, tokens[w]))
        return not any(_common(form(c, w), witnesses[w], frequencies[w]) for c in cs)

    out: list[Transposition] = []
    used: set[int] = set()
    for k, (s1, e1, p1) in enumerate(runs):
        # The nearest runs only: with many witnesses almost every column lacks someone.
        for k2 in range(k + 1, min(len(runs), k + 1 + _NEAREST_RUNS)):
            s2, e2, p2 = runs[k2]
            if s2 - e1 > options.max_move:
                break
            if p1 & p2 or forms_of(k).isdisjoint(forms_of(k2)):
                continue
            w1, w2 = readers[k], readers[k2]
            for a, b, n in _common_stretches(
                [c for c in range(s1, e1) if c not in used], [c for c in range(s2, e2) if c not in used], lambda c: form(c, w1), lambda c: form(c, w2)
            ):
                words = [c for c in a if not tokens[w1][columns[c][w1]].punct]  # type: ignore[index]
                if not words:
                    continue
                # A word or two alone (``the``, ``had been``) may recur by chance in a rewritten passage
                # nearby: a move only where local, or, for words rare in the witness (``alone``), where
                # nothing but shared words stands between (``go alone to the summit of Montanvert`` /
                # ``go to the summit of Montanvert alone``).
                if len(words) <= _SHORT_SWAP:
                    x, y = words[0], b[a.index(words[0])]
                    if not (
                        _local(x, y, p1, p2, columns, options, (w1, w2), len(words))
                        or (rare(words, w1) and _undisturbed(x, y, (w1, w2), columns, options))
                    ):
                        continue
                elif not _bridged(a, b, (p1, p2), columns):
                    continue
                used.update(a)
                used.update(b)
                src, tgt, ws, wt = (a, b, p1, p2) if sigla[w1] < sigla[w2] else (b, a, p2, p1)
                out.append(
                    Transposition(
                        source=(src[0], src[-1] + 1),
                        target=(tgt[0], tgt[-1] + 1),
                        source_witnesses=tuple(sigla[w] for w in sorted(ws)),
                        target_witnesses=tuple(sigla[w] for w in sorted(wt)),
                        links=tuple(sorted(zip(src, tgt))),
                    )
                )
    # A rare word moved and spelt otherwise (``how disappointed my father would be`` / ``how my father would
    # be dissapointed``): one word left alone in each of two runs nearby, near in spelling, with nothing but
    # shared words between, is a move too, not an omission and an addition of the same word.
    lone = [_lone_word(s, e, readers[k], used, tokens, columns) for k, (s, e, _) in enumerate(runs)]
    for k, (s1, e1, p1) in enumerate(runs):
        one = lone[k]
        if one is None or one in used:
            continue
        for k2 in range(k + 1, min(len(runs), k + 1 + _NEAREST_RUNS)):
            s2, e2, p2 = runs[k2]
            if s2 - e1 > options.max_move:
                break
            other = lone[k2]
            if other is None or other in used or p1 & p2:
                continue
            w1, w2 = readers[k], readers[k2]
            a, b = form(one, w1), form(other, w2)
            if (
                not spelt_otherwise(a, b)
                or not (rare([one], w1) and rare([other], w2))
                or not _undisturbed(one, other, (w1, w2), columns, options)
            ):
                continue
            used.update((one, other))
            src, tgt, ws, wt = (one, other, p1, p2) if sigla[w1] < sigla[w2] else (other, one, p2, p1)
            out.append(
                Transposition(
                    source=(src, src + 1),
                    target=(tgt, tgt + 1),
                    source_witnesses=tuple(sigla[w] for w in sorted(ws)),
                    target_witnesses=tuple(sigla[w] for w in sorted(wt)),
                    links=((src, tgt),),
                )
            )
            break
    return out


def _lone_word(
    s: int, e: int, reader: int, used: set[int], tokens: list, columns: tuple[tuple[int | None, ...], ...]
) -> int | None:
    """The column of the only word (punctuation aside) that ``reader`` has in columns ``s:e`` not yet linked."""
    words = [c for c in range(s, e) if c not in used and not tokens[reader][columns[c][reader]].punct]
    return words[0] if len(words) == 1 else None


def _common_stretches(
    a: list[int], b: list[int], form_a: Callable[[int], str], form_b: Callable[[int], str]
) -> list[tuple[list[int], list[int], int]]:
    """Disjoint stretches of consecutive columns of ``a`` and ``b`` whose forms are equal, longest first
    (the longest common stretch, then the longest in what is left on either side, and so on)."""
    out: list[tuple[list[int], list[int], int]] = []
    stack = [(a, b)]
    while stack:
        x, y = stack.pop()
        if not x or not y:
            continue
        fx = [form_a(c) for c in x]
        fy = [form_b(c) for c in y]
        best = (0, 0, 0)  # length, start in x, start in y
        previous = [0] * (len(fy) + 1)
        for i in range(1, len(fx) + 1):
            row = [0] * (len(fy) + 1)
            for j in range(1, len(fy) + 1):
                if fx[i - 1] != fy[j - 1]:
                    continue
                # A stretch runs over neighbouring columns only (columns already linked are left out).
                joined = previous[j - 1] and x[i - 1] == x[i - 2] + 1 and y[j - 1] == y[j - 2] + 1
                row[j] = previous[j - 1] + 1 if joined else 1
                if row[j] > best[0]:
                    best = (row[j], i - row[j], j - row[j])
            previous = row
        n, i, j = best
        if n == 0:
            continue
        out.append((x[i : i + n], y[j : j + n], n))
        stack.append((x[:i], y[:j]))
        stack.append((x[i + n :], y[j + n :]))
        stack.append((x[:i], y[j + n :]))
        stack.append((x[i + n :], y[:j]))
    return out


# A piece of a witness's text that agrees with the others in at most this many words, alone between stretches
# of at least SCATTER_APART of their words on both sides and no longer than the longer of them, is a few common
# words of a rewritten passage (``of life``, ``the``, ``causes``) paired with words of the others' longer passage.
SCATTER_WORDS = 3
SCATTER_APART = 5
# …and the scattered pieces together agree with at most this share of the others' words they stand among: a
# few words in a passage of theirs ten times as long. A witness that lacks what the others insert here and
# there (``with nothing inside it. Then`` / ``with <script>…</script> inside it. Then``) agrees with more.
SCATTER_SHARE = 0.1
_GAPS = frozenset(("gap", "gap-after"))


def _scattered(
    table: list[_Column], witnesses: Sequence[Witness], ids: list[list[int]], scorer: Scorer, moving: set[int],
    rows: list[list[int]], single: list[tuple[int, ...]],
) -> tuple[list[_Column], list[list[int]]]:
    """The table with each witness's rewritten passage kept together: where the witness's text between two
    of its stretches that stand with the others is scattered, a few words at a time, over a longer passage
    of theirs (1859's ``of life the causes of variability`` over the paragraph 1869 wrote in its place),
    those words leave the others' columns and stand in columns of their own right after the stretch before.
    The two passages are then one reading against the other, as an editor reads a rewriting.

    Words beside a gap of the witness's source stay where they are: a fragment's surviving words are its
    text at their place. So do words of a moved passage. ``rows`` as ``_rows``; returns both anew."""
    punct = scorer.punct
    is_mark = punct.__getitem__
    # words[c]: how many columns before column c hold words.
    words = array("l", accumulate(map(not_, map(is_mark, map(attrgetter("key"), table))), initial=0))
    pieces: list[tuple[int, int, list[int], set[int]]] = []  # witness, column after which, columns, among
    for w, row in enumerate(rows):
        tokens = witnesses[w].tokens
        mine = ids[w]
        # Pieces: the tokens between two places where the witness leaves SCATTER_APART words of the others or
        # more (after token k, before token k + 1), as (first, last) token indices; the first and the last
        # piece of the text are not among them.
        # (Only where the witness leaves that many columns can it leave that many words.)
        wide = [
            k for k in compress(count(), map(ge, map(sub, islice(row, 1, None), row), repeat(SCATTER_APART + 1)))
            if words[row[k + 1]] - words[row[k] + 1] >= SCATTER_APART
        ]
        clusters = list(zip(map((1).__add__, wide), wide[1:]))

        def around(first: int, last: int) -> set[int]:
            """The others: the witnesses with a token in the stretches on both sides of tokens first … last."""
            before = set().union(*map(_slots, table[row[first - 1] + 1:row[first]]))
            return before & set().union(*map(_slots, table[row[last] + 1:row[last + 1]])) if before else before

        def scattered(first: int, last: int) -> tuple[int, int] | None:
            """(words agreeing with the others, words) of the piece first … last, where it is scattered."""
            # A piece longer than the others' words on either side of it is a reading of its own, not scattered.
            most = max(words[row[first]] - words[row[first - 1] + 1], words[row[last + 1]] - words[row[last] + 1])
            if last - first + 1 > most:
                # Counted up to a little beyond the bound first: most pieces are whole pages of agreement.
                probe = min(last + 1, first + 2 * most + 2)
                size = probe - first - sum(map(is_mark, mine[first:probe]))
                if size <= most and probe <= last:
                    size += last + 1 - probe - sum(map(is_mark, mine[probe:last + 1]))
                if size > most:
                    return None
            if any(id(table[row[k]]) in moving for k in range(first, last + 1)):
                return None
            among = around(first, last)
            agree = size = 0
            for k in range(first, last + 1):
                t = mine[k]
                if punct[t]:
                    continue
                size += 1
                cells = table[row[k]].cells
                for v in among:
                    x = cells[v]
                    if x is not None and scorer.pair(ids[v][x], t) > 0:
                        agree += 1
                        break
            return (agree, size) if agree <= SCATTER_WORDS else None

        alone = [scattered(first, last) for first, last in clusters]
        n = 0
        while n < len(clusters):
            if alone[n] is None:
                n += 1
                continue
            m = n
            while m + 1 < len(clusters) and alone[m + 1] is not None:
                m += 1
            # The scattered words leave their columns only between two stretches that stand with the others.
            first, last = clusters[n][0], clusters[m][1]
            # Marks alone are left to the passes over marks; a passage at the end of the text stays.
            if (
                last + 1 < len(row)
                and id(table[row[first - 1]]) not in moving
                and not all(punct[mine[k]] for k in range(first, last + 1))
                and not any(tokens[k].source.flags & _GAPS for k in range(first - 1, last + 2))
                and sum(a for a, _ in alone[n:m + 1]) <= SCATTER_SHARE * (words[row[last + 1]] - words[row[first - 1] + 1])
            ):
                pieces.append((w, row[first - 1], row[first:last + 1], around(first, last)))
            n = m + 1
    # A piece leaves its columns only with every witness that stands there and not among the others: witnesses
    # that read one text stay together.
    while pieces:
        going = {(d, w): after for w, after, cols, _ in pieces for d in cols}
        kept = [
            piece for piece in pieces
            if all(v in piece[3] or going.get((d, v)) == piece[1] for d in piece[2] for v in _slots(table[d]))
        ]
        if len(kept) == len(pieces):
            break
        pieces = kept
    detach: dict[int, dict[int, list[int]]] = {}  # column after which -> original column -> witness slots
    for w, after, cols, _ in pieces:
        for d in cols:
            detach.setdefault(after, {}).setdefault(d, []).append(w)
    if not detach:
        return table, rows
    # The scattered words leave their columns for new ones, placed after the stretch before them.
    sparse = len(rows) > FIXED_FROM  # as the columns of a fixed table's additions are
    made: dict[int, list[_Column]] = {}  # column after which -> its new columns
    for c in sorted(detach):
        placed = detach[c]
        for d in sorted(placed):
            new = None
            for w in placed[d]:
                index = table[d].cells[w]
                t = ids[w][index]
                table[d].remove(w, t)
                if new is None:
                    new = _Column(len(rows), w, index, t, single[t], sparse)
                else:
                    new.add(w, index, t)
            made.setdefault(c, []).append(new)  # type: ignore[arg-type]
    # The new table without the columns left empty (the passes over the marks would read their forms), and
    # where each old column went; the rows follow, one at a time (a second copy of them all would be tens of
    # megabytes), and a moved token's place is its new column's.
    out: list[_Column] = []
    place = array("l")  # place[c]: where old column c stands in ``out``
    moved: list[tuple[int, int, int]] = []  # witness, token, new column
    done = 0
    for c in sorted(made):
        place.extend(range(len(out), len(out) + c + 1 - done))
        out.extend(table[done:c + 1])
        done = c + 1
        for new in made[c]:
            moved.extend((w, index, len(out)) for w, index in _cells(new) if index is not None)
            out.append(new)
    place.extend(range(len(out), len(out) + len(table) - done))
    out.extend(table[done:])
    kept = array("l", accumulate(map(bool, map(attrgetter("size"), out)), initial=0))  # place without the emptied
    # Where each old column stands in the table returned, made once: the rows hold an entry per token.
    final = array("l", map(kept.__getitem__, place))
    for row in rows:
        row[:] = map(final.__getitem__, row)
    for w, index, c in moved:
        rows[w][index] = kept[c]
    return list(compress(out, map(attrgetter("size"), out))), rows


def _punctuation_left(
    table: list[_Column], witnesses: Sequence[Witness], ids: list[list[int]], punct: list[bool], moving: set[int],
    rows: list[list[int]],
) -> None:
    """A punctuation mark stays with the word it is attached to: where a witness lacks a passage that ends,
    in the others, with the very mark that ends its own text before the passage (``here. End`` against
    ``here. … follows. End``), its mark is aligned with the first of the two, not the last. Otherwise the
    witness's omission would begin with a stray full stop and the mark would stand in another entry. Only
    a mark printed against the word before it moves (as sources tell: no space between them): a mark
    standing free between spaces is a token like any other, and the tie is left as the aligner broke it.

    ``rows[w]`` is the column of each token of witness ``w``, kept up to date; a column emptied stays in the
    table."""
    is_mark = punct.__getitem__
    for w, row in enumerate(rows):
        # The witness's tokens stand in its columns in order (``row``). A mark moved by this loop goes to a
        # column already passed: the rest of the row holds, and the token after it looks from there.
        moved_at = moved_to = -1  # the last mark moved, and the column it went to
        for index in compress(range(len(row)), map(is_mark, ids[w])):
            if not index:
                continue
            s = (moved_to if moved_at == index - 1 else row[index - 1]) + 1
            e = row[index]
            if s >= e:
                continue
            t = ids[w][index]
            column = table[e]
            if id(column) in moving:
                continue
            before, mark = witnesses[w].tokens[index - 1].source, witnesses[w].tokens[index].source
            if not (0 < before.end == mark.start):
                continue
            target = table[s]
            if target.counts is not None or target.key != t or id(target) in moving:
                continue
            column.remove(w, t)
            target.add(w, index, t)
            row[index] = s
            moved_at, moved_to = index, s


def _punctuation_attached(
    table: list[_Column], witnesses: Sequence[Witness], ids: list[list[int]], punct: list[bool], moving: set[int],
    rows: list[list[int]],
) -> None:
    """The marks a witness has between two of its words, where it lacks a passage the others have there,
    stand with the marks the others have next to the same words: ``overjoyed; “My`` against ``overjoyed. “My``
    and a passage that two other witnesses add after ``overjoyed`` and end with a semicolon. The aligner pairs
    the semicolon with the passage's own, an exact match, and the witness's semicolon then reads as part of an
    addition it does not have, forty words from its word.

    A column of marks is at the edge of the passage when another witness's mark there follows the word before
    the passage or precedes the word after it (with only marks between): ``fantail; and`` against ``fantail,
    are … variable; and`` keeps its semicolon with the one that ends the passage. A mark printed against the
    word after it (``(with``, ``“My``: no space between, as the sources give offsets) belongs at the edge
    before that word only. A mark at its edge that matches its column exactly stays; the witness's other
    marks there are placed again, in order, so that the most of them stand at their edges, and of those
    placements the one that matches the most exactly. Where no placement puts more of them at their edges,
    they all stay. ``rows`` as for ``_punctuation_left``."""
    for w in range(len(ids)):
        row, own, tokens = rows[w], ids[w], witnesses[w].tokens
        last = len(row) - 1
        seen = -1
        # Only where the witness skips columns (picked out at C speed: a few in a hundred tokens) next to a mark.
        for i in compress(range(last), map(gt, map(sub, row[1:], row), repeat(1))):
            if punct[own[i]]:
                k = i
            elif punct[own[i + 1]]:
                k = i + 1
            else:
                continue
            while k > 0 and punct[own[k - 1]]:
                k -= 1
            if k == 0 or k <= seen:
                continue  # the text's first tokens, or a run already looked at
            m = k
            while m < last and punct[own[m + 1]]:
                m += 1
            seen = m
            if m == last:
                continue
            p, n = row[k - 1], row[m + 1]
            # Nothing stands between the marks and the word they are printed against (the one before, when the
            # first touches it; else the one after): they are where they belong.
            if (row[m] - p if 0 < tokens[k - 1].source.end == tokens[k].source.start else n - row[k]) == m - k + 1:
                continue
            if not any(table[c].cells[w] is None and not punct[table[c].key] for c in range(p + 1, n)):
                continue  # it lacks no word the others have here
            _place_again(table, w, k, m, p, n, witnesses, ids, punct, moving, rows)


def _place_again(
    table: list[_Column], w: int, k: int, m: int, p: int, n: int, witnesses: Sequence[Witness], ids: list[list[int]],
    punct: list[bool], moving: set[int], rows: list[list[int]],
) -> None:
    """``_punctuation_attached`` for the marks ``k`` to ``m`` of witness ``w``, between its words in columns
    ``p`` and ``n``."""
    row, own, tokens = rows[w], ids[w], witnesses[w].tokens
    now = row[k : m + 1]
    if any(id(table[c]) in moving for c in now):
        return
    # Whether each mark is printed against the word after the run (so belongs before that word only).
    before = [_before_word(tokens, x, m) for x in range(k, m + 1)]
    edges = {c: _edges(table[c], w, p, n, rows, ids, punct) for c in now}
    current = [edges[c][1] or (edges[c][0] and not b) for c, b in zip(now, before)]
    if all(current):
        return
    marks = own[k : m + 1]
    candidates = [
        c for c in range(p + 1, n)
        if (table[c].cells[w] is None or c in now) and id(table[c]) not in moving
        and all(map(punct.__getitem__, table[c].forms))
    ]
    edges.update((c, _edges(table[c], w, p, n, rows, ids, punct)) for c in candidates if c not in edges)
    # Per mark, per column: whether the column is at the mark's edge.
    at = [{c: e[1] or (e[0] and not b) for c, e in edges.items()} for b in before]
    # A mark at its edge that matches its column exactly keeps it.
    allowed = [[c] if current[x] and _matched(table[c], w, marks[x]) else candidates for x, c in enumerate(now)]
    placed = _place_marks(marks, allowed, at, table, w)
    if placed is None or placed[0] <= sum(current):
        return
    # All taken out first: a mark may go to the column the one after it leaves.
    for x, old in enumerate(now):
        table[old].remove(w, marks[x])
    for x, new in enumerate(placed[1]):
        table[new].add(w, k + x, marks[x])
        row[k + x] = new


def _before_word(tokens: Sequence, x: int, m: int) -> bool:
    """Whether the mark ``tokens[x]`` is printed against the word after the run of marks ending at ``m``,
    with no space between it and the word or the marks between, and with a space before it."""
    if 0 < tokens[x - 1].source.end == tokens[x].source.start:
        return False
    return all(0 < tokens[y].source.end == tokens[y + 1].source.start for y in range(x, m + 1))


def _edges(
    column: _Column, w: int, p: int, n: int, rows: list[list[int]], ids: list[list[int]], punct: list[bool]
) -> tuple[bool, bool]:
    """Whether another witness has a mark in ``column`` that follows its word in column ``p``, and whether
    one has a mark there that precedes its word in column ``n``, with only marks between."""
    left = right = False
    for v, i in _cells(column):
        if v == w or i is None:
            continue
        row, own = rows[v], ids[v]
        j = i - 1
        while j >= 0 and punct[own[j]]:
            j -= 1
        left = left or (j >= 0 and row[j] == p)
        j = i + 1
        while j < len(own) and punct[own[j]]:
            j += 1
        right = right or (j < len(own) and row[j] == n)
    return left, right


def _matched(column: _Column, w: int, t: int) -> bool:
    """Whether another witness than ``w`` has id ``t`` in ``column``."""
    if column.cells[w] is None:
        return t in column.forms
    if column.counts is None:
        return column.key == t and column.size > 1
    return column.counts.get(t, 0) > 1


def _place_marks(
    marks: list[int], allowed: list[list[int]], at: list[dict[int, bool]], table: list[_Column], w: int
) -> tuple[int, list[int]] | None:
    """The placement of ``marks`` (each in one of its ``allowed`` columns, in order) that puts the most of
    them at their edges (``at[x][column]``), and of those the one that matches the most exactly (another
    witness than ``w`` has the mark there): ``(at their edges, columns)``."""
    if any(len(a) > _MAX_PLACES for a in allowed):
        return None
    # For each column the last mark placed may take: the best placement so far ending there.
    best: dict[int, tuple[int, int, list[int]]] = {-1: (0, 0, [])}
    for mark, columns, edge in zip(marks, allowed, at):
        ends = sorted(best)
        nxt: dict[int, tuple[int, int, list[int]]] = {}
        top: tuple[int, int, list[int]] | None = None
        e = 0
        for c in columns:
            while e < len(ends) and ends[e] < c:
                if top is None or best[ends[e]][:2] > top[:2]:
                    top = best[ends[e]]
                e += 1
            if top is not None:
                nxt[c] = (top[0] + edge[c], top[1] + _matched(table[c], w, mark), [*top[2], c])
        if not nxt:
            return None
        best = nxt
    found = max(best.values(), key=lambda b: b[:2])
    return found[0], found[2]


# A witness's marks are placed again among at most this many columns of marks between two of its words.
_MAX_PLACES = 64


def _rows(cells: list, width: int) -> list[list[int]]:
    """For each witness slot, the columns it stands in, in order, picked out at C speed: witness by witness
    when they are few, column by column when they are many (each then stands in a small share of the
    columns, and a thousand passes over the whole table would cost more than one)."""
    if width <= _FEW:
        return [
            list(compress(range(len(cells)), map(is_not, map(itemgetter(w), cells), repeat(None))))
            for w in range(width)
        ]
    rows: list[list[int]] = [[] for _ in range(width)]
    slots = range(width)
    for e, column in enumerate(cells):
        for w in compress(slots, map(is_not, column, repeat(None))) if type(column) is list else column:
            rows[w].append(e)
    return rows


# Up to this many witnesses ``_rows`` picks each one's columns out of the whole table in turn.
_FEW = 16


def _present(
    columns: Sequence[tuple[int | None, ...]], cols: list[int], sigla: list[str], masks: dict[int, int]
) -> tuple[str, ...]:
    """The sigla of the witnesses that stand in any of the columns ``cols``. Each column's witnesses are
    kept in ``masks`` as an integer with one byte per witness (1: present), made at C speed and combined by
    ``|``: with a thousand witnesses, many moves share their columns."""
    combined = 0
    for c in cols:
        mask = masks.get(c)
        if mask is None:
            mask = masks[c] = int.from_bytes(bytes(map(is_not, columns[c], repeat(None))), "little")
        combined |= mask
    return tuple(compress(sigla, combined.to_bytes(len(sigla), "little")))


# Up to this many witnesses the merge order compares every two of them; beyond, each with the average.
PAIRWISE_ORDER = 50


def _merge_order(ids: list[list[int]], punct: list[bool], norms: list[str]) -> list[int]:
    """Witness indices in merge order, determined by content alone (see the module docstring).

    Up to ``PAIRWISE_ORDER`` witnesses: the witness most like all the others first, then always the one
    most like a witness already merged (each two compared by the words they share). Beyond, that would
    cost the square of the number of witnesses: they are merged the most typical first (``_typical_first``)."""
    bags = [Counter(compress(row, map(not_, map(punct.__getitem__, row)))) for row in ids]
    sizes = [max(1, sum(bag.values())) for bag in bags]
    # Ids are numbered in the order witnesses were given, so the tie-break hashes the forms themselves.
    digests = [hashlib.blake2b("\x1f".join(map(norms.__getitem__, row)).encode(), digest_size=16).hexdigest() for row in ids]
    n = len(ids)
    if n > PAIRWISE_ORDER:
        return _typical_first(bags, sizes, digests)

    def similarity(x: int, y: int) -> float:
        small, large = (bags[x], bags[y]) if len(bags[x]) < len(bags[y]) else (bags[y], bags[x])
        shared = sum(map(min, small.values(), map(large.get, small, repeat(0))))
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
    # Each witness's best similarity to any already merged, kept up to date as witnesses are added (the
    # maximum over the merged ones, recomputed at every step, made thousands of witnesses cost n³).
    best = [sim[y][first] for y in range(n)]
    while rest:
        nxt = max(rest, key=lambda y: (best[y], digests[y], -y))
        order.append(nxt)
        rest.remove(nxt)
        row = sim[nxt]
        for y in rest:
            if row[y] > best[y]:
                best[y] = row[y]
    return order


def _typical_first(bags: list[Counter[int]], sizes: list[int], digests: list[str]) -> list[int]:
    """Witnesses from the most typical to the least: by the share of its words each has in common with the
    average witness (every word counted as often as the witnesses read it on average). One pass over the
    texts, whatever the number of witnesses; the backbone alignment (``_merge_ops``) makes the order
    matter little once many witnesses are merged."""
    n = len(bags)
    total: Counter[int] = Counter()
    for bag in bags:
        total.update(bag)
    average_size = sum(total.values()) / n
    typical = [
        sum(min(c, total[k] / n) for k, c in bag.items()) / max(size, average_size) for bag, size in zip(bags, sizes)
    ]
    # Rounded as in the pairwise order: a sum of floats depends on the order of its terms.
    return sorted(range(n), key=lambda x: (-round(typical[x], 9), digests[x], x))


def _substitutions(ops: list, table: list[_Column], b: Sequence[int], scorer: Scorer) -> list[int]:
    """The positions of the pairs in ``ops`` whose token is neither in its column nor a near match of it."""
    return [
        n
        for n, (i, j) in enumerate(ops)
        if i is not None and j is not None and b[j] not in table[i].forms and scorer.column(table[i].forms, b[j]) <= 0
    ]


def _split_swaps(ops: list, table: list[_Column], b: Sequence[int], reach: int, pair_at: list[int]) -> list:
    """Undo crossed substitutions (``black and white`` / ``white and black``): each word found a column,
    but each is the other's word. Both pairs become gaps, so that the move search links them as a swap
    instead of the table pairing ``black`` with ``white``. Pairs that are near matches stay: ``thc`` with
    ``the`` here and ``the`` with ``thc`` there are two misreadings, not two words that changed places.
    ``pair_at``: the substitutions (``_substitutions``)."""
    split: set[int] = set()
    for k, n in enumerate(pair_at):
        if n in split:
            continue
        i, j = ops[n]
        # Indices, not a slice: a slice would copy the rest of the list at every step (quadratic when two
        # witnesses share no word and every op is a substitution).
        for following in range(k + 1, len(pair_at)):
            m = pair_at[following]
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


def _release_moved(
    ops: list, table: list[_Column], b: Sequence[int], reach: int, scorer: Scorer, pair_at: list[int]
) -> list:
    """Undo a substitution that holds a word moved a few tokens away (the other copy standing alone).

    ``the letter daily which`` / ``daily the letter that``: the aligner pairs ``daily`` with ``that`` (a
    substitution) and leaves the other ``daily`` without a partner, so the move search finds no second
    ``daily`` to link it with, and the apparatus said "daily which] that" beside "] daily add.". Here the
    pair is undone: the word that moved stands alone, free for the move search (which links it or not by
    its own rules), and the word it was paired with takes the place next to it that its side leaves empty
    (``which``/``that``), or stands alone. Either side may hold the lone copy: the new witness's token or a
    column of the table; or the other copy may stand in a substitution of its own, which is undone too.
    ``pair_at``: the substitutions (``_substitutions``: near matches stay paired, two misreadings as in
    ``_split_swaps``). In a long text a common word (``of``, ``the``) found again nearby is the same word
    used again (as ``_justified`` has it): only a word rare in the new witness is taken for moved."""
    punct = scorer.punct
    least = math.ceil(_COMMON * len(b))
    frequent: dict[int, bool] = {}  # whether a word asked about is common in the new witness
    offsets = [x for d in range(1, reach + 2) for x in (-d, d)]  # the nearest first, then the earlier
    substitution = set(pair_at)
    used: set[int] = set()  # op positions already changed: a copy freed, a pair undone, a neighbour taken
    edits: dict[int, tuple] = {}  # op position -> the ops that replace it
    last = len(ops)

    def undo(m: int, free_column: bool) -> None:
        # Pair ``m`` undone. With ``free_column`` its column stays alone and its token takes the neighbouring
        # column its witness leaves empty, if it can stand there; else its token stays alone and its column
        # takes a neighbouring token that found none. Otherwise both stand alone.
        i, j = ops[m]
        for k in (m + 1, m - 1):
            if not 0 <= k < last or k in used:
                continue
            ki, kj = ops[k]
            if free_column and kj is None and ki is not None and scorer.column(table[ki].forms, b[j]) != NEVER:
                edits[m], edits[k] = ((i, None),), ((ki, j),)
            elif not free_column and ki is None and kj is not None and scorer.column(table[i].forms, b[kj]) != NEVER:
                edits[m], edits[k] = ((None, j),), ((i, kj),)
            else:
                continue
            used.add(k)
            return
        edits[m] = ((i, None), (None, j))

    for m in pair_at:
        if m in used:
            continue
        i, j = ops[m]
        forms = table[i].forms
        found = None
        for k in map(m.__add__, offsets):
            if not 0 <= k < last or k in used:
                continue
            ki, kj = ops[k]
            if kj is not None and b[kj] in forms and not punct[b[kj]] and (ki is None or k in substitution):
                # The new witness has the column's word here, alone or in a substitution of its own
                # (``valley was in`` / ``whisper in valley``): the column is freed, and that token too.
                found = (k, b[kj], True)
                break
            if kj is None and b[j] in table[ki].forms and not punct[b[j]]:
                found = (k, b[j], False)  # the table has the token's word alone here: the token is freed
                break
        if found is None:
            continue
        k, word, free_column = found
        if len(b) >= _LONG:
            common = frequent.get(word)
            if common is None:
                common = frequent[word] = _at_least(b, word, least)
            if common:
                continue
        used.update((m, k))
        undo(m, free_column)
        if ops[k][0] is not None and ops[k][1] is not None:
            undo(k, False)
    if not edits:
        return ops
    out: list = []
    previous = 0
    for n in sorted(edits):
        out.extend(ops[previous:n])
        out.extend(edits[n])
        previous = n + 1
    out.extend(ops[previous:])
    return out


def _at_least(items: list, item: object, n: int) -> bool:
    """Whether ``item`` occurs at least ``n`` times in ``items``: a scan that stops at the ``n``-th (a common
    word is met early), where ``count`` would read the whole list."""
    k = -1
    try:
        for _ in range(n):
            k = items.index(item, k + 1)
    except ValueError:
        return False
    return True


def _prefer_support(ops: list, table: list[_Column], b: Sequence[int], scorer: Scorer, reach: int = 3) -> None:
    """Move each token that found a column to a neighbouring column it fits better, in place.

    The pairwise alignment sees a column as the set of forms it holds, not how many witnesses agree in
    it. Where the table has the token's word twice side by side (one witness doubled it), or a column of
    one witness's added word next to a column of the word most witnesses read, either column scores the
    same; the token belongs with the majority. So a token may move into a column the new witness leaves
    empty, up to ``reach`` columns away with only such columns between, when it matches that column
    better (exact, then near, then a substitution) or as well and more witnesses stand in it."""

    def settle(n: int, step: int) -> None:
        # The token of pair ``n`` looks at the columns it leaves empty next to it, ``step`` being the side.
        i, j = ops[n]
        t = b[j]
        exact = t in table[i].forms
        best: tuple[int, int] | None = None
        best_m = n
        m = n + step
        while 0 <= m < len(ops) and abs(m - n) <= reach and ops[m][1] is None and ops[m][0] is not None:
            # Most tokens match their column exactly; then only another exact column can be better.
            if not exact or t in table[ops[m][0]].forms:
                if best is None:
                    best = _fit(table[i], t, scorer)
                candidate = _fit(table[ops[m][0]], t, scorer)
                if candidate[0] and candidate > best:
                    best, best_m = candidate, m
            m += step
        if best_m != n:
            ops[best_m] = (ops[best_m][0], j)
            ops[n] = (i, None)

    # Only pairs next to a run of columns the witness lacks can move: find those runs, in one sweep.
    lacking = _missing(ops, 1)
    last = len(ops)
    for k, n in enumerate(lacking):
        if k == 0 or lacking[k - 1] != n - 1:  # a run starts: the pair before it may move forward
            if n > 0 and ops[n - 1][0] is not None and ops[n - 1][1] is not None:
                settle(n - 1, 1)
        if k + 1 == len(lacking) or lacking[k + 1] != n + 1:  # a run ends: the pair after it may move back
            if n + 1 < last and ops[n + 1][0] is not None and ops[n + 1][1] is not None:
                settle(n + 1, -1)


def _missing(ops: list, side: int) -> list[int]:
    """Positions of the ops whose ``side`` (0: the table, 1: the new witness) is None, in order."""
    # One C-level pass to pick the side out, then list.index jumps from gap to gap: a table of half a
    # million columns has only a few tens of thousands of them.
    picked = list(map(itemgetter(side), ops))
    found = []
    n = -1
    try:
        while True:
            n = picked.index(None, n + 1)
            found.append(n)
    except ValueError:
        return found


def _runs(ops: list, side: int, bridge: Callable[[int], bool] | None = None) -> list[tuple[int, int]]:
    """Maximal runs of ops (as half-open ranges of op positions) where only ``side`` (0 or 1) is present;
    a single op between two such ops for which ``bridge(position)`` holds does not end a run."""
    alone = _missing(ops, 1 - side)
    runs = []
    start = prev = -2
    for n in alone:
        if n == prev + 1 or (n == prev + 2 and bridge is not None and bridge(prev + 1)):
            prev = n
            continue
        if start >= 0:
            runs.append((start, prev + 1))
        start = prev = n
    if start >= 0:
        runs.append((start, prev + 1))
    return runs


def _find_moves(
    old: list[_Column],
    merged: list[_Column],
    ops: list,
    b: Sequence[int],
    scorer: Scorer,
    options: Options,
    at: list[int] | None = None,
) -> list[tuple[list[_Column], list[_Column], list[tuple[_Column, _Column]]]]:
    """Link runs of the new witness that found no column with runs of columns it lacks, nearby.

    Distances are counted in ops, or in ``at`` (``_positions``) when given."""
    punct = scorer.punct
    pos = at.__getitem__ if at is not None else (lambda n: n)
    # A punctuation mark that found a column inside a passage (a stray comma paired with the comma of the
    # passage that moved away) does not cut the passage in two.
    def stray_mark(n: int) -> bool:
        i, j = ops[n]
        return i is not None and j is not None and punct[b[j]]

    added = _runs(ops, 1, stray_mark)  # the new witness alone: ops (None, j)
    dropped = _runs(ops, 0, stray_mark)  # the table alone: ops (i, None)
    if not added or not dropped:
        return []
    found = []
    # Columns already linked to a move. Several passages may come out of one run the witness lacks (two
    # moves side by side), so a run stays available for what is left of it.
    used: set[int] = set()
    dropped_starts = [pos(d[0]) for d in dropped]
    # Filled on first use: the run's columns, its words, their forms, and how many columns hold each form.
    dropped_cols: dict[int, tuple[list[int], int, set[int], Counter[int] | None]] = {}
    # A run the witness alone has may hold more than one passage (its own move beside another witness's
    # move back): what is left of a run on either side of a linked passage is searched again.
    pending = list(reversed(added))
    while pending:
        a_start, a_end = pending.pop()
        tokens = [ops[n][1] for n in range(a_start, a_end)]
        token_ids = [b[j] for j in tokens]
        words = sum(1 for t in token_ids if not punct[t])
        if words == 0:
            continue
        token_set = set(token_ids)
        token_counts: Counter[int] | None = None
        # A single word may only swap with a neighbour; a passage may reach max_move tokens.
        reach = options.max_move if words >= options.min_move_words else options.local_swap
        best = None
        p_start, p_end = pos(a_start), pos(a_end)
        lo = bisect_left(dropped_starts, p_start - reach - (p_end - p_start) - 1)
        for d_index in range(max(0, lo - 1), len(dropped)):
            d_start, d_end = dropped[d_index]
            q_start, q_end = pos(d_start), pos(d_end)
            if q_start > p_end + reach:
                break
            distance = q_start - p_end if d_start >= a_end else max(0, p_start - q_end)
            if distance > reach:
                continue
            info = dropped_cols.get(d_index)
            if info is None:
                cols = [ops[n][0] for n in range(d_start, d_end) if ops[n][0] not in used]
                word_cols = [i for i in cols if not punct[old[i].key]]
                forms = {f for i in word_cols for f in old[i].forms}
                info = dropped_cols[d_index] = (cols, len(word_cols), forms, None)
            cols, d_words, d_forms, d_counts = info
            if d_words == 0 or (d_words < options.min_move_words and distance > options.local_swap):
                continue
            need = max(1, (min(words, d_words) + 1) // 2)
            # Cheap test first: a move shares at least one exact word (near matches only add to it).
            shared = len(token_set & d_forms)
            if shared == 0 or (scorer.near is None and shared < need):
                continue
            # Two thirds of a passage's agreeing words agree exactly (``_passages``), and each exact pair takes
            # a column holding the token's form: a run with too few such columns cannot pass, and is not
            # aligned (with hundreds of witnesses most runs nearby are other witnesses' additions).
            if d_counts is None:
                d_counts = Counter(f for i in cols for f in old[i].forms)
                dropped_cols[d_index] = (cols, d_words, d_forms, d_counts)
            if token_counts is None:
                token_counts = Counter(t for t in token_ids if not punct[t])
            if 3 * sum(min(n, d_counts[f]) for f, n in token_counts.items() if f in d_counts) < 2 * need:
                continue
            pairs = []
            hits = []  # indices into ``pairs`` of word pairs that agree (exactly or nearly)
            exact_at: set[int] = set()  # those of them that agree exactly
            for i, j in align([old[i].forms for i in cols], [old[i].key for i in cols], token_ids, scorer):
                if i is None or j is None:
                    continue
                score = scorer.column(old[cols[i]].forms, token_ids[j])
                if score == NEVER:
                    continue
                if score > 0 and not punct[token_ids[j]]:
                    hits.append(len(pairs))
                    if token_ids[j] in old[cols[i]].forms:
                        exact_at.add(len(pairs))
                pairs.append((i, j))
            matched = len(hits)
            far = distance > options.local_swap
            if matched < need or (matched < options.min_move_words and far):
                continue
            pieces = _passages(pairs, hits, exact_at, cols, old, token_ids, punct, need=need, far=far, options=options)
            if not pieces:
                continue
            rank = (sum(m for _, _, m, _ in pieces), sum(e for _, _, _, e in pieces), -distance)
            if best is None or rank > best[0]:
                best = (rank, d_index, cols, [pairs[first : last + 1] for first, last, _, _ in pieces])
        if best is None:
            continue
        _, d_index, cols, pieces = best
        dropped_cols.pop(d_index)
        # Each op made one entry of ``merged``: the column of ``tokens[j]`` is ``merged[a_start + j]``.
        new_columns = merged[a_start:a_end]
        # What is left of the run on either side of each linked passage is searched again, when it is long
        # enough to hold a passage of its own.
        rest, left = [], 0
        for piece in pieces:
            (i_first, j_first), (i_last, j_last) = piece[0], piece[-1]
            used.update(cols[i_first : i_last + 1])
            found.append(
                (
                    [old[i] for i in cols[i_first : i_last + 1]],
                    new_columns[j_first : j_last + 1],
                    [(old[cols[i]], new_columns[j]) for i, j in piece],
                )
            )
            rest.append((left, j_first))
            left = j_last + 1
        rest.append((left, len(tokens)))
        for r_start, r_end in reversed(rest):
            if sum(1 for t in token_ids[r_start:r_end] if not punct[t]) >= options.min_move_words:
                pending.append((a_start + r_start, a_start + r_end))
    return found


def _interposed(
    a: tuple[int, int], b: tuple[int, int], cols: list[int], old: list[_Column], token_ids: list[int],
    punct: Sequence[bool], least: int,
) -> bool:
    """Whether at least ``least`` words stand between two consecutive linked pairs, on either side."""
    return max(_words(cols, old, token_ids, punct, a[0] + 1, b[0], a[1] + 1, b[1])) >= least


def _words(
    cols: list[int], old: list[_Column], token_ids: list[int], punct: Sequence[bool], i0: int, i1: int, j0: int, j1: int
) -> tuple[int, int]:
    """Words in the columns ``cols[i0:i1]`` and in the tokens ``token_ids[j0:j1]``."""
    return (
        sum(1 for i in cols[i0:i1] if not punct[old[i].key]),
        sum(1 for t in token_ids[j0:j1] if not punct[t]),
    )


def _passages(
    pairs: list[tuple[int, int]],
    hits: list[int],
    exact_at: set[int],
    cols: list[int],
    old: list[_Column],
    token_ids: list[int],
    punct: Sequence[bool],
    *,
    need: int,
    far: bool,
    options: Options,
) -> list[tuple[int, int, int, int]]:
    """The moved passages among the pairs of a candidate: ``(first, last, matched, exact)`` per passage,
    ``first``/``last`` indices into ``pairs``.

    A passage is a stretch from one agreeing pair to another; within it most words must agree, or two
    unrelated runs that share an "of" would be linked, and most agreements must be exact, since near
    matches between unrelated words are cheap. A stretch is cut where at least ``min_move_words`` words of
    one side stand between two pairs (another witness's move that landed there, or words one side added):
    each part must then pass on its own, and the parts that pass must hold ``need`` agreeing words together.
    """
    least = options.min_move_words
    groups: list[list[int]] = [[hits[0]]]
    for h in hits[1:]:
        if _interposed(pairs[groups[-1][-1]], pairs[h], cols, old, token_ids, punct, least):
            groups.append([h])
        else:
            groups[-1].append(h)
    found = []
    for group in groups:
        matched = len(group)
        exact = sum(1 for h in group if h in exact_at)
        if matched < least and (far or len(groups) > 1):
            continue
        (i0, j0), (i1, j1) = pairs[group[0]], pairs[group[-1]]
        if matched * 2 < max(_words(cols, old, token_ids, punct, i0, i1 + 1, j0, j1 + 1)) or exact * 3 < matched * 2:
            continue
        first, last = group[0], group[-1]
        if matched >= least:  # a passage, not a swapped word: its misread edge words come along
            first, last = _widen(pairs, first, last, token_ids, punct)
        found.append((first, last, matched, exact))
    return found if sum(m for _, _, m, _ in found) >= need else []


def _widen(
    pairs: list[tuple[int, int]], first: int, last: int, token_ids: list[int], punct: Sequence[bool], reach: int = 2
) -> tuple[int, int]:
    """The stretch of ``pairs`` from ``first`` to ``last``, widened by up to ``reach`` pairs at each end that
    continue it without a gap on either side: a moved passage whose first or last word was misread or
    replaced still carries that word along."""

    def continues(a: tuple[int, int], b: tuple[int, int], added: tuple[int, int]) -> bool:
        return b[0] - a[0] == 1 and b[1] - a[1] == 1 and not punct[token_ids[added[1]]]

    for _ in range(reach):
        if first > 0 and continues(pairs[first - 1], pairs[first], pairs[first - 1]):
            first -= 1
    for _ in range(reach):
        if last + 1 < len(pairs) and continues(pairs[last], pairs[last + 1], pairs[last + 1]):
            last += 1
    return first, last
