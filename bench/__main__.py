"""``python -m bench [--quick] [--out FILE] [--only SECTION ...]``: run the benchmark suite.

Prints a Markdown table and writes the results as JSON (``bench/results.json`` for the full run,
``bench/work/results-quick.json`` for ``--quick``).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import sys
import time
from collections.abc import Sequence
from datetime import datetime
from pathlib import Path

from bench import cases, cases_click, cases_exports, cases_map, cases_partners
from bench.databases import SEED, TODAY, WORK, code_version, synthetic_db

SECTIONS = (
    "import",
    "rapport",
    "netwerk",
    "groei",
    "paginas",
    "kaart",
    "partners",
    "exports",
    "klik",
)


def machine() -> dict[str, object]:
    """What this machine is (for the table's caption)."""
    return {
        "platform": platform.platform(),
        "processor": platform.processor() or platform.machine(),
        "cpu_count": os.cpu_count(),
        "python": platform.python_version(),
    }


def _seconds(value: float) -> str:
    return f"{value * 1000:.0f} ms" if value < 1 else f"{value:.2f} s"


def markdown(results: dict) -> str:
    """The results as Markdown tables (timings, ratios, slopes, notes)."""
    info = results["machine"]
    lines = [
        f"Gemeten op {results['date']} op {info['platform']} ({info['cpu_count']} cores, "
        f"Python {info['python']}); duur van de hele meting {results['total_seconds']:.0f} s.",
        "",
        "| meting | runs | mediaan | min | max | IQR |",
        "|---|---:|---:|---:|---:|---:|",
    ]
    for t in results["timings"]:
        lines.append(
            f"| {t['name'].strip()} | {t['runs']} | {_seconds(t['median'])} | "
            f"{_seconds(t['minimum'])} | {_seconds(t['maximum'])} | {_seconds(t['iqr'])} |"
        )
    if results["ratios"] or results["slopes"]:
        lines += ["", "| doel | gemeten (spreiding) | doel | gehaald |", "|---|---:|---:|:---:|"]
        for r in results["ratios"]:
            met = "ja" if r["met"] else "nee"
            lines.append(
                f"| {r['name']} | {r['median']:.2f}× ({r['low']:.2f}–{r['high']:.2f}) | "
                f"≤ {r['target']:g}× | {met} |"
            )
        for s in results["slopes"]:
            met = "ja" if s["met"] else "nee"
            sizes = ", ".join(str(x) for x in s["sizes"])
            lines.append(
                f"| {s['name']}: helling log(tijd)/log(omvang) bij {sizes} afspraakrijen | "
                f"{s['slope']:.2f} | ≤ {s['target']:g} | {met} |"
            )
        for p in results.get("pages_target", []):
            met = "ja" if p["met"] else "nee"
            lines.append(
                f"| {p['name']} | {_seconds(p['median'])} "
                f"({_seconds(p['minimum'])}–{_seconds(p['maximum'])}) | < 2 s | {met} |"
            )
    if results.get("map_targets"):
        lines += [
            "",
            "| grote regio, eerste bezoeker | klaar: mediaan (IQR) | RSS-groei piek: mediaan "
            "(min–max) | blijft | doel | gehaald |",
            "|---|---:|---:|---:|---|:---:|",
        ]
        for m in results["map_targets"]:
            t, peak, kept = m["seconds"], m["peak_growth_mb"], m["kept_growth_mb"]
            lines.append(
                f"| {m['page']}, {m['partners']} partners ({m['runs']} runs"
                f"{', geclusterd' if m['clustered'] else ''}) | {_seconds(t['median'])} "
                f"({_seconds(t['q1'])}–{_seconds(t['q3'])}) | {peak['median']:.0f} MB "
                f"({peak['minimum']:.0f}–{peak['maximum']:.0f}) | {kept['median']:.0f} MB | "
                f"≤ {m['target_seconds']:g} s, ≤ {m['target_rss_mb']:g} MB | "
                f"{'ja' if m['met'] else 'nee'} |"
            )
    if results.get("export_targets"):
        lines += [
            "",
            "| export (meeting.md) | runs | mediaan | spreiding (min–max) | IQR | doel | gehaald |",
            "|---|---:|---:|---:|---:|---|:---:|",
        ]
        for e in results["export_targets"]:
            lines.append(
                f"| {e['name']} | {e['runs']} | {_seconds(e['median'])} | "
                f"{_seconds(e['minimum'])}–{_seconds(e['maximum'])} | {_seconds(e['iqr'])} | "
                f"≤ {e['target']:g} s | {'ja' if e['met'] else 'nee'} |"
            )
    if results.get("click_targets"):
        lines += [
            "",
            "| klik op de kaart (browser) | klikken | mediaan | spreiding (min–max) | IQR | "
            "kop zichtbaar | CPU server + browser | doel | gehaald |",
            "|---|---:|---:|---:|---:|---:|---:|---|:---:|",
        ]
        for c in results["click_targets"]:
            load = "–".join(f"{v:.1f}" for v in c["load_average"])
            lines.append(
                f"| {c['organisations']} organisaties"
                f"{', geclusterd' if c['clustered'] else ''} (belasting {load}) | {c['runs']} | "
                f"{_seconds(c['median'])} | {_seconds(c['minimum'])}–{_seconds(c['maximum'])} | "
                f"{_seconds(c['iqr'])} | {_seconds(c['heading']['median'])} | "
                f"{_seconds(c['server_cpu']['median'])} + {_seconds(c['browser_cpu']['median'])} "
                f"| ≤ {c['target']:g} s | {'ja' if c['met'] else 'nee'} |"
            )
    for note in results["notes"]:
        lines += ["", f"- {note}"]
    return "\n".join(lines)


def run(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m bench", description=__doc__)
    parser.add_argument("--quick", action="store_true", help="kleine snelle rooktest")
    parser.add_argument("--out", type=Path, help="JSON-bestand voor de resultaten")
    parser.add_argument("--only", nargs="*", choices=SECTIONS, help="alleen deze onderdelen")
    args = parser.parse_args(argv)
    profile = cases.QUICK if args.quick else cases.FULL
    out = args.out or (
        WORK / "results-quick.json" if args.quick else Path(__file__).with_name("results.json")
    )
    sections = args.only or SECTIONS
    started = time.perf_counter()
    results = cases.Results()

    def log(text: str) -> None:
        print(text, file=sys.stderr, flush=True)

    national = single = None
    if {"rapport", "paginas"} & set(sections):
        log("Databases klaarzetten ...")
        national = synthetic_db(profile.national_regions, profile.national_scale, log=log)
        single = synthetic_db(1, profile.national_scale, log=log)
    if "import" in sections:
        log("Import meten ...")
        cases.bench_import(profile, results)
    if "rapport" in sections:
        log("Regiorapport en vergelijken meten ...")
        cases.bench_report(profile, results, national, single)
    if "netwerk" in sections:
        log("Netwerk meten ...")
        cases.bench_network(profile, results)
    if "groei" in sections:
        log("Groei meten ...")
        cases.bench_growth(profile, results)
    if "paginas" in sections:
        log("Pagina's meten (AppTest) ...")
        cases.bench_pages(profile, results, national)
    map_targets: list[dict] = []
    if "kaart" in sections:
        log(f"Grote regio meten (kaart en overzicht, {cases_map.MAP_REGION}) ...")
        map_targets = cases_map.bench_map(profile, results, log=log)
    partners_target: dict | None = None
    if "partners" in sections:
        log("Partnervoorstellen meten (regio van 1.000 organisaties) ...")
        partners_target = cases_partners.bench_partners(profile, results, log=log)

    export_targets: list[dict] = []
    if "exports" in sections:
        log("Exports meten (pdf en pptx, regio van 300 organisaties) ...")
        export_targets = cases_exports.bench_exports(profile, results, log=log)

    click_targets: list[dict] = []
    if "klik" in sections:
        log("Klik op de kaart meten (browser, regio's van 300 en 1.000 organisaties) ...")
        click_targets = cases_click.bench_clicks(profile, results, log=log)

    pages = [t for t in results.timings if t.name.startswith("pagina ")]
    data = {
        "schema": "ketenkaart.bench/1",
        "date": datetime.now().isoformat(timespec="seconds"),
        "machine": machine(),
        "quick": profile.quick,
        "today": TODAY.isoformat(),
        "seed": SEED,
        "code_version": code_version(),
        "national": {"regions": profile.national_regions, "scale": profile.national_scale},
        "total_seconds": time.perf_counter() - started,
        "timings": [t.as_dict() for t in results.timings],
        "ratios": [r.as_dict() for r in results.ratios],
        "slopes": results.slopes,
        "pages_target": [
            {**t.as_dict(), "target": 2.0, "met": t.median < 2.0} for t in pages if "koud" in t.name
        ],
        "map_targets": map_targets,
        "partners_target": partners_target,
        "export_targets": export_targets,
        "click_targets": click_targets,
        "notes": results.notes,
    }
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    print(markdown(data))
    log(f"Resultaten geschreven naar {out}")
    return 0


if __name__ == "__main__":
    sys.exit(run())
