"""The printed edition: a reledmac LaTeX file that LuaLaTeX compiles into a PDF with text and apparatus."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest
from typer.testing import CliRunner

import collate
from collate.cli import app
from collate.engine.model import VariantType, Witness, WitnessMeta
from collate.engine.tokens import make_tokens
from collate.project import read_project, run_project
from reports import latex
from reports.latex import escape, render
from tests.collate.engine.helpers import BASE_GIVEN_WHOLE
from tests.tei.helpers import write_tei

DATA = Path(__file__).resolve().parent.parent / "data"
DARWIN = [DATA / "darwin_para1" / f"{s}.txt" for s in ("1859", "1860", "1861", "1866", "1869", "1872")]
runner = CliRunner()


def _witnesses(**texts: str) -> list[Witness]:
    return [Witness(s, make_tokens(t, s), WitnessMeta(title=f"Witness {s}", date="1900")) for s, t in texts.items()]


def test_notes_follow_the_printed_conventions_and_series():
    apparatus = collate.collate(_witnesses(A="The black cat sat on the mat.", B="The Black cat lay on a mat!",
                                           C="The black cat sat on the mat, then slept."))
    tex = render(apparatus)
    body = " ".join(tex.split("\\beginnumbering", 1)[1].split())  # the source is wrapped at spaces
    assert "\\edtext{black}{\\Bfootnote{Black \\sig{B}}}" in body
    assert "\\edtext{sat}{\\Afootnote{lay \\sig{B}}}" in body
    assert "\\edtext{the}{\\Afootnote{a \\sig{B}}}" in body
    assert "\\Bfootnote{! \\sig{B}" in body
    # C's words after "mat" and B's "!" are two entries (independent variants, each typed for itself).
    assert "\\Afootnote{\\textit{add.} , then slept \\sig{C}}" in body
    assert "\\edtext{.}{\\Bfootnote{! \\sig{B}}}" in body
    # An addition is keyed to the word it follows, and sits against it (it has no text of its own).
    added = render(collate.collate(_witnesses(A="The cat sat.", B="The black cat sat.")))
    assert "The\\edtext{}{\\lemma{The}\\Afootnote{\\textit{add.} black \\sig{B}}} cat sat." in " ".join(added.split())
    # Series are configurable: orthographic variants out of the printed apparatus, punctuation to A.
    tex = render(apparatus, series={VariantType.ORTHOGRAPHIC: "", VariantType.PUNCTUATION: "A"})
    assert "\\Bfootnote" not in tex and "series={A}" in tex
    assert "\\edtext{black}" not in tex and "black cat" in tex


def test_witness_text_is_escaped_and_never_run():
    apparatus = collate.collate(_witnesses(A="costs 50% & {more} \\input{x} #1 ~a_b", B="costs 50% & less"))
    tex = " ".join(render(apparatus).split())
    assert "\\input{x}" not in tex
    assert "costs 50\\% \\& \\edtext{\\{more\\} \\textbackslash{} input \\{x\\} \\# 1" in tex
    assert escape("con-\n  tinues [sic]") == "con-tinues {[}sic{]}"


def test_long_lemma_is_cited_by_its_first_and_last_words():
    apparatus = collate.collate(_witnesses(A="one two three four five six seven eight nine ten end",
                                           B="uno dos tres cuatro cinco seis siete ocho nueve diez end"))
    tex = " ".join(render(apparatus).split())
    assert "\\lemma{one two \\ldots{} nine ten}\\Afootnote{uno dos" in tex


def test_paragraphs_of_the_base_are_kept():
    paths = DARWIN[:2]
    tex = render(collate.collate(collate.load(paths)))
    assert tex.count("\\pstart") == 1  # the first paragraph of the Origin is one paragraph
    from witnesses import sample_paths

    tex = render(collate.collate(collate.load(sample_paths()[:2])))
    assert tex.count("\\pstart") == tex.count("\\pend") > 30


def test_words_in_elements_of_their_own_stay_in_their_paragraph(tmp_path):
    """Frankenstein's TEI wraps words of a paragraph in a <seg> each (its own collation's anchors): they are
    still one paragraph of the printed edition, not one paragraph a word."""
    words = {"A": ["any", "variation", "was", "agreeable"], "B": ["any", "change", "was", "agreable"]}
    body = {
        siglum: "<p>besides, " + " ".join(f'<seg xml:id="app{k}-{siglum}">{w}</seg>' for k, w in enumerate(ws))
        + " to me.</p><p>A new paragraph.</p>"
        for siglum, ws in words.items()
    }
    for siglum, text in body.items():
        (tmp_path / f"{siglum}.xml").write_text(
            f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div>{text}</div></body></text></TEI>',
            encoding="utf-8")
    tex = render(collate.collate(collate.load([tmp_path / "A.xml", tmp_path / "B.xml"])))
    assert tex.count("\\pstart") == 2
    assert "besides, any \\edtext{variation}" in " ".join(tex.split())


def test_project_configures_the_series_and_title(tmp_path):
    for p in DARWIN[:2]:
        shutil.copy(p, tmp_path / p.name)
    (tmp_path / "collate.toml").write_text(
        '[[witness]]\npath = "1859.txt"\n[[witness]]\npath = "1860.txt"\n'
        '[output]\nfiles = ["edition.tex"]\n[output.latex]\ntitle = "Origin, ch. I"\n'
        '[output.latex.series]\northographic = "C"\n',
        encoding="utf-8",
    )
    (written,) = run_project(read_project(tmp_path)).written
    tex = written.read_text(encoding="utf-8")
    assert "\\title{Origin, ch. I}" in tex and "series={A,B,C}" in tex
    (tmp_path / "collate.toml").write_text('[output.latex.series]\northographic = "F"\n', encoding="utf-8")
    result = runner.invoke(app, ["run", str(tmp_path)])
    assert result.exit_code == 2 and "output.latex.series.orthographic" in result.output


@pytest.mark.skipif(shutil.which("lualatex") is None and not os.environ.get("CI"),
                    reason="lualatex is not installed (make test installs it)")
def test_darwin_edition_compiles_with_lualatex(tmp_path):
    for tool in ("lualatex", "pdftotext", "pdfinfo"):
        assert shutil.which(tool), f"{tool} missing; `make test` installs TeX Live and poppler-utils"
    out = tmp_path / "edition.tex"
    result = runner.invoke(app, ["align", *map(str, DARWIN), "-o", str(out)])
    assert result.exit_code == 0, result.output
    env = {**os.environ, "TEXMFVAR": str(tmp_path / "texmf-var")}  # LuaLaTeX's font cache, private to the test
    for _ in range(2):  # reledmac settles line numbers on the second run
        run = subprocess.run(["lualatex", "-interaction=nonstopmode", "-halt-on-error", out.name], cwd=tmp_path,
                             capture_output=True, text=True, timeout=300, env=env)
        assert run.returncode == 0, run.stdout[-3000:]
    pdf = tmp_path / "edition.pdf"
    info = subprocess.run(["pdfinfo", str(pdf)], capture_output=True, text=True, check=True).stdout
    assert re.search(r"Pages:\s+1\b", info)
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True, text=True, check=True).stdout
    assert "WHEN we look to the individuals of the same variety" in text
    assert "Sigla" in text and "Base text: 1859" in text
    # Line numbers in the margin, every fifth line, and notes keyed by line and lemma.
    assert re.search(r"^\s*5\s+\S", text, re.M) and re.search(r"^\s*10\s+\S", text, re.M)
    assert re.search(r"look to\s*\]\s*compare 1869 1872", text)
    assert re.search(r"greater\s*\]\s*great 1860 1861 1866 1869 1872", text)
    assert "Reference" not in (tmp_path / "edition.log").read_text(encoding="utf-8", errors="replace")


def test_witnesses_without_text_at_a_place_are_lac_not_om():
    """C begins after "The black" (witStart); B has a lacuna where A reads "very", which C omits."""
    apparatus = collate.collate(collate.load([DATA / "tei_fragments" / f"{s}.xml" for s in "ABC"]))
    tex = " ".join(render(apparatus).split())
    assert "\\edtext{The black}{\\Afootnote{\\textit{lac.} \\sig{C}}}" in tex
    assert "\\edtext{very}{\\Afootnote{\\textit{om.} \\sig{C}; \\textit{lac.} \\sig{B}}}" in tex
    assert "\\edtext{at dawn}{\\Afootnote{\\textit{om.} \\textit{transp.} \\sig{C}}}" in tex


MOVED = {
    "a": "The black cat sat quietly on the old mat, and the dog slept by the door. It was a good day.",
    "b": "The black cat sat quietly on the old mat and the dog lay by the door. It was a good day.",
    "c": "And the dog slept by the door; the black cat sat quietly on the old mat. It was a good day.",
    "d": "The black cat sat quietly on the old mat. It was a good day.",
}
PASSAGE = "and the soul of the reader rose in calmness and certainty and hope without fear"


def test_outer_entries_mark_their_passage_with_labels(tmp_path):
    """A moved passage b also varies in, and a long omission: each outer entry's note is an \\edtext with no
    text of its own at the passage's start, its lines those between two labels around the passage
    (``\\xxref``), so that the entries inside stand as any others (an \\edtext nested around hundreds of
    them takes reledmac minutes); where the base lacks the passage, the edition's text lacks it too, and the
    note (an addition keyed to the word before) gives each witness's text of it. None is left out of the
    printed apparatus."""
    tex = render(collate.collate(_witnesses(**MOVED)))
    body = " ".join(tex.split("\\beginnumbering", 1)[1].split())
    assert ("mat\\edtext{,}{\\Bfootnote{\\textit{om.} \\sig{b} \\sig{c} \\sig{d}}} "
            "\\edtext{}{\\xxref{span5:start}{span5:end}\\lemma{and the dog slept by the door}"
            "\\Afootnote{\\textit{om.} \\textit{transp.} \\sig{c}; \\textit{om.} \\sig{d}}}"
            "\\edlabelS{span5}and the dog \\edtext{slept}{\\Afootnote{lay \\sig{b}}} by the door\\edlabelE{span5}. "
            "It was a good day.") in body
    (tmp_path / "moved.tex").write_text(tex, encoding="utf-8")
    absence = _witnesses(A=f"Begin. {PASSAGE}. End.", B=f"Begin. {PASSAGE.replace('fear', 'dread')}. End.",
                         M="Begin. End.")
    omitted = " ".join(render(collate.collate(absence)).split())
    assert ("Begin. \\edtext{}{\\xxref{span1:start}{span1:end}\\lemma{and the \\ldots{} without fear}"
            "\\Afootnote{\\textit{om.} \\sig{M}}}\\edlabelS{span1}and the soul of the reader rose in calmness "
            "and certainty and hope without \\edtext{fear}{\\Afootnote{dread \\sig{B}}}.\\edlabelE{span1} End.") in omitted
    # With M as the base, the edition's text is M's: the passage is in the note, as each witness reads it.
    added = " ".join(render(collate.collate([absence[2], *absence[:2]])).split())
    assert ("\\pstart Begin.\\edtext{}{\\lemma{.}\\Afootnote{\\textit{add.} and the soul of the reader rose in "
            "calmness and certainty and hope without fear. \\sig{A}; \\textit{add.} and the soul of the reader rose "
            "in calmness and certainty and hope without dread. \\sig{B}}} End. \\pend") in added
    text = _compiled(tmp_path, "moved")
    assert re.search(r"and the dog slept by the door\s*\]\s*om\. transp\.\s+c; om\. d", text)
    assert re.search(r"slept\s*\]\s*lay b", text)


def _compiled(folder, name: str) -> str:
    """The text of ``name``.tex compiled as its first line says: until LuaLaTeX no longer asks for another run
    (reledmac's labels stand still), which it must stop asking within six; no reference is left undefined."""
    env = {**os.environ, "TEXMFVAR": str(folder / "texmf-var")}
    for runs in range(1, 7):
        run = subprocess.run(["lualatex", "-interaction=nonstopmode", "-halt-on-error", f"{name}.tex"], cwd=folder,
                             capture_output=True, text=True, timeout=300, env=env)
        assert run.returncode == 0, run.stdout[-3000:]
        log = (folder / f"{name}.log").read_text(encoding="utf-8", errors="replace")
        if "Rerun to get cross-references right" not in log:
            break
    assert runs >= 2 and "Rerun" not in log, f"still asking for a run after {runs}"
    assert "Reference" not in log and "undefined" not in log, log[-3000:]
    return subprocess.run(["pdftotext", "-layout", str(folder / f"{name}.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout


@pytest.mark.parametrize("parts", [1, 2])
def test_a_passage_over_lines_and_paragraphs_is_noted_with_its_lines(tmp_path, monkeypatch, parts):
    """A long omission runs over several lines and into the next paragraph: its note gives the lines from
    the passage's first word to its last, and the entries inside it keep their own notes. So it does when
    the paragraphs are two numbered parts (reledmac's memory break, after many notes): the lines run on."""
    if parts == 2:
        monkeypatch.setattr(latex, "BREAK_AFTER_NOTES", 1)
    words = " ".join(f"word{k}" for k in range(60))
    more = " ".join(f"more{k}" for k in range(60))
    kept = f"Begin {words} omega.\n\n{more} end. Last paragraph here."
    other = kept.replace("word30", "verbum30")
    short = "Begin Last paragraph here."
    witnesses = [Witness(s, make_tokens(t, s, lines=True), WitnessMeta(title=s)) for s, t in
                 (("A", kept), ("B", other), ("C", short))]
    tex = render(collate.collate(witnesses))
    assert "\\pend" in tex.split("edlabelS")[1] and "edlabelE" in tex.split("\\pend")[1]
    assert tex.count("\\pausenumbering\\resumenumbering") == parts - 1
    (tmp_path / "long.tex").write_text(tex, encoding="utf-8")
    text = _compiled(tmp_path, "long")
    # The passage starts on the first line and ends on the twelfth or so: the note names both.
    found = re.search(r"(\d+)–(\d+)\s+word0 word1 (?:…|\.\.\.)\s+more59 end\.?\s*\]\s*om\. C", text)
    assert found, text
    assert int(found[1]) == 1 and int(found[2]) > 5
    assert re.search(r"word30\s*\]\s*verbum30 B", text)


def test_greek_is_printed_in_a_font_that_has_it(tmp_path):
    """Latin Modern has no Greek letters: without a font that has them, LuaLaTeX prints nothing for each
    (only a "Missing character" line in its log) and a Greek edition comes out blank."""
    tex = render(collate.collate(_witnesses(A="ὡς, φησίν, ὁ θεὸς ἐδίψησαν οἱ προφῆται",
                                            B="ὡς φησὶν ὁ θεὸς ἐδίψων οἱ προφῆται")))
    assert "DejaVu Serif" in tex
    assert "DejaVu" not in render(collate.collate(_witnesses(A="The black cat.", B="The white cat.")))
    (tmp_path / "greek.tex").write_text(tex, encoding="utf-8")
    env = {**os.environ, "TEXMFVAR": str(tmp_path / "texmf-var")}
    run = subprocess.run(["lualatex", "-interaction=nonstopmode", "-halt-on-error", "greek.tex"], cwd=tmp_path,
                         capture_output=True, text=True, timeout=300, env=env)
    assert run.returncode == 0, run.stdout[-3000:]
    assert "Missing character" not in (tmp_path / "greek.log").read_text(encoding="utf-8", errors="replace")
    text = subprocess.run(["pdftotext", str(tmp_path / "greek.pdf"), "-"], capture_output=True, text=True,
                          check=True).stdout
    assert "ὡς, φησίν, ὁ θεὸς ἐδίψησαν οἱ προφῆται" in " ".join(text.split())


def _main_text(latex_source: str) -> str:
    """The edition's text of a document: each \\edtext's first argument, without its notes and commands."""
    body = latex_source[latex_source.index("\\beginnumbering") + 15 : latex_source.index("\\endnumbering")]

    def group(at: int) -> tuple[str, int]:
        depth = 0
        for k in range(at, len(body)):
            depth += {"{": 1, "}": -1}.get(body[k], 0)
            if depth == 0:
                return body[at + 1 : k], k + 1
        raise AssertionError("unbalanced braces")

    def text(start: int, end: int) -> str:
        out, k = [], start
        while k < end:
            if body.startswith("\\edtext", k):
                inner, k = group(k + 7)
                _, k = group(k)
                out.append(_main_text("\\beginnumbering" + inner + "\\endnumbering"))
            elif body[k] == "\\":
                k += len(re.match(r"\\[A-Za-z]+|\\.", body[k:]).group())
                while k < end and body[k] == "{" and re.search(r"\\edlabel[SE]?$", body[:k]):
                    _, k = group(k)
            else:
                out.append(body[k] if body[k] not in "{}" else "")
                k += 1
        return "".join(out)

    return text(0, len(body))


def test_a_passage_that_gives_the_base_whole_prints_the_base_s_text():
    # W0 reads "tbe tbe" where W1 and W2 have nothing and W3 and W4 differ from each other: the entries
    # inside compare W3 and W4, and the edition printed their words, not the base's.
    witnesses = _witnesses(**BASE_GIVEN_WHOLE)
    apparatus = collate.collate(witnesses, base="W0")
    assert any(s.gives_base_whole("W0") for s in apparatus.spans)  # the case in question
    printed = _main_text(render(apparatus)).split()
    assert "".join(printed) == "".join(t.text for t in witnesses[0].tokens)


def test_transcription_markup_it_does_not_print_is_said(tmp_path):
    """The edition prints marked words plain (an addition in Percy Shelley's hand is a plain word here): the
    text before the edition says so, with the count of such words per witness, rather than losing the marks
    without a word. Without markup it says nothing of it."""
    paths = write_tei(tmp_path, {
        "A": "<p>we follow the quiet road home</p>",
        "B": '<p>we follow<add hand="#pbs">s</add> the <del>old</del> <unclear>quiet</unclear> road home</p>',
    })
    tex = render(collate.collate(collate.load(paths)))
    assert "printed here as plain words" in tex and r"Words so marked: \sig{B} 2." in tex
    assert "printed here as plain words" not in render(collate.collate(_witnesses(A="one two", B="one three")))
