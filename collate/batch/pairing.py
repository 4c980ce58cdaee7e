"""Pairing reference transcriptions with scans: by file name, or from a manifest.

Offers:
    pair_by_name(reference_dir, scans_dir)            ``Pair``s matched by file name without its suffix
    pair_by_manifest(manifest, reference_dir, …)      ``Pair``s from a CSV with ``id,reference,scan`` columns

A manifest may not point outside its folders; report names are made from sanitised document ids, unique
among all the names of the run. Document ids come from file names of any bytes (``os.fsdecode``), written
with ``collate.errors.printable`` (an undecodable byte as ``\\xNN``), so every id can be stored, shown and
written to JSON. A file that is a link leaving its folder is paired like any other but refused when read
(``read_inside``), unless links are followed on purpose.
"""

from __future__ import annotations

import csv
import hashlib
import io
import os
from pathlib import Path, PurePosixPath
from typing import Sequence

import regex

from collate.errors import InputError, printable


from .model import REPORTS, Pair

_SAFE_NAME = regex.compile(r"[^A-Za-z0-9._-]+")
_MAX_NAME = 100

# ---------------------------------------------------------------------------------------------------- pairing


def _document_id(relative: PurePosixPath) -> str:
    return printable(str(relative.with_suffix("")) if relative.suffix else str(relative))


def _listing(root: Path, exclude: Path | None, follow_symlinks: bool = False) -> dict[str, Path]:
    """Files under ``root`` by document id. Hidden files and folders (``.name``) are not documents. Folders
    that are links are entered only with ``follow_symlinks``, each real folder once (a link to a parent
    cannot make the walk endless)."""
    found: dict[str, Path] = {}
    visited: set[Path] = {root.resolve()}
    for folder, dirs, files in os.walk(root, followlinks=follow_symlinks):
        here = Path(folder)
        kept = []
        for d in sorted(dirs):
            if d.startswith(".") or (exclude is not None and (here / d).resolve() == exclude):
                continue
            real = (here / d).resolve()
            if real in visited:
                continue
            visited.add(real)
            kept.append(d)
        dirs[:] = kept
        for name in sorted(files):
            if name.startswith("."):
                continue
            path = here / name
            doc = _document_id(PurePosixPath(path.relative_to(root).as_posix()))
            if doc in found:
                raise InputError(
                    f"two files for document '{doc}' ({found[doc].name} and {name}); rename one or use --manifest",
                    path=str(path),
                )
            found[doc] = path
    return found


def read_inside(path: Path, folder: Path, *, follow_symlinks: bool = False) -> bytes:
    """The bytes of ``path``, a file of ``folder``: refused when links lead it outside ``folder`` (a scan
    that is a link to /etc/passwd, a linked folder in a manifest) unless ``follow_symlinks``; refused when it
    is not a regular file (a FIFO would block the run for ever)."""
    from witnesses.files import display_name, read_bytes

    if not follow_symlinks:
        base = folder.resolve()
        target = path.resolve()
        if base not in target.parents:
            raise InputError(
                f"is a link leading outside its folder (to {display_name(target)}); it is not read "
                "(pass --follow-symlinks to read it)",
                path=display_name(path),
            )
    return read_bytes(path)


def _check_folder(path: Path, role: str) -> None:
    if not path.exists():
        raise InputError(f"{role} folder does not exist", path=str(path))
    if not path.is_dir():
        raise InputError(f"{role} folder is not a folder", path=str(path))


def pair_by_name(
    reference_dir: Path, scans_dir: Path, *, exclude: Path | None = None, follow_symlinks: bool = False
) -> list[Pair]:
    """Pair ``reference_dir/ID.ext`` with ``scans_dir/ID.ext2`` (the id is the relative path without its
    last suffix, so ``p001.txt`` pairs with ``p001.xml``). A file without a partner is a ``Pair`` too.
    Folders that are links are entered only with ``follow_symlinks``."""
    references = _listing(reference_dir, exclude, follow_symlinks)
    scans = _listing(scans_dir, exclude, follow_symlinks)
    return [Pair(doc, references.get(doc), scans.get(doc)) for doc in sorted(references.keys() | scans.keys())]


def _inside(folder: Path, value: str, *, manifest: Path, line: int, column: str) -> Path | None:
    if not value.strip():
        return None
    relative = PurePosixPath(value.strip().replace("\\", "/"))
    if relative.is_absolute() or regex.match(r"^[A-Za-z]:", value.strip()) or ".." in relative.parts:
        raise InputError(
            f"{column} path {value!r} must be relative to its folder, without '..'", path=str(manifest), line=line
        )
    return folder / relative


def pair_by_manifest(manifest: Path, reference_dir: Path, scans_dir: Path) -> list[Pair]:
    """Pairs from a CSV file with a header row naming ``reference`` and ``scan`` (and optionally ``id``)
    columns; paths are relative to ``reference_dir`` and ``scans_dir``. Without an id column, the id is
    the reference's file name without its suffix."""
    from witnesses.files import read_bytes
    from witnesses.plaintext import decode

    text = decode(read_bytes(manifest), str(manifest))
    reader = csv.reader(io.StringIO(text))

    def checked():
        # A malformed row (a field over the csv module's 131,072-character limit, a NUL) is the manifest's
        # fault: one line naming the row, not a traceback.
        while True:
            try:
                row = next(reader)
            except StopIteration:
                return
            except csv.Error as exc:
                raise InputError(f"malformed manifest row: {exc}", path=str(manifest), line=reader.line_num) from None
            yield row

    rows = checked()
    header = next(rows, None)
    if header is None:
        raise InputError("empty manifest", path=str(manifest))
    columns = [h.strip().lower() for h in header]
    if "reference" not in columns or "scan" not in columns:
        raise InputError("manifest header must name 'reference' and 'scan' columns (and optionally 'id')",
                         path=str(manifest), line=1)
    where = {name: columns.index(name) for name in ("id", "reference", "scan") if name in columns}
    pairs: list[Pair] = []
    seen: dict[str, int] = {}
    for row in rows:
        line = reader.line_num
        if not any(cell.strip() for cell in row):
            continue
        cells = {name: row[i] if i < len(row) else "" for name, i in where.items()}
        reference = _inside(reference_dir, cells["reference"], manifest=manifest, line=line, column="reference")
        scan = _inside(scans_dir, cells["scan"], manifest=manifest, line=line, column="scan")
        doc = cells.get("id", "").strip()
        if not doc:
            named = reference or scan
            if named is None:
                raise InputError("row names neither a reference nor a scan", path=str(manifest), line=line)
            doc = _document_id(PurePosixPath(named.name))
        doc = printable(doc)
        if doc in seen:
            raise InputError(f"document id '{doc}' also on line {seen[doc]}", path=str(manifest), line=line)
        seen[doc] = line
        pairs.append(Pair(doc, reference, scan))
    return sorted(pairs, key=lambda p: p.id)


def _report_names(ids: Sequence[str]) -> dict[str, str]:
    """A file name inside ``documents/`` for every id: only ``[A-Za-z0-9._-]``, never hidden, never ``..``,
    and unique even on a case-insensitive file system (a short hash of the id is added when needed)."""
    names: dict[str, str] = {}
    # Every id kept as it is claims its name first, so an id that happens to look like another's hashed
    # name (``b_-<hash of b~>``) cannot be overwritten by it; every candidate is checked against all names
    # already taken, case folded.
    taken: set[str] = set()
    plain = [doc for doc in ids if _SAFE_NAME.sub("_", doc).lstrip(".-_")[:_MAX_NAME] == doc and doc]
    for doc in plain:
        if doc.lower() not in taken:
            taken.add(doc.lower())
            names[doc] = f"{REPORTS}/{doc}.html"
    for doc in ids:
        if doc in names:
            continue
        stem = _SAFE_NAME.sub("_", doc).lstrip(".-_")[:_MAX_NAME] or "document"
        digest = hashlib.sha256(doc.encode("utf-8", "surrogatepass")).hexdigest()
        candidate, extra = f"{stem}-{digest[:10]}", 0
        while candidate.lower() in taken:
            extra += 1
            candidate = f"{stem}-{digest[:10]}-{extra}"
        taken.add(candidate.lower())
        names[doc] = f"{REPORTS}/{candidate}.html"
    return names


