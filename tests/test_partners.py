"""The partner register (partners.md) on a hand-made region with realistic Dutch spellings:
the right pairs suggested and the wrong ones not, merging as a recomputation with the merged
names, unmerging back to exactly the report before, refusals that change nothing, and the
aliases at a moment. Real DuckDB files, real CSV bytes through the importer."""

from __future__ import annotations

import json
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from ketendata import importers, partners, store
from ketendata.analysis_cli import analysis_main
from ketendata.partners import NameFacts, suggest_pairs
from ketendata.store import partners as stored
from ketendata.store import queries
from tests.builders import csv_bytes

REGION = "Regio Kennemerland"
TODAY = "2026-11-24"

HEADER = [
    "regio",
    "organisatie",
    "organisatietype",
    "partner",
    "partnertype",
    "afspraaktypes",
    "status",
    "kindspecifiek",
    "geevalueerd_op",
]

#: Three shelters, each writing the same partners its own way.
INVENTORIES = {
    ("Blijf Groep Haarlem", "vrouwenopvang"): [
        ("Veilig Thuis Kennemerland", "veilig_thuis", "meldcode", "schriftelijk"),
        ("Politie Kennemerland", "politie", "veiligheid", "schriftelijk"),
        ("Wijkteam Haarlem-Noord", "wijkteam", "warme_overdracht", "mondeling"),
        ("Wijkteam Haarlem-Zuid", "wijkteam", "warme_overdracht", "mondeling"),
        ("Basisschool De Regenboog", "onderwijs", "onderwijs", "schriftelijk"),
    ],
    ("Kennemerhart Opvang", "maatschappelijke_opvang"): [
        ("VT Kennemerland", "veilig_thuis", "meldcode", "schriftelijk"),
        ("Politie Kennemerland", "politie", "informatie_uitwisseling", "schriftelijk"),
        ("Basisschool Het Kompas", "onderwijs", "onderwijs", "mondeling"),
        ("GGD Kennemerland", "jgz", "informatie_uitwisseling", "schriftelijk"),
        ("OBS De Regenboog", "onderwijs", "onderwijs", "schriftelijk"),
    ],
    ("Vrouwenopvang Velsen", "vrouwenopvang"): [
        ("Veilig Thuis Kennemerland (VTK)", "veilig_thuis", "meldcode", "schriftelijk"),
        ("Wijkteam Haarlem Noord", "wijkteam", "warme_overdracht", "schriftelijk"),
        ("Jeugdgezondheidszorg Kennemerland", "jgz", "informatie_uitwisseling", "mondeling"),
        ("CBS De Regenboog", "onderwijs", "onderwijs", "in_ontwikkeling"),
    ],
}

HANDOVERS = [
    ["regio", "organisatie", "periode", "fase", "partner", "partnertype", "gezinnen", "warm"],
    [
        REGION,
        "Blijf Groep Haarlem",
        "2026-Q3",
        "uitstroom",
        "VT Kennemerland",
        "veilig_thuis",
        6,
        2,
    ],
    [
        REGION,
        "Blijf Groep Haarlem",
        "2026-Q3",
        "uitstroom",
        "Wijkteam Haarlem-Noord",
        "wijkteam",
        5,
        4,
    ],
    [
        REGION,
        "Vrouwenopvang Velsen",
        "2026-Q3",
        "uitstroom",
        "Veilig Thuis Kennemerland",
        "veilig_thuis",
        4,
        1,
    ],
]

STAGNATION = [
    ["regio", "respondent", "periode", "domein", "onderwerp", "partner", "partnertype", "ernst"],
    [
        REGION,
        "Kennemerhart Opvang",
        "2026-Q3",
        "veiligheid",
        "veilig_thuis",
        "Veilig Thuis Kennemerland (VTK)",
        "veilig_thuis",
        4,
    ],
    [
        REGION,
        "Blijf Groep Haarlem",
        "2026-Q3",
        "wachtlijst",
        "wijkteam",
        "Wijkteam Haarlem Noord",
        "wijkteam",
        3,
    ],
]


def inventory_rows(rename: dict[str, str] | None = None) -> list[list]:
    """The inventories as CSV rows; ``rename`` writes some partner names differently."""
    rename = rename or {}
    rows = [HEADER]
    for (holder, holder_type), agreements in INVENTORIES.items():
        for partner, partner_type, agreement_type, status in agreements:
            rows.append(
                [
                    REGION,
                    holder,
                    holder_type,
                    rename.get(partner, partner),
                    partner_type,
                    agreement_type,
                    status,
                    "ja",
                    "01-03-2026",
                ]
            )
    return rows


def _renamed(rows: list[list], rename: dict[str, str]) -> list[list]:
    return [
        [rename.get(cell, cell) if isinstance(cell, str) else cell for cell in row] for row in rows
    ]


def build_region(path: Path, rename: dict[str, str] | None = None) -> Path:
    """A database with the region's inventories, handovers and stagnation, imported as files."""
    rename = rename or {}
    with store.writing(path) as con:
        importers.import_file(
            con, csv_bytes(inventory_rows(rename)), "inventarisatie.csv", new_region=True
        )
        importers.import_file(con, csv_bytes(_renamed(HANDOVERS, rename)), "overdrachten.csv")
        importers.import_file(con, csv_bytes(_renamed(STAGNATION, rename)), "stagnatie.csv")
    return path


@pytest.fixture
def region_db(tmp_path: Path) -> Path:
    return build_region(tmp_path / "ketenkaart.duckdb")


def report(path: Path, capsys: pytest.CaptureFixture[str]) -> dict:
    code = analysis_main(["report", "--region", REGION, "--db", str(path), "--today", TODAY])
    out, err = capsys.readouterr()
    assert (code, err) == (0, "")
    return json.loads(out)


def pairs(path: Path) -> list[tuple[str, str]]:
    with store.reading(path) as con:
        return [(s.name, s.into) for s in partners.suggestions(con, REGION)]


# --- Suggestions ------------------------------------------------------------------------------


def test_the_right_pairs_are_suggested_and_the_wrong_ones_not(region_db: Path) -> None:
    with store.reading(region_db) as con:
        found = partners.suggestions(con, REGION)
    assert [(s.name, s.into, s.score, s.partner_type) for s in found] == [
        ("Jeugdgezondheidszorg Kennemerland", "GGD Kennemerland", 1.0, "jgz"),
        ("Veilig Thuis Kennemerland (VTK)", "Veilig Thuis Kennemerland", 1.0, "veilig_thuis"),
        ("VT Kennemerland", "Veilig Thuis Kennemerland", 1.0, "veilig_thuis"),
        ("VT Kennemerland", "Veilig Thuis Kennemerland (VTK)", 1.0, "veilig_thuis"),
        ("Wijkteam Haarlem-Noord", "Wijkteam Haarlem Noord", 1.0, "wijkteam"),
    ]
    reasons = {(s.name, s.into): s.reason for s in found}
    assert "afkorting VT = Veilig Thuis" in reasons["VT Kennemerland", "Veilig Thuis Kennemerland"]
    assert (
        "tekst tussen haakjes niet meegeteld"
        in reasons["Veilig Thuis Kennemerland (VTK)", "Veilig Thuis Kennemerland"]
    )
    assert (
        "afkorting GGD = Jeugdgezondheidszorg"
        in reasons["Jeugdgezondheidszorg Kennemerland", "GGD Kennemerland"]
    )
    assert (
        "zelfde partnertype (Veilig Thuis)"
        in reasons["VT Kennemerland", "Veilig Thuis Kennemerland"]
    )


def _facts(name: str, partner_type: str | None, *holders: str, holder: bool = False) -> NameFacts:
    from analysis.codes import normalize_name

    return NameFacts(
        name,
        normalize_name(name),
        frozenset({partner_type}) if partner_type else frozenset(),
        is_holder=holder,
        is_partner=bool(holders),
        listed_by=frozenset(holders),
    )


@pytest.mark.parametrize(
    ("first", "second"),
    [
        # two neighbourhood teams: a word of their own each
        (("Wijkteam Haarlem-Noord", "wijkteam", "a"), ("Wijkteam Haarlem-Zuid", "wijkteam", "b")),
        # police and Veilig Thuis: other types, and other words
        (
            ("Politie Kennemerland", "politie", "a"),
            ("Veilig Thuis Kennemerland", "veilig_thuis", "b"),
        ),
        (("Politie Kennemerland", None, "a"), ("Veilig Thuis Kennemerland", None, "b")),
        # two different schools
        (
            ("Basisschool De Regenboog", "onderwijs", "a"),
            ("Basisschool Het Kompas", "onderwijs", "b"),
        ),
        (("OBS De Regenboog", "onderwijs", "a"), ("CBS De Regenboog", "onderwijs", "b")),
        # numbered teams
        (("R01 Wijkteam 001", "wijkteam", "a"), ("R01 Wijkteam 002", "wijkteam", "b")),
        # one spelling, but the partner types disagree
        (("Veilig Thuis Kennemerland", "veilig_thuis", "a"), ("VT Kennemerland", "politie", "b")),
    ],
)
def test_different_partners_are_never_suggested(first: tuple, second: tuple) -> None:
    assert suggest_pairs([_facts(*first), _facts(*second)]) == []


def test_two_partners_one_holder_lists_separately_are_never_suggested() -> None:
    north = _facts("Wijkteam Schalkwijk", "wijkteam", "blijf")
    bracketed = _facts("Wijkteam Schalkwijk (jeugd)", "wijkteam", "blijf", "velsen")
    assert suggest_pairs([north, bracketed]) == []
    # listed by two different holders, the same two names are a suggestion
    assert [
        (s.name, s.into)
        for s in suggest_pairs([north, _facts(bracketed.name, "wijkteam", "velsen")])
    ] == [("Wijkteam Schalkwijk (jeugd)", "Wijkteam Schalkwijk")]


def test_a_holder_is_always_the_target_and_two_holders_are_not_suggested() -> None:
    vt_holder = _facts("Veilig Thuis Kennemerland", "veilig_thuis", holder=True)
    short = _facts("VT Kennemerland", "veilig_thuis", "a", "b", "c")
    assert [(s.name, s.into) for s in suggest_pairs([vt_holder, short])] == [
        ("VT Kennemerland", "Veilig Thuis Kennemerland")
    ]
    other_holder = _facts("VT Kennemerland", "veilig_thuis", "a", holder=True)
    assert suggest_pairs([vt_holder, other_holder]) == []


def test_into_is_the_name_in_more_holders_inventories() -> None:
    short = _facts("VT Kennemerland", "veilig_thuis", "a", "b")
    full = _facts("Veilig Thuis Kennemerland", "veilig_thuis", "c")
    assert [(s.name, s.into) for s in suggest_pairs([short, full])] == [
        ("Veilig Thuis Kennemerland", "VT Kennemerland")
    ]


def test_a_typo_and_a_shorter_form_score_below_one_with_their_reason() -> None:
    typo = suggest_pairs(
        [
            _facts("Veilig Thuis Kennemerland", "veilig_thuis", "a", "c"),
            _facts("Veilig Thuis Kenemerland", None, "b"),
        ]
    )
    assert len(typo) == 1 and 0.9 < typo[0].score < 1
    assert "bijna gelijk: 'kenemerland' en 'kennemerland'" in typo[0].reason
    assert "partnertype alleen bij één naam bekend (Veilig Thuis)" in typo[0].reason
    shorter = suggest_pairs(
        [_facts("Politie", "politie", "a"), _facts("Politie Kennemerland", "politie", "b")]
    )
    assert len(shorter) == 1 and partners.SUGGEST_THRESHOLD <= shorter[0].score < 0.9
    assert "'Politie' is 'Politie Kennemerland' zonder 'kennemerland'" in shorter[0].reason


def test_a_dismissed_pair_is_not_suggested_again_in_either_order(region_db: Path) -> None:
    with store.writing(region_db) as con:
        partners.dismiss(con, REGION, "Veilig Thuis Kennemerland", "VT Kennemerland")
    assert ("VT Kennemerland", "Veilig Thuis Kennemerland") not in pairs(region_db)
    assert ("VT Kennemerland", "Veilig Thuis Kennemerland (VTK)") in pairs(region_db)


def test_a_merged_pair_is_one_name_and_the_others_follow(region_db: Path) -> None:
    with store.writing(region_db) as con:
        partners.merge(con, REGION, "VT Kennemerland", "Veilig Thuis Kennemerland")
    found = pairs(region_db)
    assert ("VT Kennemerland", "Veilig Thuis Kennemerland") not in found
    assert ("VT Kennemerland", "Veilig Thuis Kennemerland (VTK)") not in found
    # the target now counts two holders and has an alias: it stays the target
    assert ("Veilig Thuis Kennemerland (VTK)", "Veilig Thuis Kennemerland") in found


# --- Merging and the report -------------------------------------------------------------------

MERGED = {
    "VT Kennemerland": "Veilig Thuis Kennemerland",
    "Veilig Thuis Kennemerland (VTK)": "Veilig Thuis Kennemerland",
    "Wijkteam Haarlem-Noord": "Wijkteam Haarlem Noord",
}


def test_merging_gives_the_report_of_the_merged_names(
    region_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = report(region_db, capsys)
    with store.writing(region_db) as con:
        for alias, into in MERGED.items():
            partners.merge(con, REGION, alias, into)
    merged = report(region_db, capsys)
    recomputed = report(build_region(tmp_path / "herschreven.duckdb", MERGED), capsys)
    assert merged == recomputed
    assert merged["network"]["organisations"] == before["network"]["organisations"] - 3
    assert merged["network"] != before["network"]


def test_unmerging_restores_the_report_exactly(
    region_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = report(region_db, capsys)
    with store.writing(region_db) as con:
        for alias, into in MERGED.items():
            partners.merge(con, REGION, alias, into)
    assert report(region_db, capsys) != before
    with store.writing(region_db) as con:
        for alias in MERGED:
            partners.unmerge(con, REGION, alias)
        assert partners.list_aliases(con, REGION) == []
    assert report(region_db, capsys) == before


def test_stored_rows_are_never_rewritten(region_db: Path) -> None:
    with store.reading(region_db) as con:
        before = {t: rows for t, rows in store.dump_content(con).items() if t != "alias_events"}
    with store.writing(region_db) as con:
        partners.merge(con, REGION, "VT Kennemerland", "Veilig Thuis Kennemerland")
        partners.unmerge(con, REGION, "VT Kennemerland")
        partners.merge(con, REGION, "VT Kennemerland", "Veilig Thuis Kennemerland")
        after = store.dump_content(con)
        raw = queries.current_agreements(con, REGION)
    assert [row[2] for row in sorted(after.pop("alias_events"))] == ["merge", "unmerge", "merge"]
    assert after == before
    assert "VT Kennemerland" in set(raw["partner"])


def test_every_kind_of_frame_sees_the_target_with_its_display_name(region_db: Path) -> None:
    with store.writing(region_db) as con:
        partners.merge(con, REGION, "vt  KENNEMERLAND", "veilig thuis kennemerland")
        partners.merge(con, REGION, "Veilig Thuis Kennemerland (VTK)", "Veilig Thuis Kennemerland")
        frames = queries.region_frames(con, REGION)
        every = queries.all_region_frames(con)[REGION]
    target = "Veilig Thuis Kennemerland"
    assert set(frames.agreements["partner"]) >= {target}
    assert not {"VT Kennemerland", "Veilig Thuis Kennemerland (VTK)"} & set(
        frames.agreements["partner"]
    )
    assert set(frames.handovers["partner"]) == {target, "Wijkteam Haarlem-Noord"}
    assert target in set(frames.stagnation["partner"])
    for name in ("agreements", "handovers", "stagnation"):
        assert getattr(every, name).equals(getattr(frames, name))


@pytest.mark.parametrize(
    ("alias", "into", "why"),
    [
        ("VT Kennemerland", "vt kennemerland", "geen alias van zichzelf"),
        ("Vrouwenopvang Velsen", "Blijf Groep Haarlem", "eigen inventarisatie"),
        ("Kennemerhart Opvang", "Veilig Thuis Kennemerland", "eigen inventarisatie"),
        ("Veilig Thuis Amsterdam", "Veilig Thuis Kennemerland", "komt niet voor"),
        ("VT Kennemerland", "Veilig Thuis Noord", "komt niet voor"),
    ],
)
def test_refused_merges_change_nothing(region_db: Path, alias: str, into: str, why: str) -> None:
    with store.writing(region_db) as con:
        before = store.dump_content(con)
        with pytest.raises(partners.MergeRefused, match=why):
            partners.merge(con, REGION, alias, into)
        assert store.dump_content(con) == before


def test_chains_are_refused_either_way_and_change_nothing(region_db: Path) -> None:
    with store.writing(region_db) as con:
        partners.merge(con, REGION, "VT Kennemerland", "Veilig Thuis Kennemerland")
        before = store.dump_content(con)
        with pytest.raises(
            partners.MergeRefused, match="zelf een alias van 'Veilig Thuis Kennemerland'"
        ):
            partners.merge(con, REGION, "Veilig Thuis Kennemerland (VTK)", "VT Kennemerland")
        with pytest.raises(partners.MergeRefused, match="heeft zelf aliassen"):
            partners.merge(
                con, REGION, "Veilig Thuis Kennemerland", "Veilig Thuis Kennemerland (VTK)"
            )
        with pytest.raises(partners.MergeRefused, match="al samengevoegd"):
            partners.merge(con, REGION, "VT Kennemerland", "Veilig Thuis Kennemerland (VTK)")
        with pytest.raises(partners.MergeRefused, match="geen alias"):
            partners.unmerge(con, REGION, "Veilig Thuis Kennemerland")
        assert store.dump_content(con) == before


def test_an_unknown_region_is_its_own_error(region_db: Path) -> None:
    with store.writing(region_db) as con, pytest.raises(partners.UnknownRegionError):
        partners.merge(con, "Regio Nergens", "VT Kennemerland", "Veilig Thuis Kennemerland")


def test_a_holder_that_uploads_later_keeps_its_inventory(region_db: Path) -> None:
    with store.writing(region_db) as con:
        partners.merge(con, REGION, "VT Kennemerland", "Veilig Thuis Kennemerland")
        own = [
            HEADER,
            [
                REGION,
                "VT Kennemerland",
                "veilig_thuis",
                "Politie Kennemerland",
                "politie",
                "veiligheid",
                "schriftelijk",
                "nee",
                "",
            ],
        ]
        importers.import_file(con, csv_bytes(own), "vt.csv")
        frames = queries.region_frames(con, REGION)
    assert "VT Kennemerland" in set(frames.agreements["organisation"])
    assert "VT Kennemerland" in set(frames.agreements["partner"])


def test_the_aliases_at_a_moment_are_those_made_by_then(region_db: Path) -> None:
    start = datetime.now().replace(microsecond=0)
    merged_at, unmerged_at = start + timedelta(hours=1), start + timedelta(hours=2)
    with store.writing(region_db) as con:
        partners.merge(con, REGION, "VT Kennemerland", "Veilig Thuis Kennemerland", now=merged_at)
        partners.unmerge(con, REGION, "VT Kennemerland", now=unmerged_at)

        def partners_at(moment: datetime) -> set[str]:
            return set(queries.region_frames(con, REGION, moment).agreements["partner"])

        assert "VT Kennemerland" in partners_at(merged_at - timedelta(seconds=1))
        assert "VT Kennemerland" not in partners_at(merged_at)
        assert "VT Kennemerland" in partners_at(unmerged_at)
        region_id = queries.find_region_row(con, REGION)[0]
        assert stored.alias_names(con, region_id, merged_at + timedelta(minutes=5)) == {
            "VT Kennemerland": "Veilig Thuis Kennemerland"
        }


def test_a_merge_changes_the_content_version_the_app_caches_on(region_db: Path) -> None:
    with store.writing(region_db) as con:
        before = queries.content_version(con)
        partners.merge(con, REGION, "VT Kennemerland", "Veilig Thuis Kennemerland")
        assert queries.content_version(con) != before


def test_changes_between_two_moments_show_the_merge_as_the_state_then(
    region_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    since = datetime.now().replace(microsecond=0) + timedelta(seconds=1)
    with store.writing(region_db) as con:
        partners.merge(
            con,
            REGION,
            "VT Kennemerland",
            "Veilig Thuis Kennemerland",
            now=since + timedelta(minutes=1),
        )
    code = analysis_main(
        [
            "changes",
            "--region",
            REGION,
            "--since",
            since.strftime("%Y-%m-%dT%H:%M:%S"),
            "--until",
            (since + timedelta(minutes=2)).strftime("%Y-%m-%dT%H:%M:%S"),
            "--db",
            str(region_db),
        ]
    )
    out, _ = capsys.readouterr()
    assert code == 0
    agreements = json.loads(out)["agreements"]
    assert [(a["organisation"], a["partner"]) for a in agreements["ended"]] == [
        ("Kennemerhart Opvang", "VT Kennemerland")
    ]
    assert [(a["organisation"], a["partner"]) for a in agreements["added"]] == [
        ("Kennemerhart Opvang", "Veilig Thuis Kennemerland")
    ]


# --- At upload --------------------------------------------------------------------------------


def test_an_upload_naming_a_known_partner_differently_gets_a_hint(region_db: Path) -> None:
    upload = [
        HEADER,
        [
            REGION,
            "Blijf Groep Haarlem",
            "vrouwenopvang",
            "Veilig Thuis Kennemerland",
            "veilig_thuis",
            "meldcode",
            "schriftelijk",
            "ja",
            "",
        ],
        [
            REGION,
            "Blijf Groep Haarlem",
            "vrouwenopvang",
            "Politie Kenemerland",
            "politie",
            "veiligheid",
            "schriftelijk",
            "ja",
            "",
        ],
        [
            REGION,
            "Blijf Groep Haarlem",
            "vrouwenopvang",
            "CJG Haarlem Noord",
            "wijkteam",
            "warme_overdracht",
            "schriftelijk",
            "ja",
            "",
        ],
        [
            REGION,
            "Blijf Groep Haarlem",
            "vrouwenopvang",
            "Basisschool De Zonnewijzer",
            "onderwijs",
            "onderwijs",
            "schriftelijk",
            "ja",
            "",
        ],
        [
            REGION,
            "Blijf Groep Haarlem",
            "vrouwenopvang",
            "VT Kennemerland",
            "veilig_thuis",
            "informatie_uitwisseling",
            "schriftelijk",
            "ja",
            "",
        ],
    ]
    with store.reading(region_db) as con:
        checked = importers.check_against_database(
            con, importers.check_cells(csv_bytes(upload), "b.csv")
        )
        hints = partners.upload_hints(con, checked.frame, checked.kind)
    # 'VT Kennemerland' is known already; the school is new and like no other; the team is
    # like two known names (themselves a suggestion): one hint, the best
    assert [(r, h.name, h.into) for r, h in hints] == [
        (REGION, "CJG Haarlem Noord", "Wijkteam Haarlem Noord"),
        (REGION, "Politie Kenemerland", "Politie Kennemerland"),
    ]
    assert "afkorting CJG = Wijkteam" in hints[0][1].reason
    assert "bijna gelijk" in hints[1][1].reason


@pytest.mark.parametrize("untyped_first", [True, False])
def test_a_name_without_a_type_is_compared_with_every_name(untyped_first: bool) -> None:
    typed = _facts("Veilig Thuis Kennemerland", "veilig_thuis", "a", "b")
    untyped = _facts("Veilig Thuis Kenemerland", None, "c")
    names = [untyped, typed] if untyped_first else [typed, untyped]
    assert [(s.name, s.into) for s in suggest_pairs(names)] == [
        ("Veilig Thuis Kenemerland", "Veilig Thuis Kennemerland")
    ]


def test_names_that_both_carry_numbers_must_carry_the_same() -> None:
    same = [
        _facts("Wijkteam 3 Haarlem", "wijkteam", "a"),
        _facts("Wijkteam 3 (Haarlem)", "wijkteam", "b"),
    ]
    assert len(suggest_pairs(same)) == 1
    other = [
        _facts("Wijkteam 3 Haarlem", "wijkteam", "a"),
        _facts("Wijkteam 4 Haarlem", "wijkteam", "b"),
    ]
    assert suggest_pairs(other) == []
    one_without = [
        _facts("Wijkteam Haarlem", "wijkteam", "a"),
        _facts("Wijkteam Haarlem 3", "wijkteam", "b"),
    ]
    assert len(suggest_pairs(one_without)) == 1


# --- Properties -------------------------------------------------------------------------------

_WORDS = [
    "Veilig",
    "Thuis",
    "VT",
    "Wijkteam",
    "CJG",
    "Haarlem",
    "Noord",
    "Zuid",
    "Kennemerland",
    "Kenemerland",
    "GGD",
    "Jeugdgezondheidszorg",
    "Politie",
    "(VTK)",
    "(jeugd)",
    "De",
    "Regenboog",
    "OBS",
    "CBS",
    "001",
    "002",
    "Haarlem-Noord",
]
_TYPES = [None, "veilig_thuis", "wijkteam", "politie", "jgz", "onderwijs"]

_name_facts = st.builds(
    lambda words, kind, holders, holder: _facts(" ".join(words), kind, *holders, holder=holder),
    st.lists(st.sampled_from(_WORDS), min_size=1, max_size=4),
    st.sampled_from(_TYPES),
    st.sets(st.sampled_from("abcd"), max_size=3),
    st.booleans(),
)


def _unique(names: list[NameFacts]) -> list[NameFacts]:
    seen: dict[str, NameFacts] = {}
    for facts in names:
        seen.setdefault(facts.key, facts)
    return list(seen.values())


@settings(max_examples=150, deadline=None)
@given(st.lists(_name_facts, max_size=12), st.randoms(use_true_random=False))
def test_suggestions_follow_the_rules_whatever_the_names_and_their_order(names, rng) -> None:
    names = _unique(names)
    found = suggest_pairs(names)
    shuffled = list(names)
    rng.shuffle(shuffled)
    assert suggest_pairs(shuffled) == found
    by_name = {f.name: f for f in names}
    for s in found:
        alias, into = by_name[s.name], by_name[s.into]
        assert alias.key != into.key and 0.75 <= s.score <= 1
        assert alias.is_partner or into.is_partner
        assert not alias.is_holder and not (alias.listed_by & into.listed_by)
        if alias.partner_types and into.partner_types:
            assert s.partner_type in alias.partner_types & into.partner_types
    assert [s.score for s in found] == sorted((s.score for s in found), reverse=True)
    dismissed = [frozenset((by_name[s.name].key, by_name[s.into].key)) for s in found]
    assert suggest_pairs(names, dismissed) == []


def test_every_change_is_an_audit_entry_with_its_user(region_db: Path) -> None:
    with store.writing(region_db) as con:
        partners.merge(con, REGION, "VT Kennemerland", "Veilig Thuis Kennemerland", by="a@b.nl")
        partners.unmerge(con, REGION, "VT Kennemerland", by="cli:beheer")
        partners.dismiss(con, REGION, "OBS De Regenboog", "CBS De Regenboog")
        entries = stored.audit_entries(con)
    assert [(e["user"], e["action"], e["region"], e["subject"]) for e in entries] == [
        ("a@b.nl", "alias_merge", REGION, "VT Kennemerland -> Veilig Thuis Kennemerland"),
        ("cli:beheer", "alias_unmerge", REGION, "VT Kennemerland"),
        ("lokaal", "alias_dismiss", REGION, "OBS De Regenboog -> CBS De Regenboog"),
    ]
    assert all(len(e["at"]) == 19 for e in entries)
