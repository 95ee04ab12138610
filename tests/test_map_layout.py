"""The Ketenkaart's layout and drawing (issue 8): sectors with meaning, deterministic, one new
partner moves only its own sector; names that do not meet, readable colours, lines that say why,
the ego view. Pure functions on hand-made networks; the pages are in test_pages_map.py and the
real browser in test_browser_map.py."""

from __future__ import annotations

import math
import re

import networkx as nx
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import codes
from analysis.network import SECTORS, display_positions, sector_angle, sector_layout
from analysis.network_filter import ego_network, shortfall_reasons
from analysis.norms import Finding
from ui import kaart

PARTNER_CODES = [c for c in codes.PARTNER_TYPES if c not in codes.SHELTER_TYPES]


def region(partners: dict[str, str], shelters: tuple[str, ...] = ("Opvang A",)) -> nx.Graph:
    """Shelters that each have an agreement with every partner (name -> partner type)."""
    graph = nx.Graph()
    for shelter in shelters:
        graph.add_node(shelter, partner_type="vrouwenopvang", is_shelter=True, is_holder=True)
    for name, kind in partners.items():
        graph.add_node(name, partner_type=kind, is_shelter=False, is_holder=False)
        for shelter in shelters:
            graph.add_edge(shelter, name, status="schriftelijk", agreement_types=("meldcode",))
    return graph


def sector_index(x: float, y: float) -> int:
    """Which of the equal sectors (clockwise from the top) a point lies in."""
    turned = (math.pi / 2 - math.atan2(y, x)) % (2 * math.pi)
    width = 2 * math.pi / len(SECTORS)
    return int(((turned + width / 2) % (2 * math.pi)) // width)


# --- The order of the sectors ---------------------------------------------------------------


def test_sectors_follow_the_norm_and_cover_every_partner_type() -> None:
    assert sorted(SECTORS) == sorted(PARTNER_CODES)
    assert SECTORS[0] == "veilig_thuis"  # safety first, straight up
    order = [SECTORS.index(c) for c in ("politie", "jeugdhulp", "onderwijs", "wijkteam")]
    order += [SECTORS.index(c) for c in ("woningcorporatie", "werk_inkomen")]
    assert order == sorted(order)  # then youth care, school, neighbourhood team, housing, income
    # the colour groups are contiguous runs of sectors, in the same order
    assert [c for group in kaart.PARTNER_GROUPS.values() for c in group] == list(SECTORS)
    assert sector_angle("veilig_thuis") == math.pi / 2


def test_every_partner_stands_in_its_own_sector_and_the_shelters_in_the_middle() -> None:
    partners = {f"{code} {i}": code for code in PARTNER_CODES for i in range(3)}
    graph = region(partners, shelters=("Opvang A", "Opvang B", "Opvang C"))
    positions = display_positions(graph)
    assert positions == sector_layout(graph)
    for name, kind in partners.items():
        x, y = positions[name]
        assert 0.45 <= math.hypot(x, y) <= 1.0
        assert sector_index(x, y) == SECTORS.index(kind), name
    for shelter in ("Opvang A", "Opvang B", "Opvang C"):
        assert math.hypot(*positions[shelter]) <= 0.3


names = st.text(alphabet="abcdefghij KLMNOP", min_size=1, max_size=12).map(str.strip).filter(bool)
regions = st.dictionaries(names, st.sampled_from(PARTNER_CODES), min_size=1, max_size=40)


@settings(max_examples=60, deadline=None)
@given(partners=regions, extra=names, kind=st.sampled_from(PARTNER_CODES))
def test_layout_is_deterministic_and_a_new_partner_moves_only_its_sector(
    partners: dict[str, str], extra: str, kind: str
) -> None:
    graph = region(partners)
    first = sector_layout(graph)
    # the same data in another order gives the same picture
    reordered = nx.Graph()
    reordered.add_nodes_from(reversed(list(graph.nodes(data=True))))
    reordered.add_edges_from(reversed(list(graph.edges(data=True))))
    assert sector_layout(reordered) == first
    if extra in partners or extra == "Opvang A":
        return
    grown = region({**partners, extra: kind})
    after = sector_layout(grown)
    moved = {name for name in first if first[name] != after[name]}
    assert all(partners.get(name) == kind for name in moved), moved
    assert sector_index(*after[extra]) == SECTORS.index(kind)


# --- Names on the map -----------------------------------------------------------------------


def relative_luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(first: str, second: str = "#ffffff") -> float:
    a, b = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (a + 0.05) / (b + 0.05)


def busy_region() -> nx.Graph:
    partners = {f"Partner {code} {i}": code for code in PARTNER_CODES for i in range(2)}
    shelters = ("Crisisopvang Het Zonnescherm", "Vrouwenopvang Wolkendal", "Opvang Lange Naam")
    graph = region(partners, shelters)
    graph.add_node(
        "Bovenregionale Vrouwenopvang De Vaart",
        partner_type="vrouwenopvang",
        is_shelter=True,
        is_holder=False,
    )
    graph.add_edge("Bovenregionale Vrouwenopvang De Vaart", "Vrouwenopvang Wolkendal")
    return graph


def overlapping(boxes: list[tuple[float, float, float, float]]) -> list[tuple[int, int]]:
    return [
        (i, j)
        for i, a in enumerate(boxes)
        for j, b in enumerate(boxes)
        if i < j and a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]
    ]


def test_labels_never_meet_stay_inside_and_are_large_and_dark() -> None:
    graph = busy_region()
    positions = display_positions(graph)
    for selected in (None, "Vrouwenopvang Wolkendal", "Partner ggz 1"):
        figure = kaart.build_map_figure(graph, positions, ["huisarts"], selected=selected)
        notes = figure.layout.annotations
        texts = [note.text for note in notes]
        boxes = kaart.label_boxes(figure)
        assert overlapping(boxes) == []
        assert all(kaart.X_RANGE[0] <= b[0] and b[2] <= kaart.X_RANGE[1] for b in boxes), (
            "a name cut off at the edge"
        )
        assert all(note.font.size >= 12 for note in notes)
        assert all(contrast(note.font.color) >= 4.5 for note in notes)
        plain = [re.sub(r"<[^>]+>", " ", t) for t in texts]
        # the shelters, the missing partner type and the sectors in use carry names
        assert any("Zonnescherm" in t for t in plain) and any("Wolkendal" in t for t in plain)
        assert "<b>Geen Huisarts</b>" in texts
        assert "Veilig Thuis" in texts and "Schuldhulp" in texts
        if selected == "Partner ggz 1":
            assert any("Partner ggz 1" in t for t in plain)
    # a partner's name is not on the map until it is selected (it is on hover)
    plain_map = kaart.build_map_figure(graph, positions, ["huisarts"])
    assert not any("Partner ggz 1" in n.text for n in plain_map.layout.annotations)


def test_colours_have_a_second_cue_and_enough_contrast() -> None:
    symbols = {style[2] for style in kaart.GROUP_STYLES.values()}
    assert len(symbols) == len(kaart.GROUP_STYLES)  # every group its own marker symbol
    dashes = {style[1] for style in kaart.LINE_STYLES.values()}
    assert len(dashes) == len(kaart.LINE_STYLES)  # every status its own dash pattern
    shortfall_dashes = {style[2] for style in kaart.SHORTFALL_STYLES.values()}
    assert len(shortfall_dashes) == len(kaart.SHORTFALL_STYLES)
    assert contrast(kaart.TEXT_COLOUR) >= 4.5 and contrast(kaart.MISSING_COLOUR) >= 4.5


def test_unjudged_shelter_is_drawn_open_and_explained() -> None:
    graph = busy_region()
    spec = kaart.build_map_figure(graph, display_positions(graph)).to_plotly_json()
    unjudged = next(t for t in spec["data"] if t.get("name") == kaart.UNJUDGED_LEGEND)
    assert list(unjudged["customdata"]) == ["Bovenregionale Vrouwenopvang De Vaart"]
    assert unjudged["marker"]["symbol"] == "star-open"
    assert "niet getoetst" in unjudged["hovertext"][0]
    judged = next(t for t in spec["data"] if t.get("name") == "Vrouwenopvang")
    assert judged["marker"]["symbol"] == "star" and len(judged["customdata"]) == 3


def test_a_click_fades_nothing() -> None:
    graph = busy_region()
    spec = kaart.build_map_figure(graph, display_positions(graph)).to_plotly_json()
    for trace in spec["data"]:
        if "markers" in trace.get("mode", ""):
            assert (
                trace["unselected"]["marker"]["opacity"] == trace["selected"]["marker"]["opacity"]
            )
    edge_points = next(t for t in spec["data"] if t.get("name") == "afspraak")
    assert "customdata" not in edge_points  # a click on a line selects nobody


# --- Lines that say why ---------------------------------------------------------------------


def shortfall_region() -> tuple[nx.Graph, list[Finding]]:
    graph = nx.Graph()
    graph.add_node("Opvang", partner_type="vrouwenopvang", is_shelter=True, is_holder=True)
    for name, kind in (("VT", "veilig_thuis"), ("School", "onderwijs"), ("GGZ", "ggz")):
        graph.add_node(name, partner_type=kind, is_shelter=False)
    graph.add_node("Wijkteam", partner_type="wijkteam", is_shelter=False)
    graph.add_edge("Opvang", "VT", status="schriftelijk", agreement_types=("meldcode",))
    graph.add_edge("Opvang", "School", status="mondeling", agreement_types=("onderwijs",))
    graph.add_edge("Opvang", "GGZ", status="schriftelijk", agreement_types=("zorg",))
    graph.add_edge("Opvang", "Wijkteam", status="schriftelijk", agreement_types=("regie",))
    findings = [
        Finding("Opvang", "veilig_thuis", "meldcode", "4.3", "partial", "VT; nooit geëvalueerd"),
        Finding(
            "Opvang",
            "ggz",
            "zorg",
            "4.4",
            "partial",
            "GGZ; geldt niet specifiek voor kinderen, terwijl de norm dat vraagt",
        ),
        Finding("Opvang", "wijkteam", "regie", "4.1", "met", "Wijkteam; geëvalueerd"),
    ]
    return graph, findings


def test_each_line_that_falls_short_says_why() -> None:
    graph, findings = shortfall_region()
    reasons = shortfall_reasons(graph, findings)
    assert reasons[("Opvang", "VT")][0] == "evaluatie"
    assert reasons[("Opvang", "School")] == ("niet_schriftelijk", "Afspraak alleen mondeling")
    assert reasons[("GGZ", "Opvang")][0] == "kindspecifiek"
    assert ("Opvang", "Wijkteam") not in reasons  # met: not a shortfall
    spec = kaart.build_map_figure(graph, display_positions(graph), reasons=reasons).to_plotly_json()
    lines = {t["name"]: t for t in spec["data"] if t.get("mode") == "lines"}
    for kind in ("niet_schriftelijk", "evaluatie", "kindspecifiek"):
        name, colour, dash = kaart.SHORTFALL_STYLES[kind]
        assert lines[name]["line"]["color"] == colour and lines[name]["line"]["dash"] == dash
    hovers = next(t for t in spec["data"] if t.get("name") == "afspraak")["hovertext"]
    assert any("Schiet tekort" in h and "nooit geëvalueerd" in h for h in hovers)
    assert any("Schiet tekort" in h and "kinderen" in h for h in hovers)


def test_status_lines_without_the_shortfall_filter() -> None:
    graph, _ = shortfall_region()
    spec = kaart.build_map_figure(graph, display_positions(graph)).to_plotly_json()
    lines = {t["name"]: t for t in spec["data"] if t.get("mode") == "lines"}
    assert lines["Schriftelijk"]["line"]["dash"] == "solid"
    assert lines["Mondeling"]["line"]["dash"] == "dash"
    assert "In ontwikkeling" not in lines  # no such agreement


def test_edge_hover_names_the_level_when_agreed_only_per_case() -> None:
    graph, _ = shortfall_region()
    graph.edges["Opvang", "School"]["levels"] = ("client",)
    spec = kaart.build_map_figure(graph, display_positions(graph)).to_plotly_json()
    hovers = next(t for t in spec["data"] if t.get("name") == "afspraak")["hovertext"]
    assert any("Niveau:" in h and "alleen per casus" in h for h in hovers)


# --- The ego view ---------------------------------------------------------------------------


def test_ego_view_keeps_one_shelter_its_partners_and_its_placeholders() -> None:
    graph = busy_region()
    graph.add_node("Eigen partner", partner_type="jgz", is_shelter=False)
    graph.add_edge("Opvang Lange Naam", "Eigen partner", status="schriftelijk")
    graph.remove_edges_from([("Opvang Lange Naam", f"Partner huisarts {i}") for i in range(2)])
    findings = [
        Finding("Opvang Lange Naam", "huisarts", "zorg", "4.2a", "missing", ""),
        Finding("Opvang Lange Naam", "jgz", "zorg", "4.2a", "missing", ""),  # has a JGZ partner
        Finding("Vrouwenopvang Wolkendal", "politie", "veiligheid", "4.2b", "missing", ""),
    ]
    ego, holes = ego_network(graph, "Opvang Lange Naam", findings)
    assert "Eigen partner" in ego and "Vrouwenopvang Wolkendal" not in ego
    assert all("Opvang Lange Naam" in edge for edge in ego.edges)
    assert holes == ["huisarts"]
    figure = kaart.build_map_figure(ego, display_positions(graph), holes, "Opvang Lange Naam")
    assert "<b>Geen Huisarts</b>" in [n.text for n in figure.layout.annotations]
    assert ego_network(graph, "Onbekend", findings)[0].number_of_nodes() == 0


def test_a_click_on_an_organisation_never_lands_on_a_line() -> None:
    # a line's invisible hover point keeps its distance from every organisation, so plotly's
    # closest hover (which favours the small point) picks the organisation under the pointer
    graph = busy_region()
    for i in range(40):  # many partners of one type: lines cross near the middle
        graph.add_node(f"Wijkteam {i:02d}", partner_type="wijkteam", is_shelter=False)
        for shelter in ("Crisisopvang Het Zonnescherm", "Vrouwenopvang Wolkendal"):
            graph.add_edge(shelter, f"Wijkteam {i:02d}", status="mondeling")
    positions = display_positions(graph)
    spec = kaart.build_map_figure(graph, positions).to_plotly_json()
    points = next(t for t in spec["data"] if t.get("name") == "afspraak")
    nodes = list(positions.values())
    clear = [
        min(math.hypot(x - nx_, y - ny_) for nx_, ny_ in nodes)
        for x, y in zip(points["x"], points["y"], strict=True)
    ]
    assert len(clear) == graph.number_of_edges()
    assert sum(c < 0.08 for c in clear) <= 0.02 * len(clear)  # (a line too short to avoid them)
    segments = [(positions[a], positions[b]) for a, b in graph.edges]
    assert kaart.hover_spots(segments, nodes) == kaart.hover_spots(segments, nodes)
