"""Handover gaps, periods, shares and flows (analysis/handovers.py)."""

from __future__ import annotations

from datetime import date, timedelta

import pandas as pd
import pytest

from analysis.handovers import (
    FlowLink,
    Gap,
    HandoverTotals,
    find_handover_gaps,
    flow_diagram,
    format_points,
    handover_flows,
    handover_shares,
    handover_totals,
    latest_period,
    latest_two_periods,
    list_periods,
    previous_period,
    select_gaps,
    warm_share,
    warm_share_change,
)
from analysis.settings import Settings

TODAY = date(2026, 9, 30)
HANDOVER_COLUMNS = [
    "organisation",
    "period",
    "phase",
    "partner",
    "partner_type",
    "families",
    "warm",
    "children",
    "children_handed_over",
    "with_information",
    "with_personal_contact",
    "with_chain_agreements",
    "regisseur_assigned",
    "safety_plan_shared",
]
AGREEMENT_COLUMNS = [
    "organisation",
    "organisation_type",
    "partner",
    "partner_type",
    "agreement_types",
    "status",
    "child_specific",
    "start_date",
    "end_date",
    "evaluated_on",
    "agreement_id",
]


def handover(**fields: object) -> dict:
    """10 families of Opvang Noord leaving to a neighbourhood team in 2026-Q3, all warm."""
    base = dict.fromkeys(HANDOVER_COLUMNS)
    base.update(
        organisation="Opvang Noord",
        period="2026-Q3",
        phase="uitstroom",
        partner="Wijkteam Centrum",
        partner_type="wijkteam",
        families=10,
        warm=10,
    )
    base.update(fields)
    return base


def agreement(**fields: object) -> dict:
    base = {
        "organisation": "Opvang Noord",
        "organisation_type": "vrouwenopvang",
        "partner": "Wijkteam Centrum",
        "partner_type": "wijkteam",
        "agreement_types": ("warme_overdracht",),
        "status": "schriftelijk",
        "child_specific": True,
        "start_date": None,
        "end_date": None,
        "evaluated_on": None,
        "agreement_id": None,
    }
    base.update(fields)
    return base


WARM_AGREEMENT = [agreement()]


def gaps(handovers: list[dict], agreements: list[dict] = WARM_AGREEMENT, **kwargs: object):
    return find_handover_gaps(
        pd.DataFrame(handovers, columns=HANDOVER_COLUMNS),
        pd.DataFrame(agreements, columns=AGREEMENT_COLUMNS),
        TODAY,
        **kwargs,
    )


def kinds(handovers: list[dict], agreements: list[dict] = WARM_AGREEMENT, **kwargs) -> list[str]:
    return [gap.kind for gap in gaps(handovers, agreements, **kwargs)]


@pytest.mark.parametrize(
    ("families", "warm", "expected"),
    [
        (10, 8, []),  # exactly 0.8: no gap
        (100, 79, ["warm_share_low"]),
        (1000, 799, ["warm_share_low"]),
        (10, 10, []),
        (0, 0, []),  # no families: nothing to judge
    ],
)
def test_warm_share_threshold(families: int, warm: int, expected: list[str]) -> None:
    assert kinds([handover(families=families, warm=warm)]) == expected


def test_warm_share_gap_fields_and_reason() -> None:
    [gap] = gaps([handover(families=6, warm=3), handover(families=4, warm=3)])
    assert (gap.organisation, gap.partner_type, gap.phase, gap.families) == (
        "Opvang Noord",
        "wijkteam",
        "uitstroom",
        10,
    )
    assert gap.warm_share == 0.6
    assert gap.period == "2026-Q3"
    assert gap.reason == (
        "Uitstroom naar Wijkteam / CJG in 2026-Q3: 6 van 10 gezinnen warm overgedragen (60%), "
        "onder de drempel van 80% die in Ketenkaart is ingesteld; "
        "norm 4.1 (keurmerk) vraagt een warme overdracht bij elke uitstroom"
    )


def test_threshold_comes_from_settings() -> None:
    assert kinds([handover(families=10, warm=8)], settings=Settings(warm_threshold=0.9)) == [
        "warm_share_low"
    ]


@pytest.mark.parametrize(
    ("phase", "agreements", "expected"),
    [
        ("uitstroom", [], ["no_agreement"]),
        ("doorstroom", [], ["no_agreement"]),
        ("instroom", [], []),  # not judged at instroom
        ("uitstroom", [agreement(status="mondeling")], []),  # verbal counts here
        ("uitstroom", [agreement(status="in_ontwikkeling")], []),
        ("uitstroom", [agreement(status="beeindigd")], ["no_agreement"]),
        ("uitstroom", [agreement(end_date=TODAY - timedelta(days=1))], ["no_agreement"]),
        ("uitstroom", [agreement(end_date=TODAY)], []),
        ("uitstroom", [agreement(partner="Ander Wijkteam")], []),  # any partner of the type
        ("uitstroom", [agreement(partner_type="ggz")], ["no_agreement"]),
        ("uitstroom", [agreement(agreement_types=("nazorg",))], ["no_agreement"]),
        ("uitstroom", [agreement(organisation="Opvang Zuid")], ["no_agreement"]),
        ("uitstroom", [agreement(organisation="opvang  NOORD")], []),
    ],
)
def test_no_agreement(phase: str, agreements: list[dict], expected: list[str]) -> None:
    assert kinds([handover(phase=phase)], agreements) == expected


def test_no_agreement_reason_names_the_shelter_and_type() -> None:
    [gap] = gaps([handover()], [])
    assert gap.reason == (
        "Uitstroom naar Wijkteam / CJG in 2026-Q3: 10 gezinnen, maar Opvang Noord heeft geen "
        "actuele afspraak over warme overdracht met een partner van type Wijkteam / CJG "
        "(norm 4.1, 4.2, keurmerk)"
    )


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # column empty for the whole group: not judged
        ([handover(children=None, children_handed_over=None)], []),
        ([handover(children=10, children_handed_over=8)], []),
        ([handover(children=10, children_handed_over=7)], ["children_not_handed_over"]),
        ([handover(children=0, children_handed_over=0)], []),
        # filled on one row only: judged over that row (2 of 2 handed over)
        (
            [
                handover(children=2, children_handed_over=2),
                handover(children=None, children_handed_over=None, partner="Ander"),
            ],
            [],
        ),
        (
            [
                handover(children=5, children_handed_over=1),
                handover(children=None, children_handed_over=None, partner="Ander"),
            ],
            ["children_not_handed_over"],
        ),
    ],
)
def test_children_not_handed_over(rows: list[dict], expected: list[str]) -> None:
    assert kinds(rows) == expected


@pytest.mark.parametrize("column", ["regisseur_assigned", "safety_plan_shared"])
@pytest.mark.parametrize(
    ("phase", "values", "flagged"),
    [
        ("uitstroom", [None], False),
        ("uitstroom", [8], False),
        ("uitstroom", [7], True),
        ("doorstroom", [0], False),  # only judged at uitstroom
        # judged over the filled rows only: 4 of 5 on the first row is 0.8
        ("uitstroom", [4, None], False),
        ("uitstroom", [3, None], True),
    ],
)
def test_regisseur_and_safety_plan(column: str, phase: str, values: list, flagged: bool) -> None:
    families = [10] if len(values) == 1 else [5, 5]
    rows = [
        handover(phase=phase, partner=f"P{i}", families=f, warm=f, **{column: v})
        for i, (f, v) in enumerate(zip(families, values, strict=True))
    ]
    kind = "no_regisseur" if column == "regisseur_assigned" else "safety_plan_not_shared"
    assert (kind in kinds(rows)) is flagged


def test_all_five_gaps_sorted_with_numbers_in_reasons() -> None:
    found = gaps(
        [
            handover(
                families=10,
                warm=5,
                children=4,
                children_handed_over=1,
                regisseur_assigned=2,
                safety_plan_shared=3,
            ),
            handover(organisation="Opvang Alfa", phase="instroom", partner_type="politie", warm=1),
        ],
        [],
    )
    assert [(g.organisation, g.partner_type, g.phase, g.kind) for g in found] == [
        ("Opvang Alfa", "politie", "instroom", "warm_share_low"),
        ("Opvang Noord", "wijkteam", "uitstroom", "children_not_handed_over"),
        ("Opvang Noord", "wijkteam", "uitstroom", "no_agreement"),
        ("Opvang Noord", "wijkteam", "uitstroom", "no_regisseur"),
        ("Opvang Noord", "wijkteam", "uitstroom", "safety_plan_not_shared"),
        ("Opvang Noord", "wijkteam", "uitstroom", "warm_share_low"),
    ]
    reasons = {g.kind: g.reason for g in found if g.organisation == "Opvang Noord"}
    assert "1 van 4 kinderen" in reasons["children_not_handed_over"]
    assert (
        "bij 2 van 10 gezinnen is na vertrek een regisseur belegd (20%)" in reasons["no_regisseur"]
    )
    assert (
        "bij 3 van 10 gezinnen is het veiligheidsplan gedeeld" in reasons["safety_plan_not_shared"]
    )
    assert found[0].reason.startswith("Instroom vanuit Politie in 2026-Q3: 1 van 10 gezinnen")


def test_only_the_latest_period_unless_told() -> None:
    rows = [handover(period="2026-Q2", warm=1), handover(period="2026-Q3", warm=10)]
    assert kinds(rows) == []
    assert kinds(rows, period="2026-Q2") == ["warm_share_low"]
    assert gaps([]) == []


@pytest.mark.parametrize(
    ("periods", "latest", "previous"),
    [
        (["2025-Q4", "2026-Q1", "2025-Q3"], "2026-Q1", "2025-Q4"),
        (["2026-07", "2025-12", "2026-10"], "2026-10", "2026-07"),
        (["2024", "2026"], "2026", "2024"),
        (["2026"], "2026", None),
        ([], None, None),
        (["2026-Q1", "2026-Q1", None], "2026-Q1", None),
    ],
)
def test_latest_and_previous_period(
    periods: list, latest: str | None, previous: str | None
) -> None:
    assert latest_period(periods) == latest
    assert previous_period(periods, latest) == previous


def test_handover_shares_per_shelter_and_phase() -> None:
    rows = pd.DataFrame(
        [
            handover(families=6, warm=6, with_information=6, with_personal_contact=3),
            handover(families=4, warm=2, with_information=None, with_personal_contact=1),
            handover(phase="instroom", families=5, warm=5),
            handover(period="2026-Q2", families=100, warm=0),
        ],
        columns=HANDOVER_COLUMNS,
    )
    shares = handover_shares(rows)
    assert shares["phase"].tolist() == ["instroom", "uitstroom"]
    out = shares.iloc[1]
    assert (out["families"], out["warm"]) == (10, 8)
    assert out["warm_share"] == pytest.approx(0.8)
    assert out["information_share"] == pytest.approx(1.0)  # over the row that gives it
    assert out["personal_contact_share"] == pytest.approx(0.4)
    assert pd.isna(out["chain_agreements_share"])
    assert handover_shares(rows, period="2026-Q2")["warm_share"].tolist() == [0.0]


def test_handover_flows_for_a_sankey() -> None:
    rows = pd.DataFrame(
        [
            handover(families=6, warm=5),
            handover(families=4, warm=4, partner="Wijkteam Oost"),
            handover(partner_type="woningcorporatie", families=3, warm=1),
            handover(phase="instroom", partner_type="politie"),
            handover(organisation="Opvang Alfa", families=2, warm=0),
        ],
        columns=HANDOVER_COLUMNS,
    )
    assert handover_flows(rows).to_dict("records") == [
        {"organisation": "Opvang Alfa", "partner_type": "wijkteam", "families": 2, "warm": 0},
        {"organisation": "Opvang Noord", "partner_type": "wijkteam", "families": 10, "warm": 9},
        {
            "organisation": "Opvang Noord",
            "partner_type": "woningcorporatie",
            "families": 3,
            "warm": 1,
        },
    ]
    assert handover_flows(rows, phase="instroom")["partner_type"].tolist() == ["politie"]


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=HANDOVER_COLUMNS)


def test_flow_diagram_numbers_shelters_and_partner_types_and_drops_empty_flows() -> None:
    rows = frame(
        handover(families=6, warm=5),
        handover(partner_type="woningcorporatie", families=3, warm=1),
        handover(partner_type="ggz", families=0, warm=0),  # nobody went: no band
        handover(organisation="Opvang Alfa", families=2, warm=0),
        handover(phase="instroom", partner_type="politie"),
    )
    diagram = flow_diagram(rows)
    assert diagram.organisations == ("Opvang Alfa", "Opvang Noord")
    assert diagram.partner_types == ("wijkteam", "woningcorporatie")
    assert diagram.links == (
        FlowLink(source=0, target=0, families=2, warm=0),
        FlowLink(source=1, target=0, families=6, warm=5),
        FlowLink(source=1, target=1, families=3, warm=1),
    )
    assert flow_diagram(rows, phase="instroom").partner_types == ("politie",)
    empty = flow_diagram(frame())
    assert (empty.organisations, empty.partner_types, empty.links) == ((), (), ())


@pytest.mark.parametrize(
    ("rows", "totals"),
    [
        # every shelter, phase and partner type of the latest period counts, older ones do not
        (
            [
                handover(families=10, warm=8),
                handover(organisation="Opvang Zuid", phase="instroom", families=5, warm=1),
                handover(period="2026-Q2", families=100, warm=0),
            ],
            HandoverTotals("2026-Q3", 15, 9),
        ),
        ([handover(families=0, warm=0)], HandoverTotals("2026-Q3", 0, 0)),
        (
            [handover(families=None, warm=None), handover(families=4, warm=4)],
            HandoverTotals("2026-Q3", 4, 4),
        ),
        ([], HandoverTotals(None, 0, 0)),
    ],
)
def test_handover_totals_of_the_latest_period(rows: list[dict], totals: HandoverTotals) -> None:
    assert handover_totals(frame(*rows)) == totals


@pytest.mark.parametrize(
    ("families", "warm", "share"),
    [(10, 8, 0.8), (3, 0, 0.0), (0, 0, None)],
)
def test_warm_share(families: int, warm: int, share: float | None) -> None:
    rows = frame(handover(families=families, warm=warm), handover(period="2026-Q2", warm=0))
    assert warm_share(rows) == share
    assert warm_share(rows, "2026-Q2") == 0.0
    assert warm_share(rows, "2025-Q1") is None  # a period without handovers


def test_warm_share_change_against_the_period_before() -> None:
    rows = frame(
        handover(period="2026-Q1", families=10, warm=10),
        handover(period="2026-Q2", families=10, warm=5),
        handover(period="2026-Q3", families=8, warm=6),
        handover(period="2026-Q3", organisation="Opvang Zuid", families=2, warm=2),
    )
    change = warm_share_change(rows)
    assert (change.period, change.previous_period) == ("2026-Q3", "2026-Q2")
    assert (change.share, change.previous_share) == (0.8, 0.5)
    assert change.points == pytest.approx(30.0)


@pytest.mark.parametrize(
    ("rows", "period", "previous", "points"),
    [
        ([handover()], "2026-Q3", None, None),  # no period before
        ([handover(period="2026-Q2", families=0, warm=0), handover()], "2026-Q3", "2026-Q2", None),
        ([], None, None, None),
    ],
)
def test_warm_share_change_without_a_comparison(
    rows: list[dict], period: str | None, previous: str | None, points: float | None
) -> None:
    change = warm_share_change(frame(*rows))
    assert (change.period, change.previous_period, change.points) == (period, previous, points)


@pytest.mark.parametrize(
    ("points", "text"),
    [(2.54, "+2,5 procentpunt"), (-0.04, "-0,0 procentpunt"), (-12.0, "-12,0 procentpunt")],
)
def test_format_points(points: float, text: str) -> None:
    assert format_points(points) == text


def test_list_periods_and_the_latest_two() -> None:
    rows = frame(handover(period="2026-Q2"), handover(period="2025-Q4"), handover(period="2026-Q2"))
    assert list_periods(rows) == ["2025-Q4", "2026-Q2"]
    assert latest_two_periods(rows) == ("2026-Q2", "2025-Q4")
    assert list_periods(frame()) == [] and latest_two_periods(frame()) == (None, None)
    assert list_periods(pd.DataFrame({"other": [1]})) == []


def test_select_gaps_by_kind_keeps_the_order() -> None:
    found = [
        Gap("Opvang A", "ggz", "uitstroom", 4, 0.5, kind, "", "2026-Q3")
        for kind in ("warm_share_low", "no_regisseur", "warm_share_low")
    ]
    assert select_gaps(found) == found
    assert select_gaps(found, ["warm_share_low"]) == [found[0], found[2]]
    assert select_gaps(found, ("no_regisseur", "no_agreement")) == [found[1]]
    assert select_gaps([], ["no_regisseur"]) == []


# --- elements_missing: the three elements of a warm handover (normenkader 2019) -------------


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({}, []),  # no element given: not judged
        ({"with_information": 10, "with_personal_contact": 9}, []),
        ({"with_information": 10, "with_chain_agreements": 7}, ["elements_missing"]),
        ({"with_personal_contact": 8}, []),  # exactly the threshold
        ({"with_personal_contact": 7}, ["elements_missing"]),
    ],
)
def test_elements_missing(fields: dict, expected: list[str]) -> None:
    assert kinds([handover(**fields)]) == expected


def test_elements_missing_names_the_weakest_element_even_when_counted_warm() -> None:
    # Wolkendal's case: everything counted warm, but fewer with chain-partner agreements
    [gap] = gaps([handover(warm=10, with_information=10, with_chain_agreements=6)])
    assert (gap.kind, gap.warm_share) == ("elements_missing", 1.0)
    assert "6 van 10 gezinnen overgedragen met ketenafspraken (60%)" in gap.reason
    assert "onder de drempel van 80% die in Ketenkaart is ingesteld" in gap.reason
    assert gap.reason.endswith("(norm 4.1, normenkader 2019)")


def test_elements_missing_is_judged_over_the_rows_that_give_the_element() -> None:
    rows = [handover(families=5, with_chain_agreements=5), handover(families=5)]
    assert kinds(rows) == []
    rows = [handover(families=5, with_chain_agreements=3), handover(families=5)]
    assert kinds(rows) == ["elements_missing"]


def test_no_reason_calls_the_threshold_a_norm() -> None:
    rows = [
        handover(
            warm=5,
            children=4,
            children_handed_over=1,
            regisseur_assigned=2,
            safety_plan_shared=2,
            with_information=3,
        )
    ]
    found = gaps(rows, agreements=[])
    assert len({gap.kind for gap in found}) == 6
    for gap in found:
        assert "de norm is" not in gap.reason and "streefwaarde" not in gap.reason
        assert "80% die in Ketenkaart is ingesteld" in gap.reason or gap.kind == "no_agreement"
