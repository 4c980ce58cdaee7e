"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session")
def tei_all():
    """The TEI P5 ``tei_all`` RELAX NG schema, compiled once per session (it takes seconds)."""
    from lxml import etree

    path = Path(os.environ.get("TEI_ALL_RNG", ROOT / ".cache" / "tei" / "tei_all.rng"))
    if not path.exists():
        pytest.fail(f"TEI schema not found at {path}; run the suite through `make test`, which fetches it")
    return etree.RelaxNG(etree.parse(str(path)))


@pytest.fixture
def data_dir() -> Path:
    return DATA
