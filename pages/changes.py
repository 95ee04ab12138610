"""Wat is veranderd: everything that changed in the region since a moment the user picks
(changes.md): agreement links added, ended and changed, norm findings, coverage, missing partner
types, warm handovers, stagnation and the imports in between."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from analysis import codes
from analysis.changes import render_markdown
from ui import changes as shown
from ui import common

__all__: list[str] = []  # a page script: nothing to import

st.title("Wat is veranderd")
view = common.require_region()
region_text = common.escape_markdown(view.region)
st.caption(
    f"{region_text} · peildatum {view.today:%d-%m-%Y}. Ketenkaart bewaart elke versie van elke "
    "upload en vergelijkt de gegevens op het gekozen moment met die van nu (of van een tweede "
    "moment). Elk moment wordt op zijn eigen datum beoordeeld."
)

moment = shown.pick_moment(view, "veranderingen", compact=True)
if moment is None:
    st.stop()
changes = shown.load_shown_changes(view, moment)  # access.md: small numbers of other shelters
links = changes["agreements"]
coverage = changes["coverage"]

st.subheader(f"Wat er veranderde {common.escape_markdown(moment.text)}", anchor=False)
counts = st.columns(5)
counts[0].metric("Uploads", len(changes["imports"]), border=True)
counts[1].metric("Afspraken erbij", len(links["added"]), border=True)
counts[2].metric("Afspraken vervallen", len(links["ended"]), border=True)
counts[3].metric("Afspraken gewijzigd", len(links["changed"]), border=True)
counts[4].metric(
    "Normdekking",
    common.percent(coverage["after"]),
    delta=(
        None
        if coverage["before"] is None or coverage["after"] is None
        else f"{(coverage['after'] - coverage['before']) * 100:+.1f} procentpunt".replace(".", ",")
    ),
    help=f"Was {common.percent(coverage['before'])}. Het deel van de eisen van het normenkader "
    "dat bij de opvangorganisaties voldaan is.",
    border=True,
)

if shown.total_changes(changes) == 0:
    st.info(
        f"Er is niets veranderd {common.escape_markdown(moment.text)}: geen afspraken, "
        "normbevindingen, overdrachten of stagnatiesignalen."
        + (" Er is in die tijd ook niets geüpload." if not changes["imports"] else "")
    )


def section(title: str, frame: pd.DataFrame, empty: str, key: str) -> None:
    """A list of changes under its heading, or what its absence means."""
    st.markdown(f"**{title}**")
    if len(frame) == 0:
        st.caption(empty)
    else:
        common.show_table(frame, key=key)


st.subheader("Afspraken", anchor=False)
section(
    "Erbij gekomen",
    shown.added_frame(links["added"]),
    "Geen afspraken erbij gekomen.",
    "afspraken_erbij",
)
section(
    "Vervallen",
    shown.ended_frame(links["ended"]),
    "Geen afspraken vervallen.",
    "afspraken_vervallen",
)
section(
    "Gewijzigd (per veld)",
    shown.changed_frame(links["changed"]),
    "Geen afspraken gewijzigd.",
    "afspraken_gewijzigd",
)

st.subheader("Normenkader", anchor=False)
section(
    "Bevindingen met een ander oordeel",
    shown.findings_frame(changes["findings"]),
    "Geen bevinding kreeg een ander oordeel.",
    "bevindingen_veranderd",
)
missing = changes["partner_types_missing"]
st.markdown("**Partnertypen die geen opvang bereikt**")
if not missing["new"] and not missing["resolved"]:
    st.caption("Geen verandering in de ontbrekende partnertypen.")
if missing["new"]:
    st.warning(
        "Nieuw ontbrekend: " + ", ".join(common.partner_label(c) for c in missing["new"]) + "."
    )
if missing["resolved"]:
    st.success("Opgelost: " + ", ".join(common.partner_label(c) for c in missing["resolved"]) + ".")

st.subheader("Overdracht en stagnatie", anchor=False)
section(
    "Warme overdracht per opvang en fase",
    shown.handovers_frame(changes["handovers"]),
    "Geen verandering in de warme overdrachten.",
    "overdracht_veranderd",
)
if any(
    "verborgen" in (e["warm_share_before"], e["warm_share_after"]) for e in changes["handovers"]
):
    st.caption(
        "Een aandeel van minder dan 5 gezinnen van een andere opvangorganisatie staat er als "
        "'verborgen' (ook in de notitie): het zou zeggen om hoeveel gezinnen het gaat."
    )
section(
    "Stagnatie (laatste uitvraag)",
    shown.stagnation_frame(changes["stagnation"]),
    "Geen verandering in de stagnatie.",
    "stagnatie_veranderd",
)

st.subheader("Uploads in deze periode", anchor=False)
section(
    "Geïmporteerd of ongedaan gemaakt",
    shown.imports_frame(changes["imports"]),
    "Geen uploads in deze periode.",
    "uploads_veranderd",
)

st.download_button(
    "Download als notitie (Markdown)",
    render_markdown(changes).encode("utf-8"),
    file_name=f"veranderingen-{codes.normalize_token(view.region)}-{view.today:%Y%m%d}.md",
    mime="text/markdown",
    key="download_veranderingen",
    on_click="ignore",
)
