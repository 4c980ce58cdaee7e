"""The compiled programme (``collate.translate.kernel``) against the Python one it stands in for.

Long texts are aligned by the compiled programme, short ones by the Python reference. The two must give the
same links, whatever the texts: the tests below force each in turn on the same pairs (one language and two,
with paragraphs, names, numbers, punctuation, merges, splits, omissions and a lexicon to learn) and compare.
"""

from __future__ import annotations

import hashlib
import math
import random

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from collate.translate import arrays, kernel
from collate.translate import align
from collate.translate.align import align_sentences
from collate.translate.model import Options, Text
from collate.translate.score import LexicalScorer, _LexicalPrepared

pytestmark = pytest.mark.skipif(not kernel._NUMBA, reason="numba is not installed")

_SYLLABLES = ["ka", "lo", "mir", "den", "sa", "tor", "vel", "un", "bra", "is", "gon", "e", "ther", "pa", "qui"]
_MARKS = ["?", "!", ";", ":", "(", ")", '"', "«", "»"]


def _foreign(word: str) -> str:
    """The same word in an invented language: a fixed spelling from a hash, nothing in common by design."""
    digest = hashlib.blake2b(word.lower().encode(), digest_size=8).digest()
    return "".join("zxqwjyv"[b % 7] + "ouia"[b % 4] for b in digest[: max(2, len(word) // 2)])


def _pair(seed: int, size: int, *, same: bool) -> tuple[Text, Text]:
    """A text of ``size`` sentences in paragraphs, and a version of it: sentences split, merged, left out
    and added; within one language some words replaced by a fixed other word (a synonym a lexicon can
    learn) and some by chance; across two, every word but names and numbers spelt in another language."""
    rng = random.Random(seed)
    vocabulary = sorted({"".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(3000)})
    names = [w.capitalize() for w in vocabulary[:40]]
    synonyms = {w: vocabulary[-1 - k] for k, w in enumerate(vocabulary[40:90])}

    def sentence() -> list[str]:
        words = [vocabulary[int(len(vocabulary) * rng.random() ** 2)] for _ in range(rng.randint(4, 16))]
        if rng.random() < 0.3:
            words.insert(rng.randint(1, len(words)), rng.choice(names))
        if rng.random() < 0.25:
            words.insert(rng.randint(1, len(words)), str(rng.randint(10, 2000)))
        if rng.random() < 0.3:
            words[rng.randrange(len(words))] += rng.choice([",", ";", ":"])
        return words

    def written(words: list[str]) -> str:
        end = rng.choice([".", ".", ".", "?", "!"])
        text = " ".join(words)
        if rng.random() < 0.1:
            text = f"{text} ({rng.choice(vocabulary)})"
        if rng.random() < 0.1:
            text = f"«{text}»"
        return text[0].upper() + text[1:] + end

    source: list[list[str]] = [sentence() for _ in range(size)]
    breaks_a = {0, *sorted(rng.sample(range(1, size), size // 8))}
    target: list[list[str]] = []
    breaks_b = set()
    k = 0
    while k < size:
        if k in breaks_a:
            breaks_b.add(len(target))
        words = list(source[k])
        roll = rng.random()
        if roll < 0.01:
            k += 1
            continue  # left out
        if roll < 0.03 and k + 1 < size and k + 1 not in breaks_a:
            words += source[k + 1]  # merged with the next
            k += 1
        changed = []
        for w in words:
            if same:
                if w in synonyms and rng.random() < 0.9:
                    w = synonyms[w]
                elif rng.random() < 0.1:
                    w = rng.choice(vocabulary)
            elif not (w[0].isupper() or w[0].isdigit()):
                w = _foreign(w.rstrip(",;:")) + w[len(w.rstrip(",;:")) :]
            if rng.random() > 0.05:
                changed.append(w)
        changed = changed or words[:1]
        if roll > 0.8 and len(changed) > 6:  # split in two
            cut = len(changed) // 2
            target += [changed[:cut], changed[cut:]]
        else:
            target.append(changed)
        if rng.random() < 0.01:
            target.append(sentence())  # added
        k += 1
    a = Text(tuple(written(s) for s in source), frozenset(breaks_a))
    b = Text(tuple(written(s) for s in target), frozenset(breaks_b))
    return a, b


def _both_programmes(monkeypatch: pytest.MonkeyPatch) -> list[tuple[int, bool, float, float]]:
    """Make every whole-text search run twice, compiled and by the reference: each search records its
    scoring mode, whether the two paths agree, the compiled programme's cost of its last cell and the
    reference's cost of its own path (``_path_cost``, paragraph penalties included)."""
    seen: list[tuple[int, bool, float, float]] = []
    search = align._dp
    compiled_dp = kernel.dp

    def both(na, nb, prepared, corridor, shapes, options, breaks_a, breaks_b, *, shared=None):
        if not isinstance(prepared, _LexicalPrepared) or len(prepared.a) != na:
            return search(na, nb, prepared, corridor, shapes, options, breaks_a, breaks_b, shared=shared)
        last: list[float] = []

        def spy(*args):
            found = compiled_dp(*args)
            last.append(found[0])
            return found

        monkeypatch.setattr(kernel, "dp", spy)
        monkeypatch.setattr(kernel, "CELLS", 0)
        compiled = search(na, nb, prepared, corridor, shapes, options, breaks_a, breaks_b, shared=shared)
        monkeypatch.setattr(kernel, "CELLS", 10**12)
        reference = search(na, nb, prepared, corridor, shapes, options, breaks_a, breaks_b, shared=shared)
        kept = align._shared_paragraphs(breaks_a, breaks_b) if shared is None else shared
        cost = align._path_cost(reference, prepared, options, breaks_a, breaks_b, kept)
        mode = arrays.pack(prepared)[3]
        seen.append((mode, compiled == reference, last[0], cost))
        return reference

    monkeypatch.setattr(align, "_dp", both)
    return seen


@pytest.mark.parametrize("same", [True, False])
@pytest.mark.parametrize("seed", [1, 2])
def test_compiled_programme_finds_the_reference_path_at_the_reference_cost(same, seed, monkeypatch):
    a, b = _pair(seed, 400, same=same)
    seen = _both_programmes(monkeypatch)
    links = align_sentences(a, b, scorer=LexicalScorer(same=same))
    # Both passes ran both ways: the first scored by similarity, the second by each sentence's share.
    assert [mode for mode, *_ in seen] == [arrays.SIMILARITY, arrays.FLOORED if same else arrays.COVERAGE]
    for mode, agree, last, cost in seen:
        assert agree, mode
        assert last == pytest.approx(cost, rel=1e-12), mode
    assert sum(1 for link in links if link.source and link.target) > 300  # a real alignment


@pytest.mark.parametrize("same", [True, False])
def test_the_second_pass_reads_the_learnt_lexicon_compiled(same, monkeypatch):
    # Within one language the lexicon maps words to synonyms; across two, to translations. Either way the
    # compiled second pass has them among each sentence's evidence.
    a, b = _pair(3, 400, same=same)
    added: list[int] = []
    pack = arrays.pack

    def spy(prepared):
        packed = pack(prepared)
        d = packed[0][0][0]  # the source text's ids as one array; part p spans d[p]..d[p + 1]
        part = arrays.ALT_WORD if same else arrays.S + 1
        added.append(int(d[part + 1] - d[part]))
        return packed

    monkeypatch.setattr(kernel, "pack", spy)
    monkeypatch.setattr(kernel, "CELLS", 0)
    align_sentences(a, b, scorer=LexicalScorer(same=same))
    assert added[0] == 0 and added[-1] > 20


def test_compiled_programme_keeps_paragraph_penalties(monkeypatch):
    a, b = _pair(5, 300, same=True)
    prepared = LexicalScorer(same=True).prepare(a.sentences, b.sentences)
    corridor = [(max(0, i - 40), min(len(b), i + 60)) for i in range(len(a) + 1)]
    prepared.calibrate(corridor)
    seen = _both_programmes(monkeypatch)
    for breaks in ((a.paragraphs, b.paragraphs), (a.paragraphs, frozenset({0})), (frozenset({0}), b.paragraphs)):
        align._dp(len(a), len(b), prepared, corridor, Options().shapes, Options(), *breaks)
        align._dp(len(a), len(b), prepared, corridor, Options().shapes, Options(), *breaks, shared=True)
    assert len(seen) == 6
    for _, agree, last, cost in seen:
        assert agree
        assert last == pytest.approx(cost, rel=1e-12)


@pytest.mark.parametrize("lexicon", [False, True])
def test_calibration_reads_the_same_similarities_compiled(lexicon):
    a, b = _pair(7, 300, same=False)
    prepared = LexicalScorer(same=False).prepare(a.sentences, b.sentences)
    if lexicon:
        # The second pass's calibration: each source word the lexicon knows maps to its translation, one
        # word in five to a second one as well (a lexicon entry of several words).
        words = sorted({w for f in prepared.a for w in f.words})
        learnt = {
            w: frozenset({_foreign(w), _foreign(w[::-1])} if k % 5 == 0 else {_foreign(w)})
            for k, w in enumerate(words[::2])
        }
        prepared = _LexicalPrepared(prepared.a, prepared.b, prepared.scorer, learnt, False, second=True)
    corridor = [(max(0, i - 30), min(len(b), i + 30)) for i in range(len(a) + 1)]
    expected = [
        max(prepared.similarity(i, 1, j, 1) for j in range(lo, min(hi + 1, len(b))))
        for i, (lo, hi) in enumerate(corridor[:-1])
    ]
    assert kernel.best_similarities(prepared, corridor) == expected
    assert len(set(expected)) > 50  # similarities of every kind, not one value throughout


def test_pooled_similarity_with_a_lexicon_stays_with_the_reference():
    # A lexicon given to a scorer that pools each link's similarity (``per_sentence=False``): the compiled
    # programme reads a lexicon only per sentence, so the reference scores this one.
    lexicon = {"haus": frozenset({"maison"})}
    pooled = LexicalScorer(same=False, per_sentence=False).prepare(["Ein Haus."], ["Une maison."], lexicon=lexicon)
    assert not kernel.usable(pooled)
    assert kernel.usable(LexicalScorer(same=False).prepare(["Ein Haus."], ["Une maison."], lexicon=lexicon))


@settings(max_examples=300, deadline=None)
@given(st.lists(st.floats(allow_nan=False, allow_infinity=False, min_value=-1e300, max_value=1e300), max_size=40))
def test_compiled_fsum_is_pythons_to_the_last_bit(values):
    from collate.translate.compiled import _fsum

    array = np.array(values, np.float64)
    assert _fsum(array, len(values), np.empty(len(values) + 1)) == math.fsum(values)


def test_compiled_fsum_rounds_half_even_across_partials():
    from collate.translate.compiled import _fsum

    for values in ([1e-16, 1.0, 1e16], [0.1] * 10, [1.0, 1e100, 1.0, -1e100], [2.0**53, 1.0, 2.0**-60]):
        assert _fsum(np.array(values), len(values), np.empty(len(values) + 1)) == math.fsum(values)


def test_compiled_functions_fall_back_to_no_cache_where_no_folder_can_hold_one(monkeypatch):
    # Numba refuses ``cache=True`` when neither the package's folder nor the user's cache folder can be
    # written (a read-only installation): the functions are then compiled in each process instead.
    from collate.translate import compiled

    asked: list[dict] = []

    def njit(**options):
        asked.append(options)
        if options.get("cache"):
            raise RuntimeError("cannot cache function 'f': no locator available for file 'compiled.py'")
        return lambda function: function

    monkeypatch.setattr(compiled, "njit", njit)

    def double(x):
        return 2 * x

    assert compiled._compile(inline="always")(double)(21) == 42
    assert asked == [
        {"cache": True, "nogil": True, "inline": "always"},
        {"nogil": True, "inline": "always"},
    ]


@pytest.mark.parametrize("same", [True, False])
def test_a_corridor_wider_than_the_coverage_table_gives_the_same_path(same, monkeypatch):
    # Every row searches all 300-odd target sentences: wider than the table of coverages (256 columns),
    # so its entries evict each other and are computed again. The second pass's scoring (each sentence's
    # share of its evidence) reads that table.
    a, b = _pair(9, 300, same=same)
    source = Text(a.sentences[:60], frozenset({0}))
    first = LexicalScorer(same=same).prepare(source.sentences, b.sentences)
    words = sorted({w for f in first.a for w in f.words})
    learnt = {} if same else {w: frozenset({_foreign(w)}) for w in words}
    second = _LexicalPrepared(first.a, first.b, first.scorer, learnt, same, second=True)
    corridor = [(0, len(b))] * (len(source) + 1)
    seen = _both_programmes(monkeypatch)
    align._dp(len(source), len(b), second, corridor, Options().shapes, Options(), frozenset({0}), frozenset({0}))
    [(mode, agree, last, cost)] = seen
    assert mode == (arrays.FLOORED if same else arrays.COVERAGE)
    assert agree
    assert last == pytest.approx(cost, rel=1e-12)
