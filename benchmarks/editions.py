"""Real editions: does any apparatus entry hide variation? Ours side by side with CollateX-Python's segments.

Usage: python benchmarks/editions.py [--shared DIR] [--slice N] [--collatex-python PYTHON] [--no-peer]

For each unit of the shared corpora (Frankenstein C15 and C24: five witnesses, one a fragmentary manuscript;
Severianus, *De sigillis*: the edited Greek text as base and twelve manuscripts, two lacking a passage) it
collates the TEI witnesses as published and prints:
- entries: our apparatus entries, and how many of them are spans (outer entries over a long absence);
- long: entries longer than 20 columns;
- hiding: long entries with two non-empty readings that are near-copies of one passage (RapidFuzz ratio
  ≥ 70): variation hidden inside one entry. The target is none;
- the seconds the whole job took (TEI read, collation, grouping).

The peer cannot collate whole chapters in reasonable time (4,000 words × 2 took 245 s here), so both are
run on the same slice of each unit (the first ``--slice`` tokens of the base and what the others read
there), and CollateX-Python's parallel segments with variation are counted against our entries. It runs
in a child process of the interpreter given (it must have ``collatex`` and ``python-levenshtein``).
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(Path(__file__).resolve().parent))

import warnings  # noqa: E402

from measure import SHARED, table  # noqa: E402

# What the TEI reader had to assume in these files is reported by `collate align`; here it would bury the table.
warnings.filterwarnings("ignore", module="tei")

_CHILD = r"""
import json, sys
from collatex import Collation, collate
data = json.load(sys.stdin)
collation = Collation.create_from_dict(data)
out = json.loads(collate(collation, output="json", segmentation=True, near_match=False))
rows = out["table"]  # one row per witness; the segments are its columns
count = 0
columns = list(zip(*rows))
for segment in columns:
    texts = {" ".join(t["t"].strip() for t in cell) if cell else "" for cell in segment}
    count += len(texts) > 1
print(json.dumps({"segments": len(columns), "varying": count}))
"""


def units(shared: Path) -> list[tuple[str, list[Path], str | None]]:
    corpora = shared / "corpora"
    out: list[tuple[str, list[Path], str | None]] = []
    for unit in ("C15", "C24"):
        folder = corpora / "frankenstein" / unit
        if folder.exists():
            out.append((f"Frankenstein {unit}", sorted(folder.glob("*.xml")), None))
    folder = corpora / "severianus-de-sigillis"
    if folder.exists():
        files = sorted(folder.glob("*.xml"))
        edited = [p for p in files if "grc" in p.name]
        out.append(("Severianus (13)", edited + [p for p in files if p not in edited], None))
    return out


def _sigla(paths: list[Path]) -> list[str]:
    # File names share their first part (pta0001.pta025.pta-MsAc.xml): the distinguishing part is the siglum.
    names = [p.name.rsplit(".", 1)[0] for p in paths]
    return [n.rsplit(".", 1)[-1] if n.count(".") else n for n in names]


def hiding(entry) -> bool:
    from rapidfuzz.fuzz import ratio

    texts = [r.text for r in entry.all_readings if r.text]
    return any(ratio(a, b) >= 70 for i, a in enumerate(texts) for b in texts[i + 1 :])


def measure(paths: list[Path]) -> tuple[dict, object]:
    import collate

    start = time.perf_counter()
    witnesses = collate.load(paths, sigla=_sigla(paths))
    apparatus = collate.collate(witnesses, base=witnesses[0].siglum)
    seconds = time.perf_counter() - start
    entries = apparatus.entries
    long = [e for e in entries if e.end - e.start > 20]
    return {
        "entries": len(entries),
        "spans": len(apparatus.spans),
        "long": len(long),
        "hiding": sum(hiding(e) for e in long),
        "seconds": seconds,
    }, apparatus


def slice_payload(apparatus, tokens: int) -> dict:
    """Each witness's tokens in the columns where the base reads its first ``tokens`` tokens."""
    alignment = apparatus.alignment
    base = alignment.sigla.index(apparatus.base)
    end = next((c + 1 for c, col in enumerate(alignment.columns) if col[base] == tokens - 1), len(alignment.columns))
    witnesses = []
    for w, witness in enumerate(alignment.witnesses):
        cells = [witness.tokens[col[w]] for col in alignment.columns[:end] if col[w] is not None]
        witnesses.append({"id": witness.siglum, "tokens": [{"t": t.text, "n": t.norm} for t in cells]})
    return {"witnesses": [w for w in witnesses if w["tokens"]]}


def ours_on(payload: dict) -> int:
    import collate
    from collate.engine.model import Witness
    from collate.engine.tokens import make_tokens

    witnesses = [Witness(w["id"], make_tokens(" ".join(t["t"] for t in w["tokens"]), w["id"])) for w in payload["witnesses"]]
    return len(collate.collate(witnesses, base=witnesses[0].siglum).entries)


def peer_on(payload: dict, python: str, timeout: float) -> str:
    try:
        done = subprocess.run([python, "-c", _CHILD], input=json.dumps(payload), capture_output=True, text=True, timeout=timeout)
    except subprocess.TimeoutExpired:
        return f"timeout {timeout:.0f} s"
    if done.returncode:
        return "failed: " + (done.stderr.strip().splitlines() or ["?"])[-1][:60]
    return str(json.loads(done.stdout)["varying"])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared corpora (default ../shared)")
    parser.add_argument("--slice", type=int, default=800, help="tokens of the base in the slice both engines collate")
    parser.add_argument("--collatex-python", default=sys.executable, help="interpreter with collatex installed")
    parser.add_argument("--timeout", type=float, default=600.0, help="seconds before a CollateX run is stopped")
    parser.add_argument("--no-peer", action="store_true", help="do not run CollateX-Python")
    args = parser.parse_args(argv)

    found = units(args.shared)
    if not found:
        print(f"no shared corpora under {args.shared}: nothing to measure (give --shared)")
        return 0
    peer = not args.no_peer and subprocess.run([args.collatex_python, "-c", "import collatex"], capture_output=True).returncode == 0
    rows, slices = [], []
    for name, paths, _ in found:
        figures, apparatus = measure(paths)
        rows.append([name, str(len(paths)), str(figures["entries"]), str(figures["spans"]), str(figures["long"]),
                     str(figures["hiding"]), f"{figures['seconds']:.2f}"])
        payload = slice_payload(apparatus, args.slice)
        slices.append([name, str(ours_on(payload)), peer_on(payload, args.collatex_python, args.timeout) if peer else "not run"])
    print(table(
        "Real editions: entries that hide variation (whole units)",
        ["unit", "witnesses", "entries", "spans", "long >20", "hiding", "seconds"],
        rows,
        notes=["hiding: an entry longer than 20 columns with two non-empty readings that are near-copies (target 0)"],
    ))
    print(table(
        f"The same units, first {args.slice} tokens of the base: our entries and CollateX-Python's varying segments",
        ["unit", "ours", "CollateX-Python"],
        slices,
        notes=[] if peer else [f"CollateX-Python not importable by {args.collatex_python}: give --collatex-python"],
    ))
    worst = max(int(r[5]) for r in rows)
    print(table("Targets", ["what", "target", "measured"], [["entries hiding near-copies", "0", f"{worst} {'met' if worst == 0 else 'MISSED'}"]]))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
