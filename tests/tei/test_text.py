


def test_a_word_marked_across_its_markup_is_one_word(tmp_path):
    """The Frankenstein Variorum marks a word that its markup breaks with ``<w ana="start"/>`` …
    ``<w ana="end"/>``: the file's line breaks between them are layout (``inters`` ⏎ ``ected`` is one word),
    a space within a line is still a space, and no word runs across a paragraph."""
    import collate

    path = tmp_path / "ms.xml"
    path.write_text(
        """<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>is
  <seg part="I">
    <w ana="start"/>inters<lb n="4"/>
  </seg>
  <mod>
    <seg part="F">
      <del>persed</del>
      <add place="superlinear">ected<w ana="end"/>
      </add>
    </seg>
  </mod> by <w ana="start"/>my devo<lb n="5"/>ted<w ana="end"/> friend <w ana="start"/>un</p>
<p>fortunate</p></body></text></TEI>""",
        encoding="utf-8",
    )
    (witness,) = collate.load([path])
    assert [t.text for t in witness.tokens] == ["is", "intersected", "by", "my", "devoted", "friend", "un", "fortunate"]


def test_an_element_tei_does_not_define_is_read_and_said(tmp_path):
    """A transcription's own element is read as a container (its text is the witness's), with a warning
    that names it, its file and line, once; the Variorum's ``del-INNER`` is a deletion."""
    path, witness, said = _load_warned(
        tmp_path / "thomas.xml",
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n<p>a stimulant, and <del-INNER>gave</del-INNER> '
        "added\n<marginalia>a tingling</marginalia> <marginalia>sensation</marginalia>.</p></body></text></TEI>",
    )
    assert [t.text for t in witness.tokens] == ["a", "stimulant", ",", "and", "added", "a", "tingling", "sensation", "."]
    assert said == [f"{path}:3: <marginalia> is not a TEI element: its text is read as the witness's text"]


def _load_warned(path, document: str):
    """The one witness of ``document`` written to ``path``, read with the warnings it gives (there must be
    some): ``(path, witness, the warnings' texts)``."""
    import collate
    import pytest

    from collate.errors import InputWarning

    path.write_text(document, encoding="utf-8")
    with pytest.warns(InputWarning) as caught:
        (witness,) = collate.load([path])
    return path, witness, [str(w.message) for w in caught]


def test_elements_written_as_start_and_end_markers_act_as_the_elements(tmp_path):
    """Where the Frankenstein Variorum's collation units cut an element, it writes it as two empty ones:
    ``<del ana="start"/>rich<del ana="end"/>``. A deletion so marked is left out (or kept, reading the first
    stage), a note is kept out of the text as a note, an insertion mark is no text, and a heading or
    paragraph so marked (also ``<milestone unit="tei:p-START"/>``) is a block of the witness's structure."""
    import collate

    path = tmp_path / "ms.xml"
    path.write_text(
        """<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div>
  <head ana="start"/>CHAPTER VI.<head ana="end"/>
  <milestone unit="tei:p-START"/>He was a <del ana="start" rend="strikethrough"/>rich<del ana="end"/> Turkish
  merchant <note ana="start" resp="#ed"/>pencil mark here<note ana="end"/> and had
  <mod><mdel ana="start"/>li<mdel ana="end"/></mod>lived in <metamark ana="start" function="insert"/>^<metamark
  ana="end"/>Paris.<milestone unit="tei:p-END"/>
  <milestone unit="tei:p-START"/>The <unclear ana="start"/>day<unclear ana="end"/> came.<milestone unit="tei:p-END"/>
</div></body></text></TEI>""",
        encoding="utf-8",
    )
    (witness,) = collate.load([path])
    assert [t.text for t in witness.tokens] == [
        "CHAPTER", "VI", ".", "He", "was", "a", "Turkish", "merchant", "and", "had", "lived", "in", "Paris", ".",
        "The", "day", "came", ".",
    ]
    blocks = [tuple(b.name for b in t.source.blocks) for t in witness.tokens]
    assert blocks[:3] == [("div", "head")] * 3
    assert blocks[3:14] == [("div", "p")] * 11 and blocks[14:] == [("div", "p")] * 4
    assert witness.tokens[3].source.blocks[-1] != witness.tokens[14].source.blocks[-1]  # two paragraphs
    assert "unclear" in witness.tokens[15].source.flags
    (before,) = collate.load([path], stage="before")
    assert [t.text for t in before.tokens][3:8] == ["He", "was", "a", "rich", "Turkish"]


def test_a_marked_note_is_kept_as_a_note_and_an_unended_marker_is_said(tmp_path):
    import pytest

    from collate.engine.model import WitnessMeta
    from collate.errors import InputWarning
    from lxml import etree
    from tei.text import TeiOptions, extract_text

    root = etree.fromstring(
        '<text xmlns="http://www.tei-c.org/ns/1.0"><body><p>merchant <note ana="start"/>pencil mark<note ana="end"/>'
        " and</p><p>had <del ana=\"start\"/>lived</p><p>there</p></body></text>"
    )
    with pytest.warns(InputWarning) as caught:
        extract = extract_text(root, siglum="A", meta=WitnessMeta(), options=TeiOptions(), path="ms.xml")
    assert extract.text == "merchant and had there"
    assert [(o.kind, o.text, o.offset) for o in extract.omissions] == [("note", "pencil mark", 9)]
    assert [str(w.message) for w in caught] == [
        'ms.xml:1: <del ana="start">: no end marker after it; taken to end with the enclosing <p> (/text[1]/body[1]/p[2])'
    ]


def test_layout_inside_a_revision_does_not_split_its_word(tmp_path):
    from .helpers import words

    body = (
        "<p>a <mod>\n   <del>t</del>\n   <add>T</add>\n</mod>urkish merchant <mod><del>old</del> <add>rich</add></mod>"
        " man; me<mod>\n   <mdel>g</mdel>\n   <add>G</add>\n</mod>od knows</p>"
    )
    assert words(body) == ["a", "Turkish", "merchant", "rich", "man", ";", "me", "God", "knows"]


def test_a_heading_milestone_whose_end_is_missing_marks_no_heading(tmp_path):
    path, witness, said = _load_warned(
        tmp_path / "ms.xml",
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><div>\n<milestone spanTo="#typo" unit="tei:head"/>'
        "Chapter <anchor xml:id=\"c1\"/>Sometime elapsed</div></body></text></TEI>",
    )
    assert all(b.name != "head" for t in witness.tokens for b in t.source.blocks)
    assert said == [
        f'{path}:2: <milestone unit="tei:head" spanTo="#typo">: no element after it has xml:id="typo"; no head is marked here'
    ]
