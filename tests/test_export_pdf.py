"""``python -m analysis report --format pdf`` (meeting.md): one A4 page per demo region, read
back with pypdf: the region, the peildatum, the key figures, the Overzicht's five gap
sentences, every open action title letter for letter (one looks like HTML), the map picture
and the footer; the command-line rules (no stdout, --output required, exit 2 for an unknown
region or a --since after now), no browser and no write to the database."""

from __future__ import annotations

import hashlib
import io
import os
import shutil
import subprocess
import sys
from datetime import date, datetime
from pathlib import Path

import networkx as nx
import pytest
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from pptx import Presentation
from pypdf import PdfReader

from analysis.exports.mapimage import render_map_png
from analysis.exports.onepager import render_pdf
from analysis.handovers import format_percent
from analysis.summary import ActionLine, ChangeCounts, KeyFigure, Summary
from ketendata import analysis_cli, cli
from ketendata.samples.demo import DEMO_REGIONS
from tests.exports_setup import (
    ACTIONS,
    HTML_TITLE,
    TODAY_TEXT,
    Exported,
    exported_once,
    normalised,
)

ROOT = Path(__file__).resolve().parents[1]

#: A4 portrait in PDF points.
A4 = (595.28, 841.89)

#: The map picture of a region without an inventory (drawn once).
_EMPTY_MAP = render_map_png(nx.Graph())


@pytest.fixture(scope="module")
def exported(
    tmp_path_factory: pytest.TempPathFactory, demo_db_template: Path
) -> dict[str, Exported]:
    """Every demo region's files, made once (tests/exports_setup.py)."""
    return exported_once(tmp_path_factory, demo_db_template)


def _text(path: Path) -> str:
    reader = PdfReader(path)
    return normalised("\n".join(page.extract_text() for page in reader.pages))


@pytest.mark.parametrize("region", DEMO_REGIONS)
def test_the_pdf_is_one_a4_page_with_the_summary(
    exported: dict[str, Exported], region: str
) -> None:
    files = exported[region]
    reader = PdfReader(files.pdf)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (float(box.width), float(box.height)) == pytest.approx(A4, abs=0.5)
    text = _text(files.pdf)
    report = files.report
    assert f"Ketenkaart: regio {region}" in text
    assert "Peildatum 24-11-2026" in text
    # the key figures with their values
    network = report["network"]
    for label, value in (
        ("Organisaties", str(network["organisations"])),
        ("Actuele afspraken", str(network["agreements"])),
        ("Normdekking", format_percent(report["norms"]["coverage"])),
        ("Warm overgedragen", format_percent(report["warm_share"])),
        ("Gesignaleerde stagnatie", str(sum(t["flagged"] for t in report["stagnation"]))),
    ):
        assert label in text
        assert f" {value} " in text, (label, value)
    # the five gap sentences of the Overzicht, whole
    assert len(report["top_gaps"]) == 5
    for gap in report["top_gaps"]:
        assert normalised(gap["sentence"]) in text
    # what changed since the default moment: 90 days before the analysis date
    assert "Wat is er veranderd sinds 26-08-2026" in text
    assert "toegevoegd" in text and "verbeterd" in text
    assert "Ketenkaart bevat geen gegevens over cliënten" in text


@pytest.mark.parametrize("region", DEMO_REGIONS)
def test_every_open_action_title_is_printed_literally(
    exported: dict[str, Exported], region: str
) -> None:
    text = _text(exported[region].pdf)
    titles = [title for title, options in ACTIONS[region] if "gereed" not in options]
    assert [a["title"] for a in exported[region].report["actions"]] == titles
    assert f"Open acties ({len(titles)})" in text
    for title in titles:
        assert normalised(title) in text
    if not titles:
        assert "Geen open acties." in text
    assert "Klaar en dus niet op het overzicht" not in text


def test_an_overdue_action_says_so_in_words(exported: dict[str, Exported]) -> None:
    text = _text(exported["Demoregio Wolkendal"].pdf)
    assert f"{normalised(HTML_TITLE)} Gemeente Wolkendal · uiterlijk 01-11-2026 · TE LAAT" in text
    assert "Schoolafspraken vastleggen met het samenwerkingsverband geen trekker · geen datum" in (
        text
    )


@pytest.mark.parametrize("region", DEMO_REGIONS)
def test_the_pdf_carries_the_map_as_a_raster_picture(
    exported: dict[str, Exported], region: str
) -> None:
    images = PdfReader(exported[region].pdf).pages[0].images
    assert len(images) == 1
    picture = images[0].image
    assert picture.width >= 800 and picture.height >= 500  # sharp enough to print
    # not a blank picture: many colours (markers, lines, text)
    assert len(picture.convert("RGB").getcolors(maxcolors=1_000_000) or []) > 50


def test_many_actions_still_fit_one_page_most_urgent_first(demo_db: Path, tmp_path: Path) -> None:
    region = "Demoregio Meerhaven"
    db = ["--db", str(demo_db)]
    for n in range(1, 26):
        due = "2026-10-01" if n == 24 else f"2027-01-{n % 28 + 1:02d}"
        title = f"Actie nummer {n:02d} met een titel die best wat ruimte nodig heeft op de pagina"
        assert (
            cli.main(["actions", "add", "--region", region, "--title", title, "--due", due, *db])
            == 0
        )
    out = tmp_path / "veel.pdf"
    argv = ["report", "--region", region, "--format", "pdf", "--output", str(out)]
    assert analysis_cli.analysis_main([*argv, *db, "--today", TODAY_TEXT]) == 0
    reader = PdfReader(out)
    assert len(reader.pages) == 1
    text = _text(out)
    assert "Open acties (25)" in text
    # the overdue one comes first, then by due date; the rest is counted
    first = text.index("Actie nummer 24")
    assert first < text.index("Actie nummer 01") < text.index("Actie nummer 02")  # by due date
    shown = sum(f"Actie nummer {n:02d} " in text for n in range(1, 26))
    assert 3 <= shown < 25
    assert f"… en {25 - shown} meer" in text
    # the deck cuts its action slide the same way (seven lines, the last "en N meer")
    deck_file = tmp_path / "veel.pptx"
    argv = ["report", "--region", region, "--format", "pptx", "--output", str(deck_file)]
    assert analysis_cli.analysis_main([*argv, *db, "--today", TODAY_TEXT]) == 0
    slide = Presentation(str(deck_file)).slides[5]
    words = normalised(" ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame))
    assert (
        words.startswith("Open acties (25) ") and "peildatum 24-11-2026 Actie nummer 24 " in words
    )
    assert "… en 19 meer" in words


def test_pdf_and_pptx_need_output_and_never_write_to_stdout(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for output in ("pdf", "pptx"):
        with pytest.raises(SystemExit) as stopped:
            analysis_cli.analysis_main(
                [
                    "report",
                    "--region",
                    "Demoregio Duinrade",
                    "--format",
                    output,
                    "--db",
                    str(demo_db),
                ]
            )
        assert stopped.value.code == 2
        captured = capsys.readouterr()
        assert captured.out == ""
        assert f"--format {output} schrijft een bestand: geef het met --output BESTAND" in (
            captured.err
        )


def test_unknown_region_and_since_after_now_exit_2_and_write_nothing(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "verslag.pdf"
    base = ["report", "--format", "pdf", "--output", str(out), "--db", str(demo_db)]
    assert analysis_cli.analysis_main([*base, "--region", "Demoregio Nergens"]) == 2
    assert "Onbekende regio 'Demoregio Nergens'. Bekende regio's:" in capsys.readouterr().err
    code = analysis_cli.analysis_main(
        [*base, "--region", "Demoregio Duinrade", "--since", "2999-01-01"]
    )
    assert code == 2
    assert "ligt na dit moment" in capsys.readouterr().err
    assert (
        analysis_cli.analysis_main([*base, "--region", "Demoregio Duinrade", "--since", "gisteren"])
        == 2
    )
    assert "--since 'gisteren' is geen moment" in capsys.readouterr().err
    assert not out.exists()


def test_since_names_the_moment_compared_with(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "verslag.pdf"
    argv = ["report", "--region", "Demoregio Duinrade", "--format", "pdf", "--output", str(out)]
    argv += ["--db", str(demo_db), "--today", TODAY_TEXT, "--since", "2026-11-01"]
    assert analysis_cli.analysis_main(argv) == 0
    assert capsys.readouterr().out == f"{out}\n"  # exit 0 prints the file's path
    text = _text(out)
    assert "veranderingen sinds 01-11-2026" in text
    assert "Wat is er veranderd sinds 01-11-2026" in text


def test_the_command_runs_without_a_browser_and_leaves_the_database_as_it_was(
    demo_db: Path, tmp_path: Path
) -> None:
    """``python -m analysis`` in its own process, with a PATH that has python and nothing
    else (no chromium, no soffice): the PDF is made, the database file is byte for byte the
    same."""
    before = hashlib.sha256(demo_db.read_bytes()).hexdigest()
    bare = tmp_path / "bin"
    bare.mkdir()
    (bare / "python").symlink_to(sys.executable)
    env = {k: v for k, v in os.environ.items() if not k.startswith("KETENKAART")}
    env["PATH"] = str(bare)
    assert shutil.which("chromium", path=env["PATH"]) is None
    out = tmp_path / "verslag.pdf"
    result = subprocess.run(
        [sys.executable, "-m", "analysis", "report", "--region", "Demoregio Duinrade"]
        + ["--format", "pdf", "--output", str(out), "--db", str(demo_db), "--today", TODAY_TEXT],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(out)
    assert len(PdfReader(out).pages) == 1
    assert hashlib.sha256(demo_db.read_bytes()).hexdigest() == before
    assert not Path(str(demo_db) + ".wal").exists()


def test_the_memo_starts_with_the_same_summary(exported: dict[str, Exported]) -> None:
    files = exported["Demoregio Wolkendal"]
    memo = files.markdown
    appendix = memo.index("## Bijlage")
    summary = memo[:appendix]
    assert summary.startswith("# Ketenkaart: regio Demoregio Wolkendal\n")
    assert "Peildatum 24-11-2026 · veranderingen sinds 26-08-2026." in summary
    for gap in files.report["top_gaps"]:
        assert gap["sentence"].split(" (")[0] in summary
    assert "Schoolafspraken vastleggen met het samenwerkingsverband" in summary
    assert "&lt;b&gt;Huisarts&lt;/b&gt;" in summary  # the HTML-looking title, escaped
    assert "## Normenkader per opvangorganisatie" in memo[appendix:]
    assert len(summary.split()) < 500  # one page; the long lists are in the appendix


_TEXT = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc", "Cf")),
    min_size=0,
    max_size=220,
)


@hypothesis_settings(max_examples=12, deadline=None)
@given(
    region=_TEXT.filter(str.strip),
    gaps=st.lists(_TEXT, max_size=5),
    titles=st.lists(_TEXT.filter(str.strip), max_size=40),
    owner=st.none() | _TEXT,
)
def test_any_texts_still_give_exactly_one_page(
    region: str, gaps: list[str], titles: list[str], owner: str | None
) -> None:
    """Whatever the names and titles hold (long, no spaces, any script), the PDF is one A4
    page with its footer, and the actions that do not fit are counted."""
    summary = Summary(
        region=region,
        peildatum=date(2026, 11, 24),
        since=datetime(2026, 8, 26, 23, 59, 59),
        key_figures=tuple(KeyFigure(f"Cijfer {n}", "100%", "+99,9 procentpunt") for n in range(5)),
        gaps=tuple(gaps),
        changes=ChangeCounts(1, 2, 3, 4, 5),
        actions=tuple(ActionLine(t, owner, date(2026, 1, 1), "open", True) for t in titles),
        stagnation=(),
    )
    reader = PdfReader(io.BytesIO(render_pdf(summary, _EMPTY_MAP)))
    assert len(reader.pages) == 1
    text = normalised(reader.pages[0].extract_text())
    assert "Ketenkaart bevat geen gegevens over cliënten" in text
    assert f"Open acties ({len(titles)})" in text
