"""The Excel templates: structure, dropdowns, explanation sheet, and that a filled one imports."""

from __future__ import annotations

import datetime as dt
import io
import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter
from openpyxl.workbook.workbook import Workbook
from openpyxl.worksheet.worksheet import Worksheet

from analysis import codes
from ketendata.columns import BOOL, CODE, CODES, COLUMNS, DATE, DECIMAL, INT, PERIOD, SHEET_NAMES
from ketendata.files.templates import (
    EXPLANATION_SHEET,
    LAST_ROW,
    LISTS_SHEET,
    build_template,
    choices,
    template_file_name,
)
from ketendata.intake.reading import read_table
from ketendata.intake.validation import ValidatedTable, detect_kind, validate_table

KINDS = list(COLUMNS)

_RANGE = re.compile(
    r"^'?(?P<sheet>[^'!]+)'?!\$(?P<col>[A-Z]+)\$(?P<first>\d+):\$[A-Z]+\$(?P<last>\d+)$"
)


@pytest.fixture(scope="module", params=KINDS)
def kind(request: pytest.FixtureRequest) -> str:
    return request.param


@pytest.fixture(scope="module")
def workbook(kind: str) -> Workbook:
    return load_workbook(io.BytesIO(build_template(kind)))


def _letter(kind: str, name: str) -> str:
    names = [column.name for column in COLUMNS[kind]]
    return get_column_letter(names.index(name) + 1)


def _validation_of(sheet: Worksheet, letter: str):
    """The single data validation that covers rows 2..LAST_ROW of a column."""
    found = [
        dv
        for dv in sheet.data_validations.dataValidation
        if f"{letter}2" in dv.sqref and f"{letter}{LAST_ROW}" in dv.sqref
    ]
    assert len(found) == 1, f"column {letter}: {len(found)} validations"
    return found[0]


def _list_values(workbook: Workbook, formula: str) -> list[str]:
    match = _RANGE.match(formula)
    assert match, formula
    sheet = workbook[match["sheet"]]
    col = match["col"]
    return [
        sheet[f"{col}{row}"].value for row in range(int(match["first"]), int(match["last"]) + 1)
    ]


def _explanation_rows(workbook: Workbook) -> dict[str, tuple]:
    """Column name -> (verplicht, wat vult u in, toegestane waarden, voorbeeld)."""
    rows = list(workbook[EXPLANATION_SHEET].iter_rows(values_only=True))
    start = next(i for i, row in enumerate(rows) if row[:2] == ("Kolom", "Verplicht"))
    assert rows[start][:5] == (
        "Kolom",
        "Verplicht",
        "Wat vult u in",
        "Toegestane waarden",
        "Voorbeeld",
    )
    table: dict[str, tuple] = {}
    for row in rows[start + 1 :]:
        if not row[0]:
            break
        table[row[0]] = tuple(row[1:5])
    return table


def test_sheets_in_order_with_the_lists_hidden(kind: str, workbook: Workbook) -> None:
    assert workbook.sheetnames == [SHEET_NAMES[kind], EXPLANATION_SHEET, LISTS_SHEET]
    assert workbook[SHEET_NAMES[kind]].sheet_state == "visible"
    assert workbook[EXPLANATION_SHEET].sheet_state == "visible"
    assert workbook[LISTS_SHEET].sheet_state == "hidden"
    assert workbook.active.title == SHEET_NAMES[kind]


def test_header_is_the_column_codes_in_order_bold_and_frozen(kind: str, workbook: Workbook) -> None:
    sheet = workbook[SHEET_NAMES[kind]]
    header = [cell.value for cell in sheet[1]]
    assert header == [column.name for column in COLUMNS[kind]]
    assert all(cell.font.bold for cell in sheet[1])
    assert sheet.freeze_panes == "A2"


def test_data_sheet_has_no_data_rows(kind: str, workbook: Workbook) -> None:
    sheet = workbook[SHEET_NAMES[kind]]
    later = [value for row in sheet.iter_rows(min_row=2, values_only=True) for value in row]
    assert all(value is None for value in later)


def test_required_columns_are_marked_by_colour_and_note(kind: str, workbook: Workbook) -> None:
    sheet = workbook[SHEET_NAMES[kind]]
    fills: dict[bool, set[str]] = {True: set(), False: set()}
    for cell, column in zip(sheet[1], COLUMNS[kind], strict=True):
        fills[column.required].add(cell.fill.fgColor.rgb)
        expected = "Verplicht." if column.required else "Niet verplicht."
        assert cell.comment is not None
        assert cell.comment.text.startswith(expected)
        assert column.description in cell.comment.text
    assert len(fills[True]) == 1
    if fills[False]:
        assert fills[True].isdisjoint(fills[False])


def test_every_coded_column_has_a_dropdown_with_exactly_its_dutch_labels(
    kind: str, workbook: Workbook
) -> None:
    sheet = workbook[SHEET_NAMES[kind]]
    coded = [column for column in COLUMNS[kind] if column.type in (CODE, CODES)]
    assert coded
    for column in coded:
        dv = _validation_of(sheet, _letter(kind, column.name))
        assert dv.type == "list"
        assert LISTS_SHEET in dv.formula1
        assert _list_values(workbook, dv.formula1) == list(column.codes.values())


def test_multi_value_columns_accept_typed_lists_and_say_so(kind: str, workbook: Workbook) -> None:
    sheet = workbook[SHEET_NAMES[kind]]
    for column in COLUMNS[kind]:
        dv = _validation_of(sheet, _letter(kind, column.name)) if column.type == CODES else None
        if dv is not None:
            # "stop" would refuse 'Vervoer; Schulden'; an information alert lets it through.
            assert dv.errorStyle == "information"
            assert ";" in dv.prompt


def test_bool_columns_have_a_yes_no_dropdown(kind: str, workbook: Workbook) -> None:
    sheet = workbook[SHEET_NAMES[kind]]
    for column in COLUMNS[kind]:
        if column.type == BOOL:
            dv = _validation_of(sheet, _letter(kind, column.name))
            assert (dv.type, dv.formula1) == ("list", '"ja,nee"')


def test_number_columns_validate_whole_or_decimal_within_their_bounds(
    kind: str, workbook: Workbook
) -> None:
    sheet = workbook[SHEET_NAMES[kind]]
    for column in COLUMNS[kind]:
        if column.type not in (INT, DECIMAL):
            continue
        dv = _validation_of(sheet, _letter(kind, column.name))
        assert dv.type == ("whole" if column.type == INT else "decimal")
        if column.minimum is not None and column.maximum is not None:
            assert (dv.operator, float(dv.formula1), float(dv.formula2)) == (
                "between",
                column.minimum,
                column.maximum,
            )
        elif column.minimum is not None:
            assert (dv.operator, float(dv.formula1)) == ("greaterThanOrEqual", column.minimum)


def test_date_columns_are_dates_and_periods_stay_text(kind: str, workbook: Workbook) -> None:
    sheet = workbook[SHEET_NAMES[kind]]
    for column in COLUMNS[kind]:
        letter = _letter(kind, column.name)
        if column.type == DATE:
            assert sheet.column_dimensions[letter].number_format == "dd-mm-yyyy"
            assert _validation_of(sheet, letter).type == "date"
        if column.type == PERIOD:
            # Excel would turn a typed 2026-07 into a date without the text format.
            assert sheet.column_dimensions[letter].number_format == "@"


def test_validation_texts_fit_excels_limits(kind: str, workbook: Workbook) -> None:
    for dv in workbook[SHEET_NAMES[kind]].data_validations.dataValidation:
        for text in (dv.prompt, dv.error):
            assert text is None or len(text) <= 255
        for title in (dv.promptTitle, dv.errorTitle):
            assert title is None or len(title) <= 32


def test_explanation_lists_every_column_with_required_flag_and_values(
    kind: str, workbook: Workbook
) -> None:
    table = _explanation_rows(workbook)
    assert list(table) == [column.name for column in COLUMNS[kind]]
    for column in COLUMNS[kind]:
        required, what, allowed, _example = table[column.name]
        assert required == ("ja" if column.required else "nee")
        assert what == column.description
        if column.codes is not None:
            for code, text in column.codes.items():
                assert f"{text} ({code})" in allowed


def test_explanation_states_the_general_rules(kind: str, workbook: Workbook) -> None:
    text = " ".join(
        str(value)
        for row in workbook[EXPLANATION_SHEET].iter_rows(values_only=True)
        for value in row
        if value
    )
    for phrase in ("BSN", "decimale komma", "500 tekens", "DD-MM-JJJJ", "nieuwe versie"):
        assert phrase in text
    has_multi_values = any(column.type == CODES for column in COLUMNS[kind])
    assert ("; of , of |" in text) == has_multi_values


@pytest.mark.parametrize("kind", KINDS)
def test_same_kind_gives_the_same_bytes(kind: str) -> None:
    assert build_template(kind) == build_template(kind)


def test_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="Onbekende soort"):
        build_template("personen")


@pytest.mark.parametrize(
    ("kind", "name"),
    [
        ("afspraken", "ketenkaart-sjabloon-afspraken.xlsx"),
        ("overdrachten", "ketenkaart-sjabloon-overdrachten.xlsx"),
        ("stagnatie", "ketenkaart-sjabloon-stagnatie.xlsx"),
    ],
)
def test_template_file_name(kind: str, name: str) -> None:
    assert template_file_name(kind) == name


@pytest.mark.parametrize(
    "column",
    [column for kind in KINDS for column in COLUMNS[kind] if column.type in (CODE, CODES)],
    ids=lambda column: column.name,
)
def test_every_dropdown_choice_reads_back_as_its_code(column) -> None:
    for code, text in column.codes.items():
        assert codes.parse_code(text, column.codes) == code
        if column.type == CODES:
            # A label with a separator in it would split into two values.
            assert not set(text) & set(";,|")


# --- a filled template passes the validation layer -------------------------------------------

# One hand-filled row per kind, as a user would enter it with the dropdowns (labels, ja/nee,
# real Excel dates), and what the validation layer must make of it.
FILLED: dict[str, tuple[dict[str, object], dict[str, object]]] = {
    "afspraken": (
        {
            "regio": "Kennemerland",
            "organisatie": "Opvang Zuid",
            "partner": "Veilig Thuis Kennemerland",
            "partnertype": "Veilig Thuis",
            "afspraaktypes": "Meldcode Veilig Thuis; Informatie-uitwisseling",
            "status": "Schriftelijk",
            "kindspecifiek": "ja",
            "geevalueerd_op": dt.date(2026, 1, 15),
        },
        {
            "organisatietype": "vrouwenopvang",
            "partnertype": "veilig_thuis",
            "afspraaktypes": ("meldcode", "informatie_uitwisseling"),
            "niveau": "organisatie",
            "status": "schriftelijk",
            "kindspecifiek": True,
            "geevalueerd_op": dt.date(2026, 1, 15),
        },
    ),
    "overdrachten": (
        {
            "regio": "Kennemerland",
            "organisatie": "Opvang Zuid",
            "periode": "2026-Q1",
            "fase": "Uitstroom",
            "partnertype": "Wijkteam / CJG",
            "gezinnen": 10,
            "warm": 7,
        },
        {"periode": "2026-Q1", "fase": "uitstroom", "partnertype": "wijkteam", "gezinnen": 10},
    ),
    "stagnatie": (
        {
            "regio": "Kennemerland",
            "respondent": "Opvang Zuid",
            "periode": "2026",
            "domein": "Financiën",
            "onderwerp": "Uitkering",
            "ernst": 4,
            "wachttijd_dagen": 12.5,
        },
        {"domein": "financien", "onderwerp": "uitkering", "ernst": 4, "wachttijd_dagen": 12.5},
    ),
}


def _fill(kind: str, values: dict[str, object]) -> bytes:
    """Type one row into the template's data sheet and save it, as a user would."""
    workbook = load_workbook(io.BytesIO(build_template(kind)))
    sheet = workbook[SHEET_NAMES[kind]]
    for name, value in values.items():
        sheet[f"{_letter(kind, name)}2"] = value
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def _validate(data: bytes, file_name: str) -> tuple[str, ValidatedTable]:
    table = read_table(data, file_name, None)
    kind = detect_kind(table.headers)
    return kind, validate_table(table, kind)


@pytest.mark.parametrize("kind", KINDS)
def test_a_filled_template_is_accepted_by_the_validation_layer(kind: str) -> None:
    values, expected = FILLED[kind]
    detected, validated = _validate(_fill(kind, values), template_file_name(kind))
    assert detected == kind
    frame = validated.frame
    assert len(frame) == 1
    row = frame.iloc[0]
    assert row["source_row"] == 2
    assert row["regio"] == "Kennemerland"
    for name, value in expected.items():
        assert row[name] == value, name


@pytest.mark.parametrize("kind", KINDS)
def test_the_example_on_the_explanation_sheet_is_a_valid_row(kind: str) -> None:
    workbook = load_workbook(io.BytesIO(build_template(kind)))
    examples = {name: row[3] for name, row in _explanation_rows(workbook).items() if row[3]}
    assert set(examples) >= {column.name for column in COLUMNS[kind] if column.required}
    _detected, validated = _validate(_fill(kind, examples), template_file_name(kind))
    assert len(validated.frame) == 1


@st.composite
def _dropdown_choices(draw: st.DrawFn, kind: str) -> dict[str, str]:
    """A value from the dropdown of every coded and yes/no column (onderwerp fits domein)."""
    picked: dict[str, str] = {}
    for column in COLUMNS[kind]:
        if column.name == "onderwerp":
            domain = codes.parse_code(picked["domein"], codes.DOMAINS)
            picked["onderwerp"] = draw(
                st.sampled_from(list(codes.TOPICS_BY_DOMAIN[domain].values()))
            )
        elif choices(column):
            picked[column.name] = draw(st.sampled_from(choices(column)))
    return picked


@pytest.mark.parametrize("kind", KINDS)
@settings(max_examples=15, deadline=None)
@given(data=st.data())
def test_any_dropdown_choice_is_accepted_as_its_code(kind: str, data: st.DataObject) -> None:
    picked = data.draw(_dropdown_choices(kind))
    values = {**FILLED[kind][0], **picked}
    _detected, validated = _validate(_fill(kind, values), template_file_name(kind))
    row = validated.frame.iloc[0]
    for column in COLUMNS[kind]:
        if column.name not in picked:
            continue
        if column.type == BOOL:
            assert row[column.name] is (picked[column.name] == "ja")
        elif column.type == CODES:
            assert row[column.name] == (codes.parse_code(picked[column.name], column.codes),)
        else:
            assert row[column.name] == codes.parse_code(picked[column.name], column.codes)
