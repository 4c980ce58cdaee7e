"""Small helpers for the engine tests: witnesses from strings, rows of the table as text."""

from __future__ import annotations

from collate.engine.graph import Options, align_witnesses
from collate.engine.model import Alignment, Witness
from collate.engine.tokens import make_tokens


# Five witnesses (random ones, shrunk) where a span gives the base W0 whole: W0 reads "tbe tbe" where W1 and
# W2 have nothing and W3 and W4 differ from each other, so that the entries inside compare W3 and W4 only.
BASE_GIVEN_WHOLE = {
    "W0": "tbe tbe a The naïve the black black The .",
    "W1": "naïve , the mat on ; mat sat on . black , cat sat tbe Ἐν on , tbe black naïve Ἐν ; mat",
    "W2": "a Ἐν sat . naïve",
    "W3": "sat ; The the tbe ; ; naïve a mat on mat ; naïve",
    "W4": ", mat ; Ἐν cat black the a",
}


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
