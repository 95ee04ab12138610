"""Regional meetings as moments: recorded per region, and the default "since" of changes and
exports (the last meeting before the analysis date, else 90 days before it)."""

from __future__ import annotations

from datetime import date, datetime
from pathlib import Path

import pytest

from ketendata import store
from ketendata.store import meetings

REGION = "Demoregio Meerhaven"
TODAY = date(2026, 12, 2)


def test_without_a_meeting_since_is_ninety_days_back(demo_db: Path) -> None:
    with store.reading(demo_db) as con:
        assert meetings.list_meetings(con, REGION) == []
        assert meetings.default_since(con, REGION, TODAY) == datetime(2026, 9, 3, 23, 59, 59)


def test_the_last_meeting_before_today_is_the_default_since(demo_db: Path) -> None:
    with store.writing(demo_db) as con:
        first = meetings.record_meeting(con, REGION, datetime(2026, 9, 15, 10, 0))
        second = meetings.record_meeting(con, REGION, datetime(2026, 11, 17, 13, 30, 12, 999))
        meetings.record_meeting(con, REGION, datetime(2026, 12, 2, 9, 0))  # today's own
        meetings.record_meeting(con, "Demoregio Wolkendal", datetime(2026, 11, 30, 10, 0))
        # the same moment again (a reload during the meeting) is one meeting
        assert meetings.record_meeting(con, REGION, datetime(2026, 9, 15, 10, 0)) == first
        assert second != first
    with store.reading(demo_db) as con:
        assert meetings.list_meetings(con, REGION) == [
            datetime(2026, 9, 15, 10, 0),
            datetime(2026, 11, 17, 13, 30, 12),
            datetime(2026, 12, 2, 9, 0),
        ]
        assert meetings.default_since(con, REGION, TODAY) == datetime(2026, 11, 17, 13, 30, 12)
        assert meetings.last_meeting(con, REGION, datetime(2026, 9, 15, 10, 0)) is None


def test_an_unknown_region_is_refused_and_nothing_is_stored(demo_db: Path) -> None:
    with store.writing(demo_db) as con:
        before = store.dump_content(con)
        with pytest.raises(meetings.UnknownRegionError, match="Onbekende regio 'Nergens'"):
            meetings.record_meeting(con, "Nergens", datetime(2026, 11, 17, 10, 0))
        assert store.dump_content(con) == before


def test_the_meeting_command_records_and_lists(demo_db: Path, capsys) -> None:
    from ketendata import cli

    db = ["--db", str(demo_db)]
    assert cli.main(["meeting", "--region", REGION, "--at", "2026-11-17T13:30", *db]) == 0
    assert capsys.readouterr().out == f"Vergadering van {REGION} op 17-11-2026 13:30 vastgelegd.\n"
    assert cli.main(["meeting", "--region", REGION, "--list", *db]) == 0
    assert capsys.readouterr().out == "17-11-2026 13:30\n"
    with store.reading(demo_db) as con:
        before = store.dump_content(con)
    assert cli.main(["meeting", "--region", "Nergens", *db]) == 2
    assert "Onbekende regio 'Nergens'" in capsys.readouterr().err
    with pytest.raises(SystemExit) as usage:
        cli.main(["meeting", "--region", REGION, "--at", "17-11-2026", *db])
    assert usage.value.code == 2
    assert "geen moment" in capsys.readouterr().err
    with store.reading(demo_db) as con:
        assert store.dump_content(con) == before
