"""Actions (actions.md) in the app: "Actie toevoegen" wherever a gap is shown, the region's
action list, and recording a meeting.

:func:`add_action_button` is the one component every page uses: a popover with the gap's link
filled in and a form (title suggested from the gap, owner, due date, status, note), so a gap is
one click from the form and two from a stored action. Actions and meetings are not part of the
database's content version, so they are read in a short read-only session on every run
(:func:`read_actions`); the report their ``gap_open`` is judged against is cached.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from datetime import date, datetime
from typing import Any

import pandas as pd
import streamlit as st

from analysis import codes
from analysis.actions import ACTION_STATUSES, link_form
from analysis.handovers import GAP_LABELS, phase_text
from analysis.report import build_report
from ketendata import access, store
from ketendata import actions as action_library
from ketendata.access import AccessDenied
from ketendata.intake.problems import Problem, ValidationError
from ketendata.store import meetings
from ui import access as access_ui
from ui import common

__all__ = [
    "Candidate",
    "actions_frame",
    "add_action_for_table",
    "add_action_button",
    "edit_action_form",
    "finding_link",
    "gap_candidates",
    "gap_link",
    "link_text",
    "load_report",
    "may_change_action",
    "own_owner",
    "preselected",
    "problems_text",
    "read_actions",
    "read_history",
    "record_meeting_button",
    "set_status",
    "suggested_title",
    "topic_link",
]

#: (what the user sees, the link in actions.md form).
Candidate = tuple[str, Mapping[str, str]]

_MESSAGE = "_actie_bericht_"
_COUNT = "_actie_teller_"


def _partner(code: str | None) -> str:
    return common.partner_label(code)


def link_text(link: Mapping[str, Any] | None) -> str:
    """The gap a link names, in Dutch.

    >>> link_text({"partner_type": "huisarts"})
    'Geen opvang heeft een afspraak met Huisarts'
    >>> link_text({"domain": "wonen", "topic": "urgentie"})
    'Stagnatie Wonen: Urgentie'
    >>> link_text(None)
    'Geen knelpunt gekoppeld'
    """
    given = {key: value for key, value in (link or {}).items() if value is not None}
    form = link_form(given)
    if form == "partner_type":
        return f"Geen opvang heeft een afspraak met {_partner(given['partner_type'])}"
    if form == "finding":
        what = codes.label(given["agreement_type"], codes.AGREEMENT_TYPES)
        return f"{given['organisation']}: {what} met {_partner(given['partner_type'])}"
    if form == "handover_gap":
        return (
            f"{given['organisation']}: {phase_text(given['phase'], given['partner_type'])}, "
            f"{GAP_LABELS.get(given['kind'], given['kind']).lower()}"
        )
    if form == "stagnation":
        text = (
            f"Stagnatie {codes.label(given['domain'], codes.DOMAINS)}: "
            f"{codes.label(given['topic'], codes.TOPICS)}"
        )
        return text + (f" ({_partner(given['partner_type'])})" if given.get("partner_type") else "")
    return "Geen knelpunt gekoppeld"


def suggested_title(link: Mapping[str, Any] | None) -> str:
    """A first title for an action on this gap (the user changes it as agreed).

    >>> suggested_title({"partner_type": "huisarts"})
    'Afspraak maken met Huisarts'
    """
    given = {key: value for key, value in (link or {}).items() if value is not None}
    form = link_form(given)
    if form == "partner_type":
        return f"Afspraak maken met {_partner(given['partner_type'])}"
    if form == "finding":
        what = codes.label(given["agreement_type"], codes.AGREEMENT_TYPES)
        return f"Afspraak {what} met {_partner(given['partner_type'])} op orde brengen"
    if form == "handover_gap":
        return f"{GAP_LABELS.get(given['kind'], given['kind'])}: verbeteren"
    if form == "stagnation":
        return f"Stagnatie {codes.label(given['topic'], codes.TOPICS).lower()} aanpakken"
    return ""


def finding_link(finding: Any) -> dict[str, str]:
    """The link of a norm finding (:class:`analysis.norms.Finding`)."""
    return {
        "organisation": finding.organisation,
        "partner_type": finding.partner_type,
        "agreement_type": finding.agreement_type,
    }


def gap_link(gap: Any) -> dict[str, str]:
    """The link of a handover gap (:class:`analysis.handovers.Gap`)."""
    return {
        "organisation": gap.organisation,
        "partner_type": gap.partner_type,
        "phase": gap.phase,
        "kind": gap.kind,
    }


def topic_link(topic: Any) -> dict[str, str]:
    """The link of a stagnation topic (:class:`analysis.stagnation.StagnationTopic`)."""
    link = {"domain": topic.domain, "topic": topic.topic}
    if topic.partner_type:
        link["partner_type"] = topic.partner_type
    return link


def gap_candidates(report: Mapping[str, Any]) -> list[Candidate]:
    """Every gap of the current report as a candidate for an action: the partner types no
    shelter reaches, the findings not met, the handover gaps, the flagged stagnation topics."""
    links: list[dict[str, str]] = [
        {"partner_type": code} for code in report["network"]["partner_types_missing"]
    ]
    links += [
        {key: f[key] for key in ("organisation", "partner_type", "agreement_type")}
        for f in report["norms"]["findings"]
        if f["status"] != "met"
    ]
    links += [
        {key: g[key] for key in ("organisation", "partner_type", "phase", "kind")}
        for g in report["handover_gaps"]
    ]
    for topic in report["stagnation"]:
        if topic["flagged"]:
            link = {"domain": topic["domain"], "topic": topic["topic"]}
            if topic.get("partner_type"):
                link["partner_type"] = topic["partner_type"]
            links.append(link)
    return [(link_text(link), link) for link in links]


def problems_text(problems: Sequence[Problem]) -> list[str]:
    """Every problem of a refused action as one line: what, the (masked) value, expected.

    >>> problems_text([Problem(None, None, "x", "status: onbekende status", "open of bezig")])
    ["status: onbekende status ('x'); verwacht: open of bezig"]
    """
    lines = []
    for problem in problems:
        value = f" ('{problem.value}')" if problem.value not in (None, "") else ""
        lines.append(f"{problem.message}{value}; verwacht: {problem.expected}")
    return lines


# --- Reading ----------------------------------------------------------------------------------


@common.stop_on_busy
@st.cache_data(show_spinner=False, max_entries=16)
def load_report(path: str, region: str, version: str, today: date) -> dict[str, Any]:
    """The report of the region's current data, that ``gap_open`` is judged against."""
    frames = common.load_frames(path, region, version)
    return build_report(
        region,
        frames.agreements,
        frames.handovers,
        frames.stagnation,
        frames.matrix,
        today,
        common.SETTINGS,
    )


@common.stop_on_busy
def read_actions(view: common.RegionView) -> list[dict[str, Any]]:
    """The region's actions as the command line lists them (actions.md), read afresh."""
    report = load_report(view.path, view.region, view.version, view.today)
    with store.reading(view.path) as con:
        return action_library.list_actions(con, view.region, view.today, report=report)


@common.stop_on_busy
def read_history(view: common.RegionView, action_id: int) -> list[dict[str, Any]]:
    """Every version of one action, oldest first."""
    with store.reading(view.path) as con:
        return action_library.action_history(con, action_id, view.today)


# --- Writing ----------------------------------------------------------------------------------


def _show_message(key: str, *, toast: bool = False) -> None:
    """The message a write left for this component; as a toast where the component stands in a
    narrow column (next to a gap), else in the page."""
    message = st.session_state.pop(_MESSAGE + key, None)
    if message is not None:
        (st.toast if toast else st.success)(
            common.escape_markdown(message), icon=":material/task_alt:"
        )


def _fields_form(key: str, defaults: Mapping[str, Any]) -> dict[str, Any] | None:
    """The fields of an action as a form; the fields when submitted, else None."""
    with st.form(key=f"{key}_formulier", border=False):
        title = st.text_input(
            "Titel (verplicht)",
            value=defaults.get("title") or "",
            max_chars=action_library.MAX_TITLE_LENGTH,
            key=f"{key}_titel",
            help="Wat is afgesproken. Zonder namen van cliënten of medewerkers.",
        )
        owner = st.text_input(
            "Eigenaar (organisatie)",
            value=defaults.get("owner") or "",
            key=f"{key}_eigenaar",
        )
        left, right = st.columns(2)
        due = left.date_input(
            "Deadline",
            value=defaults.get("due"),
            format="DD-MM-YYYY",
            key=f"{key}_deadline",
        )
        statuses = list(ACTION_STATUSES)
        status = right.selectbox(
            "Status",
            statuses,
            index=statuses.index(defaults.get("status") or "open"),
            format_func=ACTION_STATUSES.__getitem__,
            key=f"{key}_status",
        )
        note = st.text_area(
            "Notitie",
            value=defaults.get("note") or "",
            max_chars=action_library.MAX_NOTE_LENGTH,
            key=f"{key}_notitie",
        )
        if not st.form_submit_button("Opslaan", type="primary", key=f"{key}_opslaan"):
            return None
    return {"title": title, "owner": owner, "due": due, "status": status, "note": note}


def _write(action: Any, *args: Any) -> Any:
    """Run a write; show a refusal or a database problem in Dutch and return None."""
    try:
        return common.write(action, *args, principal=access_ui.principal())
    except ValidationError as error:
        lines = problems_text(error.problems)
        st.error(
            "Het actiepunt is niet opgeslagen; er is niets veranderd.\n\n"
            + "\n".join(f"- {common.escape_markdown(line)}" for line in lines)
        )
    except (store.DatabaseBusyError, store.DatabaseError) as error:
        common.show_database_problem(error)
    except LookupError as error:  # an unknown action or region: gone meanwhile
        st.error(f"{common.escape_markdown(error)} Er is niets opgeslagen.")
    except AccessDenied as error:  # access.md: outside the user's rights
        st.error(f"{common.escape_markdown(error)} Er is niets opgeslagen.")
    return None


def add_action_button(
    region: str,
    candidates: Sequence[Candidate],
    *,
    key: str,
    index: int = 0,
    label: str = "Actie toevoegen",
    to_list: bool = True,
) -> None:
    """ "Actie toevoegen" for one gap, or for one of several (``candidates``, the one at ``index``
    preselected): a popover with the link filled in and the form; the action is stored with
    that link. Without candidates nothing is drawn. ``to_list``: the message after saving
    points to the page Acties (not on that page itself)."""
    me = access_ui.principal()
    if not candidates or not me.may_add_actions(region):  # access.md: a lezer adds nothing
        return
    _show_message(key, toast=True)
    with st.popover(label, icon=":material/add_task:"):
        if len(candidates) == 1:
            chosen = 0
        else:
            index = min(max(index, 0), len(candidates) - 1)
            chosen = st.selectbox(
                "Knelpunt",
                range(len(candidates)),
                index=index,
                format_func=lambda i: candidates[i][0],
                # a new preselection (another table row picked) starts a fresh choice
                key=f"{key}_knelpunt_{index}",
            )
        shown, link = candidates[chosen]
        st.caption(f"Gekoppeld aan: {common.escape_markdown(shown)}")
        # The form's key follows the gap (a suggested title follows a new choice) and the
        # number of actions stored here (a stored action leaves an empty form).
        stored = st.session_state.get(_COUNT + key, 0)
        fields = _fields_form(
            f"{key}_{chosen}_{stored}",
            {"title": suggested_title(link), "owner": own_owner(me, region)},
        )
        if fields is None:
            return
        action_id = _write(action_library.add_action, region, fields, dict(link))
        if action_id is not None:
            st.session_state[_COUNT + key] = stored + 1
            st.session_state[_MESSAGE + key] = (
                f"Actie {action_id} aangemaakt: {fields['title'].strip()}."
                + (" U vindt haar op de pagina Acties." if to_list else "")
            )
            st.rerun()


def own_owner(principal: access.Principal, region: str) -> str | None:
    """The owner an ``opvang`` user's new action gets filled in (the only owner it may give,
    access.md); None for a user with a region-wide right.

    >>> own_owner(access.Principal("o", (access.Grant("opvang", ("Zuid",), "Blijf"),)), "zuid")
    'Blijf'
    """
    if principal.may_change(region):
        return None
    return next(
        (g.organisation for g in principal.grants if g.role == "opvang" and g.covers(region)),
        None,
    )


def may_change_action(action: Mapping[str, Any], region: str) -> bool:
    """Whether this run's user may change the action (access.md: its owner is the user's
    organisation, or the user has a region-wide right)."""
    return access_ui.principal().may_change_action(region, action.get("owner"))


def preselected(flags: Sequence[bool], picked: int | None) -> int:
    """Which of the gaps (the rows whose flag is set) the row picked in a table is: its place
    among the gaps, or the first gap when the picked row is none (or not a gap).

    >>> preselected([True, False, True, True], 2), preselected([True, False, True], 1)
    (1, 0)
    >>> preselected([False, True], None)
    0
    """
    if picked is None or not 0 <= picked < len(flags) or not flags[picked]:
        return 0
    return sum(flags[:picked])


def _selected_row(table_key: str) -> int | None:
    """The row picked in a table drawn with ``on_select`` (its position), or None."""
    state = st.session_state.get(table_key)
    try:
        rows = state["selection"]["rows"]  # type: ignore[index]
    except (KeyError, TypeError):
        return None
    return int(rows[0]) if rows else None


def add_action_for_table(
    region: str,
    items: Sequence[Any],
    link_of: Callable[[Any], Mapping[str, str]],
    *,
    table_key: str,
    key: str,
    is_gap: Callable[[Any], bool] = lambda item: True,
) -> None:
    """ "Actie toevoegen" under a table of gaps (drawn with ``on_select="rerun"`` and
    ``selection_mode="single-row"`` under ``table_key``): the gaps among ``items`` are the
    choices, and the row the user picked is preselected, so a gap is two clicks from the form
    with its link filled in."""
    flags = [bool(is_gap(item)) for item in items]
    if not any(flags) or not access_ui.principal().may_add_actions(region):
        return
    index = preselected(flags, _selected_row(table_key))
    links = [link_of(item) for item, flag in zip(items, flags, strict=True) if flag]
    add_action_button(region, [(link_text(link), link) for link in links], key=key, index=index)
    st.caption(
        "Kies een rij in de tabel en daarna **Actie toevoegen**: het knelpunt is dan al ingevuld."
    )


def edit_action_form(action: Mapping[str, Any], *, key: str) -> None:
    """The form to change an action (a new version); the message shows after the rerun."""
    _show_message(key)
    due = date.fromisoformat(action["due"]) if action["due"] else None
    # a new version gets a fresh form, so the form always starts from the current version
    fields = _fields_form(f"{key}_{action['updated_at']}", {**action, "due": due})
    if fields is None:
        return
    version = _write(action_library.update_action, int(action["id"]), fields)
    if version is not None:
        st.session_state[_MESSAGE + key] = f"Actie {action['id']} bijgewerkt (versie {version})."
        st.rerun()


def set_status(action_id: int, status: str) -> int | None:
    """Give an action a new status (a new version); the new version number, or None."""
    return _write(action_library.update_action, action_id, {"status": status})


def record_meeting_button(view: common.RegionView, *, key: str) -> None:
    """ "Vergadering vastleggen": record that the region meets now, so the next "since the last
    meeting" starts here. Only for a user who may record it (access.md: a region-wide right)."""
    if not access_ui.principal().may_change(view.region):
        return
    _show_message(key)
    if not st.button(
        "Vergadering vastleggen",
        key=key,
        icon=":material/event_available:",
        help="Legt vast dat de regio nu vergadert. Vanaf de volgende dag vergelijkt Ketenkaart "
        "standaard met dit moment ('sinds de vorige vergadering').",
    ):
        return
    held_at = datetime.now().replace(microsecond=0)
    meeting = _write(meetings.record_meeting, view.region, held_at)
    if meeting is not None:
        st.session_state[_MESSAGE + key] = (
            f"Vergadering van {held_at:%d-%m-%Y %H:%M} vastgelegd voor {view.region}. Bij een "
            "volgende vergadering is dit het moment 'sinds de vorige vergadering'."
        )
        st.rerun()


def actions_frame(found: Sequence[Mapping[str, Any]]) -> pd.DataFrame:
    """The actions as a table: overdue and a closed gap visible at a glance."""

    def gap(value: bool | None) -> str:
        if value is None:
            return "–"
        return "open" if value else "opgelost"

    return pd.DataFrame(
        {
            "Nr": [int(a["id"]) for a in found],
            "Titel": [a["title"] for a in found],
            "Status": [ACTION_STATUSES.get(a["status"], a["status"]) for a in found],
            "Te laat": ["te laat" if a["overdue"] else "" for a in found],
            "Knelpunt nu": [gap(a["gap_open"]) for a in found],
            "Deadline": [
                date.fromisoformat(a["due"]).strftime("%d-%m-%Y") if a["due"] else "" for a in found
            ],
            "Eigenaar": [a["owner"] or "" for a in found],
            "Knelpunt": [link_text(a["link"]) if a["link"] else "–" for a in found],
            "Notitie": [a["note"] or "" for a in found],
        }
    )
