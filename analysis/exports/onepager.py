"""The one-page summary as a PDF (meeting.md): exactly one A4 page, portrait, Dutch, readable
when printed in black and white.

Laid out with fpdf2 (pure Python, no browser): black text on white, boxes with black borders,
no meaning carried by colour alone; overdue actions say ``TE LAAT`` in words. Texts from the
data are written with ``multi_cell`` without markdown, so a title that looks like HTML or
markup is printed as the characters it is. The font is DejaVu Sans as matplotlib ships it
(every Dutch letter, embedded in the file), so the PDF looks the same on every machine.
"""

from __future__ import annotations

import io
from pathlib import Path

import matplotlib
from fpdf import FPDF
from fpdf.enums import XPos, YPos

from analysis.summary import (
    FOOTER,
    Summary,
    action_text,
    changes_lines,
    format_date,
)

__all__ = ["FONT", "MAP_INCHES", "render_pdf"]

#: The font family embedded in the PDF (regular and bold, from matplotlib's own fonts).
FONT = "DejaVu"
_FONT_DIR = Path(matplotlib.get_data_path()) / "fonts" / "ttf"

_MARGIN = 12.0  # mm
_PAGE_W, _PAGE_H = 210.0, 297.0
_WIDTH = _PAGE_W - 2 * _MARGIN
_FOOTER_H = 12.0
_BODY = 9.0  # pt
_LINE = 4.3  # mm per body line
_MAP_W = 120.0  # mm
_MAP_H = 84.0  # mm
_MIN_MAP_H = 45.0  # mm: the map is never smaller than this
_MIN_ACTIONS = 32.0  # mm kept for the open actions below the map
#: The map picture in inches, drawn at the size it is printed (its text in real points).
MAP_INCHES = (_MAP_W / 25.4, _MAP_H / 25.4)


class _Page(FPDF):
    def __init__(self) -> None:
        super().__init__(orientation="portrait", unit="mm", format="A4")
        self.set_auto_page_break(False)
        self.set_margins(_MARGIN, _MARGIN, _MARGIN)
        self.add_font(FONT, "", str(_FONT_DIR / "DejaVuSans.ttf"))
        self.add_font(FONT, "B", str(_FONT_DIR / "DejaVuSans-Bold.ttf"))
        self.set_text_color(0, 0, 0)
        self.set_draw_color(0, 0, 0)

    def heading(
        self, text: str, y: float | None = None, x: float | None = None, width: float = _WIDTH
    ) -> None:
        if y is not None:
            self.set_y(y)
        if x is not None:
            self.set_x(x)
        self.set_font(FONT, "B", 11)
        self.cell(width, 6, text, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
        self.set_font(FONT, "", _BODY)

    def text_lines(self, width: float, text: str, bold: bool = False) -> int:
        self.set_font(FONT, "B" if bold else "", _BODY)
        lines = self.multi_cell(width, _LINE, text, dry_run=True, output="LINES")
        self.set_font(FONT, "", _BODY)
        return len(lines)

    def paragraph(self, x: float, width: float, text: str, bold: bool = False) -> None:
        self.set_x(x)
        self.set_font(FONT, "B" if bold else "", _BODY)
        self.multi_cell(width, _LINE, text, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        self.set_font(FONT, "", _BODY)


def _key_figures(pdf: _Page, summary: Summary) -> None:
    figures = summary.key_figures
    gap = 2.0
    width = (_WIDTH - gap * (len(figures) - 1)) / len(figures)
    top = pdf.get_y()
    height = 25.0
    for i, figure in enumerate(figures):
        x = _MARGIN + i * (width + gap)
        pdf.set_line_width(0.3)
        pdf.rect(x, top, width, height)
        pdf.set_xy(x + 1.5, top + 1.2)
        pdf.set_font(FONT, "", 7.5)
        pdf.multi_cell(width - 3, 3.3, figure.label, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
        pdf.set_xy(x + 1.5, top + 9.0)
        pdf.set_font(FONT, "B", 15)
        pdf.cell(width - 3, 6.5, figure.value)
        # the change on its own line: "+27,6 procentpunt" does not fit beside the moment
        pdf.set_xy(x + 1.5, top + 16.0)
        pdf.set_font(FONT, "", 7)
        pdf.cell(width - 3, 3.6, f"{summary.since_text}:" if summary.since else "verandering:")
        pdf.set_xy(x + 1.5, top + 19.8)
        pdf.set_font(FONT, "B", 8)
        pdf.cell(width - 3, 3.8, figure.change or "–")
    pdf.set_font(FONT, "", _BODY)
    pdf.set_y(top + height + 3)


def _gaps(pdf: _Page, summary: Summary) -> None:
    pdf.heading("De vijf belangrijkste knelpunten")
    if not summary.gaps:
        pdf.paragraph(_MARGIN, _WIDTH, "Geen knelpunten gevonden.")
    for number, gap in enumerate(summary.gaps, start=1):
        top = pdf.get_y()
        pdf.set_xy(_MARGIN, top)
        pdf.set_font(FONT, "B", _BODY)
        pdf.cell(6, _LINE, f"{number}.")
        pdf.set_xy(_MARGIN + 6, top)
        pdf.paragraph(_MARGIN + 6, _WIDTH - 6, gap)
        pdf.set_y(pdf.get_y() + 0.8)
    pdf.set_y(pdf.get_y() + 2)


def _changes_and_map(pdf: _Page, summary: Summary, map_png: bytes) -> None:
    top = pdf.get_y()
    # the map shrinks (keeping its shape) when long texts above leave less room, so the open
    # actions keep at least a few lines before the footer
    room = _PAGE_H - _MARGIN - _FOOTER_H - top - 6 - _MIN_ACTIONS
    map_h = max(_MIN_MAP_H, min(_MAP_H, room))
    map_w = _MAP_W * map_h / _MAP_H
    pdf.heading("Kaart van de regio", y=top, x=_MARGIN, width=map_w)
    pdf.image(
        io.BytesIO(map_png),
        x=_MARGIN,
        y=top + 6,
        w=map_w,
        h=map_h,
        alt_text=f"Ketenkaart van {summary.region}",
    )
    pdf.set_line_width(0.2)
    pdf.rect(_MARGIN, top + 6, map_w, map_h)
    side_x = _MARGIN + map_w + 5
    side_w = _WIDTH - map_w - 5
    side_bottom = top + 6 + map_h
    title = f"Wat is er veranderd {summary.since_text}".strip()
    pdf.set_xy(side_x, top)
    pdf.set_font(FONT, "B", 11)
    pdf.multi_cell(side_w, 5.5, title, align="L", new_x=XPos.LEFT, new_y=YPos.NEXT)
    pdf.set_font(FONT, "", _BODY)
    if summary.changes is None:
        pdf.paragraph(side_x, side_w, "Geen vergelijking beschikbaar.")
    else:
        for line in changes_lines(summary.changes):
            pdf.paragraph(side_x, side_w, line)
            pdf.set_y(pdf.get_y() + 1)
    if summary.stagnation:
        pdf.set_y(pdf.get_y() + 2)
        pdf.set_x(side_x)
        pdf.set_font(FONT, "B", 11)
        pdf.cell(side_w, 6, "Gesignaleerde stagnatie", new_x=XPos.LEFT, new_y=YPos.NEXT)
        shown = 0
        for item in summary.stagnation:
            text = f"{item.topic}: {item.text}"
            needed = pdf.text_lines(side_w, text) * _LINE + 0.8
            last = shown == len(summary.stagnation) - 1
            if pdf.get_y() + needed + (0 if last else _LINE) > side_bottom:
                break
            pdf.paragraph(side_x, side_w, text)
            pdf.set_y(pdf.get_y() + 0.8)
            shown += 1
        if shown < len(summary.stagnation):
            pdf.paragraph(side_x, side_w, f"… en {len(summary.stagnation) - shown} meer")
    pdf.set_y(max(pdf.get_y(), top + 6 + map_h) + 4)


def _actions(pdf: _Page, summary: Summary) -> None:
    pdf.heading(f"Open acties ({len(summary.actions)})")
    bottom = _PAGE_H - _MARGIN - _FOOTER_H - 2
    if not summary.actions:
        pdf.paragraph(_MARGIN, _WIDTH, "Geen open acties.")
        return
    # how many fit: each takes its own lines; the last line may be "en N meer"
    room = max(bottom - pdf.get_y(), 0.0)
    heights = [
        (
            pdf.text_lines(_WIDTH, action.title, bold=True)
            + pdf.text_lines(_WIDTH - 4, action_text(action))
        )
        * _LINE
        + 1.0
        for action in summary.actions
    ]
    total = len(heights)
    fits = 0
    for count in range(total, -1, -1):
        # the most that fit with, when some are left out, one line for "en N meer"
        if sum(heights[:count]) + (_LINE if count < total else 0.0) <= room:
            fits = count
            break
    shown, more = summary.actions[:fits], total - fits
    for action in shown:
        pdf.paragraph(_MARGIN, _WIDTH, action.title, bold=True)
        pdf.paragraph(_MARGIN + 4, _WIDTH - 4, action_text(action))
        pdf.set_y(pdf.get_y() + 1.0)
    if more:
        pdf.paragraph(_MARGIN, _WIDTH, f"… en {more} meer (de meest dringende staan hierboven)")


def _footer(pdf: _Page) -> None:
    y = _PAGE_H - _MARGIN - _FOOTER_H + 2
    pdf.set_line_width(0.3)
    pdf.line(_MARGIN, y - 1.5, _MARGIN + _WIDTH, y - 1.5)
    pdf.set_xy(_MARGIN, y)
    pdf.set_font(FONT, "", 7.5)
    pdf.multi_cell(_WIDTH, 3.4, FOOTER, align="L")


def render_pdf(summary: Summary, map_png: bytes) -> bytes:
    """The summary and the map picture (PNG bytes) as a one-page A4 PDF."""
    pdf = _Page()
    pdf.set_title(f"Ketenkaart: regio {summary.region}")
    pdf.set_lang("nl-NL")
    pdf.set_creator("Ketenkaart")
    pdf.add_page()
    pdf.set_font(FONT, "B", 16)
    pdf.multi_cell(
        _WIDTH,
        7.5,
        f"Ketenkaart: regio {summary.region}",
        align="L",
        new_x=XPos.LMARGIN,
        new_y=YPos.NEXT,
    )
    pdf.set_font(FONT, "", 10)
    moment = f"Peildatum {format_date(summary.peildatum)}"
    if summary.since:
        moment += f" · veranderingen {summary.since_text}"
    pdf.cell(_WIDTH, 6, moment, new_x=XPos.LMARGIN, new_y=YPos.NEXT)
    pdf.set_y(pdf.get_y() + 2)
    _key_figures(pdf, summary)
    _gaps(pdf, summary)
    _changes_and_map(pdf, summary, map_png)
    _actions(pdf, summary)
    _footer(pdf)
    return bytes(pdf.output())
