"""A raw cell as text, whether it is empty, and whether its characters are safe to store: the base
every check of an upload reads cells by.

Text may not carry characters that change what a person sees without being seen themselves:
control characters (NUL and the like) and the bidi overrides, embeddings and isolates that turn
text around (U+202A–U+202E, U+2066–U+2069). A name (organisation, partner, region) may not mix
Latin letters with Cyrillic, Greek or other look-alike letters within one word ("gemengd
schrift"): ``Wоlkendal`` with a Cyrillic ``о`` looks like ``Wolkendal`` but is another name.
"""

from __future__ import annotations

import datetime as dt
import re
import unicodedata

from analysis.codes import INVISIBLE
from ketendata.intake.problems import CellError

__all__ = [
    "FORBIDDEN_CHARACTERS",
    "cell_text",
    "check_name",
    "check_text",
    "describe_character",
    "escape_text",
    "is_empty",
    "mixed_script_words",
]


def cell_text(value: object) -> str:
    """A cell as text: Excel numbers without a needless ``.0``, dates as ``YYYY-MM-DD``.

    >>> cell_text(3.0), cell_text(True), cell_text(dt.date(2026, 3, 31))
    ('3', 'ja', '2026-03-31')
    """
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if isinstance(value, dt.datetime):
        return value.date().isoformat() if value.time() == dt.time() else value.isoformat(" ")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value).strip()


def is_empty(value: object) -> bool:
    """True for a missing cell or one with only spaces.

    >>> is_empty("  "), is_empty(0)
    (True, False)
    """
    return value is None or (isinstance(value, str) and not value.strip())


# --- Characters --------------------------------------------------------------------------------

#: Characters no stored text may hold: control characters other than tab and line breaks, and
#: the bidi embeddings, overrides and isolates.
FORBIDDEN_CHARACTERS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")

_BIDI = frozenset("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")

#: What a message calls a character that :func:`escape_text` shows as a code.
_SHOWN_AS_CODE = re.compile(f"{FORBIDDEN_CHARACTERS.pattern}|{INVISIBLE.pattern}|[\udc80-\udcff]")

#: Scripts whose letters can pass for Latin ones, with their Dutch adjective.
_LOOK_ALIKE_SCRIPTS = {
    "CYRILLIC": "Cyrillische",
    "GREEK": "Griekse",
    "ARMENIAN": "Armeense",
    "COPTIC": "Koptische",
    "CHEROKEE": "Cherokee-",
}


def describe_character(ch: str) -> str:
    """A character as a message names it: its code point.

    >>> describe_character("\\u202e"), describe_character("\\x00"), describe_character("о")
    ('U+202E', 'U+0000', 'U+043E')
    """
    return f"U+{ord(ch):04X}"


def escape_text(text: str, also: str = "") -> str:
    """``text`` with every character a person cannot see (controls, bidi and invisible characters)
    and every character of ``also`` written as its code in brackets; a byte that could not be
    decoded (a surrogate escape) is written as the byte.

    >>> escape_text("abc\\u202edef")
    'abc[U+202E]def'
    >>> escape_text("Wоlkendal", also="о"), escape_text("Financi\\udcebn")
    ('W[U+043E]lkendal', 'Financi[0xEB]n')
    """

    def code(match: re.Match[str]) -> str:
        ch = match.group()
        if "\udc80" <= ch <= "\udcff":
            return f"[0x{ord(ch) - 0xDC00:02X}]"
        return f"[U+{ord(ch):04X}]"

    pattern = _SHOWN_AS_CODE
    if also:
        pattern = re.compile(f"{_SHOWN_AS_CODE.pattern}|[{re.escape(also)}]")
    return pattern.sub(code, text)


def _script(ch: str) -> str | None:
    """``LATIN``, a look-alike script (``CYRILLIC``, ``GREEK``, ...), or None for other letters."""
    name = unicodedata.name(ch, "")
    first = name.split(" ", 1)[0]
    if first == "LATIN" or first in _LOOK_ALIKE_SCRIPTS:
        return first
    return None


def mixed_script_words(text: str) -> list[tuple[str, str]]:
    """The words of ``text`` that mix Latin letters with letters of a look-alike script, each
    with the letters that are not Latin. Judged on what a person sees: invisible characters
    removed and compatibility forms (full-width letters) folded first.

    >>> mixed_script_words("Vrouwenopvang Wоlkendal")  # a Cyrillic о
    [('Wоlkendal', 'о')]
    >>> mixed_script_words("Stichting Ελπίδα Noord"), mixed_script_words("Jeugd-GGZ Financiën")
    ([], [])
    """
    if text.isascii():
        return []
    seen = unicodedata.normalize("NFKC", INVISIBLE.sub("", text))
    found: list[tuple[str, str]] = []
    for word in re.findall(r"[^\W\d_]+(?:[\u0300-\u036f][^\W\d_]*)*", seen):
        scripts = {_script(ch) for ch in word} - {None}
        if "LATIN" in scripts and len(scripts) > 1:
            others = "".join(dict.fromkeys(ch for ch in word if _script(ch) not in (None, "LATIN")))
            found.append((word, others))
    return found


def check_text(text: str) -> None:
    """Refuse text with a control character or a bidi override/embedding/isolate.

    >>> check_text("Veilig Thuis\\tKennemerland\\r\\nregel twee")
    >>> check_text("Opvang \\u202eNoord")
    Traceback (most recent call last):
    ...
    ketendata.intake.problems.CellError: de tekst bevat een teken dat de leesrichting omdraait \
(U+202E); zo ziet de tekst er anders uit dan hij is
    """
    match = FORBIDDEN_CHARACTERS.search(text)
    if match is None:
        return
    ch = match.group()
    expected = (
        "gewone tekst zonder onzichtbare tekens: typ de waarde opnieuw, "
        "of plak haar als tekst zonder opmaak"
    )
    if ch in _BIDI:
        raise CellError(
            f"de tekst bevat een teken dat de leesrichting omdraait ({describe_character(ch)}); "
            "zo ziet de tekst er anders uit dan hij is",
            expected,
        )
    raise CellError(
        f"de tekst bevat een onzichtbaar stuurteken ({describe_character(ch)})", expected
    )


def check_name(text: str) -> None:
    """Refuse a name (organisation, partner, region) that :func:`check_text` refuses, or that
    mixes Latin letters with look-alike letters of another script in one word.

    >>> check_name("Demoregio Wolkendal")
    >>> check_name("Demoregio Wоlkendal")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ketendata.intake.problems.CellError: gemengd schrift: in het woord 'W[U+043E]lkendal' staan ...
    """
    check_text(text)
    mixed = mixed_script_words(text)
    if not mixed:
        return
    word, others = mixed[0]
    scripts = sorted({_LOOK_ALIKE_SCRIPTS[_script(ch) or ""] for ch in others})
    shown = " en ".join(scripts)
    letters = ", ".join(describe_character(ch) for ch in others)
    raise CellError(
        f"gemengd schrift: in het woord '{escape_text(word, also=others)}' staan Latijnse en "
        f"{shown} letters door elkaar; zo lijkt de naam op een andere naam maar is hij het niet",
        f"de naam in gewone Latijnse letters: typ hem opnieuw (de letters {letters} zijn geen "
        "Latijnse letters)",
    )
