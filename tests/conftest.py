"""Fixtures shared by the whole suite."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
DATA = Path(__file__).resolve().parent / "data"


@pytest.fixture(scope="session", autouse=True)
def _private_cache(tmp_path_factory):
    """Compiled templates go to a folder of the test run's, not to the user's cache."""
    previous = os.environ.get("XDG_CACHE_HOME")
    os.environ["XDG_CACHE_HOME"] = str(tmp_path_factory.mktemp("cache"))
    yield
    if previous is None:
        os.environ.pop("XDG_CACHE_HOME", None)
    else:
        os.environ["XDG_CACHE_HOME"] = previous


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
