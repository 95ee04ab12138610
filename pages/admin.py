"""Beheer (access.md): users and their roles, and the audit log. A ``beheerder`` sees both, a
``gemeente`` only the log of its regions; the navigation offers the page to no one else, and
:mod:`ketendata.access` refuses every change of a user by anyone but a beheerder."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from ketendata import access, store
from ui import access as access_ui
from ui import common

__all__: list[str] = []  # a page script: nothing to import

MESSAGE_KEY = "beheer_bericht"

st.title("Beheer")
me = access_ui.principal()
log_regions = me.audit_regions()
if not me.is_beheerder and not log_regions:
    st.info("Alleen een beheerder of een gemeente kan deze pagina gebruiken.")
    st.stop()

message = st.session_state.pop(MESSAGE_KEY, None)
if message is not None:
    st.success(common.escape_markdown(message))

regions = list(common.database_state().regions)
if log_regions is not None:  # a gemeente: the log of its own regions
    regions = [r for r in regions if r in log_regions]


def _change(action, *args, **kwargs) -> None:  # noqa: ANN001 - a library function
    try:
        line = common.write(action, *args, principal=me, **kwargs)
    except (access.UserError, access.AccessDenied) as error:
        st.error(common.escape_markdown(error))
    except (store.DatabaseBusyError, store.DatabaseError) as error:
        st.error(common.escape_markdown(error))
    else:
        st.session_state[MESSAGE_KEY] = line
        st.rerun()


# --- Users -----------------------------------------------------------------------------------
users = []
if me.is_beheerder:
    st.header("Gebruikers en rollen", anchor=False)
    with store.reading(common.db_path()) as con:
        users = access.list_users(con)
if users:
    common.show_table(
        pd.DataFrame(
            {
                "E-mailadres": [u["email"] for u in users],
                "Rol": [u["role"] for u in users],
                "Regio's": [", ".join(u["regions"]) for u in users],
                "Organisatie": [u["organisation"] or "" for u in users],
            }
        ),
        key="gebruikers",
    )
elif me.is_beheerder:
    st.caption("Nog geen gebruikers. In de lokale modus werkt u als beheerder zonder inloggen.")


def _add_form() -> None:
    """Give a user a role."""
    with st.form("gebruiker_toevoegen", clear_on_submit=False):
        st.subheader("Rol geven", anchor=False)
        email = st.text_input("E-mailadres", key="nieuw_email")
        role = st.selectbox("Rol", access.ROLES, key="nieuw_rol")
        chosen = st.multiselect(
            "Regio's",
            regions,
            key="nieuw_regios",
            help="gemeente en lezer: minstens één; opvang: precies één; beheerder: geen.",
        )
        organisation = st.text_input(
            "Organisatie (alleen bij opvang)", key="nieuw_organisatie", help="zoals in de uploads"
        )
        if st.form_submit_button("Rol geven", type="primary"):
            _change(access.add_user, email, role, chosen, organisation.strip() or None)


if me.is_beheerder:
    _add_form()

if users:
    with st.form("gebruiker_verwijderen"):
        st.subheader("Rol beëindigen", anchor=False)
        labels = {f"{u['email']} · {u['role']}": (u["email"], u["role"]) for u in users}
        picked = st.selectbox("Gebruiker en rol", list(labels), key="weg_rol")
        if st.form_submit_button("Rol beëindigen"):
            _change(access.remove_user, *labels[picked])

# --- Audit log -------------------------------------------------------------------------------
st.header("Logboek", anchor=False)
st.caption("Elke wijziging, met wie haar deed; niets hierin wordt ooit gewijzigd of gewist.")
only = st.selectbox("Regio", ["Alle regio's", *regions], key="logboek_regio")
with store.reading(common.db_path()) as con:
    log = access.audit_log(con, me, None if only == "Alle regio's" else only)
if not log:
    st.write("Het logboek is nog leeg.")
else:
    common.show_table(
        pd.DataFrame(
            {
                "Moment": [e["at"].replace("T", " ") for e in reversed(log)],
                "Gebruiker": [e["user"] for e in reversed(log)],
                "Wijziging": [e["action"] for e in reversed(log)],
                "Regio": [e["region"] or "" for e in reversed(log)],
                "Waarover": [e["subject"] for e in reversed(log)],
            }
        ),
        key="logboek",
    )
    st.caption("Nieuwste eerst.")
