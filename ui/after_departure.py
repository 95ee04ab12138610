"""The "Na vertrek" view of the Overdracht page (issue 16): per shelter, over the periods, how
many families someone kept in touch with for six months, how many moved to another region and
got a regisseur there, and whose signalling partners were told.

The figures come from :func:`analysis.handovers.after_departure_trend`; the 0.8 is Ketenkaart's
own threshold (a setting), the inspection of 2017 names no percentage. For an ``opvang``
user looking at another shelter, counts below 5 read "< 5" and shares of fewer than 5
families "verborgen" (access.md, :func:`ketendata.access.shown_trend`).
"""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis import handovers
from analysis.compare import HIDDEN_SHARE
from ketendata import access
from ui import access as access_ui
from ui import common

__all__ = ["LINES", "after_departure_table", "show_after_departure"]

#: The three shares drawn, as (column of the trend, label); the words of the inspection of 2017.
LINES: tuple[tuple[str, str], ...] = (
    ("aftercare_share", "Half jaar vinger aan de pols"),
    ("regisseur_new_share", "Regisseur in de nieuwe gemeente (van wie verhuisde)"),
    ("signalling_share", "Signaalpartners op de hoogte"),
)


def _count(count: object, of: object) -> str:
    """``3 van 5``, or ``–`` when the column was not given."""
    if count is None or of is None:
        return "–"
    return f"{count} van {of}"


def _is_share(value: object) -> bool:
    return isinstance(value, int | float) and not pd.isna(value)


def after_departure_table(trend: pd.DataFrame) -> pd.DataFrame:
    """The rows of one shelter's trend as the page shows them, newest period first; a share
    hidden by :func:`ketendata.access.shown_trend` reads "verborgen", a count "< 5".

    >>> trend = pd.DataFrame([{"organisation": "A", "period": "2026-Q1", "families": 5,
    ...     "aftercare_families": 5, "aftercare": 3, "aftercare_share": 0.6, "moved": 2,
    ...     "regisseur_new": 0, "regisseur_new_share": 0.0, "signalling_families": None,
    ...     "signalling": None, "signalling_share": None}])
    >>> after_departure_table(trend).astype(str).iloc[0].tolist()
    ['2026-Q1', '5', '3 van 5 (60%)', '2', '0 van 2 (0%)', '–']
    >>> hidden = trend.astype(object).assign(moved="< 5", regisseur_new="< 5",
    ...     regisseur_new_share="verborgen", aftercare="< 5")
    >>> after_departure_table(hidden).astype(str).iloc[0].tolist()[2:5]
    ['< 5 van 5 (60%)', '< 5', 'verborgen']
    """
    rows = trend.iloc[::-1]

    def shown(count: str, of: str, share: str) -> list[str]:
        return [
            HIDDEN_SHARE
            if r[share] == HIDDEN_SHARE
            else _count(r[count], r[of])
            + (f" ({common.percent(r[share])})" if _is_share(r[share]) else "")
            for _, r in rows.iterrows()
        ]

    def number(value: object) -> object:
        if value is None or pd.isna(value):
            return "–"
        return value if isinstance(value, str) else int(value)

    return pd.DataFrame(
        {
            "Periode": list(rows["period"]),
            "Gezinnen bij uitstroom": [number(v) for v in rows["families"]],
            "Zes maanden nazorg": shown("aftercare", "aftercare_families", "aftercare_share"),
            "Naar andere regio": [number(v) for v in rows["moved"]],
            "Met regisseur in nieuwe gemeente": shown(
                "regisseur_new", "moved", "regisseur_new_share"
            ),
            "Signaalpartners op de hoogte": shown(
                "signalling", "signalling_families", "signalling_share"
            ),
        }
    )


def show_after_departure(handover_rows: pd.DataFrame, region: str) -> None:
    """Draw the "Na vertrek" section for the region's handovers (every period)."""
    threshold = common.SETTINGS.warm_threshold
    st.subheader("Na vertrek", anchor=False)
    st.caption(
        "Wat er gebeurt nadat een gezin de opvang verlaat (uitstroom). De inspecties vinden dat "
        'iemand "in ieder geval nog een half jaar een vinger aan de pols" houdt, dat een gezin '
        'dat naar een andere regio verhuist "een regisseur vanuit de nieuwe gemeente" krijgt, '
        "en dat school, huisarts en jeugdgezondheidszorg weten waar ze met zorgen terechtkunnen "
        f"(inspectie 2017). De lijn bij {handovers.format_percent(threshold)} is de drempel die "
        "in Ketenkaart is ingesteld; de inspectie noemt geen percentage."
    )
    trend = handovers.after_departure_trend(handover_rows)
    measured = (
        trend[[column for column, _ in LINES] + ["moved"]].notna().any(axis=1)
        if len(trend)
        else pd.Series(dtype=bool)
    )
    if not measured.any():
        st.info(
            "Nog geen gegevens over na vertrek. Vul in het bestand Overdrachten de kolommen "
            "`nazorg_zes_maanden`, `naar_andere_regio`, `regisseur_nieuwe_gemeente` en "
            "`signaalpartners_geinformeerd` in (zie de pagina Gegevens voor het sjabloon)."
        )
        return
    shelters = list(dict.fromkeys(trend.loc[measured, "organisation"]))
    shelter = st.selectbox("Opvangorganisatie", shelters, key="na_vertrek_opvang")
    own = access.shown_trend(
        access_ui.principal(),
        region,
        trend[trend["organisation"] == shelter].reset_index(drop=True),
    )
    chart = go.Figure()
    for column, name in LINES:
        values = [float(v) * 100 if _is_share(v) else None for v in own[column]]
        if all(v is None for v in values):
            continue
        chart.add_trace(
            go.Scatter(
                x=list(own["period"]),
                y=values,
                name=name,
                mode="lines+markers",
                connectgaps=False,
                hovertemplate="%{x}: %{y:.0f}%<extra>%{fullData.name}</extra>",
            )
        )
    chart.add_hline(
        y=threshold * 100,
        line_dash="dot",
        line_color=common.FINDING_COLOURS["missing"],
        annotation_text="drempel (ingesteld in Ketenkaart)",
    )
    chart.update_layout(
        height=340,
        yaxis={"title": "% van de gezinnen", "range": [0, 105]},
        xaxis={"type": "category", "title": "Periode"},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"orientation": "h"},
    )
    st.plotly_chart(chart, key="na_vertrek_trend", config={"displaylogo": False})
    common.show_table(after_departure_table(own), key="na_vertrek_tabel")
    below = [
        str(r["period"])
        for _, r in own.iterrows()
        if _is_share(r["regisseur_new_share"]) and r["regisseur_new_share"] < threshold
    ]
    if below:
        st.warning(
            f"Gezinnen van {common.escape_markdown(shelter)} die naar een andere regio "
            "verhuisden, kregen daar niet altijd een regisseur: onder de drempel in "
            f"{', '.join(below)}."
        )
