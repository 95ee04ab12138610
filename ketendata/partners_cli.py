"""``python -m ketendata partners suggest|merge|unmerge|dismiss|list`` (partners.md): the
partner register on the command line, a thin layer over :mod:`ketendata.partners`.

Exit codes as everywhere: 0 success, 1 a refused merge, unmerge or dismissal (with a Dutch
reason; nothing stored), 2 an unknown region (naming the known ones). The command line acts as
``cli:<user name of the process>`` (access.md).
"""

from __future__ import annotations

import argparse
import getpass
import sys
from collections.abc import Callable

from ketendata import partners, store
from ketendata.cli import EXIT_OK, EXIT_PROBLEM, EXIT_USAGE, fail
from ketendata.settings import resolve_db_path

__all__ = ["add_partners_parser", "run_partners"]


def add_partners_parser(
    sub: argparse._SubParsersAction,
    with_db: Callable[[argparse.ArgumentParser], argparse.ArgumentParser],
) -> None:
    """The ``partners`` command and its five verbs."""
    p_partners = sub.add_parser(
        "partners", help="partnerregister: namen van één partner samenvoegen (partners.md)"
    )
    verbs = p_partners.add_subparsers(dest="verb", required=True, metavar="HANDELING")

    def region(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--region", required=True, help="de regio")
        return with_db(p)

    def output(p: argparse.ArgumentParser) -> None:
        p.add_argument("--format", choices=("text", "json"), default="text", help="uitvoer")

    output(region(verbs.add_parser("suggest", help="namen die waarschijnlijk één partner zijn")))
    p_merge = region(verbs.add_parser("merge", help="ALIAS voortaan als NAAM tellen"))
    p_merge.add_argument("alias", metavar="ALIAS", help="de naam die een alias wordt")
    p_merge.add_argument("--into", required=True, metavar="NAAM", help="de organisatie")
    p_unmerge = region(verbs.add_parser("unmerge", help="een alias ongedaan maken"))
    p_unmerge.add_argument("alias", metavar="ALIAS")
    p_dismiss = region(
        verbs.add_parser(
            "dismiss", help="twee namen zijn níet dezelfde partner (nooit voorstellen)"
        )
    )
    p_dismiss.add_argument("name", metavar="NAAM")
    p_dismiss.add_argument("--into", required=True, metavar="NAAM", help="de andere naam")
    output(region(verbs.add_parser("list", help="de aliassen van de regio")))


def _who() -> str:
    return f"cli:{getpass.getuser()}"


def _print_json(value: object) -> None:
    import json

    print(json.dumps(value, ensure_ascii=False, indent=2))


def _score(value: float) -> str:
    return f"{value:.2f}".replace(".", ",")


def _unknown_region(con, region: str) -> int:  # noqa: ANN001 - a DuckDB connection
    from ketendata.store.queries import list_regions

    known = ", ".join(list_regions(con)) or "(nog geen)"
    print(f"Onbekende regio '{region}'. Bekende regio's: {known}.", file=sys.stderr)
    return EXIT_USAGE


def _read(args: argparse.Namespace) -> int:
    with store.reading(resolve_db_path(args.db)) as con:
        try:
            if args.verb == "suggest":
                found = partners.suggestions(con, args.region)
            else:
                aliases = partners.list_aliases(con, args.region)
        except partners.UnknownRegionError:
            return _unknown_region(con, args.region)
    if args.verb == "suggest":
        if args.format == "json":
            _print_json([s.as_json() for s in found])
        elif not found:
            print(f"Geen voorstellen voor {args.region}.")
        for s in found if args.format == "text" else ():
            print(f"{_score(s.score)}  {s.name}  →  {s.into}  ({s.reason})")
        return EXIT_OK
    if args.format == "json":
        _print_json(aliases)
    elif not aliases:
        print(f"Nog geen aliassen in {args.region}.")
    for alias in aliases if args.format == "text" else ():
        print(f"{alias['alias']}  →  {alias['into']}  (sinds {alias['since'].replace('T', ' ')})")
    return EXIT_OK


def run_partners(args: argparse.Namespace) -> int:
    """Run one verb of ``partners``; returns the exit code."""
    if args.verb in ("suggest", "list"):
        return _read(args)
    with store.writing(resolve_db_path(args.db)) as con:
        try:
            if args.verb == "merge":
                line = partners.merge(con, args.region, args.alias, args.into, by=_who())
            elif args.verb == "unmerge":
                line = partners.unmerge(con, args.region, args.alias, by=_who())
            else:
                line = partners.dismiss(con, args.region, args.name, args.into, by=_who())
        except partners.UnknownRegionError:
            return _unknown_region(con, args.region)
        except partners.MergeRefused as error:
            fail(f"Niet gedaan: {error} Er is niets veranderd.")
            return EXIT_PROBLEM
    print(line)
    return EXIT_OK
