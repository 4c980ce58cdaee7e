"""Properties of the whole pipeline on random witnesses: files in, outputs out.

tests/collate/engine/test_properties.py checks the engine on a small vocabulary; here the witnesses are files
with arbitrary text (any script, combining marks, symbols, punctuation runs, hyphenated line ends, odd
spacing, markup-like strings) and arbitrary sigla, read by the loaders, and the checks are on the outputs:
- every token of every witness appears exactly once, in order, in the JSON table, and the tokens together
  hold every non-space character of the file;
- the JSON output always loads; the TEI output always validates against tei_all, in all three encodings;
- a TEI witness holding the same text reads as the same tokens as the plain-text file.

Deterministic (``derandomize``, no example database), so CI sees the same examples every run.
"""

import json
import tempfile
from pathlib import Path
from xml.sax.saxutils import escape

import regex
from hypothesis import given, settings
from hypothesis import strategies as st
from lxml import etree

from collate import api
from tei.writer import render as render_tei

from .helpers import tei

CI = settings(derandomize=True, database=None, deadline=None)

# Characters a witness may hold: anything the loaders accept (no surrogates, no controls but whitespace,
# no U+FFFE/U+FFFF), weighted towards a few words so that witnesses share text and really align.
_CHARS = st.characters(
    blacklist_categories=("Cs", "Co", "Cn"),
    blacklist_characters="".join(map(chr, [*range(0, 9), *range(14, 32), 0xFFFE, 0xFFFF])) + "\ufeff",
)
_WORDS = st.sampled_from(
    ["the", "The", "cat", "sat", "on", "mat", "naïve", "Ἐν", "ἀρχῇ", "말", "語", "vari-\nation", "don't",
     "sub-variety", "...", "--", ",", ";", "«", "»", "&", "<b>", "</p>", "&amp;", "]]>", "e\u0301", "ﬁ", "1859"]
)
_PIECES = st.one_of(_WORDS, _WORDS, _WORDS, st.text(_CHARS, min_size=1, max_size=8))
_SPACES = st.sampled_from([" ", " ", " ", "\n", "  ", "\t", "\u00a0", "\n\n", "\f", " \r\n"])


@st.composite
def witness_texts(draw) -> str:
    pieces = draw(st.lists(_PIECES, min_size=1, max_size=30))
    out = []
    for piece in pieces:
        out.append(piece)
        out.append(draw(_SPACES))
    text = "".join(out)
    return text if regex.search(r"\S", text) else text + "word"


_SIGLA = st.lists(
    st.text(st.characters(blacklist_categories=("Cs", "Co", "Cn", "Cc", "Zs", "Zl", "Zp")), min_size=1, max_size=6),
    min_size=2,
    max_size=5,
    unique=True,
)


@st.composite
def collations(draw) -> tuple[list[str], list[str]]:
    """(texts, sigla): two to five witnesses, often copies of one another with a few words changed."""
    sigla = draw(_SIGLA)
    first = draw(witness_texts())
    texts = [first]
    for _ in sigla[1:]:
        if draw(st.booleans()):
            texts.append(draw(witness_texts()))
        else:
            words = first.split(" ")
            k = draw(st.integers(0, len(words) - 1))
            words[k] = draw(_PIECES)
            texts.append(" ".join(words) if regex.search(r"\S", " ".join(words)) else first)
    return texts, sigla


def load(folder: Path, texts: list[str], sigla: list[str]):
    paths = []
    for k, text in enumerate(texts):
        path = folder / f"w{k}.txt"
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return api.load(paths, sigla=sigla)


def table_rows(rendered: str) -> dict[str, list[tuple[str, int]]]:
    data = json.loads(rendered)
    rows: dict[str, list[tuple[str, int]]] = {s: [] for s in data["witnesses"]}
    for column in data["table"]:
        assert len(column) == len(data["witnesses"])
        for siglum, cell in zip(data["witnesses"], column):
            rows[siglum].extend((t["t"], t["i"]) for t in cell or [])
    return rows


def _visible(text: str) -> str:
    return regex.sub(r"\s+", "", text)


@settings(CI, max_examples=1000)
@given(collations())
def test_every_token_appears_once_in_order_and_nothing_is_lost(case):
    texts, sigla = case
    with tempfile.TemporaryDirectory() as tmp:
        witnesses = load(Path(tmp), texts, sigla)
    rendered = api.render(api.collate(witnesses), "json")
    rows = table_rows(rendered)
    assert list(rows) == sigla
    for witness, text in zip(witnesses, texts):
        assert rows[witness.siglum] == [(t.text, k) for k, t in enumerate(witness.tokens)]
        assert _visible("".join(t for t, _ in rows[witness.siglum])) == _visible(text)


@settings(CI, max_examples=400)
@given(collations(), st.sampled_from(api.ENCODINGS))
def test_tei_output_always_validates(tei_all, case, encoding):
    texts, sigla = case
    with tempfile.TemporaryDirectory() as tmp:
        witnesses = load(Path(tmp), texts, sigla)
    document = render_tei(api.collate(witnesses, base=sigla[-1]), encoding=encoding)
    tree = etree.fromstring(document.encode("utf-8"))
    assert tei_all.validate(tree), str(tei_all.error_log)[:2000]


@settings(CI, max_examples=300)
@given(collations())
def test_every_output_renders_and_the_json_loads(case):
    texts, sigla = case
    with tempfile.TemporaryDirectory() as tmp:
        witnesses = load(Path(tmp), texts, sigla)
    apparatus = api.collate(witnesses)
    data = json.loads(api.render(apparatus, "json"))
    assert data["witnesses"] == sigla
    for fmt in ("html", "csv", "txt"):
        assert api.render(apparatus, fmt)


@settings(CI, max_examples=500)
@given(witness_texts())
def test_a_tei_witness_reads_as_the_same_tokens_as_its_plain_text(text):
    from tei.reader import read_witnesses
    from witnesses.plaintext import read_text

    # A line end inside a TEI paragraph is only layout (TEI marks a witness's line breaks with <lb/>), so
    # "vari-⏎ation" is one word in plain text but not in TEI; form feed cannot appear in XML at all. Both
    # files hold the text with its spacing made plain spaces.
    spaced = " ".join(text.split())
    [from_tei] = read_witnesses(tei(escape(spaced)).encode("utf-8"), path="w.xml")
    from_text = read_text(spaced, "w")
    assert [t.text for t in from_tei.tokens] == [t.text for t in from_text.tokens]
    assert [t.norm for t in from_tei.tokens] == [t.norm for t in from_text.tokens]
