"""Stagnatie: where help stalls, ranked, with the trend over all survey waves."""

from __future__ import annotations

from collections.abc import Iterable

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis import codes, handovers, stagnation
from ketendata.wording import plural
from ui import actions as ui_actions
from ui import common

__all__: list[str] = []  # a page script: nothing to import

st.title("Stagnatie")
view = common.require_region()
region_text = common.escape_markdown(view.region)
frames = common.load_frames(view.path, view.region, view.version)
periods = handovers.list_periods(frames.stagnation)

if not periods:
    common.point_to_data_page(
        f"Voor {region_text} is nog geen stagnatie-uitvraag ingevuld. Upload een bestand van de "
        "soort Stagnatie (uitvraag) op de pagina Gegevens."
    )
    st.stop()

left, right = st.columns([1, 3])
period = left.selectbox("Uitvraag", list(reversed(periods)), key="uitvraag", bind="query-params")
domains = right.multiselect(
    "Domeinen",
    list(codes.DOMAINS),
    format_func=lambda c: codes.label(c, codes.DOMAINS),
    key="domein",
    bind="query-params",
    placeholder="Alle domeinen",
)
topics = common.load_topics(view.path, view.region, view.version, period)
shown = stagnation.select_topics(topics, domains)

st.subheader(f"Knelpunten, ernstigste eerst ({common.escape_markdown(period)})", anchor=False)
st.caption(
    "Gesignaleerd: gemiddelde ernst 4 of meer (op een schaal van 1 tot 5), of een "
    "schoolplaatsing met een mediane wachttijd van meer dan 7 dagen (norm 3.3 van het keurmerk: "
    "kinderen gaan binnen 5 werkdagen naar school). De trend vergelijkt de ernst met de "
    "uitvraag ervoor."
)


def _numbers(values: Iterable[float | int | None]) -> list[str]:
    """Numbers in Dutch notation; "–" where no answer gave one (not the table's "None")."""
    return ["–" if v is None or pd.isna(v) else stagnation.format_number(float(v)) for v in values]


if not shown:
    st.write("Geen antwoorden in deze selectie.")
else:
    common.show_table(
        pd.DataFrame(
            {
                "Gesignaleerd": ["ja" if t.flagged else "" for t in shown],
                "Domein": [codes.label(t.domain, codes.DOMAINS) for t in shown],
                "Onderwerp": [codes.label(t.topic, codes.TOPICS) for t in shown],
                "Partnertype": [common.partner_label(t.partner_type) for t in shown],
                "Ernst": [round(float(t.mean_severity), 1) for t in shown],
                "Trend": [stagnation.TREND_LABELS.get(t.trend, t.trend) for t in shown],
                "Respondenten": [int(t.respondents) for t in shown],
                "Gezinnen": _numbers(t.families for t in shown),
                "Wachttijd (mediaan, dagen)": _numbers(t.median_wait_days for t in shown),
                "Extra verblijfsdagen": _numbers(t.extra_shelter_days for t in shown),
                "Toelichting": [t.reason for t in shown],
            }
        ),
        key="stagnatie_tabel",
        on_select="rerun",
        selection_mode="single-row",
        column_config={
            "Ernst": st.column_config.ProgressColumn(
                "Ernst", min_value=0, max_value=5, format="%.1f"
            ),
        },
    )
    ui_actions.add_action_for_table(
        view.region,
        shown,
        ui_actions.topic_link,
        table_key="stagnatie_tabel",
        key="actie_stagnatie",
        is_gap=lambda topic: topic.flagged,
    )
    st.caption(
        f"{plural(len(shown), 'onderwerp', 'onderwerpen')}, waarvan "
        f"{stagnation.count_flagged(shown)} gesignaleerd."
    )

over_time = stagnation.select_domains(stagnation.stagnation_over_time(frames.stagnation), domains)

st.subheader("Verloop over alle uitvragen")
if len(over_time) == 0:
    st.write("Geen antwoorden in deze selectie.")
else:
    trend = go.Figure()
    for line in stagnation.trend_lines(over_time):
        trend.add_trace(
            go.Scatter(
                x=list(line.periods),
                y=list(line.severities),
                mode="lines+markers",
                name=stagnation.topic_text(line.domain, line.topic, line.partner_type),
            )
        )
    trend.add_hline(
        y=common.SETTINGS.severity_flag,
        line_dash="dot",
        line_color=common.FINDING_COLOURS["missing"],
        annotation_text="signaalgrens",
    )
    trend.update_layout(
        height=420,
        yaxis={"title": "Gemiddelde ernst", "range": [0.5, 5.5]},
        xaxis={"title": "Uitvraag", "type": "category", "categoryorder": "category ascending"},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"title": {"text": "Onderwerp"}},
    )
    st.plotly_chart(trend, key="trend", config={"displaylogo": False})

    st.subheader("Ernst per domein en uitvraag")
    heat = stagnation.severity_by_domain(over_time)
    values = [[None if pd.isna(v) else float(v) for v in row] for row in heat.to_numpy()]
    heatmap = go.Figure(
        go.Heatmap(
            z=values,
            x=list(heat.columns),
            y=[codes.label(d, codes.DOMAINS) for d in heat.index],
            zmin=1,
            zmax=5,
            colorscale="OrRd",
            text=[
                ["" if v is None else f"{v:.1f}".replace(".", ",") for v in row] for row in values
            ],
            texttemplate="%{text}",
            hovertemplate="%{y}, %{x}: hoogste gemiddelde ernst %{z:.1f}<extra></extra>",
            colorbar={"title": {"text": "Ernst"}},
            xgap=2,
            ygap=2,
        )
    )
    heatmap.update_layout(
        height=120 + 40 * len(heat.index),
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        xaxis={"type": "category"},
        yaxis={"autorange": "reversed"},
    )
    st.plotly_chart(heatmap, key="domeinen", config={"displaylogo": False})
    st.caption("Per domein de hoogste gemiddelde ernst van zijn onderwerpen in die uitvraag.")
