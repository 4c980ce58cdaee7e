"""XML attacks through the ``collate`` command: refused with one line and exit code 2, in bounded time and
memory, nothing fetched, nothing written. Each attack document is first shown to work on a permissive lxml
parser, so that a refusal here means the toolkit refused it, not that the document was harmless."""

import select
import socket
from pathlib import Path

import pytest
from lxml import etree

from tei.reader import read_witnesses

from .helpers import assert_refused, bounded, cli, listing, tei

PERMISSIVE = dict(resolve_entities=True, load_dtd=True, no_network=False, huge_tree=True)


@pytest.fixture
def plain(tmp_path: Path) -> Path:
    path = tmp_path / "A.txt"
    path.write_text("The black cat sat on the mat.\n", encoding="utf-8")
    return path


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    path = tmp_path / "secret.txt"
    path.write_text("TOPSECRET-b6f1", encoding="utf-8")
    return path


@pytest.fixture
def listener():
    """A TCP socket listening on loopback only; ``connections(server)`` counts who knocked."""
    server = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    server.bind(("127.0.0.1", 0))
    server.listen(16)
    server.setblocking(False)
    try:
        yield server
    finally:
        server.close()


def connections(server: socket.socket, *, wait: float = 0.5) -> int:
    """Connections made to ``server`` so far (the kernel completes them without ``accept``)."""
    count = 0
    while select.select([server], [], [], wait)[0]:
        conn, _ = server.accept()
        conn.close()
        count += 1
        wait = 0
    return count


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


# ----------------------------------------------------------------------------------------- local files


def test_external_entity_reading_a_local_file_is_refused(tmp_path, plain, secret):
    doc = tei("The cat &x; sat.", doctype=f'<!DOCTYPE TEI [<!ENTITY x SYSTEM "{secret.as_uri()}">]>',
              declaration='<?xml version="1.0"?>')
    evil = write(tmp_path, "xxe.xml", doc)
    assert "TOPSECRET" in "".join(etree.fromstring(doc.encode(), etree.XMLParser(**PERMISSIVE)).itertext())
    before = listing(tmp_path)
    result = cli("align", plain, evil, "-o", tmp_path / "out.json")
    assert_refused(result, evil, "DOCTYPE with entity declarations", line=2, column=1)
    assert "TOPSECRET" not in result.output
    assert listing(tmp_path) == before


def test_external_dtd_from_a_local_file_is_neither_loaded_nor_accepted(tmp_path, plain, secret):
    dtd = write(tmp_path, "evil.dtd", f'<!ENTITY x SYSTEM "{secret.as_uri()}">')
    doc = tei("The cat &x; sat.", doctype=f'<!DOCTYPE TEI SYSTEM "{dtd.as_uri()}">')
    evil = write(tmp_path, "dtd.xml", doc)
    permissive = etree.fromstring(doc.encode(), etree.XMLParser(**PERMISSIVE), base_url=str(evil))
    assert "TOPSECRET" in "".join(permissive.itertext())
    result = cli("align", plain, evil, "-o", tmp_path / "out.json")
    assert_refused(result, evil, "refused", line=1, column=1)
    assert "TOPSECRET" not in result.output
    assert not (tmp_path / "out.json").exists()


def test_xinclude_is_never_processed(tmp_path, plain, secret):
    doc = (
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude"><text><body>'
        f'<p>The cat <xi:include href="{secret.as_uri()}" parse="text"/> sat.</p></body></text></TEI>'
    )
    evil = write(tmp_path, "xi.xml", doc)
    permissive = etree.ElementTree(etree.fromstring(doc.encode()))
    permissive.xinclude()
    assert "TOPSECRET" in "".join(permissive.getroot().itertext())
    out = tmp_path / "out.json"
    result = cli("align", plain, evil, "-o", out)
    assert result.exit_code == 0, result.output
    assert "TOPSECRET" not in out.read_text(encoding="utf-8")
    [witness] = read_witnesses(doc.encode(), path="xi.xml")
    assert [t.text for t in witness.tokens] == ["The", "cat", "sat", "."]


# ---------------------------------------------------------------------------------------------- network


def test_the_listener_notices_a_connection(listener):
    # The network tests below assert that nothing connected; this shows that a connection would be seen.
    assert connections(listener, wait=0) == 0
    with socket.create_connection(listener.getsockname(), timeout=5):
        pass
    assert connections(listener) == 1


@pytest.mark.parametrize(
    "doctype, text, line",
    [
        ('<!DOCTYPE TEI [<!ENTITY x SYSTEM "http://{host}/secret">]>', "The cat &x; sat.", 2),
        ('<!DOCTYPE TEI SYSTEM "http://{host}/tei.dtd">', "The cat sat.", 2),
        ('<!DOCTYPE TEI PUBLIC "-//TEI//DTD TEI P5//EN" "http://{host}/tei.dtd">', "The cat sat.", 2),
        ('<!DOCTYPE TEI [<!ENTITY % remote SYSTEM "http://{host}/evil.dtd"> %remote;]>', "The cat sat.", 2),
        ('<!DOCTYPE TEI [<!NOTATION n SYSTEM "x"><!ENTITY e SYSTEM "http://{host}/e" NDATA n>]>', "cat", 2),
    ],
    ids=["entity", "system-dtd", "public-dtd", "parameter-entity", "unparsed-entity"],
)
def test_nothing_is_fetched_from_the_network(tmp_path, plain, listener, doctype, text, line):
    host = "127.0.0.1:%d" % listener.getsockname()[1]
    doc = tei(text, doctype=doctype.format(host=host), declaration='<?xml version="1.0" encoding="UTF-8"?>')
    evil = write(tmp_path, "net.xml", doc)
    result = cli("align", plain, evil, "-o", tmp_path / "out.json")
    assert_refused(result, evil, "refused", line=line, column=1)
    assert not (tmp_path / "out.json").exists()
    assert connections(listener) == 0


def test_xinclude_and_stylesheet_urls_are_not_fetched(tmp_path, plain, listener):
    host = "127.0.0.1:%d" % listener.getsockname()[1]
    doc = (
        f'<?xml-stylesheet type="text/xsl" href="http://{host}/style.xsl"?>\n'
        f'<TEI xmlns="http://www.tei-c.org/ns/1.0" xmlns:xi="http://www.w3.org/2001/XInclude" '
        f'xml:base="http://{host}/"><text><body><p>The cat <xi:include href="http://{host}/x" parse="text"/> '
        f'<graphic url="http://{host}/page.png"/>sat.</p></body></text></TEI>'
    )
    evil = write(tmp_path, "remote.xml", doc)
    out = tmp_path / "out.html"
    result = cli("align", plain, evil, "-o", out)
    assert result.exit_code == 0, result.output
    assert connections(listener) == 0


# --------------------------------------------------------------------------------------------- bombs

_LAUGHS = '<!ENTITY lol0 "lol">' + "".join(
    f'<!ENTITY lol{i} "{("&lol%d;" % (i - 1)) * 10}">' for i in range(1, 10)
)


def billion_laughs() -> str:
    return tei("The &lol9; cat", doctype=f"<!DOCTYPE TEI [{_LAUGHS}]>", declaration='<?xml version="1.0"?>')


def laughs_in_an_attribute() -> str:
    doc = tei("The cat", doctype=f"<!DOCTYPE TEI [{_LAUGHS}]>", declaration='<?xml version="1.0"?>')
    return doc.replace("<p>", '<p rend="&lol9;">')


def quadratic_blowup() -> str:
    # One 100 KB entity used 50,000 times: 5 GB of text from a 250 KB file, with no nesting to spot.
    big = "A" * 100_000
    return tei("The " + "&a;" * 50_000 + " cat", doctype=f'<!DOCTYPE TEI [<!ENTITY a "{big}">]>',
               declaration='<?xml version="1.0"?>')


@pytest.mark.parametrize("make", [billion_laughs, laughs_in_an_attribute, quadratic_blowup])
def test_entity_bombs_are_refused_in_bounded_time_and_memory(tmp_path, plain, make):
    bomb = write(tmp_path, "bomb.xml", make())
    done = bounded("align", plain, bomb, "-o", tmp_path / "out.json", cwd=tmp_path)
    assert_refused(done, bomb, "entity", line=2, column=1)
    assert not (tmp_path / "out.json").exists()


def test_very_deep_nesting_is_refused_in_bounded_time_and_memory(tmp_path, plain):
    deep = write(tmp_path, "deep.xml", tei("<hi>" * 100_000 + "cat" + "</hi>" * 100_000))
    done = bounded("align", plain, deep, "-o", tmp_path / "out.json", cwd=tmp_path)
    # The column is the end of the first start tag past the limit: the TEI wrapper, then 253 <hi>s.
    column = len('<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body><p>') + 253 * len("<hi>")
    line = assert_refused(done, deep, "elements nested deeper than 256 levels are refused", line=1, column=column)
    assert "XML_PARSE_HUGE" not in line
    assert not (tmp_path / "out.json").exists()


def test_nesting_up_to_the_limit_is_read(tmp_path, plain):
    # TEI, text, body and p are four levels: 252 more make 256, the deepest accepted.
    ok = write(tmp_path, "ok.xml", tei("<hi>" * 252 + "cat" + "</hi>" * 252))
    assert cli("align", plain, ok).exit_code == 0
    too_deep = write(tmp_path, "deep.xml", tei("<hi>" * 253 + "cat" + "</hi>" * 253))
    assert_refused(cli("align", plain, too_deep), too_deep, "nested deeper than 256", line=1)


def test_a_giant_text_node_is_refused_with_advice(tmp_path, plain):
    giant = write(tmp_path, "giant.xml", tei("word " * 2_100_000))
    line = assert_refused(cli("align", plain, giant), giant, "longer than 10,000,000 bytes is refused", line=1)
    assert "split it into paragraphs" in line and "XML_PARSE_HUGE" not in line


def test_a_doctype_without_entities_is_accepted_and_its_declarations_are_not_applied(tmp_path, plain):
    doctype = '<!DOCTYPE TEI [<!ELEMENT TEI ANY><!ATTLIST p rend CDATA "bold" type CDATA #FIXED "x">]>'
    witness = write(tmp_path, "B.xml", tei("The cat sat.", doctype=doctype))
    out = tmp_path / "out.json"
    assert cli("align", plain, witness, "-o", out).exit_code == 0
    from tei.safe import parse

    root = parse(witness.read_bytes(), str(witness)).getroot()
    assert [dict(p.attrib) for p in root.iter("{http://www.tei-c.org/ns/1.0}p")] == [{}]
    bare = write(tmp_path, "C.xml", tei("The cat sat.", doctype="<!DOCTYPE TEI>"))
    assert cli("align", plain, bare).exit_code == 0
