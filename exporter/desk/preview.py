"""The preview's engine: the bulletin laid out part by part, and only what changed laid out again.

The print edition is laid out in parts (front pages, each section, back matter; see
``backends/pdf/parts.py``). Between two saves most parts have the same HTML, the same first
page number and the same footnote number: their laid-out pages are kept. A part is laid out
again when its text changed, or when it now starts on another page (folios, left and right
pages) — the contents and the index only when a page number they show changed.

Nothing is written anywhere: pages are rasterised on request from the laid-out pages, in memory.
An edit that makes the bulletin invalid keeps the last good pages and reports the problems.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import re
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from pathlib import Path

from exporter.errors import ExportError, Problem
from exporter.pipeline import prepare
from exporter.render.rendition import Rendition
from exporter.render.theme import Theme
from exporter.source.models import Bulletin
from exporter.vietnamese.normalize import Memo

from . import quick_look
from .sources import ATTRIBUTE, annotate, source_map
from .streaming import walk

OnPage = Callable[[int, object, Callable], None]


_PAGE = re.compile(r"counter-reset: page (\d+);")
_NOTES = re.compile(r"counter-reset: footnote (\d+);")


def _start(css: str) -> int:
    """The first page number a part's CSS gives it (parts._part_css)."""
    found = _PAGE.search(css)
    return int(found.group(1)) if found else 1


def _reset(css: str, start: int, more_notes: int, publication: str) -> str:
    """The CSS of a section part for its pages from ``start`` on, footnotes ``more_notes``
    further on (the quick look lays a section out from one of its articles)."""
    from exporter.backends.pdf.parts import _part_css

    notes = _NOTES.search(css)
    return _part_css(start, (int(notes.group(1)) if notes else 0) + more_notes, publication, False)


@dataclass
class _Laid:
    text: str  # the part's HTML as laid out
    document: object  # weasyprint.Document


class _Seen(Exception):
    """The quick look found the page with the edit: stop laying out the fragment."""


PNG_SCALE = 1.5  # 144 dpi: sharp on an ordinary screen, 40 ms a page


@dataclass(frozen=True)
class Region:
    """A box on a page (fractions of the page's width and height) and where it comes from."""

    x: float
    y: float
    width: float
    height: float
    source: str


@dataclass(frozen=True)
class PageView:
    number: int  # 1-based, as printed
    token: str  # changes whenever the page may look different
    width: float  # CSS px
    height: float
    regions: tuple[Region, ...]
    fill: float = 1.0  # share of the text area used (the layout report's)
    notes: tuple[str, ...] = ()  # the layout report's problems on this page


@dataclass(frozen=True)
class ProblemView:
    level: str  # "error" | "warning" | "layout"
    where: str
    message: str


@dataclass
class Snapshot:
    version: int
    pages: list[PageView]
    problems: list[ProblemView]
    error: str | None  # the last edit did not build: pages are the last good ones
    seconds: float
    laid_out: list[int] = field(default_factory=list)  # parts laid out again (0 = front)


def _problem_views(problems: list[Problem], level: str) -> list[ProblemView]:
    return [ProblemView(level, p.file, str(p)) for p in problems]


def _regions(page: object) -> tuple[Region, ...]:
    """Boxes of elements that carry a source, as fractions of the page."""
    box = page._page_box  # type: ignore[attr-defined]
    width, height = box.margin_width(), box.margin_height()
    found: list[Region] = []
    for child in walk(box):
        element = getattr(child, "element", None)
        if element is None or getattr(child, "element_tag", "").endswith(("::before", "::after")):
            continue
        source = element.get(ATTRIBUTE)
        if not source or not hasattr(child, "border_box_x"):
            continue
        if type(child).__name__ in ("TextBox", "LineBox", "InlineBox"):
            continue
        x, y = child.border_box_x(), child.border_box_y()
        w, h = child.border_width(), child.border_height()
        if w <= 0 or h <= 0:
            continue
        found.append(Region(x / width, y / height, w / width, h / height, source))
    return tuple(dict.fromkeys(found))  # a box and its anonymous wrapper: one region


def _fingerprint(page: object, number: int) -> str:
    """What a page shows, as a hash: boxes, their places and their text, and its folio. An
    unchanged page of a part laid out again keeps its token, so the browser keeps its image."""
    digest = hashlib.blake2b(digest_size=10)
    digest.update(str(number).encode())
    for box in walk(page._page_box):  # type: ignore[attr-defined]
        text = getattr(box, "text", "")
        digest.update(
            f"{type(box).__name__}|{box.position_x:.2f}|{box.position_y:.2f}|"
            f"{getattr(box, 'width', 0)}|{getattr(box, 'height', 0)}|{text}\n".encode()
        )
        element = getattr(box, "element", None)
        if element is not None and element.tag == "img":
            digest.update(element.get("src", "").encode())
    return digest.hexdigest()


class Preview:
    """One bulletin folder, laid out and kept up to date; thread-safe."""

    def __init__(self, root: Path, theme: Theme | None = None) -> None:
        self.root = Path(root).resolve()
        self.theme = theme or Theme()
        self._lock = threading.RLock()
        self._laid: dict[str, _Laid] = {}  # hash of a part's CSS and HTML -> its pages
        self._by_css: dict[str, _Laid] = {}  # a part's CSS (its place) -> what was there last
        self._seen: dict[int, tuple[object, int, PageView]] = {}  # id(page) -> its view
        self._document: object = None  # the issue as laid out (pages are drawn from it)
        self._layout_key: tuple[str, ...] | None = None
        self._layout: object = None
        self._drop_caps: object = None
        self._pngs: dict[str, bytes] = {}
        self._pages: dict[str, object] = {}  # token -> laid-out page
        self.bulletin: Bulletin | None = None
        self.epub: Rendition | None = None
        self.snapshot = Snapshot(0, [], [], None, 0.0)
        # Told of an early snapshot: the first changed page, before its section is done.
        self.on_early: Callable[[Snapshot], None] | None = None
        self._chapters: list[tuple[str, str]] = []
        self.layout_report: object = None
        self._normalised: Memo = {}
        self.building = False  # a save is being laid out (an early page may be shown)

    # ---- building ---------------------------------------------------------------------------

    def rebuild(self) -> Snapshot:
        """Read the folder again and lay out what changed. Never raises for bad input."""
        with self._lock:
            self.building = True
            try:
                return self._rebuild()
            finally:
                self.building = False

    def _rebuild(self) -> Snapshot:
        """One rebuild (see :meth:`rebuild`)."""
        started = time.perf_counter()
        warnings: list[Problem] = []
        try:
            bulletin = prepare(self.root, warnings, self.theme, self._normalised)
            pages, laid_out = self._lay_out(bulletin)
        except ExportError as exc:
            problems = _problem_views(getattr(exc, "problems", []) or [], "error")
            if not problems:
                problems = [ProblemView("error", "", str(exc))]
            self.snapshot = Snapshot(
                self.snapshot.version + 1,
                self.snapshot.pages,
                problems + _problem_views(warnings, "warning"),
                str(exc),
                time.perf_counter() - started,
            )
            return self.snapshot
        self.bulletin = bulletin
        self.epub = None  # rendered again when a chapter is asked for
        live = {page.token for page in pages}
        self._pngs = {t: png for t, png in self._pngs.items() if t in live}
        self.snapshot = Snapshot(
            self.snapshot.version + 1,
            pages,
            _problem_views(warnings, "warning") + self._layout_problems(),
            None,
            time.perf_counter() - started,
            laid_out,
        )
        return self.snapshot

    def _layout_problems(self) -> list[ProblemView]:
        """The layout report as lines of the problems list: page by page, then the count."""
        report = self.layout_report
        if report is None:
            return []
        found = [
            ProblemView("layout", f"page {page.number}", problem.message)
            for page, problem in report.problems()  # type: ignore[attr-defined]
        ]
        short = report.pages_to_multiple_of_4  # type: ignore[attr-defined]
        if short:
            found.append(
                ProblemView(
                    "layout",
                    "issue",
                    f"{report.page_count} pages: {short} short of a multiple of 4 "  # type: ignore[attr-defined]
                    "(saddle-stitched issues print in sheets of four pages)",
                )
            )
        return found

    def _layouter(self, rendition: Rendition) -> object:
        from weasyprint import CSS, HTML
        from weasyprint.text.fonts import FontConfiguration

        from exporter.backends.pdf.backend import VIRTUAL_ROOT, PdfBackend, RenditionFetcher
        from exporter.backends.pdf.drop_caps import DropCaps
        from exporter.backends.pdf.parts import written_numbers
        from exporter.backends.pdf.print_images import for_print

        from . import streaming

        assets, _ = for_print(rendition.bulletin, rendition.assets)
        key = tuple(sheet.text for sheet in rendition.stylesheets)
        if key != self._layout_key:
            fetcher = RenditionFetcher(assets)
            fonts = FontConfiguration()
            sheets = [
                CSS(
                    string=written_numbers(sheet.text),
                    base_url=VIRTUAL_ROOT + sheet.href,
                    url_fetcher=fetcher,
                    font_config=fonts,
                )
                for sheet in rendition.stylesheets
            ]
            options = PdfBackend._options(rendition.bulletin.pdf)
            base = VIRTUAL_ROOT + rendition.page("bulletin").href

            whole = streaming.needs_whole_document(
                [written_numbers(sheet.text) for sheet in rendition.stylesheets]
            )

            def layout(html: str, extra: str, on_page: OnPage | None = None) -> object:
                css = [*sheets, CSS(string=extra, font_config=fonts)]
                document = HTML(string=html, base_url=base, url_fetcher=fetcher)
                if whole:
                    return document.render(stylesheets=css, font_config=fonts, **options)
                return streaming.render(document, fonts, on_page, stylesheets=css, **options)

            layout.fetcher = fetcher  # type: ignore[attr-defined]
            layout.whole = whole  # type: ignore[attr-defined]
            self._layout, self._layout_key = layout, key
            self._drop_caps = DropCaps.for_rendition(rendition)
            self._laid, self._by_css = {}, {}  # laid out with other styles: nothing is kept
        self._layout.fetcher.assets = assets  # type: ignore[attr-defined]
        return self._layout

    def _lay_out(self, bulletin: Bulletin) -> tuple[list[PageView], list[int]]:
        """The issue laid out as ``exporter build`` lays it out (parts.lay_out_issue: the
        front page's choice, flowing sections, padding), each part through a cache: a part
        with the same HTML and the same first page is not laid out again."""
        from exporter.backends.pdf.backend import PdfBackend
        from exporter.backends.pdf.parts import lay_out_issue, pad_document, unpadded
        from exporter.backends.pdf.preflight import preflight
        from exporter.render.pages import render

        rendition = render(bulletin, self.theme, PdfBackend(), "0")
        layout = self._layouter(rendition)
        html = rendition.page("bulletin").html
        if self._drop_caps is not None:
            html = self._drop_caps.paint(html)  # type: ignore[attr-defined]
        html = annotate(html, source_map(bulletin))
        publication = bulletin.publication
        multiple = bulletin.pdf.page_multiple
        laid_out: list[int] = []
        used: set[str] = set()
        shown = {view.number: view for view in self.snapshot.pages}
        published: list[int] = []

        def publish(number: int, token: str, png: bytes, page: object, regions: tuple) -> None:
            """A page ready before the rest: into the shown pages, and tell the browser."""
            published.append(number)
            self._pngs[token] = png
            box = page._page_box  # type: ignore[attr-defined]
            view = PageView(number, token, box.margin_width(), box.margin_height(), regions)
            pages = [view if v.number == number else v for v in self.snapshot.pages]
            self.snapshot = replace(self.snapshot, version=self.snapshot.version + 1, pages=pages)
            self.on_early(self.snapshot)  # type: ignore[misc]

        def early(start: int) -> OnPage | None:
            """Show the first page that looks different as soon as it is laid out."""
            if self.on_early is None or not shown or published:
                return None

            def on_page(index: int, page: object, make_document: Callable) -> None:
                number = start + index
                old = shown.get(number)
                token = _fingerprint(page, number)
                if published or old is None or old.token == token:
                    return
                png = _rasterise(make_document([page]), page)
                publish(number, token, png, page, _regions(page))

            return on_page

        def quick(text: str, css: str, start: int, before: _Laid) -> None:
            """The page an edit is on, from its article on (quick_look.py), before the rest."""
            ids = quick_look.changed_ids(before.text, text)
            slug = quick_look.edited_article(text, ids) if ids else None
            pages = before.document.pages  # type: ignore[attr-defined]
            top = quick_look.article_top(pages, slug) if slug else None
            if top is None:
                return
            at, y = top
            old_page = pages[at]
            old_view = shown.get(start + at)
            if old_view is None:
                return
            content_top = old_page._page_box.content_box_y()
            html_text, notes = quick_look.fragment(text, slug, y - content_top)  # type: ignore[arg-type]
            number = start + at
            extra = _reset(css, number, notes, publication)

            def on_page(offset: int, page: object, make_document: Callable) -> None:
                if not quick_look.holds(page, ids):
                    return
                png = _rasterise(make_document([page]), page)
                regions = _regions(page)
                if offset == 0:  # the article's first page: the old page down to its top
                    cut = y / old_page._page_box.margin_height()
                    old_png = self._pngs.get(old_view.token) or _rasterise(
                        before.document, old_page
                    )
                    png = quick_look.composite(old_png, png, cut)
                    regions = tuple(
                        [r for r in old_view.regions if r.y + r.height <= cut + 1e-6]
                        + [r for r in regions if r.y >= cut - 1e-6]
                    )
                token = "q" + hashlib.blake2b(png, digest_size=10).hexdigest()
                publish(number + offset, token, png, page, regions)
                raise _Seen

            with contextlib.suppress(_Seen):
                layout(html_text, extra, on_page)

        def cached(text: str, css: str) -> object:
            key = hashlib.sha1(f"{css}\0{text}".encode()).hexdigest()
            used.add(key)
            if key in self._laid:
                return self._laid[key].document
            start = _start(css)
            before = self._by_css.get(css)
            if (
                self.on_early is not None
                and not published
                and before is not None
                and before.text != text
                and not layout.whole  # type: ignore[attr-defined]
            ):
                quick(text, css, start, before)
            document = layout(text, css, early(start))
            laid_out.append(start)
            self._laid[key] = self._by_css[css] = _Laid(text, document)
            return document

        laid = lay_out_issue(html, publication, cached, multiple, bulletin.pdf.filler_gap_lines)
        if laid is None:  # a theme's own template: one document
            whole = cached(unpadded(html), "")
            laid = pad_document(whole, html, publication, cached, multiple=multiple)
        self._laid = {k: v for k, v in self._laid.items() if k in used}
        kept = {id(entry) for entry in self._laid.values()}
        self._by_css = {css: e for css, e in self._by_css.items() if id(e) in kept}
        document = laid.document
        self._document = document
        report = preflight(
            document, print_ready=bulletin.pdf.print_ready, min_dpi=bulletin.pdf.image_dpi
        )
        self.layout_report = report
        # Where the fillers went and the gaps left, on their pages (fillers.py).
        filler_notes: dict[int, tuple[str, ...]] = {}
        said = laid.fillers
        for item in said.placed if said is not None else ():
            note = f'filler "{item["title"]}"'
            filler_notes[item["page"]] = (*filler_notes.get(item["page"], ()), note)  # type: ignore[index]
        for gap in said.gaps if said is not None else ():
            note = f"gap of {gap['lines']} lines left"
            filler_notes[gap["page"]] = (*filler_notes.get(gap["page"], ()), note)  # type: ignore[index]
        views: list[PageView] = []
        live: dict[str, object] = {}
        for n, page in enumerate(document.pages):  # type: ignore[attr-defined]
            known = self._seen.get(id(page))
            if known is None or known[0] is not page or known[1] != n + 1:
                box = page._page_box
                token = _fingerprint(page, n + 1)
                view = PageView(
                    n + 1, token, box.margin_width(), box.margin_height(), _regions(page)
                )
                known = (page, n + 1, view)
            self._seen[id(page)] = known
            page_report = report.pages[n]
            notes = tuple(problem.message for problem in page_report.problems)
            notes += filler_notes.get(n + 1, ())
            views.append(replace(known[2], fill=round(page_report.fill, 3), notes=notes))
            live[views[-1].token] = page
        self._seen = {k: v for k, v in self._seen.items() if v[2].token in live}
        self._pages = live
        return views, laid_out

    # ---- serving ----------------------------------------------------------------------------

    def page_png(self, token: str) -> bytes | None:
        """The page as a PNG, made on first request; None for a page no longer shown."""
        ready = self._pngs.get(token)  # an early page is ready while the rest is laid out
        if ready is not None:
            return ready
        with self._lock:
            if token in self._pngs:
                return self._pngs[token]
            page = self._pages.get(token)
            if page is None:
                return None
            png = _rasterise(self._document, page)
            self._pngs[token] = png
            return png

    def chapters(self) -> list[tuple[str, str]]:
        """(href, title) of the e-book's chapters; while a save is being laid out, the last
        ones known (the state of an early page must not wait for the whole layout)."""
        if self._lock.acquire(blocking=False):
            try:
                epub = self.epub_rendition()
                self._chapters = [(page.href, page.title) for page in epub.pages] if epub else []
            finally:
                self._lock.release()
        return self._chapters

    def epub_rendition(self) -> Rendition | None:
        with self._lock:
            if self.epub is None and self.bulletin is not None:
                from exporter.backends.epub.backend import EpubBackend
                from exporter.render.pages import render

                self.epub = render(self.bulletin, self.theme, EpubBackend(), "0")
            return self.epub


def _rasterise(document: object, page: object) -> bytes:
    import pypdfium2 as pdfium

    data = document.copy([page]).write_pdf()  # type: ignore[attr-defined]
    pdf = pdfium.PdfDocument(data)
    try:
        image = pdf[0].render(scale=PNG_SCALE).to_pil()
    finally:
        pdf.close()
    out = io.BytesIO()
    image.save(out, format="PNG", compress_level=1)
    return out.getvalue()
