"""The one schema description (ketendata.columns) and the tables the released migrations create
agree, column for column: name, DuckDB type and whether a value may be missing."""

from __future__ import annotations

import pytest

from ketendata import columns, store

KINDS = list(columns.COLUMNS)


@pytest.fixture(scope="module")
def migrated(tmp_path_factory):
    con = store.open_database(tmp_path_factory.mktemp("schema") / "k.duckdb")
    yield con
    con.close()


def table_columns(con, table: str) -> list[tuple[str, str, bool]]:
    rows = con.execute(
        "SELECT column_name, data_type, is_nullable FROM information_schema.columns "
        "WHERE table_name = ? ORDER BY ordinal_position",
        [table],
    ).fetchall()
    return [(name, data_type, nullable == "NO") for name, data_type, nullable in rows]


@pytest.mark.parametrize("kind", KINDS)
def test_each_row_table_has_exactly_the_columns_the_description_gives(migrated, kind):
    described = [(name, storage, True) for name, storage in columns.ROW_KEY_COLUMNS] + [
        (column.store, column.storage, column.not_null) for column in columns.row_columns(kind)
    ]
    assert table_columns(migrated, columns.ROW_TABLES[kind]) == described


@pytest.mark.parametrize("kind", KINDS)
def test_the_columns_a_version_is_of_are_columns_of_versions(migrated, kind):
    versions = {name: data_type for name, data_type, _ in table_columns(migrated, "versions")}
    for column in columns.version_columns(kind):
        assert versions[column.store] == column.storage, column.name


def test_every_kind_names_its_region_and_organisation_on_the_version():
    for kind in KINDS:
        stored = {c.store: c for c in columns.version_columns(kind)}
        assert stored["region_id"].references == columns.REGIONS
        assert columns.subject_column(kind).store == "organisation_id"
        assert (columns.period_column(kind) is None) == (kind == "afspraken")


@pytest.mark.parametrize("kind", KINDS)
def test_every_column_says_where_and_how_it_is_stored(kind):
    for column in columns.COLUMNS[kind]:
        assert column.store and column.storage, column.name
        if column.references is not None:
            assert column.storage == columns.INTEGER and column.store.endswith("_id")
            assert column.field, f"{column.name}: a stored id needs the name it stands for"
    names = [column.frame_name for column in columns.COLUMNS[kind]]
    assert len(names) == len(set(names))
