"""Nothing an import reads is dropped silently (issue 11, point 3)."""

from __future__ import annotations

import os
from pathlib import Path

import yaml
from typer.testing import CliRunner

from exporter.cli import app
from exporter.importer import extract, import_file
from exporter.source.load import split_front_matter

PAGE = """\
Thời sự

Xã Y Tý tổ chức lễ hội mùa lúa chín lần thứ nhất

{date}
Kỳ 2

TTO - Sáng nay, xã Y Tý (huyện Bát Xát) khai mạc lễ hội mùa lúa chín với nhiều hoạt động văn hóa.

../../../anh/le-hoi-y-ty.jpg
Đồng bào Hà Nhì trình diễn trang phục truyền thống. Ảnh: Quang Huy

Lễ hội kéo dài ba ngày, có chợ phiên, thi giã gạo và trình diễn trang phục dân tộc.

Nhiều du khách đã đặt phòng ở các homestay trong xã từ hai tuần trước.
"""


def _page(tmp_path: Path, date: str = "Thứ Bảy, 25/11/2023, 08:10 (GMT+7)") -> Path:
    path = tmp_path / "trang.txt"
    path.write_text(PAGE.format(date=date), encoding="utf-8")
    return path


def _front(path: Path) -> dict:
    return yaml.safe_load(split_front_matter(path.read_text(encoding="utf-8"))[0])


def test_the_source_prefix_is_kept_in_the_article(tmp_path: Path) -> None:
    result = import_file(_page(tmp_path), tmp_path / "out")
    assert result.ok
    front = _front(result.output)
    assert front["source_prefix"] == "TTO"
    assert front["lead"].startswith("Sáng nay, xã Y Tý")
    (record,) = [r for r in result.lines if r.text.startswith("TTO - ")]
    assert record.to == "source_prefix+lead"


def test_a_line_nobody_recognises_is_kept_and_reported(tmp_path: Path) -> None:
    result = extract(_page(tmp_path))
    assert result.article.body[0].text == "Kỳ 2"  # a series mark, say: kept, reported
    assert any("could not be placed; kept as a body paragraph" in w for w in result.warnings)
    assert all(r.to is not None or r.dropped for r in result.lines)


def test_a_picture_path_out_of_the_folder_is_reported(tmp_path: Path) -> None:
    result = extract(_page(tmp_path))
    assert result.article.figures[0].name == "le-hoi-y-ty.jpg"
    assert result.article.figures[0].caption.startswith("Đồng bào Hà Nhì trình diễn")
    assert any("points outside the article's folder" in w for w in result.warnings)


def test_no_readable_date_names_the_lines_tried(tmp_path: Path) -> None:
    result = extract(_page(tmp_path, date="Cập nhật lúc 8 giờ 10, thứ bảy tuần trước"))
    assert not result.ok
    assert result.error.startswith("no publication date found (lines tried: line 5:")
    assert "--date" in result.error


def test_date_from_the_option_or_the_file(tmp_path: Path) -> None:
    page = _page(tmp_path, date="Cập nhật lúc 8 giờ 10, thứ bảy tuần trước")
    os.utime(page, (1700900000, 1700900000))  # 2023-11-25 15:13 in Vietnam
    runner = CliRunner()
    refused = runner.invoke(app, ["import", str(page), "-o", str(tmp_path / "a")])
    assert refused.exit_code == 1 and not (tmp_path / "a").exists()
    given = runner.invoke(
        app, ["import", str(page), "-o", str(tmp_path / "b"), "--date", "2023-11-25 08:10"]
    )
    assert given.exit_code == 0, given.output
    assert _front(next((tmp_path / "b").glob("*.md")))["published"] == "2023-11-25 08:10"
    assert "from --date" in given.output
    own = runner.invoke(app, ["import", str(page), "-o", str(tmp_path / "c"), "--date", "file"])
    assert own.exit_code == 0, own.output
    assert _front(next((tmp_path / "c").glob("*.md")))["published"] == "2023-11-25 15:13"
    assert "from the file's own date" in own.output
    bad = runner.invoke(app, ["import", str(page), "-o", str(tmp_path / "d"), "--date", "hôm qua"])
    assert bad.exit_code == 2 and "YYYY-MM-DD HH:MM" in bad.output


SAVED_PAGE = """<!DOCTYPE html><html lang="vi"><head><meta charset="utf-8">
<title>Xã Y Tý mở lễ hội mùa lúa chín - Báo Thử</title>
<meta name="description" content="Lễ hội mùa lúa chín ở Y Tý."></head><body>
<header><nav><a href="/">Trang chủ</a> <a href="/thoi-su">Thời sự</a></nav></header>
<article><h1>Xã Y Tý mở lễ hội mùa lúa chín</h1>
<h2 class="sapo">Sáng nay, xã Y Tý (huyện Bát Xát) khai mạc lễ hội mùa lúa chín với nhiều
hoạt động văn hóa của đồng bào Hà Nhì.</h2>
<p>Lễ hội kéo dài ba ngày, có chợ phiên, thi giã gạo và trình diễn trang phục dân tộc.</p>
<p>Nhiều du khách đã đặt phòng ở các homestay trong xã từ hai tuần trước.</p>
</article><footer>© 2023 Báo Thử</footer></body></html>
"""


def test_a_saved_page_without_a_date_takes_one_from_the_option(tmp_path: Path) -> None:
    page = tmp_path / "trang.html"
    page.write_text(SAVED_PAGE, encoding="utf-8")
    assert extract(page).error.startswith("no publication date found")
    result = import_file(page, tmp_path / "out", date="file")
    assert result.ok, result.error
    assert any("from the file's own date" in w for w in result.warnings)
    assert _front(result.output)["lead"].startswith("Sáng nay, xã Y Tý")
