"""Whose norm numbers, the level of the deciding agreement and the weights of the default
matrix (normenkader.md, issue 12: sources, levels, weights)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.norms import norm_text
from ketendata.intake.matrix import default_matrix, read_matrix
from ketendata.intake.problems import ValidationError
from tests.test_norms import MELDCODE, judge, only, row

#: The spec's table: (partner type, agreement type) -> (norm, source).
SPEC_SOURCES = {
    ("onderwijs", "onderwijs"): ("3.3", "keurmerk"),
    ("jeugdhulp", "traumabehandeling"): ("4.2e/3.4", "keurmerk"),
    ("wijkteam", "regie"): ("inspectie 2017", "inspectie 2017"),
    ("werk_inkomen", "inkomen"): ("inspectie 2017", "inspectie 2017"),
    ("*", "vervoer"): ("4.5", "normenkader 2019"),
    ("veilig_thuis", "meldcode"): ("4.3", "keurmerk"),
}

#: The spec's default weights; every other requirement weighs 1.
SPEC_WEIGHTS = {
    ("veilig_thuis", "meldcode"): 3,
    ("onderwijs", "onderwijs"): 3,
    ("schuldhulp", "schulden"): 3,
    ("wijkteam", "warme_overdracht"): 3,
    ("jeugdhulp", "traumabehandeling"): 2,
    ("jeugd_ggz", "traumabehandeling"): 2,
}


def test_the_default_matrix_carries_source_and_weight_as_the_spec_table() -> None:
    matrix = default_matrix()
    by_pair = {(r.partner_type, r.agreement_type): r for r in matrix.itertuples()}
    assert len(by_pair) == 29
    for pair, (norm, source) in SPEC_SOURCES.items():
        assert (by_pair[pair].norm, by_pair[pair].source) == (norm, source), pair
    assert set(matrix["source"]) == {"keurmerk", "inspectie 2017", "normenkader 2019"}
    for pair, r in by_pair.items():
        assert r.weight == SPEC_WEIGHTS.get(pair, 1), pair
        assert r.min_level is None


@pytest.mark.parametrize(
    ("norm", "source", "text"),
    [
        ("4.3", "keurmerk", "norm 4.3 (keurmerk)"),
        ("3.3", None, "norm 3.3 (keurmerk)"),
        ("4.5", None, "norm 4.5 (normenkader 2019)"),
        ("3.4", "normenkader 2019", "norm 3.4 (normenkader 2019)"),
        ("inspectie 2017", "inspectie 2017", "inspectie 2017"),
    ],
)
def test_a_norm_number_says_whose_it_is(norm: str, source: str | None, text: str) -> None:
    assert norm_text(norm, source) == text


def test_findings_carry_norm_source_and_weight_from_the_matrix() -> None:
    [finding] = judge(row(), matrix=default_matrix().iloc[[0]])
    assert (finding.norm, finding.norm_source, finding.weight) == ("4.3", "keurmerk", 3)
    assert finding.reason.endswith("(norm 4.3, keurmerk)")


def test_a_stored_own_matrix_without_source_gets_the_inferred_one() -> None:
    matrix = pd.DataFrame(
        [("*", "vervoer", "4.5", False)],
        columns=["partner_type", "agreement_type", "norm", "child_required"],
    )
    [finding] = judge(row(), matrix=matrix)
    assert (finding.norm_source, finding.weight, finding.status) == (
        "normenkader 2019",
        1,
        "missing",
    )
    assert finding.reason.endswith("(norm 4.5, normenkader 2019)")


@pytest.mark.parametrize(
    ("level", "status", "words"),
    [
        ("organisatie", "met", None),
        ("client", "met", "alleen per casus afgesproken"),
        (None, "met", None),
    ],
)
def test_a_finding_carries_the_level_of_the_deciding_agreement(level, status, words) -> None:
    finding = only(row(level=level))
    assert (finding.status, finding.level) == (status, level)
    if words:
        assert words in finding.reason
    else:
        assert "per casus" not in finding.reason


def test_a_missing_finding_has_no_level() -> None:
    [finding] = judge(row(partner_type="politie"), matrix=MELDCODE)
    assert (finding.status, finding.level) == ("missing", None)


def test_a_case_level_agreement_below_the_regions_minimum_level_is_partial() -> None:
    matrix = MELDCODE.assign(min_level=["organisatie"])
    finding = only(row(level="client"), matrix=matrix)
    assert finding.status == "partial"
    assert "alleen op cliëntniveau afgesproken" in finding.reason
    assert only(row(level="regio"), matrix=matrix).status == "met"


def test_an_own_matrix_may_give_bron_niveau_gewicht() -> None:
    data = (
        b"partnertype;afspraaktype;norm;kind;bron;niveau;gewicht\n"
        b"onderwijs;onderwijs;3.4;ja;normenkader 2019;organisatie;3\n"
        b"politie;veiligheid;4.2b/c;nee;;;\n"
    )
    matrix = read_matrix(data, "eigen.csv", extras=True)
    assert matrix["source"].tolist() == ["normenkader 2019", "keurmerk"]
    assert matrix["weight"].tolist() == [3, 1]
    assert matrix["min_level"].iloc[0] == "organisatie" and pd.isna(matrix["min_level"].iloc[1])
    # without extras only the four first columns (the import asks for the extras)
    assert list(read_matrix(data, "eigen.csv").columns) == [
        "partner_type",
        "agreement_type",
        "norm",
        "child_required",
    ]


@pytest.mark.parametrize(
    ("column", "value"), [("bron", "wikipedia"), ("niveau", "wijk"), ("gewicht", "5")]
)
def test_a_wrong_bron_niveau_or_gewicht_is_named(column: str, value: str) -> None:
    cells = {"bron": "", "niveau": "", "gewicht": ""} | {column: value}
    data = (
        "partnertype;afspraaktype;norm;kind;bron;niveau;gewicht\n"
        f"politie;veiligheid;4.2b/c;nee;{cells['bron']};{cells['niveau']};{cells['gewicht']}\n"
    ).encode()
    with pytest.raises(ValidationError) as caught:
        read_matrix(data, "eigen.csv")
    [problem] = caught.value.problems
    assert (problem.row, problem.column, problem.value) == (2, column, value)
