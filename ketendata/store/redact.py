"""Erasure the AVG can live with: redacting a stored import.

Everything else in Ketenkaart is append-only. When personal data was stored anyway (it got past
the guard, or someone typed it in a note), a ``beheerder`` redacts the import: its free text
(the notes of its rows), its file name and its warnings are replaced by a marker. The structure
stays: the import, its versions and its rows, organisations, counts and history remain exactly
as they were, so every figure and the import log stay true. The redaction itself is recorded
(which import, who, when and why; and in the audit log as ``redact``); that record is never
changed or deleted. Only a ``beheerder`` may redact (access.md, docs/toegang.md).
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import datetime

import duckdb

from ketendata.access import AccessDenied, Principal
from ketendata.intake.privacy import find_personal_data
from ketendata.store import audit
from ketendata.store.connection import fetch_row, fetch_value, transaction

__all__ = ["REDACTED", "RedactResult", "redact_import", "redactions"]

#: What replaces redacted text.
REDACTED = "[gewist]"

#: The tables with free text per row, and that text column.
_FREE_TEXT = (("agreement_rows", "note"), ("stagnation_rows", "note"))


@dataclass(frozen=True)
class RedactResult:
    """What a redaction did."""

    import_id: int
    texts: int

    @property
    def message(self) -> str:
        from ketendata.wording import plural

        return (
            f"Import {self.import_id} is gewist: de bestandsnaam, de waarschuwingen en "
            f"{plural(self.texts, 'toelichting', 'toelichtingen')} zijn vervangen door "
            f"'{REDACTED}'. De aantallen en de geschiedenis blijven zoals ze waren."
        )


def redact_import(
    con: duckdb.DuckDBPyConnection,
    import_id: int,
    *,
    principal: Principal,
    why: str,
    now: datetime | None = None,
) -> RedactResult:
    """Redact import ``import_id`` (see the module) as ``principal`` and record who, when and
    why (in the redactions and the audit log).

    Raises:
        AccessDenied: the principal is not a ``beheerder`` (Dutch message; nothing changed).
        LookupError: there is no such import, or it was redacted already (Dutch message).
        ValueError: no reason was given, or it looks like personal data (Dutch message).
    """
    if not principal.may_redact:
        raise AccessDenied(
            f"U mag import {import_id} niet wissen: alleen een beheerder mag een import wissen "
            "(AVG). Er is niets gewijzigd."
        )
    why = " ".join(why.split())
    if not why:
        raise ValueError("Geef een reden op voor het wissen (bijvoorbeeld het verzoek waarom).")
    personal = find_personal_data(why)
    if personal is not None:  # the record of an erasure must not hold what was erased
        raise ValueError(
            f"De reden lijkt zelf persoonsgegevens te bevatten ({personal}); beschrijf het "
            "verzoek zonder namen of nummers."
        )
    now = now or datetime.now()
    with transaction(con):
        if fetch_row(con, "SELECT 1 FROM imports WHERE id = ?", [import_id]) is None:
            raise LookupError(f"Import {import_id} bestaat niet.")
        if fetch_row(con, "SELECT 1 FROM redactions WHERE import_id = ?", [import_id]):
            raise LookupError(f"Import {import_id} is al gewist.")
        texts = 0
        for table, column in _FREE_TEXT:
            where = (
                f"version_id IN (SELECT id FROM versions WHERE import_id = ?) "
                f"AND {column} IS NOT NULL AND {column} <> ''"
            )
            texts += int(
                fetch_value(con, f"SELECT count(*) FROM {table} WHERE {where}", [import_id])
            )
            con.execute(f"UPDATE {table} SET {column} = ? WHERE {where}", [REDACTED, import_id])
        con.execute(
            "UPDATE imports SET file_name = ?, warnings = ? WHERE id = ?",
            [REDACTED, json.dumps([]), import_id],
        )
        con.execute(
            "INSERT INTO redactions VALUES (?, ?, ?, ?)", [import_id, now, principal.user, why]
        )
        regions = sorted({region_id for region_id, _, _ in audit.import_scope(con, import_id)})
        audit.record(
            con, principal.user, "redact", f"import {import_id}", regions or [None], now=now
        )
    return RedactResult(import_id, texts)


def redactions(con: duckdb.DuckDBPyConnection) -> list[tuple[int, datetime, str, str]]:
    """Every redaction (import id, when, by whom, why), oldest first."""
    return con.execute(
        "SELECT import_id, redacted_at, redacted_by, why FROM redactions ORDER BY redacted_at"
    ).fetchall()
