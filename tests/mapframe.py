"""The Ketenkaart's map in a real browser: its frame (``ui/map_chart.py``) and where an
organisation is drawn, in the page's own pixels, for the browser tests and the click benchmark."""

from __future__ import annotations

from ui.map_chart import FRAME_TITLE

__all__ = ["FRAME", "NODE_POINT", "map_frame", "node_point", "page_point"]

#: The map's frame on the page.
FRAME = f'iframe[title="{FRAME_TITLE}"]'

#: The position of one organisation inside the frame, from plotly's own axes (null when it is
#: not drawn).
NODE_POINT = """(name) => {
  const plot = document.querySelector('.js-plotly-plot');
  const layout = plot._fullLayout;
  for (const trace of plot.data) {
    const i = (trace.customdata || []).indexOf(name);
    if (i < 0) continue;
    const r = plot.querySelector('.nsewdrag').getBoundingClientRect();
    return [r.left + layout.xaxis.l2p(trace.x[i]), r.top + layout.yaxis.l2p(trace.y[i])];
  }
  return null;
}"""


def map_frame(page, timeout: float = 60_000):
    """The map's frame once plotly has drawn in it (a Playwright ``Frame``)."""
    frame = page.wait_for_selector(FRAME, timeout=timeout).content_frame()
    frame.wait_for_selector(".js-plotly-plot .main-svg", timeout=timeout)
    return frame


def page_point(page, point: list[float] | None) -> list[float] | None:
    """A point inside the map's frame in the page's pixels (for ``page.mouse``)."""
    if point is None:
        return None
    box = page.locator(FRAME).bounding_box()
    return [box["x"] + point[0], box["y"] + point[1]]


def node_point(page, name: str) -> list[float] | None:
    """Where ``name`` is drawn on the map, in the page's pixels (None when it is not drawn)."""
    return page_point(page, map_frame(page).evaluate(NODE_POINT, name))
