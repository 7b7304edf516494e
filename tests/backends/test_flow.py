"""Section breaks as a house choice (issue 14, point 1): ``[pdf] section_start = "flow"`` lets
a section begin on the page where the one before ends when at least a third of it is left,
its title kept with its first article; an opener that would begin lower gets a page of its
own. The sections between the front pages and the back matter are then one part."""

from __future__ import annotations

import io
import re

import pytest
from lxml import html as lxml_html
from pypdf import PdfReader
from weasyprint import CSS, HTML

from exporter.backends.pdf.backend import PdfBackend
from exporter.backends.pdf.parts import FLOW_MIN_LEFT, STARTS_PAGE, settle, split
from exporter.pipeline import prepare
from exporter.render.pages import render
from exporter.render.theme import Theme
from exporter.source.models import PdfOptions

from ..conftest import EPOCH, SAMPLE, page_text


def rendition(**pdf: object):
    """The sample without its fillers nor a page multiple (flowing is measured with them in
    tests/backends/test_fillers.py)."""
    bulletin = prepare(SAMPLE, []).without_fillers()
    pdf = {"page_multiple": 1} | pdf
    bulletin = bulletin.model_copy(update={"pdf": bulletin.pdf.model_copy(update=pdf)})
    return bulletin, render(bulletin, Theme(), PdfBackend(), EPOCH)


@pytest.fixture(scope="module")
def flowing():
    """The sample with section_start = "flow", printed with one worker and with two."""
    bulletin, _ = rendition(section_start="flow")
    pdfs, backends = {}, {}
    for workers in (1, 2):
        backend = PdfBackend(workers=workers)
        pdfs[workers] = backend.build(render(bulletin, Theme(), backend, EPOCH))
        backends[workers] = backend
    return bulletin, pdfs, backends[2]


def test_the_default_is_a_page_for_each_section() -> None:
    assert PdfOptions().section_start == "page"
    _, page = rendition()
    parts = split(page.page("bulletin").html)
    assert parts is not None and len(parts) == 1 + 6 + 1


def test_flowing_sections_share_one_part() -> None:
    bulletin, page = rendition(section_start="flow")
    html = page.page("bulletin").html
    assert "sections-flow" in lxml_html.document_fromstring(html).get("class", "")
    parts = split(html)
    assert parts is not None and len(parts) == 3  # front pages, the sections, the index
    ids = re.findall(r'<section class="section" id="([^"]+)"', parts[1].html)
    assert ids == [f"section-{s.slug}" for s in bulletin.sections]
    assert "back-matter" in parts[2].html and "back-matter" not in parts[1].html


def test_the_sample_flows_onto_fewer_and_fuller_pages(flowing) -> None:
    _, pdfs, backend = flowing
    report = backend.layout_report
    assert report.page_count == 18  # 19 with a page for each section
    short = [page.fill for page, _ in report.problems("underfilled")]
    assert len(short) == 3 and min(short) >= 0.2  # 4 with a page each, one of them 12 % full
    # "Thể thao" begins under the end of "Văn hóa", headed by the section the page began with.
    text = page_text(pdfs[2], 15)
    assert re.search(r"NHỊP TUẦN\s+VĂN HÓA", text)
    title = re.search(r"^\s*Thể thao\s*$", text, re.MULTILINE)
    assert title is not None
    assert text.index("Theo Phóng viên tại Trà Vinh") < title.start()
    assert title.start() < text.index("Ghi bàn ở phút bù giờ")  # with its article


def test_every_opener_has_a_third_of_its_page_and_its_first_article(flowing) -> None:
    bulletin, pdfs, _ = flowing
    reader = PdfReader(io.BytesIO(pdfs[2]))
    destinations = reader.named_destinations
    for section in bulletin.sections:
        target = destinations[f"section-{section.slug}"]
        page = reader.get_destination_page_number(target)
        box = reader.pages[page].mediabox
        # From the top of the text area (20 mm) to its foot (18 mm above the edge).
        top, foot = float(box.top) - 20 * 72 / 25.4, 18 * 72 / 25.4
        left = (float(target.top) - foot) / (top - foot)
        assert left >= FLOW_MIN_LEFT or left > 0.97, (section.title, left)
        text = page_text(pdfs[2], page + 1)
        first = section.articles[0].title.split()[:3]
        assert " ".join(first) in " ".join(text.split()), section.title


def test_the_same_bytes_with_one_worker_and_two_and_the_one_process_pages(flowing) -> None:
    bulletin, pdfs, _ = flowing
    assert pdfs[1] == pdfs[2]
    backend = PdfBackend(workers=2)
    ua = backend.build(
        render(
            bulletin.model_copy(
                update={"pdf": bulletin.pdf.model_copy(update={"variant": "pdf/ua-1"})}
            ),
            Theme(),
            backend,
            EPOCH,
        )
    )
    assert len(PdfReader(io.BytesIO(ua)).pages) == 18
    for number in (5, 15, 16):
        assert page_text(ua, number) == page_text(pdfs[2], number)


# ---- settle, on a small page -------------------------------------------------------------

CSS_TEXT = """
@page { size: A6; margin: 10mm; }
body { margin: 0; font: 10pt/14pt serif; }
h1 { margin: 0; font-size: 14pt; line-height: 20pt; break-after: avoid; }
p { margin: 0; }
.section.starts-page { break-before: page; }
"""


def _section(name: str, lines: int) -> str:
    return (
        f'<section class="section" id="{name}"><h1>{name}</h1>'
        + "<p>dòng</p>" * lines
        + "</section>"
    )


def _layout(text: str):
    return HTML(string=text).render(stylesheets=[CSS(string=CSS_TEXT)])


def _starts(document) -> dict[str, tuple[int, float]]:
    found: dict[str, tuple[int, float]] = {}
    for number, page in enumerate(document.pages):
        box = page._page_box
        for name, (_, y, _, _) in page.anchors.items():
            found.setdefault(name, (number, (y - box.content_box_y()) / box.height))
    return found


@pytest.mark.parametrize(("first", "moved"), [(22, "b"), (12, "c")])
def test_an_opener_low_on_its_page_gets_a_page_of_its_own(first: int, moved: str) -> None:
    """A6's text area holds about 27 lines: after 22 lines and a title, or after 12 and the
    title and 4 lines of the next section, a third of the page is not left."""
    html = (
        '<html class="sections-flow"><body>'
        + _section("a", first)
        + _section("b", 4)
        + _section("c", 4)
        + "</body></html>"
    )
    final, document = settle(html, _layout, lambda d: d)
    marked = [
        e.get("id")
        for e in lxml_html.document_fromstring(final).iter("section")
        if STARTS_PAGE in e.get("class", "")
    ]
    assert marked == [moved]  # the one opener that would begin too low, no other
    starts = _starts(document)
    assert starts[moved] == (1, 0.0)  # at the top of the next page
    if moved == "b":
        assert starts["c"][0] == 1 and starts["c"][1] > 0.1  # the next one flows after it
    else:
        assert starts["b"][0] == 0 and starts["b"][1] < 1 - FLOW_MIN_LEFT  # a third was left
    # A part that does not flow is laid out as it is.
    plain = html.replace(' class="sections-flow"', "")
    assert settle(plain, _layout, lambda d: d)[0] == plain


@pytest.mark.parametrize(
    ("value", "expected"),
    [("flows", 'did you mean "flow"?'), ("Page", 'did you mean "page"?'), ("auto", "")],
)
def test_section_start_is_checked(value: str, expected: str) -> None:
    from pydantic import ValidationError

    with pytest.raises(ValidationError) as caught:
        PdfOptions(section_start=value)
    message = str(caught.value)
    assert 'is not "page" or "flow"' in message and expected in message
