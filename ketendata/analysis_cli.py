"""``python -m analysis report``: the analysis command line (entry point :func:`analysis_main`).

It reads a region from the database and hands the frames to the pure analysis
(:func:`analysis.report.build_report`); the analysis package itself never touches the
database. Exit codes as in :mod:`ketendata.cli`: 0 success, 1 a problem, 2 a usage error or an
unknown region. No user error ever ends in a traceback.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from datetime import date

from ketendata import store
from ketendata.cli import (
    EXIT_OK,
    EXIT_USAGE,
    DutchArgumentParser,
    add_today,
    fail,
    reader_went_away,
)
from ketendata.settings import TodayError, resolve_db_path, resolve_today

__all__ = ["analysis_main"]


def _build_analysis_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(
        prog="python -m analysis", description="Ketenkaart: analyse en rapport van een regio."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="opdracht")
    report = commands.add_parser("report", help="rapport van één regio (JSON of Markdown)")
    report.add_argument("--region", required=True, help="naam van de regio")
    report.add_argument("--db", default=None, help="pad naar de database")
    report.add_argument(
        "--format", choices=("json", "markdown"), default="json", help="uitvoervorm"
    )
    add_today(report)
    return parser


def _run_report(region: str, db: str | None, output: str, today: date) -> int:
    """Write the report of ``region`` to stdout; return the exit code."""
    from analysis.report import build_report, render_json, render_markdown
    from analysis.settings import DEFAULT_SETTINGS
    from ketendata.store import queries

    path = resolve_db_path(db)
    if not path.exists():
        return fail(
            f"De database '{path}' bestaat niet. Maak hem eerst aan met "
            "'python -m ketendata init' of 'python -m ketendata demo', of geef het juiste pad "
            "met --db."
        )
    with store.reading(path) as con:
        found = queries.find_region(con, region)
        if found is None:
            known = ", ".join(queries.list_regions(con))
            if known:
                print(f"Onbekende regio '{region}'. Bekende regio's: {known}.", file=sys.stderr)
            else:
                print(
                    f"Onbekende regio '{region}': er staan nog geen regio's in de database "
                    f"'{path}'.",
                    file=sys.stderr,
                )
            return EXIT_USAGE
        frames = queries.region_frames(con, found)
    report = build_report(
        found,
        frames.agreements,
        frames.handovers,
        frames.stagnation,
        frames.matrix,
        today,
        DEFAULT_SETTINGS,
    )
    text = render_json(report) if output == "json" else render_markdown(report, DEFAULT_SETTINGS)
    sys.stdout.write(text.rstrip("\n") + "\n")
    return EXIT_OK


def analysis_main(argv: Sequence[str] | None = None) -> int:
    """``python -m analysis``: run one analysis command; returns the exit code."""
    args = _build_analysis_parser().parse_args(argv)
    try:
        return _run_report(args.region, args.db, args.format, resolve_today(args.today))
    except (store.DatabaseBusyError, store.DatabaseError, TodayError) as error:
        return fail(str(error))
    except BrokenPipeError:
        return reader_went_away()
    except Exception as error:  # the command line never shows a traceback
        return fail(f"Het rapport kon niet worden gemaakt: {error}")
