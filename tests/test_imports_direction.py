"""Imports go one way: pages/app -> ketendata, analysis; analysis is pure; ketendata has no UI."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def python_files(*parts: str) -> list[Path]:
    files: list[Path] = []
    for part in parts:
        path = ROOT / part
        if path.is_file():
            files.append(path)
        elif path.is_dir():
            files.extend(sorted(path.rglob("*.py")))
    return files


def imported_modules(path: Path, root: Path = ROOT) -> set[str]:
    """Top-level names of every module a file imports (absolute imports; relative ones are
    resolved to the file's own package)."""
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    own_package = path.relative_to(root).parts[0]
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names.update(alias.name.split(".")[0] for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                names.add(own_package)
            elif node.module:
                names.add(node.module.split(".")[0])
    return names


def violations(parts: tuple[str, ...], forbidden: set[str]) -> list[str]:
    return [
        f"{path.relative_to(ROOT)} imports {name}"
        for path in python_files(*parts)
        for name in sorted(imported_modules(path) & forbidden)
    ]


def test_the_walker_sees_every_kind_of_import(tmp_path: Path) -> None:
    sample = tmp_path / "ketendata" / "page_like.py"
    sample.parent.mkdir()
    sample.write_text(
        "import streamlit as st\nfrom duckdb import connect\nimport os.path\n"
        "from . import codes\n\ndef f():\n    import analysis.report\n"
    )
    assert imported_modules(sample, tmp_path) == {
        "streamlit",
        "duckdb",
        "os",
        "ketendata",
        "analysis",
    }
    assert {"networkx", "pandas", "ketendata"} <= imported_modules(ROOT / "analysis" / "network.py")


@pytest.mark.parametrize(
    ("parts", "forbidden"),
    [
        (("analysis",), {"streamlit", "duckdb"}),
        (("ketendata",), {"streamlit"}),
        (("ketendata",), {"analysis", "pages", "app"}),
        (("analysis",), {"pages", "app"}),
    ],
)
def test_imports_go_one_way(parts: tuple[str, ...], forbidden: set[str]) -> None:
    assert violations(parts, forbidden) == []


def test_pages_and_app_reach_the_libraries_only_through_their_packages() -> None:
    # pages/ and app.py sit on top: they may import ketendata and analysis, but nothing below
    # them may import them back (checked above); here every file of theirs must at least parse
    for path in python_files("pages", "app.py"):
        assert isinstance(imported_modules(path), set)


def test_importing_the_analysis_leaves_duckdb_and_streamlit_out() -> None:
    modules = sorted(
        f"analysis.{path.stem}"
        for path in (ROOT / "analysis").glob("*.py")
        if path.stem not in ("__init__", "__main__")
    )
    assert "analysis.report" in modules
    code = (
        "import importlib, sys\n"
        f"for name in {modules!r}:\n"
        "    importlib.import_module(name)\n"
        "print(sorted(m for m in ('duckdb', 'streamlit') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
