"""The summary of a region for a meeting, read from the database and written as a file
(meeting.md): the one-page PDF, the 16:9 deck and the Markdown memo.

One read-only pass over the database gives everything (:func:`read_meeting`): the report as
``python -m analysis report`` builds it (with the open actions), the report of the state at
``since`` and the changes between the two, the network for the map; the summary is then the
pure :func:`analysis.summary.build_summary`. The command line and the app's download buttons
both call :func:`export_meeting`, so a file from either is the same. Nothing here writes the
database.
"""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import date, datetime
from pathlib import Path
from typing import Any

import duckdb
import networkx as nx

from analysis.changes import State, build_changes
from analysis.network import build_network
from analysis.report import build_report, render_markdown
from analysis.settings import DEFAULT_SETTINGS, Settings
from analysis.summary import Summary, build_summary
from ketendata import store
from ketendata.access import LOCAL, Principal, shown_report
from ketendata.actions import report_actions
from ketendata.store import meetings, queries

__all__ = [
    "FORMATS",
    "MeetingData",
    "SinceAfterNowError",
    "export_meeting",
    "file_name",
    "read_meeting",
    "render",
]

#: The formats of :func:`render`: (file suffix, MIME type).
FORMATS: dict[str, tuple[str, str]] = {
    "pdf": ("pdf", "application/pdf"),
    "pptx": (
        "pptx",
        "application/vnd.openxmlformats-officedocument.presentationml.presentation",
    ),
    "markdown": ("md", "text/markdown"),
}


class SinceAfterNowError(ValueError):
    """``since`` lies after the moment of the export (a usage error, exit 2)."""


@dataclass(frozen=True)
class MeetingData:
    """What an export of one region needs, read in one pass."""

    report: dict[str, Any]
    summary: Summary
    graph: nx.Graph
    since: datetime
    settings: Settings


def _state(frames: queries.RegionFrames, on: date) -> State:
    return State(frames.agreements, frames.handovers, frames.stagnation, frames.matrix, on)


def _report(frames: queries.RegionFrames, region: str, on: date, settings: Settings) -> dict:
    return build_report(
        region,
        frames.agreements,
        frames.handovers,
        frames.stagnation,
        frames.matrix,
        on,
        settings,
    )


def read_meeting(
    con: duckdb.DuckDBPyConnection,
    region: str,
    today: date,
    since: datetime | None = None,
    *,
    now: datetime | None = None,
    settings: Settings = DEFAULT_SETTINGS,
) -> MeetingData:
    """Everything the exports of ``region`` (its stored name) show, judged with ``today``;
    ``since`` defaults to the last meeting before ``today``, else 90 days before it
    (:func:`ketendata.store.meetings.default_since`). Reads only."""
    now = (now or datetime.now()).replace(microsecond=0)
    if since is None:
        since = meetings.default_since(con, region, today)
    if since > now:
        raise SinceAfterNowError(
            f"--since ({since:%d-%m-%Y %H:%M:%S}) ligt na dit moment ({now:%d-%m-%Y %H:%M:%S}): "
            "kies een eerder moment."
        )
    frames = queries.region_frames(con, region)
    report = _report(frames, region, today, settings)
    report["actions"] = report_actions(con, region, report, today)
    old = queries.region_frames(con, region, since)
    previous = _report(old, region, since.date(), settings)
    changes = build_changes(
        region,
        since,
        now,
        queries.imports_between(con, region, since, now),
        _state(old, since.date()),
        _state(frames, today),
        settings,
    )
    return MeetingData(
        report=report,
        summary=build_summary(report, today, since, previous, changes),
        graph=build_network(frames.agreements, today),
        since=since,
        settings=settings,
    )


def render(data: MeetingData, output: str) -> bytes:
    """The export in one of :data:`FORMATS` as bytes (Markdown as UTF-8)."""
    if output == "markdown":
        text = render_markdown(data.report, data.settings, summary=data.summary)
        return text.encode("utf-8")
    from analysis.exports.mapimage import render_map_png

    missing = data.report["network"]["partner_types_missing"]
    if output == "pdf":
        from analysis.exports.onepager import MAP_INCHES, render_pdf

        width, height = MAP_INCHES
        picture = render_map_png(data.graph, missing, width, height, dpi=200)
        return render_pdf(data.summary, picture)
    if output == "pptx":
        from analysis.exports.deck import MAP_INCHES as DECK_INCHES
        from analysis.exports.deck import render_deck

        width, height = DECK_INCHES
        picture = render_map_png(data.graph, missing, width, height, font_scale=1.6)
        return render_deck(data.summary, picture)
    raise ValueError(f"onbekende vorm {output!r}: kies uit {', '.join(FORMATS)}")


def export_meeting(
    path: str | Path,
    region: str,
    output: str,
    today: date,
    since: datetime | None = None,
    principal: Principal = LOCAL,
) -> bytes:
    """Read the database at ``path`` (briefly, read-only) and return the export of
    ``region`` in ``output`` (:data:`FORMATS`) as ``principal`` may see it (access.md: for an
    ``opvang`` user another shelter's small handover gaps read "< 5",
    :func:`ketendata.access.shown_report`); for the app's download buttons."""
    with store.reading(path) as con:
        found = queries.find_region(con, region) or region
        data = read_meeting(con, found, today, since)
    data = dataclasses.replace(data, report=shown_report(principal, data.report))
    return render(data, output)


def file_name(region: str, today: date, output: str) -> str:
    """A file name for the export: ``ketenkaart-demoregio-duinrade-2026-11-24.pdf``.

    >>> file_name("Demoregio Duinrade", date(2026, 11, 24), "pdf")
    'ketenkaart-demoregio-duinrade-2026-11-24.pdf'
    """
    slug = "".join(c if c.isalnum() else "-" for c in region.lower())
    slug = "-".join(part for part in slug.split("-") if part) or "regio"
    return f"ketenkaart-{slug}-{today.isoformat()}.{FORMATS[output][0]}"
