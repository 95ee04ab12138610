"""Printing a page from the browser as a fallback for the PDF (meeting.md, issue 10 item 5):
without the sidebar, the toolbar and the buttons, on the whole width of an A4 page, with words
kept whole (Streamlit lets long words break anywhere on screen), and the key-figure cards
wrapping to a second row instead of being squeezed (Streamlit only)."""

from __future__ import annotations

import streamlit as st

__all__ = ["PRINT_CSS", "print_cleanly"]

#: The rules apply to print only; the screen is untouched.
PRINT_CSS = """
<style>
@media print {
  @page { size: A4 portrait; margin: 14mm; }
  [data-testid="stSidebar"], [data-testid="stSidebarCollapsedControl"],
  [data-testid="stSidebarNav"], [data-testid="stHeader"], [data-testid="stToolbar"],
  [data-testid="stDecoration"], [data-testid="stStatusWidget"],
  [data-testid="stDownloadButton"], [data-testid="stPageLink"], [data-testid="stButton"],
  [data-testid="stPopover"], [data-testid="stSegmentedControl"],
  [data-testid="stRadio"], [data-testid="stSelectbox"], [data-testid="stDateInput"],
  [data-testid="stTooltipIcon"], [data-testid="stTooltipHoverTarget"] svg,
  [class*="st-key-downloads"] {
    display: none !important;
  }
  [data-testid="stAppViewContainer"], [data-testid="stMain"] {
    margin: 0 !important; padding: 0 !important; width: 100% !important;
    overflow: visible !important;
  }
  [data-testid="stMainBlockContainer"] {
    max-width: none !important; padding: 0 !important;
  }
  [data-testid="stApp"] *, [data-testid="stApp"] *::before, [data-testid="stApp"] *::after {
    word-break: normal !important; overflow-wrap: normal !important; hyphens: manual !important;
  }
  [data-testid="stMetricValue"], [data-testid="stMetricLabel"], [data-testid="stMetricDelta"] {
    white-space: normal !important;
  }
  [data-testid="stMetricLabel"] p { font-size: 0.75rem !important; }
  [data-testid="stHorizontalBlock"] { flex-wrap: wrap !important; }
  [data-testid="stColumn"] { min-width: 7rem !important; }
  /* a column holding only a link or a button (the gaps' "Naar ..." and "Actie toevoegen")
     leaves its room to the text beside it */
  [data-testid="stColumn"]:has([data-testid="stPageLink"]):not(:has([data-testid="stMetric"])),
  [data-testid="stColumn"]:has([data-testid="stButton"]):not(:has([data-testid="stMetric"])),
  [data-testid="stColumn"]:has([data-testid="stPopover"]):not(:has([data-testid="stMetric"])),
  [data-testid="stColumn"]:has([data-testid="stDownloadButton"]) {
    display: none !important;
  }
  [data-testid="stMetric"], [data-testid="stHorizontalBlock"], [data-testid="stTable"] {
    break-inside: avoid;
  }
  h1, h2, h3 { break-after: avoid; }
}
</style>
"""


def print_cleanly() -> None:
    """Add the print rules to the page (costs no room on screen: a style block only)."""
    st.html(PRINT_CSS)
