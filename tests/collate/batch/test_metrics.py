"""CER, WER and differences (collate.batch.metrics): definitions, exactness on long pages, properties."""

from __future__ import annotations

import math
import random
import subprocess
import sys
import textwrap
import unicodedata

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from rapidfuzz.distance import Levenshtein

from collate.batch.metrics import cer, compare, graphemes, normalization, wer, words


def naive_distance(a: list[str], b: list[str]) -> int:
    """Textbook dynamic programme, the independent check of the fast distance."""
    previous = list(range(len(b) + 1))
    for i, x in enumerate(a, start=1):
        current = [i]
        for j, y in enumerate(b, start=1):
            current.append(min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + (x != y)))
        previous = current
    return previous[-1]


def test_cer_counts_substitutions_over_reference_length():
    rate = cer("abcd", "abxd")
    assert (rate.distance, rate.length, rate.rate) == (1, 4, 0.25)


def test_cer_is_measured_after_nfc():
    assert cer("café", "cafe\u0301").distance == 0


def test_a_letter_with_a_mark_without_precomposed_form_is_one_cluster():
    # g + combining tilde has no precomposed form: two code points, one grapheme cluster, one edit.
    assert graphemes("g\u0303a") == ["g\u0303", "a"]
    rate = cer("g\u0303a", "ga")
    assert (rate.distance, rate.length) == (1, 2)


def test_crlf_is_one_cluster():
    assert graphemes("a\r\nb") == ["a", "\r\n", "b"]


def test_rates_of_empty_texts():
    assert cer("", "").rate == 0.0
    assert math.isinf(cer("", "x").rate)
    assert cer("abc", "").rate == 1.0


def test_words_follow_unicode_word_boundaries():
    assert words("'Uneven development' is a law, isn't it? 3.5 km — U.S.A.") == [
        "Uneven", "development", "is", "a", "law", "isn't", "it", "3.5", "km", "U.S.A",
    ]


def test_wer_counts_word_edits():
    rate = wer("He who laughs last laughs best", "tie who laughs last laughs best")
    assert (rate.distance, rate.length) == (1, 6)


def test_ocr_d_normalization_unjoins_ligatures_and_maps_apostrophes():
    ocrd = normalization("ocr-d")
    assert cer("ﬁne people’s", "fine people's", normalize=ocrd).distance == 0
    assert cer("ﬁne people’s", "fine people's").distance == 3  # ﬁ→f, +i, ’→'
    with pytest.raises(ValueError):
        normalization("nfkc")


def test_differences_locate_each_edit():
    result = compare("The cat\nsat on the mat.", "The cart\nsat on tbe mat")
    assert [(d.kind, d.reference, d.scan, d.line) for d in result.differences] == [
        ("insert", "", "r", 1),
        ("replace", "h", "b", 2),
        ("delete", ".", "", 2),
    ]
    assert result.cer.distance == 3 == sum(d.edits for d in result.differences)


# Units of one or more code points: decomposed accents, a mark without precomposed form, CR LF.
texts = st.lists(
    st.sampled_from(list("abcé ,.\n’'") + ["e\u0301", "g\u0303", "\r\n"]), max_size=40
).map("".join)


@settings(max_examples=300, deadline=None)
@given(texts, texts)
def test_distance_is_the_exact_edit_distance_on_clusters(reference, scan):
    a = graphemes(reference)
    b = graphemes(scan)
    result = compare(reference, scan)
    assert result.cer.distance == naive_distance(a, b)
    assert result.cer.length == len(a)
    assert result.wer.distance == naive_distance(words(reference), words(scan))


@settings(max_examples=200, deadline=None)
@given(texts, texts)
def test_segments_rebuild_both_texts(reference, scan):
    result = compare(reference, scan)
    assert "".join(s.reference for s in result.segments) == unicodedata.normalize("NFC", reference)
    assert "".join(s.scan for s in result.segments) == unicodedata.normalize("NFC", scan)
    assert sum(d.edits for d in result.differences) == result.cer.distance
    # Differences are maximal: two never touch.
    for before, after in zip(result.differences, result.differences[1:]):
        assert before.ref_end < after.ref_start or before.scan_end < after.scan_start


def _noisy(text: str, rate: float, seed: int) -> str:
    rng = random.Random(seed)
    out = []
    for c in text:
        roll = rng.random()
        if roll < rate / 3:
            continue
        if roll < 2 * rate / 3:
            out.append(rng.choice("xyz"))
        elif roll < rate:
            out.append(c + rng.choice("qj"))
        else:
            out.append(c)
    return "".join(out)


def test_long_page_distance_equals_the_full_computation():
    # The banded computation must give the distance of the full one, also when accents make the texts go
    # through the cluster encoding rather than the plain-string fast path.
    base = " ".join(f"word{i} café naïve ñandú" for i in range(6000))
    reference = unicodedata.normalize("NFD", base)
    scan = _noisy(reference, 0.05, 7)
    result = compare(reference, scan)
    full = Levenshtein.distance(graphemes(reference), graphemes(scan))
    assert result.cer.distance == full
    assert result.cer.length == len(graphemes(reference))


def test_long_page_aligns_in_linear_memory():
    # 300,000 clusters each: an n×m matrix would need 9·10^10 cells (over 10 GB even as bits). The child
    # process may use 1.5 GB of address space in all, interpreter and libraries included.
    script = textwrap.dedent(
        """
        import random, resource
        resource.setrlimit(resource.RLIMIT_AS, (1536 * 1024 * 1024, 1536 * 1024 * 1024))
        from collate.batch.metrics import compare
        rng = random.Random(3)
        reference = "".join(rng.choice("abcdefghij klmnop") for _ in range(300_000))
        scan = "".join(c if rng.random() > 0.03 else rng.choice("xyz") for c in reference)
        result = compare(reference, scan)
        print(result.cer.distance, len(result.differences))
        """
    )
    done = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert done.returncode == 0, done.stderr
    distance, differences = map(int, done.stdout.split())
    assert 0 < differences <= distance <= 0.03 * 300_000 * 1.2
