"""The project file: ``collate init`` writes one, ``collate run`` does the whole job, flags win over it."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest
from typer.testing import CliRunner

import collate
from collate.cli import app
from collate.errors import CollateError, InputError, UsageError
from collate.project import init_project, override, parse_project, read_project, run_project

DATA = Path(__file__).resolve().parents[1] / "data"
SIGLA = ["1859", "1860", "1861", "1866", "1869", "1872"]
runner = CliRunner()


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    for s in SIGLA:
        shutil.copy(DATA / "darwin_para1" / f"{s}.txt", tmp_path / f"{s}.txt")
    return tmp_path


def test_init_then_run_gives_what_align_gives(folder):
    result = runner.invoke(app, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    text = (folder / "collate.toml").read_text(encoding="utf-8")
    assert text.count("[[witness]]") == 6 and 'siglum = "1866"' in text and text.startswith("# collate.toml")
    result = runner.invoke(app, ["run", str(folder / "collate.toml")])
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in folder.iterdir() if not p.name.endswith(".txt")) == [
        "alignment.json", "apparatus.html", "apparatus.xml", "collate.toml"]
    golden = (DATA / "darwin_para1" / "alignment.json").read_text(encoding="utf-8")
    assert (folder / "alignment.json").read_text(encoding="utf-8") == golden


def test_init_refuses_to_overwrite_and_leaves_out_what_is_no_witness(folder):
    init_project(folder)
    with pytest.raises(UsageError, match="already exists"):
        init_project(folder)
    (folder / "alignment.json").write_text('{"witnesses": ["A", "B"], "table": []}', encoding="utf-8")
    target, skipped = init_project(folder, force=True)
    assert [p.name for p, _ in skipped] == ["alignment.json"]
    text = target.read_text(encoding="utf-8")
    assert "# not a witness, left out: alignment.json" in text
    assert len(read_project(target).witnesses) == 6
    result = runner.invoke(app, ["init", str(folder), "--force"])
    assert "warning: " in result.output and "alignment.json" in result.output


def test_settings_and_metadata_overrides_reach_the_outputs(folder):
    project = folder / "collate.toml"
    project.write_text(
        """
[collation]
base = "B"
normalize = "nfc,lowercase"
near = 1
max-move = 0

[[witness]]
path = "1859.txt"
siglum = "A"
title = "On the Origin of Species"
date = "1859"
source = "London: John Murray"

[[witness]]
path = "1872.txt"
siglum = "B"

[output]
files = ["out/app.xml", {path = "out/table", format = "json"}]
tei-encoding = "double-end-point"
""",
        encoding="utf-8",
    )
    read = read_project(folder)  # a folder means its collate.toml
    assert read.base == "B" and read.near is None and read.max_move == 0 and read.normalize == ("nfc", "lowercase")
    written = run_project(read).written
    assert written == (folder / "out" / "app.xml", folder / "out" / "table")
    tei = written[0].read_text(encoding="utf-8")
    assert "On the Origin of Species" in tei and "London: John Murray" in tei
    assert 'method="double-end-point"' in tei
    data = json.loads(written[1].read_text(encoding="utf-8"))
    assert data["witnesses"] == ["A", "B"] and data["base"] == "B"
    # The same collation through the API.
    witnesses = collate.load([folder / "1859.txt", folder / "1872.txt"], sigla=["A", "B"])
    expected = collate.collate(witnesses, base="B", options=collate.Options(near=None, max_move=0))
    assert data["apparatus"] == json.loads(collate.render(expected, "json"))["apparatus"]


def test_command_line_flags_win_over_the_file(folder):
    init_project(folder)
    out = folder / "only.csv"
    result = runner.invoke(app, ["run", str(folder), "-o", str(out), "--base", "1872", "--rule", "ſ=s"])
    assert result.exit_code == 0, result.output
    assert result.output.strip() == str(out)
    assert not (folder / "apparatus.html").exists()  # -o replaces the project's outputs
    project = override(read_project(folder), base="1869", near=1.0, rules=["æ=ae"], normalize="nfc")
    assert project.base == "1869" and project.near is None and ("æ", "ae") in project.equivalences
    assert project.normalize == ("nfc",)
    with pytest.raises(UsageError, match="unknown normaliser"):
        override(project, normalize="nfc,shout")
    with pytest.raises(UsageError, match="FROM=TO"):
        override(project, rules=["=x"])


@pytest.mark.parametrize(
    "text, message",
    [
        ("[collation]\nbase = \n", "collate.toml:2:8: not valid TOML: Invalid value"),
        ("[colation]\n", "colation: unknown key"),
        ("[[witness]]\nsiglum = 'A'\n", "witness[1]: needs a path"),
        ("[[witness]]\npath = 'a.txt'\nsigil = 'A'\n", "witness[1].sigil: unknown key"),
        ("[[witness]]\npath = 'a.xml'\nsigla = ['A', 'B']\ntitle = 'x'\n", "describe one witness"),
        ("[collation]\nnear = 2\n", "collation.near: must be a number"),
        ("[collation]\nmax-move = -1\n", "collation.max-move"),
        ("[tei]\nstage = 'during'\n", "tei.stage"),
        ("[output]\nfiles = ['x.docx']\n", "cannot tell the format"),
        ("[output]\ntei-encoding = 'stand-off'\n", "unknown TEI encoding"),
    ],
)
def test_bad_project_files_are_refused_with_the_place(text, message):
    with pytest.raises(CollateError) as caught:
        parse_project(text, path="p/collate.toml")
    assert message in str(caught.value)
    assert str(caught.value).startswith("p/collate.toml")


def test_a_failed_run_writes_nothing(folder):
    (folder / "apparatus.html").write_text("old", encoding="utf-8")
    (folder / "collate.toml").write_text(
        '[[witness]]\npath = "1859.txt"\n[[witness]]\npath = "missing.txt"\n'
        '[output]\nfiles = ["apparatus.html", "alignment.json"]\n',
        encoding="utf-8",
    )
    result = runner.invoke(app, ["run", str(folder / "collate.toml")])
    assert result.exit_code == 2
    assert result.output.startswith(f"error: {folder / 'missing.txt'}: no such file")
    assert (folder / "apparatus.html").read_text(encoding="utf-8") == "old"
    assert not (folder / "alignment.json").exists()
    with pytest.raises(InputError, match="no such file"):
        read_project(folder / "elsewhere.toml")


REGULARISED = """
[[witness]]
path = "A.txt"
[[witness]]
path = "B.txt"

[[regularize]]
from = "ye"
to = "the"
class = "abbreviation"

[[regularize]]
from = "1st"
to = "first"
class = "numeral"
witness = "B"
at = 3

[[regularize]]
from = "shoppe"
to = "shop"
witness = "A"
line = "9"

[output]
files = ["out.json", "out.xml", "out.html"]
"""


@pytest.fixture
def regularised(tmp_path: Path) -> Path:
    (tmp_path / "A.txt").write_text("The old shop first opened.\n", encoding="utf-8")
    (tmp_path / "B.txt").write_text("Ye old shop 1st opened.\n", encoding="utf-8")
    (tmp_path / "collate.toml").write_text(REGULARISED, encoding="utf-8")
    return tmp_path


def test_regularisations_are_recorded_in_every_output(regularised, tei_all):
    from lxml import etree

    result = runner.invoke(app, ["run", str(regularised)])
    assert result.exit_code == 0, result.output
    # The place rule matched nothing: said on stderr, the run still succeeds.
    assert "warning: " in result.output and "regularize[3] (shoppe → shop) matched nothing at its place" in result.output

    data = json.loads((regularised / "out.json").read_text(encoding="utf-8"))
    b_tokens = [cell[1][0] for cell in data["table"] if cell[1] is not None]
    assert b_tokens[0] == {"t": "Ye", "n": "the", "i": 0, "r": {"from": "Ye", "to": "the", "class": "abbreviation"}}
    assert b_tokens[3] == {"t": "1st", "n": "first", "i": 3, "r": {"from": "1st", "to": "first", "class": "numeral"}}
    assert all("r" not in cell[0][0] for cell in data["table"] if cell[0] is not None)
    # "Ye"/"The" differ only as regularised: an orthographic entry, not a substantive one.
    first = data["apparatus"][0]
    assert (first["lemma"]["text"], first["readings"][0]["text"], first["type"]) == ("The", "Ye", "orthographic")

    tei = etree.parse(str(regularised / "out.xml"))
    assert tei_all.validate(tei), tei_all.error_log.last_error
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    groups = {g.get("type"): ["".join(r.itertext()) for r in g] for g in tei.iterfind(".//t:rdgGrp", ns)}
    assert groups["abbreviation"] == ["The", "Ye"]  # both readings keep their original form
    assert groups["numeral"] == ["first", "1st"]

    html = (regularised / "out.html").read_text(encoding="utf-8")
    assert 'class="reg" title="regularised: Ye → the (abbreviation)">reg. Ye → the (abbreviation)</span>' in html
    assert "1st → first (numeral)" in html


def test_rules_in_the_project_file_are_checked(regularised):
    with pytest.raises(InputError, match=r"regularize\[1\]: needs \"to\""):
        parse_project('[[regularize]]\nfrom = "a"\n', path="collate.toml")
    with pytest.raises(InputError, match=r"regularize\[1\]: rule 'a' → 'b': a place"):
        parse_project('[[regularize]]\nfrom = "a"\nto = "b"\nat = 4\n', path="collate.toml")
    with pytest.raises(InputError, match=r"regularize\[1\].at"):
        parse_project('[[regularize]]\nfrom = "a"\nto = "b"\nwitness = "A"\nat = -1\n', path="collate.toml")
    (regularised / "collate.toml").write_text(REGULARISED.replace('witness = "B"', 'witness = "Z"'), encoding="utf-8")
    result = runner.invoke(app, ["run", str(regularised)])
    assert result.exit_code == 2 and "unknown witness 'Z'" in result.output
    assert not (regularised / "out.json").exists()


def test_init_after_a_run_leaves_the_outputs_out(folder):
    init_project(folder)
    run_project(read_project(folder))  # writes apparatus.xml (six witnesses) and alignment.json beside them
    target, skipped = init_project(folder, force=True)
    assert sorted(p.name for p, _ in skipped) == ["alignment.json", "apparatus.xml"]
    assert "named already" in dict((p.name, r) for p, r in skipped)["apparatus.xml"]
    project = read_project(target)
    assert [w.path.name for w in project.witnesses] == [f"{s}.txt" for s in SIGLA]
    assert len(run_project(project).written) == 3
