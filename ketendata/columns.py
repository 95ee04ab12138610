"""The columns of the three upload kinds: name, whether required, value type and meaning.

One table drives validation, the Excel templates and the docs, so they cannot disagree.
Pure module (no DuckDB, no Streamlit).
"""

from __future__ import annotations

from dataclasses import dataclass

from analysis import codes as c

# Value types a column can have.
TEXT = "text"  # free text or a name; personal-data guard and length limit apply
CODE = "code"  # one code of `codes`
CODES = "codes"  # one or more codes of `codes`, separated by ; , or |
BOOL = "bool"  # ja/nee, yes/no, 1/0, waar/onwaar, true/false, x/empty
DATE = "date"  # YYYY-MM-DD, DD-MM-YYYY, D-M-YYYY, DD/MM/YYYY or an Excel date
INT = "int"  # whole number
DECIMAL = "decimal"  # number, decimal comma allowed
PERIOD = "period"  # YYYY, YYYY-Qn or YYYY-MM


@dataclass(frozen=True)
class Column:
    """One column of an upload kind."""

    name: str
    required: bool
    type: str
    description: str
    codes: dict[str, str] | None = None
    default: object = None
    minimum: float | None = None
    maximum: float | None = None


AFSPRAKEN: tuple[Column, ...] = (
    Column("regio", True, TEXT, "De regio (centrumgemeenteregio) waar de afspraak bij hoort."),
    Column(
        "organisatie",
        True,
        TEXT,
        "De organisatie die de afspraak heeft, meestal de opvangorganisatie.",
    ),
    Column(
        "organisatietype",
        False,
        CODE,
        "Type van de organisatie; leeg betekent Vrouwenopvang.",
        codes=c.PARTNER_TYPES,
        default="vrouwenopvang",
    ),
    Column("partner", True, TEXT, "Naam van de ketenpartner."),
    Column("partnertype", True, CODE, "Type van de ketenpartner.", codes=c.PARTNER_TYPES),
    Column(
        "afspraaktypes",
        True,
        CODES,
        "Een of meer soorten afspraak, gescheiden door ; , of |.",
        codes=c.AGREEMENT_TYPES,
    ),
    Column(
        "niveau",
        False,
        CODE,
        "Niveau van de afspraak; leeg betekent Organisatie.",
        codes=c.LEVELS,
        default="organisatie",
    ),
    Column(
        "status",
        True,
        CODE,
        "Schriftelijk (aantoonbaar vastgelegd), Mondeling, In ontwikkeling of Beëindigd.",
        codes=c.STATUSES,
    ),
    Column(
        "kindspecifiek",
        False,
        BOOL,
        "Ja als de afspraak uitdrukkelijk over kinderen gaat; leeg betekent nee.",
        default=False,
    ),
    Column("ingangsdatum", False, DATE, "Datum waarop de afspraak ingaat."),
    Column(
        "einddatum",
        False,
        DATE,
        "Datum waarop de afspraak eindigt; een datum in het verleden betekent beëindigd.",
    ),
    Column("geevalueerd_op", False, DATE, "Datum van de laatste gezamenlijke evaluatie."),
    Column(
        "afspraak_id",
        False,
        TEXT,
        "Eigen kenmerk van de afspraak. Een afspraak met meerdere partners herhaalt het "
        "kenmerk op een rij per partner.",
    ),
    Column(
        "toelichting",
        False,
        TEXT,
        "Vrije toelichting, hoogstens 500 tekens. Geen gegevens over cliënten.",
    ),
)

OVERDRACHTEN: tuple[Column, ...] = (
    Column("regio", True, TEXT, "De regio (centrumgemeenteregio)."),
    Column("organisatie", True, TEXT, "De opvangorganisatie."),
    Column("periode", True, PERIOD, "Periode: JJJJ, JJJJ-Qn (kwartaal) of JJJJ-MM (maand)."),
    Column("fase", True, CODE, "Instroom, Doorstroom of Uitstroom.", codes=c.PHASES),
    Column("partner", False, TEXT, "De ontvangende (uitstroom) of verwijzende (instroom) partner."),
    Column("partnertype", True, CODE, "Type van de partner.", codes=c.PARTNER_TYPES),
    Column("gezinnen", True, INT, "Aantal overgedragen gezinnen (0 of meer).", minimum=0),
    Column(
        "warm", True, INT, "Waarvan met een warme overdracht (niet meer dan gezinnen).", minimum=0
    ),
    Column("kinderen", False, INT, "Aantal kinderen in die gezinnen.", minimum=0),
    Column(
        "kind_overgedragen",
        False,
        INT,
        "Kinderen met een eigen overdracht (niet meer dan kinderen).",
        minimum=0,
    ),
    Column(
        "met_informatieoverdracht",
        False,
        INT,
        "Overdrachten met informatieoverdracht (niet meer dan gezinnen).",
        minimum=0,
    ),
    Column(
        "met_persoonlijk_contact",
        False,
        INT,
        "Overdrachten met persoonlijk contact / context (niet meer dan gezinnen).",
        minimum=0,
    ),
    Column(
        "met_ketenafspraken",
        False,
        INT,
        "Overdrachten waarbij ketenafspraken zijn gemaakt (niet meer dan gezinnen).",
        minimum=0,
    ),
    Column(
        "regisseur_belegd",
        False,
        INT,
        "Gezinnen met een benoemde regisseur na vertrek (niet meer dan gezinnen).",
        minimum=0,
    ),
    Column(
        "veiligheidsplan_gedeeld",
        False,
        INT,
        "Gezinnen van wie het veiligheidsplan met de partner is gedeeld (niet meer dan gezinnen).",
        minimum=0,
    ),
)

STAGNATIE: tuple[Column, ...] = (
    Column("regio", True, TEXT, "De regio (centrumgemeenteregio)."),
    Column("respondent", True, TEXT, "De organisatie die antwoordt."),
    Column("periode", True, PERIOD, "Uitvraagronde: JJJJ, JJJJ-Qn (kwartaal) of JJJJ-MM (maand)."),
    Column(
        "domein",
        True,
        CODE,
        "Financiën, Wachtlijst, Wonen, Onderwijs, Veiligheid of Overig.",
        codes=c.DOMAINS,
    ),
    Column("onderwerp", True, CODE, "Onderwerp binnen het domein.", codes=c.TOPICS),
    Column("partner", False, TEXT, "De organisatie waar het stagneert."),
    Column("partnertype", False, CODE, "Type van die organisatie.", codes=c.PARTNER_TYPES),
    Column(
        "ernst",
        True,
        INT,
        "Ernst van 1 (gering) tot 5 (blokkeert uitstroom).",
        minimum=1,
        maximum=5,
    ),
    Column(
        "wachttijd_dagen",
        False,
        DECIMAL,
        "Gebruikelijke wachttijd in dagen (0 of meer).",
        minimum=0,
    ),
    Column(
        "gezinnen", False, INT, "Aantal getroffen gezinnen in de periode (0 of meer).", minimum=0
    ),
    Column(
        "extra_verblijfsdagen",
        False,
        INT,
        "Extra verblijfsdagen in de opvang, opgeteld over de gezinnen (0 of meer).",
        minimum=0,
    ),
    Column(
        "toelichting",
        False,
        TEXT,
        "Vrije toelichting, hoogstens 500 tekens. Geen gegevens over cliënten.",
    ),
)

#: The columns of each kind, in template order.
COLUMNS: dict[str, tuple[Column, ...]] = {
    "afspraken": AFSPRAKEN,
    "overdrachten": OVERDRACHTEN,
    "stagnatie": STAGNATIE,
}

#: The sheet name of each kind in an ``.xlsx`` (and in the templates).
SHEET_NAMES: dict[str, str] = {
    "afspraken": "Afspraken",
    "overdrachten": "Overdrachten",
    "stagnatie": "Stagnatie",
}
