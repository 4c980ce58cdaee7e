"""The architecture, read from the source: no import cycles, and an engine that knows nothing of files or markup.

Every ``import`` and ``from … import`` is read with ``ast``, wherever it stands: at module level, inside a
function (a lazy import is a dependency all the same) or under ``if TYPE_CHECKING`` (a type the layer below
needs belongs in the layer below). An edge goes to the module named, or to the submodule when ``from package
import name`` names one. The parent packages' ``__init__`` files are not counted as imported: each of them
imports nothing eagerly but the error types, so that importing the engine does not load the layers above it
(``test_importing_the_engine_loads_no_upper_layer`` checks that at run time).
"""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGES = ("collate", "tei", "witnesses", "reports")
ENGINE = "collate.engine"
# What the engine may not reach: the layers above it and the libraries that belong to them.
FORBIDDEN_IN_ENGINE = ("tei", "witnesses", "reports", "lxml", "jinja2", "sqlite3", "typer", "rich", "dask", "distributed")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _modules() -> dict[str, Path]:
    found: dict[str, Path] = {}
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            found[_module_name(path)] = path
    return found


MODULES = _modules()


def _imports(name: str, path: Path) -> set[str]:
    """Every module ``name`` imports (project modules resolved to the most specific one, others by name)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    package = name if path.name == "__init__.py" else name.rpartition(".")[0]
    targets: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            targets.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            for alias in node.names:
                candidate = f"{base}.{alias.name}"
                targets.add(candidate if candidate in MODULES else base)
        elif isinstance(node, ast.Call) and getattr(node.func, "id", None) == "import_module" and node.args:
            # ``import_module(".x", __name__)`` in the lazy package ``__init__`` files.
            first = node.args[0]
            if isinstance(first, ast.Constant) and isinstance(first.value, str):
                value = first.value
                targets.add(f"{package}{value}" if value.startswith(".") else value)
    return targets


GRAPH = {name: {t for t in _imports(name, path) if t in MODULES and t != name} for name, path in MODULES.items()}
EXTERNAL = {name: _imports(name, path) for name, path in MODULES.items()}


def _cycle() -> list[str] | None:
    """One import cycle among the project's modules, or ``None`` (an iterative depth-first search)."""
    state: dict[str, int] = {}  # 1 on the current path, 2 done
    for start in sorted(GRAPH):
        if state.get(start):
            continue
        path = [start]
        stack = [iter(sorted(GRAPH[start]))]
        state[start] = 1
        while stack:
            step = next(stack[-1], None)
            if step is None:
                state[path.pop()] = 2
                stack.pop()
            elif state.get(step) == 1:
                return path[path.index(step):] + [step]
            elif not state.get(step):
                state[step] = 1
                path.append(step)
                stack.append(iter(sorted(GRAPH[step])))
    return None


def test_the_import_graph_is_read():
    # A reader that found no edges would make every check below pass: make sure it sees the real wiring.
    assert "collate.engine.graph" in MODULES
    assert "collate.engine.align" in GRAPH["collate.engine.graph"]
    assert "collate.engine.model" in GRAPH["reports.html"]
    assert "tei.reader" in GRAPH["witnesses.load"]


def test_no_import_cycles():
    assert _cycle() is None, " → ".join(_cycle() or [])


def test_the_cycle_check_finds_a_cycle():
    saved = {k: set(v) for k, v in GRAPH.items()}
    try:
        GRAPH["collate.engine.model"].add("reports.html")
        assert _cycle() is not None
    finally:
        GRAPH.clear()
        GRAPH.update(saved)


@pytest.mark.parametrize("module", sorted(m for m in MODULES if m == ENGINE or m.startswith(ENGINE + ".")))
def test_the_engine_is_pure(module):
    bad = sorted(t for t in EXTERNAL[module] if t.split(".")[0] in FORBIDDEN_IN_ENGINE)
    assert not bad, f"{module} imports {bad}"
    # Inside collate, the engine reaches only itself and the shared error types.
    upward = sorted(t for t in GRAPH[module] if t.startswith("collate.") and not t.startswith(ENGINE) and t != "collate.errors")
    assert not upward, f"{module} imports {upward}"


@pytest.mark.parametrize("layer", ["reports", "tei", "witnesses"])
def test_the_middle_layers_do_not_reach_the_runners(layer):
    # The CLI, the API and the runners wire the layers; the layers never call back up into them.
    top = ("collate.cli", "collate.api", "collate.batch.run", "collate.translate.run")
    for module in (m for m in MODULES if m.split(".")[0] == layer):
        assert not GRAPH[module] & set(top), f"{module} imports {sorted(GRAPH[module] & set(top))}"


def test_importing_the_engine_loads_no_upper_layer():
    code = (
        "import sys, collate.engine.graph, collate.engine.variants, collate.engine.tokens\n"
        f"bad = sorted(m for m in sys.modules if m.split('.')[0] in {FORBIDDEN_IN_ENGINE!r})\n"
        "print(','.join(bad))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.strip() == ""
