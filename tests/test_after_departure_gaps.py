"""The three after-departure gap kinds (normenkader.md, issue 16) on tiny hand-made regions:
the 0.8 boundary, an empty column (not judged), a partly filled group (judged over the rows
that give it), only at uitstroom, and the reasons quoting the inspection of 2017."""

from __future__ import annotations

from datetime import date

import pandas as pd
import pytest

from analysis.handovers import GAP_KINDS, find_handover_gaps
from analysis.report import build_report, render_json, render_markdown

TODAY = date(2026, 9, 30)
COLUMNS = [
    "organisation",
    "period",
    "phase",
    "partner",
    "partner_type",
    "families",
    "warm",
    "aftercare_six_months",
    "moved_to_other_region",
    "regisseur_new_municipality",
    "signalling_partners_informed",
]
#: A current warm-handover agreement, so only the after-departure rules speak.
AGREEMENTS = pd.DataFrame(
    [
        {
            "organisation": "Opvang Noord",
            "organisation_type": "vrouwenopvang",
            "partner": "Wijkteam Centrum",
            "partner_type": "wijkteam",
            "agreement_types": ("warme_overdracht",),
            "status": "schriftelijk",
            "child_specific": True,
            "start_date": date(2026, 1, 1),
            "end_date": None,
            "evaluated_on": None,
            "agreement_id": None,
        }
    ]
)


def handover(**fields: object) -> dict:
    """10 families of Opvang Noord leaving warmly to a neighbourhood team in 2026-Q3."""
    base = dict.fromkeys(COLUMNS)
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


def gaps(*rows: dict):
    return find_handover_gaps(pd.DataFrame(list(rows), columns=COLUMNS), AGREEMENTS, TODAY)


def kinds(*rows: dict) -> list[str]:
    return [gap.kind for gap in gaps(*rows)]


def test_the_new_kinds_are_gap_kinds_of_the_report() -> None:
    assert GAP_KINDS[-3:] == (
        "no_aftercare",
        "lost_between_regions",
        "signalling_partners_not_informed",
    )


@pytest.mark.parametrize(
    ("fields", "expected"),
    [
        ({"aftercare_six_months": 8}, []),  # exactly 0.8: no gap
        ({"aftercare_six_months": 7}, ["no_aftercare"]),
        ({"aftercare_six_months": 0}, ["no_aftercare"]),
        ({"signalling_partners_informed": 8}, []),
        ({"signalling_partners_informed": 7}, ["signalling_partners_not_informed"]),
        ({"moved_to_other_region": 5, "regisseur_new_municipality": 4}, []),  # 0.8 of 5
        ({"moved_to_other_region": 5, "regisseur_new_municipality": 3}, ["lost_between_regions"]),
        ({"moved_to_other_region": 1, "regisseur_new_municipality": 0}, ["lost_between_regions"]),
        # nobody moved: nothing to judge
        ({"moved_to_other_region": 0, "regisseur_new_municipality": 0}, []),
        # moved given, regisseur not: not judged (no guess)
        ({"moved_to_other_region": 4}, []),
        ({}, []),  # every column empty: not judged
    ],
)
def test_the_0_8_boundary_and_the_empty_column_rule(fields: dict, expected: list[str]) -> None:
    assert kinds(handover(**fields)) == expected


@pytest.mark.parametrize("phase", ["instroom", "doorstroom"])
def test_after_departure_is_judged_at_uitstroom_only(phase: str) -> None:
    row = handover(
        phase=phase,
        aftercare_six_months=0,
        moved_to_other_region=3,
        regisseur_new_municipality=0,
        signalling_partners_informed=0,
    )
    assert kinds(row) == []


def test_a_partly_filled_group_is_judged_over_the_rows_that_give_the_column() -> None:
    # the second row does not track aftercare: only the first row's 5 families count
    rows = [handover(families=5, warm=5, aftercare_six_months=4), handover(families=5, warm=5)]
    assert kinds(*rows) == []  # 4 of 5 = 0.8
    rows = [handover(families=5, warm=5, aftercare_six_months=3), handover(families=5, warm=5)]
    [gap] = gaps(*rows)
    assert gap.kind == "no_aftercare" and gap.families == 10
    assert "bij 3 van 5 gezinnen hield iemand na vertrek ten minste zes maanden contact" in (
        gap.reason
    )
    # moved families on two rows, the regisseur given on one: judged over that one
    rows = [
        handover(moved_to_other_region=2, regisseur_new_municipality=2),
        handover(moved_to_other_region=3),
    ]
    assert kinds(*rows) == []
    rows = [
        handover(moved_to_other_region=4, regisseur_new_municipality=1),
        handover(moved_to_other_region=3),
    ]
    [gap] = gaps(*rows)
    assert (gap.kind, gap.families, gap.warm_share) == ("lost_between_regions", 4, 1.0)


def test_the_reasons_quote_the_inspection() -> None:
    found = {
        gap.kind: gap
        for gap in gaps(
            handover(
                aftercare_six_months=5,
                moved_to_other_region=4,
                regisseur_new_municipality=1,
                signalling_partners_informed=6,
            )
        )
    }
    assert set(found) == {
        "no_aftercare",
        "lost_between_regions",
        "signalling_partners_not_informed",
    }
    aftercare = found["no_aftercare"].reason
    assert aftercare.startswith("Uitstroom naar Wijkteam / CJG in 2026-Q3: bij 5 van 10 gezinnen")
    assert "onder de drempel van 80% die in Ketenkaart is ingesteld" in aftercare
    assert '"in ieder geval nog een half jaar een vinger aan de pols"' in aftercare
    lost = found["lost_between_regions"]
    assert lost.families == 4
    assert "4 gezinnen verhuisden naar een andere regio; bij 1 van hen kwam er een regisseur" in (
        lost.reason
    )
    assert '"een regisseur vanuit de nieuwe gemeente die bij het gezin betrokken is"' in lost.reason
    assert '"uit beeld"' in lost.reason
    signals = found["signalling_partners_not_informed"].reason
    assert "school, huisarts, jeugdgezondheidszorg" in signals
    assert '"weten waar ze met signalen terecht kunnen"' in signals
    for gap in found.values():
        assert gap.reason.endswith("(inspectie 2017)")
        assert "de norm is" not in gap.reason


def test_the_report_and_the_memo_carry_the_new_kinds() -> None:
    handovers = pd.DataFrame(
        [handover(aftercare_six_months=2, moved_to_other_region=3, regisseur_new_municipality=0)],
        columns=COLUMNS,
    )
    report = build_report(
        "Regio Noord", AGREEMENTS, handovers, pd.DataFrame(), pd.DataFrame(), TODAY
    )
    kinds_in_report = [g["kind"] for g in report["handover_gaps"]]
    assert kinds_in_report == ["lost_between_regions", "no_aftercare"]
    lost = report["handover_gaps"][0]
    assert (lost["families"], lost["warm_share"]) == (3, 1.0)
    assert set(lost) == {
        "organisation",
        "partner_type",
        "phase",
        "families",
        "warm_share",
        "kind",
        "reason",
    }
    assert '"kind": "lost_between_regions"' in render_json(report)
    memo = render_markdown(report)
    assert "uit beeld na verhuizing naar andere regio" in memo.lower()
    assert "geen half jaar vinger aan de pols" in memo.lower()


def test_families_lost_between_regions_weigh_heavier_and_name_the_shelter() -> None:
    from analysis.handovers import Gap
    from analysis.priorities import rank_gaps

    def gap(organisation: str, kind: str, phase: str = "uitstroom") -> Gap:
        return Gap(organisation, "wijkteam", phase, 10, 0.9, kind, "", "2026-Q3")

    lines = rank_gaps(
        [],
        [],
        [
            gap("Opvang A", "warm_share_low", "instroom"),
            gap("Opvang B", "warm_share_low", "instroom"),
            gap("Opvang A", "lost_between_regions"),
        ],
        [],
    )
    assert lines[0].sentence == (
        "Uitstroom naar Wijkteam / CJG: uit beeld na verhuizing naar andere regio bij 1 "
        "opvangorganisatie: Opvang A (inspectie 2017)."
    )
    assert lines[0].weight > lines[1].weight  # 1 of 2 shelters, yet above 2 of 2 warm_share_low
    assert "Opvang" not in lines[1].sentence.split(":")[1]  # other kinds count, not name
