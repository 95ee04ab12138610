"""``python -m analysis report --format pptx`` (meeting.md): a 16:9 deck per demo region, read
back with python-pptx (seven slides in order, every text a real text box, the map a picture,
the gap sentences and open action titles letter for letter) and opened by LibreOffice Impress
(``soffice --headless --convert-to pdf``: one PDF page per slide)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import pytest
from pptx import Presentation
from pptx.enum.shapes import MSO_SHAPE_TYPE
from pypdf import PdfReader

from analysis.exports.deck import SLIDE_TITLES
from analysis.handovers import format_percent
from ketendata.samples.demo import DEMO_REGIONS
from tests.exports_setup import ACTIONS, Exported, exported_once, normalised

SOFFICE = shutil.which("soffice")

#: The title slide and the six of SLIDE_TITLES.
SLIDES = 1 + len(SLIDE_TITLES)


@pytest.fixture(scope="module")
def exported(
    tmp_path_factory: pytest.TempPathFactory, demo_db_template: Path
) -> dict[str, Exported]:
    """Every demo region's files, made once (tests/exports_setup.py)."""
    return exported_once(tmp_path_factory, demo_db_template)


def _slide_texts(path: Path) -> list[str]:
    """The text of every slide, from its text boxes only (white space normalised)."""
    deck = Presentation(str(path))
    return [
        normalised(
            " ".join(shape.text_frame.text for shape in slide.shapes if shape.has_text_frame)
        )
        for slide in deck.slides
    ]


@pytest.mark.parametrize("region", DEMO_REGIONS)
def test_the_deck_is_16_9_with_the_slides_in_order(
    exported: dict[str, Exported], region: str
) -> None:
    deck = Presentation(str(exported[region].pptx))
    assert deck.slide_width / deck.slide_height == pytest.approx(16 / 9, abs=0.01)
    texts = _slide_texts(exported[region].pptx)
    assert len(texts) == SLIDES
    assert texts[0].startswith(f"Ketenkaart: regio {region} Peildatum 24-11-2026")
    assert "Ketenkaart bevat geen gegevens over cliënten" in texts[0]
    for text, title in zip(texts[1:], SLIDE_TITLES, strict=True):
        assert text.startswith(title), (text[:60], title)


@pytest.mark.parametrize("region", DEMO_REGIONS)
def test_the_deck_says_what_the_summary_says_as_editable_text(
    exported: dict[str, Exported], region: str
) -> None:
    files = exported[region]
    report = files.report
    texts = _slide_texts(files.pptx)
    figures = texts[1]
    assert f"Organisaties {report['network']['organisations']} sinds 26-08-2026" in figures
    assert f"Actuele afspraken {report['network']['agreements']} " in figures
    assert f"Normdekking {format_percent(report['norms']['coverage'])} " in figures
    assert f" {format_percent(report['warm_share'])} " in figures
    for gap in report["top_gaps"]:
        assert normalised(gap["sentence"]) in texts[3]
    assert texts[4].startswith("Wat is er veranderd sinds 26-08-2026 ")
    assert " toegevoegd, " in texts[4] and " verbeterd, " in texts[4]
    titles = [title for title, options in ACTIONS[region] if "gereed" not in options]
    assert texts[5].startswith(f"Open acties ({len(titles)})")
    for title in titles:
        assert normalised(title) in texts[5]
    flagged = [t for t in report["stagnation"] if t["flagged"]]
    assert ("Geen gesignaleerde stagnatie." in texts[6]) == (not flagged)
    assert ("gestegen" in texts[6] or "gelijk" in texts[6] or "nieuw" in texts[6]) == bool(flagged)


@pytest.mark.parametrize("region", DEMO_REGIONS)
def test_only_the_map_is_a_picture(exported: dict[str, Exported], region: str) -> None:
    deck = Presentation(str(exported[region].pptx))
    pictures = [
        (number, shape)
        for number, slide in enumerate(deck.slides)
        for shape in slide.shapes
        if shape.shape_type == MSO_SHAPE_TYPE.PICTURE
    ]
    assert [number for number, _ in pictures] == [2]
    image = pictures[0][1].image
    assert image.content_type == "image/png"
    assert image.size[0] >= 1200  # sharp on a projector


@pytest.mark.skipif(
    SOFFICE is None, reason="soffice ontbreekt (apt-get install libreoffice-impress)"
)
def test_libreoffice_impress_opens_every_deck(
    exported: dict[str, Exported], tmp_path: Path
) -> None:
    """One soffice run converts every region's deck (its own profile folder, so parallel
    test workers do not share LibreOffice's lock)."""
    decks = [exported[region].pptx for region in DEMO_REGIONS]
    result = subprocess.run(
        [
            SOFFICE,
            f"-env:UserInstallation={(tmp_path / 'lo-profiel').as_uri()}",
            "--headless",
            "--convert-to",
            "pdf",
            "--outdir",
            str(tmp_path / "pdf"),
            *map(str, decks),
        ],
        capture_output=True,
        text=True,
        timeout=240,
    )
    assert result.returncode == 0, result.stderr
    for deck in decks:
        converted = tmp_path / "pdf" / f"{deck.stem}.pdf"
        assert converted.exists(), result.stdout + result.stderr
        reader = PdfReader(converted)
        assert len(reader.pages) == SLIDES
        assert "Kerncijfers" in reader.pages[1].extract_text()
