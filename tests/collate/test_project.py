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
    written = run_project(read)
    assert written == [folder / "out" / "app.xml", folder / "out" / "table"]
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
