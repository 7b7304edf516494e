"""Print edition: WeasyPrint lays out the bulletin page and the rendition's assets."""

from __future__ import annotations

import datetime as dt
import logging
import os
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from urllib.parse import unquote, urlsplit

from weasyprint import CSS, HTML, Document
from weasyprint.text.fonts import FontConfiguration
from weasyprint.urls import URLFetcher, URLFetcherResponse

from ..errors import BuildError, SandboxError
from ..rendition import Asset, PageKind, Rendition
from ..sandbox import SandboxViolation

# Pages and stylesheets live at this made-up location; the fetcher serves only the
# rendition's own assets from it, so nothing else on disk or on the network is reachable.
VIRTUAL_ROOT = "file:///exporter-rendition/"


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


class _Collect(logging.Handler):
    def __init__(self) -> None:
        super().__init__(logging.WARNING)
        self.messages: list[str] = []

    def emit(self, record: logging.LogRecord) -> None:
        message = record.getMessage()
        if not message.startswith(_NOT_WARNINGS):
            self.messages.append(message)


# Notes about WeasyPrint's own speed, not about the document.
_NOT_WARNINGS = ("Using fontTools instead of HarfBuzz-Subset",)


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
    logger.addHandler(handler)
    try:
        yield handler.messages
    finally:
        logger.removeHandler(handler)


@dataclass
class PdfBackend:
    name: str = "pdf"
    suffix: str = ".pdf"
    templates: dict[PageKind, str] = field(
        default_factory=lambda: {"bulletin": "pdf/bulletin.html"}
    )
    stylesheets: tuple[str, ...] = ("common.css", "print.css")
    headline_level: int = 2
    warnings: list[str] = field(default_factory=list)

    def layout(self, rendition: Rendition) -> Document:
        """The laid-out document (the EPUB uses its pages for print page numbers)."""
        fetcher = RenditionFetcher(rendition.assets)
        font_config = FontConfiguration()
        page = rendition.page("bulletin")
        with capture_weasyprint_warnings() as messages:
            try:
                css = [
                    CSS(
                        string=sheet.text,
                        base_url=VIRTUAL_ROOT + sheet.href,
                        url_fetcher=fetcher,
                        font_config=font_config,
                    )
                    for sheet in rendition.stylesheets
                ]
                document = HTML(
                    string=page.html, base_url=VIRTUAL_ROOT + page.href, url_fetcher=fetcher
                ).render(stylesheets=css, font_config=font_config)
            except SandboxViolation as exc:
                raise SandboxError(str(exc)) from None
        self.warnings.extend(messages)
        return document

    def build(self, rendition: Rendition) -> bytes:
        document = self.layout(rendition)
        with capture_weasyprint_warnings() as messages, fixed_font_timestamps(rendition.modified):
            data = document.write_pdf()
        self.warnings.extend(messages)
        if not data:
            raise BuildError("WeasyPrint produced an empty PDF")
        return data
