"""JSON output: token flags from the witnesses' markup, and lacunae typed as such."""

from __future__ import annotations

import json

import collate
from reports.json import render, to_data


def _apparatus(tmp_path, bodies: dict[str, str]):
    paths = []
    for siglum, body in bodies.items():
        path = tmp_path / f"{siglum}.xml"
        path.write_text(f'<TEI xmlns="http://www.tei-c.org/ns/1.0"><text><body>{body}</body></text></TEI>')
        paths.append(path)
    return collate.collate(collate.load(paths))


def test_tokens_carry_the_flags_their_markup_gave(tmp_path):
    apparatus = _apparatus(
        tmp_path,
        {
            "A": "<p>the cat sat on the mat</p>",
            "B": "<p>the <unclear>cat</unclear> <subst><del>sat</del><add>lay</add></subst> on <supplied>the</supplied> mat</p>",
        },
    )
    data = json.loads(render(apparatus))
    assert data == to_data(apparatus)
    tokens = [cell[1][0] for cell in data["table"] if cell[1]]
    assert [t.get("f", []) for t in tokens] == [[], ["unclear"], ["add", "subst"], [], ["supplied"], []]
    assert all("f" not in cell[0][0] for cell in data["table"] if cell[0])  # plain text: no flags at all


def test_a_gap_is_a_lacuna_in_the_json_apparatus(tmp_path):
    apparatus = _apparatus(
        tmp_path,
        {
            "A": "<p>the night was very long and dark</p>",
            "B": '<p>the night was <gap reason="damage"/> and dark</p>',
            "C": "<p>the night was and dark</p>",
        },
    )
    data = json.loads(render(apparatus))
    (entry,) = data["apparatus"]
    assert entry["lemma"] == {"text": "very long", "wit": ["A"]}
    assert entry["readings"] == [
        {"text": "", "wit": ["C"], "type": "omission"},
        {"text": "", "wit": ["B"], "type": "lacuna"},
    ]
    flags = [cell[1][0].get("f") for cell in data["table"] if cell[1]]
    assert flags[2:4] == [["gap-after"], ["gap"]]


def test_only_lacunose_witnesses_make_a_lacuna(tmp_path):
    apparatus = _apparatus(
        tmp_path,
        {"A": "<p>one two three</p>", "B": '<p>one <gap/> three</p>', "C": "<p>one three</p>", "D": "<p>one three</p>"},
    )
    (entry,) = json.loads(render(apparatus))["apparatus"]
    assert [(r["wit"], r["type"]) for r in entry["readings"]] == [(["C", "D"], "omission"), (["B"], "lacuna")]
    assert entry["type"] == "omission"


def test_a_moved_passage_with_a_variant_inside_names_its_transposition_and_holds_the_entry():
    from collate.engine.model import Witness
    from collate.engine.tokens import make_tokens

    texts = {
        "a": "The black cat sat quietly on the old mat, and the dog slept by the door. It was a good day.",
        "b": "The black cat sat quietly on the old mat and the dog lay by the door. It was a good day.",
        "c": "And the dog slept by the door; the black cat sat quietly on the old mat. It was a good day.",
    }
    data = to_data(collate.collate([Witness(s, make_tokens(t, s)) for s, t in texts.items()]))
    (move,) = data["transpositions"]
    halves = [e for e in data["apparatus"] if e.get("transposition") == 0]
    assert sorted(e["columns"] for e in halves) == sorted([move["source"], move["target"]])
    (span,) = [e for e in halves if e.get("span")]
    assert span["lemma"] == {"text": "and the dog slept by the door", "wit": ["a", "b"]}
    assert span["readings"] == [{"text": "", "wit": ["c"], "type": "transposition"}]
    inside = [e for e in data["apparatus"] if span["columns"][0] <= e["columns"][0] and e["columns"][1] <= span["columns"][1] and e is not span]
    assert [(e["lemma"]["text"], e["readings"][0]["text"], e["absent"]) for e in inside] == [("slept", "lay", ["c"])]
    assert "transposition" not in inside[0]
