"""The ``collate`` command (typer). Thin: each command calls a plain function that tests can call too.

Exit codes (``collate.errors``): 0 success, 1 divergence flagged (batch), 2 bad input or usage, 3 an
internal error (a bug: one line on stderr naming a file that holds the traceback), 130 interrupted (Ctrl-C).
Errors are one line on stderr, ``error: FILE:LINE:COL: message``, usage errors included; a failed run leaves
no partial output file behind. Names from the command line and the files are printed escaped
(``collate.errors.printable``), so no file name can send control sequences to the terminal.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
import warnings
import tempfile
import traceback
from pathlib import Path
from typing import Callable, List, Optional, Sequence, TypeVar

import typer

try:  # typer 0.2x carries its own copy of click, and raises that copy's exceptions
    import typer._click as click
except ImportError:  # pragma: no cover - older typer, on the separate click package
    import click  # type: ignore[no-redef]

from .errors import (
    EXIT_FLAGGED,
    EXIT_INPUT,
    EXIT_INTERNAL,
    EXIT_INTERRUPTED,
    CollateError,
    InputWarning,
    UsageError,
    printable,
)

__all__ = ["app", "main", "run_align", "run_import", "run_demo", "run_init", "run_project_file", "version"]

app = typer.Typer(
    add_completion=False,
    no_args_is_help=True,
    rich_markup_mode=None,
    pretty_exceptions_enable=False,
    context_settings={"help_option_names": ["-h", "--help"]},
    help="Collate textual witnesses (TEI or plain text) into an apparatus: HTML, TEI P5, JSON, CSV, text.",
)

T = TypeVar("T")


def _show_warning(message, category, filename, lineno, file=None, line=None) -> None:  # noqa: ANN001
    """``warnings.showwarning`` for the command: one line on stderr, ``warning: FILE:LINE: message``."""
    if isinstance(message, InputWarning):
        typer.echo(f"warning: {message}", err=True)
    else:
        typer.echo(f"warning: {' '.join(str(message).split())}", err=True)


def version() -> str:
    from importlib.metadata import PackageNotFoundError, version as installed

    try:
        return installed("collate-toolkit")
    except PackageNotFoundError:
        return "unknown (not installed)"


def _show_version(value: bool) -> None:
    if value:
        typer.echo(f"collate {version()}")
        raise typer.Exit(0)


@app.callback()
def _options(
    show_version: bool = typer.Option(
        False, "--version", callback=_show_version, is_eager=True, help="Print the version and exit."
    ),
) -> None:
    """Collate textual witnesses (TEI or plain text) into an apparatus: HTML, TEI P5, JSON, CSV, text."""


def _fail(message: str, code: int) -> typer.Exit:
    typer.echo(f"error: {printable(' '.join(message.split()))}", err=True)
    return typer.Exit(code)


def _internal(exc: BaseException) -> typer.Exit:
    """A bug, not bad input: the traceback goes to a private file the one-line message names."""
    summary = f"{type(exc).__name__}: {exc}"
    try:
        fd, where = tempfile.mkstemp(prefix="collate-error-", suffix=".txt")
        with os.fdopen(fd, "w", encoding="utf-8", errors="backslashreplace") as handle:
            handle.write(f"collate {version()}\n{' '.join(map(printable, sys.argv))}\n\n")
            handle.write("".join(traceback.format_exception(exc)))
        kept = f"the traceback is in {where}"
    except OSError:
        kept = "the traceback could not be saved"
    return _fail(f"internal error ({summary}); this is a bug in collate, not in your files: {kept}; "
                 "please report it", EXIT_INTERNAL)


def _guarded(run: Callable[[], T]) -> T:
    """Run a command body. The project's errors become one line on stderr and exit code 2; Ctrl-C one line
    and 130; anything unexpected one line, a traceback file and exit code 3 (never 1, which means
    "divergence flagged" to a pipeline)."""
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("always", InputWarning)
            warnings.showwarning = _show_warning
            return run()
    except CollateError as exc:
        raise _fail(str(exc), EXIT_INPUT) from None
    except MemoryError:
        # Raised when one huge allocation fails (the memory it asked for was never had), so there is room
        # left to say so in one line rather than a page of traceback. Nothing has been written yet.
        raise _fail("out of memory: the witnesses are too large to collate on this machine", EXIT_INPUT) from None
    except KeyboardInterrupt:
        raise _fail("interrupted; no output was replaced (a batch run keeps the documents it finished and "
                    "resumes from them when run again)", EXIT_INTERRUPTED) from None
    except OSError as exc:
        where = f"{os.fsdecode(exc.filename)}: " if exc.filename else ""
        raise _fail(f"{where}{exc.strerror or exc}", EXIT_INPUT) from None
    except (typer.Exit, typer.Abort, click.ClickException):
        raise
    except Exception as exc:  # noqa: BLE001 - a bug: reported as such, with its traceback kept
        raise _internal(exc) from None


# A reader that stops early (``collate align a b | head -1``) closes the pipe: exit as a process killed by
# SIGPIPE would (128 + 13), without a traceback, and never with 1.
EXIT_BROKEN_PIPE = 141


def _emit(text: str) -> None:
    try:
        sys.stdout.write(text)
        sys.stdout.flush()
    except BrokenPipeError:
        # Python would complain again when it flushes stdout at exit: point stdout at nothing first.
        os.dup2(os.open(os.devnull, os.O_WRONLY), sys.stdout.fileno())
        raise typer.Exit(EXIT_BROKEN_PIPE) from None


def _check_near(near: float | None) -> None:
    if near is not None and not (math.isfinite(near) and 0 < near <= 1):
        raise UsageError(f"--near is a similarity above 0 and at most 1 (1 = exact only), got {near}")


def _check_sigla(sigla: Sequence[str]) -> None:
    from witnesses.load import check_siglum

    for siglum in sigla:
        check_siglum(siglum)


@contextlib.contextmanager
def _pipes(allowed: bool):
    from witnesses.files import reading_pipes

    with reading_pipes() if allowed else contextlib.nullcontext():
        yield


def _rules(specs: list[str]) -> dict[str, str]:
    mapping = {}
    for spec in specs:
        if "=" not in spec or spec.startswith("="):
            raise UsageError(f"--rule takes FROM=TO (for example ſ=s), got {spec!r}")
        old, new = spec.split("=", 1)
        mapping[old] = new
    return mapping


def _equivalents(files: list[Path]) -> list[tuple[str, ...]]:
    """Groups of equivalent forms from files: one group a line, forms separated by ``=`` (the first is the
    form the others count as); blank lines and lines starting with ``#`` are skipped."""
    from witnesses.files import read_bytes
    from witnesses.plaintext import decode

    groups: list[tuple[str, ...]] = []
    for path in files:
        text = decode(read_bytes(path), str(path))
        for number, line in enumerate(text.splitlines(), start=1):
            line = line.strip()
            if not line or line.startswith("#"):
                continue
            forms = tuple(f.strip().lower() for f in line.split("="))
            if len(forms) < 2 or not all(forms):
                raise UsageError(f"{path}:{number}: an equivalence is FORM = FORM [= FORM …], got {line!r}")
            groups.append(forms)
    return groups


def run_align(
    paths: list[Path],
    *,
    output: Path | None = None,
    fmt: str | None = None,
    base: str | None = None,
    encoding: str = "parallel-segmentation",
    sigla: list[str] | None = None,
    normalize: str = "nfc,dehyphenate,lowercase,equivalents",
    rules: list[str] | None = None,
    equiv: list[Path] | None = None,
    near: float | None = 0.6,
    max_move: int = 100,
    prefer: list[str] | None = None,
    stage: str = "after",
    corrections: Path | None = None,
) -> str | None:
    """Collate ``paths``; write ``output`` (format from its suffix unless ``fmt``) or return the text.
    ``corrections`` (a ``corrections.toml``) is applied; each correction that no longer applies is an
    ``InputWarning`` naming it (the run goes on)."""
    from . import api
    from .engine.graph import Options
    from .engine.normalize import by_name

    from reports.files import check_not_input

    _check_near(near)
    if max_move < 0:
        raise UsageError(f"--max-move is a number of tokens, 0 or more, got {max_move}")
    if len(paths) < 2 and not (len(paths) == 1 and paths[0].suffix.lower() in (".xml", ".tei", ".json")):
        raise UsageError(f"collation needs at least two witnesses, got {len(paths)}")
    if encoding not in api.ENCODINGS:
        raise UsageError(f"unknown encoding {encoding!r}; choose one of {', '.join(api.ENCODINGS)}")
    if stage not in ("after", "before"):
        raise UsageError(f"--stage is 'after' or 'before', got {stage!r}")
    chosen = fmt or (api.format_for(output) if output else "txt")
    if chosen not in api.FORMATS:
        raise UsageError(f"unknown format {chosen!r}; choose one of {', '.join(api.FORMATS)}")
    if output is not None:
        check_not_input(output, [*paths, *([corrections] if corrections is not None else [])])
    normalizer = by_name(normalize, extra=_rules(rules or []), equivalent=_equivalents(equiv or []))
    fixes = api.load_corrections(corrections) if corrections is not None else ()
    witnesses = api.load(paths, sigla=sigla or None, normalizer=normalizer, prefer=prefer or None, stage=stage)
    apparatus = api.collate(witnesses, base=base, options=Options(near=near, max_move=max_move), corrections=fixes)
    for refusal in apparatus.refused:
        warnings.warn(InputWarning(refusal.message))
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
    normalize: str = typer.Option("nfc,dehyphenate,lowercase,equivalents", "--normalize", help="Normalisers, in order."),
    rule: List[str] = typer.Option([], "--rule", help="Extra normalisation rule FROM=TO, e.g. ſ=s (repeatable)."),
    equiv: List[Path] = typer.Option([], "--equiv", help="File of equivalent forms, one group a line: xpc = christus."),
    near: float = typer.Option(0.6, "--near", help="Similarity for near matches (OCR slips); 1 = exact only."),
    max_move: int = typer.Option(100, "--max-move", help="How many tokens away a transposition may reach."),
    prefer: List[str] = typer.Option([], "--prefer", help="TEI choice members to keep, e.g. sic, abbr, orig."),
    stage: str = typer.Option("after", "--stage", help="TEI add/del: text 'after' or 'before' correction."),
    allow_pipes: bool = typer.Option(False, "--allow-pipes", help="Also read named pipes and devices, e.g. <(cmd)."),
    corrections: Optional[Path] = typer.Option(None, "--corrections", help="The editor's corrections.toml to apply."),
) -> None:
    """Collate witnesses and write an apparatus (to stdout as a text table when no -o is given)."""

    def run() -> str | None:
        _check_near(near)
        with _pipes(allow_pipes):
            return run_align(
            list(witnesses),
            output=output,
            fmt=fmt,
            base=base,
            encoding=encoding,
            sigla=list(siglum),
            normalize=normalize,
            rules=list(rule),
            equiv=list(equiv),
            near=None if near >= 1 else near,
            max_move=max_move,
            prefer=list(prefer),
            stage=stage,
            corrections=corrections,
        )

    text = _guarded(run)
    if text is not None:
        _emit(text)


@app.command()
def translate(
    witnesses: List[Path] = typer.Argument(..., help="Translations (plain text or TEI), two or more."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output .json, .xml (TEI) or .html."),
    presegmented: bool = typer.Option(False, "--presegmented", help="One sentence a line; blank line = paragraph."),
    pivot: Optional[str] = typer.Option(None, "--pivot", help="Siglum every other text is aligned to (default: first)."),
    siglum: List[str] = typer.Option([], "--siglum", "-s", help="Sigla in witness order (repeat the option)."),
    embedding: Optional[str] = typer.Option(None, "--embedding", help="An installed sentence-transformers model."),
    allow_pipes: bool = typer.Option(False, "--allow-pipes", help="Also read named pipes and devices, e.g. <(cmd)."),
) -> None:
    """Align translations sentence by sentence (JSON to stdout when no -o is given)."""
    from reports.files import check_not_input

    from .translate.run import run_translate

    def run() -> str | None:
        _check_sigla(siglum)
        if output is not None:
            check_not_input(output, witnesses)
        with _pipes(allow_pipes):
            return run_translate(
                list(witnesses),
                output=output,
                presegmented=presegmented,
                pivot=pivot,
                sigla=list(siglum) or None,
                embedding=embedding,
            )

    text = _guarded(run)
    if text is not None:
        _emit(text)


def run_demo(output: Path) -> list[Path]:
    """Collate the bundled sample witnesses (Darwin, six editions) into HTML, TEI and JSON under ``output``."""
    from witnesses import sample_paths

    from . import api

    paths = sample_paths()
    if len(paths) < 2:
        raise UsageError("the bundled sample witnesses are missing; reinstall the package")
    from reports.files import atomic_write_set

    apparatus = api.collate(api.load(paths))
    # Rendered first, then replaced as a set: a full disk leaves the previous three outputs as they were.
    outputs = [(output / name, api.render(apparatus, api.format_for(name)))
               for name in ("apparatus.html", "apparatus.xml", "alignment.json")]
    atomic_write_set(outputs)
    return [path for path, _ in outputs]


def run_import(
    apparatus_path: Path,
    *,
    output: Path | None = None,
    fmt: str | None = None,
    base: str | None = None,
    encoding: str = "parallel-segmentation",
) -> str | None:
    """Read a TEI apparatus (any of the three encodings) back into a table; write it in any output format."""
    from tei.importer import import_apparatus
    from witnesses.files import display_name, read_bytes

    from . import api

    from .engine.entries import build_entries

    from reports.files import check_not_input

    chosen = fmt or (api.format_for(output) if output else "json")
    if output is not None:
        check_not_input(output, [apparatus_path])
    apparatus = import_apparatus(read_bytes(apparatus_path), path=display_name(apparatus_path))
    if base is not None and base != apparatus.base:  # default: the lemma witness of the file
        apparatus = build_entries(apparatus.alignment, base)  # the source's entries, on another base
    if output is None:
        return api.render(apparatus, chosen, encoding=encoding)
    api.write(apparatus, output, fmt=chosen, encoding=encoding)
    return None


@app.command("import")
def import_(
    apparatus: Path = typer.Argument(..., help="A TEI apparatus in any encoding (ours, CollateX's, an edition's)."),
    output: Optional[Path] = typer.Option(None, "-o", "--output", help="Output file; format from its suffix."),
    fmt: Optional[str] = typer.Option(None, "--format", "-f", help="json (default), html, tei, csv or txt."),
    base: Optional[str] = typer.Option(None, "--base", help="Siglum of the lemma witness (default: the first)."),
    encoding: str = typer.Option("parallel-segmentation", "--encoding", help="TEI apparatus encoding method."),
    allow_pipes: bool = typer.Option(False, "--allow-pipes", help="Also read a named pipe or device, e.g. <(cmd)."),
) -> None:
    """Import a TEI apparatus back into an alignment table (CollateX JSON on stdout by default)."""

    def run() -> str | None:
        with _pipes(allow_pipes):
            return run_import(apparatus, output=output, fmt=fmt, base=base, encoding=encoding)

    text = _guarded(run)
    if text is not None:
        _emit(text)


@app.command()
def demo(
    output: Path = typer.Option(Path("demo-output"), "-o", "--output", help="Folder for the demo's outputs."),
) -> None:
    """Collate the bundled sample witnesses (Darwin's Origin, ch. 1, six editions)."""
    for path in _guarded(lambda: run_demo(output)):
        _emit(printable(os.fsdecode(path)) + "\n")


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
    follow_symlinks: bool = typer.Option(
        False, "--follow-symlinks", help="Read files that are links leading outside their folder."
    ),
) -> None:
    """Compare OCR scans with reference transcriptions: CER/WER per document; exit code 1 when any is flagged."""
    from .batch.run import run_batch, summary_line

    on_terminal = sys.stderr.isatty()

    def run():
        if not on_terminal:
            return run_batch(reference_dir, scans_dir, output, max_cer=max_cer, max_wer=max_wer, workers=workers,
                             scheduler=scheduler, manifest=manifest, normalize=normalize,
                             follow_symlinks=follow_symlinks)
        from rich.progress import BarColumn, MofNCompleteColumn, Progress, TextColumn, TimeRemainingColumn

        # Refreshed from this thread only (no refresher thread), so worker processes can be forked safely.
        with Progress(TextColumn("comparing"), BarColumn(), MofNCompleteColumn(), TimeRemainingColumn(),
                      transient=True, auto_refresh=False) as bar:
            task = bar.add_task("batch", total=None)

            def advance(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)
                bar.refresh()

            return run_batch(reference_dir, scans_dir, output, max_cer=max_cer, max_wer=max_wer, workers=workers,
                             scheduler=scheduler, manifest=manifest, normalize=normalize, progress=advance,
                             follow_symlinks=follow_symlinks)

    summary = _guarded(run)
    if sys.stdout.isatty():
        c = summary.changes
        cer = "–" if summary.cer is None else f"{100 * summary.cer:.2f} %"
        typer.echo(f"{len(summary.documents)} documents, {summary.flagged} flagged, CER {cer}"
                   f" ({summary.reused} reused) → {printable(os.fsdecode(summary.out_dir / 'index.html'))}")
        if c.previous_run is not None:
            typer.echo(f"since the previous run: {len(c.new)} new, {len(c.fixed)} fixed, {len(c.worse)} worse,"
                       f" {len(c.removed)} removed")
    else:
        _emit(summary_line(summary) + "\n")
    failed = [d for d in summary.documents if d.status == "failed"]
    if failed:
        # A document the toolkit failed on is a bug, not a divergence: never exit code 1 for it.
        raise _fail(f"internal error on {len(failed)} document(s), first '{failed[0].id}': {failed[0].error}; "
                    f"this is a bug in collate, the other documents are in {summary.out_dir / 'summary.json'}",
                    EXIT_INTERNAL)
    if summary.flagged:
        raise typer.Exit(EXIT_FLAGGED)


def _usage_message(exc: click.ClickException) -> str:
    message = exc.format_message()
    context = getattr(exc, "ctx", None)
    where = f"{context.command_path}: " if context is not None else ""
    hint = f" (see '{context.command_path} --help')" if context is not None else ""
    return f"{where}{message}{hint}"


def main(argv: Sequence[str] | None = None) -> None:
    """The ``collate`` command: usage errors in the same one-line ``error: …`` form as every other error."""
    command = typer.main.get_command(app)
    try:
        code = command.main(args=list(argv) if argv is not None else None, prog_name="collate",
                            standalone_mode=False)
    except click.exceptions.NoArgsIsHelpError as exc:  # ``collate`` alone: the help, as a usage error
        typer.echo(exc.format_message(), err=True)
        code = exc.exit_code
    except click.ClickException as exc:
        code = exc.exit_code
        typer.echo(f"error: {printable(' '.join(_usage_message(exc).split()))}", err=True)
    except (typer.Abort, KeyboardInterrupt):
        typer.echo("error: interrupted", err=True)
        code = EXIT_INTERRUPTED
    except typer.Exit as exc:
        code = exc.exit_code
    sys.exit(code if isinstance(code, int) else 0)


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
    corrections: Optional[Path] = typer.Option(None, "--corrections", help="A corrections.toml instead of the project's."),
) -> None:
    """Run a collate.toml: load, regularise, collate, correct and write every output it names."""
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
            corrections=corrections,
        )
    )
    for path in written:
        typer.echo(str(path))


if __name__ == "__main__":
    main()
