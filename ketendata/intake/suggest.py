"""Guess what a user meant by a value Ketenkaart does not know: one fuzzy matcher for every
"bedoelt u ...?" (codes and labels, region names, later the organisation names of the partner
register), so that all of them judge closeness the same way."""

from __future__ import annotations

import re
from collections.abc import Iterable

from rapidfuzz import fuzz, process

from analysis import codes

__all__ = ["SUGGEST_CUTOFF", "suggest"]

#: The lowest rapidfuzz ``WRatio`` score (0-100) that still counts as a near miss. Chosen on
#: the code lists and region names: 'Veilig Thuuis' scores 96, 'poltie' 92, 'Wolkendal' against
#: 'Demoregio Wolkendal' 90, while 'Regio Nieuwland' against 'Regio Zuid' scores 86 (no guess).
SUGGEST_CUTOFF = 88.0

_NOT_A_LETTER_OR_DIGIT = re.compile(r"[^0-9a-z]+")


def _fold(text: object) -> str:
    """The form in which two spellings are compared: no case, no accents, punctuation as space.

    >>> _fold(" Wijkteam / CJG "), _fold("veilig_thuis"), _fold("Financiën")
    ('wijkteam cjg', 'veilig thuis', 'financien')
    """
    plain = codes.strip_diacritics(str(text)).casefold()
    return " ".join(_NOT_A_LETTER_OR_DIGIT.sub(" ", plain).split())


def suggest(text: str, candidates: Iterable[str], *, cutoff: float = SUGGEST_CUTOFF) -> str | None:
    """The candidate the user most likely meant by ``text``, or None when none is close enough
    or two different candidates are equally close (then a guess would mislead).

    Candidates that are the same after folding case, accents and punctuation count once (the
    first one given is returned), so a code list may offer each label and its code.

    >>> labels = ["Vrouwenopvang", "Veilig Thuis", "Wijkteam / CJG", "veilig_thuis"]
    >>> suggest("Veilig Thuuis", labels), suggest("Wijkteam CJG", labels)
    ('Veilig Thuis', 'Wijkteam / CJG')
    >>> suggest("bakker", labels) is None
    True
    >>> suggest("opvang", ["Vrouwenopvang", "Maatschappelijke opvang"]) is None  # a tie
    True
    """
    key = _fold(text)
    if not key:
        return None
    by_key: dict[str, str] = {}
    for candidate in candidates:
        by_key.setdefault(_fold(candidate), candidate)
    by_key.pop("", None)
    best = process.extract(
        key, list(by_key), scorer=fuzz.WRatio, processor=None, limit=2, score_cutoff=cutoff
    )
    if not best or (len(best) == 2 and best[1][1] == best[0][1]):
        return None
    return by_key[best[0][0]]
