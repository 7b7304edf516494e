"""Booklet imposition: saddle-stitch order, sheet size, blank pages, bleed, fold marks, metadata;
the sample imposed through the command line, its PDF unchanged."""

from __future__ import annotations

import io
import json
import subprocess
from pathlib import Path

import pikepdf
import pypdf
import pypdfium2 as pdfium
import pytest
from pikepdf import Array, Dictionary, Name, Pdf
from typer.testing import CliRunner

from exporter.backends.pdf.impose import (
    MM,
    TITLE_SUFFIX,
    impose_booklet,
    saddle_stitch_order,
)
from exporter.cli import app
from exporter.errors import UsageError
from exporter.pipeline import build

from ..conftest import EPOCH, SAMPLE

A4 = (595.2756, 841.8898)
A5 = (419.5276, 595.2756)
A3_LANDSCAPE = (1190.5512, 841.8898)


def numbered(
    count: int,
    size: tuple[float, float] = A4,
    *,
    bleed: float = 0.0,
    filled: frozenset[int] = frozenset(),
) -> bytes:
    """A PDF of ``count`` pages, each printing its number ("p7") in its middle; the pages in
    ``filled`` are painted black up to the bleed; with ``bleed``, a trim box inside the media
    box as a print-ready PDF has."""
    pdf = Pdf.new()
    width, height = size
    font = pdf.make_indirect(
        Dictionary(Type=Name.Font, Subtype=Name.Type1, BaseFont=Name.Helvetica)
    )
    for number in range(1, count + 1):
        paint = b""
        if number in filled:
            paint = (
                f"0 g {-bleed} {-bleed} {width + 2 * bleed} {height + 2 * bleed} re f 1 g ".encode()
            )
        text = f"BT /F1 36 Tf {width / 2 - 30} {height / 2} Td (p{number}) Tj ET".encode()
        media = Array([-bleed, -bleed, width + bleed, height + bleed])
        page = Dictionary(
            Type=Name.Page,
            MediaBox=media,
            Resources=Dictionary(Font=Dictionary(F1=font)),
            Contents=pdf.make_stream(paint + text),
        )
        if bleed:
            page.TrimBox = Array([0, 0, width, height])
            page.BleedBox = media
        pdf.pages.append(pikepdf.Page(page))
    pdf.docinfo[Name.Title] = "Nhịp Tuần – Số 47/2023"
    pdf.Root.Lang = pikepdf.String("vi")
    out = io.BytesIO()
    pdf.save(out, deterministic_id=True)
    return out.getvalue()


def halves(data: bytes) -> list[tuple[str, str]]:
    """The text on the left and on the right half of each side, spaces aside."""
    sides = []
    for page in pdfium.PdfDocument(data):
        width, height = page.get_size()
        text = page.get_textpage()
        sides.append(
            tuple(
                "".join(text.get_text_bounded(x0, 0, x1, height).split())
                for x0, x1 in ((0, width / 2), (width / 2, width))
            )
        )
    return sides


def expected(order: list[tuple[int | None, int | None]]) -> list[tuple[str, str]]:
    return [tuple(f"p{n}" if n else "" for n in side) for side in order]


def test_saddle_stitch_order_of_8_pages() -> None:
    assert saddle_stitch_order(8) == [(8, 1), (2, 7), (6, 3), (4, 5)]


@pytest.mark.parametrize("count", [8, 12, 16, 20, 40])
def test_saddle_stitch_order_puts_facing_pages_on_one_sheet(count: int) -> None:
    """Each page once; on every side the two pages add up to N + 1 (they face each other
    across the fold when the stack is folded), the odd page on the right on a front."""
    sides = saddle_stitch_order(count)
    assert len(sides) == count // 2
    assert sorted(n for side in sides for n in side) == list(range(1, count + 1))
    for i in range(count // 4):
        front, back = sides[2 * i], sides[2 * i + 1]
        assert front == (count - 2 * i, 2 * i + 1)
        assert back == (2 * i + 2, count - 2 * i - 1)
        assert sum(front) == sum(back) == count + 1


def test_saddle_stitch_order_pads_with_blanks_at_the_end() -> None:
    assert saddle_stitch_order(6) == [(None, 1), (2, None), (6, 3), (4, 5)]
    assert saddle_stitch_order(1) == [(None, 1), (None, None)]
    with pytest.raises(ValueError):
        saddle_stitch_order(0)


@pytest.mark.parametrize("count", [8, 12, 16])
def test_each_side_shows_its_two_pages(count: int) -> None:
    booklet = impose_booklet(numbered(count))
    assert (booklet.pages, booklet.blanks, booklet.sheets) == (count, 0, count // 4)
    assert halves(booklet.pdf) == expected(saddle_stitch_order(count))
    if count == 8:
        assert halves(booklet.pdf) == [("p8", "p1"), ("p2", "p7"), ("p6", "p3"), ("p4", "p5")]


@pytest.mark.parametrize(
    ("size", "sheet"),
    [
        (A4, A3_LANDSCAPE),  # A4 pages on A3
        (A5, (2 * A5[0], A5[1])),  # A5 on (nearly) A4: 296 × 210 mm
        ((170 * MM, 240 * MM), (340 * MM, 240 * MM)),  # any size: two pages wide, one high
    ],
)
def test_a_sheet_is_two_pages_wide_and_one_high(
    size: tuple[float, float], sheet: tuple[float, float]
) -> None:
    booklet = impose_booklet(numbered(4, size))
    assert booklet.sheet_size == pytest.approx(sheet, abs=0.5)
    for page in pypdf.PdfReader(io.BytesIO(booklet.pdf)).pages:
        assert (float(page.mediabox.width), float(page.mediabox.height)) == pytest.approx(
            sheet, abs=0.5
        )
        assert float(page.trimbox.width) == pytest.approx(sheet[0], abs=0.5)
    assert booklet.stats()["booklet_sheet_width_mm"] == round(sheet[0] / MM)


@pytest.mark.parametrize(("count", "blanks"), [(6, 2), (19, 1), (5, 3), (1, 3)])
def test_blank_pages_fill_the_last_sheet(count: int, blanks: int) -> None:
    booklet = impose_booklet(numbered(count))
    assert booklet.blanks == blanks
    assert booklet.stats()["booklet_blank_pages"] == blanks
    assert len(halves(booklet.pdf)) == (count + blanks) // 2 == booklet.sides
    assert halves(booklet.pdf) == expected(saddle_stitch_order(count))
    assert halves(booklet.pdf)[0] == ("", "p1")  # the last page, blank, beside the first


def test_the_booklet_opens_in_pypdf_and_passes_qpdf_check(tmp_path: Path) -> None:
    path = tmp_path / "booklet.pdf"
    path.write_bytes(impose_booklet(numbered(19, bleed=3 * MM)).pdf)
    reader = pypdf.PdfReader(path)
    assert len(reader.pages) == 10
    assert "p1" in reader.pages[0].extract_text()
    check = subprocess.run(["qpdf", "--check", str(path)], capture_output=True, text=True)
    assert check.returncode == 0, check.stdout + check.stderr
    assert "No syntax or stream encoding errors" in check.stdout


def test_the_booklet_is_deterministic_and_keeps_title_and_language() -> None:
    source = numbered(6)
    first, again = impose_booklet(source), impose_booklet(source)
    assert first.pdf == again.pdf
    with pikepdf.open(io.BytesIO(first.pdf)) as pdf:
        assert str(pdf.docinfo.Title) == "Nhịp Tuần – Số 47/2023" + TITLE_SUFFIX
        assert str(pdf.Root.Lang) == "vi"
        assert "/Metadata" not in pdf.Root
        assert "/ModDate" not in pdf.docinfo  # nothing of the time it was made
        assert "/CreationDate" not in pdf.docinfo
    assert impose_booklet(numbered(6, A5)).pdf != first.pdf


def _render(data: bytes, side: int, scale: float = 2.0):
    page = pdfium.PdfDocument(data)[side]
    return page.render(scale=scale, grayscale=True).to_pil(), scale


def test_print_ready_pages_keep_their_bleed_away_from_the_fold() -> None:
    """Sheet 1's back shows pages 2 (painted black with its bleed) and 3 (white): the black
    reaches the sheet's outer edge but stops at the fold."""
    bleed = 3 * MM
    booklet = impose_booklet(numbered(4, bleed=bleed, filled=frozenset({2})))
    with pikepdf.open(io.BytesIO(booklet.pdf)) as pdf:
        back = pdf.pages[1]
        assert [float(v) for v in back.trimbox] == pytest.approx(
            [bleed, bleed, bleed + 2 * A4[0], bleed + A4[1]], abs=0.01
        )
        assert [float(v) for v in back.mediabox] == pytest.approx(
            [0, 0, 2 * A4[0] + 2 * bleed, A4[1] + 2 * bleed], abs=0.01
        )
    assert booklet.sheet_size == pytest.approx(A3_LANDSCAPE, abs=0.5)
    image, scale = _render(booklet.pdf, 1)
    fold = round((bleed + A4[0]) * scale)
    middle = image.height // 2
    assert image.getpixel((1, middle)) < 50  # page 2's bleed on the sheet's left edge
    assert image.getpixel((fold - 3, middle)) < 50  # page 2 up to the fold
    assert image.getpixel((fold + 3, middle)) > 200  # not over page 3
    assert image.getpixel((1, 1)) < 50  # and into the corner's bleed
    front, _ = _render(booklet.pdf, 0)
    assert front.getpixel((fold // 2, middle)) > 200  # page 4, white


def test_fold_marks_at_the_top_and_bottom_of_the_fold() -> None:
    booklet = impose_booklet(numbered(1))  # the back of the one sheet is blank
    image, scale = _render(booklet.pdf, 1, scale=4.0)
    fold = round(A4[0] * scale)

    def darkest(y: int) -> int:
        return min(image.getpixel((x, y)) for x in range(fold - 2, fold + 3))

    mark = round(5 * MM * scale)
    for y in (2, mark - 4, image.height - 3, image.height - mark + 4):
        assert darkest(y) < 160, y  # a thin line across the fold at both edges
    for y in (mark + 6, image.height // 2, image.height - mark - 6):
        assert darkest(y) == 255, y  # short: the pages' text is left alone
    assert min(image.getpixel((x, 2)) for x in range(0, fold - 4)) == 255


# --- the sample, through the command line ---------------------------------------------------


@pytest.fixture(scope="module")
def imposed(tmp_path_factory: pytest.TempPathFactory, sample_build) -> dict:
    out = tmp_path_factory.mktemp("imposed")
    report = out / "report.json"
    result = CliRunner().invoke(
        app,
        ["build", str(SAMPLE), "-o", str(out), "-f", "pdf", "--impose", "booklet"]
        + ["--report", str(report)],
        env={"SOURCE_DATE_EPOCH": EPOCH},
    )
    assert result.exit_code == 0, result.output
    return {"out": out, "output": result.output, "report": json.loads(report.read_text())}


def test_the_sample_booklet_is_written_beside_the_pdf(imposed: dict) -> None:
    out: Path = imposed["out"]
    assert sorted(p.name for p in out.iterdir()) == [
        "nhip-tuan-2023-so-47-booklet.pdf",
        "nhip-tuan-2023-so-47.pdf",
        "report.json",
    ]
    outputs = imposed["report"]["outputs"]
    assert [o["format"] for o in outputs] == ["pdf", "booklet"]
    booklet = outputs[1]
    assert booklet["path"] == str(out / "nhip-tuan-2023-so-47-booklet.pdf")
    assert booklet["size"] == (out / "nhip-tuan-2023-so-47-booklet.pdf").stat().st_size
    assert booklet["booklet_pages"] == 20  # the sample is padded to a multiple of 4
    assert booklet["booklet_blank_pages"] == 0
    assert booklet["booklet_sheets"] == 5
    assert (booklet["booklet_sheet_width_mm"], booklet["booklet_sheet_height_mm"]) == (420, 297)
    assert "booklet: 20 pages; 5 sheets of 420 × 297 mm" in (imposed["output"])


def test_the_sample_pdf_is_the_same_with_and_without_a_booklet(imposed: dict, sample_build) -> None:
    pdf = imposed["out"] / "nhip-tuan-2023-so-47.pdf"
    assert pdf.read_bytes() == sample_build.pdf.read_bytes()


def test_the_sample_booklet_shows_the_pages_in_saddle_stitch_order(imposed: dict) -> None:
    data = (imposed["out"] / "nhip-tuan-2023-so-47-booklet.pdf").read_bytes()
    source = pdfium.PdfDocument(imposed["out"] / "nhip-tuan-2023-so-47.pdf")
    pages = ["".join(page.get_textpage().get_text_range().split()) for page in source]
    sides = halves(data)
    assert len(sides) == 10
    assert sides[0] == (pages[19], pages[0])  # page 20 ("Ghi chú") and page 1, the front page
    assert pages[0] and all(pages)  # the front page's text on the right; no page is empty
    order = saddle_stitch_order(20)
    assert sides == [tuple(pages[n - 1] if n else "" for n in side) for side in order]
    with pikepdf.open(io.BytesIO(data)) as pdf:
        assert str(pdf.docinfo.Title) == "Nhịp Tuần – Số 47/2023 – bản in gập"
        assert str(pdf.Root.Lang) == "vi"


def test_a_booklet_needs_the_pdf(tmp_path: Path) -> None:
    result = CliRunner().invoke(
        app, ["build", str(SAMPLE), "-o", str(tmp_path), "-f", "epub", "--impose", "booklet"]
    )
    assert result.exit_code == 2
    assert "add -f pdf" in result.output
    bad = CliRunner().invoke(app, ["build", str(SAMPLE), "-o", str(tmp_path), "--impose", "zine"])
    assert bad.exit_code == 2
    with pytest.raises(UsageError, match="needs the PDF"):
        build(SAMPLE, tmp_path, formats=["epub"], impose="booklet")
    with pytest.raises(UsageError, match="unknown imposition"):
        build(SAMPLE, tmp_path, formats=["pdf"], impose="zine")
    assert list(tmp_path.iterdir()) == []
