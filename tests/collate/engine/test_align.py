"""Alignment cases, many of them CollateX's classic ones, with the alignment a critic would give."""

import itertools
from pathlib import Path

import pytest

from collate.engine.graph import Options, align_witnesses
from collate.engine.model import Witness
from collate.engine.variants import build_apparatus
from collate.errors import UsageError

from .helpers import rows, table, witness


def test_substitution_shares_a_column():
    assert rows(table({"A": "the black cat", "B": "the white cat"})) == {
        "A": ["the", "black", "cat"],
        "B": ["the", "white", "cat"],
    }


def test_omission_and_addition():
    assert rows(table({"A": "the black cat", "B": "the cat"})) == {
        "A": ["the", "black", "cat"],
        "B": ["the", None, "cat"],
    }


def test_the_black_cat_family_shares_the_words_two_witnesses_have():
    r = rows(table({"A": "the black cat", "B": "the black and white cat", "C": "the black and green cat"}))
    assert r == {
        "A": ["the", "black", None, None, "cat"],
        "B": ["the", "black", "and", "white", "cat"],
        "C": ["the", "black", "and", "green", "cat"],
    }


def test_witness_order_case_words_shared_by_two_witnesses_align():
    # CollateX's test_witness_order: B's "b" belongs with C's "b", not with A's "a".
    r = rows(table({"A": "x a y", "B": "x b y", "C": "x a b y"}))
    assert r == {
        "A": ["x", "a", None, "y"],
        "B": ["x", None, "b", "y"],
        "C": ["x", "a", "b", "y"],
    }


def test_hermans_case_three_witnesses():
    r = rows(
        table(
            {
                "A": "a b c d F g h i ! K ! q r s t",
                "B": "a b c d F g h i ! q r s t",
                "C": "a b c d E g h i ! q r s t",
            }
        )
    )
    # As CollateX has it: the gap is "! K", and every witness puts it in the same place.
    assert r["A"] == list("abcdFghi!K!qrst")
    assert r["B"] == list("abcdFghi") + [None, None] + list("!qrst")
    assert r["C"] == list("abcdEghi") + [None, None] + list("!qrst")


def test_repeated_phrase_aligns_with_the_right_copy():
    r = rows(table({"A": "This very quick very quick brown wombat", "B": "That very quick brown koala"}))
    assert r["B"] == ["That", None, None, "very", "quick", "brown", "koala"]


def test_near_match_aligns_ocr_slips_and_keeps_the_original_text():
    r = rows(table({"A": "tie who laughs last laughs best", "B": "he who laughs last laughs best"}))
    assert r["A"][0] == "tie" and r["B"][0] == "he"
    r = rows(table({"A": "the Mensheviks and the others", "B": "tbe Men-sheviks and tlie others"}))
    assert r == {
        "A": ["the", "Mensheviks", "and", "the", "others"],
        "B": ["tbe", "Men-sheviks", "and", "tlie", "others"],
    }


@pytest.mark.parametrize(
    "a, b, word, slip",
    [
        ("to be answered first of all , and", "to be answered 0f all , and", "of", "0f"),
        ("the proletariat we ought to have", "the proletariat March wc ought to have", "we", "wc"),
    ],
)
def test_a_two_letter_word_with_one_letter_misread_is_a_near_match(a, b, word, slip):
    r = rows(table({"A": a, "B": b}))
    assert r["B"][r["A"].index(word)] == slip


def test_near_match_prefers_the_similar_word_in_a_longer_gap():
    r = rows(table({"A": "a great political change", "B": "a polilical change"}))
    assert r == {"A": ["a", "great", "political", "change"], "B": ["a", None, "polilical", "change"]}


def test_punctuation_never_shares_a_column_with_a_word():
    r = rows(table({"A": "the cat , sat", "B": "the cat sat ."}))
    for a, b in zip(r["A"], r["B"]):
        if a is not None and b is not None:
            assert a.isalpha() == b.isalpha()
    assert r["A"].index("sat") == r["B"].index("sat")


def test_punctuation_does_not_pull_words_out_of_place():
    r = rows(table({"A": "Men , women and children", "B": "Men women , and children"}))
    for word in ("Men", "women", "and", "children"):
        assert r["A"].index(word) == r["B"].index(word)


def _added(n: int) -> str:
    """A passage of ``n`` ten-word groups, every word its own (as long as a rewritten paragraph)."""
    words = "the unstained snowy mountain top the glittering pinnacle the pine".split()
    return " ".join(f"{w}{i}" for i in range(n) for w in words)


def test_a_mark_stays_with_its_word_where_the_witness_lacks_a_passage_with_that_mark():
    # C and D add a long passage after "overjoyed" with a semicolon inside it. B lacks it, and its own
    # semicolon follows "overjoyed" where A has a full stop: the two marks are one place of the text, not
    # B's semicolon sixty words into a passage B does not have.
    before = "I returned in the evening with more cheerfulness than had been my custom for some time. "
    added = f" at {_added(6)}; {_added(6)}"
    r = rows(table({
        "A": before + "My father was pleased, and Elizabeth overjoyed. “My dear cousin, said he",
        "B": "I came back at night with much more gaiety than was my habit for a while. "
             "My father was pleased and Elizabeth overjoyed; \"My dear cousin, said he",
        "C": before + f"My father was pleased, and Elizabeth overjoyed{added}. “My dear cousin, said he",
        "D": before + f"My father was pleased, and Elizabeth overjoyed{added}. “My dear cousin, said he",
    }))
    assert r["B"].index(";") == r["A"].index(".", r["A"].index("overjoyed"))
    assert r["B"].index('"') == r["A"].index("“")
    assert r["C"][r["B"].index(";")] == "."


@pytest.mark.parametrize(
    "long, short, mark",
    [
        # The mark ends the clause the witness lacks, in the others too: it stays with theirs.
        ("in the fantail, are in each breed eminently variable; and the tail", "in the fantail; and the tail", ";"),
        # An opening bracket belongs with the word after it, not with a mark after the word before.
        (
            "bred from them, then, there appeared (aided by some crossing with distinct species) those many",
            "bred from them, then (with some aid by crossing distinct species) those many",
            "(",
        ),
    ],
)
def test_a_mark_at_the_end_of_a_passage_the_witness_lacks_stays_there(long, short, mark):
    r = rows(table({"A": long, "B": long, "C": short}))
    assert r["A"][r["C"].index(mark)] == mark


def test_a_moved_passage_is_a_transposition_not_an_omission_and_an_addition():
    a = "one two three four five six seven eight nine ten eleven twelve"
    b = "one two six seven eight three four five nine ten eleven twelve"
    alignment = table({"A": a, "B": b})
    assert len(alignment.transpositions) == 1
    linked = set(_linked_words(alignment, 0, 1))
    moved = {("three", "three"), ("four", "four"), ("five", "five")}
    kept = {("six", "six"), ("seven", "seven"), ("eight", "eight")}
    assert moved <= linked or kept <= linked


def test_max_move_bounds_how_far_a_transposition_may_reach():
    filler = " ".join(f"w{k}" for k in range(30))
    a = f"alpha beta gamma {filler} omega"
    b = f"{filler} alpha beta gamma omega"
    assert table({"A": a, "B": b}, Options(max_move=100)).transpositions
    assert not table({"A": a, "B": b}, Options(max_move=10)).transpositions
    assert not table({"A": a, "B": b}, Options(max_move=0)).transpositions


def test_a_witness_against_itself_is_all_one_column_per_token():
    text = "It was the best of times, it was the worst of times."
    alignment = table({"A": text, "B": text})
    assert all(c[0] == c[1] for c in alignment.columns)
    assert not alignment.transpositions


def test_fewer_than_two_witnesses_and_duplicate_sigla_are_refused():
    from collate.engine.graph import align_witnesses

    with pytest.raises(UsageError, match="at least two"):
        align_witnesses([witness("A", "a b")])
    with pytest.raises(UsageError, match="duplicate siglum 'A'"):
        align_witnesses([witness("A", "a b"), witness("A", "a c")])


def test_empty_witness_among_others_is_all_gaps():
    r = rows(table({"A": "a b c", "B": "", "C": "a c"}))
    assert r["B"] == [None, None, None]
    assert r["C"] == ["a", None, "c"]


def test_two_words_swapped_are_a_transposition_not_two_substitutions():
    alignment = table({"A": "the black and white cat", "B": "the white and black cat"})
    r = rows(alignment)
    for a, b in zip(r["A"], r["B"]):
        assert {a, b} != {"black", "white"}, "black and white must not share a column"
    assert len(alignment.transpositions) == 2


def test_two_misreadings_of_one_word_in_two_places_are_not_a_swap():
    alignment = table({
        "A": "the struggle of thc capitalist elements against the socialist elements",
        "B": "the struggle of the capitalist elements against thc socialist elements",
    })
    r = rows(alignment)
    assert ("thc", "the") in zip(r["A"], r["B"]) and ("the", "thc") in zip(r["A"], r["B"])
    assert not alignment.transpositions


def test_a_long_window_without_rare_words_is_aligned_in_linear_memory():
    # 60,000 words from ten: no anchor anywhere, far beyond one LCS over the whole window.
    import random

    rng = random.Random(5)
    words = [rng.choice("abcdefghij") for _ in range(60000)]
    kept = [w for w in words if rng.random() > 0.02]
    alignment = table({"A": " ".join(words), "B": " ".join(kept)})
    matched = sum(1 for c in alignment.columns if c[0] is not None and c[1] is not None)
    assert matched == len(kept)


def _column_of(alignment, siglum, text):
    k = [w.siglum for w in alignment.witnesses].index(siglum)
    tokens = alignment.witnesses[k].tokens
    return next(c for c, column in enumerate(alignment.columns) if column[k] is not None and tokens[column[k]].text == text)


def _linked_words(alignment, x, y):
    """Word pairs of witnesses ``x`` and ``y`` (indices) that a transposition links."""
    words = []
    tx, ty = alignment.witnesses[x].tokens, alignment.witnesses[y].tokens
    for t in alignment.transpositions:
        for c, d in t.links:
            for p, q in ((c, d), (d, c)):
                i, j = alignment.columns[p][x], alignment.columns[q][y]
                if i is not None and j is not None:
                    words.append((tx[i].text, ty[j].text))
    return words


def test_an_unmatched_word_shares_the_column_most_witnesses_read():
    # D adds "pamphlet" where E replaced "of" with "than": "than" stands for the word A, B and C read,
    # not for D's addition, whichever order the witnesses come in.
    texts = {
        "A": "the necessity of weakening the unity",
        "B": "the necessity of weakening the unity",
        "C": "the necessity of weakening the unity",
        "D": "the necessity pamphlet of weakening the unity",
        "E": "the necessity than weakening the unity",
    }
    for order in itertools.permutations(texts):
        alignment = table({s: texts[s] for s in order})
        assert _column_of(alignment, "E", "than") == _column_of(alignment, "A", "of"), order


def test_a_pairing_of_two_early_witnesses_is_undone_when_a_later_one_reads_both_words():
    # B lacks "to", C lacks "Marx": on their own the two read like a substitution. A, which has both,
    # shows each word where it belongs.
    texts = {
        "A": "alpha beta gamma in relation to Marx and Engels delta epsilon zeta",
        "B": "one two three in relation Marx and Engels four five six",
        "C": "one two three in relation to and Engels four five six",
    }
    for order in itertools.permutations(texts):
        alignment = table({s: texts[s] for s in order})
        assert _column_of(alignment, "C", "to") == _column_of(alignment, "A", "to"), order
        assert _column_of(alignment, "B", "Marx") == _column_of(alignment, "A", "Marx"), order


def test_a_moved_passage_carries_its_misread_first_words_along():
    a = ("nonsense , comrades . Zinoviev is trying to blame others for his own sins . The fact is that "
         "Marxist , and which fundamentally contradict")
    b = ("nonsense , comrades . sins . The fact is that Marxist , and need ls trying to blame others for "
         "his own which fundamentally contradict")
    linked = _linked_words(table({"A": a, "B": b}), 0, 1)
    assert ("Zinoviev", "need") in linked and ("is", "ls") in linked
    assert {("trying", "trying"), ("own", "own")} <= set(linked)
    assert ("sins", "Zinoviev") not in linked and ("sins", "need") not in linked


def test_two_passages_moved_into_one_place_are_both_transpositions():
    # A moved "; and this ... enough" away; B moved another passage into the middle of it.
    base = ("Their policy rests on the prevailing system {P} for us to accept . The most formidable enemy of "
            "the Soviet power was named , and {Q} leads to the right .")
    p, q = "; and this for the time being is enough", "every new publication of the opposition undermines the state"
    a = base.replace("{P}", "").replace("formidable", "formidable " + p).replace("{Q}", q)
    b = base.replace("{P}", "; and " + q + " this for the time being is enough").replace("{Q}", "")
    linked = set(_linked_words(table({"A": a, "B": b}), 0, 1))
    assert {(w, w) for w in "this time being enough".split()} <= linked
    assert {(w, w) for w in "every publication opposition undermines state".split()} <= linked


@pytest.mark.parametrize("diagonal, dropped", [("history showed that", True), ("cats chase dogs", False)])
def test_a_short_anchor_made_by_a_misreading_is_dropped(diagonal, dropped):
    # "History showed that …" is printed twice; each witness misread a different copy as "Hisfory", so the
    # one rare word pairs the wrong copies. Where the chain's own diagonal holds the same words (one of them
    # misread), the block is dropped; where it holds other words, it may be a moved passage and stays.
    from collate.engine.align import Scorer, _drop_misreadings

    words = ["w", "hisfory", "showed", "that", "history", "cats", "chase", "dogs"]
    ids = {w: n for n, w in enumerate(words)}
    scorer = Scorer(words, [False] * len(words))
    a = [ids["w"]] * 40
    b = [ids["w"]] * 40
    a[20:23] = [ids[w] for w in "hisfory showed that".split()]
    b[10:13] = [ids[w] for w in "hisfory showed that".split()]
    b[20:23] = [ids[w] for w in diagonal.split()]
    chain = [(0, 0, 5), (20, 10, 3), (30, 30, 5)]
    kept, gone = _drop_misreadings(chain, a, b, 0, 40, 0, 40, scorer)
    assert (kept, gone) == (([(0, 0, 5), (30, 30, 5)], {(20, 10, 3)}) if dropped else (chain, set()))


# --- transpositions as an editor reads them: both sides linked, punctuation no obstacle, common words local


def _moves(a: str, b: str):
    from collate.engine.variants import build_apparatus

    apparatus = build_apparatus(table({"A": a, "B": b}))
    al = apparatus.alignment
    linked = set()
    for t in al.transpositions:
        w = al.sigla.index(t.source_witnesses[0])
        linked.add((" ".join(x.text for x in (al.cell(c, w) for c in range(*t.source)) if x), t.source_witnesses))
    one_sided = [(loc.lemma.text, [(r.text, r.type.value) for r in loc.readings]) for loc in apparatus.locations if loc.transposition is None]
    return linked, one_sided


@pytest.mark.parametrize(
    "a, b, moved",
    [
        ("The red and the black cat", "The black and the red cat", {"red", "black"}),
        ("the cat is black", "black is the cat", {"black", "is"}),
        ("the black dog chases a red cat.", "a red cat chases the black dog.", {"a red cat", "chases"}),
        ("the black dog chases a red cat", "a red cat chases the black dog", {"a red cat", "chases"}),
        ("one two three four five", "one four five two three", {"four five"}),
    ],
)
def test_swapped_words_are_linked_on_both_sides(a, b, moved):
    linked, one_sided = _moves(a, b)
    assert {text for text, _ in linked} == moved
    # Never an omission and an addition of the same words in the same witness.
    assert one_sided == []


def test_a_common_word_far_away_is_not_a_transposition():
    a = "this is the first of the notes and then we go on with other matters for a while"
    b = "is the first of the notes and then we go on with this other matters for a while"
    linked, _ = _moves(a + " and this too", b + " and this too")
    assert linked == set()  # "this" twice in each witness: the same common word, not a move


def test_two_words_that_recur_in_a_rewritten_passage_are_not_a_transposition():
    """Frankenstein C16: 1831 rewrites a clause ("as if it had been but a plaything in their hands") and
    another ("than had been my custom") a sentence further on; "had been" in both is the same phrase used
    again, not moved: each stays inside its own substitution."""
    a = (
        "I spent the following day roaming through the valley until evening. These sublime scenes consoled "
        "me. I returned home, than had been my custom."
    )
    b = (
        "I spent the following day roaming through the valley, as if it had been but a plaything in their "
        "hands. These sublime scenes consoled me. I retired home, than my custom."
    )
    linked, one_sided = _moves(a, b)
    assert linked == set()
    assert ("until evening", [(", as if it had been but a plaything in their hands", "substantive")]) in one_sided
    assert ("had been", [("", "omission")]) in one_sided


def test_a_rare_word_moved_over_a_few_shared_words_is_a_transposition():
    """Frankenstein C16, the manuscript: "go to the summit of Montanvert alone" where the editions have "go
    alone to the summit …". Not an adjacent swap, but "alone" is rare in the witness and nothing else
    stands between its two places: one transposition, not "alone] om." and "add. alone" in one witness."""
    filler = " ".join(f"word{k} and more{k}." for k in range(110))  # a chapter's worth: 330 words
    a = filler + " I resolved to go alone to the summit of Montanvert. I remembered the view."
    b = filler + " I resolved to go to the summit of Montanvert alone. I remembered the view."
    linked, one_sided = _moves(a, b)
    assert {text for text, _ in linked} == {"alone"}
    assert one_sided == []


def test_a_rare_word_moved_and_spelt_otherwise_is_a_transposition():
    """Frankenstein C16, the manuscript: "how my father would be dissapointed" where the editions have "how
    disappointed my father would be": the same word moved, misspelt, not "om." here and "add." there."""
    filler = " ".join(f"word{k} and more{k}." for k in range(110))
    a = filler + " I knew how disappointed my father would be at this sudden change, and I wished to go."
    b = filler + " I knew how my father would be dissapointed at this sudden change, and I wished to go."
    linked, one_sided = _moves(a, b)
    assert {text for text, _ in linked} == {"disappointed"}
    assert one_sided == []


@pytest.mark.parametrize(
    "a, b, one_sided",
    [
        # Where the word stood, the other witness reads another word: that pair is a substitution.
        (
            "I read the letter daily which he sent me.",
            "I read daily the letter that he sent me.",
            [("which", [("that", "substantive")])],
        ),
        # ... or nothing more: the other word is an addition.
        ("I read the letter daily he sent me.", "I read daily the letter that he sent me.", [("", [("that", "addition")])]),
        ("I read daily the letter that he sent me.", "I read the letter daily he sent me.", [("that", [("", "omission")])]),
        # ... and where the word now stands, it had been paired with another word too.
        (
            "He read the letter daily at home in the evening.",
            "He read the letter often at home daily after the evening.",
            [("", [("often", "addition")]), ("in", [("after", "substantive")])],
        ),
    ],
)
def test_a_word_moved_next_to_a_substitution_is_linked_on_both_sides(a, b, one_sided):
    """The aligner paired the moved word with the word that took its place ("daily which] that") and left
    the other copy alone ("] daily add."): the same word then read as replaced at one place and added at
    the other, in one witness."""
    linked, rest = _moves(a, b)
    assert {text for text, _ in linked} == {"daily"}
    assert rest == one_sided


# Words for random sentences: content words (rare in them) and function words.
_NOUNS = ("apple river stone cloud garden window silver morning letter candle bridge forest mirror harbor lantern "
          "meadow pillow thunder valley whisper copper saddle marble orchard ribbon violet wagon anchor basket "
          "feather").split()
_SMALL = "the of and a to in is was he it".split()


def _omitted_and_added(apparatus, siglum: str | None = None) -> set[str]:
    """Content words that a witness (``siglum``; any, without it) lacks in one entry and has in another of
    ``apparatus``, neither a half of a transposition."""
    added, omitted = set(), set()
    for loc in apparatus.locations:
        if loc.transposition is None:
            lemma = set(loc.lemma.text.split())
            for reading in loc.readings:
                if siglum is None or siglum in reading.sigla:
                    added |= set(reading.text.split()) - lemma
                    omitted |= lemma - set(reading.text.split())
    return (added & omitted) - set(_SMALL)


def test_a_word_moved_a_few_words_is_never_omitted_at_one_place_and_added_at_the_other():
    """Random sentences with one content word moved one to three words on, the words at its old place, its
    new place, both or neither replaced by others: the moved word is never an omission in one entry and an
    addition (or part of a substitution) in another, in the same witness."""
    import random

    from collate.engine.variants import build_apparatus

    nouns, small = _NOUNS[:20], _SMALL
    for seed in range(60):
        rng = random.Random(seed)
        a = rng.sample(nouns, 8) + [rng.choice(small) for _ in range(6)]
        rng.shuffle(a)
        i = rng.choice([k for k, w in enumerate(a) if w in nouns])
        b = a[:i] + a[i + 1:]
        k = min(len(b), max(0, i + rng.choice([-3, -2, -1, 1, 2, 3])))
        b.insert(k, a[i])
        spare = [w for w in nouns if w not in a]
        edit = rng.choice(["none", "old", "new", "both"])
        if edit in ("old", "both") and b[min(i, len(b) - 1)] != a[i]:
            b[min(i, len(b) - 1)] = spare.pop()
        j = k + rng.choice([-1, 1])
        if edit in ("new", "both") and 0 <= j < len(b) and b[j] != a[i]:
            b[j] = spare.pop()
        apparatus = build_apparatus(table({"A": " ".join(a), "B": " ".join(b)}))
        assert not _omitted_and_added(apparatus), (seed, " ".join(a), " ".join(b))


def test_a_passage_moved_a_few_words_is_never_omitted_at_one_place_and_added_at_the_other():
    """Random sentences with a passage of one to three words moved up to six words on (a single word up to
    three), the words beside either place or one word of the passage replaced, in two or three witnesses:
    no word of the passage is an omission in one entry and an addition (or part of a substitution) in
    another, in the same witness. Either the move is linked, or the two places are one entry."""
    import random

    from collate.engine.variants import build_apparatus

    nouns, small = _NOUNS, _SMALL
    for seed in range(120):
        rng = random.Random(seed)
        a = rng.sample(nouns, 12) + [rng.choice(small) for _ in range(8)]
        rng.shuffle(a)
        size = rng.choice([1, 2, 3])
        step = rng.choice([-6, -5, -4, -3, -2, -1, 1, 2, 3, 4, 5, 6])
        if size == 1:
            step = max(-3, min(3, step))
        i = rng.randrange(0, len(a) - size)
        passage = a[i:i + size]
        if all(w in small for w in passage):
            continue
        b = a[:i] + a[i + size:]
        k = min(len(b), max(0, i + step))
        b[k:k] = passage
        spare = [w for w in nouns if w not in a]
        edit = rng.choice(["none", "old", "new", "both", "inside"])
        if edit in ("old", "both") and i < len(b) and b[i] not in passage:
            b[i] = spare.pop()
        if edit in ("new", "both"):
            j = k + size if rng.random() < 0.5 else k - 1
            if 0 <= j < len(b) and b[j] not in passage:
                b[j] = spare.pop()
        if edit == "inside" and size > 1:
            b[k + rng.randrange(size)] = spare.pop()
        texts = {"A": " ".join(a), "B": " ".join(b)}
        if rng.random() < 0.5:
            texts["C"] = texts[rng.choice("AB")]
        apparatus = build_apparatus(table(texts))
        for siglum in ("B", "C"):
            assert not _omitted_and_added(apparatus, siglum), (seed, texts)


@pytest.mark.parametrize(
    "a, b, linked",
    [
        # Two words four words on, a substitution beside them: a passage of two words may move six words.
        (
            "a silver letter of the the of violet was apple mirror river whisper thunder",
            "a silver letter of the apple mirror feather of violet was river whisper thunder",
            {"apple mirror"},
        ),
        ("we saw the red barn by the river today", "we saw the barn by the river red today", set()),
        # Seven words on, they are not.
        (
            "so apple mirror went to the old mill by the river today",
            "so went to the old mill by the river apple mirror today",
            set(),
        ),
    ],
)
def test_a_passage_of_two_words_moves_three_words_for_each(a, b, linked):
    assert {text for text, _ in _moves(a, b)[0]} == linked


def test_a_word_moved_next_to_a_substitution_in_a_long_text():
    """The same in a chapter, where "daily" is rare; a common word there is left as it was (``_common``)."""
    filler = " ".join(f"word{k} and more{k}." for k in range(110))
    a = filler + " I read the letter daily which he sent me."
    b = filler + " I read daily the letter that he sent me."
    linked, rest = _moves(a, b)
    assert {text for text, _ in linked} == {"daily"}
    assert rest == [("which", [("that", "substantive")])]
    # "and" stands 110 times in each witness: found again nearby, it is not linked as a move. Nor is it said
    # to be added before "bread" and replaced by "but" after it: the two places are one entry.
    linked, rest = _moves(filler + " bread and butter we ate", filler + " and bread but butter we ate")
    assert linked == set()
    assert rest == [("bread and", [("and bread but", "substantive")])]


@pytest.mark.parametrize(
    "a, b",
    [
        ("we went to the town and then home", "we went and then to the town home"),
        ("he said that the old man had gone", "he said the old man that had gone"),
    ],
)
def test_two_words_swapped_nearby_are_still_linked(a, b):
    linked, _ = _moves(a, b)
    assert linked


def test_ampersand_and_and_share_a_column():
    r = rows(table({"A": "days & nights", "B": "days and nights"}))
    assert r == {"A": ["days", "&", "nights"], "B": ["days", "and", "nights"]}


def test_a_word_held_by_several_columns_anchors_at_the_column_most_witnesses_read():
    from collate.engine.align import Scorer, _anchor_chain

    # Columns a c b c d: the first c is one witness's copy (support 1), the second the word five read.
    norms = ["a", "c", "b", "d", "B", "D"]
    punct = [False] * len(norms)
    scorer = Scorer(norms, punct)
    keys, b = [0, 1, 2, 1, 3], [0, 4, 1, 5]  # the new witness reads a B c D

    def chain(support):
        return _anchor_chain(keys, b, 0, len(keys), 0, len(b), punct, set(), set(), scorer, support)[0]

    assert chain([5, 1, 5, 5, 5]) == [(0, 0, 1), (3, 2, 1)]
    assert chain(None) == [(0, 0, 1)]  # without the support, c is no anchor: it stands twice
    assert chain([5, 2, 5, 5, 5]) == [(0, 0, 1)]  # 5 against 2 does not outweigh (DOMINANCE is 3)


def test_many_noisy_witnesses_keep_each_original_word_in_one_column():
    # 60 noisy copies (5% noise, moved passages) of a 300-word text of repeated words: each witness added
    # and moved words, so the table holds most words in several columns. Merged one at a time against all
    # of them, later witnesses paired stretches with such copies (F1 0.906); aligned with the columns most
    # witnesses read first (from the 17th witness on), 0.971.
    import random

    from collate.engine.graph import align_witnesses
    from witnesses.synthetic import Noise, make_witnesses, predicted_pairs, score, true_pairs

    rng = random.Random(7)
    vocabulary = [f"w{k}" for k in range(200)] + ["the", "of", "and", "a", "to", "in"] * 8
    original = []
    for _ in range(300):
        original.append(rng.choice(vocabulary))
        if rng.random() < 0.08:
            original.append(rng.choice([",", "."]))
    copies = make_witnesses(original, 60, Noise(rate=0.05, moves_per_1000=6), seed=3)
    alignment = align_witnesses([witness(w.siglum, w.text) for w in copies], Options())
    precision, recall, f1 = score(true_pairs(copies), predicted_pairs(alignment))
    assert f1 >= 0.96, (precision, recall, f1)


def test_beyond_pairwise_order_the_most_typical_witness_is_merged_first():
    from collections import Counter

    from collate.engine.graph import PAIRWISE_ORDER, _typical_first

    n = PAIRWISE_ORDER + 10
    common = Counter({w: 1 for w in range(20)})
    bags = [common + Counter({100 + k: 1, 200 + k: 1}) for k in range(n)]  # two words of its own each
    bags[17] = Counter(common)  # reads exactly what all read, nothing of its own
    bags[3] = Counter({w: 1 for w in range(300, 320)})  # shares nothing
    sizes = [sum(b.values()) for b in bags]
    order = _typical_first(bags, sizes, [f"{k:03d}" for k in range(n)])
    assert order[0] == 17 and order[-1] == 3
    assert sorted(order) == list(range(n))


def _fixed_tradition() -> dict[str, str]:
    """60 witnesses of a 40-word text, more than FIXED_FROM: 52 read it as it stands; four (a family) add
    the same word at one place and carry the same passage ten words on; four others each add a word of
    their own at another place. The witnesses that differ are the least typical, merged last, once the
    table is fixed."""
    from collate.engine.graph import FIXED_FROM

    words = [f"w{k}" for k in range(40)]
    texts = {f"S{k:02d}": " ".join(words) for k in range(52)}
    family = words[:8] + ["added"] + words[8:12] + words[17:27] + words[12:17] + words[27:]
    for k in range(4):
        texts[f"F{k}"] = " ".join(family)
        texts[f"O{k}"] = " ".join(words[:30] + [f"own{k}"] + words[30:])
    assert len(texts) > FIXED_FROM
    return texts


def test_in_a_fixed_table_later_witnesses_share_what_they_add_and_what_they_move():
    from collate.engine import graph

    calls = []
    fix = graph._fix
    try:
        graph._fix = lambda table, added: calls.append(len(table)) or fix(table, added)
        alignment = table(_fixed_tradition())
    finally:
        graph._fix = fix
    assert calls, "the table was never fixed"
    r = rows(alignment)
    family = [s for s in r if s.startswith("F")]
    # The family's added word stands in one column, which the family alone reads.
    added = {r[s].index("added") for s in family}
    assert len(added) == 1
    (column,) = added
    assert {s for s in r if r[s][column] is not None} == set(family)
    # Its moved passage is one transposition, its words in columns of their own that the family shares.
    moved = [t for t in alignment.transpositions if set(t.target_witnesses) == set(family)
             or set(t.source_witnesses) == set(family)]
    assert len(moved) == 1, alignment.transpositions
    for c, d in moved[0].links:
        shared = {s for s in r if r[s][c] is not None}, {s for s in r if r[s][d] is not None}
        assert set(family) in shared
    # Words each of four witnesses added at one place are additions, each in a column of its own or
    # together as readings of one place, never in a column of the text.
    for k in range(4):
        c = r[f"O{k}"].index(f"own{k}")
        assert all(r[s][c] is None for s in r if s.startswith("S"))


def test_a_fixed_table_keeps_every_token_once_in_order_whatever_the_order_of_the_witnesses():
    import random

    from collate.engine.graph import align_witnesses

    texts = _fixed_tradition()
    given = [witness(s, t) for s, t in texts.items()]
    shuffled = list(given)
    random.Random(5).shuffle(shuffled)
    first, second = align_witnesses(given, Options()), align_witnesses(shuffled, Options())
    for alignment in (first, second):
        for k, w in enumerate(alignment.witnesses):
            assert [c[k] for c in alignment.columns if c[k] is not None] == list(range(len(w.tokens)))
    assert rows(first) == rows(second)
    assert {(t.source, t.target, t.links) for t in first.transpositions} == {
        (t.source, t.target, t.links) for t in second.transpositions
    }


def test_a_mark_paired_with_another_mark_of_its_word_is_still_placed_again():
    # The table as a long chapter left it (Frankenstein, C16): B's semicolon with C's, inside C's addition,
    # and B's quotation mark in A's full stop's column. Both move: the semicolon to the full stop that
    # follows the same word, the quotation mark to A's, before "My".
    from collate.engine.graph import _Column, _punctuation_attached, _rows

    texts = {"A": "overjoyed. “My", "B": "overjoyed; \"My", "C": "overjoyed at the; sight. My"}
    ws = [witness(s, t) for s, t in texts.items()]
    vocabulary: dict[str, int] = {}
    ids = [[vocabulary.setdefault(t.norm, len(vocabulary)) for t in w.tokens] for w in ws]
    punct = [False] * len(vocabulary)
    for w in ws:
        for t in w.tokens:
            punct[vocabulary[t.norm]] = t.punct
    layout = [  # per column: (witness, token index) pairs
        [(0, 0), (1, 0), (2, 0)], [(2, 1)], [(2, 2)], [(1, 1), (2, 3)], [(2, 4)], [(0, 1), (1, 2), (2, 5)],
        [(0, 2)], [(0, 3), (1, 3), (2, 6)],
    ]
    table = []
    for cells in layout:
        (w, i), rest = cells[0], cells[1:]
        column = _Column(3, w, i, ids[w][i], (ids[w][i],))
        for v, j in rest:
            column.add(v, j, ids[v][j])
        table.append(column)
    _punctuation_attached(table, ws, ids, punct, set(), _rows([c.cells for c in table], 3))
    b = [None if c.cells[1] is None else ws[1].tokens[c.cells[1]].text for c in table]
    assert b == ["overjoyed", None, None, None, None, ";", '"', "My"]


REWRITE = Path(__file__).resolve().parents[2] / "data" / "darwin_rewrite"


def test_a_rewritten_passage_keeps_its_words_together():
    # 1869 rewrote the opening of the paragraph whole. Its common words (``of life``, ``the``, ``causes``,
    # ``they may be``) once took 1859's words one by one, hundreds of columns apart, and ``they may be`` was
    # then linked as a passage moved 175 columns: 1859's sentence is one reading against 1869's.
    old, new = (REWRITE / "1859.txt").read_text(), (REWRITE / "1869.txt").read_text()
    alignment = table({"A": old, "B": old, "C": new})
    r = rows(alignment)
    assert r["A"] == r["B"]
    first, last = r["A"].index("It"), r["A"].index("conception")
    assert None not in r["A"][first:last + 1]
    assert not alignment.transpositions
    entries = [loc for loc in build_apparatus(alignment).locations if loc.start <= first < loc.end]
    assert len(entries) == 1 and entries[0].end > last
    assert [x.text for x in entries[0].readings if x.sigla == ("C",)][0].startswith("As far as I am able to judge")


def _fragment(text: str, survives: str) -> Witness:
    """A witness of ``text`` whose words ``survives`` stand between two gaps of its source."""
    w = witness("F", text)
    tokens = list(w.tokens)
    words = [t.text for t in tokens]
    k = next(i for i in range(len(words)) if " ".join(words[i:i + len(survives.split())]) == survives)
    n = k + len(survives.split())
    for i, flag in ((k - 1, "gap-after"), (k, "gap"), (n - 1, "gap-after"), (n, "gap")):
        tokens[i] = tokens[i]._replace(source=tokens[i].source._replace(flags=tokens[i].source.flags | {flag}))
    return Witness("F", tuple(tokens))


@pytest.mark.parametrize("gaps", [False, True])
def test_words_alone_in_a_long_passage_of_the_others_stay_only_beside_a_gap(gaps):
    # F has two words where the others have forty: a rewriting's common words, which go beside F's text
    # before them, unless F's source has a gap on both sides of them (a fragment's surviving words).
    start = "the first words that all the witnesses share here "
    end = " and the last words that all of them share too"
    middle = " ".join(f"word{i}" for i in range(20)) + " of the " + " ".join(f"term{i}" for i in range(20))
    text = start + "of the" + end
    f = _fragment(text, "of the") if gaps else witness("F", text)
    r = rows(align_witnesses([witness("A", start + middle + end), witness("B", start + middle + end), f]))
    of = r["F"].index("of")
    assert r["A"][of] == ("of" if gaps else None)
    assert (r["F"][of - 1] == "here") is not gaps


@pytest.mark.parametrize(
    "third, sides",
    [
        # C stands in the columns of B's moved ``one two three`` with words of its own (``tres`` is even near
        # ``three``): it reads a substitution there, and is not said to have moved the passage.
        ("start here then the rest of it uno dos tres goes on here to the end", {("A",), ("B",)}),
        # C reads the passage where A has it and other words where B moved it to: a witness of that side only.
        ("start here one two three then the rest of it kappa lambda mu goes on here to the end", {("A", "C"), ("B",)}),
    ],
)
def test_a_transposition_names_only_the_witnesses_that_read_the_moved_words(third, sides):
    alignment = table({
        "A": "start here one two three then the rest of it goes on here to the end",
        "B": "start here then the rest of it one two three goes on here to the end",
        "C": third,
    })
    (moved,) = alignment.transpositions
    assert {moved.source_witnesses, moved.target_witnesses} == sides


def test_words_of_a_witness_are_not_put_inside_a_moved_passage():
    # W's remnant ``m1 m2 L6`` between passages B reads in another order: W's ``L6`` keeps the others'
    # column, and no column of W's own stands inside the moved passage's range.
    passage, rest = "m1 m2 m3 m4 m5 m6", " ".join(f"L{i}" for i in range(1, 13))
    alignment = table({
        "A": f"a b c {passage} {rest} z1 z2 z3",
        "B": f"a b c {rest} {passage} z1 z2 z3",
        "C": f"a b c {passage} {rest} z1 z2 z3",
        "W": "a b c m1 m2 L6 z1 z2 z3",
    })
    r = rows(alignment)
    assert r["A"][r["W"].index("L6")] == "L6"
    for t in alignment.transpositions:
        for c in (*range(*t.source), *range(*t.target)):
            assert r["W"][c] in (None, "m1", "m2", "m3", "m4", "m5", "m6")


def _follow(blocks):
    """Whether each block follows the one before on both sides."""
    return all(b[0] >= a[0] + a[2] and b[1] >= a[1] + a[2] for a, b in zip(blocks, blocks[1:]))


def _heaviest_by_search(blocks):
    """The weight of the heaviest chain of blocks that follow one another on both sides, by trying every subset."""
    blocks = sorted(set(blocks))
    return max(
        sum(n for _, _, n in chosen)
        for size in range(len(blocks) + 1)
        for chosen in itertools.combinations(blocks, size)
        if _follow(chosen)
    )


def test_heaviest_chain_is_the_heaviest():
    # Blocks that all follow one another (taken as they stand) and blocks that cross (the tree's search):
    # either way the chain follows on both sides and weighs what the best choice weighs.
    import random

    from collate.engine.align import _heaviest_chain

    for seed in range(300):
        rng = random.Random(seed)
        if seed % 2:
            blocks, i, j = [], 0, 0
            for _ in range(rng.randrange(0, 6)):
                i, j = i + rng.randrange(0, 4), j + rng.randrange(0, 4)
                n = rng.randrange(1, 4)
                blocks.append((i, j, n))
                i, j = i + n, j + n
        else:
            blocks = [(rng.randrange(20), rng.randrange(20), rng.randrange(1, 4)) for _ in range(rng.randrange(1, 7))]
        chain = _heaviest_chain(list(blocks), 0, 30)
        assert _follow(chain)
        assert set(chain) <= set(blocks)
        assert sum(n for _, _, n in chain) == _heaviest_by_search(blocks)
