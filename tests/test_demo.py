"""The demo data: real upload files that pass validation, tell each region's story, load once."""

from __future__ import annotations

import csv
import hashlib
import io
import re
import shutil
import statistics
import tomllib
import zipfile
from datetime import date, timedelta
from pathlib import Path

import openpyxl
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from analysis import codes
from ketendata import store
from ketendata.columns import SHEET_NAMES
from ketendata.intake.privacy import find_personal_data
from ketendata.intake.reading import decode_text, read_table
from ketendata.intake.validation import detect_kind, validate_table
from ketendata.samples.demo import DEMO_REGIONS, build_demo_files, demo_periods, load_demo
from ketendata.samples.demo_data import DATA_DIR, DemoDataError, read_regions

TODAY = date(2026, 11, 24)
PERIODS = ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]
FILES = build_demo_files(TODAY)
WINDOW = timedelta(days=730)  # "evaluated within 24 months"


def _kind_of(file_name: str) -> str:
    return next(kind for kind in codes.KINDS if f"_{kind}" in file_name)


def _frame(kind: str, files=FILES) -> pd.DataFrame:
    frames = []
    for name, data in files:
        if _kind_of(name) == kind:
            frames.append(validate_table(read_table(data, name), kind).frame)
    return pd.concat(frames, ignore_index=True)


@pytest.fixture(scope="module")
def agreements() -> pd.DataFrame:
    return _frame("afspraken")


@pytest.fixture(scope="module")
def handovers() -> pd.DataFrame:
    return _frame("overdrachten")


@pytest.fixture(scope="module")
def stagnation() -> pd.DataFrame:
    return _frame("stagnatie")


def _region(frame: pd.DataFrame, name: str) -> pd.DataFrame:
    return frame[frame["regio"] == name]


def _shelters(agreements: pd.DataFrame) -> pd.DataFrame:
    rows = agreements[agreements["organisatietype"].isin(codes.SHELTER_TYPES)]
    return rows[["organisatie", "organisatietype"]].drop_duplicates()


# --- periods ----------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("today", "expected"),
    [
        (date(2026, 11, 24), ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]),
        (date(2026, 10, 1), ["2025-Q4", "2026-Q1", "2026-Q2", "2026-Q3"]),
        (date(2026, 9, 30), ["2025-Q3", "2025-Q4", "2026-Q1", "2026-Q2"]),
        (date(2027, 1, 1), ["2026-Q1", "2026-Q2", "2026-Q3", "2026-Q4"]),
    ],
)
def test_demo_periods_are_the_four_complete_quarters_before_today(today, expected):
    assert demo_periods(today) == expected


def _quarter_bounds(period: str) -> tuple[date, date]:
    year, quarter = int(period[:4]), int(period[-1])
    start = date(year, 3 * quarter - 2, 1)
    following = date(year + quarter // 4, (3 * quarter) % 12 + 1, 1)
    return start, following - timedelta(days=1)


@settings(max_examples=50, deadline=None)
@given(st.dates(min_value=date(2001, 1, 1), max_value=date(2099, 12, 31)))
def test_demo_periods_are_consecutive_complete_and_latest(today):
    periods = demo_periods(today)
    bounds = [_quarter_bounds(period) for period in periods]
    assert len(periods) == 4
    for (_, end), (start, _) in zip(bounds, bounds[1:], strict=False):
        assert start == end + timedelta(days=1)  # consecutive
    assert bounds[-1][1] < today  # complete
    assert today <= bounds[-1][1] + timedelta(days=92)  # and no complete quarter skipped


# --- files ------------------------------------------------------------------------------------


def test_one_inventory_per_region_and_one_file_per_region_quarter_and_wave():
    names = [name for name, _ in FILES]
    assert len(names) == len(set(names))
    for region in ("wolkendal", "duinrade", "meerhaven"):
        assert sum(f"demo_{region}_afspraken" in n for n in names) == 1
        for kind in ("overdrachten", "stagnatie"):
            assert (
                sorted(
                    re.search(r"(\d{4}-Q\d)", n).group(1) for n in names if f"{region}_{kind}" in n
                )
                == PERIODS
            )


@pytest.mark.parametrize(("file_name", "data"), FILES, ids=[name for name, _ in FILES])
def test_every_demo_file_passes_validation_without_warnings(file_name, data):
    table = read_table(data, file_name)
    kind = detect_kind(table.headers)
    assert kind == _kind_of(file_name)
    validated = validate_table(table, kind)
    assert len(validated.frame) > 0
    assert not validated.warnings


def test_files_use_both_formats_and_dutch_excel_conventions():
    extensions = {(_kind_of(n), n.rsplit(".", 1)[1]) for n, _ in FILES}
    assert extensions == {(k, e) for k in codes.KINDS for e in ("csv", "xlsx")}
    csv_files = [(n, d) for n, d in FILES if n.endswith(".csv")]
    assert all(d.startswith(b"\xef\xbb\xbf") for _, d in csv_files)  # UTF-8 with BOM
    assert all(d.decode("utf-8-sig").splitlines()[0].count(";") >= 8 for _, d in csv_files)
    text = b"".join(d for _, d in csv_files).decode("utf-8-sig")
    assert re.search(r";\d{2}-\d{2}-\d{4};", text)  # DD-MM-YYYY dates
    assert re.search(r";\d+,5;", text)  # decimal comma
    assert "Beëindigd" in text and "Partner type" in text  # Dutch labels and headers


@pytest.mark.parametrize(
    ("file_name", "data"),
    [(n, d) for n, d in FILES if n.endswith(".xlsx")],
    ids=[n for n, _ in FILES if n.endswith(".xlsx")],
)
def test_xlsx_files_have_the_kind_sheet_and_real_dates(file_name, data):
    workbook = openpyxl.load_workbook(io.BytesIO(data))
    kind = _kind_of(file_name)
    assert workbook.sheetnames == [SHEET_NAMES[kind]]
    if kind == "afspraken":
        cells = [c.value for row in workbook.active.iter_rows(min_row=2) for c in row]
        assert any(hasattr(value, "year") for value in cells)


def test_same_date_gives_same_bytes_and_another_date_moves_the_dates():
    assert build_demo_files(TODAY) == FILES
    later = dict(build_demo_files(TODAY + timedelta(days=400)))
    assert [name for name, _ in FILES] != list(later)  # other quarters
    assert later["demo_wolkendal_afspraken.xlsx"] != dict(FILES)["demo_wolkendal_afspraken.xlsx"]


# The sha256 of every file build_demo_files(TODAY) returned before the demo regions moved from
# Python literals to data files (ketendata/samples/data/). Any edit to the demo's content, its
# random draws or its file writing changes these; re-record them only for an intended change.
# An .xlsx is hashed over its members' uncompressed bytes (:func:`content_sha256`), so the
# record does not depend on the zlib build; the members depend on openpyxl (pinned), which
# Ketenkaart runs without lxml (ketendata/__init__.py).
DEMO_SHA256 = {
    "demo_wolkendal_afspraken.xlsx": (
        "9a43e14d5aa70b743e461f1809670bc79088cbbd0976c0cf3eec55071b880c83"
    ),
    "demo_wolkendal_overdrachten_2025-Q4.xlsx": (
        "e6e15708efb6e0e87c3a5cb87fba5945decedfd5a98e0eaf303a693cac1f240a"
    ),
    "demo_wolkendal_stagnatie_2025-Q4.csv": (
        "6a3215f1560ccb7819c422c25ba13ca7c3dcba6057baf4f839df6b49434e03a1"
    ),
    "demo_wolkendal_overdrachten_2026-Q1.xlsx": (
        "4685df42229da67d81bbfdefd4759c6e774eaa6572af508bd4fd6887abc7f4f2"
    ),
    "demo_wolkendal_stagnatie_2026-Q1.csv": (
        "f7c28d1fe55fc250ecd42f912ebee1e662b3b7d5da5b99954430b0b8301787a3"
    ),
    "demo_wolkendal_overdrachten_2026-Q2.xlsx": (
        "401903996367bb62bf9009cbe57a903bc3111d1b6e6658018136c57cac0ecce2"
    ),
    "demo_wolkendal_stagnatie_2026-Q2.csv": (
        "4102adcbe3dc28469478b48b04534a5b8903f4b516f32c4ed8482112c2dc906b"
    ),
    "demo_wolkendal_overdrachten_2026-Q3.xlsx": (
        "39b985fe3d9c63ee2d0deb0aa693c6158aba22f12c30279f16d8cbc979fbbcd4"
    ),
    "demo_wolkendal_stagnatie_2026-Q3.csv": (
        "132222382fae49ff16f8f433c05276b5889f8d774cd4a08267a3b393fae9bda7"
    ),
    "demo_duinrade_afspraken.csv": (
        "7f195618dfb999bb3dca6fc3a0909339193a2ac8df2d524fb9839258c1d8b252"
    ),
    "demo_duinrade_overdrachten_2025-Q4.csv": (
        "b07593c7cac1348915424185fbd0ff2bfc1337250ac2b64c913ad72106fd48c2"
    ),
    "demo_duinrade_stagnatie_2025-Q4.xlsx": (
        "c11e09703fe6e715b4951f48cf9ccea3d2847468d21c8cec2541fa6a078e26f5"
    ),
    "demo_duinrade_overdrachten_2026-Q1.csv": (
        "0878e34eb7be90fc7daa098e105347603075c1086810c0ca9f772be756b25589"
    ),
    "demo_duinrade_stagnatie_2026-Q1.xlsx": (
        "ec9223d9ed1e1b2e37740b0c105d0ef6c5f5f10ed7dfefd97e3f93c3714fbcbd"
    ),
    "demo_duinrade_overdrachten_2026-Q2.csv": (
        "3b28cb7d55aac63b0d92991d0a8822b6af87a4d4d6aba6b0c0232db2164d9272"
    ),
    "demo_duinrade_stagnatie_2026-Q2.xlsx": (
        "646c0f33b60732f6298368568f0225e74609ffb8c2ae01378067fb5d0e38a859"
    ),
    "demo_duinrade_overdrachten_2026-Q3.csv": (
        "19fefd7b57eb0dcbfff1ff09dbdeaeb52d3ef5ac3e6d139ff27e683df44f7cc7"
    ),
    "demo_duinrade_stagnatie_2026-Q3.xlsx": (
        "6b8d5df77b7ee4dd4f74ae8f006ea8dada37859b29172e69263861eaedcf8ea8"
    ),
    "demo_meerhaven_afspraken.xlsx": (
        "7eb1384d6cabcc2575ddcc1f6fd99a3e8d2994c6c87789fe9200b1e91b4a19ed"
    ),
    "demo_meerhaven_overdrachten_2025-Q4.csv": (
        "218a0b42aa485602d8c7ae0033680db2e186660ed171208ddb656e2fc478937a"
    ),
    "demo_meerhaven_stagnatie_2025-Q4.csv": (
        "de82a0cee95023099ad683cf5651da0adeb87b6d65324f45a4e3799e7aa91a32"
    ),
    "demo_meerhaven_overdrachten_2026-Q1.csv": (
        "65b16e30e39584d47040984dc7c5f786304761b347c4d82fd26704c5de8470de"
    ),
    "demo_meerhaven_stagnatie_2026-Q1.csv": (
        "07c5e24c3fccc917ee37905e09537802245b826d3b6c80e4a885215d07489458"
    ),
    "demo_meerhaven_overdrachten_2026-Q2.csv": (
        "2c4df0bce714b243fd03014111fb430a9b1cac6dcccde363881b46da1bb1fc63"
    ),
    "demo_meerhaven_stagnatie_2026-Q2.csv": (
        "1660aed4ea594ec2ee3456db917eb7257de57f8a9fd8337c24ca25c2ef0a4285"
    ),
    "demo_meerhaven_overdrachten_2026-Q3.csv": (
        "27a533f0cd8b0928446e1fb6833fbb30fd4285eb83ed6c90dbbaf6eb65b48427"
    ),
    "demo_meerhaven_stagnatie_2026-Q3.csv": (
        "11038c0da58495fe3302fef8e0467ef7f7099e2e9e23c61254c63f7ea0306c24"
    ),
}


def content_sha256(name: str, data: bytes) -> str:
    """The SHA-256 of a demo file: of its bytes, for an .xlsx of its members' names and
    uncompressed bytes in the zip's order."""
    if not name.endswith(".xlsx"):
        return hashlib.sha256(data).hexdigest()
    digest = hashlib.sha256()
    with zipfile.ZipFile(io.BytesIO(data)) as archive:
        for member in archive.infolist():
            digest.update(member.filename.encode() + b"\0" + archive.read(member) + b"\0")
    return digest.hexdigest()


def test_the_demo_files_keep_their_recorded_bytes():
    assert {name: content_sha256(name, data) for name, data in FILES} == DEMO_SHA256
    assert [name for name, _ in FILES] == list(DEMO_SHA256)  # the import order too


def test_free_text_holds_no_digits_at_all(agreements, stagnation):
    """Nothing in a note can look like a phone number, postcode or BSN."""
    notes = pd.concat([agreements["toelichting"], stagnation["toelichting"]]).dropna()
    assert len(notes) >= 10
    assert not [note for note in notes if re.search(r"\d", note)]


# --- what the demo holds ----------------------------------------------------------------------


@pytest.mark.parametrize("region", DEMO_REGIONS)
def test_each_region_has_two_to_four_shelters_of_both_kinds(agreements, region):
    shelters = _shelters(_region(agreements, region))
    assert 2 <= len(shelters) <= 4
    assert set(shelters["organisatietype"]) == set(codes.SHELTER_TYPES)


@pytest.mark.parametrize("region", DEMO_REGIONS)
def test_each_region_has_25_to_40_partners_and_most_partner_types(agreements, region):
    rows = _region(agreements, region)
    shelter_keys = {codes.normalize_name(n) for n in _shelters(rows)["organisatie"]}
    partners = {codes.normalize_name(n) for n in rows["partner"]} - shelter_keys
    assert 25 <= len(partners) <= 40
    assert len(set(rows["partnertype"])) >= 15


def test_all_partner_types_are_covered_across_the_regions(agreements):
    assert set(agreements["partnertype"]) == set(codes.PARTNER_TYPES)


@pytest.mark.parametrize("region", DEMO_REGIONS)
def test_each_region_shows_the_mix_of_agreement_states(agreements, region):
    rows = _region(agreements, region)
    assert set(rows["status"]) == set(codes.STATUSES)
    written = rows[rows["status"] == "schriftelijk"]
    last = written.apply(lambda r: max(d for d in (r.ingangsdatum, r.geevalueerd_op) if d), axis=1)
    assert (last >= TODAY - WINDOW).any()  # written and recent
    assert (last < TODAY - WINDOW).any()  # written but stale
    assert (written["einddatum"].dropna() < TODAY).any()  # ended by its einddatum
    assert rows["kindspecifiek"].any() and not rows["kindspecifiek"].all()


@pytest.mark.parametrize("region", DEMO_REGIONS)
def test_each_region_has_a_covenant_sharing_its_id_across_four_to_eight_partners(
    agreements, region
):
    rows = _region(agreements, region)
    sizes = rows.groupby(["organisatie", "afspraak_id"])["partner"].nunique()
    assert sizes.between(4, 8).any()
    covenants = rows[rows["afspraak_id"].str.startswith("CONV-")]
    assert set(covenants["niveau"]) == {"regio"}
    assert "veilig_thuis" in set(covenants["partnertype"])


@pytest.mark.parametrize("region", DEMO_REGIONS)
def test_a_partner_is_spelled_differently_by_two_shelters(agreements, region):
    spellings = (
        _region(agreements, region)
        .groupby(_region(agreements, region)["partner"].map(codes.normalize_name))["partner"]
        .nunique()
    )
    assert (spellings > 1).any()


@pytest.mark.parametrize("region", DEMO_REGIONS)
def test_handovers_and_stagnation_cover_four_quarters_with_small_counts(
    handovers, stagnation, region
):
    flows = _region(handovers, region)
    answers = _region(stagnation, region)
    assert sorted(set(flows["periode"])) == PERIODS
    assert sorted(set(answers["periode"])) == PERIODS
    assert flows["gezinnen"].between(1, 15).all()
    assert set(flows["fase"]) == set(codes.PHASES)
    assert flows["kinderen"].notna().mean() > 0.5  # optional columns filled for most rows
    assert answers["respondent"].nunique() >= 3
    assert set(answers["ernst"]) <= {1, 2, 3, 4, 5}


def _periods_of(frame: pd.DataFrame, value) -> list:
    return [value(frame[frame["periode"] == period]) for period in PERIODS]


def test_wolkendal_story_no_gps_schools_verbal_wijkteam_handovers_improve(agreements, handovers):
    rows = _region(agreements, "Demoregio Wolkendal")
    assert "huisarts" not in set(rows["partnertype"])
    assert set(rows[rows["partnertype"] == "onderwijs"]["status"]) == {"mondeling"}
    flows = _region(handovers, "Demoregio Wolkendal")
    wijkteam = flows[(flows["fase"] == "uitstroom") & (flows["partnertype"] == "wijkteam")]
    shares = _periods_of(wijkteam, lambda f: f["warm"].sum() / f["gezinnen"].sum())
    assert shares == sorted(shares) and shares[0] < 0.6 < 0.8 < shares[-1]


def test_duinrade_story_housing_and_benefits_stall_children_and_regie_drop(stagnation, handovers):
    answers = _region(stagnation, "Demoregio Duinrade")
    for topic in ("woningaanbod", "urgentie", "uitkering"):
        severity = _periods_of(answers[answers["onderwerp"] == topic], lambda f: f["ernst"].max())
        assert severity == sorted(severity) and severity[0] < severity[-1] == 5
    flows = _region(handovers, "Demoregio Duinrade")
    latest = flows[flows["periode"] == PERIODS[-1]].dropna(subset=["kinderen"])
    assert latest["kind_overgedragen"].sum() / latest["kinderen"].sum() < 0.5
    out = flows[flows["fase"] == "uitstroom"]
    regie = _periods_of(out, lambda f: f["regisseur_belegd"].sum() / f["gezinnen"].sum())
    assert regie[-1] < regie[0] and regie[-1] < 0.5


def test_meerhaven_story_stale_agreements_school_waits_no_debt_counselling(
    agreements, handovers, stagnation
):
    rows = _region(agreements, "Demoregio Meerhaven")
    written = rows[rows["status"] == "schriftelijk"]
    last = written.apply(lambda r: max(d for d in (r.ingangsdatum, r.geevalueerd_op) if d), axis=1)
    assert (last < TODAY - WINDOW).mean() > 0.4  # many stale agreements
    for frame in (
        rows,
        _region(handovers, "Demoregio Meerhaven"),
        _region(stagnation, "Demoregio Meerhaven"),
    ):
        assert "schuldhulp" not in set(frame["partnertype"].dropna())
    answers = _region(stagnation, "Demoregio Meerhaven")
    school = answers[answers["onderwerp"] == "schoolplaatsing"]
    waits = _periods_of(school, lambda f: statistics.median(f["wachttijd_dagen"].dropna()))
    assert waits[-1] > 7 and waits[-1] > waits[0]  # flagged under norm 3.3


def _state_counts(today: date) -> dict:
    frame = _frame("afspraken", build_demo_files(today))

    def state(row) -> str:
        if row.status != "schriftelijk":
            return row.status
        if row.einddatum and row.einddatum < today:
            return "verlopen"
        last = max((d for d in (row.ingangsdatum, row.geevalueerd_op) if d), default=None)
        return "actueel" if last and last >= today - WINDOW else "verouderd"

    return (
        frame.assign(state=frame.apply(state, axis=1)).groupby(["regio", "state"]).size().to_dict()
    )


@settings(max_examples=5, deadline=None)
@given(st.dates(min_value=date(2020, 1, 1), max_value=date(2040, 12, 31)))
def test_the_demo_shows_the_same_mix_whenever_it_is_loaded(today):
    assert _state_counts(today) == _state_counts(TODAY)


# --- loading through the importer ---------------------------------------------------------------


@pytest.fixture(scope="module")
def loaded(tmp_path_factory):
    """A database file with the demo loaded once, and what the first load said."""
    con = store.open_database(tmp_path_factory.mktemp("demo") / "demo.duckdb")
    yield con, load_demo(con, TODAY)
    con.close()


def test_load_demo_imports_every_file_through_the_importer(loaded):
    con, first = loaded
    assert not first.already_present
    assert first.files_imported == len(FILES)
    assert first.rows_stored == sum(len(_frame(kind)) for kind in codes.KINDS)
    names = {row[0] for row in con.execute("SELECT name FROM regions").fetchall()}
    assert names == set(DEMO_REGIONS)
    imports = con.execute("SELECT count(*) FROM imports").fetchone()[0]
    assert imports == len(FILES)
    shelters = con.execute(
        "SELECT count(DISTINCT organisation_id) FROM versions WHERE kind = 'afspraken'"
    ).fetchone()[0]
    assert shelters == 9


def test_a_second_load_demo_changes_nothing(loaded):
    con, _ = loaded
    before = store.dump_content(con)
    second = load_demo(con, TODAY)
    assert second.already_present
    assert (second.files_imported, second.rows_stored) == (0, 0)
    assert "al in de database" in second.message
    assert store.dump_content(con) == before


def test_load_demo_unifies_the_spellings_of_one_partner(loaded):
    con, _ = loaded
    count = con.execute(
        "SELECT count(*) FROM organisations WHERE lower(name) LIKE 'veilig thuis%wolkendal'"
    ).fetchone()[0]
    assert count == 1


# --- the data files -----------------------------------------------------------------------------


def _data_copy(tmp_path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(DATA_DIR, folder)
    return folder


def _edit(path: Path, old: str, new: str) -> None:
    """Replace text in a data file, keeping its encoding (with or without BOM)."""
    data = path.read_bytes()
    encoding = "utf-8-sig" if data.startswith(b"\xef\xbb\xbf") else "utf-8"
    text = data.decode(encoding)
    assert old in text
    path.write_bytes(text.replace(old, new, 1).encode(encoding))


def test_the_data_folder_holds_the_regions_of_regios_toml_and_nothing_else():
    settings = tomllib.loads((DATA_DIR / "regios.toml").read_text(encoding="utf-8"))
    assert tuple(region["naam"] for region in settings.values()) == DEMO_REGIONS
    expected = {"regios.toml", "LEESMIJ.md"} | {
        f"{slug}/{name}.csv"
        for slug in settings
        for name in ("organisaties", "afspraken", "overdrachten", "stagnatie")
    }
    found = {p.relative_to(DATA_DIR).as_posix() for p in DATA_DIR.rglob("*") if p.is_file()}
    assert found == expected


def test_the_data_files_hold_no_personal_data():
    cells = []
    for path in sorted(DATA_DIR.rglob("*.csv")):
        text = decode_text(path.read_bytes())
        cells += [cell for line in text.splitlines() for cell in line.split(";")]
    cells += (DATA_DIR / "regios.toml").read_text(encoding="utf-8").splitlines()
    assert len(cells) > 1000
    assert [cell for cell in cells if find_personal_data(cell)] == []


def test_a_file_saved_by_excel_in_another_dialect_reads_the_same(tmp_path):
    """Labels instead of codes, '85%' for 85, and Windows-1252 with ',' (as Excel may save)."""
    folder = _data_copy(tmp_path)
    _edit(folder / "wolkendal" / "afspraken.csv", ";actueel;ja;regio;", ";Actueel;Ja;Regio;")
    _edit(folder / "wolkendal" / "overdrachten.csv", ";instroom;vt;;", ";Instroom;vt;;")
    _edit(folder / "wolkendal" / "overdrachten.csv", ";90;90;95;95;", ";90%;90 %;95;95;")
    for name in ("afspraken.csv", "overdrachten.csv"):
        path = folder / "wolkendal" / name
        rows = list(csv.reader(io.StringIO(path.read_text(encoding="utf-8-sig")), delimiter=";"))
        buffer = io.StringIO()
        csv.writer(buffer, delimiter=",", lineterminator="\r\n").writerows(rows)
        path.write_bytes(buffer.getvalue().encode("cp1252"))
    assert "ë".encode("cp1252") in (folder / "wolkendal" / "afspraken.csv").read_bytes()
    assert read_regions(folder) == read_regions()


@pytest.mark.parametrize(
    ("file", "old", "new", "place"),
    [
        (
            "wolkendal/afspraken.csv",
            ";actueel;ja;regio;",
            ";actuel;ja;regio;",
            "rij 2, kolom 'stand'",
        ),
        (
            "wolkendal/afspraken.csv",
            "vo1, vo2, mo1;vt;",
            "vo1, vo9, mo1;vt;",
            "rij 3, kolom 'opvang'",
        ),
        (
            "duinrade/overdrachten.csv",
            "vo1;instroom;vt;;7;8;8;9;",
            "vo1;instroom;vt;politie;7;8;8;9;",
            "rij 2, kolom 'partnertype'",
        ),
        ("duinrade/overdrachten.csv", ";7;8;8;9;85;", ";7;8;;9;85;", "rij 2, kolom 'gezinnen_k3'"),
        (
            "meerhaven/stagnatie.csv",
            "vo1;schoolplaatsing;bs1;;2;3;4;4;",
            "vo1;schoolplaatsing;bs1;;2;3;4;6;",
            "rij 2, kolom 'ernst_k4'",
        ),
        (
            "meerhaven/organisaties.csv",
            "vo2;Vrouwenopvang De Golfbreker;vrouwenopvang;opvang",
            "vo2;Vrouwenopvang De Golfbreker;politie;opvang",
            "rij 3, kolom 'type'",
        ),
        (
            "regios.toml",
            'partner = "wtn"',
            'partner = "wtx"',
            "regios.toml [wolkendal] schrijfwijzen",
        ),
        (
            "regios.toml",
            'stagnatie = { formaat = "xlsx", omschrijvingen',
            'stagnatie = { formaat = "xlsx", omschrijving',
            "regios.toml [duinrade.bestanden] stagnatie: onbekende instelling omschrijving",
        ),
    ],
)
def test_a_mistake_in_a_data_file_names_the_file_the_row_and_the_column(
    tmp_path, file, old, new, place
):
    folder = _data_copy(tmp_path)
    _edit(folder / file, old, new)
    with pytest.raises(DemoDataError) as error:
        read_regions(folder)
    assert str(error.value).startswith(place if file == "regios.toml" else f"{file}, {place}")
