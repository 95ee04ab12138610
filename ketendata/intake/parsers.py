"""The cell parsers of the upload formats (booleans, numbers, dates, periods, codes).

They are pure: they return ``None`` for an empty cell and raise :class:`CellError` (a
``ValueError``) for a value they cannot read.
"""

from __future__ import annotations

import datetime as dt
import math
import re

from analysis import codes
from ketendata.intake.cells import cell_text as _plain_text
from ketendata.intake.cells import is_empty as _is_empty
from ketendata.intake.privacy import shown_value
from ketendata.intake.problems import MAX_NUMBER, CellError
from ketendata.intake.suggest import suggest

__all__ = [
    "LONG_CODE_LIST",
    "choice_list",
    "code_choice",
    "expected_codes",
    "parse_bool",
    "parse_code",
    "parse_codes",
    "parse_date",
    "parse_int",
    "parse_number",
    "parse_period",
    "period_granularity",
]

# --- Parsers -----------------------------------------------------------------------------------


_TRUE = {"ja", "j", "yes", "y", "1", "waar", "true", "x", "wahr"}
_FALSE = {"nee", "n", "no", "0", "onwaar", "false"}


def parse_bool(value: object) -> bool | None:
    """Read a yes/no cell; None when empty (the column default then applies).

    >>> [parse_bool(v) for v in ("Ja", "nee", "X", "1", "onwaar", True, 0, "", None)]
    [True, False, True, True, False, True, False, None, None]
    """
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        return value
    if isinstance(value, int | float) and value in (0, 1):
        return bool(value)
    text = str(value).strip().casefold()
    if text in _TRUE:
        return True
    if text in _FALSE:
        return False
    raise CellError("dit is geen ja of nee", "ja of nee (ook: x of leeg, 1/0, waar/onwaar)")


_GROUPED = re.compile(r"[1-9]\d{0,2}(?:X\d{3})+")  # X stands for the thousands separator
_PLAIN_NUMBER = re.compile(r"\d+(?:\.\d+)?|\.\d+")


def parse_number(value: object) -> float | None:
    """Read a number written the Dutch way or as Excel stored it; None when empty.

    A comma is the decimal separator (``3,5``) and a dot then separates thousands
    (``1.234,5``). A lone dot is read as a decimal point (``3.5``, as non-Dutch programs write
    it), except when exactly three digits follow it after one to three digits (``1.234``): that
    is a Dutch thousands separator as often as a decimal point, so it is refused as ambiguous.
    Spaces between digit groups are ignored.

    >>> [parse_number(v) for v in ("3", "3,5", "1.234,5", "1,234.5", "3.5", "0.125", "-2")]
    [3.0, 3.5, 1234.5, 1234.5, 3.5, 0.125, -2.0]
    >>> parse_number("1.234.567")
    1234567.0
    >>> parse_number("1.234")
    Traceback (most recent call last):
    ...
    ketendata.intake.problems.CellError: dit getal is dubbelzinnig: duizendtal of decimale punt
    """
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError("dit is geen getal", "een getal")
    try:
        number = float(value) if isinstance(value, int | float) else _number_text(str(value))
    except OverflowError as error:
        raise CellError("dit getal is te groot of ongeldig", "een gewoon getal") from error
    if math.isnan(number) or math.isinf(number) or abs(number) > MAX_NUMBER:
        raise CellError("dit getal is te groot of ongeldig", "een gewoon getal")
    return number


def _number_text(raw: str) -> float:
    text = re.sub(r"[\s\u00a0\u202f']", "", raw).replace("\u2212", "-")
    sign = 1.0
    if text[:1] in "+-" and text:
        sign = -1.0 if text[0] == "-" else 1.0
        text = text[1:]
    not_a_number = CellError("dit is geen getal", "een getal, met een komma voor decimalen")
    if "," in text and "." in text:
        decimal = "," if text.rfind(",") > text.rfind(".") else "."
        thousands = "." if decimal == "," else ","
        whole, _, fraction = text.rpartition(decimal)
        if not _GROUPED.fullmatch(whole.replace(thousands, "X")) or not fraction.isdigit():
            raise not_a_number
        text = whole.replace(thousands, "") + "." + fraction
    elif "," in text:
        if text.count(",") == 1:
            text = text.replace(",", ".")
        elif _GROUPED.fullmatch(text.replace(",", "X")):
            text = text.replace(",", "")
        else:
            raise not_a_number
    elif text.count(".") > 1:
        if not _GROUPED.fullmatch(text.replace(".", "X")):
            raise not_a_number
        text = text.replace(".", "")
    elif re.fullmatch(r"[1-9]\d{0,2}\.\d{3}", text):
        raise CellError(
            "dit getal is dubbelzinnig: duizendtal of decimale punt",
            "een getal zonder scheidingsteken voor duizendtallen (1234) "
            "of met een komma voor decimalen (1,234)",
        )
    if not _PLAIN_NUMBER.fullmatch(text):
        raise not_a_number
    return sign * float(text)


def parse_int(value: object) -> int | None:
    """Read a whole number; ``3,0`` and an Excel ``3.0`` count as whole. None when empty.

    >>> [parse_int(v) for v in ("12", "3,0", 3.0, 7, "1.250.000", None)]
    [12, 3, 3, 7, 1250000, None]
    """
    number = parse_number(value)
    if number is None:
        return None
    if not number.is_integer():
        raise CellError("dit is geen geheel getal", "een geheel getal, zoals 12")
    return int(number)


_ISO_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})(?:[ T]00:00(?::00(?:\.0+)?)?)?")
_DUTCH_DATE = re.compile(r"(\d{1,2})([-/])(\d{1,2})\2(\d{4})")
_DATE_FORMS = "een datum als 2026-03-31, 31-03-2026, 31/03/2026 of een Excel-datum"


def parse_date(value: object) -> dt.date | None:
    """Read a date: ``YYYY-MM-DD``, ``DD-MM-YYYY``, ``D-M-YYYY``, ``DD/MM/YYYY`` or an Excel
    date. Impossible dates are refused. None when empty.

    >>> [str(parse_date(v)) for v in ("2026-03-31", "31-03-2026", "1-4-2026", "01/04/2026")]
    ['2026-03-31', '2026-03-31', '2026-04-01', '2026-04-01']
    >>> parse_date(dt.datetime(2026, 5, 1, 0, 0))
    datetime.date(2026, 5, 1)
    >>> parse_date("31-02-2026")
    Traceback (most recent call last):
    ...
    ketendata.intake.problems.CellError: deze datum bestaat niet
    """
    if _is_empty(value):
        return None
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    if not isinstance(value, str):
        raise CellError("dit is geen datum", _DATE_FORMS)
    text = value.strip()
    if match := _ISO_DATE.fullmatch(text):
        year, month, day = (int(part) for part in match.groups())
    elif match := _DUTCH_DATE.fullmatch(text):
        day, month, year = int(match.group(1)), int(match.group(3)), int(match.group(4))
    else:
        raise CellError("dit is geen datum", _DATE_FORMS)
    try:
        return dt.date(year, month, day)
    except ValueError as error:
        raise CellError("deze datum bestaat niet", _DATE_FORMS) from error


_PERIOD_YEAR = re.compile(r"(\d{4})")
_PERIOD_QUARTER = re.compile(r"(\d{4})\s*[-/ ]?\s*[qQkK]([1-4])")
_PERIOD_MONTH = re.compile(r"(\d{4})[-/](\d{1,2})")
_PERIOD_FORMS = "JJJJ (2026), JJJJ-Qn (2026-Q3) of JJJJ-MM (2026-07)"


def parse_period(value: object) -> str | None:
    """Read a period and write it canonically: ``YYYY``, ``YYYY-Qn`` or ``YYYY-MM``.

    An Excel number 2026 is the year; an Excel date (Excel turns ``2026-07`` into 1 July 2026)
    is its month. None when empty.

    >>> [parse_period(v) for v in ("2026", 2026, "2026-q3", "2026Q3", "2026-7", "2026-07")]
    ['2026', '2026', '2026-Q3', '2026-Q3', '2026-07', '2026-07']
    >>> parse_period(dt.datetime(2026, 7, 1))
    '2026-07'
    """
    if _is_empty(value):
        return None
    if isinstance(value, bool):
        raise CellError("dit is geen periode", _PERIOD_FORMS)
    if isinstance(value, dt.date):
        return f"{value.year:04d}-{value.month:02d}"
    text = _plain_text(value)
    year = None
    if match := _PERIOD_YEAR.fullmatch(text):
        year, suffix = match.group(1), ""
    elif match := _PERIOD_QUARTER.fullmatch(text):
        year, suffix = match.group(1), f"-Q{match.group(2)}"
    elif (match := _PERIOD_MONTH.fullmatch(text)) and 1 <= int(match.group(2)) <= 12:
        year, suffix = match.group(1), f"-{int(match.group(2)):02d}"
    if year is None or not 1900 <= int(year) <= 2199:
        raise CellError("dit is geen periode", _PERIOD_FORMS)
    return year + suffix


def period_granularity(period: str) -> str:
    """``jaar``, ``kwartaal`` or ``maand`` for a canonical period.

    >>> [period_granularity(p) for p in ("2026", "2026-Q1", "2026-01")]
    ['jaar', 'kwartaal', 'maand']
    """
    if len(period) == 4:
        return "jaar"
    return "kwartaal" if "Q" in period else "maand"


def parse_code(value: object, code_list: dict[str, str], what: str) -> str | None:
    """Read one code, given as the code or its Dutch label; None when empty.

    ``what`` names the column's kind of value (``partnertype``, ``status``) in the message.

    >>> parse_code("Veilig Thuis", codes.PARTNER_TYPES, "partnertype")
    'veilig_thuis'
    >>> parse_code("Veilig Thuuis", codes.PARTNER_TYPES, "partnertype")
    Traceback (most recent call last):
    ...
    ketendata.intake.problems.CellError: onbekend partnertype
    """
    if _is_empty(value):
        return None
    text = _plain_text(value)
    code = codes.parse_code(text, code_list)
    if code is None:
        raise CellError(_unknown(what), expected_codes(text, code_list))
    return code


_MULTI_SEPARATORS = re.compile(r"[;,|]")


def parse_codes(value: object, code_list: dict[str, str], what: str) -> tuple[str, ...] | None:
    """Read one or more codes separated by ``;``, ``,`` or ``|``: a tuple in the order given,
    without duplicates. None when empty. Unknown parts raise one :class:`CellError` naming them.

    >>> parse_codes("Meldcode Veilig Thuis; schulden|meldcode", codes.AGREEMENT_TYPES, "type")
    ('meldcode', 'schulden')
    """
    if _is_empty(value):
        return None
    parts = [part.strip() for part in _MULTI_SEPARATORS.split(_plain_text(value))]
    result: list[str] = []
    unknown: list[str] = []
    for part in parts:
        if not part:
            continue
        code = codes.parse_code(part, code_list)
        if code is None:
            unknown.append(part)
        elif code not in result:
            result.append(code)
    if unknown:
        names = ", ".join(f"'{shown_value(part)}'" for part in unknown)
        what = _unknown(what) if len(unknown) == 1 else _unknown(what, many=True)
        raise CellError(f"{what}: {names}", expected_codes(unknown[0], code_list))
    return tuple(result) or None


#: The value names of the code columns that take "de" (the others take "het"): "onbekende
#: status" but "onbekend partnertype".
_DE_WORDS = {"status", "fase"}


def _unknown(what: str, many: bool = False) -> str:
    """'onbekend' with the right ending for ``what``.

    >>> _unknown("partnertype"), _unknown("status"), _unknown("afspraaktype", many=True)
    ('onbekend partnertype', 'onbekende status', 'onbekende afspraaktypes')
    """
    if many:
        return f"onbekende {what}{'sen' if what.endswith('s') else 's'}"
    return f"{'onbekende' if what in _DE_WORDS else 'onbekend'} {what}"


#: Code lists longer than this are offered as labels only; shorter ones also show a code where
#: it is not just the label in other spelling.
LONG_CODE_LIST = 8


def code_choice(code: str, label: str) -> str:
    """How a code is offered in a message: its Dutch label from the template's dropdown, with
    the code in brackets when the code is spelled differently.

    >>> code_choice("wijkteam", "Wijkteam / CJG"), code_choice("veilig_thuis", "Veilig Thuis")
    ('Wijkteam / CJG (wijkteam)', 'Veilig Thuis')
    """
    if codes.normalize_token(code) == codes.normalize_token(label):
        return label
    return f"{label} ({code})"


def choice_list(code_list: dict[str, str]) -> str:
    """The values of a code list as a Dutch enumeration, in the template's order.

    >>> choice_list(codes.STATUSES)
    'Schriftelijk, Mondeling, In ontwikkeling of Beëindigd'
    >>> choice_list({"wijkteam": "Wijkteam", "jeugd_ggz": "Jeugd-GGZ", "ggz": "GGZ Volwassenen"})
    'Wijkteam, Jeugd-GGZ of GGZ Volwassenen (ggz)'
    """
    if len(code_list) > LONG_CODE_LIST:
        shown = list(code_list.values())
    else:
        shown = [code_choice(code, label) for code, label in code_list.items()]
    if len(shown) == 1:
        return shown[0]
    return ", ".join(shown[:-1]) + " of " + shown[-1]


def expected_codes(text: str, code_list: dict[str, str]) -> str:
    """What a code cell expects: a guess at what the user meant, then every choice.

    >>> expected_codes("Veilig Thuuis", codes.PARTNER_TYPES)[:48]
    "bedoelt u 'Veilig Thuis'? Anders een van: Vrouwe"
    >>> expected_codes("getekend", codes.STATUSES)
    'een van: Schriftelijk, Mondeling, In ontwikkeling of Beëindigd'
    """
    # Labels first: a guess is shown as the label the dropdown offers, also when the code is
    # the closer spelling.
    label_of = {label: label for label in code_list.values()}
    label_of.update({code: label for code, label in code_list.items()})
    guess = suggest(text, label_of)
    choices = "een van: " + choice_list(code_list)
    if guess is None:
        return choices
    return f"bedoelt u '{label_of[guess]}'? Anders {choices}"
