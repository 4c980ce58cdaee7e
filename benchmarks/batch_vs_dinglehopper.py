"""Batch CER/WER against dinglehopper (OCR-D's evaluation tool): same figures, and how much faster.

Usage (dinglehopper lives in its own virtualenv; this script installs nothing):

    python3 -m venv .cache/bench-venv && .cache/bench-venv/bin/pip install dinglehopper==0.11.0
    .venv/bin/python benchmarks/batch_vs_dinglehopper.py [--seeds ../shared/seeds] [--pages 100]

What it does, in one run:
1. Cuts the seed texts (English translations, with the slips of their own scans) into ``--pages`` pages of
   about ``--page-chars`` characters, and makes an OCR-like scan of each: character confusions of real
   engines (rn→m, e→c, l→1, h→b, …), dropped and doubled letters, lost and spurious spaces, split words,
   stray punctuation, and letters with decomposed accents (so NFC and grapheme clusters matter), at
   ``--noise`` edits per character.
2. Runs dinglehopper page by page, as its users run it (``dinglehopper GT OCR REPORT DIR`` for each page,
   which writes the HTML and JSON reports), and ``collate batch REF SCANS -o OUT`` once over the folders
   (a fresh OUT, so nothing is reused; HTML diff pages for every document, summary, SQLite store).
3. Checks that the CER (and WER) of every page agree to 1e-4, and prints both timings side by side.
4. Does the same for one whole document pair of about 80 KB (``--doc-chars``): dinglehopper's CLI, our
   CLI on a folder with that one pair (each the best of ``--repeat`` runs), and our in-process comparison
   plus diff page.

Figures go to stdout; with ``--json PATH`` also to a file.
"""

from __future__ import annotations

import argparse
import compileall
import json
import os
import random
import resource
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

# Confusions seen in OCR of printed English (and a few of historical type). Applied left to right by chance.
CONFUSIONS = {
    "rn": "m", "m": "rn", "e": "c", "c": "e", "l": "1", "I": "l", "i": "l", "h": "b", "b": "h", "u": "n",
    "n": "u", "o": "0", "O": "0", "a": "o", "t": "f", "f": "t", "cl": "d", "d": "cl", "vv": "w", "w": "vv",
    "s": "8", "S": "5", ",": ".", ".": ",", "y": "v", "g": "q", "ri": "n", "li": "h", "fi": "h",
}
ACCENTS = {"e": "e\u0301", "a": "a\u0300", "o": "o\u0308", "u": "u\u0308", "n": "n\u0303", "c": "c\u0327"}


def ocr_noise(text: str, rate: float, rng: random.Random) -> str:
    out: list[str] = []
    i = 0
    keys = sorted(CONFUSIONS, key=len, reverse=True)
    while i < len(text):
        if rng.random() >= rate:
            out.append(text[i])
            i += 1
            continue
        roll = rng.random()
        if roll < 0.45:
            for key in keys:
                if text.startswith(key, i):
                    out.append(CONFUSIONS[key])
                    i += len(key)
                    break
            else:
                out.append(text[i])
                i += 1
        elif roll < 0.55:
            i += 1  # dropped character
        elif roll < 0.62:
            out.append(text[i] * 2)  # doubled
            i += 1
        elif roll < 0.72:
            out.append(text[i])
            if text[i] == " ":
                out.pop()  # lost space: two words run together
            else:
                out.append(" ")  # spurious space: a word split
            i += 1
        elif roll < 0.80:
            out.append(text[i])
            out.append(rng.choice("'.,:;-"))  # speck read as punctuation
            i += 1
        else:
            # An accented letter in decomposed form (a base letter and a combining mark): one grapheme cluster.
            out.append(ACCENTS.get(text[i], text[i]))
            i += 1
    return "".join(out)


def pages_from(seeds: Path, count: int, size: int) -> list[str]:
    lines: list[str] = []
    for path in sorted(seeds.glob("*.txt")):
        lines.extend(path.read_text(encoding="utf-8").splitlines())
    pages, page, chars = [], [], 0
    for line in lines:
        if not line.strip() and not page:
            continue
        page.append(line)
        chars += len(line) + 1
        if chars >= size:
            pages.append("\n".join(page) + "\n")
            page, chars = [], 0
            if len(pages) == count:
                break
    if len(pages) < count:
        raise SystemExit(f"the seeds give only {len(pages)} pages of {size} characters; lower --pages")
    return pages


def write_pairs(folder: Path, texts: list[str], rate: float, rng: random.Random) -> None:
    shutil.rmtree(folder, ignore_errors=True)
    (folder / "ref").mkdir(parents=True)
    (folder / "scan").mkdir(parents=True)
    for n, text in enumerate(texts, start=1):
        (folder / "ref" / f"p{n:04d}.txt").write_text(text, encoding="utf-8")
        (folder / "scan" / f"p{n:04d}.txt").write_text(ocr_noise(text, rate, rng), encoding="utf-8")


def children_cpu() -> float:
    usage = resource.getrusage(resource.RUSAGE_CHILDREN)
    return usage.ru_utime + usage.ru_stime


def run_dinglehopper(binary: Path, folder: Path) -> tuple[float, float, dict[str, dict]]:
    reports = folder / "dinglehopper"
    shutil.rmtree(reports, ignore_errors=True)
    reports.mkdir()
    names = sorted(p.stem for p in (folder / "ref").glob("*.txt"))
    cpu = children_cpu()
    start = time.perf_counter()
    for name in names:
        subprocess.run(
            [str(binary), "--plain-encoding", "utf-8", str(folder / "ref" / f"{name}.txt"),
             str(folder / "scan" / f"{name}.txt"), name, str(reports)],
            check=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
        )
    elapsed = time.perf_counter() - start
    cpu = children_cpu() - cpu
    return elapsed, cpu, {name: json.loads((reports / f"{name}.json").read_text(encoding="utf-8")) for name in names}


def run_collate(folder: Path, *, workers: int | None) -> tuple[float, float, dict[str, dict]]:
    out = folder / "collate-out"
    shutil.rmtree(out, ignore_errors=True)
    command = [str(Path(sys.executable).parent / "collate"), "batch", str(folder / "ref"), str(folder / "scan"),
               "-o", str(out)]
    if workers:
        command += ["--workers", str(workers)]
    cpu = children_cpu()
    start = time.perf_counter()
    done = subprocess.run(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - start
    cpu = children_cpu() - cpu  # worker processes included: they are waited for before collate exits
    if done.returncode not in (0, 1):
        raise SystemExit(f"collate batch failed ({done.returncode}): {done.stderr}")
    summary = json.loads((out / "summary.json").read_text(encoding="utf-8"))
    return elapsed, cpu, {d["id"]: d for d in summary["documents"]}


def agreement(ours: dict[str, dict], theirs: dict[str, dict]) -> tuple[float, float, int]:
    worst_cer = worst_wer = 0.0
    for name, report in theirs.items():
        worst_cer = max(worst_cer, abs(float(report["cer"]) - ours[name]["cer"]))
        worst_wer = max(worst_wer, abs(float(report["wer"]) - ours[name]["wer"]))
    return worst_cer, worst_wer, len(theirs)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--seeds", type=Path, default=ROOT.parent / "shared" / "seeds")
    parser.add_argument("--pages", type=int, default=100)
    parser.add_argument("--page-chars", type=int, default=2500)
    parser.add_argument("--doc-chars", type=int, default=80_000)
    parser.add_argument("--noise", type=float, default=0.04)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--repeat", type=int, default=3, help="runs of each tool on the document pair, best kept")
    parser.add_argument("--workers", type=int, default=None, help="for collate batch (default: its own)")
    parser.add_argument("--dinglehopper", type=Path, default=ROOT / ".cache" / "bench-venv" / "bin" / "dinglehopper")
    parser.add_argument("--work", type=Path, default=ROOT / ".cache" / "bench-batch")
    parser.add_argument("--json", type=Path, default=None)
    args = parser.parse_args()
    if not args.dinglehopper.exists():
        raise SystemExit(
            f"dinglehopper not found at {args.dinglehopper}; install it into its own virtualenv:\n"
            "  python3 -m venv .cache/bench-venv && .cache/bench-venv/bin/pip install dinglehopper==0.11.0"
        )
    rng = random.Random(args.seed)
    sys.path.insert(0, str(ROOT / "benchmarks"))
    from measure import machine_probe

    probe = machine_probe()
    # pip byte-compiles a package when it installs it (dinglehopper's virtualenv has its .pyc files); an
    # editable install does not, and with PYTHONDONTWRITEBYTECODE set every run would compile our sources
    # again. Compile them once, as an installed copy would be, before anything is timed.
    for package in ("collate", "tei", "witnesses", "reports"):
        compileall.compile_dir(ROOT / package, quiet=1)
    version = subprocess.run([str(args.dinglehopper), "--version"], capture_output=True, text=True).stdout.strip()

    # 1-3: pages
    pages_dir = args.work / "pages"
    write_pairs(pages_dir, pages_from(args.seeds, args.pages, args.page_chars), args.noise, rng)
    ours_pages_s, ours_pages_cpu, ours = run_collate(pages_dir, workers=args.workers)
    theirs_pages_s, theirs_pages_cpu, theirs = run_dinglehopper(args.dinglehopper, pages_dir)
    cer_diff, wer_diff, n = agreement(ours, theirs)

    # 4: one whole document pair
    seed_texts = sorted(args.seeds.glob("*.txt"), key=lambda p: abs(p.stat().st_size - args.doc_chars))
    text = seed_texts[0].read_text(encoding="utf-8")
    cut = text.rfind("\n", 0, args.doc_chars)
    document = text[: cut + 1 if cut > 0 else args.doc_chars]
    doc_dir = args.work / "document"
    write_pairs(doc_dir, [document], args.noise, rng)
    # Best of --repeat runs for both tools (a fresh output folder each time, so nothing is reused).
    ours_runs = [run_collate(doc_dir, workers=1) for _ in range(args.repeat)]
    theirs_runs = [run_dinglehopper(args.dinglehopper, doc_dir) for _ in range(args.repeat)]
    ours_doc_cli_s, ours_doc_cpu, ours_doc = min(ours_runs, key=lambda r: r[0])
    theirs_doc_s, theirs_doc_cpu, theirs_doc = min(theirs_runs, key=lambda r: r[0])
    ours_doc_median = sorted(r[0] for r in ours_runs)[len(ours_runs) // 2]
    doc_cer_diff, doc_wer_diff, _ = agreement(ours_doc, theirs_doc)

    from collate.batch.metrics import compare
    from reports.batch import document_page
    from witnesses.ocr import plain_text

    ref_text = (doc_dir / "ref" / "p0001.txt").read_text(encoding="utf-8")
    scan_text = (doc_dir / "scan" / "p0001.txt").read_text(encoding="utf-8")
    cpu = time.process_time()
    start = time.perf_counter()
    comparison = compare(plain_text(ref_text), plain_text(scan_text))
    document_page(id="p0001", reference_name="ref", scan_name="scan", reference_format="text",
                  scan_format="text", comparison=comparison)
    ours_doc_inproc_s = time.perf_counter() - start
    ours_doc_inproc_cpu = time.process_time() - cpu

    total_ref = sum(len((pages_dir / "ref" / f"{k}.txt").read_text(encoding="utf-8")) for k in theirs)
    figures = {
        "dinglehopper": version,
        "pages": n,
        "page_chars_mean": round(total_ref / n),
        "noise": args.noise,
        "mean_cer": sum(d["cer"] for d in ours.values()) / len(ours),
        "pages_dinglehopper_s": round(theirs_pages_s, 3),
        "pages_dinglehopper_cpu_s": round(theirs_pages_cpu, 3),
        "pages_collate_cpu_s": round(ours_pages_cpu, 3),
        "document_dinglehopper_cpu_s": round(theirs_doc_cpu, 3),
        "document_collate_cli_cpu_s": round(ours_doc_cpu, 3),
        "document_collate_in_process_cpu_s": round(ours_doc_inproc_cpu, 3),
        "load_average": os.getloadavg()[0],
        "pages_collate_s": round(ours_pages_s, 3),
        "pages_speedup": round(theirs_pages_s / ours_pages_s, 1),
        "pages_max_cer_difference": cer_diff,
        "pages_max_wer_difference": wer_diff,
        "document_bytes": len(document.encode("utf-8")),
        "document_cer": ours_doc["p0001"]["cer"],
        "document_dinglehopper_s": round(theirs_doc_s, 3),
        "document_collate_cli_s": round(ours_doc_cli_s, 3),
        "document_collate_cli_median_s": round(ours_doc_median, 3),
        "document_runs": args.repeat,
        "document_collate_in_process_s": round(ours_doc_inproc_s, 3),
        "document_cer_difference": doc_cer_diff,
        "document_wer_difference": doc_wer_diff,
        "cpus": os.cpu_count(),
        "machine_probe_s": round(probe, 3),
    }
    print(f"dinglehopper: {version}; machine: {os.cpu_count()} CPUs, probe {probe:.3f} s; "
          f"noise {args.noise} edits/character")
    def row(label: str, theirs_s: float | None, ours_s: float) -> None:
        left = f"{theirs_s:>12.3f} s" if theirs_s is not None else " " * 14
        ratio = f"{theirs_s / ours_s:>8.1f}×" if theirs_s is not None else ""
        print(f"{label:58}{left}{ours_s:>13.3f} s{ratio}")

    size = figures["document_bytes"] // 1000
    print(f"{'':58}{'dinglehopper':>14}{'collate batch':>15}{'ratio':>9}")
    row(f"{n} pages (~{figures['page_chars_mean']} chars, CER {figures['mean_cer']:.3f}), wall", theirs_pages_s,
        ours_pages_s)
    row(f"{n} pages, CPU (all processes)", theirs_pages_cpu, ours_pages_cpu)
    row(f"{size} KB document pair, CLI wall (best of {args.repeat})", theirs_doc_s, ours_doc_cli_s)
    row(f"{size} KB document pair, CLI CPU", theirs_doc_cpu, ours_doc_cpu)
    row(f"{size} KB document pair, compare + diff page in-process, wall", None, ours_doc_inproc_s)
    print(f"load average during the run: {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs")
    print(f"CER agreement: max |Δ| {cer_diff:.2e} over {n} pages, {doc_cer_diff:.2e} on the document"
          f" ({'OK' if max(cer_diff, doc_cer_diff) <= 1e-4 else 'DIFFERS'} at 1e-4)")
    print(f"WER agreement: max |Δ| {wer_diff:.2e} over {n} pages, {doc_wer_diff:.2e} on the document")
    print(f"our CLI on the document pair: median of {args.repeat} runs {ours_doc_median:.3f} s")
    speedup = theirs_pages_s / ours_pages_s
    print(f"targets: ≥ 40× on the pages: {speedup:.0f}× {'met' if speedup >= 40 else 'MISSED'}; "
          f"document pair < 0.3 s: {ours_doc_cli_s:.3f} s {'met' if ours_doc_cli_s < 0.3 else 'MISSED'}")
    if args.json:
        args.json.write_text(json.dumps(figures, indent=2) + "\n", encoding="utf-8")
    if max(cer_diff, doc_cer_diff) > 1e-4:
        raise SystemExit(1)


if __name__ == "__main__":
    main()
