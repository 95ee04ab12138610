"""The region network: nodes, edges, measures and a stable layout (analysis/network.py)."""

from __future__ import annotations

from datetime import date, timedelta

import networkx as nx
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis.network import (
    build_network,
    layout_network,
    measure_network,
    sector_layout,
    select_agreements,
)
from tests.frames import AGREEMENT_COLUMNS

TODAY = date(2026, 9, 30)


def row(partner: str, partner_type: str = "veilig_thuis", **fields: object) -> dict:
    """One agreement row of shelter 'Opvang Noord' unless told otherwise."""
    base = {
        "organisation": "Opvang Noord",
        "organisation_type": "vrouwenopvang",
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


def frame(*rows: dict) -> pd.DataFrame:
    return pd.DataFrame(list(rows), columns=AGREEMENT_COLUMNS)


def test_multi_party_agreement_is_one_agreement_and_three_edges() -> None:
    agreements = frame(
        row("Veilig Thuis", "veilig_thuis", agreement_id="CONV-1"),
        row("Politie", "politie", agreement_id="CONV-1"),
        row("Wijkteam", "wijkteam", agreement_id="CONV-1"),
    )
    graph = build_network(agreements, TODAY)
    measures = measure_network(graph)
    assert measures.agreements == 1
    assert graph.number_of_edges() == 3
    assert measures.organisations == 4
    assert graph.nodes["Opvang Noord"]["agreements"] == 1


def test_same_id_at_two_holders_is_two_agreements_and_rows_without_id_count_each() -> None:
    agreements = frame(
        row("Politie", "politie", agreement_id="A1"),
        row("Politie", "politie", organisation="Opvang Zuid", agreement_id="A1"),
        row("GGZ", "ggz"),
        row("GGZ", "ggz"),
    )
    graph = build_network(agreements, TODAY)
    assert measure_network(graph).agreements == 4
    # two agreements with GGZ are still one edge
    assert graph.edges["Opvang Noord", "GGZ"]["agreements"] == 2
    assert graph.number_of_edges() == 3


def test_two_spellings_are_one_node_with_the_first_spelling() -> None:
    agreements = frame(
        row("Veilig Thuis  Noord", agreement_types=("meldcode",)),
        row("veilig thuis noord", agreement_types=("informatie_uitwisseling",)),
    )
    graph = build_network(agreements, TODAY)
    assert sorted(graph.nodes) == ["Opvang Noord", "Veilig Thuis Noord"]
    assert graph.number_of_edges() == 1
    assert graph.edges["Opvang Noord", "Veilig Thuis Noord"]["agreement_types"] == (
        "informatie_uitwisseling",
        "meldcode",
    )


@pytest.mark.parametrize(
    ("fields", "has_edge"),
    [
        ({"status": "beeindigd"}, False),
        ({"end_date": TODAY - timedelta(days=1)}, False),
        ({"end_date": TODAY}, True),
        ({"end_date": TODAY + timedelta(days=1)}, True),
        ({"status": "in_ontwikkeling"}, True),
        ({"status": "mondeling"}, True),
    ],
)
def test_only_current_agreements_make_edges(fields: dict, has_edge: bool) -> None:
    graph = build_network(frame(row("Politie", "politie", **fields)), TODAY)
    assert "Politie" in graph  # a partner of an ended agreement is still a node
    assert graph.has_edge("Opvang Noord", "Politie") is has_edge
    measures = measure_network(graph)
    assert measures.agreements == (1 if has_edge else 0)
    assert measures.isolated == (() if has_edge else ("Opvang Noord", "Politie"))


def test_holder_with_only_ended_agreements_is_an_isolated_node() -> None:
    agreements = frame(
        row("Politie", "politie"),
        row("GGZ", "ggz", organisation="Opvang Zuid", status="beeindigd"),
    )
    measures = measure_network(build_network(agreements, TODAY))
    assert measures.organisations == 4
    assert measures.isolated == ("GGZ", "Opvang Zuid")


def test_node_and_edge_attributes() -> None:
    agreements = frame(
        row("Stichting X", "ggz", status="mondeling"),
        row(
            "Stichting X",
            "jeugd_ggz",
            status="schriftelijk",
            child_specific=True,
            evaluated_on=date(2025, 1, 1),
            agreement_types=("traumabehandeling",),
        ),
        row("Stichting X", "ggz", status="in_ontwikkeling", evaluated_on=date(2026, 2, 1)),
        row("Opvang Noord", "vrouwenopvang", organisation="Gemeente", organisation_type="gemeente"),
    )
    graph = build_network(agreements, TODAY)
    node = graph.nodes["Stichting X"]
    assert node["partner_type"] == "ggz"  # the most frequent type given
    assert node["is_shelter"] is False
    assert node["agreements"] == 3
    assert node["agreement_types"] == ("informatie_uitwisseling", "traumabehandeling")
    # a holder takes its own organisation type, also when others name it as partner
    assert graph.nodes["Opvang Noord"]["partner_type"] == "vrouwenopvang"
    assert graph.nodes["Opvang Noord"]["is_shelter"] is True
    assert graph.nodes["Gemeente"]["partner_type"] == "gemeente"
    edge = graph.edges["Opvang Noord", "Stichting X"]
    assert edge["status"] == "schriftelijk"
    assert edge["child_specific"] is True
    assert edge["last_evaluated"] == date(2026, 2, 1)


@pytest.mark.parametrize(
    ("edges", "nodes", "density"),
    [
        ([], ["A"], 0.0),
        ([("A", "B")], [], 1.0),
        ([("A", "B"), ("B", "C")], [], 2 / 3),
        ([("A", "B")], ["C", "D"], 1 / 6),
    ],
)
def test_density(edges: list, nodes: list, density: float) -> None:
    graph = nx.Graph(edges)
    graph.add_nodes_from(nodes)
    assert measure_network(graph).density == pytest.approx(density)


def test_cut_vertices_degree_and_betweenness() -> None:
    # Opvang Noord is the only link between the police and the other partners
    agreements = frame(
        row("Politie", "politie"),
        row("GGZ", "ggz"),
        row("Wijkteam", "wijkteam"),
        row("Wijkteam", "wijkteam", organisation="GGZ", organisation_type="ggz"),
    )
    measures = measure_network(build_network(agreements, TODAY))
    assert measures.cut_vertices == ("Opvang Noord",)
    assert measures.degree == {"GGZ": 2, "Opvang Noord": 3, "Politie": 1, "Wijkteam": 2}
    assert measures.betweenness["Opvang Noord"] > 0
    assert measures.betweenness["Politie"] == 0


def test_partner_types_present_and_missing_against_the_matrix() -> None:
    matrix = pd.DataFrame(
        [
            ("veilig_thuis", "meldcode", "4.3", True),
            ("huisarts", "informatie_uitwisseling", "4.2a", False),
            ("onderwijs", "onderwijs", "3.3", True),
            ("*", "vervoer", "4.5", True),
        ],
        columns=["partner_type", "agreement_type", "norm", "child_required"],
    )
    agreements = frame(
        row("Veilig Thuis", "veilig_thuis"),
        row("Huisartsenpost", "huisarts", status="beeindigd"),
        # an agreement held by a non-shelter does not make a type present
        row("Basisschool", "onderwijs", organisation="Gemeente", organisation_type="gemeente"),
    )
    measures = measure_network(build_network(agreements, TODAY), matrix)
    assert measures.partner_types_present == ("veilig_thuis",)
    assert measures.partner_types_missing == ("huisarts", "onderwijs")


@st.composite
def random_regions(draw: st.DrawFn) -> tuple[list[tuple[int, int]], int]:
    size = draw(st.integers(min_value=2, max_value=9))
    pairs = [(i, j) for i in range(size) for j in range(i + 1, size)]
    return draw(st.lists(st.sampled_from(pairs), max_size=14)), size


@settings(max_examples=40, deadline=None)
@given(random_regions())
def test_cut_vertices_really_split_the_network(region: tuple[list, int]) -> None:
    pairs, size = region
    rows = [row(f"Org {j}", "overig", organisation=f"Org {i}") for i, j in pairs]
    # every organisation appears, some only through an ended agreement
    rows += [
        row(f"Org {i}", "overig", organisation="Org 0", status="beeindigd") for i in range(1, size)
    ]
    graph = build_network(frame(*rows), TODAY)
    cut = set(measure_network(graph).cut_vertices)
    before = nx.number_connected_components(graph)
    for node in list(graph.nodes):
        smaller = graph.copy()
        smaller.remove_node(node)
        assert (nx.number_connected_components(smaller) > before) == (node in cut), node


def test_layout_is_stable_and_independent_of_row_order() -> None:
    rows = [row(f"Partner {i}", "overig") for i in range(8)] + [
        row("Partner 1", "overig", organisation="Partner 0", organisation_type="overig")
    ]
    first = layout_network(build_network(frame(*rows), TODAY))
    again = layout_network(build_network(frame(*reversed(rows)), TODAY))
    assert first == again
    assert set(first) == {"Opvang Noord", *(f"Partner {i}" for i in range(8))}
    assert all(-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0 for x, y in first.values())
    # not all on one spot
    assert len({(round(x, 3), round(y, 3)) for x, y in first.values()}) == len(first)
    assert layout_network(build_network(frame(*rows), TODAY), seed=8) != first


def test_layout_of_a_thousand_organisations() -> None:
    # How fast it is, is for `make bench` ("netwerk opmaken (layout), 1000 organisaties");
    # its memory for tests/test_network_bounds.py. Above the size limit: the sector layout.
    graph = nx.gnm_random_graph(1000, 1500, seed=3)
    graph = nx.relabel_nodes(graph, {i: f"Org {i}" for i in graph.nodes})
    positions = layout_network(graph)
    assert positions == sector_layout(graph)
    assert set(positions) == set(graph.nodes)
    assert all(-1.0 <= x <= 1.0 and -1.0 <= y <= 1.0 for x, y in positions.values())
    assert len({(round(x, 4), round(y, 4)) for x, y in positions.values()}) == 1000
    assert all(isinstance(v, float) for xy in positions.values() for v in xy)  # not numpy


def test_empty_and_single_node_layout() -> None:
    assert layout_network(nx.Graph()) == {}
    single = nx.Graph()
    single.add_node("Opvang")
    assert layout_network(single) == {"Opvang": (0.0, 0.0)}


def test_select_agreements_as_holder_or_partner_whatever_the_spelling() -> None:
    agreements = frame(
        row("Politie", "politie"),
        row("GGZ", "ggz", organisation="Opvang Zuid"),
        row(
            "opvang  noord", "vrouwenopvang", organisation="Wijkteam", organisation_type="wijkteam"
        ),
        row("Wijkteam", "wijkteam", status="beeindigd"),  # ended agreements are listed too
    )
    assert select_agreements(agreements, "Opvang Noord")["partner"].tolist() == [
        "Politie",
        "opvang  noord",
        "Wijkteam",
    ]
    assert select_agreements(agreements, "GGZ")["organisation"].tolist() == ["Opvang Zuid"]
    assert select_agreements(agreements, "Onbekend").empty
    assert select_agreements(frame(), "Opvang Noord").empty
