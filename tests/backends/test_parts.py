"""The print edition laid out in parts (front pages, each section, back matter) and joined."""

from __future__ import annotations

from lxml import html as lxml_html

from exporter.backends.pdf.backend import PdfBackend
from exporter.backends.pdf.parts import _part_css, split, written_numbers
from exporter.pipeline import prepare
from exporter.render.pages import render
from exporter.render.theme import Theme

from ..conftest import SAMPLE


def test_the_sample_splits_into_front_sections_and_back_matter() -> None:
    bulletin = prepare(SAMPLE, [])
    page = render(bulletin, Theme(), PdfBackend()).page("bulletin")
    parts = split(page.html)
    assert parts is not None and len(parts) == 1 + len(bulletin.sections) + 1
    first = lxml_html.document_fromstring(parts[0].html).find("body")
    assert [c.get("class") for c in first] == ["front-page", "contents-page"]
    for part, section in zip(parts[1:], bulletin.sections, strict=False):
        assert f'id="section-{section.slug}"' in part.html
    assert "back-matter" in parts[-1].html
    assert sum(p.footnotes for p in parts) >= 1  # the sample has a footnote: numbering goes on


def test_a_page_that_is_not_front_sections_back_is_laid_out_whole() -> None:
    assert split("<html><body><p>Một trang</p></body></html>") is None


def test_parts_start_on_their_page_with_the_right_hand() -> None:
    odd, even = _part_css(7, 0, "Nhịp Tuần", False), _part_css(8, 2, 'Báo "A"', False)
    assert "counter-reset: page 7" in odd and "break-before: left" not in odd
    assert "counter-reset: page 8" in even and "html { break-before: left; }" in even
    assert "counter-reset: footnote 2" in even and 'content: "Báo \\"A\\""' in even
    assert "@top-left" not in _part_css(1, 0, "Nhịp Tuần", True)


def test_page_numbers_are_written_in_not_computed() -> None:
    css = ".page-ref::after { content: ' – trang ' target-counter(attr(href url), page); }"
    assert written_numbers(css) == ".page-ref::after { content: ' – trang ' attr(data-page); }"


def test_the_joined_document_numbers_every_page_in_order() -> None:
    bulletin = prepare(SAMPLE, [])
    document = PdfBackend().layout(render(bulletin, Theme(), PdfBackend()))
    where = {}
    for number, page in enumerate(document.pages, start=1):
        for anchor in page.anchors:
            where.setdefault(anchor, number)
    firsts = [where[f"section-{s.slug}"] for s in bulletin.sections]
    assert firsts == sorted(firsts) and firsts[0] == 3  # front page, contents, then sections
