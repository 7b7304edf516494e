"""Booklet imposition: the issue's pages two-up on sheets, in saddle-stitch order (pikepdf).

A printer prints each sheet on both sides, stacks the sheets in order, folds the stack in the
middle and staples it on the fold: the issue reads in order. For N pages (N a multiple of 4;
blank pages are added at the end otherwise) sheet i (0-based) shows, left and right,

    front: N - 2i, 2i + 1        back: 2i + 2, N - 2i - 1

e.g. 8 pages: (8, 1), (2, 7), (6, 3), (4, 5). The booklet's pages are the sides in that order
(front, back, front, back …), so the file prints duplex, flipped on the short edge.

- A sheet is two pages wide and one high: A4 pages on A3 landscape, A5 on A4, any size on
  twice its width. Each page is drawn whole (a form XObject of its content), its trim box
  against the fold.
- Print-ready pages (a bleed box larger than the trim box) keep their bleed on the three sides
  away from the fold (and with it WeasyPrint's crop marks, which fall on the sheet's corners);
  the sheet's trim box is the two pages' and its media box adds the bleed around.
- The fold mark: a 0.25 pt black line across the fold at the top and the bottom edge of every
  side, outside the pages' text: in the bleed when there is one (cut off with it), otherwise
  5 mm long from the sheet's edge into the pages' top and bottom margins, where the fold
  hides it.
- Links, bookmarks, named destinations and the structure tree are not carried over (a
  printer's file); the document information is, with " – bản in gập" after the title, and the
  language. The bytes depend only on the input's: the file identifier comes from the content.
"""

from __future__ import annotations

import io
from dataclasses import dataclass

import pikepdf
from pikepdf import Array, Dictionary, Name, Pdf, String

MM = 72 / 25.4  # points per millimetre
FOLD_MARK_LENGTH = 5 * MM  # without bleed: into the top and bottom margins
FOLD_MARK_WIDTH = 0.25
TITLE_SUFFIX = " – bản in gập"

Side = tuple[int | None, int | None]  # 1-based page numbers (left, right); None: blank


def saddle_stitch_order(pages: int) -> list[Side]:
    """The sides of a booklet of ``pages`` pages, in print order (front, back, front …):
    (left, right) page numbers, None for a blank page added to reach a multiple of 4."""
    if pages < 1:
        raise ValueError("a booklet needs at least one page")
    n = -(-pages // 4) * 4

    def page(number: int) -> int | None:
        return number if number <= pages else None

    sides: list[Side] = []
    for i in range(n // 4):
        sides.append((page(n - 2 * i), page(2 * i + 1)))
        sides.append((page(2 * i + 2), page(n - 2 * i - 1)))
    return sides


@dataclass(frozen=True)
class Booklet:
    """The booklet's PDF and what went into it."""

    pdf: bytes
    pages: int  # the input's pages
    blanks: int  # blank pages added at the end (to a multiple of 4)
    sheets: int  # sheets of paper, each printed on both sides
    sheet_size: tuple[float, float]  # a sheet's trim size in points (width, height)

    @property
    def sides(self) -> int:
        return 2 * self.sheets

    def stats(self) -> dict[str, int]:
        """For the build report."""
        width, height = self.sheet_size
        return {
            "booklet_pages": self.pages,
            "booklet_blank_pages": self.blanks,
            "booklet_sheets": self.sheets,
            "booklet_sheet_width_mm": round(width / MM),
            "booklet_sheet_height_mm": round(height / MM),
        }


@dataclass(frozen=True)
class _Box:
    left: float
    bottom: float
    right: float
    top: float

    @classmethod
    def of(cls, array: Array) -> _Box:
        x0, y0, x1, y1 = (float(v) for v in array)
        return cls(min(x0, x1), min(y0, y1), max(x0, x1), max(y0, y1))

    @property
    def width(self) -> float:
        return self.right - self.left

    @property
    def height(self) -> float:
        return self.top - self.bottom

    def meet(self, other: _Box) -> _Box:
        return _Box(
            max(self.left, other.left),
            max(self.bottom, other.bottom),
            min(self.right, other.right),
            min(self.top, other.top),
        )


def impose_booklet(pdf: bytes, *, title_suffix: str = TITLE_SUFFIX) -> Booklet:
    """The booklet of ``pdf``: its pages in saddle-stitch order, two on each side of a sheet
    twice the page's width, with fold marks; blank pages added at the end to a multiple of 4.
    Deterministic: the same input gives the same bytes."""
    source = pikepdf.open(io.BytesIO(pdf))
    count = len(source.pages)
    if count == 0:
        raise ValueError("the PDF has no pages")
    trims: list[_Box] = []
    shown: list[_Box] = []  # what is drawn of each page: its bleed box (within the media box)
    for page in source.pages:
        media = _Box.of(page.mediabox)
        trim = _Box.of(page.trimbox).meet(media)
        trims.append(trim)
        shown.append(_Box.of(page.bleedbox).meet(media).meet(_Box.of(page.cropbox)))
    width = max(trim.width for trim in trims)
    height = max(trim.height for trim in trims)
    bleed = max(
        max(
            trim.left - box.left,
            trim.bottom - box.bottom,
            box.right - trim.right,
            box.top - trim.top,
        )
        for trim, box in zip(trims, shown, strict=True)
    )
    bleed = max(0.0, round(bleed, 4))

    booklet = Pdf.new()
    forms = []
    for page, box in zip(source.pages, shown, strict=True):
        form = page.as_form_xobject(handle_transformations=False)
        form.BBox = Array([box.left, box.bottom, box.right, box.top])
        forms.append(booklet.copy_foreign(form))

    sheet = _Box(0.0, 0.0, 2 * width + 2 * bleed, height + 2 * bleed)
    trim_box = _Box(bleed, bleed, bleed + 2 * width, bleed + height)
    fold = bleed + width
    middle = bleed + height / 2
    sides = saddle_stitch_order(count)
    for left, right in sides:
        xobjects = Dictionary()
        ops: list[str] = []
        for number, name, on_left in ((left, "/L", True), (right, "/R", False)):
            if number is None:
                continue
            trim, box = trims[number - 1], shown[number - 1]
            dx = fold - (trim.right if on_left else trim.left)
            dy = middle - (trim.bottom + trim.top) / 2
            clip = _Box(
                fold if not on_left else box.left + dx,
                box.bottom + dy,
                fold if on_left else box.right + dx,
                box.top + dy,
            ).meet(sheet)
            xobjects[name] = forms[number - 1]
            ops.append(
                f"q {_n(clip.left)} {_n(clip.bottom)} {_n(clip.width)} {_n(clip.height)} re W n "
                f"1 0 0 1 {_n(dx)} {_n(dy)} cm {name} Do Q"
            )
        mark = bleed if bleed > 0 else FOLD_MARK_LENGTH
        ops.append(
            f"q 0 G {_n(FOLD_MARK_WIDTH)} w 0 J [] 0 d "
            f"{_n(fold)} {_n(sheet.top)} m {_n(fold)} {_n(sheet.top - mark)} l S "
            f"{_n(fold)} 0 m {_n(fold)} {_n(mark)} l S Q"
        )
        contents = pikepdf.Stream(booklet, "\n".join(ops).encode("ascii") + b"\n")
        booklet.pages.append(
            pikepdf.Page(
                Dictionary(
                    Type=Name.Page,
                    MediaBox=_array(sheet),
                    BleedBox=_array(sheet),
                    TrimBox=_array(trim_box),
                    Resources=Dictionary(XObject=xobjects),
                    Contents=booklet.make_indirect(contents),
                )
            )
        )
    _metadata(booklet, source, title_suffix)
    out = io.BytesIO()
    booklet.save(
        out,
        min_version=str(source.pdf_version),
        object_stream_mode=pikepdf.ObjectStreamMode.generate,
        compress_streams=True,
        stream_decode_level=pikepdf.StreamDecodeLevel.none,
        deterministic_id=True,
        fix_metadata_version=False,
    )
    return Booklet(
        pdf=out.getvalue(),
        pages=count,
        blanks=2 * len(sides) - count,
        sheets=len(sides) // 2,
        sheet_size=(trim_box.width, trim_box.height),
    )


def _metadata(booklet: Pdf, source: Pdf, title_suffix: str) -> None:
    """The input's document information, its title marked as the booklet, and its language."""
    info = source.trailer.get("/Info")
    if isinstance(info, Dictionary):
        copied = Dictionary()
        for key, value in info.items():
            if value.is_indirect:
                value = booklet.copy_foreign(value)
            copied[key] = String(bytes(value)) if isinstance(value, String) else value
        title = copied.get("/Title")
        if title is not None and title_suffix:
            copied.Title = String(str(title) + title_suffix)
        booklet.trailer.Info = booklet.make_indirect(copied)
    if "/Lang" in source.Root:
        booklet.Root.Lang = String(str(source.Root.Lang))


def _array(box: _Box) -> Array:
    return Array([_rounded(v) for v in (box.left, box.bottom, box.right, box.top)])


def _rounded(value: float) -> float | int:
    value = round(value, 4)
    return int(value) if value == int(value) else value


def _n(value: float) -> str:
    """A number in a content stream: at most four decimals, no trailing zeros."""
    text = f"{value:.4f}".rstrip("0").rstrip(".")
    return "0" if text in ("-0", "") else text
