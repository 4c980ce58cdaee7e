"""The data of a sentence alignment: texts, links, options, the scorer contract, and the result.

Offers:
    Link                     one link: a run of source sentences and a run of target sentences (either may be
                             empty, for a sentence the other text lacks); ``moved`` when it breaks the order
    Text                     a segmented text: its sentences and the indices where a paragraph begins
    Options                  the knobs: link shapes, band width, paragraph penalty, second pass, moves
    PreparedScorer, SentenceScorer   the scorer contract (``prepare(source, target)`` → ``cost(i, n, j, m)``)
    Translation              the result every output consumes: sigla, texts, pivot, links, and ``rows()``
    Row                      one line of the side-by-side view: each witness's sentences, or none
    LINK_SHAPES              the link shapes tried by default
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Mapping, Protocol, Sequence




__all__ = ["LINK_SHAPES", "Link", "Text", "Options", "PreparedScorer", "SentenceScorer", "Translation", "Row"]


# 1-1, omissions both ways, merges and splits of two, 2-2, and the rarer wider shapes of real translations
# (a translator who makes three or four sentences of one long one is common in the Text+Berg yearbooks).
LINK_SHAPES: tuple[tuple[int, int], ...] = (
    (1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2), (1, 3), (3, 1), (2, 3), (3, 2), (1, 4), (4, 1)
)


@dataclass(frozen=True, slots=True)
class Link:
    """``source`` and ``target`` are consecutive sentence indices (either may be empty, not both)."""

    source: tuple[int, ...]
    target: tuple[int, ...]
    moved: bool = False


@dataclass(frozen=True, slots=True)
class Text:
    """A segmented text. ``paragraphs`` holds the index of each paragraph's first sentence (0 included)."""

    sentences: tuple[str, ...]
    paragraphs: frozenset[int] = frozenset({0})

    def __len__(self) -> int:
        return len(self.sentences)


@dataclass(frozen=True, slots=True)
class Options:
    """``shapes``: the (n, m) link shapes allowed. ``band``: how many sentences either side of the anchor
    corridor the first pass searches; ``refine_band`` the same for the second pass around the first path.
    ``paragraph_penalty``: added when a link merges sentences across a paragraph break of its own text.
    ``first_shapes``: the shapes of the first pass when a second one follows (it only has to find the
    corridor and the links the lexicon is learnt from, so the cheap common shapes suffice).
    ``learn``: run the second pass with a lexicon learnt from the first. ``moves``: look for moved passages.
    ``tight``: within one language, where shared rare words give dense anchors, each pass's corridor
    between two anchors (or two links of the first path) is at most the larger side of their rectangle plus ``tight`` (0: always ``band``).
    ``cross_tight``: the same across languages, where anchors (numbers and names) are sparser.
    ``widest``: stretches of unlinked sentences up to this many a side are realigned with links of one
    sentence to as many as the stretch holds (a long period made of eight short sentences elsewhere).
    ``band``, ``tight``, ``cross_tight`` and ``widest`` bound the search, and so its cost: each sentence
    is compared with a few dozen others at most, however long the texts.
    """

    shapes: tuple[tuple[int, int], ...] = LINK_SHAPES
    first_shapes: tuple[tuple[int, int], ...] = ((1, 1), (1, 0), (0, 1), (1, 2), (2, 1), (2, 2))
    band: int = 30
    tight: int = 2
    cross_tight: int = 4
    refine_band: int = 8
    paragraph_penalty: float = 2.0
    learn: bool = True
    moves: bool = True
    min_move: int = 2
    widest: int = 24


class PreparedScorer(Protocol):
    """Costs for one pair of texts. ``cost(i, n, j, m)``: linking ``source[i:i+n]`` with ``target[j:j+m]``
    (``n`` or ``m`` may be 0 for an omission); lower is better, never negative."""

    def cost(self, i: int, n: int, j: int, m: int) -> float: ...


class SentenceScorer(Protocol):
    """Turns two texts into a ``PreparedScorer``; ``lexicon`` is an optional learnt word mapping."""

    def prepare(
        self, source: Sequence[str], target: Sequence[str], *, lexicon: Mapping[str, frozenset[str]] | None = None
    ) -> PreparedScorer: ...




# --- the result: any number of texts, rows for display ---------------------------------------------------


@dataclass(frozen=True, slots=True)
class Row:
    """One line of the side-by-side view: ``cells[w]`` holds witness ``w``'s sentence indices (maybe none).
    ``moved``: the row links a passage that stands elsewhere in some witness."""

    cells: tuple[tuple[int, ...], ...]
    moved: bool = False


@dataclass(frozen=True, slots=True)
class Translation:
    """``links[k]`` aligns the pivot (as source) with ``others[k]`` (as target)."""

    sigla: tuple[str, ...]
    texts: tuple[Text, ...]
    pivot: str
    others: tuple[str, ...]
    links: tuple[tuple[Link, ...], ...]

    def text(self, siglum: str) -> Text:
        return self.texts[self.sigla.index(siglum)]

    def links_for(self, siglum: str) -> tuple[Link, ...]:
        return self.links[self.others.index(siglum)]

    def rows(self) -> tuple[Row, ...]:
        """The aligned sentences of all witnesses together, in the pivot's order.

        Pivot sentences that any witness links together share a row (a 1-2 link in one witness and two
        1-1 links in another give one row of two pivot sentences). A witness's sentences that link to no
        pivot sentence get a row of their own after the row of the pivot sentence they follow.
        """
        p = self.sigla.index(self.pivot)
        n_pivot = len(self.texts[p])
        parent = list(range(n_pivot))

        def find(x: int) -> int:
            while parent[x] != x:
                parent[x] = parent[parent[x]]
                x = parent[x]
            return x

        for links in self.links:
            for link in links:
                for x in link.source[1:]:
                    parent[find(x)] = find(link.source[0])
        group_of = [find(x) for x in range(n_pivot)]
        order: dict[int, int] = {}
        for x in range(n_pivot):
            order.setdefault(group_of[x], len(order))
        width = len(self.sigla)
        cells: list[list[list[int]]] = [[[] for _ in range(width)] for _ in order]
        for x in range(n_pivot):
            cells[order[group_of[x]]][p].append(x)
        moved = [False] * len(order)
        # Insertions: (row they follow, -1 for the start) → per witness, their sentences.
        extra: dict[int, list[list[int]]] = {}
        for siglum, links in zip(self.others, self.links):
            w = self.sigla.index(siglum)
            after = -1
            for link in links:
                if link.source:
                    row = order[group_of[link.source[0]]]
                    cells[row][w].extend(link.target)
                    moved[row] = moved[row] or link.moved
                    if not link.moved:
                        after = row
                else:
                    extra.setdefault(after, [[] for _ in range(width)])[w].extend(link.target)
        rows: list[Row] = []
        for after in [-1, *range(len(order))]:
            if after >= 0:
                rows.append(Row(tuple(tuple(sorted(c)) for c in cells[after]), moved[after]))
            if after in extra:
                rows.append(Row(tuple(tuple(sorted(c)) for c in extra[after])))
        return tuple(rows)


