"""The region report: JSON schema, order, Markdown memo and the command line (analysis/report.py,
analysis/__main__.py)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.report import build_report, render_json, render_markdown
from ketendata import importers, store
from ketendata.intake.matrix import default_matrix
from ketendata.store import queries

ROOT = Path(__file__).resolve().parents[1]
TODAY = date(2026, 9, 30)

MATRIX = pd.DataFrame(
    [
        ("veilig_thuis", "meldcode", "4.3", True),
        ("politie", "veiligheid", "4.2b/c", False),
        ("huisarts", "informatie_uitwisseling", "4.2a", False),
        ("*", "vervoer", "4.5", True),
    ],
    columns=["partner_type", "agreement_type", "norm", "child_required"],
)


def agreement(partner: str, partner_type: str, types: tuple, **fields: object) -> dict:
    base = {
        "organisation": "Opvang Noord",
        "organisation_type": "vrouwenopvang",
        "partner": partner,
        "partner_type": partner_type,
        "agreement_types": types,
        "level": "organisatie",
        "status": "schriftelijk",
        "child_specific": True,
        "start_date": None,
        "end_date": None,
        "evaluated_on": date(2026, 1, 15),
        "agreement_id": None,
        "note": None,
        "source_row": 2,
    }
    base.update(fields)
    return base


AGREEMENTS = [
    agreement("Veilig Thuis Noord", "veilig_thuis", ("meldcode",), agreement_id="VT-1"),
    agreement(
        "Politie Noord", "politie", ("informatie_uitwisseling", "veiligheid"), status="mondeling"
    ),
    agreement("Wijkteam Centrum", "wijkteam", ("warme_overdracht",)),
    agreement(
        "Huisartsenpraktijk De Linde", "huisarts", ("informatie_uitwisseling",), status="beeindigd"
    ),
    agreement(
        "Opvang Noord",
        "vrouwenopvang",
        ("verantwoordelijkheden",),
        organisation="Gemeente Noordstad",
        organisation_type="gemeente",
    ),
]


def handover(period: str, partner_type: str, families: int, warm: int) -> dict:
    return {
        "organisation": "Opvang Noord",
        "period": period,
        "phase": "uitstroom",
        "partner": None,
        "partner_type": partner_type,
        "families": families,
        "warm": warm,
        "children": None,
        "children_handed_over": None,
        "with_information": None,
        "with_personal_contact": None,
        "with_chain_agreements": None,
        "regisseur_assigned": None,
        "safety_plan_shared": None,
    }


HANDOVERS = [
    handover("2026-Q2", "wijkteam", 10, 1),  # an older period: not judged
    handover("2026-Q3", "wijkteam", 10, 9),
    handover("2026-Q3", "woningcorporatie", 4, 2),
]


def answer(respondent: str, period: str, domain: str, topic: str, **fields: object) -> dict:
    base = {
        "respondent": respondent,
        "period": period,
        "domain": domain,
        "topic": topic,
        "partner": None,
        "partner_type": None,
        "severity": 3,
        "wait_days": None,
        "families": None,
        "extra_shelter_days": None,
        "note": None,
    }
    base.update(fields)
    return base


STAGNATION = [
    answer("Opvang Noord", "2026-Q2", "financien", "uitkering", partner_type="werk_inkomen"),
    answer(
        "Opvang Noord",
        "2026-Q3",
        "financien",
        "uitkering",
        partner_type="werk_inkomen",
        severity=5,
        families=3,
    ),
    answer(
        "Gemeente Noordstad",
        "2026-Q3",
        "financien",
        "uitkering",
        partner_type="werk_inkomen",
        severity=4,
    ),
    answer("Opvang Noord", "2026-Q3", "onderwijs", "schoolplaatsing", severity=2, wait_days=10.0),
]


def report_of(agreements=AGREEMENTS, handovers=HANDOVERS, stagnation=STAGNATION) -> dict:
    return build_report(
        "Noord",
        pd.DataFrame(agreements),
        pd.DataFrame(handovers),
        pd.DataFrame(stagnation),
        MATRIX,
        TODAY,
    )


def test_report_follows_the_schema_exactly() -> None:
    report = report_of()
    assert list(report) == [
        "schema",
        "region",
        "periods",
        "network",
        "norms",
        "handover_gaps",
        "stagnation",
        "warm_share",
        "top_gaps",
    ]
    assert report["schema"] == "ketenkaart.report/1"
    assert report["region"] == "Noord"
    # added keys (meeting.md): all phases of the latest period, 11 of 14 families warm, and
    # the Overzicht's five gaps (analysis.priorities.rank_gaps), every area's heaviest in
    assert report["warm_share"] == 11 / 14
    assert [g["area"] for g in report["top_gaps"]] == [
        "kaart",
        "normen",
        "stagnatie",
        "overdracht",
        "overdracht",
    ]
    assert report["top_gaps"][0] == {
        "sentence": "Geen enkele opvang heeft een actuele afspraak met Huisarts (norm 4.2a, "
        "keurmerk).",
        "norm": "norm 4.2a, keurmerk",
        "area": "kaart",
    }
    assert report["periods"] == {"handovers": "2026-Q3", "stagnation": "2026-Q3"}
    assert report["network"] == {
        "organisations": 6,
        "agreements": 4,
        "density": 4 / 15,
        "partner_types_present": ["politie", "veilig_thuis", "wijkteam"],
        "partner_types_missing": ["huisarts"],
        "isolated": ["Huisartsenpraktijk De Linde"],
        "cut_vertices": ["Opvang Noord"],
    }
    assert report["norms"]["coverage"] == 0.25
    findings = report["norms"]["findings"]
    assert [
        (f["organisation"], f["partner_type"], f["agreement_type"], f["norm"], f["status"])
        for f in findings
    ] == [
        ("Opvang Noord", "*", "vervoer", "4.5", "missing"),
        ("Opvang Noord", "huisarts", "informatie_uitwisseling", "4.2a", "missing"),
        ("Opvang Noord", "politie", "veiligheid", "4.2b/c", "partial"),
        ("Opvang Noord", "veilig_thuis", "meldcode", "4.3", "met"),
    ]
    assert all(
        set(f)
        == {
            "organisation",
            "partner_type",
            "agreement_type",
            "norm",
            "norm_source",
            "status",
            "level",
            "reason",
        }
        for f in findings
    )
    assert findings[2]["reason"] == (
        "Mondelinge afspraak met Politie Noord; niet aantoonbaar vastgelegd (norm 4.2b/c, keurmerk)"
    )
    gaps = report["handover_gaps"]
    assert [{k: v for k, v in g.items() if k != "reason"} for g in gaps] == [
        {
            "organisation": "Opvang Noord",
            "partner_type": "woningcorporatie",
            "phase": "uitstroom",
            "families": 4,
            "warm_share": 0.5,
            "kind": kind,
        }
        for kind in ("no_agreement", "warm_share_low")
    ]
    stagnation = report["stagnation"]
    assert [{k: v for k, v in s.items() if k != "reason"} for s in stagnation] == [
        {
            "domain": "financien",
            "topic": "uitkering",
            "partner_type": "werk_inkomen",
            "respondents": 2,
            "mean_severity": 4.5,
            "families": 3,
            "median_wait_days": None,
            "extra_shelter_days": None,
            "trend": "up",
            "flagged": True,
        },
        {
            "domain": "onderwijs",
            "topic": "schoolplaatsing",
            "partner_type": None,
            "respondents": 1,
            "mean_severity": 2.0,
            "families": None,
            "median_wait_days": 10.0,
            "extra_shelter_days": None,
            "trend": "new",
            "flagged": True,
        },
    ]


def test_json_is_stable_utf8_and_round_trips() -> None:
    text = render_json(report_of())
    assert text == render_json(report_of())
    assert "geëvalueerd" in text  # ensure_ascii=False keeps Dutch letters readable
    assert json.loads(text) == report_of()
    assert text.startswith('{\n  "schema": "ketenkaart.report/1",')


def test_empty_region() -> None:
    report = report_of([], [], [])
    assert report["periods"] == {"handovers": None, "stagnation": None}
    assert report["network"]["organisations"] == 0
    assert report["network"]["density"] == 0.0
    assert report["network"]["partner_types_missing"] == ["huisarts", "politie", "veilig_thuis"]
    assert report["norms"] == {"coverage": 0.0, "findings": []}
    assert report["handover_gaps"] == [] and report["stagnation"] == []
    memo = render_markdown(report)
    assert "geen opvangorganisaties" in memo
    assert "Er zijn geen overdrachten aangeleverd." in memo


def test_the_shipped_default_matrix_gives_29_findings_per_shelter() -> None:
    report = build_report(
        "Noord", pd.DataFrame(AGREEMENTS), pd.DataFrame(), pd.DataFrame(), default_matrix(), TODAY
    )
    assert len(report["norms"]["findings"]) == 29


@settings(max_examples=25, deadline=None)
@given(
    st.permutations(range(len(AGREEMENTS))),
    st.permutations(range(len(HANDOVERS))),
    st.permutations(range(len(STAGNATION))),
)
def test_report_is_identical_when_rows_are_shuffled(a: list, h: list, s: list) -> None:
    shuffled = report_of(
        [AGREEMENTS[i] for i in a], [HANDOVERS[i] for i in h], [STAGNATION[i] for i in s]
    )
    assert render_json(shuffled) == render_json(report_of())


def test_markdown_memo_puts_the_summary_first() -> None:
    memo = render_markdown(report_of())
    assert memo.startswith("# Ketenkaart: regio Noord\n")
    summary = memo[memo.index("## Samenvatting") : memo.index("## Normenkader per")]
    assert "25% van de 4 toetsingen is op orde bij 1 opvangorganisatie" in summary
    assert "(1 voldaan, 1 deels, 2 ontbreekt)" in summary
    assert "Geen enkele opvang heeft een actuele afspraak met:** Huisarts." in summary
    assert (
        "Vervoer met een ketenpartner (welk type ook) (norm 4.5, normenkader 2019): "
        "ontbreekt bij 1 van 1" in summary
    )
    assert "**Overdrachten (2026-Q3):** 2 knelpunten" in summary
    assert "2 van 4 gezinnen warm overgedragen (50%)" in summary
    assert "**Stagnatie (2026-Q3):** 2 gesignaleerde knelpunten" in summary
    assert "Financiën – Uitkering (Werk en inkomen): ernst 4,5, gestegen, 2 respondenten" in summary
    # a topic answered by one organisation says so (thin evidence)
    assert (
        "Onderwijs – Schoolplaatsing: ernst 2, nieuw, mediane wachttijd 10 dagen, 1 respondent\n"
        in summary
    )
    # then the sections with tables
    assert "### Opvang Noord: 1 van 4 op orde (25%)" in memo
    assert "| Politie | Veiligheid en systeemgrenzen | norm 4.2b/c (keurmerk) | Deels |" in memo
    assert "## Overdrachten (2026-Q3)" in memo
    assert "## Stagnatie (2026-Q3)" in memo
    assert "Spilorganisaties" in memo and "Opvang Noord." in memo
    assert "Huisartsenpraktijk De Linde" in memo
    assert "'< 5'" in memo  # the choice not to mask counts is explained


def test_markdown_escapes_table_cells() -> None:
    rows = [agreement("Politie | Noord", "politie", ("veiligheid",), status="mondeling")]
    memo = render_markdown(report_of(rows, [], []))
    assert "Politie \\| Noord" in memo
    assert "Politie | Noord" not in memo.replace("Politie \\| Noord", "")


# --- Command line ---------------------------------------------------------------------------


def _csv(rows: list[list[object]]) -> bytes:
    return "\r\n".join(";".join("" if c is None else str(c) for c in row) for row in rows).encode()


@pytest.fixture(scope="module")
def database(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("db") / "ketenkaart.duckdb"
    con = store.open_database(path)
    files = {
        "afspraken.csv": [
            [
                "regio",
                "organisatie",
                "organisatietype",
                "partner",
                "partnertype",
                "afspraaktypes",
                "status",
                "kindspecifiek",
                "geevalueerd_op",
                "afspraak_id",
            ],
            [
                "Noord",
                "Opvang Noord",
                "vrouwenopvang",
                "Veilig Thuis Noord",
                "veilig_thuis",
                "meldcode",
                "schriftelijk",
                "ja",
                "15-01-2026",
                "VT-1",
            ],
            [
                "Noord",
                "Opvang Noord",
                "vrouwenopvang",
                "Politie Noord",
                "politie",
                "veiligheid",
                "mondeling",
                "nee",
                "",
                "",
            ],
            [
                "Zuid",
                "Opvang Zuid",
                "maatschappelijke_opvang",
                "GGZ Zuid",
                "ggz",
                "warme_overdracht",
                "schriftelijk",
                "nee",
                "2026-02-01",
                "",
            ],
        ],
        "overdrachten.csv": [
            ["regio", "organisatie", "periode", "fase", "partnertype", "gezinnen", "warm"],
            ["Noord", "Opvang Noord", "2026-Q3", "uitstroom", "wijkteam", "10", "6"],
        ],
        "stagnatie.csv": [
            ["regio", "respondent", "periode", "domein", "onderwerp", "ernst"],
            ["Noord", "Opvang Noord", "2026-Q3", "wonen", "woningaanbod", "5"],
        ],
    }
    try:
        for name, rows in files.items():
            importers.import_file(con, _csv(rows), name, new_region=True)
    finally:
        con.close()
    return path


def run_cli(*args: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k != "KETENKAART_DB"}
    return subprocess.run(
        [sys.executable, "-m", "analysis", *args],
        cwd=ROOT,
        capture_output=True,
        text=True,
        env=env,
        timeout=60,
    )


def test_cli_writes_the_json_report_of_the_database(database: Path) -> None:
    result = run_cli(
        "report", "--region", "  noord ", "--db", str(database), "--today", "2026-09-30"
    )
    assert result.returncode == 0, result.stderr
    con = store.connect(database, read_only=True)
    try:
        frames = queries.region_frames(con, "Noord")
    finally:
        con.close()
    expected = build_report(
        "Noord", frames.agreements, frames.handovers, frames.stagnation, frames.matrix, TODAY
    )
    expected["actions"] = []  # the command adds the open actions (actions.md); none here
    assert json.loads(result.stdout) == expected
    assert result.stdout == render_json(expected) + "\n"
    assert expected["handover_gaps"][0]["kind"] == "no_agreement"


def test_cli_writes_markdown(database: Path) -> None:
    result = run_cli(
        "report",
        "--region",
        "Noord",
        "--db",
        str(database),
        "--format",
        "markdown",
        "--today",
        "2026-09-30",
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("# Ketenkaart: regio Noord\n")
    assert "Woningaanbod" in result.stdout


def test_cli_unknown_region_names_the_known_ones(database: Path) -> None:
    result = run_cli("report", "--region", "West", "--db", str(database))
    assert result.returncode == 2
    assert "Onbekende regio 'West'. Bekende regio's: Noord, Zuid." in result.stderr
    assert result.stdout == ""
    assert "Traceback" not in result.stderr


def test_cli_missing_database(tmp_path: Path) -> None:
    result = run_cli("report", "--region", "Noord", "--db", str(tmp_path / "geen.duckdb"))
    assert result.returncode == 1
    assert "bestaat niet" in result.stderr
    assert "Traceback" not in result.stderr


def test_cli_busy_database(tmp_path: Path) -> None:
    path = tmp_path / "bezet.duckdb"
    con = store.open_database(path)  # this process holds the file read-write
    try:
        result = run_cli("report", "--region", "Noord", "--db", str(path))
    finally:
        con.close()
    assert result.returncode == 1
    assert "in gebruik" in result.stderr
    assert "Traceback" not in result.stderr


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["report", "--region", "Noord", "--today", "30-09-2026"], "is geen datum"),
        (["report", "--region", "Noord", "--format", "docx"], "ongeldige keuze"),
        (["report"], "deze opties zijn verplicht: --region"),
    ],
)
def test_cli_wrong_options_are_dutch(args: list[str], message: str) -> None:
    result = run_cli(*args)
    assert result.returncode == 2
    assert message in result.stderr
    assert "Traceback" not in result.stderr
