"""The partner register on the Gegevens page (partners.md): the region's suggestions with one
click to merge or dismiss, its aliases with undo, and the "bedoelt u ...?" of an upload's
preview. Every write goes through the library (:mod:`ketendata.partners`); the content version
changes with it, so the map and every other page show the merged names on their next run.
"""

from __future__ import annotations

from datetime import datetime

import streamlit as st

from ketendata import partners, store
from ketendata.access import AccessDenied
from ketendata.partners import Suggestion
from ui import access as access_ui
from ui import common

__all__ = [
    "MESSAGE_KEY",
    "SUGGESTION_LIMIT",
    "merge_chosen",
    "offer_upload_matches",
    "show_register",
]

#: Session-state key of the register's last message (kind, text).
MESSAGE_KEY = "partnerregister_bericht"

#: Suggestions shown at once (the best first); the rest follow as these are handled.
SUGGESTION_LIMIT = 25

#: The user of changes made in the app (the local mode of access.md).
APP_USER = partners.LOCAL_USER


def _score(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _do(action, *args: str) -> None:  # noqa: ANN001 - a function of ketendata.partners
    """Run one register change (a button's callback) and keep its message for the page."""
    try:
        line = common.write(action, *args, by=APP_USER, principal=access_ui.principal())
    except (partners.MergeRefused, partners.UnknownRegionError, AccessDenied) as error:
        st.session_state[MESSAGE_KEY] = ("error", f"Niet gedaan: {error} Er is niets veranderd.")
    except (store.DatabaseBusyError, store.DatabaseError) as error:
        st.session_state[MESSAGE_KEY] = ("error", str(error))
    else:
        st.session_state[MESSAGE_KEY] = ("ok", line)


def _show_message() -> None:
    message = st.session_state.pop(MESSAGE_KEY, None)
    if message is not None:
        kind, text = message
        (st.success if kind == "ok" else st.error)(common.escape_markdown(text))


def _suggestion_text(suggestion: Suggestion) -> str:
    name, into = (common.escape_markdown(n) for n in (suggestion.name, suggestion.into))
    return (
        f"**{name}** is waarschijnlijk **{into}** (score {_score(suggestion.score)})  \n"
        f"{common.escape_markdown(suggestion.reason)}"
    )


def show_register(region: str) -> None:
    """The register of ``region``: suggestions (Samenvoegen / Niet dezelfde) and aliases
    (Ongedaan maken)."""
    region_text = common.escape_markdown(region)
    st.header(f"Partnerregister van {region_text}", anchor=False)
    st.caption(
        "Verschillende schrijfwijzen van één partner ('VT Kennemerland', 'Veilig Thuis "
        "Kennemerland') zijn op de kaart anders aparte organisaties. Voeg ze samen: elke pagina "
        "telt ze dan als één organisatie, met de naam rechts. De geüploade gegevens blijven zoals "
        "ze zijn; samenvoegen kan altijd ongedaan worden gemaakt."
    )
    _show_message()
    found = common.read(partners.suggestions, region)
    st.subheader("Voorstellen", anchor=False)
    if not found:
        st.write("Geen voorstellen: Ketenkaart ziet geen namen die op één partner lijken.")
    for index, suggestion in enumerate(found[:SUGGESTION_LIMIT]):
        with st.container(border=True):
            text, merge, dismiss = st.columns([5, 1.2, 1.2], vertical_alignment="center")
            text.markdown(_suggestion_text(suggestion))
            merge.button(
                "Samenvoegen",
                key=f"partner_samenvoegen_{index}",
                on_click=_do,
                args=(partners.merge, region, suggestion.name, suggestion.into),
                help=f"'{suggestion.name}' voortaan tellen als '{suggestion.into}'",
            )
            dismiss.button(
                "Niet dezelfde",
                key=f"partner_afwijzen_{index}",
                on_click=_do,
                args=(partners.dismiss, region, suggestion.name, suggestion.into),
                help="Twee verschillende organisaties: dit paar niet meer voorstellen",
            )
    if len(found) > SUGGESTION_LIMIT:
        st.caption(f"De beste {SUGGESTION_LIMIT} van {len(found)} voorstellen.")
    aliases = common.read(partners.list_aliases, region)
    st.subheader("Samengevoegde namen", anchor=False)
    if not aliases:
        st.write("Nog geen samengevoegde namen in deze regio.")
    for index, alias in enumerate(aliases):
        with st.container(border=True):
            text, undo = st.columns([6.2, 1.2], vertical_alignment="center")
            since = datetime.fromisoformat(alias["since"]).strftime("%d-%m-%Y %H:%M")
            text.markdown(
                f"**{common.escape_markdown(alias['alias'])}** telt als "
                f"**{common.escape_markdown(alias['into'])}** (sinds {since})"
            )
            undo.button(
                "Ongedaan maken",
                key=f"partner_ongedaan_{index}",
                on_click=_do,
                args=(partners.unmerge, region, alias["alias"]),
            )


def offer_upload_matches(frame, kind: str) -> list[tuple[str, str, str]]:  # noqa: ANN001
    """In an upload's preview: each new name that is probably a known partner ("bedoelt u
    ...?"), with a checkbox to merge it after the import. Returns the chosen (region, new name,
    known name)."""
    hints = common.read(partners.upload_hints, frame, kind)
    chosen: list[tuple[str, str, str]] = []
    for index, (region, hint) in enumerate(hints):
        name, into = common.escape_markdown(hint.name), common.escape_markdown(hint.into)
        st.info(
            f"In het bestand staat '{name}', een naam die {common.escape_markdown(region)} nog "
            f"niet kent. Bedoelt u '{into}'? ({common.escape_markdown(hint.reason)})"
        )
        if st.checkbox(
            f"Ja: '{name}' na het importeren samenvoegen met '{into}'",
            key=f"partner_bedoelt_{index}",
        ):
            chosen.append((region, hint.name, hint.into))
    return chosen


def merge_chosen(chosen: list[tuple[str, str, str]]) -> str:
    """After an import: merge what the user chose in the preview; the text to add to the
    import's message (empty when nothing was chosen)."""
    lines: list[str] = []
    for region, name, into in chosen:
        try:
            lines.append(
                common.write(
                    partners.merge, region, name, into, by=APP_USER, principal=access_ui.principal()
                )
            )
        except (partners.MergeRefused, partners.UnknownRegionError, AccessDenied) as error:
            lines.append(f"Niet samengevoegd: {error}")
        except (store.DatabaseBusyError, store.DatabaseError) as error:
            lines.append(f"Niet samengevoegd: {error}")
    return "".join(f" {line}" for line in lines)
