"""``python -m ketendata users ...`` and ``python -m ketendata audit`` (access.md): a thin
layer over :mod:`ketendata.access`. The command line acts as ``beheerder`` and records itself
as ``cli:<user name>``."""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Callable

from ketendata import access, store
from ketendata.settings import resolve_db_path

__all__ = ["add_access_parsers", "run_audit", "run_users"]

_FORMATS = ("text", "json")


def add_access_parsers(sub, with_db: Callable) -> None:  # noqa: ANN001 - argparse's private types
    """The ``users`` and ``audit`` commands."""
    p_users = sub.add_parser("users", help="gebruikers en hun rollen beheren")
    verbs = p_users.add_subparsers(dest="verb", required=True, metavar="ACTIE")
    p_add = with_db(verbs.add_parser("add", help="een gebruiker een rol geven"))
    p_add.add_argument("email", metavar="EMAIL")
    p_add.add_argument("--role", required=True, choices=access.ROLES, help="de rol")
    p_add.add_argument(
        "--region", action="append", default=[], metavar="NAAM", help="een regio (vaker)"
    )
    p_add.add_argument("--organisation", metavar="NAAM", help="de organisatie (rol opvang)")
    p_remove = with_db(verbs.add_parser("remove", help="een rol (of alle rollen) beëindigen"))
    p_remove.add_argument("email", metavar="EMAIL")
    p_remove.add_argument("--role", choices=access.ROLES, help="alleen deze rol")
    p_list = with_db(verbs.add_parser("list", help="de gebruikers en hun rollen tonen"))
    p_list.add_argument("--format", choices=_FORMATS, default="text")
    p_audit = with_db(sub.add_parser("audit", help="het logboek van alle wijzigingen tonen"))
    p_audit.add_argument("--region", metavar="NAAM", help="alleen deze regio")
    p_audit.add_argument("--format", choices=_FORMATS, default="text")


def _fail(message: str) -> int:
    print(message, file=sys.stderr)
    print("Er is niets opgeslagen.", file=sys.stderr)
    return 1


def _print_json(value: object) -> None:
    print(json.dumps(value, ensure_ascii=False, indent=2))


def run_users(args: argparse.Namespace) -> int:
    """One ``users`` verb; returns the exit code."""
    path = resolve_db_path(args.db)
    principal = access.cli_principal()
    if args.verb == "list":
        with store.reading(path) as con:
            found = access.list_users(con)
        if args.format == "json":
            _print_json(found)
            return 0
        if not found:
            print("Nog geen gebruikers.")
        for user in found:
            scope = ", ".join(user["regions"])
            own = f" ({user['organisation']})" if user["organisation"] else ""
            print(f"{user['email']}  {user['role']}{own}  {scope}".rstrip())
        return 0
    try:
        with store.writing(path) as con:
            if args.verb == "add":
                line = access.add_user(
                    con,
                    args.email,
                    args.role,
                    args.region,
                    args.organisation,
                    principal=principal,
                )
            else:
                line = access.remove_user(con, args.email, args.role, principal=principal)
    except (access.UserError, access.AccessDenied) as error:
        return _fail(str(error))
    print(line)
    return 0


def run_audit(args: argparse.Namespace) -> int:
    """``audit``: the log, oldest first; returns the exit code."""
    with store.reading(resolve_db_path(args.db)) as con:
        try:
            found = access.audit_log(con, access.cli_principal(), args.region)
        except (access.UserError, access.AccessDenied) as error:
            print(str(error), file=sys.stderr)
            return 1
    if args.format == "json":
        _print_json(found)
        return 0
    if not found:
        print("Het logboek is leeg.")
    for entry in found:
        region = f"  [{entry['region']}]" if entry["region"] else ""
        print(f"{entry['at']}  {entry['user']}  {entry['action']}  {entry['subject']}{region}")
    return 0
