"""The print edition: WeasyPrint lays the Rendition out; print images are prepared here."""

from .backend import PdfBackend

__all__ = ["PdfBackend"]
