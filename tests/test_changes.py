"""What changed between two moments (changes.md): every list of ``ketenkaart.changes/1`` on real
imports into a real DuckDB file at two moments, and properties of :func:`compare_states`."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.changes import State, build_changes, compare_states, render_markdown
from ketendata import importers, store
from ketendata.store import queries
from tests.builders import csv_bytes, valid_rows

REGION = "Regio Noord"
T1 = datetime(2026, 9, 1, 10, 0)  # first uploads
SINCE = datetime(2026, 9, 30, 23, 59, 59)
T2 = datetime(2026, 10, 15, 10, 0)  # replacing uploads, an own matrix
T3 = datetime(2026, 11, 1, 10, 0)  # an upload undone at T4, another undone after UNTIL
T4 = datetime(2026, 11, 2, 10, 0)
UNTIL = datetime(2026, 12, 2, 12, 0)
AFTER = datetime(2026, 12, 5, 10, 0)

_HEADER = valid_rows("afspraken")[0]


def _agreement(organisation: str, partner: str, partner_type: str, types: str, **cells) -> list:
    values = {
        "regio": REGION,
        "organisatie": organisation,
        "organisatietype": "vrouwenopvang",
        "partner": partner,
        "partnertype": partner_type,
        "afspraaktypes": types,
        "status": "schriftelijk",
        "kindspecifiek": "ja",
        "ingangsdatum": "2022-01-01",
        "geevalueerd_op": "2026-06-01",
        **cells,
    }
    return [values.get(column, "") for column in _HEADER]


def _handovers(period: str, warm: int) -> bytes:
    header, first = valid_rows("overdrachten")[:2]
    row = list(first)
    row[header.index("periode")] = period
    row[header.index("warm")] = str(warm)
    return csv_bytes([header, row])


def _stagnation(period: str, severity: str) -> bytes:
    header, first = valid_rows("stagnatie")[:2]
    row = list(first)
    row[header.index("periode")] = period
    row[header.index("ernst")] = severity
    return csv_bytes([header, row])


FIRST = csv_bytes(
    [
        _HEADER,
        # evaluated within 24 months on the date of SINCE, no longer on the date of UNTIL
        _agreement(
            "Opvang Noord",
            "Veilig Thuis Noord",
            "veilig_thuis",
            "meldcode",
            geevalueerd_op="2024-10-10",
        ),
        _agreement("Opvang Noord", "Politie Noord", "politie", "veiligheid"),
        _agreement("Opvang Noord", "GGZ Noord", "ggz", "informatie_uitwisseling"),
        _agreement(
            "Opvang Noord", "School Noord", "onderwijs", "onderwijs", einddatum="2026-12-31"
        ),
        _agreement("Opvang Noord", "Wijkteam Noord", "wijkteam", "nazorg", kindspecifiek="ja"),
    ]
)
SECOND = csv_bytes(
    [
        _HEADER,
        _agreement(
            "Opvang Noord",
            "Veilig Thuis Noord",
            "veilig_thuis",
            "meldcode",
            geevalueerd_op="2024-10-10",
        ),
        _agreement("Opvang Noord", "Politie Noord", "politie", "veiligheid", status="beeindigd"),
        _agreement(
            "Opvang Noord", "School Noord", "onderwijs", "onderwijs", einddatum="2026-11-30"
        ),
        _agreement(
            "Opvang Noord",
            "wijkteam  noord",
            "wijkteam",
            "nazorg",
            status="mondeling",
            kindspecifiek="nee",
        ),
        # a shelter that appears
        _agreement("Opvang Zuid", "Veilig Thuis Noord", "veilig_thuis", "meldcode"),
    ]
)
#: the own matrix of T2: one requirement more than the meldcode, the added one unmet
MATRIX = csv_bytes(
    [
        ["partnertype", "afspraaktype", "norm", "kindspecifiek_vereist"],
        ["veilig_thuis", "meldcode", "4.3", "nee"],
        ["verslavingszorg", "warme_overdracht", "4.9", "nee"],
    ]
)


@pytest.fixture
def database(tmp_path: Path) -> Path:
    """Regio Noord at T1, replaced at T2 (with an own matrix), uploads at T3 undone at T4 and
    after UNTIL."""
    path = tmp_path / "ketenkaart.duckdb"
    with store.writing(path) as con:
        importers.import_file(con, FIRST, "afspraken_1.csv", new_region=True, now=T1)
        importers.import_file(con, _handovers("2026-Q1", 7), "overdrachten_q1.csv", now=T1)
        importers.import_file(con, _stagnation("2026-Q1", "4"), "stagnatie_q1.csv", now=T1)
        importers.import_file(con, SECOND, "afspraken_2.csv", now=T2)
        importers.import_file(con, _handovers("2026-Q2", 9), "overdrachten_q2.csv", now=T2)
        importers.import_matrix(con, MATRIX, "matrix.csv", REGION, now=T2)
        undone = importers.import_file(con, _stagnation("2026-Q3", "1"), "stagnatie_q3.csv", now=T3)
        importers.undo_import(con, undone.import_id, now=T4)
        later = importers.import_file(con, _stagnation("2026-Q2", "2"), "stagnatie_q2.csv", now=T3)
        importers.undo_import(con, later.import_id, now=AFTER)
    return path


def _state(con, at: datetime, on: date) -> State:
    frames = queries.region_frames(con, REGION, at)
    return State(frames.agreements, frames.handovers, frames.stagnation, frames.matrix, on)


@pytest.fixture
def changes(database: Path) -> dict:
    with store.reading(database) as con:
        before, after = _state(con, SINCE, SINCE.date()), _state(con, UNTIL, UNTIL.date())
        imports = queries.imports_between(con, REGION, SINCE, UNTIL)
    return build_changes(REGION, SINCE, UNTIL, imports, before, after)


def test_imports_in_the_window(changes: dict) -> None:
    assert (changes["since"], changes["until"]) == ("2026-09-30T23:59:59", "2026-12-02T12:00:00")
    assert [(i["file_name"], i["undone_at"]) for i in changes["imports"]] == [
        ("afspraken_2.csv", None),
        ("overdrachten_q2.csv", None),
        ("stagnatie_q3.csv", "2026-11-02T10:00:00"),
        ("stagnatie_q2.csv", None),  # undone after UNTIL: not yet undone then
    ]
    assert changes["imports"][0]["imported_at"] == "2026-10-15T10:00:00"


def test_links_added_ended_and_changed(changes: dict) -> None:
    links = changes["agreements"]
    assert [(e["organisation"], e["partner"], e["status"]) for e in links["added"]] == [
        ("Opvang Zuid", "Veilig Thuis Noord", "schriftelijk")
    ]
    assert [(e["partner"], e["status"], e["why"]) for e in links["ended"]] == [
        ("GGZ Noord", "schriftelijk", "niet_meer_opgegeven"),
        ("Politie Noord", "schriftelijk", "beeindigd"),
        ("School Noord", "schriftelijk", "einddatum"),
    ]
    assert [(e["partner"], e["field"], e["before"], e["after"]) for e in links["changed"]] == [
        ("Wijkteam Noord", "kindspecifiek", True, False),  # first spelling stored
        ("Wijkteam Noord", "status", "schriftelijk", "mondeling"),
    ]


def test_findings_whose_status_changed(changes: dict) -> None:
    by_key = {
        (f["organisation"], f["partner_type"], f["agreement_type"]): f for f in changes["findings"]
    }
    # the evaluation of 10-10-2024 left the 24-month window between the moments
    meldcode = by_key[("Opvang Noord", "veilig_thuis", "meldcode")]
    assert (meldcode["before"], meldcode["after"]) == ("met", "partial")
    assert "10-10-2024" in meldcode["reason"]
    # a shelter that appears, a requirement added by the own matrix
    assert (
        by_key[("Opvang Zuid", "veilig_thuis", "meldcode")]["before"],
        by_key[("Opvang Zuid", "veilig_thuis", "meldcode")]["after"],
    ) == (None, "met")
    assert by_key[("Opvang Noord", "verslavingszorg", "warme_overdracht")]["before"] is None
    assert by_key[("Opvang Noord", "verslavingszorg", "warme_overdracht")]["after"] == "missing"
    assert by_key[("Opvang Noord", "verslavingszorg", "warme_overdracht")]["norm"] == "4.9"
    assert all(f["before"] != f["after"] for f in changes["findings"])
    order = [
        (f["organisation"].casefold(), f["partner_type"], f["agreement_type"])
        for f in changes["findings"]
    ]
    assert order == sorted(order)


def test_coverage_and_missing_partner_types(changes: dict) -> None:
    assert changes["coverage"]["before"] is not None
    # the own matrix: Noord meets neither requirement any more, Zuid meets the meldcode
    assert changes["coverage"]["after"] == 0.25
    assert changes["partner_types_missing"]["new"] == ["verslavingszorg"]
    # the default asked for these partner types, the own matrix no longer does
    assert {"huisarts", "justitie"} <= set(changes["partner_types_missing"]["resolved"])


def test_handovers_and_stagnation(changes: dict) -> None:
    [handover] = changes["handovers"]
    assert handover["organisation"] == "Opvang Noord"
    assert (handover["period_before"], handover["period_after"]) == ("2026-Q1", "2026-Q2")
    assert handover["warm_share_after"] > handover["warm_share_before"]
    [topic] = changes["stagnation"]
    assert (topic["domain"], topic["topic"]) == ("financien", "uitkering")
    # the 2026-Q3 wave was undone before UNTIL; the 2026-Q2 wave only after it
    assert (topic["period_before"], topic["period_after"]) == ("2026-Q1", "2026-Q2")
    assert (topic["mean_severity_before"], topic["mean_severity_after"]) == (4.0, 2.0)


def test_a_moment_without_an_inventory_has_no_findings(database: Path) -> None:
    with store.reading(database) as con:
        empty = _state(con, datetime(2026, 8, 1), date(2026, 8, 1))
        after = _state(con, SINCE, SINCE.date())
    result = compare_states(empty, after)
    assert result["coverage"]["before"] is None
    assert result["partner_types_missing"]["resolved"] == []
    assert all(f["before"] is None for f in result["findings"])
    assert len(result["agreements"]["added"]) == 5


def test_the_memo_in_dutch(changes: dict) -> None:
    memo = render_markdown(changes)
    assert memo.startswith("# Wat is er veranderd in Regio Noord tussen 30-09-2026 en 02-12-2026\n")
    assert "Afspraken erbij: 1, vervallen: 3, gewijzigd: 2" in memo
    assert "School Noord" in memo and "einddatum verstreken" in memo


def _inventory(rows: list[tuple[str, str, str]]) -> pd.DataFrame:
    return pd.DataFrame(
        [
            {
                "organisation": organisation,
                "organisation_type": "vrouwenopvang",
                "partner": partner,
                "partner_type": "veilig_thuis",
                "agreement_types": ("meldcode",),
                "status": status,
                "child_specific": True,
                "start_date": date(2022, 1, 1),
                "end_date": None,
                "evaluated_on": date(2026, 1, 1),
            }
            for organisation, partner, status in rows
        ]
    )


inventories = st.lists(
    st.tuples(
        st.sampled_from(["Opvang A", "Opvang B"]),
        st.sampled_from(["VT", "Politie"]),
        st.sampled_from(["schriftelijk", "mondeling", "beeindigd"]),
    ),
    min_size=1,
    max_size=5,
)


@settings(deadline=None, max_examples=30)
@given(inventories, inventories)
def test_changes_are_empty_against_themselves_and_symmetric(a: list, b: list) -> None:
    with_matrix = pd.DataFrame(
        [
            {
                "partner_type": "veilig_thuis",
                "agreement_type": "meldcode",
                "norm": "4.3",
                "child_required": False,
            }
        ]
    )
    first = State(_inventory(a), pd.DataFrame(), pd.DataFrame(), with_matrix, date(2026, 12, 2))
    second = State(_inventory(b), pd.DataFrame(), pd.DataFrame(), with_matrix, date(2026, 12, 2))
    same = compare_states(first, first)
    assert same["agreements"] == {"added": [], "ended": [], "changed": []}
    assert same["findings"] == [] and same["handovers"] == [] and same["stagnation"] == []
    assert same["partner_types_missing"] == {"new": [], "resolved": []}
    forward, backward = compare_states(first, second), compare_states(second, first)

    def keys(entries: list) -> set:
        return {(e["organisation"], e["partner"], e["agreement_type"]) for e in entries}

    assert keys(forward["agreements"]["added"]) == keys(backward["agreements"]["ended"])
    assert keys(forward["agreements"]["ended"]) == keys(backward["agreements"]["added"])
