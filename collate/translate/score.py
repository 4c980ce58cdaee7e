"""Scoring a candidate link between runs of sentences, with no model.

Offers:
    LexicalScorer            the model-free scorer: length (Gale–Church), numbers, names, punctuation,
                             cognates, and a word lexicon and omission rates it learns from its own first pass
    EmbeddingScorer          a scorer over sentence vectors from any ``encode(list[str])`` callable the user
                             supplies (sentence-transformers or another installed model); nothing is downloaded
    same_language(a, b)      whether two texts are in one language (then word-level variants are worth showing)

The features of a sentence (``_features``) are shared with the aligner, which pins its corridor on the rare
ones (a number or a name that occurs once in each text).
"""

from __future__ import annotations

import math
from array import array
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass
from itertools import chain, product
from typing import Callable, Iterable, Mapping, Sequence

import regex

from . import kernel



# --- features -------------------------------------------------------------------------------------------

_WORD = regex.compile(r"[\p{L}\p{M}]+|\p{N}+")
_MARKS = "?!:;()\"«»„“”"


def _fold(word: str) -> str:
    """Casefold and drop diacritics: ``Expédition`` and ``Expedition`` share a cognate key."""
    decomposed = unicodedata.normalize("NFD", word.casefold())
    return "".join(c for c in decomposed if not unicodedata.combining(c))


@dataclass(frozen=True, slots=True)
class _Features:
    chars: int
    numbers: frozenset[str]
    names: frozenset[str]  # capitalised words not at the start of the sentence, folded
    cognates: frozenset[str]  # the first four letters of words of five letters or more
    words: frozenset[str]  # every folded word (what the lexicon maps)
    marks: frozenset[str]  # the distinctive punctuation, each occurrence numbered ("?1", "?2")
    mark_text: str


_EMPTY: frozenset[str] = frozenset()
_MARK_RUN = regex.compile("[" + regex.escape(_MARKS) + "]+")


def _frozen(items: set[str]) -> frozenset[str]:
    # One empty set for every sentence without numbers, names or marks (most of them): memory per sentence.
    return frozenset(items) if items else _EMPTY


def _features(sentence: str, *, stem: int = 0, folds: dict[str, tuple[str | None, str, str]] | None = None) -> _Features:
    """The evidence of one sentence. With ``stem`` (two texts in one language), each word is kept as its
    first ``stem`` letters, so that ``afflicted`` meets ``afflict`` and ``multiplied`` meets ``multiply``.
    ``folds``: a cache of what each token gives, shared by the sentences of a text (a long text spells
    the same words again and again: this saves the folding, and one copy of each form serves them all)."""
    numbers: set[str] = set()
    names: set[str] = set()
    cognates: set[str] = set()
    words: set[str] = set()
    if folds is None:
        folds = {}
    for k, token in enumerate(_WORD.findall(sentence)):
        found = folds.get(token)
        if found is None:
            found = folds[token] = _forms(token, stem)
        word, cognate, name = found
        if word is None:
            numbers.add(token)
            continue
        words.add(word)
        if cognate:
            cognates.add(cognate)
        if name and k > 0:
            names.add(name)
    marks = "".join(_MARK_RUN.findall(sentence))
    chars = len("".join(sentence.split()))
    return _Features(
        chars, _frozen(numbers), _frozen(names), _frozen(cognates), _frozen(words), _numbered(marks), marks
    )


def _forms(token: str, stem: int) -> tuple[str | None, str, str]:
    """What a token gives a sentence's evidence: its word (None for a number), its cognate key (empty for
    none; within one language the stems themselves stand for cognates) and its folded form when it is
    capitalised, a name unless it begins the sentence (else empty)."""
    if token[0].isdigit():
        return (None, "", "")
    folded = _fold(token)
    word = folded[:stem] if stem else folded
    cognate = folded[:4] if len(folded) >= 5 and not stem else ""
    return (word, cognate, folded if token[0].isupper() and len(token) > 1 else "")


def _numbered(marks: str) -> frozenset[str]:
    """Each mark with its occurrence number, so that set intersection counts shared marks as a multiset."""
    if not marks:
        return _EMPTY
    seen: dict[str, int] = {}
    out = []
    for c in marks:
        seen[c] = count = seen.get(c, 0) + 1
        out.append(f"{c}{count}")
    return frozenset(out)


def _union(feats: Sequence[_Features]) -> _Features:
    if len(feats) == 1:
        return feats[0]
    marks = "".join([f.mark_text for f in feats])
    return _Features(
        sum([f.chars for f in feats]),
        _merged([f.numbers for f in feats]),
        _merged([f.names for f in feats]),
        _merged([f.cognates for f in feats]),
        _merged([f.words for f in feats]),
        _numbered(marks),
        marks,
    )


def _merged(sets: list[frozenset[str]]) -> frozenset[str]:
    """The union of ``sets``, for sets whose order nothing depends on (only their sizes and intersections
    are read): the one set itself when the others are empty, as most are."""
    found = [s for s in sets if s]
    if len(found) <= 1:
        return found[0] if found else _EMPTY
    return frozenset().union(*found)


# --- the model-free scorer ------------------------------------------------------------------------------

# Gale & Church (1993): variance of the length ratio per character, and the prior of each link shape.
_VARIANCE = 6.8
_PRIORS = {(1, 1): 0.89, (1, 0): 0.005, (0, 1): 0.005, (1, 2): 0.045, (2, 1): 0.045, (2, 2): 0.011}
_RARE_PRIOR = 0.003  # shapes Gale & Church did not count (1-3, 3-1, …)
# With per-sentence coverage a many-to-many link (2-2, 2-3, 3-2) already pays for every sentence in it
# that finds no counterpart, so its prior need not also guard against loose merges: it is halved. (Set on
# the Text+Berg development set, where anything from a third to two thirds gives the same result.)
_MANY_TO_MANY = 0.5
# Gale & Church's omission prior in nats (1-0 against 1-1): what leaving a sentence out costs before anything
# is known about the texts at hand. The second pass replaces it with the omission rate of each text, estimated
# from the first pass (``_omission_costs``).
_OMISSION = -math.log(_PRIORS[(1, 0)] / _PRIORS[(1, 1)])


def _shape_cost(n: int, m: int) -> float:
    """−log of the prior of an n-m link against a one-to-one link, in the second pass."""
    share = _MANY_TO_MANY if n > 1 and m > 1 else 1.0
    return -math.log(share * _PRIORS.get((n, m), _RARE_PRIOR) / _PRIORS[(1, 1)])


_SHAPE_COST = {(n, m): _shape_cost(n, m) for n in range(1, 6) for m in range(1, 6)}


def _cumulative(values: Iterable[int]) -> list[int]:
    """Running totals, starting at 0: ``out[k]`` is the sum of the first ``k`` values."""
    out = [0]
    for value in values:
        out.append(out[-1] + value)
    return out


_SQRT2 = math.sqrt(2)


def _length_cost(a: int, b: int, ratio: float, variance: float = _VARIANCE) -> float:
    """Gale–Church: −log of the two-sided tail probability of the length difference."""
    if a == 0 and b == 0:
        return 0.0
    mean = (a + b / ratio) / 2
    delta = (b / ratio - a) / math.sqrt(mean * variance)
    tail = math.erfc(abs(delta) / _SQRT2)
    return -math.log(max(tail, 1e-12))


class LexicalScorer:
    """The model-free scorer. ``weight`` scales the lexical dissimilarity against the length cost: a sentence
    in a link pays ``weight / 2`` times the share of its evidence the other side does not match. ``skip`` is
    the cost of leaving one sentence unlinked; left at ``None`` it is not a constant but derived (see
    ``_omission_costs``): ``weight / 2`` (what a sentence with no evidence pays inside a link) plus the
    log-odds of an omission against a one-to-one link, Gale & Church's in the first pass and each text's own,
    estimated from the first pass's links, in the second. ``per_sentence``: once a lexicon is known (the
    second pass), charge each sentence of a link for the share of its own evidence that finds no
    counterpart on the other side, rather than charging the link for its pooled similarity.

    Two texts in one language (``same``; ``None`` detects it with ``same_language``) are scored with
    ``same_weight`` and ``same_variance`` instead of ``weight`` and Gale & Church's length variance: a
    paraphrase keeps the content words of its original but not its length. Their words are compared by
    their first ``stem`` letters and weighted by rarity (a word in every sentence, ``the``, weighs next to
    nothing; a word in one sentence of each text, ``Pithom``, weighs one). The constants are chosen by
    cross-validation (``benchmarks/textberg.py``, ``benchmarks/translations_en.py``)."""

    __slots__ = ("weight", "skip", "per_sentence", "same_weight", "same_variance", "stem", "unrelated", "absorb", "same")

    def __init__(
        self,
        *,
        weight: float = 12.0,
        skip: float | None = None,
        per_sentence: bool = True,
        same_weight: float = 9.0,
        same_variance: float = 27.0,
        stem: int = 5,
        unrelated: float = 0.2,
        absorb: float = 0.5,
        same: bool | None = None,
    ) -> None:
        self.weight = weight
        self.skip = skip
        self.per_sentence = per_sentence
        self.same_weight = same_weight
        self.same_variance = same_variance
        self.stem = stem
        self.unrelated = unrelated
        self.absorb = absorb
        self.same = same

    def prepare(
        self, source: Sequence[str], target: Sequence[str], *, lexicon: Mapping[str, frozenset[str]] | None = None
    ) -> "_LexicalPrepared":
        # Across languages a word shared by both texts is a name or a coincidence; within one language
        # (two translations) shared words are the main evidence.
        same = self.same if self.same is not None else same_language(source, target)
        stem = self.stem if same else 0
        folds: dict[str, tuple[str | None, str, str]] = {}
        return _LexicalPrepared(
            [_features(s, stem=stem, folds=folds) for s in source],
            [_features(s, stem=stem, folds=folds) for s in target],
            self,
            lexicon or {},
            same,
        )


class _LexicalPrepared:
    __slots__ = (
        "a", "b", "scorer", "lexicon", "same", "ratio", "skip_a", "skip_b", "_runs_a", "_runs_b", "_mapped",
        "_reverse", "_coverage", "_per_sentence", "weight", "variance", "_rarity", "_mass", "_row", "_masses", "_alternatives",
        "_cum_a", "_cum_b", "_images", "_room", "_charges", "_shapes", "_pairs", "_floored", "_arrays",
        "_packed",
    )

    def __init__(
        self,
        a: list[_Features],
        b: list[_Features],
        scorer: LexicalScorer,
        lexicon: Mapping[str, frozenset[str]],
        same: bool,
        *,
        second: bool = False,
    ) -> None:
        """``second``: this scores the second pass (each sentence charged for its own unmatched evidence),
        which a lexicon implies; within one language it runs on the words themselves, lexicon or none."""
        self.a = a
        self.same = same
        self.b = b
        self.scorer = scorer
        self.lexicon = lexicon
        # Characters before each sentence: the length of any run without building the run's features.
        self._cum_a = _cumulative(f.chars for f in a)
        self._cum_b = _cumulative(f.chars for f in b)
        total_a = self._cum_a[-1] or 1
        total_b = self._cum_b[-1] or 1
        # The length ratio of the two languages, taken from the texts themselves (French runs ~10% longer
        # than German; a fixed 1.0 would tilt every decision towards merges on one side).
        self.ratio = total_b / total_a
        self.weight = scorer.same_weight if same else scorer.weight
        self.variance = scorer.same_variance if same else _VARIANCE
        # Within one language, how much a shared word tells: log(N / df) / log(N) over the sentences of
        # both texts, so that function words (in most sentences) count for next to nothing.
        self._rarity: dict[str, float] = {}
        if same:
            df: Counter[str] = Counter()
            for f in (*a, *b):
                df.update(f.words)
            total = len(a) + len(b)
            scale = math.log(total + 1)
            self._rarity = {w: max(0.05, math.log((total + 1) / k) / scale) for w, k in df.items()}
        rarity = self._rarity
        self._mass = tuple([math.fsum(rarity.get(w, 1.0) for w in f.words) for f in side] for side in (a, b))
        # The caches hold runs and coverages near the row the programme is filling; they are emptied as it
        # moves on, so that memory does not grow with the length of the texts.
        self._row = 0
        self._masses: dict[tuple[int, int, int], float] = {}
        self._runs_a: dict[tuple[int, int], _Features] = {}
        self._runs_b: dict[tuple[int, int], _Features] = {}
        self._mapped: dict[tuple[int, int], frozenset[str]] = {}
        # The cost of leaving a source (``skip_a``) or a target (``skip_b``) sentence unlinked; ``calibrate``
        # refines both once the corridor (and, in the second pass, the first pass's links) are known.
        first = scorer.skip if scorer.skip is not None else self.weight / 2 + _OMISSION
        self.skip_a = self.skip_b = first
        self._per_sentence = scorer.per_sentence and (bool(lexicon) or second)
        # Whether a sentence of a link pays at least what leaving it out costs (``_charge``).
        self._floored = same and scorer.unrelated > 0
        # The lexicon read backwards, so that a target sentence's words can look for their source words.
        reverse: dict[str, set[str]] = defaultdict(set)
        for word, translations in lexicon.items():
            for translation in translations:
                reverse[translation].add(word)
        self._reverse = {word: frozenset(found) for word, found in reverse.items()}
        # Within one language, each sentence's words that the lexicon maps to some other word (a synonym:
        # ``afflict`` for ``oppress``); a word mapped to itself adds nothing to the word itself.
        self._alternatives: tuple[list[tuple[tuple[str, frozenset[str]], ...]], ...] = ([], [])
        if same:
            for side, maps in ((a, lexicon), (b, self._reverse)):
                out = self._alternatives[0 if side is a else 1]
                for f in side:
                    out.append(tuple((w, maps[w] - {w}) for w in f.words if w in maps and maps[w] - {w}))
        # Across languages, each sentence's words as the lexicon translates them (the words it does not map
        # can match nothing): a link's coverage then needs no lexicon look-up.
        # A word with one translation (most of them) is kept as that word, so that looking it up is one
        # membership test: (the single translations, the sets of several).
        self._images: tuple[list[tuple[tuple[str, ...], tuple[frozenset[str], ...]]], ...] = ([], [])
        if lexicon and not same:
            for side, maps, out in ((a, lexicon, self._images[0]), (b, self._reverse, self._images[1])):
                for f in side:
                    images = [maps[w] for w in f.words if w in maps]
                    single = tuple(next(iter(image)) for image in images if len(image) == 1)
                    several = tuple(image for image in images if len(image) > 1) if len(single) < len(images) else ()
                    out.append((single, several))
        # The denominator of each sentence's coverage: all of its own evidence, weighted as ``coverage`` does.
        self._room = ([self._own_room(0, k) for k in range(len(a))], [self._own_room(1, k) for k in range(len(b))])
        self._coverage: dict[tuple[int, int, int, int], float] = {}
        # What each sentence of a link pays for its coverage, by the same keys (within one language).
        self._charges: dict[tuple[int, int, int, int], float] = {}
        self._shapes: dict[tuple[int, int], float] = {}
        # Calibration's similarity of every one-to-one cell of the corridor, which the first pass asks for
        # again: (the corridor, a row of similarities for each source sentence).
        self._pairs: tuple[Sequence[tuple[int, int]], list[array]] | None = None
        # The texts' evidence as the compiled programme reads it (``arrays``), made when it is first asked
        # for: what both passes share, and this scorer's own (with its lexicon).
        self._arrays: tuple | None = None
        self._packed: tuple | None = None

    def calibrate(
        self, corridor: Sequence[tuple[int, int]], *, first_pass: Sequence[tuple[int, int, int, int]] = ()
    ) -> None:
        """Set the cost of an unlinked sentence from these two texts.

        With ``first_pass`` (the links ``(i, n, j, m)`` of a first alignment) and no ``skip`` given, each
        text's cost of an unlinked sentence is ``weight / 2`` plus that text's omission log-odds as the
        first pass saw them (``_omission_costs``). Then a ceiling from how alike translations look: two
        translations into one language share most words, so a sentence that finds no good partner is most
        likely one the other text lacks, and leaving it unlinked should be cheap; across languages even a
        true pair shares little, and skipping must cost more or true pairs would be dropped. The typical
        similarity of a true pair is taken as the median, over source sentences, of the best similarity in
        the corridor (most sentences' best match is their translation).
        """
        if first_pass and self.scorer.skip is None:
            half = self.weight / 2
            omit_a, omit_b = _omission_costs(first_pass)
            self.skip_a, self.skip_b = half + omit_a, half + omit_b
        self._charges.clear()  # they hold the cost of leaving a sentence out
        if self.same:
            # No ceiling within one language: a paraphrase shares few words, and a ceiling set from the
            # typical pair made leaving a paraphrased pair unlinked (1-0 plus 0-1) cheaper than linking it.
            return
        if kernel.takes(self, corridor):
            # A long text: the compiled programme reads these similarities itself, as it needs them.
            best = kernel.best_similarities(self, corridor)
            self._pairs = None
            self._skip_ceiling(best)
            return
        best: list[float] = []
        nb = len(self.b)
        rows: list[array] = []
        for i in range(len(self.a)):
            lo, hi = corridor[i]
            row = array("d", [self.similarity(i, 1, j, 1) for j in range(lo, min(hi + 1, nb))])
            rows.append(row)
            if row:
                best.append(max(row))
        # Only the first pass (no lexicon) scores links by ``similarity``: it reads these again.
        self._pairs = (corridor, rows) if not self._per_sentence else None
        self._skip_ceiling(best)

    def _skip_ceiling(self, best: list[float]) -> None:
        """Cap the cost of an unlinked sentence by how alike the typical pair is (``best``: each source
        sentence's best similarity in the corridor)."""
        if best:
            best.sort()
            typical = best[len(best) // 2]
            ceiling = self.weight * (1.0 - typical) + 1.5
            self.skip_a = min(self.skip_a, ceiling)
            self.skip_b = min(self.skip_b, ceiling)

    def _run(self, side: list[_Features], cache: dict[tuple[int, int], _Features], i: int, n: int) -> _Features:
        if n == 1:
            return side[i]
        found = cache.get((i, n))
        if found is None:
            found = cache[(i, n)] = _union(side[i : i + n])
        return found

    def _run_mass(self, side: int, i: int, n: int, f: _Features) -> float:
        if n == 1:
            return self._mass[side][i]
        key = (side, i, n)
        found = self._masses.get(key)
        if found is None:
            rarity = self._rarity
            found = self._masses[key] = math.fsum(map(rarity.__getitem__, f.words))
        return found

    def _translated(self, fa: _Features, key: tuple[int, int]) -> frozenset[str]:
        found = self._mapped.get(key)
        if found is None:
            lexicon = self.lexicon
            out: set[str] = set()
            for w in fa.words:
                hit = lexicon.get(w)
                if hit:
                    out.update(hit)
            found = self._mapped[key] = frozenset(out)
        return found

    def similarity(self, i: int, n: int, j: int, m: int) -> float:
        """Shared evidence between the two runs, 0 (nothing) to 1 (everything that could match does)."""
        fa = self.a[i] if n == 1 else self._run(self.a, self._runs_a, i, n)
        fb = self.b[j] if m == 1 else self._run(self.b, self._runs_b, j, m)
        # Numbers are the strongest evidence (they survive translation), then names, then cognates.
        if fa.numbers and fb.numbers or fa.names and fb.names:
            hits = 2.0 * len(fa.numbers & fb.numbers) + 1.5 * len(fa.names & fb.names)
        else:
            hits = 0.0
        room = 2.0 * (len(fa.numbers) + len(fb.numbers)) / 2
        if self.same:
            # One language: the words themselves (stems, weighted by rarity) replace the cognates.
            rarity = self._rarity
            found = math.fsum(map(rarity.__getitem__, fa.words & fb.words))
            if self.lexicon:
                found += math.fsum(map(rarity.__getitem__, (self._translated(fa, (i, n)) & fb.words) - fa.words))
            hits += found
            mass_a = self._mass[0][i] if n == 1 else self._run_mass(0, i, n, fa)
            mass_b = self._mass[1][j] if m == 1 else self._run_mass(1, j, m, fb)
            room += (mass_a + mass_b) / 2
        else:
            hits += len(fa.cognates & fb.cognates)
            room += len(fa.cognates) / 2 + len(fb.cognates) / 2
            if self.lexicon:
                # A pair the learnt lexicon holds.
                hits += len(self._translated(fa, (i, n)) & fb.words)
                room += (len(fa.words) + len(fb.words)) / 2
        if fa.marks or fb.marks:
            if fa.marks and fb.marks:
                hits += 0.5 * len(fa.marks & fb.marks)
            room += 0.25 * (len(fa.marks) + len(fb.marks))
        if room <= 0:
            return 0.0
        return min(1.0, hits / room)

    def coverage(self, side: int, k: int, j: int, m: int) -> float:
        """The share of sentence ``k``'s own evidence (of the source if ``side`` is 0, else of the target)
        that the other text's run ``[j, j+m)`` matches: 0 (none, or no evidence at all) to 1."""
        key = (side, k, j, m)
        found = self._coverage.get(key)
        if found is None:
            found = self._coverage[key] = self._cover(side, k, j, m)
        return found

    def _own_room(self, side: int, k: int) -> float:
        """The denominator of ``coverage`` for sentence ``k``: its own evidence, weighted."""
        own = (self.a if side == 0 else self.b)[k]
        room = 2.0 * len(own.numbers)
        if self.same:
            room += self._mass[side][k]
        else:
            room += len(own.cognates)
            if self.lexicon:
                room += len(own.words)
        if own.marks:
            room += 0.5 * len(own.marks)
        return room

    def _cover(self, side: int, k: int, j: int, m: int) -> float:
        room = self._room[side][k]
        if room <= 0:
            return 0.0
        if side == 0:
            own, other = self.a[k], self.b[j] if m == 1 else self._run(self.b, self._runs_b, j, m)
        else:
            own, other = self.b[k], self.a[j] if m == 1 else self._run(self.a, self._runs_a, j, m)
        # The same weights as ``similarity``: numbers, then names, then cognates, then words and marks.
        if own.numbers and other.numbers or own.names and other.names:
            hits = 2.0 * len(own.numbers & other.numbers) + 1.5 * len(own.names & other.names)
        else:
            hits = 0.0
        words = other.words
        if self.same:
            rarity = self._rarity
            shared = own.words & words
            # Summed exactly (``fsum``): a set's order, and so a plain sum's last bit, varies from run to run.
            found = list(map(rarity.__getitem__, shared))
            for w, others in self._alternatives[side][k]:
                if w not in shared and not others.isdisjoint(words):
                    found.append(rarity[w])
            hits += math.fsum(found)
        else:
            hits += len(own.cognates & other.cognates)
            if self.lexicon:
                # The words of the sentence that the lexicon maps, by their translations (read once).
                single, several = self._images[side][k]
                hits += sum(map(words.__contains__, single))
                if several:
                    hits += sum(1 for image in several if not image.isdisjoint(words))
        if own.marks and other.marks:
            hits += 0.5 * len(own.marks & other.marks)
        return min(1.0, hits / room)

    def _shape(self, n: int, m: int) -> float:
        """The prior part of ``cost(·, n, ·, m)`` for a link with sentences on both sides."""
        found = self._shapes.get((n, m))
        if found is None:
            if self._per_sentence:
                found = _SHAPE_COST[n, m] if (n, m) in _SHAPE_COST else _shape_cost(n, m)
            else:
                found = -math.log(_PRIORS.get((n, m), _RARE_PRIOR) / _PRIORS[(1, 1)])
            self._shapes[n, m] = found
        return found

    def floor(self, n: int, m: int) -> float:
        """A lower bound of ``cost(·, n, ·, m)``: the shape's prior (length and evidence cost nothing less
        than nothing), or the cost of the omitted sentences."""
        if m == 0:
            return self.skip_a * n
        if n == 0:
            return self.skip_b * m
        return self._shape(n, m)

    def bound(self, i: int, n: int, j: int, m: int) -> float:
        """A lower bound of ``cost(i, n, j, m)`` that is cheap to compute: the shape's prior and the length
        cost (the evidence costs nothing less than nothing). In the first pass the evidence term is the only
        other one, so this is the cost but for it; an omission's bound is its cost."""
        if m == 0:
            return self.skip_a * n
        if n == 0:
            return self.skip_b * m
        cum_a, cum_b = self._cum_a, self._cum_b
        shape = self._shapes.get((n, m))
        if shape is None:
            shape = self._shape(n, m)
        return shape + _length_cost(cum_a[i + n] - cum_a[i], cum_b[j + m] - cum_b[j], self.ratio, self.variance)

    def lengths(self) -> tuple[list[int], list[int], float, float]:
        """What ``bound`` reads besides the shape: the characters before each source and each target
        sentence, the length ratio and the variance. ``bound(i, n, j, m)`` is ``floor(n, m)`` plus
        ``_length_cost`` of the two runs' lengths."""
        return self._cum_a, self._cum_b, self.ratio, self.variance

    def cost(self, i: int, n: int, j: int, m: int) -> float:
        if m == 0:
            return self.skip_a * n
        if n == 0:
            return self.skip_b * m
        return self.bound(i, n, j, m) + self.evidence(i, n, j, m)

    def evidence(self, i: int, n: int, j: int, m: int, limit: float = math.inf) -> float:
        """What a link of sentences on both sides costs beyond ``bound``: ``cost = bound + evidence``.
        Once the sentences charged so far cost ``limit`` or more, what they cost is returned at once: the
        caller has no use for the exact figure of a link that cannot win (every charge is positive)."""
        if not self._row - 64 <= i <= self._row + 64:
            # Every programme moves forward through the source; the window of a link shape is a few rows,
            # so what lies 64 rows back is not asked for again (and would only be recomputed if it were).
            # The later searches (stretches of unlinked sentences, moved passages) jump about: a jump
            # back empties the caches too, so that they never hold more than a stretch's worth.
            self._row = i
            self._coverage.clear()
            self._charges.clear()
            self._runs_a.clear()
            self._runs_b.clear()
            self._mapped.clear()
            self._masses.clear()
        if not self._per_sentence:
            # Dissimilarity is paid per sentence covered (half a unit each side), or merging everything
            # into a few big links would always look cheapest.
            if n == 1 and m == 1 and self._pairs is not None:
                corridor, rows = self._pairs
                lo = corridor[i][0]
                if 0 <= j - lo < len(rows[i]):
                    return self.weight * (1.0 - rows[i][j - lo]) * (n + m) / 2
            return self.weight * (1.0 - self.similarity(i, n, j, m)) * (n + m) / 2
        # Each sentence pays for its own unmatched evidence: a caption or a scrap of OCR debris merged into
        # a neighbouring link pays in full, however well the rest of the link matches.
        # Each side is summed on its own, in sentence order, and the two sums added: the figure is the same
        # to the last bit whichever side is summed first, and whether or not it was cut short elsewhere.
        # A link of one sentence to several is summed from the side of several first: each of those is
        # charged against the one sentence alone, as the one-to-one links around it were, so its charge is
        # mostly known already, and a link that cannot win is mostly given up before its run is read.
        if n == 1 and m > 1:
            sides = ((1, j, m, i, n), (0, i, n, j, m))
        else:
            sides = ((0, i, n, j, m), (1, j, m, i, n))
        charged = 0.0  # the sides summed so far
        if self._floored:
            # Within one language shared words are reliable evidence. A sentence that shares (next to)
            # nothing with the other run pays at least what leaving it out would cost: two unrelated
            # sentences stay apart, and a sentence the other text lacks does not ride along in a
            # neighbouring link. The floor tapers from full (below half of ``unrelated``) to none (at
            # ``unrelated``), so a paraphrase, which shares its content words, is never cheaper unlinked.
            charges = self._charges
            for side, lo, count, other, others in sides:
                summed = 0.0
                for k in range(lo, lo + count):
                    charge = charges.get((side, k, other, others))
                    if charge is None:
                        charge = charges[side, k, other, others] = self._charge(
                            self._cover(side, k, other, others), self.skip_b if side else self.skip_a
                        )
                    summed += charge
                    if charged + summed >= limit:
                        return charged + summed
                charged += summed
            return charged
        scale = self.weight / 2
        # ``coverage``'s cache, read here without a call: this runs for every link the programme tries.
        cache = self._coverage
        for side, lo, count, other, others in sides:
            summed = 0.0
            for k in range(lo, lo + count):
                covered = cache.get((side, k, other, others))
                if covered is None:
                    covered = cache[side, k, other, others] = self._cover(side, k, other, others)
                summed += 1.0 - covered
                if scale * (charged + summed) >= limit:
                    return scale * (charged + summed)
            charged += summed
        return self.weight * charged / 2

    def _charge(self, covered: float, skip: float) -> float:
        shortfall = min(1.0, 2.0 * (1.0 - covered / self.scorer.unrelated))
        return max(self.weight / 2 * (1.0 - covered), shortfall * skip)


# --- an embedding scorer, for users who have a model installed ------------------------------------------


class EmbeddingScorer:
    """Cosine similarity of sentence vectors from ``encode`` (e.g. a sentence-transformers model's
    ``encode``), plus the Gale–Church length cost. Runs of sentences are encoded joined by a space, as
    Vecalign and Bertalign do. The model is whatever the caller passes in; this class loads nothing."""

    __slots__ = ("encode", "weight", "skip")

    def __init__(
        self, encode: Callable[[list[str]], Sequence[Sequence[float]]], *, weight: float = 12.0, skip: float = 6.0
    ) -> None:
        self.encode = encode
        self.weight = weight
        self.skip = skip

    def prepare(
        self, source: Sequence[str], target: Sequence[str], *, lexicon: Mapping[str, frozenset[str]] | None = None
    ) -> "_EmbeddingPrepared":
        return _EmbeddingPrepared(list(source), list(target), self)


class _EmbeddingPrepared:
    __slots__ = ("source", "target", "scorer", "ratio", "_vectors", "_chars_a", "_chars_b")

    def __init__(self, source: list[str], target: list[str], scorer: EmbeddingScorer) -> None:
        self.source = source
        self.target = target
        self.scorer = scorer
        self._chars_a = [sum(1 for c in s if not c.isspace()) for s in source]
        self._chars_b = [sum(1 for c in s if not c.isspace()) for s in target]
        self.ratio = (sum(self._chars_b) or 1) / (sum(self._chars_a) or 1)
        self._vectors: dict[tuple[int, int, int], tuple[float, ...]] = {}

    def _vector(self, side: int, i: int, n: int) -> tuple[float, ...]:
        key = (side, i, n)
        found = self._vectors.get(key)
        if found is None:
            texts = self.source if side == 0 else self.target
            raw = [float(x) for x in self.scorer.encode([" ".join(texts[i : i + n])])[0]]
            norm = math.sqrt(sum(x * x for x in raw)) or 1.0
            found = self._vectors[key] = tuple(x / norm for x in raw)
        return found

    def cost(self, i: int, n: int, j: int, m: int) -> float:
        if n == 0 or m == 0:
            return self.scorer.skip * (n + m)
        va, vb = self._vector(0, i, n), self._vector(1, j, m)
        cosine = sum(x * y for x, y in zip(va, vb))
        prior = -math.log(_PRIORS.get((n, m), _RARE_PRIOR) / _PRIORS[(1, 1)])
        length = _length_cost(sum(self._chars_a[i : i + n]), sum(self._chars_b[j : j + m]), self.ratio)
        return 0.5 * prior + 0.5 * length + self.scorer.weight * (1.0 - max(0.0, cosine)) * (n + m) / 2




def same_language(a: Sequence[str], b: Sequence[str], *, top: int = 30, threshold: float = 0.4) -> bool:
    """Whether two texts share their most frequent words (function words): two English translations
    do (``the``, ``of``, ``and``), German and French do not. No language model, no word lists."""

    def frequent(sentences: Sequence[str]) -> set[str]:
        # Every token counted in one pass, numbers too (they are left out below, and the words keep the
        # order in which they first occur).
        counts = Counter(chain.from_iterable(map(_WORD.findall, sentences)))
        # Folded after counting: the same counts as folding every occurrence, for a fraction of the work.
        folded: Counter[str] = Counter()
        for word, count in counts.items():
            if not word[0].isdigit():
                folded[_fold(word)] += count
        return {w for w, _ in folded.most_common(top)}

    fa, fb = frequent(a), frequent(b)
    if not fa or not fb:
        return False
    return len(fa & fb) / min(len(fa), len(fb)) >= threshold


# --- what the first pass teaches the second -----------------------------------------------------------


def _learn(
    a: Sequence[_Features], b: Sequence[_Features], links: list[tuple[int, int, int, int]], prepared: _LexicalPrepared
) -> dict[str, frozenset[str]]:
    """Word pairs that keep occurring together in the links that share some evidence (Dice ≥ 0.3, seen
    twice). Every link counts, merges and splits as well as one-to-one links: a word and its translation
    stand in the same link whatever its shape, and the merged links are where the lexicon is most needed
    (their sentences share the least by numbers and names alone)."""
    count_a: Counter[str] = Counter()
    count_b: Counter[str] = Counter()
    pairs: Counter[tuple[str, str]] = Counter()
    for i, n, j, m in links:
        if n == 0 or m == 0 or prepared.similarity(i, n, j, m) < 0.1:
            continue
        wa = frozenset().union(*(f.words for f in a[i : i + n]))
        wb = frozenset().union(*(f.words for f in b[j : j + m]))
        count_a.update(wa)
        count_b.update(wb)
        if prepared.same:
            # Within one language a word found on both sides is matched as itself; only the words the
            # other side lacks can be a synonym's pair. (Counting every pair would hold the square of a
            # link's words for every link: gigabytes on a long book.)
            pairs.update(product(wa - wb, wb - wa))
        else:
            pairs.update(product(wa, wb))
    best: dict[str, tuple[float, str]] = {}
    for (x, y), together in pairs.items():
        if together < 2:
            continue
        dice = 2 * together / (count_a[x] + count_b[y])
        # Ties go to the alphabetically first word: sets iterate in an order that changes from run to
        # run (string hashing), and the result must not.
        if dice >= 0.3 and (x not in best or dice > best[x][0] or (dice == best[x][0] and y < best[x][1])):
            best[x] = (dice, y)
    return {x: frozenset({y}) for x, (_, y) in best.items()}


def _omission_costs(links: Sequence[tuple[int, int, int, int]]) -> tuple[float, float]:
    """The cost, in nats, of an omission in the source and in the target against a one-to-one link, as the
    texts' own rate: −log((omissions + ½) / (one-to-one links + 1)) for each side.

    An omission is counted once per run of consecutive unlinked sentences, not once per sentence: a passage
    one text lacks (a block of captions, a paragraph the translator left out) is one event, and counted per
    sentence it would make every isolated sentence cheap to drop. Each side is counted on its own because
    omissions are rarely symmetric (a translation adds captions and notes the original lacks). The halves
    keep a pair of short texts without any omission from an infinite cost.
    """
    runs = [0, 0]
    one_to_one = 0
    before = (False, False)
    for _, n, _, m in links:
        now = (n > 0 and m == 0, m > 0 and n == 0)
        for side in (0, 1):
            if now[side] and not before[side]:
                runs[side] += 1
        before = now
        one_to_one += n == 1 and m == 1
    return (
        -math.log((runs[0] + 0.5) / (one_to_one + 1)),
        -math.log((runs[1] + 0.5) / (one_to_one + 1)),
    )
