"""Vergadering: the region's meeting on a projector (meeting.md), one agenda step at a time,
with the summary to send at one click."""

from __future__ import annotations

import streamlit as st

from ui import common, downloads, printing
from ui import meeting as agenda

__all__: list[str] = []  # a page script: nothing to import

printing.print_cleanly()  # the browser's print as a fallback: no sidebar, whole words
view = common.require_region()
title, start = st.columns([3, 2], vertical_alignment="center")
title.title(f"Vergadering {common.escape_markdown(view.region)}")
with start:
    since = agenda.start_meeting(view)
st.caption(
    f"Peildatum {view.today:%d-%m-%Y} · veranderingen sinds {since:%d-%m-%Y} (de vorige "
    "vergadering, anders 90 dagen terug)"
)
step = st.segmented_control(
    "Agenda", agenda.STEPS, default=agenda.STEPS[0], key="vergadering_stap", width="stretch"
)
step = step or agenda.STEPS[0]
agenda.show_step(view, step, since)
if step == agenda.STEPS[-1]:  # after the actions: what was just discussed, to send
    downloads.show_downloads(view, since, key="vergadering")
