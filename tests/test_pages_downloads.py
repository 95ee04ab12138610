"""The Overzicht's download buttons (ui/downloads.py, meeting.md): the PDF, the deck and the
memo of the chosen region, made when clicked.

AppTest renders the page; the buttons hand Streamlit a callable (deferred download), which
Streamlit's own media file manager runs when a browser asks for the file. The test keeps that
manager (a subclass that only remembers its instances) and asks it for each button's file as
the server would, then reads the bytes back.
"""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from pptx import Presentation
from pypdf import PdfReader
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

APP = str(Path(__file__).resolve().parents[1] / "app.py")
REGION = "Demoregio Duinrade"


class _KeptManager(MediaFileManager):
    made: list[MediaFileManager] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _KeptManager.made.append(self)


def _file(manager: MediaFileManager, file_id: str) -> bytes:
    """What the server sends for a deferred download: run the callable, read the stored file."""
    url = manager.execute_deferred(file_id)
    stored_id = url.rsplit("/", 1)[-1].split(".")[0]
    return manager._storage.get_file(stored_id).content  # noqa: SLF001 (the server's read)


def test_the_overview_offers_the_pdf_the_deck_and_the_memo(
    app_env: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _KeptManager.made.clear()
    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", _KeptManager)
    at = AppTest.from_file(APP, default_timeout=60)
    at.query_params["regio"] = REGION
    at.run()
    assert not at.exception, [e.value for e in at.exception]
    buttons = {b.proto.label: b.proto for b in at.get("download_button")}
    labels = ["Samenvatting (pdf, 1 pagina)", "Presentatie (PowerPoint)", "Memo (Markdown)"]
    assert all(label in buttons for label in labels), list(buttons)
    assert all(buttons[label].deferred_file_id for label in labels)  # made on click only
    manager = _KeptManager.made[-1]

    pdf = _file(manager, buttons[labels[0]].deferred_file_id)
    reader = PdfReader(io.BytesIO(pdf))
    assert len(reader.pages) == 1
    text = " ".join(reader.pages[0].extract_text().split())
    assert f"Ketenkaart: regio {REGION}" in text and "Peildatum 24-11-2026" in text

    deck = Presentation(io.BytesIO(_file(manager, buttons[labels[1]].deferred_file_id)))
    assert len(deck.slides) == 7

    memo = _file(manager, buttons[labels[2]].deferred_file_id).decode("utf-8")
    assert memo.startswith(f"# Ketenkaart: regio {REGION}\n")
    assert "## Bijlage" in memo
