"""Plain-text witnesses: decoding with clear errors, and tokens that know their line and column.

Offers:
    decode(data, path)          bytes → str (UTF-8 with or without BOM, UTF-16 with BOM); errors name the spot
    read_text(text, siglum, …)  a ``Witness`` from text already decoded
"""

from __future__ import annotations

import codecs
from bisect import bisect_right

from collate.errors import InputError
from collate.model import Source, Witness, WitnessMeta
from collate.normalize import DEFAULT, Normalizer
from collate.tokens import make_tokens

__all__ = ["decode", "read_text", "LineIndex"]


class LineIndex:
    """Maps a character offset to a 1-based (line, column)."""

    __slots__ = ("starts",)

    def __init__(self, text: str) -> None:
        self.starts = [0]
        find = text.find
        pos = find("\n")
        while pos >= 0:
            self.starts.append(pos + 1)
            pos = find("\n", pos + 1)

    def position(self, offset: int) -> tuple[int, int]:
        line = bisect_right(self.starts, offset)
        return line, offset - self.starts[line - 1] + 1


def decode(data: bytes, path: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8) :], "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode(encoding, errors="replace")
        line, column = LineIndex(before).position(len(before))
        raise InputError(
            f"not valid {encoding.upper()} (byte 0x{data[exc.start]:02x}); convert the file to UTF-8",
            path=path,
            line=line,
            column=column,
        ) from None
    nul = text.find("\x00")
    if nul >= 0:
        line, column = LineIndex(text).position(nul)
        raise InputError("NUL character in text; is this a binary file?", path=path, line=line, column=column)
    return text


def read_text(
    text: str,
    siglum: str,
    *,
    normalizer: Normalizer = DEFAULT,
    meta: WitnessMeta | None = None,
) -> Witness:
    starts = LineIndex(text).starts
    # Tokens arrive in order, so the line is found by walking forward, not by a search per token.
    state = [0]  # index into ``starts`` of the current line
    labels: dict[int, str] = {}

    def locate(start: int, end: int) -> Source:
        k = state[0]
        while k + 1 < len(starts) and starts[k + 1] <= start:
            k += 1
        state[0] = k
        label = labels.get(k)
        if label is None:
            label = labels[k] = str(k + 1)
        return Source(None, None, label, start, end, k + 1, start - starts[k] + 1)

    return Witness(siglum, make_tokens(text, siglum, normalizer=normalizer, locate=locate), meta or WitnessMeta())
