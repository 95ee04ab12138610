"""Actions agreed in a meeting (actions.md): checking what a person typed, storing it as a new
version, and reading actions back as the JSON objects of the command line and the report.

Text goes through the same personal-data guard and limits as uploaded text; codes are read as
in uploads (code or Dutch label); every problem is collected into one
:class:`~ketendata.intake.problems.ValidationError` and refused input stores nothing. Whether an
action is overdue and whether its gap is still open is judged by :mod:`analysis.actions`
against the current report.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import date, datetime
from typing import Any

import duckdb

from analysis import codes
from analysis.actions import ACTION_STATUSES, OPEN_STATUSES, is_gap_open, is_overdue, link_form
from analysis.handovers import GAP_LABELS
from ketendata.access import LOCAL, AccessDenied, Principal
from ketendata.intake.cells import check_name, check_text
from ketendata.intake.parsers import parse_code, parse_date
from ketendata.intake.privacy import shown_value
from ketendata.intake.problems import CellError, Problem, ValidationError
from ketendata.intake.validation import _parse_text as parse_text_cell
from ketendata.store import actions as stored
from ketendata.store import queries

__all__ = [
    "ACTION_KEYS",
    "MAX_NOTE_LENGTH",
    "MAX_TITLE_LENGTH",
    "UnknownActionError",
    "UnknownRegionError",
    "action_history",
    "add_action",
    "build_current_report",
    "check_changes",
    "check_link",
    "list_actions",
    "report_actions",
    "update_action",
]

#: Limits of actions.md.
MAX_TITLE_LENGTH = 200
MAX_NOTE_LENGTH = 500

#: The keys of an action as the command line and the report give it, in this order.
ACTION_KEYS: tuple[str, ...] = (
    "id",
    "region",
    "title",
    "owner",
    "due",
    "status",
    "overdue",
    "gap_open",
    "link",
    "note",
    "created_at",
    "updated_at",
)

#: Dutch names of the fields, as problems name them.
_LABELS = {
    "title": "titel",
    "owner": "eigenaar",
    "due": "deadline",
    "status": "status",
    "note": "notitie",
    "organisation": "organisatie",
    "partner_type": "partnertype",
    "agreement_type": "afspraaktype",
    "phase": "fase",
    "kind": "soort knelpunt",
    "domain": "domein",
    "topic": "onderwerp",
}

#: The code list and value name of each coded link key.
_CODE_LISTS: dict[str, tuple[dict[str, str], str]] = {
    "partner_type": (codes.PARTNER_TYPES, "partnertype"),
    "agreement_type": (codes.AGREEMENT_TYPES, "afspraaktype"),
    "phase": (codes.PHASES, "fase"),
    "kind": (GAP_LABELS, "soort knelpunt"),
    "domain": (codes.DOMAINS, "domein"),
    "topic": (codes.TOPICS, "onderwerp"),
}

_FORMS_EXPECTED = (
    "een koppeling in een van de vier vormen: een norm (organisatie, partnertype en "
    "afspraaktype), een partnertype dat geen opvang bereikt (alleen partnertype), een "
    "overdrachtsknelpunt (organisatie, partnertype, fase en soort knelpunt) of een "
    "stagnatieonderwerp (domein en onderwerp, eventueel partnertype)"
)


_STATUS_EXPECTED = "open, bezig, gereed of vervallen"


class UnknownRegionError(LookupError):
    """An action was asked for a region the database does not know."""


class UnknownActionError(LookupError):
    """An action id the database does not know."""


# --- Checking input ---------------------------------------------------------------------------


def _problem(key: str, value: object, message: str, expected: str) -> Problem:
    return Problem(None, None, value, f"{_LABELS[key]}: {message}", expected)


def _text(
    key: str, value: object, limit: int, problems: list[Problem], *, name: bool = False
) -> str | None:
    """Text as an upload's text cell reads it (personal-data guard, limit), or None."""
    try:
        text = parse_text_cell(value)
        if text is not None:
            (check_name if name else check_text)(text)
    except CellError as error:
        shown = getattr(error, "masked", None) or shown_value(getattr(error, "start", value))
        problems.append(_problem(key, shown, error.message, error.expected))
        return None
    if text is not None and len(text) > limit:
        problems.append(
            _problem(
                key,
                shown_value(text),
                f"de tekst is te lang ({len(text)} tekens)",
                f"hoogstens {limit} tekens",
            )
        )
        return None
    return text


def _code(key: str, value: object, problems: list[Problem]) -> str | None:
    code_list, what = _CODE_LISTS[key]
    try:
        return parse_code(value, code_list, what)
    except CellError as error:
        problems.append(_problem(key, shown_value(value), error.message, error.expected))
        return None


def _status(value: object, problems: list[Problem]) -> str | None:
    try:
        return parse_code(value, ACTION_STATUSES, "status")
    except CellError as error:
        problems.append(_problem("status", shown_value(value), error.message, _STATUS_EXPECTED))
        return None


def _due(value: object, problems: list[Problem]) -> date | None:
    try:
        return parse_date(value)
    except CellError as error:
        problems.append(_problem("due", shown_value(value), error.message, error.expected))
        return None


def _check_fields(
    fields: Mapping[str, object], problems: list[Problem], *, new: bool
) -> dict[str, Any]:
    """The given version fields, cleaned; problems appended."""
    clean: dict[str, Any] = {}
    if "title" in fields or new:
        before = len(problems)
        title = _text("title", fields.get("title"), MAX_TITLE_LENGTH, problems)
        if title is None and len(problems) == before:
            problems.append(
                _problem(
                    "title", None, "deze verplichte waarde ontbreekt", "een korte omschrijving"
                )
            )
        clean["title"] = title
    if "owner" in fields:
        clean["owner"] = _text("owner", fields["owner"], MAX_TITLE_LENGTH, problems, name=True)
    if "note" in fields:
        clean["note"] = _text("note", fields["note"], MAX_NOTE_LENGTH, problems)
    if "due" in fields:
        clean["due"] = _due(fields["due"], problems)
    if "status" in fields or new:
        before = len(problems)
        status = _status(fields.get("status"), problems)
        if status is None and len(problems) == before:
            if new:
                status = "open"
            else:
                problems.append(
                    _problem("status", None, "deze waarde mag niet leeg zijn", _STATUS_EXPECTED)
                )
        clean["status"] = status
    return clean


def check_link(link: Mapping[str, object] | None) -> dict[str, str] | None:
    """The link read from codes or Dutch labels (``None`` values and empty text mean "not
    given"); None without a link. Raises ValidationError with every problem."""
    problems: list[Problem] = []
    clean = _check_link(link, problems)
    if problems:
        raise ValidationError(problems)
    return clean


def _check_link(
    link: Mapping[str, object] | None, problems: list[Problem]
) -> dict[str, str] | None:
    given = {
        key: value
        for key, value in (link or {}).items()
        if value is not None and str(value).strip() != ""
    }
    unknown = set(given) - set(_LABELS)
    if unknown:
        raise ValueError(f"unknown link keys {sorted(unknown)}")  # a bug in the caller
    if not given:
        return None
    form = link_form(given)
    clean: dict[str, str] = {}
    before = len(problems)
    for key, value in given.items():
        if key == "organisation":
            text = _text(key, value, MAX_TITLE_LENGTH, problems, name=True)
            if text is not None:
                clean[key] = text
        elif key == "partner_type" and form == "finding" and str(value).strip() == "*":
            clean[key] = "*"  # a finding about a partner of any type (norm 4.4, 4.5)
        else:
            code = _code(key, value, problems)
            if code is not None:
                clean[key] = code
    if "topic" in clean and "domain" in clean:
        domain = codes.DOMAIN_OF_TOPIC[clean["topic"]]
        if domain != clean["domain"]:
            problems.append(
                _problem(
                    "topic",
                    clean["topic"],
                    f"dit onderwerp hoort niet bij het domein {codes.DOMAINS[clean['domain']]}",
                    f"een onderwerp van dat domein, of domein {codes.DOMAINS[domain]}",
                )
            )
    if form is None:
        shown = ", ".join(_LABELS[key] for key in _LABELS if key in given)
        problems.append(
            Problem(
                None, None, None, f"koppeling: {shown} vormen samen geen knelpunt", _FORMS_EXPECTED
            )
        )
    return clean if len(problems) == before else None


def check_changes(fields: Mapping[str, object], *, new: bool = False) -> dict[str, Any]:
    """The version fields (``title``, ``owner``, ``due``, ``status``, ``note``) given in
    ``fields``, cleaned; ``new`` requires a title and makes the status ``open`` by default.
    Empty text clears an optional field. Raises ValidationError with every problem."""
    problems: list[Problem] = []
    clean = _check_fields(fields, problems, new=new)
    if problems:
        raise ValidationError(problems)
    return clean


# --- Storing ----------------------------------------------------------------------------------


def _region_row(con: duckdb.DuckDBPyConnection, region: str) -> tuple[int, str]:
    found = queries.find_region_row(con, region)
    if found is None:
        raise UnknownRegionError(f"Onbekende regio '{shown_value(region)}'.")
    return found


def add_action(
    con: duckdb.DuckDBPyConnection,
    region: str,
    fields: Mapping[str, object],
    link: Mapping[str, object] | None = None,
    *,
    now: datetime | None = None,
    principal: Principal = LOCAL,
) -> int:
    """Check and store a new action of ``region``; returns its id.

    Raises:
        UnknownRegionError: no such region (nothing stored).
        ValidationError: every problem of the fields and the link (nothing stored).
        AccessDenied: the principal may not add this action (access.md; nothing stored).
    """
    region_id, name = _region_row(con, region)
    problems: list[Problem] = []
    clean = _check_fields(fields, problems, new=True)
    clean_link = _check_link(link, problems)
    if problems:
        raise ValidationError(problems)
    _require_action_right(principal, name, clean.get("owner"))
    return stored.add_action(
        con, region_id, clean, clean_link or {}, now or datetime.now(), user=principal.user
    )


def _require_action_right(principal: Principal, region: str, owner: object) -> None:
    """An action of the region may be changed by a region-wide right; an ``opvang`` user
    only when its organisation is the owner (before and after the change)."""
    if not principal.may_change_action(region, owner):
        raise AccessDenied(
            f"U mag deze actie in {region} niet wijzigen: alleen acties met uw eigen "
            "organisatie als eigenaar."
        )


def update_action(
    con: duckdb.DuckDBPyConnection,
    action_id: int,
    changes: Mapping[str, object],
    *,
    now: datetime | None = None,
    principal: Principal = LOCAL,
) -> int:
    """Check ``changes`` and store them as a new version of the action; returns the version.

    Raises:
        UnknownActionError: no such action (nothing stored).
        ValidationError: every problem (nothing stored).
        AccessDenied: the principal may not change this action (access.md; nothing stored).
    """
    region = stored.action_region(con, action_id)
    if region is None:
        raise UnknownActionError(f"Onbekende actie {action_id}.")
    clean = check_changes(changes)
    if not principal.is_beheerder:
        history = stored.action_history(con, action_id)
        _require_action_right(principal, region, history[-1]["owner"] if history else None)
        if "owner" in clean:
            _require_action_right(principal, region, clean["owner"])
    return stored.update_action(con, action_id, clean, now or datetime.now(), user=principal.user)


# --- Reading ----------------------------------------------------------------------------------


def build_current_report(con: duckdb.DuckDBPyConnection, region: str, today: date) -> dict:
    """The report of the region's current data (what ``gap_open`` is judged against)."""
    from analysis.report import build_report

    frames = queries.region_frames(con, region)
    return build_report(
        region, frames.agreements, frames.handovers, frames.stagnation, frames.matrix, today
    )


def _time(value: datetime | None) -> str | None:
    return None if value is None else value.replace(microsecond=0).isoformat(timespec="seconds")


def _as_json(row: Mapping[str, Any], report: Mapping[str, Any], today: date) -> dict[str, Any]:
    given = {key: value for key, value in row["link"].items() if value is not None}
    link = given or None
    return {
        "id": int(row["id"]),
        "region": row["region"],
        "title": row["title"],
        "owner": row["owner"],
        "due": None if row["due"] is None else row["due"].isoformat(),
        "status": row["status"],
        "overdue": is_overdue(row["status"], row["due"], today),
        "gap_open": is_gap_open(link, report),
        "link": link,
        "note": row["note"],
        "created_at": _time(row["created_at"]),
        "updated_at": _time(row["updated_at"]),
    }


def _sort_key(action: Mapping[str, Any]) -> tuple:
    return (action["due"] is None, action["due"] or "", action["id"])


def list_actions(
    con: duckdb.DuckDBPyConnection,
    region: str,
    today: date,
    *,
    status: str | None = None,
    report: Mapping[str, Any] | None = None,
) -> list[dict[str, Any]]:
    """The region's actions as JSON objects (:data:`ACTION_KEYS`), by due date (none last),
    then id; only those with ``status`` when given. ``report`` defaults to the current one."""
    region_id, name = _region_row(con, region)
    if report is None:
        report = build_current_report(con, name, today)
    rows = stored.list_actions(con, region_id)
    found = [_as_json(row, report, today) for row in rows]
    if status is not None:
        found = [action for action in found if action["status"] == status]
    return sorted(found, key=_sort_key)


def action_history(
    con: duckdb.DuckDBPyConnection, action_id: int, today: date
) -> list[dict[str, Any]]:
    """Every version of one action, oldest first: the JSON object of :func:`list_actions` plus
    ``version`` and ``changed_at``. Raises UnknownActionError."""
    rows = stored.action_history(con, action_id)
    if not rows:
        raise UnknownActionError(f"Onbekende actie {action_id}.")
    report = build_current_report(con, rows[0]["region"], today)
    return [
        _as_json(row, report, today)
        | {"version": int(row["version"]), "changed_at": _time(row["changed_at"])}
        for row in rows
    ]


def report_actions(
    con: duckdb.DuckDBPyConnection, region: str, report: Mapping[str, Any], today: date
) -> list[dict[str, Any]]:
    """The report's ``"actions"``: the region's actions with status ``open`` or ``bezig``, in
    the form of :func:`list_actions`, judged against ``report``."""
    found = list_actions(con, region, today, report=report)
    return [action for action in found if action["status"] in OPEN_STATUSES]
