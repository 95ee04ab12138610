"""Every SQL statement of the project lives in ``ketendata/store/`` (schema, queries, writes):
no other module runs a statement on a connection or holds SQL text. The benchmark and the tests
may query a database directly and are not scanned."""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
STORE = ROOT / "ketendata" / "store"

#: Methods of a DuckDB connection or relation that run or expose SQL.
SQL_METHODS = frozenset({"execute", "executemany", "sql", "register", "unregister"})

#: The start of a statement, in the upper case the project writes SQL in (Dutch text such as
#: "Selecteer een regio" or "select from the list" never matches).
SQL_TEXT = re.compile(
    r"\bSELECT\b[\s\S]*\bFROM\b|\bINSERT\s+INTO\b|\bUPDATE\s+\w+\s+SET\b|\bDELETE\s+FROM\b"
    r"|\b(?:CREATE|DROP|ALTER)\s+(?:TABLE|INDEX|VIEW|SEQUENCE)\b|\bBEGIN\s+TRANSACTION\b"
    r"|\bCHECKPOINT\b|\bCOPY\s+\w+\s+(?:FROM|TO)\b|\bATTACH\b|\bPRAGMA\b|\bWITH\s+\w+\s+AS\s*\("
)


def sql_in(source: str) -> list[tuple[int, str]]:
    """(line, what) of every SQL call or SQL text in a module's source."""
    found: list[tuple[int, str]] = []
    for node in ast.walk(ast.parse(source)):
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Attribute)
            and node.func.attr in SQL_METHODS
        ):
            found.append((node.lineno, f".{node.func.attr}(...)"))
        elif isinstance(node, ast.Constant) and isinstance(node.value, str):
            match = SQL_TEXT.search(node.value)
            if match:
                found.append((node.lineno, repr(match.group(0)[:40])))
    return sorted(found)


def scanned_modules() -> list[Path]:
    """Every module of the app and the library outside the store."""
    paths = [ROOT / "app.py", ROOT / "serve.py"]
    for package in ("pages", "ui", "analysis", "ketendata"):
        paths += (ROOT / package).rglob("*.py")
    return sorted(p for p in paths if p.exists() and STORE not in p.parents)


def test_the_scan_covers_every_layer() -> None:
    names = {path.relative_to(ROOT).as_posix() for path in scanned_modules()}
    assert {"app.py", "ketendata/importers.py", "ketendata/samples/demo.py"} <= names
    assert any(name.startswith("pages/") for name in names)
    assert any(name.startswith("analysis/") for name in names)
    assert not any(name.startswith("ketendata/store/") for name in names)


@pytest.mark.parametrize("path", scanned_modules(), ids=lambda p: p.relative_to(ROOT).as_posix())
def test_no_module_outside_the_store_holds_sql(path: Path) -> None:
    found = sql_in(path.read_text(encoding="utf-8"))
    assert not found, (
        f"{path.relative_to(ROOT)} runs or holds SQL {found}; "
        "put the statement in a function of ketendata/store/ (queries.py or writes.py)"
    )


@pytest.mark.parametrize(
    "source",
    [
        'con.execute("SELECT 1")',
        "rows = con.sql(query).fetchall()",
        'con.executemany("INSERT INTO t VALUES (?)", rows)',
        'con.register("new_rows", frame)',
        'sql = "SELECT name FROM regions"',
        'statement = f"INSERT INTO {table} SELECT * FROM chunk"',
        'text = """\n    WITH cur AS (SELECT 1)\n"""',
        'DDL = "CREATE TABLE notes (id INTEGER)"',
        'con.cursor().execute(f"UPDATE regions SET name = {name!r}")',
    ],
)
def test_the_scan_finds_sql_where_it_does_not_belong(source: str) -> None:
    assert sql_in(source)


@pytest.mark.parametrize(
    "source",
    [
        'st.selectbox("Selecteer een regio", regions)',
        'message = "Kies een bestand en select from the list"',
        'label = "Importeren: nieuwe regio\'s aanmaken"',
        "frame.groupby('region').size()",
        "register = {'a': 1}",
    ],
)
def test_the_scan_leaves_ordinary_code_and_dutch_text_alone(source: str) -> None:
    assert sql_in(source) == []


@pytest.mark.parametrize("name", ["queries.py", "writes.py", "schema.py"])
def test_the_store_is_where_the_sql_is(name: str) -> None:
    assert sql_in((STORE / name).read_text(encoding="utf-8"))
