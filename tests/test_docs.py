"""The user docs agree with the code: columns, codes, limits, commands and the norm matrix."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from analysis import codes
from analysis.settings import DEFAULT_SETTINGS
from ketendata import cli
from ketendata.columns import COLUMNS, Column
from ketendata.settings import DEFAULT_MATRIX_PATH, MAX_TEXT_LENGTH, MAX_XLSX_UNPACKED_BYTES

DOCS = Path(__file__).resolve().parent.parent / "docs"
FORMATS = (DOCS / "formats.md").read_text(encoding="utf-8")
NORMENKADER = (DOCS / "normenkader.md").read_text(encoding="utf-8")
GLOSSARY = (DOCS / "glossary.md").read_text(encoding="utf-8")


def _section(text: str, marker: str) -> str:
    """The ``## `` section of a markdown text whose heading contains ``marker``."""
    sections = [part for part in text.split("\n## ") if marker in part.splitlines()[0]]
    assert len(sections) == 1, f"expected one section with {marker!r}"
    return sections[0]


def _table_rows(section: str) -> list[list[str]]:
    """The cells of the markdown table rows of a section that start with a code in backticks."""
    return [
        [cell.strip() for cell in line.strip().strip("|").split("|")]
        for line in section.splitlines()
        if line.startswith("| `")
    ]


@pytest.mark.parametrize("kind", list(COLUMNS))
def test_formats_lists_every_column_in_order_with_its_required_flag(kind: str) -> None:
    rows = _table_rows(_section(FORMATS, f"(`{kind}`)"))
    documented = [(row[0].strip("`"), row[1].split()[0]) for row in rows]
    expected = [(column.name, "ja" if column.required else "nee") for column in COLUMNS[kind]]
    assert documented == expected


@pytest.mark.parametrize(
    ("kind", "column"),
    [(kind, column) for kind in COLUMNS for column in COLUMNS[kind] if column.default is not None],
    ids=lambda value: value if isinstance(value, str) else value.name,
)
def test_formats_states_the_default_of_optional_columns(kind: str, column: Column) -> None:
    row = next(
        r for r in _table_rows(_section(FORMATS, f"(`{kind}`)")) if r[0] == f"`{column.name}`"
    )
    default = "nee" if column.default is False else f"`{column.default}`"
    assert f"leeg = {default}" in row[1]


CODE_LISTS = {
    "PARTNER_TYPES": codes.PARTNER_TYPES,
    "AGREEMENT_TYPES": codes.AGREEMENT_TYPES,
    "LEVELS": codes.LEVELS,
    "STATUSES": codes.STATUSES,
    "PHASES": codes.PHASES,
    "DOMAINS": codes.DOMAINS,
}


@pytest.mark.parametrize(
    ("code", "text"),
    [(code, text) for table in CODE_LISTS.values() for code, text in table.items()],
)
def test_formats_lists_every_code_with_its_dutch_label(code: str, text: str) -> None:
    assert any(line.startswith(f"| `{code}` | {text} |") for line in FORMATS.splitlines())


@pytest.mark.parametrize("code", list(codes.AGREEMENT_TYPES))
def test_formats_names_the_source_of_every_agreement_type(code: str) -> None:
    row = f"| `{code}` | {codes.AGREEMENT_TYPES[code]} | {codes.AGREEMENT_TYPE_SOURCES[code]} |"
    assert row in FORMATS.splitlines()


@pytest.mark.parametrize(
    ("domain", "code", "text"),
    [
        (domain, code, text)
        for domain, topics in codes.TOPICS_BY_DOMAIN.items()
        for code, text in topics.items()
    ],
)
def test_formats_lists_every_topic_under_its_domain(domain: str, code: str, text: str) -> None:
    assert f"| `{domain}` | `{code}` | {text} |" in FORMATS.splitlines()


@pytest.mark.parametrize("command", list(cli._COMMANDS))
def test_formats_documents_every_command(command: str) -> None:
    assert f"python -m ketendata {command}" in FORMATS


def test_formats_documents_the_report_and_the_exit_codes() -> None:
    assert "python -m analysis  report --region NAAM" in FORMATS
    assert "--format json|markdown" in FORMATS
    exit_rows = [line for line in FORMATS.splitlines() if line[:4] in ("| 0 ", "| 1 ", "| 2 ")]
    assert [line[2] for line in exit_rows] == ["0", "1", "2"]


def test_formats_states_the_limits_from_settings() -> None:
    assert f"hoogstens {MAX_TEXT_LENGTH} tekens" in FORMATS
    assert f"{MAX_XLSX_UNPACKED_BYTES // (1024 * 1024)} MB" in FORMATS


def test_formats_shows_the_error_message_form() -> None:
    assert "rij N, kolom 'X': wat er mis is (waarde 'v'); wat er verwacht wordt" in FORMATS
    assert "waarde '1112*****'" in FORMATS


def _matrix_rows() -> list[dict[str, str]]:
    with DEFAULT_MATRIX_PATH.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


@pytest.mark.parametrize(
    "row", _matrix_rows(), ids=lambda row: f"{row['partnertype']}-{row['afspraaktype']}"
)
def test_normenkader_doc_shows_every_row_of_the_matrix_file(row: dict[str, str]) -> None:
    prefix = (
        f"| `{row['partnertype']}` | `{row['afspraaktype']}` | {row['norm']} | {row['kind']} | "
        f"{row['bron']} | {row['gewicht']} |"
    )
    assert any(line.startswith(prefix) for line in NORMENKADER.splitlines())


def test_normenkader_doc_has_no_requirement_the_matrix_file_lacks() -> None:
    documented = _table_rows(_section(NORMENKADER, "De eisen"))
    assert len(documented) == len(_matrix_rows())


def test_normenkader_doc_states_the_thresholds_from_settings() -> None:
    assert f"{DEFAULT_SETTINGS.evaluation_window_days} dagen" in NORMENKADER
    assert str(DEFAULT_SETTINGS.warm_threshold).replace(".", ",") in NORMENKADER
    assert f"{DEFAULT_SETTINGS.school_wait_flag_days:g} dagen" in NORMENKADER


@pytest.mark.parametrize("name", sorted({c.name for cols in COLUMNS.values() for c in cols}))
def test_glossary_maps_every_upload_column(name: str) -> None:
    assert any(line.startswith(f"| `{name}` |") for line in GLOSSARY.splitlines())
