"""Output safety: an output is replaced only by a successful run and never left half-written; batch outputs
stay inside OUT_DIR whatever a manifest says; every piece of witness text and metadata is escaped in HTML."""

import csv
import io
import json
import os
import re
import shutil
from pathlib import Path

import lxml.html
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collate.batch.run import run_batch
from reports.html import static_text

from .helpers import assert_refused, cli, listing, tei


@pytest.fixture
def texts(tmp_path: Path) -> list[Path]:
    a, b = tmp_path / "A.txt", tmp_path / "B.txt"
    a.write_text("The black cat sat on the mat.\n", encoding="utf-8")
    b.write_text("The white cat sat on a mat!\n", encoding="utf-8")
    return [a, b]


# ------------------------------------------------------------------------------------------- atomic writes


def _disk_full(fd):
    raise OSError(28, "No space left on device")


@pytest.mark.parametrize(
    "stage",
    ["usage", "load", "collate", "write"],
)
@pytest.mark.parametrize("name", ["out.json", "out.xml", "out.html", "out.csv", "out.txt"])
def test_an_existing_output_survives_a_run_that_fails_at_any_stage(tmp_path, texts, monkeypatch, stage, name):
    out = tmp_path / name
    out.write_text("precious", encoding="utf-8")
    before = listing(tmp_path)
    args = ["align", *texts, "-o", out]
    if stage == "usage":
        args += ["--encoding", "bogus"]
    elif stage == "load":
        args[2] = tmp_path / "missing.txt"
    elif stage == "collate":
        args += ["--base", "Z"]
    else:
        monkeypatch.setattr(os, "fsync", _disk_full)
    result = cli(*args)
    assert result.exit_code == 2, result.output
    assert len(result.stderr.splitlines()) == 1 and "Traceback" not in result.output
    if stage == "write":
        assert result.stderr == f"error: {out}: No space left on device\n"  # the output, not a temporary file
    assert out.read_text(encoding="utf-8") == "precious"
    assert listing(tmp_path) == before  # no temporary file left beside it


def test_a_successful_run_replaces_the_output_whole(tmp_path, texts):
    out = tmp_path / "out.json"
    out.write_text("old" * 10_000, encoding="utf-8")
    assert cli("align", *texts, "-o", out).exit_code == 0
    assert json.loads(out.read_text(encoding="utf-8"))["witnesses"] == ["A", "B"]
    assert listing(tmp_path) == ["A.txt", "B.txt", "out.json"]


def test_writes_go_through_a_temporary_file_renamed_over_the_output(tmp_path, texts, monkeypatch):
    out = tmp_path / "out.json"
    out.write_text("precious", encoding="utf-8")
    renames = []
    real_replace = os.replace

    def watching_replace(src, dst):
        # At the moment of the rename the output still holds the old content, and the new one is complete.
        renames.append((Path(src), Path(dst), out.read_text(encoding="utf-8")))
        json.loads(Path(src).read_text(encoding="utf-8"))
        real_replace(src, dst)

    monkeypatch.setattr(os, "replace", watching_replace)
    assert cli("align", *texts, "-o", out).exit_code == 0
    [(src, dst, seen)] = renames
    assert dst == out and src.parent == out.parent and src.name.startswith(".out.json.")
    assert seen == "precious"


def test_an_output_path_that_is_a_folder_or_under_a_file_is_named(tmp_path, texts):
    folder = tmp_path / "folder"
    folder.mkdir()
    assert_refused(cli("align", *texts, "-o", folder, "--format", "json"), folder, "is a folder, not a file")
    assert list(folder.iterdir()) == []
    under = texts[0] / "out.json"
    assert_refused(cli("align", *texts, "-o", under), texts[0], "is a file, not a folder")
    assert texts[0].read_text(encoding="utf-8") == "The black cat sat on the mat.\n"


# ------------------------------------------------------------------------------------------- batch outputs


@pytest.fixture
def folders(tmp_path: Path, monkeypatch) -> Path:
    for folder in ("ref", "scans"):
        (tmp_path / folder).mkdir()
        (tmp_path / folder / "a.txt").write_text("He who laughs last laughs best.\n", encoding="utf-8")
    (tmp_path / "secret.txt").write_text("not for the report\n", encoding="utf-8")
    monkeypatch.chdir(tmp_path)
    return tmp_path


@pytest.mark.parametrize(
    "cell",
    [
        r"..\secret.txt",
        r"a.txt\..\..\secret.txt",
        "./../secret.txt",
        r"C:\Windows\win.ini",
        "C:secret.txt",
        r"\\server\share\secret.txt",
        "/etc/passwd",
    ],
)
@pytest.mark.parametrize("column", ["reference", "scan"])
def test_manifest_paths_cannot_leave_their_folders(folders, cell, column):
    row = {"id": "x", "reference": "a.txt", "scan": "a.txt", column: cell}
    buffer = io.StringIO()
    csv.writer(buffer, lineterminator="\n").writerows([list(row), list(row.values())])
    (folders / "manifest.csv").write_text(buffer.getvalue(), encoding="utf-8")
    result = cli("batch", "ref", "scans", "-o", "out", "--manifest", "manifest.csv", "--workers", "1")
    assert_refused(result, "manifest.csv", f"{column} path", line=2)
    assert not (folders / "out").exists()


def test_a_manifest_with_a_nul_byte_is_refused(folders):
    (folders / "manifest.csv").write_bytes(b"id,reference,scan\nx,a.txt\x00../secret.txt,a.txt\n")
    result = cli("batch", "ref", "scans", "-o", "out", "--manifest", "manifest.csv")
    assert_refused(result, "manifest.csv", "NUL character", line=2, column=8)
    assert not (folders / "out").exists()


_IDS = st.lists(
    st.text(st.characters(blacklist_categories=("Cs", "Cc")), min_size=1, max_size=300).map(str.strip).filter(bool),
    min_size=1,
    max_size=5,
    unique_by=str.lower,
)


@settings(max_examples=40, deadline=None, derandomize=True, database=None,
          suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(ids=_IDS)
def test_report_names_from_any_document_ids_stay_inside_out_dir(folders, ids):
    buffer = io.StringIO()
    rows = [["id", "reference", "scan"], *[[i, "a.txt", "a.txt"] for i in ids]]
    csv.writer(buffer, lineterminator="\n").writerows(rows)
    (folders / "manifest.csv").write_text(buffer.getvalue(), encoding="utf-8")
    out = folders / "out"
    shutil.rmtree(out, ignore_errors=True)  # each example starts afresh: no page left by an earlier one counts
    summary = run_batch("ref", "scans", out, manifest="manifest.csv", workers=1)
    documents = (out / "documents").resolve()
    reports = [d.report for d in summary.documents]
    assert sorted(d.id for d in summary.documents) == sorted(ids)
    assert len({r.lower() for r in reports}) == len(reports)
    for report in reports:
        path = (out / report).resolve()
        assert path.parent == documents and path.is_file()
        assert re.fullmatch(r"[A-Za-z0-9][A-Za-z0-9._-]*\.html", path.name) and len(path.name) < 200
    outside = {p.relative_to(folders).as_posix() for p in folders.rglob("*")} - {
        p.relative_to(folders).as_posix() for p in out.rglob("*")
    }
    assert outside == {"ref", "ref/a.txt", "scans", "scans/a.txt", "secret.txt", "manifest.csv", "out"}


# --------------------------------------------------------------------------------------------------- HTML

HOSTILE = [
    '"><svg onload=alert(1)>',
    "<script>alert(2)</script>",
    "<img src=x onerror=alert(3)>",
    "javascript:alert(4)",
    "</title><iframe src=javascript:alert(5)>",
    "{{7*7}} ${7*7} <!-- --> ]]> &amp; &lt;",
]


def test_html_escapes_every_piece_of_witness_text_and_metadata(tmp_path):
    # Sigla from file names and from TEI @n, header metadata (title, date, source), and the text itself.
    first = tmp_path / HOSTILE[0]
    first.write_text(f"The cat {HOSTILE[1]} sat.\n", encoding="utf-8")
    second = tmp_path / "second.xml"
    header = (
        "<teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt><publicationStmt><p/></publicationStmt>"
        '<sourceDesc><bibl>{source}<date when="{date}">{date}</date></bibl></sourceDesc></fileDesc></teiHeader>'
    )
    from xml.sax.saxutils import escape, quoteattr

    doc = tei(f"The dog {escape(HOSTILE[4])} sat.").replace(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0">',
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0" n={quoteattr(HOSTILE[2])}>'
        + header.format(title=escape(HOSTILE[3]), source=escape(HOSTILE[5]), date=escape(HOSTILE[1])),
    )
    second.write_text(doc, encoding="utf-8")
    third = tmp_path / "third.txt"
    third.write_text(f"The cow {HOSTILE[5]} sat.\n", encoding="utf-8")
    out = tmp_path / "out.html"
    result = cli("align", first, second, third, "-o", out, "--base", HOSTILE[2])
    assert result.exit_code == 0, result.output
    page = out.read_text(encoding="utf-8")
    doc = lxml.html.fromstring(page)
    assert [e.tag for e in doc.iter("svg", "img", "iframe")] == []
    assert [(s.get("type"), s.get("id")) for s in doc.iter("script")] == [
        ("application/json", "collation-data"),
        ("application/json", "correction-data"),
        (None, None),
        (None, None),
    ]
    # The two scripts are the page's own (the views and correction controls, the search) as shipped: nothing
    # of the witnesses.
    page_js = static_text("apparatus.js") + "\n" + static_text("corrections.js")
    assert [s.text for s in doc.iter("script")][2:] == [page_js, static_text("search.js")]
    for element in doc.iter():
        for name, value in element.attrib.items():
            assert not name.lower().startswith("on"), (element.tag, name)
            if name in ("href", "src", "action", "formaction"):
                assert not value.strip().lower().startswith("javascript:"), (element.tag, name, value)
    shown = doc.text_content()
    for piece in (HOSTILE[0], HOSTILE[2]):  # sigla
        assert piece in shown
    for piece in ("<script>alert(2)</script>", "</title><iframe", "javascript:alert(4)", "{{7*7}}"):
        assert piece in shown
    # The JSON island holds the same strings, and cannot close its script element early.
    island = doc.get_element_by_id("collation-data").text
    assert "</" not in island and "<!--" not in island
    assert HOSTILE[0] in json.loads(island)["sigla"]
    # So does the correction controls' island, which quotes the base's siglum and words.
    island = doc.get_element_by_id("correction-data").text
    assert "</" not in island and "<!--" not in island
    assert json.loads(island)["base"] == HOSTILE[2]


def test_a_siglum_from_the_command_line_is_escaped_too(tmp_path, texts):
    out = tmp_path / "out.html"
    result = cli("align", *texts, "-o", out, "-s", HOSTILE[1], "-s", HOSTILE[2])
    assert result.exit_code == 0, result.output
    doc = lxml.html.fromstring(out.read_text(encoding="utf-8"))
    assert [e.tag for e in doc.iter("img")] == [] and len(list(doc.iter("script"))) == 4
    assert HOSTILE[1] in doc.text_content() and HOSTILE[2] in doc.text_content()


def test_a_diff_page_escapes_both_texts_and_the_file_names(tmp_path):
    (tmp_path / "ref").mkdir()
    (tmp_path / "scans").mkdir()
    name = "<b onmouseover=alert(6)>x"
    # Each hostile string stands against characters it does not contain in the other text, so that it is
    # one whole difference (also listed in the table under the texts), not a few scattered characters.
    # (No spaces in the scan's tag: the table shows a difference's spaces as visible marks.)
    tag = "<svg/onload=alert(7)>"
    # And one tag the scan lacks, one only the scan has: a deletion and an insertion.
    reference = (f"Plain words {HOSTILE[1]} and {'~' * len(tag)} then {HOSTILE[5]} end <embed/src=x>"
                 " with all the words the two texts share .\n")
    scan = (f"Plain wordz {'#' * len(HOSTILE[1])} and {tag} then {HOSTILE[5]} end"
            " with all the words the two texts share <object/data=x>.\n")
    (tmp_path / "ref" / f"{name}.txt").write_text(reference, encoding="utf-8")
    (tmp_path / "scans" / f"{name}.txt").write_text(scan, encoding="utf-8")
    summary = run_batch(tmp_path / "ref", tmp_path / "scans", tmp_path / "out", workers=1)
    (document,) = summary.documents
    page = (tmp_path / "out" / document.report).read_text(encoding="utf-8")
    doc = lxml.html.fromstring(page)
    assert [e.tag for e in doc.iter("script", "svg", "img", "iframe", "b", "embed", "object")] == []
    for element in doc.iter():
        assert not any(attribute.lower().startswith("on") for attribute in element.attrib), element.tag
    for anchor in doc.find_class("n"):  # the difference numbers between the words
        anchor.drop_tree()
    assert doc.get_element_by_id("reference").text_content().rstrip("\n") == reference.rstrip("\n")
    assert doc.get_element_by_id("scan").text_content().rstrip("\n") == scan.rstrip("\n")
    assert name in doc.text_content()
