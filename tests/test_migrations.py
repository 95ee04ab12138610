"""Every migration upgrades a database file made by the previous release, in place, keeping its
content.

``tests/data/release-4.duckdb.gz`` was written by the release with schema version 4 (commit
c2bb2f9): ``python -m ketendata demo`` with KETENKAART_TODAY=2026-11-30, then an own matrix for
Demoregio Duinrade (two requirements) and ``undo 27``. ``release-5.duckdb.gz`` is the same
made by the schema-5 release (commit a8cfd5d), plus ``meeting --region "Demoregio Meerhaven"
--at 2026-11-17T13:30``. ``release-6.duckdb.gz`` was made by the code of commit f4aad26 with
the schema held at 6 (``store.migrate(con, target=6)``; migration 7 came from another branch of
work): the demo (today 2026-11-30), an own matrix for Demoregio Duinrade with ``bron``,
``niveau`` and ``gewicht`` (4.3 meldcode at organisatie level weighing 3, 3.4 onderwijs of the
normenkader 2019 at professioneel level weighing 2), ``undo 27``, the same meeting and one
action for Demoregio Wolkendal linked to its school finding. Keep each release's file: every
later migration is tested on all.
"""

from __future__ import annotations

import gzip
import shutil
from pathlib import Path

import duckdb
import pytest

from ketendata import store

RELEASES = Path(__file__).parent / "data"

#: The content tables of the schema-4 release.
RELEASE_4_TABLES = (
    "regions",
    "organisations",
    "imports",
    "undos",
    "versions",
    "agreement_rows",
    "handover_rows",
    "stagnation_rows",
    "matrix_versions",
    "matrix_rows",
    "redactions",
)


#: The content tables of each release's file.
RELEASE_TABLES = {
    4: RELEASE_4_TABLES,
    5: (*RELEASE_4_TABLES, "actions", "action_versions", "meetings"),
    6: (*RELEASE_4_TABLES, "actions", "action_versions", "meetings"),
}


def _unpack(tmp_path: Path, release: int) -> Path:
    path = tmp_path / "ketenkaart.duckdb"
    with gzip.open(RELEASES / f"release-{release}.duckdb.gz") as packed, path.open("wb") as out:
        shutil.copyfileobj(packed, out)
    return path


@pytest.fixture
def release_4_file(tmp_path: Path) -> Path:
    return _unpack(tmp_path, 4)


@pytest.mark.parametrize("release", sorted(RELEASE_TABLES))
def test_every_release_file_is_migrated_keeping_every_row(tmp_path: Path, release: int) -> None:
    path = _unpack(tmp_path, release)
    tables = RELEASE_TABLES[release]
    con = duckdb.connect(str(path), read_only=True)
    try:
        assert con.execute("SELECT max(version) FROM schema_version").fetchone() == (release,)
        columns = _columns(con, tables)
        before = _content(con, tables)
    finally:
        con.close()
    con = store.open_database(path)
    try:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        assert _content(con, tables, columns) == before
    finally:
        con.close()
    if release >= 5:
        assert len(before["meetings"]) == 1


def _content(
    con: duckdb.DuckDBPyConnection,
    tables: tuple[str, ...],
    columns: dict[str, list[str]] | None = None,
) -> dict[str, list]:
    """Every row of ``tables``, sorted; only ``columns`` of a table when given (the columns an
    older release had: a later migration may add columns, never drop or change one)."""
    content = {}
    for table in tables:
        names = ", ".join(f'"{c}"' for c in columns[table]) if columns else "*"
        content[table] = sorted(con.execute(f"SELECT {names} FROM {table}").fetchall(), key=repr)
    return content


def _columns(con: duckdb.DuckDBPyConnection, tables: tuple[str, ...]) -> dict[str, list[str]]:
    return {t: [row[0] for row in con.execute(f"DESCRIBE {t}").fetchall()] for t in tables}


def test_the_release_4_file_is_what_it_says(release_4_file: Path) -> None:
    con = duckdb.connect(str(release_4_file), read_only=True)
    try:
        assert con.execute("SELECT max(version) FROM schema_version").fetchone() == (4,)
        assert con.execute("SELECT count(*) FROM imports").fetchone() == (27,)
        assert con.execute("SELECT import_id FROM undos").fetchall() == [(27,)]
    finally:
        con.close()


def test_migrating_the_release_4_file_keeps_every_row(release_4_file: Path) -> None:
    con = duckdb.connect(str(release_4_file), read_only=True)
    columns = _columns(con, RELEASE_4_TABLES)
    before = _content(con, RELEASE_4_TABLES)
    con.close()
    con = store.open_database(release_4_file)
    try:
        assert store.schema_version(con) == store.SCHEMA_VERSION
        assert _content(con, RELEASE_4_TABLES, columns) == before
        for table in set(store.CONTENT_TABLES) - set(RELEASE_4_TABLES):
            assert con.execute(f"SELECT count(*) FROM {table}").fetchone() == (0,)
        assert store.migrate(con) == store.SCHEMA_VERSION  # nothing left to do
    finally:
        con.close()


def _read_as_released(path: Path, tmp_path: Path) -> tuple[dict, set[str]]:
    """The frames today's queries read from a release file as it was: a copy that gets the
    tables and columns later migrations added, empty (not migrated, so nothing is filled in),
    and the names of those added columns."""
    from ketendata.store import queries

    fresh = store.open_database(tmp_path / "fresh.duckdb")
    try:
        wanted = _columns(fresh, store.CONTENT_TABLES)
        types = {
            (t, row[0]): row[1]
            for t in store.CONTENT_TABLES
            for row in fresh.execute(f"DESCRIBE {t}").fetchall()
        }
    finally:
        fresh.close()
    copy = tmp_path / "as-released.duckdb"
    shutil.copyfile(path, copy)
    con = duckdb.connect(str(copy))
    added: set[str] = set()
    try:
        tables = {row[0] for row in con.execute("SHOW TABLES").fetchall()}
        for table, names in wanted.items():
            if table not in tables:  # a table a later migration made: there, and empty
                described = ", ".join(f'"{n}" {types[table, n]}' for n in names)
                con.execute(f"CREATE TABLE {table} ({described})")
                continue
            have = set(_columns(con, (table,))[table])
            for name in names:
                if name not in have:
                    con.execute(f'ALTER TABLE {table} ADD COLUMN "{name}" {types[table, name]}')
                    added.add(name)
        return {r: queries.region_frames(con, r) for r in queries.list_regions(con)}, added
    finally:
        con.close()


def test_the_migrated_file_is_read_as_before(release_4_file: Path, tmp_path: Path) -> None:
    from ketendata.store import queries

    old, added = _read_as_released(release_4_file, tmp_path)
    assert {"source", "min_level", "weight"} <= added
    with store.reading(release_4_file) as con:  # migrates first
        assert store.schema_version(con) == store.SCHEMA_VERSION
        for region, frames in old.items():
            new = queries.region_frames(con, region)
            for name in ("agreements", "handovers", "stagnation", "matrix"):
                before, after = getattr(frames, name), getattr(new, name)
                kept = [c for c in before.columns if c not in added]
                assert after[kept].equals(before[kept]), (region, name)
    assert len(old["Demoregio Duinrade"].matrix) == 2


@pytest.mark.parametrize("release", [4, 5])
def test_migration_6_gives_an_older_own_matrix_the_source_any_level_and_weight_1(
    tmp_path: Path, release: int
) -> None:
    """Release 4 and 5 stored four columns of an own matrix and judged it with the inferred
    document, any level and weight 1; migration 6 stores exactly that."""
    path = _unpack(tmp_path, release)
    con = store.open_database(path)
    try:
        before_6 = store.schema_version(con)
        rows = con.execute(
            "SELECT partner_type, agreement_type, norm, child_required, source, min_level, weight"
            " FROM matrix_rows ORDER BY matrix_version_id, position"
        ).fetchall()
        applied = con.execute("SELECT version FROM schema_version ORDER BY version").fetchall()
    finally:
        con.close()
    assert before_6 == store.SCHEMA_VERSION
    assert (6,) in applied
    assert rows == [
        ("veilig_thuis", "meldcode", "4.3", False, "keurmerk", None, 1),
        ("onderwijs", "onderwijs", "3.3", False, "keurmerk", None, 1),
    ]


def test_migration_6_infers_each_document_as_the_release_before_did(tmp_path: Path) -> None:
    from analysis.codes import infer_norm_source

    path = tmp_path / "k.duckdb"
    con = store.connect(path)
    try:
        store.migrate(con, target=5)
        norms = ["4.3", "4.5", "inspectie 2017", "Valente 2024", "normenkader 2019 3.4", "4.2e/3.4"]
        con.execute(
            "INSERT INTO matrix_versions VALUES (1, 1, 'm.csv', '', false, current_timestamp)"
        )
        for position, norm in enumerate(norms):
            con.execute(
                "INSERT INTO matrix_rows VALUES (1, ?, 'politie', 'veiligheid', ?, false)",
                [position, norm],
            )
        store.migrate(con)
        stored = con.execute(
            "SELECT norm, source, min_level, weight FROM matrix_rows ORDER BY position"
        ).fetchall()
    finally:
        con.close()
    assert stored == [(norm, infer_norm_source(norm), None, 1) for norm in norms]


def test_the_release_6_file_keeps_its_own_matrix_level_and_weight(tmp_path: Path) -> None:
    from ketendata.store import queries

    with store.reading(_unpack(tmp_path, 6)) as con:
        matrix = queries.region_matrix(con, "Demoregio Duinrade")
        actions = con.execute("SELECT count(*) FROM actions").fetchone()
    assert matrix[["agreement_type", "source", "min_level", "weight"]].values.tolist() == [
        ["meldcode", "keurmerk", "organisatie", 3],
        ["onderwijs", "normenkader 2019", "professioneel", 2],
    ]
    assert actions == (1,)


@pytest.mark.parametrize("release", sorted(RELEASE_TABLES))
def test_migration_7_adds_an_empty_alias_log_to_every_release_file(
    tmp_path: Path, release: int
) -> None:
    path = _unpack(tmp_path, release)
    con = store.open_database(path)
    try:
        applied = [v for (v,) in con.execute("SELECT version FROM schema_version").fetchall()]
        columns = [row[0] for row in con.execute("DESCRIBE alias_events").fetchall()]
        count = con.execute("SELECT count(*) FROM alias_events").fetchone()
    finally:
        con.close()
    assert 7 in applied
    assert columns == [
        "id",
        "region_id",
        "action",
        "organisation_id",
        "into_id",
        "changed_at",
        "changed_by",
    ]
    assert count == (0,)


@pytest.mark.parametrize("release", sorted(RELEASE_TABLES))
def test_migration_8_gives_every_older_handover_row_empty_after_departure_counts(
    tmp_path: Path, release: int
) -> None:
    """Release files hold handover rows without the four columns of issue 16; after migration
    8 each row has them empty (not given, so not judged) and keeps the rest."""
    path = _unpack(tmp_path, release)
    con = duckdb.connect(str(path), read_only=True)
    try:
        rows = con.execute("SELECT count(*) FROM handover_rows").fetchone()
    finally:
        con.close()
    con = store.open_database(path)
    try:
        applied = [v for (v,) in con.execute("SELECT version FROM schema_version").fetchall()]
        after = con.execute(
            "SELECT count(*), count(aftercare_six_months), count(moved_to_other_region), "
            "count(regisseur_new_municipality), count(signalling_partners_informed) "
            "FROM handover_rows"
        ).fetchone()
    finally:
        con.close()
    assert 8 in applied
    assert rows[0] > 0 and after == (rows[0], 0, 0, 0, 0)


@pytest.mark.parametrize("release", sorted(RELEASE_TABLES))
def test_migration_9_adds_empty_users_and_audit_tables_to_every_release_file(
    tmp_path: Path, release: int
) -> None:
    """Access (issue 11): a release file gets the users and the audit log, both empty, and an
    existing file upgraded in place takes a role and an audit entry at once."""
    from datetime import datetime

    from ketendata.store import audit, queries, users

    path = _unpack(tmp_path, release)
    con = store.open_database(path)
    try:
        applied = [v for (v,) in con.execute("SELECT version FROM schema_version").fetchall()]
        columns = {t: _columns(con, (t,))[t] for t in ("users", "audit")}
        counts = [con.execute(f"SELECT count(*) FROM {t}").fetchone() for t in ("users", "audit")]
        region_id, region = queries.find_region_row(con, "Demoregio Duinrade")
        now = datetime(2026, 12, 1, 9, 0)
        with store.transaction(con):
            users.append_event(
                con, "A@Gemeente.nl", "add", "gemeente", [region_id], None, by="cli:t", now=now
            )
            audit.record(con, "cli:t", "user_add", "a@gemeente.nl", [region_id], now=now)
        roles = users.current_roles(con, "a@gemeente.NL")
        logged = audit.entries(con)
    finally:
        con.close()
    assert 9 in applied
    assert columns == {
        "users": [
            "id",
            "email",
            "event",
            "role",
            "region_ids",
            "organisation",
            "changed_at",
            "changed_by",
        ],
        "audit": ["id", "changed_at", "changed_by", "action", "region_id", "subject"],
    }
    assert counts == [(0,), (0,)]
    assert roles == [
        {
            "email": "a@gemeente.nl",
            "role": "gemeente",
            "region_ids": [region_id],
            "organisation": None,
            "regions": [region],
        }
    ]
    assert logged == [
        {
            "at": "2026-12-01T09:00:00",
            "user": "cli:t",
            "action": "user_add",
            "region": "Demoregio Duinrade",
            "subject": "a@gemeente.nl",
        }
    ]
