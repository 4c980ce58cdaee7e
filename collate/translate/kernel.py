"""The sentence aligner's programme for long texts, compiled (Numba): the same path, cost for cost.

Offers:
    usable(prepared)              whether the compiled programme can score with ``prepared``
    dp(prepared, corridor, …)     ``align._dp`` for a ``_LexicalPrepared`` scorer: the same links
    share(first, second)          let the second pass reuse the first pass's arrays
    best_similarities(prepared, corridor)
                                  each source sentence's best one-to-one similarity inside ``corridor``
                                  (what ``calibrate`` reads across languages)

Why. The programme tries about ten link shapes in every cell of its corridor and reads the evidence of
each one that could win: some 40 million Python operations per 10,000 sentences, a minute and more for
a 100,000-sentence pair. Compiled, the same work takes seconds. The Python programme (``align._dp``,
``score._LexicalPrepared``) stays the reference: short texts use it (the compiled one has a start-up
cost), and the tests hold the two to the same links and the same costs.

How it stays the same. Every figure is computed in the same order of floating-point operations as the
reference, and every sum the reference takes with ``math.fsum`` is taken here with the same correctly
rounded algorithm (Shewchuk's, as CPython has it), so the costs agree to the last bit and ties fall the
same way. A sentence's evidence is held as sorted integer ids (one id a distinct word, number, name or
cognate key) and its punctuation as counts per mark; a set intersection is a count of ids found.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import TYPE_CHECKING, Iterable, Sequence

import numpy as np

if TYPE_CHECKING:
    from .score import _LexicalPrepared

# Numba (a dependency) is imported only when a long text needs it: it takes half a second and 120 MB.
_NUMBA = find_spec("numba") is not None

# Below this many corridor cells, the Python programme is used: the compiled one costs about half a
# second to load, which a short text would feel, and saves nothing there.
CELLS = 40_000

# Ids and offsets: 32 bits hold any text's, at half the memory of 64.
_INT = np.int32

_MARKS = "?!:;()\"«»„“”"
_MARK_INDEX = {c: k for k, c in enumerate(_MARKS)}
_TOTAL = len(_MARKS)  # the column of the marks' table that holds a sentence's number of marks

# The three ways a link's evidence is scored (``_LexicalPrepared.evidence``).
_SIMILARITY = 0  # the first pass: the pooled similarity of the two runs
_FLOORED = 1  # one language, second pass: each sentence's charge, at least what leaving it out costs
_COVERAGE = 2  # two languages, second pass: each sentence's unmatched share


def usable(prepared: "_LexicalPrepared") -> bool:
    """Whether the compiled programme reproduces ``prepared``'s costs: not when it pools each link's
    similarity and also has a lexicon (``LexicalScorer(per_sentence=False)`` given one), which the
    reference alone scores."""
    return _NUMBA and (prepared._per_sentence or not prepared.lexicon)


# --- the scorer's evidence as arrays ----------------------------------------------------------------------


class _Ids(dict):
    """String → small integer, handing out the next id to a string not seen before."""

    def __missing__(self, key: str) -> int:
        value = self[key] = len(self)
        return value


def _csr(sizes: Iterable[int], values: Iterable[int], count: int, *, ordered: bool = True) -> tuple[np.ndarray, ...]:
    """Ragged groups as offsets and values: group ``k`` is ``values[offsets[k]:offsets[k + 1]]``, each group
    sorted (``ordered``) so that a look-up is a binary search. ``sizes``: each group's length; ``values``:
    the groups' values one after another. No list of each group is built: a long text has millions of ids."""
    offsets = np.zeros(count + 1, _INT)
    lengths = np.fromiter(sizes, np.int64, count=count)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.fromiter(values, _INT, count=int(offsets[-1]))
    if ordered and len(flat):
        flat = flat[np.lexsort((flat, np.repeat(np.arange(count), lengths)))]
    return offsets, flat


def _base(prepared: "_LexicalPrepared") -> tuple:
    """What both passes share: each text's words, numbers, names and cognates as sorted ids, its marks'
    counts and its sentences' masses, and the ids of the words."""
    words = _Ids()
    others = _Ids()
    sides = []
    for side, feats in enumerate((prepared.a, prepared.b)):
        size = len(feats)
        marks = np.zeros((size, _TOTAL + 1), _INT)
        for k, f in enumerate(feats):
            for c in f.mark_text:
                marks[k, _MARK_INDEX[c]] += 1
        marks[:, _TOTAL] = marks[:, :_TOTAL].sum(axis=1)
        ints = (
            *_csr((len(f.words) for f in feats), (words[w] for f in feats for w in f.words), size),
            *_csr((len(f.numbers) for f in feats), (others["#" + x] for f in feats for x in f.numbers), size),
            *_csr((len(f.names) for f in feats), (others["~" + x] for f in feats for x in f.names), size),
            *_csr((len(f.cognates) for f in feats), (others["^" + x] for f in feats for x in f.cognates), size),
        )
        sides.append((ints, marks, np.asarray(prepared._mass[side], np.float64)))
    rarity = np.ones(len(words), np.float64)
    for w, value in prepared._rarity.items():
        if w in words:
            rarity[words[w]] = value
    return sides, rarity, words


def _lexical(prepared: "_LexicalPrepared", side: int, words: _Ids) -> tuple:
    """What the learnt lexicon adds to one text's evidence: within one language, each sentence's words
    the lexicon maps to other words, and those words; across two, each sentence's words as the lexicon
    translates them (a word of one translation kept once for each word that gives it, a word of several
    as the set). Ids of words the texts lack are handed out too: they match nothing."""
    size = len(prepared.a if side == 0 else prepared.b)
    alternatives = prepared._alternatives[side] if prepared.same else []
    entries = [(words[w], [words[x] for x in found]) for sentence in alternatives for w, found in sentence]
    images = prepared._images[side] or [((), ())] * size
    several = [[words[x] for x in image] for _, many in images for image in many]
    return (
        np.cumsum([0, *(len(sentence) for sentence in alternatives)] if alternatives else [0] * (size + 1), dtype=_INT),
        np.fromiter((w for w, _ in entries), _INT, count=len(entries)),
        *_csr((len(found) for _, found in entries), (x for _, found in entries for x in found), len(entries)),
        *_csr((len(one) for one, _ in images), (words[x] for one, _ in images for x in one), size, ordered=False),
        np.cumsum([0, *(len(many) for _, many in images)], dtype=_INT),
        *_csr(map(len, several), (x for image in several for x in image), len(several)),
    )


def share(first: "_LexicalPrepared", second: "_LexicalPrepared") -> None:
    """Let ``second`` (the second pass over the same texts) reuse what ``first`` turned into arrays."""
    second._arrays = first._arrays


def _flat(parts: Sequence[np.ndarray]) -> np.ndarray:
    """Arrays as one: a header holding where each part starts, then the parts (one array is passed to the
    compiled functions instead of seventeen, each of which they would count references to)."""
    bases = np.cumsum([len(parts), *map(len, parts[:-1])], dtype=_INT)
    return np.concatenate([bases, *parts], dtype=_INT)


def _pack(prepared: "_LexicalPrepared") -> tuple:
    """Both texts' evidence and the scorer's constants, as the compiled functions take them: for each
    text (ids as one array, mark counts, masses and coverage denominators), the words' rarities, the
    constants, the mode of scoring, and whether the texts are in one language."""
    if prepared._arrays is None:
        prepared._arrays = _base(prepared)
    sides, rarity, words = prepared._arrays
    packed = tuple(
        (
            _flat([*ints, *_lexical(prepared, side, words)]),
            marks,
            np.stack([mass, np.asarray(prepared._room[side], np.float64)]),
        )
        for side, (ints, marks, mass) in enumerate(sides)
    )
    if len(words) > len(rarity):  # the lexicon named words the texts lack
        rarity = np.concatenate([rarity, np.ones(len(words) - len(rarity))])
    mode = (_FLOORED if prepared._floored else _COVERAGE) if prepared._per_sentence else _SIMILARITY
    scorer = prepared.scorer
    constants = np.array(
        [prepared.weight, scorer.unrelated, prepared.skip_a, prepared.skip_b, prepared.ratio, prepared.variance]
    )
    return packed, rarity, constants, mode, prepared.same


# Where a text's flat array (``_flat``) keeps each part's start: ids by kind as offsets (one a sentence, and
# one more) followed by values; the lexicon's additions after them.
_W, _N, _M, _C = 0, 2, 4, 6  # words, numbers, names, cognates (offsets; the values follow at +1)
_ALT_START, _ALT_WORD, _ALT = 8, 9, 10  # per sentence, its entries; each entry's word; each entry's words (+1)
_S, _SEV_START, _SEV = 12, 14, 15  # single translations (+1); per sentence, its entries; each entry's words (+1)


# --- the compiled functions' callers ------------------------------------------------------------------


def _scratch(sides: tuple, widest: int) -> int:
    """Room for the ids of a run of ``widest`` sentences of either text, of any one kind, and for the
    translations of one sentence's words."""
    most = 1
    for d, _, _ in sides:
        for kind in (_W, _N, _M, _C, _S):
            offsets = d[d[kind] : d[kind + 1]]
            if len(offsets) > 1:
                most = max(most, int(np.diff(offsets).max()))
        most = max(most, int(len(d) - d[_SEV + 1]))
    return 2 * most * widest + 16


def dp(
    prepared: "_LexicalPrepared",
    corridor: Sequence[tuple[int, int]],
    shapes: Sequence[tuple[int, int]],
    floors: Sequence[float],
    count_a: Sequence[int],
    count_b: Sequence[int],
    breaks_a: frozenset[int],
    starts_b: Sequence[bool],
    shared: bool,
    penalty: float,
) -> tuple[float, "_Rows"]:
    """The compiled ``_dp``: the cost of the last cell and each row's back pointers (the index of the
    shape whose step reaches the cell, -1 where none does), rows over their corridor ranges."""
    from .compiled import programme

    sides, rarity, constants, mode, same = _pack(prepared)
    na, nb = len(prepared.a), len(prepared.b)
    lo_of = np.fromiter((lo for lo, _ in corridor), np.int64, count=na + 1)
    hi_of = np.fromiter((hi for _, hi in corridor), np.int64, count=na + 1)
    widths = hi_of - lo_of + 1
    back = np.full(int(widths.sum()), -1, np.int16)
    starts = np.zeros(na + 1, np.bool_)
    for x in breaks_a:
        if 0 <= x <= na:
            starts[x] = True
    widest = max(max(n, m) for n, m in shapes)
    last = programme(
        lo_of, hi_of, np.array([n for n, _ in shapes], np.int64), np.array([m for _, m in shapes], np.int64),
        np.array(floors, np.float64), np.array(count_a, np.int64), np.array(count_b, np.int64), starts,
        np.array(starts_b if shared else [False] * (nb + 1), np.bool_), shared, penalty,
        np.array(prepared._cum_a, np.int64), np.array(prepared._cum_b, np.int64), mode, same, *sides[0], *sides[1],
        rarity, constants, back, nb, _scratch(sides, widest),
    )
    return float(last), _Rows(back, np.concatenate([[0], np.cumsum(widths)]))


class _Rows:
    """The back pointers of one row after another, read as ``rows[i][x]`` (a view of row ``i``, made when
    asked for: the path back reads one row of each)."""

    __slots__ = ("cells", "starts")

    def __init__(self, cells: np.ndarray, starts: np.ndarray) -> None:
        self.cells = cells
        self.starts = starts

    def __getitem__(self, i: int) -> np.ndarray:
        return self.cells[self.starts[i] : self.starts[i + 1]]

    def __len__(self) -> int:
        return len(self.starts) - 1


def best_similarities(prepared: "_LexicalPrepared", corridor: Sequence[tuple[int, int]]) -> list[float]:
    """Each source sentence's best one-to-one similarity inside ``corridor`` (rows with no cell left out),
    as ``calibrate`` reads them (one language and a lexicon: not asked for, so not reproduced)."""
    from .compiled import best_rows

    sides, rarity, _, _, same = _pack(prepared)
    na, nb = len(prepared.a), len(prepared.b)
    lo_of = np.fromiter((lo for lo, _ in corridor[:na]), np.int64, count=na)
    hi_of = np.fromiter((hi for _, hi in corridor[:na]), np.int64, count=na)
    out = np.empty(na, np.float64)
    lexicon = bool(prepared.lexicon) and not same
    best_rows(lo_of, hi_of, nb, same, lexicon, *sides[0], *sides[1], rarity, out, _scratch(sides, 1))
    return [float(x) for x in out if x >= 0.0]
