"""The pages say whose norm numbers they show, the level of the deciding agreement, the three
elements of a warm handover and what weighs most (issue 12), on the demo regions."""

from __future__ import annotations

import re
from pathlib import Path

from tests.test_pages import WOLKENDAL, chart_spec, open_page, table

#: A norm number that does not say which document it comes from.
BARE_NORM = re.compile(
    r"norm \d[\w./]*(?![\w./])(?!(?:, \d[\w./]*)*(?:,| \(| van het) ?(?:keurmerk|normenkader))"
)


def test_the_normenkader_page_says_whose_every_norm_number_is_and_shows_the_level(
    app_env: Path,
) -> None:
    at = open_page("pages/norms.py", WOLKENDAL)
    rows = chart_spec(at)["data"][0]["y"]
    assert rows and all(
        "(keurmerk)" in r or "(normenkader 2019)" in r or "(inspectie 2017)" in r for r in rows
    )
    findings = table(at, "Oordeel")
    assert "Niveau" in findings.columns
    assert set(findings["Niveau"]) <= {"Cliënt", "Professioneel", "Organisatie", "Regio", "–"}
    assert not any(BARE_NORM.search(reason) for reason in findings["Toelichting"])


def test_the_overview_names_the_school_gap_among_the_top_five(app_env: Path) -> None:
    at = open_page("pages/overview.py", WOLKENDAL)
    gaps = [m.value for m in at.markdown if m.value[:1].isdigit()]
    assert len(gaps) == 5
    assert any("Onderwijs" in gap and "norm 3.3, keurmerk" in gap for gap in gaps), gaps
    assert not any(BARE_NORM.search(gap) for gap in gaps), gaps


def test_the_overdracht_page_names_its_threshold_and_the_three_elements(app_env: Path) -> None:
    at = open_page("pages/handovers.py", WOLKENDAL)
    captions = " ".join(c.value for c in at.caption)
    assert "in Ketenkaart ingesteld en komt niet uit de normen" in captions
    assert "informatieoverdracht, persoonlijke context en ketenafspraken" in captions
    shares = table(at, "Met ketenafspraken")
    assert "Warm" in shares.columns
    gaps = table(at, "Knelpunt")
    assert not any("de norm is" in r or "streefwaarde" in r for r in gaps["Toelichting"])
    assert not any(BARE_NORM.search(r) for r in gaps["Toelichting"])
    assert not BARE_NORM.search(captions)
