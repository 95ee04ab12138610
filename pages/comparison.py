"""Regio's vergelijken: the key figures of every region side by side; small counts hidden."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis import compare
from ui import common

st.title("Regio's vergelijken")
database = common.database_state()

if not database.regions:
    common.show_no_regions()
    st.stop()

today = common.analysis_today()
frame = common.load_comparison(database.path, database.version, today)
small = common.SETTINGS.small_count
st.caption(
    f"Peildatum {today:%d-%m-%Y}. Aantallen gezinnen onder de {small} staan er als '< {small}', "
    f"en een percentage van minder dan {small} gezinnen als '{compare.HIDDEN_SHARE}' (het zou "
    "het aantal verraden): deze tabel is bedoeld om te delen buiten de eigen regio."
)
table = pd.DataFrame(
    {
        "Regio": frame["region"],
        "Organisaties": frame["organisations"],
        "Opvangorganisaties": frame["shelters"],
        "Actuele afspraken": frame["agreements"],
        "Normdekking": [common.percent(v) for v in frame["coverage"]],
        "Ontbrekende partnertypes": [
            ", ".join(common.partner_label(c) for c in codes) or "–"
            for codes in frame["missing_partner_types"]
        ],
        "Periode overdracht": [p or "–" for p in frame["handover_period"]],
        "Warme overdrachten": [
            compare.mask_small_share(share, families, common.SETTINGS)
            for share, families in zip(frame["warm_share"], frame["families"], strict=True)
        ],
        "Gezinnen overgedragen": [
            compare.mask_small_counts(v, common.SETTINGS) for v in frame["families"]
        ],
        "Uitvraag stagnatie": [p or "–" for p in frame["stagnation_period"]],
        "Gesignaleerde stagnaties": frame["flagged_stagnations"],
    }
)
common.show_table(table, key="vergelijking")

chart = go.Figure(
    [
        go.Bar(
            x=[common.plotly_text(r) for r in frame["region"]],
            y=[float(v) * 100 for v in frame["coverage"]],
            name="Normdekking",
        ),
        go.Bar(
            x=[common.plotly_text(r) for r in frame["region"]],
            y=[
                None if shown is None else shown * 100
                for shown in (
                    compare.hide_small_share(share, families, common.SETTINGS)
                    for share, families in zip(frame["warm_share"], frame["families"], strict=True)
                )
            ],
            name="Warme overdrachten",
        ),
    ]
)
chart.update_layout(
    barmode="group",
    height=360,
    yaxis={"title": "%", "range": [0, 100]},
    margin={"l": 10, "r": 10, "t": 10, "b": 10},
)
st.plotly_chart(chart, key="vergelijking_grafiek", config={"displaylogo": False})

st.subheader("Verhuisd naar een andere regio", anchor=False)
moves = common.load_moves(database.path, database.version, today)
st.caption(
    f"Gezinnen die bij uitstroom naar een andere regio verhuisden, opgeteld over de laatste "
    f"{compare.MOVE_PERIODS} perioden met overdrachten, en hoeveel van hen een regisseur in de "
    "nieuwe gemeente kregen (inspectie 2017). Aantallen onder de "
    f"{small} staan er als '< {small}'. Alleen als een regio de kolommen `naar_andere_regio` en "
    "`regisseur_nieuwe_gemeente` invult, staat er een getal."
)
common.show_table(
    pd.DataFrame(
        {
            "Regio": moves["region"],
            "Perioden": [
                "–" if first is None else f"{first} t/m {last}"
                for first, last in zip(moves["first_period"], moves["last_period"], strict=True)
            ],
            "Naar andere regio": [
                compare.mask_small_counts(v, common.SETTINGS) for v in moves["moved"]
            ],
            "Met regisseur in nieuwe gemeente": [
                compare.mask_small_counts(v, common.SETTINGS) for v in moves["regisseur_new"]
            ],
            "Aandeel met regisseur": [
                compare.mask_small_share(
                    None if of in (None, 0) else count / of, of, common.SETTINGS
                )
                for count, of in zip(moves["regisseur_new"], moves["regisseur_of"], strict=True)
            ],
        }
    ),
    key="verhuizingen",
)
