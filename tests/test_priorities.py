"""The ranking of the most important gaps on the Overzicht page."""

from __future__ import annotations

from analysis.handovers import Gap
from analysis.norms import Finding
from analysis.priorities import AREAS, rank_gaps
from analysis.stagnation import StagnationTopic


def finding(org: str, ptype: str, atype: str, norm: str, status: str) -> Finding:
    return Finding(org, ptype, atype, norm, status, "")


def test_a_partner_type_nobody_reaches_outranks_a_requirement_missing_at_one_shelter():
    findings = [
        finding("A", "huisarts", "informatie_uitwisseling", "4.2a", "missing"),
        finding("B", "huisarts", "informatie_uitwisseling", "4.2a", "missing"),
        finding("A", "schuldhulp", "schulden", "4.4", "missing"),
        finding("B", "schuldhulp", "schulden", "4.4", "met"),
    ]
    lines = rank_gaps(findings, ["huisarts"], [], [])
    assert [line.area for line in lines] == ["kaart", "normen"]
    assert "Huisarts" in lines[0].sentence and "(norm 4.2a, keurmerk)" in lines[0].sentence
    assert "ontbreekt bij 1 van 2" in lines[1].sentence and lines[1].norm == "norm 4.4 (keurmerk)"


def test_at_most_limit_lines_heaviest_first_and_all_areas_known():
    findings = [finding("A", f"t{i}", "x", "4.2a", "missing") for i in range(8)]
    gap = Gap("A", "wijkteam", "uitstroom", 5, 0.2, "warm_share_low", "", "2026-Q3")
    topic = StagnationTopic(
        "wonen", "woningaanbod", None, 3, 5.0, 7, None, None, "up", True, "", "2026-Q3"
    )
    lines = rank_gaps(findings, [], [gap], [topic], limit=5)
    assert len(lines) == 5
    assert [line.weight for line in lines] == sorted((line.weight for line in lines), reverse=True)
    # Nine candidates weigh 2.0 (eight missing requirements, a severity-5 stagnation) and the
    # handover gap 1.5; every area still gets its heaviest line in, the rest go by weight.
    assert [line.weight for line in lines] == [2.0] * 4 + [1.5]
    assert [line.area for line in lines].count("normen") == 3
    assert {"stagnatie", "overdracht"} <= {line.area for line in lines}
    assert {line.area for line in lines} <= set(AREAS)


def test_nothing_wrong_gives_no_lines():
    findings = [finding("A", "politie", "veiligheid", "4.2b/c", "met")]
    assert rank_gaps(findings, [], [], []) == []


def weighted(org: str, ptype: str, atype: str, status: str, weight: int) -> Finding:
    return Finding(org, ptype, atype, "4.3", status, "", "keurmerk", None, weight)


def test_a_partial_finding_of_a_weight_3_requirement_outranks_a_missing_weight_1_one():
    findings = [
        weighted("A", "veilig_thuis", "meldcode", "partial", 3),
        weighted("A", "kinderopvang", "informatie_uitwisseling", "missing", 1),
    ]
    lines = rank_gaps(findings, [], [], [])
    assert [line.sentence.split(":")[0] for line in lines] == [
        "Meldcode Veilig Thuis met een partner van type Veilig Thuis",
        "Informatie-uitwisseling met een partner van type Kinderopvang / BSO",
    ]
    assert lines[0].weight == 3.0 and lines[1].weight == 2.0


def stagnation_topic(topic: str, extra: int | None) -> StagnationTopic:
    return StagnationTopic(
        "wonen", topic, None, 1, 4.0, None, None, extra, "flat", True, "", "2026-Q3"
    )


def test_extra_shelter_days_raise_a_stagnation_topic_at_equal_severity():
    lines = rank_gaps(
        [], [], [], [stagnation_topic("urgentie", None), stagnation_topic("woningaanbod", 81)]
    )
    assert ["Woningaanbod" in line.sentence for line in lines] == [True, False]
    assert "81 extra verblijfsdagen" in lines[0].sentence
    assert lines[0].weight > lines[1].weight


def test_a_topic_that_costs_extra_days_counts_even_when_not_flagged():
    quiet = StagnationTopic(
        "wonen", "woningaanbod", None, 1, 3.0, None, None, 81, "flat", False, "", "2026-Q3"
    )
    [line] = rank_gaps([], [], [], [quiet])
    assert "1 respondent (" in line.sentence and line.area == "stagnatie"
