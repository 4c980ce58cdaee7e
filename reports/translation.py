"""Reports of a sentence alignment of translations: JSON, and an HTML page with the texts side by side.

Offers:
    to_data(translation)          the JSON structure (see below)
    render_json(translation)      ``to_data`` as text
    view_data(translation, …)     the rows the HTML template receives (for tests)
    render_html(translation, …)   one self-contained HTML page, no request; its one script is the search
                                  (``static/search.js``, allowed by its hash)
    Piece, SentenceView, RowView  the view model

JSON. Two witnesses: ``{"witnesses": ["A", "B"], "segments": {"A": [...], "B": [...]}, "links": [[[0], [0]],
[[1, 2], [1]], [[3], []], ...]}``, each link a run of A's sentence indices and a run of B's (0-based; an empty
list for a sentence the other text lacks), in A's order. More than two: the first is not special, the
``"pivot"`` is; ``"links"`` becomes an object, one link list per other witness, each pairing pivot sentences
(first) with that witness's sentences: ``{"witnesses": [...], "pivot": "A", "segments": {...},
"links": {"B": [...], "C": [...]}}``. Links that join a passage placed elsewhere in the other text (a moved
paragraph) are listed by their position in ``"links"``: ``"moved": [4, 5]`` (with more than two witnesses,
``"moved": {"C": [4, 5]}``); the key is absent when nothing moved.

HTML. One row per group of linked sentences (all witnesses together, in the pivot's order; see
``collate.translate.Translation.rows``). When a witness is in the pivot's language (two English translations),
the words in which the two differ inside each row are marked, found by the project's word aligner
(``collate.api.collate`` on the row's two passages), not by a second one.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from markupsafe import Markup

from collate.errors import CollateError
from collate.engine.model import Segment, Source, Witness
from collate.engine.graph import Options, align_witnesses
from collate.engine.tokens import make_tokens
from collate.engine.variants import build_apparatus
from collate.translate.model import Translation
from collate.translate.score import same_language

from .html import csp_hash, static_text
from .jinja import environment

__all__ = ["to_data", "render_json", "view_data", "render_html", "Piece", "SentenceView", "RowView"]


def to_data(translation: Translation) -> dict[str, Any]:
    segments = {s: list(t.sentences) for s, t in zip(translation.sigla, translation.texts)}

    def pairs(siglum: str) -> list[list[list[int]]]:
        return [[list(link.source), list(link.target)] for link in translation.links_for(siglum)]

    def moved(siglum: str) -> list[tuple[int, ...]]:
        return [link.source for link in translation.links_for(siglum) if link.moved]

    def indices(links: list[list[list[int]]], sources: list[tuple[int, ...]], side: int) -> list[int]:
        """The positions in ``links`` of the moved links, found by their pivot sentences (on ``side``)."""
        wanted = {tuple(s) for s in sources}
        return [k for k, link in enumerate(links) if link[side] and tuple(link[side]) in wanted]

    if len(translation.sigla) == 2:
        # The first witness is the source of the links: with a pivot other than the first, swap sides.
        first, second = translation.sigla
        if translation.pivot == first:
            links = pairs(second)
            where = indices(links, moved(second), 0)
        else:
            links = _in_order([[t, s] for s, t in pairs(first)])
            where = indices(links, moved(first), 1)
        data: dict[str, Any] = {"witnesses": list(translation.sigla), "segments": segments, "links": links}
        if where:
            data["moved"] = where
        return data
    data = {
        "witnesses": list(translation.sigla),
        "pivot": translation.pivot,
        "segments": segments,
        "links": {s: pairs(s) for s in translation.others},
    }
    where_all = {s: indices(data["links"][s], moved(s), 0) for s in translation.others}
    if any(where_all.values()):
        data["moved"] = {s: v for s, v in where_all.items() if v}
    return data


def _in_order(links: list[list[list[int]]]) -> list[list[list[int]]]:
    """Links in the order of their first side; a link without first-side sentences stays after the link
    it followed (the sort is stable)."""
    keys: list[tuple[int, int]] = []
    previous = -1
    for source, _ in links:
        if source:
            previous = source[0]
            keys.append((previous, 0))
        else:
            keys.append((previous, 1))
    order = sorted(range(len(links)), key=keys.__getitem__)
    return [links[k] for k in order]


def render_json(translation: Translation) -> str:
    """``to_data`` as JSON laid out for reading and diffing: one witness's sentences a line, one link a line."""
    data = to_data(translation)

    def dump(value: Any) -> str:
        return json.dumps(value, ensure_ascii=False)

    def links(values: list[Any], indent: str) -> str:
        return "[\n" + ",\n".join(indent + "  " + dump(v) for v in values) + "\n" + indent + "]" if values else "[]"

    lines = [f' "witnesses": {dump(data["witnesses"])}']
    if "pivot" in data:
        lines.append(f' "pivot": {dump(data["pivot"])}')
    segments = ",\n".join(f"  {dump(s)}: {dump(v)}" for s, v in data["segments"].items())
    lines.append(' "segments": {\n' + segments + "\n }")
    if isinstance(data["links"], dict):
        inner = ",\n".join(f"  {dump(s)}: {links(v, '  ')}" for s, v in data["links"].items())
        lines.append(' "links": {\n' + inner + "\n }")
    else:
        lines.append(f' "links": {links(data["links"], " ")}')
    if "moved" in data:
        lines.append(f' "moved": {dump(data["moved"])}')
    return "{\n" + ",\n".join(lines) + "\n}\n"


# --------------------------------------------------------------------------------------------- HTML view


@dataclass(frozen=True, slots=True)
class Piece:
    """A stretch of a sentence: ``kind`` is None where the two witnesses agree, else the variant type
    (``substantive``, ``omission``, ``addition``, ``punctuation``, ``orthographic``, ``transposition``)."""

    text: str
    kind: str | None = None


@dataclass(frozen=True, slots=True)
class SentenceView:
    ident: str  # the TEI-style id, ``A.s3``
    number: int  # 1-based
    pieces: tuple[Piece, ...]
    paragraph: bool  # begins a paragraph


@dataclass(frozen=True, slots=True)
class RowView:
    number: int
    cells: tuple[tuple[SentenceView, ...], ...]
    shape: str  # "1-2", "0-1", …: sentences per witness
    moved: bool
    differs: bool  # some word-level variant is marked in the row


def _pieces(text: str, starts: list[tuple[int, int]], kinds: list[str | None]) -> tuple[Piece, ...]:
    """Cut ``text`` into runs of tokens of one kind; the spaces between two tokens go with the run."""
    pieces: list[Piece] = []
    position = 0
    for (start, end), kind in zip(starts, kinds):
        gap = text[position:start]
        if pieces and pieces[-1].kind == kind:
            pieces[-1] = Piece(pieces[-1].text + gap + text[start:end], kind)
        else:
            if gap:
                if pieces and pieces[-1].kind is None:
                    pieces[-1] = Piece(pieces[-1].text + gap, None)
                else:
                    pieces.append(Piece(gap))
            pieces.append(Piece(text[start:end], kind))
        position = end
    if position < len(text):
        pieces.append(Piece(text[position:]))
    return tuple(pieces)


def _passage(siglum: str, sentences: list[str]) -> tuple[Witness, list[int]]:
    """One witness of the row's sentences joined by spaces, and where each sentence starts."""
    starts, position = [], 0
    for sentence in sentences:
        starts.append(position)
        position += len(sentence) + 1
    text = " ".join(sentences)
    return Witness(siglum, make_tokens(text, siglum, locate=lambda s, e: Source(start=s, end=e))), starts


def _word_kinds(pivot: Witness, other: Witness) -> tuple[list[str | None], list[str | None]]:
    """Per token of each passage: None where the word aligner finds agreement, else the variant type."""
    kinds: tuple[list[str | None], list[str | None]] = ([None] * len(pivot), [None] * len(other))
    apparatus = build_apparatus(align_witnesses([pivot, other], Options()), pivot.siglum)
    columns = apparatus.alignment.columns
    for part in apparatus.parts:
        if isinstance(part, Segment):
            continue
        for c in range(part.start, part.end):
            for w in (0, 1):
                index = columns[c][w]
                if index is not None:
                    kinds[w][index] = part.type.value
    return kinds


def view_data(translation: Translation, *, word_diff: bool | None = None) -> list[RowView]:
    """The rows of the page. ``word_diff``: mark word-level variants (None: where a witness is in the
    pivot's language, judged from the texts)."""
    sigla = translation.sigla
    p = sigla.index(translation.pivot)
    pivot_text = translation.texts[p]
    compare = [
        w != p
        and (word_diff if word_diff is not None else same_language(pivot_text.sentences, text.sentences))
        for w, text in enumerate(translation.texts)
    ]
    rows: list[RowView] = []
    for number, row in enumerate(translation.rows(), start=1):
        passages = []
        for w, (siglum, cell) in enumerate(zip(sigla, row.cells)):
            sentences = [translation.texts[w].sentences[k] for k in cell]
            passages.append(_passage(siglum, sentences) if cell else None)
        kinds: list[list[str | None] | None] = [None] * len(sigla)
        base = passages[p]
        for w, passage in enumerate(passages):
            if not compare[w] or passage is None or base is None:
                continue
            try:
                pivot_kinds, kinds[w] = _word_kinds(base[0], passage[0])
            except CollateError:
                continue  # a passage of punctuation only: nothing to compare word by word
            merged = kinds[p] or [None] * len(pivot_kinds)
            kinds[p] = [a or b for a, b in zip(merged, pivot_kinds)]
        cells = []
        for w, cell in enumerate(row.cells):
            views = []
            passage = passages[w]
            for position, k in enumerate(cell):
                sentence = translation.texts[w].sentences[k]
                if passage is not None and kinds[w] is not None:
                    witness, starts = passage
                    offset = starts[position]
                    inside = [
                        (t.source.start - offset, t.source.end - offset, kinds[w][t.index])  # type: ignore[index]
                        for t in witness.tokens
                        if offset <= t.source.start < offset + len(sentence)
                    ]
                    pieces = _pieces(sentence, [(s, e) for s, e, _ in inside], [kind for _, _, kind in inside])
                else:
                    pieces = (Piece(sentence),)
                ident = f"{sigla[w]}.s{k + 1}"
                views.append(SentenceView(ident, k + 1, pieces, k in translation.texts[w].paragraphs))
            cells.append(tuple(views))
        differs = any(piece.kind for cell in cells for s in cell for piece in s.pieces)
        shape = "-".join(str(len(c)) for c in row.cells)
        rows.append(RowView(number, tuple(cells), shape, row.moved, differs))
    return rows


def render_html(translation: Translation, *, word_diff: bool | None = None) -> str:
    rows = view_data(translation, word_diff=word_diff)
    counts = {
        "rows": len(rows),
        "unmatched": sum(1 for r in rows if sum(1 for c in r.cells if c) == 1),
        "moved": sum(1 for r in rows if r.moved),
        "differs": sum(1 for r in rows if r.differs),
    }
    template = environment().get_template("translation.html.j2")
    search_js = static_text("search.js")
    return template.render(
        search_js=Markup(search_js),
        search_css=Markup(static_text("search.css")),
        csp_script=csp_hash(search_js),
        sigla=translation.sigla,
        pivot=translation.pivot,
        sizes=[len(t) for t in translation.texts],
        rows=rows,
        counts=counts,
    )
