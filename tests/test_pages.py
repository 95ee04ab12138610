"""The dashboard pages with AppTest on the demo data: each renders, each reacts to one action.

Plus the pure helpers of the map (filtering, node selection, layout) tested directly: AppTest
cannot click a plotly node.
"""

from __future__ import annotations

import json
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from streamlit.testing.v1 import AppTest

from analysis import network_filter
from analysis.norms import Finding
from ketendata import store
from ketendata.samples.demo import DEMO_REGIONS
from ketendata.store import queries
from ui import kaart, map_chart

APP = str(Path(__file__).resolve().parents[1] / "app.py")
TIMEOUT = 30
WOLKENDAL = "Demoregio Wolkendal"
DUINRADE = "Demoregio Duinrade"

DEFAULT_PAGE = "pages/overview.py"
PAGES = [
    ("pages/overview.py", "Overzicht"),
    ("pages/network_map.py", "Ketenkaart"),
    ("pages/norms.py", "Normenkader"),
    ("pages/handovers.py", "Overdracht"),
    ("pages/stagnation.py", "Stagnatie"),
    ("pages/comparison.py", "Regio's vergelijken"),
    ("pages/data.py", "Gegevens"),
]


def open_page(page: str, region: str | None = None, **params: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=TIMEOUT)
    if region is not None:
        at.query_params["regio"] = region
    for key, value in params.items():
        at.query_params[key] = value
    at.run()
    if page != DEFAULT_PAGE:  # the first run shows the default page already
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def chart_spec(at: AppTest, index: int = 0) -> dict:
    """The figure of the page's ``index``-th chart: Streamlit's plotly charts first, then the
    Ketenkaart's map in its own frame (``ui/map_chart.py``, its figure among the frame's
    arguments)."""
    charts = [json.loads(chart.proto.spec) for chart in at.get("plotly_chart")]
    charts += [
        json.loads(json.loads(frame.proto.json_args)["figure"])
        for frame in at.get("component_instance")
        if frame.proto.component_name == map_chart.FRAME_TITLE
    ]
    return charts[index]


def table(at: AppTest, column: str) -> pd.DataFrame:
    """The first table on the page that has ``column``."""
    for frame in at.dataframe:
        if column in frame.value.columns:
            return frame.value
    raise AssertionError(f"no table with column {column!r}")


def has_table(at: AppTest, column: str) -> bool:
    return any(column in frame.value.columns for frame in at.dataframe)


def metrics(at: AppTest) -> dict[str, str]:
    return {m.label: m.value for m in at.metric}


def dump(path: Path) -> dict:
    con = store.connect(path)  # same process: DuckDB shares the app's open database
    try:
        return store.dump_content(con)
    finally:
        con.close()


# --- Every page renders --------------------------------------------------------------------


@pytest.mark.parametrize(("page", "title"), PAGES)
def test_every_page_renders_with_demo_data(app_env: Path, page: str, title: str) -> None:
    at = open_page(page, WOLKENDAL)
    assert at.title[0].value == title
    assert not at.error
    assert at.selectbox(key="regio").value == WOLKENDAL


@pytest.mark.parametrize(("page", "title"), PAGES)
def test_every_page_explains_an_empty_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, page: str, title: str
) -> None:
    import streamlit as st

    monkeypatch.setenv("KETENKAART_DB", str(tmp_path / "leeg.duckdb"))
    st.cache_resource.clear()
    st.cache_data.clear()
    at = open_page(page)
    assert at.title[0].value == title
    texts = " ".join(i.value for i in at.info)
    assert "nog geen regio's" in texts


# --- Overzicht -----------------------------------------------------------------------------


def test_overview_numbers_change_with_the_region(app_env: Path) -> None:
    at = open_page("pages/overview.py", WOLKENDAL)
    before = metrics(at)
    assert before["Organisaties"] == "32"
    assert "Warm overgedragen" in before
    at.selectbox(key="regio").set_value(DUINRADE).run()
    assert not at.exception
    after = metrics(at)
    assert after["Organisaties"] != before["Organisaties"]
    assert DUINRADE in at.caption[0].value


def test_overview_lists_five_gaps_with_norm_and_link(app_env: Path) -> None:
    at = open_page("pages/overview.py", WOLKENDAL)
    gaps = [m.value for m in at.markdown if m.value[:1].isdigit()]
    assert len(gaps) == 5
    assert all("norm" in gap or "inspectie" in gap for gap in gaps)
    # Wolkendal has no agreement with any GP at all: the heaviest gap
    assert "Huisarts" in gaps[0]
    assert len(at.get("page_link")) >= 5


def test_overview_shows_change_against_previous_period(app_env: Path) -> None:
    at = open_page("pages/overview.py", WOLKENDAL)
    warm = next(m for m in at.metric if m.label == "Warm overgedragen")
    assert "procentpunt" in warm.delta


# --- Ketenkaart ----------------------------------------------------------------------------


def test_map_shows_shelters_legend_and_missing_partner_type(app_env: Path) -> None:
    at = open_page("pages/network_map.py", WOLKENDAL)
    spec = chart_spec(at)
    names = [trace.get("name") for trace in spec["data"]]
    assert "Vrouwenopvang" in names and "Veiligheid" in names  # Dutch legend labels
    assert "Ontbreekt" in names
    labels = [note["text"] for note in spec["layout"]["annotations"]]
    assert "Veilig Thuis" in labels and "<b>Geen Huisarts</b>" in labels  # sector names
    assert kaart.node_count(spec) == 32
    shelters = next(t for t in spec["data"] if t.get("name") == "Vrouwenopvang")
    assert shelters["marker"]["symbol"] == "star"


def test_map_filter_on_partner_type_shows_fewer_nodes(app_env: Path) -> None:
    at = open_page("pages/network_map.py", WOLKENDAL)
    before = kaart.node_count(chart_spec(at))
    at.multiselect(key="partnertypes").set_value(["veilig_thuis"]).run()
    assert not at.exception
    spec = chart_spec(at)
    after = kaart.node_count(spec)
    assert after < before
    drawn = {t.get("name") for t in spec["data"] if t.get("customdata")}
    assert drawn == {
        "Veiligheid",
        "Vrouwenopvang",
        "Maatschappelijke opvang",
        kaart.UNJUDGED_LEGEND,
    }
    labels = [note["text"] for note in spec["layout"]["annotations"]]
    assert "Veilig Thuis" in labels and "Politie" not in labels  # only that sector is named


def test_map_only_shortfalls_drops_written_only_partners(app_env: Path) -> None:
    at = open_page("pages/network_map.py", WOLKENDAL)
    before = kaart.node_count(chart_spec(at))
    at.toggle(key="tekort").set_value(True).run()
    assert not at.exception
    assert kaart.node_count(chart_spec(at)) < before


def test_selecting_an_organisation_shows_its_agreements(app_env: Path) -> None:
    at = open_page("pages/network_map.py", WOLKENDAL)
    at.selectbox(key="organisatie").set_value("Vrouwenopvang Wolkendal").run()
    assert not at.exception
    agreements = table(at, "Houder")
    assert "Vrouwenopvang Wolkendal" in set(agreements["Houder"])
    assert "Politie basisteam Wolkendal" in set(agreements["Partner"])
    findings = table(at, "Oordeel")
    assert set(findings["Organisatie"]) == {"Vrouwenopvang Wolkendal"}
    # the selection is highlighted on the map
    assert "Geselecteerd" in [t.get("name") for t in chart_spec(at)["data"]]
    at.button[0].click().run()  # "Selectie wissen"
    assert at.selectbox(key="organisatie").value is None


@pytest.mark.parametrize(
    ("selection", "expected"),
    [
        ({"selection": {"points": [{"customdata": "Politie"}]}}, "Politie"),
        ({"selection": {"points": [{"customdata": ["Politie"]}]}}, "Politie"),
        ({"selection": {"points": [{"x": 1}, {"customdata": "GGZ"}]}}, "GGZ"),
        ({"selection": {"points": [{"customdata": "Onbekend"}]}}, None),
        ({"selection": {"points": []}}, None),
        ({"selection": None}, None),
        (None, None),
        ("tekst", None),
    ],
)
def test_selection_to_name(selection: object, expected: str | None) -> None:
    assert kaart.selection_to_name(selection, ["Politie", "GGZ"]) == expected


def _tiny_graph() -> nx.Graph:
    graph = nx.Graph()
    graph.add_node("Opvang", partner_type="vrouwenopvang", is_shelter=True)
    graph.add_node("VT", partner_type="veilig_thuis", is_shelter=False)
    graph.add_node("School", partner_type="onderwijs", is_shelter=False)
    graph.add_node("Los", partner_type="huisarts", is_shelter=False)
    graph.add_edge("Opvang", "VT", status="schriftelijk", agreement_types=("meldcode",))
    graph.add_edge("Opvang", "School", status="mondeling", agreement_types=("onderwijs",))
    return graph


@pytest.mark.parametrize(
    ("map_filter", "findings", "nodes", "edges"),
    [
        (network_filter.MapFilter(), [], {"Opvang", "VT", "School", "Los"}, 2),
        (network_filter.MapFilter(partner_types=("onderwijs",)), [], {"Opvang", "School"}, 1),
        (network_filter.MapFilter(agreement_type="meldcode"), [], {"Opvang", "VT"}, 1),
        (network_filter.MapFilter(statuses=("mondeling",)), [], {"Opvang", "School"}, 1),
        (network_filter.MapFilter(only_shortfalls=True), [], {"Opvang", "School", "Los"}, 1),
        (
            network_filter.MapFilter(only_shortfalls=True),
            [Finding("Opvang", "veilig_thuis", "meldcode", "4.3", "partial", "")],
            {"Opvang", "VT", "School", "Los"},
            2,
        ),
    ],
)
def test_filter_network(
    map_filter: network_filter.MapFilter, findings: list[Finding], nodes: set[str], edges: int
) -> None:
    shown = network_filter.filter_network(_tiny_graph(), map_filter, findings)
    assert set(shown.nodes) == nodes
    assert shown.number_of_edges() == edges


def test_map_figure_styles_edges_by_status_and_escapes_names() -> None:
    graph = _tiny_graph()
    graph.add_node("<b>X</b>", partner_type="politie", is_shelter=False)
    graph.add_edge("Opvang", "<b>X</b>", status="in_ontwikkeling", agreement_types=())
    positions = kaart.display_positions(graph)
    spec = kaart.build_map_figure(graph, positions, ["huisarts"], selected="<b>X</b>")
    spec = spec.to_plotly_json()
    lines = {t["name"]: t["line"]["dash"] for t in spec["data"] if t.get("mode") == "lines"}
    assert lines == {
        "sectoren": "solid",
        "Schriftelijk": "solid",
        "Mondeling": "dash",
        "In ontwikkeling": "dot",
        "Ontbrekende afspraak": "dot",
        "Afspraken van de selectie": "solid",  # the selected organisation's own lines on top
    }
    safety = next(t for t in spec["data"] if t.get("name") == "Veiligheid")
    assert "<b>X</b>" in list(safety["customdata"])  # the name itself, for the selection
    labels = [note["text"] for note in spec["layout"]["annotations"]]
    assert "&lt;b&gt;X&lt;/b&gt;" in labels  # the selected name shown as text


def test_map_layout_is_the_same_every_time(app_env: Path) -> None:
    first = chart_spec(open_page("pages/network_map.py", WOLKENDAL))
    second = chart_spec(open_page("pages/network_map.py", WOLKENDAL))
    assert first["data"] == second["data"]


def test_big_graph_uses_hover_labels() -> None:
    graph = nx.Graph()
    graph.add_node("Opvang", partner_type="vrouwenopvang", is_shelter=True)
    for i in range(300):
        graph.add_node(f"Partner {i}", partner_type="wijkteam", is_shelter=False)
        graph.add_edge("Opvang", f"Partner {i}", status="schriftelijk", agreement_types=())
    positions = kaart.display_positions(graph)
    spec = kaart.build_map_figure(graph, positions).to_plotly_json()
    partners = next(t for t in spec["data"] if t.get("name") == "School en wijk")
    assert partners["mode"] == "markers" and len(partners["hovertext"]) == 300
    assert kaart.node_count(spec) == 301


# --- Normenkader ---------------------------------------------------------------------------


def test_norms_matrix_and_filtered_findings(app_env: Path) -> None:
    at = open_page("pages/norms.py", WOLKENDAL)
    heatmap = chart_spec(at)["data"][0]
    assert heatmap["type"] == "heatmap"
    assert len(heatmap["x"]) == 3  # the three shelters of Wolkendal
    assert any("Ontbreekt" in cell for row in heatmap["hovertext"] for cell in row)
    everything = table(at, "Oordeel")
    at.multiselect(key="oordeel").set_value(["missing"]).run()
    missing = table(at, "Oordeel")
    assert 0 < len(missing) < len(everything)
    assert set(missing["Oordeel"]) == {"Ontbreekt"}
    labels = {b.label for b in at.get("download_button")}
    assert labels == {"Download als Excel", "Download als CSV"}


# --- Overdracht ----------------------------------------------------------------------------


def test_handovers_page_shows_sankey_and_filters_gaps(app_env: Path) -> None:
    at = open_page("pages/handovers.py", DUINRADE)
    kinds = {
        t["type"] for i in range(len(at.get("plotly_chart"))) for t in chart_spec(at, i)["data"]
    }
    assert "sankey" in kinds
    gaps = table(at, "Knelpunt")
    at.multiselect(key="knelpunt").set_value(["no_regisseur"]).run()
    only = table(at, "Knelpunt")
    assert 0 < len(only) < len(gaps)
    assert set(only["Knelpunt"]) == {"Geen regisseur belegd"}


def test_handovers_page_older_period(app_env: Path) -> None:
    at = open_page("pages/handovers.py", WOLKENDAL)
    assert at.selectbox(key="periode").value == "2026-Q3"
    at.selectbox(key="periode").set_value("2025-Q4").run()
    assert not at.exception
    assert any("2025-Q4" in s.value for s in at.subheader)


# --- Stagnatie -----------------------------------------------------------------------------


def test_stagnation_ranked_and_filtered_by_domain(app_env: Path) -> None:
    at = open_page("pages/stagnation.py", DUINRADE)
    ranked = table(at, "Ernst")
    assert list(ranked["Ernst"]) == sorted(ranked["Ernst"], reverse=True)
    assert "Wonen" in set(ranked["Domein"])
    types = {
        t["type"] for i in range(len(at.get("plotly_chart"))) for t in chart_spec(at, i)["data"]
    }
    assert types == {"scatter", "heatmap"}
    at.multiselect(key="domein").set_value(["wonen"]).run()
    only = table(at, "Ernst")
    assert 0 < len(only) < len(ranked)
    assert set(only["Domein"]) == {"Wonen"}


# --- Gegevens ------------------------------------------------------------------------------

VALID = (
    "regio;organisatie;partner;partnertype;afspraaktypes;status\n"
    f"{WOLKENDAL};Vrouwenopvang Wolkendal;Huisartsenpost Wolkendal;huisarts;"
    "informatie_uitwisseling;schriftelijk\n"
).encode()

INVALID = (
    "regio;organisatie;partner;partnertype;afspraaktypes;status\n"
    f"{WOLKENDAL};Vrouwenopvang Wolkendal;Huisartsenpost;dokter;meldcode;schriftelijk\n"
    f"{WOLKENDAL};Vrouwenopvang Wolkendal;Politie;politie;meldcode;misschien\n"
).encode()


def newest_import(path: Path, region: str | None = None) -> int:
    con = store.connect(path)
    try:
        return int(queries.list_imports(con, region)["id"].iloc[0])
    finally:
        con.close()


def test_upload_valid_file_imports_a_new_version(app_env: Path) -> None:
    expected_id = newest_import(app_env) + 1
    at = open_page("pages/data.py", WOLKENDAL)
    at.file_uploader(key="upload").set_value(("afspraken.csv", VALID, "text/csv")).run()
    assert not at.exception
    preview = table(at, "rij")
    assert preview["partner"].tolist() == ["Huisartsenpost Wolkendal"]
    # codes as the labels of the template's dropdowns
    assert preview["partnertype"].tolist() == ["Huisarts"]
    assert preview["afspraaktypes"].tolist() == ["Informatie-uitwisseling"]
    assert preview["status"].tolist() == ["Schriftelijk"]
    at.button(key="importeren").click().run()
    assert not at.exception
    success = [s.value for s in at.success if f"geïmporteerd als import {expected_id}" in s.value]
    assert success and "1 rij opgeslagen in 1 nieuwe versie." in success[0]
    con = store.connect(app_env)
    try:
        frames = queries.region_frames(con, WOLKENDAL)
    finally:
        con.close()
    mine = frames.agreements[frames.agreements["organisation"] == "Vrouwenopvang Wolkendal"]
    assert mine["partner"].tolist() == ["Huisartsenpost Wolkendal"]
    assert any("afspraken.csv" in t.value and "1 rij opgeslagen" in t.value for t in at.text)


def test_upload_preview_shows_labels_of_multi_valued_and_status_cells(app_env: Path) -> None:
    data = VALID.replace(
        b"informatie_uitwisseling;schriftelijk", b"meldcode|vervoer;in_ontwikkeling"
    )
    at = open_page("pages/data.py", WOLKENDAL)
    at.file_uploader(key="upload").set_value(("afspraken.csv", data, "text/csv")).run()
    preview = table(at, "rij")
    assert preview["afspraaktypes"].tolist() == ["Meldcode Veilig Thuis, Vervoer"]
    assert preview["status"].tolist() == ["In ontwikkeling"]


def test_upload_bad_file_lists_every_problem_and_changes_nothing(app_env: Path) -> None:
    at = open_page("pages/data.py", WOLKENDAL)
    before = dump(app_env)
    at.file_uploader(key="upload").set_value(("fout.csv", INVALID, "text/csv")).run()
    assert not at.exception
    problems = table(at, "Probleem")
    assert list(problems.columns) == ["Rij", "Kolom", "Waarde", "Probleem", "Verwacht"]
    assert list(problems["Rij"]) == [2, 3]
    assert list(problems["Waarde"]) == ["dokter", "misschien"]
    assert problems["Verwacht"].iloc[1] == (
        "een van: Schriftelijk, Mondeling, In ontwikkeling of Beëindigd"
    )
    assert any("kan niet worden geïmporteerd: 2 problemen." in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "importeren"]
    assert not has_table(at, "rij")
    assert dump(app_env) == before


def test_bad_cells_and_an_unknown_region_are_shown_together_before_importing(
    app_env: Path,
) -> None:
    data = INVALID.replace(WOLKENDAL.encode(), b"Demoregio Wolkendaal")
    at = open_page("pages/data.py", WOLKENDAL)
    before = dump(app_env)
    at.file_uploader(key="upload").set_value(("fout.csv", data, "text/csv")).run()
    assert not at.exception
    problems = table(at, "Probleem")
    assert list(zip(problems["Rij"], problems["Kolom"], problems["Probleem"], strict=True)) == [
        (2, "partnertype", "onbekend partnertype"),
        (2, "regio", "onbekende regio"),
        (3, "status", "onbekende status"),
    ]
    assert problems["Verwacht"].iloc[1].startswith(f"bedoelt u '{WOLKENDAL}'?")
    assert any("3 problemen" in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "importeren"]
    # Creating new regions takes away the region problem only; the cells still refuse the file.
    at.checkbox(key="nieuwe_regio").check().run()
    problems = table(at, "Probleem")
    assert list(problems["Probleem"]) == ["onbekend partnertype", "onbekende status"]
    assert not [b for b in at.button if b.key == "importeren"]
    assert dump(app_env) == before


def test_unknown_region_needs_the_new_region_checkbox(app_env: Path) -> None:
    data = VALID.replace(WOLKENDAL.encode(), b"Regio Nieuwland")
    at = open_page("pages/data.py", WOLKENDAL)
    at.file_uploader(key="upload").set_value(("nieuw.csv", data, "text/csv")).run()
    problems = table(at, "Probleem")
    assert list(problems["Probleem"]) == ["onbekende regio"]
    assert "Nieuwe regio's aanmaken" in problems["Verwacht"].iloc[0]
    assert any("1 probleem." in e.value for e in at.error)
    assert not [b for b in at.button if b.key == "importeren"]
    at.checkbox(key="nieuwe_regio").check().run()
    assert any(
        "Deze nieuwe regio wordt" in i.value and "Regio Nieuwland" in i.value for i in at.info
    )
    at.button(key="importeren").click().run()
    assert not at.exception
    assert "Regio Nieuwland" in at.selectbox(key="regio").options


def test_undo_asks_for_confirmation(app_env: Path) -> None:
    newest = newest_import(app_env, WOLKENDAL)  # the demo's 2026-Q3 stagnation survey
    at = open_page("pages/data.py", WOLKENDAL)
    at.button(key=f"undo_{newest}").click().run()
    assert any("ongedaan maken?" in w.value for w in at.warning)
    at.button(key="undo_annuleren").click().run()
    assert not [w for w in at.warning if "ongedaan maken?" in w.value]
    at.button(key=f"undo_{newest}").click().run()
    at.button(key="undo_bevestigen").click().run()
    assert not at.exception
    assert any("is ongedaan gemaakt" in s.value for s in at.success)
    at.switch_page("pages/stagnation.py").run()
    assert at.selectbox(key="uitvraag").value == "2026-Q2"  # 2026-Q3 no longer counts


def test_templates_can_be_downloaded(app_env: Path) -> None:
    at = open_page("pages/data.py", WOLKENDAL)
    labels = {b.label for b in at.get("download_button")}
    assert labels == {"Sjabloon afspraken", "Sjabloon overdrachten", "Sjabloon stagnatie"}


def test_demo_button_fills_an_empty_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import streamlit as st

    monkeypatch.setenv("KETENKAART_DB", str(tmp_path / "leeg.duckdb"))
    monkeypatch.setenv("KETENKAART_TODAY", "2026-11-24")
    st.cache_resource.clear()
    st.cache_data.clear()
    at = open_page("pages/data.py")
    at.button(key="demo_laden").click().run()
    assert not at.exception
    assert at.selectbox(key="regio").options == sorted(DEMO_REGIONS)


# --- Regio's vergelijken -------------------------------------------------------------------

SMALL_REGION = (
    b"regio;organisatie;periode;fase;partnertype;gezinnen;warm\n"
    b"Regio Klein;Opvang Klein;2026-Q3;uitstroom;wijkteam;3;2\n"
)


def test_comparison_hides_small_family_counts(app_env: Path) -> None:
    con = store.connect(app_env)
    try:
        from ketendata.importers import import_file

        import_file(con, SMALL_REGION, "klein.csv", new_region=True)
    finally:
        con.close()
    at = open_page("pages/comparison.py", WOLKENDAL)
    figures = table(at, "Gezinnen overgedragen")
    assert list(figures["Regio"]) == [*sorted(DEMO_REGIONS), "Regio Klein"]
    families = dict(zip(figures["Regio"], figures["Gezinnen overgedragen"], strict=True))
    assert families["Regio Klein"] == "< 5"
    assert families["Demoregio Wolkendal"] == "75"


def test_region_without_handovers_says_so(app_env: Path) -> None:
    con = store.connect(app_env)
    try:
        from ketendata.importers import import_file

        import_file(
            con,
            VALID.replace(WOLKENDAL.encode(), b"Regio Leeg"),
            "leeg.csv",
            new_region=True,
        )
    finally:
        con.close()
    at = open_page("pages/handovers.py", "Regio Leeg")
    assert any("nog geen overdrachten" in i.value for i in at.info)
    at = open_page("pages/stagnation.py", "Regio Leeg")
    assert any("nog geen stagnatie-uitvraag" in i.value for i in at.info)


@pytest.mark.parametrize("module", ["ui.common", "ui.kaart"])
def test_helper_doctests(module: str) -> None:
    """The page helpers' examples hold (pytest does not collect pages/: page files draw)."""
    import doctest
    import importlib

    result = doctest.testmod(importlib.import_module(module))
    assert result.attempted > 0 and result.failed == 0


def test_a_region_gets_its_own_norm_matrix_and_goes_back_to_the_default(app_env: Path) -> None:
    matrix = b"partnertype;afspraaktype;norm;kind\r\nveilig_thuis;meldcode;4.3;ja\r\n"
    at = open_page("pages/data.py", WOLKENDAL)
    assert any("standaard-normenmatrix (29 eisen" in c.value for c in at.caption)
    at.file_uploader(key="matrix_upload").set_value(("matrix.csv", matrix, "text/csv")).run()
    at.button(key="matrix_opslaan").click().run()
    assert not at.exception
    assert any("eigen normenmatrix met 1 eis." in s.value for s in at.success)
    at = open_page("pages/norms.py", WOLKENDAL)
    assert len(table(at, "Oordeel")) == 3  # one requirement for each of the three shelters
    assert len(chart_spec(at)["data"][0]["y"]) == 1
    at = open_page("pages/data.py", WOLKENDAL)
    at.button(key="matrix_standaard").click().run()
    assert any("standaard-normenmatrix" in s.value for s in at.success)
