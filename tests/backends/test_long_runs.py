"""A paragraph that lost its spaces: a warning, the text kept whole, and wrapped in its column."""

from __future__ import annotations

import shutil
import zipfile
from pathlib import Path

import pypdfium2
import pytest

from exporter import build
from exporter.errors import InputError

from ..conftest import ARTICLE, CHROMIUM_ARGS, EPOCH, write_bulletin

SENTENCES = (
    "Ngày 23/11, Ban Thường vụ Tỉnh ủy Bình Thuận tổ chức tọa đàm trực tuyến với các cơ quan "
    "báo chí trong tỉnh. Phát biểu tại buổi lễ, ông Nguyễn Hoài Anh ghi nhận những nỗ lực của "
    "các cấp ủy, chính quyền và nhân dân trong việc bảo vệ nền tảng tư tưởng của Đảng. Các đại "
    "biểu đề xuất nhiều giải pháp nâng cao chất lượng tin bài, chống tin giả trên mạng xã hội, "
    "phát huy vai trò của đội ngũ phóng viên ở cơ sở và lắng nghe ý kiến của người dân. "
)
# 3,000 characters of real text with every space lost (a paste gone wrong), not periodic.
RUN = "".join((SENTENCES * 10).split())[:3000]


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory):
    root = tmp_path_factory.mktemp("long-run")
    body = ARTICLE.format(title="Bình Thuận tăng cường bảo vệ nền tảng")
    article = body + "\n" + RUN + "\n\nĐoạn cuối của bài viết.\n"
    folder = write_bulletin(root / "bulletin", {"articles/01-mot.md": article, **_others()})
    report = build(folder, root / "out", source_date_epoch=EPOCH)
    return folder, report, {o.format: o.path for o in report.outputs}


def _others() -> dict[str, str]:
    return {
        "articles/02-hai.md": ARTICLE.format(title="Đồng bằng sông Cửu Long đón mùa nước nổi"),
        "articles/03-ba.md": ARTICLE.format(title="Ấn tượng Đầm Thị Nại"),
    }


def test_a_long_run_is_a_warning_with_file_and_line(built) -> None:
    folder, report, _ = built
    (warning,) = [w for w in report.warnings if "3,000-character word" in w]
    line = (folder / "articles/01-mot.md").read_text(encoding="utf-8").split("\n").index(RUN) + 1
    assert warning.startswith(f"articles/01-mot.md:{line}: body: ")
    assert "missing its spaces" in warning


def test_strict_still_fails_on_it(built, tmp_path: Path) -> None:
    folder, _, _ = built
    with pytest.raises(InputError, match="3,000-character word"):
        build(folder, tmp_path / "out", strict=True, source_date_epoch=EPOCH)
    assert not (tmp_path / "out").exists() or not any((tmp_path / "out").iterdir())


def test_the_pdf_holds_the_whole_run_inside_the_page_margins(built) -> None:
    _, _, paths = built
    pdf = pypdfium2.PdfDocument(str(paths["pdf"]))
    at = 0
    for page in pdf:
        width = page.get_width()
        text = page.get_textpage()
        # No glyph of the run (nor any other) reaches into the outer 10 mm of the page.
        margin = 10 / 25.4 * 72
        for i in range(text.count_chars()):
            left, _, right, _ = text.get_charbox(i)
            if right > left:  # skip zero-width (spaces, line ends)
                assert margin <= left and right <= width - margin
        flat = "".join(text.get_text_range().split())
        while at < len(RUN):  # the run, in order, in as many pieces as it takes lines
            step = next((k for k in range(len(RUN) - at, 0, -1) if RUN[at : at + k] in flat), 0)
            if step < 8:
                break
            at += step
    assert at == len(RUN)


def test_the_ebook_wraps_the_run_at_phone_width(built, tmp_path: Path) -> None:
    chromium = shutil.which("chromium")
    assert chromium, "the e-book layout test needs Chromium: apt-get install chromium"
    _, _, paths = built
    with zipfile.ZipFile(paths["epub"]) as epub:
        epub.extractall(tmp_path / "book")
    chapter = next(
        p for p in (tmp_path / "book").rglob("*.xhtml") if RUN[:30] in p.read_text(encoding="utf-8")
    )
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        try:
            page = browser.new_page(viewport={"width": 360, "height": 740})
            page.goto(chapter.as_uri())
            sizes = page.evaluate(
                """() => {
                  const p = [...document.querySelectorAll('p')]
                    .find(e => e.textContent.length >= 3000);
                  return {page: document.documentElement.scrollWidth, view: innerWidth,
                          right: p.getBoundingClientRect().right,
                          body: document.body.getBoundingClientRect().right,
                          text: p.textContent.trim().length};
                }"""
            )
        finally:
            browser.close()
    assert sizes["text"] == len(RUN)
    assert sizes["page"] <= sizes["view"]
    assert sizes["right"] <= sizes["body"] + 0.5
