"""Ketenkaart: the Streamlit entry point (page config, navigation, shared sidebar)."""

from __future__ import annotations

import streamlit as st

from ketendata import queries, store
from ketendata.settings import resolve_db_path

st.set_page_config(page_title="Ketenkaart", page_icon="🧭", layout="wide")


@st.cache_resource
def _connection(path: str):
    return store.open_database(path)


def _overview() -> None:
    st.title("Ketenkaart")
    st.caption("Ketenafspraken rond kinderen in de opvang, per regio.")
    try:
        con = _connection(str(resolve_db_path())).cursor()
    except (store.DatabaseBusyError, store.DatabaseError) as error:
        st.error(str(error))
        return
    overview = queries.region_overview(con)
    if overview.empty:
        st.info(
            "Er staan nog geen regio's in de database. Laad de demo met "
            "`python -m ketendata demo` of importeer een inventarisatie."
        )
        return
    st.dataframe(overview, hide_index=True, use_container_width=True)


st.navigation([st.Page(_overview, title="Overzicht", default=True)]).run()
