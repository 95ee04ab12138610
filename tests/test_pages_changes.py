"""What changed, in the app (changes.md "In the app"): the Overzicht cards since a moment, the
page "Wat is veranderd", the Gegevens preview of a replacing inventory, the counts after an
import and an undo, the import history, and the demo's back-dated waves. AppTest on real DuckDB
files with imports at real moments."""

from __future__ import annotations

from datetime import date, datetime, timedelta
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ketendata import importers, store
from ketendata.samples.demo import build_demo_files, demo_import_times, load_demo
from ketendata.store import meetings, queries
from tests.builders import csv_bytes, valid_rows
from tests.conftest import TODAY, app_on

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 30
REGION = "Regio Noord"
T1 = datetime(2026, 9, 1, 10, 0)  # the first uploads
MEETING = datetime(2026, 10, 1, 14, 0)  # the working group met
T2 = datetime(2026, 11, 1, 10, 0)  # a replacing inventory, the next wave
MINUTE = timedelta(minutes=1)

_HEADER = valid_rows("afspraken")[0]


def _agreement(partner: str, partner_type: str, types: str, **cells: str) -> list:
    values = {
        "regio": REGION,
        "organisatie": "Opvang Noord",
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


def _inventory(*rows: list) -> bytes:
    return csv_bytes([_HEADER, *rows])


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


FIRST = _inventory(
    _agreement("Veilig Thuis Noord", "veilig_thuis", "meldcode"),
    _agreement("Politie Noord", "politie", "veiligheid"),
    _agreement("GGZ Noord", "ggz", "informatie_uitwisseling"),
)
#: Politie no longer listed, GGZ only oral, School and Huisarts new.
SECOND = _inventory(
    _agreement("Veilig Thuis Noord", "veilig_thuis", "meldcode"),
    _agreement("GGZ Noord", "ggz", "informatie_uitwisseling", status="mondeling"),
    _agreement("School Noord", "onderwijs", "onderwijs"),
    _agreement("Huisarts Noord", "huisarts", "informatie_uitwisseling"),
)
#: The upload a test makes: only Veilig Thuis stays, Wijkteam is new.
THIRD = _inventory(
    _agreement("Veilig Thuis Noord", "veilig_thuis", "meldcode"),
    _agreement("Wijkteam Noord", "wijkteam", "nazorg"),
)


@pytest.fixture
def noord(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    """Regio Noord: uploads at T1, a meeting, a replacing inventory and the next wave at T2;
    the app pointed at it with the fixed date."""
    path = tmp_path / "ketenkaart.duckdb"
    with store.writing(path) as con:
        importers.import_file(con, FIRST, "afspraken_1.csv", new_region=True, now=T1)
        importers.import_file(con, _handovers("2026-Q2", 5), "overdrachten_q2.csv", now=T1 + MINUTE)
        importers.import_file(
            con, _stagnation("2026-Q2", "5"), "stagnatie_q2.csv", now=T1 + 2 * MINUTE
        )
        meetings.record_meeting(con, REGION, MEETING)
        importers.import_file(con, SECOND, "afspraken_2.csv", now=T2)
        importers.import_file(con, _handovers("2026-Q3", 8), "overdrachten_q3.csv", now=T2 + MINUTE)
        importers.import_file(
            con, _stagnation("2026-Q3", "2"), "stagnatie_q3.csv", now=T2 + 2 * MINUTE
        )
    with app_on(path, monkeypatch):
        yield path


def open_page(page: str, region: str = REGION) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["regio"] = region
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


#: The columns that tell the tables of the changes apart.
TABLES = {
    "erbij": {"Houder", "Status"},
    "vervallen": {"Houder", "Reden"},
    "gewijzigd": {"Houder", "Veld"},
    "bevindingen": {"Organisatie", "Was", "Toelichting"},
    "overdracht": {"Warm was"},
    "stagnatie": {"Gesignaleerd was"},
    "uploads": {"Bestand", "Ongedaan gemaakt"},
}


def tables(at: AppTest, name: str) -> list[pd.DataFrame]:
    return [f.value for f in at.dataframe if TABLES[name] <= set(f.value.columns)]


def table(at: AppTest, name: str) -> pd.DataFrame:
    found = tables(at, name)
    assert len(found) == 1, f"{len(found)} tables {name!r}"
    return found[0]


def plain(text: str) -> str:
    """Text as a person reads it (without Markdown escapes and word joiners)."""
    return text.replace("\u2060", "").replace("\\", "")


def current_agreements(path: Path) -> pd.DataFrame:
    con = store.connect(path)
    try:
        return queries.current_agreements(con, REGION)
    finally:
        con.close()


def newest_import(path: Path) -> int:
    con = store.connect(path)
    try:
        return int(queries.list_imports(con, REGION)["id"].iloc[0])
    finally:
        con.close()


# --- Overzicht -----------------------------------------------------------------------------


def test_overview_cards_show_the_change_since_the_last_meeting(noord: Path) -> None:
    at = open_page("pages/overview.py")
    cards = {m.label: (m.value, m.delta) for m in at.metric}
    # at the meeting: Opvang, Veilig Thuis, Politie, GGZ; now Politie is gone, School and
    # Huisarts came: 4 -> 5 organisations and 3 -> 4 agreements
    assert cards["Organisaties"] == ("5", "1")
    assert cards["Actuele afspraken"] == ("4", "1")
    # 2026-Q2 had 5 of 10 warm, 2026-Q3 8 of 10; severity 5 was flagged, 2 is not
    assert cards["Warm overgedragen"] == ("80%", "+30,0 procentpunt")
    assert cards["Stagnatiesignalen"] == ("0", "-1")
    assert "procentpunt" in cards["Normdekking"][1]
    assert at.selectbox(key="overzicht_sinds").value == "vergadering"
    assert "Vorige vergadering (01-10-2026)" in at.selectbox(key="overzicht_sinds").options[0]
    help_text = next(m for m in at.metric if m.label == "Organisaties").help
    assert "sinds de vorige vergadering (01-10-2026 14" in plain(help_text)


def test_overview_cards_since_a_later_date_show_no_change(noord: Path) -> None:
    at = open_page("pages/overview.py")
    at.selectbox(key="overzicht_sinds").set_value("datum").run()
    at.date_input(key="overzicht_datum").set_value(date(2026, 11, 10)).run()
    assert not at.exception
    cards = {m.label: m.delta for m in at.metric}
    assert cards["Organisaties"] == "0" and cards["Stagnatiesignalen"] == "0"
    assert cards["Warm overgedragen"] == "+0,0 procentpunt"


def test_overview_without_a_meeting_compares_with_ninety_days_back(
    demo_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with app_on(demo_db, monkeypatch):
        at = open_page("pages/overview.py", "Demoregio Wolkendal")
        first = at.selectbox(key="overzicht_sinds").options[0]
        assert "90 dagen geleden (26-08-2026" in first
        warm = next(m for m in at.metric if m.label == "Warm overgedragen")
        assert "procentpunt" in warm.delta  # the demo's 2026-Q3 wave against its 2026-Q2


# --- Wat is veranderd ----------------------------------------------------------------------


def test_changes_page_lists_every_kind_of_change_since_the_meeting(noord: Path) -> None:
    at = open_page("pages/changes.py")
    assert at.title[0].value == "Wat is veranderd"
    added = table(at, "erbij")
    assert sorted(added["Partner"]) == ["Huisarts Noord", "School Noord"]
    assert set(added["Status"]) == {"Schriftelijk"}
    ended = table(at, "vervallen")
    assert list(zip(ended["Partner"], ended["Reden"], strict=True)) == [
        ("Politie Noord", "niet meer opgegeven")
    ]
    changed = table(at, "gewijzigd")
    assert changed[["Partner", "Veld", "Was", "Nu"]].values.tolist() == [
        ["GGZ Noord", "Status", "Schriftelijk", "Mondeling"]
    ]
    assert len(table(at, "bevindingen")) > 0
    warm = table(at, "overdracht")
    assert list(warm["Warm was"]) == ["50%"] and list(warm["Warm nu"]) == ["80%"]
    stalled = table(at, "stagnatie")
    assert list(stalled["Gesignaleerd was"]) == ["ja"]
    assert list(stalled["Gesignaleerd nu"]) == ["nee"]
    uploads = table(at, "uploads")
    assert list(uploads["Bestand"]) == [
        "afspraken_2.csv",
        "overdrachten_q3.csv",
        "stagnatie_q3.csv",
    ]
    counts = {m.label: m.value for m in at.metric}
    assert counts["Afspraken erbij"] == "2" and counts["Afspraken vervallen"] == "1"
    assert counts["Uploads"] == "3"
    # the huisarts became present: no partner type is newly missing
    assert any("Opgelost" in s.value for s in at.success) or any(
        "Geen verandering in de ontbrekende partnertypen" in c.value for c in at.caption
    )
    memo = at.get("download_button")[0]
    assert memo.proto.label == "Download als notitie (Markdown)"


def test_changes_page_says_when_nothing_changed(noord: Path) -> None:
    at = open_page("pages/changes.py")
    at.selectbox(key="veranderingen_sinds").set_value("datum").run()
    at.date_input(key="veranderingen_datum").set_value(date(2026, 11, 10)).run()
    assert not at.exception
    assert any("Er is niets veranderd sinds 10-11-2026" in i.value for i in at.info)
    assert any("Er is in die tijd ook niets geüpload" in i.value for i in at.info)
    assert not at.dataframe  # every list says it is empty instead
    assert any(c.value == "Geen afspraken erbij gekomen." for c in at.caption)


def test_changes_page_between_two_imports(noord: Path) -> None:
    at = open_page("pages/changes.py")
    at.selectbox(key="veranderingen_sinds").set_value("imports").run()
    ids = at.selectbox(key="veranderingen_van").options
    assert len(ids) == 6
    # from the first inventory (import 1) to the second (import 4): only the agreements moved
    at.selectbox(key="veranderingen_van").set_value(1).run()
    at.selectbox(key="veranderingen_tot").set_value(4).run()
    assert not at.exception
    assert sorted(table(at, "erbij")["Partner"]) == ["Huisarts Noord", "School Noord"]
    assert list(table(at, "uploads")["Bestand"]) == [
        "overdrachten_q2.csv",
        "stagnatie_q2.csv",
        "afspraken_2.csv",
    ]
    # the wrong order is refused with a message, not a traceback
    at.selectbox(key="veranderingen_van").set_value(4).run()
    at.selectbox(key="veranderingen_tot").set_value(1).run()
    assert not at.exception
    assert any("eerder zijn dan de tweede" in w.value for w in at.warning)


# --- Gegevens ------------------------------------------------------------------------------


def test_replacing_upload_preview_lists_links_added_and_ended(noord: Path) -> None:
    before = current_agreements(noord)
    at = open_page("pages/data.py")
    at.file_uploader(key="upload").set_value(("afspraken_3.csv", THIRD, "text/csv")).run()
    assert not at.exception
    said = [plain(m.value) for m in at.markdown if "erbij" in m.value]
    assert said == ["**Regio Noord:** 1 afspraak erbij, 3 vervallen, 0 gewijzigd."]
    added = table(at, "erbij")
    assert list(added["Partner"]) == ["Wijkteam Noord"]
    ended = table(at, "vervallen")
    assert sorted(ended["Partner"]) == ["GGZ Noord", "Huisarts Noord", "School Noord"]
    assert set(ended["Reden"]) == {"niet meer opgegeven"}
    assert not tables(at, "gewijzigd")
    pd.testing.assert_frame_equal(current_agreements(noord), before)  # nothing stored yet


def test_import_and_undo_say_what_changed_in_counts(noord: Path) -> None:
    at = open_page("pages/data.py")
    at.file_uploader(key="upload").set_value(("afspraken_3.csv", THIRD, "text/csv")).run()
    at.button(key="importeren").click().run()
    assert not at.exception
    message = plain(next(s.value for s in at.success if "geïmporteerd als import 7" in s.value))
    assert "Wat er verandert: Regio Noord: 1 afspraak erbij, 3 vervallen, 0 gewijzigd" in message
    assert "organisaties 5 → 3" in message and "actuele afspraken 4 → 2" in message
    # the history says it per import, not only the rows stored
    effects = [plain(c.value) for c in at.caption if c.value.startswith("Veranderde")]
    assert effects[0].startswith("Veranderde bij het importeren: 1 afspraak erbij, 3 vervallen")
    assert "warm overgedragen 50% (2026-Q2) → 80% (2026-Q3)" in effects[2]
    assert "stagnatiesignalen 1 (2026-Q2) → 0 (2026-Q3)" in effects[1]

    at.button(key="undo_7").click().run()
    at.button(key="undo_bevestigen").click().run()
    assert not at.exception
    message = plain(next(s.value for s in at.success if "is ongedaan gemaakt" in s.value))
    assert "Regio Noord: 3 afspraken erbij, 1 vervallen, 0 gewijzigd" in message
    assert "organisaties 3 → 5" in message


def test_undo_of_an_import_no_longer_current_says_nothing_changes(noord: Path) -> None:
    with store.writing(noord) as con:
        importers.import_file(con, THIRD, "afspraken_3.csv", now=T2 + timedelta(days=1))
    current = current_agreements(noord)
    at = open_page("pages/data.py")
    # import 4 (afspraken_2.csv) held only Opvang Noord's inventory, replaced by import 7
    at.button(key="undo_4").click().run()
    at.button(key="undo_bevestigen").click().run()
    assert not at.exception
    said = [plain(i.value) for i in at.info if "Import 4" in i.value]
    assert said and "Er verandert niets aan de huidige gegevens" in said[0]
    assert not [s for s in at.success if "is ongedaan gemaakt" in s.value]
    pd.testing.assert_frame_equal(current_agreements(noord), current)


# --- The demo's waves arrive one by one ----------------------------------------------------


def test_demo_waves_are_imported_when_they_would_have_arrived(tmp_path: Path) -> None:
    path = tmp_path / "demo.duckdb"
    clock = datetime(2026, 11, 24, 15, 0)
    with store.writing(path) as con:
        load_demo(con, TODAY, now=clock)
        imports = queries.list_imports(con, "Demoregio Meerhaven").sort_values("id")
        since = meetings.default_since(con, "Demoregio Meerhaven", TODAY)
        recent = queries.imports_between(con, "Demoregio Meerhaven", since, clock)
    assert list(imports["imported_at"].dt.strftime("%d-%m")) == [
        "14-01",
        "14-01",
        "14-01",
        "14-04",
        "14-04",
        "14-07",
        "14-07",
        "14-10",
        "14-10",
    ]
    # "since last quarter" (90 days back): the 2026-Q3 wave, not everything
    assert [entry["file_name"] for entry in recent] == [
        "demo_meerhaven_overdrachten_2026-Q3.csv",
        "demo_meerhaven_stagnatie_2026-Q3.csv",
    ]
    times = demo_import_times(TODAY, clock)
    assert len(times) == len(build_demo_files(TODAY)) and max(times) <= clock


@pytest.mark.parametrize("module", ["ui.changes", "ui.actions"])
def test_helper_doctests(module: str) -> None:
    """The examples of the page helpers hold (pytest does not collect ui/ by itself)."""
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0
