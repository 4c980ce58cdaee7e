"""The one Jinja2 environment every HTML report renders with.

Offers:
    environment()   templates from ``reports/templates``, autoescaped, strict about undefined names

Autoescaping is on for every template: witness text and metadata reach a page only as escaped text.

Compiled templates are kept in ``$XDG_CACHE_HOME/collate-toolkit/templates`` (``~/.cache/…`` by default):
compiling the apparatus template costs a run about 20 ms, loading it about 1. Jinja2 keys each entry by the
template's source and its own version, so an edited template is compiled again. The folder is used only
when it belongs to the user and no one else may write to it, and a cache that cannot be written is skipped.
"""

from __future__ import annotations

import os
import stat
from functools import lru_cache

from jinja2 import BytecodeCache, Environment, FileSystemBytecodeCache, PackageLoader, StrictUndefined
from jinja2.bccache import Bucket

__all__ = ["environment"]


class _QuietCache(FileSystemBytecodeCache):
    def dump_bytecode(self, bucket: Bucket) -> None:
        try:
            super().dump_bytecode(bucket)
        except OSError:
            pass  # a full disk or a read-only home: the template is simply compiled again next time


def _bytecode_cache() -> BytecodeCache | None:
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    folder = os.path.join(base, "collate-toolkit", "templates")
    try:
        os.makedirs(folder, mode=0o700, exist_ok=True)
        info = os.lstat(folder)
    except OSError:
        return None
    # Cached bytecode is run: a folder another user could write to (or a link to one) is not used.
    if not stat.S_ISDIR(info.st_mode) or info.st_uid != os.getuid() or stat.S_IMODE(info.st_mode) & 0o077:
        return None
    return _QuietCache(folder)


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
        bytecode_cache=_bytecode_cache(),
    )
