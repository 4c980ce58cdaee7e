"""Interop: an independent TEI consumer, teiphy (PyPI), reads our apparatus: every witness and variant.

teiphy turns TEI collations into phylogenetic matrices; it reads ``listWit``, every ``app`` (flattening
``rdgGrp``) and each ``lem``/``rdg`` with its ``@wit``. It is only a test dependency.
"""

from __future__ import annotations

from pathlib import Path

import pytest
from lxml import etree

import collate
from tei.writer import render, witness_ids
from witnesses import sample_paths

teiphy = pytest.importorskip("teiphy")
from teiphy.collation import Collation  # noqa: E402

DATA = Path(__file__).resolve().parent.parent / "data"


def _marked(token) -> bool:
    return bool(token.source.flags & {"add", "del", "supplied", "unclear"})


def read_with_teiphy(text: str) -> Collation:
    return Collation(etree.ElementTree(etree.fromstring(text.encode())))


@pytest.mark.parametrize(
    "paths",
    [
        pytest.param([DATA / "tei_fragments" / f"{s}.xml" for s in "ABC"], id="fragments"),
        pytest.param(sample_paths(), id="darwin"),
    ],
)
def test_teiphy_reads_every_witness_and_variant(paths):
    apparatus = collate.collate(collate.load(paths))
    collation = read_with_teiphy(render(apparatus))
    ids = witness_ids(apparatus.alignment.sigla)

    assert [w.id for w in collation.witnesses] == [ids[s] for s in apparatus.alignment.sigla]
    units = collation.variation_units
    assert [u.id for u in units] == [f"app-{loc.number}" for loc in apparatus.locations]
    everyone = sorted(ids.values())
    for unit, loc in zip(units, apparatus.locations):
        # Each witness attests exactly one reading of each unit, and the readings are ours.
        attested = sorted(w for r in unit.readings for w in r.wits)
        assert attested == everyone, unit.id
        # Words a witness marks add/del/supplied/unclear are written so inside our readings; teiphy prints
        # them its own way (it skips add and del, brackets supplied, dots unclear), so for those witnesses
        # only the attestation is compared, not the text.
        marked = {ids[s] for r in loc.all_readings for s, toks in zip(r.sigla, r.tokens) if any(_marked(t) for t in toks)}
        theirs = {(" ".join(r.text.split()), tuple(sorted(r.wits))) for r in unit.readings if not set(r.wits) & marked}
        by_text: dict[str, list[str]] = {}
        for reading in loc.all_readings:  # an omission and a lacuna are two readings of one (empty) text
            wits = [ids[s] for s in reading.sigla if ids[s] not in marked]
            if wits:
                by_text.setdefault(" ".join(reading.text.split()), []).extend(wits)
        ours = {(text, tuple(sorted(wits))) for text, wits in by_text.items()}
        merged = {}
        for text, wits in theirs:
            merged.setdefault(text, []).extend(wits)
        # A reading split for a witness-specific marker (witStart, lacunaStart…) counts once.
        assert {(t, tuple(sorted(w))) for t, w in merged.items()} == ours, unit.id
    # teiphy's own per-witness table covers every unit with substantive variation.
    assert set(collation.readings_by_witness) == set(everyone)
