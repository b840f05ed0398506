"""The core knows nothing of Qt or ReportLab (DESIGN.md, Layout)."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import stepdesk

CORE = Path(stepdesk.__file__).resolve().parent
FORBIDDEN = ("PySide6", "reportlab", "ui", "reports")


def imports(tree: ast.AST) -> list[tuple[str, bool]]:
    """(module, at module level?) for every import in a file."""
    found = []
    top = {id(node) for node in getattr(tree, "body", [])}
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            found += [(alias.name, id(node) in top) for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            found.append((node.module, id(node) in top))
    return found


def forbidden(module: str) -> bool:
    return module.split(".")[0] in FORBIDDEN


def test_core_never_imports_qt_reportlab_ui_or_reports() -> None:
    offenders = []
    files = list(CORE.rglob("*.py"))
    assert len(files) > 10
    for path in files:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for module, at_top in imports(tree):
            if not forbidden(module):
                continue
            # The CLI may import ui / reports lazily, inside the command that needs them.
            if path.parent.name == "cli" and not at_top:
                continue
            offenders.append(f"{path.relative_to(CORE.parent)} imports {module}")
    assert offenders == []


def test_importing_the_core_and_cli_loads_no_qt_or_reportlab() -> None:
    code = (
        "import sys, stepdesk.cli, stepdesk.demo, stepdesk.services.decisions, "
        "stepdesk.services.minutes\n"
        "roots = ('PySide6', 'reportlab', 'ui', 'reports')\n"
        "bad = [m for m in sys.modules if m.split('.')[0] in roots]\n"
        "print(bad)\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"


ROOT = CORE.parent
PACKAGES = ("stepdesk", "ui", "reports")


def _module_name(path: Path) -> str:
    parts = list(path.relative_to(ROOT).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _all_imports() -> dict[str, list[tuple[str, bool]]]:
    """Every module of ours and what it imports (absolute names; relative ones resolved)."""
    found: dict[str, list[tuple[str, bool]]] = {}
    for package in PACKAGES:
        for path in (ROOT / package).rglob("*.py"):
            tree = ast.parse(path.read_text(encoding="utf-8"))
            name = _module_name(path)
            mods = imports(tree)
            for node in ast.walk(tree):  # ``from stepdesk.services import audit`` -> module
                if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
                    mods += [(f"{node.module}.{a.name}", False) for a in node.names]
            found[name] = mods
    return found


def test_ui_never_reaches_into_persistence_or_the_demo() -> None:
    """The GUI opens databases through services.opening, never persistence or demo itself."""
    offenders = [
        f"{name} imports {module}"
        for name, mods in _all_imports().items()
        if name.split(".")[0] == "ui"
        for module, _top in mods
        if module.startswith(("stepdesk.persistence", "stepdesk.demo"))
    ]
    assert offenders == []


def test_imports_run_one_way_ui_reports_stepdesk() -> None:
    offenders = [
        f"{name} imports {module}"
        for name, mods in _all_imports().items()
        if name.split(".")[0] == "reports"
        for module, _top in mods
        if module.split(".")[0] in ("ui", "PySide6")
    ]
    assert offenders == []


def _circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Strongly connected groups of more than one module (Tarjan)."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for nxt in graph.get(node, ()):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in on_stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            group = []
            while True:
                top = stack.pop()
                on_stack.discard(top)
                group.append(top)
                if top == node:
                    break
            if len(group) > 1:
                groups.append(sorted(group))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return groups


def test_no_import_circles() -> None:
    """Inside each package imports run from wiring to parts; no two modules import each other.

    A package's ``__init__`` that re-exports its parts is the wiring: an edge into a package
    ``__init__`` from its own parts would be a circle, and is reported like any other. Imports
    only for type checking count too: they are how a part comes to know its host.
    """
    everything = _all_imports()
    graph = {
        name: {m for m, _top in mods if m in everything and m != name}
        for name, mods in everything.items()
    }
    assert _circles(graph) == []
