"""The work done on one part of the issue, in a worker process or in this one.

Pages cannot leave the process that laid them out (cffi objects), so a part travels as what
the merge and the rest of the build need: its PDF, its anchors and bookmarks, the words that
open each page (the EPUB's print page numbers), its pictures' resolutions and the glyphs it
drew with each font. Tasks and results are plain picklable dataclasses.

A part is first laid out (:class:`Lay`), at a provisional start when its true one is not yet
known, and kept; :class:`Print` then gives it the furniture of its true start (refit.py) and
writes it. Each part subsets the fonts for its own glyphs; :class:`Fonts` finally makes one
subset per font for the glyphs of every part, which the merge puts in their place.
"""

from __future__ import annotations

import io
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any

import pydyf
from weasyprint import CSS, DEFAULT_OPTIONS, HTML, Document
from weasyprint.formatting_structure import boxes
from weasyprint.pdf.fonts import Font, build_fonts_dictionary
from weasyprint.text.fonts import FontConfiguration, get_hb_object_data

from exporter.render.rendition import Asset

from .capture import capture_weasyprint_warnings, fixed_font_timestamps
from .fillers import MEASURE
from .parts import _part_css, first_pages, settle
from .preflight import LayoutReport, filler_sizes, page_rooms, preflight
from .print_layout import PageTexts, shared_texts
from .refit import LaidOut, render_keeping_context
from .sandbox import VIRTUAL_ROOT, RenditionFetcher

FONTS_KEY = "ExporterFonts"  # where a Fonts result's PDF keeps its font dictionary
NOWHERE = (0.0, 0.0, 0.0, 0.0)  # a stand-in anchor: keeps a link to another part alive


@dataclass(frozen=True)
class Edition:
    """What every part shares: the same for every worker (inherited, never sent)."""

    assets: dict[str, Asset]
    stylesheets: tuple[tuple[str, str], ...]  # (href, text), page numbers already written in
    page_href: str
    publication: str
    modified: str  # the rendition's date: fonts are stamped with it
    options: dict[str, Any]  # WeasyPrint's render and write options
    print_ready: bool = False  # the layout report checks pictures' resolution
    min_dpi: int = 300


@dataclass(frozen=True)
class Lay:
    """Lay part ``index`` out with its first page numbered ``start``."""

    index: int
    html: str  # the part's page, its links' page numbers written in
    start: int
    footnotes: int  # footnotes before this part: its numbering goes on from there
    first: bool  # the first part (no running heads on its first page)
    keep: bool = True  # keep the pages for a later Print; else only count them
    rooms: bool = False  # also measure each page's fill and room (fillers.py)


@dataclass(frozen=True)
class Print:
    """Write part ``index`` as it is when it starts on page ``start``: the pages kept by an
    earlier Lay, or laid out now as ``lay`` says, then moved to ``start`` (refit.py)."""

    index: int
    start: int
    elsewhere: frozenset[str]  # anchors it links to that lie in other parts
    lay: Lay | None = None
    # Subset every font in the part's own PDF. By default a font the merge replaces by one
    # subset for the whole issue is left out of it (:func:`_subsets_left_to_the_merge`).
    own_fonts: bool = False


@dataclass(frozen=True)
class FontUse:
    """The glyphs a part drew with one font: what a subset for the whole issue needs."""

    to_unicode: dict[int, str]
    widths: dict[int, float]
    mergeable: bool  # False with glyphs missing from the font (their ids differ per part)


@dataclass(frozen=True)
class Fonts:
    """One subset of each font for every glyph the issue draws with it; ``owners`` names,
    for each font, the part whose first Font object the dictionary is made from."""

    uses: dict[str, FontUse]
    owners: dict[str, int]


@dataclass
class Laid:
    index: int
    pages: int
    anchors: dict[str, int]  # id -> page of the part it starts on, from 0
    warnings: list[str]
    seconds: float
    rooms: list[tuple[float, float]] = field(default_factory=list)  # when asked (Lay.rooms)
    sizes: dict[str, float] = field(default_factory=dict)  # the fillers' part: their heights
    line: float = 0.0  # ...and a line's height (shares of the text area's height)


@dataclass
class Printed:
    index: int
    start: int
    pages: int
    anchors: dict[str, int]
    pdf: bytes
    heights: list[float]  # CSS px: outline positions are measured from the page's top
    bookmarks: list[list[tuple[int, str, tuple[float, float], str]]]  # per page, as WeasyPrint
    texts: list[PageTexts]
    resolutions: list[tuple[str, float]]
    fonts: dict[str, FontUse]
    warnings: list[str]
    seconds: float
    refitted: bool = False  # moved from its provisional start, not laid out again
    layouts: int = 0  # layouts this task made (0 for a part kept, then refitted)
    report: LayoutReport | None = None  # the part's layout report (preflight.py)
    skipped: frozenset[str] = frozenset()  # fonts (hashes) left for the merge to subset


@dataclass
class Press:
    """A worker's state: WeasyPrint's font configuration and stylesheets, made once, and the
    parts laid out here and not yet printed."""

    edition: Edition
    kept: dict[int, tuple[Lay, LaidOut]] = field(default_factory=dict)
    settled: dict[str, str] = field(default_factory=dict)  # a part's text -> as laid out
    fonts: dict[tuple[int, str], Font] = field(default_factory=dict)
    _setup: tuple[RenditionFetcher, FontConfiguration, list[CSS]] | None = None

    def run(self, task: Lay | Print | Fonts) -> Laid | Printed | bytes:
        if isinstance(task, Lay):
            return self.lay(task)
        if isinstance(task, Print):
            return self.print(task)
        return self.union_fonts(task)

    def _tools(self) -> tuple[RenditionFetcher, FontConfiguration, list[CSS]]:
        if self._setup is None:
            fetcher = RenditionFetcher(self.edition.assets)
            font_config = FontConfiguration()
            sheets = [
                CSS(
                    string=text,
                    base_url=VIRTUAL_ROOT + href,
                    url_fetcher=fetcher,
                    font_config=font_config,
                )
                for href, text in self.edition.stylesheets
            ]
            self._setup = fetcher, font_config, sheets
        return self._setup

    def _lay_out(self, task: Lay, start: int, furnish: bool = True) -> LaidOut:
        fetcher, font_config, sheets = self._tools()
        extra = _part_css(start, task.footnotes, self.edition.publication, task.first)
        options = {
            **self.edition.options,
            "stylesheets": [*sheets, CSS(string=extra, font_config=font_config)],
        }

        def lay(text: str) -> LaidOut:
            html = HTML(
                string=text, base_url=VIRTUAL_ROOT + self.edition.page_href, url_fetcher=fetcher
            )
            return render_keeping_context(html, font_config, options, start, furnish)

        # Flowing sections: each opener left with too little of its page gets one of its own
        # (parts.settle); the text found is kept for the part's later layouts.
        text = self.settled.get(task.html, task.html)
        text, laid = settle(text, lay, lambda laid: laid.document)
        self.settled[task.html] = text
        return laid

    def lay(self, task: Lay) -> Laid:
        started = time.perf_counter()
        with capture_weasyprint_warnings() as messages:
            laid = self._lay_out(task, task.start, furnish=False)  # furnished when printed
        if task.keep:
            self.kept[task.index] = (task, laid)
        anchors = first_pages(laid.document)
        result = Laid(task.index, laid.pages, anchors, messages, 0.0)
        if task.rooms:
            result.rooms = page_rooms(laid.document)
        if task.index == MEASURE:
            result.sizes, result.line = filler_sizes(laid.document)
        result.seconds = time.perf_counter() - started
        return result

    def print(self, task: Print) -> Printed:
        started = time.perf_counter()
        refitted = False
        with capture_weasyprint_warnings() as messages:
            if task.lay is not None:
                lay = task.lay
                laid = self._lay_out(lay, lay.start, furnish=lay.start == task.start)
            else:
                lay, laid = self.kept.pop(task.index)
            moved = laid.at(task.start)
            refitted = moved is not None and lay.start != task.start
            layouts = int(task.lay is not None) + int(moved is None)
            document = moved or self._lay_out(lay, task.start).document
            anchors = first_pages(document)
            heights = [page.height for page in document.pages]
            bookmarks = [list(page.bookmarks) for page in document.pages]
            texts = [shared_texts(page._page_box) for page in document.pages]
            resolutions = list(image_resolutions(document))
            report = preflight(
                document,
                first_page=task.start,
                print_ready=self.edition.print_ready,
                min_dpi=self.edition.min_dpi,
            )
            # Links to another part's anchors are dropped by WeasyPrint unless the anchor is
            # on a page; a stand-in keeps them as named links, which the merge resolves.
            for name in sorted(task.elsewhere - anchors.keys()):
                document.pages[0].anchors[name] = NOWHERE
            fonts: dict[str, FontUse] = {}

            def note_fonts(written: Document, pdf: pydyf.PDF) -> None:
                for font in written.fonts.values():
                    self.fonts.setdefault((task.index, font.hash), font)
                    use = fonts.setdefault(font.hash, FontUse({}, {}, True))
                    for glyph, text in font.to_unicode.items():
                        use.to_unicode.setdefault(glyph, text)
                    use.widths.update(font.widths)
                    if font.missing or font.bitmap or font.used_in_forms:
                        fonts[font.hash] = FontUse(use.to_unicode, use.widths, False)

            skipped: set[str] = set()
            with (
                fixed_font_timestamps(self.edition.modified),
                _subsets_left_to_the_merge(skipped, not task.own_fonts),
            ):
                pdf = document.write_pdf(finisher=note_fonts, **self.edition.options)
        return Printed(
            task.index,
            task.start,
            len(document.pages),
            anchors,
            pdf,
            heights,
            bookmarks,
            texts,
            resolutions,
            fonts,
            messages,
            time.perf_counter() - started,
            refitted,
            layouts,
            report,
            frozenset(skipped),
        )

    def union_fonts(self, task: Fonts) -> bytes:
        """A PDF holding, under ``FONTS_KEY``, WeasyPrint's own dictionary of each font,
        subset for every glyph the issue draws with it."""
        pdf = pydyf.PDF()
        chosen = {}
        for font_hash, use in sorted(task.uses.items()):
            font = self.fonts[(task.owners[font_hash], font_hash)]
            font.file_content = get_hb_object_data(font.hb_face)  # the whole font again
            font.to_unicode, font.widths = dict(use.to_unicode), dict(use.widths)
            chosen[font_hash] = font
        options = DEFAULT_OPTIONS | self.edition.options
        with capture_weasyprint_warnings(), fixed_font_timestamps(self.edition.modified):
            dictionary = build_fonts_dictionary(pdf, chosen, True, True, options)
        pdf.add_object(dictionary)
        pdf.catalog[FONTS_KEY] = dictionary.reference
        output = io.BytesIO()
        pdf.write(output, options["pdf_version"], False, True)
        return output.getvalue()


@contextmanager
def _subsets_left_to_the_merge(skipped: set[str], active: bool = True) -> Iterator[None]:
    """While a part is written: a font the merge replaces by one subset for the whole issue
    (glyph ids the font's own: no glyph missing, no bitmap, not in a form) is not subset, nor
    embedded, here — the part's PDF only needs its dictionary's place; ``skipped`` gets its
    hash. About 3 % of a PDF build (the subsetting, and cffi parsing an array type for each
    glyph count). The merged file is the same, byte for byte."""
    if not active:
        yield
        return
    original = Font.clean

    def clean(font: Font, to_unicode: dict[int, str], hinting: bool) -> None:
        if font.missing or font.bitmap or font.used_in_forms:
            original(font, to_unicode, hinting)
            return
        skipped.add(font.hash)
        font.file_content = b""  # the Fonts task puts the whole font back before subsetting

    Font.clean = clean  # type: ignore[method-assign]
    try:
        yield
    finally:
        Font.clean = original  # type: ignore[method-assign]


def image_resolutions(document: Document) -> Iterator[tuple[str, float]]:
    """(href, dots per inch) of every picture as laid out: pixels over printed inches."""

    def walk(box: boxes.Box) -> Iterator[boxes.Box]:
        yield box
        for child in getattr(box, "children", None) or []:
            yield from walk(child)

    for page in document.pages:
        for box in walk(page._page_box):
            if isinstance(box, boxes.ReplacedBox) and box.element is not None:
                image = box.replacement
                width_px = getattr(image, "width", 0)
                if width_px and box.width:
                    href = box.element.get("src", "")
                    yield href, width_px / (box.width / 96)
