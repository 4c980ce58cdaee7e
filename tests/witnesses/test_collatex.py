"""CollateX JSON witness input: recognised by content, collated like the same texts given as files."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

import collate
from collate.cli import app
from collate.errors import InputError
from witnesses.collatex import looks_like_collatex, read_collatex

DATA = Path(__file__).resolve().parent.parent / "data"
DARWIN_JSON = DATA / "collatex_json" / "darwin_para1.json"
runner = CliRunner()


def test_darwin_json_collates_as_the_same_texts_do():
    """CollateX's own Darwin input gives exactly the golden alignment of the six text files."""
    apparatus = collate.collate(collate.load([DARWIN_JSON]))
    assert apparatus.alignment.sigla == ("1859", "1860", "1861", "1866", "1869", "1872")
    golden = (DATA / "darwin_para1" / "alignment.json").read_text(encoding="utf-8")
    assert collate.render(apparatus, "json") == golden


def test_given_tokens_keep_t_as_text_and_n_as_normalised_form(tmp_path):
    path = tmp_path / "input.json"
    path.write_text(json.dumps({"witnesses": [
        {"id": "A", "tokens": [{"t": "The ", "n": "the"}, {"t": "Cat ", "n": "katze", "extra": 1}, {"t": "."}]},
        {"id": "B", "content": "the cat."},
    ]}), encoding="utf-8")
    a, b = collate.load([path])
    assert [(t.text, t.norm, t.index, t.punct) for t in a.tokens] == [
        ("The", "the", 0, False), ("Cat", "katze", 1, False), (".", ".", 2, True)]
    assert [t.norm for t in b.tokens] == ["the", "cat", "."]
    # "n" is what is compared: "Cat"/"cat" disagree because A's given form is "katze".
    apparatus = collate.collate([a, b])
    assert [(loc.lemma.text, [r.text for r in loc.readings], loc.type.value) for loc in apparatus.locations] == [
        ("The", ["the"], "orthographic"), ("Cat", ["cat"], "substantive")]


def test_recognised_by_content_whatever_the_name(tmp_path):
    body = json.dumps({"witnesses": [{"id": "X", "content": "a b"}, {"id": "Y", "content": "a c"}]})
    unnamed = tmp_path / "input"
    unnamed.write_text(body, encoding="utf-8")
    assert looks_like_collatex(str(unnamed), body.encode())
    assert [w.siglum for w in collate.load([unnamed])] == ["X", "Y"]
    # Prose that opens with a brace, and any file named .txt, stay plain text.
    assert not looks_like_collatex("notes", b"{sic} the witnesses say")
    assert not looks_like_collatex("w.txt", body.encode())
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["align", str(unnamed), str(tmp_path / "input"), "-o", str(out)], catch_exceptions=False)
    assert result.exit_code == 2 and "duplicate siglum" in result.output


def test_one_json_file_is_enough_on_the_command_line(tmp_path):
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["align", str(DARWIN_JSON), "-o", str(out)])
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["witnesses"] == ["1859", "1860", "1861", "1866", "1869", "1872"]
    # The JSON's own keys never become words of the collation.
    words = {cell[0]["t"] for column in data["table"] for cell in column if cell}
    assert not words & {"witnesses", "id", "content", "{", "}"}


@pytest.mark.parametrize(
    "body, message",
    [
        ('{"witnesses": [', "not valid JSON"),
        ('{"texts": []}', '"witnesses" list'),
        ('{"witnesses": []}', "non-empty list"),
        ('{"witnesses": [{"content": "a"}]}', 'witnesses[0]: "id"'),
        ('{"witnesses": [{"id": "A"}]}', 'witnesses[0]: a witness needs "content" or "tokens"'),
        ('{"witnesses": [{"id": "A", "tokens": [{"t": "a"}, {"n": "b"}]}]}', "witnesses[0].tokens[1]"),
        ('{"witnesses": [{"id": "A", "tokens": [{"t": "  "}]}]}', '"t" is empty'),
        ('{"witnesses": [{"id": "A", "tokens": [{"t": "a", "n": 3}]}]}', '"n" must be a string'),
        ('{"witnesses": [{"id": "A", "content": " "}]}', "no text to collate"),
    ],
)
def test_bad_input_is_refused_with_the_place(body, message):
    with pytest.raises(InputError) as caught:
        read_collatex(body.encode(), path="in.json")
    assert message in str(caught.value)
    assert str(caught.value).startswith("in.json")


def test_syntax_error_gives_line_and_column(tmp_path):
    path = tmp_path / "broken.json"
    path.write_text('{"witnesses": [\n  {"id": "A", "content": "a"},\n  oops]}', encoding="utf-8")
    out = tmp_path / "out.html"
    result = runner.invoke(app, ["align", str(path), "-o", str(out)])
    assert result.exit_code == 2
    assert f"error: {path}:3:3: not valid JSON" in result.output
    assert not out.exists()
