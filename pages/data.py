"""Gegevens: upload a file (preview, problems or import), download templates, undo an import."""

from __future__ import annotations

from typing import Any

import pandas as pd
import streamlit as st

from analysis import codes
from ketendata import access, columns, importers, store
from ketendata.files import templates
from ketendata.intake.problems import Problem, ValidationError
from ketendata.intake.validation import TableCheck, ValidatedTable
from ketendata.samples import demo
from ketendata.settings import MAX_UPLOAD_MB
from ketendata.store import queries, redact
from ketendata.wording import plural
from ui import access as access_ui
from ui import changes, common
from ui import partners as partner_register

MESSAGE_KEY = "gegevens_bericht"
UNDO_KEY = "ongedaan_maken"
IMPORTED_KEY = "geimporteerd"
HISTORY_LIMIT = 50
EFFECTS_LIMIT = 20

st.title("Gegevens")
regions = list(common.database_state().regions)
me = access_ui.principal()
# access.md: the page offers only what this user may do; the library refuses the rest anyway
if not me.may_upload_anything:
    st.info(
        "U hebt leesrechten: uploaden, imports ongedaan maken en de normenmatrix of het "
        "partnerregister wijzigen doet de gemeente of de beheerder van Ketenkaart."
    )

message = st.session_state.pop(MESSAGE_KEY, None)
if message is not None:
    kind, text = message
    (st.success if kind == "ok" else st.info)(common.escape_markdown(text))


@st.cache_data(show_spinner=False, max_entries=8)
def _check_cells(data: bytes, file_name: str) -> tuple[TableCheck | None, list[Problem]]:
    """The cells of a file (the slow half of the library's one validation pass), per file."""
    try:
        return importers.check_cells(data, file_name), []
    except ValidationError as error:
        return None, list(error.problems)


def _check_file(
    con: object, data: bytes, file_name: str, new_region: bool
) -> tuple[ValidatedTable | None, list[Problem], list[str]]:
    """The library's one validation pass over a file: its cells, then the database. Returns the
    table to import (or None), every problem, and the regions an import would create."""
    checked, problems = _check_cells(data, file_name)
    if checked is None:
        return None, problems, []
    try:
        validated = importers.check_against_database(
            con, checked, new_region=new_region, principal=access_ui.principal()
        )
    except ValidationError as error:
        return None, list(error.problems), []
    return validated, [], importers.regions_to_create(con, validated)


@st.cache_data(show_spinner=False)
def _template(kind: str) -> bytes:
    return templates.build_template(kind)


def _preview_cell(value: object) -> object:
    """A validated value as the user would write it: dates DD-MM-JJJJ, lists with commas."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, tuple):
        return ", ".join(value)
    if hasattr(value, "strftime"):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, float):
        return f"{value:g}".replace(".", ",")
    return value


def _as_label(value: object, code_list: dict[str, str]) -> object:
    """A code (or a tuple of codes) as the Dutch label(s) of the template's dropdown."""
    if isinstance(value, tuple):
        return tuple(code_list.get(code, code) for code in value)
    return code_list.get(value, value) if isinstance(value, str) else value


def _preview(frame: pd.DataFrame, kind: str) -> pd.DataFrame:
    """The first rows as they will be stored, codes as their labels, with the Excel row number
    first as "rij"."""
    shown = frame.drop(columns="source_row")
    for column in columns.COLUMNS[kind]:
        if column.codes is not None:
            shown[column.name] = shown[column.name].map(
                lambda value, code_list=column.codes: _as_label(value, code_list)
            )
    shown = shown.map(_preview_cell).astype(str)
    shown.insert(0, "rij", frame["source_row"].astype(int))
    return shown


def _problems_frame(problems: list[Problem]) -> pd.DataFrame:
    return pd.DataFrame(
        {
            "Rij": [p.row if p.row is not None else "–" for p in problems],
            "Kolom": [p.column or "–" for p in problems],
            "Waarde": [p.value if p.value is not None else "" for p in problems],
            "Probleem": [p.message for p in problems],
            "Verwacht": [p.expected for p in problems],
        },
        dtype=object,
    )


def _show_problems(
    problems: list[Problem], title: str = "Dit bestand is niet geïmporteerd"
) -> None:
    st.error(
        f"{title}: {plural(len(problems), 'probleem', 'problemen')}. Een bestand wordt "
        "helemaal of helemaal niet ingelezen; de gegevens zijn niet veranderd. Pas het bestand "
        "aan en upload het opnieuw."
    )
    common.show_table(_problems_frame(problems), key="problemen")


def _known_name(region: str) -> str:
    """The stored spelling of a region named in a file (the file's spelling for a new one)."""
    key = codes.normalize_name(region)
    return next((name for name in regions if codes.normalize_name(name) == key), region)


def _show_link_preview(frame: pd.DataFrame, file_regions: list[str]) -> None:
    """Before a replacing inventory is imported: per region, the links it adds, ends and
    changes (changes.md), judged on the analysis date."""
    st.subheader("Wat deze upload verandert aan de afspraken", anchor=False)
    st.caption(
        "Een inventarisatie vervangt de vorige inventarisatie van elke organisatie in het "
        "bestand; afspraken die er niet meer in staan, vervallen. De andere organisaties houden "
        "hun afspraken."
    )
    today = common.analysis_today()
    for region in file_regions:
        name = _known_name(region)
        key = codes.normalize_name(region)
        part = frame[[codes.normalize_name(str(r)) == key for r in frame["regio"]]]
        current = common.read(queries.current_agreements, name)
        links = changes.preview_links(current, part, today)
        st.markdown(
            f"**{common.escape_markdown(name)}:** {changes.count_text({'agreements': links})}."
        )
        for title, entries, make, table_key in (
            ("Erbij", links["added"], changes.added_frame, "erbij"),
            ("Vervallen", links["ended"], changes.ended_frame, "vervallen"),
            ("Gewijzigd", links["changed"], changes.changed_frame, "gewijzigd"),
        ):
            if entries:
                st.markdown(f"{title}:")
                common.show_table(make(entries), key=f"voorbeeld_{table_key}_{key}")


def _frames(names: list[str]) -> dict[str, object]:
    """The current frames of these regions (for what a write changed)."""
    state = common.database_state()
    return {name: common.load_frames(state.path, name, state.version) for name in names}


def _what_changed(before: dict[str, object], names: list[str]) -> tuple[bool, str]:
    """After a write: whether the current data of these regions changed, and how, in counts."""
    after = _frames(names)
    today = common.analysis_today()
    described = {
        name: changes.describe_difference(before[name], after[name], today) for name in names
    }
    changed = {name: text for name, text in described.items() if text is not None}
    if not changed:
        return False, "Er verandert niets aan de huidige gegevens."
    return True, "Wat er verandert: " + " · ".join(
        f"{name}: {text}." for name, text in changed.items()
    )


if not regions and not me.is_beheerder:
    st.info("Er staan nog geen regio's voor u in de database.")
elif not regions:
    st.info(
        "Er staan nog geen regio's in de database. Laad de fictieve demoregio's om Ketenkaart te "
        "verkennen, of upload hieronder een eigen inventarisatie met **Nieuwe regio's aanmaken** "
        "aangevinkt."
    )
    if st.button("Demo laden", key="demo_laden", type="primary"):
        try:
            result = common.write(
                demo.load_demo, today=common.analysis_today(), principal=access_ui.principal()
            )
        except (store.DatabaseBusyError, store.DatabaseError, ValidationError) as error:
            st.error(f"De demo kon niet worden geladen: {common.escape_markdown(error)}")
        else:
            st.session_state[MESSAGE_KEY] = ("ok", result.message)
            st.rerun()

# --- Upload -------------------------------------------------------------------------------------
uploaded = None
new_region = False
if me.may_upload_anything:
    st.header("Bestand uploaden")
    st.caption(
        "Een inventarisatie van afspraken, overdrachten per periode of een stagnatie-uitvraag, "
        f"als .xlsx of .csv (hoogstens {MAX_UPLOAD_MB} MB). Ketenkaart herkent de soort aan de "
        "kolommen. Zet nooit gegevens over cliënten of kinderen in een bestand."
    )
    scope = access.upload_scope_text(me)
    if scope:
        st.caption(common.escape_markdown(scope))
    uploaded = st.file_uploader(
        "Kies een bestand",
        type=["xlsx", "csv"],
        key="upload",
        max_upload_size=MAX_UPLOAD_MB,
    )
    if me.is_beheerder:  # a new region is nobody else's to create
        new_region = st.checkbox(
            "Nieuwe regio's aanmaken",
            key="nieuwe_regio",
            help="Zonder vinkje wordt een bestand met een onbekende regio geweigerd (tegen "
            "tikfouten).",
        )

if uploaded is not None:
    data = uploaded.getvalue()
    if len(data) > MAX_UPLOAD_MB * 1024 * 1024:
        st.error(
            f"Het bestand '{common.escape_markdown(uploaded.name)}' is groter dan "
            f"{MAX_UPLOAD_MB} MB en wordt niet ingelezen. Splits het bestand of laat lege rijen "
            "en kolommen weg."
        )
        st.stop()
    # Cached on the database's content version: an import or undo makes it check again.
    size = f"{len(data) / 1_000_000:.1f}".replace(".", ",")
    with st.spinner(f"Het bestand ({size} MB) wordt gecontroleerd: elke cel en de database…"):
        validated, problems, created = common.read(_check_file, data, uploaded.name, new_region)
    if validated is None:
        _show_problems(problems, "Dit bestand kan niet worden geïmporteerd")
    else:
        frame = validated.frame
        subject = importers.SUBJECT_COLUMN[validated.kind]
        file_regions = sorted({str(r).strip() for r in frame["regio"]}, key=codes.normalize_name)
        subjects = sorted({str(s).strip() for s in frame[subject]}, key=codes.normalize_name)

        st.subheader("Voorbeeld")
        info = st.columns(3)
        info[0].metric("Soort", codes.KINDS.get(validated.kind, validated.kind))
        info[1].metric("Rijen", validated.rows_read)
        info[2].metric("Organisaties", len(subjects))
        st.markdown("**Regio's in het bestand:**")
        st.text(", ".join(file_regions))
        if created:
            st.info(
                ("Deze nieuwe regio wordt" if len(created) == 1 else "Deze nieuwe regio's worden")
                + " bij het importeren aangemaakt: "
                + common.escape_markdown(", ".join(created))
                + "."
            )
        st.markdown("**Organisaties:**")
        st.text(", ".join(subjects))
        for warning in validated.warnings:
            st.warning(common.escape_markdown(warning))
        common.show_table(_preview(frame.head(20), validated.kind), key="voorbeeld")
        if len(frame) > 20:
            st.caption(f"De eerste 20 van {len(frame)} rijen.")
        if validated.kind == "afspraken":
            _show_link_preview(frame, file_regions)
        chosen = partner_register.offer_upload_matches(frame, validated.kind)

        sha = importers.sha256_hex(data)
        if st.session_state.get(IMPORTED_KEY) == sha:
            st.info("Dit bestand is geïmporteerd. Kies een ander bestand om verder te gaan.")
        elif st.button("Importeren", key="importeren", type="primary"):
            bar = st.progress(0.0, text="Importeren…")
            touched = [_known_name(region) for region in file_regions]
            before = _frames(touched)
            try:
                result = common.write(
                    importers.store_validated,
                    validated,
                    file_name=uploaded.name,
                    sha256=sha,
                    new_region=new_region,
                    principal=access_ui.principal(),
                    progress=lambda done, total: bar.progress(
                        done / total if total else 1.0, text="Importeren…"
                    ),
                )
            except ValidationError as error:
                bar.empty()
                _show_problems(list(error.problems))
            except (store.DatabaseBusyError, store.DatabaseError) as error:
                bar.empty()
                st.error(common.escape_markdown(error))
            else:
                st.session_state[IMPORTED_KEY] = sha
                effect = "" if result.unchanged else " " + _what_changed(before, touched)[1]
                effect += partner_register.merge_chosen(chosen)
                st.session_state[MESSAGE_KEY] = (
                    "info" if result.unchanged else "ok",
                    result.message + effect,
                )
                st.rerun()

# --- Templates ----------------------------------------------------------------------------------
st.header("Sjablonen")
st.caption(
    "Excel-sjablonen met keuzelijsten en een uitlegblad. Vul er een in en upload het hierboven."
)
template_columns = st.columns(len(codes.KINDS))
for column, kind in zip(template_columns, codes.KINDS, strict=True):
    column.download_button(
        f"Sjabloon {kind}",
        _template(kind),
        file_name=templates.template_file_name(kind),
        mime="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        key=f"sjabloon_{kind}",
        on_click="ignore",
        help=codes.KINDS[kind],
    )

# --- Norm matrix --------------------------------------------------------------------------------
region = common.chosen_region(list(common.database_state().regions))
if region is None:
    st.stop()
region_text = common.escape_markdown(region)
st.header(f"Normenmatrix van {region_text}", anchor=False)
own_matrix = common.read(queries.has_own_matrix, region)
requirements = plural(len(common.read(queries.region_matrix, region)), "eis", "eisen")
st.caption(
    (
        f"{region_text} gebruikt een eigen normenmatrix met {requirements}."
        if own_matrix
        else f"{region_text} gebruikt de standaard-normenmatrix ({requirements}, zie "
        "docs/normenkader.md)."
    )
    + " Een eigen matrix heeft de kolommen partnertype (code of * voor elke partner), "
    "afspraaktype, norm en kind (ja/nee)."
)
may_change = me.may_change(region)
if may_change:
    matrix_file = st.file_uploader(
        "Eigen normenmatrix (.csv of .xlsx)",
        type=["xlsx", "csv"],
        key="matrix_upload",
        max_upload_size=MAX_UPLOAD_MB,
    )
    matrix_columns = st.columns([1, 1, 3])
else:
    matrix_file = None
    st.caption(f"De normenmatrix van {region_text} wijzigt de gemeente of de beheerder.")
if matrix_file is not None and matrix_columns[0].button("Matrix opslaan", key="matrix_opslaan"):
    try:
        outcome = common.write(
            importers.import_matrix,
            matrix_file.getvalue(),
            matrix_file.name,
            region,
            principal=access_ui.principal(),
        )
    except ValidationError as error:
        _show_problems(list(error.problems))
    except (store.DatabaseBusyError, store.DatabaseError, access.AccessDenied) as error:
        st.error(common.escape_markdown(error))
    else:
        st.session_state[MESSAGE_KEY] = ("info" if outcome.unchanged else "ok", outcome.message)
        st.rerun()
if (
    may_change
    and own_matrix
    and matrix_columns[1].button("Standaardmatrix gebruiken", key="matrix_standaard")
):
    try:
        outcome = common.write(
            importers.use_default_matrix, region, principal=access_ui.principal()
        )
    except (store.DatabaseBusyError, store.DatabaseError, access.AccessDenied) as error:
        st.error(common.escape_markdown(error))
    else:
        st.session_state[MESSAGE_KEY] = ("ok", outcome.message)
        st.rerun()

if may_change:
    partner_register.show_register(region)
else:
    st.header(f"Partnerregister van {region_text}", anchor=False)
    st.caption(
        "Schrijfwijzen van één partner samenvoegen doet de gemeente of de beheerder; de kaart "
        "en de andere pagina's tonen de samengevoegde namen."
    )

# --- History ------------------------------------------------------------------------------------
st.header(f"Importgeschiedenis van {region_text}", anchor=False)
history = common.read(queries.list_imports, region)
if len(history) == 0:
    st.write("Voor deze regio is nog niets geïmporteerd.")
    st.stop()
st.caption(
    "Ongedaan maken verwijdert niets: de versies van die import tellen niet meer mee en de "
    "versies van daarvoor gelden weer."
)


def _ask_undo(import_id: int) -> None:
    st.session_state[UNDO_KEY] = import_id


def _cancel_undo() -> None:
    st.session_state.pop(UNDO_KEY, None)


pending = st.session_state.get(UNDO_KEY)
if pending is not None:
    asked = history[history["id"] == pending]
    if asked.empty or bool(asked["undone"].iloc[0]):
        # Undone meanwhile (in another window, or by someone else): say so and free the
        # buttons instead of waiting for a confirmation that can no longer be given.
        st.session_state.pop(UNDO_KEY, None)
        st.info(
            f"Import {int(pending)} is intussen al ongedaan gemaakt, in een ander venster of "
            "door iemand anders. Er is niets veranderd."
        )
        pending = None
redacted = {int(r[0]): r for r in common.read(redact.redactions)}
shown_ids = tuple(int(i) for i in history.head(HISTORY_LIMIT)["id"])
undoable = common.read(access.undoable_imports, me, shown_ids) if me.may_upload_anything else ()
if me.may_upload_anything and not me.may_change(region):
    st.caption("U kunt alleen imports ongedaan maken die alleen uw eigen organisatie betreffen.")


def _redact_form(column: Any, import_id: int) -> None:
    """Erasure for the AVG (the local user is the beheerder): a reason, then for good."""
    if import_id in redacted:
        when = pd.Timestamp(redacted[import_id][1]).strftime("%d-%m-%Y")
        column.caption(f"Gewist op {when}")
        return
    if not me.may_redact:  # ketendata.store.redact: the beheerder's
        return
    with column.popover("Wissen", help="Persoonsgegevens toch opgeslagen? Wis deze import."):
        st.markdown(
            f"**Import {import_id} wissen (AVG).** De toelichtingen, de bestandsnaam en de "
            f"waarschuwingen worden '{common.escape_markdown(redact.REDACTED)}'; aantallen en "
            "geschiedenis blijven. Dit kan niet ongedaan worden gemaakt."
        )
        why = st.text_input("Reden (verplicht, zonder namen)", key=f"wis_reden_{import_id}")
        if st.button("Definitief wissen", key=f"wis_{import_id}", type="primary"):
            try:
                result = common.write(
                    redact.redact_import, import_id, principal=access_ui.principal(), why=why
                )
            except (
                LookupError,
                ValueError,
                access.AccessDenied,
                store.DatabaseBusyError,
                store.DatabaseError,
            ) as error:
                st.error(common.escape_markdown(error))
            else:
                st.session_state[MESSAGE_KEY] = ("ok", result.message)
                st.rerun()


with st.spinner("Ketenkaart zoekt per import uit wat die veranderde…"):
    # what each import changed when it was made; the newest EFFECTS_LIMIT (each reads the
    # region twice)
    effects = changes.import_effects(
        common.database_state().path,
        region,
        common.database_state().version,
        tuple(
            (int(row.id), pd.Timestamp(row.imported_at).to_pydatetime(), row.kind)
            for row in history.head(EFFECTS_LIMIT).itertuples(index=False)
        ),
    )
for row in history.head(HISTORY_LIMIT).itertuples(index=False):
    import_id = int(row.id)
    with st.container(border=True):
        text_column, button_column, redact_column = st.columns(
            [5, 1.2, 0.8], vertical_alignment="center"
        )
        when = pd.Timestamp(row.imported_at).strftime("%d-%m-%Y %H:%M")
        text_column.text(
            f"Import {import_id} · {when} · {row.file_name} · "
            f"{codes.KINDS.get(row.kind, row.kind)} · "
            f"{plural(int(row.rows_stored), 'rij', 'rijen')} opgeslagen"
        )
        if import_id in effects:
            text_column.caption(
                f"Veranderde bij het importeren: {common.escape_markdown(effects[import_id])}."
            )
        _redact_form(redact_column, import_id)
        if row.undone:
            undone_at = pd.Timestamp(row.undone_at).strftime("%d-%m-%Y %H:%M")
            button_column.caption(f"Ongedaan gemaakt op {undone_at}")
            continue
        if import_id not in undoable:
            continue
        button_column.button(
            "Ongedaan maken",
            key=f"undo_{import_id}",
            on_click=_ask_undo,
            args=(import_id,),
            disabled=pending is not None,
        )
        if pending == import_id:
            st.warning(
                f"Import {import_id} ongedaan maken? De gegevens van deze import tellen dan niet "
                "meer mee; wat ervoor gold, geldt weer. Hebben nieuwere imports de gegevens van "
                "deze import al vervangen, dan verandert er niets aan de huidige gegevens."
            )
            yes, no, _ = st.columns([1, 1, 3])
            if yes.button("Ja, ongedaan maken", key="undo_bevestigen", type="primary"):
                touched = [_known_name(name) for name in changes.regions_of(row)] or [region]
                before = _frames(touched)
                try:
                    undo = common.write(
                        importers.undo_import, import_id, principal=access_ui.principal()
                    )
                except LookupError as error:
                    # undone at the same moment elsewhere: nothing left to confirm
                    st.session_state.pop(UNDO_KEY, None)
                    st.session_state[MESSAGE_KEY] = ("info", f"{error} Er is niets veranderd.")
                    st.rerun()
                except (store.DatabaseBusyError, store.DatabaseError, access.AccessDenied) as error:
                    st.error(common.escape_markdown(error))
                else:
                    st.session_state.pop(UNDO_KEY, None)
                    st.session_state.pop(IMPORTED_KEY, None)
                    changed, effect = _what_changed(before, touched)
                    st.session_state[MESSAGE_KEY] = (
                        ("ok", f"{undo.message} {effect}")
                        if changed
                        else (
                            "info",
                            f"Import {import_id} ('{undo.file_name}') is ongedaan gemaakt. Er "
                            "verandert niets aan de huidige gegevens: deze import was niet meer "
                            "actueel, want nieuwere imports hadden zijn versies al vervangen.",
                        )
                    )
                    st.rerun()
            no.button("Annuleren", key="undo_annuleren", on_click=_cancel_undo)
if len(history) > HISTORY_LIMIT:
    st.caption(f"De nieuwste {HISTORY_LIMIT} van {len(history)} imports.")
