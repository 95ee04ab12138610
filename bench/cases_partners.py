"""The partner register's suggestions for a region of 1,000 organisations (issue 13).

The region is synthetic region 1 (:mod:`ketendata.samples.synth`) at the scale that gives about
960 organisations, with about 50 partners written a second way by some shelters (the spellings a
region meets: "VT" for "Veilig Thuis", a bracketed addition, another case, a typo, a hyphen), so
the suggestions have real work to do. Two timings: the pure matching
(:func:`ketendata.partners.suggest_pairs` on the region's names) and the whole path the
Gegevens page and ``partners suggest`` take (:func:`ketendata.partners.suggestions`: reading
the region from DuckDB, the aliases, the names, the matching). Target: the whole path under a
second (median).
"""

from __future__ import annotations

import random
from pathlib import Path

from bench.databases import SEED, TODAY, cached_database
from bench.harness import Timing, measure
from ketendata import partners, store
from ketendata.samples import synth
from ketendata.store import queries

__all__ = ["ORGANISATIONS", "TARGET_SECONDS", "bench_partners", "partners_db", "variant"]

#: The size of the region (organisations named in its inventories), about.
ORGANISATIONS = 1000

#: The suggestions of the whole region are ready within this many seconds (median).
TARGET_SECONDS = 1.0

#: Scale of synthetic region 1 that names about 950 organisations before the variants.
_SCALE = 5.2

#: Every how manieth partner some shelters write another way.
_EVERY = 19


def variant(name: str, number: int) -> str:
    """Another spelling of a synthetic partner name, one of five kinds by ``number``.

    >>> for n in range(5):
    ...     print(variant("R01 Veilig Thuis 001", n))
    R01 VT 001
    R01 Veilig Thuis 001 (regio)
    r01 veilig thuis 001
    R01 Veiligg Thuis 001
    R01 Veilig-Thuis 001
    """
    kind = number % 5
    if kind == 0:
        return name.replace("Veilig Thuis", "VT").replace("Wijkteam", "CJG") + (
            "" if "Veilig Thuis" in name or "Wijkteam" in name else " (locatie)"
        )
    if kind == 1:
        return f"{name} (regio)"
    if kind == 2:
        return name.lower()
    if kind == 3:
        words = name.split()
        words[1] = words[1] + words[1][-1]
        return " ".join(words)
    words = name.split()
    return " ".join([words[0], "-".join(words[1:-1]), words[-1]]) if len(words) > 3 else name + "-"


def region_rows() -> list[list[object]]:
    """The inventory rows of the benchmark region: synthetic region 1, some partners respelled
    in the rows of odd-numbered shelters."""
    tables = synth.region_tables(1, _SCALE, SEED, TODAY)
    header, rows = tables.afspraken[0], [list(r) for r in tables.afspraken[1:]]
    holder, partner = header.index("organisatie"), header.index("partner")
    names = sorted({row[partner] for row in rows})
    respelled = {name: variant(name, n) for n, name in enumerate(names[::_EVERY])}
    rng = random.Random(f"ketenkaart-bench-partners/{SEED}")
    for row in rows:
        if (
            row[partner] in respelled
            and row[holder].endswith(("1", "3", "5"))
            and rng.random() < 0.8
        ):
            row[partner] = respelled[row[partner]]
    return [header, *rows]


def partners_db(log=print) -> Path:
    """The benchmark region's database (built once, cached under ``bench/work``)."""

    def build(con) -> None:
        from ketendata.importers import import_file

        log("  regio van 1.000 organisaties importeren ...")
        import_file(con, synth.csv_bytes(region_rows()), "partners.csv", new_region=True)

    return cached_database("partners_1000", build)


def bench_partners(profile, results, log=print) -> dict[str, object]:  # noqa: ANN001
    """Time the suggestions; returns the target line (organisations, suggestions, timings)."""
    path = partners_db(log)
    region = synth.region_name(1)
    # enough runs for a spread worth the name; the quick smoke run only checks that it works
    runs, budget = (2, 0.5) if profile.quick else (11, 8.0)
    with store.reading(path) as con:
        frames = queries.region_frames(con, region)
        names = partners.collect_names(frames.agreements, frames.handovers, frames.stagnation)
        found = partners.suggestions(con, region)
        pure: Timing = measure(
            f"partnervoorstellen, alleen het vergelijken ({len(names)} namen)",
            lambda: partners.suggest_pairs(names),
            min_runs=runs,
            budget_seconds=budget,
        )
        whole: Timing = measure(
            f"partnervoorstellen van een regio ({len(names)} organisaties, uit DuckDB)",
            lambda: partners.suggestions(con, region),
            min_runs=runs,
            budget_seconds=budget,
        )
    results.timings += [pure, whole]
    results.notes.append(
        f"Partnerregister: {len(names)} organisaties, {len(found)} voorstellen; hele pad "
        f"{whole.median * 1000:.0f} ms mediaan ({whole.minimum * 1000:.0f}–"
        f"{whole.maximum * 1000:.0f} ms, IQR {whole.iqr * 1000:.0f} ms), doel < "
        f"{TARGET_SECONDS:g} s: {'gehaald' if whole.median < TARGET_SECONDS else 'niet gehaald'}."
    )
    return {
        "organisations": len(names),
        "suggestions": len(found),
        "pure": pure.as_dict(),
        "whole": whole.as_dict(),
        "target_seconds": TARGET_SECONDS,
        "met": whole.median < TARGET_SECONDS,
    }
