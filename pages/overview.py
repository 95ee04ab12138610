"""Overzicht: the region's key figures, the change since the previous period, the top five gaps."""

from __future__ import annotations

import streamlit as st

from analysis import handovers, norms, stagnation
from analysis.priorities import rank_gaps
from ui import common

__all__: list[str] = []  # a page script: nothing to import

#: The page that explains each area of a gap, with its title.
PAGE_FOR_AREA = {
    "kaart": (common.PAGE_KAART, "Ketenkaart"),
    "normen": (common.PAGE_NORMEN, "Normenkader"),
    "overdracht": (common.PAGE_OVERDRACHT, "Overdracht"),
    "stagnatie": (common.PAGE_STAGNATIE, "Stagnatie"),
}

st.title("Overzicht")
view = common.require_region()
frames = common.load_frames(view.path, view.region, view.version)
net = common.load_network(view.path, view.region, view.version, view.today)
findings = common.load_findings(view.path, view.region, view.version, view.today)
region_text = common.escape_markdown(view.region)
st.caption(f"{region_text} · peildatum {view.today:%d-%m-%Y}")

warm = handovers.warm_share_change(frames.handovers)
h_latest, h_previous = warm.period, warm.previous_period

s_latest, s_previous = handovers.latest_two_periods(frames.stagnation)
topics_now = common.load_topics(view.path, view.region, view.version, s_latest)
topics_before = (
    common.load_topics(view.path, view.region, view.version, s_previous) if s_previous else []
)
flagged_now = stagnation.count_flagged(topics_now)
flagged_before = stagnation.count_flagged(topics_before)

# Periods are user text too (checked for their form, but shown through the same escaping).
h_before = common.escape_markdown(h_previous) if h_previous else "de vorige periode (ontbreekt)"
s_before = common.escape_markdown(s_previous) if s_previous else "de vorige uitvraag (ontbreekt)"
no_change = (
    "Een inventarisatie van afspraken geldt tot de volgende upload en heeft geen periode; "
    "daarom staat hier geen verandering. Wat een upload veranderde staat bij Gegevens."
)
columns = st.columns(5)
columns[0].metric("Organisaties", net.measures.organisations, help=no_change, border=True)
columns[1].metric("Actuele afspraken", net.measures.agreements, help=no_change, border=True)
columns[2].metric(
    "Normdekking",
    common.percent(norms.coverage(findings)) if findings else "–",
    help="Het deel van de eisen van het normenkader dat bij de opvangorganisaties voldaan is. "
    + no_change,
    border=True,
)
if h_latest is None:
    columns[3].metric("Warm overgedragen", "–", help="Nog geen overdrachten ingevuld.", border=True)
else:
    columns[3].metric(
        "Warm overgedragen",
        common.percent(warm.share),
        delta=None if warm.points is None else handovers.format_points(warm.points),
        help=f"Aandeel warme overdrachten over alle fasen in {common.escape_markdown(h_latest)}; "
        f"verandering ten opzichte van {h_before}. Norm 4.1 (keurmerk) vraagt een warme "
        "overdracht bij elke in-, door- en uitstroom.",
        border=True,
    )
if s_latest is None:
    columns[4].metric("Stagnatiesignalen", "–", help="Nog geen uitvraag ingevuld.", border=True)
else:
    columns[4].metric(
        "Stagnatiesignalen",
        flagged_now,
        delta=flagged_now - flagged_before if s_previous else None,
        delta_color="inverse",
        help=f"Onderwerpen in {common.escape_markdown(s_latest)} met gemiddelde ernst 4 of "
        "meer, of een schoolplaatsing die langer dan 7 dagen duurt (norm 3.3, keurmerk); "
        f"verandering ten opzichte van {s_before}.",
        border=True,
    )

st.subheader("De vijf belangrijkste knelpunten")
gap_list = common.load_gaps(view.path, view.region, view.version, view.today, h_latest)
lines = rank_gaps(findings, net.measures.partner_types_missing, gap_list, topics_now)
if not findings and net.graph.number_of_nodes() == 0:
    common.point_to_data_page(
        f"Voor {region_text} is nog geen inventarisatie van ketenafspraken ingelezen. "
        "Upload er een op de pagina Gegevens."
    )
elif not lines:
    st.success("Geen knelpunten gevonden: alle eisen voldaan en geen gesignaleerde stagnatie.")
for number, line in enumerate(lines, start=1):
    text_column, link_column = st.columns([4, 1], vertical_alignment="center")
    text_column.markdown(f"{number}\\. {common.escape_markdown(line.sentence)}")
    page, title = PAGE_FOR_AREA[line.area]
    link_column.page_link(
        page,
        label=f"Naar {title}",
        icon=":material/arrow_forward:",
    )
if h_latest is None:
    st.caption(f"Voor {region_text} zijn nog geen overdrachten ingevuld.")
if s_latest is None:
    st.caption(f"Voor {region_text} is nog geen stagnatie-uitvraag ingevuld.")
