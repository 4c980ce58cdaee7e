"""Make the bundled sample witnesses: Darwin, *Origin* ch. 1, six editions, as TEI P5 files.

Usage:
    python scripts/make_darwin_tei.py [CORPUS_DIR] [OUT_DIR]

Reads ``CORPUS_DIR/darwin_<year>.txt`` (default ``../shared/corpora/darwin``; paragraphs separated by
blank lines) and writes ``OUT_DIR/darwin_<year>.xml`` (default ``witnesses/data``): one ``<p>`` per
paragraph, and a ``teiHeader`` with the edition's title, date and source. ``TEI/@n`` holds the siglum (the
year), which cannot be an ``xml:id`` because it starts with a digit.

The output is deterministic, so running the script again over the same corpus changes nothing.
"""

from __future__ import annotations

import sys
import textwrap
from pathlib import Path
from xml.sax.saxutils import escape

ROOT = Path(__file__).resolve().parent.parent

# Edition, title as printed on the title page, and the paragraph wording of chapter I's title.
EDITIONS = {
    "1859": ("first", "On the Origin of Species by Means of Natural Selection"),
    "1860": ("second", "On the Origin of Species by Means of Natural Selection"),
    "1861": ("third", "On the Origin of Species by Means of Natural Selection"),
    "1866": ("fourth", "On the Origin of Species by Means of Natural Selection"),
    "1869": ("fifth", "On the Origin of Species by Means of Natural Selection"),
    "1872": ("sixth", "The Origin of Species by Means of Natural Selection"),
}

TEMPLATE = """<?xml version="1.0" encoding="UTF-8"?>
<TEI xmlns="http://www.tei-c.org/ns/1.0" n="{year}">
  <teiHeader>
    <fileDesc>
      <titleStmt>
        <title>{title}, {edition} edition ({year}), chapter I: Variation under Domestication</title>
        <author>Charles Darwin</author>
      </titleStmt>
      <publicationStmt>
        <p>Sample witness bundled with collate-toolkit; the text is in the public domain.</p>
      </publicationStmt>
      <sourceDesc>
        <bibl><author>Charles Darwin</author>, <title>{title}</title>, <edition>{edition} edition</edition>.
          <pubPlace>London</pubPlace>: <publisher>John Murray</publisher>, <date when="{year}">{year}</date>.
          Chapter I, plain-text transcription from the Darwin test corpus of CollateX.</bibl>
      </sourceDesc>
    </fileDesc>
  </teiHeader>
  <text>
    <body>
      <div type="chapter" n="1">
{paragraphs}
      </div>
    </body>
  </text>
</TEI>
"""


def paragraphs(text: str) -> list[str]:
    return [" ".join(block.split()) for block in text.split("\n\n") if block.strip()]


def render(year: str, text: str) -> str:
    edition, title = EDITIONS[year]
    body = []
    for number, para in enumerate(paragraphs(text), start=1):
        lines = textwrap.wrap(escape(para), width=100, break_long_words=False, break_on_hyphens=False)
        inner = "\n".join("          " + line for line in lines)
        body.append(f'        <p n="{number}">\n{inner}\n        </p>')
    return TEMPLATE.format(year=year, edition=edition, title=escape(title), paragraphs="\n".join(body))


def main(argv: list[str]) -> int:
    corpus = Path(argv[1]) if len(argv) > 1 else ROOT.parent / "shared" / "corpora" / "darwin"
    out = Path(argv[2]) if len(argv) > 2 else ROOT / "witnesses" / "data"
    out.mkdir(parents=True, exist_ok=True)
    for year in EDITIONS:
        source = corpus / f"darwin_{year}.txt"
        target = out / f"darwin_{year}.xml"
        target.write_text(render(year, source.read_text(encoding="utf-8")), encoding="utf-8")
        print(target)
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
