"""Small numbers for an opvang user (access.md): other shelters' family counts below 5 read
"< 5" in the Overdracht page's charts, the "Na vertrek" view, the Vergadering's ranking and
the downloaded memo; the comparison of regions hides them for every role.

AppTest on the demo database with users made through ``ketendata.access``; in Demoregio
Wolkendal (2026-Q3) Vrouwenopvang Wolkendal had 2 families in doorstroom, Gezinsopvang De
Paraplu 2 and 3 in two uitstroom flows, and every shelter 1 family who moved to another region.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from streamlit import config
from streamlit.testing.v1 import AppTest

from analysis.report import SCHEMA, build_report, render_json
from ketendata import access, store
from ketendata.access import LOCAL
from ketendata.importers import import_file
from ketendata.store import queries
from ui.downloads import meeting_file

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TODAY = date(2026, 11, 24)  # conftest's fixed "today"
WOLKENDAL = "Demoregio Wolkendal"
OWN = "Gezinsopvang De Paraplu"
OTHER = "Vrouwenopvang Wolkendal"

PARAPLU = "team@paraplu.nl"  # opvang of De Paraplu
GEMEENTE = "gemeente@wolkendal.nl"
LEZER = "lid@werkgroep.nl"


@pytest.fixture
def users(app_env: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The demo database with an opvang user of De Paraplu, a gemeente and a lezer of
    Wolkendal, behind the proxy (``KETENKAART_AUTH=proxy``)."""
    with store.writing(app_env) as con:
        access.add_user(con, PARAPLU, "opvang", [WOLKENDAL], OWN, principal=LOCAL)
        access.add_user(con, GEMEENTE, "gemeente", [WOLKENDAL], principal=LOCAL)
        access.add_user(con, LEZER, "lezer", [WOLKENDAL], principal=LOCAL)
    monkeypatch.setenv("KETENKAART_AUTH", "proxy")
    before = config.get_option("server.trustedUserHeaders")
    config.set_option("server.trustedUserHeaders", {"X-Forwarded-Email": "email"})
    try:
        yield app_env
    finally:
        config.set_option("server.trustedUserHeaders", before)


def run_page(email: str | None, page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    if email is not None:
        at.user = {"email": email}
    at.run()
    at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart(at: AppTest, trace_type: str) -> dict:
    """The figure of the page's first plotly chart with a trace of this type."""
    for element in at.get("plotly_chart"):
        figure = json.loads(element.proto.spec)
        if any(trace.get("type") == trace_type for trace in figure["data"]):
            return figure
    raise AssertionError(f"no {trace_type} chart")


def principal(path: Path, email: str) -> access.Principal:
    with store.reading(path) as con:
        found = access.principal_for(con, email)
    assert found is not None
    return found


# --- Overdracht: the bar chart and the Sankey ---------------------------------------------------


def _doorstroom_bar(at: AppTest) -> dict[str, float | None]:
    figure = chart(at, "bar")
    [trace] = [t for t in figure["data"] if t["name"] == "Doorstroom"]
    return dict(zip(trace["x"], trace["y"], strict=True))


def test_an_opvang_user_sees_no_bar_of_another_shelters_share_of_fewer_than_5(users) -> None:
    at = run_page(PARAPLU, "pages/handovers.py")
    assert _doorstroom_bar(at) == {OTHER: None}  # 2 of 2: a bar of 100% would say it
    assert any("1 staaf staat er niet in" in c.value for c in at.caption)
    bars = chart(at, "bar")["data"]
    own = next(t for t in bars if t["name"] == "Uitstroom")
    assert all(y is not None for y in own["y"])  # every shelter's uitstroom has 5 or more
    gemeente = run_page(GEMEENTE, "pages/handovers.py")
    assert _doorstroom_bar(gemeente) == {OTHER: 100.0}
    assert not any("staat er niet in" in c.value for c in gemeente.caption)


def _flows(at: AppTest) -> list[tuple[str, int, str]]:
    sankey = chart(at, "sankey")["data"][0]
    labels = sankey["node"]["label"]
    link = sankey["link"]
    return [
        (labels[s], v, c)
        for s, v, c in zip(link["source"], link["value"], link["customdata"], strict=True)
    ]


def test_the_sankey_leaves_out_other_shelters_flows_of_fewer_than_5(users) -> None:
    flows = _flows(run_page(PARAPLU, "pages/handovers.py"))
    others = [(name, value, text) for name, value, text in flows if name != OWN]
    assert others and all(value >= 5 for _, value, _ in others)
    assert all(" van " not in text for _, _, text in others)  # shares, no warm counts
    assert sorted(v for name, v, _ in flows if name == OWN) == [2, 3, 7]  # its own, all
    gemeente = _flows(run_page(GEMEENTE, "pages/handovers.py"))
    assert len(gemeente) == 8 and len(flows) == 8 - 2
    assert ("Vrouwenopvang Wolkendal", 4, "4 van 4 warm") in gemeente


# --- Overdracht: Na vertrek ----------------------------------------------------------------------


def _after_departure(at: AppTest, shelter: str) -> tuple[list[dict], dict]:
    at.selectbox(key="na_vertrek_opvang").set_value(shelter).run()
    assert not at.exception
    table = next(f.value for f in at.dataframe if "Naar andere regio" in f.value.columns)
    figure = json.loads(
        next(e for e in at.get("plotly_chart") if "na_vertrek" in e.proto.id).proto.spec
    )
    return table.to_dict("records"), figure


def test_na_vertrek_of_another_shelter_hides_its_small_counts(users) -> None:
    at = run_page(PARAPLU, "pages/handovers.py")
    rows, figure = _after_departure(at, OTHER)
    assert {str(r["Naar andere regio"]) for r in rows} == {"< 5"}  # 1 family moved each time
    assert {r["Met regisseur in nieuwe gemeente"] for r in rows} == {"verborgen"}
    assert all(str(r["Gezinnen bij uitstroom"]) != "1" for r in rows)
    names = {trace["name"] for trace in figure["data"]}
    assert "Regisseur in de nieuwe gemeente (van wie verhuisde)" not in names
    assert "Half jaar vinger aan de pols" in names  # 8 to 12 families a period: shown
    own, _ = _after_departure(at, OWN)
    assert {r["Met regisseur in nieuwe gemeente"] for r in own} == {"1 van 1 (100%)"}
    gemeente, _ = _after_departure(run_page(GEMEENTE, "pages/handovers.py"), OTHER)
    assert {r["Met regisseur in nieuwe gemeente"] for r in gemeente} == {"1 van 1 (100%)"}


# --- Vergadering: the ranking ---------------------------------------------------------------------

TINY = (
    "regio;organisatie;periode;fase;partnertype;gezinnen;warm\n"
    f"{WOLKENDAL};Opvang Klein;2026-Q3;uitstroom;wijkteam;3;1\n"
).encode()


def _ranking(email: str) -> list[dict]:
    at = run_page(email, "pages/meeting.py")
    at.segmented_control(key="vergadering_stap").set_value("Overdracht").run()
    assert not at.exception, [e.value for e in at.exception]
    table = next(f.value for f in at.dataframe if "Alle fasen" in f.value.columns)
    return table.to_dict("records"), at


def test_the_meeting_ranking_hides_other_shelters_small_counts(users: Path) -> None:
    with store.writing(users) as con:  # a shelter with 3 families in all (1 warm)
        import_file(con, TINY, "klein.csv", principal=LOCAL)
    rows, at = _ranking(PARAPLU)
    last = rows[-1]
    assert last["Opvangorganisatie"] == "Opvang Klein"  # not ranked: its place tells its share
    assert (str(last["Gezinnen"]), last["Uitstroom"], last["Alle fasen"]) == (
        "< 5", "verborgen", "verborgen"
    )  # fmt: skip
    assert last["Rang"] is None or str(last["Rang"]) in ("<NA>", "nan", "None")
    assert [r["Rang"] for r in rows[:-1]] == [1, 2, 3]
    other = next(r for r in rows if r["Opvangorganisatie"] == OTHER)
    assert (other["Doorstroom"], other["Zwakste fase"]) == ("verborgen", "verborgen")
    own = next(r for r in rows if r["Opvangorganisatie"] == OWN)
    assert own["Alle fasen"] != "verborgen"
    assert any("zonder rang" in c.value for c in at.caption)
    assert not any("Opvang Klein" in m.value for m in at.markdown if "Laagste" in m.value)
    gemeente, at = _ranking(GEMEENTE)
    assert gemeente[0]["Opvangorganisatie"] == "Opvang Klein"  # 33%: the lowest
    assert gemeente[0]["Rang"] == 1 and str(gemeente[0]["Gezinnen"]) == "3"
    assert any("Opvang Klein" in m.value for m in at.markdown if "Laagste" in m.value)


# --- Downloads: the memo and the report ----------------------------------------------------------


#: "< 5" as the memo writes it (Markdown-escaped; a reader sees "< 5").
HIDDEN = "&lt; 5"


def _memo(path: Path, who: access.Principal) -> str:
    return meeting_file(str(path), WOLKENDAL, "markdown", TODAY, None, who)().decode("utf-8")


def _gap_rows(memo: str, organisation: str, partner_type: str) -> list[list[str]]:
    rows = [
        [cell.strip() for cell in line.strip("|").split("|")]
        for line in memo.splitlines()
        if line.startswith(f"| {organisation} |")
    ]
    return [r for r in rows if r[1].startswith(partner_type)]


def test_the_memo_of_an_opvang_user_hides_other_shelters_small_gaps(users: Path) -> None:
    memo = _memo(users, principal(users, PARAPLU))
    other = _gap_rows(memo, "Crisisopvang Het Zonnescherm", "Onderwijs")  # 3 families
    assert other and all(r[3:5] == [HIDDEN, "verborgen"] and r[6] == "verborgen" for r in other)
    assert {r[3] for r in _gap_rows(memo, OTHER, "Woningcorporatie")} == {HIDDEN}  # 4 families
    assert {r[3] for r in _gap_rows(memo, OTHER, "Wijkteam")} == {"8"}  # 5 or more: shown
    own = _gap_rows(memo, OWN, "Woningcorporatie")
    assert {r[3] for r in own} == {"3"} and all(r[6] != "verborgen" for r in own)
    full = _memo(users, principal(users, GEMEENTE))
    assert {r[3] for r in _gap_rows(full, "Crisisopvang Het Zonnescherm", "Onderwijs")} == {"3"}
    assert _memo(users, LOCAL) == full  # the gemeente and the beheerder (the CLI's) see all


def test_the_masked_report_keeps_the_schema_keys(users: Path) -> None:
    with store.reading(users) as con:
        frames = queries.region_frames(con, WOLKENDAL)
    report = build_report(
        WOLKENDAL, frames.agreements, frames.handovers, frames.stagnation, frames.matrix, TODAY
    )
    shown = access.shown_report(principal(users, PARAPLU), report)
    assert shown["schema"] == SCHEMA and list(shown) == list(report)
    assert [list(g) for g in shown["handover_gaps"]] == [list(g) for g in report["handover_gaps"]]
    hidden = [g for g in json.loads(render_json(shown))["handover_gaps"] if g["families"] == "< 5"]
    assert hidden and {g["organisation"] for g in hidden} == {
        "Crisisopvang Het Zonnescherm", OTHER
    }  # fmt: skip
    assert all(g["warm_share"] == "verborgen" == g["reason"] for g in hidden)
    assert shown["top_gaps"] == report["top_gaps"] and shown["stagnation"] == report["stagnation"]
    assert access.shown_report(principal(users, LEZER), report) == report  # reads as a gemeente
    assert report["handover_gaps"][0]["families"] == 3  # the report itself is unchanged


# --- Regio's vergelijken, for every role ---------------------------------------------------------

MEERHAVEN_Q4 = (
    b"regio;organisatie;periode;fase;partnertype;gezinnen;warm\n"
    b"Demoregio Meerhaven;Gezinsopvang De Meeuw;2026-Q4;uitstroom;wijkteam;3;1\n"
)


@pytest.mark.parametrize("email", [None, GEMEENTE, PARAPLU, LEZER])
def test_the_comparison_hides_small_counts_for_every_role(
    users: Path, email: str | None, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Meerhaven's latest period (2026-Q4) has 3 families: "< 5" and its share hidden, for the
    beheerder, the gemeente, the opvang user and the lezer of Wolkendal alike."""
    with store.writing(users) as con:
        import_file(con, MEERHAVEN_Q4, "meerhaven.csv", principal=LOCAL)
    if email is None:  # the local beheerder
        monkeypatch.setenv("KETENKAART_AUTH", "lokaal")
    at = run_page(email, "pages/comparison.py")
    if email is not None:
        assert at.selectbox(key="regio").options == [WOLKENDAL]
    table = next(f.value for f in at.dataframe if "Gezinnen overgedragen" in f.value.columns)
    rows = {r["Regio"]: r for r in table.to_dict("records")}
    assert len(rows) == 3  # every region, also those outside the user's own
    meerhaven = rows["Demoregio Meerhaven"]
    assert (meerhaven["Gezinnen overgedragen"], meerhaven["Warme overdrachten"]) == (
        "< 5", "verborgen"
    )  # fmt: skip
    assert rows[WOLKENDAL]["Gezinnen overgedragen"] == "75"  # 2026-Q3, every phase
    moves = next(f.value for f in at.dataframe if "Naar andere regio" in f.value.columns)
    for column in ("Naar andere regio", "Met regisseur in nieuwe gemeente"):
        assert all(v in ("< 5", "–") or int(v) >= 5 for v in moves[column]), column
    warm = next(t for t in chart(at, "bar")["data"] if t["name"] == "Warme overdrachten")
    assert dict(zip(warm["x"], warm["y"], strict=True))["Demoregio Meerhaven"] is None
