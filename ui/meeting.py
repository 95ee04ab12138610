"""The Vergadering page's steps (meeting.md): an agenda for an hour on a projector, each step
made to fit 1280×720 without scrolling (Streamlit only).

The agenda (:data:`STEPS`): key figures with what changed since the last meeting → the top
gaps → the map → handovers (the shelters ranked by warm share) → stagnation → the actions.
Every gap shown has "Actie toevoegen" (two clicks to a filled-in form, :mod:`ui.actions`), and
an action stored appears at once in the last step. Starting the meeting records its moment
(:func:`ketendata.store.meetings.record_meeting`), so the next meeting's "since" is known.
Nothing here uses colour as the only cue: trends and "te laat" are words, the map has shapes
and dash patterns.
"""

from __future__ import annotations

from datetime import datetime

import pandas as pd
import streamlit as st

from analysis import codes, handovers
from analysis.compare import HIDDEN_SHARE
from analysis.meeting import rank_shelters
from analysis.priorities import rank_gaps
from analysis.stagnation import TREND_LABELS, format_number, topic_text
from ketendata import access
from ketendata.store import meetings
from ui import access as access_ui
from ui import actions as ui_actions
from ui import changes, common, kaart

__all__ = ["STEPS", "show_step", "start_meeting"]

#: The agenda, in order.
STEPS: tuple[str, ...] = (
    "Kerncijfers",
    "Knelpunten",
    "Kaart",
    "Overdracht",
    "Stagnatie",
    "Acties",
)

_STARTED = "vergadering_gestart"

#: The statuses an open action can be given in the meeting (actions.md).
_NEW_STATUSES = (("bezig", "Bezig"), ("gereed", "Gereed"), ("vervallen", "Vervallen"))

#: The map's height on the projector (1280×720 leaves about this much below the agenda).
MAP_HEIGHT = 430


def start_meeting(view: common.RegionView) -> datetime:
    """ "Vergadering beginnen" records the meeting now (once per session and region); returns
    the moment the figures compare with: the last meeting before today, else 90 days back."""
    held, since = changes.read_meetings(view.path, view.region, view.today)
    started = st.session_state.get(_STARTED, {}).get(view.region)
    if started is not None:
        st.caption(f"Vergadering van {started:%d-%m-%Y %H:%M} vastgelegd.")
        return since
    if not access_ui.principal().may_change(view.region):  # access.md: not offered
        return since
    if st.button(
        "Vergadering beginnen",
        icon=":material/play_arrow:",
        type="primary",
        key="vergadering_beginnen",
        help="Legt vast dat de regio nu vergadert: bij het volgende overleg vergelijkt "
        "Ketenkaart met dit moment ('sinds de vorige vergadering').",
    ):
        moment = datetime.now().replace(microsecond=0)
        try:
            common.write(
                meetings.record_meeting, view.region, moment, principal=access_ui.principal()
            )
        except Exception as error:  # the page shows the problem and goes on
            st.error(f"De vergadering kon niet worden vastgelegd: {common.escape_markdown(error)}")
        else:
            st.session_state.setdefault(_STARTED, {})[view.region] = moment
            st.rerun()
    return since


def _delta(now: float | int | None, was: float | int | None) -> float | int | None:
    return None if now is None or was is None else now - was


def _points(now: float | None, was: float | None) -> str | None:
    change = _delta(now, was)
    return None if change is None else handovers.format_points(change * 100)


def _key_figures(view: common.RegionView, since: datetime) -> None:
    now = changes.load_figures(view.path, view.region, view.version, view.today, None)
    was = changes.load_figures(view.path, view.region, view.version, view.today, since)
    columns = st.columns(5)
    columns[0].metric(
        "Organisaties",
        now.organisations,
        _delta(now.organisations, was.organisations),
        border=True,
    )
    columns[1].metric(
        "Actuele afspraken", now.agreements, _delta(now.agreements, was.agreements), border=True
    )
    columns[2].metric(
        "Normdekking",
        common.percent(now.coverage) if now.coverage is not None else "–",
        _points(now.coverage, was.coverage),
        border=True,
    )
    columns[3].metric(
        "Warm overgedragen",
        common.percent(now.warm_share) if now.warm_share is not None else "–",
        _points(now.warm_share, was.warm_share),
        help=f"Over alle fasen in {common.escape_markdown(now.warm_period)} (norm 4.1, keurmerk)."
        if now.warm_period
        else "Nog geen overdrachten ingevuld.",
        border=True,
    )
    columns[4].metric(
        "Stagnatiesignalen",
        now.flagged if now.flagged is not None else "–",
        _delta(now.flagged, was.flagged),
        delta_color="inverse",
        border=True,
    )
    found = changes.load_changes(view.path, view.region, view.version, view.today, since, None)
    improved = sum(
        1
        for f in found["findings"]
        if f["before"] and f["after"] and _rank(f["after"]) > _rank(f["before"])
    )
    worsened = sum(
        1
        for f in found["findings"]
        if f["before"] and f["after"] and _rank(f["after"]) < _rank(f["before"])
    )
    st.markdown(
        f"**Wat is er veranderd sinds {since:%d-%m-%Y}:** "
        f"{common.escape_markdown(changes.count_text(found))}; normen: {improved} verbeterd, "
        f"{worsened} verslechterd."
    )


def _rank(status: str) -> int:
    return {"missing": 0, "partial": 1, "met": 2}.get(status, 0)


def _gaps(view: common.RegionView) -> None:
    frames = common.load_frames(view.path, view.region, view.version)
    net = common.load_network(view.path, view.region, view.version, view.today)
    findings = common.load_findings(view.path, view.region, view.version, view.today)
    period = handovers.warm_share_change(frames.handovers).period
    stagnation_period, _ = handovers.latest_two_periods(frames.stagnation)
    gap_list = common.load_gaps(view.path, view.region, view.version, view.today, period)
    topics = common.load_topics(view.path, view.region, view.version, stagnation_period)
    lines = rank_gaps(findings, net.measures.partner_types_missing, gap_list, topics)
    if not lines:
        st.success("Geen knelpunten: alle eisen voldaan en geen gesignaleerde stagnatie.")
    for number, line in enumerate(lines, start=1):
        text, action = st.columns([4, 1], vertical_alignment="center")
        text.markdown(f"**{number}.** {common.escape_markdown(line.sentence)}")
        with action:
            ui_actions.add_action_button(
                view.region,
                [(ui_actions.link_text(link), link) for link in line.links],
                key=f"vergadering_knelpunt_{number}",
                to_list=False,
            )


def _map(view: common.RegionView) -> None:
    net = common.load_network(view.path, view.region, view.version, view.today)
    if net.graph.number_of_nodes() == 0:
        st.info("Nog geen inventarisatie van ketenafspraken ingelezen.")
        return
    missing = list(net.measures.partner_types_missing)
    figure = kaart.build_map_figure(net.graph, net.positions, missing, height=MAP_HEIGHT)
    map_column, side = st.columns([4, 1])
    map_column.plotly_chart(figure, key="vergadering_kaart", config={"displayModeBar": False})
    with side:
        if missing:
            st.markdown("**Geen enkele opvang heeft een afspraak met:**")
            for code in missing:
                st.markdown(f"- {common.escape_markdown(codes.label(code, codes.PARTNER_TYPES))}")
            ui_actions.add_action_button(
                view.region,
                [
                    (ui_actions.link_text({"partner_type": code}), {"partner_type": code})
                    for code in missing
                ],
                key="vergadering_kaart_actie",
                to_list=False,
            )
        else:
            st.markdown("Elk partnertype dat de norm vraagt heeft een afspraak met de opvang.")


def _share_text(value: object) -> str:
    """A share of the ranking: a percentage, "verborgen" (access.md) or "–" (no families)."""
    if isinstance(value, str):
        return value
    return "–" if value is None or pd.isna(value) else common.percent(value)


def _handovers(view: common.RegionView) -> None:
    frames = common.load_frames(view.path, view.region, view.version)
    # access.md: an opvang user sees other shelters' counts below 5 as "< 5", and a shelter
    # whose share is hidden is not ranked (its place would narrow the share down)
    ranked = access.shown_ranking(
        access_ui.principal(), view.region, rank_shelters(frames.handovers)
    )
    if ranked.empty:
        st.info("Nog geen overdrachten ingevuld.")
        return
    placed = ranked[ranked["ranked"]]
    if len(placed):
        worst = placed.iloc[0]
        phase = worst["weakest_phase"]
        phase_known = phase and phase != HIDDEN_SHARE
        st.markdown(
            f"**Laagste aandeel warme overdrachten ({common.escape_markdown(worst['period'])}):** "
            f"{common.escape_markdown(worst['organisation'])}, "
            f"{_share_text(worst['overall'])} over alle fasen"
            + (
                f"; het zwakst bij {codes.label(phase, codes.PHASES).lower()} "
                f"({_share_text(worst[phase])})."
                if phase_known
                else "."
            )
            + " Norm 4.1 (keurmerk) vraagt een warme overdracht bij elke in-, door- en uitstroom."
        )
    table = pd.DataFrame(
        {
            "Rang": pd.array(
                [
                    place if is_ranked else None
                    for place, is_ranked in enumerate(ranked["ranked"], start=1)
                ],
                dtype="Int64",
            ),
            "Opvangorganisatie": ranked["organisation"],
            # all as text once one reads "< 5" (one type per column)
            "Gezinnen": (
                [str(v) for v in ranked["families"]]
                if any(isinstance(v, str) for v in ranked["families"])
                else [int(v) for v in ranked["families"]]
            ),
            **{
                codes.label(p, codes.PHASES): [_share_text(v) for v in ranked[p]]
                for p in codes.PHASES
            },
            "Alle fasen": [_share_text(v) for v in ranked["overall"]],
            "Zwakste fase": [
                p if p == HIDDEN_SHARE else codes.label(p, codes.PHASES) if p else "–"
                for p in ranked["weakest_phase"]
            ],
        }
    )
    common.show_table(table, hide_index=True)
    if not ranked["ranked"].all():
        small = common.SETTINGS.small_count
        st.caption(
            f"Opvangorganisaties met minder dan {small} gezinnen staan onderaan zonder rang: "
            f"aantallen onder de {small} van andere organisaties toont Ketenkaart u niet."
        )
    gap_list = common.load_gaps(view.path, view.region, view.version, view.today, None)
    ui_actions.add_action_button(
        view.region,
        [(ui_actions.link_text(ui_actions.gap_link(g)), ui_actions.gap_link(g)) for g in gap_list],
        key="vergadering_overdracht_actie",
        to_list=False,
    )


def _stagnation(view: common.RegionView) -> None:
    frames = common.load_frames(view.path, view.region, view.version)
    period, _ = handovers.latest_two_periods(frames.stagnation)
    topics = common.load_topics(view.path, view.region, view.version, period)
    flagged = [t for t in topics if t.flagged]
    if period is None:
        st.info("Nog geen stagnatie-uitvraag ingevuld.")
        return
    if not flagged:
        st.success(f"Geen gesignaleerde stagnatie in {common.escape_markdown(period)}.")
        return
    table = pd.DataFrame(
        {
            "Onderwerp": [topic_text(t.domain, t.topic, t.partner_type) for t in flagged],
            "Ernst": [format_number(t.mean_severity) for t in flagged],
            "Trend": [TREND_LABELS.get(t.trend, t.trend) for t in flagged],
            "Mediane wachttijd (dagen)": [
                format_number(t.median_wait_days) if t.median_wait_days is not None else "–"
                for t in flagged
            ],
            "Extra verblijfsdagen": [str(t.extra_shelter_days or "–") for t in flagged],
            "Respondenten": [int(t.respondents) for t in flagged],
        }
    )
    st.markdown(f"**Gesignaleerd in {common.escape_markdown(period)}**, meest ernstig eerst.")
    common.show_table(table, hide_index=True)
    ui_actions.add_action_button(
        view.region,
        [
            (ui_actions.link_text(ui_actions.topic_link(t)), ui_actions.topic_link(t))
            for t in flagged
        ],
        key="vergadering_stagnatie_actie",
        to_list=False,
    )


def _actions(view: common.RegionView) -> None:
    found = [a for a in ui_actions.read_actions(view) if a["status"] in ("open", "bezig")]
    report = ui_actions.load_report(view.path, view.region, view.version, view.today)
    ui_actions.add_action_button(
        view.region,
        [("Geen knelpunt (een losse actie)", {}), *ui_actions.gap_candidates(report)],
        key="vergadering_nieuwe_actie",
        label="Nieuwe actie",
        to_list=False,
    )
    if not found:
        st.info("Nog geen open acties.")
        return
    common.show_table(ui_actions.actions_frame(found), hide_index=True)
    # updated live: one action's status in a click (the Acties page has the whole form); only
    # the actions this user may change (access.md)
    by_id = {int(a["id"]): a for a in found if ui_actions.may_change_action(a, view.region)}
    if not by_id:
        return
    pick, *buttons = st.columns([3, 1, 1, 1], vertical_alignment="bottom")
    chosen = pick.selectbox(
        "Status wijzigen van",
        list(by_id),
        format_func=lambda i: f"Nr. {i}: {by_id[i]['title']}",
        key="vergadering_actie_kiezen",
    )
    for column, (status, word) in zip(buttons, _NEW_STATUSES, strict=True):
        if (
            column.button(
                word,
                key=f"vergadering_status_{status}",
                disabled=by_id[chosen]["status"] == status,
                width="stretch",
            )
            and ui_actions.set_status(chosen, status) is not None
        ):
            st.rerun()


_DRAW = {
    "Kerncijfers": _key_figures,
    "Knelpunten": _gaps,
    "Kaart": _map,
    "Overdracht": _handovers,
    "Stagnatie": _stagnation,
    "Acties": _actions,
}


def show_step(view: common.RegionView, step: str, since: datetime) -> None:
    """Draw one step of the agenda."""
    if step == "Kerncijfers":
        _key_figures(view, since)
    else:
        _DRAW[step](view)
