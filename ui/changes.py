"""What changed since a moment (changes.md), for the Overzicht, the page "Wat is veranderd" and
the Gegevens page: the moment picker, the cached changes between two states, the key figures of a
state, and the Dutch tables of each list.

Meetings are not part of the database's content version (recording one changes no data), so the
picker reads the region's meetings in a short read-only session on every run instead of from the
cache; everything that depends only on imports and undos is cached on the content version.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

import pandas as pd
import streamlit as st

from analysis import codes, handovers, network, norms, stagnation
from analysis.changes import State, build_changes, compare_links
from ketendata import access, store
from ketendata.columns import COLUMNS, REGIONS
from ketendata.store import meetings, queries
from ketendata.wording import plural
from ui import access as access_ui
from ui import common

__all__ = [
    "KeyFigures",
    "Moment",
    "added_frame",
    "changed_frame",
    "count_text",
    "describe_difference",
    "ended_frame",
    "figures_of",
    "findings_frame",
    "handovers_frame",
    "import_effects",
    "imports_frame",
    "incoming_agreements",
    "load_changes",
    "load_figures",
    "load_shown_changes",
    "pick_moment",
    "preview_links",
    "read_meetings",
    "regions_of",
    "replaced_agreements",
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
        else f"90 dagen geleden ({default:%d-%m-%Y})"
    )
    labels = {
        "vergadering": first,
        "datum": "Een gekozen datum",
        "imports": "Tussen twee imports",
    }
    place = st.columns([3, 2, 2]) if compact else None
    mode = (place[0] if place else st).selectbox(
        "Verandering sinds",
        MODES,
        format_func=labels.__getitem__,
        key=f"{key}_sinds",
        help="Ketenkaart vergelijkt de gegevens van nu met die op het gekozen moment. "
        "Standaard is dat de vorige vergadering die vóór vandaag is vastgelegd; zolang er geen "
        "is vastgelegd (pagina Acties, Vergadering vastleggen), 90 dagen geleden.",
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


@common.stop_on_busy
@st.cache_data(show_spinner=False, max_entries=32)
def _load_handovers(
    path: str, region: str, version: str, since: datetime, until: datetime | None
) -> tuple[pd.DataFrame, pd.DataFrame]:
    """The region's handovers at ``since`` and at ``until`` (None: now)."""
    with store.reading(path) as con:
        old = queries.region_frames(con, region, since)
        new = queries.region_frames(con, region, until)
    return old.handovers, new.handovers


def load_shown_changes(view: common.RegionView, moment: Moment) -> dict[str, Any]:
    """:func:`load_changes` as this run's user may see it (access.md): for an ``opvang`` user,
    other shelters' warm shares of fewer than 5 families "verborgen"
    (:func:`ketendata.access.shown_changes`). For the page and its download alike."""
    document = load_changes(
        view.path, view.region, view.version, view.today, moment.since, moment.until
    )
    me = access_ui.principal()
    if not any(
        access.hides_small_counts(me, view.region, e["organisation"]) for e in document["handovers"]
    ):
        return document
    before, after = _load_handovers(
        view.path, view.region, view.version, moment.since, moment.until
    )
    return access.shown_changes(me, document, before=before, after=after)


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


def figures_of(
    frames: queries.RegionFrames, today: date, kinds: set[str] | None = None
) -> KeyFigures:
    """The key figures of one state of a region, judged on ``today``; with ``kinds`` only the
    figures those upload kinds touch (the others as if there were no data)."""
    kinds = set(codes.KINDS) if kinds is None else kinds
    has_inventory = "afspraken" in kinds and len(frames.agreements) > 0
    measures = (
        network.measure_network(network.build_network(frames.agreements, today), frames.matrix)
        if has_inventory
        else None
    )
    findings = (
        norms.judge_requirements(frames.agreements, frames.matrix, today, common.SETTINGS)
        if has_inventory
        else []
    )
    warm = handovers.warm_share_change(
        frames.handovers if "overdrachten" in kinds else pd.DataFrame()
    )
    period = None
    if "stagnatie" in kinds:
        period, _ = handovers.latest_two_periods(frames.stagnation)
    flagged = None
    if period is not None:
        topics = stagnation.summarise_stagnation(frames.stagnation, common.SETTINGS, period=period)
        flagged = stagnation.count_flagged(topics)
    return KeyFigures(
        organisations=measures.organisations if measures else 0,
        agreements=measures.agreements if measures else 0,
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


def _share(value: float | str | None) -> str:
    """A warm share of the document: a percentage, "verborgen" (access.md) or "–"."""
    return value if isinstance(value, str) else common.percent(value)


def handovers_frame(entries: list[dict[str, Any]]) -> pd.DataFrame:
    """The warm shares that changed, per shelter and phase (a hidden one as "verborgen")."""
    return pd.DataFrame(
        {
            "Opvangorganisatie": [e["organisation"] for e in entries],
            "Fase": [codes.label(e["phase"], codes.PHASES) for e in entries],
            "Periode was": [e["period_before"] or "–" for e in entries],
            "Warm was": [_share(e["warm_share_before"]) for e in entries],
            "Periode nu": [e["period_after"] or "–" for e in entries],
            "Warm nu": [_share(e["warm_share_after"]) for e in entries],
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


# --- What an upload or an undo changes (the Gegevens page) -------------------------------------


def incoming_agreements(frame: pd.DataFrame) -> pd.DataFrame:
    """A validated inventory (upload columns, one region) as the analysis reads agreements."""
    renamed = {
        column.name: column.frame_name
        for column in COLUMNS["afspraken"]
        if column.references != REGIONS and column.name in frame.columns
    }
    return frame.rename(columns=renamed).drop(columns=["regio"], errors="ignore")


def replaced_agreements(current: pd.DataFrame, incoming: pd.DataFrame) -> pd.DataFrame:
    """The region's agreements after an upload: every holder in ``incoming`` gets its rows
    from there (an inventory replaces the holder's previous one), the others keep theirs."""
    holders = {codes.normalize_name(str(name)) for name in incoming["organisation"]}
    kept = current[
        [codes.normalize_name(str(name)) not in holders for name in current["organisation"]]
    ]
    return pd.concat([kept, incoming], ignore_index=True)


def preview_links(
    current: pd.DataFrame, upload: pd.DataFrame, today: date
) -> dict[str, list[dict[str, Any]]]:
    """The links of the region that a replacing inventory adds, ends and changes (changes.md),
    judged on ``today``, before it is imported."""
    incoming = incoming_agreements(upload)
    return compare_links(current, today, replaced_agreements(current, incoming), today)


def _figure_changes(before: KeyFigures, after: KeyFigures, kinds: set[str]) -> list[str]:
    parts = []

    def number(word: str, was: int | None, now: int | None) -> None:
        if was != now:
            parts.append(f"{word} {'–' if was is None else was} → {'–' if now is None else now}")

    if "afspraken" in kinds:
        number("organisaties", before.organisations, after.organisations)
        number("actuele afspraken", before.agreements, after.agreements)
        if before.coverage != after.coverage:
            parts.append(
                f"normdekking {common.percent(before.coverage)} → {common.percent(after.coverage)}"
            )
    if "overdrachten" in kinds and (before.warm_share, before.warm_period) != (
        after.warm_share,
        after.warm_period,
    ):
        parts.append(
            f"warm overgedragen {common.percent(before.warm_share)} "
            f"({before.warm_period or 'geen periode'}) → {common.percent(after.warm_share)} "
            f"({after.warm_period or 'geen periode'})"
        )
    if "stagnatie" in kinds and (before.flagged, before.stagnation_period) != (
        after.flagged,
        after.stagnation_period,
    ):
        parts.append(
            f"stagnatiesignalen {'–' if before.flagged is None else before.flagged} "
            f"({before.stagnation_period or 'geen uitvraag'}) → "
            f"{'–' if after.flagged is None else after.flagged} "
            f"({after.stagnation_period or 'geen uitvraag'})"
        )
    return parts


def _same(left: pd.DataFrame, right: pd.DataFrame) -> bool:
    if len(left) == 0 and len(right) == 0:
        return True
    return left.reset_index(drop=True).equals(right.reset_index(drop=True))


def describe_difference(
    before: queries.RegionFrames,
    after: queries.RegionFrames,
    today: date,
    kinds: set[str] | None = None,
) -> str | None:
    """What differs between two states of a region, in counts (Dutch), judged on ``today``:
    the agreement links added, ended and changed and the key figures that moved; None when
    the data is the same. ``kinds`` limits it to what those upload kinds touch."""
    kinds = set(codes.KINDS) if kinds is None else kinds
    if (
        _same(before.agreements, after.agreements)
        and _same(before.handovers, after.handovers)
        and _same(before.stagnation, after.stagnation)
        and _same(before.matrix, after.matrix)
    ):
        return None
    parts = []
    if "afspraken" in kinds:
        links = compare_links(before.agreements, today, after.agreements, today)
        parts.append(count_text({"agreements": links}))
    parts += _figure_changes(
        figures_of(before, today, kinds), figures_of(after, today, kinds), kinds
    )
    return "; ".join(parts) if parts else "geen verandering in de kerncijfers"


def regions_of(row: Any) -> list[str]:
    """The regions an import row of the import log names."""
    return [name for name in str(row.regions or "").split("; ") if name]


@common.stop_on_busy
@st.cache_data(show_spinner=False, max_entries=16)
def import_effects(
    path: str, region: str, version: str, imports: tuple[tuple[int, datetime, str], ...]
) -> dict[int, str]:
    """Per import (id, imported_at, kind): what it changed in the region when it was made, in
    counts: the state just before against the state just after, judged on that day."""
    effects: dict[int, str] = {}
    with store.reading(path) as con:
        for import_id, imported_at, kind in imports:
            before = queries.region_frames(con, region, imported_at - timedelta(microseconds=1))
            after = queries.region_frames(con, region, imported_at)
            effect = describe_difference(before, after, imported_at.date(), {kind})
            effects[import_id] = effect or "niets (de inhoud was al actueel)"
    return effects
