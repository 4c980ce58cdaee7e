"""The data a batch run passes around and reports: pairs, jobs, outcomes, results and the run's summary.

Offers:
    Pair, Job, Outcome, DocumentResult, Changes, BatchSummary     the data passed around
    STORE_NAME, STATUSES, ALGORITHM, REPORTS                       the names and versions a run and its reports share

A document's ``status`` is ``ok``, ``missing-reference``, ``missing-scan``, ``empty`` (no text in the
reference or the scan), ``unreadable`` (bad encoding, malformed XML, unknown format, permission denied) or
``failed`` (an unexpected error while comparing).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path


STORE_NAME = "collate-batch.sqlite"
STATUSES = ("ok", "missing-reference", "missing-scan", "empty", "unreadable", "failed")
# Part of every result key: change it whenever extraction, metrics or the diff page change, so that stored
# results made by older code are recomputed rather than reused.
ALGORITHM = "batch-1"
REPORTS = "documents"


@dataclass(frozen=True, slots=True)
class Pair:
    """A document: its id and its two files (``None`` when that partner is missing)."""

    id: str
    reference: Path | None
    scan: Path | None


@dataclass(frozen=True, slots=True)
class Job:
    """Everything a worker needs, with no file access: the names are for messages and the page."""

    id: str
    reference_name: str
    scan_name: str
    reference: bytes
    scan: bytes
    normalization: str = "nfc"


@dataclass(frozen=True, slots=True)
class Outcome:
    """What a worker returns and the store keeps. ``page`` is the HTML diff page (``None`` without one)."""

    status: str
    error: str | None = None
    characters: int | None = None
    character_errors: int | None = None
    words: int | None = None
    word_errors: int | None = None
    differences: int | None = None
    page: str | None = None


@dataclass(frozen=True, slots=True)
class DocumentResult:
    """One row of the summary. ``cer``/``wer`` are ``None`` when the pair could not be compared."""

    id: str
    reference: str | None
    scan: str | None
    status: str
    error: str | None
    cer: float | None
    wer: float | None
    flagged: bool
    report: str | None
    characters: int | None
    character_errors: int | None
    words: int | None
    word_errors: int | None
    differences: int | None
    reused: bool = False


@dataclass(frozen=True, slots=True)
class Changes:
    """Differences from the previous finished run in the same ``out_dir`` (empty on the first run)."""

    previous_run: int | None = None
    new: tuple[str, ...] = ()
    fixed: tuple[str, ...] = ()
    worse: tuple[str, ...] = ()
    removed: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class BatchSummary:
    documents: tuple[DocumentResult, ...]
    cer: float | None
    wer: float | None
    flagged: int
    max_cer: float | None
    max_wer: float | None
    normalization: str
    changes: Changes
    run: int
    out_dir: Path

    @property
    def reused(self) -> int:
        return sum(1 for d in self.documents if d.reused)

