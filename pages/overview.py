"""Overzicht: the region's key figures, the change since a moment the user picks (the last
meeting by default), the top five gaps, each with "Actie toevoegen"."""

from __future__ import annotations

import streamlit as st

from analysis import handovers
from analysis.priorities import rank_gaps
from ui import actions as ui_actions
from ui import changes, common, downloads

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
h_latest = warm.period
s_latest, _ = handovers.latest_two_periods(frames.stagnation)
topics_now = common.load_topics(view.path, view.region, view.version, s_latest)

# The change since a moment the user picks (changes.md): the last meeting by default.
moment = changes.pick_moment(view, "overzicht", compact=True)
before = (
    changes.load_figures(view.path, view.region, view.version, view.today, moment.since)
    if moment is not None
    else None
)
if moment is not None and moment.until is not None:
    # between two imports: the cards compare the two moments, not the moment with now
    now_figures = changes.load_figures(
        view.path, view.region, view.version, view.today, moment.until
    )
else:
    now_figures = changes.load_figures(view.path, view.region, view.version, view.today, None)
since_text = (
    f"Verandering {common.escape_markdown(moment.text)}."
    if moment is not None
    else "Geen verandering: kies twee imports in de goede volgorde."
)


def delta(now: float | int | None, was: float | int | None) -> float | int | None:
    """The change of a figure, or None where either moment has no value."""
    if before is None or now is None or was is None:
        return None
    return now - was


def points(now: float | None, was: float | None) -> str | None:
    change = delta(now, was)
    return None if change is None else handovers.format_points(change * 100)


columns = st.columns(5)
columns[0].metric(
    "Organisaties",
    now_figures.organisations,
    delta=delta(now_figures.organisations, before.organisations if before else None),
    help="Organisaties in de actuele inventarisaties. " + since_text,
    border=True,
)
columns[1].metric(
    "Actuele afspraken",
    now_figures.agreements,
    delta=delta(now_figures.agreements, before.agreements if before else None),
    help="Afspraken die op de peildatum gelden. " + since_text,
    border=True,
)
columns[2].metric(
    "Normdekking",
    common.percent(now_figures.coverage) if now_figures.coverage is not None else "–",
    delta=points(now_figures.coverage, before.coverage if before else None),
    help="Het deel van de eisen van het normenkader dat bij de opvangorganisaties voldaan is. "
    + since_text,
    border=True,
)
if now_figures.warm_period is None:
    columns[3].metric("Warm overgedragen", "–", help="Nog geen overdrachten ingevuld.", border=True)
else:
    was = before.warm_period if before else None
    columns[3].metric(
        "Warm overgedragen",
        common.percent(now_figures.warm_share),
        delta=points(now_figures.warm_share, before.warm_share if before else None),
        help="Aandeel warme overdrachten over alle fasen in "
        f"{common.escape_markdown(now_figures.warm_period)}"
        + (f" (toen: {common.escape_markdown(was)})" if was else " (toen: nog geen)")
        + f". {since_text} Norm 4.1 (keurmerk) vraagt een warme overdracht bij elke in-, door- "
        "en uitstroom.",
        border=True,
    )
if now_figures.stagnation_period is None:
    columns[4].metric("Stagnatiesignalen", "–", help="Nog geen uitvraag ingevuld.", border=True)
else:
    was = before.stagnation_period if before else None
    columns[4].metric(
        "Stagnatiesignalen",
        now_figures.flagged,
        delta=delta(now_figures.flagged, before.flagged if before else None),
        delta_color="inverse",
        help="Onderwerpen in "
        f"{common.escape_markdown(now_figures.stagnation_period)}"
        + (f" (toen: {common.escape_markdown(was)})" if was else " (toen: nog geen)")
        + " met gemiddelde ernst 4 of meer, of een schoolplaatsing die langer dan 7 dagen duurt "
        f"(norm 3.3, keurmerk). {since_text}",
        border=True,
    )
st.page_link(
    common.PAGE_VERANDERINGEN,
    label="Wat is er precies veranderd?",
    icon=":material/difference:",
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
    text_column, link_column, action_column = st.columns(
        [3.4, 1.3, 1.3], vertical_alignment="center"
    )
    text_column.markdown(f"{number}\\. {common.escape_markdown(line.sentence)}")
    page, title = PAGE_FOR_AREA[line.area]
    link_column.page_link(
        page,
        label=f"Naar {title}",
        icon=":material/arrow_forward:",
    )
    with action_column:
        ui_actions.add_action_button(
            view.region,
            [(ui_actions.link_text(link), link) for link in line.links],
            key=f"actie_knelpunt_{number}",
        )
if h_latest is None:
    st.caption(f"Voor {region_text} zijn nog geen overdrachten ingevuld.")
if s_latest is None:
    st.caption(f"Voor {region_text} is nog geen stagnatie-uitvraag ingevuld.")
# meeting.md: the one-page summary, the deck and the memo of this region
downloads.show_downloads(view, moment.since if moment is not None else None, key="overzicht")
