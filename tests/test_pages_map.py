"""The Ketenkaart page through AppTest on the demo database (issue 8): the ego view, the lines
that say why, the marked shelter that is not judged, the counts in one set of words, and the
link that keeps filters and selection."""

from __future__ import annotations

from pathlib import Path

from tests.test_pages import WOLKENDAL, chart_spec, open_page
from ui import kaart

MAP = "pages/network_map.py"
SHELTER = "Vrouwenopvang Wolkendal"


def drawn_names(spec: dict) -> set[str]:
    names: set[str] = set()
    for trace in spec["data"]:
        if trace.get("customdata") and trace.get("meta") != kaart.CLUSTER_META:
            names.update(trace["customdata"])
    return names


def test_ego_view_shows_one_shelter_its_partners_and_its_placeholders(app_env: Path) -> None:
    at = open_page(MAP, WOLKENDAL)
    everything = drawn_names(chart_spec(at))
    at.toggle(key="ego").set_value(True).run()  # nothing chosen yet: the whole map stays
    assert drawn_names(chart_spec(at)) == everything
    assert "Kies eerst een organisatie" in " ".join(c.value for c in at.caption)
    at.selectbox(key="organisatie").set_value(SHELTER).run()
    at.toggle(key="ego").set_value(True).run()
    assert not at.exception
    spec = chart_spec(at)
    ego = drawn_names(spec)
    assert SHELTER in ego and ego < everything
    assert "Crisisopvang Het Zonnescherm" not in ego  # another shelter is left out
    lines = [t for t in spec["data"] if t.get("name") == "afspraak"]
    assert lines and all(SHELTER in hover for hover in lines[0]["hovertext"])
    labels = [note["text"] for note in spec["layout"]["annotations"]]
    assert "<b>Geen Huisarts</b>" in labels  # its placeholder stays
    # the selection's panel still shows its findings; "Selectie wissen" brings everything back
    at.button[0].click().run()
    assert at.selectbox(key="organisatie").value is None
    assert at.toggle(key="ego").value is False
    assert drawn_names(chart_spec(at)) == everything


def test_ego_view_from_the_link(app_env: Path) -> None:
    at = open_page(MAP, WOLKENDAL, organisatie=SHELTER, ego="true")
    assert at.selectbox(key="organisatie").value == SHELTER
    assert at.toggle(key="ego").value is True
    assert SHELTER in drawn_names(chart_spec(at))
    assert "Crisisopvang Het Zonnescherm" not in drawn_names(chart_spec(at))


def test_shortfalls_colour_each_line_by_its_reason(app_env: Path) -> None:
    at = open_page(MAP, WOLKENDAL, tekort="true")
    spec = chart_spec(at)
    line_names = {t["name"] for t in spec["data"] if t.get("mode") == "lines"}
    kinds = {style[0] for style in kaart.SHORTFALL_STYLES.values()}
    assert line_names & kinds  # coloured per reason
    assert not line_names & {"Schriftelijk", "Mondeling", "In ontwikkeling"}
    hovers = next(t for t in spec["data"] if t.get("name") == "afspraak")["hovertext"]
    assert hovers and all("Schiet tekort" in hover for hover in hovers)


def test_counts_use_one_set_of_words_and_the_unjudged_shelter_is_explained(
    app_env: Path,
) -> None:
    at = open_page(MAP, WOLKENDAL)
    captions = " ".join(c.value for c in at.caption)
    assert "In beeld: 32 van 32 organisaties" in captions
    assert "Een verbinding is één lijn" in captions
    panel = " ".join(m.value for m in at.markdown)
    assert "**32** organisaties" in panel and "verbindingen" in panel
    assert "niet getoetst" in panel and "Bovenregionale Vrouwenopvang De Vaart" in panel
    spec = chart_spec(at)
    unjudged = next(t for t in spec["data"] if t.get("name") == kaart.UNJUDGED_LEGEND)
    assert list(unjudged["customdata"]) == ["Bovenregionale Vrouwenopvang De Vaart"]


def test_filters_and_selection_come_from_the_link(app_env: Path) -> None:
    # (that the widgets write the link is checked in the real browser, test_browser_map.py)
    at = open_page(MAP, WOLKENDAL, organisatie=SHELTER, tekort="true")
    assert at.selectbox(key="organisatie").value == SHELTER
    assert at.toggle(key="tekort").value is True
    spec = chart_spec(at)
    assert "Geselecteerd" in [t.get("name") for t in spec["data"]]
    assert any(
        t.get("name") in {s[0] for s in kaart.SHORTFALL_STYLES.values()} for t in spec["data"]
    )


def test_map_draws_the_connections_added_since_the_last_meeting(app_env: Path) -> None:
    from ketendata import store
    from ketendata.importers import import_file

    inventory = (
        "regio;organisatie;organisatietype;partner;partnertype;afspraaktypes;status\n"
        f"{WOLKENDAL};Opvang Nieuwkomer;vrouwenopvang;Politie basisteam Wolkendal;politie;"
        "informatie_uitwisseling;schriftelijk\n"
    ).encode()
    with store.writing(app_env) as con:
        import_file(con, inventory, "nieuwkomer.csv")
    at = open_page(MAP, WOLKENDAL)
    assert not any(t.get("name") in NEW_OR_ENDED for t in chart_spec(at)["data"])
    at.toggle(key="veranderd").set_value(True).run()
    assert not at.exception
    spec = chart_spec(at)
    added = next(t for t in spec["data"] if t.get("name") == kaart.CHANGE_STYLES["added"][0])
    assert added["line"]["color"] == kaart.CHANGE_STYLES["added"][1]
    assert len([x for x in added["x"] if x is not None]) >= 2  # at least the new connection
    captions = " ".join(c.value for c in at.caption)
    assert "met een nieuwe afspraak" in captions


NEW_OR_ENDED = {style[0] for style in kaart.CHANGE_STYLES.values()}
