"""TOML files the editor writes (``collate.toml``, ``corrections.toml``): read with the project's errors.

Offers:
    read_text(path)          the file's text (any encoding the witnesses may have; a bad file is ``InputError``)
    loads(text, *, name)     the parsed tables; invalid TOML is one ``InputError`` with file, line and column
"""

from __future__ import annotations

import re
import tomllib
from pathlib import Path
from typing import Any

from .errors import InputError

__all__ = ["read_text", "loads"]

_TOML_POSITION = re.compile(r"\s*\(at line (\d+), column (\d+)\)$")


def read_text(path: Path) -> str:
    from witnesses.files import read_bytes
    from witnesses.plaintext import decode

    return decode(read_bytes(path), str(path))


def loads(text: str, *, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        message = str(exc)
        found = _TOML_POSITION.search(message)
        if found:
            raise InputError(f"not valid TOML: {message[: found.start()]}", path=name,
                             line=int(found.group(1)), column=int(found.group(2))) from None
        raise InputError(f"not valid TOML: {message}", path=name) from None
