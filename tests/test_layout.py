"""The layout the folder list promises: every library module says what it offers (``__all__``),
and ``pages/`` holds pages only, each registered in the navigation."""

from __future__ import annotations

import ast
import importlib
import importlib.util
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]

LIBRARY_MODULES = sorted(
    path
    for package in ("analysis", "ketendata", "ui")
    for path in (ROOT / package).rglob("*.py")
    if path.name != "__main__.py"
)


def module_name(path: Path) -> str:
    parts = path.relative_to(ROOT).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def declared_all(path: Path) -> list[str] | None:
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(target, ast.Name) and target.id == "__all__" for target in node.targets
        ):
            return list(ast.literal_eval(node.value))
    return None


def test_the_library_has_modules_in_every_layer() -> None:
    names = {module_name(path) for path in LIBRARY_MODULES}
    assert {"analysis.norms", "ketendata.intake.validation", "ketendata.store.queries"} <= names


@pytest.mark.parametrize("path", LIBRARY_MODULES, ids=module_name)
def test_every_module_declares_what_it_offers(path: Path) -> None:
    if path.name == "__init__.py" and declared_all(path) is None:
        # a package without names of its own (only a docstring) has nothing to declare
        assert all(isinstance(node, ast.Expr) for node in ast.parse(path.read_text()).body), (
            f"{module_name(path)} defines names but no __all__"
        )
        return
    names = declared_all(path)
    assert names is not None, f"{module_name(path)} has no __all__"
    if module_name(path).startswith("ui"):
        return  # ui imports streamlit; its names are checked by the page tests
    module = importlib.import_module(module_name(path))
    missing = [
        name
        for name in names
        if not hasattr(module, name)
        and importlib.util.find_spec(f"{module.__name__}.{name}") is None
    ]
    assert missing == [], f"{module_name(path)}.__all__ names what it does not define: {missing}"


def test_pages_holds_pages_only_and_each_is_in_the_navigation() -> None:
    app = (ROOT / "app.py").read_text(encoding="utf-8")
    ui_common = (ROOT / "ui" / "common.py").read_text(encoding="utf-8")
    pages = sorted(p for p in (ROOT / "pages").glob("*.py") if p.name != "__init__.py")
    assert len(pages) >= 7
    for page in pages:
        assert f'"pages/{page.name}"' in app + ui_common, f"{page.name} is not a registered page"


#: Plurals written as a hedge instead of chosen by count ("partner(s)", "probleem/problemen").
HEDGED_PLURAL = re.compile(r"[a-z]\((?:s|en|'s|n)\)|\b(\w{4})\w*/\1\w*")


def _string_literals(path: Path) -> list[tuple[int, str]]:
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            found.append((node.lineno, node.value))
    return found


def test_user_texts_choose_singular_or_plural_by_count() -> None:
    hedged = [
        f"{path.relative_to(ROOT)}:{line}: {text!r}"
        for path in [*LIBRARY_MODULES, *sorted((ROOT / "pages").glob("*.py")), ROOT / "app.py"]
        for line, text in _string_literals(path)
        if HEDGED_PLURAL.search(text)
        and not text.lstrip().startswith(('"""', "A ", "The "))
        and "\n" not in text  # docstrings
    ]
    assert hedged == []


def test_the_hedged_plural_pattern_finds_what_it_should() -> None:
    assert all(
        HEDGED_PLURAL.search(text)
        for text in ("1 partner(s)", "3 probleem/problemen", "knelpunt(en)", "versie(s)")
    )
    assert not any(
        HEDGED_PLURAL.search(text) for text in ("2 partners", "1 afspraak", "Noord/Zuid")
    )
