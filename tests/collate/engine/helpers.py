"""Small helpers for the engine tests: witnesses from strings, rows of the table as text."""

from __future__ import annotations

from collate.engine.graph import Options, align_witnesses
from collate.engine.model import Alignment, Witness
from collate.engine.tokens import make_tokens


def witness(siglum: str, text: str) -> Witness:
    return Witness(siglum, make_tokens(text, siglum))


def table(texts: dict[str, str], options: Options = Options()) -> Alignment:
    return align_witnesses([witness(s, t) for s, t in texts.items()], options)


def rows(alignment: Alignment) -> dict[str, list[str | None]]:
    """Each witness's row: its token text per column, None for a gap."""
    return {
        w.siglum: [None if c[k] is None else w.tokens[c[k]].text for c in alignment.columns]
        for k, w in enumerate(alignment.witnesses)
    }
