"""What the export tests share (tests/test_export_pdf.py, tests/test_export_pptx.py): a demo
database with open actions, added through ``python -m ketendata actions add``, and the files
``python -m analysis report`` writes from it, made once per session.

Every export goes through the command line in-process (as the other command-line tests do) on a
real DuckDB file; the JSON report of the same database is what the files are checked against.
"""

from __future__ import annotations

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import pytest

from ketendata import analysis_cli, cli
from ketendata.samples.demo import DEMO_REGIONS

__all__ = [
    "ACTIONS",
    "HTML_TITLE",
    "TODAY_TEXT",
    "Exported",
    "exported_once",
    "normalised",
    "report_files",
]

#: The analysis date of every export test (the demo's dates are relative to it).
TODAY_TEXT = "2026-11-24"

#: An action title that looks like HTML and Markdown: it must appear as these characters.
HTML_TITLE = "<b>Huisarts</b> & <script>alert('x')</script> [afspraak](javascript:x) *nu*"

#: The actions per region: (title, options); the first is overdue on the analysis date.
ACTIONS: dict[str, list[tuple[str, list[str]]]] = {
    "Demoregio Wolkendal": [
        (HTML_TITLE, ["--owner", "Gemeente Wolkendal", "--due", "2026-11-01"]),
        ("Schoolafspraken vastleggen met het samenwerkingsverband", ["--status", "bezig"]),
        ("Klaar en dus niet op het overzicht", ["--status", "gereed"]),
    ],
    "Demoregio Duinrade": [
        (
            "Convenant schuldhulp ondertekenen",
            ["--owner", "Gemeente Duinrade", "--due", "2027-02-01"],
        ),
    ],
    "Demoregio Meerhaven": [],
}


@dataclass(frozen=True)
class Exported:
    """The files of one region and its JSON report."""

    region: str
    report: dict
    pdf: Path
    pptx: Path
    markdown: str


def normalised(text: str) -> str:
    """Text with every run of white space as one space (lines wrap where the layout wants)."""
    return " ".join(text.split())


def report_files(tmp_path_factory: pytest.TempPathFactory, template: Path) -> dict[str, Exported]:
    """The database with the actions and every region's PDF, PPTX, memo and JSON report."""
    folder = tmp_path_factory.mktemp("exports")
    db = folder / "ketenkaart.duckdb"
    shutil.copyfile(template, db)
    for region, actions in ACTIONS.items():
        for title, options in actions:
            argv = ["actions", "add", "--region", region, "--title", title, *options]
            assert cli.main([*argv, "--db", str(db)]) == 0
    out: dict[str, Exported] = {}
    common = ["--db", str(db), "--today", TODAY_TEXT]
    for number, region in enumerate(DEMO_REGIONS):
        pdf, pptx, memo, report = (
            folder / f"regio-{number}.pdf",
            folder / f"regio-{number}.pptx",
            folder / f"regio-{number}.md",
            folder / f"regio-{number}.json",
        )
        for output, path in (("pdf", pdf), ("pptx", pptx), ("markdown", memo), ("json", report)):
            argv = ["report", "--region", region, "--format", output, "--output", str(path)]
            assert analysis_cli.analysis_main([*argv, *common]) == 0, (region, output)
        out[region] = Exported(
            region=region,
            report=json.loads(report.read_text(encoding="utf-8")),
            pdf=pdf,
            pptx=pptx,
            markdown=memo.read_text(encoding="utf-8"),
        )
    return out


_MADE: dict[Path, dict[str, Exported]] = {}


def exported_once(tmp_path_factory: pytest.TempPathFactory, template: Path) -> dict[str, Exported]:
    """:func:`report_files` made once per session (and per test worker), shared by the PDF
    and the PPTX tests; each module's ``exported`` fixture calls this."""
    if template not in _MADE:
        _MADE[template] = report_files(tmp_path_factory, template)
    return _MADE[template]
