"""The data model shared by every layer: small, frozen and slotted.

Offers:
    Block         one structural element around a token (a division, paragraph, heading, verse group or line)
    Source        where a token came from (element, page, line, offsets in the file, flags, blocks)
    Regularization  what an editor's regularisation rule did to a token (``source`` read as ``target``, a class)
    Token         one word or punctuation mark: original text, normalised form, siglum, position, source
    WitnessMeta   a witness's metadata (title, date, source description, file)
    Witness       siglum, metadata and tokens
    Transposition a passage that stands in different places in different witnesses
    Lacking       why a witness has no text in some columns although it does not omit it (lac., def., n.c.)
    Lack          a run of columns where one witness is lacking, and why
    Alignment     the alignment table: columns of per-witness token positions (or gaps)
    VariantType   the fixed vocabulary of variant types
    Reading       one reading of a variant location, with its sigla
    VariantLocation  an apparatus entry: consecutive non-agreeing columns and their readings; an outer entry
                  (a span) where some witnesses lack a long passage in which the others vary
    Segment       a run of agreeing columns (the text all witnesses share)
    Apparatus     agreements and variant locations in reading order, plus the lemma witness
    Correction    an editor's correction to the apparatus (merge, split, move, lemma, note), keyed to words
    Refusal       a correction that could not be applied, and why

``Token`` and ``Source`` are immutable named tuples rather than frozen dataclasses: a book has hundreds of
thousands of them, and a frozen dataclass costs three times as much to build. Every other record is a
frozen, slotted dataclass. The model holds no parsing and no rendering: importers in ``witnesses``/``tei`` build it, the engine in
``collate`` fills it, and ``reports``/``tei`` render it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import Enum
from typing import Iterator, NamedTuple

__all__ = [
    "Block",
    "Source",
    "Regularization",
    "Token",
    "WitnessMeta",
    "Witness",
    "Transposition",
    "Lacking",
    "Lack",
    "Alignment",
    "VariantType",
    "Reading",
    "VariantLocation",
    "Segment",
    "Apparatus",
    "Correction",
    "Refusal",
    "CORRECTION_KINDS",
]


class Block(NamedTuple):
    """A structural element of a witness (``div``, ``p``, ``ab``, ``head``, ``lg``, ``l``): its name, a serial
    number distinct for every such element of the witness (so that two lines are never taken for one), and
    its ``@n`` (a verse line's number)."""

    name: str
    serial: int
    n: str | None = None


class Source(NamedTuple):
    """Where a token came from, so that every reading can be traced back to its witness.

    ``start``/``end`` are character offsets into the witness's collated text; ``file_line``/``file_column``
    point into the source file when the importer knows them (1-based, as editors and compilers count).
    ``page`` and ``line`` are the witness's own page and line references (``pb/@n``, ``lb/@n``).
    """

    element: str | None = None
    page: str | None = None
    line: str | None = None
    start: int = 0
    end: int = 0
    file_line: int | None = None
    file_column: int | None = None
    flags: frozenset[str] = frozenset()  # e.g. {"unclear", "supplied", "gap"}
    blocks: tuple[Block, ...] = ()  # the structural elements around the token, outermost first

    @property
    def verse(self) -> str | None:
        """The verse line's number (``l/@n``) when the token stands in a numbered ``l``."""
        for block in reversed(self.blocks):
            if block.name == "l":
                return block.n
        return None


@dataclass(frozen=True, slots=True)
class Regularization:
    """What a regularisation rule did to one token: ``source`` (the part of its text the rule matched) was
    read as ``target``; ``cls`` is the rule's class (orthographic, abbreviation, numeral, …)."""

    source: str
    target: str
    cls: str
    rule: int  # the rule's position in the list it came from (0-based)


class Token(NamedTuple):
    """One word or punctuation mark. ``text`` is exactly as in the witness; ``norm`` is what is compared.

    ``reg`` records an editor's regularisation (``collate.engine.regularize``) when one changed ``norm``;
    ``text`` is never changed by it.
    """

    text: str
    norm: str
    siglum: str
    index: int
    source: Source = Source()
    punct: bool = False
    reg: Regularization | None = None


@dataclass(frozen=True, slots=True)
class WitnessMeta:
    title: str | None = None
    date: str | None = None
    source: str | None = None
    path: str | None = None
    # The stage of correction read, for a witness with corrections (add, del): "after" (the added text kept,
    # the deleted left out) or "before" (the reverse); None where the witness has none.
    stage: str | None = None


@dataclass(frozen=True, slots=True)
class Witness:
    siglum: str
    tokens: tuple[Token, ...]
    meta: WitnessMeta = field(default_factory=WitnessMeta)

    def __len__(self) -> int:
        return len(self.tokens)


@dataclass(frozen=True, slots=True)
class Transposition:
    """A passage found at two places: ``source`` columns in some witnesses, ``target`` columns in others.

    ``links`` pairs column indices token by token (``source_col``, ``target_col``): the words they hold
    descend from the same words although they stand in different columns.
    """

    source: tuple[int, int]  # half-open column range
    target: tuple[int, int]
    source_witnesses: tuple[str, ...]
    target_witnesses: tuple[str, ...]
    links: tuple[tuple[int, int], ...]


class Lacking(str, Enum):
    """Why a witness has no text in a column when that is not an omission (an apparatus says so)."""

    LACUNOSE = "lacunose"  # the witness is damaged or defective there (lacunaStart … lacunaEnd)
    NOT_PRESENT = "not-present"  # outside the witness's extent (before witStart, after witEnd)
    NOT_CITED = "not-cited"  # a positive apparatus does not say what the witness reads there
    AMBIGUOUS = "ambiguous"  # its evidence fits more than one reading (a version, a father, a commentary)

    @property
    def label(self) -> str:
        """The abbreviation an apparatus prints for it."""
        return _LACKING_LABELS[self]

    def __str__(self) -> str:
        return self.value


_LACKING_LABELS = {
    Lacking.LACUNOSE: "lac.", Lacking.NOT_PRESENT: "def.", Lacking.NOT_CITED: "n.c.", Lacking.AMBIGUOUS: "amb."
}


@dataclass(frozen=True, slots=True)
class Lack:
    """Columns ``start:end`` (half-open) where witness ``witness`` has no text, and why: never an omission."""

    witness: str
    start: int
    end: int
    kind: Lacking


@dataclass(frozen=True, slots=True)
class Alignment:
    """The alignment table. ``columns[c][w]`` is the index of witness ``w``'s token in column ``c`` or None.

    Invariant: for every witness, reading its non-None entries column by column gives 0, 1, 2, … in
    order, each exactly once.

    Two optional fields come from an imported apparatus (a collation leaves them empty): ``lacking``, the
    columns where a witness's None is not an omission (lacunose, not present, not cited), and ``entries``,
    the column ranges the source grouped as one apparatus entry each (``collate.engine.entries``).
    """

    witnesses: tuple[Witness, ...]
    columns: tuple[tuple[int | None, ...], ...]
    transpositions: tuple[Transposition, ...] = ()
    lacking: tuple[Lack, ...] = ()
    entries: tuple[tuple[int, int], ...] = ()

    @property
    def sigla(self) -> tuple[str, ...]:
        return tuple(w.siglum for w in self.witnesses)

    def cell(self, column: int, witness: int) -> Token | None:
        i = self.columns[column][witness]
        return None if i is None else self.witnesses[witness].tokens[i]

    def column_tokens(self, column: int) -> tuple[Token | None, ...]:
        return tuple(
            None if i is None else self.witnesses[w].tokens[i] for w, i in enumerate(self.columns[column])
        )

    def __len__(self) -> int:
        return len(self.columns)


class VariantType(str, Enum):
    ORTHOGRAPHIC = "orthographic"  # equal after normalisation
    PUNCTUATION = "punctuation"  # only punctuation differs
    SUBSTANTIVE = "substantive"
    ADDITION = "addition"  # the reading has words the lemma lacks
    OMISSION = "omission"  # the reading lacks words the lemma has
    TRANSPOSITION = "transposition"
    LACUNA = "lacuna"  # the witness is not there: a gap in its source, or a passage before it begins or after it ends

    def __str__(self) -> str:  # so that templates and CSV print the plain word
        return self.value


# Most significant first: a location's type is the most significant type among its readings.
TYPE_ORDER: tuple[VariantType, ...] = (
    VariantType.TRANSPOSITION,
    VariantType.SUBSTANTIVE,
    VariantType.OMISSION,
    VariantType.ADDITION,
    VariantType.PUNCTUATION,
    VariantType.ORTHOGRAPHIC,
    VariantType.LACUNA,
)


@dataclass(frozen=True, slots=True)
class Reading:
    """One reading: the witnesses that read it and, per witness, their tokens (same text, maybe other sources).

    ``text`` is the reading as printed (original forms joined); empty for a gap. ``norm`` is the normalised
    form used to group orthographic variants. ``type`` is the reading's relation to the lemma (None for the
    lemma itself and for readings identical to it).
    """

    text: str
    norm: str
    sigla: tuple[str, ...]
    tokens: tuple[tuple[Token, ...], ...]  # one tuple per siglum, in the order of ``sigla``
    type: VariantType | None = None

    @property
    def empty(self) -> bool:
        return not self.text

    def tokens_of(self, siglum: str) -> tuple[Token, ...]:
        """``siglum``'s tokens in this reading; where it is not cited (a base that a span accounts for, or
        an editor's chosen reading), the first witness's; none for a reading no witness reads."""
        if siglum in self.sigla:
            return self.tokens[self.sigla.index(siglum)]
        return self.tokens[0] if self.tokens else ()


@dataclass(frozen=True, slots=True)
class VariantLocation:
    """An apparatus entry: columns ``start:end`` of the table, where the witnesses do not all agree."""

    number: int  # 1-based, in reading order
    start: int
    end: int
    lemma: Reading  # the base witness's reading (may be empty)
    readings: tuple[Reading, ...]  # every reading other than the lemma, most witnesses first
    type: VariantType
    transposition: int | None = None  # index into Alignment.transpositions when part of one
    # Witnesses this entry does not cite because an enclosing span says they lack the whole passage.
    absent: tuple[str, ...] = ()
    span: bool = False  # an outer entry: its columns hold other entries (the variation among the rest)
    # For a span: the witnesses that read the passage there, whose reading holds the entries inside it; the
    # span's other readings (nothing, or a remnant) are given whole.
    inner: tuple[str, ...] = ()
    lacking: tuple[tuple[str, Lacking], ...] = ()  # witnesses in no reading because they lack the text here
    # The editor's corrections (``collate.engine.corrections``): ``chosen`` when the lemma is the reading the
    # editor chose for the edition's text (then it need not be the base's: the base's reading is among
    # ``readings``, typed against it), and the editor's notes on the entry.
    chosen: bool = False
    notes: tuple[str, ...] = ()

    @property
    def all_readings(self) -> tuple[Reading, ...]:
        return (self.lemma, *self.readings)

    @property
    def types(self) -> tuple[VariantType, ...]:
        seen = {r.type for r in self.readings if r.type is not None}
        return tuple(t for t in TYPE_ORDER if t in seen)

    def base_lacks(self, base: str) -> bool:
        """Whether this is a span over a passage the base ``base`` lacks: the edition has no text of its own
        there, and the entries inside compare the witnesses that read it."""
        return self.span and self.lemma.empty and base in self.lemma.sigla

    def gives_base_whole(self, base: str) -> bool:
        """Whether this is a span that gives the base ``base`` whole: the base reads a text of its own there,
        which the entries inside (the variation among the others) do not compare."""
        return self.span and not self.lemma.empty and base in self.lemma.sigla and base not in self.inner


@dataclass(frozen=True, slots=True)
class Segment:
    """A run of columns ``start:end`` where all witnesses read the same text."""

    start: int
    end: int
    tokens: tuple[Token, ...]  # the base witness's tokens (inside a span the base lacks: the first present's)


@dataclass(frozen=True, slots=True)
class Apparatus:
    """Agreements and variant locations in reading order: what every renderer consumes.

    ``parts`` cover the table's columns once, in order, without overlap. ``spans`` are the outer entries:
    where some witnesses lack a long passage (an omission, a lacuna, text before a witness begins or after
    it ends) in which the other witnesses vary, that absence is one entry of its own, and the variation
    among the others is still an entry at each place, in ``parts`` (each of those lists the absent
    witnesses in ``absent`` rather than citing them). Spans nest or stand apart; they never cross.
    """

    alignment: Alignment
    base: str  # siglum of the lemma witness
    parts: tuple[Segment | VariantLocation, ...]
    spans: tuple[VariantLocation, ...] = ()
    # The editor's corrections given for this apparatus (applied or not), and those that could not be
    # applied, with the reason: every output reports them, none is dropped silently.
    corrections: tuple["Correction", ...] = ()
    refused: tuple["Refusal", ...] = ()

    @property
    def locations(self) -> tuple[VariantLocation, ...]:
        return tuple(p for p in self.parts if isinstance(p, VariantLocation))

    @property
    def entries(self) -> tuple[VariantLocation, ...]:
        """Every entry, spans included, in reading order (a span before the entries inside it)."""
        return tuple(sorted((*self.locations, *self.spans), key=lambda e: e.number))

    @property
    def witnesses(self) -> tuple[Witness, ...]:
        return self.alignment.witnesses

    def __iter__(self) -> Iterator[Segment | VariantLocation]:
        return iter(self.parts)


CORRECTION_KINDS = ("merge", "split", "move", "lemma", "note")


@dataclass(frozen=True, slots=True)
class Correction:
    """An editor's correction, keyed to the words of its place, never to column numbers, so that it survives
    a re-collation after the witnesses changed elsewhere.

    The key is a run of one witness's words: ``before`` (context), ``words`` (the place itself: the words the
    witness reads in the entry, ``""`` where it reads nothing) and ``after`` (context), compared token by
    token with whitespace ignored. ``witness`` is the witness whose words key it (None: the base); for a
    ``move`` it is the witness whose words move. Per kind:
        merge   ``entries``: the witness's words in each neighbouring entry merged, in order; ``words`` runs
                from the first entry to the last (the agreeing words between included)
        split   ``at``: the words of the entry before which it is cut; empty: one entry per column
        move    ``to``: "left" or "right", ``by`` columns (each token of ``words`` shifts, then entries regroup)
        lemma   ``lemma``: the reading the edition prints (its text as printed; ``""`` for an omission),
                ``lemma_witness`` a witness that reads it (either or both)
        note    ``note``: the editor's note on the entry
    ``number`` is the correction's place in its file (1-based), ``source`` the file and ``line`` the line of its
    table, for messages.
    """

    number: int
    kind: str
    witness: str | None = None
    words: str = ""
    before: str = ""
    after: str = ""
    entries: tuple[str, ...] = ()
    at: tuple[str, ...] = ()
    to: str = ""
    by: int = 1
    lemma: str | None = None
    lemma_witness: str | None = None
    note: str = ""
    source: str = ""
    line: int | None = None  # the line of its table in the file

    @property
    def label(self) -> str:
        """How messages name it: ``corrections.toml:12: correction 3 (merge "of our cultivated")``."""
        where = f"{self.source}:{self.line}: " if self.source and self.line else f"{self.source}: " if self.source else ""
        words = " ".join(self.words.split())
        if len(words) > 60:
            words = words[:57] + "…"
        return f'{where}correction {self.number} ({self.kind} "{words}")'


@dataclass(frozen=True, slots=True)
class Refusal:
    """A correction that no longer applies (its words changed, or stand in more than one place), and why."""

    correction: Correction
    reason: str

    @property
    def message(self) -> str:
        return f"{self.correction.label}: {self.reason}"
