"""A static picture of the region's map for the PDF and the deck: matplotlib, no browser.

The positions are the app's own (:func:`analysis.network.display_positions`, the sector
layout): the shelters in the middle, every partner in its partner type's fixed sector. What
the symbols mean is copied from the app's map (``ui/kaart.py``: the partner groups with their
Okabe-Ito colours and marker shapes, the shelters as a star or a diamond, the line dash per
status, a red "Geen ..." for a required partner type no shelter has); the drawing itself is
separate, so the app's plotly figure can change without this module, and the meaning must be
kept the same by hand. Every cue has a second one besides colour (shape, dash pattern, text),
so the picture reads in black and white.
"""

from __future__ import annotations

import io
import math
import textwrap
from collections.abc import Iterable

import networkx as nx
from matplotlib.collections import LineCollection
from matplotlib.figure import Figure
from matplotlib.lines import Line2D

from analysis import codes, network

__all__ = ["GROUP_STYLES", "PARTNER_GROUPS", "plain_text", "render_map_png"]

#: Partner types in groups (copied in meaning from ui/kaart.py PARTNER_GROUPS).
PARTNER_GROUPS: dict[str, tuple[str, ...]] = {
    "veiligheid": ("veilig_thuis", "politie", "justitie", "raad_kinderbescherming"),
    "jeugd": ("jeugdbescherming", "jeugdhulp", "jeugd_ggz", "jgz"),
    "zorg": ("ggz", "verslavingszorg", "huisarts"),
    "wijk": ("wijkteam", "onderwijs", "kinderopvang"),
    "bestaan": ("woningcorporatie", "werk_inkomen", "schuldhulp"),
    "overig": ("gemeente", "overig"),
}

#: Group label, colour (Okabe-Ito) and matplotlib marker (the app's plotly symbols).
GROUP_STYLES: dict[str, tuple[str, str, str]] = {
    "veiligheid": ("Veiligheid", "#0072B2", "s"),
    "jeugd": ("Jeugd", "#CC79A7", "^"),
    "zorg": ("Zorg", "#009E73", "h"),
    "wijk": ("Wijk en school", "#E69F00", "D"),
    "bestaan": ("Wonen, werk en geld", "#D55E00", "v"),
    "overig": ("Gemeente en overig", "#666666", "o"),
}

#: The shelter types: marker and colour (the app's star and diamond).
SHELTER_STYLES: dict[str, tuple[str, str, str]] = {
    "vrouwenopvang": ("Vrouwenopvang", "*", "#d81b60"),
    "maatschappelijke_opvang": ("Maatschappelijke opvang", "D", "#5e35b1"),
}

#: Agreement lines: one dark colour, the status told by the dash pattern.
LINE_STYLES: dict[str, tuple[str, object]] = {
    "schriftelijk": ("Schriftelijk", "solid"),
    "mondeling": ("Mondeling", (0, (5, 3))),
    "in_ontwikkeling": ("In ontwikkeling", (0, (1, 2))),
}

#: The legend's words for a shelter without an inventory of its own (as ui/kaart.py says it).
UNJUDGED_LABEL = "Niet getoetst (geen eigen inventarisatie)"

LINE_COLOUR = "#444444"
TEXT_COLOUR = "#222222"
MISSING_COLOUR = "#b3261e"

#: Up to this many shelters each carries its name on the picture.
SHELTER_NAMES = 12

_SECTOR_LABEL_RADIUS = 1.1
_LEGEND_BAND = 0.27  # of the figure's height, at the bottom
_HOLE_RADIUS = 0.72


def _group(partner_type: str | None) -> str:
    for group, members in PARTNER_GROUPS.items():
        if partner_type in members:
            return group
    return "overig"


def _short_label(code: str) -> str:
    """A partner type's label without its explanation, on two lines when it is long."""
    text = codes.label(code, codes.PARTNER_TYPES).split(" (")[0].split(" / ")[0]
    return "\n".join(textwrap.wrap(text, 16, break_long_words=False)) if len(text) > 18 else text


def plain_text(text: str) -> str:
    """A name as matplotlib text that is never read as mathtext (``$...$``).

    >>> plain_text("A $x$")
    'A \\\\$x\\\\$'
    """
    return str(text).replace("$", r"\$")


def _shorten(name: str, limit: int = 24) -> str:
    return name if len(name) <= limit else name[: limit - 1] + "…"


def _alignment(angle: float) -> tuple[str, str]:
    across, up = math.cos(angle), math.sin(angle)
    horizontal = "center" if abs(across) < 0.3 else "left" if across > 0 else "right"
    vertical = "center" if abs(up) < 0.3 else "bottom" if up > 0 else "top"
    return horizontal, vertical


def render_map_png(
    graph: nx.Graph,
    missing_types: Iterable[str] = (),
    width_inches: float = 7.0,
    height_inches: float = 3.6,
    dpi: int = 150,
    font_scale: float = 1.0,
) -> bytes:
    """The map of ``graph`` as PNG bytes (a raster image), the same for the same graph.

    Drawn at its printed size (``width_inches`` × ``height_inches``); ``font_scale`` enlarges
    text and markers (a projected slide).

    >>> g = nx.Graph([("Opvang", "VT")])
    >>> g.add_node("Opvang", is_shelter=True, partner_type="vrouwenopvang")
    >>> g.add_node("VT", is_shelter=False, partner_type="veilig_thuis")
    >>> render_map_png(g, ["huisarts"])[:8] == b"\\x89PNG\\r\\n\\x1a\\n"
    True
    """
    missing = [code for code in network.SECTORS if code in set(missing_types)]
    positions = network.display_positions(graph)
    figure = Figure(figsize=(width_inches, height_inches), dpi=dpi)
    figure.patch.set_facecolor("white")
    # the map above, the legend in a band below it; the limits leave room for the sector
    # labels just outside the unit disc and grow with the box (never squeezed)
    axes = figure.add_axes((0.0, _LEGEND_BAND, 1.0, 1.0 - _LEGEND_BAND))
    ratio = width_inches / (height_inches * (1.0 - _LEGEND_BAND))
    half_x, half_y = max(2.2, 1.3 * ratio), max(1.3, 2.2 / ratio)
    axes.set_xlim(-half_x, half_x)
    axes.set_ylim(-half_y, half_y)
    axes.set_aspect("equal")
    axes.axis("off")
    small = graph.number_of_nodes() > 150

    for status, (_, dash) in LINE_STYLES.items():
        segments = [
            (positions[a], positions[b])
            for a, b, data in graph.edges(data=True)
            if (data.get("status") or "schriftelijk") == status
            and a in positions
            and b in positions
        ]
        if segments:
            axes.add_collection(
                LineCollection(
                    segments,
                    colors=LINE_COLOUR,
                    linestyles=dash,
                    linewidths=0.5 if small else 0.9,
                    alpha=0.55,
                    zorder=1,
                )
            )

    partners: dict[str, list[tuple[float, float]]] = {}
    shelters: dict[str, list[tuple[str, tuple[float, float]]]] = {}
    for node, data in graph.nodes(data=True):
        if node not in positions:
            continue
        if data.get("is_shelter"):
            kind = data.get("partner_type")
            kind = kind if kind in SHELTER_STYLES else "vrouwenopvang"
            # a shelter without an inventory of its own (only named by partners) is not judged
            # against the norm: an open symbol, as on the app's map
            judged = bool(data.get("is_holder", True))
            shelters.setdefault((kind, judged), []).append((node, positions[node]))
        else:
            partners.setdefault(_group(data.get("partner_type")), []).append(positions[node])
    for group, points in partners.items():
        _, colour, marker = GROUP_STYLES[group]
        axes.scatter(
            [p[0] for p in points],
            [p[1] for p in points],
            s=(14 if small else 34) * font_scale**2,
            marker=marker,
            c=colour,
            edgecolors="black",
            linewidths=0.4,
            zorder=2,
        )
    for (kind, judged), items in shelters.items():
        _, marker, colour = SHELTER_STYLES[kind]
        axes.scatter(
            [p[1][0] for p in items],
            [p[1][1] for p in items],
            s=(220 if marker == "*" else 110) * font_scale**2,
            marker=marker,
            c=colour if judged else "white",
            edgecolors="black" if judged else colour,
            linewidths=0.8 if judged else 1.4,
            zorder=3,
        )
    # shelters carry a number on the map and their name in the legend: names in the middle
    # disc would cover each other
    every_shelter = sorted(
        (item for items in shelters.values() for item in items),
        key=lambda item: network.name_sort_key(item[0]),
    )
    numbered = every_shelter if len(every_shelter) <= SHELTER_NAMES else []
    for number, (_, (x, y)) in enumerate(numbered, start=1):
        axes.text(
            x + 0.05,
            y + 0.05,
            str(number),
            fontsize=7 * font_scale,
            fontweight="bold",
            color=TEXT_COLOUR,
            ha="left",
            va="bottom",
            zorder=4,
            bbox={"boxstyle": "round,pad=0.12", "fc": "white", "ec": TEXT_COLOUR, "lw": 0.4},
        )

    used = {network.sector_of(d.get("partner_type")) for _, d in graph.nodes(data=True)}
    for index, code in enumerate(network.SECTORS):
        angle = network.sector_angle(code)
        across, up = math.cos(angle), math.sin(angle)
        horizontal, vertical = _alignment(angle)
        # centred labels at the top and bottom stand side by side: every other one further out
        radius = _SECTOR_LABEL_RADIUS + (0.13 if horizontal == "center" and index % 2 else 0.0)
        if code in missing:
            hx, hy = _HOLE_RADIUS * across, _HOLE_RADIUS * up
            axes.scatter(
                [hx],
                [hy],
                s=70 * font_scale**2,
                marker="X",
                c="white",
                edgecolors=MISSING_COLOUR,
                linewidths=1.4,
                zorder=3,
            )
            axes.text(
                radius * across,
                radius * up,
                f"Geen {_short_label(code)}",
                fontsize=6.5 * font_scale,
                fontweight="bold",
                color=MISSING_COLOUR,
                ha=horizontal,
                va=vertical,
            )
        elif code in used:
            axes.text(
                radius * across,
                radius * up,
                _short_label(code),
                fontsize=6 * font_scale,
                color=TEXT_COLOUR,
                ha=horizontal,
                va=vertical,
            )

    handles = [
        Line2D([], [], color=LINE_COLOUR, linestyle=dash, label=text)
        for text, dash in LINE_STYLES.values()
    ]
    handles += [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=marker,
            markersize=(9 if marker == "*" else 6) * font_scale,
            markerfacecolor=colour,
            markeredgecolor="black",
            label=text,
        )
        for text, marker, colour in SHELTER_STYLES.values()
    ]
    handles += [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=marker,
            markersize=5 * font_scale,
            markerfacecolor=colour,
            markeredgecolor="black",
            label=text,
        )
        for text, colour, marker in GROUP_STYLES.values()
    ]
    if any(not judged for _, judged in shelters):
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="D",
                markersize=6 * font_scale,
                markerfacecolor="white",
                markeredgecolor=SHELTER_STYLES["maatschappelijke_opvang"][2],
                label=UNJUDGED_LABEL.replace(" (", "\n("),
            )
        )
    if missing:
        handles.append(
            Line2D(
                [],
                [],
                linestyle="none",
                marker="X",
                markersize=6 * font_scale,
                markerfacecolor="white",
                markeredgecolor=MISSING_COLOUR,
                label="Ontbreekt (norm vraagt het)",
            )
        )
    handles += [
        Line2D(
            [],
            [],
            linestyle="none",
            marker=f"${number}$",
            markersize=6 * font_scale,
            markerfacecolor=TEXT_COLOUR,
            markeredgecolor=TEXT_COLOUR,
            label=plain_text(_shorten(name)),
        )
        for number, (name, _) in enumerate(numbered, start=1)
    ]
    figure.legend(
        handles=handles,
        loc="upper center",
        bbox_to_anchor=(0.5, _LEGEND_BAND),
        ncol=3,
        fontsize=6 * font_scale,
        frameon=False,
        handlelength=2.4,
        columnspacing=1.2,
        labelspacing=0.35,
    )
    if graph.number_of_nodes() == 0:
        axes.text(
            0,
            0,
            "Nog geen inventarisatie ingelezen",
            ha="center",
            va="center",
            fontsize=9 * font_scale,
            color=TEXT_COLOUR,
        )
    buffer = io.BytesIO()
    figure.savefig(buffer, format="png", dpi=dpi, facecolor="white", metadata={"Software": None})
    return buffer.getvalue()
