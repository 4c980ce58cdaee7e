"""``collate translate``: reading witnesses, JSON / TEI / HTML outputs, the CLI command and its errors."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from collate.cli import app
from collate.errors import InputError, UsageError
from collate.translate.align import translate
from collate.translate.model import Link, Text, Translation
from collate.translate.run import load_texts, run_translate
from reports.html import static_text
from reports.translation import render_html, to_data, view_data
from tei.translation import render as render_tei

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"
EN = [DATA / "translate_en" / "A.txt", DATA / "translate_en" / "B.txt"]
DEFR = [DATA / "translate_defr" / "de.txt", DATA / "translate_defr" / "fr.txt"]
TEI = "{http://www.tei-c.org/ns/1.0}"
XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def test_json_matches_the_golden_file():
    assert run_translate(EN) == (DATA / "translate_en" / "expected.json").read_text(encoding="utf-8")


def test_json_layout_for_two_witnesses():
    data = json.loads(run_translate(EN))
    assert list(data) == ["witnesses", "segments", "links"]
    assert data["witnesses"] == ["A", "B"]
    sentences = {s: len(v) for s, v in data["segments"].items()}
    assert sorted(k for source, _ in data["links"] for k in source) == list(range(sentences["A"]))
    assert sorted(k for _, target in data["links"] for k in target) == list(range(sentences["B"]))


def test_json_with_the_second_witness_as_pivot_keeps_the_first_as_source():
    data = json.loads(run_translate(EN, pivot="B"))
    assert [[0], [0, 1]] in data["links"]
    assert [[3, 4], [5]] in data["links"]
    sources = [source[0] for source, _ in data["links"] if source]
    assert sources == sorted(sources)


def test_json_layout_for_three_witnesses(tmp_path):
    third = tmp_path / "C.txt"
    shutil.copy(EN[0], third)
    data = json.loads(run_translate([*EN, third], pivot="A"))
    assert data["pivot"] == "A"
    assert set(data["links"]) == {"B", "C"}
    assert data["links"]["C"] == [[[k], [k]] for k in range(len(data["segments"]["A"]))]


def test_presegmented_input_takes_lines_as_sentences(tmp_path):
    a = tmp_path / "a.txt"
    b = tmp_path / "b.txt"
    a.write_text("Dr. Kato reached the summit on 9 May 1956.\nKato stayed there for 1 hour.\n\nThen he went down.\n", encoding="utf-8")
    b.write_text("Le Dr Kato atteignit le sommet le 9 mai 1956.\nKato y resta 1 heure.\n\nPuis il redescendit.\n", encoding="utf-8")
    texts = load_texts([a, b], presegmented=True)
    assert texts["a"].sentences[0] == "Dr. Kato reached the summit on 9 May 1956."
    assert texts["a"].paragraphs == frozenset({0, 2})
    data = json.loads(run_translate([a, b], presegmented=True))
    assert data["links"] == [[[0], [0]], [[1], [1]], [[2], [2]]]


def test_tei_output_validates_and_links_point_at_sentences(tei_all, tmp_path):
    out = tmp_path / "aligned.xml"
    run_translate(EN, output=out)
    doc = etree.parse(str(out))
    assert tei_all.validate(doc), tei_all.error_log
    ids = {e.get(XML_ID) for e in doc.iter(f"{TEI}s")}
    groups = doc.findall(f".//{TEI}linkGrp")
    assert [g.get("type") for g in groups] == ["alignment"]
    targets = [link.get("target").split() for link in groups[0].iter(f"{TEI}link")]
    assert ["#A.s1", "#B.s1", "#B.s2"] in targets
    assert ["#A.s4", "#A.s5", "#B.s6"] in targets
    assert all(t[1:] in ids for target in targets for t in target)
    # The omitted and the added sentence have no link; paragraphs survive as <p>.
    linked = {t[1:] for target in targets for t in target}
    assert "A.s7" not in linked and "B.s8" not in linked
    assert len(doc.findall(f".//{TEI}div[@n='A']/{TEI}p")) == 3


def test_tei_for_three_witnesses_and_awkward_sigla_validates(tei_all):
    texts = {
        "1st ed.": Text(("The cat sat on the mat today.", "It slept.")),
        "B&C": Text(("The cat sat on the mat today.", "It slept.")),
        "1st ed!": Text(("The cat sat on the mat today.",)),
    }
    doc = etree.fromstring(render_tei(translate(texts)).encode("utf-8"))
    assert tei_all.validate(doc), tei_all.error_log
    assert len(doc.findall(f".//{TEI}linkGrp")) == 2
    assert len({e.get(XML_ID) for e in doc.iter(f"{TEI}s")}) == 5


def test_tei_marks_moved_links(tei_all):
    moved = Translation(
        ("A", "B"),
        (Text(("One.", "Two.")), Text(("Two.", "One."))),
        "A",
        ("B",),
        ((Link((0,), (1,), moved=True), Link((1,), (0,))),),
    )
    doc = etree.fromstring(render_tei(moved).encode("utf-8"))
    assert tei_all.validate(doc), tei_all.error_log
    assert [link.get("type") for link in doc.iter(f"{TEI}link")] == ["moved", None]


def test_html_marks_word_variants_between_english_translations():
    rows = view_data(translate(load_texts(EN)))
    last = rows[-1]
    a, b = last.cells
    marked_a = [p.text for s in a for p in s.pieces if p.kind]
    marked_b = [p.text for s in b for p in s.pieces if p.kind]
    # "Teachers must be paid on time." / "Teachers must receive their pay on time."
    assert marked_a == ["be paid"]
    assert marked_b == ["receive their pay"]
    # Every sentence's pieces put back together give the sentence.
    for row in rows:
        for cell in row.cells:
            for sentence in cell:
                assert sentence.ident.split(".s")[0] in ("A", "B")
                assert "".join(p.text for p in sentence.pieces) == load_texts(EN)[sentence.ident[0]].sentences[
                    sentence.number - 1
                ]


def test_html_does_not_compare_words_across_languages():
    rows = view_data(translate(load_texts(DEFR)))
    assert not any(row.differs for row in rows)
    rows = view_data(translate(load_texts(DEFR)), word_diff=True)
    assert any(row.differs for row in rows)


def test_html_is_escaped_and_self_contained(tmp_path):
    a, b = tmp_path / "A.txt", tmp_path / "B.txt"
    a.write_text("The <script>alert(1)</script> tag was here. It stayed.", encoding="utf-8")
    b.write_text("The <script>alert(2)</script> tag was there. It stayed.", encoding="utf-8")
    out = tmp_path / "out.html"
    run_translate([a, b], output=out)
    html = out.read_text(encoding="utf-8")
    # The one script is the search, as shipped; the witnesses' markup is text.
    assert html.count("<script") == 1 and f"<script>{static_text('search.js')}</script>" in html
    assert "alert(" not in html.split("<script>")[1].split("</script>")[0]
    assert "&lt;script&gt;" in html
    assert "http://" not in html and "https://" not in html
    assert 'id="A.s1"' in html and 'id="B.s2"' in html


def test_html_of_three_witnesses_shows_all_columns():
    texts = load_texts(EN)
    texts["C"] = texts["A"]
    html = render_html(translate(texts))
    assert html.count('<th scope="col"') == 3


def test_errors_name_the_file(tmp_path):
    empty = tmp_path / "empty.txt"
    empty.write_text("  \n\n", encoding="utf-8")
    with pytest.raises(InputError, match="no text"):
        run_translate([EN[0], empty])
    with pytest.raises(InputError, match="no such file"):
        run_translate([EN[0], tmp_path / "missing.txt"])
    with pytest.raises(UsageError, match="at least two"):
        run_translate([EN[0]])
    with pytest.raises(UsageError, match="duplicate siglum"):
        run_translate([EN[0], EN[0]])
    with pytest.raises(UsageError, match="unknown pivot"):
        run_translate(EN, pivot="Z")
    with pytest.raises(UsageError, match="format"):
        run_translate(EN, output=tmp_path / "out.pdf")


def test_embedding_without_the_package_is_a_usage_error(monkeypatch):
    monkeypatch.setitem(sys.modules, "sentence_transformers", None)
    with pytest.raises(UsageError, match="sentence-transformers"):
        run_translate(EN, embedding="some-model")


runner = CliRunner()


def test_cli_prints_json_and_writes_files(tmp_path):
    result = runner.invoke(app, ["translate", *map(str, EN)])
    assert result.exit_code == 0, result.output
    assert json.loads(result.stdout) == to_data(translate(load_texts(EN)))
    for name in ("out.json", "out.xml", "out.html"):
        result = runner.invoke(app, ["translate", *map(str, EN), "-o", str(tmp_path / name)])
        assert result.exit_code == 0, result.output
        assert (tmp_path / name).stat().st_size > 0


def test_cli_error_is_one_line_exit_2_and_no_file(tmp_path):
    out = tmp_path / "out.json"
    result = runner.invoke(app, ["translate", str(EN[0]), str(tmp_path / "missing.txt"), "-o", str(out)])
    assert result.exit_code == 2
    assert result.stderr.strip().count("\n") == 0
    assert result.stderr.startswith(f"error: {tmp_path / 'missing.txt'}: no such file")
    assert not out.exists()
    assert list(tmp_path.iterdir()) == []


def test_installed_command_runs(tmp_path):
    exe = Path(sys.executable).with_name("collate")
    out = tmp_path / "aligned.json"
    done = subprocess.run(
        [str(exe), "translate", *map(str, DEFR), "-o", str(out)], capture_output=True, text=True, timeout=120
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(out.read_text(encoding="utf-8"))["witnesses"] == ["de", "fr"]


def test_json_lists_the_moved_links():
    moved = [DATA / "translate_moved" / "A.txt", DATA / "translate_moved" / "B.txt"]
    data = json.loads(run_translate(moved))
    assert data["moved"], "the paragraph placed elsewhere must be reported"
    assert [data["links"][k] for k in data["moved"]] == [[[2], [6]], [[3], [7]], [[4], [8]]]
    assert "moved" not in json.loads(run_translate(EN))


def test_default_sigla_are_whole_file_names_when_stems_clash(tmp_path):
    de, fr = tmp_path / "test4.de", tmp_path / "test4.fr"
    shutil.copy(DEFR[0], de)
    shutil.copy(DEFR[1], fr)
    assert list(load_texts([de, fr])) == ["test4.de", "test4.fr"]
    assert list(load_texts(DEFR)) == ["de", "fr"]


def test_html_marks_the_rows_of_a_moved_paragraph(tmp_path):
    moved = [DATA / "translate_moved" / "A.txt", DATA / "translate_moved" / "B.txt"]
    rows = view_data(translate(load_texts(moved)))
    assert [row.moved for row in rows].count(True) == 3  # the porters' paragraph, three sentences
    out = tmp_path / "moved.html"
    run_translate(moved, output=out)
    html = out.read_text(encoding="utf-8")
    assert html.count('class="moved"') == 3
    assert "3 moved" in html
