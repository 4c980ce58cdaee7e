"""Speed and memory of the alignment engine, next to CollateX-Python's on the same inputs, in one run.

Usage: python benchmarks/engine.py [SOURCE.txt ...] [--shared DIR] [--quick] [--no-peer] [options]

Five tables and the targets:

1. Darwin, *Origin* ch. 1, six editions (the bundled TEI witnesses): TEI in → HTML + TEI + JSON out, in one
   fresh process, as ``collate demo`` does; the wall time from process start to exit, and each phase.
2. Scaling: 25k, 50k, 100k, 200k, 400k words × 5 witnesses with OCR-like noise (5% of words corrupted):
   time from text to alignment (the best of ``--repeat`` calls at every size, and the first call beside
   it), peak memory, and the cost per 100k words, which stays flat when the cost is linear in length. The
   100k row is the "100k words × 5" target.
3. Ours against CollateX-Python 2.3 on 250, 500, 1,000, 2,000 words × 2 and × 3 witnesses (the same tokens
   for both: CollateX gets ours as pretokenized JSON), each in a fresh process, timed in process; with the
   F1 of both against the known truth. CollateX is skipped above ``--peer-max-words`` and, for a witness
   count, after a run that passes ``--peer-timeout``; a note says so.
4. Adversarial shapes, text → alignment → variant locations: two witnesses with nothing in common, thousands
   of short witnesses, one word repeated, and 100k words × 5 with three moved passages per 1,000 words
   (the target: < 3 s, < 500 MB; the best of ``--repeat`` calls, the other shapes one call each).
5. Large traditions: 200 and 1,000 witnesses × 2,000 words (5% noise, a moved passage per 1,000 words), text
   → alignment, time per witness and peak memory (the target: 1,000 witnesses < 30 s, < 1 GB). CollateX is
   not run on them (2,000 words × 3 already take it 148–170 s); the table says so.
6. The targets, each marked met or MISSED.

The synthetic witnesses are noisy copies of passages of SOURCE texts (default: ``SHARED/seeds/*.txt`` then
``SHARED/corpora/darwin/darwin_*.txt``, ≈206k words; read again from the start for longer passages). A
"word" is a token with a letter or digit; punctuation tokens come along and are aligned too.
Timings on a shared machine are noisy: our runs are the best of ``--repeat`` (default 3) calls in one
process, CollateX's the best of as many as fit in ``--peer-budget`` seconds; the tables say how many.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any, Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import (  # noqa: E402
    SHARED,
    Run,
    collatex_available,
    collatex_payload,
    default_sources,
    isolated,
    machine_probe,
    ocr_noise,
    pairs_from_cells,
    read_corpus,
    synthetic,
    table,
)

# Targets (DESIGN.md).
DARWIN_SECONDS = 1.0
LONG_WORDS, LONG_SECONDS, LONG_MB = 100_000, 3.0, 500.0
PEER_WORDS, PEER_SPEEDUP = 2_000, 300.0
TRADITION_WORDS, TRADITION_WITNESSES, TRADITION_SECONDS, TRADITION_MB = 2_000, 1_000, 30.0, 1_000


def _moves_case(words: int) -> str:
    return f"{words:,} words × 5, 3 moves per 1,000"




def _f(value: float | None, digits: int = 3) -> str:
    return "—" if value is None else f"{value:,.{digits}f}"


def _darwin_paths(shared: Path) -> list[Path]:
    paths = _bundled()
    if len(paths) >= 2:
        return paths
    return sorted((shared / "corpora" / "darwin").glob("darwin_*.txt"))


def _bundled() -> list[Path]:
    from witnesses import sample_paths

    return sample_paths()


def _demo_cli(repeat: int) -> float | None:
    """Best wall time of the installed ``collate demo`` (the same work through the real command line)."""
    command = Path(sys.executable).with_name("collate")
    if not command.exists():
        return None
    best = None
    with tempfile.TemporaryDirectory(prefix="collate-demo-") as out:
        for _ in range(max(1, repeat)):
            started = time.perf_counter()
            done = subprocess.run([str(command), "demo", "-o", out], capture_output=True, timeout=300)
            elapsed = time.perf_counter() - started
            if done.returncode != 0:
                return None
            best = elapsed if best is None else min(best, elapsed)
    return best


def darwin(paths: Sequence[Path], repeat: int) -> tuple[str, Run | None]:
    """Best of ``repeat`` fresh processes, each reading the TEI and writing all three outputs."""
    best: Run | None = None
    failures = []
    with tempfile.TemporaryDirectory(prefix="collate-darwin-") as out:
        for _ in range(max(1, repeat)):
            run = isolated("darwin", {"paths": [str(p) for p in paths], "out": out}, timeout=300)
            if not run.ok:
                failures.append(run.note)
            elif best is None or (run.wall or 0) < (best.wall or 0):
                best = run
    if best is None:
        return f"Darwin end to end: failed ({'; '.join(failures)})\n", None
    phases = best.result["phases"]
    rows = [[name, _f(seconds)] for name, seconds in phases.items()]
    rows.append(["in process (import → last write)", _f(best.seconds)])
    rows.append(["process wall time (start → exit)", _f(best.wall)])
    cli = _demo_cli(repeat) if paths == _bundled() else None
    if cli is not None:
        rows.append(["`collate demo` command, start → exit", _f(cli)])
    notes = [
        f"{best.result['witnesses']} witnesses, {best.result['tokens']:,} tokens ({', '.join(p.name for p in paths)})",
        f"best of {repeat} fresh processes (by wall time); peak memory {best.peak_mb:,.0f} MB; "
        f"target < {DARWIN_SECONDS:g} s end to end",
    ]
    title = "Darwin, Origin ch. 1, six editions: TEI in → HTML + TEI + JSON out, one process"
    return table(title, ["phase", "seconds"], rows, notes=notes), best


def _ours_payload(witnesses: Sequence[Any], repeat: int, *, pairs: bool = False) -> dict[str, Any]:
    return {
        "texts": [w.text for w in witnesses],
        "sigla": [w.siglum for w in witnesses],
        "repeat": repeat,
        "budget": 120.0,
        "pairs": pairs,
    }


def corpus_words(tokens: Sequence[str]) -> int:
    return sum(1 for t in tokens if any(c.isalnum() for c in t))


def scaling(tokens: Sequence[str], sizes: Sequence[int], count: int, repeat: int, seed: int):
    distinct = corpus_words(tokens)
    rows = []
    runs: dict[int, Run] = {}
    previous: tuple[int, float] | None = None
    for words in sizes:
        witnesses = synthetic(tokens, words, count, ocr_noise(), seed=seed)
        # Every size is timed alike: a first call pays for the memory the process takes from the system, the
        # later ones reuse it, so a row of one call beside rows of the best of three would read as a cost that
        # grows faster than the text.
        run = isolated("ours", _ours_payload(witnesses, repeat), timeout=900)
        del witnesses
        runs[words] = run
        if not run.ok:
            rows.append([f"{words:,}", "—", "—", "—", "—", "—", "—", "—", "—", "", run.note])
            continue
        per_100k = run.seconds / words * 100_000
        growth = "" if previous is None else f"{run.seconds / previous[1]:.2f}× for {words / previous[0]:.1f}×"
        previous = (words, run.seconds)
        rows.append(
            [
                f"{words:,}",
                f"{run.result['tokens']:,}",
                _f(run.result["tokenise"]),
                _f(run.result["align"]),
                _f(run.seconds),
                _f(run.result.get("first")),
                str(run.runs),
                _f(per_100k),
                f"{run.peak_mb:,.0f}",
                growth,
                "" if words <= distinct else f"corpus read {words / distinct:.1f} times",
            ]
        )
    title = f"Scaling: words per witness × {count} witnesses, OCR-like noise (5%), text → alignment"
    headers = ["words", "tokens (all)", "tokenise s", "align s", "total s", "first call s", "runs", "s / 100k words",
               "peak MB", "time growth", "text"]
    notes = [
        f"best of {repeat} calls in one fresh process at every size (first call s: the first of them, which takes "
        "the process's memory from the system); peak memory is the process's (interpreter, imports and input "
        "texts included)",
        f"target at {LONG_WORDS:,} words: < {LONG_SECONDS:g} s, < {LONG_MB:g} MB; linear cost keeps "
        "s / 100k words flat; reference: a naive pairwise alignment against the first witness ~9 s, 310 MB",
        f"the sources hold {distinct:,} words; a longer passage reads them again, so its text repeats itself",
    ]
    return table(title, headers, rows, notes=notes), runs


def peer(
    tokens: Sequence[str],
    sizes: Sequence[int],
    counts: Sequence[int],
    *,
    repeat: int,
    seed: int,
    use_peer: bool,
    timeout: float,
    max_words: int,
    budget: float,
):
    from witnesses.plaintext import read_text
    from witnesses.synthetic import score, true_pairs

    missing = None if use_peer else "CollateX-Python not run (--no-peer)"
    missing = missing or collatex_available()
    rows = []
    notes = []
    results: dict[tuple[int, int], tuple[Run, Run | None]] = {}
    for count in counts:
        stopped: str | None = missing
        for words in sizes:
            witnesses = synthetic(tokens, words, count, ocr_noise(), seed=seed)
            truth = true_pairs(witnesses)
            ours = isolated("ours", _ours_payload(witnesses, repeat, pairs=True), timeout=600)
            ours_f1 = score(truth, {tuple(p) for p in ours.result["pairs"]})[2] if ours.ok else None
            theirs: Run | None = None
            theirs_f1 = None
            note = ""
            if stopped is None and words > max_words:
                stopped = f"above --peer-max-words {max_words:,}"
            if stopped is None:
                read = [read_text(w.text, w.siglum) for w in witnesses]
                theirs = isolated(
                    "collatex",
                    {"data": collatex_payload(read), "repeat": repeat, "budget": budget},
                    timeout=timeout,
                )
                if theirs.ok:
                    punct = [[t.punct for t in w.tokens] for w in read]
                    theirs_f1 = score(truth, pairs_from_cells(theirs.result["cells"], punct))[2]
                else:
                    note = theirs.note
                    stopped = f"after {words:,} words: {theirs.note}"
            else:
                note = "skipped"
            results[(count, words)] = (ours, theirs)
            speedup = (theirs.seconds / ours.seconds) if theirs and theirs.ok and ours.ok else None
            rows.append(
                [
                    f"{words:,} × {count}",
                    _f(ours.seconds, 4) if ours.ok else ours.note,
                    str(ours.runs),
                    _f(ours.peak_mb, 0),
                    _f(theirs.seconds, 2) if theirs and theirs.ok else "—",
                    str(theirs.runs) if theirs and theirs.ok else "—",
                    _f(theirs.peak_mb, 0) if theirs and theirs.ok else "—",
                    f"{speedup:,.0f}×" if speedup else "—",
                    _f(ours_f1, 4),
                    _f(theirs_f1, 4),
                    note,
                ]
            )
        if stopped and stopped != missing:
            notes.append(f"CollateX × {count}: skipped {stopped}")
    if missing:
        notes.append(missing)
    notes.append(
        "seconds: the call alone (ours: text → tokens → alignment; CollateX: pretokenized JSON → its JSON "
        "table), best of the runs shown, in a fresh process each; MB: that process's peak (interpreter included)"
    )
    notes.append(f"F1: word pairs of every two witnesses against the known truth; OCR-like noise 5%, seed {seed}")
    title = "Ours against CollateX-Python 2.3, same tokens (words per witness × witnesses)"
    headers = ["size", "ours s", "runs", "ours MB", "CollateX s", "runs", "CollateX MB", "speed-up", "ours F1",
               "CollateX F1", "note"]
    return table(title, headers, rows, notes=notes), results


def _k(words: int) -> str:
    return f"{words / 1000:g}k" if words >= 1000 else str(words)


def _verdict(ok: bool) -> str:
    return "met" if ok else "MISSED"


def targets(
    darwin_run: Run | None,
    scale: dict[int, Run],
    pairs: dict[tuple[int, int], tuple[Run, Run | None]],
    distinct: int,
    large: dict[int, Run] | None = None,
    hard: dict[str, Run] | None = None,
) -> str:
    rows = []
    if darwin_run is not None:
        rows.append(["Darwin six editions, end to end (process)", f"< {DARWIN_SECONDS:g} s", f"{darwin_run.wall:.2f} s",
                     _verdict(darwin_run.wall < DARWIN_SECONDS)])
    long = scale.get(LONG_WORDS)
    if long is not None and long.ok:
        rows.append([f"{LONG_WORDS:,} words × 5, time", f"< {LONG_SECONDS:g} s", f"{long.seconds:.2f} s",
                     _verdict(long.seconds < LONG_SECONDS)])
        rows.append([f"{LONG_WORDS:,} words × 5, peak memory", f"< {LONG_MB:g} MB", f"{long.peak_mb:,.0f} MB",
                     _verdict(long.peak_mb < LONG_MB)])
    name = _moves_case(LONG_WORDS)
    moves = (hard or {}).get(name)
    if moves is not None and moves.ok:
        rows.append([f"{name}, time", f"< {LONG_SECONDS:g} s", f"{moves.seconds:.2f} s",
                     _verdict(moves.seconds < LONG_SECONDS)])
        rows.append([f"{name}, peak memory", f"< {LONG_MB:g} MB", f"{moves.peak_mb:,.0f} MB",
                     _verdict(moves.peak_mb < LONG_MB)])
    ok_runs = sorted((w, r) for w, r in scale.items() if r.ok)
    within = [(w, r) for w, r in ok_runs if w <= distinct]
    for label, chosen in (("", ok_runs), (", text without repeats", within if len(within) < len(ok_runs) else [])):
        if len(chosen) >= 2:
            per = [r.seconds / w for w, r in chosen]
            spread = max(per) / min(per)
            sizes = f"{_k(chosen[0][0])}–{_k(chosen[-1][0])}"
            rows.append([f"cost linear in length, {sizes}{label} (s / word, max ÷ min)", "< 1.5", f"{spread:.2f}",
                         _verdict(spread < 1.5)])
    pair = pairs.get((2, PEER_WORDS))
    if pair is not None:
        ours, theirs = pair
        if theirs is not None and theirs.ok and ours.ok:
            speedup = theirs.seconds / ours.seconds
            rows.append([f"{PEER_WORDS:,} words × 2 against CollateX", f"≥ {PEER_SPEEDUP:g}×", f"{speedup:,.0f}×",
                         _verdict(speedup >= PEER_SPEEDUP)])
    big = (large or {}).get(TRADITION_WITNESSES)
    if big is not None and big.ok:
        seconds = big.result["tokenise"] + big.result["align"]
        rows.append([f"{TRADITION_WORDS:,} words × {TRADITION_WITNESSES:,}, time", f"< {TRADITION_SECONDS:g} s",
                     f"{seconds:.1f} s", _verdict(seconds < TRADITION_SECONDS)])
        rows.append([f"{TRADITION_WORDS:,} words × {TRADITION_WITNESSES:,}, peak memory", f"< {TRADITION_MB:,} MB",
                     f"{big.peak_mb:,.0f} MB", _verdict(big.peak_mb < TRADITION_MB)])
    if not rows:
        return ""
    return table("Targets", ["what", "target", "measured", ""], rows)


def adversarial(tokens: Sequence[str], quick: bool, seed: int, repeat: int) -> tuple[str, dict[str, Run]]:
    """Shapes that make a naive aligner quadratic or worse; each in a fresh process, best of one call."""
    import random

    from witnesses.synthetic import Noise

    rng = random.Random(seed)
    scale = 50 if quick else 1
    nothing = 400_000 // scale
    many, short = (100, 20) if quick else (2_000, 20)
    repeated = 1_000_000 // scale
    moved = LONG_WORDS // scale
    cases: list[tuple[str, list[str], list[str]]] = []
    a = " ".join(f"a{rng.randrange(50_000)}" for _ in range(nothing))
    b = " ".join(f"b{rng.randrange(50_000)}" for _ in range(nothing))
    cases.append((f"nothing in common, {nothing:,} words × 2", [a, b], ["A", "B"]))
    del a, b
    base = [f"w{rng.randrange(3_000)}" for _ in range(short)]
    texts = [" ".join(x if rng.random() > 0.05 else f"v{rng.randrange(100)}" for x in base) for _ in range(many)]
    cases.append((f"{many:,} short witnesses × {short} words", texts, [f"W{k:04d}" for k in range(many)]))
    cases.append((f"one word repeated, {repeated:,} × 2", ["the " * repeated, "the " * (repeated - 7)], ["A", "B"]))
    witnesses = synthetic(tokens, moved, 5, Noise(rate=0.05, moves_per_1000=3.0), seed=seed)
    cases.append((_moves_case(moved), [w.text for w in witnesses], [w.siglum for w in witnesses]))
    rows, runs = [], {}
    for name, texts, sigla in cases:
        # The target's case is the best of ``repeat`` calls, like the scaling rows; the others one call each.
        calls = repeat if name == _moves_case(moved) else 1
        run = isolated("ours", {"texts": texts, "sigla": sigla, "repeat": calls, "apparatus": True}, timeout=900)
        runs[name] = run
        if not run.ok:
            rows.append([name, "—", "—", "—", "—", "—", run.note])
            continue
        r = run.result
        rows.append([name, _f(r["tokenise"]), _f(r["align"]), _f(r.get("group")), _f(run.seconds),
                     f"{run.peak_mb:,.0f}", f"best of {run.runs}" if run.runs > 1 else ""])
    title = "Adversarial shapes: text → alignment → variant locations, one fresh process each"
    notes = [f"target for {LONG_WORDS // 1000}k words × 5 with 3 moves per 1,000: < {LONG_SECONDS:g} s and "
             f"< {LONG_MB:g} MB; the others should grow about linearly with their size (run with --quick for a "
             "fiftieth of each)"]
    return table(title, ["shape", "tokenise s", "align s", "group s", "total s", "peak MB", "note"], rows,
                 notes=notes), runs


def tradition(tokens: Sequence[str], counts: Sequence[int], words: int, seed: int) -> tuple[str, dict[int, Run]]:
    """Many witnesses of one passage (5% noise, a moved passage per 1,000 words, as in accuracy.py): the cost
    should grow about linearly with their number. One call each, in a fresh process."""
    from witnesses.synthetic import Noise

    rows, runs = [], {}
    for count in counts:
        witnesses = synthetic(tokens, words, count, Noise(rate=0.05, moves_per_1000=1.0), seed=seed)
        run = isolated("ours", {"texts": [w.text for w in witnesses], "sigla": [w.siglum for w in witnesses],
                                "repeat": 1}, timeout=1800)
        runs[count] = run
        if not run.ok:
            rows.append([f"{words:,} × {count:,}", "—", "—", "—", "—", "—", run.note])
            continue
        r = run.result
        total = r["tokenise"] + r["align"]
        rows.append([f"{words:,} × {count:,}", _f(r["tokenise"]), _f(r["align"]), _f(total),
                     f"{1000 * total / count:.0f}", f"{run.peak_mb:,.0f}", "not run: far too slow"])
    title = "Large traditions: words per witness × witnesses, text → alignment, one fresh process each"
    notes = [f"target for {TRADITION_WORDS:,} × {TRADITION_WITNESSES:,}: < {TRADITION_SECONDS:g} s and < {TRADITION_MB:,} MB, cost about "
             "linear in the number of witnesses",
             "CollateX-Python: not run (2,000 words × 3 take it 148–170 s; hundreds of witnesses are out of reach)"]
    headers = ["size", "tokenise s", "align s", "total s", "ms / witness", "peak MB", "CollateX"]
    return table(title, headers, rows, notes=notes), runs


def _sizes(text: str) -> list[int]:
    """``25000,50k,100_000`` → [25000, 50000, 100000]."""
    out = []
    for part in text.split(","):
        part = part.strip().replace("_", "").lower()
        if part:
            out.append(int(float(part[:-1]) * 1000) if part.endswith("k") else int(part))
    return out


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="*", type=Path, help="source texts for the synthetic witnesses")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared corpora (default ../shared)")
    parser.add_argument("--darwin", type=Path, nargs="+", help="Darwin witnesses (default: the bundled TEI)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one run each: checks the script works")
    parser.add_argument("--repeat", type=int, help="calls per timed run, the best kept (default 3; quick 1)")
    parser.add_argument("--sizes", type=_sizes, help="scaling sizes in words, comma-separated")
    parser.add_argument("--witnesses", type=int, default=5, help="witnesses in the scaling table (default 5)")
    parser.add_argument("--peer-sizes", type=_sizes, help="sizes for the CollateX table (default 250,500,1000,2000)")
    parser.add_argument("--peer-counts", type=_sizes, help="witness counts for the CollateX table (default 2,3)")
    parser.add_argument("--peer-timeout", type=float, default=240.0, help="seconds before a CollateX run is killed")
    parser.add_argument("--peer-max-words", type=int, default=2_000, help="largest size CollateX is run on")
    parser.add_argument("--peer-budget", type=float, default=20.0,
                        help="CollateX is called again while its calls stay within this many seconds")
    parser.add_argument("--no-peer", action="store_true", help="do not run CollateX-Python")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--skip", default="",
                        help="tables to leave out, comma-separated: darwin,scaling,peer,adversarial,tradition")
    parser.add_argument("--tradition", type=_sizes,
                        help="witness counts of the large-tradition table, 2,000 words each (default 200,1000)")
    args = parser.parse_args(argv)

    quick = args.quick
    repeat = args.repeat or (1 if quick else 3)
    sizes = args.sizes or ([1_000, 2_000, 4_000] if quick else [25_000, 50_000, 100_000, 200_000, 400_000])
    peer_sizes = args.peer_sizes or ([50, 100] if quick else [250, 500, 1_000, 2_000])
    peer_counts = args.peer_counts or [2, 3]
    skip = {s.strip() for s in args.skip.split(",") if s.strip()}
    sources = args.sources or default_sources(args.shared)

    started = time.perf_counter()
    from importlib.metadata import PackageNotFoundError, version

    try:
        peer_version = f"CollateX-Python {version('collatex')}"
    except PackageNotFoundError:
        peer_version = "CollateX-Python not installed"
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"engine benchmark — Python {platform.python_version()}, {peer_version}, {platform.machine()}, "
          f"{os.cpu_count()} CPUs, load average {load}, machine probe {machine_probe():.3f} s"
          f"{' (quick sizes)' if quick else ''}\n")
    sys.stdout.flush()

    darwin_run = None
    if "darwin" not in skip:
        text, darwin_run = darwin(_darwin_paths(args.shared), repeat)
        print(text)
        sys.stdout.flush()

    tokens = read_corpus(sources)
    print(f"sources: {len(sources)} texts, {corpus_words(tokens):,} words\n")
    scale: dict[int, Run] = {}
    if "scaling" not in skip:
        text, scale = scaling(tokens, sizes, args.witnesses, repeat, args.seed)
        print(text)
        sys.stdout.flush()

    pairs: dict[tuple[int, int], tuple[Run, Run | None]] = {}
    if "peer" not in skip:
        text, pairs = peer(
            tokens,
            peer_sizes,
            peer_counts,
            repeat=repeat,
            seed=args.seed,
            use_peer=not args.no_peer,
            timeout=args.peer_timeout,
            max_words=args.peer_max_words,
            budget=args.peer_budget,
        )
        print(text)
    hard: dict[str, Run] = {}
    if "adversarial" not in skip:
        text, hard = adversarial(tokens, quick, args.seed, repeat)
        print(text)
        sys.stdout.flush()
    large: dict[int, Run] = {}
    if "tradition" not in skip:
        counts = args.tradition or ([20, 40] if quick else [200, 1_000])
        text, large = tradition(tokens, counts, 200 if quick else TRADITION_WORDS, args.seed)
        print(text)
        sys.stdout.flush()
    print(targets(darwin_run, scale, pairs, corpus_words(tokens), {} if quick else large, {} if quick else hard))
    load = ", ".join(f"{x:.1f}" for x in os.getloadavg())
    print(f"whole run: {time.perf_counter() - started:.0f} s; load average at the end {load}")


if __name__ == "__main__":
    main()
