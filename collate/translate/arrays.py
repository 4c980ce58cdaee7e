"""The sentence aligner's evidence as arrays, for its compiled programme (``kernel``, ``compiled``).

Offers:
    pack(prepared)          both texts' evidence, the words' rarities and the scorer's constants, as the
                            compiled functions take them
    share(first, second)    let the second pass reuse what the first turned into arrays
    the layout constants    where each part of a text's flat array starts (``W``, ``N``, …), the scoring
                            modes (``SIMILARITY``, ``FLOORED``, ``COVERAGE``) and the marks' columns

A sentence's evidence is held as sorted integer ids (one id a distinct word, number, name or cognate key) and
its punctuation as counts per mark; a set intersection is then a count of ids found. A text's id arrays are
one flat array (``_flat``): the compiled functions count a reference to each array they are passed, and one
array instead of seventeen keeps that cost out of their inner loops.
"""

from __future__ import annotations

from typing import Any, Iterable, Sequence

import numpy as np

# ``prepared`` below is a ``score._LexicalPrepared`` (not imported: the scorer imports this module).
Prepared = Any

# Ids and offsets: 32 bits hold any text's, at half the memory of 64.
INT = np.int32

_MARKS = "?!:;()\"«»„“”"
_MARK_INDEX = {c: k for k, c in enumerate(_MARKS)}
TOTAL = len(_MARKS)  # the column of the marks' table that holds a sentence's number of marks

# Where a text's flat array (``_flat``) keeps each part's start: ids by kind as offsets (one a sentence, and
# one more) followed by values; the lexicon's additions after them.
W, N, M, C = 0, 2, 4, 6  # words, numbers, names, cognates (offsets; the values follow at +1)
ALT_START, ALT_WORD, ALT = 8, 9, 10  # per sentence, its entries; each entry's word; each entry's words (+1)
S, SEV_START, SEV = 12, 14, 15  # single translations (+1); per sentence, its entries; each entry's words (+1)

# The three ways a link's evidence is scored (``_LexicalPrepared.evidence``).
SIMILARITY = 0  # the first pass: the pooled similarity of the two runs
FLOORED = 1  # one language, second pass: each sentence's charge, at least what leaving it out costs
COVERAGE = 2  # two languages, second pass: each sentence's unmatched share


class _Ids(dict):
    """String → small integer, handing out the next id to a string not seen before."""

    def __missing__(self, key: str) -> int:
        value = self[key] = len(self)
        return value


def _csr(sizes: Iterable[int], values: Iterable[int], count: int, *, ordered: bool = True) -> tuple[np.ndarray, ...]:
    """Ragged groups as offsets and values: group ``k`` is ``values[offsets[k]:offsets[k + 1]]``, each group
    sorted (``ordered``) so that a look-up is a binary search. ``sizes``: each group's length; ``values``:
    the groups' values one after another. No list of each group is built: a long text has millions of ids."""
    offsets = np.zeros(count + 1, INT)
    lengths = np.fromiter(sizes, np.int64, count=count)
    np.cumsum(lengths, out=offsets[1:])
    flat = np.fromiter(values, INT, count=int(offsets[-1]))
    if ordered and len(flat):
        flat = flat[np.lexsort((flat, np.repeat(np.arange(count), lengths)))]
    return offsets, flat


def _base(prepared: Prepared) -> tuple:
    """What both passes share: each text's words, numbers, names and cognates as sorted ids, its marks'
    counts and its sentences' masses, and the ids of the words."""
    words = _Ids()
    others = _Ids()
    sides = []
    for side, feats in enumerate((prepared.a, prepared.b)):
        size = len(feats)
        marks = np.zeros((size, TOTAL + 1), INT)
        for k, f in enumerate(feats):
            for c in f.mark_text:
                marks[k, _MARK_INDEX[c]] += 1
        marks[:, TOTAL] = marks[:, :TOTAL].sum(axis=1)
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


def _lexical(prepared: Prepared, side: int, words: _Ids) -> tuple:
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
        np.cumsum([0, *(len(sentence) for sentence in alternatives)] if alternatives else [0] * (size + 1), dtype=INT),
        np.fromiter((w for w, _ in entries), INT, count=len(entries)),
        *_csr((len(found) for _, found in entries), (x for _, found in entries for x in found), len(entries)),
        *_csr((len(one) for one, _ in images), (words[x] for one, _ in images for x in one), size, ordered=False),
        np.cumsum([0, *(len(many) for _, many in images)], dtype=INT),
        *_csr(map(len, several), (x for image in several for x in image), len(several)),
    )


def share(first: Prepared, second: Prepared) -> None:
    """Let ``second`` (the second pass over the same texts) reuse what ``first`` turned into arrays."""
    second._arrays = first._arrays


def _flat(parts: Sequence[np.ndarray]) -> np.ndarray:
    """Arrays as one: a header holding where each part starts, then the parts (one array is passed to the
    compiled functions instead of seventeen, each of which they would count references to)."""
    bases = np.cumsum([len(parts), *map(len, parts[:-1])], dtype=INT)
    return np.concatenate([bases, *parts], dtype=INT)


def pack(prepared: Prepared) -> tuple:
    """Both texts' evidence and the scorer's constants, as the compiled functions take them: for each
    text (ids as one array, mark counts, masses and coverage denominators), the words' rarities, the
    constants, the mode of scoring, and whether the texts are in one language."""
    if prepared._packed is None:
        # Made once for each scorer (calibration and the programme both ask), from what both passes share.
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
        prepared._packed = packed, rarity
    packed, rarity = prepared._packed
    # The constants are read afresh: calibration changes what leaving a sentence out costs.
    mode = (FLOORED if prepared._floored else COVERAGE) if prepared._per_sentence else SIMILARITY
    scorer = prepared.scorer
    constants = np.array(
        [prepared.weight, scorer.unrelated, prepared.skip_a, prepared.skip_b, prepared.ratio, prepared.variance]
    )
    return packed, rarity, constants, mode, prepared.same
