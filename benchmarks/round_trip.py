"""The TEI round trip on real editions: collate → TEI (each encoding) → import gives the same table.

Usage: python benchmarks/round_trip.py [--shared DIR] [--random N]

For the shared Frankenstein units (C15, C24), Severianus, *De sigillis* (the edited text as base) and the
bundled Darwin editions, each apparatus is written in parallel segmentation, double end-point and
location-referenced encoding and read back. The table gives, per unit and encoding, the witnesses whose
tokens come back word for word, whether every column of the table comes back, whether the entries (their
columns and readings) come back, and the seconds the import took.

A second table does the same for ``--random`` collations of random witnesses (fixed seeds: 2 to 8 witnesses of
up to 60 words and marks drawn from 14, so that the text repeats itself and witnesses start, stop and rewrite
anywhere): per encoding, how many read back with every witness's words, every column and every entry.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from editions import _sigla, units  # noqa: E402
from measure import SHARED, table  # noqa: E402

ENCODINGS = ("parallel-segmentation", "double-end-point", "location-referenced")


def _entries(apparatus) -> list[tuple]:
    """Each entry's columns, kind and readings (witnesses, type, each witness's words). Words, not the
    reading's text: parallel segmentation has one run of whitespace between two entries for all witnesses,
    so a witness may read back with its spacing changed (``mingled , flows``), never its words."""
    return [
        (
            e.start,
            e.end,
            e.span,
            e.type,
            tuple((r.sigla, r.type, tuple(tuple(t.text for t in ts) for ts in r.tokens)) for r in e.all_readings),
        )
        for e in apparatus.entries
    ]


def check(apparatus, encoding: str, *, quiet: bool = False) -> list[str]:
    from tei.importer import import_apparatus
    from tei.writer import render

    from collate.errors import InputError

    data = render(apparatus, encoding=encoding).encode()
    start = time.perf_counter()
    try:
        back = import_apparatus(data, path=f"apparatus-{encoding}.xml", notes=[].append)
    except InputError as error:
        if not quiet:
            print(f"  {encoding}: {error}", file=sys.stderr)
        return ["refused", "-", "-", "-"]
    seconds = time.perf_counter() - start
    same = sum(
        [t.text for t in a.tokens] == [t.text for t in b.tokens] for a, b in zip(apparatus.witnesses, back.witnesses)
    )
    return [
        f"{same}/{len(apparatus.witnesses)}",
        "yes" if back.alignment.columns == apparatus.alignment.columns else "no",
        "yes" if _entries(back) == _entries(apparatus) else "no",
        f"{seconds:.1f}",
    ]


RANDOM_WORDS = ("the", "cat", "black", "sat", "on", "mat", "a", "The", "tbe", ",", ".", ";", "Ἐν", "naïve")


def random_witnesses(seed: int) -> list[str]:
    import random

    rng = random.Random(seed)
    return [" ".join(rng.choice(RANDOM_WORDS) for _ in range(rng.randrange(0, 61))) for _ in range(rng.randrange(2, 9))]


def random_rows(count: int) -> list[list[str]]:
    import collate
    from witnesses.plaintext import read_text

    apparatuses = []
    for seed in range(count):
        texts = random_witnesses(seed)
        if any(texts):
            apparatuses.append(collate.collate([read_text(t, f"W{k}") for k, t in enumerate(texts)]))
    rows = []
    for encoding in ENCODINGS:
        words = columns = entries = refused = 0
        for apparatus in apparatuses:
            words_back, columns_back, entries_back, _ = check(apparatus, encoding, quiet=True)
            refused += words_back == "refused"
            words += words_back == f"{len(apparatus.witnesses)}/{len(apparatus.witnesses)}"
            columns += columns_back == "yes"
            entries += entries_back == "yes"
        n = len(apparatuses)
        rows.append([encoding, f"{words}/{n}", f"{columns}/{n}", f"{entries}/{n}", str(refused)])
    return rows


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--shared", type=Path, default=SHARED)
    parser.add_argument("--random", type=int, default=300, metavar="N", help="random collations to read back (default 300)")
    args = parser.parse_args(argv)
    import collate
    from witnesses import sample_paths

    found = units(args.shared)
    rows = []
    for name, paths, _ in [("Darwin (6)", sample_paths(), None), *found]:
        sigla = None if name.startswith("Darwin") else _sigla(paths)
        witnesses = collate.load(paths, sigla=sigla)
        apparatus = collate.collate(witnesses, base=witnesses[0].siglum if sigla else "1860")
        for encoding in ENCODINGS:
            rows.append([name, encoding, *check(apparatus, encoding)])
    print(table("Collate → TEI → import, per encoding", ["unit", "encoding", "witnesses word for word", "columns", "entries", "import s"], rows))
    if not found:
        print(f"(no shared corpora under {args.shared}: the bundled Darwin editions only)")
    if args.random:
        headers = ["encoding", "every witness word for word", "columns", "entries", "refused"]
        print()
        print(table(f"Random witnesses: {args.random} collations → TEI → import", headers, random_rows(args.random)))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
