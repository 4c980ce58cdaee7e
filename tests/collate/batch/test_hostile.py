"""`collate batch` fed hostile folders: odd file names, FIFOs, links, a damaged or busy store, clashing report
names, an OUT_DIR that is an input, huge manifest fields, long unrelated texts, an interrupted run."""

from __future__ import annotations

import hashlib
import json
import os
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest
from typer.testing import CliRunner

from collate.batch.model import STORE_NAME
from collate.batch.pairing import _report_names
from collate.batch.run import run_batch
from collate.cli import app
from collate.errors import InputError, UsageError

ROOT = Path(__file__).resolve().parents[3]
runner = CliRunner()
pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file names, FIFOs and links")


def batch(*args: object):
    return runner.invoke(app, ["batch", *map(str, args)])


@pytest.fixture
def folders(tmp_path, monkeypatch):
    for folder in ("ref", "scans"):
        (tmp_path / folder).mkdir()
    (tmp_path / "ref" / "p1.txt").write_text("He who laughs last laughs best.\n")
    (tmp_path / "scans" / "p1.txt").write_text("tie who laughs last laughs best.\n")
    monkeypatch.chdir(tmp_path)
    return tmp_path


def _summary(out: Path) -> dict:
    return json.loads((out / "summary.json").read_text(encoding="utf-8"))


def _document(out: Path, doc: str) -> dict:
    return next(d for d in _summary(out)["documents"] if d["id"] == doc)


def test_a_latin1_file_name_does_not_stop_the_run(folders):
    name = os.fsdecode(b"M\xfcller.txt")
    (folders / "ref" / name).write_text("hello world\n")
    (folders / "scans" / name).write_text("hallo world\n")
    result = batch("ref", "scans", "-o", "out", "--workers", "1")
    assert result.exit_code == 0, result.output
    doc = _document(folders / "out", "M\\xfcller")
    assert doc["status"] == "ok" and doc["cer"] == pytest.approx(1 / 11)
    assert (folders / "out" / doc["report"]).exists()
    assert "M\\xfcller" in (folders / "out" / "index.html").read_text(encoding="utf-8")


def test_a_fifo_scan_is_unreadable_and_the_run_goes_on(folders):
    (folders / "ref" / "p2.txt").write_text("second page\n")
    os.mkfifo(folders / "scans" / "p2.txt")
    # A subprocess with a timeout: before, the run waited for a writer for ever.
    done = subprocess.run(
        [sys.executable, "-m", "collate.cli", "batch", "ref", "scans", "-o", "out", "--workers", "1"],
        capture_output=True, text=True, timeout=120, cwd=folders, env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    assert done.returncode == 1, done.stderr
    doc = _document(folders / "out", "p2")
    assert doc["status"] == "unreadable" and "is a named pipe (FIFO), not a regular file" in doc["error"]
    assert _document(folders / "out", "p1")["status"] == "ok"


def test_a_scan_linking_outside_its_folder_is_not_read(folders):
    secret = folders / "secret.txt"
    secret.write_text("root:x:0:0:TOP-SECRET-LINE\n")
    (folders / "ref" / "p2.txt").write_text("root:x:0:0:\n")
    (folders / "scans" / "p2.txt").symlink_to(secret)
    result = batch("ref", "scans", "-o", "out", "--workers", "1")
    assert result.exit_code == 1
    doc = _document(folders / "out", "p2")
    assert doc["status"] == "unreadable" and "is a link leading outside its folder" in doc["error"]
    for path in (folders / "out").rglob("*"):
        if path.is_file() and path.name != STORE_NAME:
            assert "TOP-SECRET" not in path.read_text(encoding="utf-8", errors="replace"), path
    # Asked for, the link is followed.
    assert batch("ref", "scans", "-o", "out2", "--workers", "1", "--follow-symlinks").exit_code == 0
    assert _document(folders / "out2", "p2")["status"] == "ok"


def test_a_link_inside_the_folder_is_read(folders):
    (folders / "scans" / "real").mkdir()
    (folders / "scans" / "real" / "x.txt").write_text("He who laughs last laughs best.\n")
    (folders / "scans" / "p1.txt").unlink()
    (folders / "scans" / "p1.txt").symlink_to(folders / "scans" / "real" / "x.txt")
    (folders / "ref" / "real").mkdir()
    (folders / "ref" / "real" / "x.txt").write_text("He who laughs last laughs best.\n")
    assert batch("ref", "scans", "-o", "out", "--workers", "1").exit_code == 0
    assert _document(folders / "out", "p1")["cer"] == 0


def test_a_linked_folder_in_a_manifest_is_not_read(folders):
    outside = folders / "elsewhere"
    outside.mkdir()
    (outside / "p1.txt").write_text("TOP-SECRET\n")
    (folders / "scans" / "linked").symlink_to(outside)
    manifest = folders / "pairs.csv"
    manifest.write_text("id,reference,scan\np1,p1.txt,linked/p1.txt\n")
    result = batch("ref", "scans", "-o", "out", "--manifest", manifest, "--workers", "1")
    assert result.exit_code == 1
    assert "is a link leading outside its folder" in _document(folders / "out", "p1")["error"]


def test_a_planted_documents_link_is_refused_and_nothing_lands_outside(folders):
    victim = folders / "victim"
    victim.mkdir()
    out = folders / "out"
    out.mkdir()
    (out / "documents").symlink_to(victim)
    result = batch("ref", "scans", "-o", out, "--workers", "1")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {out / 'documents'}: is a link")
    assert list(victim.iterdir()) == []


def test_report_names_never_collide():
    clash = f"b_-{hashlib.sha256('b~'.encode()).hexdigest()[:10]}"
    for ids in (["b~", clash], [clash, "b~"], ["a", "A"], ["x y", "x_y", "x-y", "x y-"]):
        names = _report_names(ids)
        assert len({n.lower() for n in names.values()}) == len(ids), names
        assert names.get(clash, f"documents/{clash}.html") == f"documents/{clash}.html"


@pytest.mark.parametrize("where", ["scans", "ref", "."])
def test_out_dir_may_not_be_or_contain_an_input_folder(folders, where):
    before = sorted(p.name for p in (folders / "scans").iterdir())
    result = batch("ref", "scans", "-o", where, "--workers", "1")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert "choose another output folder" in line
    assert sorted(p.name for p in (folders / "scans").iterdir()) == before
    assert not (folders / where / STORE_NAME).exists()


def test_a_damaged_store_is_one_line(folders):
    assert batch("ref", "scans", "-o", "out", "--workers", "1").exit_code == 0
    store = folders / "out" / STORE_NAME
    with sqlite3.connect(store) as db:
        db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    data = bytearray(store.read_bytes())
    page = 4096
    assert len(data) >= 3 * page
    data[page : 2 * page] = bytes(page)  # a zeroed page
    store.write_bytes(bytes(data))
    result = batch("ref", "scans", "-o", "out", "--workers", "1")
    assert result.exit_code == 2, result.output
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {Path('out') / STORE_NAME}: the result store is damaged")


def test_a_second_run_in_the_same_folder_is_told_to_wait_not_to_delete(folders):
    import fcntl

    assert batch("ref", "scans", "-o", "out", "--workers", "1").exit_code == 0
    with open(folders / "out" / STORE_NAME, "ab") as held:
        fcntl.flock(held.fileno(), fcntl.LOCK_EX)  # what a running batch holds
        result = batch("ref", "scans", "-o", "out", "--workers", "1")
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert "another run is using this output folder" in line and "delete" not in line


def test_a_huge_manifest_field_is_one_line_with_its_row(folders):
    manifest = folders / "pairs.csv"
    manifest.write_text("id,reference,scan\np1,p1.txt,p1.txt\n" + "x" * 140_000 + ",a,b\n")
    result = batch("ref", "scans", "-o", "out", "--manifest", manifest)
    assert result.exit_code == 2
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {manifest}:3: malformed manifest row: field larger than field limit")


def test_an_unreachable_scheduler_leaves_no_store(folders, monkeypatch):
    pytest.importorskip("distributed")
    import collate.batch.workers

    monkeypatch.setattr(collate.batch.workers, "DASK_TIMEOUT", 1)
    result = batch("ref", "scans", "-o", "out", "--scheduler", "tcp://127.0.0.1:9")
    assert result.exit_code == 2
    assert "cannot reach the Dask scheduler" in result.stderr
    assert not (folders / "out").exists()


def test_documents_are_read_as_they_are_compared(folders, monkeypatch):
    """The run holds a few documents at a time: the files of a document are read after the previous one
    was compared, not all before the first comparison."""
    import collate.batch.run
    import collate.batch.workers

    for k in range(2, 6):
        (folders / "ref" / f"p{k}.txt").write_text(f"page {k}\n")
        (folders / "scans" / f"p{k}.txt").write_text(f"paqe {k}\n")
    events: list[str] = []
    read, compare = collate.batch.run.read_inside, collate.batch.workers.compare_job
    monkeypatch.setattr(collate.batch.run, "read_inside", lambda p, *a, **k: events.append(f"read {p.name}") or read(p, *a, **k))
    monkeypatch.setattr(collate.batch.workers, "compare_job", lambda job: events.append(f"compare {job.id}") or compare(job))
    run_batch("ref", "scans", "out", workers=1)
    assert events[:6] == ["read p1.txt", "read p1.txt", "compare p1", "read p2.txt", "read p2.txt", "compare p2"]


def test_a_failed_document_exits_3_never_1(folders, monkeypatch):
    import collate.batch.workers

    def broken(job):
        raise ZeroDivisionError("bug")

    monkeypatch.setattr(collate.batch.workers, "_compare", broken)
    result = batch("ref", "scans", "-o", "out", "--workers", "1")
    assert result.exit_code == 3
    [line] = [entry for entry in result.stderr.splitlines() if entry.startswith("error:")]
    assert "internal error on 1 document(s), first 'p1'" in line
    assert _document(folders / "out", "p1")["status"] == "failed"


def test_long_unrelated_texts_give_bounds_not_a_quadratic_search(monkeypatch):
    """Beyond the exact limit, a distance outside the band is bounded on both sides and marked; inside it,
    it stays exact (the limits are made small here so that the test is fast)."""
    import random

    from rapidfuzz.distance import Levenshtein

    from collate.batch import metrics

    monkeypatch.setattr(metrics, "EXACT_CELLS", 10_000)
    monkeypatch.setattr(metrics, "_MAX_BAND", 50)
    rng = random.Random(7)
    a = "".join(rng.choice("abcdefgh ") for _ in range(6_000))
    b = "".join(rng.choice("abcdefgh ") for _ in range(6_000))
    true = Levenshtein.distance(a, b)
    result = metrics.compare(a, b)
    assert not result.cer.exact
    assert result.cer.lower <= true <= result.cer.distance
    assert result.cer.distance == sum(d.edits for d in result.differences)
    assert metrics.cer(a, b) == result.cer
    near = a[:3000] + "X" + a[3001:]
    close = metrics.compare(a, near)
    assert close.cer.exact and close.cer.distance == 1


def test_a_bounded_result_is_noted_in_the_summary(folders, monkeypatch):
    from collate.batch import metrics

    monkeypatch.setattr(metrics, "EXACT_CELLS", 100)
    monkeypatch.setattr(metrics, "_MAX_BAND", 2)
    (folders / "ref" / "p1.txt").write_text("abcdefghijklmnopqrstuvwxyz" * 4)
    (folders / "scans" / "p1.txt").write_text("zyxwvutsrqponmlkjihgfedcba" * 4)
    run_batch("ref", "scans", "out", workers=1)
    doc = _document(folders / "out", "p1")
    assert doc["status"] == "ok" and "the figures given are upper bounds (CER between" in doc["error"]


@pytest.mark.skipif(sys.platform != "linux", reason="signals to a process group")
def test_ctrl_c_stops_a_run_at_once_and_it_resumes(folders):
    for k in range(2, 9):
        (folders / "ref" / f"p{k}.txt").write_text(f"page {k}\n")
        (folders / "scans" / f"p{k}.txt").write_text(f"paqe {k}\n")
    # Every comparison but the first takes 30 s: a run that waited for its workers would take minutes.
    # The run gets Ctrl-C as in a terminal: a suite started in the background of a script (as CI may be)
    # passes its children SIGINT ignored, and Python then never raises KeyboardInterrupt.
    code = (
        "import signal\n"
        "signal.signal(signal.SIGINT, signal.default_int_handler)\n"
        "import time, collate.batch.workers as w\n"
        "real = w._compare\n"
        "def slow(job):\n"
        "    if job.id != 'p1':\n"
        "        time.sleep(30)\n"
        "    return real(job)\n"
        "w._compare = slow\n"
        "from collate.cli import main\n"
        "main()\n"
    )
    process = subprocess.Popen(
        [sys.executable, "-c", code, "batch", "ref", "scans", "-o", "out", "--workers", "2"],
        cwd=folders, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
        env={**os.environ, "PYTHONPATH": str(ROOT)}, start_new_session=True,
    )
    try:
        # A loaded machine may take long to start the run (imports, workers): wait for its first document,
        # so that Ctrl-C comes while the workers are busy, which is the case this test is about.
        deadline = time.monotonic() + 240
        while time.monotonic() < deadline and not (folders / "out" / "documents" / "p1.html").exists():
            assert process.poll() is None, process.communicate()
            time.sleep(0.1)
        assert (folders / "out" / "documents" / "p1.html").exists(), "the run finished no document in 240 s"
        time.sleep(0.5)
        os.killpg(process.pid, signal.SIGINT)  # what Ctrl-C sends: the whole group
        sent = time.monotonic()
        _, stderr = process.communicate(timeout=60)
        stopped = time.monotonic() - sent
    finally:
        # Whatever happened, nothing of the run outlives the test (its pipes would break the next one).
        if process.poll() is None:
            os.killpg(process.pid, signal.SIGKILL)
            process.communicate()
    assert stopped < 5
    assert process.returncode == 130
    assert [line for line in stderr.splitlines() if line.strip()] == [
        "error: interrupted; no output was replaced (a batch run keeps the documents it finished and resumes "
        "from them when run again)"
    ]
    # The finished document was kept: the next run reuses it.
    again = run_batch("ref", "scans", "out", workers=1)
    assert next(d for d in again.documents if d.id == "p1").reused


def test_linked_folders_are_entered_only_when_asked_and_never_in_a_loop(folders):
    outside = folders / "more"
    outside.mkdir()
    (outside / "p9.txt").write_text("nine\n")
    (folders / "ref" / "linked").symlink_to(outside)
    (folders / "ref" / "loop").symlink_to(folders / "ref")  # a link to its own folder
    without = run_batch("ref", "scans", "out", workers=1)
    assert [d.id for d in without.documents] == ["p1"]
    followed = run_batch("ref", "scans", "out2", workers=1, follow_symlinks=True)
    assert [d.id for d in followed.documents] == ["linked/p9", "p1"]
    assert next(d for d in followed.documents if d.id == "linked/p9").status == "missing-scan"


def test_folders_of_any_bytes(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    ref, scans, out = (os.fsdecode(name) for name in (b"r\xe9f", b"sc\xe0n", b"o\xfct"))
    for folder, text in ((ref, "hello world\n"), (scans, "hallo world\n")):
        Path(folder).mkdir()
        (Path(folder) / "a.txt").write_text(text)
    result = batch(ref, scans, "-o", out, "--workers", "1")
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout)["summary"] == "o\\xfct/summary.json"
    assert _document(Path(out), "a")["reference"] == "r\\xe9f/a.txt"
