"""Command line of the analysis: ``python -m analysis report --region NAME``.

Exit codes: 0 the report is on stdout; 1 the database is missing, busy or unreadable (a Dutch
message on stderr); 2 an unknown region (the message names the known ones) or a wrong option.
This is the only analysis module that reaches the database (read-only, through
``ketendata.store`` and ``ketendata.queries``).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date

from analysis.report import build_report, render_json, render_markdown
from ketendata.codes import normalize_name
from ketendata.settings import DEFAULT_SETTINGS, resolve_db_path

_ENGLISH_TO_DUTCH = (
    ("the following arguments are required", "deze opties zijn verplicht"),
    ("invalid choice", "ongeldige keuze"),
    ("choose from", "kies uit"),
    ("unrecognized arguments", "onbekende opties"),
    ("expected one argument", "verwacht één waarde"),
    ("argument", "optie"),
)


class _DutchParser(argparse.ArgumentParser):
    """An argument parser whose errors are Dutch and end with exit code 2."""

    def error(self, message: str) -> None:  # type: ignore[override]
        for english, dutch in _ENGLISH_TO_DUTCH:
            message = message.replace(english, dutch)
        self.print_usage(sys.stderr)
        self.exit(2, f"Fout in de opdracht: {message}\n")


def _parse_today(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError as error:
        raise argparse.ArgumentTypeError(
            f"'{text}' is geen datum; gebruik JJJJ-MM-DD, bijvoorbeeld 2026-09-30"
        ) from error


def build_parser() -> argparse.ArgumentParser:
    """The parser of ``python -m analysis``."""
    parser = _DutchParser(
        prog="python -m analysis", description="Ketenkaart: analyse en rapport van een regio."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="opdracht")
    report = commands.add_parser("report", help="rapport van één regio (JSON of Markdown)")
    report.add_argument("--region", required=True, help="naam van de regio")
    report.add_argument("--db", default=None, help="pad naar de database")
    report.add_argument(
        "--format", choices=("json", "markdown"), default="json", help="uitvoervorm"
    )
    report.add_argument(
        "--today",
        type=_parse_today,
        default=None,
        help="peildatum JJJJ-MM-DD (standaard vandaag; voor herhaalbare rapporten)",
    )
    return parser


def _fail(message: str, code: int) -> int:
    sys.stderr.write(message.rstrip() + "\n")
    return code


def run_report(region: str, db: str | None, output: str, today: date) -> int:
    """Write the report of ``region`` to stdout; return the exit code."""
    path = resolve_db_path(db)
    if not path.exists():
        return _fail(
            f"De database '{path}' bestaat niet. Maak hem eerst aan met "
            "'python -m ketendata init' of 'python -m ketendata demo', of geef het juiste pad "
            "met --db.",
            1,
        )
    from ketendata import store  # the database is only touched here, never on import

    try:
        con = store.connect(path, read_only=True)
    except (store.DatabaseBusyError, store.DatabaseError) as error:
        return _fail(str(error), 1)
    try:
        from ketendata import queries

        regions = list(queries.list_regions(con))
        wanted = normalize_name(region)
        matches = [name for name in regions if normalize_name(name) == wanted]
        if not matches:
            known = ", ".join(sorted(regions, key=normalize_name))
            if known:
                return _fail(f"Onbekende regio '{region}'. Bekende regio's: {known}.", 2)
            return _fail(
                f"Onbekende regio '{region}': er staan nog geen regio's in de database '{path}'.",
                2,
            )
        name = matches[0]
        frames = queries.region_frames(con, name)
        report = build_report(
            name,
            frames.agreements,
            frames.handovers,
            frames.stagnation,
            frames.matrix,
            today,
            DEFAULT_SETTINGS,
        )
    finally:
        con.close()
    text = render_json(report) if output == "json" else render_markdown(report, DEFAULT_SETTINGS)
    sys.stdout.write(text.rstrip("\n") + "\n")
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; return the exit code (never raises for a user's mistake)."""
    args = build_parser().parse_args(argv)
    try:
        return run_report(args.region, args.db, args.format, args.today or date.today())
    except Exception as error:  # the command line never shows a traceback
        return _fail(f"Het rapport kon niet worden gemaakt: {error}", 1)


if __name__ == "__main__":
    sys.exit(main())
