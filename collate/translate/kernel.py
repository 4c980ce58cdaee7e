"""The sentence aligner's programme for long texts, compiled (Numba): the same path, cost for cost.

Offers:
    usable(prepared)              whether the compiled programme can score with ``prepared``
    takes(prepared, corridor)     whether a search of ``corridor`` goes to the compiled programme
    dp(prepared, corridor, …)     ``align._dp`` for a ``_LexicalPrepared`` scorer: the same links
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
same way. The texts' evidence is turned into arrays once (``arrays``), and the compiled functions
(``compiled``, loaded on first use) read those.
"""

from __future__ import annotations

from importlib.util import find_spec
from typing import Sequence

import numpy as np

from .arrays import C, M, N, S, SEV, W, Prepared, pack

# Numba (a dependency) is imported only when a long text needs it: it takes half a second and 120 MB.
_NUMBA = find_spec("numba") is not None

# Below this many corridor cells, the Python programme is used: the compiled one costs about half a
# second to load, which a short text would feel, and saves nothing there.
CELLS = 40_000


def usable(prepared: Prepared) -> bool:
    """Whether the compiled programme reproduces ``prepared``'s costs: not when it pools each link's
    similarity and also has a lexicon (``LexicalScorer(per_sentence=False)`` given one), which the
    reference alone scores."""
    return _NUMBA and (prepared._per_sentence or not prepared.lexicon)


def takes(prepared: Prepared, corridor: Sequence[tuple[int, int]]) -> bool:
    """Whether a search of ``corridor`` with ``prepared`` goes to the compiled programme: long enough
    (``CELLS``) and ``usable``. The programme and calibration ask the same, so they agree."""
    return sum(hi - lo + 1 for lo, hi in corridor) >= CELLS and usable(prepared)


def _scratch(sides: tuple, widest: int) -> int:
    """Room for the ids of a run of ``widest`` sentences of either text, of any one kind, and for the
    translations of one sentence's words."""
    most = 1
    for d, _, _ in sides:
        for kind in (W, N, M, C, S):
            offsets = d[d[kind] : d[kind + 1]]
            if len(offsets) > 1:
                most = max(most, int(np.diff(offsets).max()))
        most = max(most, int(len(d) - d[SEV + 1]))
    return 2 * most * widest + 16


def dp(
    prepared: Prepared,
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

    sides, rarity, constants, mode, same = pack(prepared)
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


def best_similarities(prepared: Prepared, corridor: Sequence[tuple[int, int]]) -> list[float]:
    """Each source sentence's best one-to-one similarity inside ``corridor`` (rows with no cell left out),
    as ``calibrate`` reads them (one language and a lexicon: not asked for, so not reproduced)."""
    from .compiled import best_rows

    sides, rarity, _, _, same = pack(prepared)
    na, nb = len(prepared.a), len(prepared.b)
    lo_of = np.fromiter((lo for lo, _ in corridor[:na]), np.int64, count=na)
    hi_of = np.fromiter((hi for _, hi in corridor[:na]), np.int64, count=na)
    out = np.empty(na, np.float64)
    lexicon = bool(prepared.lexicon) and not same
    best_rows(lo_of, hi_of, nb, same, lexicon, *sides[0], *sides[1], rarity, out, _scratch(sides, 1))
    return [float(x) for x in out if x >= 0.0]
