"""Output formats: each turns a Rendition into bytes and knows nothing about files or config."""

from __future__ import annotations

from exporter.render.rendition import Backend

__all__ = ["FORMATS", "Backend", "get_backend"]


def get_backend(name: str) -> Backend:
    if name == "pdf":
        from .pdf import PdfBackend

        return PdfBackend()
    if name == "epub":
        from .epub import EpubBackend

        return EpubBackend()
    raise ValueError(f"unknown format {name!r} (choose pdf or epub)")


FORMATS = ("pdf", "epub")
