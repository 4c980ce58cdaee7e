"""Write ``tei/elements.py``: the names of the elements TEI P5 defines, read from the ``tei_all`` schema.

Usage: python scripts/make_tei_elements.py [.cache/tei/tei_all.rng]   (``make test`` fetches the schema)
"""

from __future__ import annotations

import re
import sys
import textwrap
from pathlib import Path

from lxml import etree

RNG = "{http://relaxng.org/ns/structure/1.0}"


def main(schema: str = ".cache/tei/tei_all.rng") -> None:
    tree = etree.parse(schema)
    names = set()
    for element in tree.iter(f"{RNG}element"):
        name = element.get("name") or (element.findtext(f"{RNG}name") or "").strip()
        if name and ":" not in name:
            names.add(name)
    found = re.search(r"TEI Edition: Version\s(\d[\d.]*\d)", Path(schema).read_text(encoding="utf-8")[:4000])
    version = f"TEI P5 version {found.group(1)}" if found else "TEI P5"
    body = textwrap.fill(" ".join(sorted(names)), width=104, initial_indent="    ", subsequent_indent="    ")
    out = Path(__file__).resolve().parents[1] / "tei" / "elements.py"
    out.write_text(
        '"""The names of the elements TEI P5 defines (written by ``scripts/make_tei_elements.py`` from the\n'
        f'``tei_all`` schema, {version}): an element of the TEI namespace that is not among them is no TEI."""\n\n'
        f'TEI_ELEMENTS = frozenset(\n    """\n{body}\n    """.split()\n)\n',
        encoding="utf-8",
    )
    print(f"{len(names)} element names written to {out}")


if __name__ == "__main__":
    main(*sys.argv[1:])
