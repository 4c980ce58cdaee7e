"""Synthetic noisy witnesses whose true alignment is known, for measuring alignment accuracy.

Offers:
    Noise                       the kinds and rates of corruption
    SyntheticWitness            a witness's text and, per token, the id of the original token it descends from
    make_witnesses(words, …)    noisy copies of a hidden original; every copy is noisy, the first included
    true_pairs(ws)              the set of word pairs (witness, token, witness, token) that descend from one word
    predicted_pairs(alignment)  the same set read off an ``Alignment`` (same column, or linked by a transposition)
    score(truth, predicted)     precision, recall, F1
    score_sample(ws, alignment, count, seed)  the same over a fixed random sample of witness pairs (hundreds of
                                witnesses have too many pairs of words to hold every one)

Each output unit is built so that the project's tokeniser reads it as exactly one token (a hyphenation split
is ``vari-⏎ation``, one token as printed), which ``make_witnesses`` checks; so token ``i`` of a witness maps to
``origins[i]``. Inserted words descend from nothing (``None``). A substitution (OCR confusion, editorial
synonym, case or punctuation change) keeps its origin: the word stands where the original word stood.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Sequence

from collate.engine.model import Alignment
from collate.engine.tokens import split

__all__ = ["Noise", "SyntheticWitness", "make_witnesses", "true_pairs", "predicted_pairs", "score", "score_sample", "words_of"]

# Character confusions typical of OCR output (both directions are applied).
_CONFUSIONS = [
    ("rn", "m"), ("m", "rn"), ("h", "b"), ("e", "c"), ("c", "e"), ("l", "1"), ("i", "l"), ("o", "0"),
    ("u", "n"), ("n", "u"), ("cl", "d"), ("vv", "w"), ("t", "f"), ("a", "o"), ("s", "f"),
]


@dataclass(frozen=True, slots=True)
class Noise:
    """``rate``: probability that a word is corrupted. The weights choose among the corruptions."""

    rate: float = 0.05
    drop: float = 2.0
    insert: float = 2.0
    confuse: float = 3.0
    hyphenate: float = 1.0
    punctuation: float = 1.0
    case: float = 1.0
    substitute: float = 1.0
    moves_per_1000: float = 2.0  # passages moved, per 1,000 words
    move_length: tuple[int, int] = (4, 16)
    move_distance: tuple[int, int] = (10, 50)


@dataclass(frozen=True, slots=True)
class SyntheticWitness:
    siglum: str
    text: str
    origins: tuple[int | None, ...]  # per token of ``text``: index of the original token, or None
    punct: tuple[bool, ...]


def words_of(text: str) -> list[str]:
    """The tokens of a source text, as the project's tokeniser reads them."""
    return [s.text for s in split(text)]


def _confuse(word: str, rng: random.Random) -> str:
    options = [(a, b) for a, b in _CONFUSIONS if a in word]
    if not options:
        # Only a letter or digit is misread: changing a joining hyphen or apostrophe would split the token.
        letters = [k for k, c in enumerate(word) if c.isalnum()]
        i = rng.choice(letters)
        return word[:i] + rng.choice("aeiourstn") + word[i + 1 :]
    a, b = rng.choice(options)
    at = [i for i in range(len(word)) if word.startswith(a, i)]
    i = rng.choice(at)
    return word[:i] + b + word[i + len(a) :]


def make_witnesses(
    original: Sequence[str],
    count: int,
    noise: Noise = Noise(),
    *,
    seed: int = 0,
    sigla: Sequence[str] | None = None,
) -> list[SyntheticWitness]:
    """``count`` noisy copies of ``original`` (a list of tokens: words and punctuation marks)."""
    rng = random.Random(seed)
    is_punct = [not any(c.isalnum() for c in t) for t in original]
    vocabulary = [t for t, p in zip(original, is_punct) if not p]
    kinds = ["drop", "insert", "confuse", "hyphenate", "punctuation", "case", "substitute"]
    weights = [getattr(noise, k) for k in kinds]
    out = []
    for w in range(count):
        units: list[tuple[str, int | None, bool]] = []
        for k, token in enumerate(original):
            if rng.random() >= noise.rate:
                units.append((token, k, is_punct[k]))
                continue
            kind = rng.choices(kinds, weights)[0]
            if is_punct[k]:
                if kind in ("drop", "punctuation"):
                    if kind == "punctuation":
                        units.append((rng.choice([",", ";", ".", ":"]), k, True))
                    continue
                units.append((token, k, True))
                continue
            if kind == "drop":
                continue
            if kind == "insert":
                units.append((token, k, False))
                units.append((rng.choice(vocabulary), None, False))
            elif kind == "confuse":
                units.append((_confuse(token, rng), k, False))
            elif kind == "hyphenate" and len(token) >= 6 and token.isalpha():
                cut = rng.randrange(3, len(token) - 2)
                units.append((token[:cut] + "-\n" + token[cut:], k, False))
            elif kind == "punctuation":
                units.append((token, k, False))
                units.append((rng.choice([",", ";", "—"]), None, True))
            elif kind == "case":
                units.append((token.upper() if token[:1].islower() else token.lower(), k, False))
            else:  # substitute (also a hyphenation of a short word): an editor's different word
                units.append((rng.choice(vocabulary), k, False))
        n_moves = int(len(original) * noise.moves_per_1000 / 1000 + rng.random())
        for _ in range(n_moves):
            length = rng.randint(*noise.move_length)
            distance = rng.randint(*noise.move_distance)
            if len(units) < length + distance + 2:
                break
            start = rng.randrange(0, len(units) - length - distance)
            passage = units[start : start + length]
            del units[start : start + length]
            units[start + distance : start + distance] = passage
        text = " ".join(u[0] for u in units)
        tokens = split(text)
        if len(tokens) != len(units):  # a generated unit must stay one token; this would be a generator bug
            raise AssertionError(f"generator produced {len(tokens)} tokens for {len(units)} units")
        siglum = sigla[w] if sigla else f"W{w + 1}"
        out.append(SyntheticWitness(siglum, text, tuple(u[1] for u in units), tuple(t.punct for t in tokens)))
    return out


Pair = tuple[int, int, int, int]


def true_pairs(witnesses: Sequence[SyntheticWitness]) -> set[Pair]:
    """Word pairs of every two witnesses that descend from the same original word."""
    pairs: set[Pair] = set()
    index = []
    for w in witnesses:
        by_origin = {}
        for i, (o, p) in enumerate(zip(w.origins, w.punct)):
            if o is not None and not p:
                by_origin[o] = i
        index.append(by_origin)
    for x in range(len(witnesses)):
        for y in range(x + 1, len(witnesses)):
            for o, i in index[x].items():
                j = index[y].get(o)
                if j is not None:
                    pairs.add((x, i, y, j))
    return pairs


def predicted_pairs(alignment: Alignment) -> set[Pair]:
    """Word pairs the alignment puts in one column, or links across a transposition."""
    n = len(alignment.witnesses)
    punct = [[t.punct for t in w.tokens] for w in alignment.witnesses]
    pairs: set[Pair] = set()
    columns = alignment.columns

    def add(cx: tuple[int | None, ...], cy: tuple[int | None, ...]) -> None:
        for x in range(n):
            i = cx[x]
            if i is None or punct[x][i]:
                continue
            for y in range(n):
                j = cy[y]
                if y == x or j is None or punct[y][j]:
                    continue
                pairs.add((x, i, y, j) if x < y else (y, j, x, i))

    # Links are an equivalence: a passage moved in two witnesses is linked through the columns between.
    root = _linked(alignment)
    groups: dict[int, list[int]] = {}
    for c in range(len(columns)):
        groups.setdefault(root[c], []).append(c)
    for members in groups.values():
        for c in members:
            for d in members:
                if c <= d:
                    add(columns[c], columns[d])
    return pairs


def _linked(alignment: Alignment) -> list[int]:
    """For each column, one column that stands for its group: the columns that transpositions link, through one
    another (a passage moved in two witnesses is linked through the columns between)."""
    parent = list(range(len(alignment.columns)))

    def find(c: int) -> int:
        while parent[c] != c:
            parent[c] = parent[parent[c]]
            c = parent[c]
        return c

    for t in alignment.transpositions:
        for c, d in t.links:
            parent[find(c)] = find(d)
    return [find(c) for c in range(len(parent))]


def _prf(hits: int, truth: int, predicted: int) -> tuple[float, float, float]:
    precision = hits / predicted if predicted else 1.0
    recall = hits / truth if truth else 1.0
    f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
    return precision, recall, f1


def score(truth: set[Pair], predicted: set[Pair]) -> tuple[float, float, float]:
    return _prf(len(truth & predicted), len(truth), len(predicted))


def score_sample(
    witnesses: Sequence[SyntheticWitness], alignment: Alignment, count: int, seed: int = 0
) -> tuple[float, float, float, int]:
    """Precision, recall and F1 over ``count`` pairs of witnesses drawn at random (every pair when there are
    no more), and how many pairs were scored. The pairs are drawn by ``seed`` alone: the same witnesses get
    the same sample whatever the alignment. Over every pair it equals ``score(true_pairs, predicted_pairs)``."""
    n = len(witnesses)
    everything = [(x, y) for x in range(n) for y in range(x + 1, n)] if n * (n - 1) // 2 <= count else None
    if everything is not None:
        chosen = everything
    else:
        rng = random.Random(seed)
        picked: set[tuple[int, int]] = set()
        while len(picked) < count:
            x, y = rng.sample(range(n), 2)
            picked.add((min(x, y), max(x, y)))
        chosen = sorted(picked)
    # Each word's group: its column, or the columns linked with it across transpositions.
    columns = alignment.columns
    root = _linked(alignment)
    group: list[dict[int, int]] = [{} for _ in range(n)]
    for c, column in enumerate(columns):
        g = root[c]
        for w, i in enumerate(column):
            if i is not None and not witnesses[w].punct[i]:
                group[w][i] = g
    origin = [{o: i for i, (o, p) in enumerate(zip(w.origins, w.punct)) if o is not None and not p} for w in witnesses]
    hits = truth = predicted = 0
    for x, y in chosen:
        members: dict[int, set[int]] = {}
        for j, g in group[y].items():
            members.setdefault(g, set()).add(j)
        predicted += sum(len(members.get(g, ())) for g in group[x].values())
        for o, i in origin[x].items():
            j = origin[y].get(o)
            if j is None:
                continue
            truth += 1
            g = group[x].get(i)
            hits += g is not None and j in members.get(g, ())
    return (*_prf(hits, truth, predicted), len(chosen))
