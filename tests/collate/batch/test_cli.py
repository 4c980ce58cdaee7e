"""`collate batch` on the command line: exit codes, machine-readable output, the progress bar on a terminal."""

from __future__ import annotations

import json
import os
import pty
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from collate.cli import app

COLLATE = Path(sys.executable).parent / "collate"


@pytest.fixture
def clean(tmp_path, monkeypatch):
    """Two pairs that agree within 10 %."""
    for folder in ("ref", "scans"):
        (tmp_path / folder).mkdir()
    (tmp_path / "ref" / "p1.txt").write_text("He who laughs last laughs best.\n")
    (tmp_path / "scans" / "p1.txt").write_text("tie who laughs last laughs best.\n")
    (tmp_path / "ref" / "p2.txt").write_text("Men-\nsheviks\n")
    (tmp_path / "scans" / "p2.txt").write_text("Men-\nsheviks\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def test_exit_code_1_when_any_document_is_flagged(week1):
    result = CliRunner().invoke(app, ["batch", "ref", "scans", "-o", "out", "--max-cer", "0.1", "--workers", "1"])
    assert result.exit_code == 1, result.output
    line = json.loads(result.stdout.strip())
    assert (line["documents"], line["flagged"]) == (10, 5)
    assert line["summary"] == str(Path("out") / "summary.json")


def test_exit_code_0_when_nothing_is_flagged(clean):
    result = CliRunner().invoke(app, ["batch", "ref", "scans", "-o", "out", "--max-cer", "0.1", "--max-wer", "0.2"])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["flagged"] == 0


def test_exit_code_1_when_the_word_threshold_is_passed(clean):
    result = CliRunner().invoke(app, ["batch", "ref", "scans", "-o", "out", "--max-wer", "0.1"])
    assert result.exit_code == 1


def test_exit_code_2_and_one_line_on_bad_input(week1):
    (week1 / "manifest.csv").write_text("id,reference,scan\nx,../../etc/passwd,a.txt\n")
    result = CliRunner().invoke(app, ["batch", "ref", "scans", "-o", "out", "--manifest", "manifest.csv"])
    assert result.exit_code == 2
    assert result.stderr.startswith("error: manifest.csv:2: reference path '../../etc/passwd' must be relative")
    assert result.stderr.count("\n") == 1
    assert not (week1 / "out").exists()


def test_exit_code_2_for_a_missing_folder(week1):
    result = CliRunner().invoke(app, ["batch", "nowhere", "scans", "-o", "out"])
    assert result.exit_code == 2
    assert result.stderr == "error: nowhere: reference folder does not exist\n"


def test_installed_command_in_a_pipeline(week1):
    done = subprocess.run(
        [str(COLLATE), "batch", "ref", "scans", "-o", "out", "--max-cer", "0.1"],
        capture_output=True, text=True, timeout=120,
    )
    assert done.returncode == 1, done.stderr
    assert done.stderr == ""  # no progress bar when not on a terminal
    line = json.loads(done.stdout)
    assert (line["flagged"], line["reused"]) == (5, 0)
    assert json.loads((week1 / "out" / "summary.json").read_text())["flagged"] == 5


def test_progress_bar_and_human_summary_on_a_terminal(clean):
    controller, terminal = pty.openpty()
    try:
        process = subprocess.Popen(
            [str(COLLATE), "batch", "ref", "scans", "-o", "out", "--workers", "1"],
            stdin=terminal, stdout=terminal, stderr=terminal, env={**os.environ, "TERM": "xterm", "COLUMNS": "100"},
        )
        os.close(terminal)
        chunks = []
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:  # the terminal closes when the process ends
                break
            if not chunk:
                break
            chunks.append(chunk)
        assert process.wait(timeout=120) == 0
    finally:
        os.close(controller)
    screen = b"".join(chunks).decode("utf-8", errors="replace")
    assert "comparing" in screen and "2/2" in screen
    assert "2 documents, 0 flagged, CER 4.65 %" in screen  # 2 edits over 31 + 12 clusters
    assert "{" not in screen


def test_a_batch_run_loads_no_validation_or_console_library(clean):
    # Pipelines call the command once per delivery, often per document: start-up is part of every run's cost.
    # pydantic (pulled in by typer from 0.29) and rich (typer's help and error rendering) cost about 0.1 s.
    script = (
        "import sys\n"
        "from collate.cli import main\n"
        "sys.argv = ['collate', 'batch', 'ref', 'scans', '-o', 'out', '--workers', '1']\n"
        "try:\n"
        "    main()\n"
        "except SystemExit as exit:\n"
        "    assert exit.code in (0, None), exit.code\n"
        "print('loaded:', *sorted(name for name in sys.modules if name.split('.')[0] in ('pydantic', 'rich')))\n"
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert (Path("out") / "summary.json").is_file()
    assert done.stdout.splitlines()[-1] == "loaded:", done.stdout
