"""Ketenkaart: the region's network of agreements, filterable, with details of one organisation."""

from __future__ import annotations

from functools import partial

import pandas as pd
import streamlit as st

from analysis import codes, network, network_filter, norms
from analysis.network import sort_names
from ketendata.store import queries
from ketendata.wording import plural
from ui import changes as changes_view
from ui import common, kaart, map_chart

__all__: list[str] = []  # a page script: nothing to import


def _date_or_dash(value: object) -> str:
    """A date as DD-MM-JJJJ, or "–" when there is none."""
    return "–" if value is None else norms.format_date(value)


ORG_KEY = "organisatie"
CHART_KEY = "kaart"
EGO_KEY = "ego"
#: Set by a click that changes more than the map and its panel (a cluster opens a filter).
WHOLE_PAGE_KEY = "_kaart_hele_pagina"

#: The words for the counts, the same on this page, the Overzicht and the data page.
COUNT_WORDS = (
    "Een verbinding is één lijn: twee organisaties met ten minste één actuele afspraak; "
    "een afspraak is één regel van een inventarisatie (één kenmerk), dus twee organisaties "
    "kunnen samen meer afspraken hebben dan één verbinding."
)

st.title("Ketenkaart")
view = common.require_region()
region_text = common.escape_markdown(view.region)
frames = common.load_frames(view.path, view.region, view.version)
net = common.load_network(view.path, view.region, view.version, view.today)
findings = common.load_findings(view.path, view.region, view.version, view.today)

if net.graph.number_of_nodes() == 0:
    common.point_to_data_page(
        f"Voor {region_text} is nog geen inventarisatie van "
        "ketenafspraken ingelezen. "
        "Upload er een op de pagina Gegevens."
    )
    st.stop()

st.caption(
    f"{region_text}: de opvang in het midden, de partners per partnertype in vaste sectoren "
    "(Veilig Thuis boven, dan met de klok mee). Klik op een organisatie voor de details."
)

partner_options = network_filter.partner_type_options(net.graph, net.measures.partner_types_missing)
left, middle, right, last = st.columns([3, 2, 2, 2], vertical_alignment="bottom")
chosen_types = left.multiselect(
    "Partnertypes",
    partner_options,
    format_func=common.partner_label,
    key="partnertypes",
    bind="query-params",
    placeholder="Alle partnertypes",
)
chosen_agreement = middle.selectbox(
    "Soort afspraak",
    list(codes.AGREEMENT_TYPES),
    index=None,
    format_func=lambda c: codes.label(c, codes.AGREEMENT_TYPES),
    key="afspraak",
    bind="query-params",
    placeholder="Alle soorten",
)
chosen_statuses = right.multiselect(
    "Status",
    list(kaart.EDGE_STATUSES),
    format_func=lambda c: codes.label(c, codes.STATUSES),
    key="status",
    bind="query-params",
    placeholder="Alle statussen",
)
only_shortfalls = last.toggle(
    "Wat tekortschiet",
    key="tekort",
    bind="query-params",
    help="Alleen wat tekortschiet: mondelinge en onvolledige afspraken (elke lijn gekleurd "
    "naar de reden, de reden bij aanwijzen), organisaties zonder afspraak en partnertypes die "
    "de norm vraagt maar geen opvang heeft.",
)
map_filter = network_filter.MapFilter(
    partner_types=tuple(chosen_types),
    agreement_type=chosen_agreement,
    statuses=tuple(chosen_statuses),
    only_shortfalls=only_shortfalls,
)
names = sort_names(net.graph.nodes)


def _pick_from_chart(known: tuple[str, ...], partner_types: tuple[str, ...]) -> None:
    selection = st.session_state.get(CHART_KEY)
    name = kaart.selection_to_name(selection, known)
    if name is not None:
        st.session_state[ORG_KEY] = name
        return
    cluster = kaart.selection_to_partner_type(selection, partner_types)
    if cluster is not None:  # a cluster of a large region: show that partner type's organisations
        st.session_state["partnertypes"] = [cluster]
        st.session_state[WHOLE_PAGE_KEY] = True  # the filter above the map changes too
    # a click on a line or on empty space changes nothing: the map stays as it was


def _clear_selection() -> None:
    st.session_state[ORG_KEY] = None
    st.session_state[EGO_KEY] = False


def _controls(
    view: common.RegionView, net: common.NetworkView, names: list[str]
) -> tuple[str | None, bool, dict[str, list[tuple[str, str]]] | None]:
    """The side panel's choices: the organisation, the ego view, "Selectie wissen" and the
    changes overlay. Returns (selected, ego, changed pairs or None)."""
    selected = st.selectbox(
        "Organisatie",
        names,
        index=None,
        key=ORG_KEY,
        bind="query-params",
        placeholder="Kies een organisatie",
        help="Hetzelfde als klikken op de kaart.",
    )
    # (never disabled: a disabled widget bound to the link makes Streamlit 1.67 drop the whole
    # query string, region included)
    ego = st.toggle(
        "Alleen deze organisatie en haar partners",
        key=EGO_KEY,
        bind="query-params",
        help="De egoweergave: alleen de gekozen organisatie, haar partners en, voor een "
        "opvang, de partnertypes die de norm vraagt maar waarmee zij geen afspraak heeft.",
    )
    st.button("Selectie wissen", on_click=_clear_selection, disabled=selected is None)
    if ego and selected is None:
        st.caption("Kies eerst een organisatie voor de egoweergave.")
    show_changes = st.toggle(
        "Wat is veranderd",
        key="veranderd",
        bind="query-params",
        help="Teken de verbindingen die sinds het gekozen moment nieuw zijn (dik blauw) of "
        "beëindigd (dik gestippeld oranjerood). De lijsten staan op de pagina Wat is "
        "veranderd.",
    )
    changed = None
    if show_changes:
        moment = changes_view.pick_moment(view, "kaart")
        if moment is not None:
            document = changes_view.load_changes(
                view.path, view.region, view.version, view.today, moment.since, moment.until
            )
            changed = network_filter.changed_pairs(document["agreements"], net.graph)
            st.caption(
                f"{moment.text.capitalize()}: "
                f"{plural(len(changed['added']), 'verbinding', 'verbindingen')} met een nieuwe "
                f"afspraak, {plural(len(changed['ended']), 'verbinding', 'verbindingen')} "
                "beëindigd (alleen getekend als beide organisaties nog op de kaart staan)."
            )
    return selected, ego, changed


def _region_panel(net: common.NetworkView) -> None:
    """The side panel without a selection: the region's counts and what stands out."""
    measures = net.measures
    st.markdown(
        f"**{measures.organisations}** organisaties · **{measures.agreements}** actuele "
        f"afspraken · **{net.graph.number_of_edges()}** verbindingen",
        help="Organisaties: alle organisaties in de regio. Afspraken: één per kenmerk van "
        "een inventarisatie. Verbindingen: lijnen op de kaart, paren organisaties met ten "
        "minste één actuele afspraak.",
    )
    unjudged = sort_names(
        n for n, d in net.graph.nodes(data=True) if d.get("is_shelter") and not d.get("is_holder")
    )
    if unjudged:
        st.markdown(
            "**Open symbool: opvang zonder eigen inventarisatie in deze regio** (alleen "
            "genoemd door partners), dus niet getoetst aan het normenkader: "
            + ", ".join(common.escape_markdown(n) for n in unjudged)
        )
    if measures.partner_types_missing:
        st.markdown(
            "**Partnertypes die de norm vraagt maar waarmee geen enkele opvang een actuele "
            "afspraak heeft:** "
            + ", ".join(common.partner_label(c) for c in measures.partner_types_missing)
        )
    if measures.isolated:
        st.markdown("**Zonder actuele afspraak:**")
        common.show_table(
            pd.DataFrame({"Organisatie": list(measures.isolated)}), key="zonder_afspraak"
        )


def _agreements_table(mine: pd.DataFrame) -> pd.DataFrame:
    """The selected organisation's agreements as the panel shows them, in Dutch."""
    return pd.DataFrame(
        {
            "Houder": mine["organisation"],
            "Partner": mine["partner"],
            "Partnertype": [common.partner_label(c) for c in mine["partner_type"]],
            "Soorten": [
                ", ".join(codes.label(t, codes.AGREEMENT_TYPES) for t in types)
                for types in mine["agreement_types"]
            ],
            "Status": [codes.label(s, codes.STATUSES) for s in mine["status"]],
            "Kindspecifiek": ["ja" if v else "nee" for v in mine["child_specific"]],
            "Geëvalueerd": [_date_or_dash(v) for v in mine["evaluated_on"]],
            "Niveau": [
                codes.label(v, codes.LEVELS) if v else "–"
                for v in (mine["level"] if "level" in mine else [None] * len(mine))
            ],
            "Einddatum": [_date_or_dash(v) for v in mine["end_date"]],
            "Kenmerk": [v or "–" for v in mine["agreement_id"]],
        }
    )


def _organisation_panel(
    net: common.NetworkView,
    frames: queries.RegionFrames,
    findings: list[norms.Finding],
    selected: str,
) -> None:
    """The side panel of one organisation: its agreements and the norm's findings."""
    data = net.graph.nodes[selected]
    st.subheader(common.escape_markdown(selected), anchor=False)
    st.caption(
        f"{common.partner_label(data.get('partner_type'))} · "
        f"{plural(net.graph.degree(selected), 'partner', 'partners')} · "
        f"{plural(data.get('agreements', 0), 'actuele afspraak', 'actuele afspraken')}"
    )
    mine = network.select_agreements(frames.agreements, selected)
    st.markdown("**Afspraken**")
    if len(mine) == 0:
        st.write("Geen afspraken in de actuele inventarisaties.")
    else:
        common.show_table(_agreements_table(mine), key="afspraken_tabel")
    own = network_filter.select_node_findings(net.graph, selected, findings)
    if data.get("is_shelter"):
        st.markdown("**Toetsing aan het normenkader** (wat nog niet voldoet)")
    else:
        st.markdown("**Eisen van het normenkader voor dit partnertype** (per opvang)")
    open_findings = norms.unmet_findings(own)
    if not own:
        st.write("Het normenkader stelt hier geen eisen aan.")
    elif not open_findings:
        st.success("Alle eisen voldaan.")
    else:
        common.show_table(common.findings_frame(open_findings), key="bevindingen_tabel")
    st.page_link(common.PAGE_NORMEN, label="Naar het normenkader", icon=":material/fact_check:")


@st.fragment
def _map_and_panel(
    view: common.RegionView,
    net: common.NetworkView,
    frames: queries.RegionFrames,
    findings: list[norms.Finding],
    map_filter: network_filter.MapFilter,
    names: list[str],
    partner_options: list[str],
) -> None:
    """The map and its side panel. A click on the map reruns only this part of the page (the
    sidebar, the title and the filters stay as they are, and the browser redraws less), so
    the panel follows the click quickly; a click that changes a filter (a cluster) reruns the
    whole page."""
    if st.session_state.pop(WHOLE_PAGE_KEY, False):
        st.rerun(scope="app")
    graph_column, detail_column = st.columns([7, 3], gap="small")
    with detail_column:
        selected, ego, changed = _controls(view, net, names)

    base = net.graph
    missing_all = list(net.measures.partner_types_missing)
    if ego and selected is not None:
        base, missing_all = network_filter.ego_network(net.graph, selected, findings)
    shown = network_filter.filter_network(base, map_filter, findings)
    missing = network_filter.shown_missing_types(missing_all, map_filter)
    reasons = (
        network_filter.shortfall_reasons(shown, findings) if map_filter.only_shortfalls else None
    )

    # The panel first: it shows the click's answer while the map is still being drawn.
    with detail_column:
        if selected is None:
            _region_panel(net)
        else:
            _organisation_panel(net, frames, findings, selected)

    with graph_column:
        figure = kaart.build_map_figure(
            shown, net.positions, missing, selected=selected, reasons=reasons, changed=changed
        )
        map_chart.map_chart(
            figure,
            key=CHART_KEY,
            on_click=partial(_pick_from_chart, tuple(names), tuple(partner_options)),
            view=view.region,
            config={"scrollZoom": True, "modeBarButtonsToRemove": ["select2d", "lasso2d"]},
        )
        spec = figure.to_plotly_json()
        if kaart.is_clustered(spec):
            st.info(kaart.cluster_note(shown), icon=":material/bubble_chart:")
        st.caption(
            f"In beeld: {kaart.node_count(spec)} van {net.graph.number_of_nodes()} organisaties "
            f"en {plural(shown.number_of_edges(), 'verbinding', 'verbindingen')}. " + COUNT_WORDS
        )


_map_and_panel(view, net, frames, findings, map_filter, names, partner_options)
