"""The Markdown memo keeps user text as text (issue 14, item 7; analysis/text.py, the memo in
analysis/report.py).

Hostile names go into a real database through the importer, come out of ``python -m analysis
report --format markdown`` and are read by a real CommonMark renderer (markdown-it-py with
GitHub's tables and strikethrough): no HTML, link, image, emphasis, code, heading or list may
come from them, and their text must be there letter for letter. The JSON report keeps them raw.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from pathlib import Path

import pandas as pd
import pytest
from hypothesis import example, given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from analysis.report import build_report, render_markdown
from analysis.text import (
    MARKDOWN_PUNCTUATION,
    WORD_JOINER,
    break_autolinks,
    escape_markdown,
    visible_text,
)
from ketendata import analysis_cli, cli, importers, store
from ketendata.intake.matrix import default_matrix
from tests.builders import csv_bytes

TODAY = date(2026, 9, 30)

#: The title of an open action: markup of every kind (meeting.md: shown literally).
ACTION = "<b>Actie</b> **vet** [klik](javascript:alert(1)) `code` #1"

#: CommonMark as GitHub reads it (tables, strikethrough); raw HTML is recognised (html=True).
MARKDOWN = MarkdownIt("commonmark").enable(["table", "strikethrough"])

#: Token types that only markup makes; the memo's own template makes none of them.
MARKUP_TOKENS = {
    "html_inline",
    "html_block",
    "link_open",
    "image",
    "em_open",
    "s_open",
    "code_inline",
    "code_block",
    "fence",
    "blockquote_open",
    "hr",
    "ordered_list_open",
    "softbreak",
    "hardbreak",
}

#: The attacks of issue 14, and more of the same kind, one per place a name can go.
REGION = "Regio <script>alert(1)</script> **Rood** #"
SHELTER_A = "<img src=x onerror=alert(1)> Opvang"
SHELTER_B = "**vet** [klik](javascript:alert(1)) Opvang"
PARTNERS = {
    "veilig_thuis": "![x](http://127.0.0.1:9/x.png)",
    "politie": "# kop",
    "huisarts": "- lijst",
    "wijkteam": "`code` $x$ \\pad\\ _schuin_",
    "ggz": "1. Opvang | pijp",
    "jeugdhulp": "&lt;b&gt; &amp; <http://x.nl> www.voorbeeld.nl",
    "onderwijs": "~~weg~~ ==mark== ^sup^ @cite {.klasse} :smile: :red[rood]",
    "woningcorporatie": "> citaat [^1]",
}
AGREEMENT_ID = "[id](javascript:x)"
LINE_BREAK = "Noord\n# Zuid"
NOTE = "<b>toelichting</b> *met* [link](http://127.0.0.1:9/)"

#: What GitHub's pages and Streamlit would still make a link or a mention of in rendered text.
ADDRESS = re.compile(r"(?i)www\.|:[^\s\u2060]|@[^\u2060]")


def agreements_csv() -> bytes:
    header = [
        "regio",
        "organisatie",
        "organisatietype",
        "partner",
        "partnertype",
        "afspraaktypes",
        "status",
        "kindspecifiek",
        "geevalueerd_op",
        "afspraak_id",
        "toelichting",
    ]
    rows = [
        [
            REGION,
            SHELTER_A,
            "vrouwenopvang",
            PARTNERS["veilig_thuis"],
            "veilig_thuis",
            "meldcode",
            "schriftelijk",
            "ja",
            "2026-01-15",
            AGREEMENT_ID,
            NOTE,
        ],
        [REGION, SHELTER_A, "vrouwenopvang", PARTNERS["politie"], "politie", "veiligheid"]
        + ["mondeling", "nee", "", "", NOTE],
        [REGION, SHELTER_A, "vrouwenopvang", PARTNERS["huisarts"], "huisarts"]
        + ["informatie_uitwisseling", "beeindigd", "nee", "", "", ""],
    ]
    rows += [
        [REGION, SHELTER_B, "vrouwenopvang", partner, ptype, "informatie_uitwisseling"]
        + ["in_ontwikkeling", "nee", "", "", NOTE]
        for ptype, partner in PARTNERS.items()
        if ptype not in ("veilig_thuis", "politie", "huisarts")
    ]
    # a name with a line break inside (Alt+Enter in Excel), quoted in the CSV as Excel writes it
    rows.append(
        [REGION, SHELTER_B, "vrouwenopvang", LINE_BREAK, "gemeente", "regie"]
        + ["beeindigd", "nee", "", "", ""]
    )
    return csv_bytes([header, *rows])


def handovers_csv() -> bytes:
    header = ["regio", "organisatie", "periode", "fase", "partner", "partnertype"]
    header += ["gezinnen", "warm"]
    return csv_bytes(
        [
            header,
            [REGION, SHELTER_A, "2026-Q3", "uitstroom", PARTNERS["woningcorporatie"]]
            + ["woningcorporatie", "6", "1"],
            [REGION, SHELTER_B, "2026-Q3", "uitstroom", PARTNERS["ggz"], "ggz", "5", "1"],
        ]
    )


def stagnation_csv() -> bytes:
    header = ["regio", "respondent", "periode", "domein", "onderwerp", "partner"]
    header += ["partnertype", "ernst", "toelichting"]
    return csv_bytes(
        [
            header,
            [REGION, SHELTER_B, "2026-Q3", "wonen", "woningaanbod", PARTNERS["jeugdhulp"]]
            + ["woningcorporatie", "5", NOTE],
        ]
    )


@pytest.fixture(scope="module")
def hostile_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database file with one region whose every text column holds markup."""
    path = tmp_path_factory.mktemp("memo") / "ketenkaart.duckdb"
    con = store.open_database(path)
    try:
        for name, data in (
            ("afspraken.csv", agreements_csv()),
            ("overdrachten.csv", handovers_csv()),
            ("stagnatie.csv", stagnation_csv()),
        ):
            importers.import_file(con, data, name, new_region=True)
    finally:
        con.close()
    # an open action whose title is markup too (meeting.md: action titles appear as text)
    assert (
        cli.main(["actions", "add", "--region", REGION, "--title", ACTION, "--db", str(path)]) == 0
    )
    return path


def run_report(path: Path, output: str, capsys: pytest.CaptureFixture[str]) -> str:
    code = analysis_cli.analysis_main(
        ["report", "--region", REGION, "--db", str(path), "--format", output]
        + ["--today", TODAY.isoformat()]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    return captured.out


def all_tokens(text: str) -> list[Token]:
    """Every token markdown-it makes of ``text``: the blocks and, after each inline, its
    children."""
    tokens = []
    for token in MARKDOWN.parse(text):
        tokens.append(token)
        tokens += token.children or []
    return tokens


def inline_texts(text: str) -> list[str]:
    """The rendered text of each inline (a heading, a paragraph, a table cell)."""
    return [
        "".join(child.content for child in token.children or [])
        for token in MARKDOWN.parse(text)
        if token.type == "inline"
    ]


def headings(text: str) -> list[tuple[str, str]]:
    """The level and text of every heading (word joiners left out)."""
    tokens = MARKDOWN.parse(text)
    return [
        (
            token.tag,
            "".join(child.content for child in tokens[index + 1].children or []).replace(
                WORD_JOINER, ""
            ),
        )
        for index, token in enumerate(tokens)
        if token.type == "heading_open"
    ]


def strong_texts(text: str) -> list[str]:
    """The text of every ``**...**`` in ``text``."""
    out = []
    for token in MARKDOWN.parse(text):
        inside = None
        for child in token.children or []:
            if child.type == "strong_open":
                inside = []
            elif child.type == "strong_close":
                out.append("".join(inside))
                inside = None
            elif inside is not None:
                inside.append(child.content)
    return out


# --- The memo of a real database -------------------------------------------------------------


def test_hostile_names_in_the_memo_render_as_text_only(
    hostile_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    memo = run_report(hostile_db, "markdown", capsys)
    tokens = all_tokens(memo)
    assert [t.type for t in tokens if t.type in MARKUP_TOKENS] == []
    # every leaf of every inline is plain text (bold opens and closes are checked below)
    leaves = {t.type for t in tokens if t.nesting == 0 and t.type != "inline"}
    assert leaves <= {"text"}
    # the only bold is the memo's own labels, the only headings its own sections
    for strong in strong_texts(memo):
        assert strong.split(" (")[0].rstrip(":") in {
            "Normenkader",
            "Netwerk",
            "Geen enkele opvang heeft een actuele afspraak met",
            "Belangrijkste ontbrekende afspraken",
            "Overdrachten",
            "Stagnatie",
        }, strong
    assert headings(memo) == [
        ("h1", f"Ketenkaart: regio {REGION}"),
        # the one-page summary (meeting.md), since 90 days before the analysis date
        ("h2", "Kerncijfers"),
        ("h2", "De vijf belangrijkste knelpunten"),
        ("h2", "Wat is er veranderd sinds 02-07-2026"),
        ("h2", "Open acties"),
        # then the appendix
        ("h2", "Bijlage"),
        ("h2", "Samenvatting per onderdeel"),
        ("h2", "Normenkader per opvangorganisatie"),
        ("h3", f"{SHELTER_B}: 0 van 29 op orde (0%)"),
        ("h3", f"{SHELTER_A}: 1 van 29 op orde (3,4%)"),
        ("h2", "Overdrachten (2026-Q3)"),
        ("h2", "Stagnatie (2026-Q3)"),
        ("h2", "Netwerk"),
        ("h2", "Over dit rapport"),
    ]
    # every list is the memo's own: what changed and the open actions (the one-page summary),
    # the appendix's summary and its three nested lists (missing agreements, handover gaps,
    # flagged stagnation), the network and the explanation
    assert sum(t.type == "bullet_list_open" for t in tokens) == 8
    # no address is left for GitHub's pages or Streamlit to link (an invisible word joiner in it)
    rendered = "\n".join(inline_texts(memo))
    assert ADDRESS.search(rendered) is None
    assert "http:\u2060//127.0.0.1:\u20609/x.png" in rendered
    # each name is there letter for letter, in the rendered text
    rendered = rendered.replace(WORD_JOINER, "")
    for name in [REGION, SHELTER_A, SHELTER_B, *PARTNERS.values(), AGREEMENT_ID, ACTION]:
        assert name in rendered, name
    assert (
        f"Organisaties zonder actuele afspraak: {PARTNERS['huisarts']}, Noord # Zuid." in rendered
    )


def test_the_memo_writes_no_raw_html_or_markup_from_names(
    hostile_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    memo = run_report(hostile_db, "markdown", capsys)
    for raw in ("<script", "<img", "](javascript:", "![x]", "**vet**", "`code`", "$x$"):
        assert raw not in memo, raw
    assert "&lt;script&gt;" in memo and "&amp;lt;b&amp;gt;" in memo


def test_the_json_report_keeps_the_raw_names(
    hostile_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    report = json.loads(run_report(hostile_db, "json", capsys))
    assert report["region"] == REGION
    assert {f["organisation"] for f in report["norms"]["findings"]} == {SHELTER_A, SHELTER_B}
    assert PARTNERS["huisarts"] in report["network"]["isolated"]
    reasons = " ".join(f["reason"] for f in report["norms"]["findings"])
    assert f"'{AGREEMENT_ID}' met {PARTNERS['veilig_thuis']}" in reasons
    assert f"met {PARTNERS['politie']};" in reasons
    assert {g["organisation"] for g in report["handover_gaps"]} == {SHELTER_A, SHELTER_B}


# --- Names the importer refuses, from data stored before or from elsewhere -------------------

HIDDEN = {
    "\u202e": "U+202E",  # right-to-left override
    "\u202d": "U+202D",
    "\u2066": "U+2066",  # left-to-right isolate
    "\u2069": "U+2069",
    "\u200f": "U+200F",  # right-to-left mark
    "\u061c": "U+061C",  # Arabic letter mark
    "\u200b": "U+200B",  # zero-width space
    "\ufeff": "U+FEFF",
    "\x00": "U+0000",
    "\x1b": "U+001B",
    "\x7f": "U+007F",
    "\x9b": "U+009B",
}


def agreement_row(organisation: str, partner: str, **fields: object) -> dict:
    row = {
        "organisation": organisation,
        "organisation_type": "vrouwenopvang",
        "partner": partner,
        "partner_type": "politie",
        "agreement_types": ("veiligheid",),
        "level": "organisatie",
        "status": "mondeling",
        "child_specific": False,
        "start_date": None,
        "end_date": None,
        "evaluated_on": None,
        "agreement_id": None,
        "note": None,
        "source_row": 2,
    }
    row.update(fields)
    return row


@pytest.mark.parametrize(("char", "code"), list(HIDDEN.items()), ids=list(HIDDEN.values()))
def test_control_and_bidi_characters_are_shown_by_their_code(char: str, code: str) -> None:
    organisation = f"Opvang{char}Noord"
    partner = f"Politie{char}\n# Zuid"
    agreements = pd.DataFrame([agreement_row(organisation, partner)])
    report = build_report(
        f"Regio{char}X", agreements, pd.DataFrame(), pd.DataFrame(), default_matrix(), TODAY
    )
    assert report["region"] == f"Regio{char}X"  # the JSON keeps what is stored
    memo = render_markdown(report)
    assert char not in memo
    rendered = "\n".join(inline_texts(memo)).replace(WORD_JOINER, "")
    assert f"Ketenkaart: regio Regio[{code}]X" in rendered
    assert f"Opvang[{code}]Noord: 0 van 29 op orde (0%)" in rendered
    assert f"Mondelinge afspraak met Politie[{code}] # Zuid;" in rendered
    assert [t.type for t in all_tokens(memo) if t.type in MARKUP_TOKENS] == []
    assert [tag for tag, _ in headings(memo)].count("h1") == 1


# --- escape_markdown itself ------------------------------------------------------------------


def contexts(text: str, links: bool) -> list[tuple[str, str, list[str]]]:
    """``text`` escaped (``links``: and its addresses broken) into each place the memo writes
    names: (Markdown, the text a reader must see, the block tokens it must make)."""
    shown = visible_text(text)
    plain, cell = escape_markdown(text), escape_markdown(text, in_table=True)
    if links:
        plain, cell = break_autolinks(plain), break_autolinks(cell)
    paragraph = ["paragraph_open", "inline", "paragraph_close"]
    item = ["bullet_list_open", "list_item_open", *paragraph, "list_item_close"]
    heading = ["heading_open", "inline", "heading_close"]
    table_head = ["table_open", "thead_open", "tr_open", "th_open", "inline", "th_close"]
    table_head += ["tr_close", "thead_close", "tbody_open", "tr_open", "td_open", "inline"]
    table = [*table_head, "td_close", "tr_close", "tbody_close", "table_close"]
    before, after = " ".join(filter(None, ["Z", shown])), " ".join(filter(None, [shown, "Z"]))
    return [
        (f"{plain} Z", after, paragraph),
        (f"Z {plain}", before, paragraph),
        (f"- {plain} Z", after, [*item, "bullet_list_close"]),
        (f"# {plain} Z", after, heading),
        (f"### Z {plain}", before, heading),
        (f"| k |\n|---|\n| {cell} Z |", after, table),
        (f"| k |\n|---|\n| Z {cell} |", before, table),
    ]


def assert_renders_as_text(text: str) -> None:
    for links in (False, True):
        for markdown, shown, blocks in contexts(text, links):
            tokens = MARKDOWN.parse(markdown)
            children = [child for token in tokens for child in token.children or []]
            assert {child.type for child in children} <= {"text"}, markdown
            assert [token.type for token in tokens] == blocks, markdown
            rendered = inline_texts(markdown)[-1]
            if links:
                assert ADDRESS.search(rendered) is None, markdown
                rendered = rendered.replace(WORD_JOINER, "")
            assert rendered == shown, markdown


ATTACKS = [
    "<script>alert(1)</script>",
    "<img src=x onerror=alert(1)>",
    "[klik](javascript:alert(1))",
    "![x](http://127.0.0.1:9/x.png)",
    "<http://127.0.0.1:9/>",
    "**vet**",
    "__vet__ *schuin* _schuin_ ~~weg~~",
    "# kop",
    "kop #",
    "- lijst",
    "+ lijst",
    "* lijst",
    "1. lijst",
    "1) lijst",
    "a) lijst",
    "(a) lijst",
    "> citaat",
    "---",
    "- - -",
    "===",
    "```python",
    "~~~",
    "`code`",
    "$x$",
    "$$x$$",
    "\\(x\\)",
    "a\\",
    "\\\\",
    "a  \nb",
    "Noord\nZuid",
    "Noord\r\n\r\n# Zuid",
    "    ingesprongen",
    "\tingesprongen",
    "&lt;b&gt; &amp; &#60;",
    "[id]: http://x.nl",
    "[^1]",
    "<!-- commentaar -->",
    "<div>blok</div>",
    "| a | b |",
    "Opvang \\| Noord",
    "\u202eNoord\u202c",
    "\x00",
]


@pytest.mark.parametrize("text", ATTACKS)
def test_each_attack_renders_as_its_own_text(text: str) -> None:
    assert_renders_as_text(text)


#: Pieces of text: Markdown's own characters and words, addresses, any character at all.
PIECES = st.one_of(
    st.sampled_from(list(MARKDOWN_PUNCTUATION + "<>&|:()-+.!'\" \n\t1a")),
    st.sampled_from(["www.", "http://", "a@b.nl", "&lt;", "1. ", "- ", "\u2060", "\u202e"]),
    st.characters(),
    st.characters(exclude_categories=()),  # lone surrogates too
)


@hypothesis_settings(max_examples=300, deadline=None)
@given(st.lists(PIECES, max_size=20).map("".join))
@example("- [a](b) `c` <d> \\")
@example("\ud800")
def test_any_text_renders_as_exactly_its_visible_text(text: str) -> None:
    assert_renders_as_text(text)
    escaped = escape_markdown(text)
    assert "\n" not in escaped
    assert not any(unicodedata.category(char) in {"Cc", "Cf", "Cs"} for char in escaped)


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        # GitHub links these at parse time too (markdown-it here has no linkify)
        ("www.voorbeeld.nl", "www\\.voorbeeld.nl"),
        ("http://x.nl", "http\\://x.nl"),
        ("naam@x.nl", "naam\\@x.nl"),
        # ordinary names and sentences stay as they are
        ("Noord-Oost (Wijkteam / CJG)", "Noord-Oost (Wijkteam / CJG)"),
        ("in 2026-Q3: 4 gezinnen (norm 4.1)", "in 2026-Q3: 4 gezinnen (norm 4.1)"),
        ("'s-Hertogenbosch", "'s-Hertogenbosch"),
        ("4.2b/c", "4.2b/c"),
    ],
)
def test_escape_markdown_escapes_only_what_starts_markup(text: str, escaped: str) -> None:
    assert escape_markdown(text) == escaped


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("Noord\nZuid", "Noord Zuid"),
        ("  Noord \r\n\t Zuid  ", "Noord Zuid"),
        ("Noord\u00a0Zuid\u2028", "Noord Zuid"),
        ("Opvang\u202eNoord", "Opvang[U+202E]Noord"),
        ("\U0001f600 Opvang", "\U0001f600 Opvang"),
    ],
)
def test_visible_text(text: str, shown: str) -> None:
    assert visible_text(text) == shown
