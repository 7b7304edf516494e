"""The editor's desk, timed: edit-to-visible latency of ``exporter serve`` in a real browser, and
the time of ``new``, ``import --into`` and ``validate``.

    python bench/desk.py [--sizes 40,160] [--edits 5]

Latency: ``exporter serve`` runs as the editor runs it (its own process); headless Chromium shows
the preview; a paragraph in the middle of an article is changed on disk (articles spread over the
issue), and the time runs from the file's save to the moment the browser has drawn the new image
of the page holding that paragraph (the image's load event, same clock). Median of the edits.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent))
from yardstick import CMS_PAGE, cms_bulletin  # noqa: E402

BIN = Path(sys.executable).parent
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--no-first-run", "--disable-sync"]


def _port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _timed(cmd: list[str]) -> float:
    started = time.perf_counter()
    subprocess.run(cmd, check=True, capture_output=True)
    return time.perf_counter() - started


def _state(url: str) -> dict:
    with urllib.request.urlopen(url + "/api/state", timeout=120) as response:
        return json.loads(response.read())


def _paragraph(path: Path) -> tuple[int, str]:
    """Line and text of a body paragraph in the middle of the article."""
    lines = path.read_text(encoding="utf-8").split("\n")
    end = max(i for i, line in enumerate(lines) if line.strip() in ("---", "..."))
    body = [i for i in range(end + 1, len(lines)) if len(lines[i]) > 120]
    index = body[len(body) // 2]
    return index + 1, lines[index]


def latency(count: int, work: Path, edits: int) -> list[float]:
    from playwright.sync_api import sync_playwright

    bulletin = cms_bulletin(work / f"desk{count}", count)
    port = _port()
    url = f"http://127.0.0.1:{port}"
    server = subprocess.Popen(
        [str(BIN / "exporter"), "serve", str(bulletin), "--port", str(port)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    results: list[float] = []
    try:
        deadline = time.monotonic() + 300
        while True:
            try:
                if _state(url)["version"] >= 1:
                    break
            except OSError:
                pass
            if time.monotonic() > deadline:
                raise RuntimeError("exporter serve did not start")
            time.sleep(0.2)
        with sync_playwright() as playwright:
            browser = playwright.chromium.launch(
                executable_path=shutil.which("chromium"), args=CHROMIUM_ARGS
            )
            page = browser.new_page(viewport={"width": 1400, "height": 1000})
            page.goto(url + "/")
            page.wait_for_function(
                "() => window.__exporter.state && Object.keys(window.__exporter.loads).length"
                " === window.__exporter.state.pages.length",
                timeout=300_000,
            )
            for n in range(edits):
                number = int(count * (n + 0.5) / edits) + 1
                path = bulletin / "articles" / f"{number:03d}.md"
                line, text = _paragraph(path)
                source = f"articles/{number:03d}.md:{line}"
                shown = page.evaluate(
                    """(source) => { const p = window.__exporter.state.pages.find(
                         p => p.regions.some(r => r.source === source));
                         return [p.number, window.__exporter.loads[p.number].token]; }""",
                    source,
                )
                page_number, token = shown
                changed = text.replace(" ", f" sửa{n} ", 1)
                content = path.read_text(encoding="utf-8").replace(text, changed, 1)
                saved_at = time.time() * 1000
                path.write_text(content, encoding="utf-8")
                page.wait_for_function(
                    f"() => window.__exporter.loads[{page_number}] && "
                    f"window.__exporter.loads[{page_number}].token !== {token!r}",
                    timeout=120_000,
                )
                shown_at = page.evaluate(f"window.__exporter.loads[{page_number}].at")
                results.append((shown_at - saved_at) / 1000)
                # let the rest of the section be laid out before the next edit
                while _state(url)["building"]:
                    time.sleep(0.1)
                time.sleep(0.5)
            browser.close()
    finally:
        server.terminate()
        server.wait(timeout=30)
    return results


def commands(work: Path) -> dict[str, float]:
    exporter = str(BIN / "exporter")
    times: dict[str, float] = {}
    new = work / "new-issue"
    times["new"] = _timed([exporter, "new", str(new), "--publication", "Nhịp Tuần"])
    times["import --into (one page)"] = _timed(
        [exporter, "import", str(CMS_PAGE), "--into", str(new), "--section", "Thời sự"]
    )
    bulletin = cms_bulletin(work / "validate40", 40)
    times["validate (40 articles)"] = _timed([exporter, "validate", str(bulletin)])
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="40,160")
    parser.add_argument("--edits", type=int, default=5)
    args = parser.parse_args()
    os.environ.setdefault("PYTHONDONTWRITEBYTECODE", "1")
    with tempfile.TemporaryDirectory() as tmp:
        work = Path(tmp)
        print("editor's desk: edit-to-visible latency in headless Chromium (exporter serve)")
        print(f"{'articles':>8} {'median':>8} {'best':>6} {'worst':>6}  each edit (s)")
        for count in (int(n) for n in args.sizes.split(",")):
            times = latency(count, work, args.edits)
            print(
                f"{count:>8} {statistics.median(times):7.2f}s {min(times):5.2f}s "
                f"{max(times):5.2f}s  " + " ".join(f"{t:.2f}" for t in times)
            )
        for name, seconds in commands(work).items():
            print(f"{name:>28}: {seconds:.2f} s")


if __name__ == "__main__":
    main()
