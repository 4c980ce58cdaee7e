"""The corrections file: read with one-line errors, applied by ``collate align --corrections`` and by
``collate run`` (``[collation] corrections``), every output recording it and every stale one reported."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from collate.cli import app
from collate.corrections_file import parse_corrections
from collate.errors import InputError
from collate.project import init_project, read_project
from tei.validate import errors

DATA = Path(__file__).resolve().parents[1] / "data"
SIGLA = ["1859", "1860", "1872"]
runner = CliRunner()

# Darwin, Origin ch. 1, first paragraph: 1872 reads "compare" for "look to" and "great" for "greater".
GOOD = """\
# The editor's corrections.
[[correction]]
kind = "lemma"
witness = "1859"
before = "WHEN we"
words = "look to"
after = "the individuals of"
lemma = "compare"          # the edition follows 1872 here
lemma-witness = "1872"

[[correction]]
kind = "note"
witness = "1859"
before = "conclude that this"
words = "greater"
after = "variability is"
note = "1860 already reads great."

[[correction]]
kind = "merge"
witness = "1859"
before = "they generally differ"
words = "much more from each other,"
after = "than do"
entries = ["much", ","]
"""

STALE = """
[[correction]]
kind = "note"
witness = "1859"
before = "our oldest"
words = "tame animals"
after = "are"
note = "no such words in the first paragraph"
"""


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for s in SIGLA:
        shutil.copy(DATA / "darwin_para1" / f"{s}.txt", tmp_path / f"{s}.txt")
    return tmp_path


def witnesses(folder: Path) -> list[str]:
    return [str(folder / f"{s}.txt") for s in SIGLA]


# --------------------------------------------------------------------------------------------- reading


def test_the_file_reads_into_records_in_file_order_with_their_lines():
    fixes = parse_corrections(GOOD, path="corrections.toml")
    assert [(c.number, c.kind, c.line) for c in fixes] == [(1, "lemma", 2), (2, "note", 11), (3, "merge", 19)]
    assert fixes[0].lemma == "compare" and fixes[0].lemma_witness == "1872"
    assert fixes[2].entries == ("much", ",")


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[[correction]\nkind = 1", "corrections.toml:1:13: not valid TOML"),
        ('[[correction]]\nkind = "fix"\nwords = "a"', "corrections.toml:1:1: correction 1: kind: is merge, split, move, lemma or note, not 'fix'"),
        ('[[correction]]\nkind = "note"\nwords = "a"\nnote = "n"\ncolour = "red"', "correction 1: colour: unknown key for a note"),
        ('[[correction]]\nkind = "note"\nnote = "n"', "correction 1: words: the place needs words"),
        ('[[correction]]\nkind = "merge"\nwords = "a b"\nentries = ["a"]', "correction 1: entries: a merge names two or more"),
        ('[[correction]]\nkind = "move"\nwords = "a"\nto = "left"', "correction 1: witness: a move names the witness"),
        ('[[correction]]\nkind = "move"\nwitness = "B"\nwords = "a"\nto = "up"', 'correction 1: to: is "left" or "right"'),
        ('[[correction]]\nkind = "lemma"\nwords = "a"', "correction 1: lemma: name the chosen reading"),
        ('[[correction]]\nkind = "note"\nwords = ""\nbefore = "a"\nnote = "n"', "give both before and after"),
        ('\n\n[[correction]]\nkind = "note"\nwords = "a"\nnote = "n"\n[[correction]]\nkind = "note"\nwords = 3',
         "corrections.toml:7:1: correction 2: words: must be a string"),
        ('title = "x"', "corrections.toml:1:1: title: unknown key"),
    ],
)
def test_a_malformed_file_is_one_line_with_its_place(text, message):
    with pytest.raises(InputError) as caught:
        parse_corrections(text, path="corrections.toml")
    assert message in str(caught.value)
    assert "\n" not in str(caught.value)


# --------------------------------------------------------------------------------------------- the CLI


def test_align_applies_the_corrections_to_every_output(folder):
    fixes = folder / "corrections.toml"
    fixes.write_text(GOOD, encoding="utf-8")
    out_json, out_tei, out_html = folder / "a.json", folder / "a.xml", folder / "a.html"
    for out in (out_json, out_tei, out_html):
        result = runner.invoke(app, ["align", *witnesses(folder), "--corrections", str(fixes), "-o", str(out)])
        assert result.exit_code == 0, result.output
        assert "warning" not in result.output
    data = json.loads(out_json.read_text(encoding="utf-8"))
    by_lemma = {e["lemma"]["text"]: e for e in data["apparatus"]}
    assert by_lemma["compare"]["lemma"] == {"text": "compare", "wit": ["1872"], "chosen": True}
    assert by_lemma["compare"]["readings"] == [{"text": "look to", "wit": ["1859", "1860"], "type": "substantive"}]
    assert by_lemma["greater"]["notes"] == ["1860 already reads great."]
    assert "much more from each other," in by_lemma
    assert data["corrections"]["refused"] == [] and len(data["corrections"]["given"]) == 3
    tei = etree.fromstring(out_tei.read_bytes())
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    (lem,) = tei.xpath("//t:lem[@resp='#editor']", namespaces=ns)
    assert lem.text == "compare" and lem.get("wit") == "#wit-1872"
    assert [n.text for n in tei.xpath("//t:app/t:note", namespaces=ns)] == ["1860 already reads great."]
    html = out_html.read_text(encoding="utf-8")
    assert 'class="chosen"' in html and "1860 already reads great." in html
    assert "WHEN we compare" in " ".join(html.split()).replace('<a class="v t-substantive" id="v2" href="#a2" data-n="2">', "").replace("</a>", "")


def test_a_stale_correction_is_reported_by_name_and_the_run_goes_on(folder):
    fixes = folder / "corrections.toml"
    fixes.write_text(GOOD + STALE, encoding="utf-8")
    out = folder / "a.json"
    result = runner.invoke(app, ["align", *witnesses(folder), "--corrections", str(fixes), "-o", str(out)])
    assert result.exit_code == 0, result.output
    assert (f'warning: {fixes}:27: correction 4 (note "tame animals"): its words no longer stand in 1859'
            in result.output)
    data = json.loads(out.read_text(encoding="utf-8"))
    (refused,) = data["corrections"]["refused"]
    assert refused["correction"] == 4 and refused["kind"] == "note" and "no longer stand" in refused["reason"]
    assert sum(1 for e in data["apparatus"] if e.get("notes")) == 1  # the good ones still apply


def test_a_malformed_corrections_file_stops_the_run_with_exit_2_and_no_output(folder):
    fixes = folder / "corrections.toml"
    fixes.write_text('[[correction]]\nkind = "lemma"\nwords = "x"\n', encoding="utf-8")
    out = folder / "a.json"
    result = runner.invoke(app, ["align", *witnesses(folder), "--corrections", str(fixes), "-o", str(out)])
    assert result.exit_code == 2
    assert result.output.strip().splitlines() == [f"error: {fixes}:1:1: correction 1: lemma: name the chosen reading: "
                                                  "lemma (its text), lemma-witness (a witness reading it), or both"]
    assert not out.exists()


def test_the_project_names_its_corrections_file_and_init_writes_the_key_commented(folder):
    target, _ = init_project(folder)
    text = target.read_text(encoding="utf-8")
    assert '# corrections = "corrections.toml"' in text
    assert read_project(target).corrections is None
    (folder / "corrections.toml").write_text(GOOD + STALE, encoding="utf-8")
    target.write_text(text.replace('# corrections = "corrections.toml"', 'corrections = "corrections.toml"'), encoding="utf-8")
    assert read_project(target).corrections == folder / "corrections.toml"
    result = runner.invoke(app, ["run", str(target)])
    assert result.exit_code == 0, result.output
    assert 'correction 4 (note "tame animals")' in result.output
    data = json.loads((folder / "alignment.json").read_text(encoding="utf-8"))
    assert any(e["lemma"].get("chosen") for e in data["apparatus"])
    other = folder / "other.toml"
    other.write_text(STALE.replace("our oldest", "xx"), encoding="utf-8")
    result = runner.invoke(app, ["run", str(target), "--corrections", str(other), "-o", str(folder / "b.json")])
    assert result.exit_code == 0 and "other.toml:2: correction 1" in result.output
    missing = folder / "missing.toml"
    result = runner.invoke(app, ["run", str(target), "--corrections", str(missing), "-o", str(folder / "c.json")])
    assert result.exit_code == 2 and "missing.toml" in result.output
    assert not (folder / "c.json").exists()


@pytest.mark.parametrize("encoding", ["parallel-segmentation", "location-referenced", "double-end-point"])
def test_tei_with_corrections_is_valid_tei_all(folder, tei_all, encoding):
    fixes = folder / "corrections.toml"
    fixes.write_text(GOOD + STALE, encoding="utf-8")
    out = folder / "a.xml"
    result = runner.invoke(app, ["align", *witnesses(folder), "--corrections", str(fixes), "-o", str(out),
                                 "--encoding", encoding])
    assert result.exit_code == 0, result.output
    xml = out.read_bytes()
    assert errors(xml, tei_all) == []
    tei = etree.fromstring(xml)
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    notes = tei.xpath("//t:notesStmt/t:note", namespaces=ns)
    assert notes[0].text == "3 of 4 editorial corrections applied; 1 no longer applies:"
    assert 'correction 4 (note "tame animals")' in notes[1].text
    assert tei.xpath("//t:respStmt[@xml:id='editor']/t:resp", namespaces=ns)
