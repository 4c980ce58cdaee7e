"""Safe output: a file appears whole or not at all, and nothing the user had is lost on failure.

Offers:
    atomic_write(path, data, *, inside=None)   write to a temporary file beside ``path``, then rename over it
    atomic_write_set(items, *, inside=None)    several files replaced as a set: all of them, or none
    check_not_input(output, inputs)            ``UsageError`` when an output is one of the inputs
    check_inside(path, root)                   ``InputError`` when ``path`` would land outside ``root``

``inside`` names the folder the output must stay in: a folder on the way that is a link leading elsewhere
(a ``documents`` link planted in a batch's OUT_DIR) is refused, never written through.
"""

from __future__ import annotations

import errno
import os
import shutil
import stat
import tempfile
from pathlib import Path
from typing import Sequence

from collate.errors import InputError, UsageError, printable

__all__ = ["atomic_write", "atomic_write_set", "check_not_input", "check_inside"]


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def check_inside(path: str | os.PathLike[str], root: str | os.PathLike[str]) -> None:
    """Refuse ``path`` when its folder, links resolved, is not ``root`` or below it."""
    base = Path(root).resolve()
    parent = Path(path).parent.resolve()
    if parent != base and base not in parent.parents:
        raise InputError(
            f"would be written outside the output folder {printable(str(root))!r} (a link on the way leads to "
            f"{printable(str(parent))!r}); remove the link",
            path=printable(os.fspath(path)),
        )


def check_not_input(output: str | os.PathLike[str], inputs: Sequence[str | os.PathLike[str]]) -> None:
    """An output that is one of the inputs would replace it: refused before anything is read or written."""
    try:
        out = os.stat(output)
    except OSError:
        return  # does not exist yet: it cannot be an input
    for given in inputs:
        try:
            info = os.stat(given)
        except OSError:
            continue
        if (info.st_dev, info.st_ino) == (out.st_dev, out.st_ino):
            raise UsageError(
                f"the output is also an input ({printable(os.fspath(given))}); it would be overwritten — "
                "choose another output file",
                path=printable(os.fspath(output)),
            )


def _prepare(target: Path, inside: str | os.PathLike[str] | None) -> None:
    # Checked here so that the error names the user's path, not the temporary file's.
    if target.is_dir():
        raise IsADirectoryError(errno.EISDIR, "is a folder, not a file", str(target))
    if inside is not None:
        check_inside(target, inside)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
    except FileExistsError:
        raise NotADirectoryError(errno.ENOTDIR, "is a file, not a folder", str(target.parent)) from None
    if inside is not None:
        check_inside(target, inside)


def _temporary(target: Path, payload: bytes) -> str:
    """A flushed temporary copy of ``payload`` beside ``target``, with the mode ``target`` should have."""
    try:
        fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    except OSError as exc:
        # The temporary name means nothing to the user: name the output they asked for.
        raise OSError(exc.errno, exc.strerror, str(target)) from None
    try:
        # mkstemp creates the file private (0600). A file that replaces another keeps the old one's mode (a
        # report the user made read-only for others stays so); a new one gets the mode any new file would.
        try:
            mode = stat.S_IMODE(target.stat().st_mode)
        except FileNotFoundError:
            mode = 0o666 & ~_umask()
        os.fchmod(fd, mode)
        with os.fdopen(fd, "wb") as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())
    except BaseException as exc:
        _unlink(tmp)
        if isinstance(exc, OSError) and not isinstance(exc, (IsADirectoryError, NotADirectoryError)):
            raise OSError(exc.errno, exc.strerror, str(target)) from None
        raise
    return tmp


def _unlink(path: str) -> None:
    try:
        os.unlink(path)
    except FileNotFoundError:
        pass


def _payload(data: str | bytes) -> bytes:
    return data.encode("utf-8") if isinstance(data, str) else data


def atomic_write(
    path: str | os.PathLike[str], data: str | bytes, *, inside: str | os.PathLike[str] | None = None
) -> None:
    """Replace ``path`` only once ``data`` is fully written and flushed; a failure leaves it untouched."""
    target = Path(path)
    _prepare(target, inside)
    tmp = _temporary(target, _payload(data))
    try:
        os.replace(tmp, target)
    except BaseException:
        _unlink(tmp)
        raise


def atomic_write_set(
    items: Sequence[tuple[str | os.PathLike[str], str | bytes]], *, inside: str | os.PathLike[str] | None = None
) -> None:
    """Replace every file of ``items`` or none of them. Every new file is written and flushed first (a full
    disk fails here, before anything was replaced); then each old file is kept under a hard link while the
    new ones are renamed into place, and put back should a rename fail."""
    targets = [Path(path) for path, _ in items]
    for target in targets:
        _prepare(target, inside)
    temporaries: list[str] = []
    backups: list[tuple[Path, str | None]] = []  # (target, its old version's link, None when it had none)
    try:
        for target, (_, data) in zip(targets, items):
            temporaries.append(_temporary(target, _payload(data)))
        for target in targets:
            backup = None
            if target.exists():
                backup = tempfile.mktemp(dir=target.parent, prefix=f".{target.name}.", suffix=".old")
                try:
                    os.link(target, backup)
                except OSError:  # a file system without hard links: a copy keeps the old version as well
                    shutil.copy2(target, backup)
            backups.append((target, backup))
        done = 0
        try:
            for target, tmp in zip(targets, temporaries):
                os.replace(tmp, target)
                done += 1
        except BaseException:
            for target, backup in backups[:done]:
                if backup is not None:
                    os.replace(backup, target)
                else:
                    _unlink(str(target))
            raise
    finally:
        for tmp in temporaries:
            _unlink(tmp)
        for _, backup in backups:
            if backup is not None:
                _unlink(backup)
