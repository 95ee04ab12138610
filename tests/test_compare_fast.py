"""The fast paths of the comparison give the same numbers as the full analysis.

``analysis.network.network_counts`` and ``analysis.norms.norm_coverage`` skip the graph and the
reasons; ``compare_regions`` is built on them. Each is checked against the full path
(``build_network``/``measure_network``, ``judge_requirements``) on random small regions.
"""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.compare import COMPARE_COLUMNS, RegionInput, compare_regions
from analysis.handovers import latest_period
from analysis.network import (
    as_int,
    build_network,
    column_values,
    measure_network,
    network_counts,
    records,
    shelter_keys,
)
from analysis.norms import coverage, judge_requirements, norm_coverage
from analysis.settings import DEFAULT_SETTINGS, Settings
from analysis.stagnation import summarise_stagnation
from ketendata.intake.matrix import default_matrix

TODAY = date(2026, 9, 30)
MATRIX_COLUMNS = ["partner_type", "agreement_type", "norm", "child_required"]


def agreement(**fields: object) -> dict:
    """A written, recently evaluated meldcode agreement of shelter Opvang A with Veilig Thuis."""
    base = {
        "organisation": "Opvang A",
        "organisation_type": "vrouwenopvang",
        "partner": "Veilig Thuis",
        "partner_type": "veilig_thuis",
        "agreement_types": ("meldcode",),
        "status": "schriftelijk",
        "child_specific": True,
        "start_date": None,
        "end_date": None,
        "evaluated_on": date(2026, 1, 1),
        "agreement_id": None,
    }
    base.update(fields)
    return base


def matrix(*rows: tuple) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=MATRIX_COLUMNS)


MELDCODE = matrix(("veilig_thuis", "meldcode", "4.3", True))
ANY_MELDCODE = matrix(("*", "meldcode", "4.3", False))


# --- Hand-made cases: one agreement against one requirement -------------------------------------


@pytest.mark.parametrize(
    ("fields", "requirements", "expected"),
    [
        ({}, MELDCODE, 1.0),
        ({"status": "mondeling"}, MELDCODE, 0.0),
        ({"status": "beeindigd"}, MELDCODE, 0.0),
        ({"end_date": date(2026, 9, 29)}, MELDCODE, 0.0),
        ({"end_date": TODAY}, MELDCODE, 1.0),
        ({"evaluated_on": date(2020, 1, 1)}, MELDCODE, 0.0),
        ({"evaluated_on": None, "start_date": date(2026, 2, 1)}, MELDCODE, 1.0),
        ({"evaluated_on": date(2026, 12, 1)}, MELDCODE, 0.0),
        ({"child_specific": False}, MELDCODE, 0.0),
        ({"child_specific": False}, ANY_MELDCODE, 1.0),
        ({"partner_type": "politie"}, MELDCODE, 0.0),
        ({"partner_type": "politie", "child_specific": False}, ANY_MELDCODE, 1.0),
        ({"agreement_types": ("vervoer",)}, ANY_MELDCODE, 0.0),
        ({"partner": " opvang  A"}, ANY_MELDCODE, 0.0),  # an agreement with itself
        ({"organisation_type": "gemeente"}, MELDCODE, 0.0),  # no shelter: nothing judged
        ({}, matrix(), 0.0),
        (
            {},
            matrix(("veilig_thuis", "meldcode", "4.3", True), ("politie", "meldcode", "x", 0)),
            0.5,
        ),
    ],
)
def test_norm_coverage_of_one_agreement(
    fields: dict, requirements: pd.DataFrame, expected: float
) -> None:
    agreements = pd.DataFrame([agreement(**fields)])
    assert norm_coverage(agreements, requirements, TODAY) == expected
    assert coverage(judge_requirements(agreements, requirements, TODAY)) == expected


def test_network_counts_of_a_small_region() -> None:
    agreements = pd.DataFrame(
        [
            agreement(agreement_id="A1"),
            agreement(agreement_id=" A1 ", partner="Politie", partner_type="politie"),
            agreement(partner="Wijkteam", partner_type="wijkteam", status="beeindigd"),
            agreement(organisation="Gemeente", organisation_type="gemeente", partner="School"),
            agreement(organisation="opvang  a", partner="Huisarts", partner_type="huisarts"),
        ]
    )
    required = matrix(("*", "vervoer", "x", False), ("wijkteam", "regie", "y", False))
    counts = network_counts(agreements, TODAY, required)
    # Opvang A, Veilig Thuis, Politie, Wijkteam, Gemeente, School, Huisarts
    assert counts.organisations == 7
    # A1 (two rows, one agreement), the Gemeente's and the second spelling's
    assert counts.agreements == 3
    assert counts.shelters == 1
    assert counts.partner_types_present == ("huisarts", "politie", "veilig_thuis")
    assert counts.partner_types_missing == ("wijkteam",)


def test_network_counts_of_an_empty_region_still_lists_the_required_types() -> None:
    counts = network_counts(pd.DataFrame(), TODAY, MELDCODE)
    assert (counts.organisations, counts.agreements, counts.shelters) == (0, 0, 0)
    assert counts.partner_types_missing == ("veilig_thuis",)


@pytest.mark.parametrize(
    ("series", "expected"),
    [
        (pd.Series([1.5, float("nan")]), [1.5, None]),
        (pd.Series(["x", None, float("nan")], dtype=object), ["x", None, None]),
        (pd.Series([pd.Timestamp("2026-01-01"), pd.NaT]), [pd.Timestamp("2026-01-01"), None]),
        (pd.Series([1, None], dtype="Int64"), [1, None]),
        (pd.Series([("a", "b"), None], dtype=object), [("a", "b"), None]),
        (pd.Series([True, False]), [True, False]),
    ],
)
def test_missing_markers_become_none(series: pd.Series, expected: list) -> None:
    frame = pd.DataFrame({"value": series})
    assert column_values(frame, "value") == expected
    assert [row["value"] for row in records(frame)] == expected
    assert column_values(frame, "other") == [None] * len(frame)


def test_older_survey_waves_do_not_change_the_stagnation_summary() -> None:
    def answer(period: str, severity: int, topic: str = "woningaanbod") -> dict:
        return {
            "respondent": "Opvang A",
            "period": period,
            "domain": "wonen",
            "topic": topic,
            "partner_type": None,
            "severity": severity,
        }

    recent = [answer("2026-Q2", 2), answer("2026-Q3", 5), answer("2026-Q3", 4, "urgentie")]
    older = [answer("2025-Q1", 1), answer("2024-Q4", 5, "urgentie")]
    topics = summarise_stagnation(pd.DataFrame(recent))
    assert summarise_stagnation(pd.DataFrame(older + recent)) == topics
    assert [(t.topic, t.trend) for t in topics] == [("woningaanbod", "up"), ("urgentie", "new")]


# --- Random small regions: fast path == full path -----------------------------------------------

NAMES = ["Opvang A", "opvang  a", "Opvang B", "Gemeente X", "Partner 1", "Partner 2", "Partner 3"]
ORGANISATION_TYPES = ["vrouwenopvang", "maatschappelijke_opvang", "gemeente", None]
PARTNER_TYPES = ["veilig_thuis", "politie", "wijkteam", None, float("nan")]
TYPES = ["meldcode", "vervoer", "regie"]
STATUSES = ["schriftelijk", "mondeling", "in_ontwikkeling", "beeindigd"]


def a_date(low: date, high: date) -> st.SearchStrategy:
    """None, NaN, or a date written as a date, a pandas timestamp or ISO text."""
    day = st.dates(low, high)
    return st.one_of(
        st.none(),
        st.just(float("nan")),
        day,
        day.map(pd.Timestamp),
        day.map(date.isoformat),
    )


random_agreements = st.fixed_dictionaries(
    {
        "organisation": st.sampled_from(NAMES),
        "organisation_type": st.sampled_from(ORGANISATION_TYPES),
        "partner": st.sampled_from(NAMES),
        "partner_type": st.sampled_from(PARTNER_TYPES),
        "agreement_types": st.lists(st.sampled_from(TYPES), max_size=3).map(tuple),
        "status": st.sampled_from(STATUSES),
        "child_specific": st.booleans(),
        "start_date": a_date(date(2023, 1, 1), date(2027, 6, 1)),
        "end_date": a_date(date(2026, 6, 1), date(2027, 6, 1)),
        "evaluated_on": a_date(date(2023, 1, 1), date(2027, 6, 1)),
        "agreement_id": st.sampled_from([None, "", " ", "A1", " A1", "B2", float("nan")]),
    }
)
random_matrix = st.lists(
    st.tuples(
        st.sampled_from(["*", "veilig_thuis", "politie", "wijkteam", "onderwijs"]),
        st.sampled_from(TYPES),
        st.sampled_from(["4.3", "inspectie 2017"]),
        st.booleans(),
    ),
    max_size=6,
).map(lambda rows: matrix(*rows))
random_handovers = st.lists(
    st.fixed_dictionaries(
        {
            "organisation": st.sampled_from(NAMES[:3]),
            "period": st.sampled_from(["2026-Q1", "2026-Q2", None]),
            "families": st.none() | st.integers(0, 9),
            "warm": st.none() | st.integers(0, 9),
        }
    ),
    max_size=5,
)
random_stagnation = st.lists(
    st.fixed_dictionaries(
        {
            "respondent": st.sampled_from(NAMES[:3]),
            "period": st.sampled_from(["2025-Q4", "2026-Q1", "2026-Q2"]),
            "domain": st.just("onderwijs"),
            "topic": st.sampled_from(["schoolplaatsing", "leerplicht"]),
            "partner_type": st.sampled_from([None, "onderwijs"]),
            "severity": st.integers(1, 5),
            "wait_days": st.none() | st.floats(0, 30),
        }
    ),
    max_size=6,
)
random_settings = st.sampled_from([DEFAULT_SETTINGS, Settings(evaluation_window_days=90)])
random_today = st.dates(date(2026, 6, 1), date(2027, 1, 1))


def full_row(region: str, data: RegionInput, today: date, config: Settings) -> dict:
    """The comparison's row computed the long way: graph, findings with reasons, every row."""
    required = data.matrix if data.matrix is not None else default_matrix()
    measures = measure_network(build_network(data.agreements, today), required)
    findings = judge_requirements(data.agreements, required, today, config)
    handovers = records(data.handovers)
    period = latest_period(row.get("period") for row in handovers)
    latest = [row for row in handovers if str(row.get("period")) == period]
    families = sum(as_int(row.get("families")) or 0 for row in latest)
    warm = sum(as_int(row.get("warm")) or 0 for row in latest)
    topics = summarise_stagnation(data.stagnation, config)
    return {
        "region": region,
        "organisations": measures.organisations,
        "shelters": len(shelter_keys(records(data.agreements))),
        "agreements": measures.agreements,
        "coverage": coverage(findings),
        "missing_partner_types_count": len(measures.partner_types_missing),
        "missing_partner_types": measures.partner_types_missing,
        "handover_period": period,
        "warm_share": warm / families if families else None,
        "families": families if period is not None else None,
        "stagnation_period": topics[0].period if topics else None,
        "flagged_stagnations": sum(1 for t in topics if t.flagged),
    }


@settings(max_examples=150, deadline=None)
@given(st.lists(random_agreements, max_size=12), random_matrix, random_today, random_settings)
def test_fast_network_and_norm_figures_equal_the_full_path(
    rows: list[dict], required: pd.DataFrame, today: date, config: Settings
) -> None:
    agreements = pd.DataFrame(rows)
    measures = measure_network(build_network(agreements, today), required)
    counts = network_counts(agreements, today, required)
    assert counts.organisations == measures.organisations
    assert counts.agreements == measures.agreements
    assert counts.shelters == len(shelter_keys(records(agreements)))
    assert counts.partner_types_present == measures.partner_types_present
    assert counts.partner_types_missing == measures.partner_types_missing
    findings = judge_requirements(agreements, required, today, config)
    assert norm_coverage(agreements, required, today, config) == coverage(findings)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.lists(random_agreements, max_size=8),
            st.none() | random_matrix,
            random_handovers,
            random_stagnation,
        ),
        min_size=1,
        max_size=3,
    ),
    random_today,
    random_settings,
)
def test_compare_regions_equals_the_full_path(
    regions: list[tuple], today: date, config: Settings
) -> None:
    per_region = {
        f"Regio {i}": RegionInput(
            pd.DataFrame(rows),
            pd.DataFrame(handovers),
            pd.DataFrame(answers),
            required if required is not None else default_matrix(),
        )
        for i, (rows, required, handovers, answers) in enumerate(regions)
    }
    frame = compare_regions(per_region, today, config)
    expected = [full_row(name, data, today, config) for name, data in per_region.items()]
    pd.testing.assert_frame_equal(frame, pd.DataFrame(expected, columns=COMPARE_COLUMNS))


def test_the_window_edge_is_the_same_in_both_paths() -> None:
    window = DEFAULT_SETTINGS.evaluation_window_days
    edge = TODAY - timedelta(days=window)
    for evaluated, expected in ((edge, 1.0), (edge - timedelta(days=1), 0.0)):
        agreements = pd.DataFrame([agreement(evaluated_on=evaluated)])
        assert norm_coverage(agreements, MELDCODE, TODAY) == expected
        assert coverage(judge_requirements(agreements, MELDCODE, TODAY)) == expected
