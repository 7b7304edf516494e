"""Batch runs: parallel, incremental, robust to broken bulletins, interruptible, on Dask too."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest
from PIL import Image
from typer.testing import CliRunner

from exporter.batch import batch
from exporter.cli import app

from ..conftest import ARTICLE, write_bulletin

FAST = {"formats": ("epub",)}  # the batch machinery is what is tested; EPUBs build fastest


def good(root: Path, issue: int) -> Path:
    folder = write_bulletin(root)
    toml = folder / "bulletin.toml"
    toml.write_text(
        toml.read_text(encoding="utf-8").replace("issue = 47", f"issue = {issue}"), encoding="utf-8"
    )
    return folder


@pytest.fixture
def broken(tmp_path: Path) -> dict[str, Path]:
    """Four bulletins broken in the ways a large archive breaks (the last only doubtful: a
    3,000-character run builds with a warning, and fails under --strict)."""
    folders = {
        "toml": good(tmp_path / "toml", 61),
        "missing": good(tmp_path / "missing", 62),
        "image": good(tmp_path / "image", 63),
        "word": good(tmp_path / "word", 64),
    }
    (folders["toml"] / "bulletin.toml").write_text("publication = [broken", encoding="utf-8")
    (folders["missing"] / "articles" / "02-hai.md").unlink()
    (folders["image"] / "articles" / "images" / "anh.jpg").write_bytes(b"\xff\xd8 not a jpeg")
    article = folders["word"] / "articles" / "01-mot.md"
    article.write_text(
        article.read_text(encoding="utf-8") + "\n" + "Ờ" * 3000 + "\n", encoding="utf-8"
    )
    return folders


def test_good_bulletins_build_and_broken_ones_are_reported(tmp_path: Path, broken) -> None:
    goods = [good(tmp_path / f"good{i}", 50 + i) for i in range(3)]
    out = tmp_path / "out"
    report = batch([*goods[:2], *broken.values(), goods[2]], out, jobs=2, **FAST)
    statuses = {Path(r.bulletin).name: r.status for r in report.results}
    assert [statuses[f"good{i}"] for i in range(3)] == ["built"] * 3
    assert sorted(p.name for p in out.glob("*.epub")) == [
        *(f"ban-tin-thu-2023-so-{50 + i}.epub" for i in range(3)),
        "ban-tin-thu-2023-so-64.epub",  # the doubtful one: built, with a warning
    ]
    reasons = {Path(r.bulletin).name: r.reason for r in report.results if r.status == "failed"}
    assert set(reasons) == set(broken) - {"word"}
    (doubtful,) = [r for r in report.results if Path(r.bulletin).name == "word"]
    assert doubtful.status == "built"
    assert any("3,000-character word" in w for w in doubtful.warnings)
    strict = batch([broken["word"]], tmp_path / "strict", strict=True, **FAST)
    reasons["word"] = strict.results[0].reason
    assert strict.results[0].status == "failed"
    assert reasons["toml"].startswith("bulletin.toml:1:16: invalid TOML")
    assert reasons["missing"] == (
        'bulletin.toml:10: section "Thời sự": "articles/02-hai.md" does not exist'
    )
    assert reasons["image"] == (
        'articles/01-mot.md:8: figures[0].file: "images/anh.jpg" is not a readable image '
        "(and 2 more)"
    )
    assert "3,000-character word" in reasons["word"]
    assert all("\n" not in reason for reason in reasons.values())
    assert not list(out.glob(".*.part"))


def test_cli_report_exit_code_and_plain_log_lines(tmp_path: Path, broken) -> None:
    ok = good(tmp_path / "ok", 70)
    report_file = tmp_path / "report.json"
    result = CliRunner().invoke(
        app,
        [
            "batch",
            str(ok),
            str(broken["toml"]),
            "-o",
            str(tmp_path / "out"),
            "-f",
            "epub",
            "-j",
            "1",
            "--report",
            str(report_file),
        ],
    )
    assert result.exit_code == 1
    lines = [line for line in result.output.splitlines() if line.startswith("[")]
    assert len(lines) == 2 and all(line.startswith(("[1/2]", "[2/2]")) for line in lines)
    data = json.loads(report_file.read_text(encoding="utf-8"))
    assert (data["built"], data["failed"], data["unchanged"]) == (1, 1, 0)
    entry = next(b for b in data["bulletins"] if b["status"] == "built")
    assert set(entry) >= {"bulletin", "status", "outputs", "warnings", "errors", "seconds"}
    assert (
        entry["outputs"][0]["size"]
        == (tmp_path / "out" / entry["outputs"][0]["file"]).stat().st_size
    )


def test_unchanged_bulletins_are_skipped_until_something_changes(tmp_path: Path) -> None:
    folders = [good(tmp_path / f"b{i}", 80 + i) for i in range(2)]
    out = tmp_path / "out"
    assert {r.status for r in batch(folders, out, **FAST).results} == {"built"}
    first = {p.name: p.stat().st_mtime_ns for p in out.glob("*.epub")}
    assert {r.status for r in batch(folders, out, **FAST).results} == {"unchanged"}
    assert {p.name: p.stat().st_mtime_ns for p in out.glob("*.epub")} == first
    article = folders[1] / "articles" / "01-mot.md"
    article.write_text(article.read_text(encoding="utf-8") + "\nThêm.\n", encoding="utf-8")
    statuses = [r.status for r in batch(folders, out, **FAST).results]
    assert sorted(statuses) == ["built", "unchanged"]
    assert {r.status for r in batch(folders, out, force=True, **FAST).results} == {"built"}
    theme = tmp_path / "theme" / "styles"
    theme.mkdir(parents=True)
    (theme / "ebook.css").write_text("body { margin: 0 5%; }\n", encoding="utf-8")
    rebuilt = batch(folders, out, theme_dirs=[tmp_path / "theme"], **FAST)
    assert {r.status for r in rebuilt.results} == {"built"}  # a style change rebuilds
    (out / "ban-tin-thu-2023-so-80.epub").unlink()
    again = batch(folders, out, theme_dirs=[tmp_path / "theme"], **FAST)
    assert sorted(r.status for r in again.results) == ["built", "unchanged"]  # lost file


def test_the_no_change_path_never_loads_weasyprint(tmp_path: Path) -> None:
    folders = [good(tmp_path / f"b{i}", 90 + i) for i in range(3)]
    out = tmp_path / "out"
    batch(folders, out, **FAST)
    code = (
        "import sys\nfrom exporter.batch import batch\n"
        f"r = batch({[str(f) for f in folders]!r}, {str(out)!r}, formats=('epub',))\n"
        "assert {x.status for x in r.results} == {'unchanged'}, r.results\n"
        "assert 'weasyprint' not in sys.modules and 'ebooklib' not in sys.modules\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_fail_fast_stops_starting_new_bulletins(tmp_path: Path, broken) -> None:
    goods = [good(tmp_path / f"g{i}", 100 + i) for i in range(3)]
    report = batch([broken["toml"], *goods], tmp_path / "out", jobs=1, fail_fast=True, **FAST)
    assert report.results[0].status == "failed"
    assert len([r for r in report.results if r.status == "built"]) <= 2
    assert len(report.results) < 4


def test_two_bulletins_with_the_same_output_name(tmp_path: Path) -> None:
    one, two = good(tmp_path / "one", 110), good(tmp_path / "two", 110)
    report = batch([one, two], tmp_path / "out", **FAST)
    failed = report.failed
    assert len(failed) == 1 and "same publication, year and issue" in failed[0].errors[0]


def test_ctrl_c_stops_cleanly_without_partial_files(tmp_path: Path) -> None:
    folders = [good(tmp_path / f"c{i}", 120 + i) for i in range(6)]
    out = tmp_path / "out"
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "exporter.cli",
            "batch",
            *map(str, folders),
            "-o",
            str(out),
            "-j",
            "2",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # Ctrl-C reaches the whole group, as in a terminal
    )
    deadline = time.time() + 120
    while time.time() < deadline and not list(out.glob("*.pdf")):
        time.sleep(0.2)
    os.killpg(process.pid, signal.SIGINT)
    _, stderr = process.communicate(timeout=120)
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    assert not list(out.glob(".*.part"))
    for path in out.iterdir():
        if path.suffix == ".epub":
            assert zipfile.ZipFile(path).testzip() is None
        elif path.suffix == ".pdf":
            assert path.read_bytes().rstrip().endswith(b"%%EOF")
    assert len(list(out.glob("*.pdf"))) < 6


def test_dask_runs_the_same_jobs_with_the_same_report(tmp_path: Path, broken) -> None:
    from dask.distributed import LocalCluster

    goods = [good(tmp_path / f"d{i}", 130 + i) for i in range(2)]
    with LocalCluster(
        n_workers=1, threads_per_worker=1, processes=False, dashboard_address=None
    ) as cluster:
        report = batch(
            [*goods, broken["toml"]],
            tmp_path / "out",
            executor="dask",
            scheduler=cluster.scheduler_address,
            **FAST,
        )
    statuses = sorted(r.status for r in report.results)
    assert statuses == ["built", "built", "failed"]
    assert len(list((tmp_path / "out").glob("*.epub"))) == 2
    failed = report.failed[0]
    assert failed.exit_code == 3 and failed.errors[0].startswith("bulletin.toml:1:16: invalid TOML")


def test_unreadable_picture_format_is_reported(tmp_path: Path) -> None:
    folder = good(tmp_path / "p", 140)
    Image.new("RGB", (10, 10)).save(folder / "articles" / "images" / "anh.jpg")
    text = ARTICLE.format(title="Tin")
    (folder / "articles" / "01-mot.md").write_text(text, encoding="utf-8")
    assert batch([folder], tmp_path / "out", **FAST).results[0].status == "built"
