"""Stemmatic outputs: the NEXUS matrix (checked against teiphy's reading of our TEI) and the distance CSV."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

import collate
from collate.cli import app
from collate.engine.model import Source, Witness
from collate.engine.tokens import make_tokens
from reports.characters import characters
from reports.distances import matrices
from reports.nexus import render as render_nexus
from tei.writer import render as render_tei
from tei.writer import witness_ids
from witnesses import sample_paths

DATA = Path(__file__).resolve().parent.parent / "data"
FRAGMENTS = [DATA / "tei_fragments" / f"{s}.xml" for s in "ABC"]
runner = CliRunner()


def parse_nexus(text: str) -> tuple[list[str], dict[str, str], list[list[str]]]:
    """Character labels, taxon → row, and each character's state labels, read back from our NEXUS."""
    labels_block = re.search(r"CHARSTATELABELS\n(.*?);\n\tMATRIX", text, re.S)
    labels, states = [], []
    if labels_block:
        for line in labels_block.group(1).split(",\n"):
            number, rest = line.strip().split(" ", 1)
            label, _, names = rest.partition(" / ")
            labels.append(label)
            states.append([n.replace("''", "'") for n in re.findall(r"'((?:[^']|'')*)'|(\S+)", names) for n in n if n])
    matrix = re.search(r"\tMATRIX\n(.*?)\n\t;", text, re.S).group(1)
    rows = {}
    for line in matrix.splitlines():
        taxon, row = line.split()
        rows[taxon.strip("'")] = row
    return labels, rows, states


@pytest.mark.parametrize("paths", [pytest.param(FRAGMENTS, id="fragments"), pytest.param(sample_paths(), id="darwin")])
def test_nexus_characters_agree_with_what_teiphy_makes_of_our_tei(paths):
    teiphy = pytest.importorskip("teiphy.collation")
    apparatus = collate.collate(collate.load(paths))
    labels, rows, states = parse_nexus(render_nexus(apparatus))
    theirs = teiphy.Collation(etree.ElementTree(etree.fromstring(render_tei(apparatus).encode())))
    ids = witness_ids(apparatus.alignment.sigla)

    assert labels == [u.replace("-", "_") for u in theirs.variation_unit_ids]
    assert sorted(rows) == sorted(apparatus.alignment.sigla)
    texts = theirs.substantive_readings_by_variation_unit_id
    entries = apparatus.entries
    for k, unit in enumerate(theirs.variation_unit_ids):
        ours_by_state: dict[str, set[str]] = {}
        theirs_by_state: dict[int, set[str]] = {}
        for siglum in apparatus.alignment.sigla:
            vector = theirs.readings_by_witness[ids[siglum]][k]
            if siglum in entries[k].absent:
                # Inside a span the witnesses it accounts for are cited by none of the entries: missing data.
                assert sum(vector) == 0 and rows[siglum][k] == "?", (unit, siglum)
                continue
            assert sum(vector) == 1, (unit, siglum)
            state = vector.index(1)
            symbol = rows[siglum][k]
            if symbol == "?":
                # Missing data here is a witness with no text at the place: teiphy sees an empty reading.
                assert texts[unit][state] == "", (unit, siglum)
                continue
            # By the state's text: teiphy pools readings by text, and one that moved a passage away and one
            # that left it out are two readings of ours (transp., om.) that both read nothing there.
            ours_by_state.setdefault(states[k][int(symbol, 36)], set()).add(siglum)
            theirs_by_state.setdefault(state, set()).add(siglum)
            # The state's label is the reading teiphy found for this witness, except where teiphy reads the
            # text its own way: a span's reading holds the entries inside it (teiphy keeps only its own
            # text), and teiphy skips words marked add/del.
            entry = entries[k]
            marked = any(
                t.source.flags & {"add", "del", "supplied", "unclear"}
                for r in entry.all_readings
                if siglum in r.sigla
                for t in r.tokens[r.sigla.index(siglum)]
            )
            if not entry.span and not marked:
                label = states[k][int(symbol, 36)]
                assert label == (" ".join(texts[unit][state].split()) or "om."), (unit, siglum)
        # The same witnesses read together. (A span's present reading holds nested entries, whose witnesses
        # teiphy pools with the empty reading's when they differ only inside them; the span's own
        # character, present against absent, is checked in test_a_span_is_a_character_of_its_own.)
        if not entries[k].span:
            assert sorted(map(sorted, ours_by_state.values())) == sorted(map(sorted, theirs_by_state.values())), unit


def test_a_span_is_a_character_of_its_own():
    apparatus = collate.collate(collate.load(sample_paths()))
    labels, rows, states = parse_nexus(render_nexus(apparatus))
    spans = {e.number: e for e in apparatus.spans}
    assert spans
    for k, entry in enumerate(apparatus.entries):
        if entry.number not in spans:
            continue
        absent = {s for r in entry.all_readings if r.empty for s in r.sigla}
        codes = {rows[s][k] for s in absent}
        present = {rows[s][k] for s in apparatus.alignment.sigla if s not in absent and s not in entry.absent}
        # The witnesses that lack the passage share one state (or are missing data, for a lacuna), and it
        # is not the present witnesses' state.
        assert len(codes) == 1 and not codes & present, entry.number


def test_lacunae_and_extents_are_missing_data_not_omissions():
    apparatus = collate.collate(collate.load(FRAGMENTS))
    _, rows, states = parse_nexus(render_nexus(apparatus))
    # C begins after "The black" (witStart): missing; B has a lacuna where A reads "very": missing; C omits "very".
    assert rows == {"A": "000000", "B": "010?00", "C": "?01111"}
    assert states[3] == ["very", "om."]


def test_nexus_quotes_labels_and_refuses_too_many_states():
    texts = {"1859": "the cat's mat", "B'": "the dog's mat"}
    witnesses = [Witness(s, make_tokens(t, s)) for s, t in texts.items()]
    text = render_nexus(collate.collate(witnesses))
    assert "TAXLABELS '1859' 'B''';" in text
    assert "1 app_1 / 'cat''s' 'dog''s';" in text
    many = [Witness(f"W{k}", make_tokens(f"a w{k} b", f"W{k}")) for k in range(34)]
    with pytest.raises(collate.UsageError, match="34 readings; NEXUS standard data allows 32 states"):
        render_nexus(collate.collate(many, options=collate.Options(near=None)))


def test_distances_count_disagreements_pair_by_pair():
    witnesses = [
        Witness("A", make_tokens("The black cat sat on the mat.", "A")),
        Witness("B", make_tokens("The Black cat lay on the mat!", "B")),
        Witness("C", make_tokens("A black cat lay on the mat.", "C")),
    ]
    apparatus = collate.collate(witnesses)
    found = matrices(apparatus)
    # A–B: black/Black (spelling), sat/lay, ./! (punctuation) → 3 in all, 1 substantive.
    assert found["all"][0][1] == 3 and found["substantive"][0][1] == 1
    # A–C: The/A, sat/lay → 2 substantive; B–C: The/A, Black/black, ./! and agree on lay.
    assert found["substantive"][0][2] == 2 and found["all"][0][2] == 2
    assert found["all"][1][2] == 3 and found["substantive"][1][2] == 1
    for m in found.values():
        assert all(m[a][b] == m[b][a] for a in range(3) for b in range(3))
    assert [found["all"][k][k] for k in range(3)] == [0, 0, 0]
    assert found["compared"][0][0] == len(apparatus.locations)


def test_distances_through_the_command_line(tmp_path):
    out = tmp_path / "distances.csv"
    result = runner.invoke(app, ["align", *map(str, FRAGMENTS), "-o", str(out), "--format", "distances"])
    assert result.exit_code == 0, result.output
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8"))))
    assert rows[0] == ["measure", "witness", "A", "B", "C"]
    assert [r[:2] for r in rows[1:]] == [[m, s] for m in ("substantive", "all", "compared") for s in "ABC"]
    assert rows[1:4] == [["substantive", "A", "0", "1", "3"], ["substantive", "B", "1", "0", "3"],
                         ["substantive", "C", "3", "3", "0"]]
    # A lacuna is not counted: B and C are compared at 4 of the 6 locations.
    assert rows[8] == ["compared", "B", "5", "5", "4"]
    nex = tmp_path / "stemma.nex"
    assert runner.invoke(app, ["align", *map(str, FRAGMENTS), "-o", str(nex)]).exit_code == 0
    assert nex.read_text(encoding="utf-8").startswith("#NEXUS\n")


def test_characters_follow_the_tei_reading_order():
    apparatus = collate.collate(collate.load(FRAGMENTS))
    chars = characters(apparatus)
    assert [ch.location.number for ch in chars] == [loc.number for loc in apparatus.locations]
    assert all(ch.states[0] is ch.location.lemma for ch in chars)


def test_darwin_editions_are_nearest_to_their_neighbours_in_time():
    """Each edition of the Origin was set from the one before: the substantive distances must show the chain."""
    apparatus = collate.collate(collate.load(sample_paths()))
    sigla = apparatus.alignment.sigla
    substantive = matrices(apparatus)["substantive"]
    for a in range(len(sigla)):
        nearest = min((b for b in range(len(sigla)) if b != a), key=lambda b: substantive[a][b])
        assert abs(nearest - a) == 1, (sigla[a], sigla[nearest])
    assert substantive[0][1] < substantive[0][2] < substantive[0][3] < substantive[0][4] < substantive[0][5]
