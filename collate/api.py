"""The Python API, mirroring the CLI: load witnesses, collate them, render or write any output.

Offers:
    load(paths, …)                    witnesses from TEI or plain-text files
    collate(witnesses, …)             align and group into an ``Apparatus`` (the one grouping every output uses);
                                      ``corrections=`` applies the editor's corrections to it
    load_corrections(path)            the ``Correction`` records of a ``corrections.toml``
    render(apparatus, fmt, …)         the output as text: ``html``, ``tei``, ``json``, ``csv``, ``txt``,
                                      ``distances`` (witness × witness CSV), ``nexus`` (``.nex``),
                                      ``latex`` (``.tex``, a reledmac edition)
    write(apparatus, path, …)         render and write atomically; the format follows the suffix by default
    format_for(path)                  the format a file name asks for
    FORMATS, ENCODINGS                the accepted names

It wires the layers: ``witnesses``/``tei`` read, ``collate.engine`` aligns and groups, ``reports``/``tei`` render.
The engine (``collate.engine``) stays pure; files are touched here, in the CLI and in the runners.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Callable, Sequence

from .errors import UsageError, printable
from .engine.graph import Options, align_witnesses
from .engine.corrections import apply_corrections
from .engine.model import Apparatus, Correction, Witness
from .engine.normalize import DEFAULT, Normalizer
from .engine.lacunae import with_lacunae
from .engine.variants import build_apparatus

__all__ = ["load", "load_corrections", "collate", "render", "write", "format_for", "FORMATS", "ENCODINGS", "Options"]

FORMATS = ("html", "tei", "json", "csv", "txt", "distances", "nexus", "latex")
ENCODINGS = ("parallel-segmentation", "location-referenced", "double-end-point")
_SUFFIXES = {".html": "html", ".htm": "html", ".xml": "tei", ".tei": "tei", ".json": "json", ".csv": "csv", ".txt": "txt",
             ".nex": "nexus", ".nexus": "nexus", ".nxs": "nexus", ".tex": "latex"}


def load(
    paths: Sequence[str | os.PathLike[str]],
    *,
    sigla: Sequence[str] | None = None,
    normalizer: Normalizer = DEFAULT,
    prefer: Sequence[str] | None = None,
    stage: str = "after",
) -> list[Witness]:
    from witnesses.load import TeiOptions, load_witnesses

    tei = TeiOptions(prefer=tuple(prefer), stage=stage) if prefer else TeiOptions(stage=stage)
    return load_witnesses(paths, sigla=sigla, normalizer=normalizer, tei=tei)


def collate(
    witnesses: Sequence[Witness],
    *,
    base: str | None = None,
    options: Options | None = None,
    corrections: Sequence[Correction] = (),
) -> Apparatus:
    """Align ``witnesses`` and group the alignment into agreements and variant locations; then apply the
    editor's ``corrections`` (those that no longer apply are listed in the result's ``refused``)."""
    if base is not None and base not in {w.siglum for w in witnesses}:
        raise UsageError(f"unknown base witness {base!r}; the sigla are {', '.join(w.siglum for w in witnesses)}")
    apparatus = with_lacunae(build_apparatus(align_witnesses(witnesses, options or Options()), base))
    return apply_corrections(apparatus, corrections)


def load_corrections(path: str | os.PathLike[str]) -> tuple[Correction, ...]:
    """The corrections of a ``corrections.toml`` (``collate.corrections_file``), in file order."""
    from .corrections_file import read_corrections

    return read_corrections(path)


def _renderer(fmt: str, encoding: str) -> Callable[[Apparatus], str]:
    if fmt == "json":
        from reports.json import render as render_json

        return render_json
    if fmt == "csv":
        from reports.csv import render as render_csv

        return render_csv
    if fmt == "txt":
        from reports.text import render as render_text

        return render_text
    if fmt == "html":
        from reports.html import render as render_html

        return render_html
    if fmt == "distances":
        from reports.distances import render as render_distances

        return render_distances
    if fmt == "latex":
        from reports.latex import render as render_latex

        return render_latex
    if fmt == "nexus":
        from reports.nexus import render as render_nexus

        return render_nexus
    if fmt == "tei":
        from tei.writer import render as render_tei

        return lambda apparatus: render_tei(apparatus, encoding=encoding)
    raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


def render(apparatus: Apparatus, fmt: str, *, encoding: str = "parallel-segmentation") -> str:
    if encoding not in ENCODINGS:
        raise UsageError(f"unknown encoding {encoding!r}; choose one of {', '.join(ENCODINGS)}")
    return _renderer(fmt, encoding)(apparatus)


def format_for(path: str | os.PathLike[str]) -> str:
    suffix = Path(path).suffix.lower()
    if suffix not in _SUFFIXES:
        raise UsageError(
            f"cannot tell the format from '{printable(os.fsdecode(path))}'; give --format ({', '.join(FORMATS)})"
        )
    return _SUFFIXES[suffix]


def write(
    apparatus: Apparatus,
    path: str | os.PathLike[str],
    *,
    fmt: str | None = None,
    encoding: str = "parallel-segmentation",
) -> Path:
    """Render first, then write atomically: a failed render leaves no file and an old file untouched."""
    from reports.files import atomic_write

    text = render(apparatus, fmt or format_for(path), encoding=encoding)
    atomic_write(path, text)
    return Path(path)
