"""The editor's workflow in Chromium: collate a project, correct entries in the HTML page (merge, lemma,
note, move), export corrections.toml, run again with it; the corrections survive a change to a witness
elsewhere and are reported by name when their own words change.

Run on the bundled Darwin editions and on an excerpt of Frankenstein C24 (``tests/data/frankenstein_c24``),
and on the whole of C24 as published when the shared corpora stand beside the clone.
Screenshots of the page with the controls are kept in ``tests/artifacts/``.
"""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path

import pytest
from lxml import etree
from typer.testing import CliRunner

from collate.cli import app

pytestmark = pytest.mark.browser

ROOT = Path(__file__).resolve().parents[2]
CORPORA = {
    "darwin": sorted((ROOT / "witnesses" / "data").glob("darwin_*.xml")),
    "frankenstein": sorted((ROOT / "tests" / "data" / "frankenstein_c24").glob("*.xml")),
}
# The whole unit as published, when the shared corpora stand beside the clone (the excerpt runs everywhere).
SHARED_C24 = ROOT.parent / "shared" / "corpora" / "frankenstein" / "C24"
if SHARED_C24.is_dir():
    CORPORA["frankenstein-c24-whole"] = sorted(SHARED_C24.glob("*.xml"))
TEI = {"t": "http://www.tei-c.org/ns/1.0"}
runner = CliRunner()


def stale(output: str) -> list[str]:
    """The lines of a run's output that report a correction that no longer applies."""
    return [line for line in output.splitlines() if "corrections.toml" in line]


def run(project: Path) -> str:
    result = runner.invoke(app, ["run", str(project)])
    assert result.exit_code == 0, result.output
    return result.output


def plain(entries: list[dict], table: list, k: int) -> bool:
    """An ordinary entry: no span, not inside one, not a transposition's half."""
    e = entries[k]
    return not e.get("span") and not e.get("absent") and e["type"] != "transposition" and not any(
        r["type"] == "transposition" for r in e["readings"])


def movable(data: dict, e: dict) -> int | None:
    """A witness whose words in entry ``e`` can each move one column right inside it (the cell there is
    free or holds the next of its moved words)."""
    s, end = e["columns"]
    for w in range(len(data["witnesses"])):
        cols = [c for c in range(s, end) if data["table"][c][w] is not None]
        if cols and cols[-1] + 1 < end and all(data["table"][c + 1][w] is None or c + 1 in cols for c in cols):
            return w
    return None


def unique_word(text: str, raw: str) -> bool:
    return bool(re.fullmatch(r"[A-Za-z]{5,}", text)) and len(re.findall(rf"(?<![\w-]){text}(?![\w-])", raw)) == 1


def pick(data: dict, base_raw: str) -> dict:
    """Entries to correct, the rarest kind first, never neighbours of one another (a move regroups its
    entry, and a merge its two, without touching the others)."""
    entries = data["apparatus"]
    table = data["table"]
    chosen: dict = {}
    used: list[int] = []

    def free(*ks: int) -> bool:
        return all(plain(entries, table, k) and all(abs(k - u) > 1 for u in used) for k in ks)

    for k in range(len(entries)):
        w = movable(data, entries[k])
        if free(k) and w is not None:
            chosen["move"] = (entries[k]["n"], w, entries[k]["columns"])
            used.append(k)
            break
    for k in range(len(entries)):
        if free(k) and unique_word(entries[k]["lemma"]["text"], base_raw):
            chosen["note"] = (entries[k]["n"], entries[k]["lemma"]["text"])
            used.append(k)
            break
    for k in range(len(entries)):
        if free(k) and entries[k]["lemma"]["text"] and any(r["text"] for r in entries[k]["readings"]):
            reading = next(r for r in entries[k]["readings"] if r["text"])
            chosen["lemma"] = (entries[k]["n"], reading["text"], reading["wit"][0])
            used.append(k)
            break
    for k in range(len(entries) - 1):
        if free(k, k + 1):
            chosen["merge"] = (entries[k]["n"], entries[k + 1]["n"])
            break
    assert set(chosen) == {"merge", "lemma", "note", "move"}, chosen
    return chosen


def open_panel(page, n: int) -> None:
    page.keyboard.press("Escape")  # the panel open before closes
    assert page.locator(".corr-panel").count() == 0
    page.locator(f"#a{n}").scroll_into_view_if_needed()
    page.hover(f"#a{n} .num")
    assert page.get_attribute(".corr-edit", "data-n") == str(n)
    page.click(".corr-edit")
    page.wait_for_selector(".corr-panel")


def moved_word(data: dict, w: int, columns: list[int]) -> tuple[int, list]:
    """Witness ``w``'s first word in ``columns`` and what the others read one column to its right."""
    s, end = columns
    c = next(c for c in range(s, end) if data["table"][c][w] is not None)
    first = data["table"][c][w][0]["i"]
    beside = [None if cell is None else cell[0]["i"] for k, cell in enumerate(data["table"][c + 1]) if k != w]
    return first, beside


def column_of(data: dict, w: int, i: int) -> list:
    for column in data["table"]:
        cell = column[w]
        if cell is not None and cell[0]["i"] == i:
            return [None if x is None else x[0]["i"] for k, x in enumerate(column) if k != w]
    raise AssertionError(f"token {i} of witness {w} is in no column")


def check_applied(folder: Path, picks: dict, moved: tuple[int, int, list]) -> dict:
    data = json.loads((folder / "alignment.json").read_text(encoding="utf-8"))
    assert data["corrections"]["refused"] == []
    entries = data["apparatus"]
    _, text, siglum = picks["lemma"]
    assert any(e["lemma"] == {"text": text, "wit": e["lemma"]["wit"], "chosen": True} and siglum in e["lemma"]["wit"]
               for e in entries)
    assert [e["notes"] for e in entries if e.get("notes")] == [["Checked against the manuscript."]]
    w, first, beside = moved
    assert column_of(data, w, first) == beside
    html = (folder / "apparatus.html").read_text(encoding="utf-8")
    assert 'class="chosen"' in html and "Checked against the manuscript." in html and 'id="corr-refused"' not in html
    tei = etree.fromstring((folder / "apparatus.xml").read_bytes())
    assert [lem.xpath("string()").strip() for lem in tei.xpath("//t:lem[@resp='#editor']", namespaces=TEI)] == [text]
    assert [n.text for n in tei.xpath("//t:app/t:note", namespaces=TEI)] == ["Checked against the manuscript."]
    return data


@pytest.mark.parametrize("corpus", sorted(CORPORA))
def test_corrections_made_in_the_page_survive_re_collation(corpus, tmp_path, browser_page, artifacts):
    page, _ = browser_page
    folder = tmp_path / corpus
    folder.mkdir()
    for path in CORPORA[corpus]:
        shutil.copy(path, folder / path.name)
    result = runner.invoke(app, ["init", str(folder)])
    assert result.exit_code == 0, result.output
    project = folder / "collate.toml"
    text = project.read_text(encoding="utf-8")
    assert '# corrections = "corrections.toml"' in text
    run(project)

    first = json.loads((folder / "alignment.json").read_text(encoding="utf-8"))
    base = first["base"]
    base_file = next(p for p in sorted(folder.glob("*.xml")) if p.name.startswith(base) or base in p.stem)
    picks = pick(first, base_file.read_text(encoding="utf-8"))
    move_n, move_w, move_columns = picks["move"]
    first_word, beside = moved_word(first, move_w, move_columns)

    page.goto((folder / "apparatus.html").as_uri())
    page.wait_for_selector("html[data-ready='1']")
    # merge
    a, b = picks["merge"]
    open_panel(page, a)
    page.click(".corr-panel button:has-text('Merge with next')")
    assert page.locator(f"#a{a}.corr-pending .corr-badge").inner_text() == "merge"
    assert page.locator(f"#a{b}.corr-pending").count() == 1
    # lemma
    n, text_, siglum = picks["lemma"]
    open_panel(page, n)
    label = page.locator(".corr-panel label.corr-choice").filter(has=page.locator(".t", has_text=re.compile(f"^{re.escape(text_)}$")))
    label.first.locator("input").check()
    # note
    n, _ = picks["note"]
    open_panel(page, n)
    page.fill(".corr-panel textarea", "Checked against the manuscript.")
    page.screenshot(path=str(artifacts / f"corrections-{corpus}-panel.png"))
    page.click(".corr-panel button:has-text('Save note')")
    # move
    open_panel(page, move_n)
    page.select_option(".corr-panel select[aria-label^='Witness']", str(move_w))
    page.click(".corr-panel button:has-text('right')")
    page.keyboard.press("Escape")
    assert page.locator(".corr-panel").count() == 0
    assert page.locator(".corr-bar .corr-count").inner_text() == "4 corrections"
    # kept across a reload (localStorage, keyed by the document)
    page.reload()
    page.wait_for_selector("html[data-ready='1']")
    assert page.locator(".corr-bar .corr-count").inner_text() == "4 corrections"
    page.click(".corr-bar button:has-text('List')")
    page.screenshot(path=str(artifacts / f"corrections-{corpus}-list.png"))
    with page.expect_download() as download:
        page.click(".corr-export")
    download.value.save_as(folder / "corrections.toml")
    exported = (folder / "corrections.toml").read_text(encoding="utf-8")
    assert exported.count("[[correction]]") == 4
    assert all(f'kind = "{k}"' in exported for k in ("merge", "lemma", "note", "move"))

    # run again with the file: every correction shows in the outputs
    project.write_text(text.replace('# corrections = "corrections.toml"', 'corrections = "corrections.toml"'), encoding="utf-8")
    output = run(project)
    assert not stale(output), output  # (the reader may warn of the manuscript's unresolved spans)
    data = check_applied(folder, picks, (move_w, first_word, beside))
    start = next(x["columns"][0] for x in first["apparatus"] if x["n"] == a)
    end = next(x["columns"][1] for x in first["apparatus"] if x["n"] == b)
    b_index = first["witnesses"].index(base)
    passage = "".join(col[b_index][0]["t"] for col in first["table"][start:end] if col[b_index] is not None)
    assert passage in ["".join(e["lemma"]["text"].split()) for e in data["apparatus"]]  # one entry now

    # the page made with them shows the note, also when another witness is made the base
    page.goto((folder / "apparatus.html").as_uri())
    page.wait_for_selector("html[data-ready='1']")
    assert page.locator("#apparatus .enote").inner_text() == "Note: Checked against the manuscript."
    assert page.locator(".corr-bar .corr-count").inner_text() == "4 corrections"
    noted = int(page.locator("#apparatus .enote").locator("xpath=..").get_attribute("data-n"))
    open_panel(page, noted)  # the note applied is the one the panel edits: a new text replaces it
    assert page.input_value(".corr-panel textarea") == "Checked against the manuscript."
    page.keyboard.press("Escape")
    page.select_option("#base", str(1 - first["witnesses"].index(base) if len(first["witnesses"]) > 1 else 0))
    assert page.locator("#apparatus .enote").count() == 1

    # a witness changed elsewhere (its last word): the corrections still apply
    other = next(p for p in sorted(folder.glob("*.xml")) if p != base_file)
    raw = other.read_text(encoding="utf-8")
    w_other = [p.name for p in sorted(folder.glob("*.xml"))].index(other.name)
    words = [cell[0]["t"] for cell in (col[w_other] for col in first["table"]) if cell is not None]
    last = next(t for t in reversed(words) if re.fullmatch(r"[A-Za-z]{3,}", t))
    at = [m.start() for m in re.finditer(rf"(?<![\w-]){last}(?![\w-])", raw)][-1]
    other.write_text(raw[:at] + "Altered" + raw[at + len(last):], encoding="utf-8")
    output = run(project)
    assert not stale(output), output  # (the reader may warn of the manuscript's unresolved spans)
    check_applied(folder, picks, (move_w, first_word, beside))

    # the words of a corrected place changed: that correction is reported by name, the others still apply
    n, word = picks["note"]
    raw = base_file.read_text(encoding="utf-8")
    base_file.write_text(re.sub(rf"(?<![\w-]){word}(?![\w-])", "Revised", raw), encoding="utf-8")
    output = run(project)
    assert re.search(rf'warning: \S*corrections.toml:\d+: correction \d \(note "{word}"\): its words no longer stand in', output), output
    data = json.loads((folder / "alignment.json").read_text(encoding="utf-8"))
    (refused,) = data["corrections"]["refused"]
    assert refused["kind"] == "note" and refused["words"] == word
    assert not any(e.get("notes") for e in data["apparatus"])
    assert any(e["lemma"].get("chosen") for e in data["apparatus"])
    page.goto((folder / "apparatus.html").as_uri())
    page.wait_for_selector("html[data-ready='1']")
    assert f'(note "{word}")' in page.locator("#corr-refused").inner_text()
    assert "1 stale" in page.locator(".corr-bar .corr-count").inner_text()
    page.screenshot(path=str(artifacts / f"corrections-{corpus}-stale.png"))
