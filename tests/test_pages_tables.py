"""No table on any page holds a cell that a spreadsheet would run as a formula (issue 14, item 4).

Every table's toolbar has Streamlit's own "Download as CSV", which writes the cells as they are
shown; a copy of cells goes to the clipboard the same way. So the pages show text that starts
like a formula with a leading ``'`` (``ui.common.show_table``). Here a region whose names are
formulas is imported with the real importer into a real database, and every table of every page
is checked (the browser test downloads one and opens it in LibreOffice).
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ketendata import store
from ketendata.files.exports import is_formula_like
from ketendata.importers import import_file
from tests.builders import csv_bytes, valid_rows
from ui import common

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 30

#: A region and organisations named as formulas (Excel and LibreOffice run each of them).
REGION = '=HYPERLINK("http://x","Regio")'
SHELTER = '=HYPERLINK("http://x","y")'
PARTNER = "+cmd|'/c calc'!A0"
ENDED_PARTNER = "@SUM(1+1)"
RESPONDENT = "-2+3"
HOSTILE = (REGION, SHELTER, PARTNER, ENDED_PARTNER, RESPONDENT)


def hostile_files(
    region: str, shelter: str, partner: str, ended_partner: str, respondent: str
) -> list[tuple[str, bytes]]:
    """The three upload kinds for one region with the given names, as (file name, CSV bytes).

    The shelter has a written agreement with ``partner`` and an ended one with
    ``ended_partner`` (so that one has no current agreement); the handovers of 2026-Q3 are
    mostly not warm (a handover gap); ``respondent`` answers the stagnation survey.
    """
    agreements = valid_rows("afspraken")
    agreements[1][:4] = [region, shelter, "vrouwenopvang", partner]
    agreements[2][:4] = [region, shelter, "", ended_partner]
    agreements[2][7] = "beeindigd"
    handovers = valid_rows("overdrachten")
    handovers[1][:6] = [region, shelter, "2026-Q3", "uitstroom", partner, "wijkteam"]
    handovers[1][6:8] = ["10", "2"]
    handovers[2][:3] = [region, shelter, "2026-Q3"]
    stagnation = valid_rows("stagnatie")
    for row in stagnation[1:]:
        row[:3] = [region, respondent, "2026-Q3"]
    stagnation[1][5] = partner
    return [
        (f"{shelter}-afspraken.csv", csv_bytes(agreements)),
        (f"{shelter}-overdrachten.csv", csv_bytes(handovers)),
        (f"{shelter}-stagnatie.csv", csv_bytes(stagnation)),
    ]


def import_region(db: Path, files: list[tuple[str, bytes]]) -> None:
    """Import the files with the real importer, creating their region."""
    with store.writing(db) as con:
        for name, data in files:
            import_file(con, data, name, new_region=True)


def open_page(page: str, region: str, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["regio"] = region
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != common.PAGE_OVERZICHT:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def formula_cells(frame: pd.DataFrame) -> list[str]:
    """The column names and text cells of ``frame`` that a spreadsheet would run."""
    texts = [str(c) for c in frame.columns] + [
        v for column in frame.columns for v in frame[column] if isinstance(v, str)
    ]
    return [t for t in texts if is_formula_like(t)]


def shown_texts(at: AppTest) -> set[str]:
    return {
        v for t in at.dataframe for c in t.value.columns for v in t.value[c] if isinstance(v, str)
    }


@pytest.fixture
def hostile_app(app_env: Path) -> Path:
    import_region(app_env, hostile_files(REGION, *HOSTILE[1:]))
    return app_env


def table_with(at: AppTest, column: str) -> pd.DataFrame:
    """The table on the page that has ``column`` (AppTest knows a table by its columns)."""
    for table in at.dataframe:
        if column in table.value.columns:
            return table.value
    raise AssertionError(f"geen tabel met kolom {column!r}")


# Per page (and query parameters): a column of each table expected, and the names shown in
# them, neutralised.
CASES = [
    (common.PAGE_OVERZICHT, {}, [], set()),
    (common.PAGE_KAART, {}, ["Organisatie"], {"'" + ENDED_PARTNER}),
    (
        common.PAGE_KAART,
        {"organisatie": SHELTER},
        ["Houder", "Oordeel"],
        {"'" + SHELTER, "'" + PARTNER},
    ),
    (common.PAGE_NORMEN, {}, ["Oordeel"], {"'" + SHELTER}),
    (common.PAGE_OVERDRACHT, {}, ["Met ketenafspraken", "Knelpunt"], {"'" + SHELTER}),
    (common.PAGE_STAGNATIE, {}, ["Ernst"], set()),
    (common.PAGE_VERGELIJKEN, {}, ["Warme overdrachten"], {"'" + REGION}),
    (common.PAGE_GEGEVENS, {}, [], set()),
]


@pytest.mark.parametrize(("page", "params", "columns", "names"), CASES)
def test_no_table_on_any_page_holds_a_formula(
    hostile_app: Path, page: str, params: dict[str, str], columns: list[str], names: set[str]
) -> None:
    at = open_page(page, REGION, **params)
    for column in columns:
        table_with(at, column)  # the table is there
    for table in at.dataframe:
        assert formula_cells(table.value) == [], list(table.value.columns)
    # The names are there, readable, as the text a spreadsheet shows: with a leading '.
    assert names <= shown_texts(at)


def test_upload_preview_and_problems_hold_no_formula(hostile_app: Path) -> None:
    at = open_page(common.PAGE_GEGEVENS, REGION)
    name, data = hostile_files("=1+1 Nieuw", "=2+2", "+3", "@4", "-5")[0]
    at.checkbox(key="nieuwe_regio").check().run()
    at.file_uploader(key="upload").set_value((name, data, "text/csv")).run()
    assert not at.exception
    assert formula_cells(table_with(at, "rij")) == []
    assert {"'=1+1 Nieuw", "'=2+2", "'+3", "'@4"} <= shown_texts(at)

    bad = valid_rows("afspraken")
    bad[1][1] = SHELTER
    bad[1][7] = "=status"  # not a status: the problem's value is shown in the table
    at.file_uploader(key="upload").set_value(("fout.csv", csv_bytes(bad), "text/csv")).run()
    assert formula_cells(table_with(at, "Probleem")) == []
    assert "'=status" in shown_texts(at)


@pytest.mark.parametrize("dtype", ["str", object])
@pytest.mark.parametrize(
    ("cells", "shown"),
    [
        (
            ["=1+1", "+31", "-", "@x", "\tx", "Politie", None],
            ["'=1+1", "'+31", "'-", "'@x", "'\tx", "Politie", None],
        ),
        (["Veilig Thuis", "  =x", "x=1", None], ["Veilig Thuis", "  =x", "x=1", None]),
    ],
)
def test_spreadsheet_safe_prefixes_formula_text_and_keeps_other_cells(
    cells: list, shown: list, dtype: object
) -> None:
    # Text as pandas makes it (str) and as the pages' frames often hold it (object, None).
    frame = pd.DataFrame({"Naam": pd.Series(cells, dtype=dtype), "Aantal": range(len(cells))})
    safe = common.spreadsheet_safe(frame)
    assert [None if pd.isna(v) else v for v in safe["Naam"]] == shown
    assert safe["Aantal"].tolist() == list(range(len(cells)))
    assert pd.api.types.is_integer_dtype(safe["Aantal"])  # numbers stay numbers (sorting)
    assert [None if pd.isna(v) else v for v in frame["Naam"]] == cells  # not changed
