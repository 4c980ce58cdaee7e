"""Text extraction for batch comparison (witnesses.ocr): plain text, TEI, ALTO, PAGE, hOCR, and bad input."""

from __future__ import annotations

import pytest

from collate.errors import InputError
from witnesses.ocr import extract

WEEK1 = "batch_week1"


def read(data_dir, name):
    path = data_dir / WEEK1 / name
    return extract(path.read_bytes(), str(path))


def test_plain_text_lines_are_stripped_and_the_final_newline_dropped():
    got = extract(b"  first line  \r\nsecond\rthird\n\n", "x.txt")
    assert (got.format, got.text) == ("text", "first line\nsecond\nthird\n")


def test_tei_reading_text(data_dir):
    got = read(data_dir, "ref/b.xml")
    # choice gives corr, the note is left out, lb breaks the line, the header is not text.
    assert (got.format, got.text) == ("tei", "He who laughs last\nlaughs best.")


def test_alto_lines_of_strings(data_dir):
    got = read(data_dir, "scans/b.xml")
    assert (got.format, got.text) == ("alto", "tie who laughs last\nlaughs best.")


def test_alto_keeps_the_printed_hyphen():
    data = (
        b'<alto xmlns="http://www.loc.gov/standards/alto/ns-v3#"><Layout><Page><PrintSpace><TextBlock>'
        b'<TextLine><String CONTENT="vari"/><HYP CONTENT="-"/></TextLine>'
        b'<TextLine><String CONTENT="ation"/></TextLine></TextBlock></PrintSpace></Page></Layout></alto>'
    )
    assert extract(data, "x.xml").text == "vari-\nation"


def test_page_follows_the_reading_order(data_dir):
    got = read(data_dir, "scans/c.xml")
    assert (got.format, got.text) == ("page", "The Men-\nsheviks said no.\nThe People¹s Daily said yes.")


def test_page_region_text_equiv_with_lowest_index_wins():
    data = (
        b'<PcGts xmlns="http://schema.primaresearch.org/PAGE/gts/pagecontent/2013-07-15"><Page>'
        b'<TextRegion id="r"><TextEquiv index="2"><Unicode>second choice</Unicode></TextEquiv>'
        b"<TextEquiv index=\"1\"><Unicode>first choice</Unicode></TextEquiv>"
        b'<TextLine id="l"><TextEquiv><Unicode>line</Unicode></TextEquiv></TextLine></TextRegion>'
        b"</Page></PcGts>"
    )
    assert extract(data, "p.xml").text == "first choice"


def test_hocr_xhtml_with_doctype(data_dir):
    got = read(data_dir, "scans/d.hocr")
    assert (got.format, got.text) == ("hocr", "Workers of al1 countries, unite!")


def test_hocr_that_is_html_but_not_xml():
    data = (
        b'<html><body><p class="ocr_par"><span class="ocr_line"><span class="ocrx_word">one&nbsp;two</span>'
        b' <span class="ocrx_word">three</span></span><br><span class="ocr_line">four</span></p></body></html>'
    )
    got = extract(data, "page.hocr")
    assert (got.format, got.text) == ("hocr", "one two three\nfour")


def test_unknown_xml_is_refused_with_its_root():
    with pytest.raises(InputError, match=r"unknown XML document <svg>"):
        extract(b'<svg xmlns="http://www.w3.org/2000/svg"/>', "x.xml")


def test_malformed_xml_names_the_place(data_dir):
    with pytest.raises(InputError) as caught:
        read(data_dir, "scans/h.xml")
    assert (caught.value.line, caught.value.column) == (3, 18)


def test_entity_declarations_are_refused():
    data = b'<?xml version="1.0"?><!DOCTYPE alto [<!ENTITY x "boom">]><alto>&x;</alto>'
    with pytest.raises(InputError, match="DOCTYPE"):
        extract(data, "x.xml")


def test_hocr_doctype_with_internal_subset_is_not_dropped():
    data = b'<!DOCTYPE html [<!ENTITY x "boom">]><html><body><span class="ocr_line">&x;</span></body></html>'
    with pytest.raises(InputError, match="DOCTYPE"):
        extract(data, "x.hocr")


def test_bad_encoding_names_the_line():
    with pytest.raises(InputError) as caught:
        extract(b"good line\nbad \xff byte\n", "scan.txt")
    assert (caught.value.path, caught.value.line, caught.value.column) == ("scan.txt", 2, 5)


def test_tei_block_elements_and_page_breaks_become_lines():
    data = (
        b'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><head>Title</head>\n  <p>One\n   two <hi>three</hi>'
        b' <del>struck</del><add>added</add></p>\n<p>Four\n<pb n="2"/>five de<lb/>lighted</p></body></text></TEI>'
    )
    # A break with no whitespace on either side stands inside a word: "de<lb/>lighted" is one.
    assert extract(data, "x.xml").text == "Title\nOne two three added\nFour\nfive delighted"


def test_tei_with_several_witnesses_is_refused():
    data = (
        b'<teiCorpus xmlns="http://www.tei-c.org/ns/1.0"><TEI><text><body><p>one</p></body></text></TEI>'
        b"<TEI><text><body><p>two</p></body></text></TEI></teiCorpus>"
    )
    with pytest.raises(InputError, match="holds 2 witnesses"):
        extract(data, "x.xml")
