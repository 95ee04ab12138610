"""Regions side by side: the key figures of each, for a centrumgemeente or a national view.

Figures shown outside the own region hide small counts: :func:`mask_small_counts` renders
counts below ``settings.small_count`` (5) as ``"< 5"``, and a share of such a count is hidden
too (:func:`mask_small_share`): "33,3%" next to "< 5" could only mean 1 of 3.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from analysis.handovers import format_percent, handover_totals
from analysis.network import as_int, column_values, name_sort_key, network_counts, records
from analysis.norms import norm_coverage
from analysis.settings import DEFAULT_SETTINGS, Settings
from analysis.stagnation import summarise_stagnation

__all__ = [
    "COMPARE_COLUMNS",
    "HIDDEN_SHARE",
    "MOVE_COLUMNS",
    "MOVE_PERIODS",
    "RegionInput",
    "compare_moves",
    "compare_regions",
    "hide_small_share",
    "is_small_count",
    "mask_small_counts",
    "mask_small_share",
]

#: How :func:`mask_small_share` shows a share of fewer than ``small_count`` families.
HIDDEN_SHARE = "verborgen"

#: Columns of :func:`compare_regions`, in order.
COMPARE_COLUMNS = [
    "region",
    "organisations",
    "shelters",
    "agreements",
    "coverage",
    "missing_partner_types_count",
    "missing_partner_types",
    "handover_period",
    "warm_share",
    "families",
    "stagnation_period",
    "flagged_stagnations",
]


@dataclass(frozen=True)
class RegionInput:
    """The frames of one region and the norm matrix that applies to it."""

    agreements: pd.DataFrame
    handovers: pd.DataFrame
    stagnation: pd.DataFrame
    matrix: pd.DataFrame


def mask_small_counts(value: int | float | None, settings: Settings = DEFAULT_SETTINGS) -> str:
    """A count as text, with counts below ``settings.small_count`` hidden as ``"< 5"``.

    Zero is below 5 as well, so it is hidden too; an unknown count is ``"–"``.

    >>> mask_small_counts(3), mask_small_counts(5), mask_small_counts(0), mask_small_counts(None)
    ('< 5', '5', '< 5', '–')
    """
    number = as_int(value)
    if number is None:
        return "–"
    if number < settings.small_count:
        return f"< {settings.small_count}"
    return str(number)


def is_small_count(value: int | float | None, settings: Settings = DEFAULT_SETTINGS) -> bool:
    """Whether a count is hidden by :func:`mask_small_counts` (below ``settings.small_count``).

    An unknown count is not small: there is nothing to hide.

    >>> is_small_count(4), is_small_count(5), is_small_count(0), is_small_count(None)
    (True, False, True, False)
    """
    number = as_int(value)
    return number is not None and number < settings.small_count


def hide_small_share(
    share: float | None,
    denominator: int | float | None,
    settings: Settings = DEFAULT_SETTINGS,
) -> float | None:
    """``share`` (of ``denominator`` families), or None when it is unknown or when the
    denominator is a small count (:func:`is_small_count`): for charts.

    >>> hide_small_share(1 / 3, 3), hide_small_share(0.6, 5), hide_small_share(None, 10)
    (None, 0.6, None)
    """
    if share is None or pd.isna(share) or is_small_count(denominator, settings):
        return None
    return float(share)


def mask_small_share(
    share: float | None,
    denominator: int | float | None,
    settings: Settings = DEFAULT_SETTINGS,
) -> str:
    """A share as a Dutch percentage, hidden as ``"verborgen"`` when its denominator is a
    count that :func:`mask_small_counts` hides; an unknown share is ``"–"``.

    A share of fewer than 5 families gives the count away ("33,3%" of "< 5" is 1 of 3), so
    wherever counts below 5 are hidden, shares of them are too.

    >>> mask_small_share(1 / 3, 3), mask_small_share(0.6, 5), mask_small_share(None, 2)
    ('verborgen', '60%', '–')
    """
    if share is None or pd.isna(share):
        return "–"
    if is_small_count(denominator, settings):
        return HIDDEN_SHARE
    return format_percent(float(share))


def _region_row(region: str, data: RegionInput, today: date, settings: Settings) -> dict:
    # Only what the row reports: the network's counts without the graph and the norm coverage
    # without a reason per finding (the same numbers as build_network/judge_requirements).
    counts = network_counts(data.agreements, today, data.matrix)
    handovers = handover_totals(data.handovers)  # the latest period, as on the Overzicht
    topics = summarise_stagnation(data.stagnation, settings)
    row: dict[str, Any] = {
        "region": region,
        "organisations": counts.organisations,
        "shelters": counts.shelters,
        "agreements": counts.agreements,
        "coverage": norm_coverage(data.agreements, data.matrix, today, settings),
        "missing_partner_types_count": len(counts.partner_types_missing),
        "missing_partner_types": counts.partner_types_missing,
        "handover_period": handovers.period,
        "warm_share": handovers.warm_share,
        "families": handovers.families if handovers.period is not None else None,
        "stagnation_period": topics[0].period if topics else None,
        "flagged_stagnations": sum(1 for t in topics if t.flagged),
    }
    return row


#: How many of a region's latest handover periods the moves between regions are summed over
#: (four quarters: a year), so the counts are less often too small to show.
MOVE_PERIODS = 4

#: Columns of :func:`compare_moves`, in order.
MOVE_COLUMNS = ["region", "first_period", "last_period", "moved", "regisseur_new", "regisseur_of"]


def _region_moves(region: str, handovers: pd.DataFrame | None) -> dict[str, Any]:
    rows = [r for r in records(handovers) if r.get("phase") == "uitstroom"]
    periods = sorted({str(p) for p in column_values(handovers, "period") if p is not None})
    latest = periods[-MOVE_PERIODS:]
    rows = [r for r in rows if str(r.get("period")) in latest]
    moved = [as_int(r.get("moved_to_other_region")) for r in rows]
    given = [r for r, m in zip(rows, moved, strict=True) if m is not None]
    judged = [r for r in given if as_int(r.get("regisseur_new_municipality")) is not None]
    return {
        "region": region,
        "first_period": latest[0] if latest else None,
        "last_period": latest[-1] if latest else None,
        "moved": sum(m for m in moved if m is not None) if given else None,
        "regisseur_new": (
            sum(as_int(r["regisseur_new_municipality"]) for r in judged) if judged else None
        ),
        "regisseur_of": (
            sum(as_int(r["moved_to_other_region"]) for r in judged) if judged else None
        ),
    }


def compare_moves(per_region: Mapping[str, RegionInput]) -> pd.DataFrame:
    """Per region: families who moved to another region at uitstroom over its latest
    :data:`MOVE_PERIODS` handover periods (``moved``), and of the moved families on rows that
    say so (``regisseur_of``), how many got a regisseur in the new municipality
    (``regisseur_new``). None where no row gives the column. Counts, to be shown with
    :func:`mask_small_counts`; sorted by region name.

    >>> frame = pd.DataFrame([
    ...     {"period": "2026-Q1", "phase": "uitstroom", "moved_to_other_region": 6,
    ...      "regisseur_new_municipality": 5},
    ...     {"period": "2026-Q2", "phase": "uitstroom", "moved_to_other_region": 2},
    ...     {"period": "2026-Q2", "phase": "instroom", "moved_to_other_region": 9}])
    >>> empty = pd.DataFrame()
    >>> moves = compare_moves({"A": RegionInput(empty, frame, empty, empty),
    ...                        "B": RegionInput(empty, empty, empty, empty)})
    >>> moves.values.tolist()
    [['A', '2026-Q1', '2026-Q2', 8, 5, 6], ['B', None, None, None, None, None]]
    """
    rows = [
        _region_moves(region, per_region[region].handovers)
        for region in sorted(per_region, key=name_sort_key)
    ]
    return pd.DataFrame(rows, columns=MOVE_COLUMNS, dtype=object)


def compare_regions(
    per_region: Mapping[str, RegionInput],
    today: date,
    settings: Settings = DEFAULT_SETTINGS,
) -> pd.DataFrame:
    """Key figures per region, one row each, sorted by region name.

    Columns: region, organisations, shelters, agreements, coverage,
    missing_partner_types_count, missing_partner_types (tuple of codes), handover_period,
    warm_share (warm / families over all handovers of the latest period; None without families),
    families (in the latest handover period), stagnation_period, flagged_stagnations.

    >>> empty = pd.DataFrame()
    >>> frame = compare_regions({"B": RegionInput(empty, empty, empty, empty),
    ...                          "A": RegionInput(empty, empty, empty, empty)}, date(2026, 1, 1))
    >>> frame["region"].tolist()
    ['A', 'B']
    """
    rows = [
        _region_row(region, per_region[region], today, settings)
        for region in sorted(per_region, key=name_sort_key)
    ]
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)
