"""Fictional national-size test data: many regions, written as upload files, loaded by the importer.

``python -m ketendata synth --regions N --scale S`` uses :func:`load_synthetic` to fill a database
as if every centrumgemeente used Ketenkaart. Each region gets one ``afspraken`` file (the
inventories of all its shelters), one ``overdrachten`` file and one ``stagnatie`` file holding
twelve quarters; every file is CSV as Dutch Excel writes it and goes through
:func:`ketendata.importers.import_file`, exactly like a user's upload.

Sizes per region at ``scale`` 1 (``scale`` multiplies them): 8 shelters of both kinds, 178 chain
partners spread over every partner type, about 930 agreement rows (bilateral agreements and
multi-party regional covenants, with every status, level and date situation), and per quarter
about 8 handover rows and 6 survey answers per shelter. So 43 regions at scale 1 hold about
8,000 organisations and 40,000 agreement rows.

Everything is made up ("Synthregio 07", "R07 Wijkteam 012") and deterministic: the same
``seed``, ``scale`` and ``today`` always give the same bytes, and region *n* is the same whatever
the number of regions loaded (so a database with only region 1 holds exactly region 1 of the
national one).
"""

from __future__ import annotations

import random
import time
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import TYPE_CHECKING

from analysis import codes
from ketendata.columns import COLUMNS, SHEET_NAMES
from ketendata.files import excel
from ketendata.files.excel import csv_bytes

if TYPE_CHECKING:
    import duckdb

__all__ = [
    "AGREEMENT_ROWS_PER_REGION",
    "PARTNERS_PER_REGION",
    "QUARTERS",
    "SHELTERS_PER_REGION",
    "RegionProgress",
    "RegionTables",
    "SynthResult",
    "csv_bytes",
    "inventory_rows",
    "load_synthetic",
    "quarters_before",
    "region_files",
    "region_name",
    "region_tables",
    "xlsx_bytes",
]

#: Shelters per region at scale 1 (at least 2, one of each kind).
SHELTERS_PER_REGION = 8

#: Chain partners per region at scale 1 (at least one per partner type).
PARTNERS_PER_REGION = 178

#: Agreement rows per region at scale 1.
AGREEMENT_ROWS_PER_REGION = 930

#: Quarters of handovers and stagnation answers.
QUARTERS = 12

#: Called after each region with (regions loaded so far, regions to load, region name).
RegionProgress = Callable[[int, int, str], None]

# Partner types that are not shelters, with their share of a region's partners and the word
# their fictional names start with. Regional partners (one or two per region) have weight 0.
_PARTNER_KINDS: dict[str, tuple[float, str]] = {
    "veilig_thuis": (0.0, "Veilig Thuis"),
    "politie": (0.0, "Politie basisteam"),
    "justitie": (0.0, "Reclassering"),
    "raad_kinderbescherming": (0.0, "Raad voor de Kinderbescherming"),
    "jeugdbescherming": (0.0, "Jeugdbescherming"),
    "jeugdhulp": (0.08, "Jeugdhulp"),
    "jeugd_ggz": (0.05, "Jeugd-GGZ"),
    "ggz": (0.06, "GGZ-team"),
    "verslavingszorg": (0.02, "Verslavingszorg"),
    "wijkteam": (0.14, "Wijkteam"),
    "onderwijs": (0.22, "Basisschool"),
    "kinderopvang": (0.10, "Kinderopvang"),
    "woningcorporatie": (0.05, "Woonstichting"),
    "werk_inkomen": (0.01, "Werkplein"),
    "schuldhulp": (0.03, "Schuldhulp"),
    "huisarts": (0.16, "Huisartsenpraktijk"),
    "jgz": (0.02, "GGD-team"),
    "gemeente": (0.01, "Gemeente"),
    "overig": (0.05, "Stichting"),
}

# Partner types of a regional covenant (one afspraak_id shared by several partners).
_COVENANT_TYPES = (
    "veilig_thuis",
    "politie",
    "justitie",
    "raad_kinderbescherming",
    "jeugdbescherming",
    "gemeente",
    "werk_inkomen",
)

# Agreement types that fit a partner type (the norm matrix's requirements and a few more).
_FITTING_TYPES: dict[str, tuple[str, ...]] = {
    "veilig_thuis": ("meldcode", "informatie_uitwisseling", "monitoring_melden", "risicotaxatie"),
    "politie": ("informatie_uitwisseling", "veiligheid", "risicotaxatie"),
    "justitie": ("informatie_uitwisseling", "veiligheid"),
    "raad_kinderbescherming": ("informatie_uitwisseling", "monitoring_melden"),
    "jeugdbescherming": ("informatie_uitwisseling", "regie", "monitoring_melden"),
    "jeugdhulp": ("informatie_uitwisseling", "traumabehandeling", "wachtlijst_voorrang"),
    "jeugd_ggz": ("informatie_uitwisseling", "traumabehandeling", "wachtlijst_voorrang"),
    "ggz": ("informatie_uitwisseling", "warme_overdracht", "wachtlijst_voorrang"),
    "verslavingszorg": ("informatie_uitwisseling", "warme_overdracht"),
    "wijkteam": ("informatie_uitwisseling", "warme_overdracht", "regie", "nazorg"),
    "onderwijs": ("onderwijs", "warme_overdracht", "informatie_uitwisseling", "vervoer"),
    "kinderopvang": ("informatie_uitwisseling", "vervoer"),
    "woningcorporatie": ("huisvesting", "informatie_uitwisseling"),
    "werk_inkomen": ("inkomen",),
    "schuldhulp": ("schulden",),
    "huisarts": ("informatie_uitwisseling",),
    "jgz": ("informatie_uitwisseling",),
    "gemeente": ("verantwoordelijkheden", "huisvesting", "inkomen", "capaciteit"),
    "overig": ("verantwoordelijkheden", "vervoer"),
    "vrouwenopvang": ("warme_overdracht", "capaciteit", "verantwoordelijkheden"),
    "maatschappelijke_opvang": ("warme_overdracht", "capaciteit", "verantwoordelijkheden"),
}

# Handover rows per shelter and quarter: (phase, partner type).
_FLOWS = (
    ("instroom", "veilig_thuis"),
    ("instroom", "politie"),
    ("doorstroom", "vrouwenopvang"),
    ("uitstroom", "wijkteam"),
    ("uitstroom", "woningcorporatie"),
    ("uitstroom", "ggz"),
    ("uitstroom", "jeugdhulp"),
    ("uitstroom", "maatschappelijke_opvang"),
)

# The partner type a stagnation topic points at (None: no partner named).
_TOPIC_PARTNER: dict[str, str | None] = {
    "uitkering": "werk_inkomen",
    "schulden": "schuldhulp",
    "bewindvoering": "schuldhulp",
    "inrichtingskosten": "gemeente",
    "woonplaatsbeginsel": "gemeente",
    "wijkteam": "wijkteam",
    "ggz": "ggz",
    "jeugd_ggz": "jeugd_ggz",
    "jeugdhulp": "jeugdhulp",
    "verslavingszorg": "verslavingszorg",
    "traumabehandeling": "jeugd_ggz",
    "urgentie": "gemeente",
    "woningaanbod": "woningcorporatie",
    "regiobinding": None,
    "schoolplaatsing": "onderwijs",
    "leerlingenvervoer": "gemeente",
    "veilig_thuis": "veilig_thuis",
    "politie": "politie",
    "veiligheidsplan": None,
    "overig": None,
}

_ANSWERS_PER_SHELTER = 6


@dataclass(frozen=True)
class SynthResult:
    """What :func:`load_synthetic` loaded (counts of what the files held)."""

    regions: int
    scale: float
    seed: int
    organisations: int
    agreement_rows: int
    handover_rows: int
    stagnation_rows: int
    quarters: int
    files: int
    seconds: float

    @property
    def message(self) -> str:
        """One Dutch summary line."""
        return (
            f"Fictieve landelijke gegevens geladen: {self.regions} regio's (schaal "
            f"{self.scale:g}, startwaarde {self.seed}), {self.organisations} organisaties, "
            f"{self.agreement_rows} afspraakrijen, {self.handover_rows} overdrachtrijen en "
            f"{self.stagnation_rows} stagnatieantwoorden over {self.quarters} kwartalen; "
            f"{self.files} bestanden in {self.seconds:.1f} s."
        )


@dataclass(frozen=True)
class _Org:
    name: str
    type: str


@dataclass(frozen=True)
class RegionTables:
    """The rows of one synthetic region per upload kind (header first, cells as text or date)."""

    region: str
    organisations: int
    afspraken: list[list[object]]
    overdrachten: list[list[object]]
    stagnatie: list[list[object]]


def region_name(number: int) -> str:
    """The fictional name of region ``number``.

    >>> region_name(7)
    'Synthregio 07'
    """
    return f"Synthregio {number:02d}"


def quarters_before(today: date, count: int = QUARTERS) -> list[str]:
    """The ``count`` completed quarters before ``today``'s quarter, oldest first.

    >>> quarters_before(date(2026, 5, 1), 3)
    ['2025-Q3', '2025-Q4', '2026-Q1']
    """
    index = today.year * 4 + (today.month - 1) // 3 - 1
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(index - count + 1, index + 1)]


def _scaled(base: float, scale: float, minimum: int) -> int:
    return max(minimum, round(base * scale))


def _header(kind: str) -> list[object]:
    return [column.name for column in COLUMNS[kind]]


def _partners(number: int, scale: float, rng: random.Random) -> list[_Org]:
    """The region's chain partners: every partner type at least once, the rest by weight."""
    prefix = f"R{number:02d}"
    total = _scaled(PARTNERS_PER_REGION, scale, len(_PARTNER_KINDS))
    counts = {kind: 1 for kind in _PARTNER_KINDS}
    regional = [k for k, (w, _) in _PARTNER_KINDS.items() if w == 0]
    for kind in regional[:2]:  # Veilig Thuis and politie: a second team in larger regions
        if total >= 60:
            counts[kind] += 1
    weighted = [k for k, (w, _) in _PARTNER_KINDS.items() if w > 0]
    weights = [_PARTNER_KINDS[k][0] for k in weighted]
    for kind in rng.choices(weighted, weights, k=max(0, total - sum(counts.values()))):
        counts[kind] += 1
    return [
        _Org(f"{prefix} {_PARTNER_KINDS[kind][1]} {i:03d}", kind)
        for kind, count in counts.items()
        for i in range(1, count + 1)
    ]


def _shelters(number: int, scale: float) -> list[_Org]:
    prefix = f"R{number:02d}"
    total = _scaled(SHELTERS_PER_REGION, scale, 2)
    mo = max(1, total * 3 // 8)
    return [
        _Org(f"{prefix} Vrouwenopvang {i}", "vrouwenopvang") for i in range(1, total - mo + 1)
    ] + [_Org(f"{prefix} Gezinsopvang {i}", "maatschappelijke_opvang") for i in range(1, mo + 1)]


def _by_type(orgs: list[_Org]) -> dict[str, list[_Org]]:
    """The organisations per partner type, each list in the order given."""
    by_type: dict[str, list[_Org]] = {}
    for org in orgs:
        by_type.setdefault(org.type, []).append(org)
    return by_type


def _dated(value: date | None, dutch: bool) -> object:
    if value is None:
        return ""
    return value.strftime("%d-%m-%Y") if dutch else value.isoformat()


def _agreement_cells(
    rng: random.Random, partner_type: str, today: date, dutch: bool, covenant: bool = False
) -> dict[str, object]:
    """Status, level, types and dates of one agreement (every situation the norms know)."""
    fitting = _FITTING_TYPES[partner_type]
    types = rng.sample(fitting, k=min(len(fitting), rng.choice((1, 1, 2, 2, 3))))
    if rng.random() < 0.15:
        types.append(rng.choice(("verantwoordelijkheden", "vervoer")))
    types = list(dict.fromkeys(types))
    situation = rng.choices(
        ("actueel", "nieuw", "verouderd", "mondeling", "in_ontwikkeling", "beeindigd", "verlopen"),
        (40, 10, 15, 14, 9, 6, 6),
    )[0]
    status = {"mondeling": "mondeling", "in_ontwikkeling": "in_ontwikkeling"}.get(
        situation, "beeindigd" if situation == "beeindigd" else "schriftelijk"
    )
    start = today - timedelta(days=rng.randint(800, 3600))
    evaluated = None
    end = None
    if situation == "actueel":
        evaluated = today - timedelta(days=rng.randint(10, 700))
    elif situation == "nieuw":
        start = today - timedelta(days=rng.randint(10, 700))
    elif situation == "verouderd":
        evaluated = today - timedelta(days=rng.randint(1100, 1500))
    elif situation == "verlopen":
        end = today - timedelta(days=rng.randint(5, 400))
    if situation in ("actueel", "nieuw") and rng.random() < 0.2:
        end = today + timedelta(days=rng.randint(30, 1000))
    level = (
        "regio"
        if covenant
        else rng.choices(("organisatie", "professioneel", "client", "regio"), (70, 12, 10, 8))[0]
    )
    return {
        "afspraaktypes": ";".join(types),
        "niveau": level,
        "status": status,
        "kindspecifiek": "ja" if rng.random() < 0.45 else "nee",
        "ingangsdatum": _dated(start, dutch),
        "einddatum": _dated(end, dutch),
        "geevalueerd_op": _dated(evaluated, dutch),
    }


def _agreement_rows(
    region: str,
    shelters: list[_Org],
    partners: list[_Org],
    scale: float,
    today: date,
    rng: random.Random,
    dutch: bool,
) -> list[list[object]]:
    header = _header("afspraken")
    budget = _scaled(AGREEMENT_ROWS_PER_REGION, scale, 2 * len(shelters))
    by_type = _by_type(partners)
    records: list[dict[str, object]] = []

    def add(holder: _Org, partner: _Org, ident: str, cells: dict[str, object]) -> None:
        records.append(
            {
                "regio": region,
                "organisatie": holder.name,
                "organisatietype": holder.type,
                "partner": partner.name,
                "partnertype": partner.type,
                "afspraak_id": ident,
                "toelichting": (
                    f"Afspraak over {codes.label(partner.type, codes.PARTNER_TYPES).lower()}"
                    if rng.random() < 0.2
                    else ""
                ),
                **cells,
            }
        )

    # Regional covenants: one afspraak_id per holder, one row per partner (multi-party).
    covenant_partners = [p for t in _COVENANT_TYPES for p in by_type.get(t, [])]
    for number in range(1, _scaled(3, scale, 1) + 1):
        members = rng.sample(covenant_partners, k=min(len(covenant_partners), rng.randint(4, 6)))
        holders = rng.sample(shelters, k=min(len(shelters), rng.randint(2, 8)))
        cells = _agreement_cells(rng, "veilig_thuis", today, dutch, covenant=True)
        cells["afspraaktypes"] = "informatie_uitwisseling;veiligheid;verantwoordelijkheden"
        for holder in holders:
            for member in members:
                add(holder, member, f"CONV-{number}", cells)

    # Bilateral agreements: every partner at least once, then random ones, dealt to shelters;
    # some shelters also have agreements with each other (doorstroom).
    remaining = max(0, budget - len(records))
    pool = list(partners)
    rng.shuffle(pool)
    pool = pool[:remaining] + rng.choices(partners, k=max(0, remaining - len(pool)))
    for position, partner in enumerate(pool):
        holder = shelters[position % len(shelters)]
        if position >= len(partners) and position % 50 == 49 and len(shelters) > 1:
            partner = rng.choice([s for s in shelters if s != holder])
        ident = f"A{position + 1:05d}"
        add(holder, partner, ident, _agreement_cells(rng, partner.type, today, dutch))
    return [header] + [[record.get(column, "") for column in header] for record in records]


def _share(rng: random.Random, level: float, trend: float, step: int) -> float:
    return min(1.0, max(0.0, level + trend * step + rng.uniform(-0.08, 0.08)))


def _handover_rows(
    region: str,
    shelters: list[_Org],
    partners: list[_Org],
    periods: list[str],
    rng: random.Random,
) -> list[list[object]]:
    header = _header("overdrachten")
    by_type = _by_type(partners + shelters)
    level = rng.uniform(0.45, 0.8)
    trend = rng.uniform(-0.02, 0.03)
    rows: list[list[object]] = [header]
    for shelter in shelters:
        for step, period in enumerate(periods):
            for phase, partner_type in _FLOWS:
                families = rng.randint(0, 14)
                warm = round(families * _share(rng, level, trend, step))
                candidates = [o for o in by_type.get(partner_type, []) if o != shelter]
                partner = rng.choice(candidates).name if candidates and rng.random() < 0.7 else ""
                record = {
                    "regio": region,
                    "organisatie": shelter.name,
                    "periode": period,
                    "fase": phase,
                    "partner": partner,
                    "partnertype": partner_type,
                    "gezinnen": families,
                    "warm": warm,
                }
                if rng.random() < 0.75:
                    children = rng.randint(0, families * 2)
                    record["kinderen"] = children
                    record["kind_overgedragen"] = round(children * _share(rng, 0.6, 0.01, step))
                    for column in (
                        "met_informatieoverdracht",
                        "met_persoonlijk_contact",
                        "met_ketenafspraken",
                    ):
                        record[column] = round(families * _share(rng, 0.75, 0.0, step))
                    if phase == "uitstroom":
                        record["regisseur_belegd"] = round(families * _share(rng, 0.6, 0.01, step))
                        record["veiligheidsplan_gedeeld"] = round(
                            families * _share(rng, 0.5, 0.02, step)
                        )
                rows.append([record.get(column, "") for column in header])
    return rows


def _stagnation_rows(
    region: str,
    shelters: list[_Org],
    partners: list[_Org],
    periods: list[str],
    rng: random.Random,
) -> list[list[object]]:
    header = _header("stagnatie")
    by_type = _by_type(partners)
    topics = list(codes.DOMAIN_OF_TOPIC)
    pressure = {topic: rng.uniform(1.5, 4.0) for topic in topics}
    drift = {topic: rng.uniform(-0.08, 0.12) for topic in topics}
    rows: list[list[object]] = [header]
    for shelter in shelters:
        for step, period in enumerate(periods):
            for topic in rng.sample(topics, k=_ANSWERS_PER_SHELTER):
                severity = round(pressure[topic] + drift[topic] * step + rng.uniform(-1, 1))
                partner_type = _TOPIC_PARTNER[topic]
                partner = ""
                if partner_type and rng.random() < 0.6:
                    partner = rng.choice(by_type[partner_type]).name
                wait = rng.randint(0, 400) / 2 if rng.random() < 0.8 else None
                families = rng.randint(0, 9) if rng.random() < 0.8 else None
                record = {
                    "regio": region,
                    "respondent": shelter.name,
                    "periode": period,
                    "domein": codes.DOMAIN_OF_TOPIC[topic],
                    "onderwerp": topic,
                    "partner": partner,
                    "partnertype": partner_type if partner else "",
                    "ernst": min(5, max(1, severity)),
                    "wachttijd_dagen": "" if wait is None else f"{wait:g}".replace(".", ","),
                    "gezinnen": "" if families is None else families,
                    "extra_verblijfsdagen": ""
                    if families is None
                    else families * rng.randint(0, 30),
                    "toelichting": "Wachttijd loopt op" if rng.random() < 0.1 else "",
                }
                rows.append([record.get(column, "") for column in header])
    return rows


def region_tables(
    number: int, scale: float = 1.0, seed: int = 1, today: date | None = None
) -> RegionTables:
    """The upload rows of synthetic region ``number`` (1-based), the same for the same arguments.

    >>> tables = region_tables(1, scale=0.2, today=date(2026, 5, 1))
    >>> tables.region, tables.afspraken[0][:2], len(tables.afspraken) - 1
    ('Synthregio 01', ['regio', 'organisatie'], 186)
    """
    today = today or date.today()
    rng = random.Random(f"ketenkaart-synth/{seed}/{number}/{scale!r}")
    region = region_name(number)
    shelters = _shelters(number, scale)
    partners = _partners(number, scale, rng)
    periods = quarters_before(today)
    return RegionTables(
        region=region,
        organisations=len(shelters) + len(partners),
        afspraken=_agreement_rows(
            region, shelters, partners, scale, today, rng, dutch=number % 2 == 0
        ),
        overdrachten=_handover_rows(region, shelters, partners, periods, rng),
        stagnatie=_stagnation_rows(region, shelters, partners, periods, rng),
    )


def xlsx_bytes(rows: list[list[object]], kind: str) -> bytes:
    """Rows (header first) as a plain ``.xlsx`` with the kind's sheet name.

    ISO date text becomes a real Excel date and empty text an empty cell. The sheet is written
    streaming (openpyxl's write-only mode): a national inventory has 40,000 rows.
    """
    workbook, sheet = excel.new_workbook(SHEET_NAMES[kind], write_only=True)
    body = ([_xlsx_value(value) for value in row] for row in rows[1:])
    excel.write_table(sheet, rows[0], body, styled=False)
    return excel.save_workbook(workbook)


def _xlsx_value(value: object) -> object:
    if value == "":
        return None
    if isinstance(value, str) and len(value) == 10 and value[4] == "-" and value[7] == "-":
        return date.fromisoformat(value)
    return value


def inventory_rows(
    rows: int, seed: int = 1, today: date | None = None, number: int = 1
) -> list[list[object]]:
    """A header and exactly ``rows`` agreement rows of one large synthetic region (ISO dates)."""
    scale = rows / AGREEMENT_ROWS_PER_REGION * 1.05
    tables = region_tables(number if number % 2 else number + 1, scale, seed, today)
    # Odd region numbers write ISO dates, which xlsx_bytes turns into real Excel dates.
    return tables.afspraken[: rows + 1]


def region_files(
    number: int, scale: float = 1.0, seed: int = 1, today: date | None = None
) -> list[tuple[str, bytes]]:
    """The three upload files of region ``number``: afspraken, overdrachten, stagnatie (CSV)."""
    tables = region_tables(number, scale, seed, today)
    stem = f"synthregio_{number:02d}"
    return [
        (f"{stem}_afspraken.csv", csv_bytes(tables.afspraken)),
        (f"{stem}_overdrachten.csv", csv_bytes(tables.overdrachten)),
        (f"{stem}_stagnatie.csv", csv_bytes(tables.stagnatie)),
    ]


def load_synthetic(
    con: duckdb.DuckDBPyConnection,
    *,
    regions: int = 43,
    scale: float = 1.0,
    seed: int = 1,
    today: date | None = None,
    progress: RegionProgress | None = None,
) -> SynthResult:
    """Generate ``regions`` fictional regions and import their files through the importer.

    Loading the same arguments again stores nothing new (the importer sees equal content).

    Args:
        con: a writable connection with the current schema.
        regions: how many regions (``Synthregio 01`` ...).
        scale: multiplies organisations and rows per region.
        seed: the start value of the random generator.
        today: the date the agreements' dates and the quarters are relative to.
        progress: called after each region (for a progress line).

    Raises:
        ketendata.intake.validation.ValidationError: a generated file was refused (a defect here).
    """
    from ketendata.importers import import_file

    today = today or date.today()
    started = time.perf_counter()
    counts = {"organisations": 0, "afspraken": 0, "overdrachten": 0, "stagnatie": 0}
    files = 0
    for number in range(1, regions + 1):
        tables = region_tables(number, scale, seed, today)
        counts["organisations"] += tables.organisations
        stem = f"synthregio_{number:02d}"
        for kind in ("afspraken", "overdrachten", "stagnatie"):
            rows = getattr(tables, kind)
            counts[kind] += len(rows) - 1
            import_file(con, csv_bytes(rows), f"{stem}_{kind}.csv", kind=kind, new_region=True)
            files += 1
        if progress is not None:
            progress(number, regions, tables.region)
    return SynthResult(
        regions=regions,
        scale=scale,
        seed=seed,
        organisations=counts["organisations"],
        agreement_rows=counts["afspraken"],
        handover_rows=counts["overdrachten"],
        stagnation_rows=counts["stagnatie"],
        quarters=QUARTERS,
        files=files,
        seconds=time.perf_counter() - started,
    )
