"""A large region costs memory in proportion to its size, never n × n (issue 14, item 5).

Above the size limit (:func:`analysis.network.is_large_network`) the layout is the sector
layout and the map is drawn clustered, one node per partner type (issue 8). Here: the layout and
the measures of 5,000 and 20,000 partners complete within a linear memory budget (tracemalloc's
peak, far below one n × n array), the clustered figure has one point per cluster whatever the
size, the layout is deterministic and a new partner moves only its own sector, and the pages say
in Dutch why the map is clustered. How fast this is, is for ``make bench`` (section ``kaart``).
"""

from __future__ import annotations

import csv
import io
import json
import math
import random
import tracemalloc
from collections.abc import Callable
from datetime import date
from pathlib import Path

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from streamlit.testing.v1 import AppTest

from analysis.network import (
    CLUSTER_CONNECTIONS,
    CLUSTER_ORGANISATIONS,
    SECTORS,
    build_network,
    cluster_network,
    display_positions,
    is_large_network,
    layout_network,
    measure_network,
    sector_angle,
    sector_layout,
)
from ketendata import importers, store
from tests.frames import AGREEMENT_COLUMNS
from tests.test_pages import chart_spec
from ui import kaart

TODAY = date(2026, 9, 30)
SHELTERS = (("Opvang Rood", "vrouwenopvang"), ("Gezinsopvang Rood", "maatschappelijke_opvang"))

#: Memory a large region may take per organisation while it is laid out, measured or drawn.
#: Measured: 100 to 330 bytes (layout 0.7 MB at 5,000 partners, 3.0 MB at 20,000); one n × n
#: array of floats takes 8·n bytes per organisation, and the old dense layout peaked at 1 GB
#: for 5,000 partners (200 kB per organisation).
BYTES_PER_ORGANISATION = 4_096


def agreement(holder: str, holder_type: str, partner: str, partner_type: str, **fields) -> dict:
    base = {
        "organisation": holder,
        "organisation_type": holder_type,
        "partner": partner,
        "partner_type": partner_type,
        "agreement_types": ("informatie_uitwisseling",),
        "level": "organisatie",
        "status": "schriftelijk",
        "child_specific": False,
        "start_date": None,
        "end_date": None,
        "evaluated_on": None,
        "agreement_id": None,
        "note": None,
        "source_row": 2,
    }
    base.update(fields)
    return base


def region_rows(partners: int) -> list[dict]:
    """``partners`` partners dealt over two shelters and every partner type in turn; every
    third agreement verbal."""
    rows = []
    for i in range(partners):
        holder, holder_type = SHELTERS[i % 2]
        status = "mondeling" if i % 3 == 0 else "schriftelijk"
        rows.append(
            agreement(
                holder, holder_type, f"Partner {i:05d}", SECTORS[i % len(SECTORS)], status=status
            )
        )
    return rows


def frame(rows: list[dict]) -> pd.DataFrame:
    return pd.DataFrame(rows, columns=AGREEMENT_COLUMNS)


@pytest.fixture(scope="module")
def regions() -> dict[int, nx.Graph]:
    return {n: build_network(frame(region_rows(n)), TODAY) for n in (5_000, 20_000)}


def peak_bytes(run: Callable[[], object]) -> tuple[object, int]:
    """What ``run`` returns and the peak of memory it allocated on the way (tracemalloc)."""
    tracemalloc.start()
    try:
        result = run()
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    return result, peak


def budget(organisations: int) -> int:
    limit = BYTES_PER_ORGANISATION * organisations
    assert limit < 8 * organisations**2 / 4  # the test tells linear from quadratic
    return limit


# --- Layout and measures ----------------------------------------------------------------------


@pytest.mark.parametrize("partners", [5_000, 20_000])
def test_layout_of_a_large_region_takes_linear_memory(
    regions: dict[int, nx.Graph], partners: int
) -> None:
    graph = regions[partners]
    assert is_large_network(graph)
    positions, peak = peak_bytes(lambda: display_positions(graph, layout_network(graph, seed=7)))
    assert peak < budget(graph.number_of_nodes()), f"{peak / 1e6:.1f} MB"
    assert set(positions) == set(graph.nodes)
    assert all(math.hypot(x, y) <= 1.0 + 1e-9 for x, y in positions.values())
    assert len({(round(x, 6), round(y, 6)) for x, y in positions.values()}) == len(positions)
    # the shelters stand in the middle, the partners around them
    assert all(math.hypot(*positions[name]) <= 0.3 for name, _ in SHELTERS)
    assert all(
        math.hypot(*xy) >= 0.4 for node, xy in positions.items() if node.startswith("Partner")
    )


@pytest.mark.parametrize("partners", [5_000, 20_000])
def test_measures_of_a_large_region_take_linear_memory(
    regions: dict[int, nx.Graph], partners: int
) -> None:
    graph = regions[partners]
    measures, peak = peak_bytes(lambda: measure_network(graph))
    assert peak < budget(graph.number_of_nodes()), f"{peak / 1e6:.1f} MB"
    assert measures.organisations == partners + 2
    assert measures.cut_vertices == ("Gezinsopvang Rood", "Opvang Rood")


def test_betweenness_of_a_large_region_is_a_seeded_estimate_in_linear_memory(
    regions: dict[int, nx.Graph],
) -> None:
    graph = regions[5_000]
    values, peak = peak_bytes(lambda: dict(measure_network(graph).betweenness))
    assert peak < budget(graph.number_of_nodes()), f"{peak / 1e6:.1f} MB"
    assert values == dict(measure_network(graph).betweenness)  # the same estimate every time
    # the two shelters carry every shortest path between their partners; a partner none
    assert values["Opvang Rood"] > 0.2 and values["Gezinsopvang Rood"] > 0.2
    assert values["Partner 00000"] == 0.0


def test_the_force_layout_below_the_limit_takes_no_n_by_n_memory() -> None:
    graph = nx.gnm_random_graph(CLUSTER_ORGANISATIONS, CLUSTER_CONNECTIONS, seed=3)
    graph = nx.relabel_nodes(graph, {i: f"Org {i:03d}" for i in graph.nodes})
    assert not is_large_network(graph)
    positions, peak = peak_bytes(lambda: layout_network(graph, seed=7))
    # one n × n array of floats would be 2 MB; the blocked pairwise step needs a few rows of it
    assert peak < 8 * CLUSTER_ORGANISATIONS**2, f"{peak / 1e6:.1f} MB"
    assert positions != sector_layout(graph)  # a force layout, not the sectors
    assert len({(round(x, 4), round(y, 4)) for x, y in positions.values()}) == len(positions)


@pytest.mark.parametrize(
    ("nodes", "edges", "large"),
    [
        (CLUSTER_ORGANISATIONS, 0, False),
        (CLUSTER_ORGANISATIONS + 1, 0, True),
        (100, CLUSTER_CONNECTIONS, False),
        (100, CLUSTER_CONNECTIONS + 1, True),
    ],
)
def test_size_limit(nodes: int, edges: int, large: bool) -> None:
    graph = nx.gnm_random_graph(nodes, edges, seed=1)
    assert is_large_network(graph) is large
    # the sector layout is kept as it is for drawing; a small network's layout is spread
    layout = layout_network(graph)
    assert (display_positions(graph, layout) == layout) is large


# --- The clustered figure ---------------------------------------------------------------------


@pytest.mark.parametrize("partners", [5_000, 20_000])
def test_clustered_figure_has_one_point_per_cluster(
    regions: dict[int, nx.Graph], partners: int
) -> None:
    graph = regions[partners]
    positions = display_positions(graph, layout_network(graph))
    kaart.build_map_figure(nx.path_graph(3), {0: (0, 0), 1: (1, 1), 2: (2, 2)})  # plotly warm
    figure, peak = peak_bytes(
        lambda: kaart.build_map_figure(graph, positions, ["huisarts"], selected="Partner 00007")
    )
    spec = figure.to_plotly_json()
    assert peak < budget(graph.number_of_nodes()), f"{peak / 1e6:.1f} MB"
    assert kaart.is_clustered(spec)
    clusters = next(t for t in spec["data"] if t.get("meta") == kaart.CLUSTER_META)
    assert len(clusters["x"]) == len(clusters["customdata"]) == len(SECTORS)
    assert [code for _, code in clusters["customdata"]] == list(SECTORS)  # the norm's order
    assert sum(count for count, _ in clusters["customdata"]) == partners
    assert (
        list(clusters["text"])[0]
        == {5_000: "Veilig Thuis (264)", 20_000: "Veilig Thuis (1.053)"}[partners]
    )
    shelters = [
        t for t in spec["data"] if t.get("name") in ("Vrouwenopvang", "Maatschappelijke opvang")
    ]
    assert sorted(n for t in shelters for n in t["customdata"]) == [
        "Gezinsopvang Rood",
        "Opvang Rood",
    ]
    assert kaart.node_count(spec) == partners + 2  # every organisation counted once
    # the figure's size does not grow with the region: a point per cluster, shelter and link
    points = sum(len(t.get("x") or ()) for t in spec["data"] if t.get("mode") != "lines")
    assert points <= 3 * len(SECTORS) * len(SHELTERS) + len(SECTORS) + 4
    assert len(json.dumps(spec, default=str)) < 100_000
    # a click on a cluster names its partner type, never an organisation
    point = {"customdata": clusters["customdata"][3]}
    selection = {"selection": {"points": [point]}}
    assert kaart.selection_to_partner_type(selection, SECTORS) == SECTORS[3]
    assert kaart.selection_to_name(selection, graph.nodes) is None


def test_clustered_figure_counts_links_by_status() -> None:
    graph = build_network(frame(region_rows(CLUSTER_ORGANISATIONS + 19)), TODAY)
    summary = cluster_network(graph)
    link = next(
        x for x in summary.links if x.ends == (("opvang", "Opvang Rood"), ("partnertype", "ggz"))
    )
    partners = [p for p in graph["Opvang Rood"] if graph.nodes[p]["partner_type"] == "ggz"]
    written = sum(graph.edges["Opvang Rood", p]["status"] == "schriftelijk" for p in partners)
    assert (link.written, link.other) == (written, len(partners) - written)
    spec = kaart.build_map_figure(graph, layout_network(graph)).to_plotly_json()
    hovers = [h for t in spec["data"] if t.get("name") == "afspraken" for h in t["hovertext"]]
    assert any(
        h.startswith("Opvang Rood – GGZ (")
        and f"{link.connections} verbindingen: {link.written} schriftelijk" in h
        for h in hovers
    )


def test_cluster_note_says_why_and_how_many_behind_each_cluster(
    regions: dict[int, nx.Graph],
) -> None:
    note = kaart.cluster_note(regions[5_000])
    assert "5.002 organisaties in beeld, meer dan 500" in note
    assert "geclusterd" in note and "per partnertype" in note
    assert "Veilig Thuis 264" in note and "Overig 263" in note
    assert "2 opvangorganisaties" in note


# --- Deterministic, and a new partner moves only its sector ------------------------------------


def test_same_data_same_picture(regions: dict[int, nx.Graph]) -> None:
    rows = region_rows(5_000)
    random.Random(4).shuffle(rows)
    again = build_network(frame(rows), TODAY)
    first = display_positions(regions[5_000], layout_network(regions[5_000]))
    assert display_positions(again, layout_network(again)) == first
    figure = kaart.build_map_figure(regions[5_000], first, ["huisarts"]).to_plotly_json()
    assert kaart.build_map_figure(again, first, ["huisarts"]).to_plotly_json() == figure


def _sector_gap(angle: float, partner_type: str) -> float:
    """How far ``angle`` lies from the middle of the partner type's sector (radians)."""
    return abs((angle - sector_angle(partner_type) + math.pi) % (2 * math.pi) - math.pi)


@settings(max_examples=25, deadline=None)
@given(
    partner_type=st.sampled_from(SECTORS),
    name=st.text(alphabet="abcdefghijXYZ", min_size=1, max_size=12),
    holder=st.sampled_from(SHELTERS),
)
def test_a_new_partner_moves_only_its_sector(
    partner_type: str, name: str, holder: tuple[str, str]
) -> None:
    rows = region_rows(CLUSTER_ORGANISATIONS + 40)
    before = layout_network(build_network(frame(rows), TODAY))
    newcomer = f"Nieuw {name}"
    added = build_network(frame([*rows, agreement(*holder, newcomer, partner_type)]), TODAY)
    after = layout_network(added)
    assert set(after) == set(before) | {newcomer}
    moved = {node for node in before if after[node] != before[node]}
    assert all(added.nodes[node]["partner_type"] == partner_type for node in moved)
    x, y = after[newcomer]
    assert _sector_gap(math.atan2(y, x), partner_type) <= math.pi / len(SECTORS)


def test_a_new_partner_in_a_5000_region_leaves_the_other_sectors(
    regions: dict[int, nx.Graph],
) -> None:
    rows = region_rows(5_000) + [agreement(*SHELTERS[0], "Nieuwe school", "onderwijs")]
    added = build_network(frame(rows), TODAY)
    before, after = layout_network(regions[5_000]), layout_network(added)
    moved = {node for node in before if after[node] != before[node]}
    assert moved and {added.nodes[node]["partner_type"] for node in moved} == {"onderwijs"}


# --- The pages --------------------------------------------------------------------------------

APP = str(Path(__file__).resolve().parents[1] / "app.py")
LARGE = "Regio Rood"
LARGE_PARTNERS = 1_200


def large_region_csv(partners: int) -> bytes:
    """An upload file of a large region, only its required columns (as an attacker's file)."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(
        ["regio", "organisatie", "organisatietype", "partner", "partnertype", "afspraaktypes"]
        + ["status"]
    )
    for row in region_rows(partners):
        writer.writerow(
            [LARGE, row["organisation"], row["organisation_type"], row["partner"]]
            + [row["partner_type"], "informatie_uitwisseling", row["status"]]
        )
    return buffer.getvalue().encode("utf-8-sig")


@pytest.fixture
def large_app(app_env: Path) -> Path:
    con = store.open_database(app_env)
    try:
        importers.import_file(con, large_region_csv(LARGE_PARTNERS), "rood.csv", new_region=True)
    finally:
        con.close()
    return app_env


def open_page(page: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["regio"] = LARGE
    at.run()
    if page != "pages/overview.py":
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def test_map_of_a_large_region_is_clustered_and_says_why(large_app: Path) -> None:
    at = open_page("pages/network_map.py")
    spec = chart_spec(at)
    assert kaart.is_clustered(spec)
    assert kaart.node_count(spec) == LARGE_PARTNERS + 2
    note = " ".join(i.value for i in at.info)
    assert "geclusterd" in note and "1.202 organisaties in beeld" in note
    assert "Veilig Thuis 64" in note  # how many organisations behind a cluster
    assert "In beeld: 1202 van 1202 organisaties" in " ".join(c.value for c in at.caption)
    # one partner type: few enough to draw each organisation, in its sector
    at.multiselect(key="partnertypes").set_value(["ggz"]).run()
    assert not at.exception, [e.value for e in at.exception]
    spec = chart_spec(at)
    assert not kaart.is_clustered(spec)
    assert not any("geclusterd" in i.value for i in at.info)
    drawn = {t.get("name") for t in spec["data"] if t.get("customdata")}
    assert drawn == {"Zorg", "Vrouwenopvang", "Maatschappelijke opvang"}  # GGZ is in the group Zorg
    assert kaart.node_count(spec) == 63 + 2


def test_overview_of_a_large_region(large_app: Path) -> None:
    at = open_page("pages/overview.py")
    assert {m.label: m.value for m in at.metric}["Organisaties"] == str(LARGE_PARTNERS + 2)
