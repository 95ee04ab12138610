"""Judging shelters against the norm matrix (analysis/norms.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.norms import (
    Finding,
    coverage,
    findings_grid,
    judge_requirements,
    select_findings,
    unmet_findings,
)
from analysis.settings import DEFAULT_SETTINGS, Settings
from ketendata.intake.matrix import default_matrix, read_matrix
from ketendata.intake.problems import ValidationError
from ketendata.settings import DEFAULT_MATRIX_PATH
from tests.frames import AGREEMENT_COLUMNS

TODAY = date(2026, 9, 30)

MELDCODE = pd.DataFrame(
    [("veilig_thuis", "meldcode", "4.3", True)],
    columns=["partner_type", "agreement_type", "norm", "child_required"],
)


def row(**fields: object) -> dict:
    """A written, evaluated, child-specific meldcode agreement with Veilig Thuis Kennemerland."""
    base = {
        "organisation": "Opvang Haarlem",
        "organisation_type": "vrouwenopvang",
        "partner": "Veilig Thuis Kennemerland",
        "partner_type": "veilig_thuis",
        "agreement_types": ("meldcode",),
        "level": "organisatie",
        "status": "schriftelijk",
        "child_specific": True,
        "start_date": date(2020, 1, 1),
        "end_date": None,
        "evaluated_on": date(2026, 1, 15),
        "agreement_id": None,
        "note": None,
        "source_row": 2,
    }
    base.update(fields)
    return base


def judge(*rows: dict, matrix: pd.DataFrame = MELDCODE, **kwargs: object) -> list[Finding]:
    return judge_requirements(
        pd.DataFrame(list(rows), columns=AGREEMENT_COLUMNS), matrix, TODAY, **kwargs
    )


def only(*rows: dict, **kwargs: object) -> Finding:
    [finding] = judge(*rows, **kwargs)
    return finding


@pytest.mark.parametrize(
    ("fields", "status"),
    [
        ({}, "met"),
        ({"evaluated_on": TODAY - timedelta(days=730)}, "met"),  # exactly 24 months
        ({"evaluated_on": TODAY - timedelta(days=731)}, "partial"),
        ({"evaluated_on": TODAY}, "met"),
        ({"evaluated_on": TODAY + timedelta(days=1)}, "partial"),  # future does not count
        ({"evaluated_on": None}, "partial"),
        ({"evaluated_on": None, "start_date": TODAY - timedelta(days=730)}, "met"),
        ({"evaluated_on": None, "start_date": TODAY + timedelta(days=10)}, "partial"),
        ({"evaluated_on": None, "start_date": None}, "partial"),
        ({"evaluated_on": date(2020, 1, 1), "start_date": TODAY - timedelta(days=5)}, "met"),
        ({"status": "mondeling"}, "partial"),
        ({"status": "in_ontwikkeling"}, "partial"),
        ({"child_specific": False}, "partial"),
        ({"status": "beeindigd"}, "missing"),
        ({"end_date": TODAY - timedelta(days=1)}, "missing"),
        ({"end_date": TODAY}, "met"),
        ({"partner_type": "politie"}, "missing"),
        ({"agreement_types": ("informatie_uitwisseling",)}, "missing"),
        ({"agreement_types": ("informatie_uitwisseling", "meldcode")}, "met"),
    ],
)
def test_one_agreement_against_meldcode(fields: dict, status: str) -> None:
    finding = only(row(**fields))
    assert finding.status == status
    assert finding.organisation == "Opvang Haarlem"
    assert (finding.partner_type, finding.agreement_type, finding.norm) == (
        "veilig_thuis",
        "meldcode",
        "4.3",
    )
    assert finding.reason.endswith("(norm 4.3, keurmerk)")
    assert finding.norm_source == "keurmerk"


def test_reasons_in_plain_dutch() -> None:
    assert only(row(status="mondeling")).reason == (
        "Mondelinge afspraak met Veilig Thuis Kennemerland; niet aantoonbaar vastgelegd "
        "(norm 4.3, keurmerk)"
    )
    assert judge(row(organisation_type="vrouwenopvang", partner_type="politie"))[0].reason == (
        "Geen afspraak over Meldcode Veilig Thuis met een partner van type Veilig Thuis "
        "(norm 4.3, keurmerk)"
    )
    assert only(row(agreement_id="VT-7")).reason == (
        "Schriftelijke afspraak 'VT-7' met Veilig Thuis Kennemerland; geëvalueerd op "
        "15-01-2026 (binnen 24 maanden); geldt ook voor kinderen (norm 4.3, keurmerk)"
    )


def test_reason_for_a_stale_written_agreement_names_the_dates() -> None:
    reason = only(row(evaluated_on=date(2024, 9, 29), start_date=date(2019, 3, 1))).reason
    assert "laatst geëvalueerd op 29-09-2024" in reason
    assert "ingegaan op 01-03-2019" in reason
    assert "24 maanden" in reason


def test_reason_for_a_future_evaluation_date() -> None:
    reason = only(row(evaluated_on=date(2026, 12, 1))).reason
    assert "evaluatiedatum 01-12-2026 ligt in de toekomst en telt niet" in reason


def test_kind_requirement_met_by_non_kind_agreement_is_partial_with_reason() -> None:
    finding = only(row(child_specific=False))
    assert finding.status == "partial"
    assert "geldt niet specifiek voor kinderen" in finding.reason


def test_non_kind_requirement_is_met_by_non_kind_agreement() -> None:
    matrix = pd.DataFrame(
        [("veilig_thuis", "meldcode", "4.3", False)],
        columns=["partner_type", "agreement_type", "norm", "child_required"],
    )
    assert only(row(child_specific=False), matrix=matrix).status == "met"


def test_ended_agreement_is_missing_and_says_so() -> None:
    finding = only(row(end_date=date(2026, 6, 30), agreement_id="VT-1"))
    assert finding.status == "missing"
    assert finding.reason.startswith(
        "Afspraak 'VT-1' met Veilig Thuis Kennemerland is beëindigd op 30-06-2026"
    )


def test_best_agreement_is_reported() -> None:
    finding = only(
        row(status="mondeling", agreement_id="OUD"),
        row(agreement_id="NIEUW"),
        row(status="in_ontwikkeling", agreement_id="CONCEPT"),
    )
    assert finding.status == "met"
    assert "'NIEUW'" in finding.reason
    partial = only(row(status="in_ontwikkeling", agreement_id="C"), row(status="mondeling"))
    assert partial.reason.startswith("Mondelinge afspraak")  # the stronger status


def test_star_requirement_is_met_by_any_partner_and_reported_as_star() -> None:
    matrix = pd.DataFrame(
        [("*", "vervoer", "4.5", True)],
        columns=["partner_type", "agreement_type", "norm", "child_required"],
    )
    finding = only(
        row(partner="Taxicentrale", partner_type="overig", agreement_types=("vervoer",)),
        matrix=matrix,
    )
    assert finding.partner_type == "*"
    assert finding.status == "met"
    assert "Taxicentrale" in finding.reason
    missing = only(row(), matrix=matrix)
    assert missing.status == "missing"
    assert (
        missing.reason == "Geen afspraak over Vervoer met een ketenpartner (welk type ook) "
        "(norm 4.5, normenkader 2019)"
    )


def test_multi_party_agreement_counts_for_each_partner() -> None:
    matrix = pd.DataFrame(
        [
            ("veilig_thuis", "informatie_uitwisseling", "4.2a", False),
            ("politie", "informatie_uitwisseling", "4.2a", False),
            ("wijkteam", "informatie_uitwisseling", "4.2a", False),
            ("ggz", "informatie_uitwisseling", "4.2a", False),
        ],
        columns=["partner_type", "agreement_type", "norm", "child_required"],
    )
    covenant = {"agreement_id": "CONVENANT", "agreement_types": ("informatie_uitwisseling",)}
    findings = judge(
        row(partner="Veilig Thuis", partner_type="veilig_thuis", **covenant),
        row(partner="Politie Noord", partner_type="politie", **covenant),
        row(partner="Wijkteam Centrum", partner_type="wijkteam", **covenant),
        matrix=matrix,
    )
    assert [(f.partner_type, f.status) for f in findings] == [
        ("ggz", "missing"),
        ("politie", "met"),
        ("veilig_thuis", "met"),
        ("wijkteam", "met"),
    ]


def test_only_shelters_are_judged_and_findings_are_sorted() -> None:
    findings = judge(
        row(organisation="Opvang Zuid", organisation_type="maatschappelijke_opvang"),
        row(organisation="Gemeente Haarlem", organisation_type="gemeente"),
        row(organisation="opvang haarlem"),
        row(organisation="Opvang Haarlem", status="mondeling"),
        matrix=default_matrix(),
    )
    organisations = sorted({f.organisation for f in findings})
    assert organisations == ["Opvang Zuid", "opvang haarlem"]
    assert len(findings) == 2 * len(default_matrix())
    keys = [(f.organisation.casefold(), f.partner_type, f.agreement_type) for f in findings]
    assert keys == sorted(keys)
    # one shelter in two spellings: the written agreement counts
    assert [f.status for f in findings if f.agreement_type == "meldcode"] == ["met", "met"]


def test_the_window_comes_from_the_settings() -> None:
    evaluated = row(evaluated_on=TODAY - timedelta(days=400), start_date=None)
    assert only(evaluated).status == "met"
    short = Settings(evaluation_window_days=365)
    finding = only(evaluated, settings=short)
    assert finding.status == "partial"
    assert "12 maanden" in finding.reason


def test_coverage() -> None:
    findings = judge(row(), row(partner_type="politie"), matrix=default_matrix())
    assert coverage(findings) == pytest.approx(1 / len(default_matrix()))
    assert coverage([]) == 0.0


def test_read_matrix_from_bytes_with_labels_and_semicolons() -> None:
    data = (
        "Partner type;Afspraaktype;Norm;Kind\r\n"
        "Veilig Thuis;Meldcode Veilig Thuis;4.3;ja\r\n"
        "*;vervoer;4.5;nee\r\n"
    ).encode("utf-8-sig")
    matrix = read_matrix(data)
    assert matrix.to_dict("records") == [
        {
            "partner_type": "veilig_thuis",
            "agreement_type": "meldcode",
            "norm": "4.3",
            "child_required": True,
        },
        {"partner_type": "*", "agreement_type": "vervoer", "norm": "4.5", "child_required": False},
    ]


def test_read_matrix_lists_every_problem(tmp_path) -> None:
    path = tmp_path / "matrix.csv"
    path.write_text(
        "partnertype,afspraaktype,norm,kind\nbakker,meldcode,4.3,ja\npolitie,koffie,,misschien\n"
    )
    with pytest.raises(ValidationError) as error:
        read_matrix(path.read_bytes(), path.name)
    message = str(error.value)
    assert "rij 2, kolom 'partnertype'" in message
    assert "rij 3, kolom 'afspraaktype'" in message
    assert "rij 3, kolom 'kind'" in message
    assert "rij 3, kolom 'norm'" in message
    with pytest.raises(
        ValidationError, match="kolom 'afspraaktype': deze verplichte kolom ontbreekt"
    ):
        read_matrix(b"partnertype,norm\nveilig_thuis,4.3\n")


def test_default_matrix_is_the_shipped_file() -> None:
    matrix = default_matrix()
    assert list(matrix.columns) == [
        "partner_type",
        "agreement_type",
        "norm",
        "child_required",
        "source",
        "min_level",
        "weight",
    ]
    assert len(matrix) == len(DEFAULT_MATRIX_PATH.read_text().strip().splitlines()) - 1
    first = matrix.iloc[0]
    assert (first["partner_type"], first["agreement_type"], first["norm"]) == (
        "veilig_thuis",
        "meldcode",
        "4.3",
    )
    assert bool(first["child_required"]) is True
    assert "*" in set(matrix["partner_type"])


# --- Invariants -----------------------------------------------------------------------------

PARTNERS = ["veilig_thuis", "politie", "wijkteam", "onderwijs", "huisarts", "overig"]
TYPES = ["meldcode", "informatie_uitwisseling", "vervoer", "warme_overdracht", "onderwijs"]

agreement_rows = st.builds(
    lambda partner_type, types, status, child, evaluated, end: row(
        partner=f"Partner {partner_type}",
        partner_type=partner_type,
        agreement_types=tuple(types),
        status=status,
        child_specific=child,
        evaluated_on=evaluated,
        start_date=None,
        end_date=end,
    ),
    st.sampled_from(PARTNERS),
    st.lists(st.sampled_from(TYPES), min_size=1, max_size=3, unique=True),
    st.sampled_from(["schriftelijk", "mondeling", "in_ontwikkeling", "beeindigd"]),
    st.booleans(),
    st.none() | st.dates(date(2023, 1, 1), date(2027, 1, 1)),
    st.none() | st.dates(date(2026, 1, 1), date(2027, 1, 1)),
)


@settings(max_examples=60, deadline=None)
@given(st.lists(agreement_rows, max_size=8), st.sampled_from(PARTNERS), st.sampled_from(TYPES))
def test_coverage_stays_in_range_and_a_good_agreement_never_lowers_it(
    rows: list[dict], partner_type: str, agreement_type: str
) -> None:
    matrix = default_matrix()
    before = coverage(judge(*rows, matrix=matrix))
    assert 0.0 <= before <= 1.0
    good = row(
        partner=f"Nieuw {partner_type}",
        partner_type=partner_type,
        agreement_types=(agreement_type,),
        evaluated_on=TODAY,
    )
    after = coverage(judge(*rows, good, matrix=matrix, settings=DEFAULT_SETTINGS))
    assert 0.0 <= after <= 1.0
    assert after >= before


# --- Views of the findings --------------------------------------------------------------------


def finding(
    organisation: str, partner_type: str, status: str, agreement_type: str = "x"
) -> Finding:
    return Finding(organisation, partner_type, agreement_type, "4.2a", status, "")


FOUR = [
    finding("Opvang A", "politie", "met"),
    finding("Opvang A", "huisarts", "missing"),
    finding("Opvang B", "politie", "partial"),
    finding("Opvang B", "huisarts", "missing"),
]


@pytest.mark.parametrize(
    ("filters", "expected"),
    [
        ({}, [0, 1, 2, 3]),
        ({"organisations": ["Opvang B"]}, [2, 3]),
        ({"statuses": ["missing"]}, [1, 3]),
        ({"statuses": ("partial", "met")}, [0, 2]),
        ({"partner_types": ["huisarts"]}, [1, 3]),
        ({"organisations": ["Opvang A"], "statuses": ["missing"]}, [1]),  # every filter holds
        ({"organisations": ["Opvang A"], "statuses": ["partial"]}, []),
    ],
)
def test_select_findings(filters: dict, expected: list[int]) -> None:
    assert select_findings(FOUR, **filters) == [FOUR[i] for i in expected]


def test_unmet_findings_keep_partial_and_missing_in_order() -> None:
    assert unmet_findings(FOUR) == [FOUR[1], FOUR[2], FOUR[3]]
    assert unmet_findings([FOUR[0]]) == []


def matrix_of(*pairs: tuple[str, str]) -> pd.DataFrame:
    return pd.DataFrame(
        [(p, a, "4.2a", False) for p, a in pairs],
        columns=["partner_type", "agreement_type", "norm", "child_required"],
    )


def test_findings_grid_rows_in_matrix_order_and_shelters_by_name() -> None:
    found = [
        finding("opvang b", "politie", "met", "veiligheid"),
        finding("Opvang A", "huisarts", "missing", "informatie_uitwisseling"),
        finding("Opvang A", "politie", "partial", "veiligheid"),
        finding("Opvang A", "*", "met", "vervoer"),  # a requirement the matrix does not list
    ]
    matrix = matrix_of(("huisarts", "informatie_uitwisseling"), ("politie", "veiligheid"))
    grid = findings_grid(found, matrix)
    assert grid.shelters == ("Opvang A", "opvang b")
    assert grid.requirements == (
        ("huisarts", "informatie_uitwisseling", "4.2a"),
        ("politie", "veiligheid", "4.2a"),
        ("*", "vervoer", "4.2a"),
    )
    assert grid.cells == (
        (found[1], None),  # Opvang B was not judged against it: an empty cell
        (found[2], found[0]),
        (found[3], None),
    )


def test_findings_grid_of_the_real_judgement_fills_every_cell() -> None:
    found = judge(
        row(),
        row(organisation="Opvang Zuid", partner_type="politie"),
        matrix=default_matrix(),
    )
    grid = findings_grid(found, default_matrix())
    assert grid.shelters == ("Opvang Haarlem", "Opvang Zuid")
    assert len(grid.requirements) == len(default_matrix())
    assert all(cell is not None for line in grid.cells for cell in line)
    cells = [cell for line in grid.cells for cell in line]
    assert len(cells) == len(found) and set(cells) == set(found)


def test_findings_grid_without_matrix_keeps_the_order_found() -> None:
    grid = findings_grid(FOUR, None)
    assert grid.requirements == (("politie", "x", "4.2a"), ("huisarts", "x", "4.2a"))
    assert findings_grid([], None) == findings_grid([], matrix_of())
    assert findings_grid([], None).cells == ()
