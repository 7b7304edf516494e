"""Output formats: each turns a Rendition into bytes and knows nothing about files or config."""

from __future__ import annotations

from typing import Protocol

from ..models import Bulletin
from ..rendition import PageKind, Rendition


class Backend(Protocol):
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


def get_backend(name: str) -> Backend:
    if name == "pdf":
        from .pdf import PdfBackend

        return PdfBackend()
    if name == "epub":
        from .epub import EpubBackend

        return EpubBackend()
    raise ValueError(f"unknown format {name!r} (choose pdf or epub)")


FORMATS = ("pdf", "epub")
