"""Where the comparisons run: in this process, in a local process pool, or on a Dask cluster.

Offers:
    compare_job(job)        the worker function: one ``Job`` → one ``Outcome``; it needs nothing but the job
                            (the files' bytes travel with it), so every way of running it gives the same result
    DASK_TIMEOUT            seconds to wait for a Dask scheduler to answer before giving up on it
"""

from __future__ import annotations

import contextlib
import threading
from typing import TYPE_CHECKING, Iterable, Iterator


from collate.errors import CollateError, UsageError
from .metrics import compare, normalization

if TYPE_CHECKING:
    from multiprocessing.context import BaseContext


from .model import Job, Outcome

# Jobs in flight per worker: enough to keep workers busy, few enough that file contents are not all held.
_WINDOW = 4
# Seconds to wait for a Dask scheduler to answer before giving up on it.
DASK_TIMEOUT = 20

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
    note = f"{job.scan_name}: the scan has no text" if empty else None
    if not empty and not (comparison.cer.exact and comparison.wer.exact):
        # Long texts with little in common: the figures are upper bounds, and the summary says so.
        bounds = "; ".join(
            f"{name} between {rate.lower / rate.length:.4f} and {rate.rate:.4f}"
            for name, rate in (("CER", comparison.cer), ("WER", comparison.wer))
            if not rate.exact and rate.lower is not None and rate.length
        )
        note = (f"{job.scan_name}: the texts differ too much for an exact distance at linear cost; the figures "
                f"given are upper bounds ({bounds})")
    return Outcome(
        "empty" if empty else "ok",
        note,
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


def _ignore_interrupts() -> None:
    # Ctrl-C reaches every process of the terminal's group; only the parent acts on it (it stops the workers),
    # so the workers do not each die with a traceback of their own.
    import signal

    signal.signal(signal.SIGINT, signal.SIG_IGN)


def _local(jobs: Iterable[tuple[int, Job]], workers: int, total: int) -> Iterator[tuple[int, Outcome]]:
    """Run ``jobs`` (consumed lazily, a few per worker at a time) and yield ``(index, outcome)`` as they end."""
    if workers <= 1 or total <= 1:
        for index, job in jobs:
            yield index, compare_job(job)
        return
    from concurrent.futures import FIRST_COMPLETED, Future, ProcessPoolExecutor, wait

    executor = ProcessPoolExecutor(
        max_workers=min(workers, total), mp_context=_pool_context(), initializer=_ignore_interrupts
    )
    interrupted = False
    try:
        pending: dict[Future[Outcome], tuple[int, str]] = {}
        queue = iter(jobs)
        for index, job in queue:
            pending[executor.submit(compare_job, job)] = (index, job.id)
            if len(pending) >= workers * _WINDOW:
                break
        while pending:
            done, _ = wait(pending, return_when=FIRST_COMPLETED)
            for future in done:
                index, doc = pending.pop(future)
                try:
                    outcome = future.result()
                except Exception as exc:  # noqa: BLE001 - a dead worker process fails its document only
                    outcome = Outcome("failed", f"{doc}: worker failed: {type(exc).__name__}: {exc}")
                yield index, outcome
                following = next(queue, None)
                if following is not None:
                    pending[executor.submit(compare_job, following[1])] = (following[0], following[1].id)
    except BaseException:
        interrupted = True
        raise
    finally:
        if interrupted:
            # Ctrl-C (or an error here): stop at once rather than wait for the documents in flight; the
            # results stored so far are kept, and the next run resumes from them.
            for process in list((getattr(executor, "_processes", None) or {}).values()):
                with contextlib.suppress(Exception):
                    process.terminate()
            executor.shutdown(wait=False, cancel_futures=True)
        else:
            executor.shutdown(wait=True, cancel_futures=True)


def _dask(jobs: Iterable[tuple[int, Job]], address: str) -> Iterator[tuple[int, Outcome]]:
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
        queue = iter(jobs)
        indices = {}
        started = []
        for index, job in queue:
            future = client.submit(compare_job, job, pure=False)
            indices[future.key] = (index, job.id)
            started.append(future)
            if len(started) >= window:
                break
        running = as_completed(started)
        for future in running:
            index, doc = indices.pop(future.key)
            try:
                outcome = future.result()
            except Exception as exc:  # noqa: BLE001 - a lost worker fails its document only
                outcome = Outcome("failed", f"{doc}: worker failed: {type(exc).__name__}: {exc}")
            future.release()
            yield index, outcome
            following = next(queue, None)
            if following is not None:
                nxt = client.submit(compare_job, following[1], pure=False)
                indices[nxt.key] = (following[0], following[1].id)
                running.add(nxt)
