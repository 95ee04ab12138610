"""Regions side by side: the key figures of each, for a centrumgemeente or a national view.

Figures shown outside the own region hide small counts: :func:`mask_small_counts` renders
counts below ``settings.small_count`` (5) as ``"< 5"``.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date
from typing import Any

import pandas as pd

from analysis.handovers import handover_totals
from analysis.network import as_int, name_sort_key, network_counts
from analysis.norms import norm_coverage
from analysis.settings import DEFAULT_SETTINGS, Settings
from analysis.stagnation import summarise_stagnation

__all__ = ["COMPARE_COLUMNS", "RegionInput", "compare_regions", "mask_small_counts"]

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
