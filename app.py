"""Ketenkaart: the Streamlit entry point (page config, navigation, shared sidebar).

The sidebar's region picker starts from the URL query parameter ``regio`` and writes its
region back into it on every run (the filters of the pages are bound to their own parameters),
so a shared link opens the same view; before a visitor chooses, it shows the default region
(``ui.common.default_region``) and writes that into the link too, so a shared link keeps
naming that region. Each run reads the
database once, briefly and read-only (``common.database_snapshot``); sidebar and page share
that snapshot, and the file is free again before the page is drawn.
"""

from __future__ import annotations

import streamlit as st

from ui import access as access_ui
from ui import common, layout

#: This session's chosen region, kept outside the widget (Streamlit may drop a widget's state).
CHOSEN_KEY = "_gekozen_regio"


def _remember_region() -> None:
    st.session_state[CHOSEN_KEY] = st.session_state[common.REGION_KEY]


st.set_page_config(page_title="Ketenkaart", page_icon="🧭", layout="wide")
# No user, no data: without a known user only a page saying so is drawn (ui/access.py).
principal = access_ui.require_identity()

navigation = st.navigation(
    [
        st.Page(common.PAGE_OVERZICHT, title="Overzicht", icon=":material/home:", default=True),
        st.Page(
            common.PAGE_KAART, title="Ketenkaart", icon=":material/hub:", url_path="ketenkaart"
        ),
        st.Page(
            common.PAGE_NORMEN,
            title="Normenkader",
            icon=":material/fact_check:",
            url_path="normenkader",
        ),
        st.Page(
            common.PAGE_OVERDRACHT,
            title="Overdracht",
            icon=":material/handshake:",
            url_path="overdracht",
        ),
        st.Page(
            common.PAGE_STAGNATIE,
            title="Stagnatie",
            icon=":material/hourglass_top:",
            url_path="stagnatie",
        ),
        st.Page(
            common.PAGE_VERANDERINGEN,
            title="Wat is veranderd",
            icon=":material/difference:",
            url_path="veranderingen",
        ),
        st.Page(
            common.PAGE_ACTIES,
            title="Acties",
            icon=":material/checklist:",
            url_path="acties",
        ),
        st.Page(
            "pages/meeting.py",
            title="Vergadering",
            icon=":material/co_present:",
            url_path="vergadering",
        ),
        st.Page(
            common.PAGE_VERGELIJKEN,
            title="Regio's vergelijken",
            icon=":material/compare_arrows:",
            url_path="vergelijken",
        ),
        st.Page(
            common.PAGE_GEGEVENS,
            title="Gegevens",
            icon=":material/upload_file:",
            url_path="gegevens",
        ),
    ]
    + (
        [
            st.Page(
                "pages/admin.py", title="Beheer", icon=":material/shield_person:", url_path="beheer"
            )
        ]
        if principal.is_beheerder or principal.audit_regions()  # a gemeente: its log
        else []
    )
)

with common.database_snapshot() as database:
    with st.sidebar:
        st.title("Ketenkaart")
        if database.regions:
            default = database.default_region or database.regions[0]
            # This session's choice (kept outside the widget, which Streamlit may reset on a
            # page switch), else the link's region if it names a known one, else the
            # configured region, else the oldest, never the first by name (default_region).
            chosen = st.session_state.get(CHOSEN_KEY)
            if chosen not in database.regions:
                linked = st.query_params.get(common.REGION_KEY)
                chosen = linked if linked in database.regions else default
            st.session_state[CHOSEN_KEY] = chosen
            if st.session_state.get(common.REGION_KEY) != chosen:
                st.session_state[common.REGION_KEY] = chosen
            region = st.selectbox(
                "Regio",
                database.regions,
                key=common.REGION_KEY,
                on_change=_remember_region,
                help="De regio waarover alle pagina's gaan. De keuze staat in de link van de "
                "pagina.",
            )
            # Written into the link on every run, the default region too (a widget bound to the
            # link leaves its default value out): a shared link keeps showing this region after
            # a region that would be the default is added (issue 8, item 8).
            st.query_params[common.REGION_KEY] = region
        else:
            st.caption("Nog geen regio's: laad de demo of upload gegevens op de pagina Gegevens.")
        st.caption(f"Peildatum analyse: {common.analysis_today():%d-%m-%Y}")

    # less room around every page's content: on a 1280x720 projector the cards keep their
    # labels whole and the map stays above the fold (ui/layout.py)
    layout.compact_layout()
    navigation.run()
