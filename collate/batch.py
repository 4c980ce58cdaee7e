"""Batch comparison of OCR scans with reference transcriptions: pairing, workers, the result store, outputs.

Offers:
    run_batch(reference_dir, scans_dir, out_dir, …)   compare every pair; write summary.json, summary.csv,
                                                      index.html and one diff page per document; return
                                                      the ``BatchSummary``
    pair_by_name(reference_dir, scans_dir)            ``Pair``s matched by file name without its suffix
    pair_by_manifest(manifest, reference_dir, …)      ``Pair``s from a CSV with ``id,reference,scan`` columns
    compare_job(job)                                  the worker function: one ``Job`` → one ``Outcome``
    Pair, Job, Outcome, DocumentResult, Changes, BatchSummary     the data passed around
    summary_line(summary)                             the run in one JSON line, for pipelines
    STORE_NAME, STATUSES, ALGORITHM

A document's ``status`` is ``ok``, ``missing-reference``, ``missing-scan``, ``empty`` (no text in the
reference or the scan), ``unreadable`` (bad encoding, malformed XML, unknown format, permission denied) or
``failed`` (an unexpected error while comparing). Anything but ``ok`` is reported and flagged, and never stops
the other documents; only a bad request (missing folder, bad manifest, bad option) stops the run, as
``InputError``/``UsageError`` before anything is written.

Results are kept in an SQLite file in ``out_dir`` (``STORE_NAME``). A result's key is a hash of both files'
contents, the document id and names, the normalisation and ``ALGORITHM``, so a run over unchanged input
reuses it: an interrupted run resumes where it stopped (each result is committed as it arrives), and the
thresholds can change without recomputing anything. Each finished run is recorded, and a run compares its
documents with the previous finished run: new, fixed (flagged before, not now), worse (higher CER or WER, or
newly flagged) and removed documents.

Work is done by ``compare_job``, which needs nothing but the ``Job`` (the files' bytes travel with it): in
this process, in a local process pool (``workers``), or on a Dask cluster (``scheduler``), with the same
result. Every output file is written atomically, and only inside ``out_dir``: report names are made from
sanitised document ids, and a manifest may not point outside its folders.
"""

from __future__ import annotations

import csv
import hashlib
import io
import json
import math
import os
import sqlite3
import threading
import time
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from typing import TYPE_CHECKING, Callable, Iterator, Sequence

import regex

from .errors import CollateError, InputError, UsageError
from .metrics import NORMALIZATIONS, compare, normalization

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext

__all__ = [
    "run_batch",
    "pair_by_name",
    "pair_by_manifest",
    "compare_job",
    "Pair",
    "Job",
    "Outcome",
    "DocumentResult",
    "Changes",
    "BatchSummary",
    "STORE_NAME",
    "STATUSES",
    "ALGORITHM",
    "summary_line",
]

STORE_NAME = "collate-batch.sqlite"
STATUSES = ("ok", "missing-reference", "missing-scan", "empty", "unreadable", "failed")
# Part of every result key: change it whenever extraction, metrics or the diff page change, so that stored
# results made by older code are recomputed rather than reused.
ALGORITHM = "batch-1"
REPORTS = "documents"
# Jobs in flight per worker: enough to keep workers busy, few enough that file contents are not all held.
_WINDOW = 4
# Seconds to wait for a Dask scheduler to answer before giving up on it.
DASK_TIMEOUT = 20
_SAFE_NAME = regex.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 100

Progress = Callable[[int, int], None]


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


# ---------------------------------------------------------------------------------------------------- pairing


def _document_id(relative: PurePosixPath) -> str:
    return str(relative.with_suffix("")) if relative.suffix else str(relative)


def _listing(root: Path, exclude: Path | None) -> dict[str, Path]:
    """Files under ``root`` by document id. Hidden files and folders (``.name``) are not documents."""
    found: dict[str, Path] = {}
    for folder, dirs, files in os.walk(root):
        here = Path(folder)
        dirs[:] = sorted(
            d for d in dirs if not d.startswith(".") and (exclude is None or (here / d).resolve() != exclude)
        )
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = here / name
            doc = _document_id(PurePosixPath(path.relative_to(root).as_posix()))
            if doc in found:
                raise InputError(
                    f"two files for document {doc!r} ({found[doc].name} and {name}); rename one or use --manifest",
                    path=str(path),
                )
            found[doc] = path
    return found


def _check_folder(path: Path, role: str) -> None:
    if not path.exists():
        raise InputError(f"{role} folder does not exist", path=str(path))
    if not path.is_dir():
        raise InputError(f"{role} folder is not a folder", path=str(path))


def pair_by_name(reference_dir: Path, scans_dir: Path, *, exclude: Path | None = None) -> list[Pair]:
    """Pair ``reference_dir/ID.ext`` with ``scans_dir/ID.ext2`` (the id is the relative path without its
    last suffix, so ``p001.txt`` pairs with ``p001.xml``). A file without a partner is a ``Pair`` too."""
    references = _listing(reference_dir, exclude)
    scans = _listing(scans_dir, exclude)
    return [Pair(doc, references.get(doc), scans.get(doc)) for doc in sorted(references.keys() | scans.keys())]


def _inside(folder: Path, value: str, *, manifest: Path, line: int, column: str) -> Path | None:
    if not value.strip():
        return None
    relative = PurePosixPath(value.strip().replace("\\", "/"))
    if relative.is_absolute() or regex.match(r"^[A-Za-z]:", value.strip()) or ".." in relative.parts:
        raise InputError(
            f"{column} path {value!r} must be relative to its folder, without '..'", path=str(manifest), line=line
        )
    return folder / relative


def pair_by_manifest(manifest: Path, reference_dir: Path, scans_dir: Path) -> list[Pair]:
    """Pairs from a CSV file with a header row naming ``reference`` and ``scan`` (and optionally ``id``)
    columns; paths are relative to ``reference_dir`` and ``scans_dir``. Without an id column, the id is
    the reference's file name without its suffix."""
    from witnesses.files import read_bytes
    from witnesses.plaintext import decode

    text = decode(read_bytes(manifest), str(manifest))
    rows = csv.reader(io.StringIO(text))
    header = next(rows, None)
    if header is None:
        raise InputError("empty manifest", path=str(manifest))
    columns = [h.strip().lower() for h in header]
    if "reference" not in columns or "scan" not in columns:
        raise InputError("manifest header must name 'reference' and 'scan' columns (and optionally 'id')",
                         path=str(manifest), line=1)
    where = {name: columns.index(name) for name in ("id", "reference", "scan") if name in columns}
    pairs: list[Pair] = []
    seen: dict[str, int] = {}
    for line, row in enumerate(rows, start=2):
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: row[i] if i < len(row) else "" for name, i in where.items()}
        reference = _inside(reference_dir, cells["reference"], manifest=manifest, line=line, column="reference")
        scan = _inside(scans_dir, cells["scan"], manifest=manifest, line=line, column="scan")
        doc = cells.get("id", "").strip()
        if not doc:
            named = reference or scan
            if named is None:
                raise InputError("row names neither a reference nor a scan", path=str(manifest), line=line)
            doc = _document_id(PurePosixPath(named.name))
        if doc in seen:
            raise InputError(f"document id {doc!r} also on line {seen[doc]}", path=str(manifest), line=line)
        seen[doc] = line
        pairs.append(Pair(doc, reference, scan))
    return sorted(pairs, key=lambda p: p.id)


def _report_names(ids: Sequence[str]) -> dict[str, str]:
    """A file name inside ``documents/`` for every id: only ``[A-Za-z0-9._-]``, never hidden, never ``..``,
    and unique even on a case-insensitive file system (a short hash of the id is added when needed)."""
    names: dict[str, str] = {}
    taken: set[str] = set()
    for doc in ids:
        stem = _SAFE_NAME.sub("_", doc).lstrip(".-_")[:_MAX_NAME] or "document"
        if stem != doc or stem.lower() in taken:
            stem = f"{stem}-{hashlib.sha256(doc.encode('utf-8')).hexdigest()[:10]}"
        taken.add(stem.lower())
        names[doc] = f"{REPORTS}/{stem}.html"
    return names


# ----------------------------------------------------------------------------------------------- the worker


def compare_job(job: Job) -> Outcome:
    """Extract both texts, compare them, render the diff page. Never raises: a problem is an ``Outcome``."""
    try:
        return _compare(job)
    except CollateError as exc:
        return Outcome("unreadable", str(exc))
    except Exception as exc:  # noqa: BLE001 - one document's failure must not stop the others; it is reported
        return Outcome("failed", f"{job.id}: {type(exc).__name__}: {exc}")


def _compare(job: Job) -> Outcome:
    from reports.batch import document_page
    from witnesses.ocr import extract

    if not job.reference.strip():
        return Outcome("empty", f"{job.reference_name}: empty reference file")
    reference = extract(job.reference, job.reference_name)
    if not reference.text.strip():
        return Outcome("empty", f"{job.reference_name}: the reference has no text")
    if job.scan.strip():
        scan = extract(job.scan, job.scan_name)
    else:
        scan = None
    comparison = compare(reference.text, scan.text if scan else "", normalize=normalization(job.normalization))
    page = document_page(
        id=job.id,
        reference_name=job.reference_name,
        scan_name=job.scan_name,
        reference_format=reference.format,
        scan_format=scan.format if scan else "empty",
        comparison=comparison,
    )
    empty = scan is None or not scan.text.strip()
    return Outcome(
        "empty" if empty else "ok",
        f"{job.scan_name}: the scan has no text" if empty else None,
        comparison.cer.length,
        comparison.cer.distance,
        comparison.wer.length,
        comparison.wer.distance,
        len(comparison.differences),
        page,
    )


# ------------------------------------------------------------------------------------------------ execution


def _pool_context() -> BaseContext:
    # fork starts workers fastest, but forking a process that runs other threads (a Dask client, a progress
    # refresher) can deadlock the child; forkserver is safe then.
    import multiprocessing
    methods = multiprocessing.get_all_start_methods()
    if "fork" in methods and threading.active_count() == 1:
        return multiprocessing.get_context("fork")
    if "forkserver" in methods:
        return multiprocessing.get_context("forkserver")
    return multiprocessing.get_context("spawn")


def _local(jobs: Sequence[Job], workers: int) -> Iterator[tuple[int, Outcome]]:
    if workers <= 1 or len(jobs) <= 1:
        for index, job in enumerate(jobs):
            yield index, compare_job(job)
        return
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    executor = ProcessPoolExecutor(max_workers=min(workers, len(jobs)), mp_context=_pool_context())
    try:
        pending: dict[Future[Outcome], int] = {}
        queue = iter(enumerate(jobs))
        for index, job in queue:
            pending[executor.submit(compare_job, job)] = index
            if len(pending) >= workers * _WINDOW:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index = pending.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # noqa: BLE001 - a dead worker process fails its document only
                    outcome = Outcome("failed", f"{jobs[index].id}: worker failed: {type(exc).__name__}: {exc}")
                yield index, outcome
                following = next(queue, None)
                if following is not None:
                    pending[executor.submit(compare_job, following[1])] = following[0]
    finally:
        executor.shutdown(wait=True, cancel_futures=True)


def _dask(jobs: Sequence[Job], address: str) -> Iterator[tuple[int, Outcome]]:
    try:
        from distributed import Client, as_completed
    except ImportError:
        raise UsageError("--scheduler needs Dask: pip install 'collate-toolkit[dask]'") from None
    try:
        client = Client(address, timeout=DASK_TIMEOUT, set_as_default=False)
    except (OSError, TimeoutError, ValueError) as exc:
        raise UsageError(f"cannot reach the Dask scheduler at {address}: {exc}") from None
    # as_current: as_completed looks the client up, and this one is not made the process-wide default.
    with client, client.as_current():
        window = max(1, sum(client.nthreads().values())) * _WINDOW
        queue = iter(enumerate(jobs))
        indices = {}
        started = []
        for index, job in queue:
            future = client.submit(compare_job, job, pure=False)
            indices[future.key] = index
            started.append(future)
            if len(started) >= window:
                break
        running = as_completed(started)
        for future in running:
            index = indices.pop(future.key)
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker fails its document only
                outcome = Outcome("failed", f"{jobs[index].id}: worker failed: {type(exc).__name__}: {exc}")
            future.release()
            yield index, outcome
            following = next(queue, None)
            if following is not None:
                nxt = client.submit(compare_job, following[1], pure=False)
                indices[nxt.key] = following[0]
                running.add(nxt)


# ---------------------------------------------------------------------------------------------------- store


class _Store:
    """The SQLite file in ``out_dir``: results by key, and the documents of every run."""

    _SCHEMA = """
        CREATE TABLE IF NOT EXISTS results (
            key TEXT PRIMARY KEY, status TEXT NOT NULL, error TEXT,
            characters INTEGER, character_errors INTEGER, words INTEGER, word_errors INTEGER,
            differences INTEGER, page_sha TEXT, created REAL NOT NULL);
        CREATE TABLE IF NOT EXISTS runs (
            id INTEGER PRIMARY KEY AUTOINCREMENT, started REAL NOT NULL, finished REAL,
            reference_dir TEXT, scans_dir TEXT, max_cer REAL, max_wer REAL);
        CREATE TABLE IF NOT EXISTS run_documents (
            run INTEGER NOT NULL REFERENCES runs(id), id TEXT NOT NULL, status TEXT NOT NULL,
            cer REAL, wer REAL, flagged INTEGER NOT NULL, key TEXT, PRIMARY KEY (run, id));
    """

    def __init__(self, path: Path) -> None:
        self.path = path
        try:
            self.db = sqlite3.connect(path, timeout=30, isolation_level=None)
            # WAL with synchronous=NORMAL: a commit per result stays cheap, and a crash loses at most the last
            # few results, never the file.
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(self._SCHEMA)
        except sqlite3.DatabaseError as exc:
            raise InputError(f"not a usable result store ({exc}); delete it to start afresh", path=str(path)) from None

    def close(self) -> None:
        self.db.close()

    def get(self, key: str) -> tuple[Outcome, str | None] | None:
        """The stored outcome (without its page, which is a file) and the SHA-256 of that page."""
        row = self.db.execute(
            "SELECT status, error, characters, character_errors, words, word_errors, differences, page_sha"
            " FROM results WHERE key = ?",
            (key,),
        ).fetchone()
        if row is None:
            return None
        return Outcome(row[0], row[1], row[2], row[3], row[4], row[5], row[6]), row[7]

    def put(self, key: str, outcome: Outcome, page_sha: str | None) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, outcome.status, outcome.error, outcome.characters, outcome.character_errors, outcome.words,
             outcome.word_errors, outcome.differences, page_sha, time.time()),
        )

    def begin_run(self, reference_dir: Path, scans_dir: Path, max_cer: float | None, max_wer: float | None) -> int:
        cursor = self.db.execute(
            "INSERT INTO runs (started, reference_dir, scans_dir, max_cer, max_wer) VALUES (?, ?, ?, ?, ?)",
            (time.time(), str(reference_dir), str(scans_dir), max_cer, max_wer),
        )
        return int(cursor.lastrowid or 0)

    def previous(self, run: int) -> tuple[int | None, dict[str, tuple[str, float | None, float | None, bool]]]:
        row = self.db.execute(
            "SELECT id FROM runs WHERE finished IS NOT NULL AND id < ? ORDER BY id DESC LIMIT 1", (run,)
        ).fetchone()
        if row is None:
            return None, {}
        documents = {
            doc: (status, cer, wer, bool(flagged))
            for doc, status, cer, wer, flagged in self.db.execute(
                "SELECT id, status, cer, wer, flagged FROM run_documents WHERE run = ?", (row[0],)
            )
        }
        return int(row[0]), documents

    def finish_run(self, run: int, documents: Sequence[DocumentResult], keys: dict[str, str]) -> None:
        self.db.execute("BEGIN")
        self.db.executemany(
            "INSERT OR REPLACE INTO run_documents VALUES (?, ?, ?, ?, ?, ?, ?)",
            [
                (run, d.id, d.status, _finite(d.cer), _finite(d.wer), int(d.flagged), keys.get(d.id))
                for d in documents
            ],
        )
        self.db.execute("UPDATE runs SET finished = ? WHERE id = ?", (time.time(), run))
        self.db.execute("COMMIT")


def _finite(value: float | None) -> float | None:
    return None if value is None or math.isinf(value) else value


# ---------------------------------------------------------------------------------------------- the run


def _key(job: Job) -> str:
    digest = hashlib.sha256()
    for part in (ALGORITHM, job.normalization, job.id, job.reference_name, job.scan_name):
        digest.update(part.encode("utf-8"))
        digest.update(b"\x00")
    digest.update(hashlib.sha256(job.reference).digest())
    digest.update(hashlib.sha256(job.scan).digest())
    return digest.hexdigest()


def _rate(errors: int | None, length: int | None) -> float | None:
    if errors is None or length is None:
        return None
    if errors == 0:
        return 0.0
    return math.inf if length == 0 else errors / length


def _result(
    pair: Pair, outcome: Outcome, report: str | None, *, max_cer: float | None, max_wer: float | None, reused: bool
) -> DocumentResult:
    cer = _rate(outcome.character_errors, outcome.characters)
    wer = _rate(outcome.word_errors, outcome.words)
    flagged = (
        outcome.status != "ok"
        or (max_cer is not None and cer is not None and cer > max_cer)
        or (max_wer is not None and wer is not None and wer > max_wer)
    )
    return DocumentResult(
        id=pair.id,
        reference=str(pair.reference) if pair.reference is not None else None,
        scan=str(pair.scan) if pair.scan is not None else None,
        status=outcome.status,
        error=outcome.error,
        cer=cer,
        wer=wer,
        flagged=flagged,
        report=report,
        characters=outcome.characters,
        character_errors=outcome.character_errors,
        words=outcome.words,
        word_errors=outcome.word_errors,
        differences=outcome.differences,
        reused=reused,
    )


def _changes(previous_run: int | None, previous: dict, documents: Sequence[DocumentResult]) -> Changes:
    if previous_run is None:
        return Changes()
    new, fixed, worse = [], [], []
    for d in documents:
        before = previous.get(d.id)
        if before is None:
            new.append(d.id)
            continue
        _, cer, wer, flagged = before
        if flagged and not d.flagged:
            fixed.append(d.id)
        elif (d.flagged and not flagged) or _higher(d.cer, cer) or _higher(d.wer, wer):
            worse.append(d.id)
    current = {d.id for d in documents}
    removed = sorted(doc for doc in previous if doc not in current)
    return Changes(previous_run, tuple(new), tuple(fixed), tuple(worse), tuple(removed))


def _higher(now: float | None, before: float | None) -> bool:
    # Rates are ratios of integers, recomputed identically; a tolerance only absorbs float storage.
    return now is not None and before is not None and now > before + 1e-12


def _read(path: Path) -> bytes:
    from witnesses.files import read_bytes

    return read_bytes(path)


def _write_page(out_dir: Path, report: str, page: str) -> str:
    from reports.files import atomic_write

    data = page.encode("utf-8")
    atomic_write(out_dir / report, data)
    return hashlib.sha256(data).hexdigest()


def _page_intact(out_dir: Path, report: str, sha: str | None) -> bool:
    """Whether the diff page a stored result made is still there, unchanged."""
    if sha is None:
        return True
    try:
        return hashlib.sha256((out_dir / report).read_bytes()).hexdigest() == sha
    except OSError:
        return False


def _name(pair_path: Path | None, folder: Path) -> str:
    if pair_path is None:
        return ""
    try:
        return pair_path.relative_to(folder).as_posix()
    except ValueError:
        return pair_path.name


def run_batch(
    reference_dir: str | os.PathLike[str],
    scans_dir: str | os.PathLike[str],
    out_dir: str | os.PathLike[str],
    *,
    max_cer: float | None = None,
    max_wer: float | None = None,
    workers: int | None = None,
    scheduler: str | None = None,
    manifest: str | os.PathLike[str] | None = None,
    progress: Progress | None = None,
    normalize: str = "nfc",
) -> BatchSummary:
    """Compare every scan in ``scans_dir`` with its reference in ``reference_dir`` and write the reports
    into ``out_dir``. ``workers`` defaults to the number of CPUs; ``scheduler`` (a Dask scheduler address)
    sends the work to a Dask cluster instead. ``progress(done, total)`` is called after each document."""
    references, scans, out = Path(reference_dir), Path(scans_dir), Path(out_dir)
    for value, flag in ((max_cer, "--max-cer"), (max_wer, "--max-wer")):
        if value is not None and not (value >= 0 and math.isfinite(value)):
            raise UsageError(f"{flag} must be a number of 0 or more, got {value}")
    if workers is not None and workers < 1:
        raise UsageError(f"--workers must be 1 or more, got {workers}")
    if normalize not in NORMALIZATIONS:
        raise UsageError(f"unknown normalization {normalize!r}; choose one of {', '.join(NORMALIZATIONS)}")
    _check_folder(references, "reference")
    _check_folder(scans, "scans")
    if out.exists() and not out.is_dir():
        raise InputError("output folder is a file", path=str(out))
    if manifest is not None:
        pairs = pair_by_manifest(Path(manifest), references, scans)
    else:
        pairs = pair_by_name(references, scans, exclude=out.resolve() if out.exists() else out.absolute())
    if not pairs:
        raise InputError("no documents to compare (both folders are empty)", path=str(references))
    reports = _report_names([p.id for p in pairs])
    workers = workers or os.cpu_count() or 1

    out.mkdir(parents=True, exist_ok=True)
    store = _Store(out / STORE_NAME)
    try:
        run = store.begin_run(references, scans, max_cer, max_wer)
        results: dict[str, DocumentResult] = {}
        keys: dict[str, str] = {}
        jobs: list[Job] = []
        job_pairs: list[Pair] = []
        total = len(pairs)

        def done(pair: Pair, outcome: Outcome, *, reused: bool = False, page: bool = False) -> None:
            report = reports[pair.id] if page else None
            results[pair.id] = _result(pair, outcome, report, max_cer=max_cer, max_wer=max_wer, reused=reused)
            if progress is not None:
                progress(len(results), total)

        for pair in pairs:
            if pair.reference is None or pair.scan is None:
                missing = "missing-reference" if pair.reference is None else "missing-scan"
                present = pair.scan if pair.reference is None else pair.reference
                partner = "reference" if pair.reference is None else "scan"
                done(pair, Outcome(missing, f"{present}: no {partner} for document {pair.id!r}"))
                continue
            try:
                job = Job(
                    pair.id,
                    _name(pair.reference, references),
                    _name(pair.scan, scans),
                    _read(pair.reference),
                    _read(pair.scan),
                    normalize,
                )
            except InputError as exc:
                done(pair, Outcome("unreadable", str(exc)))
                continue
            key = keys[pair.id] = _key(job)
            stored = store.get(key)
            # A stored result is reused only with its diff page; a page deleted or edited since is made again.
            if stored is not None and _page_intact(out, reports[pair.id], stored[1]):
                done(pair, stored[0], reused=True, page=stored[1] is not None)
            else:
                jobs.append(job)
                job_pairs.append(pair)

        if jobs:
            execute = _dask(jobs, scheduler) if scheduler else _local(jobs, workers)
            for index, outcome in execute:
                pair = job_pairs[index]
                # The page first, then the result: a result in the store always has its page on disk.
                sha = _write_page(out, reports[pair.id], outcome.page) if outcome.page is not None else None
                store.put(keys[pair.id], outcome, sha)
                done(pair, outcome, page=sha is not None)

        documents = tuple(results[p.id] for p in pairs)
        previous_run, previous = store.previous(run)
        summary = _summary(documents, out, run, max_cer, max_wer, normalize, _changes(previous_run, previous, documents))
        _write_summary(summary)
        store.finish_run(run, documents, keys)
        return summary
    finally:
        store.close()


def _summary(
    documents: tuple[DocumentResult, ...],
    out: Path,
    run: int,
    max_cer: float | None,
    max_wer: float | None,
    normalize: str,
    changes: Changes,
) -> BatchSummary:
    # Micro-averages: all edits over all reference units, so long documents weigh as much as they hold.
    measured = [d for d in documents if d.characters is not None and d.character_errors is not None]
    characters = sum(d.characters or 0 for d in measured)
    words = sum(d.words or 0 for d in measured)
    cer = sum(d.character_errors or 0 for d in measured) / characters if characters else None
    wer = sum(d.word_errors or 0 for d in measured) / words if words else None
    return BatchSummary(
        documents=documents,
        cer=cer,
        wer=wer,
        flagged=sum(1 for d in documents if d.flagged),
        max_cer=max_cer,
        max_wer=max_wer,
        normalization=normalize,
        changes=changes,
        run=run,
        out_dir=out,
    )


def _write_summary(summary: BatchSummary) -> None:
    from reports.batch import index_page, summary_csv, summary_json
    from reports.files import atomic_write

    atomic_write(summary.out_dir / "summary.json", summary_json(summary))
    atomic_write(summary.out_dir / "summary.csv", summary_csv(summary))
    atomic_write(summary.out_dir / "index.html", index_page(summary))


def summary_line(summary: BatchSummary) -> str:
    """One JSON line for pipelines: counts, the micro-averaged rates, the changes and where the summary is."""
    changes = summary.changes
    return json.dumps(
        {
            "summary": str(summary.out_dir / "summary.json"),
            "documents": len(summary.documents),
            "flagged": summary.flagged,
            "cer": summary.cer,
            "wer": summary.wer,
            "reused": summary.reused,
            "new": len(changes.new),
            "fixed": len(changes.fixed),
            "worse": len(changes.worse),
            "removed": len(changes.removed),
        },
        ensure_ascii=False,
    )
