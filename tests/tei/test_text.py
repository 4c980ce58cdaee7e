


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
