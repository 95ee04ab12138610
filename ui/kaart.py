"""Drawing the Ketenkaart: draw the region's network with plotly, read a node click.

Pure helpers (no Streamlit) so the page stays thin and the tests can call them directly. What
the map shows (the filters) and where the organisations stand (the layout) are analysis:
:mod:`analysis.network_filter` and :mod:`analysis.network`.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import plotly.graph_objects as go

from analysis import codes, network
from analysis.network import display_positions as display_positions  # for ui.common, the tests
from analysis.network import sort_names
from analysis.network_filter import DEMONSTRABLE_STATUSES
from ketendata.wording import plural

__all__ = [
    "EDGE_STATUSES",
    "LABEL_LIMIT",
    "MISSING_COLOUR",
    "PARTNER_COLOURS",
    "SHELTER_STYLE",
    "SOLID_STATUSES",
    "WEBGL_LIMIT",
    "build_map_figure",
    "cluster_note",
    "display_positions",
    "is_clustered",
    "node_count",
    "plotly_text",
    "selection_to_name",
    "selection_to_partner_type",
]

#: Up to this many organisations every node carries its name; above it only the shelters do
#: and the other names show on hover.
LABEL_LIMIT = 40

#: From this many organisations the nodes are drawn with WebGL.
WEBGL_LIMIT = 1000

#: Statuses drawn as a solid line (demonstrable); every other current status is dashed.
SOLID_STATUSES = DEMONSTRABLE_STATUSES

#: Statuses an edge can have (``beeindigd`` agreements make no edge).
EDGE_STATUSES = ("schriftelijk", "mondeling", "in_ontwikkeling")

MISSING_COLOUR = "#c62828"

_PALETTE = (
    "#1f77b4",
    "#2ca02c",
    "#9467bd",
    "#8c564b",
    "#e377c2",
    "#17becf",
    "#bcbd22",
    "#7f7f7f",
    "#ff7f0e",
    "#393b79",
    "#637939",
    "#8c6d31",
    "#843c39",
    "#7b4173",
    "#3182bd",
    "#31a354",
    "#756bb1",
    "#636363",
    "#e6550d",
)

#: A fixed colour per partner type, so a type has the same colour in every region.
PARTNER_COLOURS: dict[str, str] = {
    code: _PALETTE[i % len(_PALETTE)]
    for i, code in enumerate(c for c in codes.PARTNER_TYPES if c not in codes.SHELTER_TYPES)
}

#: Shelters stand out: a large marker with its own symbol per shelter type.
SHELTER_STYLE: dict[str, tuple[str, str]] = {
    "vrouwenopvang": ("star", "#d81b60"),
    "maatschappelijke_opvang": ("diamond", "#5e35b1"),
}


def plotly_text(text: object) -> str:
    """User text for plotly labels and hover texts, which read a few HTML tags: escape them.

    >>> plotly_text("<img src=x>")
    '&lt;img src=x&gt;'
    """
    return html.escape(str(text), quote=False)


def selection_to_name(selection: Any, names: Iterable[str]) -> str | None:
    """The organisation a plotly selection points at, or None.

    ``selection`` is what Streamlit keeps under the chart's key: ``{"selection": {"points":
    [{"customdata": ...}, ...]}}``; a point's ``customdata`` is the organisation's name (a
    string, or a list whose first item is the name). Points that are not organisations (edge
    hovers, placeholders) and names not in ``names`` are skipped.

    >>> selection_to_name({"selection": {"points": [{"customdata": "Politie"}]}}, ["Politie"])
    'Politie'
    >>> selection_to_name({"selection": {"points": [{"customdata": ["X"]}]}}, ["Politie"]) is None
    True
    >>> selection_to_name(None, ["Politie"]) is None
    True
    """
    known = set(names)
    if not isinstance(selection, Mapping):
        return None
    inner = selection.get("selection")
    if not isinstance(inner, Mapping):
        return None
    for point in inner.get("points") or ():
        if not isinstance(point, Mapping):
            continue
        value = point.get("customdata")
        if isinstance(value, (list, tuple)):
            value = value[0] if value else None
        if isinstance(value, str) and value in known:
            return value
    return None


def selection_to_partner_type(selection: Any, partner_types: Iterable[str]) -> str | None:
    """The partner type of a cluster node a plotly selection points at, or None.

    A cluster's ``customdata`` is ``[count, code]`` (a number first, so it is never taken for
    an organisation's name); codes not in ``partner_types`` are skipped.

    >>> selection_to_partner_type({"selection": {"points": [{"customdata": [12, "ggz"]}]}},
    ...                           ["ggz"])
    'ggz'
    >>> selection_to_partner_type({"selection": {"points": [{"customdata": "ggz"}]}},
    ...                           ["ggz"]) is None
    True
    """
    known = set(partner_types)
    inner = selection.get("selection") if isinstance(selection, Mapping) else None
    if not isinstance(inner, Mapping):
        return None
    for point in inner.get("points") or ():
        value = point.get("customdata") if isinstance(point, Mapping) else None
        if (
            isinstance(value, (list, tuple))
            and len(value) == 2
            and isinstance(value[0], int | float)
            and value[1] in known
        ):
            return value[1]
    return None


def _placeholder_positions(missing: list[str]) -> dict[str, tuple[float, float]]:
    """Missing partner types on a ring just outside the drawing (see display_positions)."""
    radius = 1.5
    out = {}
    for i, code in enumerate(missing):
        angle = math.pi / 2 + 2 * math.pi * i / max(len(missing), 1)
        out[code] = (radius * math.cos(angle), radius * math.sin(angle))
    return out


def _edge_hover(first: str, second: str, data: Mapping[str, Any]) -> str:
    types = ", ".join(
        codes.label(t, codes.AGREEMENT_TYPES) for t in data.get("agreement_types", ())
    )
    status = codes.label(data.get("status"), codes.STATUSES)
    return f"{plotly_text(first)} – {plotly_text(second)}<br>{status}" + (
        f"<br>{plotly_text(types)}" if types else ""
    )


def _lines_trace(
    name: str,
    dash: str,
    colour: str,
    segments: list[tuple[tuple[float, float], tuple[float, float]]],
) -> go.Scatter:
    """One legend entry of agreement lines: every segment in one trace, broken by None."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    for (x0, y0), (x1, y1) in segments:
        xs += [x0, x1, None]
        ys += [y0, y1, None]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        name=name,
        line={"dash": dash, "color": colour, "width": 1.5},
        hoverinfo="skip",
        legendgroup="lijnen",
        legendgrouptitle_text="Afspraken",
    )


def _missing_lines_trace(
    holes: Mapping[str, tuple[float, float]],
    missing: list[str],
    shelters: Iterable[str],
    positions: Mapping[str, tuple[float, float]],
) -> go.Scatter:
    """Dotted lines from every shelter to each placeholder of a missing partner type."""
    xs: list[float | None] = []
    ys: list[float | None] = []
    shelters = list(shelters)
    for code in missing:
        hx, hy = holes[code]
        for shelter in shelters:
            sx, sy = positions[shelter]
            xs += [sx, hx, None]
            ys += [sy, hy, None]
    return go.Scatter(
        x=xs,
        y=ys,
        mode="lines",
        name="Ontbrekende afspraak",
        line={"dash": "dot", "color": MISSING_COLOUR, "width": 1},
        hoverinfo="skip",
        legendgroup="lijnen",
    )


def _missing_trace(holes: Mapping[str, tuple[float, float]], missing: list[str]) -> go.Scatter:
    """The placeholders of required partner types that no shelter reaches."""
    return go.Scatter(
        x=[holes[c][0] for c in missing],
        y=[holes[c][1] for c in missing],
        mode="markers+text",
        name="Vereist partnertype ontbreekt",
        text=[f"Geen {codes.label(c, codes.PARTNER_TYPES)}" for c in missing],
        textposition="bottom center",
        textfont={"color": MISSING_COLOUR},
        hovertext=[
            f"Geen enkele opvang heeft een actuele afspraak met "
            f"{codes.label(c, codes.PARTNER_TYPES)}"
            for c in missing
        ],
        hoverinfo="text",
        marker={
            "symbol": "circle-x",
            "size": 16,
            "color": "white",
            "line": {"color": MISSING_COLOUR, "width": 2},
        },
        legendgroup="ontbreekt",
    )


def _node_hover(name: str, data: Mapping[str, Any], degree: int) -> str:
    kind = codes.label(data.get("partner_type"), codes.PARTNER_TYPES)
    return f"<b>{plotly_text(name)}</b><br>{kind}<br>{plural(degree, 'partner', 'partners')}"


def build_map_figure(
    graph: nx.Graph,
    positions: Mapping[str, tuple[float, float]],
    missing_types: Iterable[str] = (),
    selected: str | None = None,
    height: int = 700,
) -> go.Figure:
    """The network as a plotly figure.

    One line trace per edge style (solid: written; dashed: verbal or in development; dotted red:
    a required partner type no shelter has), one marker trace per partner type (its Dutch label
    in the legend, ``customdata`` the organisation names) and one per shelter type (large, own
    symbol). Names are escaped: plotly reads a few HTML tags in texts.
    """
    missing = list(missing_types)
    if network.is_large_network(graph):
        return _cluster_figure(graph, positions, missing, selected, height)
    n = graph.number_of_nodes()
    scatter = go.Scattergl if n >= WEBGL_LIMIT else go.Scatter
    with_labels = n <= LABEL_LIMIT
    figure = go.Figure()

    # Edges: one trace per line style.
    styles = (
        ("Schriftelijke afspraak", "solid", "#555555", lambda s: s in SOLID_STATUSES),
        ("Mondeling of in ontwikkeling", "dash", "#999999", lambda s: s not in SOLID_STATUSES),
    )
    for name, dash, colour, matches in styles:
        segments = [
            (positions[first], positions[second])
            for first, second, data in graph.edges(data=True)
            if matches(data.get("status"))
        ]
        if segments:
            figure.add_trace(_lines_trace(name, dash, colour, segments))

    # Placeholders for required partner types that no shelter reaches.
    shelters = sort_names(node for node, data in graph.nodes(data=True) if data.get("is_shelter"))
    holes = _placeholder_positions(missing)
    if missing and shelters:
        figure.add_trace(_missing_lines_trace(holes, missing, shelters, positions))
    if missing:
        figure.add_trace(_missing_trace(holes, missing))

    # Edge hover points (line traces give no hover): one invisible marker per edge midpoint.
    if graph.number_of_edges():
        mids = [
            (
                (positions[a][0] + positions[b][0]) / 2,
                (positions[a][1] + positions[b][1]) / 2,
                _edge_hover(a, b, d),
            )
            for a, b, d in graph.edges(data=True)
        ]
        figure.add_trace(
            scatter(
                x=[m[0] for m in mids],
                y=[m[1] for m in mids],
                mode="markers",
                marker={"size": 8, "opacity": 0},
                hovertext=[m[2] for m in mids],
                hoverinfo="text",
                showlegend=False,
                name="afspraak",
            )
        )

    # Nodes: partners per partner type, then shelters per shelter type.
    groups: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        groups.setdefault(data.get("partner_type") or "overig", []).append(node)
    partner_types = [c for c in codes.PARTNER_TYPES if c in groups and c not in SHELTER_STYLE]
    partner_types += sorted(c for c in groups if c not in codes.PARTNER_TYPES)
    shelter_types = [c for c in SHELTER_STYLE if c in groups]
    for code in partner_types + shelter_types:
        nodes = sort_names(groups[code])
        is_shelter = code in SHELTER_STYLE
        symbol, colour = SHELTER_STYLE.get(code, ("circle", PARTNER_COLOURS.get(code, "#7f7f7f")))
        sizes = [26 if is_shelter else 10 + min(graph.degree(node), 8) for node in nodes]
        figure.add_trace(
            scatter(
                x=[positions[node][0] for node in nodes],
                y=[positions[node][1] for node in nodes],
                mode="markers+text" if with_labels or is_shelter else "markers",
                name=codes.label(code, codes.PARTNER_TYPES),
                customdata=nodes,
                text=[plotly_text(node) for node in nodes] if with_labels or is_shelter else None,
                textposition="top center",
                textfont={"size": 10 if not is_shelter else 12},
                hovertext=[
                    _node_hover(node, graph.nodes[node], graph.degree(node)) for node in nodes
                ],
                hoverinfo="text",
                marker={
                    "symbol": symbol,
                    "size": sizes,
                    "color": colour,
                    "line": {"color": "#222222" if is_shelter else "white", "width": 1.5},
                },
                legendgroup="opvang" if is_shelter else "partners",
                legendgrouptitle_text="Opvang" if is_shelter else "Ketenpartners",
            )
        )

    if selected is not None and selected in positions and selected in graph:
        x, y = positions[selected]
        figure.add_trace(
            go.Scatter(
                x=[x],
                y=[y],
                mode="markers",
                name="Geselecteerd",
                marker={
                    "symbol": "circle-open",
                    "size": 38,
                    "color": "#000000",
                    "line": {"width": 3, "color": "#000000"},
                },
                hoverinfo="skip",
                showlegend=False,
            )
        )

    _finish(figure, height)
    return figure


def _finish(
    figure: go.Figure,
    height: int,
    x_range: tuple[float, float] = (-1.6, 1.6),
    y_range: tuple[float, float] = (-1.35, 1.75),
) -> None:
    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False, "range": list(x_range)},
        yaxis={"visible": False, "range": list(y_range)},
        hovermode="closest",
        clickmode="event+select",
        dragmode="pan",
        legend={"groupclick": "toggleitem", "font": {"size": 11}, "tracegroupgap": 6},
        uirevision="ketenkaart",
        plot_bgcolor="white",
    )


#: The ``meta`` of the trace of cluster nodes (see :func:`node_count`, :func:`is_clustered`).
CLUSTER_META = "clusters"

#: A placeholder of a missing partner type stands in its sector where its cluster would; when
#: the sector has a cluster (partners no shelter has an agreement with), just outside it.
_PLACEHOLDER_RADIUS = 1.1


def _count(number: int) -> str:
    """A whole number the Dutch way (a dot between thousands).

    >>> _count(5002)
    '5.002'
    """
    return f"{number:,}".replace(",", ".")


def _organisations(number: int) -> str:
    return f"{_count(number)} organisatie" + ("" if number == 1 else "s")


def _connections(number: int) -> str:
    return f"{_count(number)} verbinding" + ("" if number == 1 else "en")


def _short_label(partner_type: str) -> str:
    """A partner type's label without its explanation, for a cluster's text on the map.

    >>> _short_label("jeugdbescherming"), _short_label("schuldhulp")
    ('Jeugdbescherming', 'Schuldhulpverlening')
    """
    return codes.label(partner_type, codes.PARTNER_TYPES).split(" (")[0].split(" / ")[0]


def _outward(partner_type: str) -> str:
    """Where a cluster's label goes: away from the middle, so neighbouring labels do not meet.

    >>> _outward("veilig_thuis"), _outward("ggz")
    ('top center', 'middle right')
    """
    angle = network.sector_angle(partner_type)
    across, up = math.cos(angle), math.sin(angle)
    if abs(across) > 0.35:
        return "middle right" if across > 0 else "middle left"
    side = "center" if abs(across) < 0.05 else "right" if across > 0 else "left"
    return f"{'top' if up > 0 else 'bottom'} {side}"


def _cluster_figure(
    graph: nx.Graph,
    positions: Mapping[str, tuple[float, float]],
    missing: list[str],
    selected: str | None,
    height: int,
) -> go.Figure:
    """A large network drawn per partner type: one node per partner type in its sector (size
    and label with its count), the shelters on their own in the middle, one line per pair of
    ends that has connections (solid when any is written). O(organisations + connections) to
    build; the figure has O(shelters × partner types) points, whatever the region's size."""
    summary = network.cluster_network(graph)
    counts = {cluster.partner_type: cluster.organisations for cluster in summary.clusters}
    figure = go.Figure()

    def where(end: tuple[str, str]) -> tuple[float, float]:
        kind, value = end
        return network.sector_point(value) if kind == "partnertype" else positions[value]

    def end_label(end: tuple[str, str]) -> str:
        kind, value = end
        if kind == "opvang":
            return plotly_text(value)
        return f"{codes.label(value, codes.PARTNER_TYPES)} ({_organisations(counts[value])})"

    links = [link for link in summary.links if link.ends[0] != link.ends[1]]
    styles = (
        ("Schriftelijke afspraak", "solid", "#555555", True),
        ("Mondeling of in ontwikkeling", "dash", "#999999", False),
    )
    for name, dash, colour, any_written in styles:
        segments = [
            (where(link.ends[0]), where(link.ends[1]))
            for link in links
            if (link.written > 0) == any_written
        ]
        if segments:
            figure.add_trace(_lines_trace(name, dash, colour, segments))

    if missing:
        holes = {
            code: network.sector_point(code, _PLACEHOLDER_RADIUS if code in counts else None)
            for code in missing
        }
        if summary.shelters:
            figure.add_trace(_missing_lines_trace(holes, missing, summary.shelters, positions))
        figure.add_trace(_missing_trace(holes, missing))

    if links:
        mids, hovers = [], []
        for link in links:
            (x0, y0), (x1, y1) = where(link.ends[0]), where(link.ends[1])
            mids.append(((x0 + x1) / 2, (y0 + y1) / 2))
            hovers.append(
                f"{end_label(link.ends[0])} – {end_label(link.ends[1])}<br>"
                f"{_connections(link.connections)}: {_count(link.written)} schriftelijk, "
                f"{_count(link.other)} mondeling of in ontwikkeling"
            )
        figure.add_trace(
            go.Scatter(
                x=[m[0] for m in mids],
                y=[m[1] for m in mids],
                mode="markers",
                marker={"size": 8, "opacity": 0},
                hovertext=hovers,
                hoverinfo="text",
                showlegend=False,
                name="afspraken",
            )
        )

    if summary.clusters:
        clusters = summary.clusters
        biggest = max(cluster.organisations for cluster in clusters)
        points = [network.sector_point(c.partner_type) for c in clusters]
        labels = [codes.label(c.partner_type, codes.PARTNER_TYPES) for c in clusters]
        hovers = []
        for cluster, label in zip(clusters, labels, strict=True):
            loose = cluster.isolated
            hovers.append(
                f"<b>{label}</b><br>{_organisations(cluster.organisations)} samengevoegd"
                + (f", waarvan {_count(loose)} zonder actuele afspraak" if loose else "")
                + "<br>Klik om deze organisaties te zien"
            )
        figure.add_trace(
            go.Scatter(
                x=[p[0] for p in points],
                y=[p[1] for p in points],
                mode="markers+text",
                name="Ketenpartners per partnertype",
                meta=CLUSTER_META,
                customdata=[[c.organisations, c.partner_type] for c in clusters],
                text=[
                    f"{_short_label(c.partner_type)} ({_count(c.organisations)})" for c in clusters
                ],
                textposition=[_outward(c.partner_type) for c in clusters],
                textfont={"size": 12},
                hovertext=hovers,
                hoverinfo="text",
                marker={
                    "symbol": "circle",
                    "size": [12 + 24 * math.sqrt(c.organisations / biggest) for c in clusters],
                    "color": [PARTNER_COLOURS.get(c.partner_type, "#7f7f7f") for c in clusters],
                    "line": {"color": "white", "width": 1.5},
                },
                legendgroup="partners",
                legendgrouptitle_text="Ketenpartners",
            )
        )

    by_type: dict[str, list[str]] = {}
    for shelter in summary.shelters:
        kind = graph.nodes[shelter].get("partner_type")
        by_type.setdefault(kind if kind in SHELTER_STYLE else "vrouwenopvang", []).append(shelter)
    with_labels = len(summary.shelters) <= LABEL_LIMIT
    scatter = go.Scattergl if len(summary.shelters) >= WEBGL_LIMIT else go.Scatter
    for code in (c for c in SHELTER_STYLE if c in by_type):
        nodes = by_type[code]
        symbol, colour = SHELTER_STYLE[code]
        figure.add_trace(
            scatter(
                x=[positions[node][0] for node in nodes],
                y=[positions[node][1] for node in nodes],
                mode="markers+text" if with_labels else "markers",
                name=codes.label(code, codes.PARTNER_TYPES),
                customdata=nodes,
                text=[plotly_text(node) for node in nodes] if with_labels else None,
                textposition="top center",
                textfont={"size": 12},
                hovertext=[
                    _node_hover(node, graph.nodes[node], graph.degree(node)) for node in nodes
                ],
                hoverinfo="text",
                marker={
                    "symbol": symbol,
                    "size": 26,
                    "color": colour,
                    "line": {"color": "#222222", "width": 1.5},
                },
                legendgroup="opvang",
                legendgrouptitle_text="Opvang",
            )
        )

    if selected is not None and selected in graph and selected in positions:
        x, y = positions[selected]
        figure.add_trace(
            go.Scatter(
                x=[x],
                y=[y],
                mode="markers+text",
                name="Geselecteerd",
                text=[plotly_text(selected)],
                textposition="bottom center",
                textfont={"size": 12},
                marker={
                    "symbol": "circle-open",
                    "size": 22,
                    "color": "#000000",
                    "line": {"width": 3, "color": "#000000"},
                },
                hoverinfo="skip",
                showlegend=False,
            )
        )
    _finish(figure, height, x_range=(-2.0, 2.0), y_range=(-1.3, 1.3))  # room for the labels
    return figure


def is_clustered(spec: Mapping[str, Any]) -> bool:
    """Whether a figure spec made by :func:`build_map_figure` draws partners as clusters.

    >>> is_clustered({"data": [{"meta": "clusters"}]}), is_clustered({"data": [{}]})
    (True, False)
    """
    return any(trace.get("meta") == CLUSTER_META for trace in spec.get("data", ()))


def cluster_note(graph: nx.Graph) -> str:
    """The Dutch note under a clustered map: why it is clustered and how many organisations
    each cluster stands for.

    >>> g = nx.Graph()
    >>> g.add_nodes_from((f"P{i}", {"partner_type": "ggz"}) for i in range(501))
    >>> print(cluster_note(g))  # doctest: +ELLIPSIS
    Deze regio is groot: 501 organisaties in beeld, meer dan 500 ... GGZ 501.
    """
    summary = network.cluster_network(graph)
    behind = ", ".join(
        f"{codes.label(c.partner_type, codes.PARTNER_TYPES)} {_count(c.organisations)}"
        for c in summary.clusters
    )
    shelters = len(summary.shelters)
    return (
        f"Deze regio is groot: {_organisations(graph.number_of_nodes())} in beeld, meer dan "
        f"{_count(network.CLUSTER_ORGANISATIONS)} (of meer dan "
        f"{_connections(network.CLUSTER_CONNECTIONS)}). Daarom is de kaart geclusterd: de "
        "ketenpartners staan samengevoegd per partnertype, één bol per partnertype met het "
        f"aantal organisaties erachter; de {_count(shelters)} opvangorganisatie"
        + ("" if shelters == 1 else "s")
        + " staan er elk afzonderlijk op. Klik op een bol of kies een partnertype om die "
        "organisaties afzonderlijk te zien. Organisaties per bol: " + (behind or "geen") + "."
    )


def node_count(spec: Mapping[str, Any]) -> int:
    """The number of organisations drawn in a plotly figure spec made by :func:`build_map_figure`
    (a cluster node counts the organisations it stands for).

    >>> node_count({"data": [{"customdata": ["A", "B"]}, {"mode": "lines"}]})
    2
    >>> node_count({"data": [{"meta": "clusters", "customdata": [[40, "ggz"], [2, "jgz"]]}]})
    42
    """
    total = 0
    for trace in spec.get("data", ()):
        items = trace.get("customdata")
        if items is None:
            continue
        if trace.get("meta") == CLUSTER_META:
            total += sum(int(item[0]) for item in items)
        else:
            total += len(items)
    return total
