"""Regularisation rules as data: an editor's ``from → to`` decisions, applied before alignment and recorded.

Offers:
    Rule                    one rule: ``source`` → ``target``, a class, a scope (everywhere, witnesses, one place)
    Regularization          what a rule did to one token (kept on ``Token.reg``; defined in ``model``)
    regularize(witnesses, rules, normalizer)   the witnesses with every rule applied, and each rule's count
    CLASSES                 the usual classes (any other word is accepted too)

A rule never touches a token's text: ``Token.text`` stays exactly as in the witness, ``Token.norm`` becomes
the normalised form of the regularised text (so that collation compares the regularised forms), and
``Token.reg`` records the change (``source``: the word as in the witness, or the part a ``part`` rule
matched), which every output then shows (JSON ``"r"``, TEI ``rdgGrp/@type``, HTML).

Matching. A whole-word rule (the default) matches a token whose text is ``source``, or whose normalised form
is the normalised ``source`` (``Ye`` matches a rule for ``ye`` when the normalisers fold case). A rule with
``part=True`` replaces ``source`` wherever it stands inside a word's text (``ſ`` → ``s``, ``vv`` → ``w``).
Rules apply in the order given; the first that matches a token wins, and each token is regularised once.

Scope. No witness: everywhere. ``witnesses``: only in those. One place: a single witness and either token
positions (``at``, the ``i`` of the JSON table) or a line (``line``, and ``page`` for TEI ``pb``/``lb`` or a
plain-text file's line). A place rule whose place no longer holds ``source`` (the transcription was
corrected since) matches nothing, and its count of 0 says so: rules survive re-collation, never silently
change another word.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Sequence

from collate.errors import UsageError

from .model import Regularization, Token, Witness
from .normalize import Normalizer

__all__ = ["Rule", "Regularization", "regularize", "CLASSES"]

CLASSES = ("orthographic", "abbreviation", "numeral", "punctuation", "capitalisation", "morphological")


@dataclass(frozen=True, slots=True)
class Rule:
    source: str
    target: str
    cls: str = "orthographic"
    witnesses: tuple[str, ...] = ()  # empty: every witness
    at: tuple[int, ...] = ()  # token positions in the one witness
    line: str | None = None  # or a line (with ``page``) in the one witness
    page: str | None = None
    part: bool = False  # replace inside words rather than whole words

    def __post_init__(self) -> None:
        if not self.source:
            raise UsageError("a regularisation rule needs a non-empty 'from'")
        if not self.part and (self.source.split() != [self.source]):
            raise UsageError(f"a word rule regularises one word; {self.source!r} is not one word")
        if (self.at or self.line is not None or self.page is not None) and len(self.witnesses) != 1:
            raise UsageError(f"rule {self.source!r} → {self.target!r}: a place (at, line, page) is in one witness")
        if self.page is not None and self.line is None:
            raise UsageError(f"rule {self.source!r} → {self.target!r}: a page needs a line")

    @property
    def scope(self) -> str:
        """``everywhere``, ``witness`` or ``place``."""
        if self.at or self.line is not None:
            return "place"
        return "witness" if self.witnesses else "everywhere"


def _applies_here(rule: Rule, token: Token) -> bool:
    if rule.at:
        return token.index in rule.at
    if rule.line is not None:
        if token.source.line != rule.line:
            return False
        return rule.page is None or token.source.page == rule.page
    return True


def regularize(
    witnesses: Sequence[Witness], rules: Sequence[Rule], normalizer: Normalizer
) -> tuple[list[Witness], tuple[int, ...]]:
    """Apply ``rules`` to ``witnesses``; return the new witnesses and how many tokens each rule changed.

    ``normalizer`` must be the one the witnesses were read with: it turns the regularised text into the
    compared form.
    """
    counts = [0] * len(rules)
    if not rules:
        return list(witnesses), ()
    sigla = {w.siglum for w in witnesses}
    for rule in rules:
        unknown = [s for s in rule.witnesses if s not in sigla]
        if unknown:
            raise UsageError(f"rule {rule.source!r} → {rule.target!r} names unknown witness {unknown[0]!r}; "
                             f"the sigla are {', '.join(w.siglum for w in witnesses)}")
    source_norms = [normalizer(r.source) for r in rules]
    target_norms = [normalizer(r.target) if r.target else "" for r in rules]
    out: list[Witness] = []
    for w in witnesses:
        active = [(k, r) for k, r in enumerate(rules) if not r.witnesses or w.siglum in r.witnesses]
        if not active:
            out.append(w)
            continue
        tokens = list(w.tokens)
        changed = False
        for i, token in enumerate(tokens):
            for k, rule in active:
                if not _applies_here(rule, token):
                    continue
                if rule.part:
                    if rule.source not in token.text:
                        continue
                    norm = normalizer(token.text.replace(rule.source, rule.target))
                    matched = rule.source
                elif token.text == rule.source or token.norm == source_norms[k]:
                    norm = target_norms[k]
                    matched = token.text
                else:
                    continue
                # A rule whose target is empty would make the token vanish from comparison; a word is never
                # dropped by regularisation, so the compared form falls back to the text.
                tokens[i] = token._replace(norm=norm or token.norm,
                                           reg=Regularization(matched, rule.target, rule.cls, k))
                counts[k] += 1
                changed = True
                break
        out.append(Witness(w.siglum, tuple(tokens), w.meta) if changed else w)
    return out, tuple(counts)
