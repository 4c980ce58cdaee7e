"""Reading a TEI critical apparatus back into the model: ours, another tool's, or an edition's.

Offers:
    import_alignment(data, *, path, normalizer, options, notes)   the ``Alignment`` (table) the apparatus encodes
    import_apparatus(data, *, path, normalizer, options, notes)   its entries, as the source grouped them
    witness_extracts(tei, *, path, options, notes)                each witness's text read out of the apparatus
    is_bare_apparatus(root)                                       a non-TEI root holding ``app``s (CollateX's)

What is read. A ``TEI`` document (with or without the TEI namespace), CollateX's ``cx:apparatus`` and
CollateX's XML (``<root><app>…``). All three encodings of the Guidelines (TC 12.2): parallel segmentation;
double end-point (``app/@from``/``@to`` pointing at ``anchor``s in the base text: the base text between them
is the lemma); location-referenced (``app/@loc``: ``wN``, the Nth word, or ``page.line`` as ``pb``/``lb``
number them, the lemma found there in the base text). The method comes from ``variantEncoding``, else from
the content (anchored ``@from``/``@to``, or ``@loc``). ``app``s nested in a ``lem``/``rdg`` are read.

Witnesses. The ``listWit/witness``es (siglum ``@n``, else ``@xml:id``); without a ``listWit``, every siglum
met in ``@wit``. A siglum with a corrector's suffix (``044C``, ``424C2``, ``01C2a``, ``T``) that is not listed
is read as its witness (a correction: TEI witnesses give the text after correction), with a note. A first
hand cited apart (``01*``) is a witness of its own, ``01*``, that reads what ``01`` reads wherever the
apparatus does not cite it apart (with ``options.stage`` ``before``, ``01`` is the first hand instead). Any
other unlisted siglum is added as a witness, with a warning. A ``witDetail`` speaks for the witnesses it
names: lacunose, ambiguous (``Lacking.AMBIGUOUS``) or, of any other type, not cited. An ``app`` whose
readings are only ``ref``s to other apps (an order of them) is read as transpositions (``_orderings``). A ``lem`` without ``@wit`` is the edition's own text:
it becomes a witness of its own, ``ed.``, the base, whose text is every ``lem``.

Who reads what. In each ``app`` a witness reads the member naming it. A witness no member names reads the
lemma in a negative apparatus (the ``encodingDesc`` says "negative"; or, when it says neither "negative" nor
"positive", the ``app`` has a ``lem`` without ``@wit``); in a positive one it is not cited there
(``Lacking.NOT_CITED``, printed ``n.c.``), never an omission, except in CollateX's output, where an uncited
witness has no text there by construction. ``witStart``/``witEnd`` (not present), ``lacunaStart``/
``lacunaEnd``, ``witDetail type="lac"`` and an empty reading typed ``lac`` or holding only a ``gap``
(lacunose) are honoured: those columns are ``Alignment.lacking``, not omissions, and the text outside the
``app``s there is not the witness's. A reading that names the witness is its evidence whatever state the
markers leave it in; one the source itself types ``omission`` stays one. In ``tei.writer``'s own output the
markers only repeat what the columns say (the collation typed those readings), and ``witDetail`` carries
what is lacking.

The table: text outside ``app``s gives one column per token. In our own files an ``app``'s columns are
where the layout kept in ``xenoData`` by ``tei.writer`` puts them, so that collate → TEI → import gives back
the same table; in another tool's, an ``app`` whose readings differ in length has its readings' words aligned
with each other by the engine (without moves), each word under the word it varies from, and one whose
readings are all as long gives them word for word. Each source
``app`` is one entry (``Alignment.entries``, grouped by ``collate.engine.entries.build_entries``); an ``app``
nested in a reading adds its own columns there, inside its outer app's.
"""

from __future__ import annotations

import re
import sys
from copy import deepcopy
from bisect import bisect_right
from dataclasses import dataclass, field, replace
from typing import Callable

from lxml import etree

from collate.errors import InputError
from collate.engine.entries import build_entries
from collate.engine.graph import Options, align_witnesses
from collate.engine.lacunae import with_lacunae
from collate.engine.variants import build_apparatus
from collate.engine.model import (
    TYPE_ORDER, Alignment, Apparatus, Lack, Lacking, Token, Transposition, VariantLocation, VariantType, Witness,
    WitnessMeta,
)
from collate.engine.normalize import DEFAULT, Normalizer
from collate.engine.tokens import make_tokens, printed_apart

from .text import BREAKS, TEI_NS, Extract, Omission, Run, TeiOptions, extract_text, local_name, text_of, tokens_of, witness_meta
from .safe import parse
from .writer import LAYOUT_NS

__all__ = ["import_alignment", "import_apparatus", "witness_extracts", "is_bare_apparatus"]

_XML_ID = "{http://www.w3.org/XML/1998/namespace}id"
_T = f"{{{TEI_NS}}}"
_CX_NS = "http://interedition.eu/collatex/ns/1.0"
_READINGS = ("lem", "rdg", "rdgGrp")
_MARKERS = ("witStart", "witEnd", "lacunaStart", "lacunaEnd")
_LAC_TYPES = frozenset({"lac", "lacuna", "lacunose", "lacunae"})
# What a reading typed lacuna may hold as a label rather than the witness's words (ITSEE writes "lac").
_LAC_LABELS = frozenset({"lac", "lac.", "lacuna", "lacunose", "illeg", "illeg.", "illegible", "om", "om."})
_WIT_DETAIL = {
    "not-present": Lacking.NOT_PRESENT,
    "not-cited": Lacking.NOT_CITED,
    "def": Lacking.NOT_PRESENT,
    "ambiguous": Lacking.AMBIGUOUS,
}
# A corrector's or a hand's suffix on a siglum (NA28/ECM: 01*, 01C1, 044C, 424C2, 33T; a stage of a
# correction: 01C2a, 01C2b).
_CORRECTOR = re.compile(r"^(?P<base>.+?)(?P<hand>\*|[Cc]\d*[a-z]?|T|corr\d*)$")

Notes = Callable[[str], None]


def _stderr(path: str) -> Notes:
    def note(message: str) -> None:
        sys.stderr.write(f"note: {path}: {message}\n")

    return note


def _options(options: TeiOptions | None) -> TeiOptions:
    if options is None:
        return TeiOptions()
    return options


@dataclass(slots=True)
class _Source:
    """An apparatus, parsed: its witnesses and how ``@wit`` references name them."""

    tei: etree._Element
    text: etree._Element
    sigla: list[str]
    refs: dict[str, tuple[str, int]]  # a reference in @wit (without '#') → (siglum, rank: lower wins)
    meta: dict[str, WitnessMeta]
    collatex: bool = False
    negative: bool | None = None  # declared in the encodingDesc; None: not said
    edition: str | None = None  # siglum of the edition's own text (lem without @wit)
    own: bool = False  # written by tei.writer: its markers follow the collation's columns, its types are said
    # A witness's first hand cited apart (``01*``) is a witness of its own: base siglum → first hand's siglum.
    first_hands: dict[str, str] = field(default_factory=dict)
    cache: dict[int, object] = field(default_factory=dict)
    # The ``note``s of each app, by the columns it came to (``_table``), for the entries (``import_apparatus``).
    app_notes: dict[tuple[int, int], tuple[str, ...]] = field(default_factory=dict)
    # The type the source gives each witness's reading in an app (``@type`` on it or its ``rdgGrp``), by
    # the app's columns, where it is one of the types every output knows.
    app_types: dict[tuple[int, int], dict[str, VariantType]] = field(default_factory=dict)


def _refs(value: str | None) -> list[str]:
    return [v.lstrip("#") for v in (value or "").split()]


def _cited(source: _Source, value: str | None) -> list[tuple[str, int]]:
    """(siglum, rank) for each witness a ``@wit`` names: a witness cited plainly (``01``, both hands
    agreeing) names its first hand too, where that is a witness of its own (``01*``)."""
    out: list[tuple[str, int]] = []
    for r in _refs(value):
        if r in source.refs:
            siglum, rank = source.refs[r]
            out.append((siglum, rank))
            if rank == 1 and siglum in source.first_hands:
                out.append((source.first_hands[siglum], rank))
    return out


def _named(source: _Source, value: str | None) -> set[str]:
    """The sigla a ``@wit`` names (``_cited``)."""
    return {siglum for siglum, _ in _cited(source, value)}


def _names_of(source: _Source) -> dict[str, set[str]]:
    """Per siglum, the references in ``@wit`` that name it (its ids, sigla and hands read as it)."""
    names: dict[str, set[str]] = {siglum: set() for siglum in source.sigla}
    for ref, (siglum, _) in source.refs.items():
        names.setdefault(siglum, set()).add(ref)
    return names


def _in_tei_namespace(root: etree._Element) -> None:
    """Elements without a namespace (TEI written without one, CollateX's XML) are taken as TEI's."""
    for element in root.iter():
        tag = element.tag
        if isinstance(tag, str) and not tag.startswith("{"):
            element.tag = _T + tag


def _app_iter(root: etree._Element):
    return root.iter(f"{_T}app")


def _declared_method(tei: etree._Element) -> str | None:
    for v in tei.iter(f"{_T}variantEncoding"):
        return v.get("method")
    return None


def _method(tei: etree._Element, text: etree._Element, path: str) -> str:
    """The encoding: declared, or recognised by what the ``app``s point at."""
    declared = _declared_method(tei)
    ids = {e.get(_XML_ID): e for e in text.iter() if e.get(_XML_ID)}
    apps = list(_app_iter(text))
    if not apps and declared in ("double-end-point", "location-referenced", "parallel-segmentation"):
        return declared  # witnesses that agree throughout: the base text alone, in any encoding
    anchored = any(
        a.get("from") and local_name(ids.get(a.get("from", "").lstrip("#"), a)) == "anchor" for a in apps
    )
    located = any(a.get("loc") for a in apps)
    found = "double-end-point" if anchored else "location-referenced" if located else "parallel-segmentation"
    if declared in ("double-end-point", "location-referenced", "parallel-segmentation") and declared != found:
        if found == "parallel-segmentation" or declared == "parallel-segmentation":
            raise InputError(
                f"variantEncoding says {declared}, but the apps are encoded by {found}",
                path=path,
                line=tei.sourceline,
            )
    return found


def _locate(root: etree._Element, path: str) -> tuple[etree._Element, etree._Element, bool]:
    """(document, element holding the apparatus's text, whether CollateX wrote it)."""
    name = local_name(root)
    if name == "TEI":
        texts = [t for t in root if local_name(t) == "text"]
        if not texts:
            raise InputError("TEI document has no <text> element", path=path, line=root.sourceline)
        return root, texts[0], False
    if is_bare_apparatus(root):
        collatex = etree.QName(root).namespace == _CX_NS or (name == "root" and root.getparent() is None)
        return root, root, collatex
    raise InputError("not a TEI apparatus: no <TEI> root and no <app> in it", path=path, line=root.sourceline)


def _negative(tei: etree._Element) -> bool | None:
    for desc in tei.iter(f"{_T}encodingDesc"):
        words = text_of(desc).lower()
        if "negative apparatus" in words or "negative" in words.split():
            return True
        if "positive apparatus" in words or "positive" in words.split():
            return False
    return None


def _open(tei: etree._Element, text: etree._Element, path: str, collatex: bool, options: TeiOptions, notes: Notes) -> _Source:
    refs: dict[str, tuple[str, int]] = {}
    sigla: list[str] = []
    meta: dict[str, WitnessMeta] = {}
    witnesses = list(tei.iter(f"{_T}witness"))
    for w in witnesses:
        siglum = (w.get("n") or "").strip() or w.get(_XML_ID)
        if not siglum or siglum in meta:
            continue
        sigla.append(siglum)
        meta[siglum] = witness_meta(w, path)
        for key in (w.get(_XML_ID), w.get("n"), siglum):
            if key:
                refs.setdefault(key, (siglum, 1))
    source = _Source(tei, text, sigla, refs, meta, collatex, _negative(tei))
    source.own = any("collate-toolkit" in text_of(p) for p in tei.iter(f"{_T}publicationStmt"))
    for element in text.iter(f"{_T}lem", f"{_T}rdg", f"{_T}rdgGrp", f"{_T}witDetail", *(_T + m for m in _MARKERS)):
        for ref in _refs(element.get("wit")):
            if ref not in refs:
                _unlisted(source, ref, element, path, bool(witnesses), options, notes)
    if any(lem.get("wit") is None for lem in text.iter(f"{_T}lem")):
        edition = "ed."
        k = 1
        while edition in meta:
            k += 1
            edition = f"ed.-{k}"
        source.edition = edition
        sigla.insert(0, edition)
        meta[edition] = WitnessMeta(title="the edition's text (lemmata)", path=path)
    if not sigla:
        raise InputError("apparatus names no witnesses (no listWit, no @wit)", path=path, line=tei.sourceline)
    if source.negative is None and source.edition is not None:
        cited = _lemma_cited(text)
        if cited is not None:
            # An app whose reading repeats the lemma with its witnesses cites them positively: witnesses an
            # app names nowhere are not cited there, never silently given the lemma.
            source.negative = False
            notes(
                f"line {cited.sourceline}: a reading repeats the lemma with its witnesses: read as a positive "
                "apparatus (a witness an app does not name is not cited there, n.c.)"
            )
    return source


def _lemma_cited(text: etree._Element) -> etree._Element | None:
    """The first ``app`` whose ``lem`` (without ``@wit``) is repeated, word for word, by a ``rdg`` naming
    witnesses: the mark of a positive apparatus that keeps the editor's text apart."""
    for app in _app_iter(text):
        lemma = next((c for c in app if local_name(c) == "lem"), None)
        if lemma is None or lemma.get("wit") is not None:
            continue
        words = text_of(lemma).split()
        for c in app:
            if local_name(c) == "rdg" and (c.get("wit") or "").strip() and text_of(c).split() == words:
                return app
    return None


def _say_details(text: etree._Element, notes: Notes) -> None:
    """One note per kind of ``witDetail`` that is not a lacuna: what the witnesses it names read there."""
    kinds: dict[str, list[int]] = {}
    for detail in text.iter(f"{_T}witDetail"):
        kind = (detail.get("type") or "").lower()
        if (detail.get("wit") or "").strip() and kind not in _LAC_TYPES and _WIT_DETAIL.get(kind) in (None, Lacking.AMBIGUOUS):
            kinds.setdefault(kind, []).append(detail.sourceline or 0)
    for kind, lines in kinds.items():
        what = (
            "ambiguous there (amb.); the readings it weighs and any words it quotes are not collated"
            if _WIT_DETAIL.get(kind) is Lacking.AMBIGUOUS
            else "not cited there (n.c.), unless a reading names them"
        )
        notes(f'line {lines[0]}: witDetail type="{kind}" ({len(lines)}×): the witnesses it names are {what}')


def _unlisted(source: _Source, ref: str, element: etree._Element, path: str, listed: bool, options: TeiOptions, notes: Notes) -> None:
    refs = source.refs
    match = _CORRECTOR.match(ref)
    if match and match.group("base") in refs:
        siglum = refs[match.group("base")][0]
        first_hand = match.group("hand") == "*"
        before = options.stage == "before"
        if first_hand and not before:
            # The witness is its text after correction; its first hand, where the apparatus cites it apart,
            # is a witness of its own beside it, so that neither reading is lost.
            hand = source.first_hands.get(siglum)
            if hand is None:
                hand = source.first_hands[siglum] = ref
                source.sigla.insert(source.sigla.index(siglum) + 1, hand)
                source.meta[hand] = WitnessMeta(title=f"{siglum}, first hand", path=path)
                notes(
                    f"line {element.sourceline}: siglum {ref!r}, the first hand of {siglum!r}, is a witness of its "
                    f"own: it reads what {siglum!r} reads wherever the apparatus does not cite it apart, and "
                    f"{siglum!r} is the text after correction"
                )
            refs[ref] = (hand, 0)
            return
        rank = (0 if before else 2) if first_hand else (2 if before else 0)
        refs[ref] = (siglum, rank)
        what = "its first hand" if first_hand else "a correction"
        notes(f"line {element.sourceline}: siglum {ref!r} is read as witness {siglum!r} ({what})")
        return
    siglum = ref
    if match and listed:
        siglum = match.group("base")  # an unlisted witness cited by one of its hands: the witness is added
    if siglum not in source.meta:
        refs.setdefault(siglum, (siglum, 1))
        source.sigla.append(siglum)
        source.meta[siglum] = WitnessMeta(path=path)
        if listed:
            notes(f"warning: line {element.sourceline}: @wit names {ref!r}, which is not in listWit; added as witness {siglum!r}")
    if ref != siglum:
        refs[ref] = refs[siglum]


def is_bare_apparatus(root: etree._Element) -> bool:
    """A root that is not TEI's but holds ``app``s with ``@wit`` (CollateX's ``cx:apparatus`` or XML)."""
    return any(a.get("wit") for a in root.iter(f"{_T}rdg", f"{_T}lem", "rdg", "lem"))


# ----------------------------------------------------------------------------------------- who reads what


def _held(source: _Source, element: etree._Element) -> dict[str, int]:
    """Sigla a reading (or a reading group) names, with the rank of the reference naming each."""
    found: dict[str, int] = {}
    for siglum, rank in _cited(source, element.get("wit")):
        found[siglum] = min(rank, found.get(siglum, rank))
    if local_name(element) == "rdgGrp":
        for c in element:
            if local_name(c) in _READINGS:
                for siglum, rank in _held(source, c).items():
                    found[siglum] = min(rank, found.get(siglum, rank))
    return found


def _lemma_member(parent: etree._Element) -> etree._Element | None:
    for c in parent:
        name = local_name(c)
        if name == "lem":
            return c
        if name == "rdgGrp" and _lemma_member(c) is not None:
            return c
    return None


def _members(source: _Source, parent: etree._Element):
    key = parent  # the element itself: the id() of a freed lxml proxy can be reused by another element
    if key not in source.cache:
        best: dict[str, tuple[int, etree._Element]] = {}
        for c in parent:
            if local_name(c) not in _READINGS:
                continue
            for siglum, rank in _held(source, c).items():
                if siglum not in best or rank < best[siglum][0]:
                    best[siglum] = (rank, c)
        # Witnesses a ``witDetail`` of the app speaks for (lacunose, ambiguous, given by an overlapping
        # entry…): unless a reading names them too, they do not read the lemma by default.
        detailed = {siglum for c in parent if local_name(c) == "witDetail" for siglum in _named(source, c.get("wit"))}
        lemma = _lemma_member(parent)
        unwitnessed = lemma is not None and local_name(lemma) == "lem" and lemma.get("wit") is None
        if lemma is not None and local_name(lemma) == "rdgGrp":
            inner = lemma
            while local_name(inner) == "rdgGrp":
                inner = _lemma_member(inner)  # type: ignore[assignment]
            unwitnessed = inner.get("wit") is None
        source.cache[key] = ({s: c for s, (_, c) in best.items()}, lemma, unwitnessed, detailed)
    return source.cache[key]


def _selector(source: _Source, siglum: str):
    """``select(app)`` for one witness: the ``lem``/``rdg``/``rdgGrp`` holding its reading, or None."""

    def select(parent: etree._Element) -> etree._Element | None:
        by_siglum, lemma, unwitnessed, detailed = _members(source, parent)
        if siglum in by_siglum:
            return by_siglum[siglum]
        if siglum == source.edition or local_name(parent) == "rdgGrp":
            return lemma
        if siglum in detailed:
            return None
        negative = unwitnessed if source.negative is None else source.negative
        if lemma is not None and negative:
            return lemma
        return None

    return select


@dataclass(frozen=True, slots=True)
class _Read:
    extract: Extract
    apps: list[tuple[etree._Element, int, int]]
    markers: list[tuple[etree._Element, int]]
    nested: list[tuple[etree._Element, int, int]]


def _walk(source: _Source, path: str, options: TeiOptions) -> list[_Read]:
    out = []
    names = _names_of(source)
    for siglum in source.sigla:
        apps: list[tuple[etree._Element, int, int]] = []
        markers: list[tuple[etree._Element, int]] = []
        nested: list[tuple[etree._Element, int, int]] = []
        meta = source.meta[siglum]
        # A witness collated at a stage of its corrections (our listWit says which: ``note[@type="stage"]``)
        # reads its readings at that stage: collated before correction, its ``del`` words are its text.
        own = replace(options, stage=meta.stage) if meta.stage in ("after", "before") else options
        item = extract_text(
            source.text,
            siglum=siglum,
            meta=meta,
            options=own,
            path=path,
            select=_selector(source, siglum),
            apps=apps,
            markers=markers,
            nested=nested,
            editions=frozenset(names[siglum] | {siglum}),
        )
        out.append(_Read(item, apps, markers, nested))
    return out


def _prepare(root: etree._Element, path: str, options: TeiOptions, notes: Notes) -> _Source:
    """The apparatus with its ``app``s in the text (external encodings spliced in) and its witnesses."""
    _in_tei_namespace(root)
    tei, text, collatex = _locate(root, path)
    method = _method(tei, text, path)
    if method != "parallel-segmentation":
        bodies = [b for b in text if local_name(b) == "body"]
        if not bodies:
            raise InputError(f"{method} apparatus without a <body> holding the base text", path=path, line=text.sourceline)
        if method == "double-end-point":
            _splice_anchored(text, bodies[0], path)
        elif _anchored_by_us(text):
            # Our own location-referenced file also anchors each entry in the base text (``app-N-from``,
            # ``app-N-to``, beside its ``@loc``): it is placed exactly, as in double end-point.
            for app in _external_apps(text, bodies[0], spans=True):
                app.set("from", f"#{app.get(_XML_ID)}-from")
                app.set("to", f"#{app.get(_XML_ID)}-to")
                app.attrib.pop("loc", None)
            _splice_anchored(text, bodies[0], path)
        else:
            _splice_located(text, bodies[0], path, notes)
        text = bodies[0]
    _groups(tei, text, notes)
    _say_details(text, notes)  # as the source has them, before an ordering's entries are copied
    _orderings(text, notes)
    _unread(text, notes)
    return _open(tei, text, path, collatex, options, notes)


def _groups(tei: etree._Element, text: etree._Element, notes: Notes) -> None:
    """A ``listWit`` with an ``xml:id`` inside another (a group of witnesses) may be named in ``@wit``: it
    stands for its members, as the reference to it is rewritten to theirs."""
    groups: dict[str, list[str]] = {}
    for group in tei.iter(f"{_T}listWit"):
        ident = group.get(_XML_ID)
        if not ident or local_name(group.getparent()) != "listWit":
            continue
        members = [w.get(_XML_ID) or (w.get("n") or "").strip() for w in group.iter(f"{_T}witness")]
        members = [m for m in members if m]
        if members:
            groups[ident] = members
    if not groups:
        return
    used = 0
    for element in text.iter():
        if not isinstance(element.tag, str) or not element.get("wit"):
            continue
        refs = element.get("wit", "").split()
        if any(r.lstrip("#") in groups for r in refs):
            used += 1
            out: list[str] = []
            for r in refs:
                out += [f"#{m}" for m in groups[r.lstrip("#")]] if r.lstrip("#") in groups else [r]
            element.set("wit", " ".join(dict.fromkeys(out)))
    if used:
        said = "; ".join(f"{g} = {' '.join(m)}" for g, m in groups.items())
        notes(f"witness groups named in @wit ({used}×) read as their members: {said}")


def _unread(text: etree._Element, notes: Notes) -> None:
    """What the source gives that no witness reads, said: a reading typed lacuna that holds a word (ITSEE's
    ``<rdg type="lac">lac</rdg>``: the word is the editor's label, not the witness's text, and is left out),
    a reading that names no witness (left out), and ``note``s inside readings (not carried over; an app's
    own notes are its entry's, ``_as_the_source_says``)."""
    labels = 0
    for reading in text.iter(f"{_T}rdg", f"{_T}lem"):
        if (reading.get("type") or "").lower() in _LAC_TYPES and text_of(reading).strip().lower() in _LAC_LABELS:
            labels += 1
            for child in list(reading):
                reading.remove(child)
            reading.text = None
    if labels:
        notes(f"{labels} reading(s) typed lacuna hold a label (\"lac\"): read as the witness's lacuna, not as words")
    for reading in text.iter(f"{_T}rdg"):
        if not (reading.get("wit") or "").strip() and local_name(reading.getparent()) in ("app", "rdgGrp"):
            words = " ".join(text_of(reading).split())
            if words:
                notes(f"warning: line {reading.sourceline}: a reading names no witness ({words!r}); left out")
    inside = [n for r in text.iter(f"{_T}lem", f"{_T}rdg") for n in r.iter(f"{_T}note") if text_of(n).strip()]
    if inside:
        notes(
            f"{len(inside)} note(s) inside readings (the first on line {inside[0].sourceline}) are not carried into "
            "the apparatus"
        )



def _orderings(text: etree._Element, notes: Notes) -> None:
    """``app``s whose readings are only ``ref``s to other ``app``s: the order in which each reading's
    witnesses have those entries (a transposition of whole entries, as teiphy's examples write it). They
    hold no words, and their ``ref`` texts are never words. Each is rewritten as the rest of the reader
    understands it: for a reading that has the entries in another order, the entries it moves are copied,
    with its witnesses' readings only, to where it has them, its witnesses read nothing at the old place,
    the others nothing at the new, and a ``transpose`` links the two (``_transpositions``); a reading
    without one of the entries omits it. A note says what was read; an ordering the reader cannot place
    (an entry it names that is not an ``app`` of the file) is left out with a warning."""
    apps = list(_app_iter(text))
    by_id = {a.get(_XML_ID): a for a in apps if a.get(_XML_ID)}
    place = {id(a): k for k, a in enumerate(apps)}
    moves: etree._Element | None = None
    for app in apps:
        readings = [c for c in app if local_name(c) in ("lem", "rdg")]
        if not readings or not all(
            len(r) and all(local_name(c) == "ref" for c in r) and not (r.text or "").strip()
            and not any((c.tail or "").strip() for c in r)
            for r in readings
        ):
            continue
        orders = [[ref.get("target", "").lstrip("#") for ref in r] for r in readings]
        name = app.get(_XML_ID) or f"on line {app.sourceline}"
        _remove_keeping_tail(app)
        if not all(t in by_id for order in orders for t in order):
            said = "; ".join(f"{' '.join(o)} ({r.get('wit') or 'lemma'})" for o, r in zip(orders, readings))
            notes(f"warning: line {app.sourceline}: app {name} orders entries that are not apps of the file; left out: {said}")
            continue
        units = sorted({t for order in orders for t in order}, key=lambda t: place[id(by_id[t])])
        moved_any = []
        for reading, order in zip(readings, orders):
            wit = (reading.get("wit") or "").strip()
            if not wit:
                continue
            for unit in units:
                if unit not in order:  # the reading lacks the entry: its witnesses omit it
                    etree.SubElement(by_id[unit], f"{_T}rdg", wit=wit)
            kept = _increasing([place[id(by_id[t])] for t in order])
            for k, unit in enumerate(order):
                if k in kept:
                    continue
                source = by_id[unit]
                copy = _moved_copy(source, wit, f"{unit}-{len(moved_any) + 1}")
                after = next((by_id[t] for t in order[k + 1 :] if order.index(t) in kept), None)
                if after is not None:
                    after.addprevious(copy)
                else:
                    before = next(by_id[t] for t in reversed(order[:k]) if order.index(t) in kept)
                    before.addnext(copy)
                    copy.tail, before.tail = before.tail, " "
                # At the old place its witnesses read nothing: those a reading there names (one that only a
                # witDetail names, ambiguous or lacunose there, stays as that says).
                named = {r for m in source.iter(f"{_T}lem", f"{_T}rdg") for r in (m.get("wit") or "").split()}
                for member in source.iter(f"{_T}lem", f"{_T}rdg", f"{_T}witDetail"):
                    if local_name(member) != "witDetail":
                        _unname(member, wit)
                gone = [r for r in wit.split() if r in named]
                if gone:
                    etree.SubElement(source, f"{_T}rdg", wit=" ".join(gone))
                if moves is None:
                    moves = etree.SubElement(text, f"{_T}listTranspose")
                transpose = etree.SubElement(moves, f"{_T}transpose")
                etree.SubElement(transpose, f"{_T}ptr", target=f"#{unit}")
                etree.SubElement(transpose, f"{_T}ptr", target=f"#{copy.get(_XML_ID)}")
                moved_any.append(f"{unit} ({wit})")
        notes(
            f"line {app.sourceline}: app {name} orders other entries: "
            + ("read as transpositions of " + "; ".join(moved_any) if moved_any else "all in the order of the text")
        )


def _increasing(positions: list[int]) -> set[int]:
    """Indices of a longest increasing run (not necessarily contiguous) of ``positions``: the entries that
    keep their place; the others moved (the first such run found, for ties)."""
    best: list[list[int]] = []
    for k, value in enumerate(positions):
        chain = max((c for c in best if positions[c[-1]] < value), key=len, default=[])
        best.append(chain + [k])
    return set(max(best, key=len, default=[]))


def _moved_copy(app: etree._Element, wit: str, ident: str) -> etree._Element:
    """``app`` where the witnesses of ``wit`` have it: their readings only, the others' cited as nothing."""
    copy = deepcopy(app)
    copy.set(_XML_ID, ident)
    copy.tail = " "
    keep = set(wit.split())
    others: list[str] = []
    for member in list(copy):
        name = local_name(member)
        if name in ("lem", "rdg", "rdgGrp", "witDetail"):
            refs = (member.get("wit") or "").split()
            others += [r for r in refs if r not in keep and name != "witDetail"]
            mine = [r for r in refs if r in keep]
            if mine:
                member.set("wit", " ".join(mine))
                if name == "lem":
                    member.tag = f"{_T}rdg"  # the edition's lemma stands at the old place
            else:
                copy.remove(member)
        elif name == "note":
            copy.remove(member)
    # Nobody else has the entry here: an empty lemma (the edition's text, in a negative apparatus the
    # uncited witnesses') and, in a positive one, the others cited as reading nothing.
    copy.insert(0, etree.Element(f"{_T}lem"))
    if others:
        etree.SubElement(copy, f"{_T}rdg", wit=" ".join(dict.fromkeys(others)))
    return copy


def _unname(member: etree._Element, wit: str) -> None:
    """``wit``'s witnesses taken out of ``member``'s ``@wit`` (an element that names no one is removed)."""
    refs = (member.get("wit") or "").split()
    if not refs:
        return
    left = [r for r in refs if r not in set(wit.split())]
    if left:
        member.set("wit", " ".join(left))
    elif member.getparent() is not None:
        member.getparent().remove(member)


def _remove_keeping_tail(element: etree._Element) -> None:
    parent = element.getparent()
    if parent is None:
        return
    tail, previous = element.tail, element.getprevious()
    parent.remove(element)
    if tail:
        if previous is not None:
            previous.tail = (previous.tail or "") + tail
        else:
            parent.text = (parent.text or "") + tail


def witness_extracts(
    tei: etree._Element, *, path: str, options: TeiOptions | None = None, notes: Notes | None = None
) -> list[Extract]:
    """Each witness's text, read out of an apparatus (for re-collating it).

    Where the apparatus says a witness is lacunose or not present, its text is left out (the text outside
    ``app``s is every witness's otherwise), and a ``gap`` stands at the cut."""
    options = _options(options)
    source = _prepare(tei, path, options, notes or _stderr(path))
    walked = _walk(source, path, options)
    _, dropped = _table(source, walked, DEFAULT, path, notes or _stderr(path))
    return [_cut(read.extract, spans) for read, spans in zip(walked, dropped)]


def _cut(item: Extract, spans: list[tuple[int, int]]) -> Extract:
    """``item`` without the character ranges ``spans`` (sorted, disjoint); a gap where each was."""
    if not spans:
        return item
    pieces: list[str] = []
    kept = 0
    shifts: list[tuple[int, int, int]] = []  # (cut start, cut end, characters removed before the cut end)
    removed = 0
    for start, end in spans:
        pieces.append(item.text[kept:start])
        removed += end - start
        shifts.append((start, end, removed))
        kept = end
    pieces.append(item.text[kept:])

    def moved(offset: int) -> int:
        before = 0
        for start, end, total in shifts:
            if offset < start:
                break
            if offset < end:
                return start - (total - (end - start))
            before = total
        return offset - before

    runs: dict[int, Run] = {}
    for run in item.runs:
        runs[moved(run.start)] = Run(moved(run.start), run.element, run.page, run.line, run.file_line, run.flags)
    text = "".join(pieces)
    gaps = sorted({moved(g) for g in item.gaps} | {start - (total - (end - start)) for start, end, total in shifts})
    omissions = tuple(
        Omission(o.kind, o.element, o.text, moved(o.offset), o.page, o.line, o.file_line) for o in item.omissions
    )
    return Extract(item.siglum, item.meta, text, tuple(runs[k] for k in sorted(runs)), omissions, tuple(gaps), item.file_line)


# ------------------------------------------------------------------------------- external encodings → inline


def _external_apps(text: etree._Element, body: etree._Element, *, spans: bool = False) -> list[etree._Element]:
    """The apparatus entries outside the body. Our own spans (an outer entry over a long absence,
    ``@subtype="span"``) overlap the entries inside them: in double end-point (``spans``) they are spliced
    in too, outermost first, and the entries inside them are then spliced into their readings, as the
    parallel segmentation nests them; by ``@loc`` alone they cannot be placed, and the table's layout
    already gives their columns."""
    apps = [a for a in _app_iter(text) if not _inside(a, body) and not _nested(a)]
    if not _ours(text):
        return apps
    if not spans:
        return [a for a in apps if a.get("subtype") != "span"]
    # The listing is in reading order with a span before the entries inside it: spans first keeps that.
    return [a for a in apps if a.get("subtype") == "span"] + [a for a in apps if a.get("subtype") != "span"]


def _ours(text: etree._Element) -> bool:
    """Whether the apparatus is our own: its header holds our table's layout."""
    return any(True for _ in text.getroottree().iter(f"{{{LAYOUT_NS}}}alignment"))


def _anchored_by_us(text: etree._Element) -> bool:
    """Whether a location-referenced apparatus anchors every entry in its base text, as our own does
    (``app-N-from``, ``app-N-to``; its header holds our table's layout only where there is one to give)."""
    ids = {e.get(_XML_ID) for e in text.iter(f"{_T}anchor")}
    apps = [a.get(_XML_ID) for a in _app_iter(text)]
    return bool(apps) and all(a is not None and f"{a}-from" in ids and f"{a}-to" in ids for a in apps)


def _inside(element: etree._Element, ancestor: etree._Element) -> bool:
    parent = element.getparent()
    while parent is not None:
        if parent is ancestor:
            return True
        parent = parent.getparent()
    return False


def _lemma_into(app: etree._Element, content: list, text: str | None) -> None:
    """The app's ``lem`` holds ``text`` and ``content`` (the base text's own stretch); one is made if none."""
    lem = next((c for c in app if local_name(c) == "lem"), None)
    if lem is None:
        group = next((c for c in app if local_name(c) == "rdgGrp" and _lemma_member(c) is not None), None)
        if group is not None:
            lem = next(c for c in group.iter(f"{_T}lem"))
    if lem is None:
        lem = etree.Element(f"{_T}lem")
        app.insert(0, lem)
    for c in list(lem):
        lem.remove(c)
    lem.text = text
    for node in content:
        lem.append(node)


def _lemma_text(lem: etree._Element) -> str:
    """The text a ``lem`` reads: an app spliced into it reads its own lemma, not every reading and the
    indentation between them, as ``itertext`` would give."""
    out = [lem.text or ""]
    for child in lem:
        if local_name(child) == "app":
            inner = next(child.iter(f"{_T}lem"), None)
            out.append(_lemma_text(inner) if inner is not None else "")
        elif isinstance(child.tag, str):
            out.append(_lemma_text(child))
        out.append(child.tail or "")
    return "".join(out)


def _splice_anchored(text: etree._Element, body: etree._Element, path: str) -> None:
    """Double end-point: each app replaces the base text between its two anchors."""
    # An anchor may also stand in another app's reading: the entries inside a span the base lacks.
    ids = {e.get(_XML_ID): e for e in text.iter() if e.get(_XML_ID)}
    for app in _external_apps(text, body, spans=True):
        start = ids.get((app.get("from") or "").lstrip("#"))
        end = ids.get((app.get("to") or app.get("from") or "").lstrip("#"))
        if start is None or end is None:
            raise InputError(
                f"app/@from or @to points at no element of the base text ({app.get('from')!r}, {app.get('to')!r})",
                path=path,
                line=app.sourceline,
            )
        parent = start.getparent()
        if end.getparent() is not parent or (end is not start and parent.index(end) < parent.index(start)):
            raise InputError(
                "app/@from and @to point at anchors that are not in one paragraph in reading order",
                path=path,
                line=app.sourceline,
            )
        app.getparent().remove(app)
        app.attrib.pop("from", None)
        app.attrib.pop("to", None)
        previous = start.getprevious()
        before = (previous.tail if previous is not None else parent.text) or ""
        if end is start:
            _lemma_into(app, [], None)
            after = start.tail or ""
            parent.replace(start, app)
        else:
            i, j = parent.index(start), parent.index(end)
            inner = list(parent[i + 1 : j])
            for node in inner:
                parent.remove(node)
            _lemma_into(app, inner, start.tail)
            after = end.tail or ""
            parent.remove(end)
            parent.replace(start, app)
        # The base text runs on across an anchor (``mind<anchor/>, than``), but another reading may not
        # (``mind`` + ``has``): the app stands apart unless the anchor falls inside a word of the base.
        lem = next(app.iter(f"{_T}lem"), None)
        lemma = _lemma_text(lem) if lem is not None else ""
        if before:
            edge: str | None = before[-1]
        elif previous is not None and local_name(previous) == "app":
            # Right after an app spliced in before: its lemma's last letter, if it has one (an empty
            # lemma, an addition, says nothing of what its readings end with).
            last = next(previous.iter(f"{_T}lem"), None)
            edge = (_lemma_text(last) if last is not None else "")[-1:] or None
            if edge is not None and edge.isspace():
                edge = None  # the base's reading ends in a space inside that app, its others may not (an addition)
        else:
            edge = " "  # the paragraph's start, or a break (lb, pb) that ends the word before
        if edge is None or not (edge.isspace() or (edge.isalnum() and lemma[:1].isalnum())):
            if previous is not None:
                previous.tail = before + " "
            else:
                parent.text = before + " "
        glued = after[:1].isalnum() and lemma[-1:].isalnum()
        following = app.getnext()
        if not after and following is not None and local_name(following) in BREAKS and following.get("break") != "no":
            # A line or page break right after the anchor (``<anchor/><lb/>tbe``): whitespace decides whether it
            # ends a word, and the base had none to give, being at the start of its line; a reading spliced in
            # here ends its own words.
            app.tail = " "
        elif not after and following is not None and local_name(following) == "app":
            # An app spliced in before (a span first): the two stand apart unless the base runs on inside a
            # word from one lemma into the other.
            first = next(following.iter(f"{_T}lem"), None)
            opening = _lemma_text(first)[:1] if first is not None else ""
            app.tail = "" if lemma[-1:].isalnum() and opening.isalnum() else " "
        else:
            app.tail = after if not after or after[0].isspace() or glued else " " + after


def _splice_located(text: etree._Element, body: etree._Element, path: str, notes: Notes) -> None:
    """Location-referenced: each app's lemma is found in the base text at its ``@loc``; the body is rebuilt
    as the base's text (its ``pb``/``lb`` kept) with the apps in place."""
    apps = _external_apps(text, body)
    base = extract_text(body, siglum="base", meta=WitnessMeta(), options=TeiOptions(), path=path)
    tokens = tokens_of(base)
    placed: list[tuple[int, int, etree._Element]] = []
    cursor = 0
    for app in apps:
        loc = (app.get("loc") or "").split()
        if not loc:
            raise InputError("app has no @loc in a location-referenced apparatus", path=path, line=app.sourceline)
        region = _region(tokens, loc)
        if not region:
            raise InputError(f"app/@loc {' '.join(loc)!r} matches no word of the base text", path=path, line=app.sourceline)
        lem = next(iter(app.iter(f"{_T}lem")), None)
        if lem is None:
            raise InputError("app without a lem cannot be placed by its @loc", path=path, line=app.sourceline)
        lemma = [t.norm for t in make_tokens(text_of(lem), "lem")]
        where = _find(tokens, lemma, region, cursor)
        if where is None:
            raise InputError(
                f"lemma {text_of(lem)!r} not found in the base text at @loc {' '.join(loc)!r}",
                path=path,
                line=app.sourceline,
            )
        if not lemma:
            notes(f"line {app.sourceline}: empty lemma at @loc {' '.join(loc)!r} placed after word {where}")
        placed.append((where, where + len(lemma), app))
        cursor = where + len(lemma)
    for app in apps:
        app.getparent().remove(app)
        app.attrib.pop("loc", None)
    for child in list(body):
        body.remove(child)
    body.text = None
    p = etree.SubElement(body, f"{_T}p")
    last: etree._Element | None = None
    page = line = None

    def add_text(value: str) -> None:
        if last is None:
            p.text = (p.text or "") + value
        else:
            last.tail = (last.tail or "") + value

    def add_tokens(run: list[Token]) -> None:
        nonlocal last, page, line
        for k, token in enumerate(run):
            src = token.source
            if src.page is not None and src.page != page:
                last = etree.SubElement(p, f"{_T}pb", n=src.page)
                page = src.page
            if src.line is not None and src.line != line:
                last = etree.SubElement(p, f"{_T}lb", n=src.line)
                line = src.line
            # As printed (no space before a comma), unless the two would read back as one token (``, ,``).
            add_text((" " if k and printed_apart(run[k - 1].text, token.text) else "") + token.text)

    k = 0
    for s, e, app in placed:
        add_tokens(list(tokens[k:s]))
        add_text(" ")
        p.append(app)
        last = app
        add_text(" ")
        k = e
    add_tokens(list(tokens[k:]))


def _region(tokens: tuple[Token, ...], loc: list[str]) -> list[int]:
    """Token positions that ``@loc`` names: ``wN`` (Nth word), ``page.line``, or a line or page number."""

    def hits(ref: str) -> list[int]:
        if re.fullmatch(r"w\d+", ref):
            n = int(ref[1:]) - 1
            return [n] if 0 <= n < len(tokens) else []
        if "." in ref:
            page, _, line = ref.rpartition(".")
            found = [i for i, t in enumerate(tokens) if t.source.page == page and t.source.line == line]
            if found:
                return found
        return [i for i, t in enumerate(tokens) if t.source.line == ref] or [
            i for i, t in enumerate(tokens) if t.source.page == ref
        ]

    first, last = hits(loc[0]), hits(loc[-1])
    if not first or not last:
        return []
    return list(range(first[0], max(last[-1], first[-1]) + 1))


def _find(tokens: tuple[Token, ...], lemma: list[str], region: list[int], cursor: int) -> int | None:
    if not lemma:
        # An addition cited by the word before it (our writer), or by its line: after the region's first
        # word at or past the cursor.
        after = [i for i in region if i >= cursor - 1]
        return (after[0] + 1) if after else None
    starts = [i for i in region if i >= cursor] or region
    for i in starts:
        if [t.norm for t in tokens[i : i + len(lemma)]] == lemma:
            return i
    return None


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
    tokens: list[list[Token]],
    hint: tuple[int | None, dict[str, list[int]]] | None,
    ids: list[set[str]],
    align: bool = True,
) -> list[list[int | None]]:
    """Columns for one part: where the layout puts them (our own files); else each witness's tokens in the
    first columns, or, with ``align``, aligned with each other (``_aligned``)."""
    width = max((len(t) for t in tokens), default=0)
    limit = sum(len(t) for t in tokens)  # no placement needs more columns than the part has tokens
    places: list[list[int]] = [list(range(len(t))) for t in tokens]
    aligned = _aligned(tokens) if hint is None and align else None
    if aligned is not None:
        places = aligned
        width = max(p[-1] + 1 for p in places if p)
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


def _aligned(tokens: list[list[Token]]) -> list[list[int]] | None:
    """For a part whose readings differ in length (an entry of another tool's apparatus), each witness's
    columns with its words aligned with the others' by the engine (no moves inside one entry), so that a
    word stands under the word it varies from (``ινα πληρωθη παν`` under ``ινα πληρωθητε εις παν``: not
    ``παν`` under ``εις`` and an omission of the last word). None where the first columns are right: every
    reading as long as the others (word for word), or only one reading."""
    shapes: dict[tuple[str, ...], list[int]] = {}
    for w, part in enumerate(tokens):
        if part:
            shapes.setdefault(tuple(t.norm for t in part), []).append(w)
    if len({len(shape) for shape in shapes}) < 2:
        return None
    readings = list(shapes.values())
    witnesses = [
        Witness(f"r{k:06d}", tuple(t._replace(siglum=f"r{k:06d}", index=i) for i, t in enumerate(tokens[ws[0]])))
        for k, ws in enumerate(readings)
    ]
    places: list[list[int]] = [[] for _ in tokens]
    for c, column in enumerate(align_witnesses(witnesses, Options(max_move=0)).columns):
        for k, i in enumerate(column):
            if i is not None:
                for w in readings[k]:
                    places[w].append(c)
    return places


def import_alignment(
    data: bytes,
    *,
    path: str,
    normalizer: Normalizer = DEFAULT,
    options: TeiOptions | None = None,
    notes: Notes | None = None,
) -> Alignment:
    """The alignment table an apparatus encodes (with its entries and where witnesses lack the text)."""
    return _import(data, path=path, normalizer=normalizer, options=_options(options), notes=notes)[0]


def import_apparatus(
    data: bytes,
    *,
    path: str,
    normalizer: Normalizer = DEFAULT,
    options: TeiOptions | None = None,
    notes: Notes | None = None,
) -> Apparatus:
    """The apparatus: each source ``app`` one entry, the lemma witness (or the edition's text) as base.

    ``notes`` receives what the reader should know (sigla read as another witness's hand, witnesses added);
    by default they go to stderr."""
    alignment, base, app_notes, app_types = _import(
        data, path=path, normalizer=normalizer, options=_options(options), notes=notes
    )
    if LAYOUT_NS.encode() in data and all(lack.kind is not Lacking.NOT_CITED for lack in alignment.lacking):
        # Written by this toolkit from a collation: its entries are the engine's grouping of the very table
        # read back (spans over long absences included), so grouping it again gives them exactly. Its
        # lacunae were a witness's gaps, and are so again; where a witness begins late or ends early, the
        # table says it.
        return with_lacunae(build_apparatus(_gaps_from_lacks(alignment), base))
    return _as_the_source_says(build_entries(alignment, base), app_notes, app_types)


def _as_the_source_says(
    apparatus: Apparatus,
    app_notes: dict[tuple[int, int], tuple[str, ...]],
    app_types: dict[tuple[int, int], dict[str, VariantType]],
) -> Apparatus:
    """The source apps' ``note``s on the entries they became (an app nested in a reading: on its outer one),
    and the types the source gives their readings, where every witness of one of our readings has the same
    (the edition's classification, not ours; the entry's type is then its readings' most significant)."""
    if not app_notes and not app_types:
        return apparatus
    parts = []
    for part in apparatus.parts:
        if isinstance(part, VariantLocation):
            said = tuple(
                n for (s, e), ns in sorted(app_notes.items()) if part.start <= s and e <= part.end and s < e for n in ns
            )
            if said:
                part = replace(part, notes=part.notes + said)
            typed = app_types.get((part.start, part.end))
            if typed:
                readings = []
                for r in part.readings:
                    kinds = {typed.get(s) for s in r.sigla}
                    kind = kinds.pop() if len(kinds) == 1 else None
                    readings.append(r if kind is None or r.type is VariantType.TRANSPOSITION else replace(r, type=kind))
                present = {r.type for r in readings}
                overall = next((t for t in TYPE_ORDER if t in present), part.type)
                part = replace(part, readings=tuple(readings), type=overall)
        parts.append(part)
    return replace(apparatus, parts=tuple(parts))


# The source's reading types every output knows, by the names apparatuses give them.
_SOURCE_TYPES = {
    "orthographic": VariantType.ORTHOGRAPHIC, "orth": VariantType.ORTHOGRAPHIC, "spelling": VariantType.ORTHOGRAPHIC,
    "substantive": VariantType.SUBSTANTIVE, "subst": VariantType.SUBSTANTIVE,
    "omission": VariantType.OMISSION, "om": VariantType.OMISSION,
    "addition": VariantType.ADDITION, "add": VariantType.ADDITION,
    "transposition": VariantType.TRANSPOSITION, "transp": VariantType.TRANSPOSITION,
    "punctuation": VariantType.PUNCTUATION,
    "lacuna": VariantType.LACUNA,
}


def _source_type(member: etree._Element) -> VariantType | None:
    """The type the source gives a reading (its own ``@type``, else its ``rdgGrp``'s), if every output knows it."""
    element: etree._Element | None = member
    while element is not None and local_name(element) in ("lem", "rdg", "rdgGrp"):
        kind = (element.get("type") or "").strip().lower()
        if kind:
            return _SOURCE_TYPES.get(kind)
        element = element.getparent()
    return None


def _gaps_from_lacks(alignment: Alignment) -> Alignment:
    """The table with each lacunose run turned back into its witness's gap: the token before it flagged
    ``gap-after``, the token after it ``gap`` (as a TEI reader flags them), and no ``lacking`` runs left."""
    add: dict[tuple[int, int], str] = {}
    sigla = alignment.sigla
    for lack in alignment.lacking:
        if lack.kind is not Lacking.LACUNOSE:
            continue
        w = sigla.index(lack.witness)
        before = next((col[w] for col in reversed(alignment.columns[: lack.start]) if col[w] is not None), None)
        after = next((col[w] for col in alignment.columns[lack.end :] if col[w] is not None), None)
        if before is not None:
            add[w, before] = "gap-after"
        if after is not None:
            add[w, after] = "gap"
    if not add and not alignment.lacking:
        return alignment
    witnesses = []
    for w, witness in enumerate(alignment.witnesses):
        tokens = tuple(
            t._replace(source=t.source._replace(flags=t.source.flags | {add[w, i]})) if (w, i) in add else t
            for i, t in enumerate(witness.tokens)
        )
        witnesses.append(Witness(witness.siglum, tokens, witness.meta))
    return Alignment(tuple(witnesses), alignment.columns, alignment.transpositions)


def _boundary(tokens: list[Token], cols: list[int], offset: int, start: int, end: int, opens: bool) -> int:
    """The column boundary where a marker at character ``offset`` stands among a witness's tokens of one part.

    ``cols`` are the columns of ``tokens``; ``start:end`` the part's columns. A marker that opens a lack
    (``lacunaStart``, ``witEnd``) stands after the tokens before it; one that closes it, before the token
    after it, or at the part's end when the witness reads nothing more there."""
    j = sum(1 for t in tokens if t.source.start < offset)
    if opens:
        return cols[j - 1] + 1 if j else start
    if j < len(tokens):
        return cols[j]
    return cols[j - 1] + 1 if j else end


def _typed_omission(marker: etree._Element) -> bool:
    parent = marker.getparent()
    while parent is not None and local_name(parent) not in ("lem", "rdg", "app"):
        parent = parent.getparent()
    return parent is not None and local_name(parent) in ("lem", "rdg") and parent.get("type") == "omission"


def _import(
    data: bytes, *, path: str, normalizer: Normalizer, options: TeiOptions, notes: Notes | None
) -> tuple[Alignment, str, dict[tuple[int, int], tuple[str, ...]], dict[tuple[int, int], dict[str, VariantType]]]:
    """The table, the base's siglum, and the source apps' notes and reading types by their columns."""
    root = parse(data, path).getroot()
    source = _prepare(root, path, options, notes or _stderr(path))
    alignment, _ = _table(source, _walk(source, path, options), normalizer, path, notes or _stderr(path))
    return alignment, source.edition or _base(source), source.app_notes, source.app_types


def _table(
    source: _Source, walked: list[_Read], normalizer: Normalizer, path: str, notes: Notes
) -> tuple[Alignment, list[list[tuple[int, int]]]]:
    """The alignment, and per witness the character ranges of its text left out as lacunose/not present."""
    tei = source.tei
    order = [a for a in _app_iter(source.text) if not _nested(a)]
    position = {id(a): k for k, a in enumerate(order)}

    witnesses: list[Witness] = []
    # parts[w][p]: witness w's tokens in part p; parts alternate: text, app 0, text, app 1, …, text.
    parts: list[list[list[Token]]] = []
    for read in walked:
        item = read.extract
        tokens = tokens_of(item, normalizer=normalizer)
        if not tokens:
            if not any(r.extract.text.strip() for r in walked):
                raise InputError("no witness has any text in the apparatus", path=path)
            # An excerpt of an apparatus may cite a witness only where it is lacunose or omits: it stays,
            # and every entry says why it has no words there.
            notes(f"warning: witness {item.siglum!r} has no words anywhere in the apparatus; it is kept, without text")
        witnesses.append(Witness(item.siglum, tokens, item.meta))
        mine: list[list[Token]] = [[] for _ in range(2 * len(order) + 1)]
        where = _Parts(read.apps, position)
        for token in tokens:
            mine[where.of(token.source.start)].append(token)
        parts.append(mine)

    layout, moves = _layout(tei, path)
    names = _names_of(source)
    ids = [names[siglum] for siglum in source.sigla]
    columns: list[tuple[int | None, ...]] = []
    app_start: dict[str, tuple[int, int]] = {}
    spans: list[tuple[int, int]] = []
    for p in range(2 * len(order) + 1):
        tokens = [parts[w][p] for w in range(len(witnesses))]
        hint = None
        app_id = None
        if p % 2:
            app_id = order[p // 2].get(_XML_ID)
            hint = layout.get(app_id or "")
        start = len(columns)
        columns.extend(tuple(c) for c in _place(tokens, hint, ids, align=not source.own))
        spans.append((start, len(columns)))
        if app_id:
            app_start[app_id] = (start, len(columns))

    for k, app in enumerate(order):
        said = tuple(" ".join(text_of(n).split()) for n in app if local_name(n) == "note" and text_of(n).strip())
        if said:
            source.app_notes[spans[2 * k + 1]] = said
        typed = {}
        for siglum, member in _members(source, app)[0].items():
            kind = _source_type(member)
            if kind is not None:
                typed[siglum] = kind
        if typed:
            source.app_types[spans[2 * k + 1]] = typed
    found = _lacks(source, walked, parts, columns, spans, order, position)
    # A reading that names the witness is its evidence, whatever state its markers leave it in.
    named = [
        {c for k, app in enumerate(order) if siglum in _members(source, app)[0] for c in range(*spans[2 * k + 1])}
        for siglum in source.sigla
    ]
    kept, columns = _blank(witnesses, columns, found, source.sigla, named)
    dropped = []
    for before, after in zip(witnesses, kept):
        remaining = {t.source.start for t in after.tokens}
        cut: list[tuple[int, int]] = []
        previous_dropped = False
        for t in before.tokens:
            if t.source.start in remaining:
                previous_dropped = False
                continue
            if previous_dropped:
                cut[-1] = (cut[-1][0], t.source.end)  # one cut over neighbouring tokens and what is between
            else:
                cut.append((t.source.start, t.source.end))
            previous_dropped = True
        dropped.append(cut)
    sigla = [w.siglum for w in kept]
    lacking = _restrict(found, columns, source.sigla)
    entries = tuple(spans[p] for p in range(1, len(spans), 2) if spans[p][0] < spans[p][1])
    entries += _nested_entries(walked, kept, columns, source.sigla)
    transpositions = _transpositions(tei, moves, app_start, columns, source, sigla, path)
    return Alignment(tuple(kept), tuple(columns), tuple(transpositions), lacking, entries), dropped


class _Parts:
    """Which part (text before app 0, app 0, text, app 1, …) holds a character offset of one witness."""

    def __init__(self, apps: list[tuple[etree._Element, int, int]], position: dict[int, int]) -> None:
        self.position = position
        self.ranges = sorted((position[id(a)], s, e) for a, s, e in apps if id(a) in position)
        self.starts = [s for _, s, _ in self.ranges]

    def of(self, offset: int, app: etree._Element | None = None) -> int:
        if app is not None and id(app) in self.position:
            return 2 * self.position[id(app)] + 1
        r = bisect_right(self.starts, offset) - 1
        if r >= 0 and offset < self.ranges[r][2]:
            return 2 * self.ranges[r][0] + 1
        after = self.ranges[r][0] if r >= 0 else -1
        return 2 * after + 2


def _outer_app(element: etree._Element) -> etree._Element | None:
    found = None
    parent = element.getparent()
    while parent is not None:
        if local_name(parent) == "app":
            found = parent
        parent = parent.getparent()
    return found


_PRIORITY = {Lacking.LACUNOSE: 0, Lacking.NOT_PRESENT: 1, Lacking.AMBIGUOUS: 2, Lacking.NOT_CITED: 3}


def _blank(
    witnesses: list[Witness],
    columns: list[tuple[int | None, ...]],
    found: list[tuple[str, int, int, Lacking]],
    sigla: list[str],
    named: list[set[int]],
) -> tuple[list[Witness], list[tuple[int | None, ...]]]:
    """A witness has no text where it is lacunose or not present, though text outside ``app``s (read by
    every witness) or a lemma read by default put some there: those tokens go (not those of a reading that
    names the witness, ``named``), and the witness's tokens are numbered again."""
    drop: list[set[int]] = [set() for _ in sigla]
    index = {s: w for w, s in enumerate(sigla)}
    for siglum, s, e, why in found:
        if why is not Lacking.NOT_CITED:
            w = index[siglum]
            drop[w].update(c for c in range(s, e) if c not in named[w])
    if not any(drop):
        return witnesses, columns
    table = [list(c) for c in columns]
    out = []
    for w, witness in enumerate(witnesses):
        kept: list[Token] = []
        for c, column in enumerate(table):
            i = column[w]
            if i is None:
                continue
            if c in drop[w]:
                column[w] = None
            else:
                column[w] = len(kept)
                kept.append(witness.tokens[i]._replace(index=len(kept)))
        out.append(Witness(witness.siglum, tuple(kept), witness.meta))
    return out, [tuple(c) for c in table]


def _lacks(
    source: _Source,
    walked: list[_Read],
    parts: list[list[list[Token]]],
    columns: list[tuple[int | None, ...]],
    spans: list[tuple[int, int]],
    order: list[etree._Element],
    position: dict[int, int],
) -> list[tuple[str, int, int, Lacking]]:
    """Where each witness lacks the text, from markers, ``witDetail`` and uncited positive entries."""
    width = len(columns)
    found: list[tuple[str, int, int, Lacking]] = []
    for w, read in enumerate(walked):
        siglum = read.extract.siglum
        col_of: dict[int, int] = {}
        for c, column in enumerate(columns):
            if column[w] is not None:
                col_of[column[w]] = c
        events: list[tuple[int, int, str]] = []
        where = _Parts(read.apps, position)
        for seq, (marker, offset) in enumerate(read.markers):
            wit = _refs(marker.get("wit"))
            if wit and siglum not in _named(source, marker.get("wit")):
                continue
            if source.own or _typed_omission(marker):
                continue
            name = local_name(marker) or ""
            p = where.of(offset, _outer_app(marker))
            mine = parts[w][p]
            cols = [col_of[t.index] for t in mine]
            b = _boundary(mine, cols, offset, *spans[p], opens=name in ("lacunaStart", "witEnd"))
            events.append((b, seq, name))
        for k, app in enumerate(order):
            for marker in app:
                name = local_name(marker) or ""
                if name in _MARKERS and siglum in _named(source, marker.get("wit")):
                    # Beside the readings rather than in one: the witness's state changes as the app begins.
                    events.append((spans[2 * k + 1][0], len(read.markers) + k, name))
        events.sort()
        wit_names = [n for _, _, n in events if n in ("witStart", "witEnd")]
        absent_from: int | None = 0 if wit_names and wit_names[0] == "witStart" else None
        lacuna_from: int | None = None
        for b, _, name in events:
            if name == "lacunaStart":
                lacuna_from = b
            elif name == "lacunaEnd":
                found.append((siglum, 0 if lacuna_from is None else lacuna_from, b, Lacking.LACUNOSE))
                lacuna_from = None
            elif name == "witEnd":
                absent_from = b
            elif name == "witStart" and absent_from is not None:
                found.append((siglum, absent_from, b, Lacking.NOT_PRESENT))
                absent_from = None
        if lacuna_from is not None:
            found.append((siglum, lacuna_from, width, Lacking.LACUNOSE))
        if absent_from is not None:
            found.append((siglum, absent_from, width, Lacking.NOT_PRESENT))
        select = _selector(source, siglum)
        for k, app in enumerate(order):
            s, e = spans[2 * k + 1]
            if s == e:
                continue
            for detail in app.iter(f"{_T}witDetail"):
                kind = (detail.get("type") or "").lower()
                why = Lacking.LACUNOSE if kind in _LAC_TYPES else _WIT_DETAIL.get(kind)
                if why is not None and siglum in _named(source, detail.get("wit")):
                    found.append((siglum, s, e, why))
            chosen = select(app)
            if chosen is None:
                if not source.collatex:
                    found.append((siglum, s, e, Lacking.NOT_CITED))
            elif not parts[w][2 * k + 1] and (
                (chosen.get("type") or "").lower() in _LAC_TYPES or any(True for _ in chosen.iter(f"{_T}gap"))
            ):
                # ``<rdg type="lac"/>`` or a reading that is only a ``gap``: the witness cannot be read here.
                found.append((siglum, s, e, Lacking.LACUNOSE))
    return found


def _restrict(found: list[tuple[str, int, int, Lacking]], columns: list[tuple[int | None, ...]], sigla: list[str]) -> tuple[Lack, ...]:
    """The lacking ranges, cut to the columns where the witness has no token (the most telling kind first)."""
    out: list[Lack] = []
    index = {s: w for w, s in enumerate(sigla)}
    for siglum, s, e, why in sorted(found, key=lambda f: (_PRIORITY[f[3]], index[f[0]], f[1])):
        w = index[siglum]
        c = s
        while c < e:
            if columns[c][w] is None:
                d = c
                while d < e and columns[d][w] is None:
                    d += 1
                out.append(Lack(siglum, c, d, why))
                c = d
            else:
                c += 1
    return tuple(out)


def _nested_entries(
    walked: list[_Read], kept: list[Witness], columns: list[tuple[int | None, ...]], sigla: list[str]
) -> tuple[tuple[int, int], ...]:
    """The columns of each ``app`` nested in a reading: those of the tokens it gave any witness. They stand
    in ``Alignment.entries`` inside their outer app's range, for grouping that nests entries."""
    spread: dict[int, list[int]] = {}
    first: dict[int, int] = {}
    for w, (read, witness) in enumerate(zip(walked, kept)):
        col_of = {column[w]: c for c, column in enumerate(columns) if column[w] is not None}
        starts = [t.source.start for t in witness.tokens]
        for app, s, e in read.nested:
            lo, hi = bisect_right(starts, s - 1), bisect_right(starts, e - 1)
            cols = [col_of[i] for i in range(lo, hi)]
            first.setdefault(id(app), len(first))
            if cols:
                spread.setdefault(id(app), []).extend(cols)
    ranges = [(min(c), max(c) + 1) for key, c in sorted(spread.items(), key=lambda item: first[item[0]])]
    return tuple(dict.fromkeys(ranges))


def _nested(app: etree._Element) -> bool:
    parent = app.getparent()
    while parent is not None:
        if local_name(parent) == "app":
            return True
        parent = parent.getparent()
    return False


def _base(source: _Source) -> str:
    for lem in source.text.iter(f"{_T}lem"):
        for ref in _refs(lem.get("wit")):
            if ref in source.refs:
                return source.refs[ref][0]
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
                        tuple(source.refs[r][0] for r in (entry.get("source-wit") or "").split()),
                        tuple(source.refs[r][0] for r in (entry.get("target-wit") or "").split()),
                        links,
                    )
                )
            except (KeyError, ValueError):
                raise InputError(
                    "malformed transposition layout in xenoData", path=path, line=entry.sourceline
                ) from None
        return out
    for transpose in tei.iter(f"{_T}transpose"):
        targets = [p.get("target", "").lstrip("#") for p in transpose if local_name(p) == "ptr"]
        if len(targets) < 2 or targets[0] not in app_start or targets[1] not in app_start:
            continue
        a, b = app_start[targets[0]], app_start[targets[1]]

        def present(span: tuple[int, int]) -> tuple[str, ...]:
            return tuple(s for w, s in enumerate(sigla) if any(columns[c][w] is not None for c in range(*span)))

        links = tuple(zip(range(*a), range(*b)))
        out.append(Transposition(a, b, present(a), present(b), links))
    return out
