"""CollateX JSON witness input: the file a CollateX pipeline already feeds to ``collatex``.

Offers:
    looks_like_collatex(path, data)   whether a file is CollateX JSON input (by its content, whatever its name)
    read_collatex(data, *, path, normalizer)   the ``Witness``es of such a file

The layout is CollateX's (``{"witnesses": [...]}``), each witness either

    {"id": "A", "content": "The black cat"}                         tokenised here, as a plain-text witness
    {"id": "B", "tokens": [{"t": "The", "n": "the"}, {"t": "cat"}]}  tokens taken as given

A given token keeps its ``t`` as the text and its ``n`` (when present) as the normalised form, exactly as
CollateX compares them; a token without ``n`` is normalised like any other. CollateX's tokeniser leaves the
whitespace that follows a word in ``t`` (``"The "``) so that joining the texts prints the line: that
whitespace is not part of the word and is dropped, as it is from every other witness. Any other key of a
token (CollateX passes them through to its output) is not part of the collation and is not kept.

Errors name the file and, for the structure, the place in it (``witnesses[2].tokens[5]``); a syntax error
gives the line and column.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from collate.errors import InputError

from .plaintext import decode

if TYPE_CHECKING:
    from collate.engine.model import Witness
    from collate.engine.normalize import Normalizer

__all__ = ["looks_like_collatex", "read_collatex"]


def _head(data: bytes) -> bytes:
    return data[:4096].lstrip(b"\xef\xbb\xbf").lstrip()


def looks_like_collatex(path: str, data: bytes) -> bool:
    """A ``.json`` file, or a file (not named ``.txt``) whose text is a JSON object with a ``witnesses`` key.

    A file named as JSON is always read as JSON, so a broken one is refused rather than collated as text;
    an unnamed one must open with ``{`` and name ``"witnesses"`` early, which no prose witness does.
    """
    lower = path.lower()
    if lower.endswith(".json"):
        return True
    if lower.endswith((".txt", ".xml", ".tei")):
        return False
    head = _head(data)
    return head.startswith(b"{") and b'"witnesses"' in head


def read_collatex(data: bytes, *, path: str, normalizer: Normalizer | None = None) -> list[Witness]:
    from collate.engine.model import Source, Token, Witness, WitnessMeta
    from collate.engine.normalize import DEFAULT
    from collate.engine.tokens import make_tokens, split

    normalize = DEFAULT if normalizer is None else normalizer
    text = decode(data, path)
    try:
        document = json.loads(text)
    except json.JSONDecodeError as exc:
        raise InputError(f"not valid JSON: {exc.msg}", path=path, line=exc.lineno, column=exc.colno) from None
    if not isinstance(document, dict) or "witnesses" not in document:
        raise InputError('CollateX JSON input is an object with a "witnesses" list', path=path)
    entries = document["witnesses"]
    if not isinstance(entries, list) or not entries:
        raise InputError('"witnesses" must be a non-empty list of {"id", "content"|"tokens"}', path=path)

    witnesses: list[Witness] = []
    for w, entry in enumerate(entries):
        where = f"witnesses[{w}]"
        if not isinstance(entry, dict):
            raise InputError(f"{where}: a witness is an object with an id", path=path)
        siglum = entry.get("id")
        if not isinstance(siglum, str) or not siglum.strip():
            raise InputError(f'{where}: "id" must be a non-empty string', path=path)
        siglum = siglum.strip()
        meta = WitnessMeta(title=siglum, path=path)
        if "tokens" in entry:
            given = entry["tokens"]
            if not isinstance(given, list):
                raise InputError(f'{where}.tokens: must be a list of {{"t": …}} objects', path=path)
            tokens = []
            offset = 0
            for i, token in enumerate(given):
                spot = f"{where}.tokens[{i}]"
                if not isinstance(token, dict) or not isinstance(token.get("t"), str):
                    raise InputError(f'{spot}: a token is an object with a string "t"', path=path)
                word = token["t"].strip()
                if not word:
                    raise InputError(f'{spot}: "t" is empty or only whitespace', path=path)
                norm = token.get("n")
                if norm is None:
                    norm = normalize(word)
                elif not isinstance(norm, str):
                    raise InputError(f'{spot}: "n" must be a string', path=path)
                else:
                    norm = norm.strip() or word
                spans = split(word)
                punct = bool(spans) and all(s.punct for s in spans)
                source = Source(start=offset, end=offset + len(word))
                offset += len(word) + 1
                tokens.append(Token(word, norm, siglum, len(tokens), source, punct))
            witness = Witness(siglum, tuple(tokens), meta)
        elif "content" in entry:
            content = entry["content"]
            if not isinstance(content, str):
                raise InputError(f'{where}.content: must be a string', path=path)
            witness = Witness(siglum, make_tokens(content, siglum, normalizer=normalize), meta)
        else:
            raise InputError(f'{where}: a witness needs "content" or "tokens"', path=path)
        if not witness.tokens:
            raise InputError(f"{where} ({siglum}): witness has no text to collate", path=path)
        witnesses.append(witness)
    return witnesses
