"""Names are data, only regular files are read, no output is an input, nothing a DTD declares is applied.

File names of any bytes (a Latin-1 ``M\\xfcller.txt`` on a UTF-8 system, control characters, ESC sequences)
are read as ``os.fsdecode`` gives them and shown escaped in every output and message; a siglum XML cannot
hold is refused. A FIFO is refused before it is opened for reading (never waited on) unless asked for.
"""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest

from .helpers import TEI_CLOSE, TEI_OPEN, assert_refused, bounded, cli

pytestmark = pytest.mark.skipif(os.name != "posix", reason="POSIX file names and FIFOs")


def _write(folder: Path, name: bytes, text: str) -> Path:
    path = Path(os.fsdecode(os.path.join(os.fsencode(folder), name)))
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def odd(tmp_path: Path) -> tuple[Path, Path]:
    """Two witnesses: one with a Latin-1 byte in its name, one with ESC and BEL in its name."""
    return (
        _write(tmp_path, b"M\xfcller.txt", "The black cat sat on the mat.\n"),
        _write(tmp_path, b"x\x1b[31m\x07.txt", "The white cat sat on a mat.\n"),
    )


@pytest.mark.parametrize("suffix", [".xml", ".json", ".html", ".csv", ".txt"])
def test_file_names_of_any_bytes_collate_into_every_format(tmp_path, odd, suffix):
    out = tmp_path / f"out{suffix}"
    result = cli("align", *odd, "-o", out)
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    if suffix == ".json":
        assert json.loads(written)["witnesses"] == ["M\\xfcller", "x\\x1b[31m\\x07"]
    else:
        assert "M\\xfcller" in written and "x\\x1b[31m\\x07" in written
    assert "\x1b" not in written and "\x07" not in written


def test_names_reach_the_terminal_escaped(tmp_path, odd):
    result = cli("align", *odd)
    assert result.exit_code == 0
    assert "\x1b" not in result.stdout and "M\\xfcller" in result.stdout
    missing = _write(tmp_path, b"gone\x1b]0;pwned\x07.txt", "x")
    missing.unlink()
    refused = cli("align", odd[0], missing)
    assert refused.exit_code == 2
    assert "\x1b" not in refused.stderr and "\x07" not in refused.stderr
    assert "gone\\x1b]0;pwned\\x07.txt: no such file" in refused.stderr


@pytest.mark.parametrize("suffix", [".json", ".xml", ".html"])
def test_translate_with_odd_file_names(tmp_path, suffix):
    a = _write(tmp_path, b"tr\xfc.txt", "One sentence here. Another one there.\n")
    b = _write(tmp_path, b"de\x07.txt", "Ein Satz hier. Noch einer dort.\n")
    out = tmp_path / f"t{suffix}"
    result = cli("translate", a, b, "-o", out)
    assert result.exit_code == 0, result.output
    written = out.read_text(encoding="utf-8")
    assert ("tr\\\\xfc" if suffix == ".json" else "tr\\xfc") in written and "\x07" not in written


@pytest.mark.parametrize("siglum", ["", "  ", "a\x1b[2J", "b\x00", "c\n"])
def test_a_siglum_that_cannot_be_shown_or_written_is_refused(tmp_path, odd, siglum):
    result = cli("align", *odd, "--siglum", siglum, "--siglum", "B", "-o", tmp_path / "out.xml")
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1 and "siglum" in result.stderr
    assert "\x1b" not in result.stderr
    assert not (tmp_path / "out.xml").exists()


def test_a_fifo_witness_is_refused_without_waiting(tmp_path):
    plain = _write(tmp_path, b"A.txt", "The black cat.\n")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    # In a subprocess with a timeout: before, opening the FIFO waited for a writer for ever.
    done = bounded("align", plain, fifo, cwd=tmp_path, timeout=60)
    assert done.exit_code == 2, done.output
    assert done.stderr.splitlines() == [
        f"error: {fifo}: is a named pipe (FIFO), not a regular file; only regular files are read (give a pipe "
        "as '-' on standard input, or pass --allow-pipes)"
    ]


def test_a_fifo_is_read_when_asked_for(tmp_path):
    plain = _write(tmp_path, b"A.txt", "The black cat.\n")
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)

    def writer() -> None:
        with open(fifo, "w", encoding="utf-8") as handle:
            handle.write("The white cat.\n")

    thread = threading.Thread(target=writer, daemon=True)
    thread.start()
    result = cli("align", "--allow-pipes", plain, fifo, "-o", tmp_path / "out.json")
    thread.join(10)
    assert result.exit_code == 0, result.output
    assert json.loads((tmp_path / "out.json").read_text(encoding="utf-8"))["witnesses"] == ["A", "pipe"]


@pytest.mark.parametrize("command", ["align", "translate"])
def test_an_output_that_is_an_input_is_refused_and_left_alone(tmp_path, command):
    witness = _write(tmp_path, b"b2.txt", "One sentence here. Another one there.\n")
    other = _write(tmp_path, b"ref.txt", "One sentence there. Another here.\n")
    result = cli(command, witness, other, "-o", witness, "--format", "json") if command == "align" else \
        cli(command, witness, other, "-o", witness)
    assert_refused(result, witness, "the output is also an input")
    assert witness.read_text(encoding="utf-8") == "One sentence here. Another one there.\n"


def test_an_import_output_that_is_its_input_is_refused(tmp_path):
    a = _write(tmp_path, b"A.txt", "The black cat.\n")
    b = _write(tmp_path, b"B.txt", "The white cat.\n")
    app = tmp_path / "app.xml"
    assert cli("align", a, b, "-o", app).exit_code == 0
    before = app.read_bytes()
    assert_refused(cli("import", app, "-o", app), app, "the output is also an input")
    assert app.read_bytes() == before


# ------------------------------------------------------------------------------------------------ the DTD


def test_attribute_defaults_declared_in_the_doctype_are_not_applied(tmp_path):
    doctype = '<!DOCTYPE TEI [\n<!ATTLIST TEI n CDATA "SPOOF">\n<!ATTLIST lb break CDATA "no">\n]>\n'
    witness = tmp_path / "w.xml"
    witness.write_text(f"{doctype}{TEI_OPEN}one two\n<lb/>three four{TEI_CLOSE}", encoding="utf-8")
    other = _write(tmp_path, b"o.txt", "one two three four\n")
    out = tmp_path / "out.json"
    result = cli("align", witness, other, "-o", out)
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    # "two" and "three" stay two words: the line break stands between them (after a newline) and
    # break="no" is not applied.
    assert data["apparatus"] == []
    assert data["apparatus"] == []  # "two" and "three" stay two words: break="no" is not applied


def test_the_parser_keeps_no_doctype_to_consult(tmp_path):
    from tei.safe import parse

    tree = parse(b'<!DOCTYPE a [<!ATTLIST a n CDATA "X">]><a/>', "a.xml")
    assert tree.getroot().get("n") is None
    assert tree.docinfo.internalDTD is None


# ---------------------------------------------------------------------------------------- the importer

LAYOUT = "urn:x-collate-toolkit:alignment"


@pytest.fixture
def apparatus(tmp_path: Path) -> Path:
    a = _write(tmp_path, b"A.txt", "the black cat sat on the mat\n")
    b = _write(tmp_path, b"B.txt", "the cat black sat on mat the\n")
    c = _write(tmp_path, b"C.txt", "a the cat sat on a mat\n")
    out = tmp_path / "app.xml"
    assert cli("align", a, b, c, "-o", out).exit_code == 0
    assert f'xmlns:ct="{LAYOUT}"' in out.read_text(encoding="utf-8")
    return out


def _with_layout(apparatus: Path, entry: str) -> Path:
    text = apparatus.read_text(encoding="utf-8").replace(f'"{LAYOUT}">', f'"{LAYOUT}">{entry}', 1)
    bad = apparatus.with_name("bad.xml")
    bad.write_text(text, encoding="utf-8")
    return bad


@pytest.mark.parametrize(
    "entry, value",
    [('<ct:app ref="app-1" width="abc"/>', "'abc'"),
     ('<ct:app ref="app-1"><ct:cols wit="wit-A" n="-7"/></ct:app>', "'-7'")],
)
def test_layout_values_that_are_not_column_numbers_are_refused(apparatus, entry, value):
    bad = _with_layout(apparatus, entry)
    result = cli("import", bad)
    assert result.exit_code == 2 and result.stdout == ""
    [line] = result.stderr.splitlines()
    assert line.startswith(f"error: {bad}:") and f"layout value {value} is not a column number" in line


@pytest.mark.parametrize(
    "entry",
    ['<ct:app ref="app-1" width="40000000"/>', '<ct:app ref="app-1"><ct:cols wit="wit-A" n="40000000"/></ct:app>'],
)
def test_a_huge_layout_width_costs_nothing(apparatus, entry):
    bad = _with_layout(apparatus, entry)
    # With 1 GiB of address space: before, width="40000000" allocated 40 million columns (3.4 GB).
    done = bounded("import", bad, cwd=bad.parent)
    assert done.exit_code == 0, done.output
    assert json.loads(done.stdout)["witnesses"] == ["A", "B", "C"]


def test_standard_input_is_read_when_given_as_a_dash(tmp_path):
    from .helpers import runner
    from collate.cli import app

    plain = _write(tmp_path, b"A.txt", "The black cat.\n")
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["align", str(plain), "-", "-o", str(out)], input="The white cat.\n")
    assert result.exit_code == 0, result.output
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["witnesses"] == ["A", "stdin"]
    assert [reading["text"] for reading in data["apparatus"][0]["readings"]] == ["white"]


def test_output_paths_of_any_bytes(tmp_path):
    a = _write(tmp_path, b"A.txt", "The black cat.\n")
    b = _write(tmp_path, b"B.txt", "The white cat.\n")
    out = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"\xfc.json")))
    assert cli("align", a, b, "-o", out).exit_code == 0 and out.exists()
    odd = Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"x\xfc\x1b.bogus")))
    result = cli("align", a, b, "-o", odd)
    assert result.exit_code == 2
    assert "x\\xfc\\x1b.bogus'; give --format" in result.stderr and "\x1b" not in result.stderr
    demo = cli("demo", "-o", Path(os.fsdecode(os.path.join(os.fsencode(tmp_path), b"d\xfc"))))
    assert demo.exit_code == 0 and "d\\xfc/apparatus.html" in demo.stdout
