"""Batch reports: the summary of a batch run (JSON, CSV, an HTML index) and one HTML diff page per document.

Offers:
    document_page(…)          the HTML page of one reference/scan pair: both texts with every difference
                              highlighted and numbered, the list of differences, CER and WER
    summary_data(summary)     the JSON-ready dict of ``summary.json`` (DESIGN.md's layout)
    summary_json(summary)     that dict as text
    summary_csv(summary)      one row per document
    index_page(summary)       the HTML index, most divergent document first
    visible(text)             a difference's text with whitespace made visible (``␣``, ``↵``, ``⇥``)

Python passes structured data only; the markup is in ``templates/batch_index.html.j2`` and
``templates/batch_document.html.j2`` (autoescaped). The pages are self-contained: no script, no external
request (a Content-Security-Policy forbids both), so they open from ``file://`` and can be archived.
"""

from __future__ import annotations

import csv
import io
import json
import math
from functools import lru_cache
from pathlib import PurePath
from typing import TYPE_CHECKING, Any

from jinja2 import Environment

from collate.batch.metrics import Comparison

from .csv import cell
from .jinja import environment

if TYPE_CHECKING:
    from collate.batch.model import BatchSummary, DocumentResult

__all__ = ["document_page", "summary_data", "summary_json", "summary_csv", "index_page", "visible", "CSV_FIELDS"]

CSV_FIELDS = (
    "id", "status", "flagged", "cer", "wer", "characters", "character_errors", "words", "word_errors",
    "differences", "reference", "scan", "report", "error",
)
_VISIBLE = str.maketrans({" ": "␣", "\n": "↵\n", "\t": "⇥", "\u00a0": "⍽"})


@lru_cache(maxsize=1)
def _environment() -> Environment:
    env = environment().overlay()
    env.filters["percent"] = _percent
    # The index names each file; its whole path is in the cell's tooltip, so the table fits the page.
    env.filters["filename"] = lambda path: PurePath(path).name
    env.filters["visible"] = visible
    return env


def _percent(value: float | None) -> str:
    if value is None:
        return "–"
    if math.isinf(value):
        return "∞"
    return f"{100 * value:.2f} %"


def visible(text: str) -> str:
    return text.translate(_VISIBLE)


def document_page(
    *,
    id: str,
    reference_name: str,
    scan_name: str,
    reference_format: str,
    scan_format: str,
    comparison: Comparison,
) -> str:
    return _environment().get_template("batch_document.html.j2").render(
        id=id,
        reference_name=reference_name,
        scan_name=scan_name,
        reference_format=reference_format,
        scan_format=scan_format,
        cer=comparison.cer,
        wer=comparison.wer,
        differences=comparison.differences,
        # (number, kind, reference text, scan text) per run of the alignment; number 0 for agreeing text.
        # Tuples, because attribute look-ups in the template's two loops dominate the page's cost.
        rows=[
            (0, "equal", s.reference, s.scan)
            if s.difference is None
            else (s.difference + 1, comparison.differences[s.difference].kind, s.reference, s.scan)
            for s in comparison.segments
        ],
    )


def _number(value: float | None) -> float | str | None:
    # JSON has no infinity; the CER of a non-empty scan over an empty reference is written as a string.
    if value is not None and math.isinf(value):
        return "Infinity"
    return value


def _document(doc: "DocumentResult") -> dict[str, Any]:
    return {
        "id": doc.id,
        "reference": doc.reference,
        "scan": doc.scan,
        "cer": _number(doc.cer),
        "wer": _number(doc.wer),
        "flagged": doc.flagged,
        "report": doc.report,
        "status": doc.status,
        "error": doc.error,
        "characters": doc.characters,
        "character_errors": doc.character_errors,
        "words": doc.words,
        "word_errors": doc.word_errors,
        "differences": doc.differences,
    }


def summary_data(summary: "BatchSummary") -> dict[str, Any]:
    changes = summary.changes
    return {
        "documents": [_document(d) for d in summary.documents],
        "cer": summary.cer,
        "wer": summary.wer,
        "flagged": summary.flagged,
        "compared": sum(1 for d in summary.documents if d.cer is not None),
        "problems": sum(1 for d in summary.documents if d.status != "ok"),
        "max_cer": summary.max_cer,
        "max_wer": summary.max_wer,
        "normalization": summary.normalization,
        "changes": {
            "previous_run": changes.previous_run,
            "new": list(changes.new),
            "fixed": list(changes.fixed),
            "worse": list(changes.worse),
            "removed": list(changes.removed),
        },
    }


def summary_json(summary: "BatchSummary") -> str:
    return json.dumps(summary_data(summary), ensure_ascii=False, indent=2) + "\n"


def summary_csv(summary: "BatchSummary") -> str:
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=CSV_FIELDS, lineterminator="\n")
    writer.writeheader()
    for doc in summary.documents:
        row = _document(doc)
        row["flagged"] = "yes" if doc.flagged else "no"
        writer.writerow({k: "" if row[k] is None else cell(row[k]) if isinstance(row[k], str) else row[k] for k in CSV_FIELDS})
    return out.getvalue()


def _divergence(doc: "DocumentResult") -> tuple:
    # Problems (missing, empty, unreadable) first, then flagged, then by CER and WER, highest first.
    return (
        doc.status == "ok",
        not doc.flagged,
        -(doc.cer if doc.cer is not None else math.inf),
        -(doc.wer if doc.wer is not None else math.inf),
        doc.id,
    )


def index_page(summary: "BatchSummary") -> str:
    return _environment().get_template("batch_index.html.j2").render(
        summary=summary,
        documents=sorted(summary.documents, key=_divergence),
        changes=summary.changes,
        problems=sum(1 for d in summary.documents if d.status != "ok"),
    )
