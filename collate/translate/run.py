"""The ``collate translate`` wiring: read the witnesses, segment them, align, write JSON, TEI or HTML.

Offers:
    run_translate(paths, …)   the whole command as a plain function (the CLI calls it; so can tests)
    load_texts(paths, …)      sigla → ``Text`` (and the sentences with their offsets), from plain text or TEI
    render(translation, fmt)  the output as text: ``json``, ``tei`` or ``html``
    FORMATS                   the accepted format names

Like ``api`` and ``cli``, this module touches files; the engine (``sentences``, ``translate``) stays pure.
An embedding scorer is used only when the user names a model that is installed already: the model is
loaded with downloads switched off, and a missing package or model is a usage error, never a download.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Sequence

from collate.errors import InputError, UsageError
from .sentences import Sentence, paragraph_starts, presegmented as split_lines, segment
from .align import translate
from .model import SentenceScorer, Text, Translation
from .score import EmbeddingScorer

__all__ = ["run_translate", "load_texts", "render", "FORMATS"]

FORMATS = ("json", "tei", "html")
_SUFFIXES = {".json": "json", ".xml": "tei", ".tei": "tei", ".html": "html", ".htm": "html"}


def _format_for(output: Path) -> str:
    found = _SUFFIXES.get(output.suffix.lower())
    if found is None:
        raise UsageError(f"cannot tell the format from {str(output)!r}; use a .json, .xml or .html file name")
    return found


def load_texts(
    paths: Sequence[str | os.PathLike[str]],
    *,
    presegmented: bool = False,
    sigla: Sequence[str] | None = None,
) -> dict[str, Text]:
    """Read and segment every witness. Plain text: blank lines separate paragraphs; with ``presegmented``
    each line is one sentence. TEI: the witness's text as the TEI reader extracts it, segmented."""
    from witnesses.files import display_name, read_bytes, siglum_for
    from witnesses.plaintext import decode

    if sigla and len(sigla) != len(paths):
        raise UsageError(f"{len(sigla)} sigla given for {len(paths)} witnesses")
    texts: dict[str, Text] = {}
    origin: dict[str, str] = {}
    # A plain-text witness is named after its file's stem (``de.txt`` → ``de``); when two files share a
    # stem (``test4.de``, ``test4.fr``), every file is named by its whole name instead.
    stems = [siglum_for(str(p)) for p in paths]
    whole = len(set(stems)) < len(stems)
    for k, path in enumerate(paths):
        name = display_name(path)  # a name of any bytes, shown safely; ``path`` is what is read
        data = read_bytes(path)
        found: list[tuple[str, list[Sentence]]] = []
        if name.lower().endswith((".xml", ".tei")) or data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1] == b"<":
            from tei.translation import read_texts

            found = [(siglum, segment(text)) for siglum, text in read_texts(data, path=name)]
        else:
            text = decode(data, name)
            siglum = Path(name).name if whole and stems.count(stems[k]) > 1 else stems[k]
            found = [(siglum, split_lines(text) if presegmented else segment(text))]
        for siglum, sentences in found:
            if sigla:
                siglum = sigla[k]
            if not sentences:
                raise InputError("witness has no text to align", path=name)
            if siglum in texts:
                raise UsageError(
                    f"duplicate siglum {siglum!r} ({origin[siglum]} and {name}); set sigla with --siglum", path=name
                )
            origin[siglum] = name
            texts[siglum] = Text(tuple(s.text for s in sentences), paragraph_starts(sentences))
    return texts


def _embedding_scorer(model_name: str) -> SentenceScorer:
    # Never reach the network: the user installs the model; we only load what is on disk.
    os.environ.setdefault("HF_HUB_OFFLINE", "1")
    os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
    try:
        from sentence_transformers import SentenceTransformer
    except ImportError:
        raise UsageError(
            "--embedding needs the sentence-transformers package (pip install sentence-transformers)"
        ) from None
    try:
        model = SentenceTransformer(model_name, local_files_only=True)
    except Exception as exc:  # the library raises many kinds (OSError, ValueError, HF errors)
        raise UsageError(f"cannot load the embedding model {model_name!r} from local files: {exc}") from None
    return EmbeddingScorer(lambda texts: model.encode(texts))


def render(translation: Translation, fmt: str, *, word_diff: bool | None = None) -> str:
    if fmt == "json":
        from reports.translation import render_json

        return render_json(translation)
    if fmt == "html":
        from reports.translation import render_html

        return render_html(translation, word_diff=word_diff)
    if fmt == "tei":
        from tei.translation import render as render_tei

        return render_tei(translation)
    raise UsageError(f"unknown format {fmt!r}; choose one of {', '.join(FORMATS)}")


# Two translations of one text hold about as many sentences; a text with this many times the sentences of
# the other (and more than _MIN_LONG of them) is not its translation, and aligning it would cost minutes and
# gigabytes for nothing (200,000 lines against 10: 137 s, 4.5 GB).
_MAX_RATIO = 40
_MIN_LONG = 2_000


def _check_lengths(texts: dict[str, Text], pivot: str) -> None:
    for siglum, text in texts.items():
        if siglum == pivot:
            continue
        short, long_ = sorted((len(texts[pivot]), len(text)))
        if long_ > _MIN_LONG and long_ > _MAX_RATIO * max(short, 1):
            raise UsageError(
                f"{pivot} has {len(texts[pivot])} sentences and {siglum} {len(text)}: too different in length "
                f"to be translations of one text (at most {_MAX_RATIO} times as many); cut the longer text to "
                "the passage the shorter one translates"
            )


def run_translate(
    paths: Sequence[str | os.PathLike[str]],
    *,
    output: str | os.PathLike[str] | None = None,
    fmt: str | None = None,
    presegmented: bool = False,
    pivot: str | None = None,
    sigla: Sequence[str] | None = None,
    embedding: str | None = None,
    word_diff: bool | None = None,
) -> str | None:
    """Align the translations in ``paths``; write ``output`` (format from its suffix unless ``fmt``) or
    return the JSON text. Nothing is written unless the whole run succeeds."""
    if len(paths) < 2:
        raise UsageError(f"translation alignment needs at least two witnesses, got {len(paths)}")
    chosen = fmt or (_format_for(Path(output)) if output is not None else "json")
    if chosen not in FORMATS:
        raise UsageError(f"unknown format {chosen!r}; choose one of {', '.join(FORMATS)}")
    texts = load_texts(paths, presegmented=presegmented, sigla=sigla)
    if pivot is not None and pivot not in texts:
        raise UsageError(f"unknown pivot {pivot!r}; the sigla are {', '.join(texts)}")
    _check_lengths(texts, pivot or next(iter(texts)))
    scorer = _embedding_scorer(embedding) if embedding else None
    translation = translate(texts, pivot=pivot, scorer=scorer)
    text = render(translation, chosen, word_diff=word_diff)
    if output is None:
        return text
    from reports.files import atomic_write

    atomic_write(output, text)
    return None
