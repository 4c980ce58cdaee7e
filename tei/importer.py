"""Reading a TEI parallel-segmentation apparatus back into the model: ours, or another tool's.

Offers:
    import_alignment(data, *, path, normalizer, options)   the ``Alignment`` (table) the apparatus encodes
    import_apparatus(data, *, path, normalizer, options)   that alignment grouped by ``build_apparatus``
    witness_extracts(tei, *, path, options)                each witness's text read out of the apparatus
    is_bare_apparatus(root)                                a non-TEI root holding TEI ``app``s (CollateX's)

Witnesses are the ``listWit/witness``es in order (siglum: ``@n``, else ``@xml:id``), or, without a
``listWit`` (CollateX writes none), every siglum met in a ``@wit``, in order of first appearance. A witness's
text is the text outside ``app``s plus, in each ``app``, the ``lem``/``rdg`` whose ``@wit`` names it (a
``lem`` without ``@wit`` is the reading of every witness no ``rdg`` names); ``rdgGrp`` is flattened; all the
markup of witness TEI (``choice``, ``lb break="no"``, …) is read as ``tei.reader`` reads it.

The table: text outside ``app``s gives one column per token; an ``app`` gives as many columns as its
longest reading, each reading in the first columns, unless the layout kept in ``xenoData`` by
``tei.writer`` says otherwise, so that collate → TEI → import gives back the same table. The base (lemma)
witness is the first named by the first ``lem``. ``listTranspose`` gives the transpositions.
"""

from __future__ import annotations

from bisect import bisect_right
from dataclasses import dataclass

from lxml import etree

from collate.errors import InputError
from collate.engine.model import Alignment, Apparatus, Token, Transposition, Witness, WitnessMeta
from collate.engine.normalize import DEFAULT, Normalizer
from collate.engine.variants import build_apparatus

from .text import TEI_NS, Extract, TeiOptions, extract_text, local_name, tokens_of, witness_meta
from .safe import parse
from .writer import LAYOUT_NS

__all__ = ["import_alignment", "import_apparatus", "witness_extracts", "is_bare_apparatus"]

_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_READINGS = ("lem", "rdg")


def _options(options: TeiOptions | None) -> TeiOptions:
    if options is None:
        return TeiOptions()
    return options


@dataclass(frozen=True, slots=True)
class _Source:
    """An apparatus, parsed: its witnesses and how ``@wit`` references name them."""

    tei: etree._Element
    text: etree._Element
    sigla: tuple[str, ...]
    refs: dict[str, str]  # a reference in @wit (without '#') → siglum
    meta: dict[str, WitnessMeta]


def _refs(value: str | None) -> list[str]:
    return [v.lstrip("#") for v in (value or "").split()]


def _open(tei: etree._Element, path: str) -> _Source:
    """A ``TEI`` apparatus, or any root holding TEI ``app``s (CollateX writes ``cx:apparatus``)."""
    ns = {"t": TEI_NS}
    if local_name(tei) == "TEI":
        for method in tei.xpath(".//t:variantEncoding/@method|.//variantEncoding/@method", namespaces=ns):
            if method != "parallel-segmentation":
                raise InputError(
                    f"apparatus encoded by {method}; only parallel-segmentation can be read back",
                    path=path,
                    line=tei.sourceline,
                )
        texts = [t for t in tei if local_name(t) == "text"]
        if not texts:
            raise InputError("TEI document has no <text> element", path=path, line=tei.sourceline)
        text = texts[0]
    elif is_bare_apparatus(tei):
        text = tei
    else:
        raise InputError("not a TEI apparatus: no <TEI> root and no <app> in it", path=path, line=tei.sourceline)
    refs: dict[str, str] = {}
    sigla: list[str] = []
    meta: dict[str, WitnessMeta] = {}
    witnesses = [w for w in tei.iter(f"{{{TEI_NS}}}witness", "witness") if local_name(w) == "witness"]
    for w in witnesses:
        siglum = (w.get("n") or "").strip() or w.get(_XML_ID)
        if not siglum or siglum in meta:
            continue
        sigla.append(siglum)
        meta[siglum] = witness_meta(w, path)
        for key in (w.get(_XML_ID), w.get("n"), siglum):
            if key:
                refs.setdefault(key, siglum)
    names = (f"{{{TEI_NS}}}{n}" for n in ("lem", "rdg", "rdgGrp"))
    for element in text.iter(*names, "lem", "rdg", "rdgGrp"):
        for ref in _refs(element.get("wit")):
            if ref not in refs:
                if witnesses:
                    raise InputError(
                        f"@wit names {ref!r}, which is not in listWit", path=path, line=element.sourceline
                    )
                refs[ref] = ref
                sigla.append(ref)
                meta[ref] = WitnessMeta(path=path)
    if not sigla:
        raise InputError("apparatus names no witnesses (no listWit, no @wit)", path=path, line=tei.sourceline)
    return _Source(tei, text, tuple(sigla), refs, meta)


def is_bare_apparatus(root: etree._Element) -> bool:
    """A root that is not TEI's but holds TEI ``app``s with ``@wit`` (CollateX's ``cx:apparatus``)."""
    return any(a.get("wit") for a in root.iter(f"{{{TEI_NS}}}rdg", f"{{{TEI_NS}}}lem"))


def _selector(source: _Source, siglum: str, cache: dict[int, tuple[dict[str, etree._Element], etree._Element | None]]):
    """``select(app)`` for one witness: the ``lem``/``rdg``/``rdgGrp`` holding its reading, or None.

    ``cache`` (shared by the witnesses of one apparatus) keeps, per ``app``/``rdgGrp``, which member holds
    each siglum and the lemma read by witnesses no member names.
    """

    def held(element: etree._Element) -> set[str]:
        name = local_name(element)
        found = {source.refs[r] for r in _refs(element.get("wit")) if r in source.refs}
        if name == "rdgGrp":
            for c in element:
                if local_name(c) in ("lem", "rdg", "rdgGrp"):
                    found |= held(c)
        return found

    def members(parent: etree._Element) -> tuple[dict[str, etree._Element], etree._Element | None]:
        key = id(parent)
        if key not in cache:
            by_siglum: dict[str, etree._Element] = {}
            default = None
            for c in parent:
                name = local_name(c)
                if name not in ("lem", "rdg", "rdgGrp"):
                    continue
                for s in held(c):
                    by_siglum.setdefault(s, c)
                if name == "lem" and c.get("wit") is None and local_name(parent) == "app":
                    default = c  # a lemma without @wit reads for every witness no reading names
            cache[key] = (by_siglum, default)
        return cache[key]

    def select(parent: etree._Element) -> etree._Element | None:
        by_siglum, default = members(parent)
        return by_siglum.get(siglum, default)

    return select


def _walk(
    source: _Source, path: str, options: TeiOptions
) -> list[tuple[Extract, list[tuple[etree._Element, int, int]]]]:
    out = []
    cache: dict[int, tuple[dict[str, etree._Element], etree._Element | None]] = {}
    for siglum in source.sigla:
        apps: list[tuple[etree._Element, int, int]] = []
        item = extract_text(
            source.text,
            siglum=siglum,
            meta=source.meta[siglum],
            options=options,
            path=path,
            select=_selector(source, siglum, cache),
            apps=apps,
        )
        out.append((item, apps))
    return out


def witness_extracts(tei: etree._Element, *, path: str, options: TeiOptions | None = None) -> list[Extract]:
    """Each witness's text, read out of a parallel-segmentation apparatus (for re-collating it)."""
    return [item for item, _ in _walk(_open(tei, path), path, _options(options))]


# ---------------------------------------------------------------------------------------------------- table


def _count(value: str, element: etree._Element, path: str) -> int:
    """A column number or width from the layout block: a whole number of 0 or more, else ``InputError``."""
    if not value.isascii() or not value.isdigit():
        raise InputError(
            f"layout value {value!r} is not a column number (a whole number of 0 or more)",
            path=path,
            line=element.sourceline,
        )
    return int(value)


def _layout(tei: etree._Element, path: str) -> tuple[dict[str, tuple[int | None, dict[str, list[int]]]], list[etree._Element]]:
    """The writer's ``xenoData`` layout: per app id, (width, witness id → columns), and transposition entries."""
    apps: dict[str, tuple[int | None, dict[str, list[int]]]] = {}
    moves: list[etree._Element] = []
    for block in tei.iter(f"{{{LAYOUT_NS}}}alignment"):
        for entry in block:
            if entry.tag == f"{{{LAYOUT_NS}}}app":
                width = entry.get("width")
                cols = {
                    c.get("wit", ""): [_count(n, c, path) for n in (c.get("n") or "").split()]
                    for c in entry
                    if c.tag == f"{{{LAYOUT_NS}}}cols"
                }
                apps[entry.get("ref", "")] = (_count(width, entry, path) if width else None, cols)
            elif entry.tag == f"{{{LAYOUT_NS}}}transposition":
                moves.append(entry)
    return apps, moves


def _place(
    tokens: list[list[Token]], hint: tuple[int | None, dict[str, list[int]]] | None, ids: list[set[str]]
) -> list[list[int | None]]:
    """Columns for one part: each witness's tokens in the first columns, or where the layout puts them."""
    width = max((len(t) for t in tokens), default=0)
    limit = sum(len(t) for t in tokens)  # no placement needs more columns than the part has tokens
    places: list[list[int]] = [list(range(len(t))) for t in tokens]
    if hint is not None:
        _, cols = hint
        for w, keys in enumerate(ids):
            for key in keys:
                if key in cols:
                    wanted = cols[key]
                    if (len(wanted) == len(tokens[w]) and all(a < b for a, b in zip(wanted, wanted[1:]))
                            and (not wanted or wanted[-1] < limit)):
                        places[w] = wanted
                    break
        # Columns that no token fills are dropped below, so a width is worth only the columns the tokens can
        # fill: a hinted width="40000000" or n="40000000" must not allocate them (a 2 KB file, 3 GB).
        width = max([width] + [p[-1] + 1 for p in places if p])
    table: list[list[int | None]] = [[None] * len(tokens) for _ in range(width)]
    for w, spots in enumerate(places):
        for token, c in zip(tokens[w], spots):
            table[c][w] = token.index
    return [column for column in table if any(cell is not None for cell in column)]


def import_alignment(
    data: bytes,
    *,
    path: str,
    normalizer: Normalizer = DEFAULT,
    options: TeiOptions | None = None,
) -> Alignment:
    """The alignment table a parallel-segmentation apparatus encodes."""
    return _import(data, path=path, normalizer=normalizer, options=_options(options))[0]


def import_apparatus(
    data: bytes,
    *,
    path: str,
    normalizer: Normalizer = DEFAULT,
    options: TeiOptions | None = None,
) -> Apparatus:
    """The apparatus, regrouped by ``build_apparatus`` with the lemma witness as base."""
    alignment, base = _import(data, path=path, normalizer=normalizer, options=_options(options))
    return build_apparatus(alignment, base)


def _import(data: bytes, *, path: str, normalizer: Normalizer, options: TeiOptions) -> tuple[Alignment, str]:
    tei = parse(data, path).getroot()
    source = _open(tei, path)
    walked = _walk(source, path, options)
    order = [a for a in source.text.iter(f"{{{TEI_NS}}}app", "app") if local_name(a) == "app" and not _nested(a)]
    position = {id(a): k for k, a in enumerate(order)}

    witnesses: list[Witness] = []
    # parts[w][p]: witness w's tokens in part p; parts alternate: text, app 0, text, app 1, …, text.
    parts: list[list[list[Token]]] = []
    for item, apps in walked:
        tokens = tokens_of(item, normalizer=normalizer)
        if not tokens:
            raise InputError(f"witness {item.siglum!r} has no text in the apparatus", path=path)
        witnesses.append(Witness(item.siglum, tokens, item.meta))
        ranges = sorted((position[id(a)], s, e) for a, s, e in apps if id(a) in position)
        starts = [s for _, s, _ in ranges]
        mine: list[list[Token]] = [[] for _ in range(2 * len(order) + 1)]
        for token in tokens:
            r = bisect_right(starts, token.source.start) - 1
            if r >= 0 and token.source.start < ranges[r][2]:
                mine[2 * ranges[r][0] + 1].append(token)
            else:
                # Text after app k (or before the first): part 2k + 2 (or 0).
                after = ranges[r][0] if r >= 0 else -1
                mine[2 * after + 2].append(token)
        parts.append(mine)

    layout, moves = _layout(tei, path)
    ids = [{k for k, s in source.refs.items() if s == siglum} for siglum in source.sigla]
    columns: list[tuple[int | None, ...]] = []
    app_start: dict[str, tuple[int, int]] = {}
    for p in range(2 * len(order) + 1):
        tokens = [parts[w][p] for w in range(len(witnesses))]
        hint = None
        app_id = None
        if p % 2:
            app_id = order[p // 2].get(_XML_ID)
            hint = layout.get(app_id or "")
        start = len(columns)
        columns.extend(tuple(c) for c in _place(tokens, hint, ids))
        if app_id:
            app_start[app_id] = (start, len(columns))

    sigla = [w.siglum for w in witnesses]
    transpositions = _transpositions(tei, moves, app_start, columns, source, sigla, path)
    base = _base(source)
    return Alignment(tuple(witnesses), tuple(columns), tuple(transpositions)), base


def _nested(app: etree._Element) -> bool:
    parent = app.getparent()
    while parent is not None:
        if local_name(parent) == "app":
            return True
        parent = parent.getparent()
    return False


def _base(source: _Source) -> str:
    for lem in source.text.iter(f"{{{TEI_NS}}}lem", "lem"):
        for ref in _refs(lem.get("wit")):
            if ref in source.refs:
                return source.refs[ref]
    return source.sigla[0]


def _transpositions(
    tei: etree._Element,
    moves: list[etree._Element],
    app_start: dict[str, tuple[int, int]],
    columns: list[tuple[int | None, ...]],
    source: _Source,
    sigla: list[str],
    path: str,
) -> list[Transposition]:
    out: list[Transposition] = []
    if moves:
        for entry in moves:
            try:
                s_from, s_to = (int(n) for n in (entry.get("source") or "").split())
                t_from, t_to = (int(n) for n in (entry.get("target") or "").split())
                links = tuple(
                    (int(a), int(b)) for a, b in (pair.split(":") for pair in (entry.get("links") or "").split())
                )
                if not (0 <= s_from < s_to <= len(columns) and 0 <= t_from < t_to <= len(columns)):
                    raise ValueError("columns out of range")
                out.append(
                    Transposition(
                        (s_from, s_to),
                        (t_from, t_to),
                        tuple(source.refs[r] for r in (entry.get("source-wit") or "").split()),
                        tuple(source.refs[r] for r in (entry.get("target-wit") or "").split()),
                        links,
                    )
                )
            except (KeyError, ValueError):
                raise InputError(
                    "malformed transposition layout in xenoData", path=path, line=entry.sourceline
                ) from None
        return out
    for transpose in tei.iter(f"{{{TEI_NS}}}transpose", "transpose"):
        targets = [p.get("target", "").lstrip("#") for p in transpose if local_name(p) == "ptr"]
        if len(targets) < 2 or targets[0] not in app_start or targets[1] not in app_start:
            continue
        a, b = app_start[targets[0]], app_start[targets[1]]

        def present(span: tuple[int, int]) -> tuple[str, ...]:
            return tuple(s for w, s in enumerate(sigla) if any(columns[c][w] is not None for c in range(*span)))

        links = tuple(zip(range(*a), range(*b)))
        out.append(Transposition(a, b, present(a), present(b), links))
    return out
