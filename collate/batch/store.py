"""The result store: an SQLite file in the output folder that makes a run resumable and comparable.

A result's key is a hash of both files' contents, the document id and names, the normalisation and
``ALGORITHM``, so a run over unchanged input reuses it: an interrupted run resumes where it stopped (each
result is committed as it arrives), and the thresholds can change without recomputing anything. Each finished
run is recorded, so that the next run can say what changed since. One run at a time uses a store: it is
locked (``flock``) for the whole run, and a second run is refused at once with advice to wait. SQLite's errors
become one-line ``InputError``s: a damaged store (checked when opened) may be deleted, a busy one never.
"""

from __future__ import annotations

import contextlib
import math
import os
import sqlite3
import time
from pathlib import Path
from typing import Iterator, Sequence


from collate.errors import InputError, printable


from .model import DocumentResult, Outcome

# ---------------------------------------------------------------------------------------------------- store


@contextlib.contextmanager
def _errors(path: Path) -> Iterator[None]:
    """SQLite's errors as one line that says what to do: a store in use by another run is left alone (never
    "delete it"); a damaged one may be deleted, since every result in it can be computed again."""
    try:
        yield
    except sqlite3.OperationalError as exc:
        if "locked" in str(exc) or "busy" in str(exc):
            raise InputError(
                "the result store is in use by another run in this output folder; wait for that run to finish, "
                "or give this one another output folder",
                path=str(path),
            ) from None
        raise InputError(f"the result store cannot be used ({exc})", path=str(path)) from None
    except sqlite3.DatabaseError as exc:
        raise InputError(
            f"the result store is damaged ({exc}); delete it to start afresh (every result in it is "
            "computed again)",
            path=str(path),
        ) from None


def _lock(path: Path):
    """An exclusive lock on the store for the whole run (``flock``, apart from SQLite's own short locks): a
    second run in the same output folder is told at once, instead of meeting "database is locked" later."""
    try:
        import fcntl
    except ImportError:  # pragma: no cover - not POSIX: SQLite's own locking still keeps the file whole
        return None
    try:
        handle = open(path, "ab")
    except OSError as exc:
        raise InputError(f"the result store cannot be opened ({exc.strerror or exc})", path=str(path)) from None
    try:
        fcntl.flock(handle.fileno(), fcntl.LOCK_EX | fcntl.LOCK_NB)
    except OSError:
        handle.close()
        raise InputError(
            "another run is using this output folder (its result store is locked); wait for it to finish, "
            "or give this run another output folder",
            path=str(path),
        ) from None
    return handle


def _guarded(method):
    def wrapper(self, *args, **kwargs):
        with _errors(self.path):
            return method(self, *args, **kwargs)

    wrapper.__name__ = method.__name__
    wrapper.__doc__ = method.__doc__
    return wrapper


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
        self._lock = _lock(path)
        try:
            self._open(path)
        except BaseException:
            if self._lock is not None:
                self._lock.close()
            raise

    def _open(self, path: Path) -> None:
        with _errors(path):
            self.db = sqlite3.connect(path, timeout=5, isolation_level=None)
            # WAL with synchronous=NORMAL: a commit per result stays cheap, and a crash loses at most the last
            # few results, never the file.
            self.db.execute("PRAGMA journal_mode=WAL")
            self.db.execute("PRAGMA synchronous=NORMAL")
            self.db.executescript(self._SCHEMA)
            # Damage anywhere in the file (a zeroed page) is found now, before any work, not half-way.
            problem = self.db.execute("PRAGMA quick_check").fetchone()
            if problem is None or problem[0] != "ok":
                raise sqlite3.DatabaseError(f"integrity check: {problem[0] if problem else 'no answer'}")


    def close(self) -> None:
        self.db.close()
        if self._lock is not None:
            self._lock.close()  # releases the lock
            self._lock = None

    @_guarded
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

    @_guarded
    def put(self, key: str, outcome: Outcome, page_sha: str | None) -> None:
        self.db.execute(
            "INSERT OR REPLACE INTO results VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (key, outcome.status, outcome.error, outcome.characters, outcome.character_errors, outcome.words,
             outcome.word_errors, outcome.differences, page_sha, time.time()),
        )

    @_guarded
    def begin_run(self, reference_dir: Path, scans_dir: Path, max_cer: float | None, max_wer: float | None) -> int:
        cursor = self.db.execute(
            "INSERT INTO runs (started, reference_dir, scans_dir, max_cer, max_wer) VALUES (?, ?, ?, ?, ?)",
            (time.time(), printable(os.fsdecode(reference_dir)), printable(os.fsdecode(scans_dir)), max_cer, max_wer),
        )
        return int(cursor.lastrowid or 0)

    @_guarded
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

    @_guarded
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


