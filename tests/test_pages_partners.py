"""The partner register on the Gegevens page (AppTest on a real database of the hand-made
Kennemerland region): confirm, dismiss and undo with one click each, the map showing the merged
names at once, and the "bedoelt u ...?" of an upload's preview merged after the import."""

from __future__ import annotations

from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from ketendata import partners, store
from tests.builders import csv_bytes
from tests.conftest import app_on
from tests.test_pages import chart_spec
from tests.test_partners import HEADER, INVENTORIES, REGION, build_region, inventory_rows

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch):
    with app_on(build_region(tmp_path / "ketenkaart.duckdb"), monkeypatch) as path:
        yield path


def data_page() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
    at.query_params["regio"] = REGION
    at.run()
    at.switch_page("pages/data.py").run()
    assert not at.exception
    return at


def suggestion_index(at: AppTest, name: str, into: str) -> int:
    """The index of the suggestion 'name is waarschijnlijk into' on the page."""
    texts = [m.value for m in at.markdown if "is waarschijnlijk" in m.value]
    wanted = f"**{name}** is waarschijnlijk **{into}**"
    return next(i for i, text in enumerate(texts) if text.startswith(wanted))


def map_names(at: AppTest) -> set[str]:
    """Every text the figures of the map page carry (node labels, hover texts)."""
    at.switch_page("pages/network_map.py").run()
    assert not at.exception
    found: set[str] = set()
    for trace in chart_spec(at)["data"]:
        for field in ("text", "hovertext", "customdata"):
            values = trace.get(field) or []
            found.update(str(v) for v in (values if isinstance(values, list) else [values]))
    return found


def aliases(path: Path) -> list[tuple[str, str]]:
    with store.reading(path) as con:
        return [(a["alias"], a["into"]) for a in partners.list_aliases(con, REGION)]


def test_confirm_a_suggestion_and_the_map_shows_one_organisation(db: Path) -> None:
    at = data_page()
    assert any("VT Kennemerland" in text for text in map_names(at))
    at = data_page()
    index = suggestion_index(at, "VT Kennemerland", "Veilig Thuis Kennemerland")
    at.button(key=f"partner_samenvoegen_{index}").click().run()
    assert not at.exception
    assert any("'VT Kennemerland' is nu in Regio Kennemerland" in s.value for s in at.success)
    assert aliases(db) == [("VT Kennemerland", "Veilig Thuis Kennemerland")]
    assert any(
        "**VT Kennemerland** telt als **Veilig Thuis Kennemerland**" in m.value for m in at.markdown
    )
    with pytest.raises(StopIteration):
        suggestion_index(at, "VT Kennemerland", "Veilig Thuis Kennemerland")
    names = map_names(at)
    assert not any("VT Kennemerland" in text for text in names)
    assert any("Veilig Thuis Kennemerland" in text for text in names)


def test_dismiss_a_suggestion_and_it_is_not_shown_again(db: Path) -> None:
    at = data_page()
    index = suggestion_index(at, "Wijkteam Haarlem-Noord", "Wijkteam Haarlem Noord")
    at.button(key=f"partner_afwijzen_{index}").click().run()
    assert not at.exception
    assert any("niet meer voorgesteld" in s.value for s in at.success)
    with pytest.raises(StopIteration):
        suggestion_index(at, "Wijkteam Haarlem-Noord", "Wijkteam Haarlem Noord")
    assert aliases(db) == []
    at = data_page()  # a new session sees it too
    with pytest.raises(StopIteration):
        suggestion_index(at, "Wijkteam Haarlem-Noord", "Wijkteam Haarlem Noord")


def test_undo_an_alias_and_the_suggestion_returns(db: Path) -> None:
    with store.writing(db) as con:
        partners.merge(con, REGION, "Jeugdgezondheidszorg Kennemerland", "GGD Kennemerland")
    at = data_page()
    with pytest.raises(StopIteration):
        suggestion_index(at, "Jeugdgezondheidszorg Kennemerland", "GGD Kennemerland")
    at.button(key="partner_ongedaan_0").click().run()
    assert not at.exception
    assert any("weer een eigen organisatie" in s.value for s in at.success)
    assert aliases(db) == []
    suggestion_index(at, "Jeugdgezondheidszorg Kennemerland", "GGD Kennemerland")
    assert any("Nog geen samengevoegde namen" in m.value for m in at.markdown)


def test_a_refused_merge_says_why_and_changes_nothing(db: Path) -> None:
    at = data_page()
    index = suggestion_index(at, "VT Kennemerland", "Veilig Thuis Kennemerland")
    # meanwhile, elsewhere: the target became an alias itself
    with store.writing(db) as con:
        partners.merge(con, REGION, "Veilig Thuis Kennemerland", "Veilig Thuis Kennemerland (VTK)")
        before = store.dump_content(con)
    at.button(key=f"partner_samenvoegen_{index}").click().run()
    assert not at.exception
    assert any("Niet gedaan" in e.value and "geen ketens" in e.value for e in at.error)
    with store.reading(db) as con:
        assert store.dump_content(con) == before


def test_an_upload_asks_bedoelt_u_and_merges_after_the_import(db: Path) -> None:
    upload = csv_bytes(
        [
            HEADER,
            [
                REGION,
                "Blijf Groep Haarlem",
                "vrouwenopvang",
                "Veilig Thuis Kennemerland",
                "veilig_thuis",
                "meldcode",
                "schriftelijk",
                "ja",
                "",
            ],
            [
                REGION,
                "Blijf Groep Haarlem",
                "vrouwenopvang",
                "Politie Kenemerland",
                "politie",
                "veiligheid",
                "schriftelijk",
                "ja",
                "",
            ],
        ]
    )
    at = data_page()
    at.file_uploader(key="upload").set_value(("blijf.csv", upload, "text/csv")).run()
    assert not at.exception
    assert any("Bedoelt u 'Politie Kennemerland'?" in i.value for i in at.info)
    at.checkbox(key="partner_bedoelt_0").check().run()
    at.button(key="importeren").click().run()
    assert not at.exception
    assert aliases(db) == [("Politie Kenemerland", "Politie Kennemerland")]
    assert any("'Politie Kenemerland' is nu in Regio Kennemerland" in s.value for s in at.success)


def test_without_the_tick_the_upload_is_imported_as_it_is(db: Path) -> None:
    upload = csv_bytes(
        [
            HEADER,
            [
                REGION,
                "Blijf Groep Haarlem",
                "vrouwenopvang",
                "Politie Kenemerland",
                "politie",
                "veiligheid",
                "schriftelijk",
                "ja",
                "",
            ],
        ]
    )
    at = data_page()
    at.file_uploader(key="upload").set_value(("blijf.csv", upload, "text/csv")).run()
    at.button(key="importeren").click().run()
    assert not at.exception
    assert aliases(db) == []
    assert any(
        "**Politie Kenemerland** is waarschijnlijk **Politie Kennemerland**" in m.value
        or "**Politie Kennemerland** is waarschijnlijk **Politie Kenemerland**" in m.value
        for m in at.markdown
    )


def _shelter_file(holder: str) -> bytes:
    return csv_bytes([r for r in inventory_rows() if r[0] == "regio" or r[1] == holder])


def organisations_metric(at: AppTest) -> int:
    at.switch_page("pages/overview.py").run()
    assert not at.exception
    return int(next(m for m in at.metric if m.label == "Organisaties").value)


def test_a_new_user_uploads_three_inventories_confirms_and_sees_the_measures_change(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "nieuw.duckdb"
    store.open_database(path).close()
    with app_on(path, monkeypatch):
        at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=60)
        at.run()
        at.switch_page("pages/data.py").run()
        for number, (holder, _) in enumerate(INVENTORIES):
            at.file_uploader(key="upload").set_value(
                (f"inventarisatie-{number}.csv", _shelter_file(holder), "text/csv")
            ).run()
            if number == 0:
                at.checkbox(key="nieuwe_regio").check().run()
            else:  # the second and third shelter's spellings are recognised in the preview
                assert any("Bedoelt u 'Veilig Thuis Kennemerland" in i.value for i in at.info)
            at.button(key="importeren").click().run()
            assert not at.exception
        before = organisations_metric(at)
        assert before == 3 + sum(len(rows) for rows in INVENTORIES.values()) - 1  # politie twice
        at.switch_page("pages/data.py").run()
        for name, into in (
            ("VT Kennemerland", "Veilig Thuis Kennemerland"),
            ("Veilig Thuis Kennemerland (VTK)", "Veilig Thuis Kennemerland"),
            ("Jeugdgezondheidszorg Kennemerland", "GGD Kennemerland"),
            ("Wijkteam Haarlem-Noord", "Wijkteam Haarlem Noord"),
        ):
            at.button(key=f"partner_samenvoegen_{suggestion_index(at, name, into)}").click().run()
            assert not at.exception
        assert not [m for m in at.markdown if "is waarschijnlijk" in m.value]
        assert organisations_metric(at) == before - 4
        names = map_names(at)
        assert not any("VT Kennemerland" in text or "(VTK)" in text for text in names)
