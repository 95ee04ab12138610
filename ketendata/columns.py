"""The columns of the three upload kinds: name, whether required, value type, meaning, and
where and how the store keeps them.

One description drives validation, the Excel templates, the docs and the store (the insert
frame, the row tables' column lists and the frames the analysis reads), so they cannot disagree.
The store's tables are created by released migrations (``ketendata.store.schema``), which are
never edited; ``tests/test_columns.py`` checks that a freshly migrated database has exactly the
columns described here. Pure module (no DuckDB, no Streamlit).
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis import codes as c

__all__ = [
    "AFSPRAKEN",
    "BOOL",
    "BOOLEAN",
    "CODE",
    "CODES",
    "COLUMNS",
    "DATE",
    "DATE_STORAGE",
    "DECIMAL",
    "DOUBLE",
    "INT",
    "INTEGER",
    "ORGANISATIONS",
    "OVERDRACHTEN",
    "PERIOD",
    "REGIONS",
    "ROW_KEY_COLUMNS",
    "ROW_TABLES",
    "SHEET_NAMES",
    "STAGNATIE",
    "TEXT",
    "VARCHAR",
    "VARCHAR_LIST",
    "Column",
    "period_column",
    "row_columns",
    "subject_column",
    "version_columns",
]

# Value types a column can have.
TEXT = "text"  # free text or a name; personal-data guard and length limit apply
CODE = "code"  # one code of `codes`
CODES = "codes"  # one or more codes of `codes`, separated by ; , or |
BOOL = "bool"  # ja/nee, yes/no, 1/0, waar/onwaar, true/false, x/empty
DATE = "date"  # YYYY-MM-DD, DD-MM-YYYY, D-M-YYYY, DD/MM/YYYY or an Excel date
INT = "int"  # whole number
DECIMAL = "decimal"  # number, decimal comma allowed
PERIOD = "period"  # YYYY, YYYY-Qn or YYYY-MM

# DuckDB types a stored column can have.
VARCHAR = "VARCHAR"
VARCHAR_LIST = "VARCHAR[]"  # a list of codes
INTEGER = "INTEGER"
DOUBLE = "DOUBLE"
BOOLEAN = "BOOLEAN"
DATE_STORAGE = "DATE"

# Tables whose id is stored instead of a name (matched by its normalised ``name_key``).
REGIONS = "regions"
ORGANISATIONS = "organisations"


@dataclass(frozen=True)
class Column:
    """One column of an upload kind, and how the store keeps it.

    Attributes:
        name: the spec's column code (the header the templates write).
        required: the column must be present and a cell may not be empty.
        type: the value type of a cell (``TEXT``, ``CODE``, ...).
        description: what the column means, in Dutch (templates and docs).
        codes: the allowed codes of a ``CODE``/``CODES`` column.
        default: the value of an empty cell of an optional column.
        minimum, maximum: bounds of a number.
        store: the stored column: in the kind's row table (:data:`ROW_TABLES`), or in
            ``versions`` when ``on_version``.
        storage: the stored column's DuckDB type.
        references: the table whose id is stored instead of the name (:data:`ORGANISATIONS`,
            :data:`REGIONS`); None for a value stored as itself.
        on_version: the column is part of what a version is the content of (region,
            organisation, period), stored once on the version instead of on each row.
        field: the column's name in the frames the analysis reads; None means ``store``.
    """

    name: str
    required: bool
    type: str
    description: str
    codes: dict[str, str] | None = None
    default: object = None
    minimum: float | None = None
    maximum: float | None = None
    store: str = ""
    storage: str = ""
    references: str | None = None
    on_version: bool = False
    field: str | None = None

    @property
    def frame_name(self) -> str:
        """The column's name in the analysis frames (``organisation``, ``partner``, ``level``)."""
        return self.field or self.store

    @property
    def not_null(self) -> bool:
        """Whether a stored value is never missing (required, or an empty cell has a default)."""
        return self.required or self.default is not None


AFSPRAKEN: tuple[Column, ...] = (
    Column(
        "regio",
        True,
        TEXT,
        "De regio (centrumgemeenteregio) waar de afspraak bij hoort.",
        store="region_id",
        storage=INTEGER,
        references=REGIONS,
        on_version=True,
        field="region",
    ),
    Column(
        "organisatie",
        True,
        TEXT,
        "De organisatie die de afspraak heeft, meestal de opvangorganisatie.",
        store="organisation_id",
        storage=INTEGER,
        references=ORGANISATIONS,
        on_version=True,
        field="organisation",
    ),
    Column(
        "organisatietype",
        False,
        CODE,
        "Type van de organisatie; leeg betekent Vrouwenopvang.",
        codes=c.PARTNER_TYPES,
        default="vrouwenopvang",
        store="organisation_type",
        storage=VARCHAR,
    ),
    Column(
        "partner",
        True,
        TEXT,
        "Naam van de ketenpartner.",
        store="partner_id",
        storage=INTEGER,
        references=ORGANISATIONS,
        field="partner",
    ),
    Column(
        "partnertype",
        True,
        CODE,
        "Type van de ketenpartner.",
        codes=c.PARTNER_TYPES,
        store="partner_type",
        storage=VARCHAR,
    ),
    Column(
        "afspraaktypes",
        True,
        CODES,
        "Een of meer soorten afspraak, gescheiden door ; , of |.",
        codes=c.AGREEMENT_TYPES,
        store="agreement_types",
        storage=VARCHAR_LIST,
    ),
    Column(
        "niveau",
        False,
        CODE,
        "Niveau van de afspraak; leeg betekent Organisatie.",
        codes=c.LEVELS,
        default="organisatie",
        store="level",
        storage=VARCHAR,
    ),
    Column(
        "status",
        True,
        CODE,
        "Schriftelijk (aantoonbaar vastgelegd), Mondeling, In ontwikkeling of Beëindigd.",
        codes=c.STATUSES,
        store="status",
        storage=VARCHAR,
    ),
    Column(
        "kindspecifiek",
        False,
        BOOL,
        "Ja als de afspraak uitdrukkelijk over kinderen gaat; leeg betekent nee.",
        default=False,
        store="child_specific",
        storage=BOOLEAN,
    ),
    Column(
        "ingangsdatum",
        False,
        DATE,
        "Datum waarop de afspraak ingaat.",
        store="start_date",
        storage=DATE_STORAGE,
    ),
    Column(
        "einddatum",
        False,
        DATE,
        "Datum waarop de afspraak eindigt; een datum in het verleden betekent beëindigd.",
        store="end_date",
        storage=DATE_STORAGE,
    ),
    Column(
        "geevalueerd_op",
        False,
        DATE,
        "Datum van de laatste gezamenlijke evaluatie.",
        store="evaluated_on",
        storage=DATE_STORAGE,
    ),
    Column(
        "afspraak_id",
        False,
        TEXT,
        "Eigen kenmerk van de afspraak. Een afspraak met meerdere partners herhaalt het "
        "kenmerk op een rij per partner.",
        store="agreement_id",
        storage=VARCHAR,
    ),
    Column(
        "toelichting",
        False,
        TEXT,
        "Vrije toelichting, hoogstens 500 tekens. Geen gegevens over cliënten.",
        store="note",
        storage=VARCHAR,
    ),
)

OVERDRACHTEN: tuple[Column, ...] = (
    Column(
        "regio",
        True,
        TEXT,
        "De regio (centrumgemeenteregio).",
        store="region_id",
        storage=INTEGER,
        references=REGIONS,
        on_version=True,
        field="region",
    ),
    Column(
        "organisatie",
        True,
        TEXT,
        "De opvangorganisatie.",
        store="organisation_id",
        storage=INTEGER,
        references=ORGANISATIONS,
        on_version=True,
        field="organisation",
    ),
    Column(
        "periode",
        True,
        PERIOD,
        "Periode: JJJJ, JJJJ-Qn (kwartaal) of JJJJ-MM (maand).",
        store="period",
        storage=VARCHAR,
        on_version=True,
    ),
    Column(
        "fase",
        True,
        CODE,
        "Instroom, Doorstroom of Uitstroom.",
        codes=c.PHASES,
        store="phase",
        storage=VARCHAR,
    ),
    Column(
        "partner",
        False,
        TEXT,
        "De ontvangende (uitstroom) of verwijzende (instroom) partner.",
        store="partner_id",
        storage=INTEGER,
        references=ORGANISATIONS,
        field="partner",
    ),
    Column(
        "partnertype",
        True,
        CODE,
        "Type van de partner.",
        codes=c.PARTNER_TYPES,
        store="partner_type",
        storage=VARCHAR,
    ),
    Column(
        "gezinnen",
        True,
        INT,
        "Aantal overgedragen gezinnen (0 of meer).",
        minimum=0,
        store="families",
        storage=INTEGER,
    ),
    Column(
        "warm",
        True,
        INT,
        "Waarvan met een warme overdracht (niet meer dan gezinnen).",
        minimum=0,
        store="warm",
        storage=INTEGER,
    ),
    Column(
        "kinderen",
        False,
        INT,
        "Aantal kinderen in die gezinnen.",
        minimum=0,
        store="children",
        storage=INTEGER,
    ),
    Column(
        "kind_overgedragen",
        False,
        INT,
        "Kinderen met een eigen overdracht (niet meer dan kinderen).",
        minimum=0,
        store="children_handed_over",
        storage=INTEGER,
    ),
    Column(
        "met_informatieoverdracht",
        False,
        INT,
        "Overdrachten met informatieoverdracht (niet meer dan gezinnen).",
        minimum=0,
        store="with_information",
        storage=INTEGER,
    ),
    Column(
        "met_persoonlijk_contact",
        False,
        INT,
        "Overdrachten met persoonlijk contact / context (niet meer dan gezinnen).",
        minimum=0,
        store="with_personal_contact",
        storage=INTEGER,
    ),
    Column(
        "met_ketenafspraken",
        False,
        INT,
        "Overdrachten waarbij ketenafspraken zijn gemaakt (niet meer dan gezinnen).",
        minimum=0,
        store="with_chain_agreements",
        storage=INTEGER,
    ),
    Column(
        "regisseur_belegd",
        False,
        INT,
        "Gezinnen met een benoemde regisseur na vertrek (niet meer dan gezinnen).",
        minimum=0,
        store="regisseur_assigned",
        storage=INTEGER,
    ),
    Column(
        "veiligheidsplan_gedeeld",
        False,
        INT,
        "Gezinnen van wie het veiligheidsplan met de partner is gedeeld (niet meer dan gezinnen).",
        minimum=0,
        store="safety_plan_shared",
        storage=INTEGER,
    ),
    Column(
        "nazorg_zes_maanden",
        False,
        INT,
        "Uitstroom: gezinnen met wie na vertrek iemand ten minste zes maanden contact hield "
        "(een vinger aan de pols; niet meer dan gezinnen).",
        minimum=0,
        store="aftercare_six_months",
        storage=INTEGER,
    ),
    Column(
        "naar_andere_regio",
        False,
        INT,
        "Uitstroom: gezinnen die naar een andere regio verhuisden (niet meer dan gezinnen).",
        minimum=0,
        store="moved_to_other_region",
        storage=INTEGER,
    ),
    Column(
        "regisseur_nieuwe_gemeente",
        False,
        INT,
        "Waarvan met een benoemde regisseur in de nieuwe gemeente (niet meer dan "
        "naar_andere_regio; vul ook naar_andere_regio in).",
        minimum=0,
        store="regisseur_new_municipality",
        storage=INTEGER,
    ),
    Column(
        "signaalpartners_geinformeerd",
        False,
        INT,
        "Uitstroom: gezinnen van wie de signaalpartners (school, huisarts, "
        "jeugdgezondheidszorg) weten van het verblijf en waar ze zorgen kunnen melden (niet "
        "meer dan gezinnen).",
        minimum=0,
        store="signalling_partners_informed",
        storage=INTEGER,
    ),
)

STAGNATIE: tuple[Column, ...] = (
    Column(
        "regio",
        True,
        TEXT,
        "De regio (centrumgemeenteregio).",
        store="region_id",
        storage=INTEGER,
        references=REGIONS,
        on_version=True,
        field="region",
    ),
    Column(
        "respondent",
        True,
        TEXT,
        "De organisatie die antwoordt.",
        store="organisation_id",
        storage=INTEGER,
        references=ORGANISATIONS,
        on_version=True,
        field="respondent",
    ),
    Column(
        "periode",
        True,
        PERIOD,
        "Uitvraagronde: JJJJ, JJJJ-Qn (kwartaal) of JJJJ-MM (maand).",
        store="period",
        storage=VARCHAR,
        on_version=True,
    ),
    Column(
        "domein",
        True,
        CODE,
        "Financiën, Wachtlijst, Wonen, Onderwijs, Veiligheid of Overig.",
        codes=c.DOMAINS,
        store="domain",
        storage=VARCHAR,
    ),
    Column(
        "onderwerp",
        True,
        CODE,
        "Onderwerp binnen het domein.",
        codes=c.TOPICS,
        store="topic",
        storage=VARCHAR,
    ),
    Column(
        "partner",
        False,
        TEXT,
        "De organisatie waar het stagneert.",
        store="partner_id",
        storage=INTEGER,
        references=ORGANISATIONS,
        field="partner",
    ),
    Column(
        "partnertype",
        False,
        CODE,
        "Type van die organisatie.",
        codes=c.PARTNER_TYPES,
        store="partner_type",
        storage=VARCHAR,
    ),
    Column(
        "ernst",
        True,
        INT,
        "Ernst van 1 (gering) tot 5 (blokkeert uitstroom).",
        minimum=1,
        maximum=5,
        store="severity",
        storage=INTEGER,
    ),
    Column(
        "wachttijd_dagen",
        False,
        DECIMAL,
        "Gebruikelijke wachttijd in dagen (0 of meer).",
        minimum=0,
        store="wait_days",
        storage=DOUBLE,
    ),
    Column(
        "gezinnen",
        False,
        INT,
        "Aantal getroffen gezinnen in de periode (0 of meer).",
        minimum=0,
        store="families",
        storage=INTEGER,
    ),
    Column(
        "extra_verblijfsdagen",
        False,
        INT,
        "Extra verblijfsdagen in de opvang, opgeteld over de gezinnen (0 of meer).",
        minimum=0,
        store="extra_shelter_days",
        storage=INTEGER,
    ),
    Column(
        "toelichting",
        False,
        TEXT,
        "Vrije toelichting, hoogstens 500 tekens. Geen gegevens over cliënten.",
        store="note",
        storage=VARCHAR,
    ),
)

#: The columns of each kind, in template order.
COLUMNS: dict[str, tuple[Column, ...]] = {
    "afspraken": AFSPRAKEN,
    "overdrachten": OVERDRACHTEN,
    "stagnatie": STAGNATIE,
}

#: The row table of each kind: one row per data row of a file, belonging to one version.
ROW_TABLES: dict[str, str] = {
    "afspraken": "agreement_rows",
    "overdrachten": "handover_rows",
    "stagnatie": "stagnation_rows",
}

#: The columns every row table starts with: the version the row belongs to and the row number
#: the user saw in Excel.
ROW_KEY_COLUMNS: tuple[tuple[str, str], ...] = (("version_id", INTEGER), ("source_row", INTEGER))


def row_columns(kind: str) -> tuple[Column, ...]:
    """The columns of ``kind`` stored on each row, in the row table's order (after
    :data:`ROW_KEY_COLUMNS`).

    >>> [column.store for column in row_columns("stagnatie")][:3]
    ['domain', 'topic', 'partner_id']
    """
    return tuple(column for column in COLUMNS[kind] if not column.on_version)


def version_columns(kind: str) -> tuple[Column, ...]:
    """The columns of ``kind`` that say what a version is of (region, organisation[, period]).

    >>> [(column.name, column.store) for column in version_columns("overdrachten")]
    [('regio', 'region_id'), ('organisatie', 'organisation_id'), ('periode', 'period')]
    """
    return tuple(column for column in COLUMNS[kind] if column.on_version)


def subject_column(kind: str) -> Column:
    """The column naming the organisation a version of ``kind`` belongs to.

    >>> subject_column("stagnatie").name
    'respondent'
    """
    (column,) = (c for c in version_columns(kind) if c.references == ORGANISATIONS)
    return column


def period_column(kind: str) -> Column | None:
    """The column with a version's period, or None for a kind without periods.

    >>> period_column("afspraken") is None, period_column("stagnatie").name
    (True, 'periode')
    """
    found = [c for c in version_columns(kind) if c.type == PERIOD]
    return found[0] if found else None


#: The sheet name of each kind in an ``.xlsx`` (and in the templates).
SHEET_NAMES: dict[str, str] = {
    "afspraken": "Afspraken",
    "overdrachten": "Overdrachten",
    "stagnatie": "Stagnatie",
}
