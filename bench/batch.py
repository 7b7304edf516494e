"""Batch benchmark (part of ``make bench``, never of ``make test``).

20 bulletins of 10 articles each, built with 1 and then 2 worker processes (the speed-up),
then rebuilt with nothing changed (the incremental check), all through the command line as
a publishing workflow would run it. Peak memory is per worker process (one bulletin each).
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from generate import generate  # noqa: E402


def run(folders: list[Path], out: Path, *extra: str) -> tuple[float, dict]:
    report = out.parent / f"{out.name}-report.json"
    started = time.perf_counter()
    subprocess.run(
        [
            sys.executable,
            "-m",
            "exporter",
            "batch",
            *map(str, folders),
            "-o",
            str(out),
            "--report",
            str(report),
            *extra,
        ],
        check=True,
        capture_output=True,
    )
    return time.perf_counter() - started, json.loads(report.read_text(encoding="utf-8"))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bulletins", type=int, default=20)
    parser.add_argument("--articles", type=int, default=10)
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        folders = [
            generate(work / f"b{n:02d}", args.articles, issue=n + 1) for n in range(args.bulletins)
        ]
        times = {}
        peaks = {}
        for workers in (1, 2):
            out = work / f"out{workers}"
            shutil.rmtree(out, ignore_errors=True)
            times[workers], report = run(folders, out, "--jobs", str(workers))
            assert report["built"] == args.bulletins, report
            peaks[workers] = max(b["peak_memory_mb"] for b in report["bulletins"])
        rerun, report = run(folders, work / "out2", "--jobs", "2")
        assert report["unchanged"] == args.bulletins, report
    print(f"{args.bulletins} bulletins of {args.articles} articles (PDF + EPUB each)")
    print(f"  1 worker : {times[1]:6.1f} s   peak memory per worker {peaks[1]:.0f} MB")
    print(f"  2 workers: {times[2]:6.1f} s   peak memory per worker {peaks[2]:.0f} MB")
    print(f"  speed-up : x{times[1] / times[2]:.2f}")
    print(f"  no-change rerun: {rerun:.2f} s (whole command, {args.bulletins} unchanged)")


if __name__ == "__main__":
    main()
