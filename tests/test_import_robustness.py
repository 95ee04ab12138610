"""Any input to the importer ends in stored data or a clean ValidationError, and a failed
import never changes the database (a real DuckDB file, real CSV/XLSX bytes)."""

from __future__ import annotations

import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from ketendata import store
from ketendata.importers import import_file
from ketendata.intake.problems import ValidationError
from tests.builders import csv_bytes, valid_rows, xlsx_bytes

KINDS = ("afspraken", "overdrachten", "stagnatie")


@pytest.fixture(scope="module")
def database():
    """One database per module with a region and some data in it already."""
    with tempfile.TemporaryDirectory() as folder:
        con = store.open_database(Path(folder) / "k.duckdb")
        for kind in KINDS:
            import_file(con, csv_bytes(valid_rows(kind)), f"{kind}.csv", new_region=True)
        yield con
        con.close()


def import_and_check(con, data: bytes, name: str, kind: str | None) -> None:
    before = store.dump_content(con)
    try:
        import_file(con, data, name, kind=kind)
    except ValidationError as error:
        assert error.problems, "a rejected file must say why"
        assert all(str(problem) for problem in error.problems)
        assert store.dump_content(con) == before, "a rejected file changed the database"


relaxed = settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)


@relaxed
@given(
    data=st.binary(max_size=2000),
    name=st.sampled_from(["x.csv", "x.xlsx", "x.txt", "x"]),
    kind=st.sampled_from([None, *KINDS]),
)
def test_arbitrary_bytes_end_in_data_or_a_clean_error(database, data, name, kind):
    import_and_check(database, data, name, kind)


@st.composite
def mutated_file(draw):
    kind = draw(st.sampled_from(KINDS))
    rows = [list(row) for row in valid_rows(kind)]
    for _ in range(draw(st.integers(0, 4))):
        r = draw(st.integers(0, len(rows) - 1))
        c = draw(st.integers(0, len(rows[r]) - 1))
        rows[r][c] = draw(
            st.one_of(
                st.none(),
                # Text Excel can hold (no control characters).
                st.text(st.characters(blacklist_categories=("Cc", "Cs")), max_size=30),
                st.integers(-(10**13), 10**13),
                st.sampled_from(["2026-Q9", "31-02-2026", "ja", "nee", "-1", "1,5", "*", "=1+1"]),
            )
        )
    as_xlsx = draw(st.booleans())
    if as_xlsx:
        data = xlsx_bytes(rows, sheet=kind.capitalize())
        name = "f.xlsx"
    else:
        data = csv_bytes(rows, sep=draw(st.sampled_from([";", ","])))
        name = "f.csv"
    if draw(st.booleans()):
        # Damage the bytes themselves: flip some and cut the tail. Positions are drawn as
        # fractions because .xlsx bytes differ in length from run to run (save time).
        raw = bytearray(data)
        fraction = st.floats(0, 1, allow_nan=False)
        for _ in range(draw(st.integers(1, 5))):
            raw[int(draw(fraction) * (len(raw) - 1))] = draw(st.integers(0, 255))
        data = bytes(raw[: len(raw) // 2 + int(draw(fraction) * (len(raw) // 2))])
    return data, name, draw(st.sampled_from([None, kind]))


@relaxed
@given(case=mutated_file())
def test_mutated_valid_files_end_in_data_or_a_clean_error(database, case):
    data, name, kind = case
    import_and_check(database, data, name, kind)
