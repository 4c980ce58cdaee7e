"""The ``collate`` command: through typer's CliRunner, and once as a real installed program."""

import csv
import io
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from typer.testing import CliRunner

from collate.cli import app

runner = CliRunner()


@pytest.fixture
def texts(tmp_path: Path) -> list[Path]:
    a = tmp_path / "A.txt"
    b = tmp_path / "B.txt"
    a.write_text("The black cat sat on the mat.\n", encoding="utf-8")
    b.write_text("The white cat sat on a mat!\n", encoding="utf-8")
    return [a, b]


def run(*args: str):
    return runner.invoke(app, [str(a) for a in args])


def test_align_writes_json_in_collatex_layout(texts, tmp_path):
    out = tmp_path / "out.json"
    result = run("align", *texts, "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["witnesses"] == ["A", "B"]
    assert data["table"][1] == [[{"t": "black", "n": "black", "i": 1}], [{"t": "white", "n": "white", "i": 1}]]
    for w in range(2):
        positions = [cell[0]["i"] for cell in (col[w] for col in data["table"]) if cell is not None]
        assert positions == list(range(len(positions)))


def test_format_follows_the_suffix_and_can_be_forced(texts, tmp_path):
    out = tmp_path / "table.csv"
    assert run("align", *texts, "-o", out).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == ["column", "A", "B", "variant", "type"]
    assert rows[2][1:3] == ["black", "white"] and rows[2][4] == "substantive"
    forced = tmp_path / "table.out"
    assert run("align", *texts, "-o", forced, "--format", "json").exit_code == 0
    assert json.loads(forced.read_text(encoding="utf-8"))["witnesses"] == ["A", "B"]


def test_text_table_on_stdout_when_no_output_is_given(texts):
    result = run("align", *texts)
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert lines[0].startswith("A | The | black")
    assert lines[1].startswith("B | The | white")


def test_text_table_leaves_a_gap_empty_so_that_a_dash_reads_as_the_witnesss_own(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("he wrote the letter. after a long time he came", encoding="utf-8")
    b.write_text("he wrote the letter:- he came", encoding="utf-8")
    result = run("align", a, b)
    assert result.exit_code == 0
    rows = {line.split("|")[0].strip(): [c.strip() for c in line.split("|")[1:]] for line in result.stdout.splitlines()[:2]}
    assert rows["a"].count("-") == 0 and rows["b"].count("-") == 1
    assert rows["b"][rows["a"].index("long")] == ""


def test_base_and_sigla_options(texts, tmp_path):
    out = tmp_path / "out.json"
    assert run("align", *texts, "-o", out, "--siglum", "X", "--siglum", "Y", "--base", "Y").exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["witnesses"] == ["X", "Y"] and data["base"] == "Y"
    assert data["apparatus"][0]["lemma"] == {"text": "white", "wit": ["Y"]}


def test_normalisation_rules_from_the_command_line(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("the paſſage", encoding="utf-8")
    b.write_text("the passage", encoding="utf-8")
    out = tmp_path / "o.json"
    assert run("align", a, b, "-o", out, "--rule", "ſ=s").exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["table"][1][0] == [{"t": "paſſage", "n": "passage", "i": 1}]
    assert data["apparatus"][0]["type"] == "orthographic"


@pytest.mark.parametrize(
    "make_args, message",
    [
        (lambda t, d: ["align", t[0]], "at least two witnesses"),
        (lambda t, d: ["align", t[0], d / "missing.txt"], "missing.txt: no such file"),
        (lambda t, d: ["align", *t, "--base", "Z"], "unknown base witness 'Z'"),
        (lambda t, d: ["align", *t, "--encoding", "bogus"], "unknown encoding 'bogus'"),
        (lambda t, d: ["align", *t, "--rule", "nothing"], "--rule takes FROM=TO"),
        (lambda t, d: ["align", *t, "-o", d / "out.docx"], "cannot tell the format"),
    ],
)
def test_bad_usage_is_one_line_on_stderr_with_exit_code_2(texts, tmp_path, make_args, message):
    result = run(*make_args(texts, tmp_path))
    assert result.exit_code == 2
    assert result.stderr.startswith("error: ")
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert "Traceback" not in result.output


def test_duplicate_sigla_are_refused(tmp_path):
    (tmp_path / "x").mkdir()
    (tmp_path / "y").mkdir()
    a, b = tmp_path / "x" / "A.txt", tmp_path / "y" / "A.txt"
    a.write_text("one", encoding="utf-8")
    b.write_text("two", encoding="utf-8")
    result = run("align", a, b)
    assert result.exit_code == 2
    assert "duplicate siglum 'A'" in result.stderr


def test_malformed_xml_names_file_line_and_column(texts, tmp_path):
    bad = tmp_path / "bad.xml"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text><body><p>a</body></text></TEI>', encoding="utf-8")
    result = run("align", texts[0], bad)
    assert result.exit_code == 2
    assert result.stderr.startswith(f"error: {bad}:2:")
    assert "malformed XML" in result.stderr


def test_invalid_utf8_and_nul_bytes_are_reported_with_position(texts, tmp_path):
    latin = tmp_path / "latin.txt"
    latin.write_bytes("line one\ncaf\xe9".encode("latin-1"))
    result = run("align", texts[0], latin)
    assert result.exit_code == 2 and f"{latin}:2:4: not valid UTF-8" in result.stderr
    binary = tmp_path / "bin.txt"
    binary.write_bytes(b"abc\x00def")
    result = run("align", texts[0], binary)
    assert result.exit_code == 2 and f"{binary}:1:4: NUL character" in result.stderr


def test_a_failed_run_leaves_no_output_and_keeps_an_existing_one(texts, tmp_path):
    out = tmp_path / "out.json"
    assert run("align", texts[0], tmp_path / "missing.txt", "-o", out).exit_code == 2
    assert not out.exists()
    out.write_text("precious", encoding="utf-8")
    assert run("align", texts[0], tmp_path / "missing.txt", "-o", out).exit_code == 2
    assert out.read_text(encoding="utf-8") == "precious"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["A.txt", "B.txt", "out.json"]


def test_utf8_bom_and_utf16_witnesses_are_read(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_bytes("\ufeffnaïve text".encode("utf-8"))
    b.write_bytes("naïve text".encode("utf-16"))
    out = tmp_path / "o.json"
    assert run("align", a, b, "-o", out).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["apparatus"] == []


def test_the_installed_command_runs_as_a_real_program(texts, tmp_path):
    exe = Path(sys.executable).parent / "collate"
    assert exe.exists(), "the package must install a `collate` command"
    out = tmp_path / "real.json"
    done = subprocess.run(
        [str(exe), "align", *map(str, texts), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
        env={**os.environ, "PYTHONWARNINGS": "error"},
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["witnesses"] == ["A", "B"]
    bad = subprocess.run([str(exe), "align", str(texts[0])], capture_output=True, text=True, timeout=120)
    assert bad.returncode == 2
    assert bad.stderr.strip() == "error: collation needs at least two witnesses, got 1"


def test_import_reads_our_tei_apparatus_back_into_the_same_table(texts, tmp_path):
    tei, direct, back = tmp_path / "app.xml", tmp_path / "direct.json", tmp_path / "back.json"
    assert run("align", *texts, "-o", tei).exit_code == 0
    assert run("align", *texts, "-o", direct).exit_code == 0
    assert run("import", tei, "-o", back).exit_code == 0
    assert back.read_text(encoding="utf-8") == direct.read_text(encoding="utf-8")
    result = run("import", tei, "--base", "B", "-f", "json")
    assert result.exit_code == 0 and '"base":"B"' in result.stdout
    missing = run("import", tmp_path / "nope.xml")
    assert missing.exit_code == 2 and "nope.xml: no such file" in missing.stderr


def test_csv_cells_that_a_spreadsheet_would_run_are_neutralised(tmp_path):
    a, b = tmp_path / "a.txt", tmp_path / "b.txt"
    a.write_text("x - y", encoding="utf-8")
    b.write_text("x @ y", encoding="utf-8")
    out = tmp_path / "t.csv"
    assert run("align", a, b, "-o", out, "--siglum", "=HYPERLINK(1)", "--siglum", "-B1").exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0][1:3] == ["'=HYPERLINK(1)", "'-B1"]
    assert ["-", "@"] in [r[1:3] for r in rows]  # one character cannot be a formula: written as it is


def test_csv_rows_inside_an_outer_entry_name_it(tmp_path):
    """A moved passage in which b also varies: its rows give the move's entry, or the entry inside it."""
    texts = {
        "a": "The black cat sat quietly on the old mat, and the dog slept by the door. It was a good day.",
        "b": "The black cat sat quietly on the old mat and the dog lay by the door. It was a good day.",
        "c": "And the dog slept by the door; the black cat sat quietly on the old mat. It was a good day.",
    }
    paths = []
    for siglum, text in texts.items():
        paths.append(tmp_path / f"{siglum}.txt")
        paths[-1].write_text(text, encoding="utf-8")
    out = tmp_path / "t.csv"
    assert run("align", *paths, "-o", out).exit_code == 0
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    by_word = {r[1]: (r[4], r[5]) for r in rows[1:] if r[1] and r[3] == ""}  # a's words that c moved away
    move = by_word["dog"]
    assert move[1] == "transposition" and by_word["and"] == move and by_word["door"] == move
    assert by_word["slept"][1] == "substantive" and by_word["slept"][0] != move[0]


APPARATUS = Path(__file__).resolve().parents[1] / "data" / "tei_apparatus"


def test_import_a_third_party_apparatus_with_notes_on_stderr(tmp_path):
    out = tmp_path / "back.json"
    result = run("import", APPARATUS / "correctors.xml", "-o", out)
    assert result.exit_code == 0, result.output
    assert "siglum '01C' is read as witness '01' (a correction)" in result.stderr
    assert "siglum '01*', the first hand of '01', is a witness of its own" in result.stderr
    assert "@wit names '424C2', which is not in listWit; added as witness '424'" in result.stderr
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["witnesses"] == ["01", "01*", "03", "044", "424"]
    # Another base keeps the source's entries and its lacunae.
    result = run("import", APPARATUS / "negative-lacunae.xml", "--base", "A", "-f", "json")
    data = json.loads(result.stdout)
    assert data["base"] == "A" and len(data["apparatus"]) == 6
    assert data["apparatus"][1]["lacking"] == [{"wit": ["B"], "kind": "lacunose"}]


def test_import_refuses_an_encoding_the_apps_contradict(tmp_path):
    bad = tmp_path / "bad.xml"
    text = (APPARATUS / "located.xml").read_text(encoding="utf-8")
    bad.write_text(text.replace("</teiHeader>", '<encodingDesc><variantEncoding method="parallel-segmentation" '
                                "location=\"internal\"/></encodingDesc></teiHeader>"), encoding="utf-8")
    out = tmp_path / "out.json"
    result = run("import", bad, "-o", out)
    assert result.exit_code == 2 and not out.exists()
    assert result.stderr.startswith(f"error: {bad}:2: variantEncoding says parallel-segmentation")


def test_what_the_reader_assumed_is_one_warning_line_each_and_the_run_succeeds(tmp_path):
    data = Path(__file__).resolve().parents[1] / "data" / "tei_reading"
    published, repaired = data / "span-dangling.xml", data / "span-dangling-repaired.xml"
    out = tmp_path / "table.json"
    result = run("align", published, repaired, "-o", out)
    assert result.exit_code == 0, result.output
    lines = result.stderr.strip().splitlines()
    assert [line.split(": ", 2)[:2] for line in lines] == [["warning", f"{published}:14"], ["warning", f"{published}:19"]]
    assert "enclosing <p>" in lines[0]
    table = json.loads(out.read_text(encoding="utf-8"))
    # Read with its spans bounded, the published file agrees with its repaired twin word for word.
    assert table["apparatus"] == []
