"""The ported cases as data, and one way to check them against any engine's table.

Offers:
    Case          one ported test: its source, its witnesses, what the peer expects, and our verdict
    Rows          rows as CollateX's Java tests print them: ``|the| |cat|`` (normalised forms, " " for a gap)
    TextRows      rows of an unsegmented CollateX-Python table (original text, " " for a gap)
    Segments      rows of a segmented CollateX-Python table: cells of joined tokens (compared word by word)
    VariantFlags  CollateX-Python's ``column.variant`` flags of the segmented table
    Transpositions  how many transpositions the engine reports
    Holds         any other observable property, described in words
    Result        an engine's table in a neutral form (cells of ``(text, norm)``) and its transpositions
    ours(case)    our engine's ``Result`` for a case (``collate.align_witnesses`` with ``collate.Options()``)
    failures(case, result)  what the result gets wrong, one line each (empty: the case passes)
    params(cases) the cases as ``pytest.param``s: ids from the source method, xfail where we say so
    judged(cases, verdicts, links)  the cases with our verdicts and the words they must link
    link_params(cases)  the cases whose shared words we must link (``Case.links``), for ``test_links``
    linked(*norms)  a check: each word aligned or linked across a transposition in every witness reading it
    segment(result)  CollateX's segmentation of a table: vertices joined along unbranching edges, re-ranked

Both engines are checked by the same code: ``benchmarks/peer_suite.py`` builds a ``Result`` from
CollateX-Python's table and calls ``failures`` on it.

A case's ``status`` starting with ``engine:`` says our engine is plainly wrong there; ``debatable:`` says the
peer's expectation is one of several defensible answers (tests/peers/README.md lists them with reasons).
Either makes the test a strict xfail: it turns red the day the engine passes it.
"""

from __future__ import annotations

from dataclasses import dataclass, field, replace
from typing import Callable, Sequence, Union

import pytest

import collate
from collate.engine.tokens import split

# A witness is plain text (tokenised by our tokeniser) or pretokenized: (text, norm or None) pairs.
Pretokenized = tuple[tuple[str, Union[str, None]], ...]
WitnessSpec = tuple[str, Union[str, Pretokenized]]
Cell = tuple[str, str]  # (text, norm)


@dataclass(frozen=True, slots=True)
class Result:
    sigla: tuple[str, ...]
    columns: tuple[tuple[Union[Cell, None], ...], ...]
    transpositions: int | None = None  # None: the engine does not report transpositions
    error: str | None = None
    # Per transposition, the (siglum, normalised form) of every token it moves, on both sides.
    moved: tuple[frozenset[tuple[str, str]], ...] = ()
    # Column pairs whose words descend from the same words although they stand apart (``Transposition.links``).
    links: frozenset[tuple[int, int]] = frozenset()

    def row(self, siglum: str) -> list[Union[Cell, None]]:
        k = self.sigla.index(siglum)
        return [column[k] for column in self.columns]


@dataclass(frozen=True, slots=True)
class Rows:
    """Rows as the Java tests print them (``AbstractTest.toString``): normalised forms between bars."""

    expected: dict[str, str]

    def failures(self, result: Result) -> list[str]:
        out = []
        for siglum, want in self.expected.items():
            got = "|" + "".join(f"{' ' if c is None else c[1]}|" for c in result.row(siglum))
            if got != want:
                out.append(f"row {siglum}: expected {want} got {got}")
        return out


@dataclass(frozen=True, slots=True)
class TextRows:
    """Rows of an unsegmented CollateX-Python table: each cell the token's text ("-" in its own print)."""

    expected: dict[str, str]

    def failures(self, result: Result) -> list[str]:
        out = []
        for siglum, want in self.expected.items():
            got = "|" + "".join(f"{' ' if c is None else c[0]}|" for c in result.row(siglum))
            if got != want:
                out.append(f"row {siglum}: expected {want} got {got}")
        return out


@dataclass(frozen=True, slots=True)
class Segments:
    """Rows of a segmented CollateX-Python table (``rows[k].to_list_of_strings()``).

    A cell is the text of its joined tokens; it is compared word by word (each expected cell is split by our
    tokeniser, or given as a tuple of token texts for pretokenized witnesses), so that CollateX's trailing
    spaces and our separate punctuation tokens do not count as differences.
    """

    expected: dict[str, list[Union[str, tuple[str, ...], None]]]

    def failures(self, result: Result) -> list[str]:
        rows = segment(result)
        out = []
        for siglum, cells in self.expected.items():
            want = [
                None if c is None else (c if isinstance(c, tuple) else tuple(s.text for s in split(c))) for c in cells
            ]
            got = rows[siglum]
            if got != want:
                out.append(f"segments {siglum}: expected {_show(want)} got {_show(got)}")
        return out


@dataclass(frozen=True, slots=True)
class VariantFlags:
    """CollateX-Python's ``column.variant`` over the segmented table: not every witness reads the same."""

    expected: tuple[bool, ...]

    def failures(self, result: Result) -> list[str]:
        rows = segment(result)
        width = len(next(iter(rows.values()))) if rows else 0
        got = tuple(
            len({None if rows[s][c] is None else tuple(w.lower() for w in rows[s][c]) for s in rows}) > 1
            for c in range(width)
        )
        return [] if got == self.expected else [f"variant flags: expected {self.expected} got {got}"]


@dataclass(frozen=True, slots=True)
class Transpositions:
    expected: int

    def failures(self, result: Result) -> list[str]:
        got = result.transpositions or 0
        return [] if got == self.expected else [f"transpositions: expected {self.expected} got {got}"]


@dataclass(frozen=True, slots=True)
class Holds:
    """Any other property the peer's test implies, as a predicate over the result."""

    description: str
    predicate: Callable[[Result], bool]

    def failures(self, result: Result) -> list[str]:
        return [] if self.predicate(result) else [f"does not hold: {self.description}"]


Check = Union[Rows, TextRows, Segments, VariantFlags, Transpositions, Holds]


@dataclass(frozen=True, slots=True)
class Case:
    """One ported test. ``source`` names the peer's class and method; ``near`` is CollateX-Python's
    ``near_match`` as the peer's test passed it (used only when CollateX-Python runs the case)."""

    source: str
    witnesses: tuple[WitnessSpec, ...]
    checks: tuple[Check, ...]
    status: str | None = None
    near: bool = False
    origin: str = "java"  # "java": tokens as CollateX's Java tokeniser makes them; "python": the Python port's
    # Words the peer's result aligns or links as transposed; ``test_links`` checks we link them too (our
    # addition: a to-do that turns red once a fix links them, whatever the table's layout then).
    links: tuple[str, ...] = field(default=())
    links_status: str | None = None  # our verdict on the links alone, where the peer's own checks pass

    @property
    def name(self) -> str:
        return self.source.rsplit(".", 1)[-1]


def witnesses(*texts: str, sigla: str = "ABCDEFGHIJKLMNOPQRSTUVWXYZ") -> tuple[WitnessSpec, ...]:
    """Witnesses named A, B, C… as ``AbstractTest.createWitnesses`` names them."""
    return tuple(zip(sigla, texts))


def _punct(text: str) -> bool:
    return not any(ch.isalnum() for ch in text)


def make_witness(siglum: str, spec: Union[str, Pretokenized]) -> collate.Witness:
    if isinstance(spec, str):
        return collate.Witness(siglum, collate.make_tokens(spec, siglum))
    tokens = tuple(
        collate.Token(t, n if n is not None else collate.DEFAULT_NORMALIZER(t), siglum, i, punct=_punct(t))
        for i, (t, n) in enumerate(spec)
    )
    return collate.Witness(siglum, tokens)


def ours(case: Case) -> Result:
    ws = [make_witness(s, spec) for s, spec in case.witnesses]
    sigla = tuple(s for s, _ in case.witnesses)
    try:
        alignment = collate.align_witnesses(ws, collate.Options())
    except collate.CollateError as error:
        return Result(sigla, (), None, f"{type(error).__name__}: {error}")
    columns = tuple(
        tuple(None if t is None else (t.text, t.norm) for t in alignment.column_tokens(c))
        for c in range(len(alignment))
    )
    moved = tuple(
        frozenset(
            (w.siglum, t.norm)
            for span, group in ((tr.source, tr.source_witnesses), (tr.target, tr.target_witnesses))
            for c in range(*span)
            for k, w in enumerate(alignment.witnesses)
            if w.siglum in group and (t := alignment.cell(c, k)) is not None
        )
        for tr in alignment.transpositions
    )
    links = frozenset(pair for tr in alignment.transpositions for pair in tr.links)
    return Result(sigla, columns, len(alignment.transpositions), None, moved, links)


def failures(case: Case, result: Result) -> list[str]:
    if result.error is not None:
        return [f"no table: {result.error}"]
    out: list[str] = []
    for check in case.checks:
        out.extend(check.failures(result))
    return out


def show(result: Result) -> str:
    """The table as text, one row per witness, for failure messages."""
    if result.error is not None:
        return result.error
    lines = [f"{s}: |" + "".join(f"{'-' if c is None else c[0]}|" for c in result.row(s)) for s in result.sigla]
    lines.append(f"transpositions: {result.transpositions}")
    return "\n".join(lines)


def check(case: Case) -> None:
    result = ours(case)
    problems = failures(case, result)
    if problems:
        pytest.fail(f"{case.source}\n" + "\n".join(problems) + "\n" + show(result), pytrace=False)


def params(cases: Sequence[Case]) -> list:
    out = []
    for case in cases:
        marks = []
        if case.status is not None:
            marks.append(pytest.mark.xfail(strict=True, reason=case.status))
        out.append(pytest.param(case, id=case.name, marks=marks))
    return out


def judged(
    cases: Sequence[Case],
    verdicts: dict[str, str],
    links: dict[str, tuple[str, ...]] | None = None,
    link_verdicts: dict[str, str] | None = None,
) -> list[Case]:
    """The cases with our verdicts (``engine: …`` or ``debatable: …``, by source method name), the words to
    check as linked, and verdicts on those links where they differ from the case's. Every name must be a
    case's: a verdict cannot go stale silently."""
    links = links or {}
    link_verdicts = link_verdicts or {}
    names = {c.name for c in cases}
    unknown = (set(verdicts) | set(links) | set(link_verdicts)) - names
    if unknown:
        raise ValueError(f"verdicts for cases that do not exist: {sorted(unknown)}")
    return [
        replace(
            c,
            status=verdicts.get(c.name, c.status),
            links=links.get(c.name, c.links),
            links_status=link_verdicts.get(c.name, c.links_status),
        )
        for c in cases
    ]


def check_links(case: Case) -> None:
    result = ours(case)
    problems = failures(case, result) if result.error else linked(*case.links).failures(result)
    if problems:
        pytest.fail(f"{case.source} (links)\n" + "\n".join(problems) + "\n" + show(result), pytrace=False)


def link_params(cases: Sequence[Case]) -> list:
    """The cases that name ``links``, xfail (strict) while their status says the engine is wrong."""
    out = []
    for case in cases:
        if case.links:
            status = case.links_status or case.status
            engine = status is not None and status.startswith("engine:")
            marks = [pytest.mark.xfail(strict=True, reason=status)] if engine else []
            out.append(pytest.param(case, id=case.name, marks=marks))
    return out


# The reason shared by every case that collates fewer than two witnesses.
ONE_WITNESS = (
    "debatable: fewer than two witnesses are refused with a UsageError (exit code 2) by design; the peer "
    "returns the lone witness as a table"
)


def _show(rows: list) -> str:
    return "[" + ", ".join("-" if c is None else " ".join(c) for c in rows) + "]"


def segment(result: Result) -> dict[str, list[Union[tuple[str, ...], None]]]:
    """CollateX's parallel segmentation of a table (``core_classes.join`` then ``VariantGraphRanking``).

    The table is read as a variant graph (in each column one vertex per normalised form, an edge wherever
    a witness goes from one vertex to the next); a vertex is joined with its only successor when that
    successor has no other predecessor; the joined vertices are ranked by the longest path from the start,
    and each witness's row holds, per rank, the texts of its tokens in the vertex it passes there.
    """
    n = len(result.sigla)
    vertex_of: list[list[int | None]] = [[None] * len(result.columns) for _ in range(n)]
    members: list[dict[int, list[str]]] = []  # vertex → witness → token texts
    for c, column in enumerate(result.columns):
        by_norm: dict[str, int] = {}
        for w, cell in enumerate(column):
            if cell is None:
                continue
            v = by_norm.get(cell[1])
            if v is None:
                v = by_norm[cell[1]] = len(members)
                members.append({})
            members[v][w] = [cell[0]]
            vertex_of[w][c] = v
    start, end = len(members), len(members) + 1
    succ: dict[int, set[int]] = {v: set() for v in range(end + 1)}
    pred: dict[int, set[int]] = {v: set() for v in range(end + 1)}
    for w in range(n):
        path = [start] + [v for v in vertex_of[w] if v is not None] + [end]
        for a, b in zip(path, path[1:]):
            succ[a].add(b)
            pred[b].add(a)
    alive = set(range(len(members)))
    changed = True
    while changed:
        changed = False
        for v in sorted(alive):
            if v not in alive or len(succ[v]) != 1:
                continue
            (u,) = succ[v]
            if u == end or pred[u] != {v}:
                continue
            for w, texts in members[u].items():
                members[v].setdefault(w, []).extend(texts)
            succ[v] = succ[u]
            for x in succ[u]:
                pred[x].discard(u)
                pred[x].add(v)
            alive.discard(u)
            changed = True
    rank: dict[int, int] = {start: 0}
    for v in sorted(alive):  # vertex numbers follow the columns: a topological order
        rank[v] = 1 + max(rank[p] for p in pred[v])
    width = max((rank[v] for v in alive), default=0)
    rows: dict[str, list[Union[tuple[str, ...], None]]] = {s: [None] * width for s in result.sigla}
    for v in alive:
        for w, texts in members[v].items():
            rows[result.sigla[w]][rank[v] - 1] = tuple(texts)
    return rows


def reads_back(specs: Sequence[WitnessSpec]) -> Holds:
    """Every witness's tokens stand in the table once each and in order (the peer: its graph has no cycle)."""
    expected = {s: [t.text for t in make_witness(s, spec).tokens] for s, spec in specs}

    def predicate(result: Result) -> bool:
        return all([c[0] for c in result.row(s) if c is not None] == texts for s, texts in expected.items())

    return Holds("every witness reads back from the table, token by token", predicate)


def linked(*norms: str) -> Holds:
    """Each word, wherever two witnesses read it once each, stands in one column or is linked across a
    transposition: nothing the witnesses share is reported as an omission plus an addition."""

    def predicate(result: Result) -> bool:
        for norm in norms:
            places = []
            for k in range(len(result.sigla)):
                found = [c for c, column in enumerate(result.columns) if column[k] and column[k][1] == norm]
                if len(found) == 1:
                    places.append(found[0])
            for i, a in enumerate(places):
                for b in places[i + 1 :]:
                    if a != b and (a, b) not in result.links and (b, a) not in result.links:
                        return False
        return True

    return Holds(f"each of {norms} is aligned or linked as transposed in every witness that reads it", predicate)


def aligned(*norms: str, sigla: Sequence[str] | None = None) -> Holds:
    """Each normalised form stands in a single column for the witnesses named (default: all that have it once)."""

    def predicate(result: Result) -> bool:
        keep = [k for k, s in enumerate(result.sigla) if sigla is None or s in sigla]
        for norm in norms:
            columns = {c for c, column in enumerate(result.columns) for k in keep if column[k] and column[k][1] == norm}
            if len(columns) != 1:
                return False
        return True

    who = "" if sigla is None else f" (witnesses {', '.join(sigla)})"
    return Holds(f"each of {norms} stands in a single column{who}", predicate)


def apart(*norms: str) -> Holds:
    """Each normalised form stands in more than one column: the witnesses' copies are not aligned."""

    def predicate(result: Result) -> bool:
        for norm in norms:
            columns = {c for c, column in enumerate(result.columns) for cell in column if cell and cell[1] == norm}
            if len(columns) < 2:
                return False
        return True

    return Holds(f"each of {norms} stands in two or more columns", predicate)


def starts(expected: dict[str, str]) -> Holds:
    """The first cells of some rows, as ``Rows`` prints them (the peer asserted edges near the start only)."""

    def predicate(result: Result) -> bool:
        for siglum, want in expected.items():
            cells = want.strip("|").split("|")
            got = [" " if c is None else c[1] for c in result.row(siglum)[: len(cells)]]
            if got != cells:
                return False
        return True

    return Holds(f"rows begin {expected}", predicate)


def phrases(*phrases: str) -> Holds:
    """Each phrase's words stand in consecutive columns shared by every witness that reads the phrase."""

    def predicate(result: Result) -> bool:
        for phrase in phrases:
            words = [s.text.lower() for s in split(phrase)]
            found = False
            for c in range(len(result.columns) - len(words) + 1):
                readers = [
                    k
                    for k in range(len(result.sigla))
                    if all(
                        result.columns[c + j][k] is not None and result.columns[c + j][k][1] == w
                        for j, w in enumerate(words)
                    )
                ]
                if len(readers) == len(result.sigla):
                    found = True
                    break
            if not found:
                return False
        return True

    return Holds(f"every witness reads {phrases} in shared columns", predicate)
