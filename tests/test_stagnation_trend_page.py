"""The Stagnatie page's trend chart draws every topic, a topic without partner type included
(issue 12, item 7): Meerhaven's worst, "Financiën – Schulden" (no partner type), once vanished
from the chart and its trace was named "… (nan)"."""

from __future__ import annotations

from pathlib import Path

from analysis import stagnation
from ketendata import store
from ketendata.store import queries
from tests.test_pages import chart_spec, open_page

REGION = "Demoregio Meerhaven"


def _trend_traces(at) -> dict[str, dict]:
    for index in range(len(at.get("plotly_chart"))):
        spec = chart_spec(at, index)
        traces = [t for t in spec["data"] if t.get("type") == "scatter" and t.get("name")]
        if traces:
            return {t["name"]: t for t in traces}
    raise AssertionError("geen trendgrafiek op de pagina")


def test_the_trend_chart_draws_every_topic_of_the_region(app_env: Path) -> None:
    with store.reading(app_env) as con:
        frames = queries.region_frames(con, REGION)
    lines = stagnation.trend_lines(stagnation.stagnation_over_time(frames.stagnation))
    assert any(line.partner_type is None for line in lines)  # the case this test is about
    at = open_page("pages/stagnation.py", REGION)
    traces = _trend_traces(at)
    for line in lines:
        name = stagnation.topic_text(line.domain, line.topic, line.partner_type)
        assert name in traces, name
        assert len(traces[name]["x"]) == len(line.periods) > 0
    assert not any("(nan)" in name or "(None)" in name for name in traces)
    assert "Financiën – Schulden" in traces
