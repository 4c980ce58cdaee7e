"""Synthetic witnesses and their scoring."""

import random

from collate.engine.graph import Options, align_witnesses
from witnesses.synthetic import Noise, make_witnesses, predicted_pairs, score, score_sample, true_pairs

from tests.collate.engine.helpers import witness


def _case(count: int):
    rng = random.Random(3)
    original = [rng.choice(["the", "a", "of", ","] + [f"w{k}" for k in range(60)]) for _ in range(120)]
    copies = make_witnesses(original, count, Noise(rate=0.1, moves_per_1000=10), seed=2)
    return copies, align_witnesses([witness(w.siglum, w.text) for w in copies], Options())


def test_a_sample_of_every_pair_scores_as_the_whole_truth():
    copies, alignment = _case(8)
    precision, recall, f1, pairs = score_sample(copies, alignment, 100)
    assert pairs == 28
    assert (precision, recall, f1) == score(true_pairs(copies), predicted_pairs(alignment))
    assert f1 < 1.0  # 10% noise and moves: the case is not trivially perfect


def test_a_sample_is_fixed_by_its_seed_and_scores_only_its_pairs():
    copies, alignment = _case(8)
    first = score_sample(copies, alignment, 5, seed=4)
    assert first == score_sample(copies, alignment, 5, seed=4)
    assert first[3] == 5
    # Another seed draws other pairs, with other figures.
    others = {score_sample(copies, alignment, 5, seed=s)[:3] for s in range(6)}
    assert len(others) > 1
