"""The command's contract with a pipeline: 0 success, 1 divergence flagged, 2 bad input or usage, 3 a bug
(one line naming a traceback file), 130 interrupted; every error one line, usage errors included."""

from __future__ import annotations

import errno
import re
from pathlib import Path

import pytest

from .helpers import bounded, cli

TEXT_A = "The black cat sat on the mat.\n"
TEXT_B = "The white cat sat on a mat.\n"


@pytest.fixture
def texts(tmp_path: Path) -> list[Path]:
    a, b = tmp_path / "A.txt", tmp_path / "B.txt"
    a.write_text(TEXT_A, encoding="utf-8")
    b.write_text(TEXT_B, encoding="utf-8")
    return [a, b]


def test_version_and_short_help(tmp_path):
    done = bounded("--version", cwd=tmp_path)
    assert done.exit_code == 0 and re.fullmatch(r"collate \S+\n", done.stdout), done.output
    for args in (["-h"], ["align", "-h"], ["batch", "-h"]):
        result = cli(*args)
        assert result.exit_code == 0 and "Usage:" in result.stdout, args


@pytest.mark.parametrize(
    "args, message",
    [
        (["align", "--fromat", "json", "A.txt", "B.txt"], "No such option: --fromat"),
        (["align", "--near", "abc", "A.txt", "B.txt"], "'abc' is not a valid float"),
        (["batch", "ref", "scans"], "Missing option '-o'"),
        (["bogus"], "No such command 'bogus'"),
    ],
)
def test_a_usage_error_is_one_line_in_the_error_form(tmp_path, texts, args, message):
    # Through the real entry point (main), in a subprocess: the README promises one line, not a box.
    done = bounded(*args, cwd=tmp_path)
    assert done.exit_code == 2, done.output
    assert done.stdout == ""
    [line] = done.stderr.splitlines()
    assert line.startswith("error: collate") and message in line, line


@pytest.mark.parametrize(
    "option, value",
    [("--near", "nan"), ("--near", "2"), ("--near", "-1"), ("--near", "0"), ("--near", "inf"), ("--max-move", "-5")],
)
def test_numeric_options_out_of_range_are_refused(tmp_path, texts, option, value):
    out = tmp_path / "out.json"
    result = cli("align", *texts, option, value, "-o", out)
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {option} ") and value.lstrip("-") in line
    assert not out.exists()


def test_near_one_still_means_exact_only(tmp_path, texts):
    assert cli("align", *texts, "--near", "1").exit_code == 0


def test_an_unexpected_error_exits_3_with_a_traceback_file(tmp_path, texts, monkeypatch):
    import collate.api

    def broken(*args, **kwargs):
        raise ZeroDivisionError("a bug deep inside")

    monkeypatch.setattr(collate.api, "collate", broken)
    monkeypatch.setenv("TMPDIR", str(tmp_path))
    import tempfile

    monkeypatch.setattr(tempfile, "tempdir", None)
    result = cli("align", *texts, "-o", tmp_path / "out.json")
    assert result.exit_code == 3, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith("error: internal error (ZeroDivisionError: a bug deep inside)")
    where = re.search(r"the traceback is in (\S+);", line)
    assert where is not None, line
    saved = Path(where.group(1)).read_text(encoding="utf-8")
    assert "Traceback" in saved and "ZeroDivisionError: a bug deep inside" in saved
    assert not (tmp_path / "out.json").exists()


def test_an_interrupt_is_one_line_and_130(tmp_path, texts, monkeypatch):
    import collate.api

    def interrupted(*args, **kwargs):
        raise KeyboardInterrupt

    monkeypatch.setattr(collate.api, "collate", interrupted)
    result = cli("align", *texts, "-o", tmp_path / "out.json")
    assert result.exit_code == 130
    [line] = result.stderr.splitlines()
    assert line.startswith("error: interrupted")


def test_a_read_only_output_folder_names_the_output_not_a_temporary_file(tmp_path, texts, monkeypatch):
    import tempfile

    def read_only(*args, **kwargs):
        raise OSError(errno.EROFS, "Read-only file system", str(tmp_path / ".out.json.abc123.tmp"))

    monkeypatch.setattr(tempfile, "mkstemp", read_only)
    out = tmp_path / "out.json"
    result = cli("align", *texts, "-o", out)
    assert result.exit_code == 2
    assert result.stderr == f"error: {out}: Read-only file system\n"


def test_demo_outputs_are_replaced_as_a_set(tmp_path, monkeypatch):
    import reports.files

    out = tmp_path / "demo"
    out.mkdir()
    names = ("apparatus.html", "apparatus.xml", "alignment.json")
    for name in names:
        (out / name).write_text(f"old {name}", encoding="utf-8")
    real = reports.files._temporary
    calls = []

    def disk_full_on_the_third(target, payload):
        calls.append(target)
        if len(calls) == 3:
            raise OSError(errno.ENOSPC, "No space left on device", str(target))
        return real(target, payload)

    monkeypatch.setattr(reports.files, "_temporary", disk_full_on_the_third)
    result = cli("demo", "-o", out)
    assert result.exit_code == 2, result.output
    assert "No space left on device" in result.stderr
    # Before, the first two outputs had already been replaced: now none is, and no temporary file is left.
    assert {p.name: p.read_text(encoding="utf-8") for p in out.iterdir()} == {n: f"old {n}" for n in names}


def test_the_set_is_restored_when_a_rename_fails_half_way(tmp_path, monkeypatch):
    import os

    import reports.files

    paths = [tmp_path / f"f{k}.txt" for k in range(3)]
    for path in paths:
        path.write_text("old", encoding="utf-8")
    real = os.replace
    renamed = []

    def failing(src, dst):
        if str(src).endswith(".tmp"):
            renamed.append(dst)
            if len(renamed) == 3:
                raise OSError(errno.EIO, "Input/output error", str(dst))
        return real(src, dst)

    monkeypatch.setattr(reports.files.os, "replace", failing)
    with pytest.raises(OSError):
        reports.files.atomic_write_set([(p, "new") for p in paths])
    assert [p.read_text(encoding="utf-8") for p in paths] == ["old", "old", "old"]
    assert sorted(p.name for p in tmp_path.iterdir()) == ["f0.txt", "f1.txt", "f2.txt"]


def test_translating_texts_of_absurdly_different_lengths_is_refused_at_once(tmp_path):
    long_text = tmp_path / "long.txt"
    long_text.write_text("".join(f"Sentence number {k} is here.\n" for k in range(2_100)), encoding="utf-8")
    short = tmp_path / "short.txt"
    short.write_text("".join(f"Satz {k} ist hier.\n" for k in range(10)), encoding="utf-8")
    result = cli("translate", "--presegmented", long_text, short, "-o", tmp_path / "t.json")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert "long has 2100 sentences and short 10: too different in length" in line
    assert not (tmp_path / "t.json").exists()
