import os
import stat

import pytest

from reports.files import atomic_write


def test_atomic_write_replaces_only_on_success_and_leaves_no_temporary_file(tmp_path, monkeypatch):
    target = tmp_path / "out.txt"
    target.write_text("old", encoding="utf-8")

    def failing_fsync(fd):
        raise OSError(28, "No space left on device")

    with monkeypatch.context() as patch:
        patch.setattr(os, "fsync", failing_fsync)
        with pytest.raises(OSError, match="No space left"):
            atomic_write(target, "new")
    assert target.read_text(encoding="utf-8") == "old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]
    atomic_write(target, "new")
    assert target.read_text(encoding="utf-8") == "new"
    assert [p.name for p in tmp_path.iterdir()] == ["out.txt"]


def test_atomic_write_gives_the_file_the_usual_mode(tmp_path):
    old = os.umask(0o022)
    try:
        atomic_write(tmp_path / "report.html", "<p>x</p>")
    finally:
        os.umask(old)
    assert stat.S_IMODE((tmp_path / "report.html").stat().st_mode) == 0o644


def test_a_replaced_file_keeps_its_mode(tmp_path):
    target = tmp_path / "apparatus.xml"
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    old = os.umask(0o022)
    try:
        atomic_write(target, "new")
    finally:
        os.umask(old)
    assert target.read_text(encoding="utf-8") == "new"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
