"""Pairwise alignment of a sequence of columns with a sequence of tokens, at book scale.

Offers:
    Scorer                    how two token ids compare: exact, near (OCR slips), substitution, never
    Op                        one step of an alignment: ``(i, j)``, ``(i, None)`` or ``(None, j)``
    align(forms, keys, b, scorer)  the alignment of columns ``forms``/``keys`` with token ids ``b``

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

from bisect import bisect_left
from collections import Counter
from typing import Sequence

from rapidfuzz.distance import Indel, Levenshtein

__all__ = ["Scorer", "Op", "align", "DP_CELLS"]

Op = tuple[int | None, int | None]

# Largest window (rows × columns) aligned by the full dynamic programme. Windows between anchors are
# almost always far smaller; the bound keeps a pathological window from costing quadratic time in Python.
DP_CELLS = 6000

EXACT = 2.0
EXACT_PUNCT = 1.0
NEAR_BASE = 0.5  # a near match scores NEAR_BASE + similarity, between substitution and exact
SUBSTITUTION = -0.5  # better than two gaps (-2): a replaced word shares its column with the original
GAP = -1.0
NEVER = float("-inf")


class Scorer:
    """Compares token ids. ``norms[id]`` is the normalised form, ``punct[id]`` whether it is punctuation.

    A near match is a word pair whose Levenshtein similarity reaches ``near`` (and both have at least
    ``min_near_length`` characters): ``tbe``/``the`` (0.67), ``Men-sheviks``/``Mensheviks`` (0.91).
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
            self._cache[key] = score
        return score

    def column(self, forms: tuple[int, ...], b: int) -> float:
        """Score of token ``b`` joining a column whose tokens have ids ``forms`` (the best of them)."""
        if b in forms:
            return EXACT_PUNCT if self.punct[b] else EXACT
        return max(self.pair(a, b) for a in forms)


def align(forms: Sequence[tuple[int, ...]], keys: Sequence[int], b: Sequence[int], scorer: Scorer) -> list[Op]:
    """Align columns (``forms[i]`` the ids in column ``i``, ``keys[i]`` its majority id) with ids ``b``.

    Returns every column index and every token index exactly once, both in increasing order, as ops
    ``(i, j)`` (same column), ``(i, None)`` (the token sequence has nothing here) or ``(None, j)``.
    """
    pairs: list[tuple[int, int]] = []
    stack = [(0, len(keys), 0, len(b))]
    punct = scorer.punct
    while stack:
        a_lo, a_hi, b_lo, b_hi = stack.pop()
        # Common prefix and suffix: exact agreement needs no search.
        while a_lo < a_hi and b_lo < b_hi and keys[a_lo] == b[b_lo]:
            pairs.append((a_lo, b_lo))
            a_lo += 1
            b_lo += 1
        while a_lo < a_hi and b_lo < b_hi and keys[a_hi - 1] == b[b_hi - 1]:
            a_hi -= 1
            b_hi -= 1
            pairs.append((a_hi, b_hi))
        na, nb = a_hi - a_lo, b_hi - b_lo
        if na == 0 or nb == 0:
            continue
        if na * nb <= DP_CELLS:
            pairs.extend(_dp(forms, b, a_lo, a_hi, b_lo, b_hi, scorer))
            continue
        chain = _anchor_chain(keys, b, a_lo, a_hi, b_lo, b_hi, punct)
        if not chain:
            chain = _indel_blocks(keys, b, a_lo, a_hi, b_lo, b_hi)
        if not chain:
            # Nothing in common at all: pair position by position along the diagonal (substitutions),
            # which is what a window of unrelated text between two anchors is.
            pairs.extend(_diagonal(forms, b, a_lo, a_hi, b_lo, b_hi, scorer))
            continue
        prev_a, prev_b = a_lo, b_lo
        for i, j in chain:
            pairs.append((i, j))
            if i > prev_a or j > prev_b:
                stack.append((prev_a, i, prev_b, j))
            prev_a, prev_b = i + 1, j + 1
        if prev_a < a_hi or prev_b < b_hi:
            stack.append((prev_a, a_hi, prev_b, b_hi))
    pairs.sort()
    return _with_gaps(pairs, len(keys), len(b))


def _with_gaps(pairs: list[tuple[int, int]], na: int, nb: int) -> list[Op]:
    """Interleave unmatched columns and tokens between matched pairs: columns first, then tokens."""
    ops: list[Op] = []
    i = j = 0
    for pi, pj in pairs:
        ops.extend((k, None) for k in range(i, pi))
        ops.extend((None, k) for k in range(j, pj))
        ops.append((pi, pj))
        i, j = pi + 1, pj + 1
    ops.extend((k, None) for k in range(i, na))
    ops.extend((None, k) for k in range(j, nb))
    return ops


def _anchor_chain(
    keys: Sequence[int], b: Sequence[int], a_lo: int, a_hi: int, b_lo: int, b_hi: int, punct: Sequence[bool]
) -> list[tuple[int, int]]:
    """Ids unique on both sides of the window (never punctuation), longest increasing chain of them."""
    count_a = Counter(keys[a_lo:a_hi])
    count_b = Counter(b[b_lo:b_hi])
    pos_b = {}
    for j in range(b_lo, b_hi):
        t = b[j]
        if count_b[t] == 1 and count_a.get(t) == 1 and not punct[t]:
            pos_b[t] = j
    if not pos_b:
        return []
    candidates = [(i, pos_b[keys[i]]) for i in range(a_lo, a_hi) if keys[i] in pos_b]
    return _longest_increasing(candidates)


def _longest_increasing(candidates: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain increasing in both coordinates; ``candidates`` sorted by the first."""
    tails: list[int] = []  # tails[k]: smallest j ending a chain of length k+1
    tail_index: list[int] = []
    back: list[int] = [-1] * len(candidates)
    for n, (_, j) in enumerate(candidates):
        k = bisect_left(tails, j)
        if k == len(tails):
            tails.append(j)
            tail_index.append(n)
        else:
            tails[k] = j
            tail_index[k] = n
        back[n] = tail_index[k - 1] if k else -1
    chain = []
    n = tail_index[-1] if tail_index else -1
    while n >= 0:
        chain.append(candidates[n])
        n = back[n]
    chain.reverse()
    return chain


def _indel_blocks(
    keys: Sequence[int], b: Sequence[int], a_lo: int, a_hi: int, b_lo: int, b_hi: int
) -> list[tuple[int, int]]:
    """Matched pairs of an LCS over the window's keys (RapidFuzz, C++): the anchors of a repetitive window."""
    pairs = []
    for tag, i1, i2, j1, j2 in Indel.opcodes(keys[a_lo:a_hi], b[b_lo:b_hi]):
        if tag == "equal":
            pairs.extend((a_lo + i1 + k, b_lo + j1 + k) for k in range(i2 - i1))
    return pairs


def _diagonal(
    forms: Sequence[tuple[int, ...]], b: Sequence[int], a_lo: int, a_hi: int, b_lo: int, b_hi: int, scorer: Scorer
) -> list[tuple[int, int]]:
    pairs = []
    for k in range(min(a_hi - a_lo, b_hi - b_lo)):
        if scorer.column(forms[a_lo + k], b[b_lo + k]) != NEVER:
            pairs.append((a_lo + k, b_lo + k))
    return pairs


def _dp(
    forms: Sequence[tuple[int, ...]], b: Sequence[int], a_lo: int, a_hi: int, b_lo: int, b_hi: int, scorer: Scorer
) -> list[tuple[int, int]]:
    """Needleman–Wunsch over a small window; returns the pairs sharing a column.

    Ties go to the diagonal, then to a column alone, then to a token alone; traced back from the end of
    the window, so the gap of a tie lands as early as possible (``the the cat`` / ``the cat``: the first
    ``the`` of the columns is the gap).
    """
    na, nb = a_hi - a_lo, b_hi - b_lo
    column = scorer.column
    # score[x][y]: best score of columns a_lo..a_lo+x with tokens b_lo..b_lo+y
    prev = [GAP * y for y in range(nb + 1)]
    moves = []  # moves[x][y]: 0 diagonal, 1 up (column alone), 2 left (token alone)
    for x in range(1, na + 1):
        f = forms[a_lo + x - 1]
        cur = [GAP * x] + [0.0] * nb
        mv = [1] * (nb + 1)
        for y in range(1, nb + 1):
            best = prev[y - 1] + column(f, b[b_lo + y - 1])
            m = 0
            up = prev[y] + GAP
            if up > best:
                best, m = up, 1
            left = cur[y - 1] + GAP
            if left > best:
                best, m = left, 2
            cur[y] = best
            mv[y] = m
        moves.append(mv)
        prev = cur
    pairs = []
    x, y = na, nb
    while x > 0 and y > 0:
        m = moves[x - 1][y]
        if m == 0:
            pairs.append((a_lo + x - 1, b_lo + y - 1))
            x -= 1
            y -= 1
        elif m == 1:
            x -= 1
        else:
            y -= 1
    return pairs
