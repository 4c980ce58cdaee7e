"""Compiled templates are cached in the user's cache folder, safely."""

from __future__ import annotations

import os
import tempfile

import pytest
from jinja2 import Environment, PackageLoader

from reports import jinja


def _fresh(cache) -> Environment:
    return Environment(loader=PackageLoader("reports", "templates"), autoescape=True, bytecode_cache=cache)


@pytest.fixture
def cache_home(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    return tmp_path / "collate-toolkit" / "templates"


def test_a_template_compiled_once_is_loaded_from_the_cache_the_next_time(cache_home, monkeypatch):
    first = _fresh(jinja._bytecode_cache())
    page = first.get_template("apparatus.html.j2")
    assert list(cache_home.iterdir()), "nothing was cached"
    assert oct(cache_home.stat().st_mode & 0o777) == oct(0o700)

    second = _fresh(jinja._bytecode_cache())
    compiled = []
    original = second.compile
    monkeypatch.setattr(second, "compile", lambda *a, **k: compiled.append(a) or original(*a, **k))
    again = second.get_template("apparatus.html.j2")
    assert compiled == []
    assert again.render.__code__.co_code == page.render.__code__.co_code


def test_a_cache_folder_others_may_write_to_is_not_used(cache_home):
    cache_home.mkdir(parents=True)
    cache_home.chmod(0o777)
    assert jinja._bytecode_cache() is None


def test_a_link_in_place_of_the_cache_folder_is_not_used(cache_home, tmp_path):
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir(mode=0o700)
    cache_home.parent.mkdir(parents=True)
    os.symlink(elsewhere, cache_home)
    assert jinja._bytecode_cache() is None


def test_a_cache_that_cannot_be_written_is_skipped(cache_home, monkeypatch):
    def full(*args, **kwargs):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(tempfile, "NamedTemporaryFile", full)
    env = _fresh(jinja._bytecode_cache())
    template = env.get_template("translation.html.j2")  # compiled, used, not cached
    assert template.name == "translation.html.j2" and callable(template.render)
    assert not list(cache_home.iterdir())
