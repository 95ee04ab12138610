"""The summary as a 16:9 deck (meeting.md), written with python-pptx.

Seven slides, always in this order (:data:`SLIDE_TITLES`): the title (region, peildatum), the
key figures, the map as a picture, the top gaps, what changed, the open actions and the
flagged stagnation topics with their trend. Every text is a real text box on a blank layout,
so the secretary can edit it in PowerPoint or LibreOffice Impress; only the map is a picture.
Texts from the data are set as text runs, never read as markup. Black on white, with the
overdue marker in words (``TE LAAT``), so it also reads in print and on a weak projector.
"""

from __future__ import annotations

import io

from pptx import Presentation
from pptx.dml.color import RGBColor
from pptx.enum.text import MSO_AUTO_SIZE
from pptx.util import Emu, Inches, Pt

from analysis.summary import (
    FOOTER,
    Summary,
    action_text,
    changes_lines,
    format_date,
    split_actions,
)

__all__ = ["MAP_INCHES", "SLIDE_TITLES", "render_deck"]

#: The slides' titles after the title slide, in order.
SLIDE_TITLES: tuple[str, ...] = (
    "Kerncijfers",
    "Kaart van de regio",
    "De vijf belangrijkste knelpunten",
    "Wat is er veranderd",
    "Open acties",
    "Gesignaleerde stagnatie",
)

_WIDTH, _HEIGHT = Inches(13.333), Inches(7.5)
_MARGIN = Inches(0.6)
_BLACK = RGBColor(0x11, 0x11, 0x11)
_GREY = RGBColor(0x44, 0x44, 0x44)

#: The map picture's size on its slide, in inches (drawn at that size, its text in points).
MAP_INCHES = (10.4, 5.6)

#: At most this many actions on their slide; the rest as "en N meer".
ACTIONS_PER_SLIDE = 7


def _text_box(slide, left, top, width, height, paragraphs, size=20, bold_first=False):
    """A text box holding ``paragraphs`` (each a text, or a (text, bold) pair)."""
    box = slide.shapes.add_textbox(left, top, width, height)
    frame = box.text_frame
    frame.word_wrap = True
    frame.auto_size = MSO_AUTO_SIZE.NONE  # the box keeps its size (a frame around a figure)
    for i, item in enumerate(paragraphs):
        text, bold = item if isinstance(item, tuple) else (item, bold_first and i == 0)
        paragraph = frame.paragraphs[0] if i == 0 else frame.add_paragraph()
        run = paragraph.add_run()
        run.text = text
        run.font.size = Pt(size)
        run.font.bold = bold
        run.font.color.rgb = _BLACK
        paragraph.space_after = Pt(size * 0.4)
    return box


def _slide(deck, title: str, summary: Summary):
    slide = deck.slides.add_slide(deck.slide_layouts[6])  # blank: every text is our text box
    _text_box(
        slide, _MARGIN, Inches(0.35), _WIDTH - 2 * _MARGIN, Inches(0.9), [(title, True)], size=32
    )
    footer = f"Ketenkaart · {summary.region} · peildatum {format_date(summary.peildatum)}"
    box = _text_box(
        slide, _MARGIN, _HEIGHT - Inches(0.55), _WIDTH - 2 * _MARGIN, Inches(0.4), [footer], size=11
    )
    box.text_frame.paragraphs[0].runs[0].font.color.rgb = _GREY
    return slide


def _key_figures(slide, summary: Summary) -> None:
    figures = summary.key_figures
    gap = Inches(0.25)
    width = Emu(int((_WIDTH - 2 * _MARGIN - gap * (len(figures) - 1)) / len(figures)))
    top = Inches(1.8)
    for i, figure in enumerate(figures):
        left = _MARGIN + i * (width + gap)
        box = _text_box(
            slide,
            left,
            top,
            width,
            Inches(3.2),
            [
                (figure.label, False),
                (figure.value, True),
                (
                    f"{summary.since_text}: {figure.change or '–'}"
                    if summary.since
                    else (figure.change or "–"),
                    False,
                ),
            ],
            size=18,
        )
        box.text_frame.paragraphs[1].runs[0].font.size = Pt(40)
        box.line.color.rgb = _BLACK
        box.line.width = Pt(1.5)


def render_deck(summary: Summary, map_png: bytes) -> bytes:
    """The summary and the map picture (PNG bytes) as a .pptx file (16:9)."""
    deck = Presentation()
    deck.slide_width, deck.slide_height = _WIDTH, _HEIGHT
    deck.core_properties.title = f"Ketenkaart: regio {summary.region}"
    deck.core_properties.language = "nl-NL"
    body = _WIDTH - 2 * _MARGIN

    title = deck.slides.add_slide(deck.slide_layouts[6])
    moment = f"Peildatum {format_date(summary.peildatum)}"
    if summary.since:
        moment += f" · veranderingen {summary.since_text}"
    _text_box(
        title,
        _MARGIN,
        Inches(2.2),
        body,
        Inches(1.6),
        [(f"Ketenkaart: regio {summary.region}", True)],
        size=44,
    )
    _text_box(title, _MARGIN, Inches(3.9), body, Inches(0.8), [moment], size=24)
    _text_box(title, _MARGIN, Inches(6.1), body, Inches(0.9), [FOOTER], size=12)

    _key_figures(_slide(deck, SLIDE_TITLES[0], summary), summary)

    slide = _slide(deck, SLIDE_TITLES[1], summary)
    width, height = MAP_INCHES
    slide.shapes.add_picture(
        io.BytesIO(map_png),
        int((_WIDTH - Inches(width)) / 2),
        Inches(1.25),
        Inches(width),
        Inches(height),
    )

    slide = _slide(deck, SLIDE_TITLES[2], summary)
    gaps = [f"{n}. {gap}" for n, gap in enumerate(summary.gaps, start=1)]
    _text_box(
        slide,
        _MARGIN,
        Inches(1.4),
        body,
        Inches(5.4),
        gaps or ["Geen knelpunten gevonden."],
        size=20,
    )

    slide = _slide(deck, f"{SLIDE_TITLES[3]} {summary.since_text}".strip(), summary)
    lines = (
        list(changes_lines(summary.changes))
        if summary.changes
        else ["Geen vergelijking beschikbaar."]
    )
    _text_box(slide, _MARGIN, Inches(1.6), body, Inches(4.0), lines, size=26)

    slide = _slide(deck, f"{SLIDE_TITLES[4]} ({len(summary.actions)})", summary)
    shown, more = split_actions(summary.actions, ACTIONS_PER_SLIDE)
    paragraphs: list[tuple[str, bool]] = []
    for action in shown:
        paragraphs += [(action.title, True), (f"    {action_text(action)}", False)]
    if more:
        paragraphs.append((f"… en {more} meer", False))
    _text_box(
        slide, _MARGIN, Inches(1.4), body, Inches(5.4), paragraphs or ["Geen open acties."], size=16
    )

    slide = _slide(deck, SLIDE_TITLES[5], summary)
    topics = [
        paragraph
        for item in summary.stagnation[:6]
        for paragraph in ((item.topic, True), (f"    {item.text}", False))
    ]
    if len(summary.stagnation) > 6:
        topics.append((f"… en {len(summary.stagnation) - 6} meer", False))
    _text_box(
        slide,
        _MARGIN,
        Inches(1.4),
        body,
        Inches(5.4),
        topics or ["Geen gesignaleerde stagnatie."],
        size=18,
    )

    buffer = io.BytesIO()
    deck.save(buffer)
    return buffer.getvalue()
