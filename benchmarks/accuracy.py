"""Alignment accuracy against a known truth, ours next to CollateX-Python's, at 2, 5, 10 and 20% noise.

Usage: python benchmarks/accuracy.py [SOURCE.txt ...] [--shared DIR] [--seeds N] [--quick] [--no-peer] [options]

Each case is a passage of the source texts (a different one per seed) copied into N witnesses, every one
of them noisy (``witnesses.synthetic``: OCR confusions, split words, lost and extra words, punctuation and
case changes, an editor's other word, and passages moved 10–50 words away, by default 1 per 1,000 words of
each witness, ``--moves``: the rate at which CollateX-Python scores here what it scores in the reference
below, 0.990 on 1,000 words × 3; ``--moves 2`` is a harder test). The truth is the set of word pairs, over every two witnesses, that descend from
one original word; an alignment is scored on the pairs it puts in one column or links across a
transposition (punctuation left out).
Precision, recall and F1 are averaged over the seeds; the lowest F1 is shown too.

Both engines get the same tokens (CollateX-Python as pretokenized JSON, unsegmented); the k-th token of
a witness's row in CollateX's table is that witness's token k, which the script checks. CollateX runs in a
fresh process with a timeout; a case that passes it stops that size for the remaining levels (a note says
so). Default sizes: ours on 10,000 words × 5 and on 1,000 words × 3; CollateX on 1,000 words × 3 (about as
large as it finishes in reasonable time with three witnesses).

A large tradition (``--tradition``, default 200 witnesses × 2,000 words at 5% noise; ``--tradition none`` leaves
it out) is scored on a fixed random sample of ``--pairs`` witness pairs (2,000 by default; every pair when there
are fewer): its 19,900 pairs of witnesses hold some 40 million pairs of words. CollateX-Python is not run on it:
2,000 words × 3 already take it 148–170 s, and its cost grows with every witness.
"""

from __future__ import annotations

import argparse
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from statistics import mean
from typing import Sequence

sys.path.insert(0, str(Path(__file__).resolve().parent))

from measure import (  # noqa: E402
    SHARED,
    collatex_available,
    collatex_payload,
    default_sources,
    isolated,
    pairs_from_cells,
    read_corpus,
    synthetic,
    table,
)

TARGET_NOISE, TARGET_F1 = 0.05, 0.998
TRADITION_NOISE, TRADITION_F1 = 0.05, 0.99
REFERENCE = "CollateX-Python 0.990 on 1,000 words × 3 at 5% with a move; naive pairwise 0.994"


@dataclass(frozen=True, slots=True)
class Size:
    words: int
    witnesses: int

    def __str__(self) -> str:
        return f"{self.words:,} × {self.witnesses}"


def _size(text: str) -> Size:
    words, _, count = text.lower().partition("x")
    return Size(int(words.replace("_", "").replace(",", "")), int(count))


def _sizes(text: str) -> list[Size]:
    return [_size(part) for part in text.split(",") if part.strip()]


def _levels(text: str) -> list[float]:
    return [float(p) / 100 for p in text.split(",") if p.strip()]


@dataclass(frozen=True, slots=True)
class Scores:
    precision: list[float]
    recall: list[float]
    f1: list[float]

    def add(self, figures: tuple[float, float, float]) -> None:
        self.precision.append(figures[0])
        self.recall.append(figures[1])
        self.f1.append(figures[2])


def _start(seed: int, corpus: int) -> int:
    # A different passage for each seed, spread over the corpus.
    return (seed * 15_013) % corpus


def main(argv: Sequence[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("sources", nargs="*", type=Path, help="source texts for the synthetic witnesses")
    parser.add_argument("--shared", type=Path, default=SHARED, help="the shared corpora (default ../shared)")
    parser.add_argument("--quick", action="store_true", help="tiny sizes, one seed: checks the script works")
    parser.add_argument("--seeds", type=int, help="cases per size and level (default 3; quick 1)")
    parser.add_argument("--levels", type=_levels, help="noise levels in percent (default 2,5,10,20)")
    parser.add_argument("--sizes", type=_sizes, help="our sizes, WORDSxWITNESSES (default 10000x5,1000x3)")
    parser.add_argument("--peer-sizes", type=_sizes, help="CollateX's sizes (default 1000x3); ours runs them too")
    parser.add_argument("--peer-timeout", type=float, default=300.0, help="seconds before a CollateX run is killed")
    parser.add_argument("--moves", type=float, default=1.0,
                        help="moved passages per 1,000 words of each witness (default 1)")
    parser.add_argument("--no-peer", action="store_true", help="do not run CollateX-Python")
    parser.add_argument("--tradition", help="the large tradition, WORDSxWITNESSES (default 2000x200; quick "
                        "200x30; none: left out)")
    parser.add_argument("--pairs", type=int, default=2_000, help="witness pairs sampled in the large tradition")
    parser.add_argument("--tradition-noise", type=float, default=5.0, help="its noise in percent (default 5)")
    args = parser.parse_args(argv)

    from collate.engine.graph import Options, align_witnesses
    from witnesses.plaintext import read_text
    from witnesses.synthetic import Noise, predicted_pairs, score, score_sample, true_pairs

    quick = args.quick
    seeds = args.seeds or (1 if quick else 3)
    levels = args.levels or [0.02, 0.05, 0.10, 0.20]
    ours_sizes = args.sizes or ([Size(400, 4), Size(100, 3)] if quick else [Size(10_000, 5), Size(1_000, 3)])
    peer_sizes = args.peer_sizes or ([Size(100, 3)] if quick else [Size(1_000, 3)])
    missing = "CollateX-Python not run (--no-peer)" if args.no_peer else collatex_available()
    if missing:
        peer_sizes = []
    sizes = list(dict.fromkeys([*ours_sizes, *peer_sizes]))
    tokens = read_corpus(args.sources or default_sources(args.shared))

    started = time.perf_counter()
    print(f"accuracy benchmark — {seeds} seed(s) per case{' (quick sizes)' if quick else ''}\n")
    sys.stdout.flush()
    results: dict[tuple[float, Size, str], Scores] = {}
    stopped: dict[Size, str] = {}
    for level in levels:
        noise = Noise(rate=level, moves_per_1000=args.moves)
        for size in sizes:
            ours = Scores([], [], [])
            theirs = Scores([], [], [])
            for seed in range(1, seeds + 1):
                synth = synthetic(tokens, size.words, size.witnesses, noise, seed=seed,
                                  start=_start(seed, len(tokens)))
                truth = true_pairs(synth)
                read = [read_text(w.text, w.siglum) for w in synth]
                ours.add(score(truth, predicted_pairs(align_witnesses(read, Options()))))
                if size not in peer_sizes or size in stopped:
                    continue
                run = isolated("collatex", {"data": collatex_payload(read), "repeat": 1}, timeout=args.peer_timeout)
                if not run.ok:
                    stopped[size] = f"at {level:.0%}, seed {seed}: {run.note}"
                    continue
                punct = [[t.punct for t in w.tokens] for w in read]
                theirs.add(score(truth, pairs_from_cells(run.result["cells"], punct)))
            results[(level, size, "ours")] = ours
            if theirs.f1:
                results[(level, size, "CollateX")] = theirs

    rows = []
    for level in levels:
        for size in sizes:
            for engine in ("ours", "CollateX"):
                s = results.get((level, size, engine))
                if s is None:
                    continue
                rows.append(
                    [
                        f"{level:.0%}",
                        str(size),
                        engine,
                        str(len(s.f1)),
                        f"{mean(s.precision):.4f}",
                        f"{mean(s.recall):.4f}",
                        f"{mean(s.f1):.4f}",
                        f"{min(s.f1):.4f}",
                    ]
                )
    notes = [
        f"size: words per witness × witnesses; every witness noisy, {args.moves:g} moved passages per 1,000 words",
        f"reference: {REFERENCE}",
    ]
    notes += [f"CollateX {size}: stopped {why}" for size, why in stopped.items()]
    if missing:
        notes.append(missing)
    title = "Alignment accuracy: word pairs of every two witnesses against the known truth"
    headers = ["noise", "size", "engine", "seeds", "precision", "recall", "F1 mean", "F1 min"]
    print(table(title, headers, rows, notes=notes))

    tradition = None if args.tradition == "none" else _size(args.tradition or ("200x30" if quick else "2000x200"))
    tradition_rows = []
    for seed in range(1, seeds + 1) if tradition else ():
        noise = Noise(rate=args.tradition_noise / 100, moves_per_1000=args.moves)
        synth = synthetic(tokens, tradition.words, tradition.witnesses, noise, seed=seed,
                          start=_start(seed, len(tokens)))
        read = [read_text(w.text, w.siglum) for w in synth]
        began = time.perf_counter()
        alignment = align_witnesses(read, Options())
        seconds = time.perf_counter() - began
        precision, recall, f1, pairs = score_sample(synth, alignment, args.pairs, seed=seed)
        tradition_rows.append([str(seed), f"{pairs:,}", f"{precision:.4f}", f"{recall:.4f}", f"{f1:.4f}",
                               f"{seconds:.1f}", "not run: far too slow"])
        sys.stdout.flush()
    if tradition_rows:
        title = (f"Large tradition: {tradition}, {args.tradition_noise:g}% noise, {args.moves:g} moved passages per "
                 "1,000 words, sampled witness pairs")
        notes = [f"each seed scores up to {args.pairs:,} witness pairs drawn at random (fixed by the seed), all their words",
                 "CollateX-Python: not run (2,000 words × 3 take it 148–170 s; hundreds of witnesses are out of reach)"]
        print(table(title, ["seed", "pairs", "precision", "recall", "F1", "align s", "CollateX"], tradition_rows,
                    notes=notes))
        results[(TRADITION_NOISE, tradition, "ours")] = Scores(
            [float(r[2]) for r in tradition_rows], [float(r[3]) for r in tradition_rows],
            [float(r[4]) for r in tradition_rows])

    target_rows = []
    for size in sizes:
        s = results.get((TARGET_NOISE, size, "ours"))
        if s is not None:
            value = mean(s.f1)
            target_rows.append([f"F1 at {TARGET_NOISE:.0%} noise, {size}", f"≥ {TARGET_F1}", f"{value:.4f}",
                                "met" if value >= TARGET_F1 else "MISSED"])
    s = results.get((TRADITION_NOISE, tradition, "ours")) if tradition else None
    if s is not None and args.tradition_noise / 100 == TRADITION_NOISE:
        value = mean(s.f1)
        target_rows.append([f"F1 at {TRADITION_NOISE:.0%} noise, {tradition} (sampled pairs)", f"≥ {TRADITION_F1}",
                            f"{value:.4f}", "met" if value >= TRADITION_F1 else "MISSED"])
    if target_rows:
        print(table("Targets", ["what", "target", "measured (mean)", ""], target_rows))
    print(f"whole run: {time.perf_counter() - started:.0f} s")


if __name__ == "__main__":
    main()
