"""The layout report after every print build: in the JSON report, on the command line, and
--strict fails on a box out of its column (not on a short page)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from typer.testing import CliRunner

from exporter import build
from exporter.cli import app
from exporter.errors import BuildError

from ..conftest import ARTICLE, write_bulletin

CODE = "\n```\n" + "ĐƯỜNG_DẪN_RẤT_DÀI/" * 20 + "\n```\n"


def _bulletin(root: Path) -> Path:
    return write_bulletin(
        root,
        {
            "articles/a.md": ARTICLE.format(title="Tin có mã") + CODE,
            "articles/b.md": ARTICLE.format(title="Tin"),
        },
    )


def test_the_report_has_the_layout(tmp_path: Path) -> None:
    root = _bulletin(tmp_path / "b")
    result = CliRunner().invoke(
        app,
        [
            "build",
            str(root),
            "-o",
            str(tmp_path / "out"),
            "-f",
            "pdf",
            "--report",
            str(tmp_path / "r.json"),
        ],
    )
    assert result.exit_code == 0, result.output
    layout = json.loads((tmp_path / "r.json").read_text(encoding="utf-8"))["layout"]
    assert layout["page_count"] == len(layout["pages"]) >= 4
    assert layout["pages_to_multiple_of_4"] == -layout["page_count"] % 4
    assert layout["problems"]["overflow"] == 0  # a code block wraps in its column
    assert all(0 <= page["fill"] <= 1 for page in layout["pages"])
    pages, short = layout["page_count"], layout["page_count"] % 4 and -layout["page_count"] % 4
    said = f"{short} blank page{'s' if short > 1 else ''} short of a" if short else "a"
    assert f"{pages} pages ({said} multiple of 4)" in result.output


def test_strict_fails_on_overflow(tmp_path: Path) -> None:
    root = _bulletin(tmp_path / "b")
    theme = tmp_path / "theme" / "styles"
    theme.mkdir(parents=True)
    print_css = (Path(__file__).resolve().parents[2] / "styles" / "print.css").read_text(
        encoding="utf-8"
    )
    (theme / "print.css").write_text(print_css + "\npre { white-space: pre; }\n", encoding="utf-8")
    report = build(root, tmp_path / "out", ["pdf"], theme_dirs=[tmp_path / "theme"])
    # (a short issue: its contents on the front page, the article on page 2)
    assert report.layout["problems"]["overflow"] == 1
    with pytest.raises(
        BuildError,
        match=r"overflow under --strict:\npage 2: <code> goes .* pt beyond the right edge",
    ):
        build(root, tmp_path / "strict", ["pdf"], theme_dirs=[tmp_path / "theme"], strict=True)
    assert not (tmp_path / "strict").exists() or not any((tmp_path / "strict").iterdir())
