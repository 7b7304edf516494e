"""Print edition: WeasyPrint lays out the bulletin page and the rendition's assets."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML, Document
from weasyprint.formatting_structure import boxes
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import FatalURLFetchingError, URLFetcher, URLFetcherResponse

from exporter.errors import BuildError, SandboxError
from exporter.render.rendition import Asset, PageKind, Rendition
from exporter.source.models import Bulletin, PdfOptions

from .drop_caps import DropCaps
from .parts import lay_out, written_numbers
from .print_images import for_print

# Pages and stylesheets live at this made-up location; the fetcher serves only the
# rendition's own assets from it, so nothing else on disk or on the network is reachable.
VIRTUAL_ROOT = "file:///exporter-rendition/"


class SandboxViolation(FatalURLFetchingError):
    """Raised inside WeasyPrint's fetch to stop the render (not just log a warning)."""


class RenditionFetcher(URLFetcher):
    def __init__(self, assets: dict[str, Asset]) -> None:
        super().__init__(allowed_protocols={"file", "data"})
        self.assets = assets

    def fetch(self, url: str, headers: object = None) -> URLFetcherResponse:
        if url.startswith("data:"):
            return super().fetch(url, headers)
        if not url.startswith(VIRTUAL_ROOT):
            kind = "a network URL" if urlsplit(url).scheme not in ("file", "") else "a local file"
            raise SandboxViolation(f'"{url}" is {kind} outside the bulletin, which is refused')
        href = unquote(urlsplit(url).path)[len(urlsplit(VIRTUAL_ROOT).path) :]
        asset = self.assets.get(href)
        if asset is None:
            raise SandboxViolation(f'"{href}" is not a file of this bulletin or its theme')
        return URLFetcherResponse(
            url, body=asset.read(), headers={"Content-Type": asset.media_type}
        )


def page_css(options: PdfOptions) -> str:
    """Size and margins from bulletin.toml; inner margins on the binding side."""
    width, height = options.size_mm
    m = options.margins
    css = [
        f"@page {{ size: {width}mm {height}mm; margin: {m.top}mm {m.outer}mm {m.bottom}mm "
        f"{m.inner}mm; }}",
        f"@page :left {{ margin-left: {m.outer}mm; margin-right: {m.inner}mm; }}",
        f"@page :right {{ margin-left: {m.inner}mm; margin-right: {m.outer}mm; }}",
    ]
    if options.print_ready:
        css.append("@page { bleed: 3mm; marks: crop; }")
    return "\n".join(css) + "\n"


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(_NOT_WARNINGS):
            self.messages.append(message)


# Not about the document: declarations common.css makes for e-readers (WeasyPrint never
# hyphenates Vietnamese nor fakes styles we bundle). A missing HarfBuzz-Subset is reported:
# the PDF's bytes would then differ from every other machine's.
_NOT_WARNINGS = (
    "Ignored `adobe-hyphenate: none`",
    "Ignored `font-synthesis: none`",
)


@contextmanager
def fixed_font_timestamps(modified: str) -> Iterator[None]:
    """fontTools stamps subset fonts with 'now' unless SOURCE_DATE_EPOCH is set."""
    moment = dt.datetime.strptime(modified, "%Y-%m-%dT%H:%M:%SZ").replace(tzinfo=dt.UTC)
    previous = os.environ.get("SOURCE_DATE_EPOCH")
    os.environ["SOURCE_DATE_EPOCH"] = str(int(moment.timestamp()))
    try:
        yield
    finally:
        if previous is None:
            del os.environ["SOURCE_DATE_EPOCH"]
        else:
            os.environ["SOURCE_DATE_EPOCH"] = previous


@contextmanager
def capture_weasyprint_warnings() -> Iterator[list[str]]:
    """WeasyPrint logs instead of raising (missing glyphs, bad CSS); keep what it says."""
    handler = _Collect()
    logger = logging.getLogger("weasyprint")
    level, propagate = logger.level, logger.propagate
    logger.setLevel(logging.WARNING)  # whatever the application's logging says,
    logger.propagate = False  # and reported once, in the build report
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)
        logger.setLevel(level)
        logger.propagate = propagate


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


@dataclass
class PdfBackend:
    name: str = "pdf"
    suffix: str = ".pdf"
    templates: dict[PageKind, str] = field(
        default_factory=lambda: {"bulletin": "pdf/bulletin.html"}
    )
    stylesheets: tuple[str, ...] = ("common.css", "print.css")
    headline_level: int = 2
    inline_footnotes: bool = True
    warnings: list[str] = field(default_factory=list)
    stats: dict[str, int] = field(default_factory=dict)
    document: Document | None = None  # the laid-out pages, after build

    def extra_css(self, bulletin: Bulletin) -> str:
        return page_css(bulletin.pdf)

    @staticmethod
    def _options(options: PdfOptions) -> dict[str, object]:
        return {
            "pdf_variant": options.variant,
            "pdf_tags": options.variant == "pdf/ua-1",
        }

    def layout(self, rendition: Rendition) -> Document:
        """The laid-out document (the EPUB uses its pages for print page numbers): in parts
        (front pages, each section, back matter) joined, when the template allows."""
        fetcher = RenditionFetcher(rendition.assets)
        font_config = FontConfiguration()
        page = rendition.page("bulletin")
        drop_caps = DropCaps.for_rendition(rendition)
        html = drop_caps.paint(page.html) if drop_caps else page.html
        options = self._options(rendition.bulletin.pdf)

        def sheets(transform: Callable[[str], str]) -> list[CSS]:
            return [
                CSS(
                    string=transform(sheet.text),
                    base_url=VIRTUAL_ROOT + sheet.href,
                    url_fetcher=fetcher,
                    font_config=font_config,
                )
                for sheet in rendition.stylesheets
            ]

        written: list[CSS] = []

        def part(text: str, extra: str) -> Document:
            if not written:
                written.extend(sheets(written_numbers))
            css = [*written, CSS(string=extra, font_config=font_config)]
            return HTML(string=text, base_url=VIRTUAL_ROOT + page.href, url_fetcher=fetcher).render(
                stylesheets=css, font_config=font_config, **options
            )

        with capture_weasyprint_warnings() as messages:
            try:
                document = lay_out(html, rendition.bulletin.publication, part)
                if document is None:
                    document = HTML(
                        string=html, base_url=VIRTUAL_ROOT + page.href, url_fetcher=fetcher
                    ).render(stylesheets=sheets(str), font_config=font_config, **options)
            except SandboxViolation as exc:
                raise SandboxError(str(exc)) from None
        self.warnings.extend(messages)
        return document

    def check_resolution(self, rendition: Rendition, document: Document) -> None:
        """Print-ready: say which pictures will print below the configured resolution."""
        wanted = rendition.bulletin.pdf.image_dpi
        worst: dict[str, float] = {}
        for href, dpi in image_resolutions(document):
            worst[href] = min(dpi, worst.get(href, dpi))
        for href, dpi in worst.items():
            if dpi < wanted - 0.5:
                asset = rendition.assets.get(href)
                source = asset.source if asset and asset.source else href
                where = (
                    source.relative_to(rendition.bulletin.root).as_posix()
                    if isinstance(source, Path)
                    else source
                )
                self.warnings.append(
                    f"{where}: printed at {dpi:.0f} dpi, below the {wanted} dpi a printer needs"
                )

    def build(self, rendition: Rendition) -> bytes:
        options = rendition.bulletin.pdf
        assets, self.stats = for_print(rendition.bulletin, rendition.assets)
        rendition = replace(rendition, assets=assets)
        document = self.document = self.layout(rendition)
        if options.print_ready:
            self.check_resolution(rendition, document)
        with capture_weasyprint_warnings() as messages, fixed_font_timestamps(rendition.modified):
            data = document.write_pdf(**self._options(options))
        self.warnings.extend(messages)
        if not data:
            raise BuildError("WeasyPrint produced an empty PDF")
        return data
