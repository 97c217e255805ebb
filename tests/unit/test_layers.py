"""The core never reaches up: nothing under workers/ outside cli/ imports workers.cli."""

from __future__ import annotations

import ast
from pathlib import Path

WORKERS = Path(__file__).resolve().parents[2] / "workers"


def cli_imports(path: Path) -> list[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    found = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and (node.module or "").startswith("workers.cli"):
            found.append(node.module or "")
        elif isinstance(node, ast.Import):
            found += [a.name for a in node.names if a.name.startswith("workers.cli")]
    return found


def test_core_does_not_import_cli() -> None:
    offenders = {
        str(p.relative_to(WORKERS)): cli_imports(p)
        for p in WORKERS.rglob("*.py")
        if "cli" not in p.relative_to(WORKERS).parts and cli_imports(p)
    }
    assert not offenders, offenders
