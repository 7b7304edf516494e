"""The preview's engine: only what changed is laid out again; pages know their source lines."""

from __future__ import annotations

import io
import time
from pathlib import Path

import pytest
from PIL import Image, ImageChops

from exporter.desk.preview import Preview
from exporter.desk.sources import article_lines, toml_section_lines

from ..conftest import write_bulletin


@pytest.fixture()
def bulletin(tmp_path: Path) -> Path:
    return write_bulletin(tmp_path / "b")


def _sources(preview: Preview) -> set[str]:
    return {r.source for page in preview.snapshot.pages for r in page.regions}


def test_first_build_lays_out_every_part_and_again_nothing(bulletin: Path) -> None:
    preview = Preview(bulletin)
    first = preview.rebuild()
    assert first.error is None and len(first.pages) >= 4
    # The front pages (twice: their length first), two sections, the back matter: each part
    # is named by its first page.
    assert len(first.laid_out) == 5 and first.laid_out.count(1) == 2
    assert [p.number for p in first.pages] == list(range(1, len(first.pages) + 1))
    again = preview.rebuild()
    assert again.laid_out == []
    assert [p.token for p in again.pages] == [p.token for p in first.pages]


def test_an_edited_paragraph_lays_out_only_its_section(bulletin: Path) -> None:
    preview = Preview(bulletin)
    before = preview.rebuild()
    article = bulletin / "articles" / "02-hai.md"
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("ghi nhận", "đánh giá cao"), encoding="utf-8")
    after = preview.rebuild()
    first_page = min(
        p.number for p in after.pages if any("01-mot.md" in r.source for r in p.regions)
    )
    assert after.laid_out == [first_page]  # the first section only: no page number moved
    changed = [
        a.number for a, b in zip(after.pages, before.pages, strict=True) if a.token != b.token
    ]
    section = [p.number for p in after.pages if any("02-hai.md" in r.source for r in p.regions)]
    assert changed and set(changed) <= set(range(min(section), max(section) + 1))


def test_a_page_number_that_moves_lays_out_what_shows_it(bulletin: Path) -> None:
    preview = Preview(bulletin)
    before = preview.rebuild()
    article = bulletin / "articles" / "01-mot.md"
    long = "\n\n".join(["Một đoạn văn dài thêm vào để bài sang trang mới. " * 12] * 14)
    article.write_text(article.read_text(encoding="utf-8") + "\n" + long + "\n", encoding="utf-8")
    after = preview.rebuild()
    assert len(after.pages) > len(before.pages)
    # The first section grew: the second section starts later, the contents and the index
    # show other numbers.
    assert 1 in after.laid_out and len(after.laid_out) >= 4


def test_regions_name_the_file_and_line(bulletin: Path) -> None:
    preview = Preview(bulletin)
    preview.rebuild()
    sources = _sources(preview)
    # Body paragraphs: line 14 and 16 of the article file; title on line 2; section title in
    # bulletin.toml on its "title =" line.
    assert "articles/01-mot.md:14" in sources
    assert "articles/01-mot.md:16" in sources
    assert "articles/01-mot.md:2" in sources
    toml = (bulletin / "bulletin.toml").read_text(encoding="utf-8").split("\n")
    line = next(n for n, text in enumerate(toml, 1) if text.strip() == 'title = "Kinh tế"')
    assert f"bulletin.toml:{line}" in sources


def test_an_invalid_edit_keeps_the_last_good_pages(bulletin: Path) -> None:
    preview = Preview(bulletin)
    good = preview.rebuild()
    toml = bulletin / "bulletin.toml"
    text = toml.read_text(encoding="utf-8")
    toml.write_text(text.replace("issue = 47", "issue = bốn bảy"), encoding="utf-8")
    bad = preview.rebuild()
    assert bad.error and "bulletin.toml" in bad.error
    assert [p.token for p in bad.pages] == [p.token for p in good.pages]
    assert any(p.level == "error" and "bulletin.toml" in p.where for p in bad.problems)
    toml.write_text(text, encoding="utf-8")
    fixed = preview.rebuild()
    assert fixed.error is None and fixed.version == bad.version + 1


def test_pages_are_pictures_of_the_laid_out_pages(bulletin: Path) -> None:
    preview = Preview(bulletin)
    snapshot = preview.rebuild()
    page = snapshot.pages[0]
    png = preview.page_png(page.token)
    assert png is not None
    image = Image.open(io.BytesIO(png))
    assert image.format == "PNG"
    assert abs(image.width / image.height - page.width / page.height) < 0.01
    assert preview.page_png("0" * 16 + "-0") is None


def test_nothing_is_written_into_the_bulletin(bulletin: Path) -> None:
    before = sorted((p, p.stat().st_mtime_ns) for p in bulletin.rglob("*"))
    preview = Preview(bulletin)
    snapshot = preview.rebuild()
    preview.page_png(snapshot.pages[1].token)
    preview.epub_rendition()
    assert sorted((p, p.stat().st_mtime_ns) for p in bulletin.rglob("*")) == before


def test_block_lines_follow_the_markdown() -> None:
    text = (
        "---\ntitle: Tin\nlead: Tóm tắt\nauthors: [A]\n---\n\nĐoạn một.\n\n"
        "## Tiểu đề\n\n- một\n- hai\n\nĐoạn[^1] cuối,\nhai dòng.\n\n[^1]: Chú thích.\n"
    )
    lines = article_lines(text, "tin")
    assert lines["tin-title"] == 2 and lines["tin-lead"] == 3 and lines["tin-byline"] == 4
    assert [lines[f"tin-{n}"] for n in (1, 2, 3, 4)] == [7, 9, 11, 14]
    assert "tin-5" not in lines  # the footnote is not a block of the body


def test_section_title_lines_in_toml() -> None:
    toml = (
        'publication = "X"\n\n[[sections]]\n# the news\ntitle = "Thời sự"\narticles = []\n\n'
        '[pdf]\ntitle = "not a section"\n\n[[ sections ]]\narticles = []\ntitle = "Kinh tế"\n'
    )
    assert toml_section_lines(toml) == [5, 13]


def test_the_changed_page_is_shown_before_its_section_is_done(bulletin: Path) -> None:
    article = bulletin / "articles" / "01-mot.md"
    long = "\n\n".join(["Một đoạn văn dài để phần Thời sự có nhiều trang. " * 10] * 16)
    article.write_text(article.read_text(encoding="utf-8") + "\n" + long + "\n", encoding="utf-8")
    preview = Preview(bulletin)
    before = preview.rebuild()
    early: list[tuple[float, object]] = []
    preview.on_early = lambda snapshot: early.append((time.perf_counter(), snapshot))
    text = article.read_text(encoding="utf-8")
    article.write_text(text.replace("tọa đàm trực tuyến", "hội thảo trực tuyến"), encoding="utf-8")
    after = preview.rebuild()
    finished = time.perf_counter()
    assert len(early) == 1
    when, snapshot = early[0]
    assert when < finished
    changed = [a for a, b in zip(snapshot.pages, before.pages, strict=True) if a.token != b.token]
    assert len(changed) == 1  # the page with the edit, laid out for good: the same token after
    page = changed[0]
    assert page.token in {p.token for p in after.pages}
    assert any(r.source == "articles/01-mot.md:14" for r in page.regions)
    assert preview.page_png(page.token).startswith(b"\x89PNG")


def test_the_layout_report_is_in_the_problems_and_on_the_pages(bulletin: Path) -> None:
    article = bulletin / "articles" / "01-mot.md"
    more = "\n\n".join(["Một đoạn văn dài thêm vào để bài dài hơn một trang. " * 8] * 6)
    article.write_text(article.read_text(encoding="utf-8") + "\n" + more + "\n", encoding="utf-8")
    snapshot = Preview(bulletin).rebuild()
    layout = [p for p in snapshot.problems if p.level == "layout"]
    noted = [page for page in snapshot.pages if page.notes]
    assert noted and all(page.fill < 0.6 for page in noted)
    assert {f"page {page.number}" for page in noted} <= {p.where for p in layout}
    count = len(snapshot.pages)
    if count % 4:
        assert any(p.where == "issue" and f"{count} pages" in p.message for p in layout)
    assert all(0 <= page.fill <= 1 for page in snapshot.pages)


def test_a_quick_look_at_an_article_further_down_a_section(bulletin: Path) -> None:
    """An edit to a section's second article is shown from that article on (quick_look.py),
    and the picture is the same, pixel for pixel, as the page of the whole section after."""
    first = bulletin / "articles" / "01-mot.md"
    more = "\n\n".join(["Một đoạn văn dài thêm để bài sau bắt đầu giữa trang. " * 8] * 5)
    first.write_text(first.read_text(encoding="utf-8") + "\n" + more + "\n", encoding="utf-8")
    second = bulletin / "articles" / "02-hai.md"
    second.write_text(
        second.read_text(encoding="utf-8") + "\n" + more.replace("giữa trang", "tiếp") + "\n",
        encoding="utf-8",
    )
    preview = Preview(bulletin)
    preview.rebuild()
    early: list = []

    def seen(snapshot) -> None:  # the browser asks for the page at once
        quick = [p for p in snapshot.pages if p.token.startswith("q")]
        early.append((snapshot, {p.token: preview.page_png(p.token) for p in quick}))

    preview.on_early = seen
    text = second.read_text(encoding="utf-8")
    second.write_text(text.replace("ghi nhận", "đánh giá cao"), encoding="utf-8")
    final = preview.rebuild()
    assert len(early) == 1
    snapshot, pngs = early[0]
    (quick,) = [p for p in snapshot.pages if p.token.startswith("q")]
    assert any(r.source == "articles/02-hai.md:16" for r in quick.regions)
    exact = next(p for p in final.pages if p.number == quick.number)
    shown = Image.open(io.BytesIO(pngs[quick.token])).convert("RGB")
    laid_out = Image.open(io.BytesIO(preview.page_png(exact.token))).convert("RGB")
    assert ImageChops.difference(shown, laid_out).getbbox() is None
