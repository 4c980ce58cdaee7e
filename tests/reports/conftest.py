"""Fixtures for the report tests: witnesses written for the test, and Debian's Chromium driven by Playwright.

The browser is launched once per session from ``/usr/bin/chromium`` (``make test`` installs it; Playwright's
own browser download is never used). Every page runs with the network cut off: any request that is not a
``file://`` URL is aborted and recorded, and the test fails at teardown if one was attempted, or if the page
logged a console error or threw.
"""

from __future__ import annotations

import json
import os
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterator

import pytest

import collate
from collate.engine.model import Alignment, Source, Transposition, Witness, WitnessMeta
from collate.engine.variants import build_apparatus

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
ARTIFACTS = Path(__file__).resolve().parents[1] / "artifacts"
SMALL = Path(__file__).resolve().parents[1] / "data" / "html_small"


def witness(
    siglum: str, lines: list[str], *, pages: list[str] | None = None, title: str = "", paragraphs: bool = False
) -> Witness:
    """A witness from lines of text; token sources carry the line (1-based) and, if given, the page.

    With ``paragraphs``, each line is a TEI ``p`` instead (element path, no line number), and the words of
    the first paragraph after its first are in a nested ``hi`` (still the same paragraph)."""
    text = "\n".join(lines)
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)

    def locate(start: int, end: int) -> Source:
        n = max(i for i, s in enumerate(starts) if s <= start)
        if paragraphs:
            element = f"/TEI/text[1]/body[1]/div[1]/p[{n + 1}]" + ("/hi[1]" if n == 0 and start > 0 else "")
            return Source(element=element, start=start, end=end)
        return Source(page=pages[n] if pages else None, line=str(n + 1), start=start, end=end)

    tokens = collate.make_tokens(text, siglum, locate=locate)
    return Witness(siglum, tokens, WitnessMeta(title=title or f"Witness {siglum}", date="1900", source="test"))


@pytest.fixture
def small(monkeypatch) -> collate.Apparatus:
    """Three short witnesses with every variant type. The alignment table is frozen in ``alignment.json``
    so that the report's golden file follows changes to the report, not to the aligner."""
    monkeypatch.chdir(SMALL)  # relative paths: the witness list shows each file the same on every machine
    witnesses = collate.load(["a.txt", "b.txt", "c.txt"])
    frozen = json.loads((SMALL / "alignment.json").read_text(encoding="utf-8"))
    transpositions = tuple(
        Transposition(
            tuple(t["source"]),
            tuple(t["target"]),
            tuple(t["source_witnesses"]),
            tuple(t["target_witnesses"]),
            tuple(tuple(link) for link in t["links"]),
        )
        for t in frozen["transpositions"]
    )
    columns = tuple(tuple(c) for c in frozen["columns"])
    return build_apparatus(Alignment(tuple(witnesses), columns, transpositions))


@dataclass
class PageLog:
    """What a page did that it should not: console errors, uncaught exceptions, requests off the file."""

    console_errors: list[str] = field(default_factory=list)
    page_errors: list[str] = field(default_factory=list)
    blocked: list[str] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)


@pytest.fixture(scope="session")
def chromium():
    if not Path(CHROMIUM).exists():
        pytest.fail(f"Chromium not found at {CHROMIUM}; run the suite through `make test`, which installs it")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@contextmanager
def logged_page(chromium, width: int, height: int, **options) -> Iterator[tuple[object, PageLog]]:
    """A fresh page of the given size with the network blocked and its misbehaviour logged; on leaving, it
    fails the test if the page logged a console error, threw, or tried a request off the file."""
    context = chromium.new_context(viewport={"width": width, "height": height}, **options)
    log = PageLog()

    def route(r) -> None:
        url = r.request.url
        log.requests.append(url)
        if url.startswith("file://"):
            r.continue_()
        else:
            log.blocked.append(url)
            r.abort()

    context.route("**/*", route)
    page = context.new_page()
    page.on("console", lambda m: log.console_errors.append(m.text) if m.type == "error" else None)
    page.on("pageerror", lambda e: log.page_errors.append(str(e)))
    yield page, log
    context.close()
    assert log.console_errors == [], f"console errors: {log.console_errors}"
    assert log.page_errors == [], f"uncaught exceptions: {log.page_errors}"
    assert log.blocked == [], f"network requests attempted: {log.blocked}"


@pytest.fixture
def browser_page(chromium) -> Iterator[tuple[object, PageLog]]:
    """A fresh page (1366×800, a laptop screen) with the network blocked and its misbehaviour logged."""
    with logged_page(chromium, 1366, 800) as page:
        yield page


@pytest.fixture(params=[(390, 844), (360, 780)], ids=["390x844", "360x780"])
def phone_page(chromium, request) -> Iterator[tuple[object, PageLog]]:
    """The same on a phone: two common sizes, a touch screen that honours the page's viewport tag."""
    width, height = request.param
    with logged_page(chromium, width, height, is_mobile=True, has_touch=True, device_scale_factor=2) as page:
        yield page


@pytest.fixture
def artifacts() -> Path:
    """Where screenshots are kept (git-ignored) for a person to look at."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
