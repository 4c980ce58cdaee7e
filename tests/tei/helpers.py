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
