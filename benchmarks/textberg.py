"""Sentence alignment on the Text+Berg de–fr development set: strict and lax precision, recall, F1, and time.

Usage: python benchmarks/textberg.py [CORPUS_DIR] [--embedding MODEL_NAME] [--no-cv] [--sensitivity]

CORPUS_DIR (default ../shared/corpora/textberg-dev) holds ``dev.de`` and ``dev.fr`` (one sentence a line)
and ``dev.defr`` (gold links, one a line, ``[9, 10]:[9]``). The measure is the one Bleualign and Vecalign
report (Sennrich & Volk 2011; Vecalign's ``score.py``):

- strict: a test link counts only when the gold holds exactly that link;
- lax: a test link counts when it shares a source sentence with a gold link and one of that gold link's
  target sentences;
- precision is over every test link (omissions included), recall over the gold links that have sentences
  on both sides, scored the same way with test and gold swapped.

Reference figures on this set: Vecalign (LASER) 0.902 strict F1, Bertalign (LaBSE) 0.936. The default run
uses no model at all; its figure is on the set its constants were tuned on. The figure to quote is the
cross-validated one: the document is cut into four contiguous parts (by source sentence), the constants
(``weight``, ``absorb``, and the search's ``cross_tight``, the corridor's margin between two anchors
across languages) are chosen from a small grid on three parts and the fourth is scored with them, in
turn, the four held-out parts pooled into one precision, recall and F1. (The alignment itself always runs on
the whole document, as a user's would; only the choice of constants sees the gold, and never the part it is
scored on.) A plain Gale–Church aligner (lengths only, ``translations_en.gale_church``) runs on the same
sentences, each aligner timed in a fresh process with its peak memory. The texts are read as they are, one
sentence a line, never re-segmented, so that indices match the gold links; the set is one document, scored as
one. Also printed: the longest run of consecutive sentences left unlinked whose gold link has sentences on both
sides (content the other text has). Of the 381 gold links with sentences on both sides, six are wider than any link shape (1-5, 3-3, 2-5,
4-3) and four cannot be produced by a monotone aligner at all (a crossing pair, two links that skip a line).
``--embedding`` runs the optional embedding scorer with a locally installed
sentence-transformers model (nothing is downloaded by this script). ``--sensitivity`` also reports the
strict F1 with the lexical weight, and with the omission rates the second pass estimates from the first,
each set 20% and 10% below and above: a result that holds only at the defaults is a peak, not a method.
(The cost of an unlinked sentence is no constant of its own: half the weight plus the omission log-odds.
Fixed by hand at 9.0, ``LexicalScorer(skip=9.0)``, it gives the earlier 0.8995, and 0.876 / 0.890 at ±10%.)
"""

from __future__ import annotations

import argparse
import json
import math
import sys
import time
from collections import defaultdict
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from collate.translate import score as translate  # noqa: E402
from collate.translate.align import align_sentences  # noqa: E402
from collate.translate.model import Link, Options, Text  # noqa: E402
from collate.translate.score import EmbeddingScorer, LexicalScorer  # noqa: E402

Pair = tuple[tuple[int, ...], tuple[int, ...]]


def read_gold(path: Path) -> list[Pair]:
    links = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if not line.strip():
            continue
        left, right = line.split(":")
        links.append((tuple(json.loads(left)), tuple(json.loads(right))))
    return links


def _counts(gold: list[Pair], test: list[Pair]) -> tuple[int, int, int, int]:
    """True/false positives, strict and lax, of ``test`` against ``gold``."""
    gold_set = {g for g in gold if g[0] or g[1]}
    reach: dict[int, set[int]] = defaultdict(set)
    for src, tgt in gold_set:
        for s in src:
            reach[s].update(tgt)
    tp_strict = fp_strict = tp_lax = fp_lax = 0
    for link in {t for t in test if t[0] or t[1]}:
        if link in gold_set:
            tp_strict += 1
            tp_lax += 1
            continue
        fp_strict += 1
        targets = set().union(*(reach[s] for s in link[0])) if link[0] else set()
        if targets & set(link[1]):
            tp_lax += 1
        else:
            fp_lax += 1
    return tp_strict, fp_strict, tp_lax, fp_lax


def score(gold: list[Pair], test: list[Pair]) -> dict[str, float]:
    tp_s, fp_s, tp_l, fp_l = _counts(gold, test)
    both = [g for g in gold if g[0] and g[1]]
    found = [t for t in test if t[0] and t[1]]
    rtp_s, rfn_s, rtp_l, rfn_l = _counts(found, both)

    def ratio(a: int, b: int) -> float:
        return a / (a + b) if a + b else 0.0

    def f1(p: float, r: float) -> float:
        return 2 * p * r / (p + r) if p + r else 0.0

    p_s, p_l = ratio(tp_s, fp_s), ratio(tp_l, fp_l)
    r_s, r_l = ratio(rtp_s, rfn_s), ratio(rtp_l, rfn_l)
    return {
        "precision_strict": p_s,
        "recall_strict": r_s,
        "f1_strict": f1(p_s, r_s),
        "precision_lax": p_l,
        "recall_lax": r_l,
        "f1_lax": f1(p_l, r_l),
    }


def unlinked_run(gold: list[Pair], test: list[Pair]) -> int:
    """The longest run of consecutive one-sided test links whose sentence the gold links to a sentence of
    the other text: content the other text has, left unlinked."""
    paired_a = {s for src, tgt in gold if src and tgt for s in src}
    paired_b = {t for src, tgt in gold if src and tgt for t in tgt}
    longest = run = 0
    for src, tgt in test:
        lone = (src and not tgt and src[0] in paired_a) or (tgt and not src and tgt[0] in paired_b)
        run = run + 1 if lone else 0
        longest = max(longest, run)
    return longest


def _fold_of(link: Pair, na: int, nb: int, folds: int) -> int:
    """Which of ``folds`` contiguous parts of the source a link falls in (a target-only link by where its
    target sentence stands, scaled to the source)."""
    position = link[0][0] if link[0] else link[1][0] * na / max(nb, 1)
    return min(folds - 1, int(position * folds // max(na, 1)))


def fold_counts(gold: list[Pair], test: list[Pair], fold: int, na: int, nb: int, folds: int = 4) -> list[int]:
    """Strict true/false positives of precision and of recall, for the links of one part."""
    g = [x for x in gold if _fold_of(x, na, nb, folds) == fold]
    t = [x for x in test if _fold_of(x, na, nb, folds) == fold]
    tp, fp, _, _ = _counts(g, t)
    rtp, rfn, _, _ = _counts([x for x in t if x[0] and x[1]], [x for x in g if x[0] and x[1]])
    return [tp, fp, rtp, rfn]


def pooled_f1(counts: list[list[int]]) -> tuple[float, float, float]:
    tp, fp, rtp, rfn = (sum(c[k] for c in counts) for k in range(4))
    p = tp / (tp + fp) if tp + fp else 0.0
    r = rtp / (rtp + rfn) if rtp + rfn else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0)


GRID = {"weight": (9.0, 12.0, 15.0), "absorb": (0.35, 0.5, 0.65), "cross_tight": (2, 4, 8)}
# Which constants are the search's (``Options``) rather than the scorer's (``LexicalScorer``).
SEARCH = {"cross_tight", "widest"}


def configured(setting: dict[str, float]) -> tuple[LexicalScorer, Options]:
    """The scorer and the search options of one grid point."""
    scorer = LexicalScorer(**{k: v for k, v in setting.items() if k not in SEARCH})
    options = Options(**{k: int(v) for k, v in setting.items() if k in SEARCH})
    return scorer, options


def cross_validate(source: Text, target: Text, gold: list[Pair], folds: int = 4) -> None:
    """Four contiguous parts: constants chosen on three (pooled strict F1 to three decimals; ties to the
    middle of the grid), the fourth scored with them; the held-out parts pooled."""
    import itertools

    names = list(GRID)
    points = list(itertools.product(*GRID.values()))
    na, nb = len(source), len(target)
    counts: dict[tuple[float, ...], list[list[int]]] = {}
    for point in points:
        scorer, options = configured(dict(zip(names, point)))
        links = align_sentences(source, target, scorer=scorer, options=options)
        test = [(link.source, link.target) for link in links]
        counts[point] = [fold_counts(gold, test, k, na, nb, folds) for k in range(folds)]

    def centre(point: tuple[float, ...]) -> float:
        return -sum(abs(GRID[n].index(v) - (len(GRID[n]) - 1) / 2) for n, v in zip(names, point))

    held: list[list[int]] = []
    print(f"cross-validation: {folds} contiguous parts; grid " + ", ".join(f"{n} {GRID[n]}" for n in names))
    for k in range(folds):
        train = [j for j in range(folds) if j != k]
        # F1 to three decimals (a smaller difference is a link or two), ties to the middle of the grid.
        chosen = max(points, key=lambda p: (round(pooled_f1([counts[p][j] for j in train])[2], 3), centre(p)))
        held.append(counts[chosen][k])
        f_held = pooled_f1([counts[chosen][k]])[2]
        f_train = pooled_f1([counts[chosen][j] for j in train])[2]
        setting = ", ".join(f"{n}={v:g}" for n, v in zip(names, chosen))
        print(f"  part {k + 1}: chosen {setting} (F1 {f_train:.3f} on the other parts); held-out strict F1 {f_held:.3f}")
    p, r, f = pooled_f1(held)
    print(f"  held-out, pooled: strict precision {p:.3f}, recall {r:.3f}, F1 {f:.3f}  (goal ≥ 0.90)")


def _job(argv: Sequence[str]) -> None:
    """``--job ours|gc CORPUS OUT``: one aligner on the development set in this fresh process."""
    from measure import _status_mb
    from translations_en import gale_church

    which, corpus, out = argv
    source = Text(read_sentences(Path(corpus) / "dev.de"))
    target = Text(read_sentences(Path(corpus) / "dev.fr"))
    started = time.perf_counter()
    if which == "ours":
        test = [(link.source, link.target) for link in align_sentences(source, target)]
    else:
        chars = [[sum(1 for c in s if not c.isspace()) for s in t.sentences] for t in (source, target)]
        test = gale_church(chars[0], chars[1])
    seconds = time.perf_counter() - started
    Path(out).write_text(json.dumps({"links": test, "seconds": seconds, "peak_mb": _status_mb("VmHWM")}))


def side_by_side(corpus: Path, gold: list[Pair]) -> None:
    import subprocess
    import tempfile

    print("side by side, each in a fresh process (time of the alignment call; peak memory of the process):")
    for which, name in (("ours", "ours (no model)"), ("gc", "Gale–Church (lengths only)")):
        with tempfile.TemporaryDirectory() as tmp:
            out = Path(tmp) / "out.json"
            done = subprocess.run(
                [sys.executable, __file__, "--job", which, str(corpus), str(out)], capture_output=True, text=True
            )
            if done.returncode != 0:
                print(f"  {name}: failed: {done.stderr.strip().splitlines()[-1:]}")
                continue
            result = json.loads(out.read_text())
        test = [(tuple(a), tuple(b)) for a, b in result["links"]]
        f = score(gold, test)
        print(
            f"  {name:28} strict F1 {f['f1_strict']:.3f}  lax F1 {f['f1_lax']:.3f}  "
            f"{result['seconds']:.2f} s  {result['peak_mb']:.0f} MB"
        )


def read_sentences(path: Path) -> tuple[str, ...]:
    # One sentence a line, kept whole (empty lines included) so that indices match the gold links.
    return tuple(path.read_text(encoding="utf-8").split("\n")[:-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("corpus", nargs="?", default=str(ROOT.parent / "shared" / "corpora" / "textberg-dev"))
    parser.add_argument("--embedding", help="a sentence-transformers model already installed locally")
    parser.add_argument("--repeat", type=int, default=3, help="timed runs (the best is reported)")
    parser.add_argument(
        "--sensitivity", action="store_true", help="strict F1 with the weight and the omission rates ±10%% and ±20%%"
    )
    parser.add_argument("--no-cv", action="store_true", help="skip the four-part cross-validation")
    args = parser.parse_args()
    corpus = Path(args.corpus)
    source = Text(read_sentences(corpus / "dev.de"))
    target = Text(read_sentences(corpus / "dev.fr"))
    gold = read_gold(corpus / "dev.defr")

    scorer = None
    if args.embedding:
        from sentence_transformers import SentenceTransformer  # optional; only when asked for

        model = SentenceTransformer(args.embedding, local_files_only=True)
        scorer = EmbeddingScorer(lambda texts: model.encode(texts))

    best = float("inf")
    links: tuple[Link, ...] = ()
    for _ in range(max(1, args.repeat)):
        started = time.perf_counter()
        links = align_sentences(source, target, scorer=scorer)
        best = min(best, time.perf_counter() - started)
    test = [(link.source, link.target) for link in links]
    figures = score(gold, test)
    shapes: dict[str, int] = defaultdict(int)
    for src, tgt in test:
        shapes[f"{len(src)}-{len(tgt)}"] += 1
    print(f"Text+Berg dev (de–fr): {len(source)} × {len(target)} sentences, {len(gold)} gold links")
    print(f"scorer: {'embedding ' + args.embedding if args.embedding else 'model-free (lexical)'}; default constants")
    print("             strict    lax")
    print(f"precision    {figures['precision_strict']:.3f}   {figures['precision_lax']:.3f}")
    print(f"recall       {figures['recall_strict']:.3f}   {figures['recall_lax']:.3f}")
    print(f"F1           {figures['f1_strict']:.3f}   {figures['f1_lax']:.3f}")
    print(f"time         {best:.3f} s (best of {max(1, args.repeat)})")
    print("link shapes  " + ", ".join(f"{k}: {v}" for k, v in sorted(shapes.items())))
    print(f"unlinked     longest run of unlinked sentences the other text has (gold): {unlinked_run(gold, test)}")
    print("reference    Vecalign (LASER) 0.902 strict F1; Bertalign (LaBSE) 0.936; target ≥ 0.90, < 2 s")
    if not args.embedding:
        side_by_side(corpus, gold)
    if not args.no_cv and not args.embedding:
        cross_validate(source, target, gold)
    if args.sensitivity:
        sensitivity(source, target, gold)


def sensitivity(source: Text, target: Text, gold: list[Pair]) -> None:
    """Strict F1 with the lexical weight, and with the omission rates the second pass estimates from the
    first, each set 20% and 10% below and above what the defaults give. The cost of an unlinked sentence is
    not a constant of its own (it is half the weight plus the omission log-odds), so it moves with either."""
    print("sensitivity  strict F1 at ×0.8, ×0.9, ×1.1, ×1.2 of each quantity")
    factors = (0.8, 0.9, 1.1, 1.2)
    weight = LexicalScorer().weight
    found = []
    for factor in factors:
        links = align_sentences(source, target, scorer=LexicalScorer(weight=weight * factor))
        found.append(score(gold, [(link.source, link.target) for link in links])["f1_strict"])
    print("  weight     " + "  ".join(f"{f:.3f}" for f in found))
    estimate = translate._omission_costs
    found = []
    for factor in factors:
        # An omission rate ×factor is its cost (−log of the rate) less log(factor), on each side.
        def scaled(links: Sequence[tuple[int, int, int, int]], factor: float = factor) -> tuple[float, float]:
            a, b = estimate(links)
            return a - math.log(factor), b - math.log(factor)

        translate._omission_costs = scaled
        try:
            links = align_sentences(source, target)
        finally:
            translate._omission_costs = estimate
        found.append(score(gold, [(link.source, link.target) for link in links])["f1_strict"])
    print("  omissions  " + "  ".join(f"{f:.3f}" for f in found))


if __name__ == "__main__":
    if len(sys.argv) > 1 and sys.argv[1] == "--job":
        sys.path.insert(0, str(Path(__file__).resolve().parent))
        _job(sys.argv[2:])
    else:
        main()
