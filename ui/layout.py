"""Page layout for a projector: less empty space around the content (Streamlit only)."""

from __future__ import annotations

import streamlit as st

__all__ = ["compact_layout"]

#: Streamlit's wide layout leaves 6rem above and 5rem beside the content; on a 1280x720
#: projector that pushes the map below the fold. These rules keep 1.5rem, and a smaller title.
_COMPACT_CSS = """
<style>
[data-testid="stMainBlockContainer"] {
    padding-top: 1.5rem; padding-left: 1.5rem; padding-right: 1.5rem; padding-bottom: 2rem;
}
[data-testid="stMainBlockContainer"] h1 {
    font-size: 2rem !important; padding: 0 0 0.25rem 0 !important;
}
</style>
"""


def compact_layout() -> None:
    """Use less room around the page's content (call at the top of a page script)."""
    st.markdown(_COMPACT_CSS, unsafe_allow_html=True)
