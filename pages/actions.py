"""Acties: the region's action list (actions.md): filters, add, edit, set status, history;
overdue actions and closed gaps at a glance; recording a meeting."""

from __future__ import annotations

from datetime import date, datetime

import pandas as pd
import streamlit as st

from analysis.actions import ACTION_STATUSES
from ketendata.wording import plural
from ui import access as access_ui
from ui import actions as ui_actions
from ui import common

__all__: list[str] = []  # a page script: nothing to import

st.title("Acties")
view = common.require_region()
region_text = common.escape_markdown(view.region)
st.caption(
    f"{region_text} · peildatum {view.today:%d-%m-%Y}. Wat in een vergadering is afgesproken: "
    "wie doet wat, wanneer, en welk knelpunt het oplost. Een actie is **te laat** als ze open "
    "of bezig is en de deadline voor de peildatum ligt; **knelpunt opgelost** betekent dat het "
    "gekoppelde knelpunt niet meer in de huidige gegevens staat. Elke wijziging wordt bewaard."
)

me = access_ui.principal()
if not me.may_add_actions(view.region):  # access.md: a lezer changes nothing
    st.info(
        "U hebt leesrechten: acties toevoegen of wijzigen en een vergadering vastleggen doet de "
        "gemeente, de beheerder of (voor haar eigen acties) de opvangorganisatie."
    )
elif not me.may_change(view.region):
    st.caption(
        "U kunt acties toevoegen en wijzigen met uw eigen organisatie als eigenaar; een "
        "vergadering vastleggen doet de gemeente of de beheerder."
    )
top_left, top_right = st.columns([3, 1], vertical_alignment="center")
with top_left:
    report = ui_actions.load_report(view.path, view.region, view.version, view.today)
    ui_actions.add_action_button(
        view.region,
        [("Geen knelpunt (een losse actie)", {}), *ui_actions.gap_candidates(report)],
        key="actie_nieuw",
        label="Nieuwe actie",
        to_list=False,
    )
with top_right:
    ui_actions.record_meeting_button(view, key="vergadering_vastleggen")

found = ui_actions.read_actions(view)
if not found:
    st.info(
        f"Voor {region_text} zijn nog geen acties vastgelegd. Voeg er een toe met **Nieuwe "
        "actie**, of met **Actie toevoegen** bij een knelpunt op het Overzicht, het "
        "Normenkader, de Overdracht of de Stagnatie."
    )
    st.stop()

overdue = [a for a in found if a["overdue"]]
closed = [a for a in found if a["gap_open"] is False]
if overdue:
    st.warning(
        f"{plural(len(overdue), 'actie is', 'acties zijn')} te laat: "
        + ", ".join(f"nr. {a['id']}" for a in overdue)
        + ".",
        icon=":material/schedule:",
    )
if closed:
    st.success(
        f"Bij {plural(len(closed), 'actie', 'acties')} is het knelpunt opgelost: "
        + ", ".join(f"nr. {a['id']}" for a in closed)
        + ".",
        icon=":material/task_alt:",
    )

left, right = st.columns([3, 1], vertical_alignment="bottom")
statuses = left.multiselect(
    "Status",
    list(ACTION_STATUSES),
    format_func=ACTION_STATUSES.__getitem__,
    key="actie_status",
    bind="query-params",
    placeholder="Alle statussen",
)
only_overdue = right.toggle("Alleen te laat", key="actie_te_laat")
shown = [
    a
    for a in found
    if (not statuses or a["status"] in statuses) and (not only_overdue or a["overdue"])
]
if not shown:
    st.write("Geen acties met deze keuze.")
else:
    common.show_table(ui_actions.actions_frame(shown), key="acties")
st.caption(f"{len(shown)} van {plural(len(found), 'actie', 'acties')}.")

# --- One action: status, edit, history ----------------------------------------------------------
st.subheader("Actie bekijken of wijzigen", anchor=False)
by_id = {int(a["id"]): a for a in found}
chosen = st.selectbox(
    "Actie",
    list(by_id),
    format_func=lambda i: f"Nr. {i}: {by_id[i]['title']}",
    key="actie_kiezen",
)
action = by_id[chosen]
st.caption(f"Knelpunt: {common.escape_markdown(ui_actions.link_text(action['link']))}")
if ui_actions.may_change_action(action, view.region):
    buttons = st.columns(len(ACTION_STATUSES))
    for column, (status, word) in zip(buttons, ACTION_STATUSES.items(), strict=True):
        if column.button(
            word,
            key=f"status_{status}",
            disabled=action["status"] == status,
            help=f"Zet de status op {word.lower()} (een nieuwe versie).",
            width="stretch",
        ):
            version = ui_actions.set_status(chosen, status)
            if version is not None:
                st.rerun()
    with st.expander("Bewerken"):
        ui_actions.edit_action_form(action, key=f"bewerken_{chosen}")
elif me.may_add_actions(view.region):
    st.caption(
        "Deze actie is niet van uw organisatie: de status of de tekst wijzigen doet de eigenaar, "
        "de gemeente of de beheerder."
    )
with st.expander("Geschiedenis"):
    versions = ui_actions.read_history(view, chosen)
    common.show_table(
        pd.DataFrame(
            {
                "Versie": [v["version"] for v in versions],
                "Gewijzigd op": [
                    datetime.fromisoformat(v["changed_at"]).strftime("%d-%m-%Y %H:%M")
                    for v in versions
                ],
                "Titel": [v["title"] for v in versions],
                "Eigenaar": [v["owner"] or "" for v in versions],
                "Deadline": [
                    date.fromisoformat(v["due"]).strftime("%d-%m-%Y") if v["due"] else ""
                    for v in versions
                ],
                "Status": [ACTION_STATUSES.get(v["status"], v["status"]) for v in versions],
                "Notitie": [v["note"] or "" for v in versions],
            }
        ),
        key="actie_geschiedenis",
    )
