"""Plain-text witnesses: decoding with clear errors, and tokens that know their line and column.

Offers:
    decode(data, path)          bytes → str (UTF-8 with or without BOM, UTF-16 with BOM); errors name the spot
    read_text(text, siglum, …)  a ``Witness`` from text already decoded
    utf16_without_bom(data)     whether bytes look like UTF-16 written without a byte order mark
    utf16_refusal(data, path)   the error to raise for such bytes, or None
    LineIndex                   character offset → (line, column)

``decode`` refuses, with the line and column: bytes that are not UTF-8 (saying so when UTF-8 text comes
before them, i.e. the file mixes encodings), UTF-16 without a byte order mark, NUL and other control
characters that are not whitespace.
"""

from __future__ import annotations

import codecs
import re
from bisect import bisect_right
from typing import TYPE_CHECKING

from collate.errors import InputError

if TYPE_CHECKING:
    from collate.engine.model import Witness, WitnessMeta
    from collate.engine.normalize import Normalizer

__all__ = ["decode", "read_text", "LineIndex", "utf16_without_bom", "utf16_refusal"]

# Characters no witness text holds and XML 1.0 cannot carry (a TEI apparatus could not be written): the C0
# controls but tab, newlines, vertical tab and form feed (those separate words like spaces and never reach
# an output), and the noncharacters U+FFFE/U+FFFF.
_NOT_TEXT = re.compile("[\x00-\x08\x0e-\x1f\ufffe\uffff]")


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


def utf16_refusal(data: bytes, path: str) -> InputError | None:
    """The error for UTF-16 text without a byte order mark, or None when ``data`` does not look like it."""
    guess = utf16_without_bom(data)
    if guess is None:
        return None
    return InputError(
        f"looks like {guess} without a byte order mark; save it as UTF-8 (or UTF-16 with a BOM)",
        path=path,
        line=1,
        column=1,
    )


def utf16_without_bom(data: bytes) -> str | None:
    """``"UTF-16LE"`` or ``"UTF-16BE"`` when ``data`` looks like UTF-16 written without a byte order mark.

    Text that is mostly Latin script has a NUL in every other byte in UTF-16 (after each character in LE,
    before it in BE), which no 8-bit text has.
    """
    sample = data[:4096]
    if len(sample) < 8 or sample.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return None
    even, odd = sample[0::2], sample[1::2]
    if odd.count(0) >= 0.6 * len(odd) and even.count(0) <= 0.1 * len(even):
        return "UTF-16LE"
    if even.count(0) >= 0.6 * len(even) and odd.count(0) <= 0.1 * len(odd):
        return "UTF-16BE"
    return None


def decode(data: bytes, path: str) -> str:
    if data.startswith(codecs.BOM_UTF8):
        data, encoding = data[len(codecs.BOM_UTF8) :], "utf-8"
    elif data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        encoding = "utf-16"
    else:
        encoding = "utf-8"
    refusal = utf16_refusal(data, path) if encoding == "utf-8" else None
    if refusal is not None:
        raise refusal
    try:
        text = data.decode(encoding)
    except UnicodeDecodeError as exc:
        before = data[: exc.start].decode(encoding, errors="replace")
        line, column = LineIndex(before).position(len(before))
        byte = data[exc.start]
        message = f"not valid {encoding.upper()} (byte 0x{byte:02x}); convert the file to UTF-8"
        if encoding == "utf-8" and not before.isascii():
            # UTF-8 letters before, a single-byte one here: two encodings in one file (text pasted from
            # elsewhere, a file appended to another). Converting the whole file would garble the first part.
            as_cp1252 = bytes([byte]).decode("cp1252", errors="replace")
            message = (
                f"not valid UTF-8 (byte 0x{byte:02x}, {as_cp1252!r} in Windows-1252/Latin-1) after UTF-8 text: "
                "the file mixes encodings; convert this part to UTF-8"
            )
        raise InputError(message, path=path, line=line, column=column) from None
    bad = _NOT_TEXT.search(text)
    if bad is not None:
        line, column = LineIndex(text).position(bad.start())
        char = bad.group()
        if char == "\x00":
            what = "NUL character"
        else:
            what = f"{'control character' if char < ' ' else 'noncharacter'} U+{ord(char):04X}"
        raise InputError(f"{what} in text; is this a binary file?", path=path, line=line, column=column)
    return text


def read_text(
    text: str,
    siglum: str,
    *,
    normalizer: Normalizer | None = None,
    meta: WitnessMeta | None = None,
) -> Witness:
    """``normalizer`` defaults to ``collate.engine.normalize.DEFAULT``."""
    # Imported here: decoding (all ``collate batch`` needs of this module) should not load the tokeniser.
    from collate.engine.model import Witness, WitnessMeta
    from collate.engine.normalize import DEFAULT
    from collate.engine.tokens import make_tokens

    tokens = make_tokens(text, siglum, normalizer=DEFAULT if normalizer is None else normalizer, lines=True)
    return Witness(siglum, tokens, meta or WitnessMeta())
