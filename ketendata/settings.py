"""Settings of Ketenkaart in one place: paths, limits and the thresholds of the norm judgement.

Thresholds are data, not literals in code: analysis functions take a :class:`Settings`.
This module is pure (no DuckDB, no Streamlit).
"""

from __future__ import annotations

import os
from dataclasses import dataclass
from pathlib import Path

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


@dataclass(frozen=True)
class Settings:
    """Thresholds of the norm judgement and the handover and stagnation rules.

    Attributes:
        evaluation_window_days: an agreement counts as current when evaluated or started within
            this many days before today (norm judgement, "24 months").
        warm_threshold: handover shares below this are a gap (norm 4.1).
        severity_flag: a stagnation topic with a mean severity at or above this is flagged.
        school_wait_flag_days: a school placement waiting longer than this is flagged (norm 3.3).
        small_count: family counts below this are shown as "< 5" outside the own region.
    """

    evaluation_window_days: int = 730
    warm_threshold: float = 0.8
    severity_flag: float = 4.0
    school_wait_flag_days: float = 7.0
    small_count: int = 5


DEFAULT_SETTINGS = Settings()


def resolve_db_path(cli_value: str | os.PathLike[str] | None = None) -> Path:
    """The database path: ``--db``, else ``KETENKAART_DB``, else ``data/ketenkaart.duckdb``."""
    if cli_value:
        return Path(cli_value)
    env_value = os.environ.get(DB_ENV_VAR)
    if env_value:
        return Path(env_value)
    return DEFAULT_DB_PATH
