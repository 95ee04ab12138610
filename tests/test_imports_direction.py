"""Imports go one way: pages/app -> ui -> ketendata -> analysis; analysis is pure."""

from __future__ import annotations

import ast
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


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


def violations(
    parts: tuple[str, ...], forbidden: set[str], root: Path = ROOT, allowed: tuple[str, ...] = ()
) -> list[str]:
    """Every import of a forbidden package by the files under ``parts`` (paths in ``allowed``,
    relative to ``root``, are skipped)."""
    found: list[str] = []
    for part in parts:
        base = root / part
        files = [base] if base.is_file() else sorted(base.rglob("*.py"))
        for path in files:
            relative = path.relative_to(root).as_posix()
            if relative in allowed:
                continue
            found += [
                f"{relative} imports {name}"
                for name in sorted(imported_modules(path, root) & forbidden)
            ]
    return found


#: The one file of analysis/ that imports ketendata: the entry point of ``python -m analysis``,
#: which the spec names; the command line itself lives in ketendata/cli.py.
ANALYSIS_ENTRY_POINT = "analysis/__main__.py"

#: (files, packages they must not import): pages, app and the server on top, then ui, then
#: ketendata, then the pure analysis at the bottom.
RULES = [
    (("analysis",), {"streamlit", "duckdb", "ketendata", "ui", "pages", "app", "serve"}),
    (("ketendata",), {"streamlit", "ui", "pages", "app", "serve"}),
    (("ui",), {"pages", "app", "serve"}),
    (("pages", "app.py", "serve.py"), {"duckdb", "app", "serve"}),
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
    assert {"networkx", "pandas"} <= imported_modules(ROOT / "analysis" / "network.py")


def test_a_wrong_way_import_is_caught(tmp_path: Path) -> None:
    # The same rules over a small tree with one wrong-way import in each layer.
    for name, text in {
        "analysis/norms.py": "from ketendata.store import queries\n",
        "analysis/__main__.py": "from ketendata.analysis_cli import analysis_main\n",
        "ketendata/intake/reading.py": "import streamlit\n",
        "ui/common.py": "from pages import overview\n",
        "pages/overview.py": "import duckdb\n",
    }.items():
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text(text)
    found = [
        line
        for parts, forbidden in RULES
        for line in violations(parts, forbidden, tmp_path, allowed=(ANALYSIS_ENTRY_POINT,))
    ]
    assert found == [
        "analysis/norms.py imports ketendata",
        "ketendata/intake/reading.py imports streamlit",
        "ui/common.py imports pages",
        "pages/overview.py imports duckdb",
    ]


@pytest.mark.parametrize(("parts", "forbidden"), RULES)
def test_imports_go_one_way(parts: tuple[str, ...], forbidden: set[str]) -> None:
    assert violations(parts, forbidden, allowed=(ANALYSIS_ENTRY_POINT,)) == []


def test_the_analysis_entry_point_only_hands_over_to_the_command_line() -> None:
    assert imported_modules(ROOT / ANALYSIS_ENTRY_POINT) == {"sys", "ketendata"}


def test_importing_the_analysis_leaves_duckdb_streamlit_and_ketendata_out() -> None:
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
        "print(sorted(m for m in ('duckdb', 'streamlit', 'ketendata') if m in sys.modules))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=60
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "[]"
