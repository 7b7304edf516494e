"""A page count for the printer (issue 14, point 3): ``[pdf] page_multiple`` pads the issue to
the next multiple after layout, with "Ghi chú" pages (ruled, with running heads and folios) or
blank ones (counted, nothing printed), never by stretching text; the same PDF with one worker
or two, and in one process."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest
from pypdf import PdfReader

from exporter.backends.pdf.backend import PdfBackend
from exporter.backends.pdf.parts import Padding, padding, split
from exporter.pipeline import build, prepare
from exporter.render.pages import render
from exporter.render.theme import Theme

from ..conftest import EPOCH, SAMPLE, outline, page_text, sample_with_pdf

SAMPLE_PAGES = 19


def pdf_bytes(folder: Path, workers: int, theme: Path | None = None, **pdf: object) -> tuple:
    bulletin = prepare(folder, [])
    if pdf:
        bulletin = bulletin.model_copy(update={"pdf": bulletin.pdf.model_copy(update=pdf)})
    backend = PdfBackend(workers=workers)
    themes = Theme([theme] if theme else [])
    return backend.build(render(bulletin, themes, backend, EPOCH)), backend


@pytest.fixture(scope="module")
def notes(tmp_path_factory: pytest.TempPathFactory):
    """The sample with page_multiple = 4, built through bulletin.toml (PDF and EPUB)."""
    root = sample_with_pdf(tmp_path_factory.mktemp("notes") / "b", "page_multiple = 4")
    out = tmp_path_factory.mktemp("notes-out")
    report = build(root, out, source_date_epoch=EPOCH)
    return root, report.as_dict(), {o.format: o.path for o in report.outputs}


@pytest.fixture(scope="module")
def plain(tmp_path_factory: pytest.TempPathFactory):
    """The sample with no page multiple (its fillers placed alike): 19 pages."""
    root = sample_with_pdf(tmp_path_factory.mktemp("plain") / "b", "")
    report = build(root, tmp_path_factory.mktemp("plain-out"), source_date_epoch=EPOCH)
    return next(o for o in report.outputs if o.format == "pdf")


def test_the_sample_is_padded_to_twenty_pages_with_a_notes_page(notes, plain) -> None:
    _, report, paths = notes
    reader = PdfReader(paths["pdf"])
    assert len(PdfReader(plain.path).pages) == SAMPLE_PAGES
    assert len(reader.pages) == SAMPLE_PAGES + 1 == 20
    last = page_text(paths["pdf"], 20)
    # The title, the running heads (publication, the title as the section) and the folio.
    assert re.search(r"NHỊP TUẦN\s+GHI CHÚ", last) and "Ghi chú" in last and "Trang 20" in last
    assert len(last.split()) == 8  # and nothing else: no text of the issue moved there
    for number in range(1, SAMPLE_PAGES + 1):  # the issue's own pages are untouched
        assert page_text(paths["pdf"], number) == page_text(plain.path, number)


def test_the_build_report_says_a_page_was_added(notes) -> None:
    _, report, _ = notes
    (pdf,) = [o for o in report["outputs"] if o["format"] == "pdf"]
    assert pdf["pages_added"] == 1
    layout = report["layout"]
    assert layout["page_count"] == 20 and layout["pages_to_multiple_of_4"] == 0
    assert layout["page_multiple"] == 4 and layout["pages_added"] == 1
    last = layout["pages"][-1]
    assert last["number"] == 20 and last["title"] == "Ghi chú" and last["section"] == "padding"
    assert last["fill"] > 0.9 and not last["problems"]
    # The index is still the issue's last page of text: not reported as short.
    assert layout["pages"][-2]["kind"] == "back" and not layout["pages"][-2]["problems"]


def test_outline_links_and_page_labels_are_the_unpadded_issues(notes, plain) -> None:
    _, _, paths = notes
    padded, plain = PdfReader(paths["pdf"]), PdfReader(plain.path)
    assert outline(padded) == outline(plain)
    assert padded.named_destinations.keys() == plain.named_destinations.keys()
    assert padded.page_labels == [str(n) for n in range(1, 21)]


def test_the_e_book_has_no_page_for_the_padding(notes) -> None:
    import zipfile

    _, _, paths = notes
    with zipfile.ZipFile(paths["epub"]) as epub:
        nav = epub.read("EPUB/nav.xhtml").decode("utf-8")
    pages = [int(n) for n in re.findall(r'#trang-(\d+)"', nav)]
    assert pages and max(pages) <= SAMPLE_PAGES


def test_the_same_bytes_with_one_worker_two_and_in_one_process() -> None:
    one, backend = pdf_bytes(SAMPLE, 1, page_multiple=4)
    two, _ = pdf_bytes(SAMPLE, 2, page_multiple=4)
    assert one == two and len(PdfReader(io.BytesIO(one)).pages) == 20
    assert backend.stats["pages_added"] == backend.parts_report["pages_added"] == 1
    # The one-process layout (PDF/UA) pads alike and reports it alike.
    ua, joined = pdf_bytes(SAMPLE, 2, page_multiple=4, variant="pdf/ua-1")
    assert not joined.parts_report and joined.stats["pages_added"] == 1
    assert len(PdfReader(io.BytesIO(ua)).pages) == 20
    assert page_text(ua, 20) == page_text(one, 20)
    last = [b.layout_report.to_dict()["pages"][-1] for b in (joined, backend)]
    assert last[0] == last[1]


def test_blank_pages_are_counted_and_carry_nothing() -> None:
    data, backend = pdf_bytes(SAMPLE, 2, page_multiple=4, pad="blank")
    reader = PdfReader(io.BytesIO(data))
    assert len(reader.pages) == 20 and reader.page_labels[-1] == "20"
    assert page_text(data, 20).strip() == ""  # no running head, no folio
    assert "Trang 19" in page_text(data, 19)
    last = backend.layout_report.pages[-1]
    assert last.kind == "blank" and last.number == 20 and not last.problems


def test_two_and_one(tmp_path: Path) -> None:
    data, backend = pdf_bytes(SAMPLE, 1, page_multiple=2)
    assert len(PdfReader(io.BytesIO(data)).pages) == 20 and backend.stats["pages_added"] == 1
    root = sample_with_pdf(tmp_path / "b", "")
    html = render(prepare(root, []), Theme(), PdfBackend(), EPOCH).page("bulletin").html
    assert "padding" not in html and padding(html) is None  # page_multiple = 1: nothing asked


def test_several_notes_pages_on_a5() -> None:
    data, backend = pdf_bytes(SAMPLE, 2, page_multiple=8, page_size="A5")
    count = len(PdfReader(io.BytesIO(data)).pages)
    added = backend.stats["pages_added"]
    assert count % 8 == 0 and 1 <= added < 8
    for number in range(count - added + 1, count + 1):
        text = page_text(data, number)
        assert "Ghi chú" in text and f"Trang {number}" in text
    assert [p.number for p in backend.layout_report.pages[-added:]] == list(
        range(count - added + 1, count + 1)
    )


def test_a_theme_with_a_larger_title_gets_fewer_lines_not_more_pages(tmp_path: Path) -> None:
    (tmp_path / "styles").mkdir()
    css = (Path(__file__).parents[2] / "styles" / "print.css").read_text(encoding="utf-8")
    css += "\n.notes-title { font-size: 90pt; }\n"
    (tmp_path / "styles" / "print.css").write_text(css, encoding="utf-8")
    data, backend = pdf_bytes(SAMPLE, 1, tmp_path, page_multiple=4)
    assert len(PdfReader(io.BytesIO(data)).pages) == 20 and backend.stats["pages_added"] == 1
    assert backend.layout_report.pages[-1].fill > 0.9  # lines down to the foot, not beyond


def test_a_theme_template_without_padding_gets_blank_pages(tmp_path: Path) -> None:
    (tmp_path / "templates" / "pdf").mkdir(parents=True)
    (tmp_path / "templates" / "pdf" / "bulletin.html").write_text(
        '{% extends "base.html" %}{% block body %}{% for section in bulletin.sections %}'
        '{% for article in section.articles %}{% include "article.html" %}{% endfor %}'
        "{% endfor %}{% endblock %}",
        encoding="utf-8",
    )
    data, backend = pdf_bytes(SAMPLE, 1, tmp_path, page_multiple=4)
    count = len(PdfReader(io.BytesIO(data)).pages)
    added = backend.stats["pages_added"]
    assert count % 4 == 0 and added >= 1
    assert all(p.kind == "blank" for p in backend.layout_report.pages[-added:])


def test_the_padding_is_never_part_of_the_flow(tmp_path: Path) -> None:
    root = sample_with_pdf(tmp_path / "b", 'page_multiple = 4\npad = "notes"')
    html = render(prepare(root, []), Theme(), PdfBackend(), EPOCH).page("bulletin").html
    parts = split(html)
    assert parts is not None and all("padding" not in part.html for part in parts)
    found = padding(html)
    assert isinstance(found, Padding) and (found.multiple, found.kind) == (4, "notes")
    assert found.title == "Ghi chú" and found.lines > 20
    assert [found.needed(n) for n in (17, 18, 19, 20)] == [3, 2, 1, 0]
    assert found.part(3).count('class="padding pad-notes"') == 3
    assert found.part(1, 5).count('class="notes-line"') == 5
