"""The code lists of the upload formats, with their Dutch labels, and how to read them.

Codes are the contract of ``docs/formats.md``: a file may give the code or its Dutch label,
ignoring case, diacritics and the difference between space, ``-`` and ``_``.
This module is pure (no DuckDB, no Streamlit) so that ``analysis/`` may use it too.
"""

from __future__ import annotations

import re
import unicodedata

__all__ = [
    "AGREEMENT_TYPES",
    "AGREEMENT_TYPE_SOURCES",
    "DOMAINS",
    "DOMAIN_OF_TOPIC",
    "INVISIBLE",
    "KINDS",
    "LEVELS",
    "NORM_SOURCES",
    "PARTNER_TYPES",
    "PHASES",
    "SHELTER_TYPES",
    "STATUSES",
    "TOPICS",
    "TOPICS_BY_DOMAIN",
    "build_lookup",
    "infer_norm_source",
    "label",
    "normalize_name",
    "normalize_token",
    "parse_code",
    "remove_invisible",
    "strip_diacritics",
]

PARTNER_TYPES: dict[str, str] = {
    "vrouwenopvang": "Vrouwenopvang",
    "maatschappelijke_opvang": "Maatschappelijke opvang",
    "veilig_thuis": "Veilig Thuis",
    "politie": "Politie",
    "justitie": "Justitie / OM / reclassering",
    "raad_kinderbescherming": "Raad voor de Kinderbescherming",
    "jeugdbescherming": "Jeugdbescherming (gecertificeerde instelling)",
    "jeugdhulp": "Jeugdhulp / jeugdzorg",
    "jeugd_ggz": "Jeugd-GGZ",
    "ggz": "GGZ",
    "verslavingszorg": "Verslavingszorg",
    "wijkteam": "Wijkteam / CJG",
    "onderwijs": "Onderwijs",
    "kinderopvang": "Kinderopvang / BSO",
    "woningcorporatie": "Woningcorporatie",
    "werk_inkomen": "Werk en inkomen",
    "schuldhulp": "Schuldhulpverlening / bewindvoering",
    "huisarts": "Huisarts",
    "jgz": "Jeugdgezondheidszorg / GGD",
    "gemeente": "Gemeente",
    "overig": "Overig",
}

#: The two shelter types ("opvang").
SHELTER_TYPES: tuple[str, ...] = ("vrouwenopvang", "maatschappelijke_opvang")

AGREEMENT_TYPES: dict[str, str] = {
    "warme_overdracht": "Warme overdracht",
    "informatie_uitwisseling": "Informatie-uitwisseling",
    "veiligheid": "Veiligheid en systeemgrenzen",
    "monitoring_melden": "Monitoring en opnieuw melden",
    "traumabehandeling": "Traumabehandeling",
    "onderwijs": "Onderwijs en schoolplaatsing",
    "verantwoordelijkheden": "Verdeling verantwoordelijkheden en bevoegdheden",
    "meldcode": "Meldcode Veilig Thuis",
    "schulden": "Schulden",
    "vervoer": "Vervoer",
    "regie": "Regie: 1 gezin 1 plan 1 regisseur",
    "nazorg": "Nazorg en vinger aan de pols",
    "huisvesting": "Huisvesting en urgentie",
    "inkomen": "Inkomen en uitkering",
    "wachtlijst_voorrang": "Voorrang bij wachtlijsten",
    "risicotaxatie": "Risicotaxatie",
    "capaciteit": "Bovenregionale capaciteit",
}

#: Where each agreement type comes from (for explanations in the UI and docs).
AGREEMENT_TYPE_SOURCES: dict[str, str] = {
    "warme_overdracht": "norm 4.1",
    "informatie_uitwisseling": "norm 4.2a",
    "veiligheid": "norm 4.2b, 4.2c",
    "monitoring_melden": "norm 4.2d",
    "traumabehandeling": "norm 4.2e, 3.4",
    "onderwijs": "norm 4.2e, 3.3",
    "verantwoordelijkheden": "norm 4.2f, 4.2g",
    "meldcode": "norm 4.3",
    "schulden": "norm 4.4",
    "vervoer": "norm 4.5",
    "regie": "inspectie 2017",
    "nazorg": "inspectie 2017",
    "huisvesting": "inspectie 2017",
    "inkomen": "inspectie 2017",
    "wachtlijst_voorrang": "Valente 2024",
    "risicotaxatie": "norm 1.1, 1.6",
    "capaciteit": "norm 5.1, 5.2",
}

#: The documents a norm number can come from (normenkader.md); the first is the default.
NORM_SOURCES: tuple[str, ...] = ("keurmerk", "normenkader 2019", "inspectie 2017", "valente 2024")


def infer_norm_source(norm: str) -> str:
    """The document a norm reference most likely comes from when the matrix does not say:
    ``inspectie 2017`` and ``valente 2024`` name themselves, 4.5 (transport) exists only in the
    normenkader 2019, every other number is the keurmerk's (normenkader.md: default keurmerk).

    >>> infer_norm_source("4.3"), infer_norm_source("4.5"), infer_norm_source("inspectie 2017")
    ('keurmerk', 'normenkader 2019', 'inspectie 2017')
    """
    text = " ".join(str(norm).split()).lower()
    for source in NORM_SOURCES[1:]:
        if source in text:
            return source
    if text == "4.5":
        return "normenkader 2019"
    return NORM_SOURCES[0]


LEVELS: dict[str, str] = {
    "client": "Cliënt",
    "professioneel": "Professioneel",
    "organisatie": "Organisatie",
    "regio": "Regio",
}

STATUSES: dict[str, str] = {
    "schriftelijk": "Schriftelijk",
    "mondeling": "Mondeling",
    "in_ontwikkeling": "In ontwikkeling",
    "beeindigd": "Beëindigd",
}

PHASES: dict[str, str] = {
    "instroom": "Instroom",
    "doorstroom": "Doorstroom",
    "uitstroom": "Uitstroom",
}

DOMAINS: dict[str, str] = {
    "financien": "Financiën",
    "wachtlijst": "Wachtlijst",
    "wonen": "Wonen",
    "onderwijs": "Onderwijs",
    "veiligheid": "Veiligheid",
    "overig": "Overig",
}

#: Stagnation topics per domain (code -> Dutch label).
TOPICS_BY_DOMAIN: dict[str, dict[str, str]] = {
    "financien": {
        "uitkering": "Uitkering",
        "schulden": "Schulden",
        "bewindvoering": "Bewindvoering",
        "inrichtingskosten": "Inrichtingskosten",
        "woonplaatsbeginsel": "Woonplaatsbeginsel",
    },
    "wachtlijst": {
        "wijkteam": "Wijkteam",
        "ggz": "GGZ",
        "jeugd_ggz": "Jeugd-GGZ",
        "jeugdhulp": "Jeugdhulp",
        "verslavingszorg": "Verslavingszorg",
        "traumabehandeling": "Traumabehandeling",
    },
    "wonen": {
        "urgentie": "Urgentie",
        "woningaanbod": "Woningaanbod",
        "regiobinding": "Regiobinding",
    },
    "onderwijs": {
        "schoolplaatsing": "Schoolplaatsing",
        "leerlingenvervoer": "Leerlingenvervoer",
    },
    "veiligheid": {
        "veilig_thuis": "Veilig Thuis",
        "politie": "Politie",
        "veiligheidsplan": "Veiligheidsplan",
    },
    "overig": {"overig": "Overig"},
}

#: All topics (code -> label); topic codes are unique across domains.
TOPICS: dict[str, str] = {
    code: label for topics in TOPICS_BY_DOMAIN.values() for code, label in topics.items()
}

#: The domain each topic belongs to.
DOMAIN_OF_TOPIC: dict[str, str] = {
    code: domain for domain, topics in TOPICS_BY_DOMAIN.items() for code in topics
}

KINDS: dict[str, str] = {
    "afspraken": "Afspraken (inventarisatie ketenafspraken)",
    "overdrachten": "Overdrachten (per periode)",
    "stagnatie": "Stagnatie (uitvraag)",
}

_SEPARATORS = re.compile(r"[\s\-_]+")


def strip_diacritics(text: str) -> str:
    """Remove accents: ``'Financiën'`` becomes ``'Financien'``.

    >>> strip_diacritics("Geëvalueerd op")
    'Geevalueerd op'
    """
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(ch for ch in decomposed if not unicodedata.combining(ch))


def normalize_token(text: str) -> str:
    """Fold a code, label or header for comparison: case, diacritics, space/``-``/``_``.

    >>> normalize_token(" Veilig-Thuis ") == normalize_token("veilig_thuis")
    True
    >>> normalize_token("Partner type")
    'partnertype'
    """
    return _SEPARATORS.sub("", strip_diacritics(remove_invisible(str(text))).casefold())


#: Characters that show nothing: Unicode's default-ignorable code points (zero-width space and
#: joiners, soft hyphen, word joiner, bidi marks, embeddings, overrides and isolates, BOM,
#: variation selectors, Hangul fillers, tags) and the control characters that are not white space.
INVISIBLE = re.compile(
    "[\u00ad\u034f\u061c\u115f\u1160\u17b4\u17b5\u180b-\u180f\u200b-\u200f"
    "\u202a-\u202e\u2060-\u206f\u3164\ufe00-\ufe0f\ufeff\uffa0\ufff0-\ufff8"
    "\U0001bca0-\U0001bca3\U0001d173-\U0001d17a\U000e0000-\U000e0fff"
    "\x00-\x08\x0e-\x1b\x7f-\x84\x86-\x9f]"
)


def remove_invisible(text: str) -> str:
    """``text`` without the characters that show nothing (:data:`INVISIBLE`).

    >>> remove_invisible("Wolk\u200bendal\u00ad")
    'Wolkendal'
    """
    return INVISIBLE.sub("", text)


def normalize_name(name: str) -> str:
    """The identity of an organisation or region name: what a person sees, not how it is typed.

    Invisible characters are removed, then Unicode NFKC (composed accents, full-width and other
    compatibility forms as their plain letter, every kind of space a space), then the name is
    trimmed, case folded and its inner spaces collapsed. So a look-alike made with a zero-width
    character, a decomposed accent or a no-break space gets the key of the real name.

    >>> normalize_name("  Veilig Thuis   Kennemerland ")
    'veilig thuis kennemerland'
    >>> normalize_name("Wolk\u200bendal") == normalize_name("WOLKENDAL")
    True
    >>> normalize_name("Financie\u0308n") == normalize_name("Financiën")
    True
    """
    text = str(name)
    if text.isascii() and text.isprintable():  # the usual name: nothing to normalise
        return " ".join(text.split()).casefold()
    text = unicodedata.normalize("NFKC", remove_invisible(text))
    # case folding can undo the composition (İ -> i + dot): compose again
    return unicodedata.normalize("NFKC", " ".join(text.split()).casefold())


_LOOKUPS: dict[int, tuple[dict[str, str], dict[str, str]]] = {}


def build_lookup(codes: dict[str, str]) -> dict[str, str]:
    """Map every accepted spelling (code or Dutch label, normalized) to its code.

    The code lists are module constants, so the lookup is built once per list.
    """
    cached = _LOOKUPS.get(id(codes))
    if cached is not None and cached[0] is codes:
        return cached[1]
    lookup: dict[str, str] = {}
    for code, text in codes.items():
        lookup[normalize_token(code)] = code
        lookup[normalize_token(text)] = code
    _LOOKUPS[id(codes)] = (codes, lookup)
    return lookup


def parse_code(value: str, codes: dict[str, str]) -> str | None:
    """Return the code for a code or Dutch label, or None when it is not one of ``codes``.

    >>> parse_code("Financiën", DOMAINS)
    'financien'
    >>> parse_code("In ontwikkeling", STATUSES)
    'in_ontwikkeling'
    >>> parse_code("onbekend", STATUSES) is None
    True
    """
    return build_lookup(codes).get(normalize_token(value))


def label(code: str | None, codes: dict[str, str] | None = None) -> str:
    """The Dutch label of a code from any list (or ``codes``); the code itself if unknown."""
    if code is None:
        return ""
    if codes is not None:
        return codes.get(code, code)
    for table in (PARTNER_TYPES, AGREEMENT_TYPES, STATUSES, LEVELS, PHASES, DOMAINS, TOPICS):
        if code in table:
            return table[code]
    return code
