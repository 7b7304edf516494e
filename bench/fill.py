"""Filled print pages (issue 14): the layout report's fill figures before and after fillers, and
what the fillers cost in build time.

    python bench/fill.py [--sizes 40,160] [--runs 3] [--skip-sample] [--json out.json]

Bulletins, each before (no fillers) and after (with them):
- the sample ``samples/tuan-47``: before is the sample as it was before issue 14 (its six
  ``filler: true`` articles and ``page_multiple = 4`` taken out of bulletin.toml), after is the
  sample as shipped;
- the benchmark bulletins of 40 and 160 articles (``yardstick.cms_bulletin``), after with one
  filler for two articles (the sample's six, copied).

Each build is ``exporter build`` (PDF and EPUB) in a fresh process into a fresh folder, timed
around the process, so the fillers' cost is the whole build's as the editor sees it; before and
after runs alternate so that a slow spell of the machine hits both. The fill figures come from
the last run's ``--report``. The target: a build with fillers takes at most 1.3 times as long.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import tomllib
import traceback
from pathlib import Path
from typing import Any

import yaml

sys.path.insert(0, str(Path(__file__).resolve().parent))
from yardstick import cms_bulletin  # noqa: E402

from exporter.source.load import split_front_matter  # noqa: E402

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "samples" / "tuan-47"
EXPORTER = Path(sys.executable).parent / "exporter"
SOURCE_DATE_EPOCH = "1700784000"
TARGET = 1.3  # issue 14: build time with fillers at most 1.3 times the build without
UNDER, EMPTY = 0.6, 0.2  # "underfilled" (the layout report's min_fill) and "nearly empty"


def _is_filler(article: Path) -> bool:
    front, _, _ = split_front_matter(article.read_text(encoding="utf-8"))
    return (yaml.safe_load(front or "") or {}).get("filler") is True


def _without(data: dict[str, Any], fillers: set[str]) -> dict[str, Any]:
    """What bulletin.toml should read as once the fillers and ``page_multiple`` are gone."""
    data = json.loads(json.dumps(data, default=str))
    for section in data.get("sections", []):
        section["articles"] = [a for a in section.get("articles", []) if a not in fillers]
    pdf = data.get("pdf", {})
    pdf.pop("page_multiple", None)
    if "pdf" in data and not pdf:
        del data["pdf"]
    return data


def sample_before(target: Path, sample: Path = SAMPLE) -> Path:
    """A copy of the sample as it was before issue 14: no filler articles listed, no
    ``page_multiple`` (the files stay; only bulletin.toml changes). Checked by reading the TOML
    back, so a change in the sample's layout cannot quietly give a wrong "before"."""
    if target.exists():
        shutil.rmtree(target)
    shutil.copytree(sample, target)
    toml = target / "bulletin.toml"
    text = toml.read_text(encoding="utf-8")
    original = tomllib.loads(text)
    listed = {a for s in original.get("sections", []) for a in s.get("articles", [])}
    fillers = {a for a in listed if (target / a).is_file() and _is_filler(target / a)}
    kept: list[str] = []
    table = ""
    for line in text.split("\n"):
        header = re.match(r"\s*\[+\s*([^\]]+?)\s*\]+", line)
        if header:
            table = header.group(1)
        if table == "pdf" and re.match(r"\s*page_multiple\s*=", line):
            continue
        listing = any(f'"{name}"' in line for name in fillers)
        for name in fillers:  # the item and its comma; a line left empty goes
            line = re.sub(rf'"{re.escape(name)}"\s*,?\s*', "", line)
        if not (listing and not line.strip()):
            kept.append(line)
    # the [pdf] header goes too if its table is now empty (comments aside)
    lines: list[str] = []
    for n, line in enumerate(kept):
        if re.fullmatch(r"\s*\[\s*pdf\s*\]\s*", line):
            body = []
            for following in kept[n + 1 :]:
                if re.match(r"\s*\[", following):
                    break
                body.append(following.split("#")[0].strip())
            if not any(body):
                continue
        lines.append(line)
    new = "\n".join(lines)
    if _without(tomllib.loads(new), set()) != _without(original, fillers):
        raise RuntimeError(f"could not take the fillers out of {toml} cleanly")
    toml.write_text(new, encoding="utf-8")
    return target


def bulletins(work: Path, sizes: list[int], sample: bool) -> list[tuple[str, Path, Path]]:
    """(name, before, after) of each bulletin measured."""
    pairs = []
    if sample:
        pairs.append((SAMPLE.name, sample_before(work / "sample-before"), SAMPLE))
    for count in sizes:
        before = cms_bulletin(work / f"b{count}-before", count)
        after = cms_bulletin(work / f"b{count}-after", count, fillers=count // 2)
        pairs.append((f"{count} articles", before, after))
    return pairs


def build(bulletin: Path, out: Path) -> tuple[float, dict[str, Any]]:
    """Wall time of ``exporter build`` (PDF and EPUB) in a fresh process, and its report."""
    if out.exists():
        shutil.rmtree(out)
    out.mkdir(parents=True)
    report = out.parent / f"{out.name}.json"
    env = {**os.environ, "SOURCE_DATE_EPOCH": SOURCE_DATE_EPOCH}
    cmd = [str(EXPORTER), "build", str(bulletin), "-o", str(out), "-f", "pdf", "-f", "epub"]
    started = time.perf_counter()
    result = subprocess.run([*cmd, "--report", str(report)], env=env, capture_output=True)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        tail = result.stderr.decode(errors="replace").strip().splitlines()[-5:]
        raise RuntimeError(f"exporter build {bulletin.name} failed: " + " | ".join(tail))
    return seconds, json.loads(report.read_text(encoding="utf-8"))


def figures(report: dict[str, Any]) -> dict[str, Any]:
    """The fill figures of one build. Pages that pad the issue are short or ruled by design and
    the issue's last own page ends where the text ends: neither counts as underfilled."""
    layout = report["layout"]
    pages = layout["pages"]
    own = [p for p in pages if p.get("section") != "padding" and p.get("kind") != "blank"]
    counted = own[:-1]
    sections = [p["fill"] for p in pages if p.get("kind") == "section"]
    lowest = min(counted, key=lambda p: p["fill"], default=None)
    fillers = report.get("fillers")
    return {
        "pages": layout.get("page_count", len(pages)),
        "pages_added": layout.get("pages_added", 0),
        "under_60": sum(p["fill"] < UNDER for p in counted),
        "under_20": sum(p["fill"] < EMPTY for p in counted),
        "mean_section_fill": statistics.mean(sections) if sections else None,
        "lowest_fill": lowest["fill"] if lowest else None,
        "lowest_page": lowest["number"] if lowest else None,
        "placed": len(fillers["placed"]) if fillers else None,
        "left": len(fillers["left"]) if fillers else None,
    }


def measure(name: str, before: Path, after: Path, work: Path, runs: int) -> dict[str, Any]:
    """Both states of one bulletin, runs alternating; figures from the last run of each."""
    times: dict[str, list[float]] = {"before": [], "after": []}
    reports: dict[str, dict[str, Any]] = {}
    slug = re.sub(r"\W+", "-", name)
    for run in range(runs):
        for state, folder in (("before", before), ("after", after)):
            seconds, reports[state] = build(folder, work / f"out-{slug}-{state}-{run}")
            times[state].append(seconds)
    row: dict[str, Any] = {"bulletin": name}
    for state in ("before", "after"):
        row[state] = {
            **figures(reports[state]),
            "best_s": min(times[state]),
            "median_s": statistics.median(times[state]),
            "runs_s": times[state],
        }
    row["ratio_best"] = row["after"]["best_s"] / row["before"]["best_s"]
    row["ratio_median"] = row["after"]["median_s"] / row["before"]["median_s"]
    row["fillers"] = reports["after"].get("fillers")
    return row


def _fill(value: float | None) -> str:
    return "-" if value is None else f"{value * 100:.0f} %"


def _count(value: int | None) -> str:
    return "-" if value is None else str(value)


def print_figures(rows: list[dict[str, Any]]) -> None:
    print(
        f"fill (last run's layout report; <60 %, <20 % and lowest leave out the pages that pad "
        f"the issue and its last own page)\n"
        f"{'bulletin':<14} {'state':<6} {'pages':>5} {'added':>5} {'<60%':>4} {'<20%':>4} "
        f"{'mean section':>12} {'lowest (page)':>13} {'placed':>6} {'left':>4}"
    )
    for row in rows:
        for state in ("before", "after"):
            f = row[state]
            lowest = (
                "-"
                if f["lowest_fill"] is None
                else (f"{_fill(f['lowest_fill'])} (p. {f['lowest_page']})")
            )
            print(
                f"{row['bulletin']:<14} {state:<6} {f['pages']:>5} {f['pages_added']:>5} "
                f"{f['under_60']:>4} {f['under_20']:>4} {_fill(f['mean_section_fill']):>12} "
                f"{lowest:>13} {_count(f['placed']):>6} {_count(f['left']):>4}"
            )


def print_times(rows: list[dict[str, Any]], runs: int) -> None:
    print(
        f"\nbuild time, PDF and EPUB, fresh process (best and median of {runs}; "
        f"target: after / before at most {TARGET}, both ratios)\n"
        f"{'bulletin':<14} {'before best':>11} {'after best':>10} {'ratio':>6}  "
        f"{'before med':>10} {'after med':>9} {'ratio':>6}  target"
    )
    for row in rows:
        b, a = row["before"], row["after"]
        best, median = row["ratio_best"], row["ratio_median"]
        verdict = "ok" if max(best, median) <= TARGET else f"OVER {TARGET}"
        print(
            f"{row['bulletin']:<14} {b['best_s']:10.2f}s {a['best_s']:9.2f}s {best:6.2f}  "
            f"{b['median_s']:9.2f}s {a['median_s']:8.2f}s {median:6.2f}  {verdict}"
        )


def print_placement(row: dict[str, Any]) -> None:
    """Where each filler of the sample went, and the gaps still left."""
    fillers = row.get("fillers") or {}
    print(f"\n{row['bulletin']} after: fillers placed")
    for p in fillers.get("placed", []):
        print(f"  page {p['page']:>3}  {p['section']:<22} {p['title']}")
    for p in fillers.get("left", []):
        print(f"  left out: {p['title']} ({p['why']})")
    print(f"{row['bulletin']} after: gaps left")
    for g in fillers.get("gaps", []):
        fill = _fill(g["fill"])
        print(f"  page {g['page']:>3}  {g['section']:<22} {g['lines']:>3} lines, fill {fill}")
    if not fillers.get("gaps"):
        print("  none")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="40,160", help='benchmark bulletins ("" for none)')
    parser.add_argument("--runs", type=int, default=3, help="builds of each state (best, median)")
    parser.add_argument("--skip-sample", action="store_true", help="only the benchmark bulletins")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    sizes = [int(n) for n in args.sizes.split(",") if n.strip()]
    runs = max(args.runs, 1)
    rows: list[dict[str, Any]] = []
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        try:
            pairs = bulletins(work, sizes, not args.skip_sample)
        except Exception:  # a benchmark reports; it does not fail the make
            print("could not make the bulletins:\n" + traceback.format_exc())
            pairs = []
        for name, before, after in pairs:
            print(f"building {name}: before and after, {runs} run(s) each ...", flush=True)
            try:
                rows.append(measure(name, before, after, work, runs))
            except Exception as error:
                print(f"  {name}: {error}", flush=True)
    if rows:
        print()
        print_figures(rows)
        print_times(rows, runs)
        for row in rows:
            if row["bulletin"] == SAMPLE.name:
                print_placement(row)
    if args.json:
        args.json.write_text(json.dumps(rows, indent=2, ensure_ascii=False) + "\n", "utf-8")


if __name__ == "__main__":
    main()
