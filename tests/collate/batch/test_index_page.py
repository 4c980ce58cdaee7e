"""The batch index names each file and keeps its whole path in the tooltip."""

from pathlib import Path

from collate.batch.run import run_batch

DATA = Path(__file__).resolve().parents[3] / "tests" / "data" / "batch_week1"


def test_index_shows_file_names_with_the_full_path_as_tooltip(tmp_path):
    run_batch(DATA / "ref", DATA / "scans", tmp_path / "out", workers=1)
    page = (tmp_path / "out" / "index.html").read_text(encoding="utf-8")
    reference = str(DATA / "ref" / "a.txt")
    assert f'<td title="{reference}">a.txt</td>' in page
    assert f">{reference}<" not in page
