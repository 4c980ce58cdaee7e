"""Pairwise alignment of a sequence of columns with a sequence of tokens, at book scale.

Offers:
    Scorer                    how two token ids compare: exact, near (OCR slips), substitution, never
    Op                        one step of an alignment: ``(i, j)``, ``(i, None)`` or ``(None, j)``
    align(forms, keys, b, scorer)  the alignment of columns ``forms``/``keys`` with token ids ``b``
    with_gaps(pairs, na, nb)  the ops of matched pairs, with the unmatched columns and tokens between

The aligner works on integer ids, never on text or markup. It never builds a matrix over a whole text:

1. common prefix and suffix are matched directly;
2. ids that occur exactly once on each side of the window are anchor candidates; their longest increasing
   chain (patience diff) splits the window into smaller ones, recursively;
3. a window without anchors is aligned by RapidFuzz's Indel opcodes (C++, bit-parallel) into blocks;
4. only small windows (at most ``DP_CELLS`` cells) get the full dynamic programme, which scores near
   matches and substitutions and never puts a word and a punctuation mark in one column.

Unique anchors are what a critic would pin first ("rare words agree"); the chain discards those that
cross it, which is how moved passages show up as unmatched runs that ``graph`` later links back.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections import Counter
from itertools import compress
from typing import Sequence

from rapidfuzz.distance import Indel, Levenshtein

__all__ = ["Scorer", "Op", "align", "with_gaps", "spelt_otherwise", "DP_CELLS"]

Op = tuple[int | None, int | None]

# Largest window (rows × columns) aligned by the full dynamic programme. Windows between anchors are
# almost always far smaller; the bound keeps a pathological window from costing quadratic time in Python.
DP_CELLS = 1024
# Windows this small go straight to the dynamic programme, without looking for anchors first.
SMALL_CELLS = 16
# A chain block whose offset is this far from the median of the SPIKE_SPAN blocks on either side is
# taken for a leap to another copy of a repeated passage, not an anchor (well beyond any move's reach).
SPIKE_OFFSET = 400
SPIKE_SPAN = 4
# A window without anchors is matched by one LCS up to this many cells, beyond that chunk by chunk.
INDEL_CELLS = 4_000_000
CHUNK = 1500
# Seeds for a window without unique ids: ids seen equally often on both sides, at most this often.
MAX_REPEAT = 8

EXACT = 2.0
EXACT_PUNCT = 1.0
NEAR_BASE = 0.5  # a near match scores NEAR_BASE + similarity, between substitution and exact
SUBSTITUTION = -1.0  # better than two gaps: a replaced word shares its column with the original
GAP_OPEN = -1.0
GAP_EXTEND = -0.35
NEVER = float("-inf")
EARLY_BONUS = 0.01  # far below any real difference in score: it only breaks ties


class Scorer:
    """Compares token ids. ``norms[id]`` is the normalised form, ``punct[id]`` whether it is punctuation.

    A near match is a word pair whose Levenshtein similarity reaches ``near`` (and both have at least
    ``min_near_length`` characters): ``tbe``/``the`` (0.67), ``Men-sheviks``/``Mensheviks`` (0.91). Two
    words of two letters that differ in one of them are near too (``0f``/``of``, ``wc``/``we``): OCR slips
    on the shortest words are as common as on long ones, and one letter is all a two-letter word can lose.
    """

    __slots__ = ("norms", "punct", "near", "min_near_length", "_cache")

    def __init__(
        self, norms: Sequence[str], punct: Sequence[bool], *, near: float | None = 0.6, min_near_length: int = 3
    ) -> None:
        self.norms = norms
        self.punct = punct
        self.near = near
        self.min_near_length = min_near_length
        self._cache: dict[tuple[int, int], float] = {}

    def pair(self, a: int, b: int) -> float:
        """Score of ``a`` and ``b`` in one column."""
        if a == b:
            return EXACT_PUNCT if self.punct[a] else EXACT
        pa, pb = self.punct[a], self.punct[b]
        if pa != pb:
            return NEVER
        if pa:
            return SUBSTITUTION
        key = (a, b) if a < b else (b, a)
        score = self._cache.get(key)
        if score is None:
            score = SUBSTITUTION
            if self.near is not None:
                na, nb = self.norms[a], self.norms[b]
                if min(len(na), len(nb)) >= self.min_near_length:
                    sim = Levenshtein.normalized_similarity(na, nb)
                    if sim >= self.near:
                        score = NEAR_BASE + sim
                elif len(na) == len(nb) == 2 and (na[0] == nb[0]) != (na[1] == nb[1]):
                    score = NEAR_BASE + 0.5
            self._cache[key] = score
        return score

    def column(self, forms: tuple[int, ...], b: int) -> float:
        """Score of token ``b`` joining a column whose tokens have ids ``forms`` (the best of them)."""
        if b in forms:
            return EXACT_PUNCT if self.punct[b] else EXACT
        if len(forms) == 1:
            return self.pair(forms[0], b)
        return max(self.pair(a, b) for a in forms)


def align(
    forms: Sequence[tuple[int, ...]],
    keys: Sequence[int],
    b: Sequence[int],
    scorer: Scorer,
    *,
    max_move: int = 0,
    support: Sequence[int] | None = None,
) -> list[Op]:
    """Align columns (``forms[i]`` the ids in column ``i``, ``keys[i]`` its majority id) with ids ``b``.

    Returns every column index and every token index exactly once, both in increasing order, as ops
    ``(i, j)`` (same column), ``(i, None)`` (the token sequence has nothing here) or ``(None, j)``.

    With ``max_move`` > 0, exact blocks of two or more tokens that cross the anchor chain less than
    ``max_move`` tokens away are taken for moved passages: they are left out of the alignment (as gaps on
    both sides) instead of being forced into it, so they cannot drag the words around them out of place.

    ``support[i]``, when given, is how many witnesses stand in column ``i``. A word the table holds in
    several columns (the column most witnesses read, and a copy one witness moved or added elsewhere) is
    then still an anchor, at the column that outweighs all the others (``_dominant``).
    """
    runs: list[tuple[int, int, int]] = []  # (i, j, length): columns i… pair with tokens j…, one by one
    stack = [(0, len(keys), 0, len(b))]
    punct = scorer.punct
    moved_a: set[int] = set()
    moved_b: set[int] = set()
    while stack:
        a_lo, a_hi, b_lo, b_hi = stack.pop()
        # Common suffix, then prefix: exact agreement needs no search. The suffix goes first so that the
        # gap of an ambiguous repeat lands early (``i ! K ! q`` / ``i ! q``: the gap is ``! K``), the same
        # convention the dynamic programme's traceback follows; every witness then gets the same answer.
        n = 0
        while (
            a_lo < a_hi - n
            and b_lo < b_hi - n
            and keys[a_hi - n - 1] == b[b_hi - n - 1]
            and a_hi - n - 1 not in moved_a
            and b_hi - n - 1 not in moved_b
        ):
            n += 1
        if n:
            a_hi -= n
            b_hi -= n
            runs.append((a_hi, b_hi, n))
        n = 0
        while (
            a_lo + n < a_hi
            and b_lo + n < b_hi
            and keys[a_lo + n] == b[b_lo + n]
            and a_lo + n not in moved_a
            and b_lo + n not in moved_b
        ):
            n += 1
        if n:
            runs.append((a_lo, b_lo, n))
            a_lo += n
            b_lo += n
        na, nb = a_hi - a_lo, b_hi - b_lo
        if na == 0 or nb == 0:
            continue
        if na * nb <= SMALL_CELLS:
            ia, ib = _free(a_lo, a_hi, moved_a), _free(b_lo, b_hi, moved_b)
            runs.extend((i, j, 1) for i, j in _dp(forms, b, ia, ib, scorer))
            continue
        chain, crossing = _anchor_chain(keys, b, a_lo, a_hi, b_lo, b_hi, punct, moved_a, moved_b, scorer, support)
        if max_move and crossing:
            _mark_moves(chain, crossing, max_move, moved_a, moved_b)
        if not chain:
            ia, ib = _free(a_lo, a_hi, moved_a), _free(b_lo, b_hi, moved_b)
            if len(ia) * len(ib) <= DP_CELLS:
                runs.extend((i, j, 1) for i, j in _dp(forms, b, ia, ib, scorer))
                continue
            chain = [(i, j, 1) for i, j in _indel_blocks(keys, b, a_lo, a_hi, b_lo, b_hi)]
        if not chain:
            # Nothing in common at all: pair position by position along the diagonal (substitutions),
            # which is what a long window of unrelated text between two anchors is.
            runs.extend(_diagonal(forms, b, a_lo, a_hi, b_lo, b_hi, scorer))
            continue
        prev_a, prev_b = a_lo, b_lo
        for i, j, length in chain:
            runs.append((i, j, length))
            if i > prev_a or j > prev_b:
                stack.append((prev_a, i, prev_b, j))
            prev_a, prev_b = i + length, j + length
        if prev_a < a_hi or prev_b < b_hi:
            stack.append((prev_a, a_hi, prev_b, b_hi))
    runs.sort()
    return _ops(runs, len(keys), len(b))


def _free(lo: int, hi: int, moved: set[int]) -> list[int]:
    if not moved:
        return list(range(lo, hi))
    return [k for k in range(lo, hi) if k not in moved]


def _mark_moves(
    chain: list[tuple[int, int, int]],
    crossing: list[tuple[int, int, int]],
    max_move: int,
    moved_a: set[int],
    moved_b: set[int],
) -> None:
    """Mark blocks off the chain (its blocks ``(i, j, length)``) that really cross it, within ``max_move``,
    as moved.

    A block can be off the chain only because it overlaps a chain block by a token or two (a shared
    comma); what is left of it once the chain's tokens are taken out may still fit between two anchors,
    and then it is no move at all: the recursion aligns it in its window. Only a remainder of two tokens
    or more that cannot fit counts.
    """
    if not chain:
        return
    starts_a = [i for i, _, _ in chain]
    starts_b = [j for _, j, _ in chain]  # the chain rises on both sides: both lists are sorted
    for i0, j0, length in crossing:
        run: list[int] = []
        for k in range(length + 1):
            free = k < length and not _on_chain(chain, starts_a, i0 + k) and not _on_chain(chain, starts_b, j0 + k)
            if free:
                run.append(k)
                continue
            if len(run) >= 2:
                _mark_if_crossing(chain, starts_a, i0 + run[0], j0 + run[0], len(run), max_move, moved_a, moved_b)
            run = []


def _on_chain(chain: list[tuple[int, int, int]], starts: list[int], x: int) -> bool:
    """Whether position ``x`` of one side lies in a chain block (``starts``: the blocks' starts on that side)."""
    q = bisect_right(starts, x) - 1
    return q >= 0 and x < starts[q] + chain[q][2]


def _mark_if_crossing(
    chain: list[tuple[int, int, int]],
    starts_a: list[int],
    i0: int,
    j0: int,
    length: int,
    max_move: int,
    moved_a: set[int],
    moved_b: set[int],
) -> None:
    # ``i0`` lies off the chain: the chain's last pair before it ends the block before, its first pair after
    # it starts the next block.
    q = bisect_left(starts_a, i0)
    before = (chain[q - 1][0] + chain[q - 1][2] - 1, chain[q - 1][1] + chain[q - 1][2] - 1) if q > 0 else None
    after = chain[q][:2] if q < len(chain) else None
    fits = (before is None or before[1] < j0) and (after is None or after[1] >= j0 + length)
    if fits:
        return
    shift = min(abs((i0 - j0) - (c[0] - c[1])) for c in (before, after) if c is not None)
    if shift <= max_move:
        moved_a.update(range(i0, i0 + length))
        moved_b.update(range(j0, j0 + length))


def spelt_otherwise(a: str, b: str) -> bool:
    """Whether two forms are one word spelt otherwise, not another word: both at least
    ``SPELLING_LENGTH`` letters long and a Levenshtein similarity of at least ``SPELLING``
    (``disappointed`` / ``dissapointed`` 0.83, ``honourable`` / ``honorable`` 0.9). A moved word is linked
    to its move so (``graph``), and a reordered entry takes such words for the same (``variants``)."""
    return min(len(a), len(b)) >= SPELLING_LENGTH and Levenshtein.normalized_similarity(a, b) >= SPELLING


SPELLING = 0.8
SPELLING_LENGTH = 5


def with_gaps(pairs: list[tuple[int, int]], na: int, nb: int) -> list[Op]:
    """Interleave unmatched columns and tokens between matched pairs: columns first, then tokens."""
    return _ops([(i, j, 1) for i, j in pairs], na, nb)


def _ops(runs: list[tuple[int, int, int]], na: int, nb: int) -> list[Op]:
    """``with_gaps`` for runs of matched pairs ``(i, j, length)``, in order and apart from one another."""
    ops: list[Op] = []
    append = ops.append
    i = j = 0
    for ri, rj, length in runs:
        while i < ri:
            append((i, None))
            i += 1
        while j < rj:
            append((None, j))
            j += 1
        if length == 1:
            append((ri, rj))
        else:
            ops.extend(zip(range(ri, ri + length), range(rj, rj + length)))
        i, j = ri + length, rj + length
    while i < na:
        append((i, None))
        i += 1
    while j < nb:
        append((None, j))
        j += 1
    return ops


def _anchor_chain(
    keys: Sequence[int],
    b: Sequence[int],
    a_lo: int,
    a_hi: int,
    b_lo: int,
    b_hi: int,
    punct: Sequence[bool],
    moved_a: set[int],
    moved_b: set[int],
    scorer: "Scorer | None" = None,
    support: Sequence[int] | None = None,
) -> tuple[list[tuple[int, int, int]], list[tuple[int, int, int]]]:
    """The heaviest non-crossing chain of exact blocks seeded by ids unique on both sides of the window.

    Each unique id (never punctuation) is grown into the maximal run of equal keys around it; the chain of
    blocks that covers most tokens wins. Weighing blocks by length is what makes ``and by other competent
    judges as the descendants`` beat three scattered words of a similar phrase nearby. Returns the chain's
    blocks and the blocks left off it, which may be moved passages, each as ``(i, j, length)``.
    """
    window_a = keys[a_lo:a_hi]
    window_b = b[b_lo:b_hi]
    count_a = Counter(window_a)
    count_b = Counter(window_b)
    # Seeds: ids unique on both sides. A window with none (a text that repeats itself) falls back to ids
    # that occur equally often on both sides, a few times at most, paired occurrence by occurrence.
    # With the columns' support known, an id unique in the tokens but held by several columns seeds at
    # the one column that outweighs the others (``only``): the others are skipped.
    only: dict[int, int] = {}
    if support is not None:
        only = _dominant(keys, support, a_lo, a_hi, count_a, count_b, b, b_lo, b_hi, punct)
    for limit in (1, MAX_REPEAT):
        wanted = {
            t
            for t, n in count_b.items()
            if n <= limit and (count_a.get(t) == n or (n == 1 and t in only)) and not punct[t]
        }
        # The positions of wanted ids, picked out at C speed: a window can be a whole text.
        at = compress(range(b_lo, b_hi), map(wanted.__contains__, window_b))
        if limit == 1:
            seeds = {b[j]: [j] for j in at if j not in moved_b}
        else:
            seeds = {}
            for j in at:
                if j not in moved_b:
                    seeds.setdefault(b[j], []).append(j)
        if seeds:
            break
        only = {}
    else:
        return [], []
    blocks: list[tuple[int, int, int]] = []  # (i_start, j_start, length)
    covered_until = -1
    seen: dict[int, int] = {}  # per seed id, how many of its occurrences in ``keys`` were met
    # A seed id that stands once in ``b`` and lies inside the block just grown lies on that block's
    # diagonal (its one occurrence in ``b`` is the one the block pairs it with): nothing to grow there.
    once = limit == 1
    for i in list(compress(range(a_lo, a_hi), map(seeds.__contains__, window_a))):
        if once and i < covered_until:
            continue
        t = keys[i]
        if t in only and only[t] != i:
            continue
        occurrences = seeds[t]
        k = seen.get(t, 0)
        seen[t] = k + 1
        if k >= len(occurrences):
            continue
        j = occurrences[k]
        if i in moved_a or i < covered_until and i - blocks[-1][0] == j - blocks[-1][1]:
            continue
        i0, j0 = i, j
        while i0 > a_lo and j0 > b_lo and keys[i0 - 1] == b[j0 - 1] and i0 - 1 not in moved_a and j0 - 1 not in moved_b:
            i0 -= 1
            j0 -= 1
        i1, j1 = i + 1, j + 1
        while i1 < a_hi and j1 < b_hi and keys[i1] == b[j1] and i1 not in moved_a and j1 not in moved_b:
            i1 += 1
            j1 += 1
        blocks.append((i0, j0, i1 - i0))
        covered_until = i1
    chain = _drop_spikes(_heaviest_chain(blocks, b_lo, b_hi))
    misread: set[tuple[int, int, int]] = set()
    if scorer is not None and scorer.near is not None:
        chain, misread = _drop_misreadings(chain, keys, b, a_lo, a_hi, b_lo, b_hi, scorer)
    on_chain = set(chain)
    crossing = [block for block in set(blocks) if block not in on_chain and block not in misread]
    return chain, crossing


# A column seeds an anchor for a word the table holds in several columns when its support is at least this
# many times that of all the other columns of the word together.
DOMINANCE = 3


def _dominant(
    keys: Sequence[int],
    support: Sequence[int],
    a_lo: int,
    a_hi: int,
    count_a: Counter[int],
    count_b: Counter[int],
    b: Sequence[int],
    b_lo: int,
    b_hi: int,
    punct: Sequence[bool],
) -> dict[int, int]:
    """For each word once in the tokens and in several columns of the window: the column whose support is
    at least ``DOMINANCE`` times that of the others together, if there is one.

    With many witnesses the table holds most words more than once: the column the witnesses read, and the
    copies of the few that moved a passage or added the word elsewhere. Unique anchors would then vanish
    and each new witness would be aligned by a plain LCS that may pair it with any copy."""
    wanted = {t for t, n in count_a.items() if n > 1 and count_b.get(t) == 1 and not punct[t]}
    if not wanted:
        return {}
    best: dict[int, tuple[int, int]] = {}  # id -> (support, column)
    total: Counter[int] = Counter()
    for i in range(a_lo, a_hi):
        t = keys[i]
        if t in wanted:
            s = support[i]
            total[t] += s
            if t not in best or s > best[t][0]:
                best[t] = (s, i)
    return {t: i for t, (s, i) in best.items() if s >= DOMINANCE * (total[t] - s)}


def _drop_misreadings(
    chain: list[tuple[int, int, int]],
    keys: Sequence[int],
    b: Sequence[int],
    a_lo: int,
    a_hi: int,
    b_lo: int,
    b_hi: int,
    scorer: Scorer,
    short: int = 4,
) -> tuple[list[tuple[int, int, int]], set[tuple[int, int, int]]]:
    """Drop short chain blocks that pair two copies of a repeated phrase because one word was misread.

    ``History showed that`` printed twice, read ``Hisfory`` in the first copy by one witness and in the
    second by the other: ``hisfory`` is then a word unique to both sides, and its block pairs the wrong
    copies. Such a block leaves the diagonal its neighbours agree on, while on that diagonal every one of
    its words has an equal or near partner. It is dropped, and not taken for a moved passage either."""
    if len(chain) < 3:
        return chain, set()
    kept = [chain[0]]
    dropped: set[tuple[int, int, int]] = set()
    for k in range(1, len(chain) - 1):
        block = chain[k]
        i0, j0, length = block
        before, after = kept[-1], chain[k + 1]
        offset = before[0] - before[1]
        if (
            length <= short
            and after[0] - after[1] == offset
            and i0 - j0 != offset
            and all(
                a_lo <= i < a_hi
                and b_lo <= i - offset < b_hi
                and scorer.pair(keys[i], b[i - offset]) > 0
                for i in range(i0, i0 + length)
            )
        ):
            dropped.add(block)
            continue
        kept.append(block)
    kept.append(chain[-1])
    return kept, dropped


def _drop_spikes(chain: list[tuple[int, int, int]]) -> list[tuple[int, int, int]]:
    """Drop chain blocks that leap far off the diagonal their neighbours keep.

    In a text that repeats itself (a collected works with its table of contents, six editions of one
    chapter read in one file) a long block can pair a passage with another copy of itself thousands of
    tokens away; taken on the chain it would skew every window after it. Such a block's offset (``i - j``)
    stands far from the median offset of the blocks around it, while a true anchor's drifts slowly. Where
    one witness has a long passage the other lacks, the offset jumps once, and the block on either side of
    the jump may be dropped too: its tokens are then aligned in the window between the anchors kept.
    """
    if len(chain) < 3:
        return chain
    offsets = [i - j for i, j, _ in chain]
    kept = []
    for k, (block, offset) in enumerate(zip(chain, offsets)):
        around = sorted(offsets[max(0, k - SPIKE_SPAN) : k] + offsets[k + 1 : k + 1 + SPIKE_SPAN])
        if abs(offset - around[len(around) // 2]) <= SPIKE_OFFSET:
            kept.append(block)
    return kept


def _heaviest_chain(blocks: list[tuple[int, int, int]], b_lo: int, b_hi: int) -> list[tuple[int, int, int]]:
    """Blocks that follow one another on both sides, covering the most tokens (sweep + Fenwick tree)."""
    blocks = sorted(set(blocks))
    # Most windows' blocks already follow one another on both sides: then they are the chain.
    if all(i1 >= i0 + n and j1 >= j0 + n for (i0, j0, n), (i1, j1, _) in zip(blocks, blocks[1:])):
        return blocks
    size = b_hi - b_lo + 1
    tree_value = [0] * (size + 1)
    tree_block = [-1] * (size + 1)
    best = [0] * len(blocks)
    back = [-1] * len(blocks)
    by_end = sorted(range(len(blocks)), key=[i0 + length for i0, _, length in blocks].__getitem__)
    pending = 0
    for n, (i0, j0, length) in enumerate(blocks):
        # Make every block that ends at or before i0 available, keyed by where it ends in b.
        while pending < len(by_end) and blocks[by_end[pending]][0] + blocks[by_end[pending]][2] <= i0:
            m = by_end[pending]
            pending += 1
            if best[m] == 0:
                continue  # not yet scored: it starts after i0, impossible since it ends before
            k = blocks[m][1] + blocks[m][2] - b_lo
            while k <= size:
                if best[m] > tree_value[k]:
                    tree_value[k] = best[m]
                    tree_block[k] = m
                k += k & -k
        # Best chain ending at or before j0.
        k = j0 - b_lo
        value, prev = 0, -1
        while k > 0:
            if tree_value[k] > value:
                value, prev = tree_value[k], tree_block[k]
            k -= k & -k
        best[n] = value + length
        back[n] = prev
    if not blocks:
        return []
    n = best.index(max(best))  # the first of the heaviest
    chain = []
    while n >= 0:
        chain.append(blocks[n])
        n = back[n]
    chain.reverse()
    return chain


def _indel_blocks(
    keys: Sequence[int], b: Sequence[int], a_lo: int, a_hi: int, b_lo: int, b_hi: int
) -> list[tuple[int, int]]:
    """Matched pairs of an LCS over the window's keys (RapidFuzz, C++): the anchors of a repetitive window.

    A window too large for one LCS (no rare word in a long stretch of text) is walked in chunks of
    ``CHUNK`` tokens along its diagonal: each chunk keeps the matches of its first half and the next chunk
    starts after the last of them, so cost and memory stay linear in the window's length.
    """
    if (a_hi - a_lo) * (b_hi - b_lo) <= INDEL_CELLS:
        return _lcs_pairs(keys, b, a_lo, a_hi, b_lo, b_hi)
    pairs: list[tuple[int, int]] = []
    i, j = a_lo, b_lo
    while i < a_hi and j < b_hi:
        # Keep the chunk on the window's diagonal: its sides in the proportion of what is left.
        left_a, left_b = a_hi - i, b_hi - j
        size_a = min(left_a, max(CHUNK, CHUNK * left_a // max(1, left_b)))
        size_b = min(left_b, max(CHUNK, CHUNK * left_b // max(1, left_a)))
        found = _lcs_pairs(keys, b, i, i + size_a, j, j + size_b)
        if size_a == left_a and size_b == left_b:
            pairs.extend(found)
            break
        kept = [(x, y) for x, y in found if x < i + size_a // 2 and y < j + size_b // 2]
        if kept:
            pairs.extend(kept)
            i, j = kept[-1][0] + 1, kept[-1][1] + 1
        else:
            i, j = i + size_a // 2, j + size_b // 2
    return pairs


def _lcs_pairs(
    keys: Sequence[int], b: Sequence[int], a_lo: int, a_hi: int, b_lo: int, b_hi: int
) -> list[tuple[int, int]]:
    pairs = []
    for tag, i1, i2, j1, j2 in Indel.opcodes(keys[a_lo:a_hi], b[b_lo:b_hi]):
        if tag == "equal":
            pairs.extend((a_lo + i1 + k, b_lo + j1 + k) for k in range(i2 - i1))
    return pairs


def _diagonal(
    forms: Sequence[tuple[int, ...]], b: Sequence[int], a_lo: int, a_hi: int, b_lo: int, b_hi: int, scorer: Scorer
) -> list[tuple[int, int, int]]:
    """Position-by-position pairs, as runs ``(i, j, length)``: a run breaks where a word meets a punctuation
    mark (they never share a column)."""
    runs = []
    start = 0
    n = min(a_hi - a_lo, b_hi - b_lo)
    for k in range(n + 1):
        if k < n and scorer.column(forms[a_lo + k], b[b_lo + k]) != NEVER:
            continue
        if k > start:
            runs.append((a_lo + start, b_lo + start, k - start))
        start = k + 1
    return runs


def _dp(
    forms: Sequence[tuple[int, ...]], b: Sequence[int], ia: list[int], ib: list[int], scorer: Scorer
) -> list[tuple[int, int]]:
    """Gotoh's affine-gap alignment over a small window; returns the pairs sharing a column.

    A run of gaps costs ``GAP_OPEN + length * GAP_EXTEND``: an inserted passage is one event, not a string
    of independent ones, so its words are not scattered across the columns of a neighbouring reading.
    Ties between exact matches go to the pair, traced back from the end of the window, so a gap lands as
    early as it can (as the suffix-first trimming in ``align`` has it). A pair that is not an exact match
    earns a tiny bonus the nearer it stands to the start of the window, so that an unmatched word pairs
    with the first free word after the last agreement (``This very quick`` / ``That``: ``This`` and
    ``That`` share the column), as a printed apparatus reads.
    """
    na, nb = len(ia), len(ib)
    if na == 0 or nb == 0:
        return []
    if na == nb == 1:
        # What the programme below gives for one column and one token (most windows): they share the
        # column unless they never can (a word and a punctuation mark); any score beats two gaps.
        return [] if scorer.column(forms[ia[0]], b[ib[0]]) == NEVER else [(ia[0], ib[0])]
    bs = [b[j] for j in ib]
    column = scorer.column
    late_y = [EARLY_BONUS * y / (nb + 1) for y in range(nb + 1)]
    inf = NEVER
    op, ex = GAP_OPEN, GAP_EXTEND
    # Three states per cell: M (pair), X (column alone), Y (token alone); rows are kept for traceback.
    m_prev = [0.0] + [inf] * nb
    x_prev = [inf] * (nb + 1)
    y_prev = [inf] + [op + ex * y for y in range(1, nb + 1)]
    back_m: list[list[int]] = []
    back_x: list[list[int]] = []
    back_y: list[list[int]] = []
    for x in range(1, na + 1):
        f = forms[ia[x - 1]]
        early = EARLY_BONUS * (1.0 - x / (na + 1))
        m_cur = [inf] * (nb + 1)
        x_cur = [inf] * (nb + 1)
        y_cur = [inf] * (nb + 1)
        bm = [0] * (nb + 1)
        bx = [1] * (nb + 1)
        by = [2] * (nb + 1)
        x_cur[0] = op + ex * x
        for y in range(1, nb + 1):
            # M: pair column x with token y, coming from any state at (x-1, y-1).
            pm, px, py = m_prev[y - 1], x_prev[y - 1], y_prev[y - 1]
            if pm >= px and pm >= py:
                best, k = pm, 0
            elif px >= py:
                best, k = px, 1
            else:
                best, k = py, 2
            t = bs[y - 1]
            m_cur[y] = best + (column(f, t) if t in f else column(f, t) + early - late_y[y])
            bm[y] = k
            # X: column x alone, from (x-1, y).
            pm, px, py = m_prev[y] + op, x_prev[y], y_prev[y] + op
            if pm >= px and pm >= py:
                best, k = pm, 0
            elif px >= py:
                best, k = px, 1
            else:
                best, k = py, 2
            x_cur[y] = best + ex
            bx[y] = k
            # Y: token y alone, from (x, y-1).
            pm, px, py = m_cur[y - 1] + op, x_cur[y - 1] + op, y_cur[y - 1]
            if pm >= px and pm >= py:
                best, k = pm, 0
            elif py >= px:
                best, k = py, 2
            else:
                best, k = px, 1
            y_cur[y] = best + ex
            by[y] = k
        back_m.append(bm)
        back_x.append(bx)
        back_y.append(by)
        m_prev, x_prev, y_prev = m_cur, x_cur, y_cur
    final = (m_prev[nb], x_prev[nb], y_prev[nb])
    state = 0 if final[0] >= final[1] and final[0] >= final[2] else (1 if final[1] >= final[2] else 2)
    pairs = []
    x, y = na, nb
    while x > 0 and y > 0:
        if state == 0:
            state = back_m[x - 1][y]
            pairs.append((ia[x - 1], ib[y - 1]))
            x -= 1
            y -= 1
        elif state == 1:
            state = back_x[x - 1][y]
            x -= 1
        else:
            state = back_y[x - 1][y]
            y -= 1
    return pairs
