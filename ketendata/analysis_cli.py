"""``python -m analysis report`` and ``changes``: the analysis command line (entry point
:func:`analysis_main`).

It reads a region from the database and hands the frames to the pure analysis
(:func:`analysis.report.build_report`); the analysis package itself never touches the
database. Exit codes as in :mod:`ketendata.cli`: 0 success, 1 a problem, 2 a usage error or an
unknown region. No user error ever ends in a traceback.
"""

from __future__ import annotations

import argparse
import os
import sys
from collections.abc import Sequence
from datetime import date, datetime
from pathlib import Path

from ketendata import store
from ketendata.cli import (
    EXIT_OK,
    EXIT_USAGE,
    DutchArgumentParser,
    add_today,
    fail,
    reader_went_away,
)
from ketendata.settings import (
    TodayError,
    parse_moment,
    resolve_db_path,
    resolve_today,
)

__all__ = ["analysis_main"]


def _build_analysis_parser() -> argparse.ArgumentParser:
    parser = DutchArgumentParser(
        prog="python -m analysis", description="Ketenkaart: analyse en rapport van een regio."
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="opdracht")
    report = commands.add_parser(
        "report", help="rapport van één regio (JSON, Markdown, PDF of PowerPoint)"
    )
    report.add_argument("--region", required=True, help="naam van de regio")
    report.add_argument("--db", default=None, help="pad naar de database")
    report.add_argument(
        "--format",
        choices=("json", "markdown", "pdf", "pptx"),
        default="json",
        help="uitvoervorm (pdf en pptx alleen met --output)",
    )
    report.add_argument(
        "--output", default=None, metavar="BESTAND", help="schrijf naar dit bestand"
    )
    report.add_argument(
        "--since",
        default=None,
        metavar="MOMENT",
        help="veranderingen sinds JJJJ-MM-DD of JJJJ-MM-DDTUU:MM (anders de laatste "
        "vergadering, anders 90 dagen terug); voor markdown, pdf en pptx",
    )
    add_today(report)
    changes = commands.add_parser(
        "changes", help="wat er veranderde in één regio tussen twee momenten (JSON of Markdown)"
    )
    changes.add_argument("--region", required=True, help="naam van de regio")
    changes.add_argument(
        "--since", required=True, metavar="MOMENT", help="JJJJ-MM-DD of JJJJ-MM-DDTUU:MM[:SS]"
    )
    changes.add_argument(
        "--until", default=None, metavar="MOMENT", help="JJJJ-MM-DD of JJJJ-MM-DDTUU:MM (anders nu)"
    )
    changes.add_argument("--db", default=None, help="pad naar de database")
    changes.add_argument(
        "--format", choices=("json", "markdown"), default="json", help="uitvoervorm"
    )
    add_today(changes)
    return parser


def _missing_db(path) -> int:
    return fail(
        f"De database '{path}' bestaat niet. Maak hem eerst aan met "
        "'python -m ketendata init' of 'python -m ketendata demo', of geef het juiste pad "
        "met --db."
    )


def _unknown_region(con, region: str, path) -> int:
    from ketendata.store import queries

    known = ", ".join(queries.list_regions(con))
    if known:
        print(f"Onbekende regio '{region}'. Bekende regio's: {known}.", file=sys.stderr)
    else:
        print(
            f"Onbekende regio '{region}': er staan nog geen regio's in de database '{path}'.",
            file=sys.stderr,
        )
    return EXIT_USAGE


def _run_changes(
    region: str,
    since_text: str,
    until_text: str | None,
    db: str | None,
    output: str,
    today: date | None,
) -> int:
    """Write what changed in ``region`` between two moments to stdout; return the exit code."""
    from analysis.changes import State, build_changes, render_json, render_markdown
    from analysis.settings import DEFAULT_SETTINGS
    from ketendata.store import queries

    try:
        since = parse_moment(since_text, "--since")
        until = parse_moment(until_text, "--until") if until_text else None
    except TodayError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    if until is None:
        # the state "now": the clock time of the run, judged with the analysis date
        until, until_today = datetime.now().replace(microsecond=0), resolve_today(today)
    else:
        until_today = until.date()
    if since > until:
        print(
            f"--since ({since:%d-%m-%Y %H:%M:%S}) ligt na --until ({until:%d-%m-%Y %H:%M:%S}): "
            "kies een eerder beginmoment.",
            file=sys.stderr,
        )
        return EXIT_USAGE
    path = resolve_db_path(db)
    if not path.exists():
        return _missing_db(path)
    with store.reading(path) as con:
        found = queries.find_region(con, region)
        if found is None:
            return _unknown_region(con, region, path)
        old = queries.region_frames(con, found, since)
        new = queries.region_frames(con, found, until)
        imports = queries.imports_between(con, found, since, until)

    def state(frames, on: date) -> State:
        return State(frames.agreements, frames.handovers, frames.stagnation, frames.matrix, on)

    changes = build_changes(
        found,
        since,
        until,
        imports,
        state(old, since.date()),
        state(new, until_today),
        DEFAULT_SETTINGS,
    )
    text = render_json(changes) if output == "json" else render_markdown(changes)
    sys.stdout.write(text.rstrip("\n") + "\n")
    return EXIT_OK


def _write_output(data: bytes, output_path: str) -> int:
    """Write an export to ``output_path`` whole or not at all; print the path (meeting.md)."""
    target = Path(output_path)
    if target.parent and not target.parent.is_dir():
        return fail(f"De map '{target.parent}' bestaat niet: kies een bestaande map voor --output.")
    partial = target.with_name(f".{target.name}.deel")
    try:
        partial.write_bytes(data)
        os.replace(partial, target)
    except OSError as error:
        partial.unlink(missing_ok=True)
        return fail(f"Het bestand '{target}' kon niet worden geschreven: {error.strerror}.")
    print(target)
    return EXIT_OK


def _run_report(
    region: str,
    db: str | None,
    output: str,
    today: date,
    since_text: str | None = None,
    output_path: str | None = None,
) -> int:
    """Write the report of ``region`` to stdout or ``output_path``; return the exit code."""
    from analysis.report import build_report, render_json
    from analysis.settings import DEFAULT_SETTINGS
    from ketendata.actions import report_actions
    from ketendata.files import meeting
    from ketendata.store import queries

    try:
        since = parse_moment(since_text, "--since") if since_text else None
    except TodayError as error:
        print(str(error), file=sys.stderr)
        return EXIT_USAGE
    path = resolve_db_path(db)
    if not path.exists():
        return _missing_db(path)
    with store.reading(path) as con:
        found = queries.find_region(con, region)
        if found is None:
            return _unknown_region(con, region, path)
        if output == "json":
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
            # actions.md: the open actions, each with overdue and gap_open judged on this report
            report["actions"] = report_actions(con, found, report, today)
        else:
            # meeting.md: the summary compares with --since (else the last meeting)
            try:
                data = meeting.read_meeting(con, found, today, since)
            except meeting.SinceAfterNowError as error:
                print(str(error), file=sys.stderr)
                return EXIT_USAGE
    if output == "json":
        content = (render_json(report).rstrip("\n") + "\n").encode("utf-8")
    else:
        content = meeting.render(data, output)
    if output_path is not None:
        return _write_output(content, output_path)
    text = content.decode("utf-8")
    sys.stdout.write(text.rstrip("\n") + "\n")
    return EXIT_OK


def analysis_main(argv: Sequence[str] | None = None) -> int:
    """``python -m analysis``: run one analysis command; returns the exit code."""
    parser = _build_analysis_parser()
    args = parser.parse_args(argv)
    if args.command == "report" and args.format in ("pdf", "pptx") and args.output is None:
        # binary formats never go to stdout (meeting.md)
        parser.error(
            f"--format {args.format} schrijft een bestand: geef het met --output BESTAND, "
            f"bijvoorbeeld --output verslag.{args.format}"
        )
    try:
        if args.command == "changes":
            return _run_changes(
                args.region, args.since, args.until, args.db, args.format, args.today
            )
        return _run_report(
            args.region,
            args.db,
            args.format,
            resolve_today(args.today),
            args.since,
            args.output,
        )
    except (store.DatabaseBusyError, store.DatabaseError, TodayError) as error:
        return fail(str(error))
    except BrokenPipeError:
        return reader_went_away()
    except Exception as error:  # the command line never shows a traceback
        what = "Het overzicht van veranderingen" if args.command == "changes" else "Het rapport"
        return fail(f"{what} kon niet worden gemaakt: {error}")
