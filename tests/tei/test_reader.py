"""Reading TEI witnesses: each construct of TEI P5 transcription, as a critic expects it collated."""

from __future__ import annotations

import pytest

from collate.errors import InputError
from tei.reader import extract
from witnesses.load import TeiOptions

from .helpers import read, tei, words


def test_header_and_notes_stay_out_of_the_text():
    assert words("<p>The cat<note>a marginal note</note> sat.</p>") == ["The", "cat", "sat", "."]


def test_inline_markup_is_transparent():
    assert words('<p>un<hi rend="italic">clear</hi> <emph>word</emph>s</p>') == ["unclear", "words"]


def test_block_elements_separate_words():
    assert words("<lg><l>first</l><l>second</l></lg><p>third</p>") == ["first", "second", "third"]


@pytest.mark.parametrize(
    "prefer, expected",
    [
        (None, ["The", "cat", "Doctor", "color"]),
        (("sic", "abbr", "orig"), ["Teh", "cat", "Dr", "colour"]),
        (("abbr",), ["The", "cat", "Dr", "color"]),
    ],
)
def test_choice_takes_the_preferred_member(prefer, expected):
    body = (
        "<p><choice><sic>Teh</sic><corr>The</corr></choice> cat "
        "<choice><abbr>Dr</abbr> <expan>Doctor</expan></choice> "
        "<choice><orig>colour</orig><reg>color</reg></choice></p>"
    )
    assert words(body, prefer=prefer) == expected


def test_choice_flags_the_member_taken():
    (w,) = read(tei("<p><choice><sic>Teh</sic><corr>The</corr></choice> cat</p>"))
    assert "corr" in w.tokens[0].source.flags and "corr" not in w.tokens[1].source.flags


@pytest.mark.parametrize("stage, expected", [("after", ["the", "cat", "lay", "down"]), ("before", ["the", "cat", "sat"])])
def test_add_del_subst_follow_the_stage(stage, expected):
    body = "<p>the cat <subst><del>sat</del><add>lay</add></subst><add> down</add></p>"
    assert words(body, stage=stage) == expected


def test_kept_additions_are_flagged():
    (w,) = read(tei("<p>the cat <add>lay</add></p>"))
    assert [("add" in t.source.flags) for t in w.tokens] == [False, False, True]


@pytest.mark.parametrize(
    "stage, expected",
    [
        ("after", [("we", []), ("follows", ["add", "add@#pbs"]), ("the", []), ("very", ["add", "add@#pbs"]),
                   ("road", []), ("and", ["add", "add@#mws"]), ("home", ["add", "add@#mws"])]),
        ("before", [("we", []), ("follow", []), ("the", []), ("old", ["del", "del@#mws"]), ("road", [])]),
    ],
)
def test_the_hand_of_an_addition_or_a_deletion_is_flagged(stage, expected):
    """C15's manuscript names Percy Shelley's hand on his additions (``<add hand="#pbs">``): the hand is kept
    beside the mark (``add@#pbs``), also over a span (``addSpan``); a mark without one keeps the mark alone."""
    body = (
        '<p>we follow<add hand="#pbs">s</add> the <add hand="#pbs" place="superlinear">very</add>'
        '<del hand="#mws">old</del> road <addSpan hand=" #mws " spanTo="#e"/>and home<anchor xml:id="e"/></p>'
    )
    (w,) = read(tei(body), stage=stage)
    assert [(t.text, sorted(t.source.flags)) for t in w.tokens] == expected


@pytest.mark.parametrize(
    "body, expected",
    [
        ('<p>vari<lb break="no"/>ation is</p>', ["variation", "is"]),
        ('<p>vari-\n  <lb break="no"/>\n  ation is</p>', ["vari-\nation", "is"]),
        ('<p>vari<pb n="2" break="no"/>ation is</p>', ["variation", "is"]),
        ('<p>vari<cb break="no"/>ation is</p>', ["variation", "is"]),
        ("<p>two <lb/>words</p>", ["two", "words"]),
        ("<p>two<lb/> words</p>", ["two", "words"]),
        ("<p>two<lb/>\n  words</p>", ["two", "words"]),
        ('<p>two<lb break="yes"/>words</p>', ["two", "words"]),
        # No @break and no whitespace on either side: the break stands inside one word.
        ("<p>de<pb/>lighted</p>", ["delighted"]),
        ('<p>impati<lb n="4"/>ently</p>', ["impatiently"]),
        ("<p>colu<cb/>mn</p>", ["column"]),
        ("<p>de<pb/><lb/>lighted so</p>", ["delighted", "so"]),
        ("<p>de<pb/><hi>light</hi>ed</p>", ["delighted"]),
        ("<p>de<pb/><fw>12</fw>lighted</p>", ["delighted"]),
        ("<p>de<pb/><fw>12</fw>\nlighted</p>", ["de", "lighted"]),
        ("<p>end<lb/></p><p>next</p>", ["end", "next"]),
        ("<p>word<lb/><gap/> next</p>", ["word", "next"]),
    ],
)
def test_line_breaks(body, expected):
    assert words(body) == expected


def test_a_break_inside_a_word_keeps_page_and_line_of_its_start():
    (w,) = read(tei('<p><pb n="7"/><lb n="1"/>one de<pb n="8"/><lb n="1"/>lighted reader</p>'))
    assert [(t.text, t.source.page) for t in w.tokens] == [("one", "7"), ("delighted", "7"), ("reader", "8")]


def test_a_hyphen_before_a_break_without_break_attribute_joins_as_break_no():
    (w,) = read(tei("<p>vari-<lb/>ation</p>"))
    assert [(t.text, t.norm) for t in w.tokens] == [("vari-\nation", "variation")]


def test_a_dtd_default_for_break_is_not_applied():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE TEI [<!ATTLIST lb break (yes|no|maybe) "yes">]>'
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>impati<lb/>ently</p></body></text></TEI>'
    )
    assert [t.text for t in read(data)[0].tokens] == ["impatiently"]


@pytest.mark.parametrize("name", ["quote", "q", "hi", "name", "foreign", "cit", "bibl", "title", "said", "persName"])
def test_phrase_level_elements_do_not_separate_words(name):
    assert words(f"<p>τῆς <{name}>ἀληθείας</{name}>. Ἀπὸ un<{name}>clear</{name}></p>") == [
        "τῆς",
        "ἀληθείας",
        ".",
        "Ἀπὸ",
        "unclear",
    ]


def test_phrase_level_elements_leave_no_space_before_punctuation_in_the_text():
    (item,) = extract(tei("<p>τῆς <quote>ἀληθείας</quote>. Ἀπὸ</p>"), path="w.xml", options=TeiOptions())
    assert item.text == "τῆς ἀληθείας. Ἀπὸ"


def test_hyphenated_break_normalises_to_the_word():
    (w,) = read(tei('<p>vari-<lb break="no"/>ation</p>'))
    assert [(t.text, t.norm) for t in w.tokens] == [("vari-\nation", "variation")]


@pytest.mark.parametrize(
    "body, expected",
    [
        (
            '<p><pb n="61"/><lb n="1"/>one two <lb n="2"/>three <pb n="62"/><lb/>four <lb/>five</p>',
            [("one", "61", "1"), ("two", "61", "1"), ("three", "61", "2"), ("four", "62", "1"), ("five", "62", "2")],
        ),
        # The Patristic Text Archive's manuscripts mark a page and then only the breaks between its lines:
        # the text before a page's first line break is its first line. A page with no line marked gets none.
        (
            '<p><pb n="5r"/>alpha beta <lb/>gamma <lb/>delta <pb n="5v"/>epsilon <lb/>zeta <pb n="6r"/>eta theta</p>',
            [
                ("alpha", "5r", "1"), ("beta", "5r", "1"), ("gamma", "5r", "2"), ("delta", "5r", "3"),
                ("epsilon", "5v", "1"), ("zeta", "5v", "2"), ("eta", "6r", None), ("theta", "6r", None),
            ],
        ),
    ],
)
def test_page_and_line_of_every_token(body, expected):
    (w,) = read(tei(body))
    assert [(t.text, t.source.page, t.source.line) for t in w.tokens] == expected


def test_source_keeps_element_offsets_and_file_line():
    data = tei('<p xml:id="p1">alpha\n<hi>beta</hi></p>\n<p>gamma</p>')
    (w,) = read(data)
    alpha, beta, gamma = w.tokens
    assert alpha.source.element == "p1" and beta.source.element == "p1/hi[1]"
    assert gamma.source.element == "/TEI/text[1]/body[1]/p[2]"
    text = extract(data, path="w.xml", options=TeiOptions())[0].text
    assert [text[t.source.start : t.source.end] for t in w.tokens] == ["alpha", "beta", "gamma"]
    assert beta.source.file_line == alpha.source.file_line + 1
    assert gamma.source.file_line == beta.source.file_line + 1


@pytest.mark.parametrize("kind", ["note", "fw", "figDesc"])
def test_left_out_text_is_kept_in_the_source_map(kind):
    body = f'<p><pb n="3"/>before<{kind}>left out here</{kind}> after</p>'
    (item,) = extract(tei(body), path="w.xml", options=TeiOptions())
    assert item.text == "before after"
    (omission,) = item.omissions
    assert (omission.kind, omission.text, omission.page, item.text[: omission.offset]) == (
        kind,
        "left out here",
        "3",
        "before",
    )
    (w,) = read(tei(body))
    assert kind in w.tokens[0].source.flags and kind not in w.tokens[1].source.flags


def test_gap_unclear_supplied_are_marked_on_tokens():
    body = '<p>one <gap reason="illegible"/> two <unclear>three</unclear> <supplied>four</supplied> five</p>'
    (w,) = read(tei(body))
    flags = {t.text: t.source.flags for t in w.tokens}
    assert "gap-after" in flags["one"] and "gap" in flags["two"]
    assert "unclear" in flags["three"] and "supplied" in flags["four"]
    assert flags["five"] == frozenset()


def test_milestone_markup_acts_as_its_element():
    body = '<p>keep <del sID="d1"/>drop <hi>this</hi><del eID="d1"/> keep <unclear sID="u"/>dim<unclear eID="u"/></p>'
    (w,) = read(tei(body))
    assert [t.text for t in w.tokens] == ["keep", "keep", "dim"]
    assert "unclear" in w.tokens[2].source.flags
    assert [t.text for t in read(tei(body), stage="before")[0].tokens] == ["keep", "drop", "this", "keep", "dim"]


def test_span_to_deletion():
    body = '<p>one <delSpan spanTo="#e1"/>two <lb/>three <anchor xml:id="e1"/>four</p>'
    assert words(body) == ["one", "four"]
    assert words(body, stage="before") == ["one", "two", "three", "four"]


def test_siglum_and_metadata_from_the_header():
    data = tei("<p>text</p>", title="The Cat", attributes=' xml:id="MS-A"')
    (w,) = read(data, path="/data/cat.xml")
    assert w.siglum == "MS-A" and w.meta.title == "The Cat" and w.meta.source == "Written for the test."
    assert read(tei("<p>text</p>", attributes=' n="1859"'))[0].siglum == "1859"
    assert read(tei("<p>text</p>"), path="/data/cat.v2.xml")[0].siglum == "cat"


def test_tei_corpus_holds_one_witness_per_tei():
    one, two = tei("<p>first text</p>", attributes=' xml:id="A"'), tei("<p>second text</p>")
    strip = lambda d: d.decode().split("?>", 1)[1]  # noqa: E731
    corpus = (
        '<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>Corpus</title>'
        "</titleStmt><publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc>"
        f"</teiHeader>{strip(one)}{strip(two)}</teiCorpus>"
    ).encode()
    ws = read(corpus, path="corpus.xml")
    assert [(w.siglum, [t.text for t in w.tokens]) for w in ws] == [("A", ["first", "text"]), ("corpus-2", ["second", "text"])]


def test_list_wit_with_per_witness_text():
    data = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>'
        "<publicationStmt><p>x</p></publicationStmt><sourceDesc><listWit>"
        '<witness xml:id="w1" n="Hg"><title>Hengwrt</title>, <date when="1400">c. 1400</date></witness>'
        '<witness xml:id="w2" n="El">Ellesmere</witness></listWit></sourceDesc></fileDesc></teiHeader>'
        '<text><body><div corresp="#w1"><p>Whan that Aprill</p></div><div corresp="#w2"><p>Whan that Aprille</p>'
        "</div></body></text></TEI>"
    ).encode()
    ws = read(data)
    assert [(w.siglum, w.meta.title, w.meta.date) for w in ws] == [("Hg", "Hengwrt", "1400"), ("El", "Ellesmere", None)]
    assert [t.text for t in ws[1].tokens] == ["Whan", "that", "Aprille"]


def test_group_of_texts():
    body_free = (
        '<TEI xmlns="http://www.tei-c.org/ns/1.0">' + "<teiHeader><fileDesc><titleStmt><title>T</title></titleStmt>"
        "<publicationStmt><p>x</p></publicationStmt><sourceDesc><p>x</p></sourceDesc></fileDesc></teiHeader>"
        '<text><group><text n="X"><body><p>one</p></body></text><text n="Y"><body><p>two</p></body></text></group>'
        "</text></TEI>"
    ).encode()
    assert [(w.siglum, w.tokens[0].text) for w in read(body_free)] == [("X", "one"), ("Y", "two")]


@pytest.mark.parametrize(
    "data, message, line",
    [
        (b'<TEI xmlns="http://www.tei-c.org/ns/1.0">\n<text><body><p>open</body></text></TEI>', "malformed XML", 2),
        (b"<html><body>not tei</body></html>", "not a TEI document", 1),
        (b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><teiHeader/></TEI>', "no <text>", 1),
        (tei("<p><note>only a note</note></p>"), "no text to collate", None),
    ],
)
def test_bad_input_raises_input_error_with_position(data, message, line):
    with pytest.raises(InputError) as caught:
        read(data, path="bad.xml")
    assert message in str(caught.value) and caught.value.path == "bad.xml"
    if line is not None:
        assert caught.value.line == line


def test_external_entities_are_refused():
    data = (
        b'<?xml version="1.0"?><!DOCTYPE TEI [<!ENTITY x SYSTEM "file:///etc/passwd">]>'
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>&x;</p></body></text></TEI>'
    )
    with pytest.raises(InputError, match="refused"):
        read(data)


@pytest.mark.parametrize(
    "stage, expected",
    [
        ("after", [("a", set()), ("c", {"add", "subst"}), ("d", {"unclear"}), ("e", {"supplied"}), ("f", {"add"})]),
        ("before", [("a", set()), ("b", {"del", "subst"}), ("d", {"unclear"}), ("e", {"supplied"}), ("g", {"del"})]),
    ],
)
def test_transcription_markup_is_flagged_on_the_tokens_kept(stage, expected):
    body = (
        "<p>a <subst><del>b</del><add>c</add></subst> <unclear>d</unclear> <supplied>e</supplied> "
        '<addSpan spanTo="#x"/>f<anchor xml:id="x"/> <delSpan spanTo="#y"/>g<anchor xml:id="y"/></p>'
    )
    (w,) = read(tei(body), stage=stage)
    assert [(t.text, set(t.source.flags)) for t in w.tokens] == expected


def test_tokens_know_their_division_paragraph_and_verse_line():
    body = (
        '<div n="1"><head>Song</head><p>Prose here.</p>'
        '<lg type="stanza"><l n="3">First line</l><l n="4">second <hi>line</hi></l></lg></div>'
    )
    (w,) = read(tei(body))
    shape = [(t.text, tuple(b.name for b in t.source.blocks), t.source.verse) for t in w.tokens]
    assert shape == [
        ("Song", ("div", "head"), None),
        ("Prose", ("div", "p"), None),
        ("here", ("div", "p"), None),
        (".", ("div", "p"), None),
        ("First", ("div", "lg", "l"), "3"),
        ("line", ("div", "lg", "l"), "3"),
        ("second", ("div", "lg", "l"), "4"),
        ("line", ("div", "lg", "l"), "4"),
    ]
    first, second = w.tokens[4].source.blocks, w.tokens[6].source.blocks
    assert first[:2] == second[:2] and first[2] != second[2]
    assert w.tokens[0].source.blocks[0].n == "1"


def test_a_layout_line_break_before_punctuation_is_no_space_of_the_text():
    body = (
        "<p>τὸ σκεῦος τῆς <quote>ἐκλογῆς<ref/>\n      </quote>, ὁ <choice><expan>φιλανθρωπία</expan>"
        "<abbr>φλα</abbr></choice>\n      <subst><del>·</del><add>.</add></subst> καὶ</p>"
    )
    (item,) = extract(tei(body), path="w.xml", options=TeiOptions())
    assert item.text == "τὸ σκεῦος τῆς ἐκλογῆς, ὁ φιλανθρωπία. καὶ"
    # A space the transcription writes on the line itself is the witness's own and stays.
    (item,) = extract(tei("<p>θεόν . καὶ</p>"), path="w.xml", options=TeiOptions())
    assert item.text == "θεόν . καὶ"
    # After the same mark, the line break stays a space: ".⏎." are two stops, which ".." would make one token.
    assert words("<p>Ἐν <hi>.\n</hi>. the</p>") == ["Ἐν", ".", ".", "the"]


@pytest.mark.parametrize(("stage", "expected"), [("after", ["rose", "proportionably"]), ("before", ["rose", "proporitonably"])])
def test_letters_struck_out_within_a_word_follow_the_stage(stage, expected):
    """The Frankenstein manuscript's ``mdel`` (letters deleted inside a word, within a ``mod``) is a
    deletion: at the stage after correction its letters are not read (they were: "propor it ti onably")."""
    body = "<p>rose propor<mod><mdel>it</mdel><add>ti</add></mod>onably</p>"
    assert words(body, stage=stage) == expected
