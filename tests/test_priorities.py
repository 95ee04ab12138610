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
    assert "Huisarts" in lines[0].sentence and "(norm 4.2a)" in lines[0].sentence
    assert "ontbreekt bij 1 van 2" in lines[1].sentence and lines[1].norm == "norm 4.4"


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
