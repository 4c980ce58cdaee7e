"""TEI reading fidelity on real transcriptions: every witness's token count, as published and repaired.

Usage: python benchmarks/tei_reading.py [--shared DIR] [FILE ...]

Reads every witness of the shared Frankenstein units (C15, C24) and of Severianus, *De sigillis* (or the
files given), twice: as published, and with each construct the reader had to guess at written as the TEI
Guidelines describe it, so that the two readings can be compared token for token. The repair, made on the
parsed tree and never saved:

- an element whose ``@anchor`` names the missing target of an earlier ``@spanTo``
  (``<delSpan anchor="X"/>``) becomes ``<anchor xml:id="X"/>``;
- a ``@spanTo`` with no target at all, or one that stands before it, gets an ``anchor`` with that id at the
  end of its enclosing division or paragraph-level block; an ``@sID`` with no ``@eID`` after it gets its
  ``@eID`` partner there.

For each witness the table gives the tokens read as published, the tokens read from the repaired tree, how
many tokens differ between the two readings (a sequence diff, so 0 means word for word the same), and how
many warnings the reader printed. The figures of the reader before warnings and bounded spans existed are
kept in benchmarks/README.md.
"""

from __future__ import annotations

import argparse
import difflib
import sys
import warnings
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from lxml import etree  # noqa: E402

from measure import SHARED, table  # noqa: E402
from tei.reader import read_witnesses  # noqa: E402
from tei.safe import parse  # noqa: E402
from tei.text import SPAN_BOUNDS, TEI_NS, local_name  # noqa: E402

XML_ID = "{http://www.w3.org/XML/1998/namespace}id"


def default_files(shared: Path) -> list[Path]:
    corpora = shared / "corpora"
    files = sorted((corpora / "frankenstein").glob("C*/*.xml"))
    files += sorted((corpora / "severianus-de-sigillis").glob("*.xml"))
    return files


def _enclosing(element: etree._Element) -> etree._Element:
    node = element.getparent()
    while node is not None and local_name(node) not in SPAN_BOUNDS:
        node = node.getparent()
    return node if node is not None else element.getparent()


def repaired(data: bytes, path: str) -> bytes:
    """The file with every unresolved span or milestone end written out (see the module's docstring)."""
    tree = parse(data, path)
    elements = [e for e in tree.getroot().iter() if isinstance(e.tag, str)]
    order = {id(e): k for k, e in enumerate(elements)}
    ids = {e.get(XML_ID): order[id(e)] for e in elements if e.get(XML_ID)}
    for element in elements:
        here = order[id(element)]
        span_to = element.get("spanTo")
        name = local_name(element) or ""
        if span_to and name.endswith("Span"):
            target = span_to.strip().lstrip("#")
            if ids.get(target, -1) > here:
                continue
            closer = next(
                (e for e in elements[here + 1 :] if (e.get("anchor") or "").lstrip("#") == target), None
            )
            anchor = etree.Element(f"{{{TEI_NS}}}anchor")
            if closer is not None:
                anchor.tail = closer.tail
                closer.getparent().replace(closer, anchor)
            else:
                _enclosing(element).append(anchor)
            if target in ids:
                # An earlier element holds the id the span points back at: the new anchor takes it over.
                for e in elements[: here]:
                    if e.get(XML_ID) == target:
                        del e.attrib[XML_ID]
            anchor.set(XML_ID, target)
            ids[target] = len(order) + 1
        start = element.get("sID")
        if start and not any(e.get("eID") == start for e in elements[here + 1 :]):
            end = etree.Element(element.tag)
            end.set("eID", start)
            _enclosing(element).append(end)
    return etree.tostring(tree, encoding="utf-8", xml_declaration=True)


def read(data: bytes, path: str) -> tuple[dict[str, list[str]], int]:
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        witnesses = read_witnesses(data, path=path)
    return {w.siglum: [t.text for t in w.tokens] for w in witnesses}, len(caught)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("files", nargs="*", type=Path)
    parser.add_argument("--shared", type=Path, default=SHARED)
    args = parser.parse_args(argv)
    files = args.files or default_files(args.shared)
    if not files:
        print(f"no TEI files found under {args.shared}/corpora", file=sys.stderr)
        return 2
    rows = []
    for path in files:
        data = path.read_bytes()
        published, warned = read(data, str(path))
        fixed, _ = read(repaired(data, str(path)), str(path))
        for siglum, tokens in published.items():
            other = fixed.get(siglum, [])
            matcher = difflib.SequenceMatcher(None, tokens, other, autojunk=False)
            same = sum(block.size for block in matcher.get_matching_blocks())
            differ = max(len(tokens), len(other)) - same
            rows.append([f"{path.parent.name}/{path.name}", siglum, str(len(tokens)), str(len(other)), str(differ), str(warned)])
    print(table("TEI reading: tokens per witness, as published and repaired",
                ["file", "witness", "tokens", "repaired", "differ", "warnings"], rows))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
