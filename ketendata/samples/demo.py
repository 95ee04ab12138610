"""Fictional demo data: three demo regions, written as upload files and loaded by the importer.

The demo takes the same path as a user's upload: :func:`build_demo_files` writes ``.xlsx`` and
``.csv`` files in the upload formats (``docs/formats.md``) and :func:`load_demo` imports each of
them with :func:`ketendata.importers.import_file`. Every name is made up; nothing describes a real
region, organisation or family. All dates are relative to ``today``, so the demo shows the same
picture whenever it is loaded, and the same ``today`` always gives the same bytes.

What the regions hold (organisations, agreements, handovers per quarter, survey answers, how each
region writes its files) lives in data files, ``ketendata/samples/data/``, read by
:mod:`ketendata.samples.demo_data`; ``data/LEESMIJ.md`` tells each region's story and explains
the columns. This module adds what the files leave to chance: the dates each agreement state
gets, small variations in the counts (drawn with each region's fixed seed, in file order), and
the writing of the files the way each region sends them.

Files: one ``afspraken`` file per region (the centrumgemeente uploads every shelter's inventory at
once) and one ``overdrachten`` and one ``stagnatie`` file per region per quarter, as they arrive
after each survey wave; so the import history shows the waves one by one. Each file is imported
with the time it would have arrived (:func:`demo_import_times`): the inventory with the first
wave, each wave two weeks after its quarter, so "what changed since last quarter" shows the
latest wave instead of everything as new. Every ``.csv`` is
written as Dutch Excel does: ``;``, UTF-8 with BOM, decimal comma; every ``.xlsx`` has real
Excel dates and fixed timestamps. Both are written by :mod:`ketendata.files.excel`.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import TYPE_CHECKING

from analysis import codes
from ketendata.columns import COLUMNS, SHEET_NAMES
from ketendata.files import excel
from ketendata.samples.demo_data import (
    DemoDataError,
    FileStyle,
    Flow,
    Region,
    read_region_names,
    read_regions,
)

if TYPE_CHECKING:
    import duckdb

    from ketendata.access import Principal

__all__ = [
    "DEMO_REGIONS",
    "DemoDataError",
    "DemoResult",
    "build_demo_files",
    "demo_import_times",
    "demo_periods",
    "load_demo",
]

#: The demo regions, clearly fictional, in load order (from ``data/regios.toml``).
DEMO_REGIONS: tuple[str, ...] = read_region_names()


@dataclass(frozen=True)
class DemoResult:
    """What :func:`load_demo` did.

    Attributes:
        regions: the demo regions.
        files_imported: files that stored something new.
        rows_stored: rows stored over all files.
        already_present: the demo regions were already there; nothing was done.
        message: one Dutch summary line.
    """

    regions: tuple[str, ...]
    files_imported: int
    rows_stored: int
    already_present: bool
    message: str


def demo_periods(today: date) -> list[str]:
    """The four most recent complete quarters before ``today``, oldest first.

    >>> demo_periods(date(2026, 11, 24))
    ['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']
    >>> demo_periods(date(2026, 1, 1))
    ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']
    """
    index = today.year * 4 + (today.month - 1) // 3  # the current, incomplete quarter
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(index - 4, index)]


#: A survey wave arrives this many days after its quarter ends.
WAVE_DELAY_DAYS = 14


def _quarter_end(period: str) -> date:
    year, quarter = int(period[:4]), int(period[-1])
    following = date(year + quarter // 4, quarter * 3 % 12 + 1, 1)
    return following - timedelta(days=1)


def demo_import_times(today: date, now: datetime | None = None) -> list[datetime]:
    """The import time of each file of :func:`build_demo_files`, in the same order.

    A wave (the ``overdrachten`` and ``stagnatie`` files of one quarter) arrives
    ``WAVE_DELAY_DAYS`` after its quarter ends, but never later than the day before ``today``;
    a region's inventory arrives with its first wave, just before it. Regions follow each other
    by ten minutes. No time lies after ``now`` (default: the clock), so every file counts "now".

    >>> clock = datetime(2026, 11, 24, 12, 0)
    >>> [f"{t:%d-%m-%Y %H:%M}" for t in demo_import_times(date(2026, 11, 24), clock)[:4]]
    ['14-01-2026 09:00', '14-01-2026 09:01', '14-01-2026 09:02', '14-04-2026 09:01']
    >>> f"{demo_import_times(date(2026, 10, 5), clock)[7]:%d-%m-%Y}"  # the 2026-Q3 wave: yesterday
    '04-10-2026'
    >>> max(demo_import_times(date(2027, 6, 1), clock)) == clock  # never after the clock
    True
    """
    limit = (now or datetime.now()).replace(microsecond=0)
    waves = [
        min(_quarter_end(period) + timedelta(days=WAVE_DELAY_DAYS), today - timedelta(days=1))
        for period in demo_periods(today)
    ]
    times: list[datetime] = []
    for number, _ in enumerate(read_regions()):
        offset = time(9, 0), timedelta(minutes=10 * number)
        times.append(datetime.combine(waves[0], offset[0]) + offset[1])  # the inventory
        for day in waves:
            wave = datetime.combine(day, offset[0]) + offset[1]
            times += [wave + timedelta(minutes=1), wave + timedelta(minutes=2)]
    return [min(moment, limit) for moment in times]


def build_demo_files(today: date) -> list[tuple[str, bytes]]:
    """The demo as upload files ``(file name, bytes)``, in the order they are imported.

    Per region: one ``afspraken`` file, then per quarter one ``overdrachten`` and one
    ``stagnatie`` file. The same ``today`` always gives the same bytes.
    """
    periods = demo_periods(today)
    files: list[tuple[str, bytes]] = []
    for region in read_regions():
        rng = random.Random(region.seed)
        stamp = datetime(today.year, today.month, today.day)
        rows = _agreement_rows(region, today, rng)
        files.append(_write_file(region, "afspraken", None, rows, stamp))
        for index, period in enumerate(periods):
            handovers = _handover_rows(region, period, index, rng)
            files.append(_write_file(region, "overdrachten", period, handovers, stamp))
            answers = _stagnation_rows(region, period, index, rng)
            files.append(_write_file(region, "stagnatie", period, answers, stamp))
    return files


def load_demo(
    con: duckdb.DuckDBPyConnection,
    today: date | None = None,
    *,
    now: datetime | None = None,
    principal: Principal | None = None,
) -> DemoResult:
    """Load the demo regions into the database through the importer; idempotent.

    When every demo region is already in the database nothing happens. Otherwise every demo file
    is imported with ``new_region=True``, back-dated to when it would have arrived
    (:func:`demo_import_times`); a file whose content is already current stores nothing.

    Args:
        con: a writable connection with the current schema.
        today: the date the demo's dates and quarters are relative to (default: today).
        now: the clock, the latest import time allowed (default: now).
        principal: who loads it, for the audit log (default: the local user).

    Raises:
        ValidationError: a demo file was refused (a defect of this module).
    """
    from ketendata.access import LOCAL
    from ketendata.importers import import_file  # the importer pulls in DuckDB and pandas
    from ketendata.store.queries import list_regions

    present = {codes.normalize_name(name) for name in list_regions(con)}
    if all(codes.normalize_name(name) in present for name in DEMO_REGIONS):
        return DemoResult(
            regions=DEMO_REGIONS,
            files_imported=0,
            rows_stored=0,
            already_present=True,
            message="De demoregio's staan al in de database; er is niets gewijzigd.",
        )
    today = today or date.today()
    files_imported = 0
    rows_stored = 0
    files = build_demo_files(today)
    stamps = demo_import_times(today, now)
    for (file_name, data), stamp in zip(files, stamps, strict=True):
        result = import_file(
            con, data, file_name, new_region=True, now=stamp, principal=principal or LOCAL
        )
        if not result.unchanged:
            files_imported += 1
            rows_stored += result.rows_stored
    names = ", ".join(DEMO_REGIONS)
    return DemoResult(
        regions=DEMO_REGIONS,
        files_imported=files_imported,
        rows_stored=rows_stored,
        already_present=False,
        message=(
            f"Demogegevens geladen voor {names}: {files_imported} bestanden geïmporteerd, "
            f"{rows_stored} rijen opgeslagen."
        ),
    )


# --- generating the rows --------------------------------------------------------------------


def _agreement_dates(
    state: str, today: date, rng: random.Random
) -> tuple[str, date | None, date | None, date | None]:
    """(status, ingangsdatum, einddatum, geevalueerd_op) for an agreement state."""

    def ago(low: int, high: int) -> date:
        return today - timedelta(days=rng.randint(low, high))

    if state == "actueel":
        end = today + timedelta(days=rng.randint(200, 900)) if rng.random() < 0.25 else None
        return "schriftelijk", ago(800, 2200), end, ago(20, 600)
    if state == "nieuw":
        return "schriftelijk", ago(60, 500), None, None
    if state == "verouderd":
        start = ago(1300, 1460)  # three to four years ago
        evaluated = ago(1100, 1250) if rng.random() < 0.6 else None
        return "schriftelijk", start, None, evaluated
    if state == "mondeling":
        return "mondeling", ago(200, 1500) if rng.random() < 0.5 else None, None, None
    if state == "in_ontwikkeling":
        start = today + timedelta(days=rng.randint(30, 150)) if rng.random() < 0.5 else None
        return "in_ontwikkeling", start, None, None
    if state == "beeindigd":
        return "beeindigd", ago(1500, 2500), ago(100, 500), ago(800, 1000)
    if state == "verlopen":
        return "schriftelijk", ago(900, 1400), ago(20, 300), ago(400, 700)
    raise ValueError(f"unknown agreement state {state!r}")


def _agreement_rows(region: Region, today: date, rng: random.Random) -> list[dict[str, object]]:
    numbers = {shelter.key: 0 for shelter in region.shelters}
    per_holder: dict[str, list[dict[str, object]]] = {
        shelter.key: [] for shelter in region.shelters
    }
    for agreement in region.agreements:
        covenant_dates = (
            _agreement_dates(agreement.state, today, rng) if agreement.agreement_id else None
        )
        for holder_key in agreement.holders:
            holder = region.org(holder_key)
            status, start, end, evaluated = covenant_dates or _agreement_dates(
                agreement.state, today, rng
            )
            if agreement.agreement_id:
                agreement_id = agreement.agreement_id
            else:
                numbers[holder_key] += 1
                agreement_id = f"{region.shelter_prefix(holder_key)}-{numbers[holder_key]:03d}"
            for partner_key in agreement.partners:
                partner = region.org(partner_key)
                per_holder[holder_key].append(
                    {
                        "regio": region.name,
                        "organisatie": holder.name,
                        "organisatietype": holder.type,
                        "partner": region.spellings.get((holder_key, partner_key), partner.name),
                        "partnertype": partner.type,
                        "afspraaktypes": agreement.types,
                        "niveau": agreement.level,
                        "status": status,
                        "kindspecifiek": agreement.child,
                        "ingangsdatum": start,
                        "einddatum": end,
                        "geevalueerd_op": evaluated,
                        "afspraak_id": agreement_id,
                        "toelichting": agreement.note,
                    }
                )
    return [row for shelter in region.shelters for row in per_holder[shelter.key]]


def _share(count: int, share: float) -> int:
    return max(0, min(count, round(count * share)))


def _handover_rows(
    region: Region, period: str, index: int, rng: random.Random
) -> list[dict[str, object]]:
    rows = []
    for holder in region.shelters:
        for flow in region.flows:
            if holder.key not in flow.holders:
                continue
            families = max(1, min(15, flow.families[index] + rng.randint(-1, 1)))
            warm = _share(families, flow.warm[index])
            partner = region.org(flow.partner) if flow.partner else None
            children = families + sum(rng.randint(0, 2) for _ in range(families))
            row: dict[str, object] = {
                "regio": region.name,
                "organisatie": holder.name,
                "periode": period,
                "fase": flow.phase,
                "partner": partner.name if partner else None,
                "partnertype": partner.type if partner else flow.partner_type,
                "gezinnen": families,
                "warm": warm,
                "kinderen": children if flow.children is not None else None,
                "kind_overgedragen": _share(children, flow.children[index])
                if flow.children
                else None,
                "met_informatieoverdracht": min(families, warm + rng.randint(0, 1)),
                "met_persoonlijk_contact": warm,
                "met_ketenafspraken": _share(warm, 0.8),
                "regisseur_belegd": _share(families, flow.regisseur[index])
                if flow.regisseur
                else None,
                "veiligheidsplan_gedeeld": (
                    _share(families, flow.safety_plan[index]) if flow.safety_plan else None
                ),
                **_after_departure(flow, index, families),
            }
            rows.append(row)
    return rows


def _after_departure(flow: Flow, index: int, families: int) -> dict[str, int | None]:
    """The after-departure counts of one row (issue 16); no random draws, so the other rows
    and answers of the demo stay as they were."""
    moved = _share(families, flow.moved[index]) if flow.moved else None
    return {
        "nazorg_zes_maanden": _share(families, flow.aftercare[index]) if flow.aftercare else None,
        "naar_andere_regio": moved,
        "regisseur_nieuwe_gemeente": (
            _share(moved, flow.regisseur_new[index])
            if flow.regisseur_new and moved is not None
            else None
        ),
        "signaalpartners_geinformeerd": (
            _share(families, flow.signalling[index]) if flow.signalling else None
        ),
    }


def _stagnation_rows(
    region: Region, period: str, index: int, rng: random.Random
) -> list[dict[str, object]]:
    rows = []
    for answer in region.answers:
        respondent = region.org(answer.respondent)
        partner = region.org(answer.partner) if answer.partner else None
        families = answer.families[index] if answer.families else None
        extra = None
        if families is not None and answer.extra_per_family is not None:
            extra = families * answer.extra_per_family + rng.randint(0, families)
        wait = answer.wait[index] if answer.wait else None
        rows.append(
            {
                "regio": region.name,
                "respondent": respondent.name,
                "periode": period,
                "domein": codes.DOMAIN_OF_TOPIC[answer.topic],
                "onderwerp": answer.topic,
                "partner": partner.name if partner else None,
                "partnertype": partner.type if partner else answer.partner_type,
                "ernst": answer.severity[index],
                "wachttijd_dagen": float(wait) if wait is not None else None,
                "gezinnen": families,
                "extra_verblijfsdagen": extra,
                "toelichting": answer.note,
            }
        )
    return rows


# --- writing the files ------------------------------------------------------------------------

_DISPLAY_HEADERS = {
    "organisatietype": "Organisatietype",
    "partnertype": "Partner type",
    "geevalueerd_op": "Geëvalueerd op",
    "afspraak_id": "Afspraak-ID",
    "met_informatieoverdracht": "Met informatieoverdracht",
    "wachttijd_dagen": "Wachttijd dagen",
    "extra_verblijfsdagen": "Extra verblijfsdagen",
}

# How the demo's .xlsx files show dates. The same format as excel.DATE_FORMAT (Excel reads format
# codes in either case), spelled as when tests/test_demo.py recorded the files' sha256.
_DATE_FORMAT = "DD-MM-YYYY"

# The code list of each code column, to write Dutch labels instead of codes.
_CODE_LISTS = {
    (kind, column.name): column.codes
    for kind, columns in COLUMNS.items()
    for column in columns
    if column.codes is not None
}


def _header(name: str, style: FileStyle) -> str:
    if not style.display_headers:
        return name
    return _DISPLAY_HEADERS.get(name, name.replace("_", " ").capitalize())


def _cell(kind: str, name: str, value: object, style: FileStyle) -> object:
    """A value as the file holds it: labels or codes, yes/no, dates and decimals per format."""
    code_list = _CODE_LISTS.get((kind, name))
    if value is None:
        return None
    if isinstance(value, tuple):
        parts = [code_list[v] if style.labels else v for v in value]
        return (", " if style.extension == "csv" else "; ").join(parts)
    if isinstance(value, bool):
        return style.yes if value else style.no
    if code_list is not None and style.labels:
        return code_list[value]
    if style.extension == "csv":
        if isinstance(value, date):
            return value.strftime("%d-%m-%Y")
        if isinstance(value, float):
            text = f"{value:g}"
            return text.replace(".", ",")
    return value


def _write_file(
    region: Region,
    kind: str,
    period: str | None,
    rows: list[dict[str, object]],
    stamp: datetime,
) -> tuple[str, bytes]:
    style = region.styles[kind]
    names = [column.name for column in COLUMNS[kind]]
    header = [_header(name, style) for name in names]
    body = [[_cell(kind, name, row[name], style) for name in names] for row in rows]
    suffix = f"_{period}" if period else ""
    file_name = f"demo_{region.slug}_{kind}{suffix}.{style.extension}"
    if style.extension == "csv":
        return file_name, excel.csv_bytes([header, *body])
    # A plain sheet, as a region's own spreadsheet looks.
    workbook, sheet = excel.new_workbook(SHEET_NAMES[kind])
    excel.write_table(sheet, header, body, styled=False, date_format=_DATE_FORMAT)
    return file_name, excel.save_workbook(workbook, stamp)
