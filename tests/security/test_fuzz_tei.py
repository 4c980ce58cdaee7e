"""A fuzz run of the TEI reader, the OCR readers (ALTO, PAGE, hOCR), the apparatus importer and the batch
manifest reader. TEI reader: random TEI-ish documents, well-formed or broken, must give witnesses or one
of the project's errors (``InputError``/``UsageError``), never any other exception.

The documents are built as text, not through lxml, so that they can be wrong in every way a file can:
TEI elements nested anyhow (``choice``, ``app``, ``add``/``del``, milestones with ``sID``/``eID``,
``spanTo`` anchors, ``group``, ``teiCorpus``, ``listWit`` pointers), random attributes, entity and
character references (defined, undefined, out of range), comments, processing instructions, CDATA,
DOCTYPEs with and without entities, XML declarations naming encodings right and wrong; then the bytes are
encoded in one of several encodings and now and then truncated, spliced with junk, or stripped or
flipped a byte. Most documents are well-formed, so that the reader's own logic is exercised and not only
the parser's refusals. A fixed budget of examples, derandomised, so CI sees the same run every time.

The other readers get smaller budgets: OCR files of each format's own elements and attributes, mutated
the same ways; apparatuses whose ``@wit`` names missing witnesses and whose layout block holds widths and
column numbers of every kind (``abc``, ``-7``, ``40000000``); manifests with every kind of path a manifest
must refuse and fields past the csv module's limit. Each must give its result or the project's error.
"""

import warnings

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from collate.errors import InputError, InputWarning, UsageError
from tei.reader import read_witnesses
from witnesses.load import TeiOptions

TEI_NS = "http://www.tei-c.org/ns/1.0"
BUDGET = 2000


def weighted(usual: st.SearchStrategy, unusual: st.SearchStrategy, *, odds: int) -> st.SearchStrategy:
    """``unusual`` once in ``odds`` draws, else ``usual`` (``one_of`` would merge repeated branches). The
    usual branch is the one hypothesis thinks simplest (0), which it draws more often than its share."""
    return st.integers(0, odds - 1).flatmap(lambda k: unusual if k == odds - 1 else usual)


NAMES = st.sampled_from(
    (
        "TEI teiCorpus teiHeader fileDesc titleStmt title sourceDesc bibl date text front body back group div p "
        "ab head l lg hi w choice sic corr orig reg abbr expan add del subst lb pb cb note fw figDesc figure gap "
        "unclear supplied damage app lem rdg rdgGrp listWit witness anchor addSpan delSpan milestone span seg "
        "quote foreign x:elem"
    ).split()
)
ATTRIBUTES = st.sampled_from(
    "n xml:id wit break spanTo sID eID corresp decls source rend type when place x:attr".split()
)
_XML_CHARS = st.characters(
    blacklist_categories=("Cs",),
    blacklist_characters="".join(map(chr, [*range(0, 9), 11, 12, *range(14, 32), 0xFFFE, 0xFFFF])),
)
ANY_TEXT = weighted(st.text(_XML_CHARS, max_size=10), st.text(max_size=10), odds=16)
VALUES = weighted(
    st.sampled_from(["no", "yes", "#A", "#B #C", "A", "B", "p1", "#a1", "a1", "1859", "", "#", "#missing", "sic"]),
    ANY_TEXT,
    odds=4,
)
TEXT = weighted(
    st.sampled_from(["The", " cat ", "sat", "vari-\n", "ation", " ", "\n", "-", ",", "don't", "ſ", "e\u0301", "A¹"]),
    ANY_TEXT,
    odds=3,
)
REFERENCES = weighted(
    st.sampled_from(["&amp;", "&lt;", "&gt;", "&quot;", "&apos;", "&#233;", "&#xE9;", "&#x1F600;"]),
    st.sampled_from(["&nbsp;", "&x;", "&#0;", "&#x110000;", "&#xD800;", "&#1;", "&", "&#;", "&#x;"]),
    odds=4,
)
DOCTYPES = weighted(
    st.just(""),
    st.sampled_from(
        ["<!DOCTYPE TEI>", '<!DOCTYPE TEI [<!ENTITY x "cat">]>', '<!DOCTYPE TEI SYSTEM "x.dtd">',
         '<!DOCTYPE TEI [<!ELEMENT TEI ANY><!ATTLIST p rend CDATA "bold">]>', "<!DOCTYPE",
         '<!DOCTYPE TEI [<!ENTITY % p "x">]>']
    ),
    odds=5,
)
DECLARATIONS = weighted(
    st.sampled_from(["", '<?xml version="1.0"?>', '<?xml version="1.0" encoding="UTF-8"?>']),
    st.sampled_from(
        ['<?xml version="1.0" encoding="ISO-8859-1"?>', '<?xml version="1.0" encoding="UTF-16"?>',
         '<?xml version="1.1"?>', '<?xml version="1.0" encoding="bogus"?>', '<?xml version="1.0" standalone="yes"?>',
         "<?xml?>"]
    ),
    odds=5,
)
ENCODINGS = weighted(
    st.just("utf-8"), st.sampled_from(["utf-8-sig", "latin-1", "utf-16", "utf-16-le", "cp1252"]), odds=4
)
MUTATIONS = weighted(st.just("none"), st.sampled_from(["truncate", "splice", "drop", "flip"]), odds=6)


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


@st.composite
def attributes(draw) -> str:
    pairs = draw(st.lists(st.tuples(ATTRIBUTES, VALUES), max_size=3, unique_by=lambda p: p[0]))
    quote = draw(st.sampled_from(['"', "'"]))
    return "".join(f" {name}={quote}{_escape(value).replace(quote, '')}{quote}" for name, value in pairs)


def _leaf(draw) -> str:
    kind = draw(st.sampled_from(["text", "text", "text", "text", "ref", "comment", "pi", "cdata", "empty"]))
    if kind == "text":
        return _escape(draw(TEXT))
    if kind == "ref":
        return draw(REFERENCES)
    if kind == "comment":
        return f"<!--{draw(ANY_TEXT)}-->"
    if kind == "pi":
        return f"<?{draw(st.sampled_from(['pi', 'xml-stylesheet', 'x']))} {draw(ANY_TEXT)}?>"
    if kind == "cdata":
        return f"<![CDATA[{draw(ANY_TEXT)}]]>"
    return f"<{draw(NAMES)}{draw(attributes())}/>"


@st.composite
def content(draw, depth: int) -> str:
    parts = []
    for _ in range(draw(st.integers(0, 4))):
        if depth > 0 and draw(st.booleans()):
            name = draw(NAMES)
            # Now and then a mismatched end tag.
            end = draw(weighted(st.just(name), NAMES, odds=20))
            parts.append(f"<{name}{draw(attributes())}>{draw(content(depth - 1))}</{end}>")
        else:
            parts.append(_leaf(draw))
    return "".join(parts)


@st.composite
def documents(draw) -> str:
    body = draw(content(4))
    shape = draw(st.sampled_from(["tei", "tei", "tei", "corpus", "group", "listwit", "bare", "other"]))
    ns = draw(weighted(st.just(f' xmlns="{TEI_NS}"'), st.just(""), odds=5)) + ' xmlns:x="urn:x"'
    if shape == "tei":
        root = f"<TEI{ns}{draw(attributes())}><text><body>{body}</body></text></TEI>"
    elif shape == "corpus":
        member = f"<TEI{draw(attributes())}><text><body>{body}</body></text></TEI>"
        root = f"<teiCorpus{ns}>{member * draw(st.integers(0, 3))}</teiCorpus>"
    elif shape == "group":
        inner = "".join(f'<text n="{k}"><body>{body}</body></text>' for k in range(draw(st.integers(0, 3))))
        root = f"<TEI{ns}><text><group>{inner}</group></text></TEI>"
    elif shape == "listwit":
        root = (
            f'<TEI{ns}><teiHeader><fileDesc><sourceDesc><listWit><witness xml:id="A"/><witness xml:id="B"/>'
            f'</listWit></sourceDesc></fileDesc></teiHeader><text><body><div corresp="#A">{body}</div>'
            f'<div corresp="#B">{body}</div><app><lem wit="#A">{body}</lem><rdg wit="#B">x</rdg></app>'
            f"</body></text></TEI>"
        )
    elif shape == "bare":
        root = body
    else:
        name = draw(NAMES)
        root = f"<{name}{ns}>{body}</{name}>"
    separator = draw(st.sampled_from(["", "\n", " \n"]))
    return separator.join(part for part in (draw(DECLARATIONS), draw(DOCTYPES), root) if part)


@st.composite
def files(draw) -> bytes:
    data = draw(documents()).encode(draw(ENCODINGS), errors="replace")
    mutation = draw(MUTATIONS)
    if data and mutation != "none":
        at = draw(st.integers(0, len(data) - 1))
        if mutation == "truncate":
            data = data[:at]
        elif mutation == "splice":
            data = data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at:]
        elif mutation == "drop":
            data = data[:at] + data[at + 1 :]
        else:
            data = data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    return data


@settings(
    max_examples=BUDGET,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
@given(files(), st.sampled_from([TeiOptions(), TeiOptions(prefer=("sic", "orig", "abbr"), stage="before")]))
def test_the_tei_reader_gives_witnesses_or_the_projects_error(data, options):
    try:
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            witnesses = read_witnesses(data, path="fuzz.xml", options=options)
    except (InputError, UsageError) as exc:
        message = str(exc)
        assert message.startswith("fuzz.xml") and "\n" not in message
        return
    assert witnesses
    for warning in caught:  # what the reader had to assume: one line, with the file
        assert isinstance(warning.message, InputWarning), warning.message
        assert str(warning.message).startswith("fuzz.xml") and "\n" not in str(warning.message)
    for witness in witnesses:
        assert witness.tokens and witness.siglum
        assert [t.index for t in witness.tokens] == list(range(len(witness.tokens)))
        assert all(t.text and t.text.strip() for t in witness.tokens)


# ------------------------------------------------------------------------------- the other hostile inputs
# Smaller budgets: these readers are shallower than the TEI reader, and `make test` stays within minutes.
OTHER_BUDGET = 100
_OTHER_SETTINGS = settings(
    max_examples=OTHER_BUDGET,
    derandomize=True,
    database=None,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large],
)
OCR_NAMES = {
    "alto": ("http://www.loc.gov/standards/alto/ns-v4#",
             "alto Layout Page PrintSpace TextBlock TextLine String SP HYP ComposedBlock Description".split()),
    "page": ("http://schema.primaresearch.org/PAGE/gts/pagecontent/2019-07-15",
             "PcGts Page ReadingOrder OrderedGroup RegionRefIndexed TextRegion TextLine Word TextEquiv Unicode "
             "UnorderedGroup".split()),
    "hocr": ("http://www.w3.org/1999/xhtml", "html head body div p span ocr_line br".split()),
}
OCR_ATTRIBUTES = st.sampled_from(
    "CONTENT ID SUBS_CONTENT SUBS_TYPE id regionRef index class title readingOrder HPOS".split()
)
OCR_VALUES = weighted(
    st.sampled_from(["ocr_line", "ocrx_word", "ocr_par", "r1", "r2", "0", "-1", "99999999", "HypPart1", "a b", ""]),
    ANY_TEXT,
    odds=4,
)


def _mutate(draw, data: bytes) -> bytes:
    mutation = draw(MUTATIONS)
    if data and mutation != "none":
        at = draw(st.integers(0, len(data) - 1))
        if mutation == "truncate":
            return data[:at]
        if mutation == "splice":
            return data[:at] + draw(st.binary(min_size=1, max_size=6)) + data[at:]
        if mutation == "drop":
            return data[:at] + data[at + 1 :]
        return data[:at] + bytes([data[at] ^ draw(st.integers(1, 255))]) + data[at + 1 :]
    return data


@st.composite
def ocr_files(draw) -> tuple[str, bytes]:
    kind = draw(st.sampled_from(sorted(OCR_NAMES)))
    namespace, names = OCR_NAMES[kind]

    def element(depth: int) -> str:
        name = draw(st.sampled_from(names))
        pairs = draw(st.lists(st.tuples(OCR_ATTRIBUTES, OCR_VALUES), max_size=3, unique_by=lambda p: p[0]))
        attrs = "".join(f' {n}="{_escape(v).replace(chr(34), "")}"' for n, v in pairs)
        inner = "".join(
            element(depth - 1) if depth and draw(st.booleans()) else _escape(draw(TEXT))
            for _ in range(draw(st.integers(0, 3)))
        )
        return f"<{name}{attrs}>{inner}</{name}>"

    root = names[0]
    body = "".join(element(3) for _ in range(draw(st.integers(0, 3))))
    doctype = draw(weighted(
        st.just(""), st.sampled_from(["<!DOCTYPE html>", '<!DOCTYPE x [<!ATTLIST String CONTENT CDATA "X">]>']), odds=4
    ))
    text = f'{draw(DECLARATIONS)}{doctype}<{root} xmlns="{namespace}">{body}</{root}>'
    suffix = {"alto": ".xml", "page": ".xml", "hocr": ".hocr"}[kind]
    return f"fuzz{suffix}", _mutate(draw, text.encode(draw(ENCODINGS), errors="replace"))


@_OTHER_SETTINGS
@given(ocr_files())
def test_the_ocr_readers_give_text_or_the_projects_error(case):
    from witnesses.ocr import extract

    path, data = case
    try:
        result = extract(data, path)
    except (InputError, UsageError) as exc:
        assert str(exc).startswith(path) and "\n" not in str(exc)
        return
    assert result.format in ("text", "tei", "alto", "page", "hocr")
    assert isinstance(result.text, str)


@st.composite
def apparatus_files(draw) -> bytes:
    sigla = ["A", "B", "C"]
    wit = st.lists(st.sampled_from(sigla + ["Z", ""]), min_size=0, max_size=3).map(
        lambda ws: " ".join(f"#{w}" for w in ws))
    apps = []
    for k in range(draw(st.integers(0, 4))):
        readings = "".join(
            f'<{tag} wit="{draw(wit)}">{_escape(draw(TEXT))}</{tag}>'
            for tag in draw(st.lists(st.sampled_from(["lem", "rdg", "rdgGrp"]), max_size=3))
        )
        apps.append(f'{_escape(draw(TEXT))}<app xml:id="app-{k}">{readings}</app>')
    number = weighted(st.sampled_from(["0", "1", "2", "5"]),
                      st.sampled_from(["abc", "-7", "40000000", "", "1e9", "٣", " 1", "99999999999999999999"]),
                      odds=3)
    layout = "".join(
        f'<ct:app ref="app-{draw(st.integers(0, 4))}" width="{draw(number)}">'
        f'<ct:cols wit="{draw(st.sampled_from(sigla))}" n="{draw(number)} {draw(number)}"/></ct:app>'
        for _ in range(draw(st.integers(0, 3)))
    )
    moves = draw(weighted(st.just(""), st.just(
        f'<ct:transposition source="{draw(number)} {draw(number)}" target="{draw(number)} {draw(number)}" '
        f'source-wit="A" target-wit="B" links="{draw(number)}:{draw(number)}"/>'), odds=3))
    witnesses = "".join(f'<witness xml:id="{s}" n="{s}"/>' for s in sigla)
    text = (
        f'<TEI xmlns="{TEI_NS}" xmlns:ct="urn:x-collate-toolkit:alignment"><teiHeader><fileDesc><titleStmt>'
        f"<title>t</title></titleStmt><sourceDesc><listWit>{witnesses}</listWit></sourceDesc></fileDesc>"
        f'<encodingDesc><variantEncoding method="parallel-segmentation" location="internal"/></encodingDesc>'
        f"<xenoData><ct:alignment>{layout}{moves}</ct:alignment></xenoData></teiHeader>"
        f"<text><body><p>{''.join(apps)}{_escape(draw(TEXT))}</p></body></text></TEI>"
    )
    return _mutate(draw, text.encode("utf-8"))


@_OTHER_SETTINGS
@given(apparatus_files())
def test_the_apparatus_importer_gives_a_table_or_the_projects_error(data):
    from tei.importer import import_apparatus

    try:
        apparatus = import_apparatus(data, path="fuzz.xml")
    except (InputError, UsageError) as exc:
        assert str(exc).startswith("fuzz.xml") and "\n" not in str(exc)
        return
    columns = apparatus.alignment.columns
    for w in range(len(apparatus.alignment.witnesses)):
        cells = [column[w] for column in columns if column[w] is not None]
        assert cells == sorted(cells)


CELLS = weighted(
    st.sampled_from(["p1.txt", "p2.txt", "sub/p3.txt", "", "p1", "a b.txt", "é.txt"]),
    st.sampled_from(["../x", "/etc/passwd", "C:\\x", "C:x", "\\\\host\\share", "a/../../b", "\x00", '"', "\r",
                     "x" * 200_000]),
    odds=4,
)


@st.composite
def manifests(draw) -> bytes:
    header = draw(weighted(st.just("id,reference,scan"), st.sampled_from(
        ["reference,scan", "scan,reference,id", "id,ref,scan", "", "id,reference,scan,extra"]), odds=4))
    rows = [
        ",".join(draw(st.sampled_from(['', '"'])) + draw(CELLS) for _ in range(draw(st.integers(0, 4))))
        for _ in range(draw(st.integers(0, 4)))
    ]
    return _mutate(draw, "\n".join([header, *rows]).encode(draw(ENCODINGS), errors="replace"))


@_OTHER_SETTINGS
@given(manifests())
def test_the_manifest_reader_gives_pairs_inside_the_folders_or_the_projects_error(data):
    import tempfile
    from pathlib import Path

    from collate.batch.pairing import pair_by_manifest

    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder)
        manifest = root / "pairs.csv"
        manifest.write_bytes(data)
        try:
            pairs = pair_by_manifest(manifest, root / "ref", root / "scans")
        except (InputError, UsageError) as exc:
            assert str(exc).startswith(str(manifest)) and "\n" not in str(exc)
            return
        for pair in pairs:
            for path, base in ((pair.reference, root / "ref"), (pair.scan, root / "scans")):
                if path is not None:
                    assert base in path.parents and ".." not in path.parts
