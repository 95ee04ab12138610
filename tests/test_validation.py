"""Validation of uploads: every column rule of the three kinds, with real CSV/XLSX bytes."""

from __future__ import annotations

import datetime as dt
import io
import random
import zipfile

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketendata.intake.parsers import choice_list
from ketendata.intake.privacy import find_personal_data
from ketendata.intake.problems import Problem, ValidationError, format_problems
from ketendata.intake.reading import read_table
from ketendata.intake.validation import ValidatedTable, detect_kind, validate_table
from tests.builders import csv_bytes, header_index, valid_rows, with_cell, xlsx_bytes

KINDS = ["afspraken", "overdrachten", "stagnatie"]


def validated(rows: list[list], kind: str, name: str = "t.csv") -> ValidatedTable:
    data = xlsx_bytes(rows, sheet=kind.title()) if name.endswith(".xlsx") else csv_bytes(rows)
    return validate_table(read_table(data, name, kind), kind)


def problems(rows: list[list], kind: str, name: str = "t.csv") -> list[Problem]:
    with pytest.raises(ValidationError) as error:
        validated(rows, kind, name)
    return error.value.problems


def one_problem(rows: list[list], kind: str, name: str = "t.csv") -> Problem:
    found = problems(rows, kind, name)
    assert len(found) == 1, [str(p) for p in found]
    return found[0]


def first(rows: list[list], kind: str, column: str, name: str = "t.csv") -> object:
    return validated(rows, kind, name).frame.iloc[0][column]


# --- Problems and errors -------------------------------------------------------------------


def test_problem_text_has_row_column_value_and_expectation():
    problem = Problem(7, "Partner type", "poltie", "onbekend partnertype", "een van: politie")
    assert str(problem) == (
        "rij 7, kolom 'Partner type': onbekend partnertype (waarde 'poltie'); een van: politie"
    )


def test_validation_error_lists_every_problem_one_per_line_and_caps_the_text():
    many = [Problem(n, "regio", None, "fout", "goed") for n in range(2, 502)]
    error = ValidationError(many)
    assert len(error.problems) == 500
    lines = str(error).splitlines()
    assert lines[0] == "rij 2, kolom 'regio': fout; goed"
    assert lines[-1] == "... en nog 300 problemen"


def test_every_problem_of_the_file_is_reported_not_only_the_first():
    rows = valid_rows("overdrachten")
    rows[1][header_index("overdrachten", "warm")] = "99"  # more than gezinnen
    rows[2][header_index("overdrachten", "fase")] = "vertrek"
    rows[2][header_index("overdrachten", "gezinnen")] = "veel"
    found = problems(rows, "overdrachten")
    assert [(p.row, p.column) for p in found] == [(2, "warm"), (3, "fase"), (3, "gezinnen")]


def test_thousands_of_problems_are_all_returned():
    rows = [valid_rows("stagnatie")[0]] + [
        with_cell("stagnatie", "ernst", "9")[1] for _ in range(2000)
    ]
    found = problems(rows, "stagnatie")
    assert len(found) == 2000 and found[-1].row == 2001


# --- Frame format --------------------------------------------------------------------------


def test_frame_has_spec_columns_plain_python_values_and_source_row():
    table = validated(valid_rows("afspraken"), "afspraken")
    frame = table.frame
    assert list(frame.columns)[-1] == "source_row"
    assert all(str(dtype) == "object" for dtype in frame.dtypes)
    first_row = frame.iloc[0].to_dict()
    assert first_row["afspraaktypes"] == ("meldcode", "informatie_uitwisseling")
    assert first_row["kindspecifiek"] is True
    assert first_row["ingangsdatum"] == dt.date(2025, 1, 1)
    assert first_row["einddatum"] is None
    assert first_row["source_row"] == 2
    second = frame.iloc[1].to_dict()
    # empty optional cells take the column default
    assert (second["organisatietype"], second["niveau"], second["kindspecifiek"]) == (
        "vrouwenopvang",
        "organisatie",
        False,
    )
    assert table.rows_read == 2 and table.warnings == []


def test_absent_optional_columns_are_filled_with_defaults_or_none():
    rows = [[r[i] for i in range(8) if i != 6] for r in valid_rows("afspraken")]  # drop niveau
    frame = validated(rows, "afspraken").frame
    assert list(frame["niveau"]) == ["organisatie", "organisatie"]
    assert list(frame["toelichting"]) == [None, None]


def test_overdrachten_and_stagnatie_types():
    o = validated(valid_rows("overdrachten"), "overdrachten").frame.iloc[0].to_dict()
    assert (o["periode"], o["gezinnen"], o["warm"], o["fase"]) == ("2026-Q1", 10, 7, "uitstroom")
    s = validated(valid_rows("stagnatie"), "stagnatie").frame.iloc[0].to_dict()
    assert (s["wachttijd_dagen"], s["ernst"], s["domein"]) == (42.5, 4, "financien")
    assert type(s["ernst"]) is int and type(s["wachttijd_dagen"]) is float


# --- Headers -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "header", ["partnertype", "Partner type", " PARTNER-TYPE ", "partner_type", "Pártner Type"]
)
def test_headers_match_ignoring_case_spaces_dashes_and_diacritics(header):
    rows = valid_rows("afspraken")
    rows[0][header_index("afspraken", "partnertype")] = header
    table = validated(rows, "afspraken")
    assert table.header_names["partnertype"] == header.strip()
    assert table.frame.iloc[0]["partnertype"] == "veilig_thuis"


def test_problems_name_the_column_as_the_user_wrote_it():
    rows = with_cell("afspraken", "partnertype", "poltie")
    rows[0][header_index("afspraken", "partnertype")] = "Partner type"
    problem = one_problem(rows, "afspraken")
    assert (problem.row, problem.column, problem.value) == (2, "Partner type", "poltie")
    assert "onbekend partnertype" in problem.message
    assert "bedoelt u 'Politie'?" in problem.expected


def test_geevalueerd_op_header_with_diacritic_and_space():
    rows = valid_rows("afspraken")
    rows[0][header_index("afspraken", "geevalueerd_op")] = "Geëvalueerd op"
    assert first(rows, "afspraken", "geevalueerd_op") == dt.date(2026, 1, 15)


def test_unknown_column_is_a_warning_naming_it_not_an_error():
    rows = [
        r + [v]
        for r, v in zip(valid_rows("stagnatie"), ["Opmerking intern", "x", "y"], strict=True)
    ]
    table = validated(rows, "stagnatie")
    assert len(table.warnings) == 1
    assert "Onbekende kolom 'Opmerking intern'" in table.warnings[0]
    assert "Opmerking intern" not in table.frame.columns


def test_column_with_values_but_no_header_is_a_warning():
    rows = [r + [v] for r, v in zip(valid_rows("stagnatie"), [None, None, "los"], strict=True)]
    table = validated(rows, "stagnatie")
    assert table.warnings == [
        "Een kolom zonder kolomkop heeft waarden (vanaf rij 3); die kolom is niet ingelezen."
    ]


def test_duplicated_known_column_is_an_error():
    rows = [r + [r[0]] for r in valid_rows("afspraken")]
    rows[0][-1] = "Regio"
    problem = one_problem(rows, "afspraken")
    assert (problem.row, problem.column) == (1, "Regio")
    assert "twee keer" in problem.message


@pytest.mark.parametrize("kind", KINDS)
def test_missing_required_column_is_one_error_on_the_header_row(kind):
    rows = valid_rows(kind)
    for name in ("regio",):
        index = header_index(kind, name)
        rows = [[c for i, c in enumerate(r) if i != index] for r in rows]
    rows = [[None], [None]] + rows  # header on row 3
    problem = one_problem(rows, kind)
    assert (problem.row, problem.column) == (3, "regio")
    assert "verplichte kolom ontbreekt" in problem.message


def test_header_on_row_three_after_empty_rows_gives_excel_row_numbers():
    rows = [[None, None], [None]] + with_cell("afspraken", "status", "getekend")
    for name in ("t.csv", "t.xlsx"):
        problem = one_problem(rows, "afspraken", name)
        assert (problem.row, problem.column) == (4, "status")


def test_file_with_only_a_header_is_refused():
    problem = one_problem(valid_rows("afspraken")[:1], "afspraken")
    assert problem.row == 1 and "geen gegevens" in problem.message


# --- Kind detection ------------------------------------------------------------------------


@pytest.mark.parametrize("kind", KINDS)
def test_kind_is_detected_from_the_columns(kind):
    assert detect_kind(read_table(csv_bytes(valid_rows(kind)), "x.csv").headers) == kind


@pytest.mark.parametrize(
    ("headers", "kind"),
    [
        (["regio", "organisatie", "afspraaktypes"], "afspraken"),
        (["Regio", "Status"], "afspraken"),
        (["regio", "Fase"], "overdrachten"),
        (["regio", "warm"], "overdrachten"),
        (["regio", "Respondent"], "stagnatie"),
        (["Ernst"], "stagnatie"),
        (["domein", "onderwerp"], "stagnatie"),
    ],
)
def test_distinguishing_columns_decide_the_kind(headers, kind):
    assert detect_kind(headers) == kind


@pytest.mark.parametrize(
    "headers", [["regio", "organisatie", "partner"], ["status", "fase"], [], ["iets"]]
)
def test_unclear_kind_explains_which_columns_each_kind_needs(headers):
    with pytest.raises(ValidationError) as error:
        detect_kind(headers)
    text = str(error.value)
    assert "niet op te maken" in text
    for kind, column in (
        ("afspraken", "afspraaktypes"),
        ("overdrachten", "fase"),
        ("stagnatie", "respondent"),
    ):
        assert kind in text and column in text


def test_extra_column_of_another_kind_does_not_hide_a_complete_kind():
    headers = valid_rows("afspraken")[0] + ["fase"]
    assert detect_kind(headers) == "afspraken"


# --- Codes ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [
        ("partnertype", "veilig_thuis", "veilig_thuis"),
        ("partnertype", "Veilig Thuis", "veilig_thuis"),
        ("partnertype", "VEILIG-THUIS", "veilig_thuis"),
        ("partnertype", "Jeugd-GGZ", "jeugd_ggz"),
        ("partnertype", "Wijkteam / CJG", "wijkteam"),
        ("organisatietype", "Maatschappelijke opvang", "maatschappelijke_opvang"),
        ("status", "In ontwikkeling", "in_ontwikkeling"),
        ("status", "Beëindigd", "beeindigd"),
        ("niveau", "Cliënt", "client"),
        ("niveau", "regio", "regio"),
    ],
)
def test_codes_as_code_or_dutch_label(column, value, code):
    assert first(with_cell("afspraken", column, value), "afspraken", column) == code


@pytest.mark.parametrize(
    ("column", "value", "code"),
    [("domein", "Financiën", "financien"), ("domein", "FINANCIEN", "financien")],
)
def test_domain_label_with_diacritic(column, value, code):
    assert first(with_cell("stagnatie", column, value), "stagnatie", column) == code


def test_cp1252_csv_with_label_financien():
    rows = with_cell("stagnatie", "domein", "Financiën")
    table = validate_table(read_table(csv_bytes(rows, encoding="cp1252"), "s.csv"), "stagnatie")
    assert table.frame.iloc[0]["domein"] == "financien"


@pytest.mark.parametrize(
    ("kind", "column", "value", "what"),
    [
        ("afspraken", "status", "getekend", "onbekende status"),
        ("afspraken", "niveau", "landelijk", "onbekend niveau"),
        ("afspraken", "organisatietype", "opvang", "onbekend organisatietype"),
        ("overdrachten", "fase", "vertrek", "onbekende fase"),
        ("stagnatie", "domein", "geld", "onbekend domein"),
        ("stagnatie", "partnertype", "bakker", "onbekend partnertype"),
    ],
)
def test_unknown_code_is_an_error_listing_the_codes(kind, column, value, what):
    problem = one_problem(with_cell(kind, column, value), kind)
    assert (problem.row, problem.column, problem.value) == (2, column, value)
    assert what in problem.message and "een van:" in problem.expected


@pytest.mark.parametrize(
    "cell",
    [
        "meldcode;vervoer",
        "meldcode, vervoer",
        "meldcode|vervoer",
        "Meldcode Veilig Thuis ; Vervoer",
        "meldcode;vervoer;meldcode",
        "meldcode;;vervoer;",
    ],
)
def test_multi_valued_cells_with_each_separator(cell):
    rows = with_cell("afspraken", "afspraaktypes", cell)
    assert first(rows, "afspraken", "afspraaktypes") == ("meldcode", "vervoer")


def test_multi_valued_cell_with_an_unknown_value_names_it():
    problem = one_problem(with_cell("afspraken", "afspraaktypes", "meldcode;koffie"), "afspraken")
    assert problem.column == "afspraaktypes" and "'koffie'" in problem.message
    assert problem.message.startswith("onbekend afspraaktype:")
    two = one_problem(with_cell("afspraken", "afspraaktypes", "thee;koffie"), "afspraken")
    assert two.message == "onbekende afspraaktypes: 'thee', 'koffie'"


# --- Messages in the user's words ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "column", "value", "meant"),
    [
        ("afspraken", "partnertype", "Wijkteam CJG", "Wijkteam / CJG"),
        ("afspraken", "partnertype", "Veilig Thuuis", "Veilig Thuis"),
        ("afspraken", "partnertype", "veilig_thuuis", "Veilig Thuis"),
        ("afspraken", "status", "In ontwikkelin", "In ontwikkeling"),
        ("afspraken", "afspraaktypes", "meldcode; Warme overdrachten", "Warme overdracht"),
        ("stagnatie", "domein", "Financien en schulden", "Financiën"),
    ],
)
def test_a_near_miss_gets_the_label_the_user_probably_meant(kind, column, value, meant):
    problem = one_problem(with_cell(kind, column, value), kind)
    assert problem.expected.startswith(f"bedoelt u '{meant}'? Anders een van: ")


@pytest.mark.parametrize("value", ["ruimteschip", "opvang"])  # nothing close; two equally close
def test_no_guess_when_nothing_is_close_or_two_labels_are_equally_close(value):
    problem = one_problem(with_cell("afspraken", "partnertype", value), "afspraken")
    assert problem.expected.startswith("een van: Vrouwenopvang, Maatschappelijke opvang, ")


def test_expected_values_are_the_labels_of_the_template_dropdown():
    partner = one_problem(with_cell("afspraken", "partnertype", "ruimteschip"), "afspraken")
    # The long list of partner types: the labels, as the dropdown shows them.
    assert "Veilig Thuis, Politie, Justitie / OM / reclassering, " in partner.expected
    assert partner.expected.endswith(", Gemeente of Overig")
    assert "veilig_thuis" not in partner.expected
    status = one_problem(with_cell("afspraken", "status", "getekend"), "afspraken")
    assert status.expected == "een van: Schriftelijk, Mondeling, In ontwikkeling of Beëindigd"


def test_short_code_lists_show_the_code_where_it_differs_from_the_label():
    assert choice_list({"wijkteam": "Wijkteam / CJG", "veilig_thuis": "Veilig Thuis"}) == (
        "Wijkteam / CJG (wijkteam) of Veilig Thuis"
    )


@pytest.mark.parametrize(
    ("hidden", "last_line"), [(1, "... en nog 1 probleem"), (3, "... en nog 3 problemen")]
)
def test_the_capped_problem_text_counts_in_correct_dutch(hidden, last_line):
    many = [Problem(n, "regio", None, "fout", "goed") for n in range(2, 4 + hidden)]
    assert format_problems(many, limit=2).splitlines()[-1] == last_line


def test_multi_party_agreement_repeats_its_afspraak_id():
    rows = valid_rows("afspraken")
    rows[2][header_index("afspraken", "afspraak_id")] = "A1"
    frame = validated(rows, "afspraken").frame
    assert list(frame["afspraak_id"]) == ["A1", "A1"]
    assert list(frame["partner"]) == ["Veilig Thuis Noord", "Politie Noord"]


# --- Booleans ------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("ja", True),
        ("Nee", False),
        ("yes", True),
        ("no", False),
        ("1", True),
        ("0", False),
        ("waar", True),
        ("onwaar", False),
        ("TRUE", True),
        ("false", False),
        ("x", True),
        ("X", True),
        ("", False),
        (None, False),
    ],
)
def test_booleans(value, expected):
    assert (
        first(with_cell("afspraken", "kindspecifiek", value), "afspraken", "kindspecifiek")
        is expected
    )


@pytest.mark.parametrize(("value", "expected"), [(True, True), (False, False), (1, True)])
def test_xlsx_booleans(value, expected):
    rows = with_cell("afspraken", "kindspecifiek", value)
    assert first(rows, "afspraken", "kindspecifiek", "t.xlsx") is expected


def test_not_a_boolean():
    problem = one_problem(with_cell("afspraken", "kindspecifiek", "misschien"), "afspraken")
    assert problem.column == "kindspecifiek" and "ja of nee" in problem.message


# --- Numbers -------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["15", "15,0", "15.0", " 15 ", "15,00"])
def test_integers_accept_integral_writings(value):
    value = first(with_cell("overdrachten", "kinderen", value), "overdrachten", "kinderen")
    assert value == 15 and type(value) is int


def test_xlsx_integral_float_is_an_integer():
    rows = with_cell("overdrachten", "gezinnen", 10.0)
    value = first(rows, "overdrachten", "gezinnen", "t.xlsx")
    assert value == 10 and type(value) is int


@pytest.mark.parametrize("value", ["3,5", "drie", "1.234", "3 gezinnen", 3.5])
def test_not_an_integer(value):
    rows = with_cell("overdrachten", "gezinnen", value)
    problem = one_problem(rows, "overdrachten", "t.xlsx" if isinstance(value, float) else "t.csv")
    assert (problem.row, problem.column) == (2, "gezinnen")
    assert "getal" in problem.message


@pytest.mark.parametrize(
    ("value", "expected"),
    [("42,5", 42.5), ("1.234,5", 1234.5), ("1234,5", 1234.5), ("7", 7.0), ("2.5", 2.5)],
)
def test_decimal_comma(value, expected):
    rows = with_cell("stagnatie", "wachttijd_dagen", value)
    assert first(rows, "stagnatie", "wachttijd_dagen") == expected


@pytest.mark.parametrize(
    ("kind", "column"),
    [
        ("overdrachten", "gezinnen"),
        ("overdrachten", "warm"),
        ("overdrachten", "kinderen"),
        ("stagnatie", "wachttijd_dagen"),
        ("stagnatie", "gezinnen"),
        ("stagnatie", "extra_verblijfsdagen"),
    ],
)
def test_counts_are_not_negative(kind, column):
    rows = with_cell(kind, column, "-1")
    if column == "kinderen":
        rows[1][header_index(kind, "kind_overgedragen")] = ""
    problem = one_problem(rows, kind)
    assert (problem.column, problem.value) == (column, "-1")
    assert "negatief" in problem.message


@pytest.mark.parametrize(("value", "ok"), [("1", True), ("5", True), ("0", False), ("6", False)])
def test_ernst_is_1_to_5(value, ok):
    rows = with_cell("stagnatie", "ernst", value)
    if ok:
        assert first(rows, "stagnatie", "ernst") == int(value)
    else:
        problem = one_problem(rows, "stagnatie")
        assert problem.column == "ernst" and "1 tot en met 5" in problem.expected


# --- Dates ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "value", ["2026-03-05", "05-03-2026", "5-3-2026", "05/03/2026", "5/3/2026"]
)
def test_date_forms(value):
    assert first(
        with_cell("afspraken", "geevalueerd_op", value), "afspraken", "geevalueerd_op"
    ) == (dt.date(2026, 3, 5))


def test_xlsx_real_date():
    rows = with_cell("afspraken", "geevalueerd_op", dt.datetime(2026, 3, 5))
    assert first(rows, "afspraken", "geevalueerd_op", "t.xlsx") == dt.date(2026, 3, 5)


@pytest.mark.parametrize(
    ("value", "word"),
    [
        ("31-02-2026", "bestaat niet"),
        ("2026-13-01", "bestaat niet"),
        ("maart 2026", "geen datum"),
        ("05.03.2026", "geen datum"),
        ("5-3/2026", "geen datum"),
    ],
)
def test_impossible_or_unreadable_dates(value, word):
    problem = one_problem(with_cell("afspraken", "ingangsdatum", value), "afspraken")
    assert (problem.column, problem.value) == ("ingangsdatum", value)
    assert word in problem.message and "31-03-2026" in problem.expected


def test_einddatum_before_ingangsdatum():
    rows = with_cell("afspraken", "einddatum", "31-12-2024")
    problem = one_problem(rows, "afspraken")
    assert (problem.row, problem.column) == (2, "einddatum")
    assert "vóór de ingangsdatum" in problem.message


# --- Periods -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("2026", "2026"),
        ("2026-Q3", "2026-Q3"),
        ("2026-q3", "2026-Q3"),
        ("2026-07", "2026-07"),
        ("2026-7", "2026-07"),
    ],
)
def test_periods_are_canonical(value, expected):
    rows = valid_rows("overdrachten")[:2]
    rows[1][header_index("overdrachten", "periode")] = value
    assert first(rows, "overdrachten", "periode") == expected


def test_xlsx_number_2026_is_the_year():
    rows = valid_rows("stagnatie")[:2]
    rows[1][header_index("stagnatie", "periode")] = 2026
    assert first(rows, "stagnatie", "periode", "t.xlsx") == "2026"


@pytest.mark.parametrize("value", ["2026-Q5", "2026-13", "Q3 2026", "26", "najaar"])
def test_invalid_periods(value):
    rows = valid_rows("overdrachten")[:2]
    rows[1][header_index("overdrachten", "periode")] = value
    problem = one_problem(rows, "overdrachten")
    assert problem.column == "periode" and "geen periode" in problem.message
    assert "JJJJ-Qn" in problem.expected


def test_one_regio_uses_one_period_granularity_in_a_file():
    rows = valid_rows("overdrachten")
    rows[2][header_index("overdrachten", "periode")] = "2026-03"
    problem = one_problem(rows, "overdrachten")
    assert (problem.row, problem.column, problem.value) == (3, "periode", "2026-03")
    assert "kwartalen" in problem.message and "Regio Noord" in problem.message


def test_different_regions_may_use_different_granularities():
    rows = valid_rows("stagnatie")
    rows[2][header_index("stagnatie", "periode")] = "2026"
    rows[2][header_index("stagnatie", "regio")] = "Regio Zuid"
    assert validated(rows, "stagnatie").rows_read == 2


# --- Required cells and row rules ----------------------------------------------------------


@pytest.mark.parametrize(
    ("kind", "column"),
    [
        ("afspraken", "regio"),
        ("afspraken", "organisatie"),
        ("afspraken", "partner"),
        ("afspraken", "partnertype"),
        ("afspraken", "afspraaktypes"),
        ("afspraken", "status"),
        ("overdrachten", "periode"),
        ("overdrachten", "fase"),
        ("overdrachten", "partnertype"),
        ("overdrachten", "gezinnen"),
        ("overdrachten", "warm"),
        ("stagnatie", "respondent"),
        ("stagnatie", "domein"),
        ("stagnatie", "onderwerp"),
        ("stagnatie", "ernst"),
    ],
)
def test_required_cell_empty(kind, column):
    rows = with_cell(kind, column, "  ", row=2)
    found = problems(rows, kind)
    assert (found[0].row, found[0].column) == (3, column)
    assert "verplichte waarde ontbreekt" in found[0].message


@pytest.mark.parametrize(("warm", "ok"), [("10", True), ("11", False)])
def test_warm_at_most_gezinnen(warm, ok):
    rows = with_cell("overdrachten", "warm", warm)
    if ok:
        assert first(rows, "overdrachten", "warm") == 10
    else:
        problem = one_problem(rows, "overdrachten")
        assert (problem.column, problem.value) == ("warm", "11")
        assert "meer dan het aantal gezinnen (10)" in problem.message


@pytest.mark.parametrize(
    "column",
    [
        "met_informatieoverdracht",
        "met_persoonlijk_contact",
        "met_ketenafspraken",
        "regisseur_belegd",
        "veiligheidsplan_gedeeld",
    ],
)
def test_handover_elements_at_most_gezinnen(column):
    assert first(with_cell("overdrachten", column, "10"), "overdrachten", column) == 10
    problem = one_problem(with_cell("overdrachten", column, "11"), "overdrachten")
    assert problem.column == column and "gezinnen" in problem.message


def test_kind_overgedragen_at_most_kinderen():
    assert (
        first(
            with_cell("overdrachten", "kind_overgedragen", "15"),
            "overdrachten",
            "kind_overgedragen",
        )
        == 15
    )
    problem = one_problem(with_cell("overdrachten", "kind_overgedragen", "16"), "overdrachten")
    assert problem.column == "kind_overgedragen" and "kinderen (15)" in problem.message


def test_kind_overgedragen_without_kinderen():
    problem = one_problem(with_cell("overdrachten", "kinderen", ""), "overdrachten")
    assert (problem.row, problem.column) == (2, "kind_overgedragen")
    assert "kinderen niet" in problem.message


def test_onderwerp_must_belong_to_domein_and_message_names_its_topics():
    assert first(with_cell("stagnatie", "onderwerp", "Schulden"), "stagnatie", "onderwerp") == (
        "schulden"
    )
    problem = one_problem(with_cell("stagnatie", "onderwerp", "urgentie"), "stagnatie")
    assert problem.column == "onderwerp"
    assert "domein 'Financiën' (het hoort bij 'Wonen')" in problem.message
    assert problem.expected == (
        "een onderwerp van dat domein: Uitkering, Schulden, Bewindvoering, Inrichtingskosten "
        "of Woonplaatsbeginsel"
    )


@pytest.mark.parametrize("partner", ["Opvang Noord", "  opvang   NOORD "])
def test_partner_equal_to_organisatie(partner):
    problem = one_problem(with_cell("afspraken", "partner", partner), "afspraken")
    assert problem.column == "partner" and "dezelfde als de organisatie" in problem.message


# --- Text: length and personal data --------------------------------------------------------


def test_text_is_stripped_with_inner_whitespace_kept():
    rows = with_cell("afspraken", "partner", "  Veilig  Thuis Noord ")
    assert first(rows, "afspraken", "partner") == "Veilig  Thuis Noord"


def test_text_at_most_500_characters_and_long_text_is_not_echoed_whole():
    assert (
        len(first(with_cell("stagnatie", "toelichting", "a" * 500), "stagnatie", "toelichting"))
        == 500
    )
    long_text = "Begin van een lang verhaal " + "b" * 600
    problem = one_problem(with_cell("stagnatie", "toelichting", long_text), "stagnatie")
    assert problem.column == "toelichting" and "te lang (627 tekens)" in problem.message
    assert problem.value.startswith("Begin van een lang verhaal") and len(problem.value) < 60
    assert "500" in problem.expected


@pytest.mark.parametrize(
    ("text", "masked"),
    [
        ("BSN 111222333 bekend", "1112*****"),
        ("cliënt 1112.22.333", "1112*******"),
        ("mail naar j.jansen@example.nl", "j.ja" + "*" * 15),
        ("bel 06-12345678", "06-1*******"),
        ("bel 06 1234 5678", "06 1********"),
        ("tel. 020-1234567", "020-*******"),
        ("tel. (020) 123 45 67", "(020" + "*" * 11),
        ("+31 6 12345678", "+31 **********"),
        ("0031 20 1234567", "0031***********"),
        ("Veilig Thuis 0800-2000", "0800*****"),
        ("woont 1234 AB 12", "1234******"),
        ("woont 1234AB 12a", "1234*****"),
        ("NL91ABNA0417164300", "NL91" + "*" * 14),
        ("woont 1234 ab 5", "1234*****"),
        ("bel 06\u201312345678", "06-1*******"),
    ],
)
def test_personal_data_is_found_and_masked(text, masked):
    assert find_personal_data(text) == masked


@pytest.mark.parametrize(
    "text",
    [
        "Veilig Thuis Kennemerland",
        "123456789",  # nine digits that fail the eleven-test
        "12 gezinnen in 2026, 5 kinderen",
        "overleg 05-01-2026 12 deelnemers",
        "in 2026 is 3 keer geëvalueerd",
        "KvK 12345678",
        "NL91ABNA0417164301",  # an IBAN's form with a wrong checksum
        "periode 2026-Q3",
    ],
)
def test_ordinary_text_is_not_personal_data(text):
    assert find_personal_data(text) is None


@pytest.mark.parametrize(
    ("kind", "column"),
    [
        ("afspraken", "regio"),
        ("afspraken", "organisatie"),
        ("afspraken", "partner"),
        ("afspraken", "afspraak_id"),
        ("afspraken", "toelichting"),
        ("overdrachten", "regio"),
        ("overdrachten", "organisatie"),
        ("overdrachten", "partner"),
        ("stagnatie", "regio"),
        ("stagnatie", "respondent"),
        ("stagnatie", "partner"),
        ("stagnatie", "toelichting"),
    ],
)
def test_every_stored_text_cell_is_checked_for_personal_data(kind, column):
    rows = with_cell(kind, column, "Jan 111222333")
    found = problems(rows, kind)
    problem = next(p for p in found if p.column == column)
    assert problem.value == "1112*****"
    assert (
        "persoonsgegevens" in problem.message and "geen gegevens over cliënten" in problem.expected
    )
    assert all("111222333" not in str(p) for p in found)


def test_personal_data_in_a_code_cell_is_not_echoed():
    problem = one_problem(with_cell("afspraken", "status", "jan@example.nl"), "afspraken")
    assert "jan@example.nl" not in str(problem) and problem.value.startswith("jan@")


# --- Robustness ----------------------------------------------------------------------------


def run_pipeline(data: bytes, name: str, kind: str | None = None) -> None:
    """Only a ValidationError with Dutch problems may come out of reading and validating."""
    try:
        table = read_table(data, name, kind)
        validate_table(table, kind or detect_kind(table.headers))
    except ValidationError as error:
        assert error.problems and all(isinstance(p, Problem) for p in error.problems)
        assert str(error)


ROBUST = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@ROBUST
@given(data=st.binary(max_size=400), name=st.sampled_from(["x.csv", "x.xlsx"]))
def test_arbitrary_bytes_end_in_a_table_or_a_validation_error(data, name):
    run_pipeline(data, name)


@ROBUST
@given(
    kind=st.sampled_from(KINDS),
    xlsx=st.booleans(),
    seed=st.integers(0, 2**32 - 1),
    flips=st.integers(1, 8),
    cut=st.floats(0, 1),
)
def test_mutated_valid_files_end_in_a_table_or_a_validation_error(kind, xlsx, seed, flips, cut):
    data = bytearray(
        xlsx_bytes(valid_rows(kind), sheet=kind.title()) if xlsx else csv_bytes(valid_rows(kind))
    )
    rng = random.Random(seed)
    for _ in range(flips):
        data[rng.randrange(len(data))] = rng.randrange(256)
    data = bytes(data[: max(1, int(len(data) * (0.5 + cut / 2)))]) if cut < 0.3 else bytes(data)
    run_pipeline(data, "x.xlsx" if xlsx else "x.csv", rng.choice([None, kind]))


def mutate_xlsx_parts(data: bytes, rng: random.Random, flips: int) -> bytes:
    """Flip bytes inside the XML parts and zip them again, so the zip itself stays sound."""
    source = zipfile.ZipFile(io.BytesIO(data))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as target:
        names = source.namelist()
        victim = rng.choice(names)
        for name in names:
            content = bytearray(source.read(name))
            if name == victim and content:
                for _ in range(flips):
                    content[rng.randrange(len(content))] = rng.choice(b'<>/="x0 ')
            target.writestr(name, bytes(content))
    return out.getvalue()


@ROBUST
@given(kind=st.sampled_from(KINDS), seed=st.integers(0, 2**32 - 1), flips=st.integers(1, 6))
def test_xlsx_with_damaged_xml_parts_ends_in_a_table_or_a_validation_error(kind, seed, flips):
    data = mutate_xlsx_parts(
        xlsx_bytes(valid_rows(kind), sheet=kind.title()), random.Random(seed), flips
    )
    run_pipeline(data, "x.xlsx")


CELL_VALUES = st.one_of(
    st.text(max_size=30),
    st.integers(-(10**15), 10**15),
    st.floats(allow_nan=True, allow_infinity=True),
    st.booleans(),
    st.dates(),
    st.none(),
)


@ROBUST
@given(
    kind=st.sampled_from(KINDS),
    xlsx=st.booleans(),
    row=st.integers(0, 2),
    column=st.integers(0, 14),
    value=CELL_VALUES,
)
def test_valid_files_with_a_random_cell_end_in_a_table_or_a_validation_error(
    kind, xlsx, row, column, value
):
    rows = valid_rows(kind)
    column %= len(rows[0])
    if not xlsx:
        value = "" if value is None else str(value)
    elif isinstance(value, str):
        value = "".join(ch for ch in value if ch.isprintable())  # XML cannot hold control chars
    rows[row][column] = value
    run_pipeline(
        xlsx_bytes(rows, sheet=kind.title()) if xlsx else csv_bytes(rows),
        "x.xlsx" if xlsx else "x.csv",
    )
