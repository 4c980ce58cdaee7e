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
result. Jobs are made lazily, as workers need them: a document's files are read just before it is compared,
so a run holds a few documents at a time. Only regular files are read, and a file that is a link leading
outside its folder only with ``follow_symlinks``; either refusal makes the document ``unreadable``.

Every output file is written atomically, and only inside ``out_dir``, never through a link: report names are
made from sanitised document ids, unique among all names taken, and a manifest may not point outside its
folders. ``out_dir`` may not be or contain an input folder. The three summaries are replaced as a set. A run
that fails before it has stored any result removes the store it created (and ``out_dir``, when it made it).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import math
import os
from pathlib import Path
from typing import Callable, Iterator, Sequence


from collate.errors import InputError, UsageError, printable
from .metrics import NORMALIZATIONS


from .model import ALGORITHM, REPORTS, STATUSES, STORE_NAME, BatchSummary, Changes, DocumentResult, Job, Outcome, Pair
from .pairing import _check_folder, _report_names, pair_by_manifest, pair_by_name, read_inside
from .store import _Store
from .workers import _local, _dask, compare_job

Progress = Callable[[int, int], None]

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
        reference=printable(os.fsdecode(pair.reference)) if pair.reference is not None else None,
        scan=printable(os.fsdecode(pair.scan)) if pair.scan is not None else None,
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


def _write_page(out_dir: Path, report: str, page: str) -> str:
    from reports.files import atomic_write

    data = page.encode("utf-8")
    atomic_write(out_dir / report, data, inside=out_dir)
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
    from witnesses.files import display_name

    if pair_path is None:
        return ""
    try:
        return display_name(pair_path.relative_to(folder).as_posix())
    except ValueError:
        return display_name(pair_path.name)


def _check_out_dir(out: Path, folders: Sequence[tuple[Path, str]]) -> None:
    """OUT_DIR may hold the run's outputs only: it may not be an input folder or contain one (the next
    run would pair its own reports), and nothing in it that the run writes may be a link leading out."""
    from reports.files import check_inside

    if out.exists() and not out.is_dir():
        raise InputError("output folder is a file", path=str(out))
    target = out.resolve()
    for folder, role in folders:
        given = folder.resolve()
        if target == given or target in given.parents:
            relation = "is" if target == given else "contains"
            raise UsageError(
                f"the output folder {relation} the {role} folder ({folder}); the reports would mix with the "
                "inputs — choose another output folder",
                path=str(out),
            )
    for name in (STORE_NAME, REPORTS, "summary.json", "summary.csv", "index.html"):
        inner = out / name
        if inner.is_symlink():
            raise InputError(
                "is a link; the run writes only inside its output folder and never through a link — remove it",
                path=str(inner),
            )
    if (out / REPORTS).exists():
        check_inside(out / REPORTS / "x.html", out)


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
    follow_symlinks: bool = False,
) -> BatchSummary:
    """Compare every scan in ``scans_dir`` with its reference in ``reference_dir`` and write the reports
    into ``out_dir``. ``workers`` defaults to the number of CPUs; ``scheduler`` (a Dask scheduler address)
    sends the work to a Dask cluster instead. ``progress(done, total)`` is called after each document.
    Files that are links leading outside their folder are read only with ``follow_symlinks``."""
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
    _check_out_dir(out, ((references, "reference"), (scans, "scans")))
    if manifest is not None:
        pairs = pair_by_manifest(Path(manifest), references, scans)
    else:
        pairs = pair_by_name(references, scans, exclude=out.resolve() if out.exists() else out.absolute(),
                             follow_symlinks=follow_symlinks)
    if not pairs:
        raise InputError("no documents to compare (both folders are empty)", path=str(references))
    reports = _report_names([p.id for p in pairs])
    workers = workers or os.cpu_count() or 1

    created_out = not out.exists()
    out.mkdir(parents=True, exist_ok=True)
    created_store = not (out / STORE_NAME).exists()
    store = _Store(out / STORE_NAME)
    stored_any = False
    try:
        run = store.begin_run(references, scans, max_cer, max_wer)
        results: dict[str, DocumentResult] = {}
        keys: dict[str, str] = {}
        job_pairs: dict[int, Pair] = {}
        total = len(pairs)

        def done(pair: Pair, outcome: Outcome, *, reused: bool = False, page: bool = False) -> None:
            report = reports[pair.id] if page else None
            results[pair.id] = _result(pair, outcome, report, max_cer=max_cer, max_wer=max_wer, reused=reused)
            if progress is not None:
                progress(len(results), total)

        def jobs() -> Iterator[tuple[int, Job]]:
            # Lazily: the files of a document are read only when a worker is about to need them, so a run
            # over thousands of documents holds a few of them at a time, never the whole folder.
            for pair in pairs:
                if pair.reference is None or pair.scan is None:
                    missing = "missing-reference" if pair.reference is None else "missing-scan"
                    present = pair.scan if pair.reference is None else pair.reference
                    partner = "reference" if pair.reference is None else "scan"
                    shown = printable(os.fsdecode(present))
                    done(pair, Outcome(missing, f"{shown}: no {partner} for document '{pair.id}'"))
                    continue
                try:
                    job = Job(
                        pair.id,
                        _name(pair.reference, references),
                        _name(pair.scan, scans),
                        read_inside(pair.reference, references, follow_symlinks=follow_symlinks),
                        read_inside(pair.scan, scans, follow_symlinks=follow_symlinks),
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
                    index = len(job_pairs)
                    job_pairs[index] = pair
                    yield index, job

        execute = _dask(jobs(), scheduler) if scheduler else _local(jobs(), workers, total)
        for index, outcome in execute:
            pair = job_pairs.pop(index)
            # The page first, then the result: a result in the store always has its page on disk.
            sha = _write_page(out, reports[pair.id], outcome.page) if outcome.page is not None else None
            store.put(keys[pair.id], outcome, sha)
            stored_any = True
            done(pair, outcome, page=sha is not None)

        documents = tuple(results[p.id] for p in pairs)
        previous_run, previous = store.previous(run)
        summary = _summary(documents, out, run, max_cer, max_wer, normalize, _changes(previous_run, previous, documents))
        _write_summary(summary)
        store.finish_run(run, documents, keys)
        return summary
    except BaseException:
        if created_store and not stored_any:
            # Nothing was computed (an unreachable scheduler, a bad file found early): leave no store behind,
            # and no output folder when this run made it.
            store.close()
            _remove_store(out / STORE_NAME)
            if created_out:
                with contextlib.suppress(OSError):
                    out.rmdir()
        raise
    finally:
        store.close()


def _remove_store(path: Path) -> None:
    for suffix in ("", "-wal", "-shm", "-journal"):
        with contextlib.suppress(FileNotFoundError):
            os.unlink(f"{path}{suffix}")


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
    from reports.files import atomic_write_set

    # Replaced as a set: the three always describe the same run, even when the disk fills up half-way.
    out = summary.out_dir
    atomic_write_set(
        [(out / "summary.json", summary_json(summary)), (out / "summary.csv", summary_csv(summary)),
         (out / "index.html", index_page(summary))],
        inside=out,
    )


def summary_line(summary: BatchSummary) -> str:
    """One JSON line for pipelines: counts, the micro-averaged rates, the changes and where the summary is."""
    changes = summary.changes
    return json.dumps(
        {
            "summary": printable(os.fsdecode(summary.out_dir / "summary.json")),
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
