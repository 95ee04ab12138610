"""A region's own norm matrix: validation like any upload, versions, back to the default."""

from __future__ import annotations

import pytest

from ketendata import store
from ketendata.importers import import_file, import_matrix, use_default_matrix
from ketendata.intake.matrix import default_matrix
from ketendata.intake.problems import ValidationError
from ketendata.store import queries
from tests.builders import csv_bytes, xlsx_bytes

HEADER = ["partnertype", "afspraaktype", "norm", "kind"]


@pytest.fixture
def con(tmp_path):
    connection = store.open_database(tmp_path / "k.duckdb")
    data = csv_bytes(
        [
            ["regio", "organisatie", "partner", "partnertype", "afspraaktypes", "status"],
            ["Regio Noord", "Opvang Noord", "Politie Noord", "politie", "veiligheid", "mondeling"],
        ]
    )
    import_file(connection, data, "a.csv", new_region=True)
    yield connection
    connection.close()


def test_default_matrix_has_the_29_requirements_of_the_norm():
    matrix = default_matrix()
    assert len(matrix) == 29
    first = matrix.iloc[0]
    assert (first.partner_type, first.agreement_type, first.norm) == (
        "veilig_thuis",
        "meldcode",
        "4.3",
    )
    assert bool(first.child_required)
    assert set(matrix[matrix.partner_type == "*"].agreement_type) == {
        "verantwoordelijkheden",
        "vervoer",
    }


def test_a_region_matrix_replaces_the_default_for_that_region_only(con):
    data = csv_bytes(
        [
            HEADER,
            ["Veilig Thuis", "Meldcode Veilig Thuis", "4.3", "ja"],
            ["*", "vervoer", "4.5", ""],
        ]
    )
    result = import_matrix(con, data, "matrix.csv", "regio noord")
    assert "eigen normenmatrix met 2 eisen" in result.message
    matrix = queries.region_matrix(con, "Regio Noord")
    assert matrix.to_dict("records") == [
        {
            "partner_type": "veilig_thuis",
            "agreement_type": "meldcode",
            "norm": "4.3",
            "child_required": True,
            "source": "keurmerk",
            "min_level": None,
            "weight": 1,
        },
        {
            "partner_type": "*",
            "agreement_type": "vervoer",
            "norm": "4.5",
            "child_required": False,
            "source": "normenkader 2019",
            "min_level": None,
            "weight": 1,
        },
    ]
    assert queries.has_own_matrix(con, "Regio Noord")
    assert queries.region_frames(con, "Regio Noord").matrix.equals(matrix)
    again = import_matrix(
        con,
        xlsx_bytes(
            [HEADER, ["veilig_thuis", "meldcode", "4.3", "ja"], ["*", "vervoer", "4.5", "nee"]],
            sheet="Normen",
        ),
        "m.xlsx",
        "Regio Noord",
    )
    assert again.unchanged
    back = use_default_matrix(con, "Regio Noord")
    assert back.uses_default and not back.unchanged
    assert len(queries.region_matrix(con, "Regio Noord")) == 29
    assert con.execute("SELECT count(*) FROM matrix_rows").fetchall()[0][0] == 2  # history kept


def test_a_bad_matrix_lists_every_problem_and_stores_nothing(con):
    before = store.dump_content(con)
    data = csv_bytes(
        [
            HEADER,
            ["ruimtevaart", "meldcode", "4.3", "ja"],
            ["veilig_thuis", "meldcode", "", "misschien"],
            ["politie", "veiligheid", "4.2b", "nee"],
            ["Politie", "Veiligheid en systeemgrenzen", "4.2c", "nee"],
        ]
    )
    with pytest.raises(ValidationError) as caught:
        import_matrix(con, data, "matrix.csv", "Regio Noord")
    text = str(caught.value)
    assert "rij 2, kolom 'partnertype': onbekend partnertype (waarde 'ruimtevaart')" in text
    assert "rij 3, kolom 'norm': deze verplichte cel is leeg" in text
    assert "rij 3, kolom 'kind'" in text
    assert "rij 5, kolom 'afspraaktype'" in text and "ook al in rij 4" in text
    assert store.dump_content(con) == before


def test_a_matrix_for_an_unknown_region_is_refused(con):
    with pytest.raises(ValidationError, match="onbekende regio.*Regio Noord"):
        import_matrix(
            con,
            csv_bytes([HEADER, ["politie", "veiligheid", "4.2b", "nee"]]),
            "m.csv",
            "Regio Nord",
        )


def test_a_matrix_without_required_columns_is_refused(con):
    with pytest.raises(ValidationError, match="kolom 'norm': deze verplichte kolom ontbreekt"):
        import_matrix(
            con,
            csv_bytes([["partnertype", "afspraaktype"], ["politie", "veiligheid"]]),
            "m.csv",
            "Regio Noord",
        )


def test_default_matrix_is_read_once_but_every_caller_gets_its_own_copy():
    first = default_matrix()
    first.loc[0, "norm"] = "gewijzigd"
    assert default_matrix().loc[0, "norm"] == "4.3"
