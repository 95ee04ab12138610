"""Download buttons for the region's meeting summary (meeting.md): the one-page PDF, the 16:9
deck and the Markdown memo, the same files ``python -m analysis report`` writes.

The files are made only when a button is clicked (Streamlit runs the callable then, on its own
thread), so a page with the buttons stays as fast as without them; each click reads the
database once, briefly and read-only (:func:`ketendata.files.meeting.export_meeting`).

The files are made for the session's user (access.md): for an ``opvang`` user, another
shelter's handover gap of fewer than 5 families reads "< 5" in the memo
(:func:`ketendata.access.shown_report`); the PDF and the deck hold no count of one shelter's
families. The command line acts as ``beheerder`` and writes the report unmasked.
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, datetime

import streamlit as st

from ketendata.access import LOCAL, Principal
from ketendata.files import meeting
from ui import access as access_ui
from ui import common, printing

__all__ = ["BUTTONS", "meeting_file", "show_downloads"]

#: (format, button label, icon) in the order shown.
BUTTONS: tuple[tuple[str, str, str], ...] = (
    ("pdf", "Samenvatting (pdf, 1 pagina)", ":material/picture_as_pdf:"),
    ("pptx", "Presentatie (PowerPoint)", ":material/slideshow:"),
    ("markdown", "Memo (Markdown)", ":material/description:"),
)


def meeting_file(
    path: str,
    region: str,
    output: str,
    today: date,
    since: datetime | None,
    principal: Principal = LOCAL,
) -> Callable[[], bytes]:
    """The file of one button for ``principal``, made when it is called (no arguments, as
    Streamlit asks; the principal is taken when the button is drawn, on the session's run)."""

    def make() -> bytes:
        return meeting.export_meeting(path, region, output, today, since, principal)

    return make


def show_downloads(
    view: common.RegionView, since: datetime | None = None, key: str = "pagina"
) -> None:
    """One row of download buttons for the chosen region; ``since`` is the moment the key
    figures and "what changed" compare with (None: the last meeting, else 90 days back).
    The page also gets the print rules (:mod:`ui.printing`)."""
    printing.print_cleanly()  # the browser's print is the fallback: no sidebar, whole words
    # the key's class ("st-key-downloads_...") keeps the block off paper (ui/printing.py)
    block = st.container(key=f"downloads_{key}")
    block.subheader("Samenvatting voor het overleg")
    columns = block.columns(len(BUTTONS))
    for column, (output, label, icon) in zip(columns, BUTTONS, strict=True):
        _, mime = meeting.FORMATS[output]
        column.download_button(
            label,
            data=meeting_file(
                view.path, view.region, output, view.today, since, access_ui.principal()
            ),
            file_name=meeting.file_name(view.region, view.today, output),
            mime=mime,
            icon=icon,
            key=f"{key}_{output}",
            on_click="ignore",
            help="Het overzicht voor het regio-overleg: kerncijfers, de vijf belangrijkste "
            "knelpunten, wat er veranderde, de open acties en de kaart.",
        )
