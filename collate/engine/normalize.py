"""Normalisers: ``str -> str`` functions composed in order. The original text always survives beside them.

Offers:
    Normalizer          the type: ``Callable[[str], str]``
    compose(*fs)        apply ``fs`` left to right
    nfc, nfkc           Unicode normal forms
    casefold, lowercase case folding (``casefold`` also folds ``ß`` → ``ss``)
    dehyphenate         drop a hyphen that breaks a word across a line (``vari-⏎ation`` → ``variation``)
    strip_punctuation   drop punctuation inside or around a word (``don't`` → ``dont``)
    strip_diacritics    drop combining marks after canonical decomposition (``é`` → ``e``)
    rules(mapping)      replace substrings, longest first (``{"ſ": "s", "æ": "ae"}``)
    equivalents(groups) whole tokens counted as one form at comparison time (``&`` = ``and``, ``ye`` = ``the``)
    EQUIVALENTS         the default equivalences: ``&`` and ``and``
    DEFAULT             compose(nfc, dehyphenate, lowercase, equivalents(EQUIVALENTS))
    by_name(spec)       build a normaliser from a comma-separated list of names (for the CLI)
"""

from __future__ import annotations

import unicodedata
from typing import Callable, Mapping

import regex

from collate.errors import UsageError

__all__ = [
    "Normalizer",
    "compose",
    "nfc",
    "nfkc",
    "casefold",
    "lowercase",
    "dehyphenate",
    "strip_punctuation",
    "strip_diacritics",
    "rules",
    "equivalents",
    "EQUIVALENTS",
    "DEFAULT",
    "NAMES",
    "by_name",
]

Normalizer = Callable[[str], str]


def compose(*normalizers: Normalizer) -> Normalizer:
    """Apply ``normalizers`` left to right: ``compose(f, g)(s) == g(f(s))``."""

    def composed(text: str) -> str:
        for f in normalizers:
            text = f(text)
        return text

    composed.__name__ = "+".join(getattr(f, "__name__", "f") for f in normalizers)
    return composed


def nfc(text: str) -> str:
    return unicodedata.normalize("NFC", text)


def nfkc(text: str) -> str:
    return unicodedata.normalize("NFKC", text)


def casefold(text: str) -> str:
    return text.casefold()


def lowercase(text: str) -> str:
    return text.lower()


_LINE_BREAK_HYPHEN = regex.compile(r"[-\u00ad\u00ac\u2010\u2e17]\s*\n\s*")
_INNER_SPACE = regex.compile(r"\s+")


def dehyphenate(text: str) -> str:
    """Join a word broken across lines; remove soft hyphens and any whitespace left inside the token."""
    text = _LINE_BREAK_HYPHEN.sub("", text).replace("\u00ad", "")
    return _INNER_SPACE.sub("", text)


_PUNCT = regex.compile(r"[\p{P}\p{S}]+")


def strip_punctuation(text: str) -> str:
    stripped = _PUNCT.sub("", text)
    # A token that is all punctuation keeps its form: it must stay comparable with other punctuation.
    return stripped or text


def strip_diacritics(text: str) -> str:
    decomposed = unicodedata.normalize("NFD", text)
    return unicodedata.normalize("NFC", "".join(c for c in decomposed if not unicodedata.combining(c)))


def rules(mapping: Mapping[str, str]) -> Normalizer:
    """Replace each key of ``mapping`` by its value; longer keys first so ``"ſſ"`` wins over ``"ſ"``."""
    if not mapping:
        return lambda text: text
    keys = sorted(mapping, key=len, reverse=True)
    pattern = regex.compile("|".join(regex.escape(k) for k in keys))

    def replace(text: str) -> str:
        return pattern.sub(lambda m: mapping[m.group(0)], text)

    replace.__name__ = "rules"
    return replace


def equivalents(groups: "Mapping[str, str] | list[tuple[str, ...]]") -> Normalizer:
    """Whole tokens that count as one form: each group's members are compared as its first member.

    ``groups`` is a list of groups (``[("and", "&"), ("xpistos", "christos")]``) or a mapping from a form to
    the form it counts as. Only a whole token is replaced (``&`` in ``&c`` is left alone unless ``&`` stands
    alone), after the steps before it (so give lower-case forms after ``lowercase``). The original text of
    every token is kept: this changes what is compared, not what is shown."""
    if isinstance(groups, Mapping):
        table = dict(groups)
    else:
        table = {}
        for group in groups:
            for form in group[1:]:
                table[form] = group[0]
    if not table:
        return lambda text: text

    def equivalent(text: str) -> str:
        return table.get(text, text)

    equivalent.__name__ = "equivalents"
    return equivalent


# "&" and "and" are one word in every edition that prints both.
EQUIVALENTS: tuple[tuple[str, ...], ...] = (("and", "&"),)

DEFAULT: Normalizer = compose(nfc, dehyphenate, lowercase, equivalents(list(EQUIVALENTS)))

NAMES: dict[str, Normalizer] = {
    "nfc": nfc,
    "nfkc": nfkc,
    "casefold": casefold,
    "lowercase": lowercase,
    "dehyphenate": dehyphenate,
    "punctuation": strip_punctuation,
    "diacritics": strip_diacritics,
    "equivalents": equivalents(list(EQUIVALENTS)),
}


def by_name(
    spec: str, *, extra: Mapping[str, str] | None = None, equivalent: "list[tuple[str, ...]] | None" = None
) -> Normalizer:
    """``"nfc,casefold,punctuation"`` → the composed normaliser; ``extra`` adds a substitution rule step,
    ``equivalent`` a last step of whole-token equivalences (``equivalents``)."""
    steps: list[Normalizer] = []
    for name in (s.strip() for s in spec.split(",")):
        if not name:
            continue
        if name not in NAMES:
            raise UsageError(f"unknown normaliser {name!r}; known: {', '.join(sorted(NAMES))}")
        steps.append(NAMES[name])
    if extra:
        steps.append(rules(extra))
    if equivalent:
        steps.append(equivalents(equivalent))
    return compose(*steps)
