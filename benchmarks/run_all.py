"""Run every benchmark script in ``benchmarks/``, each in its own process, and print all their tables.

Usage: python benchmarks/run_all.py [--quick] [--only NAME,...] [--skip NAME,...] [--shared DIR]
                                    [--timeout SECONDS] [--output FILE]

The scripts run one after another (they time things; two at once would disturb each other): ``engine.py``
and ``accuracy.py`` first, then the others in name order (``textberg.py``, ``batch_vs_dinglehopper.py``,
``html_load.py``, and any added later). ``measure.py`` (shared helpers) and this file are not benchmarks.
Each script's output is shown as it comes. A script that stops because an optional dependency is missing
(a Python module, dinglehopper's own virtualenv, Chromium) is reported as skipped with its message, not as
a failure. ``--quick`` is passed to the scripts that accept it (tiny sizes); ``--shared`` to those that
take it. The summary at the end gives each script's status and time; the exit code is 1 when a script
failed for another reason, else 0. ``--output`` also writes everything printed to a file.
"""

from __future__ import annotations

import argparse
import os
import re
import signal
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path
from typing import Sequence, TextIO

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
NOT_BENCHMARKS = {"measure.py", "run_all.py", "__init__.py"}
FIRST = ["engine.py", "accuracy.py"]

# What a script prints when it stops for want of something optional.
_MISSING = re.compile(
    r"ModuleNotFoundError|No module named|not installed|not found at|executable doesn't exist|"
    r"install it|chromium.*(missing|not found)",
    re.IGNORECASE,
)


def scripts(only: set[str], skip: set[str]) -> list[Path]:
    found = sorted(p for p in HERE.glob("*.py") if p.name not in NOT_BENCHMARKS)
    ordered = [p for name in FIRST for p in found if p.name == name] + [p for p in found if p.name not in FIRST]
    return [p for p in ordered if (not only or p.stem in only) and p.stem not in skip]


def _accepts(script: Path, option: str) -> bool:
    # The scripts use argparse; an option they declare appears literally in their source.
    return f'"{option}"' in script.read_text(encoding="utf-8")


def run_one(script: Path, extra: list[str], timeout: float, out: TextIO) -> tuple[str, float]:
    """Run ``script``, echoing its output; its status ('ok', 'skipped: …', 'FAILED: …') and seconds."""
    command = [sys.executable, str(script), *extra]
    shown = script.relative_to(ROOT) if script.is_relative_to(ROOT) else script
    out.write(f"$ {' '.join([Path(sys.executable).name, str(shown), *extra])}\n")
    out.flush()
    started = time.perf_counter()
    with tempfile.TemporaryFile(mode="w+", encoding="utf-8") as errors:
        # A session of its own, so that a timeout ends the script and the processes it started, and no other.
        with subprocess.Popen(command, cwd=ROOT, stdout=subprocess.PIPE, stderr=errors, text=True,
                              start_new_session=True) as process:
            timed_out = threading.Event()

            def stop() -> None:
                timed_out.set()
                try:
                    os.killpg(process.pid, signal.SIGKILL)
                except ProcessLookupError:
                    pass

            timer = threading.Timer(timeout, stop)
            timer.start()
            try:
                assert process.stdout is not None
                for line in process.stdout:
                    out.write(line)
                    out.flush()
                code = process.wait()
            finally:
                timer.cancel()
        errors.seek(0)
        stderr = errors.read()
    seconds = time.perf_counter() - started
    if timed_out.is_set():
        return f"FAILED: timed out after {timeout:g} s", seconds
    if code == 0:
        return "ok", seconds
    tail = [line for line in stderr.strip().splitlines() if line.strip()][-3:]
    message = " / ".join(line.strip() for line in tail) or f"exit code {code}"
    if _MISSING.search(stderr):
        return f"skipped (optional dependency missing): {message}", seconds
    out.write("".join(stderr.splitlines(keepends=True)[-20:]))
    return f"FAILED (exit code {code}): {message}", seconds


class _Tee:
    """Writes to the terminal and, when asked, to a file as well."""

    def __init__(self, *streams: TextIO) -> None:
        self.streams = streams

    def write(self, text: str) -> None:
        for stream in self.streams:
            stream.write(text)

    def flush(self) -> None:
        for stream in self.streams:
            stream.flush()


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--quick", action="store_true", help="pass --quick to the scripts that accept it")
    parser.add_argument("--only", default="", help="script names to run (without .py), comma-separated")
    parser.add_argument("--skip", default="", help="script names to leave out, comma-separated")
    parser.add_argument("--shared", type=Path, help="the shared corpora, passed to the scripts that take it")
    parser.add_argument("--timeout", type=float, default=1800.0, help="seconds before a script is stopped")
    parser.add_argument("--output", type=Path, help="also write everything printed to this file")
    args = parser.parse_args(argv)

    only = {s.strip() for s in args.only.split(",") if s.strip()}
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    chosen = scripts(only, skip)
    if not chosen:
        print(f"no benchmark script matches (found: {', '.join(p.stem for p in scripts(set(), set()))})")
        return 2
    sink = open(args.output, "w", encoding="utf-8") if args.output else None
    out = _Tee(sys.stdout, *([sink] if sink else []))
    summary = []
    started = time.perf_counter()
    try:
        for script in chosen:
            extra = []
            if args.quick and _accepts(script, "--quick"):
                extra.append("--quick")
            if args.shared and _accepts(script, "--shared"):
                extra += ["--shared", str(args.shared)]
            out.write(f"\n{'=' * 100}\n{script.name}\n{'=' * 100}\n")
            status, seconds = run_one(script, extra, args.timeout, out)  # type: ignore[arg-type]
            out.write(f"[{script.name}: {status}, {seconds:.0f} s]\n")
            summary.append((script.name, status, seconds))
        width = max(len(name) for name, _, _ in summary)
        out.write(f"\n{'=' * 100}\nSummary ({time.perf_counter() - started:.0f} s in all)\n")
        for name, status, seconds in summary:
            out.write(f"{name.ljust(width)}  {seconds:6.0f} s  {status}\n")
        out.flush()
    finally:
        if sink:
            sink.close()
    return 1 if any(status.startswith("FAILED") for _, status, _ in summary) else 0


if __name__ == "__main__":
    sys.exit(main())
