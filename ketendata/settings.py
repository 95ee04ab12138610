"""Settings of the data side in one place: paths, limits, and how "today" is decided.

The thresholds of the norm judgement live with the analysis (:mod:`analysis.settings`).
This module is pure (no DuckDB, no Streamlit).
"""

from __future__ import annotations

import os
from datetime import date, datetime, time
from pathlib import Path

__all__ = [
    "DB_ENV_VAR",
    "DEFAULT_DB_PATH",
    "DEFAULT_MATRIX_PATH",
    "LOCK_WAIT_SECONDS",
    "MAX_TEXT_LENGTH",
    "MAX_UPLOAD_MB",
    "MAX_XLSX_UNPACKED_BYTES",
    "TODAY_ENV_VAR",
    "TodayError",
    "parse_moment",
    "parse_today",
    "resolve_db_path",
    "resolve_today",
]

#: Where the database lives when neither ``--db`` nor ``KETENKAART_DB`` says otherwise.
DEFAULT_DB_PATH = Path("data/ketenkaart.duckdb")

#: The environment variable that names the database file.
DB_ENV_VAR = "KETENKAART_DB"

#: The default norm matrix that ships with the project.
DEFAULT_MATRIX_PATH = Path(__file__).with_name("data") / "normenkader.csv"

#: Free text longer than this is refused (spec: "at most 500 characters").
MAX_TEXT_LENGTH = 500

#: An ``.xlsx`` whose parts unpack to more than this is refused.
MAX_XLSX_UNPACKED_BYTES = 200 * 1024 * 1024

#: Largest upload the app accepts (the file itself, in megabytes).
MAX_UPLOAD_MB = 25

#: How long a command waits for a database file that another process holds.
LOCK_WAIT_SECONDS = 2.0


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The database path: ``--db``, else ``KETENKAART_DB``, else ``data/ketenkaart.duckdb``."""
    if cli_value:
        return Path(cli_value)
    env_value = os.environ.get(DB_ENV_VAR)
    if env_value:
        return Path(env_value)
    return DEFAULT_DB_PATH


#: The environment variable that fixes "today" (``YYYY-MM-DD``) for the app and every command.
TODAY_ENV_VAR = "KETENKAART_TODAY"


class TodayError(ValueError):
    """A "today" that is not a date in the form ``YYYY-MM-DD``; the message is Dutch."""


def parse_today(text: str, source: str = "--today") -> date:
    """A ``YYYY-MM-DD`` date, or a :class:`TodayError` naming where the text came from.

    >>> parse_today("2026-09-30")
    datetime.date(2026, 9, 30)
    """
    try:
        return date.fromisoformat(text.strip())
    except ValueError as error:
        raise TodayError(
            f"{source} '{text}' is geen datum; gebruik JJJJ-MM-DD, bijvoorbeeld 2026-09-30"
        ) from error


def resolve_today(cli_value: str | date | None = None) -> date:
    """The analysis date ("today"): ``--today``, else ``KETENKAART_TODAY``, else the machine's date.

    The one rule of the app, every command and the demo generator (``formats.md``, "Command
    line").

    Raises:
        TodayError: the value given is not a ``YYYY-MM-DD`` date.
    """
    if isinstance(cli_value, date):
        return cli_value
    if cli_value:
        return parse_today(cli_value)
    env_value = os.environ.get(TODAY_ENV_VAR, "").strip()
    if env_value:
        return parse_today(env_value, f"De omgevingsvariabele {TODAY_ENV_VAR}")
    return date.today()


def parse_moment(text: str, source: str = "--at") -> datetime:
    """A moment as the command line writes it (changes.md): ``YYYY-MM-DD`` (the end of that
    day) or ``YYYY-MM-DDTHH:MM[:SS]``; else a :class:`TodayError` in Dutch.

    >>> parse_moment("2026-09-30"), parse_moment("2026-09-30T10:15")
    (datetime.datetime(2026, 9, 30, 23, 59, 59), datetime.datetime(2026, 9, 30, 10, 15))
    """
    text = text.strip()
    try:
        if len(text) == 10:
            return datetime.combine(date.fromisoformat(text), time(23, 59, 59))
        if len(text) in (16, 19) and text[10] == "T":
            return datetime.fromisoformat(text)
    except ValueError:
        pass
    raise TodayError(
        f"{source} '{text}' is geen moment: verwacht JJJJ-MM-DD (het einde van die dag) of "
        "JJJJ-MM-DDTUU:MM, bijvoorbeeld 2026-09-30 of 2026-09-30T14:00."
    )
