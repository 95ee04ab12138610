"""Drawing the Ketenkaart: draw the region's network with plotly, read a node click.

Pure helpers (no Streamlit) so the page stays thin and the tests can call them directly. What
the map shows (the filters) and where the organisations stand (the sector layout) are analysis:
:mod:`analysis.network_filter` and :mod:`analysis.network`.

Made for a projector (issue 8): the shelters in the middle, every partner type in its own fixed
sector around them (labelled, in the norm's order), names of at least :data:`LABEL_SIZE` px in
dark grey on white on a white label background, placed so that no two labels meet
(:func:`place_labels`); the rest of the names on hover. Colour is never the only cue: partner
groups also differ by marker symbol, statuses by dash pattern, missing partner types by the
word "Geen" and a crossed marker.
"""

from __future__ import annotations

import html
import math
from collections.abc import Iterable, Mapping
from typing import Any

import networkx as nx
import numpy as np
import plotly.graph_objects as go

from analysis import codes, network
from analysis.network import SECTORS, sort_names
from analysis.network import display_positions as display_positions  # for ui.common, the tests
from analysis.network_filter import DEMONSTRABLE_STATUSES
from ketendata.wording import plural

__all__ = [
    "EDGE_STATUSES",
    "GROUP_STYLES",
    "LABEL_SIZE",
    "LINE_STYLES",
    "MAP_LABELS",
    "MISSING_COLOUR",
    "PARTNER_COLOURS",
    "PARTNER_GROUPS",
    "SHELTER_STYLE",
    "SHORTFALL_STYLES",
    "SOLID_STATUSES",
    "TEXT_COLOUR",
    "WEBGL_LIMIT",
    "CHANGE_STYLES",
    "build_map_figure",
    "cluster_note",
    "display_positions",
    "is_clustered",
    "label_boxes",
    "node_count",
    "partner_group",
    "place_labels",
    "plotly_text",
    "selection_to_name",
    "selection_to_partner_type",
]

#: In a clustered map, up to this many shelters carry their name (the rest on hover).
LABEL_LIMIT = 40

#: From this many organisations the nodes are drawn with WebGL.
WEBGL_LIMIT = 1000

#: Statuses drawn as a solid line (demonstrable); every other current status is dashed.
SOLID_STATUSES = DEMONSTRABLE_STATUSES

#: Statuses an edge can have (``beeindigd`` agreements make no edge).
EDGE_STATUSES = ("schriftelijk", "mondeling", "in_ontwikkeling")

#: Text on the map: near-black on white, contrast about 17:1 (WCAG asks at least 4.5:1).
TEXT_COLOUR = "#1a1a1a"
#: Missing partner types: a dark red, contrast 6.5:1 on white, always with the word "Geen".
MISSING_COLOUR = "#b3261e"
#: Every name on the map is at least this large (px): readable from across a room.
LABEL_SIZE = 13
#: The name of the trace that rings the selected organisation (the map's frame reads it too).
SELECTED_TRACE = "Geselecteerd"
#: The ground under a name: white, a little see-through, so a line under it still shows.
LABEL_GROUND = "rgba(255,255,255,0.8)"
#: Streamlit's own typeface (the label widths below are reckoned for it), also in the map's frame.
FONT_FAMILY = '"Source Sans", sans-serif'

#: Agreement lines: one dark colour, the status told by the dash pattern; ended or expired
#: agreements make no line at all.
LINE_COLOUR = "#4d4d4d"
LINE_STYLES: dict[str, tuple[str, str]] = {
    "schriftelijk": ("Schriftelijk", "solid"),
    "mondeling": ("Mondeling", "dash"),
    "in_ontwikkeling": ("In ontwikkeling", "dot"),
}

#: In "Alleen wat tekortschiet" a line is coloured by what it falls short on (Okabe-Ito
#: colours, each with its own dash pattern, so the difference survives colour blindness and
#: black-and-white print); see :func:`analysis.network_filter.shortfall_reasons`.
SHORTFALL_STYLES: dict[str, tuple[str, str, str]] = {
    "niet_schriftelijk": ("Niet schriftelijk", "#D55E00", "dash"),
    "evaluatie": ("Niet geëvalueerd (venster)", "#0072B2", "solid"),
    "kindspecifiek": ("Niet kindspecifiek", "#CC79A7", "dashdot"),
    "anders": ("Deels voldaan", "#000000", "longdash"),
}

#: Partner types in groups that follow the norm's order (the sectors' order); each group has
#: a colour from the Okabe-Ito palette (safe for colour-blind viewers) and its own marker
#: symbol, so the groups differ in black and white too. The sector tells the partner type.
PARTNER_GROUPS: dict[str, tuple[str, ...]] = {
    "veiligheid": ("veilig_thuis", "politie", "justitie", "raad_kinderbescherming"),
    "jeugd": ("jeugdbescherming", "jeugdhulp", "jeugd_ggz", "jgz"),
    "wijk": ("onderwijs", "kinderopvang", "wijkteam"),
    "bestaan": ("woningcorporatie", "werk_inkomen", "schuldhulp"),
    "zorg": ("ggz", "verslavingszorg", "huisarts"),
    "overig": ("gemeente", "overig"),
}
GROUP_STYLES: dict[str, tuple[str, str, str]] = {
    "veiligheid": ("Veiligheid", "#0072B2", "square"),
    "jeugd": ("Jeugd", "#CC79A7", "triangle-up"),
    "wijk": ("School en wijk", "#E69F00", "diamond"),
    "bestaan": ("Wonen, werk en geld", "#D55E00", "triangle-down"),
    "zorg": ("Zorg", "#009E73", "hexagon"),
    "overig": ("Gemeente en overig", "#666666", "circle"),
}

#: Short names of the partner types for the sector labels (the full label is on hover).
MAP_LABELS: dict[str, str] = {
    "veilig_thuis": "Veilig Thuis",
    "politie": "Politie",
    "justitie": "Justitie/OM",
    "raad_kinderbescherming": "Raad v.d. Kinderbescherming",
    "jeugdbescherming": "Jeugdbescherming",
    "jeugdhulp": "Jeugdhulp",
    "jeugd_ggz": "Jeugd-GGZ",
    "jgz": "JGZ/GGD",
    "onderwijs": "Onderwijs",
    "kinderopvang": "Kinderopvang",
    "wijkteam": "Wijkteam/CJG",
    "woningcorporatie": "Woningcorporatie",
    "werk_inkomen": "Werk en inkomen",
    "schuldhulp": "Schuldhulp",
    "ggz": "GGZ",
    "verslavingszorg": "Verslavingszorg",
    "huisarts": "Huisarts",
    "gemeente": "Gemeente",
    "overig": "Overig",
}


def partner_group(partner_type: str | None) -> str:
    """The group of a partner type (colour and symbol on the map).

    >>> partner_group("politie"), partner_group("schuldhulp"), partner_group("iets")
    ('veiligheid', 'bestaan', 'overig')
    """
    for group, members in PARTNER_GROUPS.items():
        if partner_type in members:
            return group
    return "overig"


#: A fixed colour per partner type (its group's), the same in every region and on every page.
PARTNER_COLOURS: dict[str, str] = {code: GROUP_STYLES[partner_group(code)][1] for code in SECTORS}

#: Shelters stand out: a large marker with its own symbol per shelter type. A shelter that has
#: no inventory of its own in the region (a supra-regional one its partners name) is drawn
#: open: the Normenkader does not judge it.
SHELTER_STYLE: dict[str, tuple[str, str]] = {
    "vrouwenopvang": ("star", "#7b1fa2"),
    "maatschappelijke_opvang": ("diamond-wide", "#7b1fa2"),
}
UNJUDGED_LEGEND = "Niet getoetst (geen eigen inventarisatie)"

#: The visible part of the map in data units: the layout lies within the unit disc, the sector
#: labels just outside it.
X_RANGE = (-1.85, 1.85)
Y_RANGE = (-1.32, 1.32)

#: Pixels per data unit the labels are placed for: the smallest drawing, a 1280x720 projector
#: (about 640 px for 3.7 units); a larger screen only gives the labels more room.
PIXELS_PER_UNIT = 165.0
_CHAR_WIDTH = 0.6  # of the font size: a safe average for Source Sans, Streamlit's font
_LINE_HEIGHT = 1.45
_PAD = 3.0  # px of label background around the text

_HOLE_RADIUS = 0.75  # a placeholder stands in its sector where its partners would
_SECTOR_LABEL_RADII = (1.05, 1.13, 1.21, 1.29)
_GROUP_EDGE_INNER = 0.44
_GROUP_EDGE_OUTER = 1.02

Box = tuple[float, float, float, float]


def _text_size(text: str, size: float = LABEL_SIZE) -> tuple[float, float]:
    """Half width and half height in data units of a label (lines split by ``<br>``)."""
    lines = text.split("<br>")
    width = max(len(html.unescape(line)) for line in lines) * size * _CHAR_WIDTH + 2 * _PAD
    height = len(lines) * size * _LINE_HEIGHT + 2 * _PAD
    return width / 2 / PIXELS_PER_UNIT, height / 2 / PIXELS_PER_UNIT


def _overlaps(a: Box, b: Box) -> bool:
    return a[0] < b[2] and b[0] < a[2] and a[1] < b[3] and b[1] < a[3]


def _inside(box: Box) -> bool:
    return (
        box[0] >= X_RANGE[0]
        and box[2] <= X_RANGE[1]
        and box[1] >= Y_RANGE[0]
        and box[3] <= Y_RANGE[1]
    )


def place_labels(
    wanted: Iterable[tuple[str, list[tuple[float, float]]]],
    obstacles: Iterable[Box] = (),
) -> list[tuple[str, float, float]]:
    """Labels placed greedily, in the order given (the most important first), each centred on
    the first of its candidate spots where it stays inside the drawing and meets no label
    placed before it and no obstacle (a shelter's marker, say). A label with no free spot is
    left out: its name stays on hover. Returns (text, x, y) of the centres.

    >>> place_labels([("A", [(0.0, 0.0)]), ("B", [(0.0, 0.0), (1.0, 0.0)])])
    [('A', 0.0, 0.0), ('B', 1.0, 0.0)]
    >>> place_labels([("A", [(0.0, 0.0)]), ("B", [(0.0, 0.0)])])
    [('A', 0.0, 0.0)]
    """
    placed: list[Box] = list(obstacles)
    out: list[tuple[str, float, float]] = []
    for text, spots in wanted:
        half_w, half_h = _text_size(text)
        for x, y in spots:
            box = (x - half_w, y - half_h, x + half_w, y + half_h)
            if _inside(box) and not any(_overlaps(box, other) for other in placed):
                placed.append(box)
                out.append((text, x, y))
                break
    return out


def label_boxes(figure: go.Figure) -> list[Box]:
    """The boxes (data units, as placed) of the names on a map made by :func:`build_map_figure`."""
    boxes = []
    for note in figure.layout.annotations:
        text = note.text.replace("<b>", "").replace("</b>", "")
        half_w, half_h = _text_size(text, note.font.size or LABEL_SIZE)
        boxes.append((note.x - half_w, note.y - half_h, note.x + half_w, note.y + half_h))
    return boxes


def _wrap(text: str, width: int = 18) -> str:
    """A long name over at most two lines (plotly breaks at ``<br>``), escaped for plotly.

    >>> _wrap("Crisisopvang Het Zonnescherm")
    'Crisisopvang<br>Het Zonnescherm'
    >>> _wrap("Kort")
    'Kort'
    """
    words = str(text).split()
    if len(str(text)) <= width or len(words) < 2:
        return plotly_text(text)
    best = min(
        range(1, len(words)),
        key=lambda i: max(len(" ".join(words[:i])), len(" ".join(words[i:]))),
    )
    return plotly_text(" ".join(words[:best])) + "<br>" + plotly_text(" ".join(words[best:]))


def _around(x: float, y: float, text: str, clearance: float) -> list[tuple[float, float]]:
    """Candidate centres for a label next to a point: outward from the middle first, then
    above, below, right and left of it, then the corners, then the same further away;
    ``clearance`` in px between point and label."""
    half_w, half_h = _text_size(text)
    spots: list[tuple[float, float]] = []
    for factor in (1.0, 2.5, 4.5):
        gap = clearance * factor / PIXELS_PER_UNIT
        above = (x, y + gap + half_h)
        below = (x, y - gap - half_h)
        right = (x + gap + half_w, y)
        left = (x - gap - half_w, y)
        if abs(x) > abs(y):
            first = [right, left] if x > 0 else [left, right]
            spots += first + ([above, below] if y >= 0 else [below, above])
        else:
            first = [above, below] if y >= 0 else [below, above]
            spots += first + ([right, left] if x >= 0 else [left, right])
        spots += [
            (x + sx * (gap / 1.4 + half_w), y + sy * (gap / 1.4 + half_h))
            for sx, sy in ((1, 1), (-1, 1), (1, -1), (-1, -1))
        ]
    return spots


def _sector_spots(code: str, text: str) -> list[tuple[float, float]]:
    """Candidate centres for a sector's label: just outside the disc in the sector's middle,
    further out when that spot is taken, then towards either edge of the sector; the label
    grows away from the middle."""
    half_w, half_h = _text_size(text)
    width = 2 * math.pi / len(SECTORS)
    spots = []
    for turn in (0.0, -0.3, 0.3):
        angle = network.sector_angle(code) + turn * width
        across, up = math.cos(angle), math.sin(angle)
        for radius in _SECTOR_LABEL_RADII:
            x, y = radius * across, radius * up
            spots.append((x + half_w * across, y + half_h * up))
    return spots


def _label_note(text: str, x: float, y: float, colour: str, bold: bool = False) -> dict:
    return {
        "x": x,
        "y": y,
        "text": f"<b>{text}</b>" if bold else text,
        "showarrow": False,
        "xanchor": "center",
        "yanchor": "middle",
        "font": {"size": LABEL_SIZE, "color": colour},
        "bgcolor": LABEL_GROUND,
        "borderpad": 1,
        "captureevents": False,
    }


def _map_labels(
    graph: nx.Graph,
    positions: Mapping[str, tuple[float, float]],
    missing: list[str],
    selected: str | None,
) -> list[dict]:
    """The names on the map, in the order of importance: the sectors of missing partner types
    ("Geen ..."), the selected organisation, the shelters, the other sectors in use, the
    selected organisation's partners. The rest is on hover."""
    shelters = sort_names(n for n, d in graph.nodes(data=True) if d.get("is_shelter"))
    wanted: list[tuple[str, list[tuple[float, float]]]] = []
    colours: dict[str, str] = {}
    for code in SECTORS:
        if code in missing:
            text = f"Geen {plotly_text(MAP_LABELS[code])}"
            colours[text] = MISSING_COLOUR
            wanted.append((text, _sector_spots(code, text)))
    if selected is not None and selected in graph and selected in positions:
        text = _wrap(selected)
        wanted.append((text, _around(*positions[selected], text, 14.0)))
    for shelter in shelters:
        if shelter != selected:
            text = _wrap(shelter)
            wanted.append((text, _around(*positions[shelter], text, 14.0)))
    used = {
        network.sector_of(graph.nodes[n].get("partner_type"))
        for n in graph
        if not graph.nodes[n].get("is_shelter")
    }
    for code in SECTORS:
        if code in used and code not in missing:
            text = plotly_text(MAP_LABELS[code])
            wanted.append((text, _sector_spots(code, text)))
    if selected is not None and selected in graph:
        for name in sort_names(graph.neighbors(selected)):
            if name in positions and not graph.nodes[name].get("is_shelter"):
                text = _wrap(name)
                wanted.append((text, _around(*positions[name], text, 9.0)))
    obstacles = []
    for shelter in shelters:  # never a name on top of a shelter's marker
        x, y = positions[shelter]
        r = 14.0 / PIXELS_PER_UNIT
        obstacles.append((x - r, y - r, x + r, y + r))
    placed = place_labels(wanted, obstacles)
    return [
        _label_note(text, x, y, colours.get(text, TEXT_COLOUR), bold=text in colours)
        for text, x, y in placed
    ]


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


#: How far (data units, about 13 px on a projector) a line's hover point keeps from every
#: organisation, so that a click on the organisation never lands on the line.
_HOVER_CLEARANCE = 0.08
_HOVER_FRACTIONS = (0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8)


def hover_spots(
    segments: list[tuple[tuple[float, float], tuple[float, float]]],
    points: list[tuple[float, float]],
) -> list[tuple[float, float]]:
    """Where each line's (invisible) hover point goes: its middle, or the first spot along it
    (40%, 60%, 30%, ...) that keeps :data:`_HOVER_CLEARANCE` from every point (the
    organisations); the middle when none does. Vectorised: O(lines × points).

    >>> hover_spots([((0.0, 0.0), (1.0, 0.0))], [(0.5, 0.0)])
    [(0.4, 0.0)]
    """
    if not segments:
        return []
    starts = np.array([a for a, _ in segments], dtype=float)
    ends = np.array([b for _, b in segments], dtype=float)
    fractions = np.array(_HOVER_FRACTIONS)
    spots = starts[:, None, :] + (ends - starts)[:, None, :] * fractions[None, :, None]
    if points:
        nodes = np.array(points, dtype=float)
        flat = spots.reshape(-1, 2)
        nearest = np.full(len(flat), np.inf)
        for start in range(0, len(nodes), 256):  # a block of organisations at a time
            block = nodes[start : start + 256]
            dist = np.sqrt(((flat[:, None, :] - block[None, :, :]) ** 2).sum(axis=2)).min(axis=1)
            nearest = np.minimum(nearest, dist)
        free = (nearest >= _HOVER_CLEARANCE).reshape(len(segments), len(fractions))
        choice = np.where(free.any(axis=1), free.argmax(axis=1), 0)
    else:
        choice = np.zeros(len(segments), dtype=int)
    chosen = spots[np.arange(len(segments)), choice]
    return [(round(float(x), 12), round(float(y), 12)) for x, y in chosen]


def _edge_hover(first: str, second: str, data: Mapping[str, Any], reason: str = "") -> str:
    types = ", ".join(
        codes.label(t, codes.AGREEMENT_TYPES) for t in data.get("agreement_types", ())
    )
    status = codes.label(data.get("status"), codes.STATUSES)
    levels = [codes.label(level, codes.LEVELS) for level in data.get("levels", ())]
    level_text = ", ".join(levels)
    if tuple(data.get("levels", ())) == ("client",):
        level_text += " (alleen per casus)"
    return (
        f"<b>{plotly_text(first)} – {plotly_text(second)}</b><br>{status}"
        + (f" · {plural(data.get('agreements', 0), 'afspraak', 'afspraken')}")
        + (f"<br>{plotly_text(types)}" if types else "")
        + (f"<br>Niveau: {plotly_text(level_text)}" if level_text else "")
        + (f"<br><b>Schiet tekort:</b> {_hover_wrap(reason)}" if reason else "")
    )


def _hover_wrap(text: str, width: int = 60) -> str:
    """A long reason over several hover lines (escaped)."""
    lines, line = [], ""
    for word in str(text).split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(plotly_text(item) for item in lines)


def _pair(first: str, second: str) -> tuple[str, str]:
    return (first, second) if first < second else (second, first)


def _marker_size(graph: nx.Graph, node: str, is_shelter: bool) -> int:
    return 28 if is_shelter else 12 + min(graph.degree(node), 6)


def _lines_trace(
    name: str,
    dash: str,
    colour: str,
    segments: list[tuple[tuple[float, float], tuple[float, float]]],
    width: float = 1.6,
    legend: bool = True,
) -> go.Scatter:
    """One legend entry of lines: every segment in one trace, broken by None."""
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
        line={"dash": dash, "color": colour, "width": width},
        hoverinfo="skip",
        legendgroup=f"lijn {name}",
        showlegend=legend,
    )


def _group_edges() -> go.Scatter:
    """Thin light spokes between the partner groups, so the sectors read as groups."""
    segments = []
    for group in PARTNER_GROUPS.values():
        first = network.sector_angle(group[0]) + math.pi / len(SECTORS)
        across, up = math.cos(first), math.sin(first)
        segments.append(
            (
                (_GROUP_EDGE_INNER * across, _GROUP_EDGE_INNER * up),
                (_GROUP_EDGE_OUTER * across, _GROUP_EDGE_OUTER * up),
            )
        )
    return _lines_trace("sectoren", "solid", "#d9d9d9", segments, width=1.0, legend=False)


def _missing_lines_trace(
    holes: Mapping[str, tuple[float, float]],
    missing: list[str],
    shelters: Iterable[str],
    positions: Mapping[str, tuple[float, float]],
) -> go.Scatter:
    """Dotted lines from every shelter to each placeholder of a missing partner type."""
    segments = [(positions[s], holes[code]) for code in missing for s in shelters]
    trace = _lines_trace("Ontbrekende afspraak", "dot", MISSING_COLOUR, segments, 1.0, False)
    trace.legendgroup = "ontbreekt"
    return trace


def _missing_trace(
    holes: Mapping[str, tuple[float, float]], missing: list[str], with_text: bool = False
) -> go.Scatter:
    """The placeholders of required partner types no shelter reaches: a crossed circle."""
    return go.Scatter(
        x=[holes[c][0] for c in missing],
        y=[holes[c][1] for c in missing],
        mode="markers+text" if with_text else "markers",
        name="Ontbreekt",
        text=[f"Geen {plotly_text(MAP_LABELS.get(c, c))}" for c in missing] if with_text else None,
        textposition="bottom center",
        textfont={"color": MISSING_COLOUR, "size": LABEL_SIZE},
        hovertext=[
            "Geen enkele opvang heeft een actuele afspraak met "
            f"{codes.label(c, codes.PARTNER_TYPES)}, terwijl het normenkader dat vraagt"
            for c in missing
        ],
        hoverinfo="text",
        marker={
            "symbol": "circle-x",
            "size": 18,
            "color": "white",
            "line": {"color": MISSING_COLOUR, "width": 2.5},
        },
        legendgroup="ontbreekt",
    )


def _node_hover(name: str, data: Mapping[str, Any], degree: int) -> str:
    kind = codes.label(data.get("partner_type"), codes.PARTNER_TYPES)
    text = f"<b>{plotly_text(name)}</b><br>{kind}<br>{plural(degree, 'partner', 'partners')}"
    if data.get("is_shelter") and not data.get("is_holder"):
        text += "<br>Geen eigen inventarisatie in deze regio: niet getoetst"
    return text + "<br>Klik voor de afspraken en bevindingen"


def build_map_figure(
    graph: nx.Graph,
    positions: Mapping[str, tuple[float, float]],
    missing_types: Iterable[str] = (),
    selected: str | None = None,
    height: int | None = 560,
    reasons: Mapping[tuple[str, str], tuple[str, str]] | None = None,
    changed: Mapping[str, Iterable[tuple[str, str]]] | None = None,
) -> go.Figure:
    """The network as a plotly figure.

    Lines by status (solid: written; dashed: verbal; dotted: in development), or, with
    ``reasons`` (:func:`analysis.network_filter.shortfall_reasons`), coloured by what each line
    falls short on, the reason on hover; dotted red lines to a crossed placeholder for a
    required partner type no shelter has. Partners as one marker trace per group (colour and
    symbol; ``customdata`` the organisation names), the shelters large in the middle. The names
    that matter as annotations (:func:`_map_labels`). Names are escaped: plotly reads a few HTML
    tags in texts. A large region is drawn as clusters per partner type. With ``changed``
    (``{"added": pairs, "ended": pairs}`` of organisation names, from ``analysis.changes``) the
    connections added and ended since a moment are drawn over the map (:func:`_add_changes`).
    """
    missing = list(missing_types)
    if network.is_large_network(graph):
        return _cluster_figure(graph, positions, missing, selected, height)
    figure = _detail_figure(graph, positions, missing, selected, height, reasons)
    if changed:
        _add_changes(figure, positions, changed)
    return figure


#: Connections added or ended since a moment: their own colour, width and dash pattern.
CHANGE_STYLES: dict[str, tuple[str, str, str, float]] = {
    "added": ("Nieuw sinds het gekozen moment", "#0072B2", "solid", 4.0),
    "ended": ("Beëindigd sinds het gekozen moment", "#D55E00", "dot", 4.0),
}


def _add_changes(
    figure: go.Figure,
    positions: Mapping[str, tuple[float, float]],
    changed: Mapping[str, Iterable[tuple[str, str]]],
) -> None:
    """Connections added (thick blue) and ended (thick dotted vermillion) since a moment, over
    the map; an end that is no longer drawn (an organisation gone from the map) is left out."""
    for kind, (name, colour, dash, width) in CHANGE_STYLES.items():
        segments = []
        for first, second in sorted(set(changed.get(kind, ()))):
            if first in positions and second in positions:
                segments.append((positions[first], positions[second]))
        if segments:
            trace = _lines_trace(name, dash, colour, segments, width)
            figure.add_trace(trace)


def _detail_figure(
    graph: nx.Graph,
    positions: Mapping[str, tuple[float, float]],
    missing: list[str],
    selected: str | None,
    height: int | None,
    reasons: Mapping[tuple[str, str], tuple[str, str]] | None,
) -> go.Figure:
    """A network drawn organisation by organisation in its sectors (:func:`build_map_figure`)."""
    n = graph.number_of_nodes()
    scatter = go.Scattergl if n >= WEBGL_LIMIT else go.Scatter
    figure = go.Figure()
    figure.add_trace(_group_edges())

    edges = sorted(graph.edges(data=True), key=lambda e: (e[0], e[1]))
    why = reasons or {}
    if reasons is not None:
        for kind, (name, colour, dash) in SHORTFALL_STYLES.items():
            segments = [
                (positions[a], positions[b])
                for a, b, _ in edges
                if why.get(_pair(a, b), ("", ""))[0] == kind
            ]
            if segments:
                figure.add_trace(_lines_trace(name, dash, colour, segments, width=2.6))
    else:
        for status, (name, dash) in LINE_STYLES.items():
            segments = [
                (positions[a], positions[b]) for a, b, d in edges if d.get("status") == status
            ]
            if segments:
                figure.add_trace(_lines_trace(name, dash, LINE_COLOUR, segments))

    shelters = sort_names(node for node, data in graph.nodes(data=True) if data.get("is_shelter"))
    holes = {code: network.sector_point(code, _HOLE_RADIUS) for code in missing}
    if missing and shelters:
        figure.add_trace(_missing_lines_trace(holes, missing, shelters, positions))
    if missing:
        figure.add_trace(_missing_trace(holes, missing))

    # Edge hover points (line traces give no hover): one invisible marker per edge midpoint,
    # without customdata, so a click on it selects nothing and changes nothing.
    if edges:
        spots = hover_spots(
            [(positions[a], positions[b]) for a, b, _ in edges],
            [positions[node] for node in graph.nodes if node in positions],
        )
        figure.add_trace(
            scatter(
                x=[x for x, _ in spots],
                y=[y for _, y in spots],
                mode="markers",
                # small, and away from every organisation (hover_spots): plotly's closest
                # hover favours a small point over a large marker at the same distance, and a
                # click on an organisation must find the organisation, not a line
                marker={"size": 7, "opacity": 0},
                hovertext=[
                    _edge_hover(a, b, d, why.get(_pair(a, b), ("", ""))[1]) for a, b, d in edges
                ],
                hoverinfo="text",
                showlegend=False,
                name="afspraak",
            )
        )

    # Partners: one trace per group (colour and symbol), in the sectors' order.
    by_group: dict[str, list[str]] = {}
    for node, data in graph.nodes(data=True):
        if not data.get("is_shelter"):
            by_group.setdefault(partner_group(data.get("partner_type")), []).append(node)
    for group in (g for g in PARTNER_GROUPS if g in by_group):
        nodes = sort_names(by_group[group])
        legend, colour, symbol = GROUP_STYLES[group]
        figure.add_trace(
            scatter(
                x=[positions[node][0] for node in nodes],
                y=[positions[node][1] for node in nodes],
                mode="markers",
                name=legend,
                customdata=nodes,
                hovertext=[
                    _node_hover(node, graph.nodes[node], graph.degree(node)) for node in nodes
                ],
                hoverinfo="text",
                marker={
                    "symbol": symbol,
                    "size": [_marker_size(graph, node, False) for node in nodes],
                    "opacity": 1,  # (plotly makes markers of varying size 70% opaque)
                    "color": colour,
                    "line": {"color": "#1a1a1a", "width": 0.8},
                },
                legendgroup=group,
                showlegend=False,  # the sector labels name the partner types
            )
        )
    _add_shelters(figure, graph, positions, shelters, scatter)
    _add_selection(figure, graph, positions, selected)
    # all names at once: plotly validates the whole list again on every add_annotation
    figure.update_layout(annotations=_map_labels(graph, positions, missing, selected))
    _finish(figure, height)
    return figure


def _add_shelters(
    figure: go.Figure,
    graph: nx.Graph,
    positions: Mapping[str, tuple[float, float]],
    shelters: list[str],
    scatter: Any = go.Scatter,
) -> None:
    """The shelters: filled per shelter type when the region judges them, open when they have
    no inventory of their own in the region (named by partners only: not judged)."""
    groups: dict[tuple[str, bool], list[str]] = {}
    for node in shelters:
        data = graph.nodes[node]
        kind = data.get("partner_type") if data.get("partner_type") in SHELTER_STYLE else None
        groups.setdefault((kind or "vrouwenopvang", bool(data.get("is_holder"))), []).append(node)
    for code in SHELTER_STYLE:
        for judged in (True, False):
            nodes = groups.get((code, judged))
            if not nodes:
                continue
            symbol, colour = SHELTER_STYLE[code]
            name = codes.label(code, codes.PARTNER_TYPES) if judged else UNJUDGED_LEGEND
            figure.add_trace(
                scatter(
                    x=[positions[node][0] for node in nodes],
                    y=[positions[node][1] for node in nodes],
                    mode="markers",
                    name=name,
                    customdata=nodes,
                    hovertext=[
                        _node_hover(node, graph.nodes[node], graph.degree(node)) for node in nodes
                    ],
                    hoverinfo="text",
                    marker={
                        "symbol": symbol if judged else f"{symbol}-open",
                        "size": 28,
                        "color": colour,
                        "line": {"color": "#1a1a1a" if judged else colour, "width": 1.5},
                    },
                    legendgroup=f"opvang {code} {judged}",
                )
            )


def _add_selection(
    figure: go.Figure,
    graph: nx.Graph,
    positions: Mapping[str, tuple[float, float]],
    selected: str | None,
) -> None:
    """A black ring around the selected organisation and its own lines drawn thick on top (its
    name and its partners' names are among the labels)."""
    if selected is None or selected not in graph or selected not in positions:
        return
    x, y = positions[selected]
    own = [
        (positions[selected], positions[other])
        for other in sort_names(graph.neighbors(selected))
        if other in positions
    ]
    if own:  # its own lines drawn over the others, dark and thick
        figure.add_trace(_lines_trace("Afspraken van de selectie", "solid", "#000000", own, 3.0))
        figure.data[-1].showlegend = False
    figure.add_trace(
        go.Scatter(
            x=[x],
            y=[y],
            mode="markers",
            name=SELECTED_TRACE,
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


def _finish(
    figure: go.Figure,
    height: int | None,
    x_range: tuple[float, float] = X_RANGE,
    y_range: tuple[float, float] = Y_RANGE,
) -> None:
    if height is not None:
        figure.update_layout(height=height)
    figure.update_layout(
        autosize=True,
        margin={"l": 2, "r": 2, "t": 2, "b": 2},
        xaxis={"visible": False, "range": list(x_range)},
        yaxis={"visible": False, "range": list(y_range), "scaleanchor": "x", "scaleratio": 1},
        hovermode="closest",
        hoverlabel={"font": {"size": 14}, "bgcolor": "white", "bordercolor": "#1a1a1a"},
        clickmode="event+select",
        dragmode="pan",
        # A compact legend in one row under the drawing: the sector labels name the partner
        # types, so it explains only line styles, shelters and what is missing.
        legend={
            "orientation": "h",
            "x": 0,
            "y": 0,
            "yanchor": "top",
            "font": {"size": 13, "color": TEXT_COLOUR},
            "itemclick": False,
            "itemdoubleclick": False,
        },
        font={"color": TEXT_COLOUR, "family": FONT_FAMILY},
        uirevision="ketenkaart",
        plot_bgcolor="white",
        paper_bgcolor="white",
    )
    # A click on a node or a line never fades the rest of the map: what is selected shows in
    # the side panel and by the ring around it, not by fading everything else.
    for trace in figure.data:
        if "markers" not in (trace.mode or ""):
            continue
        opacity = 0 if trace.marker.opacity == 0 else 1
        trace.selected = {"marker": {"opacity": opacity}}
        trace.unselected = {"marker": {"opacity": opacity}}


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
    ('top center', 'middle left')
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
        ("Schriftelijk", "solid", LINE_COLOUR, True),
        ("Mondeling of in ontwikkeling", "dash", LINE_COLOUR, False),
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
        figure.add_trace(_missing_trace(holes, missing, with_text=True))

    if links:
        hovers = []
        mids = hover_spots(
            [(where(link.ends[0]), where(link.ends[1])) for link in links],
            [positions[s] for s in summary.shelters]
            + [network.sector_point(c.partner_type) for c in summary.clusters],
        )
        for link in links:
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
                textfont={"size": LABEL_SIZE, "color": TEXT_COLOUR},
                hovertext=hovers,
                hoverinfo="text",
                marker={
                    "symbol": "circle",
                    "size": [12 + 24 * math.sqrt(c.organisations / biggest) for c in clusters],
                    "opacity": 1,
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
                textfont={"size": LABEL_SIZE, "color": TEXT_COLOUR},
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
                name=SELECTED_TRACE,
                text=[plotly_text(selected)],
                textposition="bottom center",
                textfont={"size": LABEL_SIZE, "color": TEXT_COLOUR},
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
