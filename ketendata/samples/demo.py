"""Fictional demo data: three demo regions, written as upload files and loaded by the importer.

The demo takes the same path as a user's upload: :func:`build_demo_files` writes ``.xlsx`` and
``.csv`` files in the upload formats (``docs/formats.md``) and :func:`load_demo` imports each of
them with :func:`ketendata.importers.import_file`. Every name is made up; nothing describes a real
region, organisation or family. All dates are relative to ``today``, so the demo shows the same
picture whenever it is loaded, and the same ``today`` always gives the same bytes.

The three regions each tell their own story, so a domain expert can check the dashboard:

**Demoregio Wolkendal** (3 shelters: Vrouwenopvang Wolkendal, Crisisopvang Het Zonnescherm (both
vrouwenopvang), Gezinsopvang De Paraplu (maatschappelijke opvang)).
Strong safety chain: a written, recently evaluated regional covenant "Convenant Veilig Thuis
Wolkendal" (Veilig Thuis, politie, OM, reclassering, Raad voor de Kinderbescherming,
jeugdbescherming, gemeente) and written meldcode agreements (norm 4.3). No agreements with GPs
(huisarts missing) and schools only verbal (norm 3.3 partial). Warm handovers at uitstroom to the
wijkteam improve every quarter (from about 40% to about 90%), as do children's handovers and the
share of families with a regisseur; the wijkteam waiting list shrinks. One housing agreement
ended (status beëindigd), another ran out (einddatum in the past); the debt agreement of
Gezinsopvang De Paraplu is stale.

**Demoregio Duinrade** (2 shelters: Vrouwenopvang De Duinroos, Maatschappelijke Opvang Duinrade).
Stagnation in housing and money: woningaanbod and urgentie rise to severity 5 with growing waiting
times, uitkering (benefits after a move) rises to 5, regiobinding and bewindvoering rise too.
The housing agreement is still in development, the former housing quota ended, income agreements
are only verbal. Uitstroom to housing corporations falls every quarter. Children are rarely
handed over on their own (about 20-40%), fewer and fewer families have a regisseur after
uitstroom (no regisseur gap), and the wijkteam agreements do not cover regie or nazorg.

**Demoregio Meerhaven** (4 shelters: Vrouwenopvang De Vuurtoren, Vrouwenopvang De Golfbreker,
Opvang Het Anker Meerhaven, Gezinsopvang De Meeuw).
Good coverage on paper, but many written agreements (including the regional covenant) were last
evaluated three to four years ago: stale, so partial in the norm judgement. School placement takes
longer than seven days and gets worse (flagged under norm 3.3), and warm handovers to schools
decline. There is no debt counselling partner at all (schuldhulp missing, norm 4.4); shelters
report debts as a stagnation without a partner to name.

Spelling differences that name unification must resolve: in Wolkendal one shelter writes
``veilig thuis  Wolkendal`` and another ``wijkteam wolkendal-noord``; in Duinrade
``Veilig thuis Duinrade``; in Meerhaven ``VEILIG THUIS MEERHAVEN`` and
``Woonstichting  Meerwonen``.

Files: one ``afspraken`` file per region (the centrumgemeente uploads every shelter's inventory at
once) and one ``overdrachten`` and one ``stagnatie`` file per region per quarter, as they arrive
after each survey wave; so the import history shows the waves one by one. Formats differ on
purpose: Wolkendal sends ``.xlsx`` agreements and handovers with codes and a ``.csv`` survey;
Duinrade sends ``.csv`` files with Dutch labels and ``DD-MM-YYYY`` dates and an ``.xlsx``
survey; Meerhaven sends ``.xlsx`` agreements with Dutch labels and ``x`` for yes, and ``.csv``
handovers and surveys. Every ``.csv`` is written as Dutch Excel does: ``;``, UTF-8 with BOM,
decimal comma.
"""

from __future__ import annotations

import csv
import io
import random
import re
import zipfile
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING

import openpyxl

from analysis import codes
from ketendata.columns import COLUMNS, SHEET_NAMES

if TYPE_CHECKING:
    import duckdb

#: The demo regions, clearly fictional.
DEMO_REGIONS: tuple[str, ...] = (
    "Demoregio Wolkendal",
    "Demoregio Duinrade",
    "Demoregio Meerhaven",
)


# Agreement states and the dates they get (days before today, drawn per agreement).
ACTUEEL = "actueel"  # written, evaluated within 24 months
NIEUW = "nieuw"  # written, started within 24 months, not evaluated yet
VEROUDERD = "verouderd"  # written, last evaluation or start three to four years ago (stale)
MONDELING = "mondeling"  # verbal only
IN_ONTWIKKELING = "in_ontwikkeling"  # being made
BEEINDIGD = "beeindigd"  # ended through its status
VERLOPEN = "verlopen"  # written, but its einddatum lies in the past


@dataclass(frozen=True)
class _Org:
    key: str
    name: str
    type: str


@dataclass(frozen=True)
class _Agreement:
    holders: tuple[str, ...]  # shelter keys
    partners: tuple[str, ...]  # more than one: a multi-party covenant sharing one afspraak_id
    types: tuple[str, ...]
    state: str
    child: bool = False
    level: str = "organisatie"
    note: str | None = None
    agreement_id: str | None = None  # fixed id of a covenant; others get the holder's numbering


@dataclass(frozen=True)
class _Flow:
    """Handovers of one phase with one partner (or partner type), per quarter."""

    holders: tuple[str, ...]
    phase: str
    partner: str | None
    partner_type: str | None
    families: tuple[int, int, int, int]
    warm: tuple[float, float, float, float]
    children: tuple[float, float, float, float] | None = None  # share handed over on their own
    regisseur: tuple[float, float, float, float] | None = None
    safety_plan: tuple[float, float, float, float] | None = None


@dataclass(frozen=True)
class _Answer:
    """One stagnation answer per wave."""

    respondent: str
    topic: str
    partner: str | None
    severity: tuple[int, int, int, int]
    wait: tuple[float, float, float, float] | None = None
    families: tuple[int, int, int, int] | None = None
    extra_per_family: int | None = None
    note: str | None = None
    partner_type: str | None = None  # only when no partner is named


@dataclass(frozen=True)
class _FileStyle:
    extension: str  # "xlsx" or "csv"
    labels: bool  # Dutch labels instead of codes
    display_headers: bool  # "Partner type" instead of "partnertype"
    yes: str = "ja"
    no: str = "nee"


@dataclass(frozen=True)
class _Region:
    name: str
    slug: str
    code: str  # prefix of the agreement ids, e.g. "WD" in "WD-VO1-007"
    seed: int
    shelters: tuple[_Org, ...]
    partners: tuple[_Org, ...]
    spellings: dict[tuple[str, str], str]  # (holder key, partner key) -> spelling used
    agreements: tuple[_Agreement, ...]
    flows: tuple[_Flow, ...]
    answers: tuple[_Answer, ...]
    styles: dict[str, _FileStyle] = field(default_factory=dict)

    def org(self, key: str) -> _Org:
        for org in self.shelters + self.partners:
            if org.key == key:
                return org
        raise KeyError(key)

    def shelter_prefix(self, key: str) -> str:
        return f"{self.code}-{key.upper()}"


ALL_VO = ("vo1", "vo2")
VO = "vrouwenopvang"
MO = "maatschappelijke_opvang"
COVENANT_TYPES = (
    "informatie_uitwisseling",
    "veiligheid",
    "monitoring_melden",
    "verantwoordelijkheden",
)

_WOLKENDAL = _Region(
    name=DEMO_REGIONS[0],
    slug="wolkendal",
    code="WD",
    seed=20261,
    shelters=(
        _Org("vo1", "Vrouwenopvang Wolkendal", VO),
        _Org("vo2", "Crisisopvang Het Zonnescherm", VO),
        _Org("mo1", "Gezinsopvang De Paraplu", MO),
    ),
    partners=(
        _Org("vt", "Veilig Thuis Wolkendal", "veilig_thuis"),
        _Org("pol", "Politie basisteam Wolkendal", "politie"),
        _Org("om", "Openbaar Ministerie Wolkendal", "justitie"),
        _Org("recl", "Reclassering Wolkendal", "justitie"),
        _Org("rvdk", "Raad voor de Kinderbescherming Wolkendal", "raad_kinderbescherming"),
        _Org("jb", "Jeugdbescherming Wolkendal", "jeugdbescherming"),
        _Org("jh", "Jeugdhulp De Regenwolk", "jeugdhulp"),
        _Org("jggz", "Jeugd-GGZ De Lichtstraal", "jeugd_ggz"),
        _Org("trauma", "Traumacentrum De Horizon", "jeugd_ggz"),
        _Org("ggz", "GGZ Wolkendal", "ggz"),
        _Org("vz", "Verslavingszorg Het Kompas", "verslavingszorg"),
        _Org("wtn", "Wijkteam Wolkendal-Noord", "wijkteam"),
        _Org("wtz", "Wijkteam Wolkendal-Zuid", "wijkteam"),
        _Org("cjg", "CJG Wolkendal", "wijkteam"),
        _Org("bs1", "Basisschool De Vlinderboom", "onderwijs"),
        _Org("bs2", "Basisschool Het Wolkenschip", "onderwijs"),
        _Org("sg", "Scholengemeenschap De Luchtballon", "onderwijs"),
        _Org("ko", "Kinderopvang Het Luchtkasteel", "kinderopvang"),
        _Org("bso", "BSO De Wolkenfabriek", "kinderopvang"),
        _Org("wc1", "Woonstichting Wolkenstad", "woningcorporatie"),
        _Org("wc2", "Woningcorporatie Dal en Heuvel", "woningcorporatie"),
        _Org("wi", "Sociale Dienst Wolkendal", "werk_inkomen"),
        _Org("kb", "Kredietbank Wolkendal", "schuldhulp"),
        _Org("bew", "Bewindvoering De Regenmeter", "schuldhulp"),
        _Org("ggd", "GGD Wolkendal", "jgz"),
        _Org("gem", "Gemeente Wolkendal", "gemeente"),
        _Org("sh", "Slachtofferhulp Wolkendal", "overig"),
        _Org("vb", "Voedselbank Wolkendal", "overig"),
        _Org("bvo", "Bovenregionale Vrouwenopvang De Vaart", VO),
    ),
    spellings={
        ("vo2", "vt"): "veilig thuis  Wolkendal",
        ("mo1", "wtn"): "wijkteam wolkendal-noord",
    },
    agreements=(
        _Agreement(
            ("vo1", "vo2", "mo1"),
            ("vt", "pol", "om", "recl", "rvdk", "jb", "gem"),
            COVENANT_TYPES,
            ACTUEEL,
            child=True,
            level="regio",
            note="Convenant Veilig Thuis Wolkendal: gezamenlijk casusoverleg huiselijk geweld "
            "en kindermishandeling, jaarlijks geëvalueerd.",
            agreement_id="CONV-WD-VT",
        ),
        _Agreement(
            ("vo1", "vo2", "mo1"),
            ("vt",),
            ("meldcode", "informatie_uitwisseling"),
            ACTUEEL,
            child=True,
            note="Melden volgens de meldcode, ook voor kinderen die niet mee naar de opvang komen.",
        ),
        _Agreement(
            ("vo1", "vo2", "mo1"), ("pol",), ("veiligheid", "informatie_uitwisseling"), ACTUEEL
        ),
        _Agreement(
            ("vo1", "mo1"),
            ("jh",),
            ("traumabehandeling", "informatie_uitwisseling"),
            ACTUEEL,
            child=True,
        ),
        _Agreement(("vo2",), ("jh",), ("traumabehandeling",), NIEUW, child=True),
        _Agreement(
            ("vo1",),
            ("jggz",),
            ("traumabehandeling", "informatie_uitwisseling"),
            ACTUEEL,
            child=True,
        ),
        _Agreement(("vo2",), ("trauma",), ("traumabehandeling",), ACTUEEL, child=True),
        _Agreement(
            ("vo1", "vo2", "mo1"),
            ("ggz",),
            ("informatie_uitwisseling", "warme_overdracht"),
            ACTUEEL,
        ),
        _Agreement(("mo1",), ("vz",), ("warme_overdracht", "informatie_uitwisseling"), ACTUEEL),
        _Agreement(
            ("vo1", "mo1"),
            ("wtn",),
            ("warme_overdracht", "regie", "nazorg", "informatie_uitwisseling"),
            ACTUEEL,
            child=True,
            note="Vaste contactpersoon van het wijkteam voor de opvang; overdracht met ouder "
            "en kind.",
        ),
        _Agreement(("vo2",), ("wtz",), ("warme_overdracht", "nazorg"), NIEUW, child=True),
        _Agreement(("vo1", "vo2", "mo1"), ("cjg",), ("informatie_uitwisseling",), IN_ONTWIKKELING),
        _Agreement(
            ("vo1", "vo2"),
            ("bs1",),
            ("onderwijs", "warme_overdracht"),
            MONDELING,
            child=True,
            note="Afspraak met de directie, nog niet op papier gezet.",
        ),
        _Agreement(("mo1",), ("bs2",), ("onderwijs",), MONDELING, child=True),
        _Agreement(("vo1",), ("sg",), ("informatie_uitwisseling",), MONDELING),
        _Agreement(("mo1",), ("ko",), ("informatie_uitwisseling",), MONDELING),
        _Agreement(("vo2",), ("bso",), ("vervoer",), MONDELING, child=True),
        _Agreement(
            ("vo1", "vo2", "mo1"), ("wc1",), ("huisvesting", "informatie_uitwisseling"), ACTUEEL
        ),
        _Agreement(
            ("vo1",),
            ("wc2",),
            ("huisvesting",),
            BEEINDIGD,
            note="Pilot voorrangswoningen is afgerond en niet verlengd.",
        ),
        _Agreement(("mo1",), ("wc2",), ("huisvesting",), VERLOPEN),
        _Agreement(("vo1", "vo2", "mo1"), ("wi",), ("inkomen",), ACTUEEL),
        _Agreement(("vo1",), ("kb",), ("schulden",), ACTUEEL, child=True),
        _Agreement(("mo1",), ("kb",), ("schulden",), VEROUDERD, child=True),
        _Agreement(("vo2",), ("bew",), ("schulden",), IN_ONTWIKKELING),
        _Agreement(("vo1", "vo2", "mo1"), ("ggd",), ("informatie_uitwisseling",), IN_ONTWIKKELING),
        _Agreement(
            ("vo1",), ("gem",), ("vervoer",), ACTUEEL, child=True, note="Taxi naar de eigen school."
        ),
        _Agreement(("vo1",), ("sh",), ("informatie_uitwisseling",), MONDELING),
        _Agreement(("mo1",), ("vb",), ("inkomen",), MONDELING),
        _Agreement(
            ("vo1", "vo2"), ("bvo",), ("capaciteit", "risicotaxatie"), ACTUEEL, level="regio"
        ),
        _Agreement(("vo1",), ("mo1",), ("warme_overdracht",), ACTUEEL, child=True),
        _Agreement(("mo1",), ("vo1",), ("warme_overdracht",), ACTUEEL, child=True),
    ),
    flows=(
        _Flow(
            ("vo1", "vo2"),
            "instroom",
            "vt",
            None,
            (6, 7, 6, 8),
            (0.9, 0.9, 0.95, 0.95),
            (0.8, 0.8, 0.85, 0.85),
        ),
        _Flow(("vo1", "vo2"), "instroom", "pol", None, (4, 3, 4, 4), (0.75, 0.8, 0.8, 0.85)),
        _Flow(
            ("mo1",),
            "instroom",
            None,
            "wijkteam",
            (5, 6, 5, 6),
            (0.7, 0.75, 0.8, 0.85),
            (0.6, 0.65, 0.7, 0.8),
        ),
        _Flow(
            ("vo1",),
            "doorstroom",
            "mo1",
            None,
            (3, 2, 3, 3),
            (0.9, 1.0, 1.0, 1.0),
            (0.8, 0.85, 0.9, 0.9),
        ),
        _Flow(
            ("vo1", "vo2", "mo1"),
            "uitstroom",
            "wtn",
            None,
            (6, 7, 7, 8),
            (0.4, 0.55, 0.7, 0.9),
            (0.4, 0.55, 0.7, 0.85),
            (0.5, 0.6, 0.75, 0.9),
            (0.6, 0.7, 0.8, 0.9),
        ),
        _Flow(
            ("vo1", "vo2"),
            "uitstroom",
            None,
            "onderwijs",
            (4, 4, 5, 4),
            (0.5, 0.5, 0.55, 0.6),
            (0.5, 0.5, 0.55, 0.6),
            None,
            (0.4, 0.4, 0.5, 0.5),
        ),
        _Flow(
            ("vo1", "mo1"),
            "uitstroom",
            "wc1",
            None,
            (3, 4, 3, 4),
            (0.8, 0.85, 0.85, 0.9),
            (0.7, 0.7, 0.8, 0.8),
            (0.8, 0.8, 0.85, 0.9),
            (0.8, 0.8, 0.9, 0.9),
        ),
        _Flow(
            ("mo1",),
            "uitstroom",
            "ggz",
            None,
            (2, 3, 2, 3),
            (0.85, 0.9, 0.9, 0.9),
            None,
            (0.8, 0.8, 0.9, 0.9),
            (0.8, 0.9, 0.9, 0.9),
        ),
    ),
    answers=(
        _Answer(
            "vo1",
            "wijkteam",
            "wtn",
            (4, 3, 3, 2),
            (42, 35, 28, 18),
            (5, 4, 4, 3),
            10,
            "Wachtlijst korter sinds het wijkteam een vaste contactpersoon voor de opvang heeft.",
        ),
        _Answer("mo1", "ggz", "ggz", (3, 3, 4, 4), (60, 65, 70, 75), (3, 3, 4, 4), 12),
        _Answer(
            "vo2", "traumabehandeling", "trauma", (4, 4, 4, 3), (70, 70, 60, 55), (3, 4, 3, 3), 8
        ),
        _Answer("vo2", "schulden", "kb", (2, 2, 3, 2), (30, 30, 35, 30), (2, 2, 3, 2), 5),
        _Answer("vo1", "schoolplaatsing", "bs1", (2, 2, 2, 2), (4, 5, 3, 4), (3, 4, 3, 4), None),
        _Answer("mo1", "woningaanbod", "wc1", (3, 3, 3, 3), (120, 115, 120, 110), (4, 4, 3, 4), 20),
        _Answer(
            "wtn",
            "jeugd_ggz",
            "jggz",
            (4, 4, 3, 3),
            (90, 80, 70, 60),
            (4, 3, 3, 3),
            None,
            "Wachttijd jeugd-GGZ daalt door voorrang voor kinderen uit de opvang.",
        ),
        _Answer(
            "vt", "veiligheidsplan", None, (3, 3, 2, 2), None, (3, 3, 2, 2), None, partner_type=None
        ),
    ),
    styles={
        "afspraken": _FileStyle("xlsx", labels=False, display_headers=False),
        "overdrachten": _FileStyle("xlsx", labels=False, display_headers=False),
        "stagnatie": _FileStyle("csv", labels=False, display_headers=False),
    },
)

_DUINRADE = _Region(
    name=DEMO_REGIONS[1],
    slug="duinrade",
    code="ZH",
    seed=20262,
    shelters=(
        _Org("vo1", "Vrouwenopvang De Duinroos", VO),
        _Org("mo1", "Maatschappelijke Opvang Duinrade", MO),
    ),
    partners=(
        _Org("vt", "Veilig Thuis Duinrade", "veilig_thuis"),
        _Org("pol", "Politie Duinrade-Kust", "politie"),
        _Org("om", "Openbaar Ministerie Duinrade", "justitie"),
        _Org("rvdk", "Raad voor de Kinderbescherming Duinrade", "raad_kinderbescherming"),
        _Org("jb", "Stichting Jeugdbescherming Duinrade", "jeugdbescherming"),
        _Org("jh", "Jeugdhulp Het Zandkasteel", "jeugdhulp"),
        _Org("jggz", "Jeugd-GGZ De Zeester", "jeugd_ggz"),
        _Org("ggz", "GGZ Duin en Polder", "ggz"),
        _Org("vz", "Verslavingszorg Duinrade", "verslavingszorg"),
        _Org("wt1", "Wijkteam Duinrade-Centrum", "wijkteam"),
        _Org("wt2", "Wijkteam Duinrade-Strand", "wijkteam"),
        _Org("bs1", "Basisschool De Zandloper", "onderwijs"),
        _Org("bs2", "Basisschool De Duinpieper", "onderwijs"),
        _Org("ko", "Kinderopvang Het Schelpje", "kinderopvang"),
        _Org("wc1", "Woonstichting De Zandkorrel", "woningcorporatie"),
        _Org("wc2", "Woningbouwvereniging Helmgras", "woningcorporatie"),
        _Org("wi", "Werkplein Duinrade", "werk_inkomen"),
        _Org("shv", "Schuldhulp Duinrade", "schuldhulp"),
        _Org("bew", "Bewindvoering Het Duinpad", "schuldhulp"),
        _Org("ha1", "Huisartsenpraktijk De Strandjutter", "huisarts"),
        _Org("ha2", "Huisartsengroep Duinrade-Oost", "huisarts"),
        _Org("ggd", "GGD Kust en Zand", "jgz"),
        _Org("gem", "Gemeente Duinrade", "gemeente"),
        _Org("gem2", "Gemeente Helmdorp", "gemeente"),
        _Org("ov", "Stichting Thuisbasis Duinrade", "overig"),
        _Org("nacht", "Nachtopvang Het Baken", MO),
    ),
    spellings={("mo1", "vt"): "Veilig thuis Duinrade"},
    agreements=(
        _Agreement(
            ("vo1", "mo1"),
            ("vt", "pol", "om", "rvdk", "jb"),
            COVENANT_TYPES,
            ACTUEEL,
            child=True,
            level="regio",
            note="Convenant Veilig Thuis Duinrade over casusoverleg en informatiedeling.",
            agreement_id="CONV-ZH-VT",
        ),
        _Agreement(("vo1", "mo1"), ("vt",), ("meldcode",), ACTUEEL, child=True),
        _Agreement(("vo1",), ("pol",), ("veiligheid",), ACTUEEL),
        _Agreement(("mo1",), ("pol",), ("veiligheid",), NIEUW),
        _Agreement(
            ("vo1",),
            ("jh",),
            ("informatie_uitwisseling", "traumabehandeling"),
            ACTUEEL,
            note="Afspraak gaat over de ouder; kinderen worden per geval besproken.",
        ),
        _Agreement(("vo1",), ("jggz",), ("traumabehandeling",), MONDELING, child=True),
        _Agreement(("mo1",), ("ggz",), ("warme_overdracht", "informatie_uitwisseling"), ACTUEEL),
        _Agreement(("vo1",), ("ggz",), ("warme_overdracht",), MONDELING),
        _Agreement(("mo1",), ("vz",), ("informatie_uitwisseling",), ACTUEEL),
        _Agreement(
            ("vo1", "mo1"),
            ("wt1",),
            ("warme_overdracht", "informatie_uitwisseling"),
            ACTUEEL,
            note="Overdracht van de ouder; wie daarna de regie heeft is niet afgesproken.",
        ),
        _Agreement(("mo1",), ("wt2",), ("warme_overdracht",), MONDELING),
        _Agreement(("vo1",), ("bs1",), ("onderwijs", "warme_overdracht"), ACTUEEL, child=True),
        _Agreement(("mo1",), ("bs2",), ("onderwijs",), IN_ONTWIKKELING, child=True),
        _Agreement(("vo1",), ("ko",), ("informatie_uitwisseling",), MONDELING),
        _Agreement(
            ("vo1", "mo1"),
            ("wc1",),
            ("huisvesting",),
            IN_ONTWIKKELING,
            note="Afspraak over urgentie voor uitstroom uit de opvang is in voorbereiding.",
        ),
        _Agreement(
            ("mo1",),
            ("wc2",),
            ("huisvesting",),
            BEEINDIGD,
            note="Contingent woningen voor uitstroom is niet verlengd.",
        ),
        _Agreement(("vo1", "mo1"), ("wi",), ("inkomen",), MONDELING),
        _Agreement(("vo1",), ("shv",), ("schulden",), ACTUEEL, child=True),
        _Agreement(("mo1",), ("bew",), ("schulden",), VERLOPEN),
        _Agreement(("vo1",), ("ha1",), ("informatie_uitwisseling",), ACTUEEL),
        _Agreement(("mo1",), ("ha2",), ("informatie_uitwisseling",), MONDELING),
        _Agreement(("vo1",), ("ggd",), ("informatie_uitwisseling",), ACTUEEL),
        _Agreement(("vo1",), ("gem",), ("vervoer",), VEROUDERD, child=True),
        _Agreement(("mo1",), ("gem2",), ("huisvesting",), MONDELING),
        _Agreement(
            ("mo1",), ("ov",), ("nazorg",), MONDELING, note="Maatjes na vertrek uit de opvang."
        ),
        _Agreement(("mo1",), ("nacht",), ("warme_overdracht",), ACTUEEL),
        _Agreement(("vo1",), ("mo1",), ("warme_overdracht",), ACTUEEL),
        _Agreement(("mo1",), ("vo1",), ("warme_overdracht",), ACTUEEL),
    ),
    flows=(
        _Flow(
            ("vo1",),
            "instroom",
            "vt",
            None,
            (7, 8, 8, 9),
            (0.85, 0.85, 0.9, 0.85),
            (0.4, 0.35, 0.3, 0.3),
        ),
        _Flow(("vo1", "mo1"), "instroom", None, "politie", (3, 3, 4, 3), (0.7, 0.7, 0.75, 0.7)),
        _Flow(("mo1",), "instroom", "ha1", None, (2, 2, 3, 2), (0.5, 0.5, 0.6, 0.5)),
        _Flow(
            ("mo1",),
            "instroom",
            "nacht",
            None,
            (5, 6, 6, 7),
            (0.8, 0.8, 0.85, 0.8),
            (0.3, 0.3, 0.25, 0.2),
        ),
        _Flow(
            ("vo1",),
            "doorstroom",
            "mo1",
            None,
            (2, 3, 3, 4),
            (0.9, 0.9, 0.9, 0.9),
            (0.4, 0.35, 0.3, 0.25),
        ),
        _Flow(
            ("vo1", "mo1"),
            "uitstroom",
            "wt1",
            None,
            (7, 7, 8, 8),
            (0.8, 0.8, 0.85, 0.8),
            (0.4, 0.3, 0.25, 0.2),
            (0.45, 0.4, 0.3, 0.25),
            (0.6, 0.55, 0.5, 0.5),
        ),
        _Flow(
            ("vo1", "mo1"),
            "uitstroom",
            "wc1",
            None,
            (6, 5, 3, 2),
            (0.8, 0.8, 0.75, 0.7),
            (0.35, 0.3, 0.3, 0.2),
            (0.5, 0.4, 0.35, 0.3),
            (0.6, 0.6, 0.5, 0.5),
        ),
        _Flow(
            ("vo1",),
            "uitstroom",
            "jh",
            None,
            (3, 3, 4, 3),
            (0.85, 0.9, 0.85, 0.85),
            (0.4, 0.3, 0.3, 0.2),
            (0.6, 0.5, 0.5, 0.4),
            (0.7, 0.7, 0.6, 0.6),
        ),
        _Flow(
            ("vo1",),
            "uitstroom",
            "bs1",
            None,
            (3, 4, 3, 3),
            (0.85, 0.85, 0.9, 0.85),
            (0.5, 0.4, 0.4, 0.35),
            None,
            (0.5, 0.5, 0.5, 0.5),
        ),
    ),
    answers=(
        _Answer(
            "vo1",
            "woningaanbod",
            "wc1",
            (2, 3, 4, 5),
            (150, 180, 210, 240),
            (4, 5, 6, 7),
            30,
            "Te weinig woningen; gezinnen die klaar zijn voor uitstroom blijven in de opvang.",
        ),
        _Answer("mo1", "urgentie", "gem", (3, 4, 4, 5), (90, 110, 130, 150), (3, 4, 5, 6), 25),
        _Answer("mo1", "regiobinding", "gem2", (2, 3, 3, 4), (40, 45, 60, 70), (1, 2, 2, 3), 15),
        _Answer(
            "vo1",
            "uitkering",
            "wi",
            (3, 4, 4, 5),
            (28, 35, 42, 49),
            (3, 4, 5, 6),
            14,
            "Uitkering moet na een verhuizing opnieuw worden aangevraagd; geen directe lijn met "
            "het werkplein.",
        ),
        _Answer("mo1", "bewindvoering", "bew", (3, 3, 4, 4), (45, 50, 60, 60), (2, 3, 3, 4), 10),
        _Answer("vo1", "woonplaatsbeginsel", "gem", (2, 3, 3, 3), None, (1, 2, 2, 2), 7),
        _Answer(
            "wc1",
            "woningaanbod",
            None,
            (3, 4, 4, 5),
            (160, 190, 220, 250),
            None,
            None,
            "Wachttijd voor een sociale huurwoning loopt verder op.",
        ),
        _Answer("wt1", "wijkteam", "wt1", (3, 3, 3, 3), (30, 28, 32, 30), (4, 4, 5, 4), 6),
        _Answer("vo1", "schoolplaatsing", "bs1", (2, 2, 2, 2), (5, 4, 5, 5), (2, 3, 2, 3), None),
    ),
    styles={
        "afspraken": _FileStyle("csv", labels=True, display_headers=True),
        "overdrachten": _FileStyle("csv", labels=True, display_headers=True),
        "stagnatie": _FileStyle("xlsx", labels=True, display_headers=True),
    },
)

_MEERHAVEN = _Region(
    name=DEMO_REGIONS[2],
    slug="meerhaven",
    code="MH",
    seed=20263,
    shelters=(
        _Org("vo1", "Vrouwenopvang De Vuurtoren", VO),
        _Org("vo2", "Vrouwenopvang De Golfbreker", VO),
        _Org("mo1", "Opvang Het Anker Meerhaven", MO),
        _Org("mo2", "Gezinsopvang De Meeuw", MO),
    ),
    partners=(
        _Org("vt", "Veilig Thuis Meerhaven", "veilig_thuis"),
        _Org("pol", "Politie Meerhaven", "politie"),
        _Org("om", "Arrondissementsparket Meerhaven", "justitie"),
        _Org("recl", "Reclassering Meerhaven", "justitie"),
        _Org("rvdk", "Raad voor de Kinderbescherming Meerhaven", "raad_kinderbescherming"),
        _Org("jb", "Jeugdbescherming Meerhaven", "jeugdbescherming"),
        _Org("jh1", "Jeugdhulp De Zeilboot", "jeugdhulp"),
        _Org("jh2", "Jeugdzorg Het Roer", "jeugdhulp"),
        _Org("jggz", "Jeugd-GGZ De Branding", "jeugd_ggz"),
        _Org("ggz", "GGZ Meerhaven", "ggz"),
        _Org("vz", "Verslavingszorg De Boei", "verslavingszorg"),
        _Org("wt1", "Wijkteam Meerhaven-Haven", "wijkteam"),
        _Org("wt2", "Wijkteam Meerhaven-Oost", "wijkteam"),
        _Org("cjg", "CJG Meerhaven", "wijkteam"),
        _Org("bs1", "Basisschool De Zeester", "onderwijs"),
        _Org("bs2", "Basisschool De Waterlelie", "onderwijs"),
        _Org("bs3", "Montessorischool De Golfslag", "onderwijs"),
        _Org("sg", "Scholengemeenschap Meerhaven", "onderwijs"),
        _Org("ko", "Kinderopvang Het Bootje", "kinderopvang"),
        _Org("bso", "BSO De Kwalletjes", "kinderopvang"),
        _Org("wc1", "Woonstichting Meerwonen", "woningcorporatie"),
        _Org("wc2", "Woningstichting De Havenkade", "woningcorporatie"),
        _Org("wi", "Werk en Inkomen Meerhaven", "werk_inkomen"),
        _Org("ha1", "Huisartsenpraktijk De Zeebries", "huisarts"),
        _Org("ha2", "Gezondheidscentrum Meerhaven-Oost", "huisarts"),
        _Org("ggd", "GGD Meerhaven", "jgz"),
        _Org("gem", "Gemeente Meerhaven", "gemeente"),
        _Org("bw", "Buurtwerk Meerhaven", "overig"),
        _Org("bvo", "Bovenregionale Opvang Het Wad", VO),
    ),
    spellings={
        ("vo2", "vt"): "VEILIG THUIS MEERHAVEN",
        ("mo2", "wc1"): "Woonstichting  Meerwonen",
    },
    agreements=(
        _Agreement(
            ("vo1", "vo2", "mo1", "mo2"),
            ("vt", "pol", "om", "recl", "rvdk", "jb", "gem", "ggd"),
            COVENANT_TYPES,
            VEROUDERD,
            child=True,
            level="regio",
            note="Regionaal convenant Veilig Thuis Meerhaven; de evaluatie staat al lang op "
            "de agenda.",
            agreement_id="CONV-MH-VT",
        ),
        _Agreement(("vo1", "vo2", "mo1", "mo2"), ("vt",), ("meldcode",), ACTUEEL, child=True),
        _Agreement(
            ("vo1", "vo2", "mo1", "mo2"),
            ("pol",),
            ("veiligheid", "informatie_uitwisseling"),
            VEROUDERD,
        ),
        _Agreement(
            ("vo1", "vo2"),
            ("jh1",),
            ("traumabehandeling", "informatie_uitwisseling"),
            VEROUDERD,
            child=True,
        ),
        _Agreement(
            ("mo1", "mo2"),
            ("jh1",),
            ("traumabehandeling", "informatie_uitwisseling"),
            ACTUEEL,
            child=True,
        ),
        _Agreement(("mo2",), ("jh2",), ("informatie_uitwisseling",), MONDELING),
        _Agreement(
            ("vo1", "vo2", "mo1", "mo2"),
            ("jggz",),
            ("traumabehandeling", "informatie_uitwisseling"),
            VEROUDERD,
            child=True,
        ),
        _Agreement(
            ("vo1", "vo2", "mo1", "mo2"),
            ("ggz",),
            ("warme_overdracht", "informatie_uitwisseling"),
            ACTUEEL,
        ),
        _Agreement(
            ("mo1", "mo2"), ("vz",), ("warme_overdracht", "informatie_uitwisseling"), ACTUEEL
        ),
        _Agreement(
            ("vo1", "mo1"),
            ("wt1",),
            ("warme_overdracht", "regie", "nazorg", "informatie_uitwisseling"),
            ACTUEEL,
            child=True,
        ),
        _Agreement(
            ("vo2", "mo2"),
            ("wt2",),
            ("warme_overdracht", "regie", "nazorg", "informatie_uitwisseling"),
            VEROUDERD,
            child=True,
        ),
        _Agreement(("vo1", "vo2", "mo1", "mo2"), ("cjg",), ("informatie_uitwisseling",), ACTUEEL),
        _Agreement(
            ("vo1", "vo2"),
            ("bs1",),
            ("onderwijs", "warme_overdracht", "informatie_uitwisseling"),
            VEROUDERD,
            child=True,
            note="Afspraak over schoolplaatsing binnen vijf schooldagen; sinds de fusie niet "
            "meer besproken.",
        ),
        _Agreement(
            ("mo1",),
            ("bs2",),
            ("onderwijs", "warme_overdracht", "informatie_uitwisseling"),
            ACTUEEL,
            child=True,
        ),
        _Agreement(("mo2",), ("bs3",), ("onderwijs", "warme_overdracht"), NIEUW, child=True),
        _Agreement(("vo1",), ("sg",), ("informatie_uitwisseling",), VEROUDERD),
        _Agreement(("vo1", "mo2"), ("ko",), ("informatie_uitwisseling",), ACTUEEL),
        _Agreement(("vo1", "vo2"), ("bso",), ("vervoer",), VEROUDERD, child=True),
        _Agreement(
            ("vo1", "vo2", "mo1", "mo2"),
            ("wc1",),
            ("huisvesting", "informatie_uitwisseling"),
            ACTUEEL,
        ),
        _Agreement(("mo2",), ("wc2",), ("huisvesting",), BEEINDIGD),
        _Agreement(("vo1", "vo2", "mo1", "mo2"), ("wi",), ("inkomen",), VEROUDERD),
        _Agreement(("vo1", "vo2"), ("ha1",), ("informatie_uitwisseling",), VEROUDERD),
        _Agreement(("mo1", "mo2"), ("ha2",), ("informatie_uitwisseling",), ACTUEEL),
        _Agreement(("vo1",), ("gem",), ("vervoer", "verantwoordelijkheden"), VERLOPEN, child=True),
        _Agreement(("mo1", "mo2"), ("gem",), ("vervoer",), ACTUEEL, child=True),
        _Agreement(
            ("vo1", "vo2"), ("bvo",), ("capaciteit", "risicotaxatie"), ACTUEEL, level="regio"
        ),
        _Agreement(("mo1",), ("bw",), ("nazorg",), MONDELING),
        _Agreement(
            ("mo1", "mo2"),
            ("ggd",),
            ("informatie_uitwisseling",),
            IN_ONTWIKKELING,
            note="Afspraak met de jeugdgezondheidszorg over kinderen in de opvang wordt opgesteld.",
        ),
        _Agreement(("vo1",), ("mo1",), ("warme_overdracht",), ACTUEEL, child=True),
        _Agreement(("mo1",), ("vo1",), ("warme_overdracht",), ACTUEEL, child=True),
        _Agreement(("vo2",), ("mo2",), ("warme_overdracht",), VEROUDERD, child=True),
    ),
    flows=(
        _Flow(
            ALL_VO,
            "instroom",
            "vt",
            None,
            (5, 6, 5, 6),
            (0.9, 0.9, 0.9, 0.95),
            (0.8, 0.85, 0.8, 0.85),
        ),
        _Flow(
            ("mo1", "mo2"),
            "instroom",
            None,
            "wijkteam",
            (4, 4, 5, 4),
            (0.8, 0.85, 0.8, 0.85),
            (0.75, 0.8, 0.8, 0.8),
        ),
        _Flow(("mo1",), "instroom", "ha2", None, (2, 2, 2, 3), (0.7, 0.75, 0.75, 0.8)),
        _Flow(
            ("vo1",),
            "doorstroom",
            "mo1",
            None,
            (2, 3, 2, 3),
            (1.0, 1.0, 0.9, 1.0),
            (0.9, 0.9, 0.9, 0.9),
        ),
        _Flow(
            ("vo2",),
            "doorstroom",
            "mo2",
            None,
            (2, 2, 3, 2),
            (0.9, 0.85, 0.85, 0.8),
            (0.8, 0.8, 0.75, 0.75),
        ),
        _Flow(
            ("vo1", "vo2", "mo1", "mo2"),
            "uitstroom",
            None,
            "wijkteam",
            (5, 6, 5, 6),
            (0.85, 0.85, 0.9, 0.85),
            (0.8, 0.8, 0.85, 0.85),
            (0.85, 0.85, 0.9, 0.9),
            (0.8, 0.85, 0.85, 0.85),
        ),
        _Flow(
            ("vo1", "vo2", "mo1"),
            "uitstroom",
            None,
            "onderwijs",
            (4, 4, 5, 5),
            (0.75, 0.7, 0.6, 0.55),
            (0.7, 0.65, 0.6, 0.5),
            None,
            (0.6, 0.6, 0.55, 0.5),
        ),
        _Flow(
            ("mo1", "mo2"),
            "uitstroom",
            "wc1",
            None,
            (3, 3, 4, 3),
            (0.9, 0.9, 0.85, 0.9),
            (0.8, 0.8, 0.8, 0.85),
            (0.85, 0.9, 0.85, 0.9),
            (0.85, 0.85, 0.9, 0.9),
        ),
        _Flow(
            ("vo2",),
            "uitstroom",
            "jggz",
            None,
            (2, 2, 3, 2),
            (0.9, 0.85, 0.9, 0.9),
            (0.8, 0.8, 0.85, 0.85),
            (0.8, 0.8, 0.85, 0.9),
            (0.9, 0.9, 0.9, 0.9),
        ),
    ),
    answers=(
        _Answer(
            "vo1",
            "schoolplaatsing",
            "bs1",
            (2, 3, 4, 4),
            (8, 10, 11.5, 14),
            (3, 4, 4, 5),
            6,
            "Schoolplaatsing duurt langer dan vijf schooldagen; de school wacht op het dossier "
            "van de vorige school.",
        ),
        _Answer("mo1", "schoolplaatsing", "bs2", (2, 3, 3, 4), (6, 8, 9, 10.5), (2, 2, 3, 3), 4),
        _Answer(
            "mo2", "leerlingenvervoer", "gem", (2, 2, 3, 3), (10, 12, 12, 14), (1, 2, 2, 2), None
        ),
        _Answer(
            "vo2",
            "schulden",
            None,
            (3, 3, 4, 4),
            None,
            (3, 3, 4, 4),
            9,
            "Geen afspraken met schuldhulpverlening in de regio; schulden blijven liggen tot na "
            "vertrek uit de opvang.",
        ),
        _Answer("wt1", "jeugdhulp", "jh1", (3, 3, 3, 3), (45, 40, 45, 42), (3, 3, 4, 3), 5),
        _Answer("vo2", "jeugd_ggz", "jggz", (3, 3, 3, 2), (60, 55, 50, 45), (2, 2, 2, 2), 6),
        _Answer("mo2", "woningaanbod", "wc1", (3, 3, 3, 3), (100, 95, 100, 100), (2, 3, 2, 3), 15),
        _Answer(
            "bs1",
            "schoolplaatsing",
            None,
            (3, 3, 3, 4),
            (7, 9, 10, 12),
            None,
            None,
            "Dossier en overdracht van de vorige school komen laat binnen.",
            partner_type="onderwijs",
        ),
    ),
    styles={
        "afspraken": _FileStyle("xlsx", labels=True, display_headers=True, yes="x", no=""),
        "overdrachten": _FileStyle("csv", labels=False, display_headers=False),
        "stagnatie": _FileStyle("csv", labels=True, display_headers=True),
    },
)

_REGIONS: tuple[_Region, ...] = (_WOLKENDAL, _DUINRADE, _MEERHAVEN)


@dataclass(frozen=True)
class DemoResult:
    """What :func:`load_demo` did.

    Attributes:
        regions: the demo regions.
        files_imported: files that stored something new.
        rows_stored: rows stored over all files.
        already_present: the demo regions were already there; nothing was done.
        message: one Dutch summary line.
    """

    regions: tuple[str, ...]
    files_imported: int
    rows_stored: int
    already_present: bool
    message: str


def demo_periods(today: date) -> list[str]:
    """The four most recent complete quarters before ``today``, oldest first.

    >>> demo_periods(date(2026, 11, 24))
    ['2025-Q4', '2026-Q1', '2026-Q2', '2026-Q3']
    >>> demo_periods(date(2026, 1, 1))
    ['2025-Q1', '2025-Q2', '2025-Q3', '2025-Q4']
    """
    index = today.year * 4 + (today.month - 1) // 3  # the current, incomplete quarter
    return [f"{i // 4}-Q{i % 4 + 1}" for i in range(index - 4, index)]


def build_demo_files(today: date) -> list[tuple[str, bytes]]:
    """The demo as upload files ``(file name, bytes)``, in the order they are imported.

    Per region: one ``afspraken`` file, then per quarter one ``overdrachten`` and one
    ``stagnatie`` file. The same ``today`` always gives the same bytes.
    """
    periods = demo_periods(today)
    files: list[tuple[str, bytes]] = []
    for region in _REGIONS:
        rng = random.Random(region.seed)
        stamp = datetime(today.year, today.month, today.day)
        rows = _agreement_rows(region, today, rng)
        files.append(_write_file(region, "afspraken", None, rows, stamp))
        for index, period in enumerate(periods):
            handovers = _handover_rows(region, period, index, rng)
            files.append(_write_file(region, "overdrachten", period, handovers, stamp))
            answers = _stagnation_rows(region, period, index, rng)
            files.append(_write_file(region, "stagnatie", period, answers, stamp))
    return files


def load_demo(con: duckdb.DuckDBPyConnection, today: date | None = None) -> DemoResult:
    """Load the demo regions into the database through the importer; idempotent.

    When every demo region is already in the database nothing happens. Otherwise every demo file
    is imported with ``new_region=True``; a file whose content is already current stores nothing.

    Args:
        con: a writable connection with the current schema.
        today: the date the demo's dates and quarters are relative to (default: today).

    Raises:
        ValidationError: a demo file was refused (a defect of this module).
    """
    from ketendata.importers import import_file  # the importer pulls in DuckDB and pandas

    present = {
        codes.normalize_name(row[0]) for row in con.execute("SELECT name FROM regions").fetchall()
    }
    if all(codes.normalize_name(name) in present for name in DEMO_REGIONS):
        return DemoResult(
            regions=DEMO_REGIONS,
            files_imported=0,
            rows_stored=0,
            already_present=True,
            message="De demoregio's staan al in de database; er is niets gewijzigd.",
        )
    today = today or date.today()
    files_imported = 0
    rows_stored = 0
    for file_name, data in build_demo_files(today):
        result = import_file(con, data, file_name, new_region=True)
        if not result.unchanged:
            files_imported += 1
            rows_stored += result.rows_stored
    names = ", ".join(DEMO_REGIONS)
    return DemoResult(
        regions=DEMO_REGIONS,
        files_imported=files_imported,
        rows_stored=rows_stored,
        already_present=False,
        message=(
            f"Demogegevens geladen voor {names}: {files_imported} bestanden geïmporteerd, "
            f"{rows_stored} rijen opgeslagen."
        ),
    )


# --- generating the rows --------------------------------------------------------------------


def _agreement_dates(
    state: str, today: date, rng: random.Random
) -> tuple[str, date | None, date | None, date | None]:
    """(status, ingangsdatum, einddatum, geevalueerd_op) for an agreement state."""

    def ago(low: int, high: int) -> date:
        return today - timedelta(days=rng.randint(low, high))

    if state == ACTUEEL:
        end = today + timedelta(days=rng.randint(200, 900)) if rng.random() < 0.25 else None
        return "schriftelijk", ago(800, 2200), end, ago(20, 600)
    if state == NIEUW:
        return "schriftelijk", ago(60, 500), None, None
    if state == VEROUDERD:
        start = ago(1300, 1460)  # three to four years ago
        evaluated = ago(1100, 1250) if rng.random() < 0.6 else None
        return "schriftelijk", start, None, evaluated
    if state == MONDELING:
        return "mondeling", ago(200, 1500) if rng.random() < 0.5 else None, None, None
    if state == IN_ONTWIKKELING:
        start = today + timedelta(days=rng.randint(30, 150)) if rng.random() < 0.5 else None
        return "in_ontwikkeling", start, None, None
    if state == BEEINDIGD:
        return "beeindigd", ago(1500, 2500), ago(100, 500), ago(800, 1000)
    if state == VERLOPEN:
        return "schriftelijk", ago(900, 1400), ago(20, 300), ago(400, 700)
    raise ValueError(f"unknown agreement state {state!r}")


def _agreement_rows(region: _Region, today: date, rng: random.Random) -> list[dict[str, object]]:
    numbers = {shelter.key: 0 for shelter in region.shelters}
    per_holder: dict[str, list[dict[str, object]]] = {
        shelter.key: [] for shelter in region.shelters
    }
    for agreement in region.agreements:
        covenant_dates = (
            _agreement_dates(agreement.state, today, rng) if agreement.agreement_id else None
        )
        for holder_key in agreement.holders:
            holder = region.org(holder_key)
            status, start, end, evaluated = covenant_dates or _agreement_dates(
                agreement.state, today, rng
            )
            if agreement.agreement_id:
                agreement_id = agreement.agreement_id
            else:
                numbers[holder_key] += 1
                agreement_id = f"{region.shelter_prefix(holder_key)}-{numbers[holder_key]:03d}"
            for partner_key in agreement.partners:
                partner = region.org(partner_key)
                per_holder[holder_key].append(
                    {
                        "regio": region.name,
                        "organisatie": holder.name,
                        "organisatietype": holder.type,
                        "partner": region.spellings.get((holder_key, partner_key), partner.name),
                        "partnertype": partner.type,
                        "afspraaktypes": agreement.types,
                        "niveau": agreement.level,
                        "status": status,
                        "kindspecifiek": agreement.child,
                        "ingangsdatum": start,
                        "einddatum": end,
                        "geevalueerd_op": evaluated,
                        "afspraak_id": agreement_id,
                        "toelichting": agreement.note,
                    }
                )
    return [row for shelter in region.shelters for row in per_holder[shelter.key]]


def _share(count: int, share: float) -> int:
    return max(0, min(count, round(count * share)))


def _handover_rows(
    region: _Region, period: str, index: int, rng: random.Random
) -> list[dict[str, object]]:
    rows = []
    for holder in region.shelters:
        for flow in region.flows:
            if holder.key not in flow.holders:
                continue
            families = max(1, min(15, flow.families[index] + rng.randint(-1, 1)))
            warm = _share(families, flow.warm[index])
            partner = region.org(flow.partner) if flow.partner else None
            children = families + sum(rng.randint(0, 2) for _ in range(families))
            row: dict[str, object] = {
                "regio": region.name,
                "organisatie": holder.name,
                "periode": period,
                "fase": flow.phase,
                "partner": partner.name if partner else None,
                "partnertype": partner.type if partner else flow.partner_type,
                "gezinnen": families,
                "warm": warm,
                "kinderen": children if flow.children is not None else None,
                "kind_overgedragen": _share(children, flow.children[index])
                if flow.children
                else None,
                "met_informatieoverdracht": min(families, warm + rng.randint(0, 1)),
                "met_persoonlijk_contact": warm,
                "met_ketenafspraken": _share(warm, 0.8),
                "regisseur_belegd": _share(families, flow.regisseur[index])
                if flow.regisseur
                else None,
                "veiligheidsplan_gedeeld": (
                    _share(families, flow.safety_plan[index]) if flow.safety_plan else None
                ),
            }
            rows.append(row)
    return rows


def _stagnation_rows(
    region: _Region, period: str, index: int, rng: random.Random
) -> list[dict[str, object]]:
    rows = []
    for answer in region.answers:
        respondent = region.org(answer.respondent)
        partner = region.org(answer.partner) if answer.partner else None
        families = answer.families[index] if answer.families else None
        extra = None
        if families is not None and answer.extra_per_family is not None:
            extra = families * answer.extra_per_family + rng.randint(0, families)
        wait = answer.wait[index] if answer.wait else None
        rows.append(
            {
                "regio": region.name,
                "respondent": respondent.name,
                "periode": period,
                "domein": codes.DOMAIN_OF_TOPIC[answer.topic],
                "onderwerp": answer.topic,
                "partner": partner.name if partner else None,
                "partnertype": partner.type if partner else answer.partner_type,
                "ernst": answer.severity[index],
                "wachttijd_dagen": float(wait) if wait is not None else None,
                "gezinnen": families,
                "extra_verblijfsdagen": extra,
                "toelichting": answer.note,
            }
        )
    return rows


# --- writing the files ------------------------------------------------------------------------

_DISPLAY_HEADERS = {
    "organisatietype": "Organisatietype",
    "partnertype": "Partner type",
    "geevalueerd_op": "Geëvalueerd op",
    "afspraak_id": "Afspraak-ID",
    "met_informatieoverdracht": "Met informatieoverdracht",
    "wachttijd_dagen": "Wachttijd dagen",
    "extra_verblijfsdagen": "Extra verblijfsdagen",
}

# The code list of each code column, to write Dutch labels instead of codes.
_CODE_LISTS = {
    (kind, column.name): column.codes
    for kind, columns in COLUMNS.items()
    for column in columns
    if column.codes is not None
}


def _header(name: str, style: _FileStyle) -> str:
    if not style.display_headers:
        return name
    return _DISPLAY_HEADERS.get(name, name.replace("_", " ").capitalize())


def _cell(kind: str, name: str, value: object, style: _FileStyle) -> object:
    """A value as the file holds it: labels or codes, yes/no, dates and decimals per format."""
    code_list = _CODE_LISTS.get((kind, name))
    if value is None:
        return None
    if isinstance(value, tuple):
        parts = [code_list[v] if style.labels else v for v in value]
        return (", " if style.extension == "csv" else "; ").join(parts)
    if isinstance(value, bool):
        return style.yes if value else style.no
    if code_list is not None and style.labels:
        return code_list[value]
    if style.extension == "csv":
        if isinstance(value, date):
            return value.strftime("%d-%m-%Y")
        if isinstance(value, float):
            text = f"{value:g}"
            return text.replace(".", ",")
    return value


def _write_file(
    region: _Region,
    kind: str,
    period: str | None,
    rows: list[dict[str, object]],
    stamp: datetime,
) -> tuple[str, bytes]:
    style = region.styles[kind]
    names = [column.name for column in COLUMNS[kind]]
    header = [_header(name, style) for name in names]
    body = [[_cell(kind, name, row[name], style) for name in names] for row in rows]
    suffix = f"_{period}" if period else ""
    file_name = f"demo_{region.slug}_{kind}{suffix}.{style.extension}"
    if style.extension == "csv":
        return file_name, _csv_bytes(header, body)
    return file_name, _xlsx_bytes(SHEET_NAMES[kind], header, body, stamp)


def _csv_bytes(header: list[str], body: list[list[object]]) -> bytes:
    """CSV as Dutch Excel saves it: ``;``, UTF-8 with BOM, CRLF."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, delimiter=";", lineterminator="\r\n")
    writer.writerow(header)
    for row in body:
        writer.writerow(["" if value is None else value for value in row])
    return buffer.getvalue().encode("utf-8-sig")


_CORE_TIMES = re.compile(rb"(<dcterms:(created|modified)[^>]*>)[^<]*(</dcterms:\2>)")


def _xlsx_bytes(sheet: str, header: list[str], body: list[list[object]], stamp: datetime) -> bytes:
    """An ``.xlsx`` with real Excel dates, made byte-for-byte repeatable (fixed timestamps)."""
    workbook = openpyxl.Workbook()
    worksheet = workbook.active
    worksheet.title = sheet
    worksheet.append(header)
    for row in body:
        worksheet.append(row)
    for cells in worksheet.iter_rows(min_row=2):
        for cell in cells:
            if isinstance(cell.value, date):
                cell.number_format = "DD-MM-YYYY"
    for index, name in enumerate(header, start=1):
        worksheet.column_dimensions[openpyxl.utils.get_column_letter(index)].width = max(
            12, len(name) + 2
        )
    buffer = io.BytesIO()
    workbook.save(buffer)
    return _repeatable_zip(buffer.getvalue(), stamp)


def _repeatable_zip(data: bytes, stamp: datetime) -> bytes:
    """Rewrite a zip with fixed entry times and fixed document times, so bytes repeat."""
    iso = stamp.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(data)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_DEFLATED) as target,
    ):
        for info in source.infolist():
            content = source.read(info.filename)
            if info.filename == "docProps/core.xml":
                content = _CORE_TIMES.sub(lambda m: m.group(1) + iso + m.group(3), content)
            fixed = zipfile.ZipInfo(
                info.filename, date_time=(stamp.year, stamp.month, stamp.day, 0, 0, 0)
            )
            fixed.compress_type = zipfile.ZIP_DEFLATED
            fixed.external_attr = info.external_attr
            target.writestr(fixed, content)
    return output.getvalue()
