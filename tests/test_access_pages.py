"""The app's identity modes and roles (access.md) with AppTest on the demo database.

AppTest cannot send HTTP headers; Streamlit turns the trusted header into ``st.user["email"]``
on connect (``gather_user_info``), and ``at.user`` seeds exactly that. So the header itself is
tested through Streamlit's own ``gather_user_info`` on real header objects and our
:func:`ui.access.resolve_identity`, and the pages with ``at.user`` through the same
resolution the app runs on every page.
"""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date, datetime
from pathlib import Path

import pytest
from starlette.datastructures import Headers
from streamlit import config
from streamlit.testing.v1 import AppTest
from streamlit.web.server.starlette.starlette_websocket import gather_user_info

from ketendata import access, store
from ketendata import actions as action_library
from ketendata.access import LOCAL
from ketendata.importers import import_matrix, undo_import
from ketendata.store import audit, meetings, queries
from ui.access import resolve_identity

APP = str(Path(__file__).resolve().parents[1] / "app.py")
WOLKENDAL, DUINRADE = "Demoregio Wolkendal", "Demoregio Duinrade"
MAPPING = {"X-Forwarded-Email": "email"}

GEMEENTE = "gemeente@wolkendal.nl"
OPVANG = "team@vrouwenopvang-wolkendal.nl"
LEZER = "lid@werkgroep.nl"


@pytest.fixture
def users(app_env: Path) -> Path:
    """The demo database with a gemeente, an opvang and a lezer user of Wolkendal."""
    with store.writing(app_env) as con:
        access.add_user(con, GEMEENTE, "gemeente", [WOLKENDAL], principal=LOCAL)
        access.add_user(
            con, OPVANG, "opvang", [WOLKENDAL], "Vrouwenopvang Wolkendal", principal=LOCAL
        )
        access.add_user(con, LEZER, "lezer", [WOLKENDAL], principal=LOCAL)
    return app_env


@pytest.fixture
def proxy(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """``KETENKAART_AUTH=proxy`` with Streamlit's trusted header mapped to ``email``."""
    monkeypatch.setenv("KETENKAART_AUTH", "proxy")
    before = config.get_option("server.trustedUserHeaders")
    config.set_option("server.trustedUserHeaders", MAPPING)
    try:
        yield
    finally:
        config.set_option("server.trustedUserHeaders", before)


def run_app(user: dict | None = None, page: str | None = None, **query: str) -> AppTest:
    at = AppTest.from_file(APP, default_timeout=30)
    if user is not None:
        at.user = user
    for key, value in query.items():
        at.query_params[key] = value
    at.run()
    if page is not None:
        at.switch_page(page).run()
    assert not at.exception, [e.value for e in at.exception]
    return at


def all_text(at: AppTest) -> str:
    """Every text the page and the sidebar show (markdown, titles, captions, alerts, widgets)."""
    parts: list[str] = []
    for kind in ("title", "header", "subheader", "markdown", "caption", "info", "success",
                 "warning", "error", "text"):  # fmt: skip
        parts += [str(element.value) for element in getattr(at, kind)]
    parts += [str(option) for box in at.selectbox for option in box.options]
    return "\n".join(parts)


def dump(path: Path) -> dict:
    with store.reading(path) as con:
        return store.dump_content(con)


# --- resolution, with Streamlit's own header handling -------------------------------------------


def _resolve(path: Path, headers: dict[str, str], mapping: object = MAPPING):
    with store.reading(path) as con:
        config.set_option("server.trustedUserHeaders", mapping)
        try:
            user = gather_user_info(Headers(headers))
        finally:
            config.set_option("server.trustedUserHeaders", {})
        return resolve_identity(
            "proxy",
            user=user,
            trusted_headers=mapping,
            has_auth_section=False,
            lookup=lambda email: access.principal_for(con, email),
        )


def test_a_known_header_gives_its_principal_case_insensitively(users: Path) -> None:
    identity = _resolve(users, {"x-forwarded-email": "Gemeente@Wolkendal.NL"})
    assert identity.problem is None and identity.principal is not None
    assert identity.principal.user == GEMEENTE
    assert identity.principal.may_change(WOLKENDAL) and not identity.principal.may_read(DUINRADE)


@pytest.mark.parametrize(
    "headers", [{"X-Forwarded-Email": "onbekend@elders.nl"}, {}, {"X-Forwarded-Email": " "}]
)
def test_an_unknown_or_absent_header_has_no_access(users: Path, headers: dict) -> None:
    identity = _resolve(users, headers)
    assert (identity.principal, identity.problem) == (None, "geen_toegang")


def test_proxy_without_the_trusted_header_option_is_not_configured(users: Path) -> None:
    identity = _resolve(users, {"X-Forwarded-Email": GEMEENTE}, mapping={})
    assert (identity.principal, identity.problem) == (None, "niet_ingesteld")


def test_oidc_needs_its_auth_section_and_a_signed_in_user(users: Path) -> None:
    with store.reading(users) as con:

        def lookup(email: str):
            return access.principal_for(con, email)

        def resolve(user: dict, has_auth: bool = True):
            return resolve_identity(
                "oidc", user=user, trusted_headers={}, has_auth_section=has_auth, lookup=lookup
            )

        assert resolve({"email": GEMEENTE}, has_auth=False).problem == "niet_ingesteld"
        assert resolve({"is_logged_in": False}).problem == "inloggen"
        assert resolve({"is_logged_in": True, "email": "x@y.nl"}).problem == "geen_toegang"
        found = resolve({"is_logged_in": True, "email": OPVANG.upper()}).principal
        assert found is not None and found.user == OPVANG
    assert resolve_identity(
        "anders", user={}, trusted_headers={}, has_auth_section=False, lookup=lookup
    ).problem == ("onbekende_modus")


# --- the app in each mode -------------------------------------------------------------------------


def test_the_local_mode_shows_its_notice_and_the_beheer_page(app_env: Path) -> None:
    at = run_app()
    assert any("Lokale modus" in c.value for c in at.sidebar.caption)
    assert at.selectbox(key="regio").options == [DUINRADE, "Demoregio Meerhaven", WOLKENDAL]
    at = run_app(page="pages/admin.py")
    assert at.title[0].value == "Beheer"
    at.text_input(key="nieuw_email").input("Nieuw@Gemeente.nl")
    at.selectbox(key="nieuw_rol").set_value("lezer")
    at.multiselect(key="nieuw_regios").set_value([WOLKENDAL])
    at.button[0].click().run()  # the form's submit button
    assert not at.exception
    assert any("heeft nu de rol lezer voor Demoregio Wolkendal." in s.value for s in at.success)
    users = at.dataframe[0].value
    assert users.to_dict("records") == [
        {"E-mailadres": "nieuw@gemeente.nl", "Rol": "lezer", "Regio's": WOLKENDAL,
         "Organisatie": ""}
    ]  # fmt: skip
    logged = at.dataframe[-1].value
    assert logged.iloc[0]["Wijziging"] == "user_add"
    assert logged.iloc[0]["Gebruiker"] == "lokaal"


def test_a_wrong_role_on_the_beheer_page_is_refused_and_stores_nothing(app_env: Path) -> None:
    at = run_app(page="pages/admin.py")
    before = dump(app_env)
    at.text_input(key="nieuw_email").input("a@b.nl")
    at.selectbox(key="nieuw_rol").set_value("opvang")
    at.button[0].click().run()
    assert any("precies één regio" in e.value for e in at.error)
    assert dump(app_env) == before


@pytest.mark.usefixtures("proxy")
def test_a_gemeente_user_behind_the_proxy_sees_only_its_region(users: Path) -> None:
    at = run_app({"email": "GEMEENTE@wolkendal.nl"}, regio=DUINRADE)  # a link to another region
    assert at.selectbox(key="regio").options == [WOLKENDAL]
    assert at.selectbox(key="regio").value == WOLKENDAL
    assert any(GEMEENTE in c.value for c in at.sidebar.caption)
    assert not any("Lokale modus" in c.value for c in at.sidebar.caption)
    at.switch_page("pages/admin.py").run()  # a gemeente: the log of its regions, no users
    assert not at.exception
    assert [h.value for h in at.header] == ["Logboek"]
    assert at.selectbox(key="logboek_regio").options == ["Alle regio's", WOLKENDAL]
    log = at.dataframe[0].value
    assert set(log["Regio"]) == {WOLKENDAL} and set(log["Wijziging"]) == {"import", "user_add"}


@pytest.mark.usefixtures("proxy")
@pytest.mark.parametrize("email", [OPVANG, LEZER])
def test_the_beheer_page_is_not_offered_to_an_opvang_user_or_a_lezer(users, email) -> None:
    at = run_app({"email": email})
    with pytest.raises(Exception):  # noqa: B017 - the page is not in the navigation
        at.switch_page("pages/admin.py").run()


@pytest.mark.usefixtures("proxy")
@pytest.mark.parametrize("user", [{"email": "onbekend@elders.nl"}, {"email": None}, {}])
def test_an_unknown_or_absent_user_behind_the_proxy_sees_only_the_no_access_page(
    users: Path, user: dict
) -> None:
    at = run_app(user)
    assert at.title[0].value == "U hebt geen toegang tot Ketenkaart"
    text = all_text(at)
    assert "Demoregio" not in text and "beheerder" in text
    assert not at.selectbox and not at.dataframe and not at.metric
    assert not at.get("plotly_chart")


def test_proxy_without_its_configuration_says_so_and_shows_no_data(
    users: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("KETENKAART_AUTH", "proxy")
    at = run_app({"email": GEMEENTE})
    assert at.title[0].value == "Ketenkaart is niet goed ingesteld"
    assert "STREAMLIT_SERVER_TRUSTED_USER_HEADERS" in all_text(at)
    assert "Demoregio" not in all_text(at) and not at.selectbox


def test_oidc_without_its_auth_section_says_so(users: Path, monkeypatch) -> None:
    monkeypatch.setenv("KETENKAART_AUTH", "oidc")
    at = run_app({"is_logged_in": True, "email": GEMEENTE})
    assert at.title[0].value == "Ketenkaart is niet goed ingesteld"
    assert "Demoregio" not in all_text(at)


# --- what each role may change, in the pages ------------------------------------------------------

OWN = (
    "regio;organisatie;partner;partnertype;afspraaktypes;status\n"
    f"{WOLKENDAL};Vrouwenopvang Wolkendal;Huisartsenpost Wolkendal;huisarts;"
    "informatie_uitwisseling;schriftelijk\n"
).encode()
OTHER = (
    OWN
    + (
        f"{WOLKENDAL};Gezinsopvang De Paraplu;Huisartsenpost Wolkendal;huisarts;"
        "informatie_uitwisseling;schriftelijk\n"
        f"{DUINRADE};Vrouwenopvang Wolkendal;Huisartsenpost Wolkendal;huisarts;"
        "informatie_uitwisseling;schriftelijk\n"
    ).encode()
)


@pytest.mark.usefixtures("proxy")
def test_an_opvang_upload_for_another_organisation_is_refused_and_its_own_accepted(
    users: Path,
) -> None:
    at = run_app({"email": OPVANG}, page="pages/data.py")
    before = dump(users)
    at.file_uploader(key="upload").set_value(("alles.csv", OTHER, "text/csv")).run()
    assert not at.exception
    problems = next(f.value for f in at.dataframe if "Probleem" in f.value.columns)
    assert problems["Rij"].tolist() == [3, 4]
    assert problems["Kolom"].tolist() == ["organisatie", "regio"]
    assert not any(b.key == "importeren" for b in at.button)
    assert dump(users) == before
    at.file_uploader(key="upload").set_value(("eigen.csv", OWN, "text/csv")).run()
    at.button(key="importeren").click().run()
    assert not at.exception
    assert any("geïmporteerd als import" in s.value for s in at.success)
    with store.reading(users) as con:
        last = access.audit_log(con, LOCAL)[-1]
    assert (last["user"], last["action"], last["region"]) == (OPVANG, "import", WOLKENDAL)


def _import_of(path: Path, organisation: str) -> int:
    """A new import (by the local beheerder) holding only this organisation's inventory."""
    from ketendata.importers import import_file

    data = OWN.replace(b"Vrouwenopvang Wolkendal", organisation.encode())
    with store.writing(path) as con:
        import_id = import_file(con, data, "eigen.csv", principal=LOCAL).import_id
        assert {o for _, _, o in audit.import_scope(con, import_id)} == {organisation}
    return import_id


@pytest.mark.usefixtures("proxy")
@pytest.mark.parametrize(
    ("email", "organisation", "allowed"),
    [
        (OPVANG, "Vrouwenopvang Wolkendal", True),
        (OPVANG, "Gezinsopvang De Paraplu", False),
        (LEZER, "Vrouwenopvang Wolkendal", False),
        (GEMEENTE, "Gezinsopvang De Paraplu", True),
    ],
)
def test_undo_in_the_page_follows_the_role(users: Path, email, organisation, allowed) -> None:
    """The page offers undo only where the role allows it; the library refuses the rest
    (a request made anyway, as a script could) and stores nothing."""
    import_id = _import_of(users, organisation)
    at = run_app({"email": email}, page="pages/data.py")
    before = dump(users)
    if not allowed:
        assert f"undo_{import_id}" not in {b.key for b in at.button}
        with store.writing(users) as con, pytest.raises(access.AccessDenied):
            undo_import(con, import_id, principal=access.principal_for(con, email))
        assert dump(users) == before
        return
    at.button(key=f"undo_{import_id}").click().run()
    at.button(key="undo_bevestigen").click().run()
    assert not at.exception
    assert any(f"Import {import_id}" in s.value for s in [*at.success, *at.info])
    assert dump(users) != before


@pytest.mark.usefixtures("proxy")
@pytest.mark.parametrize(("email", "allowed"), [(LEZER, False), (OPVANG, False), (GEMEENTE, True)])
def test_recording_a_meeting_on_the_actions_page_follows_the_role(
    users: Path, email: str, allowed: bool
) -> None:
    at = run_app({"email": email}, page="pages/actions.py")
    before = dump(users)
    if not allowed:  # not offered; the library refuses a request made anyway
        assert "vergadering_vastleggen" not in {b.key for b in at.button}
        with store.writing(users) as con, pytest.raises(access.AccessDenied):
            meetings.record_meeting(
                con,
                WOLKENDAL,
                datetime(2026, 11, 24, 10),
                principal=access.principal_for(con, email),
            )
        assert dump(users) == before
        return
    at.button(key="vergadering_vastleggen").click().run()
    assert not at.exception
    with store.reading(users) as con:
        last = access.audit_log(con, LOCAL)[-1]
    assert (last["user"], last["action"], last["region"]) == (email, "meeting", WOLKENDAL)


@pytest.mark.usefixtures("proxy")
def test_an_opvang_user_sees_other_shelters_small_counts_as_below_5(users: Path) -> None:
    """Vrouwenopvang Wolkendal had 2 families in doorstroom (2026-Q3): its own user sees 2,
    the user of another shelter "< 5" with the shares hidden, the gemeente 2."""
    with store.writing(users) as con:
        access.add_user(
            con, "paraplu@opvang.nl", "opvang", [WOLKENDAL], "Gezinsopvang De Paraplu",
            principal=LOCAL,
        )  # fmt: skip

    def row(email: str) -> dict:
        at = run_app({"email": email}, page="pages/handovers.py")
        frame = next(f.value for f in at.dataframe if "Met ketenafspraken" in f.value.columns)
        mine = frame[frame["Fase"] == "Doorstroom"]
        assert mine["Opvangorganisatie"].tolist() == ["Vrouwenopvang Wolkendal"]
        return mine.iloc[0].to_dict()

    other = row("paraplu@opvang.nl")
    assert other["Gezinnen"] == "< 5"
    assert {other[c] for c in ("Warm", "Met informatieoverdracht")} == {"verborgen"}
    assert str(row(OPVANG)["Gezinnen"]) == "2"
    assert row(GEMEENTE)["Gezinnen"] == 2


# --- what each role is offered (issue 11): region picker, pages, buttons --------------------------

PAGES = (
    "pages/overview.py",
    "pages/network_map.py",
    "pages/norms.py",
    "pages/handovers.py",
    "pages/stagnation.py",
    "pages/changes.py",
    "pages/actions.py",
    "pages/meeting.py",
    "pages/comparison.py",
    "pages/data.py",
)


def keys(at: AppTest) -> set[str]:
    """The keys of every button, upload field, checkbox and text field on the page."""
    found: set[str] = set()
    for kind in ("button", "file_uploader", "checkbox", "text_input"):
        found |= {w.key for w in at.get(kind) if getattr(w, "key", None)}
    found |= {b.key for b in at.button if b.key}
    return found


def form_buttons(at: AppTest) -> set[str]:
    """The "Opslaan" buttons of the action forms (every "Actie toevoegen" has one)."""
    return {b.key for b in at.button if b.key and b.key.endswith("_opslaan")}


@pytest.mark.usefixtures("proxy")
@pytest.mark.parametrize(
    ("email", "regions"),
    [
        (GEMEENTE, [WOLKENDAL]),
        (OPVANG, [WOLKENDAL]),
        (LEZER, [WOLKENDAL]),
        ("twee@werkgroep.nl", [DUINRADE, WOLKENDAL]),
    ],
)
def test_the_region_picker_offers_only_the_users_regions(users, email, regions) -> None:
    with store.writing(users) as con:
        access.add_user(con, "twee@werkgroep.nl", "lezer", [WOLKENDAL, DUINRADE], principal=LOCAL)
    at = run_app({"email": email}, regio="Demoregio Meerhaven")  # a link to another region
    assert at.selectbox(key="regio").options == regions
    assert "Meerhaven" not in "\n".join(str(s.value) for s in at.sidebar.selectbox)


@pytest.mark.usefixtures("proxy")
@pytest.mark.parametrize("email", [OPVANG, LEZER])
def test_every_page_opens_for_an_opvang_user_and_a_lezer(users: Path, email: str) -> None:
    at = run_app({"email": email})
    for page in PAGES:
        at.switch_page(page).run()
        assert not at.exception, (page, [e.value for e in at.exception])
        assert at.title, page
        assert "Demoregio Duinrade" not in "\n".join(t.value for t in at.title), page


@pytest.mark.usefixtures("proxy")
def test_a_lezer_gets_no_write_controls_on_the_gegevens_page(users: Path) -> None:
    at = run_app({"email": LEZER}, page="pages/data.py")
    offered = keys(at)
    assert not {"upload", "nieuwe_regio", "importeren", "matrix_upload", "demo_laden"} & offered
    assert not [k for k in offered if k.startswith(("undo_", "wis_", "partner_"))]
    assert any("U hebt leesrechten" in i.value for i in at.info)
    assert any(b.key and b.key.startswith("sjabloon_") for b in at.get("download_button"))
    assert any("Import " in t.value for t in at.text)  # the history is there to read


@pytest.mark.usefixtures("proxy")
def test_an_opvang_user_gets_upload_and_undo_of_its_own_imports_only(users: Path) -> None:
    own = _import_of(users, "Vrouwenopvang Wolkendal")
    other = _import_of(users, "Gezinsopvang De Paraplu")
    at = run_app({"email": OPVANG}, page="pages/data.py")
    offered = keys(at)
    assert "upload" in offered and "nieuwe_regio" not in offered
    assert any("'Vrouwenopvang Wolkendal' in Demoregio Wolkendal" in c.value for c in at.caption)
    undo = {k for k in offered if k.startswith("undo_")}
    assert f"undo_{own}" in undo and f"undo_{other}" not in undo
    with store.reading(users) as con:
        history = [int(i) for i in queries.list_imports(con, WOLKENDAL)["id"]]
        mine = access.undoable_imports(con, access.principal_for(con, OPVANG), history)
    assert undo == {f"undo_{i}" for i in mine} and mine == {own}
    assert "matrix_upload" not in offered and not [k for k in offered if k.startswith("wis_")]
    assert not [k for k in offered if k.startswith("partner_")]


@pytest.mark.usefixtures("proxy")
def test_a_gemeente_gets_upload_undo_and_the_matrix_of_its_region_but_no_erasure(users) -> None:
    other = _import_of(users, "Gezinsopvang De Paraplu")
    at = run_app({"email": GEMEENTE}, page="pages/data.py")
    offered = keys(at)
    assert {"upload", "matrix_upload", f"undo_{other}"} <= offered
    assert "nieuwe_regio" not in offered and not [k for k in offered if k.startswith("wis_")]
    assert any("elke organisatie in Demoregio Wolkendal" in c.value for c in at.caption)
    with store.reading(users) as con:
        imports = [int(i) for i in queries.list_imports(con, WOLKENDAL)["id"]]
    assert {f"undo_{i}" for i in imports} <= offered  # every import of its region


def test_the_local_beheerder_gets_every_control(app_env: Path) -> None:
    at = run_app(page="pages/data.py")
    offered = keys(at)
    assert {"upload", "nieuwe_regio", "matrix_upload"} <= offered
    assert [k for k in offered if k.startswith("undo_")] and [
        k for k in offered if k.startswith("wis_")
    ]


MATRIX = b"partnertype;afspraaktype;norm;kind\nhuisarts;informatie_uitwisseling;4.2a;nee\n"


@pytest.mark.usefixtures("proxy")
@pytest.mark.parametrize("email", [OPVANG, LEZER])
def test_refused_writes_change_nothing(users: Path, email: str) -> None:
    """What the pages no longer offer, asked of the library anyway: refused, nothing stored."""
    with store.writing(users) as con:
        other = action_library.add_action(
            con, WOLKENDAL, {"title": "Afspraak met de huisarts", "owner": "Gemeente"},
            principal=LOCAL,
        )  # fmt: skip
    before = dump(users)
    with store.writing(users) as con:
        me = access.principal_for(con, email)
        refusals = [
            lambda: import_matrix(con, MATRIX, "matrix.csv", WOLKENDAL, principal=me),
            lambda: action_library.update_action(con, other, {"status": "gereed"}, principal=me),
            lambda: action_library.add_action(
                con, WOLKENDAL, {"title": "Iets", "owner": "Gemeente"}, principal=me
            ),
        ]
        for refused in refusals:
            with pytest.raises(access.AccessDenied):
                refused()
    assert dump(users) == before


def _actions(path: Path) -> tuple[int, int]:
    """An action of Vrouwenopvang Wolkendal and one of the gemeente (made by the beheerder)."""
    with store.writing(path) as con:
        own = action_library.add_action(
            con, WOLKENDAL, {"title": "Eigen actie", "owner": "Vrouwenopvang Wolkendal",
                             "due": date(2026, 12, 31)}, principal=LOCAL,
        )  # fmt: skip
        other = action_library.add_action(
            con, WOLKENDAL, {"title": "Actie gemeente", "owner": "Gemeente"}, principal=LOCAL
        )
    return own, other


STATUS_KEYS = {"status_open", "status_bezig", "status_gereed", "status_vervallen"}


@pytest.mark.usefixtures("proxy")
def test_a_lezer_gets_no_write_buttons_on_the_actions_and_meeting_pages(users: Path) -> None:
    _actions(users)
    at = run_app({"email": LEZER}, page="pages/actions.py")
    offered = keys(at)
    assert not STATUS_KEYS & offered and "vergadering_vastleggen" not in offered
    assert not form_buttons(at)  # no "Nieuwe actie", no "Bewerken"
    assert any("U hebt leesrechten" in i.value for i in at.info)
    assert at.selectbox(key="actie_kiezen").options  # the actions are there to read
    at.switch_page("pages/meeting.py").run()
    assert "vergadering_beginnen" not in keys(at)
    for step in ("Knelpunten", "Kaart", "Overdracht", "Stagnatie", "Acties"):
        at.segmented_control(key="vergadering_stap").set_value(step).run()
        assert not at.exception, step
        assert not form_buttons(at), step  # no "Actie toevoegen" at any gap
        assert not [k for k in keys(at) if k.startswith("vergadering_status_")], step


@pytest.mark.usefixtures("proxy")
def test_an_opvang_user_changes_only_its_own_actions(users: Path) -> None:
    own, other = _actions(users)
    at = run_app({"email": OPVANG}, page="pages/actions.py")
    assert form_buttons(at)  # "Nieuwe actie"
    new = next(k for k in form_buttons(at) if k.startswith("actie_nieuw"))[: -len("_opslaan")]
    assert at.text_input(key=f"{new}_eigenaar").value == "Vrouwenopvang Wolkendal"
    at.selectbox(key="actie_kiezen").set_value(other).run()
    assert not STATUS_KEYS & keys(at)
    assert any("niet van uw organisatie" in c.value for c in at.caption)
    at.selectbox(key="actie_kiezen").set_value(own).run()
    assert keys(at) >= STATUS_KEYS
    before = dump(users)
    at.button(key="status_bezig").click().run()
    assert not at.exception and dump(users) != before
    with store.reading(users) as con:
        last = access.audit_log(con, LOCAL)[-1]
    assert (last["user"], last["action"], last["subject"]) == (
        OPVANG,
        "action_update",
        f"actie {own}",
    )
    at.switch_page("pages/meeting.py").run()
    at.segmented_control(key="vergadering_stap").set_value("Acties").run()
    assert at.selectbox(key="vergadering_actie_kiezen").options == [f"Nr. {own}: Eigen actie"]
