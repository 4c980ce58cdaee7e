"""Golden cases: witnesses under ``tests/data/<case>/`` and the expected outputs beside them.

The outputs are compared exactly. To regenerate them on purpose, run ``UPDATE_GOLDEN=1 pytest`` and
review the difference before committing it.
"""

import os
from pathlib import Path

import pytest

import collate

DATA = Path(__file__).resolve().parents[3] / "tests" / "data"
CASES = {
    # Darwin, Origin ch. 1, first paragraph, six editions (CollateX's classic example).
    "darwin_para1": ["1859", "1860", "1861", "1866", "1869", "1872"],
    # CollateX's "black cat" family, with a case change and punctuation.
    "black_cat": ["A", "B", "C", "D"],
}


@pytest.mark.parametrize("case", sorted(CASES))
@pytest.mark.parametrize("fmt, name", [("json", "alignment.json"), ("txt", "alignment.txt"), ("csv", "alignment.csv")])
def test_golden(case, fmt, name):
    folder = DATA / case
    apparatus = collate.collate(collate.load([folder / f"{s}.txt" for s in CASES[case]]))
    produced = collate.render(apparatus, fmt)
    expected = folder / name
    if os.environ.get("UPDATE_GOLDEN"):
        expected.write_text(produced, encoding="utf-8")
    assert expected.exists(), f"missing golden file {expected}; create it with UPDATE_GOLDEN=1"
    assert produced == expected.read_text(encoding="utf-8")
