"""Reasons say what the source documents say, no more (issue 12: each template was checked
against the seed texts; the comments beside the templates name the lines)."""

from __future__ import annotations

import pandas as pd
import pytest

from analysis.priorities import rank_gaps
from analysis.stagnation import StagnationTopic, summarise_stagnation
from tests.test_handovers import gaps, handover
from tests.test_norms import MELDCODE, only, row


def test_the_childrens_handover_cites_the_normenkader_about_children_for_what_it_asks() -> None:
    [gap] = gaps([handover(children=10, children_handed_over=7)])
    assert gap.kind == "children_not_handed_over"
    assert "ook van de kinderen" not in gap.reason
    assert gap.reason.endswith(
        "het normenkader 'Kinderen in de opvang' vraagt een warme overdracht bij elke "
        "uitstroom (norm 4.1, normenkader 2019)"
    )
    [line] = rank_gaps([], [], [gap], [])
    assert line.norm == "norm 4.1 (normenkader 2019)"


def test_the_school_wait_says_working_days_from_age_4_as_the_keurmerk() -> None:
    answers = pd.DataFrame(
        [
            {
                "respondent": "Opvang A",
                "period": "2026-Q3",
                "domain": "onderwijs",
                "topic": "schoolplaatsing",
                "partner_type": None,
                "severity": 2,
                "wait_days": 10,
            }
        ]
    )
    [topic] = summarise_stagnation(answers)
    assert topic.flagged
    assert "kinderen vanaf 4 jaar horen binnen 5 werkdagen na aankomst" in topic.reason
    assert "schooldagen" not in topic.reason


def test_a_child_requirement_is_the_matrix_s_not_every_norm_s_words() -> None:
    finding = only(row(child_specific=False), matrix=MELDCODE)
    assert "terwijl de eis in de normenmatrix dat vraagt" in finding.reason


@pytest.mark.parametrize(
    ("domain", "topic", "norm"),
    [
        ("onderwijs", "schoolplaatsing", "norm 3.3 (keurmerk)"),
        ("onderwijs", "leerlingenvervoer", "norm 4.5 (normenkader 2019)"),
        ("financien", "schulden", "norm 4.4 (keurmerk)"),
        ("financien", "woonplaatsbeginsel", "Valente 2024"),
        ("wachtlijst", "traumabehandeling", "norm 3.4 (keurmerk)"),
        ("wonen", "woningaanbod", "inspectie 2017"),
    ],
)
def test_a_stagnation_topic_cites_the_document_that_names_it(
    domain: str, topic: str, norm: str
) -> None:
    flagged = StagnationTopic(domain, topic, None, 2, 4.5, None, None, None, "flat", True, "", "")
    [line] = rank_gaps([], [], [], [flagged])
    assert line.norm == norm and line.sentence.endswith(f"({norm}).")
