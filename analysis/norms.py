"""Judging every shelter against the norm matrix (Indicator 4 of the normenkader).

For each shelter (a holder whose organisation type is a shelter type) and each requirement of
the matrix the judgement is ``met``, ``partial`` or ``missing``, with a plain Dutch reason that
names the agreement, the partner, the dates and the norm. The 24-month window comes from
:class:`analysis.settings.Settings`; the matrix is data, a frame the caller reads
(``ketendata.intake.matrix``).
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date, timedelta
from typing import Any

import pandas as pd

from analysis.codes import (
    AGREEMENT_TYPES,
    LEVELS,
    PARTNER_TYPES,
    SHELTER_TYPES,
    infer_norm_source,
    label,
    normalize_name,
)
from analysis.network import (
    STATUS_STRENGTH,
    as_codes,
    as_date,
    clean_value,
    column_values,
    current_flags,
    display_names,
    holder_types_of,
    is_current,
    name_sort_key,
    normalized,
    records,
    shelter_keys,
)
from analysis.settings import DEFAULT_SETTINGS, Settings

__all__ = [
    "ANY_PARTNER",
    "Finding",
    "FindingsGrid",
    "coverage",
    "findings_grid",
    "format_date",
    "judge_requirements",
    "norm_coverage",
    "norm_text",
    "requirement_rows",
    "requirement_text",
    "select_findings",
    "sort_findings",
    "unmet_findings",
    "window_text",
]

#: Columns of the ``matrix`` frame.

#: The partner type of a requirement that any partner meets.
ANY_PARTNER = "*"


@dataclass(frozen=True)
class Finding:
    """The judgement of one requirement for one shelter.

    Attributes:
        organisation: the shelter (display name).
        partner_type: the required partner type, or ``*``.
        agreement_type: the required agreement type.
        norm: the norm the requirement comes from (``4.3``, ``inspectie 2017``).
        status: ``met``, ``partial`` or ``missing``.
        reason: why, in plain Dutch.
        norm_source: the document whose numbering ``norm`` follows (``keurmerk``,
            ``normenkader 2019``, ``inspectie 2017``, ``valente 2024``).
        level: the ``niveau`` of the agreement that decided the status (None when missing or
            not given).
        weight: how heavily the requirement weighs when gaps are ranked (1-3).
    """

    organisation: str
    partner_type: str
    agreement_type: str
    norm: str
    status: str
    reason: str
    norm_source: str = "keurmerk"
    level: str | None = None
    weight: int = 1


# --- Text helpers ---------------------------------------------------------------------------


def format_date(value: date | None) -> str:
    """A date as Dutch readers write it.

    >>> format_date(date(2026, 3, 1))
    '01-03-2026'
    """
    return "onbekend" if value is None else value.strftime("%d-%m-%Y")


def norm_text(norm: str, source: str | None = None, *, separator: str = " (") -> str:
    """A norm reference that says whose numbering it is: ``norm 4.3 (keurmerk)``; a reference
    that names its own document (``inspectie 2017``) stays as it is. Without ``source`` the
    document is inferred (:func:`analysis.codes.infer_norm_source`). The keurmerk and the
    normenkader 2019 number Indicator 3 differently, so the number alone is ambiguous.

    >>> norm_text("4.3"), norm_text("4.5"), norm_text("inspectie 2017")
    ('norm 4.3 (keurmerk)', 'norm 4.5 (normenkader 2019)', 'inspectie 2017')
    >>> norm_text("3.3", "keurmerk", separator=", ")
    'norm 3.3, keurmerk'
    """
    norm = str(norm).strip()
    source = source or infer_norm_source(norm)
    if not norm[:1].isdigit() and source.lower() in norm.lower():
        return norm
    text = f"norm {norm}" if norm[:1].isdigit() else norm
    close = ")" if separator.endswith("(") else ""
    return f"{text}{separator}{source}{close}"


def _suffix(norm: str, source: str) -> str:
    """The norm at the end of a reason: `` (norm 4.3, keurmerk)``."""
    return f" ({norm_text(norm, source, separator=', ')})"


def window_text(settings: Settings) -> str:
    """The evaluation window in words: 730 days is "24 maanden".

    >>> window_text(Settings(evaluation_window_days=730))
    '24 maanden'
    >>> window_text(Settings(evaluation_window_days=90))
    '90 dagen'
    """
    days = settings.evaluation_window_days
    return f"{days // 365 * 12} maanden" if days % 365 == 0 else f"{days} dagen"


def requirement_text(partner_type: str, agreement_type: str) -> str:
    """``Meldcode Veilig Thuis met een partner van type Veilig Thuis``."""
    what = label(agreement_type, AGREEMENT_TYPES)
    if partner_type == ANY_PARTNER:
        return f"{what} met een ketenpartner (welk type ook)"
    return f"{what} met een partner van type {label(partner_type, PARTNER_TYPES)}"


def _agreement_name(row: dict[str, Any], partners: dict[str, str]) -> str:
    status = row.get("status")
    ident = clean_value(row.get("agreement_id"))
    ident_text = f" '{ident}'" if ident not in (None, "") else ""
    partner = partners.get(normalize_name(row["partner"]), row["partner"])
    start = {
        "schriftelijk": "Schriftelijke afspraak",
        "mondeling": "Mondelinge afspraak",
        "in_ontwikkeling": "Afspraak in ontwikkeling",
    }.get(status, "Afspraak")
    return f"{start}{ident_text} met {partner}"


# --- The judgement --------------------------------------------------------------------------


@dataclass(frozen=True)
class _Assessment:
    met: bool
    rank: tuple[Any, ...]
    text: str
    level: str | None = None


#: Agreement levels from lowest to highest (normenkader.md: client < professioneel < ...).
LEVEL_ORDER: tuple[str, ...] = tuple(LEVELS)

#: The levels as they read in a reason ("alleen op cliëntniveau afgesproken").
LEVEL_WORDS: dict[str, str] = {
    "client": "cliëntniveau",
    "professioneel": "professioneel niveau",
    "organisatie": "organisatieniveau",
    "regio": "regioniveau",
}


def _assess(
    row: dict[str, Any],
    child_required: bool,
    today: date,
    settings: Settings,
    partners: dict[str, str],
    floor: str | None = None,
) -> _Assessment:
    """How one current agreement measures up to one requirement."""
    window_start = today - timedelta(days=settings.evaluation_window_days)
    window = window_text(settings)
    status = row.get("status")
    evaluated = as_date(row.get("evaluated_on"))
    started = as_date(row.get("start_date"))

    def in_window(value: date | None) -> bool:
        # both ends included; a date in the future does not count
        return value is not None and window_start <= value <= today

    issues: list[str] = []
    # "aantoonbaar afspraken" (keurmerk 4.2, 4.3; normenkader 2019 4.3 "aantoonbaar vastgelegde
    # afspraken"), seeds: normenkader-keurmerk-veiligheid-vrouwenopvang.txt:1140 and :1180,
    # normenkader-kinderen-in-de-opvang-2019.txt:312
    if status == "mondeling":
        issues.append("niet aantoonbaar vastgelegd")
    elif status == "in_ontwikkeling":
        issues.append("nog niet vastgesteld, dus niet aantoonbaar")
    elif status != "schriftelijk":
        issues.append(f"status '{status}' is geen schriftelijke afspraak")
    # The inspections ask to evaluate agreements "periodiek" (seed:
    # inspecties-moeder-en-kind-verlaten-de-vrouwenopvang.txt:58-60 and :1387); the window
    # (24 months) is Ketenkaart's setting, so the reason states the dates, not a norm's period
    recent = in_window(evaluated) or in_window(started)
    if status == "schriftelijk" and not recent:
        facts = []
        if evaluated is None:
            facts.append("nooit geëvalueerd")
        elif evaluated > today:
            facts.append(
                f"evaluatiedatum {format_date(evaluated)} ligt in de toekomst en telt niet"
            )
        else:
            facts.append(f"laatst geëvalueerd op {format_date(evaluated)}")
        if started is not None and started > today:
            facts.append(f"ingangsdatum {format_date(started)} ligt in de toekomst en telt niet")
        elif started is not None:
            facts.append(f"ingegaan op {format_date(started)}")
        issues.append(", ".join(facts) + f"; niet geëvalueerd of ingegaan in de afgelopen {window}")
    # The matrix's kind column decides (e.g. keurmerk 4.3 "kinderen die wel en/of niet
    # meekomen", 3.3 school; seed: normenkader-keurmerk-veiligheid-vrouwenopvang.txt:1180-1183
    # and :993): it is the matrix's requirement, not every norm's wording
    if child_required and not row.get("child_specific"):
        issues.append(
            "geldt niet specifiek voor kinderen, terwijl de eis in de normenmatrix dat vraagt"
        )
    level = clean_value(row.get("level")) or None
    # The keurmerk accepts every level ("Dit kan op cliëntniveau, professioneel niveau,
    # organisatieniveau of regioniveau", seed: normenkader-keurmerk-veiligheid-vrouwenopvang.txt
    # :1098); a minimum level is the region's own choice, so the reason says "de regio"
    if (
        floor in LEVEL_ORDER
        and level in LEVEL_ORDER
        and LEVEL_ORDER.index(level) < LEVEL_ORDER.index(floor)
    ):
        issues.append(
            f"alleen op {LEVEL_WORDS[level]} afgesproken, terwijl de regio ten minste "
            f"{LEVEL_WORDS[floor]} vraagt"
        )

    name = _agreement_name(row, partners)
    if not issues:
        if in_window(evaluated):
            when = f"geëvalueerd op {format_date(evaluated)} (binnen {window})"
        else:
            when = f"ingegaan op {format_date(started)} (binnen {window})"
            if evaluated is None:
                when += ", nog niet geëvalueerd"
            else:
                when += f", laatst geëvalueerd op {format_date(evaluated)}"
        child = "; geldt ook voor kinderen" if child_required else ""
        text = f"{name}; {when}{child}"
    else:
        text = f"{name}; " + "; ".join(issues)
    # inspectie 2017: with GPs, addiction care, schools and youth care agreements are made
    # "veelal alleen op casusniveau" (seed: inspecties-moeder-en-kind-verlaten-de-vrouwenopvang
    # .txt:740-745)
    if level == "client" and not any("niveau afgesproken" in issue for issue in issues):
        text += "; alleen per casus afgesproken"
    recent_dates = [d for d in (evaluated, started) if in_window(d)]
    newest = max(
        recent_dates or [d for d in (evaluated, started) if d and d <= today] or [date.min]
    )
    rank = (
        0 if not issues else 1,
        -STATUS_STRENGTH.get(status, 0),
        len(issues),
        -newest.toordinal(),
        name_sort_key(str(row["partner"])),
        str(clean_value(row.get("agreement_id")) or ""),
        text,
    )
    return _Assessment(met=not issues, rank=rank, text=text, level=level)


def _ended_text(row: dict[str, Any], today: date, partners: dict[str, str]) -> str:
    ident = clean_value(row.get("agreement_id"))
    ident_text = f" '{ident}'" if ident not in (None, "") else ""
    partner = partners.get(normalize_name(row["partner"]), row["partner"])
    end = as_date(row.get("end_date"))
    when = f" op {format_date(end)}" if end is not None and end < today else ""
    return f"Afspraak{ident_text} met {partner} is beëindigd{when}"


def judge_requirements(
    agreements: pd.DataFrame,
    matrix: pd.DataFrame,
    today: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> list[Finding]:
    """Judge every shelter against every requirement of the matrix.

    A requirement is ``met`` when the shelter has a current written agreement with a partner of
    the required type (any partner for ``*``) that includes the agreement type, covers children
    where required, and was evaluated or started within the evaluation window (today minus
    ``settings.evaluation_window_days`` up to today, both included). ``partial`` when such an
    agreement exists but falls short, ``missing`` when there is none or only ended ones.
    Findings are sorted by organisation, partner type and agreement type.

    >>> rows = pd.DataFrame([{"organisation": "Opvang A", "organisation_type": "vrouwenopvang",
    ...     "partner": "Veilig Thuis Kennemerland", "partner_type": "veilig_thuis",
    ...     "agreement_types": ("meldcode",), "status": "mondeling", "child_specific": True,
    ...     "start_date": None, "end_date": None, "evaluated_on": None, "agreement_id": None}])
    >>> matrix = pd.DataFrame([{"partner_type": "veilig_thuis", "agreement_type": "meldcode",
    ...     "norm": "4.3", "child_required": True}])
    >>> [finding] = judge_requirements(rows, matrix, date(2026, 1, 1))
    >>> finding.status
    'partial'
    >>> finding.reason
    'Mondelinge afspraak met Veilig Thuis Kennemerland; niet aantoonbaar vastgelegd (norm 4.3, \
keurmerk)'
    >>> finding.norm_source, finding.level
    ('keurmerk', None)
    """
    rows = records(agreements)
    partners = display_names(rows, ("organisation", "partner"))
    shelters = sorted(shelter_keys(rows), key=lambda key: name_sort_key(partners[key]))
    requirements = sorted(requirement_rows(matrix), key=lambda r: tuple(map(str, r)))
    by_holder: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        by_holder.setdefault(normalize_name(row["organisation"]), []).append(row)

    findings: list[Finding] = []
    for shelter in shelters:
        own = [
            row for row in by_holder.get(shelter, []) if normalize_name(row["partner"]) != shelter
        ]
        for (
            partner_type,
            agreement_type,
            norm,
            child_required,
            source,
            floor,
            weight,
        ) in requirements:
            candidates = [
                row
                for row in own
                if (partner_type == ANY_PARTNER or row.get("partner_type") == partner_type)
                and agreement_type in as_codes(row.get("agreement_types"))
            ]
            current = [row for row in candidates if is_current(row, today)]
            suffix = _suffix(norm, source)
            level = None
            if current:
                best = min(
                    (
                        _assess(row, child_required, today, settings, partners, floor)
                        for row in current
                    ),
                    key=lambda a: a.rank,
                )
                status = "met" if best.met else "partial"
                reason = best.text + suffix
                level = best.level
            else:
                # missing: no current agreement; the reason states the fact and the norm the
                # matrix cites (keurmerk Indicator 4, seed:
                # normenkader-keurmerk-veiligheid-vrouwenopvang.txt:1125-1188)
                status = "missing"
                wanted = requirement_text(partner_type, agreement_type)
                if candidates:
                    ended = min(
                        (_ended_text(row, today, partners) for row in candidates),
                    )
                    reason = f"{ended}; geen actuele afspraak over {wanted}{suffix}"
                else:
                    reason = f"Geen afspraak over {wanted}{suffix}"
            findings.append(
                Finding(
                    organisation=partners[shelter],
                    partner_type=partner_type,
                    agreement_type=agreement_type,
                    norm=norm,
                    status=status,
                    reason=reason,
                    norm_source=source,
                    level=level,
                    weight=weight,
                )
            )
    return sort_findings(findings)


def requirement_rows(
    matrix: pd.DataFrame,
) -> set[tuple[str, str, str, bool, str, str | None, int]]:
    """The requirements of a matrix frame as (partner type, agreement type, norm, child
    required, source, minimum level, weight); a matrix without the optional columns (a region's
    own, as stored) gets the inferred source, no minimum level and weight 1.

    >>> matrix = pd.DataFrame([{"partner_type": "*", "agreement_type": "vervoer", "norm": "4.5",
    ...     "child_required": True}])
    >>> requirement_rows(matrix)
    {('*', 'vervoer', '4.5', True, 'normenkader 2019', None, 1)}
    """
    out = set()
    for r in records(matrix):
        norm = str(r["norm"])
        weight = clean_value(r.get("weight"))
        out.add(
            (
                str(r["partner_type"]),
                str(r["agreement_type"]),
                norm,
                bool(r["child_required"]),
                clean_value(r.get("source")) or infer_norm_source(norm),
                clean_value(r.get("min_level")) or None,
                int(weight) if weight is not None else 1,
            )
        )
    return out


def norm_coverage(
    agreements: pd.DataFrame,
    matrix: pd.DataFrame,
    today: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> float:
    """The coverage of :func:`judge_requirements`, without writing a reason for every finding.

    Equal to ``coverage(judge_requirements(agreements, matrix, today, settings))``: a
    requirement is met for a shelter when at least one of its current written agreements with
    another organisation of the required partner type includes the agreement type, covers
    children where required and was evaluated or started within the window. For the comparison
    of regions, which reports the share and no reasons.

    >>> rows = pd.DataFrame([{"organisation": "Opvang A", "organisation_type": "vrouwenopvang",
    ...     "partner": "Veilig Thuis", "partner_type": "veilig_thuis",
    ...     "agreement_types": ("meldcode",), "status": "schriftelijk", "child_specific": False,
    ...     "start_date": date(2025, 6, 1), "end_date": None, "evaluated_on": None}])
    >>> matrix = pd.DataFrame([("veilig_thuis", "meldcode", "4.3", False),
    ...                        ("veilig_thuis", "meldcode", "4.3", True)],
    ...     columns=["partner_type", "agreement_type", "norm", "child_required"])
    >>> norm_coverage(rows, matrix, date(2026, 1, 1))
    0.5
    """
    requirements = requirement_rows(matrix)
    holders = normalized(column_values(agreements, "organisation"))
    kinds = holder_types_of(holders, column_values(agreements, "organisation_type"))
    shelters = {key for key, kind in kinds.items() if kind in SHELTER_TYPES}
    if not shelters or not requirements:
        return 0.0
    window_start = today - timedelta(days=settings.evaluation_window_days)
    dates: dict[Any, date | None] = {}

    def recent(value: Any) -> bool:
        if value is None:
            return False
        try:
            day = dates[value]
        except KeyError:
            day = dates[value] = as_date(value)
        except TypeError:  # an unhashable value: read it every time
            day = as_date(value)
        return day is not None and window_start <= day <= today

    current = current_flags(
        column_values(agreements, "status"), column_values(agreements, "end_date"), today
    )
    # (shelter, partner type or *, agreement type) -> (covers children, level rank or None) of
    # each good agreement; the level counts only against a requirement's minimum level
    good: dict[tuple[Any, str, str], set[tuple[bool, int | None]]] = {}
    for (
        is_now,
        holder,
        partner,
        status,
        partner_type,
        types,
        child,
        evaluated,
        started,
        level,
    ) in zip(
        current,
        holders,
        normalized(column_values(agreements, "partner")),
        column_values(agreements, "status"),
        column_values(agreements, "partner_type"),
        column_values(agreements, "agreement_types"),
        column_values(agreements, "child_specific"),
        column_values(agreements, "evaluated_on"),
        column_values(agreements, "start_date"),
        column_values(agreements, "level"),
        strict=True,
    ):
        if not (
            is_now
            and status == "schriftelijk"
            and holder in shelters
            and partner != holder
            and (recent(evaluated) or recent(started))
        ):
            continue
        fact = (bool(child), LEVEL_ORDER.index(level) if level in LEVEL_ORDER else None)
        for code in as_codes(types):
            for key in ((holder, partner_type, code), (holder, ANY_PARTNER, code)):
                good.setdefault(key, set()).add(fact)
    met = 0
    for shelter in shelters:
        for partner_type, agreement_type, _norm, child_required, _source, floor, _ in requirements:
            lowest = LEVEL_ORDER.index(floor) if floor in LEVEL_ORDER else None
            if any(
                (children or not child_required)
                and (lowest is None or rank is None or rank >= lowest)
                for children, rank in good.get((shelter, partner_type, agreement_type), ())
            ):
                met += 1
    return met / (len(shelters) * len(requirements))


def sort_findings(findings: list[Finding]) -> list[Finding]:
    """Findings in report order: organisation, partner type, agreement type (then norm)."""
    return sorted(
        findings,
        key=lambda f: (name_sort_key(f.organisation), f.partner_type, f.agreement_type, f.norm),
    )


def coverage(findings: list[Finding]) -> float:
    """The share of findings with status ``met``.

    With no findings at all (a region without shelters, or an empty matrix) coverage is 0.0:
    nothing has been shown to meet the norm, and a dashboard must not suggest otherwise.

    >>> coverage([Finding("A", "*", "vervoer", "4.5", "met", ""),
    ...           Finding("A", "*", "regie", "x", "partial", "")])
    0.5
    >>> coverage([])
    0.0
    """
    if not findings:
        return 0.0
    return sum(1 for f in findings if f.status == "met") / len(findings)


# --- Views of the findings (the Normenkader page, the Ketenkaart) -----------------------------


def select_findings(
    findings: Iterable[Finding],
    organisations: Iterable[str] = (),
    statuses: Iterable[str] = (),
    partner_types: Iterable[str] = (),
) -> list[Finding]:
    """The findings that match every filter given; an empty filter lets everything through.

    >>> f = [Finding("A", "politie", "veiligheid", "4.2b", "met", ""),
    ...      Finding("B", "politie", "veiligheid", "4.2b", "missing", "")]
    >>> [x.organisation for x in select_findings(f, statuses=["missing"])]
    ['B']
    >>> len(select_findings(f, organisations=["A"], statuses=["missing"]))
    0
    """
    orgs, wanted, types = set(organisations), set(statuses), set(partner_types)
    return [
        f
        for f in findings
        if (not orgs or f.organisation in orgs)
        and (not wanted or f.status in wanted)
        and (not types or f.partner_type in types)
    ]


def unmet_findings(findings: Iterable[Finding]) -> list[Finding]:
    """The findings that are not ``met`` (partial or missing), in their order.

    >>> f = [Finding("A", "*", "vervoer", "4.5", "met", ""),
    ...      Finding("A", "*", "regie", "x", "partial", "")]
    >>> [x.agreement_type for x in unmet_findings(f)]
    ['regie']
    """
    return [f for f in findings if f.status != "met"]


@dataclass(frozen=True)
class FindingsGrid:
    """The findings as a grid: one row per requirement, one column per shelter.

    Attributes:
        shelters: the judged shelters, by name.
        requirements: (partner type, agreement type, norm) per row, in the matrix's order.
        cells: ``cells[row][column]`` is the finding of that requirement at that shelter, or
            None where the shelter was not judged against it.
    """

    shelters: tuple[str, ...]
    requirements: tuple[tuple[str, str, str], ...]
    cells: tuple[tuple[Finding | None, ...], ...]


def findings_grid(findings: Iterable[Finding], matrix: pd.DataFrame | None) -> FindingsGrid:
    """Lay the findings out as requirement × shelter, the requirements in the order of the
    region's norm matrix (requirements the matrix does not list come last, as found).

    >>> f = [Finding("Opvang B", "politie", "veiligheid", "4.2b", "met", ""),
    ...      Finding("Opvang A", "veilig_thuis", "meldcode", "4.3", "missing", ""),
    ...      Finding("Opvang A", "politie", "veiligheid", "4.2b", "partial", "")]
    >>> matrix = pd.DataFrame({"partner_type": ["veilig_thuis", "politie"],
    ...                        "agreement_type": ["meldcode", "veiligheid"]})
    >>> grid = findings_grid(f, matrix)
    >>> grid.shelters, grid.requirements
    (('Opvang A', 'Opvang B'), (('veilig_thuis', 'meldcode', '4.3'), \
('politie', 'veiligheid', '4.2b')))
    >>> [[cell.status if cell else None for cell in row] for row in grid.cells]
    [['missing', None], ['partial', 'met']]
    """
    findings = list(findings)
    shelters = sorted({f.organisation for f in findings}, key=name_sort_key)
    requirements = list(dict.fromkeys((f.partner_type, f.agreement_type, f.norm) for f in findings))
    # a (partner type, agreement type) listed twice in the matrix takes its last place
    order = {
        (partner_type, agreement_type): position
        for position, (partner_type, agreement_type) in enumerate(
            zip(
                column_values(matrix, "partner_type"),
                column_values(matrix, "agreement_type"),
                strict=True,
            )
        )
    }
    requirements.sort(key=lambda r: order.get((r[0], r[1]), len(order)))
    by_cell = {(f.partner_type, f.agreement_type, f.norm, f.organisation): f for f in findings}
    cells = tuple(
        tuple(by_cell.get((*requirement, shelter)) for shelter in shelters)
        for requirement in requirements
    )
    return FindingsGrid(tuple(shelters), tuple(requirements), cells)
