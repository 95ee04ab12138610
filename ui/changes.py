"""What changed since a moment (changes.md), for the Overzicht, the page "Wat is veranderd" and
the Gegevens page: the moment picker, the cached changes between two states, the key figures of a
state, and the Dutch tables of each list.

Meetings are not part of the database's content version (recording one changes no data), so the
picker reads the region's meetings in a short read-only session on every run instead of from the
cache; everything that depends only on imports and undos is cached on the content version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time
from typing import Any

import pandas as pd
import streamlit as st

from analysis import codes, handovers, network, norms, stagnation
from analysis.changes import State, build_changes
from ketendata import store
from ketendata.store import meetings, queries
from ketendata.wording import plural
from ui import common

__all__ = [
    "KeyFigures",
    "Moment",
    "added_frame",
    "changed_frame",
    "count_text",
    "ended_frame",
    "figures_of",
    "findings_frame",
    "handovers_frame",
    "imports_frame",
    "load_changes",
    "load_figures",
    "pick_moment",
    "read_meetings",
    "stagnation_frame",
    "total_changes",
]

#: Dutch words for the reasons a link ended (changes.md ``why``).
WHY_LABELS = {
    "beeindigd": "beëindigd",
    "einddatum": "einddatum verstreken",
    "niet_meer_opgegeven": "niet meer opgegeven",
}

#: Dutch names of the fields of a changed link.
FIELD_LABELS = {
    "status": "Status",
    "kindspecifiek": "Kindspecifiek",
    "geevalueerd_op": "Geëvalueerd op",
}

_FINDING_WORDS = {**common.FINDING_LABELS, None: "–"}

#: The ways to choose "since" (the keys of the picker).
MODES = ("vergadering", "datum", "imports")


# --- Moments ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Moment:
    """The two moments compared: ``since`` and ``until`` (None: now, the current data), with
    the Dutch words for them ("sinds de vergadering van 17-11-2026")."""

    since: datetime
    until: datetime | None
    text: str


@common.stop_on_busy
def read_meetings(path: str, region: str, today: date) -> tuple[list[datetime], datetime]:
    """The region's meetings (oldest first) and the default "since" (the last meeting before
    today, else 90 days back); read afresh on every run, in one short read-only session."""
    with store.reading(path) as con:
        return meetings.list_meetings(con, region), meetings.default_since(con, region, today)


def _when(moment: datetime) -> str:
    return f"{moment:%d-%m-%Y %H:%M}"


def _import_label(row: Any) -> str:
    when = pd.Timestamp(row.imported_at).strftime("%d-%m-%Y %H:%M")
    undone = " (ongedaan gemaakt)" if row.undone else ""
    return f"Import {int(row.id)} · {when} · {row.file_name}{undone}"


def pick_moment(view: common.RegionView, key: str, *, compact: bool = False) -> Moment | None:
    """The moment to compare with, picked by the user: since the last meeting (default; 90 days
    back where none is recorded), since a chosen date (the end of that day), or between two
    imports (the state just after each). None when the two imports chosen are in the wrong
    order (the page says so)."""
    held, default = read_meetings(view.path, view.region, view.today)
    is_meeting = bool(held) and default in held
    first = (
        f"Vorige vergadering ({default:%d-%m-%Y})"
        if is_meeting
        else f"90 dagen geleden ({default:%d-%m-%Y}, nog geen vergadering vastgelegd)"
    )
    labels = {
        "vergadering": first,
        "datum": "Een gekozen datum",
        "imports": "Tussen twee imports",
    }
    place = st.columns([2, 2, 3]) if compact else None
    mode = (place[0] if place else st).selectbox(
        "Verandering sinds",
        MODES,
        format_func=labels.__getitem__,
        key=f"{key}_sinds",
        help="Ketenkaart vergelijkt de gegevens van nu met die op het gekozen moment. "
        "Standaard is dat de vorige vergadering die vóór vandaag is vastgelegd.",
    )
    if mode == "vergadering":
        words = "de vorige vergadering" if is_meeting else "90 dagen geleden"
        return Moment(default, None, f"sinds {words} ({_when(default)})")
    if mode == "datum":
        chosen = (place[1] if place else st).date_input(
            "Sinds het einde van",
            value=default.date(),
            max_value=view.today,
            format="DD-MM-YYYY",
            key=f"{key}_datum",
        )
        since = datetime.combine(chosen or default.date(), time(23, 59, 59))
        return Moment(since, None, f"sinds {since:%d-%m-%Y}")
    history = common.read(queries.list_imports, view.region)
    if len(history) < 2:
        st.info(
            f"Voor {common.escape_markdown(view.region)} zijn minder dan twee imports gedaan: "
            "kies een datum of de vorige vergadering."
        )
        return Moment(default, None, f"sinds {_when(default)}")
    options = list(history.itertuples(index=False))  # newest first
    ids = [int(row.id) for row in options]
    by_id = {int(row.id): row for row in options}
    columns = place[1:] if place else st.columns(2)
    start = columns[0].selectbox(
        "Van (de gegevens na)",
        ids,
        index=1,
        format_func=lambda i: _import_label(by_id[i]),
        key=f"{key}_van",
    )
    end = columns[1].selectbox(
        "Tot en met",
        ids,
        index=0,
        format_func=lambda i: _import_label(by_id[i]),
        key=f"{key}_tot",
    )
    since = pd.Timestamp(by_id[start].imported_at).to_pydatetime()
    until = pd.Timestamp(by_id[end].imported_at).to_pydatetime()
    if since >= until:
        st.warning(
            "De eerste import moet eerder zijn dan de tweede. Kies bij 'Van' een oudere import."
        )
        return None
    return Moment(since, until, f"tussen import {start} en import {end}")


# --- Loading ----------------------------------------------------------------------------------


def _state(frames: queries.RegionFrames, on: date) -> State:
    return State(frames.agreements, frames.handovers, frames.stagnation, frames.matrix, on)


@common.stop_on_busy
@st.cache_data(show_spinner=False, max_entries=32)
def load_changes(
    path: str, region: str, version: str, today: date, since: datetime, until: datetime | None
) -> dict[str, Any]:
    """The ``ketenkaart.changes/1`` document of the region between ``since`` and ``until``
    (None: now, the current data judged on ``today``)."""
    moment = until or datetime.now().replace(microsecond=0)
    with store.reading(path) as con:
        old = queries.region_frames(con, region, since)
        new = queries.region_frames(con, region, until)
        imports = queries.imports_between(con, region, since, moment)
    after = _state(new, today if until is None else until.date())
    return build_changes(
        region, since, moment, imports, _state(old, since.date()), after, common.SETTINGS
    )


@dataclass(frozen=True)
class KeyFigures:
    """The key figures of a region at one moment (the Overzicht cards)."""

    organisations: int
    agreements: int
    coverage: float | None
    warm_share: float | None
    warm_period: str | None
    flagged: int | None
    stagnation_period: str | None


def figures_of(frames: queries.RegionFrames, today: date) -> KeyFigures:
    """The key figures of one state of a region, judged on ``today``."""
    has_inventory = len(frames.agreements) > 0
    measures = network.measure_network(
        network.build_network(frames.agreements, today), frames.matrix
    )
    findings = (
        norms.judge_requirements(frames.agreements, frames.matrix, today, common.SETTINGS)
        if has_inventory
        else []
    )
    warm = handovers.warm_share_change(frames.handovers)
    period, _ = handovers.latest_two_periods(frames.stagnation)
    flagged = None
    if period is not None:
        topics = stagnation.summarise_stagnation(frames.stagnation, common.SETTINGS, period=period)
        flagged = stagnation.count_flagged(topics)
    return KeyFigures(
        organisations=measures.organisations if has_inventory else 0,
        agreements=measures.agreements if has_inventory else 0,
        coverage=norms.coverage(findings) if findings else None,
        warm_share=warm.share,
        warm_period=warm.period,
        flagged=flagged,
        stagnation_period=period,
    )


@common.stop_on_busy
@st.cache_data(show_spinner=False, max_entries=32)
def load_figures(
    path: str, region: str, version: str, today: date, at: datetime | None
) -> KeyFigures:
    """The key figures of the region at ``at`` (None: now, judged on ``today``)."""
    if at is None:
        return figures_of(common.load_frames(path, region, version), today)
    with store.reading(path) as con:
        frames = queries.region_frames(con, region, at)
    return figures_of(frames, at.date())


# --- Tables -----------------------------------------------------------------------------------


def total_changes(changes: dict[str, Any]) -> int:
    """How many entries the lists of a changes document hold together (0: nothing changed)."""
    links = changes["agreements"]
    missing = changes["partner_types_missing"]
    return (
        sum(len(links[part]) for part in ("added", "ended", "changed"))
        + len(changes["findings"])
        + len(missing["new"])
        + len(missing["resolved"])
        + len(changes["handovers"])
        + len(changes["stagnation"])
    )


def count_text(changes: dict[str, Any]) -> str:
    """The agreement links in counts: "2 afspraken erbij, 1 vervallen, 0 gewijzigd".

    >>> count_text({"agreements": {"added": [1, 2], "ended": [3], "changed": []}})
    '2 afspraken erbij, 1 vervallen, 0 gewijzigd'
    """
    links = changes["agreements"]
    return (
        f"{plural(len(links['added']), 'afspraak', 'afspraken')} erbij, "
        f"{len(links['ended'])} vervallen, {len(links['changed'])} gewijzigd"
    )


def _link_columns(entries: list[dict[str, Any]]) -> dict[str, list[Any]]:
    return {
        "Houder": [e["organisation"] for e in entries],
        "Partner": [e["partner"] for e in entries],
        "Partnertype": [common.partner_label(e["partner_type"]) for e in entries],
        "Soort afspraak": [
            codes.label(e["agreement_type"], codes.AGREEMENT_TYPES) for e in entries
        ],
    }


def _status(code: str | None) -> str:
    return codes.label(code, codes.STATUSES) if code else "–"


def added_frame(entries: list[dict[str, Any]]) -> pd.DataFrame:
    """The links added, in Dutch."""
    return pd.DataFrame(
        {**_link_columns(entries), "Status": [_status(e["status"]) for e in entries]}
    )


def ended_frame(entries: list[dict[str, Any]]) -> pd.DataFrame:
    """The links ended, with the status they had and why they ended."""
    return pd.DataFrame(
        {
            **_link_columns(entries),
            "Status was": [_status(e["status"]) for e in entries],
            "Reden": [WHY_LABELS.get(e["why"], e["why"]) for e in entries],
        }
    )


def _value(field: str, value: Any) -> str:
    if value is None:
        return "–"
    if field == "status":
        return _status(value)
    if field == "kindspecifiek":
        return "ja" if value else "nee"
    return f"{value[8:10]}-{value[5:7]}-{value[0:4]}"  # a date, YYYY-MM-DD


def changed_frame(entries: list[dict[str, Any]]) -> pd.DataFrame:
    """The links changed, one row per field."""
    return pd.DataFrame(
        {
            **_link_columns(entries),
            "Veld": [FIELD_LABELS.get(e["field"], e["field"]) for e in entries],
            "Was": [_value(e["field"], e["before"]) for e in entries],
            "Nu": [_value(e["field"], e["after"]) for e in entries],
        }
    )


def findings_frame(entries: list[dict[str, Any]]) -> pd.DataFrame:
    """The norm findings whose judgement changed."""
    return pd.DataFrame(
        {
            "Organisatie": [e["organisation"] for e in entries],
            "Partnertype": [common.partner_label(e["partner_type"]) for e in entries],
            "Soort afspraak": [
                codes.label(e["agreement_type"], codes.AGREEMENT_TYPES) for e in entries
            ],
            "Norm": [norms.norm_text(e["norm"]) for e in entries],
            "Was": [_FINDING_WORDS.get(e["before"], e["before"]) for e in entries],
            "Nu": [_FINDING_WORDS.get(e["after"], e["after"]) for e in entries],
            "Toelichting": [e["reason"] for e in entries],
        }
    )


def handovers_frame(entries: list[dict[str, Any]]) -> pd.DataFrame:
    """The warm shares that changed, per shelter and phase."""
    return pd.DataFrame(
        {
            "Opvangorganisatie": [e["organisation"] for e in entries],
            "Fase": [codes.label(e["phase"], codes.PHASES) for e in entries],
            "Periode was": [e["period_before"] or "–" for e in entries],
            "Warm was": [common.percent(e["warm_share_before"]) for e in entries],
            "Periode nu": [e["period_after"] or "–" for e in entries],
            "Warm nu": [common.percent(e["warm_share_after"]) for e in entries],
        }
    )


def _severity(value: float | None) -> str:
    return "–" if value is None else stagnation.format_number(value)


def _flag(value: bool | None) -> str:
    return "–" if value is None else ("ja" if value else "nee")


def stagnation_frame(entries: list[dict[str, Any]]) -> pd.DataFrame:
    """The stagnation topics that changed (period, mean severity or flag)."""
    return pd.DataFrame(
        {
            "Domein": [codes.label(e["domain"], codes.DOMAINS) for e in entries],
            "Onderwerp": [codes.label(e["topic"], codes.TOPICS) for e in entries],
            "Partnertype": [common.partner_label(e["partner_type"]) for e in entries],
            "Uitvraag was": [e["period_before"] or "–" for e in entries],
            "Ernst was": [_severity(e["mean_severity_before"]) for e in entries],
            "Gesignaleerd was": [_flag(e["flagged_before"]) for e in entries],
            "Uitvraag nu": [e["period_after"] or "–" for e in entries],
            "Ernst nu": [_severity(e["mean_severity_after"]) for e in entries],
            "Gesignaleerd nu": [_flag(e["flagged_after"]) for e in entries],
        }
    )


def imports_frame(entries: list[dict[str, Any]]) -> pd.DataFrame:
    """The imports made or undone between the two moments."""

    def when(text: str | None) -> str:
        return "–" if text is None else f"{text[8:10]}-{text[5:7]}-{text[0:4]} {text[11:16]}"

    return pd.DataFrame(
        {
            "Import": [int(e["id"]) for e in entries],
            "Bestand": [e["file_name"] for e in entries],
            "Soort": [codes.KINDS.get(e["kind"], e["kind"]) for e in entries],
            "Geïmporteerd": [when(e["imported_at"]) for e in entries],
            "Ongedaan gemaakt": [when(e["undone_at"]) for e in entries],
        }
    )
