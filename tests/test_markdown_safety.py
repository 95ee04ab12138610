"""Names never render as Markdown, HTML or LaTeX on a page (issue 14, item 7).

Region, organisation and file names go into titles, captions, messages and metric help, which
Streamlit renders as Markdown. Each page runs with AppTest on a region whose names are Markdown,
LaTeX, HTML, an image from another address, colour and icon directives; every text that
Streamlit would render as Markdown must hold the name escaped (``ui.common.escape_markdown``),
never as it was typed. The browser test (tests/test_browser_downloads.py) checks what Chromium
makes of it: no image from another address, no link made from a name.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from tests.builders import csv_bytes, valid_rows
from tests.test_pages_tables import hostile_files, import_region, open_page
from ui import common

#: What a name may hold that Markdown, Streamlit's directives, LaTeX or HTML would draw.
MARKUP = [
    "**vet**",
    "[link](http://x)",
    "![img](http://127.0.0.1:9/x.png)",
    "$x^2$",
    "<b>x</b>",
    ":red[rood]",
    ":material/home:",
]
REGION = " ".join(MARKUP)  # starts with ** (the start of a caption), holds every construct
SHELTER, PARTNER, ENDED_PARTNER, RESPONDENT = MARKUP[0], MARKUP[1], MARKUP[2], MARKUP[3]
SECOND_SHELTER = MARKUP[4]
MORE_PARTNERS = MARKUP[5:]

#: Element types whose text Streamlit renders as Markdown (st.text, code and tables do not).
MARKDOWN_TYPES = {
    "title",
    "header",
    "subheader",
    "markdown",
    "caption",
    "info",
    "success",
    "warning",
    "error",
    "toast",
}


def _nodes(node: object) -> Iterator[object]:
    yield node
    children = getattr(node, "children", None)
    if isinstance(children, dict):
        for child in children.values():
            yield from _nodes(child)


def markdown_texts(at: AppTest) -> list[str]:
    """Every text on the page (main and sidebar) that Streamlit renders as Markdown: element
    bodies, labels and help texts (of metrics, widgets, expanders, tabs)."""
    texts: list[str] = []
    for root in (at.main, at.sidebar):
        for node in _nodes(root):
            if getattr(node, "type", None) in MARKDOWN_TYPES:
                texts.append(str(node.value))
            for attribute in ("label", "help"):
                value = getattr(node, attribute, None)
                if isinstance(value, str):
                    texts.append(value)
    return texts


def raw_markup(texts: list[str], names: list[str]) -> list[tuple[str, str]]:
    """(name, text) for every text holding a name as typed, unescaped."""
    return [(name, text) for text in texts for name in names if name in text]


def _more_agreements(region: str) -> tuple[str, bytes]:
    rows = valid_rows("afspraken")
    for row, partner in zip(rows[1:], MORE_PARTNERS, strict=True):
        row[:4] = [region, SECOND_SHELTER, "vrouwenopvang", partner]
    rows[2][7] = "schriftelijk"
    return "tweede-opvang.csv", csv_bytes(rows)


@pytest.fixture
def markup_app(app_env: Path) -> Path:
    files = hostile_files(REGION, SHELTER, PARTNER, ENDED_PARTNER, RESPONDENT)
    import_region(app_env, [*files, _more_agreements(REGION)])
    return app_env


#: Every page, and whether it names the region in its text (Overdracht, Stagnatie and the
#: comparison name it only in an empty state, the sidebar and a table).
PAGES = [
    (common.PAGE_OVERZICHT, {}, True),
    (common.PAGE_KAART, {}, True),
    (common.PAGE_KAART, {"organisatie": SHELTER}, True),
    (common.PAGE_NORMEN, {}, True),
    (common.PAGE_OVERDRACHT, {}, False),
    (common.PAGE_STAGNATIE, {}, False),
    (common.PAGE_VERGELIJKEN, {}, False),
    (common.PAGE_GEGEVENS, {}, True),
]


@pytest.mark.parametrize(("page", "params", "names_region"), PAGES)
def test_names_stay_text_on_every_page(
    markup_app: Path, page: str, params: dict[str, str], names_region: bool
) -> None:
    at = open_page(page, REGION, **params)
    texts = markdown_texts(at)
    assert texts
    assert raw_markup(texts, [REGION, *MARKUP]) == []
    assert names_region == any(common.escape_markdown(REGION) in text for text in texts)


def test_the_chosen_organisation_is_its_escaped_name(markup_app: Path) -> None:
    at = open_page(common.PAGE_KAART, REGION, organisatie=SHELTER)
    assert [h.value for h in at.subheader] == [common.escape_markdown(SHELTER)]


@pytest.mark.parametrize("name", MARKUP)
def test_each_construct_as_a_whole_region_name_stays_text(app_env: Path, name: str) -> None:
    import_region(app_env, hostile_files(name, "Opvang Proef", "Politie Proef", "GGZ Proef", "X"))
    at = open_page(common.PAGE_OVERZICHT, name)
    texts = markdown_texts(at)
    assert raw_markup(texts, [name]) == []
    assert f"{common.escape_markdown(name)} · peildatum 24-11-2026" in [c.value for c in at.caption]


def test_upload_messages_show_file_and_region_names_as_text(app_env: Path) -> None:
    file_name = "![img](http://127.0.0.1:9/x.png) $x^2$.csv"
    name, data = hostile_files(REGION, SHELTER, PARTNER, ENDED_PARTNER, RESPONDENT)[0]
    at = open_page(common.PAGE_GEGEVENS, "Demoregio Wolkendal")
    at.checkbox(key="nieuwe_regio").check().run()
    at.file_uploader(key="upload").set_value((file_name, data, "text/csv")).run()
    assert not at.exception
    # Before importing: the new region is named in an info message.
    assert any(common.escape_markdown(REGION) in i.value for i in at.info)
    assert raw_markup(markdown_texts(at), [REGION, *MARKUP, file_name]) == []
    at.button(key="importeren").click().run()
    assert not at.exception
    # After importing: the file name is in the success message, escaped.
    assert [common.escape_markdown(file_name) in s.value for s in at.success] == [True]
    assert raw_markup(markdown_texts(at), [REGION, *MARKUP, file_name]) == []


@pytest.mark.parametrize(
    ("text", "markup"),
    [
        ("**vet**", r"(?<!\\)\*"),
        ("[link](http://x)", r"(?<!\\)\["),
        ("![img](http://127.0.0.1:9/x.png)", r"(?<!\\)\["),
        ("$x^2$", r"(?<!\\)\$"),
        ("<b>x</b>", r"<"),
        (":red[rood]", r":red"),
        (":material/home:", r":material"),
        ("http://x.nl", r"http\\?://"),
        ("www.x.nl", r"www\\?\."),
        ("naam@x.nl", r"naam\\?@"),
        ("# kop", r"^#"),
        ("- lijst", r"^-"),
        ("1. lijst", r"^1\."),
        ("Opvang\u202eNoord", "\u202e"),
        ("Opvang\nNoord", "\n"),
    ],
)
def test_escape_markdown_leaves_no_markup_as_typed(text: str, markup: str) -> None:
    """Each construct is broken: escaped by a backslash, an entity or a word joiner."""
    assert re.search(markup, text)
    assert not re.search(markup, common.escape_markdown(text))


@pytest.mark.parametrize("text", ["Veilig Thuis Wolkendal", "GGD Duinrade (jeugd)", "2026-Q3"])
def test_escape_markdown_keeps_ordinary_names_readable(text: str) -> None:
    escaped = common.escape_markdown(text)
    # What is added are backslashes (Markdown drops them) and invisible word joiners.
    assert escaped.replace("\\", "").replace("\u2060", "") == text
