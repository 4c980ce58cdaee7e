"""The editor's corrections file, ``corrections.toml``: read and checked here, applied by the engine.

Offers:
    read_corrections(path)              the ``Correction`` records of a file, in file order
    parse_corrections(text, *, path)    the same from text already read
    KEYS                                the keys a ``[[correction]]`` table may hold

The file is a list of ``[[correction]]`` tables (see the README for an example); each names its ``kind``
and its place by a witness's words (``before``, ``words``, ``after``, ``witness``). A mistake is one
``InputError`` naming the file, the line of the table and the key: ``corrections.toml:12:1: correction 3:
kind: is merge, split, move, lemma or note``. Applying them is ``collate.engine.corrections``' work.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

from .engine.model import CORRECTION_KINDS, Correction
from .errors import InputError
from .tomlfile import loads, read_text

__all__ = ["read_corrections", "parse_corrections", "KEYS"]

_COMMON = {"kind", "witness", "before", "words", "after"}
KEYS: dict[str, frozenset[str]] = {
    "merge": frozenset(_COMMON | {"entries"}),
    "split": frozenset(_COMMON | {"at"}),
    "move": frozenset(_COMMON | {"to", "by"}),
    "lemma": frozenset(_COMMON | {"lemma", "lemma-witness"}),
    "note": frozenset(_COMMON | {"note"}),
}
_HEADER = re.compile(r"^[ \t]*\[\[[ \t]*correction[ \t]*\]\]", re.MULTILINE)


def read_corrections(path: str | Path) -> tuple[Correction, ...]:
    path = Path(path)
    return parse_corrections(read_text(path), path=path)


def parse_corrections(text: str, *, path: str | Path) -> tuple[Correction, ...]:
    name = str(path)
    data = loads(text, name=name)
    unknown = sorted(set(data) - {"correction"})
    if unknown:
        raise InputError(f"{unknown[0]}: unknown key; a corrections file holds [[correction]] tables", path=name,
                         line=_line_of_key(text, unknown[0]), column=1)
    tables = data.get("correction", [])
    if not isinstance(tables, list):
        raise InputError("correction: write each correction as a [[correction]] table", path=name)
    lines = [text.count("\n", 0, m.start()) + 1 for m in _HEADER.finditer(text)]
    return tuple(
        _correction(table, k + 1, name, lines[k] if k < len(lines) else None) for k, table in enumerate(tables)
    )


def _line_of_key(text: str, key: str) -> int | None:
    found = re.search(rf"^[ \t]*\[?\[?[ \t]*{re.escape(key)}\b", text, re.MULTILINE)
    return text.count("\n", 0, found.start()) + 1 if found else None


def _correction(table: Any, number: int, name: str, line: int | None) -> Correction:
    def fail(key: str, message: str) -> InputError:
        where = f"correction {number}: {key}: " if key else f"correction {number}: "
        return InputError(where + message, path=name, line=line, column=1 if line else None)

    if not isinstance(table, dict):
        raise fail("", "must be a table")
    kind = table.get("kind")
    if kind not in CORRECTION_KINDS:
        raise fail("kind", f"is {', '.join(CORRECTION_KINDS[:-1])} or {CORRECTION_KINDS[-1]}"
                   + ("" if kind is None else f", not {kind!r}"))
    extra = sorted(set(table) - KEYS[kind])
    if extra:
        raise fail(extra[0], f"unknown key for a {kind}; known here: {', '.join(sorted(KEYS[kind]))}")

    def text(key: str, default: str = "") -> str:
        value = table.get(key, default)
        if not isinstance(value, str):
            raise fail(key, "must be a string")
        return value

    def texts(key: str) -> tuple[str, ...]:
        value = table.get(key, [])
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            raise fail(key, "must be a string or a list of strings")
        return tuple(value)

    witness = table.get("witness")
    if witness is not None and (not isinstance(witness, str) or not witness.strip()):
        raise fail("witness", "must be a siglum (a non-empty string)")
    fields: dict[str, Any] = {
        "witness": witness,
        "words": text("words"),
        "before": text("before"),
        "after": text("after"),
    }
    if not "".join((fields["before"], fields["words"], fields["after"])).split():
        raise fail("words", "the place needs words: give words, and before/after for context")
    if not fields["words"].split() and not (fields["before"].split() and fields["after"].split()):
        raise fail("words", 'where the witness reads nothing (words = ""), give both before and after')
    if kind == "merge":
        entries = texts("entries")
        if len(entries) < 2:
            raise fail("entries", "a merge names two or more entries: the witness's words in each, in order")
        fields["entries"] = entries
    elif kind == "split":
        fields["at"] = tuple(a for a in texts("at") if a.split())
    elif kind == "move":
        if witness is None:
            raise fail("witness", "a move names the witness whose words move")
        if not fields["words"].split():
            raise fail("words", "a move names the words that move")
        to = table.get("to")
        if to not in ("left", "right"):
            raise fail("to", 'is "left" or "right"')
        by = table.get("by", 1)
        if isinstance(by, bool) or not isinstance(by, int) or not 1 <= by <= 50:
            raise fail("by", "is a number of columns, 1 to 50")
        fields["to"], fields["by"] = to, by
    elif kind == "lemma":
        if "lemma" not in table and "lemma-witness" not in table:
            raise fail("lemma", "name the chosen reading: lemma (its text), lemma-witness (a witness reading it), or both")
        fields["lemma"] = text("lemma") if "lemma" in table else None
        lemma_witness = table.get("lemma-witness")
        if lemma_witness is not None and (not isinstance(lemma_witness, str) or not lemma_witness.strip()):
            raise fail("lemma-witness", "must be a siglum (a non-empty string)")
        fields["lemma_witness"] = lemma_witness
    else:
        note = text("note")
        if not note.strip():
            raise fail("note", "must be the note's text")
        fields["note"] = note
    return Correction(number, kind, source=name, line=line, **fields)
