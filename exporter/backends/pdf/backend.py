"""Print edition: WeasyPrint lays out the bulletin page and the rendition's assets."""

from __future__ import annotations

import multiprocessing
import os
import threading
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field, replace
from pathlib import Path

from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration

from exporter.errors import BuildError, SandboxError
from exporter.render.rendition import PageKind, Rendition
from exporter.source.models import Bulletin, PdfOptions

from .capture import capture_weasyprint_warnings, fixed_font_timestamps
from .drop_caps import DropCaps
from .fillers import Filler, FillerReport, pool_of
from .parallel import print_issue
from .parts import (
    Laid,
    Padding,
    Part,
    lay_out_issue,
    pad_document,
    padded_report,
    padding,
    split,
    unpadded,
    written_numbers,
)
from .preflight import LayoutReport, preflight
from .press import Edition, Press, image_resolutions
from .print_images import for_print
from .print_layout import PrintLayout
from .sandbox import VIRTUAL_ROOT, RenditionFetcher, SandboxViolation
from .workers import Crew

__all__ = [
    "VIRTUAL_ROOT",
    "PdfBackend",
    "RenditionFetcher",
    "SandboxViolation",
    "capture_weasyprint_warnings",
    "fixed_font_timestamps",
    "image_resolutions",
    "page_css",
]


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
    if options.section_start == "flow":
        # A page where a section begins part way down is headed by the one it began with.
        css.append("@page { @top-right { content: string(section, start); } }")
    return "\n".join(css) + "\n"


def default_workers(parts: int) -> int:
    """One worker per core, at most one per part; one (this process) when the build is
    itself one of many (a batch worker) or other threads run here (forking them is unsafe)."""
    if multiprocessing.parent_process() is not None or threading.active_count() > 1:
        return 1
    return max(1, min(os.cpu_count() or 1, parts))


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
    # Processes laying the parts out (None: one per core, at most one per part). The PDF is
    # the same with any number.
    workers: int | None = None
    # The laid-out pages, after build (the EPUB's print page numbers read them); pages laid
    # out in workers come back as what the page map reads (print_layout.py).
    document: Document | PrintLayout | None = None
    parts_report: dict[str, int] = field(default_factory=dict)  # how the parts were made
    layout_report: LayoutReport | None = None  # fill, widows, overflow… (preflight.py)
    laid: Laid | None = None  # the one-process layout: the issue's pages and its padding apart
    # Fillers are placed after layout (fillers.py): render leaves them out of the flow.
    places_fillers: bool = True
    fillers_report: FillerReport | None = None  # where they went, after build

    @property
    def fillers_placed(self) -> dict[str, str]:
        """Filler slug -> the section it was printed in (the e-book follows it)."""
        return self.fillers_report.sections() if self.fillers_report is not None else {}

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
        html = self._html(rendition)
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

        publication = rendition.bulletin.publication
        multiple = rendition.bulletin.pdf.page_multiple
        with capture_weasyprint_warnings() as messages:
            try:
                gap_lines = rendition.bulletin.pdf.filler_gap_lines
                laid = lay_out_issue(html, publication, part, multiple, gap_lines)
                if laid is None:
                    left = pool_of(html)
                    if left:  # a theme's own template: no sections to place them in
                        self.warnings.append(
                            f"{len(left)} filler(s) not printed: the theme's template is laid "
                            "out as one document, without sections to place them in"
                        )
                    whole = HTML(
                        string=unpadded(html),
                        base_url=VIRTUAL_ROOT + page.href,
                        url_fetcher=fetcher,
                    ).render(stylesheets=sheets(str), font_config=font_config, **options)
                    laid = pad_document(whole, html, publication, part, multiple=multiple)
            except SandboxViolation as exc:
                raise SandboxError(str(exc)) from None
        self.warnings.extend(messages)
        self.laid = laid
        self.fillers_report = laid.fillers
        return laid.document

    def check_resolution(
        self, rendition: Rendition, resolutions: Iterable[tuple[str, float]]
    ) -> None:
        """Print-ready: say which pictures will print below the configured resolution."""
        wanted = rendition.bulletin.pdf.image_dpi
        worst: dict[str, float] = {}
        for href, dpi in resolutions:
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
        """The PDF: laid out in parts on every core and merged; in one process, joined with
        ``Document.copy``, for PDF/A and PDF/UA (the structure tree and metadata of a
        variant come whole only from WeasyPrint) and for a template that cannot be split."""
        options = rendition.bulletin.pdf
        assets, self.stats = for_print(rendition.bulletin, rendition.assets)
        rendition = replace(rendition, assets=assets)
        html = self._html(rendition)
        parts = None if options.variant else split(html)
        if parts is not None:
            data = self._in_parts(rendition, parts, pool_of(html))
        else:
            document = self.document = self.layout(rendition)
            assert self.laid is not None
            content, added = self.laid.content, self.laid.padding
            checks = {"print_ready": options.print_ready, "min_dpi": options.image_dpi}
            self.layout_report = padded_report(
                preflight(content, **checks),
                preflight(added, first_page=len(content.pages) + 1, **checks) if added else None,
                self._padding(rendition),
            )
            self.stats["pages_added"] = len(added.pages) if added else 0
            if options.print_ready:
                self.check_resolution(rendition, image_resolutions(document))
            with (
                capture_weasyprint_warnings() as messages,
                fixed_font_timestamps(rendition.modified),
            ):
                data = document.write_pdf(**self._options(options))
            self.warnings.extend(messages)
        if not data:
            raise BuildError("WeasyPrint produced an empty PDF")
        return data

    @staticmethod
    def _padding(rendition: Rendition) -> Padding | None:
        """The pages that pad the issue to ``[pdf] page_multiple`` (parts.py)."""
        return padding(rendition.page("bulletin").html, rendition.bulletin.pdf.page_multiple)

    @staticmethod
    def _html(rendition: Rendition) -> str:
        page = rendition.page("bulletin")
        drop_caps = DropCaps.for_rendition(rendition)
        return drop_caps.paint(page.html) if drop_caps else page.html

    def edition(self, rendition: Rendition) -> Edition:
        """What every part of this rendition is laid out with (in any worker)."""
        return Edition(
            assets=rendition.assets,
            stylesheets=tuple((s.href, written_numbers(s.text)) for s in rendition.stylesheets),
            page_href=rendition.page("bulletin").href,
            publication=rendition.bulletin.publication,
            modified=rendition.modified,
            options=self._options(rendition.bulletin.pdf),
            print_ready=rendition.bulletin.pdf.print_ready,
            min_dpi=rendition.bulletin.pdf.image_dpi,
        )

    def _in_parts(self, rendition: Rendition, parts: list[Part], fillers: list[Filler]) -> bytes:
        edition = self.edition(rendition)
        size = min(max(1, self.workers or default_workers(len(parts))), len(parts))
        gap_lines = rendition.bulletin.pdf.filler_gap_lines
        with Crew(size, lambda: Press(edition)) as crew:
            issue = print_issue(parts, crew, self._padding(rendition), fillers, gap_lines)
        self.fillers_report = issue.fillers
        self.document = issue.layout
        self.parts_report = {**issue.stats, "workers": crew.size}
        self.layout_report = issue.report
        self.stats["pages_added"] = issue.stats.get("pages_added", 0)
        self.warnings.extend(issue.warnings)
        if rendition.bulletin.pdf.print_ready:
            self.check_resolution(rendition, issue.resolutions)
        return issue.pdf
