"""exporter beside the tool an editor would pick instead: pandoc 3.9 (PyPI pypandoc-binary).

    python bench/versus_pandoc.py [--runs 3] [--sizes 40,160]

The same text for both (``yardstick.py``: the real CMS page imported once, copied into
sections of eight). Each command runs as a fresh process, from a fresh output folder, the two
tools alternating; a ratio is taken pair by pair and the table gives the median and the best
of the runs. Also: pages, file sizes, and where exporter's time goes (import, load,
normalise, render, layout and write, package) for one in-process build. Peak memory is in
``run.py``.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from yardstick import cms_bulletin, pandoc_markdown  # noqa: E402

BIN = Path(sys.executable).parent


def _pandoc() -> str:
    import pypandoc

    return pypandoc.get_pandoc_path()


def _timed(cmd: list[str]) -> float:
    """Wall seconds of one command in a fresh process (pandoc finds weasyprint on PATH)."""
    env = os.environ | {"PATH": f"{BIN}:{os.environ['PATH']}"}
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True, env=env)
    return time.perf_counter() - started


def _pages(pdf: Path) -> int:
    from pypdf import PdfReader

    return len(PdfReader(pdf).pages)


def side_by_side(count: int, work: Path, runs: int) -> dict[str, dict[str, float]]:
    bulletin = cms_bulletin(work / f"b{count}", count)
    markdown = pandoc_markdown(bulletin, work / f"b{count}.md")
    pandoc = _pandoc()
    rows: dict[str, dict[str, float]] = {}
    for edition in ("epub", "pdf"):
        ours_t, theirs_t, ratios = [], [], []
        for n in range(runs):
            out = work / f"out-{edition}-{count}-{n}"
            ours = [str(BIN / "exporter"), "build", str(bulletin), "-o", str(out), "-f", edition]
            target = work / f"pandoc-{count}-{n}.{edition}"
            theirs = [pandoc, str(markdown), "-o", str(target)]
            if edition == "pdf":
                theirs += ["--pdf-engine=weasyprint"]
            first, second = (ours, theirs) if n % 2 == 0 else (theirs, ours)
            a = _timed(first)
            b = _timed(second)
            mine, yours = (a, b) if n % 2 == 0 else (b, a)
            ours_t.append(mine)
            theirs_t.append(yours)
            ratios.append(mine / yours)
        produced = next((work / f"out-{edition}-{count}-0").glob(f"*.{edition}"))
        rows[edition] = {
            "exporter_median": statistics.median(ours_t),
            "exporter_best": min(ours_t),
            "pandoc_median": statistics.median(theirs_t),
            "pandoc_best": min(theirs_t),
            "ratio_median": statistics.median(ratios),
            "ratio_best": min(ours_t) / min(theirs_t),
            "exporter_bytes": produced.stat().st_size,
            "pandoc_bytes": (work / f"pandoc-{count}-0.{edition}").stat().st_size,
        }
        if edition == "pdf":
            rows[edition]["exporter_pages"] = _pages(produced)
            rows[edition]["pandoc_pages"] = _pages(work / f"pandoc-{count}-0.pdf")
    return rows


STAGES = """
import json, sys, time
t0 = time.perf_counter()
from exporter.source.load import load_bulletin
from exporter.vietnamese.normalize import normalize
from exporter.render.fonts import check_coverage
from exporter.render.pages import render
from exporter.render.theme import Theme
from exporter.backends import get_backend
imported = time.perf_counter()
warnings = []
bulletin = load_bulletin(sys.argv[1], warnings)
loaded = time.perf_counter()
bulletin = normalize(bulletin, warnings)
check_coverage(bulletin, Theme())
normalised = time.perf_counter()
times = {"import": imported - t0, "load": loaded - imported, "normalise": normalised - loaded}
for name in ("pdf", "epub"):
    backend = get_backend(name)
    t = time.perf_counter()
    rendition = render(bulletin, Theme(), backend, "1700784000")
    times[f"render {name}"] = time.perf_counter() - t
    t = time.perf_counter()
    backend.build(rendition)
    times[f"{'layout+write' if name == 'pdf' else 'package'} {name}"] = time.perf_counter() - t
print(json.dumps(times))
"""


def stages(count: int, work: Path) -> dict[str, float]:
    bulletin = work / f"b{count}"
    result = subprocess.run(
        [sys.executable, "-c", STAGES, str(bulletin)], check=True, capture_output=True, text=True
    )
    return json.loads(result.stdout.strip().splitlines()[-1])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--sizes", default="40,160")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        version = subprocess.run([_pandoc(), "--version"], capture_output=True, text=True)
        print(
            f"pandoc {version.stdout.split()[1]}, {args.runs} alternating runs per command, "
            "a fresh process and output folder each"
        )
        print(f"{'articles':>8} {'edition':7} {'exporter':>18} {'pandoc':>18} {'ratio':>14}  notes")
        for count in (int(n) for n in args.sizes.split(",")):
            rows = side_by_side(count, work, args.runs)
            for edition, r in rows.items():
                notes = (
                    f"{r['exporter_pages']} vs {r['pandoc_pages']} pages (2 columns vs 1), "
                    if edition == "pdf"
                    else ""
                ) + f"{r['exporter_bytes']:,} vs {r['pandoc_bytes']:,} bytes"
                print(
                    f"{count:>8} {edition:7} "
                    f"{r['exporter_median']:7.2f} s (best {r['exporter_best']:.2f}) "
                    f"{r['pandoc_median']:7.2f} s (best {r['pandoc_best']:.2f}) "
                    f"x{r['ratio_median']:.2f} (best x{r['ratio_best']:.2f})  {notes}",
                    flush=True,
                )
            times = stages(count, work)
            print(f"{'':8} stages:  " + ", ".join(f"{k} {v:.2f} s" for k, v in times.items()))
            shutil.rmtree(work / f"b{count}", ignore_errors=True)


if __name__ == "__main__":
    main()
