"""Where the comparisons run: in this process, in a local process pool, or on a Dask cluster.

Offers:
    compare_job(job)        the worker function: one ``Job`` → one ``Outcome``; it needs nothing but the job
                            (the files' bytes travel with it), so every way of running it gives the same result
    DASK_TIMEOUT            seconds to wait for a Dask scheduler to answer before giving up on it
"""

from __future__ import annotations

import threading
from typing import TYPE_CHECKING, Iterator, Sequence


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


