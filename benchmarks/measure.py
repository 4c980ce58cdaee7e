"""Shared helpers of the benchmark scripts: one way of measuring, used for our engine and for the peer alike.

Offers:
    ROOT, SHARED                     the repository, and the shared corpora beside it (``../shared``)
    default_sources(shared)          the source texts synthetic witnesses are made from (seeds, then Darwin)
    read_corpus(paths)               the tokens of those texts, in order
    take_words(tokens, words, …)     a passage holding exactly ``words`` words (punctuation rides along)
    ocr_noise()                      the OCR-like corruption used by the speed benchmarks
    synthetic(tokens, words, …)      noisy witnesses of a passage, with known truth
    Run                              one measured job: in-process seconds, process wall time, peak RSS
    isolated(job, payload, …)        run a job in a fresh Python process with a timeout
    collatex_available()             whether CollateX-Python can be imported (and why not)
    collatex_payload(witnesses)      the same tokens as CollateX-Python's pretokenized JSON input
    pairs_from_cells(cells, punct)   the (x, i, y, j) pair set of a table of per-witness token indices
    best_of(call, …)                 in-process timing: the best of several calls
    table(title, headers, rows)      a plain-text table

How figures are taken. Every timed job runs in a fresh ``python`` process started from this file
(``python benchmarks/measure.py JOB PAYLOAD RESULT``), so the interpreter, imports and memory start from
the same place for us and for CollateX-Python. Inside that process the job reads its inputs (already
prepared by the parent, outside the timed part), then times the call itself, up to ``repeat`` times while
the runs stay within ``budget`` seconds, keeping the best; the process's peak resident memory is its
``VmHWM`` (from ``/proc/self/status``; ``getrusage`` would also count the parent's pages at ``fork``), so it
includes the interpreter, the imports and the inputs. The parent adds the wall time of the whole process,
from start to exit, and kills it when it passes the timeout.
"""

from __future__ import annotations

import gc
import importlib.util
import json
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Sequence

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"

if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

if TYPE_CHECKING:
    from witnesses.synthetic import Noise, SyntheticWitness

__all__ = [
    "ROOT",
    "SHARED",
    "ocr_noise",
    "Run",
    "default_sources",
    "read_corpus",
    "take_words",
    "synthetic",
    "isolated",
    "collatex_available",
    "collatex_payload",
    "pairs_from_cells",
    "best_of",
    "table",
    "is_word",
]


PEER_INSTALL = "pip install collatex python-levenshtein (or: pip install -e '.[bench]')"


# ---------------------------------------------------------------------------------------------- inputs


def default_sources(shared: Path = SHARED) -> list[Path]:
    """The seeds (≈136k words) first, then Darwin's six editions (≈70k words): ≈206k words in all.

    On a clone with no shared corpora beside it, the six Darwin witnesses the package ships (TEI) stand in,
    so that every benchmark runs anywhere; the figures it prints then name those files."""
    seeds = sorted((shared / "seeds").glob("*.txt"))
    darwin = sorted((shared / "corpora" / "darwin").glob("darwin_*.txt"))
    if seeds or darwin:
        return seeds + darwin
    from witnesses import sample_paths

    return sample_paths()


def ocr_noise(rate: float = 0.05) -> Noise:
    """OCR output: character confusions, split words, stray or lost punctuation, case slips, lost and extra
    words; no editorial rewording and no moved passages (a scan keeps the page's order)."""
    from witnesses.synthetic import Noise

    return Noise(rate=rate, substitute=0.0, moves_per_1000=0.0)


def is_word(token: str) -> bool:
    return any(c.isalnum() for c in token)


def read_corpus(paths: Sequence[Path]) -> list[str]:
    if not paths:
        raise SystemExit("no source texts: give them as arguments or point --shared at the shared corpora")
    from witnesses.synthetic import words_of

    tokens: list[str] = []
    for path in paths:
        tokens.extend(words_of(_text_of(Path(path))))
    if not any(is_word(t) for t in tokens):
        raise SystemExit(f"the source texts hold no words: {', '.join(map(str, paths))}")
    return tokens


def _text_of(path: Path) -> str:
    """A source's plain text: a TEI file's collated text (the bundled witnesses), anything else as it is."""
    if path.suffix.lower() == ".xml":
        from tei.reader import extract
        from tei.text import TeiOptions

        return "\n".join(e.text for e in extract(path.read_bytes(), path=str(path), options=TeiOptions()))
    return path.read_text(encoding="utf-8")


def take_words(tokens: Sequence[str], words: int, *, start: int = 0) -> list[str]:
    """From ``start``, as many tokens as hold ``words`` words; the corpus is read again from its beginning
    when it runs out (the engine has to cope with repeated text anyway)."""
    out: list[str] = []
    count = 0
    k = start % len(tokens)
    while count < words:
        token = tokens[k]
        out.append(token)
        count += is_word(token)
        k = (k + 1) % len(tokens)
    return out


def synthetic(
    tokens: Sequence[str], words: int, count: int, noise: Noise, *, seed: int = 0, start: int = 0
) -> list[SyntheticWitness]:
    from witnesses.synthetic import make_witnesses

    return make_witnesses(take_words(tokens, words, start=start), count, noise, seed=seed)


# --------------------------------------------------------------------------------------- measurement


@dataclass(frozen=True, slots=True)
class Run:
    """One measured job. ``seconds`` is the best in-process time of the timed call (``runs`` calls);
    ``wall`` the whole process from start to exit; ``peak_mb`` its peak resident memory."""

    job: str
    ok: bool
    seconds: float | None = None
    runs: int = 0
    wall: float | None = None
    peak_mb: float | None = None
    note: str = ""
    result: dict[str, Any] = field(default_factory=dict)


def _status_mb(key: str) -> float:
    with open("/proc/self/status", encoding="ascii") as handle:
        for line in handle:
            if line.startswith(key + ":"):
                return int(line.split()[1]) / 1024
    return float("nan")


def machine_probe() -> float:
    """Seconds for a fixed piece of pure-Python work (best of 3). The project machine's cores are shared
    and their speed drifts by up to 1.8× from one hour to the next; printed beside the figures, this
    tells two runs' conditions apart."""
    best = float("inf")
    for _ in range(3):
        start = time.perf_counter()
        total = 0
        for k in range(1_000_000):
            total += k * k % 7
        best = min(best, time.perf_counter() - start)
    return best


def best_of(call: Callable[[], Any], *, repeat: int = 3, budget: float | None = None) -> tuple[float, int, Any]:
    """Call ``call`` up to ``repeat`` times (fewer once ``budget`` seconds are spent); the best time, the
    number of calls, and the last result. Garbage from one call is collected before the next starts."""
    best = float("inf")
    spent = 0.0
    result: Any = None
    runs = 0
    for _ in range(max(1, repeat)):
        result = None
        gc.collect()
        started = time.perf_counter()
        result = call()
        elapsed = time.perf_counter() - started
        runs += 1
        best = min(best, elapsed)
        spent += elapsed
        if budget is not None and spent + elapsed > budget:
            break
    return best, runs, result


def isolated(job: str, payload: dict[str, Any], *, timeout: float | None = None) -> Run:
    """Run the job ``job`` (a name in ``JOBS``) on ``payload`` in a fresh Python process."""
    with tempfile.TemporaryDirectory(prefix="collate-bench-") as tmp:
        payload_path = Path(tmp) / "payload.json"
        result_path = Path(tmp) / "result.json"
        payload_path.write_text(json.dumps(payload), encoding="utf-8")
        command = [sys.executable, str(Path(__file__).resolve()), job, str(payload_path), str(result_path)]
        started = time.perf_counter()
        try:
            done = subprocess.run(command, capture_output=True, text=True, timeout=timeout, cwd=ROOT)
        except subprocess.TimeoutExpired:
            return Run(job, False, wall=time.perf_counter() - started, note=f"timed out after {timeout:g} s")
        wall = time.perf_counter() - started
        if not result_path.exists():
            tail = (done.stderr or done.stdout).strip().splitlines()[-1:] or [f"exit code {done.returncode}"]
            return Run(job, False, wall=wall, note=f"failed: {tail[0]}")
        result = json.loads(result_path.read_text(encoding="utf-8"))
    if "missing" in result:
        return Run(job, False, wall=wall, note=f"not installed: {result['missing']} ({PEER_INSTALL})")
    return Run(
        job,
        True,
        seconds=result.pop("seconds"),
        runs=result.pop("runs"),
        wall=wall,
        peak_mb=result.pop("peak_mb"),
        result=result,
    )


def collatex_available() -> str | None:
    """None when CollateX-Python can be used; otherwise why not."""
    for module in ("collatex", "Levenshtein"):
        if importlib.util.find_spec(module) is None:
            return f"CollateX-Python not installed (no module {module!r}; {PEER_INSTALL})"
    return None


def collatex_payload(witnesses: Sequence[Any]) -> dict[str, Any]:
    """Our tokens (text and normalised form) in CollateX-Python's pretokenized JSON input."""
    return {
        "witnesses": [
            {"id": w.siglum, "tokens": [{"t": t.text, "n": t.norm} for t in w.tokens]} for w in witnesses
        ]
    }


def pairs_from_cells(cells: Sequence[Sequence[Sequence[int] | None]], punct: Sequence[Sequence[bool]]) -> set:
    """The word pairs a table puts together: ``cells[c][w]`` lists the token indices of witness ``w`` in
    column ``c`` (None for a gap). Punctuation is left out, as ``witnesses.synthetic.true_pairs`` does."""
    pairs = set()
    n = len(punct)
    for column in cells:
        for x in range(n):
            for y in range(x + 1, n):
                if column[x] is None or column[y] is None:
                    continue
                for i in column[x]:
                    if punct[x][i]:
                        continue
                    for j in column[y]:
                        if not punct[y][j]:
                            pairs.add((x, i, y, j))
    return pairs


# -------------------------------------------------------------------------------------------- output


def table(title: str, headers: Sequence[str], rows: Sequence[Sequence[str]], *, notes: Sequence[str] = ()) -> str:
    """A plain-text table: the first column left-aligned, the others right-aligned."""
    widths = [max(len(str(r[k])) for r in [headers, *rows]) for k in range(len(headers))]

    def line(cells: Sequence[str]) -> str:
        out = [str(cells[0]).ljust(widths[0])]
        out += [str(c).rjust(w) for c, w in zip(cells[1:], widths[1:])]
        return "  ".join(out).rstrip()

    rule = "-" * len(line(headers))
    body = [title, rule, line(headers), rule, *(line(r) for r in rows), rule, *notes]
    return "\n".join(body) + "\n"


# ---------------------------------------------------------------------- jobs (run in the fresh process)


def _job_ours(payload: dict[str, Any]) -> dict[str, Any]:
    """Text → tokens → alignment, for the witnesses' texts (with ``apparatus``: then the variant locations,
    timed as ``group``). With ``pairs``: the alignment's predicted word pairs too."""
    from collate.engine.graph import Options, align_witnesses
    from witnesses.plaintext import read_text

    texts: list[str] = payload["texts"]
    sigla: list[str] = payload["sigla"]
    phases: dict[str, float] = {}
    first: list[float] = []  # the first call's time: it alone pays for the memory the process first takes

    def run() -> Any:
        started = time.perf_counter()
        witnesses = [read_text(text, siglum) for text, siglum in zip(texts, sigla)]
        tokenised = time.perf_counter()
        alignment = align_witnesses(witnesses, Options())
        done = time.perf_counter()
        grouped = done
        if payload.get("apparatus"):
            from collate.engine.variants import build_apparatus

            build_apparatus(alignment)
            grouped = time.perf_counter()
        if not first:
            first.append(grouped - started)
        if not phases or grouped - started < phases["tokenise"] + phases["align"] + phases.get("group", 0.0):
            phases.update(tokenise=tokenised - started, align=done - tokenised)
            if payload.get("apparatus"):
                phases["group"] = grouped - done
        return alignment

    seconds, runs, alignment = best_of(run, repeat=payload.get("repeat", 3), budget=payload.get("budget"))
    out: dict[str, Any] = {"seconds": seconds, "runs": runs, "first": first[0], **phases}
    out["tokens"] = sum(len(w.tokens) for w in alignment.witnesses)
    out["peak_mb"] = _status_mb("VmHWM")
    if payload.get("pairs"):
        from witnesses.synthetic import predicted_pairs

        out["pairs"] = sorted(predicted_pairs(alignment))
    return out


def _job_collatex(payload: dict[str, Any]) -> dict[str, Any]:
    """CollateX-Python 2.3 on pretokenized input, unsegmented, JSON output (whose table gives the cells)."""
    try:
        from collatex import collate
    except ModuleNotFoundError as exc:
        return {"missing": exc.name}
    data = payload["data"]
    seconds, runs, output = best_of(
        lambda: collate(data, output="json", segmentation=False),
        repeat=payload.get("repeat", 1),
        budget=payload.get("budget"),
    )
    peak = _status_mb("VmHWM")
    rows = json.loads(output)["table"]  # one row per witness, one cell per column: None or a list of tokens
    width = len(rows[0]) if rows else 0
    cells: list[list[list[int] | None]] = [[None] * len(rows) for _ in range(width)]
    for w, row in enumerate(rows):
        expected = data["witnesses"][w]["tokens"]
        k = 0
        for c, cell in enumerate(row):
            if not cell:
                continue
            indices = []
            for token in cell:
                # The k-th token met along a row is token k of that witness; check it, so that a change of
                # CollateX's layout cannot silently give wrong scores.
                if token["t"] != expected[k]["t"]:
                    raise AssertionError(f"CollateX row {w}: token {k} is {token['t']!r}, not {expected[k]['t']!r}")
                indices.append(k)
                k += 1
            cells[c][w] = indices
        if k != len(expected):
            raise AssertionError(f"CollateX row {w} holds {k} tokens of {len(expected)}")
    return {"seconds": seconds, "runs": runs, "peak_mb": peak, "cells": cells, "columns": width}


def _job_darwin(payload: dict[str, Any]) -> dict[str, Any]:
    """TEI (or plain text) in → HTML + TEI + JSON out, as ``collate demo`` does, phase by phase."""
    started = time.perf_counter()
    from collate import api

    phases = {"import": time.perf_counter() - started}
    out_dir = Path(payload["out"])
    mark = time.perf_counter()

    def lap(name: str) -> None:
        nonlocal mark
        now = time.perf_counter()
        phases[name] = now - mark
        mark = now

    witnesses = api.load(payload["paths"])
    lap("load")
    apparatus = api.collate(witnesses)
    lap("collate")
    for fmt, name in (("html", "apparatus.html"), ("tei", "apparatus.xml"), ("json", "alignment.json")):
        api.write(apparatus, out_dir / name, fmt=fmt)
        lap(fmt)
    return {
        "seconds": time.perf_counter() - started,
        "runs": 1,
        "phases": phases,
        "tokens": sum(len(w.tokens) for w in witnesses),
        "witnesses": len(witnesses),
        "peak_mb": _status_mb("VmHWM"),
    }


JOBS: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
    "ours": _job_ours,
    "collatex": _job_collatex,
    "darwin": _job_darwin,
}


def _child(argv: Sequence[str]) -> None:
    job, payload_path, result_path = argv
    payload = json.loads(Path(payload_path).read_text(encoding="utf-8"))
    result = JOBS[job](payload)
    Path(result_path).write_text(json.dumps(result), encoding="utf-8")


if __name__ == "__main__":
    _child(sys.argv[1:])
