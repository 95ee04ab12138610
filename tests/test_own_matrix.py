"""A region's own norm matrix keeps its bron, niveau and gewicht (schema 6) and the analysis
judges with them: the lowest level that counts, and the weight when gaps are ranked
(normenkader.md, issue 12)."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.norms import coverage, judge_requirements, norm_coverage
from analysis.report import build_report
from ketendata import store
from ketendata.importers import import_file, import_matrix
from ketendata.store import queries
from tests.builders import csv_bytes, xlsx_bytes

TODAY = date(2026, 11, 30)
REGION = "Regio Noord"
MATRIX_HEADER = ["partnertype", "afspraaktype", "norm", "kind", "bron", "niveau", "gewicht"]


@pytest.fixture
def con(tmp_path):
    connection = store.open_database(tmp_path / "k.duckdb")
    header = ["regio", "organisatie", "partner", "partnertype", "afspraaktypes", "status"]
    header += ["niveau", "ingangsdatum"]
    data = csv_bytes(
        [
            header,
            [REGION, "Opvang Noord", "School Noord", "onderwijs", "onderwijs", "schriftelijk"]
            + ["client", "2026-01-01"],
            [REGION, "Opvang Noord", "Huisarts Noord", "huisarts", "informatie_uitwisseling"]
            + ["schriftelijk", "organisatie", "2026-01-01"],
        ]
    )
    import_file(connection, data, "a.csv", new_region=True)
    yield connection
    connection.close()


def _own_matrix(school_level: str = "organisatie", huisarts_weight: str = "1") -> bytes:
    return csv_bytes(
        [
            MATRIX_HEADER,
            ["onderwijs", "onderwijs", "3.4", "nee", "normenkader 2019", school_level, "3"],
            ["huisarts", "informatie_uitwisseling", "4.2a", "nee", "", "", huisarts_weight],
            ["huisarts", "vervoer", "4.5", "nee", "", "", ""],
        ]
    )


def _report(con) -> dict:
    frames = queries.region_frames(con, REGION)
    return build_report(
        REGION, frames.agreements, frames.handovers, frames.stagnation, frames.matrix, TODAY
    )


def test_an_own_matrix_stores_bron_niveau_and_gewicht(con):
    result = import_matrix(con, _own_matrix(), "eigen.csv", REGION)
    assert not result.unchanged
    matrix = queries.region_matrix(con, REGION)
    assert matrix[["source", "min_level", "weight"]].values.tolist() == [
        ["normenkader 2019", "organisatie", 3],
        ["keurmerk", None, 1],
        ["normenkader 2019", None, 1],
    ]
    # the same requirements as .xlsx, with labels: nothing new stored
    again = xlsx_bytes(
        [
            MATRIX_HEADER,
            ["Onderwijs", "Onderwijs en schoolplaatsing", "3.4", "nee", "Normenkader 2019"]
            + ["Organisatie", 3],
            ["Huisarts", "informatie_uitwisseling", "4.2a", "nee", None, None, 1],
            ["huisarts", "vervoer", "4.5", "nee", "normenkader 2019", None, None],
        ],
        sheet="Normen",
    )
    assert import_matrix(con, again, "eigen.xlsx", REGION).unchanged
    # only a weight changed: a new version
    assert not import_matrix(con, _own_matrix(huisarts_weight="2"), "m.csv", REGION).unchanged
    assert queries.region_matrix(con, REGION)["weight"].tolist() == [3, 2, 1]


def test_the_report_judges_with_the_own_matrix_level(con):
    import_matrix(con, _own_matrix(school_level="organisatie"), "eigen.csv", REGION)
    findings = {f["agreement_type"]: f for f in _report(con)["norms"]["findings"]}
    school = findings["onderwijs"]
    assert (school["status"], school["level"], school["norm_source"]) == (
        "partial",
        "client",
        "normenkader 2019",
    )
    assert "alleen op cliëntniveau afgesproken, terwijl de regio ten minste" in school["reason"]
    assert "(norm 3.4, normenkader 2019)" in school["reason"]
    assert findings["informatie_uitwisseling"]["status"] == "met"
    # the same agreement counts once the region accepts every level
    import_matrix(con, _own_matrix(school_level=""), "eigen.csv", REGION)
    findings = {f["agreement_type"]: f for f in _report(con)["norms"]["findings"]}
    assert findings["onderwijs"]["status"] == "met"
    assert "alleen per casus afgesproken" in findings["onderwijs"]["reason"]


def test_the_own_matrix_weight_ranks_the_top_gaps(con):
    """A partial weight-3 requirement (school) outranks a missing weight-1 one (transport with
    the GP); with transport weighing 3 and school 1 the order turns."""
    import_matrix(con, _own_matrix(), "eigen.csv", REGION)
    norms = [line["sentence"] for line in _report(con)["top_gaps"]]
    assert norms[0].startswith("Onderwijs en schoolplaatsing")
    assert norms[1].startswith("Vervoer met een partner van type Huisarts")
    turned = csv_bytes(
        [
            MATRIX_HEADER,
            ["onderwijs", "onderwijs", "3.4", "nee", "normenkader 2019", "organisatie", "1"],
            ["huisarts", "vervoer", "4.5", "nee", "", "", "3"],
        ]
    )
    import_matrix(con, turned, "eigen.csv", REGION)
    norms = [line["sentence"] for line in _report(con)["top_gaps"]]
    assert norms[0].startswith("Vervoer") and norms[1].startswith("Onderwijs en schoolplaatsing")


LEVELS = ["client", "professioneel", "organisatie", "regio", None]


@settings(max_examples=120, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(LEVELS), st.booleans(), st.sampled_from(["politie", "jgz"])),
        min_size=1,
        max_size=4,
    ),
    st.lists(
        st.tuples(st.sampled_from(["politie", "*", "jgz"]), st.booleans(), st.sampled_from(LEVELS)),
        min_size=1,
        max_size=3,
        unique_by=lambda r: r[0],
    ),
)
def test_the_fast_coverage_counts_a_minimum_level_as_the_judgement_does(agreements, matrix):
    rows = pd.DataFrame(
        [
            {
                "organisation": "Opvang A",
                "organisation_type": "vrouwenopvang",
                "partner": f"Partner {i}",
                "partner_type": partner_type,
                "agreement_types": ("veiligheid",),
                "status": "schriftelijk",
                "child_specific": child,
                "level": level,
                "start_date": date(2026, 1, 1),
                "end_date": None,
                "evaluated_on": None,
            }
            for i, (level, child, partner_type) in enumerate(agreements)
        ]
    )
    required = pd.DataFrame(
        [
            {
                "partner_type": partner_type,
                "agreement_type": "veiligheid",
                "norm": "4.2b/c",
                "child_required": child,
                "source": "keurmerk",
                "min_level": level,
                "weight": 1,
            }
            for partner_type, child, level in matrix
        ]
    )
    findings = judge_requirements(rows, required, TODAY)
    assert norm_coverage(rows, required, TODAY) == coverage(findings)
