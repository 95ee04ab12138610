"""The personal-data guard: Ketenkaart stores no data about clients, so a text that looks like a
BSN, an e-mail address, a phone number or a postcode with house number is refused, and shown
masked in every message."""

from __future__ import annotations

import re
from collections.abc import Iterable

from ketendata.intake.cells import cell_text as _plain_text
from ketendata.intake.problems import ECHO_LENGTH

__all__ = [
    "find_personal",
    "find_personal_data",
    "mask",
    "passes_eleven_test",
    "shown_value",
]

# --- Personal data -----------------------------------------------------------------------------

_BSN = re.compile(r"(?<!\d)(?:\d{9}|\d{4}\.\d{2}\.\d{3}|\d{3}[ .]\d{3}[ .]\d{3})(?!\d)")
_EMAIL = re.compile(r"[\w.%+-]+@[\w-]+(?:\.[\w-]+)*\.[A-Za-z]{2,}")
_PHONE_PREFIX = r"(?:(?:\+|00)\s?31[\s-]*(?:\(0\)[\s-]*)?|\(?0)"
_PHONE = re.compile(rf"(?<![\w+]){_PHONE_PREFIX}(?P<nsn>\d(?:[\s\-.)]{{0,3}}\d){{8}})(?!\d)")
_SERVICE_PHONE = re.compile(r"(?<![\w+])0[89]0[069][\s-]{0,3}\d(?:[\s-]{0,2}\d){3,6}(?!\d)")
_POSTCODE = re.compile(r"(?<!\w)[1-9]\d{3}(?:\s?[A-Z]{2}|[a-z]{2})(?!\w)[\s,]+\d{1,5}(?!\d)")

_PERSONAL_KINDS = {
    "bsn": "een BSN",
    "email": "een e-mailadres",
    "phone": "een telefoonnummer",
    "postcode": "een postcode met huisnummer",
}


def passes_eleven_test(digits: str) -> bool:
    """The BSN eleven-test: weights 9..2 and -1, the sum divisible by 11 (and not all zeros).

    >>> passes_eleven_test("111222333")
    True
    >>> passes_eleven_test("123456789")
    False
    """
    if len(digits) != 9 or not digits.isdigit() or set(digits) == {"0"}:
        return False
    weights = (9, 8, 7, 6, 5, 4, 3, 2, -1)
    return sum(int(d) * w for d, w in zip(digits, weights, strict=True)) % 11 == 0


def _personal_matches(text: str) -> Iterable[tuple[int, str, str]]:
    for match in _BSN.finditer(text):
        if passes_eleven_test(re.sub(r"\D", "", match.group())):
            yield match.start(), "bsn", match.group()
    for match in _EMAIL.finditer(text):
        yield match.start(), "email", match.group()
    for match in _PHONE.finditer(text):
        nsn = match.group("nsn")
        # an area code has two or three digits; only mobile numbers start with one (06)
        if nsn[1].isdigit() or nsn[0] == "6":
            yield match.start(), "phone", match.group()
    for match in _SERVICE_PHONE.finditer(text):
        yield match.start(), "phone", match.group()
    for match in _POSTCODE.finditer(text):
        yield match.start(), "postcode", match.group()


#: What every personal-data pattern needs: an ``@`` (e-mail), eight digits or more (a BSN or a
#: phone number has nine, a service number eight) or four digits in a row, then something else,
#: then a digit (a postcode and its house number).
_MAYBE_PERSONAL = re.compile(r"@|\d(?:\D*\d){7}|\d{4}\D+\d")


def find_personal(text: str) -> tuple[str, str] | None:
    """The first fragment of ``text`` that looks like personal data: (what it is, fragment).

    >>> find_personal("bel 06-12345678")
    ('een telefoonnummer', '06-12345678')
    >>> [find_personal(text) for text in ("R01 Gemeente 007", "CONV-1234", "A01412")]
    [None, None, None]
    """
    text = str(text)
    if _MAYBE_PERSONAL.search(text) is None:  # cheap: most text cannot match any pattern
        return None
    found = min(_personal_matches(text), default=None)
    if found is None:
        return None
    return _PERSONAL_KINDS[found[1]], found[2]


def mask(fragment: str) -> str:
    """Keep the first four characters, replace the rest by ``*``.

    >>> mask("111222333")
    '1112*****'
    """
    return fragment[:4] + "*" * max(len(fragment) - 4, 0)


def find_personal_data(text: str) -> str | None:
    """The masked fragment when ``text`` looks like personal data, else None.

    Looks for a 9-digit number passing the BSN eleven-test, an e-mail address, a Dutch phone
    number or a postcode followed by a house number.

    >>> find_personal_data("BSN 111222333")
    '1112*****'
    >>> find_personal_data("mail j.jansen@example.nl")
    'j.ja***************'
    >>> find_personal_data("Woont op 1234 AB 12")
    '1234******'
    >>> find_personal_data("+31 6 12345678")
    '+31 **********'
    >>> find_personal_data("Veilig Thuis Kennemerland, 12 gezinnen in 2026") is None
    True
    """
    found = find_personal(text)
    return None if found is None else mask(found[1])


def shown_value(value: object) -> str | None:
    """A cell value as an error message repeats it: short, and masked when it looks personal.

    >>> shown_value("x" * 100)[-3:]
    'xx…'
    >>> shown_value(3.0)
    '3'
    """
    if value is None:
        return None
    text = _plain_text(value)
    masked = find_personal_data(text)
    if masked is not None:
        return masked
    return text if len(text) <= ECHO_LENGTH + 10 else text[:ECHO_LENGTH] + "…"
