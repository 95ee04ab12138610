"""What the Vergadering page shows that no other page computes: the shelters ranked by their
warm share, per phase and over all phases (issue 10: "which shelter hands over worst, and in
which phase"). Pure analysis (no Streamlit, no DuckDB).
"""

from __future__ import annotations

import pandas as pd

from analysis.codes import PHASES
from analysis.handovers import handover_shares
from analysis.network import name_sort_key

__all__ = ["rank_shelters"]


def rank_shelters(handovers: pd.DataFrame | None, period: str | None = None) -> pd.DataFrame:
    """One row per shelter of the period (default: the latest), worst first: its warm share
    per phase (None where it had no families in that phase), over all phases (sum warm / sum
    families) and its weakest phase. Ties go by name, so the order is repeatable. The
    families of each phase follow as ``families_<phase>`` (what each phase's share is of, for
    hiding the shares of fewer than 5 families: :func:`ketendata.access.shown_ranking`).

    >>> frame = pd.DataFrame([
    ...     {"organisation": "A", "period": "2026", "phase": "uitstroom", "partner_type": "ggz",
    ...      "families": 4, "warm": 1},
    ...     {"organisation": "A", "period": "2026", "phase": "instroom", "partner_type": "politie",
    ...      "families": 6, "warm": 6},
    ...     {"organisation": "B", "period": "2026", "phase": "uitstroom", "partner_type": "ggz",
    ...      "families": 5, "warm": 4}])
    >>> ranked = rank_shelters(frame)
    >>> list(ranked["organisation"]), [round(s, 2) for s in ranked["overall"]]
    (['A', 'B'], [0.7, 0.8])
    >>> list(ranked["weakest_phase"]), list(ranked["families_uitstroom"])
    (['uitstroom', 'uitstroom'], [4, 5])
    """
    columns = [
        "organisation",
        "period",
        "families",
        *PHASES,
        "overall",
        "weakest_phase",
        *(f"families_{phase}" for phase in PHASES),
    ]
    if handovers is None or len(handovers) == 0:
        return pd.DataFrame(columns=columns)
    shares = handover_shares(handovers, period)
    rows = []
    for organisation, group in shares.groupby("organisation", sort=False):
        families = int(group["families"].sum())
        warm = int(group["warm"].sum())
        per_phase = {
            phase: (float(share) if pd.notna(share) else None)
            for phase, share in zip(group["phase"], group["warm_share"], strict=True)
        }
        per_phase_families = {
            phase: int(count)
            for phase, count in zip(group["phase"], group["families"], strict=True)
        }
        known = {phase: share for phase, share in per_phase.items() if share is not None}
        weakest = min(known, key=lambda p: (known[p], list(PHASES).index(p))) if known else None
        rows.append(
            {
                "organisation": organisation,
                "period": group["period"].iloc[0],
                "families": families,
                **{phase: per_phase.get(phase) for phase in PHASES},
                "overall": warm / families if families else None,
                "weakest_phase": weakest,
                **{f"families_{phase}": per_phase_families.get(phase, 0) for phase in PHASES},
            }
        )
    rows.sort(
        key=lambda r: (
            r["overall"] is None,
            r["overall"] if r["overall"] is not None else 0.0,
            name_sort_key(r["organisation"]),
        )
    )
    return pd.DataFrame(rows, columns=columns)
