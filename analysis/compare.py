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
from analysis.network import as_int, name_sort_key, network_counts
from analysis.norms import norm_coverage
from analysis.settings import DEFAULT_SETTINGS, Settings
from analysis.stagnation import summarise_stagnation

__all__ = [
    "COMPARE_COLUMNS",
    "HIDDEN_SHARE",
    "RegionInput",
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
