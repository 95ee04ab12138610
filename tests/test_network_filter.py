"""What the Ketenkaart offers and shows beside the map (analysis/network_filter.py); the filter
itself is tested with the map in tests/test_pages.py."""

from __future__ import annotations

import networkx as nx
import pytest

from analysis.network_filter import partner_type_options, select_node_findings
from analysis.norms import Finding


def region() -> nx.Graph:
    graph = nx.Graph()
    graph.add_node("Opvang A", partner_type="vrouwenopvang", is_shelter=True)
    graph.add_node("Opvang B", partner_type="maatschappelijke_opvang", is_shelter=True)
    graph.add_node("Politie", partner_type="politie", is_shelter=False)
    graph.add_node("Veilig Thuis", partner_type="veilig_thuis", is_shelter=False)
    graph.add_node("Stichting X", partner_type="overig", is_shelter=False)
    graph.add_edge("Opvang A", "Politie")
    graph.add_edge("Opvang B", "Veilig Thuis")
    return graph


def test_partner_type_options_in_code_list_order_without_shelter_types() -> None:
    assert partner_type_options(region()) == ["veilig_thuis", "politie", "overig"]


def test_partner_type_options_include_the_types_nobody_has() -> None:
    # the norm asks for a GP; no shelter has one, yet one can filter the map on it
    options = partner_type_options(region(), ["huisarts", "politie"])
    assert options == ["veilig_thuis", "politie", "huisarts", "overig"]
    assert partner_type_options(nx.Graph(), ["huisarts"]) == ["huisarts"]


FINDINGS = [
    Finding("Opvang A", "politie", "veiligheid", "4.2b", "met", ""),
    Finding("Opvang A", "veilig_thuis", "meldcode", "4.3", "missing", ""),
    Finding("Opvang B", "politie", "veiligheid", "4.2b", "partial", ""),
    Finding("Opvang B", "veilig_thuis", "meldcode", "4.3", "met", ""),
]


@pytest.mark.parametrize(
    ("node", "expected"),
    [
        ("Opvang A", [0, 1]),  # a shelter: its own findings
        ("Opvang B", [2, 3]),
        ("Politie", [0, 2]),  # a partner: every shelter's findings on its partner type
        ("Veilig Thuis", [1, 3]),
        ("Stichting X", []),  # the norm asks nothing of this type
    ],
)
def test_select_node_findings(node: str, expected: list[int]) -> None:
    assert select_node_findings(region(), node, FINDINGS) == [FINDINGS[i] for i in expected]
