"""The editor's project file, ``collate.toml``: one place that records how a collation is made.

Offers:
    Project, WitnessEntry, OutputEntry   the project as read (frozen records; paths resolved against its folder)
    read_project(path)                   parse and check a ``collate.toml``; errors name the file and the key
    parse_project(text, *, path)         the same from text already read
    override(project, **flags)           the project with command-line flags put over it
    load(project)                        the project's witnesses, with sigla and metadata overrides applied
    collate_project(project)             load, regularise, align, group and correct: a ``Collation`` (the
                                         ``Apparatus``, how many tokens each rule changed, warnings)
    run_project(project)                 the whole job: every output rendered, then all written (``RunResult``)
    init_project(folder, *, force)       write a commented ``collate.toml`` for the witness files in a folder;
                                         returns its path and the files left out, with the reason
    WITNESS_SUFFIXES                     the file names ``init`` takes for witnesses

A run renders every output before it writes any, and writes each atomically: a failed run leaves no
output behind and old outputs as they were. Relative paths in the file are relative to its folder, so a
project folder can be moved or shared as it is.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Sequence

from .errors import InputError, UsageError
from .tomlfile import loads, read_text
from .engine.model import Apparatus, Witness
from .engine.regularize import Rule

__all__ = [
    "Project",
    "WitnessEntry",
    "OutputEntry",
    "read_project",
    "parse_project",
    "override",
    "load",
    "collate_project",
    "run_project",
    "Collation",
    "RunResult",
    "init_project",
    "WITNESS_SUFFIXES",
    "PROJECT_FILE",
]

PROJECT_FILE = "collate.toml"
WITNESS_SUFFIXES = (".xml", ".tei", ".txt", ".json")


@dataclass(frozen=True, slots=True)
class WitnessEntry:
    """One ``[[witness]]``: a file, and what to say of it instead of what it says of itself."""

    path: Path
    siglum: str | None = None  # for a file of one witness
    sigla: tuple[str, ...] = ()  # for a file of several (teiCorpus, CollateX JSON), in file order
    title: str | None = None
    date: str | None = None
    source: str | None = None


@dataclass(frozen=True, slots=True)
class OutputEntry:
    path: Path
    format: str | None = None  # None: from the suffix


@dataclass(frozen=True, slots=True)
class Project:
    path: Path  # the project file (or where it would be)
    witnesses: tuple[WitnessEntry, ...]
    base: str | None = None
    normalize: tuple[str, ...] = ("nfc", "dehyphenate", "lowercase")
    equivalences: tuple[tuple[str, str], ...] = ()
    near: float | None = 0.6
    max_move: int = 100
    prefer: tuple[str, ...] = ("corr", "expan", "reg")
    stage: str = "after"
    outputs: tuple[OutputEntry, ...] = ()
    encoding: str = "parallel-segmentation"
    rules: tuple[Rule, ...] = ()
    latex_series: tuple[tuple[str, str], ...] = ()  # variant type → reledmac series ("" leaves it out)
    latex_title: str | None = None
    corrections: Path | None = None  # the editor's corrections file (``corrections.toml``)

    @property
    def root(self) -> Path:
        return self.path.parent


# ---------------------------------------------------------------------------------------------- reading

_TOP = {"collation", "tei", "witness", "equivalences", "regularize", "output"}
_RULE = {"from", "to", "class", "witness", "at", "line", "page", "part"}
_COLLATION = {"base", "normalize", "near", "max-move", "corrections"}
_TEI = {"prefer", "stage"}
_WITNESS = {"path", "siglum", "sigla", "title", "date", "source"}
_OUTPUT = {"files", "tei-encoding", "latex"}
_LATEX = {"series", "title"}
_FILE = {"path", "format"}


class _Checker:
    """Type checks with messages that name the file and the key (``collate.toml: witness[2].siglum: …``)."""

    def __init__(self, path: str) -> None:
        self.path = path

    def fail(self, where: str, message: str) -> InputError:
        return InputError(f"{where}: {message}", path=self.path)

    def table(self, value: Any, where: str, allowed: set[str]) -> dict[str, Any]:
        if not isinstance(value, dict):
            raise self.fail(where, "must be a table")
        unknown = sorted(set(value) - allowed)
        if unknown:
            raise self.fail(f"{where}.{unknown[0]}" if where else unknown[0],
                            f"unknown key; known here: {', '.join(sorted(allowed))}")
        return value

    def string(self, value: Any, where: str) -> str:
        if not isinstance(value, str) or not value.strip():
            raise self.fail(where, "must be a non-empty string")
        return value

    def strings(self, value: Any, where: str) -> tuple[str, ...]:
        if isinstance(value, str):
            value = [v.strip() for v in value.split(",") if v.strip()]
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise self.fail(where, "must be a list of strings")
        return tuple(value)




def read_project(path: str | Path) -> Project:
    path = Path(path)
    if path.is_dir():
        path = path / PROJECT_FILE
    return parse_project(read_text(path), path=path)


def parse_project(text: str, *, path: str | Path) -> Project:
    path = Path(path)
    name = str(path)
    data = loads(text, name=name)
    check = _Checker(name)
    check.table(data, "", _TOP)
    root = path.parent
    fields: dict[str, Any] = {}

    collation = check.table(data.get("collation", {}), "collation", _COLLATION)
    if "base" in collation:
        fields["base"] = check.string(collation["base"], "collation.base")
    if "normalize" in collation:
        fields["normalize"] = check.strings(collation["normalize"], "collation.normalize")
    if "near" in collation:
        near = collation["near"]
        if isinstance(near, bool) or not isinstance(near, (int, float)) or not 0 < near <= 1:
            raise check.fail("collation.near", "must be a number above 0 and at most 1 (1: exact matches only)")
        fields["near"] = None if near >= 1 else float(near)
    if "max-move" in collation:
        move = collation["max-move"]
        if isinstance(move, bool) or not isinstance(move, int) or move < 0:
            raise check.fail("collation.max-move", "must be a whole number of tokens, 0 or more")
        fields["max_move"] = move
    if "corrections" in collation:
        fields["corrections"] = root / check.string(collation["corrections"], "collation.corrections")

    tei = check.table(data.get("tei", {}), "tei", _TEI)
    if "prefer" in tei:
        fields["prefer"] = check.strings(tei["prefer"], "tei.prefer")
    if "stage" in tei:
        stage = tei["stage"]
        if stage not in ("after", "before"):
            raise check.fail("tei.stage", "is 'after' or 'before'")
        fields["stage"] = stage

    equivalences = check.table(data.get("equivalences", {}), "equivalences", set(data.get("equivalences", {})))
    pairs = []
    for old, new in equivalences.items():
        if not old or not isinstance(new, str):
            raise check.fail(f"equivalences.{old!r}", "each equivalence is \"FROM\" = \"TO\" (strings)")
        pairs.append((old, new))
    fields["equivalences"] = tuple(pairs)

    entries = data.get("witness", [])
    if not isinstance(entries, list):
        raise check.fail("witness", "write each witness as a [[witness]] table")
    witnesses = []
    for i, entry in enumerate(entries):
        where = f"witness[{i + 1}]"
        entry = check.table(entry, where, _WITNESS)
        if "path" not in entry:
            raise check.fail(where, "needs a path")
        wpath = root / check.string(entry["path"], f"{where}.path")
        siglum = check.string(entry["siglum"], f"{where}.siglum") if "siglum" in entry else None
        sigla = check.strings(entry["sigla"], f"{where}.sigla") if "sigla" in entry else ()
        if siglum and sigla:
            raise check.fail(where, "give siglum (a file of one witness) or sigla (a file of several), not both")
        meta = {k: check.string(entry[k], f"{where}.{k}") for k in ("title", "date", "source") if k in entry}
        if sigla and meta:
            raise check.fail(where, "title, date and source describe one witness; this entry names several (sigla)")
        witnesses.append(WitnessEntry(wpath, siglum, sigla, **meta))
    fields["witnesses"] = tuple(witnesses)

    rules = data.get("regularize", [])
    if not isinstance(rules, list):
        raise check.fail("regularize", "write each rule as a [[regularize]] table")
    fields["rules"] = tuple(_rule(check, entry, f"regularize[{i + 1}]") for i, entry in enumerate(rules))

    output = check.table(data.get("output", {}), "output", _OUTPUT)
    outputs = []
    for i, item in enumerate(output.get("files", [])):
        where = f"output.files[{i + 1}]"
        if isinstance(item, str):
            outputs.append(OutputEntry(root / check.string(item, where)))
        else:
            item = check.table(item, where, _FILE)
            if "path" not in item:
                raise check.fail(where, "needs a path")
            fmt = check.string(item["format"], f"{where}.format") if "format" in item else None
            outputs.append(OutputEntry(root / check.string(item["path"], f"{where}.path"), fmt))
    fields["outputs"] = tuple(outputs)
    if "tei-encoding" in output:
        fields["encoding"] = check.string(output["tei-encoding"], "output.tei-encoding")
    latex = check.table(output.get("latex", {}), "output.latex", _LATEX)
    if "title" in latex:
        fields["latex_title"] = check.string(latex["title"], "output.latex.title")
    if "series" in latex:
        from .engine.model import VariantType

        kinds = {t.value for t in VariantType}
        series = check.table(latex["series"], "output.latex.series", kinds)
        for kind, name in series.items():
            if name not in ("A", "B", "C", "D", "E", ""):
                raise check.fail(f"output.latex.series.{kind}", 'is a reledmac series, "A" to "E", or "" to leave it out')
        fields["latex_series"] = tuple(series.items())

    project = Project(path=path, **fields)
    _validate(project, name)
    return project


def _rule(check: _Checker, entry: Any, where: str) -> Rule:
    entry = check.table(entry, where, _RULE)
    for key in ("from", "to"):
        if key not in entry or not isinstance(entry[key], str):
            raise check.fail(where, f'needs "{key}" (a string)')
    witnesses = entry.get("witness", [])
    witnesses = (witnesses,) if isinstance(witnesses, str) else check.strings(witnesses, f"{where}.witness")
    at = entry.get("at", ())
    at = (at,) if isinstance(at, int) and not isinstance(at, bool) else at
    if not isinstance(at, (list, tuple)) or not all(isinstance(i, int) and not isinstance(i, bool) and i >= 0
                                                    for i in at):
        raise check.fail(f"{where}.at", "is a token position (the JSON table's i) or a list of them")
    place = {k: str(entry[k]) for k in ("line", "page") if k in entry}
    if not isinstance(entry.get("part", False), bool):
        raise check.fail(f"{where}.part", "is true or false")
    try:
        return Rule(entry["from"], entry["to"], check.string(entry.get("class", "orthographic"), f"{where}.class"),
                    tuple(witnesses), tuple(at), part=entry.get("part", False), **place)
    except UsageError as exc:
        raise check.fail(where, exc.message) from None


def _validate(project: Project, name: str | None) -> None:
    """Checks that hold for a project however it was made (file, flags, or both)."""
    from . import api
    from .engine.normalize import by_name

    by_name(",".join(project.normalize))  # raises on an unknown normaliser
    if project.encoding not in api.ENCODINGS:
        raise UsageError(f"unknown TEI encoding {project.encoding!r}; choose one of {', '.join(api.ENCODINGS)}",
                         path=name)
    for out in project.outputs:
        try:
            fmt = out.format or api.format_for(out.path)
        except UsageError as exc:
            raise UsageError(exc.message, path=name) from None
        if fmt not in api.FORMATS:
            raise UsageError(f"unknown format {fmt!r} for {out.path}; choose one of {', '.join(api.FORMATS)}",
                             path=name)


def override(
    project: Project,
    *,
    witnesses: Sequence[str | Path] | None = None,
    outputs: Sequence[str | Path] | None = None,
    fmt: str | None = None,
    base: str | None = None,
    normalize: str | None = None,
    rules: Sequence[str] | None = None,
    near: float | None = None,
    max_move: int | None = None,
    encoding: str | None = None,
    corrections: str | Path | None = None,
) -> Project:
    """Flags win over the file. ``outputs`` replaces the file's outputs (paths as given, not project-relative);
    ``rules`` (``FROM=TO``) add equivalences; ``near`` of 1 or more means exact matches only;
    ``corrections`` replaces the file's corrections file."""
    changes: dict[str, Any] = {}
    if corrections is not None:
        changes["corrections"] = Path(corrections)
    if witnesses:
        changes["witnesses"] = tuple(WitnessEntry(Path(p)) for p in witnesses)
    if outputs:
        changes["outputs"] = tuple(OutputEntry(Path(p), fmt) for p in outputs)
    elif fmt is not None:
        changes["outputs"] = tuple(dataclasses.replace(o, format=fmt) for o in project.outputs)
    if base is not None:
        changes["base"] = base
    if normalize is not None:
        changes["normalize"] = tuple(n.strip() for n in normalize.split(",") if n.strip())
    if rules:
        extra = []
        for spec in rules:
            if "=" not in spec or spec.startswith("="):
                raise UsageError(f"--rule takes FROM=TO (for example ſ=s), got {spec!r}")
            extra.append(tuple(spec.split("=", 1)))
        changes["equivalences"] = project.equivalences + tuple(extra)  # type: ignore[operator]
    if near is not None:
        changes["near"] = None if near >= 1 else near
    if max_move is not None:
        if max_move < 0:
            raise UsageError(f"--max-move is 0 or more, got {max_move}")
        changes["max_move"] = max_move
    if encoding is not None:
        changes["encoding"] = encoding
    result = dataclasses.replace(project, **changes)
    _validate(result, None)
    return result


# ---------------------------------------------------------------------------------------------- running


def _normalizer(project: Project):
    from .engine.normalize import by_name

    return by_name(",".join(project.normalize), extra=dict(project.equivalences))


def load(project: Project) -> list[Witness]:
    from witnesses.load import TeiOptions, load_witnesses

    if not project.witnesses:
        raise UsageError("the project names no witnesses; add [[witness]] tables with a path each",
                         path=str(project.path))
    normalizer = _normalizer(project)
    tei = TeiOptions(prefer=project.prefer, stage=project.stage)
    witnesses: list[Witness] = []
    for entry in project.witnesses:
        found = load_witnesses([entry.path], normalizer=normalizer, tei=tei)
        wanted = (entry.siglum,) if entry.siglum else entry.sigla
        if wanted and len(wanted) != len(found):
            raise UsageError(f"{len(wanted)} sigla given for {len(found)} witnesses in {entry.path}",
                             path=str(project.path))
        for w, siglum in zip(found, wanted or (None,) * len(found)):
            meta = dataclasses.replace(
                w.meta,
                **{k: getattr(entry, k) for k in ("title", "date", "source") if getattr(entry, k) is not None},
            )
            if siglum is not None and siglum != w.siglum:
                w = Witness(siglum, tuple(t._replace(siglum=siglum) for t in w.tokens), meta)
            else:
                w = Witness(w.siglum, w.tokens, meta)
            witnesses.append(w)
    seen: dict[str, str] = {}
    for w in witnesses:
        if w.siglum in seen:
            raise UsageError(f"duplicate siglum {w.siglum!r} ({seen[w.siglum]} and {w.meta.path}); "
                             "set siglum in the [[witness]] tables", path=str(project.path))
        seen[w.siglum] = w.meta.path or w.siglum
    return witnesses


@dataclass(frozen=True, slots=True)
class Collation:
    """A project's collation, and what the editor should hear about it (rules that matched nothing,
    corrections that no longer apply)."""

    apparatus: Apparatus
    rule_counts: tuple[int, ...]
    warnings: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class RunResult:
    written: tuple[Path, ...]
    warnings: tuple[str, ...]


def collate_project(project: Project) -> Collation:
    """Load, regularise (the project's rules, before alignment), align and group."""
    from . import api
    from .engine.graph import Options
    from .engine.regularize import regularize

    witnesses = load(project)
    try:
        witnesses, counts = regularize(witnesses, project.rules, _normalizer(project))
    except UsageError as exc:
        raise UsageError(exc.message, path=str(project.path)) from None
    warnings = tuple(
        f"{project.path}: regularize[{k + 1}] ({rule.source} → {rule.target}) matched nothing"
        + (" at its place; was the transcription corrected?" if rule.scope == "place" else "")
        for k, (rule, count) in enumerate(zip(project.rules, counts))
        if count == 0
    )
    corrections = api.load_corrections(project.corrections) if project.corrections is not None else ()
    options = Options(near=project.near, max_move=project.max_move)
    apparatus = api.collate(witnesses, base=project.base, options=options, corrections=corrections)
    warnings += tuple(refusal.message for refusal in apparatus.refused)
    return Collation(apparatus, counts, warnings)


def run_project(project: Project) -> RunResult:
    """Collate and write every output; nothing is written unless every output could be rendered."""
    from reports.files import atomic_write

    from . import api

    if not project.outputs:
        raise UsageError("the project names no outputs; add files = [...] under [output], or give -o",
                         path=str(project.path))
    collation = collate_project(project)
    rendered = []
    for out in project.outputs:
        fmt = out.format or api.format_for(out.path)
        if fmt == "latex":
            from reports.latex import render as render_latex

            from .engine.model import VariantType

            series = {VariantType(kind): name for kind, name in project.latex_series}
            text = render_latex(collation.apparatus, series=series, title=project.latex_title)
        else:
            text = api.render(collation.apparatus, fmt, encoding=project.encoding)
        rendered.append((out.path, text))
    for path, text in rendered:
        atomic_write(path, text)
    return RunResult(tuple(path for path, _ in rendered), collation.warnings)


# ---------------------------------------------------------------------------------------------- init


def _quote(text: str) -> str:
    """A TOML basic string."""
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = "".join(c if c >= " " or c == "\t" else f"\\u{ord(c):04x}" for c in escaped)
    return f'"{escaped}"'


def init_project(folder: str | Path = ".", *, force: bool = False) -> tuple[Path, list[tuple[Path, str]]]:
    """Write ``folder/collate.toml`` naming every witness file in ``folder``, with every setting commented.

    Each file is read, so that the sigla, titles and dates it gives are written out for the editor to
    correct. A file that cannot be read as a witness (an earlier run's output, a stray file) is written as a
    comment and returned with the reason, beside the project file's path.
    """
    from reports.files import atomic_write
    from witnesses.load import load_witnesses

    folder = Path(folder)
    if not folder.is_dir():
        raise UsageError("is not a folder", path=str(folder))
    target = folder / PROJECT_FILE
    if target.exists() and not force:
        raise UsageError("already exists; edit it, or pass --force to write a new one", path=str(target))
    files = sorted(p for p in folder.iterdir()
                   if p.is_file() and p.suffix.lower() in WITNESS_SUFFIXES and not p.name.startswith("."))
    if not files:
        raise UsageError(f"no witness files ({', '.join(WITNESS_SUFFIXES)}) in the folder", path=str(folder))

    lines = [
        "# collate.toml: how this collation is made. `collate run` in this folder does the whole job;",
        "# flags on the command line (--base, -o, --near, …) win over what is written here.",
        "# Paths are relative to this file's folder.",
        "",
        "[collation]",
    ]
    witness_blocks: list[str] = []
    first: str | None = None
    skipped: list[tuple[Path, str]] = []
    named: set[str] = set()
    # Witness files first, apparatus files (several witnesses in one file) after: a TEI apparatus written by
    # an earlier run holds the same sigla as the files it was made from.
    loaded = []
    for path in files:
        try:
            loaded.append((path, load_witnesses([path])))
        except (InputError, UsageError) as exc:
            # An output of an earlier run (alignment.json) or a stray file: named in the project as a comment,
            # and reported, so that nothing is left out unseen.
            skipped.append((path, exc.message))
            witness_blocks += ["", f"# not a witness, left out: {path.name}: {' '.join(exc.message.split())}"]
    loaded.sort(key=lambda item: len(item[1]) > 1)
    for path, found in loaded:
        again = [w.siglum for w in found if w.siglum in named]
        if again:
            reason = f"its witnesses {', '.join(again)} are named already (an earlier run's apparatus?)"
            skipped.append((path, reason))
            witness_blocks += ["", f"# left out: {path.name}: {reason}"]
            continue
        named.update(w.siglum for w in found)
        first = first or found[0].siglum
        block = ["", "[[witness]]", f"path = {_quote(path.name)}"]
        if len(found) == 1:
            w = found[0]
            block.append(f"siglum = {_quote(w.siglum)}")
            for key in ("title", "date", "source"):
                value = getattr(w.meta, key)
                if value:
                    block.append(f"{key} = {_quote(value)}  # from the file; correct it here")
                else:
                    block.append(f"# {key} = \"\"")
            block.append(f"# {len(w.tokens)} tokens")
        else:
            sigla = ", ".join(_quote(w.siglum) for w in found)
            block.append(f"sigla = [{sigla}]  # {len(found)} witnesses in this file, in file order")
        witness_blocks.extend(block)
    lines += [
        f"base = {_quote(first or '')}  # the lemma witness (default: the first witness)",
        'normalize = ["nfc", "dehyphenate", "lowercase"]  # also casefold, nfkc, punctuation, diacritics',
        "near = 0.6        # similarity at which two words count as one misspelt; 1 = exact matches only",
        "max-move = 100    # how many tokens away a moved passage is still a transposition; 0 = none",
        "# The editor's corrections to the apparatus (merge, split, move, lemma, note), kept across re-runs;",
        "# the HTML apparatus exports them (its Corrections panel). One that no longer applies is reported.",
        '# corrections = "corrections.toml"',
        "",
        "[tei]",
        'prefer = ["corr", "expan", "reg"]  # choice members read; e.g. ["sic", "abbr", "orig"] for the diplomatic text',
        'stage = "after"                    # add/del: the text "after" or "before" correction',
        "",
        "# Character equivalences, applied with the normalisers before comparison (not recorded per token):",
        "[equivalences]",
        '# "ſ" = "s"',
        "",
        "# Regularisations: recorded on each token and shown in every output (JSON \"r\", TEI rdgGrp/@type, HTML).",
        "# Scope: everywhere (default), witness = \"A\" (or a list), or one place: witness and at = token",
        "# position (the JSON table's i), or line (and page). part = true replaces inside words.",
        "# [[regularize]]",
        '# from = "ye"',
        '# to = "the"',
        '# class = "abbreviation"   # orthographic (default), abbreviation, numeral, punctuation, …',
        *witness_blocks,
        "",
        "[output]",
        'files = ["apparatus.html", "apparatus.xml", "alignment.json"]  # format from the suffix; or {path, format}',
        "# also edition.tex (reledmac, for lualatex), stemma.nex (NEXUS), {path = \"distances.csv\", format = \"distances\"}",
        'tei-encoding = "parallel-segmentation"  # or location-referenced, double-end-point',
        "",
        "# The printed edition (edition.tex): which apparatus series each variant type goes to (\"\" leaves it out).",
        "[output.latex]",
        '# title = ""',
        "# [output.latex.series]",
        '# substantive = "A"',
        '# omission = "A"',
        '# addition = "A"',
        '# transposition = "A"',
        '# orthographic = "B"',
        '# punctuation = "B"',
        "",
    ]
    if first is None:
        raise UsageError("no file in the folder could be read as a witness", path=str(folder))
    text = "\n".join(lines)
    parse_project(text, path=target)  # what init writes, run reads
    atomic_write(target, text)
    return target, skipped
