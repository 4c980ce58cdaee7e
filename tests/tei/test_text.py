


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
    import collate
    import pytest

    from collate.errors import InputWarning

    path = tmp_path / "thomas.xml"
    path.write_text(
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>\n<p>a stimulant, and <del-INNER>gave</del-INNER> '
        "added\n<marginalia>a tingling</marginalia> <marginalia>sensation</marginalia>.</p></body></text></TEI>",
        encoding="utf-8",
    )
    with pytest.warns(InputWarning) as caught:
        (witness,) = collate.load([path])
    assert [t.text for t in witness.tokens] == ["a", "stimulant", ",", "and", "added", "a", "tingling", "sensation", "."]
    said = [str(w.message) for w in caught]
    assert said == [f"{path}:3: <marginalia> is not a TEI element: its text is read as the witness's text"]
