"""Variant locations: the alignment grouped once into agreements and apparatus entries, and typed.

Offers:
    build_apparatus(alignment, base=None)   the ``Apparatus`` every renderer consumes
    base_of(alignment, base)                the base siglum and its index (the first by default; unknown: an error)
    location(alignment, number, start, end, base_index, …)   one entry over any columns, grouped and typed
                                            as ``build_apparatus`` groups its own (for the editor's merges)
    reading_order(entries, spans)           the entries' numbers in reading order, spans before what they hold
    classify(lemma, reading)                the ``VariantType`` of a reading against the lemma
    movers(alignment, transposition)        the witnesses that read a transposed passage in one place only
    by_mover(group, sigla, movers)          witnesses reading alike, split into the movers and the others
    type_against(lemma, reading, movers)    ``classify``, and a transposition where a mover's reading is empty

Grouping. A column where every witness has a token and all tokens read alike (exactly, as printed) is an
agreement. Consecutive columns that disagree form one variant location while the same witnesses read
alike in each of them (the same pattern: "wandered lonely] wander'd lonely B; wandered C" is two entries,
B's spelling and C's omission, each typed for itself). Columns that differ only in spelling (orthographic:
equal after normalisation, or differing only in word division, hyphenation, the apostrophe's shape, or Greek
accents, breathings and iota subscripts) stand apart from substantive ones, and each half of a transposition
is a location of its own.

Long absences. Where some witnesses lack a passage of ``MIN_SPAN`` columns or more in which the others vary
(a fragmentary manuscript, a skipped paragraph), the absence is an outer entry of its own (``Apparatus.spans``:
the passage against nothing, typed omission, addition, or lacuna where the witness has a ``gap`` there or
has not begun or has ended), and inside it the other witnesses are grouped as if the absent ones were not
there: every difference among them is still an entry, which lists the absent witnesses in ``absent``.

Moved passages. Where the witnesses that read a moved passage at one place also differ inside it, that half
of the transposition is a span too (``_moved_spans``): the move is the outer entry, typed transposition, and
each difference inside it an entry of its own. A witness that left a moved passage out and one that moved
it are two readings even where both read nothing: ``om.`` and ``transp.``.

Readings of a location are grouped by their text as printed; the base witness's reading is the lemma.
"""

from __future__ import annotations

import heapq
import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections import Counter
from dataclasses import replace
from itertools import accumulate
from operator import getitem, itemgetter
from typing import Sequence

from rapidfuzz.fuzz import ratio

from collate.errors import UsageError

from .align import spelt_otherwise
from .graph import chance_word
from .model import (
    TYPE_ORDER,
    Alignment,
    Apparatus,
    Reading,
    Segment,
    Token,
    VariantLocation,
    VariantType,
)
from .tokens import gc_paused, join, written

__all__ = ["build_apparatus", "base_of", "location", "reading_order", "classify", "movers", "by_mover", "type_against"]

_AGREE = ("agree",)
_ORTHO = ("ortho",)
_VARIANT = ("variant",)
# The key of a column every witness reads alike outside any span (most columns): one object, so that two
# such neighbours are seen to be one entry without comparing their keys.
_AGREED = (_AGREE, frozenset(), None)
# The key of a column every witness of which a span around gives whole (``_whole``): no entry of its own.
_WHOLE = ("whole",)
_COVERED = (_WHOLE, frozenset(), None)
_TEXT = itemgetter(0)  # a token's text as printed
_NORM = itemgetter(1)  # its normalised form
_RANK = {t: rank for rank, t in enumerate(TYPE_ORDER)}  # a location's type: its readings' lowest rank


# Two texts of a passage at least this similar (RapidFuzz ratio, 0–100) are one passage with variants inside
# it, not two passages: a span gives them as one reading, its entries inside the differences.
NEAR_COPY = 70
# A witness that lacks at least this many consecutive columns, in which the other witnesses vary, gets an
# outer entry of its own (a span). Below it, a short omission or addition is an ordinary entry: "⁁] and
# white B; and green C" reads better than an addition nested in an omission.
MIN_SPAN = 6


def build_apparatus(alignment: Alignment, base: str | None = None) -> Apparatus:
    # An entry is a handful of small records per column; nothing for the cyclic collector to do.
    with gc_paused():
        return _build_apparatus(alignment, base)


def _build_apparatus(alignment: Alignment, base: str | None) -> Apparatus:
    sigla = alignment.sigla
    base, base_index = base_of(alignment, base)
    width = len(alignment.columns)

    moved: dict[int, tuple[str, int]] = {}  # column → (side, transposition index)
    for t_index, t in enumerate(alignment.transpositions):
        for c in range(*t.source):
            moved.setdefault(c, ("source", t_index))
        for c in range(*t.target):
            moved.setdefault(c, ("target", t_index))

    breaks = _breaks(alignment, base_index)
    forms = _forms(alignment)
    spans, cuts = _spans(alignment, moved, breaks, forms)
    # Moved passages in which the witnesses that read them there also vary: spans of their own, inside which
    # the columns are grouped as any others (``_moved_spans``).
    known: dict[int, tuple] = {}  # the keys of their columns, found on the way
    moved_spans = _moved_spans(alignment, moved, breaks, forms, known)
    for s, e, members in moved_spans:
        spans.append((s, e, members))
        for c in range(s, e):
            del moved[c]
    # Per column, the witnesses an enclosing span already accounts for (``frozenset()`` outside spans).
    ignored: list[frozenset[int]] = [frozenset()] * width
    for s, e, members in sorted(spans, key=lambda x: x[1] - x[0], reverse=True):
        for c in range(s, e):
            ignored[c] = ignored[c] | members
    enclosing = _enclosing(spans)
    # In a passage the base lacks, a witness whose text no other's nearly copies (an addition of its own) is
    # given whole by the outer entry: no entry inside compares it with the others' other texts.
    inner: dict[tuple[int, int, frozenset[int]], tuple[int, ...]] = {}
    given_whole: list[tuple[int, int, frozenset[int]]] = []  # (start, end, the witnesses it accounts for)
    for k, (s, e, members) in enumerate(spans):
        if base_index in members and (s, e, members) not in moved_spans and not any(
            s <= ms and me <= e for ms, me, _ in moved_spans
        ):
            whole, inner[spans[k]] = _whole(alignment, s, e, members | enclosing[k])
            if whole:
                given_whole.append((s, e, members | enclosing[k] | whole))
                for c in range(s, e):
                    ignored[c] = ignored[c] | whole
    if given_whole:
        # A span inside such a passage that only those given whole lack says nothing more: that "d omits the
        # sentence b and c add" is already said by the entry giving d's own text there.
        spans = [
            (s, e, m) for s, e, m in spans
            if not any(a <= s and e <= b and (s, e) != (a, b) and m <= held for a, b, held in given_whole)
        ]
        # Inside the others, the witnesses given whole are accounted for: a span there is of the rest.
        enclosing = [
            around | frozenset().union(*(held for a, b, held in given_whole if a <= s and e <= b and (s, e) != (a, b)))
            for around, (s, e, _) in zip(_enclosing(spans), spans)
        ]
    # A span that leaves no witness to read the passage (all of them lack it or are given whole around it)
    # says nothing of its own.
    keep = [k for k, ((_, _, m), around) in enumerate(zip(spans, enclosing)) if len(m | around) < len(sigla)]
    if len(keep) < len(spans):
        spans, enclosing = [spans[k] for k in keep], [enclosing[k] for k in keep]
    texts, norms = forms
    columns = alignment.columns
    everyone = len(sigla)
    for s, e, _ in given_whole:
        known.update((c, _COVERED) for c in range(s, e) if len(ignored[c]) >= everyone)
    keys = [
        known[c] if c in known else _column_key(column, moved.get(c), texts, norms, ignored[c])
        for c, column in enumerate(columns)
    ]
    kinds = [key[0] for key in keys]
    starts_at = {s for s, _, _ in spans} | {e for _, e, _ in spans} | breaks | cuts

    runs: list[tuple[int, int]] = []  # (start, end) of each part
    start = 0
    for c in range(1, width + 1):
        if c < width and c not in starts_at and (keys[c - 1] is keys[c] or _same_decision(keys[c - 1], keys[c])):
            continue
        runs.append((start, c))
        start = c

    runs = _reordered(runs, keys, alignment, base_index, ignored, starts_at, norms)
    numbers = reading_order(
        {k: run for k, run in enumerate(runs) if kinds[run[0]] is not _AGREE and kinds[run[0]] is not _WHOLE},
        [(s, e) for s, e, _ in spans],
    )

    parts: list[Segment | VariantLocation] = []
    witness_tokens = [w.tokens for w in alignment.witnesses]
    moved_words: dict[tuple[int, int], frozenset[str]] = {}
    for k, (s, e) in enumerate(runs):
        kind = kinds[s]
        if kind is _WHOLE:
            parts.append(Segment(s, e, ()))  # every witness here is given whole by the spans around
        elif kind is _AGREE:
            # Inside a span the base lacks, the agreement is that of the witnesses present: the first gives it.
            voice = base_index if base_index not in ignored[s] else _first(sigla, set(range(len(sigla))) - ignored[s])
            own = alignment.witnesses[voice].tokens
            cells = map(itemgetter(voice), columns[s:e])
            parts.append(Segment(s, e, tuple([own[i] for i in cells if i is not None])))
        else:
            t_index = kind[1] if kind[0] in ("source", "target") else None
            parts.append(
                _location(
                    alignment, witness_tokens, sigla, numbers[(1, k)], s, e, base_index, t_index, ignored[s], moved_words
                )
            )
    outer = tuple(
        _span(
            alignment, numbers[(0, k)], s, e, members, base_index, enclosing[k], moved_spans.get((s, e, members)),
            inner.get((s, e, members)),
        )
        for k, (s, e, members) in enumerate(spans)
    )
    if given_whole:
        parts, outer = _unnested(parts, outer)
    return Apparatus(alignment, base, tuple(parts), tuple(sorted(outer, key=lambda x: x.number)))


def _unnested(
    parts: list[Segment | VariantLocation], outer: tuple[VariantLocation, ...]
) -> tuple[list[Segment | VariantLocation], tuple[VariantLocation, ...]]:
    """A span with no entries inside (a passage the base lacks that each witness reads in a text of its own,
    given whole; or a witness's absence inside it where the one other witness left is given whole) is an
    entry like any other: it takes the place of the columns it covers. A span around another holds that one,
    or what it became."""
    starts = [part.start for part in parts]
    entries = list(accumulate((isinstance(part, VariantLocation) for part in parts), initial=0))
    kept: list[VariantLocation] = []
    swaps: list[tuple[int, int, VariantLocation]] = []
    for span in outer:
        first, end = bisect_left(starts, span.start), bisect_left(starts, span.end)
        if (
            span.transposition is not None
            or first == len(parts)
            or starts[first] != span.start
            or entries[end] > entries[first]
            or any(o is not span and span.start <= o.start and o.end <= span.end for o in outer)
        ):
            kept.append(span)
        else:
            swaps.append((first, end, replace(span, span=False)))
    for first, end, entry in sorted(swaps, key=lambda x: x[0], reverse=True):
        parts[first:end] = [entry]
    return parts, tuple(kept)


def _reordered(
    runs: list[tuple[int, int]],
    keys: list[tuple],
    alignment: Alignment,
    base_index: int,
    ignored: list[frozenset[int]],
    starts_at: set[int],
    norms: list[list[str]],
) -> list[tuple[int, int]]:
    """The parts, where a witness lacks words of the base and has the same words a few words away (``return
    with him to her native country`` / ``return to her native country with him``, which the aligner does
    not link as a move), made one entry from the first of the two to the last: the witness reads the passage
    in another order, and an entry that says it omits the words and another that says it adds them would
    both be false. That is so where it lacks words it has there, one of the two places being a plain
    omission or addition (``species closely allied together`` / ``closely allied species``; ``could they
    have`` / ``have they``), or where a word it lacks is among the words it has there and not common in it
    (``_reads_again``), whether it left the word out or put another in its place (``whisper and`` /
    ``whisper basket`` four words on: the passage moved and a word changed). Two substitutions that merely
    trade a common word (``with plants`` / ``of plants`` beside ``In`` / ``With``) stay apart. The entry is
    typed as any other: a transposition where it holds the same words in another order, else a
    substitution. It holds at most ``REORDER_COLUMNS`` columns, stands in one block, and all the witnesses
    agree between the two parts, so that it hides no other variant. ``keys``: each column's
    ``_column_key``; ``norms``: each witness's tokens' normalised forms (``_forms``)."""
    columns = alignment.columns
    tokens = [w.tokens for w in alignment.witnesses]
    base = tokens[base_index]
    others = [w for w in range(len(tokens)) if w != base_index]
    # The parts that are not agreements, in order: the two parts joined are neighbours among them, so that
    # everyone agrees between.
    varying = [k for k, (s, _) in enumerate(runs) if keys[s][0] is not _AGREE]
    # Where a part begins that no entry may hold inside it, in order.
    stops = sorted(starts_at)

    masks: dict[tuple[int, ...], int] = {}  # a column's labels → the witnesses labelled otherwise than the base
    known: dict[int, dict[int, tuple[list[str], bool, list[str], bool]]] = {}  # ``differences``, by part

    def differing(k: int) -> int:
        """The witnesses that may read part ``k`` otherwise than the base, as bits: cheap where a column's key
        groups its witnesses by their text (``_column_key``), else those ``differences`` finds."""
        s, e = runs[k]
        key = keys[s]
        if e - s == 1 and key[0] is _VARIANT and not key[1]:
            labels = key[2]
            mask = masks.get(labels)
            if mask is None:
                own = labels[base_index]
                mask = masks[labels] = sum(1 << w for w, label in enumerate(labels) if label != own)
            return mask
        found = known.get(k)
        if found is None:
            found = known[k] = differences(k)
        return sum(1 << w for w in found)

    def differences(k: int) -> dict[int, tuple[list[str], bool, list[str], bool]]:
        """Per witness that reads part ``k`` otherwise than the base: the base's words it lacks there and
        whether it has nothing there, its words the base lacks there and whether the base has nothing."""
        s, e = runs[k]
        kind = keys[s][0]
        out: dict[int, tuple[list[str], bool, list[str], bool]] = {}
        # (Where the witnesses differ in spelling alone, none lacks a word.)
        if kind is _ORTHO or kind[0] in ("source", "target") or ignored[s]:
            return out
        if e - s == 1:  # most parts: one token or none per witness
            column = columns[s]
            b = column[base_index]
            word = None if b is None or base[b][5] else base[b][1]
            for w in others:
                x = column[w]
                own = None if x is None or tokens[w][x][5] else tokens[w][x][1]
                if own != word:
                    out[w] = ([] if word is None else [word], x is None, [] if own is None else [own], b is None)
            return out
        rows = list(zip(*columns[s:e]))  # each witness's cells
        width = e - s
        in_base = [base[b][1] for b in rows[base_index] if b is not None and not base[b][5]]
        base_absent = rows[base_index].count(None) == width
        for w in others:
            own = tokens[w]
            words = [own[x][1] for x in rows[w] if x is not None and not own[x][5]]
            if words != in_base:
                out[w] = (_difference(in_base, words), rows[w].count(None) == width, _difference(words, in_base), base_absent)
        return out

    def reads_again(lacked: list[str], left_out: bool, extra: list[str], added: bool, w: int) -> bool:
        if not lacked or not extra:
            return False
        if (left_out or added) and _same_or_spelt_otherwise(extra, lacked):
            return True
        return _reads_again(lacked, extra, norms[w], frequencies, w)

    frequencies: dict[int, Counter[str]] = {}
    bits: dict[int, int] = {}
    merged: list[tuple[int, int]] = []  # ranges of parts to join
    for first, last in zip(varying, varying[1:]):
        s, e = runs[first][0], runs[last][1]
        if e - s > REORDER_COLUMNS:
            continue
        # Only a witness that reads both otherwise than the base can have moved words between them.
        a = bits.pop(first) if first in bits else differing(first)  # (each part is the first of one pair)
        if not a:
            continue
        bits[last] = b = differing(last)
        if not a & b:
            continue
        n = bisect_right(stops, s)
        if n < len(stops) and stops[n] < e:
            continue
        one = known[first] if first in known else known.setdefault(first, differences(first))
        two = known[last] if last in known else known.setdefault(last, differences(last))
        for w in one.keys() & two.keys():
            lacks_one, out_one, has_one, in_one = one[w]
            lacks_two, out_two, has_two, in_two = two[w]
            if reads_again(lacks_one, out_one, has_two, in_two, w) or reads_again(lacks_two, out_two, has_one, in_one, w):
                merged.append((first, last))
                break
    if not merged:
        return runs
    out: list[tuple[int, int]] = []
    merged.sort()
    k = 0
    for first, last in merged:
        if first < k:
            continue  # overlaps a join already made
        out.extend(runs[k:first])
        out.append((runs[first][0], runs[last][1]))
        k = last + 1
    out.extend(runs[k:])
    return out


def _difference(a: list[str], b: list[str]) -> list[str]:
    """The words of ``a`` not in ``b``, counted (each of ``b`` accounts for one equal word of ``a``)."""
    left = list(b)
    out = []
    for word in a:
        if word in left:
            left.remove(word)
        else:
            out.append(word)
    return out


def _same_or_spelt_otherwise(a: list[str], b: list[str]) -> bool:
    """Whether two stretches of words are the same words, each the same or spelt otherwise."""
    return len(a) == len(b) > 0 and all(x == y or spelt_otherwise(x, y) for x, y in zip(a, b))


def _reads_again(
    lacked: list[str], extra: list[str], norms: list[str], frequencies: dict[int, Counter[str]], slot: int
) -> bool:
    """Whether a word a witness lacks (``lacked``) is among the words it has a few words away (``extra``), the
    same or spelt otherwise, and is not a word so common in it that it recurs by chance (``chance_word``).
    ``norms``: the witness's tokens' normalised forms; ``frequencies`` keeps each witness's word counts, by
    its ``slot``, made when first needed."""
    for x in lacked:
        for y in extra:
            if x == y or spelt_otherwise(x, y):
                if slot not in frequencies:
                    frequencies[slot] = Counter(norms)
                if not chance_word(x, len(norms), frequencies[slot]):
                    return True
    return False


def _reordering(words: list[str], lemma_words: list[str]) -> bool:
    """Whether ``words`` are the lemma's words in another order, each the same or misspelt."""
    if len(words) < 2 or len(words) != len(lemma_words) or words == lemma_words:
        return False
    if sorted(words) == sorted(lemma_words):
        return True
    if all(x == y or spelt_otherwise(x, y) for x, y in zip(words, lemma_words)):
        return False  # the same order, spelt otherwise
    left = list(lemma_words)
    for word in words:
        match = next((k for k, other in enumerate(left) if other == word or spelt_otherwise(other, word)), None)
        if match is None:
            return False
        del left[match]
    return True


# The most columns an entry joined by ``_reordered`` may hold: words that went further are more likely a
# rewrite than one reordering, and one entry over them would hide what else varies there.
REORDER_COLUMNS = 20


def _enclosing(spans: Sequence[tuple[int, int, frozenset[int]]]) -> list[frozenset[int]]:
    """For each span, the witnesses the spans around it account for. Spans nest or stand apart: walked in
    order of their starts (the longer first), those still open around one are on a stack, so that a table of
    a thousand moved passages is not a thousand times a thousand comparisons."""
    out: list[frozenset[int]] = [frozenset()] * len(spans)
    stack: list[int] = []
    for k in sorted(range(len(spans)), key=lambda k: (spans[k][0], -spans[k][1])):
        s, e, _ = spans[k]
        while stack and spans[stack[-1]][1] <= s:
            stack.pop()
        around = [spans[j][2] for j in stack if spans[j][0] <= s and e <= spans[j][1] and spans[j][:2] != (s, e)]
        if around:
            out[k] = frozenset().union(*around)
        stack.append(k)
    return out


def reading_order(
    entries: dict[int, tuple[int, int]], spans: Sequence[tuple[int, int]]
) -> dict[tuple[int, int], int]:
    """The entries' numbers, from 1 in reading order: ``(1, k)`` for ``entries[k]`` and ``(0, k)`` for
    ``spans[k]`` (each a column range), a span before the entries inside it and the longer span first."""
    marks = [(s, -e, 1, k) for k, (s, e) in entries.items()]
    marks += [(s, -e, 0, k) for k, (s, e) in enumerate(spans)]
    return {(kind, k): n for n, (_, _, kind, k) in enumerate(sorted(marks), start=1)}


def base_of(alignment: Alignment, base: str | None) -> tuple[str, int]:
    """The base siglum (default: the first witness) and its index; an unknown one is a ``UsageError``."""
    sigla = alignment.sigla
    if base is None:
        base = sigla[0]
    if base not in sigla:
        raise UsageError(f"unknown base witness {base!r}; the sigla are {', '.join(sigla)}")
    return base, sigla.index(base)


def _same_decision(a: tuple, b: tuple) -> bool:
    """Whether two neighbouring columns belong to one entry: the same kind under the same span, and, for
    variants, patterns (which witnesses read alike) of which one refines the other (the witnesses that read alike in one column still
    read alike in the other, or the reverse). "⁁] and white B; and green C" stays one entry; "wandered
    lonely] wander'd lonely B; wandered C" is two, as B and C part company differently in each column."""
    if a[0] is not b[0] and a[0] != b[0] or a[1] != b[1]:
        return False
    if a[2] is None or b[2] is None:
        return a[2] is b[2]
    return a[2] == b[2] or _refines(a[2], b[2]) or _refines(b[2], a[2])


def _refines(fine: tuple[int, ...], coarse: tuple[int, ...]) -> bool:
    seen: dict[int, int] = {}
    return all(seen.setdefault(f, c) == c for f, c in zip(fine, coarse))


def _breaks(alignment: Alignment, base_index: int) -> set[int]:
    """The columns where the base's text enters another block (paragraph, heading, verse line, division):
    no entry or span straddles one, so that every output can keep the base's structure (an ``app`` cannot
    hold a paragraph break, and a printed apparatus cites each entry by one line)."""
    tokens = alignment.witnesses[base_index].tokens
    out: set[int] = set()
    previous = None
    for c, column in enumerate(alignment.columns):
        i = column[base_index]
        if i is None:
            continue
        blocks = tokens[i].source.blocks
        if previous is not None and blocks != previous:
            out.add(c)
        previous = blocks
    return out


def _spans(
    alignment: Alignment,
    moved: dict[int, tuple[str, int]],
    breaks: set[int],
    forms: tuple[list[list[str]], list[list[str]]],
) -> tuple[list[tuple[int, int, frozenset[int]]], set[int]]:
    """The long absences, as (start, end, witnesses): runs of at least ``MIN_SPAN`` columns where some
    witnesses have nothing while the others vary inside the run (so that one entry for the whole run would
    hide that variation). Witnesses with the same run share one span. Runs are taken longest first; a run
    that crosses one already taken is cut at its edges, so spans nest or stand apart. A run is also cut
    where the base enters a new block (``breaks``).

    Also the columns where an entry must start although no span does: the edges of an absence inside which
    the others agree, but beside which its witnesses differ from one another (``_differ_beside``). The
    absence is then an entry of its own, not a span: there is no variation inside it to nest."""
    columns = alignment.columns
    width = len(columns)
    runs: dict[tuple[int, int], set[int]] = {}
    for w in range(len(alignment.witnesses)):
        cells = list(map(itemgetter(w), columns))
        c = 0
        while c < width:
            try:
                s = c = cells.index(None, c)  # the next column the witness lacks
            except ValueError:
                break
            while c < width and cells[c] is None and not (c > s and c in breaks):
                c += 1
            if c - s >= MIN_SPAN:
                runs.setdefault((s, c), set()).add(w)
    taken: list[tuple[int, int, frozenset[int]]] = []
    own_entry: set[int] = set()  # the edges of absences that are entries of their own
    # Longest first (then leftmost): a heap, since cutting a run puts its pieces back in line.
    todo = [(s - e, s, e, tuple(sorted(members))) for (s, e), members in runs.items()]
    heapq.heapify(todo)
    while todo:
        _, s, e, member_tuple = heapq.heappop(todo)
        members = set(member_tuple)
        cuts = sorted({x for a, b, _ in taken for x in (a, b) if s < x < e and not (a <= s and e <= b)})
        if cuts:
            pieces = [(a, b) for a, b in zip([s, *cuts], [*cuts, e]) if b - a >= MIN_SPAN]
            for a, b in pieces:
                heapq.heappush(todo, (a - b, a, b, member_tuple))
            continue
        inside = [c for c in range(s, e) if c in moved]
        if inside:
            # A moved passage inside the run has entries of its own (the transposition's halves), which a
            # span may not straddle: the run is cut around it.
            edges = [s, *[x for c in inside for x in (c, c + 1)], e]
            pieces = [(a, b) for a, b in zip(edges[::2], edges[1::2]) if b - a >= MIN_SPAN]
            for a, b in pieces:
                heapq.heappush(todo, (a - b, a, b, member_tuple))
            continue
        same = next((k for k, (a, b, _) in enumerate(taken) if (a, b) == (s, e)), None)
        if same is not None:  # a piece cut from a longer run that another run already has: one span
            taken[same] = (s, e, taken[same][2] | frozenset(members))
            continue
        ignored = frozenset(members).union(*(m for a, b, m in taken if a <= s and e <= b))
        # (Beside a run inside another span, its witnesses' variants are that span's inner entries already.)
        if _varies(alignment, s, e, ignored, moved, forms):
            taken.append((s, e, frozenset(members)))
        elif ignored == members and _differ_beside(alignment, s, e, members, forms, breaks, moved):
            if _agree_inside(alignment, s, e, ignored, forms):
                own_entry.update((s, e))  # nothing would stand inside a span: the absence is a plain entry
            else:
                taken.append((s, e, frozenset(members)))
    return taken, own_entry


def _agree_inside(
    alignment: Alignment, s: int, e: int, ignored: frozenset[int], forms: tuple[list[list[str]], list[list[str]]]
) -> bool:
    """Whether the witnesses not in ``ignored`` read columns ``s:e`` alike (or one of them alone reads them),
    so that a span there would hold no entry."""
    texts, norms = forms
    return all(
        _column_key(alignment.columns[c], None, texts, norms, ignored)[0] in (_AGREE, _WHOLE) for c in range(s, e)
    )


# How far from a long absence ``_differ_beside`` looks for its witnesses' own variation.
BESIDE = 20


def _differ_beside(
    alignment: Alignment,
    s: int,
    e: int,
    members: set[int],
    forms: tuple[list[list[str]], list[list[str]]],
    breaks: set[int],
    moved: dict[int, tuple[str, int]],
) -> bool:
    """Whether the witnesses ``members``, which lack columns ``s:e`` (a passage only the others read, alike),
    read differently from one another next to it, before the text agrees again: one entry for the whole
    stretch would hide their variant (``ran below my window`` / ``ran before my window`` beside a sentence
    another witness wrote in their place). The absence is then a span, and their variant an entry of its own.
    The search stops where the base enters another block (``breaks``) and at moved columns."""
    if len(members) < 2:
        return False
    columns = alignment.columns
    norms = forms[1]
    width = len(columns)
    everyone = range(len(alignment.witnesses))

    def agreed(c: int) -> bool:  # every witness reads the same form in column c
        column = columns[c]
        if None in column:
            return False
        first = norms[0][column[0]]  # type: ignore[index]
        return all(norms[w][column[w]] == first for w in everyone)  # type: ignore[index]

    def differ(c: int) -> bool:  # two of them read different words there (marks alone are left aside)
        column = columns[c]
        found = {norms[w][i] for w in members if (i := column[w]) is not None and not alignment.witnesses[w].tokens[i].punct}
        return len(found) > 1

    c = s - 1
    while c >= 0 and s - c <= BESIDE and c + 1 not in breaks and c not in moved and not agreed(c):
        if differ(c):
            return True
        c -= 1
    c = e
    while c < width and c - e < BESIDE and c not in breaks and c not in moved and not agreed(c):
        if differ(c):
            return True
        c += 1
    return False


def _varies(
    alignment: Alignment,
    s: int,
    e: int,
    ignored: frozenset[int],
    moved: dict[int, tuple[str, int]],
    forms: tuple[list[list[str]], list[list[str]]],
) -> bool:
    """Whether the witnesses not in ``ignored`` (two or more) make more than one entry of columns ``s:e``:
    one entry for the whole run would then repeat the passage once per variant of it."""
    if len(alignment.witnesses) - len(ignored) < 2:
        return False
    texts, norms = forms
    previous = None
    for c in range(s, e):
        key = _column_key(alignment.columns[c], moved.get(c), texts, norms, ignored)
        if previous is not None and not _same_decision(previous, key):
            return True
        previous = key
    return False


def _moved_spans(
    alignment: Alignment,
    moved: dict[int, tuple[str, int]],
    breaks: set[int],
    forms: tuple[list[list[str]], list[list[str]]],
    known: dict[int, tuple],
) -> dict[tuple[int, int, frozenset[int]], int]:
    """The halves of transpositions that are spans, each with its transposition's index: a moved passage of
    two columns or more that some witnesses lack there (those that moved it, or left it out), in which the
    witnesses that read it there differ. One entry for the whole passage would give each of their texts as a
    reading of the passage: ``ἐδίψησαν οἱ προφῆται] ἐδίψων οἱ προφῆται`` for a move and a verb's form, two
    decisions in one. As a span, the move is the outer entry (the passage against nothing, typed
    transposition where its witnesses moved it), and the differences inside are entries of their own.

    The span accounts for the witnesses that lack the passage here, and for those that have less than half
    of its columns (what a witness that moved the passage left behind, or a passage mostly rewritten): the
    outer entry gives their text whole. The others, two or more, read it here. A half without variation
    inside stays one entry. The keys of a span's columns (``_column_key``) are left in ``known``."""
    columns = alignment.columns
    width = len(alignment.witnesses)
    # The runs of columns each half holds: another transposition may claim some of its columns first, and
    # a block of the base cuts it, as it cuts the half's entries.
    halves: list[tuple[int, int, int]] = []
    for c in sorted(moved):
        if halves and halves[-1][1] == c and moved[c - 1] == moved[c] and c not in breaks:
            halves[-1] = (halves[-1][0], c + 1, halves[-1][2])
        else:
            halves.append((c, c + 1, moved[c][1]))
    texts, norms = forms
    out: dict[tuple[int, int, frozenset[int]], int] = {}
    for s, e, t_index in halves:
        if e - s < 2:
            continue
        held = [e - s - row.count(None) for row in zip(*columns[s:e])]
        members = frozenset(w for w in range(width) if 2 * held[w] < e - s)
        if not members or width - len(members) < 2:
            continue
        keys = [_column_key(columns[c], None, texts, norms, members) for c in range(s, e)]
        if any(key[0] is not _AGREE for key in keys):
            out[(s, e, members)] = t_index
            known.update(zip(range(s, e), keys))
    return out


def _span(
    alignment: Alignment,
    number: int,
    s: int,
    e: int,
    members: frozenset[int],
    base_index: int,
    outer: frozenset[int],
    transposition: int | None = None,
    inner: tuple[int, ...] | None = None,
) -> VariantLocation:
    """The outer entry of a long absence: the passage as the present witnesses read it (the base's text,
    or the first present witness's where the base is the one that lacks it) against nothing. For the half of
    a transposition (``transposition``, its index): the passage against what ``members`` have of it there
    (nothing, or a remnant), typed transposition for the witnesses that moved it (``_moved_span``).
    ``inner``: the witnesses whose reading holds the entries inside (``_whole``; default, all present)."""
    sigla = alignment.sigla
    present = [w for w in range(len(sigla)) if w not in members and w not in outer]
    per_witness = {
        w: tuple([witness.tokens[i] for i in row if i is not None])
        for w, (witness, row) in enumerate(zip(alignment.witnesses, zip(*alignment.columns[s:e])))
    }
    # The base speaks for the present witnesses where it reads something there; where it has nothing (its own
    # absence runs on beyond the span's), the first of them that does.
    readers = [w for w in present if per_witness[w]] or present
    voice = base_index if base_index in readers else _first(sigla, readers)
    present.remove(voice)
    present.insert(0, voice)
    text = written(per_witness[voice])
    norm = " ".join(t.norm for t in per_witness[voice])
    full = Reading(text, norm, tuple(sigla[w] for w in present), tuple(per_witness[w] for w in present))
    absent = tuple(sigla[w] for w in sorted(outer))
    if transposition is not None:
        return _moved_span(alignment, number, s, e, members, base_index, full, per_witness, transposition, absent)
    absent_sigla = tuple(sigla[w] for w in sorted(members))
    if base_index in members:
        lemma = Reading("", "", absent_sigla, tuple(() for _ in absent_sigla))
        lacuna = any(_lacunose(alignment, w, s, e) for w in members)
        kind = VariantType.LACUNA if lacuna else VariantType.ADDITION
        # What the base lacks, each witness's own text: one text given for all would say that every one of
        # them adds it, where they differ inside (the entries inside say how, word by word).
        readings = tuple(replace(r, type=kind) for r in _by_text(full))
    else:
        lemma = full
        # A witness whose text has not begun or has ended (or that has a gap at the edge) is lacunose here; the
        # others omit the passage (a punctuation variant where it is marks alone): two readings, not one typed
        # by whichever stands first.
        lacunose = {w for w in members if _lacunose(alignment, w, s, e)}
        omitting = tuple(sigla[w] for w in sorted(members - lacunose))
        readings = tuple(
            Reading("", "", group, tuple(() for _ in group), kind)
            for group, kind in (
                (omitting, _type(full, "", "", omitting, ()) if omitting else None),
                (tuple(sigla[w] for w in sorted(lacunose)), VariantType.LACUNA),
            )
            if group
        )
        kind = min((r.type for r in readings), key=_RANK.__getitem__)
    held = full.sigla if inner is None else tuple(sigla[w] for w in inner)
    return VariantLocation(number, s, e, lemma, readings, kind, None, absent=absent, span=True, inner=held)


def _whole(
    alignment: Alignment, s: int, e: int, absent: frozenset[int]
) -> tuple[frozenset[int], tuple[int, ...]]:
    """For a passage (columns ``s:e``) the base lacks and ``absent`` do not read: the witnesses whose reading of
    it (``_by_text``) is one text, given whole, and those whose reading gathers near-copies, with the entries
    inside giving their differences."""
    sigla = alignment.sigla
    present = [w for w in range(len(sigla)) if w not in absent]
    if not present:
        return frozenset(), ()
    voice = _first(sigla, present)  # in the order ``_span`` gives them: the near-copies group alike
    present.remove(voice)
    present.insert(0, voice)
    columns = alignment.columns[s:e]
    tokens = tuple(
        tuple([own[i] for i in (column[w] for column in columns) if i is not None])
        for w, own in ((w, alignment.witnesses[w].tokens) for w in present)
    )
    full = Reading("", "", tuple(sigla[w] for w in present), tokens)
    whole: set[int] = set()
    held: list[int] = []
    for reading in _by_text(full):
        ks = [present[full.sigla.index(x)] for x in reading.sigla]
        if len({written(t) for t in reading.tokens}) == 1:
            whole.update(ks)
        else:
            held.extend(ks)
    return frozenset(whole), tuple(sorted(held))


def _by_text(reading: Reading) -> list[Reading]:
    """``reading`` split by its witnesses' own texts, where they are other texts: witnesses whose texts are
    near-copies of one another (the passage with variants inside it, which the entries inside give word by
    word) are one reading, shown as the first of them has it. Most witnesses first, then in the order
    given."""
    exact: dict[str, list[int]] = {}
    for k, tokens in enumerate(reading.tokens):
        exact.setdefault(written(tokens), []).append(k)
    if len(exact) == 1:
        return [reading]
    # Texts that are near-copies of one another are one passage: each joins the first group (in the order
    # given) whose text it nearly copies.
    groups: dict[str, list[int]] = {}
    for text, ks in exact.items():
        home = next((g for g in groups if ratio(text, g) >= NEAR_COPY), text)
        groups.setdefault(home, []).extend(ks)
    if len(groups) == 1:
        return [reading]
    for ks in groups.values():
        ks.sort()
    parts = sorted(groups.items(), key=lambda item: (-len(item[1]), item[1][0]))
    return [
        Reading(
            text,
            " ".join(t.norm for t in reading.tokens[ks[0]]),
            tuple(reading.sigla[k] for k in ks),
            tuple(reading.tokens[k] for k in ks),
        )
        for text, ks in parts
    ]


def _moved_span(
    alignment: Alignment,
    number: int,
    s: int,
    e: int,
    members: frozenset[int],
    base_index: int,
    full: Reading,
    per_witness: dict[int, tuple[Token, ...]],
    transposition: int,
    absent: tuple[str, ...],
) -> VariantLocation:
    """The outer entry of a transposition's half: the passage as the witnesses that read it here have it
    (``full``), and what each of ``members`` has of it here, grouped by text (nothing, for most), those that
    moved it apart from those that did not. Each reading is typed as any entry's are (``type_against``, and
    ``collate.engine.lacunae`` for a lacuna), so that every output types them alike whichever the base."""
    sigla = alignment.sigla
    moved_by = movers(alignment, transposition)
    # By text, and apart those that moved the passage and those that did not (``by_mover``): "transp. B;
    # om. C", not one reading of B and C typed by B alone.
    by_text: dict[str, list[int]] = {}
    for w in sorted(members, key=lambda w: sigla[w]):
        by_text.setdefault(written(per_witness[w]), []).append(w)
    own: list[Reading] = []
    for text, same in by_text.items():
        for group in by_mover(same, sigla, moved_by):
            tokens = tuple(per_witness[w] for w in group)
            own.append(Reading(text, " ".join(t.norm for t in tokens[0]), tuple(sigla[w] for w in group), tokens))
    base_reading = next((r for r in own if sigla[base_index] in r.sigla), None)
    lemma = base_reading if base_reading is not None else full
    readings = [r for r in (full, *own) if r is not lemma]
    readings.sort(key=lambda r: (-len(r.sigla), r.sigla))
    typed = [replace(r, type=type_against(lemma, r, moved_by)) for r in readings]
    kind = min((r.type for r in typed), key=_RANK.__getitem__)
    return VariantLocation(
        number, s, e, lemma, tuple(typed), kind, transposition, absent=absent, span=True, inner=full.sigla
    )


def _first(sigla: tuple[str, ...], members) -> int:
    """The witness of ``members`` whose siglum sorts first: a choice that does not depend on input order."""
    return min(members, key=lambda w: sigla[w])


def _lacunose(alignment: Alignment, w: int, s: int, e: int) -> bool:
    """Whether witness ``w``'s absence over columns ``s:e`` is a lacuna rather than an omission: its text
    begins after the run or ends before it, or a ``gap`` stands at either edge."""
    columns = alignment.columns
    before = next((columns[c][w] for c in range(s - 1, -1, -1) if columns[c][w] is not None), None)
    after = next((columns[c][w] for c in range(e, len(columns)) if columns[c][w] is not None), None)
    if before is None or after is None:
        return True
    tokens = alignment.witnesses[w].tokens
    return "gap-after" in tokens[before].source.flags or "gap" in tokens[after].source.flags


def _forms(alignment: Alignment) -> tuple[list[list[str]], list[list[str]]]:
    """Per witness, its tokens' texts as printed and their normalised forms, read once for every column."""
    texts = [list(map(_TEXT, w.tokens)) for w in alignment.witnesses]
    norms = [list(map(_NORM, w.tokens)) for w in alignment.witnesses]
    return texts, norms


def _column_key(
    column: tuple[int | None, ...],
    side: tuple[str, int] | None,
    texts: list[list[str]],
    norms: list[list[str]],
    skip: frozenset[int],
) -> tuple[tuple, frozenset[int], tuple[int, ...] | None]:
    """A column as grouping sees it, the witnesses in ``skip`` (a span accounts for them) left out: its kind
    (agreement, orthographic, variant, or ``side``, the transposition's side it stands on), ``skip`` itself,
    and for a variant which witnesses read alike (labels in order of first appearance; ``None`` for a gap).
    ``texts[w]`` and ``norms[w]`` are witness ``w``'s tokens as printed and normalised (``_forms``)."""
    if side is not None:
        return side, skip, None
    if skip:
        row = [None if i is None else texts[w][i] for w, i in enumerate(column) if w not in skip]
        if row.count(None) == len(row):
            return _WHOLE, skip, None  # only witnesses given whole by a span around stand here
    elif None not in column:  # most columns: every witness reads a token there
        row = list(map(getitem, texts, column))
    else:
        row = [None if i is None else text[i] for text, i in zip(texts, column)]
    if None not in row:
        if row.count(row[0]) == len(row):
            return (_AGREE, skip, None) if skip else _AGREED
        forms = {norms[w][i] for w, i in enumerate(column) if w not in skip}  # type: ignore[index]
        if len(forms) == 1:
            return _ORTHO, skip, None
        spellings = list(map(_spelling, forms))
        if len({x for x, _ in spellings}) == 1 or len({y for _, y in spellings}) == 1:
            return _ORTHO, skip, None
    labels: dict[str | None, int] = {}
    return _VARIANT, skip, tuple([labels.setdefault(x, len(labels)) for x in row])


def location(
    alignment: Alignment,
    number: int,
    start: int,
    end: int,
    base_index: int,
    *,
    transposition: int | None = None,
    ignored: frozenset[int] = frozenset(),
) -> VariantLocation:
    """The entry over columns ``start:end``: readings grouped by their text as printed, the base's reading
    the lemma (the best-attested where ``ignored``, the witnesses a span accounts for, hold the base)."""
    return _location(
        alignment, [w.tokens for w in alignment.witnesses], alignment.sigla, number, start, end, base_index,
        transposition, ignored,
    )


def _location(
    alignment: Alignment,
    witness_tokens: list[tuple[Token, ...]],
    sigla: tuple[str, ...],
    number: int,
    start: int,
    end: int,
    base_index: int,
    transposition: int | None,
    ignored: frozenset[int],
    moved: dict[tuple[int, int], frozenset[str]] | None = None,
) -> VariantLocation:
    """``location``, given each witness's tokens and the sigla (read once for all the entries of a table);
    ``moved`` keeps the words at each place of a transposition (``_moved_words``) for the next entry."""
    # Per witness, its tokens in these columns: the columns read across (one tuple of cells per witness).
    groups: dict[str, list[int]] = {}
    if end - start == 1:  # most entries
        # One token or none per witness: its text is the reading's text.
        per_witness: list[tuple[Token, ...]] = [
            () if i is None else (tokens[i],) for tokens, i in zip(witness_tokens, alignment.columns[start])
        ]
        for w, tokens in enumerate(per_witness):
            if w not in ignored:
                groups.setdefault(tokens[0][0] if tokens else "", []).append(w)
        if base_index not in ignored:
            base = per_witness[base_index]
            lemma_text = base[0][0] if base else ""
    else:
        per_witness = [
            tuple([tokens[i] for i in row if i is not None])
            for tokens, row in zip(witness_tokens, zip(*alignment.columns[start:end]))
        ]
        texts: dict[tuple[str, ...], str] = {}
        for w, tokens in enumerate(per_witness):
            if w not in ignored:
                key = tuple(map(_TEXT, tokens))
                text = texts.get(key)
                if text is None:
                    text = texts[key] = join(key)
                groups.setdefault(text, []).append(w)
        if base_index not in ignored:
            lemma_text = texts[tuple(map(_TEXT, per_witness[base_index]))]
    # Inside a span that the base lacks, the reading most witnesses share is the lemma (ties: the first
    # siglum in sort order, so that the order the witnesses were given in does not matter).
    if base_index in ignored:
        lemma_text = min(groups, key=lambda text: (-len(groups[text]), min(sigla[w] for w in groups[text])))
    moved_by = movers(alignment, transposition)
    moved_words = _moved_words(alignment, transposition, start, {} if moved is None else moved) if moved_by else None

    members = groups.pop(lemma_text)
    tokens = tuple([per_witness[w] for w in members])
    first = tokens[0]
    lemma = Reading(_shown(first), " ".join(map(_NORM, first)), tuple([sigla[w] for w in members]), tokens)
    others = list(groups.values())
    if moved_by:
        # The witnesses that moved the passage and those that did not are two readings even where they read
        # alike here ("transp. B; om. C", not one reading of B and C typed as B's): a type is its witnesses'.
        others = [part for group in others for part in by_mover(group, sigla, moved_by)]
    readings = []
    kinds = set()
    for members in sorted(others, key=lambda members: (-len(members), members[0])):
        # Grouped by the tokens as printed; shown as the first member has it (its own spacing).
        tokens = tuple([per_witness[w] for w in members])
        first = tokens[0]
        shown = _shown(first)
        norm = " ".join(map(_NORM, first))
        reading_sigla = tuple([sigla[w] for w in members])
        kind = _type(lemma, shown, norm, reading_sigla, first, moved_by, moved_words)  # typed before it is built
        kinds.add(kind)
        readings.append(Reading(shown, norm, reading_sigla, tokens, kind))
    kind = min(kinds, key=_RANK.__getitem__, default=VariantType.ORTHOGRAPHIC)
    absent = tuple([sigla[w] for w in sorted(ignored)]) if ignored else ()
    return VariantLocation(number, start, end, lemma, tuple(readings), kind, transposition, absent=absent)


def _moved_words(
    alignment: Alignment, transposition: int | None, start: int, known: dict[tuple[int, int], frozenset[str]]
) -> frozenset[str] | None:
    """The words every witness has at the other place of the transposition whose one side holds ``start``
    (kept in ``known``, by transposition and place: each side of a moved passage holds several entries)."""
    if transposition is None:
        return None
    t = alignment.transpositions[transposition]
    s, e = t.target if t.source[0] <= start < t.source[1] else t.source
    found = known.get((transposition, s))
    if found is None:
        found = known[transposition, s] = frozenset(
            w.tokens[i][1]
            for column in alignment.columns[s:e]
            for w, i in zip(alignment.witnesses, column)
            if i is not None and not w.tokens[i][5]
        )
    return found


def _among(word: str, words: frozenset[str]) -> bool:
    """Whether ``word`` is one of ``words``, or one of them spelt otherwise (``_same_form``,
    ``spelt_otherwise``)."""
    return word in words or any(_same_form(word, other) or spelt_otherwise(word, other) for other in words)


def by_mover(group: list[int], sigla: tuple[str, ...], moved_by: frozenset[str]) -> list[list[int]]:
    """Witnesses (by index) that read alike, split into those that moved the passage (``moved_by``, their
    sigla) and the others, where both are there: "transp. B; om. C", not one reading typed as B's."""
    moving = [w for w in group if sigla[w] in moved_by]
    if not moving or len(moving) == len(group):
        return [group]
    return [moving, [w for w in group if sigla[w] not in moved_by]]


def _shown(tokens: tuple[Token, ...]) -> str:
    """A reading's tokens as its witness has them."""
    return tokens[0][0] if len(tokens) == 1 else written(tokens)


def _same_form(a: str, b: str) -> bool:
    """Whether two forms are one spelling of the same words, as editors class spelling: they may differ in
    word division, hyphenation and the shape of the apostrophe (``my self`` / ``myself``, ``fellow-beings`` /
    ``fellow beings``, ``con - tinues`` / ``continues``, ``father’s`` / ``father's``), and in the accents,
    breathings and iota subscripts of Greek letters and an apostrophe between them (``πρὸς`` / ``προς``,
    ``μέν`` / ``μὲν``, ``τῷ`` / ``τῶ`` / ``τῶι``, ``κ’ἂν`` / ``κἂν``), and in Greek's euphonic letters
    (``ἔλεγε`` / ``ἔλεγεν``, ``οὕτω`` / ``οὕτως``: ``_euphonic``).

    Greek manuscripts and editions accent as their scribes and editors were taught, and editors of Greek
    texts report such variants as spelling, when they report them at all. Other scripts keep their marks
    (``año`` / ``ano``, ``schön`` / ``schon`` are different words), and an apostrophe that makes another
    word counts (``we'll`` / ``well``)."""
    if a == b:
        return True
    x, y = _spelling(a), _spelling(b)
    return x[0] == y[0] or x[1] == y[1]


def _same_words(a: list[str], b: list[str]) -> bool:
    """``_same_form`` word by word: each word may be spelt its own way (``τῇ ἄρτῳ`` / ``τῆ ἄρτωι``)."""
    return len(a) == len(b) and all(map(_same_form, a, b))


# Word division and hyphenation: spaces and hyphens go, an apostrophe takes one shape.
_DIVISION = str.maketrans({" ": None, "-": None, "\u2010": None, "\u00ad": None, "’": "'", "\u02bc": "'"})
_GREEK_APOSTROPHE = re.compile("(?<=[\u0370-\u03ff\u1f00-\u1fff])'(?=[\u0370-\u03ff\u1f00-\u1fff])")
# Greek accents, breathings and the diaeresis (as Unicode decomposes a polytonic letter); and the iota subscript.
_GREEK_MARKS = frozenset("\u0300\u0301\u0304\u0306\u0308\u0313\u0314\u0342")
_SUBSCRIPT = "\u0345"
_SPELLINGS: dict[str, tuple[str, str]] = {}


def _spelling(form: str) -> tuple[str, str]:
    """``form`` as ``_same_form`` compares it: undivided, its Greek letters without accents and breathings
    or a final euphonic letter, and its iota subscripts left out, or written as an iota beside the vowel. A
    form of word dividers alone (a hyphen, an apostrophe) stays itself: two punctuation marks are not one
    spelling."""
    found = _SPELLINGS.get(form)
    if found is None:
        text = form.translate(_DIVISION) or form
        if text.isascii():
            found = (text, text)
        else:
            out: list[str] = []
            greek = False  # whether the last base letter is Greek: its accents and breathings go
            for c in unicodedata.normalize("NFD", _GREEK_APOSTROPHE.sub("", text)):
                if unicodedata.combining(c):
                    if greek and c in _GREEK_MARKS:
                        continue
                else:
                    greek = "\u0370" <= c <= "\u03ff" or "\u1f00" <= c <= "\u1fff"
                out.append(c)
            bare = "".join(out)
            found = (
                _euphonic(unicodedata.normalize("NFC", bare.replace(_SUBSCRIPT, ""))),
                _euphonic(unicodedata.normalize("NFC", bare.replace(_SUBSCRIPT, "ι"))),
            )
        if len(_SPELLINGS) > 100_000:
            _SPELLINGS.clear()
        _SPELLINGS[form] = found
    return found


# Greek's euphonic letters, which scribes and editors write or leave out before a vowel or a pause as they
# were taught: the movable nu of a verb's third person in -ε(ν) (ἔλεγε(ν)) and in -ουσι(ν) or -νυσι(ν)
# (λέγουσι(ν), δείκνυσι(ν)), of ἐστί(ν), εἰσί(ν), φησί(ν), πᾶσι(ν); the movable sigma of οὕτω(ς), ἄχρι(ς),
# μέχρι(ς); and ἐκ, ἐξ before a vowel. Other endings are left alone, since there a final nu makes another
# form: σοφία / σοφίαν and γνῶσι / γνῶσιν (the accusative), οὐ / οὖν, οὐδέ / οὐδέν, με / μέν.
_EUPHONIC = {"εστιν": "εστι", "εισιν": "εισι", "φησιν": "φησι", "πασιν": "πασι",
             "ουτως": "ουτω", "αχρις": "αχρι", "μεχρις": "μεχρι", "εξ": "εκ"}
_MOVABLE_NU = re.compile("[\u0370-\u03ff\u1f00-\u1fff]{2,}(?:ε|ουσι|νυσι)ν")
_NOT_MOVABLE = frozenset({"ουδεν", "μηδεν"})


def _euphonic(word: str) -> str:
    """A Greek word (without accents and breathings) without its euphonic letter, if it has one."""
    if _MOVABLE_NU.fullmatch(word) and word not in _NOT_MOVABLE:
        return word[:-1]
    return _EUPHONIC.get(word, word)


def _words(tokens: tuple[Token, ...]) -> list[str]:
    """The normalised forms of the words, punctuation left out. A mark that stands for a word (``&``, whose
    normal form is ``and``) is that word."""
    return [t[1] for t in tokens if not t[5] or t[1].isalnum()]


def movers(alignment: Alignment, transposition: int | None) -> frozenset[str]:
    """Witnesses that have a transposed passage on one side only (those that read it in both places, or
    in neither, did not move it)."""
    if transposition is None:
        return frozenset()
    t = alignment.transpositions[transposition]
    return frozenset(set(t.source_witnesses) ^ set(t.target_witnesses))


def type_against(lemma: Reading, reading: Reading, moved_by: frozenset[str] = frozenset()) -> VariantType:
    """The type of ``reading`` against ``lemma``: where one of them is empty in a transposed passage and
    the reading's witnesses moved it, the emptiness is the move, not an omission or addition."""
    return _type(lemma, reading.text, reading.norm, reading.sigla, reading.tokens[0] if reading.tokens else (), moved_by)


def classify(lemma: Reading, reading: Reading) -> VariantType:
    """The type of ``reading`` against ``lemma`` (which differ as printed)."""
    return _type(lemma, reading.text, reading.norm, reading.sigla, reading.tokens[0] if reading.tokens else ())


def _type(
    lemma: Reading,
    text: str,
    norm: str,
    reading_sigla: tuple[str, ...],
    tokens: tuple[Token, ...],
    moved_by: frozenset[str] = frozenset(),
    moved_words: frozenset[str] | None = None,
) -> VariantType:
    """``type_against`` for a reading given by its parts (``tokens``: its first witness's), so that the
    grouping types a reading before building it. ``moved_words``, when given, are the words of the moved
    passage at its other place: where the lemma (or the reading) here shares none of them, it is another
    text that stands in the same column, and the reading is typed against it as anywhere else."""
    if moved_by and (not text or lemma.empty) and any(s in moved_by for s in reading_sigla):
        here = _words(lemma.tokens[0]) if not text and lemma.tokens else _words(tokens)
        if moved_words is None or not here or any(_among(x, moved_words) for x in here):
            return VariantType.TRANSPOSITION
    elif moved_words and text and any(s in moved_by for s in reading_sigla):
        # The moved words standing where the others have another text: the move, not a substitution.
        here = _words(tokens)
        lemma_words = _words(lemma.tokens[0]) if lemma.tokens else []
        if here and all(_among(x, moved_words) for x in here) and not any(_among(x, moved_words) for x in lemma_words):
            return VariantType.TRANSPOSITION
    if not text and lemma.empty:
        # Two readings of nothing: a transposition's lemma (the base moved the passage away) and those
        # that left it out, which are apart from those that moved it.
        return VariantType.OMISSION
    if norm == lemma.norm:
        return VariantType.ORTHOGRAPHIC
    words = _words(tokens)
    lemma_words = _words(lemma.tokens[0]) if lemma.tokens else []
    if words == lemma_words:
        return VariantType.PUNCTUATION
    if words and lemma_words:
        # The same spelling (``_same_form``) over the whole reading, or word by word where Greek letters may
        # each be spelt their own way, is orthographic; over the words alone (the punctuation differing
        # too), a punctuation variant.
        by_word = not norm.isascii()  # only Greek letters may be spelt differently word by word
        if _same_form(norm, lemma.norm) or (by_word and _same_words(norm.split(" "), lemma.norm.split(" "))):
            return VariantType.ORTHOGRAPHIC
        if _same_form(" ".join(words), " ".join(lemma_words)) or (by_word and _same_words(words, lemma_words)):
            return VariantType.PUNCTUATION
    if not lemma_words:
        return VariantType.ADDITION
    if not words:
        return VariantType.OMISSION
    if _reordering(words, lemma_words):
        return VariantType.TRANSPOSITION  # the same words in another order
    return VariantType.SUBSTANTIVE
