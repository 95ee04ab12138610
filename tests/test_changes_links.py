"""Agreement links between two moments (changes.md): added, ended with why, changed per field;
on tiny hand-made inventories and on real imports at two moments."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
from hypothesis import given
from hypothesis import strategies as st

from analysis.changes import compare_links, links_on
from ketendata import importers, store
from ketendata.store import queries
from tests.builders import csv_bytes, valid_rows

SINCE, UNTIL = date(2026, 9, 30), date(2026, 12, 2)


def row(partner: str, types: tuple[str, ...] = ("meldcode",), **values) -> dict:
    base = {
        "organisation": "Opvang Noord",
        "partner": partner,
        "partner_type": "veilig_thuis",
        "agreement_types": types,
        "status": "schriftelijk",
        "child_specific": True,
        "end_date": None,
        "evaluated_on": date(2026, 1, 5),
    }
    return {**base, **values}


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=list(row("x")))


def test_added_ended_and_changed() -> None:
    before = frame(
        row("VT Noord", ("meldcode", "informatie_uitwisseling")),
        row("Politie Noord", partner_type="politie"),
        row("GGZ Noord", partner_type="ggz"),
        row("School Noord", partner_type="onderwijs", end_date=date(2026, 12, 31)),
    )
    after = frame(
        row("vt  noord", ("meldcode",), status="mondeling", child_specific=False),  # same partner
        row("Politie Noord", partner_type="politie", status="beeindigd"),
        row("School Noord", partner_type="onderwijs", end_date=date(2026, 11, 30)),
        row("Wijkteam Noord", partner_type="wijkteam", evaluated_on=None),
    )
    changes = compare_links(before, SINCE, after, UNTIL)
    assert changes["added"] == [
        {
            "organisation": "Opvang Noord",
            "partner": "Wijkteam Noord",
            "partner_type": "wijkteam",
            "agreement_type": "meldcode",
            "status": "schriftelijk",
        }
    ]
    assert [(e["partner"], e["agreement_type"], e["why"]) for e in changes["ended"]] == [
        ("GGZ Noord", "meldcode", "niet_meer_opgegeven"),
        ("Politie Noord", "meldcode", "beeindigd"),
        ("School Noord", "meldcode", "einddatum"),
        ("VT Noord", "informatie_uitwisseling", "niet_meer_opgegeven"),
    ]
    assert [(e["partner"], e["field"], e["before"], e["after"]) for e in changes["changed"]] == [
        ("vt  noord", "kindspecifiek", True, False),
        ("vt  noord", "status", "schriftelijk", "mondeling"),
    ]


def test_a_link_takes_the_best_status_and_latest_evaluation_of_its_current_rows() -> None:
    links = links_on(
        frame(
            row("VT", status="in_ontwikkeling", evaluated_on=date(2026, 6, 1)),
            row("VT", status="mondeling", child_specific=False, evaluated_on=date(2025, 1, 1)),
            row("VT", status="beeindigd", evaluated_on=date(2026, 11, 1)),  # not current
        ),
        UNTIL,
    )
    [link] = links.values()
    assert (link.status, link.child_specific, link.evaluated_on) == (
        "mondeling",
        True,
        date(2026, 6, 1),
    )


rows = st.builds(
    row,
    partner=st.sampled_from(["VT", "GGZ", "School"]),
    types=st.sets(st.sampled_from(["meldcode", "regie", "nazorg"]), min_size=1).map(tuple),
    status=st.sampled_from(["schriftelijk", "mondeling", "in_ontwikkeling", "beeindigd"]),
    child_specific=st.booleans(),
    end_date=st.none() | st.dates(date(2026, 1, 1), date(2027, 1, 1)),
    evaluated_on=st.none() | st.dates(date(2024, 1, 1), date(2026, 12, 1)),
)


@given(st.lists(rows, max_size=6), st.lists(rows, max_size=6))
def test_changes_are_symmetric_and_empty_against_themselves(a: list, b: list) -> None:
    first, second = frame(*a), frame(*b)
    assert compare_links(first, UNTIL, first, UNTIL) == {"added": [], "ended": [], "changed": []}
    forward = compare_links(first, SINCE, second, UNTIL)
    backward = compare_links(second, UNTIL, first, SINCE)

    def keys(entries: list) -> list:
        return [(e["organisation"], e["partner"], e["agreement_type"]) for e in entries]

    assert sorted(keys(forward["added"])) == sorted(keys(backward["ended"]))
    assert sorted(keys(forward["ended"])) == sorted(keys(backward["added"]))


def test_real_imports_at_two_moments(tmp_path: Path) -> None:
    header, first = valid_rows("afspraken")[:2]
    partner = header.index("partner")
    second = list(first)
    second[partner] = "GGZ Noord"
    path = tmp_path / "ketenkaart.duckdb"
    t1, t2 = datetime(2026, 9, 1, 10, 0), datetime(2026, 10, 15, 10, 0)
    with store.writing(path) as con:
        importers.import_file(con, csv_bytes([header, first]), "a.csv", new_region=True, now=t1)
        importers.import_file(con, csv_bytes([header, second]), "b.csv", now=t2)
    region = first[header.index("regio")]
    with store.reading(path) as con:
        before = queries.region_frames(con, region, datetime(2026, 9, 30, 23, 59, 59))
        after = queries.region_frames(con, region)
    changes = compare_links(before.agreements, SINCE, after.agreements, UNTIL)
    types = set(first[header.index("afspraaktypes")].split(";"))
    assert {e["partner"] for e in changes["added"]} == {"GGZ Noord"}
    assert {e["agreement_type"] for e in changes["added"]} == types
    assert {(e["partner"], e["why"]) for e in changes["ended"]} == {
        (first[partner], "niet_meer_opgegeven")
    }
