"""The personal-data guard: Ketenkaart stores no data about clients, so a text that looks like a
BSN, an e-mail address, a phone number, a postcode with house number (or a street address), an
IBAN or a birth date next to a name is refused, and shown masked in every message.

The guard first normalises what it judges (:func:`normalise_for_check`): Unicode NFKC, invisible
and format characters removed, every separator a person types between digits made one of
``space . - /``. So ``111‑222‑333``, ``06–12345678``, ``06/12345678``, ``jan＠example.nl`` or digits
with zero-width spaces between them are the same as their plain forms. A name with an age
(``Sanne (7)``) is not refused but warned about (:func:`find_name_with_age`).
The BSN eleven-test and the IBAN checksum come from python-stdnum.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Iterator

from stdnum import iban as _iban
from stdnum.nl import bsn as _bsn

from ketendata.intake.cells import cell_text as _plain_text
from ketendata.intake.problems import ECHO_LENGTH

__all__ = [
    "find_name_with_age",
    "find_personal",
    "find_personal_data",
    "has_personal_signs",
    "mask",
    "normalise_for_check",
    "passes_eleven_test",
    "safe_file_name",
    "shown_value",
]

# --- Normalising before judging ----------------------------------------------------------------

#: Characters a person (or a program) puts between digits, by what the guard reads them as.
#: Everything Unicode calls a dash (category Pd) also reads as ``-``; every space as `` ``.
_LOOK_ALIKES = {
    "-": "\u2010\u2011\u2012\u2013\u2014\u2015\u2043\u2212\u02d7\u2796\ufe58\ufe63\uff0d",
    "/": "\u2044\u2215\u29f8\u29f5\uff0f",
    ".": "\u00b7\u2022\u2024\u2027\u2219\u22c5\u30fb\uff0e\uff65\ufe52",
    "@": "\uff20\ufe6b",
}
_READ_AS = {char: plain for plain, chars in _LOOK_ALIKES.items() for char in chars}

#: Letters that show as nothing (Hangul fillers), and the blank braille pattern.
_INVISIBLE_LETTERS = frozenset("\u115f\u1160\u3164\uffa0\u2800")

# ASCII: tabs and line breaks read as a space, other control characters as nothing.
_ASCII_TABLE = {code: " " for code in (9, 10, 11, 12, 13, 28, 29, 30, 31)} | {
    code: None for code in (*range(0, 9), *range(14, 28), 127)
}
_SPACES = re.compile(r" {2,}")


def normalise_for_check(text: str) -> str:
    """``text`` as the guard reads it: NFKC, every digit as an ASCII digit, invisible, format and
    control characters gone, every space one plain space, dashes (and ``_``), slashes (and
    ``\\``), dots and ``@`` look-alikes as their ASCII forms, a letter O or l among digits as
    0 or 1. Other letters and their case are kept.

    >>> normalise_for_check("06\\u201312\\u200b34\\u00a05678")
    '06-1234 5678'
    >>> normalise_for_check("jan\\u200d\\uff20example.nl"), normalise_for_check("O6_1234567l")
    ('jan@example.nl', '06-12345671')
    >>> normalise_for_check("1234\\u202fab\\t\\t5")
    '1234 ab 5'
    """
    return _as_judged(_readable(text))


#: A letter that stands for a digit among digits (``O6-1234567l``): O and o for 0, l and I for 1.
_DIGIT_LOOK_ALIKES = re.compile(r"(?<![^\W\d_])[Oo](?=\d)|(?<=\d)[OoIl](?=[\dOoIl]|\b)")
_AS_DIGIT = {"O": "0", "o": "0", "I": "1", "l": "1"}


def _as_judged(readable: str) -> str:
    """:func:`_readable` text as the patterns read it, character for character (so positions
    stay): ``_`` as ``-``, ``\\`` as ``/``, a letter O or l among digits as the digit."""
    judged = readable.replace("_", "-").replace("\\", "/")
    if "O" in judged or "o" in judged or "l" in judged or "I" in judged:
        while True:  # 1lO: the O is among digits once the l is a 1
            again = _DIGIT_LOOK_ALIKES.sub(lambda m: _AS_DIGIT[m.group()], judged)
            if again == judged:
                break
            judged = again
    return judged


def _readable(text: str) -> str:
    """``text`` with invisible characters gone and look-alike separators and digits plain (the
    first steps of :func:`normalise_for_check`, which keep what a person reads)."""
    if text.isascii():
        plain = text.translate(_ASCII_TABLE)
        return _SPACES.sub(" ", plain) if "  " in plain else plain
    out: list[str] = []
    for char in unicodedata.normalize("NFKC", text):
        if char.isspace():
            out.append(" ")
            continue
        if char < "\x80":
            char = char.translate(_ASCII_TABLE)
            if char:
                out.append(char)
            continue
        category = unicodedata.category(char)
        if category[0] == "C" or char in _INVISIBLE_LETTERS:  # format, control, private, unassigned
            continue
        if char in _READ_AS:
            out.append(_READ_AS[char])
        elif category == "Nd":
            out.append(str(unicodedata.decimal(char)))
        elif category[0] == "Z":
            out.append(" ")
        elif category == "Pd":
            out.append("-")
        elif category in ("Mn", "Me") and (
            "\ufe00" <= char <= "\ufe0f" or not out or not out[-1].isalpha()
        ):
            continue  # a variation selector, or a mark on a digit or separator (keycap 1⃣)
        else:
            out.append(char)
    return _SPACES.sub(" ", "".join(out))


# --- Personal data -----------------------------------------------------------------------------

#: Between two digits a person may type a few separators: ``111 222 333``, ``06 - 1234``; a BSN
#: (``_DIGIT_RUN``) is also found with up to eight stacked between two digits (``0 .-/_10000008``).
_GAP = r"[ .\-/]{0,4}"
_DIGIT_RUN = re.compile(r"(?<!\d)\d+(?:[ .\-/]{1,8}\d+)*")
_DIGIT_GROUP = re.compile(r"\d+")

#: An e-mail address, also written ``jan (at) example (dot) nl``.
_DOT = r"(?: ?\. ?| ?[(\[]dot[)\]] ?)"
_EMAIL = re.compile(
    rf"[\w.%+\-']*\w ?(?:@|\(at\)|\[at\]) ?\w[\w\-]*(?:{_DOT}[\w\-]+)*{_DOT}[^\W\d_]{{2,}}(?!\w)",
    re.IGNORECASE,
)
# A phone number may follow a word (``tel06-12345678``) but not a code in capitals
# (``ABNA0417164301``, the bank and account of an IBAN).
_PHONE = re.compile(
    rf"(?<![\dA-Z+])(?:(?:\+|00){_GAP}31{_GAP}(?:\(0\){_GAP}|0{_GAP})?|\(?0)"
    r"(?P<nsn>[1-9](?:[ .\-/)]{0,4}\d){8})(?!\d)"
)
#: A number in the international form of another country (``+32 470 12 34 56``).
_FOREIGN_PHONE = re.compile(r"(?<![\w+])\+ ?[1-9]\d{0,2}(?:[ .\-/()]{0,4}\d){7,13}(?!\d)")
_SERVICE_PHONE = re.compile(rf"(?<![\dA-Z+])0[89]0[069]{_GAP}\d(?:{_GAP}\d){{3,6}}(?!\d)")
#: A date such as ``06-03-2015`` that would otherwise read as a mobile number (06...).
_DATE_START = re.compile(r"\d{2}([.\-/ ])\d{2}\1(?:19|20)\d{2}(?!\d)")

_POSTCODE = re.compile(
    r"(?<!\w)[1-9]\d{3}[ \-]?(?P<letters>[A-Za-z]{2})(?![^\W\d_])[ ,.\-/:]{0,4}"
    r"(?:(?:huis)?(?:nummer|nr)\.?[ :]{0,2})?\d{1,5}(?!\d)",
    re.IGNORECASE,
)
#: A house number before a postcode, as an address is written: ``Kerkstraat 12, 1234 AB``.
_NUMBER_POSTCODE = re.compile(
    r"(?<![\w.,])\d{1,5}(?: ?[a-zA-Z]{1,2}\b| ?- ?\d{1,4})?,? ?[1-9]\d{3} ?[A-Z]{2}(?![^\W\d_])"
)
_PO_BOX = re.compile(r"(?:postbus|antwoordnummer)[ .:]*$", re.IGNORECASE)
#: Two-letter words that follow a number in ordinary text (``2019 en 2024``): no postcode
#: letters when written in lower case.
_NOT_POSTCODE_LETTERS = frozenset(
    "en of tm to ca is in op te om na al nu ja ze we zo er de km cm mm kg st nr eu ct ha ok pp "  # noqa: SIM905
    "wk jr mn mr uu dd kw ma di wo do vr za zn pm am".split()
)
_STREET = re.compile(
    r"\b[A-Za-z][a-zà-ÿ'\-]{2,}(?:straat|laan|weg|gracht|kade|singel|dijk|dreef|steeg)"
    r" \d{1,4}(?: ?[a-zA-Z]\b| ?- ?\d{1,4})?(?![\d.,]\d)"
)
_STREET_SIGN = re.compile(r"(?:straat|laan|weg|gracht|kade|singel|dijk|dreef|steeg) \d")
#: Words ending like a street that are no street (``Gerechtshof 2``, ``overweg 3 opties``).
_NOT_STREETS = frozenset(
    "gerechtshof kerkhof overweg halverweg onderweg uitweg omweg zijweg schoolplein".split()  # noqa: SIM905
)

#: An IBAN starts with a country code and two check digits; separators may stand anywhere.
_IBAN_START = re.compile(r"(?<![A-Za-z0-9])(?=[A-Za-z]{2}[ .\-/]{0,2}\d{2})")
_IBAN_CHAR = re.compile(r"[A-Za-z0-9]")

_PERSONAL_KINDS = {
    "address": "een adres met huisnummer",
    "birthdate": "een geboortedatum",
    "bsn": "een BSN",
    "email": "een e-mailadres",
    "iban": "een IBAN-rekeningnummer",
    "phone": "een telefoonnummer",
    "postcode": "een postcode met huisnummer",
}


def passes_eleven_test(digits: str) -> bool:
    """The BSN eleven-test (python-stdnum): nine digits, weights 9..2 and -1, the sum divisible
    by 11, and not all zeros.

    >>> passes_eleven_test("111222333")
    True
    >>> passes_eleven_test("123456789"), passes_eleven_test("000000000")
    (False, False)
    """
    return len(digits) == 9 and digits.isascii() and digits.isdigit() and _bsn.is_valid(digits)


#: Commas separate too many counts (``12, 15, 3``) to join digit groups; only the thousands
#: form ``111,222,333`` is read as one number.
_COMMA_GROUPED = re.compile(r"(?<![\d,])\d{3},\d{3},\d{3}(?![\d,])")


def _bsn_spans(text: str) -> Iterator[tuple[int, int]]:
    """Nine digits in a run of digit groups (``111-222-333``, ``1112 22 333``) that pass."""
    if "," in text:
        for match in _COMMA_GROUPED.finditer(text):
            if passes_eleven_test(match.group().replace(",", "")):
                yield match.span()
    for run in _DIGIT_RUN.finditer(text):
        groups = [(m.start(), m.end()) for m in _DIGIT_GROUP.finditer(run.group())]
        base = run.start()
        for first in range(len(groups)):
            digits = ""
            for last in range(first, len(groups)):
                start, end = groups[last]
                digits += run.group()[start:end]
                if len(digits) >= 9:
                    break
            if len(digits) == 9 and passes_eleven_test(digits):
                yield base + groups[first][0], base + groups[last][1]


def _phone_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _PHONE.finditer(text):
        nsn = match.group("nsn")
        # an area code has two or three digits; only mobile numbers start with one (06)
        if not (nsn[1].isdigit() or nsn[0] == "6"):
            continue
        if nsn[0] == "6" and _DATE_START.match(text, match.start()):
            continue  # 06-03-2015 12: a date and a number, not a phone number
        yield match.span()
    for match in _SERVICE_PHONE.finditer(text):
        yield match.span()
    if "+" in text:
        for match in _FOREIGN_PHONE.finditer(text):
            yield match.span()


def _postcode_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _POSTCODE.finditer(text):
        letters = match.group("letters")
        if not letters.isupper() and letters.lower() in _NOT_POSTCODE_LETTERS:
            continue
        if letters.upper() in ("KW", "WK") and match.group()[:2] in ("19", "20"):
            continue  # 2026 KW3, 2026 WK 12: a quarter or a week of a year
        yield match.span()
    for match in _NUMBER_POSTCODE.finditer(text):
        if _PO_BOX.search(text, 0, match.start()):
            continue  # Postbus 1234, 1000 AB: the box of an organisation
        yield match.span()


def _street_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _STREET.finditer(text):
        if match.group().split(" ")[0].lower() not in _NOT_STREETS:
            yield match.span()


def _iban_spans(text: str) -> Iterator[tuple[int, int]]:
    for start in _IBAN_START.finditer(text):
        position, chars, ends = start.start(), [], []
        while position < len(text) and len(chars) < 34:
            match = _IBAN_CHAR.match(text, position)
            if match is None:
                gap = re.match(r"[ .\-/]{1,2}(?=[A-Za-z0-9])", text[position : position + 3])
                if gap is None:
                    break
                position += gap.end()
                continue
            chars.append(match.group().upper())
            position += 1
            ends.append(position)
        for length in range(len(chars), 14, -1):
            if _iban.is_valid("".join(chars[:length])):
                yield start.start(), ends[length - 1]
                break


def _email_spans(text: str) -> Iterator[tuple[int, int]]:
    for match in _EMAIL.finditer(text):
        yield match.span()


def _digit_count(text: str) -> int:
    return sum(map(text.count, "0123456789"))


def _has_at_sign(text: str) -> bool:
    if "@" in text:
        return True
    lower = text.lower()
    return "(at)" in lower or "[at]" in lower


def _spans(text: str) -> Iterator[tuple[int, int, str]]:
    """Every fragment of the normalised ``text`` that looks like personal data.

    Each kind is only looked for when the text has enough digits for it (a BSN nine, a phone
    number eight, a postcode with house number five, an IBAN two) or its sign (``@``).
    """
    digits = _digit_count(text)
    if digits >= 9:
        yield from _tagged("bsn", _bsn_spans(text))
    if _has_at_sign(text):
        yield from _tagged("email", _email_spans(text))
    if digits >= 8:
        yield from _tagged("phone", _phone_spans(text))
    if digits >= 5:
        yield from _tagged("postcode", _postcode_spans(text))
    if digits and _STREET_SIGN.search(text):
        yield from _tagged("address", _street_spans(text))
    if digits >= 2:
        yield from _tagged("iban", _iban_spans(text))
    if digits:
        yield from _tagged("birthdate", _birth_date_spans(text))


def _tagged(kind: str, spans: Iterable[tuple[int, int]]) -> Iterator[tuple[int, int, str]]:
    for start, end in spans:
        yield start, end, kind


def _personal_matches(text: str) -> Iterable[tuple[int, str, str]]:
    """(position, kind, fragment) of every personal-data fragment of ``text`` as normalised."""
    normalised = normalise_for_check(text)
    for start, end, kind in _spans(normalised):
        yield start, kind, normalised[start:end]


# --- Birth dates and names ---------------------------------------------------------------------

_MONTH_NAMES = (
    "januari|februari|maart|april|mei|juni|juli|augustus|september|oktober|november|december"
    "|jan|feb|febr|mrt|mar|apr|jun|jul|aug|sep|sept|okt|nov|dec"
)
_DAY = r"(?:0?[1-9]|[12]\d|3[01])"
_MONTH = r"(?:0?[1-9]|1[0-2])"
_DATE = re.compile(
    rf"(?<!\d)(?<!\d[.\-/])(?:{_DAY}[ .\-/]{{1,3}}{_MONTH}[ .\-/]{{1,3}}"
    rf"(?:(?:19|20)\d{{2}}|\d{{2}})"
    rf"|(?:19|20)\d{{2}}[.\-/]{_MONTH}[.\-/]{_DAY}"
    rf"|{_DAY}(?:e|ste|de)? ?(?:{_MONTH_NAMES})\b\.?(?: ?(?:19|20)?\d{{2}}(?!\d))?)(?![\w])",
    re.IGNORECASE,
)
#: What a date needs: two numbers with a separator, a number and a month, or a birth year.
_DATE_SIGN = re.compile(
    rf"\d[ .\-/]{{1,3}}\d|\d ?(?:e|ste|de)? ?(?:{_MONTH_NAMES})|geb", re.IGNORECASE
)
#: Words that say a date is a birth date, before it or just after it.
_BIRTH_WORD = re.compile(
    r"\b(?:geboren|geboortedatum|geboortedag|geboortejaar|geb ?\. ?datum|gebdat|verjaardag"
    r"|verjaart|jarig op|d\.o\.b|dob|born|birthday)\b",
    re.IGNORECASE,
)
#: ``geb.`` abbreviates more than ``geboren`` (``geb. A``): only directly before a date.
_GEB_BEFORE = re.compile(r"\bgeb\b ?\.? ?[:,]? ?\(?$", re.IGNORECASE)
_BIRTH_YEAR = re.compile(
    r"\b(?:geboren|geb\.?|geboortejaar)[ :,]*(?:in |op |\()? ?(?:19|20)\d{2}(?!\d)", re.IGNORECASE
)

#: First names common among children and parents in the Netherlands: a capitalised one is
#: name-like. (Names that are also ordinary words, like Mei, Juni or Roos, are left out.)
_FIRST_NAMES = frozenset(
    """
    Aaliyah Aaron Adam Adriaan Ahmed Aisha Alexander Ali Amber Amina Amir Amira Amy Anna Anne
    Annemarie Anouk Arjen Aya Ayoub Ayse Bart Bas Bente Bilal Bo Boaz Bram Brenda Britt Casper
    Charlotte Chloe Daan Daniel David Demi Dewi Dex Dirk Dylan Elif Elin Eline Elise Ella Emma
    Emre Esmee Esra Eva Evi Fabian Fatima Fatma Fenna Femke Fien Finn Fleur Floris Freek Gerrit
    Gijs Guus Hamza Hanna Hannah Hans Hasan Hatice Hendrik Henk Hidde Hugo Ibrahim Ilias Ilse
    Imane Inge Ingrid Ines Isa Isabel Isabella Ivy Jacob Jan Jasper Jayden Jens Jesse Jeroen Joep
    Johan Jonas Joost Jordy Julia Julian Jurre Kai Karin Kees Kerem Kevin Khadija Kim Koen Lana
    Lara Lars Laura Lauren Lea Leon Levi Liam Lieke Lina Linda Lisa Liv Lois Lotte Luca Lucas
    Luuk Maaike Mark Marieke Marloes Mats Max Maud Maya Mees Mehmet Meryem Mia Michael Mick Milan
    Mila Mohamed Mohammed Monique Mustafa Naomi Nadia Niels Nina Noah Noa Noor Nora Nour Olivia
    Omar Owen Pepijn Peter Petra Piet Pieter Priya Quinten Rachid Rayan Rick Robin Romy Rosa Ruben
    Ryan Saar Safae Salma Sam Samira Sandra Sanne Sara Sarah Sem Senna Sevda Siem Sofia Sophie
    Stijn Sven Tess Teun Thijs Thomas Ties Tijn Tim Tom Vera Wessel Willem Wouter Yara Yasmin
    Yasmina Youssef Yusuf Zara Zeynep Zoe Zoey Zoë Chloë Esmée Anaïs Loïs Noël Daniël Michaël
    Raphaël Joël Ayşe Büşra Eliën Thijmen Jaïr
    """.split()  # noqa: SIM905 (word lists read better as text)
)
_FIRST_NAME = re.compile(r"\b(?:" + "|".join(sorted(_FIRST_NAMES)) + r")\b")
#: Words for a child or a client as a person (``dochter``, ``zoontje``, ``cliënt``).
_PERSON_WORD = re.compile(
    r"\b(?:zoon|zoontje|dochter|dochtertje|kind|kindje|baby|broer|broertje|zus|zusje|jongen"
    r"|jongetje|meisje|pleegkind|pleegzoon|pleegdochter|moeder|vader|cliënte?|cliente?"
    r"|bewoonster|bewoner)\b",
    re.IGNORECASE,
)
#: A title before a surname (``mevr. Jansen``, ``dhr. De Vries``); ``mw`` alone is also short
#: for maatschappelijk werk, so it needs its dot.
_TITLE = re.compile(
    r"\b(?:mevrouw|meneer|mevr\.?|dhr\.?|de heer|mw\.) ?(?=(?-i:[A-Z]))", re.IGNORECASE
)
#: Initials before a surname (``J. de Vries``, ``A.B. Jansen``).
_INITIALS = re.compile(
    r"\b(?:[A-Z]\. ?){1,3}(?:(?:van|de|der|den|ter|ten|te|v\.d\.) )*[A-Z][a-zà-ÿ]+"
)
#: A first name that is part of an organisation's name (``Anne Frankschool``, ``Emma
#: Kinderziekenhuis``, ``Pieter Baan Centrum``) is no person.
_NAMED_AFTER = re.compile(
    r"(?:school|college|lyceum|centrum|huis|kliniek|stichting|fonds|instituut|academie|hof"
    r"|kerk|zorg|groep|campus)\b",
    re.IGNORECASE,
)
_SENTENCE_END = re.compile(r"[.;!?] ")
_WORD = re.compile(r"[^\W\d_]+")

#: How a name-like word may stand before a date: the pattern, how many words may come between
#: (a surname after a first name or title), and whether it can be part of an organisation name.
_NAME_LIKE = (
    (_FIRST_NAME, 3, True),
    (_TITLE, 3, False),
    (_INITIALS, 1, False),
    (_PERSON_WORD, 0, False),
)


def _name_like_before(text: str, end: int) -> bool:
    """A name-like word ends shortly before ``end``: a first name or a title (a surname of up to
    three words may follow), initials with a surname, or a word for a child or client right
    before it."""
    window = text[max(0, end - 40) : end]
    for pattern, words_between, may_be_organisation in _NAME_LIKE:
        for match in pattern.finditer(window):
            between = window[match.end() :]
            if _SENTENCE_END.search(between) or len(_WORD.findall(between)) > words_between:
                continue
            if may_be_organisation and _NAMED_AFTER.search(between):
                continue
            return True
    return False


def _name_like_after(text: str, start: int) -> bool:
    """A first name, title or initials right after ``start`` (``12-03-2015 (Sanne)``)."""
    window = text[start : start + 30]
    rest = window[re.match(r"[ ,:;()\-]*", window).end() :]
    name = _FIRST_NAME.match(rest)
    if name is not None and not _NAMED_AFTER.match(rest[name.end() :].lstrip()):
        return True
    return bool(_TITLE.match(rest) or _INITIALS.match(rest))


def _birth_date_spans(text: str) -> Iterator[tuple[int, int]]:
    """Dates (``12-03-2015``, ``12 maart 2015``, ``geb. 12/3/15``) with a birth word or a
    name-like word next to them, and birth years after a birth word (``geboren in 2015``)."""
    if _DATE_SIGN.search(text) is None:
        return
    for match in _DATE.finditer(text):
        start, end = match.span()
        before = text[max(0, start - 40) : start]
        after = text[end : end + 20]
        if (
            _BIRTH_WORD.search(before)
            or _BIRTH_WORD.match(after.lstrip(" ,:;()-"))
            or _GEB_BEFORE.search(before)
            or _name_like_before(text, start)
            or _name_like_after(text, end)
        ):
            yield start, end
    if "geb" in text.lower():
        for match in _BIRTH_YEAR.finditer(text):
            yield match.span()


#: An age after a name: ``(7)``, ``(7 jaar)``, ``, 8 jaar``, ``8 jr``, ``van 12``,
#: ``is 7 jaar``.
_AGE_AFTER_NAME = re.compile(
    r" ?(?:\( ?\d{1,2} ?(?:jaar|jr\.?|j\.?)? ?\)"
    r"|[,:\-]? ?\d{1,2} ?(?:jaar|jr|j)\b\.?"
    r"|van \d{1,2}(?: ?(?:jaar|jr)\b)?"
    r"|(?:is|wordt|werd) \d{1,2} ?(?:jaar|jr)\b)"
)
#: What every age above needs.
_AGE_SIGN = re.compile(r"\d ?\)|\d ?(?:jaar|jr|j)\b|van \d|\d ?-? ?jarig", re.IGNORECASE)
#: An age before a name: ``7-jarige Sanne``, ``8-jarig meisje``.
_AGE_BEFORE_NAME = re.compile(r"\b\d{1,2} ?-? ?jarige? (?:[^\W\d_]+ )?$", re.IGNORECASE)
#: ``ieder kind van 4``, ``een kind van 4 jaar``: about children in general.
_GENERAL = re.compile(r"\b(?:elk|elke|ieder|iedere|alle|een|geen|per|zo'n) $", re.IGNORECASE)
#: ``kind van 4 tot 12 jaar``, ``van 4 jaar en ouder``: an age range, no one's age.
_RANGE_AFTER = re.compile(r" ?(?:en|of|tot|t/m|-|à) ?(?:\d|ouder|jonger)", re.IGNORECASE)


def find_name_with_age(text: str) -> str | None:
    """The fragment of ``text`` (as normalised) that reads as a person's name with an age.

    Not refused but warned about: the words alone do not tell a client's child from a made-up
    example, and the uploader can tell.

    >>> find_name_with_age("Sanne (7) wacht op een school")
    'Sanne (7)'
    >>> find_name_with_age("Jan, 8 jaar"), find_name_with_age("gesprek over zoon van 12")
    ('Jan, 8 jaar', 'zoon van 12')
    >>> find_name_with_age("Team 3 (12 fte)") is None, find_name_with_age("elk kind van 4") is None
    (True, True)
    """
    text = normalise_for_check(str(text))
    if _AGE_SIGN.search(text) is None:  # cheap: most text holds no age at all
        return None
    for pattern in (_FIRST_NAME, _PERSON_WORD):
        for name in pattern.finditer(text):
            if pattern is _PERSON_WORD and _GENERAL.search(text, 0, name.start()):
                continue
            age = _AGE_AFTER_NAME.match(text, name.end())
            if age is not None and not _RANGE_AFTER.match(text, age.end()):
                return text[name.start() : age.end()]
            before = _AGE_BEFORE_NAME.search(text, 0, name.start())
            if before is not None and not _GENERAL.search(text, 0, before.start()):
                return text[before.start() : name.end()]
    return None


# --- The guard ---------------------------------------------------------------------------------

#: What the personal-data patterns other than an e-mail address, a BSN and a phone number need
#: (in normalised text, with at least one digit): four digits then a digit (a postcode and its
#: house number, or the other way round), a date, a street with a number, an IBAN's start, or
#: a birth word.
_OTHER_SIGNS = re.compile(
    r"\d{4}\D+\d|\d\D+\d{4}|\d{5} ?[a-z]{2}"  # the last: a house number run into a postcode
    r"|\d{1,2}[ .\-/]{1,3}\d{1,2}[ .\-/]{1,3}\d\d"
    rf"|\d ?(?:e|ste|de)? ?(?:{_MONTH_NAMES})"
    r"|(?:straat|laan|weg|gracht|kade|singel|dijk|dreef|steeg) \d"
    r"|[A-Za-z]{2}[ .\-/]{0,2}\d{2}(?:[ .\-/]{0,2}[A-Za-z0-9]){11}"
    r"|\bgeb(?:\b|oren|oorte)",
    re.IGNORECASE,
)


def _has_signs(normalised: str) -> bool:
    """What every personal-data pattern needs: an ``@`` (or ``(at)``), or a digit and then
    eight digits or more (a BSN or a phone number has nine, a service number eight) or one of
    :data:`_OTHER_SIGNS`."""
    if _has_at_sign(normalised):
        return True
    digits = _digit_count(normalised)
    if digits == 0:
        return False
    return digits >= 8 or _OTHER_SIGNS.search(normalised) is not None


def has_personal_signs(text: str) -> bool:
    """False when ``text`` cannot hold personal data: a cheap test before the patterns.

    >>> has_personal_signs("Veilig Thuis Noord"), has_personal_signs("mail jan@x.nl")
    (False, True)
    """
    return _has_signs(normalise_for_check(text))


def find_personal(text: str) -> tuple[str, str] | None:
    """The first fragment of ``text`` that looks like personal data: (what it is, fragment as
    normalised).

    >>> find_personal("bel 06-12345678")
    ('een telefoonnummer', '06-12345678')
    >>> find_personal("bel 06\\u201312345678")
    ('een telefoonnummer', '06-12345678')
    >>> [find_personal(text) for text in ("R01 Gemeente 007", "CONV-1234", "A01412")]
    [None, None, None]
    """
    normalised = normalise_for_check(str(text))
    if not _has_signs(normalised):  # cheap: most text cannot match any pattern
        return None
    # the first fragment; of two at one place the longer (a phone number holding nine digits
    # that pass the eleven-test is a phone number)
    found = min(_spans(normalised), key=lambda span: (span[0], -span[1], span[2]), default=None)
    if found is None:
        return None
    start, end, kind = found
    return _PERSONAL_KINDS[kind], normalised[start:end]


def mask(fragment: str) -> str:
    """Keep the first four characters (at most half of them), replace the rest by ``*``.

    >>> mask("111222333"), mask("12/3/15")
    ('1112*****', '12/****')
    """
    keep = min(4, len(fragment) // 2)
    return fragment[:keep] + "*" * (len(fragment) - keep)


def find_personal_data(text: str) -> str | None:
    """The masked fragment when ``text`` looks like personal data, else None.

    Looks for a 9-digit number passing the BSN eleven-test, an e-mail address, a Dutch phone
    number, a postcode with a house number or a street address, an IBAN and a birth date next
    to a name or a birth word, after normalising (:func:`normalise_for_check`).

    >>> find_personal_data("BSN 111222333")
    '1112*****'
    >>> find_personal_data("mail j.jansen@example.nl")
    'j.ja***************'
    >>> find_personal_data("Woont op 1234 AB 12")
    '1234******'
    >>> find_personal_data("+31 6 12345678")
    '+31 **********'
    >>> find_personal_data("rekening NL91 ABNA 0417 1643 00")
    'NL91******************'
    >>> find_personal_data("Sanne, geb. 12-03-2015")
    '12-0******'
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


def safe_file_name(name: str) -> str:
    """``name`` as it may be stored and shown: invisible and control characters removed (as
    the guard normalises) and every fragment that looks like personal data, or like a name with
    an age, masked as in messages (``_`` separates, as everywhere). A name without such a
    fragment comes back unchanged, apart from invisible characters and look-alikes of spaces,
    dashes and digits.

    >>> safe_file_name("inventaris_BSN_111222333.xlsx")
    'inventaris_BSN_1112*****.xlsx'
    >>> safe_file_name("afspraken jan.jansen@example.nl 2026.csv")
    'afspraken jan.***************** 2026.csv'
    >>> safe_file_name("Afspraken Noord 2026-Q3.xlsx")
    'Afspraken Noord 2026-Q3.xlsx'
    """
    shown = _readable(str(name)).strip()
    stem, dot, extension = shown.rpartition(".")
    if dot and stem and extension.isalnum() and len(extension) <= 5:
        return _masked_name(stem) + dot + extension
    return _masked_name(shown)


def _masked_name(shown: str) -> str:
    """A normalised name (without its extension) with its personal-data fragments masked."""
    for _ in range(5):  # masking leaves no new match; the bound only guards against surprises
        judged = _as_judged(shown)
        spans = sorted((start, end) for start, end, _kind in _spans(judged))
        age = find_name_with_age(judged)
        if age is not None:
            at = judged.find(age)
            spans.append((at, at + len(age)))
        if not spans:
            return shown
        for start, end in _merged(spans)[::-1]:
            shown = shown[:start] + mask(shown[start:end]) + shown[end:]
    return re.sub(r"[\d@]", "*", shown)


def _merged(spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Overlapping spans as one, in order.

    >>> _merged([(5, 9), (0, 3), (2, 4)])
    [(0, 4), (5, 9)]
    """
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            merged[-1] = (merged[-1][0], max(merged[-1][1], end))
        else:
            merged.append((start, end))
    return merged
