"""CollateX's own test suite (tests/peers), run by our engine and by CollateX-Python 2.3, counted side by side.

Usage: python benchmarks/peer_suite.py [--collatex-python PYTHON] [--no-peer] [--list]

Every ported case (``tests/peers/test_*.py``, ``CASES``) is checked by the same code (``tests.peers.helpers
.failures``) against each engine's table. A peer method split into several collations (``name#1``,
``name#2``) passes when all of them do; the counts are of methods. CollateX-Python runs in the
interpreter given (default: this one), in a child process, and must have ``collatex`` and
``python-levenshtein`` installed (``pip install collatex python-levenshtein``; they are not project
dependencies). It gets the cases as the peer's tests give them: the Python port's own cases as plain text
(its tokeniser, its ``near_match`` flag) or its pretokenized JSON; the Java core's cases as pretokenized
JSON with our tokens, since CollateX-Python has no Java tokeniser. It reports no transpositions, so a case
expecting some fails for it. ``--list`` prints every method with both verdicts.

The methods skipped as checks of the peer's internals are counted from the ``Skipped (N)`` lines of the
modules' docstrings; the two tokeniser tests of ``test_py_tokens.py`` are not collations and run under
pytest only.
"""

from __future__ import annotations

import argparse
import importlib
import json
import re
import subprocess
import sys
from collections import defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import table  # noqa: E402
from tests.peers.helpers import Case, Result, failures, make_witness, ours  # noqa: E402

# DESIGN.md: "CollateX's own test suite: all pass but a documented list of debatable expectations".

PEERS = ROOT / "tests" / "peers"

# Runs inside the CollateX-Python interpreter: cases in on stdin, tables out on stdout.
_CHILD = r"""
import json, sys
from collatex import Collation, collate

out = []
for case in json.load(sys.stdin):
    try:
        collation = Collation()
        for siglum, spec in case["witnesses"]:
            if isinstance(spec, str):
                collation.add_plain_witness(siglum, spec)
            else:
                tokens = [{"t": t, **({"n": n} if n is not None else {})} for t, n in spec]
                collation.add_witness({"id": siglum, "tokens": tokens})
        table = collate(collation, output="table", segmentation=False, near_match=case["near"])
        rows = [row.to_list() for row in table.rows]
        columns = []
        for c in range(len(rows[0]) if rows else 0):
            column = []
            for row in rows:
                cell = row[c]
                if not cell:
                    column.append(None)
                else:
                    token = cell[0]
                    column.append([token.token_data["t"].strip(), token.token_string])
            columns.append(column)
        out.append({"columns": columns, "error": None})
    except Exception as error:  # the peer's failure is a verdict, not a crash of this script
        out.append({"columns": [], "error": f"{type(error).__name__}: {error}"})
json.dump(out, sys.stdout)
"""


def load_cases() -> tuple[list[tuple[str, Case]], int]:
    """(module, case) for every ported case, and how many methods the modules say they skipped."""
    cases = []
    skipped = 0
    for path in sorted(PEERS.glob("test_*.py")):
        module = importlib.import_module(f"tests.peers.{path.stem}")
        skipped += sum(int(n) for n in re.findall(r"Skipped \((\d+)\)", module.__doc__ or ""))
        cases.extend((path.stem, case) for case in getattr(module, "CASES", ()))
    return cases, skipped


def _peer_spec(case: Case) -> list:
    """The witnesses as the peer's test gives them (Python port) or as our tokens (Java core)."""
    out = []
    for siglum, spec in case.witnesses:
        if case.origin == "java":
            spec = [[t.text, t.norm] for t in make_witness(siglum, spec).tokens]
        elif not isinstance(spec, str):
            spec = [list(pair) for pair in spec]
        out.append([siglum, spec])
    return out


def run_peer(cases: list[Case], python: str, timeout: float) -> list[Result] | str:
    payload = json.dumps([{"witnesses": _peer_spec(c), "near": c.near} for c in cases])
    try:
        done = subprocess.run([python, "-c", _CHILD], input=payload, capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"CollateX-Python did not finish in {timeout:.0f} s"
    if done.returncode != 0:
        return done.stderr.strip().splitlines()[-1] if done.stderr.strip() else f"exit code {done.returncode}"
    results = []
    for case, got in zip(cases, json.loads(done.stdout)):
        sigla = tuple(s for s, _ in case.witnesses)
        columns = tuple(tuple(None if c is None else (c[0], c[1]) for c in column) for column in got["columns"])
        results.append(Result(sigla, columns, None, got["error"]))
    return results


def method(case: Case) -> str:
    return case.source.split("#", 1)[0]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--collatex-python", default=sys.executable, help="interpreter with collatex installed")
    parser.add_argument("--no-peer", action="store_true", help="run our engine only")
    parser.add_argument("--list", action="store_true", help="print every method with both verdicts")
    parser.add_argument("--timeout", type=float, default=900.0, help="seconds CollateX-Python may take in all")
    args = parser.parse_args(argv)

    loaded, skipped = load_cases()
    cases = [c for _, c in loaded]
    ours_ok: dict[str, bool] = defaultdict(lambda: True)
    status: dict[str, str | None] = {}
    inconsistent = []
    for case in cases:
        ok = not failures(case, ours(case))
        ours_ok[method(case)] &= ok
        if case.status is not None:
            status[method(case)] = case.status
        if ok == (case.status is not None):
            inconsistent.append(case.source)

    peer_ok: dict[str, bool] | None = None
    peer_note = ""
    if not args.no_peer:
        found = subprocess.run([args.collatex_python, "-c", "import collatex"], capture_output=True)
        if found.returncode != 0:
            peer_note = f"collatex is not importable by {args.collatex_python}: CollateX-Python not run"
        else:
            results = run_peer(cases, args.collatex_python, args.timeout)
            if isinstance(results, str):
                peer_note = results
            else:
                peer_ok = defaultdict(lambda: True)
                for case, result in zip(cases, results):
                    peer_ok[method(case)] &= not failures(case, result)

    methods = list(dict.fromkeys(method(c) for c in cases))
    origin = {method(c): c.origin for c in cases}
    java = [m for m in methods if origin[m] == "java"]
    python = [m for m in methods if origin[m] != "java"]
    engine = [m for m in methods if (status.get(m) or "").startswith("engine:")]
    debatable = [m for m in methods if (status.get(m) or "").startswith("debatable:")]

    def passed(ok: dict[str, bool] | None, group: list[str]) -> str:
        return "-" if ok is None else str(sum(ok[m] for m in group))

    rows = [
        ["methods passed", str(len(methods)), passed(ours_ok, methods), passed(peer_ok, methods)],
        ["  Java core", str(len(java)), passed(ours_ok, java), passed(peer_ok, java)],
        ["  Python port", str(len(python)), passed(ours_ok, python), passed(peer_ok, python)],
        ["engine wrong (xfail)", "", str(len(engine)), ""],
        ["debatable (xfail, tests/peers/README.md)", "", str(len(debatable)), ""],
    ]
    notes = [
        f"{len(cases)} cases; 2 tokeniser methods (test_py_tokens.py) run by pytest only; "
        f"{skipped} skipped as checks of the peer's internals"
    ]
    if peer_note:
        notes.append(f"note: {peer_note}")
    if inconsistent:
        notes.append("cases whose verdict disagrees with their status: " + ", ".join(inconsistent))
    title = f"CollateX's test suite as ported in tests/peers: {len(methods)} methods in collations"
    print(table(title, ["", "methods", "ours", "CollateX-Python 2.3"], rows, notes=notes))
    if args.list:
        for m in methods:
            peer = "-" if peer_ok is None else ("pass" if peer_ok[m] else "FAIL")
            print(f"  {m:78} ours {'pass' if ours_ok[m] else 'FAIL'}  peer {peer}  {status.get(m) or ''}")
        print()
    good = len(methods) - len(debatable)
    target = [
        [
            "CollateX's own suite",
            "all pass but the debatable",
            f"{sum(ours_ok[m] for m in methods)} of {good} (engine wrong: {len(engine)})",
            "met" if not engine and sum(ours_ok[m] for m in methods) == good else "MISSED",
        ]
    ]
    print(table("Targets", ["what", "target", "measured", ""], target))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
