"""Fixtures shared by the batch tests."""

from __future__ import annotations

import shutil

import pytest


@pytest.fixture
def week1(data_dir, tmp_path, monkeypatch):
    """The week-1 folders copied to a scratch folder that is the working directory, so paths are relative."""
    for name in ("ref", "scans"):
        shutil.copytree(data_dir / "batch_week1" / name, tmp_path / name)
    monkeypatch.chdir(tmp_path)
    return tmp_path
