"""Benchmarks (``make bench``): never part of ``make test``.

Normalisation alone (orthography and typography of every text; issue 12 asks for at most 2 ms
an article): the sample bulletin, in ms per article, the best of N runs in one fresh process
(the first run, with the per-word caches still empty, is shown beside it).

For bulletins of 10, 40 and 160 articles made from the sample's articles:
- the wall time and peak memory of exporter's PDF build,
- the same for WeasyPrint alone on the HTML and CSS exporter generated (our overhead),
- one column against two columns (the cost of the newspaper layout).
Each measurement runs in a fresh process, so peak memory is that build's own.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
import tempfile
import textwrap
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402

EXPORTER = textwrap.dedent("""
    import json, resource, sys, time
    from exporter import build
    t = time.perf_counter()
    build(sys.argv[1], sys.argv[2], ["pdf"], source_date_epoch="1700784000")
    # The layout workers are children: the largest one's peak, beside the parent's.
    print(json.dumps({"seconds": time.perf_counter() - t,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                      "workers_mb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024}))
""")

# Export exporter's rendition (HTML, CSS, fonts, images) to plain files, for WeasyPrint alone.
EXPORT = textwrap.dedent("""
    import sys
    from pathlib import Path
    from exporter.backends.pdf.backend import PdfBackend
    from exporter.pipeline import prepare
    from exporter.render.pages import render
    from exporter.render.theme import Theme
    out = Path(sys.argv[2])
    rendition = render(prepare(sys.argv[1], []), Theme(), PdfBackend(), "1700784000")
    page = rendition.page("bulletin")
    (out / page.href).write_text(page.html, encoding="utf-8")
    for sheet in rendition.stylesheets:
        (out / sheet.href).parent.mkdir(parents=True, exist_ok=True)
        (out / sheet.href).write_text(sheet.text, encoding="utf-8")
    for href, asset in rendition.assets.items():
        (out / href).parent.mkdir(parents=True, exist_ok=True)
        (out / href).write_bytes(asset.read())
    print(" ".join(s.href for s in rendition.stylesheets))
""")

WEASYPRINT = textwrap.dedent("""
    import json, resource, sys, time
    from weasyprint import CSS, HTML
    from weasyprint.text.fonts import FontConfiguration
    root = sys.argv[1]
    t = time.perf_counter()
    fonts = FontConfiguration()
    css = [CSS(filename=f"{root}/{href}", font_config=fonts) for href in sys.argv[2:]]
    HTML(filename=f"{root}/bulletin.html").write_pdf(
        f"{root}/out.pdf", stylesheets=css, font_config=fonts)
    print(json.dumps({"seconds": time.perf_counter() - t,
                      "peak_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
""")


NORMALIZE = textwrap.dedent("""
    import json, sys, time
    from exporter.source.load import load_bulletin
    from exporter.vietnamese.normalize import normalize
    bulletin = load_bulletin(sys.argv[1], [])
    articles = len(bulletin.articles)
    runs = []
    for _ in range(int(sys.argv[2])):
        t = time.perf_counter()
        normalize(bulletin, [])
        runs.append(time.perf_counter() - t)
    print(json.dumps({"articles": articles, "first_ms": runs[0] * 1000 / articles,
                      "best_ms": min(runs) * 1000 / articles}))
""")
SAMPLE = Path(__file__).resolve().parent.parent / "samples" / "tuan-47"


def _run(code: str, *args: str) -> str:
    result = subprocess.run(
        [sys.executable, "-c", code, *args], capture_output=True, text=True, check=True
    )
    return result.stdout.strip().splitlines()[-1]


def measure(count: int, work: Path, repeat: int) -> dict[str, float]:
    two = generate(work / f"b{count}-2col", count, columns=2)
    one = generate(work / f"b{count}-1col", count, columns=1)

    def best(code: str, *args: str) -> dict[str, float]:
        runs = [json.loads(_run(code, *args)) for _ in range(repeat)]
        return min(runs, key=lambda r: r["seconds"])

    exporter = best(EXPORTER, str(two), str(work / "out2"))
    single = best(EXPORTER, str(one), str(work / "out1"))
    export_dir = work / f"html{count}"
    export_dir.mkdir(exist_ok=True)
    sheets = _run(EXPORT, str(two), str(export_dir)).split()
    alone = best(WEASYPRINT, str(export_dir), *sheets)
    return {
        "articles": count,
        "exporter_s": exporter["seconds"],
        "exporter_mb": exporter["peak_mb"],
        "workers_mb": exporter["workers_mb"],
        "weasyprint_s": alone["seconds"],
        "weasyprint_mb": alone["peak_mb"],
        "overhead": exporter["seconds"] / alone["seconds"],
        "one_column_s": single["seconds"],
        "two_column_s": exporter["seconds"],
        "columns_ratio": exporter["seconds"] / single["seconds"],
    }


def normalisation(bulletin: Path, runs: int) -> dict[str, float]:
    """ms per article to normalise ``bulletin`` (best of ``runs``, and the first run)."""
    return json.loads(_run(NORMALIZE, str(bulletin), str(runs)))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="10,40,160")
    parser.add_argument("--repeat", type=int, default=1, help="best of N runs")
    parser.add_argument("--normalize-runs", type=int, default=7, help="normalisation: best of N")
    parser.add_argument("--json", type=Path, help="also write the results here")
    args = parser.parse_args()
    norm = normalisation(SAMPLE, args.normalize_runs)
    print(
        f"normalisation | {SAMPLE.name}, {norm['articles']:.0f} articles: "
        f"{norm['best_ms']:.2f} ms per article (best of {args.normalize_runs}; "
        f"first run {norm['first_ms']:.2f} ms)",
        flush=True,
    )
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        for count in (int(n) for n in args.sizes.split(",") if n):  # --sizes "": none
            rows.append(measure(count, Path(tmp), args.repeat))
            row = rows[-1]
            print(
                f"{row['articles']:>4} articles | exporter {row['exporter_s']:6.1f} s "
                f"{row['exporter_mb']:5.0f} MB (largest worker {row['workers_mb']:.0f} MB) | "
                f"WeasyPrint alone {row['weasyprint_s']:6.1f} s "
                f"{row['weasyprint_mb']:5.0f} MB | overhead x{row['overhead']:.2f} | "
                f"1 col {row['one_column_s']:6.1f} s, 2 col {row['two_column_s']:6.1f} s "
                f"(x{row['columns_ratio']:.2f})",
                flush=True,
            )
    if args.json:
        results = {"normalisation_ms_per_article": norm, "builds": rows}
        args.json.write_text(json.dumps(results, indent=2) + "\n", encoding="utf-8")


if __name__ == "__main__":
    main()
