"""Smoke tests of the benchmark scripts: each runs at tiny sizes and prints the tables it promises.

No timing is asserted here (timing targets live in the scripts' own output); these tests check that the
scripts run, that every expected row is there, and that the shared helpers score a table correctly.
"""

from __future__ import annotations

import importlib.util
import re
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
BENCH = ROOT / "benchmarks"
SOURCES = [ROOT / "tests" / "data" / "darwin_para1" / "1859.txt", ROOT / "tests" / "data" / "darwin_para1" / "1872.txt"]


def _module(name: str):
    sys.path.insert(0, str(BENCH))
    try:
        spec = importlib.util.spec_from_file_location(f"bench_{name}", BENCH / f"{name}.py")
        assert spec is not None and spec.loader is not None
        module = importlib.util.module_from_spec(spec)
        sys.modules[spec.name] = module  # dataclasses look their module up while the class is built
        spec.loader.exec_module(module)
        return module
    finally:
        sys.path.remove(str(BENCH))


def _run(*args: str, timeout: float = 300) -> str:
    done = subprocess.run([sys.executable, *args], cwd=ROOT, capture_output=True, text=True, timeout=timeout)
    assert done.returncode == 0, done.stderr
    return done.stdout


def _peer_installed() -> bool:
    return all(importlib.util.find_spec(m) is not None for m in ("collatex", "Levenshtein"))


def _rows(output: str, first: str) -> list[list[str]]:
    """Table rows (split on runs of two or more spaces) whose first cell is ``first``."""
    rows = [re.split(r"\s{2,}", line.strip()) for line in output.splitlines()]
    return [r for r in rows if r and r[0] == first]


@pytest.mark.slow
def test_engine_quick_prints_every_table():
    out = _run(str(BENCH / "engine.py"), "--quick", *map(str, SOURCES))
    assert "TEI in → HTML + TEI + JSON out" in out
    for phase in ("load", "collate", "html", "tei", "json"):
        (row,) = _rows(out, phase)
        assert float(row[1]) >= 0
    assert "process wall time (start → exit)" in out
    for words in ("1,000", "2,000", "4,000"):
        (row,) = _rows(out, words)
        assert len(row) >= 8, row
        assert float(row[4]) > 0  # total seconds
    peer = {}
    for size in ("50 × 2", "100 × 2", "50 × 3", "100 × 3"):
        (row,) = _rows(out, size)
        peer[size] = row
        assert 0 <= float(row[1])
    if _peer_installed():
        for row in peer.values():
            assert row[7].endswith("×"), row  # a speed-up was computed, so CollateX ran
            assert 0.0 <= float(row[9]) <= 1.0  # CollateX's F1
    else:
        assert "CollateX-Python not installed" in out
    assert "Targets" in out
    assert _rows(out, "Darwin six editions, end to end (process)")
    (moves,) = _rows(out, "2,000 words × 5, 3 moves per 1,000")
    tokenise, align, group, total = map(float, moves[1:5])
    assert total >= tokenise + align + group - 0.01 > 0


def test_the_targets_judge_the_moved_passages_case():
    engine = _module("engine")
    name = "100,000 words × 5, 3 moves per 1,000"
    for seconds, mb, verdicts in ((2.5, 320.0, ["met", "met"]), (4.8, 520.0, ["MISSED", "MISSED"])):
        run = engine.Run("ours", True, seconds=seconds, runs=3, peak_mb=mb)
        out = engine.targets(None, {}, {}, 0, None, {name: run})
        assert [r[-1] for r in _rows(out, f"{name}, time") + _rows(out, f"{name}, peak memory")] == verdicts
        assert f"{seconds:.2f} s" in out


@pytest.mark.slow
def test_engine_without_peer_says_so():
    out = _run(str(BENCH / "engine.py"), "--quick", "--no-peer", "--skip", "darwin,scaling", *map(str, SOURCES))
    assert "CollateX-Python not run (--no-peer)" in out
    (row,) = _rows(out, "50 × 2")
    assert row[4] == "—"


@pytest.mark.slow
def test_accuracy_quick_has_a_row_per_level_size_and_engine():
    out = _run(str(BENCH / "accuracy.py"), "--quick", *map(str, SOURCES))
    for level in ("2%", "5%", "10%", "20%"):
        rows = _rows(out, level)
        engines = {(r[1], r[2]) for r in rows}
        expected = {("400 × 4", "ours"), ("100 × 3", "ours")}
        if _peer_installed():
            expected.add(("100 × 3", "CollateX"))
        assert engines == expected, rows
        for r in rows:
            precision, recall, f1, low = map(float, r[4:8])
            assert 0 < low <= f1 <= 1 and 0 < precision <= 1 and 0 < recall <= 1
    assert _rows(out, "F1 at 5% noise, 400 × 4")


@pytest.mark.slow
def test_run_all_runs_the_chosen_scripts_and_sums_up():
    out = _run(str(BENCH / "run_all.py"), "--quick", "--only", "accuracy")
    assert "Alignment accuracy" in out
    assert re.search(r"^accuracy\.py\s+\d+ s\s+ok$", out, re.MULTILINE), out


class _Sink:
    def __init__(self) -> None:
        self.text = ""

    def write(self, text: str) -> None:
        self.text += text

    def flush(self) -> None:
        pass


def test_run_all_tells_a_missing_optional_dependency_from_a_failure(tmp_path):
    run_all = _module("run_all")
    needs = tmp_path / "needs_missing.py"
    needs.write_text("import surely_not_an_installed_module_xyz\n", encoding="utf-8")
    broken = tmp_path / "broken.py"
    broken.write_text("print('half a table')\nraise ValueError('bad figure')\n", encoding="utf-8")
    fine = tmp_path / "fine.py"
    fine.write_text("print('a table')\n", encoding="utf-8")

    sink = _Sink()
    status, _ = run_all.run_one(needs, [], 60, sink)
    assert status.startswith("skipped (optional dependency missing)")
    assert "surely_not_an_installed_module_xyz" in status

    sink = _Sink()
    status, _ = run_all.run_one(broken, [], 60, sink)
    assert status.startswith("FAILED (exit code 1)") and "bad figure" in status
    assert "half a table" in sink.text

    sink = _Sink()
    status, _ = run_all.run_one(fine, [], 60, sink)
    assert status == "ok" and "a table" in sink.text


def test_run_all_stops_a_script_at_its_timeout(tmp_path):
    run_all = _module("run_all")
    slow = tmp_path / "slow.py"
    slow.write_text("import time\nprint('started', flush=True)\ntime.sleep(60)\n", encoding="utf-8")
    sink = _Sink()
    status, seconds = run_all.run_one(slow, [], 1.0, sink)
    assert status.startswith("FAILED: timed out after 1 s")
    assert seconds < 30 and "started" in sink.text


def test_run_all_finds_the_benchmarks_in_order():
    run_all = _module("run_all")
    names = [p.name for p in run_all.scripts(set(), set())]
    assert names[:2] == ["engine.py", "accuracy.py"]
    assert "measure.py" not in names and "run_all.py" not in names
    assert [p.name for p in run_all.scripts({"accuracy"}, set())] == ["accuracy.py"]


def test_pairs_from_cells_pairs_words_of_one_column_only():
    measure = _module("measure")
    # Witness 0: "the cat ." ; witness 1: "the dog ." ; witness 2: "cat ." — punctuation is never paired.
    punct = [[False, False, True], [False, False, True], [False, True]]
    cells = [
        [[0], [0], None],
        [[1], None, [0]],
        [None, [1], None],
        [[2], [2], [1]],
    ]
    assert measure.pairs_from_cells(cells, punct) == {(0, 0, 1, 0), (0, 1, 2, 0)}


def test_take_words_counts_words_not_punctuation_and_wraps():
    measure = _module("measure")
    tokens = ["a", ",", "b", ".", "c"]
    assert measure.take_words(tokens, 2) == ["a", ",", "b"]
    assert measure.take_words(tokens, 4, start=2) == ["b", ".", "c", "a", ",", "b"]


def test_peer_suite_counts_our_verdicts_and_names_a_missing_peer(tmp_path):
    """peer_suite.py counts the ported CollateX methods as pytest sees them, and says so when the
    interpreter given cannot import collatex instead of printing CollateX figures."""
    peer_suite = _module("peer_suite")
    cases, skipped = peer_suite.load_cases()
    methods = {peer_suite.method(c) for _, c in cases}
    judged = {peer_suite.method(c) for _, c in cases if c.status is not None}
    no_collatex = tmp_path / "python"
    no_collatex.write_text("#!/bin/sh\nexit 1\n")
    no_collatex.chmod(0o755)
    out = _run(str(BENCH / "peer_suite.py"), "--collatex-python", str(no_collatex))
    assert f"{len(methods)} methods in collations" in out
    assert f"{skipped} skipped" in out and skipped > 0
    assert re.search(rf"^methods passed\s+{len(methods)}\s+{len(methods) - len(judged)}\s+-$", out, re.M)
    engine_wrong = len({peer_suite.method(c) for _, c in cases if (c.status or "").startswith("engine:")})
    verdict = "met" if engine_wrong == 0 else "MISSED"
    assert re.search(rf"^CollateX's own suite .*\(engine wrong: {engine_wrong}\)\s+{verdict}$", out, re.M)
    assert "collatex is not importable" in out
    assert "disagrees with their status" not in out


def test_tei_reading_compares_each_witness_with_its_repaired_reading():
    data = ROOT / "tests" / "data" / "tei_reading"
    out = _run(str(BENCH / "tei_reading.py"), str(data / "span-anchor.xml"), str(data / "span-dangling.xml"))
    rows = {line.split()[1]: line.split()[2:] for line in out.splitlines() if line.startswith("tei_reading/")}
    # tokens as published, as repaired, tokens that differ, warnings printed
    assert rows == {"span-anchor": ["73", "73", "0", "2"], "span-dangling": ["29", "29", "0", "2"]}


def test_round_trip_reads_every_encoding_back(tmp_path):
    """With no shared corpora beside the clone, the bundled Darwin editions: every witness word for word,
    every column and every entry back, in each encoding."""
    out = _run(str(BENCH / "round_trip.py"), "--shared", str(tmp_path), "--random", "40")
    rows = [line.split() for line in out.splitlines() if line.startswith("Darwin (6)")]
    assert [r[2] for r in rows] == ["parallel-segmentation", "double-end-point", "location-referenced"]
    assert [r[3:6] for r in rows] == [["6/6", "yes", "yes"]] * 3
    # Random witnesses: every witness's words and every column back, none refused, in each encoding.
    rows = [line.split() for line in out.split("Random witnesses")[1].splitlines() if line.endswith(tuple("0123456789"))]
    assert [r[0] for r in rows] == ["parallel-segmentation", "double-end-point", "location-referenced"]
    for row in rows:
        n = row[1].split("/")[1]
        assert row[1] == row[2] == f"{n}/{n}" and int(n) > 30 and row[4] == "0"


def test_textberg_finds_the_longest_run_of_content_left_unlinked():
    module = _module("textberg")
    gold = [((0,), (0,)), ((1,), (1,)), ((2,), ()), ((3,), (2,))]
    # Source 2 is an omission in the gold, so it breaks the run; target 1 and 2 continue the run of source 3.
    test = [((0,), (0,)), ((1,), ()), ((2,), ()), ((3,), ()), ((), (1,)), ((), (2,))]
    assert module.unlinked_run(gold, test) == 3
    assert module.unlinked_run(gold, gold) == 0


def test_translation_cost_prints_both_modes_and_their_f1(tmp_path):
    out = _run(str(BENCH / "translation_cost.py"), "--sizes", "200", "--texts", *map(str, SOURCES))
    for mode in ("same", "cross"):
        (row,) = _rows(out, mode)
        source, target = (int(x.replace(",", "")) for x in row[1].split(" × "))
        assert source == 200 and 200 < target < 300  # about one sentence in five split in two
        assert float(row[3]) > 0  # processor seconds
        assert 0.9 <= float(row[6]) <= 1.0, row  # strict F1 against the links the generator made


def test_translation_cost_pairs_are_generated_the_same_way_every_time():
    module = _module("translation_cost")
    pool = module.english_sentences(ROOT, [SOURCES[0]])
    first = module.make_pair(pool, 50, "cross")
    again = module.make_pair(pool, 50, "cross")
    assert first[0] == again[0] and first[1] == again[1] and first[2] == again[2]
    assert all(s or t for s, t in first[2])
