"""The Ketenkaart's map as a Streamlit component of its own (the frame in ``ui/kaartframe``).

Streamlit's ``st.plotly_chart`` gives every new figure a new identity: on each click the browser
built the whole chart anew and then drew it a second time, inside the app's large page, and the
plotly selection it kept could clear the chosen organisation again a moment after a click on a
line. This frame draws the figure with plotly.js (the copy in the pinned ``plotly`` package),
redraws it once with ``Plotly.react`` when the figure changes, and answers a click on an
organisation or a cluster with ``{"selection": {"points": [{"customdata": ...}]}, "klik": ms}``
(the shape :func:`ui.kaart.selection_to_name` reads); a click on a line or on empty space sends
nothing. Zoomed in, the frame names every organisation in view where its name fits (the server
names only what matters on the whole map, :func:`ui.kaart._map_labels`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from typing import Any

import plotly
import plotly.graph_objects as go
import streamlit as st
from streamlit.components import v1 as components

from ui import kaart

__all__ = [
    "FRAME_TITLE",
    "LABELS",
    "NO_BUTTONS",
    "PLOTLY_COMPONENT",
    "PLOTLY_URL",
    "SAFE_CONFIG",
    "map_chart",
]

_FRAME = components.declare_component("kaart", path=str(Path(__file__).with_name("kaartframe")))

#: plotly.js itself, served from the plotly package under a name that carries its version, so
#: a browser may keep it (serve.py: a year, immutable) and an upgrade is a new address.
PLOTLY_COMPONENT = f"plotlyjs-{plotly.__version__}"
_PLOTLY = components.declare_component(
    PLOTLY_COMPONENT, path=str(Path(plotly.__file__).parent / "package_data")
)
#: Where the frame's page finds plotly.js (relative to /component/ui.map_chart.kaart/).
PLOTLY_URL = f"../{__name__}.{PLOTLY_COMPONENT}/plotly.min.js"

#: Always in the frame's plotly settings: no plotly logo, nothing sent to plotly's cloud, and a
#: picture of the map saved under a name that says what it is.
SAFE_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "showSendToCloud": False,
    "toImageButtonOptions": {"filename": "ketenkaart"},
}
#: Buttons never offered: plotly.js 3 puts "Share chart..." (to plotly's cloud) in the toolbar.
NO_BUTTONS = ("sendChartToCloud", "sendDataToCloud")

#: How the frame writes the names it adds when zoomed in: as the server's (ui/kaart.py).
LABELS = {
    "size": kaart.LABEL_SIZE,
    "colour": kaart.TEXT_COLOUR,
    "ground": kaart.LABEL_GROUND,
    "ring": kaart.SELECTED_TRACE,
}

#: The frame's title (its ``title`` attribute, which Streamlit sets to the component's name).
FRAME_TITLE = f"{__name__}.kaart"


@functools.cache
def _font_url() -> str | None:
    """Streamlit's own Source Sans, for the names on the map (relative to the frame's page)."""
    media = Path(st.__file__).parent / "static" / "static" / "media"
    found = sorted(media.glob("SourceSansVF-Upright*.woff2"))
    return f"../../static/media/{found[0].name}" if found else None


def map_chart(
    figure: go.Figure,
    *,
    key: str,
    on_click: Callable[[], None],
    view: str,
    config: dict[str, Any] | None = None,
) -> None:
    """Draw ``figure`` in the map's frame; ``on_click`` runs when an organisation or a cluster is
    clicked, with the click under ``st.session_state[key]``. A zoom is kept while ``view`` (the
    region) stays the same; another view starts from the whole map."""
    settings = {**(config or {}), **SAFE_CONFIG}
    settings["modeBarButtonsToRemove"] = sorted(
        {*(config or {}).get("modeBarButtonsToRemove", ()), *NO_BUTTONS}
    )
    _FRAME(
        figure=figure.to_json(),
        view=view,
        config=settings,
        plotly=PLOTLY_URL,
        font=_font_url(),
        labels=LABELS,
        key=key,
        default=None,
        on_change=on_click,
    )
