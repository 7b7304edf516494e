"""The e-book edition: ebooklib packages the Rendition with screen fonts and a page map."""

from .backend import EpubBackend

__all__ = ["EpubBackend"]
