"""Excel templates (sjablonen) for the three upload kinds, built from ``ketendata.columns``.

A template has the kind's sheet (``Afspraken``, ...) with the column codes as header row, so a
filled template imports without any header guessing; dropdowns with the Dutch labels for coded
columns (the lists live on a hidden sheet ``Lijsten``, because inline lists are limited to 255
characters); a visible sheet ``Toelichting`` that explains every column with an example. The data
sheet holds no example rows: they would be imported. The output is deterministic: the same kind
gives the same bytes (the workbook, its Dutch formats and the repeatable save come from
:mod:`ketendata.files.excel`).
"""

from __future__ import annotations

import datetime as dt

from openpyxl.comments import Comment
from openpyxl.styles import Alignment, Font, PatternFill
from openpyxl.utils import get_column_letter, quote_sheetname
from openpyxl.worksheet.datavalidation import DataValidation
from openpyxl.worksheet.worksheet import Worksheet

from analysis import codes as c
from ketendata.columns import (
    BOOL,
    CODE,
    CODES,
    COLUMNS,
    DATE,
    DECIMAL,
    INT,
    PERIOD,
    SHEET_NAMES,
    TEXT,
    Column,
)
from ketendata.files import excel
from ketendata.files.excel import DATE_FORMAT, HEADER_FONT, TEXT_FORMAT
from ketendata.settings import MAX_TEXT_LENGTH

__all__ = [
    "BOOL_CHOICES",
    "EXAMPLES",
    "EXPLANATION_SHEET",
    "FIXED_TIMESTAMP",
    "GENERAL_RULES",
    "KIND_INTROS",
    "LAST_ROW",
    "LISTS_SHEET",
    "MULTI_VALUE_RULE",
    "allowed_values_text",
    "build_template",
    "choices",
    "template_file_name",
]

#: Data validations and column formats cover rows 2 up to and including this row.
LAST_ROW = 1000

#: The hidden sheet that holds the dropdown lists.
LISTS_SHEET = "Lijsten"

#: The visible sheet that explains the columns.
EXPLANATION_SHEET = "Toelichting"

#: The values of the yes/no dropdown of BOOL columns.
BOOL_CHOICES: tuple[str, str] = ("ja", "nee")

#: Fixed workbook dates and zip timestamps, so the same kind always gives the same bytes.
FIXED_TIMESTAMP = dt.datetime(2026, 1, 1, 0, 0, 0)

# Excel refuses a workbook whose validation texts exceed these lengths.
_PROMPT_MAX = 255
_TITLE_MAX = 32

_REQUIRED_FILL = PatternFill("solid", start_color="FFF4B183", end_color="FFF4B183")
_OPTIONAL_FILL = PatternFill("solid", start_color="FFD9E1F2", end_color="FFD9E1F2")
_TITLE_FONT = Font(bold=True, size=14)
_WRAP = Alignment(wrap_text=True, vertical="top")

#: What each upload is for and what a new upload does to earlier ones (shown on Toelichting).
KIND_INTROS: dict[str, tuple[str, ...]] = {
    "afspraken": (
        "Inventarisatie van de ketenafspraken: één rij per afspraak en partner. Een afspraak met "
        "meerdere partners (bijvoorbeeld een regionaal convenant) herhaalt hetzelfde afspraak_id "
        "op een rij per partner.",
        "Elke upload is de volledige, actuele inventarisatie van elke organisatie in elke regio "
        "die in het bestand staat: voor elk van die combinaties van regio en organisatie wordt "
        "het bestand de nieuwe versie. Een afspraak die u weglaat, telt daarna niet meer mee. "
        "Eerdere versies blijven bewaard en een import kan ongedaan worden gemaakt.",
    ),
    "overdrachten": (
        "Overdrachten per periode, opgeteld over gezinnen: hoeveel gezinnen bij instroom, "
        "doorstroom of uitstroom zijn overgedragen, en hoeveel daarvan warm. Alleen aantallen, "
        "nooit gegevens over een afzonderlijk gezin of kind.",
        "Een nieuwe upload voor dezelfde regio, organisatie en periode vervangt de rijen van die "
        "periode (als nieuwe versie; de oude versie blijft bewaard).",
    ),
    "stagnatie": (
        "Antwoorden op de uitvraag naar stagnatie: waar loopt de hulp vast (financiën, "
        "wachtlijsten, wonen, onderwijs, veiligheid), hoe ernstig is dat en hoe lang duurt het.",
        "Een nieuwe upload voor dezelfde regio, respondent en periode vervangt de antwoorden van "
        "die uitvraagronde (als nieuwe versie; de oude versie blijft bewaard).",
    ),
}

#: One fictional, valid example row per kind (shown on Toelichting, never on the data sheet).
EXAMPLES: dict[str, dict[str, str]] = {
    "afspraken": {
        "regio": "Voorbeeldregio",
        "organisatie": "Opvang De Haven",
        "organisatietype": "Vrouwenopvang",
        "partner": "Veilig Thuis Voorbeeldregio",
        "partnertype": "Veilig Thuis",
        "afspraaktypes": "Meldcode Veilig Thuis; Informatie-uitwisseling",
        "niveau": "Organisatie",
        "status": "Schriftelijk",
        "kindspecifiek": "ja",
        "ingangsdatum": "01-03-2025",
        "einddatum": "",
        "geevalueerd_op": "15-01-2026",
        "afspraak_id": "VT-2025-01",
        "toelichting": "Convenant meldcode, jaarlijks samen geëvalueerd.",
    },
    "overdrachten": {
        "regio": "Voorbeeldregio",
        "organisatie": "Opvang De Haven",
        "periode": "2026-Q1",
        "fase": "Uitstroom",
        "partner": "Wijkteam Centrum",
        "partnertype": "Wijkteam / CJG",
        "gezinnen": "12",
        "warm": "9",
        "kinderen": "20",
        "kind_overgedragen": "14",
        "met_informatieoverdracht": "11",
        "met_persoonlijk_contact": "9",
        "met_ketenafspraken": "8",
        "regisseur_belegd": "10",
        "veiligheidsplan_gedeeld": "6",
        "nazorg_zes_maanden": "8",
        "naar_andere_regio": "3",
        "regisseur_nieuwe_gemeente": "2",
        "signaalpartners_geinformeerd": "7",
    },
    "stagnatie": {
        "regio": "Voorbeeldregio",
        "respondent": "Opvang De Haven",
        "periode": "2026-Q1",
        "domein": "Financiën",
        "onderwerp": "Uitkering",
        "partner": "Werkplein Voorbeeldstad",
        "partnertype": "Werk en inkomen",
        "ernst": "4",
        "wachttijd_dagen": "42,5",
        "gezinnen": "7",
        "extra_verblijfsdagen": "180",
        "toelichting": "Uitkering moet na verhuizing naar een andere gemeente opnieuw worden "
        "aangevraagd.",
    },
}

#: The rule for multi-valued cells (only shown for kinds that have such a column).
MULTI_VALUE_RULE = (
    "Meerdere waarden in één cel ({columns}): scheid ze met ; of , of |, bijvoorbeeld "
    "'Meldcode Veilig Thuis; Informatie-uitwisseling'."
)

#: The general rules, shown under the column table on Toelichting.
GENERAL_RULES: tuple[str, ...] = (
    "Vul de gegevens in vanaf rij 2 van het eerste blad. Laat de kolomnamen in rij 1 staan; "
    "de volgorde van de kolommen mag anders. Kolommen met een oranje kop zijn verplicht, "
    "kolommen met een blauwe kop mag u leeg laten.",
    "Bewaar als Excel-bestand (.xlsx) of als CSV (.csv) met puntkomma of komma als "
    "scheidingsteken, in UTF-8 (met of zonder BOM) of Windows-1252.",
    "Datums: DD-MM-JJJJ, D-M-JJJJ, DD/MM/JJJJ of JJJJ-MM-DD, of een echte Excel-datum.",
    "Getallen: een decimale komma mag (12,5).",
    "Ja/nee-kolommen: ja of nee; ook yes/no, 1/0, waar/onwaar, true/false en x/leeg.",
    "Codes: u mag de Nederlandse omschrijving uit de keuzelijst gebruiken of de code tussen "
    "haakjes; hoofdletters, accenten en het verschil tussen spatie, - en _ tellen niet.",
    f"Vrije tekst: hoogstens {MAX_TEXT_LENGTH} tekens per cel.",
    "Geen persoonsgegevens: geen namen van cliënten of kinderen, geen BSN, geboortedatums, "
    "adressen, e-mailadressen of telefoonnummers (ook niet het algemene nummer van een "
    "partner). Een cel die daarop lijkt, wordt geweigerd. Noem nooit het adres van een opvang.",
    "Formules: Ketenkaart leest de waarde die Excel heeft bewaard. Open en bewaar het bestand "
    "in Excel als Ketenkaart meldt dat een formule geen waarde heeft.",
    "Alles of niets: bevat het bestand een fout, dan wordt niets ingelezen en krijgt u een lijst "
    "met alle fouten, elk met rij, kolom, waarde en wat er verwacht wordt.",
    "Hetzelfde bestand nog eens inlezen verandert niets. Een import kan ongedaan worden gemaakt.",
)


def template_file_name(kind: str) -> str:
    """The file name under which the template of ``kind`` is offered.

    >>> template_file_name("afspraken")
    'ketenkaart-sjabloon-afspraken.xlsx'
    """
    _check_kind(kind)
    return f"ketenkaart-sjabloon-{kind}.xlsx"


def build_template(kind: str) -> bytes:
    """Build the ``.xlsx`` template of an upload kind.

    Args:
        kind: ``afspraken``, ``overdrachten`` or ``stagnatie``.

    Returns:
        The bytes of the workbook; the same kind always gives the same bytes.

    Raises:
        ValueError: ``kind`` is not one of the three kinds.
    """
    _check_kind(kind)
    columns = COLUMNS[kind]
    workbook, data_sheet = excel.new_workbook(SHEET_NAMES[kind])
    explanation_sheet = workbook.create_sheet(EXPLANATION_SHEET)
    lists_sheet = workbook.create_sheet(LISTS_SHEET)
    lists_sheet.sheet_state = "hidden"

    list_ranges = _write_lists(lists_sheet, columns)
    _write_data_sheet(data_sheet, columns, list_ranges)
    _write_explanation(explanation_sheet, kind, columns)

    workbook.properties.creator = "Ketenkaart"
    workbook.properties.lastModifiedBy = "Ketenkaart"
    workbook.properties.title = f"Ketenkaart sjabloon {SHEET_NAMES[kind]}"
    return excel.save_workbook(workbook, FIXED_TIMESTAMP)


def choices(column: Column) -> tuple[str, ...]:
    """The values offered in the dropdown of a column: Dutch labels, or ja/nee; empty if none.

    >>> from ketendata.columns import COLUMNS
    >>> choices(COLUMNS["overdrachten"][3])
    ('Instroom', 'Doorstroom', 'Uitstroom')
    >>> choices(COLUMNS["afspraken"][0])
    ()
    """
    if column.type in (CODE, CODES) and column.codes is not None:
        return tuple(column.codes.values())
    if column.type == BOOL:
        return BOOL_CHOICES
    return ()


def allowed_values_text(column: Column) -> str:
    """What a column accepts, in Dutch, with labels and codes (one per line for code lists).

    >>> from ketendata.columns import COLUMNS
    >>> print(allowed_values_text(COLUMNS["overdrachten"][3]))
    Eén van:
    Instroom (instroom)
    Doorstroom (doorstroom)
    Uitstroom (uitstroom)
    >>> allowed_values_text(COLUMNS["stagnatie"][7])
    'Geheel getal van 1 tot en met 5.'
    """
    kind = column.type
    if kind in (CODE, CODES) and column.codes is not None:
        head = "Eén van:" if kind == CODE else "Eén of meer van (scheid met ; , of |):"
        if column.codes is c.TOPICS:
            lines = [
                f"{c.DOMAINS[domain]}: "
                + ", ".join(f"{text} ({code})" for code, text in topics.items())
                for domain, topics in c.TOPICS_BY_DOMAIN.items()
            ]
            head = "Eén onderwerp dat bij het domein past:"
        else:
            lines = [f"{text} ({code})" for code, text in column.codes.items()]
        text = "\n".join([head, *lines])
    elif kind == BOOL:
        text = "ja of nee (ook yes/no, 1/0, waar/onwaar, true/false, x/leeg)."
    elif kind == DATE:
        text = "Datum: DD-MM-JJJJ, D-M-JJJJ, DD/MM/JJJJ of JJJJ-MM-DD, of een Excel-datum."
    elif kind == PERIOD:
        text = "JJJJ, JJJJ-Qn of JJJJ-MM, bijvoorbeeld 2026, 2026-Q3 of 2026-07."
    elif kind in (INT, DECIMAL):
        text = _number_text(column)
    else:
        text = f"Tekst, hoogstens {MAX_TEXT_LENGTH} tekens."
    if column.default is not None and not column.required:
        text += f"\nLeeg betekent: {_default_text(column)}."
    return text


def _check_kind(kind: str) -> None:
    if kind not in COLUMNS:
        known = ", ".join(COLUMNS)
        raise ValueError(f"Onbekende soort '{kind}'; kies uit {known}.")


def _number_text(column: Column) -> str:
    noun = "Geheel getal" if column.type == INT else "Getal (decimale komma mag)"
    low, high = column.minimum, column.maximum
    if low is not None and high is not None:
        return f"{noun} van {_fmt(low)} tot en met {_fmt(high)}."
    if low is not None:
        return f"{noun}, {_fmt(low)} of meer."
    if high is not None:
        return f"{noun}, hoogstens {_fmt(high)}."
    return f"{noun}."


def _fmt(number: float) -> str:
    """A bound as Dutch text: ``5`` not ``5.0``, ``2,5`` not ``2.5``."""
    if float(number).is_integer():
        return str(int(number))
    return str(number).replace(".", ",")


def _default_text(column: Column) -> str:
    if column.type == BOOL:
        return "ja" if column.default else "nee"
    if column.codes is not None:
        return c.label(str(column.default), column.codes)
    return str(column.default)


def _write_lists(sheet: Worksheet, columns: tuple[Column, ...]) -> dict[str, str]:
    """Write each distinct code list once on the hidden sheet; map column name -> range."""
    ranges: dict[str, str] = {}
    by_list: dict[tuple[str, ...], str] = {}
    for column in columns:
        if column.type not in (CODE, CODES):
            continue
        values = choices(column)
        if values not in by_list:
            index = len(by_list) + 1
            letter = get_column_letter(index)
            sheet.cell(row=1, column=index, value=column.name).font = HEADER_FONT
            for row, value in enumerate(values, start=2):
                sheet.cell(row=row, column=index, value=value)
            sheet.column_dimensions[letter].width = max(len(v) for v in values) + 2
            last = len(values) + 1
            by_list[values] = f"{quote_sheetname(LISTS_SHEET)}!${letter}$2:${letter}${last}"
        ranges[column.name] = by_list[values]
    return ranges


def _write_data_sheet(
    sheet: Worksheet, columns: tuple[Column, ...], list_ranges: dict[str, str]
) -> None:
    for index, column in enumerate(columns, start=1):
        letter = get_column_letter(index)
        cell = sheet.cell(row=1, column=index, value=column.name)
        cell.font = HEADER_FONT
        cell.fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        cell.alignment = Alignment(vertical="top")
        flag = "Verplicht." if column.required else "Niet verplicht."
        note = Comment(f"{flag}\n{column.description}", "Ketenkaart")
        note.width, note.height = 300, 120
        cell.comment = note
        dimension = sheet.column_dimensions[letter]
        dimension.width = _column_width(column)
        if column.type == DATE:
            dimension.number_format = DATE_FORMAT
        elif column.type in (TEXT, PERIOD):
            dimension.number_format = TEXT_FORMAT
        validation = _validation(column, list_ranges.get(column.name))
        if validation is not None:
            validation.add(f"{letter}2:{letter}{LAST_ROW}")
            sheet.add_data_validation(validation)
    sheet.freeze_panes = "A2"


def _column_width(column: Column) -> float:
    """Wide enough for the header and a typical value, never wider than 36."""
    typical = {TEXT: 28, CODE: 20, CODES: 34, BOOL: 8, DATE: 13, INT: 10, DECIMAL: 10, PERIOD: 10}
    values = choices(column) if column.type == CODE else ()
    longest = max((len(v) for v in values), default=0)
    return float(min(36, max(len(column.name) + 3, typical[column.type], longest + 3)))


def _validation(column: Column, list_range: str | None) -> DataValidation | None:
    """The Excel data validation of a column, or None for free text and periods."""
    flag = "Verplicht" if column.required else "Niet verplicht"
    prompt = f"{flag}. {column.description}"
    common = {
        "allow_blank": True,
        "showInputMessage": True,
        "showErrorMessage": True,
        "promptTitle": column.name[:_TITLE_MAX],
    }
    if column.type == CODE:
        dv = DataValidation(
            type="list",
            formula1=list_range,
            errorStyle="warning",
            errorTitle="Niet in de lijst",
            error="Kies een waarde uit de lijst (de code mag ook).",
            prompt=_clip(f"{prompt} Kies uit de lijst."),
            **common,
        )
    elif column.type == CODES:
        dv = DataValidation(
            type="list",
            formula1=list_range,
            errorStyle="information",
            errorTitle="Meerdere waarden?",
            error="Meerdere waarden mogen, gescheiden door ; (bijvoorbeeld 'Vervoer; Schulden').",
            prompt=_clip(
                f"{prompt} Kies er een uit de lijst; meerdere waarden mag u zelf typen, "
                "gescheiden door ;"
            ),
            **common,
        )
    elif column.type == BOOL:
        dv = DataValidation(
            type="list",
            formula1='"' + ",".join(BOOL_CHOICES) + '"',
            errorStyle="warning",
            errorTitle="Ja of nee",
            error="Vul ja of nee in.",
            prompt=_clip(prompt),
            **common,
        )
    elif column.type in (INT, DECIMAL):
        operator, formula1, formula2 = _number_bounds(column)
        dv = DataValidation(
            type="whole" if column.type == INT else "decimal",
            operator=operator,
            formula1=formula1,
            formula2=formula2,
            errorStyle="stop",
            errorTitle="Ongeldig getal",
            error=_clip(_number_text(column)),
            prompt=_clip(prompt),
            **common,
        )
    elif column.type == DATE:
        dv = DataValidation(
            type="date",
            operator="between",
            formula1=str(_excel_serial(dt.date(1950, 1, 1))),
            formula2=str(_excel_serial(dt.date(2099, 12, 31))),
            errorStyle="warning",
            errorTitle="Geen datum",
            error="Vul een datum in, bijvoorbeeld 15-01-2026.",
            prompt=_clip(f"{prompt} Bijvoorbeeld 15-01-2026."),
            **common,
        )
    else:
        return None
    return dv


def _number_bounds(column: Column) -> tuple[str, str, str | None]:
    low, high = column.minimum, column.maximum
    if low is not None and high is not None:
        return "between", _fmt_formula(low), _fmt_formula(high)
    if low is not None:
        return "greaterThanOrEqual", _fmt_formula(low), None
    if high is not None:
        return "lessThanOrEqual", _fmt_formula(high), None
    return "between", "-1E+307", "1E+307"


def _fmt_formula(number: float) -> str:
    """A bound in the file format's invariant notation (decimal point, not comma)."""
    return str(int(number)) if float(number).is_integer() else repr(float(number))


def _excel_serial(day: dt.date) -> int:
    """Excel's day number of a date (1900 date system)."""
    return (day - dt.date(1899, 12, 30)).days


def _clip(text: str) -> str:
    """Excel refuses validation messages longer than 255 characters."""
    return text if len(text) <= _PROMPT_MAX else text[: _PROMPT_MAX - 1] + "…"


def _write_explanation(sheet: Worksheet, kind: str, columns: tuple[Column, ...]) -> None:
    widths = {"A": 24, "B": 11, "C": 50, "D": 55, "E": 30}
    for letter, width in widths.items():
        sheet.column_dimensions[letter].width = width
    row = 1
    sheet.cell(row=row, column=1, value=f"Toelichting bij het sjabloon {SHEET_NAMES[kind]}")
    sheet.cell(row=row, column=1).font = _TITLE_FONT
    row += 1
    for text in KIND_INTROS[kind]:
        row = _write_paragraph(sheet, row, text)
    row += 1
    for index, title in enumerate(
        ("Kolom", "Verplicht", "Wat vult u in", "Toegestane waarden", "Voorbeeld"), start=1
    ):
        cell = sheet.cell(row=row, column=index, value=title)
        cell.font = HEADER_FONT
    row += 1
    example = EXAMPLES[kind]
    for column in columns:
        values = (
            column.name,
            "ja" if column.required else "nee",
            column.description,
            allowed_values_text(column),
            example.get(column.name, ""),
        )
        for index, value in enumerate(values, start=1):
            cell = sheet.cell(row=row, column=index, value=value)
            cell.alignment = _WRAP
        sheet.cell(row=row, column=1).font = HEADER_FONT
        sheet.cell(row=row, column=1).fill = _REQUIRED_FILL if column.required else _OPTIONAL_FILL
        row += 1
    row += 1
    sheet.cell(row=row, column=1, value="Algemene regels").font = HEADER_FONT
    row += 1
    rules = list(GENERAL_RULES)
    multi = [column.name for column in columns if column.type == CODES]
    if multi:
        rules.insert(6, MULTI_VALUE_RULE.format(columns=", ".join(multi)))
    for text in rules:
        row = _write_paragraph(sheet, row, f"• {text}")


def _write_paragraph(sheet: Worksheet, row: int, text: str) -> int:
    """Write a text across columns A:E of one row; return the next row."""
    sheet.cell(row=row, column=1, value=text).alignment = _WRAP
    sheet.merge_cells(start_row=row, start_column=1, end_row=row, end_column=5)
    sheet.row_dimensions[row].height = 15 * (1 + len(text) // 150)
    return row + 1
