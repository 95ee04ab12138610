"""The demo regions' content, read from the data files in ``ketendata/samples/data/``.

The files are written for a colleague who edits them in Excel or a text editor, not in Python:
``regios.toml`` names the regions in the order they are loaded and says how each region sends
its files; a folder per region holds four CSV files, ``;``-separated as Dutch Excel saves them:
``organisaties.csv``, ``afspraken.csv``, ``overdrachten.csv`` and ``stagnatie.csv``.
``data/LEESMIJ.md`` explains every column. Reading checks every cell with the upload parsers
(codes or their Dutch labels, ``ja``/``nee``, decimal comma) and raises :class:`DemoDataError`
naming the file, the row and the column, so a typo reads as a sentence instead of a traceback
from deep inside the file writer. :mod:`ketendata.samples.demo` turns what is read here into
upload files.
"""

from __future__ import annotations

import csv
import io
import tomllib
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from analysis import codes
from ketendata.intake import parsers
from ketendata.intake.problems import CellError
from ketendata.intake.reading import decode_text, detect_separator

__all__ = [
    "DATA_DIR",
    "QUARTERS",
    "STATES",
    "Agreement",
    "Answer",
    "DemoDataError",
    "FileStyle",
    "Flow",
    "Org",
    "Region",
    "read_region_names",
    "read_regions",
]

#: Where the demo's data files live; shipped inside the package, read relative to this module.
DATA_DIR = Path(__file__).with_name("data")

#: Quarters every series in ``overdrachten.csv`` and ``stagnatie.csv`` covers (k1 = oldest).
QUARTERS = 4

#: The states an agreement can be in (column ``stand``); each decides the dates it gets:
#: actueel (written, evaluated within 24 months), nieuw (written, started within 24 months, not
#: evaluated yet), verouderd (written, three to four years old), mondeling (verbal only),
#: in_ontwikkeling (being made), beeindigd (ended), verlopen (written, einddatum in the past).
STATES: dict[str, str] = {
    "actueel": "Actueel",
    "nieuw": "Nieuw",
    "verouderd": "Verouderd",
    "mondeling": "Mondeling",
    "in_ontwikkeling": "In ontwikkeling",
    "beeindigd": "Beëindigd",
    "verlopen": "Verlopen",
}

_REGION_KEYS = ("naam", "code", "toevalsgetal", "schrijfwijzen", "bestanden")
_STYLE_KEYS = ("formaat", "omschrijvingen", "leesbare_kolomkoppen", "ja", "nee")
_ROLES = {"opvang": "opvangorganisatie", "partner": "ketenpartner"}
_FORMATS = ("xlsx", "csv")


class DemoDataError(ValueError):
    """A demo data file that cannot be read, with the place and what is expected, in Dutch."""


@dataclass(frozen=True)
class Org:
    """An organisation of a demo region; ``key`` is its short name in the other files."""

    key: str
    name: str
    type: str


@dataclass(frozen=True)
class Agreement:
    """One line of ``afspraken.csv``: the same agreement for each holding shelter."""

    holders: tuple[str, ...]  # shelter keys
    partners: tuple[str, ...]  # more than one: a multi-party covenant sharing one afspraak_id
    types: tuple[str, ...]
    state: str
    child: bool
    level: str
    note: str | None
    agreement_id: str | None  # fixed id of a covenant; others get the holder's numbering


@dataclass(frozen=True)
class Flow:
    """Handovers of one phase with one partner (or partner type), per quarter; shares 0..1."""

    holders: tuple[str, ...]
    phase: str
    partner: str | None
    partner_type: str | None
    families: tuple[int, ...]
    warm: tuple[float, ...]
    children: tuple[float, ...] | None  # share of the children handed over on their own
    regisseur: tuple[float, ...] | None
    safety_plan: tuple[float, ...] | None
    # after departure (uitstroom): aftercare for six months, moved to another region, of those
    # with a regisseur in the new municipality, signalling partners informed
    aftercare: tuple[float, ...] | None = None
    moved: tuple[float, ...] | None = None
    regisseur_new: tuple[float, ...] | None = None
    signalling: tuple[float, ...] | None = None


@dataclass(frozen=True)
class Answer:
    """One stagnation answer per survey wave."""

    respondent: str
    topic: str
    partner: str | None
    partner_type: str | None  # only when no partner is named
    severity: tuple[int, ...]
    wait: tuple[float, ...] | None
    families: tuple[int, ...] | None
    extra_per_family: int | None
    note: str | None


@dataclass(frozen=True)
class FileStyle:
    """How a region writes one kind of file."""

    extension: str  # "xlsx" or "csv"
    labels: bool  # Dutch labels instead of codes
    display_headers: bool  # "Partner type" instead of "partnertype"
    yes: str = "ja"
    no: str = "nee"


@dataclass(frozen=True)
class Region:
    """A demo region as its data files describe it."""

    name: str
    slug: str  # its folder and the middle of its file names: demo_<slug>_afspraken.xlsx
    code: str  # prefix of the agreement ids, e.g. "WD" in "WD-VO1-007"
    seed: int
    shelters: tuple[Org, ...]
    partners: tuple[Org, ...]
    spellings: dict[tuple[str, str], str]  # (holder key, partner key) -> spelling used
    agreements: tuple[Agreement, ...]
    flows: tuple[Flow, ...]
    answers: tuple[Answer, ...]
    styles: dict[str, FileStyle]

    def org(self, key: str) -> Org:
        """The shelter or partner with this key."""
        for org in self.shelters + self.partners:
            if org.key == key:
                return org
        raise KeyError(key)

    def shelter_prefix(self, key: str) -> str:
        """The start of a shelter's own agreement ids, e.g. ``WD-VO1``."""
        return f"{self.code}-{key.upper()}"


def read_region_names(folder: Path = DATA_DIR) -> tuple[str, ...]:
    """The demo regions' names from ``regios.toml``, in load order.

    >>> read_region_names()
    ('Demoregio Wolkendal', 'Demoregio Duinrade', 'Demoregio Meerhaven')
    """
    return tuple(
        _text(settings, "naam", f"regios.toml [{slug}]")
        for slug, settings in _read_settings(folder).items()
    )


def read_regions(folder: Path = DATA_DIR) -> tuple[Region, ...]:
    """Every demo region with its organisations, agreements, handovers and answers.

    Raises:
        DemoDataError: a file is missing or a cell cannot be read.
    """
    return tuple(
        _read_region(folder, slug, settings) for slug, settings in _read_settings(folder).items()
    )


# --- regios.toml --------------------------------------------------------------------------------


def _read_settings(folder: Path) -> dict[str, dict]:
    path = folder / "regios.toml"
    try:
        # a BOM is what Windows Notepad may add; TOML itself does not allow it
        settings = tomllib.loads(path.read_text(encoding="utf-8-sig"))
    except FileNotFoundError as error:
        raise DemoDataError(f"{path.name} ontbreekt in {folder}") from error
    except UnicodeDecodeError as error:
        raise DemoDataError(
            "regios.toml: de tekens zijn niet te lezen; sla op als UTF-8"
        ) from error
    except tomllib.TOMLDecodeError as error:
        raise DemoDataError(f"regios.toml is geen geldige TOML: {error}") from error
    if not settings or not all(isinstance(value, dict) for value in settings.values()):
        raise DemoDataError("regios.toml: verwacht per regio een blok zoals [wolkendal]")
    return settings


def _text(table: dict, key: str, where: str) -> str:
    value = table.get(key)
    if not isinstance(value, str) or not value.strip():
        raise DemoDataError(
            f"{where}: '{key}' ontbreekt; verwacht een tekst tussen aanhalingstekens"
        )
    return value


def _check_keys(table: dict, allowed: tuple[str, ...], where: str) -> None:
    """A misspelt setting would silently fall back to its default, so it is refused."""
    unknown = [key for key in table if key not in allowed]
    if unknown:
        raise DemoDataError(
            f"{where}: onbekende instelling {', '.join(unknown)}; mogelijk: {', '.join(allowed)}"
        )


def _style(table: dict, kind: str, slug: str) -> FileStyle:
    where = f"regios.toml [{slug}.bestanden] {kind}"
    if not isinstance(table, dict) or table.get("formaat") not in _FORMATS:
        raise DemoDataError(f'{where}: verwacht formaat = "xlsx" of formaat = "csv"')
    _check_keys(table, _STYLE_KEYS, where)
    for key in ("omschrijvingen", "leesbare_kolomkoppen"):
        if not isinstance(table.get(key, False), bool):
            raise DemoDataError(f"{where}: {key} moet true of false zijn")
    return FileStyle(
        extension=table["formaat"],
        labels=table.get("omschrijvingen", False),
        display_headers=table.get("leesbare_kolomkoppen", False),
        yes=str(table.get("ja", "ja")),
        no=str(table.get("nee", "nee")),
    )


def _read_region(folder: Path, slug: str, settings: dict) -> Region:
    where = f"regios.toml [{slug}]"
    seed = settings.get("toevalsgetal")
    if not isinstance(seed, int) or isinstance(seed, bool):
        raise DemoDataError(f"{where}: 'toevalsgetal' moet een geheel getal zijn")
    _check_keys(settings, _REGION_KEYS, where)
    files = settings.get("bestanden")
    if not isinstance(files, dict):
        raise DemoDataError(f"{where}: het blok [{slug}.bestanden] ontbreekt")
    _check_keys(files, tuple(codes.KINDS), f"regios.toml [{slug}.bestanden]")
    styles = {kind: _style(files.get(kind), kind, slug) for kind in codes.KINDS}
    shelters, partners = _read_orgs(folder, slug)
    known = {org.key for org in shelters + partners}
    shelter_keys = {org.key for org in shelters}
    spellings: dict[tuple[str, str], str] = {}
    for entry in settings.get("schrijfwijzen", []):
        place = f"{where} schrijfwijzen"
        if not isinstance(entry, dict):
            raise DemoDataError(
                f"{place}: verwacht {{ opvang = ..., partner = ..., schrijfwijze = ... }}"
            )
        if entry.get("opvang") not in shelter_keys or entry.get("partner") not in known:
            raise DemoDataError(
                f"{place}: opvang '{entry.get('opvang')}' of partner '{entry.get('partner')}' "
                f"staat niet in {slug}/organisaties.csv"
            )
        spellings[(entry["opvang"], entry["partner"])] = _text(entry, "schrijfwijze", place)
    return Region(
        name=_text(settings, "naam", where),
        slug=slug,
        code=_text(settings, "code", where),
        seed=seed,
        shelters=shelters,
        partners=partners,
        spellings=spellings,
        agreements=tuple(
            _agreement(row, shelter_keys, known)
            for row in _read_rows(folder, slug, "afspraken.csv", _AGREEMENT_COLUMNS)
        ),
        flows=tuple(
            _flow(row, shelter_keys, known)
            for row in _read_rows(folder, slug, "overdrachten.csv", _FLOW_COLUMNS)
        ),
        answers=tuple(
            _answer(row, known)
            for row in _read_rows(folder, slug, "stagnatie.csv", _ANSWER_COLUMNS)
        ),
        styles=styles,
    )


# --- the CSV files ------------------------------------------------------------------------------


def _quarterly(name: str) -> tuple[str, ...]:
    return tuple(f"{name}_k{quarter}" for quarter in range(1, QUARTERS + 1))


_ORG_COLUMNS = ("sleutel", "naam", "type", "rol")
_AGREEMENT_COLUMNS = (
    "opvang",
    "partners",
    "afspraaktypes",
    "stand",
    "kindspecifiek",
    "niveau",
    "afspraak_id",
    "toelichting",
)
_SHARES = (
    "warm_pct",
    "kind_overgedragen_pct",
    "regisseur_pct",
    "veiligheidsplan_pct",
    "nazorg_pct",
    "andere_regio_pct",
    "regisseur_nieuwe_gemeente_pct",
    "signaalpartners_pct",
)
_FLOW_COLUMNS = (
    ("opvang", "fase", "partner", "partnertype")
    + _quarterly("gezinnen")
    + tuple(column for share in _SHARES for column in _quarterly(share))
)
_ANSWER_COLUMNS = (
    ("respondent", "onderwerp", "partner", "partnertype")
    + _quarterly("ernst")
    + _quarterly("wachttijd_dagen")
    + _quarterly("gezinnen")
    + ("extra_verblijfsdagen_per_gezin", "toelichting")
)


@dataclass(frozen=True)
class _Row:
    """One data row of a CSV file, with its place for messages (the row number Excel shows)."""

    file: str
    number: int
    cells: dict[str, str]

    def error(self, column: str, message: str, expected: str = "") -> DemoDataError:
        value = self.cells.get(column, "")
        text = f"{self.file}, rij {self.number}, kolom '{column}': {message}"
        if value:
            text += f" (waarde '{value}')"
        return DemoDataError(f"{text}; {expected}" if expected else text)

    def text(self, column: str) -> str | None:
        return self.cells[column] or None

    def required(self, column: str) -> str:
        value = self.text(column)
        if value is None:
            raise self.error(column, "deze cel is leeg", "vul een waarde in")
        return value

    def parsed(self, column: str, parse: Callable[[str], object]):
        """The cell read by an upload parser; its Dutch complaint gets this file's place."""
        try:
            return parse(self.cells[column])
        except CellError as error:
            raise self.error(column, error.message, error.expected) from error

    def code(
        self, column: str, code_list: dict[str, str], required: bool = True, what: str = ""
    ) -> str | None:
        """One code or its label; ``what`` names it after "onbekend" (a het-word reads right)."""
        what = what or column
        value = self.parsed(column, lambda text: parsers.parse_code(text, code_list, what))
        if value is None and required:
            self.required(column)
        return value

    def keys(self, column: str, allowed: set[str], what: str) -> tuple[str, ...]:
        """Organisation keys separated by commas; each must be one of ``allowed``."""
        keys = tuple(key.strip() for key in self.required(column).split(",") if key.strip())
        unknown = [key for key in keys if key not in allowed]
        if unknown:
            raise self.error(column, f"onbekende sleutel {', '.join(unknown)}", what)
        return keys

    def key(self, column: str, allowed: set[str], what: str) -> str | None:
        if self.text(column) is None:
            return None
        keys = self.keys(column, allowed, what)
        if len(keys) != 1:
            raise self.error(column, "hier hoort één sleutel", what)
        return keys[0]

    def series(self, name: str, parse: Callable[[str], object]) -> tuple | None:
        """The four quarterly cells ``name_k1`` .. ``name_k4``: all filled or all empty."""
        columns = _quarterly(name)
        values = tuple(self.parsed(column, parse) for column in columns)
        if all(value is None for value in values):
            return None
        for column, value in zip(columns, values, strict=True):
            if value is None:
                raise self.error(
                    column,
                    "deze cel is leeg",
                    f"vul alle vier kwartalen in, {columns[0]} tot en met {columns[-1]}",
                )
        return values


def _read_rows(folder: Path, slug: str, name: str, columns: tuple[str, ...]) -> list[_Row]:
    file = f"{slug}/{name}"
    path = folder / slug / name
    try:
        data = path.read_bytes()
    except FileNotFoundError as error:
        raise DemoDataError(f"{file} ontbreekt") from error
    text = decode_text(data)
    reader = csv.reader(io.StringIO(text, newline=""), delimiter=detect_separator(text))
    records = [
        (number, [cell.strip() for cell in record]) for number, record in enumerate(reader, 1)
    ]
    records = [(number, record) for number, record in records if any(record)]
    if not records:
        raise DemoDataError(f"{file} is leeg; verwacht de kolommen {', '.join(columns)}")
    header = [cell.casefold() for cell in records[0][1]]
    missing = [column for column in columns if column not in header]
    unknown = [column for column in header if column and column not in columns]
    if missing or unknown:
        raise DemoDataError(
            f"{file}: kolommen kloppen niet (ontbreekt: {', '.join(missing) or 'niets'}; "
            f"onbekend: {', '.join(unknown) or 'niets'}); verwacht {', '.join(columns)}"
        )
    rows = []
    for number, record in records[1:]:
        cells = dict(zip(header, record + [""] * (len(header) - len(record)), strict=False))
        rows.append(_Row(file, number, {column: cells.get(column, "") for column in columns}))
    return rows


def _read_orgs(folder: Path, slug: str) -> tuple[tuple[Org, ...], tuple[Org, ...]]:
    shelters: list[Org] = []
    partners: list[Org] = []
    seen: set[str] = set()
    for row in _read_rows(folder, slug, "organisaties.csv", _ORG_COLUMNS):
        key = row.required("sleutel")
        if key in seen or "," in key:
            raise row.error(
                "sleutel", "deze sleutel komt al voor of bevat een komma", "een unieke korte naam"
            )
        seen.add(key)
        role = row.code("rol", _ROLES, what="woord voor de rol")
        org = Org(key, row.required("naam"), row.code("type", codes.PARTNER_TYPES))
        if role == "opvang":
            if org.type not in codes.SHELTER_TYPES:
                raise row.error("type", "een opvang is vrouwenopvang of maatschappelijke_opvang")
            shelters.append(org)
        else:
            partners.append(org)
    if not shelters:
        raise DemoDataError(f"{slug}/organisaties.csv: geen enkele organisatie met rol opvang")
    return tuple(shelters), tuple(partners)


_SHELTER_KEY = "de sleutel van een organisatie met rol opvang in organisaties.csv"
_ANY_KEY = "de sleutel van een organisatie in organisaties.csv"


def _agreement(row: _Row, shelters: set[str], known: set[str]) -> Agreement:
    types = row.parsed(
        "afspraaktypes",
        lambda text: parsers.parse_codes(text, codes.AGREEMENT_TYPES, "afspraaktype"),
    )
    if types is None:
        row.required("afspraaktypes")
    return Agreement(
        holders=row.keys("opvang", shelters, _SHELTER_KEY),
        partners=row.keys("partners", known, _ANY_KEY),
        types=types,
        state=row.code("stand", STATES, what="woord voor de stand"),
        child=bool(row.parsed("kindspecifiek", parsers.parse_bool)),
        level=row.code("niveau", codes.LEVELS, required=False) or "organisatie",
        note=row.text("toelichting"),
        agreement_id=row.text("afspraak_id"),
    )


def _percent(text: str) -> float | None:
    """A share written as a percentage, ``85`` or ``85%``, as a fraction (``85/100`` is the
    same float as ``0.85``)."""
    number = parsers.parse_int(text.removesuffix("%").strip())
    if number is None:
        return None
    if not 0 <= number <= 100:
        raise CellError(
            "dit percentage ligt niet tussen 0 en 100", "een geheel getal van 0 tot 100"
        )
    return number / 100


def _count(text: str) -> int | None:
    number = parsers.parse_int(text)
    if number is not None and number < 0:
        raise CellError("dit aantal is negatief", "een geheel getal van 0 of meer")
    return number


def _flow(row: _Row, shelters: set[str], known: set[str]) -> Flow:
    partner = row.key("partner", known, _ANY_KEY)
    partner_type = row.code("partnertype", codes.PARTNER_TYPES, required=False)
    if (partner is None) == (partner_type is None):
        raise row.error(
            "partnertype", "vul partner of partnertype in, niet allebei en niet geen van beide"
        )
    families = row.series("gezinnen", _count)
    warm = row.series("warm_pct", _percent)
    if families is None or warm is None:
        column = "gezinnen_k1" if families is None else "warm_pct_k1"
        raise row.error(column, "deze cel is leeg", "gezinnen en warm_pct zijn verplicht")
    return Flow(
        holders=row.keys("opvang", shelters, _SHELTER_KEY),
        phase=row.code("fase", codes.PHASES, what="woord voor de fase"),
        partner=partner,
        partner_type=partner_type,
        families=families,
        warm=warm,
        children=row.series("kind_overgedragen_pct", _percent),
        regisseur=row.series("regisseur_pct", _percent),
        safety_plan=row.series("veiligheidsplan_pct", _percent),
        aftercare=row.series("nazorg_pct", _percent),
        moved=row.series("andere_regio_pct", _percent),
        regisseur_new=row.series("regisseur_nieuwe_gemeente_pct", _percent),
        signalling=row.series("signaalpartners_pct", _percent),
    )


def _severity(text: str) -> int | None:
    number = parsers.parse_int(text)
    if number is not None and not 1 <= number <= 5:
        raise CellError("de ernst ligt niet tussen 1 en 5", "een geheel getal van 1 tot 5")
    return number


def _days(text: str) -> float | None:
    number = parsers.parse_number(text)
    if number is not None and number < 0:
        raise CellError("deze wachttijd is negatief", "een aantal dagen van 0 of meer")
    return number


def _answer(row: _Row, known: set[str]) -> Answer:
    partner = row.key("partner", known, _ANY_KEY)
    partner_type = row.code("partnertype", codes.PARTNER_TYPES, required=False)
    if partner is not None and partner_type is not None:
        raise row.error("partnertype", "laat partnertype leeg als er een partner is genoemd")
    severity = row.series("ernst", _severity)
    if severity is None:
        raise row.error(
            "ernst_k1", "deze cel is leeg", "ernst is verplicht voor alle vier kwartalen"
        )
    return Answer(
        respondent=row.key("respondent", known, _ANY_KEY) or row.required("respondent"),
        topic=row.code("onderwerp", codes.TOPICS),
        partner=partner,
        partner_type=partner_type,
        severity=severity,
        wait=row.series("wachttijd_dagen", _days),
        families=row.series("gezinnen", _count),
        extra_per_family=row.parsed("extra_verblijfsdagen_per_gezin", _count),
        note=row.text("toelichting"),
    )
