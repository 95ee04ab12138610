"""Overdracht: warm handovers per shelter and phase, where families go, and the handover gaps."""

from __future__ import annotations

import pandas as pd
import plotly.graph_objects as go
import streamlit as st

from analysis import codes, handovers
from ketendata import access
from ketendata.wording import plural
from ui import access as access_ui
from ui import actions as ui_actions
from ui import common, kaart
from ui.after_departure import show_after_departure

__all__: list[str] = []  # a page script: nothing to import

st.title("Overdracht")
view = common.require_region()
me = access_ui.principal()
region_text = common.escape_markdown(view.region)
frames = common.load_frames(view.path, view.region, view.version)
periods = handovers.list_periods(frames.handovers)

if not periods:
    common.point_to_data_page(
        f"Voor {region_text} zijn nog geen overdrachten ingevuld. Upload een bestand van de "
        "soort Overdrachten (per periode) op de pagina Gegevens."
    )
    st.stop()

period = st.selectbox(
    "Periode",
    list(reversed(periods)),
    key="periode",
    bind="query-params",
    help="De meest recente periode staat bovenaan.",
)
st.caption(
    "Warme overdracht (norm 4.1, keurmerk): een gesprek met de cliënt waarbij de verwijzende "
    "en de ontvangende hulpverlener allebei aanwezig zijn. Het normenkader 2019 noemt drie "
    "onderdelen: informatieoverdracht, persoonlijke context en ketenafspraken; de tabel toont "
    "het aandeel van elk naast het aandeel warm. Norm 4.1 vraagt een warme overdracht bij elke "
    "in-, door- en uitstroom; de drempel van "
    f"{handovers.format_percent(common.SETTINGS.warm_threshold)} voor een knelpunt is in "
    "Ketenkaart ingesteld en komt niet uit de normen."
)

shares = handovers.handover_shares(frames.handovers, period)
shown_period = common.escape_markdown(period)
st.subheader(f"Aandeel warme overdrachten per opvang en fase ({shown_period})", anchor=False)
if len(shares) == 0:
    st.write("Geen overdrachten in deze periode.")
else:
    table = pd.DataFrame(
        {
            "Opvangorganisatie": shares["organisation"],
            "Fase": [codes.label(p, codes.PHASES) for p in shares["phase"]],
            "Gezinnen": shares["families"],
            "Warm": [common.percent(v) for v in shares["warm_share"]],
            "Met informatieoverdracht": [common.percent(v) for v in shares["information_share"]],
            "Met persoonlijk contact": [
                common.percent(v) for v in shares["personal_contact_share"]
            ],
            "Met ketenafspraken": [common.percent(v) for v in shares["chain_agreements_share"]],
        }
    )
    shares_shown = [c for c in table if c.startswith("Met") or c == "Warm"]
    # access.md: an opvang user sees other shelters' counts below 5 as "< 5"
    table = access_ui.mask_family_counts(
        table, view.region, "Opvangorganisatie", "Gezinnen", shares_shown
    )
    chart = go.Figure()
    # access.md: a bar of another shelter's share of fewer than 5 families is left out
    bar_shares = [
        access.shown_share_value(me, view.region, organisation, share, families)
        for organisation, share, families in zip(
            shares["organisation"], shares["warm_share"], shares["families"], strict=True
        )
    ]
    hidden_bars = sum(
        1
        for shown, share in zip(bar_shares, shares["warm_share"], strict=True)
        if shown is None and share is not None and not pd.isna(share)
    )
    for phase in codes.PHASES:
        in_phase = [p == phase for p in shares["phase"]]
        part = shares[in_phase]
        if len(part) == 0:
            continue
        values = [v for v, keep in zip(bar_shares, in_phase, strict=True) if keep]
        chart.add_trace(
            go.Bar(
                x=[common.plotly_text(o) for o in part["organisation"]],
                y=[None if v is None else v * 100 for v in values],
                name=codes.label(phase, codes.PHASES),
                hovertemplate="%{x}<br>%{y:.0f}% warm<extra>%{fullData.name}</extra>",
            )
        )
    chart.add_hline(
        y=common.SETTINGS.warm_threshold * 100,
        line_dash="dot",
        line_color=common.FINDING_COLOURS["missing"],
        annotation_text="drempel (ingesteld in Ketenkaart)",
    )
    chart.update_layout(
        barmode="group",
        height=360,
        yaxis={"title": "% warm", "range": [0, 100]},
        margin={"l": 10, "r": 10, "t": 10, "b": 10},
        legend={"title": {"text": "Fase"}},
    )
    st.plotly_chart(chart, key="aandelen", config={"displaylogo": False})
    if hidden_bars:
        st.caption(
            f"{plural(hidden_bars, 'staaf staat', 'staven staan')} er niet in: een aandeel van "
            f"minder dan {common.SETTINGS.small_count} gezinnen van een andere "
            "opvangorganisatie zou het aantal verraden."
        )
    common.show_table(table, key="aandelen_tabel")

st.subheader(f"Uitstroom naar partnertypes ({shown_period})", anchor=False)
diagram, left_out = access.shown_flows(
    me, view.region, handovers.flow_diagram(frames.handovers, period, phase="uitstroom")
)
if left_out:
    st.caption(
        f"{plural(left_out, 'stroom', 'stromen')} van minder dan "
        f"{common.SETTINGS.small_count} gezinnen van andere opvangorganisaties "
        f"{'staat' if left_out == 1 else 'staan'} er niet in: de breedte van een stroom is "
        "het aantal gezinnen."
    )
if not diagram.links:
    st.write("Geen uitstroom in deze periode." if not left_out else "Geen stroom om te tonen.")
else:
    sources, targets = diagram.organisations, diagram.partner_types
    labels = [common.plotly_text(s) for s in sources] + [common.partner_label(t) for t in targets]
    node_colours = ["#d81b60"] * len(sources) + [
        kaart.PARTNER_COLOURS.get(t, "#7f7f7f") for t in targets
    ]
    sankey = go.Figure(
        go.Sankey(
            node={"label": labels, "color": node_colours, "pad": 14, "thickness": 14},
            link={
                "source": [link.source for link in diagram.links],
                "target": [len(sources) + link.target for link in diagram.links],
                "value": [link.families for link in diagram.links],
                # another shelter's warm count can be below 5: its share instead (of 5 or more)
                "customdata": [
                    f"{handovers.format_percent(link.warm / link.families)} warm"
                    if access.hides_small_counts(me, view.region, sources[link.source])
                    else f"{link.warm} van {link.families} warm"
                    for link in diagram.links
                ],
                "hovertemplate": "%{source.label} → %{target.label}<br>%{value} gezinnen, "
                "%{customdata}<extra></extra>",
            },
        )
    )
    sankey.update_layout(height=420, margin={"l": 10, "r": 10, "t": 10, "b": 10})
    st.plotly_chart(sankey, key="sankey", config={"displaylogo": False})

st.subheader(f"Knelpunten in de overdracht ({shown_period})", anchor=False)
gaps = common.load_gaps(view.path, view.region, view.version, view.today, period)
kinds = st.multiselect(
    "Soort knelpunt",
    list(handovers.GAP_LABELS),
    format_func=lambda k: handovers.GAP_LABELS[k],
    key="knelpunt",
    bind="query-params",
    placeholder="Alle soorten",
)
shown = handovers.select_gaps(gaps, kinds)
if not shown:
    st.success("Geen knelpunten gevonden." if not gaps else "Geen knelpunten van deze soort.")
else:
    common.show_table(
        access_ui.mask_family_counts(
            pd.DataFrame(
                {
                    "Opvangorganisatie": [g.organisation for g in shown],
                    "Partnertype": [common.partner_label(g.partner_type) for g in shown],
                    "Fase": [codes.label(g.phase, codes.PHASES) for g in shown],
                    "Gezinnen": [int(g.families) for g in shown],
                    "Warm": [common.percent(g.warm_share) for g in shown],
                    "Knelpunt": [handovers.GAP_LABELS.get(g.kind, g.kind) for g in shown],
                    "Toelichting": [g.reason for g in shown],
                }
            ),
            view.region,
            "Opvangorganisatie",
            "Gezinnen",
            ["Warm", "Toelichting"],  # the reason names the counts too
        ),
        key="knelpunten",
        on_select="rerun",
        selection_mode="single-row",
    )
    ui_actions.add_action_for_table(
        view.region, shown, ui_actions.gap_link, table_key="knelpunten", key="actie_overdracht"
    )
    st.caption(f"{plural(len(shown), 'knelpunt', 'knelpunten')}.")

show_after_departure(frames.handovers, view.region)
