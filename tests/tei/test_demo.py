"""The bundled Darwin witnesses, the demo, and the TEI side of the command line."""

from __future__ import annotations

import importlib.util
import json
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree

from collate.cli import run_align, run_demo
from tei.reader import extract
from witnesses import TeiOptions, load_witnesses, sample_paths

ROOT = Path(__file__).resolve().parent.parent.parent
DATA = ROOT / "tests" / "data"
CORPUS = ROOT.parent / "shared" / "corpora" / "darwin"
YEARS = ["1859", "1860", "1861", "1866", "1869", "1872"]


def test_six_darwin_editions_are_bundled_and_valid(tei_all):
    paths = sample_paths()
    assert [p.name for p in paths] == [f"darwin_{y}.xml" for y in YEARS]
    for path in paths:
        assert tei_all.validate(etree.parse(str(path))), (path, tei_all.error_log)


def test_darwin_witnesses_read_with_sigla_and_dates():
    witnesses = load_witnesses(sample_paths())
    assert [(w.siglum, w.meta.date) for w in witnesses] == [(y, y) for y in YEARS]
    assert all(len(w) > 12000 for w in witnesses)
    assert witnesses[0].tokens[0].text == "WHEN"
    assert witnesses[5].meta.title.startswith("The Origin of Species")


def test_bundled_witnesses_are_what_the_script_makes():
    # The script's input is plain text, one paragraph per blank-line-separated block. The bundled files'
    # own paragraphs are that text: the script must make each file again from it. Where the shared Darwin
    # corpus is beside the checkout, its texts must make the same files, word for word.
    spec = importlib.util.spec_from_file_location("make_darwin_tei", ROOT / "scripts" / "make_darwin_tei.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    for year, path in zip(YEARS, sample_paths()):
        bundled = path.read_text(encoding="utf-8")
        paragraphs = etree.parse(str(path)).getroot().iterfind(".//{http://www.tei-c.org/ns/1.0}body//{http://www.tei-c.org/ns/1.0}p")
        source = "\n\n".join(" ".join("".join(p.itertext()).split()) for p in paragraphs)
        assert module.render(year, source) == bundled, year
        (item,) = extract(path.read_bytes(), path=str(path), options=TeiOptions())
        assert item.text.split() == source.split()
        if CORPUS.exists():
            corpus = (CORPUS / f"darwin_{year}.txt").read_text(encoding="utf-8")
            assert module.render(year, corpus) == bundled, year


def test_demo_writes_html_tei_and_json(tmp_path, tei_all):
    written = run_demo(tmp_path)
    assert sorted(p.name for p in written) == ["alignment.json", "apparatus.html", "apparatus.xml"]
    assert tei_all.validate(etree.parse(str(tmp_path / "apparatus.xml"))), tei_all.error_log
    data = json.loads((tmp_path / "alignment.json").read_text(encoding="utf-8"))
    assert data["witnesses"] == YEARS


@pytest.mark.parametrize("encoding", ["parallel-segmentation", "location-referenced", "double-end-point"])
def test_align_writes_each_encoding(tmp_path, encoding, tei_all):
    out = tmp_path / "apparatus.xml"
    paths = [DATA / "tei_fragments" / f"{s}.xml" for s in "ABC"]
    run_align(paths, output=out, encoding=encoding, base="B")
    document = etree.parse(str(out))
    assert tei_all.validate(document), tei_all.error_log
    ns = {"t": "http://www.tei-c.org/ns/1.0"}
    assert document.xpath("//t:variantEncoding/@method", namespaces=ns) == [encoding]
    assert document.xpath("(//t:lem)[1]/@wit", namespaces=ns)[0].split()[0] == "#wit-B"


def test_prefer_and_stage_reach_the_reader(tmp_path):
    paths = [DATA / "tei_fragments" / f"{s}.xml" for s in "AB"]
    text = run_align(paths, fmt="json", prefer=["sic"], stage="before")
    witnesses = json.loads(text)
    b = [col[1][0]["t"] for col in witnesses["table"] if col[1]]
    assert b[:4] == ["Teh", "black", "cat", "sat"]


def test_malformed_witness_is_one_line_with_position_and_exit_2(tmp_path):
    good = DATA / "tei_fragments" / "A.xml"
    bad = tmp_path / "bad.xml"
    bad.write_text('<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text><body><p>unclosed</body></text></TEI>\n')
    out = tmp_path / "out.xml"
    run = subprocess.run(
        [sys.executable, "-m", "collate.cli", "align", str(good), str(bad), "-o", str(out)],
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert run.returncode == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"error: {bad}:2:")
    assert "malformed XML" in lines[0]
    assert not out.exists()
