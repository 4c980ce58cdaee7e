"""Batch runs (collate.batch.run_batch): outputs, problems reported, flags, store, resume, changes, safety."""

from __future__ import annotations

import json
import shutil
import sqlite3
from pathlib import Path

import pytest

from collate.batch.run import STORE_NAME, pair_by_manifest, run_batch
from collate.errors import InputError, UsageError
from collate.batch.metrics import cer
from witnesses.ocr import extract

EXPECTED = Path(__file__).resolve().parents[3] / "tests" / "data" / "batch_week1" / "expected"


def run(out="out", **options):
    options.setdefault("workers", 1)
    return run_batch("ref", "scans", out, **options)


def test_summary_json_csv_and_a_diff_page_match_the_golden_files(week1):
    run(max_cer=0.1)
    for name in ("summary.json", "summary.csv", "documents/a.html", "documents/j.html"):
        assert (week1 / "out" / name).read_text(encoding="utf-8") == (EXPECTED / name).read_text(encoding="utf-8"), name


def test_every_document_is_reported_and_problems_do_not_stop_the_others(week1):
    summary = run(max_cer=0.1)
    status = {d.id: d.status for d in summary.documents}
    assert status == {
        "a": "ok", "b": "ok", "c": "ok", "d": "ok", "e": "missing-scan", "f": "missing-reference",
        "g": "empty", "h": "unreadable", "i": "ok", "j": "ok",
    }
    flagged = {d.id for d in summary.documents if d.flagged}
    assert flagged == {"e", "f", "g", "h", "i"}  # every problem, and i whose CER is over 10 %
    assert summary.flagged == 5
    h = next(d for d in summary.documents if d.id == "h")
    assert h.error.startswith("h.xml:3:18: malformed XML")


def test_rates_are_those_of_the_metrics_on_the_extracted_texts(week1):
    summary = run()
    for d in summary.documents:
        if d.status != "ok":
            continue
        reference = extract(Path(d.reference).read_bytes(), d.reference).text
        scan = extract(Path(d.scan).read_bytes(), d.scan).text
        expected = cer(reference, scan)
        assert (d.character_errors, d.characters) == (expected.distance, expected.length)
        assert d.cer == expected.rate
    measured = [d for d in summary.documents if d.characters is not None]
    assert summary.cer == sum(d.character_errors for d in measured) / sum(d.characters for d in measured)


def test_thresholds_flag_only_what_is_over_them(week1):
    loose = run("out1", max_cer=0.5, max_wer=0.9)
    assert {d.id for d in loose.documents if d.flagged and d.status == "ok"} == set()
    strict = run("out2", max_wer=0.19)
    assert {d.id for d in strict.documents if d.flagged and d.status == "ok"} == {"c", "d", "i"}


def test_index_lists_documents_most_divergent_first_and_escapes_text(week1):
    run(max_cer=0.1)
    index = (week1 / "out" / "index.html").read_text(encoding="utf-8")
    positions = [index.index(f">{doc}</a>") for doc in ("i", "b", "a", "d", "c", "j")]
    assert positions == sorted(positions)
    assert index.index("missing-scan") < index.index(">i</a>")  # problems come first
    page = (week1 / "out" / "documents" / "j.html").read_text(encoding="utf-8")
    assert "&lt;b&gt;&amp;amp&lt;/b&gt;" in page and "<b>" not in page


def test_diff_page_highlights_the_difference_in_both_texts(week1):
    run()
    page = (week1 / "out" / "documents" / "b.html").read_text(encoding="utf-8")
    assert '<mark id="r1">H</mark>' in page and '<mark id="s1">ti</mark>' in page


def test_rerun_reuses_every_result_and_writes_the_same_outputs(week1):
    first = run(max_cer=0.1)
    out = week1 / "out"
    pages = {p: p.read_bytes() for p in (out / "documents").iterdir()}
    csv_before = (out / "summary.csv").read_bytes()
    documents_before = json.loads((out / "summary.json").read_text())["documents"]
    second = run(max_cer=0.1, workers=2)
    compared = {d.id for d in first.documents if d.report is not None or d.status == "unreadable"}
    assert {d.id for d in second.documents if d.reused} == compared
    assert {p: p.read_bytes() for p in pages} == pages
    assert (out / "summary.csv").read_bytes() == csv_before
    data = json.loads((out / "summary.json").read_text())
    assert data["documents"] == documents_before
    assert data["changes"] == {"previous_run": 1, "new": [], "fixed": [], "worse": [], "removed": []}


def test_a_deleted_diff_page_is_made_again(week1):
    run()
    (week1 / "out" / "documents" / "a.html").unlink()
    summary = run()
    assert not next(d for d in summary.documents if d.id == "a").reused
    assert (week1 / "out" / "documents" / "a.html").exists()


def test_an_interrupted_run_resumes_from_the_store(week1):
    calls = []

    def stop_after_six(done, total):
        calls.append((done, total))
        if done == 6:
            raise KeyboardInterrupt

    # The two missing partners (e, f) are reported first, then the pairs are compared in order: the run
    # stops once a, b, c and d are done.
    with pytest.raises(KeyboardInterrupt):
        run(progress=stop_after_six)
    assert not (week1 / "out" / "summary.json").exists()
    resumed = run()
    # a, b, c, d were compared before the interruption; they are taken from the store, the rest computed.
    assert [d.id for d in resumed.documents if d.reused] == ["a", "b", "c", "d"]


def test_progress_reports_every_document(week1):
    seen = []
    run(progress=lambda done, total: seen.append((done, total)))
    assert seen == [(n, 10) for n in range(1, 11)]


def test_a_new_week_reports_new_fixed_worse_and_removed(week1):
    run(max_cer=0.1)
    (week1 / "scans" / "i.txt").write_text("The dictatorship of the proletariat is a stubborn struggle.\n")  # fixed
    (week1 / "scans" / "a.txt").write_text("Tbe qnick brown f0x jumps ovcr the lazy dog.\nPack my box.\n")  # worse
    (week1 / "ref" / "k.txt").write_text("A new page.\n")
    (week1 / "scans" / "k.txt").write_text("A new page.\n")  # new
    (week1 / "ref" / "j.txt").unlink()
    (week1 / "scans" / "j.txt").unlink()  # removed
    summary = run(max_cer=0.1)
    changes = summary.changes
    assert (changes.new, changes.fixed, changes.worse, changes.removed) == (("k",), ("i",), ("a",), ("j",))
    data = json.loads((week1 / "out" / "summary.json").read_text())
    assert data["changes"] == {"previous_run": 1, "new": ["k"], "fixed": ["i"], "worse": ["a"], "removed": ["j"]}


def test_process_pool_gives_the_results_of_one_process(week1):
    run("one", workers=1)
    run("pool", workers=2)
    for name in ("summary.json", "summary.csv", "index.html"):
        assert (week1 / "one" / name).read_bytes() == (week1 / "pool" / name).read_bytes()
    pages = sorted(p.name for p in (week1 / "one" / "documents").iterdir())
    assert pages == sorted(p.name for p in (week1 / "pool" / "documents").iterdir())
    for name in pages:
        assert (week1 / "one" / "documents" / name).read_bytes() == (week1 / "pool" / "documents" / name).read_bytes()


def test_store_keeps_runs_and_results(week1):
    run()
    run()
    db = sqlite3.connect(week1 / "out" / STORE_NAME)
    assert db.execute("SELECT count(*) FROM runs WHERE finished IS NOT NULL").fetchone() == (2,)
    assert db.execute("SELECT count(*) FROM run_documents").fetchone() == (20,)
    db.close()


def test_manifest_pairs_differently_named_files(week1):
    (week1 / "manifest.csv").write_text("id,reference,scan\npage-1,a.txt,d.hocr\nsecond,b.xml,b.xml\n")
    summary = run_batch("ref", "scans", "out", manifest="manifest.csv", workers=1)
    assert [(d.id, d.reference, d.scan) for d in summary.documents] == [
        ("page-1", "ref/a.txt", "scans/d.hocr"),
        ("second", "ref/b.xml", "scans/b.xml"),
    ]


@pytest.mark.parametrize("row", ["x,../ref/a.txt,a.txt", "x,a.txt,/etc/passwd", "x,a.txt,sub/../../a.txt"])
def test_manifest_paths_may_not_leave_their_folders(week1, row):
    (week1 / "manifest.csv").write_text(f"id,reference,scan\n{row}\n")
    with pytest.raises(InputError) as caught:
        run_batch("ref", "scans", "out", manifest="manifest.csv", workers=1)
    assert caught.value.line == 2
    assert not (week1 / "out").exists()


def test_report_names_stay_inside_the_output_folder(week1):
    (week1 / "manifest.csv").write_text(
        'id,reference,scan\n../../escape,a.txt,a.txt\n/abs/olute,b.xml,b.xml\n.hidden,c.txt,c.xml\n"A",d.txt,d.hocr\n'
        '"a",a.txt,a.txt\n'
    )
    summary = run_batch("ref", "scans", "out", manifest="manifest.csv", workers=1)
    documents = (week1 / "out" / "documents").resolve()
    reports = [d.report for d in summary.documents]
    assert len({r.lower() for r in reports}) == len(reports)  # unique even where case is ignored
    for report in reports:
        path = (week1 / "out" / report).resolve()
        assert path.parent == documents and path.exists() and not path.name.startswith(".")


def test_duplicate_ids_in_a_manifest_are_refused(week1):
    (week1 / "manifest.csv").write_text("id,reference,scan\nx,a.txt,a.txt\nx,b.xml,b.xml\n")
    with pytest.raises(InputError, match="also on line 2"):
        pair_by_manifest(Path("manifest.csv"), Path("ref"), Path("scans"))


def test_two_files_for_one_document_are_refused(week1):
    shutil.copy(week1 / "scans" / "a.txt", week1 / "scans" / "a.xml")
    with pytest.raises(InputError, match="two files for document 'a'"):
        run()


def test_bad_requests_raise_before_anything_is_written(week1):
    with pytest.raises(InputError, match="does not exist"):
        run_batch("nowhere", "scans", "out")
    with pytest.raises(UsageError):
        run(max_cer=-0.1)
    with pytest.raises(UsageError):
        run(workers=0)
    assert not (week1 / "out").exists()


def test_output_folder_inside_the_scans_folder_is_not_read_as_scans(week1):
    first = run_batch("ref", "scans", "scans/out", workers=1)
    second = run_batch("ref", "scans", "scans/out", workers=1)
    assert [d.id for d in second.documents] == [d.id for d in first.documents]
