"""The one Jinja2 environment every HTML report renders with.

Offers:
    environment()   templates from ``reports/templates``, autoescaped, strict about undefined names

Autoescaping is on for every template: witness text and metadata reach a page only as escaped text.
"""

from __future__ import annotations

from functools import lru_cache

from jinja2 import Environment, PackageLoader, StrictUndefined

__all__ = ["environment"]


@lru_cache(maxsize=1)
def environment() -> Environment:
    return Environment(
        loader=PackageLoader("reports", "templates"),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )
