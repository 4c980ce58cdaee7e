"""The ``collate`` command (typer). Thin: each command calls a plain function that tests can call too.

Exit codes: 0 success, 1 divergence flagged (batch), 2 bad input or usage. Errors are one line on stderr,
``error: FILE:LINE:COL: message``; a failed run leaves no partial output file behind.
"""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable, List, Optional, TypeVar

import typer

from .errors import CollateError, UsageError

__all__ = ["app", "main", "run_align", "run_import", "run_demo", "run_init", "run_project_file"]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    help="Collate textual witnesses (TEI or plain text) into an apparatus: HTML, TEI P5, JSON, CSV, text.",
)

T = TypeVar("T")


def _guarded(run: Callable[[], T]) -> T:
    """Run a command body; the project's errors become one line on stderr and exit code 2."""
    try:
        return run()
    except CollateError as exc:
        typer.echo(f"error: {exc}", err=True)
        raise typer.Exit(2) from None
    except OSError as exc:
        where = f"{exc.filename}: " if exc.filename else ""
        typer.echo(f"error: {where}{exc.strerror or exc}", err=True)
        raise typer.Exit(2) from None
    except MemoryError:
        # Raised when one huge allocation fails (the memory it asked for was never had), so there is room
        # left to say so in one line rather than a page of traceback. Nothing has been written yet.
        typer.echo("error: out of memory: the witnesses are too large to collate on this machine", err=True)
        raise typer.Exit(2) from None


def _rules(specs: list[str]) -> dict[str, str]:
    mapping = {}
    for spec in specs:
        if "=" not in spec or spec.startswith("="):
            raise UsageError(f"--rule takes FROM=TO (for example ſ=s), got {spec!r}")
        old, new = spec.split("=", 1)
        mapping[old] = new
    return mapping


def run_align(
    paths: list[Path],
    *,
    output: Path | None = None,
    fmt: str | None = None,
    base: str | None = None,
    encoding: str = "parallel-segmentation",
    sigla: list[str] | None = None,
    normalize: str = "nfc,dehyphenate,lowercase",
    rules: list[str] | None = None,
    near: float | None = 0.6,
    max_move: int = 100,
    prefer: list[str] | None = None,
    stage: str = "after",
) -> str | None:
    """Collate ``paths``; write ``output`` (format from its suffix unless ``fmt``) or return the text."""
    from . import api
    from .engine.graph import Options
    from .engine.normalize import by_name

    if len(paths) < 2 and not (len(paths) == 1 and paths[0].suffix.lower() in (".xml", ".tei", ".json")):
        raise UsageError(f"collation needs at least two witnesses, got {len(paths)}")
    if encoding not in api.ENCODINGS:
        raise UsageError(f"unknown encoding {encoding!r}; choose one of {', '.join(api.ENCODINGS)}")
    if stage not in ("after", "before"):
        raise UsageError(f"--stage is 'after' or 'before', got {stage!r}")
    chosen = fmt or (api.format_for(output) if output else "txt")
    if chosen not in api.FORMATS:
        raise UsageError(f"unknown format {chosen!r}; choose one of {', '.join(api.FORMATS)}")
    normalizer = by_name(normalize, extra=_rules(rules or []))
    witnesses = api.load(paths, sigla=sigla or None, normalizer=normalizer, prefer=prefer or None, stage=stage)
    apparatus = api.collate(witnesses, base=base, options=Options(near=near, max_move=max_move))
    if output is None:
        return api.render(apparatus, chosen, encoding=encoding)
    api.write(apparatus, output, fmt=chosen, encoding=encoding)
    return None


@app.command()
def align(
    witnesses: List[Path] = typer.Argument(..., help="TEI or plain-text witness files (two or more)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output file; format from its suffix."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="html, tei, json, csv or txt."),
    base: Optional[str] = typer.Option(None, "--base", help="Siglum of the lemma witness (default: the first)."),
    encoding: str = typer.Option("parallel-segmentation", "--encoding", help="TEI apparatus encoding method."),
    siglum: List[str] = typer.Option([], "--siglum", "-s", help="Sigla in witness order (repeat the option)."),
    normalize: str = typer.Option("nfc,dehyphenate,lowercase", "--normalize", help="Normalisers, in order."),
    rule: List[str] = typer.Option([], "--rule", help="Extra normalisation rule FROM=TO, e.g. ſ=s (repeatable)."),
    near: float = typer.Option(0.6, "--near", help="Similarity for near matches (OCR slips); 1 = exact only."),
    max_move: int = typer.Option(100, "--max-move", help="How many tokens away a transposition may reach."),
    prefer: List[str] = typer.Option([], "--prefer", help="TEI choice members to keep, e.g. sic, abbr, orig."),
    stage: str = typer.Option("after", "--stage", help="TEI add/del: text 'after' or 'before' correction."),
) -> None:
    """Collate witnesses and write an apparatus (to stdout as a text table when no -o is given)."""
    text = _guarded(
        lambda: run_align(
            list(witnesses),
            output=output,
            fmt=fmt,
            base=base,
            encoding=encoding,
            sigla=list(siglum),
            normalize=normalize,
            rules=list(rule),
            near=None if near >= 1 else near,
            max_move=max_move,
            prefer=list(prefer),
            stage=stage,
        )
    )
    if text is not None:
        sys.stdout.write(text)


@app.command()
def translate(
    witnesses: List[Path] = typer.Argument(..., help="Translations (plain text or TEI), two or more."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output .json, .xml (TEI) or .html."),
    presegmented: bool = typer.Option(False, "--presegmented", help="One sentence a line; blank line = paragraph."),
    pivot: Optional[str] = typer.Option(None, "--pivot", help="Siglum every other text is aligned to (default: first)."),
    siglum: List[str] = typer.Option([], "--siglum", "-s", help="Sigla in witness order (repeat the option)."),
    embedding: Optional[str] = typer.Option(None, "--embedding", help="An installed sentence-transformers model."),
) -> None:
    """Align translations sentence by sentence (JSON to stdout when no -o is given)."""
    from .translate.run import run_translate

    text = _guarded(
        lambda: run_translate(
            list(witnesses),
            output=output,
            presegmented=presegmented,
            pivot=pivot,
            sigla=list(siglum) or None,
            embedding=embedding,
        )
    )
    if text is not None:
        sys.stdout.write(text)


def run_demo(output: Path) -> list[Path]:
    """Collate the bundled sample witnesses (Darwin, six editions) into HTML, TEI and JSON under ``output``."""
    from witnesses import sample_paths

    from . import api

    paths = sample_paths()
    if len(paths) < 2:
        raise UsageError("the bundled sample witnesses are missing; reinstall the package")
    apparatus = api.collate(api.load(paths))
    written = []
    for name in ("apparatus.html", "apparatus.xml", "alignment.json"):
        written.append(api.write(apparatus, output / name))
    return written


def run_import(
    apparatus_path: Path,
    *,
    output: Path | None = None,
    fmt: str | None = None,
    base: str | None = None,
    encoding: str = "parallel-segmentation",
) -> str | None:
    """Read a TEI parallel-segmentation apparatus back into a table; write it in any output format."""
    from tei.importer import import_apparatus
    from witnesses.load import read_bytes

    from . import api

    from .engine.variants import build_apparatus

    chosen = fmt or (api.format_for(output) if output else "json")
    apparatus = import_apparatus(read_bytes(apparatus_path), path=str(apparatus_path))
    if base is not None and base != apparatus.base:  # default: the lemma witness of the file
        apparatus = build_apparatus(apparatus.alignment, base)
    if output is None:
        return api.render(apparatus, chosen, encoding=encoding)
    api.write(apparatus, output, fmt=chosen, encoding=encoding)
    return None


@app.command("import")
def import_(
    apparatus: Path = typer.Argument(..., help="A TEI parallel-segmentation apparatus (ours, CollateX's, …)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output file; format from its suffix."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="json (default), html, tei, csv or txt."),
    base: Optional[str] = typer.Option(None, "--base", help="Siglum of the lemma witness (default: the first)."),
    encoding: str = typer.Option("parallel-segmentation", "--encoding", help="TEI apparatus encoding method."),
) -> None:
    """Import a TEI apparatus back into an alignment table (CollateX JSON on stdout by default)."""
    text = _guarded(lambda: run_import(apparatus, output=output, fmt=fmt, base=base, encoding=encoding))
    if text is not None:
        sys.stdout.write(text)


@app.command()
def demo(
    output: Path = typer.Option(Path("demo-output"), "-o", "--output", help="Folder for the demo's outputs."),
) -> None:
    """Collate the bundled sample witnesses (Darwin's Origin, ch. 1, six editions)."""
    for path in _guarded(lambda: run_demo(output)):
        typer.echo(str(path))


@app.command()
def batch(
    reference_dir: Path = typer.Argument(..., help="Folder of reference transcriptions (text, TEI, ALTO, PAGE, hOCR)."),
    scans_dir: Path = typer.Argument(..., help="Folder of OCR output, paired with the references by file name."),
    output: Path = typer.Option(..., "-o", "--output", help="Folder for summary.json/.csv, index.html, diff pages."),
    max_cer: Optional[float] = typer.Option(None, "--max-cer", help="Flag documents whose CER is above this (0.05 = 5%)."),
    max_wer: Optional[float] = typer.Option(None, "--max-wer", help="Flag documents whose WER is above this."),
    workers: Optional[int] = typer.Option(None, "--workers", "-j", help="Local worker processes (default: CPUs)."),
    scheduler: Optional[str] = typer.Option(None, "--scheduler", help="Dask scheduler address (needs the dask extra)."),
    manifest: Optional[Path] = typer.Option(None, "--manifest", help="CSV with id,reference,scan columns."),
    normalize: str = typer.Option("nfc", "--normalize", help="nfc, or ocr-d (NFC plus dinglehopper's equivalences)."),
) -> None:
    """Compare OCR scans with reference transcriptions: CER/WER per document; exit code 1 when any is flagged."""
    from .batch.run import run_batch, summary_line

    on_terminal = sys.stderr.isatty()

    def run():
        if not on_terminal:
            return run_batch(reference_dir, scans_dir, output, max_cer=max_cer, max_wer=max_wer, workers=workers,
                             scheduler=scheduler, manifest=manifest, normalize=normalize)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        # Refreshed from this thread only (no refresher thread), so worker processes can be forked safely.
        with Progress(TextColumn("comparing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      transient=True, auto_refresh=False) as bar:
            task = bar.add_task("batch", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)
                bar.refresh()

            return run_batch(reference_dir, scans_dir, output, max_cer=max_cer, max_wer=max_wer, workers=workers,
                             scheduler=scheduler, manifest=manifest, normalize=normalize, progress=advance)

    summary = _guarded(run)
    if sys.stdout.isatty():
        c = summary.changes
        cer = "–" if summary.cer is None else f"{100 * summary.cer:.2f} %"
        typer.echo(f"{len(summary.documents)} documents, {summary.flagged} flagged, CER {cer}"
                   f" ({summary.reused} reused) → {summary.out_dir / 'index.html'}")
        if c.previous_run is not None:
            typer.echo(f"since the previous run: {len(c.new)} new, {len(c.fixed)} fixed, {len(c.worse)} worse,"
                       f" {len(c.removed)} removed")
    else:
        typer.echo(summary_line(summary))
    if summary.flagged:
        raise typer.Exit(1)


def run_init(folder: Path, *, force: bool = False) -> tuple[Path, list[tuple[Path, str]]]:
    """Write a commented ``collate.toml`` for the witness files in ``folder``; the files left out, and why."""
    from .project import init_project

    return init_project(folder, force=force)


def run_project_file(
    project_file: Path,
    *,
    outputs: list[Path] | None = None,
    fmt: str | None = None,
    **flags,
) -> list[Path]:
    """Read ``project_file`` (a folder means its ``collate.toml``), put the flags over it, run it."""
    from .project import override, read_project, run_project

    project = override(read_project(project_file), outputs=outputs or None, fmt=fmt, **flags)
    result = run_project(project)
    for warning in result.warnings:
        typer.echo(f"warning: {warning}", err=True)
    return list(result.written)


@app.command()
def init(
    folder: Path = typer.Argument(Path("."), help="Folder holding the witness files (.xml, .tei, .txt, .json)."),
    force: bool = typer.Option(False, "--force", help="Replace an existing collate.toml."),
) -> None:
    """Write a commented collate.toml naming every witness file in FOLDER."""
    target, skipped = _guarded(lambda: run_init(folder, force=force))
    for path, reason in skipped:
        typer.echo(f"warning: {path}: not a witness, left out of the project: {reason}", err=True)
    typer.echo(str(target))


@app.command("run")
def run_(
    project_file: Path = typer.Argument(Path("collate.toml"), help="The project file (or its folder)."),
    output: List[Path] = typer.Option([], "-o", "--output", help="Output files instead of the project's (repeat)."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="Format of every output, whatever its suffix."),
    base: Optional[str] = typer.Option(None, "--base", help="Siglum of the lemma witness."),
    normalize: Optional[str] = typer.Option(None, "--normalize", help="Normalisers, in order (comma-separated)."),
    rule: List[str] = typer.Option([], "--rule", help="Extra equivalence FROM=TO (repeatable)."),
    near: Optional[float] = typer.Option(None, "--near", help="Similarity for near matches; 1 = exact only."),
    max_move: Optional[int] = typer.Option(None, "--max-move", help="How many tokens away a transposition may reach."),
    encoding: Optional[str] = typer.Option(None, "--encoding", help="TEI apparatus encoding method."),
) -> None:
    """Run a collate.toml: load, regularise, collate and write every output it names."""
    written = _guarded(
        lambda: run_project_file(
            project_file,
            outputs=list(output),
            fmt=fmt,
            base=base,
            normalize=normalize,
            rules=list(rule),
            near=near,
            max_move=max_move,
            encoding=encoding,
        )
    )
    for path in written:
        typer.echo(str(path))


def main() -> None:
    app()


if __name__ == "__main__":
    main()
