"""Small numbers on the page "Wat is veranderd" for an opvang user (access.md): another
shelter's warm share of fewer than 5 families reads "verborgen" in the table and in the
downloaded memo, with the same keys in the document; its own shelter and the gemeente see
every share.

AppTest on the demo database (Demoregio Wolkendal, since the default moment, 90 days before
24-11-2026) with one tiny import of a shelter with 3 families; in 2026-Q3 Vrouwenopvang
Wolkendal had 2 families in doorstroom.
"""

from __future__ import annotations

from datetime import datetime
from pathlib import Path

import pytest
from streamlit.runtime.media_file_manager import MediaFileManager
from streamlit.testing.v1 import AppTest

from analysis.changes import SCHEMA, render_json
from ketendata import access, store
from ketendata.access import LOCAL
from ketendata.importers import import_file
from ketendata.store import queries
from tests.test_access_masking import (
    GEMEENTE,
    LEZER,
    OTHER,
    OWN,
    PARAPLU,
    TINY,
    WOLKENDAL,
    principal,
    run_page,
    users,  # noqa: F401  (the fixture)
)

PAGE = "pages/changes.py"
SINCE = datetime(2026, 8, 26, 23, 59, 59)  # the page's default: 90 days before 24-11-2026
SMALL = "Opvang Klein"  # TINY: 3 families in uitstroom, 1 warm


@pytest.fixture
def tiny(users: Path) -> Path:  # noqa: F811
    with store.writing(users) as con:
        import_file(con, TINY, "klein.csv", principal=LOCAL, now=datetime(2026, 11, 20, 10, 0))
    return users


def _handovers(at: AppTest) -> dict[tuple[str, str], tuple[str, str]]:
    table = next(f.value for f in at.dataframe if "Warm nu" in f.value.columns)
    return {
        (r["Opvangorganisatie"], r["Fase"]): (r["Warm was"], r["Warm nu"])
        for r in table.to_dict("records")
    }


def test_an_opvang_user_sees_other_shelters_small_shares_hidden(tiny: Path) -> None:
    at = run_page(PARAPLU, PAGE)
    shown = _handovers(at)
    assert shown[(SMALL, "Uitstroom")] == ("–", "verborgen")  # 1 of 3 would say it
    assert shown[(OTHER, "Doorstroom")][1] == "verborgen"  # 2 families in 2026-Q3
    assert shown[(OTHER, "Instroom")] == ("90%", "92,3%")  # 10 and 13 families: shown
    own = [v for (name, _), v in shown.items() if name == OWN]
    assert own and all("verborgen" not in pair for pair in own)  # its own shelter, in full
    gemeente = _handovers(run_page(GEMEENTE, PAGE))
    assert gemeente[(SMALL, "Uitstroom")] == ("–", "33,3%")
    assert gemeente[(OTHER, "Doorstroom")][1] == "100%"
    assert "verborgen" not in {v for pair in gemeente.values() for v in pair}
    assert _handovers(run_page(LEZER, PAGE)) == gemeente  # a lezer reads as a gemeente


# --- The memo the page offers -------------------------------------------------------------------


class _KeptManager(MediaFileManager):
    """Streamlit's media file manager, remembered so the test can read what it serves."""

    made: list[MediaFileManager] = []

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        _KeptManager.made.append(self)


def _memo(email: str, monkeypatch: pytest.MonkeyPatch) -> str:
    """The Markdown the page's download button serves to this user."""
    _KeptManager.made.clear()
    monkeypatch.setattr("streamlit.testing.v1.app_test.MediaFileManager", _KeptManager)
    at = run_page(email, PAGE)
    [button] = [b.proto for b in at.get("download_button") if "notitie" in b.proto.label]
    stored_id = button.url.rsplit("/", 1)[-1].split(".")[0]
    content = _KeptManager.made[-1]._storage.get_file(stored_id).content  # noqa: SLF001
    return content.decode("utf-8")


def _handover_lines(memo: str) -> dict[str, str]:
    part = memo.split("## Warme overdracht", 1)[1].split("\n## ", 1)[0]
    lines = [line[2:] for line in part.splitlines() if line.startswith("- ")]
    return {line.split(":", 1)[0]: line.split(":", 1)[1].strip() for line in lines}


def test_the_memo_of_an_opvang_user_hides_the_same_shares(
    tiny: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    memo = _handover_lines(_memo(PARAPLU, monkeypatch))
    assert memo[f"{SMALL}, Uitstroom"] == "geen (geen) → verborgen (2026-Q3)"
    assert memo[f"{OTHER}, Doorstroom"] == "verborgen (2026-Q2) → verborgen (2026-Q3)"
    assert "verborgen" not in memo[f"{OTHER}, Instroom"]
    assert not any("verborgen" in text for line, text in memo.items() if line.startswith(OWN))
    full = _handover_lines(_memo(GEMEENTE, monkeypatch))
    assert full[f"{SMALL}, Uitstroom"] == "geen (geen) → 33,3% (2026-Q3)"
    assert full.keys() == memo.keys()  # the same entries, only the shares hidden
    assert not any("verborgen" in text for text in full.values())


# --- The document itself ------------------------------------------------------------------------


def test_the_shown_document_keeps_its_keys_and_hides_only_small_shares(tiny: Path) -> None:
    from analysis.changes import State, build_changes
    from tests.conftest import TODAY
    from ui.common import SETTINGS

    until = datetime(2026, 11, 24, 12, 0)
    with store.reading(tiny) as con:
        old = queries.region_frames(con, WOLKENDAL, SINCE)
        new = queries.region_frames(con, WOLKENDAL)
        imports = queries.imports_between(con, WOLKENDAL, SINCE, until)

    def state(frames: queries.RegionFrames, on) -> State:
        return State(frames.agreements, frames.handovers, frames.stagnation, frames.matrix, on)

    document = build_changes(
        WOLKENDAL, SINCE, until, imports, state(old, SINCE.date()), state(new, TODAY), SETTINGS
    )
    who = principal(tiny, PARAPLU)
    shown = access.shown_changes(who, document, before=old.handovers, after=new.handovers)
    assert shown["schema"] == SCHEMA and list(shown) == list(document)
    assert [list(e) for e in shown["handovers"]] == [list(e) for e in document["handovers"]]
    hidden = {
        (e["organisation"], e["phase"], side)
        for e in shown["handovers"]
        for side in ("before", "after")
        if e[f"warm_share_{side}"] == "verborgen"
    }
    assert (SMALL, "uitstroom", "after") in hidden and (OTHER, "doorstroom", "after") in hidden
    assert not any(name == OWN for name, _, _ in hidden)
    assert all(name in (SMALL, OTHER) for name, _, _ in hidden)
    assert '"warm_share_after": "verborgen"' in render_json(shown)
    # everything but the hidden shares is as it was; the document itself is unchanged
    unhidden = {k: v for k, v in shown.items() if k != "handovers"}
    assert unhidden == {k: v for k, v in document.items() if k != "handovers"}
    assert "verborgen" not in render_json(document)
    for role in (GEMEENTE, LEZER):
        full = access.shown_changes(
            principal(tiny, role), document, before=old.handovers, after=new.handovers
        )
        assert full == document
