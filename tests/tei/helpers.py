"""Helpers for the TEI tests: TEI documents from fragments, witnesses read from them."""

from __future__ import annotations

from collate.engine.model import Witness
from tei.reader import read_witnesses
from witnesses.load import TeiOptions

HEADER = """<teiHeader><fileDesc><titleStmt><title>{title}</title></titleStmt>
<publicationStmt><p>Test.</p></publicationStmt><sourceDesc><p>Written for the test.</p></sourceDesc>
</fileDesc></teiHeader>"""


def tei(body: str, *, title: str = "Test witness", attributes: str = "") -> bytes:
    """A TEI document whose ``body`` holds ``body`` (a fragment of TEI markup)."""
    return (
        f'<?xml version="1.0" encoding="UTF-8"?>\n<TEI xmlns="http://www.tei-c.org/ns/1.0"{attributes}>'
        f"{HEADER.format(title=title)}<text><body>{body}</body></text></TEI>"
    ).encode()


def read(data: bytes, *, path: str = "w.xml", prefer: tuple[str, ...] | None = None, stage: str = "after") -> list[Witness]:
    options = TeiOptions(prefer=prefer, stage=stage) if prefer else TeiOptions(stage=stage)
    return read_witnesses(data, path=path, options=options)


def words(body: str, **options) -> list[str]:
    """The token texts of the one witness in a TEI fragment."""
    (witness,) = read(tei(body), **options)
    return [t.text for t in witness.tokens]


def write_tei(folder, bodies: dict[str, str]) -> list:
    """A TEI file ``folder/{siglum}.xml`` for each siglum, its body the fragment given; their paths, in order."""
    paths = []
    for siglum, body in bodies.items():
        path = folder / f"{siglum}.xml"
        path.write_text(f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>{body}</body></text></TEI>')
        paths.append(path)
    return paths
