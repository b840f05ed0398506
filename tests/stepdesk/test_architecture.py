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
