"""The layout report (preflight): what a print editor checks before an issue goes to press.

Read from WeasyPrint's laid-out boxes (``Document.pages[i]._page_box``), so it needs no second
layout and no PDF: one walk over the boxes, about 1 % of the layout's time. For each page: its
folio, what it holds (front page, contents, a section, the back matter), how full it is, and
its problems:

- ``underfilled``: a page of the flow (a section, the back matter, any page of a theme's own
  template) under 60 % full that is not the issue's last page; the front page and the
  contents are as long as their design makes them. A section's last page counts: white space
  there is what an editor fills (issue 14), and the report says when a page ends a section.
- ``widow`` / ``orphan``: a body paragraph split across columns or pages leaving a single line
  alone at the top (widow) or the bottom (orphan) of a column.
- ``overflow``: a box reaching beyond its column's or the page's text area (right or bottom
  edge) by more than 0.5 pt: a long unbreakable word or URL, a too-wide table or picture. It
  prints over the gutter, the next column or the margin; ``--strict`` fails on it.
- ``low_dpi`` (print-ready builds): a picture with fewer pixels than the printer needs where
  it is printed.

Fill is the share of the page's text area used, column by column: the text area (the page's
content box) is split into the columns of its widest multi-column region (one lane when it
has none); a lane is used from the top of the text area down to the lowest bottom of what is
drawn in it (lines, pictures, the borders and padding of boxes; a full-width headline or
picture is in every lane), plus the footnote area's height; fill is the mean over the lanes.
A full page is 1.0; one column full and the other empty is 0.5; gaps between blocks count as
used, white space at the foot of a column does not.

With the parts laid out in worker processes (Documents cannot be pickled, a LayoutReport can),
compute one report per part's Document where it is laid out and join them in page order with
:meth:`LayoutReport.merge`: pages are re-indexed and ``underfilled``, which needs to know the
issue's last page, is worked out again. Folios come from each page's own page counter, which
the parts' ``@page :first { counter-reset: page N }`` sets; a part refitted to another start
(refit.py) keeps its provisional counters, so pass its true start as ``first_page``.
"""

from __future__ import annotations

import re
import time
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import asdict, dataclass, field, replace
from typing import TYPE_CHECKING, Literal

from weasyprint.formatting_structure import boxes

if TYPE_CHECKING:
    from xml.etree import ElementTree

    from weasyprint import Document

ProblemKind = Literal["underfilled", "widow", "orphan", "overflow", "low_dpi"]
PageRole = Literal["front", "contents", "section", "back", "other", "blank"]

MIN_FILL = 0.6  # a page of the flow below this is reported (not the last page)
MIN_DPI = 300
OVERFLOW_PT = 0.5  # beyond an edge by more than this is an overflow (rounding stays below)
PX_PER_PT = 96 / 72  # WeasyPrint's boxes are in CSS pixels
SHEET = 4  # saddle-stitched issues are printed in sheets of four pages
BODY = "article-body"  # paragraphs in here are checked for widows and orphans
# What the print template's top-level blocks are, the first one found naming a page's kind.
PARTS: tuple[tuple[str, PageRole], ...] = (
    ("front-page", "front"),
    ("contents-page", "contents"),
    ("back-matter", "back"),  # before "section": the back matter is also a .section
    ("section", "section"),
)
FLOW: frozenset[str] = frozenset({"section", "back", "other", "blank"})  # may be underfilled
WORDS = 6  # words of a paragraph quoted in a problem
LABELS: dict[str, str] = {  # in the command line's totals
    "underfilled": "underfilled page",
    "widow": "widow",
    "orphan": "orphan",
    "overflow": "overflow",
    "low_dpi": "low-dpi picture",
}


@dataclass(frozen=True)
class Problem:
    """One thing to fix on a page; the fields that do not apply to its kind are None."""

    kind: ProblemKind
    message: str  # for people: the command line, the preview
    element: str | None = None  # id of the source element, or its nearest ancestor with one
    text: str | None = None  # a paragraph's first words, what overflows, a picture's href
    column: int | None = None  # widow, orphan: the column (1, 2, ...) on the page
    edge: Literal["right", "bottom"] | None = None  # overflow
    points: float | None = None  # overflow: how far beyond the edge, in pt
    dpi: float | None = None  # low_dpi
    fill: float | None = None  # underfilled
    ends_section: bool | None = None  # underfilled: the next page opens a new section

    def to_dict(self) -> dict[str, object]:
        return {k: v for k, v in asdict(self).items() if v is not None}


@dataclass(frozen=True)
class PageReport:
    index: int  # position in the PDF, from 0
    number: int  # the folio printed on it (its page counter)
    kind: PageRole
    section: str | None  # id of the top-level block its content starts in ("section-...")
    opens: bool  # that block starts on this page (a new section begins here)
    fill: float  # 0..1, see the module's docstring
    columns: int  # lanes the fill is averaged over
    problems: tuple[Problem, ...] = ()
    title: str | None = None  # the section's title as printed, to name it to people

    def to_dict(self) -> dict[str, object]:
        data: dict[str, object] = {k: v for k, v in asdict(self).items() if k != "problems"}
        data["problems"] = [p.to_dict() for p in self.problems]
        return data


@dataclass(frozen=True)
class LayoutReport:
    pages: tuple[PageReport, ...]
    print_ready: bool = False
    min_dpi: int = MIN_DPI
    min_fill: float = MIN_FILL
    seconds: float = 0.0  # time spent computing it

    @property
    def page_count(self) -> int:
        return len(self.pages)

    @property
    def pages_to_multiple_of_4(self) -> int:
        """Blank pages a saddle-stitched issue would need (0 when it is a whole sheet)."""
        return -self.page_count % SHEET

    def problems(self, *kinds: ProblemKind) -> Iterator[tuple[PageReport, Problem]]:
        """Every problem with its page, in page order; only the given kinds if any."""
        for page in self.pages:
            for problem in page.problems:
                if not kinds or problem.kind in kinds:
                    yield page, problem

    @property
    def has_overflow(self) -> bool:
        """What ``--strict`` fails on."""
        return any(True for _ in self.problems("overflow"))

    def counts(self) -> dict[str, int]:
        counts = dict.fromkeys(LABELS, 0)
        for _, problem in self.problems():
            counts[problem.kind] += 1
        return counts

    def to_dict(self) -> dict[str, object]:
        """JSON-ready, for the build report and the preview."""
        return {
            "page_count": self.page_count,
            "pages_to_multiple_of_4": self.pages_to_multiple_of_4,
            "print_ready": self.print_ready,
            "min_dpi": self.min_dpi,
            "min_fill": self.min_fill,
            "seconds": round(self.seconds, 4),
            "problems": self.counts(),
            "pages": [page.to_dict() for page in self.pages],
        }

    @classmethod
    def merge(cls, reports: Sequence[LayoutReport]) -> LayoutReport:
        """The reports of an issue's parts, in page order, as one: pages re-indexed from 0,
        ``underfilled`` worked out again now that the issue's last page is known."""
        if not reports:
            return cls(())
        first = reports[0]
        return _assembled(
            [page for report in reports for page in report.pages],
            print_ready=any(r.print_ready for r in reports),
            min_dpi=first.min_dpi,
            min_fill=first.min_fill,
            seconds=sum(r.seconds for r in reports),
        )


def preflight(
    document: Document,
    *,
    first_page: int | None = None,
    print_ready: bool = False,
    min_dpi: int = MIN_DPI,
    min_fill: float = MIN_FILL,
) -> LayoutReport:
    """The layout report of a laid-out document (a whole issue or one part of it).

    Folios are read from the pages' counters; ``first_page`` gives the first page's folio
    when they cannot tell it: a part moved to its true start without a new layout (refit)
    keeps the counter-reset of its provisional start in its page style.
    """
    started = time.perf_counter()
    fragments: dict[int, list[_Fragment]] = {}  # id(<p> element) -> its pieces, in order
    seen: set[int] = set()  # top-level blocks already met: a page where one is new opens it
    counter, shift = 0, 0
    walks = []
    for index, page in enumerate(document.pages):
        box = page._page_box
        counter = _folio(box, counter)
        if index == 0 and first_page is not None:
            shift = first_page - counter
        walk = _PageWalk(box, index, fragments, print_ready, min_dpi)
        walk.run()
        opens = walk.part is not None and id(walk.part) not in seen
        if walk.part is not None:
            seen.add(id(walk.part))
        walks.append((walk, counter + shift, opens))
    extra = _split_paragraph_problems(fragments)
    pages = [
        PageReport(
            index=walk.index,
            number=number,
            kind=walk.kind,
            section=walk.section,
            title=walk.title,
            opens=opens,
            fill=round(walk.fill(), 3),
            columns=len(walk.lanes()),
            problems=tuple(extra.get(walk.index, [])) + tuple(walk.problems),
        )
        for walk, number, opens in walks
    ]
    return _assembled(
        pages,
        print_ready=print_ready,
        min_dpi=min_dpi,
        min_fill=min_fill,
        seconds=time.perf_counter() - started,
    )


def page_rooms(document: Document) -> list[tuple[float, float]]:
    """Each page's fill and room (:meth:`_PageWalk.room`): where fillers could go."""
    rooms = []
    for index, page in enumerate(document.pages):
        walk = _PageWalk(page._page_box, index, {}, False, MIN_DPI)
        walk.run()
        rooms.append((round(walk.fill(), 4), round(walk.room(), 4)))
    return rooms


def filler_sizes(document: Document) -> tuple[dict[str, float], float]:
    """The share of the text area's height each filler takes (by its article's id; 1.0 when
    it does not fit on a page), laid out by ``fillers.measuring_part``; and the share one line
    of body text takes."""
    sizes: dict[str, float] = {}
    lines: list[float] = []

    def walk(box: boxes.Box, owner: str | None, height: float) -> None:
        if owner is None and "filler" in _classes(box) and box.element.get("id"):
            owner = box.element.get("id")
            share = box.margin_height() / height
            sizes[owner] = 1.0 if owner in sizes else share  # on two pages: too long
        if isinstance(box, boxes.LineBox):
            if owner is not None and box.element is not None and box.element.tag == "p":
                lines.append(box.height / height)
            return
        for child in getattr(box, "children", None) or []:
            walk(child, owner, height)

    for page in document.pages:
        walk(page._page_box, None, page._page_box.height or 1.0)
    lines.sort()
    return sizes, lines[len(lines) // 2] if lines else 0.0


def format_table(report: LayoutReport, *, all_pages: bool = False) -> list[str]:
    """A short table for the command line: the pages with problems (all with ``all_pages``),
    then one line of totals. The library never prints: the CLI does."""
    lines = []
    rows = [p for p in report.pages if all_pages or p.problems]
    if rows:
        lines.append(f"{'page':>5}  {'kind':<8}  {'fill':>4}  problem")
    for page in rows:
        head = f"{page.number:>5}  {page.kind:<8}  {page.fill:>4.0%}"
        messages = [f"{p.kind}: {p.message}" for p in page.problems] or [""]
        lines.append(f"{head}  {messages[0]}".rstrip())
        lines.extend(f"{'':>5}  {'':<8}  {'':>4}  {m}" for m in messages[1:])
    found = ", ".join(_count(n, LABELS[kind]) for kind, n in report.counts().items() if n)
    spare = report.pages_to_multiple_of_4
    sheets = f"{_count(spare, 'blank page')} short of a" if spare else "a"
    lines.append(
        f"{_count(report.page_count, 'page')} ({sheets} multiple of 4); "
        f"{found or 'no layout problems'}"
    )
    return lines


def _count(n: int, label: str) -> str:
    return f"{n} {label}{'' if n == 1 else 's'}"


# ---- the issue as a whole: underfilled pages ---------------------------------------------


def _assembled(
    pages: Iterable[PageReport],
    *,
    print_ready: bool,
    min_dpi: int,
    min_fill: float,
    seconds: float,
) -> LayoutReport:
    """Pages numbered in order, with ``underfilled`` worked out from their neighbours."""
    pages = [
        replace(p, index=i, problems=tuple(x for x in p.problems if x.kind != "underfilled"))
        for i, p in enumerate(pages)
    ]
    for i, page in enumerate(pages[:-1]):
        if page.fill < min_fill and page.kind in FLOW:
            following = pages[i + 1]
            ends = following.opens  # the next page starts a section (or the back matter)
            name = f'section "{page.title}"' if page.title else page.section or "a section"
            where = f" (end of {name})" if ends else ""
            problem = Problem(
                "underfilled",
                f"{page.fill:.0%} full{where}",
                element=page.section,
                fill=page.fill,
                ends_section=ends,
            )
            pages[i] = replace(page, problems=(problem, *page.problems))
    return LayoutReport(
        tuple(pages),
        print_ready=print_ready,
        min_dpi=min_dpi,
        min_fill=min_fill,
        seconds=seconds,
    )


def _folio(page_box: boxes.PageBox, previous: int) -> int:
    """The page counter on this page, as WeasyPrint works it out for ``counter(page)``: reset,
    set, then incremented (by 1 unless the page's style touches the counter)."""
    style = page_box.style
    value, touched = previous, False
    for prop in ("counter_reset", "counter_set"):
        for name, number in _counters(style[prop]):
            if name == "page":
                value, touched = number, True
    increments = [(n, v) for n, v in _counters(style["counter_increment"]) if n == "page"]
    for _, number in increments:
        value += number
    if not touched and not increments:
        value += 1
    return value


def _counters(value: object) -> Iterable[tuple[str, int]]:
    return value if isinstance(value, tuple | list) else ()


# ---- widows and orphans --------------------------------------------------------------------


@dataclass
class _Fragment:
    page: int  # index in the document
    column: int | None
    lines: int
    element: str | None
    text: str


def _lines(box: boxes.Box) -> int:
    """Line boxes of a paragraph fragment, through anonymous blocks (a drop cap's float has
    its own line, which is not one of the paragraph's)."""
    count = 0
    for child in getattr(box, "children", ()):
        if isinstance(child, boxes.LineBox):
            count += 1
        elif isinstance(child, boxes.BlockContainerBox) and child.is_in_normal_flow():
            count += _lines(child)
    return count


def _split_paragraph_problems(fragments: dict[int, list[_Fragment]]) -> dict[int, list[Problem]]:
    """Page index -> widows and orphans, from each paragraph's fragments in order."""
    found: dict[int, list[Problem]] = {}
    for all_pieces in fragments.values():
        pieces = [piece for piece in all_pieces if piece.lines]  # not an empty fragment
        if len(pieces) < 2:
            continue
        last = len(pieces) - 1
        for i, piece in enumerate(pieces):
            if piece.lines != 1:
                continue
            kinds: list[ProblemKind] = []
            if i < last:
                kinds.append("orphan")  # first line(s) left at a column's foot
            if i > 0:
                kinds.append("widow")  # the rest carried to a column's top
            for kind in kinds:
                place = "foot" if kind == "orphan" else "top"
                where = f"column {piece.column}" if piece.column else "the page"
                found.setdefault(piece.page, []).append(
                    Problem(
                        kind,
                        f'one line alone at the {place} of {where}: "{piece.text}"'
                        + (f" ({piece.element})" if piece.element else ""),
                        element=piece.element,
                        text=piece.text,
                        column=piece.column,
                    )
                )
    return found


def _text(element: ElementTree.Element) -> str:
    """An element's text; a line break is a space (a drop cap's letter stays in its word)."""
    parts = [element.text or ""]
    for child in element:
        parts.append(" " if child.tag == "br" else _text(child))
        parts.append(child.tail or "")
    return "".join(parts)


def _first_words(element: ElementTree.Element, words: int = WORDS) -> str:
    all_words = _text(element).split()
    return " ".join(all_words[:words]) + ("…" if len(all_words) > words else "")


def _href(href: str) -> str:
    """A picture's address as a person reads it (not a whole data: URL)."""
    return href.split(",", 1)[0][:40] + ",…" if href.startswith("data:") else href


# ---- one page ------------------------------------------------------------------------------


def _title_of(element: object) -> str | None:
    """The printed title of a section (its first heading), for messages."""
    for child in element.iter():  # type: ignore[attr-defined]
        if isinstance(child.tag, str) and re.match(r"h[1-6]$", child.tag.split("}")[-1]):
            text = " ".join("".join(child.itertext()).split())
            return text or None
    return None


def _classes(box: boxes.Box) -> list[str]:
    element = box.element
    return (element.get("class") or "").split() if element is not None else []


def _number(value: object) -> float:
    return value if isinstance(value, int | float) else 0.0


def _right(box: boxes.Box) -> float:
    """Right edge of the border box (text boxes and line boxes have no borders: width)."""
    return (
        _number(box.position_x)
        + _number(getattr(box, "margin_left", 0))
        + _number(getattr(box, "border_left_width", 0))
        + _number(getattr(box, "padding_left", 0))
        + _number(box.width)
        + _number(getattr(box, "padding_right", 0))
        + _number(getattr(box, "border_right_width", 0))
    )


def _top(box: boxes.Box) -> float:
    return _number(box.position_y) + _number(getattr(box, "margin_top", 0))


def _bottom(box: boxes.Box) -> float:
    return (
        _top(box)
        + _number(getattr(box, "border_top_width", 0))
        + _number(getattr(box, "padding_top", 0))
        + _number(box.height)
        + _number(getattr(box, "padding_bottom", 0))
        + _number(getattr(box, "border_bottom_width", 0))
    )


def _draws(box: boxes.Box) -> bool:
    """Whether an empty box shows: a height of its own, a border, padding or a background."""
    return (
        box.style["height"] != "auto"
        or getattr(box, "background", None) is not None
        or any(
            _number(getattr(box, name, 0)) > 0
            for name in ("border_top_width", "border_bottom_width", "padding_top", "padding_bottom")
        )
    )


def _left(box: boxes.Box) -> float:
    return _number(box.position_x) + _number(getattr(box, "margin_left", 0))


@dataclass
class _PageWalk:
    """One walk over a page's boxes, collecting what the report needs."""

    page: boxes.PageBox
    index: int
    fragments: dict[int, list[_Fragment]]
    print_ready: bool
    min_dpi: int
    pieces: list[tuple[float, float, float]] = field(default_factory=list)  # left, right, bottom
    multicols: dict[int, tuple[boxes.Box, list[tuple[float, float]]]] = field(default_factory=dict)
    problems: list[Problem] = field(default_factory=list)
    pictures: dict[str, tuple[float, str | None]] = field(default_factory=dict)
    part: object | None = None  # the element of the page's first top-level block
    kind: PageRole = "blank"
    section: str | None = None
    title: str | None = None  # that block's title as printed ("Thời sự")
    footnotes: float = 0.0  # height of the footnote area

    def run(self) -> None:
        page = self.page
        self.left, self.top = page.content_box_x(), page.content_box_y()
        self.right, self.bottom = self.left + page.width, self.top + page.height
        frame = (self.right, self.bottom)
        for child in page.children:
            if isinstance(child, boxes.MarginBox):
                continue  # running heads and folios, outside the text area
            if isinstance(child, boxes.FootnoteAreaBox):
                if child.children:
                    self.footnotes = child.margin_height()
                    kept = len(self.pieces)
                    self.visit(child, frame, None, False, None, True, False)
                    del self.pieces[kept:]  # counted by its height, not its position
                continue
            self.visit(child, frame, None, False, None, True, False)
        if self.kind == "blank" and self.pieces:
            self.kind = "other"
        if self.print_ready:
            for href, (dpi, element) in self.pictures.items():
                if dpi < self.min_dpi - 0.5:
                    self.problems.append(
                        Problem(
                            "low_dpi",
                            f"{href} printed at {dpi:.0f} dpi, below {self.min_dpi}",
                            element=element,
                            text=href,
                            dpi=round(dpi, 1),
                        )
                    )

    def visit(
        self,
        box: boxes.Box,
        frame: tuple[float, float],
        owner: str | None,
        body: bool,
        column: int | None,
        check: bool,
        in_paragraph: bool,
    ) -> tuple[float | None, bool]:
        """Record what ``box`` holds; return the bottom of what it draws (None if nothing)
        and whether it holds columns (its own bottom then says nothing about each lane)."""
        if getattr(box, "_box", None) is not None or box.is_absolutely_positioned():
            return None, False  # positioned boxes (outside list markers): not in the flow
        if (
            not isinstance(box, boxes.ReplacedBox)
            and not getattr(box, "children", None)
            and not _draws(box)
        ):
            # Nothing to see: the <html> and <body> of a blank page, or a paragraph's empty
            # fragment, which WeasyPrint may leave in a zero-height column row at a page's
            # foot and stretch down to it (both met on real pages).
            return None, False
        element = box.element
        if element is not None:
            owner = element.get("id") or owner
            classes = _classes(box)
            body = body or BODY in classes
            if self.part is None:
                for name, kind in PARTS:
                    if name in classes:
                        self.part, self.kind, self.section = element, kind, element.get("id")
                        self.title = _title_of(element)
                        break
        # The outermost box reaching beyond the right edge is the one to report (its
        # descendants reach as far). Below the bottom, only what has no blocks inside: a box
        # grows with its children, so the <html> of a page with too tall a picture does too.
        leaf = isinstance(box, boxes.ReplacedBox | boxes.LineBox) or not any(
            not isinstance(c, boxes.InlineLevelBox) for c in getattr(box, "children", ())
        )
        edges = ("bottom",) if isinstance(box, boxes.LineBox) else ("right", "bottom")
        if check and self.overflows(box, frame, owner, edges if leaf else ("right",)):
            check = False
        if isinstance(box, boxes.ReplacedBox):
            self.picture(box, owner)
            return _bottom(box), False
        if isinstance(box, boxes.LineBox):  # as wide as its content: its children are checked
            for child in box.children:
                self.inline(child, frame, owner, check)
            return _number(box.position_y) + _number(box.height), False
        if isinstance(box, boxes.InlineLevelBox):  # only met in a line
            return None, False
        if box.is_column:
            frame = (_left(box) + _number(box.width), _top(box) + _number(box.height))
        if (
            body
            and not in_paragraph
            and box.element_tag == "p"
            and isinstance(box, boxes.BlockBox)
            and element is not None
        ):
            in_paragraph = True
            self.fragments.setdefault(id(element), []).append(
                _Fragment(self.index, column, _lines(box), owner, _first_words(element))
            )
        bottoms = []
        has_columns = box.is_column
        rows: dict[float, int] = {}
        for child in getattr(box, "children", ()):
            number = column
            if child.is_column:
                row = round(_number(child.position_y), 1)
                rows[row] = number = rows.get(row, 0) + 1
                group = self.multicols.setdefault(id(box), (box, []))[1]
                group.append((_left(child), _left(child) + _number(child.width)))
            bottom, holds = self.visit(child, frame, owner, body, number, check, in_paragraph)
            has_columns = has_columns or holds
            if bottom is not None:
                bottoms.append(bottom)
        outer = _bottom(box)
        if bottoms:
            # A box split at a page's foot is stretched to it: its drawn bottom is its
            # content's, plus its own padding and border.
            decoration = _number(getattr(box, "padding_bottom", 0)) + _number(
                getattr(box, "border_bottom_width", 0)
            )
            outer = min(outer, max(bottoms) + decoration)
        elif not _draws(box):
            return None, has_columns  # only empty boxes inside
        if not has_columns:
            self.pieces.append((_left(box), _right(box), outer))
        return outer, has_columns

    def inline(
        self, box: boxes.Box, frame: tuple[float, float], owner: str | None, check: bool
    ) -> None:
        """Inline content: it may overflow (a long word) or be a picture."""
        if getattr(box, "_box", None) is not None:
            return
        if check and self.overflows(box, frame, owner, ("right",)):
            check = False
        if isinstance(box, boxes.ReplacedBox):
            self.picture(box, owner)
        for child in getattr(box, "children", ()):
            if isinstance(child, boxes.LineBox | boxes.InlineLevelBox):
                self.inline(child, frame, owner, check)
            else:  # the blocks of an inline-block
                kept = len(self.pieces)
                self.visit(child, frame, owner, False, None, check, True)
                del self.pieces[kept:]

    def overflows(
        self,
        box: boxes.Box,
        frame: tuple[float, float],
        owner: str | None,
        edges: tuple[Literal["right", "bottom"], ...],
    ) -> bool:
        right, bottom = frame
        tolerance = OVERFLOW_PT * PX_PER_PT
        beyond = {"right": _right(box) - right, "bottom": _bottom(box) - bottom}
        edge, amount = max(((e, beyond[e]) for e in edges), key=lambda item: item[1])
        if amount <= tolerance:
            return False
        what = _describe(box)
        points = round(amount / PX_PER_PT, 1)
        problem = Problem(
            "overflow",
            f"{what} goes {points} pt beyond the {edge} edge" + (f" ({owner})" if owner else ""),
            element=owner,
            text=what,
            edge=edge,
            points=points,
        )
        same = [n for n, other in enumerate(self.problems) if _key(other) == _key(problem)]
        if not same:
            self.problems.append(problem)
        elif points > (self.problems[same[0]].points or 0):  # one thing twice: the worst
            self.problems[same[0]] = problem
        return True

    def picture(self, box: boxes.ReplacedBox, owner: str | None) -> None:
        """Pixels over printed inches (CSS px are 1/96 in), the lowest per picture."""
        width_px = getattr(box.replacement, "width", 0)
        if not width_px or not box.width or box.element is None:
            return
        href = _href(box.element.get("src", ""))
        dpi = width_px / (box.width / 96)
        if href not in self.pictures or dpi < self.pictures[href][0]:
            self.pictures[href] = (dpi, owner)

    def lanes(self) -> list[tuple[float, float]]:
        """The text area split into the columns of its widest multi-column region."""
        best: list[tuple[float, float]] = []
        for multicol, columns in self.multicols.values():
            if _number(multicol.width) < 0.9 * (self.right - self.left):
                continue  # a narrow region does not divide the page
            distinct = sorted({(round(a, 1), round(b, 1)) for a, b in columns})
            if len(distinct) > len(best):
                best = distinct
        if len(best) < 2:
            return [(self.left, self.right)]
        bounds = [self.left]
        bounds += [(a[1] + b[0]) / 2 for a, b in zip(best, best[1:], strict=False)]
        bounds.append(self.right)
        return list(zip(bounds, bounds[1:], strict=False))

    def fill(self) -> float:
        shares = self.shares()
        return sum(shares) / len(shares) if shares else 0.0

    def room(self) -> float:
        """The share of the text area's height left under the lowest lane: what a block
        across the lanes (an article's header) could still take."""
        shares = self.shares()
        return 1.0 - max(shares) if shares else 0.0

    def shares(self) -> list[float]:
        """Each lane's used share of the text area's height."""
        height = self.bottom - self.top
        if height <= 0:
            return []
        shares = []
        for a, b in self.lanes():
            middle = (a + b) / 2
            lowest = self.top
            for left, right, bottom in self.pieces:
                if left < middle < right or a <= (left + right) / 2 < b:
                    lowest = max(lowest, bottom)
            used = lowest - self.top + self.footnotes
            shares.append(min(1.0, max(0.0, used / height)))
        return shares


def _key(problem: Problem) -> tuple[object, ...]:
    return (problem.kind, problem.element, problem.text, problem.edge)


def _describe(box: boxes.Box) -> str:
    """What overflows, as an editor finds it: the word, the picture, the element."""
    if isinstance(box, boxes.TextBox):
        text = box.text.strip()
        return f'"{text[:40]}…"' if len(text) > 40 else f'"{text}"'
    if isinstance(box, boxes.ReplacedBox) and box.element is not None:
        return f"picture {_href(box.element.get('src', ''))}"
    tag = box.element_tag or type(box).__name__
    if box.element is not None and tag not in ("p", "li", "td", "th"):
        return f"<{tag}>"
    if box.element is not None:
        return f'<{tag}> "{_first_words(box.element, 4)}"'
    return tag
