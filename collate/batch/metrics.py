"""Error rates of an OCR text against its reference: CER on grapheme clusters, WER on words, and the places
where the two texts differ. Pure: strings in, numbers and frozen dataclasses out.

Offers:
    Rate                         ``distance``, ``length`` and ``rate`` (= distance / length)
    Difference                   one place where the texts differ: cluster ranges in both texts, their text,
                                 the reference line it starts on
    Segment                      a run of the aligned texts: ``equal`` or a difference (index into differences)
    Comparison                   ``cer``, ``wer``, the differences and the segments, and both normalised texts
    graphemes(text)              NFC grapheme clusters (``\\X``), the units CER counts
    words(text)                  words by Unicode word boundaries (UAX #29), without runs of punctuation/space
    cer(reference, scan)         character error rate, as a ``Rate``
    wer(reference, scan)         word error rate, as a ``Rate``
    compare(reference, scan, …)  everything above at once, aligning each text only once
    NORMALIZATIONS               ``nfc`` (the default) and ``ocr-d`` (NFC plus OCR-D's equivalences)
    normalization(name)          the ``str -> str`` function for a name

The definitions are dinglehopper's (OCR-D), so the figures can be compared with its reports: CER is the
Levenshtein distance between the sequences of extended grapheme clusters of the NFC-normalised texts, divided
by the number of clusters of the reference; WER the same over words. A distance of 0 is a rate of 0 even for
an empty reference; a positive distance over an empty reference is infinite.

The distance is exact whenever the cost allows it, and marked when not (``Rate.exact``). RapidFuzz computes the edit operations of one optimal alignment with a bit-parallel
banded algorithm (the band doubles until the result is provably optimal) and Hirschberg's split for long
inputs, so memory stays linear: a 600,000-character page needs tens of megabytes, not an n×m matrix
(dinglehopper's issue #62). The number of edit operations of an optimal alignment *is* the distance, so one
call gives both the rate and the differences.

Two texts of any length that have little in common would make that search quadratic (two unrelated
1,000,000-character texts: 76 s). So texts whose full matrix is small (``EXACT_CELLS``) are always compared
exactly; longer ones are first measured within a band of ``EXACT_CELLS / length`` edits, linear in the
length: when the distance lies inside the band it is exact, as before. Otherwise the texts differ in more
than the band, the alignment is made piecewise (``_CHUNK`` clusters of the reference against the
proportional stretch of the scan, each exact), and its edit count is an upper bound of the distance, the
band a lower bound: ``Rate.exact`` is ``False`` and ``Rate.lower`` holds the lower bound.
"""

from __future__ import annotations

import math
import unicodedata
from dataclasses import dataclass
from typing import Callable, Sequence

import regex
from rapidfuzz.distance import Levenshtein

__all__ = [
    "Rate",
    "Difference",
    "Segment",
    "Comparison",
    "graphemes",
    "words",
    "cer",
    "wer",
    "compare",
    "NORMALIZATIONS",
    "normalization",
]

_CLUSTER = regex.compile(r"\X")
# Characters that can join a neighbour into one grapheme cluster (UAX #29 GB3-GB13: CR LF, extending and
# spacing marks, ZWJ, prepended marks, Hangul jamo and syllables, regional indicators). A text without any
# of them has one cluster per code point, so it can be compared as it is, without \X and without a list.
_JOINING = regex.compile(
    r"[\p{GCB=CR}\p{GCB=Extend}\p{GCB=ZWJ}\p{GCB=SpacingMark}\p{GCB=Prepend}\p{GCB=L}\p{GCB=V}\p{GCB=T}"
    r"\p{GCB=LV}\p{GCB=LVT}\p{GCB=Regional_Indicator}]"
)
# Unicode word boundaries (UAX #29), as uniseg's wordbreak that dinglehopper uses.
_WORD_BREAK = regex.compile(r"\b", flags=regex.WORD | regex.V1)
# A "word" that holds only these categories is whitespace or punctuation, not a word (dinglehopper's rule).
# A segment is a word when it holds a character outside these (dinglehopper: categories M, P, Z, S, Cc, Cf).
_SEPARATORS = frozenset(("", " ", "\n", ", ", ". ", ".\n", ",\n", "; ", ": ", "-", "'"))
_WORDLIKE = regex.compile(r"[^\p{M}\p{P}\p{Z}\p{S}\p{Cc}\p{Cf}]")
# The regex module attaches these to a following letter ("'Uneven", "\u00adword"), where UAX #29 breaks: they
# join two letters or digits (WB6, WB7, WB11, WB12) and never begin a word (WB4 does not apply after a break).
_LEADING = regex.compile(r"^[\p{WB=MidLetter}\p{WB=MidNumLet}\p{WB=MidNum}\p{WB=Single_Quote}\p{WB=Double_Quote}"
                         r"\p{WB=Format}\p{WB=Extend}\p{WB=ZWJ}]+")
# The band RapidFuzz starts from; it doubles as needed, so this only affects speed, never the result. OCR
# output differs from its reference in a few per cent of its characters: starting near 1% of the length
# saves most of the doublings on a long page.
_BAND = 64
# Texts whose full edit matrix has at most this many cells are always compared exactly (about a second);
# beyond it the exact search is confined to a band of EXACT_CELLS / length edits.
EXACT_CELLS = 2_000_000_000
# The widest band searched beyond that (a sixteenth of the text, at most this many edits): linear cost.
_MAX_BAND = 32_768
# Piece length of the bounded alignment used when two long texts differ beyond the band.
_CHUNK = 2048


def _band(a: Sequence[str], b: Sequence[str]) -> int:
    return max(_BAND, max(len(a), len(b)) // 128)


@dataclass(frozen=True, slots=True)
class Rate:
    """An error rate: ``distance`` edits over ``length`` reference units. ``exact`` is ``False`` when the
    texts were too long and too different for an exact distance at linear cost: ``distance`` is then an
    upper bound (an alignment that many edits long exists) and ``lower`` a lower bound."""

    distance: int
    length: int
    exact: bool = True
    lower: int | None = None

    @property
    def rate(self) -> float:
        if self.distance == 0:
            return 0.0
        if self.length == 0:
            return math.inf
        return self.distance / self.length


@dataclass(frozen=True, slots=True)
class Difference:
    """A maximal run of edits. Ranges are half-open, in grapheme clusters; ``line`` is 1-based, in the
    reference (for an insertion: the line of the cluster the text is inserted before).

    ``kind`` is ``replace``, ``delete`` (text only in the reference) or ``insert`` (text only in the scan)."""

    kind: str
    ref_start: int
    ref_end: int
    scan_start: int
    scan_end: int
    reference: str
    scan: str
    line: int
    edits: int


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of the alignment in reading order: agreeing text, or difference number ``difference``."""

    reference: str
    scan: str
    difference: int | None = None


@dataclass(frozen=True, slots=True)
class Comparison:
    reference: str
    scan: str
    cer: Rate
    wer: Rate
    differences: tuple[Difference, ...]
    segments: tuple[Segment, ...]


def _nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


# dinglehopper's equivalences (its ``substitute_equivalences``, "NFC_SBB"): ligatures unjoined, typographic
# variants OCR engines and ground-truth guidelines disagree on mapped to one form. Applied to both texts.
_OCRD_EQUIVALENCES = (
    ("\ueba6", "ſſ"),
    ("\ueba7", "ſſi"),
    ("\uf502", "ch"),
    ("\ueec4", "ck"),
    ("\uf4f9", "ll"),
    ("\ueba2", "ſi"),
    ("\ueada", "ſt"),
    ("\ufb01", "fi"),
    ("\ufb00", "ff"),
    ("\ufb02", "fl"),
    ("\ufb03", "ffi"),
    ("\ueec5", "ct"),
    ("\ueedc", "tz"),
    ("\uf532", "as"),
    ("\uf533", "is"),
    ("\uf534", "us"),
    ("\uf535", "Qu"),
    ("\u0133", "ij"),
    ("\ue8bf", "q&"),
    ("\ueba5", "ſp"),
    ("\ufb06", "st"),
    # (NFC again here in dinglehopper: a no-op, nothing above produces a composable sequence)
    ("\ue72b", "ü"),
    ("\ue42c", "ä"),
    ("==", "–"),
    ("\u2014", "–"),
    ("\ue644", "ö"),
    ("\u2019", "'"),
    ("\u2e17", "-"),
    ("a\u0364", "ä"),
    ("o\u0364", "ö"),
    ("u\u0364", "ü"),
    ("\uf50e", "q\u0301"),
)


def _ocrd(text: str) -> str:
    text = _nfc(text)
    for old, new in _OCRD_EQUIVALENCES:
        if old in text:
            text = text.replace(old, new)
    return text


NORMALIZATIONS: dict[str, Callable[[str], str]] = {"nfc": _nfc, "ocr-d": _ocrd}


def normalization(name: str) -> Callable[[str], str]:
    try:
        return NORMALIZATIONS[name]
    except KeyError:
        raise ValueError(f"unknown normalization {name!r}; choose one of {', '.join(NORMALIZATIONS)}") from None


def _clusters(text: str) -> Sequence[str]:
    """The grapheme clusters of ``text``: the string itself when every code point is a cluster (indexing and
    slicing it then work as on the list), else the list of clusters."""
    return _CLUSTER.findall(text) if _JOINING.search(text) else text


def graphemes(text: str, *, normalize: Callable[[str], str] = _nfc) -> list[str]:
    return list(_clusters(normalize(text)))


def words(text: str, *, normalize: Callable[[str], str] = _nfc) -> list[str]:
    pieces = _WORD_BREAK.split(normalize(text))
    # A text repeats its words: each distinct segment is classified once (None: not a word), then the
    # segments are mapped through that table in one pass.
    kind: dict[str, str | None] = dict.fromkeys(_SEPARATORS)
    wordlike, leading = _WORDLIKE.search, _LEADING.match
    for piece in set(pieces).difference(kind):
        kind[piece] = (_LEADING.sub("", piece) if leading(piece) else piece) if wordlike(piece) else None
    return [word for word in map(kind.__getitem__, pieces) if word is not None]


def _encode(a: Sequence[str], b: Sequence[str]) -> tuple[str, str]:
    """Both sequences as strings of one code point per unit, equal units mapped to equal code points.

    RapidFuzz is fastest on ``str``; the mapping keeps the edit distance unchanged because it is injective.
    Surrogate code points are skipped: they cannot stand alone in a ``str`` that RapidFuzz reads."""
    table: dict[str, str] = {}
    out = []
    for seq in (a, b):
        codes = []
        for unit in seq:
            code = table.get(unit)
            if code is None:
                n = len(table)
                code = table[unit] = chr(n + 0x800 if n >= 0xD800 else n)
            codes.append(code)
        out.append("".join(codes))
    return out[0], out[1]


def _as_strings(a: Sequence[str], b: Sequence[str]) -> tuple[str, str]:
    if isinstance(a, str) and isinstance(b, str):
        return a, b
    return _encode(a, b)


def _cutoff(s1: str, s2: str) -> int | None:
    """The band to measure in first, or ``None`` when the full matrix is small enough to search exactly."""
    longest = max(len(s1), len(s2))
    if len(s1) * len(s2) <= EXACT_CELLS:
        return None
    return max(EXACT_CELLS // longest, min(longest // 16, _MAX_BAND), abs(len(s1) - len(s2)) + 1)


def _distance(s1: str, s2: str, length: int) -> Rate:
    cutoff = _cutoff(s1, s2)
    if cutoff is None:
        return Rate(Levenshtein.distance(s1, s2, score_hint=_band(s1, s2)), length)
    within = Levenshtein.distance(s1, s2, score_cutoff=cutoff, score_hint=min(cutoff, _band(s1, s2)))
    if within <= cutoff:
        return Rate(within, length)
    return Rate(_edits(_piecewise(s1, s2)), length, exact=False, lower=cutoff + 1)


def _rate(a: list[str], b: list[str]) -> Rate:
    s1, s2 = _encode(a, b)
    return _distance(s1, s2, len(a))


def cer(reference: str, scan: str, *, normalize: Callable[[str], str] = _nfc) -> Rate:
    a, b = _clusters(normalize(reference)), _clusters(normalize(scan))
    s1, s2 = _as_strings(a, b)
    return _distance(s1, s2, len(a))


def _piecewise(s1: str, s2: str) -> list[tuple[str, int, int, int, int]]:
    """An alignment of ``s1`` and ``s2`` made piece by piece: each ``_CHUNK`` of ``s1`` against the
    proportional stretch of ``s2``, each piece exact, except that a piece in which most units differ is
    one replacement (thousands of one-letter differences between unrelated texts help no reader). Linear in
    time and memory; its edits are an upper bound of the distance."""
    pieces = max(1, -(-max(len(s1), len(s2)) // _CHUNK))
    out: list[tuple[str, int, int, int, int]] = []
    for k in range(pieces):
        i1, i2 = len(s1) * k // pieces, len(s1) * (k + 1) // pieces
        j1, j2 = len(s2) * k // pieces, len(s2) * (k + 1) // pieces
        a, b = s1[i1:i2], s2[j1:j2]
        if Levenshtein.distance(a, b, score_cutoff=max(len(a), len(b)) // 2) > max(len(a), len(b)) // 2:
            if a or b:
                out.append(("replace" if a and b else ("delete" if a else "insert"), i1, i2, j1, j2))
            continue
        for tag, a1, a2, b1, b2 in Levenshtein.opcodes(a, b).as_list():
            out.append((tag, a1 + i1, a2 + i1, b1 + j1, b2 + j1))
    return out


def _edits(opcodes: Sequence[tuple[str, int, int, int, int]]) -> int:
    # A replace block of k × k is k substitutions; insert and delete blocks one edit per unit.
    return sum(max(i2 - i1, j2 - j1) for tag, i1, i2, j1, j2 in opcodes if tag != "equal")


def wer(reference: str, scan: str, *, normalize: Callable[[str], str] = _nfc) -> Rate:
    return _rate(words(reference, normalize=normalize), words(scan, normalize=normalize))


def compare(reference: str, scan: str, *, normalize: Callable[[str], str] = _nfc) -> Comparison:
    """CER, WER and the differences of ``scan`` against ``reference``, after ``normalize`` (NFC by default)."""
    ref_text, scan_text = normalize(reference), normalize(scan)
    a, b = _clusters(ref_text), _clusters(scan_text)
    s1, s2 = _as_strings(a, b)
    cutoff = _cutoff(s1, s2)
    within = None if cutoff is None else Levenshtein.distance(s1, s2, score_cutoff=cutoff,
                                                              score_hint=min(cutoff, _band(s1, s2)))
    if within is None or within <= cutoff:
        ops = Levenshtein.editops(s1, s2, score_hint=within or _band(s1, s2))
        character = Rate(len(ops), len(a))
        opcodes = ops.as_opcodes().as_list()
    else:
        opcodes = _piecewise(s1, s2)
        character = Rate(_edits(opcodes), len(a), exact=False, lower=cutoff + 1)
    word = _rate(words(ref_text, normalize=_identity), words(scan_text, normalize=_identity))
    differences, segments = _differences(opcodes, a, b)
    return Comparison(ref_text, scan_text, character, word, differences, segments)


def _identity(text: str) -> str:
    return text


def _differences(opcodes, a: Sequence[str], b: Sequence[str]) -> tuple[tuple[Difference, ...], tuple[Segment, ...]]:
    """Merge consecutive non-equal opcodes into differences; keep equal runs as segments between them."""
    differences: list[Difference] = []
    segments: list[Segment] = []
    line = 1  # reference line of cluster ``ref_pos``
    ref_pos = 0
    pending: list[tuple[str, int, int, int, int]] = []  # non-equal opcodes waiting to be merged

    def flush() -> None:
        i1, j1 = pending[0][1], pending[0][3]
        i2, j2 = pending[-1][2], pending[-1][4]
        edits = sum(max(i_end - i_start, j_end - j_start) for _, i_start, i_end, j_start, j_end in pending)
        kind = "replace" if i1 < i2 and j1 < j2 else ("delete" if i1 < i2 else "insert")
        ref, got = _cut(a, i1, i2), _cut(b, j1, j2)
        differences.append(Difference(kind, i1, i2, j1, j2, ref, got, line, edits))
        segments.append(Segment(ref, got, len(differences) - 1))
        pending.clear()

    # Plain tuples: attribute look-ups on RapidFuzz's opcode objects cost more than the rest of the loop.
    for op in opcodes:
        if op[0] == "equal":
            if pending:
                flush()
            segments.append(Segment(_cut(a, op[1], op[2]), _cut(b, op[3], op[4])))
        else:
            if not pending:
                line += _newlines(a, ref_pos, op[1])
                ref_pos = op[1]
            pending.append(op)
    if pending:
        flush()
    return tuple(differences), tuple(segments)


def _cut(seq: Sequence[str], start: int, end: int) -> str:
    return seq[start:end] if isinstance(seq, str) else "".join(seq[start:end])


def _newlines(seq: Sequence[str], start: int, end: int) -> int:
    if isinstance(seq, str):
        return seq.count("\n", start, end)
    return sum(1 for c in seq[start:end] if c in ("\n", "\r\n"))
