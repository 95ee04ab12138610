"""The four after-departure columns of ``overdrachten`` (formats.md, issue 16): read, checked and
stored; a file that breaks a rule is refused whole, naming row, column, value and expectation,
and leaves the database as it was."""

from __future__ import annotations

import pytest

from ketendata import store
from ketendata.importers import import_file
from ketendata.intake.problems import ValidationError
from ketendata.store import queries
from tests.builders import csv_bytes, xlsx_bytes

HEADER = [
    "regio",
    "organisatie",
    "periode",
    "fase",
    "partnertype",
    "gezinnen",
    "warm",
    "nazorg_zes_maanden",
    "naar_andere_regio",
    "regisseur_nieuwe_gemeente",
    "signaalpartners_geinformeerd",
]
AFTER = HEADER[-4:]


def rows(**cells: object) -> list[list]:
    """One uitstroom row of 10 families with every after-departure column filled, changed by
    ``cells``."""
    row = dict(
        zip(
            HEADER,
            ["Regio Noord", "Opvang Noord", "2026-Q3", "uitstroom", "wijkteam", "10", "8"]
            + ["7", "4", "3", "6"],
            strict=True,
        )
    )
    row.update({name: "" if value is None else value for name, value in cells.items()})
    return [HEADER, [row[name] for name in HEADER]]


@pytest.fixture
def con(tmp_path):
    connection = store.open_database(tmp_path / "k.duckdb")
    yield connection
    connection.close()


def stored(con) -> dict:
    [row] = queries.current_handovers(con, "Regio Noord").to_dict("records")
    return {
        name: row[name]
        for name in (
            "aftercare_six_months",
            "moved_to_other_region",
            "regisseur_new_municipality",
            "signalling_partners_informed",
        )
    }


@pytest.mark.parametrize("as_xlsx", [False, True], ids=["csv", "xlsx"])
def test_a_file_with_the_four_columns_is_stored(con, as_xlsx: bool) -> None:
    data = xlsx_bytes(rows(), sheet="Overdrachten") if as_xlsx else csv_bytes(rows())
    import_file(con, data, "o.xlsx" if as_xlsx else "o.csv", new_region=True)
    assert stored(con) == {
        "aftercare_six_months": 7,
        "moved_to_other_region": 4,
        "regisseur_new_municipality": 3,
        "signalling_partners_informed": 6,
    }


def test_empty_columns_are_stored_as_not_given(con) -> None:
    import_file(con, csv_bytes(rows(**dict.fromkeys(AFTER))), "o.csv", new_region=True)
    assert all(value is None for value in stored(con).values())


@pytest.mark.parametrize(
    ("cells", "accepted"),
    [
        # at most gezinnen (10)
        ({"nazorg_zes_maanden": "10"}, True),
        ({"naar_andere_regio": "10", "regisseur_nieuwe_gemeente": "10"}, True),
        ({"signaalpartners_geinformeerd": "10"}, True),
        # at most naar_andere_regio (4)
        ({"regisseur_nieuwe_gemeente": "4"}, True),
        ({"regisseur_nieuwe_gemeente": "0"}, True),
        # naar_andere_regio without regisseur_nieuwe_gemeente is fine (the other way round not)
        ({"regisseur_nieuwe_gemeente": None}, True),
    ],
)
def test_a_file_within_the_rules_imports(con, cells: dict, accepted: bool) -> None:
    import_file(con, csv_bytes(rows(**cells)), "o.csv", new_region=True)
    assert len(queries.current_handovers(con, "Regio Noord")) == 1


@pytest.mark.parametrize(
    ("cells", "column", "value", "message", "expected"),
    [
        (
            {"nazorg_zes_maanden": "11"},
            "nazorg_zes_maanden",
            "11",
            "meer dan het aantal gezinnen (10)",
            "hoogstens het aantal gezinnen op dezelfde rij",
        ),
        (
            {"naar_andere_regio": "11", "regisseur_nieuwe_gemeente": "2"},
            "naar_andere_regio",
            "11",
            "meer dan het aantal gezinnen (10)",
            "hoogstens het aantal gezinnen op dezelfde rij",
        ),
        (
            {"signaalpartners_geinformeerd": "12"},
            "signaalpartners_geinformeerd",
            "12",
            "meer dan het aantal gezinnen (10)",
            "hoogstens het aantal gezinnen op dezelfde rij",
        ),
        (
            {"regisseur_nieuwe_gemeente": "5"},
            "regisseur_nieuwe_gemeente",
            "5",
            "meer dan het aantal gezinnen dat naar een andere regio verhuisde (4)",
            "hoogstens naar_andere_regio op dezelfde rij",
        ),
        (
            {"naar_andere_regio": None},
            "regisseur_nieuwe_gemeente",
            "3",
            "regisseur_nieuwe_gemeente is ingevuld maar naar_andere_regio niet",
            "ook het aantal gezinnen dat naar een andere regio verhuisde, op dezelfde rij",
        ),
        (
            {"nazorg_zes_maanden": "3,5"},
            "nazorg_zes_maanden",
            "3,5",
            None,
            None,
        ),
        (
            {"signaalpartners_geinformeerd": "veel"},
            "signaalpartners_geinformeerd",
            "veel",
            None,
            None,
        ),
        (
            {"naar_andere_regio": "-1", "regisseur_nieuwe_gemeente": None},
            "naar_andere_regio",
            "-1",
            "dit getal mag niet negatief zijn",
            None,
        ),
    ],
)
@pytest.mark.parametrize("as_xlsx", [False, True], ids=["csv", "xlsx"])
def test_a_file_that_breaks_a_rule_is_refused_naming_row_column_value_and_expectation(
    con, cells: dict, column: str, value: str, message, expected, as_xlsx: bool
) -> None:
    import_file(con, csv_bytes(rows(**dict.fromkeys(AFTER))), "first.csv", new_region=True)
    before = store.dump_content(con)
    table = rows(**cells)
    data = xlsx_bytes(table, sheet="Overdrachten") if as_xlsx else csv_bytes(table)
    with pytest.raises(ValidationError) as caught:
        import_file(con, data, "o.xlsx" if as_xlsx else "o.csv")
    [problem] = caught.value.problems
    assert (problem.row, problem.column) == (2, column)
    assert str(problem.value) == value
    if message is not None:
        assert message in problem.message
    if expected is not None:
        assert problem.expected == expected
    assert problem.expected  # every problem says what is expected
    assert store.dump_content(con) == before


def test_the_template_explains_each_column_and_allows_whole_numbers_only() -> None:
    import io

    import openpyxl

    from ketendata.files.templates import EXAMPLES, build_template

    book = openpyxl.load_workbook(io.BytesIO(build_template("overdrachten")))
    sheet = book["Overdrachten"]
    header = [cell.value for cell in sheet[1]]
    for name in AFTER:
        letter = openpyxl.utils.get_column_letter(header.index(name) + 1)
        [rule] = [
            dv
            for dv in sheet.data_validations.dataValidation
            if any(str(r).startswith(f"{letter}2:") for r in dv.sqref.ranges)
        ]
        assert (rule.type, rule.operator, rule.formula1) == ("whole", "greaterThanOrEqual", "0")
    explained = {row[0]: row[2] for row in book["Toelichting"].iter_rows(values_only=True) if row}
    assert "nieuwe gemeente" in explained["regisseur_nieuwe_gemeente"]
    assert "vul ook naar_andere_regio in" in explained["regisseur_nieuwe_gemeente"]
    assert "zes maanden" in explained["nazorg_zes_maanden"]
    example = EXAMPLES["overdrachten"]
    assert int(example["regisseur_nieuwe_gemeente"]) <= int(example["naar_andere_regio"])
