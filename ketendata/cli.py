"""The command line ``python -m ketendata`` (init, demo, import, history, undo, redact, template,
matrix, synth, backup, restore, meeting, actions, partners); ``python -m analysis`` lives in
:mod:`ketendata.analysis_cli`, on the same helpers.

A thin layer over the library: it parses arguments, calls one function and formats the result
in Dutch. Exit codes: 0 success, 1 a rejected file or another problem the user can fix, 2 a
wrong option (and, for ``report``, an unknown region). No user error ever ends in a traceback.
The analysis itself never touches the database: this module reads the region and hands the
frames to :func:`analysis.report.build_report`.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from analysis import codes
from ketendata import store
from ketendata.access import AccessDenied, cli_principal
from ketendata.intake.problems import ValidationError
from ketendata.settings import (
    TodayError,
    parse_moment,
    parse_today,
    resolve_db_path,
    resolve_today,
)
from ketendata.wording import plural

__all__ = [
    "DutchArgumentParser",
    "EXIT_OK",
    "EXIT_PROBLEM",
    "EXIT_USAGE",
    "UserError",
    "add_today",
    "fail",
    "reader_went_away",
    "main",
]

EXIT_OK = 0
EXIT_PROBLEM = 1


EXIT_USAGE = 2

_ENGLISH_TO_DUTCH = (
    ("the following arguments are required", "deze opties zijn verplicht"),
    ("invalid choice", "ongeldige keuze"),
    ("choose from", "kies uit"),
    ("unrecognized arguments", "onbekende opties"),
    ("invalid int value", "geen geheel getal"),
    ("invalid float value", "geen getal"),
    ("expected one argument", "verwacht één waarde"),
    ("argument", "optie"),
)


class DutchArgumentParser(argparse.ArgumentParser):
    """argparse with its error line in Dutch, ending with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        for english, dutch in _ENGLISH_TO_DUTCH:
            message = message.replace(english, dutch)
        self.print_usage(sys.stderr)
        self.exit(EXIT_USAGE, f"{self.prog}: fout in de opdracht: {message}\n")


def _today_option(text: str) -> date:
    try:
        return parse_today(text)
    except TodayError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def _moment_option(text: str) -> datetime:
    try:
        return parse_moment(text)
    except TodayError as error:
        raise argparse.ArgumentTypeError(str(error)) from error


def add_today(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--today",
        type=_today_option,
        default=None,
        metavar="JJJJ-MM-DD",
        help="peildatum (anders KETENKAART_TODAY, anders vandaag; voor herhaalbare uitvoer)",
    )


def _build_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(
        prog="python -m ketendata",
        description="Ketenkaart: gegevens beheren (database, imports, sjablonen).",
    )
    sub = parser.add_subparsers(dest="command", required=True, metavar="OPDRACHT")

    def with_db(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument(
            "--db",
            help="pad van de database (anders KETENKAART_DB, anders data/ketenkaart.duckdb)",
        )
        return p

    with_db(sub.add_parser("init", help="lege database aanmaken (kan vaker)"))
    add_today(with_db(sub.add_parser("demo", help="fictieve demoregio's laden (kan vaker)")))
    p_import = with_db(sub.add_parser("import", help="een bestand importeren"))
    p_import.add_argument("file", metavar="BESTAND", help=".csv of .xlsx")
    p_import.add_argument("--kind", choices=list(codes.KINDS), help="soort bestand")
    p_import.add_argument(
        "--new-region", action="store_true", help="onbekende regio's in het bestand aanmaken"
    )
    p_history = with_db(sub.add_parser("history", help="importgeschiedenis tonen"))
    p_history.add_argument("--region", help="alleen imports van deze regio")
    p_undo = with_db(sub.add_parser("undo", help="een import ongedaan maken"))
    p_undo.add_argument("import_id", metavar="IMPORT_ID", type=int)
    p_redact = with_db(
        sub.add_parser(
            "redact", help="een import wissen (AVG): vrije tekst en bestandsnaam vervangen"
        )
    )
    p_redact.add_argument("import_id", metavar="IMPORT_ID", type=int)
    p_redact.add_argument("--why", required=True, metavar="REDEN", help="waarom (verplicht)")
    p_synth = with_db(
        sub.add_parser("synth", help="fictieve landelijke testgegevens genereren en laden")
    )
    p_synth.add_argument("--regions", type=int, default=43, help="aantal regio's (standaard 43)")
    p_synth.add_argument("--scale", type=float, default=1.0, help="vermenigvuldiger van de omvang")
    p_synth.add_argument("--seed", type=int, default=1, help="startwaarde van het toeval")
    add_today(p_synth)
    p_matrix = with_db(sub.add_parser("matrix", help="eigen normenmatrix van een regio instellen"))
    p_matrix.add_argument("file", metavar="BESTAND", nargs="?", help=".csv of .xlsx")
    p_matrix.add_argument("--region", required=True, help="de regio")
    p_matrix.add_argument(
        "--default", action="store_true", help="de regio weer de standaardmatrix laten gebruiken"
    )
    p_backup = with_db(sub.add_parser("backup", help="reservekopie van de database maken"))
    p_backup.add_argument("--out", default="backups", help="map voor de kopie (standaard backups)")
    p_restore = with_db(sub.add_parser("restore", help="een reservekopie terugzetten"))
    p_restore.add_argument("backup", metavar="RESERVEKOPIE", help="het .duckdb-bestand")
    p_meeting = with_db(
        sub.add_parser("meeting", help="een regionale vergadering vastleggen (of tonen)")
    )
    p_meeting.add_argument("--region", required=True, help="de regio")
    p_meeting.add_argument(
        "--at",
        type=_moment_option,
        metavar="MOMENT",
        help="wanneer (JJJJ-MM-DD of JJJJ-MM-DDTUU:MM; standaard nu)",
    )
    p_meeting.add_argument(
        "--list", action="store_true", help="de vastgelegde vergaderingen tonen, niets vastleggen"
    )
    _add_actions_parser(sub, with_db)
    from ketendata.partners_cli import add_partners_parser

    add_partners_parser(sub, with_db)
    from ketendata.access_cli import add_access_parsers

    add_access_parsers(sub, with_db)
    p_template = sub.add_parser("template", help="Excel-sjabloon schrijven")
    p_template.add_argument("kind", metavar="SOORT", choices=list(codes.KINDS))
    p_template.add_argument("--out", help="bestandsnaam (standaard in de huidige map)")
    return parser


#: Options of ``actions add`` that name the gap (actions.md) -> link key.
_LINK_OPTIONS = {
    "organisation": "organisation",
    "partner_type": "partner_type",
    "agreement_type": "agreement_type",
    "phase": "phase",
    "gap_kind": "kind",
    "domain": "domain",
    "topic": "topic",
}


def _add_actions_parser(sub, with_db) -> None:  # noqa: ANN001 - argparse's private types
    p_actions = sub.add_parser("actions", help="actiepunten van een regio beheren (actions.md)")
    verbs = p_actions.add_subparsers(dest="verb", required=True, metavar="HANDELING")

    def version_options(p: argparse.ArgumentParser) -> None:
        # not required by argparse: a missing title is refused with the other problems (exit 1)
        p.add_argument("--title", metavar="TEKST", help="wat er gebeurt (verplicht, max. 200)")
        p.add_argument("--owner", metavar="NAAM", help="de organisatie die het oppakt")
        p.add_argument("--due", metavar="DATUM", help='deadline (als in uploads; "" wist hem)')
        p.add_argument("--status", metavar="STATUS", help="open, bezig, gereed of vervallen")
        p.add_argument("--note", metavar="TEKST", help="toelichting (max. 500)")

    p_add = with_db(verbs.add_parser("add", help="een actiepunt toevoegen"))
    p_add.add_argument("--region", required=True, help="de regio")
    version_options(p_add)
    p_add.add_argument("--organisation", metavar="NAAM", help="koppeling: de opvangorganisatie")
    p_add.add_argument("--partner-type", metavar="CODE", help="koppeling: het partnertype")
    p_add.add_argument("--agreement-type", metavar="CODE", help="koppeling: het afspraaktype")
    p_add.add_argument("--phase", metavar="CODE", help="koppeling: de fase van de overdracht")
    p_add.add_argument("--gap-kind", metavar="CODE", help="koppeling: de soort knelpunt")
    p_add.add_argument("--domain", metavar="CODE", help="koppeling: het stagnatiedomein")
    p_add.add_argument("--topic", metavar="CODE", help="koppeling: het stagnatieonderwerp")
    p_update = with_db(verbs.add_parser("update", help="een actiepunt wijzigen (nieuwe versie)"))
    p_update.add_argument("action_id", metavar="ID", type=int)
    version_options(p_update)
    p_list = with_db(verbs.add_parser("list", help="de actiepunten van een regio tonen"))
    p_list.add_argument("--region", required=True, help="de regio")
    p_list.add_argument("--status", help="alleen actiepunten met deze status")
    p_list.add_argument("--format", choices=("text", "json"), default="text", help="uitvoer")
    add_today(p_list)
    p_history = with_db(verbs.add_parser("history", help="alle versies van een actiepunt tonen"))
    p_history.add_argument("action_id", metavar="ID", type=int)
    p_history.add_argument("--format", choices=("text", "json"), default="text", help="uitvoer")
    add_today(p_history)


def fail(message: str) -> int:
    print(message, file=sys.stderr)
    return EXIT_PROBLEM


class UserError(Exception):
    """A problem the user can fix; main() prints its Dutch message and exits 1."""


def _read_input(file: Path) -> bytes:
    """The bytes of an input file, or a UserError saying in Dutch why it cannot be read."""
    if not file.is_file():
        raise UserError(f"Bestand '{file}' niet gevonden.")
    try:
        return file.read_bytes()
    except OSError as error:
        raise UserError(f"Bestand '{file}' kan niet worden gelezen: {error.strerror}.") from error


def _fail_with_problems(title: str, error: ValidationError) -> int:
    """Every problem on its own line, after a title that says nothing was stored."""
    lines = [f"{title}: {plural(len(error.problems), 'probleem', 'problemen')}."]
    lines += [f"- {problem}" for problem in error.problems]
    lines.append("Er is niets opgeslagen. Verbeter het bestand en probeer het opnieuw.")
    return fail("\n".join(lines))


def _cmd_init(args: argparse.Namespace) -> int:
    path = resolve_db_path(args.db)
    existed = path.exists()
    with store.writing(path) as con:
        version = store.schema_version(con)
    state = "bestond al" if existed else "aangemaakt"
    print(f"Database {path} {state} (schemaversie {version}).")
    return EXIT_OK


def _cmd_demo(args: argparse.Namespace) -> int:
    from ketendata.samples.demo import load_demo

    path = resolve_db_path(args.db)
    with store.writing(path) as con:
        result = load_demo(con, resolve_today(args.today), principal=cli_principal())
    print(result.message)
    return EXIT_OK


def _cmd_import(args: argparse.Namespace) -> int:
    from ketendata.importers import import_file

    file = Path(args.file)
    data = _read_input(file)
    try:
        with store.writing(resolve_db_path(args.db)) as con:
            result = import_file(
                con,
                data,
                file.name,
                kind=args.kind,
                new_region=args.new_region,
                principal=cli_principal(),
            )
    except ValidationError as error:
        return _fail_with_problems(f"'{file.name}' is niet geïmporteerd", error)
    print(result.message)
    for warning in result.warnings:
        print(f"Waarschuwing: {warning}", file=sys.stderr)
    return EXIT_OK


def _cmd_history(args: argparse.Namespace) -> int:
    from ketendata.store.queries import find_region, list_imports

    with store.reading(resolve_db_path(args.db)) as con:
        region = None
        if args.region:
            region = find_region(con, args.region)
            if region is None:
                return fail(f"Onbekende regio '{args.region}'.")
        log = list_imports(con, region)
    if log.empty:
        print("Nog geen imports.")
        return EXIT_OK
    for row in log.itertuples():
        undone = "  (ongedaan gemaakt)" if row.undone else ""
        when = row.imported_at.strftime("%d-%m-%Y %H:%M")
        print(
            f"{row.id:>5}  {when}  {row.kind:<12}  {row.file_name}  "
            f"[{row.regions}] {row.subjects}  "
            f"{row.rows_stored} van {plural(row.rows_read, 'rij', 'rijen')} opgeslagen{undone}"
        )
    return EXIT_OK


def _cmd_meeting(args: argparse.Namespace) -> int:
    from ketendata.store import meetings

    try:
        if args.list:
            with store.reading(resolve_db_path(args.db)) as con:
                held = meetings.list_meetings(con, args.region)
            if not held:
                print("Nog geen vergaderingen vastgelegd.")
            for moment in held:
                print(f"{moment:%d-%m-%Y %H:%M}")
            return EXIT_OK
        moment = args.at or datetime.now()
        with store.writing(resolve_db_path(args.db)) as con:
            meetings.record_meeting(con, args.region, moment, principal=cli_principal())
    except meetings.UnknownRegionError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    print(f"Vergadering van {args.region} op {moment:%d-%m-%Y %H:%M} vastgelegd.")
    return EXIT_OK


def _fail_action(error: ValidationError) -> int:
    """Every problem of an action on its own line; nothing was stored."""
    lines = [str(problem) for problem in error.problems]
    lines.append("Er is niets opgeslagen.")
    return fail("\n".join(lines))


def _given(args: argparse.Namespace, names: Sequence[str]) -> dict[str, object]:
    return {name: getattr(args, name) for name in names if getattr(args, name) is not None}


def _action_line(action: dict) -> str:
    due = action["due"] or "-"
    marks = []
    if action["overdue"]:
        marks.append("te laat")
    if action["gap_open"] is False:
        marks.append("knelpunt opgelost")
    elif action["gap_open"]:
        marks.append("knelpunt nog open")
    owner = f" ({action['owner']})" if action["owner"] else ""
    shown = f"  [{', '.join(marks)}]" if marks else ""
    return f"{action['id']:>5}  {action['status']:<9}  {due:<10}  {action['title']}{owner}{shown}"


def _print_json(value: object) -> None:
    import json

    print(json.dumps(value, ensure_ascii=False, indent=2))


def _cmd_actions(args: argparse.Namespace) -> int:
    from ketendata import actions

    fields = ("title", "owner", "due", "status", "note")
    try:
        if args.verb == "add":
            link = {key: getattr(args, option) for option, key in _LINK_OPTIONS.items()}
            with store.writing(resolve_db_path(args.db)) as con:
                action_id = actions.add_action(
                    con, args.region, _given(args, fields), link, principal=cli_principal()
                )
            print(f"actie {action_id} aangemaakt")
            return EXIT_OK
        if args.verb == "update":
            with store.writing(resolve_db_path(args.db)) as con:
                actions.update_action(
                    con, args.action_id, _given(args, fields), principal=cli_principal()
                )
            print(f"actie {args.action_id} bijgewerkt")
            return EXIT_OK
        today = resolve_today(args.today)
        with store.reading(resolve_db_path(args.db)) as con:
            if args.verb == "list":
                found = actions.list_actions(con, args.region, today, status=args.status)
            else:
                found = actions.action_history(con, args.action_id, today)
    except ValidationError as error:
        return _fail_action(error)
    except (actions.UnknownRegionError, actions.UnknownActionError) as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    if args.format == "json":
        _print_json(found)
    elif not found:
        print("Geen actiepunten.")
    for action in found if args.format == "text" else ():
        version = (
            f"versie {action['version']}, {action['changed_at']}: " if "version" in action else ""
        )
        print(f"{version}{_action_line(action)}" if version else _action_line(action))
    return EXIT_OK


def _cmd_partners(args: argparse.Namespace) -> int:
    from ketendata.partners_cli import run_partners

    return run_partners(args)


def _cmd_undo(args: argparse.Namespace) -> int:
    from ketendata.importers import undo_import

    try:
        with store.writing(resolve_db_path(args.db)) as con:
            result = undo_import(con, args.import_id, principal=cli_principal())
    except LookupError as error:
        return fail(str(error.args[0]))
    print(result.message)
    return EXIT_OK


def _cmd_redact(args: argparse.Namespace) -> int:
    from ketendata.store.redact import redact_import

    try:
        with store.writing(resolve_db_path(args.db)) as con:
            result = redact_import(con, args.import_id, principal=cli_principal(), why=args.why)
    except (LookupError, ValueError, AccessDenied) as error:
        return fail(str(error.args[0]))
    print(result.message)
    return EXIT_OK


def _cmd_template(args: argparse.Namespace) -> int:
    from ketendata.files.templates import build_template, template_file_name

    out = Path(args.out) if args.out else Path(template_file_name(args.kind))
    try:
        out.write_bytes(build_template(args.kind))
    except OSError as error:
        return fail(f"Kan '{out}' niet schrijven: {error.strerror}.")
    print(f"Sjabloon geschreven: {out}")
    return EXIT_OK


def _cmd_matrix(args: argparse.Namespace) -> int:
    from ketendata.importers import import_matrix, use_default_matrix

    if bool(args.file) == bool(args.default):
        return fail("Geef een bestand met de normenmatrix, of --default (niet allebei).")
    file = Path(args.file or "")
    data = _read_input(file) if args.file else b""
    try:
        with store.writing(resolve_db_path(args.db)) as con:
            if args.default:
                result = use_default_matrix(con, args.region, principal=cli_principal())
            else:
                result = import_matrix(con, data, file.name, args.region, principal=cli_principal())
    except ValidationError as error:
        return _fail_with_problems("De normenmatrix is niet opgeslagen", error)
    print(result.message)
    return EXIT_OK


def _cmd_synth(args: argparse.Namespace) -> int:
    from ketendata.samples.synth import load_synthetic

    if args.regions < 1 or args.scale <= 0:
        return fail("--regions moet minstens 1 zijn en --scale groter dan 0.")
    with store.writing(resolve_db_path(args.db)) as con:
        result = load_synthetic(
            con,
            regions=args.regions,
            scale=args.scale,
            seed=args.seed,
            today=resolve_today(args.today),
        )
    print(result.message)
    return EXIT_OK


def _cmd_backup(args: argparse.Namespace) -> int:
    from ketendata.store.backup import backup_database

    target = backup_database(resolve_db_path(args.db), Path(args.out))
    print(f"Reservekopie gemaakt: {target}")
    return EXIT_OK


def _cmd_restore(args: argparse.Namespace) -> int:
    from ketendata.store.backup import restore_database

    path = resolve_db_path(args.db)
    kept = restore_database(Path(args.backup), path)
    print(f"Reservekopie '{args.backup}' teruggezet als {path}.")
    if kept != path:
        print(f"De database die er stond, is bewaard als {kept}.")
    return EXIT_OK


_COMMANDS = {
    "backup": _cmd_backup,
    "restore": _cmd_restore,
    "init": _cmd_init,
    "demo": _cmd_demo,
    "import": _cmd_import,
    "history": _cmd_history,
    "undo": _cmd_undo,
    "redact": _cmd_redact,
    "template": _cmd_template,
    "synth": _cmd_synth,
    "matrix": _cmd_matrix,
    "meeting": _cmd_meeting,
    "actions": _cmd_actions,
    "partners": _cmd_partners,
    "users": lambda args: _access_cli().run_users(args),
    "audit": lambda args: _access_cli().run_audit(args),
}


def _access_cli():  # noqa: ANN202 - a module
    from ketendata import access_cli

    return access_cli


def reader_went_away() -> int:
    """The program reading our output stopped early (``history | head``): not an error. Point
    stdout at /dev/null so the interpreter's final flush does not fail again."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:
    """Run one command; returns the exit code."""
    args = _build_parser().parse_args(argv)
    try:
        return _COMMANDS[args.command](args)
    except (store.DatabaseBusyError, store.DatabaseError, UserError, TodayError) as error:
        return fail(str(error))
    except BrokenPipeError:
        return reader_went_away()
    except KeyboardInterrupt:
        return fail("Afgebroken; er is niets half opgeslagen.")
