"""Sentence alignment of translations: runs of sentences in one text linked to runs in another.

Offers:
    align_sentences(a, b, …) the links of two texts, in source order
    align_to_pivot(texts, …) every other text aligned to one pivot text
    translate(texts, …)      ``Translation`` of any number of texts (two: one link list; more: against a pivot)

How it works. The alignment is a dynamic programme over (source sentence, target sentence) cells, where each
step consumes ``n`` source and ``m`` target sentences for one of the allowed shapes. It never fills the
whole matrix: sentences that share a rare key (a number or a name that occurs once in each text) pin anchor
pairs; their longest increasing chain, interpolated, is the corridor the programme searches, ``band``
sentences either side. Cost therefore grows linearly with the length of the texts. A second pass runs in a
narrow band around the first path with a word lexicon learnt from the first pass's links that share some
evidence, of every shape (which German word keeps turning up with which French word): no model, only the
texts themselves.
In that pass each sentence of a link pays for the share of its own evidence (numbers, names, cognates,
words the lexicon maps, punctuation) that the other side does not match, so a caption or a scrap of OCR
debris cannot ride along in a neighbouring link for free.
Leaving a sentence unlinked has no constant cost of its own. A sentence with no evidence pays half the
lexical weight inside a link, so leaving it out costs that plus the log-odds of an omission against a
one-to-one link: Gale & Church's in the first pass, and in the second each text's own rate as the first pass
saw it, an omitted passage counting once however many sentences it holds. Whether a sentence without
evidence joins a neighbour or stays out is then a matter of length and link-shape priors alone, in texts
with many omissions and in texts with none, whatever the weight.
Finally, a run of source sentences left unlinked and a run of target sentences left unlinked elsewhere are
aligned with each other; when they read alike, that is a moved passage (a paragraph placed elsewhere) and
its links are kept with ``moved=True``.
"""

from __future__ import annotations

import math
from array import array
from bisect import bisect_left
from collections import defaultdict
from dataclasses import dataclass
from typing import Mapping, Sequence


from collate.errors import UsageError

from . import arrays, kernel
from .model import Link, Options, PreparedScorer, SentenceScorer, Text, Translation
from .score import LexicalScorer, _Features, _features, _LexicalPrepared, _learn, _length_cost

# --- the banded dynamic programme -----------------------------------------------------------------------


def _keys(f: _Features, words: bool) -> tuple[str, ...]:
    """The keys a sentence can anchor on: numbers of two digits or more, names, and (``words``: two texts in
    one language) every word of four letters or more."""
    keys = [key for key in f.numbers if len(key) >= 2]
    keys.extend("~" + key for key in f.names)
    if words:
        keys.extend("=" + key for key in f.words if len(key) >= 4)
    return tuple(keys)


# A key that occurs more often than this in a stretch of either text, or more than once per ``_RANK_SHARE``
# sentences of a longer stretch, is not used to pair its occurrences by rank (see ``_anchors``): it is too
# common to say where its occurrences stand.
_RANK_LIMIT = 8
_RANK_SHARE = 1000


def _anchors(
    a: Sequence[_Features], b: Sequence[_Features], *, words: bool = False, least: int = 2
) -> list[tuple[int, int]]:
    """Sentence pairs that share a key found in exactly one sentence of each text, in increasing order, and
    then the same inside every stretch between two of them, recursively.

    A name that recurs through a book is no anchor for the whole book, but it is one between two anchors
    where it occurs once on each side (the patience-diff idea). Where a stretch holds no such key, a key that
    occurs equally often (and rarely: ``_RANK_LIMIT``) on both sides of it pairs its occurrences by rank
    (first with first): that anchors text that repeats itself. The pairs of a stretch form their longest
    chain increasing on both sides, so a pair out of order is dropped. The work is that of reading each
    sentence's keys once per level of the recursion: linear in the length of the texts. A stretch no longer
    than ``least`` sentences on either side is not searched (a corridor ``least`` wide covers it anyway)."""
    keys_a = [_keys(f, words) for f in a]
    keys_b = [_keys(f, words) for f in b]
    found: list[tuple[int, int]] = []
    # Stretches to search: half-open ranges of source and target sentences.
    todo = [(0, len(a), 0, len(b))]
    while todo:
        i0, i1, j0, j1 = todo.pop()
        if i1 <= i0 or j1 <= j0 or (i1 - i0 == 1 and j1 - j0 == 1):
            continue
        chain = _longest_chain(_stretch_pairs(keys_a, keys_b, i0, i1, j0, j1))
        if not chain:
            continue
        found.extend(chain)
        points = [(i0 - 1, j0 - 1), *chain, (i1, j1)]
        for (pi, pj), (qi, qj) in zip(points, points[1:]):
            if qi - pi > least or qj - pj > least:
                todo.append((pi + 1, qi, pj + 1, qj))
    return _longest_chain(found)


def _stretch_pairs(
    keys_a: Sequence[tuple[str, ...]], keys_b: Sequence[tuple[str, ...]], i0: int, i1: int, j0: int, j1: int
) -> list[tuple[int, int]]:
    """The anchor candidates of one stretch: pairs by keys unique on both sides of it, or else by rank."""
    where_a: dict[str, list[int]] = defaultdict(list)
    where_b: dict[str, list[int]] = defaultdict(list)
    for i in range(i0, i1):
        for key in keys_a[i]:
            where_a[key].append(i)
    for j in range(j0, j1):
        for key in keys_b[j]:
            where_b[key].append(j)
    pairs = {(ia[0], where_b[k][0]) for k, ia in where_a.items() if len(ia) == 1 and len(where_b.get(k, ())) == 1}
    if not pairs:
        limit = max(_RANK_LIMIT, (i1 - i0) // _RANK_SHARE)
        for key, ia in where_a.items():
            ib = where_b.get(key)
            if ib is not None and len(ia) == len(ib) <= limit:
                pairs.update(zip(ia, ib))
    return sorted(pairs)


def _longest_chain(pairs: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Longest chain strictly increasing in both coordinates (patience sorting)."""
    pairs = sorted(pairs, key=lambda p: (p[0], -p[1]))
    tails: list[int] = []
    tail_index: list[int] = []
    back: list[int] = []
    for k, (_, j) in enumerate(pairs):
        pos = bisect_left(tails, j)
        back.append(tail_index[pos - 1] if pos else -1)
        if pos == len(tails):
            tails.append(j)
            tail_index.append(k)
        else:
            tails[pos] = j
            tail_index[pos] = k
    chain: list[tuple[int, int]] = []
    k = tail_index[-1] if tail_index else -1
    while k >= 0:
        chain.append(pairs[k])
        k = back[k]
    return chain[::-1]


def _corridor(
    path: Sequence[tuple[int, int]], na: int, nb: int, band: int, *, tight: int = 0
) -> list[tuple[int, int]]:
    """For each source row 0..na, the range of target columns (inclusive) within ``band`` of the path
    through ``path``'s points (interpolated linearly between them, from (0, 0) to (na, nb)).

    With ``tight``, the band between two consecutive points is at most the larger side of the rectangle
    they span plus ``tight``: between two sure anchors the path cannot stray further, so dense anchors
    give a narrow corridor (fast) and sparse ones the full ``band`` (safe)."""
    points = [(0, 0), *path, (na, nb)]
    lo = [nb + band] * (na + 1)
    hi = [-band] * (na + 1)
    for (i0, j0), (i1, j1) in zip(points, points[1:]):
        if i1 < i0 or j1 < j0:
            continue
        width = min(band, max(i1 - i0, j1 - j0) + tight) if tight else band
        steps = max(i1 - i0, 1)
        for i in range(i0, i1 + 1):
            # The last row of a steep segment holds every column the one before it reaches: a path that
            # takes the target's extra sentences after the last source sentence (a passage moved to the
            # end) runs along that row.
            at = max(i - 1, i0) if i == i1 else i
            j_start = j0 + (j1 - j0) * (at - i0) // steps
            j_end = j0 + -(-(j1 - j0) * (i - i0 + 1) // steps) if i < i1 else j1
            lo[i] = min(lo[i], j_start - width)
            hi[i] = max(hi[i], min(j_end, j1) + width)
    out = []
    for i in range(na + 1):
        out.append((max(0, lo[i]), min(nb, hi[i])))
    # Make the corridor connected: every row reaches at least as far as the one before starts.
    for i in range(1, na + 1):
        a_lo, a_hi = out[i - 1]
        b_lo, b_hi = out[i]
        out[i] = (min(b_lo, a_hi), max(b_hi, a_lo))
    for i in range(na - 1, -1, -1):
        a_lo, a_hi = out[i + 1]
        b_lo, b_hi = out[i]
        out[i] = (min(b_lo, a_lo), b_hi)
    return out


# How many pairs of run lengths ``_dp`` keeps the length cost of (some 1.5 MB).
_LENGTH_CACHE = 1 << 14


def _dp(
    na: int,
    nb: int,
    prepared: PreparedScorer,
    corridor: list[tuple[int, int]],
    shapes: Sequence[tuple[int, int]],
    options: Options,
    breaks_a: frozenset[int],
    breaks_b: frozenset[int],
    *,
    shared: bool | None = None,
) -> list[tuple[int, int, int, int]]:
    """The cheapest monotone path of links ``(i, n, j, m)`` from (0, 0) to (na, nb) inside ``corridor``.

    Memory stays linear and small: the costs of only the last ``max n`` rows are kept (as arrays of
    doubles over each row's corridor), and the back pointers as one byte per cell (the shape's index).
    ``shared``: whether the texts keep the same paragraphs (by default, judged from the breaks given)."""
    inf = math.inf
    depth = max(n for n, _ in shapes)
    keep = depth + 1
    rows: list[array | None] = [None] * keep  # cost rows, indexed by i % keep
    back: list[array] = []
    penalty = options.paragraph_penalty
    shape_list = list(shapes)
    # A lower bound on each shape's cost (its prior), when the scorer gives one: a shape whose bound
    # already loses to the best step found for the cell is not scored at all. With ``bound`` and
    # ``evidence`` (``cost = bound + evidence``) a link's prior and length, cheap to compute, are tried
    # before the evidence it holds. The result is the same.
    floor = getattr(prepared, "floor", None)
    bound = getattr(prepared, "bound", None)
    evidence = getattr(prepared, "evidence", None) if bound is not None else None
    cost = prepared.cost
    # The lexical scorer's bound is the shape's floor plus the Gale–Church cost of the two runs' lengths:
    # with the texts' running lengths it is found here, without a call to the scorer.
    lengths = prepared.lengths() if evidence is not None and isinstance(prepared, _LexicalPrepared) else None
    if lengths is not None:
        cum_a, cum_b, ratio, variance = lengths
        # The length cost of each pair of run lengths met, found once: runs of the same lengths recur all
        # through a text. Emptied when it grows large, so that memory does not grow with the texts.
        length_costs: dict[int, float] = {}
        wide = cum_b[-1] + 1  # one key for each pair of lengths: ``a * wide + b``
    code = "b" if len(shape_list) < 128 else "h"  # one byte a cell, two for the many shapes of a wide window
    plan = [(k, n, m, floor(n, m) if floor else 0.0) for k, (n, m) in enumerate(shape_list)]
    # Paragraph breaks before each sentence, so that "does this run cross a break" is one subtraction.
    count_a = _break_counts(breaks_a, na)
    count_b = _break_counts(breaks_b, nb)
    if shared is None:
        shared = _shared_paragraphs(breaks_a, breaks_b)
    starts_b = [j in breaks_b for j in range(nb + 1)] if shared else []
    if lengths is not None and _compiled(prepared, corridor):
        last, back = kernel.dp(
            prepared, corridor, shape_list, [least for *_, least in plan], count_a, count_b, breaks_a, starts_b,
            shared, penalty,
        )
        return _path(na, nb, last, back, corridor, shape_list)
    for i in range(na + 1):
        lo, hi = corridor[i]
        row = array("d", [inf]) * (hi - lo + 1)
        row_back = array(code, [-1]) * (hi - lo + 1)
        if i == 0 and lo == 0:
            row[0] = 0.0
        # What each shape needs in this row, found once for the row rather than once a cell: the row it
        # steps from (the row being filled for n = 0) and where that row's corridor begins, and what the
        # source side of the link costs in paragraph penalties.
        steps = []
        for k, n, m, least in plan:
            if n == 0:
                steps.append((k, 0, m, least, row, lo, len(row), i, 0.0, False, 0))
            elif i >= n:
                pi = i - n
                prev = rows[pi % keep]
                # A link that runs across a paragraph break of its own text is unlikely: translators keep
                # paragraphs, so the break is evidence that the sentences belong to different links.
                crossed = penalty if n > 1 and count_a[i] != count_a[pi + 1] else 0.0
                run = (cum_a[i] - cum_a[pi]) * wide if lengths is not None else 0
                steps.append(
                    (k, n, m, least, prev, corridor[pi][0], len(prev), pi, crossed, shared and m and pi in breaks_a, run)
                )
        # The omissions (one side empty) read no evidence; the links (both sides) do.
        omissions = [step for step in steps if not (step[1] and step[2])]
        links = [step for step in steps if step[1] and step[2]]
        for j in range(lo, hi + 1):
            if i == 0 and j == 0:
                continue
            # The cheapest omission into the cell is found first: a link that costs more cannot win the
            # cell, so its evidence is read only as far as that allows. The cell goes to the cheapest step,
            # and of steps that cost the same to the first shape, as it would trying the shapes in order.
            cap = inf
            cap_shape = -1
            for k, n, m, least, prev, plo, size, pi, crossed, starts_a, run in omissions:
                pj = j - m
                x = pj - plo
                if x < 0 or x >= size:
                    continue
                before = prev[x]
                if before + least >= cap:
                    continue
                step = least if lengths is not None else cost(pi, n, pj, m)  # the lexical omission: its floor
                if crossed:
                    step += crossed
                if m > 1 and count_b[j] != count_b[pj + 1]:
                    step += penalty
                if before + step < cap:
                    cap = before + step
                    cap_shape = k
            best = inf
            best_shape = -1
            # A link is given up once it costs ``bar`` or more: as much as a link before it, or more than
            # the cheapest omission (the next double above it).
            bar = math.nextafter(cap, inf)
            for k, n, m, least, prev, plo, size, pi, crossed, starts_a, run in links:
                pj = j - m
                x = pj - plo
                if x < 0 or x >= size:
                    continue
                before = prev[x]
                if before + least >= bar:
                    continue  # unreached (infinite), or cannot win: its cost is at least its floor
                if lengths is not None:
                    chars = run + cum_b[j] - cum_b[pj]
                    length = length_costs.get(chars)
                    if length is None:
                        if len(length_costs) >= _LENGTH_CACHE:
                            length_costs.clear()
                        length = length_costs[chars] = _length_cost(run // wide, cum_b[j] - cum_b[pj], ratio, variance)
                    step = least + length
                elif evidence is not None:
                    step = bound(pi, n, pj, m)
                else:
                    step = cost(pi, n, pj, m)
                if evidence is not None:
                    if before + step >= bar:
                        continue  # nor can it when its prior and length alone lose
                    # Nor when its evidence alone passes what is left (with a margin for rounding).
                    step += evidence(pi, n, pj, m, (bar - before - step) * (1 + 1e-9) + 1e-9)
                if crossed:
                    step += crossed
                if m > 1 and count_b[j] != count_b[pj + 1]:
                    step += penalty
                # When both texts keep the same paragraphs (chapters), a link that begins a paragraph on
                # one side only is where a drift starts: it pays the same penalty.
                if shared and starts_a != starts_b[pj]:
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
                row_back[j - lo] = best_shape
        rows[i % keep] = row
        back.append(row_back)
    last_lo = corridor[na][0]
    last = rows[na % keep][nb - last_lo] if last_lo <= nb <= corridor[na][1] else inf  # type: ignore[index]
    return _path(na, nb, last, back, corridor, shape_list)


def _compiled(prepared: PreparedScorer, corridor: Sequence[tuple[int, int]]) -> bool:
    """Whether ``_dp`` hands this search to the compiled programme: a long text, scored by the lexical
    scorer in a way the compiled programme reproduces."""
    return (
        isinstance(prepared, _LexicalPrepared)
        and len(prepared.a) == len(corridor) - 1
        and kernel.takes(prepared, corridor)
    )


def _path(
    na: int,
    nb: int,
    last: float,
    back: Sequence[Sequence[int]],
    corridor: Sequence[tuple[int, int]],
    shape_list: Sequence[tuple[int, int]],
) -> list[tuple[int, int, int, int]]:
    """The links of the cheapest path, read back from the last cell (``last``: its cost)."""
    if last == math.inf:
        raise UsageError("no alignment found inside the search corridor; widen the band")
    links: list[tuple[int, int, int, int]] = []
    i, j = na, nb
    while i > 0 or j > 0:
        n, m = shape_list[back[i][j - corridor[i][0]]]
        links.append((i - n, n, j - m, m))
        i, j = i - n, j - m
    return links[::-1]


def _shared_paragraphs(breaks_a: frozenset[int], breaks_b: frozenset[int]) -> bool:
    """Whether two texts keep the same paragraphs (chapters): as many breaks in each, within a fifth."""
    return 1 < len(breaks_a) and 0.8 <= len(breaks_b) / len(breaks_a) <= 1.25


def _break_counts(breaks: frozenset[int], size: int) -> list[int]:
    """``out[x]``: how many of ``breaks`` lie below ``x``, for x in 0..size."""
    out = [0] * (size + 1)
    for x in range(1, size + 1):
        out[x] = out[x - 1] + ((x - 1) in breaks)
    return out


def _path_points(links: list[tuple[int, int, int, int]]) -> list[tuple[int, int]]:
    return [(i + n, j + m) for i, n, j, m in links[:-1]]


def align_sentences(
    source: Text | Sequence[str],
    target: Text | Sequence[str],
    *,
    scorer: SentenceScorer | None = None,
    options: Options = Options(),
) -> tuple[Link, ...]:
    """Align two texts sentence by sentence. Every sentence of each text is in exactly one link; the
    links come in source order (a moved passage's links where its source sentences stand)."""
    a = source if isinstance(source, Text) else Text(tuple(source))
    b = target if isinstance(target, Text) else Text(tuple(target))
    na, nb = len(a), len(b)
    for n, m in options.shapes:
        if n < 0 or m < 0 or n + m == 0:
            raise UsageError(f"invalid link shape {n}-{m}")
    if (1, 0) not in options.shapes or (0, 1) not in options.shapes:
        raise UsageError("link shapes must include 1-0 and 0-1, or some texts cannot be aligned at all")
    if na == 0 or nb == 0:
        return tuple(Link((i,), ()) for i in range(na)) + tuple(Link((), (j,)) for j in range(nb))
    chosen = scorer or LexicalScorer()
    prepared = chosen.prepare(a.sentences, b.sentences)
    if isinstance(prepared, _LexicalPrepared):
        feats_a, feats_b = prepared.a, prepared.b  # already computed; the anchors need the same features
    else:
        feats_a = [_features(s) for s in a.sentences]
        feats_b = [_features(s) for s in b.sentences]
    same = isinstance(prepared, _LexicalPrepared) and prepared.same
    # Within one language the corridor is as narrow as the anchors allow, so every stretch is searched;
    # across languages it is ``band`` wide, and a stretch shorter than that gains nothing from anchors.
    anchors = _anchors(feats_a, feats_b, words=same, least=2 if same or options.cross_tight else options.band)
    corridor = _corridor(anchors, na, nb, options.band, tight=options.tight if same else options.cross_tight)
    if isinstance(prepared, _LexicalPrepared):
        prepared.calibrate(corridor)
    second = options.learn and isinstance(prepared, _LexicalPrepared)
    shapes = options.first_shapes if second else options.shapes
    links = _dp(na, nb, prepared, corridor, shapes, options, a.paragraphs, b.paragraphs)
    if second:
        assert isinstance(prepared, _LexicalPrepared)
        lexicon = _learn(feats_a, feats_b, links, prepared)
        # Within one language the second pass needs no lexicon (the words themselves are the evidence).
        if lexicon or prepared.same:
            # The same features again, with the lexicon: not a second copy of every sentence's evidence.
            first = prepared
            prepared = _LexicalPrepared(prepared.a, prepared.b, prepared.scorer, lexicon, prepared.same, second=True)
            arrays.share(first, prepared)
            corridor = _corridor(
                _path_points(links), na, nb, options.refine_band, tight=options.tight if same else options.cross_tight
            )
            prepared.calibrate(corridor, first_pass=links)
            links = _dp(na, nb, prepared, corridor, options.shapes, options, a.paragraphs, b.paragraphs)
    if options.widest > max(max(n, m) for n, m in options.shapes):
        links = _widen(links, prepared, options, a.paragraphs, b.paragraphs)
    result = [Link(tuple(range(i, i + n)), tuple(range(j, j + m))) for i, n, j, m in links]
    if options.moves:
        result = _find_moves(result, prepared, options, (feats_a, feats_b), same)
    # After the moves: a passage placed elsewhere is linked where it stands before its sentences could be
    # taken for a neighbour's.
    if isinstance(prepared, _LexicalPrepared):
        result = _absorb(result, prepared)
    return tuple(result)


def _widen(
    links: list[tuple[int, int, int, int]],
    prepared: PreparedScorer,
    options: Options,
    breaks_a: frozenset[int],
    breaks_b: frozenset[int],
) -> list[tuple[int, int, int, int]]:
    """Realign each stretch of unlinked sentences, with its neighbouring links, allowing links of one
    sentence to as many as ``options.widest`` on the other side.

    The programme's shapes stop at four sentences a side, so a sentence that holds eight of the other
    text's (the verses of a long period run together) cannot be linked whole: the programme leaves it and
    its partners unlinked, or links it to four and leaves the rest. Such a stretch is short, so the same
    programme runs again over it alone, with every 1-k and k-1 shape up to the stretch's size, on the same
    scorer: a wide link is taken when it costs less than what it replaces (its length must agree and its
    sentences must share their evidence, so an unrelated sentence does not join). Each stretch is searched
    in full, but only stretches around unlinked sentences are searched, each at most ``widest`` sentences a
    side: the cost stays linear in the length of the texts."""
    out: list[tuple[int, int, int, int]] = []
    k = 0
    widest = options.widest
    shared = _shared_paragraphs(breaks_a, breaks_b)
    while k < len(links):
        i, n, j, m = links[k]
        if n and m:
            out.append(links[k])
            k += 1
            continue
        end = k
        while end < len(links) and not (links[end][1] and links[end][3]):
            end += 1
        # The window: the one-sided run, the link before it (already in ``out``) and the link after it.
        start = len(out) - 1 if out else len(out)
        window = out[start:] + links[k : end + 1]
        i0, j0 = window[0][0], window[0][2]
        i1 = window[-1][0] + window[-1][1]
        j1 = window[-1][2] + window[-1][3]
        na, nb = i1 - i0, j1 - j0
        if na and nb and max(na, nb) > 1 and na <= widest and nb <= widest:
            shapes = tuple(dict.fromkeys((*options.shapes, *_wide_shapes(na, nb))))
            inner = _SubScorer(prepared, i0, j0)
            # The window's own breaks, read from its rows (not by a pass over every break of the texts).
            local_a = frozenset(x - i0 for x in range(i0, i1) if x in breaks_a)
            local_b = frozenset(x - j0 for x in range(j0, j1) if x in breaks_b)
            path = _dp(na, nb, inner, [(0, nb)] * (na + 1), shapes, options, local_a, local_b, shared=shared)
            old = [(x - i0, p, y - j0, q) for x, p, y, q in window]
            now = _path_cost(path, inner, options, local_a, local_b, shared)
            if now < _path_cost(old, inner, options, local_a, local_b, shared):
                del out[start:]
                out.extend((x + i0, p, y + j0, q) for x, p, y, q in path)
                k = end + 1
                continue
        out.extend(links[k:end])
        k = end
    return out


def _wide_shapes(na: int, nb: int) -> list[tuple[int, int]]:
    """Every 1-k and k-1 shape a window of ``na`` × ``nb`` sentences can hold."""
    return [(1, m) for m in range(2, nb + 1)] + [(n, 1) for n in range(2, na + 1)]


def _path_cost(
    path: Sequence[tuple[int, int, int, int]],
    scorer: PreparedScorer,
    options: Options,
    breaks_a: frozenset[int],
    breaks_b: frozenset[int],
    shared: bool,
) -> float:
    """What ``_dp`` charges for ``path``, paragraph penalties included."""
    total = 0.0
    for i, n, j, m in path:
        total += scorer.cost(i, n, j, m)
        if shared and n and m and (i in breaks_a) != (j in breaks_b):
            total += options.paragraph_penalty
        if n > 1 and any(x in breaks_a for x in range(i + 1, i + n)):
            total += options.paragraph_penalty
        if m > 1 and any(x in breaks_b for x in range(j + 1, j + m)):
            total += options.paragraph_penalty
    return total


def _absorb(links: list[Link], prepared: _LexicalPrepared) -> list[Link]:
    """Join unlinked sentences to the neighbouring link whose other side holds their content.

    The link shapes stop at four sentences a side, so a sentence that one translator made of eight (the
    verses of a long period run together) would leave the rest of the other text's sentences unlinked
    beside its link. Each sentence of a run of unlinked sentences of one text joins the link before or
    after the run (from the run's edges inwards, so links stay runs of consecutive sentences) when that
    link's other side covers at least ``threshold`` of its evidence (``LexicalScorer.unrelated`` within
    one language; ``LexicalScorer.absorb`` across languages, where shared evidence is scarcer and less sure), and covers more
    of it than the link on the other side of the run does. A sentence whose content is nowhere near stays
    unlinked: that is an omission, and it is reported as one."""
    threshold = prepared.scorer.unrelated if prepared.same else prepared.scorer.absorb
    if threshold <= 0:
        return links
    out = list(links)
    k = 0
    while k < len(out):
        side = _one_sided(out[k])
        if side is None or out[k].moved:
            k += 1
            continue
        end = k
        while end < len(out) and _one_sided(out[end]) == side and not out[end].moved:
            end += 1
        before = out[k - 1] if k > 0 and _one_sided(out[k - 1]) is None and not out[k - 1].moved else None
        after = out[end] if end < len(out) and _one_sided(out[end]) is None and not out[end].moved else None
        run = [(out[t].source or out[t].target)[0] for t in range(k, end)]
        # A link only grows into sentences next to its own (a moved link elsewhere may stand between).
        if before is not None and (before.source if side == 0 else before.target)[-1] + 1 != run[0]:
            before = None
        if after is not None and run[-1] + 1 != (after.source if side == 0 else after.target)[0]:
            after = None
        if any(b - a != 1 for a, b in zip(run, run[1:])):
            k = end
            continue

        def covered(sentence: int, link: Link | None) -> float:
            if link is None:
                return -1.0
            other = link.target if side == 0 else link.source
            return prepared.coverage(side, sentence, other[0], len(other))

        head, tail = 0, len(run)
        # From the front: sentences that belong with the link before the run.
        while head < tail and covered(run[head], before) >= threshold and covered(run[head], before) >= covered(
            run[head], after
        ):
            head += 1
        while tail > head and covered(run[tail - 1], after) >= threshold and covered(run[tail - 1], after) > covered(
            run[tail - 1], before
        ):
            tail -= 1
        if head == 0 and tail == len(run):
            k = end
            continue
        joined: list[Link] = []
        if before is not None and head:
            grown = tuple(run[:head])
            joined_before = (
                Link(before.source + grown, before.target) if side == 0 else Link(before.source, before.target + grown)
            )
        else:
            joined_before = before
        rest = [Link((x,), ()) if side == 0 else Link((), (x,)) for x in run[head:tail]]
        if after is not None and tail < len(run):
            grown = tuple(run[tail:])
            joined_after = (
                Link(grown + after.source, after.target) if side == 0 else Link(after.source, grown + after.target)
            )
        else:
            joined_after = after
        start = k - 1 if before is not None else k
        stop = end + 1 if after is not None else end
        joined = ([joined_before] if before is not None else []) + rest + ([joined_after] if after is not None else [])
        out[start:stop] = joined
        k = start + len(joined)
    return out


def _one_sided(link: Link) -> int | None:
    """0 for a link with source sentences only, 1 for target only, None for a real link."""
    if link.source and link.target:
        return None
    return 0 if link.source else 1


def _only_runs(links: list[Link], side: int, least: int) -> list[tuple[int, int]]:
    """Runs of consecutive links that hold sentences of one side only: (first link index, length)."""
    runs: list[tuple[int, int]] = []
    k = 0
    while k < len(links):
        start = k
        while k < len(links) and _one_sided(links[k]) == side:
            k += 1
        if k - start >= least:
            runs.append((start, k - start))
        k = max(k, start + 1)
    return runs


# Runs of unlinked sentences are paired by the keys they share; when there are no more than this many pairs
# of runs, every pair is tried, shared keys or none (a short text across languages may have no keys at all).
_ALL_PAIRS = 64
# A pair of runs up to this many cells is searched whole; a larger one (a moved chapter) in a corridor.
_WHOLE = 4096
# Otherwise a run is tried against the few runs that share most of its keys, counting only the keys found
# in few runs (a common word shared by every run says nothing about where a passage went).
_CANDIDATES = 3
_KEY_RUNS = 8


def _find_moves(
    links: list[Link],
    prepared: PreparedScorer,
    options: Options,
    feats: tuple[Sequence[_Features], Sequence[_Features]],
    same: bool,
) -> list[Link]:
    """Pair runs of unlinked source sentences with runs of unlinked target sentences elsewhere.

    A run is tried first against the runs of the other text that share most of its keys (the anchors'
    keys: numbers, names and, within one language, longer words), and only against the few that share
    most, unless the texts have few runs: a long text with many omissions does not pay for every pair. A pair is
    aligned by the same programme as the texts, in a corridor around its own anchors when it is large (a
    chapter placed elsewhere), and its links are kept, marked as moved, when they link most of the run
    and cost less than leaving both runs unlinked."""
    gaps_a = _only_runs(links, 0, options.min_move)
    gaps_b = _only_runs(links, 1, options.min_move)
    if not gaps_a or not gaps_b:
        return links
    keys_b: dict[str, set[int]] = defaultdict(set)
    for number, (start_b, len_b) in enumerate(gaps_b):
        for t in range(len_b):
            for key in _keys(feats[1][links[start_b + t].target[0]], same):
                keys_b[key].add(number)
    every = len(gaps_a) * len(gaps_b) <= _ALL_PAIRS
    replace: dict[int, list[Link]] = {}
    drop: set[int] = set()
    used_b: set[int] = set()
    for start_a, len_a in gaps_a:
        src = [links[start_a + t].source[0] for t in range(len_a)]
        shared: dict[int, int] = defaultdict(int)
        for key in {key for i in src for key in _keys(feats[0][i], same)}:
            found = keys_b.get(key, ())
            if every or len(found) <= _KEY_RUNS:
                for number in found:
                    shared[number] += 1
        order = sorted(shared, key=lambda number: (-shared[number], number))
        if every:
            order += [number for number in range(len(gaps_b)) if number not in shared]
        else:
            order = order[:_CANDIDATES]
        for number in order:
            start_b, len_b = gaps_b[number]
            if start_b in used_b:
                continue
            tgt = [links[start_b + t].target[0] for t in range(len_b)]
            inner = _SubScorer(prepared, src[0], tgt[0])
            if len(src) * len(tgt) <= _WHOLE:
                corridor = [(0, len(tgt))] * (len(src) + 1)
            else:
                sub_a = feats[0][src[0] : src[-1] + 1]
                sub_b = feats[1][tgt[0] : tgt[-1] + 1]
                anchors = _anchors(sub_a, sub_b, words=same, least=2)
                corridor = _corridor(
                    anchors, len(src), len(tgt), options.band, tight=options.tight if same else options.cross_tight
                )
            try:
                path = _dp(len(src), len(tgt), inner, corridor, options.shapes, options, frozenset(), frozenset())
            except UsageError:
                continue  # no path inside the corridor: not a move
            matched = [(i, n, j, m) for i, n, j, m in path if n and m]
            covered = sum(n for _, n, _, _ in matched)
            # A move must link most of the run, and its links must be cheaper than leaving both runs
            # unlinked: anything else is two unrelated omissions that happen to exist.
            gain = sum(
                inner.cost(i, n, 0, 0) + inner.cost(0, 0, j, m) - inner.cost(i, n, j, m) for i, n, j, m in matched
            )
            if covered * 2 < len(src) or gain <= 0 or not matched:
                continue
            used_b.add(start_b)
            replace[start_a] = [
                Link(tuple(src[i + t] for t in range(n)), tuple(tgt[j + t] for t in range(m)), moved=bool(n and m))
                for i, n, j, m in path
                if n
            ]
            drop.update(range(start_a + 1, start_a + len_a))
            linked_b = {tgt[j + t] for _, n, j, m in matched for t in range(m)}
            drop.update(start_b + t for t in range(len_b) if links[start_b + t].target[0] in linked_b)
            break
    out: list[Link] = []
    for k, link in enumerate(links):
        if k in replace:
            out.extend(replace[k])
        elif k not in drop:
            out.append(link)
    return out


@dataclass(frozen=True, slots=True)
class _SubScorer:
    """A window of a prepared scorer: indices relative to ``i0`` / ``j0``."""

    inner: PreparedScorer
    i0: int
    j0: int

    def cost(self, i: int, n: int, j: int, m: int) -> float:
        return self.inner.cost(self.i0 + i, n, self.j0 + j, m)


def align_to_pivot(
    texts: Mapping[str, Text],
    *,
    pivot: str,
    scorer: SentenceScorer | None = None,
    options: Options = Options(),
) -> dict[str, tuple[Link, ...]]:
    """Align every text but ``pivot`` to ``pivot``: siglum → links (pivot sentences as the source)."""
    if pivot not in texts:
        raise UsageError(f"unknown pivot {pivot!r}; the sigla are {', '.join(texts)}")
    return {
        siglum: align_sentences(texts[pivot], text, scorer=scorer, options=options)
        for siglum, text in texts.items()
        if siglum != pivot
    }



def translate(
    texts: Mapping[str, Text],
    *,
    pivot: str | None = None,
    scorer: SentenceScorer | None = None,
    options: Options = Options(),
) -> Translation:
    """Align two or more texts: the others each against ``pivot`` (default: the first)."""
    if len(texts) < 2:
        raise UsageError(f"alignment needs at least two texts, got {len(texts)}")
    sigla = tuple(texts)
    chosen = pivot if pivot is not None else sigla[0]
    aligned = align_to_pivot(texts, pivot=chosen, scorer=scorer, options=options)
    others = tuple(s for s in sigla if s != chosen)
    return Translation(sigla, tuple(texts[s] for s in sigla), chosen, others, tuple(aligned[s] for s in others))


