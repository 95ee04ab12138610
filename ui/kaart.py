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

from analysis import codes
from analysis.network import display_positions as display_positions  # for ui.common, the tests
from analysis.network import sort_names
from analysis.network_filter import DEMONSTRABLE_STATUSES

__all__ = [
    "EDGE_STATUSES",
    "LABEL_LIMIT",
    "MISSING_COLOUR",
    "PARTNER_COLOURS",
    "SHELTER_STYLE",
    "SOLID_STATUSES",
    "WEBGL_LIMIT",
    "build_map_figure",
    "display_positions",
    "node_count",
    "plotly_text",
    "selection_to_name",
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


def _node_hover(name: str, data: Mapping[str, Any], degree: int) -> str:
    kind = codes.label(data.get("partner_type"), codes.PARTNER_TYPES)
    return f"<b>{plotly_text(name)}</b><br>{kind}<br>{degree} partner(s)"


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
        xs: list[float | None] = []
        ys: list[float | None] = []
        for first, second, data in graph.edges(data=True):
            if not matches(data.get("status")):
                continue
            (x0, y0), (x1, y1) = positions[first], positions[second]
            xs += [x0, x1, None]
            ys += [y0, y1, None]
        if xs:
            figure.add_trace(
                go.Scatter(
                    x=xs,
                    y=ys,
                    mode="lines",
                    name=name,
                    line={"dash": dash, "color": colour, "width": 1.5},
                    hoverinfo="skip",
                    legendgroup="lijnen",
                    legendgrouptitle_text="Afspraken",
                )
            )

    # Placeholders for required partner types that no shelter reaches.
    shelters = sort_names(node for node, data in graph.nodes(data=True) if data.get("is_shelter"))
    holes = _placeholder_positions(missing)
    if missing and shelters:
        xs, ys = [], []
        for code in missing:
            hx, hy = holes[code]
            for shelter in shelters:
                sx, sy = positions[shelter]
                xs += [sx, hx, None]
                ys += [sy, hy, None]
        figure.add_trace(
            go.Scatter(
                x=xs,
                y=ys,
                mode="lines",
                name="Ontbrekende afspraak",
                line={"dash": "dot", "color": MISSING_COLOUR, "width": 1},
                hoverinfo="skip",
                legendgroup="lijnen",
            )
        )
    if missing:
        figure.add_trace(
            go.Scatter(
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
        )

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

    figure.update_layout(
        height=height,
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"visible": False, "range": [-1.6, 1.6]},
        yaxis={"visible": False, "range": [-1.35, 1.75]},
        hovermode="closest",
        clickmode="event+select",
        dragmode="pan",
        legend={"groupclick": "toggleitem", "font": {"size": 11}, "tracegroupgap": 6},
        uirevision="ketenkaart",
        plot_bgcolor="white",
    )
    return figure


def node_count(spec: Mapping[str, Any]) -> int:
    """The number of organisations drawn in a plotly figure spec made by :func:`build_map_figure`.

    >>> node_count({"data": [{"customdata": ["A", "B"]}, {"mode": "lines"}]})
    2
    """
    return sum(len(trace.get("customdata") or ()) for trace in spec.get("data", ()))
