"""The HTML report of Darwin's *Origin* ch. 1 in six editions: how fast it opens and answers in Chromium.

Usage: python benchmarks/html_load.py [WITNESS ...] [--runs N] [--out DIR] [--json]

Witnesses default to the bundled TEI samples (``witnesses.sample_paths()``), or to
``../shared/corpora/darwin/darwin_*.txt`` when the samples are missing. The report is written to ``--out``
(default ``benchmarks/out``) and opened from ``file://`` in Debian's Chromium (``/usr/bin/chromium``, or
``$CHROMIUM``) through Playwright, with every non-file request blocked, ``--runs`` times in fresh pages.

Measured, median over the runs:
- load: from the start of navigation to the page's script having built everything (``html[data-ready]``),
  taken from Chromium's own clock (the page's ``collation-ready`` performance mark), plus the wall time
  Playwright saw;
- first paint and DOMContentLoaded from the Performance API;
- interaction, each until the next frame is painted: the next variant (key ``j``), switching the base
  witness, hiding a witness, a type filter, and opening the synopsis, the alignment table and the heat map.
Also reported: Python-side collation and rendering time and the size of the file.
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import collate  # noqa: E402

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]

# Runs an action in the page and resolves once the frame after it has been painted.
TIMED = """async (action) => {
  const t0 = performance.now();
  const actions = {
    next: () => document.dispatchEvent(new KeyboardEvent('keydown', {key: 'j', bubbles: true})),
    base: () => { const s = document.getElementById('base'); s.value = String(s.options.length - 1);
                  s.dispatchEvent(new Event('change')); },
    base_back: () => { const s = document.getElementById('base'); s.value = '0'; s.dispatchEvent(new Event('change')); },
    hide: () => document.querySelector('#wit-toggles input:not([disabled])').click(),
    filter: () => document.querySelector('#type-filters input[data-type=substantive]').click(),
    synopsis: () => document.querySelector('.tabs button[data-view=synopsis]').click(),
    table: () => document.querySelector('.tabs button[data-view=table]').click(),
    heat: () => document.querySelector('.tabs button[data-view=heat]').click(),
    text: () => document.querySelector('.tabs button[data-view=text]').click(),
  };
  actions[action]();
  await new Promise(r => requestAnimationFrame(() => setTimeout(r, 0)));
  return performance.now() - t0;
}"""

ACTIONS = ["next", "next", "filter", "filter", "hide", "hide", "base", "synopsis", "table", "heat", "text", "base_back"]


def default_witnesses() -> list[Path]:
    from witnesses import sample_paths

    paths = sample_paths()
    if len(paths) >= 2:
        return paths
    return sorted((ROOT.parent / "shared" / "corpora" / "darwin").glob("darwin_*.txt"))


def measure(report: Path, runs: int) -> dict[str, object]:
    from playwright.sync_api import sync_playwright

    blocked: list[str] = []
    errors: list[str] = []
    loads, walls, paints, dcls = [], [], [], []
    actions: dict[str, list[float]] = {}
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        for _ in range(runs):
            context = browser.new_context(viewport={"width": 1366, "height": 800})

            def route(r) -> None:
                if r.request.url.startswith("file://"):
                    r.continue_()
                else:
                    blocked.append(r.request.url)
                    r.abort()

            context.route("**/*", route)
            page = context.new_page()
            page.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
            page.on("pageerror", lambda e: errors.append(str(e)))
            t0 = time.perf_counter()
            page.goto(report.as_uri())
            page.wait_for_selector("html[data-ready='1']")
            walls.append((time.perf_counter() - t0) * 1000)
            loads.append(page.evaluate("performance.getEntriesByName('collation-ready')[0].startTime"))
            paints.append(
                page.evaluate(
                    "(performance.getEntriesByName('first-paint')[0] || {startTime: NaN}).startTime"
                )
            )
            dcls.append(page.evaluate("performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd"))
            for action in ACTIONS:
                actions.setdefault(action, []).append(page.evaluate(TIMED, action))
            context.close()
        browser.close()
    if blocked or errors:
        raise SystemExit(f"the page misbehaved: requests {blocked}, errors {errors}")
    return {
        "load_ms": statistics.median(loads),
        "load_wall_ms": statistics.median(walls),
        "first_paint_ms": statistics.median(paints),
        "dom_content_loaded_ms": statistics.median(dcls),
        "actions_ms": {k: statistics.median(v) for k, v in actions.items()},
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("witnesses", nargs="*", type=Path)
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", type=Path, default=ROOT / "benchmarks" / "out")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    args = parser.parse_args()

    paths = args.witnesses or default_witnesses()
    t0 = time.perf_counter()
    witnesses = collate.load(paths)
    apparatus = collate.collate(witnesses)
    t1 = time.perf_counter()
    html = collate.render(apparatus, "html")
    t2 = time.perf_counter()
    report = args.out / "darwin_apparatus.html"
    collate.write(apparatus, report)
    figures: dict[str, object] = {
        "witnesses": [w.siglum for w in witnesses],
        "tokens": sum(len(w.tokens) for w in witnesses),
        "variant_locations": len(apparatus.locations),
        "columns": len(apparatus.alignment.columns),
        "collate_s": round(t1 - t0, 3),
        "render_html_s": round(t2 - t1, 3),
        "html_bytes": len(html.encode("utf-8")),
        "report": str(report),
        "runs": args.runs,
    }
    figures.update(measure(report.resolve(), args.runs))
    if args.json:
        print(json.dumps(figures, indent=2))
        return
    print(f"Darwin ch. 1: {len(witnesses)} witnesses, {figures['tokens']} tokens, "
          f"{figures['variant_locations']} variant locations, {figures['columns']} columns")
    print(f"Python: load + collate {figures['collate_s']:.2f} s, render HTML {figures['render_html_s']:.2f} s, "
          f"file {figures['html_bytes'] / 1e6:.2f} MB")
    print(f"Chromium (median of {args.runs}): ready {figures['load_ms']:.0f} ms after navigation start "
          f"(wall {figures['load_wall_ms']:.0f} ms), first paint {figures['first_paint_ms']:.0f} ms, "
          f"DOMContentLoaded {figures['dom_content_loaded_ms']:.0f} ms")
    for name, ms in figures["actions_ms"].items():  # type: ignore[union-attr]
        print(f"  {name:<10} {ms:7.1f} ms")


if __name__ == "__main__":
    main()
