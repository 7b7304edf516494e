"""The layout report, on documents WeasyPrint really laid out: small pages made to show one
problem each, and the sample issue through the print backend."""

from __future__ import annotations

import base64
import io
import json
import pickle
import time
from dataclasses import replace

import pytest
from PIL import Image
from weasyprint import HTML, Document

from exporter.backends.pdf.backend import PdfBackend, image_resolutions
from exporter.backends.pdf.preflight import (
    LayoutReport,
    _Fragment,
    _split_paragraph_problems,
    format_table,
    preflight,
)
from exporter.pipeline import prepare
from exporter.render.pages import render
from exporter.render.theme import Theme

from ..conftest import SAMPLE

# A 300 x 300 px text area; every line 20 px high whatever the font.
BASE = """
@page { size: 400px 400px; margin: 50px }
html { font: 10px/20px sans-serif }
body, p { margin: 0 }
.article-body { columns: 2; column-gap: 20px }
.filled { column-fill: auto; height: 300px }
"""


def laid_out(body: str, css: str = "") -> Document:
    html = f"<html><head><style>{BASE}{css}</style></head><body>{body}</body></html>"
    return HTML(string=html).render()


def lines(count: int, word: str = "dòng") -> str:
    """``count`` lines exactly (each word fits the column, a <br> ends it)."""
    return "<br>".join(f"{word} {n}" for n in range(1, count + 1))


def block(height: int, extra: str = "") -> str:
    return f'<div style="height: {height}px; {extra}"></div>'


def png(width: int, height: int) -> str:
    data = io.BytesIO()
    Image.new("RGB", (width, height), (90, 130, 170)).save(data, "PNG")
    return "data:image/png;base64," + base64.b64encode(data.getvalue()).decode()


def kinds(report: LayoutReport, *wanted: str) -> list[tuple[int, str]]:
    return [(page.number, problem.kind) for page, problem in report.problems(*wanted)]


# ---- fill ------------------------------------------------------------------------------------


def test_fill_is_the_share_of_the_text_area_used() -> None:
    report = preflight(laid_out(block(150) + block(300, "break-before: page")))
    assert [p.fill for p in report.pages] == [0.5, 1.0]
    assert [p.columns for p in report.pages] == [1, 1]


def test_fill_counts_each_column() -> None:
    """15 lines fill column 1 (300 px), 7 lines are in column 2 (140 px)."""
    body = f'<div class="article-body filled"><p>{lines(22)}</p></div>'
    (page,) = preflight(laid_out(body)).pages
    assert page.columns == 2
    assert page.fill == round((1 + 140 / 300) / 2, 3)


def test_a_full_width_picture_is_in_every_column() -> None:
    picture = f'<img style="display: block; width: 300px; height: 150px" src="{png(4, 2)}">'
    body = picture + f'<div class="article-body"><p>{lines(6)}</p></div>'  # 3 lines a column
    (page,) = preflight(laid_out(body)).pages
    assert (page.columns, page.fill) == (2, round((150 + 60) / 300, 3))


def test_the_footnote_area_counts_by_its_height() -> None:
    css = (
        "@page { @footnote { margin: 0; padding: 0; border: 0 } } .note { float: footnote }"
        "::footnote-call { vertical-align: baseline; font-size: 10px }"
    )
    (page,) = preflight(laid_out('<p>Câu<span class="note">Chú thích</span></p>', css)).pages
    assert page.fill == round((20 + 20) / 300, 3)


def test_a_split_box_stretched_to_the_page_foot_is_not_full() -> None:
    """WeasyPrint stretches a box split across pages down to the page's foot; what counts is
    what it draws (here 100 px, then a figure that does not fit goes to the next page)."""
    body = (
        '<section class="section" id="section-a"><div>'
        + block(100)
        + block(250, "break-inside: avoid")
        + "</div></section>"
    )
    report = preflight(laid_out(body))
    assert [p.fill for p in report.pages] == [round(100 / 300, 3), round(250 / 300, 3)]


# ---- kinds, sections, underfilled pages --------------------------------------------------------


def issue() -> str:
    """Front page, contents, section A (full, then a third), section B (a fifth: a picture
    did not fit, then most of a page), back matter (last page)."""
    page = "break-before: page"
    return (
        f'<section class="front-page">{block(60)}</section>'
        f'<section class="contents-page" style="{page}">{block(60)}</section>'
        f'<section class="section" id="section-a" style="{page}">{block(300)}{block(100)}</section>'
        f'<section class="section" id="section-b" style="{page}">'
        f"{block(60)}{block(250, page)}</section>"
        f'<section class="section back-matter" style="{page}">{block(30)}</section>'
    )


def test_pages_know_their_kind_and_where_sections_open() -> None:
    report = preflight(laid_out(issue()))
    assert [p.kind for p in report.pages] == [
        "front",
        "contents",
        "section",
        "section",
        "section",
        "section",
        "back",
    ]
    assert [p.section for p in report.pages][2:6] == ["section-a"] * 2 + ["section-b"] * 2
    assert [p.opens for p in report.pages] == [True, True, True, False, True, False, True]
    assert [p.index for p in report.pages] == list(range(7))
    assert [p.number for p in report.pages] == list(range(1, 8))


def test_underfilled_pages_of_the_flow_but_not_the_last() -> None:
    report = preflight(laid_out(issue()))
    found = {page.number: problem for page, problem in report.problems("underfilled")}
    assert sorted(found) == [4, 5]  # not the front page, the contents, the last page
    assert found[4].ends_section is True and found[4].fill == round(100 / 300, 3)
    assert "end of section-a" in found[4].message
    assert found[5].ends_section is False and found[5].element == "section-b"


def test_a_blank_page() -> None:
    report = preflight(laid_out(block(300) + block(300, "break-before: right")))
    assert [p.kind for p in report.pages] == ["other", "blank", "other"]
    assert report.pages[1].fill == 0.0 and kinds(report) == [(2, "underfilled")]


def test_folios_follow_the_page_counter() -> None:
    """A part laid out alone starts at its page (as exporter's parts do)."""
    css = "@page :first { counter-reset: page 7 }"
    document = laid_out(block(300) * 3, css)
    assert [(p.index, p.number) for p in preflight(document).pages] == [(0, 7), (1, 8), (2, 9)]
    # A part refitted to its true start keeps its provisional counters: the caller says.
    assert [p.number for p in preflight(document, first_page=12).pages] == [12, 13, 14]


def test_a_part_refitted_to_its_true_start_needs_first_page() -> None:
    """refit.py moves a part laid out at a provisional start (3) to its true start (8,
    the other side) without a new layout: its page styles still reset the counter to 3."""
    from weasyprint.text.fonts import FontConfiguration

    from exporter.backends.pdf.refit import render_keeping_context

    css = (
        "@page { margin: 50px 40px 50px 60px; @bottom-center { content: counter(page) } }"
        "@page :left { margin: 50px 60px 50px 40px } @page :first { counter-reset: page 3 }"
    )
    body = f'<section class="section" id="section-a">{block(300) * 3}{block(40)}</section>'
    html = HTML(string=f"<html><head><style>{BASE}{css}</style></head><body>{body}</body></html>")
    moved = render_keeping_context(html, FontConfiguration(), {}, 3).at(8)
    assert moved is not None
    assert [p.number for p in preflight(moved).pages] == [3, 4, 5, 6]  # the provisional start
    report = preflight(moved, first_page=8)
    assert [(p.number, p.fill) for p in report.pages] == [
        (8, 1.0),
        (9, 1.0),
        (10, 1.0),
        (11, round(40 / 300, 3)),
    ]


# ---- widows and orphans --------------------------------------------------------------------


LONELY = "p { orphans: 1; widows: 1 }"  # WeasyPrint then leaves single lines where they fall


def column_body(filler: int, paragraph: int) -> str:
    return (
        f'<div class="article-body filled">{block(filler)}'
        f'<p id="bai-3">{lines(paragraph, "chữ")}</p></div>'
    )


def test_orphan_one_line_at_a_column_foot() -> None:
    report = preflight(laid_out(column_body(280, 5), LONELY))  # 1 line, then 4
    ((page, problem),) = report.problems()
    assert (page.number, problem.kind, problem.column) == (1, "orphan", 1)
    assert problem.element == "bai-3" and problem.text == "chữ 1 chữ 2 chữ 3…"


def test_widow_one_line_at_a_column_top() -> None:
    report = preflight(laid_out(column_body(220, 5), LONELY))  # 4 lines, then 1
    ((page, problem),) = report.problems()
    assert (page.number, problem.kind, problem.column) == (1, "widow", 2)
    assert "top of column 2" in problem.message and "bai-3" in problem.message


def test_across_pages_in_one_column() -> None:
    body = f'<div class="article-body" style="columns: auto">{block(280)}<p>{lines(5)}</p></div>'
    report = preflight(laid_out(body, LONELY))
    assert kinds(report, "orphan", "widow") == [(1, "orphan")]
    assert next(report.problems())[1].column is None


def test_weasyprint_defaults_leave_none() -> None:
    for filler in (280, 220):
        assert kinds(preflight(laid_out(column_body(filler, 5)))) == []


def test_empty_fragments_are_not_lines() -> None:
    """WeasyPrint can leave a paragraph's empty fragment at a column's foot before moving it
    on: the paragraph then starts in the next column, and nothing is alone."""
    pieces = [_Fragment(0, 1, 0, "bai-2", "Gần"), _Fragment(0, 2, 0, "bai-2", "Gần")]
    whole = [_Fragment(1, 1, 5, "bai-2", "Gần")]
    assert _split_paragraph_problems({1: pieces + whole}) == {}
    lonely = [_Fragment(1, 1, 1, "bai-2", "Gần"), _Fragment(1, 2, 4, "bai-2", "Gần")]
    problems = _split_paragraph_problems({1: pieces + lonely})
    assert [(p.kind, p.column) for p in problems[1]] == [("orphan", 1)]


def test_only_body_paragraphs_are_checked() -> None:
    body = f'<div class="editor-note">{block(280)}<p>{lines(5)}</p></div>'
    assert kinds(preflight(laid_out(body, LONELY)), "orphan", "widow") == []


# ---- overflow --------------------------------------------------------------------------------


def test_a_long_word_overflows_its_column() -> None:
    word = "Siêu" * 40
    body = f'<div class="article-body"><p id="bai-1">Một từ {word} dài</p><p>{lines(4)}</p></div>'
    report = preflight(laid_out(body, "p { overflow-wrap: normal }"))
    ((page, problem),) = report.problems("overflow")
    assert (problem.edge, problem.element) == ("right", "bai-1")
    assert problem.text.startswith('"SiêuSiêu') and problem.points > 100
    assert report.has_overflow
    # The house style breaks such words (overflow-wrap: anywhere): nothing to report.
    assert not preflight(laid_out(body, "p { overflow-wrap: anywhere }")).has_overflow


def test_the_same_word_overflowing_twice_is_one_problem() -> None:
    word = "Siêu" * 40
    body = f'<div class="article-body"><p id="bai-1">{word} và {word}</p></div>'
    ((_, problem),) = preflight(laid_out(body, "p { overflow-wrap: normal }")).problems()
    assert problem.kind == "overflow" and problem.element == "bai-1"


def test_boxes_that_draw_nothing_are_not_content() -> None:
    """An empty box may reach below the page (WeasyPrint stretches empty fragments to the
    foot): nothing is printed there. One with a background is printed."""
    empty = '<div style="min-height: 500px"></div>'  # too tall for page 1: on page 2
    report = preflight(laid_out(block(90) + empty))
    assert [(p.kind, p.fill) for p in report.pages] == [("other", 0.3), ("blank", 0.0)]
    assert kinds(report, "overflow") == []
    painted = '<div id="nen" style="min-height: 500px; background: #eee"></div>'
    report = preflight(laid_out(block(90) + painted))
    ((page, problem),) = report.problems("overflow")
    assert (page.number, page.fill) == (2, 1.0)
    assert (problem.element, problem.edge, problem.points) == ("nen", "bottom", 150.0)


def test_a_wide_table_is_reported_once() -> None:
    row = "<tr>" + "<td>1234567890123</td>" * 6 + "</tr>"
    body = f'<div class="article-body"><table id="bang">{row * 3}</table><p>{lines(4)}</p></div>'
    report = preflight(laid_out(body, "td { overflow-wrap: normal }"))
    ((_, problem),) = report.problems("overflow")
    assert (problem.text, problem.element, problem.edge) == ("<table>", "bang", "right")


def test_a_picture_taller_than_the_page() -> None:
    body = f'<img id="anh" style="display: block; width: 10px; height: 500px" src="{png(1, 1)}">'
    ((_, problem),) = preflight(laid_out(body)).problems("overflow")
    assert (problem.edge, problem.element, problem.points) == ("bottom", "anh", 150.0)
    assert problem.text == "picture data:image/png;base64,…"


def test_what_fits_does_not_overflow() -> None:
    body = f'<div class="article-body filled">{block(100)}<p>{lines(20)}</p></div>'
    assert not preflight(laid_out(body)).has_overflow


def test_columns_of_fixed_height_spill_beyond_the_page() -> None:
    """What does not fit two columns of a set height goes into a third, right of the page."""
    body = f'<div class="article-body filled" id="bai">{block(100)}<p>{lines(30)}</p></div>'
    ((_, problem),) = preflight(laid_out(body)).problems("overflow")
    assert (problem.edge, problem.element, problem.points) == ("right", "bai", 120.0)


# ---- pictures ---------------------------------------------------------------------------------


def test_low_dpi_only_for_print_ready() -> None:
    body = (
        f'<figure id="hinh-1" style="margin: 0">'
        f'<img style="width: 10px" src="{png(1, 1)}"></figure>'
        f'<img style="width: 24px" src="{png(100, 100)}">'  # 400 dpi
    )
    document = laid_out(body)
    assert kinds(preflight(document), "low_dpi") == []
    ((_, problem),) = preflight(document, print_ready=True, min_dpi=300).problems("low_dpi")
    assert (problem.dpi, problem.element) == (9.6, "hinh-1")
    assert kinds(preflight(document, print_ready=True, min_dpi=5), "low_dpi") == []


# ---- the report ------------------------------------------------------------------------------


def test_page_count_and_sheets_of_four() -> None:
    for count, wanted in ((1, 3), (4, 0), (5, 3), (7, 1), (8, 0)):
        report = preflight(laid_out(block(300, "break-after: page") * (count - 1) + block(300)))
        assert (report.page_count, report.pages_to_multiple_of_4) == (count, wanted)
        if count == 8:
            assert format_table(report)[-1] == "8 pages (a multiple of 4); no layout problems"


def test_merged_parts_are_one_issue() -> None:
    """Parts laid out apart (as in worker processes): re-indexed, and a part's last page is
    underfilled once it is not the issue's last."""
    first = preflight(laid_out(f'<section class="section" id="section-a">{block(60)}</section>'))
    second = preflight(
        laid_out(
            f'<section class="section" id="section-b">{block(300)}</section>',
            "@page :first { counter-reset: page 2 }",
        )
    )
    assert kinds(first) == []
    merged = LayoutReport.merge([first, second])
    assert [(p.index, p.number, p.section) for p in merged.pages] == [
        (0, 1, "section-a"),
        (1, 2, "section-b"),
    ]
    assert kinds(merged) == [(1, "underfilled")] and merged.pages[0].problems[0].ends_section
    assert merged.seconds == first.seconds + second.seconds
    assert LayoutReport.merge([merged]) == merged  # underfilled is worked out, not repeated
    assert LayoutReport.merge([]).page_count == 0
    assert pickle.loads(pickle.dumps(merged)) == merged  # it can come back from a worker


def test_json_and_table() -> None:
    report = preflight(laid_out(issue()), print_ready=True)
    data = json.loads(json.dumps(report.to_dict()))
    assert data["page_count"] == 7 and data["pages_to_multiple_of_4"] == 1
    assert data["problems"] == {
        "underfilled": 2,
        "widow": 0,
        "orphan": 0,
        "overflow": 0,
        "low_dpi": 0,
    }
    page = data["pages"][3]
    assert set(page) == {
        "index",
        "number",
        "kind",
        "section",
        "opens",
        "fill",
        "columns",
        "problems",
        "title",
    }
    assert page["problems"] == [
        {
            "kind": "underfilled",
            "message": "33% full (end of section-a)",
            "element": "section-a",
            "fill": 0.333,
            "ends_section": True,
        }
    ]
    table = format_table(report)
    assert table[0].split() == ["page", "kind", "fill", "problem"]
    assert [line.split()[:3] for line in table[1:-1]] == [
        ["4", "section", "33%"],
        ["5", "section", "20%"],
    ]
    assert table[-1] == "7 pages (1 blank page short of a multiple of 4); 2 underfilled pages"
    assert len(format_table(report, all_pages=True)) == 1 + 7 + 1
    empty = replace(report, pages=report.pages[2:3])
    assert format_table(empty) == [
        "1 page (3 blank pages short of a multiple of 4); no layout problems"
    ]


# ---- the sample issue --------------------------------------------------------------------------


@pytest.fixture(scope="module")
def sample_document() -> tuple[Document, float, list[str]]:
    """The sample laid out by the print backend (not padded to four), the layout's time, the
    articles' ids."""
    bulletin = prepare(SAMPLE, [])
    bulletin = bulletin.model_copy(
        update={"pdf": bulletin.pdf.model_copy(update={"page_multiple": 1})}
    )
    rendition = render(bulletin, Theme(), PdfBackend())
    started = time.perf_counter()
    document = PdfBackend().layout(rendition)
    return document, time.perf_counter() - started, [a.slug for a in bulletin.articles]


def test_the_sample_report_is_sane(sample_document) -> None:
    document, _, articles = sample_document
    report = preflight(document)
    pages = report.pages
    assert report.page_count == len(document.pages) >= 12
    assert report.pages_to_multiple_of_4 == -len(document.pages) % 4
    assert [p.number for p in pages] == list(range(1, len(pages) + 1))
    assert [pages[0].kind, pages[1].kind, pages[-1].kind] == ["front", "contents", "back"]
    assert {p.kind for p in pages[2:-1]} == {"section"}
    assert kinds(report, "overflow", "widow", "orphan") == []
    # A page no article ends on is full; an underfilled page is where a section ends.
    last_page_of = {}
    for page in document.pages:
        for anchor in set(page.anchors) & set(articles):
            last_page_of[anchor] = page
    ends = {id(page) for page in last_page_of.values()}
    full = [
        p
        for p, page in zip(pages, document.pages, strict=True)
        if p.kind == "section" and id(page) not in ends
    ]
    assert len(full) >= 5 and all(p.fill > 0.85 for p in full), [(p.number, p.fill) for p in full]
    assert all(p.kind == "section" and x.ends_section for p, x in report.problems("underfilled"))
    opened = [p.section for p in pages if p.opens and p.kind == "section"]
    assert len(opened) == len(set(opened)) and all(s.startswith("section-") for s in opened)


def test_the_sample_low_dpi_pictures_are_the_backends(sample_document) -> None:
    document, _, _ = sample_document
    wanted = {href for href, dpi in image_resolutions(document) if dpi < 300 - 0.5}
    report = preflight(document, print_ready=True, min_dpi=300)
    assert {problem.text for _, problem in report.problems("low_dpi")} == wanted


def test_the_sample_in_parts_merges_to_the_whole(sample_document) -> None:
    """Each part of the issue as its own Document (its pages, as a worker would have them),
    reported apart and merged: the same report as the whole issue's."""
    document, _, _ = sample_document
    starts = [
        i
        for i, page in enumerate(document.pages)
        if any(name == "page" for name, _ in page._page_box.style["counter_reset"])
    ]
    assert len(starts) >= 3
    bounds = [*starts, len(document.pages)]
    parts = [document.copy(document.pages[a:b]) for a, b in zip(bounds, bounds[1:], strict=False)]
    merged = LayoutReport.merge([preflight(part) for part in parts])
    assert replace(merged, seconds=0) == replace(preflight(document), seconds=0)


def test_the_report_costs_little_beside_the_layout(sample_document) -> None:
    document, layout_seconds, _ = sample_document
    preflight(document)  # warm
    seconds = min(preflight(document).seconds for _ in range(3))
    assert seconds < 0.05 * layout_seconds, (seconds, layout_seconds)
