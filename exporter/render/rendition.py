"""What render hands to a backend: pages, stylesheets and assets in one virtual file tree.

Every reference inside pages and stylesheets is a relative ``href`` into this tree
(``images/…``, ``styles/fonts/…``), so the EPUB can store it as it is and the PDF backend can
serve it through a fetcher that knows nothing else.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal, Protocol

from exporter.source.models import Bulletin

PageKind = Literal["bulletin", "cover", "contents", "section", "article", "index"]


@dataclass(frozen=True)
class Page:
    href: str
    title: str
    kind: PageKind
    html: str
    section: str | None = None  # the section slug, for navigation


@dataclass(frozen=True)
class Asset:
    href: str
    media_type: str
    source: Path | None = None
    data: bytes | None = None

    def read(self) -> bytes:
        if self.data is not None:
            return self.data
        assert self.source is not None
        return self.source.read_bytes()


@dataclass(frozen=True)
class Stylesheet:
    href: str
    text: str


@dataclass
class Rendition:
    bulletin: Bulletin
    pages: list[Page]
    stylesheets: list[Stylesheet]
    assets: dict[str, Asset] = field(default_factory=dict)
    cover_href: str | None = None
    modified: str = ""  # ISO 8601 UTC, from SOURCE_DATE_EPOCH or the content
    # (printed page number, href#marker) when the print edition was laid out alongside
    page_list: list[tuple[int, str]] = field(default_factory=list)

    def page(self, kind: PageKind) -> Page:
        return next(p for p in self.pages if p.kind == kind)


class Backend(Protocol):
    """What render needs to know of an output format; the formats live in ``backends/``."""

    name: str
    suffix: str
    # Which pages to render, from which template: "bulletin" is one page for the whole
    # issue, "article" one page per article, the others one page each.
    templates: dict[PageKind, str]
    stylesheets: tuple[str, ...]
    # Heading level of an article's headline (body headings follow it).
    headline_level: int
    # Markdown footnotes: True moves each note to its call (CSS float: footnote, print);
    # False keeps them together after the article (e-book pop-ups link to them).
    inline_footnotes: bool
    warnings: list[str]
    stats: dict[str, int]

    def extra_css(self, bulletin: Bulletin) -> str:
        """A stylesheet generated from the bulletin's options, applied after the others."""
        ...

    def build(self, rendition: Rendition) -> bytes: ...
