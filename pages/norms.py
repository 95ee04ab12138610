"""Normenkader: every requirement against every shelter, the findings table and its download."""

from __future__ import annotations

import plotly.graph_objects as go
import streamlit as st

from analysis import codes, norms
from analysis.norms import norm_text
from ketendata.files import exports
from ui import actions as ui_actions
from ui import common

__all__: list[str] = []  # a page script: nothing to import

STATUS_VALUE = {"missing": 0, "partial": 1, "met": 2}
STATUS_MARK = {"missing": "✗", "partial": "±", "met": "✓"}

st.title("Normenkader")
view = common.require_region()
region_text = common.escape_markdown(view.region)
frames = common.load_frames(view.path, view.region, view.version)
findings = common.load_findings(view.path, view.region, view.version, view.today)

if not findings:
    common.point_to_data_page(
        f"Voor {region_text} zijn geen opvangorganisaties gevonden in de actuele "
        "inventarisaties (organisatietype Vrouwenopvang of Maatschappelijke opvang), dus er valt "
        "niets te toetsen. Upload een inventarisatie op de pagina Gegevens."
    )
    st.stop()

st.caption(
    f"{region_text} · peildatum {view.today:%d-%m-%Y}. Een eis is **voldaan** bij een actuele, "
    "schriftelijke afspraak van het gevraagde soort met een partner van het gevraagde type, die "
    "in de laatste 24 maanden is geëvalueerd of ingegaan (en over kinderen gaat waar de eis dat "
    "vraagt); **deels** als zo'n afspraak er wel is maar daar niet aan voldoet; **ontbreekt** "
    "als er geen is. Wijs een vakje aan voor de reden. Normnummers zeggen uit welk document ze "
    "komen: het keurmerk en het normenkader 2019 nummeren Indicator 3 verschillend (school is "
    "3.3 in het keurmerk en 3.4 in het normenkader). **Niveau** is het niveau van de afspraak "
    "die het oordeel bepaalde; 'Cliënt' betekent alleen per casus afgesproken."
)

grid = norms.findings_grid(findings, frames.matrix)
shelters = list(grid.shelters)
sources = {(f.partner_type, f.agreement_type, f.norm): f.norm_source for f in findings}
row_labels = [
    f"{common.partner_label(p)} · {codes.label(a, codes.AGREEMENT_TYPES)} "
    f"({norm_text(n, sources.get((p, a, n)))})"
    for p, a, n in grid.requirements
]


def _hover(finding: norms.Finding | None, shelter: str, row_label: str) -> str:
    if finding is None:
        return ""
    return (
        f"<b>{common.plotly_text(shelter)}</b><br>{common.plotly_text(row_label)}<br>"
        f"{common.FINDING_LABELS.get(finding.status, finding.status)}: "
        f"{common.plotly_text(finding.reason)}"
    )


z = [[None if f is None else STATUS_VALUE.get(f.status) for f in row] for row in grid.cells]
text = [["" if f is None else STATUS_MARK.get(f.status, "") for f in row] for row in grid.cells]
hover = [
    [_hover(f, shelter, label) for f, shelter in zip(row, shelters, strict=True)]
    for row, label in zip(grid.cells, row_labels, strict=True)
]

red, orange, green = (common.FINDING_COLOURS[s] for s in ("missing", "partial", "met"))
figure = go.Figure(
    go.Heatmap(
        z=z,
        x=[common.plotly_text(s) for s in shelters],
        y=row_labels,
        text=text,
        texttemplate="%{text}",
        textfont={"color": "white", "size": 14},
        hovertext=hover,
        hoverinfo="text",
        zmin=0,
        zmax=2,
        colorscale=[
            [0.0, red],
            [1 / 3, red],
            [1 / 3, orange],
            [2 / 3, orange],
            [2 / 3, green],
            [1.0, green],
        ],
        showscale=False,
        xgap=2,
        ygap=2,
    )
)
figure.update_layout(
    height=140 + 26 * len(grid.requirements),
    margin={"l": 10, "r": 10, "t": 40, "b": 10},
    xaxis={"side": "top"},
    yaxis={"autorange": "reversed"},
)
st.plotly_chart(figure, key="normmatrix", config={"displaylogo": False})
st.caption("✓ groen: voldaan · ± oranje: deels · ✗ rood: ontbreekt")

st.subheader("Bevindingen")
left, middle, right = st.columns(3)
chosen_orgs = left.multiselect(
    "Opvangorganisatie",
    shelters,
    key="opvang",
    bind="query-params",
    placeholder="Alle opvangorganisaties",
)
chosen_statuses = middle.multiselect(
    "Oordeel",
    list(common.FINDING_LABELS),
    format_func=lambda s: common.FINDING_LABELS[s],
    key="oordeel",
    bind="query-params",
    placeholder="Alle oordelen",
)
partner_types = sorted({f.partner_type for f in findings}, key=common.partner_label)
chosen_types = right.multiselect(
    "Partnertype",
    partner_types,
    format_func=common.partner_label,
    key="eistype",
    bind="query-params",
    placeholder="Alle partnertypes",
)
shown = norms.select_findings(findings, chosen_orgs, chosen_statuses, chosen_types)
table = common.findings_frame(shown)
table.insert(
    table.columns.get_loc("Oordeel"),
    "Niveau",
    [codes.label(f.level, codes.LEVELS) if f.level else "–" for f in shown],
)
common.show_table(table, key="bevindingen", on_select="rerun", selection_mode="single-row")
ui_actions.add_action_for_table(
    view.region,
    shown,
    ui_actions.finding_link,
    table_key="bevindingen",
    key="actie_bevinding",
    is_gap=lambda finding: finding.status != "met",
)
st.caption(f"{len(shown)} van {len(findings)} bevindingen.")

base = f"normenkader-{codes.normalize_token(view.region)}-{view.today:%Y%m%d}"
csv_column, xlsx_column, _ = st.columns([1, 1, 3])
xlsx_column.download_button(
    "Download als Excel",
    exports.frame_to_xlsx_bytes(table, sheet_name="Bevindingen"),
    file_name=f"{base}.xlsx",
    mime=exports.XLSX_MIME,
    key="download_xlsx",
    on_click="ignore",
)
csv_column.download_button(
    "Download als CSV",
    exports.frame_to_csv_bytes(table),
    file_name=f"{base}.csv",
    mime=exports.CSV_MIME,
    key="download_csv",
    on_click="ignore",
)
