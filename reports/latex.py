"""A print-ready critical edition: a LaTeX file for reledmac, compiled with LuaLaTeX.

Offers:
    render(apparatus, *, series=SERIES, title=None)   the LaTeX document as text
    SERIES                                           the default: which apparatus series each variant type goes to
    escape(text)                                     witness text made safe for LaTeX

The reading text is the base witness, in its paragraphs, with line numbers in the margin (every fifth line);
every variant location is an ``\\edtext`` whose notes stand at the foot of the page, keyed by line and lemma,
run on in one paragraph per series as printed apparatuses are: by default series A holds the substantive
readings (substitutions, omissions, additions, transpositions), series B the orthographic and punctuation
ones. A location with readings of both kinds has a note in each. A list of sigla (title and date of each
witness) opens the edition.

Notes follow the conventions of a printed apparatus: ``12 look to] compare 1869 1872; regard 1861``, ``om.``
for an omission, ``add.`` after the word an addition follows, ``transp.`` for a moved passage, a long lemma
cited by its first and last words; ``lac.`` for witnesses that have no text at the place (a lacuna, before
they begin, after they end), as ``reports.characters`` finds them. Every witness text is escaped (``\\``, ``{``, ``%``, ``#``, ``&`` … are
printed, never run). The grouping and typing are the engine's (``Apparatus``), as in every other output.

Compile with ``lualatex edition.tex`` until it no longer says "Label(s) may have changed" (five runs for
most editions; ``latexmk -lualatex`` does this): reledmac's line numbers settle on the second run, the lines
of long passages' notes, which come from labels placed by the run before, two or three runs later;
Debian's ``texlive-latex-extra``, ``texlive-humanities`` and ``texlive-luatex`` have everything it needs.
The text is set in Latin Modern; letters it lacks (Greek, Cyrillic, Hebrew …) are taken from DejaVu Serif
(Debian's ``fonts-dejavu-core``), which LuaLaTeX finds among the system's fonts.
"""

from __future__ import annotations

import re
from dataclasses import replace
from typing import Mapping, Sequence

from collate.engine.model import Apparatus, Reading, Segment, Token, VariantLocation, VariantType
from collate.engine.tokens import join, written
from collate.engine.variants import type_against
from collate.errors import UsageError

from .characters import missing_at
from .marks import MARKS

__all__ = ["render", "SERIES", "escape"]

SERIES: dict[VariantType, str] = {
    VariantType.SUBSTANTIVE: "A",
    VariantType.OMISSION: "A",
    VariantType.ADDITION: "A",
    VariantType.TRANSPOSITION: "A",
    VariantType.LACUNA: "A",  # a witness with no text at the place: printed "lac.", with the substantive notes
    VariantType.ORTHOGRAPHIC: "B",
    VariantType.PUNCTUATION: "B",
}
# Once this many notes are set, the next paragraph starts a new numbered part (\pausenumbering and
# \resumenumbering: line numbers run on). reledmac's work per note grows with the notes of its part: the
# second run of Severianus (13 witnesses, 4,485 entries in 8 paragraphs) took 518 s in one part, 284 s in
# the five this makes (276 s in eight). Each part is a file of its own beside the edition (edition.1 …).
BREAK_AFTER_NOTES = 500
LEMMA_WORDS = 8  # a longer lemma is cited by its first and last words, as in the HTML apparatus
_SERIES_NAMES = "ABCDE"  # reledmac's series

_ESCAPES = {
    "\\": r"\textbackslash{}",
    "{": r"\{",
    "}": r"\}",
    "$": r"\$",
    "&": r"\&",
    "#": r"\#",
    "^": r"\textasciicircum{}",
    "_": r"\_",
    "%": r"\%",
    "~": r"\textasciitilde{}",
    "<": r"\textless{}",
    ">": r"\textgreater{}",
    "|": r"\textbar{}",
    "[": "{[}",  # never the optional argument of a command before it
    "]": "{]}",
    "\n": " ",
    "\r": " ",
    "\t": " ",
}


# Letters beyond Latin Modern's (Latin, its extensions, punctuation and symbols): Greek, Cyrillic, Hebrew …
_BEYOND_LATIN = re.compile("[^\u0000-\u024f\u1e00-\u1eff\u2000-\u20cf\u2100-\u214f]")
# The document's fonts: Latin Modern, and for a text with other letters, DejaVu Serif wherever it lacks one.
_FONTS = """\\directlua{luaotfload.add_fallback("collatefallback", {"DejaVu Serif:mode=node;"})}
\\setmainfont{Latin Modern Roman}[RawFeature={fallback=collatefallback}]"""
# reledmac's labels (the lines of long passages' notes) settle two runs after the line numbers, and it says
# nothing while they move. When LaTeX reads the .aux back at the end, a label whose place differs from the
# one this run read sets the flag behind LaTeX's own "Label(s) may have changed. Rerun to get
# cross-references right", which editors and latexmk act on.
_RERUN = r"""\makeatletter
\AtEndDocument{\def\l@dmake@labels#1|#2|#3|#4|#5|#6|#7{\def\reserved@a{#1|#2|#3|#4|#5|#6|\relax}%
  \expandafter\ifx\csname the@label#7\endcsname\reserved@a\else\global\@tempswatrue\fi}}
\makeatother"""
_LINE_END_HYPHEN = re.compile(r"([-\u00ad\u00ac\u2010])[ \t]*\r?\n[ \t]*")


def escape(text: str) -> str:
    # A word the witness broke across a line end (``con-⏎tinues``) is printed whole, its hyphen kept.
    text = _LINE_END_HYPHEN.sub(lambda m: "-" if m.group(1) != "\u00ad" else "", text)
    return "".join(_ESCAPES.get(c, c) for c in text)


def _text(tokens: Sequence[Token]) -> str:
    return escape(join([t.text for t in tokens]))


def _cited_lemma(tokens: Sequence[Token]) -> str | None:
    """A long lemma's short form for the note (``first two \\ldots{} last two``), None when it is short."""
    words = [t for t in tokens if not t.punct]
    if len(words) <= LEMMA_WORDS:
        return None
    return f"{_text(words[:2])} \\ldots{{}} {_text(words[-2:])}"


def _sigla(sigla: Sequence[str]) -> str:
    return " ".join(f"\\sig{{{escape(s)}}}" for s in sigla)


def _reading(reading: Reading, addition: bool, lost: frozenset[str] = frozenset()) -> str:
    """A reading as the note prints it; witnesses in ``lost`` have no text here at all (a lacuna, before
    they begin or after they end): ``lac.``, not ``om.``."""
    if reading.empty and any(s in lost for s in reading.sigla):
        present = tuple(s for s in reading.sigla if s not in lost)
        gone = tuple(s for s in reading.sigla if s in lost)
        parts = [f"\\textit{{om.}} {_sigla(present)}"] if present else []
        parts.append(f"\\textit{{lac.}} {_sigla(gone)}")
        return "; ".join(parts)
    if reading.empty:
        text = "\\textit{om.}"
    elif addition:
        text = f"\\textit{{add.}} {escape(reading.text)}"
    else:
        text = escape(reading.text)
    if reading.type is VariantType.TRANSPOSITION:
        text += " \\textit{transp.}"
    return f"{text} {_sigla(reading.sigla)}"


def _block_of(token: Token) -> tuple[str | None, int | None]:
    """What tells paragraphs apart: the TEI block a token stands in, or its line in a plain-text file."""
    element = token.source.element
    if element:
        steps = element.split("/")
        for k in range(len(steps) - 1, -1, -1):
            if steps[k].split("[")[0].rpartition(":")[2] in ("p", "ab", "l", "head", "item", "lg", "quote", "sp"):
                return "/".join(steps[: k + 1]), None
        return element, None
    return None, token.source.file_line


def _new_paragraph(previous: Token | None, token: Token) -> bool:
    if previous is None:
        return False
    if previous.source.blocks or token.source.blocks:
        # The structure the reader found (``Source.blocks``: division, paragraph, verse line …), as the
        # engine cuts entries at it: a word in a <seg> of its own is no paragraph of its own.
        return previous.source.blocks != token.source.blocks
    (block_a, line_a), (block_b, line_b) = _block_of(previous), _block_of(token)
    if block_a is not None or block_b is not None:
        return block_a != block_b
    # Plain text: a blank line between two tokens (their file lines two or more apart) ends a paragraph.
    return line_a is not None and line_b is not None and line_b - line_a >= 2


def _series_of(series: Mapping[VariantType, str]) -> dict[VariantType, str]:
    chosen = dict(SERIES)
    chosen.update(series)
    for kind, name in chosen.items():
        if name not in _SERIES_NAMES and name != "":
            raise UsageError(f"apparatus series for {kind.value} must be one of {', '.join(_SERIES_NAMES)} "
                             f"(or empty to leave them out), got {name!r}")
    return chosen


def render(
    apparatus: Apparatus,
    *,
    series: Mapping[VariantType, str] | None = None,
    title: str | None = None,
) -> str:
    """The edition as a LaTeX document. ``series`` maps variant types to reledmac series (``"A"``…``"E"``; an
    empty string leaves that type out of the printed apparatus); types it does not name keep ``SERIES``."""
    chosen = _series_of(series or {})
    used = sorted({name for name in chosen.values() if name})
    base_index = apparatus.alignment.sigla.index(apparatus.base)
    base = apparatus.witnesses[base_index]
    heading = title or base.meta.title or f"Collation, base text {apparatus.base}"

    body: list[str] = []
    paragraph: list[tuple[str, str, str]] = []  # (LaTeX, first token's text, last token's text); "" for none
    missing = missing_at(apparatus)
    last: Token | None = None
    pending_break = False
    flushed = 0  # paragraphs set so far
    notes = 0  # notes set since the last memory break

    def flush() -> None:
        nonlocal flushed, notes
        if paragraph:
            text = _joined(paragraph)
            if notes >= BREAK_AFTER_NOTES:
                # reledmac's "memory break": its lists of lines and notes start afresh (a file of their own).
                body.append("\\pausenumbering\\resumenumbering\n")
                notes = 0
            notes += text.count("\\edtext{")
            body.append("\\pstart\n" + _wrap(text) + "\n\\pend\n")
            paragraph.clear()
            flushed += 1

    # Outer entries (spans: a long absence, a moved passage in which the others vary) are marked by a pair of
    # labels around their passage, and their note is an \edtext with no text of its own at its start, whose
    # lines are those of the labels (``\xxref``). Nesting an \edtext around the hundreds of entries inside
    # a long passage costs reledmac time that grows much faster than the passage: minutes for one paragraph
    # of a Greek text with twelve manuscripts. The labels also give the right lines to a passage that runs
    # on into the next paragraph, which no \edtext can enclose.
    opening: dict[int, list[VariantLocation]] = {}
    closing: dict[int, list[VariantLocation]] = {}
    for span in sorted(apparatus.spans, key=lambda x: (x.start, -x.end)):
        opening.setdefault(span.start, []).append(span)
        closing.setdefault(span.end, []).insert(0, span)
    # Per open span: the pieces and paragraphs set before it, the base's word before it, its label (or None).
    open_spans: list[tuple[int, int, Token | None, str | None]] = []
    prefix: list[str] = []  # what goes before the next piece set: the notes and start labels of spans

    def add(latex: str, first: str, last: str) -> None:
        if prefix:
            latex = "".join(prefix) + latex
            prefix.clear()
        paragraph.append((latex, first, last))

    lacks = 0  # open spans whose passage the base lacks: the edition has no text of theirs
    # The open span that gives the base whole (its own text of the passage, which the entries inside, among the
    # others, do not compare): the edition prints the base's text, one entry giving the others' whole.
    given_whole: VariantLocation | None = None

    def entry_of(part: VariantLocation) -> None:
        """An entry's \\edtext in the paragraph: the base's words, or those of the reading the editor chose."""
        nonlocal last, pending_break
        lemma_tokens = part.lemma.tokens_of(apparatus.base)
        if lemma_tokens and (pending_break or _new_paragraph(last, lemma_tokens[0])):
            flush()
            pending_break = False
        # A paragraph that ends inside a lemma ends after it: an \edtext cannot span two paragraphs.
        for a, b in zip(lemma_tokens, lemma_tokens[1:]):
            if _new_paragraph(a, b):
                pending_break = True
        entry = _edtext(part, lemma_tokens, last, chosen, missing.get(part.number, frozenset()))
        if entry:
            edges = (lemma_tokens[0].text, lemma_tokens[-1].text) if lemma_tokens else ("", "")
            add(entry, *edges)
        if lemma_tokens:
            last = lemma_tokens[-1]

    for part in apparatus:
        for span in opening.get(part.start, ()):
            label = None
            if given_whole is not None:
                continue  # inside a passage given whole: its entry at the end says everything
            if span.gives_base_whole(apparatus.base) and not lacks:
                given_whole = span
                continue
            if span.base_lacks(apparatus.base):
                lacks += 1
            elif not lacks:
                note = _edtext(span, (), None, chosen, missing.get(span.number, frozenset()),
                               cited=span.lemma.tokens_of(apparatus.base), reference=f"span{span.number}")
                if note:
                    label = f"span{span.number}"
                    prefix.append(f"{note}\\edlabelS{{{label}}}")
            open_spans.append((len(paragraph), flushed, last, label))
        if given_whole is not None or lacks and not (isinstance(part, VariantLocation) and part.chosen):
            # The passage is not the base's, or the base's text of it is given whole: what the others read
            # there is given in the span's note, whole.
            pass
        elif isinstance(part, Segment):
            run: list[Token] = []
            for token in part.tokens:
                if pending_break or _new_paragraph(last, token):
                    if run:
                        add(_text(run), run[0].text, run[-1].text)
                        run = []
                    flush()
                    pending_break = False
                run.append(token)
                last = token
            if run:
                add(_text(run), run[0].text, run[-1].text)
        else:
            entry_of(part)
        for span in closing.get(part.end, ()):
            if given_whole is not None:
                if span is given_whole:
                    given_whole = None
                    # The base's text of the passage, and each other witness's own text of it.
                    entry_of(replace(span, readings=_whole_readings(span, retype=True)))
                continue
            first, before, previous, label = open_spans.pop()
            if label is not None:
                if prefix:  # nothing of the passage was set: its labels stand together
                    prefix.append(f"\\edlabelE{{{label}}}")
                elif paragraph:
                    latex, first_text, last_text = paragraph[-1]
                    paragraph[-1] = (f"{latex}\\edlabelE{{{label}}}", first_text, last_text)
                else:  # the passage ended a paragraph already set
                    body[-1] = body[-1].replace("\n\\pend\n", f"\\edlabelE{{{label}}}\n\\pend\n")
                continue
            if not span.base_lacks(apparatus.base):
                continue  # inside a passage the base lacks: the outer note gives the passage whole
            lacks -= 1
            if lacks:
                continue
            # An addition, keyed to the word before it, as printers do: each witness's text of the passage,
            # grouped, so that the variation inside it is printed too.
            same = before == flushed  # no paragraph was set since it opened
            whole = replace(span, readings=_whole_readings(span))
            entry = _edtext(whole, (), previous if same else last, chosen, missing.get(span.number, frozenset()))
            if entry:
                paragraph.insert(first if same else len(paragraph), (entry, "", ""))
    if prefix:
        add("", "", "")
    flush()
    return _document(apparatus, heading, used, body)


def _whole_readings(span: VariantLocation, *, retype: bool = False) -> tuple[Reading, ...]:
    """The readings of a span the base lacks (or gives whole), one per text of the passage: the witnesses that
    read it there, grouped by their own text of it (the span's reading gives one witness's text for all).
    With ``retype``, each is typed against the span's lemma (the base's text), else as the span's first."""
    out: dict[str, list[tuple[str, tuple[Token, ...]]]] = {}
    for reading in span.readings:
        for siglum, tokens in zip(reading.sigla, reading.tokens):
            out.setdefault(written(tokens) if tokens else reading.text, []).append((siglum, tokens))
    kind = span.readings[0].type if span.readings else span.type
    readings = [
        Reading(text, " ".join(t.norm for t in members[0][1]), tuple(s for s, _ in members),
                tuple(tokens for _, tokens in members), kind)
        for text, members in sorted(out.items(), key=lambda x: -len(x[1]))
    ]
    if retype:
        readings = [replace(r, type=type_against(span.lemma, r)) for r in readings]
    return tuple(readings)


def _edtext(
    location: VariantLocation,
    lemma_tokens: tuple[Token, ...],
    previous: Token | None,
    series: Mapping[VariantType, str],
    lost: frozenset[str] = frozenset(),
    *,
    cited: tuple[Token, ...] = (),
    reference: str | None = None,
) -> str:
    """The entry's \\edtext: its text and its notes, by series. An outer entry has no text of its own: it
    cites its passage (``cited``), and its lines are those between the labels ``reference``:start and
    ``reference``:end (reledmac's ``\\xxref``)."""
    lemma_text = _text(lemma_tokens)
    addition = not lemma_tokens and not cited
    by_series: dict[str, list[Reading]] = {}
    for reading in location.readings:
        name = series.get(reading.type) if reading.type is not None else None
        if name:
            by_series.setdefault(name, []).append(reading)
    if not by_series and not location.notes:
        return lemma_text
    notes = "".join(
        f"\\{name}footnote{{{'; '.join(_reading(r, addition, lost) for r in readings)}}}"
        for name, readings in sorted(by_series.items())
    )
    # The editor's notes on the entry (corrections.toml), in the first series after its readings.
    notes += "".join(f"\\Afootnote{{\\textit{{Note:}} {escape(note)}}}" for note in location.notes)
    if addition:
        # Nothing to print: the note is keyed to the word the addition follows, as printers do.
        key = escape(previous.text) if previous is not None else "\\textit{init.}"
        return f"\\edtext{{}}{{\\lemma{{{key}}}{notes}}}"
    if cited:
        lines = f"\\xxref{{{reference}:start}}{{{reference}:end}}" if reference else ""
        return f"\\edtext{{}}{{{lines}\\lemma{{{_cited_lemma(cited) or _text(cited)}}}{notes}}}"
    short = _cited_lemma(lemma_tokens)
    lemma_arg = f"\\lemma{{{short}}}" if short else ""
    return f"\\edtext{{{lemma_text}}}{{{lemma_arg}{notes}}}"


def _joined(pieces: list[tuple[str, str, str]]) -> str:
    """Pieces spaced as the words are printed (``collate.engine.tokens.join``: no space before a comma or after
    an opening bracket); a note keyed to no text (an addition) sits against the word before it."""
    out: list[str] = []
    previous = ""
    for latex, first, last in pieces:
        if out and first and previous and join([previous, first]) != previous + first:
            out.append(" ")
        out.append(latex)
        if last:
            previous = last
    return "".join(out)


def _wrap(text: str, width: int = 100) -> str:
    """Break the source into lines at spaces (TeX reads a newline as a space): diffs and editors cope."""
    lines, current = [], 0
    out: list[str] = []
    for word in text.split(" "):
        if current and current + 1 + len(word) > width:
            lines.append(" ".join(out))
            out, current = [], 0
        out.append(word)
        current += len(word) + (1 if current else 0)
    if out:
        lines.append(" ".join(out))
    return "\n".join(lines)


_MARKED = frozenset(MARKS)


def _unprinted(apparatus: Apparatus) -> str:
    """The statement, where any witness's words carry transcription markup (added, deleted, supplied …, with
    the hand a transcription names), that this edition prints them as plain words: said, not dropped
    silently, with the count of such words per witness."""
    counts = [
        (w.siglum, sum(1 for t in w.tokens if t.source.flags and not _MARKED.isdisjoint(t.source.flags)))
        for w in apparatus.witnesses
    ]
    counted = "; ".join(f"\\sig{{{escape(siglum)}}} {n}" for siglum, n in counts if n)
    if not counted:
        return ""
    return (
        " Words the transcriptions mark as added, deleted, supplied, unclear, damaged, surplus or secluded (and"
        " the hands they name) are printed here as plain words; the TEI and HTML outputs keep the marks."
        f" Words so marked: {counted}."
    )


def _document(apparatus: Apparatus, heading: str, series: list[str], body: list[str]) -> str:
    sigla_rows = []
    for witness in apparatus.witnesses:
        meta = witness.meta
        described = escape(meta.title or meta.path or "")
        if meta.date and meta.date not in (meta.title or ""):
            described += f" ({escape(meta.date)})"
        sigla_rows.append(f"\\item[\\sig{{{escape(witness.siglum)}}}] {described}")
    names = ",".join(series) or "A"
    texts = (heading, *(t.text for w in apparatus.witnesses for t in w.tokens))
    fonts = _FONTS if any(map(_BEYOND_LATIN.search, texts)) else ""
    arrangement = "\n".join(f"\\Xarrangement[{s}]{{paragraph}}" for s in series)
    headings = {"A": "substantive readings", "B": "orthographic and punctuation readings"}
    legend = "; ".join(f"{s}: {headings.get(s, 'series ' + s)}" for s in series if s in headings)
    return f"""% A critical edition written by collate (reledmac). Compile with: lualatex, until it no longer says "Label(s) may have changed" (five runs for most editions).
\\documentclass[11pt]{{article}}
\\usepackage{{fontspec}}
{fonts}
\\usepackage[a4paper,top=25mm,bottom=25mm,inner=30mm,outer=35mm]{{geometry}}
\\usepackage[series={{{names}}},noend,noeledsec,nofamiliar,noledgroup]{{reledmac}}
\\usepackage{{enumitem}}
{arrangement}
\\Xnumberonlyfirstinline
\\Xsymlinenum{{||}}
\\Xlemmafont{{\\normalfont}}
\\Xnotefontsize{{\\footnotesize}}
\\Xbeforenotes{{0.8em}}
\\Xafterrule{{0.4em}}
\\firstlinenum{{5}}
\\linenumincrement{{5}}
\\linenummargin{{left}}
\\lineation{{page}}
\\newcommand{{\\sig}}[1]{{\\textit{{#1}}}}
{_RERUN}
\\setlength{{\\parindent}}{{1.5em}}
\\title{{{escape(heading)}}}
\\author{{}}
\\date{{}}
\\begin{{document}}
\\maketitle
\\thispagestyle{{empty}}
\\section*{{Sigla}}
\\begin{{description}}[font=\\normalfont,leftmargin=4em,style=nextline]
{chr(10).join(sigla_rows)}
\\end{{description}}
\\noindent Base text: \\sig{{{escape(apparatus.base)}}}. Apparatus {escape(legend)}.{_unprinted(apparatus)}

\\bigskip
\\beginnumbering
{chr(10).join(body)}\\endnumbering
\\end{{document}}
"""
