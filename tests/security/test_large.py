"""A witness of a million words, collated against a noisy copy: the run completes, within a generous time
and memory bound, and every token of both witnesses is in the table once and in order.

The text is made here, not read from a corpus: pseudo-words drawn with Zipf's law from a 60,000-word
vocabulary (so, as in a real book, common words repeat endlessly and rare ones occur once), or drawn
evenly from 5,000 words (no word is rare enough to anchor on: a register, a table, a word list), and a copy
with 5 % noise: dropped words, inserted words, garbled words. Timing targets live in benchmarks/; the
bound here only says that the run neither hangs nor swells (about 20–40 s and 1.3 GB here).
"""

import csv
import itertools
import random

import pytest

from collate.engine.tokens import split

from .helpers import bounded

WORDS = 1_000_000


def texts(kind: str) -> tuple[str, str]:
    rng = random.Random(1859)
    letters = "abcdefghijklmnopqrstuvwxyz"
    size = 60_000 if kind == "zipf" else 5_000
    vocabulary = ["".join(rng.choice(letters) for _ in range(rng.randint(1, 10))) for _ in range(size)]
    if kind == "zipf":
        weights = list(itertools.accumulate(1 / (k + 1) for k in range(len(vocabulary))))
        original = rng.choices(vocabulary, cum_weights=weights, k=WORDS)
    else:
        original = rng.choices(vocabulary, k=WORDS)
    noisy = []
    for word in original:
        roll = rng.random()
        if roll < 0.01:
            continue  # dropped
        if roll < 0.02:
            noisy.extend([word, rng.choice(vocabulary)])  # a word inserted after it
        elif roll < 0.05:
            noisy.append(word[::-1] + "x")  # garbled
        else:
            noisy.append(word)
    # Line breaks and punctuation now and then, as in a book.
    return " ".join(original), "\n".join(" ".join(noisy[k : k + 12]) + "." for k in range(0, len(noisy), 12))


@pytest.mark.slow
@pytest.mark.parametrize("kind", ["zipf", "small-vocabulary"])
def test_a_million_word_witness_against_a_noisy_copy(tmp_path, kind):
    original, noisy = texts(kind)
    (tmp_path / "A.txt").write_text(original, encoding="utf-8")
    (tmp_path / "B.txt").write_text(noisy, encoding="utf-8")
    done = bounded("align", "A.txt", "B.txt", "-o", "out.csv", cwd=tmp_path, memory=4 << 30, timeout=900)
    assert done.exit_code == 0, done.stderr[-2000:]
    expected = {"A": [s.text for s in split(original)], "B": [s.text for s in split(noisy)]}
    assert len(expected["A"]) == WORDS
    found: dict[str, list[str]] = {"A": [], "B": []}
    agreeing = 0
    with open(tmp_path / "out.csv", encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle)
        assert next(rows) == ["column", "A", "B", "variant", "type"]
        for row in rows:
            a, b = row[1], row[2]
            if a:
                found["A"].append(a)
            if b:
                found["B"].append(b)
            agreeing += a == b != ""
    assert found == expected
    # Nineteen words in twenty are untouched: the alignment must find nearly all of them.
    assert agreeing >= 0.94 * WORDS
