"""The compiled functions of ``kernel`` (Numba, ``nopython``): imported only when a long text needs them.

Offers:
    programme(…)   ``align._dp`` for the lexical scorer, over the arrays ``arrays.pack`` makes
    best_rows(…)   each source sentence's best one-to-one similarity inside a corridor

Each function follows the reference in ``score._LexicalPrepared`` and ``align._dp`` operation for operation
(see ``kernel``). They are compiled on first use and cached beside this file (or in the user's cache folder
when that is not writable), so a later process loads them in a fraction of a second; where neither can be
written, they are compiled in each process (``_compile``).
"""

from __future__ import annotations

import math
from typing import Callable

import numpy as np
from numba import njit

from .arrays import ALT, ALT_START, ALT_WORD, C, FLOORED, M, N, S, SEV, SEV_START, SIMILARITY, TOTAL, W

def _compile(**options: object) -> Callable[[Callable[..., object]], Callable[..., object]]:
    """Numba's ``njit`` with a cache on disk, or without one where no folder can hold it (the package and
    the user's cache folder both read-only): then each process compiles the functions again, which is slow
    (half a minute) but gives the same results."""

    def decorate(function: Callable[..., object]) -> Callable[..., object]:
        try:
            return njit(cache=True, nogil=True, **options)(function)
        except RuntimeError:  # "cannot cache function …: no locator available"
            return njit(nogil=True, **options)(function)

    return decorate


_jit = _compile()
# The functions that take a text's arrays are inlined where they are called: a call passes each array by
# value and counts a reference to each, which costs more than the work of most of them.
_inline = _compile(inline="always")


@_jit
def _fsum(values, count, partials):
    # CPython's math.fsum (Shewchuk's algorithm, correctly rounded) over values[:count], all finite.
    n = 0
    for t in range(count):
        x = values[t]
        i = 0
        for k in range(n):
            y = partials[k]
            if abs(x) < abs(y):
                x, y = y, x
            hi = x + y
            yr = hi - x
            lo = y - yr
            if lo != 0.0:
                partials[i] = lo
                i += 1
            x = hi
        n = i
        if x != 0.0:
            partials[n] = x
            n += 1
    hi = 0.0
    if n > 0:
        n -= 1
        hi = partials[n]
        lo = 0.0
        while n > 0:
            x = hi
            n -= 1
            y = partials[n]
            hi = x + y
            yr = hi - x
            lo = y - yr
            if lo != 0.0:
                break
        if n > 0 and ((lo < 0.0 and partials[n - 1] < 0.0) or (lo > 0.0 and partials[n - 1] > 0.0)):
            y = lo * 2.0
            x = hi + y
            yr = x - hi
            if y == yr:
                hi = x
    return hi


@_inline
def _first(d, kind, k):
    # Where sentence k's values of ``kind`` begin in d.
    return d[kind + 1] + d[d[kind] + k]


@_inline
def _count(d, kind, j, m):
    # How many values of ``kind`` sentences j..j+m-1 hold, repeats included.
    return d[d[kind] + j + m] - d[d[kind] + j]


@_inline
def _in_run(d, kind, j, m, x):
    # Whether x is among the (sorted) values of ``kind`` of sentences j..j+m-1.
    offsets = d[kind]
    values = d[kind + 1]
    for l in range(j, j + m):
        lo = values + d[offsets + l]
        hi = values + d[offsets + l + 1]
        while lo < hi:
            mid = (lo + hi) >> 1
            v = d[mid]
            if v < x:
                lo = mid + 1
            elif v > x:
                hi = mid
            else:
                return True
    return False


@_jit
def _distinct(d, kind, i, n, out):
    # The distinct values of ``kind`` of sentences i..i+n-1 (in no particular order), into out; their count.
    count = 0
    for l in range(i, i + n):
        for t in range(_first(d, kind, l), _first(d, kind, l + 1)):
            x = d[t]
            if l > i and _in_run(d, kind, i, l - i, x):
                continue
            out[count] = x
            count += 1
    return count


@_jit
def _size(d, kind, i, n, scratch):
    # How many distinct values of ``kind`` sentences i..i+n-1 hold.
    if n == 1 or _count(d, kind, i, n) == 0:
        return _count(d, kind, i, n)
    return _distinct(d, kind, i, n, scratch)


@_jit
def _common(da, kind, i, n, db, j, m, scratch):
    # How many distinct values of ``kind`` of a's sentences i..i+n-1 b's sentences j..j+m-1 hold too.
    count = _distinct(da, kind, i, n, scratch)
    found = 0
    for t in range(count):
        if _in_run(db, kind, j, m, scratch[t]):
            found += 1
    return found


@_inline
def _marks(marks, i, n, column):
    total = 0
    for l in range(i, i + n):
        total += marks[l, column]
    return total


@_jit
def _run_mass(d, floats, runs, i, n, rarity, ints, values, partials):
    # The summed rarity of the distinct words of sentences i..i+n-1, found once.
    if n == 1:
        return floats[0, i]
    found = runs[i, n]
    if found != found:  # not yet known (NaN)
        count = _distinct(d, W, i, n, ints)
        for t in range(count):
            values[t] = rarity[ints[t]]
        found = runs[i, n] = _fsum(values, count, partials)
    return found


@_inline
def _similarity(i, n, j, m, same, lexicon, da, ma, fa, ra, db, mb, fb, rb, rarity, ints, floats, partials):
    # score._LexicalPrepared.similarity; ``lexicon`` (two languages, one source sentence): the words the
    # learnt lexicon gives for the source sentence count too.
    nums_a = _size(da, N, i, n, ints)
    nums_b = _size(db, N, j, m, ints)
    names_a = _size(da, M, i, n, ints)
    names_b = _size(db, M, j, m, ints)
    if nums_a and nums_b or names_a and names_b:
        hits = 2.0 * _common(da, N, i, n, db, j, m, ints) + 1.5 * _common(da, M, i, n, db, j, m, ints)
    else:
        hits = 0.0
    room = 2.0 * (nums_a + nums_b) / 2
    if same:
        count = _distinct(da, W, i, n, ints)
        shared = 0
        for t in range(count):
            if _in_run(db, W, j, m, ints[t]):
                floats[shared] = rarity[ints[t]]
                shared += 1
        hits += _fsum(floats, shared, partials)
        mass_a = _run_mass(da, fa, ra, i, n, rarity, ints, floats, partials)
        mass_b = _run_mass(db, fb, rb, j, m, rarity, ints, floats, partials)
        room += (mass_a + mass_b) / 2
    else:
        hits += _common(da, C, i, n, db, j, m, ints)
        room += _size(da, C, i, n, ints) / 2 + _size(db, C, j, m, ints) / 2
        if lexicon:
            count = 0
            for t in range(_first(da, S, i), _first(da, S, i + 1)):
                ints[count] = da[t]
                count += 1
            for e in range(da[da[SEV_START] + i], da[da[SEV_START] + i + 1]):
                for t in range(_first(da, SEV, e), _first(da, SEV, e + 1)):
                    ints[count] = da[t]
                    count += 1
            ints[:count].sort()
            translated = 0
            for t in range(count):
                if (t == 0 or ints[t] != ints[t - 1]) and _in_run(db, W, j, m, ints[t]):
                    translated += 1
            hits += translated
            room += (_size(da, W, i, n, ints) + _size(db, W, j, m, ints)) / 2
    total_a = _marks(ma, i, n, TOTAL)
    total_b = _marks(mb, j, m, TOTAL)
    if total_a or total_b:
        if total_a and total_b:
            both = 0
            for c in range(TOTAL):
                both += min(_marks(ma, i, n, c), _marks(mb, j, m, c))
            hits += 0.5 * both
        room += 0.25 * (total_a + total_b)
    if room <= 0:
        return 0.0
    return min(1.0, hits / room)


@_jit
def _cover(k, j, m, same, do, mo, fo, dt, mt, rarity, floats, partials):
    # score._LexicalPrepared._cover: the share of sentence k's evidence (of the text ``do``) that the
    # other text's (``dt``) sentences j..j+m-1 match.
    room = fo[1, k]
    if room <= 0:
        return 0.0
    if _count(do, N, k, 1) and _count(dt, N, j, m) or _count(do, M, k, 1) and _count(dt, M, j, m):
        nums = 0
        for t in range(_first(do, N, k), _first(do, N, k + 1)):
            if _in_run(dt, N, j, m, do[t]):
                nums += 1
        names = 0
        for t in range(_first(do, M, k), _first(do, M, k + 1)):
            if _in_run(dt, M, j, m, do[t]):
                names += 1
        hits = 2.0 * nums + 1.5 * names
    else:
        hits = 0.0
    if same:
        found = 0
        for t in range(_first(do, W, k), _first(do, W, k + 1)):
            w = do[t]
            if _in_run(dt, W, j, m, w):
                floats[found] = rarity[w]
                found += 1
        for e in range(do[do[ALT_START] + k], do[do[ALT_START] + k + 1]):
            w = do[do[ALT_WORD] + e]
            if _in_run(dt, W, j, m, w):
                continue
            for t in range(_first(do, ALT, e), _first(do, ALT, e + 1)):
                if _in_run(dt, W, j, m, do[t]):
                    floats[found] = rarity[w]
                    found += 1
                    break
        hits += _fsum(floats, found, partials)
    else:
        cognates = 0
        for t in range(_first(do, C, k), _first(do, C, k + 1)):
            if _in_run(dt, C, j, m, do[t]):
                cognates += 1
        hits += cognates
        single = 0
        for t in range(_first(do, S, k), _first(do, S, k + 1)):
            if _in_run(dt, W, j, m, do[t]):
                single += 1
        hits += single
        several = 0
        for e in range(do[do[SEV_START] + k], do[do[SEV_START] + k + 1]):
            for t in range(_first(do, SEV, e), _first(do, SEV, e + 1)):
                if _in_run(dt, W, j, m, do[t]):
                    several += 1
                    break
        hits += several
    if mo[k, TOTAL] and _marks(mt, j, m, TOTAL):
        both = 0
        for c in range(TOTAL):
            if mo[k, c]:
                both += min(mo[k, c], _marks(mt, j, m, c))
        hits += 0.5 * both
    return min(1.0, hits / room)


@_inline
def _covered(side, k, j, m, same, da, ma, fa, db, mb, fb, rarity, values, keys, starts, floats, partials):
    # ``_cover`` for sentence k of side 0 (1) against the other side's sentences j..j+m-1, kept in a small
    # table (the programme asks for the same one from several link shapes).
    mask = keys.shape[1] - 1
    row = k & mask
    column = j & mask
    if keys[side, row, column] == k and starts[side, row, column] == j:
        found = values[side, row, column, m]
        if found == found:
            return found
    else:
        keys[side, row, column] = k
        starts[side, row, column] = j
        values[side, row, column, :] = np.nan
    if side == 0:
        found = _cover(k, j, m, same, da, ma, fa, db, mb, rarity, floats, partials)
    else:
        found = _cover(k, j, m, same, db, mb, fb, da, ma, rarity, floats, partials)
    values[side, row, column, m] = found
    return found


@_inline
def _evidence(
    i, n, j, m, limit, mode, same, da, ma, fa, ra, db, mb, fb, rb, rarity, constants, values, keys, starts, ints,
    floats, partials,
):
    # score._LexicalPrepared.evidence
    weight = constants[0]
    if mode == SIMILARITY:
        sim = _similarity(i, n, j, m, same, False, da, ma, fa, ra, db, mb, fb, rb, rarity, ints, floats, partials)
        return weight * (1.0 - sim) * (n + m) / 2
    unrelated = constants[1]
    scale = weight / 2
    charged = 0.0
    for order in range(2):
        # A link of one sentence to several is summed from the side of several first.
        side = order if not (n == 1 and m > 1) else 1 - order
        summed = 0.0
        if side == 0:
            lo, count, other, others, skip = i, n, j, m, constants[2]
        else:
            lo, count, other, others, skip = j, m, i, n, constants[3]
        for k in range(lo, lo + count):
            covered = _covered(
                side, k, other, others, same, da, ma, fa, db, mb, fb, rarity, values, keys, starts, floats, partials
            )
            if mode == FLOORED:
                shortfall = min(1.0, 2.0 * (1.0 - covered / unrelated))
                summed += max(weight / 2 * (1.0 - covered), shortfall * skip)
                if charged + summed >= limit:
                    return charged + summed
            else:
                summed += 1.0 - covered
                if scale * (charged + summed) >= limit:
                    return scale * (charged + summed)
        charged += summed
    if mode == FLOORED:
        return charged
    return weight * charged / 2


@_jit
def _length_cost(a, b, ratio, variance):
    # score._length_cost
    if a == 0 and b == 0:
        return 0.0
    mean = (a + b / ratio) / 2
    delta = (b / ratio - a) / math.sqrt(mean * variance)
    tail = math.erfc(abs(delta) / math.sqrt(2))
    return -math.log(max(tail, 1e-12))


@_jit
def programme(
    lo_of, hi_of, shape_n, shape_m, least, count_a, count_b, breaks_a, starts_b, shared, penalty,
    cum_a, cum_b, mode, same, da, ma, fa, db, mb, fb, rarity, constants, back, nb, scratch,
):
    # align._dp for the lexical scorer: fills ``back`` (a shape index a cell, rows one after another)
    # and returns the cost of the cell (na, nb).
    inf = math.inf
    na = lo_of.shape[0] - 1
    shapes = shape_n.shape[0]
    keep = 1
    depth = 1
    width = 1
    for k in range(shapes):
        keep = max(keep, shape_n[k] + 1)
        depth = max(depth, shape_n[k], shape_m[k])
    for i in range(na + 1):
        width = max(width, hi_of[i] - lo_of[i] + 1)
    rows = np.full((keep, width), inf)
    ints = np.empty(scratch, np.int64)
    floats = np.empty(scratch, np.float64)
    partials = np.empty(scratch, np.float64)
    # Each run's mass, found once (NaN: not yet); ``_covered``'s tables, rows and columns by sentence and
    # by the start of the other run (modulo a power of two), one cost for each length of that run.
    ra = np.full((na + 1, depth + 1), np.nan)
    rb = np.full((nb + 1, depth + 1), np.nan)
    # Big enough that a row's runs do not evict each other, at most 256 (5 MB) whatever the band: an entry
    # evicted is only computed again.
    size = 16
    while size < width + 2 * depth + 8 and size < 256:
        size *= 2
    values = np.full((2, size, size, depth + 1), np.nan)
    keys = np.full((2, size, size), -1)
    starts = np.full((2, size, size), -1)
    ratio = constants[4]
    variance = constants[5]
    start = 0
    for i in range(na + 1):
        lo = lo_of[i]
        hi = hi_of[i]
        row = rows[i % keep]
        row[:] = inf
        if i == 0 and lo == 0:
            row[0] = 0.0
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            # The cheapest omission into the cell first, as ``align._dp`` does.
            cap = inf
            cap_shape = -1
            for k in range(shapes):
                n = shape_n[k]
                m = shape_m[k]
                if n and m:
                    continue
                if n == 0:
                    pi, prev_lo, size_before, crossed = i, lo, hi - lo + 1, 0.0
                elif i >= n:
                    pi = i - n
                    prev_lo, size_before = lo_of[pi], hi_of[pi] - lo_of[pi] + 1
                    crossed = penalty if n > 1 and count_a[i] != count_a[pi + 1] else 0.0
                else:
                    continue
                pj = j - m
                x = pj - prev_lo
                if x < 0 or x >= size_before:
                    continue
                before = rows[pi % keep, x]
                if before + least[k] >= cap:
                    continue
                step = least[k]
                if crossed:
                    step += crossed
                if m > 1 and count_b[j] != count_b[pj + 1]:
                    step += penalty
                if before + step < cap:
                    cap = before + step
                    cap_shape = k
            best = inf
            best_shape = -1
            bar = np.nextafter(cap, inf)
            for k in range(shapes):
                n = shape_n[k]
                m = shape_m[k]
                if not (n and m) or i < n:
                    continue
                pi = i - n
                pj = j - m
                x = pj - lo_of[pi]
                if x < 0 or x >= hi_of[pi] - lo_of[pi] + 1:
                    continue
                before = rows[pi % keep, x]
                if before + least[k] >= bar:
                    continue
                step = least[k] + _length_cost(cum_a[i] - cum_a[pi], cum_b[j] - cum_b[pj], ratio, variance)
                if before + step >= bar:
                    continue
                step += _evidence(
                    pi, n, pj, m, (bar - before - step) * (1 + 1e-9) + 1e-9, mode, same, da, ma, fa, ra, db, mb, fb,
                    rb, rarity, constants, values, keys, starts, ints, floats, partials,
                )
                if penalty and n > 1 and count_a[i] != count_a[pi + 1]:
                    step += penalty
                if m > 1 and count_b[j] != count_b[pj + 1]:
                    step += penalty
                if shared and breaks_a[pi] != starts_b[pj]:
                    step += penalty
                total = before + step
                if total < best:
                    best = total
                    best_shape = k
                    if total < bar:
                        bar = total
            if cap < best or (cap == best and cap_shape < best_shape):
                best = cap
                best_shape = cap_shape
            if best < inf:
                row[j - lo] = best
                back[start + j - lo] = best_shape
        start += hi - lo + 1
    if lo_of[na] <= nb <= hi_of[na]:
        return rows[na % keep, nb - lo_of[na]]
    return inf


@_jit
def best_rows(lo_of, hi_of, nb, same, lexicon, da, ma, fa, db, mb, fb, rarity, out, scratch):
    # Each source sentence's best one-to-one similarity inside the corridor (-1: the row is empty).
    ints = np.empty(scratch, np.int64)
    floats = np.empty(scratch, np.float64)
    partials = np.empty(scratch, np.float64)
    ra = np.empty((0, 0))
    rb = np.empty((0, 0))
    for i in range(out.shape[0]):
        best = -1.0
        for j in range(lo_of[i], min(hi_of[i] + 1, nb)):
            value = _similarity(
                i, 1, j, 1, same, lexicon, da, ma, fa, ra, db, mb, fb, rb, rarity, ints, floats, partials
            )
            if value > best:
                best = value
        out[i] = best
