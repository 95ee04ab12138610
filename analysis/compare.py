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

from analysis.handovers import latest_period
from analysis.network import (
    as_int,
    build_network,
    measure_network,
    name_sort_key,
    records,
    shelter_keys,
)
from analysis.norms import coverage, default_matrix, judge_requirements
from analysis.stagnation import summarise_stagnation
from ketendata.settings import DEFAULT_SETTINGS, Settings

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
    """The frames of one region (``matrix`` None means the default matrix)."""

    agreements: pd.DataFrame
    handovers: pd.DataFrame
    stagnation: pd.DataFrame
    matrix: pd.DataFrame | None = None


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
    matrix = data.matrix if data.matrix is not None else default_matrix()
    graph = build_network(data.agreements, today)
    measures = measure_network(graph, matrix)
    findings = judge_requirements(data.agreements, matrix, today, settings)
    handover_rows = records(data.handovers)
    period = latest_period(row.get("period") for row in handover_rows)
    latest = [row for row in handover_rows if str(row.get("period")) == period]
    families = sum(as_int(row.get("families")) or 0 for row in latest)
    warm = sum(as_int(row.get("warm")) or 0 for row in latest)
    topics = summarise_stagnation(data.stagnation, settings)
    row: dict[str, Any] = {
        "region": region,
        "organisations": measures.organisations,
        "shelters": len(shelter_keys(records(data.agreements))),
        "agreements": measures.agreements,
        "coverage": coverage(findings),
        "missing_partner_types_count": len(measures.partner_types_missing),
        "missing_partner_types": measures.partner_types_missing,
        "handover_period": period,
        "warm_share": warm / families if families else None,
        "families": families if period is not None else None,
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
    >>> frame = compare_regions({"B": RegionInput(empty, empty, empty),
    ...                          "A": RegionInput(empty, empty, empty)}, date(2026, 1, 1))
    >>> frame["region"].tolist()
    ['A', 'B']
    """
    rows = [
        _region_row(region, per_region[region], today, settings)
        for region in sorted(per_region, key=name_sort_key)
    ]
    return pd.DataFrame(rows, columns=COMPARE_COLUMNS)
