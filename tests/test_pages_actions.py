"""Actions in the app (actions.md "In the report and the app"): "Actie toevoegen" from every gap
with its link filled in, the Acties page (list, filters, edit, status, history, overdue, a gap
that closes after an upload), refused input stores nothing, and recording a meeting. AppTest on
private copies of the demo database."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from ketendata import actions, store
from ketendata.columns import COLUMNS
from ketendata.store import meetings, queries
from tests.builders import csv_bytes
from tests.conftest import TODAY

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 30
WOLKENDAL = "Demoregio Wolkendal"
DUINRADE = "Demoregio Duinrade"


def open_page(page: str, region: str = WOLKENDAL) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    at.query_params["regio"] = region
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def stored(path: Path, region: str = WOLKENDAL) -> list[dict]:
    con = store.connect(path)
    try:
        return actions.list_actions(con, region, TODAY)
    finally:
        con.close()


def history(path: Path, action_id: int) -> list[dict]:
    con = store.connect(path)
    try:
        return actions.action_history(con, action_id, TODAY)
    finally:
        con.close()


def form_key(at: AppTest, prefix: str) -> str:
    """The key of the one form under ``prefix`` (its widgets are ``<key>_titel`` ...)."""
    keys = {
        b.key[: -len("_opslaan")]
        for b in at.button
        if b.key and b.key.startswith(prefix) and b.key.endswith("_opslaan")
    }
    assert len(keys) == 1, keys
    return keys.pop()


def save(at: AppTest, prefix: str, **fields: object) -> AppTest:
    """Fill in the form under ``prefix`` (title, owner, due, status, note) and save it."""
    key = form_key(at, prefix)
    for name, widget in (("title", "titel"), ("owner", "eigenaar"), ("note", "notitie")):
        if name in fields:
            element = at.text_area if name == "note" else at.text_input
            element(key=f"{key}_{widget}").input(fields[name])
    if "due" in fields:
        at.date_input(key=f"{key}_deadline").set_value(fields["due"])
    if "status" in fields:
        at.selectbox(key=f"{key}_status").set_value(fields["status"])
    at.button(key=f"{key}_opslaan").click().run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def action_table(at: AppTest) -> pd.DataFrame:
    return next(f.value for f in at.dataframe if "Knelpunt nu" in f.value.columns)


# --- From every gap, with the link filled in ----------------------------------------------


def test_overview_top_gap_adds_an_action_with_its_link(app_env: Path) -> None:
    at = open_page("pages/overview.py")
    key = form_key(at, "actie_knelpunt_1_")
    # Wolkendal's heaviest gap: no shelter has an agreement with any GP
    assert at.text_input(key=f"{key}_titel").value == "Afspraak maken met Huisarts"
    assert "Gekoppeld aan: Geen opvang heeft een afspraak met Huisarts" in [
        c.value for c in at.caption
    ]
    save(at, "actie_knelpunt_1_", owner="Gemeente Wolkendal", due=date(2027, 3, 31))
    assert any("Actie 1 aangemaakt" in t.value for t in at.toast)
    [action] = stored(app_env)
    assert action["link"] == {"partner_type": "huisarts"}
    assert (action["title"], action["owner"], action["due"], action["status"]) == (
        "Afspraak maken met Huisarts",
        "Gemeente Wolkendal",
        "2027-03-31",
        "open",
    )
    assert action["gap_open"] is True and action["overdue"] is False
    # and it is in the list on the Acties page
    at.switch_page("pages/actions.py").run()
    listed = action_table(at)
    assert list(listed["Titel"]) == ["Afspraak maken met Huisarts"]
    assert list(listed["Knelpunt nu"]) == ["open"]
    assert list(listed["Deadline"]) == ["31-03-2027"]


@pytest.mark.parametrize(
    ("page", "region", "prefix", "form"),
    [
        ("pages/norms.py", WOLKENDAL, "actie_bevinding_", "finding"),
        ("pages/handovers.py", DUINRADE, "actie_overdracht_", "handover_gap"),
        ("pages/stagnation.py", DUINRADE, "actie_stagnatie_", "stagnation"),
    ],
)
def test_a_gap_row_adds_an_action_with_its_link(
    app_env: Path, page: str, region: str, prefix: str, form: str
) -> None:
    from analysis.actions import link_form

    at = open_page(page, region)
    chosen = at.selectbox(key=next(s.key for s in at.selectbox if s.key.startswith(prefix)))
    save(at, prefix, title="Afspraak op orde brengen")
    assert any("aangemaakt" in t.value for t in at.toast), [e.value for e in at.error]
    [action] = stored(app_env, region)
    assert link_form(action["link"]) == form
    assert action["gap_open"] is True  # the gap it was added from is a gap now
    assert action["title"] == "Afspraak op orde brengen"
    assert chosen.value == 0  # without a row picked, the first gap of the table


def test_refused_input_says_why_and_stores_nothing(app_env: Path) -> None:
    at = open_page("pages/overview.py")
    save(at, "actie_knelpunt_1_", title="Bel mevrouw op 06-12345678", owner="")
    refusal = [e.value for e in at.error if "niet opgeslagen" in e.value]
    assert refusal and "06-12345678" not in refusal[0]  # the value is masked
    assert "titel" in refusal[0]
    assert stored(app_env) == []


def test_an_empty_title_is_refused(app_env: Path) -> None:
    at = open_page("pages/overview.py")
    save(at, "actie_knelpunt_1_", title="  ")
    assert any("verplichte waarde ontbreekt" in e.value for e in at.error)
    assert stored(app_env) == []


# --- The Acties page ----------------------------------------------------------------------


def _add(path: Path, title: str, due: str | None = None, link: dict | None = None) -> int:
    con = store.connect(path)
    try:
        return actions.add_action(con, WOLKENDAL, {"title": title, "due": due}, link)
    finally:
        con.close()


def test_actions_page_without_actions_says_how_to_add_one(app_env: Path) -> None:
    at = open_page("pages/actions.py")
    assert at.title[0].value == "Acties"
    assert any("nog geen acties vastgelegd" in i.value for i in at.info)


def test_new_action_on_the_actions_page_without_a_gap(app_env: Path) -> None:
    at = open_page("pages/actions.py")
    save(at, "actie_nieuw_", title="Regiotafel plannen")
    [action] = stored(app_env)
    assert action["link"] is None and action["gap_open"] is None
    assert list(action_table(at)["Knelpunt"]) == ["–"]


def test_edit_status_history_and_overdue_on_the_actions_page(app_env: Path) -> None:
    first = _add(app_env, "Vervoersafspraak maken", link={"partner_type": "huisarts"})
    _add(app_env, "Regiotafel plannen", due="2027-01-15")
    at = open_page("pages/actions.py")
    assert list(action_table(at)["Nr"]) == [2, 1]  # by due date, none last
    at.selectbox(key="actie_kiezen").set_value(first).run()
    # edit: a due date before the analysis date makes it overdue
    save(at, f"bewerken_{first}_", owner="Gemeente Wolkendal", due=date(2026, 11, 1))
    assert any(f"Actie {first} bijgewerkt (versie 2)" in s.value for s in at.success)
    assert any("1 actie is te laat: nr. 1." in w.value for w in at.warning)
    listed = action_table(at)
    assert listed.set_index("Nr").loc[first, "Te laat"] == "te laat"
    # the status in one click; a done action is not overdue
    at.button(key="status_gereed").click().run()
    assert not at.exception
    listed = action_table(at)
    assert listed.set_index("Nr").loc[first, "Status"] == "Gereed"
    assert not any("te laat" in w.value for w in at.warning)
    versions = next(f.value for f in at.dataframe if "Versie" in f.value.columns)
    assert list(versions["Versie"]) == [1, 2, 3]
    assert list(versions["Status"]) == ["Open", "Open", "Gereed"]
    assert [v["status"] for v in history(app_env, first)] == ["open", "open", "gereed"]
    # filters: status and overdue
    at.multiselect(key="actie_status").set_value(["open"]).run()
    assert list(action_table(at)["Nr"]) == [2]
    at.multiselect(key="actie_status").set_value([]).run()
    at.toggle(key="actie_te_laat").set_value(True).run()
    assert not [f for f in at.dataframe if "Knelpunt nu" in f.value.columns]
    assert any("Geen acties met deze keuze" in m.value for m in at.markdown)


def test_a_gap_closed_by_a_new_upload_shows_as_solved(app_env: Path) -> None:
    _add(app_env, "Afspraak maken met de huisartsen", link={"partner_type": "huisarts"})
    at = open_page("pages/actions.py")
    assert list(action_table(at)["Knelpunt nu"]) == ["open"]
    inventory = (
        "regio;organisatie;partner;partnertype;afspraaktypes;status\n"
        f"{WOLKENDAL};Vrouwenopvang Wolkendal;Huisartsenpost Wolkendal;huisarts;"
        "informatie_uitwisseling;schriftelijk\n"
    ).encode()
    at.switch_page("pages/data.py").run()
    at.file_uploader(key="upload").set_value(("afspraken.csv", inventory, "text/csv")).run()
    at.button(key="importeren").click().run()
    assert not at.exception
    at.switch_page("pages/actions.py").run()
    assert list(action_table(at)["Knelpunt nu"]) == ["opgelost"]
    assert any("het knelpunt opgelost: nr. 1." in s.value for s in at.success)


def test_recording_a_meeting(app_env: Path) -> None:
    at = open_page("pages/actions.py")
    at.button(key="vergadering_vastleggen").click().run()
    assert not at.exception
    assert any("vastgelegd voor Demoregio Wolkendal" in s.value for s in at.success)
    con = store.connect(app_env)
    try:
        assert len(meetings.list_meetings(con, WOLKENDAL)) == 1
        assert meetings.list_meetings(con, DUINRADE) == []
    finally:
        con.close()


# --- A meeting, three actions, an upload a week later, the next meeting --------------------

MEERHAVEN = "Demoregio Meerhaven"
SHELTER = "Vrouwenopvang De Golfbreker"


def _inventory_of(path: Path, region: str, holder: str, extra: dict[str, str]) -> bytes:
    """The holder's current inventory as an upload file (CSV bytes), plus one row."""
    con = store.connect(path)
    try:
        frame = queries.current_agreements(con, region)
    finally:
        con.close()
    columns = list(COLUMNS["afspraken"])
    header = [c.name for c in columns]

    def cell(value: object) -> str:
        if value is None:
            return ""
        if isinstance(value, tuple):
            return "|".join(value)
        if isinstance(value, bool):
            return "ja" if value else "nee"
        if isinstance(value, date):
            return value.isoformat()
        return str(value)

    rows = [
        [region if c.name == "regio" else cell(record[c.frame_name]) for c in columns]
        for record in frame[frame["organisation"] == holder].to_dict("records")
    ]
    first = dict(zip(header, rows[0], strict=True))
    rows.append([{**first, "afspraak_id": "", "toelichting": "", **extra}[h] for h in header])
    return csv_bytes([header, *rows])


def test_a_meeting_its_actions_and_what_changed_by_the_next(app_env: Path) -> None:
    con = store.connect(app_env)
    try:
        meetings.record_meeting(con, MEERHAVEN, datetime(2026, 11, 17, 14, 0))
    finally:
        con.close()
    at = open_page("pages/overview.py", MEERHAVEN)
    assert "Vorige vergadering (17-11-2026)" in at.selectbox(key="overzicht_sinds").options[0]
    gaps = [c.value for c in at.caption if c.value.startswith("Gekoppeld aan")]
    assert gaps[0] == (
        "Gekoppeld aan: Geen opvang heeft een afspraak met Schuldhulpverlening / bewindvoering"
    )
    # three actions agreed in the meeting, each from its gap on the Overzicht (a fresh page
    # each time, as a second browser window would be)
    for number in (1, 3, 4):
        at = open_page("pages/overview.py", MEERHAVEN)
        save(at, f"actie_knelpunt_{number}_", owner="Gemeente Meerhaven")
    found = stored(app_env, MEERHAVEN)
    assert [a["gap_open"] for a in found] == [True, True, True]
    assert found[0]["link"] == {"partner_type": "schuldhulp"}

    # a week later a shelter sends its inventory again, now with the debt counselling service
    data = _inventory_of(
        app_env,
        MEERHAVEN,
        SHELTER,
        {
            "partner": "Schuldhulp Meerhaven",
            "partnertype": "schuldhulp",
            "afspraaktypes": "schulden",
            "status": "schriftelijk",
            "kindspecifiek": "ja",
            "ingangsdatum": "2026-11-20",
            "einddatum": "",
            "geevalueerd_op": "",
        },
    )
    at = open_page("pages/data.py", MEERHAVEN)
    at.file_uploader(key="upload").set_value(("afspraken_golfbreker.csv", data, "text/csv")).run()
    assert not at.exception
    preview = [m.value for m in at.markdown if "erbij" in m.value]
    assert preview == [f"**{MEERHAVEN}:** 1 afspraak erbij, 0 vervallen, 0 gewijzigd."]
    at.button(key="importeren").click().run()
    assert not at.exception

    # the next meeting: what changed since the last one, and which gaps the actions closed
    at = open_page("pages/changes.py", MEERHAVEN)
    added = next(f.value for f in at.dataframe if {"Houder", "Status"} <= set(f.value.columns))
    assert "Schuldhulp Meerhaven" in set(added["Partner"])
    assert any("Opgelost: Schuldhulpverlening / bewindvoering." in s.value for s in at.success)
    uploads = next(f.value for f in at.dataframe if "Bestand" in f.value.columns)
    assert list(uploads["Bestand"]) == ["afspraken_golfbreker.csv"]
    at = open_page("pages/actions.py", MEERHAVEN)
    assert list(action_table(at)["Knelpunt nu"]) == ["opgelost", "open", "open"]
    assert any("het knelpunt opgelost: nr. 1." in s.value for s in at.success)
