"""Broken and odd input through the ``collate`` command: a bad file is one line on stderr (with
FILE:LINE:COL where the position is known) and exit code 2; an odd but valid one is collated correctly.

Cases already pinned down in tests/collate/test_cli.py are not repeated here: an unclosed tag, a Latin-1
plain-text file, NUL in plain text, UTF-8 with a BOM and UTF-16 plain text, two files with one siglum,
an unknown --base.

"Mixed encodings" means, here, a file whose bytes contradict what it says or what it began as:
- plain text that is UTF-8 and then has single-byte (Latin-1/Windows-1252) text in it;
- XML declared ISO-8859-1/Windows-1252/US-ASCII whose bytes are UTF-8 (read as declared, é would be Ã©);
- XML that is 8-bit text but declares UTF-16;
- XML with no declaration (so UTF-8) holding Latin-1 bytes, alone or after UTF-8 text;
- UTF-16 without a byte order mark, as plain text or as XML without a declaration.
Each gets its own message, at the first offending character.
"""

import codecs
import json
from pathlib import Path

import pytest

from .helpers import TEI_CLOSE, TEI_OPEN, assert_refused, cli, listing, tei

BASE_TEXT = "The black cat sat on the mat.\n"


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    path = tmp_path / "A.txt"
    path.write_text(BASE_TEXT, encoding="utf-8")
    return path


def write(folder: Path, name: str, data: bytes | str) -> Path:
    path = folder / name
    path.write_bytes(data.encode("utf-8") if isinstance(data, str) else data)
    return path


def rows(out: Path) -> dict[str, list[tuple[str, int]]]:
    """Each witness's tokens as read back from the JSON table, in column order: (text, position)."""
    data = json.loads(out.read_text(encoding="utf-8"))
    found: dict[str, list[tuple[str, int]]] = {s: [] for s in data["witnesses"]}
    for column in data["table"]:
        for siglum, cell in zip(data["witnesses"], column):
            found[siglum].extend((t["t"], t["i"]) for t in cell or [])
    return found


def refused_without_output(tmp_path: Path, witness: Path, message: str, *, line=None, column=None, plain=None):
    plain = plain or write(tmp_path, "A.txt", BASE_TEXT)
    before = listing(tmp_path)
    result = cli("align", plain, witness, "-o", tmp_path / "out.json")
    shown = assert_refused(result, witness, message, line=line, column=column)
    assert listing(tmp_path) == before
    return shown


# ----------------------------------------------------------------------------------------- malformed XML


@pytest.mark.parametrize(
    "data, message, line, column",
    [
        (TEI_OPEN + "The cat", "Premature end of data", 1, 64),
        (TEI_OPEN + "x" + TEI_CLOSE + "junk", "Extra content at the end of the document", 1, 82),
        (TEI_OPEN + "x" + TEI_CLOSE + "\n" + TEI_OPEN + "x" + TEI_CLOSE, "Extra content", 2, 1),
        (TEI_OPEN + "\nThe&nbsp;cat" + TEI_CLOSE, "Entity 'nbsp' not defined", 2, 10),
        (TEI_OPEN + "Smith & Sons" + TEI_CLOSE, "xmlParseEntityRef: no name", 1, 64),
        (TEI_OPEN.replace("<p>", '<p rend="a>') + "x" + TEI_CLOSE, "Unescaped '<' not allowed", 1, 66),
        (b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", "Start tag expected", 1, 1),
    ],
    ids=["truncated", "trailing-junk", "two-roots", "html-entity", "bare-ampersand", "open-quote", "binary"],
)
def test_malformed_xml_is_one_line_with_its_position(tmp_path, data, message, line, column):
    bad = write(tmp_path, "bad.xml", data)
    shown = refused_without_output(tmp_path, bad, message, line=line, column=column)
    assert "malformed XML" in shown


# --------------------------------------------------------------------------------------------- encodings


def cafe(declaration: str = "") -> str:
    return tei("The café sat.", declaration=declaration)


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + cafe().encode("utf-8"),
        codecs.BOM_UTF8 + cafe('<?xml version="1.0" encoding="ISO-8859-1"?>').encode("utf-8"),  # the BOM wins
        codecs.BOM_UTF16_LE + cafe('<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16-le"),
        codecs.BOM_UTF16_BE + cafe('<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16-be"),
        cafe('<?xml version="1.0" encoding="UTF-16"?>').encode("utf-16-be"),  # the declaration shows the order
        cafe('<?xml version="1.0" encoding="ISO-8859-1"?>').encode("latin-1"),
        cafe('<?xml version="1.0" encoding="windows-1252"?>').replace("The", "“The”").encode("cp1252"),
    ],
    ids=["utf8-bom", "utf8-bom-over-latin1-declaration", "utf16le-bom", "utf16be-bom", "utf16be-declared",
         "latin1-declared", "cp1252-declared"],
)
def test_xml_in_any_declared_or_marked_encoding_reads_the_same_words(tmp_path, plain, data):
    witness = write(tmp_path, "B.xml", data)
    out = tmp_path / "out.json"
    result = cli("align", plain, witness, "-o", out)
    assert result.exit_code == 0, result.output
    words = [t for t, _ in rows(out)["B"] if t not in "“”"]
    assert words == ["The", "café", "sat", "."]


def test_utf16_big_endian_plain_text_with_a_bom_is_read(tmp_path, plain):
    witness = write(tmp_path, "B.txt", codecs.BOM_UTF16_BE + "The naïve cat.".encode("utf-16-be"))
    out = tmp_path / "out.json"
    assert cli("align", plain, witness, "-o", out).exit_code == 0
    assert [t for t, _ in rows(out)["B"]] == ["The", "naïve", "cat", "."]


# (file name, bytes, message, line, column)
ENCODING_CASES = [
    (
        "mixed.txt",
        "first line café\n".encode("utf-8") + "second line café".encode("latin-1"),
        "not valid UTF-8 (byte 0xe9, 'é' in Windows-1252/Latin-1) after UTF-8 text: the file mixes encodings",
        2, 16,
    ),
    (
        "quotes.txt",
        "naïve and ".encode("utf-8") + "“quoted”".encode("cp1252"),
        "(byte 0x93, '“' in Windows-1252/Latin-1) after UTF-8 text",
        1, 11,
    ),
    ("nobom.txt", "The naïve cat sat.".encode("utf-16-le"), "looks like UTF-16LE without a byte order mark", 1, 1),
    ("nobom-be.txt", "The naïve cat sat.".encode("utf-16-be"), "looks like UTF-16BE without a byte order mark", 1, 1),
    ("odd.txt", codecs.BOM_UTF16_LE + "café".encode("utf-16-le") + b"a", "not valid UTF-16 (byte 0x61)", 1, 5),
    ("ctrl.txt", "The cat\n sat\x01 on".encode("utf-8"), "control character U+0001 in text", 2, 5),
    ("esc.txt", "The \x1b[1mcat".encode("utf-8"), "control character U+001B in text", 1, 5),
    ("nonchar.txt", "The cat \ufffe".encode("utf-8"), "noncharacter U+FFFE in text", 1, 9),
    (
        "declared-latin1.xml",
        cafe('<?xml version="1.0" encoding="ISO-8859-1"?>').encode("utf-8"),
        "the XML declaration says encoding=\"ISO-8859-1\" but the text is UTF-8 ('é' would read as 'Ã©')",
        2, len(TEI_OPEN) + len("The caf") + 1,
    ),
    (
        "declared-ascii.xml",
        cafe('<?xml version="1.0" encoding="US-ASCII"?>').encode("utf-8"),
        "the XML declaration says encoding=\"US-ASCII\" but the text is UTF-8",
        2, len(TEI_OPEN) + len("The caf") + 1,
    ),
    (
        "declared-utf16.xml",
        cafe('<?xml version="1.0" encoding="UTF-16"?>').encode("utf-8"),
        "the XML declaration says encoding=\"UTF-16\" but the file is 8-bit text",
        1, len('<?xml version="1.0" encoding="') + 1,
    ),
    (
        "latin1.xml",
        cafe().encode("latin-1"),
        "malformed XML: not valid UTF-8 (byte 0xe9); convert the file to UTF-8",
        1, len(TEI_OPEN) + len("The caf") + 1,
    ),
    (
        "mixed.xml",
        tei("The café\nand the ").encode("utf-8").replace(b"and the ", "and the café".encode("latin-1")),
        "malformed XML: not valid UTF-8 (byte 0xe9, 'é' in Windows-1252/Latin-1) after UTF-8 text",
        2, len("and the caf") + 1,
    ),
    ("nobom.xml", cafe().encode("utf-16-le"), "looks like UTF-16LE without a byte order mark", 1, 1),
    (
        "unknown.xml",
        cafe('<?xml version="1.0" encoding="klingon-8"?>').encode("utf-8"),
        "Unsupported encoding: klingon-8",
        1, None,
    ),
    ("nul.xml", tei("The c\x00at").encode("utf-8"), "Char 0x0 out of allowed range", 1, len(TEI_OPEN) + 6),
]


@pytest.mark.parametrize("name, data, message, line, column", [pytest.param(*c, id=c[0]) for c in ENCODING_CASES])
def test_wrong_or_mixed_encodings_are_named_at_the_first_bad_character(tmp_path, name, data, message, line, column):
    bad = write(tmp_path, name, data)
    refused_without_output(tmp_path, bad, message, line=line, column=column)


def test_whitespace_controls_are_word_separators_and_every_output_is_written(tmp_path, plain):
    # Form feed (a page break in pdftotext output) and vertical tab are whitespace, not binary junk.
    witness = write(tmp_path, "B.txt", "The black\fcat sat\von the mat.\n")
    for name in ("out.json", "out.xml", "out.html", "out.csv"):
        result = cli("align", plain, witness, "-o", tmp_path / name)
        assert result.exit_code == 0, result.output
    assert [t for t, _ in rows(tmp_path / "out.json")["B"]] == ["The", "black", "cat", "sat", "on", "the", "mat", "."]


# ------------------------------------------------------------------------------------ empty and odd sizes


@pytest.mark.parametrize(
    "name, data, message, line",
    [
        ("empty.txt", b"", "witness has no text to collate", None),
        ("blank.txt", b"  \n\t\n", "witness has no text to collate", None),
        ("bom-only.txt", codecs.BOM_UTF8, "witness has no text to collate", None),
        ("empty.xml", b"", "empty file", None),
        ("blank.xml", b"\n  \n", "empty file", None),
        ("no-words.xml", tei("  "), "witness 'no-words' has no text to collate", 1),
        ("only-a-note.xml", tei("<note>only a note</note>"), "has no text to collate", 1),
        ("header-only.xml", '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>', "no <text> element", 1),
        (
            "empty-group.xml",
            '<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text><group></group></text></TEI>',
            "<group> holds no <text> element",
            2,
        ),
        ("empty-corpus.xml", '<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"/>', "teiCorpus holds no TEI document", 1),
    ],
)
def test_an_empty_witness_is_refused(tmp_path, name, data, message, line):
    bad = write(tmp_path, name, data)
    refused_without_output(tmp_path, bad, message, line=line)


def test_a_witness_of_one_token(tmp_path, plain):
    one = write(tmp_path, "B.txt", "cat")
    out = tmp_path / "out.json"
    assert cli("align", plain, one, "-o", out).exit_code == 0
    got = rows(out)
    assert got["B"] == [("cat", 0)]
    assert got["A"] == [(t, i) for i, t in enumerate(["The", "black", "cat", "sat", "on", "the", "mat", "."])]
    data = json.loads(out.read_text(encoding="utf-8"))
    [column] = [c for c in data["table"] if c[1] is not None]
    assert column[0] == [{"t": "cat", "n": "cat", "i": 2}]  # placed against its own word


def test_two_identical_witnesses_agree_everywhere(tmp_path, plain):
    twin = write(tmp_path, "B.txt", BASE_TEXT)
    out = tmp_path / "out.json"
    assert cli("align", plain, twin, "-o", out).exit_code == 0
    data = json.loads(out.read_text(encoding="utf-8"))
    assert data["apparatus"] == []
    assert all(column[0] == column[1] for column in data["table"])
    assert len(data["table"]) == 8


def test_twenty_witnesses(tmp_path, tei_all):
    from lxml import etree

    words = "the black cat sat on the mat and looked at the dog".split()
    paths = []
    for k in range(20):
        text = list(words)
        text[k % len(words)] = f"w{k}"  # one word of its own
        if k % 3 == 0:
            del text[(k + 5) % len(text)]  # and every third witness lacks one
        paths.append(write(tmp_path, f"W{k:02d}.txt", " ".join(text)))
    out = tmp_path / "out.json"
    assert cli("align", *paths, "-o", out).exit_code == 0
    got = rows(out)
    assert list(got) == [f"W{k:02d}" for k in range(20)]
    for path in paths:
        tokens = path.read_text(encoding="utf-8").split()
        assert got[path.stem] == [(t, i) for i, t in enumerate(tokens)]
    assert cli("align", *paths, "-o", tmp_path / "out.xml").exit_code == 0
    assert tei_all.validate(etree.parse(str(tmp_path / "out.xml"))), tei_all.error_log


# -------------------------------------------------------------------------------------------------- sigla


def test_duplicate_sigla_given_on_the_command_line(tmp_path, plain):
    other = write(tmp_path, "B.txt", "The white cat.")
    result = cli("align", plain, other, "--siglum", "X", "--siglum", "X", "-o", tmp_path / "out.json")
    assert_refused(result, other, "duplicate siglum 'X'")
    assert not (tmp_path / "out.json").exists()


def test_duplicate_sigla_inside_one_tei_corpus(tmp_path, plain):
    member = '<TEI n="A"><text><body><p>{}</p></body></text></TEI>'
    corpus = write(
        tmp_path,
        "corpus.xml",
        '<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/>'
        + member.format("one cat") + member.format("two cats") + "</teiCorpus>",
    )
    assert_refused(cli("align", corpus), corpus, "duplicate siglum 'A'")


def test_a_tei_siglum_clashing_with_a_file_name(tmp_path, plain):
    clash = write(tmp_path, "B.xml", tei("The cat.").replace("<TEI ", '<TEI n="A" '))
    assert_refused(cli("align", plain, clash), clash, "duplicate siglum 'A'")


def test_the_number_of_sigla_must_match(tmp_path, plain):
    other = write(tmp_path, "B.txt", "The white cat.")
    result = cli("align", plain, other, "-s", "X", "-s", "Y", "-s", "Z")
    assert result.exit_code == 2
    assert result.stderr == "error: 3 sigla given for 2 witnesses\n"


# -------------------------------------------------------------------------------------- not a witness file


def test_a_folder_is_not_a_witness(tmp_path, plain):
    folder = tmp_path / "folder"
    folder.mkdir()
    assert_refused(cli("align", plain, folder), folder, "is a directory, not a witness file")


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_read_only_up_to_the_size_limit(tmp_path, plain, monkeypatch):
    import witnesses.files

    monkeypatch.setattr(witnesses.files, "MAX_BYTES", 1 << 20)
    # Not a regular file: refused unless asked for, and then read only up to the limit.
    assert_refused(cli("align", plain, "/dev/zero"), "/dev/zero", "is a character device, not a regular file")
    assert_refused(cli("align", "--allow-pipes", plain, "/dev/zero"), "/dev/zero",
                   "file too large (more than 1048576 bytes)")
    big = write(tmp_path, "big.txt", "word " * 300_000)
    assert_refused(cli("align", plain, big), big, "file too large (1500000 bytes; limit 1048576)")


def test_running_out_of_memory_is_one_line_and_writes_nothing(tmp_path, plain, monkeypatch):
    # Whatever part of a run asks for more memory than there is, the command must end in one line, exit
    # code 2, and no output.
    from collate import api

    def exhausted(*args, **kwargs):
        raise MemoryError

    monkeypatch.setattr(api, "collate", exhausted)
    other = write(tmp_path, "B.txt", "The white cat.")
    out = tmp_path / "out.json"
    result = cli("align", plain, other, "-o", out)
    assert result.exit_code == 2 and "Traceback" not in result.output
    assert result.stderr == "error: out of memory: the witnesses are too large to collate on this machine\n"
    assert not out.exists()
