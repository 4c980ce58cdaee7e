"""Helpers for the hostile-input tests: TEI documents from parts, the CLI in-process and in a bounded
subprocess, and the one-line refusal every bad input must produce."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

from typer.testing import CliRunner

from collate.cli import app

ROOT = Path(__file__).resolve().parents[2]
TEI_OPEN = '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>'
TEI_CLOSE = "</p></body></text></TEI>"
# Address space for a bounded subprocess: ample for the toolkit (it needs about 400 MB here), far too little
# for an expanded entity bomb (a billion "lol"s is 3 GB).
MEMORY_LIMIT = 1 << 30
# Far more than any refusal needs (about a second here); only a parser that hangs or expands gets near it.
TIMEOUT = 120

runner = CliRunner()


def tei(text: str, *, doctype: str = "", declaration: str = "") -> str:
    """A one-paragraph TEI witness; ``doctype`` and ``declaration`` each go on their own line first."""
    head = "".join(part + "\n" for part in (declaration, doctype) if part)
    return f"{head}{TEI_OPEN}{text}{TEI_CLOSE}\n"


def cli(*args: object):
    return runner.invoke(app, [str(a) for a in args])


@dataclass(frozen=True, slots=True)
class Done:
    """What a bounded subprocess run gave: exit code and both streams."""

    exit_code: int
    stdout: str
    stderr: str

    @property
    def output(self) -> str:
        return self.stdout + self.stderr


def bounded(*args: object, cwd: Path, memory: int = MEMORY_LIMIT, timeout: float = TIMEOUT) -> Done:
    """The ``collate`` command in a fresh process with at most ``memory`` bytes of address space.

    A parser that expanded a bomb would die of MemoryError (exit code 1, a traceback); one that hung would
    pass ``timeout`` and fail the test with ``TimeoutExpired``. No timing assertion is needed either way.
    """
    code = (
        "import resource, sys\n"
        f"resource.setrlimit(resource.RLIMIT_AS, ({memory}, {memory}))\n"
        "from collate.cli import main\n"
        "main()\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", code, *map(str, args)],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=cwd,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return Done(done.returncode, done.stdout, done.stderr)


def assert_refused(
    result, path: object, message: str, *, line: int | None = None, column: int | None = None
) -> str:
    """Exit code 2, nothing on stdout, one line on stderr: ``error: PATH[:LINE[:COL]]: …message…``.

    With ``line`` but no ``column``, any column (or none) is accepted after the line."""
    assert result.exit_code == 2, result.output
    assert "Traceback" not in result.output
    assert result.stdout == ""
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    where = re.escape(str(path))
    if line is not None:
        where += f":{line}" + (f":{column}" if column is not None else r"(:\d+)?")
    assert re.match(f"error: {where}: ", lines[0]), lines[0]
    assert message in lines[0], lines[0]
    return lines[0]


def listing(folder: Path) -> list[str]:
    """Every name under ``folder`` (hidden temporary files included), for 'nothing was left behind'."""
    return sorted(p.relative_to(folder).as_posix() for p in folder.rglob("*"))
